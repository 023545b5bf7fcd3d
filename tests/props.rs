//! Property tests: `vpc::compile` never panics, is deterministic and keeps
//! its spans inside the source, on generated programs, on mutated examples
//! and on arbitrary text; and the CIDR arithmetic agrees with an
//! independent reference written with plain `u32` arithmetic.
//!
//! Case counts are modest so that the whole file runs in seconds; the fuzz
//! targets in `fuzz/` explore the same ground for hours. Raise them for one
//! run with `PROPTEST_CASES=5000 cargo test --test props`.

mod support;

use std::net::Ipv4Addr;

use arbitrary::Unstructured;
use ipnet::Ipv4Net;
use proptest::prelude::*;
use support::invariants::{compile_checked, compile_twice};
use support::{differential, generator};
use vpc::diag::{Diagnostic, Severity};

fn codes(ds: &[Diagnostic]) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = ds.iter().map(|d| d.code.as_str()).collect();
    v.sort_unstable();
    v
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Generated programs
// ---------------------------------------------------------------------------

fn generated(bytes: &[u8]) -> generator::Program {
    let mut u = Unstructured::new(bytes);
    generator::program(&mut u)
        .expect("the generator never fails: it falls back when the bytes run out")
}

proptest! {
    #![proptest_config(config(192))]

    /// Generated programs are always syntactically valid (no E0001), their
    /// literals are well formed unless the generator broke one on purpose,
    /// and the layout (one line or indented, LF or CRLF, comments, a BOM)
    /// changes nothing but positions.
    #[test]
    fn generated_programs(bytes in proptest::collection::vec(any::<u8>(), 0..6144)) {
        let p = generated(&bytes);
        let src = p.print();
        let ds = compile_twice(&src);
        let listing = || format!("mistakes {:?}\n--- source ---\n{src}\n--- diagnostics ---\n{:#?}", p.mistakes, codes(&ds));
        prop_assert!(!ds.iter().any(|d| d.code.as_str() == "E0001"), "syntax error in a generated program\n{}", listing());
        let broke_literal = p.mistakes.iter().any(|m| m.starts_with("malformed"));
        if !broke_literal {
            prop_assert!(!ds.iter().any(|d| d.code.as_str() == "E0101"), "E0101 without a malformed literal\n{}", listing());
        }
        let plain = p.print_with(generator::Layout::PLAIN);
        let ds_plain = compile_checked(&plain);
        prop_assert_eq!(codes(&ds), codes(&ds_plain), "layout changed the diagnostics\n{}", listing());
    }

    /// A program the generator meant to be free of static errors has none:
    /// only a failed `expect` (E0501) may be an error. A failure here is a
    /// disagreement between the generator's reading of the rules and the
    /// checker's: one of the two is wrong, and the shrunk program shows
    /// which rule.
    #[test]
    fn intended_valid_programs_have_no_static_errors(bytes in proptest::collection::vec(any::<u8>(), 0..6144)) {
        let p = generator::valid_program(&mut Unstructured::new(&bytes)).expect("the generator never fails");
        prop_assert!(p.mistakes.is_empty(), "mistakes in a valid program: {:?}", p.mistakes);
        let src = p.print();
        let ds = compile_checked(&src);
        let errors: Vec<&Diagnostic> =
            ds.iter().filter(|d| d.severity == Severity::Error && d.code.as_str() != "E0501").collect();
        prop_assert!(errors.is_empty(), "static errors in an intended-valid program:\n{}\n--- source ---\n{src}",
            errors.iter().map(|d| format!("{}: {}", d.code, d.message)).collect::<Vec<_>>().join("\n"));
    }
}

// ---------------------------------------------------------------------------
// Mutated examples
// ---------------------------------------------------------------------------

fn examples() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "vpc"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no examples/*.vpc");
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("read example"))
        .collect()
}

/// Tokens worth splicing into a file: structure, literals at the edges of
/// their ranges, keywords out of place.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    "->",
    "#",
    "\"",
    "\n",
    "\r\n",
    "\u{FEFF}",
    "\0",
    "é",
    "🦀",
    "/",
    "/33",
    "/0",
    ".",
    "256",
    "0.0.0.0/0",
    "255.255.255.255/32",
    "10.0.0.0/8",
    "99999999999999999999",
    "::",
    "2001:db8::/32",
    "vpc",
    "subnet",
    "route",
    "expect",
    "can",
    "reach",
    "via",
    "internet",
    "service",
    "blackhole",
    "local",
    "main",
    "private",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Token { at: usize, token: usize },
    Swap { a: usize, b: usize },
    Duplicate { at: usize, len: usize, to: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Positions are fractions of the current length (in 1/65536), so a
    // mutation stays meaningful after earlier ones changed the length.
    prop_oneof![
        (any::<u16>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete {
            at: at as usize,
            len
        }),
        (any::<u16>(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, bytes)| {
            Mutation::Insert {
                at: at as usize,
                bytes,
            }
        }),
        (any::<u16>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Token {
            at: at as usize,
            token
        }),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Swap {
            a: a as usize,
            b: b as usize
        }),
        (any::<u16>(), 1usize..200, any::<u16>()).prop_map(|(at, len, to)| Mutation::Duplicate {
            at: at as usize,
            len,
            to: to as usize
        }),
        any::<u16>().prop_map(|at| Mutation::Truncate { at: at as usize }),
    ]
}

fn pos(frac: usize, len: usize) -> usize {
    frac * len / 65536
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    match m {
        Mutation::Delete { at, len } => {
            let s = pos(*at, n);
            let e = (s + len).min(n);
            bytes.drain(s..e);
        }
        Mutation::Insert { at, bytes: ins } => {
            let s = pos(*at, n);
            bytes.splice(s..s, ins.iter().copied());
        }
        Mutation::Token { at, token } => {
            let s = pos(*at, n);
            bytes.splice(s..s, TOKENS[*token].bytes());
        }
        Mutation::Swap { a, b } => {
            if n > 0 {
                bytes.swap(pos(*a, n), pos(*b, n));
            }
        }
        Mutation::Duplicate { at, len, to } => {
            let s = pos(*at, n);
            let e = (s + len).min(n);
            let chunk: Vec<u8> = bytes[s..e].to_vec();
            let t = pos(*to, n);
            bytes.splice(t..t, chunk);
        }
        Mutation::Truncate { at } => bytes.truncate(pos(*at, n)),
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Byte-level mutations of the examples (deletions, insertions, token
    /// splices, swaps, duplications, truncations) never make the compiler
    /// panic, and it stays deterministic.
    #[test]
    fn mutated_examples(which in any::<prop::sample::Index>(), muts in proptest::collection::vec(mutation(), 1..6)) {
        let all = examples();
        let mut bytes = all[which.index(all.len())].clone();
        for m in &muts {
            apply(&mut bytes, m);
        }
        let src = String::from_utf8_lossy(&bytes);
        compile_twice(&src);
    }

    /// Arbitrary Unicode text.
    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        compile_twice(&s);
    }

    /// Text from the language's own alphabet, which gets much further into
    /// the grammar than arbitrary Unicode does.
    #[test]
    fn token_soup(s in "([a-z_]{1,12}|[0-9]{1,4}|[./{}\\[\\],#>\"-]|->|\\s|\r\n|\u{FEFF}){0,120}") {
        compile_twice(&s);
    }
}

// ---------------------------------------------------------------------------
// The fast parser against pest (see tests/fast_parser.rs)
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// Generated programs, in every layout and with deliberate mistakes:
    /// the fast parser never contradicts pest, and it accepts every
    /// program whose literals are well formed (all of them parse).
    #[test]
    fn fast_parser_agrees_on_generated_programs(bytes in proptest::collection::vec(any::<u8>(), 0..6144)) {
        let p = generated(&bytes);
        let src = p.print();
        let outcome = differential::compare(&src);
        if !p.mistakes.iter().any(|m| m.starts_with("malformed")) {
            prop_assert_eq!(outcome, differential::Outcome::Both, "declined a valid program\n{}", src);
        }
    }

    /// Mutated examples: if the fast parser accepts, pest accepts with an
    /// equal tree; if pest rejects, the fast parser rejects.
    #[test]
    fn fast_parser_agrees_on_mutated_examples(which in any::<prop::sample::Index>(), muts in proptest::collection::vec(mutation(), 1..6)) {
        let all = examples();
        let mut bytes = all[which.index(all.len())].clone();
        for m in &muts {
            apply(&mut bytes, m);
        }
        differential::compare(&String::from_utf8_lossy(&bytes));
    }

    /// The language's own alphabet, and arbitrary text.
    #[test]
    fn fast_parser_agrees_on_token_soup(s in "(vpc a 10.0.0.0/16 \\{|vpc|subnet|instance|route_table|route|security_group|network_acl|inbound|allow|ingress|egress|tcp|all|from|to|internet|service|expect|can|reach|via|external|region|peering|transit_gateway|attach|vpn|vpn_gateway|security_group_referencing|propagate|routes|on_premises|blackhole|az|main|private|on|off|[a-z_]{1,12}|[0-9]{1,4}|[./{}\\[\\],:#>\"-]|->|\\s|\r\n|\u{FEFF}){0,120}") {
        differential::compare(&s);
    }

    #[test]
    fn fast_parser_agrees_on_arbitrary_strings(s in any::<String>()) {
        differential::compare(&s);
    }
}

/// The whole generated corpus for one fixed seed: quick to run, and a
/// failure names a program that reproduces without proptest.
#[test]
fn generated_programs_fixed_seeds() {
    // The corpus must exercise prefix lists where routes and rules name
    // them, not only declare them.
    let (mut list_routes, mut list_rules) = (0, 0);
    // And transit gateways: attachments, VPNs, VPC routes to a gateway.
    let (mut attachments, mut vpns, mut tgw_routes, mut tgw_clean) = (0, 0, 0, 0);
    // And virtual private gateways: declared, propagated, routed to.
    let (mut vgws, mut vgw_propagations, mut vgw_routes, mut vgw_clean) = (0, 0, 0, 0);
    for seed in 0u64..64 {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let p = generated(&bytes);
        let src = p.print_with(generator::Layout::PLAIN);
        let ds = compile_twice(&src);
        assert!(
            !ds.iter().any(|d| d.code.as_str() == "E0001"),
            "seed {seed}: syntax error\n{src}\n{ds:#?}"
        );
        list_routes += src
            .lines()
            .filter(|l| l.trim_start().starts_with("route pl"))
            .count();
        list_rules += src
            .lines()
            .filter(|l| l.contains(" from pl") || l.contains(" to pl"))
            .count();
        let count = |pre: &str| {
            src.lines()
                .filter(|l| l.trim_start().starts_with(pre))
                .count()
        };
        attachments += count("attach ");
        vpns += count("vpn ");
        tgw_routes += src.lines().filter(|l| l.contains("/15 -> ")).count();
        vgws += count("vpn_gateway ");
        vgw_propagations += count("propagate vgw");
        vgw_routes += src
            .lines()
            .filter(|l| l.contains("100.64.0.0/16 -> vgw"))
            .count();
        let clean = !ds
            .iter()
            .any(|d| d.is_error() && d.code.as_str() != "E0501");
        if src.contains("vpn_gateway") && clean {
            vgw_clean += 1;
        }
        // Free of static errors (a failed `expect`, E0501, may remain).
        if src.contains("transit_gateway")
            && !ds
                .iter()
                .any(|d| d.is_error() && d.code.as_str() != "E0501")
        {
            tgw_clean += 1;
        }
    }
    assert!(
        list_routes > 0 && list_rules > 0,
        "{list_routes} list routes, {list_rules} list rules"
    );
    assert!(
        attachments > 0 && vpns > 0 && tgw_routes > 0 && tgw_clean > 0,
        "{attachments} attachments, {vpns} VPNs, {tgw_routes} routes to a gateway, {tgw_clean} files with one and no static error"
    );
    assert!(
        vgws > 0 && vgw_propagations > 0 && vgw_routes > 0 && vgw_clean > 0,
        "{vgws} virtual private gateways, {vgw_propagations} propagations, {vgw_routes} routes to one, {vgw_clean} files with one and no static error"
    );
}

// ---------------------------------------------------------------------------
// CIDR algebra against a u32 reference
// ---------------------------------------------------------------------------

/// The reference: a block as (base, prefix length) with plain arithmetic.
#[derive(Clone, Copy, Debug)]
struct Block {
    base: u32,
    len: u8,
}

impl Block {
    fn new(addr: u32, len: u8) -> Block {
        Block {
            base: addr & Self::mask(len),
            len,
        }
    }

    fn mask(len: u8) -> u32 {
        if len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(len))
        }
    }

    fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.len))
    }

    fn last(self) -> u32 {
        (u64::from(self.base) + self.size() - 1) as u32
    }

    fn contains_addr(self, a: u32) -> bool {
        self.base <= a && a <= self.last()
    }

    /// `self` ⊇ `other`.
    fn contains(self, other: Block) -> bool {
        self.base <= other.base && other.last() <= self.last()
    }

    fn overlaps(self, other: Block) -> bool {
        self.base <= other.last() && other.base <= self.last()
    }

    fn net(self) -> Ipv4Net {
        Ipv4Net::new(Ipv4Addr::from(self.base), self.len).expect("len <= 32")
    }
}

fn block() -> impl Strategy<Value = Block> {
    // Bias towards related blocks: a few bases share their top bits.
    (
        prop_oneof![
            any::<u32>(),
            (0u32..4).prop_map(|k| 0x0A00_0000 | (k << 14)),
            (0u32..64).prop_map(|k| 0x0A00_0000 + k * 256)
        ],
        0u8..=32,
    )
        .prop_map(|(a, l)| Block::new(a, l))
}

/// The implementation's view: what the checker will use (ipnet), with
/// overlap written the way a checker writes it.
fn impl_overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn overlap_matches_reference_and_is_symmetric(a in block(), b in block()) {
        prop_assert_eq!(a.overlaps(b), b.overlaps(a));
        prop_assert_eq!(impl_overlaps(a.net(), b.net()), a.overlaps(b));
        prop_assert_eq!(impl_overlaps(b.net(), a.net()), impl_overlaps(a.net(), b.net()));
    }

    #[test]
    fn containment_matches_reference_and_is_transitive(a in block(), b in block(), c in block()) {
        prop_assert_eq!(a.net().contains(&b.net()), a.contains(b));
        if a.net().contains(&b.net()) && b.net().contains(&c.net()) {
            prop_assert!(a.net().contains(&c.net()));
        }
        // Containment implies overlap; disjoint blocks contain nothing of
        // each other.
        if a.contains(b) {
            prop_assert!(a.overlaps(b));
        }
    }

    #[test]
    fn usable_and_reserved_match_reference(addr in any::<u32>(), len in 16u8..=28) {
        let b = Block::new(addr, len);
        let usable = vpc::model::Usable::of(b.net());
        prop_assert_eq!(u64::from(usable.count), b.size() - 5);
        prop_assert_eq!(u32::from(usable.first), b.base + 4);
        prop_assert_eq!(u32::from(usable.last), b.last() - 1);
        prop_assert!(b.contains_addr(u32::from(usable.first)) && b.contains_addr(u32::from(usable.last)));
        let r = vpc::model::Reserved::of(b.net());
        let reserved = [r.network, r.router, r.dns, r.future, r.broadcast].map(u32::from);
        prop_assert_eq!(reserved, [b.base, b.base + 1, b.base + 2, b.base + 3, b.last()]);
        // Every address of the block is either reserved or usable, never
        // both; the usable ones number `count`.
        for a in [b.base, b.base + 3, b.base + 4, b.last() - 1, b.last()] {
            let is_reserved = r.role(Ipv4Addr::from(a)).is_some();
            let is_usable = u32::from(usable.first) <= a && a <= u32::from(usable.last);
            prop_assert!(is_reserved != is_usable, "{} in {}", Ipv4Addr::from(a), b.net());
        }
    }

    /// Host bits: the aligned network of a CIDR with host bits set.
    #[test]
    fn host_bits_reference(addr in any::<u32>(), len in 0u8..=32) {
        let net = Ipv4Net::new(Ipv4Addr::from(addr), len).expect("len <= 32");
        prop_assert_eq!(u32::from(net.trunc().addr()), addr & Block::mask(len));
        prop_assert_eq!(net.addr() != net.trunc().addr(), addr & !Block::mask(len) != 0);
    }
}

// ---------------------------------------------------------------------------
// The CIDR rules end to end, once the checker reports them
// ---------------------------------------------------------------------------

/// Whether the semantic checks (E0103 and up) exist yet in this build. The
/// end-to-end CIDR properties below are vacuous until they do, and say so.
fn cidr_checks_exist() -> bool {
    let ds = vpc::compile("vpc v 10.0.0.0/8 {}\n").diagnostics;
    ds.iter().any(|d| d.code.as_str() == "E0103")
}

proptest! {
    #![proptest_config(config(128))]

    /// Two subnets with random CIDRs in a VPC: E0104 exactly for sizes
    /// outside /16–/28, E0105 exactly for a subnet of a valid size outside
    /// the VPC, E0106 exactly when both are valid (size and position) and
    /// overlap, never for disjoint ones, per the reference.
    #[test]
    fn subnet_rules_match_reference(a in block(), b in block(), vlen in 8u8..=28) {
        if !cidr_checks_exist() {
            eprintln!("note: E0103 not reported yet: the end-to-end CIDR property is skipped");
            return Ok(());
        }
        let vpc = Block::new(0x0A00_0000, vlen.max(16));
        let src = format!(
            "vpc v {} {{\n  subnet a {} az a\n  subnet b {} az b\n}}\n",
            vpc.net(), a.net(), b.net()
        );
        let ds = compile_checked(&src);
        let has = |code: &str, name_line: u32| ds.iter().any(|d| d.code.as_str() == code && vpc::source::line_col(&src, d.primary.span.start as usize).0 == name_line as usize);
        for (blk, line) in [(a, 2u32), (b, 3)] {
            let bad_size = !(16..=28).contains(&blk.len);
            prop_assert_eq!(has("E0104", line), bad_size, "E0104 line {}\n{}\n{:#?}", line, src, codes(&ds));
            if !bad_size {
                prop_assert_eq!(has("E0105", line), !vpc.contains(blk), "E0105 line {}\n{}\n{:#?}", line, src, codes(&ds));
            }
        }
        // Overlap is judged between subnets that are otherwise valid: a
        // subnet refused for its size or position need not be compared.
        let sized = |x: Block| (16..=28).contains(&x.len);
        let both_ok = vpc.contains(a) && vpc.contains(b) && sized(a) && sized(b);
        let overlap = ds.iter().any(|d| d.code.as_str() == "E0106");
        if both_ok {
            prop_assert_eq!(overlap, a.overlaps(b), "E0106\n{}\n{:#?}", src, codes(&ds));
        } else if !a.overlaps(b) {
            prop_assert!(!overlap, "E0106 for disjoint subnets\n{}", src);
        }
    }
}
