//! `vpcc check FILE... [--deny-warnings]`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use vpc::diag::sarif::{FileDiagnostics, render};

use super::io::{compile_file, display_name, emit_diagnostics, error, stderr_color};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// .vpc files to check
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Treat warnings as errors (exit 1 when there are any)
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human output (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let color = stderr_color(args.color);
    let mut exit = Exit::Ok;
    let mut sarif = Vec::new();
    let mut tally = Tally::default();
    // Files are independent: read and compile them on every core, then
    // report in argument order.
    for (path, result) in args.files.iter().zip(compile_all(&args.files)) {
        let (src, config, compilation) = match result {
            Ok(done) => done,
            Err(message) => {
                error(&message);
                exit = exit.max(Exit::Usage);
                continue;
            }
        };
        emit_diagnostics(
            args.message_format,
            color,
            path,
            &src,
            &compilation.diagnostics,
        );
        tally.add(&compilation);
        let warnings = compilation.diagnostics.iter().any(|d| !d.is_error());
        if compilation.has_errors() || ((args.deny_warnings || config.deny_warnings) && warnings) {
            exit = exit.max(Exit::Errors);
        }
        if args.message_format == MessageFormat::Sarif {
            sarif.push((
                display_name(path),
                src,
                compilation.diagnostics,
                compilation.suppressed,
            ));
        }
    }
    if args.message_format == MessageFormat::Sarif {
        let files: Vec<FileDiagnostics<'_>> = sarif
            .iter()
            .map(|(path, src, diagnostics, suppressed)| FileDiagnostics {
                path,
                src,
                diagnostics,
                suppressed,
            })
            .collect();
        let _ = std::io::stdout().write_all(render(&files).as_bytes());
    }
    // A person at a terminal sees that the run happened; scripts and CI
    // logs (not a terminal) stay silent on success.
    if exit == Exit::Ok
        && args.message_format == MessageFormat::Human
        && std::io::stderr().is_terminal()
    {
        eprintln!("{}", tally.summary());
    }
    exit
}

/// What a successful run checked, for its one-line summary.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    expects: usize,
    warnings: usize,
    errors: usize,
}

impl Tally {
    fn add(&mut self, c: &vpc::Compilation) {
        self.files += 1;
        self.expects += c.ast.as_ref().map_or(0, |ast| {
            ast.items
                .iter()
                .filter(|i| matches!(i, vpc::syntax::ast::Item::Expect(_)))
                .count()
        });
        self.warnings += c.diagnostics.iter().filter(|d| !d.is_error()).count();
        self.errors += c.diagnostics.iter().filter(|d| d.is_error()).count();
    }

    /// `checked 3 files: 14 expects hold, 1 warning, 0 errors`.
    fn summary(&self) -> String {
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        format!(
            "checked {}: {} {}, {}, {}",
            n(self.files, "file", "files"),
            n(self.expects, "expect", "expects"),
            if self.expects == 1 { "holds" } else { "hold" },
            n(self.warnings, "warning", "warnings"),
            n(self.errors, "error", "errors"),
        )
    }
}

type Compiled = Result<(String, vpc::config::Config, vpc::Compilation), String>;

/// Compiles every file, on every core, and returns the results in the
/// order of `files`.
fn compile_all(files: &[PathBuf]) -> Vec<Compiled> {
    vpc::par::map(files, || (), |(), f| compile_file(f))
}
