//! The causes side of a diff: which declared resources changed, and how.
//!
//! Each resource of a model is described by its kind, its VPC, its name and
//! a list of facts written as `.vpc` statements (`ingress tcp 22 from
//! admin`, `route 0.0.0.0/0 -> nat-a`, `route_table public`). Two models
//! are compared resource by resource: one only the new model has is added,
//! one only the old has is removed, and one whose facts differ is changed,
//! with the facts added and removed. Facts are compared as sets, so
//! reordering statements changes nothing, and implicit objects (the main
//! table, the default group and ACL) take part like written ones, since a
//! change to the VPC can change them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{EndpointKind, Model, SecurityGroupId, SubnetId, ViaComponent};

/// One resource that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceChange {
    /// `vpc`, `subnet`, `route_table`, `security_group`, `network_acl`,
    /// `instance`, `nat_gateway`, `internet_gateway`, `vpn_gateway`, `endpoint`,
    /// `peering`, `external`, `prefix_list`, `transit_gateway` or `expect`.
    pub kind: String,
    /// The VPC it belongs to (`None` for externals, prefix lists, peerings
    /// and expects).
    pub vpc: Option<String>,
    /// Its name; for an `expect`, the statement itself.
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// Facts the new model has and the old does not, as `.vpc` statements.
    pub added: Vec<String>,
    /// Facts the old model has and the new does not.
    pub removed: Vec<String>,
}

/// The kinds in the order a reviewer reads them: the things traffic meets
/// first, the expectations last.
const KINDS: [&str; 15] = [
    "vpc",
    "subnet",
    "route_table",
    "security_group",
    "network_acl",
    "instance",
    "nat_gateway",
    "internet_gateway",
    "vpn_gateway",
    "endpoint",
    "peering",
    "external",
    "prefix_list",
    "transit_gateway",
    "expect",
];

type Key = (usize, Option<String>, String);

/// What changed between the resources of `old` and `new`, in kind order,
/// then VPC, then name.
pub fn changes(old: &Model, new: &Model) -> Vec<ResourceChange> {
    let a = inventory(old);
    let b = inventory(new);
    let mut keys: Vec<&Key> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let (change, added, removed) = match (a.get(key), b.get(key)) {
            (None, Some(facts)) => ("added", facts.clone(), Vec::new()),
            (Some(facts), None) => ("removed", Vec::new(), facts.clone()),
            (Some(x), Some(y)) => {
                let added: Vec<String> = y.iter().filter(|f| !x.contains(f)).cloned().collect();
                let removed: Vec<String> = x.iter().filter(|f| !y.contains(f)).cloned().collect();
                if added.is_empty() && removed.is_empty() {
                    continue;
                }
                ("changed", added, removed)
            }
            (None, None) => continue,
        };
        out.push(ResourceChange {
            kind: KINDS[key.0].to_string(),
            vpc: key.1.clone(),
            name: key.2.clone(),
            change: change.to_string(),
            added,
            removed,
        });
    }
    out
}

/// Every resource of `m` with its facts, sorted and deduplicated.
fn inventory(m: &Model) -> BTreeMap<Key, Vec<String>> {
    let mut out: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    let mut put = |kind: &str, vpc: Option<&str>, name: &str, facts: Vec<String>| {
        let k = KINDS.iter().position(|x| *x == kind).unwrap_or(0);
        let entry = out
            .entry((k, vpc.map(str::to_string), name.to_string()))
            .or_default();
        entry.extend(facts);
        entry.sort();
        entry.dedup();
    };
    let vpc_of = |id: crate::model::VpcId| m.vpc(id).name.as_str();
    let group_list = |ids: &[SecurityGroupId]| -> String {
        let names: Vec<&str> = ids
            .iter()
            .map(|g| m.security_group(*g).name.as_str())
            .collect();
        format!("[{}]", names.join(", "))
    };
    let subnet_list = |ids: &mut dyn Iterator<Item = SubnetId>| -> String {
        let names: Vec<&str> = ids.map(|s| m.subnet(s).name.as_str()).collect();
        format!("[{}]", names.join(", "))
    };
    for v in &m.vpcs {
        let mut facts: Vec<String> = v.cidrs.iter().map(|c| format!("cidr {c}")).collect();
        facts.extend(v.ipv6_cidrs.iter().map(|c| format!("ipv6 {c}")));
        facts.push(format!("dns_support {}", on_off(v.dns_support)));
        facts.push(format!("dns_hostnames {}", on_off(v.dns_hostnames)));
        if let Some(d) = &v.dhcp.domain_name {
            facts.push(format!("domain_name \"{d}\""));
        }
        let servers: Vec<String> = v
            .dhcp
            .amazon_provided_dns
            .then(|| "AmazonProvidedDNS".to_string())
            .into_iter()
            .chain(v.dhcp.name_servers.iter().map(|a| a.to_string()))
            .collect();
        if !servers.is_empty() {
            facts.push(format!("name_servers [{}]", servers.join(", ")));
        }
        if !v.dhcp.ntp_servers.is_empty() {
            let ntp: Vec<String> = v.dhcp.ntp_servers.iter().map(|a| a.to_string()).collect();
            facts.push(format!("ntp_servers [{}]", ntp.join(", ")));
        }
        put("vpc", None, &v.name, facts);
    }
    for s in &m.subnets {
        let mut facts = vec![
            format!("cidr {}", s.cidr),
            format!("route_table {}", m.route_table(s.route_table).name),
            format!("network_acl {}", m.network_acl(s.network_acl).name),
        ];
        if let Some(az) = &s.az {
            facts.push(format!("az {az}"));
        }
        if s.public_ip_on_launch {
            facts.push("public_ip_on_launch".to_string());
        }
        if let Some(v6) = s.ipv6 {
            facts.push(format!("ipv6 {v6}"));
        }
        put("subnet", Some(vpc_of(s.vpc)), &s.name, facts);
    }
    for t in &m.route_tables {
        let mut facts: Vec<String> = t
            .routes
            .iter()
            .filter(|r| r.origin != crate::model::RouteOrigin::Propagated)
            .map(|r| {
                // A prefix list's route is one fact, however many entries.
                let dest = match r.destination {
                    crate::model::Destination::ListEntry(l, _) => m.prefix_list(l).name.clone(),
                    d => crate::routes::dest_text(m, d),
                };
                format!("route {dest} -> {}", m.target_name(r.target))
            })
            .collect();
        if t.main {
            facts.push("main".to_string());
        }
        // What a propagation adds is the gateway's to say (its VPNs).
        if let Some(r) = t
            .routes
            .iter()
            .find(|r| r.origin == crate::model::RouteOrigin::Propagated)
        {
            facts.push(format!("propagate {}", m.target_name(r.target)));
        }
        put("route_table", Some(vpc_of(t.vpc)), &t.name, facts);
    }
    for g in &m.security_groups {
        let mut facts: Vec<String> = g.rules.iter().map(|r| m.sg_rule_text(r)).collect();
        if g.default_egress {
            facts.push("egress all to internet (the default)".to_string());
        }
        put("security_group", Some(vpc_of(g.vpc)), &g.name, facts);
    }
    for a in &m.network_acls {
        let facts: Vec<String> = a
            .inbound
            .iter()
            .map(|r| r.text(true))
            .chain(a.outbound.iter().map(|r| r.text(false)))
            .collect();
        put("network_acl", Some(vpc_of(a.vpc)), &a.name, facts);
    }
    for i in &m.instances {
        let subnet = m.subnet(i.subnet);
        let mut facts = vec![
            format!("subnet {}", subnet.name),
            format!("address {}", i.address),
            format!("security_groups {}", group_list(&i.security_groups)),
        ];
        if i.public_ip {
            facts.push("public_ip".to_string());
        }
        if !i.source_dest_check {
            facts.push("source_dest_check off".to_string());
        }
        if let Some(a) = i.ipv6 {
            facts.push(format!("ipv6 {a}"));
        }
        put("instance", Some(vpc_of(subnet.vpc)), &i.name, facts);
    }
    for n in &m.nat_gateways {
        let subnet = m.subnet(n.subnet);
        let mut facts = vec![
            format!("subnet {}", subnet.name),
            format!("address {}", n.address),
        ];
        if n.private {
            facts.push("private".to_string());
        }
        put("nat_gateway", Some(vpc_of(subnet.vpc)), &n.name, facts);
    }
    for g in &m.vpn_gateways {
        let facts = g
            .vpns
            .iter()
            .map(|v| {
                let routes: Vec<String> = v.routes.iter().map(|r| r.to_string()).collect();
                format!(
                    "vpn {} to {} routes [{}]",
                    v.name,
                    m.external(v.external).name,
                    routes.join(", ")
                )
            })
            .collect();
        put("vpn_gateway", Some(vpc_of(g.vpc)), &g.name, facts);
    }
    for g in &m.internet_gateways {
        put("internet_gateway", Some(vpc_of(g.vpc)), &g.name, Vec::new());
    }
    for e in &m.endpoints {
        let mut facts = Vec::new();
        match &e.kind {
            EndpointKind::Gateway { route_tables } => {
                facts.push(format!("gateway {}", e.service));
                let names: Vec<&str> = route_tables
                    .iter()
                    .map(|t| m.route_table(*t).name.as_str())
                    .collect();
                facts.push(format!("route_tables [{}]", names.join(", ")));
            }
            EndpointKind::Interface {
                interfaces,
                security_groups,
                private_dns,
            } => {
                facts.push(format!("interface {}", e.service));
                facts.push(format!(
                    "subnets {}",
                    subnet_list(&mut interfaces.iter().map(|i| i.subnet))
                ));
                facts.push(format!("security_groups {}", group_list(security_groups)));
                facts.push(format!("private_dns {}", on_off(*private_dns)));
            }
        }
        put("endpoint", Some(vpc_of(e.vpc)), &e.name, facts);
    }
    for p in &m.peerings {
        let (a, b) = (vpc_of(p.a), vpc_of(p.b));
        put(
            "peering",
            None,
            &p.name,
            vec![format!("peering {a} <-> {b}")],
        );
    }
    for x in &m.externals {
        let cidrs: Vec<String> = x.cidrs.iter().map(|c| c.to_string()).collect();
        let mut facts = vec![format!("cidrs {}", cidrs.join(", "))];
        if x.on_premises {
            facts.push("on_premises".to_string());
        }
        put("external", None, &x.name, facts);
    }
    for l in &m.prefix_lists {
        let mut facts: Vec<String> = l.entries.iter().map(|c| format!("entry {c}")).collect();
        facts.push(format!("max_entries {}", l.max_entries));
        put("prefix_list", None, &l.name, facts);
    }
    for t in &m.transit_gateways {
        let mut facts = Vec::new();
        if t.sg_referencing {
            facts.push("security_group_referencing on".to_string());
        }
        for a in &t.attachments {
            let att = m.tgw_attachment(*a);
            let table = &m.tgw_route_table(att.route_table).name;
            facts.push(match &att.kind {
                crate::model::TgwAttachmentKind::Vpc { vpc, subnets } => {
                    let subnets: Vec<&str> =
                        subnets.iter().map(|s| m.subnet(*s).name.as_str()).collect();
                    format!(
                        "attach {} vpc {} subnets [{}] route_table {table}",
                        att.name,
                        m.vpc(*vpc).name,
                        subnets.join(", ")
                    )
                }
                crate::model::TgwAttachmentKind::Vpn { external, routes } => {
                    let routes: Vec<String> = routes.iter().map(|c| c.to_string()).collect();
                    format!(
                        "vpn {} to {} routes [{}] route_table {table}",
                        att.name,
                        m.external(*external).name,
                        routes.join(", ")
                    )
                }
            });
        }
        for rt in &t.route_tables {
            let table = m.tgw_route_table(*rt);
            for r in &table.routes {
                facts.push(format!(
                    "route_table {}: route {} -> {}{}",
                    table.name,
                    crate::routes::dest_text(m, r.destination),
                    m.tgw_target_name(r.target),
                    if r.propagated() { " (propagated)" } else { "" }
                ));
            }
        }
        put("transit_gateway", None, &t.name, facts);
    }
    for e in &m.expects {
        put("expect", None, &expect_text(m, e), Vec::new());
    }
    out
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// An `expect` as a statement, from the model (so layout and comments do
/// not count): `expect admin can reach bastion tcp 22`.
pub fn expect_text(m: &Model, e: &crate::model::Expect) -> String {
    let mut s = format!(
        "expect {} {} {}",
        crate::reach::end_name(m, &e.source),
        if e.can { "can reach" } else { "cannot reach" },
        crate::reach::end_name(m, &e.destination)
    );
    if let Some(p) = e.protocol {
        s.push(' ');
        s.push_str(p.as_str());
    }
    match e.ports {
        Some((a, b)) if a == b => s.push_str(&format!(" {a}")),
        Some((a, b)) => s.push_str(&format!(" {a}-{b}")),
        None => {}
    }
    if !e.via.is_empty() {
        let names: Vec<&str> = e.via.iter().map(|(c, _)| via_name(m, *c)).collect();
        s.push_str(&format!(" via {}", names.join(", ")));
    }
    if e.privately {
        s.push_str(" privately");
    }
    s
}

fn via_name(m: &Model, c: ViaComponent) -> &str {
    match c {
        ViaComponent::Instance(i) => &m.instance(i).name,
        ViaComponent::NatGateway(n) => &m.nat_gateway(n).name,
        ViaComponent::InternetGateway(g) => &m.internet_gateway(g).name,
        ViaComponent::EgressOnlyGateway(g) => &m.egress_only_gateway(g).name,
        ViaComponent::Endpoint(e) => &m.endpoint(e).name,
        ViaComponent::Peering(p) => &m.peering(p).name,
        ViaComponent::Subnet(s) => &m.subnet(s).name,
        ViaComponent::RouteTable(t) => &m.route_table(t).name,
        ViaComponent::TransitGateway(t) => &m.transit_gateway(t).name,
        ViaComponent::VpnGateway(g) => &m.vpn_gateway(g).name,
    }
}
