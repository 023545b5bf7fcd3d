//! `vpcc explain CODE` and `vpcc explain --list`: diagnostic codes and
//! reachability reason codes.

use std::io::Write;

use vpc::diag::Code;
use vpc::reach::Reason;

use super::Exit;
use super::io::error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A diagnostic code such as E0106 or W0602, or a reachability reason
    /// code such as SG_INGRESS
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code (diagnostics, then reachability reasons) with its
    /// one-line summary
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: &Args) -> Exit {
    let mut out = std::io::stdout().lock();
    if args.list {
        for code in Code::ALL {
            let _ = writeln!(out, "{code}  {}", code.title());
        }
        for r in Reason::ALL {
            let _ = writeln!(out, "{r}  {}", r.meaning());
        }
        return Exit::Ok;
    }
    let text = args.code.as_deref().unwrap_or_default();
    if let Some(code) = Code::parse(text) {
        let _ = writeln!(
            out,
            "{code}: {}\n\n{}",
            code.title(),
            code.explanation().trim_end()
        );
        Exit::Ok
    } else if let Some(r) = Reason::parse(text) {
        let _ = writeln!(
            out,
            "{r}: {}\n\n\
             A reachability reason code. `vpcc reach` and a failed `expect`\n\
             (E0501) give it with the component that drops the flow, why, the\n\
             statement to change and, where the change is mechanical, a fix.\n\
             docs/reach.md explains how each flow is decided.",
            r.meaning()
        );
        Exit::Ok
    } else {
        error(&format!(
            "unknown code `{text}`; `vpcc explain --list` shows them all"
        ));
        Exit::Usage
    }
}
