//! Warnings W0601–W0608, W0611–W0614 (W0615 is raised in `vgw.rs`): the file compiles, but something is probably not
//! what the author meant. They run on a complete model.

use super::VpcSrc;
use super::names::Names;
use crate::diag::{Code, Diagnostic};
use crate::model::{Destination, EndpointKind, Model, RouteOrigin, SgPeer, SgRule, Target};
use crate::routes;
use crate::source::Span;
use crate::syntax::ast::{Direction, ProtocolKind};

/// What the warnings need besides the model: where names and VPC settings
/// are written, so that labels sit on the exact token.
struct Src<'a> {
    names: &'a Names,
    vpcs: &'a [VpcSrc],
}

impl Src<'_> {
    /// The span of a declared name, or `whole` (the declaration) when the
    /// object is implicit.
    fn name(&self, name: &str, whole: Span) -> Span {
        self.names.get(name).map_or(whole, |d| d.span)
    }
}

pub fn check(m: &Model, names: &Names, vpcs: &[VpcSrc]) -> Vec<Diagnostic> {
    let src = Src { names, vpcs };
    let mut out = Vec::new();
    public_nat_without_igw(m, &src, &mut out);
    admin_ports_open(m, &mut out);
    unused_route_tables(m, &src, &mut out);
    source_dest_check_on(m, &src, &mut out);
    cross_az_nat(m, &src, &mut out);
    private_dns_without_amazon_dns(m, &src, &mut out);
    private_externals(m, &src, &mut out);
    mixed_name_servers(m, &src, &mut out);
    quotas(m, &mut out);
    list_entry_conflicts(m, &mut out);
    tgw_overlaps(m, &mut out);
    unusable_routes(m, &mut out);
    out
}

/// The more specific routes that cover all of `n`, when they do: the
/// blocks of `earlier` strictly inside `n`.
fn shadowed_by(
    n: ipnet::Ipv4Net,
    earlier: impl Iterator<Item = ipnet::Ipv4Net>,
) -> Option<Vec<ipnet::Ipv4Net>> {
    use crate::reach::sets::{Intervals, net};
    let inside: Vec<ipnet::Ipv4Net> = earlier
        .filter(|m| m.prefix_len() > n.prefix_len() && n.contains(&m.network()))
        .collect();
    let mut covered = Intervals::empty();
    for m in &inside {
        covered = covered.union(&net(*m));
    }
    covered.contains_all(&net(n)).then_some(inside)
}

/// W0614: a written route that no address ever takes: more specific routes
/// of the same table cover its whole block (longest prefix wins, in VPC
/// and transit gateway tables alike).
fn unusable_routes(m: &Model, out: &mut Vec<Diagnostic>) {
    let mut warn = |span: Span, n: ipnet::Ipv4Net, table: &str, inside: Vec<ipnet::Ipv4Net>| {
        let shown: Vec<String> = inside.iter().take(4).map(|c| c.to_string()).collect();
        let more = if inside.len() > 4 { ", ..." } else { "" };
        out.push(
            Diagnostic::new(
                Code::W0614,
                format!("the route to {n} in route table `{table}` is never used"),
                span,
                "more specific routes cover all of it",
            )
            .with_note(format!(
                "{}{more} cover {n}, and the longest prefix wins",
                shown.join(", ")
            ))
            .with_help(
                "remove the route, or the more specific ones if this one is meant to decide",
            ),
        );
    };
    for t in &m.route_tables {
        for (i, r) in t.routes.iter().enumerate() {
            let (Some(n), Some(span), RouteOrigin::Written) =
                (r.destination.net(), r.span, r.origin)
            else {
                continue;
            };
            if let Some(inside) =
                shadowed_by(n, t.routes[..i].iter().filter_map(|o| o.destination.net()))
            {
                warn(span, n, &t.name, inside);
            }
        }
    }
    for t in &m.tgw_route_tables {
        for (i, r) in t.routes.iter().enumerate() {
            let Some(n) = r.destination.net() else {
                continue;
            };
            if r.propagated() {
                continue;
            }
            if let Some(inside) =
                shadowed_by(n, t.routes[..i].iter().filter_map(|o| o.destination.net()))
            {
                warn(r.span, n, &t.name, inside);
            }
        }
    }
}

/// W0613: two attachments of one transit gateway with overlapping CIDRs
/// (VPC blocks, VPN routes) that no one table learns both of (that is
/// E0419). Routing works today, but the two networks can never talk to
/// each other, and propagating both into one table later is refused.
fn tgw_overlaps(m: &Model, out: &mut Vec<Diagnostic>) {
    for t in &m.transit_gateways {
        let mut seen: Vec<(ipnet::Ipv4Net, crate::model::TgwAttachmentId)> = Vec::new();
        for a in &t.attachments {
            let att = m.tgw_attachment(*a);
            for net in att.propagated_cidrs(m) {
                let Some((other, oa)) = seen
                    .iter()
                    .find(|(o, oa)| oa != a && (o.contains(net) || net.contains(o)))
                else {
                    continue;
                };
                let both_learned = t.route_tables.iter().any(|rt| {
                    let p = &m.tgw_route_table(*rt).propagations;
                    p.contains(a) && p.contains(oa)
                });
                if both_learned {
                    continue;
                }
                let first = m.tgw_attachment(*oa);
                out.push(
                    Diagnostic::new(
                        Code::W0613,
                        format!(
                            "{} and {} of transit gateway `{}` overlap: {other} and {net}",
                            first.label(),
                            att.label(),
                            t.name
                        ),
                        att.span,
                        format!("{net} overlaps {other}"),
                    )
                    .with_secondary(first.span, format!("{other} is here"))
                    .with_note("no table of the gateway learns both, so routing is not ambiguous yet; but these two networks can never reach each other through it, and a table propagating both is refused (E0419)")
                    .with_help("renumber one of them before they need to talk"),
                );
                break;
            }
            seen.extend(att.propagated_cidrs(m).iter().map(|n| (*n, *a)));
        }
    }
}

/// AWS's default quotas (Amazon VPC quotas, aws-facts.md §2, §7, §8): all
/// adjustable, hence warnings.
const ROUTES_PER_TABLE: usize = 50;
const RULES_PER_GROUP: usize = 60;
const RULES_PER_ACL: usize = 20;
/// Propagated routes per route table (aws-facts.md §2: not adjustable, but
/// a warning like the others: the file still compiles).
const PROPAGATED_PER_TABLE: usize = 100;

/// What a security group rule costs against its group's quota: one per
/// CIDR, a prefix list its `max_entries`.
fn sg_rule_cost(m: &Model, r: &SgRule) -> usize {
    match &r.peer {
        SgPeer::External(x) => m.external(*x).cidrs.len().max(1),
        SgPeer::PrefixList(l) => m.prefix_list(*l).max_entries as usize,
        _ => 1,
    }
}

/// One W0611 for a list of (span, cost) in written order whose total
/// passes `quota`: on the item that crosses it.
fn over_quota(
    items: &mut [(Span, usize, bool)],
    quota: usize,
    what: String,
    unit: &str,
    out: &mut Vec<Diagnostic>,
) {
    let total: usize = items.iter().map(|i| i.1).sum();
    if total <= quota {
        return;
    }
    items.sort_by_key(|i| i.0.start);
    let mut sum = 0;
    let Some(&(span, cost, list)) = items.iter().find(|i| {
        sum += i.1;
        sum > quota
    }) else {
        return;
    };
    let label = if list {
        format!("a prefix list counts as its max_entries: {cost} {unit}")
    } else {
        format!("{sum} {unit} with this one, of at most {quota}")
    };
    out.push(
        Diagnostic::new(
            Code::W0611,
            format!("{what} needs {total} {unit}, past AWS's default quota of {quota}"),
            span,
            label,
        )
        .with_note("AWS refuses the routes or rules past the quota; it counts a prefix list reference as the list's max_entries, however many entries it holds now, and an external as one per CIDR")
        .with_help("lower the prefix lists' max_entries, split the table or group, or ask AWS to raise the quota (then `# vpcc: allow W0611`)"),
    );
}

/// W0611: routes per table, rules per group and direction, ACL rules per
/// direction, counted as AWS counts them.
fn quotas(m: &Model, out: &mut Vec<Diagnostic>) {
    for t in &m.route_tables {
        if t.span.is_none() {
            continue;
        }
        let mut items: Vec<(Span, usize, bool)> = Vec::new();
        let mut seen_lists = Vec::new();
        for r in &t.routes {
            let Some(span) = r.span.filter(|_| r.origin == RouteOrigin::Written) else {
                continue;
            };
            match r.destination {
                Destination::ListEntry(l, _) if seen_lists.contains(&l) => {}
                Destination::ListEntry(l, _) => {
                    seen_lists.push(l);
                    items.push((span, m.prefix_list(l).max_entries as usize, true));
                }
                _ => items.push((span, 1, false)),
            }
        }
        over_quota(
            &mut items,
            ROUTES_PER_TABLE,
            format!("route table `{}`", t.name),
            "routes",
            out,
        );
        let propagated: Vec<Span> = t
            .routes
            .iter()
            .filter(|r| r.origin == RouteOrigin::Propagated)
            .filter_map(|r| r.span)
            .collect();
        if let Some(&span) = propagated.first()
            && propagated.len() > PROPAGATED_PER_TABLE
        {
            out.push(
                Diagnostic::new(
                    Code::W0611,
                    format!(
                        "route table `{}` learns {} propagated routes, past AWS's quota of {PROPAGATED_PER_TABLE}",
                        t.name,
                        propagated.len()
                    ),
                    span,
                    format!("{} routes from the gateway's VPNs", propagated.len()),
                )
                .with_note("AWS keeps at most 100 propagated routes in a route table, a quota it does not raise")
                .with_help("summarise the on-premises ranges into fewer, larger routes"),
            );
        }
    }
    for g in &m.security_groups {
        for (dir, word) in [(Direction::In, "inbound"), (Direction::Out, "outbound")] {
            let mut items: Vec<(Span, usize, bool)> = g
                .rules
                .iter()
                .filter(|r| r.direction == dir)
                .filter_map(|r| {
                    let list = matches!(r.peer, SgPeer::PrefixList(_));
                    r.span.map(|s| (s, sg_rule_cost(m, r), list))
                })
                .collect();
            over_quota(
                &mut items,
                RULES_PER_GROUP,
                format!("security group `{}`", g.name),
                &format!("{word} rules"),
                out,
            );
        }
    }
    for a in &m.network_acls {
        for (rules, word) in [(&a.inbound, "inbound"), (&a.outbound, "outbound")] {
            let mut items: Vec<(Span, usize, bool)> = rules
                .iter()
                .filter_map(|r| r.span.map(|s| (s, r.cidrs.len().max(1), false)))
                .collect();
            over_quota(
                &mut items,
                RULES_PER_ACL,
                format!("network ACL `{}`", a.name),
                &format!("{word} rules"),
                out,
            );
        }
    }
}

/// W0612: one block in two prefix lists of one table, to different
/// targets, with no written route for the block to settle it. AWS picks
/// one at random (route-tables-priority.html); vpcc takes the first
/// written.
fn list_entry_conflicts(m: &Model, out: &mut Vec<Diagnostic>) {
    for t in &m.route_tables {
        for (i, r) in t.routes.iter().enumerate() {
            let Destination::ListEntry(l, net) = r.destination else {
                continue;
            };
            if t.routes
                .iter()
                .any(|o| o.destination == Destination::Cidr(net))
            {
                continue;
            }
            let Some(first) = t.routes[..i].iter().find(|o| {
                matches!(o.destination, Destination::ListEntry(ol, on) if on == net && ol != l)
                    && o.target != r.target
            }) else {
                continue;
            };
            let (Some(span), Some(first_span)) = (r.span, first.span) else {
                continue;
            };
            let Destination::ListEntry(fl, _) = first.destination else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Code::W0612,
                    format!(
                        "{net} is in prefix lists `{}` and `{}`, which route table `{}` sends to different targets",
                        m.prefix_list(fl).name,
                        m.prefix_list(l).name,
                        t.name
                    ),
                    span,
                    format!("{net} → {}", m.target_name(r.target)),
                )
                .with_secondary(first_span, format!("{net} → {}", m.target_name(first.target)))
                .with_note("AWS documents no order between two prefix-list routes for one block and picks one at random; vpcc takes the route written first")
                .with_help(format!("keep {net} in one of the lists, or write `route {net} -> TARGET`, which takes priority over both")),
            );
        }
    }
}

/// W0601
fn public_nat_without_igw(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for n in &m.nat_gateways {
        if n.private || routes::egress_via_igw(m, n.subnet) {
            continue;
        }
        let s = m.subnet(n.subnet);
        let t = m.route_table(s.route_table);
        let mut d = Diagnostic::new(
            Code::W0601,
            format!("public NAT gateway `{}` is in subnet `{}`, which has no route to an internet gateway", n.name, s.name),
            src.name(&n.name, n.span),
            "this NAT gateway cannot reach the internet",
        )
        .with_secondary(src.name(&s.name, s.span), format!("`{}` uses route table `{}`", s.name, t.name))
        .with_note("a public NAT gateway must be created in a public subnet: it sends translated traffic by its own subnet's route table, to the internet gateway")
        .with_help("place the NAT gateway in a public subnet (0.0.0.0/0 -> internet gateway), or mark it `private`");
        if let Some(sp) = t.span {
            d = d.with_secondary(
                src.name(&t.name, sp),
                format!(
                    "route table `{}` has no route to an internet gateway",
                    t.name
                ),
            );
        }
        out.push(d);
    }
}

/// W0602
fn admin_ports_open(m: &Model, out: &mut Vec<Diagnostic>) {
    for g in &m.security_groups {
        for r in &g.rules {
            let Some(span) = r.span else { continue };
            let whole = match &r.peer {
                SgPeer::Internet => true,
                SgPeer::Cidr(c) => c.prefix_len() == 0,
                SgPeer::Cidr6(c) => c.prefix_len() == 0,
                SgPeer::External(e) => m
                    .externals
                    .get(e.index())
                    .is_some_and(|x| x.cidrs.iter().any(|c| c.prefix_len() == 0)),
                _ => false,
            };
            if r.direction != Direction::In
                || !whole
                || matches!(r.protocol, ProtocolKind::Udp | ProtocolKind::Icmp)
            {
                continue;
            }
            let covers = |p: u16| r.ports.is_none_or(|(a, b)| a <= p && p <= b);
            let open: Vec<&str> = [(22u16, "SSH (port 22)"), (3389, "RDP (port 3389)")]
                .iter()
                .filter(|(p, _)| covers(*p))
                .map(|(_, what)| *what)
                .collect();
            let all = if matches!(r.peer, SgPeer::Cidr6(_)) {
                "::/0"
            } else {
                "0.0.0.0/0"
            };
            if !open.is_empty() {
                out.push(
                    Diagnostic::new(Code::W0602, format!("security group `{}` opens {} to the whole internet", g.name, open.join(" and ")), span, format!("allows {all}"))
                        .with_note(format!("AWS advises restricting SSH and RDP to known ranges, never {all}"))
                        .with_help("allow an `external` range (an office, a VPN) or a bastion's security group instead"),
                );
            }
        }
    }
}

/// W0603
fn unused_route_tables(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for (i, t) in m.route_tables.iter().enumerate() {
        let Some(span) = t.span else { continue };
        let named_by_endpoint = m.endpoints.iter().any(|e| matches!(&e.kind, EndpointKind::Gateway { route_tables } if route_tables.iter().any(|r| r.index() == i)));
        if t.subnets.is_empty() && !named_by_endpoint && !t.main {
            out.push(
                Diagnostic::new(Code::W0603, format!("route table `{}` is not used by any subnet or endpoint", t.name), src.name(&t.name, span), "no subnet or endpoint uses this table")
                    .with_note("a subnet without `route_table` uses the VPC's main route table; a table nobody is associated with routes nothing")
                    .with_help(format!("associate it with `route_table {}` in a subnet, mark it `main`, or remove it", t.name)),
            );
        }
    }
}

/// W0604
fn source_dest_check_on(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for i in m.route_targets() {
        // The first route that sends traffic to it.
        let first = m.route_tables.iter().find_map(|t| {
            t.routes
                .iter()
                .find(|r| r.target == Target::Instance(i))
                .map(|r| (t, r))
        });
        if let Some((t, r)) = first {
            let inst = m.instance(i);
            if !inst.source_dest_check {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::W0604,
                format!("instance `{}` is a route target but its source/destination check is on", inst.name),
                src.name(&inst.name, inst.span),
                "source_dest_check is on (the default)",
            )
                .with_note("an instance forwards traffic for others (as a NAT instance or appliance) only with its source/destination check disabled")
                .with_help("write `source_dest_check off` in the instance");
            if let Some(sp) = r.span {
                d = d.with_secondary(sp, format!("route table `{}` sends traffic to it", t.name));
            }
            out.push(d);
        }
    }
}

/// W0605
fn cross_az_nat(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for s in &m.subnets {
        let t = m.route_table(s.route_table);
        for r in &t.routes {
            let Target::NatGateway(n) = r.target else {
                continue;
            };
            let nat = m.nat_gateway(n);
            let nat_subnet = m.subnet(nat.subnet);
            let (Some(a), Some(b)) = (&s.az, &nat_subnet.az) else {
                continue;
            };
            if a != b {
                let mut d = Diagnostic::new(Code::W0605, format!("subnet `{}` in `{a}` routes through NAT gateway `{}` in `{b}`", s.name, nat.name), src.name(&s.name, s.span), format!("in `{a}`"))
                    .with_secondary(src.name(&nat.name, nat.span), format!("in `{b}`"))
                    .with_note("a NAT gateway is zonal: if its AZ fails, subnets of other AZs that use it lose internet access")
                    .with_help(format!("add a NAT gateway in `{a}` and route this subnet to it"));
                if let Some(sp) = r.span {
                    d = d.with_secondary(
                        sp,
                        format!("route table `{}`, used by `{}`", t.name, s.name),
                    );
                }
                out.push(d);
            }
        }
    }
}

/// W0606
fn private_dns_without_amazon_dns(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for e in &m.endpoints {
        let EndpointKind::Interface {
            private_dns: true, ..
        } = e.kind
        else {
            continue;
        };
        let v = m.vpc(e.vpc);
        if v.uses_amazon_dns() {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::W0606,
            format!("private DNS of endpoint `{}` cannot resolve: VPC `{}` does not use AmazonProvidedDNS", e.name, v.name),
            src.name(&e.name, e.span),
            "private DNS is on",
        )
        .with_note("the private hosted zone of an interface endpoint is answered only by the VPC's Amazon DNS resolver (169.254.169.253 or the primary block's base + 2)")
        .with_help("add `AmazonProvidedDNS` to `name_servers`, or have your DNS servers forward the service's zone to it");
        let servers = src
            .vpcs
            .get(e.vpc.index())
            .and_then(|x| x.name_servers)
            .or(v.dhcp.span);
        if let Some(sp) = servers {
            d = d.with_secondary(sp, "name servers without AmazonProvidedDNS");
        }
        out.push(d);
    }
}

/// W0607: an internet gateway never carries RFC 1918 or 100.64.0.0/10, so
/// an external on such a range is unreachable through one (an
/// `on_premises` external is reached over a VPN: private is normal).
fn private_externals(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for x in m.externals.iter().filter(|x| !x.on_premises) {
        for c in &x.cidrs {
            let Some(range) = crate::model::private_range_of(*c) else {
                continue;
            };
            let rfc = if range.prefix_len() == 10 {
                "RFC 6598 shared address space"
            } else {
                "RFC 1918"
            };
            out.push(
                Diagnostic::new(
                    Code::W0607,
                    format!("external `{}` is on the private range {c}, which an internet gateway never carries", x.name),
                    src.name(&x.name, x.span),
                    if *c == range {
                        format!("{c} is private ({rfc})")
                    } else {
                        format!("{c} is private: inside {range} ({rfc})")
                    },
                )
                .with_note("an internet gateway drops traffic from and to RFC 1918 and 100.64.0.0/10 addresses: every flow between this network and the VPC through it is blocked (PRIVATE_ADDRESS)")
                .with_help("give the network's public address (the one its NAT uses on the internet), or, when it is your own network, mark it `on_premises` and connect it through a VPN"),
            );
        }
    }
}

/// W0608: a client asks any listed server, and only Amazon's answers the
/// VPC's private names.
fn mixed_name_servers(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for (i, v) in m.vpcs.iter().enumerate() {
        if !(v.uses_amazon_dns() && v.uses_other_dns()) {
            continue;
        }
        let Some(sp) = src.vpcs.get(i).and_then(|x| x.name_servers).or(v.dhcp.span) else {
            continue;
        };
        let others: Vec<String> = v
            .dhcp
            .name_servers
            .iter()
            .filter(|s| !v.is_amazon_resolver(**s))
            .map(|s| s.to_string())
            .collect();
        out.push(
            Diagnostic::new(
                Code::W0608,
                format!("VPC `{}` lists the Amazon resolver and other name servers ({})", v.name, others.join(", ")),
                sp,
                "Amazon's resolver and other servers",
            )
            .with_note("a client may ask any listed server: only the Amazon resolver answers the VPC's private names (interface endpoints' private DNS), so answers depend on the server asked; vpcc assumes the Amazon resolver answers")
            .with_help("list only the Amazon resolver, or only your servers and have them forward the VPC's private zones to it"),
        );
    }
}
