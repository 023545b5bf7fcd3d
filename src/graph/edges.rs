//! The edges: one per route-table decision, gateway links, tier links,
//! and the blue links of a highlighted path the diagram does not draw.

use super::style::*;
use super::*;
use crate::model::{Destination, TgwAttachmentKind, TransitGatewayId, VpnGatewayId};

impl<'m> Builder<'m> {
    /// The routes of a table grouped by target, in match order of each
    /// target's first route; `local` routes left out.
    pub(super) fn decisions(&self, t: RouteTableId) -> Vec<(Target, Vec<String>)> {
        let rt = self.model.route_table(t);
        let mut out: Vec<(Target, Vec<String>)> = Vec::new();
        for r in &rt.routes {
            if r.origin == RouteOrigin::Local || matches!(r.target, Target::Local(_)) {
                continue;
            }
            // A prefix list is one label however many entries it has.
            let dest = match r.destination {
                Destination::ListEntry(l, _) => self.model.prefix_list(l).name.clone(),
                d => routes::dest_text(self.model, d),
            };
            match out.iter_mut().find(|(t, _)| *t == r.target) {
                Some((_, ds)) if ds.contains(&dest) => {}
                Some((_, ds)) => ds.push(dest),
                None => out.push((r.target, vec![dest])),
            }
        }
        // IPv6 routes after the IPv4 ones, on the same edges.
        for r in rt.routes6.iter().filter(|r| r.origin != RouteOrigin::Local) {
            let dest = r.destination.to_string();
            match out.iter_mut().find(|(t, _)| *t == r.target) {
                Some((_, ds)) => ds.push(dest),
                None => out.push((r.target, vec![dest])),
            }
        }
        out
    }

    pub(super) fn target_hop_in(&self, t: Target, vpc: VpcId) -> Hop {
        self.target_hop(t).unwrap_or(Hop::Blackhole(vpc))
    }

    /// One edge per (subnet or shared table) × target.
    pub(super) fn route_edges(&mut self) {
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
                // A route to a peering for exactly the peer's blocks is
                // told by the peering node; only other destinations are
                // written on the edge, so labels do not pile up there.
                let mut attrs = Vec::new();
                if !self.peer_blocks(*target, rt.vpc, dests) {
                    attrs.push(attr_id("label", label(&shorten(dests))));
                }
                if let Some(c) = &tail.1 {
                    attrs.push(attr("ltail", c));
                }
                if let Some(c) = lhead {
                    attrs.push(attr("lhead", &c));
                }
                attrs.extend(target_style(*target));
                if matches!(target, Target::Peering(_)) {
                    // Route edges to a peering do not rank or order: the
                    // VPCs stay side by side in model order.
                    attrs.push(attr("constraint", "false"));
                }
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
    pub(super) fn gateway_edges(&mut self) {
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
            // From the subnet's border, so the line does not run through
            // the subnet's title above the NAT.
            let mut attrs = vec![attr("style", "dashed")];
            if !self.contains(&Hop::Subnet(subnet), &to) {
                attrs.push(attr("ltail", &self.subnet_cluster(subnet)));
            }
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
        // Out to the internet, and only replies back.
        for (g, _) in m.egress_only_gateways.iter().enumerate() {
            let hop = Hop::EgressOnlyGateway(crate::model::EgressOnlyGatewayId(g as u32));
            self.edges.push(DrawEdge {
                from: self.hop_node(&hop).0,
                to: "internet".to_string(),
                attrs: vec![attr("color", IGW.border), attr("style", "dashed")],
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
                            // From the subnet's border, clear of its title.
                            attrs: vec![
                                attr("color", ENDPOINT.border),
                                attr("ltail", &self.subnet_cluster(x.subnet)),
                            ],
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
                let mut attrs = link_style(None);
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

    /// A transit gateway's attachments: a dashed edge to each attachment
    /// subnet (a VPC drawn as one box: to the box), a VPN to its
    /// on-premises network.
    pub(super) fn tgw_edges(&mut self) {
        let m = self.model;
        for (t, tgw) in m.transit_gateways.iter().enumerate() {
            let hop = Hop::TransitGateway(TransitGatewayId(t as u32));
            for a in &tgw.attachments {
                let att = m.tgw_attachment(*a);
                let table = &m.tgw_route_table(att.route_table).name;
                let targets: Vec<Hop> = match &att.kind {
                    TgwAttachmentKind::Vpc { vpc, subnets } => {
                        if self.mode(*vpc) == Mode::Full {
                            subnets.iter().map(|s| Hop::Subnet(*s)).collect()
                        } else {
                            vec![Hop::Vpc(*vpc)]
                        }
                    }
                    TgwAttachmentKind::Vpn { external, .. } => vec![Hop::External(*external)],
                };
                for to in targets {
                    let (head, lhead) = self.hop_node(&to);
                    let mut attrs = link_style(Some(format!("{} ({table})", att.name)));
                    if let Some(c) = lhead {
                        attrs.push(attr("lhead", &c));
                    }
                    self.edges.push(DrawEdge {
                        from: self.hop_node(&hop).0,
                        to: head,
                        attrs,
                        links: vec![link(hop.clone(), to)],
                    });
                }
            }
        }
    }

    /// Each VPN of a virtual private gateway: a dashed edge from the
    /// gateway to its on-premises network, labelled with the connection.
    pub(super) fn vgw_edges(&mut self) {
        let m = self.model;
        for (g, gw) in m.vpn_gateways.iter().enumerate() {
            let hop = Hop::VpnGateway(VpnGatewayId(g as u32));
            for vpn in &gw.vpns {
                let to = Hop::External(vpn.external);
                self.edges.push(DrawEdge {
                    from: self.hop_node(&hop).0,
                    to: self.hop_node(&to).0,
                    attrs: link_style(Some(format!("VPN {}", vpn.name))),
                    links: vec![link(hop.clone(), to)],
                });
            }
        }
    }

    /// Invisible edges that put the subnets of one AZ in rows by kind:
    /// isolated at the bottom, then private, then public next to the
    /// internet gateway (the graph runs bottom to top).
    pub(super) fn tier_edges(&self) -> Vec<Stmt> {
        let m = self.model;
        let mut out = Vec::new();
        for (v, vpc) in m.vpcs.iter().enumerate() {
            let v = VpcId(v as u32);
            for az in self.zones_of(v) {
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
                // The zone's anchor below its bottom row.
                let anchor = self.zone_anchor(v, az);
                for s in tiers.first().into_iter().flatten() {
                    out.push(edge(
                        &anchor,
                        &self.subnet_anchor(*s),
                        vec![attr("style", "invis"), attr("weight", "2")],
                    ));
                }
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

    /// Whether a route to `target` is a peering route for exactly the
    /// peer VPC's blocks.
    fn peer_blocks(&self, target: Target, vpc: VpcId, dests: &[String]) -> bool {
        let Target::Peering(p) = target else {
            return false;
        };
        let peering = self.model.peering(p);
        let peer = if peering.a == vpc {
            peering.b
        } else {
            peering.a
        };
        let blocks: Vec<String> = self
            .model
            .vpc(peer)
            .cidrs
            .iter()
            .map(|c| c.to_string())
            .collect();
        blocks == dests
    }

    /// The zones of a VPC (see [`Builder::zones_of`]), as anchor ids.
    pub(super) fn zones(&self, v: VpcId) -> Vec<String> {
        self.zones_of(v)
            .into_iter()
            .map(|az| self.zone_anchor(v, az))
            .collect()
    }

    /// VPCs in rows of at most `max(4, sqrt(zones))` zone columns,
    /// in model order (VPCs drawn in full only), so a large network is a
    /// grid rather than a strip.
    pub(super) fn vpc_rows(&self) -> Vec<Vec<VpcId>> {
        let full: Vec<VpcId> = (0..self.model.vpcs.len())
            .map(|v| VpcId(v as u32))
            .filter(|v| self.mode(*v) == Mode::Full)
            .collect();
        let widths: Vec<usize> = full.iter().map(|v| self.zones(*v).len()).collect();
        let total: usize = widths.iter().sum();
        let mut limit = 4;
        while limit * limit < total {
            limit += 1;
        }
        let mut rows: Vec<Vec<VpcId>> = Vec::new();
        let mut width = 0;
        for (v, w) in full.iter().zip(&widths) {
            match rows.last_mut() {
                Some(row) if width + w <= limit => {
                    row.push(*v);
                    width += w;
                }
                _ => {
                    rows.push(vec![*v]);
                    width = *w;
                }
            }
        }
        rows
    }

    /// The explicit layout order: in each row of VPCs, every zone anchor
    /// on one rank, chained left to right by invisible edges (VPCs in
    /// model order, AZs in name order); each row above the one before.
    pub(super) fn zone_order(&self) -> Vec<Stmt> {
        let m = self.model;
        let mut out = Vec::new();
        let rows = self.vpc_rows();
        for (r, row) in rows.iter().enumerate() {
            let anchors: Vec<String> = row.iter().flat_map(|v| self.zones(*v)).collect();
            let mut inner = vec![gattr("rank", "same")];
            inner.extend(anchors.iter().map(|a| node(a, vec![])));
            out.push(Stmt::Subgraph(Subgraph {
                id: quoted(&format!("order_row_{r}")),
                stmts: inner,
            }));
            for pair in anchors.windows(2) {
                out.push(edge(
                    &pair[0],
                    &pair[1],
                    vec![attr("style", "invis"), attr("weight", "100")],
                ));
            }
            // Above the row before: from the top of each of its VPCs (the
            // internet gateway, else its subnets) to this row's first zone.
            let (Some(prev), Some(first)) = (r.checked_sub(1).map(|p| &rows[p]), anchors.first())
            else {
                continue;
            };
            for v in prev {
                let vpc = m.vpc(*v);
                let tops: Vec<String> = match vpc.internet_gateway {
                    Some(g) => vec![self.hop_node(&Hop::InternetGateway(g)).0],
                    None => vpc.subnets.iter().map(|s| self.subnet_anchor(*s)).collect(),
                };
                for t in tops {
                    out.push(edge(&t, first, vec![attr("style", "invis")]));
                }
            }
        }
        out
    }

    pub(super) fn finish_edge(&self, e: &DrawEdge) -> Stmt {
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
    pub(super) fn missing_links(&self, edges: &[DrawEdge]) -> Vec<Stmt> {
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
}

/// A link between networks (a peering, a transit gateway attachment, a
/// VPN): orange, dashed, undirected, labelled when `text` is given.
fn link_style(text: Option<String>) -> Vec<Attribute> {
    let mut attrs = vec![
        attr("style", "dashed"),
        attr("dir", "none"),
        attr("color", PEERING.border),
        attr("penwidth", "1.5"),
    ];
    if let Some(t) = text {
        attrs.push(attr_id("label", label(&[t])));
    }
    attrs
}
