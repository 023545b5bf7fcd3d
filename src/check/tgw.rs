//! Transit gateways: their route tables, VPC and VPN attachments,
//! propagation and static routes (E0417–E0420).
//!
//! Built in two steps around the VPC bodies: [`Cx::tgw_skeleton`] before
//! them (so a VPC route can name a transit gateway and know whether its VPC
//! is attached), [`Cx::tgw_finish`] after them (attachment subnets,
//! propagated and static routes, which need the subnets and prefix lists).

use super::*;
use crate::names::TGW_ROUTE_TARGETS;

impl Cx {
    /// The transit gateways, their tables (no routes yet) and attachments
    /// (no subnets yet), in declaration order (the model's ids).
    pub(super) fn tgw_skeleton(&mut self, tgws: &[&ast::TransitGateway]) {
        for t in tgws {
            let id = TransitGatewayId(id32(self.model.transit_gateways.len()));
            let mut tables = Vec::new();
            for item in &t.items {
                if let ast::TgwItem::RouteTable(rt) = item {
                    tables.push(TgwRouteTableId(id32(self.model.tgw_route_tables.len())));
                    self.model.tgw_route_tables.push(TgwRouteTable {
                        name: rt.name.text.clone(),
                        tgw: id,
                        routes: Vec::new(),
                        propagations: Vec::new(),
                        associations: Vec::new(),
                        span: rt.span,
                    });
                }
            }
            let mut sg_referencing: Option<(bool, Span)> = None;
            for item in &t.items {
                if let ast::TgwItem::SgReferencing(f, sp) = item {
                    match sg_referencing {
                        Some((_, first)) => {
                            self.diags
                                .push(once(*sp, "security_group_referencing", first))
                        }
                        None => sg_referencing = Some((f.value, *sp)),
                    }
                }
            }
            self.model.transit_gateways.push(TransitGateway {
                name: t.name.text.clone(),
                route_tables: tables,
                attachments: Vec::new(),
                sg_referencing: sg_referencing.is_some_and(|(on, _)| on),
                span: t.span,
            });
        }
        for (ti, t) in tgws.iter().enumerate() {
            let tgw = TransitGatewayId(id32(ti));
            for item in &t.items {
                let (name, table, kind, span) = match item {
                    ast::TgwItem::RouteTable(_) | ast::TgwItem::SgReferencing(..) => continue,
                    ast::TgwItem::Attach(a) => {
                        let vpc = self
                            .names
                            .resolve(&a.vpc, &[Kind::Vpc], "VPC", &mut self.diags)
                            .map(|d| VpcId(d.index));
                        if vpc.is_none() {
                            self.broken_attachments
                                .insert(id32(self.model.tgw_attachments.len()));
                        }
                        let vpc = vpc.unwrap_or(VpcId(0));
                        let kind = TgwAttachmentKind::Vpc {
                            vpc,
                            subnets: Vec::new(),
                        };
                        (&a.name, &a.route_table, kind, a.span)
                    }
                    ast::TgwItem::Vpn(v) => {
                        let external = self.vpn_end(&v.name, &v.to);
                        let routes = v
                            .routes
                            .iter()
                            .map(|c| {
                                cidr::aligned(
                                    c,
                                    &format_args!("VPN `{}`", v.name.text),
                                    &mut self.diags,
                                )
                            })
                            .collect();
                        let kind = TgwAttachmentKind::Vpn { external, routes };
                        (&v.name, &v.route_table, kind, v.span)
                    }
                };
                let route_table = self.tgw_table_of(tgw, table, &t.name.text);
                let aid = TgwAttachmentId(id32(self.model.tgw_attachments.len()));
                if let Some(rt) = route_table {
                    self.model.tgw_route_tables[rt.index()]
                        .associations
                        .push(aid);
                }
                self.model.transit_gateways[ti].attachments.push(aid);
                self.model.tgw_attachments.push(TgwAttachment {
                    name: name.text.clone(),
                    tgw,
                    kind,
                    route_table: route_table.unwrap_or(TgwRouteTableId(0)),
                    span,
                });
            }
        }
    }

    /// The far end of a VPN: an `on_premises` external (E0420 otherwise).
    pub(super) fn vpn_end(&mut self, vpn: &ast::Name, to: &ast::Name) -> ExternalId {
        let Some(d) =
            self.names
                .resolve(to, &[Kind::External], "external network", &mut self.diags)
        else {
            return ExternalId(0);
        };
        let id = ExternalId(d.index);
        if let Some(x) = self.model.externals.get(id.index())
            && !x.on_premises
        {
            self.diags.push(
                Diagnostic::new(
                    Code::E0420,
                    format!(
                        "VPN `{}` goes to external `{}`, which is not `on_premises`",
                        vpn.text, to.text
                    ),
                    to.span,
                    "an internet network, not an on-premises one",
                )
                .with_secondary(x.span, format!("`{}` is declared here", x.name))
                .with_note("a Site-to-Site VPN connects to a customer gateway on premises; an external without `on_premises` is an internet network, reached through an internet gateway")
                .with_help(format!("add `on_premises` to `external {}`", x.name)),
            );
        }
        id
    }

    /// The route table `name` of transit gateway `tgw` (E0303 for another
    /// kind, E0418 for a table of another transit gateway).
    fn tgw_table_of(
        &mut self,
        tgw: TransitGatewayId,
        name: &ast::Name,
        tgw_name: &str,
    ) -> Option<TgwRouteTableId> {
        let d = self.names.resolve(
            name,
            &[Kind::TgwRouteTable],
            "transit gateway route table",
            &mut self.diags,
        )?;
        let id = TgwRouteTableId(d.index);
        let table = self.model.tgw_route_tables.get(id.index())?;
        if table.tgw != tgw {
            let other = self.model.transit_gateways[table.tgw.index()].name.clone();
            self.diags.push(
                Diagnostic::new(
                    Code::E0418,
                    format!(
                        "route table `{}` belongs to transit gateway `{other}`, not `{tgw_name}`",
                        name.text
                    ),
                    name.span,
                    format!("a table of `{other}`"),
                )
                .with_secondary(table.span, format!("declared in transit gateway `{other}`"))
                .with_note(
                    "an attachment is associated with a route table of its own transit gateway",
                ),
            );
            return None;
        }
        Some(id)
    }

    /// An attachment named in table `table` (a `propagate` name or a route
    /// target): one of the same transit gateway (E0418 otherwise).
    fn tgw_attachment_of(
        &mut self,
        table: TgwRouteTableId,
        name: &ast::Name,
    ) -> Option<TgwAttachmentId> {
        let d = self
            .names
            .resolve(name, TGW_ROUTE_TARGETS, "attachment", &mut self.diags)?;
        let id = TgwAttachmentId(d.index);
        let a = self.model.tgw_attachments.get(id.index())?;
        let t = &self.model.tgw_route_tables[table.index()];
        if a.tgw != t.tgw {
            let (theirs, ours) = (
                self.model.transit_gateways[a.tgw.index()].name.clone(),
                self.model.transit_gateways[t.tgw.index()].name.clone(),
            );
            self.diags.push(
                Diagnostic::new(
                    Code::E0418,
                    format!(
                        "`{}` is an attachment of transit gateway `{theirs}`, not `{ours}`",
                        name.text
                    ),
                    name.span,
                    format!("attached to `{theirs}`"),
                )
                .with_secondary(a.span, format!("declared in transit gateway `{theirs}`"))
                .with_note("a transit gateway route table routes to, and learns from, attachments of its own transit gateway only"),
            );
            return None;
        }
        Some(id)
    }

    /// A VPC route's `-> TGW`: the VPC must be attached to it (E0418).
    pub(super) fn tgw_route_target(
        &mut self,
        n: &ast::Name,
        tgw: TransitGatewayId,
        vpc: VpcId,
        vname: &str,
        decl_span: Span,
    ) -> Option<Target> {
        self.model.transit_gateways.get(tgw.index())?;
        if self.model.vpc_attachment(tgw, vpc).is_none() {
            self.diags.push(
                Diagnostic::new(
                    Code::E0418,
                    format!(
                        "route to transit gateway `{}`, but VPC `{vname}` is not attached to it",
                        n.text
                    ),
                    n.span,
                    format!("VPC `{vname}` has no attachment here"),
                )
                .with_secondary(decl_span, format!("transit gateway `{}` is declared here", n.text))
                .with_note("a VPC's route tables can send traffic to a transit gateway only through an attachment of that VPC")
                .with_help(format!(
                    "add `attach {vname}-att vpc {vname} subnets [...] route_table ...` to transit gateway `{}`",
                    n.text
                )),
            );
            return None;
        }
        Some(Target::TransitGateway(tgw))
    }

    /// Attachment subnets, propagated and static routes, match order.
    pub(super) fn tgw_finish(&mut self, tgws: &[&ast::TransitGateway]) {
        let mut aid = 0usize;
        let mut tid = 0usize;
        for t in tgws {
            for item in &t.items {
                match item {
                    ast::TgwItem::Attach(a) => {
                        self.attachment_subnets(TgwAttachmentId(id32(aid)), a);
                        aid += 1;
                    }
                    ast::TgwItem::Vpn(_) => aid += 1,
                    ast::TgwItem::RouteTable(_) | ast::TgwItem::SgReferencing(..) => {}
                }
            }
        }
        for t in tgws {
            for item in &t.items {
                if let ast::TgwItem::RouteTable(rt) = item {
                    self.tgw_routes(TgwRouteTableId(id32(tid)), rt);
                    tid += 1;
                }
            }
        }
    }

    /// E0417: each subnet in the attachment's VPC, at most one per AZ.
    fn attachment_subnets(&mut self, id: TgwAttachmentId, a: &ast::TgwAttach) {
        let Some(vpc) = self.model.tgw_attachments[id.index()].vpc() else {
            return;
        };
        let vname = self.model.vpcs.get(vpc.index()).map(|v| v.name.clone());
        if a.subnets.items.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Code::E0417,
                    format!("attachment `{}` names no subnet", a.name.text),
                    a.subnets.span,
                    "an empty subnet list",
                )
                .with_note("a transit gateway VPC attachment needs at least one subnet, one per Availability Zone it serves (CreateTransitGatewayVpcAttachment, SubnetIds)")
                .with_help(format!(
                    "name one subnet of VPC `{}` per AZ",
                    vname.as_deref().unwrap_or("")
                )),
            );
        }
        let mut out: Vec<(SubnetId, Span)> = Vec::new();
        for n in &a.subnets.items {
            let Some(d) = self
                .names
                .resolve(n, &[Kind::Subnet], "subnet", &mut self.diags)
            else {
                continue;
            };
            let sid = SubnetId(d.index);
            let Some(sub) = self.model.subnets.get(sid.index()) else {
                continue;
            };
            if let Some((_, first)) = out.iter().find(|(s, _)| *s == sid) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0417,
                        format!(
                            "attachment `{}` names subnet `{}` twice",
                            a.name.text, n.text
                        ),
                        n.span,
                        "named again",
                    )
                    .with_secondary(*first, "first named here")
                    .with_note("a VPC attachment takes each subnet once, one per Availability Zone")
                    .with_help("remove the second one"),
                );
                continue;
            }
            if sub.vpc != vpc {
                let owner = self.model.vpcs[sub.vpc.index()].name.clone();
                self.diags.push(
                    Diagnostic::new(
                        Code::E0417,
                        format!(
                            "attachment `{}` of VPC `{}` names subnet `{}` of VPC `{owner}`",
                            a.name.text,
                            vname.as_deref().unwrap_or(""),
                            n.text
                        ),
                        n.span,
                        format!("a subnet of `{owner}`"),
                    )
                    .with_secondary(sub.span, format!("declared in VPC `{owner}`"))
                    .with_note("a VPC attachment places one network interface in each of its subnets, which must be in the attached VPC"),
                );
                continue;
            }
            if let Some(az) = &sub.az
                && let Some((first, first_span)) = out
                    .iter()
                    .find(|(s, _)| self.model.subnets[s.index()].az.as_ref() == Some(az))
            {
                let first_name = self.model.subnets[first.index()].name.clone();
                self.diags.push(
                    Diagnostic::new(
                        Code::E0417,
                        format!(
                            "attachment `{}` names two subnets in AZ {az}: `{first_name}` and `{}`",
                            a.name.text, n.text
                        ),
                        n.span,
                        format!("a second subnet in {az}"),
                    )
                    .with_secondary(*first_span, format!("`{first_name}` is in {az} too"))
                    .with_note("a transit gateway VPC attachment takes at most one subnet per Availability Zone")
                    .with_help(format!("keep one of `{first_name}` and `{}`", n.text)),
                );
                continue;
            }
            out.push((sid, n.span));
        }
        if let TgwAttachmentKind::Vpc { subnets, .. } =
            &mut self.model.tgw_attachments[id.index()].kind
        {
            *subnets = out.into_iter().map(|(s, _)| s).collect();
        }
    }

    /// The table's static routes (E0402 for two to one destination),
    /// propagated routes (E0419 for overlapping blocks from two
    /// attachments), sorted into match order.
    fn tgw_routes(&mut self, id: TgwRouteTableId, rt: &ast::TgwRouteTable) {
        let mut routes = Vec::new();
        let mut seen: BTreeMap<Ipv4Net, Span> = BTreeMap::new();
        let mut propagations = Vec::new();
        for item in &rt.items {
            match item {
                ast::TgwTableItem::Propagate(list, span) => {
                    for n in &list.items {
                        if let Some(a) = self.tgw_attachment_of(id, n) {
                            if propagations.iter().any(|(p, _)| *p == a) {
                                continue;
                            }
                            propagations.push((a, *span));
                        }
                    }
                }
                ast::TgwTableItem::Route(r) => {
                    let target = match &r.target {
                        ast::RouteTarget::Blackhole(_) => Some(TgwTarget::Blackhole),
                        ast::RouteTarget::Name(n) => {
                            self.tgw_attachment_of(id, n).map(TgwTarget::Attachment)
                        }
                    };
                    let dests: Vec<(Destination, TgwRouteOrigin)> = match &r.destination {
                        // Lowering reports IPv6 in a transit gateway table
                        // (E0101) and drops the route.
                        ast::RouteDestination::Cidr6(_) => Vec::new(),
                        ast::RouteDestination::Cidr(c) => {
                            let net = cidr::aligned(
                                c,
                                &format_args!("a route of table `{}`", rt.name.text),
                                &mut self.diags,
                            );
                            if let Some(first) = seen.get(&net) {
                                self.diags.push(super::routes::two_routes(
                                    &rt.name.text,
                                    &net,
                                    c.span,
                                    *first,
                                    "a route table holds one static route per destination",
                                ));
                                continue;
                            }
                            seen.insert(net, c.span);
                            vec![(Destination::Cidr(net), TgwRouteOrigin::Static)]
                        }
                        ast::RouteDestination::PrefixList(n) => {
                            let Some(d) = self.names.resolve(
                                n,
                                crate::names::ROUTE_DESTINATIONS,
                                "prefix list",
                                &mut self.diags,
                            ) else {
                                continue;
                            };
                            let lid = PrefixListId(d.index);
                            self.model
                                .prefix_lists
                                .get(lid.index())
                                .map(|l| l.entries.clone())
                                .unwrap_or_default()
                                .into_iter()
                                .map(|net| {
                                    (Destination::ListEntry(lid, net), TgwRouteOrigin::PrefixList)
                                })
                                .collect()
                        }
                    };
                    let Some(target) = target else { continue };
                    for (destination, origin) in dests {
                        routes.push(TgwRoute {
                            destination,
                            target,
                            origin,
                            span: r.span,
                        });
                    }
                }
            }
        }
        // Propagated routes; overlapping blocks from two attachments make
        // routing ambiguous (AWS does not propagate an overlapping VPC's
        // CIDR; a VPN's routes compete by BGP): E0419.
        let mut learned: Vec<(Ipv4Net, TgwAttachmentId, Span)> = Vec::new();
        // One E0419 per pair of attachments.
        let mut reported: Vec<(TgwAttachmentId, TgwAttachmentId)> = Vec::new();
        for (a, span) in &propagations {
            if self.broken_attachments.contains(&a.0) {
                continue;
            }
            let att = &self.model.tgw_attachments[a.index()];
            let origin = match att.kind {
                TgwAttachmentKind::Vpc { .. } => TgwRouteOrigin::PropagatedVpc,
                TgwAttachmentKind::Vpn { .. } => TgwRouteOrigin::PropagatedVpn,
            };
            for net in att.propagated_cidrs(&self.model).to_vec() {
                if let Some((other, oa, ospan)) = learned
                    .iter()
                    .find(|(o, oa, _)| *oa != *a && cidr::overlaps(*o, net))
                {
                    if reported.contains(&(*oa, *a)) {
                        continue;
                    }
                    reported.push((*oa, *a));
                    let (x, y) = (
                        self.model.tgw_attachments[oa.index()].name.clone(),
                        self.model.tgw_attachments[a.index()].name.clone(),
                    );
                    let mut d = Diagnostic::new(
                        Code::E0419,
                        format!(
                            "route table `{}` learns overlapping blocks {other} from `{x}` and {net} from `{y}`",
                            rt.name.text
                        ),
                        *span,
                        format!("`{y}` propagates {net}"),
                    );
                    if ospan != span {
                        d = d.with_secondary(*ospan, format!("`{x}` propagates {other}"));
                    }
                    self.diags.push(
                        d.with_note(format!("{}; {}", cidr::spans(*other), cidr::spans(net)))
                            .with_note("routing between attachments with overlapping CIDRs is ambiguous: AWS does not propagate a VPC CIDR that overlaps one the table already has")
                            .with_help("renumber one side, or propagate only one of them into this table and route the other statically"),
                    );
                    continue;
                }
                learned.push((net, *a, *span));
                routes.push(TgwRoute {
                    destination: Destination::Cidr(net),
                    target: TgwTarget::Attachment(*a),
                    origin,
                    span: *span,
                });
            }
        }
        crate::routes::tgw_sort(&mut routes);
        let table = &mut self.model.tgw_route_tables[id.index()];
        table.routes = routes;
        table.propagations = propagations.into_iter().map(|(a, _)| a).collect();
    }
}
