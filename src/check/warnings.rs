//! Warnings W0601–W0608: the file compiles, but something is probably not
//! what the author meant. They run on a complete model.

use super::VpcSrc;
use super::names::Names;
use crate::diag::{Code, Diagnostic};
use crate::model::{EndpointKind, Model, SgPeer, Target};
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
    out
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
            if !open.is_empty() {
                out.push(
                    Diagnostic::new(Code::W0602, format!("security group `{}` opens {} to the whole internet", g.name, open.join(" and ")), span, "allows 0.0.0.0/0")
                        .with_note("AWS advises restricting SSH and RDP to known ranges, never 0.0.0.0/0")
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
/// an external on such a range is unreachable through one.
fn private_externals(m: &Model, src: &Src<'_>, out: &mut Vec<Diagnostic>) {
    for x in &m.externals {
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
                .with_help("give the network's public address (the one its NAT uses on the internet), or connect it through a private link such as a VPN"),
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
