//! The report of one model (`vpcc report`, `vpcc build`, spec §7):
//! subnets and their address use, effective route tables, a reachability
//! matrix, the internet exposure list and every `expect` with its result.
//!
//! Pure: [`Report::build`] takes the model and the source text (for line
//! numbers and the text of `expect` statements) and computes everything
//! with the reachability engine ([`crate::reach::reach`]); [`md`] and
//! [`html`] render it, [`Report::to_json`] serialises it. The JSON Schema
//! is derived from the same types ([`schema`]) and published as
//! `schemas/report.schema.json`.
//!
//! **Invariant:** output is deterministic. Every list is in model order
//! (source order) or sorted, there are no maps, so the same input gives
//! byte-identical Markdown, JSON and HTML.

pub mod html;
mod inventory;
mod matrix;
pub mod md;
mod prune;

use schemars::JsonSchema;
use serde::Serialize;

use crate::emit::json::route as route_json;
use crate::model::{EndpointKind, Model};
use crate::reach::{Component, Engine, expect_query};
use crate::source::line_col;

pub use inventory::{FreeBlock, FreeSpace, Inventory, Table, sections};
pub use matrix::{
    FlowCells, PortSet, build_where as matrix_where, flow_cells, flows_between, port_text,
};
pub use prune::Focus;

/// The version of this format. It changes only when a field is removed or
/// changes meaning; new fields may appear in any version.
pub const VERSION: u32 = 1;

/// The report of one `.vpc` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpcc report")]
pub struct Report {
    /// The format version: always 1 for this schema.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The file's name without `.vpc` (`nat-bastion-endpoints`).
    pub name: String,
    /// `region NAME`, when written.
    pub region: Option<String>,
    /// Every subnet, in source order.
    pub subnets: Vec<SubnetRow>,
    /// Every route table used by a subnet, in model order.
    pub route_tables: Vec<RouteTableRow>,
    /// Customer-managed prefix lists; left out when the file has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<crate::emit::json::PrefixListJson>,
    /// Transit gateways: attachments and route tables (routes in match
    /// order, origins marked); left out when the file has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateways: Vec<crate::emit::json::TransitGatewayJson>,
    /// The reachability matrix.
    pub matrix: Matrix,
    /// Every instance port the internet can open a connection to.
    pub exposure: Vec<Exposure>,
    /// Every `expect` of the file, in source order.
    pub expects: Vec<ExpectResult>,
    /// Every security group with its rules (the route model's rows).
    pub security_groups: Vec<crate::emit::json::SecurityGroupJson>,
    /// Every network ACL with its rules and subnets.
    pub network_acls: Vec<crate::emit::json::NetworkAclJson>,
    /// Interfaces, public addresses, NAT gateways, endpoints, peerings.
    pub inventory: Inventory,
    /// Each VPC's unallocated addresses and next free block of each size.
    pub free_space: Vec<FreeSpace>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubnetRow {
    pub name: String,
    pub vpc: String,
    /// `public`, `private` or `isolated`.
    pub kind: String,
    /// Why `kind`, in words.
    #[serde(serialize_with = "crate::prose::ser")]
    pub kind_reason: String,
    pub cidr: String,
    /// The IPv6 /64 of a dual-stack subnet; left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<String>,
    pub az: Option<String>,
    /// Interfaces in the subnet: instances, NAT gateways, endpoint ENIs.
    pub used: u32,
    /// Usable addresses: 2^(32 − prefix) − 5.
    pub usable: u32,
    pub route_table: String,
    pub network_acl: String,
}

impl SubnetRow {
    /// The CIDR cell: `10.0.1.0/24`, or `10.0.1.0/24, 2600:…/64`.
    pub fn blocks(&self) -> String {
        match &self.ipv6_cidr {
            Some(v6) => format!("{}, {v6}", self.cidr),
            None => self.cidr.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteTableRow {
    pub name: String,
    pub vpc: String,
    pub main: bool,
    /// Subnets using the table.
    pub subnets: Vec<String>,
    /// Effective routes in match order.
    pub routes: Vec<RouteRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRow {
    /// A CIDR or a prefix list (`pl:s3`).
    pub destination: String,
    /// The customer-managed prefix list the route is an entry of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
    /// The target's name, `local` or `blackhole`.
    pub target: String,
    /// As in the route model: `local`, `internet_gateway`, `nat_gateway`,
    /// `instance`, `peering`, `gateway_endpoint`, `blackhole`.
    pub target_kind: String,
    /// Learned from the VPC's virtual private gateway (`propagate`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub propagated: bool,
}

/// Who can open connections to whom. Sources and destinations are groups
/// of equivalent endpoints (instances in the same subnet with the same
/// security groups, where no rule or route tells their addresses apart).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Row labels: instances, externals, `internet`.
    pub sources: Vec<MatrixEnd>,
    /// Column labels: instances, externals, `internet`, `service SVC`.
    pub destinations: Vec<MatrixEnd>,
    /// One cell per (source, destination) pair, row by row; a group is
    /// not paired with itself unless it has several members.
    pub cells: Vec<Cell>,
    /// Why `cells` is empty although there are sources and destinations:
    /// the matrix has more pairs than the limit asked for
    /// (`--matrix-limit`). Absent when the matrix is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixEnd {
    /// The members' names joined with `, ` (`web-1, web-2`), `internet`,
    /// `service s3`.
    pub label: String,
    /// `instance`, `external`, `internet` or `service`.
    pub kind: String,
    /// The names of the equivalent endpoints this stands for.
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// A source label.
    pub from: String,
    /// A destination label.
    pub to: String,
    /// What gets through, by protocol and path. Empty: nothing.
    pub flows: Vec<Flow>,
    /// One line: `tcp 22 via igw`, or `-` for nothing.
    pub summary: String,
    /// When nothing gets through: every component that drops it on the
    /// nearest path.
    pub blocked_by: Vec<Block>,
}

/// A component that drops a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// The reason code, as in `vpcc reach`: `SG_INGRESS`, `NO_ROUTE`, ...
    pub reason: String,
    /// The component: `{"kind": "security_group", "name": "app-sg"}`.
    pub component: Component,
}

/// Traffic of one protocol delivered along one path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// `tcp`, `udp`, `icmp`, or `all` (every protocol and port).
    pub protocol: String,
    /// Destination port ranges (tcp and udp), inclusive, sorted.
    pub ports: Vec<PortRange>,
    /// The gateways, NATs, endpoints and peerings on the way, in order.
    pub via: Vec<String>,
    /// `tcp 22, 443 via igw`.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortRange {
    pub first: u16,
    pub last: u16,
}

/// An instance port the internet reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exposure {
    pub instance: String,
    /// `tcp 22`.
    pub traffic: String,
    /// The forward path, component by component.
    pub path: Vec<Component>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectResult {
    /// 1-based line of the statement.
    pub line: usize,
    /// The statement as written.
    pub text: String,
    pub holds: bool,
    /// Why it fails: each blocker (`SG_INGRESS at security group `app-sg`:
    /// ...`), or the path that delivers a flow expected not to be.
    #[serde(serialize_with = "crate::prose::ser_vec")]
    pub reasons: Vec<String>,
}

/// The default for [`Report::build_limited`]: about 15 s of matrix on two
/// cores. A network with 500 distinct instances has 250,000 pairs; the
/// generator's org preset (16,384 groups) has 2.7 × 10^8.
pub const DEFAULT_MATRIX_LIMIT: usize = 250_000;

impl Report {
    /// Computes the report of `model`, the whole matrix whatever its size.
    /// `src` is the file it came from.
    pub fn build(name: &str, model: &Model, src: &str) -> Report {
        Report::build_limited(name, model, src, usize::MAX)
    }

    /// Computes the report of `model`; a matrix of more than
    /// `matrix_limit` (source, destination) pairs is left out, with
    /// [`Matrix::omitted`] saying so. Everything else is always there.
    pub fn build_limited(name: &str, model: &Model, src: &str, matrix_limit: usize) -> Report {
        let matrix = matrix::build(model, matrix_limit);
        let exposure = matrix::exposure(model);
        let (security_groups, network_acls, inventory) = inventory::tables(model);
        Report {
            version: VERSION,
            name: name.to_string(),
            region: model.region.clone(),
            subnets: subnets(model),
            route_tables: route_tables(model),
            prefix_lists: crate::emit::json::prefix_lists(model),
            transit_gateways: crate::emit::json::transit_gateways(model),
            matrix,
            exposure,
            expects: expects(model, src),
            security_groups,
            network_acls,
            inventory,
            free_space: inventory::free_space(model),
        }
    }

    /// Pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The cell for a source and a destination label.
    pub fn cell(&self, from: &str, to: &str) -> Option<&Cell> {
        self.matrix
            .cells
            .iter()
            .find(|c| c.from == from && c.to == to)
    }
}

/// The JSON Schema of [`Report`]: the contents of
/// `schemas/report.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

fn subnets(m: &Model) -> Vec<SubnetRow> {
    m.subnets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = crate::model::SubnetId(i as u32);
            let instances = m.instances.iter().filter(|x| x.subnet == id).count();
            let nats = m.nat_gateways.iter().filter(|n| n.subnet == id).count();
            let enis = m
                .endpoints
                .iter()
                .map(|e| match &e.kind {
                    EndpointKind::Interface { interfaces, .. } => {
                        interfaces.iter().filter(|x| x.subnet == id).count()
                    }
                    EndpointKind::Gateway { .. } => 0,
                })
                .sum::<usize>();
            SubnetRow {
                name: s.name.clone(),
                vpc: m.vpc(s.vpc).name.clone(),
                kind: s.kind.as_str().to_string(),
                kind_reason: s.kind_reason.clone(),
                cidr: s.cidr.to_string(),
                ipv6_cidr: s.ipv6.map(|n| n.to_string()),
                az: s.az.clone(),
                used: u32::try_from(instances + nats + enis).unwrap_or(u32::MAX),
                usable: s.usable.count,
                route_table: m.route_table(s.route_table).name.clone(),
                network_acl: m.network_acl(s.network_acl).name.clone(),
            }
        })
        .collect()
}

fn route_tables(m: &Model) -> Vec<RouteTableRow> {
    m.route_tables
        .iter()
        .filter(|t| !t.subnets.is_empty())
        .map(|t| RouteTableRow {
            name: t.name.clone(),
            vpc: m.vpc(t.vpc).name.clone(),
            main: t.main,
            subnets: t
                .subnets
                .iter()
                .map(|s| m.subnet(*s).name.clone())
                .collect(),
            // IPv4 routes in match order, then IPv6 ones (as `routes`).
            routes: t
                .routes
                .iter()
                .map(|r| (route_json(m, r), r.origin))
                .chain(
                    t.routes6
                        .iter()
                        .map(|r| (crate::emit::json::route6(m, r), r.origin)),
                )
                .map(|(j, origin)| RouteRow {
                    destination: j.destination,
                    prefix_list: j.prefix_list,
                    target: j.target,
                    target_kind: serde_json::to_value(j.target_kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    propagated: origin == crate::model::RouteOrigin::Propagated,
                })
                .collect(),
        })
        .collect()
}

fn expects(m: &Model, src: &str) -> Vec<ExpectResult> {
    let engine = Engine::new(m);
    m.expects
        .iter()
        .map(|e| {
            let verdict = engine.reach(&expect_query(e));
            let holds = verdict.holds == e.can;
            let mut reasons = Vec::new();
            if !holds {
                if e.can {
                    for b in verdict.blockers() {
                        reasons.push(format!("{} at {}: {}", b.reason, b.component, b.detail));
                    }
                    if reasons.is_empty() {
                        reasons.push("delivered, but not along the path asked for".to_string());
                    }
                } else {
                    for leg in &verdict.legs {
                        let path: Vec<String> = leg
                            .forward
                            .iter()
                            .map(|h| h.component.to_string())
                            .collect();
                        reasons.push(format!(
                            "delivered from {} to {}: {}",
                            leg.from_label,
                            leg.to_label,
                            path.join(" → ")
                        ));
                    }
                }
            }
            // The statement's first line, without a trailing comment.
            let text = src
                .get(e.span.range())
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
                .split('#')
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            ExpectResult {
                line: line_col(src, e.span.start as usize).0,
                text,
                holds,
                reasons,
            }
        })
        .collect()
}

/// The most subnets [`diagram_svg`] lays out. Layout time grows with the
/// square of the clusters: 1,000 subnets take about 2 s, 2,000 about 8 s,
/// the org preset's 10,000 several minutes (BENCHMARKS.md).
pub const DIAGRAM_SVG_MAX_SUBNETS: usize = 2_000;

/// The diagram as SVG, for the HTML report and `build`; `None` if the
/// in-process renderer reports a Graphviz error, or if the model has more
/// than [`DIAGRAM_SVG_MAX_SUBNETS`] subnets (`vpcc graph --format svg`
/// draws any size).
pub fn diagram_svg(model: &Model) -> Option<String> {
    if model.subnets.len() > DIAGRAM_SVG_MAX_SUBNETS {
        return None;
    }
    diagram_dot(model).and_then(|d| crate::graph::svg(&d).ok())
}

/// The diagram as Graphviz DOT, for `build` (`graph.dot`).
pub fn diagram_dot(model: &Model) -> Option<String> {
    Some(crate::graph::dot(
        model,
        &crate::graph::GraphOptions::default(),
    ))
}

/// What an attachment joins: `VPC prod (prod-tgw-a)`, `datacenter over
/// 10.50.0.0/16`.
pub(crate) fn attachment_joins(a: &crate::emit::json::TgwAttachmentJson) -> String {
    match (&a.vpc, &a.external) {
        (Some(v), _) => format!("VPC {v} ({})", a.subnets.join(", ")),
        (None, Some(x)) => format!("{x} over {}", a.routes.join(", ")),
        (None, None) => String::new(),
    }
}

/// A comma-separated list, or `none`.
pub(crate) fn names_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// A transit gateway route's destination, with its prefix list.
pub(crate) fn tgw_destination(r: &crate::emit::json::TgwRouteJson) -> String {
    match &r.prefix_list {
        Some(l) => format!("{} ({l})", r.destination),
        None => r.destination.clone(),
    }
}

/// A transit gateway route's origin in words.
pub(crate) fn tgw_origin(o: crate::emit::json::TgwOriginJson) -> &'static str {
    use crate::emit::json::TgwOriginJson;
    match o {
        TgwOriginJson::Static => "static",
        TgwOriginJson::PrefixList => "prefix list",
        TgwOriginJson::PropagatedVpc => "propagated (VPC)",
        TgwOriginJson::PropagatedVpn => "propagated (VPN)",
    }
}
