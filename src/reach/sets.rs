//! Symbolic packet sets: address and port interval sets, and cubes of
//! (source × destination × traffic) that rules and routes cut apart.
//!
//! Nothing here enumerates addresses: an address set is a sorted list of
//! disjoint inclusive intervals of `u32`, a port set the same over `u16`.
//! Addresses whose value is unknown offline (a public IP, the ranges of an
//! AWS service) are *opaque*: they lie somewhere in the internet, so a rule
//! matches them only when it covers all of the internet.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::GatewayService;
use crate::syntax::ast::ProtocolKind;

/// A set of integers as sorted, disjoint, non-adjacent inclusive intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Intervals(Vec<(u32, u32)>);

impl Intervals {
    pub fn empty() -> Self {
        Intervals(Vec::new())
    }

    pub fn range(lo: u32, hi: u32) -> Self {
        if lo <= hi {
            Intervals(vec![(lo, hi)])
        } else {
            Intervals::empty()
        }
    }

    pub fn from_ranges(ranges: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let mut v: Vec<(u32, u32)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        v.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for (a, b) in v {
            match out.last_mut() {
                Some(last) if u64::from(a) <= u64::from(last.1) + 1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        Intervals(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.0
    }

    pub fn first(&self) -> Option<u32> {
        self.0.first().map(|r| r.0)
    }

    pub fn union(&self, other: &Self) -> Self {
        Intervals::from_ranges(self.0.iter().chain(other.0.iter()).copied())
    }

    pub fn intersect(&self, other: &Self) -> Self {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.0.len() && j < other.0.len() {
            let (a0, a1) = self.0[i];
            let (b0, b1) = other.0[j];
            let lo = a0.max(b0);
            let hi = a1.min(b1);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a1 < b1 { i += 1 } else { j += 1 }
        }
        Intervals(out)
    }

    pub fn subtract(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        for &(a0, a1) in &self.0 {
            let mut lo = u64::from(a0);
            let hi = u64::from(a1);
            for &(b0, b1) in &other.0 {
                let (b0, b1) = (u64::from(b0), u64::from(b1));
                if b1 < lo || b0 > hi {
                    continue;
                }
                if b0 > lo {
                    out.push((lo as u32, (b0 - 1) as u32));
                }
                lo = lo.max(b1 + 1);
                if lo > hi {
                    break;
                }
            }
            if lo <= hi {
                out.push((lo as u32, hi as u32));
            }
        }
        Intervals(out)
    }

    pub fn contains_all(&self, other: &Self) -> bool {
        other.subtract(self).is_empty()
    }

    pub fn contains(&self, x: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= x && x <= b)
    }
}

/// An address set from CIDRs.
pub fn cidrs(nets: &[Ipv4Net]) -> Intervals {
    Intervals::from_ranges(
        nets.iter()
            .map(|n| (u32::from(n.network()), u32::from(n.broadcast()))),
    )
}

pub fn net(n: Ipv4Net) -> Intervals {
    cidrs(&[n])
}

pub fn addr(a: Ipv4Addr) -> Intervals {
    Intervals::range(u32::from(a), u32::from(a))
}

pub fn all_addresses() -> Intervals {
    Intervals::range(0, u32::MAX)
}

/// RFC 1918 and RFC 6598 (100.64.0.0/10): never carried by an internet
/// gateway.
pub fn private_space() -> Intervals {
    cidrs(&crate::model::PRIVATE_RANGES)
}

/// An address whose value is not known offline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Opaque {
    /// The public addresses of an AWS service: `s3` and `dynamodb` also
    /// have a prefix list that gateway-endpoint routes and security group
    /// rules can name.
    Service(String),
    /// A public IP (of an instance, a NAT gateway's Elastic IP), named for
    /// messages: "the public IP of `bastion`".
    PublicIp(String),
}

impl Opaque {
    pub fn gateway_service(&self) -> Option<GatewayService> {
        match self {
            Opaque::Service(s) => GatewayService::parse(s),
            Opaque::PublicIp(_) => None,
        }
    }
}

/// Where a packet's source or destination can be.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    Set(Intervals),
    Opaque(Opaque),
}

impl Space {
    pub fn is_empty(&self) -> bool {
        match self {
            Space::Set(s) => s.is_empty(),
            Space::Opaque(_) => false,
        }
    }

    pub fn set(&self) -> Option<&Intervals> {
        match self {
            Space::Set(s) => Some(s),
            Space::Opaque(_) => None,
        }
    }
}

/// What a rule's peer covers: an address set, and whether it matches
/// opaque addresses (it covers all of the internet) or a service's prefix
/// list.
#[derive(Clone, Debug, Default)]
pub struct Pattern {
    pub set: Intervals,
    pub services: Vec<String>,
    pub all_opaque: bool,
}

impl Pattern {
    /// A pattern from an address set: it matches opaque addresses when the
    /// set covers the whole internet.
    pub fn of_set(set: Intervals, internet: &Intervals) -> Pattern {
        let all_opaque = set.contains_all(internet);
        Pattern {
            set,
            services: Vec::new(),
            all_opaque,
        }
    }

    pub fn everything() -> Pattern {
        Pattern {
            set: all_addresses(),
            services: Vec::new(),
            all_opaque: true,
        }
    }

    /// The part of `space` this pattern matches, and the rest.
    pub fn split(&self, space: &Space) -> (Space, Space) {
        match space {
            Space::Set(s) => (
                Space::Set(s.intersect(&self.set)),
                Space::Set(s.subtract(&self.set)),
            ),
            Space::Opaque(o) => {
                let hit = self.all_opaque
                    || matches!(o, Opaque::Service(n) if self.services.iter().any(|x| x == n));
                if hit {
                    (space.clone(), Space::Set(Intervals::empty()))
                } else {
                    (Space::Set(Intervals::empty()), space.clone())
                }
            }
        }
    }
}

/// Protocols and destination ports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Traffic {
    pub tcp: Intervals,
    pub udp: Intervals,
    pub icmp: bool,
}

impl Traffic {
    pub fn none() -> Traffic {
        Traffic::default()
    }

    pub fn all() -> Traffic {
        Traffic {
            tcp: Intervals::range(0, 65535),
            udp: Intervals::range(0, 65535),
            icmp: true,
        }
    }

    /// A protocol and optional inclusive port range (`None`: every port).
    pub fn of(protocol: Option<ProtocolKind>, ports: Option<(u16, u16)>) -> Traffic {
        let p = match ports {
            Some((a, b)) => Intervals::range(u32::from(a), u32::from(b)),
            None => Intervals::range(0, 65535),
        };
        match protocol {
            None | Some(ProtocolKind::All) => Traffic::all(),
            Some(ProtocolKind::Tcp) => Traffic {
                tcp: p,
                ..Traffic::none()
            },
            Some(ProtocolKind::Udp) => Traffic {
                udp: p,
                ..Traffic::none()
            },
            Some(ProtocolKind::Icmp) => Traffic {
                icmp: true,
                ..Traffic::none()
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tcp.is_empty() && self.udp.is_empty() && !self.icmp
    }

    pub fn intersect(&self, o: &Traffic) -> Traffic {
        Traffic {
            tcp: self.tcp.intersect(&o.tcp),
            udp: self.udp.intersect(&o.udp),
            icmp: self.icmp && o.icmp,
        }
    }

    pub fn subtract(&self, o: &Traffic) -> Traffic {
        Traffic {
            tcp: self.tcp.subtract(&o.tcp),
            udp: self.udp.subtract(&o.udp),
            icmp: self.icmp && !o.icmp,
        }
    }

    pub fn union(&self, o: &Traffic) -> Traffic {
        Traffic {
            tcp: self.tcp.union(&o.tcp),
            udp: self.udp.union(&o.udp),
            icmp: self.icmp || o.icmp,
        }
    }

    /// The replies' destination ports: the client's ephemeral range for
    /// TCP and UDP, ICMP as it is.
    pub fn replies(&self) -> Traffic {
        let eph = Intervals::range(1024, 65535);
        Traffic {
            tcp: if self.tcp.is_empty() {
                Intervals::empty()
            } else {
                eph.clone()
            },
            udp: if self.udp.is_empty() {
                Intervals::empty()
            } else {
                eph
            },
            icmp: self.icmp,
        }
    }

    /// `tcp 22`, `tcp 1024-65535, udp 53`, `icmp`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (name, set) in [("tcp", &self.tcp), ("udp", &self.udp)] {
            if set.is_empty() {
                continue;
            }
            if set.ranges() == [(0, 65535)] {
                parts.push(name.to_string());
            } else {
                let ports: Vec<String> = set
                    .ranges()
                    .iter()
                    .map(|&(a, b)| {
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}-{b}")
                        }
                    })
                    .collect();
                parts.push(format!("{name} {}", ports.join(",")));
            }
        }
        if self.icmp {
            parts.push("icmp".to_string());
        }
        if parts.len() == 3 && parts[0] == "tcp" && parts[1] == "udp" {
            return "all traffic".to_string();
        }
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// One box of packets: every combination of a source in `src`, a
/// destination in `dst` and a (protocol, port) in `traffic`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cube {
    pub src: Space,
    pub dst: Space,
    pub traffic: Traffic,
}

impl Cube {
    pub fn is_empty(&self) -> bool {
        self.src.is_empty() || self.dst.is_empty() || self.traffic.is_empty()
    }
}

/// What a rule matches: sources, destinations and traffic.
#[derive(Clone, Debug)]
pub struct RuleMatch {
    pub src: Pattern,
    pub dst: Pattern,
    pub traffic: Traffic,
}

impl RuleMatch {
    /// The matched part of `c` and the unmatched remainder (as up to three
    /// disjoint cubes).
    pub fn split(&self, c: &Cube) -> (Option<Cube>, Vec<Cube>) {
        // The common case first: the rule misses the cube entirely.
        let t_in = c.traffic.intersect(&self.traffic);
        if t_in.is_empty() {
            return (None, vec![c.clone()]);
        }
        let (s_in, s_out) = self.src.split(&c.src);
        if s_in.is_empty() {
            return (None, vec![c.clone()]);
        }
        let (d_in, d_out) = self.dst.split(&c.dst);
        if d_in.is_empty() {
            return (None, vec![c.clone()]);
        }
        let t_out = c.traffic.subtract(&self.traffic);
        let mut rest = Vec::new();
        let push = |v: &mut Vec<Cube>, cube: Cube| {
            if !cube.is_empty() {
                v.push(cube);
            }
        };
        push(
            &mut rest,
            Cube {
                src: s_out,
                dst: c.dst.clone(),
                traffic: c.traffic.clone(),
            },
        );
        push(
            &mut rest,
            Cube {
                src: s_in.clone(),
                dst: d_out,
                traffic: c.traffic.clone(),
            },
        );
        push(
            &mut rest,
            Cube {
                src: s_in.clone(),
                dst: d_in.clone(),
                traffic: t_out,
            },
        );
        let hit = Cube {
            src: s_in,
            dst: d_in,
            traffic: t_in,
        };
        ((!hit.is_empty()).then_some(hit), rest)
    }
}

/// First-match evaluation of ordered (rule, allow) pairs, as a network ACL
/// does: each rule takes its part out of what earlier rules left. Returns
/// the admitted cubes, whether each rule matched anything, and what no rule
/// matched (denied by the final `*` rule).
pub fn first_match(
    rules: &[(RuleMatch, bool)],
    cubes: &[Cube],
) -> (Vec<Cube>, Vec<bool>, Vec<Cube>) {
    let mut rest: Vec<Cube> = cubes.to_vec();
    let mut passed = Vec::new();
    let mut hit = vec![false; rules.len()];
    let mut merged = rest.len();
    for (i, (m, allow)) in rules.iter().enumerate() {
        if rest.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for c in &rest {
            let (h, others) = m.split(c);
            if let Some(h) = h {
                hit[i] = true;
                if *allow {
                    passed.push(h);
                }
            }
            next.extend(others);
        }
        // Merging costs hashing every set: only when the pieces pile up.
        rest = if next.len() > 2 * merged.max(16) {
            let n = normalize(next);
            merged = n.len();
            n
        } else {
            next
        };
    }
    (normalize(passed), hit, rest)
}

/// Merges cubes with the same source and destination (first-seen order).
pub fn normalize(cubes: Vec<Cube>) -> Vec<Cube> {
    let mut out: Vec<Cube> = Vec::with_capacity(cubes.len());
    let mut index: std::collections::HashMap<(Space, Space), usize> =
        std::collections::HashMap::new();
    for c in cubes.into_iter().filter(|c| !c.is_empty()) {
        match index.get(&(c.src.clone(), c.dst.clone())) {
            Some(&i) => out[i].traffic = out[i].traffic.union(&c.traffic),
            None => {
                index.insert((c.src.clone(), c.dst.clone()), out.len());
                out.push(c);
            }
        }
    }
    out
}

/// `10.0.1.10`, `10.0.1.0/24`, `10.0.1.4-10.0.1.254`, a list of those.
pub fn describe_set(s: &Intervals) -> String {
    if s.is_empty() {
        return "no address".to_string();
    }
    let parts: Vec<String> = s
        .ranges()
        .iter()
        .take(4)
        .map(|&(a, b)| describe_range(a, b))
        .collect();
    let more = if s.ranges().len() > 4 {
        format!(" and {} more ranges", s.ranges().len() - 4)
    } else {
        String::new()
    };
    format!("{}{more}", parts.join(", "))
}

fn describe_range(a: u32, b: u32) -> String {
    if a == b {
        return Ipv4Addr::from(a).to_string();
    }
    let size = u64::from(b) - u64::from(a) + 1;
    if size.is_power_of_two() && u64::from(a) % size == 0 {
        let prefix = 32 - size.trailing_zeros();
        return format!("{}/{prefix}", Ipv4Addr::from(a));
    }
    format!("{}–{}", Ipv4Addr::from(a), Ipv4Addr::from(b))
}

pub fn describe_space(s: &Space) -> String {
    match s {
        Space::Set(set) => describe_set(set),
        Space::Opaque(Opaque::Service(name)) => match GatewayService::parse(name) {
            Some(_) => format!("the {name} prefix list"),
            None => format!("the public addresses of {name}"),
        },
        Space::Opaque(Opaque::PublicIp(what)) => what.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_algebra() {
        let a = Intervals::from_ranges([(0, 10), (20, 30)]);
        let b = Intervals::range(5, 25);
        assert_eq!(a.intersect(&b), Intervals::from_ranges([(5, 10), (20, 25)]));
        assert_eq!(a.subtract(&b), Intervals::from_ranges([(0, 4), (26, 30)]));
        assert_eq!(a.union(&b), Intervals::range(0, 30));
        assert_eq!(
            all_addresses().subtract(&Intervals::range(0, u32::MAX)),
            Intervals::empty()
        );
        assert!(Intervals::range(0, u32::MAX).contains_all(&a));
    }

    #[test]
    fn describes_cidrs() {
        assert_eq!(
            describe_set(&Intervals::range(0x0a000100, 0x0a0001ff)),
            "10.0.1.0/24"
        );
        assert_eq!(
            describe_set(&Intervals::range(0x0a000104, 0x0a0001fe)),
            "10.0.1.4–10.0.1.254"
        );
    }
}
