//! Route tables and the hops they send traffic to.

use std::net::Ipv4Addr;

use super::sets::*;
use super::walk::*;
use super::*;
use crate::model::*;
use crate::routes::dest_text;
use crate::source::Span;
use crate::syntax::ast::Direction;

impl Ctx<'_> {
    pub(super) fn route_pattern(r: &Route) -> Pattern {
        match r.destination {
            Destination::Cidr(n) | Destination::ListEntry(_, n) => Pattern {
                set: net(n),
                all_opaque: n.prefix_len() == 0,
                ..Pattern::default()
            },
            Destination::PrefixList(s) => Pattern {
                services: vec![s.as_str().to_string()],
                ..Pattern::default()
            },
            // Opaque addresses are IPv4: `::/0` does not cover them.
            Destination::Cidr6(n) => Pattern::of_set6(net6(n)),
        }
    }

    /// Splits cubes by the route each destination takes (`None`: no route).
    pub(super) fn partition(
        &self,
        routes: &[Route],
        cubes: &[Cube],
        by_src: bool,
    ) -> Vec<(Option<usize>, Vec<Cube>)> {
        let mut groups: Vec<(Option<usize>, Vec<Cube>)> = Vec::new();
        for c in cubes {
            let mut rest = vec![c.clone()];
            for (i, r) in routes.iter().enumerate() {
                let p = Self::route_pattern(r);
                let m = if by_src {
                    RuleMatch {
                        src: p,
                        dst: Pattern::everything(),
                        traffic: Traffic::all(),
                    }
                } else {
                    RuleMatch {
                        src: Pattern::everything(),
                        dst: p,
                        traffic: Traffic::all(),
                    }
                };
                let mut next = Vec::new();
                for x in &rest {
                    let (hit, others) = m.split(x);
                    if let Some(h) = hit {
                        match groups.iter_mut().find(|g| g.0 == Some(i)) {
                            Some(g) => g.1.push(h),
                            None => groups.push((Some(i), vec![h])),
                        }
                    }
                    next.extend(others);
                }
                rest = next;
            }
            if !rest.is_empty() {
                match groups.iter_mut().find(|g| g.0.is_none()) {
                    Some(g) => g.1.extend(rest),
                    None => groups.push((None, rest)),
                }
            }
        }
        groups.sort_by_key(|g| g.0.unwrap_or(usize::MAX));
        groups.into_iter().map(|(i, c)| (i, normalize(c))).collect()
    }

    pub(super) fn table_label(&self, subnet: SubnetId) -> (Component, Option<Span>) {
        let sub = self.m.subnet(subnet);
        let t = self.m.route_table(sub.route_table);
        (
            Component {
                implicit: t.span.is_none(),
                ..Component::new(ComponentKind::RouteTable, &t.name).at(&sub.name)
            },
            t.span.or(Some(sub.span)),
        )
    }

    /// The route to add for traffic no route matches: to a peered VPC, its
    /// block through the peering (not the one address); else a route
    /// covering the destination.
    /// The route chosen for `traffic`, as data for the JSON output.
    fn route_used(&self, traffic: &str, destination: Destination, target: Target) -> RouteUsed {
        RouteUsed {
            traffic: traffic.to_string(),
            destination: dest_text(self.m, destination),
            target: self.m.target_name(target).to_string(),
            target_kind: crate::emit::json::target_kind(target),
        }
    }

    fn route_fix(&self, b: &Branch, vpc: VpcId, table: &str, dst: &str) -> String {
        let first = b.cubes.first().and_then(|c| match &c.dst {
            Space::Set(s) => s.first().map(Ipv4Addr::from),
            Space::Set6(_) | Space::Opaque(_) => None,
        });
        if let Some(a) = first {
            for p in &self.m.peerings {
                let Some(peer) = p.other(vpc) else { continue };
                if let Some(block) = self.m.vpc(peer).cidrs.iter().find(|c| c.contains(&a)) {
                    return format!("add `route {block} -> {}` to route table `{table}`", p.name);
                }
            }
        }
        format!("add a route covering {dst} to route table `{table}`")
    }

    pub(super) fn route(
        &self,
        b: Branch,
        subnet: SubnetId,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let sub = self.m.subnet(subnet);
        let table = self.m.route_table(sub.route_table);
        let routes = table.all_routes();
        let (label, tspan) = self.table_label(subnet);
        let mut out = Vec::new();
        // Routes to the same target behave alike: one branch per target
        // (the most specific route names it), so that many routes cannot
        // multiply the paths.
        let parts = by_target(self.partition(&routes, &b.cubes, false), |i| {
            routes[i].target
        });
        for (idx, cubes) in parts {
            let cubes = normalize(cubes);
            let mut nb = b.clone();
            nb.cubes = cubes;
            nb.traversed.push(ViaComponent::RouteTable(sub.route_table));
            let dst = self.say(|| self.first_dst(&nb));
            let Some(i) = idx else {
                no_route(
                    &mut nb,
                    &label,
                    &dst,
                    tspan,
                    Location::RouteTable(sub.route_table),
                );
                nb.fix(self.say(|| self.route_fix(&nb, sub.vpc, &table.name, &dst)));
                out.push(nb);
                continue;
            };
            let r = routes[i];
            let used = self.route_used(&dst, r.destination, r.target);
            nb.route_hop(
                label.clone(),
                format!(
                    "for {dst}: {} → {}",
                    used.destination,
                    self.m.target_label(r.target)
                ),
                used,
                r.span,
            );
            if matches!(
                r.target,
                Target::NatGateway(_) | Target::Instance(_) | Target::Peering(_)
            ) {
                if nb.visited.contains(&r.target) {
                    nb.block(
                        label.clone(),
                        Reason::RouteLoop,
                        format!("it sends {dst} back to {}", self.m.target_label(r.target)),
                        r.span.or(tspan),
                        Location::RouteTable(sub.route_table),
                    );
                    out.push(nb);
                    continue;
                }
                nb.visited.push(r.target);
            }
            out.extend(self.dispatch(nb, subnet, &r, speaker, dest));
        }
        out
    }

    pub(super) fn dispatch(
        &self,
        mut b: Branch,
        subnet: SubnetId,
        r: &Route,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let vpc = self.m.subnet(subnet).vpc;
        match r.target {
            Target::Local(v) => match dest {
                Dest::Eni {
                    eni,
                    via_public: false,
                } if self.m.subnet(eni.subnet).vpc == v => {
                    self.arrive(&mut b, eni, Some(subnet));
                    vec![b]
                }
                _ => {
                    let label = Component::new(ComponentKind::Vpc, &self.m.vpc(v).name);
                    b.block(label, Reason::NotInVpc, "the local route covers the destination address, but the destination is not in this VPC", r.span, Location::Vpc(v));
                    vec![b]
                }
            },
            Target::EgressOnlyGateway(g) => {
                let eigw = self.m.egress_only_gateway(g);
                let label = Component::new(ComponentKind::EgressOnlyGateway, &eigw.name);
                b.traversed.push(ViaComponent::EgressOnlyGateway(g));
                b.crosses_igw = true;
                b.igw_span = b.igw_span.or(r.span);
                let from = self.say(|| self.first_src(&b));
                b.hop(
                    label.clone(),
                    format!("carries {from} out to the internet (IPv6: no translation)"),
                    None,
                    Some(eigw.span),
                );
                b.ret_hop(
                    label,
                    format!(
                        "lets the reply to {from} back in: the connection was opened from inside"
                    ),
                    None,
                );
                self.on_internet(b, dest)
            }
            Target::Blackhole => {
                b.block(
                    Component::new(ComponentKind::Route, dest_text(self.m, r.destination))
                        .at(&self.m.subnet(subnet).name),
                    Reason::Blackhole,
                    "the route is a blackhole: traffic is dropped",
                    r.span,
                    Location::RouteTable(self.m.subnet(subnet).route_table),
                );
                b.fix("point the route at a gateway, NAT or peering, or remove it".to_string());
                vec![b]
            }
            Target::InternetGateway(g) => {
                let igw = self.m.internet_gateway(g);
                let label = Component::new(ComponentKind::InternetGateway, &igw.name);
                b.traversed.push(ViaComponent::InternetGateway(g));
                b.crosses_igw = true;
                b.igw_span = b.igw_span.or(r.span);
                if self.v6 {
                    // IPv6 addresses are public: carried as they are.
                    let from = self.say(|| self.first_src(&b));
                    b.hop(
                        label.clone(),
                        format!("carries {from} to the internet (IPv6: no translation)"),
                        None,
                        Some(igw.span),
                    );
                    b.ret_hop(label, format!("carries the reply back to {from}"), None);
                    return self.on_internet(b, dest);
                }
                let blockers_before = b.blockers.len();
                let public = match speaker {
                    Speaker::Eni {
                        label: who,
                        public,
                        span,
                        at,
                    } => {
                        if !public {
                            b.block(
                                who.clone(),
                                Reason::NoPublicIp,
                                format!(
                                    "it has no public IP, so {label} does not carry its traffic"
                                ),
                                *span,
                                at.clone(),
                            );
                            b.fix(format!("add `public_ip` to {who}"));
                        }
                        format!("the public IP of {who}")
                    }
                    Speaker::Nat(n) => {
                        let nat = self.m.nat_gateway(*n);
                        if nat.private {
                            b.block(
                                Component::new(ComponentKind::NatGateway, &nat.name),
                                Reason::PrivateNat,
                                format!("a private NAT gateway has no Elastic IP: {label} drops its traffic"),
                                Some(nat.span),
                                Location::NatGateway(*n),
                            );
                            b.fix(format!("make `nat_gateway {}` public (drop `private`), in a subnet routed to {label}", nat.name));
                        }
                        format!("the Elastic IP of NAT gateway `{}`", nat.name)
                    }
                    Speaker::NatInstance(i) => {
                        let inst = self.m.instance(*i);
                        if !inst.public_ip {
                            b.block(
                                Component::new(ComponentKind::Instance, &inst.name),
                                Reason::NoPublicIp,
                                format!("the NAT instance has no public IP, so {label} does not carry its traffic"),
                                Some(inst.span),
                                Location::Instance(*i),
                            );
                            b.fix(format!("add `public_ip` to instance `{}`", inst.name));
                        }
                        format!("the public IP of instance `{}`", inst.name)
                    }
                };
                // Private destinations are never carried.
                let kept = public_part(&b.cubes, End::Destination);
                if kept.is_empty() {
                    self.block_private(&mut b, label, End::Destination, r.span, g);
                    return vec![b];
                }
                let from = kept.first().map(|c| self.desc(&c.src)).unwrap_or_default();
                let dropped = b.blockers.len() > blockers_before;
                let decision = if dropped {
                    format!("DROPPED: {from} has no public address to translate to")
                } else {
                    format!("translates source {from} to {public}")
                };
                b.hop(label.clone(), decision, None, Some(igw.span));
                b.ret_hop(
                    label,
                    format!("translates the reply's destination, {public}, back to {from}"),
                    None,
                );
                if b.first_src.is_none() {
                    b.first_src = b.cubes.first().map(|c| c.src.clone());
                }
                b.cubes = kept
                    .into_iter()
                    .map(|c| Cube {
                        src: Space::Opaque(Opaque::PublicIp(public.clone())),
                        ..c
                    })
                    .collect();
                self.on_internet(b, dest)
            }
            Target::NatGateway(n) => {
                let nat = self.m.nat_gateway(n);
                let label = Component::new(ComponentKind::NatGateway, &nat.name);
                b.traversed.push(ViaComponent::NatGateway(n));
                b.traversed.push(ViaComponent::Subnet(nat.subnet));
                if nat.subnet != subnet {
                    self.acl(&mut b, nat.subnet, true);
                }
                let from = b
                    .cubes
                    .first()
                    .map(|c| self.desc(&c.src))
                    .unwrap_or_default();
                b.hop(
                    label.clone(),
                    format!("translates source {from} to its address {}", nat.address),
                    None,
                    Some(nat.span),
                );
                translate_source(&mut b, label, nat.address, &from);
                self.acl(&mut b, nat.subnet, false);
                self.route(b, nat.subnet, &Speaker::Nat(n), dest)
            }
            Target::Instance(i) => {
                let inst = self.m.instance(i);
                let eni = self.instance_eni(i);
                b.traversed.push(ViaComponent::Instance(i));
                b.traversed.push(ViaComponent::Subnet(inst.subnet));
                if inst.source_dest_check {
                    b.block(
                        eni.label.clone(),
                        Reason::SourceDestCheck,
                        "source/destination check is on: it drops traffic that is not addressed to it (set `source_dest_check off`)",
                        Some(inst.span),
                        Location::Instance(i),
                    );
                    b.fix(format!(
                        "add `source_dest_check off` to instance `{}`",
                        inst.name
                    ));
                }
                if inst.subnet != subnet {
                    self.acl(&mut b, inst.subnet, true);
                }
                self.sg(&mut b, &eni.sgs, Direction::In, &eni);
                let from = b
                    .cubes
                    .first()
                    .map(|c| self.desc(&c.src))
                    .unwrap_or_default();
                b.hop(
                    eni.label.clone(),
                    format!(
                        "forwards as a NAT instance: translates source {from} to {}",
                        inst.address
                    ),
                    None,
                    Some(inst.span),
                );
                translate_source(&mut b, eni.label.clone(), inst.address, &from);
                self.sg(&mut b, &eni.sgs, Direction::Out, &eni);
                self.acl(&mut b, inst.subnet, false);
                self.route(b, inst.subnet, &Speaker::NatInstance(i), dest)
            }
            Target::Peering(p) => {
                let peering = self.m.peering(p);
                let label = Component::new(ComponentKind::Peering, &peering.name);
                b.traversed.push(ViaComponent::Peering(p));
                let Some(other) = peering.other(vpc) else {
                    b.block(
                        label,
                        Reason::PeeringTransit,
                        "it does not connect this VPC",
                        r.span,
                        Location::Peering(p),
                    );
                    return vec![b];
                };
                // Both families: a peering carries IPv6 between the VPCs'
                // IPv6 blocks too.
                let block = |v: VpcId| Pattern {
                    set: cidrs(&self.m.vpc(v).cidrs),
                    set6: cidrs6(&self.m.vpc(v).ipv6_cidrs),
                    ..Pattern::default()
                };
                let (here, there) = (block(vpc), block(other));
                let mut kept = Vec::new();
                for c in &b.cubes {
                    let (s, _) = here.split(&c.src);
                    let (d, _) = there.split(&c.dst);
                    if !s.is_empty() && !d.is_empty() {
                        kept.push(Cube {
                            src: s,
                            dst: d,
                            traffic: c.traffic.clone(),
                        });
                    }
                }
                let other_name = &self.m.vpc(other).name;
                if kept.is_empty() {
                    let dst = self.first_dst(&b);
                    b.hop(
                        label.clone(),
                        format!("{dst} is not in `{other_name}`: DROPPED"),
                        None,
                        Some(peering.span),
                    );
                    b.block(
                        label,
                        Reason::PeeringTransit,
                        format!(
                            "it carries only traffic between `{}` and `{other_name}` CIDRs, and {dst} is not in `{other_name}` (peering is not transitive)",
                            self.m.vpc(vpc).name
                        ),
                        r.span.or(Some(peering.span)),
                        Location::Peering(p),
                    );
                    b.fix(format!("peer the destination's VPC with `{}` directly and route {dst} to that peering", self.m.vpc(vpc).name));
                    return vec![b];
                }
                b.cubes = kept;
                b.hop(
                    label.clone(),
                    format!("carries it to VPC `{other_name}`"),
                    None,
                    Some(peering.span),
                );
                match dest {
                    Dest::Eni {
                        eni,
                        via_public: false,
                    } if self.m.subnet(eni.subnet).vpc == other => {
                        self.return_route(&mut b, eni.subnet, Target::Peering(p));
                        self.arrive(&mut b, eni, None);
                    }
                    _ => b.block(
                        label,
                        Reason::PeeringTransit,
                        format!("the destination is not in `{other_name}`"),
                        r.span,
                        Location::Peering(p),
                    ),
                }
                vec![b]
            }
            Target::TransitGateway(t) => self.tgw_enter(b, subnet, r, t, speaker, dest),
            Target::VpnGateway(g) => self.vgw_out(b, g, dest),
            Target::GatewayEndpoint(e) => {
                let ep = self.m.endpoint(e);
                b.traversed.push(ViaComponent::Endpoint(e));
                let label = Component::new(ComponentKind::GatewayEndpoint, &ep.name);
                let carried = Traffic {
                    tcp: Intervals::range(0, 65535),
                    udp: Intervals::empty(),
                    icmp: true,
                };
                self.endpoint_protocols(
                    &mut b,
                    &label,
                    &carried,
                    "TCP and ICMP",
                    ep.span,
                    Location::Endpoint(e),
                );
                b.hop(
                    label,
                    format!("delivers to {} inside the AWS network", ep.service),
                    None,
                    Some(ep.span),
                );
                match dest {
                    Dest::Outside { label, .. } => {
                        let verb = if b.blockers.is_empty() {
                            "receives it"
                        } else {
                            "would receive it"
                        };
                        b.hop(label.clone(), verb, None, None);
                        b.reached = true;
                    }
                    _ => b.block(
                        Component::new(ComponentKind::GatewayEndpoint, &ep.name),
                        Reason::NoRoute,
                        "the destination is not this service",
                        r.span,
                        Location::Endpoint(e),
                    ),
                }
                vec![b]
            }
        }
    }

    /// The reply must route back to `via` from the destination's subnet.
    pub(super) fn return_route(&self, b: &mut Branch, subnet: SubnetId, via: Target) {
        let table_id = self.m.subnet(subnet).route_table;
        let table = self.m.route_table(table_id);
        let routes = table.all_routes();
        let (label, tspan) = self.table_label(subnet);
        let mut kept = Vec::new();
        let mut chosen = None;
        let mut egress_only = None;
        for (idx, cubes) in self.partition(&routes, &b.cubes, true) {
            if let Some(i) = idx
                && routes[i].target == via
            {
                chosen = Some(routes[i].destination);
                kept.extend(cubes);
            } else if let Some(i) = idx
                && let Target::EgressOnlyGateway(g) = routes[i].target
            {
                egress_only = egress_only.or(Some((g, routes[i].span)));
            }
        }
        if kept.is_empty()
            && let Some((g, span)) = egress_only
        {
            // An internet gateway let the request in, but the reply is
            // routed to the egress-only gateway, which drops it.
            let name = &self.m.egress_only_gateway(g).name;
            let src = self.first_src(b);
            b.block(
                Component::new(ComponentKind::EgressOnlyGateway, name),
                Reason::EgressOnly,
                format!("replies to {src} route to it, and it carries only connections opened from inside"),
                span.or(tspan),
                Location::EgressOnlyGateway(g),
            );
            b.ret_hop(
                label,
                format!("replies to {src} go to the egress-only gateway `{name}`: DROPPED"),
                tspan,
            );
            return;
        }
        let src = self.first_src(b);
        let used = chosen.map(|d| self.route_used(&src, d, via));
        let rule = used
            .as_ref()
            .map(|u| format!("{} → {}", u.destination, u.target));
        if kept.is_empty() {
            b.block(
                label.clone(),
                Reason::NoReturnRoute,
                format!(
                    "replies to {src} have no route back to {}",
                    self.m.target_label(via)
                ),
                tspan,
                Location::RouteTable(table_id),
            );
            b.fix(format!(
                "add `route {} -> {}` to route table `{}`",
                self.cidr_text(
                    &b.cubes
                        .first()
                        .map_or(Space::Set(Intervals::empty()), |c| c.src.clone())
                ),
                self.m.target_name(via),
                table.name
            ));
            b.ret_hop(label, format!("no route back to {src}: DROPPED"), tspan);
        } else {
            b.ret.push(RetItem::Hop(Hop {
                component: label,
                decision: format!(
                    "replies to {src} go back through {}",
                    self.m.target_label(via)
                ),
                rule,
                span: None,
                route: used,
            }));
            b.cubes = normalize(kept);
        }
    }

    pub(super) fn arrive(&self, b: &mut Branch, eni: &Eni, from: Option<SubnetId>) {
        b.traversed.push(ViaComponent::Subnet(eni.subnet));
        if from != Some(eni.subnet) {
            self.acl(b, eni.subnet, true);
        }
        self.sg(b, &eni.sgs, Direction::In, eni);
        self.interface_endpoint_arrival(b, eni);
        self.reached(b, eni);
    }

    /// An interface endpoint's interface: TCP only.
    pub(super) fn interface_endpoint_arrival(&self, b: &mut Branch, eni: &Eni) {
        if let Some(e) = eni.endpoint {
            b.traversed.push(ViaComponent::Endpoint(e));
            let carried = Traffic {
                tcp: Intervals::range(0, 65535),
                ..Traffic::none()
            };
            self.endpoint_protocols(
                b,
                &Component::new(ComponentKind::Endpoint, &self.m.endpoint(e).name),
                &carried,
                "TCP",
                eni.span,
                eni.at.clone(),
            );
        }
    }

    /// Keeps the traffic an endpoint carries; a blocker when none is left.
    pub(super) fn endpoint_protocols(
        &self,
        b: &mut Branch,
        label: &Component,
        carried: &Traffic,
        what: &str,
        span: Span,
        at: Location,
    ) {
        let kept: Vec<Cube> = b
            .cubes
            .iter()
            .map(|c| Cube {
                traffic: c.traffic.intersect(carried),
                ..c.clone()
            })
            .filter(|c| !c.is_empty())
            .collect();
        if kept.is_empty() {
            let t = b
                .cubes
                .first()
                .map(|c| c.traffic.describe())
                .unwrap_or_default();
            b.block(
                label.clone(),
                Reason::EndpointProtocol,
                format!("it carries only {what}, not {t}"),
                Some(span),
                at,
            );
        } else {
            b.cubes = kept;
        }
    }

    pub(super) fn on_internet(&self, mut b: Branch, dest: &Dest) -> Vec<Branch> {
        match dest {
            Dest::Outside {
                label,
                at: Location::External(x),
                ..
            } if self.m.external(*x).on_premises => {
                b.block(
                    label.clone(),
                    Reason::OnPremisesOnly,
                    "it is on premises, reached over a VPN only: an internet gateway never carries traffic to it",
                    Some(self.m.external(*x).span),
                    Location::External(*x),
                );
                vec![b]
            }
            Dest::Outside { label, space, at } => {
                // Keep the destinations that are on the internet.
                let on_internet = self.internet_pattern();
                let mut kept = Vec::new();
                for c in &b.cubes {
                    let (hit, _) = on_internet.split(&c.dst);
                    if !hit.is_empty() {
                        kept.push(Cube {
                            dst: hit,
                            ..c.clone()
                        });
                    }
                }
                if kept.is_empty() {
                    b.block(
                        label.clone(),
                        Reason::PrivateAddress,
                        format!("{} is not on the internet", self.desc(space)),
                        None,
                        at.clone(),
                    );
                    return vec![b];
                }
                b.cubes = kept;
                let at = self.first_dst(&b);
                let verb = if b.blockers.is_empty() {
                    "receives it"
                } else {
                    "would receive it"
                };
                b.hop(label.clone(), format!("{verb} at {at}"), None, None);
                b.reached = true;
                vec![b]
            }
            Dest::Eni {
                eni,
                via_public: true,
            } => {
                let w = self.m.subnet(eni.subnet).vpc;
                let vpc = self.m.vpc(w);
                if self.v6
                    && vpc.internet_gateway.is_none()
                    && let Some(e) = vpc.egress_only_gateway
                {
                    let eigw = self.m.egress_only_gateway(e);
                    b.block(
                        Component::new(ComponentKind::EgressOnlyGateway, &eigw.name),
                        Reason::EgressOnly,
                        format!(
                            "it is the VPC's only way to the internet and carries only connections opened from inside, so nothing reaches {} from the internet",
                            eni.label
                        ),
                        Some(eigw.span),
                        Location::EgressOnlyGateway(e),
                    );
                    return vec![b];
                }
                let Some(g) = vpc.internet_gateway else {
                    b.block(
                        Component::new(ComponentKind::Vpc, &vpc.name),
                        Reason::NoInternetGateway,
                        format!(
                            "it has no internet gateway, so nothing reaches {} from the internet",
                            eni.label
                        ),
                        Some(vpc.span),
                        Location::Vpc(w),
                    );
                    return vec![b];
                };
                let igw = self.m.internet_gateway(g);
                let label = Component::new(ComponentKind::InternetGateway, &igw.name);
                b.traversed.push(ViaComponent::InternetGateway(g));
                b.crosses_igw = true;
                // Nor traffic from private sources: keep the public part.
                let kept = public_part(&b.cubes, End::Source);
                if kept.is_empty() {
                    self.block_private(&mut b, label, End::Source, Some(igw.span), g);
                    return vec![b];
                }
                b.cubes = kept;
                let at = self.desc(&eni.address);
                // IPv6 addresses are public: carried as they are.
                let (there, back) = if self.v6 {
                    (
                        format!("carries it to {at} in VPC `{}`", vpc.name),
                        format!("carries the reply from {at} back out"),
                    )
                } else {
                    (
                        format!(
                            "translates destination, the public IP of {}, to {at}",
                            eni.label
                        ),
                        format!(
                            "translates the reply's source {at} back to the public IP of {}",
                            eni.label
                        ),
                    )
                };
                b.hop(label.clone(), there, None, Some(igw.span));
                b.ret_hop(label, back, None);
                b.cubes = normalize(
                    b.cubes
                        .into_iter()
                        .map(|c| Cube {
                            dst: eni.address.clone(),
                            ..c
                        })
                        .collect(),
                );
                self.return_route(&mut b, eni.subnet, Target::InternetGateway(g));
                self.arrive(&mut b, eni, None);
                vec![b]
            }
            Dest::Eni {
                eni,
                via_public: false,
            } => {
                b.block(
                    eni.label.clone(),
                    Reason::NoPublicIp,
                    "it is reachable from the internet only at a public IP",
                    Some(eni.span),
                    eni.at.clone(),
                );
                vec![b]
            }
            Dest::Unreachable(blockers) => {
                b.blockers.extend(blockers.iter().cloned());
                vec![b]
            }
        }
    }
}

/// A route table with no route for the branch's destination `dst`: the
/// hop that drops it and the blocker (`NO_ROUTE` at `at`).
pub(super) fn no_route(
    b: &mut Branch,
    label: &Component,
    dst: &str,
    span: Option<Span>,
    at: Location,
) {
    b.hop(
        label.clone(),
        format!("no route for {dst}: DROPPED"),
        None,
        span,
    );
    b.block(
        label.clone(),
        Reason::NoRoute,
        format!("no route matches {dst}"),
        span,
        at,
    );
}

/// Merges the groups of a partition whose routes go to one target, under
/// the first (most specific) route's index: routes to the same target
/// behave alike, so one branch per target, and many routes cannot multiply
/// the paths. `None` (no route) stays its own group.
pub(super) fn by_target<T: PartialEq>(
    groups: Vec<(Option<usize>, Vec<Cube>)>,
    target: impl Fn(usize) -> T,
) -> Vec<(Option<usize>, Vec<Cube>)> {
    let mut parts: Vec<(Option<usize>, Vec<Cube>)> = Vec::new();
    for (idx, cubes) in groups {
        let t = idx.map(&target);
        match parts.iter_mut().find(|(j, _)| j.map(&target) == t) {
            Some((_, c)) => c.extend(cubes),
            None => parts.push((idx, cubes)),
        }
    }
    parts
}

/// One end of a packet.
#[derive(Clone, Copy)]
enum End {
    Source,
    Destination,
}

/// The cubes, each cut to the part whose `end` is not a private address
/// (RFC 1918, 100.64.0.0/10; an opaque address is public): all an internet
/// gateway carries, in either direction.
fn public_part(cubes: &[Cube], end: End) -> Vec<Cube> {
    let private = Pattern {
        set: private_space(),
        ..Pattern::default()
    };
    cubes
        .iter()
        .filter_map(|c| {
            let side = match end {
                End::Source => &c.src,
                End::Destination => &c.dst,
            };
            let (_, public) = private.split(side);
            (!public.is_empty()).then(|| match end {
                End::Source => Cube {
                    src: public,
                    ..c.clone()
                },
                End::Destination => Cube {
                    dst: public,
                    ..c.clone()
                },
            })
        })
        .collect()
}

impl Ctx<'_> {
    /// PRIVATE_ADDRESS at internet gateway `g`: every packet has a private
    /// `end`.
    fn block_private(
        &self,
        b: &mut Branch,
        label: Component,
        end: End,
        span: Option<Span>,
        g: InternetGatewayId,
    ) {
        let (side, word) = match end {
            End::Source => (b.cubes.first().map(|c| &c.src), "from"),
            End::Destination => (b.cubes.first().map(|c| &c.dst), "to"),
        };
        let example = side.map(|s| self.desc(s)).unwrap_or_default();
        b.block(
            label,
            Reason::PrivateAddress,
            format!("it never carries traffic {word} private addresses such as {example}"),
            span,
            Location::InternetGateway(g),
        );
    }
}

/// A NAT (gateway or instance) at `address` rewrites the source of every
/// packet to its own address and port; the reply's destination is rewritten back to
/// `from` on the way home.
fn translate_source(b: &mut Branch, component: Component, address: Ipv4Addr, from: &str) {
    b.ret.push(RetItem::PortRewrite {
        component,
        decision: format!("translates the reply's destination {address} back to {from}"),
    });
    if b.first_src.is_none() {
        b.first_src = b.cubes.first().map(|c| c.src.clone());
    }
    b.cubes = normalize(
        std::mem::take(&mut b.cubes)
            .into_iter()
            .map(|c| Cube {
                src: Space::Set(addr(address)),
                ..c
            })
            .collect(),
    );
}
