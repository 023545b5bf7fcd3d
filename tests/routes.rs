//! The route model: `routes::lookup` rule by rule, a property test against a
//! brute-force scan, golden text and JSON for every example, the published
//! JSON Schemas, and the `vpcc routes` command line.
//!
//! Goldens are insta snapshots in `tests/snapshots/routes__*.snap`
//! (`cargo insta review` to accept). The schema files are regenerated with
//! `VPCC_BLESS=1 cargo test --test routes`.
//!
//! Goldens render through the library (`emit::routes`, `emit::json`); the
//! few command-line tests run the binary through `support::cli` (which
//! honours `VPCC_BIN=path/to/vpcc` for a target directory shared between
//! checkouts).

use std::path::{Path, PathBuf};

use ipnet::Ipv4Net;
use proptest::prelude::*;
use vpc::emit::json::{self as dto, RouteModel};
use vpc::emit::routes as text;
use vpc::model::{
    Destination, GatewayService, Model, PrefixListId, Route, RouteOrigin, RouteTable, SubnetId,
    SubnetKind, Target, VpcId,
};
use vpc::routes::{self, Loser, Query};

mod support;
use support::schema::{assert_valid, validator};

// ----- helpers -------------------------------------------------------------

use support::cli::{Run, vpcc};
use support::fixture::{model_of as model, root};

fn subnet_id(m: &Model, name: &str) -> SubnetId {
    let i = m
        .subnets
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no subnet {name}"));
    SubnetId(u32::try_from(i).expect("few subnets"))
}

fn table<'m>(m: &'m Model, subnet: &str) -> &'m RouteTable {
    m.route_table(m.subnet(subnet_id(m, subnet)).route_table)
}

/// The chosen route of `subnet`'s table for `query`, as `dest → target`, or
/// `none`.
fn pick(m: &Model, subnet: &str, query: &str) -> String {
    let t = table(m, subnet);
    let q = Query::parse(query).unwrap_or_else(|| panic!("bad query {query}"));
    routes::lookup(t, q).chosen.map_or_else(
        || "none".to_string(),
        |i| routes::route_text(m, &t.routes[i]),
    )
}

/// The table's routes in match order, as `dest → target`.
fn order(m: &Model, subnet: &str) -> Vec<String> {
    table(m, subnet)
        .routes
        .iter()
        .map(|r| routes::route_text(m, r))
        .collect()
}

fn why_lost(m: &Model, subnet: &str, query: &str, route: &str) -> Loser {
    let t = table(m, subnet);
    let q = Query::parse(query).expect("query");
    let l = routes::lookup(t, q);
    l.others
        .iter()
        .find(|(i, _)| routes::route_text(m, &t.routes[*i]) == route)
        .map(|(_, w)| *w)
        .unwrap_or_else(|| panic!("{route} not among the losers"))
}

const BASE: &str = r"
region eu-west-1
vpc v 10.0.0.0/16 {
  cidr 10.1.0.0/16
  internet_gateway igw
  subnet pub 10.0.1.0/24 az a {
    route_table public
    nat_gateway nat
  }
  subnet app 10.0.2.0/24 az a {
    route_table private
    instance app1
  }
  subnet data 10.1.0.0/24 az a
  route_table public {
    route 0.0.0.0/0 -> igw
  }
  route_table private {
    route 0.0.0.0/0 -> nat
    route 10.0.1.0/24 -> nat
    route 203.0.113.0/24 -> igw
    route 203.0.113.128/25 -> blackhole
    route 52.216.0.0/15 -> igw
  }
  endpoint s3 gateway s3 {
    route_tables [private]
  }
}
";

// ----- matching rules --------------------------------------------------------

#[test]
fn routes_are_in_match_order() {
    let m = model(BASE);
    assert_eq!(
        order(&m, "app"),
        [
            "203.0.113.128/25 → blackhole",
            "10.0.1.0/24 → nat",
            "203.0.113.0/24 → igw",
            "10.0.0.0/16 → local",
            "10.1.0.0/16 → local",
            "52.216.0.0/15 → igw",
            "pl:s3 → s3",
            "0.0.0.0/0 → nat",
        ]
    );
}

#[test]
fn longest_prefix_wins() {
    let m = model(BASE);
    assert_eq!(pick(&m, "app", "203.0.113.5"), "203.0.113.0/24 → igw");
    assert_eq!(pick(&m, "app", "8.8.8.8"), "0.0.0.0/0 → nat");
    assert_eq!(
        why_lost(&m, "app", "203.0.113.5", "0.0.0.0/0 → nat"),
        Loser::LessSpecific
    );
    assert_eq!(
        why_lost(&m, "app", "203.0.113.5", "10.0.0.0/16 → local"),
        Loser::NoMatch
    );
}

#[test]
fn blackhole_route_drops() {
    let m = model(BASE);
    assert_eq!(
        pick(&m, "app", "203.0.113.200"),
        "203.0.113.128/25 → blackhole"
    );
    let t = table(&m, "app");
    let l = routes::lookup(t, Query::parse("203.0.113.200").expect("query"));
    let chosen = &t.routes[l.chosen.expect("a route")];
    assert_eq!(routes::outcome(&m, chosen), "dropped (blackhole)");
    assert_eq!(
        why_lost(&m, "app", "203.0.113.200", "203.0.113.0/24 → igw"),
        Loser::LessSpecific
    );
}

#[test]
fn prefix_list_beats_the_default_route() {
    let m = model(BASE);
    assert_eq!(pick(&m, "app", "pl:s3"), "pl:s3 → s3");
    assert_eq!(
        why_lost(&m, "app", "pl:s3", "0.0.0.0/0 → nat"),
        Loser::LessSpecific
    );
    // No DynamoDB endpoint: DynamoDB traffic takes the default route.
    assert_eq!(pick(&m, "app", "pl:dynamodb"), "0.0.0.0/0 → nat");
    assert_eq!(
        why_lost(&m, "app", "pl:dynamodb", "pl:s3 → s3"),
        Loser::OtherService
    );
    // A table without the endpoint route sends S3 traffic the default way.
    assert_eq!(pick(&m, "pub", "pl:s3"), "0.0.0.0/0 → igw");
}

#[test]
fn static_route_wins_over_prefix_list_for_addresses() {
    // A written CIDR route decides for its addresses; the prefix-list route
    // (whose ranges are unknown offline) never matches an address.
    let m = model(BASE);
    assert_eq!(pick(&m, "app", "52.217.1.1"), "52.216.0.0/15 → igw");
    assert_eq!(
        why_lost(&m, "app", "52.217.1.1", "pl:s3 → s3"),
        Loser::NoMatch
    );
    // And for S3 traffic the written CIDR is not taken as S3's range.
    assert_eq!(
        why_lost(&m, "app", "pl:s3", "52.216.0.0/15 → igw"),
        Loser::NoMatch
    );
}

#[test]
fn subnet_route_more_specific_than_local() {
    let m = model(BASE);
    // app's table sends traffic for the whole pub subnet through the NAT
    // gateway (a middlebox route), beating the local route.
    assert_eq!(pick(&m, "app", "10.0.1.50"), "10.0.1.0/24 → nat");
    assert_eq!(
        why_lost(&m, "app", "10.0.1.50", "10.0.0.0/16 → local"),
        Loser::LessSpecific
    );
    // Other addresses of the VPC stay local.
    assert_eq!(pick(&m, "app", "10.0.3.1"), "10.0.0.0/16 → local");
    // The public table has no such route.
    assert_eq!(pick(&m, "pub", "10.0.2.4"), "10.0.0.0/16 → local");
}

#[test]
fn secondary_cidr_has_its_own_local_route() {
    let m = model(BASE);
    assert_eq!(pick(&m, "pub", "10.1.0.9"), "10.1.0.0/16 → local");
    assert_eq!(
        order(&m, "pub"),
        [
            "10.0.0.0/16 → local",
            "10.1.0.0/16 → local",
            "0.0.0.0/0 → igw"
        ]
    );
    assert_eq!(
        why_lost(&m, "pub", "10.1.0.9", "10.0.0.0/16 → local"),
        Loser::NoMatch
    );
}

#[test]
fn implicit_main_table_fallback() {
    let m = model(BASE);
    let data = m.subnet(subnet_id(&m, "data"));
    let t = m.route_table(data.route_table);
    assert!(t.main && t.span.is_none() && !data.explicit_route_table);
    assert_eq!(
        order(&m, "data"),
        ["10.0.0.0/16 → local", "10.1.0.0/16 → local"]
    );
    assert_eq!(pick(&m, "data", "internet"), "none");
    assert_eq!(pick(&m, "data", "8.8.8.8"), "none");
    assert_eq!(data.kind, SubnetKind::Isolated);
}

#[test]
fn explicit_main_table_fallback() {
    let m = model(
        r"
vpc v 10.0.0.0/16 {
  internet_gateway igw
  subnet a 10.0.1.0/24
  subnet b 10.0.2.0/24 {
    route_table other
  }
  route_table rt main {
    route 0.0.0.0/0 -> igw
  }
  route_table other {
    route 0.0.0.0/0 -> blackhole
  }
}
",
    );
    let a = m.subnet(subnet_id(&m, "a"));
    assert_eq!(m.route_table(a.route_table).name, "rt");
    assert!(!a.explicit_route_table);
    assert_eq!(a.kind, SubnetKind::Public);
    assert_eq!(pick(&m, "a", "internet"), "0.0.0.0/0 → igw");
    assert_eq!(pick(&m, "b", "internet"), "0.0.0.0/0 → blackhole");
    let json = RouteModel::from_model(&m);
    assert!(!json.subnets[0].route_table_explicit);
    assert!(json.subnets[1].route_table_explicit);
    assert!(json.route_tables.iter().all(|t| !t.implicit));
}

#[test]
fn subnet_kinds_of_the_reference_example() {
    let m = model(&example("nat-bastion-endpoints.vpc"));
    let kinds: Vec<(&str, SubnetKind)> = m
        .subnets
        .iter()
        .map(|s| (s.name.as_str(), s.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("public-a", SubnetKind::Public),
            ("private-a", SubnetKind::Private)
        ]
    );
    assert_eq!(
        order(&m, "private-a"),
        ["10.0.0.0/16 → local", "pl:s3 → s3-gw", "0.0.0.0/0 → nat-a"]
    );
}

#[test]
fn query_parsing() {
    assert_eq!(Query::parse("internet"), Some(Query::Internet));
    assert_eq!(
        Query::parse("pl:s3"),
        Some(Query::Service(GatewayService::S3))
    );
    assert_eq!(
        Query::parse("dynamodb"),
        Some(Query::Service(GatewayService::DynamoDb))
    );
    assert_eq!(
        Query::parse("10.0.0.1"),
        Some(Query::Address("10.0.0.1".parse().expect("addr")))
    );
    assert_eq!(Query::parse("10.0.0.256"), None);
    assert_eq!(Query::parse("pl:sqs"), None);
    for q in ["internet", "pl:s3", "pl:dynamodb", "192.0.2.1"] {
        assert_eq!(Query::parse(q).map(Query::arg).as_deref(), Some(q));
    }
}

// ----- property: lookup agrees with a brute-force scan ------------------------

fn arb_route() -> impl Strategy<Value = Route> {
    prop_oneof![
        8 => (any::<u32>(), 0u8..=32).prop_map(|(a, len)| {
            // Keep most routes in 10.0.0.0/8 so that they overlap.
            let a = if len >= 8 { 0x0A00_0000 | (a & 0x00FF_FFFF) } else { a };
            let net = Ipv4Net::new(a.into(), len).expect("len ≤ 32").trunc();
            Route { destination: Destination::Cidr(net), target: Target::Blackhole, origin: RouteOrigin::Written, span: None }
        }),
        // An entry of a customer-managed prefix list, often for a block a
        // written route also has: the written route must win.
        3 => (0u32..2, any::<u32>(), 8u8..=32).prop_map(|(l, a, len)| {
            let net = Ipv4Net::new((0x0A00_0000 | (a & 0x00FF_FFFF)).into(), len).expect("len ≤ 32").trunc();
            Route { destination: Destination::ListEntry(PrefixListId(l), net), target: Target::Blackhole, origin: RouteOrigin::Written, span: None }
        }),
        1 => prop_oneof![Just(GatewayService::S3), Just(GatewayService::DynamoDb)].prop_map(|s| Route {
            destination: Destination::PrefixList(s),
            target: Target::Blackhole,
            origin: RouteOrigin::GatewayEndpoint,
            span: None,
        }),
    ]
}

fn arb_table() -> impl Strategy<Value = RouteTable> {
    proptest::collection::vec(arb_route(), 0..12).prop_map(|mut rs| {
        // A table holds one route per destination.
        let mut seen = std::collections::BTreeSet::new();
        rs.retain(|r| seen.insert(r.destination));
        routes::sort(&mut rs);
        RouteTable {
            name: "t".into(),
            vpc: VpcId(0),
            main: false,
            span: None,
            routes: rs,
            routes6: Vec::new(),
            subnets: Vec::new(),
        }
    })
}

fn arb_query() -> impl Strategy<Value = Query> {
    prop_oneof![
        6 => any::<u32>().prop_map(|a| Query::Address((0x0A00_0000 | (a & 0x00FF_FFFF)).into())),
        2 => any::<u32>().prop_map(|a| Query::Address(a.into())),
        1 => Just(Query::Internet),
        1 => prop_oneof![Just(GatewayService::S3), Just(GatewayService::DynamoDb)].prop_map(Query::Service),
    ]
}

/// The specification, by brute force: for an address, the containing CIDR
/// route with the longest prefix, a written CIDR before a prefix list's
/// entry for the same block, and of two lists' entries for one block the
/// first in the table (AWS picks either: W0612); for a service, its
/// prefix-list route, else the default route; for the internet, the
/// default route.
fn brute_force(t: &RouteTable, q: Query) -> Option<Destination> {
    match q {
        Query::Address(a) => {
            let best = t
                .routes
                .iter()
                .filter_map(|r| r.destination.net())
                .filter(|n| n.contains(&a))
                .map(|n| n.prefix_len())
                .max()?;
            let at = |d: &Destination| {
                d.net()
                    .is_some_and(|n| n.contains(&a) && n.prefix_len() == best)
            };
            let written = t
                .routes
                .iter()
                .map(|r| r.destination)
                .find(|d| matches!(d, Destination::Cidr(_)) && at(d));
            written.or_else(|| t.routes.iter().map(|r| r.destination).find(at))
        }
        Query::Service(s) => {
            let pl = Destination::PrefixList(s);
            let default = Destination::Cidr(Ipv4Net::default());
            [pl, default]
                .into_iter()
                .find(|d| t.routes.iter().any(|r| r.destination == *d))
        }
        Query::Internet => Some(Destination::Cidr(Ipv4Net::default()))
            .filter(|d| t.routes.iter().any(|r| r.destination == *d)),
    }
}

proptest! {
    #[test]
    fn lookup_agrees_with_brute_force(t in arb_table(), q in arb_query()) {
        let l = routes::lookup(&t, q);
        let got = l.chosen.map(|i| t.routes[i].destination);
        prop_assert_eq!(got, brute_force(&t, q));
        // Every route is either chosen or explained once.
        prop_assert_eq!(l.others.len() + usize::from(l.chosen.is_some()), t.routes.len());
        for (i, why) in &l.others {
            let r = &t.routes[*i];
            let covers = match (r.destination, q) {
                (Destination::Cidr(n) | Destination::ListEntry(_, n), Query::Address(a)) => n.contains(&a),
                (Destination::Cidr(n) | Destination::ListEntry(_, n), _) => n.prefix_len() == 0,
                (Destination::PrefixList(s), Query::Service(u)) => s == u,
                (Destination::PrefixList(_), _) => false,
                (Destination::Cidr6(_), _) => false,
            };
            prop_assert_eq!(covers, *why == Loser::LessSpecific, "route {:?} lost as {:?}", r.destination, why);
        }
    }
}

// ----- examples: goldens and schema -----------------------------------------

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).expect("example exists")
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "vpc"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn all_subnets(m: &Model) -> Vec<SubnetId> {
    (0..m.subnets.len())
        .map(|i| SubnetId(u32::try_from(i).expect("few subnets")))
        .collect()
}

#[test]
fn golden_text() {
    insta::glob!("../examples", "*.vpc", |path| {
        let m = model(&std::fs::read_to_string(path).expect("read"));
        insta::assert_snapshot!(text::table_text(&m, &all_subnets(&m)));
    });
}

#[test]
fn golden_json() {
    insta::glob!("../examples", "*.vpc", |path| {
        let m = model(&std::fs::read_to_string(path).expect("read"));
        let json = dto::to_string_pretty(&m);
        insta::assert_snapshot!(json);
    });
}

#[test]
fn golden_lookups_of_the_reference_example() {
    let file = "examples/nat-bastion-endpoints.vpc";
    let m = model(&example("nat-bastion-endpoints.vpc"));
    let mut all = String::new();
    for q in ["10.0.2.4", "10.0.1.10", "pl:s3", "internet", "198.51.100.7"] {
        let out = text::lookup_text(&m, &all_subnets(&m), Query::parse(q).expect("query"));
        all.push_str(&format!("$ vpcc routes {file} --lookup {q}\n{out}\n"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn cli_prints_the_library_text() {
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc(["routes", "examples/nat-bastion-endpoints.vpc"]);
    assert_eq!(code, 0, "{stderr}");
    let m = model(&example("nat-bastion-endpoints.vpc"));
    assert_eq!(stdout, text::table_text(&m, &all_subnets(&m)));
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc([
        "routes",
        "examples/nat-bastion-endpoints.vpc",
        "--lookup",
        "pl:s3",
        "--subnet",
        "private-a",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        text::lookup_text(
            &m,
            &[subnet_id(&m, "private-a")],
            Query::Service(GatewayService::S3)
        )
    );
}

#[test]
fn cli_json_is_the_library_json() {
    for path in examples() {
        let Run {
            code,
            stdout,
            stderr,
            ..
        } = vpcc(["routes", &rel(&path), "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        let m = model(&std::fs::read_to_string(&path).expect("read"));
        assert_eq!(stdout, dto::to_string_pretty(&m), "{}", path.display());
    }
}

fn check_schema_file(name: &str, generated: &str) {
    support::schema::assert_current(name, generated, "src/emit/json.rs", "routes");
}

#[test]
fn schemas_are_current() {
    check_schema_file("route-model.schema.json", &dto::schema());
    check_schema_file("route-lookup.schema.json", &dto::lookup_schema());
}

#[test]
fn every_example_matches_the_schema() {
    let model_schema = validator("route-model.schema.json");
    let lookup_schema = validator("route-lookup.schema.json");
    for path in examples() {
        let m = model(&std::fs::read_to_string(&path).expect("read"));
        assert_valid(
            &model_schema,
            &path.display().to_string(),
            &dto::to_string_pretty(&m),
        );
        for q in ["10.0.1.10", "pl:s3", "pl:dynamodb", "internet"] {
            let out = text::lookup_json(&m, &all_subnets(&m), Query::parse(q).expect("query"));
            assert_valid(
                &lookup_schema,
                &format!("{} --lookup {q}", path.display()),
                &out,
            );
        }
    }
}

#[test]
fn schema_rejects_unknown_fields_and_kinds() {
    let v = validator("route-model.schema.json");
    let m = model(&example("nat-bastion-endpoints.vpc"));
    let mut json: serde_json::Value =
        serde_json::to_value(RouteModel::from_model(&m)).expect("json");
    assert!(v.is_valid(&json));
    json["subnets"][0]["kind"] = "semi-public".into();
    assert!(!v.is_valid(&json));
    json["subnets"][0]["kind"] = "public".into();
    json["subnets"][0]["colour"] = "green".into();
    assert!(!v.is_valid(&json));
}

#[test]
fn json_has_every_interface_with_its_address() {
    let m = model(&example("nat-bastion-endpoints.vpc"));
    let j = RouteModel::from_model(&m);
    assert_eq!(j.version, 1);
    let ifaces: Vec<String> = j
        .interfaces
        .iter()
        .map(|i| {
            format!(
                "{} {:?} {} {} {}",
                i.name, i.kind, i.subnet, i.address, i.public_ip
            )
        })
        .collect();
    assert_eq!(
        ifaces,
        [
            "nat-a NatGateway public-a 10.0.1.4 true",
            "bastion Instance public-a 10.0.1.10 true",
            "app Instance private-a 10.0.2.4 false",
            "ec2-api InterfaceEndpoint private-a 10.0.2.5 false",
        ]
    );
    let private = &j.subnets[1];
    let r: Vec<String> = private
        .routes
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {:?}",
                r.destination, r.target, r.target_kind, r.origin
            )
        })
        .collect();
    assert_eq!(
        r,
        [
            "10.0.0.0/16 local Local Local",
            "pl:s3 s3-gw GatewayEndpoint GatewayEndpoint",
            "0.0.0.0/0 nat-a NatGateway Written"
        ]
    );
    assert_eq!(private.reserved.vpc_router.to_string(), "10.0.2.1");
    assert_eq!(
        (
            private.usable.first.to_string(),
            private.usable.last.to_string(),
            private.usable.count
        ),
        ("10.0.2.4".into(), "10.0.2.254".into(), 251)
    );
}

// ----- command line -------------------------------------------------------------

#[test]
fn unknown_subnet_is_a_usage_error_with_a_suggestion() {
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc([
        "routes",
        "examples/nat-bastion-endpoints.vpc",
        "--subnet",
        "privte-a",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no subnet named `privte-a`; did you mean `private-a`?"),
        "{stderr}"
    );
    let Run { code, stderr, .. } = vpcc([
        "routes",
        "examples/nat-bastion-endpoints.vpc",
        "--subnet",
        "zzz",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the subnets are `public-a`, `private-a`"),
        "{stderr}"
    );
}

#[test]
fn subnet_filter_and_bad_lookup() {
    let Run { code, stdout, .. } = vpcc([
        "routes",
        "examples/nat-bastion-endpoints.vpc",
        "--subnet",
        "private-a",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("subnet private-a ") && !stdout.contains("public-a"),
        "{stdout}"
    );
    let Run { code, stderr, .. } = vpcc([
        "routes",
        "examples/nat-bastion-endpoints.vpc",
        "--lookup",
        "10.0.0.300",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a lookup"), "{stderr}");
}

#[test]
fn files_with_errors_print_diagnostics_and_exit_1() {
    let dir = std::env::temp_dir().join(format!("vpcc-routes-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("bad.vpc");
    std::fs::write(&file, "vpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24\n}\n").expect("write");
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc(["routes", &file.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("error["), "{stderr}");
    let Run { code, .. } = vpcc(["routes", "does-not-exist.vpc"]);
    assert_eq!(code, 2);
}

#[test]
fn output_is_deterministic() {
    let a = vpcc(["routes", "examples/large.vpc", "--format", "json"]);
    let b = vpcc(["routes", "examples/large.vpc", "--format", "json"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn text_of_every_rule() {
    // Blackhole, more-specific-than-local, a prefix list and the implicit
    // main table in one table each.
    let m = model(BASE);
    let mut out = text::table_text(&m, &all_subnets(&m));
    for q in ["10.0.1.50", "203.0.113.200", "pl:dynamodb"] {
        out.push('\n');
        out.push_str(&text::lookup_text(
            &m,
            &[subnet_id(&m, "app")],
            Query::parse(q).expect("query"),
        ));
    }
    // No route for internet destinations: dropped.
    out.push('\n');
    out.push_str(&text::lookup_text(
        &m,
        &[subnet_id(&m, "data")],
        Query::Internet,
    ));
    insta::assert_snapshot!(out);
}

#[test]
fn json_subnet_filter_keeps_the_rest_of_the_model() {
    let m = model(&example("nat-bastion-endpoints.vpc"));
    let json: serde_json::Value =
        serde_json::from_str(&text::model_json(&m, &[subnet_id(&m, "private-a")])).expect("json");
    let names: Vec<&str> = json["subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["private-a"]);
    assert_eq!(json["interfaces"].as_array().map(Vec::len), Some(4));
    assert!(validator("route-model.schema.json").is_valid(&json));
}

#[test]
fn ipv6_routes_defaults_and_kinds_in_the_model_and_its_json() {
    let m = model(
        "vpc shop 10.0.0.0/16 {
  ipv6 2600:1f18:abcd:ef00::/56
  internet_gateway igw
  egress_only_internet_gateway eigw
  subnet pub 10.0.0.0/24 ipv6 2600:1f18:abcd:ef00::/64 { route_table public }
  subnet app 10.0.1.0/24 ipv6 2600:1f18:abcd:ef01::/64 { route_table private }
  subnet db 10.0.2.0/24 { route_table private }
  route_table public { route 0.0.0.0/0 -> igw  route ::/0 -> igw }
  route_table private { route ::/0 -> eigw  route 2001:db8::/32 -> blackhole }
  security_group sg { ingress tcp 443 from ::/0 }
  network_acl n { inbound 100 allow tcp 443 from ::/0 }
}
vpc plain 10.1.0.0/16
",
    );
    // IPv6 routes in their own match order, after the IPv4 ones.
    let private = table(&m, "app");
    let v6: Vec<String> = private
        .routes6
        .iter()
        .map(|r| r.destination.to_string())
        .collect();
    assert_eq!(v6, ["2600:1f18:abcd:ef00::/56", "2001:db8::/32", "::/0"]);
    // Kinds per family: `app` is isolated for IPv4, private for IPv6.
    let kind = |s: &str| m.subnet(subnet_id(&m, s)).ipv6_kind.as_ref().map(|k| k.0);
    assert_eq!(kind("pub"), Some(SubnetKind::Public));
    assert_eq!(kind("app"), Some(SubnetKind::Private));
    assert_eq!(m.subnet(subnet_id(&m, "app")).kind, SubnetKind::Isolated);
    assert_eq!(kind("db"), None, "an IPv4-only subnet has no IPv6 kind");
    let json = serde_json::to_value(RouteModel::from_model(&m)).expect("json");
    let app = &json["subnets"][1];
    assert_eq!(app["ipv6_kind"], "private");
    let dests: Vec<&str> = app["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| r["destination"].as_str().expect("destination"))
        .collect();
    assert_eq!(
        dests,
        [
            "10.0.0.0/16",
            "2600:1f18:abcd:ef00::/56",
            "2001:db8::/32",
            "::/0"
        ]
    );
    // AWS's defaults gain their IPv6 rules only in the VPC with IPv6.
    let acls = json["network_acls"].as_array().expect("acls");
    let default_of = |vpc: &str| {
        acls.iter()
            .find(|a| a["vpc"] == vpc && a["default"] == true)
            .expect("default ACL")["inbound"]
            .as_array()
            .expect("inbound")
            .iter()
            .map(|r| r["number"].as_u64().expect("number"))
            .collect::<Vec<_>>()
    };
    assert_eq!(default_of("shop"), [100, 101]);
    assert_eq!(default_of("plain"), [100]);
    let custom = acls.iter().find(|a| a["name"] == "n").expect("n");
    assert_eq!(custom["inbound"][0]["cidrs"][0], "::/0");
    let sg = json["security_groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["name"] == "sg")
        .expect("sg");
    let egress: Vec<&str> = sg["egress"]
        .as_array()
        .expect("egress")
        .iter()
        .map(|r| r["peer"].as_str().expect("peer"))
        .collect();
    assert_eq!(egress, ["internet", "::/0"]);
    assert_eq!(sg["ingress"][0]["peer"], "::/0");
}
