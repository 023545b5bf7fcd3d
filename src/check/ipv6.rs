//! IPv6 addressing: a VPC's IPv6 blocks (`ipv6 …/56`), a dual-stack
//! subnet's block (`subnet a 10.0.1.0/24 ipv6 …/64`) and instances' IPv6
//! addresses (`instance web 10.0.1.10 ipv6 …::10`, or a bare `ipv6` for an
//! allocated one). The rules are AWS's, as `docs/ipv6.md` cites them:
//!
//! - an Amazon-provided VPC block is a /56, a subnet's block a /64 (E0110);
//!   host bits are E0102 as for IPv4;
//! - two blocks of one VPC never overlap (E0107), nor do peered VPCs'
//!   (E0108, in `check.rs`);
//! - a subnet's block lies inside one of its VPC's (E0105) and overlaps no
//!   other subnet's (E0106);
//! - an instance's address lies in its subnet's block (E0201), is not one
//!   of the first four or the last address (E0202), and is its own (E0203).
//!
//! Allocation: written addresses first, then each bare `ipv6` takes the
//! lowest free address from the fifth, in source order. AWS picks an
//! address itself; vpcc's choice is only deterministic.

use std::collections::HashMap;
use std::net::Ipv6Addr;

use ipnet::Ipv6Net;

use super::*;

/// The prefix length of an Amazon-provided VPC block.
pub const VPC_PREFIX: u8 = 56;
/// The prefix length of a subnet's block.
pub const SUBNET_PREFIX: u8 = 64;

/// E0102 for an IPv6 literal with host bits set; the aligned network
/// either way.
pub(super) fn aligned(
    c: &ast::Cidr6,
    owner: &dyn std::fmt::Display,
    diags: &mut Vec<Diagnostic>,
) -> Ipv6Net {
    let net = c.net.trunc();
    if net.addr() != c.net.addr() {
        let spans = format!("spans {}–{}", net.network(), net.broadcast());
        diags.push(cidr::host_bits(&c.net, &net, &spans, c.span, owner));
    }
    net
}

/// E0110 unless `net` is a /`want`. `what` names the block.
fn check_size(
    c: &ast::Cidr6,
    net: Ipv6Net,
    want: u8,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let len = net.prefix_len();
    if len == want {
        return true;
    }
    let (note, help) = if want == VPC_PREFIX {
        (
            "an Amazon-provided IPv6 block is always a /56, which holds 256 subnet blocks of /64 (blocks from an IPAM pool, /44–/60, are not modelled yet)",
            "write the /56 AWS assigned to the VPC, as `aws ec2 describe-vpcs` shows it (Ipv6CidrBlockAssociationSet)",
        )
    } else {
        (
            "a subnet's IPv6 block is always a /64 of its VPC's block",
            "take a /64 of the VPC's block: keep its first 56 bits and choose the next 8",
        )
    };
    diags.push(
        Diagnostic::new(
            Code::E0110,
            format!("IPv6 block {net} of {what} is a /{len}, but AWS needs a /{want}"),
            c.span,
            format!("a /{len}, not a /{want}"),
        )
        .with_note(note)
        .with_help(help),
    );
    false
}

/// The first four and the last address of a subnet's IPv6 block, which
/// AWS reserves.
fn reserved(block: Ipv6Net, a: Ipv6Addr) -> bool {
    let offset = u128::from(a) - u128::from(block.network());
    offset < 4 || a == block.broadcast()
}

impl Cx {
    /// The IPv6 blocks of VPC `v`, aligned, with their spans.
    pub(super) fn vpc_ipv6(&mut self, v: &ast::Vpc) -> Vec<(Ipv6Net, Span)> {
        let vname = &v.name.text;
        let mut blocks: Vec<(Ipv6Net, Span)> = Vec::new();
        for item in &v.items {
            let ast::VpcItem::Ipv6Cidr(c, _) = item else {
                continue;
            };
            let what = format!("VPC `{vname}`");
            let net = aligned(c, &what, &mut self.diags);
            if !check_size(c, net, VPC_PREFIX, &what, &mut self.diags) {
                continue;
            }
            if let Some((other, sp)) = blocks
                .iter()
                .find(|(o, _)| o.contains(&net) || net.contains(o))
            {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0107,
                        format!("IPv6 block {net} of VPC `{vname}` overlaps its block {other}"),
                        c.span,
                        "overlaps another IPv6 block of the VPC",
                    )
                    .with_secondary(*sp, format!("the VPC's block {other}"))
                    .with_note("the IPv6 blocks of a VPC are disjoint: AWS assigns each /56 from its pool once"),
                );
                continue;
            }
            blocks.push((net, c.span));
        }
        blocks
    }

    /// The IPv6 block of subnet `s`, aligned, when it is valid; `seen`
    /// holds the VPC's subnet blocks so far (every one a /64, so an
    /// overlap is an equal block).
    pub(super) fn subnet_ipv6<'v>(
        &mut self,
        s: &'v ast::Subnet,
        vpc: VpcId,
        vname: &str,
        seen: &mut HashMap<Ipv6Net, (Span, &'v str)>,
    ) -> Option<Ipv6Net> {
        let c = s.ipv6.as_ref()?;
        let what = format!("subnet `{}`", s.name.text);
        let net = aligned(c, &what, &mut self.diags);
        if !check_size(c, net, SUBNET_PREFIX, &what, &mut self.diags) {
            return None;
        }
        let blocks = self
            .vpc_src
            .get(vpc.index())
            .map(|v| v.ipv6.clone())
            .unwrap_or_default();
        if !blocks.iter().any(|(b, _)| b.contains(&net)) {
            let mut d = Diagnostic::new(
                Code::E0105,
                format!(
                    "subnet `{}` ({net}) is not inside VPC `{vname}`",
                    s.name.text
                ),
                c.span,
                if blocks.is_empty() {
                    "the VPC has no IPv6 block"
                } else {
                    "outside every IPv6 block of the VPC"
                },
            );
            for (b, sp) in &blocks {
                d = d.with_secondary(*sp, format!("IPv6 block of `{vname}`: {b}"));
            }
            d = if blocks.is_empty() {
                d.with_note("a dual-stack subnet takes a /64 of an IPv6 block of its VPC")
                    .with_help(format!(
                        "add the block AWS assigned to VPC `{vname}`: `ipv6 {}/56`",
                        Ipv6Net::new(net.network(), VPC_PREFIX)
                            .map_or(net, |n| n.trunc())
                            .network()
                    ))
            } else {
                d.with_note("a subnet's IPv6 /64 lies inside one IPv6 block of its VPC")
            };
            self.diags.push(d);
            return None;
        }
        if let Some(&(other_span, other_name)) = seen.get(&net) {
            self.diags.push(
                Diagnostic::new(
                    Code::E0106,
                    format!("subnet `{}` overlaps subnet `{other_name}`", s.name.text),
                    c.span,
                    format!("{net} is `{other_name}`'s IPv6 block too"),
                )
                .with_secondary(other_span, format!("`{other_name}` has {net}"))
                .with_note("the IPv6 blocks of a VPC's subnets are disjoint /64s"),
            );
            return None;
        }
        seen.insert(net, (c.span, &s.name.text));
        Some(net)
    }

    /// The IPv6 addresses of subnet `s`'s instances, which are the model's
    /// instances from `first` on, in source order.
    pub(super) fn instances_ipv6(&mut self, s: &ast::Subnet, block: Option<Ipv6Net>, first: usize) {
        let asts = s.items.iter().filter_map(|i| match i {
            ast::SubnetItem::Instance(i) => Some(i),
            _ => None,
        });
        let ids: Vec<(usize, &ast::Instance)> = (first..).zip(asts).collect();
        let mut owner: HashMap<Ipv6Addr, (Span, usize)> = HashMap::new();
        let mut wanted = Vec::new();
        for &(id, i) in &ids {
            let Some(v6) = i.ipv6 else { continue };
            let Some(block) = block else {
                let what = v6.addr.map_or_else(
                    || "asks for an IPv6 address".to_string(),
                    |a| format!("has IPv6 address {}", a.addr),
                );
                let mut d = Diagnostic::new(
                    Code::E0201,
                    format!(
                        "instance `{}` {what}, but subnet `{}` has no IPv6 block",
                        i.name.text, s.name.text
                    ),
                    v6.span,
                    "the subnet is IPv4-only",
                )
                .with_secondary(s.name.span, format!("`{}` is {}", s.name.text, s.cidr.net));
                if s.ipv6.is_none() {
                    d = d.with_help(format!(
                        "make the subnet dual-stack: `subnet {} {} ipv6 <a /64 of the VPC's block>`",
                        s.name.text, s.cidr.net
                    ));
                }
                self.diags.push(d);
                continue;
            };
            let Some(a) = v6.addr else {
                wanted.push(id);
                continue;
            };
            if !block.contains(&a.addr) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0201,
                        format!(
                            "instance `{}` has IPv6 address {}, outside its subnet `{}`",
                            i.name.text, a.addr, s.name.text
                        ),
                        a.span,
                        format!("not in {block}"),
                    )
                    .with_secondary(s.name.span, format!("`{}` has {block}", s.name.text))
                    .with_help("use an address of the subnet's /64, or a bare `ipv6` to have one allocated"),
                );
                continue;
            }
            if reserved(block, a.addr) {
                let first_four =
                    (0..4u128).map(|k| Ipv6Addr::from(u128::from(block.network()) + k).to_string());
                let list: Vec<String> = first_four.chain([block.broadcast().to_string()]).collect();
                self.diags.push(
                    Diagnostic::new(
                        Code::E0202,
                        format!(
                            "IPv6 address {} of instance `{}` is reserved by AWS in subnet `{}`",
                            a.addr, i.name.text, s.name.text
                        ),
                        a.span,
                        "reserved by AWS",
                    )
                    .with_secondary(s.name.span, format!("`{}` has {block}", s.name.text))
                    .with_note(format!(
                        "AWS reserves the first four and the last IPv6 address of a subnet's block: {}",
                        list.join(", ")
                    ))
                    .with_help(format!(
                        "use an address from {} on",
                        Ipv6Addr::from(u128::from(block.network()) + 4)
                    )),
                );
                continue;
            }
            if let Some(&(first_span, first_id)) = owner.get(&a.addr) {
                let first_name = self.model.instances[first_id].name.clone();
                self.diags.push(
                    Diagnostic::new(
                        Code::E0203,
                        format!(
                            "instances `{first_name}` and `{}` share IPv6 address {}",
                            i.name.text, a.addr
                        ),
                        a.span,
                        format!("`{}` is given {} too", i.name.text, a.addr),
                    )
                    .with_secondary(first_span, format!("`{first_name}` has {}", a.addr))
                    .with_note("every network interface needs its own IPv6 address")
                    .with_help(format!(
                        "give `{}` another address, or a bare `ipv6` to have one allocated",
                        i.name.text
                    )),
                );
                continue;
            }
            owner.insert(a.addr, (a.span, id));
            self.model.instances[id].ipv6 = Some(a.addr);
        }
        if let Some(block) = block {
            // A /64 never runs out: at most 2^64 − 5 instances.
            let mut next = u128::from(block.network()) + 4;
            for id in wanted {
                while owner.contains_key(&Ipv6Addr::from(next)) {
                    next += 1;
                }
                let a = Ipv6Addr::from(next);
                owner.insert(a, (Span::default(), id));
                self.model.instances[id].ipv6 = Some(a);
                next += 1;
            }
        }
    }
}

/// NAT64's well-known prefix (RFC 6052): the only IPv6 destination a NAT
/// gateway takes (aws-facts.md S16).
pub const NAT64_PREFIX: &str = "64:ff9b::/96";

impl Cx {
    /// `egress_only_internet_gateway NAME`: at most one per VPC (E0407).
    pub(super) fn egress_only_gateway(
        &mut self,
        g: &ast::InternetGateway,
        vpc: VpcId,
        vname: &str,
    ) {
        let id = EgressOnlyGatewayId(id32(self.model.egress_only_gateways.len()));
        self.model.egress_only_gateways.push(EgressOnlyGateway {
            name: g.name.text.clone(),
            vpc,
            span: g.span,
        });
        let v = &mut self.model.vpcs[vpc.index()];
        match v.egress_only_gateway {
            Some(first) => {
                let first_span = self.model.egress_only_gateways[first.index()].span;
                self.diags.push(
                    Diagnostic::new(
                        Code::E0407,
                        format!("VPC `{vname}` has a second egress-only internet gateway"),
                        g.span,
                        "second egress-only internet gateway",
                    )
                    .with_secondary(first_span, "the VPC's egress-only internet gateway")
                    .with_note(
                        "only one egress-only internet gateway can be attached to a VPC at a time",
                    ),
                );
            }
            None => v.egress_only_gateway = Some(id),
        }
    }

    /// An IPv6 route of table `rt`: E0102 (host bits), E0402 (a second
    /// route to the block), E0408 (inside the VPC's own IPv6 blocks) and
    /// E0422 (a target that does not carry IPv6).
    pub(super) fn route6(
        &mut self,
        rt: &ast::RouteTable,
        r: &ast::Route,
        c: &ast::Cidr6,
        vpc: VpcId,
        vname: &str,
        seen: &mut BTreeMap<Ipv6Net, Span>,
    ) -> Option<Route6> {
        let dest = aligned(
            c,
            &format_args!("a route of table `{}`", rt.name.text),
            &mut self.diags,
        );
        if let Some(first) = seen.get(&dest) {
            self.diags.push(super::routes::two_routes(
                &rt.name.text,
                &dest,
                c.span,
                *first,
                "a route table holds one route per destination",
            ));
        } else {
            seen.insert(dest, c.span);
        }
        let v = &self.model.vpcs[vpc.index()];
        if let Some((block, sp)) = self
            .vpc_src
            .get(vpc.index())
            .and_then(|s| s.ipv6.iter().find(|(b, _)| b.contains(&dest)).copied())
        {
            self.diags.push(
                Diagnostic::new(
                    Code::E0408,
                    format!("route to {dest} is inside IPv6 block {block} of VPC `{}`", v.name),
                    c.span,
                    "inside the VPC's own block",
                )
                .with_secondary(sp, format!("the VPC's block {block}"))
                .with_note("the `local` route carries the VPC's own IPv6 block; vpcc does not model more specific IPv6 routes to middleboxes yet")
                .with_help("remove the route"),
            );
        }
        let target = match &r.target {
            ast::RouteTarget::Blackhole(_) => Target::Blackhole,
            ast::RouteTarget::Name(n) => self.route_target(n, vpc, vname)?,
        };
        let nat64: Ipv6Net = NAT64_PREFIX.parse().ok()?;
        let refusal = match target {
            Target::NatGateway(_) if dest != nat64 => Some((
                "a NAT gateway does not translate IPv6 to IPv6; it takes only NAT64's prefix 64:ff9b::/96 (IPv6 clients reaching IPv4 servers, with DNS64)",
                format!(
                    "route {NAT64_PREFIX} to the NAT gateway, and IPv6 internet traffic (`::/0`) to an internet gateway or an egress-only internet gateway"
                ),
            )),
            Target::VpnGateway(_) => Some((
                "a Site-to-Site VPN on a virtual private gateway carries IPv4 only",
                "route IPv6 to on premises through a transit gateway".to_string(),
            )),
            _ => None,
        };
        if let (Some((note, help)), ast::RouteTarget::Name(n)) = (refusal, &r.target) {
            self.diags.push(family_refusal(
                &rt.name.text,
                &dest.to_string(),
                n,
                note,
                &help,
            ));
            return None;
        }
        Some(Route6 {
            destination: dest,
            target,
            origin: RouteOrigin::Written,
            span: Some(r.span),
        })
    }

    /// The IPv6 kind of each dual-stack subnet, from the route its table
    /// gives `::/0`.
    pub(super) fn ipv6_kinds(&mut self) {
        for si in 0..self.model.subnets.len() {
            let s = &self.model.subnets[si];
            if s.ipv6.is_none() {
                continue;
            }
            let m = &self.model;
            let table = &m.route_tables[s.route_table.index()];
            let default = table
                .routes6
                .iter()
                .find(|r| r.destination.prefix_len() == 0);
            let kind = Some(match default.map(|r| r.target) {
                Some(Target::InternetGateway(g)) => (
                    SubnetKind::Public,
                    format!(
                        "::/0 → internet gateway `{}`",
                        m.internet_gateways[g.index()].name
                    ),
                ),
                Some(Target::EgressOnlyGateway(g)) => (
                    SubnetKind::Private,
                    format!(
                        "::/0 → egress-only internet gateway `{}`: out, and replies back",
                        m.egress_only_gateways[g.index()].name
                    ),
                ),
                Some(t) => (
                    SubnetKind::Isolated,
                    format!("::/0 → {}, not an internet gateway", m.target_label(t)),
                ),
                None => (
                    SubnetKind::Isolated,
                    format!(
                        "route table `{}` has no route for IPv6 internet destinations",
                        table.name
                    ),
                ),
            });
            self.model.subnets[si].ipv6_kind = kind;
        }
    }
}

/// E0422: `target` of a route to `dest` in table `table` does not carry
/// that address family.
pub(super) fn family_refusal(
    table: &str,
    dest: &str,
    target: &ast::Name,
    note: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0422,
        format!(
            "route table `{table}` routes {dest} to `{}`, which does not carry that address family",
            target.text
        ),
        target.span,
        "wrong address family for this target",
    )
    .with_note(note)
    .with_help(help)
}
