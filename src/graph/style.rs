//! The palette and the DOT building blocks: quoting, labels, attributes,
//! nodes, clusters and edges.

use super::*;

// ---------------------------------------------------------------------------
// Palette. Subnet fills are light so black text stays readable; borders
// carry the hue. A highlighted path is a strong blue and blockers are red
// (a pair that colour-blind readers tell apart); nothing else uses red.

pub(super) const FONT: &str = "Helvetica";
pub(super) const HIGHLIGHT: &str = "#1f6feb";
pub(super) const HIGHLIGHT_PEN: &str = "3";
pub(super) const BLOCKED: &str = "#d1242f";
pub(super) const BLOCKED_FILL: &str = "#ffebe9";
pub(super) const EDGE: &str = "#5f6368";
pub(super) const TEXT: &str = "#202124";

pub(super) struct Fill {
    pub(super) fill: &'static str,
    pub(super) border: &'static str,
}

pub(super) fn subnet_colors(kind: SubnetKind) -> Fill {
    match kind {
        SubnetKind::Public => Fill {
            fill: "#e6f4ea",
            border: "#1e8e3e",
        },
        SubnetKind::Private => Fill {
            fill: "#e8f0fe",
            border: "#1a73e8",
        },
        SubnetKind::Isolated => Fill {
            fill: "#f1f3f4",
            border: "#5f6368",
        },
    }
}

pub(super) const VPC_BORDER: &str = "#8e24aa";
pub(super) const AZ_BORDER: &str = "#9aa0a6";
pub(super) const IGW: Fill = Fill {
    fill: "#ceead6",
    border: "#137333",
};
pub(super) const NAT: Fill = Fill {
    fill: "#feefc3",
    border: "#e37400",
};
pub(super) const ENDPOINT: Fill = Fill {
    fill: "#e0f7fa",
    border: "#00838f",
};
pub(super) const SERVICE: Fill = Fill {
    fill: "#fff3e0",
    border: "#ff9900",
};
pub(super) const PEERING: Fill = Fill {
    fill: "#fff8e1",
    border: "#e37400",
};
pub(super) const INSTANCE: Fill = Fill {
    fill: "#ffffff",
    border: "#3c4043",
};
pub(super) const INTERNET: Fill = Fill {
    fill: "#f1f3f4",
    border: "#3c4043",
};

// ---------------------------------------------------------------------------
// Quoting. Every id and value is a double-quoted DOT string; user text is
// escaped, and label lines are joined with `\n`.

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn quoted(s: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape(s)))
}

/// A centred multi-line label.
pub(super) fn label<S: AsRef<str>>(lines: &[S]) -> Id {
    let body: Vec<String> = lines.iter().map(|l| escape(l.as_ref())).collect();
    Id::Escaped(format!("\"{}\"", body.join("\\n")))
}

pub(super) fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), quoted(v))
}

pub(super) fn attr_id(k: &str, v: Id) -> Attribute {
    Attribute(Id::Plain(k.to_string()), v)
}

pub(super) fn node(id: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(quoted(id), None), attrs))
}

/// A cluster with its label on top: the graph runs bottom to top
/// (`rankdir=BT`), which flips `labelloc`, so "b" is the top edge.
pub(super) fn cluster(id: &str, mut stmts: Vec<Stmt>) -> Stmt {
    stmts.insert(0, gattr("labelloc", "b"));
    Stmt::Subgraph(Subgraph {
        id: quoted(id),
        stmts,
    })
}

pub(super) fn gattr(k: &str, v: &str) -> Stmt {
    Stmt::Attribute(attr(k, v))
}

/// Adds `BLOCKED: REASON` as the last line of a label attribute.
pub(super) fn blocked_label(attrs: &mut [Attribute], mark: &Mark) {
    let reasons: Vec<&str> = mark.reasons.iter().map(|r| r.as_str()).collect();
    let line = escape(&format!("BLOCKED: {}", reasons.join(", ")));
    for a in attrs.iter_mut() {
        if !matches!(&a.0, Id::Plain(k) if k == "label") {
            continue;
        }
        if let Id::Escaped(v) = &a.1
            && let Some(body) = v.strip_suffix('"')
        {
            a.1 = Id::Escaped(format!("{body}\\n{line}\""));
        }
    }
}

pub(super) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn az_label(az: &str) -> String {
    if az.len() <= 2 {
        format!("AZ {az}")
    } else {
        az.to_string()
    }
}

pub(super) fn invisible() -> Vec<Attribute> {
    vec![
        attr("shape", "point"),
        attr("style", "invis"),
        attr("width", "0.01"),
        attr("height", "0.01"),
        attr("label", ""),
    ]
}

pub(super) fn edge(from: &str, to: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(quoted(from), None)),
            Vertex::N(NodeId(quoted(to), None)),
        ),
        attributes: attrs,
    })
}

/// At most four destinations, then "+N more".
pub(super) fn shorten(dests: &[String]) -> Vec<String> {
    if dests.len() <= 4 {
        return dests.to_vec();
    }
    let mut out = dests[..3].to_vec();
    out.push(format!("+{} more", dests.len() - 3));
    out
}

pub(super) fn target_style(t: Target) -> Vec<Attribute> {
    match t {
        Target::InternetGateway(_) | Target::EgressOnlyGateway(_) => {
            vec![attr("color", IGW.border)]
        }
        Target::NatGateway(_) | Target::Instance(_) => vec![attr("color", NAT.border)],
        Target::GatewayEndpoint(_) => vec![attr("color", ENDPOINT.border)],
        Target::Peering(_) | Target::TransitGateway(_) | Target::VpnGateway(_) => {
            vec![attr("color", PEERING.border)]
        }
        Target::Blackhole => vec![attr("color", "#3c4043"), attr("arrowhead", "tee")],
        Target::Local(_) => vec![],
    }
}
