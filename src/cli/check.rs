//! `vpcc check FILE... [--deny-warnings]`

use std::path::PathBuf;

use super::io::{emit_diagnostics, error, read_source, stderr_color};
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
    for path in &args.files {
        let src = match read_source(path) {
            Ok(src) => src,
            Err(message) => {
                error(&message);
                exit = exit.max(Exit::Usage);
                continue;
            }
        };
        let compilation = vpc::compile(&src);
        emit_diagnostics(args.message_format, color, path, &src, &compilation.diagnostics);
        let warnings = compilation.diagnostics.iter().any(|d| !d.is_error());
        if compilation.has_errors() || (args.deny_warnings && warnings) {
            exit = exit.max(Exit::Errors);
        }
    }
    exit
}
