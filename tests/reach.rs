//! The reachability engine: every example's expectations hold, mutations of
//! the examples break the right expectation with the right reason, and the
//! text of `vpcc reach` for the reference example reads as intended.

use vpc::diag::Code;
use vpc::model::{FlowEnd, Model};
use vpc::reach::{Query, Reason, Verdict, expect_query, reach, text};
use vpc::syntax::ast::ProtocolKind;

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/reach/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Replaces `from` (which must occur) with `to`.
fn mutate(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "mutation target not found: {from:?}");
    src.replacen(from, to, 1)
}

/// The model of a file with no errors other than failed expectations.
fn model(src: &str) -> Model {
    let c = vpc::compile(src);
    let others: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code != Code::E0501)
        .collect();
    assert!(others.is_empty(), "unexpected errors: {others:#?}");
    c.model.expect("a model")
}

/// The `expect` statements that fail, by their source line text.
fn failing(src: &str) -> Vec<String> {
    let c = vpc::compile(src);
    c.diagnostics
        .iter()
        .filter(|d| d.code == Code::E0501)
        .map(|d| {
            src[d.primary.span.range()]
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

/// The verdict of the expectation written on the line `line`.
fn verdict_of(src: &str, line: &str) -> Verdict {
    let m = model(src);
    let e = m
        .expects
        .iter()
        .find(|e| {
            src[e.span.range()]
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                == line
        })
        .unwrap_or_else(|| panic!("no expect {line:?}"));
    reach(&m, &expect_query(e))
}

fn reasons(v: &Verdict) -> Vec<Reason> {
    v.blockers().map(|b| b.reason).collect()
}

#[test]
fn every_example_expectation_holds() {
    for name in [
        "nat-bastion-endpoints.vpc",
        "private-dns-off.vpc",
        "three-tier-multi-az.vpc",
        "peering.vpc",
        "nat-instance.vpc",
        "large.vpc",
    ] {
        let src = example(name);
        let c = vpc::compile(&src);
        let failed: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E0501)
            .collect();
        assert!(failed.is_empty(), "{name}: {failed:#?}");
        assert!(
            !c.model.expect("model").expects.is_empty(),
            "{name} has expectations"
        );
    }
}

#[test]
fn private_dns_off_sends_ec2_over_the_internet() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "private_dns on",
        "private_dns off",
    );
    let line = "expect app can reach service ec2 tcp 443 via ec2-api privately";
    assert_eq!(failing(&src), vec![line.to_string()]);
    let v = verdict_of(&src, line);
    assert!(v.delivered, "still delivered, through the NAT gateway");
    let r = reasons(&v);
    assert!(r.contains(&Reason::DnsPublic), "{r:?}");
    assert!(r.contains(&Reason::NotPrivate), "{r:?}");
    assert!(v.legs[0].crosses_internet_gateway);
}

#[test]
fn nat_gateway_in_the_private_subnet_gives_no_internet() {
    let src = example("nat-bastion-endpoints.vpc");
    let src = mutate(&src, "    nat_gateway nat-a\n", "");
    let src = mutate(
        &src,
        "    route_table private\n",
        "    route_table private\n    nat_gateway nat-a\n",
    );
    let line = "expect app can reach internet tcp 443 via nat-a";
    assert!(failing(&src).contains(&line.to_string()));
    let r = reasons(&verdict_of(&src, line));
    assert!(
        r.contains(&Reason::RouteLoop) || r.contains(&Reason::NoRoute),
        "{r:?}"
    );
}

#[test]
fn bastion_without_public_ip() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "      public_ip\n",
        "",
    );
    let failed = failing(&src);
    assert!(
        failed.contains(&"expect admin can reach bastion tcp 22".to_string()),
        "{failed:?}"
    );
    assert!(
        failed.contains(&"expect admin can reach app tcp 22 via bastion".to_string()),
        "{failed:?}"
    );
    assert_eq!(
        reasons(&verdict_of(&src, "expect admin can reach bastion tcp 22")),
        vec![Reason::NoPublicIp]
    );
}

#[test]
fn missing_security_group_rule() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "ingress tcp 22 from bastion-sg",
        "ingress tcp 2222 from bastion-sg",
    );
    let line = "expect admin can reach app tcp 22 via bastion";
    assert_eq!(failing(&src), vec![line.to_string()]);
    let v = verdict_of(&src, line);
    assert_eq!(v.legs.len(), 2, "checked in two legs through the jump host");
    assert!(v.legs[0].holds);
    assert_eq!(reasons(&v), vec![Reason::SgIngress]);
    let b = v.blockers().next().expect("a blocker");
    assert_eq!(b.component, "security group `app-sg`");
    assert!(b.detail.contains("tcp 22 from 10.0.1.10"), "{}", b.detail);
    assert!(b.span.is_some());
}

#[test]
fn acl_without_ephemeral_return() {
    let src = mutate(
        &example("three-tier-multi-az.vpc"),
        "    # Replies from the data tier, from the internet through NAT, from DynamoDB.\n    inbound 200 allow tcp 1024-65535 from internet\n",
        "",
    );
    let line = "expect app-a1 can reach db-a1 tcp 5432";
    assert!(failing(&src).contains(&line.to_string()));
    let v = verdict_of(&src, line);
    assert_eq!(reasons(&v), vec![Reason::AclReturn]);
    assert!(v.blockers().any(|b| b.component.contains("app-acl")));
}

#[test]
fn peering_is_not_transitive() {
    let src = example("peering.vpc") + "expect app1 can reach report1 tcp 443\n";
    assert_eq!(
        failing(&src),
        vec!["expect app1 can reach report1 tcp 443".to_string()]
    );
    let r = reasons(&verdict_of(&src, "expect app1 can reach report1 tcp 443"));
    assert!(r.contains(&Reason::PeeringTransit), "{r:?}");
}

#[test]
fn blackhole_route() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "route 0.0.0.0/0 -> nat-a",
        "route 0.0.0.0/0 -> blackhole",
    );
    let line = "expect app can reach internet tcp 443 via nat-a";
    assert!(failing(&src).contains(&line.to_string()));
    assert!(reasons(&verdict_of(&src, line)).contains(&Reason::Blackhole));
}

#[test]
fn nat_instance_with_source_dest_check_on() {
    let src = mutate(
        &example("nat-instance.vpc"),
        "source_dest_check off",
        "source_dest_check on",
    );
    let line = "expect app can reach internet tcp 443 via nat-instance";
    assert!(failing(&src).contains(&line.to_string()));
    assert_eq!(
        reasons(&verdict_of(&src, line)),
        vec![Reason::SourceDestCheck]
    );
}

#[test]
fn every_blocker_on_the_path_is_reported() {
    let src = fixture("two-blockers.vpc");
    let line = "expect web can reach db tcp 5432";
    let v = verdict_of(&src, line);
    assert_eq!(
        reasons(&v),
        vec![Reason::SgEgress, Reason::AclInbound, Reason::AclReturn]
    );
    let c = vpc::compile(&src);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::E0501)
        .expect("E0501");
    assert_eq!(
        d.message,
        "expectation does not hold: `web` cannot reach `db` tcp 5432"
    );
    assert_eq!(d.secondary.len(), 2, "{:#?}", d.secondary);
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("SG_EGRESS at security group `web-sg`")),
        "{:#?}",
        d.notes
    );
}

#[test]
fn a_cannot_expectation_that_fails_shows_the_path() {
    let src = example("nat-bastion-endpoints.vpc") + "expect admin cannot reach bastion\n";
    let c = vpc::compile(&src);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::E0501)
        .expect("E0501");
    assert_eq!(
        d.message,
        "expectation does not hold: `admin` can reach `bastion`"
    );
    assert!(
        d.notes.iter().any(|n| n.contains("internet gateway `igw`")),
        "{:#?}",
        d.notes
    );
}

#[test]
fn internet_reaches_a_public_instance_only_by_rules_covering_it() {
    let src = example("nat-bastion-endpoints.vpc");
    let m = model(&src);
    let bastion = m
        .instances
        .iter()
        .position(|i| i.name == "bastion")
        .expect("bastion");
    let q = |p: u16| Query {
        protocol: Some(ProtocolKind::Tcp),
        ports: Some((p, p)),
        ..Query::new(
            FlowEnd::Internet,
            FlowEnd::Instance(vpc::model::InstanceId(bastion as u32)),
        )
    };
    // Some internet addresses (admin's range) may SSH in; nothing else is open.
    assert!(reach(&m, &q(22)).holds);
    let v = reach(&m, &q(80));
    assert!(!v.holds);
    assert_eq!(reasons(&v), vec![Reason::SgIngress]);
}

#[test]
fn reference_flows_read_like_an_explanation() {
    let src = example("nat-bastion-endpoints.vpc");
    let m = model(&src);
    let mut out = String::new();
    for e in &m.expects {
        let title = src[e.span.range()]
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let v = reach(&m, &expect_query(e));
        out.push_str(&text::render(&title, &v, &src));
        out.push('\n');
    }
    insta::assert_snapshot!("reference_flows", out);
}

#[test]
fn private_dns_off_flows() {
    let src = example("private-dns-off.vpc");
    let m = model(&src);
    let mut out = String::new();
    for e in m
        .expects
        .iter()
        .filter(|e| src[e.span.range()].contains("ec2"))
    {
        let title = src[e.span.range()]
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        out.push_str(&text::render(&title, &reach(&m, &expect_query(e)), &src));
        out.push('\n');
    }
    insta::assert_snapshot!("private_dns_off_flows", out);
}
