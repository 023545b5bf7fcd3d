//! `vpcc reach FILE --from A --to B [--proto P] [--port N|N-M] [--format text|json]`
//!
//! Prints the verdict for one flow: the path hop by hop, there and back,
//! the DNS answers it depends on, or every component that drops it and
//! why. Exit 0 when a verdict was printed (delivered or not), 1 when the
//! file has errors, 2 for unknown names and usage errors.

use std::path::PathBuf;

use clap::ValueEnum;
use vpc::reach::{Query, end_label, reach, resolve_end, resolve_via, text};
use vpc::syntax::ast::ProtocolKind;

use super::io::{Load, Loaded, error, load_model, write_output};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
    All,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The .vpc file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Source: an instance, subnet, external, interface endpoint or `internet`
    #[arg(long, value_name = "NAME")]
    pub from: String,
    /// Destination: as --from, or `service SVC` (`service s3`, `service ec2`)
    #[arg(long, value_name = "NAME")]
    pub to: String,
    /// Protocol (default: any)
    #[arg(long, value_enum)]
    pub proto: Option<Proto>,
    /// Destination port or range, e.g. 22 or 1024-65535 (tcp and udp)
    #[arg(long, value_name = "N|N-M")]
    pub port: Option<String>,
    /// Components the path must traverse, in order (comma-separated); an
    /// instance no route targets is a jump host
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub via: Vec<String>,
    /// No leg may cross an internet gateway
    #[arg(long)]
    pub privately: bool,
    /// IPv6 packets, between the ends' IPv6 addresses (default: IPv4)
    #[arg(long)]
    pub ipv6: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour diagnostics
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let how = Load {
        format: MessageFormat::Human,
        color: args.color,
        failed_expects_ok: true,
        quiet_on_success: true,
    };
    let Loaded { src, model, .. } = match load_model(&args.file, how) {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let model = &model;
    let (source, destination) = match (
        resolve_end(model, &args.from, true),
        resolve_end(model, &args.to, false),
    ) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(m), _) | (_, Err(m)) => {
            error(&m);
            return Exit::Usage;
        }
    };
    let (protocol, ports) = match traffic(args.proto, args.port.as_deref()) {
        Ok(t) => t,
        Err(m) => {
            error(&m);
            return Exit::Usage;
        }
    };
    let mut via = Vec::new();
    for name in &args.via {
        match resolve_via(model, name.trim()) {
            Some(v) => via.push(v),
            None => {
                error(&format!("unknown `--via` component `{}`", name.trim()));
                return Exit::Usage;
            }
        }
    }
    let query = Query {
        protocol,
        ports,
        via,
        privately: args.privately,
        ipv6: args.ipv6,
        ..Query::new(source, destination)
    };
    let verdict = reach(model, &query);
    let mut title = format!(
        "{} → {}",
        end_label(model, &query.source),
        end_label(model, &query.destination)
    );
    if let Some(p) = protocol {
        title.push_str(&format!(" {}", p.as_str()));
    }
    if let Some(p) = &args.port {
        title.push_str(&format!(" {p}"));
    }
    if args.ipv6 {
        title.push_str(" ipv6");
    }
    if !args.via.is_empty() {
        title.push_str(&format!(" via {}", args.via.join(", ")));
    }
    if args.privately {
        title.push_str(" privately");
    }
    let out = match args.format {
        Format::Text => text::render(&title, &verdict, &src),
        Format::Json => serde_json::to_string_pretty(&verdict).unwrap_or_default() + "\n",
    };
    write_output(args.output.as_deref(), &out)
}

/// A query's protocol and port range (`None`: any).
pub(super) type Traffic = (Option<ProtocolKind>, Option<(u16, u16)>);

/// `--proto` and `--port` as a query's protocol and ports (shared with
/// `vpcc graph --highlight`).
pub(super) fn traffic(proto: Option<Proto>, port: Option<&str>) -> Result<Traffic, String> {
    let protocol = proto.map(|p| match p {
        Proto::Tcp => ProtocolKind::Tcp,
        Proto::Udp => ProtocolKind::Udp,
        Proto::Icmp => ProtocolKind::Icmp,
        Proto::All => ProtocolKind::All,
    });
    let ports = match port {
        None => None,
        Some(p) => Some(parse_ports(p).ok_or_else(|| {
            format!("invalid port `{p}`: expected N or N-M with 0 ≤ N ≤ M ≤ 65535")
        })?),
    };
    if ports.is_some() && !matches!(protocol, Some(ProtocolKind::Tcp | ProtocolKind::Udp)) {
        return Err("--port needs --proto tcp or --proto udp".to_string());
    }
    Ok((protocol, ports))
}

fn parse_ports(p: &str) -> Option<(u16, u16)> {
    let (a, b) = match p.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let n = p.trim().parse().ok()?;
            (n, n)
        }
    };
    (a <= b).then_some((a, b))
}
