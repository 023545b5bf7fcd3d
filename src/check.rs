//! Checking: `ast::File` → [`Model`] plus every diagnostic.
//!
//! One walk over the AST declares every name (`names`), then a second walk
//! resolves references and builds the model, reporting each rule of spec §4
//! as it goes (CIDRs in `cidr`, addresses in `alloc`, routes here,
//! warnings in `warnings`). Nothing stops at the first problem: a broken
//! reference is reported and left out, and the walk goes on.
//!
//! **Invariant:** a `Model` is returned only when there is no error; it may
//! come with warnings.

mod alloc;
mod cidr;
mod dhcp;
mod endpoints;
mod expect;
mod filters;
mod fxhash;
mod implicit;
mod ipv6;
mod lists;
mod names;
mod routes;
mod subnets;
mod tgw;
mod vgw;
mod warnings;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::diag::{Code, Diagnostic};
use crate::model::{self, *};
use crate::source::Span;
use crate::syntax::ast::{self, Direction, ProtocolKind};
use dhcp::dhcp_limits;
use names::{Kind, Names};
use routes::PendingLocal;

pub use cidr::spans as describe_range;

/// The result of checking one file.
#[derive(Debug)]
pub struct Checked {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn check(file: &ast::File) -> Checked {
    let mut cx = Cx::default();
    cx.declare(file);
    cx.reserve_model();
    cx.build(file);
    let mut diagnostics = std::mem::take(&mut cx.diags);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let model = if has_errors {
        None
    } else {
        let m = cx.model;
        diagnostics.extend(warnings::check(&m, &cx.names, &cx.vpc_src));
        Some(m)
    };
    crate::diag::sort(&mut diagnostics);
    Checked { model, diagnostics }
}

#[derive(Default)]
struct Cx {
    names: Names,
    diags: Vec<Diagnostic>,
    model: Model,
    pending_local: Vec<PendingLocal>,
    /// Source spans of each VPC's settings, by `VpcId`, for labels.
    vpc_src: Vec<VpcSrc>,
    /// The subnet blocks of the VPC being built, for help messages.
    all_subnets: cidr::Occupied,
    /// Free ranges found for the VPC being built, by prefix length: every
    /// overlapping subnet of one size gets the same suggestion.
    free_blocks: Vec<(u8, Option<Ipv4Net>)>,
    /// Transit gateway attachments whose VPC did not resolve (already an
    /// error): they propagate nothing, so no second error follows.
    broken_attachments: std::collections::BTreeSet<u32>,
}

/// Where a VPC's name, blocks and DNS settings are written.
#[derive(Clone, Default)]
pub(crate) struct VpcSrc {
    pub name: Span,
    /// Primary first, as in `Vpc::cidrs`.
    pub cidrs: Vec<(Ipv4Net, Span)>,
    /// IPv6 blocks, as in `Vpc::ipv6_cidrs`.
    pub ipv6: Vec<(ipnet::Ipv6Net, Span)>,
    pub dns_support: Option<Span>,
    pub dns_hostnames: Option<Span>,
    pub name_servers: Option<Span>,
}

/// At least the number of names `Cx::declare` enters (an upper bound).
fn declaration_count(file: &ast::File) -> usize {
    let mut n = file.items.len();
    for item in &file.items {
        if let ast::Item::Vpc(v) = item {
            n += v.items.len();
            for vi in &v.items {
                if let ast::VpcItem::Subnet(s) = vi {
                    n += s.items.len();
                }
            }
        }
    }
    n
}

fn id32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Cx {
    // --- pass 1: declarations -------------------------------------------------

    /// Declares every name, in the order of the one declaration walk
    /// ([`crate::names::declarations`]), which is the order of the model's
    /// ids.
    fn declare(&mut self, file: &ast::File) {
        self.names.reserve(declaration_count(file));
        let (names, diags, heads) = (&mut self.names, &mut self.diags, &mut self.model.heads);
        crate::names::declarations(file, |d| {
            names.declare(d.name, d.kind, d.vpc, diags);
            let (span, head) = (d.stmt.span(), d.stmt.head());
            if head != span {
                heads.push((span, head));
            }
        });
    }

    /// Sizes the model's tables from the declarations, so that building a
    /// large model does not copy them as they grow. The implicit objects
    /// (a main route table, a default security group and ACL per VPC) are
    /// included.
    fn reserve_model(&mut self) {
        let n = |k| self.names.count(k);
        let vpcs = n(Kind::Vpc);
        let m = &mut self.model;
        m.vpcs.reserve(vpcs);
        m.subnets.reserve(n(Kind::Subnet));
        m.instances.reserve(n(Kind::Instance));
        m.nat_gateways.reserve(n(Kind::NatGateway));
        m.internet_gateways.reserve(n(Kind::InternetGateway));
        m.endpoints.reserve(n(Kind::GatewayEndpoint));
        m.route_tables.reserve(n(Kind::RouteTable) + vpcs);
        m.security_groups.reserve(n(Kind::SecurityGroup) + vpcs);
        m.network_acls.reserve(n(Kind::NetworkAcl) + vpcs);
        m.peerings.reserve(n(Kind::Peering));
    }

    // --- pass 2: build --------------------------------------------------------

    fn build(&mut self, file: &ast::File) {
        let mut region: Option<&ast::Region> = None;
        for item in &file.items {
            if let ast::Item::Region(r) = item {
                match region {
                    Some(first) => self.diags.push(once(r.span, "region", first.span)),
                    None => region = Some(r),
                }
            }
        }
        self.model.region = region.map(|r| r.name.text.clone());

        for item in &file.items {
            if let ast::Item::External(e) = item {
                let cidrs = e
                    .cidrs
                    .iter()
                    .map(|c| {
                        cidr::aligned(
                            c,
                            &format_args!("external `{}`", e.name.text),
                            &mut self.diags,
                        )
                    })
                    .collect();
                self.model.externals.push(External {
                    name: e.name.text.clone(),
                    cidrs,
                    on_premises: e.on_premises.is_some(),
                    span: e.span,
                });
            }
        }

        for item in &file.items {
            if let ast::Item::PrefixList(l) = item {
                self.prefix_list(l);
            }
        }

        let vpcs: Vec<&ast::Vpc> = file
            .items
            .iter()
            .filter_map(|i| {
                if let ast::Item::Vpc(v) = i {
                    Some(v)
                } else {
                    None
                }
            })
            .collect();
        // Skeletons first, so that rules of one VPC can name objects of
        // another (peering, security-group references).
        for v in &vpcs {
            self.vpc_skeleton(v);
        }
        for item in &file.items {
            if let ast::Item::Peering(p) = item {
                self.peering(p);
            }
        }
        let tgws: Vec<&ast::TransitGateway> = file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::TransitGateway(t) => Some(t),
                _ => None,
            })
            .collect();
        self.tgw_skeleton(&tgws);
        for (vi, v) in vpcs.iter().enumerate() {
            self.vpc_body(v, VpcId(id32(vi)));
        }
        self.add_implicit_objects(&vpcs);
        alloc::allocate(&mut self.model, &vpcs, &mut self.diags);
        self.tgw_finish(&tgws);
        self.finish_route_tables();
        self.model.heads.sort_unstable();
        for item in &file.items {
            if let ast::Item::Expect(e) = item
                && let Some(x) = self.expect(e)
            {
                self.model.expects.push(x);
            }
        }
    }

    /// The VPC with its CIDRs and attributes; objects are filled in later.
    fn vpc_skeleton(&mut self, v: &ast::Vpc) {
        let vname = &v.name.text;
        let owner = format!("VPC `{vname}`");
        let primary = cidr::aligned(&v.cidr, &owner, &mut self.diags);
        if cidr::check_size(&v.cidr, primary, Code::E0103, &owner, &mut self.diags)
            && cidr::is_link_local(primary)
        {
            self.diags.push(
                Diagnostic::new(
                    Code::E0107,
                    format!("VPC `{vname}` cannot use the link-local range {primary}"),
                    v.cidr.span,
                    "169.254.0.0/16 is link-local",
                )
                .with_note("AWS cannot assign the link-local range 169.254.0.0/16 to a VPC at all")
                .with_help("use a block from RFC 1918, e.g. `10.0.0.0/16`"),
            );
        }
        let mut src = VpcSrc {
            name: v.name.span,
            cidrs: vec![(primary, v.cidr.span)],
            ..VpcSrc::default()
        };
        let mut cidrs = vec![primary];
        let mut dns_support: Option<(bool, Span)> = None;
        let mut dns_hostnames: Option<(bool, Span)> = None;
        let mut dhcp = DhcpOptions {
            domain_name: None,
            amazon_provided_dns: true,
            name_servers: Vec::new(),
            ntp_servers: Vec::new(),
            span: None,
        };
        for item in &v.items {
            match item {
                ast::VpcItem::SecondaryCidr(c, _) => {
                    let owner = format!("secondary block of VPC `{vname}`");
                    let n = cidr::aligned(c, &owner, &mut self.diags);
                    if cidr::check_size(c, n, Code::E0103, &owner, &mut self.diags)
                        && let Some(why) = cidr::secondary_restriction(&cidrs, n)
                    {
                        let mut d = Diagnostic::new(
                            Code::E0107,
                            format!("secondary block {n} is not allowed in VPC `{vname}`"),
                            c.span,
                            why.label,
                        );
                        match why
                            .overlapped
                            .and_then(|o| src.cidrs.iter().find(|x| x.0 == o))
                        {
                            Some((o, sp)) if *sp != v.cidr.span => {
                                d = d.with_secondary(*sp, format!("the VPC's block {o}"))
                            }
                            _ => {
                                d = d.with_secondary(
                                    v.cidr.span,
                                    format!("the VPC's primary block {primary}"),
                                )
                            }
                        }
                        self.diags.push(d.with_note(why.note));
                    }
                    cidrs.push(n);
                    src.cidrs.push((n, c.span));
                }
                ast::VpcItem::DnsSupport(f, s) => {
                    set_once(
                        &mut dns_support,
                        f.value,
                        flag_span(f, *s),
                        "dns_support",
                        &mut self.diags,
                    );
                    src.dns_support = dns_support.map(|x| x.1);
                }
                ast::VpcItem::DnsHostnames(f, s) => {
                    set_once(
                        &mut dns_hostnames,
                        f.value,
                        flag_span(f, *s),
                        "dns_hostnames",
                        &mut self.diags,
                    );
                    src.dns_hostnames = dns_hostnames.map(|x| x.1);
                }
                ast::VpcItem::DhcpOptions(o) => {
                    if let Some(first) = dhcp.span {
                        self.diags.push(once(o.span, "dhcp_options", first));
                        continue;
                    }
                    dhcp.span = Some(o.span);
                    let keyword = "dhcp_options".len();
                    let head = Span::new(o.span.start as usize, o.span.start as usize + keyword);
                    self.model.heads.push((o.span, head));
                    let mut given: Vec<(&str, Span)> = Vec::new();
                    for di in &o.items {
                        let what = match di {
                            ast::DhcpItem::DomainName(..) => "domain_name",
                            ast::DhcpItem::NameServers(..) => "name_servers",
                            ast::DhcpItem::NtpServers(..) => "ntp_servers",
                        };
                        if let Some((_, first)) = given.iter().find(|g| g.0 == what) {
                            self.diags.push(once(di.span(), what, *first));
                            continue;
                        }
                        given.push((what, di.span()));
                        dhcp_limits(di, &mut self.diags);
                        match di {
                            ast::DhcpItem::DomainName(s, _) => dhcp.domain_name = Some(s.clone()),
                            ast::DhcpItem::NameServers(list, sp) => {
                                src.name_servers = Some(*sp);
                                dhcp.amazon_provided_dns = list
                                    .iter()
                                    .any(|n| matches!(n, ast::NameServer::AmazonProvidedDns(_)));
                                dhcp.name_servers = list
                                    .iter()
                                    .filter_map(|n| {
                                        if let ast::NameServer::Address(a) = n {
                                            Some(a.addr)
                                        } else {
                                            None
                                        }
                                    })
                                    .collect();
                            }
                            ast::DhcpItem::NtpServers(list, _) => {
                                dhcp.ntp_servers = list.iter().map(|a| a.addr).collect()
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        src.ipv6 = self.vpc_ipv6(v);
        let ipv6_cidrs = src.ipv6.iter().map(|(n, _)| *n).collect();
        let ipv6_spans = src.ipv6.iter().map(|(_, sp)| *sp).collect();
        let vpc_id = VpcId(id32(self.model.vpcs.len()));
        self.vpc_src.push(src);
        self.model.vpcs.push(Vpc {
            name: v.name.text.clone(),
            cidrs,
            ipv6_cidrs,
            ipv6_spans,
            dns_support: dns_support.is_none_or(|(b, _)| b),
            dns_hostnames: dns_hostnames.is_some_and(|(b, _)| b),
            dhcp,
            internet_gateway: None,
            egress_only_gateway: None,
            vpn_gateway: None,
            main_route_table: RouteTableId(u32::MAX),
            default_security_group: SecurityGroupId(u32::MAX),
            default_network_acl: NetworkAclId(u32::MAX),
            subnets: Vec::new(),
            span: v.span,
        });
        // Declaration-order objects whose ids other VPCs may need.
        for item in &v.items {
            match item {
                ast::VpcItem::SecurityGroup(g) => {
                    let default_egress = !g.rules.iter().any(|r| r.direction == Direction::Out);
                    self.model.security_groups.push(SecurityGroup {
                        name: g.name.text.clone(),
                        vpc: vpc_id,
                        default: false,
                        rules: Vec::new(),
                        default_egress,
                        span: Some(g.span),
                    });
                }
                ast::VpcItem::VpnGateway(g) => self.vpn_gateway(g, vpc_id, &v.name.text),
                ast::VpcItem::EgressOnlyGateway(g) => {
                    self.egress_only_gateway(g, vpc_id, &v.name.text)
                }
                ast::VpcItem::InternetGateway(g) => {
                    let id = InternetGatewayId(id32(self.model.internet_gateways.len()));
                    self.model.internet_gateways.push(InternetGateway {
                        name: g.name.text.clone(),
                        vpc: vpc_id,
                        span: g.span,
                    });
                    let vpc = &mut self.model.vpcs[vpc_id.index()];
                    match vpc.internet_gateway {
                        Some(first) => {
                            let first_span = self.model.internet_gateways[first.index()].span;
                            self.diags.push(
                                Diagnostic::new(
                                    Code::E0407,
                                    format!("VPC `{}` has a second internet gateway", v.name.text),
                                    g.span,
                                    "second internet gateway",
                                )
                                .with_secondary(first_span, "the VPC's internet gateway")
                                .with_note(
                                    "only one internet gateway can be attached to a VPC at a time",
                                ),
                            );
                        }
                        None => vpc.internet_gateway = Some(id),
                    }
                }
                _ => {}
            }
        }
    }

    fn peering(&mut self, p: &ast::Peering) {
        let a = self
            .names
            .resolve(&p.a, &[Kind::Vpc], "VPC", &mut self.diags);
        let b = self
            .names
            .resolve(&p.b, &[Kind::Vpc], "VPC", &mut self.diags);
        let (Some(a), Some(b)) = (a, b) else {
            // Keep ids aligned with declarations.
            self.model.peerings.push(Peering {
                name: p.name.text.clone(),
                a: VpcId(0),
                b: VpcId(0),
                span: p.span,
            });
            return;
        };
        let (va, vb) = (VpcId(a.index), VpcId(b.index));
        // E0415: AWS allows one peering connection per pair of VPCs
        // (aws-facts §10).
        if va != vb
            && let Some(first) = self
                .model
                .peerings
                .iter()
                .find(|q| (q.a, q.b) == (va, vb) || (q.a, q.b) == (vb, va))
        {
            self.diags.push(
                Diagnostic::new(
                    Code::E0415,
                    format!(
                        "peering `{}` joins VPCs `{}` and `{}`, which peering `{}` already joins",
                        p.name.text, p.a.text, p.b.text, first.name
                    ),
                    p.span,
                    "a second peering for the same two VPCs",
                )
                .with_secondary(
                    first.span,
                    format!("peering `{}` is declared here", first.name),
                )
                .with_note("AWS allows only one VPC peering connection between the same two VPCs")
                .with_help(format!(
                    "remove peering `{}`, and route both ways through peering `{}`",
                    p.name.text, first.name
                )),
            );
        }
        if va == vb {
            self.diags.push(
                Diagnostic::new(
                    Code::E0108,
                    format!(
                        "peering `{}` connects VPC `{}` with itself",
                        p.name.text, p.a.text
                    ),
                    p.b.span,
                    "the same VPC again",
                )
                .with_note("a peering connection joins two different VPCs"),
            );
        } else {
            let ca = &self.model.vpcs[va.index()].cidrs;
            let cb = &self.model.vpcs[vb.index()].cidrs;
            for x in ca {
                for y in cb {
                    if cidr::overlaps(*x, *y) {
                        self.diags.push(
                            Diagnostic::new(Code::E0108, format!("peering `{}` joins VPCs with overlapping blocks {x} and {y}", p.name.text), p.span, "these VPCs overlap")
                                .with_secondary(p.a.span, format!("`{}` has {x}", p.a.text))
                                .with_secondary(p.b.span, format!("`{}` has {y}", p.b.text))
                                .with_note(format!("{}; {}", cidr::spans(*x), cidr::spans(*y)))
                                .with_note("AWS refuses a peering between VPCs with matching or overlapping IPv4 blocks"),
                        );
                    }
                }
            }
            let ca = &self.model.vpcs[va.index()].ipv6_cidrs;
            let cb = &self.model.vpcs[vb.index()].ipv6_cidrs;
            for x in ca {
                for y in cb.iter().filter(|y| x.contains(*y) || y.contains(x)) {
                    self.diags.push(
                        Diagnostic::new(Code::E0108, format!("peering `{}` joins VPCs with overlapping IPv6 blocks {x} and {y}", p.name.text), p.span, "these VPCs overlap")
                            .with_secondary(p.a.span, format!("`{}` has {x}", p.a.text))
                            .with_secondary(p.b.span, format!("`{}` has {y}", p.b.text))
                            .with_note("AWS refuses a peering between VPCs with matching or overlapping IPv6 blocks"),
                    );
                }
            }
        }
        self.model.peerings.push(Peering {
            name: p.name.text.clone(),
            a: va,
            b: vb,
            span: p.span,
        });
    }

    fn vpc_body(&mut self, v: &ast::Vpc, vpc: VpcId) {
        let vname = v.name.text.clone();
        let mut main_table: Option<(RouteTableId, Span)> = None;
        // Route tables first: subnets and endpoints refer to them.
        for item in &v.items {
            if let ast::VpcItem::RouteTable(rt) = item {
                let id = RouteTableId(id32(self.model.route_tables.len()));
                if let Some(m) = rt.main {
                    match main_table {
                        Some((_, first)) => self.diags.push(
                            Diagnostic::new(Code::E0403, format!("VPC `{vname}` has more than one main route table"), m, "second `main`")
                                .with_secondary(first, "the main route table is already marked here")
                                .with_note("a VPC has exactly one main route table; it routes every subnet without an explicit association"),
                        ),
                        None => main_table = Some((id, m)),
                    }
                }
                let (routes, routes6) = self.routes(rt, vpc, &vname);
                self.model.route_tables.push(RouteTable {
                    name: rt.name.text.clone(),
                    vpc,
                    main: rt.main.is_some(),
                    span: Some(rt.span),
                    routes,
                    routes6,
                    subnets: Vec::new(),
                });
            }
        }
        if let Some((id, _)) = main_table {
            self.model.vpcs[vpc.index()].main_route_table = id;
        }
        // ACLs.
        for item in &v.items {
            if let ast::VpcItem::NetworkAcl(acl) = item {
                let built = self.acl(acl, vpc);
                self.model.network_acls.push(built);
            }
        }
        // Security group rules (groups were created in the skeleton pass).
        for item in &v.items {
            if let ast::VpcItem::SecurityGroup(g) = item {
                let Some(decl) = self.names.get(&g.name.text).copied() else {
                    continue;
                };
                let rules: Vec<SgRule> = g
                    .rules
                    .iter()
                    .filter_map(|r| self.sg_rule(r, vpc, &g.name.text))
                    .collect();
                if decl.kind == Kind::SecurityGroup
                    && decl.span == g.name.span
                    && let Some(sg) = self.model.security_groups.get_mut(decl.index as usize)
                {
                    sg.rules = rules;
                }
            }
        }
        // Subnets with their NAT gateways and instances.
        let mut seen: cidr::FirstOverlap<(Span, &str)> = cidr::FirstOverlap::default();
        // Every subnet block of the VPC, so that a suggested free range
        // avoids later subnets too.
        let all_subnets: Vec<Ipv4Net> = v
            .items
            .iter()
            .filter_map(|i| {
                if let ast::VpcItem::Subnet(s) = i {
                    Some(s.cidr.net.trunc())
                } else {
                    None
                }
            })
            .collect();
        self.all_subnets = cidr::Occupied::new(&all_subnets);
        self.free_blocks.clear();
        let mut seen6 = std::collections::HashMap::new();
        for item in &v.items {
            if let ast::VpcItem::Subnet(s) = item {
                self.subnet(s, vpc, &vname, &mut seen, &mut seen6);
            }
        }
        // Endpoints.
        for item in &v.items {
            if let ast::VpcItem::Endpoint(e) = item {
                let built = self.endpoint(e, vpc, &vname);
                self.model.endpoints.push(built);
            }
        }
    }
}

/// E0410 for a setting written twice.
fn once(span: Span, what: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0410,
        format!("`{what}` is given more than once"),
        span,
        "given again here",
    )
    .with_secondary(first, "first given here")
    .with_help("keep one of them")
}

/// The span of a boolean setting: the keyword alone when it is bare
/// (`public_ip`), the keyword and its value otherwise; never the blank
/// after it.
fn flag_span(f: &ast::Flag, stmt: Span) -> Span {
    if f.span.start == stmt.start {
        f.span
    } else {
        Span {
            start: stmt.start,
            end: f.span.end,
        }
    }
}

fn set_once(
    slot: &mut Option<(bool, Span)>,
    value: bool,
    span: Span,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    match slot {
        Some((_, first)) => diags.push(once(span, what, *first)),
        None => *slot = Some((value, span)),
    }
}
