//! `vpcc import aws PATH [-o FILE]`: write a .vpc file from the saved JSON of
//! the AWS CLI's `ec2 describe-*` commands (a directory with one
//! `describe-*.json` per command, or one JSON object keyed by command name).
//! `vpcc import cloudformation TEMPLATE [--param KEY=VALUE]... [-o FILE]`:
//! the same from a CloudFormation template (YAML or JSON; `-` is stdin).
//! Warnings (what was left out) go to stderr; bad input exits 2.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use super::Exit;
use super::io::{error, read_source, write_output};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(clap::Subcommand, Debug)]
pub enum Source {
    /// Saved JSON of `aws ec2 describe-*` (a directory or one combined file)
    Aws {
        /// A directory holding describe-vpcs.json, ..., or one JSON file
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// Write the .vpc file here instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// A CloudFormation template (YAML with short-form tags, or JSON)
    #[command(name = "cloudformation")]
    Cloudformation {
        /// The template file (`-`: standard input)
        #[arg(value_name = "TEMPLATE")]
        template: PathBuf,
        /// A parameter's value, or a pseudo parameter's (`AWS::Region=eu-west-1`)
        #[arg(long = "param", value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// Write the .vpc file here instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn run(args: &Args) -> Exit {
    let (imported, output) = match &args.source {
        Source::Aws { path, output } => (
            load(path).and_then(|docs| vpc::import::aws::import(&docs)),
            output,
        ),
        Source::Cloudformation {
            template,
            params,
            output,
        } => (cloudformation(template, params), output),
    };
    let imported = match imported {
        Ok(imported) => imported,
        Err(message) => {
            error(&message);
            return Exit::Usage;
        }
    };
    let mut stderr = std::io::stderr().lock();
    for warning in &imported.warnings {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    write_output(output.as_deref(), &imported.text)
}

fn load(path: &std::path::Path) -> Result<BTreeMap<String, serde_json::Value>, String> {
    use vpc::import::aws::{COMMANDS, OPTIONAL, parse_command, split_combined};
    if path.is_dir() {
        let mut docs = BTreeMap::new();
        for command in COMMANDS.iter().chain(&OPTIONAL) {
            let file = path.join(format!("{command}.json"));
            if !file.exists() {
                if *command == "describe-vpcs" {
                    return Err(format!("{}: missing (required)", file.display()));
                }
                continue;
            }
            let text = read_source(&file)?;
            let value =
                parse_command(command, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            docs.insert(command.to_string(), value);
        }
        Ok(docs)
    } else {
        let text = read_source(path)?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: malformed JSON: {e}", path.display()))?;
        split_combined(value).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn cloudformation(
    path: &std::path::Path,
    params: &[String],
) -> Result<vpc::import::Imported, String> {
    let mut given = BTreeMap::new();
    for p in params {
        match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                given.insert(k.trim().to_string(), v.to_string());
            }
            _ => return Err(format!("--param {p}: expected KEY=VALUE")),
        }
    }
    let text = read_source(path)?;
    let template = vpc::import::cloudformation::parse_template(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    vpc::import::cloudformation::import(&template, &given)
        .map_err(|e| format!("{}: {e}", path.display()))
}
