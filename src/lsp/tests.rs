//! The analysis behind each request, on one small file.

use lsp_types::{HoverContents, Position, Uri};

use std::sync::atomic::Ordering;

use super::*;

const SRC: &str = "external office 203.0.113.0/24
vpc main 10.0.0.0/16 {
  internet_gateway igw
  subnet pub 10.0.1.0/24 az a {
    route_table rt
    instance web 10.0.1.10 {
      public_ip security_groups [sg]
    }
  }
  route_table rt {
    route 0.0.0.0/0 -> igw
  }
  security_group sg {
    ingress tcp 22 from office
  }
}
expect office can reach web tcp 22
";

fn uri() -> Uri {
    "file:///net.vpc".parse().expect("uri")
}

/// The position of the `nth` occurrence of `needle`, plus `delta` columns.
fn at(needle: &str, nth: usize, delta: u32) -> Position {
    let offset = SRC.match_indices(needle).nth(nth).expect("needle").0;
    let mut p = Document::new(SRC.to_string()).position(offset);
    p.character += delta;
    p
}

/// [`at`] in another source.
fn at_in(src: &str, needle: &str, nth: usize, delta: u32) -> Position {
    let offset = src.match_indices(needle).nth(nth).expect("needle").0;
    let mut p = Document::new(src.to_string()).position(offset);
    p.character += delta;
    p
}

fn hover_text(doc: &Document, p: Position) -> String {
    match doc.hover(p).map(|h| h.contents) {
        Some(HoverContents::Markup(m)) => m.value,
        other => panic!("no markdown hover: {other:?}"),
    }
}

#[test]
fn hover_on_a_cidr() {
    let doc = Document::new(SRC.to_string());
    let text = hover_text(&doc, at("10.0.1.0/24", 0, 3));
    assert!(
        text.starts_with("`10.0.1.0/24`: `10.0.1.0` – `10.0.1.255`\n\n256 addresses, 251 usable"),
        "{text}"
    );
    for line in [
        "`10.0.1.0` network address",
        "`10.0.1.1` VPC router",
        "`10.0.1.2` DNS server",
        "`10.0.1.3` reserved for future use",
        "`10.0.1.255` broadcast",
    ] {
        assert!(text.contains(line), "{line} missing from {text}");
    }
}

#[test]
fn hover_on_ipv6_blocks_and_addresses() {
    let src = "vpc main 10.0.0.0/16 {\n  ipv6 2600:1f18:abcd:ef00::/56\n  subnet web 10.0.1.0/24 ipv6 2600:1f18:abcd:ef01::/64 {\n    instance a ipv6 2600:1f18:abcd:ef01::2\n    instance b 10.0.1.10 ipv6 2600:1f18:abcd:ef01::10\n  }\n}\n";
    let doc = Document::new(src.to_string());
    let vpc = hover_text(&doc, at_in(src, "2600:1f18:abcd:ef00::/56", 0, 3));
    assert!(
        vpc.starts_with("`2600:1f18:abcd:ef00::/56`: `2600:1f18:abcd:ef00::` – `2600:1f18:abcd:efff:ffff:ffff:ffff:ffff`\n\n2^72 addresses (an Amazon-provided VPC block: 256 subnets of /64)"),
        "{vpc}"
    );
    let subnet = hover_text(&doc, at_in(src, "2600:1f18:abcd:ef01::/64", 0, 3));
    assert!(
        subnet.contains("2^64 addresses (a subnet block)"),
        "{subnet}"
    );
    for reserved in [
        "`2600:1f18:abcd:ef01::3`",
        "`2600:1f18:abcd:ef01:ffff:ffff:ffff:ffff`",
    ] {
        assert!(subnet.contains(reserved), "{subnet}");
    }
    assert!(!subnet.contains("`2600:1f18:abcd:ef01::4`"), "{subnet}");
    let a = hover_text(&doc, at_in(src, "2600:1f18:abcd:ef01::2\n", 0, 3));
    assert_eq!(
        a,
        "`2600:1f18:abcd:ef01::2` in subnet `web` (2600:1f18:abcd:ef01::/64): reserved by AWS, one of the first four addresses"
    );
    let b = hover_text(&doc, at_in(src, "2600:1f18:abcd:ef01::10", 0, 3));
    assert_eq!(
        b,
        "`2600:1f18:abcd:ef01::10` in subnet `web` (2600:1f18:abcd:ef01::/64)"
    );
}

#[test]
fn cidr_facts_small_and_unaligned() {
    assert_eq!(
        cidr_facts("10.0.0.7/32".parse().expect("net")),
        "`10.0.0.7/32`: `10.0.0.7` – `10.0.0.7`\n\n1 addresses, 0 usable in a subnet"
    );
    let text = cidr_facts("10.0.1.9/28".parse().expect("net"));
    assert!(text.contains("16 addresses, 11 usable"), "{text}");
    assert!(
        text.contains("host bits are set: the network is `10.0.1.0/28`"),
        "{text}"
    );
    assert!(text.contains("`10.0.1.15` broadcast"), "{text}");
}

#[test]
fn hover_on_names() {
    let doc = Document::new(SRC.to_string());
    let text = hover_text(&doc, at("pub", 0, 1));
    assert!(
        text.starts_with("subnet `pub` — 10.0.1.0/24 az a\n\ndeclared on line 4 in vpc `main`"),
        "{text}"
    );
    assert!(text.contains("251 usable addresses"), "{text}");
    assert!(
        text.contains("route table `rt`, routes as written:\n- `0.0.0.0/0` → `igw`"),
        "{text}"
    );
    // On a reference: the declaration's kind and line.
    let text = hover_text(&doc, at("igw", 1, 0));
    assert!(
        text.starts_with("internet_gateway `igw`\n\ndeclared on line 3 in vpc `main`"),
        "{text}"
    );
    let text = hover_text(&doc, at("10.0.1.10", 0, 0));
    assert_eq!(text, "`10.0.1.10` in subnet `pub` (10.0.1.0/24)");
    assert!(doc.hover(at("route ", 0, 0)).is_none());
}

#[test]
fn definition_and_references() {
    let doc = Document::new(SRC.to_string());
    let def = doc
        .definition(&uri(), at("-> igw", 0, 4))
        .expect("definition");
    assert_eq!(def.range.start, at("igw", 0, 0));
    let refs = doc.references(&uri(), at("office", 1, 0), false);
    assert_eq!(
        refs.iter().map(|l| l.range.start).collect::<Vec<_>>(),
        [at("office", 1, 0), at("office", 2, 0)]
    );
    let with_decl = doc.references(&uri(), at("office", 1, 0), true);
    assert_eq!(with_decl.len(), 3);
    assert_eq!(with_decl[0].range.start, at("office", 0, 0));
}

#[test]
fn rename_everywhere_or_refuse() {
    let doc = Document::new(SRC.to_string());
    let edit = doc
        .rename(&uri(), at("rt", 0, 0), "public-rt")
        .expect("rename");
    let edits = &edit.changes.expect("changes")[&uri()];
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e.new_text == "public-rt"));
    assert!(doc.rename(&uri(), at("rt", 0, 0), "internet").is_err());
    assert!(doc.rename(&uri(), at("rt", 0, 0), "9x").is_err());
    assert!(doc.rename(&uri(), at("route ", 0, 0), "x").is_err());
    assert_eq!(
        doc.prepare_rename(at("sg", 1, 1)).map(|r| r.start),
        Some(at("sg", 1, 0))
    );
}

#[test]
fn outline_nests_vpc_subnet_instance() {
    let doc = Document::new(SRC.to_string());
    let symbols = doc.symbols();
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["office", "main"]);
    let vpc = &symbols[1];
    let children: Vec<&str> = vpc
        .children
        .as_ref()
        .expect("children")
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(children, ["igw", "pub", "rt", "sg"]);
    let subnet = &vpc.children.as_ref().expect("children")[1];
    assert_eq!(subnet.children.as_ref().expect("instances")[0].name, "web");
    assert_eq!(subnet.detail.as_deref(), Some("subnet 10.0.1.0/24 az a"));
    // The range is the statement, the selection range the name.
    assert_eq!(subnet.range.start, at("subnet", 0, 0));
    assert_eq!(
        subnet.range.end,
        Position {
            line: 8,
            character: 3
        }
    );
    assert_eq!(subnet.selection_range.start, at("pub", 0, 0));
}

#[test]
fn diagnostics_with_utf16_ranges() {
    let doc = Document::new("# é𝄞\nexternal e 10.0.0.256/32 # ü\n".to_string());
    let diagnostics = doc.diagnostics(&uri());
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, Some(NumberOrString::String("E0101".into())));
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(
        d.range.start,
        Position {
            line: 1,
            character: 18
        }
    );
    assert_eq!(
        d.range.end,
        Position {
            line: 1,
            character: 21
        }
    );
    assert!(
        Document::new(SRC.to_string())
            .diagnostics(&uri())
            .is_empty()
    );
}

#[test]
fn completion_keeps_names_while_the_text_is_broken() {
    let mut doc = Document::new(SRC.to_string());
    let broken = SRC.replace("    route_table rt\n", "    route_table \n");
    doc.update(broken.clone());
    assert!(!doc.diagnostics(&uri()).is_empty());
    let offset = broken.find("route_table \n").expect("edit") + "route_table ".len();
    let p = doc.position(offset);
    let items = doc.completion(p);
    assert_eq!(
        items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
        ["rt"]
    );
    assert_eq!(items[0].detail.as_deref(), Some("route_table"));
    // Position-based answers are off while the text does not parse.
    assert!(doc.hover(p).is_none());
}

#[test]
fn formatting_is_one_whole_document_edit() {
    let doc = Document::new("region x\nvpc v 10.0.0.0/16 {internet_gateway g}".to_string());
    let edits = doc.formatting().expect("formats");
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0].range.end,
        Position {
            line: 1,
            character: 38
        }
    );
    assert_eq!(
        edits[0].new_text,
        "region x\n\nvpc v 10.0.0.0/16 {\n  internet_gateway g\n}\n"
    );
    assert_eq!(
        Document::new(edits[0].new_text.clone()).formatting(),
        Some(vec![])
    );
    assert_eq!(Document::new("vpc {".to_string()).formatting(), None);
}

/// After `expect` completion offers what the checker accepts as a flow
/// end: instances, subnets, externals, interface endpoints, not a gateway
/// endpoint (E0303 there).
#[test]
fn expect_completion_offers_only_flow_ends() {
    let src = "vpc v 10.0.0.0/16 {\n  subnet a 10.0.1.0/24 az a {\n    instance web\n  }\n  route_table rt\n  endpoint s3gw gateway s3 {\n    route_tables [rt]\n  }\n  endpoint ec2 interface ec2 {\n    subnets [a]\n  }\n}\nexpect \n";
    // As an editor sends it: the text parsed, then `expect ` was typed.
    let mut doc = Document::new(src.replace("expect \n", ""));
    doc.update(src.to_string());
    let p = doc.position(src.len() - 1);
    let labels: Vec<String> = doc.completion(p).into_iter().map(|i| i.label).collect();
    for want in ["web", "a", "ec2", "internet"] {
        assert!(
            labels.iter().any(|l| l == want),
            "{want} missing from {labels:?}"
        );
    }
    assert!(!labels.iter().any(|l| l == "s3gw"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "rt"), "{labels:?}");
}

/// The examples, for the incremental tests.
const EXAMPLES: [(&str, &str); 6] = [
    ("large", include_str!("../../examples/large.vpc")),
    (
        "nat-bastion-endpoints",
        include_str!("../../examples/nat-bastion-endpoints.vpc"),
    ),
    (
        "nat-instance",
        include_str!("../../examples/nat-instance.vpc"),
    ),
    ("peering", include_str!("../../examples/peering.vpc")),
    (
        "private-dns-off",
        include_str!("../../examples/private-dns-off.vpc"),
    ),
    (
        "three-tier-multi-az",
        include_str!("../../examples/three-tier-multi-az.vpc"),
    ),
];

/// Edited one line at a time (each line deleted, then the file restored),
/// a document that reuses its held `expect`s publishes exactly what a
/// full compilation of the same text gives.
#[test]
fn incremental_expects_equal_a_full_compile() {
    let (mut reused, mut walked) = (0, 0);
    let current = Arc::new(AtomicU64::new(0));
    for (name, src) in EXAMPLES {
        let mut doc = Document::new(src.to_string());
        assert_eq!(doc.published, crate::compile(src).diagnostics, "{name}");
        let lines: Vec<&str> = src.split_inclusive('\n').collect();
        for i in 0..lines.len() {
            let edited: String = lines
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, l)| *l)
                .collect();
            for text in [edited.as_str(), src] {
                doc.replace(text.to_string());
                if let Some(job) = doc.job(uri(), 0, Arc::clone(&current)) {
                    let outcome = job.run().expect("not stale");
                    reused += outcome.reused;
                    walked += outcome.walked;
                    doc.expects_done(outcome);
                }
                assert_eq!(
                    doc.published,
                    crate::compile(text).diagnostics,
                    "{name}, line {} deleted",
                    i + 1
                );
            }
        }
    }
    // Restoring the file walks nothing that held, and an edit in one VPC
    // reuses the other VPCs' expectations.
    assert!(reused > walked, "reused {reused}, walked {walked}");
}

const TWO_VPCS: &str = "vpc a 10.0.0.0/16 {
  subnet a1 10.0.1.0/24 az a {
    instance x 10.0.1.10 { security_groups [sa] }
    instance y 10.0.1.11 { security_groups [sa] }
  }
  security_group sa {
    ingress tcp 22 from 10.0.0.0/16
  }
}
vpc b 10.1.0.0/16 {
  subnet b1 10.1.1.0/24 az a {
    instance p 10.1.1.10 { security_groups [sb] }
    instance q 10.1.1.11 { security_groups [sb] }
  }
  security_group sb {
    ingress tcp 22 from 10.1.0.0/16
  }
}
expect x can reach y tcp 22
expect p can reach q tcp 22
";

fn job_for(doc: &Document, generation: u64, current: &Arc<AtomicU64>) -> expects::Job {
    doc.job(uri(), generation, Arc::clone(current))
        .expect("a pending document with a model")
}

/// An edit inside one VPC walks that VPC's expectation again and answers
/// the other from the cache; a failed one is walked every time.
#[test]
fn an_edit_rewalks_only_the_expects_it_can_change() {
    let current = Arc::new(AtomicU64::new(1));
    let mut doc = Document::pending(
        TWO_VPCS.to_string(),
        Default::default(),
        Arc::default(),
        None,
    );
    assert!(!doc.settled());
    let first = job_for(&doc, 1, &current).run().expect("not stale");
    assert_eq!((first.walked, first.reused), (2, 0));
    assert!(first.diagnostics.is_empty());
    doc.expects_done(first);
    assert!(doc.settled());

    // Port 22 closed in `b`: its expectation fails, `a`'s is reused.
    doc.replace(TWO_VPCS.replace("ingress tcp 22 from 10.1", "ingress tcp 23 from 10.1"));
    current.store(2, Ordering::Relaxed);
    let second = job_for(&doc, 2, &current).run().expect("not stale");
    assert_eq!((second.walked, second.reused), (1, 1));
    assert_eq!(second.diagnostics.len(), 1);
    assert_eq!(second.diagnostics[0].code.as_str(), "E0501");
    doc.expects_done(second);

    // A line added above both VPCs moves them without changing a key; the
    // failed expectation is walked again (its diagnostic points into the
    // new text).
    doc.replace(format!(
        "# a comment\n{}",
        TWO_VPCS.replace("ingress tcp 22 from 10.1", "ingress tcp 23 from 10.1")
    ));
    current.store(3, Ordering::Relaxed);
    let third = job_for(&doc, 3, &current).run().expect("not stale");
    assert_eq!((third.walked, third.reused), (1, 1));
    doc.expects_done(third);
    assert_eq!(
        doc.published,
        crate::compile(&doc.text).diagnostics,
        "the reused answers are the full compilation's"
    );
}

/// A job whose document has a newer version stops without an answer.
#[test]
fn a_stale_job_stops() {
    let current = Arc::new(AtomicU64::new(1));
    let doc = Document::pending(
        TWO_VPCS.to_string(),
        Default::default(),
        Arc::default(),
        None,
    );
    let job = job_for(&doc, 1, &current);
    current.store(2, Ordering::Relaxed);
    assert!(job.run().is_none());
}

#[test]
fn hover_and_references_of_a_prefix_list() {
    let src = "prefix_list corp [198.51.100.0/24, 203.0.113.0/24] max_entries 10
vpc main 10.0.0.0/16 {
  internet_gateway igw
  route_table rt {
    route corp -> igw
  }
  security_group sg {
    ingress tcp 22 from corp
  }
}
";
    let doc = Document::new(src.to_string());
    let pos = |needle: &str, nth: usize| {
        let offset = src.match_indices(needle).nth(nth).expect("needle").0;
        doc.position(offset + 1)
    };
    // On the rule's reference: the list's entries and size.
    let text = hover_text(&doc, pos("corp", 2));
    assert!(
        text.starts_with(
            "prefix_list `corp` — [198.51.100.0/24, 203.0.113.0/24] max_entries 10\n\ndeclared on line 1"
        ),
        "{text}"
    );
    // The route and the rule both refer to the declaration.
    let refs = doc.references(&uri(), pos("corp", 0), true);
    assert_eq!(refs.len(), 3, "{refs:?}");
    let text = hover_text(&doc, pos("corp", 1));
    assert!(text.starts_with("prefix_list `corp`"), "{text}");
}

#[test]
fn hover_and_definition_on_transit_gateway_names() {
    let src = include_str!("../../examples/hub-and-spoke.vpc").to_string();
    let doc = Document::new(src.clone());
    let pos = |needle: &str| {
        let offset = src.find(needle).expect("needle") + 1;
        doc.position(offset)
    };
    let text = hover_text(&doc, pos("prod-att vpc"));
    assert!(
        text.starts_with(
            "attach `prod-att` — vpc prod\n\ndeclared on line 17 in transit_gateway `tgw`"
        ),
        "{text}"
    );
    let text = hover_text(&doc, pos("dc-vpn to"));
    assert!(
        text.starts_with("vpn `dc-vpn` — to datacenter routes [10.50.0.0/16]"),
        "{text}"
    );
    // A reference in a propagation leads to the attachment's declaration.
    let uri: Uri = "file:///hub-and-spoke.vpc".parse().expect("uri");
    let target = doc
        .definition(&uri, pos("shared-att, dc-vpn]"))
        .expect("a definition");
    assert_eq!(target.range.start.line, 18, "the `attach shared-att` line");
}
