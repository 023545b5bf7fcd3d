//! CIDR rules: host bits (E0102), sizes (E0103, E0104), secondary-block
//! restrictions (E0107), and helpers to describe ranges in messages.

use std::fmt::Display;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::Cidr;

/// `10.0.1.0/24 spans 10.0.1.0–10.0.1.255 (256 addresses)`
pub fn spans(net: Ipv4Net) -> String {
    format!(
        "{net} spans {}–{} ({} addresses)",
        net.network(),
        net.broadcast(),
        thousands(size(net))
    )
}

/// `65536` → `65,536`
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn size(net: Ipv4Net) -> u64 {
    1u64 << (32 - u32::from(net.prefix_len()))
}

/// E0102 when the literal has host bits set; the aligned network is the
/// help. `owner` says whose CIDR it is (`subnet \`a\``); it is only
/// formatted when there is something to report. Returns the aligned network
/// either way.
pub fn aligned(cidr: &Cidr, owner: &dyn Display, diags: &mut Vec<Diagnostic>) -> Ipv4Net {
    let net = cidr.net.trunc();
    if net.addr() != cidr.net.addr() {
        diags.push(host_bits(
            &cidr.net,
            &net,
            &spans_short(net),
            cidr.span,
            owner,
        ));
    }
    net
}

/// E0102 for a literal `written` (at `span`) whose network is `net`, which
/// `spans` (`spans 10.0.0.0–10.0.255.255`); either address family.
pub fn host_bits(
    written: &dyn Display,
    net: &dyn Display,
    spans: &str,
    span: crate::source::Span,
    owner: &dyn Display,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("CIDR `{written}` of {owner} has host bits set"),
        span,
        format!("host bits set; the network is {net}"),
    )
    .with_note(format!(
        "AWS silently canonicalises it to {net}, which {spans}"
    ))
    .with_help(format!("write `{net}`"))
}

fn spans_short(net: Ipv4Net) -> String {
    format!("spans {}–{}", net.network(), net.broadcast())
}

/// E0103 / E0104: AWS accepts /16 to /28 for VPC blocks and subnets.
/// `owner` names the block (`subnet \`c\``, `VPC \`main\``).
pub fn check_size(
    cidr: &Cidr,
    net: Ipv4Net,
    code: Code,
    owner: &dyn Display,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let len = net.prefix_len();
    if (16..=28).contains(&len) {
        return true;
    }
    let (label, help) = if len < 16 {
        let more = if code == Code::E0103 {
            ", and add more blocks with `cidr` if needed"
        } else {
            ""
        };
        (
            format!("larger than /16: {} addresses", thousands(size(net))),
            format!("use a /16 or smaller, e.g. `{}/16`{more}", net.network()),
        )
    } else {
        let usable = size(net).saturating_sub(5);
        (
            format!(
                "smaller than /28: {} addresses, {usable} usable after AWS reserves 5",
                size(net)
            ),
            format!("use at least a /28, e.g. `{}/28`", net.network()),
        )
    };
    diags.push(
        Diagnostic::new(code, format!("{owner} is a /{len}, outside the /16–/28 AWS allows"), cidr.span, label)
            .with_note("AWS VPC blocks and subnets must be between /16 (65,536 addresses) and /28 (16 addresses)")
            .with_help(help),
    );
    false
}

const RFC1918: [(u32, u8); 3] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)];

fn net(addr: u32, len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(addr), len).unwrap_or_default()
}

pub fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    // Two blocks overlap when one contains the other's first address, that
    // is when their ranges intersect; compared as integers because this
    // runs for every pair of subnets of a VPC (E0106).
    let (a0, a1) = (u32::from(a.network()), u32::from(a.broadcast()));
    let (b0, b1) = (u32::from(b.network()), u32::from(b.broadcast()));
    a0 <= b1 && b0 <= a1
}

/// Which class of range a primary block is in, for the secondary-block table
/// of aws-facts.md §1 (vpc-cidr-blocks.html).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Ten,
    OneSevenTwo,
    OneNineTwo,
    OneNineEight,
    Other,
}

fn class(n: Ipv4Net) -> Class {
    if net(0x0A00_0000, 8).contains(&n) {
        Class::Ten
    } else if net(0xAC10_0000, 12).contains(&n) {
        Class::OneSevenTwo
    } else if net(0xC0A8_0000, 16).contains(&n) {
        Class::OneNineTwo
    } else if net(0xC613_0000, 16).contains(&n) {
        Class::OneNineEight
    } else {
        Class::Other
    }
}

/// Why AWS refuses a block: the label for the offending CIDR, a note with
/// the rule, and the existing block it collides with, if any.
pub struct Restriction {
    pub label: String,
    pub note: String,
    pub overlapped: Option<Ipv4Net>,
}

/// 169.254.168.0/22 or any part of it: AWS refuses it as a route
/// destination (aws-facts §2, VPC_Route_Tables.html). Larger blocks that
/// contain it are accepted.
pub fn is_forbidden_destination(n: Ipv4Net) -> bool {
    net(0xA9FE_A800, 22).contains(&n)
}

/// 169.254.0.0/16 (link-local) cannot be a block of any VPC.
pub fn is_link_local(n: Ipv4Net) -> bool {
    overlaps(net(0xA9FE_0000, 16), n)
}

/// The row of the secondary-block table of aws-facts.md §1
/// (vpc-cidr-blocks.html) that applies to a primary block.
fn table_row(primary: Ipv4Net) -> &'static str {
    match class(primary) {
        Class::Ten => {
            "with a primary block in 10.0.0.0/8, AWS restricts secondary blocks from 172.16.0.0/12, 192.168.0.0/16 and 198.19.0.0/16; other 10.0.0.0/8 blocks, 100.64.0.0/10 and publicly routable blocks are permitted"
        }
        Class::OneSevenTwo => {
            "with a primary block in 172.16.0.0/12, AWS restricts secondary blocks from 10.0.0.0/8, 192.168.0.0/16, 172.31.0.0/16 and 198.19.0.0/16; other 172.16.0.0/12 blocks, 100.64.0.0/10 and publicly routable blocks are permitted"
        }
        Class::OneNineTwo => {
            "with a primary block in 192.168.0.0/16, AWS restricts secondary blocks from 10.0.0.0/8, 172.16.0.0/12 and 198.19.0.0/16; other 192.168.0.0/16 blocks, 100.64.0.0/10 and publicly routable blocks are permitted"
        }
        Class::OneNineEight => {
            "with a primary block in 198.19.0.0/16, AWS restricts secondary blocks from all RFC 1918 ranges; 100.64.0.0/10 and publicly routable blocks are permitted"
        }
        Class::Other => {
            "with a publicly routable or 100.64.0.0/10 primary block, AWS restricts secondary blocks from RFC 1918 ranges and 198.19.0.0/16; other public blocks and 100.64.0.0/10 are permitted"
        }
    }
}

/// Why AWS refuses `secondary` as an extra block of a VPC whose blocks are
/// `existing` (primary first), or `None` when it is allowed.
pub fn secondary_restriction(existing: &[Ipv4Net], secondary: Ipv4Net) -> Option<Restriction> {
    let primary = *existing.first()?;
    if is_link_local(secondary) {
        return Some(Restriction {
            label: "169.254.0.0/16 is link-local".to_string(),
            note: "AWS cannot assign the link-local range 169.254.0.0/16 to a VPC at all"
                .to_string(),
            overlapped: None,
        });
    }
    if let Some(o) = existing.iter().find(|e| overlaps(**e, secondary)) {
        return Some(Restriction {
            label: format!("overlaps the VPC's block {o}"),
            note: format!(
                "{}; {}; the blocks of one VPC must not overlap",
                spans(secondary),
                spans(*o)
            ),
            overlapped: Some(*o),
        });
    }
    let in_any = |ranges: &[(u32, u8)]| {
        ranges
            .iter()
            .map(|&(a, l)| net(a, l))
            .find(|r| overlaps(*r, secondary))
    };
    let slash16_198 = [(0xC613_0000u32, 16u8)];
    let restricted: Vec<(u32, u8)> = match class(primary) {
        Class::Ten => vec![(0xAC10_0000, 12), (0xC0A8_0000, 16), (0xC613_0000, 16)],
        Class::OneSevenTwo => vec![
            (0x0A00_0000, 8),
            (0xC0A8_0000, 16),
            (0xAC1F_0000, 16),
            (0xC613_0000, 16),
        ],
        Class::OneNineTwo => vec![(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC613_0000, 16)],
        Class::OneNineEight => RFC1918.to_vec(),
        Class::Other => RFC1918.iter().copied().chain(slash16_198).collect(),
    };
    if let Some(r) = in_any(&restricted) {
        return Some(Restriction {
            label: format!("in {r}, restricted for this VPC"),
            note: table_row(primary).to_string(),
            overlapped: None,
        });
    }
    // 10.0.0.0/8 primary: if any block is in 10.0.0.0/15, no block from
    // 10.0.0.0/16 may be added.
    if class(primary) == Class::Ten {
        let ten15 = net(0x0A00_0000, 15);
        let ten16 = net(0x0A00_0000, 16);
        if let Some(e) = existing.iter().find(|e| overlaps(**e, ten15))
            && overlaps(secondary, ten16)
        {
            return Some(Restriction {
                label: "in 10.0.0.0/16, refused beside a block in 10.0.0.0/15".to_string(),
                note: format!(
                    "the VPC already has {e}, inside 10.0.0.0/15; AWS then refuses any block from 10.0.0.0/16"
                ),
                overlapped: Some(*e),
            });
        }
    }
    None
}

/// Address blocks in use, sorted, for "does this block overlap any?" in
/// O(log n): a VPC may have thousands of subnets, and every overlapping
/// one asks for a free range.
#[derive(Clone, Debug, Default)]
pub struct Occupied {
    /// First addresses, ascending.
    starts: Vec<u32>,
    /// `max_end[i]`: the highest last address among blocks `0..=i`.
    max_end: Vec<u32>,
}

impl Occupied {
    pub fn new(nets: &[Ipv4Net]) -> Occupied {
        let mut ranges: Vec<(u32, u32)> = nets
            .iter()
            .map(|n| (u32::from(n.network()), u32::from(n.broadcast())))
            .collect();
        ranges.sort_unstable();
        let mut max_end = Vec::with_capacity(ranges.len());
        let mut hi = 0;
        for (i, &(_, e)) in ranges.iter().enumerate() {
            hi = if i == 0 { e } else { hi.max(e) };
            max_end.push(hi);
        }
        Occupied {
            starts: ranges.iter().map(|r| r.0).collect(),
            max_end,
        }
    }

    /// Whether some block in use shares an address with `net`.
    pub fn overlaps(&self, net: Ipv4Net) -> bool {
        let (a, b) = (u32::from(net.network()), u32::from(net.broadcast()));
        // Blocks starting at or before `b`; one of them reaches `a`?
        let k = self.starts.partition_point(|&s| s <= b);
        k > 0 && self.max_end.get(k - 1).is_some_and(|&e| e >= a)
    }
}

/// A free aligned block of `len` inside `outer` that overlaps none of
/// `used`, for help messages.
pub fn free_block(outer: &[Ipv4Net], used: &Occupied, len: u8) -> Option<Ipv4Net> {
    for o in outer {
        if len < o.prefix_len() {
            continue;
        }
        let step = 1u64 << (32 - u32::from(len));
        let start = u64::from(u32::from(o.network()));
        let end = start + size(*o);
        let mut a = start;
        let mut tries = 0;
        while a < end && tries < 100_000 {
            let cand = net(u32::try_from(a).unwrap_or(0), len);
            if !used.overlaps(cand) {
                return Some(cand);
            }
            a += step;
            tries += 1;
        }
    }
    None
}

/// Blocks seen so far, each with a payload, answering "the first one (in
/// the order pushed) that overlaps this block" without a scan. Two CIDR
/// blocks overlap when one contains the other, so the answer is among the
/// blocks containing it (one lookup per shorter prefix) and the blocks
/// starting inside it (a range of the start index).
#[derive(Debug)]
pub struct FirstOverlap<T> {
    items: Vec<(Ipv4Net, T)>,
    /// The first index pushed for each exact block.
    by_block: std::collections::HashMap<(u32, u8), usize>,
    /// The first index pushed for each first address.
    by_start: std::collections::BTreeMap<u32, usize>,
}

impl<T> Default for FirstOverlap<T> {
    fn default() -> Self {
        FirstOverlap {
            items: Vec::new(),
            by_block: Default::default(),
            by_start: Default::default(),
        }
    }
}

impl<T> FirstOverlap<T> {
    pub fn push(&mut self, net: Ipv4Net, payload: T) {
        let i = self.items.len();
        let start = u32::from(net.network());
        self.by_block.entry((start, net.prefix_len())).or_insert(i);
        self.by_start.entry(start).or_insert(i);
        self.items.push((net, payload));
    }

    /// The first block pushed that overlaps `net`.
    pub fn first(&self, net: Ipv4Net) -> Option<&(Ipv4Net, T)> {
        let (a, b) = (u32::from(net.network()), u32::from(net.broadcast()));
        let containing = (0..=net.prefix_len()).filter_map(|len| {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            self.by_block.get(&(a & mask, len)).copied()
        });
        let inside = self.by_start.range(a..=b).map(|(_, &i)| i);
        containing
            .chain(inside)
            .min()
            .and_then(|i| self.items.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Blocks clustered in 10.0.0.0/16 so that overlaps are common.
    fn block() -> impl Strategy<Value = Ipv4Net> {
        (0u32..65536, 16u8..=28).prop_map(|(low, len)| net(0x0a00_0000 | low, len).trunc())
    }

    proptest! {
        #[test]
        fn occupied_agrees_with_a_scan(used in prop::collection::vec(block(), 0..40), probe in block()) {
            let occ = Occupied::new(&used);
            prop_assert_eq!(occ.overlaps(probe), used.iter().any(|u| overlaps(*u, probe)));
        }

        #[test]
        fn first_overlap_agrees_with_a_scan(seen in prop::collection::vec(block(), 0..40), probe in block()) {
            let mut index = FirstOverlap::default();
            for (i, n) in seen.iter().enumerate() {
                index.push(*n, i);
            }
            let want = seen.iter().position(|n| overlaps(*n, probe));
            prop_assert_eq!(index.first(probe).map(|x| x.1), want);
        }

        #[test]
        fn free_block_is_free_and_first(used in prop::collection::vec(block(), 0..40), len in 16u8..=28) {
            let outer = [net(0x0a00_0000, 16)];
            let found = free_block(&outer, &Occupied::new(&used), len);
            // The first aligned block of that size that nothing uses.
            let step = 1u32 << (32 - u32::from(len));
            let want = (0..(1u32 << (u32::from(len) - 16)))
                .map(|k| net(0x0a00_0000 + k * step, len))
                .find(|c| !used.iter().any(|u| overlaps(*u, *c)));
            prop_assert_eq!(found, want);
        }
    }
}
