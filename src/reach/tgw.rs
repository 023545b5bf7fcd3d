//! Transit gateways and their VPNs: the hop from a VPC route table into a
//! transit gateway, the gateway's route tables, and the way out through a
//! VPC attachment (routed on by the attachment subnet's table) or a VPN to
//! an on-premises network.
//!
//! As AWS documents it (How transit gateways work; tgw-vpc-attachments;
//! tgw-nacls): traffic enters through the attachment's interface in the
//! source's Availability Zone (none there: it cannot use the gateway), is
//! routed by the table associated with the attachment it entered by, and
//! leaves through the interface of the egress attachment in the same zone
//! when it has one. The attachment subnets' network ACLs apply as for any
//! interface in another subnet. The reply is routed by the table of the
//! attachment it enters by (the other side's association), so an
//! asymmetric design is found: vpcc checks that that table routes the
//! reply's destination to an attachment, not that it is the same one (an
//! inspection VPC may stand between).

use super::sets::*;
use super::walk::*;
use super::*;
use crate::model::*;
use crate::routes::dest_text;

impl Ctx<'_> {
    /// A VPC route's `-> TGW` from `subnet`.
    pub(super) fn tgw_enter(
        &self,
        mut b: Branch,
        subnet: SubnetId,
        r: &Route,
        t: TransitGatewayId,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let sub = self.m.subnet(subnet);
        let tgw = self.m.transit_gateway(t);
        let label = Component::new(ComponentKind::TransitGateway, &tgw.name);
        b.traversed.push(ViaComponent::TransitGateway(t));
        let Some(a) = self.m.vpc_attachment(t, sub.vpc) else {
            b.block(
                label,
                Reason::NoRoute,
                format!("VPC `{}` has no attachment to it", self.m.vpc(sub.vpc).name),
                r.span,
                Location::TransitGateway(t),
            );
            return vec![b];
        };
        let att = self.m.tgw_attachment(a);
        let Some(eni_subnet) = self.attachment_subnet(a, sub.az.as_deref()) else {
            let az = sub.az.clone().unwrap_or_default();
            b.hop(
                label.clone(),
                format!("attachment `{}` has no subnet in {az}: DROPPED", att.name),
                None,
                Some(att.span),
            );
            b.block(
                label,
                Reason::TgwNoAttachmentInAz,
                format!(
                    "attachment `{}` has no subnet in {az}, the zone of subnet `{}`, so traffic from there cannot reach the transit gateway",
                    att.name, sub.name
                ),
                Some(att.span),
                Location::TransitGateway(t),
            );
            b.fix(format!(
                "add a subnet of VPC `{}` in {az} to `attach {}`",
                self.m.vpc(sub.vpc).name,
                att.name
            ));
            return vec![b];
        };
        if eni_subnet != subnet {
            self.acl(&mut b, eni_subnet, true);
        }
        b.hop(
            label,
            format!(
                "receives it on attachment `{}` in subnet `{}`",
                att.name,
                self.m.subnet(eni_subnet).name
            ),
            None,
            Some(att.span),
        );
        self.tgw_route(b, a, sub.az.as_deref(), speaker, dest)
    }

    /// On-premises traffic entering the transit gateway by VPN `a`.
    pub(super) fn tgw_from_vpn(
        &self,
        mut b: Branch,
        a: TgwAttachmentId,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let att = self.m.tgw_attachment(a);
        let tgw = self.m.transit_gateway(att.tgw);
        b.traversed.push(ViaComponent::TransitGateway(att.tgw));
        b.hop(
            Component::new(ComponentKind::Vpn, &att.name),
            format!("carries it to transit gateway `{}`", tgw.name),
            None,
            Some(att.span),
        );
        self.tgw_route(b, a, None, speaker, dest)
    }

    /// The subnet of attachment `a` in zone `az`: the one there, or (no
    /// zone known) the first. `None` when the zone has none.
    fn attachment_subnet(&self, a: TgwAttachmentId, az: Option<&str>) -> Option<SubnetId> {
        let TgwAttachmentKind::Vpc { subnets, .. } = &self.m.tgw_attachment(a).kind else {
            return None;
        };
        let zone = |s: &SubnetId| self.m.subnet(*s).az.as_deref();
        match az {
            Some(z) if subnets.iter().all(|s| zone(s).is_some()) => {
                subnets.iter().copied().find(|s| zone(s) == Some(z))
            }
            _ => subnets.first().copied(),
        }
    }

    /// Routes the branch by the table associated with attachment `a_in`.
    fn tgw_route(
        &self,
        b: Branch,
        a_in: TgwAttachmentId,
        az: Option<&str>,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let att_in = self.m.tgw_attachment(a_in);
        let t = att_in.tgw;
        let table_id = att_in.route_table;
        let table = self.m.tgw_route_table(table_id);
        let label = Component::new(ComponentKind::TgwRouteTable, &table.name);
        let pseudo = pseudo_routes(table);
        let parts = super::route::by_target(self.partition(&pseudo, &b.cubes, false), |i| {
            table.routes[i].target
        });
        let mut out = Vec::new();
        for (idx, cubes) in parts {
            let mut nb = b.clone();
            nb.cubes = normalize(cubes);
            let dst = self.say(|| self.first_dst(&nb));
            let Some(i) = idx else {
                super::route::no_route(
                    &mut nb,
                    &label,
                    &dst,
                    Some(table.span),
                    Location::TgwRouteTable(table_id),
                );
                nb.fix(self.say(|| format!(
                    "propagate the destination's attachment into transit gateway route table `{}`, or add a static route covering {dst}",
                    table.name
                )));
                out.push(nb);
                continue;
            };
            let r = table.routes[i];
            let how = if r.propagated() { " (propagated)" } else { "" };
            let rule = self.say(|| {
                format!(
                    "{} → {}{how}",
                    dest_text(self.m, r.destination),
                    self.m.tgw_target_name(r.target)
                )
            });
            let a_out = match r.target {
                TgwTarget::Blackhole => {
                    nb.hop(
                        label.clone(),
                        format!("for {dst}: blackhole: DROPPED"),
                        Some(rule),
                        Some(r.span),
                    );
                    nb.block(
                        label.clone(),
                        Reason::Blackhole,
                        "the route is a blackhole: traffic is dropped",
                        Some(r.span),
                        Location::TgwRouteTable(table_id),
                    );
                    out.push(nb);
                    continue;
                }
                TgwTarget::Attachment(a) => a,
            };
            let att = self.m.tgw_attachment(a_out);
            nb.hop(
                label.clone(),
                self.say(|| format!("for {dst}: → {}", att.label())),
                Some(rule),
                Some(r.span),
            );
            if a_out == a_in || nb.tgw_out.contains(&a_out) {
                nb.block(
                    label.clone(),
                    Reason::RouteLoop,
                    format!("it sends {dst} back to {}", att.label()),
                    Some(r.span),
                    Location::TgwRouteTable(table_id),
                );
                out.push(nb);
                continue;
            }
            nb.tgw_out.push(a_out);
            out.extend(self.tgw_leave(nb, t, a_in, a_out, az, speaker, dest));
        }
        out
    }

    /// Out of the transit gateway through attachment `a_out`.
    #[allow(clippy::too_many_arguments)]
    fn tgw_leave(
        &self,
        mut b: Branch,
        t: TransitGatewayId,
        a_in: TgwAttachmentId,
        a_out: TgwAttachmentId,
        az: Option<&str>,
        speaker: &Speaker,
        dest: &Dest,
    ) -> Vec<Branch> {
        let att = self.m.tgw_attachment(a_out);
        match &att.kind {
            TgwAttachmentKind::Vpn { external, .. } => {
                let vpn = Component::new(ComponentKind::Vpn, &att.name);
                let x = self.m.external(*external);
                b.hop(
                    vpn.clone(),
                    format!("carries it to on-premises network `{}`", x.name),
                    None,
                    Some(att.span),
                );
                match dest {
                    Dest::Outside { label, space, at } => {
                        let kept = within_network(&b.cubes, x);
                        if kept.is_empty() {
                            b.block(
                                vpn,
                                Reason::NoRoute,
                                format!(
                                    "{} is not in on-premises network `{}`",
                                    self.desc(space),
                                    x.name
                                ),
                                Some(att.span),
                                Location::TransitGateway(t),
                            );
                            return vec![b];
                        }
                        b.cubes = normalize(kept);
                        self.tgw_return(&mut b, a_out, a_in);
                        let verb = if b.blockers.is_empty() {
                            "receives it"
                        } else {
                            "would receive it"
                        };
                        b.hop(label.clone(), verb, None, None);
                        let _ = at;
                        b.reached = true;
                    }
                    _ => b.block(
                        vpn,
                        Reason::NoRoute,
                        format!(
                            "it leads to on-premises network `{}`, not to the destination",
                            x.name
                        ),
                        Some(att.span),
                        Location::TransitGateway(t),
                    ),
                }
                vec![b]
            }
            TgwAttachmentKind::Vpc { vpc, .. } => {
                let Some(es) = self
                    .attachment_subnet(a_out, az)
                    .or_else(|| self.attachment_subnet(a_out, None))
                else {
                    b.block(
                        Component::new(
                            ComponentKind::TransitGateway,
                            &self.m.transit_gateway(t).name,
                        ),
                        Reason::NoRoute,
                        format!("attachment `{}` has no subnet", att.name),
                        Some(att.span),
                        Location::TransitGateway(t),
                    );
                    return vec![b];
                };
                b.hop(
                    Component::new(
                        ComponentKind::TransitGateway,
                        &self.m.transit_gateway(t).name,
                    ),
                    format!(
                        "delivers it into VPC `{}` through attachment `{}` in subnet `{}`",
                        self.m.vpc(*vpc).name,
                        att.name,
                        self.m.subnet(es).name
                    ),
                    None,
                    Some(att.span),
                );
                if let Dest::Eni {
                    eni,
                    via_public: false,
                } = dest
                    && self.m.subnet(eni.subnet).vpc == *vpc
                {
                    self.tgw_return(&mut b, a_out, a_in);
                    self.return_route(&mut b, eni.subnet, Target::TransitGateway(t));
                    // The reply, too, leaves by the attachment subnet in
                    // the destination's zone.
                    let dsub = self.m.subnet(eni.subnet);
                    if let Some(az) = dsub.az.as_deref()
                        && self.attachment_subnet(a_out, Some(az)).is_none()
                    {
                        b.block(
                            Component::new(
                                ComponentKind::TransitGateway,
                                &self.m.transit_gateway(t).name,
                            ),
                            Reason::TgwNoAttachmentInAz,
                            format!(
                                "attachment `{}` has no subnet in {az}, the zone of subnet `{}`, so replies from there cannot reach the transit gateway",
                                att.name, dsub.name
                            ),
                            Some(att.span),
                            Location::TransitGateway(t),
                        );
                        b.fix(format!(
                            "add a subnet of VPC `{}` in {az} to `attach {}`",
                            self.m.vpc(*vpc).name,
                            att.name
                        ));
                    }
                }
                self.acl(&mut b, es, false);
                self.route(b, es, speaker, dest)
            }
        }
    }

    /// The reply enters the transit gateway by `a_back`: its table must
    /// route the reply's destination (the request's source) to an
    /// attachment; to `a_src` is the symmetric case.
    fn tgw_return(&self, b: &mut Branch, a_back: TgwAttachmentId, a_src: TgwAttachmentId) {
        let att = self.m.tgw_attachment(a_back);
        let table_id = att.route_table;
        let table = self.m.tgw_route_table(table_id);
        let label = Component::new(ComponentKind::TgwRouteTable, &table.name);
        let pseudo = pseudo_routes(table);
        let mut kept = Vec::new();
        let mut chosen: Option<TgwRoute> = None;
        for (idx, cubes) in self.partition(&pseudo, &b.cubes, true) {
            if let Some(i) = idx
                && let TgwTarget::Attachment(_) = table.routes[i].target
            {
                if chosen.is_none_or(|c| {
                    table.routes[i].target == TgwTarget::Attachment(a_src)
                        && c.target != TgwTarget::Attachment(a_src)
                }) {
                    chosen = Some(table.routes[i]);
                }
                kept.extend(cubes);
            }
        }
        let src = self.first_src(b);
        match chosen {
            None => {
                b.block(
                    label.clone(),
                    Reason::NoReturnRoute,
                    format!(
                        "replies to {src} enter by {} and find no route back",
                        att.label()
                    ),
                    Some(table.span),
                    Location::TgwRouteTable(table_id),
                );
                b.fix(format!(
                    "propagate {} into transit gateway route table `{}`",
                    self.m.tgw_attachment(a_src).label(),
                    table.name
                ));
                b.ret_hop(
                    label,
                    format!("no route back to {src}: DROPPED"),
                    Some(table.span),
                );
            }
            Some(r) => {
                b.ret.push(RetItem::Hop(Hop {
                    component: label,
                    decision: format!(
                        "replies to {src} go back to {}",
                        self.m
                            .tgw_attachment(match r.target {
                                TgwTarget::Attachment(a) => a,
                                TgwTarget::Blackhole => a_src,
                            })
                            .label()
                    ),
                    rule: Some(format!(
                        "{} → {}",
                        dest_text(self.m, r.destination),
                        self.m.tgw_target_name(r.target)
                    )),
                    span: None,
                    route: None,
                }));
                b.cubes = normalize(kept);
            }
        }
    }
}

/// A transit gateway table's routes as VPC routes, for `partition` (which
/// looks at destinations only).
fn pseudo_routes(table: &TgwRouteTable) -> Vec<Route> {
    table
        .routes
        .iter()
        .map(|r| Route {
            destination: r.destination,
            target: Target::Blackhole,
            origin: RouteOrigin::Written,
            span: Some(r.span),
        })
        .collect()
}

/// The cubes cut to the destinations inside network `x` (what a VPN to an
/// on-premises network delivers).
pub(super) fn within_network(cubes: &[Cube], x: &External) -> Vec<Cube> {
    let within = Pattern {
        set: cidrs(&x.cidrs),
        ..Pattern::default()
    };
    cubes
        .iter()
        .filter_map(|c| {
            let (hit, _) = within.split(&c.dst);
            (!hit.is_empty()).then(|| Cube {
                dst: hit,
                ..c.clone()
            })
        })
        .collect()
}
