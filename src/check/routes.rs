//! Route tables: routes, their targets, routes over a local block, finishing each subnet's table (E0401–E0408).

use super::*;

impl Cx {
    /// The written routes of a table: IPv4 (propagated VPN routes
    /// included) and IPv6.
    pub(super) fn routes(
        &mut self,
        rt: &ast::RouteTable,
        vpc: VpcId,
        vname: &str,
    ) -> (Vec<Route>, Vec<Route6>) {
        let mut out = Vec::new();
        let mut out6 = Vec::new();
        let mut seen: BTreeMap<Ipv4Net, Span> = BTreeMap::new();
        let mut seen6 = BTreeMap::new();
        let mut lists: BTreeMap<PrefixListId, Span> = BTreeMap::new();
        for r in &rt.routes {
            let c = match &r.destination {
                ast::RouteDestination::Cidr(c) => c,
                ast::RouteDestination::Cidr6(c) => {
                    out6.extend(self.route6(rt, r, c, vpc, vname, &mut seen6));
                    continue;
                }
                ast::RouteDestination::PrefixList(n) => {
                    self.list_route(rt, r, n, vpc, vname, &mut lists, &mut out);
                    continue;
                }
            };
            let dest = cidr::aligned(
                c,
                &format_args!("a route of table `{}`", rt.name.text),
                &mut self.diags,
            );
            if cidr::is_forbidden_destination(dest) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0413,
                        format!(
                            "route destination {dest} is in 169.254.168.0/22, which AWS reserves"
                        ),
                        r.destination.span(),
                        "AWS refuses this destination",
                    )
                    .with_note(format!(
                        "{}; AWS refuses routes to 169.254.168.0/22 or any part of it",
                        cidr::spans(dest)
                    ))
                    .with_help("remove the route"),
                );
            }
            if let Some(first) = seen.get(&dest) {
                self.diags.push(two_routes(
                    &rt.name.text,
                    &dest,
                    r.destination.span(),
                    *first,
                    "a route table holds one route per destination",
                ));
            } else {
                seen.insert(dest, r.destination.span());
            }
            let target = match &r.target {
                ast::RouteTarget::Blackhole(_) => Some(Target::Blackhole),
                ast::RouteTarget::Name(n) => self.route_target(n, vpc, vname),
            };
            let Some(target) = target else { continue };
            if self.ipv6_only_target(rt, r, &dest.to_string(), target) {
                continue;
            }
            self.check_local_overlap(r, dest, target, vpc);
            out.push(Route {
                destination: Destination::Cidr(dest),
                target,
                origin: RouteOrigin::Written,
                span: Some(r.span),
            });
        }
        out.extend(self.propagated_routes(rt, vpc, vname));
        (out, out6)
    }

    /// E0422 when an IPv4 route (to `dest`, as written) targets an
    /// egress-only internet gateway; whether it did.
    fn ipv6_only_target(
        &mut self,
        rt: &ast::RouteTable,
        r: &ast::Route,
        dest: &str,
        target: Target,
    ) -> bool {
        let (Target::EgressOnlyGateway(_), ast::RouteTarget::Name(n)) = (target, &r.target) else {
            return false;
        };
        self.diags.push(ipv6::family_refusal(
            &rt.name.text,
            dest,
            n,
            "an egress-only internet gateway carries IPv6 only",
            "route IPv4 internet traffic to an internet gateway, or to a NAT gateway for outbound-only access",
        ));
        true
    }

    /// `route LIST -> TARGET`: one route per entry of the list (E0402 when
    /// the table names the list twice).
    #[allow(clippy::too_many_arguments)]
    fn list_route(
        &mut self,
        rt: &ast::RouteTable,
        r: &ast::Route,
        n: &ast::Name,
        vpc: VpcId,
        vname: &str,
        lists: &mut BTreeMap<PrefixListId, Span>,
        out: &mut Vec<Route>,
    ) {
        let list = self
            .names
            .resolve(
                n,
                crate::names::ROUTE_DESTINATIONS,
                "prefix list",
                &mut self.diags,
            )
            .map(|d| PrefixListId(d.index));
        if let Some(id) = list {
            if let Some(first) = lists.get(&id) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0402,
                        format!(
                            "route table `{}` has two routes to prefix list `{}`",
                            rt.name.text, n.text
                        ),
                        n.span,
                        "second route to this prefix list",
                    )
                    .with_secondary(*first, "first route to it")
                    .with_note(
                        "a route table holds one route per destination, a prefix list included",
                    )
                    .with_help("remove one of them"),
                );
                return;
            }
            lists.insert(id, n.span);
        }
        let target = match &r.target {
            ast::RouteTarget::Blackhole(_) => Some(Target::Blackhole),
            ast::RouteTarget::Name(t) => self.route_target(t, vpc, vname),
        };
        let (Some(id), Some(target)) = (list, target) else {
            return;
        };
        if self.ipv6_only_target(rt, r, &n.text, target) {
            return;
        }
        let entries = self
            .model
            .prefix_lists
            .get(id.index())
            .map(|l| l.entries.clone())
            .unwrap_or_default();
        for net in entries {
            self.check_local_overlap(r, net, target, vpc);
            out.push(Route {
                destination: Destination::ListEntry(id, net),
                target,
                origin: RouteOrigin::Written,
                span: Some(r.span),
            });
        }
    }

    pub(super) fn route_target(
        &mut self,
        n: &ast::Name,
        vpc: VpcId,
        vname: &str,
    ) -> Option<Target> {
        let kinds = [
            Kind::InternetGateway,
            Kind::EgressOnlyGateway,
            Kind::NatGateway,
            Kind::Instance,
            Kind::Peering,
            Kind::TransitGateway,
            Kind::VpnGateway,
        ];
        let decl = self
            .names
            .resolve(n, &kinds, "route target", &mut self.diags)?;
        match decl.kind {
            Kind::InternetGateway => {
                let igw_vpc = decl.vpc.map(VpcId);
                if igw_vpc != Some(vpc) {
                    let owner = igw_vpc
                        .map(|v| self.model.vpcs[v.index()].name.clone())
                        .unwrap_or_default();
                    let own = self.model.vpcs[vpc.index()].internet_gateway;
                    let message = match own {
                        Some(_) => format!(
                            "route to internet gateway `{}` of VPC `{owner}` from VPC `{vname}`",
                            n.text
                        ),
                        None => format!(
                            "route to internet gateway `{}`, but VPC `{vname}` has no internet gateway",
                            n.text
                        ),
                    };
                    let mut d = Diagnostic::new(Code::E0401, message, n.span, format!("attached to VPC `{owner}`"))
                        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                        .with_note("an internet gateway is attached to one VPC; only that VPC's route tables can send traffic to it");
                    d = match own {
                        Some(g) => d.with_help(format!("route to `{}`, the internet gateway of `{vname}`", self.model.internet_gateways[g.index()].name)),
                        None => d
                            .with_secondary(self.vpc_src.get(vpc.index()).map_or(n.span, |s| s.name), format!("VPC `{vname}` declares no `internet_gateway`"))
                            .with_help(format!("declare `internet_gateway igw-{vname}` in VPC `{vname}` and route to it")),
                    };
                    self.diags.push(d);
                    return None;
                }
                Some(Target::InternetGateway(InternetGatewayId(decl.index)))
            }
            Kind::EgressOnlyGateway => {
                if decl.vpc != Some(vpc.0) {
                    let owner = self.owner_name(decl.vpc);
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0401,
                            format!("route to egress-only internet gateway `{}` of VPC `{owner}` from VPC `{vname}`", n.text),
                            n.span,
                            format!("attached to VPC `{owner}`"),
                        )
                        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                        .with_note("an egress-only internet gateway is attached to one VPC; only that VPC's route tables can send traffic to it")
                        .with_help(format!("declare `egress_only_internet_gateway eigw-{vname}` in VPC `{vname}` and route to it")),
                    );
                    return None;
                }
                Some(Target::EgressOnlyGateway(EgressOnlyGatewayId(decl.index)))
            }
            Kind::TransitGateway => {
                self.tgw_route_target(n, TransitGatewayId(decl.index), vpc, vname, decl.span)
            }
            Kind::VpnGateway => self
                .own_vpn_gateway(n, decl, vpc, vname, "route to")
                .map(Target::VpnGateway),
            Kind::Peering => {
                let p = self.model.peerings.get(decl.index as usize)?;
                if p.other(vpc).is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0304,
                            format!(
                                "peering `{}` joins `{}` and `{}`, not VPC `{vname}`",
                                n.text,
                                self.model.vpcs.get(p.a.index()).map_or("", |v| v.name.as_str()),
                                self.model.vpcs.get(p.b.index()).map_or("", |v| v.name.as_str())
                            ),
                            n.span,
                            "not a peering of this VPC",
                        )
                            .with_secondary(decl.span, "declared here")
                            .with_note("a route can use a peering connection only from one of the two VPCs it joins"),
                    );
                    return None;
                }
                Some(Target::Peering(PeeringId(decl.index)))
            }
            kind => {
                if decl.vpc != Some(vpc.0) {
                    let owner = self.owner_name(decl.vpc);
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0304,
                            format!(
                                "{} `{}` belongs to VPC `{owner}`, not `{vname}`",
                                kind.noun(),
                                n.text
                            ),
                            n.span,
                            format!("this {} is in VPC `{owner}`", kind.noun()),
                        )
                        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                        .with_note(format!(
                            "a route can target only a {} of its own VPC",
                            kind.noun()
                        )),
                    );
                    return None;
                }
                Some(if kind == Kind::NatGateway {
                    Target::NatGateway(NatGatewayId(decl.index))
                } else {
                    Target::Instance(InstanceId(decl.index))
                })
            }
        }
    }

    /// The name of the VPC a declaration is in, for messages.
    fn owner_name(&self, vpc: Option<u32>) -> String {
        vpc.and_then(|v| self.names.vpc_name(v))
            .unwrap_or("another VPC")
            .to_string()
    }

    /// E0408: a route whose destination is equal to or inside one of the
    /// VPC's own blocks, unless it is exactly a subnet's CIDR and its target
    /// is a NAT gateway or an instance (allowed since August 2021). The
    /// subnet check runs in `finish_route_tables`, once subnets exist.
    pub(super) fn check_local_overlap(
        &mut self,
        r: &ast::Route,
        dest: Ipv4Net,
        target: Target,
        vpc: VpcId,
    ) {
        let vpc_cidrs = &self.model.vpcs[vpc.index()].cidrs;
        if let Some(block) = vpc_cidrs.iter().find(|c| c.contains(&dest)) {
            self.pending_local.push(PendingLocal {
                route: r.span,
                dest_span: r.destination.span(),
                target_span: r.target.span(),
                dest,
                target,
                vpc,
                block: *block,
                list: match &r.destination {
                    ast::RouteDestination::PrefixList(n) => Some(n.text.clone()),
                    ast::RouteDestination::Cidr(_) | ast::RouteDestination::Cidr6(_) => None,
                },
            });
        }
    }

    /// Local and prefix-list routes, E0408, subnet lists, match order and
    /// subnet kinds.
    pub(super) fn finish_route_tables(&mut self) {
        for p in std::mem::take(&mut self.pending_local) {
            let subnet_exact = self
                .model
                .subnets
                .iter()
                .any(|s| s.vpc == p.vpc && s.cidr == p.dest);
            let target_ok = matches!(p.target, Target::NatGateway(_) | Target::Instance(_));
            if subnet_exact && target_ok {
                continue;
            }
            let vname = &self.model.vpcs[p.vpc.index()].name;
            let relation = if p.dest == p.block { "is" } else { "is inside" };
            let mut d = Diagnostic::new(
                Code::E0408,
                format!(
                    "route destination {}{} {relation} VPC `{vname}`'s own block {}",
                    p.dest,
                    p.list
                        .as_ref()
                        .map(|l| format!(" (an entry of prefix list `{l}`)"))
                        .unwrap_or_default(),
                    p.block
                ),
                p.dest_span,
                "the `local` route covers this destination",
            )
            .with_note(format!(
                "{}; traffic to it is delivered by the `local` route",
                cidr::spans(p.block)
            ));
            d = if subnet_exact {
                d.with_secondary(p.target_span, "this target cannot take a route more specific than local")
                    .with_note("since August 2021 AWS allows a route more specific than local only to a NAT gateway or a network interface (instance)")
                    .with_help("route this subnet's CIDR to a NAT gateway or an appliance instance, or remove the route")
            } else {
                d.with_note("AWS allows a route more specific than local only when its destination is exactly one subnet's CIDR, to a NAT gateway or an instance")
                    .with_help("remove the route; to steer traffic through an appliance, route exactly a subnet's CIDR to the instance")
            };
            let _ = p.route;
            self.diags.push(d);
        }
        // Gateway endpoint prefix-list routes.
        for (ei, e) in self.model.endpoints.iter().enumerate() {
            let EndpointKind::Gateway { route_tables } = &e.kind else {
                continue;
            };
            let Some(svc) = GatewayService::parse(&e.service) else {
                continue;
            };
            for rt in route_tables {
                let table = &mut self.model.route_tables[rt.index()];
                if let Some(existing) = table
                    .routes
                    .iter()
                    .find(|r| r.destination == Destination::PrefixList(svc))
                {
                    let first_name = match existing.target {
                        Target::GatewayEndpoint(id) => {
                            self.model.endpoints.get(id.index()).map(|x| x.name.clone())
                        }
                        _ => None,
                    }
                    .unwrap_or_default();
                    let first = self
                        .names
                        .get(&first_name)
                        .map_or(existing.span.unwrap_or_default(), |d| d.span);
                    let second = self.names.get(&e.name).map_or(e.span, |d| d.span);
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0402,
                            format!("route table `{}` gets two routes to pl:{}, from `{first_name}` and `{}`", table.name, svc.as_str(), e.name),
                            second,
                            format!("second {} gateway endpoint on `{}`", svc.as_str(), table.name),
                        )
                        .with_secondary(first, format!("first {} gateway endpoint on `{}`", svc.as_str(), table.name))
                        .with_note("a route table holds one gateway-endpoint route per service")
                        .with_help(format!("remove `{}` from the `route_tables` of one endpoint", table.name)),
                    );
                    continue;
                }
                table.routes.push(Route {
                    destination: Destination::PrefixList(svc),
                    target: Target::GatewayEndpoint(EndpointId(id32(ei))),
                    origin: RouteOrigin::GatewayEndpoint,
                    span: Some(e.span),
                });
            }
        }
        for rt in &mut self.model.route_tables {
            let v = &self.model.vpcs[rt.vpc.index()];
            for c in &v.cidrs {
                rt.routes.push(Route {
                    destination: Destination::Cidr(*c),
                    target: Target::Local(rt.vpc),
                    origin: RouteOrigin::Local,
                    span: None,
                });
            }
            crate::routes::sort(&mut rt.routes);
            rt.routes6.extend(v.ipv6_cidrs.iter().map(|c| Route6 {
                destination: *c,
                target: Target::Local(rt.vpc),
                origin: RouteOrigin::Local,
                span: None,
            }));
            rt.routes6
                .sort_by_key(|r| (std::cmp::Reverse(r.destination.prefix_len()), r.destination));
        }
        for (si, s) in self.model.subnets.iter().enumerate() {
            if let Some(rt) = self.model.route_tables.get_mut(s.route_table.index()) {
                rt.subnets.push(SubnetId(id32(si)));
            }
        }
        // A subnet's kind follows from its route table alone, so it is
        // worked out once per table (hundreds of subnets share one).
        let mut by_table: Vec<Option<(SubnetKind, String)>> =
            vec![None; self.model.route_tables.len()];
        for si in 0..self.model.subnets.len() {
            let table = self.model.subnets[si].route_table.index();
            let (kind, reason) = match by_table.get(table) {
                Some(Some(known)) => known.clone(),
                _ => {
                    let found = crate::routes::subnet_kind(&self.model, SubnetId(id32(si)));
                    if let Some(slot) = by_table.get_mut(table) {
                        *slot = Some(found.clone());
                    }
                    found
                }
            };
            self.model.subnets[si].kind = kind;
            self.model.subnets[si].kind_reason = reason;
        }
        self.ipv6_kinds();
    }
}

/// A route more specific than or equal to a VPC block, judged once subnets
/// are known.
pub(super) struct PendingLocal {
    route: Span,
    dest_span: Span,
    target_span: Span,
    dest: Ipv4Net,
    target: Target,
    vpc: VpcId,
    block: Ipv4Net,
    /// The prefix list the destination is an entry of.
    list: Option<String>,
}

/// E0402: table `table` has a second route to `dest` (at `second`; the
/// first at `first`); `note` says what the table holds.
pub(super) fn two_routes(
    table: &str,
    dest: &dyn std::fmt::Display,
    second: Span,
    first: Span,
    note: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0402,
        format!("route table `{table}` has two routes to {dest}"),
        second,
        "second route to this destination",
    )
    .with_secondary(first, "first route to it")
    .with_note(note)
    .with_help("remove one of them, or make one more specific")
}
