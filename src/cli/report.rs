//! `vpcc report FILE [--format md|json|html]`
//!
//! Prints the report of one file to stdout. A file with errors prints its
//! diagnostics and exits 1; a file whose only errors are failed `expect`s
//! still gets its report (it shows which fail and why), then exits 1.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use vpc::report::{self, Report};

use super::io::{emit_diagnostics, error, read_source, stderr_color};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown (GitHub tables), for docs sites
    Md,
    /// JSON, see schemas/report.schema.json
    Json,
    /// One self-contained HTML page
    Html,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The .vpc file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The most (source, destination) pairs the reachability matrix may
    /// have; a larger one is left out with a note (the rest of the report
    /// is always there)
    #[arg(long, value_name = "PAIRS", default_value_t = report::DEFAULT_MATRIX_LIMIT)]
    pub matrix_limit: usize,
}

pub fn run(args: &Args) -> Exit {
    let src = match read_source(&args.file) {
        Ok(s) => s,
        Err(m) => {
            error(&m);
            return Exit::Usage;
        }
    };
    let c = vpc::compile(&src);
    emit_diagnostics(
        MessageFormat::Human,
        stderr_color(args.color),
        &args.file,
        &src,
        &c.diagnostics,
    );
    let only_expects = c
        .diagnostics
        .iter()
        .all(|d| !d.is_error() || d.code == vpc::diag::Code::E0501);
    let Some(model) = c.model.as_ref().filter(|_| only_expects) else {
        return Exit::Errors;
    };
    let r = Report::build_limited(&stem(&args.file), model, &src, args.matrix_limit);
    let out = match args.format {
        Format::Md => report::md::render(&r),
        Format::Json => r.to_json(),
        Format::Html => report::html::render(&r, report::diagram_svg(model).as_deref()),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if c.has_errors() {
        Exit::Errors
    } else {
        Exit::Ok
    }
}

/// `examples/peering.vpc` → `peering`.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "report".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
