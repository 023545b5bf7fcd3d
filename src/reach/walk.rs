//! The path walk: one branch per route decision, filters over cube sets.

use std::net::Ipv4Addr;

use super::sets::{
    Cube, Intervals, Opaque, Pattern, Set, Space, Traffic, all_addresses, cidrs, cidrs6,
    describe_space, internet6, net, private_space,
};
use super::{
    Blocker, Component, ComponentKind, Hop, Leg, Location, Query, Reason, Resolution, RouteUsed,
    Verdict, end_component, end_label, end_name, via_label,
};
use crate::model::{
    EndpointId, ExternalId, FlowEnd, InstanceId, Model, NatGatewayId, SecurityGroupId, SubnetId,
    Target, TgwAttachmentId, TgwAttachmentKind, ViaComponent,
};
use crate::source::Span;
use crate::syntax::ast::Direction;

pub(super) fn reach(ctx: &Ctx<'_>, q: &Query) -> Verdict {
    let traffic = Traffic::of(q.protocol, q.ports);
    // Jump hosts: instances in `via` that are not route targets on the
    // direct path (a NAT instance or appliance on it is a traversed hop).
    let on_path: Vec<ViaComponent> = if q.via.iter().any(|v| matches!(v, ViaComponent::Instance(_)))
    {
        ctx.leg(&q.source, &q.destination, &traffic, &[], q.privately)
            .traversed
    } else {
        Vec::new()
    };
    let is_target = |i: InstanceId| on_path.contains(&ViaComponent::Instance(i));
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

pub struct Ctx<'m> {
    pub(super) m: &'m Model,
    pub(super) internet: Intervals,
    /// The IPv6 internet: 2000::/3 but the VPCs' IPv6 blocks.
    pub(super) internet6: Set<u128>,
    /// The walk's address family: IPv6 packets (`expect … ipv6`, `reach
    /// --ipv6`) or IPv4 ones. The ends' addresses are of this family; the
    /// filters and routes of both are applied to every packet, each
    /// matching its own family only.
    pub(super) v6: bool,
    /// Security group members' addresses by group, computed on first use.
    pub(super) members: std::cell::OnceCell<Vec<Intervals>>,
    /// Their IPv6 addresses, likewise.
    pub(super) members6: std::cell::OnceCell<Vec<Set<u128>>>,
    /// Whether hops and blockers are worded (decisions, rule texts,
    /// details, fixes). A wordless walk decides the same and takes the
    /// same path through the same components; the matrix, which keeps
    /// only those, asks wordless.
    pub(super) words: bool,
}

/// Who sends the packet on a stretch: an internet gateway needs it to have
/// a public address.
#[derive(Clone, Debug)]
pub(super) enum Speaker {
    Eni {
        label: Component,
        public: bool,
        span: Option<Span>,
        at: Location,
    },
    Nat(NatGatewayId),
    NatInstance(InstanceId),
}

#[derive(Clone, Debug)]
pub(super) struct Eni {
    pub(super) subnet: SubnetId,
    /// `None`: an allow-all group (a host standing for a subnet).
    pub(super) sgs: Option<Vec<SecurityGroupId>>,
    /// Its addresses of the walk's family (`Space::Set` or `Set6`).
    pub(super) address: Space,
    /// `` instance `app` ``.
    pub(super) label: Component,
    pub(super) endpoint: Option<EndpointId>,
    pub(super) public: bool,
    pub(super) span: Span,
    /// The instance, subnet or endpoint interface it stands for.
    pub(super) at: Location,
}

#[derive(Clone, Debug)]
pub(super) enum Src {
    Eni(Eni),
    /// An external's CIDRs, or (the internet) one unknown internet address.
    Outside {
        space: Space,
        label: Component,
        /// An `on_premises` external: it enters by a VPN, never by an
        /// internet gateway.
        on_premises: Option<ExternalId>,
    },
}

#[derive(Clone, Debug)]
pub(super) enum Dest {
    /// An interface, at its private address or (`via_public`) its public IP.
    Eni { eni: Eni, via_public: bool },
    /// The internet, an external, a service's public or prefix-list addresses.
    Outside {
        space: Space,
        label: Component,
        at: Location,
    },
    /// Nothing to route to.
    Unreachable(Vec<Blocker>),
}

#[derive(Clone, Debug)]
pub(super) enum RetItem {
    /// An ACL the request crossed, the cubes that passed it, and whether
    /// the request was entering the subnet.
    Acl {
        subnet: SubnetId,
        entering: bool,
        cubes: Vec<Cube>,
    },
    Hop(Hop),
    /// A NAT (gateway or instance) rewrote the source port: the ACLs on
    /// either side see replies to different ephemeral ports, so each side
    /// needs only some port of its own (aws-facts: NAT uses 1024-65535).
    /// `decision` says how it translates the address back.
    PortRewrite {
        component: Component,
        decision: String,
    },
}

#[derive(Clone, Debug, Default)]
pub(super) struct Branch {
    pub(super) cubes: Vec<Cube>,
    pub(super) hops: Vec<Hop>,
    pub(super) ret: Vec<RetItem>,
    pub(super) blockers: Vec<Blocker>,
    pub(super) traversed: Vec<ViaComponent>,
    pub(super) visited: Vec<Target>,
    pub(super) crosses_igw: bool,
    pub(super) igw_span: Option<Span>,
    pub(super) reached: bool,
    /// The source before any translation.
    pub(super) first_src: Option<Space>,
    /// The transit gateway attachments the request has left by (a second
    /// time is a loop).
    pub(super) tgw_out: Vec<TgwAttachmentId>,
}

impl Branch {
    pub(super) fn hop(
        &mut self,
        component: Component,
        decision: impl Into<String>,
        rule: Option<String>,
        span: Option<Span>,
    ) {
        self.hops.push(Hop {
            component,
            decision: decision.into(),
            rule,
            span,
            route: None,
        });
    }

    /// A hop of the way back (the return is read back to front).
    pub(super) fn ret_hop(
        &mut self,
        component: Component,
        decision: impl Into<String>,
        span: Option<Span>,
    ) {
        self.ret.push(RetItem::Hop(Hop {
            component,
            decision: decision.into(),
            rule: None,
            span,
            route: None,
        }));
    }

    /// A route table's hop that names the route it chose.
    pub(super) fn route_hop(
        &mut self,
        component: Component,
        decision: String,
        route: RouteUsed,
        span: Option<Span>,
    ) {
        self.hop(component, decision, None, span);
        if let Some(h) = self.hops.last_mut() {
            h.route = Some(route);
        }
    }

    pub(super) fn block(
        &mut self,
        component: Component,
        reason: Reason,
        detail: impl Into<String>,
        span: Option<Span>,
        at: Location,
    ) {
        let b = Blocker {
            component,
            reason,
            detail: detail.into(),
            span,
            fix: None,
            at: Some(at),
        };
        // The same blocker twice (the same words) is one, wherever it was
        // found.
        let same = |x: &Blocker| {
            (&x.component, x.reason, &x.detail, x.span, &x.fix)
                == (&b.component, b.reason, &b.detail, b.span, &b.fix)
        };
        if !self.blockers.iter().any(same) {
            self.blockers.push(b);
        }
    }

    /// Attaches a fix to the last blocker.
    pub(super) fn fix(&mut self, fix: String) {
        if let Some(b) = self.blockers.last_mut() {
            b.fix = Some(fix);
        }
    }
}

/// Admitted cubes, the allowing rules' text, the denying rules' text and
/// spans.
pub(super) type AclOutcome = (Vec<Cube>, Vec<String>, Vec<(String, Option<Span>)>);

pub(super) struct Finished {
    pub(super) branch: Branch,
    pub(super) back: Vec<Hop>,
    /// The request traffic this branch delivers, port by port, when that
    /// is simply the traffic that arrived: every ACL on the way back saw
    /// one reply cube, so each arrived port's reply meets the same rules.
    pub(super) arrived: Option<Traffic>,
}

impl<'m> Ctx<'m> {
    pub(super) fn desc(&self, s: &Space) -> String {
        if let Space::Set(set) = s {
            if *set == self.internet {
                return "any internet address".to_string();
            }
            if set.ranges().len() > 2 && self.internet.contains_all(set) {
                return "internet addresses".to_string();
            }
        }
        if let Space::Set6(set) = s {
            if *set == self.internet6 {
                return "any IPv6 internet address".to_string();
            }
            if set.ranges().len() > 2 && self.internet6.contains_all(set) {
                return "IPv6 internet addresses".to_string();
            }
        }
        describe_space(s)
    }

    pub(super) fn one(&self, s: &Space) -> String {
        match s {
            Space::Set(set) if set.ranges().len() > 2 && self.internet.contains_all(set) => {
                "an internet address".to_string()
            }
            Space::Set(set) => self
                .host(set)
                .map_or_else(|| "nothing".to_string(), |a| Ipv4Addr::from(a).to_string()),
            Space::Set6(set) if set.ranges().len() > 2 && self.internet6.contains_all(set) => {
                "an IPv6 internet address".to_string()
            }
            Space::Set6(set) => set.first().map_or_else(
                || "nothing".to_string(),
                |a| std::net::Ipv6Addr::from(a).to_string(),
            ),
            Space::Opaque(_) => describe_space(s),
        }
    }

    /// The internet as a flow end, in the walk's family.
    pub(super) fn internet_space(&self) -> Space {
        if self.v6 {
            Space::Set6(self.internet6.clone())
        } else {
            Space::Set(self.internet.clone())
        }
    }

    /// What is on the internet, of both families (opaque addresses are).
    pub(super) fn internet_pattern(&self) -> Pattern {
        Pattern {
            set: self.internet.clone(),
            set6: self.internet6.clone(),
            services: Vec::new(),
            all_opaque: true,
        }
    }

    /// An example host of `set`: its first address, unless that is the
    /// network address of a block (an external's or a VPC's range, or any
    /// x.x.x.0) and the next address is in the set too.
    pub(super) fn host(&self, set: &Intervals) -> Option<u32> {
        let a = set.first()?;
        let is_block_base = |n: &ipnet::Ipv4Net| n.prefix_len() < 31 && u32::from(n.network()) == a;
        let network = a & 0xff == 0
            || self
                .m
                .externals
                .iter()
                .flat_map(|x| &x.cidrs)
                .any(is_block_base)
            || self.m.vpcs.iter().flat_map(|v| &v.cidrs).any(is_block_base);
        Some(if network && set.contains(a.wrapping_add(1)) {
            a.wrapping_add(1)
        } else {
            a
        })
    }

    pub(super) fn example_text(&self, b: &Branch) -> Option<String> {
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
        let every = |set: &Intervals| set.ranges() == [(0, 65535)];
        Some(match port {
            Some(_) if (proto == "tcp" && every(&t.tcp)) || (proto == "udp" && every(&t.udp)) => {
                format!("{proto} from {src} to {dst}, any port")
            }
            Some(p) => format!("{proto} from {src} to {dst} port {p}"),
            None => format!("{proto} from {src} to {dst}"),
        })
    }

    pub(super) fn new(m: &'m Model, v6: bool) -> Ctx<'m> {
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
        let mut internet6 = internet6();
        for v in &m.vpcs {
            internet6 = internet6.subtract(&cidrs6(&v.ipv6_cidrs));
        }
        Ctx {
            m,
            internet,
            internet6,
            v6,
            members: Default::default(),
            members6: Default::default(),
            words: true,
        }
    }

    /// The first destination of the branch's packets, in words.
    pub(super) fn first_dst(&self, b: &Branch) -> String {
        b.cubes
            .first()
            .map(|c| self.desc(&c.dst))
            .unwrap_or_default()
    }

    /// The branch's first source in words (whom a reply goes back to).
    pub(super) fn first_src(&self, b: &Branch) -> String {
        b.cubes
            .first()
            .map(|c| self.desc(&c.src))
            .unwrap_or_default()
    }

    /// `text()`, or an empty string in a wordless walk.
    pub(super) fn say(&self, text: impl FnOnce() -> String) -> String {
        if self.words { text() } else { String::new() }
    }

    pub(super) fn leg(
        &self,
        from: &FlowEnd,
        to: &FlowEnd,
        traffic: &Traffic,
        via: &[ViaComponent],
        privately: bool,
    ) -> Leg {
        let mut best: Option<(Finished, Vec<Resolution>, Option<Blocker>)> = None;
        let mut best_key = None;
        let missing6: Vec<Blocker> = if self.v6 {
            [from, to].iter().filter_map(|e| self.no_ipv6(e)).collect()
        } else {
            Vec::new()
        };
        if !missing6.is_empty() {
            return self.pathless_leg(from, to, missing6);
        }
        for src in self.sources(from) {
            let (mut dests, dns, dns_blocker) = self.dests(to, self.vpc_of(&src));
            // Over a VPN, on premises reaches private addresses.
            if let Src::Outside {
                on_premises: Some(_),
                ..
            } = src
            {
                dests = self.private_dests(to).unwrap_or(dests);
            }
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
        let (from_name, to_name) = (end_name(self.m, from), end_name(self.m, to));
        let Some((f, dns, dns_blocker)) = best else {
            let blocker = Blocker {
                component: end_component(self.m, from),
                reason: Reason::NoRoute,
                detail: "it cannot open connections".to_string(),
                span: None,
                fix: None,
                at: Some(Location::of_end(from)),
            };
            return self.pathless_leg(from, to, vec![blocker]);
        };
        let mut b = f.branch;
        let delivered = b.reached && b.blockers.is_empty();
        if !b.reached && b.blockers.is_empty() {
            b.block(
                end_component(self.m, to),
                Reason::NoRoute,
                "no path leads to it",
                None,
                Location::of_end(to),
            );
        }
        let mut holds = delivered;
        if privately && b.crosses_igw {
            holds = false;
            let igw = b
                .traversed
                .iter()
                .copied()
                .find(|v| matches!(v, ViaComponent::InternetGateway(_)));
            let igw_label = igw.map_or_else(
                || Component::unnamed(ComponentKind::InternetGateway),
                |v| via_label(self.m, v),
            );
            // Crossing an internet gateway always records it.
            let at = igw.map_or_else(|| Location::of_end(to), Location::from);
            b.block(
                igw_label,
                Reason::NotPrivate,
                "the path crosses it, and `privately` allows no internet gateway",
                b.igw_span,
                at,
            );
            // A gateway service goes private with a gateway endpoint on the
            // source's route table.
            if let FlowEnd::Service(svc) = to
                && crate::model::GatewayService::parse(svc).is_some()
                && let Some(ViaComponent::RouteTable(t)) = b
                    .traversed
                    .iter()
                    .find(|v| matches!(v, ViaComponent::RouteTable(_)))
            {
                let table = &self.m.route_table(*t).name;
                b.fix(format!(
                    "add `endpoint {svc}-gw gateway {svc} {{ route_tables [{table}] }}` to the VPC"
                ));
            }
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
                    v.into(),
                );
            }
        }
        if let Some(d) = dns_blocker
            && !holds
        {
            b.block(
                d.component.clone(),
                d.reason,
                d.detail.clone(),
                d.span,
                d.at.clone().unwrap_or_else(|| Location::of_end(to)),
            );
        }
        let example = if delivered {
            self.example_text(&b)
        } else {
            None
        };
        Leg {
            from: from_name,
            to: to_name,
            from_label,
            to_label,
            delivered,
            holds,
            example,
            forward: b.hops,
            back: f.back,
            dns,
            blockers: b.blockers,
            crosses_internet_gateway: b.crosses_igw,
            reached: b.reached,
            path: b.traversed.iter().map(|v| via_label(self.m, *v)).collect(),
            traversed: b.traversed,
            delivered_traffic: if delivered { f.arrived } else { None },
        }
    }

    /// A leg that never set out: no hop, only its blockers.
    fn pathless_leg(&self, from: &FlowEnd, to: &FlowEnd, blockers: Vec<Blocker>) -> Leg {
        Leg {
            from: end_name(self.m, from),
            to: end_name(self.m, to),
            from_label: end_label(self.m, from),
            to_label: end_label(self.m, to),
            delivered: false,
            holds: false,
            example: None,
            forward: Vec::new(),
            back: Vec::new(),
            dns: Vec::new(),
            blockers,
            crosses_internet_gateway: false,
            reached: false,
            path: Vec::new(),
            traversed: Vec::new(),
            delivered_traffic: None,
        }
    }

    pub(super) fn run(&self, src: &Src, dest: &Dest, traffic: &Traffic) -> Vec<Finished> {
        let mut b = Branch::default();
        if let Dest::Unreachable(blockers) = dest {
            b.blockers = blockers.clone();
            return vec![Finished {
                branch: b,
                back: Vec::new(),
                arrived: None,
            }];
        }
        let dst0 = match dest {
            Dest::Eni {
                eni,
                via_public: false,
            } => eni.address.clone(),
            // An IPv6 address is public itself: no translation.
            Dest::Eni {
                eni,
                via_public: true,
            } if self.v6 => eni.address.clone(),
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
                    src: s.address.clone(),
                    dst: dst0.clone(),
                    traffic: traffic.clone(),
                }];
                let sub = self.m.subnet(s.subnet);
                b.hop(
                    s.label.clone(),
                    format!(
                        "opens {} from {} in subnet `{}`",
                        traffic.describe(),
                        self.desc(&s.address),
                        sub.name
                    ),
                    None,
                    Some(s.span),
                );
                b.traversed.push(ViaComponent::Subnet(s.subnet));
                if let Some(e) = s.endpoint {
                    b.traversed.push(ViaComponent::Endpoint(e));
                    // The service behind an interface endpoint only
                    // answers connections; it never opens one into the
                    // VPC, whatever the groups allow (interface endpoints
                    // in AWS PrivateLink). The walk goes on to find the
                    // other blockers.
                    let ep = self.m.endpoint(e);
                    b.block(
                        s.label.clone(),
                        Reason::EndpointInboundOnly,
                        format!(
                            "the service behind it ({}) only answers connections from the VPC; it never opens one",
                            ep.service
                        ),
                        Some(ep.span),
                        s.at.clone(),
                    );
                }
                self.sg(&mut b, &s.sgs, Direction::Out, s);
                match dest {
                    Dest::Eni {
                        eni,
                        via_public: false,
                    } if eni.subnet == s.subnet => {
                        b.hop(
                            Component::new(ComponentKind::Subnet, &sub.name),
                            "same subnet: delivered directly, no route table or network ACL",
                            None,
                            None,
                        );
                        self.sg(&mut b, &eni.sgs, Direction::In, eni);
                        self.interface_endpoint_arrival(&mut b, eni);
                        self.reached(&mut b, eni);
                        vec![b]
                    }
                    _ => {
                        self.acl(&mut b, s.subnet, false);
                        let speaker = Speaker::Eni {
                            label: s.label.clone(),
                            public: s.public,
                            span: Some(s.span),
                            at: s.at.clone(),
                        };
                        self.route(b, s.subnet, &speaker, dest)
                    }
                }
            }
            Src::Outside {
                space,
                label,
                on_premises,
            } => {
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
                match on_premises {
                    None => self.on_internet(b, dest),
                    Some(x) => self.on_premises_source(b, *x, label, dest),
                }
            }
        };
        branches.into_iter().map(|b| self.finish(b)).collect()
    }

    /// On-premises traffic: into each transit gateway and virtual private
    /// gateway by the VPNs to `x`.
    fn on_premises_source(
        &self,
        mut b: Branch,
        x: ExternalId,
        label: &Component,
        dest: &Dest,
    ) -> Vec<Branch> {
        let vpns: Vec<TgwAttachmentId> = (0..self.m.tgw_attachments.len())
            .map(|i| TgwAttachmentId(i as u32))
            .filter(|a| {
                matches!(self.m.tgw_attachment(*a).kind,
                    TgwAttachmentKind::Vpn { external, .. } if external == x)
            })
            .collect();
        let vgw_vpns: Vec<(crate::model::VpnGatewayId, usize)> = self
            .m
            .vpn_gateways
            .iter()
            .enumerate()
            .flat_map(|(g, gw)| {
                gw.vpns
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.external == x)
                    .map(move |(i, _)| (crate::model::VpnGatewayId(g as u32), i))
            })
            .collect();
        if vpns.is_empty() && vgw_vpns.is_empty() {
            b.block(
                label.clone(),
                Reason::OnPremisesOnly,
                "no VPN connects it, and an on-premises network is reached over a VPN only",
                Some(self.m.external(x).span),
                Location::External(x),
            );
            return vec![b];
        }
        let speaker = Speaker::Eni {
            label: label.clone(),
            public: false,
            span: Some(self.m.external(x).span),
            at: Location::External(x),
        };
        let mut out: Vec<Branch> = vpns
            .into_iter()
            .flat_map(|a| self.tgw_from_vpn(b.clone(), a, &speaker, dest))
            .collect();
        for (g, i) in vgw_vpns {
            out.extend(self.vgw_from_vpn(b.clone(), g, i, dest));
        }
        out
    }

    pub(super) fn reached(&self, b: &mut Branch, eni: &Eni) {
        let at = self.first_dst(b);
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

    pub(super) fn finish(&self, b: Branch) -> Finished {
        let mut b = b;
        let mut back = Vec::new();
        if !b.reached {
            return Finished {
                branch: b,
                back,
                arrived: None,
            };
        }
        let mut common: Option<Traffic> = None;
        let mut acls_seen = Vec::new();
        // Only what arrives gets a reply: protocols and ports are never
        // translated, so narrow every recorded ACL crossing to them.
        let arrived = b
            .cubes
            .iter()
            .fold(Traffic::none(), |t, c| t.union(&c.traffic));
        let mut uniform = true;
        for item in b.ret.clone().into_iter().rev() {
            match item {
                RetItem::Hop(h) => back.push(h),
                RetItem::PortRewrite {
                    component,
                    decision,
                } => {
                    // The stretch from the destination to this NAT is
                    // done: it needs a port of its own, and the stretch
                    // from the NAT to the client starts afresh.
                    let ports = match common.take() {
                        Some(t) if t.is_empty() => {
                            self.no_common_port(&mut b, &acls_seen, Some(&component));
                            String::new()
                        }
                        Some(t) => format!(
                            " (the ACLs from here to the destination admit the reply to its port at {})",
                            t.describe()
                        ),
                        None => String::new(),
                    };
                    back.push(Hop {
                        component,
                        decision: format!(
                            "{decision}, and its own port back to the client's{ports}"
                        ),
                        rule: None,
                        span: None,
                        route: None,
                    });
                    acls_seen.clear();
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
                            traffic: c.traffic.intersect(&arrived).replies(),
                        })
                        .filter(|c| !c.is_empty())
                        .collect();
                    uniform &= replies.len() <= 1;
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
                            route: None,
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
                            Location::Subnet(subnet),
                        );
                        b.fix(self.acl_fix(subnet, inbound, &replies));
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
                            route: None,
                        });
                        common = Some(match common {
                            Some(t) => t.intersect(&admitted),
                            None => admitted,
                        });
                        acls_seen.push((label, span, subnet));
                    }
                }
            }
        }
        if common.as_ref().is_some_and(Traffic::is_empty) {
            self.no_common_port(&mut b, &acls_seen, None);
        }
        back.push(Hop {
            component: Component::unnamed(ComponentKind::SecurityGroups),
            decision: "stateful: replies to an allowed connection are allowed".to_string(),
            rule: None,
            span: None,
            route: None,
        });
        Finished {
            branch: b,
            back,
            arrived: uniform.then_some(arrived),
        }
    }
}

impl Ctx<'_> {
    /// ACL_RETURN when each ACL of a stretch of the way back admits some
    /// reply port but no port passes them all. `nat` ends the stretch
    /// (the reply's destination port is the NAT's own there).
    fn no_common_port(
        &self,
        b: &mut Branch,
        acls_seen: &[(Component, Option<Span>, SubnetId)],
        nat: Option<&Component>,
    ) {
        if b.blockers.iter().any(|x| x.reason == Reason::AclReturn) {
            return;
        }
        let Some((label, span, subnet)) = acls_seen.last().cloned() else {
            return;
        };
        let stretch = match nat {
            Some(n) => format!("between the destination and {n} (the reply to the NAT's port)"),
            None => "on the way back to the client".to_string(),
        };
        b.block(
            label,
            Reason::AclReturn,
            format!("no ephemeral port (1024-65535) is admitted by every ACL {stretch}"),
            span,
            Location::Subnet(subnet),
        );
    }
}

/// "no rule allows X (the final * rule denies it)" or "`RULE` denies X".
pub(super) fn deny_text(why: &str, what: &str) -> String {
    if why.starts_with("the final * rule") {
        format!("no rule allows {what} (the final * rule denies it)")
    } else {
        format!("`{why}` denies {what}")
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
