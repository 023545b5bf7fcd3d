//! The path walk: one branch per route decision, filters over cube sets.

use std::net::Ipv4Addr;

use super::sets::{
    Cube, Intervals, Opaque, Pattern, RuleMatch, Space, Traffic, addr, all_addresses, cidrs,
    describe_space, first_match, net, normalize, private_space,
};
use super::{Blocker, Hop, Leg, Query, Reason, Resolution, Verdict, end_label, via_label};
use crate::model::{
    AclRule, Destination, EndpointId, EndpointKind, FlowEnd, InstanceId, Model, NatGatewayId,
    NetworkAcl, Route, SecurityGroupId, SgPeer, SgRule, SubnetId, Target, ViaComponent, VpcId,
};
use crate::routes::dest_text;
use crate::source::Span;
use crate::syntax::ast::Direction;

pub fn reach(model: &Model, q: &Query) -> Verdict {
    let ctx = Ctx::new(model);
    let traffic = Traffic::of(q.protocol, q.ports);
    // Jump hosts: instances in `via` that no route table uses as a target.
    let is_target = |i: InstanceId| {
        model
            .route_tables
            .iter()
            .any(|t| t.routes.iter().any(|r| r.target == Target::Instance(i)))
    };
    let mut ends = vec![q.source.clone()];
    let mut vias: Vec<Vec<ViaComponent>> = vec![Vec::new()];
    for v in &q.via {
        match v {
            ViaComponent::Instance(i) if !is_target(*i) => {
                ends.push(FlowEnd::Instance(*i));
                vias.push(Vec::new());
            }
            _ => vias.last_mut().map_or((), |l| l.push(*v)),
        }
    }
    ends.push(q.destination.clone());
    let legs: Vec<Leg> = ends
        .windows(2)
        .zip(&vias)
        .map(|(w, via)| ctx.leg(&w[0], &w[1], &traffic, via, q.privately))
        .collect();
    Verdict {
        delivered: legs.iter().all(|l| l.delivered),
        holds: legs.iter().all(|l| l.holds),
        legs,
    }
}

struct Ctx<'m> {
    m: &'m Model,
    internet: Intervals,
}

/// Who sends the packet on a stretch: an internet gateway needs it to have
/// a public address.
#[derive(Clone, Debug)]
enum Speaker {
    Eni {
        label: String,
        public: bool,
        span: Option<Span>,
    },
    Nat(NatGatewayId),
    NatInstance(InstanceId),
}

#[derive(Clone, Debug)]
struct Eni {
    subnet: SubnetId,
    /// `None`: an allow-all group (a host standing for a subnet).
    sgs: Option<Vec<SecurityGroupId>>,
    address: Intervals,
    /// `` instance `app` ``.
    label: String,
    endpoint: Option<EndpointId>,
    public: bool,
    span: Span,
}

#[derive(Clone, Debug)]
enum Src {
    Eni(Eni),
    /// An external's CIDRs, or (the internet) one unknown internet address.
    Outside {
        space: Space,
        label: String,
    },
}

#[derive(Clone, Debug)]
enum Dest {
    /// An interface, at its private address or (`via_public`) its public IP.
    Eni { eni: Eni, via_public: bool },
    /// The internet, an external, a service's public or prefix-list addresses.
    Outside { space: Space, label: String },
    /// Nothing to route to.
    Unreachable(Vec<Blocker>),
}

#[derive(Clone, Debug)]
enum RetItem {
    /// An ACL the request crossed, the cubes that passed it, and whether
    /// the request was entering the subnet.
    Acl {
        subnet: SubnetId,
        entering: bool,
        cubes: Vec<Cube>,
    },
    Hop(Hop),
}

#[derive(Clone, Debug, Default)]
struct Branch {
    cubes: Vec<Cube>,
    hops: Vec<Hop>,
    ret: Vec<RetItem>,
    blockers: Vec<Blocker>,
    traversed: Vec<ViaComponent>,
    visited: Vec<Target>,
    crosses_igw: bool,
    igw_span: Option<Span>,
    reached: bool,
    /// The source before any translation.
    first_src: Option<Space>,
}

impl Branch {
    fn hop(
        &mut self,
        component: impl Into<String>,
        decision: impl Into<String>,
        rule: Option<String>,
        span: Option<Span>,
    ) {
        self.hops.push(Hop {
            component: component.into(),
            decision: decision.into(),
            rule,
            span,
        });
    }

    fn block(
        &mut self,
        component: impl Into<String>,
        reason: Reason,
        detail: impl Into<String>,
        span: Option<Span>,
    ) {
        let b = Blocker {
            component: component.into(),
            reason,
            detail: detail.into(),
            span,
        };
        if !self.blockers.contains(&b) {
            self.blockers.push(b);
        }
    }
}

/// Admitted cubes, the allowing rules' text, the denying rules' text and
/// spans.
type AclOutcome = (Vec<Cube>, Vec<String>, Vec<(String, Option<Span>)>);

struct Finished {
    branch: Branch,
    back: Vec<Hop>,
}

impl<'m> Ctx<'m> {
    fn desc(&self, s: &Space) -> String {
        if let Space::Set(set) = s {
            if *set == self.internet {
                return "any internet address".to_string();
            }
            if set.ranges().len() > 2 && self.internet.contains_all(set) {
                return "internet addresses".to_string();
            }
        }
        describe_space(s)
    }

    fn one(&self, s: &Space) -> String {
        match s {
            Space::Set(set) if set.ranges().len() > 2 && self.internet.contains_all(set) => {
                "an internet address".to_string()
            }
            Space::Set(set) => set
                .first()
                .map_or_else(|| "nothing".to_string(), |a| Ipv4Addr::from(a).to_string()),
            Space::Opaque(_) => describe_space(s),
        }
    }

    fn example_text(&self, b: &Branch) -> Option<String> {
        let c = b.cubes.first()?;
        let src = b.first_src.as_ref().unwrap_or(&c.src);
        let t = &c.traffic;
        let (proto, port) = if let Some(p) = t.tcp.first() {
            ("tcp", Some(p))
        } else if let Some(p) = t.udp.first() {
            ("udp", Some(p))
        } else {
            ("icmp", None)
        };
        let (src, dst) = (self.one(src), self.one(&c.dst));
        Some(match port {
            Some(p) => format!("{proto} from {src} to {dst} port {p}"),
            None => format!("{proto} from {src} to {dst}"),
        })
    }

    fn new(m: &'m Model) -> Ctx<'m> {
        let mut internet = all_addresses().subtract(&private_space());
        for v in &m.vpcs {
            internet = internet.subtract(&cidrs(&v.cidrs));
        }
        // 0.0.0.0/8, loopback, link-local and multicast and up are not
        // internet hosts either.
        for n in ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/3"] {
            if let Ok(n) = n.parse() {
                internet = internet.subtract(&net(n));
            }
        }
        Ctx { m, internet }
    }

    // ----- ends -------------------------------------------------------

    fn instance_eni(&self, i: InstanceId) -> Eni {
        let inst = self.m.instance(i);
        Eni {
            subnet: inst.subnet,
            sgs: Some(inst.security_groups.clone()),
            address: addr(inst.address),
            label: format!("instance `{}`", inst.name),
            endpoint: None,
            public: inst.public_ip,
            span: inst.span,
        }
    }

    fn subnet_eni(&self, s: SubnetId) -> Eni {
        let sub = self.m.subnet(s);
        Eni {
            subnet: s,
            sgs: None,
            address: Intervals::range(u32::from(sub.usable.first), u32::from(sub.usable.last)),
            label: format!("a host in subnet `{}`", sub.name),
            endpoint: None,
            public: sub.public_ip_on_launch,
            span: sub.span,
        }
    }

    fn endpoint_enis(&self, e: EndpointId) -> Vec<Eni> {
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
                    address: addr(i.address),
                    label: format!(
                        "endpoint `{}` ({} in `{}`)",
                        ep.name,
                        i.address,
                        self.m.subnet(i.subnet).name
                    ),
                    endpoint: Some(e),
                    public: false,
                    span: ep.span,
                })
                .collect(),
            EndpointKind::Gateway { .. } => Vec::new(),
        }
    }

    fn sources(&self, end: &FlowEnd) -> Vec<Src> {
        match end {
            FlowEnd::Instance(i) => vec![Src::Eni(self.instance_eni(*i))],
            FlowEnd::Subnet(s) => vec![Src::Eni(self.subnet_eni(*s))],
            FlowEnd::External(x) => {
                let ext = self.m.external(*x);
                vec![Src::Outside {
                    space: Space::Set(cidrs(&ext.cidrs)),
                    label: format!("external `{}`", ext.name),
                }]
            }
            // An unknown address: only rules covering the whole internet
            // admit it (an external's rule does not).
            FlowEnd::Internet => vec![Src::Outside {
                space: Space::Opaque(Opaque::PublicIp("an internet address".to_string())),
                label: "the internet".to_string(),
            }],
            FlowEnd::InterfaceEndpoint(e) => {
                self.endpoint_enis(*e).into_iter().map(Src::Eni).collect()
            }
            FlowEnd::Service(_) => Vec::new(),
        }
    }

    fn vpc_of(&self, src: &Src) -> Option<VpcId> {
        match src {
            Src::Eni(e) => Some(self.m.subnet(e.subnet).vpc),
            Src::Outside { .. } => None,
        }
    }

    fn peered(&self, a: VpcId, b: VpcId) -> bool {
        self.m.peerings.iter().any(|p| p.other(a) == Some(b))
    }

    /// An interface as a destination seen from `from`: its private address
    /// from its VPC and peered VPCs, its public IP from elsewhere (and, from
    /// another VPC, its private address too, which that VPC's routes may
    /// try to reach through a peering).
    fn eni_dests(&self, eni: Eni, from: Option<VpcId>) -> Vec<Dest> {
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
            }];
            if sub.kind == crate::model::SubnetKind::Private {
                blockers.push(Blocker {
                    component: format!("subnet `{}`", sub.name),
                    reason: Reason::NatInbound,
                    detail: format!(
                        "{}; a NAT translates only connections opened from inside",
                        sub.kind_reason
                    ),
                    span: Some(sub.span),
                });
            }
            out.push(Dest::Unreachable(blockers));
        }
        if from.is_some() {
            out.push(Dest::Eni {
                eni,
                via_public: false,
            });
        }
        out
    }

    fn dests(
        &self,
        end: &FlowEnd,
        from: Option<VpcId>,
    ) -> (Vec<Dest>, Vec<Resolution>, Option<Blocker>) {
        let mut dns = Vec::new();
        let mut dns_blocker = None;
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
                    label: format!("external `{}`", ext.name),
                }]
            }
            FlowEnd::Internet => vec![Dest::Outside {
                space: Space::Set(self.internet.clone()),
                label: "the internet".to_string(),
            }],
            FlowEnd::Service(svc) => {
                let public = Dest::Outside {
                    space: Space::Opaque(Opaque::Service(svc.clone())),
                    label: format!("service {svc}"),
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
                                .filter_map(|x| x.address.first())
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
                        Err((why, span)) => {
                            dns.push(Resolution {
                                name: name.clone(),
                                answer: format!("public addresses of {svc}"),
                                why: why.clone(),
                            });
                            dns_blocker = Some(Blocker {
                                component: format!("DNS name {name}"),
                                reason: Reason::DnsPublic,
                                detail: format!("it resolves to public addresses: {why}"),
                                span,
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
    /// source's VPC, or why none does (and the setting to change).
    fn resolve_private(
        &self,
        svc: &str,
        from: Option<VpcId>,
    ) -> Result<EndpointId, (String, Option<Span>)> {
        let Some(v) = from else {
            return Err(("the client is outside every VPC".to_string(), None));
        };
        let vpc = self.m.vpc(v);
        let mut why = (
            format!("VPC `{}` has no interface endpoint for {svc}", vpc.name),
            Some(vpc.span),
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
                );
            } else if !vpc.dns_support || !vpc.dns_hostnames {
                why = (
                    format!(
                        "VPC `{}` needs dns_support and dns_hostnames on for private DNS",
                        vpc.name
                    ),
                    Some(vpc.span),
                );
            } else if !vpc.dhcp.uses_amazon_dns() {
                why = (
                    format!(
                        "the DHCP options of `{}` do not use AmazonProvidedDNS",
                        vpc.name
                    ),
                    vpc.dhcp.span.or(Some(vpc.span)),
                );
            } else {
                return Ok(EndpointId(u32::try_from(i).unwrap_or(u32::MAX)));
            }
        }
        Err(why)
    }

    // ----- legs -------------------------------------------------------

    fn leg(
        &self,
        from: &FlowEnd,
        to: &FlowEnd,
        traffic: &Traffic,
        via: &[ViaComponent],
        privately: bool,
    ) -> Leg {
        let mut best: Option<(Finished, Vec<Resolution>, Option<Blocker>)> = None;
        let mut best_key = None;
        for src in self.sources(from) {
            let (dests, dns, dns_blocker) = self.dests(to, self.vpc_of(&src));
            for dest in &dests {
                for f in self.run(&src, dest, traffic) {
                    let delivered = f.branch.reached && f.branch.blockers.is_empty();
                    let holds = delivered && qualifies(&f.branch, via, privately);
                    let key = (
                        holds,
                        delivered,
                        f.branch.reached,
                        f.branch.hops.len(),
                        usize::MAX - f.branch.blockers.len(),
                    );
                    if best_key.as_ref().is_none_or(|k| key > *k) {
                        best_key = Some(key);
                        best = Some((f, dns.clone(), dns_blocker.clone()));
                    }
                }
            }
        }
        let (from_label, to_label) = (end_label(self.m, from), end_label(self.m, to));
        let Some((f, dns, dns_blocker)) = best else {
            return Leg {
                from: from_label,
                to: to_label,
                delivered: false,
                holds: false,
                example: None,
                forward: Vec::new(),
                back: Vec::new(),
                dns: Vec::new(),
                blockers: vec![Blocker {
                    component: end_label(self.m, from),
                    reason: Reason::NoRoute,
                    detail: "it cannot open connections".to_string(),
                    span: None,
                }],
                crosses_internet_gateway: false,
                traversed: Vec::new(),
            };
        };
        let mut b = f.branch;
        let delivered = b.reached && b.blockers.is_empty();
        let mut holds = delivered;
        if privately && b.crosses_igw {
            holds = false;
            b.block(
                "the path",
                Reason::NotPrivate,
                "it crosses an internet gateway",
                b.igw_span,
            );
        }
        let mut missing = Vec::new();
        if !via_in_order(&b.traversed, via, &mut missing) {
            holds = false;
            for v in missing {
                b.block(
                    via_label(self.m, v),
                    Reason::ViaNotTraversed,
                    "the path does not go through it",
                    None,
                );
            }
        }
        if let Some(d) = dns_blocker
            && !holds
        {
            b.block(d.component.clone(), d.reason, d.detail.clone(), d.span);
        }
        let example = if delivered {
            self.example_text(&b)
        } else {
            None
        };
        Leg {
            from: from_label,
            to: to_label,
            delivered,
            holds,
            example,
            forward: b.hops,
            back: f.back,
            dns,
            blockers: b.blockers,
            crosses_internet_gateway: b.crosses_igw,
            traversed: b.traversed,
        }
    }

    fn run(&self, src: &Src, dest: &Dest, traffic: &Traffic) -> Vec<Finished> {
        let mut b = Branch::default();
        if let Dest::Unreachable(blockers) = dest {
            b.blockers = blockers.clone();
            return vec![Finished {
                branch: b,
                back: Vec::new(),
            }];
        }
        let dst0 = match dest {
            Dest::Eni {
                eni,
                via_public: false,
            } => Space::Set(eni.address.clone()),
            Dest::Eni {
                eni,
                via_public: true,
            } => Space::Opaque(Opaque::PublicIp(format!("the public IP of {}", eni.label))),
            Dest::Outside { space, .. } => space.clone(),
            Dest::Unreachable(_) => Space::Set(Intervals::empty()),
        };
        let branches = match src {
            Src::Eni(s) => {
                b.cubes = vec![Cube {
                    src: Space::Set(s.address.clone()),
                    dst: dst0.clone(),
                    traffic: traffic.clone(),
                }];
                let sub = self.m.subnet(s.subnet);
                b.hop(
                    s.label.clone(),
                    format!(
                        "opens {} from {} in subnet `{}`",
                        traffic.describe(),
                        self.desc(&Space::Set(s.address.clone())),
                        sub.name
                    ),
                    None,
                    Some(s.span),
                );
                b.traversed.push(ViaComponent::Subnet(s.subnet));
                if let Some(e) = s.endpoint {
                    b.traversed.push(ViaComponent::Endpoint(e));
                }
                self.sg(&mut b, &s.sgs, Direction::Out, s);
                match dest {
                    Dest::Eni {
                        eni,
                        via_public: false,
                    } if eni.subnet == s.subnet => {
                        b.hop(
                            format!("subnet `{}`", sub.name),
                            "same subnet: delivered directly, no route table or network ACL",
                            None,
                            None,
                        );
                        self.sg(&mut b, &eni.sgs, Direction::In, eni);
                        if let Some(e) = eni.endpoint {
                            b.traversed.push(ViaComponent::Endpoint(e));
                        }
                        self.reached(&mut b, eni);
                        vec![b]
                    }
                    _ => {
                        self.acl(&mut b, s.subnet, false);
                        let speaker = Speaker::Eni {
                            label: s.label.clone(),
                            public: s.public,
                            span: Some(s.span),
                        };
                        self.route(b, s.subnet, &speaker, dest)
                    }
                }
            }
            Src::Outside { space, label } => {
                b.cubes = vec![Cube {
                    src: space.clone(),
                    dst: dst0,
                    traffic: traffic.clone(),
                }];
                b.hop(
                    label.clone(),
                    format!("opens {} from {}", traffic.describe(), self.desc(space)),
                    None,
                    None,
                );
                self.on_internet(b, dest)
            }
        };
        branches.into_iter().map(|b| self.finish(b)).collect()
    }

    fn reached(&self, b: &mut Branch, eni: &Eni) {
        let at = b
            .cubes
            .first()
            .map(|c| self.desc(&c.dst))
            .unwrap_or_default();
        let verb = if b.blockers.is_empty() {
            "receives it"
        } else {
            "would receive it"
        };
        b.hop(
            eni.label.clone(),
            format!("{verb} at {at}"),
            None,
            Some(eni.span),
        );
        b.reached = true;
    }

    // ----- filters ----------------------------------------------------

    fn sg_pattern(&self, peer: &SgPeer) -> Pattern {
        match peer {
            SgPeer::Cidr(n) => Pattern::of_set(net(*n), &self.internet),
            SgPeer::Internet => Pattern::everything(),
            SgPeer::External(x) => {
                Pattern::of_set(cidrs(&self.m.external(*x).cidrs), &self.internet)
            }
            SgPeer::Group(g) => Pattern {
                set: self.members(*g),
                services: Vec::new(),
                all_opaque: false,
            },
            SgPeer::Service(s) => Pattern {
                set: Intervals::empty(),
                services: vec![s.clone()],
                all_opaque: false,
            },
        }
    }

    /// The private addresses of a group's members.
    fn members(&self, g: SecurityGroupId) -> Intervals {
        let mut ranges = Vec::new();
        for i in &self.m.instances {
            if i.security_groups.contains(&g) {
                ranges.push((u32::from(i.address), u32::from(i.address)));
            }
        }
        for e in &self.m.endpoints {
            if let EndpointKind::Interface {
                interfaces,
                security_groups,
                ..
            } = &e.kind
                && security_groups.contains(&g)
            {
                ranges.extend(
                    interfaces
                        .iter()
                        .map(|x| (u32::from(x.address), u32::from(x.address))),
                );
            }
        }
        Intervals::from_ranges(ranges)
    }

    fn sg_peer_text(&self, peer: &SgPeer) -> String {
        match peer {
            SgPeer::Cidr(n) => n.to_string(),
            SgPeer::Internet => "internet".to_string(),
            SgPeer::External(x) => self.m.external(*x).name.clone(),
            SgPeer::Group(g) => self.m.security_group(*g).name.clone(),
            SgPeer::Service(s) => format!("service {s}"),
        }
    }

    fn sg_rule_text(&self, r: &SgRule) -> String {
        let (dir, prep) = match r.direction {
            Direction::In => ("ingress", "from"),
            Direction::Out => ("egress", "to"),
        };
        format!(
            "{dir} {}{} {prep} {}",
            r.protocol.as_str(),
            ports_text(r.ports),
            self.sg_peer_text(&r.peer)
        )
    }

    /// Security group egress (`Out`) or ingress (`In`) of an interface.
    fn sg(&self, b: &mut Branch, sgs: &Option<Vec<SecurityGroupId>>, dir: Direction, owner: &Eni) {
        let Some(sgs) = sgs else {
            b.hop(owner.label.clone(), "allow-all security group", None, None);
            return;
        };
        let mut passed = Vec::new();
        let mut rules_used: Vec<String> = Vec::new();
        for &g in sgs {
            let sg = self.m.security_group(g);
            let mut rules: Vec<(RuleMatch, String)> = Vec::new();
            if dir == Direction::Out && sg.default_egress {
                rules.push((
                    RuleMatch {
                        src: Pattern::everything(),
                        dst: Pattern::everything(),
                        traffic: Traffic::all(),
                    },
                    format!("`{}`: all egress (no egress statement)", sg.name),
                ));
            }
            for r in sg.rules.iter().filter(|r| r.direction == dir) {
                let peer = self.sg_pattern(&r.peer);
                let traffic = Traffic::of(Some(r.protocol), r.ports);
                let m = match dir {
                    Direction::In => RuleMatch {
                        src: peer,
                        dst: Pattern::everything(),
                        traffic,
                    },
                    Direction::Out => RuleMatch {
                        src: Pattern::everything(),
                        dst: peer,
                        traffic,
                    },
                };
                let text = match r.span {
                    Some(_) => format!("`{}`: {}", sg.name, self.sg_rule_text(r)),
                    None => format!("`{}`: all traffic from members of `{}`", sg.name, sg.name),
                };
                rules.push((m, text));
            }
            for (m, text) in rules {
                let mut hit_any = false;
                for c in &b.cubes {
                    if let (Some(hit), _) = m.split(c) {
                        passed.push(hit);
                        hit_any = true;
                    }
                }
                if hit_any && !rules_used.contains(&text) {
                    rules_used.push(text);
                }
            }
        }
        let names: Vec<String> = sgs
            .iter()
            .map(|g| format!("`{}`", self.m.security_group(*g).name))
            .collect();
        let what = format!("security group {}", names.join(", "));
        let (word, reason) = match dir {
            Direction::In => ("ingress", Reason::SgIngress),
            Direction::Out => ("egress", Reason::SgEgress),
        };
        let passed = normalize(passed);
        if passed.is_empty() {
            let detail = format!(
                "no {word} rule allows {}",
                self.cubes_text(&b.cubes, dir == Direction::In)
            );
            let span = sgs
                .iter()
                .find_map(|g| self.m.security_group(*g).span)
                .or(Some(owner.span));
            let written: Vec<String> = sgs
                .iter()
                .flat_map(|g| {
                    self.m
                        .security_group(*g)
                        .rules
                        .iter()
                        .filter(|r| r.direction == dir && r.span.is_some())
                })
                .map(|r| self.sg_rule_text(r))
                .collect();
            let rules = if written.is_empty() {
                format!("no {word} rules")
            } else {
                format!("its {word} rules: {}", written.join("; "))
            };
            b.hop(what.clone(), format!("{word}: DENIED"), Some(rules), span);
            b.block(what, reason, detail, span);
        } else {
            b.hop(
                what,
                format!(
                    "{word}: allows {}",
                    self.cubes_text(&passed, dir == Direction::In)
                ),
                Some(rules_used.join("; ")),
                None,
            );
            b.cubes = passed;
        }
    }

    fn acl_rule_text(&self, r: &AclRule, inbound: bool) -> String {
        format!(
            "{} {} {} {}{} {} {}",
            if inbound { "inbound" } else { "outbound" },
            r.number,
            if r.allow { "allow" } else { "deny" },
            r.protocol.as_str(),
            ports_text(r.ports),
            if inbound { "from" } else { "to" },
            r.peer_text
        )
    }

    /// First-match evaluation of one direction of an ACL over cubes:
    /// the cubes it admits, the rules that allowed and the rules that
    /// denied something.
    fn eval_acl(&self, acl: &NetworkAcl, inbound: bool, cubes: &[Cube]) -> AclOutcome {
        let rules = if inbound { &acl.inbound } else { &acl.outbound };
        let matches: Vec<(RuleMatch, bool)> = rules
            .iter()
            .map(|r| {
                let peer = Pattern::of_set(cidrs(&r.cidrs), &self.internet);
                let traffic = Traffic::of(Some(r.protocol), r.ports);
                let m = if inbound {
                    RuleMatch {
                        src: peer,
                        dst: Pattern::everything(),
                        traffic,
                    }
                } else {
                    RuleMatch {
                        src: Pattern::everything(),
                        dst: peer,
                        traffic,
                    }
                };
                (m, r.allow)
            })
            .collect();
        let (passed, hit, rest) = first_match(&matches, cubes);
        let (mut allowed, mut denied) = (Vec::new(), Vec::new());
        for (r, _) in rules.iter().zip(&hit).filter(|(_, h)| **h) {
            let text = if acl.default {
                format!("rule {} allows all traffic (default ACL)", r.number)
            } else {
                self.acl_rule_text(r, inbound)
            };
            if r.allow {
                allowed.push(text);
            } else {
                denied.push((text, r.span));
            }
        }
        if !rest.is_empty() {
            denied.push((
                "no rule matches, so the final * rule denies".to_string(),
                acl.span,
            ));
        }
        (passed, allowed, denied)
    }

    fn acl_label(&self, subnet: SubnetId) -> (String, Option<Span>) {
        let sub = self.m.subnet(subnet);
        let acl = self.m.network_acl(sub.network_acl);
        (
            format!("network ACL `{}` of subnet `{}`", acl.name, sub.name),
            acl.span.or(Some(sub.span)),
        )
    }

    /// The subnet's ACL, inbound (`entering`) or outbound.
    fn acl(&self, b: &mut Branch, subnet: SubnetId, entering: bool) {
        let acl = self.m.network_acl(self.m.subnet(subnet).network_acl);
        let (label, span) = self.acl_label(subnet);
        let (passed, allowed, denied) = self.eval_acl(acl, entering, &b.cubes);
        let word = if entering { "inbound" } else { "outbound" };
        if passed.is_empty() {
            let (why, why_span) = denied.first().cloned().unwrap_or_default();
            let reason = if entering {
                Reason::AclInbound
            } else {
                Reason::AclOutbound
            };
            b.hop(
                label.clone(),
                format!("{word}: DENIED"),
                Some(why.clone()),
                why_span.or(span),
            );
            let detail = deny_text(&why, &self.cubes_text(&b.cubes, entering));
            b.block(label, reason, detail, why_span.or(span));
            b.ret.push(RetItem::Acl {
                subnet,
                entering,
                cubes: b.cubes.clone(),
            });
        } else {
            b.hop(
                label,
                format!("{word}: allows {}", self.cubes_text(&passed, entering)),
                Some(allowed.join("; ")),
                None,
            );
            b.ret.push(RetItem::Acl {
                subnet,
                entering,
                cubes: passed.clone(),
            });
            b.cubes = passed;
        }
    }

    fn cubes_text(&self, cubes: &[Cube], from_side: bool) -> String {
        let Some(c) = cubes.first() else {
            return "nothing".to_string();
        };
        let more = if cubes.len() > 1 { " (and more)" } else { "" };
        if from_side {
            format!("{} from {}{more}", c.traffic.describe(), self.desc(&c.src))
        } else {
            format!("{} to {}{more}", c.traffic.describe(), self.desc(&c.dst))
        }
    }

    // ----- routing ----------------------------------------------------

    fn route_pattern(r: &Route) -> Pattern {
        match r.destination {
            Destination::Cidr(n) => Pattern {
                set: net(n),
                services: Vec::new(),
                all_opaque: n.prefix_len() == 0,
            },
            Destination::PrefixList(s) => Pattern {
                set: Intervals::empty(),
                services: vec![s.as_str().to_string()],
                all_opaque: false,
            },
        }
    }

    /// Splits cubes by the route each destination takes (`None`: no route).
    fn partition(
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

    fn table_label(&self, subnet: SubnetId) -> (String, Option<Span>) {
        let sub = self.m.subnet(subnet);
        let t = self.m.route_table(sub.route_table);
        let implicit = if t.span.is_none() {
            " (implicit main table)"
        } else {
            ""
        };
        (
            format!(
                "route table `{}` of subnet `{}`{implicit}",
                t.name, sub.name
            ),
            t.span.or(Some(sub.span)),
        )
    }

    fn route(&self, b: Branch, subnet: SubnetId, speaker: &Speaker, dest: &Dest) -> Vec<Branch> {
        let sub = self.m.subnet(subnet);
        let table = self.m.route_table(sub.route_table);
        let (label, tspan) = self.table_label(subnet);
        let mut out = Vec::new();
        for (idx, cubes) in self.partition(&table.routes, &b.cubes, false) {
            let mut nb = b.clone();
            nb.cubes = cubes;
            nb.traversed.push(ViaComponent::RouteTable(sub.route_table));
            let dst = nb
                .cubes
                .first()
                .map(|c| self.desc(&c.dst))
                .unwrap_or_default();
            let Some(i) = idx else {
                nb.hop(
                    label.clone(),
                    format!("no route for {dst}: DROPPED"),
                    None,
                    tspan,
                );
                nb.block(
                    label.clone(),
                    Reason::NoRoute,
                    format!("no route matches {dst}"),
                    tspan,
                );
                out.push(nb);
                continue;
            };
            let r = table.routes[i];
            let rule = format!(
                "{} → {}",
                dest_text(r.destination),
                self.m.target_name(r.target)
            );
            nb.hop(
                label.clone(),
                format!(
                    "{dst} matches {} → {}",
                    dest_text(r.destination),
                    self.m.target_label(r.target)
                ),
                Some(rule),
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

    fn dispatch(
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
                    let label = format!("VPC `{}`", self.m.vpc(v).name);
                    b.block(label, Reason::NotInVpc, "the local route covers the destination address, but the destination is not in this VPC", r.span);
                    vec![b]
                }
            },
            Target::Blackhole => {
                b.block(
                    format!("route {}", dest_text(r.destination)),
                    Reason::Blackhole,
                    "the route is a blackhole: traffic is dropped",
                    r.span,
                );
                vec![b]
            }
            Target::InternetGateway(g) => {
                let igw = self.m.internet_gateway(g);
                let label = format!("internet gateway `{}`", igw.name);
                b.traversed.push(ViaComponent::InternetGateway(g));
                b.crosses_igw = true;
                b.igw_span = b.igw_span.or(r.span);
                let public = match speaker {
                    Speaker::Eni {
                        label: who,
                        public,
                        span,
                    } => {
                        if !public {
                            b.block(
                                who.clone(),
                                Reason::NoPublicIp,
                                format!(
                                    "it has no public IP, so {label} does not carry its traffic"
                                ),
                                *span,
                            );
                        }
                        format!("the public IP of {who}")
                    }
                    Speaker::Nat(n) => {
                        let nat = self.m.nat_gateway(*n);
                        if nat.private {
                            b.block(
                                format!("NAT gateway `{}`", nat.name),
                                Reason::PrivateNat,
                                format!("a private NAT gateway has no Elastic IP: {label} drops its traffic"),
                                Some(nat.span),
                            );
                        }
                        format!("the Elastic IP of NAT gateway `{}`", nat.name)
                    }
                    Speaker::NatInstance(i) => {
                        let inst = self.m.instance(*i);
                        if !inst.public_ip {
                            b.block(
                                format!("instance `{}`", inst.name),
                                Reason::NoPublicIp,
                                format!("the NAT instance has no public IP, so {label} does not carry its traffic"),
                                Some(inst.span),
                            );
                        }
                        format!("the public IP of instance `{}`", inst.name)
                    }
                };
                // Private destinations are never carried.
                let mut kept = Vec::new();
                for c in &b.cubes {
                    match &c.dst {
                        Space::Set(s) => {
                            let left = s.subtract(&private_space());
                            if !left.is_empty() {
                                kept.push(Cube {
                                    dst: Space::Set(left),
                                    ..c.clone()
                                });
                            }
                        }
                        Space::Opaque(_) => kept.push(c.clone()),
                    }
                }
                if kept.is_empty() {
                    let dst = b
                        .cubes
                        .first()
                        .map(|c| self.desc(&c.dst))
                        .unwrap_or_default();
                    b.block(
                        label,
                        Reason::PrivateAddress,
                        format!("it never carries traffic to private addresses such as {dst}"),
                        r.span,
                    );
                    return vec![b];
                }
                let from = kept.first().map(|c| self.desc(&c.src)).unwrap_or_default();
                b.hop(
                    label.clone(),
                    format!("translates source {from} to {public}"),
                    None,
                    Some(igw.span),
                );
                b.ret.push(RetItem::Hop(Hop {
                    component: label,
                    decision: format!(
                        "translates the reply's destination, {public}, back to {from}"
                    ),
                    rule: None,
                    span: None,
                }));
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
                let label = format!("NAT gateway `{}`", nat.name);
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
                b.ret.push(RetItem::Hop(Hop {
                    component: label,
                    decision: format!(
                        "translates the reply's destination {} back to {from}",
                        nat.address
                    ),
                    rule: None,
                    span: None,
                }));
                if b.first_src.is_none() {
                    b.first_src = b.cubes.first().map(|c| c.src.clone());
                }
                b.cubes = normalize(
                    b.cubes
                        .into_iter()
                        .map(|c| Cube {
                            src: Space::Set(addr(nat.address)),
                            ..c
                        })
                        .collect(),
                );
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
                    );
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
                b.ret.push(RetItem::Hop(Hop {
                    component: eni.label.clone(),
                    decision: format!(
                        "translates the reply's destination {} back to {from}",
                        inst.address
                    ),
                    rule: None,
                    span: None,
                }));
                if b.first_src.is_none() {
                    b.first_src = b.cubes.first().map(|c| c.src.clone());
                }
                b.cubes = normalize(
                    b.cubes
                        .into_iter()
                        .map(|c| Cube {
                            src: Space::Set(addr(inst.address)),
                            ..c
                        })
                        .collect(),
                );
                self.sg(&mut b, &eni.sgs, Direction::Out, &eni);
                self.acl(&mut b, inst.subnet, false);
                self.route(b, inst.subnet, &Speaker::NatInstance(i), dest)
            }
            Target::Peering(p) => {
                let peering = self.m.peering(p);
                let label = format!("peering `{}`", peering.name);
                b.traversed.push(ViaComponent::Peering(p));
                let Some(other) = peering.other(vpc) else {
                    return vec![b];
                };
                let (here, there) = (
                    cidrs(&self.m.vpc(vpc).cidrs),
                    cidrs(&self.m.vpc(other).cidrs),
                );
                let mut kept = Vec::new();
                for c in &b.cubes {
                    if let (Space::Set(s), Space::Set(d)) = (&c.src, &c.dst) {
                        let (s, d) = (s.intersect(&here), d.intersect(&there));
                        if !s.is_empty() && !d.is_empty() {
                            kept.push(Cube {
                                src: Space::Set(s),
                                dst: Space::Set(d),
                                traffic: c.traffic.clone(),
                            });
                        }
                    }
                }
                let other_name = &self.m.vpc(other).name;
                if kept.is_empty() {
                    let dst = b
                        .cubes
                        .first()
                        .map(|c| self.desc(&c.dst))
                        .unwrap_or_default();
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
                    );
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
                    ),
                }
                vec![b]
            }
            Target::GatewayEndpoint(e) => {
                let ep = self.m.endpoint(e);
                b.traversed.push(ViaComponent::Endpoint(e));
                b.hop(
                    format!("gateway endpoint `{}`", ep.name),
                    format!("delivers to {} inside the AWS network", ep.service),
                    None,
                    Some(ep.span),
                );
                match dest {
                    Dest::Outside { label, .. } => {
                        b.hop(label.clone(), "receives it".to_string(), None, None);
                        b.reached = true;
                    }
                    _ => b.block(
                        format!("gateway endpoint `{}`", ep.name),
                        Reason::NoRoute,
                        "the destination is not this service",
                        r.span,
                    ),
                }
                vec![b]
            }
        }
    }

    /// The reply must route back to `via` from the destination's subnet.
    fn return_route(&self, b: &mut Branch, subnet: SubnetId, via: Target) {
        let table = self.m.route_table(self.m.subnet(subnet).route_table);
        let (label, tspan) = self.table_label(subnet);
        let mut kept = Vec::new();
        let mut rule = None;
        for (idx, cubes) in self.partition(&table.routes, &b.cubes, true) {
            if let Some(i) = idx
                && table.routes[i].target == via
            {
                rule = Some(format!(
                    "{} → {}",
                    dest_text(table.routes[i].destination),
                    self.m.target_name(via)
                ));
                kept.extend(cubes);
            }
        }
        let src = b
            .cubes
            .first()
            .map(|c| self.desc(&c.src))
            .unwrap_or_default();
        if kept.is_empty() {
            b.block(
                label.clone(),
                Reason::NoReturnRoute,
                format!(
                    "replies to {src} have no route back to {}",
                    self.m.target_label(via)
                ),
                tspan,
            );
            b.ret.push(RetItem::Hop(Hop {
                component: label,
                decision: format!("no route back to {src}: DROPPED"),
                rule: None,
                span: tspan,
            }));
        } else {
            b.ret.push(RetItem::Hop(Hop {
                component: label,
                decision: format!(
                    "replies to {src} go back through {}",
                    self.m.target_label(via)
                ),
                rule,
                span: None,
            }));
            b.cubes = normalize(kept);
        }
    }

    fn arrive(&self, b: &mut Branch, eni: &Eni, from: Option<SubnetId>) {
        b.traversed.push(ViaComponent::Subnet(eni.subnet));
        if from != Some(eni.subnet) {
            self.acl(b, eni.subnet, true);
        }
        self.sg(b, &eni.sgs, Direction::In, eni);
        if let Some(e) = eni.endpoint {
            b.traversed.push(ViaComponent::Endpoint(e));
        }
        self.reached(b, eni);
    }

    fn on_internet(&self, mut b: Branch, dest: &Dest) -> Vec<Branch> {
        match dest {
            Dest::Outside { label, space } => {
                // Keep the destinations that are on the internet.
                let mut kept = Vec::new();
                for c in &b.cubes {
                    let (hit, _) = Pattern {
                        set: self.internet.clone(),
                        services: Vec::new(),
                        all_opaque: true,
                    }
                    .split(&c.dst);
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
                    );
                    return vec![b];
                }
                b.cubes = kept;
                let at = b
                    .cubes
                    .first()
                    .map(|c| self.desc(&c.dst))
                    .unwrap_or_default();
                b.hop(label.clone(), format!("receives it at {at}"), None, None);
                b.reached = true;
                vec![b]
            }
            Dest::Eni {
                eni,
                via_public: true,
            } => {
                let w = self.m.subnet(eni.subnet).vpc;
                let vpc = self.m.vpc(w);
                let Some(g) = vpc.internet_gateway else {
                    b.block(
                        format!("VPC `{}`", vpc.name),
                        Reason::NoInternetGateway,
                        format!(
                            "it has no internet gateway, so nothing reaches {} from the internet",
                            eni.label
                        ),
                        Some(vpc.span),
                    );
                    return vec![b];
                };
                let igw = self.m.internet_gateway(g);
                let label = format!("internet gateway `{}`", igw.name);
                b.traversed.push(ViaComponent::InternetGateway(g));
                b.crosses_igw = true;
                let private = self.desc(&Space::Set(eni.address.clone()));
                b.hop(
                    label.clone(),
                    format!(
                        "translates destination, the public IP of {}, to {private}",
                        eni.label
                    ),
                    None,
                    Some(igw.span),
                );
                b.ret.push(RetItem::Hop(Hop {
                    component: label,
                    decision: format!(
                        "translates the reply's source {private} back to the public IP of {}",
                        eni.label
                    ),
                    rule: None,
                    span: None,
                }));
                b.cubes = normalize(
                    b.cubes
                        .into_iter()
                        .map(|c| Cube {
                            dst: Space::Set(eni.address.clone()),
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
                );
                vec![b]
            }
            Dest::Unreachable(blockers) => {
                b.blockers.extend(blockers.iter().cloned());
                vec![b]
            }
        }
    }

    // ----- return traffic ---------------------------------------------

    fn finish(&self, b: Branch) -> Finished {
        let mut b = b;
        let mut back = Vec::new();
        if !b.reached {
            return Finished { branch: b, back };
        }
        let mut common: Option<Traffic> = None;
        let mut acls_seen = Vec::new();
        for item in b.ret.clone().into_iter().rev() {
            match item {
                RetItem::Hop(h) => {
                    if h.decision.ends_with("DROPPED") {
                        // Already a blocker.
                    }
                    back.push(h);
                }
                RetItem::Acl {
                    subnet,
                    entering,
                    cubes,
                } => {
                    let acl = self.m.network_acl(self.m.subnet(subnet).network_acl);
                    let replies: Vec<Cube> = cubes
                        .iter()
                        .map(|c| Cube {
                            src: c.dst.clone(),
                            dst: c.src.clone(),
                            traffic: c.traffic.replies(),
                        })
                        .collect();
                    let inbound = !entering;
                    let (passed, allowed, denied) = self.eval_acl(acl, inbound, &replies);
                    let (label, span) = self.acl_label(subnet);
                    let word = if inbound { "inbound" } else { "outbound" };
                    if passed.is_empty() {
                        let (why, why_span) = denied.first().cloned().unwrap_or_default();
                        back.push(Hop {
                            component: label.clone(),
                            decision: format!("{word}: DENIED"),
                            rule: Some(why.clone()),
                            span: why_span.or(span),
                        });
                        b.block(
                            label,
                            Reason::AclReturn,
                            format!(
                                "{}; ACLs are stateless",
                                deny_text(
                                    &why,
                                    &format!("the reply {}", self.cubes_text(&replies, inbound))
                                )
                            ),
                            why_span.or(span),
                        );
                        common = Some(Traffic::none());
                    } else {
                        let admitted = passed
                            .iter()
                            .fold(Traffic::none(), |t, c| t.union(&c.traffic));
                        back.push(Hop {
                            component: label.clone(),
                            decision: format!(
                                "{word}: allows the reply {}",
                                self.cubes_text(&passed, inbound)
                            ),
                            rule: Some(allowed.join("; ")),
                            span: None,
                        });
                        common = Some(match common {
                            Some(t) => t.intersect(&admitted),
                            None => admitted,
                        });
                        acls_seen.push((label, span));
                    }
                }
            }
        }
        if let Some(t) = common
            && t.is_empty()
            && !b.blockers.iter().any(|x| x.reason == Reason::AclReturn)
            && let Some((label, span)) = acls_seen.last().cloned()
        {
            b.block(
                label,
                Reason::AclReturn,
                "no ephemeral port (1024-65535) is admitted by every ACL on the way back",
                span,
            );
        }
        back.push(Hop {
            component: "security groups".to_string(),
            decision: "stateful: replies to an allowed connection are allowed".to_string(),
            rule: None,
            span: None,
        });
        Finished { branch: b, back }
    }
}

/// "no rule allows X (the final * rule denies it)" or "`RULE` denies X".
fn deny_text(why: &str, what: &str) -> String {
    if why.starts_with("no rule matches") {
        format!("no rule allows {what} (the final * rule denies it)")
    } else {
        format!("`{why}` denies {what}")
    }
}

fn ports_text(p: Option<(u16, u16)>) -> String {
    match p {
        Some((a, b)) if a == b => format!(" {a}"),
        Some((a, b)) => format!(" {a}-{b}"),
        None => String::new(),
    }
}

/// Whether the path satisfies `via` (in order) and `privately`.
fn qualifies(b: &Branch, via: &[ViaComponent], privately: bool) -> bool {
    !(privately && b.crosses_igw) && via_in_order(&b.traversed, via, &mut Vec::new())
}

/// Whether `via` is a subsequence of `traversed`; collects the ones
/// missing.
fn via_in_order(
    traversed: &[ViaComponent],
    via: &[ViaComponent],
    missing: &mut Vec<ViaComponent>,
) -> bool {
    let mut pos = 0;
    let mut ok = true;
    for v in via {
        match traversed.iter().skip(pos).position(|t| t == v) {
            Some(p) => pos += p + 1,
            None => {
                ok = false;
                missing.push(*v);
            }
        }
    }
    ok
}
