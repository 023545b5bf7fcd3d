//! Security groups and network ACLs over cube sets.

use super::sets::*;
use super::walk::*;
use super::*;
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::Direction;

impl Ctx<'_> {
    pub(super) fn sg_pattern(&self, peer: &SgPeer) -> Pattern {
        match peer {
            SgPeer::Cidr(n) => Pattern::of_set(net(*n), &self.internet),
            // Each family's rules match only that family's packets.
            SgPeer::Cidr6(n) => Pattern::of_set6(net6(*n)),
            // `internet` is 0.0.0.0/0: IPv4 only, as in AWS.
            SgPeer::Internet => Pattern {
                set6: Set::empty(),
                ..Pattern::everything()
            },
            SgPeer::External(x) => {
                Pattern::of_set(cidrs(&self.m.external(*x).cidrs), &self.internet)
            }
            SgPeer::PrefixList(l) => {
                Pattern::of_set(cidrs(&self.m.prefix_list(*l).entries), &self.internet)
            }
            // A group reference matches its members' addresses of both
            // families.
            SgPeer::Group(g) => Pattern {
                set: self.members(*g),
                set6: self.members6(*g),
                services: Vec::new(),
                all_opaque: false,
            },
            SgPeer::Service(s) => Pattern {
                services: vec![s.clone()],
                ..Pattern::default()
            },
        }
    }

    /// The private addresses of a group's members.
    pub(super) fn members(&self, g: SecurityGroupId) -> Intervals {
        self.members
            .get_or_init(|| self.all_members())
            .get(g.index())
            .cloned()
            .unwrap_or_else(Intervals::empty)
    }

    /// The IPv6 addresses of a group's members (instances with `ipv6`).
    pub(super) fn members6(&self, g: SecurityGroupId) -> Set<u128> {
        let all = self.members6.get_or_init(|| {
            let pairs = self.m.instances.iter().flat_map(|i| {
                let a = i.ipv6.map(u128::from);
                i.security_groups.iter().filter_map(move |g| Some((*g, a?)))
            });
            by_group(self.m.security_groups.len(), pairs)
        });
        all.get(g.index()).cloned().unwrap_or_else(Set::empty)
    }

    /// Every group's members' addresses, in one pass over the interfaces.
    fn all_members(&self) -> Vec<Intervals> {
        let instances = self.m.instances.iter().flat_map(|i| {
            let a = u32::from(i.address);
            i.security_groups.iter().map(move |g| (*g, a))
        });
        let endpoints = self.m.endpoints.iter().flat_map(|e| match &e.kind {
            EndpointKind::Interface {
                interfaces,
                security_groups,
                ..
            } => security_groups
                .iter()
                .flat_map(|g| interfaces.iter().map(|x| (*g, u32::from(x.address))))
                .collect(),
            EndpointKind::Gateway { .. } => Vec::new(),
        });
        by_group(self.m.security_groups.len(), instances.chain(endpoints))
    }

    pub(super) fn sg_rule_text(&self, r: &SgRule) -> String {
        self.m.sg_rule_text(r)
    }

    /// Security group egress (`Out`) or ingress (`In`) of an interface.
    pub(super) fn sg(
        &self,
        b: &mut Branch,
        sgs: &Option<Vec<SecurityGroupId>>,
        dir: Direction,
        owner: &Eni,
    ) {
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
                let text = self.say(|| match r.span {
                    Some(_) => format!("`{}`: {}", sg.name, self.sg_rule_text(r)),
                    None => format!("`{}`: all traffic from members of `{}`", sg.name, sg.name),
                });
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
        let what = Component::security_groups(
            sgs.iter()
                .map(|g| self.m.security_group(*g).name.clone())
                .collect(),
        );
        let (word, reason) = match dir {
            Direction::In => ("ingress", Reason::SgIngress),
            Direction::Out => ("egress", Reason::SgEgress),
        };
        let passed = normalize(passed);
        if passed.is_empty() {
            let detail = self.say(|| {
                format!(
                    "no {word} rule allows {}",
                    self.cubes_text(&b.cubes, dir == Direction::In)
                )
            });
            let span = sgs
                .iter()
                .find_map(|g| self.m.security_group(*g).span)
                .or(Some(owner.span));
            let rules = self.say(|| {
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
                if written.is_empty() {
                    format!("no {word} rules")
                } else {
                    format!("its {word} rules: {}", written.join("; "))
                }
            });
            b.hop(what.clone(), format!("{word}: DENIED"), Some(rules), span);
            b.block(what, reason, detail, span, owner.at.clone());
            b.fix(self.say(|| self.sg_fix(sgs, dir, &b.cubes)));
        } else {
            b.hop(
                what,
                self.say(|| {
                    format!(
                        "{word}: allows {}",
                        self.cubes_text(&passed, dir == Direction::In)
                    )
                }),
                Some(rules_used.join("; ")),
                None,
            );
            b.cubes = passed;
        }
    }

    pub(super) fn acl_rule_text(&self, r: &AclRule, inbound: bool) -> String {
        r.text(inbound)
    }

    /// One direction's rules as match patterns, in number order, each with
    /// whether it allows: the peer is the source inbound, the destination
    /// outbound.
    fn acl_matches(&self, rules: &[AclRule], inbound: bool) -> Vec<(RuleMatch, bool)> {
        rules
            .iter()
            .map(|r| {
                let peer = Pattern {
                    set6: cidrs6(&r.cidrs6),
                    ..Pattern::of_set(cidrs(&r.cidrs), &self.internet)
                };
                let traffic = Traffic::of(Some(r.protocol), r.ports);
                let (src, dst) = if inbound {
                    (peer, Pattern::everything())
                } else {
                    (Pattern::everything(), peer)
                };
                (RuleMatch { src, dst, traffic }, r.allow)
            })
            .collect()
    }

    /// First-match evaluation of one direction of an ACL over cubes:
    /// the cubes it admits, the rules that allowed and the rules that
    /// denied something.
    pub(super) fn eval_acl(&self, acl: &NetworkAcl, inbound: bool, cubes: &[Cube]) -> AclOutcome {
        let rules = if inbound { &acl.inbound } else { &acl.outbound };
        let matches = self.acl_matches(rules, inbound);
        let (passed, hit, rest) = first_match(&matches, cubes);
        let (mut allowed, mut denied) = (Vec::new(), Vec::new());
        for (r, _) in rules.iter().zip(&hit).filter(|(_, h)| **h) {
            let text = self.say(|| {
                if acl.default {
                    format!("rule {} allows all traffic (default ACL)", r.number)
                } else {
                    self.acl_rule_text(r, inbound)
                }
            });
            if r.allow {
                allowed.push(text);
            } else {
                denied.push((text, r.span));
            }
        }
        if !rest.is_empty() {
            denied.push((
                "the final * rule (no numbered rule matches)".to_string(),
                acl.span,
            ));
        }
        (passed, allowed, denied)
    }

    pub(super) fn acl_label(&self, subnet: SubnetId) -> (Component, Option<Span>) {
        let sub = self.m.subnet(subnet);
        let acl = self.m.network_acl(sub.network_acl);
        (
            Component::new(ComponentKind::NetworkAcl, &acl.name).at(&sub.name),
            acl.span.or(Some(sub.span)),
        )
    }

    /// The subnet's ACL, inbound (`entering`) or outbound.
    pub(super) fn acl(&self, b: &mut Branch, subnet: SubnetId, entering: bool) {
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
            let detail = self.say(|| deny_text(&why, &self.cubes_text(&b.cubes, entering)));
            b.block(
                label,
                reason,
                detail,
                why_span.or(span),
                Location::Subnet(subnet),
            );
            b.fix(self.say(|| self.acl_fix(subnet, entering, &b.cubes)));
            b.ret.push(RetItem::Acl {
                subnet,
                entering,
                cubes: b.cubes.clone(),
            });
        } else {
            b.hop(
                label,
                self.say(|| format!("{word}: allows {}", self.cubes_text(&passed, entering))),
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

    pub(super) fn cubes_text(&self, cubes: &[Cube], from_side: bool) -> String {
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

    /// The rule to add to the first written group: `add \`ingress tcp 22
    /// from bastion-sg\` to security group \`app-sg\``.
    pub(super) fn sg_fix(&self, sgs: &[SecurityGroupId], dir: Direction, cubes: &[Cube]) -> String {
        let g = sgs
            .iter()
            .copied()
            .find(|g| self.m.security_group(*g).span.is_some())
            .or_else(|| sgs.first().copied());
        let name = g.map_or_else(String::new, |g| self.m.security_group(g).name.clone());
        let Some(c) = cubes.first() else {
            return String::new();
        };
        match dir {
            Direction::In => format!(
                "add `ingress {} from {}` to security group `{name}`",
                rule_traffic(&c.traffic),
                self.peer_text(&c.src, true)
            ),
            Direction::Out => format!(
                "add `egress {} to {}` to security group `{name}`",
                rule_traffic(&c.traffic),
                self.peer_text(&c.dst, true)
            ),
        }
    }

    /// The rule to add to a subnet's ACL, numbered before the rule that
    /// denies.
    pub(super) fn acl_fix(&self, subnet: SubnetId, inbound: bool, cubes: &[Cube]) -> String {
        let acl = self.m.network_acl(self.m.subnet(subnet).network_acl);
        let rules = if inbound { &acl.inbound } else { &acl.outbound };
        let matches = self.acl_matches(rules, inbound);
        let (_, hit, _) = first_match(&matches, cubes);
        let deny = rules
            .iter()
            .zip(&hit)
            .find(|(r, h)| **h && !r.allow)
            .map(|(r, _)| r.number);
        let number = match deny {
            Some(n) => n.saturating_sub(1).max(1),
            None => rules
                .iter()
                .map(|r| r.number)
                .max()
                .map_or(100, |n| (n / 10 + 1) * 10)
                .min(32766),
        };
        let Some(c) = cubes.first() else {
            return String::new();
        };
        let (dir, prep, peer) = if inbound {
            ("inbound", "from", &c.src)
        } else {
            ("outbound", "to", &c.dst)
        };
        format!(
            "add `{dir} {number} allow {} {prep} {}` to network ACL `{}`",
            rule_traffic(&c.traffic),
            self.peer_text(peer, false),
            acl.name
        )
    }

    /// A peer as a rule writes it: a group (security groups only) or an
    /// external when the set is exactly theirs, `internet`, a CIDR.
    pub(super) fn peer_text(&self, space: &Space, groups: bool) -> String {
        let cidr = self.cidr_text(space);
        let set = match space {
            Space::Opaque(Opaque::Service(s)) if groups && GatewayService::parse(s).is_some() => {
                return format!("service {s}");
            }
            Space::Opaque(_) => return "internet".to_string(),
            Space::Set6(_) => return cidr,
            Space::Set(set) => set,
        };
        if cidr == "0.0.0.0/0" {
            return "internet".to_string();
        }
        if let Some(x) = self.m.externals.iter().find(|x| cidrs(&x.cidrs) == *set) {
            return x.name.clone();
        }
        // ACLs name ranges: an address of a subnet stands for the subnet.
        if !groups
            && let [(a, b)] = set.ranges()
            && a == b
            && let Some(sub) = self
                .m
                .subnets
                .iter()
                .find(|s| s.cidr.contains(&std::net::Ipv4Addr::from(*a)))
        {
            return sub.cidr.to_string();
        }
        if groups
            && let [(a, b)] = set.ranges()
            && a == b
            && let Some(g) = self
                .m
                .instances
                .iter()
                .find(|i| u32::from(i.address) == *a)
                .and_then(|i| {
                    i.security_groups
                        .iter()
                        .find(|g| self.m.security_group(**g).span.is_some())
                })
        {
            return self.m.security_group(*g).name.clone();
        }
        cidr
    }

    /// The smallest CIDR covering a space (`0.0.0.0/0` for opaque ones).
    pub(super) fn cidr_text(&self, space: &Space) -> String {
        if let Space::Set6(set) = space {
            if *set == self.internet6
                || (set.ranges().len() > 1 && self.internet6.contains_all(set))
            {
                return "::/0".to_string();
            }
            let (Some(&(lo, _)), Some(&(_, hi))) = (set.ranges().first(), set.ranges().last())
            else {
                return "::/0".to_string();
            };
            // The longest prefix covering lo..=hi.
            let prefix = (lo ^ hi).leading_zeros();
            let net = if prefix == 0 {
                0
            } else {
                lo & (u128::MAX << (128 - prefix))
            };
            return format!("{}/{prefix}", std::net::Ipv6Addr::from(net));
        }
        let Space::Set(set) = space else {
            return "0.0.0.0/0".to_string();
        };
        if set.ranges().len() > 2 && self.internet.contains_all(set) {
            return "0.0.0.0/0".to_string();
        }
        let (lo, hi) = match (set.ranges().first(), set.ranges().last()) {
            (Some(f), Some(l)) => (f.0, l.1),
            _ => return "0.0.0.0/0".to_string(),
        };
        let mut prefix = 32u8;
        while prefix > 0 && (lo >> (32 - u32::from(prefix))) != (hi >> (32 - u32::from(prefix))) {
            prefix -= 1;
        }
        let net = if prefix == 0 {
            0
        } else {
            lo & (u32::MAX << (32 - u32::from(prefix)))
        };
        format!("{}/{prefix}", std::net::Ipv4Addr::from(net))
    }
}

/// Protocol and ports as a rule writes them: `tcp 22`, `udp 1024-65535`,
/// `icmp`, or `all` for a mix.
pub(super) fn rule_traffic(t: &Traffic) -> String {
    let one = |name: &str, set: &Intervals| match set.ranges() {
        [(0, 65535)] => name.to_string(),
        [(a, b)] if a == b => format!("{name} {a}"),
        [(a, b)] => format!("{name} {a}-{b}"),
        _ => "all".to_string(),
    };
    match (t.tcp.is_empty(), t.udp.is_empty(), t.icmp) {
        (false, true, false) => one("tcp", &t.tcp),
        (true, false, false) => one("udp", &t.udp),
        (true, true, true) => "icmp".to_string(),
        _ => "all".to_string(),
    }
}

/// Each of `groups` groups' member addresses, from (group, address) pairs.
fn by_group<T: Bound>(
    groups: usize,
    pairs: impl IntoIterator<Item = (SecurityGroupId, T)>,
) -> Vec<Set<T>> {
    let mut ranges: Vec<Vec<(T, T)>> = vec![Vec::new(); groups];
    for (g, a) in pairs {
        if let Some(list) = ranges.get_mut(g.index()) {
            list.push((a, a));
        }
    }
    ranges.into_iter().map(Set::from_ranges).collect()
}
