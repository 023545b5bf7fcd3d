//! The route model as JSON (`vpcc routes --format json`, spec §7).
//!
//! The types here are data transfer objects: plain, owned, serialisable
//! copies of the [`Model`] with names instead of ids, built by
//! [`RouteModel::from_model`]. Their JSON Schema is derived from the same
//! types with `schemars` ([`schema`]) and published as
//! `schemas/route-model.schema.json`; a test keeps the two in step.
//!
//! **Invariant:** output is deterministic. Every list is in model order
//! (which is source order, implicit objects after written ones), except
//! `interfaces` and each table's `routes`, documented below. There are no
//! maps, so the same model always gives byte-identical JSON.

use std::net::{Ipv4Addr, Ipv6Addr};

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{
    AclRule, Destination, EndpointKind, Model, NetworkAcl, Route, Route6, RouteOrigin, RouteTable,
    RouteTableId, SecurityGroup, SgPeer, SgRule, Subnet, SubnetKind, Target, TgwAttachmentKind,
    TgwRouteOrigin,
};
use crate::routes::dest_text;
use crate::syntax::ast::{Direction, ProtocolKind};

/// The version of this format. It changes only when a field is removed or
/// changes meaning; new fields may appear in any version.
pub const VERSION: u32 = 1;

/// The resolved route model of one `.vpc` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpcc route model")]
pub struct RouteModel {
    /// The format version: always 1 for this schema.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// `region NAME`, when written.
    pub region: Option<String>,
    /// Named networks on the internet (`external`).
    pub externals: Vec<ExternalJson>,
    /// Customer-managed prefix lists (`prefix_list`); left out when the
    /// file declares none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixListJson>,
    /// Transit gateways (`transit_gateway`); left out when the file
    /// declares none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateways: Vec<TransitGatewayJson>,
    pub vpcs: Vec<VpcJson>,
    /// Every subnet with its effective routes, in source order.
    pub subnets: Vec<SubnetJson>,
    /// Every route table, the implicit main tables included.
    pub route_tables: Vec<RouteTableJson>,
    /// Every network interface with its private address: instances, NAT
    /// gateways and interface-endpoint ENIs, ordered by subnet (source
    /// order) and then by address.
    pub interfaces: Vec<InterfaceJson>,
    pub nat_gateways: Vec<NatGatewayJson>,
    pub endpoints: Vec<EndpointJson>,
    pub peerings: Vec<PeeringJson>,
    /// Written groups and each VPC's default group.
    pub security_groups: Vec<SecurityGroupJson>,
    /// Written ACLs and each VPC's default ACL.
    pub network_acls: Vec<NetworkAclJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalJson {
    pub name: String,
    /// CIDR blocks, as written.
    pub cidrs: Vec<String>,
    /// Reached over a VPN only (`on_premises`); left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_premises: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayJson {
    pub name: String,
    /// `security_group_referencing on`: inbound rules may name groups of
    /// other attached VPCs.
    pub security_group_referencing: bool,
    pub route_tables: Vec<TgwRouteTableJson>,
    pub attachments: Vec<TgwAttachmentJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TgwRouteTableJson {
    pub name: String,
    /// The attachments whose traffic it routes.
    pub associations: Vec<String>,
    /// The attachments whose routes it learns.
    pub propagations: Vec<String>,
    /// Effective routes in match order: the longest prefix first; for one
    /// prefix static, then prefix-list, then VPC-propagated, then
    /// VPN-propagated.
    pub routes: Vec<TgwRouteJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TgwRouteJson {
    pub destination: String,
    /// The prefix list an entry route comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
    /// An attachment's name, or `blackhole`.
    pub target: String,
    pub origin: TgwOriginJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TgwOriginJson {
    Static,
    PrefixList,
    PropagatedVpc,
    PropagatedVpn,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TgwAttachmentJson {
    pub name: String,
    /// `vpc` or `vpn`.
    pub kind: String,
    /// A VPC attachment's VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// A VPC attachment's subnets (one per AZ).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// A VPN's on-premises external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<String>,
    /// A VPN's static routes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<String>,
    /// The associated route table.
    pub route_table: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrefixListJson {
    pub name: String,
    /// Its CIDR blocks, as written (each once).
    pub entries: Vec<String>,
    /// The most entries it may hold; what each reference costs against a
    /// route table's or a security group's quota.
    #[schemars(range(min = 1, max = 1000))]
    pub max_entries: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcJson {
    pub name: String,
    /// The primary block first, then secondary blocks in source order.
    pub cidrs: Vec<String>,
    /// IPv6 blocks (`ipv6 …/56`) in source order; left out for an
    /// IPv4-only VPC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_cidrs: Vec<String>,
    pub dns_support: bool,
    pub dns_hostnames: bool,
    /// The Amazon DNS server: primary CIDR base + 2.
    pub dns_server: Ipv4Addr,
    pub dhcp_options: DhcpJson,
    /// The internet gateway's name, when the VPC has one.
    pub internet_gateway: Option<String>,
    /// The table marked `main`, or the implicit one (named `main`).
    pub main_route_table: String,
    pub default_security_group: String,
    pub default_network_acl: String,
    /// Subnet names, in source order.
    pub subnets: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpJson {
    /// Whether a `dhcp_options` block was written (otherwise AWS's default
    /// set: AmazonProvidedDNS only).
    pub written: bool,
    pub domain_name: Option<String>,
    /// `AmazonProvidedDNS` is one of the name servers.
    pub amazon_provided_dns: bool,
    /// Custom name servers.
    pub name_servers: Vec<Ipv4Addr>,
    pub ntp_servers: Vec<Ipv4Addr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubnetKindJson {
    /// Internet destinations go to an internet gateway.
    Public,
    /// Internet egress goes through a NAT gateway or NAT instance.
    Private,
    /// Neither.
    Isolated,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubnetJson {
    pub name: String,
    pub vpc: String,
    #[schemars(regex(pattern = r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"))]
    pub cidr: String,
    /// The IPv6 /64 of a dual-stack subnet; left out for an IPv4-only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<String>,
    /// The availability zone: region + letter, a full zone name as written,
    /// or a bare letter when the file has no `region`.
    pub az: Option<String>,
    pub kind: SubnetKindJson,
    /// Why `kind`, in words: "0.0.0.0/0 → internet gateway `igw`".
    #[serde(serialize_with = "crate::prose::ser")]
    pub kind_reason: String,
    /// A dual-stack subnet's kind for IPv6: `public` (`::/0` to an
    /// internet gateway), `private` (to an egress-only internet gateway),
    /// `isolated`; left out for an IPv4-only subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_kind: Option<SubnetKindJson>,
    /// Why `ipv6_kind`, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_kind_reason: Option<String>,
    pub public_ip_on_launch: bool,
    pub reserved: ReservedJson,
    pub usable: UsableJson,
    /// The effective route table: the explicit association or the main one.
    pub route_table: String,
    /// Whether the subnet names its route table (otherwise it uses main).
    pub route_table_explicit: bool,
    /// The explicit association or the VPC's default ACL.
    pub network_acl: String,
    /// The effective routes of `route_table`, in match order: the first
    /// route whose destination covers a packet's destination decides.
    /// IPv4 routes come first, then IPv6 routes in their own match order:
    /// AWS matches each family only against its own routes.
    pub routes: Vec<RouteJson>,
}

/// The five addresses AWS reserves in every subnet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservedJson {
    /// Base address.
    pub network: Ipv4Addr,
    /// Base + 1.
    pub vpc_router: Ipv4Addr,
    /// Base + 2 (the Amazon DNS address in the VPC's primary block).
    pub dns: Ipv4Addr,
    /// Base + 3.
    pub future_use: Ipv4Addr,
    /// The last address.
    pub broadcast: Ipv4Addr,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsableJson {
    /// Base + 4.
    pub first: Ipv4Addr,
    /// The last address − 1.
    pub last: Ipv4Addr,
    /// 2^(32 − prefix) − 5.
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteTableJson {
    pub name: String,
    pub vpc: String,
    /// The VPC's main table.
    pub main: bool,
    /// Not written: the main table AWS creates with the VPC.
    pub implicit: bool,
    /// Subnets using this table, explicitly or as the main table.
    pub subnets: Vec<String>,
    /// Effective routes in match order, IPv4 then IPv6 (as a subnet's).
    pub routes: Vec<RouteJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteJson {
    /// A CIDR (`10.0.0.0/16`, `2600:1f18:abcd:ef00::/56`) or a service
    /// prefix list (`pl:s3`).
    #[schemars(regex(
        pattern = r"^(\d{1,3}(\.\d{1,3}){3}/\d{1,2}|[0-9a-f:.]*:[0-9a-f:.]*/\d{1,3}|pl:(s3|dynamodb))$"
    ))]
    pub destination: String,
    /// The customer-managed prefix list this route is an entry of (`route
    /// corp -> nat` gives one route per entry of `corp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
    /// The target's name (`igw`, `nat-a`, `s3-gw`), or `local`, or
    /// `blackhole`.
    pub target: String,
    pub target_kind: TargetKindJson,
    pub origin: OriginJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKindJson {
    /// Delivered inside the VPC.
    Local,
    InternetGateway,
    NatGateway,
    /// An egress-only internet gateway (IPv6 routes only).
    EgressOnlyInternetGateway,
    /// A NAT instance or appliance.
    Instance,
    Peering,
    GatewayEndpoint,
    TransitGateway,
    /// A virtual private gateway (to on premises over a VPN).
    VpnGateway,
    /// Dropped.
    Blackhole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OriginJson {
    /// One per VPC CIDR, in every table.
    Local,
    /// A `route` statement of the file.
    Written,
    /// Added by a gateway endpoint's `route_tables`.
    GatewayEndpoint,
    /// A VPN route of the VPC's virtual private gateway, learned by
    /// `propagate`.
    Propagated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InterfaceKindJson {
    Instance,
    NatGateway,
    /// One ENI of an interface endpoint (its `name` is the endpoint's).
    InterfaceEndpoint,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterfaceJson {
    /// The instance, NAT gateway or endpoint name.
    pub name: String,
    pub kind: InterfaceKindJson,
    pub subnet: String,
    /// The private address, written or allocated.
    pub address: Ipv4Addr,
    /// The IPv6 address (instances of dual-stack subnets that have one,
    /// written or allocated); left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<Ipv6Addr>,
    /// Whether the file wrote the address (instances only; allocated ones
    /// take the lowest free usable address of the subnet).
    pub address_written: bool,
    /// Whether the interface has a public IPv4 address: an instance's
    /// `public_ip` (or the subnet's `public_ip_on_launch`), a public NAT
    /// gateway's Elastic IP.
    pub public_ip: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NatGatewayJson {
    pub name: String,
    pub subnet: String,
    pub address: Ipv4Addr,
    /// A public NAT gateway has an Elastic IP; `nat_gateway NAME private`
    /// has none.
    pub elastic_ip: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKindJson {
    Gateway,
    Interface,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointJson {
    pub name: String,
    pub vpc: String,
    /// The short service name as written: `s3`, `ec2`, `ecr.api`.
    pub service: String,
    /// `com.amazonaws.REGION.SERVICE`.
    pub service_name: String,
    pub kind: EndpointKindJson,
    /// Gateway endpoints: the tables that hold its prefix-list route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_tables: Option<Vec<String>>,
    /// Interface endpoints: one ENI per subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interfaces: Option<Vec<EndpointInterfaceJson>>,
    /// Interface endpoints: their security groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    /// Interface endpoints: `private_dns` as written (default on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_dns: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointInterfaceJson {
    pub subnet: String,
    pub address: Ipv4Addr,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeeringJson {
    pub name: String,
    /// The two VPCs, as written.
    #[schemars(length(min = 2, max = 2))]
    pub vpcs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupJson {
    pub name: String,
    pub vpc: String,
    /// The VPC's default group (not written).
    pub default: bool,
    pub ingress: Vec<SgRuleJson>,
    /// When no `egress` statement is written, one implicit rule allowing
    /// all traffic to 0.0.0.0/0, as for a new AWS group (and one to `::/0`
    /// in a VPC with an IPv6 block).
    pub egress: Vec<SgRuleJson>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolJson {
    Tcp,
    Udp,
    Icmp,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeerKindJson {
    Cidr,
    /// `internet`: 0.0.0.0/0.
    Internet,
    External,
    /// A customer-managed prefix list: its entries' addresses.
    PrefixList,
    /// Members of a security group, by their private addresses.
    SecurityGroup,
    /// A service's prefix list or addresses (`service s3`).
    Service,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SgRuleJson {
    pub protocol: ProtocolJson,
    /// `22` or `1024-65535`; `null` for every port.
    pub ports: Option<String>,
    /// The peer: a CIDR, `internet`, an external's or group's name, or a
    /// service name.
    pub peer: String,
    pub peer_kind: PeerKindJson,
    /// Not written: AWS's default rule.
    pub implicit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkAclJson {
    pub name: String,
    pub vpc: String,
    /// The VPC's default ACL (allows everything both ways).
    pub default: bool,
    /// Subnets associated with it, explicitly or by default.
    pub subnets: Vec<String>,
    /// By rule number. AWS's final `*` rule (deny all) is not listed.
    pub inbound: Vec<AclRuleJson>,
    /// By rule number. AWS's final `*` rule (deny all) is not listed.
    pub outbound: Vec<AclRuleJson>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionJson {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AclRuleJson {
    pub number: u16,
    pub action: ActionJson,
    pub protocol: ProtocolJson,
    /// `22` or `1024-65535`; `null` for every port.
    pub ports: Option<String>,
    /// The peer as written (`internet`, an external's name, a CIDR).
    pub peer: String,
    /// The ranges the rule matches.
    pub cidrs: Vec<String>,
}

impl RouteModel {
    /// The JSON data of a model.
    pub fn from_model(m: &Model) -> RouteModel {
        RouteModel {
            version: VERSION,
            region: m.region.clone(),
            externals: m
                .externals
                .iter()
                .map(|e| ExternalJson {
                    name: e.name.clone(),
                    cidrs: strings(&e.cidrs),
                    on_premises: e.on_premises,
                })
                .collect(),
            prefix_lists: prefix_lists(m),
            transit_gateways: transit_gateways(m),
            vpcs: m.vpcs.iter().map(|v| vpc(m, v)).collect(),
            subnets: m.subnets.iter().map(|s| subnet(m, s)).collect(),
            route_tables: m.route_tables.iter().map(|t| route_table(m, t)).collect(),
            interfaces: interfaces(m),
            nat_gateways: m
                .nat_gateways
                .iter()
                .map(|n| NatGatewayJson {
                    name: n.name.clone(),
                    subnet: m.subnet(n.subnet).name.clone(),
                    address: n.address,
                    elastic_ip: !n.private,
                })
                .collect(),
            endpoints: m.endpoints.iter().map(|e| endpoint(m, e)).collect(),
            peerings: m
                .peerings
                .iter()
                .map(|p| PeeringJson {
                    name: p.name.clone(),
                    vpcs: vec![m.vpc(p.a).name.clone(), m.vpc(p.b).name.clone()],
                })
                .collect(),
            security_groups: m
                .security_groups
                .iter()
                .map(|g| security_group(m, g))
                .collect(),
            network_acls: m
                .network_acls
                .iter()
                .enumerate()
                .map(|(i, a)| network_acl(m, i, a))
                .collect(),
        }
    }
}

/// The model as pretty-printed JSON, with a final newline.
pub fn to_string_pretty(m: &Model) -> String {
    let mut s = serde_json::to_string_pretty(&RouteModel::from_model(m)).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of [`RouteModel`], pretty-printed with a final newline:
/// the contents of `schemas/route-model.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(RouteModel);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn vpc(m: &Model, v: &crate::model::Vpc) -> VpcJson {
    VpcJson {
        name: v.name.clone(),
        cidrs: strings(&v.cidrs),
        ipv6_cidrs: strings(&v.ipv6_cidrs),
        dns_support: v.dns_support,
        dns_hostnames: v.dns_hostnames,
        dns_server: v.dns_server(),
        dhcp_options: DhcpJson {
            written: v.dhcp.span.is_some(),
            domain_name: v.dhcp.domain_name.clone(),
            amazon_provided_dns: v.dhcp.amazon_provided_dns,
            name_servers: v.dhcp.name_servers.clone(),
            ntp_servers: v.dhcp.ntp_servers.clone(),
        },
        internet_gateway: v
            .internet_gateway
            .map(|g| m.internet_gateway(g).name.clone()),
        main_route_table: m.route_table(v.main_route_table).name.clone(),
        default_security_group: m.security_group(v.default_security_group).name.clone(),
        default_network_acl: m.network_acl(v.default_network_acl).name.clone(),
        subnets: v
            .subnets
            .iter()
            .map(|s| m.subnet(*s).name.clone())
            .collect(),
    }
}

fn subnet(m: &Model, s: &Subnet) -> SubnetJson {
    SubnetJson {
        name: s.name.clone(),
        vpc: m.vpc(s.vpc).name.clone(),
        cidr: s.cidr.to_string(),
        ipv6_cidr: s.ipv6.map(|n| n.to_string()),
        az: s.az.clone(),
        kind: kind_json(s.kind),
        kind_reason: s.kind_reason.clone(),
        ipv6_kind: s.ipv6_kind.as_ref().map(|(k, _)| kind_json(*k)),
        ipv6_kind_reason: s.ipv6_kind.as_ref().map(|(_, r)| r.clone()),
        public_ip_on_launch: s.public_ip_on_launch,
        reserved: ReservedJson {
            network: s.reserved.network,
            vpc_router: s.reserved.router,
            dns: s.reserved.dns,
            future_use: s.reserved.future,
            broadcast: s.reserved.broadcast,
        },
        usable: UsableJson {
            first: s.usable.first,
            last: s.usable.last,
            count: s.usable.count,
        },
        route_table: m.route_table(s.route_table).name.clone(),
        route_table_explicit: s.explicit_route_table,
        network_acl: m.network_acl(s.network_acl).name.clone(),
        routes: routes(m, s.route_table),
    }
}

fn kind_json(k: SubnetKind) -> SubnetKindJson {
    match k {
        SubnetKind::Public => SubnetKindJson::Public,
        SubnetKind::Private => SubnetKindJson::Private,
        SubnetKind::Isolated => SubnetKindJson::Isolated,
    }
}

fn routes(m: &Model, t: RouteTableId) -> Vec<RouteJson> {
    table_routes(m, m.route_table(t))
}

/// A table's routes: IPv4 in match order, then IPv6 in match order.
fn table_routes(m: &Model, t: &RouteTable) -> Vec<RouteJson> {
    let v4 = t.routes.iter().map(|r| route(m, r));
    v4.chain(t.routes6.iter().map(|r| route6(m, r))).collect()
}

/// One IPv6 route in JSON form.
pub fn route6(m: &Model, r: &Route6) -> RouteJson {
    RouteJson {
        destination: r.destination.to_string(),
        prefix_list: None,
        target: m.target_name(r.target).to_string(),
        target_kind: target_kind(r.target),
        origin: origin(r.origin),
    }
}

fn origin(o: RouteOrigin) -> OriginJson {
    match o {
        RouteOrigin::Local => OriginJson::Local,
        RouteOrigin::Written => OriginJson::Written,
        RouteOrigin::GatewayEndpoint => OriginJson::GatewayEndpoint,
        RouteOrigin::Propagated => OriginJson::Propagated,
    }
}

/// One route in JSON form.
/// The customer-managed prefix lists, in source order.
pub fn transit_gateways(m: &Model) -> Vec<TransitGatewayJson> {
    let name = |a: &crate::model::TgwAttachmentId| m.tgw_attachment(*a).name.clone();
    m.transit_gateways
        .iter()
        .map(|t| TransitGatewayJson {
            name: t.name.clone(),
            security_group_referencing: t.sg_referencing,
            route_tables: t
                .route_tables
                .iter()
                .map(|rt| {
                    let table = m.tgw_route_table(*rt);
                    TgwRouteTableJson {
                        name: table.name.clone(),
                        associations: table.associations.iter().map(name).collect(),
                        propagations: table.propagations.iter().map(name).collect(),
                        routes: table
                            .routes
                            .iter()
                            .map(|r| TgwRouteJson {
                                destination: r
                                    .destination
                                    .net()
                                    .map(|n| n.to_string())
                                    .unwrap_or_default(),
                                prefix_list: match r.destination {
                                    Destination::ListEntry(l, _) => {
                                        Some(m.prefix_list(l).name.clone())
                                    }
                                    _ => None,
                                },
                                target: m.tgw_target_name(r.target).to_string(),
                                origin: match r.origin {
                                    TgwRouteOrigin::Static => TgwOriginJson::Static,
                                    TgwRouteOrigin::PrefixList => TgwOriginJson::PrefixList,
                                    TgwRouteOrigin::PropagatedVpc => TgwOriginJson::PropagatedVpc,
                                    TgwRouteOrigin::PropagatedVpn => TgwOriginJson::PropagatedVpn,
                                },
                            })
                            .collect(),
                    }
                })
                .collect(),
            attachments: t
                .attachments
                .iter()
                .map(|a| {
                    let att = m.tgw_attachment(*a);
                    let route_table = m.tgw_route_table(att.route_table).name.clone();
                    match &att.kind {
                        TgwAttachmentKind::Vpc { vpc, subnets } => TgwAttachmentJson {
                            name: att.name.clone(),
                            kind: "vpc".to_string(),
                            vpc: Some(m.vpc(*vpc).name.clone()),
                            subnets: subnets.iter().map(|s| m.subnet(*s).name.clone()).collect(),
                            external: None,
                            routes: Vec::new(),
                            route_table,
                        },
                        TgwAttachmentKind::Vpn { external, routes } => TgwAttachmentJson {
                            name: att.name.clone(),
                            kind: "vpn".to_string(),
                            vpc: None,
                            subnets: Vec::new(),
                            external: Some(m.external(*external).name.clone()),
                            routes: strings(routes),
                            route_table,
                        },
                    }
                })
                .collect(),
        })
        .collect()
}

pub fn prefix_lists(m: &Model) -> Vec<PrefixListJson> {
    m.prefix_lists
        .iter()
        .map(|l| PrefixListJson {
            name: l.name.clone(),
            entries: strings(&l.entries),
            max_entries: l.max_entries,
        })
        .collect()
}

pub fn route(m: &Model, r: &Route) -> RouteJson {
    RouteJson {
        destination: match r.destination {
            Destination::ListEntry(_, n) => n.to_string(),
            d => dest_text(m, d),
        },
        prefix_list: match r.destination {
            Destination::ListEntry(l, _) => Some(m.prefix_list(l).name.clone()),
            _ => None,
        },
        target: m.target_name(r.target).to_string(),
        target_kind: target_kind(r.target),
        origin: origin(r.origin),
    }
}

/// The kind of a route target.
pub fn target_kind(t: Target) -> TargetKindJson {
    match t {
        Target::Local(_) => TargetKindJson::Local,
        Target::InternetGateway(_) => TargetKindJson::InternetGateway,
        Target::EgressOnlyGateway(_) => TargetKindJson::EgressOnlyInternetGateway,
        Target::NatGateway(_) => TargetKindJson::NatGateway,
        Target::Instance(_) => TargetKindJson::Instance,
        Target::Peering(_) => TargetKindJson::Peering,
        Target::GatewayEndpoint(_) => TargetKindJson::GatewayEndpoint,
        Target::TransitGateway(_) => TargetKindJson::TransitGateway,
        Target::VpnGateway(_) => TargetKindJson::VpnGateway,
        Target::Blackhole => TargetKindJson::Blackhole,
    }
}

fn route_table(m: &Model, t: &RouteTable) -> RouteTableJson {
    RouteTableJson {
        name: t.name.clone(),
        vpc: m.vpc(t.vpc).name.clone(),
        main: t.main,
        implicit: t.span.is_none(),
        subnets: t
            .subnets
            .iter()
            .map(|s| m.subnet(*s).name.clone())
            .collect(),
        routes: table_routes(m, t),
    }
}

fn interfaces(m: &Model) -> Vec<InterfaceJson> {
    // (subnet index, address, json)
    let mut all: Vec<(usize, u32, InterfaceJson)> = Vec::new();
    let mut push = |subnet: crate::model::SubnetId, j: InterfaceJson| {
        all.push((subnet.index(), u32::from(j.address), j))
    };
    for i in &m.instances {
        push(
            i.subnet,
            InterfaceJson {
                name: i.name.clone(),
                kind: InterfaceKindJson::Instance,
                subnet: m.subnet(i.subnet).name.clone(),
                address: i.address,
                ipv6: i.ipv6,
                address_written: i.address_written,
                public_ip: i.public_ip,
            },
        );
    }
    for n in &m.nat_gateways {
        push(
            n.subnet,
            InterfaceJson {
                name: n.name.clone(),
                kind: InterfaceKindJson::NatGateway,
                subnet: m.subnet(n.subnet).name.clone(),
                address: n.address,
                ipv6: None,
                address_written: false,
                public_ip: !n.private,
            },
        );
    }
    for e in &m.endpoints {
        if let EndpointKind::Interface { interfaces, .. } = &e.kind {
            for ei in interfaces {
                push(
                    ei.subnet,
                    InterfaceJson {
                        name: e.name.clone(),
                        kind: InterfaceKindJson::InterfaceEndpoint,
                        subnet: m.subnet(ei.subnet).name.clone(),
                        address: ei.address,
                        ipv6: None,
                        address_written: false,
                        public_ip: false,
                    },
                );
            }
        }
    }
    // Addresses are unique within a subnet (the model's invariant), so this
    // order is total.
    all.sort_by_key(|(s, a, _)| (*s, *a));
    all.into_iter().map(|(_, _, j)| j).collect()
}

fn endpoint(m: &Model, e: &crate::model::Endpoint) -> EndpointJson {
    let mut j = EndpointJson {
        name: e.name.clone(),
        vpc: m.vpc(e.vpc).name.clone(),
        service: e.service.clone(),
        service_name: e.service_name.clone(),
        kind: EndpointKindJson::Gateway,
        route_tables: None,
        interfaces: None,
        security_groups: None,
        private_dns: None,
    };
    match &e.kind {
        EndpointKind::Gateway { route_tables } => {
            j.route_tables = Some(
                route_tables
                    .iter()
                    .map(|t| m.route_table(*t).name.clone())
                    .collect(),
            );
        }
        EndpointKind::Interface {
            interfaces,
            security_groups,
            private_dns,
        } => {
            j.kind = EndpointKindJson::Interface;
            j.interfaces = Some(
                interfaces
                    .iter()
                    .map(|i| EndpointInterfaceJson {
                        subnet: m.subnet(i.subnet).name.clone(),
                        address: i.address,
                    })
                    .collect(),
            );
            j.security_groups = Some(
                security_groups
                    .iter()
                    .map(|g| m.security_group(*g).name.clone())
                    .collect(),
            );
            j.private_dns = Some(*private_dns);
        }
    }
    j
}

fn protocol(p: ProtocolKind) -> ProtocolJson {
    match p {
        ProtocolKind::Tcp => ProtocolJson::Tcp,
        ProtocolKind::Udp => ProtocolJson::Udp,
        ProtocolKind::Icmp => ProtocolJson::Icmp,
        ProtocolKind::All => ProtocolJson::All,
    }
}

/// `22`, `1024-65535`, or `None` for every port.
pub fn ports_text(ports: Option<(u16, u16)>) -> Option<String> {
    ports.map(|(a, b)| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        }
    })
}

fn security_group(m: &Model, g: &SecurityGroup) -> SecurityGroupJson {
    let mut ingress = Vec::new();
    let mut egress = Vec::new();
    for r in &g.rules {
        let j = sg_rule(m, r);
        match r.direction {
            Direction::In => ingress.push(j),
            Direction::Out => egress.push(j),
        }
    }
    if g.default_egress {
        egress.push(SgRuleJson {
            protocol: ProtocolJson::All,
            ports: None,
            peer: "internet".to_string(),
            peer_kind: PeerKindJson::Internet,
            implicit: true,
        });
        // In a VPC with an IPv6 block, AWS's default egress allows all
        // IPv6 too (aws-facts.md §7, S24).
        if !m.vpc(g.vpc).ipv6_cidrs.is_empty() {
            egress.push(SgRuleJson {
                protocol: ProtocolJson::All,
                ports: None,
                peer: "::/0".to_string(),
                peer_kind: PeerKindJson::Cidr,
                implicit: true,
            });
        }
    }
    SecurityGroupJson {
        name: g.name.clone(),
        vpc: m.vpc(g.vpc).name.clone(),
        default: g.default,
        ingress,
        egress,
    }
}

fn sg_rule(m: &Model, r: &SgRule) -> SgRuleJson {
    let (peer, peer_kind) = match &r.peer {
        SgPeer::Cidr(n) => (n.to_string(), PeerKindJson::Cidr),
        SgPeer::Cidr6(n) => (n.to_string(), PeerKindJson::Cidr),
        SgPeer::Internet => ("internet".to_string(), PeerKindJson::Internet),
        SgPeer::External(e) => (m.external(*e).name.clone(), PeerKindJson::External),
        SgPeer::PrefixList(l) => (m.prefix_list(*l).name.clone(), PeerKindJson::PrefixList),
        SgPeer::Group(g) => (
            m.security_group(*g).name.clone(),
            PeerKindJson::SecurityGroup,
        ),
        SgPeer::Service(s) => (s.clone(), PeerKindJson::Service),
    };
    SgRuleJson {
        protocol: protocol(r.protocol),
        ports: ports_text(r.ports),
        peer,
        peer_kind,
        implicit: r.span.is_none(),
    }
}

fn network_acl(m: &Model, index: usize, a: &NetworkAcl) -> NetworkAclJson {
    let rules = |rs: &[AclRule]| -> Vec<AclRuleJson> {
        rs.iter()
            .map(|r| AclRuleJson {
                number: r.number,
                action: if r.allow {
                    ActionJson::Allow
                } else {
                    ActionJson::Deny
                },
                protocol: protocol(r.protocol),
                ports: ports_text(r.ports),
                peer: r.peer_text.clone(),
                cidrs: strings(&r.cidrs)
                    .into_iter()
                    .chain(strings(&r.cidrs6))
                    .collect(),
            })
            .collect()
    };
    NetworkAclJson {
        name: a.name.clone(),
        vpc: m.vpc(a.vpc).name.clone(),
        default: a.default,
        subnets: m
            .subnets
            .iter()
            .filter(|s| s.network_acl.index() == index)
            .map(|s| s.name.clone())
            .collect(),
        inbound: rules(&a.inbound),
        outbound: rules(&a.outbound),
    }
}

/// `vpcc routes --lookup Q --format json`: the decision of each subnet's
/// route table. Its schema is `schemas/route-lookup.schema.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpcc route lookup")]
pub struct LookupReport {
    /// The format version: always 1 for this schema.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// What was looked up: an IPv4 address, `pl:s3`, `pl:dynamodb` or
    /// `internet`.
    pub query: String,
    /// One decision per subnet, in source order.
    pub lookups: Vec<LookupJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupJson {
    pub subnet: String,
    pub route_table: String,
    /// The address lies in the subnet itself: delivered directly, without
    /// the route table (the decision below is what the table would say).
    pub same_subnet: bool,
    /// The route that decides, or `null` when none matches (dropped).
    pub chosen: Option<RouteJson>,
    /// Why `chosen` matched, in words.
    pub reason: String,
    /// What happens to the traffic, in words.
    pub outcome: String,
    /// Every other route of the table, in match order, and why it lost.
    pub others: Vec<LoserJson>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoserKindJson {
    /// Its destination does not contain the queried address.
    NoMatch,
    /// It matches, but the chosen route is more specific.
    LessSpecific,
    /// A prefix-list route for another service.
    OtherService,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoserJson {
    pub route: RouteJson,
    pub why: LoserKindJson,
    /// `why` in words: "matches too, but less specific than 10.0.2.0/24".
    pub reason: String,
}

impl LookupJson {
    /// The decision of subnet `id`'s route table for `q`.
    pub fn new(m: &Model, id: crate::model::SubnetId, q: crate::routes::Query) -> LookupJson {
        use crate::routes::{self, Loser, Query};
        let s = m.subnet(id);
        let table = m.route_table(s.route_table);
        let decision = routes::lookup(table, q);
        let winner = decision.chosen.map(|i| &table.routes[i]);
        let others = decision
            .others
            .iter()
            .map(|&(i, why)| {
                let r = &table.routes[i];
                LoserJson {
                    route: route(m, r),
                    why: match why {
                        Loser::NoMatch => LoserKindJson::NoMatch,
                        Loser::LessSpecific => LoserKindJson::LessSpecific,
                        Loser::OtherService => LoserKindJson::OtherService,
                    },
                    reason: routes::loser_reason(r, why, winner, q),
                }
            })
            .collect();
        LookupJson {
            subnet: s.name.clone(),
            route_table: table.name.clone(),
            same_subnet: matches!(q, Query::Address(a) if s.cidr.contains(&a)),
            chosen: winner.map(|w| route(m, w)),
            reason: winner.map_or_else(
                || "no route matches".to_string(),
                |w| routes::chosen_reason(w, q),
            ),
            outcome: winner.map_or_else(
                || "dropped: no route".to_string(),
                |w| routes::outcome(m, w),
            ),
            others,
        }
    }
}

/// The JSON Schema of [`LookupReport`], pretty-printed with a final
/// newline: the contents of `schemas/route-lookup.schema.json`.
pub fn lookup_schema() -> String {
    let schema = schemars::schema_for!(LookupReport);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
