//! `vpcc routes FILE [--subnet NAME] [--lookup ADDRESS|pl:SVC|internet] [--format text|json]`
//!
//! Prints every subnet's effective routes in match order, or, with
//! `--lookup`, which route each subnet's table picks for a destination and
//! why every other route lost. Files with errors print their diagnostics
//! (as `check` does) and exit 1; an unknown subnet or a malformed lookup is
//! a usage error (exit 2).

use std::path::PathBuf;

use clap::ValueEnum;
use vpc::emit::routes::{
    lookup_json, lookup_text, model_json, table_text, tgw_text, unknown_subnet,
};
use vpc::model::SubnetId;
use vpc::routes::Query;

use super::io::{Load, error, load_model, write_output};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table per subnet
    Text,
    /// The route model as JSON; its schema is schemas/route-model.schema.json
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The .vpc file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only this subnet
    #[arg(long, value_name = "NAME")]
    pub subnet: Option<String>,
    /// Which route each subnet takes to ADDRESS, a gateway service's prefix
    /// list (`pl:s3`, `pl:dynamodb`) or `internet`, and why the others lose
    #[arg(long, value_name = "ADDRESS|pl:SVC|internet")]
    pub lookup: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour diagnostics (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let query = match &args.lookup {
        None => None,
        Some(text) => match Query::parse(text) {
            Some(q) => Some(q),
            None => {
                error(&format!(
                    "`{text}` is not a lookup: expected an IPv4 address (10.0.2.25), `pl:s3`, `pl:dynamodb` or `internet`"
                ));
                return Exit::Usage;
            }
        },
    };
    let model = match load_model(&args.file, Load::strict(MessageFormat::Human, args.color)) {
        Ok(l) => l.model,
        Err(exit) => return exit,
    };
    let subnets: Vec<SubnetId> = match &args.subnet {
        None => (0..model.subnets.len())
            .map(|i| SubnetId(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect(),
        Some(name) => match model.subnets.iter().position(|s| &s.name == name) {
            Some(i) => vec![SubnetId(u32::try_from(i).unwrap_or(u32::MAX))],
            None => {
                error(&unknown_subnet(&model, name));
                return Exit::Usage;
            }
        },
    };
    let out = match (query, args.format) {
        (None, Format::Text) if args.subnet.is_none() => {
            table_text(&model, &subnets) + &tgw_text(&model)
        }
        (None, Format::Text) => table_text(&model, &subnets),
        (None, Format::Json) => model_json(&model, &subnets),
        (Some(q), Format::Text) => lookup_text(&model, &subnets, q),
        (Some(q), Format::Json) => lookup_json(&model, &subnets, q),
    };
    write_output(args.output.as_deref(), &out)
}
