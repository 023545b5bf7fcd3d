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
mod fxhash;
mod names;
mod warnings;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::diag::{Code, Diagnostic};
use crate::model::{self, *};
use crate::source::Span;
use crate::syntax::ast::{self, Direction, ProtocolKind};
use names::{Kind, Names};

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
}

/// Where a VPC's name, blocks and DNS settings are written.
#[derive(Clone, Default)]
pub(crate) struct VpcSrc {
    pub name: Span,
    /// Primary first, as in `Vpc::cidrs`.
    pub cidrs: Vec<(Ipv4Net, Span)>,
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

    fn declare(&mut self, file: &ast::File) {
        self.names.reserve(declaration_count(file));
        let mut vpc_index = 0u32;
        for item in &file.items {
            match item {
                ast::Item::External(e) => {
                    self.names
                        .declare(&e.name, Kind::External, None, &mut self.diags);
                }
                ast::Item::Peering(p) => {
                    self.names
                        .declare(&p.name, Kind::Peering, None, &mut self.diags);
                }
                ast::Item::Vpc(v) => {
                    let vi = self
                        .names
                        .declare(&v.name, Kind::Vpc, None, &mut self.diags);
                    debug_assert_eq!(vi, vpc_index);
                    self.declare_vpc(v, vpc_index);
                    vpc_index += 1;
                }
                ast::Item::Region(_) | ast::Item::Expect(_) => {}
            }
        }
    }

    fn declare_vpc(&mut self, v: &ast::Vpc, vpc: u32) {
        let d = &mut self.diags;
        for item in &v.items {
            match item {
                ast::VpcItem::InternetGateway(g) => {
                    self.names
                        .declare(&g.name, Kind::InternetGateway, Some(vpc), d);
                }
                ast::VpcItem::Subnet(s) => {
                    self.names.declare(&s.name, Kind::Subnet, Some(vpc), d);
                    for si in &s.items {
                        match si {
                            ast::SubnetItem::NatGateway(n) => {
                                self.names.declare(&n.name, Kind::NatGateway, Some(vpc), d);
                            }
                            ast::SubnetItem::Instance(i) => {
                                self.names.declare(&i.name, Kind::Instance, Some(vpc), d);
                            }
                            _ => {}
                        }
                    }
                }
                ast::VpcItem::RouteTable(r) => {
                    self.names.declare(&r.name, Kind::RouteTable, Some(vpc), d);
                }
                ast::VpcItem::Endpoint(e) => {
                    let kind = match e.kind {
                        ast::EndpointKind::Gateway { .. } => Kind::GatewayEndpoint,
                        ast::EndpointKind::Interface { .. } => Kind::InterfaceEndpoint,
                    };
                    self.names.declare(&e.name, kind, Some(vpc), d);
                }
                ast::VpcItem::SecurityGroup(g) => {
                    self.names
                        .declare(&g.name, Kind::SecurityGroup, Some(vpc), d);
                }
                ast::VpcItem::NetworkAcl(a) => {
                    self.names.declare(&a.name, Kind::NetworkAcl, Some(vpc), d);
                }
                ast::VpcItem::SecondaryCidr(..)
                | ast::VpcItem::DnsSupport(..)
                | ast::VpcItem::DnsHostnames(..)
                | ast::VpcItem::DhcpOptions(_) => {}
            }
        }
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
                    span: e.span,
                });
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
        for (vi, v) in vpcs.iter().enumerate() {
            self.vpc_body(v, VpcId(id32(vi)));
        }
        self.add_implicit_objects(&vpcs);
        alloc::allocate(&mut self.model, &vpcs, &mut self.diags);
        self.finish_route_tables();
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
        let vpc_id = VpcId(id32(self.model.vpcs.len()));
        self.vpc_src.push(src);
        self.model.vpcs.push(Vpc {
            name: v.name.text.clone(),
            cidrs,
            dns_support: dns_support.is_none_or(|(b, _)| b),
            dns_hostnames: dns_hostnames.is_some_and(|(b, _)| b),
            dhcp,
            internet_gateway: None,
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
                let routes = self.routes(rt, vpc, &vname);
                self.model.route_tables.push(RouteTable {
                    name: rt.name.text.clone(),
                    vpc,
                    main: rt.main.is_some(),
                    span: Some(rt.span),
                    routes,
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
        for item in &v.items {
            if let ast::VpcItem::Subnet(s) = item {
                self.subnet(s, vpc, &vname, &mut seen);
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

    fn routes(&mut self, rt: &ast::RouteTable, vpc: VpcId, vname: &str) -> Vec<Route> {
        let mut out = Vec::new();
        let mut seen: BTreeMap<Ipv4Net, Span> = BTreeMap::new();
        for r in &rt.routes {
            let dest = cidr::aligned(
                &r.destination,
                &format_args!("a route of table `{}`", rt.name.text),
                &mut self.diags,
            );
            if cidr::is_forbidden_destination(dest) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0413,
                        format!(
                            "route destination {dest} is in 169.254.168.0/22, which AWS reserves"
                        ),
                        r.destination.span,
                        "AWS refuses this destination",
                    )
                    .with_note(format!(
                        "{}; AWS refuses routes to 169.254.168.0/22 or any part of it",
                        cidr::spans(dest)
                    ))
                    .with_help("remove the route"),
                );
            }
            if let Some(first) = seen.get(&dest) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        format!("route table `{}` has two routes to {dest}", rt.name.text),
                        r.destination.span,
                        "second route to this destination",
                    )
                    .with_secondary(*first, "first route to it")
                    .with_note("a route table holds one route per destination")
                    .with_help("remove one of them, or make one more specific"),
                );
            } else {
                seen.insert(dest, r.destination.span);
            }
            let target = match &r.target {
                ast::RouteTarget::Blackhole(_) => Some(Target::Blackhole),
                ast::RouteTarget::Name(n) => self.route_target(n, vpc, vname),
            };
            let Some(target) = target else { continue };
            self.check_local_overlap(r, dest, target, vpc);
            out.push(Route {
                destination: Destination::Cidr(dest),
                target,
                origin: RouteOrigin::Written,
                span: Some(r.span),
            });
        }
        out
    }

    fn route_target(&mut self, n: &ast::Name, vpc: VpcId, vname: &str) -> Option<Target> {
        let kinds = [
            Kind::InternetGateway,
            Kind::NatGateway,
            Kind::Instance,
            Kind::Peering,
        ];
        let decl = self
            .names
            .resolve(n, &kinds, "route target", &mut self.diags)?;
        match decl.kind {
            Kind::InternetGateway => {
                let igw_vpc = decl.vpc.map(VpcId);
                if igw_vpc != Some(vpc) {
                    let owner = igw_vpc
                        .map(|v| self.model.vpcs[v.index()].name.clone())
                        .unwrap_or_default();
                    let own = self.model.vpcs[vpc.index()].internet_gateway;
                    let message = match own {
                        Some(_) => format!(
                            "route to internet gateway `{}` of VPC `{owner}` from VPC `{vname}`",
                            n.text
                        ),
                        None => format!(
                            "route to internet gateway `{}`, but VPC `{vname}` has no internet gateway",
                            n.text
                        ),
                    };
                    let mut d = Diagnostic::new(Code::E0401, message, n.span, format!("attached to VPC `{owner}`"))
                        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                        .with_note("an internet gateway is attached to one VPC; only that VPC's route tables can send traffic to it");
                    d = match own {
                        Some(g) => d.with_help(format!("route to `{}`, the internet gateway of `{vname}`", self.model.internet_gateways[g.index()].name)),
                        None => d
                            .with_secondary(self.vpc_src.get(vpc.index()).map_or(n.span, |s| s.name), format!("VPC `{vname}` declares no `internet_gateway`"))
                            .with_help(format!("declare `internet_gateway igw-{vname}` in VPC `{vname}` and route to it")),
                    };
                    self.diags.push(d);
                    return None;
                }
                Some(Target::InternetGateway(InternetGatewayId(decl.index)))
            }
            Kind::Peering => {
                let p = self.model.peerings.get(decl.index as usize)?;
                if p.other(vpc).is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0304,
                            format!(
                                "peering `{}` joins `{}` and `{}`, not VPC `{vname}`",
                                n.text,
                                self.model.vpcs.get(p.a.index()).map_or("", |v| v.name.as_str()),
                                self.model.vpcs.get(p.b.index()).map_or("", |v| v.name.as_str())
                            ),
                            n.span,
                            "not a peering of this VPC",
                        )
                            .with_secondary(decl.span, "declared here")
                            .with_note("a route can use a peering connection only from one of the two VPCs it joins"),
                    );
                    return None;
                }
                Some(Target::Peering(PeeringId(decl.index)))
            }
            kind => {
                if decl.vpc != Some(vpc.0) {
                    let owner = decl
                        .vpc
                        .and_then(|v| self.names.vpc_name(v))
                        .unwrap_or("another VPC")
                        .to_string();
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0304,
                            format!(
                                "{} `{}` belongs to VPC `{owner}`, not `{vname}`",
                                kind.noun(),
                                n.text
                            ),
                            n.span,
                            format!("this {} is in VPC `{owner}`", kind.noun()),
                        )
                        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                        .with_note(format!(
                            "a route can target only a {} of its own VPC",
                            kind.noun()
                        )),
                    );
                    return None;
                }
                Some(if kind == Kind::NatGateway {
                    Target::NatGateway(NatGatewayId(decl.index))
                } else {
                    Target::Instance(InstanceId(decl.index))
                })
            }
        }
    }

    /// E0408: a route whose destination is equal to or inside one of the
    /// VPC's own blocks, unless it is exactly a subnet's CIDR and its target
    /// is a NAT gateway or an instance (allowed since August 2021). The
    /// subnet check runs in `finish_route_tables`, once subnets exist.
    fn check_local_overlap(&mut self, r: &ast::Route, dest: Ipv4Net, target: Target, vpc: VpcId) {
        let vpc_cidrs = &self.model.vpcs[vpc.index()].cidrs;
        if let Some(block) = vpc_cidrs.iter().find(|c| c.contains(&dest)) {
            self.pending_local.push(PendingLocal {
                route: r.span,
                dest_span: r.destination.span,
                target_span: r.target.span(),
                dest,
                target,
                vpc,
                block: *block,
            });
        }
    }

    fn acl(&mut self, acl: &ast::NetworkAcl, vpc: VpcId) -> NetworkAcl {
        let mut inbound = Vec::new();
        let mut outbound = Vec::new();
        let mut numbers: BTreeMap<(Direction, u32), Span> = BTreeMap::new();
        for r in &acl.rules {
            let dir_word = if r.direction == Direction::In {
                "inbound"
            } else {
                "outbound"
            };
            let number_ok = (1..=32766).contains(&r.number);
            if !number_ok {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0409,
                        format!(
                            "{dir_word} rule number {} of network ACL `{}` is out of range",
                            r.number, acl.name.text
                        ),
                        r.number_span,
                        "not in 1–32766",
                    )
                    .with_note(
                        "rule numbers are 1–32766; AWS keeps 32767 for the final implicit deny",
                    ),
                );
            } else if let Some(first) = numbers.get(&(r.direction, r.number)) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0409,
                        format!(
                            "{dir_word} rule {} appears twice in network ACL `{}`",
                            r.number, acl.name.text
                        ),
                        r.number_span,
                        "second rule with this number",
                    )
                    .with_secondary(*first, "first rule with this number")
                    .with_note(
                        "rule numbers are unique per direction; the lowest matching number decides",
                    ),
                );
            } else {
                numbers.insert((r.direction, r.number), r.number_span);
            }
            let ports = self.ports(r.protocol, r.ports);
            let (cidrs, peer_text) = match &r.peer {
                ast::Peer::Internet(_) => (vec![Ipv4Net::default()], "internet".to_string()),
                ast::Peer::Cidr(c) => {
                    let n = cidr::aligned(
                        c,
                        &format_args!("a rule of network ACL `{}`", acl.name.text),
                        &mut self.diags,
                    );
                    (vec![n], n.to_string())
                }
                ast::Peer::Name(n)
                    if self
                        .names
                        .get(&n.text)
                        .is_some_and(|d| d.kind == Kind::SecurityGroup) =>
                {
                    let decl = self.names.get(&n.text).map_or(n.span, |d| d.span);
                    self.diags.push(
                        Diagnostic::new(Code::E0412, format!("network ACL rules cannot name security group `{}`", n.text), n.span, "a security group is not allowed here")
                            .with_secondary(decl, "declared here as a security group")
                            .with_note("network ACL rules match CIDRs; security group references work only in security group rules")
                            .with_help("write the CIDR of the subnet or instances instead"),
                    );
                    continue;
                }
                ast::Peer::Name(n) => match self.names.resolve(
                    n,
                    &[Kind::External],
                    "external network",
                    &mut self.diags,
                ) {
                    Some(d) => (
                        self.model
                            .externals
                            .get(d.index as usize)
                            .map(|e| e.cidrs.clone())
                            .unwrap_or_default(),
                        n.text.clone(),
                    ),
                    None => continue,
                },
                ast::Peer::Service(s, sp) => {
                    self.diags.push(
                        Diagnostic::new(Code::E0412, format!("network ACL rules cannot name `service {}`", s.text), *sp, "a prefix list is not allowed here")
                            .with_note("AWS allows prefix lists in security group rules but not in network ACL rules")
                            .with_help("write the service's CIDR ranges, or `internet` for all of them"),
                    );
                    continue;
                }
            };
            let rule = AclRule {
                number: u16::try_from(r.number).unwrap_or(u16::MAX),
                allow: r.allow,
                protocol: r.protocol.kind,
                ports,
                cidrs,
                peer_text,
                span: Some(r.span),
            };
            if r.direction == Direction::In {
                inbound.push(rule);
            } else {
                outbound.push(rule);
            }
        }
        inbound.sort_by_key(|r| r.number);
        outbound.sort_by_key(|r| r.number);
        NetworkAcl {
            name: acl.name.text.clone(),
            vpc,
            default: false,
            inbound,
            outbound,
            span: Some(acl.span),
        }
    }

    /// E0411: ports on icmp/all, ports above 65535, reversed ranges.
    fn ports(&mut self, protocol: ast::Protocol, ports: Option<ast::Ports>) -> Option<(u16, u16)> {
        let p = ports?;
        if matches!(protocol.kind, ProtocolKind::Icmp | ProtocolKind::All) {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    format!("`{}` takes no ports", protocol.kind.as_str()),
                    p.span,
                    "ports given here",
                )
                .with_secondary(protocol.span, "this protocol has no ports")
                .with_help(format!(
                    "remove the ports, or use `tcp {0}` / `udp {0}`",
                    port_text(p)
                )),
            );
            return None;
        }
        if p.first > 65535 || p.last > 65535 {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    if p.first == p.last {
                        format!("port `{}` is beyond 65535", port_text(p))
                    } else {
                        format!("port range `{}` goes beyond 65535", port_text(p))
                    },
                    p.span,
                    "ports are 0–65535",
                )
                .with_note("TCP and UDP ports are 16-bit numbers"),
            );
            return None;
        }
        if p.first > p.last {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    format!("port range `{}` is reversed", port_text(p)),
                    p.span,
                    "the first port is above the last",
                )
                .with_help(format!("write `{}-{}`", p.last, p.first)),
            );
            return None;
        }
        Some((
            u16::try_from(p.first).unwrap_or(0),
            u16::try_from(p.last).unwrap_or(0),
        ))
    }

    fn sg_rule(&mut self, r: &ast::SgRule, vpc: VpcId, group: &str) -> Option<SgRule> {
        let ports = self.ports(r.protocol, r.ports);
        let peer = match &r.peer {
            ast::Peer::Internet(_) => SgPeer::Internet,
            ast::Peer::Cidr(c) => SgPeer::Cidr(cidr::aligned(
                c,
                &format_args!("a rule of security group `{group}`"),
                &mut self.diags,
            )),
            ast::Peer::Service(s, _) => SgPeer::Service(s.text.clone()),
            ast::Peer::Name(n) => {
                let d = self.names.resolve(
                    n,
                    &[Kind::External, Kind::SecurityGroup],
                    "external network or security group",
                    &mut self.diags,
                )?;
                if d.kind == Kind::External {
                    SgPeer::External(ExternalId(d.index))
                } else {
                    let other = VpcId(d.vpc.unwrap_or(0));
                    let peered = self
                        .model
                        .peerings
                        .iter()
                        .any(|p| p.other(vpc) == Some(other));
                    if other != vpc && !peered {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E0304,
                                format!(
                                    "security group `{}` belongs to VPC `{}`, which is not peered with `{}`",
                                    n.text,
                                    self.model.vpcs.get(other.index()).map_or("", |v| v.name.as_str()),
                                    self.model.vpcs.get(vpc.index()).map_or("", |v| v.name.as_str())
                                ),
                                n.span,
                                "not referenceable from this VPC",
                            )
                            .with_secondary(d.span, "declared here")
                                .with_note("a rule can reference a security group of its own VPC or of a peered VPC")
                                .with_help("reference the other VPC's CIDR instead, or peer the VPCs"),
                        );
                        return None;
                    }
                    SgPeer::Group(SecurityGroupId(d.index))
                }
            }
        };
        Some(SgRule {
            direction: r.direction,
            protocol: r.protocol.kind,
            ports,
            peer,
            span: Some(r.span),
        })
    }

    /// A free range of `len` in the VPC being built, for help messages;
    /// found once per length.
    fn free_block(&mut self, vpc_cidrs: &[Ipv4Net], len: u8) -> Option<Ipv4Net> {
        if let Some(&(_, found)) = self.free_blocks.iter().find(|(l, _)| *l == len) {
            return found;
        }
        let found = cidr::free_block(vpc_cidrs, &self.all_subnets, len);
        self.free_blocks.push((len, found));
        found
    }

    fn subnet<'v>(
        &mut self,
        s: &'v ast::Subnet,
        vpc: VpcId,
        vname: &str,
        seen: &mut cidr::FirstOverlap<(Span, &'v str)>,
    ) {
        let owner = format_args!("subnet `{}`", s.name.text);
        let net = cidr::aligned(&s.cidr, &owner, &mut self.diags);
        let size_ok = cidr::check_size(&s.cidr, net, Code::E0104, &owner, &mut self.diags);
        let vpc_cidrs = self.model.vpcs[vpc.index()].cidrs.clone();
        if !vpc_cidrs.iter().any(|c| c.contains(&net)) {
            let mut d = Diagnostic::new(
                Code::E0105,
                format!(
                    "subnet `{}` ({net}) is not inside VPC `{vname}`",
                    s.name.text
                ),
                s.cidr.span,
                "outside every block of the VPC",
            );
            for (i, (block, sp)) in self
                .vpc_src
                .get(vpc.index())
                .map(|v| v.cidrs.clone())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let which = if i == 0 { "primary" } else { "secondary" };
                d = d.with_secondary(sp, format!("{which} block of `{vname}`: {block}"));
            }
            d = d.with_note(format!(
                "{}; a subnet must lie inside one block of its VPC",
                cidr::spans(net)
            ));
            if let Some(free) = self.free_block(&vpc_cidrs, net.prefix_len().max(16)) {
                d = d.with_help(format!(
                    "a free range of the same size inside the VPC: `{free}`"
                ));
            }
            self.diags.push(d);
        }
        if size_ok {
            if let Some(&(other, (other_span, other_name))) = seen.first(net) {
                let mut d = Diagnostic::new(
                    Code::E0106,
                    format!("subnet `{}` overlaps subnet `{other_name}`", s.name.text),
                    s.cidr.span,
                    format!("{net} overlaps {other}"),
                )
                .with_secondary(other_span, format!("`{other_name}` is {other}"))
                .with_note(format!("{}; {}", cidr::spans(net), cidr::spans(other)))
                .with_note("subnets of one VPC must be disjoint");
                if let Some(free) = self.free_block(&vpc_cidrs, net.prefix_len()) {
                    d = d.with_help(format!("a free range of the same size: `{free}`"));
                }
                self.diags.push(d);
            }
            seen.push(net, (s.cidr.span, &s.name.text));
        }
        let az = s.az.as_ref().map(|a| match &self.model.region {
            Some(r) if a.text.len() == 1 && a.text.chars().all(|c| c.is_ascii_lowercase()) => {
                // `{r}{a}`, without the formatting machinery (once per subnet).
                let mut z = String::with_capacity(r.len() + a.text.len());
                z.push_str(r);
                z.push_str(&a.text);
                z
            }
            _ => a.text.clone(),
        });
        let subnet_id = SubnetId(id32(self.model.subnets.len()));
        let mut route_table: Option<(RouteTableId, Span)> = None;
        let mut acl: Option<(NetworkAclId, Span)> = None;
        let mut public_on_launch: Option<(bool, Span)> = None;
        for item in &s.items {
            match item {
                ast::SubnetItem::RouteTable(n, sp) => {
                    if let Some((_, first)) = route_table {
                        self.diags.push(once(*sp, "route_table", first));
                    } else if let Some(d) = self.names.resolve_in(
                        n,
                        &[Kind::RouteTable],
                        "route table",
                        vpc.0,
                        vname,
                        &mut self.diags,
                    ) {
                        route_table = Some((RouteTableId(d.index), *sp));
                    }
                }
                ast::SubnetItem::NetworkAcl(n, sp) => {
                    if let Some((_, first)) = acl {
                        self.diags.push(once(*sp, "network_acl", first));
                    } else if let Some(d) = self.names.resolve_in(
                        n,
                        &[Kind::NetworkAcl],
                        "network ACL",
                        vpc.0,
                        vname,
                        &mut self.diags,
                    ) {
                        acl = Some((NetworkAclId(d.index), *sp));
                    }
                }
                ast::SubnetItem::PublicIpOnLaunch(f, sp) => set_once(
                    &mut public_on_launch,
                    f.value,
                    flag_span(f, *sp),
                    "public_ip_on_launch",
                    &mut self.diags,
                ),
                ast::SubnetItem::NatGateway(_) | ast::SubnetItem::Instance(_) => {}
            }
        }
        let public_ip_on_launch = public_on_launch.is_some_and(|(b, _)| b);
        for item in &s.items {
            match item {
                ast::SubnetItem::NatGateway(n) => {
                    self.model.nat_gateways.push(NatGateway {
                        name: n.name.text.clone(),
                        subnet: subnet_id,
                        address: Ipv4Addr::UNSPECIFIED,
                        private: n.private.is_some(),
                        span: n.span,
                    });
                }
                ast::SubnetItem::Instance(i) => {
                    let inst = self.instance(i, subnet_id, vpc, vname, public_ip_on_launch);
                    self.model.instances.push(inst);
                }
                _ => {}
            }
        }
        self.model.vpcs[vpc.index()].subnets.push(subnet_id);
        self.model.subnets.push(Subnet {
            name: s.name.text.clone(),
            vpc,
            cidr: net,
            az,
            route_table: route_table.map_or(RouteTableId(u32::MAX), |x| x.0),
            explicit_route_table: route_table.is_some(),
            network_acl: acl.map_or(NetworkAclId(u32::MAX), |x| x.0),
            public_ip_on_launch,
            reserved: Reserved::of(net),
            usable: Usable::of(net),
            kind: SubnetKind::Isolated,
            kind_reason: String::new(),
            span: s.span,
        });
    }

    fn instance(
        &mut self,
        i: &ast::Instance,
        subnet: SubnetId,
        vpc: VpcId,
        vname: &str,
        public_on_launch: bool,
    ) -> Instance {
        let mut public_ip: Option<(bool, Span)> = None;
        let mut sgs: Option<(Vec<SecurityGroupId>, Span)> = None;
        let mut sdc: Option<(bool, Span)> = None;
        for item in &i.items {
            match item {
                ast::InstanceItem::PublicIp(f, sp) => set_once(
                    &mut public_ip,
                    f.value,
                    flag_span(f, *sp),
                    "public_ip",
                    &mut self.diags,
                ),
                ast::InstanceItem::SourceDestCheck(f, sp) => set_once(
                    &mut sdc,
                    f.value,
                    flag_span(f, *sp),
                    "source_dest_check",
                    &mut self.diags,
                ),
                ast::InstanceItem::SecurityGroups(list, sp) => {
                    if let Some((_, first)) = sgs {
                        self.diags.push(once(*sp, "security_groups", first));
                        continue;
                    }
                    let ids = self.group_list(list, vpc, vname);
                    sgs = Some((ids, *sp));
                }
            }
        }
        Instance {
            name: i.name.text.clone(),
            subnet,
            address: i.address.map_or(Ipv4Addr::UNSPECIFIED, |a| a.addr),
            address_written: i.address.is_some(),
            public_ip: public_ip.map_or(public_on_launch, |(b, _)| b),
            security_groups: sgs.map(|(v, _)| v).unwrap_or_default(),
            source_dest_check: sdc.is_none_or(|(b, _)| b),
            span: i.span,
        }
    }

    fn group_list(
        &mut self,
        list: &ast::NameList,
        vpc: VpcId,
        vname: &str,
    ) -> Vec<SecurityGroupId> {
        let mut ids = Vec::new();
        for n in &list.items {
            if let Some(d) = self.names.resolve_in(
                n,
                &[Kind::SecurityGroup],
                "security group",
                vpc.0,
                vname,
                &mut self.diags,
            ) {
                let id = SecurityGroupId(d.index);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    fn endpoint(&mut self, e: &ast::Endpoint, vpc: VpcId, vname: &str) -> Endpoint {
        let region = self
            .model
            .region
            .clone()
            .unwrap_or_else(|| "REGION".to_string());
        let service = e.service.text.clone();
        let service_name = format!("com.amazonaws.{region}.{service}");
        let kind = match &e.kind {
            ast::EndpointKind::Gateway { items, .. } => {
                if GatewayService::parse(&service).is_none() {
                    self.diags.push(
                        Diagnostic::new(Code::E0404, format!("gateway endpoints exist only for s3 and dynamodb, not `{service}`"), e.service.span, "no gateway endpoint for this service")
                            .with_note("AWS offers gateway endpoints for Amazon S3 and DynamoDB only; other services are reached through interface endpoints")
                            .with_help(format!("use `endpoint {} interface {service}` (PrivateLink)", e.name.text)),
                    );
                }
                let mut tables = Vec::new();
                for item in items {
                    let ast::GatewayItem::RouteTables(list, _) = item;
                    for n in &list.items {
                        if let Some(d) = self.names.resolve_in(
                            n,
                            &[Kind::RouteTable],
                            "route table",
                            vpc.0,
                            vname,
                            &mut self.diags,
                        ) {
                            let id = RouteTableId(d.index);
                            if !tables.contains(&id) {
                                tables.push(id);
                            }
                        }
                    }
                }
                EndpointKind::Gateway {
                    route_tables: tables,
                }
            }
            ast::EndpointKind::Interface { items, .. } => {
                let mut subnets: Vec<(SubnetId, Span)> = Vec::new();
                let mut sgs = Vec::new();
                let mut private_dns: Option<(bool, Span)> = None;
                for item in items {
                    match item {
                        ast::InterfaceItem::Subnets(list, _) => {
                            for n in &list.items {
                                if let Some(d) = self.names.resolve_in(
                                    n,
                                    &[Kind::Subnet],
                                    "subnet",
                                    vpc.0,
                                    vname,
                                    &mut self.diags,
                                ) {
                                    let id = SubnetId(d.index);
                                    if !subnets.iter().any(|x| x.0 == id) {
                                        subnets.push((id, n.span));
                                    }
                                }
                            }
                        }
                        ast::InterfaceItem::SecurityGroups(list, _) => {
                            sgs.extend(self.group_list(list, vpc, vname))
                        }
                        ast::InterfaceItem::PrivateDns(f, sp) => set_once(
                            &mut private_dns,
                            f.value,
                            flag_span(f, *sp),
                            "private_dns",
                            &mut self.diags,
                        ),
                    }
                }
                self.check_endpoint_azs(e, &subnets);
                let on = private_dns.is_none_or(|(b, _)| b);
                let v = &self.model.vpcs[vpc.index()];
                if on && !(v.dns_support && v.dns_hostnames) {
                    let mut off: Vec<&str> = Vec::new();
                    if !v.dns_support {
                        off.push("dns_support");
                    }
                    if !v.dns_hostnames {
                        off.push("dns_hostnames");
                    }
                    let (span, label) = match private_dns {
                        Some((_, sp)) => (sp, "private DNS is on".to_string()),
                        None => (e.name.span, "private DNS is on by default".to_string()),
                    };
                    let vsrc = self.vpc_src.get(vpc.index()).cloned().unwrap_or_default();
                    let named: Vec<String> = off.iter().map(|o| format!("`{o}`")).collect();
                    let mut d = Diagnostic::new(
                        Code::E0406,
                        format!(
                            "interface endpoint `{}` has private DNS on, but VPC `{vname}` has {} off",
                            e.name.text,
                            named.join(" and ")
                        ),
                        span,
                        label,
                    );
                    for o in &off {
                        let written = if *o == "dns_support" {
                            vsrc.dns_support
                        } else {
                            vsrc.dns_hostnames
                        };
                        d = match written {
                            Some(sp) => d.with_secondary(sp, format!("`{o}` is off here")),
                            None => d.with_secondary(
                                vsrc.name,
                                format!("`{o}` is off by default in VPC `{vname}`"),
                            ),
                        };
                    }
                    let fix: Vec<String> = off.iter().map(|o| format!("`{o} on`")).collect();
                    self.diags.push(
                        d.with_note("private DNS for an interface endpoint needs both enableDnsSupport and enableDnsHostnames on the VPC")
                            .with_help(format!("write {} in VPC `{vname}`, or `private_dns off` in the endpoint", fix.join(" and "))),
                    );
                }
                EndpointKind::Interface {
                    interfaces: subnets
                        .iter()
                        .map(|(s, _)| EndpointInterface {
                            subnet: *s,
                            address: Ipv4Addr::UNSPECIFIED,
                        })
                        .collect(),
                    security_groups: sgs,
                    private_dns: on,
                }
            }
        };
        Endpoint {
            name: e.name.text.clone(),
            vpc,
            service,
            service_name,
            kind,
            span: e.span,
        }
    }

    /// E0405: at most one subnet per AZ for an interface endpoint.
    fn check_endpoint_azs(&mut self, e: &ast::Endpoint, subnets: &[(SubnetId, Span)]) {
        for (i, (a, a_span)) in subnets.iter().enumerate() {
            for (b, b_span) in subnets.iter().take(i) {
                let (Some(za), Some(zb)) = (
                    self.model.subnets.get(a.index()).and_then(|s| s.az.clone()),
                    self.model.subnets.get(b.index()).and_then(|s| s.az.clone()),
                ) else {
                    continue;
                };
                if za == zb {
                    self.diags.push(
                        Diagnostic::new(Code::E0405, format!("interface endpoint `{}` has two subnets in AZ `{za}`", e.name.text), *a_span, format!("also in `{za}`"))
                            .with_secondary(*b_span, format!("this subnet is in `{za}`"))
                            .with_note("an interface endpoint gets at most one network interface per availability zone, so at most one subnet per AZ")
                            .with_help("keep one subnet per AZ in `subnets`"),
                    );
                }
            }
        }
    }

    /// Implicit main route tables, default security groups and default ACLs,
    /// then the effective associations of subnets and instances.
    fn add_implicit_objects(&mut self, vpcs: &[&ast::Vpc]) {
        for vi in 0..self.model.vpcs.len() {
            let vpc = VpcId(id32(vi));
            if self.model.vpcs[vi].main_route_table.0 == u32::MAX {
                let id = RouteTableId(id32(self.model.route_tables.len()));
                self.model.route_tables.push(RouteTable {
                    name: "main".to_string(),
                    vpc,
                    main: true,
                    span: None,
                    routes: Vec::new(),
                    subnets: Vec::new(),
                });
                self.model.vpcs[vi].main_route_table = id;
            }
            let sg = SecurityGroupId(id32(self.model.security_groups.len()));
            self.model.security_groups.push(SecurityGroup {
                name: "default".to_string(),
                vpc,
                default: true,
                rules: vec![SgRule {
                    direction: Direction::In,
                    protocol: ProtocolKind::All,
                    ports: None,
                    peer: SgPeer::Group(sg),
                    span: None,
                }],
                default_egress: true,
                span: None,
            });
            self.model.vpcs[vi].default_security_group = sg;
            let acl = NetworkAclId(id32(self.model.network_acls.len()));
            let allow_all = AclRule {
                number: 100,
                allow: true,
                protocol: ProtocolKind::All,
                ports: None,
                cidrs: vec![Ipv4Net::default()],
                peer_text: "0.0.0.0/0".to_string(),
                span: None,
            };
            self.model.network_acls.push(NetworkAcl {
                name: "default".to_string(),
                vpc,
                default: true,
                inbound: vec![allow_all.clone()],
                outbound: vec![allow_all],
                span: None,
            });
            self.model.vpcs[vi].default_network_acl = acl;
        }
        let _ = vpcs;
        for s in &mut self.model.subnets {
            let v = &self.model.vpcs[s.vpc.index()];
            if s.route_table.0 == u32::MAX {
                s.route_table = v.main_route_table;
            }
            if s.network_acl.0 == u32::MAX {
                s.network_acl = v.default_network_acl;
            }
        }
        for i in 0..self.model.instances.len() {
            if self.model.instances[i].security_groups.is_empty() {
                let v = self.model.subnets[self.model.instances[i].subnet.index()].vpc;
                self.model.instances[i].security_groups =
                    vec![self.model.vpcs[v.index()].default_security_group];
            }
        }
        for e in &mut self.model.endpoints {
            if let EndpointKind::Interface {
                security_groups, ..
            } = &mut e.kind
                && security_groups.is_empty()
            {
                security_groups.push(self.model.vpcs[e.vpc.index()].default_security_group);
            }
        }
    }

    /// Local and prefix-list routes, E0408, subnet lists, match order and
    /// subnet kinds.
    fn finish_route_tables(&mut self) {
        for p in std::mem::take(&mut self.pending_local) {
            let subnet_exact = self
                .model
                .subnets
                .iter()
                .any(|s| s.vpc == p.vpc && s.cidr == p.dest);
            let target_ok = matches!(p.target, Target::NatGateway(_) | Target::Instance(_));
            if subnet_exact && target_ok {
                continue;
            }
            let vname = &self.model.vpcs[p.vpc.index()].name;
            let relation = if p.dest == p.block { "is" } else { "is inside" };
            let mut d = Diagnostic::new(
                Code::E0408,
                format!(
                    "route destination {} {relation} VPC `{vname}`'s own block {}",
                    p.dest, p.block
                ),
                p.dest_span,
                "the `local` route covers this destination",
            )
            .with_note(format!(
                "{}; traffic to it is delivered by the `local` route",
                cidr::spans(p.block)
            ));
            d = if subnet_exact {
                d.with_secondary(p.target_span, "this target cannot take a route more specific than local")
                    .with_note("since August 2021 AWS allows a route more specific than local only to a NAT gateway or a network interface (instance)")
                    .with_help("route this subnet's CIDR to a NAT gateway or an appliance instance, or remove the route")
            } else {
                d.with_note("AWS allows a route more specific than local only when its destination is exactly one subnet's CIDR, to a NAT gateway or an instance")
                    .with_help("remove the route; to steer traffic through an appliance, route exactly a subnet's CIDR to the instance")
            };
            let _ = p.route;
            self.diags.push(d);
        }
        // Gateway endpoint prefix-list routes.
        for (ei, e) in self.model.endpoints.iter().enumerate() {
            let EndpointKind::Gateway { route_tables } = &e.kind else {
                continue;
            };
            let Some(svc) = GatewayService::parse(&e.service) else {
                continue;
            };
            for rt in route_tables {
                let table = &mut self.model.route_tables[rt.index()];
                if let Some(existing) = table
                    .routes
                    .iter()
                    .find(|r| r.destination == Destination::PrefixList(svc))
                {
                    let first_name = match existing.target {
                        Target::GatewayEndpoint(id) => {
                            self.model.endpoints.get(id.index()).map(|x| x.name.clone())
                        }
                        _ => None,
                    }
                    .unwrap_or_default();
                    let first = self
                        .names
                        .get(&first_name)
                        .map_or(existing.span.unwrap_or_default(), |d| d.span);
                    let second = self.names.get(&e.name).map_or(e.span, |d| d.span);
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0402,
                            format!("route table `{}` gets two routes to pl:{}, from `{first_name}` and `{}`", table.name, svc.as_str(), e.name),
                            second,
                            format!("second {} gateway endpoint on `{}`", svc.as_str(), table.name),
                        )
                        .with_secondary(first, format!("first {} gateway endpoint on `{}`", svc.as_str(), table.name))
                        .with_note("a route table holds one gateway-endpoint route per service")
                        .with_help(format!("remove `{}` from the `route_tables` of one endpoint", table.name)),
                    );
                    continue;
                }
                table.routes.push(Route {
                    destination: Destination::PrefixList(svc),
                    target: Target::GatewayEndpoint(EndpointId(id32(ei))),
                    origin: RouteOrigin::GatewayEndpoint,
                    span: Some(e.span),
                });
            }
        }
        for rt in &mut self.model.route_tables {
            let v = &self.model.vpcs[rt.vpc.index()];
            for c in &v.cidrs {
                rt.routes.push(Route {
                    destination: Destination::Cidr(*c),
                    target: Target::Local(rt.vpc),
                    origin: RouteOrigin::Local,
                    span: None,
                });
            }
            crate::routes::sort(&mut rt.routes);
        }
        for (si, s) in self.model.subnets.iter().enumerate() {
            if let Some(rt) = self.model.route_tables.get_mut(s.route_table.index()) {
                rt.subnets.push(SubnetId(id32(si)));
            }
        }
        // A subnet's kind follows from its route table alone, so it is
        // worked out once per table (hundreds of subnets share one).
        let mut by_table: Vec<Option<(SubnetKind, String)>> =
            vec![None; self.model.route_tables.len()];
        for si in 0..self.model.subnets.len() {
            let table = self.model.subnets[si].route_table.index();
            let (kind, reason) = match by_table.get(table) {
                Some(Some(known)) => known.clone(),
                _ => {
                    let found = crate::routes::subnet_kind(&self.model, SubnetId(id32(si)));
                    if let Some(slot) = by_table.get_mut(table) {
                        *slot = Some(found.clone());
                    }
                    found
                }
            };
            self.model.subnets[si].kind = kind;
            self.model.subnets[si].kind_reason = reason;
        }
    }

    fn expect(&mut self, e: &ast::Expect) -> Option<model::Expect> {
        let source = self.flow_end(&e.source, true);
        let destination = self.flow_end(&e.destination, false);
        let ports = match e.protocol {
            Some(p) => self.ports(p, e.ports),
            None => None,
        };
        let mut via = Vec::new();
        let kinds = [
            Kind::Instance,
            Kind::NatGateway,
            Kind::InternetGateway,
            Kind::GatewayEndpoint,
            Kind::InterfaceEndpoint,
            Kind::Peering,
            Kind::Subnet,
            Kind::RouteTable,
        ];
        let mut ok = true;
        for n in &e.via {
            match self
                .names
                .resolve(n, &kinds, "component a path can traverse", &mut self.diags)
            {
                Some(d) => via.push((
                    match d.kind {
                        Kind::Instance => ViaComponent::Instance(InstanceId(d.index)),
                        Kind::NatGateway => ViaComponent::NatGateway(NatGatewayId(d.index)),
                        Kind::InternetGateway => {
                            ViaComponent::InternetGateway(InternetGatewayId(d.index))
                        }
                        Kind::GatewayEndpoint | Kind::InterfaceEndpoint => {
                            ViaComponent::Endpoint(EndpointId(d.index))
                        }
                        Kind::Peering => ViaComponent::Peering(PeeringId(d.index)),
                        Kind::Subnet => ViaComponent::Subnet(SubnetId(d.index)),
                        _ => ViaComponent::RouteTable(RouteTableId(d.index)),
                    },
                    n.span,
                )),
                None => ok = false,
            }
        }
        let (source, destination) = (source?, destination?);
        ok.then(|| model::Expect {
            source,
            can: e.can,
            destination,
            protocol: e.protocol.map(|p| p.kind),
            ports,
            via,
            privately: e.privately.is_some(),
            span: e.span,
        })
    }

    fn flow_end(&mut self, end: &ast::FlowEnd, is_source: bool) -> Option<FlowEnd> {
        match end {
            ast::FlowEnd::Internet(_) => Some(FlowEnd::Internet),
            ast::FlowEnd::Service(s, sp) => {
                if is_source {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0303,
                            format!("`service {}` cannot open connections", s.text),
                            *sp,
                            "a service is a destination only",
                        )
                        .with_note(
                            "AWS services do not initiate connections into a VPC through endpoints",
                        ),
                    );
                    return None;
                }
                Some(FlowEnd::Service(s.text.clone()))
            }
            ast::FlowEnd::Name(n) => {
                let kinds = [
                    Kind::Instance,
                    Kind::Subnet,
                    Kind::External,
                    Kind::InterfaceEndpoint,
                ];
                let d = self.names.resolve(
                    n,
                    &kinds,
                    "instance, subnet, external or interface endpoint",
                    &mut self.diags,
                )?;
                Some(match d.kind {
                    Kind::Instance => FlowEnd::Instance(InstanceId(d.index)),
                    Kind::Subnet => FlowEnd::Subnet(SubnetId(d.index)),
                    Kind::External => FlowEnd::External(ExternalId(d.index)),
                    _ => FlowEnd::InterfaceEndpoint(EndpointId(d.index)),
                })
            }
        }
    }
}

/// A route more specific than or equal to a VPC block, judged once subnets
/// are known.
struct PendingLocal {
    route: Span,
    dest_span: Span,
    target_span: Span,
    dest: Ipv4Net,
    target: Target,
    vpc: VpcId,
    block: Ipv4Net,
}

fn port_text(p: ast::Ports) -> String {
    if p.first == p.last {
        p.first.to_string()
    } else {
        format!("{}-{}", p.first, p.last)
    }
}

/// E0414: AWS takes at most four IPv4 name servers (or three and
/// AmazonProvidedDNS) and at most four IPv4 NTP servers in a DHCP option
/// set (aws-facts §9, DHCPOptionSet.html).
fn dhcp_limits(item: &ast::DhcpItem, diags: &mut Vec<Diagnostic>) {
    match item {
        ast::DhcpItem::NameServers(list, sp) => {
            let amazon = list
                .iter()
                .any(|n| matches!(n, ast::NameServer::AmazonProvidedDns(_)));
            let addresses = list
                .iter()
                .filter(|n| matches!(n, ast::NameServer::Address(_)))
                .count();
            let limit = if amazon { 3 } else { 4 };
            if addresses > limit {
                let (label, note) = if amazon {
                    (
                        format!("AmazonProvidedDNS and {addresses} addresses"),
                        "a DHCP option set takes up to four IPv4 name servers, or three and AmazonProvidedDNS",
                    )
                } else {
                    (
                        format!("{addresses} addresses"),
                        "a DHCP option set takes up to four IPv4 name servers",
                    )
                };
                let first_extra = list
                    .iter()
                    .filter(|n| matches!(n, ast::NameServer::Address(_)))
                    .nth(limit)
                    .map_or(*sp, ast::NameServer::span);
                diags.push(
                    Diagnostic::new(
                        Code::E0414,
                        format!(
                            "`name_servers` lists {} servers, more than AWS allows",
                            list.len()
                        ),
                        first_extra,
                        "one server too many",
                    )
                    .with_secondary(*sp, label)
                    .with_note(note)
                    .with_help(format!(
                        "keep at most {limit} addresses{}",
                        if amazon {
                            " besides AmazonProvidedDNS"
                        } else {
                            ""
                        }
                    )),
                );
            }
        }
        ast::DhcpItem::NtpServers(list, sp) if list.len() > 4 => {
            diags.push(
                Diagnostic::new(
                    Code::E0414,
                    format!(
                        "`ntp_servers` lists {} servers, more than AWS allows",
                        list.len()
                    ),
                    list[4].span,
                    "one server too many",
                )
                .with_secondary(*sp, format!("{} addresses", list.len()))
                .with_note("a DHCP option set takes up to four IPv4 NTP servers")
                .with_help("keep at most 4 addresses, e.g. Amazon Time Sync at 169.254.169.123"),
            );
        }
        _ => {}
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
