//! The `vpcc` command line: arguments, file I/O, rendering and exit codes.
//!
//! Exit codes are a contract: 0 ok (warnings allowed), 1 errors in a file
//! (or a failed `expect`, or warnings with `--deny-warnings`), 2 usage or
//! I/O errors.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, errors to
            // stderr with exit 2, which is our usage contract too.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    cli::run(args)
}
