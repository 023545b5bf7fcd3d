//! Which matrix cells cannot deliver anything, decided without a walk.
//!
//! Every packet an instance sends leaves through its security groups'
//! egress rules, and every packet an instance receives enters through its
//! groups' ingress rules; routes, gateways and translations on the way
//! never change a packet's protocol or destination port. So a flow from
//! `S` to `D` needs one egress rule of `S` that can match a packet to `D`
//! and one ingress rule of `D` that can match a packet from `S`, on a
//! common protocol and port. When no such pair exists, the engine's walk
//! of the cell is certain to deliver nothing, and the matrix need not ask.
//!
//! "Can match" is decided conservatively, the way [`crate::reach`] matches
//! rules on addresses:
//!
//! - a rule naming a group matches the private addresses of its members
//!   (instances and interface endpoint interfaces). Egress to `D`: the
//!   packet's destination is `D`'s own address (private, or its opaque
//!   public one, which no group holds). Ingress from `S`: the packet's
//!   source is `S`'s own address, or a translator's (a NAT gateway, an
//!   instance some route targets), so a group holding a translator is
//!   taken to match every source;
//! - every other peer (a CIDR, `internet`, an external, a prefix list, a
//!   service) is taken to match anything;
//! - a group with no `egress` statement allows all egress.
//!
//! The filter may keep a cell that delivers nothing (the walk then says
//! so); it never drops one that delivers. `tests` check both claims on
//! every pair of every example and of generated networks: every dropped
//! cell's walk delivers nothing, and the filter drops most blocked cells.

use std::collections::HashMap;

use super::matrix::PortSet;
use crate::model::{FlowEnd, InstanceId, Model, SecurityGroupId, SgPeer};
use crate::syntax::ast::{Direction, ProtocolKind};

/// The packets a matrix computation is about: every packet, or (for the
/// diff of a change to security group rules) those the changed rules
/// match, since every other packet fares alike in both models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    /// Sorted, disjoint port ranges per protocol.
    pub tcp: PortSet,
    pub udp: PortSet,
    pub icmp: bool,
}

impl Focus {
    /// Every packet.
    pub fn all() -> Focus {
        Focus {
            tcp: vec![(0, 65535)],
            udp: vec![(0, 65535)],
            icmp: true,
        }
    }

    /// No packet.
    pub fn none() -> Focus {
        Focus {
            tcp: Vec::new(),
            udp: Vec::new(),
            icmp: false,
        }
    }

    pub fn is_all(&self) -> bool {
        *self == Focus::all()
    }

    /// Adds the packets a rule of `protocol` on `ports` matches.
    pub fn add(&mut self, protocol: ProtocolKind, ports: Option<(u16, u16)>) {
        let range = ports.unwrap_or((0, 65535));
        match protocol {
            ProtocolKind::Tcp => add_range(&mut self.tcp, range),
            ProtocolKind::Udp => add_range(&mut self.udp, range),
            ProtocolKind::Icmp => self.icmp = true,
            ProtocolKind::All => *self = Focus::all(),
        }
    }

    /// The port ranges of a protocol (tcp or udp) in the focus.
    pub fn ports(&self, protocol: ProtocolKind) -> &PortSet {
        match protocol {
            ProtocolKind::Udp => &self.udp,
            _ => &self.tcp,
        }
    }

    /// Whether a packet of `protocol` to a port in `range` (icmp: any) is
    /// in the focus.
    fn holds(&self, protocol: ProtocolKind, range: (u16, u16)) -> bool {
        match protocol {
            ProtocolKind::Icmp => self.icmp,
            p => self
                .ports(p)
                .iter()
                .any(|&(a, b)| a <= range.1 && range.0 <= b),
        }
    }
}

/// Adds a range to sorted, disjoint ranges, joining neighbours.
pub(super) fn add_range(set: &mut PortSet, r: (u16, u16)) {
    set.push(r);
    set.sort_unstable();
    let mut out: PortSet = Vec::with_capacity(set.len());
    for &(a, b) in set.iter() {
        match out.last_mut() {
            Some(last) if u32::from(a) <= u32::from(last.1) + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    *set = out;
}

/// One rule as the filter sees it: its traffic, and the group it names
/// (`None`: a peer taken to match anything).
#[derive(Clone, Copy, Debug)]
struct Rule {
    protocol: ProtocolKind,
    ports: (u16, u16),
    group: Option<SecurityGroupId>,
}

impl Rule {
    fn of(protocol: ProtocolKind, ports: Option<(u16, u16)>, peer: &SgPeer) -> Rule {
        Rule {
            protocol,
            ports: ports.unwrap_or((0, 65535)),
            group: match peer {
                SgPeer::Group(g) => Some(*g),
                _ => None,
            },
        }
    }

    /// Whether some packet both rules match is in the focus.
    fn meets(&self, other: &Rule, focus: &Focus) -> bool {
        let both = |p: ProtocolKind| {
            [self.protocol, other.protocol]
                .iter()
                .all(|q| *q == p || *q == ProtocolKind::All)
        };
        [ProtocolKind::Tcp, ProtocolKind::Udp, ProtocolKind::Icmp]
            .into_iter()
            .filter(|p| both(*p))
            .any(|p| {
                let (a, b) = (
                    self.ports.0.max(other.ports.0),
                    self.ports.1.min(other.ports.1),
                );
                p == ProtocolKind::Icmp && focus.icmp
                    || p != ProtocolKind::Icmp && a <= b && focus.holds(p, (a, b))
            })
    }

    /// Whether some packet of the rule is in the focus.
    fn in_focus(&self, focus: &Focus) -> bool {
        let any = Rule {
            protocol: ProtocolKind::All,
            ports: (0, 65535),
            group: None,
        };
        self.meets(&any, focus)
    }
}

/// The filter of one model.
pub struct Prune {
    /// Per instance: its groups' egress and ingress rules.
    egress: Vec<Vec<Rule>>,
    ingress: Vec<Vec<Rule>>,
    /// Per instance: the groups whose members include its address (its
    /// own, and any other interface's at the same address).
    groups_at: Vec<Vec<SecurityGroupId>>,
    /// Groups holding a translator's address: they may match any source.
    translator_groups: Vec<bool>,
    focus: Focus,
}

impl Prune {
    pub fn new(m: &Model, focus: Focus) -> Prune {
        let rules = |g: SecurityGroupId, dir: Direction| -> Vec<Rule> {
            let sg = m.security_group(g);
            let mut out: Vec<Rule> = sg
                .rules
                .iter()
                .filter(|r| r.direction == dir)
                .map(|r| Rule::of(r.protocol, r.ports, &r.peer))
                .collect();
            if dir == Direction::Out && sg.default_egress {
                out.push(Rule::of(ProtocolKind::All, None, &SgPeer::Internet));
            }
            out
        };
        let of_groups = |i: &crate::model::Instance, dir: Direction| -> Vec<Rule> {
            i.security_groups
                .iter()
                .flat_map(|g| rules(*g, dir))
                .collect()
        };
        // Every interface address with the groups it is a member of.
        let mut at: HashMap<std::net::Ipv4Addr, Vec<SecurityGroupId>> = HashMap::new();
        for i in &m.instances {
            at.entry(i.address)
                .or_default()
                .extend(i.security_groups.iter().copied());
        }
        for e in &m.endpoints {
            if let crate::model::EndpointKind::Interface {
                interfaces,
                security_groups,
                ..
            } = &e.kind
            {
                for x in interfaces {
                    at.entry(x.address)
                        .or_default()
                        .extend(security_groups.iter().copied());
                }
            }
        }
        let mut translator_groups = vec![false; m.security_groups.len()];
        let translators = m
            .nat_gateways
            .iter()
            .map(|n| n.address)
            .chain(m.route_targets().into_iter().map(|i| m.instance(i).address));
        for a in translators {
            for g in at.get(&a).into_iter().flatten() {
                translator_groups[g.index()] = true;
            }
        }
        Prune {
            egress: m
                .instances
                .iter()
                .map(|i| of_groups(i, Direction::Out))
                .collect(),
            ingress: m
                .instances
                .iter()
                .map(|i| of_groups(i, Direction::In))
                .collect(),
            groups_at: m
                .instances
                .iter()
                .map(|i| at.get(&i.address).cloned().unwrap_or_default())
                .collect(),
            translator_groups,
            focus,
        }
    }

    /// Whether the walk from `from` to `to` may deliver a packet in the
    /// focus. `false` is certain: it delivers nothing.
    pub fn may_deliver(&self, from: &FlowEnd, to: &FlowEnd) -> bool {
        match (instance(from), instance(to)) {
            (Some(s), Some(d)) => {
                let sends = self.egress[s.index()].iter().filter(|e| {
                    e.group
                        .is_none_or(|g| self.groups_at[d.index()].contains(&g))
                });
                let admits: Vec<&Rule> = self.ingress[d.index()]
                    .iter()
                    .filter(|i| {
                        i.group.is_none_or(|g| {
                            self.translator_groups[g.index()]
                                || self.groups_at[s.index()].contains(&g)
                        })
                    })
                    .collect();
                sends
                    .into_iter()
                    .any(|e| admits.iter().any(|i| e.meets(i, &self.focus)))
            }
            (Some(s), None) => self.egress[s.index()]
                .iter()
                .any(|e| e.in_focus(&self.focus)),
            (None, Some(d)) => self.ingress[d.index()]
                .iter()
                .any(|i| i.in_focus(&self.focus)),
            (None, None) => true,
        }
    }
}

fn instance(e: &FlowEnd) -> Option<InstanceId> {
    match e {
        FlowEnd::Instance(i) => Some(*i),
        _ => None,
    }
}
