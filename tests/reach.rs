//! The reachability engine: every example's expectations hold, mutations of
//! the examples break the right expectation with the right reason, and the
//! text of `vpcc reach` for the reference example reads as intended.

mod support;

use vpc::diag::Code;
use vpc::model::{FlowEnd, Model};
use vpc::reach::{
    Component, ComponentKind, Location, Query, Reason, Verdict, expect_query, reach, text,
};
use vpc::syntax::ast::ProtocolKind;

use support::cli::{Run, vpcc};
use support::fixture::{example_src as example, model_allowing_failed_expects as model};

fn fixture(name: &str) -> String {
    support::fixture::read(format!("tests/reach/{name}"))
}

/// Replaces `from` (which must occur) with `to`.
fn mutate(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "mutation target not found: {from:?}");
    src.replacen(from, to, 1)
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

/// The expectation on `line` is not delivered, and `reason` is its one
/// blocker.
fn blocked_only_by(src: &str, line: &str, reason: Reason) -> Verdict {
    let v = verdict_of(src, line);
    assert!(!v.delivered, "{line}");
    assert_eq!(reasons(&v), vec![reason], "{line}");
    v
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
    assert_eq!(
        b.component,
        Component::new(ComponentKind::SecurityGroup, "app-sg")
    );
    assert_eq!(b.component.to_string(), "security group `app-sg`");
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
    assert!(
        v.blockers()
            .any(|b| b.component.name.as_deref() == Some("app-acl"))
    );
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
fn internet_as_a_source_is_the_whole_public_space() {
    // Spec §6: `internet can reach X` holds when *some* internet address
    // opens a delivered flow; the admins' range is part of the internet.
    let src = example("nat-bastion-endpoints.vpc")
        + "expect internet can reach bastion tcp 22\nexpect internet cannot reach bastion tcp 80\n";
    assert!(failing(&src).is_empty(), "{:?}", failing(&src));
    let m = model(&src);
    let bastion = m
        .instances
        .iter()
        .position(|i| i.name == "bastion")
        .expect("bastion");
    let q = Query {
        protocol: Some(ProtocolKind::Tcp),
        ports: Some((22, 22)),
        ..Query::new(
            FlowEnd::Internet,
            FlowEnd::Instance(vpc::model::InstanceId(bastion as u32)),
        )
    };
    assert!(reach(&m, &q).holds);
    // Without the admins' rule no internet address gets in.
    let closed = mutate(
        &src,
        "ingress tcp 22 from admin",
        "ingress tcp 22 from 10.0.0.0/16",
    );
    let m = model(&closed);
    let v = reach(&m, &q);
    assert!(!v.holds);
    assert_eq!(reasons(&v), vec![Reason::SgIngress]);
}

/// `vpcc reach` text for every `expect` of an example.
fn expect_texts(name: &str) -> String {
    let src = example(name);
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
    out
}

#[test]
fn reference_flows_read_like_an_explanation() {
    insta::assert_snapshot!("reference_flows", expect_texts("nat-bastion-endpoints.vpc"));
}

/// Golden verdicts of every example, so that a change in the engine shows
/// up as a reviewed diff.
#[test]
fn golden_verdicts() {
    for name in [
        "three-tier-multi-az.vpc",
        "peering.vpc",
        "nat-instance.vpc",
        "large.vpc",
    ] {
        insta::assert_snapshot!(
            format!("golden_{}", name.trim_end_matches(".vpc")),
            expect_texts(name)
        );
    }
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

fn example_path(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn cli_prints_a_verdict_and_exits_0_delivered_or_not() {
    let f = example_path("nat-bastion-endpoints.vpc");
    let Run {
        code, stdout: out, ..
    } = vpcc([
        "reach", &f, "--from", "admin", "--to", "bastion", "--proto", "tcp", "--port", "22",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("`admin` → `bastion` tcp 22: DELIVERED"),
        "{out}"
    );
    let Run {
        code, stdout: out, ..
    } = vpcc(["reach", &f, "--from", "internet", "--to", "app"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("BLOCKED") && out.contains("NO_PUBLIC_IP"),
        "{out}"
    );
    let Run {
        code, stdout: out, ..
    } = vpcc([
        "reach",
        &f,
        "--from",
        "app",
        "--to",
        "service ec2",
        "--proto",
        "tcp",
        "--port",
        "443",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ec2.ap-northeast-2.amazonaws.com → 10.0.2.5"),
        "{out}"
    );
}

#[test]
fn cli_json() {
    let f = example_path("nat-bastion-endpoints.vpc");
    let Run {
        code, stdout: out, ..
    } = vpcc([
        "reach", &f, "--from", "app", "--to", "internet", "--proto", "tcp", "--port", "443",
        "--format", "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["delivered"], true);
    assert_eq!(v["legs"][0]["crosses_internet_gateway"], true);
    let Run { stdout: out, .. } = vpcc([
        "reach", &f, "--from", "internet", "--to", "app", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["legs"][0]["blockers"][0]["reason"], "NO_PUBLIC_IP");
}

#[test]
fn json_route_hops_carry_the_route_as_data() {
    let f = example_path("nat-bastion-endpoints.vpc");
    let Run { stdout: out, .. } = vpcc([
        "reach", &f, "--from", "app", "--to", "internet", "--proto", "tcp", "--port", "443",
        "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let routes: Vec<&serde_json::Value> = v["legs"][0]["forward"]
        .as_array()
        .expect("forward hops")
        .iter()
        .filter_map(|h| h.get("route"))
        .collect();
    // app's table sends the internet to the NAT gateway, the NAT gateway's
    // subnet's table to the internet gateway.
    assert_eq!(routes.len(), 2, "{out}");
    assert_eq!(routes[0]["destination"], "0.0.0.0/0");
    assert_eq!(routes[0]["target"], "nat-a");
    assert_eq!(routes[0]["target_kind"], "nat_gateway");
    assert_eq!(routes[1]["target_kind"], "internet_gateway");
    // Only route tables carry a route.
    for h in v["legs"][0]["forward"].as_array().unwrap() {
        assert_eq!(
            h.get("route").is_some(),
            h["component"]["kind"] == "route_table",
            "{h}"
        );
    }
    // No field holds Markdown or a pre-rendered arrow.
    assert!(!out.contains('`') && !out.contains('→'), "{out}");

    // Across a peering, the reply's route table says which route takes the
    // reply back: db's table sends 10.1.0.0/16 to the peering.
    let f = example_path("peering.vpc");
    let Run { stdout: out, .. } = vpcc([
        "reach", &f, "--from", "app1", "--to", "db1", "--proto", "tcp", "--port", "5432",
        "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let back: Vec<&serde_json::Value> = v["legs"][0]["return"]
        .as_array()
        .expect("return hops")
        .iter()
        .filter_map(|h| h.get("route"))
        .collect();
    assert_eq!(back.len(), 1, "{out}");
    assert_eq!(back[0]["destination"], "10.1.0.0/16");
    assert_eq!(back[0]["target"], "pcx-apps-db");
    assert_eq!(back[0]["target_kind"], "peering");
}

#[test]
fn reach_schema_is_current_and_every_answer_matches_it() {
    support::schema::assert_current(
        "reach.schema.json",
        &vpc::reach::schema(),
        "src/reach.rs",
        "reach",
    );
    let validator = support::schema::validator("reach.schema.json");
    let f = example_path("nat-bastion-endpoints.vpc");
    let queries: &[&[&str]] = &[
        &[
            "--from", "app", "--to", "internet", "--proto", "tcp", "--port", "443",
        ],
        &["--from", "internet", "--to", "app"],
        &["--from", "app", "--to", "service s3"],
        &[
            "--from", "admin", "--to", "app", "--via", "bastion", "--proto", "tcp", "--port", "22",
        ],
    ];
    for q in queries {
        let mut args = vec!["reach", f.as_str()];
        args.extend_from_slice(q);
        args.extend_from_slice(&["--format", "json"]);
        let Run { stdout, code, .. } = vpcc(args);
        assert_eq!(code, 0, "{q:?}");
        support::schema::assert_valid(&validator, &format!("reach {q:?}"), &stdout);
    }
    // The schema is strict: an unknown field is an error.
    let Run { stdout, .. } = vpcc([
        "reach", &f, "--from", "app", "--to", "internet", "--format", "json",
    ]);
    let mut v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    v["legs"][0]["forward"][0]["surprise"] = serde_json::Value::Bool(true);
    assert!(!validator.is_valid(&v));
}

#[test]
fn cli_usage_errors_exit_2_and_file_errors_exit_1() {
    let f = example_path("nat-bastion-endpoints.vpc");
    let Run {
        code, stderr: err, ..
    } = vpcc(["reach", &f, "--from", "bastoin", "--to", "app"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown flow end `bastoin`") && err.contains("did you mean `bastion`?"),
        "{err}"
    );
    let Run { code, .. } = vpcc([
        "reach", &f, "--from", "app", "--to", "bastion", "--port", "22",
    ]);
    assert_eq!(code, 2, "--port without tcp/udp");
    let Run { code, .. } = vpcc([
        "reach", &f, "--from", "app", "--to", "bastion", "--proto", "tcp", "--port", "9-3",
    ]);
    assert_eq!(code, 2);
    let Run { code, .. } = vpcc(["reach", "/nonexistent.vpc", "--from", "a", "--to", "b"]);
    assert_eq!(code, 2);
    let dir = std::env::temp_dir().join(format!("vpcc-reach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let bad = dir.join("bad.vpc");
    std::fs::write(
        &bad,
        "vpc main 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 az a {\n  }\n}\n",
    )
    .expect("write");
    let Run {
        code, stderr: err, ..
    } = vpcc([
        "reach",
        bad.to_str().unwrap_or_default(),
        "--from",
        "a",
        "--to",
        "internet",
    ]);
    assert_eq!(code, 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

mod symbolic_matches_brute_force {
    //! Symbolic first-match evaluation of an ACL over address and port sets
    //! agrees with evaluating every (address, protocol, port) on its own.

    use proptest::prelude::*;
    use vpc::reach::sets::{Cube, Intervals, Pattern, RuleMatch, Space, Traffic, first_match};
    use vpc::syntax::ast::ProtocolKind;

    /// A rule over a small universe: addresses 0..64, ports 0..16.
    #[derive(Clone, Debug)]
    struct Rule {
        prefix: u32,
        base: u32,
        protocol: ProtocolKind,
        ports: Option<(u16, u16)>,
        allow: bool,
    }

    fn rule() -> impl Strategy<Value = Rule> {
        (
            2u32..=6,
            0u32..64,
            prop_oneof![
                Just(ProtocolKind::Tcp),
                Just(ProtocolKind::Udp),
                Just(ProtocolKind::Icmp),
                Just(ProtocolKind::All)
            ],
            proptest::option::of((0u16..16, 0u16..16)),
            any::<bool>(),
        )
            .prop_map(|(bits, base, protocol, ports, allow)| {
                let size = 1u32 << bits;
                let ports = match protocol {
                    ProtocolKind::Tcp | ProtocolKind::Udp => {
                        ports.map(|(a, b)| (a.min(b), a.max(b)))
                    }
                    _ => None,
                };
                Rule {
                    prefix: bits,
                    base: base / size * size,
                    protocol,
                    ports,
                    allow,
                }
            })
    }

    fn matches(r: &Rule, a: u32, proto: ProtocolKind, port: u16) -> bool {
        let size = 1u32 << r.prefix;
        let addr_ok = a >= r.base && a < r.base + size;
        let proto_ok = r.protocol == ProtocolKind::All || r.protocol == proto;
        let port_ok =
            proto == ProtocolKind::Icmp || r.ports.is_none_or(|(x, y)| x <= port && port <= y);
        addr_ok && proto_ok && port_ok
    }

    proptest! {
        #[test]
        fn acl_first_match(rules in proptest::collection::vec(rule(), 0..6), lo in 0u32..64, len in 1u32..64, plo in 0u16..16, plen in 1u16..16) {
            let hi = (lo + len - 1).min(63);
            let phi = (plo + plen - 1).min(15);
            let compiled: Vec<(RuleMatch, bool)> = rules
                .iter()
                .map(|r| {
                    let set = Intervals::range(r.base, r.base + (1 << r.prefix) - 1);
                    let src = Pattern { set, ..Pattern::default() };
                    (RuleMatch { src, dst: Pattern::everything(), traffic: Traffic::of(Some(r.protocol), r.ports) }, r.allow)
                })
                .collect();
            let ports = Intervals::range(u32::from(plo), u32::from(phi));
            let cube = Cube {
                src: Space::Set(Intervals::range(lo, hi)),
                dst: Space::Set(Intervals::range(0, 0)),
                traffic: Traffic { tcp: ports.clone(), udp: ports, icmp: true },
            };
            let (passed, _, _) = first_match(&compiled, &[cube]);
            for a in lo..=hi {
                for (proto, ps) in [(ProtocolKind::Tcp, plo..=phi), (ProtocolKind::Udp, plo..=phi), (ProtocolKind::Icmp, 0..=0)] {
                    for port in ps {
                        let brute = rules.iter().find(|r| matches(r, a, proto, port)).is_some_and(|r| r.allow);
                        let symbolic = passed.iter().any(|c| {
                            let in_src = matches!(&c.src, Space::Set(s) if s.contains(a));
                            let in_traffic = match proto {
                                ProtocolKind::Tcp => c.traffic.tcp.contains(u32::from(port)),
                                ProtocolKind::Udp => c.traffic.udp.contains(u32::from(port)),
                                _ => c.traffic.icmp,
                            };
                            in_src && in_traffic
                        });
                        prop_assert_eq!(brute, symbolic, "address {} {:?} port {}", a, proto, port);
                    }
                }
            }
        }
    }
}

#[test]
fn private_nat_gateway_cannot_use_the_internet_gateway() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "    nat_gateway nat-a\n",
        "    nat_gateway nat-a private\n",
    );
    let line = "expect app can reach internet tcp 443 via nat-a";
    assert!(failing(&src).contains(&line.to_string()));
    assert_eq!(reasons(&verdict_of(&src, line)), vec![Reason::PrivateNat]);
}

#[test]
fn public_instance_in_a_private_subnet_has_no_return_route() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "      security_groups [app-sg]\n",
        "      public_ip\n      security_groups [app-sg]\n",
    );
    let src = mutate(
        &src,
        "ingress tcp 22 from bastion-sg",
        "ingress tcp 22 from admin",
    );
    let src = src + "expect admin can reach app tcp 22\n";
    let v = verdict_of(&src, "expect admin can reach app tcp 22");
    assert_eq!(reasons(&v), vec![Reason::NoReturnRoute]);
    assert!(
        v.legs[0].blockers[0]
            .component
            .to_string()
            .contains("route table `private`")
    );
}

#[test]
fn routes_that_send_traffic_back_are_loops() {
    // The NAT gateway's own subnet routes the internet back to it.
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "route 0.0.0.0/0 -> igw",
        "route 0.0.0.0/0 -> nat-a",
    );
    let v = verdict_of(&src, "expect app can reach internet tcp 443 via nat-a");
    assert_eq!(reasons(&v), vec![Reason::RouteLoop]);
}

#[test]
fn via_names_a_component_off_the_path() {
    let src = example("nat-bastion-endpoints.vpc")
        + "expect app can reach service s3 tcp 443 via nat-a\n";
    let line = "expect app can reach service s3 tcp 443 via nat-a";
    assert_eq!(failing(&src), vec![line.to_string()]);
    let v = verdict_of(&src, line);
    assert!(v.delivered && !v.holds);
    assert_eq!(reasons(&v), vec![Reason::ViaNotTraversed]);
    let c = vpc::compile(&src);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::E0501)
        .expect("E0501");
    assert!(
        d.secondary
            .iter()
            .any(|l| l.message == "not on the path" && &src[l.span.range()] == "nat-a"),
        "{:#?}",
        d.secondary
    );
}

#[test]
fn dhcp_without_amazon_dns_resolves_publicly() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "  dns_hostnames on\n",
        "  dns_hostnames on\n  dhcp_options {\n    name_servers [10.0.0.53]\n  }\n",
    );
    let c = vpc::compile(&src);
    let errors: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(errors, vec![Code::E0501], "{:#?}", c.diagnostics);
    let v = verdict_of(
        &src,
        "expect app can reach service ec2 tcp 443 via ec2-api privately",
    );
    let dns = v
        .blockers()
        .find(|b| b.reason == Reason::DnsPublic)
        .expect("DNS_PUBLIC");
    assert!(dns.detail.contains("AmazonProvidedDNS"), "{}", dns.detail);
    assert!(src[dns.span.expect("span").range()].starts_with("dhcp_options"));
}

#[test]
fn subnets_as_flow_ends() {
    // A host in public-a (allow-all group, no public IP on launch) reaches
    // app over SSH? No: app-sg admits only bastion-sg members.
    let src = example("nat-bastion-endpoints.vpc")
        + "expect public-a cannot reach app tcp 22\nexpect app can reach public-a tcp 22\n";
    assert!(failing(&src).is_empty(), "{:?}", failing(&src));
}

#[test]
fn nat_instance_without_public_ip() {
    let src = mutate(&example("nat-instance.vpc"), "      public_ip\n", "");
    let v = verdict_of(
        &src,
        "expect app can reach internet tcp 443 via nat-instance",
    );
    assert_eq!(reasons(&v), vec![Reason::NoPublicIp]);
    assert!(v.legs[0].blockers[0].component.name.as_deref() == Some("nat-instance"));
}

#[test]
fn cli_via_and_privately() {
    let f = example_path("private-dns-off.vpc");
    let Run {
        code, stdout: out, ..
    } = vpcc([
        "reach",
        &f,
        "--from",
        "app",
        "--to",
        "service ec2",
        "--proto",
        "tcp",
        "--port",
        "443",
        "--privately",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("`app` → service ec2 tcp 443 privately: DELIVERED, but not as asked"),
        "{out}"
    );
    assert!(
        out.contains("NOT_PRIVATE at internet gateway `igw`") && out.contains("DNS_PUBLIC"),
        "{out}"
    );
    let f = example_path("nat-bastion-endpoints.vpc");
    let Run {
        code, stdout: out, ..
    } = vpcc([
        "reach", &f, "--from", "admin", "--to", "app", "--proto", "tcp", "--port", "22", "--via",
        "bastion",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("leg 2: `bastion` → `app`: delivered"), "{out}");
    let Run {
        code, stderr: err, ..
    } = vpcc([
        "reach", &f, "--from", "admin", "--to", "app", "--via", "nowhere",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn replies_are_checked_for_what_arrives() {
    let src = fixture("return-protocol.vpc");
    assert!(failing(&src).is_empty(), "{:?}", failing(&src));
    let v = verdict_of(&src, "expect internet cannot reach web");
    assert_eq!(reasons(&v), vec![Reason::AclReturn]);
}

#[test]
fn every_pair_of_the_large_example_is_decided() {
    let m = model(&example("large.vpc"));
    let ends: Vec<FlowEnd> = (0..m.instances.len())
        .map(|i| FlowEnd::Instance(vpc::model::InstanceId(i as u32)))
        .chain([FlowEnd::Internet, FlowEnd::Service("s3".to_string())])
        .collect();
    let start = std::time::Instant::now();
    let mut delivered = 0;
    for a in ends.iter().filter(|e| !matches!(e, FlowEnd::Service(_))) {
        for b in &ends {
            if a != b && reach(&m, &Query::new(a.clone(), b.clone())).delivered {
                delivered += 1;
            }
        }
    }
    eprintln!(
        "{} flows, {delivered} delivered, in {:?}",
        ends.len() * ends.len(),
        start.elapsed()
    );
    assert!(delivered > 0);
}

/// Deleting any one line of any example gives a file that either has
/// errors or a model the engine decides without panicking.
#[test]
fn every_one_line_deletion_of_the_examples_is_decided() {
    let mut decided = 0;
    for name in [
        "nat-bastion-endpoints.vpc",
        "private-dns-off.vpc",
        "three-tier-multi-az.vpc",
        "peering.vpc",
        "nat-instance.vpc",
    ] {
        let src = example(name);
        let lines: Vec<&str> = src.lines().collect();
        for i in 0..lines.len() {
            let mutated: String = lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            let c = vpc::compile(&mutated);
            if c.model.is_some() {
                decided += 1;
            }
        }
    }
    assert!(decided > 100, "{decided}");
}

#[test]
fn endpoints_carry_only_their_protocols() {
    let src = example("nat-bastion-endpoints.vpc")
        + "expect app cannot reach service s3 udp 53\nexpect app can reach service s3 icmp\nexpect app cannot reach ec2-api udp 443\nexpect app can reach ec2-api\n";
    assert!(failing(&src).is_empty(), "{:?}", failing(&src));
    let v = verdict_of(&src, "expect app cannot reach ec2-api udp 443");
    assert!(
        reasons(&v).contains(&Reason::EndpointProtocol),
        "{:?}",
        reasons(&v)
    );
}

#[test]
fn an_instance_off_the_path_in_via_is_a_jump_host() {
    // nat-instance is a route target, but not on the path from admin to
    // app: it is a jump host, nat-sg lets no SSH out and app-sg none in.
    let src = example("nat-instance.vpc") + "expect admin can reach app tcp 22 via nat-instance\n";
    let v = verdict_of(&src, "expect admin can reach app tcp 22 via nat-instance");
    assert_eq!(v.legs.len(), 2);
    assert!(v.legs[0].holds);
    assert_eq!(reasons(&v), vec![Reason::SgEgress, Reason::SgIngress]);
    // On the path from app to the internet it is a traversed hop: one leg.
    let v = verdict_of(
        &src,
        "expect app can reach internet tcp 443 via nat-instance",
    );
    assert_eq!(v.legs.len(), 1);
    assert!(v.holds);
}

/// Narrowing a query never delivers more: a flow delivered for one port is
/// delivered for any port, and one delivered for any port is delivered for
/// the port of its example packet.
#[test]
fn narrower_queries_deliver_no_more() {
    for name in [
        "nat-bastion-endpoints.vpc",
        "three-tier-multi-az.vpc",
        "peering.vpc",
        "nat-instance.vpc",
    ] {
        let m = model(&example(name));
        let mut ends: Vec<FlowEnd> = (0..m.instances.len())
            .map(|i| FlowEnd::Instance(vpc::model::InstanceId(i as u32)))
            .collect();
        ends.push(FlowEnd::Internet);
        ends.extend(
            m.externals
                .iter()
                .enumerate()
                .map(|(i, _)| FlowEnd::External(vpc::model::ExternalId(i as u32))),
        );
        for a in &ends {
            for b in &ends {
                if a == b {
                    continue;
                }
                let any = reach(&m, &Query::new(a.clone(), b.clone()));
                for (proto, port) in [
                    (ProtocolKind::Tcp, 22),
                    (ProtocolKind::Tcp, 443),
                    (ProtocolKind::Tcp, 5432),
                    (ProtocolKind::Tcp, 8080),
                    (ProtocolKind::Udp, 53),
                ] {
                    let one = reach(
                        &m,
                        &Query {
                            protocol: Some(proto),
                            ports: Some((port, port)),
                            ..Query::new(a.clone(), b.clone())
                        },
                    );
                    assert!(
                        !one.delivered || any.delivered,
                        "{name}: {a:?} → {b:?} {proto:?} {port} delivered, any protocol not"
                    );
                }
                if any.delivered {
                    let example = any.legs[0].example.clone().unwrap_or_default();
                    if let Some(port) = example
                        .strip_prefix("tcp ")
                        .and_then(|e| e.rsplit_once(" port "))
                        .and_then(|(_, p)| p.parse::<u16>().ok())
                    {
                        let one = reach(
                            &m,
                            &Query {
                                protocol: Some(ProtocolKind::Tcp),
                                ports: Some((port, port)),
                                ..Query::new(a.clone(), b.clone())
                            },
                        );
                        assert!(
                            one.delivered,
                            "{name}: {a:?} → {b:?}: example {example} not delivered"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn s3_over_the_internet_is_not_private() {
    // Without the gateway endpoint S3 is reached through the NAT gateway
    // and the internet gateway. (With the endpoint on the public table
    // only, the NAT gateway's own table would still take it there.)
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "  endpoint s3-gw gateway s3 {\n    route_tables [private]\n  }\n",
        "",
    );
    let line = "expect app can reach service s3 tcp 443 privately";
    assert!(failing(&src).contains(&line.to_string()));
    let v = verdict_of(&src, line);
    assert!(v.delivered, "S3 is still reached, over the internet");
    let b = v
        .blockers()
        .find(|b| b.reason == Reason::NotPrivate)
        .expect("NOT_PRIVATE");
    assert_eq!(
        b.fix.as_deref(),
        Some("add `endpoint s3-gw gateway s3 { route_tables [private] }` to the VPC")
    );
}

// --- where blockers are (for `vpcc graph --highlight`) ---------------------

/// The reasons and locations of the blockers of the expectation on `line`,
/// and the model to name them by.
fn located(src: &str, line: &str) -> (Model, Vec<(Reason, Option<Location>)>) {
    let v = verdict_of(src, line);
    let at = v.blockers().map(|b| (b.reason, b.at.clone())).collect();
    (model(src), at)
}

fn instance(m: &Model, name: &str) -> Location {
    let i = m
        .instances
        .iter()
        .position(|x| x.name == name)
        .expect("an instance of that name");
    Location::Instance(vpc::model::InstanceId(i as u32))
}

fn subnet(m: &Model, name: &str) -> Location {
    let s = m
        .subnets
        .iter()
        .position(|x| x.name == name)
        .expect("a subnet of that name");
    Location::Subnet(vpc::model::SubnetId(s as u32))
}

fn route_table(m: &Model, name: &str) -> Location {
    let t = m
        .route_tables
        .iter()
        .position(|x| x.name == name)
        .expect("a route table of that name");
    Location::RouteTable(vpc::model::RouteTableId(t as u32))
}

#[test]
fn security_group_blockers_are_at_the_instance() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "ingress tcp 22 from bastion-sg",
        "ingress tcp 2222 from bastion-sg",
    );
    let (m, at) = located(&src, "expect admin can reach app tcp 22 via bastion");
    assert_eq!(at, vec![(Reason::SgIngress, Some(instance(&m, "app")))]);
}

#[test]
fn acl_blockers_are_at_the_subnet() {
    let src = mutate(
        &example("three-tier-multi-az.vpc"),
        "    # Replies from the data tier, from the internet through NAT, from DynamoDB.\n    inbound 200 allow tcp 1024-65535 from internet\n",
        "",
    );
    let (m, at) = located(&src, "expect app-a1 can reach db-a1 tcp 5432");
    assert_eq!(at.len(), 1, "{at:?}");
    assert_eq!(at[0].0, Reason::AclReturn);
    // app-acl guards the app subnets; the reply enters app-a's.
    let Some(Location::Subnet(s)) = &at[0].1 else {
        panic!("{at:?}")
    };
    assert!(m.subnet(*s).name.starts_with("app-"), "{at:?}");
    let two = fixture("two-blockers.vpc");
    let (m, at) = located(&two, "expect web can reach db tcp 5432");
    let reasons: Vec<Reason> = at.iter().map(|x| x.0).collect();
    assert_eq!(
        reasons,
        vec![Reason::SgEgress, Reason::AclInbound, Reason::AclReturn]
    );
    assert_eq!(at[0].1, Some(instance(&m, "web")));
    assert!(matches!(at[1].1, Some(Location::Subnet(_))), "{at:?}");
}

#[test]
fn public_ip_blockers_are_at_the_instance() {
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "      public_ip\n",
        "",
    );
    let (m, at) = located(&src, "expect admin can reach bastion tcp 22");
    assert_eq!(
        at,
        vec![(Reason::NoPublicIp, Some(instance(&m, "bastion")))]
    );
    // From the internet, a private host: its missing public IP and its
    // subnet's NAT.
    let src = example("nat-bastion-endpoints.vpc");
    let (m, at) = located(&src, "expect internet cannot reach app");
    assert_eq!(
        at,
        vec![
            (Reason::NoPublicIp, Some(instance(&m, "app"))),
            (Reason::NatInbound, Some(subnet(&m, "private-a"))),
        ]
    );
}

#[test]
fn route_blockers_are_at_the_route_table() {
    let line = "expect app can reach internet tcp 443 via nat-a";
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "route 0.0.0.0/0 -> nat-a",
        "route 0.0.0.0/0 -> blackhole",
    );
    let (m, at) = located(&src, line);
    assert!(
        at.contains(&(Reason::Blackhole, Some(route_table(&m, "private")))),
        "{at:?}"
    );
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "route 0.0.0.0/0 -> igw",
        "route 0.0.0.0/0 -> nat-a",
    );
    let (m, at) = located(&src, line);
    assert_eq!(
        at,
        vec![(Reason::RouteLoop, Some(route_table(&m, "public")))]
    );
}

#[test]
fn gateway_blockers_are_at_the_gateway() {
    let line = "expect app can reach internet tcp 443 via nat-a";
    let src = mutate(
        &example("nat-bastion-endpoints.vpc"),
        "    nat_gateway nat-a\n",
        "    nat_gateway nat-a private\n",
    );
    let (m, at) = located(&src, line);
    assert_eq!(
        at,
        vec![(
            Reason::PrivateNat,
            Some(Location::NatGateway(vpc::model::NatGatewayId(0)))
        )]
    );
    assert_eq!(m.nat_gateways[0].name, "nat-a");
    let src = mutate(
        &example("nat-instance.vpc"),
        "source_dest_check off",
        "source_dest_check on",
    );
    let (m, at) = located(
        &src,
        "expect app can reach internet tcp 443 via nat-instance",
    );
    assert_eq!(
        at,
        vec![(Reason::SourceDestCheck, Some(instance(&m, "nat-instance")))]
    );
}

/// Issue 15 (1): the internet gateway drops private sources, not only
/// private destinations.
#[test]
fn internet_gateway_drops_private_sources() {
    let src = fixture("igw-private-source.vpc");
    assert_eq!(failing(&src), Vec::<String>::new());
    for line in [
        "expect office cannot reach bastion tcp 22",
        "expect cgnat cannot reach bastion tcp 22",
    ] {
        blocked_only_by(&src, line, Reason::PrivateAddress);
    }
    let v = verdict_of(&src, "expect admin can reach bastion tcp 22");
    assert!(v.delivered);
    // An office range that is public again reaches the bastion.
    let public = mutate(&src, "office 10.50.0.0/16", "office 198.51.100.0/24");
    assert_eq!(
        failing(&public),
        vec!["expect office cannot reach bastion tcp 22".to_string()]
    );
}

/// Issue 15 (2): an interface endpoint never opens a connection into the
/// VPC, whatever the security groups say; it still answers.
#[test]
fn interface_endpoint_only_answers() {
    let src = fixture("endpoint-inbound-only.vpc");
    assert_eq!(failing(&src), Vec::<String>::new());
    for line in [
        "expect ec2-api cannot reach app tcp 443",
        "expect ec2-api cannot reach app",
    ] {
        blocked_only_by(&src, line, Reason::EndpointInboundOnly);
    }
    assert!(verdict_of(&src, "expect app can reach ec2-api tcp 443").delivered);
    // The opposite claim fails, naming the endpoint.
    let flipped = mutate(
        &src,
        "expect ec2-api cannot reach app tcp 443",
        "expect ec2-api can reach app tcp 443",
    );
    assert_eq!(
        failing(&flipped),
        vec!["expect ec2-api can reach app tcp 443".to_string()]
    );
}

/// Issue 15 (6): with dns_support off and only the Amazon resolver, no
/// service name resolves; a custom name server resolves public names.
#[test]
fn no_dns_no_service_by_name() {
    let src = fixture("dns-off.vpc");
    assert_eq!(failing(&src), Vec::<String>::new());
    for line in [
        "expect web cannot reach service s3 tcp 443",
        "expect web cannot reach service ec2 tcp 443",
    ] {
        let v = blocked_only_by(&src, line, Reason::DnsUnresolved);
        assert_eq!(v.legs[0].dns[0].answer, "no answer");
    }
    // DNS on again: both services are reached (S3 through the gateway
    // endpoint, EC2 over the internet), and the two expects fail.
    let on = mutate(
        &src,
        "dns_support off\n  internet_gateway igw\n",
        "internet_gateway igw\n",
    );
    assert_eq!(
        failing(&on),
        vec![
            "expect web cannot reach service s3 tcp 443".to_string(),
            "expect web cannot reach service ec2 tcp 443".to_string()
        ]
    );
    // The Amazon resolver by address is no answer either with DNS off.
    let by_address = mutate(&src, "name_servers [10.1.0.53]", "name_servers [10.1.0.2]");
    assert_eq!(
        failing(&by_address),
        vec![
            "expect web2 can reach service s3 tcp 443".to_string(),
            "expect web2 can reach service ec2 tcp 443".to_string()
        ]
    );
}

/// Issue 15 (3): the Amazon resolver listed by address is AmazonProvidedDNS
/// for private DNS; a custom server alone sends the name to the internet.
#[test]
fn amazon_resolver_by_address_answers_private_dns() {
    let src = example("nat-bastion-endpoints.vpc");
    let line = "expect app can reach service ec2 tcp 443 via ec2-api privately";
    for servers in ["[10.0.0.2]", "[169.254.169.253]", "[AmazonProvidedDNS]"] {
        let s = mutate(
            &src,
            "  dns_hostnames on\n",
            &format!("  dns_hostnames on\n  dhcp_options {{\n    name_servers {servers}\n  }}\n"),
        );
        assert_eq!(failing(&s), Vec::<String>::new(), "{servers}");
    }
    let custom = mutate(
        &src,
        "  dns_hostnames on\n",
        "  dns_hostnames on\n  dhcp_options {\n    name_servers [10.0.0.53]\n  }\n",
    );
    assert_eq!(failing(&custom), vec![line.to_string()]);
    assert!(reasons(&verdict_of(&custom, line)).contains(&Reason::DnsPublic));
}

/// Issue 15 (4): a NAT gateway rewrites the source port, so the ACLs on
/// each side of it need only a reply port of their own; within one side,
/// some port must still pass every ACL.
#[test]
fn nat_rewrites_the_source_port() {
    let src = fixture("nat-port-rewrite.vpc");
    let line = "expect app can reach internet tcp 443 via nat-a";
    assert_eq!(failing(&src), Vec::<String>::new());
    let v = verdict_of(&src, line);
    assert!(v.delivered);
    let nat_hop = v.legs[0]
        .back
        .iter()
        .find(|h| h.component == Component::new(ComponentKind::NatGateway, "nat-a"))
        .expect("a NAT hop on the way back");
    assert!(
        nat_hop.decision.contains("at tcp 1024-32767"),
        "{}",
        nat_hop.decision
    );
    // The NAT's side admits no reply: blocked there.
    let none = mutate(
        &src,
        "inbound 200 allow tcp 1024-32767 from internet",
        "inbound 200 deny tcp 1024-65535 from internet",
    );
    assert_eq!(failing(&none), vec![line.to_string()]);
    assert_eq!(reasons(&verdict_of(&none, line)), vec![Reason::AclReturn]);
    // The client's side: each ACL admits a port, but none admits both.
    let split = mutate(
        &src,
        "outbound 200 allow tcp 1024-65535 to 10.0.2.0/24",
        "outbound 200 allow tcp 1024-32767 to 10.0.2.0/24",
    );
    assert_eq!(failing(&split), vec![line.to_string()]);
    let v = verdict_of(&split, line);
    assert_eq!(reasons(&v), vec![Reason::AclReturn]);
    assert!(
        v.blockers()
            .any(|b| b.detail.contains("on the way back to the client")),
        "{:?}",
        v.blockers().collect::<Vec<_>>()
    );
}

/// Issue 15 (7): example addresses are hosts of the range, and a missing
/// route to a peered VPC suggests the peer's block, not one address.
#[test]
fn examples_are_hosts_and_route_fixes_name_blocks() {
    let src = example("peering.vpc");
    let v = verdict_of(&src, "expect office can reach bastion tcp 22");
    let e = v.legs[0].example.clone().unwrap_or_default();
    assert!(e.contains("from 198.51.100.1 "), "{e}");
    let cut = mutate(&src, "    route 10.2.0.0/16 -> pcx-apps-db\n", "");
    let v = verdict_of(&cut, "expect app1 can reach db1 tcp 5432 via pcx-apps-db");
    let fixes: Vec<_> = v.blockers().filter_map(|b| b.fix.clone()).collect();
    assert_eq!(
        fixes,
        vec!["add `route 10.2.0.0/16 -> pcx-apps-db` to route table `apps-private-rt`"]
    );
}

/// `reach --ipv6` walks IPv6 packets: the API leaves by the egress-only
/// gateway, untranslated, and nothing opened from the internet reaches it
/// (EGRESS_ONLY); over IPv4 the same pair has no route at all.
#[test]
fn cli_reach_ipv6_walks_the_ipv6_addresses() {
    let f = format!(
        "{}/tests/ui/reach/ipv6_dual_stack_ok.vpc",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = |args: &[&str]| {
        let mut all = vec!["reach", f.as_str()];
        all.extend_from_slice(args);
        let Run { code, stdout, .. } = vpcc(all);
        assert_eq!(code, 0, "{stdout}");
        stdout
    };
    let up = out(&[
        "--from", "api", "--to", "internet", "--proto", "tcp", "--port", "443", "--ipv6",
    ]);
    assert!(
        up.starts_with("`api` → internet tcp 443 ipv6: DELIVERED"),
        "{up}"
    );
    assert!(
        up.contains("egress-only internet gateway `eigw`: carries 2600:1f18:4a3:6e02::4 out"),
        "{up}"
    );
    let down = out(&[
        "--from", "internet", "--to", "api", "--proto", "tcp", "--port", "8080", "--ipv6",
    ]);
    assert!(
        down.contains("BLOCKED") && down.contains("EGRESS_ONLY"),
        "{down}"
    );
    let v4 = out(&[
        "--from", "api", "--to", "internet", "--proto", "tcp", "--port", "443",
    ]);
    assert!(v4.contains("BLOCKED") && v4.contains("NO_ROUTE"), "{v4}");
}
