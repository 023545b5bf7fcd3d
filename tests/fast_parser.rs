//! The hand-written fast parser against the pest parser, the reference.
//!
//! `syntax::parse` uses the fast parser and falls back to pest whenever it
//! declines. Two things must hold for that to be invisible:
//!
//! 1. when the fast parser accepts a file, pest accepts it too and the two
//!    trees are equal (same nodes, same spans);
//! 2. when pest rejects a file, the fast parser rejects it too, so every
//!    diagnostic still comes from pest.
//!
//! `support::differential::compare` checks both for one input. Here it runs
//! on the examples, every UI and regression fixture, generated programs,
//! hand-picked corner cases and systematically broken examples; the
//! property tests in `tests/props.rs` run it on random input. On valid
//! files from the corpus the fast parser must also *accept* (else the
//! speed-up would silently be lost).

mod support;

use std::path::{Path, PathBuf};

use support::differential::{Outcome, compare};
use vpc::r#gen::{GenParams, Hub, generate_with};

fn vpc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            vpc_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "vpc") {
            out.push(p);
        }
    }
}

fn corpus(sub: &str) -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    vpc_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(sub), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read fixture");
            (p, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// Every file of a corpus: valid ones must be accepted by both parsers with
/// equal trees, invalid ones rejected by both. Returns (valid, invalid).
fn check_corpus(sub: &str) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    for (path, src) in corpus(sub) {
        match compare(&src) {
            Outcome::Both => valid += 1,
            Outcome::Neither => invalid += 1,
            Outcome::PestOnly => panic!(
                "{}: pest accepts it, the fast parser declines",
                path.display()
            ),
        }
    }
    (valid, invalid)
}

#[test]
fn examples_give_equal_trees() {
    let (valid, invalid) = check_corpus("examples");
    assert_eq!(invalid, 0);
    assert!(valid >= 6, "only {valid} examples");
}

#[test]
fn ui_fixtures_agree() {
    let (valid, invalid) = check_corpus("tests/ui");
    // Most UI fixtures parse (their errors come from `check`); the `parse`
    // and `literals` ones do not.
    assert!(valid >= 40, "{valid} valid UI fixtures");
    assert!(invalid >= 8, "{invalid} invalid UI fixtures");
}

#[test]
fn other_fixtures_agree() {
    let (valid, invalid) = check_corpus("tests/fixtures");
    assert!(valid + invalid >= 10, "{valid} + {invalid} fixtures");
    assert!(invalid >= 5, "{invalid} invalid regression fixtures");
}

#[test]
fn generated_programs_give_equal_trees() {
    let mut small = GenParams::org(7);
    small.vpcs = 3;
    let sets = [
        small,
        GenParams {
            vpcs: 1,
            azs: 1,
            subnets_per_az: 1,
            instances_per_subnet: 0,
            security_groups_per_vpc: 5,
            seed: 9,
        },
        GenParams {
            vpcs: 2,
            azs: 6,
            subnets_per_az: 20,
            instances_per_subnet: 3,
            security_groups_per_vpc: 12,
            seed: 3,
        },
        GenParams {
            vpcs: 10,
            azs: 3,
            subnets_per_az: 9,
            instances_per_subnet: 2,
            security_groups_per_vpc: 20,
            seed: 11,
        },
        GenParams {
            vpcs: 20,
            azs: 1,
            subnets_per_az: 1,
            instances_per_subnet: 1,
            security_groups_per_vpc: 5,
            seed: u64::MAX,
        },
    ];
    for (p, hub) in sets
        .iter()
        .flat_map(|p| [(*p, Hub::Peering), (*p, Hub::TransitGateway)])
    {
        let src = generate_with(&p, hub);
        assert_eq!(compare(&src), Outcome::Both, "{p:?} {hub:?}");
        // The same program in another layout: CRLF, comments, a BOM.
        let crlf = format!("\u{FEFF}# generated\r\n{}", src.replace('\n', " # c\r\n"));
        assert_eq!(compare(&crlf), Outcome::Both, "{p:?} {hub:?}, CRLF layout");
    }
}

/// Valid snippets chosen for the places where the two paths could differ:
/// spans that swallow trailing whitespace and comments, optional parts,
/// trailing commas, keywords used as names, literal values, layout bytes.
const VALID: &[&str] = &[
    "",
    "   \n\t\r\n",
    "# only a comment",
    "\u{FEFF}",
    "\u{FEFF}vpc a 10.0.0.0/16",
    "vpc a 10.0.0.0/16",
    "vpc a 10.0.0.0/16   # trailing comment\n  \n",
    "vpc a 10.0.0.0/16{}",
    "vpc a 10.0.0.0/16 { } # after",
    "vpc vpc 10.0.0.0/16 { subnet subnet 10.0.0.0/24 { instance instance } }",
    "vpc a 10.0.0.0/0\nvpc b 0.10.100.0/24",
    "vpc a 0.0.0.0/0\nvpc b 255.255.255.255/32",
    "vpc a 10.0.0.0/16 {\r\n  subnet s 10.0.1.0/24 az a\r\n}\r\n",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 az eu-west-1a { } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 az 1 # zone\n }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.10 instance j # x\n instance k 10.0.1.11 { } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { public_ip public_ip off public_ip on source_dest_check source_dest_check off } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [] security_groups [a] security_groups [a, b,] security_groups [ a ,b , ] } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { route_table rt network_acl acl nat_gateway n nat_gateway m private public_ip_on_launch public_ip_on_launch off } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { nat_gateway n # c\n } }",
    "vpc a 10.0.0.0/16 { route_table rt route_table m main route_table x main { } route_table y { route 0.0.0.0/0 -> igw route 10.9.0.0/16->blackhole route 1.2.3.4/32 ->blackhole2 } }",
    "vpc a 10.0.0.0/16 { route_table main main # named main\n }",
    "vpc a 10.0.0.0/16 { internet_gateway igw cidr 10.1.0.0/16 dns_support dns_support off dns_hostnames on dns_hostnames # c\n }",
    "vpc a 10.0.0.0/16 { dhcp_options { } dhcp_options { domain_name \"corp.example\" domain_name \"\" domain_name \"# not a comment\r\" name_servers [] name_servers [AmazonProvidedDNS, 10.0.0.2,] ntp_servers [169.254.169.123] ntp_servers [ ] } }",
    "vpc a 10.0.0.0/16 { dhcp_options { domain_name \"é 🦀\" } }",
    "vpc a 10.0.0.0/16 { endpoint e gateway s3 endpoint f gateway s3 { } endpoint g gateway s3 { route_tables [a] route_tables [] } }",
    "vpc a 10.0.0.0/16 { endpoint e interface ecr.api { subnets [a] security_groups [b] private_dns private_dns off } endpoint f interface execute-api # c\n }",
    "vpc a 10.0.0.0/16 { endpoint e gateway s3 \u{FEFF}{ } }",
    "vpc a 10.0.0.0/16 { endpoint e gateway s3 # c\n { } }",
    "vpc a 10.0.0.0/16 { security_group sg security_group sg2 { } security_group sg3 \u{FEFF} { } security_group s4 # c\n }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 from bastion ingress tcp 22from x egress all to internet ingress udp 1024-65535 from 10.0.0.0/8 egress tcp 443 to service s3 ingress icmp from internet-x egress all to dead-beef ingress tcp 99999999999 from a } }",
    "vpc a 10.0.0.0/16 { network_acl n network_acl m { inbound 100 allow tcp 22 from 10.0.1.0/24 outbound 200 deny all to 0.0.0.0/0 inbound 0100allow udp 53-53 from office outbound 4294967296 deny icmp to internet } network_acl z # c\n}",
    "region eu-west-1",
    "region eu-west-1 # c\nregion x",
    "external office 203.0.113.0/24",
    "external office 203.0.113.0/24, 198.51.100.0/24 # c\n",
    "external office 203.0.113.0/24 , 198.51.100.0/24 , # c\n",
    "external office 203.0.113.0/24,\nexternal home 10.0.0.0/8,vpc a 10.0.0.0/16",
    "external e 1.2.3.4/32, expect a can reach b",
    "peering p a b",
    "peering peering vpc region",
    "expect a can reach b",
    "expect a can reach b # c\n",
    "expect a cannot reach internet tcp",
    "expect a cannot reach internet tcp # c\n",
    "expect internet can reach service s3 tcp 443 via s3-gw privately",
    "expect a can reach b all via x, y ,z privately # c\n",
    "expect a can reach b via x , y # c\n",
    "expect service ec2 can reach tcp udp 53",
    "expect a can reach b icmp privately",
    // IPv6 clauses: a VPC's blocks, a subnet's, an instance's address.
    "vpc a 10.0.0.0/16 { ipv6 2600:1f18:abcd:ef00::/56 ipv6 2600:1F18::/56 # c\n }",
    "vpc a 10.0.0.0/16 { ipv6 ::/0 }",
    "vpc a 10.0.0.0/16 { ipv6 ::ffff:10.0.0.0/104 }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 ipv6 2600:1f18:abcd:ef01::/64 }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 ipv6 2600:1f18:abcd:ef01::/64 # c\n az a { } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 # c\n } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.10 ipv6 { public_ip } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.10 ipv6 2600:1f18:abcd:ef01::10 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 2600:1f18:abcd:ef01::10 # c\n { } } }",
    "vpc a 10.0.0.0/16 { subnet ipv6 10.0.1.0/24 { instance ipv6 ipv6 } }",
    "vpc a 10.0.0.0/16 { egress_only_internet_gateway eigw # c\n }",
    "vpc a 10.0.0.0/16 { route_table r { route ::/0 -> eigw route 64:ff9b::/96 -> nat # c\n } }",
    "vpc a 10.0.0.0/16 { route_table r { route 2600:1f18::/56->blackhole } }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 from cafe::/64 } }",
    "vpc a 10.0.0.0/16 { network_acl n { inbound 110 allow tcp 443 from ::/0 # c\n } }",
    // After the zone, `ipv6` starts the VPC's next statement (a block).
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 az a ipv6 2600:1f18:abcd:ef01::/64 }",
];

#[test]
fn corner_cases_give_equal_trees() {
    for src in VALID {
        assert_eq!(compare(src), Outcome::Both, "{src:?}");
    }
}

/// Invalid snippets: both must reject, so the user sees pest's diagnostic.
const INVALID: &[&str] = &[
    "vpc",
    "vpc a",
    "vpc a 10.0.0.0",
    "vpc a 10.0.0.0/",
    "vpc a 10.0.0.0/33",
    "vpc a 10.0.0.256/16",
    "vpc a 10.0.0/16",
    "vpc a 010.000.0.0/08",
    "vpc a 10.01.0.0/16",
    "vpc a 10.0.0.0/016",
    "vpc a 10.0.0.0/00",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.010 } }",
    "vpc a 10.0.0.0/16 { dhcp_options { name_servers [10.0.0.02] } }",
    "vpc a 1.2.3.4.5/6",
    "vpc a 2001:db8::/32",
    "vpc a ::/0",
    "vpc a 10.0.0.0/16 {",
    "vpc a 10.0.0.0/16 }",
    "vpc a 10.0.0.0/16 { { } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 az }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 az _a }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.10/32 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i dead:beef } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [,] } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [a,,] } } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [internet] } } }",
    "vpc a 10.0.0.0/16 { route_table r { route 0.0.0.0/0 - > igw } }",
    "vpc a 10.0.0.0/16 { route_table r { route 0.0.0.0/0 -> local } }",
    "vpc a 10.0.0.0/16 { route_table r { route 0.0.0.0 -> igw } }",
    "vpc a 10.0.0.0/16 { dhcp_options { domain_name \"unterminated\n\" } }",
    "vpc a 10.0.0.0/16 { dhcp_options { name_servers [AmazonProvidedDNS:] } }",
    "vpc a 10.0.0.0/16 { dhcp_options { ntp_servers [fe80::1] } }",
    "vpc a 10.0.0.0/16 { dhcp_options }",
    "vpc a 10.0.0.0/16 { endpoint e s3 }",
    "vpc a 10.0.0.0/16 { endpoint e gateway 3s }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 to x } }",
    "vpc a 10.0.0.0/16 { security_group sg { egress tcp 22- to x } }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp22 from x } }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 from service } }",
    "vpc a 10.0.0.0/16 { ipv6 2600:1f18::/129 }",
    "vpc a 10.0.0.0/16 { egress_only_internet_gateway }",
    "vpc a 10.0.0.0/16 { route_table r { route ::/129 -> eigw } }",
    "vpc a 10.0.0.0/16 { route_table r { route :: -> eigw } }",
    "transit_gateway t { route_table c { route ::/0 -> x } }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 from ::1 } }",
    "vpc a 10.0.0.0/16 { security_group sg { ingress tcp 22 from ::/200 } }",
    "vpc a 10.0.0.0/16 { ipv6 2600:1f18::abcd::/56 }",
    "vpc a 10.0.0.0/16 { ipv6 2600:1f18:: }",
    "vpc a 10.0.0.0/16 { ipv6 10.1.0.0/16 }",
    "vpc a 10.0.0.0/16 { ipv6 }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 ipv6 az a }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 10.0.1.10 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 2600::1/128 } }",
    "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i ipv6 2600::1 10.0.1.10 } }",
    "vpc a 10.0.0.0/16 { network_acl n { inbound allow tcp 22 from x } }",
    "vpc a 10.0.0.0/16 { network_acl n { inbound 1 permit tcp 22 from x } }",
    "region",
    "region eu_west",
    "region 1",
    "external e",
    "external e 1.2.3.4/32,,",
    "external e 1.2.3.4",
    "peering p a",
    "expect a reach b",
    "expect a can reach b via",
    "expect a can reach b via x,",
    "expect a can reach b tcp 22 privately privately",
    "expect local can reach b",
    "vpcx a 10.0.0.0/16",
    "vpc a 10.0.0.0/16\0",
    "vpc a 10.0.0.0/16 é",
    "\u{FEFF}\u{FEFF}vpc a 10.0.0.0/16 { subnet",
];

#[test]
fn invalid_snippets_are_rejected_by_both() {
    for src in INVALID {
        assert_eq!(compare(src), Outcome::Neither, "{src:?}");
    }
}

/// Issue 21 item 8: a leading zero in an octet or a prefix length is
/// E0109, reported by pest's lowering (the fast parser declines it), on the
/// octet itself; a lone `0` is not a leading zero.
#[test]
fn leading_zeros_are_e0109_with_the_octet_span() {
    let src = "vpc a 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i 10.0.1.010 } }";
    assert_eq!(vpc::syntax::parse_fast(src), None);
    let diagnostics = vpc::syntax::parse(src).expect_err("E0109");
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0109"]);
    let at = src.find("010 ").expect("octet");
    let span = diagnostics[0].primary.span;
    assert_eq!((span.start as usize, span.end as usize), (at, at + 3));
    assert!(
        diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`10.0.1.10`"),
        "{:?}",
        diagnostics[0].help
    );

    // Octets and prefix of one literal: one diagnostic, one label each.
    let src = "vpc a 010.1.0.0/016";
    let diagnostics = vpc::syntax::parse(src).expect_err("E0109");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].secondary.len(), 1);
    assert_eq!(
        diagnostics[0].secondary[0].span.start as usize,
        src.find("016").expect("prefix")
    );

    for fine in [
        "vpc a 0.0.0.0/0",
        "vpc a 10.0.0.0/16 { subnet s 10.0.0.0/24 { instance i 10.0.0.5 } }",
    ] {
        assert!(vpc::syntax::parse(fine).is_ok(), "{fine}");
        assert!(vpc::syntax::parse_fast(fine).is_some(), "{fine}");
    }
}

/// Every example broken at every 53rd byte, three ways (a byte deleted,
/// the file cut, a space inserted): whatever pest says, the fast parser
/// must not contradict it.
#[test]
fn broken_examples_agree() {
    let mut counts = [0usize; 3];
    for (_, src) in corpus("examples") {
        let bytes = src.as_bytes();
        for at in (0..bytes.len()).step_by(53) {
            let mut deleted = bytes.to_vec();
            deleted.remove(at);
            let mut inserted = bytes.to_vec();
            inserted.insert(at, b' ');
            for variant in [deleted, bytes[..at].to_vec(), inserted] {
                let text = String::from_utf8_lossy(&variant);
                counts[compare(&text) as usize] += 1;
            }
        }
    }
    let [both, pest_only, neither] = counts;
    assert!(
        both > 20 && neither > 20,
        "both {both}, pest only {pest_only}, neither {neither}"
    );
}

/// The hostile shape of `tests/hostile.rs`: deep nesting is a syntax
/// error, declined at once (the fast parser does not recurse).
#[test]
fn deep_nesting_is_declined() {
    let src = format!("vpc a 10.0.0.0/16 {}", "{".repeat(100_000));
    assert_eq!(vpc::syntax::parse_fast(&src), None);
}

/// Every span in the tree ends at its last token: never on whitespace, and
/// its last line holds no comment (pest's habit of letting a rule that ends
/// in an absent optional part take the trivia after it is undone in both
/// parsers). Checked on the pest tree; the tests above hold the fast one
/// equal to it.
#[test]
fn spans_end_at_the_last_token() {
    let mut files = corpus("examples");
    files.extend(corpus("tests/ui"));
    files.extend(
        VALID
            .iter()
            .map(|s| (PathBuf::from("corner case"), (*s).to_string())),
    );
    files.push((
        PathBuf::from("trivia"),
        "expect a can reach b # why\n\nvpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 # c\n }\n".into(),
    ));
    let mut spans = 0;
    for (path, src) in files {
        let Ok(tree) = vpc::syntax::parse_pest(&src) else {
            continue;
        };
        let dump = format!("{tree:?}");
        for m in dump.split("Span { start: ").skip(1) {
            let mut nums = m
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty());
            let (Some(start), Some(end)) = (nums.next(), nums.next()) else {
                continue;
            };
            let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
            let text = &src[start..end];
            let last_line = text.rsplit('\n').next().unwrap_or_default();
            assert!(
                !text.ends_with(char::is_whitespace)
                    && (!last_line.contains('#') || last_line.contains('"')),
                "{}: span {start}..{end} ends after its last token: {text:?}",
                path.display()
            );
            spans += 1;
        }
    }
    assert!(spans > 1000, "only {spans} spans");
}
