//! The untyped AST: what the file says, in source order, with a span on
//! every node.
//!
//! Literals are already validated (an [`Cidr`] holds a real `Ipv4Net`, with
//! the host bits as written, so that `check` can report E0102), but names are
//! not resolved: a [`Name`] is text and a span. Statement lists keep source
//! order, which address allocation and the formatter rely on.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

use crate::source::Span;

/// A name as written, e.g. `public-a`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A CIDR literal. `net.addr()` is the address as written, host bits
/// included; `net.trunc()` is the aligned network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub net: Ipv4Net,
    pub span: Span,
}

/// An address literal, e.g. `10.0.1.10`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Address {
    pub addr: Ipv4Addr,
    pub span: Span,
}

/// An IPv6 CIDR literal, e.g. `2600:1f18:abcd:ef00::/56`; host bits as
/// written, like [`Cidr`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr6 {
    pub net: Ipv6Net,
    pub span: Span,
}

/// An IPv6 address literal, e.g. `2600:1f18:abcd:ef01::10`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Address6 {
    pub addr: Ipv6Addr,
    pub span: Span,
}

/// `ipv6 ADDRESS` or a bare `ipv6` (AWS allocates one) after an
/// instance's name and address; `span` covers the clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceIpv6 {
    pub addr: Option<Address6>,
    pub span: Span,
}

/// `on` / `off`, or a bare flag (then `value` is true and `span` covers the
/// keyword of the property).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    pub value: bool,
    pub span: Span,
}

/// A list of names in brackets; `span` covers the brackets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameList {
    pub items: Vec<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Region(Region),
    External(External),
    PrefixList(PrefixList),
    Vpc(Vpc),
    Peering(Peering),
    TransitGateway(TransitGateway),
    Expect(Expect),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Region(x) => x.span,
            Item::External(x) => x.span,
            Item::PrefixList(x) => x.span,
            Item::Vpc(x) => x.span,
            Item::Peering(x) => x.span,
            Item::TransitGateway(x) => x.span,
            Item::Expect(x) => x.span,
        }
    }
}

/// `region eu-west-1`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub name: Name,
    pub span: Span,
}

/// `external office 203.0.113.0/24, 198.51.100.0/24`, or with
/// `on_premises` a network reached over a VPN only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct External {
    pub name: Name,
    pub cidrs: Vec<Cidr>,
    /// The `on_premises` keyword, when written.
    pub on_premises: Option<Span>,
    pub span: Span,
}

/// `prefix_list NAME [CIDR, ...] max_entries N`: a customer-managed
/// prefix list. `max_entries` is as written; its range (1–1000) and the
/// entry count are checked later (E0416).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixList {
    pub name: Name,
    pub entries: Vec<Cidr>,
    /// The brackets of the entry list.
    pub entries_span: Span,
    pub max_entries: u32,
    /// The number after `max_entries`.
    pub max_entries_span: Span,
    pub span: Span,
}

/// `peering NAME VPC VPC`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peering {
    pub name: Name,
    pub a: Name,
    pub b: Name,
    pub span: Span,
}

/// `transit_gateway NAME { ... }`: a regional router with its own route
/// tables and attachments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitGateway {
    pub name: Name,
    pub items: Vec<TgwItem>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TgwItem {
    RouteTable(TgwRouteTable),
    Attach(TgwAttach),
    Vpn(TgwVpn),
    /// `security_group_referencing on|off`; the span covers the statement.
    SgReferencing(Flag, Span),
}

impl TgwItem {
    pub fn span(&self) -> Span {
        match self {
            TgwItem::RouteTable(x) => x.span,
            TgwItem::Attach(x) => x.span,
            TgwItem::Vpn(x) => x.span,
            TgwItem::SgReferencing(_, s) => *s,
        }
    }
}

/// `route_table NAME { propagate [...] route ... }` inside a transit
/// gateway; its statements in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwRouteTable {
    pub name: Name,
    pub items: Vec<TgwTableItem>,
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TgwTableItem {
    /// `propagate [a, b]`; `span` covers the statement.
    Propagate(NameList, Span),
    Route(Route),
}

/// `attach NAME vpc VPC subnets [...] route_table TABLE`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwAttach {
    pub name: Name,
    pub vpc: Name,
    pub subnets: NameList,
    pub route_table: Name,
    pub span: Span,
}

/// `vpn NAME to EXTERNAL routes [CIDR, ...] route_table TABLE`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwVpn {
    pub name: Name,
    pub to: Name,
    pub routes: Vec<Cidr>,
    /// The brackets of the route list.
    pub routes_span: Span,
    pub route_table: Name,
    pub span: Span,
}

/// `vpn_gateway NAME { vpn ... }` in a VPC: a virtual private gateway
/// attached to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnGateway {
    pub name: Name,
    pub vpns: Vec<VgwVpn>,
    pub has_body: bool,
    pub span: Span,
}

/// `vpn NAME to EXTERNAL routes [CIDR, ...]` inside a `vpn_gateway`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VgwVpn {
    pub name: Name,
    pub to: Name,
    pub routes: Vec<Cidr>,
    /// The brackets of the route list.
    pub routes_span: Span,
    pub span: Span,
}

/// `vpc NAME CIDR { ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vpc {
    pub name: Name,
    pub cidr: Cidr,
    pub items: Vec<VpcItem>,
    /// Whether the file wrote braces (`vpc x 10.0.0.0/16` has none).
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VpcItem {
    /// `cidr CIDR`: a secondary block.
    SecondaryCidr(Cidr, Span),
    /// `ipv6 CIDR`: an IPv6 block (an Amazon-provided /56, as assigned).
    Ipv6Cidr(Cidr6, Span),
    DnsSupport(Flag, Span),
    DnsHostnames(Flag, Span),
    DhcpOptions(DhcpOptions),
    InternetGateway(InternetGateway),
    /// `egress_only_internet_gateway NAME`.
    EgressOnlyGateway(InternetGateway),
    VpnGateway(VpnGateway),
    Subnet(Subnet),
    RouteTable(RouteTable),
    Endpoint(Endpoint),
    SecurityGroup(SecurityGroup),
    NetworkAcl(NetworkAcl),
}

impl VpcItem {
    pub fn span(&self) -> Span {
        match self {
            VpcItem::SecondaryCidr(_, s)
            | VpcItem::Ipv6Cidr(_, s)
            | VpcItem::DnsSupport(_, s)
            | VpcItem::DnsHostnames(_, s) => *s,
            VpcItem::DhcpOptions(x) => x.span,
            VpcItem::InternetGateway(x) | VpcItem::EgressOnlyGateway(x) => x.span,
            VpcItem::VpnGateway(x) => x.span,
            VpcItem::Subnet(x) => x.span,
            VpcItem::RouteTable(x) => x.span,
            VpcItem::Endpoint(x) => x.span,
            VpcItem::SecurityGroup(x) => x.span,
            VpcItem::NetworkAcl(x) => x.span,
        }
    }
}

/// `dhcp_options { ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DhcpOptions {
    pub items: Vec<DhcpItem>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DhcpItem {
    /// `domain_name "corp.example"`; the string without quotes.
    DomainName(String, Span),
    NameServers(Vec<NameServer>, Span),
    NtpServers(Vec<Address>, Span),
}

impl DhcpItem {
    pub fn span(&self) -> Span {
        match self {
            DhcpItem::DomainName(_, s)
            | DhcpItem::NameServers(_, s)
            | DhcpItem::NtpServers(_, s) => *s,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameServer {
    AmazonProvidedDns(Span),
    Address(Address),
}

impl NameServer {
    pub fn span(&self) -> Span {
        match self {
            NameServer::AmazonProvidedDns(s) => *s,
            NameServer::Address(a) => a.span,
        }
    }
}

/// `internet_gateway igw`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternetGateway {
    pub name: Name,
    pub span: Span,
}

/// An availability zone as written: a letter (`a`) or a full name
/// (`eu-west-1a`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Az {
    pub text: String,
    pub span: Span,
}

/// `subnet NAME CIDR [az AZ] [{ ... }]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnet {
    pub name: Name,
    pub cidr: Cidr,
    /// `ipv6 CIDR` after the IPv4 block: the subnet is dual-stack.
    pub ipv6: Option<Cidr6>,
    pub az: Option<Az>,
    pub items: Vec<SubnetItem>,
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetItem {
    /// `route_table NAME`: explicit association.
    RouteTable(Name, Span),
    /// `network_acl NAME`: association.
    NetworkAcl(Name, Span),
    PublicIpOnLaunch(Flag, Span),
    NatGateway(NatGateway),
    Instance(Instance),
}

impl SubnetItem {
    pub fn span(&self) -> Span {
        match self {
            SubnetItem::RouteTable(_, s)
            | SubnetItem::NetworkAcl(_, s)
            | SubnetItem::PublicIpOnLaunch(_, s) => *s,
            SubnetItem::NatGateway(x) => x.span,
            SubnetItem::Instance(x) => x.span,
        }
    }
}

/// `nat_gateway NAME [private]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatGateway {
    pub name: Name,
    /// The span of the `private` keyword when written.
    pub private: Option<Span>,
    pub span: Span,
}

/// `instance NAME [ADDRESS] [{ ... }]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub name: Name,
    pub address: Option<Address>,
    pub ipv6: Option<InstanceIpv6>,
    pub items: Vec<InstanceItem>,
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceItem {
    PublicIp(Flag, Span),
    SecurityGroups(NameList, Span),
    SourceDestCheck(Flag, Span),
}

impl InstanceItem {
    pub fn span(&self) -> Span {
        match self {
            InstanceItem::PublicIp(_, s)
            | InstanceItem::SecurityGroups(_, s)
            | InstanceItem::SourceDestCheck(_, s) => *s,
        }
    }
}

/// `route_table NAME [main] { route ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTable {
    pub name: Name,
    /// The span of `main` when written.
    pub main: Option<Span>,
    pub routes: Vec<Route>,
    /// `propagate VGW` statements: (the gateway's name, the statement).
    pub propagate: Vec<(Name, Span)>,
    pub has_body: bool,
    pub span: Span,
}

/// `route CIDR -> TARGET` or `route PREFIX-LIST -> TARGET`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub destination: RouteDestination,
    pub target: RouteTarget,
    pub span: Span,
}

/// What a route matches: a CIDR, or a prefix list by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteDestination {
    Cidr(Cidr),
    /// An IPv6 destination, e.g. `::/0`.
    Cidr6(Cidr6),
    PrefixList(Name),
}

impl RouteDestination {
    pub fn span(&self) -> Span {
        match self {
            RouteDestination::Cidr(c) => c.span,
            RouteDestination::Cidr6(c) => c.span,
            RouteDestination::PrefixList(n) => n.span,
        }
    }

    /// The destination as written: `10.0.0.0/8`, or a prefix list's name.
    pub fn text(&self) -> String {
        match self {
            RouteDestination::Cidr(c) => c.net.to_string(),
            RouteDestination::Cidr6(c) => c.net.to_string(),
            RouteDestination::PrefixList(n) => n.text.clone(),
        }
    }

    /// The IPv4 CIDR, when the destination is one.
    pub fn cidr(&self) -> Option<Cidr> {
        match self {
            RouteDestination::Cidr(c) => Some(*c),
            RouteDestination::Cidr6(_) | RouteDestination::PrefixList(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteTarget {
    Name(Name),
    Blackhole(Span),
}

impl RouteTarget {
    pub fn span(&self) -> Span {
        match self {
            RouteTarget::Name(n) => n.span,
            RouteTarget::Blackhole(s) => *s,
        }
    }
}

/// A service name as written after `gateway`, `interface` or `service`,
/// e.g. `s3`, `ec2`, `ecr.api`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceName {
    pub text: String,
    pub span: Span,
}

/// `endpoint NAME gateway|interface SERVICE { ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub name: Name,
    pub service: ServiceName,
    pub kind: EndpointKind,
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// `gateway` with its `route_tables` statements (normally one).
    Gateway {
        keyword: Span,
        items: Vec<GatewayItem>,
    },
    /// `interface` with its properties.
    Interface {
        keyword: Span,
        items: Vec<InterfaceItem>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayItem {
    RouteTables(NameList, Span),
}

impl GatewayItem {
    pub fn span(&self) -> Span {
        match self {
            GatewayItem::RouteTables(_, s) => *s,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterfaceItem {
    Subnets(NameList, Span),
    SecurityGroups(NameList, Span),
    PrivateDns(Flag, Span),
}

impl InterfaceItem {
    pub fn span(&self) -> Span {
        match self {
            InterfaceItem::Subnets(_, s)
            | InterfaceItem::SecurityGroups(_, s)
            | InterfaceItem::PrivateDns(_, s) => *s,
        }
    }
}

/// `security_group NAME { ingress ... egress ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityGroup {
    pub name: Name,
    pub rules: Vec<SgRule>,
    pub has_body: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// `ingress` in a security group, `inbound` in an ACL.
    In,
    /// `egress` in a security group, `outbound` in an ACL.
    Out,
}

/// `ingress PROTO [PORTS] from PEER` / `egress PROTO [PORTS] to PEER`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SgRule {
    pub direction: Direction,
    pub protocol: Protocol,
    pub ports: Option<Ports>,
    pub peer: Peer,
    pub span: Span,
}

/// `network_acl NAME { inbound ... outbound ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkAcl {
    pub name: Name,
    pub rules: Vec<AclRule>,
    pub has_body: bool,
    pub span: Span,
}

/// `inbound NUM allow|deny PROTO [PORTS] from PEER` (or `outbound ... to`)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclRule {
    pub direction: Direction,
    /// The rule number as written; range (1–32766) is checked later.
    pub number: u32,
    pub number_span: Span,
    pub allow: bool,
    pub protocol: Protocol,
    pub ports: Option<Ports>,
    pub peer: Peer,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolKind {
    Tcp,
    Udp,
    Icmp,
    All,
}

impl ProtocolKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolKind::Tcp => "tcp",
            ProtocolKind::Udp => "udp",
            ProtocolKind::Icmp => "icmp",
            ProtocolKind::All => "all",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protocol {
    pub kind: ProtocolKind,
    pub span: Span,
}

/// A port or an inclusive range, as written (`22`, `1024-65535`).
/// `first <= last` and both ≤ 65535 are checked later (E0411).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ports {
    pub first: u32,
    pub last: u32,
    pub span: Span,
}

/// The other side of a security group or ACL rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    /// `internet`: in rules, shorthand for 0.0.0.0/0.
    Internet(Span),
    /// `service s3`: the service's prefix list (security groups only).
    Service(ServiceName, Span),
    Cidr(Cidr),
    /// An IPv6 CIDR, e.g. `::/0`.
    Cidr6(Cidr6),
    /// An external, a prefix list or a security group.
    Name(Name),
}

impl Peer {
    pub fn span(&self) -> Span {
        match self {
            Peer::Internet(s) | Peer::Service(_, s) => *s,
            Peer::Cidr(c) => c.span,
            Peer::Cidr6(c) => c.span,
            Peer::Name(n) => n.span,
        }
    }
}

/// `expect SOURCE can|cannot reach DEST [PROTO [PORTS]] [ipv6] [via ...] [privately]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    pub source: FlowEnd,
    /// `true` for `can reach`, `false` for `cannot reach`.
    pub can: bool,
    pub destination: FlowEnd,
    pub protocol: Option<Protocol>,
    pub ports: Option<Ports>,
    pub via: Vec<Name>,
    /// The span of `privately` when written.
    pub privately: Option<Span>,
    /// The span of `ipv6` when written: the flow is IPv6 packets.
    pub ipv6: Option<Span>,
    pub span: Span,
}

/// One end of an expected flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowEnd {
    Internet(Span),
    /// `service SVC` (destination only).
    Service(ServiceName, Span),
    /// An instance, subnet, external or interface endpoint.
    Name(Name),
}

impl FlowEnd {
    pub fn span(&self) -> Span {
        match self {
            FlowEnd::Internet(s) | FlowEnd::Service(_, s) => *s,
            FlowEnd::Name(n) => n.span,
        }
    }
}
