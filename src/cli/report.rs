//! `vpcc report FILE [--format md|json|html]`
//!
//! Prints the report of one file to stdout. A file with errors prints its
//! diagnostics and exits 1; a file whose only errors are failed `expect`s
//! still gets its report (it shows which fail and why), then exits 1.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use vpc::report::{self, Report};

use super::io::{Load, Loaded, load_model, write_output, write_output_by};
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
    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    let how = Load {
        failed_expects_ok: true,
        ..Load::strict(MessageFormat::Human, args.color)
    };
    let Loaded {
        src,
        model,
        expects_failed,
        ..
    } = match load_model(&args.file, how) {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let model = &model;
    let r = Report::build_limited(&stem(&args.file), model, &src, args.matrix_limit);
    let written = match args.format {
        Format::Md => write_output(args.output.as_deref(), &report::md::render(&r)),
        // Streamed: the org preset's report is about 20 MB of JSON, which
        // a string would hold on top of the report (BENCHMARKS.md).
        Format::Json => write_output_by(args.output.as_deref(), &mut |w| {
            serde_json::to_writer_pretty(&mut *w, &r).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        }),
        Format::Html => write_output(
            args.output.as_deref(),
            &report::html::render(&r, report::diagram_svg(model).as_deref()),
        ),
    };
    if expects_failed {
        written.max(Exit::Errors)
    } else {
        written
    }
}

/// `examples/peering.vpc` → `peering`.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "report".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
