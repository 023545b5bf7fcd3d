//! The clusters and nodes: `internet` and the externals, AWS services,
//! each VPC with its AZs, subnets, route tables, and the legend.

use super::style::*;
use super::*;

impl<'m> Builder<'m> {
    /// `internet` and the externals.
    pub(super) fn outside_cluster(&mut self) -> Stmt {
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
            // On premises is not on the internet: drawn beside its VPN.
            if ext.on_premises {
                continue;
            }
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
    pub(super) fn services(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self
            .model
            .endpoints
            .iter()
            .filter(|e| self.mode(e.vpc) == Mode::Full)
            .map(|e| e.service.clone())
            .collect();
        for h in self.hl_hops.iter().chain(self.blocked.keys()) {
            if let Hop::Service(s) = h {
                set.insert(s.clone());
            }
        }
        set.into_iter().collect()
    }

    pub(super) fn services_cluster(&self) -> Option<Stmt> {
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

    /// A collapsed VPC: one box with its name and CIDRs.
    pub(super) fn collapsed_vpc(&self, v: VpcId) -> Stmt {
        let vpc = self.model.vpc(v);
        let mut lines = vec![format!("VPC {}", vpc.name)];
        lines.extend(vpc.cidrs.iter().map(|c| c.to_string()));
        lines.extend(vpc.ipv6_cidrs.iter().map(|c| c.to_string()));
        let n = vpc.subnets.len();
        lines.push(format!("{n} subnet{}", if n == 1 { "" } else { "s" }));
        let mut attrs = vec![
            attr("shape", "box3d"),
            attr_id("label", label(&lines)),
            attr("style", "filled"),
            attr("fillcolor", "#ffffff"),
            attr("color", VPC_BORDER),
            attr("penwidth", "2"),
            attr("fontsize", "12"),
        ];
        self.mark(&Hop::Vpc(v), &mut attrs);
        node(&self.vpc_box(v), attrs)
    }

    pub(super) fn vpc(&self, v: VpcId) -> Stmt {
        let m = self.model;
        let vpc = m.vpc(v);
        let cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.to_string()).collect();
        let mut lines = vec![format!("VPC {}", vpc.name), cidrs.join(", ")];
        if !vpc.ipv6_cidrs.is_empty() {
            let v6: Vec<String> = vpc.ipv6_cidrs.iter().map(|c| c.to_string()).collect();
            lines.push(v6.join(", "));
        }
        let mut inner = vec![
            Stmt::Attribute(attr_id("label", label(&lines))),
            gattr("style", "rounded"),
            gattr("color", VPC_BORDER),
            gattr("penwidth", "2"),
            gattr("fontsize", "14"),
            // Titles in the corner, away from the edges that leave the
            // middle of the cluster.
            gattr("labeljust", "l"),
        ];
        if self.blocked.contains_key(&Hop::Vpc(v)) {
            self.mark_cluster(&Hop::Vpc(v), &mut inner);
        }
        // Edge of the VPC: internet gateway, gateway endpoints, shared route
        // tables, blackhole.
        // The internet gateway, and the egress-only one dashed (one way).
        let igw = vpc.internet_gateway.map(|g| {
            (
                Hop::InternetGateway(g),
                &m.internet_gateway(g).name,
                "internet gateway",
                None,
            )
        });
        let eigw = vpc.egress_only_gateway.map(|g| {
            let name = &m.egress_only_gateway(g).name;
            (
                Hop::EgressOnlyGateway(g),
                name,
                "egress-only internet gateway",
                Some("filled,dashed"),
            )
        });
        for (hop, name, kind, style) in igw.into_iter().chain(eigw) {
            let mut attrs = vec![
                attr("shape", "octagon"),
                attr_id("label", label(&[name.as_str(), kind])),
                attr("fillcolor", IGW.fill),
                attr("color", IGW.border),
            ];
            attrs.extend(style.map(|s| attr("style", s)));
            self.mark(&hop, &mut attrs);
            inner.push(node(&self.hop_node(&hop).0, attrs));
        }
        if let Some(g) = vpc.vpn_gateway {
            let hop = Hop::VpnGateway(g);
            let mut attrs = vec![
                attr("shape", "house"),
                attr_id(
                    "label",
                    label(&[m.vpn_gateway(g).name.as_str(), "virtual private gateway"]),
                ),
                attr("fillcolor", PEERING.fill),
                attr("color", PEERING.border),
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
        let zones = self.zones_of(v);
        let azs: Vec<&str> = zones.iter().flatten().copied().collect();
        if zones.first() == Some(&None) {
            inner.push(node(&self.zone_anchor(v, None), invisible()));
            for s in self.subnets_in(v, None) {
                inner.push(self.subnet(s));
            }
        }
        let columns = azs.len();
        for (i, az) in azs.into_iter().enumerate() {
            // Edges leave an AZ upwards towards the VPC's middle (its
            // internet gateway): the title goes in the outer corner, left
            // in the left half of the VPC, right in the right half.
            let side = if 2 * i + 1 > columns { "r" } else { "l" };
            let mut az_inner = vec![
                Stmt::Attribute(attr_id("label", label(&[az_label(az)]))),
                gattr("style", "rounded,dashed"),
                gattr("color", AZ_BORDER),
                gattr("fontcolor", "#5f6368"),
                gattr("labeljust", side),
            ];
            // The zone's anchor: the bottom of its column, for ordering.
            az_inner.push(node(&self.zone_anchor(v, Some(az)), invisible()));
            for s in self.subnets_in(v, Some(az)) {
                az_inner.push(self.subnet(s));
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
    pub(super) fn table_zone(&self, t: RouteTableId) -> Option<&'m str> {
        let m = self.model;
        let mut zones = m
            .route_table(t)
            .subnets
            .iter()
            .map(|s| m.subnet(*s).az.as_deref());
        let first = zones.next()??;
        zones.all(|z| z == Some(first)).then_some(first)
    }

    pub(super) fn rt_stmt(&self, t: RouteTableId) -> Stmt {
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

    pub(super) fn subnet(&self, s: SubnetId) -> Stmt {
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
        let mut lines = vec![
            subnet.name.clone(),
            format!("{} ({})", subnet.cidr, subnet.kind.as_str()),
        ];
        lines.extend(subnet.ipv6.map(|n| n.to_string()));
        lines.push(format!("{} usable, {} used", subnet.usable.count, used));
        let mut inner = vec![
            Stmt::Attribute(attr_id("label", label(&lines))),
            gattr("style", "rounded,filled"),
            gattr("fillcolor", colors.fill),
            gattr("color", colors.border),
            gattr("fontcolor", TEXT),
            gattr("fontsize", "11"),
            // Centred whatever side its AZ's title is on.
            gattr("labeljust", "c"),
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
            lines.extend(inst.ipv6.map(|a| a.to_string()));
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
    pub(super) fn group_attrs(&self, group: &[InstanceId]) -> Vec<Attribute> {
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
    pub(super) fn shared_table(&self, t: RouteTableId) -> bool {
        self.model.route_table(t).subnets.len() > 1
    }

    pub(super) fn uses_blackhole(&self, v: VpcId) -> bool {
        self.model.route_tables.iter().any(|t| {
            t.vpc == v
                && !t.subnets.is_empty()
                && t.routes.iter().any(|r| r.target == Target::Blackhole)
        })
    }

    /// One HTML-table node: the subnet colours and how to read the arrows.
    /// Cells hold plain text only, so `graphviz_rust::parse` reads it back.
    pub(super) fn legend(&self) -> Stmt {
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
        let mut lines = vec![
            "Arrows: route-table decisions, one per subnet",
            "(or shared route table) and target, labelled",
            "with the destinations. local routes are not drawn.",
        ];
        // The orange dashed links stand for gateways too, when there are.
        let m = self.model;
        if m.transit_gateways.is_empty() && m.vpn_gateways.is_empty() {
            lines.push("Dashed: NAT egress. Orange dashed: peering.");
        } else {
            lines.push("Dashed: NAT egress. Orange dashed: peering,");
            lines.push("transit gateway attachments and VPNs.");
        }
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
