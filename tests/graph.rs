//! Diagrams: DOT snapshots of every example, DOT that parses back, SVG that
//! is well-formed, deterministic and free of Graphviz errors, and the
//! `--highlight` path of the reachability engine with its blockers.

mod support;

use std::path::Path;

use support::cli::vpcc;

use vpc::graph::{self, GraphOptions, Highlight, Hop};
use vpc::model::{
    EndpointId, FlowEnd, InstanceId, InternetGatewayId, Model, NatGatewayId, SubnetId,
};
use vpc::reach::{Query, reach};

fn model(path: &Path) -> Model {
    support::fixture::load(path).1
}

fn example(name: &str) -> Model {
    model(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(format!("{name}.vpc")),
    )
}

/// A flow end by name (the CLI's resolution is tested through `vpcc`).
fn end(m: &Model, name: &str) -> FlowEnd {
    if name == "internet" {
        return FlowEnd::Internet;
    }
    if let Some(svc) = name.strip_prefix("service ") {
        return FlowEnd::Service(svc.to_string());
    }
    if let Some(i) = m.instances.iter().position(|x| x.name == name) {
        return FlowEnd::Instance(InstanceId(i as u32));
    }
    if let Some(s) = m.subnets.iter().position(|x| x.name == name) {
        return FlowEnd::Subnet(SubnetId(s as u32));
    }
    panic!("no flow end `{name}`")
}

fn instance(m: &Model, name: &str) -> InstanceId {
    InstanceId(
        m.instances
            .iter()
            .position(|x| x.name == name)
            .expect("an instance of that name") as u32,
    )
}

fn subnet(m: &Model, name: &str) -> SubnetId {
    SubnetId(
        m.subnets
            .iter()
            .position(|x| x.name == name)
            .expect("a subnet of that name") as u32,
    )
}

/// The engine's verdict on SRC → DST (any protocol), ready to draw.
fn highlight(m: &Model, src: &str, dst: &str) -> Highlight {
    let q = Query::new(end(m, src), end(m, dst));
    graph::highlight(m, &q, &reach(m, &q))
}

fn draw(m: &Model, h: Highlight) -> String {
    graph::dot(
        m,
        &GraphOptions {
            highlight: Some(h),
            ..GraphOptions::default()
        },
    )
}

/// The one DOT line that contains `needle`.
fn line_of<'d>(dot: &'d str, needle: &str) -> &'d str {
    let found: Vec<&str> = dot.lines().filter(|l| l.contains(needle)).collect();
    assert_eq!(found.len(), 1, "{needle}: {found:#?}");
    found[0]
}

#[test]
fn dot_snapshots_of_examples() {
    insta::glob!("../examples", "*.vpc", |p| {
        insta::assert_snapshot!(graph::dot(&model(p), &GraphOptions::default()));
    });
}

#[test]
fn dot_parses_back() {
    insta::glob!("../examples", "*.vpc", |p| {
        let dot = graph::dot(&model(p), &GraphOptions::default());
        if let Err(e) = graphviz_rust::parse(&dot) {
            panic!("{}: {e}", p.display());
        }
    });
}

#[test]
fn svg_is_well_formed_deterministic_and_clean() {
    insta::glob!("../examples", "*.vpc", |p| {
        let dot = graph::dot(&model(p), &GraphOptions::default());
        let first =
            graph::svg_with_warnings(&dot).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            first.warnings.is_empty(),
            "{}: {:?}",
            p.display(),
            first.warnings
        );
        roxmltree::Document::parse_with_options(
            &first.svg,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let second = graph::svg(&dot).unwrap();
        assert!(
            first.svg == second,
            "{}: SVG differs between two runs",
            p.display()
        );
    });
}

#[test]
fn dot_is_deterministic() {
    let m = example("large");
    assert_eq!(
        graph::dot(&m, &GraphOptions::default()),
        graph::dot(&m, &GraphOptions::default())
    );
}

#[test]
fn svg_reports_graphviz_errors() {
    assert!(matches!(
        graph::svg("digraph {"),
        Err(graph::GraphError::Render(_))
    ));
    let bad_html = "digraph { a [label=<<table><tr><td>x</td></table>>] }";
    assert!(matches!(
        graph::svg(bad_html),
        Err(graph::GraphError::Diagnostics(_))
    ));
}

#[test]
fn route_edges_are_per_table_not_per_host() {
    let dot = graph::dot(&example("large"), &GraphOptions::default());
    // prod-public is shared by three subnets: one edge to the internet
    // gateway from its route-table node, and dotted associations.
    let to_igw = dot
        .lines()
        .filter(|l| l.contains("\"route_table:prod/prod-public\" -> \"igw:prod-igw\""))
        .count();
    assert_eq!(to_igw, 1, "{dot}");
    // Subnets with many instances are one box.
    assert!(dot.contains("\"instances:app-a\""), "{dot}");
    assert!(!dot.contains("\"instance:app-a01\""), "{dot}");
}

const BLUE: &str = "#1f6feb";
const RED: &str = "#d1242f";

#[test]
fn highlight_app_to_internet_goes_through_nat_and_igw() {
    let m = example("nat-bastion-endpoints");
    let h = highlight(&m, "app", "internet");
    assert!(h.delivered);
    assert!(h.blockers.is_empty());
    assert_eq!(
        h.legs,
        vec![vec![
            Hop::Instance(instance(&m, "app")),
            Hop::Subnet(subnet(&m, "private-a")),
            Hop::NatGateway(NatGatewayId(0)),
            Hop::Subnet(subnet(&m, "public-a")),
            Hop::InternetGateway(InternetGatewayId(0)),
            Hop::Internet,
        ]]
    );
    let dot = draw(&m, h);
    for id in ["instance:app", "nat:nat-a", "igw:igw", "internet"] {
        assert!(line_of(&dot, &format!("\"{id}\"[")).contains(BLUE), "{id}");
    }
    assert!(!line_of(&dot, "\"instance:bastion\"[").contains(BLUE));
    let blue: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("->") && l.contains(BLUE))
        .collect();
    // private-a's route to the NAT, the NAT's egress and public-a's route
    // to the internet gateway, the gateway to the internet.
    assert_eq!(blue.len(), 4, "{blue:#?}");
    assert!(!dot.contains(RED), "{dot}");
    assert!(dot.contains("Highlighted: app to internet (delivered)."));
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_service_s3_takes_the_gateway_endpoint() {
    let m = example("nat-bastion-endpoints");
    let h = highlight(&m, "app", "service s3");
    assert!(h.delivered);
    let s3gw = EndpointId(m.endpoints.iter().position(|e| e.name == "s3-gw").unwrap() as u32);
    assert_eq!(
        h.legs[0][2..],
        [Hop::Endpoint(s3gw), Hop::Service("s3".to_string())]
    );
    let dot = draw(&m, h);
    assert!(line_of(&dot, "\"endpoint:s3-gw\"[").contains(BLUE));
    assert!(line_of(&dot, "\"service:s3\"[").contains(BLUE));
    assert!(line_of(&dot, "\"instance:app\" -> \"endpoint:s3-gw\"").contains(BLUE));
    // An interface service with private DNS: the endpoint's interface.
    let h = highlight(&m, "app", "service ec2");
    assert!(h.delivered);
    assert!(
        matches!(h.legs[0][2], Hop::EndpointInterface(..)),
        "{:?}",
        h.legs
    );
    let dot = draw(&m, h);
    assert!(line_of(&dot, "\"eni:ec2-api/private-a\"[").contains(BLUE));
}

#[test]
fn highlight_local_delivery_adds_a_blue_local_edge() {
    let m = example("nat-bastion-endpoints");
    let h = highlight(&m, "bastion", "app");
    assert!(h.delivered);
    assert_eq!(h.legs[0].len(), 4, "{:?}", h.legs);
    let dot = draw(&m, h);
    assert!(
        dot.lines()
            .any(|l| l.contains("label=\"local\"") && l.contains(BLUE)),
        "{dot}"
    );
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_across_a_peering() {
    let m = example("peering");
    let h = highlight(&m, "app1", "db1");
    assert!(h.delivered, "{h:?}");
    let hops = &h.legs[0];
    assert!(
        hops.iter().any(|h| matches!(h, Hop::Peering(_))),
        "{hops:?}"
    );
    assert!(matches!(hops.last(), Some(Hop::Instance(_))), "{hops:?}");
    let dot = draw(&m, h);
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_grouped_instance_is_drawn_alone() {
    let m = example("large");
    let first = m
        .instances
        .iter()
        .find(|i| m.subnet(i.subnet).name == "app-a")
        .unwrap()
        .name
        .clone();
    let dot = draw(&m, highlight(&m, &first, "internet"));
    assert!(dot.contains(&format!("\"instance:{first}\"")), "{dot}");
    graph::svg(&dot).unwrap();
}

#[test]
fn blocked_from_the_internet_marks_the_instance_and_its_subnet() {
    let m = example("nat-bastion-endpoints");
    let h = highlight(&m, "internet", "app");
    assert!(!h.delivered);
    // Nothing is traversed: the path is the source.
    assert_eq!(h.legs, vec![vec![Hop::Internet]]);
    let dot = draw(&m, h);
    let app = line_of(&dot, "\"instance:app\"[");
    assert!(
        app.contains(RED) && app.contains("BLOCKED: NO_PUBLIC_IP"),
        "{app}"
    );
    assert!(
        app.contains("tooltip=\"NO_PUBLIC_IP: instance `app`"),
        "{app}"
    );
    // The subnet's cluster: label line and red border.
    assert!(
        dot.contains("251 usable, 2 used\\nBLOCKED: NAT_INBOUND\""),
        "{dot}"
    );
    assert!(dot.contains(&format!("color=\"{RED}\"")));
    assert!(!line_of(&dot, "\"instance:bastion\"[").contains(RED));
    assert!(dot.contains("Red: what blocks it"));
    graph::svg(&dot).unwrap();
}

#[test]
fn blocked_by_a_security_group_draws_the_path_to_the_instance() {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nat-bastion-endpoints.vpc"),
    )
    .unwrap()
    .replacen("    ingress tcp 22 from bastion-sg\n", "", 1);
    let m = vpc::compile(&src).model.unwrap();
    let h = highlight(&m, "bastion", "app");
    assert!(!h.delivered);
    assert_eq!(h.blockers.len(), 1, "{:?}", h.blockers);
    assert_eq!(h.blockers[0].at, Hop::Instance(instance(&m, "app")));
    // The path goes as far as it goes: to app, which refuses it.
    assert_eq!(h.legs[0].last(), Some(&Hop::Instance(instance(&m, "app"))));
    let dot = draw(&m, h);
    let app = line_of(&dot, "\"instance:app\"[");
    assert!(
        app.contains(RED) && app.contains("BLOCKED: SG_INGRESS"),
        "{app}"
    );
    assert!(app.contains("security group `app-sg`"), "{app}");
    assert!(line_of(&dot, "\"instance:bastion\"[").contains(BLUE));
    assert!(
        dot.lines()
            .any(|l| l.contains("label=\"local\"") && l.contains(BLUE)),
        "{dot}"
    );
    graph::svg(&dot).unwrap();
}

#[test]
fn blocked_by_a_blackhole_marks_the_blackhole() {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nat-bastion-endpoints.vpc"),
    )
    .unwrap()
    .replacen(
        "route 0.0.0.0/0 -> nat-a",
        "route 0.0.0.0/0 -> blackhole",
        1,
    );
    let m = vpc::compile(&src).model.unwrap();
    let h = highlight(&m, "app", "internet");
    assert!(!h.delivered);
    let dot = draw(&m, h);
    let bh = line_of(&dot, "\"blackhole:main\"[");
    assert!(
        bh.contains(RED) && bh.contains("BLOCKED: BLACKHOLE"),
        "{bh}"
    );
    assert!(
        line_of(&dot, "\"instance:app\" -> \"blackhole:main\"").contains(BLUE),
        "{dot}"
    );
    graph::svg(&dot).unwrap();
}

#[test]
fn a_shared_route_table_that_blocks_is_red() {
    // Two subnets share `private`; drop its default route.
    let src = "vpc main 10.0.0.0/16 {\n  internet_gateway igw\n  subnet a 10.0.1.0/24 az a {\n    route_table private\n    instance x 10.0.1.10\n  }\n  subnet b 10.0.2.0/24 az a {\n    route_table private\n  }\n  route_table private {\n  }\n}\n";
    let c = vpc::compile(src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let m = c.model.unwrap();
    let h = highlight(&m, "x", "internet");
    assert!(!h.delivered);
    let dot = draw(&m, h);
    let table = line_of(&dot, "\"route_table:main/private\"[");
    assert!(
        table.contains(RED) && table.contains("BLOCKED: NO_ROUTE"),
        "{table}"
    );
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_is_deterministic_and_only_then_in_the_legend() {
    let m = example("nat-bastion-endpoints");
    let a = draw(&m, highlight(&m, "internet", "app"));
    let b = draw(&m, highlight(&m, "internet", "app"));
    assert_eq!(a, b);
    assert_eq!(graph::svg(&a).unwrap(), graph::svg(&b).unwrap());
    graphviz_rust::parse(&a).unwrap();
    let plain = graph::dot(&m, &GraphOptions::default());
    for word in ["Highlighted", BLUE, RED, "BLOCKED"] {
        assert!(!plain.contains(word), "{word}");
    }
}

#[test]
fn highlight_snapshots() {
    let m = example("nat-bastion-endpoints");
    insta::assert_snapshot!(
        "highlight_delivered_app_to_internet",
        draw(&m, highlight(&m, "app", "internet"))
    );
    insta::assert_snapshot!(
        "highlight_blocked_internet_to_app",
        draw(&m, highlight(&m, "internet", "app"))
    );
}

#[test]
fn quoting_survives_odd_names() {
    // Names are `[A-Za-z_][A-Za-z0-9_-]*`; domain names and the like never
    // reach the diagram, but every id and label is quoted anyway.
    let m = example("three-tier-multi-az");
    let dot = graph::dot(&m, &GraphOptions::default());
    for line in dot.lines().filter(|l| l.contains("->")) {
        assert!(line.trim_start().starts_with('"'), "{line}");
    }
}

// --- the command line ------------------------------------------------------

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcc-graph-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the scratch directory");
    dir.join(name)
}

#[test]
fn cli_writes_svg_atomically_with_o() {
    let out = scratch("nbe.svg");
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--format",
        "svg",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
}

#[test]
fn cli_prints_dot_to_stdout() {
    let o = vpcc(["graph", "examples/peering.vpc", "--highlight", "app1,db1"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let dot = o.stdout;
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains(BLUE), "{dot}");
}

#[test]
fn cli_file_with_errors_exits_1() {
    let bad = scratch("bad.vpc");
    std::fs::write(&bad, "vpc main 10.0.0.0/16 {\n  subnet a 10.1.0.0/24\n}\n").unwrap();
    let o = vpcc(["graph", bad.to_str().unwrap(), "--color", "never"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    assert!(o.stderr.contains("error"));
}

#[test]
fn cli_bad_highlight_exits_2() {
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "app,nope",
    ]);
    assert_eq!(o.code, 2);
    let err = o.stderr;
    assert!(
        err.contains("--highlight destination") && err.contains("`nope`"),
        "{err}"
    );
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "app",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "service s3,app",
    ]);
    assert_eq!(o.code, 2);
    let err = o.stderr;
    assert!(
        err.starts_with("vpcc: error: --highlight source:") && err.contains("cannot be a source"),
        "{err}"
    );
    // --port needs a protocol that has ports, as in `vpcc reach`.
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "app,internet",
        "--port",
        "443",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--port needs --proto tcp"));
    // --proto means nothing without --highlight.
    let o = vpcc([
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--proto",
        "tcp",
    ]);
    assert_eq!(o.code, 2);
}

#[test]
fn cli_highlight_with_a_port_asks_about_that_port() {
    // app-sg admits tcp 22 only: the bastion reaches app on 22, not on 80.
    let args = |port: &'static str| {
        vpcc([
            "graph",
            "examples/nat-bastion-endpoints.vpc",
            "--highlight",
            "bastion,app",
            "--proto",
            "tcp",
            "--port",
            port,
        ])
    };
    let ok = args("22");
    assert_eq!(ok.code, 0);
    let ok = ok.stdout;
    assert!(ok.contains("(delivered)") && !ok.contains(RED), "{ok}");
    let blocked = args("80");
    assert_eq!(blocked.code, 0);
    let blocked = blocked.stdout;
    assert!(blocked.contains("BLOCKED: SG_INGRESS"), "{blocked}");
}

#[test]
fn cli_dot_binary_runs_the_named_program_only() {
    // `echo -Tsvg` stands in for Graphviz: vpcc runs exactly what it is
    // given, with `-Tsvg`, and prints its output.
    let o = vpcc([
        "graph",
        "examples/nat-instance.vpc",
        "--format",
        "svg",
        "--dot-binary",
        "/bin/echo",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "-Tsvg\n");
    let o = vpcc([
        "graph",
        "examples/nat-instance.vpc",
        "--format",
        "svg",
        "--dot-binary",
        "/nonexistent/dot",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot run `/nonexistent/dot`"));
}

#[test]
fn docs_images_are_current() {
    // docs/img/*.svg are what `vpcc graph --format svg` writes today; to
    // refresh: `vpcc graph examples/NAME.vpc --format svg -o docs/img/NAME.svg`.
    for name in ["nat-bastion-endpoints", "large"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/img")
            .join(format!("{name}.svg"));
        let on_disk = std::fs::read_to_string(&path).unwrap();
        let now = graph::svg(&graph::dot(&example(name), &GraphOptions::default())).unwrap();
        assert!(on_disk == now, "{} is stale; regenerate it", path.display());
    }
    // `vpcc graph examples/nat-bastion-endpoints.vpc --highlight bastion,app
    // --proto tcp --port 80 --format svg -o docs/img/highlight-blocked.svg`
    let m = example("nat-bastion-endpoints");
    let q = Query {
        protocol: Some(vpc::syntax::ast::ProtocolKind::Tcp),
        ports: Some((80, 80)),
        ..Query::new(end(&m, "bastion"), end(&m, "app"))
    };
    let now = graph::svg(&draw(&m, graph::highlight(&m, &q, &reach(&m, &q)))).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img/highlight-blocked.svg");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(on_disk == now, "{} is stale; regenerate it", path.display());
}

#[test]
fn one_line_deletions_render_without_graphviz_errors() {
    // Every variant of the examples with one line removed that still
    // compiles must draw without a Graphviz error (lost edges, bad
    // clusters). large.vpc is sampled to keep the test quick.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut drawn = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "vpc"))
    {
        let src = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = src.lines().collect();
        let step = if lines.len() > 200 { 9 } else { 1 };
        for skip in (0..lines.len()).step_by(step) {
            let text: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            let c = vpc::compile(&text);
            if c.has_errors() {
                continue;
            }
            let Some(m) = c.model else { continue };
            let dot = graph::dot(&m, &GraphOptions::default());
            if let Err(e) = graph::svg(&dot) {
                panic!("{} without line {}: {e}", path.display(), skip + 1);
            }
            drawn += 1;
        }
    }
    assert!(drawn > 100, "only {drawn} variants compiled");
}

#[test]
fn ipv6_blocks_routes_and_the_egress_only_gateway_are_drawn() {
    let m =
        model(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/routes/ipv6_routes_ok.vpc"));
    let dot = graph::dot(&m, &GraphOptions::default());
    // The VPC's and the subnets' IPv6 blocks under their IPv4 ones.
    assert!(dot.contains("2600:1f18:abcd:ef00::/56"), "{dot}");
    assert!(dot.contains("2600:1f18:abcd:ef01::/64"), "{dot}");
    // The egress-only gateway, its one-way link to the internet, and the
    // IPv6 routes on the route edges.
    let eigw = line_of(&dot, "egress-only internet gateway");
    assert!(eigw.contains("\"eigw:eigw\""), "{eigw}");
    let out = line_of(&dot, "\"eigw:eigw\" -> \"internet\"");
    assert!(!out.contains("dir=both"), "{out}");
    assert!(line_of(&dot, "-> \"eigw:eigw\"").contains("::/0"), "{dot}");
    let nat = line_of(&dot, "64:ff9b::/96");
    assert!(nat.contains("0.0.0.0/0"), "{nat}");
}
