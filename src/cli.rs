//! Subcommands. Each lives in its own file and returns an [`Exit`].

mod build;
mod check;
mod completions;
mod diff;
mod explain;
mod export;
mod fmt;
mod r#gen;
mod graph;
mod import;
mod io;
mod lsp;
mod man;
mod mdbook;
mod reach;
mod report;
mod routes;

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
    /// Print each subnet's effective routes, or look a destination up
    Routes(routes::Args),
    /// Trace one flow: the verdict, the path there and back, or every blocker
    Reach(reach::Args),
    /// Draw a file as a Graphviz diagram (DOT, or SVG without Graphviz installed)
    Graph(graph::Args),
    /// Rewrite files in the canonical layout (`--check` only reports)
    Fmt(fmt::Args),
    /// Print a shell completion script, e.g. `vpcc completions bash`
    Completions(completions::Args),
    /// Print the manual page (roff) to stdout
    Man(man::Args),
    /// Run the language server on stdin/stdout (for editors)
    Lsp(lsp::Args),
    /// Print a file's report: subnets, routes, reachability matrix, exposure, expectations
    Report(report::Args),
    /// Write routes, reports (and the diagram) of each file to DIR/NAME/
    Build(build::Args),
    /// Show what changed in subnets, routes and reachability between two files
    Diff(diff::Args),
    /// mdBook preprocessor: turns ```vpc blocks and {{#vpc FILE}} into reports
    Mdbook(mdbook::Args),
    /// Generate a large, valid network for benchmarks and scale tests
    Gen(r#gen::Args),
    /// Write the file's AWS resources as CloudFormation (YAML, JSON) or Terraform
    Export(export::Args),
    /// Write a .vpc file from a network described elsewhere (`import aws DIR`, `import cloudformation TEMPLATE`)
    Import(import::Args),
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
    /// One SARIF 2.1.0 log for all files, on stdout (for code scanning)
    Sarif,
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
        Command::Routes(args) => routes::run(&args),
        Command::Reach(args) => reach::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Mdbook(args) => mdbook::run(&args),
        Command::Gen(args) => r#gen::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
    };
    ExitCode::from(exit as u8)
}
