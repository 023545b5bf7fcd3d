//! The reachability engine: can SOURCE open a connection to DEST?
//!
//! Pure: `reach(&Model, &Query) -> Verdict`. The engine walks the forward
//! path the way AWS forwards a packet (spec §6): security group egress,
//! the subnet's network ACL outbound, the route table (longest prefix
//! match), each hop (internet gateway, NAT gateway, NAT instance, peering,
//! gateway endpoint), the destination subnet's ACL inbound and the
//! destination's security group ingress; then the return traffic: every
//! ACL on the way back must admit the reply to an ephemeral port, and the
//! reply must be routable back.
//!
//! Packets are sets, not samples: sources and destinations are address
//! interval sets (or *opaque* public addresses), ports are interval sets
//! (see `sets`). A rule keeps the part of the set it matches. A flow is
//! delivered when some packet survives the whole way there and back.
//!
//! A blocked flow reports every component on the nearest path that drops
//! it: after a filter drops everything, the walk records a [`Blocker`] and
//! goes on as if that filter had let the traffic through, so that a
//! missing security group rule and a missing ACL rule both show up. Route
//! failures (no route, blackhole, transit) end the path.
//!
//! `docs/reach.md` documents the semantic decisions.

mod component;
mod ends;
mod expect;
mod filter;
mod route;
pub mod sets;
pub mod text;
mod tgw;
mod vgw;
mod walk;

use serde::Serialize;

pub use component::{Component, ComponentKind};

use crate::model::{
    EgressOnlyGatewayId, EndpointId, ExternalId, FlowEnd, InstanceId, InternetGatewayId, Model,
    NatGatewayId, PeeringId, RouteTableId, SubnetId, TgwRouteTableId, TransitGatewayId,
    ViaComponent, VpcId, VpnGatewayId,
};
use crate::source::Span;
use crate::syntax::ast::ProtocolKind;
use schemars::JsonSchema;

pub use ends::{END_KINDS, VIA_KINDS, end_of, resolve_end, resolve_via, via_of};
pub use expect::{check_expects, check_one as check_expect, expect_query};

/// One reachability question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub source: FlowEnd,
    pub destination: FlowEnd,
    /// `None`: any protocol.
    pub protocol: Option<ProtocolKind>,
    /// `None`: any port. Ignored for icmp and all.
    pub ports: Option<(u16, u16)>,
    /// Components the path must traverse, in order. An instance that is not
    /// a route target on the direct path is a jump host: the flow is
    /// checked in legs, to it and from it.
    pub via: Vec<ViaComponent>,
    /// No leg may cross an internet gateway.
    pub privately: bool,
    /// IPv6 packets, between the ends' IPv6 addresses (`expect … ipv6`,
    /// `reach --ipv6`); else IPv4.
    pub ipv6: bool,
}

impl Query {
    pub fn new(source: FlowEnd, destination: FlowEnd) -> Query {
        Query {
            source,
            destination,
            protocol: None,
            ports: None,
            via: Vec::new(),
            privately: false,
            ipv6: false,
        }
    }
}

macro_rules! reasons {
    ($($(#[$doc:meta])* $name:ident, $code:literal, $meaning:literal;)*) => {
        /// Why a component drops a flow (or why a qualifier fails).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum Reason {
            $($(#[$doc])* $name,)*
        }

        impl Reason {
            /// Every reason, in the order of `docs/reach.md`'s table.
            pub const ALL: &'static [Reason] = &[$(Reason::$name,)*];

            /// The stable code, as in the JSON output: `SG_INGRESS`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Reason::$name => $code,)*
                }
            }

            /// What the code means, in one line (`vpcc explain`).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Reason::$name => $meaning,)*
                }
            }
        }
    };
}

reasons! {
    NoRoute, "NO_ROUTE", "no route in the table matches the destination";
    Blackhole, "BLACKHOLE", "the matching route is a blackhole";
    SgEgress, "SG_EGRESS", "no egress rule of the sender's groups allows it";
    SgIngress, "SG_INGRESS", "no ingress rule of the receiver's groups allows it";
    AclOutbound, "ACL_OUTBOUND", "the subnet's ACL denies it leaving";
    AclInbound, "ACL_INBOUND", "the subnet's ACL denies it entering";
    AclReturn, "ACL_RETURN", "an ACL on the way back denies the reply to every ephemeral port, or no ephemeral port passes all the ACLs of one stretch of the way back";
    NoPublicIp, "NO_PUBLIC_IP", "an internet gateway needs a public IP on the inside end";
    NatInbound, "NAT_INBOUND", "the destination's internet route is a NAT, which only translates connections opened from inside";
    PrivateNat, "PRIVATE_NAT", "a private NAT gateway's traffic to an internet gateway is dropped";
    SourceDestCheck, "SOURCE_DEST_CHECK", "an instance route target with the check on drops forwarded traffic";
    PeeringTransit, "PEERING_TRANSIT", "a peering carries only traffic between its two VPCs' CIDRs";
    DnsPublic, "DNS_PUBLIC", "a service name resolves to public addresses, not to the endpoint";
    DnsUnresolved, "DNS_UNRESOLVED", "no DNS server answers in the source's VPC (dns_support off and only the Amazon resolver), so a service name does not resolve";
    RouteLoop, "ROUTE_LOOP", "a route sends traffic back to a hop already on the path";
    NoReturnRoute, "NO_RETURN_ROUTE", "the destination's subnet has no route back through the gateway or peering the request came in by";
    NoInternetGateway, "NO_INTERNET_GATEWAY", "the destination's VPC has no internet gateway";
    PrivateAddress, "PRIVATE_ADDRESS", "an internet gateway never carries traffic from or to RFC 1918 / 100.64.0.0/10 addresses";
    NotInVpc, "NOT_IN_VPC", "a local route covers the address, but the destination is in another VPC";
    ViaNotTraversed, "VIA_NOT_TRAVERSED", "a `via` component is not on the path";
    NotPrivate, "NOT_PRIVATE", "`privately`, but the path crosses an internet gateway";
    EndpointProtocol, "ENDPOINT_PROTOCOL", "an interface endpoint carries only TCP, a gateway endpoint TCP and ICMP";
    EndpointInboundOnly, "ENDPOINT_INBOUND_ONLY", "an interface endpoint only answers: the service behind it never opens a connection into the VPC";
    TgwNoAttachmentInAz, "TGW_NO_ATTACHMENT_IN_AZ", "the source's Availability Zone has no subnet of the VPC's transit gateway attachment, so its traffic cannot reach the transit gateway";
    OnPremisesOnly, "ON_PREMISES_ONLY", "an on-premises network is reached over a VPN only, never through an internet gateway";
    EgressOnly, "EGRESS_ONLY", "an egress-only internet gateway carries only IPv6 connections opened from inside the VPC";
    NoIpv6, "NO_IPV6", "an end of an IPv6 flow has no IPv6 address";
}

impl Reason {
    /// Looks a reason up by its code, case-insensitively (`sg_ingress`).
    pub fn parse(text: &str) -> Option<Reason> {
        Reason::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A component that drops the flow, and the setting to change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blocker {
    /// `security group \`app-sg\``.
    pub component: Component,
    pub reason: Reason,
    /// Why, in words: "no ingress rule allows tcp 22 from 10.0.1.10".
    #[serde(serialize_with = "crate::prose::ser")]
    pub detail: String,
    /// The declaration or statement to change (byte offsets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// A concrete change that removes this blocker, where one is known:
    /// "add `ingress tcp 22 from bastion-sg` to security group `app-sg`".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::prose::ser_opt")]
    pub fix: Option<String>,
    /// Where the blocker sits in the model, for drawing it (`vpcc graph
    /// --highlight`). Not in the JSON: `component` names it in words.
    #[serde(skip)]
    pub at: Option<Location>,
}

/// The model element a [`Blocker`] stands for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// An instance: its security groups, its public IP, its
    /// source/destination check.
    Instance(InstanceId),
    /// A subnet: its network ACL, or a host in it as a flow end.
    Subnet(SubnetId),
    /// A route table's decision: no route, a blackhole, a loop, no route
    /// back.
    RouteTable(RouteTableId),
    NatGateway(NatGatewayId),
    InternetGateway(InternetGatewayId),
    /// An egress-only internet gateway (named in `via`; IPv4 never
    /// crosses one).
    EgressOnlyGateway(EgressOnlyGatewayId),
    /// A gateway endpoint, or an interface endpoint as a whole.
    Endpoint(EndpointId),
    /// One interface of an interface endpoint (its security groups, the
    /// protocols it carries).
    EndpointInterface(EndpointId, SubnetId),
    Peering(PeeringId),
    TransitGateway(TransitGatewayId),
    /// A transit gateway route table's decision: no route, a blackhole,
    /// no route back.
    TgwRouteTable(TgwRouteTableId),
    /// A virtual private gateway: which VPN (if any) routes the address.
    VpnGateway(VpnGatewayId),
    /// A VPC: its local route, its missing internet gateway, its DNS
    /// settings.
    Vpc(VpcId),
    Internet,
    External(ExternalId),
    Service(String),
}

impl Location {
    /// A flow end as a location.
    pub fn of_end(end: &FlowEnd) -> Location {
        match end {
            FlowEnd::Instance(i) => Location::Instance(*i),
            FlowEnd::Subnet(s) => Location::Subnet(*s),
            FlowEnd::External(x) => Location::External(*x),
            FlowEnd::Internet => Location::Internet,
            FlowEnd::InterfaceEndpoint(e) => Location::Endpoint(*e),
            FlowEnd::Service(s) => Location::Service(s.clone()),
        }
    }
}

impl From<ViaComponent> for Location {
    fn from(v: ViaComponent) -> Location {
        match v {
            ViaComponent::Instance(i) => Location::Instance(i),
            ViaComponent::NatGateway(n) => Location::NatGateway(n),
            ViaComponent::InternetGateway(g) => Location::InternetGateway(g),
            ViaComponent::EgressOnlyGateway(g) => Location::EgressOnlyGateway(g),
            ViaComponent::Endpoint(e) => Location::Endpoint(e),
            ViaComponent::Peering(p) => Location::Peering(p),
            ViaComponent::Subnet(s) => Location::Subnet(s),
            ViaComponent::RouteTable(t) => Location::RouteTable(t),
            ViaComponent::TransitGateway(t) => Location::TransitGateway(t),
            ViaComponent::VpnGateway(g) => Location::VpnGateway(g),
        }
    }
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hop {
    /// `route table \`private\``.
    pub component: Component,
    /// What it did: "allows", "0.0.0.0/0 → NAT gateway `nat-a`".
    #[serde(serialize_with = "crate::prose::ser")]
    pub decision: String,
    /// The rule or route that decided, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::prose::ser_opt")]
    pub rule: Option<String>,
    /// The statement that decided (byte offsets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// At a route table: the route that matched, as data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteUsed>,
}

/// The route a route table chose for a flow: its destination and target as
/// separate values (the text output prints `0.0.0.0/0 → NAT gateway `nat-a``).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteUsed {
    /// The traffic the route was chosen for: `0.0.0.0/0`, `10.1.0.0/16`.
    pub traffic: String,
    /// The route's destination: a CIDR or a prefix list (`pl:s3`).
    pub destination: String,
    /// The target's name (`igw`, `nat-a`), `local` or `blackhole`.
    pub target: String,
    pub target_kind: crate::emit::json::TargetKindJson,
}

/// A DNS answer the flow depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub name: String,
    /// `10.0.2.5`, or `public addresses of ec2`.
    #[serde(serialize_with = "crate::prose::ser")]
    pub answer: String,
    #[serde(serialize_with = "crate::prose::ser")]
    pub why: String,
}

/// One connection: from one end to the other, there and back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// The source as the file names it: `admin`, `internet`, `service s3`.
    pub from: String,
    /// The destination as the file names it.
    pub to: String,
    /// `from` for a sentence: `` `admin` ``, `internet`. Not in the JSON.
    #[serde(skip)]
    pub from_label: String,
    /// `to` for a sentence. Not in the JSON.
    #[serde(skip)]
    pub to_label: String,
    pub delivered: bool,
    /// Delivered, and the leg's `via` and `privately` qualifiers hold.
    pub holds: bool,
    /// A packet that makes it, e.g. `tcp 10.0.1.10 → 10.0.2.4 port 22`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::prose::ser_opt")]
    pub example: Option<String>,
    pub forward: Vec<Hop>,
    #[serde(rename = "return")]
    pub back: Vec<Hop>,
    pub dns: Vec<Resolution>,
    pub blockers: Vec<Blocker>,
    pub crosses_internet_gateway: bool,
    /// The forward path reaches the destination (blocked or not): the
    /// destination end belongs on a drawing of the path.
    #[serde(skip)]
    pub reached: bool,
    /// The components the forward path traverses, in order, as `via`
    /// could name them (for `--highlight` and `via` checks).
    #[serde(skip)]
    pub traversed: Vec<ViaComponent>,
    /// `traversed` as components: `` subnet `private-a` ``, `` NAT gateway `nat-a` ``.
    pub path: Vec<Component>,
    /// When delivered: every protocol and port of the query that this
    /// path delivers (asking for any one of them alone gives this same
    /// path, delivered). `None` when not delivered, or when the answer
    /// differs port by port in a way this set cannot say (several reply
    /// cubes at one ACL): then ask port by port.
    #[serde(skip)]
    pub delivered_traffic: Option<sets::Traffic>,
}

/// The answer to a [`Query`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpcc reach")]
pub struct Verdict {
    /// Every leg is delivered.
    pub delivered: bool,
    /// Delivered, and `via` and `privately` hold.
    pub holds: bool,
    /// One leg, or one per jump host plus one.
    pub legs: Vec<Leg>,
}

impl Verdict {
    /// Every blocker of every leg.
    pub fn blockers(&self) -> impl Iterator<Item = &Blocker> {
        self.legs.iter().flat_map(|l| l.blockers.iter())
    }
}

/// The JSON Schema of `vpcc reach --format json` (a [`Verdict`]), as
/// published in `schemas/reach.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Verdict);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Decides one query.
pub fn reach(model: &Model, query: &Query) -> Verdict {
    Engine::new(model).reach(query)
}

/// The engine for many queries on one model: what every query needs (the
/// internet's address space, security group members' addresses) is
/// computed once and kept. `Engine::new(m).reach(q)` is [`reach`]`(m, q)`.
///
/// Not `Sync` (it caches as it goes): give each thread its own.
pub struct Engine<'m> {
    ctx: walk::Ctx<'m>,
    /// The IPv6 walk's context, made on the first IPv6 query.
    ctx6: std::cell::OnceCell<walk::Ctx<'m>>,
}

impl<'m> Engine<'m> {
    pub fn new(model: &'m Model) -> Engine<'m> {
        Engine {
            ctx: walk::Ctx::new(model, false),
            ctx6: std::cell::OnceCell::new(),
        }
    }

    /// An engine whose verdicts are wordless: the same decisions, hops,
    /// components, traversed lists and blocker reasons as [`Engine::new`],
    /// with empty decision texts, details and fixes. For callers that keep
    /// only the structure (the report's matrix, `diff`), which then skip
    /// formatting rule texts on every hop.
    pub fn quiet(model: &'m Model) -> Engine<'m> {
        let mut ctx = walk::Ctx::new(model, false);
        ctx.words = false;
        Engine {
            ctx,
            ctx6: std::cell::OnceCell::new(),
        }
    }

    pub fn model(&self) -> &'m Model {
        self.ctx.m
    }

    /// Decides one query.
    pub fn reach(&self, query: &Query) -> Verdict {
        if query.ipv6 {
            let ctx6 = self.ctx6.get_or_init(|| {
                let mut c = walk::Ctx::new(self.ctx.m, true);
                c.words = self.ctx.words;
                c
            });
            return walk::reach(ctx6, query);
        }
        walk::reach(&self.ctx, query)
    }
}

/// The name of a flow end as a user writes it: `` `bastion` ``, `internet`,
/// `service s3`.
pub fn end_label(model: &Model, end: &FlowEnd) -> String {
    match end {
        FlowEnd::Instance(i) => format!("`{}`", model.instance(*i).name),
        FlowEnd::Subnet(s) => format!("`{}`", model.subnet(*s).name),
        FlowEnd::External(x) => format!("`{}`", model.external(*x).name),
        FlowEnd::Internet => "internet".to_string(),
        FlowEnd::InterfaceEndpoint(e) => format!("`{}`", model.endpoint(*e).name),
        FlowEnd::Service(s) => format!("service {s}"),
    }
}

/// A flow end as a component: `` instance `bastion` ``, `the internet`.
pub fn end_component(model: &Model, end: &FlowEnd) -> Component {
    match end {
        FlowEnd::Instance(i) => Component::new(ComponentKind::Instance, &model.instance(*i).name),
        FlowEnd::Subnet(s) => Component::new(ComponentKind::Subnet, &model.subnet(*s).name),
        FlowEnd::External(x) => Component::new(ComponentKind::External, &model.external(*x).name),
        FlowEnd::Internet => Component::unnamed(ComponentKind::Internet),
        FlowEnd::InterfaceEndpoint(e) => {
            Component::new(ComponentKind::Endpoint, &model.endpoint(*e).name)
        }
        FlowEnd::Service(s) => Component::new(ComponentKind::Service, s.clone()),
    }
}

/// A flow end as the file names it, without quotes: `admin`, `internet`,
/// `service s3`.
pub fn end_name(model: &Model, end: &FlowEnd) -> String {
    match end {
        FlowEnd::Instance(i) => model.instance(*i).name.clone(),
        FlowEnd::Subnet(s) => model.subnet(*s).name.clone(),
        FlowEnd::External(x) => model.external(*x).name.clone(),
        FlowEnd::Internet => "internet".to_string(),
        FlowEnd::InterfaceEndpoint(e) => model.endpoint(*e).name.clone(),
        FlowEnd::Service(s) => format!("service {s}"),
    }
}

/// A `via` component: `` NAT gateway `nat-a` ``.
pub fn via_label(model: &Model, v: ViaComponent) -> Component {
    match v {
        ViaComponent::Instance(i) => {
            Component::new(ComponentKind::Instance, &model.instance(i).name)
        }
        ViaComponent::NatGateway(n) => {
            Component::new(ComponentKind::NatGateway, &model.nat_gateway(n).name)
        }
        ViaComponent::InternetGateway(g) => Component::new(
            ComponentKind::InternetGateway,
            &model.internet_gateway(g).name,
        ),
        ViaComponent::EgressOnlyGateway(g) => Component::new(
            ComponentKind::EgressOnlyGateway,
            &model.egress_only_gateway(g).name,
        ),
        ViaComponent::Endpoint(e) => {
            Component::new(ComponentKind::Endpoint, &model.endpoint(e).name)
        }
        ViaComponent::Peering(p) => Component::new(ComponentKind::Peering, &model.peering(p).name),
        ViaComponent::Subnet(s) => Component::new(ComponentKind::Subnet, &model.subnet(s).name),
        ViaComponent::RouteTable(r) => {
            Component::new(ComponentKind::RouteTable, &model.route_table(r).name)
        }
        ViaComponent::TransitGateway(t) => Component::new(
            ComponentKind::TransitGateway,
            &model.transit_gateway(t).name,
        ),
        ViaComponent::VpnGateway(g) => {
            Component::new(ComponentKind::VpnGateway, &model.vpn_gateway(g).name)
        }
    }
}
