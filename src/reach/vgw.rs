//! Virtual private gateways: a VPC's route to on premises over a
//! Site-to-Site VPN, and on premises into the VPC.
//!
//! As AWS documents it (How AWS Site-to-Site VPN works; Route tables and
//! VPN route priority): the gateway sends traffic over the connection whose
//! routes hold the destination (the most specific one); what no connection
//! routes is dropped. Traffic from on premises enters the VPC at the
//! gateway and is delivered by the local route; the reply leaves by the
//! destination subnet's route table, which must send the on-premises
//! address to the gateway (a static or a propagated route), and the gateway
//! must route it over a connection.

use super::sets::*;
use super::walk::*;
use super::*;
use crate::model::*;

impl Ctx<'_> {
    /// A VPC route's `-> VGW`: over the VPN that routes each destination.
    pub(super) fn vgw_out(&self, mut b: Branch, g: VpnGatewayId, dest: &Dest) -> Vec<Branch> {
        let gw = self.m.vpn_gateway(g);
        let label = Component::new(ComponentKind::VpnGateway, &gw.name);
        b.traversed.push(ViaComponent::VpnGateway(g));
        let (pseudo, owner) = vpn_routes(gw);
        let parts = super::route::by_target(self.partition(&pseudo, &b.cubes, false), |i| owner[i]);
        let mut out = Vec::new();
        for (idx, cubes) in parts {
            let mut nb = b.clone();
            nb.cubes = normalize(cubes);
            let dst = self.say(|| self.first_dst(&nb));
            let Some(vi) = idx.map(|i| owner[i]) else {
                nb.hop(
                    label.clone(),
                    format!("no VPN routes {dst}: DROPPED"),
                    None,
                    Some(gw.span),
                );
                nb.block(
                    label.clone(),
                    Reason::NoRoute,
                    format!(
                        "no VPN of virtual private gateway `{}` routes {dst}",
                        gw.name
                    ),
                    Some(gw.span),
                    Location::VpnGateway(g),
                );
                nb.fix(self.say(|| {
                    format!(
                        "add the on-premises range of {dst} to the `routes` of a `vpn` in `vpn_gateway {}`",
                        gw.name
                    )
                }));
                out.push(nb);
                continue;
            };
            let vpn = &gw.vpns[vi];
            let x = self.m.external(vpn.external);
            nb.hop(
                label.clone(),
                self.say(|| format!("for {dst}: → VPN `{}`", vpn.name)),
                None,
                Some(gw.span),
            );
            let comp = Component::new(ComponentKind::Vpn, &vpn.name);
            nb.hop(
                comp.clone(),
                format!("carries it to on-premises network `{}`", x.name),
                None,
                Some(vpn.span),
            );
            let Dest::Outside {
                label: end, space, ..
            } = dest
            else {
                nb.block(
                    comp,
                    Reason::NoRoute,
                    format!(
                        "it leads to on-premises network `{}`, not to the destination",
                        x.name
                    ),
                    Some(vpn.span),
                    Location::VpnGateway(g),
                );
                out.push(nb);
                continue;
            };
            let kept = super::tgw::within_network(&nb.cubes, x);
            if kept.is_empty() {
                nb.block(
                    comp,
                    Reason::NoRoute,
                    format!(
                        "{} is not in on-premises network `{}`",
                        self.desc(space),
                        x.name
                    ),
                    Some(vpn.span),
                    Location::VpnGateway(g),
                );
                out.push(nb);
                continue;
            }
            nb.cubes = normalize(kept);
            nb.ret_hop(
                comp,
                format!(
                    "replies from `{}` come back over it to virtual private gateway `{}`",
                    x.name, gw.name
                ),
                None,
            );
            let verb = if nb.blockers.is_empty() {
                "receives it"
            } else {
                "would receive it"
            };
            nb.hop(end.clone(), verb, None, None);
            nb.reached = true;
            out.push(nb);
        }
        out
    }

    /// On-premises traffic over VPN `vi` of gateway `g`, into its VPC.
    pub(super) fn vgw_from_vpn(
        &self,
        mut b: Branch,
        g: VpnGatewayId,
        vi: usize,
        dest: &Dest,
    ) -> Vec<Branch> {
        let gw = self.m.vpn_gateway(g);
        let vpn = &gw.vpns[vi];
        let label = Component::new(ComponentKind::VpnGateway, &gw.name);
        b.traversed.push(ViaComponent::VpnGateway(g));
        b.hop(
            Component::new(ComponentKind::Vpn, &vpn.name),
            format!("carries it to virtual private gateway `{}`", gw.name),
            None,
            Some(vpn.span),
        );
        let vname = &self.m.vpc(gw.vpc).name;
        let eni = match dest {
            Dest::Eni {
                eni,
                via_public: false,
            } if self.m.subnet(eni.subnet).vpc == gw.vpc => eni,
            _ => {
                b.block(
                    label,
                    Reason::NoRoute,
                    format!("the destination is not in VPC `{vname}`, the gateway's VPC"),
                    Some(gw.span),
                    Location::VpnGateway(g),
                );
                return vec![b];
            }
        };
        b.hop(
            label.clone(),
            format!("delivers it into VPC `{vname}`"),
            None,
            Some(gw.span),
        );
        let (pseudo, _) = vpn_routes(gw);
        let mut kept = Vec::new();
        for (idx, cubes) in self.partition(&pseudo, &b.cubes, true) {
            if idx.is_some() {
                kept.extend(cubes);
            }
        }
        let src = self.first_src(&b);
        if kept.is_empty() {
            b.block(
                label.clone(),
                Reason::NoReturnRoute,
                format!(
                    "replies to {src} reach virtual private gateway `{}`, and no VPN of it routes them",
                    gw.name
                ),
                Some(gw.span),
                Location::VpnGateway(g),
            );
            b.fix(format!(
                "add the on-premises range to the `routes` of `vpn {}`",
                vpn.name
            ));
            b.ret_hop(
                label,
                format!("no VPN routes {src}: DROPPED"),
                Some(gw.span),
            );
        } else {
            b.ret_hop(
                label,
                format!("replies to {src} go back over VPN `{}`", vpn.name),
                None,
            );
            b.cubes = normalize(kept);
        }
        // The reply leaves by the destination subnet's table, which must
        // send it to the gateway (pushed last: the return is read back to
        // front).
        self.return_route(&mut b, eni.subnet, Target::VpnGateway(g));
        self.arrive(&mut b, eni, None);
        vec![b]
    }
}

/// A gateway's VPN routes as VPC routes in match order (most specific
/// first, then written order), for `partition`, with the connection each
/// belongs to.
fn vpn_routes(gw: &VpnGateway) -> (Vec<Route>, Vec<usize>) {
    let mut all: Vec<(usize, ipnet::Ipv4Net)> = gw
        .vpns
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.routes.iter().map(move |r| (i, *r)))
        .collect();
    all.sort_by_key(|(_, n)| std::cmp::Reverse(n.prefix_len()));
    let routes = all
        .iter()
        .map(|(_, n)| Route {
            destination: Destination::Cidr(*n),
            target: Target::Blackhole,
            origin: RouteOrigin::Written,
            span: None,
        })
        .collect();
    (routes, all.into_iter().map(|(i, _)| i).collect())
}
