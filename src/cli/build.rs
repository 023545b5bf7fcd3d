//! `vpcc build FILE... -o DIR [--watch]`
//!
//! Writes every output of each input `NAME.vpc` to `DIR/NAME/`:
//!
//! ```text
//! DIR/NAME/routes.json   the route model (as `vpcc routes --format json`)
//! DIR/NAME/report.md     the report (as `vpcc report --format md`)
//! DIR/NAME/report.json   the report (as `vpcc report --format json`)
//! DIR/NAME/report.html   the report (as `vpcc report --format html`)
//! DIR/NAME/graph.dot     the diagram, once `vpcc graph` exists
//! DIR/NAME/graph.svg     the diagram, once `vpcc graph` exists
//! ```
//!
//! Outputs are byte-identical across runs, and each file is written
//! atomically (a temporary file, then a rename). An input with errors or a
//! failed `expect` prints its diagnostics and writes nothing; the others
//! are still built, and the exit status is 1. I/O failures exit 2.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use vpc::report::html::IndexEntry;
use vpc::report::{self, Report};

use super::io::{Load, Loaded, error, load_model, refuse_symlink, remove_leftovers, write_atomic};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// .vpc files to build
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The output directory (created when missing)
    #[arg(short = 'o', long = "out-dir", value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Rebuild whenever an input changes (polls every 500 ms; Ctrl-C stops)
    #[arg(long)]
    pub watch: bool,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The most (source, destination) pairs a report's reachability
    /// matrix may have; a larger one is left out with a note
    #[arg(long, value_name = "PAIRS", default_value_t = report::DEFAULT_MATRIX_LIMIT)]
    pub matrix_limit: usize,
    /// Treat warnings as errors: a file with any is not built, and the exit
    /// code is 1 (`deny-warnings = true` in vpcc.toml does the same)
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: &Args) -> Exit {
    // The inputs' stamps are taken before the build reads them: an edit
    // made while the first build runs is then seen as a change.
    let mut seen = stamps(&args.files);
    let exit = build_all(args);
    if !args.watch {
        return exit;
    }
    eprintln!("vpcc: watching {} file(s); Ctrl-C stops", args.files.len());
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = stamps(&args.files);
        if now != seen {
            seen = now;
            let exit = build_all(args);
            let state = if exit == Exit::Ok { "ok" } else { "failed" };
            eprintln!("vpcc: rebuilt: {state}");
        }
    }
}

/// Modification times (and sizes) of the inputs; `None` for missing ones.
fn stamps(files: &[PathBuf]) -> Vec<Option<(SystemTime, u64)>> {
    files
        .iter()
        .map(|f| {
            let m = std::fs::metadata(f).ok()?;
            Some((m.modified().ok()?, m.len()))
        })
        .collect()
}

fn build_all(args: &Args) -> Exit {
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        error(&format!("cannot create `{}`: {e}", args.out_dir.display()));
        return Exit::Usage;
    }
    let mut exit = Exit::Ok;
    let mut names: Vec<String> = Vec::new();
    let mut index: Vec<IndexEntry> = Vec::new();
    for path in &args.files {
        let name = match output_name(path) {
            Ok(n) => n,
            Err(m) => {
                error(&m);
                exit = exit.max(Exit::Usage);
                continue;
            }
        };
        if names.contains(&name) {
            error(&format!(
                "`{}`: another input already writes `{name}/`; rename one of them",
                path.display()
            ));
            exit = exit.max(Exit::Usage);
            continue;
        }
        names.push(name.clone());
        index.push(IndexEntry {
            name: name.clone(),
            files: Vec::new(),
            summary: None,
        });
        let Loaded {
            src,
            model,
            warnings,
            deny_warnings,
            ..
        } = match load_model(path, Load::strict(MessageFormat::Human, args.color)) {
            Ok(l) => l,
            Err(e) => {
                exit = exit.max(e);
                continue;
            }
        };
        if warnings > 0 && (args.deny_warnings || deny_warnings) {
            // Denied warnings fail the file as errors do: nothing is written.
            exit = exit.max(Exit::Errors);
            continue;
        }
        let model = &model;
        if model.subnets.len() > report::DIAGRAM_SVG_MAX_SUBNETS {
            eprintln!(
                "vpcc: note: `{}`: graph.svg left out: {} subnets take minutes to lay out (the limit is {}); `vpcc graph --format svg` draws it anyway",
                path.display(),
                model.subnets.len(),
                report::DIAGRAM_SVG_MAX_SUBNETS
            );
        }
        let dir = args.out_dir.join(&name);
        if let Err(m) = refuse_symlink(&dir) {
            error(&m);
            exit = exit.max(Exit::Usage);
            continue;
        }
        remove_leftovers(&dir);
        let mut written = Vec::new();
        for (file, contents) in outputs(&name, model, &src, args.matrix_limit) {
            let out = dir.join(file);
            let result = std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))
                .and_then(|()| refuse_symlink(&out))
                .and_then(|()| write_atomic(&out, contents.as_bytes()));
            if let Err(m) = result {
                error(&m);
                exit = exit.max(Exit::Usage);
                written.clear();
                break;
            }
            written.push(file.to_string());
        }
        if let Some(entry) = index.last_mut() {
            let held = model.expects.len();
            entry.summary = Some(format!(
                "{} subnets, {held} expects hold",
                model.subnets.len()
            ));
            entry.files = written;
        }
    }
    if !index.is_empty() {
        let path = args.out_dir.join("index.html");
        let result = refuse_symlink(&path)
            .and_then(|()| write_atomic(&path, report::html::index(&index).as_bytes()));
        if let Err(m) = result {
            error(&m);
            exit = exit.max(Exit::Usage);
        }
    }
    exit
}

/// Every output file of one model, by file name, in a fixed order.
pub fn outputs(
    name: &str,
    model: &vpc::model::Model,
    src: &str,
    matrix_limit: usize,
) -> Vec<(&'static str, String)> {
    let r = Report::build_limited(name, model, src, matrix_limit);
    let svg = report::diagram_svg(model);
    let mut out = vec![("routes.json", vpc::emit::json::to_string_pretty(model))];
    if let Some(dot) = report::diagram_dot(model) {
        out.push(("graph.dot", dot));
    }
    if let Some(svg) = &svg {
        out.push(("graph.svg", svg.clone()));
    }
    out.push(("report.md", report::md::render(&r)));
    out.push(("report.json", r.to_json()));
    out.push(("report.html", report::html::render(&r, svg.as_deref())));
    out
}

/// `dir/NAME.vpc` → `NAME`, refusing names that would leave DIR or hide.
fn output_name(path: &Path) -> Result<String, String> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bad = stem.is_empty()
        || stem.starts_with('.')
        || stem.contains(['/', '\\', '\0', ':'])
        || stem == "index.html";
    if bad {
        return Err(format!(
            "`{}`: cannot name an output directory `{stem}`; rename the file",
            path.display()
        ));
    }
    Ok(stem)
}
