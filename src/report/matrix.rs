//! The reachability matrix: what each source can open to each destination,
//! by protocol, port and path, asked of the engine.
//!
//! Ports are not sampled. Every security group and ACL rule of the model
//! cuts the port space of its protocol at its bounds; the pieces (atoms)
//! are treated alike by every rule, so one query per atom decides it. The
//! search asks for a whole run of atoms first and splits only the runs
//! where something is delivered, so closed ports cost one query.

use ipnet::Ipv4Net;

use super::prune::{Focus, Prune, add_range};
use super::{Block, Cell, Exposure, Flow, Matrix, MatrixEnd, PortRange};
use crate::model::{
    Destination, ExternalId, FlowEnd, InstanceId, Model, SecurityGroupId, SgPeer, SubnetId,
    ViaComponent,
};
use crate::reach::{Component, Engine, Query, Verdict};
use crate::syntax::ast::ProtocolKind;

/// Sorted, disjoint, inclusive port ranges.
pub type PortSet = Vec<(u16, u16)>;

/// `22, 443, 1024-65535`, or `all` for every port.
pub fn port_text(ports: &[(u16, u16)]) -> String {
    if ports == [(0, 65535)] {
        return "all".to_string();
    }
    ports
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One matrix end: a group of equivalent endpoints.
struct End {
    label: String,
    kind: &'static str,
    members: Vec<String>,
    ends: Vec<FlowEnd>,
}

impl End {
    fn json(&self) -> MatrixEnd {
        MatrixEnd {
            label: self.label.clone(),
            kind: self.kind.to_string(),
            members: self.members.clone(),
        }
    }
}

/// The matrix of `m`, unless it has more than `limit` pairs.
pub fn build(m: &Model, limit: usize) -> Matrix {
    build_where(m, Some(limit), |_| true)
}

/// The matrix of `m` with only the cells that have an end whose members
/// `touched` accepts; no limit. `diff` asks for the cells a change can
/// affect.
pub fn build_where(m: &Model, limit: Option<usize>, touched: impl Fn(&[String]) -> bool) -> Matrix {
    let atoms = Atoms::of(m);
    let all = Ends::of(m);
    let (sources, destinations) = (all.sources(), all.destinations());
    // Every (source, destination) pair to ask about, in row order.
    // Counted before anything is kept: the count can be in the billions.
    // An instance group pairs with every destination but itself (unless it
    // has two members to pair); an outside end only with instances.
    let has = |e: &&&End| !e.ends.is_empty();
    let all_d = destinations.iter().filter(has).count();
    let instance_d = destinations
        .iter()
        .filter(has)
        .filter(|d| d.kind == "instance")
        .count();
    let count: usize = sources
        .iter()
        .filter(has)
        .map(|s| {
            if s.kind == "instance" {
                all_d - usize::from(s.ends.len() < 2)
            } else {
                instance_d
            }
        })
        .sum();
    if let Some(limit) = limit.filter(|l| count > *l) {
        return Matrix {
            omitted: Some(format!(
                "{} sources × {} destinations make {} pairs, more than the limit of {limit}; \
                 ask about single flows with `vpcc reach`, or raise `--matrix-limit`",
                sources.len(),
                destinations.len(),
                count
            )),
            sources: sources.iter().map(|e| e.json()).collect(),
            destinations: destinations.iter().map(|e| e.json()).collect(),
            cells: Vec::new(),
        };
    }
    let pairs: Vec<(&End, &End, &FlowEnd, &FlowEnd)> =
        plan(&sources, &destinations, &touched, &touched)
            .into_iter()
            .map(|(s, d, from, to)| (sources[s], destinations[d], from, to))
            .collect();
    // Cells are independent: ask on every core, keep the row order.
    let cells = crate::par::map(
        &pairs,
        || Engine::quiet(m),
        |engine, &(s, d, from, to)| {
            let probe = probe(engine, &atoms, from, to);
            Cell {
                from: s.label.clone(),
                to: d.label.clone(),
                summary: summary(&probe.flows),
                flows: probe.flows.into_iter().map(|(f, _)| f).collect(),
                blocked_by: probe.blockers,
            }
        },
    );
    Matrix {
        sources: sources.iter().map(|e| e.json()).collect(),
        destinations: destinations.iter().map(|e| e.json()).collect(),
        cells,
        omitted: None,
    }
}

/// Every end of the matrix of a model.
struct Ends {
    instances: Vec<End>,
    externals: Vec<End>,
    internet: End,
    services: Vec<End>,
}

impl Ends {
    fn of(m: &Model) -> Ends {
        Ends {
            instances: instance_groups(m),
            externals: m
                .externals
                .iter()
                .enumerate()
                .map(|(i, x)| End {
                    label: x.name.clone(),
                    kind: "external",
                    members: vec![x.name.clone()],
                    ends: vec![FlowEnd::External(ExternalId(i as u32))],
                })
                .collect(),
            internet: End {
                label: "internet".to_string(),
                kind: "internet",
                members: vec!["internet".to_string()],
                ends: vec![FlowEnd::Internet],
            },
            services: services(m)
                .into_iter()
                .map(|s| End {
                    label: format!("service {s}"),
                    kind: "service",
                    members: vec![format!("service {s}")],
                    ends: vec![FlowEnd::Service(s)],
                })
                .collect(),
        }
    }

    /// The rows: instance groups, externals, the internet.
    fn sources(&self) -> Vec<&End> {
        self.instances
            .iter()
            .chain(&self.externals)
            .chain(std::iter::once(&self.internet))
            .collect()
    }

    /// The columns: the rows and the services.
    fn destinations(&self) -> Vec<&End> {
        self.instances
            .iter()
            .chain(&self.externals)
            .chain(std::iter::once(&self.internet))
            .chain(&self.services)
            .collect()
    }
}

/// The (row, column) cells to ask about, in row order, with the flow ends
/// each asks: those whose row's members `row` accepts, or whose column's
/// members `column` accepts.
fn plan<'e>(
    sources: &[&'e End],
    destinations: &[&'e End],
    row: &impl Fn(&[String]) -> bool,
    column: &impl Fn(&[String]) -> bool,
) -> Vec<(usize, usize, &'e FlowEnd, &'e FlowEnd)> {
    // The columns every row asks about, found once: at organisation
    // size rows times columns is in the hundreds of millions.
    let touched: Vec<usize> = (0..destinations.len())
        .filter(|&d| column(&destinations[d].members))
        .collect();
    let every: Vec<usize> = (0..destinations.len()).collect();
    let mut pairs = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        let columns = if row(&s.members) { &every } else { &touched };
        for &di in columns {
            if let Some((from, to)) = pair(s, destinations[di]) {
                pairs.push((si, di, from, to));
            }
        }
    }
    pairs
}

/// The delivered flows of a model's matrix cells, lean: the members of
/// each row and column, and per cell asked its row, column and flows (no
/// labels, summaries or blockers). `diff` compares two of these member by
/// member; at organisation size a change's cells number in the millions.
#[derive(Debug)]
pub struct FlowCells {
    pub sources: Vec<Vec<String>>,
    pub destinations: Vec<Vec<String>>,
    /// (row, column, flows), in row order.
    pub cells: Vec<(u32, u32, Vec<Flow>)>,
}

/// [`FlowCells`] of the cells of `m` whose row's members `row` accepts or
/// whose column's members `column` accepts; the flows are
/// [`build_where`]'s.
///
/// With a `focus`, only its packets are asked about (the flows hold no
/// other ports), and a cell the [`Prune`] filter shows to deliver nothing
/// is not walked (its flows are empty). Without one, every cell is walked
/// for every packet: the reference the filter is tested against.
pub fn flow_cells(
    m: &Model,
    row: impl Fn(&[String]) -> bool,
    column: impl Fn(&[String]) -> bool,
    focus: Option<&Focus>,
) -> FlowCells {
    let prune = focus.map(|f| Prune::new(m, f.clone()));
    let focus = focus.cloned().unwrap_or_else(Focus::all);
    let atoms = Atoms::of(m).within(&focus);
    let all = Ends::of(m);
    let (sources, destinations) = (all.sources(), all.destinations());
    let pairs = plan(&sources, &destinations, &row, &column);
    let cells = crate::par::map(
        &pairs,
        || Engine::quiet(m),
        |engine, &(s, d, from, to)| {
            let flows = if prune.as_ref().is_some_and(|p| !p.may_deliver(from, to)) {
                Vec::new()
            } else if focus.is_all() {
                probe(engine, &atoms, from, to)
                    .flows
                    .into_iter()
                    .map(|(f, _)| f)
                    .collect()
            } else {
                delivered(engine, &atoms, from, to, focus.icmp)
                    .into_iter()
                    .map(|(f, _)| f)
                    .collect()
            };
            (s as u32, d as u32, flows)
        },
    );
    FlowCells {
        sources: sources.iter().map(|e| e.members.clone()).collect(),
        destinations: destinations.iter().map(|e| e.members.clone()).collect(),
        cells,
    }
}

/// The two flow ends a (source, destination) cell asks about: the first
/// members, or the first two of a group paired with itself. `None` for two
/// outside ends, or a one-member group with itself.
fn pair<'e>(s: &'e End, d: &'e End) -> Option<(&'e FlowEnd, &'e FlowEnd)> {
    let outside = |e: &End| e.kind != "instance";
    if outside(s) && outside(d) {
        return None;
    }
    if std::ptr::eq(s, d) {
        Some((s.ends.first()?, s.ends.get(1)?))
    } else {
        Some((s.ends.first()?, d.ends.first()?))
    }
}

/// Every instance port the internet opens connections to, instance by
/// instance in source order.
pub fn exposure(m: &Model) -> Vec<Exposure> {
    let atoms = Atoms::of(m);
    let ids: Vec<InstanceId> = (0..m.instances.len() as u32).map(InstanceId).collect();
    let per_instance = crate::par::map(
        &ids,
        || Engine::quiet(m),
        |engine, &i| {
            let name = &m.instance(i).name;
            probe(engine, &atoms, &FlowEnd::Internet, &FlowEnd::Instance(i))
                .flows
                .into_iter()
                .map(|(flow, path)| Exposure {
                    instance: name.clone(),
                    traffic: traffic_text(&flow),
                    path,
                })
                .collect::<Vec<_>>()
        },
    );
    per_instance.into_iter().flatten().collect()
}

/// What `from` can open to `to`: the flows, or what blocks everything.
pub fn flows_between(m: &Model, from: &FlowEnd, to: &FlowEnd) -> (Vec<Flow>, Vec<Block>) {
    let p = probe(&Engine::quiet(m), &Atoms::of(m), from, to);
    (p.flows.into_iter().map(|(f, _)| f).collect(), p.blockers)
}

/// `tcp 22, 443` without the path.
fn traffic_text(f: &Flow) -> String {
    if f.protocol == "all" || f.protocol == "icmp" {
        return f.protocol.clone();
    }
    let ports: PortSet = f.ports.iter().map(|p| (p.first, p.last)).collect();
    if ports == [(0, 65535)] {
        return format!("{} (all ports)", f.protocol);
    }
    format!("{} {}", f.protocol, port_text(&ports))
}

fn flow_text(f: &Flow) -> String {
    let t = if f.protocol == "all" {
        "all traffic".to_string()
    } else {
        traffic_text(f)
    };
    if f.via.is_empty() {
        t
    } else {
        format!("{t} via {}", f.via.join(", "))
    }
}

fn summary(flows: &[(Flow, Vec<Component>)]) -> String {
    if flows.is_empty() {
        return "-".to_string();
    }
    flows
        .iter()
        .map(|(f, _)| f.text.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A delivered atom: protocol, ports, via and the forward path.
type Hit = (ProtocolKind, (u16, u16), Vec<String>, Vec<Component>);

struct Probe {
    /// Each flow with the forward path of one of its packets.
    flows: Vec<(Flow, Vec<Component>)>,
    blockers: Vec<Block>,
}

fn probe(engine: &Engine<'_>, atoms: &Atoms, from: &FlowEnd, to: &FlowEnd) -> Probe {
    let any = ask(engine, from, to, None, None);
    if !any.delivered {
        let mut blockers: Vec<Block> = Vec::new();
        for b in any.blockers() {
            let block = Block {
                reason: b.reason.as_str().to_string(),
                component: b.component.clone(),
            };
            if !blockers.contains(&block) {
                blockers.push(block);
            }
        }
        return Probe {
            flows: Vec::new(),
            blockers,
        };
    }
    Probe {
        flows: delivered(engine, atoms, from, to, true),
        blockers: Vec::new(),
    }
}

/// The flows from `from` to `to` on the ports of `atoms` (and icmp if
/// `icmp`), each with the forward path of one of its packets.
fn delivered(
    engine: &Engine<'_>,
    atoms: &Atoms,
    from: &FlowEnd,
    to: &FlowEnd,
    icmp: bool,
) -> Vec<(Flow, Vec<Component>)> {
    // (protocol, port range, via, path) of each delivered atom.
    let mut hits: Vec<Hit> = Vec::new();
    for (proto, list) in [
        (ProtocolKind::Tcp, &atoms.tcp),
        (ProtocolKind::Udp, &atoms.udp),
    ] {
        search(engine, from, to, proto, list, &mut hits);
    }
    // In port order within each protocol, as a port-by-port search
    // would find them: `merge` keeps the first path of each group.
    hits.sort_by_key(|h| (h.0 == ProtocolKind::Udp, h.1));
    if icmp {
        let v = ask(engine, from, to, Some(ProtocolKind::Icmp), None);
        if v.delivered {
            hits.push((
                ProtocolKind::Icmp,
                (0, 0),
                via(engine.model(), &v),
                path(&v),
            ));
        }
    }
    merge(hits)
}

fn ask(
    engine: &Engine<'_>,
    from: &FlowEnd,
    to: &FlowEnd,
    protocol: Option<ProtocolKind>,
    ports: Option<(u16, u16)>,
) -> Verdict {
    engine.reach(&Query {
        protocol,
        ports,
        ..Query::new(from.clone(), to.clone())
    })
}

/// Finds the delivered atoms of `list`: asks for the whole run, takes the
/// atoms the engine says its path delivers, and searches the rest (by
/// halving where the engine cannot say). Every atom ends with the answer
/// asking for it alone would give: the engine picks the same path for any
/// port of a run that this path delivers (see
/// [`crate::reach::Leg::delivered_traffic`]). Hits come out in any order;
/// [`probe`] sorts them.
fn search(
    engine: &Engine<'_>,
    from: &FlowEnd,
    to: &FlowEnd,
    proto: ProtocolKind,
    list: &[(u16, u16)],
    hits: &mut Vec<Hit>,
) {
    let (Some(first), Some(last)) = (list.first(), list.last()) else {
        return;
    };
    let v = ask(engine, from, to, Some(proto), Some((first.0, last.1)));
    if !v.delivered {
        return;
    }
    if list.len() == 1 {
        hits.push((proto, *first, via(engine.model(), &v), path(&v)));
        return;
    }
    let delivered = match v.legs.as_slice() {
        [leg] => leg.delivered_traffic.as_ref().map(|t| match proto {
            ProtocolKind::Tcp => &t.tcp,
            _ => &t.udp,
        }),
        _ => None,
    };
    let Some(delivered) = delivered else {
        let (a, b) = list.split_at(list.len() / 2);
        search(engine, from, to, proto, a, hits);
        search(engine, from, to, proto, b, hits);
        return;
    };
    let (via_v, path_v) = (via(engine.model(), &v), path(&v));
    // Walk the atoms: runs inside `delivered` are hits of this path, runs
    // outside it are searched on their own.
    let mut k = 0;
    while k < list.len() {
        let inside = covers(delivered.ranges(), list[k]);
        let run = list[k..]
            .iter()
            .take_while(|a| covers(delivered.ranges(), **a) == inside)
            .count();
        let part = &list[k..k + run];
        if inside {
            let range = (part[0].0, part[run - 1].1);
            hits.push((proto, range, via_v.clone(), path_v.clone()));
        } else if run < list.len() {
            search(engine, from, to, proto, part, hits);
        } else {
            // Nothing of the run is on this path: another path delivers
            // it port by port, so halve.
            let (a, b) = part.split_at(run / 2);
            search(engine, from, to, proto, a, hits);
            search(engine, from, to, proto, b, hits);
        }
        k += run;
    }
}

/// Whether sorted, disjoint `ranges` hold every port of `atom`.
fn covers(ranges: &[(u32, u32)], atom: (u16, u16)) -> bool {
    let (a, b) = (u32::from(atom.0), u32::from(atom.1));
    let i = ranges.partition_point(|r| r.1 < a);
    ranges.get(i).is_some_and(|r| r.0 <= a && b <= r.1)
}

/// Names of the gateways, NATs, endpoints and peerings a delivered flow
/// crosses.
fn via(m: &Model, v: &Verdict) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for leg in &v.legs {
        for t in &leg.traversed {
            let name = match *t {
                ViaComponent::NatGateway(n) => m.nat_gateway(n).name.clone(),
                ViaComponent::InternetGateway(g) => m.internet_gateway(g).name.clone(),
                ViaComponent::EgressOnlyGateway(g) => m.egress_only_gateway(g).name.clone(),
                ViaComponent::Endpoint(e) => m.endpoint(e).name.clone(),
                ViaComponent::Peering(p) => m.peering(p).name.clone(),
                ViaComponent::Instance(i) => m.instance(i).name.clone(),
                ViaComponent::TransitGateway(t) => m.transit_gateway(t).name.clone(),
                ViaComponent::VpnGateway(g) => m.vpn_gateway(g).name.clone(),
                ViaComponent::Subnet(_) | ViaComponent::RouteTable(_) => continue,
            };
            if out.last() != Some(&name) {
                out.push(name);
            }
        }
    }
    out
}

fn path(v: &Verdict) -> Vec<Component> {
    let mut out: Vec<Component> = Vec::new();
    for leg in &v.legs {
        for h in &leg.forward {
            if out.last() != Some(&h.component) {
                out.push(h.component.clone());
            }
        }
    }
    out
}

/// Merges delivered atoms into flows: adjacent ranges with the same path
/// join; every protocol and port along one path is `all`.
fn merge(hits: Vec<Hit>) -> Vec<(Flow, Vec<Component>)> {
    // Group by (protocol, via), keeping first-seen paths.
    let mut groups: Vec<(ProtocolKind, Vec<String>, PortSet, Vec<Component>)> = Vec::new();
    for (proto, range, via, path) in hits {
        match groups
            .iter_mut()
            .find(|(p, v, _, _)| *p == proto && *v == via)
        {
            Some(g) => add_range(&mut g.2, range),
            None => groups.push((proto, via, vec![range], path)),
        }
    }
    let full = |g: &(ProtocolKind, Vec<String>, PortSet, Vec<Component>)| g.2 == [(0, 65535)];
    // tcp, udp and icmp all along one path: `all`.
    let mut out: Vec<(Flow, Vec<Component>)> = Vec::new();
    let mut used = vec![false; groups.len()];
    for (i, g) in groups.iter().enumerate() {
        if g.0 != ProtocolKind::Tcp || !full(g) {
            continue;
        }
        let udp = groups
            .iter()
            .position(|h| h.0 == ProtocolKind::Udp && h.1 == g.1 && full(h));
        let icmp = groups
            .iter()
            .position(|h| h.0 == ProtocolKind::Icmp && h.1 == g.1);
        if let (Some(u), Some(c)) = (udp, icmp) {
            used[i] = true;
            used[u] = true;
            used[c] = true;
            out.push((flow("all", Vec::new(), g.1.clone()), g.3.clone()));
        }
    }
    for (i, g) in groups.into_iter().enumerate() {
        if used[i] {
            continue;
        }
        let ports = if g.0 == ProtocolKind::Icmp {
            Vec::new()
        } else {
            g.2
        };
        out.push((flow(g.0.as_str(), ports, g.1), g.3));
    }
    let rank = |p: &str| ["all", "tcp", "udp", "icmp"].iter().position(|x| *x == p);
    out.sort_by(|a, b| {
        (rank(&a.0.protocol), &a.0.via, &a.0.ports).cmp(&(
            rank(&b.0.protocol),
            &b.0.via,
            &b.0.ports,
        ))
    });
    out
}

fn flow(protocol: &str, ports: PortSet, via: Vec<String>) -> Flow {
    let mut f = Flow {
        protocol: protocol.to_string(),
        ports: ports
            .into_iter()
            .map(|(first, last)| PortRange { first, last })
            .collect(),
        via,
        text: String::new(),
    };
    f.text = flow_text(&f);
    f
}

/// The port atoms of tcp and udp: 0–65535 cut at every rule's bounds.
#[derive(Clone)]
struct Atoms {
    tcp: PortSet,
    udp: PortSet,
}

impl Atoms {
    fn of(m: &Model) -> Atoms {
        let mut tcp: Vec<u32> = vec![0, 65536];
        let mut udp: Vec<u32> = vec![0, 65536];
        let mut cut = |proto: ProtocolKind, ports: Option<(u16, u16)>| {
            if let Some((a, b)) = ports {
                let list = match proto {
                    ProtocolKind::Tcp => &mut tcp,
                    ProtocolKind::Udp => &mut udp,
                    _ => return,
                };
                list.push(u32::from(a));
                list.push(u32::from(b) + 1);
            }
        };
        for g in &m.security_groups {
            for r in &g.rules {
                cut(r.protocol, r.ports);
            }
        }
        for a in &m.network_acls {
            for r in a.inbound.iter().chain(&a.outbound) {
                cut(r.protocol, r.ports);
            }
        }
        Atoms {
            tcp: pieces(tcp),
            udp: pieces(udp),
        }
    }
}

impl Atoms {
    /// The atoms cut to the ports of `focus` (an atom's ports all fare
    /// alike, so any part of one does too).
    fn within(self, focus: &Focus) -> Atoms {
        let clip = |atoms: PortSet, keep: &PortSet| -> PortSet {
            let mut out = Vec::new();
            for (a, b) in atoms {
                for &(c, d) in keep {
                    let (lo, hi) = (a.max(c), b.min(d));
                    if lo <= hi {
                        out.push((lo, hi));
                    }
                }
            }
            out
        };
        Atoms {
            tcp: clip(self.tcp, &focus.tcp),
            udp: clip(self.udp, &focus.udp),
        }
    }
}

fn pieces(mut cuts: Vec<u32>) -> PortSet {
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let a = u16::try_from(w[0]).ok()?;
            let b = u16::try_from(w[1] - 1).ok()?;
            Some((a, b))
        })
        .collect()
}

/// The services the file uses: gateway endpoint services, interface
/// endpoint services and services named in rules or `expect`s, sorted.
fn services(m: &Model) -> Vec<String> {
    let mut out: Vec<String> = m.endpoints.iter().map(|e| e.service.clone()).collect();
    for g in &m.security_groups {
        for r in &g.rules {
            if let SgPeer::Service(s) = &r.peer {
                out.push(s.clone());
            }
        }
    }
    for e in &m.expects {
        if let FlowEnd::Service(s) = &e.destination {
            out.push(s.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Instances grouped when nothing tells them apart: same subnet, security
/// groups, public IP and source/destination check, not a route target, in
/// a subnet no rule, route or external cuts in parts.
fn instance_groups(m: &Model) -> Vec<End> {
    let split = split_subnets(m);
    let targets = m.route_targets();
    type Key = (SubnetId, Vec<SecurityGroupId>, bool, bool);
    let mut groups: Vec<End> = Vec::new();
    let mut by_key: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for (i, inst) in m.instances.iter().enumerate() {
        let id = InstanceId(i as u32);
        let end = FlowEnd::Instance(id);
        let key = (!split[inst.subnet.index()] && !targets.contains(&id)).then(|| {
            let mut sgs = inst.security_groups.clone();
            sgs.sort();
            (inst.subnet, sgs, inst.public_ip, inst.source_dest_check)
        });
        if let Some(k) = &key
            && let Some(g) = by_key.get(k).and_then(|&g| groups.get_mut(g))
        {
            g.members.push(inst.name.clone());
            g.ends.push(end);
            continue;
        }
        if let Some(k) = key {
            by_key.insert(k, groups.len());
        }
        groups.push(End {
            label: inst.name.clone(),
            kind: "instance",
            members: vec![inst.name.clone()],
            ends: vec![end],
        });
    }
    for g in &mut groups {
        g.label = group_label(&g.members);
    }
    groups
}

/// Per subnet: whether a rule, route or external cuts it in parts (names
/// a CIDR inside it that is smaller than it).
fn split_subnets(m: &Model) -> Vec<bool> {
    // Subnets by (network, prefix): a cut looks up every prefix shorter
    // than its own instead of testing every subnet.
    let mut by_net: std::collections::HashMap<(u32, u8), Vec<SubnetId>> =
        std::collections::HashMap::new();
    for (i, s) in m.subnets.iter().enumerate() {
        by_net
            .entry((u32::from(s.cidr.network()), s.cidr.prefix_len()))
            .or_default()
            .push(SubnetId(i as u32));
    }
    let mut split = vec![false; m.subnets.len()];
    for cut in address_cuts(m) {
        let addr = u32::from(cut.network());
        for len in 0..cut.prefix_len() {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            for s in by_net.get(&(addr & mask, len)).into_iter().flatten() {
                split[s.index()] = true;
            }
        }
    }
    split
}

/// Every CIDR a rule, route or external names.
fn address_cuts(m: &Model) -> Vec<Ipv4Net> {
    let mut out: Vec<Ipv4Net> = Vec::new();
    for g in &m.security_groups {
        for r in &g.rules {
            match &r.peer {
                SgPeer::Cidr(c) => out.push(*c),
                SgPeer::External(x) => out.extend(m.external(*x).cidrs.iter().copied()),
                _ => {}
            }
        }
    }
    for a in &m.network_acls {
        for r in a.inbound.iter().chain(&a.outbound) {
            out.extend(r.cidrs.iter().copied());
        }
    }
    for t in &m.route_tables {
        for r in &t.routes {
            if let Destination::Cidr(c) = r.destination {
                out.push(c);
            }
        }
    }
    for x in &m.externals {
        out.extend(x.cidrs.iter().copied());
    }
    out
}

/// `a, b` for two members; `first … last (n)` for more.
fn group_label(members: &[String]) -> String {
    match members {
        [first, .., last] if members.len() > 2 => {
            format!("{first} … {last} ({})", members.len())
        }
        _ => members.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::r#gen::{GenParams, generate};

    /// What the search must find: every atom asked about on its own.
    fn port_by_port(engine: &Engine<'_>, atoms: &Atoms, from: &FlowEnd, to: &FlowEnd) -> Probe {
        let first = probe(engine, atoms, from, to);
        if first.flows.is_empty() {
            return first;
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (proto, list) in [
            (ProtocolKind::Tcp, &atoms.tcp),
            (ProtocolKind::Udp, &atoms.udp),
        ] {
            for atom in list {
                let v = ask(engine, from, to, Some(proto), Some(*atom));
                if v.delivered {
                    hits.push((proto, *atom, via(engine.model(), &v), path(&v)));
                }
            }
        }
        let icmp = ask(engine, from, to, Some(ProtocolKind::Icmp), None);
        if icmp.delivered {
            hits.push((
                ProtocolKind::Icmp,
                (0, 0),
                via(engine.model(), &icmp),
                path(&icmp),
            ));
        }
        Probe {
            flows: merge(hits),
            blockers: Vec::new(),
        }
    }

    fn model(src: &str) -> Model {
        let ast = crate::syntax::parse(src).expect("parses");
        crate::check::check(&ast).model.expect("checks")
    }

    /// What a wordless walk must keep of a verdict: everything but the
    /// words (decisions, rule texts, details, fixes).
    fn structure(v: &Verdict) -> impl PartialEq + std::fmt::Debug {
        let legs: Vec<_> = v
            .legs
            .iter()
            .map(|l| {
                let hops = |hs: &[crate::reach::Hop]| {
                    hs.iter()
                        .map(|h| (h.component.clone(), h.span, h.route.is_some()))
                        .collect::<Vec<_>>()
                };
                let blockers: Vec<_> = l
                    .blockers
                    .iter()
                    .map(|b| (b.component.clone(), b.reason, b.span))
                    .collect();
                (
                    l.delivered,
                    l.holds,
                    l.reached,
                    l.crosses_internet_gateway,
                    hops(&l.forward),
                    hops(&l.back),
                    blockers,
                    l.traversed.clone(),
                    l.path.clone(),
                    l.delivered_traffic.clone(),
                )
            })
            .collect();
        (v.delivered, v.holds, legs)
    }

    /// Every pair of ends of `m`, searched and asked port by port, and
    /// the wordless walk held to the worded one.
    fn agree(m: &Model) -> usize {
        let engine = Engine::new(m);
        let quiet = Engine::quiet(m);
        let atoms = Atoms::of(m);
        let mut ends: Vec<FlowEnd> = (0..m.instances.len() as u32)
            .map(|i| FlowEnd::Instance(InstanceId(i)))
            .collect();
        ends.extend((0..m.externals.len() as u32).map(|i| FlowEnd::External(ExternalId(i))));
        ends.push(FlowEnd::Internet);
        let mut delivered = 0;
        for from in &ends {
            let mut tos = ends.clone();
            tos.extend(services(m).into_iter().map(FlowEnd::Service));
            for to in &tos {
                if from == to {
                    continue;
                }
                let fast = probe(&engine, &atoms, from, to);
                let slow = port_by_port(&engine, &atoms, from, to);
                assert_eq!(fast.flows, slow.flows, "{from:?} → {to:?}");
                // The wordless walk the matrix uses finds the same.
                let silent = probe(&quiet, &atoms, from, to);
                assert_eq!(fast.flows, silent.flows, "quiet {from:?} → {to:?}");
                assert_eq!(fast.blockers, silent.blockers, "quiet {from:?} → {to:?}");
                for (protocol, ports) in [
                    (None, None),
                    (Some(ProtocolKind::Tcp), Some((22, 22))),
                    (Some(ProtocolKind::Tcp), Some((443, 443))),
                    (Some(ProtocolKind::Udp), Some((53, 53))),
                    (Some(ProtocolKind::Icmp), None),
                ] {
                    let worded = ask(&engine, from, to, protocol, ports);
                    let wordless = ask(&quiet, from, to, protocol, ports);
                    assert_eq!(
                        structure(&worded),
                        structure(&wordless),
                        "{from:?} → {to:?} {protocol:?} {ports:?}"
                    );
                }
                delivered += usize::from(!fast.flows.is_empty());
            }
        }
        delivered
    }

    /// Every example (the library reads no files: they are compiled in).
    const EXAMPLES: [&str; 9] = [
        include_str!("../../examples/large.vpc"),
        include_str!("../../examples/nat-bastion-endpoints.vpc"),
        include_str!("../../examples/nat-instance.vpc"),
        include_str!("../../examples/peering.vpc"),
        include_str!("../../examples/private-dns-off.vpc"),
        include_str!("../../examples/three-tier-multi-az.vpc"),
        include_str!("../../examples/hub-and-spoke.vpc"),
        include_str!("../../examples/prefix-lists.vpc"),
        include_str!("../../examples/vpn-gateway.vpc"),
    ];

    /// Every cell the filter drops delivers nothing when walked, with
    /// every packet in focus and with one port only; returns (dropped,
    /// blocked) so callers can see the filter does drop cells.
    fn prune_is_sound(m: &Model) -> (usize, usize) {
        let engine = Engine::quiet(m);
        let atoms = Atoms::of(m);
        let mut narrow = Focus::none();
        narrow.add(ProtocolKind::Tcp, Some((443, 443)));
        let (all, one) = (Prune::new(m, Focus::all()), Prune::new(m, narrow.clone()));
        let mut ends: Vec<FlowEnd> = (0..m.instances.len() as u32)
            .map(|i| FlowEnd::Instance(InstanceId(i)))
            .collect();
        ends.extend((0..m.externals.len() as u32).map(|i| FlowEnd::External(ExternalId(i))));
        ends.push(FlowEnd::Internet);
        let (mut dropped, mut blocked) = (0, 0);
        for from in &ends {
            for to in &ends {
                if from == to {
                    continue;
                }
                let flows = probe(&engine, &atoms, from, to).flows;
                blocked += usize::from(flows.is_empty());
                if !all.may_deliver(from, to) {
                    dropped += 1;
                    assert!(flows.is_empty(), "dropped but delivers: {from:?} → {to:?}");
                }
                if !one.may_deliver(from, to) {
                    let focused = delivered(
                        &engine,
                        &atoms.clone().within(&narrow),
                        from,
                        to,
                        narrow.icmp,
                    );
                    assert!(
                        focused.is_empty(),
                        "dropped but delivers tcp 443: {from:?} → {to:?}"
                    );
                }
            }
        }
        (dropped, blocked)
    }

    #[test]
    fn the_filter_drops_only_cells_that_deliver_nothing() {
        let mut dropped = 0;
        for src in EXAMPLES {
            dropped += prune_is_sound(&model(src)).0;
        }
        for seed in 1..=3 {
            let src = generate(&GenParams {
                vpcs: 3,
                azs: 2,
                subnets_per_az: 3,
                instances_per_subnet: 2,
                security_groups_per_vpc: 8,
                seed,
            });
            let (d, blocked) = prune_is_sound(&model(&src));
            // Not vacuous: the filter drops a good share of blocked cells.
            assert!(d * 4 > blocked, "{d} dropped of {blocked} blocked");
            dropped += d;
        }
        assert!(dropped > 100, "{dropped} dropped");
    }

    #[test]
    fn search_finds_what_asking_port_by_port_finds_in_every_example() {
        // The single-VPC and peering examples: asking port by port is slow.
        let mut delivered = 0;
        for src in &EXAMPLES[..6] {
            delivered += agree(&model(src));
        }
        // The examples deliver plenty: the comparison is not vacuous.
        assert!(delivered > 50, "{delivered} delivered pairs");
    }

    #[test]
    fn search_finds_what_asking_port_by_port_finds_in_generated_networks() {
        for seed in 1..=3 {
            let src = generate(&GenParams {
                vpcs: 2,
                azs: 2,
                subnets_per_az: 3,
                instances_per_subnet: 1,
                security_groups_per_vpc: 8,
                seed,
            });
            assert!(agree(&model(&src)) > 10);
        }
    }
}
