//! `vpcc completions SHELL`: a shell completion script, generated from the
//! clap definition so it never falls behind the real options.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &Args) -> Exit {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "vpcc", &mut script);
    let _ = std::io::stdout().write_all(&script);
    Exit::Ok
}
