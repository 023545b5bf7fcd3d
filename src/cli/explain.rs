//! `vpcc explain CODE` and `vpcc explain --list`

use std::io::Write;

use vpc::diag::Code;

use super::Exit;
use super::io::error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A diagnostic code such as E0106 or W0602
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its one-line summary
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: &Args) -> Exit {
    let mut out = std::io::stdout().lock();
    if args.list {
        for code in Code::ALL {
            let _ = writeln!(out, "{code}  {}", code.title());
        }
        return Exit::Ok;
    }
    let text = args.code.as_deref().unwrap_or_default();
    match Code::parse(text) {
        Some(code) => {
            let _ = writeln!(out, "{code}: {}\n\n{}", code.title(), code.explanation().trim_end());
            Exit::Ok
        }
        None => {
            error(&format!("unknown diagnostic code `{text}`; `vpcc explain --list` shows them all"));
            Exit::Usage
        }
    }
}
