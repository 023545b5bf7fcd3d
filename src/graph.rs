//! Diagrams: the resolved model as Graphviz DOT, and DOT as SVG in-process.
//!
//! [`dot`] builds a `graphviz_rust` graph from a [`Model`] and prints it; it
//! is pure and deterministic (model order everywhere, no hash maps). The
//! layout is:
//!
//! - nested clusters VPC → AZ → subnet, subnets filled by kind;
//! - instances, NAT gateways and interface-endpoint ENIs inside their
//!   subnets; more than [`GraphOptions::group_over`] instances of a subnet
//!   become one "N instances" box (route targets and highlighted instances
//!   stay separate);
//! - the internet gateway, gateway endpoints, blackholes and route tables
//!   shared by several subnets at the VPC's edge (in the VPC cluster, outside
//!   the AZ clusters);
//! - `internet` with the externals, AWS services, and peering connections
//!   outside every VPC;
//! - one edge per route-table decision: (subnet, or shared route table) ×
//!   target, labelled with the destinations. `local` routes are not drawn.
//!
//! A highlighted flow is a [`Highlight`]: the reachability engine's path
//! as [`Hop`]s (see [`highlight()`]), and the components that block it.
//! Nodes on the path and edges that realise a link between two
//! consecutive hops are drawn thick in the highlight blue; links the
//! diagram does not draw (`local` delivery) are added as blue dashed
//! edges; a blocking component is drawn red with its reason code.
//!
//! [`svg`] renders DOT with graphviz-pure (EPL-2.0), so no Graphviz install
//! is needed; an `Error` diagnostic from Graphviz is a [`GraphError`].

mod draw;
mod edges;
pub mod highlight;
mod style;
mod svg;

pub use highlight::{Highlight, Mark, highlight};
use style::*;
pub use svg::{GraphError, Rendered, svg, svg_with_warnings};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::model::{
    EndpointId, EndpointKind, ExternalId, InstanceId, InternetGatewayId, Model, NatGatewayId,
    PeeringId, RouteOrigin, RouteTableId, SubnetId, SubnetKind, Target, TransitGatewayId, VpcId,
    VpnGatewayId,
};
use crate::routes::{self, Query};

/// What to draw besides the model.
#[derive(Clone, Debug)]
pub struct GraphOptions {
    /// A flow to draw over the diagram, with its blockers.
    pub highlight: Option<Highlight>,
    /// A subnet with more instances than this shows them as one box.
    pub group_over: usize,
    /// Draw only this VPC in full, and of the rest what it connects to:
    /// its peerings, each peer VPC as one box. Other VPCs are left out.
    pub vpc: Option<VpcId>,
    /// Draw every VPC other than [`Self::vpc`] (every VPC when it is
    /// `None`) as one box with its name and CIDRs instead of its subnets.
    pub collapse: bool,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            highlight: None,
            group_over: 6,
            vpc: None,
            collapse: false,
        }
    }
}

/// How one VPC is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Its AZs, subnets and everything in them.
    Full,
    /// One box: its name and CIDRs.
    Collapsed,
    /// Not at all.
    Hidden,
}

/// The drawing mode of each VPC, by the options.
fn modes(model: &Model, opts: &GraphOptions) -> Vec<Mode> {
    (0..model.vpcs.len())
        .map(|v| {
            let v = VpcId(v as u32);
            match opts.vpc {
                Some(sel) if sel == v => Mode::Full,
                Some(sel) => {
                    let peer = model
                        .peerings
                        .iter()
                        .any(|p| (p.a == sel && p.b == v) || (p.b == sel && p.a == v));
                    if peer { Mode::Collapsed } else { Mode::Hidden }
                }
                None if opts.collapse => Mode::Collapsed,
                None => Mode::Full,
            }
        })
        .collect()
}

/// Node ids declared anywhere in `stmts` (subgraphs included).
fn declared(stmts: &[Stmt], out: &mut BTreeSet<String>) {
    for st in stmts {
        match st {
            Stmt::Node(n) => {
                out.insert(id_text(&n.id.0));
            }
            Stmt::Subgraph(g) => declared(&g.stmts, out),
            _ => {}
        }
    }
}

fn id_text(id: &Id) -> String {
    match id {
        Id::Html(s) | Id::Escaped(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// Whether both ends of an edge statement are declared nodes.
fn edge_declared(st: &Stmt, nodes: &BTreeSet<String>) -> bool {
    let Stmt::Edge(e) = st else {
        return true;
    };
    let EdgeTy::Pair(a, b) = &e.ty else {
        return true;
    };
    [a, b].iter().all(|v| match v {
        Vertex::N(n) => nodes.contains(&id_text(&n.0)),
        Vertex::S(_) => true,
    })
}

/// One element of a drawn path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    Internet,
    External(ExternalId),
    /// An AWS service by its short name (`s3`, `ec2`).
    Service(String),
    Vpc(VpcId),
    Subnet(SubnetId),
    Instance(InstanceId),
    NatGateway(NatGatewayId),
    InternetGateway(InternetGatewayId),
    /// An egress-only internet gateway, on the edge of its VPC.
    EgressOnlyGateway(crate::model::EgressOnlyGatewayId),
    /// A gateway endpoint (or an interface endpoint as a whole).
    Endpoint(EndpointId),
    /// An interface endpoint's network interface in one subnet.
    EndpointInterface(EndpointId, SubnetId),
    Peering(PeeringId),
    /// A transit gateway: a hub outside the VPCs.
    TransitGateway(TransitGatewayId),
    /// A virtual private gateway, on the edge of its VPC.
    VpnGateway(VpnGatewayId),
    Blackhole(VpcId),
    /// A route table's decisions: its node when several subnets share it,
    /// its subnet otherwise. Only blockers are drawn here.
    RouteTable(RouteTableId),
}

/// The model as Graphviz DOT.
pub fn dot(model: &Model, opts: &GraphOptions) -> String {
    let graph = Builder::new(model, opts).build();
    let mut ctx = PrinterContext::default();
    let mut out = graph.print(&mut ctx);
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------

/// An edge before highlighting: its DOT ends and the hop links it draws.
struct DrawEdge {
    from: String,
    to: String,
    attrs: Vec<Attribute>,
    /// Unordered pairs of hops this edge connects.
    links: Vec<(Hop, Hop)>,
}

fn link(a: Hop, b: Hop) -> (Hop, Hop) {
    if a <= b { (a, b) } else { (b, a) }
}

struct Builder<'m> {
    model: &'m Model,
    opts: &'m GraphOptions,
    /// Hops of the highlighted path, and its links.
    hl_hops: BTreeSet<Hop>,
    hl_links: Vec<(Hop, Hop)>,
    /// Blocking components by where they are drawn (a route table not
    /// drawn on its own is its subnet).
    blocked: BTreeMap<Hop, &'m Mark>,
    /// Per subnet: its instances, in model order.
    by_subnet: Vec<Vec<InstanceId>>,
    /// Per subnet: instances drawn one by one, and the grouped rest.
    grouped: Vec<Vec<InstanceId>>,
    /// Instances that are route targets (never grouped).
    route_targets: BTreeSet<InstanceId>,
    edges: Vec<DrawEdge>,
    /// Per VPC: how it is drawn.
    modes: Vec<Mode>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model, opts: &'m GraphOptions) -> Self {
        let legs: &[Vec<Hop>] = opts.highlight.as_ref().map_or(&[], |h| &h.legs);
        let hl_hops: BTreeSet<Hop> = legs.iter().flatten().cloned().collect();
        let mut hl_links = Vec::new();
        for leg in legs {
            hl_links.extend(leg.windows(2).map(|w| link(w[0].clone(), w[1].clone())));
            // A NAT gateway or NAT instance sends by its own subnet's table:
            // its dashed egress edge is on the path too.
            for w in leg.windows(3) {
                if let (Hop::NatGateway(_) | Hop::Instance(_), Hop::Subnet(_)) = (&w[0], &w[1]) {
                    hl_links.push(link(w[0].clone(), w[2].clone()));
                }
            }
        }
        let mut blocked = BTreeMap::new();
        for mark in opts.highlight.iter().flat_map(|h| &h.blockers) {
            let at = match mark.at {
                Hop::RouteTable(t) if model.route_table(t).subnets.len() == 1 => {
                    Hop::Subnet(model.route_table(t).subnets[0])
                }
                ref at => at.clone(),
            };
            blocked.entry(at).or_insert(mark);
        }
        let route_targets = model.route_targets();
        let mut b = Builder {
            model,
            opts,
            hl_hops,
            hl_links,
            blocked,
            by_subnet: vec![Vec::new(); model.subnets.len()],
            grouped: Vec::new(),
            route_targets,
            edges: Vec::new(),
            modes: modes(model, opts),
        };
        for (i, inst) in model.instances.iter().enumerate() {
            if let Some(list) = b.by_subnet.get_mut(inst.subnet.index()) {
                list.push(InstanceId(i as u32));
            }
        }
        b.grouped = (0..model.subnets.len())
            .map(|s| b.group_of(SubnetId(s as u32)))
            .collect();
        b
    }

    /// The instances of a subnet that go into its "N instances" box.
    fn group_of(&self, subnet: SubnetId) -> Vec<InstanceId> {
        let all: Vec<InstanceId> = self.instances_in(subnet);
        if all.len() <= self.opts.group_over {
            return Vec::new();
        }
        all.into_iter()
            .filter(|i| {
                let hop = Hop::Instance(*i);
                !self.route_targets.contains(i)
                    && !self.hl_hops.contains(&hop)
                    && !self.blocked.contains_key(&hop)
            })
            .collect()
    }

    fn instances_in(&self, subnet: SubnetId) -> Vec<InstanceId> {
        self.by_subnet
            .get(subnet.index())
            .cloned()
            .unwrap_or_default()
    }

    fn highlighted(&self, hop: &Hop) -> bool {
        self.hl_hops.contains(hop)
    }

    // --- ids ---------------------------------------------------------------

    fn subnet_cluster(&self, s: SubnetId) -> String {
        format!("cluster_subnet:{}", self.model.subnet(s).name)
    }

    fn vpc_cluster(&self, v: VpcId) -> String {
        format!("cluster_vpc:{}", self.model.vpc(v).name)
    }

    fn instance_node(&self, i: InstanceId) -> String {
        let inst = self.model.instance(i);
        if self.grouped[inst.subnet.index()].contains(&i) {
            format!("instances:{}", self.model.subnet(inst.subnet).name)
        } else {
            format!("instance:{}", inst.name)
        }
    }

    fn eni_node(&self, e: EndpointId, s: SubnetId) -> String {
        format!(
            "eni:{}/{}",
            self.model.endpoint(e).name,
            self.model.subnet(s).name
        )
    }

    fn rt_node(&self, t: RouteTableId) -> String {
        let rt = self.model.route_table(t);
        format!("route_table:{}/{}", self.model.vpc(rt.vpc).name, rt.name)
    }

    /// The nodes drawn inside a subnet, in drawing order.
    fn subnet_nodes(&self, s: SubnetId) -> Vec<String> {
        let m = self.model;
        let mut out = Vec::new();
        for (n, nat) in m.nat_gateways.iter().enumerate() {
            if nat.subnet == s {
                out.push(format!(
                    "nat:{}",
                    m.nat_gateway(NatGatewayId(n as u32)).name
                ));
            }
        }
        let group = &self.grouped[s.index()];
        for i in self.instances_in(s) {
            if !group.contains(&i) {
                out.push(self.instance_node(i));
            }
        }
        if !group.is_empty() {
            out.push(format!("instances:{}", m.subnet(s).name));
        }
        for (e, ep) in m.endpoints.iter().enumerate() {
            if let EndpointKind::Interface { interfaces, .. } = &ep.kind
                && interfaces.iter().any(|x| x.subnet == s)
            {
                out.push(self.eni_node(EndpointId(e as u32), s));
            }
        }
        out
    }

    /// A node inside the subnet's cluster, for `ltail`/`lhead`.
    fn subnet_anchor(&self, s: SubnetId) -> String {
        self.subnet_nodes(s)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("anchor:{}", self.model.subnet(s).name))
    }

    /// The invisible node at the bottom of a zone's column (an AZ, or the
    /// subnets without one): zones are ordered by these.
    fn zone_anchor(&self, v: VpcId, az: Option<&str>) -> String {
        format!("zone:{}/{}", self.model.vpc(v).name, az.unwrap_or("-"))
    }

    /// A VPC's zones in drawing order: the subnets without an AZ first
    /// (also when it has no AZ at all, so every VPC has a zone), then its
    /// AZs in name order.
    fn zones_of(&self, v: VpcId) -> Vec<Option<&'m str>> {
        let m = self.model;
        let vpc = m.vpc(v);
        let mut azs: Vec<&'m str> = vpc
            .subnets
            .iter()
            .filter_map(|s| m.subnet(*s).az.as_deref())
            .collect();
        azs.sort_unstable();
        azs.dedup();
        let mut out = Vec::new();
        if azs.is_empty() || vpc.subnets.iter().any(|s| m.subnet(*s).az.is_none()) {
            out.push(None);
        }
        out.extend(azs.into_iter().map(Some));
        out
    }

    /// The subnets of one zone of a VPC, by name.
    fn subnets_in(&self, v: VpcId, az: Option<&str>) -> Vec<SubnetId> {
        let m = self.model;
        let mut out: Vec<SubnetId> = m
            .vpc(v)
            .subnets
            .iter()
            .copied()
            .filter(|s| m.subnet(*s).az.as_deref() == az)
            .collect();
        out.sort_by(|a, b| m.subnet(*a).name.cmp(&m.subnet(*b).name));
        out
    }

    fn mode(&self, v: VpcId) -> Mode {
        self.modes[v.index()]
    }

    /// The one box of a collapsed VPC.
    fn vpc_box(&self, v: VpcId) -> String {
        format!("vpc:{}", self.model.vpc(v).name)
    }

    fn vpc_anchor(&self, v: VpcId) -> String {
        let vpc = self.model.vpc(v);
        if let Some(g) = vpc.internet_gateway {
            return format!("igw:{}", self.model.internet_gateway(g).name);
        }
        match vpc.subnets.first() {
            Some(s) => self.subnet_anchor(*s),
            None => format!("anchor:{}", vpc.name),
        }
    }

    /// The DOT node (and cluster, for `ltail`/`lhead`) that stands for a hop.
    fn hop_node(&self, hop: &Hop) -> (String, Option<String>) {
        let m = self.model;
        match hop {
            Hop::Internet => ("internet".to_string(), None),
            Hop::External(e) => (format!("external:{}", m.external(*e).name), None),
            Hop::Service(s) => (format!("service:{s}"), None),
            Hop::Vpc(v) if self.mode(*v) != Mode::Full => (self.vpc_box(*v), None),
            Hop::Vpc(v) => (self.vpc_anchor(*v), Some(self.vpc_cluster(*v))),
            Hop::Subnet(s) => (self.subnet_anchor(*s), Some(self.subnet_cluster(*s))),
            Hop::Instance(i) => (self.instance_node(*i), None),
            Hop::NatGateway(n) => (format!("nat:{}", m.nat_gateway(*n).name), None),
            Hop::InternetGateway(g) => (format!("igw:{}", m.internet_gateway(*g).name), None),
            Hop::EgressOnlyGateway(g) => (format!("eigw:{}", m.egress_only_gateway(*g).name), None),
            Hop::Endpoint(e) => match &m.endpoint(*e).kind {
                EndpointKind::Gateway { .. } => (format!("endpoint:{}", m.endpoint(*e).name), None),
                EndpointKind::Interface { interfaces, .. } => match interfaces.first() {
                    Some(x) => (self.eni_node(*e, x.subnet), None),
                    None => (format!("endpoint:{}", m.endpoint(*e).name), None),
                },
            },
            Hop::EndpointInterface(e, s) => (self.eni_node(*e, *s), None),
            Hop::Peering(p) => (format!("peering:{}", m.peering(*p).name), None),
            Hop::TransitGateway(t) => (format!("tgw:{}", m.transit_gateway(*t).name), None),
            Hop::VpnGateway(g) => (format!("vgw:{}", m.vpn_gateway(*g).name), None),
            Hop::Blackhole(v) => (format!("blackhole:{}", m.vpc(*v).name), None),
            Hop::RouteTable(t) => match m.route_table(*t).subnets.as_slice() {
                [s] => self.hop_node(&Hop::Subnet(*s)),
                _ => (self.rt_node(*t), None),
            },
        }
    }

    fn target_hop(&self, t: Target) -> Option<Hop> {
        match t {
            Target::Local(_) => None,
            Target::InternetGateway(g) => Some(Hop::InternetGateway(g)),
            Target::EgressOnlyGateway(g) => Some(Hop::EgressOnlyGateway(g)),
            Target::NatGateway(n) => Some(Hop::NatGateway(n)),
            Target::Instance(i) => Some(Hop::Instance(i)),
            Target::Peering(p) => Some(Hop::Peering(p)),
            Target::GatewayEndpoint(e) => Some(Hop::Endpoint(e)),
            Target::TransitGateway(t) => Some(Hop::TransitGateway(t)),
            Target::VpnGateway(g) => Some(Hop::VpnGateway(g)),
            Target::Blackhole => None,
        }
    }

    /// Whether `b` sits inside `a` (or the other way round): no edge joins them.
    fn contains(&self, a: &Hop, b: &Hop) -> bool {
        let m = self.model;
        let inside = |outer: &Hop, inner: &Hop| match (outer, inner) {
            (Hop::Subnet(s), Hop::Instance(i)) => m.instance(*i).subnet == *s,
            (Hop::Subnet(s), Hop::NatGateway(n)) => m.nat_gateway(*n).subnet == *s,
            (Hop::Subnet(s), Hop::EndpointInterface(_, t)) => s == t,
            (Hop::Vpc(v), Hop::Subnet(s)) => m.subnet(*s).vpc == *v,
            (Hop::Vpc(v), Hop::InternetGateway(g)) => m.internet_gateway(*g).vpc == *v,
            (Hop::Vpc(v), Hop::EgressOnlyGateway(g)) => m.egress_only_gateway(*g).vpc == *v,
            (Hop::Vpc(v), Hop::Endpoint(e)) => m.endpoint(*e).vpc == *v,
            (Hop::Endpoint(e), Hop::EndpointInterface(f, _)) => e == f,
            _ => false,
        };
        inside(a, b) || inside(b, a)
    }

    // --- build -------------------------------------------------------------

    fn build(mut self) -> Graph {
        let m = self.model;
        let mut stmts = vec![
            Stmt::GAttribute(GraphAttributes::Graph(vec![
                attr("fontname", FONT),
                attr("fontsize", "12"),
                attr("rankdir", "BT"),
                attr("compound", "true"),
                attr("newrank", "true"),
                // Keep the declared order (AZs, subnets by name): little
                // crossing minimisation after the initial order.
                attr("mclimit", "0.01"),
                attr("nodesep", "0.25"),
                attr("ranksep", "0.6"),
                attr("labelloc", "t"),
                attr("style", "rounded"),
                attr("fontcolor", TEXT),
            ])),
            Stmt::GAttribute(GraphAttributes::Node(vec![
                attr("fontname", FONT),
                attr("fontsize", "10"),
                attr("shape", "box"),
                attr("style", "rounded,filled"),
                attr("fillcolor", INSTANCE.fill),
                attr("color", INSTANCE.border),
                attr("fontcolor", TEXT),
            ])),
            Stmt::GAttribute(GraphAttributes::Edge(vec![
                attr("fontname", FONT),
                attr("fontsize", "9"),
                attr("color", EDGE),
                attr("fontcolor", TEXT),
                attr("arrowsize", "0.7"),
            ])),
        ];
        if let Some(region) = &m.region {
            stmts.push(Stmt::Attribute(attr_id(
                "label",
                label(&[format!("region {region}")]),
            )));
        }
        stmts.push(self.outside_cluster());
        if let Some(s) = self.services_cluster() {
            stmts.push(s);
        }
        for v in 0..m.vpcs.len() {
            let v = VpcId(v as u32);
            match self.mode(v) {
                Mode::Full => stmts.push(self.vpc(v)),
                Mode::Collapsed => stmts.push(self.collapsed_vpc(v)),
                Mode::Hidden => {}
            }
        }
        for (p, peering) in m.peerings.iter().enumerate() {
            if self.mode(peering.a) == Mode::Hidden || self.mode(peering.b) == Mode::Hidden {
                continue;
            }
            let hop = Hop::Peering(PeeringId(p as u32));
            let side = |v: VpcId| {
                let vpc = m.vpc(v);
                let cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.to_string()).collect();
                format!("{} {}", vpc.name, cidrs.join(", "))
            };
            let mut attrs = vec![
                attr("shape", "hexagon"),
                attr_id(
                    "label",
                    label(&[
                        format!("peering {}", peering.name),
                        side(peering.a),
                        side(peering.b),
                    ]),
                ),
                attr("fillcolor", PEERING.fill),
                attr("color", PEERING.border),
            ];
            self.mark(&hop, &mut attrs);
            stmts.push(node(&self.hop_node(&hop).0, attrs));
        }
        for (e, ext) in m.externals.iter().enumerate() {
            if !ext.on_premises {
                continue;
            }
            let hop = Hop::External(ExternalId(e as u32));
            let mut lines = vec![format!("on premises {}", ext.name)];
            lines.extend(ext.cidrs.iter().map(|c| c.to_string()));
            let mut attrs = vec![
                attr("shape", "box3d"),
                attr_id("label", label(&lines)),
                attr("fillcolor", INTERNET.fill),
            ];
            self.mark(&hop, &mut attrs);
            stmts.push(node(&self.hop_node(&hop).0, attrs));
        }
        for (t, tgw) in m.transit_gateways.iter().enumerate() {
            let hop = Hop::TransitGateway(TransitGatewayId(t as u32));
            let mut lines = vec![format!("transit gateway {}", tgw.name)];
            for rt in &tgw.route_tables {
                let table = m.tgw_route_table(*rt);
                lines.push(format!(
                    "table {}: {} routes",
                    table.name,
                    table.routes.len()
                ));
            }
            let mut attrs = vec![
                attr("shape", "doubleoctagon"),
                attr_id("label", label(&lines)),
                attr("fillcolor", PEERING.fill),
                attr("color", PEERING.border),
            ];
            self.mark(&hop, &mut attrs);
            stmts.push(node(&self.hop_node(&hop).0, attrs));
        }
        self.route_edges();
        self.gateway_edges();
        self.tgw_edges();
        self.vgw_edges();
        stmts.extend(self.tier_edges());
        stmts.extend(self.zone_order());
        stmts.push(self.legend());
        let edges = std::mem::take(&mut self.edges);
        for e in &edges {
            stmts.push(self.finish_edge(e));
        }
        stmts.extend(self.missing_links(&edges));
        // Edges to what is not drawn (inside a collapsed or left-out VPC)
        // go.
        let mut nodes = BTreeSet::new();
        declared(&stmts, &mut nodes);
        stmts.retain(|st| edge_declared(st, &nodes));
        Graph::DiGraph {
            id: Id::Plain("vpc".to_string()),
            strict: false,
            stmts,
        }
    }

    /// Red, with the reason codes, when `hop` blocks the highlighted flow;
    /// else blue and thick when it is on its path.
    fn mark(&self, hop: &Hop, attrs: &mut Vec<Attribute>) {
        if let Some(mark) = self.blocked.get(hop) {
            blocked_label(attrs, mark);
            attrs.push(attr("color", BLOCKED));
            attrs.push(attr("fillcolor", BLOCKED_FILL));
            attrs.push(attr("penwidth", HIGHLIGHT_PEN));
            attrs.push(attr_id("tooltip", label(&mark.details)));
        } else if self.highlighted(hop) {
            attrs.push(attr("color", HIGHLIGHT));
            attrs.push(attr("penwidth", HIGHLIGHT_PEN));
        }
    }

    /// [`Self::mark`] for a cluster (a subnet, a VPC).
    fn mark_cluster(&self, hop: &Hop, inner: &mut Vec<Stmt>) {
        if let Some(mark) = self.blocked.get(hop) {
            let mut attrs = Vec::new();
            self.mark(hop, &mut attrs);
            // The cluster's own label is its first statement after labelloc.
            for st in inner.iter_mut() {
                if let Stmt::Attribute(a) = st
                    && matches!(&a.0, Id::Plain(k) if k == "label")
                {
                    let mut one = vec![a.clone()];
                    blocked_label(&mut one, mark);
                    *a = one.remove(0);
                    break;
                }
            }
            inner.extend(
                attrs
                    .into_iter()
                    .filter(|a| !matches!(&a.0, Id::Plain(k) if k == "fillcolor"))
                    .map(Stmt::Attribute),
            );
        } else if self.highlighted(hop) {
            inner.push(gattr("color", HIGHLIGHT));
            inner.push(gattr("penwidth", HIGHLIGHT_PEN));
        }
    }
}
