//! `vpcc diff OLD.vpc NEW.vpc [--format md|json|github] [-o FILE]`
//!
//! Prints what changed between two files: the resources (rules, routes,
//! associations, `expect`s) and their effects on subnets, routes and
//! reachability. Exit 0 whether or not anything changed; 1 when either file has
//! errors (failed `expect`s included); 2 for I/O.

use std::path::PathBuf;

use clap::ValueEnum;

use super::io::{Load, display_name, load_model, write_output};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown bullet lists
    Md,
    /// JSON
    Json,
    /// The Markdown body of a pull-request comment (summary, a diff block
    /// of the changed resources, a flow table)
    Github,
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
    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    // Both files' diagnostics are shown before stopping.
    let how = Load::strict(MessageFormat::Human, args.color);
    let old = load_model(&args.old, how);
    if let Err(Exit::Usage) = old {
        return Exit::Usage;
    }
    let new = load_model(&args.new, how);
    let (old, new) = match (old, new) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(x), Err(y)) => return x.max(y),
        (Err(x), _) | (_, Err(x)) => return x,
    };
    let d = vpc::diff::diff(&old.model, &new.model);
    let out = match args.format {
        Format::Md => d.to_markdown(),
        Format::Json => d.to_json(),
        Format::Github => d.to_github(&display_name(&args.old), &display_name(&args.new)),
    };
    write_output(args.output.as_deref(), &out)
}
