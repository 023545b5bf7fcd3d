//! Symbolic packet sets: address and port interval sets, and cubes of
//! (source × destination × traffic) that rules and routes cut apart.
//!
//! Nothing here enumerates addresses. [`Set<T>`] is a set of integers kept
//! as a sorted list of disjoint, non-adjacent inclusive intervals, generic
//! over its bound type ([`Bound`]: `u32` or `u128`). There is one set type
//! per address family: [`Intervals`] (`Set<u32>`) holds IPv4 addresses, and
//! port sets too (ports fit in `u32`); `Set<u128>` holds IPv6 addresses,
//! built with [`cidrs6`], [`net6`], [`addr6`] and [`all_addresses6`] and
//! printed with [`describe_set6`]. The operations never widen the bound
//! type (there is none wider than `u128`): they step with checked
//! successors and predecessors, so intervals ending at 0 or at the maximum
//! are exact.
//!
//! Addresses whose value is unknown offline (a public IP, the ranges of an
//! AWS service) are *opaque*: they lie somewhere in the internet, so a rule
//! matches them only when it covers all of the internet.

use std::fmt::Display;
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

use crate::model::GatewayService;
use crate::syntax::ast::ProtocolKind;

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u128 {}
}

/// The bound type of a [`Set`]: an unsigned integer (`u32` for IPv4
/// addresses and ports, `u128` for IPv6 addresses). Sealed: only those two.
pub trait Bound: Copy + Ord + sealed::Sealed {
    const MIN: Self;
    const MAX: Self;
    /// `self + 1`, or `None` at `MAX`.
    fn succ(self) -> Option<Self>;
    /// `self - 1`, or `None` at `MIN`.
    fn pred(self) -> Option<Self>;
    /// The prefix length of `lo..=hi` (`lo <= hi`) when it is exactly one
    /// aligned CIDR block, else `None`.
    fn block_prefix(lo: Self, hi: Self) -> Option<u32>;
}

macro_rules! bound {
    ($t:ty) => {
        impl Bound for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            #[inline]
            fn succ(self) -> Option<Self> {
                self.checked_add(1)
            }
            #[inline]
            fn pred(self) -> Option<Self> {
                self.checked_sub(1)
            }
            fn block_prefix(lo: Self, hi: Self) -> Option<u32> {
                // The block's size (span + 1) is a power of two (it wraps
                // to 0 for the whole space) and `lo` is a multiple of it.
                let span = hi - lo;
                (span & span.wrapping_add(1) == 0 && lo & span == 0)
                    .then(|| <$t>::BITS - span.count_ones())
            }
        }
    };
}
bound!(u32);
bound!(u128);

/// A set of integers as sorted, disjoint, non-adjacent inclusive intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Set<T>(Vec<(T, T)>);

/// A set of IPv4 addresses, or of ports.
pub type Intervals = Set<u32>;

/// Whether an interval starting at `start` touches or overlaps one ending
/// at `end` (with `end`'s start at most `start`): `start <= end + 1`.
#[inline]
fn joins<T: Bound>(end: T, start: T) -> bool {
    end.succ().is_none_or(|n| start <= n)
}

/// Appends `(a, b)` to a normalized list whose last start is at most `a`,
/// merging it with the last interval when they touch or overlap.
#[inline]
fn push_merged<T: Bound>(out: &mut Vec<(T, T)>, (a, b): (T, T)) {
    match out.last_mut() {
        Some(last) if joins(last.1, a) => last.1 = last.1.max(b),
        _ => out.push((a, b)),
    }
}

impl<T: Bound> Set<T> {
    pub fn empty() -> Self {
        Set(Vec::new())
    }

    pub fn range(lo: T, hi: T) -> Self {
        if lo <= hi {
            Set(vec![(lo, hi)])
        } else {
            Set::empty()
        }
    }

    pub fn from_ranges(ranges: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut v: Vec<(T, T)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        v.sort_unstable();
        let mut out: Vec<(T, T)> = Vec::with_capacity(v.len());
        for r in v {
            push_merged(&mut out, r);
        }
        Set(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ranges(&self) -> &[(T, T)] {
        &self.0
    }

    pub fn first(&self) -> Option<T> {
        self.0.first().map(|r| r.0)
    }

    /// A linear merge of the two sorted lists.
    pub fn union(&self, other: &Self) -> Self {
        if other.0.is_empty() {
            return self.clone();
        }
        if self.0.is_empty() {
            return other.clone();
        }
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].0 <= b[j].0 {
                push_merged(&mut out, a[i]);
                i += 1;
            } else {
                push_merged(&mut out, b[j]);
                j += 1;
            }
        }
        for &r in a[i..].iter().chain(&b[j..]) {
            push_merged(&mut out, r);
        }
        Set(out)
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
        Set(out)
    }

    /// A linear two-pointer merge: `other`'s intervals that end before an
    /// interval of `self` starts can't touch any later one.
    pub fn subtract(&self, other: &Self) -> Self {
        let b = &other.0;
        let mut out = Vec::new();
        let mut j = 0;
        for &(a0, a1) in &self.0 {
            while j < b.len() && b[j].1 < a0 {
                j += 1;
            }
            // Every b[k] from here ends at or after `lo` (b is sorted and
            // disjoint), so cutting it out moves `lo` past its end.
            let mut lo = Some(a0);
            let mut k = j;
            while let Some(l) = lo {
                let Some(&(b0, b1)) = b.get(k).filter(|r| r.0 <= a1) else {
                    break;
                };
                if let Some(p) = b0.pred().filter(|&p| l <= p) {
                    out.push((l, p));
                }
                lo = b1.succ().filter(|&n| n <= a1);
                k += 1;
            }
            if let Some(l) = lo {
                out.push((l, a1));
            }
        }
        Set(out)
    }

    pub fn contains_all(&self, other: &Self) -> bool {
        other.subtract(self).is_empty()
    }

    pub fn contains(&self, x: T) -> bool {
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

/// An IPv6 address set from CIDRs.
pub fn cidrs6(nets: &[Ipv6Net]) -> Set<u128> {
    Set::from_ranges(
        nets.iter()
            .map(|n| (u128::from(n.network()), u128::from(n.broadcast()))),
    )
}

pub fn net6(n: Ipv6Net) -> Set<u128> {
    cidrs6(&[n])
}

pub fn addr6(a: Ipv6Addr) -> Set<u128> {
    Set::range(u128::from(a), u128::from(a))
}

pub fn all_addresses6() -> Set<u128> {
    Set::range(0, u128::MAX)
}

/// The IPv6 internet: the global unicast space, 2000::/3 (RFC 4291
/// §2.4; IANA allocates only from it). A `::/0` rule covers it.
pub fn internet6() -> Set<u128> {
    Set::range(0x2000u128 << 112, (0x4000u128 << 112) - 1)
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
    /// IPv6 addresses. A query asks about one family: its cubes are all
    /// `Set`/`Opaque` (IPv4) or all `Set6`.
    Set6(Set<u128>),
    Opaque(Opaque),
}

impl Space {
    pub fn is_empty(&self) -> bool {
        match self {
            Space::Set(s) => s.is_empty(),
            Space::Set6(s) => s.is_empty(),
            Space::Opaque(_) => false,
        }
    }

    pub fn set(&self) -> Option<&Intervals> {
        match self {
            Space::Set(s) => Some(s),
            Space::Set6(_) | Space::Opaque(_) => None,
        }
    }
}

/// What a rule's peer covers: an address set, and whether it matches
/// opaque addresses (it covers all of the internet) or a service's prefix
/// list.
#[derive(Clone, Debug, Default)]
pub struct Pattern {
    pub set: Intervals,
    /// The IPv6 addresses it covers (a rule's IPv6 peers, a group's
    /// members' IPv6 addresses).
    pub set6: Set<u128>,
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
            set6: Set::empty(),
            services: Vec::new(),
            all_opaque,
        }
    }

    /// A pattern of IPv6 addresses only.
    pub fn of_set6(set6: Set<u128>) -> Pattern {
        Pattern {
            set6,
            ..Pattern::default()
        }
    }

    pub fn everything() -> Pattern {
        Pattern {
            set: all_addresses(),
            set6: all_addresses6(),
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
            Space::Set6(s) => (
                Space::Set6(s.intersect(&self.set6)),
                Space::Set6(s.subtract(&self.set6)),
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

/// `10.0.1.10`, `10.0.1.0/24`, `10.0.1.4–10.0.1.254`, a list of those.
pub fn describe_set(s: &Intervals) -> String {
    describe_ranges(s, Ipv4Addr::from)
}

/// `2600:1f18::10`, `2600:1f18::/64`, `2600:1f18::4–2600:1f18::fe`, a
/// list of those, as [`describe_set`] does for IPv4.
pub fn describe_set6(s: &Set<u128>) -> String {
    describe_ranges(s, Ipv6Addr::from)
}

/// The first four ranges (an address, a CIDR block, or `a–b`) and how many
/// more there are.
fn describe_ranges<T: Bound, D: Display>(s: &Set<T>, show: impl Fn(T) -> D) -> String {
    if s.is_empty() {
        return "no address".to_string();
    }
    let parts: Vec<String> = s
        .ranges()
        .iter()
        .take(4)
        .map(|&(a, b)| describe_range(a, b, &show))
        .collect();
    let more = if s.ranges().len() > 4 {
        format!(" and {} more ranges", s.ranges().len() - 4)
    } else {
        String::new()
    };
    format!("{}{more}", parts.join(", "))
}

fn describe_range<T: Bound, D: Display>(a: T, b: T, show: impl Fn(T) -> D) -> String {
    if a == b {
        return show(a).to_string();
    }
    if let Some(prefix) = T::block_prefix(a, b) {
        return format!("{}/{prefix}", show(a));
    }
    format!("{}–{}", show(a), show(b))
}

pub fn describe_space(s: &Space) -> String {
    match s {
        Space::Set(set) => describe_set(set),
        Space::Set6(set) => describe_set6(set),
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
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;

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

    #[test]
    fn interval_algebra_at_the_ends() {
        let max = u128::MAX;
        let a = Set::from_ranges([(0, 0), (max, max)]);
        assert_eq!(
            all_addresses6().subtract(&a),
            Set::range(1, max - 1),
            "subtracting both ends"
        );
        assert_eq!(a.union(&Set::range(1, max - 1)), all_addresses6());
        assert_eq!(
            Set::from_ranges([(0, 5), (6, max)]),
            all_addresses6(),
            "adjacent intervals merge, also up to MAX"
        );
        assert_eq!(Set::<u128>::range(5, 4), Set::empty());
        assert_eq!(
            Intervals::from_ranges([(u32::MAX, u32::MAX), (0, u32::MAX - 1)]),
            all_addresses()
        );
        assert!(all_addresses6().contains_all(&a));
        assert!(!a.contains_all(&all_addresses6()));
        assert!(a.contains(max) && !a.contains(max - 1));
        assert_eq!(a.first(), Some(0));
    }

    #[test]
    fn describes_cidrs6() {
        let n: Ipv6Net = "2600:1f18::/64".parse().unwrap();
        assert_eq!(describe_set6(&net6(n)), "2600:1f18::/64");
        let a: Ipv6Addr = "2600:1f18::10".parse().unwrap();
        assert_eq!(describe_set6(&addr6(a)), "2600:1f18::10");
        let lo = u128::from(n.network());
        assert_eq!(
            describe_set6(&Set::range(lo + 4, lo + 0xfe)),
            "2600:1f18::4–2600:1f18::fe"
        );
        assert_eq!(describe_set6(&all_addresses6()), "::/0");
        assert_eq!(describe_set(&all_addresses()), "0.0.0.0/0");
        assert_eq!(describe_set6(&Set::empty()), "no address");
        let six = Set::from_ranges((0..6).map(|k| (lo + 4 * k, lo + 4 * k + 1)));
        assert_eq!(
            describe_set6(&six),
            "2600:1f18::/127, 2600:1f18::4/127, 2600:1f18::8/127, 2600:1f18::c/127 and 2 more ranges"
        );
    }

    /// The reference model: an unnormalized list of raw pairs (some maybe
    /// with lo > hi, which cover nothing).
    fn member<T: Bound>(pairs: &[(T, T)], x: T) -> bool {
        pairs.iter().any(|&(lo, hi)| lo <= x && x <= hi)
    }

    /// Sorted, disjoint, non-adjacent, each lo <= hi.
    fn normalized<T: Bound>(s: &Set<T>) -> bool {
        let r = s.ranges();
        r.iter().all(|&(lo, hi)| lo <= hi)
            && r.windows(2)
                .all(|w| w[0].1 < w[1].0 && w[0].1.succ().is_some_and(|n| n < w[1].0))
    }

    /// Every point where membership in any of `lists` can change: each
    /// endpoint, its neighbours, and both ends of the space.
    fn critical<T: Bound>(lists: &[&[(T, T)]]) -> Vec<T> {
        let mut pts = vec![T::MIN, T::MAX];
        for &(lo, hi) in lists.iter().flat_map(|l| l.iter()) {
            for e in [lo, hi] {
                pts.push(e);
                pts.extend(e.pred());
                pts.extend(e.succ());
            }
        }
        pts.sort_unstable();
        pts.dedup();
        pts
    }

    /// Checks every operation on the sets of `a` and `b` against the
    /// reference model. The critical points include the results' own
    /// endpoints, so a result that differs from the model anywhere differs
    /// at one of them.
    fn check_ops<T: Bound + std::fmt::Debug>(
        a: &[(T, T)],
        b: &[(T, T)],
    ) -> Result<(), TestCaseError> {
        let (sa, sb) = (
            Set::from_ranges(a.iter().copied()),
            Set::from_ranges(b.iter().copied()),
        );
        let (u, i, d) = (sa.union(&sb), sa.intersect(&sb), sa.subtract(&sb));
        for s in [&sa, &sb, &u, &i, &d] {
            prop_assert!(normalized(s), "not normalized: {:?}", s);
        }
        let pts = critical(&[
            a,
            b,
            sa.ranges(),
            sb.ranges(),
            u.ranges(),
            i.ranges(),
            d.ranges(),
        ]);
        let mut b_covers_a = true;
        for &x in &pts {
            let (ia, ib) = (member(a, x), member(b, x));
            prop_assert_eq!(member(sa.ranges(), x), ia, "from_ranges at {:?}", x);
            prop_assert_eq!(sa.contains(x), ia, "contains at {:?}", x);
            prop_assert_eq!(member(u.ranges(), x), ia || ib, "union at {:?}", x);
            prop_assert_eq!(member(i.ranges(), x), ia && ib, "intersect at {:?}", x);
            prop_assert_eq!(member(d.ranges(), x), ia && !ib, "subtract at {:?}", x);
            b_covers_a &= !ia || ib;
        }
        prop_assert_eq!(sb.contains_all(&sa), b_covers_a);
        prop_assert_eq!(sa.is_empty(), !pts.iter().any(|&x| member(a, x)));
        prop_assert_eq!(sa.first(), pts.iter().copied().find(|&x| member(a, x)));
        Ok(())
    }

    /// Values that cluster, so that intervals often touch and overlap, and
    /// that sit at 0 and MAX.
    fn value128() -> impl Strategy<Value = u128> {
        prop_oneof![
            0u128..16,
            (u128::MAX - 16)..=u128::MAX,
            (1u128 << 64)..(1u128 << 64) + 16,
            any::<u128>(),
        ]
    }

    fn value32() -> impl Strategy<Value = u32> {
        prop_oneof![
            0u32..16,
            (u32::MAX - 16)..=u32::MAX,
            (1u32 << 31)..(1u32 << 31) + 16,
            any::<u32>(),
        ]
    }

    fn pairs128() -> impl Strategy<Value = Vec<(u128, u128)>> {
        prop::collection::vec((value128(), value128()), 0..8)
    }

    fn pairs32() -> impl Strategy<Value = Vec<(u32, u32)>> {
        prop::collection::vec((value32(), value32()), 0..8)
    }

    /// The low `bits` bits set (`bits` in 0..=width), by shifting.
    fn low_mask128(bits: u32) -> u128 {
        if bits == 0 {
            0
        } else {
            u128::MAX >> (128 - bits)
        }
    }

    fn low_mask32(bits: u32) -> u32 {
        if bits == 0 {
            0
        } else {
            u32::MAX >> (32 - bits)
        }
    }

    /// IPv6 CIDRs near each other (so that they overlap and touch), some
    /// anywhere and of any size.
    fn cidr6() -> impl Strategy<Value = Ipv6Net> {
        let base = 0x2600_1f18_0000_0000_0000_0000_0000_0000u128;
        prop_oneof![
            3 => (0u128..256, 120u8..=128).prop_map(move |(x, p)| (base + x, p)),
            1 => (any::<u128>(), 0u8..=128),
        ]
        .prop_map(|(a, p)| Ipv6Net::new(Ipv6Addr::from(a), p).unwrap())
    }

    /// Parses a description back: CIDRs, addresses and `a–b` ranges.
    fn parse6(text: &str) -> Set<u128> {
        Set::from_ranges(text.split(", ").map(|part| {
            if let Some((a, b)) = part.split_once('–') {
                let a: Ipv6Addr = a.parse().unwrap();
                let b: Ipv6Addr = b.parse().unwrap();
                (u128::from(a), u128::from(b))
            } else if part.contains('/') {
                let n: Ipv6Net = part.parse().unwrap();
                (u128::from(n.network()), u128::from(n.broadcast()))
            } else {
                let a: Ipv6Addr = part.parse().unwrap();
                (u128::from(a), u128::from(a))
            }
        }))
    }

    proptest! {
        #[test]
        fn set_ops_match_the_reference_u128(a in pairs128(), b in pairs128()) {
            check_ops(&a, &b)?;
        }

        #[test]
        fn set_ops_match_the_reference_u32(a in pairs32(), b in pairs32()) {
            check_ops(&a, &b)?;
        }

        #[test]
        fn net6_is_the_masked_interval(a in any::<u128>(), prefix in 0u8..=128) {
            let host = low_mask128(128 - u32::from(prefix));
            let (lo, hi) = (a & !host, a | host);
            let n = Ipv6Net::new(Ipv6Addr::from(a), prefix).unwrap();
            let s = net6(n);
            prop_assert_eq!(s.ranges(), &[(lo, hi)][..]);
            let want = if prefix == 128 {
                Ipv6Addr::from(a).to_string()
            } else {
                format!("{}/{prefix}", Ipv6Addr::from(lo))
            };
            prop_assert_eq!(describe_set6(&s), want);
        }

        #[test]
        fn net_is_the_masked_interval(a in any::<u32>(), prefix in 0u8..=32) {
            let host = low_mask32(32 - u32::from(prefix));
            let (lo, hi) = (a & !host, a | host);
            let s = net(Ipv4Net::new(Ipv4Addr::from(a), prefix).unwrap());
            prop_assert_eq!(s.ranges(), &[(lo, hi)][..]);
            let want = if prefix == 32 {
                Ipv4Addr::from(a).to_string()
            } else {
                format!("{}/{prefix}", Ipv4Addr::from(lo))
            };
            prop_assert_eq!(describe_set(&s), want);
        }

        #[test]
        fn describe_set6_round_trips(nets in prop::collection::vec(cidr6(), 1..=4), cut in prop::collection::vec(cidr6(), 0..3)) {
            // Merged neighbouring blocks and blocks cut out of others make
            // ranges that are not blocks; past four ranges the text counts
            // the rest.
            let whole = cidrs6(&nets);
            let rest = whole.subtract(&cidrs6(&cut));
            let s = if rest.is_empty() { whole } else { rest };
            let text = describe_set6(&s);
            let n = s.ranges().len();
            let shown = if n > 4 {
                let suffix = format!(" and {} more ranges", n - 4);
                prop_assert!(text.ends_with(&suffix), "{}", text);
                &text[..text.len() - suffix.len()]
            } else {
                &text[..]
            };
            let want = Set::from_ranges(s.ranges().iter().take(4).copied());
            prop_assert_eq!(parse6(shown), want, "{}", text);
        }
    }
}
