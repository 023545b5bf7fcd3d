//! `vpcc man [SUBCOMMAND]`: manual pages (roff), generated from the clap
//! definition. `vpcc man` is vpcc(1), whose SUBCOMMANDS section points to
//! vpcc-check(1) and so on; `vpcc man check` prints that page.

use std::io::Write;

use clap::CommandFactory;

use super::io::error;
use super::{Cli, Exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print the page of this subcommand, e.g. `fmt` for vpcc-fmt(1)
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

pub fn run(args: &Args) -> Exit {
    let mut command = Cli::command();
    command.build();
    let mut repeated = Vec::new();
    let page = match &args.subcommand {
        None => clap_mangen::Man::new(command),
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                error(&format!(
                    "no subcommand `{name}`; there are: {}",
                    names.join(", ")
                ));
                return Exit::Usage;
            };
            // clap's names are `&'static str` without its `string` feature;
            // the process prints one page and exits, so leaking is harmless.
            let title: &'static str =
                Box::leak(format!("vpcc-{}", sub.get_name()).into_boxed_str());
            repeated = repeated_positionals(sub);
            let sub = sub
                .clone()
                .name(title)
                .bin_name(format!("vpcc {}", sub.get_name()));
            clap_mangen::Man::new(sub.version(env!("CARGO_PKG_VERSION"))).title(title)
        }
    };
    let mut roff = Vec::new();
    if let Err(e) = page.render(&mut roff) {
        error(&format!("cannot render the manual page: {e}"));
        return Exit::Usage;
    }
    let roff = mark_repeated(&String::from_utf8_lossy(&roff), &repeated);
    let _ = std::io::stdout().write_all(roff.as_bytes());
    Exit::Ok
}

/// The value names of `cmd`'s positionals that take several values
/// (`check FILE...`).
fn repeated_positionals(cmd: &clap::Command) -> Vec<String> {
    cmd.get_positionals()
        .filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1))
        .filter_map(|a| {
            a.get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.to_string())
        })
        .collect()
}

/// clap_mangen writes a repeated positional as `<FILE>` in the synopsis,
/// where `--help` and every man page convention write `<FILE>...`; this
/// adds the ellipsis there.
fn mark_repeated(roff: &str, names: &[String]) -> String {
    let mut out = String::with_capacity(roff.len() + 16);
    let mut in_synopsis = false;
    for line in roff.split_inclusive('\n') {
        if line.starts_with(".SH") {
            in_synopsis = line.trim_end() == ".SH SYNOPSIS";
            out.push_str(line);
            continue;
        }
        let mut line = line.to_string();
        if in_synopsis {
            for name in names {
                for close in [">", "]"] {
                    let value = format!("\\fI{name}\\fR{close}");
                    line = line.replace(&format!("{value} "), &format!("{value}... "));
                }
            }
        }
        out.push_str(&line);
    }
    out
}
