//! `vpcc routes` output: an aligned table of effective routes per subnet,
//! lookups with the reason for every route, and the JSON forms. Pure: the
//! command line only chooses and prints.

use std::fmt::Write as _;

use crate::emit::json::{self as dto, RouteModel};
use crate::model::{EndpointKind, Model, RouteOrigin, SubnetId, Target, TgwRouteOrigin};
use crate::routes::Query;

/// "no subnet `privte-a` in `file`; did you mean `private-a`?"
pub fn unknown_subnet(model: &Model, name: &str) -> String {
    let best = crate::names::did_you_mean(name, model.subnets.iter().map(|s| s.name.as_str()));
    match best {
        Some(n) => format!("no subnet named `{name}`; did you mean `{n}`?"),
        None => {
            let names: Vec<String> = model
                .subnets
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect();
            if names.is_empty() {
                format!("no subnet named `{name}`: the file declares no subnets")
            } else {
                format!(
                    "no subnet named `{name}`; the subnets are {}",
                    names.join(", ")
                )
            }
        }
    }
}

/// The route model as JSON; with `--subnet`, `subnets` holds that one only.
pub fn model_json(model: &Model, subnets: &[SubnetId]) -> String {
    let mut m = RouteModel::from_model(model);
    if subnets.len() != model.subnets.len() {
        let keep: Vec<&str> = subnets
            .iter()
            .map(|s| model.subnet(*s).name.as_str())
            .collect();
        m.subnets.retain(|s| keep.contains(&s.name.as_str()));
    }
    let mut s = serde_json::to_string_pretty(&m).unwrap_or_default();
    s.push('\n');
    s
}

/// The kind column: `NAT gateway`, `gateway endpoint`.
fn target_kind_text(t: Target) -> &'static str {
    match t {
        Target::Local(_) => "local",
        Target::InternetGateway(_) => "internet gateway",
        Target::EgressOnlyGateway(_) => "egress-only internet gateway",
        Target::NatGateway(_) => "NAT gateway",
        Target::Instance(_) => "instance",
        Target::Peering(_) => "peering",
        Target::GatewayEndpoint(_) => "gateway endpoint",
        Target::TransitGateway(_) => "transit gateway",
        Target::VpnGateway(_) => "virtual private gateway",
        Target::Blackhole => "blackhole",
    }
}

fn origin_text(o: RouteOrigin) -> &'static str {
    match o {
        RouteOrigin::Local => "VPC CIDR",
        RouteOrigin::Written => "written",
        RouteOrigin::GatewayEndpoint => "endpoint",
        RouteOrigin::Propagated => "propagated (VPN)",
    }
}

/// Rows padded to aligned columns (the last column unpadded), each line
/// indented by `indent`.
fn aligned(indent: &str, rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c].saturating_sub(cell.chars().count()) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `subnet private-a  10.0.2.0/24  az ap-northeast-2a  vpc main`
fn subnet_header(model: &Model, id: SubnetId) -> String {
    let s = model.subnet(id);
    let az = s.az.as_deref().unwrap_or("none");
    let v6 = s.ipv6.map(|n| format!("  ipv6 {n}")).unwrap_or_default();
    format!(
        "subnet {}  {}{v6}  az {}  vpc {}\n",
        s.name,
        s.cidr,
        az,
        model.vpc(s.vpc).name
    )
}

/// `private`, `rt (the VPC's main table)`, `main (implicit main table)`.
fn table_label(model: &Model, id: SubnetId) -> String {
    let s = model.subnet(id);
    let t = model.route_table(s.route_table);
    if t.span.is_none() {
        format!(
            "{} (the VPC's implicit main table: only local routes)",
            t.name
        )
    } else if !s.explicit_route_table {
        format!("{} (the VPC's main table; no explicit association)", t.name)
    } else {
        t.name.clone()
    }
}

pub fn table_text(model: &Model, subnets: &[SubnetId]) -> String {
    let mut out = String::new();
    for (n, &id) in subnets.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let s = model.subnet(id);
        out.push_str(&subnet_header(model, id));
        let _ = writeln!(
            out,
            "  kind:        {} ({})",
            s.kind.as_str(),
            s.kind_reason
        );
        if let Some((kind, reason)) = &s.ipv6_kind {
            let _ = writeln!(out, "  ipv6 kind:   {} ({reason})", kind.as_str());
        }
        let _ = writeln!(out, "  route table: {}", table_label(model, id));
        let mut rows = vec![vec![
            "destination".to_string(),
            "target".to_string(),
            "kind".to_string(),
            "origin".to_string(),
        ]];
        let table = model.route_table(s.route_table);
        for r in &table.routes {
            rows.push(vec![
                crate::routes::dest_text(model, r.destination),
                model.target_name(r.target).to_string(),
                target_kind_text(r.target).to_string(),
                origin_text(r.origin).to_string(),
            ]);
        }
        for r in &table.routes6 {
            rows.push(vec![
                r.destination.to_string(),
                model.target_name(r.target).to_string(),
                target_kind_text(r.target).to_string(),
                origin_text(r.origin).to_string(),
            ]);
        }
        out.push_str(&aligned("  ", &rows));
    }
    out
}

/// Every transit gateway's route tables in match order, propagated routes
/// marked (`vpcc routes` prints them after the subnets).
pub fn tgw_text(model: &Model) -> String {
    let mut out = String::new();
    for t in &model.transit_gateways {
        for rt in &t.route_tables {
            let table = model.tgw_route_table(*rt);
            let names = |ids: &[crate::model::TgwAttachmentId]| {
                let v: Vec<&str> = ids
                    .iter()
                    .map(|a| model.tgw_attachment(*a).name.as_str())
                    .collect();
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            };
            let _ = writeln!(
                out,
                "\ntransit gateway {} route table {}",
                t.name, table.name
            );
            let _ = writeln!(out, "  associations: {}", names(&table.associations));
            let _ = writeln!(out, "  propagations: {}", names(&table.propagations));
            let mut rows = vec![vec![
                "destination".to_string(),
                "target".to_string(),
                "origin".to_string(),
            ]];
            for r in &table.routes {
                let target = match r.target {
                    crate::model::TgwTarget::Attachment(a) => model.tgw_attachment(a).label(),
                    crate::model::TgwTarget::Blackhole => "blackhole".to_string(),
                };
                rows.push(vec![
                    crate::routes::dest_text(model, r.destination),
                    target.replace('`', ""),
                    match r.origin {
                        TgwRouteOrigin::Static => "static",
                        TgwRouteOrigin::PrefixList => "prefix list",
                        TgwRouteOrigin::PropagatedVpc => "propagated (VPC)",
                        TgwRouteOrigin::PropagatedVpn => "propagated (VPN)",
                    }
                    .to_string(),
                ]);
            }
            out.push_str(&aligned("  ", &rows));
        }
    }
    out
}

/// What an address is in the file: "instance `app` in private-a".
fn address_owner(model: &Model, q: Query) -> Option<String> {
    let Query::Address(a) = q else { return None };
    if let Some(i) = model.instances.iter().find(|i| i.address == a) {
        return Some(format!(
            "instance `{}` in {}",
            i.name,
            model.subnet(i.subnet).name
        ));
    }
    if let Some(n) = model.nat_gateways.iter().find(|n| n.address == a) {
        return Some(format!(
            "NAT gateway `{}` in {}",
            n.name,
            model.subnet(n.subnet).name
        ));
    }
    for e in &model.endpoints {
        if let EndpointKind::Interface { interfaces, .. } = &e.kind
            && let Some(i) = interfaces.iter().find(|i| i.address == a)
        {
            return Some(format!(
                "endpoint `{}` in {}",
                e.name,
                model.subnet(i.subnet).name
            ));
        }
    }
    for s in &model.subnets {
        if let Some(role) = s.reserved.role(a) {
            return Some(format!("the {role} of {}", s.name));
        }
    }
    None
}

pub fn lookup_text(model: &Model, subnets: &[SubnetId], q: Query) -> String {
    let mut out = String::new();
    let owner = address_owner(model, q)
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    for (n, &id) in subnets.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let s = model.subnet(id);
        let table = model.route_table(s.route_table);
        let _ = writeln!(
            out,
            "lookup {}{owner} from subnet {} ({}), route table {}",
            q.text(),
            s.name,
            s.cidr,
            table.name
        );
        if let Query::Address(a) = q
            && s.cidr.contains(&a)
        {
            let _ = writeln!(
                out,
                "  note: {a} is in {} itself: delivered directly, the route table is not consulted",
                s.name
            );
        }
        let decision = crate::routes::lookup(table, q);
        let winner = decision.chosen.map(|i| &table.routes[i]);
        let mut rows = Vec::new();
        match winner {
            Some(w) => rows.push(vec![
                "chosen".to_string(),
                format!(
                    "{}: {}; {}",
                    crate::routes::route_text(model, w),
                    crate::routes::chosen_reason(w, q),
                    crate::routes::outcome(model, w)
                ),
            ]),
            None => rows.push(vec![
                "chosen".to_string(),
                format!(
                    "none: no route matches, so traffic to {} is dropped",
                    q.text()
                ),
            ]),
        }
        for &(i, why) in &decision.others {
            let r = &table.routes[i];
            rows.push(vec![
                "lost".to_string(),
                format!(
                    "{}: {}",
                    crate::routes::route_text(model, r),
                    crate::routes::loser_reason(r, why, winner, q)
                ),
            ]);
        }
        out.push_str(&aligned("  ", &rows));
    }
    out
}

pub fn lookup_json(model: &Model, subnets: &[SubnetId], q: Query) -> String {
    let lookups: Vec<dto::LookupJson> = subnets
        .iter()
        .map(|&id| dto::LookupJson::new(model, id, q))
        .collect();
    let report = dto::LookupReport {
        version: dto::VERSION,
        query: q.arg(),
        lookups,
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}
