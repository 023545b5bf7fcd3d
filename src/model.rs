//! The resolved route model: what `check` builds from an AST without errors.
//!
//! **Invariant:** a `Model` is fully resolved and valid by AWS's rules.
//! References are typed ids into the model's vectors (never names), every
//! CIDR is an aligned `Ipv4Net`, every interface has its allocated address,
//! every subnet has its effective route table (explicit or main) and ACL
//! (explicit or the VPC's default), every instance its security groups (the
//! VPC's default group when none is written), and every route table its
//! effective routes in match order (`local` per VPC CIDR, written routes,
//! gateway-endpoint prefix-list routes). Back ends (`routes`, `reach`,
//! `graph`, `report`) take `&Model` and cannot fail on user input.
//!
//! Implicit AWS objects are materialised: each VPC's main route table (when
//! none is marked `main`), default security group and default network ACL
//! exist here with `span: None`.
//!
//! Every element keeps the span it came from, so that diagnostics of later
//! stages (E0501, warnings) can point into the file.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

use crate::source::Span;
use crate::syntax::ast::{Direction, ProtocolKind};

macro_rules! ids {
    ($($id:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $id(pub u32);
        impl $id {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

ids!(
    VpcId,
    SubnetId,
    RouteTableId,
    InstanceId,
    NatGatewayId,
    InternetGatewayId,
    EgressOnlyGatewayId,
    EndpointId,
    SecurityGroupId,
    NetworkAclId,
    PeeringId,
    ExternalId,
    PrefixListId,
    TransitGatewayId,
    TgwRouteTableId,
    TgwAttachmentId,
    VpnGatewayId
);

#[derive(Clone, Debug, Default)]
pub struct Model {
    /// `region NAME`, when written.
    pub region: Option<String>,
    pub externals: Vec<External>,
    /// Customer-managed prefix lists, in source order.
    pub prefix_lists: Vec<PrefixList>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    /// Every instance, NAT instances and appliances included.
    pub instances: Vec<Instance>,
    pub nat_gateways: Vec<NatGateway>,
    pub internet_gateways: Vec<InternetGateway>,
    /// Egress-only internet gateways (IPv6), in source order.
    pub egress_only_gateways: Vec<EgressOnlyGateway>,
    pub endpoints: Vec<Endpoint>,
    /// Written groups and each VPC's default group.
    pub security_groups: Vec<SecurityGroup>,
    /// Written ACLs and each VPC's default ACL.
    pub network_acls: Vec<NetworkAcl>,
    pub peerings: Vec<Peering>,
    pub transit_gateways: Vec<TransitGateway>,
    /// Every transit gateway's route tables, in source order.
    pub tgw_route_tables: Vec<TgwRouteTable>,
    /// Every transit gateway's attachments (VPC and VPN), in source order.
    pub tgw_attachments: Vec<TgwAttachment>,
    /// Virtual private gateways, at most one per VPC, in source order.
    pub vpn_gateways: Vec<VpnGateway>,
    /// The file's `expect` statements, names resolved, in source order.
    pub expects: Vec<Expect>,
    /// Each declaration with a body, as (its span, its header), sorted by
    /// span: where a label about the whole declaration points ([`Model::head`]).
    pub heads: Vec<(Span, Span)>,
}

/// `external NAME CIDR, ...`: a named network on the internet, or with
/// `on_premises` a network reached over a VPN only, never through an
/// internet gateway.
#[derive(Clone, Debug)]
pub struct External {
    pub name: String,
    pub cidrs: Vec<Ipv4Net>,
    pub on_premises: bool,
    pub span: Span,
}

/// `transit_gateway NAME { ... }`: a regional router; unlike peering it is
/// transitive.
#[derive(Clone, Debug)]
pub struct TransitGateway {
    pub name: String,
    /// In source order.
    pub route_tables: Vec<TgwRouteTableId>,
    /// In source order.
    pub attachments: Vec<TgwAttachmentId>,
    /// `security_group_referencing on`: inbound rules may name groups of
    /// other attached VPCs (off by default at the gateway, as in AWS).
    pub sg_referencing: bool,
    pub span: Span,
}

/// A transit gateway route table: its effective routes in match order
/// (`routes::tgw_sort_key`), static and propagated.
#[derive(Clone, Debug)]
pub struct TgwRouteTable {
    pub name: String,
    pub tgw: TransitGatewayId,
    pub routes: Vec<TgwRoute>,
    /// The attachments whose routes it learns, in written order.
    pub propagations: Vec<TgwAttachmentId>,
    /// The attachments associated with it (whose traffic it routes).
    pub associations: Vec<TgwAttachmentId>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TgwTarget {
    Attachment(TgwAttachmentId),
    Blackhole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TgwRouteOrigin {
    /// A `route` statement with a CIDR.
    Static,
    /// A `route LIST -> ...` statement, one route per entry.
    PrefixList,
    /// Learned from a VPC attachment's CIDRs by `propagate`.
    PropagatedVpc,
    /// Learned from a VPN's routes by `propagate`.
    PropagatedVpn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TgwRoute {
    /// A CIDR or a prefix-list entry.
    pub destination: Destination,
    pub target: TgwTarget,
    pub origin: TgwRouteOrigin,
    /// The `route` or `propagate` statement.
    pub span: Span,
}

impl TgwRoute {
    pub fn propagated(&self) -> bool {
        matches!(
            self.origin,
            TgwRouteOrigin::PropagatedVpc | TgwRouteOrigin::PropagatedVpn
        )
    }
}

/// An attachment of a transit gateway: a VPC (one subnet per AZ) or a
/// Site-to-Site VPN to an on-premises network.
#[derive(Clone, Debug)]
pub struct TgwAttachment {
    pub name: String,
    pub tgw: TransitGatewayId,
    pub kind: TgwAttachmentKind,
    /// The one route table associated with it.
    pub route_table: TgwRouteTableId,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TgwAttachmentKind {
    Vpc {
        vpc: VpcId,
        /// In written order; at most one per AZ.
        subnets: Vec<SubnetId>,
    },
    Vpn {
        /// The on-premises end.
        external: ExternalId,
        /// The static routes it advertises (what `propagate` learns).
        routes: Vec<Ipv4Net>,
    },
}

impl TgwAttachment {
    pub fn vpc(&self) -> Option<VpcId> {
        match &self.kind {
            TgwAttachmentKind::Vpc { vpc, .. } => Some(*vpc),
            TgwAttachmentKind::Vpn { .. } => None,
        }
    }

    /// The blocks a propagation learns from it.
    pub fn propagated_cidrs<'m>(&'m self, m: &'m Model) -> &'m [Ipv4Net] {
        match &self.kind {
            TgwAttachmentKind::Vpc { vpc, .. } => &m.vpc(*vpc).cidrs,
            TgwAttachmentKind::Vpn { routes, .. } => routes,
        }
    }

    /// `attachment \`prod\`` or `VPN \`dc-vpn\``.
    pub fn label(&self) -> String {
        match self.kind {
            TgwAttachmentKind::Vpc { .. } => format!("attachment `{}`", self.name),
            TgwAttachmentKind::Vpn { .. } => format!("VPN `{}`", self.name),
        }
    }
}

/// `vpn_gateway NAME { vpn ... }`: a virtual private gateway attached to
/// one VPC, with its Site-to-Site VPN connections to on-premises networks.
#[derive(Clone, Debug)]
pub struct VpnGateway {
    pub name: String,
    pub vpc: VpcId,
    pub vpns: Vec<VgwVpn>,
    pub span: Span,
}

/// A VPN connection of a virtual private gateway.
#[derive(Clone, Debug)]
pub struct VgwVpn {
    pub name: String,
    /// The on-premises end.
    pub external: ExternalId,
    /// Its static routes: what the gateway sends over it, and what
    /// `propagate` adds to a VPC route table.
    pub routes: Vec<Ipv4Net>,
    pub span: Span,
}

impl VpnGateway {
    /// The connection the gateway sends `addr` over: the one with the most
    /// specific route containing it (the first written on a tie).
    pub fn vpn_for(&self, addr: Ipv4Addr) -> Option<(usize, Ipv4Net)> {
        let mut best: Option<(usize, Ipv4Net)> = None;
        for (i, v) in self.vpns.iter().enumerate() {
            for r in &v.routes {
                if r.contains(&addr) && best.is_none_or(|(_, b)| r.prefix_len() > b.prefix_len()) {
                    best = Some((i, *r));
                }
            }
        }
        best
    }
}

/// `prefix_list NAME [CIDR, ...] max_entries N`: a customer-managed prefix
/// list, a named set of CIDRs that routes and security-group rules
/// reference. Regional, like an external: no VPC owns it.
#[derive(Clone, Debug)]
pub struct PrefixList {
    pub name: String,
    /// Aligned, in source order, no two equal.
    pub entries: Vec<Ipv4Net>,
    /// What each reference counts against a route table's or a security
    /// group's quota (AWS counts `max_entries`, not the entries written).
    pub max_entries: u32,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Vpc {
    pub name: String,
    /// Primary first, then secondary blocks in source order.
    pub cidrs: Vec<Ipv4Net>,
    /// IPv6 blocks (`ipv6 …/56`), in source order; empty for an IPv4-only
    /// VPC.
    pub ipv6_cidrs: Vec<Ipv6Net>,
    /// The `ipv6` statement of each block, as `ipv6_cidrs`.
    pub ipv6_spans: Vec<Span>,
    pub dns_support: bool,
    pub dns_hostnames: bool,
    pub dhcp: DhcpOptions,
    pub internet_gateway: Option<InternetGatewayId>,
    /// Its egress-only internet gateway (at most one, as for AWS).
    pub egress_only_gateway: Option<EgressOnlyGatewayId>,
    pub vpn_gateway: Option<VpnGatewayId>,
    /// The table marked `main`, or the implicit one.
    pub main_route_table: RouteTableId,
    pub default_security_group: SecurityGroupId,
    pub default_network_acl: NetworkAclId,
    /// In source order.
    pub subnets: Vec<SubnetId>,
    pub span: Span,
}

impl Vpc {
    /// The Amazon DNS server: primary CIDR base + 2.
    pub fn dns_server(&self) -> Ipv4Addr {
        self.cidrs.first().map_or(Ipv4Addr::UNSPECIFIED, |c| {
            Ipv4Addr::from(u32::from(c.network()).wrapping_add(2))
        })
    }

    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        self.cidrs.iter().any(|c| c.contains(&addr))
    }
}

#[derive(Clone, Debug)]
pub struct DhcpOptions {
    pub domain_name: Option<String>,
    /// `AmazonProvidedDNS` is in the list (it is the default).
    pub amazon_provided_dns: bool,
    /// Custom name servers.
    pub name_servers: Vec<Ipv4Addr>,
    pub ntp_servers: Vec<Ipv4Addr>,
    /// The `dhcp_options` block, when written.
    pub span: Option<Span>,
}

/// The ranges an internet gateway never carries, from or to: RFC 1918 and
/// the shared address space of RFC 6598 (Reachability Analyzer's
/// `IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS`).
pub const PRIVATE_RANGES: [Ipv4Net; 4] = [
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
    Ipv4Net::new_assert(Ipv4Addr::new(100, 64, 0, 0), 10),
];

/// The private range that holds all of `net`, if any.
pub fn private_range_of(net: Ipv4Net) -> Option<Ipv4Net> {
    PRIVATE_RANGES.into_iter().find(|p| p.contains(&net))
}

/// The Amazon DNS resolver's fixed address, answered in every VPC.
pub const AMAZON_DNS_LINK_LOCAL: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 253);

impl Vpc {
    /// Whether `server` is the VPC's Amazon resolver: the primary block's
    /// base + 2, or 169.254.169.253.
    pub fn is_amazon_resolver(&self, server: Ipv4Addr) -> bool {
        server == AMAZON_DNS_LINK_LOCAL || server == self.dns_server()
    }

    /// The DHCP options name the Amazon resolver, as `AmazonProvidedDNS` or
    /// by one of its addresses: private DNS of interface endpoints applies
    /// (when both DNS attributes are on).
    pub fn uses_amazon_dns(&self) -> bool {
        self.dhcp.amazon_provided_dns
            || self
                .dhcp
                .name_servers
                .iter()
                .any(|s| self.is_amazon_resolver(*s))
    }

    /// The DHCP options name a server other than the Amazon resolver.
    pub fn uses_other_dns(&self) -> bool {
        self.dhcp
            .name_servers
            .iter()
            .any(|s| !self.is_amazon_resolver(*s))
    }

    /// Whether clients in the VPC resolve names at all: a server other
    /// than Amazon's answers, or Amazon's does with `dns_support` on.
    pub fn resolves_names(&self) -> bool {
        self.uses_other_dns() || (self.dns_support && self.uses_amazon_dns())
    }
}

#[derive(Clone, Debug)]
pub struct InternetGateway {
    pub name: String,
    pub vpc: VpcId,
    pub span: Span,
}

/// `egress_only_internet_gateway NAME`: carries IPv6 from the VPC to the
/// internet and the replies back, never a connection opened from outside
/// (aws-facts.md S44).
#[derive(Clone, Debug)]
pub struct EgressOnlyGateway {
    pub name: String,
    pub vpc: VpcId,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubnetKind {
    /// Its route for internet destinations goes to an internet gateway.
    Public,
    /// Internet egress goes through a NAT gateway or NAT instance.
    Private,
    /// Neither.
    Isolated,
}

impl SubnetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubnetKind::Public => "public",
            SubnetKind::Private => "private",
            SubnetKind::Isolated => "isolated",
        }
    }
}

/// The five addresses AWS reserves in every subnet, by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserved {
    /// Base address.
    pub network: Ipv4Addr,
    /// Base + 1.
    pub router: Ipv4Addr,
    /// Base + 2 (the Amazon DNS address in the VPC's primary block; reserved
    /// in every subnet).
    pub dns: Ipv4Addr,
    /// Base + 3.
    pub future: Ipv4Addr,
    /// The last address.
    pub broadcast: Ipv4Addr,
}

impl Reserved {
    pub fn of(cidr: Ipv4Net) -> Reserved {
        let base = u32::from(cidr.network());
        Reserved {
            network: cidr.network(),
            router: Ipv4Addr::from(base.wrapping_add(1)),
            dns: Ipv4Addr::from(base.wrapping_add(2)),
            future: Ipv4Addr::from(base.wrapping_add(3)),
            broadcast: cidr.broadcast(),
        }
    }

    /// The role of `addr` when it is reserved, e.g. `"VPC router"`.
    pub fn role(&self, addr: Ipv4Addr) -> Option<&'static str> {
        if addr == self.network {
            Some("network address")
        } else if addr == self.router {
            Some("VPC router")
        } else if addr == self.dns {
            Some("DNS server")
        } else if addr == self.future {
            Some("reserved for future use")
        } else if addr == self.broadcast {
            Some("broadcast address")
        } else {
            None
        }
    }
}

/// The usable range of a subnet: base + 4 to the last address − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usable {
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
    /// 2^(32 − prefix) − 5.
    pub count: u32,
}

impl Usable {
    pub fn of(cidr: Ipv4Net) -> Usable {
        let base = u32::from(cidr.network());
        let size = 1u64 << (32 - u32::from(cidr.prefix_len()));
        Usable {
            first: Ipv4Addr::from(base.wrapping_add(4)),
            last: Ipv4Addr::from(u32::from(cidr.broadcast()).wrapping_sub(1)),
            count: u32::try_from(size.saturating_sub(5)).unwrap_or(u32::MAX),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Subnet {
    pub name: String,
    pub vpc: VpcId,
    pub cidr: Ipv4Net,
    /// The IPv6 /64 of a dual-stack subnet (aligned).
    pub ipv6: Option<Ipv6Net>,
    /// For a dual-stack subnet, its kind for IPv6 and the reason: public
    /// (`::/0` to an internet gateway), private (to an egress-only one:
    /// out, and replies back), isolated.
    pub ipv6_kind: Option<(SubnetKind, String)>,
    /// The zone: region + letter (`eu-west-1a`), a full zone name as
    /// written, or a bare letter when the file has no `region`.
    pub az: Option<String>,
    /// The `az` value as written (for `vpcc export`'s E0701).
    pub az_span: Option<Span>,
    /// The effective route table: the explicit association or the main one.
    pub route_table: RouteTableId,
    /// Whether `route_table` was written in the subnet.
    pub explicit_route_table: bool,
    /// The explicit association or the VPC's default ACL.
    pub network_acl: NetworkAclId,
    pub public_ip_on_launch: bool,
    pub reserved: Reserved,
    pub usable: Usable,
    pub kind: SubnetKind,
    /// Why `kind`, in words: "0.0.0.0/0 → internet gateway `igw`".
    pub kind_reason: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub subnet: SubnetId,
    pub address: Ipv4Addr,
    /// The IPv6 address, written (`ipv6 ADDRESS`) or allocated (`ipv6`).
    pub ipv6: Option<Ipv6Addr>,
    /// Whether the file wrote the address (otherwise it was allocated).
    pub address_written: bool,
    /// A public IPv4 address: `public_ip`, or the subnet's
    /// `public_ip_on_launch`.
    pub public_ip: bool,
    /// At least one: the VPC's default group when none is written.
    pub security_groups: Vec<SecurityGroupId>,
    pub source_dest_check: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct NatGateway {
    pub name: String,
    pub subnet: SubnetId,
    /// Its private address in the subnet.
    pub address: Ipv4Addr,
    /// `nat_gateway NAME private`: no Elastic IP; traffic it sends to an
    /// internet gateway is dropped.
    pub private: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    pub name: String,
    pub vpc: VpcId,
    /// The short service name as written: `s3`, `ec2`, `ecr.api`.
    pub service: String,
    /// The full name: `com.amazonaws.REGION.SERVICE` (`REGION` literally
    /// when the file has no `region`).
    pub service_name: String,
    pub kind: EndpointKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum EndpointKind {
    /// S3 or DynamoDB: a `pl:SERVICE` route in each of these tables.
    Gateway { route_tables: Vec<RouteTableId> },
    Interface {
        /// One interface per subnet, with its allocated address.
        interfaces: Vec<EndpointInterface>,
        /// The VPC's default group when none is written.
        security_groups: Vec<SecurityGroupId>,
        private_dns: bool,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct EndpointInterface {
    pub subnet: SubnetId,
    pub address: Ipv4Addr,
}

#[derive(Clone, Debug)]
pub struct Peering {
    pub name: String,
    pub a: VpcId,
    pub b: VpcId,
    pub span: Span,
}

impl Peering {
    /// The VPC on the other side from `vpc`, if `vpc` is one of the two.
    pub fn other(&self, vpc: VpcId) -> Option<VpcId> {
        if self.a == vpc {
            Some(self.b)
        } else if self.b == vpc {
            Some(self.a)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct RouteTable {
    pub name: String,
    pub vpc: VpcId,
    pub main: bool,
    /// `None` for the implicit main table of a VPC that marks none.
    pub span: Option<Span>,
    /// Effective routes in match order (see `routes::sort_key`).
    pub routes: Vec<Route>,
    /// Effective IPv6 routes, longest prefix first. AWS keeps the two
    /// families apart: an IPv4 packet never takes an IPv6 route, and the
    /// reverse (aws-facts.md §2).
    pub routes6: Vec<Route6>,
    /// Subnets using this table, explicitly or as the main table.
    pub subnets: Vec<SubnetId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    Cidr(Ipv4Net),
    /// The prefix list of an AWS service reached through a gateway endpoint
    /// (`pl:s3`, `pl:dynamodb`). Its addresses are public and unknown
    /// offline; see `routes` for how it competes with CIDR routes.
    PrefixList(GatewayService),
    /// One entry of a customer-managed prefix list: a route `corp -> x`
    /// becomes one such route per entry, each matching as its CIDR does,
    /// after a written CIDR route to the same block (aws-facts.md §2).
    ListEntry(PrefixListId, Ipv4Net),
    /// An IPv6 block. `RouteTable::routes` never holds one: IPv6 routes
    /// live in `routes6`, and [`RouteTable::all_routes`] is the two in one
    /// list for the reachability engine.
    Cidr6(Ipv6Net),
}

impl Destination {
    /// The block the route matches, when it is known offline (a CIDR or a
    /// customer-managed list's entry; not an AWS service's prefix list).
    pub fn net(self) -> Option<Ipv4Net> {
        match self {
            Destination::Cidr(n) | Destination::ListEntry(_, n) => Some(n),
            Destination::PrefixList(_) | Destination::Cidr6(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GatewayService {
    S3,
    DynamoDb,
}

impl GatewayService {
    pub fn parse(name: &str) -> Option<GatewayService> {
        match name {
            "s3" => Some(GatewayService::S3),
            "dynamodb" => Some(GatewayService::DynamoDb),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GatewayService::S3 => "s3",
            GatewayService::DynamoDb => "dynamodb",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Delivered inside the VPC.
    Local(VpcId),
    InternetGateway(InternetGatewayId),
    /// IPv6 routes only (E0422 for any other).
    EgressOnlyGateway(EgressOnlyGatewayId),
    NatGateway(NatGatewayId),
    /// A NAT instance or appliance.
    Instance(InstanceId),
    Peering(PeeringId),
    GatewayEndpoint(EndpointId),
    TransitGateway(TransitGatewayId),
    /// A virtual private gateway (a VPC's route to on premises).
    VpnGateway(VpnGatewayId),
    Blackhole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteOrigin {
    /// One per VPC CIDR, in every table.
    Local,
    /// Written in the file.
    Written,
    /// Added by a gateway endpoint's `route_tables`.
    GatewayEndpoint,
    /// A VPN route of the VPC's virtual private gateway, added by
    /// `propagate VGW`.
    Propagated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub destination: Destination,
    pub target: Target,
    pub origin: RouteOrigin,
    /// The `route` statement, or the endpoint's declaration for prefix-list
    /// routes; `None` for local routes.
    pub span: Option<Span>,
}

/// An IPv6 route: today only the `local` route of each IPv6 block of the
/// VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route6 {
    pub destination: Ipv6Net,
    pub target: Target,
    pub origin: RouteOrigin,
    pub span: Option<Span>,
}

impl Route6 {
    /// The route with its destination as a [`Destination::Cidr6`].
    pub fn as_route(&self) -> Route {
        Route {
            destination: Destination::Cidr6(self.destination),
            target: self.target,
            origin: self.origin,
            span: self.span,
        }
    }
}

impl RouteTable {
    /// Both families' routes in one list, IPv4 first, each family in its
    /// own match order. A destination matches routes of its own family
    /// only, so first-match over this list is longest-prefix match per
    /// family. Borrowed when the table has no IPv6 route.
    pub fn all_routes(&self) -> std::borrow::Cow<'_, [Route]> {
        if self.routes6.is_empty() {
            std::borrow::Cow::Borrowed(&self.routes)
        } else {
            let mut all = self.routes.clone();
            all.extend(self.routes6.iter().map(Route6::as_route));
            std::borrow::Cow::Owned(all)
        }
    }
}

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub name: String,
    pub vpc: VpcId,
    /// The VPC's default group (`span: None`).
    pub default: bool,
    pub rules: Vec<SgRule>,
    /// No `egress` statement was written: all egress is allowed, as for a
    /// new AWS group. Any `egress` statement replaces that default.
    pub default_egress: bool,
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct SgRule {
    pub direction: Direction,
    pub protocol: ProtocolKind,
    /// Inclusive; `None` for every port (and always for icmp and all).
    pub ports: Option<(u16, u16)>,
    pub peer: SgPeer,
    /// `None` for the default group's implicit rule.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SgPeer {
    Cidr(Ipv4Net),
    /// An IPv6 CIDR (`::/0`): never matches an IPv4 packet.
    Cidr6(Ipv6Net),
    /// `internet`: 0.0.0.0/0.
    Internet,
    External(ExternalId),
    /// Members of a group, matched by their private addresses.
    Group(SecurityGroupId),
    /// A gateway or interface service's prefix list (`service s3`).
    Service(String),
    /// A customer-managed prefix list: matches its entries.
    PrefixList(PrefixListId),
}

#[derive(Clone, Debug)]
pub struct NetworkAcl {
    pub name: String,
    pub vpc: VpcId,
    /// The VPC's default ACL: allows everything both ways.
    pub default: bool,
    /// Sorted by rule number.
    pub inbound: Vec<AclRule>,
    /// Sorted by rule number.
    pub outbound: Vec<AclRule>,
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct AclRule {
    pub number: u16,
    pub allow: bool,
    pub protocol: ProtocolKind,
    pub ports: Option<(u16, u16)>,
    /// The peer's range: `internet` is 0.0.0.0/0, an external its CIDRs.
    pub cidrs: Vec<Ipv4Net>,
    /// The peer's IPv6 range (an IPv6 CIDR, the default ACL's `::/0`
    /// rules); an IPv4 packet never matches it.
    pub cidrs6: Vec<Ipv6Net>,
    /// The peer as written, for messages (`internet`, `office`, a CIDR).
    pub peer_text: String,
    pub span: Option<Span>,
}

impl AclRule {
    /// The rule as a `.vpc` statement: `inbound 100 allow tcp 22 from
    /// office`.
    pub fn text(&self, inbound: bool) -> String {
        format!(
            "{} {} {} {}{} {} {}",
            if inbound { "inbound" } else { "outbound" },
            self.number,
            if self.allow { "allow" } else { "deny" },
            self.protocol.as_str(),
            port_suffix(self.ports),
            if inbound { "from" } else { "to" },
            self.peer_text
        )
    }
}

/// ` 22`, ` 1024-65535`, or nothing for every port.
fn port_suffix(ports: Option<(u16, u16)>) -> String {
    match ports {
        None => String::new(),
        Some((a, b)) if a == b => format!(" {a}"),
        Some((a, b)) => format!(" {a}-{b}"),
    }
}

/// One end of an `expect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowEnd {
    Instance(InstanceId),
    /// A host in the subnet with an allow-all security group (public IP when
    /// the subnet's `public_ip_on_launch` is on).
    Subnet(SubnetId),
    External(ExternalId),
    Internet,
    /// An interface endpoint (its interfaces).
    InterfaceEndpoint(EndpointId),
    /// `service SVC` (destination only): `s3`, `dynamodb`, or an interface
    /// service such as `ec2`.
    Service(String),
}

/// A component named in `via`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViaComponent {
    Instance(InstanceId),
    NatGateway(NatGatewayId),
    InternetGateway(InternetGatewayId),
    EgressOnlyGateway(EgressOnlyGatewayId),
    Endpoint(EndpointId),
    Peering(PeeringId),
    Subnet(SubnetId),
    RouteTable(RouteTableId),
    TransitGateway(TransitGatewayId),
    VpnGateway(VpnGatewayId),
}

#[derive(Clone, Debug)]
pub struct Expect {
    pub source: FlowEnd,
    /// `can reach` (true) or `cannot reach` (false).
    pub can: bool,
    pub destination: FlowEnd,
    /// `None`: any protocol.
    pub protocol: Option<ProtocolKind>,
    /// `None`: any port.
    pub ports: Option<(u16, u16)>,
    pub via: Vec<(ViaComponent, Span)>,
    pub privately: bool,
    /// IPv6 packets (`ipv6`), between the ends' IPv6 addresses.
    pub ipv6: bool,
    pub span: Span,
}

impl Model {
    /// The header of the declaration at `span` (`security_group app-sg`),
    /// or `span` itself when it is not a declaration with a body.
    pub fn head(&self, span: Span) -> Span {
        match self.heads.binary_search_by_key(&span, |(full, _)| *full) {
            Ok(i) => self.heads[i].1,
            Err(_) => span,
        }
    }

    pub fn vpc(&self, id: VpcId) -> &Vpc {
        &self.vpcs[id.index()]
    }
    pub fn subnet(&self, id: SubnetId) -> &Subnet {
        &self.subnets[id.index()]
    }
    pub fn route_table(&self, id: RouteTableId) -> &RouteTable {
        &self.route_tables[id.index()]
    }
    pub fn instance(&self, id: InstanceId) -> &Instance {
        &self.instances[id.index()]
    }

    /// The instances some route sends traffic to (NAT instances,
    /// appliances), in id order: the one definition the warnings, the
    /// diagram and the matrix share.
    pub fn route_targets(&self) -> std::collections::BTreeSet<InstanceId> {
        self.route_tables
            .iter()
            .flat_map(|t| t.routes.iter())
            .filter_map(|r| match r.target {
                Target::Instance(i) => Some(i),
                _ => None,
            })
            .collect()
    }
    pub fn nat_gateway(&self, id: NatGatewayId) -> &NatGateway {
        &self.nat_gateways[id.index()]
    }
    pub fn egress_only_gateway(&self, id: EgressOnlyGatewayId) -> &EgressOnlyGateway {
        &self.egress_only_gateways[id.index()]
    }

    pub fn internet_gateway(&self, id: InternetGatewayId) -> &InternetGateway {
        &self.internet_gateways[id.index()]
    }
    pub fn endpoint(&self, id: EndpointId) -> &Endpoint {
        &self.endpoints[id.index()]
    }
    pub fn security_group(&self, id: SecurityGroupId) -> &SecurityGroup {
        &self.security_groups[id.index()]
    }
    pub fn network_acl(&self, id: NetworkAclId) -> &NetworkAcl {
        &self.network_acls[id.index()]
    }
    pub fn peering(&self, id: PeeringId) -> &Peering {
        &self.peerings[id.index()]
    }
    pub fn external(&self, id: ExternalId) -> &External {
        &self.externals[id.index()]
    }
    pub fn prefix_list(&self, id: PrefixListId) -> &PrefixList {
        &self.prefix_lists[id.index()]
    }
    pub fn transit_gateway(&self, id: TransitGatewayId) -> &TransitGateway {
        &self.transit_gateways[id.index()]
    }
    pub fn vpn_gateway(&self, id: VpnGatewayId) -> &VpnGateway {
        &self.vpn_gateways[id.index()]
    }
    pub fn tgw_route_table(&self, id: TgwRouteTableId) -> &TgwRouteTable {
        &self.tgw_route_tables[id.index()]
    }
    pub fn tgw_attachment(&self, id: TgwAttachmentId) -> &TgwAttachment {
        &self.tgw_attachments[id.index()]
    }

    /// The attachment of VPC `vpc` to transit gateway `tgw`, if any.
    pub fn vpc_attachment(&self, tgw: TransitGatewayId, vpc: VpcId) -> Option<TgwAttachmentId> {
        self.transit_gateway(tgw)
            .attachments
            .iter()
            .copied()
            .find(|a| self.tgw_attachment(*a).vpc() == Some(vpc))
    }

    /// A transit gateway route's target by name (`shared`, `blackhole`).
    pub fn tgw_target_name(&self, t: TgwTarget) -> &str {
        match t {
            TgwTarget::Attachment(a) => &self.tgw_attachment(a).name,
            TgwTarget::Blackhole => "blackhole",
        }
    }

    /// The name of a route target as a user would say it:
    /// `internet gateway \`igw\``.
    pub fn target_label(&self, target: Target) -> String {
        match target {
            Target::Local(_) => "local".to_string(),
            Target::InternetGateway(id) => {
                format!("internet gateway `{}`", self.internet_gateway(id).name)
            }
            Target::EgressOnlyGateway(id) => {
                format!(
                    "egress-only internet gateway `{}`",
                    self.egress_only_gateway(id).name
                )
            }
            Target::NatGateway(id) => format!("NAT gateway `{}`", self.nat_gateway(id).name),
            Target::Instance(id) => format!("instance `{}`", self.instance(id).name),
            Target::Peering(id) => format!("peering `{}`", self.peering(id).name),
            Target::GatewayEndpoint(id) => format!("gateway endpoint `{}`", self.endpoint(id).name),
            Target::TransitGateway(id) => {
                format!("transit gateway `{}`", self.transit_gateway(id).name)
            }
            Target::VpnGateway(id) => {
                format!("virtual private gateway `{}`", self.vpn_gateway(id).name)
            }
            Target::Blackhole => "blackhole".to_string(),
        }
    }

    /// A security-group peer as the file writes it: a CIDR, `internet`, an
    /// external's or a group's name, `service s3`.
    pub fn sg_peer_text(&self, peer: &SgPeer) -> String {
        match peer {
            SgPeer::Cidr(n) => n.to_string(),
            SgPeer::Cidr6(n) => n.to_string(),
            SgPeer::Internet => "internet".to_string(),
            SgPeer::External(x) => self.external(*x).name.clone(),
            SgPeer::Group(g) => self.security_group(*g).name.clone(),
            SgPeer::Service(s) => format!("service {s}"),
            SgPeer::PrefixList(l) => self.prefix_list(*l).name.clone(),
        }
    }

    /// A security-group rule as a `.vpc` statement: `ingress tcp 22 from
    /// admin`.
    pub fn sg_rule_text(&self, r: &SgRule) -> String {
        let (dir, prep) = match r.direction {
            crate::syntax::ast::Direction::In => ("ingress", "from"),
            crate::syntax::ast::Direction::Out => ("egress", "to"),
        };
        format!(
            "{dir} {}{} {prep} {}",
            r.protocol.as_str(),
            port_suffix(r.ports),
            self.sg_peer_text(&r.peer)
        )
    }

    /// The name of the target alone (`igw`, `local`, `blackhole`).
    pub fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Local(_) => "local",
            Target::InternetGateway(id) => &self.internet_gateway(id).name,
            Target::EgressOnlyGateway(id) => &self.egress_only_gateway(id).name,
            Target::NatGateway(id) => &self.nat_gateway(id).name,
            Target::Instance(id) => &self.instance(id).name,
            Target::Peering(id) => &self.peering(id).name,
            Target::GatewayEndpoint(id) => &self.endpoint(id).name,
            Target::TransitGateway(id) => &self.transit_gateway(id).name,
            Target::VpnGateway(id) => &self.vpn_gateway(id).name,
            Target::Blackhole => "blackhole",
        }
    }

    /// The VPC an instance is in.
    pub fn instance_vpc(&self, id: InstanceId) -> VpcId {
        self.subnet(self.instance(id).subnet).vpc
    }
}
