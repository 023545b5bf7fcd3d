//! A reachability verdict as something to draw: the engine's path hop by
//! hop, and the components that block it.
//!
//! Each [`Leg`] of the verdict lists the components its forward path
//! traverses (`Leg::traversed`); the two flow ends come from the query.
//! Route tables are not drawn as hops (their decisions are the edges from
//! a subnet to a target), and an interface endpoint becomes its interface
//! in the subnet the path is in. Blockers are placed by
//! [`Blocker::at`](crate::reach::Blocker::at), never by their words.

use crate::model::{EndpointKind, FlowEnd, Model, SubnetId, ViaComponent};
use crate::reach::{Blocker, Leg, Location, Query, Reason, Verdict, end_label};

use super::Hop;

/// One flow drawn over the diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// The flow in words, for the legend: `app to internet tcp 443`.
    pub title: String,
    /// Every leg is delivered.
    pub delivered: bool,
    /// The path of each leg, in order, as far as it goes.
    pub legs: Vec<Vec<Hop>>,
    /// The blocking components, in verdict order, one entry per component.
    pub blockers: Vec<Mark>,
}

/// A component that blocks the flow, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Where it is drawn. [`Hop::RouteTable`] stands for a route table's
    /// decision: the table's node when several subnets share it, the
    /// subnet otherwise.
    pub at: Hop,
    /// Reason codes (`SG_INGRESS`), without repeats.
    pub reasons: Vec<Reason>,
    /// `SG_INGRESS: security group ...: no ingress rule allows ...`, one
    /// per blocker.
    pub details: Vec<String>,
}

/// The path and blockers of `verdict`, the answer to `query`.
pub fn highlight(model: &Model, query: &Query, verdict: &Verdict) -> Highlight {
    let ends = leg_ends(query, verdict);
    let legs = verdict
        .legs
        .iter()
        .zip(&ends)
        .map(|(leg, (from, to))| leg_hops(model, leg, from.as_ref(), to.as_ref()))
        .collect();
    let mut blockers: Vec<Mark> = Vec::new();
    for b in verdict.blockers() {
        let Some(at) = blocker_hop(model, b) else {
            continue;
        };
        let detail = format!("{}: {}: {}", b.reason, b.component, b.detail);
        match blockers.iter_mut().find(|m| m.at == at) {
            Some(m) => {
                if !m.reasons.contains(&b.reason) {
                    m.reasons.push(b.reason);
                }
                if !m.details.contains(&detail) {
                    m.details.push(detail);
                }
            }
            None => blockers.push(Mark {
                at,
                reasons: vec![b.reason],
                details: vec![detail],
            }),
        }
    }
    // Names as the diagram shows them, without the backticks of the text.
    let mut title = format!(
        "{} to {}",
        end_label(model, &query.source),
        end_label(model, &query.destination)
    )
    .replace('`', "");
    if let Some(p) = query.protocol {
        title.push(' ');
        title.push_str(p.as_str());
    }
    match query.ports {
        Some((a, b)) if a == b => title.push_str(&format!(" {a}")),
        Some((a, b)) => title.push_str(&format!(" {a}-{b}")),
        None => {}
    }
    Highlight {
        title,
        delivered: verdict.delivered,
        legs,
        blockers,
    }
}

/// The ends of each leg: the query's, with jump hosts (instances of `via`
/// that no leg forwards through) in between. `None` where that cannot be
/// told.
fn leg_ends(query: &Query, verdict: &Verdict) -> Vec<(Option<FlowEnd>, Option<FlowEnd>)> {
    let forwarded = |i| {
        verdict
            .legs
            .iter()
            .any(|l| l.traversed.contains(&ViaComponent::Instance(i)))
    };
    let jumps: Vec<FlowEnd> = query
        .via
        .iter()
        .filter_map(|v| match v {
            ViaComponent::Instance(i) if !forwarded(*i) => Some(FlowEnd::Instance(*i)),
            _ => None,
        })
        .collect();
    let n = verdict.legs.len();
    if jumps.len() + 1 != n {
        return (0..n)
            .map(|k| {
                (
                    (k == 0).then(|| query.source.clone()),
                    (k + 1 == n).then(|| query.destination.clone()),
                )
            })
            .collect();
    }
    let mut all = vec![query.source.clone()];
    all.extend(jumps);
    all.push(query.destination.clone());
    all.windows(2)
        .map(|w| (Some(w[0].clone()), Some(w[1].clone())))
        .collect()
}

/// One leg's hops: the source, what it traverses, and the destination
/// when the path reaches it.
fn leg_hops(model: &Model, leg: &Leg, from: Option<&FlowEnd>, to: Option<&FlowEnd>) -> Vec<Hop> {
    let mut hops: Vec<Hop> = Vec::new();
    match from {
        Some(FlowEnd::Instance(i)) => hops.push(Hop::Instance(*i)),
        Some(FlowEnd::External(x)) if model.external(*x).on_premises => {
            hops.push(Hop::External(*x))
        }
        Some(FlowEnd::External(x)) => hops.extend([Hop::External(*x), Hop::Internet]),
        Some(FlowEnd::Internet) => hops.push(Hop::Internet),
        // A subnet or an interface endpoint: the path starts in its subnet.
        Some(FlowEnd::Subnet(_) | FlowEnd::InterfaceEndpoint(_) | FlowEnd::Service(_)) | None => {}
    }
    let mut subnet: Option<SubnetId> = None;
    for v in &leg.traversed {
        let hop = match *v {
            ViaComponent::RouteTable(_) => continue,
            ViaComponent::Subnet(s) => {
                // Into a peer VPC: through the VPC, to the subnet.
                if let Some(Hop::Peering(_)) = hops.last() {
                    hops.push(Hop::Vpc(model.subnet(s).vpc));
                }
                subnet = Some(s);
                Hop::Subnet(s)
            }
            ViaComponent::Endpoint(e) => match (&model.endpoint(e).kind, subnet) {
                (EndpointKind::Interface { interfaces, .. }, Some(s))
                    if interfaces.iter().any(|x| x.subnet == s) =>
                {
                    Hop::EndpointInterface(e, s)
                }
                _ => Hop::Endpoint(e),
            },
            ViaComponent::Instance(i) => Hop::Instance(i),
            ViaComponent::NatGateway(n) => Hop::NatGateway(n),
            ViaComponent::InternetGateway(g) => Hop::InternetGateway(g),
            ViaComponent::EgressOnlyGateway(g) => Hop::EgressOnlyGateway(g),
            ViaComponent::Peering(p) => Hop::Peering(p),
            ViaComponent::TransitGateway(t) => Hop::TransitGateway(t),
            ViaComponent::VpnGateway(g) => Hop::VpnGateway(g),
        };
        hops.push(hop);
    }
    // A blackhole route ends the path in the blackhole.
    if let Some(t) = leg.blockers.iter().find_map(|b| match b.at {
        Some(Location::RouteTable(t)) if b.reason == Reason::Blackhole => Some(t),
        _ => None,
    }) {
        hops.push(Hop::Blackhole(model.route_table(t).vpc));
    }
    if leg.reached {
        let through_igw = matches!(hops.last(), Some(Hop::InternetGateway(_)));
        match to {
            Some(FlowEnd::Instance(i)) => hops.push(Hop::Instance(*i)),
            Some(FlowEnd::Subnet(s)) => hops.push(Hop::Subnet(*s)),
            Some(FlowEnd::Internet) => hops.push(Hop::Internet),
            Some(FlowEnd::External(x)) => {
                if through_igw {
                    hops.push(Hop::Internet);
                }
                hops.push(Hop::External(*x));
            }
            Some(FlowEnd::Service(s)) => {
                if through_igw {
                    hops.push(Hop::Internet);
                }
                hops.push(Hop::Service(s.clone()));
            }
            // Its interface is the last component traversed.
            Some(FlowEnd::InterfaceEndpoint(_)) | None => {}
        }
    }
    hops.dedup();
    hops
}

/// Where a blocker is drawn.
fn blocker_hop(model: &Model, b: &Blocker) -> Option<Hop> {
    Some(match b.at.clone()? {
        // A blackhole route: the blackhole the table sends the flow to.
        Location::RouteTable(t) if b.reason == Reason::Blackhole => {
            Hop::Blackhole(model.route_table(t).vpc)
        }
        Location::RouteTable(t) => Hop::RouteTable(t),
        Location::Instance(i) => Hop::Instance(i),
        Location::Subnet(s) => Hop::Subnet(s),
        Location::NatGateway(n) => Hop::NatGateway(n),
        Location::InternetGateway(g) => Hop::InternetGateway(g),
        Location::EgressOnlyGateway(g) => Hop::EgressOnlyGateway(g),
        Location::Endpoint(e) => Hop::Endpoint(e),
        Location::EndpointInterface(e, s) => Hop::EndpointInterface(e, s),
        Location::Peering(p) => Hop::Peering(p),
        Location::TransitGateway(t) => Hop::TransitGateway(t),
        Location::VpnGateway(g) => Hop::VpnGateway(g),
        Location::TgwRouteTable(t) => Hop::TransitGateway(model.tgw_route_table(t).tgw),
        Location::Vpc(v) => Hop::Vpc(v),
        Location::Internet => Hop::Internet,
        Location::External(x) => Hop::External(x),
        Location::Service(s) => Hop::Service(s),
    })
}
