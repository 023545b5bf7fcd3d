//! Diagrams: DOT snapshots of every example, DOT that parses back, SVG that
//! is well-formed, deterministic and free of Graphviz errors, and the
//! `--highlight` route-lookup path.

use std::path::Path;

use vpc::graph::{self, GraphOptions, Hop, path};
use vpc::model::Model;

fn model(path: &Path) -> Model {
    let src = std::fs::read_to_string(path).unwrap();
    let c = vpc::compile(&src);
    assert!(!c.has_errors(), "{}: {:?}", path.display(), c.diagnostics);
    c.model.unwrap()
}

fn example(name: &str) -> Model {
    model(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(format!("{name}.vpc")),
    )
}

fn highlight(m: &Model, src: &str, dst: &str) -> Vec<Hop> {
    let s = path::resolve(m, src).unwrap();
    let d = path::resolve(m, dst).unwrap();
    path::route_path(m, &s, &d).unwrap()
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

#[test]
fn highlight_app_to_internet_goes_through_nat_and_igw() {
    let m = example("nat-bastion-endpoints");
    let hops = highlight(&m, "app", "internet");
    let names: Vec<String> = hops.iter().map(|h| format!("{h:?}")).collect();
    assert_eq!(hops.len(), 5, "{names:?}");
    assert!(matches!(hops[0], Hop::Instance(_)));
    assert!(matches!(hops[1], Hop::Subnet(_)));
    assert!(matches!(hops[2], Hop::NatGateway(_)));
    assert!(matches!(hops[3], Hop::InternetGateway(_)));
    assert_eq!(hops[4], Hop::Internet);
    let dot = graph::dot(
        &m,
        &GraphOptions {
            highlight: hops,
            ..GraphOptions::default()
        },
    );
    let red: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("->") && l.contains("#d62728"))
        .collect();
    assert_eq!(red.len(), 3, "{red:#?}");
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_service_s3_takes_the_gateway_endpoint() {
    let m = example("nat-bastion-endpoints");
    let hops = highlight(&m, "app", "service s3");
    assert!(matches!(hops[2], Hop::Endpoint(_)), "{hops:?}");
    assert_eq!(hops[3], Hop::Service("s3".to_string()));
    let hops = highlight(&m, "app", "service ec2");
    assert!(matches!(hops[2], Hop::EndpointInterface(..)), "{hops:?}");
}

#[test]
fn highlight_local_delivery_adds_a_red_local_edge() {
    let m = example("nat-bastion-endpoints");
    let hops = highlight(&m, "bastion", "app");
    assert_eq!(hops.len(), 4, "{hops:?}");
    let dot = graph::dot(
        &m,
        &GraphOptions {
            highlight: hops,
            ..GraphOptions::default()
        },
    );
    assert!(
        dot.lines()
            .any(|l| l.contains("label=\"local\"") && l.contains("#d62728")),
        "{dot}"
    );
    graph::svg(&dot).unwrap();
}

#[test]
fn highlight_across_a_peering() {
    let m = example("peering");
    let hops = highlight(&m, "app1", "db1");
    assert!(
        hops.iter().any(|h| matches!(h, Hop::Peering(_))),
        "{hops:?}"
    );
    assert!(matches!(hops.last(), Some(Hop::Instance(_))), "{hops:?}");
    let dot = graph::dot(
        &m,
        &GraphOptions {
            highlight: hops,
            ..GraphOptions::default()
        },
    );
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
    let hops = highlight(&m, &first, "internet");
    let dot = graph::dot(
        &m,
        &GraphOptions {
            highlight: hops,
            ..GraphOptions::default()
        },
    );
    assert!(dot.contains(&format!("\"instance:{first}\"")), "{dot}");
    graph::svg(&dot).unwrap();
}

#[test]
fn unknown_highlight_names_are_errors() {
    let m = example("nat-bastion-endpoints");
    assert!(path::resolve(&m, "nope").is_err());
    let s3 = path::resolve(&m, "service s3").unwrap();
    let app = path::resolve(&m, "app").unwrap();
    assert!(path::route_path(&m, &s3, &app).is_err());
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

fn vpcc(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vpcc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcc-graph-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn cli_writes_svg_atomically_with_o() {
    let out = scratch("nbe.svg");
    let o = vpcc(&[
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--format",
        "svg",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
}

#[test]
fn cli_prints_dot_to_stdout() {
    let o = vpcc(&["graph", "examples/peering.vpc", "--highlight", "app1,db1"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dot = String::from_utf8(o.stdout).unwrap();
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains("#d62728"), "{dot}");
}

#[test]
fn cli_file_with_errors_exits_1() {
    let bad = scratch("bad.vpc");
    std::fs::write(&bad, "vpc main 10.0.0.0/16 {\n  subnet a 10.1.0.0/24\n}\n").unwrap();
    let o = vpcc(&["graph", bad.to_str().unwrap(), "--color", "never"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("error"));
}

#[test]
fn cli_bad_highlight_exits_2() {
    let o = vpcc(&[
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "app,nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--highlight destination") && err.contains("`nope`"),
        "{err}"
    );
    let o = vpcc(&[
        "graph",
        "examples/nat-bastion-endpoints.vpc",
        "--highlight",
        "app",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn cli_dot_binary_runs_the_named_program_only() {
    // `echo -Tsvg` stands in for Graphviz: vpcc runs exactly what it is
    // given, with `-Tsvg`, and prints its output.
    let o = vpcc(&[
        "graph",
        "examples/nat-instance.vpc",
        "--format",
        "svg",
        "--dot-binary",
        "/bin/echo",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "-Tsvg\n");
    let o = vpcc(&[
        "graph",
        "examples/nat-instance.vpc",
        "--format",
        "svg",
        "--dot-binary",
        "/nonexistent/dot",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot run `/nonexistent/dot`"));
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
