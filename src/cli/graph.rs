//! `vpcc graph FILE [--format dot|svg] [-o FILE] [--highlight SRC,DST [--proto P] [--port N|N-M]] [--vpc NAME] [--collapse]`
//!
//! `--highlight` asks the reachability engine about one flow and draws its
//! path, and what blocks it, over the diagram; names resolve as in
//! `vpcc reach`.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use vpc::graph::{self, GraphOptions, Highlight};
use vpc::model::VpcId;
use vpc::reach::{Query, reach, resolve_end};

use super::io::{Load, error, load_model, write_output};
use super::reach::{Proto, traffic};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphviz DOT text
    Dot,
    /// SVG, rendered in-process (no Graphviz install needed)
    Svg,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The .vpc file to draw
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Draw one flow's path from the reachability engine in blue, and what
    /// blocks it in red: SOURCE,DEST (an instance, subnet, external,
    /// interface endpoint, `internet`, or as destination `service NAME`)
    #[arg(long, value_name = "SRC,DST")]
    pub highlight: Option<String>,
    /// With --highlight: the flow's protocol (default: any)
    #[arg(long, value_enum, requires = "highlight")]
    pub proto: Option<Proto>,
    /// With --highlight: destination port or range, e.g. 22 or 1024-65535
    /// (tcp and udp)
    #[arg(long, value_name = "N|N-M", requires = "highlight")]
    pub port: Option<String>,
    /// Draw only this VPC, with its peerings and each peer VPC as one box
    #[arg(long, value_name = "NAME")]
    pub vpc: Option<String>,
    /// Draw every other VPC (every VPC without --vpc) as one box with its
    /// name and CIDRs instead of its subnets
    #[arg(long)]
    pub collapse: bool,
    /// Render SVG with this Graphviz `dot` program instead of the built-in
    /// renderer
    #[arg(long, value_name = "PATH")]
    pub dot_binary: Option<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human output (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let model = match load_model(&args.file, Load::strict(args.message_format, args.color)) {
        Ok(l) => l.model,
        Err(exit) => return exit,
    };
    let mut opts = GraphOptions {
        collapse: args.collapse,
        ..GraphOptions::default()
    };
    if let Some(name) = &args.vpc {
        match model.vpcs.iter().position(|v| &v.name == name) {
            Some(i) => opts.vpc = Some(VpcId(i as u32)),
            None => {
                let names: Vec<&str> = model.vpcs.iter().map(|v| v.name.as_str()).collect();
                error(&format!(
                    "--vpc: no VPC named `{name}` in {} (VPCs: {})",
                    args.file.display(),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ));
                return Exit::Usage;
            }
        }
    }
    if let Some(spec) = &args.highlight {
        match highlight(&model, spec, args.proto, args.port.as_deref()) {
            Ok(h) => opts.highlight = Some(h),
            Err(message) => {
                error(&message);
                return Exit::Usage;
            }
        }
    }
    let dot = graph::dot(&model, &opts);
    let out = match args.format {
        Format::Dot => dot,
        Format::Svg => match &args.dot_binary {
            Some(bin) => match external_dot(bin, &dot) {
                Ok(svg) => svg,
                Err(message) => {
                    error(&message);
                    return Exit::Usage;
                }
            },
            None => match graph::svg(&dot) {
                Ok(svg) => svg,
                Err(e) => {
                    error(&e.to_string());
                    return Exit::Errors;
                }
            },
        },
    };
    write_output(args.output.as_deref(), &out)
}

/// Parses `SRC,DST`, asks the reachability engine, and returns what to
/// draw.
fn highlight(
    model: &vpc::model::Model,
    spec: &str,
    proto: Option<Proto>,
    port: Option<&str>,
) -> Result<Highlight, String> {
    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
    let [src, dst] = parts.as_slice() else {
        return Err(format!(
            "--highlight takes two names separated by a comma, like `app,internet`; got `{spec}`"
        ));
    };
    let bad = |which: &str, e: String| format!("--highlight {which}: {e}");
    let source = resolve_end(model, src, true).map_err(|e| bad("source", e))?;
    let destination = resolve_end(model, dst, false).map_err(|e| bad("destination", e))?;
    let (protocol, ports) = traffic(proto, port)?;
    let query = Query {
        protocol,
        ports,
        ..Query::new(source, destination)
    };
    let verdict = reach(model, &query);
    Ok(graph::highlight(model, &query, &verdict))
}

/// Runs a Graphviz `dot` program the user named, with the DOT on stdin.
fn external_dot(bin: &std::path::Path, dot: &str) -> Result<String, String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(bin)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", bin.display()))?;
    // Write from a thread so a large graph cannot deadlock against the
    // program's output; a program that exits without reading all of its
    // input is judged by its exit status, not by the broken pipe.
    let writer = child.stdin.take().map(|mut stdin| {
        let dot = dot.to_string();
        std::thread::spawn(move || match stdin.write_all(dot.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
            _ => Ok(()),
        })
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`{}` failed: {e}", bin.display()))?;
    if let Some(Ok(Err(e))) = writer.map(std::thread::JoinHandle::join) {
        return Err(format!("cannot write to `{}`: {e}", bin.display()));
    }
    if !output.status.success() {
        return Err(format!(
            "`{}` failed ({}): {}",
            bin.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("`{}` printed something that is not UTF-8", bin.display()))
}
