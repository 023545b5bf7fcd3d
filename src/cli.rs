//! Subcommands. Each lives in its own file and returns an [`Exit`].

mod check;
mod explain;
mod r#gen;
mod io;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// vpcc compiles .vpc files, declarative AWS VPC designs: it checks them
/// against AWS's rules, resolves their routes, draws them and proves their
/// `expect` statements.
#[derive(Parser, Debug)]
#[command(name = "vpcc", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files against AWS's rules and their own `expect` statements
    Check(check::Args),
    /// Explain a diagnostic code, e.g. `vpcc explain E0106`
    Explain(explain::Args),
    /// Generate a large, valid network for benchmarks and scale tests
    Gen(r#gen::Args),
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style, with source snippets
    Human,
    /// One line per diagnostic: file:line:col: severity[CODE]: message
    Short,
    /// One JSON object per line
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The process outcome of a subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok = 0,
    /// Errors in a file, a failed `expect`, or denied warnings.
    Errors = 1,
    /// Usage or I/O error.
    Usage = 2,
}

pub fn run(cli: Cli) -> ExitCode {
    let exit = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Gen(args) => r#gen::run(&args),
    };
    ExitCode::from(exit as u8)
}
