//! `vpcc diff OLD.vpc NEW.vpc [--format md|json]`
//!
//! Prints what changed in subnets, routes and reachability between two
//! files. Exit 0 whether or not anything changed; 1 when either file has
//! errors (failed `expect`s included); 2 for I/O.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::io::{emit_diagnostics, error, read_source, stderr_color};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown bullet lists, for pull-request comments
    Md,
    /// JSON
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file before the change
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The file after the change
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let color = stderr_color(args.color);
    let mut loaded = Vec::new();
    for path in [&args.old, &args.new] {
        let src = match read_source(path) {
            Ok(s) => s,
            Err(m) => {
                error(&m);
                return Exit::Usage;
            }
        };
        let c = vpc::compile(&src);
        emit_diagnostics(MessageFormat::Human, color, path, &src, &c.diagnostics);
        loaded.push((src, c));
    }
    let [(old_src, old), (new_src, new)] = &loaded[..] else {
        return Exit::Usage;
    };
    let (Some(a), Some(b)) = (
        old.model.as_ref().filter(|_| !old.has_errors()),
        new.model.as_ref().filter(|_| !new.has_errors()),
    ) else {
        return Exit::Errors;
    };
    let d = vpc::diff::diff(a, old_src, b, new_src);
    let out = match args.format {
        Format::Md => d.to_markdown(),
        Format::Json => d.to_json(),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    Exit::Ok
}
