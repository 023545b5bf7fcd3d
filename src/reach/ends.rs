//! Flow ends: the interfaces and address sets a source or destination stands for, and DNS.

use std::net::Ipv4Addr;

use super::sets::*;
use super::walk::*;
use super::*;
use crate::model::*;
use crate::names::Kind;
use crate::source::Span;

impl Ctx<'_> {
    pub(super) fn instance_eni(&self, i: InstanceId) -> Eni {
        let inst = self.m.instance(i);
        // An IPv6 address is public: an internet gateway carries it as it
        // is.
        let (address, public) = if self.v6 {
            (
                Space::Set6(inst.ipv6.map_or_else(Set::empty, addr6)),
                inst.ipv6.is_some(),
            )
        } else {
            (Space::Set(addr(inst.address)), inst.public_ip)
        };
        Eni {
            subnet: inst.subnet,
            sgs: Some(inst.security_groups.clone()),
            address,
            label: Component::new(ComponentKind::Instance, &inst.name),
            endpoint: None,
            public,
            span: inst.span,
            at: Location::Instance(i),
        }
    }

    pub(super) fn subnet_eni(&self, s: SubnetId) -> Eni {
        if self.v6 {
            return self.subnet_eni6(s);
        }
        let sub = self.m.subnet(s);
        // A new host: any free usable address (the interfaces that exist
        // have their own groups).
        let usable = Intervals::range(u32::from(sub.usable.first), u32::from(sub.usable.last));
        let mut taken: Vec<(u32, u32)> = Vec::new();
        let mut take = |a: std::net::Ipv4Addr| taken.push((u32::from(a), u32::from(a)));
        self.m
            .instances
            .iter()
            .filter(|i| i.subnet == s)
            .for_each(|i| take(i.address));
        self.m
            .nat_gateways
            .iter()
            .filter(|n| n.subnet == s)
            .for_each(|n| take(n.address));
        for e in &self.m.endpoints {
            if let EndpointKind::Interface { interfaces, .. } = &e.kind {
                interfaces
                    .iter()
                    .filter(|x| x.subnet == s)
                    .for_each(|x| take(x.address));
            }
        }
        let free = usable.subtract(&Intervals::from_ranges(taken));
        Eni {
            subnet: s,
            sgs: None,
            address: Space::Set(if free.is_empty() { usable } else { free }),
            label: Component::unnamed(ComponentKind::Host).at(&sub.name),
            endpoint: None,
            public: sub.public_ip_on_launch,
            span: sub.span,
            at: Location::Subnet(s),
        }
    }

    /// A new host's IPv6 address: any free one of the subnet's /64 but
    /// the first four and the last (reserved), none without a block.
    fn subnet_eni6(&self, s: SubnetId) -> Eni {
        let sub = self.m.subnet(s);
        let usable = sub.ipv6.map_or_else(Set::empty, |n| {
            let (lo, hi) = (u128::from(n.network()), u128::from(n.broadcast()));
            Set::range(lo + 4, hi - 1)
        });
        let taken = Set::from_ranges(
            self.m
                .instances
                .iter()
                .filter(|i| i.subnet == s)
                .filter_map(|i| i.ipv6)
                .map(|a| (u128::from(a), u128::from(a))),
        );
        let free = usable.subtract(&taken);
        Eni {
            subnet: s,
            sgs: None,
            public: !usable.is_empty(),
            address: Space::Set6(if free.is_empty() { usable } else { free }),
            label: Component::unnamed(ComponentKind::Host).at(&sub.name),
            endpoint: None,
            span: sub.span,
            at: Location::Subnet(s),
        }
    }

    /// In an IPv6 walk, why `end` has no IPv6 address (`NO_IPV6`), if it
    /// has none.
    pub(super) fn no_ipv6(&self, end: &FlowEnd) -> Option<Blocker> {
        let subnet_fix = |s: SubnetId| {
            let sub = self.m.subnet(s);
            match self.m.vpc(sub.vpc).ipv6_cidrs.first() {
                Some(_) => format!(
                    "give subnet `{}` a /64 of the VPC's IPv6 block (`subnet {} {} ipv6 CIDR`)",
                    sub.name, sub.name, sub.cidr
                ),
                None => format!(
                    "give VPC `{}` an IPv6 block (`ipv6 CIDR`) and subnet `{}` a /64 of it",
                    self.m.vpc(sub.vpc).name,
                    sub.name
                ),
            }
        };
        let (detail, span, fix) = match end {
            FlowEnd::Instance(i) => {
                let inst = self.m.instance(*i);
                if inst.ipv6.is_some() {
                    return None;
                }
                let fix = if self.m.subnet(inst.subnet).ipv6.is_some() {
                    format!("write `ipv6` in the head of instance `{}`", inst.name)
                } else {
                    subnet_fix(inst.subnet)
                };
                ("it has no IPv6 address", Some(inst.span), Some(fix))
            }
            FlowEnd::Subnet(s) => {
                let sub = self.m.subnet(*s);
                if sub.ipv6.is_some() {
                    return None;
                }
                ("it has no IPv6 block", Some(sub.span), Some(subnet_fix(*s)))
            }
            FlowEnd::External(x) => (
                "vpcc does not take IPv6 CIDRs for externals yet",
                Some(self.m.external(*x).span),
                None,
            ),
            FlowEnd::InterfaceEndpoint(e) => (
                "vpcc models interface endpoints over IPv4 only",
                Some(self.m.endpoint(*e).span),
                None,
            ),
            FlowEnd::Service(_) => (
                "vpcc does not model the IPv6 addresses of AWS services yet",
                None,
                None,
            ),
            FlowEnd::Internet => return None,
        };
        Some(Blocker {
            component: end_component(self.m, end),
            reason: Reason::NoIpv6,
            detail: detail.to_string(),
            span,
            fix,
            at: Some(Location::of_end(end)),
        })
    }

    pub(super) fn endpoint_enis(&self, e: EndpointId) -> Vec<Eni> {
        let ep = self.m.endpoint(e);
        match &ep.kind {
            EndpointKind::Interface {
                interfaces,
                security_groups,
                ..
            } => interfaces
                .iter()
                .map(|i| Eni {
                    subnet: i.subnet,
                    sgs: Some(security_groups.clone()),
                    // vpcc models endpoint interfaces over IPv4 only.
                    address: if self.v6 {
                        Space::Set6(Set::empty())
                    } else {
                        Space::Set(addr(i.address))
                    },
                    label: Component {
                        address: Some(i.address.to_string()),
                        ..Component::new(ComponentKind::EndpointInterface, &ep.name)
                            .at(&self.m.subnet(i.subnet).name)
                    },
                    endpoint: Some(e),
                    public: false,
                    span: ep.span,
                    at: Location::EndpointInterface(e, i.subnet),
                })
                .collect(),
            EndpointKind::Gateway { .. } => Vec::new(),
        }
    }

    pub(super) fn sources(&self, end: &FlowEnd) -> Vec<Src> {
        match end {
            FlowEnd::Instance(i) => vec![Src::Eni(self.instance_eni(*i))],
            FlowEnd::Subnet(s) => vec![Src::Eni(self.subnet_eni(*s))],
            FlowEnd::External(x) => {
                let ext = self.m.external(*x);
                vec![Src::Outside {
                    space: Space::Set(cidrs(&ext.cidrs)),
                    label: Component::new(ComponentKind::External, &ext.name),
                    on_premises: ext.on_premises.then_some(*x),
                }]
            }
            // Spec §6: `internet can reach X` holds when *some* internet
            // address opens a delivered flow, so the source is the whole
            // public space, externals and documentation ranges included.
            FlowEnd::Internet => vec![Src::Outside {
                space: self.internet_space(),
                label: Component::unnamed(ComponentKind::Internet),
                on_premises: None,
            }],
            FlowEnd::InterfaceEndpoint(e) => {
                self.endpoint_enis(*e).into_iter().map(Src::Eni).collect()
            }
            FlowEnd::Service(_) => Vec::new(),
        }
    }

    /// An instance or subnet at its private address (from on premises,
    /// over a VPN); `None` for other ends.
    pub(super) fn private_dests(&self, end: &FlowEnd) -> Option<Vec<Dest>> {
        let eni = match end {
            FlowEnd::Instance(i) => self.instance_eni(*i),
            FlowEnd::Subnet(s) => self.subnet_eni(*s),
            _ => return None,
        };
        Some(vec![Dest::Eni {
            eni,
            via_public: false,
        }])
    }

    pub(super) fn vpc_of(&self, src: &Src) -> Option<VpcId> {
        match src {
            Src::Eni(e) => Some(self.m.subnet(e.subnet).vpc),
            Src::Outside { .. } => None,
        }
    }

    pub(super) fn peered(&self, a: VpcId, b: VpcId) -> bool {
        self.m.peerings.iter().any(|p| p.other(a) == Some(b))
    }

    /// An interface as a destination seen from `from`: its private address
    /// from its VPC and peered VPCs, its public IP from elsewhere (and, from
    /// another VPC, its private address too, which that VPC's routes may
    /// try to reach through a peering).
    pub(super) fn eni_dests(&self, eni: Eni, from: Option<VpcId>) -> Vec<Dest> {
        let w = self.m.subnet(eni.subnet).vpc;
        if from.is_some_and(|v| v == w || self.peered(v, w)) {
            return vec![Dest::Eni {
                eni,
                via_public: false,
            }];
        }
        let mut out = Vec::new();
        if eni.public {
            out.push(Dest::Eni {
                eni: eni.clone(),
                via_public: true,
            });
        } else {
            let sub = self.m.subnet(eni.subnet);
            let whence = if from.is_some() {
                "a VPC that is neither its own nor peered with it"
            } else {
                "the internet"
            };
            let mut blockers = vec![Blocker {
                component: eni.label.clone(),
                reason: Reason::NoPublicIp,
                detail: format!(
                    "it has no public IP, and {whence} can reach only a public address"
                ),
                span: Some(eni.span),
                fix: Some(if eni.label.is(ComponentKind::Instance) {
                    format!("add `public_ip` to {}", eni.label)
                } else {
                    format!("turn `public_ip_on_launch` on in subnet `{}`", sub.name)
                }),
                at: Some(eni.at.clone()),
            }];
            if sub.kind == crate::model::SubnetKind::Private {
                blockers.push(Blocker {
                    component: Component::new(ComponentKind::Subnet, &sub.name),
                    reason: Reason::NatInbound,
                    detail: format!(
                        "{}; a NAT translates only connections opened from inside",
                        sub.kind_reason
                    ),
                    span: Some(sub.span),
                    fix: None,
                    at: Some(Location::Subnet(eni.subnet)),
                });
            }
            out.push(Dest::Unreachable(blockers));
        }
        // An IPv6 address is the same one from everywhere.
        if from.is_some() && !self.v6 {
            out.push(Dest::Eni {
                eni,
                via_public: false,
            });
        }
        out
    }

    pub(super) fn dests(
        &self,
        end: &FlowEnd,
        from: Option<VpcId>,
    ) -> (Vec<Dest>, Vec<Resolution>, Option<Blocker>) {
        let mut dns = Vec::new();
        let mut dns_blocker = None;
        // No server answers in the source's VPC: no name resolves, so the
        // client has no address to open the connection to.
        if let (FlowEnd::Service(svc), Some(v)) = (end, from)
            && !self.m.vpc(v).resolves_names()
        {
            let vpc = self.m.vpc(v);
            let region = self.m.region.as_deref().unwrap_or("REGION");
            let name = format!("{svc}.{region}.amazonaws.com");
            let why = format!(
                "VPC `{}` has dns_support off and its DHCP options name only the Amazon resolver",
                vpc.name
            );
            dns.push(Resolution {
                name: name.clone(),
                answer: "no answer".to_string(),
                why: why.clone(),
            });
            let blocker = Blocker {
                component: Component::new(ComponentKind::DnsName, name.to_string()),
                reason: Reason::DnsUnresolved,
                detail: format!("it does not resolve: {why}"),
                span: Some(vpc.span),
                fix: Some(format!("set `dns_support on` in VPC `{}`", vpc.name)),
                at: Some(Location::Vpc(v)),
            };
            return (vec![Dest::Unreachable(vec![blocker])], dns, None);
        }
        let dests = match end {
            FlowEnd::Instance(i) => self.eni_dests(self.instance_eni(*i), from),
            FlowEnd::Subnet(s) => self.eni_dests(self.subnet_eni(*s), from),
            FlowEnd::InterfaceEndpoint(e) => self
                .endpoint_enis(*e)
                .into_iter()
                .map(|eni| Dest::Eni {
                    eni,
                    via_public: false,
                })
                .collect(),
            FlowEnd::External(x) => {
                let ext = self.m.external(*x);
                vec![Dest::Outside {
                    space: Space::Set(cidrs(&ext.cidrs)),
                    label: Component::new(ComponentKind::External, &ext.name),
                    at: Location::External(*x),
                }]
            }
            FlowEnd::Internet => vec![Dest::Outside {
                space: self.internet_space(),
                label: Component::unnamed(ComponentKind::Internet),
                at: Location::Internet,
            }],
            FlowEnd::Service(svc) => {
                let public = Dest::Outside {
                    space: Space::Opaque(Opaque::Service(svc.clone())),
                    label: Component::new(ComponentKind::Service, svc.to_string()),
                    at: Location::Service(svc.clone()),
                };
                if crate::model::GatewayService::parse(svc).is_some() {
                    vec![public]
                } else {
                    let region = self.m.region.as_deref().unwrap_or("REGION");
                    let name = format!("{svc}.{region}.amazonaws.com");
                    match self.resolve_private(svc, from) {
                        Ok(e) => {
                            let enis = self.endpoint_enis(e);
                            let answer = enis
                                .iter()
                                .filter_map(|x| x.address.set().and_then(|s| s.first()))
                                .map(|a| Ipv4Addr::from(a).to_string())
                                .collect::<Vec<_>>();
                            dns.push(Resolution {
                                name,
                                answer: answer.join(", "),
                                why: format!(
                                    "private DNS of interface endpoint `{}`",
                                    self.m.endpoint(e).name
                                ),
                            });
                            enis.into_iter()
                                .map(|eni| Dest::Eni {
                                    eni,
                                    via_public: false,
                                })
                                .collect()
                        }
                        Err((why, span, fix, at)) => {
                            dns.push(Resolution {
                                name: name.clone(),
                                answer: format!("public addresses of {svc}"),
                                why: why.clone(),
                            });
                            dns_blocker = Some(Blocker {
                                component: Component::new(ComponentKind::DnsName, name.to_string()),
                                reason: Reason::DnsPublic,
                                detail: format!("it resolves to public addresses: {why}"),
                                span,
                                fix: Some(fix),
                                at: Some(at),
                            });
                            vec![public]
                        }
                    }
                }
            }
        };
        (dests, dns, dns_blocker)
    }

    /// The interface endpoint whose private DNS answers for `svc` in the
    /// source's VPC, or why none does, the setting to change and how.
    pub(super) fn resolve_private(
        &self,
        svc: &str,
        from: Option<VpcId>,
    ) -> Result<EndpointId, Unresolved> {
        let Some(v) = from else {
            return Err((
                "the client is outside every VPC".to_string(),
                None,
                "none: private DNS answers only inside the VPC".to_string(),
                Location::Service(svc.to_string()),
            ));
        };
        let vpc = self.m.vpc(v);
        let mut why = (
            format!("VPC `{}` has no interface endpoint for {svc}", vpc.name),
            Some(vpc.span),
            format!(
                "add `endpoint NAME interface {svc}` with `private_dns on` to VPC `{}`",
                vpc.name
            ),
            Location::Vpc(v),
        );
        for (i, ep) in self.m.endpoints.iter().enumerate() {
            let EndpointKind::Interface { private_dns, .. } = &ep.kind else {
                continue;
            };
            if ep.vpc != v || ep.service != svc {
                continue;
            }
            if !private_dns {
                why = (
                    format!("private DNS of endpoint `{}` is off", ep.name),
                    Some(ep.span),
                    format!("set `private_dns on` in endpoint `{}`", ep.name),
                    Location::Endpoint(EndpointId(u32::try_from(i).unwrap_or(u32::MAX))),
                );
            } else if !vpc.dns_support || !vpc.dns_hostnames {
                why = (
                    format!(
                        "VPC `{}` needs dns_support and dns_hostnames on for private DNS",
                        vpc.name
                    ),
                    Some(vpc.span),
                    format!(
                        "set `dns_support on` and `dns_hostnames on` in VPC `{}`",
                        vpc.name
                    ),
                    Location::Vpc(v),
                );
            } else if !vpc.uses_amazon_dns() {
                why = (
                    format!(
                        "the DHCP options of `{}` do not use AmazonProvidedDNS",
                        vpc.name
                    ),
                    vpc.dhcp.span.or(Some(vpc.span)),
                    "add AmazonProvidedDNS to the DHCP options' `name_servers`".to_string(),
                    Location::Vpc(v),
                );
            } else {
                return Ok(EndpointId(u32::try_from(i).unwrap_or(u32::MAX)));
            }
        }
        Err(why)
    }
}

/// Why a name does not resolve privately, the setting's span, the fix and
/// where the setting is.
pub(super) type Unresolved = (String, Option<Span>, String, Location);

/// The kinds a flow end may name, in the order they are tried and listed
/// (the editor's completion offers the same list).
pub const END_KINDS: &[Kind] = crate::names::FLOW_ENDS;

/// The kinds a path may be asked to traverse (`via`), in the order they
/// are tried and listed.
pub const VIA_KINDS: &[Kind] = &[
    Kind::Instance,
    Kind::NatGateway,
    Kind::InternetGateway,
    Kind::EgressOnlyGateway,
    Kind::GatewayEndpoint,
    Kind::InterfaceEndpoint,
    Kind::Peering,
    Kind::Subnet,
    Kind::RouteTable,
    Kind::TransitGateway,
    Kind::VpnGateway,
];

/// The flow end a declaration of one of [`END_KINDS`] is; `index` is its
/// model id.
pub fn end_of(kind: Kind, index: u32) -> Option<FlowEnd> {
    Some(match kind {
        Kind::Instance => FlowEnd::Instance(InstanceId(index)),
        Kind::Subnet => FlowEnd::Subnet(SubnetId(index)),
        Kind::External => FlowEnd::External(ExternalId(index)),
        Kind::InterfaceEndpoint => FlowEnd::InterfaceEndpoint(EndpointId(index)),
        _ => return None,
    })
}

/// The component a declaration of one of [`VIA_KINDS`] is; `index` is its
/// model id.
pub fn via_of(kind: Kind, index: u32) -> Option<ViaComponent> {
    Some(match kind {
        Kind::Instance => ViaComponent::Instance(InstanceId(index)),
        Kind::NatGateway => ViaComponent::NatGateway(NatGatewayId(index)),
        Kind::InternetGateway => ViaComponent::InternetGateway(InternetGatewayId(index)),
        Kind::EgressOnlyGateway => ViaComponent::EgressOnlyGateway(EgressOnlyGatewayId(index)),
        Kind::GatewayEndpoint | Kind::InterfaceEndpoint => {
            ViaComponent::Endpoint(EndpointId(index))
        }
        Kind::Peering => ViaComponent::Peering(PeeringId(index)),
        Kind::Subnet => ViaComponent::Subnet(SubnetId(index)),
        Kind::RouteTable => ViaComponent::RouteTable(RouteTableId(index)),
        Kind::TransitGateway => ViaComponent::TransitGateway(TransitGatewayId(index)),
        Kind::VpnGateway => ViaComponent::VpnGateway(VpnGatewayId(index)),
        _ => return None,
    })
}

/// The names of the model's declarations of `kind`, each with its id.
fn named(model: &Model, kind: Kind) -> Vec<(&str, u32)> {
    fn ids<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<(&str, u32)> {
        items
            .iter()
            .enumerate()
            .map(|(i, x)| (name(x), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect()
    }
    let endpoints = |interface: bool| {
        let mut v = ids(&model.endpoints, |e| &e.name);
        v.retain(|(_, i)| {
            model
                .endpoints
                .get(*i as usize)
                .is_some_and(|e| matches!(e.kind, EndpointKind::Interface { .. }) == interface)
        });
        v
    };
    match kind {
        Kind::Instance => ids(&model.instances, |x| &x.name),
        Kind::Subnet => ids(&model.subnets, |x| &x.name),
        Kind::External => ids(&model.externals, |x| &x.name),
        Kind::NatGateway => ids(&model.nat_gateways, |x| &x.name),
        Kind::InternetGateway => ids(&model.internet_gateways, |x| &x.name),
        Kind::EgressOnlyGateway => ids(&model.egress_only_gateways, |x| &x.name),
        Kind::Peering => ids(&model.peerings, |x| &x.name),
        Kind::RouteTable => ids(&model.route_tables, |x| &x.name),
        Kind::GatewayEndpoint => endpoints(false),
        Kind::InterfaceEndpoint => endpoints(true),
        Kind::TransitGateway => ids(&model.transit_gateways, |x| &x.name),
        Kind::VpnGateway => ids(&model.vpn_gateways, |x| &x.name),
        Kind::Vpc
        | Kind::SecurityGroup
        | Kind::NetworkAcl
        | Kind::PrefixList
        | Kind::TgwRouteTable
        | Kind::TgwAttachment
        | Kind::Vpn
        | Kind::VgwVpn => Vec::new(),
    }
}

/// The first declaration of one of `kinds` named `name`.
fn find(model: &Model, kinds: &[Kind], name: &str) -> Option<(Kind, u32)> {
    kinds.iter().find_map(|&k| {
        named(model, k)
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, i)| (k, i))
    })
}

/// A flow end by name, as an `expect` names it: an instance, subnet,
/// external or interface endpoint, `internet` or `service SVC`. `vpcc
/// reach --from/--to` and `vpcc graph --highlight` resolve through here;
/// the checker resolves the same [`END_KINDS`] in its name table
/// (`check/expect.rs`) and maps them through the same [`end_of`].
pub fn resolve_end(model: &Model, name: &str, is_source: bool) -> Result<FlowEnd, String> {
    let name = name.trim();
    if name == "internet" {
        return Ok(FlowEnd::Internet);
    }
    if let Some(svc) = name
        .strip_prefix("service")
        .filter(|s| s.starts_with([' ', ':']))
    {
        if is_source {
            return Err(format!(
                "`{name}` cannot be a source: services do not open connections"
            ));
        }
        return Ok(FlowEnd::Service(
            svc.trim_start_matches([' ', ':']).trim().to_string(),
        ));
    }
    let found = find(model, END_KINDS, name).and_then(|(k, i)| end_of(k, i));
    found.ok_or_else(|| {
        let names: Vec<(&str, u32)> = END_KINDS.iter().flat_map(|&k| named(model, k)).collect();
        let hint = crate::names::did_you_mean(name, names.into_iter().map(|(n, _)| n))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        format!("unknown flow end `{name}`: expected an instance, subnet, external, interface endpoint, `internet` or `service SVC`{hint}")
    })
}

/// A component a path can traverse, by name: one of [`VIA_KINDS`].
pub fn resolve_via(model: &Model, name: &str) -> Option<ViaComponent> {
    find(model, VIA_KINDS, name).and_then(|(k, i)| via_of(k, i))
}
