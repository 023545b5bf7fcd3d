//! The name index of one file: every declaration and every reference, with
//! spans, built from the AST alone (no checking, no model).
//!
//! This is what editor features need: what a name at a position is, where
//! it is declared, where it is used, and which names of which kind exist.
//! Declarations keep source order and their nesting (a subnet's parent is
//! its VPC, an instance's parent its subnet), so an outline falls out.
//!
//! Every name in a file lives in one namespace (spec §2), so a reference is
//! matched to declarations by text alone. With duplicate declarations (an
//! E0302 error), the first one is "the" declaration.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

use crate::source::Span;
use crate::syntax::ast::*;

/// What a declaration declares: the one list of kinds, for the checker's
/// name table (`check/names.rs`) and this index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    External,
    PrefixList,
    Vpc,
    Peering,
    InternetGateway,
    /// An egress-only internet gateway (IPv6).
    EgressOnlyGateway,
    Subnet,
    RouteTable,
    GatewayEndpoint,
    InterfaceEndpoint,
    SecurityGroup,
    NetworkAcl,
    NatGateway,
    Instance,
    TransitGateway,
    TgwRouteTable,
    TgwAttachment,
    Vpn,
    VpnGateway,
    /// A VPN connection of a virtual private gateway.
    VgwVpn,
}

impl Kind {
    /// The keyword that declares it, e.g. `security_group`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::External => "external",
            Kind::PrefixList => "prefix_list",
            Kind::Vpc => "vpc",
            Kind::Peering => "peering",
            Kind::InternetGateway => "internet_gateway",
            Kind::EgressOnlyGateway => "egress_only_internet_gateway",
            Kind::Subnet => "subnet",
            Kind::RouteTable => "route_table",
            Kind::GatewayEndpoint | Kind::InterfaceEndpoint => "endpoint",
            Kind::SecurityGroup => "security_group",
            Kind::NetworkAcl => "network_acl",
            Kind::NatGateway => "nat_gateway",
            Kind::Instance => "instance",
            Kind::TransitGateway => "transit_gateway",
            Kind::TgwRouteTable => "route_table",
            Kind::TgwAttachment => "attach",
            Kind::Vpn | Kind::VgwVpn => "vpn",
            Kind::VpnGateway => "vpn_gateway",
        }
    }

    /// What it is called in a message, e.g. "security group".
    pub fn noun(self) -> &'static str {
        match self {
            Kind::External => "external network",
            Kind::PrefixList => "prefix list",
            Kind::Vpc => "VPC",
            Kind::Peering => "peering connection",
            Kind::InternetGateway => "internet gateway",
            Kind::EgressOnlyGateway => "egress-only internet gateway",
            Kind::Subnet => "subnet",
            Kind::RouteTable => "route table",
            Kind::GatewayEndpoint => "gateway endpoint",
            Kind::InterfaceEndpoint => "interface endpoint",
            Kind::SecurityGroup => "security group",
            Kind::NetworkAcl => "network ACL",
            Kind::NatGateway => "NAT gateway",
            Kind::Instance => "instance",
            Kind::TransitGateway => "transit gateway",
            Kind::TgwRouteTable => "transit gateway route table",
            Kind::TgwAttachment => "transit gateway attachment",
            Kind::Vpn | Kind::VgwVpn => "VPN connection",
            Kind::VpnGateway => "virtual private gateway",
        }
    }

    /// Every kind, in declaration-keyword order.
    pub const ALL: &'static [Kind] = &[
        Kind::External,
        Kind::PrefixList,
        Kind::Vpc,
        Kind::Peering,
        Kind::InternetGateway,
        Kind::EgressOnlyGateway,
        Kind::Subnet,
        Kind::RouteTable,
        Kind::GatewayEndpoint,
        Kind::InterfaceEndpoint,
        Kind::SecurityGroup,
        Kind::NetworkAcl,
        Kind::NatGateway,
        Kind::Instance,
        Kind::TransitGateway,
        Kind::TgwRouteTable,
        Kind::TgwAttachment,
        Kind::Vpn,
        Kind::VpnGateway,
        Kind::VgwVpn,
    ];
}

/// A declaring statement, as [`declarations`] meets it.
#[derive(Clone, Copy, Debug)]
pub enum Stmt<'a> {
    External(&'a External),
    PrefixList(&'a PrefixList),
    Peering(&'a Peering),
    Vpc(&'a Vpc),
    InternetGateway(&'a InternetGateway),
    Subnet(&'a Subnet),
    NatGateway(&'a NatGateway),
    Instance(&'a Instance),
    RouteTable(&'a RouteTable),
    Endpoint(&'a Endpoint),
    SecurityGroup(&'a SecurityGroup),
    NetworkAcl(&'a NetworkAcl),
    TransitGateway(&'a TransitGateway),
    TgwRouteTable(&'a TgwRouteTable),
    TgwAttach(&'a TgwAttach),
    TgwVpn(&'a TgwVpn),
    VpnGateway(&'a VpnGateway),
    VgwVpn(&'a VgwVpn),
}

impl Stmt<'_> {
    /// The whole statement.
    pub fn span(&self) -> Span {
        match *self {
            Stmt::External(x) => x.span,
            Stmt::PrefixList(x) => x.span,
            Stmt::Peering(x) => x.span,
            Stmt::Vpc(x) => x.span,
            Stmt::InternetGateway(x) => x.span,
            Stmt::Subnet(x) => x.span,
            Stmt::NatGateway(x) => x.span,
            Stmt::Instance(x) => x.span,
            Stmt::RouteTable(x) => x.span,
            Stmt::Endpoint(x) => x.span,
            Stmt::SecurityGroup(x) => x.span,
            Stmt::NetworkAcl(x) => x.span,
            Stmt::TransitGateway(x) => x.span,
            Stmt::TgwRouteTable(x) => x.span,
            Stmt::TgwAttach(x) => x.span,
            Stmt::TgwVpn(x) => x.span,
            Stmt::VpnGateway(x) => x.span,
            Stmt::VgwVpn(x) => x.span,
        }
    }

    /// The declaration's header: its keyword through the last token before
    /// the body (`security_group app-sg`, `subnet web 10.0.1.0/24 az a`),
    /// where a diagnostic about the whole declaration points. A statement
    /// without a body is its own header.
    pub fn head(&self) -> Span {
        let upto = |start: Span, end: Span| Span::new(start.start as usize, end.end as usize);
        match *self {
            Stmt::External(x) => x.span,
            Stmt::PrefixList(x) => x.span,
            Stmt::Peering(x) => x.span,
            Stmt::InternetGateway(x) => x.span,
            Stmt::NatGateway(x) => x.span,
            Stmt::Vpc(x) => upto(x.span, x.cidr.span),
            Stmt::Subnet(x) => upto(x.span, x.az.as_ref().map_or(x.cidr.span, |a| a.span)),
            Stmt::Instance(x) => upto(x.span, x.address.map_or(x.name.span, |a| a.span)),
            Stmt::RouteTable(x) => upto(x.span, x.main.unwrap_or(x.name.span)),
            Stmt::Endpoint(x) => upto(x.span, x.service.span),
            Stmt::SecurityGroup(x) => upto(x.span, x.name.span),
            Stmt::NetworkAcl(x) => upto(x.span, x.name.span),
            Stmt::TransitGateway(x) => upto(x.span, x.name.span),
            Stmt::TgwRouteTable(x) => upto(x.span, x.name.span),
            Stmt::TgwAttach(x) => x.span,
            Stmt::TgwVpn(x) => x.span,
            Stmt::VpnGateway(x) => upto(x.span, x.name.span),
            Stmt::VgwVpn(x) => x.span,
        }
    }
}

/// One declaration of the walk.
#[derive(Clone, Copy, Debug)]
pub struct Declared<'a> {
    pub name: &'a Name,
    pub kind: Kind,
    pub stmt: Stmt<'a>,
    /// The enclosing declaration, by its place in the walk (0 is the
    /// first declaration met).
    pub parent: Option<usize>,
    /// The enclosing VPC, by its place among the file's VPCs.
    pub vpc: Option<u32>,
}

/// The one declaration walk: every declaration of the file in source order
/// (a VPC, then what it declares; a subnet, then its NAT gateways and
/// instances), shared by the checker's pass 1 and [`Index::new`].
pub fn declarations<'a>(file: &'a File, mut f: impl FnMut(Declared<'a>)) {
    let mut seen = 0usize;
    let mut vpcs = 0u32;
    let mut emit = |name: &'a Name, kind, stmt, parent, vpc| {
        f(Declared {
            name,
            kind,
            stmt,
            parent,
            vpc,
        });
        seen += 1;
        seen - 1
    };
    for item in &file.items {
        match item {
            Item::External(e) => {
                emit(&e.name, Kind::External, Stmt::External(e), None, None);
            }
            Item::PrefixList(l) => {
                emit(&l.name, Kind::PrefixList, Stmt::PrefixList(l), None, None);
            }
            Item::Peering(p) => {
                emit(&p.name, Kind::Peering, Stmt::Peering(p), None, None);
            }
            Item::Vpc(v) => {
                let id = emit(&v.name, Kind::Vpc, Stmt::Vpc(v), None, None);
                let (parent, vpc) = (Some(id), Some(vpcs));
                vpcs += 1;
                for item in &v.items {
                    match item {
                        VpcItem::InternetGateway(g) => {
                            let stmt = Stmt::InternetGateway(g);
                            emit(&g.name, Kind::InternetGateway, stmt, parent, vpc);
                        }
                        VpcItem::EgressOnlyGateway(g) => {
                            let stmt = Stmt::InternetGateway(g);
                            emit(&g.name, Kind::EgressOnlyGateway, stmt, parent, vpc);
                        }
                        VpcItem::VpnGateway(g) => {
                            let stmt = Stmt::VpnGateway(g);
                            let gid = emit(&g.name, Kind::VpnGateway, stmt, parent, vpc);
                            for c in &g.vpns {
                                emit(&c.name, Kind::VgwVpn, Stmt::VgwVpn(c), Some(gid), vpc);
                            }
                        }
                        VpcItem::Subnet(s) => {
                            let sid = emit(&s.name, Kind::Subnet, Stmt::Subnet(s), parent, vpc);
                            for si in &s.items {
                                match si {
                                    SubnetItem::NatGateway(n) => {
                                        let stmt = Stmt::NatGateway(n);
                                        emit(&n.name, Kind::NatGateway, stmt, Some(sid), vpc);
                                    }
                                    SubnetItem::Instance(i) => {
                                        let stmt = Stmt::Instance(i);
                                        emit(&i.name, Kind::Instance, stmt, Some(sid), vpc);
                                    }
                                    SubnetItem::RouteTable(..)
                                    | SubnetItem::NetworkAcl(..)
                                    | SubnetItem::PublicIpOnLaunch(..) => {}
                                }
                            }
                        }
                        VpcItem::RouteTable(t) => {
                            emit(&t.name, Kind::RouteTable, Stmt::RouteTable(t), parent, vpc);
                        }
                        VpcItem::Endpoint(e) => {
                            let kind = match e.kind {
                                EndpointKind::Gateway { .. } => Kind::GatewayEndpoint,
                                EndpointKind::Interface { .. } => Kind::InterfaceEndpoint,
                            };
                            emit(&e.name, kind, Stmt::Endpoint(e), parent, vpc);
                        }
                        VpcItem::SecurityGroup(g) => {
                            let stmt = Stmt::SecurityGroup(g);
                            emit(&g.name, Kind::SecurityGroup, stmt, parent, vpc);
                        }
                        VpcItem::NetworkAcl(a) => {
                            emit(&a.name, Kind::NetworkAcl, Stmt::NetworkAcl(a), parent, vpc);
                        }
                        VpcItem::SecondaryCidr(..)
                        | VpcItem::Ipv6Cidr(..)
                        | VpcItem::DnsSupport(..)
                        | VpcItem::DnsHostnames(..)
                        | VpcItem::DhcpOptions(_) => {}
                    }
                }
            }
            Item::TransitGateway(t) => {
                let id = emit(
                    &t.name,
                    Kind::TransitGateway,
                    Stmt::TransitGateway(t),
                    None,
                    None,
                );
                for item in &t.items {
                    let (name, kind, stmt) = match item {
                        TgwItem::RouteTable(r) => {
                            (&r.name, Kind::TgwRouteTable, Stmt::TgwRouteTable(r))
                        }
                        TgwItem::Attach(a) => (&a.name, Kind::TgwAttachment, Stmt::TgwAttach(a)),
                        TgwItem::Vpn(v) => (&v.name, Kind::Vpn, Stmt::TgwVpn(v)),
                        TgwItem::SgReferencing(..) => continue,
                    };
                    emit(name, kind, stmt, Some(id), None);
                }
            }
            Item::Region(_) | Item::Expect(_) => {}
        }
    }
}

/// The kinds a route may target.
pub const ROUTE_TARGETS: &[Kind] = &[
    Kind::InternetGateway,
    Kind::EgressOnlyGateway,
    Kind::NatGateway,
    Kind::Instance,
    Kind::Peering,
    Kind::TransitGateway,
    Kind::VpnGateway,
];
/// The kinds a transit gateway route may target, and a `propagate` name.
pub const TGW_ROUTE_TARGETS: &[Kind] = &[Kind::TgwAttachment, Kind::Vpn];
/// The kinds an `expect` may name as a source or destination, in the
/// order they are tried and listed: the one list the checker, the engine
/// (`reach::END_KINDS`) and completion share. A gateway endpoint is no end:
/// it has no interface, traffic only passes it.
pub const FLOW_ENDS: &[Kind] = &[
    Kind::Instance,
    Kind::Subnet,
    Kind::External,
    Kind::InterfaceEndpoint,
];
/// The kinds a security group rule may name as its peer.
pub const SG_PEERS: &[Kind] = &[Kind::External, Kind::PrefixList, Kind::SecurityGroup];
/// The kinds a network ACL rule may name as its peer (AWS takes no prefix
/// list there: a prefix list in an ACL rule is E0412, not E0303).
pub const ACL_PEERS: &[Kind] = &[Kind::External];
/// The kinds a route may name as its destination.
pub const ROUTE_DESTINATIONS: &[Kind] = &[Kind::PrefixList];

/// A declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub name: String,
    pub kind: Kind,
    /// The name as written in the declaration.
    pub name_span: Span,
    /// The whole declaring statement.
    pub span: Span,
    /// The enclosing declaration (index into [`Index::decls`]).
    pub parent: Option<usize>,
    /// A one-line summary: `10.0.1.0/24 az a`, `gateway s3`, ...
    pub detail: String,
}

/// A use of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub name: String,
    pub span: Span,
    /// The kinds that fit here (for E0303 and completion).
    pub expected: &'static [Kind],
}

/// A CIDR or address literal, for hovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    Cidr(Ipv4Net),
    Address(Ipv4Addr),
    Cidr6(Ipv6Net),
    Address6(Ipv6Addr),
}

/// The name index of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    /// Declarations in source order.
    pub decls: Vec<Decl>,
    /// References in source order.
    pub refs: Vec<Ref>,
    /// CIDR and address literals in source order.
    pub literals: Vec<(Span, Literal)>,
}

/// What is at a position: a declaration's name or a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence<'a> {
    Decl(&'a Decl),
    Ref(&'a Ref),
}

impl Occurrence<'_> {
    pub fn name(&self) -> &str {
        match self {
            Occurrence::Decl(d) => &d.name,
            Occurrence::Ref(r) => &r.name,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Occurrence::Decl(d) => d.name_span,
            Occurrence::Ref(r) => r.span,
        }
    }
}

impl Index {
    pub fn new(file: &File) -> Index {
        let mut b = Builder {
            index: Index::default(),
        };
        declarations(file, |d| b.index.decls.push(decl(d)));
        b.file(file);
        b.index
    }

    /// The declaration or reference whose name covers `offset` (the end
    /// of a name counts, so a cursor right after it finds it).
    pub fn at(&self, offset: usize) -> Option<Occurrence<'_>> {
        let covers = |s: Span| s.start as usize <= offset && offset <= s.end as usize;
        self.decls
            .iter()
            .find(|d| covers(d.name_span))
            .map(Occurrence::Decl)
            .or_else(|| {
                self.refs
                    .iter()
                    .find(|r| covers(r.span))
                    .map(Occurrence::Ref)
            })
    }

    /// The (first) declaration of `name`.
    pub fn decl(&self, name: &str) -> Option<&Decl> {
        self.decls.iter().find(|d| d.name == name)
    }

    /// Every reference to `name`.
    pub fn refs_to<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Ref> + 'a {
        self.refs.iter().filter(move |r| r.name == name)
    }

    /// Declarations of the given kinds, in source order, names deduplicated.
    pub fn names_of<'a>(&'a self, kinds: &'a [Kind]) -> impl Iterator<Item = &'a Decl> + 'a {
        // One pass: a name counts at its first declaration (of any kind).
        let mut seen: std::collections::HashSet<&'a str> = std::collections::HashSet::new();
        self.decls.iter().filter(move |d| {
            let first = seen.insert(d.name.as_str());
            first && kinds.contains(&d.kind)
        })
    }

    /// The literal covering `offset`.
    pub fn literal_at(&self, offset: usize) -> Option<(Span, Literal)> {
        self.literals
            .iter()
            .copied()
            .find(|(s, _)| s.start as usize <= offset && offset <= s.end as usize)
    }

    /// The children of declaration `parent` (`None`: top level).
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = (usize, &Decl)> + '_ {
        self.decls
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.parent == parent)
    }
}

/// A declaration of the walk as the index keeps it, with its one-line
/// summary.
fn decl(d: Declared<'_>) -> Decl {
    let (span, detail) = match d.stmt {
        Stmt::External(e) => {
            let cidrs: Vec<String> = e.cidrs.iter().map(|c| c.net.to_string()).collect();
            (e.span, cidrs.join(", "))
        }
        Stmt::PrefixList(l) => {
            let cidrs: Vec<String> = l.entries.iter().map(|c| c.net.to_string()).collect();
            let detail = format!("[{}] max_entries {}", cidrs.join(", "), l.max_entries);
            (l.span, detail)
        }
        Stmt::Peering(p) => (p.span, format!("{} ↔ {}", p.a.text, p.b.text)),
        Stmt::Vpc(v) => (v.span, v.cidr.net.to_string()),
        Stmt::InternetGateway(g) => (g.span, String::new()),
        Stmt::Subnet(s) => {
            let mut detail = s.cidr.net.to_string();
            if let Some(v6) = &s.ipv6 {
                detail.push_str(" ipv6 ");
                detail.push_str(&v6.net.to_string());
            }
            if let Some(az) = &s.az {
                detail.push_str(" az ");
                detail.push_str(&az.text);
            }
            (s.span, detail)
        }
        Stmt::NatGateway(n) => {
            let detail = if n.private.is_some() {
                "private"
            } else {
                "public"
            };
            (n.span, detail.to_string())
        }
        Stmt::Instance(i) => {
            let mut detail = i.address.map_or_else(String::new, |a| a.addr.to_string());
            if let Some(v6) = &i.ipv6 {
                if !detail.is_empty() {
                    detail.push(' ');
                }
                detail.push_str("ipv6");
                if let Some(a) = v6.addr {
                    detail.push_str(&format!(" {}", a.addr));
                }
            }
            (i.span, detail)
        }
        Stmt::RouteTable(t) => {
            let detail = if t.main.is_some() { "main" } else { "" };
            (t.span, detail.to_string())
        }
        Stmt::Endpoint(e) => {
            let kind = match e.kind {
                EndpointKind::Gateway { .. } => "gateway",
                EndpointKind::Interface { .. } => "interface",
            };
            (e.span, format!("{kind} {}", e.service.text))
        }
        Stmt::SecurityGroup(g) => (g.span, String::new()),
        Stmt::NetworkAcl(a) => (a.span, String::new()),
        Stmt::TransitGateway(t) => (t.span, String::new()),
        Stmt::TgwRouteTable(t) => (t.span, String::new()),
        Stmt::TgwAttach(a) => (a.span, format!("vpc {}", a.vpc.text)),
        Stmt::TgwVpn(v) => {
            let cidrs: Vec<String> = v.routes.iter().map(|c| c.net.to_string()).collect();
            (
                v.span,
                format!("to {} routes [{}]", v.to.text, cidrs.join(", ")),
            )
        }
        Stmt::VpnGateway(g) => (g.span, String::new()),
        Stmt::VgwVpn(v) => {
            let cidrs: Vec<String> = v.routes.iter().map(|c| c.net.to_string()).collect();
            (
                v.span,
                format!("to {} routes [{}]", v.to.text, cidrs.join(", ")),
            )
        }
    };
    Decl {
        name: d.name.text.clone(),
        kind: d.kind,
        name_span: d.name.span,
        span,
        parent: d.parent,
        detail,
    }
}

/// The references and literals of a file, in source order.
struct Builder {
    index: Index,
}

impl Builder {
    fn reference(&mut self, name: &Name, expected: &'static [Kind]) {
        self.index.refs.push(Ref {
            name: name.text.clone(),
            span: name.span,
            expected,
        });
    }

    fn list(&mut self, list: &NameList, expected: &'static [Kind]) {
        for n in &list.items {
            self.reference(n, expected);
        }
    }

    fn cidr(&mut self, c: &Cidr) {
        self.index.literals.push((c.span, Literal::Cidr(c.net)));
    }

    fn address(&mut self, a: &Address) {
        self.index.literals.push((a.span, Literal::Address(a.addr)));
    }

    fn cidr6(&mut self, c: &Cidr6) {
        self.index.literals.push((c.span, Literal::Cidr6(c.net)));
    }

    fn file(&mut self, file: &File) {
        for item in &file.items {
            match item {
                Item::Region(_) => {}
                Item::External(e) => {
                    e.cidrs.iter().for_each(|c| self.cidr(c));
                }
                Item::PrefixList(l) => {
                    l.entries.iter().for_each(|c| self.cidr(c));
                }
                Item::Vpc(v) => self.vpc(v),
                Item::Peering(p) => {
                    self.reference(&p.a, &[Kind::Vpc]);
                    self.reference(&p.b, &[Kind::Vpc]);
                }
                Item::TransitGateway(t) => self.transit_gateway(t),
                Item::Expect(e) => {
                    for end in [&e.source, &e.destination] {
                        if let FlowEnd::Name(n) = end {
                            self.reference(n, FLOW_ENDS);
                        }
                    }
                    for n in &e.via {
                        self.reference(n, Kind::ALL);
                    }
                }
            }
        }
    }

    fn vpc(&mut self, v: &Vpc) {
        self.cidr(&v.cidr);
        for item in &v.items {
            match item {
                VpcItem::SecondaryCidr(c, _) => self.cidr(c),
                VpcItem::Ipv6Cidr(c, _) => self.cidr6(c),
                VpcItem::DnsSupport(..) | VpcItem::DnsHostnames(..) => {}
                VpcItem::DhcpOptions(d) => {
                    for i in &d.items {
                        match i {
                            DhcpItem::NameServers(servers, _) => {
                                for s in servers {
                                    if let NameServer::Address(a) = s {
                                        self.address(a);
                                    }
                                }
                            }
                            DhcpItem::NtpServers(addrs, _) => {
                                addrs.iter().for_each(|a| self.address(a))
                            }
                            DhcpItem::DomainName(..) => {}
                        }
                    }
                }
                VpcItem::InternetGateway(_) | VpcItem::EgressOnlyGateway(_) => {}
                VpcItem::VpnGateway(g) => {
                    for c in &g.vpns {
                        self.reference(&c.to, &[Kind::External]);
                        c.routes.iter().for_each(|r| self.cidr(r));
                    }
                }
                VpcItem::Subnet(s) => self.subnet(s),
                VpcItem::RouteTable(t) => {
                    for (n, _) in &t.propagate {
                        self.reference(n, &[Kind::VpnGateway]);
                    }
                    for r in &t.routes {
                        match &r.destination {
                            RouteDestination::Cidr(c) => self.cidr(c),
                            RouteDestination::Cidr6(c) => self.cidr6(c),
                            RouteDestination::PrefixList(n) => {
                                self.reference(n, ROUTE_DESTINATIONS)
                            }
                        }
                        if let RouteTarget::Name(n) = &r.target {
                            self.reference(n, ROUTE_TARGETS);
                        }
                    }
                }
                VpcItem::Endpoint(e) => match &e.kind {
                    EndpointKind::Gateway { items, .. } => {
                        for GatewayItem::RouteTables(l, _) in items {
                            self.list(l, &[Kind::RouteTable]);
                        }
                    }
                    EndpointKind::Interface { items, .. } => {
                        for i in items {
                            match i {
                                InterfaceItem::Subnets(l, _) => self.list(l, &[Kind::Subnet]),
                                InterfaceItem::SecurityGroups(l, _) => {
                                    self.list(l, &[Kind::SecurityGroup])
                                }
                                InterfaceItem::PrivateDns(..) => {}
                            }
                        }
                    }
                },
                VpcItem::SecurityGroup(g) => {
                    for r in &g.rules {
                        self.peer(&r.peer, SG_PEERS);
                    }
                }
                VpcItem::NetworkAcl(a) => {
                    for r in &a.rules {
                        self.peer(&r.peer, ACL_PEERS);
                    }
                }
            }
        }
    }

    fn transit_gateway(&mut self, t: &TransitGateway) {
        for item in &t.items {
            match item {
                TgwItem::RouteTable(rt) => {
                    for i in &rt.items {
                        match i {
                            TgwTableItem::Propagate(l, _) => self.list(l, TGW_ROUTE_TARGETS),
                            TgwTableItem::Route(r) => {
                                match &r.destination {
                                    RouteDestination::Cidr(c) => self.cidr(c),
                                    RouteDestination::Cidr6(c) => self.cidr6(c),
                                    RouteDestination::PrefixList(n) => {
                                        self.reference(n, ROUTE_DESTINATIONS)
                                    }
                                }
                                if let RouteTarget::Name(n) = &r.target {
                                    self.reference(n, TGW_ROUTE_TARGETS);
                                }
                            }
                        }
                    }
                }
                TgwItem::Attach(a) => {
                    self.reference(&a.vpc, &[Kind::Vpc]);
                    self.list(&a.subnets, &[Kind::Subnet]);
                    self.reference(&a.route_table, &[Kind::TgwRouteTable]);
                }
                TgwItem::SgReferencing(..) => {}
                TgwItem::Vpn(v) => {
                    self.reference(&v.to, &[Kind::External]);
                    v.routes.iter().for_each(|c| self.cidr(c));
                    self.reference(&v.route_table, &[Kind::TgwRouteTable]);
                }
            }
        }
    }

    fn peer(&mut self, peer: &Peer, expected: &'static [Kind]) {
        match peer {
            Peer::Name(n) => self.reference(n, expected),
            Peer::Cidr(c) => self.cidr(c),
            Peer::Cidr6(c) => self.cidr6(c),
            Peer::Internet(_) | Peer::Service(..) => {}
        }
    }

    fn subnet(&mut self, s: &Subnet) {
        self.cidr(&s.cidr);
        if let Some(c) = &s.ipv6 {
            self.cidr6(c);
        }
        for item in &s.items {
            match item {
                SubnetItem::RouteTable(n, _) => self.reference(n, &[Kind::RouteTable]),
                SubnetItem::NetworkAcl(n, _) => self.reference(n, &[Kind::NetworkAcl]),
                SubnetItem::PublicIpOnLaunch(..) => {}
                SubnetItem::NatGateway(_) => {}
                SubnetItem::Instance(i) => {
                    if let Some(a) = &i.address {
                        self.address(a);
                    }
                    if let Some(a) = i.ipv6.and_then(|v| v.addr) {
                        self.index
                            .literals
                            .push((a.span, Literal::Address6(a.addr)));
                    }
                    for p in &i.items {
                        if let InstanceItem::SecurityGroups(l, _) = p {
                            self.list(l, &[Kind::SecurityGroup]);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "external office 203.0.113.0/24
vpc main 10.0.0.0/16 {
  internet_gateway igw
  subnet pub 10.0.1.0/24 az a {
    route_table rt
    nat_gateway nat
    instance web 10.0.1.10 { security_groups [sg] }
  }
  route_table rt { route 0.0.0.0/0 -> igw }
  security_group sg { ingress tcp 22 from office }
}
vpc other 10.1.0.0/16
peering pcx main other
expect office can reach web tcp 22 via igw
";

    fn index() -> Index {
        Index::new(&crate::syntax::parse(SRC).expect("parses"))
    }

    #[test]
    fn declarations_with_kinds_and_parents() {
        let index = index();
        let got: Vec<(&str, Kind, Option<&str>)> = index
            .decls
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.kind,
                    d.parent.map(|p| index.decls[p].name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("office", Kind::External, None),
                ("main", Kind::Vpc, None),
                ("igw", Kind::InternetGateway, Some("main")),
                ("pub", Kind::Subnet, Some("main")),
                ("nat", Kind::NatGateway, Some("pub")),
                ("web", Kind::Instance, Some("pub")),
                ("rt", Kind::RouteTable, Some("main")),
                ("sg", Kind::SecurityGroup, Some("main")),
                ("other", Kind::Vpc, None),
                ("pcx", Kind::Peering, None),
            ]
        );
        assert_eq!(
            index.decl("pub").map(|d| d.detail.as_str()),
            Some("10.0.1.0/24 az a")
        );
    }

    #[test]
    fn references_in_every_position() {
        let index = index();
        let got: Vec<&str> = index.refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            got,
            [
                "rt", "sg", "igw", "office", "main", "other", "office", "web", "igw"
            ]
        );
        assert_eq!(index.refs_to("igw").count(), 2);
        let route_target = &index.refs[2];
        assert_eq!(route_target.expected, ROUTE_TARGETS);
    }

    #[test]
    fn occurrence_at_an_offset() {
        let index = index();
        let at = SRC.find("-> igw").unwrap() + 4;
        assert_eq!(
            index.at(at).map(|o| o.name().to_string()),
            Some("igw".to_string())
        );
        assert!(matches!(index.at(at), Some(Occurrence::Ref(_))));
        let decl = SRC.find("subnet pub").unwrap() + 7;
        assert!(matches!(index.at(decl), Some(Occurrence::Decl(d)) if d.kind == Kind::Subnet));
        // The end of a name counts.
        assert!(index.at(decl + 3).is_some());
        assert!(index.at(SRC.find("route 0").unwrap()).is_none());
    }

    #[test]
    fn names_of_kinds() {
        let index = index();
        let names: Vec<&str> = index
            .names_of(ROUTE_TARGETS)
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, ["igw", "nat", "web", "pcx"]);
    }

    #[test]
    fn literals() {
        let index = index();
        let at = SRC.find("10.0.1.10").unwrap() + 2;
        assert_eq!(
            index.literal_at(at).map(|(_, l)| l),
            Some(Literal::Address(Ipv4Addr::new(10, 0, 1, 10)))
        );
        assert_eq!(index.literals.len(), 6);
    }
}

/// How similar a name must be to be suggested: normalised
/// Damerau–Levenshtein similarity (1.0 is equal).
pub const SIMILAR_ENOUGH: f64 = 0.6;

/// The "did you mean" of every message that names an unknown name: a
/// case-insensitive match, else the most similar candidate at least
/// [`SIMILAR_ENOUGH`]; on a tie the first in sorted order. The one helper
/// the checker, `vpcc reach` and `vpcc routes` share.
pub fn did_you_mean<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut candidates: Vec<&str> = candidates.into_iter().collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = if cand.eq_ignore_ascii_case(text) {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(text, cand)
        };
        if score >= SIMILAR_ENOUGH && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod suggestion_tests {
    use super::did_you_mean;

    #[test]
    fn one_threshold_for_every_hint() {
        let names = ["private-a", "public-a", "bastion", "app"];
        assert_eq!(did_you_mean("privte-a", names), Some("private-a"));
        assert_eq!(did_you_mean("bastoin", names), Some("bastion"));
        // Case alone is always a match.
        assert_eq!(did_you_mean("BASTION", names), Some("bastion"));
        // Too far from everything: no hint.
        assert_eq!(did_you_mean("database", names), None);
        // A tie goes to the first name in sorted order, whatever the input order.
        assert_eq!(did_you_mean("abcd", ["abcf", "abce"]), Some("abce"));
        assert_eq!(did_you_mean("abcd", ["abce", "abcf"]), Some("abce"));
    }
}
