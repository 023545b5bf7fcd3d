//! Per-rule grammar tests: each input must match the whole rule (or must
//! not), and syntax errors must speak the language (E0001 messages).

use vpc::diag::Code;
use vpc::syntax::{Rule, matches_rule};

fn accepts(rule: Rule, inputs: &[&str]) {
    for input in inputs {
        assert!(
            matches_rule(rule, input),
            "{rule:?} should accept {input:?}"
        );
    }
}

fn rejects(rule: Rule, inputs: &[&str]) {
    for input in inputs {
        assert!(
            !matches_rule(rule, input),
            "{rule:?} should reject {input:?}"
        );
    }
}

/// The single diagnostic of a file that does not parse.
fn syntax_error(src: &str) -> vpc::diag::Diagnostic {
    let c = vpc::compile(src);
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    c.diagnostics.into_iter().next().expect("one diagnostic")
}

#[test]
fn names() {
    accepts(
        Rule::name,
        &[
            "a", "public-a", "app_sg", "_x", "nat-a", "A1", "vpcx", "subnets2", "public",
            "private", "main", "route", "region",
        ],
    );
    rejects(
        Rule::name,
        &[
            "1a",
            "-a",
            "a.b",
            "a b",
            "",
            "internet",
            "service",
            "blackhole",
            "local",
        ],
    );
}

#[test]
fn reserved_words_are_whole_words() {
    accepts(
        Rule::reserved,
        &["internet", "service", "blackhole", "local"],
    );
    // A reserved word followed by name characters is a name.
    rejects(Rule::reserved, &["internets", "local-a", "service_x"]);
    accepts(
        Rule::name,
        &["internets", "local-a", "service_x", "blackhole2"],
    );
}

#[test]
fn keywords_do_not_swallow_names() {
    accepts(Rule::kw_vpc, &["vpc"]);
    rejects(Rule::kw_vpc, &["vpcx", "vpc-a", "vpc_"]);
    accepts(Rule::kw_route, &["route"]);
    rejects(Rule::kw_route, &["routes", "route_table"]);
    accepts(Rule::kw_route_table, &["route_table"]);
    rejects(Rule::kw_route_table, &["route_tables"]);
}

#[test]
fn cidr_shapes() {
    accepts(
        Rule::cidr,
        &[
            "10.0.0.0/16",
            "0.0.0.0/0",
            "192.168.1.0/24",
            "10.0.0.0",
            "2001:db8::/32",
        ],
    );
    // Values (octet > 255, /33) are checked while lowering, not by shape.
    accepts(Rule::cidr, &["10.0.0.256/16", "10.0.0.0/33"]);
    rejects(
        Rule::cidr,
        &["10.0.0/16", "10.0.0.0/", "a.b.c.d/8", "10.0.0.0/16/2", ""],
    );
    accepts(Rule::address, &["10.0.1.10", "::1"]);
    rejects(Rule::address, &["10.0.1", "10.0.1.10.5"]);
}

#[test]
fn ports_and_numbers() {
    accepts(Rule::ports, &["22", "0", "1024-65535", "443-443"]);
    rejects(Rule::ports, &["22-", "-22", "a", "22 - 23", "1,2"]);
    accepts(Rule::int, &["100", "0", "32766"]);
    rejects(Rule::int, &["-1", "1e3", ""]);
}

#[test]
fn strings() {
    accepts(Rule::string, &["\"corp.example.com\"", "\"\""]);
    rejects(Rule::string, &["\"open", "corp", "\"two\nlines\""]);
}

#[test]
fn lists_allow_a_trailing_comma() {
    accepts(
        Rule::name_list,
        &[
            "[]",
            "[a]",
            "[a, b, c]",
            "[a, b,]",
            "[ a ,b ]",
            "[\n  a,\n  b,\n]",
        ],
    );
    rejects(Rule::name_list, &["[,]", "[a,,b]", "[a b]", "a, b", "[a"]);
    accepts(
        Rule::address_list,
        &["[169.254.169.123]", "[10.0.0.10, 10.0.0.11,]"],
    );
    accepts(
        Rule::name_servers,
        &[
            "name_servers [AmazonProvidedDNS]",
            "name_servers [10.0.0.53, AmazonProvidedDNS,]",
        ],
    );
}

#[test]
fn booleans_may_be_bare() {
    accepts(
        Rule::dns_hostnames,
        &["dns_hostnames", "dns_hostnames on", "dns_hostnames off"],
    );
    accepts(Rule::private_dns, &["private_dns", "private_dns off"]);
    accepts(Rule::public_ip, &["public_ip", "public_ip on"]);
    rejects(
        Rule::dns_hostnames,
        &["dns_hostnames yes", "dns_hostnames true"],
    );
    accepts(Rule::boolean, &["on", "off"]);
    rejects(Rule::boolean, &["onn", "of", "true"]);
}

#[test]
fn comments_and_whitespace() {
    accepts(
        Rule::file,
        &[
            "",
            "# only a comment",
            "# a\n\n# b\n",
            "region eu-west-1 # trailing\n",
            "\u{feff}region eu-west-1",
            "region eu-west-1\r\n",
        ],
    );
    accepts(
        Rule::file,
        &[
            "vpc main 10.0.0.0/16 { # comment after a brace\n  subnet a 10.0.1.0/24 # after a subnet\n}\n",
        ],
    );
}

#[test]
fn optional_bodies() {
    accepts(
        Rule::subnet,
        &[
            "subnet a 10.0.1.0/24",
            "subnet a 10.0.1.0/24 az a",
            "subnet a 10.0.1.0/24 az eu-west-1a {}",
            "subnet a 10.0.1.0/24 { }",
        ],
    );
    accepts(
        Rule::instance,
        &[
            "instance web",
            "instance web 10.0.1.10",
            "instance web { public_ip }",
            "instance web 10.0.1.10 { security_groups [a] source_dest_check off }",
        ],
    );
    accepts(
        Rule::vpc_stmt,
        &["vpc main 10.0.0.0/16", "vpc main 10.0.0.0/16 {}"],
    );
    accepts(
        Rule::route_table,
        &[
            "route_table private",
            "route_table private main",
            "route_table public { route 0.0.0.0/0 -> igw }",
        ],
    );
    accepts(
        Rule::security_group,
        &["security_group sg", "security_group sg {}"],
    );
    accepts(
        Rule::endpoint,
        &[
            "endpoint s3-gw gateway s3",
            "endpoint e interface ecr.api { subnets [a] private_dns off }",
        ],
    );
    rejects(
        Rule::subnet,
        &["subnet a", "subnet 10.0.1.0/24", "subnet a 10.0.1.0/24 az"],
    );
}

#[test]
fn top_level_statements() {
    accepts(
        Rule::region_stmt,
        &["region eu-west-1", "region ap-northeast-2"],
    );
    accepts(
        Rule::external_stmt,
        &[
            "external office 203.0.113.0/24",
            "external office 203.0.113.0/24, 198.51.100.0/24,",
        ],
    );
    accepts(Rule::peering_stmt, &["peering a-b a b"]);
    rejects(Rule::peering_stmt, &["peering a-b a", "peering a b c d"]);
}

#[test]
fn routes() {
    accepts(
        Rule::route,
        &[
            "route 0.0.0.0/0 -> igw",
            "route 10.9.0.0/16 -> blackhole",
            "route 10.0.0.0/8->nat-a",
        ],
    );
    rejects(
        Rule::route,
        &[
            "route 0.0.0.0/0 igw",
            "route 0.0.0.0/0 -> internet",
            "route 0.0.0.0/0 -> local",
            "route igw -> 0.0.0.0/0",
        ],
    );
    accepts(Rule::route_target, &["blackhole", "igw", "nat-a"]);
}

#[test]
fn rules_of_groups_and_acls() {
    accepts(
        Rule::sg_rule,
        &[
            "ingress tcp 443 from internet",
            "ingress tcp 22 from bastion-sg",
            "ingress udp 1000-2000 from 10.0.0.0/8",
            "ingress icmp from admin",
            "egress all to internet",
            "egress tcp 443 to service s3",
        ],
    );
    rejects(
        Rule::sg_rule,
        &[
            "ingress tcp 443 to internet",
            "egress tcp 443 from internet",
            "ingress http 80 from internet",
            "ingress tcp 443",
        ],
    );
    accepts(
        Rule::acl_rule,
        &[
            "inbound 100 allow tcp 22 from 10.0.1.0/24",
            "outbound 200 deny all to 0.0.0.0/0",
            "inbound 1 allow udp from internet",
        ],
    );
    rejects(
        Rule::acl_rule,
        &[
            "inbound allow tcp 22 from internet",
            "inbound 100 permit tcp 22 from internet",
            "outbound 100 allow all from internet",
        ],
    );
    accepts(
        Rule::peer,
        &["internet", "service dynamodb", "10.0.0.0/8", "admin"],
    );
}

#[test]
fn expectations() {
    accepts(
        Rule::expect_stmt,
        &[
            "expect admin can reach bastion tcp 22",
            "expect admin can reach app tcp 22 via bastion",
            "expect app can reach internet tcp 443 via nat-a",
            "expect internet cannot reach app",
            "expect app can reach service s3 tcp 443 privately",
            "expect app can reach service ec2 tcp 443 via ec2-api privately",
            "expect app can reach db tcp 5432 via fw, nat-a",
            "expect app can reach db all",
        ],
    );
    rejects(
        Rule::expect_stmt,
        &[
            "expect app reach db",
            "expect app can db",
            "expect can reach db",
            "expect app can reach",
        ],
    );
}

#[test]
fn e0001_names_a_cidr_in_words() {
    let d = syntax_error("vpc main 10.0.0 {\n}\n");
    assert_eq!(d.code, Code::E0001);
    assert_eq!(
        d.message,
        "expected a CIDR such as 10.0.0.0/16, found `10.0.0`"
    );
    assert_eq!((d.primary.span.start, d.primary.span.end), (9, 15));
}

#[test]
fn e0001_names_punctuation() {
    let d = syntax_error(
        "vpc main 10.0.0.0/16 {\n  route_table public {\n    route 0.0.0.0/0 igw\n  }\n}\n",
    );
    assert_eq!(d.code, Code::E0001);
    assert_eq!(d.message, "expected `->`, found `igw`");
}

#[test]
fn e0001_explains_reserved_words() {
    let d = syntax_error("vpc main 10.0.0.0/16 {\n  subnet internet 10.0.1.0/24\n}\n");
    assert_eq!(d.message, "expected a name, found `internet`");
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("`internet` is a reserved word")),
        "{:?}",
        d.notes
    );
}

#[test]
fn e0001_at_end_of_file() {
    let d = syntax_error("vpc main 10.0.0.0/16 {\n");
    assert!(d.message.ends_with("found end of file"), "{}", d.message);
    assert!(d.message.contains("`}`"), "{}", d.message);
    assert!(
        !d.message.contains("Rule") && !d.message.contains("_stmt"),
        "no grammar rule names: {}",
        d.message
    );
    // The brace left open is marked.
    assert_eq!(d.secondary.len(), 1, "{:?}", d.secondary);
    assert_eq!(d.secondary[0].message, "this `{` is never closed");
    assert_eq!(
        (d.secondary[0].span.start, d.secondary[0].span.end),
        (21, 22)
    );
}

#[test]
fn e0001_lists_each_alternative_once() {
    let d = syntax_error(
        "vpc main 10.0.0.0/16 { subnet a 10.0.1.0/24 { instance x { public_ip yes } } }",
    );
    assert_eq!(
        d.message,
        "expected `on` or `off`, `public_ip`, `security_groups`, `source_dest_check` or `}`, found `yes`"
    );
}

#[test]
fn e0001_never_names_grammar_rules() {
    for src in [
        "vpc",
        "vpc main",
        "vpc main 10.0.0.0/16 { subnet }",
        "expect a can",
        "region",
        "vpc main 10.0.0.0/16 { security_group sg { ingress tcp 22 } }",
        "peering p a",
        "}",
    ] {
        let d = syntax_error(src);
        assert_eq!(d.code, Code::E0001, "{src}");
        let m = &d.message;
        assert!(
            m.starts_with("expected ") || m.starts_with("unexpected "),
            "{src}: {m}"
        );
        for bad in ["_stmt", "kw_", "ipv4", "EOI", "SOI", "Rule::", "name_list"] {
            assert!(!m.contains(bad), "{src}: grammar words in {m}");
        }
    }
}

#[test]
fn ipv6_outside_an_ipv6_clause_is_not_supported_yet() {
    let c = vpc::compile("vpc main 10.0.0.0/16 {\n  cidr 2001:db8::/56\n}\n");
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    let d = &c.diagnostics[0];
    assert_eq!(d.code, Code::E0101);
    assert_eq!(d.message, "IPv6 is not supported here yet");
    let c = vpc::compile("external v6 2001:db8::/32\n");
    assert_eq!(c.diagnostics[0].message, "IPv6 is not supported here yet");
    let c =
        vpc::compile("vpc main 10.0.0.0/16 {\n  dhcp_options { ntp_servers [fd00:ec2::123] }\n}\n");
    assert_eq!(c.diagnostics[0].message, "IPv6 is not supported here yet");
}

#[test]
fn ipv6_clauses_give_blocks_and_addresses() {
    let src = "vpc main 10.0.0.0/16 {\n  ipv6 2600:1F18:ABCD:EF00::/56\n  subnet a 10.0.1.0/24 ipv6 2600:1f18:abcd:ef01::/64 az a {\n    instance x 10.0.1.10 ipv6 2600:1f18:abcd:ef01::10\n    instance y ipv6\n    instance z ipv6 { public_ip }\n  }\n}\n";
    let c = vpc::compile(src);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let m = c.model.expect("a model");
    assert_eq!(
        m.vpcs[0].ipv6_cidrs,
        ["2600:1f18:abcd:ef00::/56".parse().unwrap()]
    );
    assert_eq!(
        m.subnets[0].ipv6,
        Some("2600:1f18:abcd:ef01::/64".parse().unwrap())
    );
    let v6: Vec<String> = m
        .instances
        .iter()
        .map(|i| i.ipv6.unwrap().to_string())
        .collect();
    // Written first, then the lowest free from the fifth, in source order.
    assert_eq!(
        v6,
        [
            "2600:1f18:abcd:ef01::10",
            "2600:1f18:abcd:ef01::4",
            "2600:1f18:abcd:ef01::5"
        ]
    );
    assert!(m.instances[2].public_ip);
}

#[test]
fn every_malformed_literal_is_reported() {
    let c =
        vpc::compile("vpc main 10.0.0.0/33 {\n  subnet a 10.0.256.0/24\n  subnet b 10.0.2.0\n}\n");
    let messages: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "prefix length /33 is out of range",
            "octet `256` is out of range in `10.0.256.0`",
            "`10.0.2.0` is an address, but a CIDR is needed here"
        ]
    );
    assert!(c.diagnostics.iter().all(|d| d.code == Code::E0101));
}
