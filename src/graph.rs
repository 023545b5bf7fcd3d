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

pub mod highlight;

pub use highlight::{Highlight, Mark, highlight};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::model::{
    EndpointId, EndpointKind, ExternalId, InstanceId, InternetGatewayId, Model, NatGatewayId,
    PeeringId, RouteOrigin, RouteTableId, SubnetId, SubnetKind, Target, VpcId,
};
use crate::routes::{self, Query};

/// What to draw besides the model.
#[derive(Clone, Debug)]
pub struct GraphOptions {
    /// A flow to draw over the diagram, with its blockers.
    pub highlight: Option<Highlight>,
    /// A subnet with more instances than this shows them as one box.
    pub group_over: usize,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            highlight: None,
            group_over: 6,
        }
    }
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
    /// A gateway endpoint (or an interface endpoint as a whole).
    Endpoint(EndpointId),
    /// An interface endpoint's network interface in one subnet.
    EndpointInterface(EndpointId, SubnetId),
    Peering(PeeringId),
    Blackhole(VpcId),
    /// A route table's decisions: its node when several subnets share it,
    /// its subnet otherwise. Only blockers are drawn here.
    RouteTable(RouteTableId),
}

/// Rendering failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// Graphviz could not read or lay out the DOT.
    Render(String),
    /// Graphviz produced output but reported errors (lost edges, ranking
    /// trouble, bad labels).
    Diagnostics(Vec<String>),
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Render(m) => write!(f, "graphviz could not render the diagram: {m}"),
            GraphError::Diagnostics(ms) => write!(f, "graphviz reported errors: {}", ms.join("; ")),
        }
    }
}

impl std::error::Error for GraphError {}

/// An SVG and the warnings Graphviz printed while making it.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub svg: String,
    pub warnings: Vec<String>,
}

/// Renders DOT to SVG with the embedded graphviz-pure. Any `Error`-level
/// diagnostic is a failure.
pub fn svg(dot: &str) -> Result<String, GraphError> {
    svg_with_warnings(dot).map(|r| r.svg)
}

/// [`svg`], keeping the warnings.
pub fn svg_with_warnings(dot: &str) -> Result<Rendered, GraphError> {
    use graphviz_pure::DiagnosticLevel;
    let rendered = graphviz_pure::render_dot(dot, "dot", "svg").map_err(|e| match e.line() {
        Some(line) => GraphError::Render(format!("line {line}: {}", e.message())),
        None => GraphError::Render(e.message().to_string()),
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for d in rendered.diagnostics() {
        let message = d.message().trim().to_string();
        match d.level() {
            DiagnosticLevel::Warning => warnings.push(message),
            // Error, CountedAsError, and any level added later.
            _ => errors.push(message),
        }
    }
    if !errors.is_empty() {
        return Err(GraphError::Diagnostics(errors));
    }
    Ok(Rendered {
        svg: rendered.into_output(),
        warnings,
    })
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
// Palette. Subnet fills are light so black text stays readable; borders
// carry the hue. A highlighted path is a strong blue and blockers are red
// (a pair that colour-blind readers tell apart); nothing else uses red.

const FONT: &str = "Helvetica";
const HIGHLIGHT: &str = "#1f6feb";
const HIGHLIGHT_PEN: &str = "3";
const BLOCKED: &str = "#d1242f";
const BLOCKED_FILL: &str = "#ffebe9";
const EDGE: &str = "#5f6368";
const TEXT: &str = "#202124";

struct Fill {
    fill: &'static str,
    border: &'static str,
}

fn subnet_colors(kind: SubnetKind) -> Fill {
    match kind {
        SubnetKind::Public => Fill {
            fill: "#e6f4ea",
            border: "#1e8e3e",
        },
        SubnetKind::Private => Fill {
            fill: "#e8f0fe",
            border: "#1a73e8",
        },
        SubnetKind::Isolated => Fill {
            fill: "#f1f3f4",
            border: "#5f6368",
        },
    }
}

const VPC_BORDER: &str = "#8e24aa";
const AZ_BORDER: &str = "#9aa0a6";
const IGW: Fill = Fill {
    fill: "#ceead6",
    border: "#137333",
};
const NAT: Fill = Fill {
    fill: "#feefc3",
    border: "#e37400",
};
const ENDPOINT: Fill = Fill {
    fill: "#e0f7fa",
    border: "#00838f",
};
const SERVICE: Fill = Fill {
    fill: "#fff3e0",
    border: "#ff9900",
};
const PEERING: Fill = Fill {
    fill: "#fff8e1",
    border: "#e37400",
};
const INSTANCE: Fill = Fill {
    fill: "#ffffff",
    border: "#3c4043",
};
const INTERNET: Fill = Fill {
    fill: "#f1f3f4",
    border: "#3c4043",
};

// ---------------------------------------------------------------------------
// Quoting. Every id and value is a double-quoted DOT string; user text is
// escaped, and label lines are joined with `\n`.

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn quoted(s: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape(s)))
}

/// A centred multi-line label.
fn label<S: AsRef<str>>(lines: &[S]) -> Id {
    let body: Vec<String> = lines.iter().map(|l| escape(l.as_ref())).collect();
    Id::Escaped(format!("\"{}\"", body.join("\\n")))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), quoted(v))
}

fn attr_id(k: &str, v: Id) -> Attribute {
    Attribute(Id::Plain(k.to_string()), v)
}

fn node(id: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(quoted(id), None), attrs))
}

/// A cluster with its label on top: the graph runs bottom to top
/// (`rankdir=BT`), which flips `labelloc`, so "b" is the top edge.
fn cluster(id: &str, mut stmts: Vec<Stmt>) -> Stmt {
    stmts.insert(0, gattr("labelloc", "b"));
    Stmt::Subgraph(Subgraph {
        id: quoted(id),
        stmts,
    })
}

fn gattr(k: &str, v: &str) -> Stmt {
    Stmt::Attribute(attr(k, v))
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
        let route_targets = model
            .route_tables
            .iter()
            .flat_map(|t| t.routes.iter())
            .filter_map(|r| match r.target {
                Target::Instance(i) => Some(i),
                _ => None,
            })
            .collect();
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
            Hop::Vpc(v) => (self.vpc_anchor(*v), Some(self.vpc_cluster(*v))),
            Hop::Subnet(s) => (self.subnet_anchor(*s), Some(self.subnet_cluster(*s))),
            Hop::Instance(i) => (self.instance_node(*i), None),
            Hop::NatGateway(n) => (format!("nat:{}", m.nat_gateway(*n).name), None),
            Hop::InternetGateway(g) => (format!("igw:{}", m.internet_gateway(*g).name), None),
            Hop::Endpoint(e) => match &m.endpoint(*e).kind {
                EndpointKind::Gateway { .. } => (format!("endpoint:{}", m.endpoint(*e).name), None),
                EndpointKind::Interface { interfaces, .. } => match interfaces.first() {
                    Some(x) => (self.eni_node(*e, x.subnet), None),
                    None => (format!("endpoint:{}", m.endpoint(*e).name), None),
                },
            },
            Hop::EndpointInterface(e, s) => (self.eni_node(*e, *s), None),
            Hop::Peering(p) => (format!("peering:{}", m.peering(*p).name), None),
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
            Target::NatGateway(n) => Some(Hop::NatGateway(n)),
            Target::Instance(i) => Some(Hop::Instance(i)),
            Target::Peering(p) => Some(Hop::Peering(p)),
            Target::GatewayEndpoint(e) => Some(Hop::Endpoint(e)),
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
            stmts.push(self.vpc(VpcId(v as u32)));
        }
        for (p, peering) in m.peerings.iter().enumerate() {
            let hop = Hop::Peering(PeeringId(p as u32));
            let mut attrs = vec![
                attr("shape", "hexagon"),
                attr_id("label", label(&["peering", &peering.name])),
                attr("fillcolor", PEERING.fill),
                attr("color", PEERING.border),
            ];
            self.mark(&hop, &mut attrs);
            stmts.push(node(&self.hop_node(&hop).0, attrs));
        }
        self.route_edges();
        self.gateway_edges();
        stmts.extend(self.tier_edges());
        stmts.push(self.legend());
        let edges = std::mem::take(&mut self.edges);
        for e in &edges {
            stmts.push(self.finish_edge(e));
        }
        stmts.extend(self.missing_links(&edges));
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

    /// `internet` and the externals.
    fn outside_cluster(&mut self) -> Stmt {
        let m = self.model;
        let mut inner = vec![
            Stmt::Attribute(attr_id("label", label(&["Internet"]))),
            gattr("style", "rounded,dashed"),
            gattr("color", AZ_BORDER),
        ];
        let mut attrs = vec![
            attr("shape", "ellipse"),
            attr("label", "internet"),
            attr("fillcolor", INTERNET.fill),
            attr("color", INTERNET.border),
        ];
        self.mark(&Hop::Internet, &mut attrs);
        inner.push(node("internet", attrs));
        for (e, ext) in m.externals.iter().enumerate() {
            let hop = Hop::External(ExternalId(e as u32));
            let mut lines = vec![format!("external {}", ext.name)];
            lines.extend(ext.cidrs.iter().map(|c| c.to_string()));
            let mut attrs = vec![
                attr_id("label", label(&lines)),
                attr("fillcolor", INTERNET.fill),
            ];
            self.mark(&hop, &mut attrs);
            let id = self.hop_node(&hop).0;
            inner.push(node(&id, attrs));
            self.edges.push(DrawEdge {
                from: "internet".to_string(),
                to: id,
                attrs: vec![attr("style", "dotted"), attr("arrowhead", "none")],
                links: vec![link(Hop::Internet, hop)],
            });
        }
        cluster("cluster_internet", inner)
    }

    /// The short names of the AWS services drawn: endpoints' services and
    /// highlighted ones.
    fn services(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self
            .model
            .endpoints
            .iter()
            .map(|e| e.service.clone())
            .collect();
        for h in self.hl_hops.iter().chain(self.blocked.keys()) {
            if let Hop::Service(s) = h {
                set.insert(s.clone());
            }
        }
        set.into_iter().collect()
    }

    fn services_cluster(&self) -> Option<Stmt> {
        let services = self.services();
        if services.is_empty() {
            return None;
        }
        let mut inner = vec![
            Stmt::Attribute(attr_id("label", label(&["AWS services"]))),
            gattr("style", "rounded,dashed"),
            gattr("color", AZ_BORDER),
        ];
        for s in services {
            let full = self
                .model
                .endpoints
                .iter()
                .find(|e| e.service == s)
                .map(|e| e.service_name.clone());
            let mut lines = vec![format!("service {s}")];
            lines.extend(full);
            let hop = Hop::Service(s);
            let mut attrs = vec![
                attr_id("label", label(&lines)),
                attr("fillcolor", SERVICE.fill),
                attr("color", SERVICE.border),
            ];
            self.mark(&hop, &mut attrs);
            inner.push(node(&self.hop_node(&hop).0, attrs));
        }
        Some(cluster("cluster_services", inner))
    }

    fn vpc(&self, v: VpcId) -> Stmt {
        let m = self.model;
        let vpc = m.vpc(v);
        let cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.to_string()).collect();
        let mut inner = vec![
            Stmt::Attribute(attr_id(
                "label",
                label(&[format!("VPC {}", vpc.name), cidrs.join(", ")]),
            )),
            gattr("style", "rounded"),
            gattr("color", VPC_BORDER),
            gattr("penwidth", "2"),
            gattr("fontsize", "14"),
        ];
        if self.blocked.contains_key(&Hop::Vpc(v)) {
            self.mark_cluster(&Hop::Vpc(v), &mut inner);
        }
        // Edge of the VPC: internet gateway, gateway endpoints, shared route
        // tables, blackhole.
        if let Some(g) = vpc.internet_gateway {
            let hop = Hop::InternetGateway(g);
            let mut attrs = vec![
                attr("shape", "octagon"),
                attr_id(
                    "label",
                    label(&[m.internet_gateway(g).name.as_str(), "internet gateway"]),
                ),
                attr("fillcolor", IGW.fill),
                attr("color", IGW.border),
            ];
            self.mark(&hop, &mut attrs);
            inner.push(node(&self.hop_node(&hop).0, attrs));
        }
        for (e, ep) in m.endpoints.iter().enumerate() {
            if ep.vpc == v && matches!(ep.kind, EndpointKind::Gateway { .. }) {
                let hop = Hop::Endpoint(EndpointId(e as u32));
                let mut attrs = vec![
                    attr("shape", "component"),
                    attr_id(
                        "label",
                        label(&[
                            ep.name.as_str(),
                            &format!("gateway endpoint {}", ep.service),
                        ]),
                    ),
                    attr("fillcolor", ENDPOINT.fill),
                    attr("color", ENDPOINT.border),
                ];
                self.mark(&hop, &mut attrs);
                inner.push(node(&self.hop_node(&hop).0, attrs));
            }
        }
        for (t, rt) in m.route_tables.iter().enumerate() {
            let t = RouteTableId(t as u32);
            if rt.vpc == v && self.shared_table(t) && self.table_zone(t).is_none() {
                inner.push(self.rt_stmt(t));
            }
        }
        if self.uses_blackhole(v) {
            let hop = Hop::Blackhole(v);
            let mut attrs = vec![
                attr("shape", "box"),
                attr("label", "blackhole"),
                attr("style", "filled"),
                attr("fillcolor", "#3c4043"),
                attr("fontcolor", "#ffffff"),
            ];
            self.mark(&hop, &mut attrs);
            inner.push(node(&self.hop_node(&hop).0, attrs));
        }
        if vpc.internet_gateway.is_none() && vpc.subnets.is_empty() {
            inner.push(node(&self.vpc_anchor(v), invisible()));
        }
        // AZ clusters in name order; subnets without an AZ directly in the VPC.
        let mut azs: Vec<&str> = vpc
            .subnets
            .iter()
            .filter_map(|s| m.subnet(*s).az.as_deref())
            .collect();
        azs.sort_unstable();
        azs.dedup();
        for s in vpc.subnets.iter().filter(|s| m.subnet(**s).az.is_none()) {
            inner.push(self.subnet(*s));
        }
        for az in azs {
            let mut az_inner = vec![
                Stmt::Attribute(attr_id("label", label(&[az_label(az)]))),
                gattr("style", "rounded,dashed"),
                gattr("color", AZ_BORDER),
                gattr("fontcolor", "#5f6368"),
            ];
            for s in vpc
                .subnets
                .iter()
                .filter(|s| m.subnet(**s).az.as_deref() == Some(az))
            {
                az_inner.push(self.subnet(*s));
            }
            for (t, rt) in m.route_tables.iter().enumerate() {
                let t = RouteTableId(t as u32);
                if rt.vpc == v && self.shared_table(t) && self.table_zone(t) == Some(az) {
                    az_inner.push(self.rt_stmt(t));
                }
            }
            inner.push(cluster(&format!("cluster_az:{}/{az}", vpc.name), az_inner));
        }
        cluster(&self.vpc_cluster(v), inner)
    }

    /// The AZ of every subnet using a table, when they share one: the
    /// table's node is drawn in that AZ's cluster.
    fn table_zone(&self, t: RouteTableId) -> Option<&'m str> {
        let m = self.model;
        let mut zones = m
            .route_table(t)
            .subnets
            .iter()
            .map(|s| m.subnet(*s).az.as_deref());
        let first = zones.next()??;
        zones.all(|z| z == Some(first)).then_some(first)
    }

    fn rt_stmt(&self, t: RouteTableId) -> Stmt {
        let rt = self.model.route_table(t);
        let mut lines = vec![format!("route table {}", rt.name)];
        if rt.main {
            lines.push("(main)".to_string());
        }
        if self.decisions(t).is_empty() {
            lines.push("local routes only".to_string());
        }
        let mut attrs = vec![
            attr("shape", "note"),
            attr_id("label", label(&lines)),
            attr("style", "filled"),
            attr("fillcolor", "#ffffff"),
            attr("color", EDGE),
        ];
        self.mark(&Hop::RouteTable(t), &mut attrs);
        node(&self.rt_node(t), attrs)
    }

    fn subnet(&self, s: SubnetId) -> Stmt {
        let m = self.model;
        let subnet = m.subnet(s);
        let colors = subnet_colors(subnet.kind);
        let instances = self.instances_in(s);
        let enis = self
            .subnet_nodes(s)
            .iter()
            .filter(|n| n.starts_with("eni:"))
            .count();
        let nats = m.nat_gateways.iter().filter(|n| n.subnet == s).count();
        let used = instances.len() + enis + nats;
        let mut inner = vec![
            Stmt::Attribute(attr_id(
                "label",
                label(&[
                    subnet.name.clone(),
                    format!("{} ({})", subnet.cidr, subnet.kind.as_str()),
                    format!("{} usable, {} used", subnet.usable.count, used),
                ]),
            )),
            gattr("style", "rounded,filled"),
            gattr("fillcolor", colors.fill),
            gattr("color", colors.border),
            gattr("fontcolor", TEXT),
            gattr("fontsize", "11"),
            // One row per subnet: its nodes side by side.
            gattr("rank", "same"),
        ];
        self.mark_cluster(&Hop::Subnet(s), &mut inner);
        for (n, nat) in m.nat_gateways.iter().enumerate() {
            if nat.subnet == s {
                let hop = Hop::NatGateway(NatGatewayId(n as u32));
                let kind = if nat.private {
                    "private NAT gateway"
                } else {
                    "NAT gateway"
                };
                let mut attrs = vec![
                    attr("shape", "octagon"),
                    attr_id(
                        "label",
                        label(&[nat.name.as_str(), kind, &nat.address.to_string()]),
                    ),
                    attr("fillcolor", NAT.fill),
                    attr("color", NAT.border),
                ];
                self.mark(&hop, &mut attrs);
                inner.push(node(&self.hop_node(&hop).0, attrs));
            }
        }
        let group = &self.grouped[s.index()];
        for i in &instances {
            if group.contains(i) {
                continue;
            }
            let inst = m.instance(*i);
            let mut lines = vec![inst.name.clone(), inst.address.to_string()];
            if self.route_targets.contains(i) && !inst.source_dest_check {
                lines.push("NAT instance".to_string());
            }
            if inst.public_ip {
                lines.push("public IP".to_string());
            }
            let hop = Hop::Instance(*i);
            let mut attrs = vec![attr_id("label", label(&lines))];
            self.mark(&hop, &mut attrs);
            inner.push(node(&self.instance_node(*i), attrs));
        }
        if !group.is_empty() {
            inner.push(node(
                &format!("instances:{}", subnet.name),
                self.group_attrs(group),
            ));
        }
        for (e, ep) in m.endpoints.iter().enumerate() {
            if let EndpointKind::Interface { interfaces, .. } = &ep.kind {
                for x in interfaces.iter().filter(|x| x.subnet == s) {
                    let id = EndpointId(e as u32);
                    let hop = Hop::EndpointInterface(id, s);
                    let mut attrs = vec![
                        attr("shape", "component"),
                        attr_id(
                            "label",
                            label(&[
                                ep.name.clone(),
                                format!("endpoint {} ENI", ep.service),
                                x.address.to_string(),
                            ]),
                        ),
                        attr("fillcolor", ENDPOINT.fill),
                        attr("color", ENDPOINT.border),
                    ];
                    // The endpoint as a whole is marked on every interface.
                    let whole = Hop::Endpoint(id);
                    if self.blocked.contains_key(&whole) && !self.blocked.contains_key(&hop) {
                        self.mark(&whole, &mut attrs);
                    } else {
                        if self.highlighted(&whole) {
                            attrs.push(attr("color", HIGHLIGHT));
                            attrs.push(attr("penwidth", HIGHLIGHT_PEN));
                        }
                        self.mark(&hop, &mut attrs);
                    }
                    inner.push(node(&self.eni_node(id, s), attrs));
                }
            }
        }
        if self.subnet_nodes(s).is_empty() {
            inner.push(node(&self.subnet_anchor(s), invisible()));
        }
        cluster(&self.subnet_cluster(s), inner)
    }

    /// The "N instances" box: a count, the first and last names, the range.
    fn group_attrs(&self, group: &[InstanceId]) -> Vec<Attribute> {
        let m = self.model;
        let names: Vec<&str> = group.iter().map(|i| m.instance(*i).name.as_str()).collect();
        let mut lines = vec![format!("{} instances", group.len())];
        let shown = 3;
        for chunk in names.iter().take(shown).collect::<Vec<_>>().chunks(3) {
            lines.push(chunk.iter().map(|s| **s).collect::<Vec<_>>().join(", "));
        }
        if names.len() > shown {
            lines.push(format!("... {}", names[names.len() - 1]));
        }
        let mut addrs: Vec<_> = group.iter().map(|i| m.instance(*i).address).collect();
        addrs.sort_unstable();
        if let (Some(first), Some(last)) = (addrs.first(), addrs.last()) {
            lines.push(format!("{first} - {last}"));
        }
        let public = group.iter().filter(|i| m.instance(**i).public_ip).count();
        if public > 0 {
            lines.push(format!("{public} with public IP"));
        }
        vec![
            attr("shape", "box3d"),
            attr_id("label", label(&lines)),
            attr("style", "filled"),
        ]
    }

    /// Whether a table is drawn as its own node: several subnets use it.
    fn shared_table(&self, t: RouteTableId) -> bool {
        self.model.route_table(t).subnets.len() > 1
    }

    fn uses_blackhole(&self, v: VpcId) -> bool {
        self.model.route_tables.iter().any(|t| {
            t.vpc == v
                && !t.subnets.is_empty()
                && t.routes.iter().any(|r| r.target == Target::Blackhole)
        })
    }

    /// The routes of a table grouped by target, in match order of each
    /// target's first route; `local` routes left out.
    fn decisions(&self, t: RouteTableId) -> Vec<(Target, Vec<String>)> {
        let rt = self.model.route_table(t);
        let mut out: Vec<(Target, Vec<String>)> = Vec::new();
        for r in &rt.routes {
            if r.origin == RouteOrigin::Local || matches!(r.target, Target::Local(_)) {
                continue;
            }
            let dest = routes::dest_text(r.destination);
            match out.iter_mut().find(|(t, _)| *t == r.target) {
                Some((_, ds)) => ds.push(dest),
                None => out.push((r.target, vec![dest])),
            }
        }
        out
    }

    fn target_hop_in(&self, t: Target, vpc: VpcId) -> Hop {
        self.target_hop(t).unwrap_or(Hop::Blackhole(vpc))
    }

    /// One edge per (subnet or shared table) × target.
    fn route_edges(&mut self) {
        let m = self.model;
        for t in 0..m.route_tables.len() {
            let t = RouteTableId(t as u32);
            let rt = m.route_table(t);
            if rt.subnets.is_empty() {
                continue;
            }
            let decisions = self.decisions(t);
            let shared = self.shared_table(t);
            let tail = if shared {
                (self.rt_node(t), None)
            } else {
                self.hop_node(&Hop::Subnet(rt.subnets[0]))
            };
            let sources: Vec<Hop> = rt.subnets.iter().map(|s| Hop::Subnet(*s)).collect();
            for (target, dests) in &decisions {
                let to = self.target_hop_in(*target, rt.vpc);
                let (head, lhead) = self.hop_node(&to);
                let mut attrs = vec![attr_id("label", label(&shorten(dests)))];
                if let Some(c) = &tail.1 {
                    attrs.push(attr("ltail", c));
                }
                if let Some(c) = lhead {
                    attrs.push(attr("lhead", &c));
                }
                attrs.extend(target_style(*target));
                self.edges.push(DrawEdge {
                    from: tail.0.clone(),
                    to: head,
                    attrs,
                    links: sources
                        .iter()
                        .map(|s| link(s.clone(), to.clone()))
                        .collect(),
                });
            }
            if shared {
                for s in &rt.subnets {
                    let (from, ltail) = self.hop_node(&Hop::Subnet(*s));
                    let mut attrs = vec![
                        attr("style", "dotted"),
                        attr("arrowhead", "none"),
                        attr("color", AZ_BORDER),
                    ];
                    if let Some(c) = ltail {
                        attrs.push(attr("ltail", &c));
                    }
                    let links = decisions
                        .iter()
                        .map(|(target, _)| {
                            link(Hop::Subnet(*s), self.target_hop_in(*target, rt.vpc))
                        })
                        .collect();
                    self.edges.push(DrawEdge {
                        from,
                        to: self.rt_node(t),
                        attrs,
                        links,
                    });
                }
            }
        }
    }

    /// NAT egress, internet gateways to `internet`, endpoints to their
    /// services, peerings to their VPCs.
    fn gateway_edges(&mut self) {
        let m = self.model;
        // A NAT gateway (or NAT instance) sends by its own subnet's table.
        let mut forwarders: Vec<(Hop, SubnetId)> = m
            .nat_gateways
            .iter()
            .enumerate()
            .map(|(n, nat)| (Hop::NatGateway(NatGatewayId(n as u32)), nat.subnet))
            .collect();
        for i in &self.route_targets {
            forwarders.push((Hop::Instance(*i), m.instance(*i).subnet));
        }
        for (hop, subnet) in forwarders {
            let table = m.route_table(m.subnet(subnet).route_table);
            let Some(r) = routes::lookup(table, Query::Internet)
                .chosen
                .map(|i| table.routes[i])
            else {
                continue;
            };
            if matches!(r.target, Target::Local(_)) {
                continue;
            }
            let to = self.target_hop_in(r.target, table.vpc);
            let (head, lhead) = self.hop_node(&to);
            let mut attrs = vec![attr("style", "dashed")];
            if let Some(c) = lhead {
                attrs.push(attr("lhead", &c));
            }
            self.edges.push(DrawEdge {
                from: self.hop_node(&hop).0,
                to: head,
                attrs,
                links: vec![link(hop, to)],
            });
        }
        for (g, _) in m.internet_gateways.iter().enumerate() {
            let hop = Hop::InternetGateway(InternetGatewayId(g as u32));
            self.edges.push(DrawEdge {
                from: self.hop_node(&hop).0,
                to: "internet".to_string(),
                attrs: vec![attr("dir", "both"), attr("color", IGW.border)],
                links: vec![link(hop, Hop::Internet)],
            });
        }
        for (e, ep) in m.endpoints.iter().enumerate() {
            let id = EndpointId(e as u32);
            let svc = Hop::Service(ep.service.clone());
            let to = self.hop_node(&svc).0;
            match &ep.kind {
                EndpointKind::Gateway { .. } => {
                    let hop = Hop::Endpoint(id);
                    self.edges.push(DrawEdge {
                        from: self.hop_node(&hop).0,
                        to,
                        attrs: vec![attr("color", ENDPOINT.border)],
                        links: vec![link(hop, svc)],
                    });
                }
                EndpointKind::Interface { interfaces, .. } => {
                    for x in interfaces {
                        let hop = Hop::EndpointInterface(id, x.subnet);
                        self.edges.push(DrawEdge {
                            from: self.hop_node(&hop).0,
                            to: to.clone(),
                            attrs: vec![attr("color", ENDPOINT.border)],
                            links: vec![
                                link(hop, svc.clone()),
                                link(Hop::Endpoint(id), svc.clone()),
                            ],
                        });
                    }
                }
            }
        }
        for (p, peering) in m.peerings.iter().enumerate() {
            let hop = Hop::Peering(PeeringId(p as u32));
            for v in [peering.a, peering.b] {
                let (head, lhead) = self.hop_node(&Hop::Vpc(v));
                let mut attrs = vec![
                    attr("style", "dashed"),
                    attr("dir", "none"),
                    attr("color", PEERING.border),
                    attr("penwidth", "1.5"),
                ];
                if let Some(c) = lhead {
                    attrs.push(attr("lhead", &c));
                }
                self.edges.push(DrawEdge {
                    from: self.hop_node(&hop).0,
                    to: head,
                    attrs,
                    links: vec![link(hop.clone(), Hop::Vpc(v))],
                });
            }
        }
    }

    /// Invisible edges that put the subnets of one AZ in rows by kind:
    /// isolated at the bottom, then private, then public next to the
    /// internet gateway (the graph runs bottom to top).
    fn tier_edges(&self) -> Vec<Stmt> {
        let m = self.model;
        let mut out = Vec::new();
        for (v, vpc) in m.vpcs.iter().enumerate() {
            let _ = v;
            let mut zones: Vec<Option<&str>> = vpc
                .subnets
                .iter()
                .map(|s| m.subnet(*s).az.as_deref())
                .collect();
            zones.sort_unstable();
            zones.dedup();
            for az in zones {
                let tiers: Vec<Vec<SubnetId>> = [
                    SubnetKind::Isolated,
                    SubnetKind::Private,
                    SubnetKind::Public,
                ]
                .iter()
                .map(|k| {
                    vpc.subnets
                        .iter()
                        .copied()
                        .filter(|s| m.subnet(*s).az.as_deref() == az && m.subnet(*s).kind == *k)
                        .collect::<Vec<_>>()
                })
                .filter(|t| !t.is_empty())
                .collect();
                for pair in tiers.windows(2) {
                    let from = self.subnet_anchor(pair[0][0]);
                    for s in &pair[1] {
                        out.push(edge(
                            &from,
                            &self.subnet_anchor(*s),
                            vec![attr("style", "invis"), attr("weight", "4")],
                        ));
                    }
                }
            }
        }
        out
    }

    fn finish_edge(&self, e: &DrawEdge) -> Stmt {
        let mut attrs = e.attrs.clone();
        if e.links.iter().any(|l| self.hl_links.contains(l)) {
            attrs.push(attr("color", HIGHLIGHT));
            attrs.push(attr("fontcolor", HIGHLIGHT));
            attrs.push(attr("penwidth", HIGHLIGHT_PEN));
        }
        edge(&e.from, &e.to, attrs)
    }

    /// Blue dashed edges for links of the highlighted path that no drawn
    /// edge realises, such as `local` delivery between two subnets.
    fn missing_links(&self, edges: &[DrawEdge]) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut done: BTreeSet<(Hop, Hop)> = BTreeSet::new();
        let legs = self.opts.highlight.iter().flat_map(|h| &h.legs);
        for w in legs.flat_map(|leg| leg.windows(2)) {
            let (a, b) = (&w[0], &w[1]);
            let l = link(a.clone(), b.clone());
            if a == b
                || self.contains(a, b)
                || edges.iter().any(|e| e.links.contains(&l))
                || !done.insert(l)
            {
                continue;
            }
            let (from, ltail) = self.hop_node(a);
            let (to, lhead) = self.hop_node(b);
            let same_vpc = match (a, b) {
                (Hop::Subnet(x), Hop::Subnet(y)) => {
                    self.model.subnet(*x).vpc == self.model.subnet(*y).vpc
                }
                _ => false,
            };
            let mut attrs = vec![
                attr("color", HIGHLIGHT),
                attr("fontcolor", HIGHLIGHT),
                attr("penwidth", HIGHLIGHT_PEN),
                attr("style", "dashed"),
                attr("constraint", "false"),
            ];
            if same_vpc {
                attrs.push(attr("label", "local"));
            }
            if let Some(c) = ltail {
                attrs.push(attr("ltail", &c));
            }
            if let Some(c) = lhead {
                attrs.push(attr("lhead", &c));
            }
            out.push(edge(&from, &to, attrs));
        }
        out
    }

    /// One HTML-table node: the subnet colours and how to read the arrows.
    /// Cells hold plain text only, so `graphviz_rust::parse` reads it back.
    fn legend(&self) -> Stmt {
        let mut rows = String::new();
        rows.push_str("<tr>");
        for kind in [
            SubnetKind::Public,
            SubnetKind::Private,
            SubnetKind::Isolated,
        ] {
            let c = subnet_colors(kind);
            rows.push_str(&format!(
                "<td bgcolor=\"{}\" color=\"{}\">{} subnet</td>",
                c.fill,
                c.border,
                kind.as_str()
            ));
        }
        rows.push_str("</tr>");
        let lines = vec![
            "Arrows: route-table decisions, one per subnet",
            "(or shared route table) and target, labelled",
            "with the destinations. local routes are not drawn.",
            "Dashed: NAT egress. Orange dashed: peering.",
        ];
        for l in lines {
            rows.push_str(&format!(
                "<tr><td colspan=\"3\" border=\"0\" align=\"left\">{}</td></tr>",
                html_escape(l)
            ));
        }
        if let Some(h) = &self.opts.highlight {
            let verdict = if h.delivered { "delivered" } else { "blocked" };
            rows.push_str(&format!(
                "<tr><td colspan=\"3\" border=\"0\" align=\"left\">{}</td></tr>",
                html_escape(&format!("Highlighted: {} ({verdict}).", h.title))
            ));
            rows.push_str(&format!(
                "<tr><td border=\"3\" bgcolor=\"#ffffff\" color=\"{HIGHLIGHT}\">path</td>\
                 <td colspan=\"2\" border=\"0\" align=\"left\">Blue, thick: its path, from the reachability engine.</td></tr>"
            ));
            if !h.blockers.is_empty() {
                rows.push_str(&format!(
                    "<tr><td border=\"3\" bgcolor=\"{BLOCKED_FILL}\" color=\"{BLOCKED}\">blocks</td>\
                     <td colspan=\"2\" border=\"0\" align=\"left\">Red: what blocks it, and why (vpcc reach explains).</td></tr>"
                ));
            }
        }
        let table = format!(
            "<<table border=\"0\" cellborder=\"1\" cellspacing=\"3\" cellpadding=\"3\">{rows}</table>>"
        );
        let legend = node(
            "legend",
            vec![
                attr("shape", "plaintext"),
                attr("style", ""),
                attr_id("label", Id::Html(table)),
                attr("fontsize", "9"),
            ],
        );
        cluster(
            "cluster_legend",
            vec![
                Stmt::Attribute(attr_id("label", label(&["Legend"]))),
                gattr("style", "rounded"),
                gattr("color", AZ_BORDER),
                gattr("fontsize", "11"),
                legend,
            ],
        )
    }
}

/// Adds `BLOCKED: REASON` as the last line of a label attribute.
fn blocked_label(attrs: &mut [Attribute], mark: &Mark) {
    let reasons: Vec<&str> = mark.reasons.iter().map(|r| r.as_str()).collect();
    let line = escape(&format!("BLOCKED: {}", reasons.join(", ")));
    for a in attrs.iter_mut() {
        if !matches!(&a.0, Id::Plain(k) if k == "label") {
            continue;
        }
        if let Id::Escaped(v) = &a.1
            && let Some(body) = v.strip_suffix('"')
        {
            a.1 = Id::Escaped(format!("{body}\\n{line}\""));
        }
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn az_label(az: &str) -> String {
    if az.len() <= 2 {
        format!("AZ {az}")
    } else {
        az.to_string()
    }
}

fn invisible() -> Vec<Attribute> {
    vec![
        attr("shape", "point"),
        attr("style", "invis"),
        attr("width", "0.01"),
        attr("height", "0.01"),
        attr("label", ""),
    ]
}

fn edge(from: &str, to: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(quoted(from), None)),
            Vertex::N(NodeId(quoted(to), None)),
        ),
        attributes: attrs,
    })
}

/// At most four destinations, then "+N more".
fn shorten(dests: &[String]) -> Vec<String> {
    if dests.len() <= 4 {
        return dests.to_vec();
    }
    let mut out = dests[..3].to_vec();
    out.push(format!("+{} more", dests.len() - 3));
    out
}

fn target_style(t: Target) -> Vec<Attribute> {
    match t {
        Target::InternetGateway(_) => vec![attr("color", IGW.border)],
        Target::NatGateway(_) | Target::Instance(_) => vec![attr("color", NAT.border)],
        Target::GatewayEndpoint(_) => vec![attr("color", ENDPOINT.border)],
        Target::Peering(_) => vec![attr("color", PEERING.border)],
        Target::Blackhole => vec![attr("color", "#3c4043"), attr("arrowhead", "tee")],
        Target::Local(_) => vec![],
    }
}
