//! Virtual private gateways: at most one per VPC, their VPN connections,
//! routes to them and `propagate` in a VPC route table (E0420, E0421,
//! W0615).
//!
//! As AWS documents it (How AWS Site-to-Site VPN works; Route tables and
//! VPN route priority): a virtual private gateway is attached to one VPC;
//! with route propagation on, a route table learns each connection's static
//! routes; a propagated route loses to the `local` route even when it is
//! more specific, and to a static route for the same prefix.

use super::*;

impl Cx {
    /// The gateway and its connections, in the VPC skeleton (routes of any
    /// table of the VPC may name it).
    pub(super) fn vpn_gateway(&mut self, g: &ast::VpnGateway, vpc: VpcId, vname: &str) {
        let id = VpnGatewayId(id32(self.model.vpn_gateways.len()));
        let blocks = self.model.vpcs[vpc.index()].cidrs.clone();
        let mut vpns = Vec::new();
        for c in &g.vpns {
            let external = self.vpn_end(&c.name, &c.to);
            let mut routes = Vec::new();
            for r in &c.routes {
                let net = cidr::aligned(r, &format_args!("VPN `{}`", c.name.text), &mut self.diags);
                if let Some(block) = blocks.iter().find(|b| b.contains(&net)) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::W0615,
                            format!(
                                "VPN `{}` routes {net}, inside VPC `{vname}`'s own block {block}: the `local` route always wins",
                                c.name.text
                            ),
                            r.span,
                            "never used inside the VPC",
                        )
                        .with_note("AWS prefers the local route to a propagated VPN route that overlaps it, even a more specific one (Site-to-Site VPN, route priority)")
                        .with_help("remove the route, or renumber the on-premises range so that it does not overlap the VPC"),
                    );
                }
                routes.push(net);
            }
            vpns.push(VgwVpn {
                name: c.name.text.clone(),
                external,
                routes,
                span: c.span,
            });
        }
        self.model.vpn_gateways.push(VpnGateway {
            name: g.name.text.clone(),
            vpc,
            vpns,
            span: g.span,
        });
        let v = &mut self.model.vpcs[vpc.index()];
        match v.vpn_gateway {
            Some(first) => {
                let first_span = self.model.vpn_gateways[first.index()].span;
                self.diags.push(
                    Diagnostic::new(
                        Code::E0421,
                        format!("VPC `{vname}` has a second virtual private gateway"),
                        g.span,
                        "second virtual private gateway",
                    )
                    .with_secondary(first_span, "the VPC's virtual private gateway")
                    .with_note(
                        "only one virtual private gateway can be attached to a VPC at a time",
                    )
                    .with_help("put every VPN connection of the VPC in one `vpn_gateway`"),
                );
            }
            None => v.vpn_gateway = Some(id),
        }
    }

    /// A virtual private gateway named by a route or a `propagate` of a
    /// table in VPC `vpc` (E0421 when it is another VPC's).
    pub(super) fn own_vpn_gateway(
        &mut self,
        n: &ast::Name,
        decl: names::Decl,
        vpc: VpcId,
        vname: &str,
        what: &str,
    ) -> Option<VpnGatewayId> {
        if decl.vpc == Some(vpc.0) {
            return Some(VpnGatewayId(decl.index));
        }
        let owner = decl
            .vpc
            .and_then(|v| self.names.vpc_name(v))
            .unwrap_or("another VPC")
            .to_string();
        let own = self.model.vpcs[vpc.index()].vpn_gateway;
        let mut d = Diagnostic::new(
            Code::E0421,
            format!(
                "{what} virtual private gateway `{}` of VPC `{owner}` in VPC `{vname}`",
                n.text
            ),
            n.span,
            format!("attached to VPC `{owner}`"),
        )
        .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
        .with_note("a virtual private gateway is attached to one VPC; only that VPC's route tables can use it");
        d = match own.and_then(|g| self.model.vpn_gateways.get(g.index())) {
            Some(g) => d.with_help(format!("use `{}`, the gateway of `{vname}`", g.name)),
            None => d.with_help(format!(
                "declare a `vpn_gateway` in VPC `{vname}`, or reach `{owner}`'s network through a transit gateway"
            )),
        };
        self.diags.push(d);
        None
    }

    /// `propagate VGW` statements of a table: the routes they add, each
    /// connection's static routes outside the VPC's own blocks (inside one,
    /// the local route wins: W0615 at the connection).
    pub(super) fn propagated_routes(
        &mut self,
        rt: &ast::RouteTable,
        vpc: VpcId,
        vname: &str,
    ) -> Vec<Route> {
        let mut chosen: Option<(Span, VpnGatewayId)> = None;
        let mut first_stmt: Option<Span> = None;
        for (n, sp) in &rt.propagate {
            if let Some(first) = first_stmt {
                self.diags.push(once(*sp, "propagate", first));
                continue;
            }
            first_stmt = Some(*sp);
            let Some(d) = self.names.resolve(
                n,
                &[Kind::VpnGateway],
                "virtual private gateway",
                &mut self.diags,
            ) else {
                continue;
            };
            chosen = self
                .own_vpn_gateway(n, d, vpc, vname, "propagation from")
                .map(|g| (*sp, g));
        }
        let Some((span, g)) = chosen else {
            return Vec::new();
        };
        let Some(gw) = self.model.vpn_gateways.get(g.index()) else {
            return Vec::new();
        };
        let blocks = &self.model.vpcs[vpc.index()].cidrs;
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for v in &gw.vpns {
            for net in &v.routes {
                if blocks.iter().any(|b| b.contains(net)) || !seen.insert(*net) {
                    continue;
                }
                out.push(Route {
                    destination: Destination::Cidr(*net),
                    target: Target::VpnGateway(g),
                    origin: RouteOrigin::Propagated,
                    span: Some(span),
                });
            }
        }
        out
    }
}
