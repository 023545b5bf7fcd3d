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
    let _ = std::io::stdout().write_all(&roff);
    Exit::Ok
}
