//! What changed between two models (`vpcc diff OLD NEW`), for pull-request
//! review: the causes (the resources added, removed or changed, with the
//! rules, routes and associations that differ, and the `expect`s added or
//! removed; `diff/resources.rs`) next to the effects (subnets added, removed
//! or changed, each subnet's effective routes, endpoints of the
//! reachability matrix added or removed, and the flows gained or lost
//! between the endpoints both files have).
//!
//! Pure, and computed from the models, not the text: reformatting a file
//! or reordering its statements changes nothing here. Flows come from the
//! two models' reachability matrices ([`crate::report`]), compared member by
//! member so that a change of grouping is not a change of reachability, and
//! only the cells a change can reach are computed (`diff/scope.rs`): a
//! one-line change in a large network walks the flows of a few instances,
//! not every pair. A lost flow says what drops it now, asked of the engine
//! on the new model.

mod github;
mod resources;
mod scope;

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;

pub use resources::{ResourceChange, expect_text};
pub use scope::Scope;

use crate::model::{ExternalId, FlowEnd, InstanceId, Model};
use crate::reach::{Engine, Query};
use crate::report::{Block, Flow, FlowCells, PortSet, port_text};
use crate::syntax::ast::ProtocolKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "vpcc diff")]
pub struct Diff {
    /// The causes: resources added, removed or changed.
    pub resources: Vec<ResourceChange>,
    pub subnets: Vec<SubnetChange>,
    pub routes: Vec<RouteChange>,
    /// Instances and externals added to or removed from the matrix.
    pub endpoints: Vec<EndpointChange>,
    pub flows: Vec<FlowChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubnetChange {
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// What changed: `cidr` from `10.0.2.0/24` to `10.0.2.0/23`; when the
    /// subnet is added or removed, its `cidr` and `kind`.
    pub facts: Vec<FactChange>,
}

/// One fact of a subnet, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactChange {
    /// `vpc`, `cidr`, `kind`, `az`, `route_table` or `network_acl`.
    pub fact: String,
    /// Absent when the subnet is added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// Absent when the subnet is removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

impl SubnetChange {
    /// `cidr 10.0.2.0/24 → 10.0.2.0/23`, or `10.0.2.0/24, private` for an
    /// added or removed subnet.
    pub fn details(&self) -> String {
        let words: Vec<String> = self
            .facts
            .iter()
            .map(|f| match (&f.old, &f.new) {
                (Some(o), Some(n)) => format!("{} {o} → {n}", f.fact.replace('_', " ")),
                (Some(v), None) | (None, Some(v)) => v.clone(),
                (None, None) => f.fact.clone(),
            })
            .collect();
        words.join(", ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteChange {
    pub subnet: String,
    /// `added` or `removed`.
    pub change: String,
    /// The route's destination: a CIDR or `pl:s3`.
    pub destination: String,
    /// The target's name: `nat-a`, `local`, `blackhole`.
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointChange {
    pub name: String,
    /// `added` or `removed`.
    pub change: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowChange {
    /// The sources this applies to (several when they changed alike).
    pub from: Vec<String>,
    pub to: String,
    /// `gained`, `lost` or `rerouted`.
    pub change: String,
    /// `tcp 22`, `all traffic`.
    pub traffic: String,
    /// The path's gateways (new path for `gained` and `rerouted`, old for
    /// `lost`).
    pub via: Vec<String>,
    /// For `lost`: what drops it now. For `rerouted`: the old path. In
    /// words; `blocked_by` and `was_via` hold the same as data.
    #[serde(serialize_with = "crate::prose::ser_opt")]
    pub reason: Option<String>,
    /// For `lost`: every component that drops it in the new model.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub blocked_by: Vec<Block>,
    /// For `rerouted`: the old path's gateways.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub was_via: Option<Vec<String>>,
    /// The change as a sentence.
    #[serde(serialize_with = "crate::prose::ser")]
    pub text: String,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.subnets.is_empty()
            && self.routes.is_empty()
            && self.endpoints.is_empty()
            && self.flows.is_empty()
    }

    /// Pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Markdown: one bullet list per section, sections without changes left
    /// out.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No changes in resources, subnets, routes or reachability.\n");
            return out;
        }
        if !self.resources.is_empty() {
            out.push_str("## Resources\n\n");
            for r in &self.resources {
                let _ = write!(out, "- {} {}", resource_title(r), r.change);
                let facts: Vec<String> = r
                    .removed
                    .iter()
                    .map(|f| format!("− `{f}`"))
                    .chain(r.added.iter().map(|f| format!("+ `{f}`")))
                    .collect();
                if r.change == "changed" && !facts.is_empty() {
                    let _ = write!(out, ": {}", facts.join(", "));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        if !self.subnets.is_empty() {
            out.push_str("## Subnets\n\n");
            for s in &self.subnets {
                let _ = writeln!(out, "- `{}` {}: {}", s.name, s.change, s.details());
            }
            out.push('\n');
        }
        if !self.routes.is_empty() {
            out.push_str("## Routes\n\n");
            for r in &self.routes {
                let sign = if r.change == "added" { "+" } else { "-" };
                let _ = writeln!(
                    out,
                    "- `{}`: {sign} `{} → {}`",
                    r.subnet, r.destination, r.target
                );
            }
            out.push('\n');
        }
        if !self.endpoints.is_empty() {
            out.push_str("## Endpoints\n\n");
            for e in &self.endpoints {
                let _ = writeln!(out, "- `{}` {}", e.name, e.change);
            }
            out.push('\n');
        }
        if !self.flows.is_empty() {
            out.push_str("## Reachability\n\n");
            for f in &self.flows {
                let _ = writeln!(out, "- {}", f.text);
            }
            out.push('\n');
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// `route table \`public\` (vpc \`main\`)`, or the statement of an expect.
fn resource_title(r: &ResourceChange) -> String {
    if r.kind == "expect" {
        return format!("`{}`", r.name);
    }
    let kind = r.kind.replace('_', " ");
    match &r.vpc {
        Some(v) => format!("{kind} `{}` (vpc `{v}`)", r.name),
        None => format!("{kind} `{}`", r.name),
    }
}

/// The JSON Schema of [`Diff`]: the contents of `schemas/diff.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Diff);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Compares two models. Flows are recomputed only where a change can
/// reach them ([`scope`]); the result is the same as [`diff_full`]'s.
pub fn diff(old: &Model, new: &Model) -> Diff {
    let resources = resources::changes(old, new);
    let scope = scope::of(old, new, &resources);
    let focus = scope::focus(old, new, &resources);
    diff_in(old, new, resources, &scope, Some(&focus))
}

/// [`diff`] with every flow of both models recomputed: the reference the
/// incremental diff is tested against.
#[doc(hidden)]
pub fn diff_full(old: &Model, new: &Model) -> Diff {
    diff_in(old, new, resources::changes(old, new), &Scope::All, None)
}

fn diff_in(
    old: &Model,
    new: &Model,
    resources: Vec<ResourceChange>,
    scope: &Scope,
    focus: Option<&crate::report::Focus>,
) -> Diff {
    let cells = |m: &Model| {
        crate::report::flow_cells(
            m,
            |members| scope.covers_row(members),
            |members| scope.covers_column(members),
            focus,
        )
    };
    let (a, b) = (cells(old), cells(new));
    Diff {
        resources,
        subnets: subnets(old, new),
        routes: routes(old, new),
        endpoints: endpoints(&a, &b),
        flows: flows(&a, &b, new, scope),
    }
}

/// A subnet's facts a reviewer compares: (what, value).
fn subnet_facts(m: &Model, s: &crate::model::Subnet) -> [(&'static str, String); 6] {
    [
        ("vpc", m.vpc(s.vpc).name.clone()),
        ("cidr", s.cidr.to_string()),
        ("kind", s.kind.as_str().to_string()),
        ("az", s.az.clone().unwrap_or_else(|| "-".to_string())),
        ("route_table", m.route_table(s.route_table).name.clone()),
        ("network_acl", m.network_acl(s.network_acl).name.clone()),
    ]
}

fn subnets(old: &Model, new: &Model) -> Vec<SubnetChange> {
    let by_name = |m: &Model| -> HashMap<String, usize> {
        m.subnets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i))
            .collect()
    };
    let (in_old, in_new) = (by_name(old), by_name(new));
    let brief = |s: &crate::model::Subnet, removed: bool| -> Vec<FactChange> {
        [
            ("cidr", s.cidr.to_string()),
            ("kind", s.kind.as_str().to_string()),
        ]
        .into_iter()
        .map(|(fact, v)| FactChange {
            fact: fact.to_string(),
            old: removed.then(|| v.clone()),
            new: (!removed).then_some(v),
        })
        .collect()
    };
    let mut out = Vec::new();
    for s in &old.subnets {
        match in_new.get(&s.name).map(|&i| &new.subnets[i]) {
            None => out.push(SubnetChange {
                name: s.name.clone(),
                change: "removed".to_string(),
                facts: brief(s, true),
            }),
            Some(t) => {
                let facts: Vec<FactChange> = subnet_facts(old, s)
                    .into_iter()
                    .zip(subnet_facts(new, t))
                    .filter(|(x, y)| x.1 != y.1)
                    .map(|(x, y)| FactChange {
                        fact: x.0.to_string(),
                        old: Some(x.1),
                        new: Some(y.1),
                    })
                    .collect();
                if !facts.is_empty() {
                    out.push(SubnetChange {
                        name: s.name.clone(),
                        change: "changed".to_string(),
                        facts,
                    });
                }
            }
        }
    }
    for t in &new.subnets {
        if !in_old.contains_key(&t.name) {
            out.push(SubnetChange {
                name: t.name.clone(),
                change: "added".to_string(),
                facts: brief(t, false),
            });
        }
    }
    out
}

/// Effective routes of each subnet both models have, as `dest → target`.
fn routes(old: &Model, new: &Model) -> Vec<RouteChange> {
    // Subnets by name, the first of a name as a search would find it.
    fn index(m: &Model) -> HashMap<&str, usize> {
        let mut map: HashMap<&str, usize> = HashMap::new();
        for (i, s) in m.subnets.iter().enumerate() {
            map.entry(s.name.as_str()).or_insert(i);
        }
        map
    }
    let (old_index, new_index) = (index(old), index(new));
    let table =
        |m: &Model, by_name: &HashMap<&str, usize>, name: &str| -> Option<Vec<(String, String)>> {
            let s = &m.subnets[*by_name.get(name)?];
            Some(
                m.route_table(s.route_table)
                    .routes
                    .iter()
                    .map(|r| {
                        (
                            crate::routes::dest_text(m, r.destination),
                            m.target_name(r.target).to_string(),
                        )
                    })
                    .collect(),
            )
        };
    let mut out = Vec::new();
    for s in &old.subnets {
        let (Some(x), Some(y)) = (
            table(old, &old_index, &s.name),
            table(new, &new_index, &s.name),
        ) else {
            continue;
        };
        for r in x.iter().filter(|r| !y.contains(r)) {
            out.push(RouteChange {
                subnet: s.name.clone(),
                change: "removed".to_string(),
                destination: r.0.clone(),
                target: r.1.clone(),
            });
        }
        for r in y.iter().filter(|r| !x.contains(r)) {
            out.push(RouteChange {
                subnet: s.name.clone(),
                change: "added".to_string(),
                destination: r.0.clone(),
                target: r.1.clone(),
            });
        }
    }
    out
}

/// Every member name of the matrix, sources and destinations, in order.
fn members(r: &FlowCells) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for e in r.sources.iter().chain(&r.destinations) {
        for m in e {
            if seen.insert(m) {
                out.push(m.clone());
            }
        }
    }
    out
}

fn endpoints(a: &FlowCells, b: &FlowCells) -> Vec<EndpointChange> {
    let (x, y) = (members(a), members(b));
    let (xs, ys): (HashSet<&String>, HashSet<&String>) = (x.iter().collect(), y.iter().collect());
    let mut out = Vec::new();
    for n in x.iter().filter(|n| !ys.contains(n)) {
        out.push(EndpointChange {
            name: n.clone(),
            change: "removed".to_string(),
        });
    }
    for n in y.iter().filter(|n| !xs.contains(n)) {
        out.push(EndpointChange {
            name: n.clone(),
            change: "added".to_string(),
        });
    }
    out
}

/// Finds a member pair's flows in a model's cells: its row and column by
/// member name, then the cell, by binary search in its row (cells are in
/// row order, columns ascending within a row).
struct Lookup<'c> {
    row: HashMap<&'c str, u32>,
    column: HashMap<&'c str, u32>,
    cells: &'c [(u32, u32, Vec<Flow>)],
}

impl<'c> Lookup<'c> {
    fn new(c: &'c FlowCells) -> Lookup<'c> {
        let index = |ends: &'c [Vec<String>]| -> HashMap<&'c str, u32> {
            let mut map = HashMap::new();
            for (i, members) in ends.iter().enumerate() {
                for m in members {
                    map.entry(m.as_str()).or_insert(i as u32);
                }
            }
            map
        };
        Lookup {
            row: index(&c.sources),
            column: index(&c.destinations),
            cells: &c.cells,
        }
    }

    /// The flows of the cell in row `r` and column `c`, if it was asked.
    fn cell(&self, r: u32, c: u32) -> Option<&'c [Flow]> {
        let start = self.cells.partition_point(|x| x.0 < r);
        let row = &self.cells[start..];
        let row = &row[..row.partition_point(|x| x.0 == r)];
        let i = row.binary_search_by_key(&c, |x| x.1).ok()?;
        Some(row[i].2.as_slice())
    }
}

/// The ports delivered per protocol, and along which path.
fn by_protocol(flows: &[Flow]) -> Vec<(ProtocolKind, PortSet, Vec<String>)> {
    let mut out = Vec::new();
    for f in flows {
        let ports: PortSet = f.ports.iter().map(|p| (p.first, p.last)).collect();
        match f.protocol.as_str() {
            "all" => {
                out.push((ProtocolKind::Tcp, vec![(0, 65535)], f.via.clone()));
                out.push((ProtocolKind::Udp, vec![(0, 65535)], f.via.clone()));
                out.push((ProtocolKind::Icmp, vec![(0, 0)], f.via.clone()));
            }
            "tcp" => out.push((ProtocolKind::Tcp, ports, f.via.clone())),
            "udp" => out.push((ProtocolKind::Udp, ports, f.via.clone())),
            _ => out.push((ProtocolKind::Icmp, vec![(0, 0)], f.via.clone())),
        }
    }
    out
}

/// One change before grouping sources: (from, to, change, traffic, via,
/// cause).
type Change = (String, String, &'static str, String, Vec<String>, Cause);

/// Why a flow changed, beyond the change itself.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cause {
    /// Gained, or lost with nothing in the new model to blame.
    Nothing,
    /// Lost: what drops it now.
    Blocked(Vec<Block>),
    /// Rerouted: the old path's gateways.
    WasVia(Vec<String>),
}

fn flows(a: &FlowCells, b: &FlowCells, new: &Model, scope: &Scope) -> Vec<FlowChange> {
    let lookup = Lookup::new(b);
    // One engine and one name index for every lost flow's cause.
    let engine = Engine::quiet(new);
    let ends = Ends::of(new);
    let mut changes: Vec<Change> = Vec::new();
    // Member pair by member pair, in the old matrix's row order, without
    // expanding the groups into a list (millions of pairs at org size).
    // Each old member's row or column in the new cells and whether the
    // scope holds it, looked up once per member rather than per pair.
    let place = |ends: &[Vec<String>], index: &HashMap<&str, u32>, held: &dyn Fn(&str) -> bool| {
        ends.iter()
            .map(|members| {
                members
                    .iter()
                    .map(|n| (index.get(n.as_str()).copied(), held(n)))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let rows = place(&a.sources, &lookup.row, &|n| scope.covers_from(n));
    let columns = place(&a.destinations, &lookup.column, &|n| scope.covers_to(n));
    let old_pairs = a.cells.iter().flat_map(|(s, d, flows)| {
        let (s, d) = (*s as usize, *d as usize);
        let (from, to) = (&a.sources[s], &a.destinations[d]);
        let (rows, columns) = (&rows[s], &columns[d]);
        from.iter().zip(rows).flat_map(move |(f, &(r, f_held))| {
            to.iter()
                .zip(columns)
                .filter(move |(t, (_, t_held))| (f_held || *t_held) && f != *t)
                .filter_map(move |(t, &(c, _))| Some((f.as_str(), t.as_str(), r?, c?)))
                .map(move |(f, t, r, c)| (f, t, r, c, flows.as_slice()))
        })
    });
    for (from, to, r, c, old_flows) in old_pairs {
        let Some(new_flows) = lookup.cell(r, c) else {
            continue;
        };
        let (from, to) = (&from.to_string(), &to.to_string());
        if old_flows == new_flows {
            continue;
        }
        let x = by_protocol(old_flows);
        let y = by_protocol(new_flows);
        for proto in [ProtocolKind::Tcp, ProtocolKind::Udp, ProtocolKind::Icmp] {
            // Lost: ports in old, in no new flow of the protocol.
            for (p, ports, via) in x.iter().filter(|e| e.0 == proto) {
                let covered = union(y.iter().filter(|e| e.0 == proto).map(|e| &e.1));
                let lost = subtract(ports, &covered);
                if !lost.is_empty() {
                    let reason = why_lost(&engine, &ends, from, to, *p, &lost);
                    let t = traffic(*p, &lost);
                    changes.push((from.clone(), to.clone(), "lost", t, via.clone(), reason));
                }
            }
            for (p, ports, via) in y.iter().filter(|e| e.0 == proto) {
                let covered = union(x.iter().filter(|e| e.0 == proto).map(|e| &e.1));
                let gained = subtract(ports, &covered);
                if !gained.is_empty() {
                    let t = traffic(*p, &gained);
                    changes.push((
                        from.clone(),
                        to.clone(),
                        "gained",
                        t,
                        via.clone(),
                        Cause::Nothing,
                    ));
                }
                // Same ports, another path.
                for (_, old_ports, old_via) in x.iter().filter(|e| e.0 == proto && e.2 != *via) {
                    let both = intersect(ports, old_ports);
                    if !both.is_empty() {
                        let t = traffic(*p, &both);
                        let was = Cause::WasVia(old_via.clone());
                        changes.push((from.clone(), to.clone(), "rerouted", t, via.clone(), was));
                    }
                }
            }
        }
    }
    // `all traffic` when every protocol changed alike along one path.
    let changes = fold_all(changes);
    group_sources(changes)
}

/// Replaces tcp all + udp all + icmp changes of one pair, kind and path by
/// one `all traffic` change.
fn fold_all(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut skip = vec![false; changes.len()];
    for (i, c) in changes.iter().enumerate() {
        if skip[i] || c.3 != "tcp all" {
            continue;
        }
        let find = |t: &str| {
            changes
                .iter()
                .position(|d| d.0 == c.0 && d.1 == c.1 && d.2 == c.2 && d.3 == t && d.4 == c.4)
        };
        if let (Some(u), Some(x)) = (find("udp all"), find("icmp")) {
            skip[u] = true;
            skip[x] = true;
            skip[i] = true;
            out.push((
                c.0.clone(),
                c.1.clone(),
                c.2,
                "all traffic".to_string(),
                c.4.clone(),
                c.5.clone(),
            ));
        }
    }
    for (i, c) in changes.into_iter().enumerate() {
        if !skip[i] {
            out.push(c);
        }
    }
    out
}

/// Joins changes that differ only in the source into one line.
fn group_sources(changes: Vec<Change>) -> Vec<FlowChange> {
    let mut out: Vec<FlowChange> = Vec::new();
    for (from, to, change, traffic, via, cause) in changes {
        let (reason, blocked_by, was_via) = match cause {
            Cause::Nothing => (None, Vec::new(), None),
            Cause::Blocked(blocks) => {
                let words: Vec<String> = blocks
                    .iter()
                    .map(|b| format!("{} {}", b.reason, b.component))
                    .collect();
                (Some(words.join(", ")), blocks, None)
            }
            Cause::WasVia(old) => (
                Some(format!("was via {}", via_text(&old))),
                Vec::new(),
                Some(old),
            ),
        };
        if let Some(f) = out.iter_mut().find(|f| {
            f.to == to
                && f.change == change
                && f.traffic == traffic
                && f.via == via
                && f.blocked_by == blocked_by
                && f.was_via == was_via
        }) {
            f.from.push(from);
            continue;
        }
        out.push(FlowChange {
            from: vec![from],
            to,
            change: change.to_string(),
            traffic,
            via,
            reason,
            blocked_by,
            was_via,
            text: String::new(),
        });
    }
    for f in &mut out {
        f.text = sentence(f);
    }
    out
}

/// `` `app` gained internet egress: tcp 443 via nat-a ``.
fn sentence(f: &FlowChange) -> String {
    let who = f
        .from
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let to = quoted(&f.to);
    let via = if f.via.is_empty() {
        String::new()
    } else {
        format!(" via {}", via_text(&f.via))
    };
    let what = if f.to == "internet" && f.change != "rerouted" {
        format!("{} internet egress: {}", f.change, f.traffic)
    } else {
        format!("{} {} to {to}", f.change, f.traffic)
    };
    match (&f.reason, f.change.as_str()) {
        (Some(r), "lost") => format!("{who} {what}: {r}"),
        (Some(r), _) => format!("{who} {what}{via} ({r})"),
        (None, "lost") => format!("{who} {what}"),
        (None, _) => format!("{who} {what}{via}"),
    }
}

fn quoted(name: &str) -> String {
    if name == "internet" || name.starts_with("service ") {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

fn via_text(via: &[String]) -> String {
    if via.is_empty() {
        "the local route".to_string()
    } else {
        via.join(", ")
    }
}

/// `tcp 22, 443`, `tcp all`, `icmp`.
fn traffic(p: ProtocolKind, ports: &PortSet) -> String {
    match p {
        ProtocolKind::Icmp | ProtocolKind::All => p.as_str().to_string(),
        _ => format!("{} {}", p.as_str(), port_text(ports)),
    }
}

/// What drops the first lost range in the new model.
fn why_lost(
    engine: &Engine<'_>,
    ends: &Ends<'_>,
    from: &str,
    to: &str,
    p: ProtocolKind,
    lost: &PortSet,
) -> Cause {
    let (Some(src), Some(dst)) = (ends.get(from), ends.get(to)) else {
        return Cause::Nothing;
    };
    let ports = match p {
        ProtocolKind::Tcp | ProtocolKind::Udp => lost.first().copied(),
        _ => None,
    };
    let v = engine.reach(&Query {
        protocol: Some(p),
        ports,
        ..Query::new(src, dst)
    });
    let mut out: Vec<Block> = Vec::new();
    for b in v.blockers() {
        let block = Block {
            reason: b.reason.as_str().to_string(),
            component: b.component.clone(),
        };
        if !out.contains(&block) {
            out.push(block);
        }
    }
    if out.is_empty() {
        Cause::Nothing
    } else {
        Cause::Blocked(out)
    }
}

/// Matrix members' names as flow ends of a model, looked up by name.
struct Ends<'m> {
    instances: HashMap<&'m str, InstanceId>,
    externals: HashMap<&'m str, ExternalId>,
}

impl<'m> Ends<'m> {
    fn of(m: &'m Model) -> Ends<'m> {
        // The first of a name wins, as a search in declaration order would.
        let mut instances = HashMap::new();
        for (i, x) in m.instances.iter().enumerate() {
            instances
                .entry(x.name.as_str())
                .or_insert(InstanceId(i as u32));
        }
        let mut externals = HashMap::new();
        for (i, x) in m.externals.iter().enumerate() {
            externals
                .entry(x.name.as_str())
                .or_insert(ExternalId(i as u32));
        }
        Ends {
            instances,
            externals,
        }
    }

    /// A member's name as a flow end.
    fn get(&self, name: &str) -> Option<FlowEnd> {
        if name == "internet" {
            return Some(FlowEnd::Internet);
        }
        if let Some(s) = name.strip_prefix("service ") {
            return Some(FlowEnd::Service(s.to_string()));
        }
        if let Some(i) = self.instances.get(name) {
            return Some(FlowEnd::Instance(*i));
        }
        self.externals.get(name).map(|x| FlowEnd::External(*x))
    }
}

fn union<'a>(sets: impl Iterator<Item = &'a PortSet>) -> PortSet {
    let mut all: PortSet = sets.flatten().copied().collect();
    all.sort_unstable();
    let mut out: PortSet = Vec::new();
    for (a, b) in all {
        match out.last_mut() {
            Some(last) if u32::from(a) <= u32::from(last.1) + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn subtract(x: &PortSet, y: &PortSet) -> PortSet {
    let mut out = Vec::new();
    for &(a, b) in x {
        let mut start = u32::from(a);
        let end = u32::from(b);
        for &(c, d) in y {
            let (c, d) = (u32::from(c), u32::from(d));
            if d < start || c > end {
                continue;
            }
            if c > start {
                out.push((start, c - 1));
            }
            start = start.max(d + 1);
        }
        if start <= end {
            out.push((start, end));
        }
    }
    out.into_iter()
        .filter_map(|(a, b)| Some((u16::try_from(a).ok()?, u16::try_from(b).ok()?)))
        .collect()
}

fn intersect(x: &PortSet, y: &PortSet) -> PortSet {
    let mut out = Vec::new();
    for &(a, b) in x {
        for &(c, d) in y {
            let (lo, hi) = (a.max(c), b.min(d));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    out.sort_unstable();
    out
}
