//! The subnets of one VPC seen so far, indexed for E0106: which earlier
//! subnet (the first in source order) overlaps a new one.
//!
//! Two CIDR blocks overlap exactly when one contains the other. The blocks
//! containing a new one are its own network truncated to each shorter
//! prefix, looked up by key; the blocks inside it are a range of keys
//! (network, prefix length). So each subnet costs O(32 log n) instead of a
//! scan of every earlier subnet, which was quadratic in a VPC's subnets.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use crate::source::Span;

#[derive(Default)]
pub struct SeenSubnets {
    /// Every subnet in source order, overlapping ones included.
    list: Vec<(Ipv4Net, Span, String)>,
    /// (network, prefix length) to the first subnet with that block.
    first: BTreeMap<(u32, u8), usize>,
}

impl SeenSubnets {
    pub fn push(&mut self, net: Ipv4Net, span: Span, name: String) {
        let _ = self.first.entry(key(net)).or_insert(self.list.len());
        self.list.push((net, span, name));
    }

    /// The first subnet, in source order, that overlaps `net`.
    pub fn first_overlapping(&self, net: Ipv4Net) -> Option<&(Ipv4Net, Span, String)> {
        let mut best: Option<usize> = None;
        let mut consider = |i: usize| best = Some(best.map_or(i, |b| b.min(i)));
        // Blocks that contain `net`, or are equal to it.
        for len in 0..=net.prefix_len() {
            let outer = Ipv4Net::new(net.network(), len).map(|n| n.trunc());
            if let Some(&i) = outer.ok().and_then(|o| self.first.get(&key(o))) {
                consider(i);
            }
        }
        // Blocks strictly inside `net`: a network in its range with a longer
        // prefix. Alignment keeps every key in this range inside `net`.
        if net.prefix_len() < 32 {
            let lo = (u32::from(net.network()), net.prefix_len() + 1);
            let hi = (u32::from(net.broadcast()), 32);
            for (_, &i) in self.first.range(lo..=hi) {
                consider(i);
            }
        }
        best.and_then(|i| self.list.get(i))
    }

    /// Every block seen, for the "free range" help.
    pub fn nets(&self) -> Vec<Ipv4Net> {
        self.list.iter().map(|x| x.0).collect()
    }
}

fn key(net: Ipv4Net) -> (u32, u8) {
    (u32::from(net.network()), net.prefix_len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().expect("test CIDR")
    }

    fn seen(nets: &[&str]) -> SeenSubnets {
        let mut s = SeenSubnets::default();
        for (i, n) in nets.iter().enumerate() {
            s.push(net(n), Span::default(), format!("s{i}"));
        }
        s
    }

    fn first(s: &SeenSubnets, n: &str) -> Option<String> {
        s.first_overlapping(net(n)).map(|x| x.2.clone())
    }

    #[test]
    fn finds_equal_containing_and_contained_blocks() {
        let s = seen(&["10.0.0.0/24", "10.0.1.0/24", "10.0.4.0/22"]);
        assert_eq!(first(&s, "10.0.1.0/24"), Some("s1".into()));
        assert_eq!(first(&s, "10.0.1.128/25"), Some("s1".into()));
        assert_eq!(first(&s, "10.0.0.0/23"), Some("s0".into()));
        assert_eq!(first(&s, "10.0.5.0/24"), Some("s2".into()));
        assert_eq!(first(&s, "10.0.0.0/16"), Some("s0".into()));
        assert_eq!(first(&s, "10.0.2.0/24"), None);
        assert_eq!(first(&s, "10.0.8.0/22"), None);
        assert_eq!(first(&s, "10.1.0.0/16"), None);
    }

    #[test]
    fn names_the_first_in_source_order() {
        // Both overlap 10.0.0.0/22; the later-declared one has the lower
        // address.
        let s = seen(&["10.0.2.0/24", "10.0.0.0/24", "10.0.0.0/24"]);
        assert_eq!(first(&s, "10.0.0.0/22"), Some("s0".into()));
        assert_eq!(first(&s, "10.0.0.0/24"), Some("s1".into()));
    }

    #[test]
    fn agrees_with_a_linear_scan() {
        let overlaps =
            |a: Ipv4Net, b: Ipv4Net| a.contains(&b.network()) || b.contains(&a.network());
        let mut x: u64 = 7;
        let mut s = SeenSubnets::default();
        for i in 0..400 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = 16 + ((x >> 33) % 13) as u8;
            let addr = 0x0A00_0000 | ((x >> 40) as u32 & 0xFFFF);
            let n = Ipv4Net::new(addr.into(), len).expect("len <= 32").trunc();
            let linear = s
                .list
                .iter()
                .find(|e| overlaps(e.0, n))
                .map(|e| e.2.clone());
            assert_eq!(s.first_overlapping(n).map(|e| e.2.clone()), linear, "{n}");
            s.push(n, Span::default(), format!("s{i}"));
        }
    }
}
