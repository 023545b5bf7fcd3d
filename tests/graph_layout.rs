//! Layout of the diagrams as networks grow: the explicit order in the DOT
//! (zone anchors chained in AZ name order, subnets by name), peering labels
//! that do not pile up, rows for many subnets, and `--vpc` / `--collapse`.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use support::fixture::{example_src, model_allowing_failed_expects, model_of};
use vpc::r#gen::{GenParams, generate};
use vpc::graph::{self, GraphOptions};
use vpc::model::{Model, VpcId};

const EXAMPLES: [&str; 6] = [
    "large",
    "nat-bastion-endpoints",
    "nat-instance",
    "peering",
    "private-dns-off",
    "three-tier-multi-az",
];

/// A DOT file as vpcc prints it (one statement a line), read back.
#[derive(Debug, Default)]
struct Dot {
    /// Subgraph ids in order, with their parent.
    subgraphs: Vec<(String, Option<String>)>,
    /// Node ids declared, in order, with the innermost subgraph.
    nodes: Vec<(String, Option<String>)>,
    /// Edges: tail, head, label (if any), whole line.
    edges: Vec<(String, String, Option<String>, String)>,
}

/// The quoted strings at the start of `s`, unescaped.
fn quoted(s: &str) -> Option<(String, &str)> {
    let rest = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, n) = chars.next()?;
                out.push('\\');
                out.push(n);
            }
            '"' => return Some((out, &rest[i + 1..])),
            c => out.push(c),
        }
    }
    None
}

fn attr<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let at = line
        .find(&format!(" {key}=\""))
        .or_else(|| line.find(&format!("[{key}=\"")))?;
    let rest = &line[at + key.len() + 3..];
    let mut end = 0;
    let bytes = rest.as_bytes();
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    Some(&rest[..end])
}

fn parse(dot: &str) -> Dot {
    let mut d = Dot::default();
    let mut stack: Vec<String> = Vec::new();
    for line in dot.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph ") {
            let (id, _) = quoted(rest).expect("a quoted subgraph id");
            d.subgraphs.push((id.clone(), stack.last().cloned()));
            stack.push(id);
        } else if line == "}" {
            stack.pop();
        } else if let Some((a, rest)) = quoted(line) {
            if let Some(rest) = rest.strip_prefix(" -> ") {
                let (b, _) = quoted(rest).expect("an edge head");
                let label = attr(line, "label").map(str::to_string);
                d.edges.push((a, b, label, line.to_string()));
            } else {
                d.nodes.push((a, stack.last().cloned()));
            }
        }
    }
    d
}

impl Dot {
    /// The subgraphs directly inside `parent`, in order.
    fn children(&self, parent: &str) -> Vec<&str> {
        self.subgraphs
            .iter()
            .filter(|(_, p)| p.as_deref() == Some(parent))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The nodes declared directly in `subgraph`.
    fn nodes_in(&self, subgraph: &str) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|(_, p)| p.as_deref() == Some(subgraph))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    fn has_edge(&self, a: &str, b: &str) -> bool {
        self.edges.iter().any(|(x, y, _, _)| x == a && y == b)
    }

    fn subnets(&self) -> Vec<&str> {
        self.subgraphs
            .iter()
            .filter_map(|(id, _)| id.strip_prefix("cluster_subnet:"))
            .collect()
    }
}

fn example(name: &str) -> Model {
    model_of(&example_src(name))
}

/// A generated network of 4 VPCs × 3 AZs × 4 subnets: 48 subnets.
fn generated() -> Model {
    let p = GenParams {
        vpcs: 4,
        azs: 3,
        subnets_per_az: 4,
        instances_per_subnet: 1,
        security_groups_per_vpc: 6,
        seed: 19,
    };
    let m = model_allowing_failed_expects(&generate(&p));
    assert!(m.subnets.len() >= 40, "{} subnets", m.subnets.len());
    m
}

fn models() -> Vec<(String, Model)> {
    let mut out: Vec<(String, Model)> = EXAMPLES
        .iter()
        .map(|n| (n.to_string(), example(n)))
        .collect();
    out.push(("generated".to_string(), generated()));
    out
}

fn vpc_named(m: &Model, name: &str) -> VpcId {
    VpcId(
        m.vpcs
            .iter()
            .position(|v| v.name == name)
            .expect("a VPC of that name") as u32,
    )
}

/// The AZs of a VPC in name order, as zone anchor ids ("-" for subnets
/// without an AZ, first).
fn zones(m: &Model, v: usize) -> Vec<String> {
    let vpc = &m.vpcs[v];
    // A set sorts the AZs by name; `None` (no AZ) sorts first.
    let mut zones: std::collections::BTreeSet<Option<&str>> = vpc
        .subnets
        .iter()
        .map(|s| m.subnet(*s).az.as_deref())
        .collect();
    if zones.is_empty() {
        zones.insert(None);
    }
    zones
        .into_iter()
        .map(|az| format!("zone:{}/{}", vpc.name, az.unwrap_or("-")))
        .collect()
}

#[test]
fn zone_anchors_of_each_row_are_chained_in_az_name_order() {
    for (name, m) in models() {
        let d = parse(&graph::dot(&m, &GraphOptions::default()));
        let rows: Vec<&str> = d
            .subgraphs
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| id.starts_with("order_row_"))
            .collect();
        assert!(!rows.is_empty(), "{name}: no order rows");
        // Every row's anchors, concatenated, are every VPC's zones in
        // model order, AZs by name.
        let mut all = Vec::new();
        for row in &rows {
            let anchors = d.nodes_in(row);
            for w in anchors.windows(2) {
                assert!(
                    d.edges.iter().any(|(a, b, _, line)| a == w[0]
                        && b == w[1]
                        && line.contains("style=\"invis\"")
                        && line.contains("weight=\"100\"")),
                    "{name}: {} and {} not chained",
                    w[0],
                    w[1]
                );
            }
            all.extend(anchors.into_iter().map(str::to_string));
        }
        let expected: Vec<String> = (0..m.vpcs.len()).flat_map(|v| zones(&m, v)).collect();
        assert_eq!(all, expected, "{name}");
        // Each anchor sits in its own AZ's cluster.
        for (v, vpc) in m.vpcs.iter().enumerate() {
            for z in zones(&m, v) {
                let az = z.rsplit('/').next().unwrap();
                let inside = if az == "-" {
                    format!("cluster_vpc:{}", vpc.name)
                } else {
                    format!("cluster_az:{}/{az}", vpc.name)
                };
                assert!(d.nodes_in(&inside).contains(&z.as_str()), "{name}: {z}");
            }
        }
    }
}

#[test]
fn az_clusters_and_their_subnets_are_in_name_order() {
    for (name, m) in models() {
        let d = parse(&graph::dot(&m, &GraphOptions::default()));
        for vpc in &m.vpcs {
            let azs: Vec<&str> = d
                .children(&format!("cluster_vpc:{}", vpc.name))
                .into_iter()
                .filter(|c| c.starts_with("cluster_az:"))
                .collect();
            let mut sorted = azs.clone();
            sorted.sort_unstable();
            assert_eq!(azs, sorted, "{name}: AZs of {}", vpc.name);
            for az in azs {
                let subnets = d.children(az);
                let mut sorted = subnets.clone();
                sorted.sort_unstable();
                assert!(!subnets.is_empty(), "{name}: {az} has no subnets");
                assert_eq!(subnets, sorted, "{name}: subnets of {az}");
            }
        }
    }
}

#[test]
fn peering_route_labels_do_not_pile_up() {
    for (name, m) in models() {
        let d = parse(&graph::dot(&m, &GraphOptions::default()));
        for p in &m.peerings {
            let node = format!("peering:{}", p.name);
            let blocks = |v: VpcId| -> String {
                let cidrs: Vec<String> = m.vpc(v).cidrs.iter().map(|c| c.to_string()).collect();
                cidrs.join("\\n")
            };
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, b, label, line) in &d.edges {
                if b != &node {
                    continue;
                }
                if let Some(l) = label {
                    *seen.entry(l.as_str()).or_default() += 1;
                    assert!(
                        l != &blocks(p.a) && l != &blocks(p.b),
                        "{name}: a peer's blocks on a route edge: {line}"
                    );
                }
            }
            assert!(
                seen.values().all(|n| *n == 1),
                "{name}: labels repeated on the edges to {node}: {seen:?}"
            );
            // The peering node tells both sides.
            let decl = d.nodes.iter().find(|(id, _)| *id == node);
            assert!(decl.is_some(), "{name}: {node} not drawn");
        }
    }
    // The one route in peering.vpc that is more than the peer's blocks
    // keeps its label; the others have none.
    let d = parse(&graph::dot(&example("peering"), &GraphOptions::default()));
    let labels: Vec<(String, Option<String>)> = d
        .edges
        .iter()
        .filter(|(_, b, _, l)| b.starts_with("peering:") && !l.contains("dashed"))
        .map(|(a, _, l, _)| (a.clone(), l.clone()))
        .collect();
    assert_eq!(
        labels,
        vec![
            (
                "route_table:apps/apps-private-rt".to_string(),
                Some("10.2.0.0/16\\n10.3.0.0/16".to_string())
            ),
            ("instance:db1".to_string(), None),
            ("instance:db1".to_string(), None),
            ("instance:report1".to_string(), None),
        ]
    );
}

#[test]
fn many_subnets_wrap_into_rows_with_a_sensible_aspect_ratio() {
    let m = generated();
    let dot = graph::dot(&m, &GraphOptions::default());
    let d = parse(&dot);
    let rows = d
        .subgraphs
        .iter()
        .filter(|(id, _)| id.starts_with("order_row_"))
        .count();
    assert!(rows >= 2, "{rows} rows for {} subnets", m.subnets.len());
    let svg = graph::svg(&dot).unwrap();
    let num = |key: &str| -> f64 {
        let at = svg.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        let rest = &svg[at..];
        rest[..rest.find("pt").unwrap()].parse().unwrap()
    };
    let ratio = num("width") / num("height");
    assert!(
        (0.5..=2.0).contains(&ratio),
        "aspect {ratio:.2} for {} subnets",
        m.subnets.len()
    );
}

#[test]
fn vpc_keeps_only_that_vpcs_subnets_and_collapses_its_peers() {
    for (name, m) in models() {
        for (v, vpc) in m.vpcs.iter().enumerate() {
            let opts = GraphOptions {
                vpc: Some(VpcId(v as u32)),
                ..GraphOptions::default()
            };
            let dot = graph::dot(&m, &opts);
            let d = parse(&dot);
            let mut want: Vec<&str> = vpc
                .subnets
                .iter()
                .map(|s| m.subnet(*s).name.as_str())
                .collect();
            let mut got = d.subnets();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{name} --vpc {}", vpc.name);
            for (w, other) in m.vpcs.iter().enumerate() {
                if w == v {
                    continue;
                }
                let peered = m.peerings.iter().any(|p| {
                    (p.a.0 as usize, p.b.0 as usize) == (v, w)
                        || (p.a.0 as usize, p.b.0 as usize) == (w, v)
                });
                let boxed = d
                    .nodes
                    .iter()
                    .any(|(id, _)| *id == format!("vpc:{}", other.name));
                assert_eq!(
                    boxed, peered,
                    "{name} --vpc {}: box of {}",
                    vpc.name, other.name
                );
                assert!(
                    !d.subgraphs
                        .iter()
                        .any(|(id, _)| *id == format!("cluster_vpc:{}", other.name)),
                    "{name} --vpc {}: {} drawn in full",
                    vpc.name,
                    other.name
                );
            }
            // Every edge joins drawn nodes.
            for (a, b, _, line) in &d.edges {
                for end in [a, b] {
                    assert!(
                        d.nodes.iter().any(|(id, _)| id == end),
                        "{name} --vpc {}: edge to nothing: {line}",
                        vpc.name
                    );
                }
            }
            assert_eq!(dot, graph::dot(&m, &opts), "{name}: not deterministic");
        }
    }
    // peering.vpc: db is peered with both others.
    let m = example("peering");
    let opts = GraphOptions {
        vpc: Some(vpc_named(&m, "db")),
        ..GraphOptions::default()
    };
    let d = parse(&graph::dot(&m, &opts));
    for n in [
        "vpc:apps",
        "vpc:reporting",
        "peering:pcx-apps-db",
        "peering:pcx-db-reporting",
    ] {
        assert!(d.nodes.iter().any(|(id, _)| id == n), "{n}");
    }
    assert!(d.has_edge("peering:pcx-apps-db", "vpc:apps"));
}

#[test]
fn collapse_leaves_no_subnets_of_collapsed_vpcs() {
    for (name, m) in models() {
        let opts = GraphOptions {
            collapse: true,
            ..GraphOptions::default()
        };
        let d = parse(&graph::dot(&m, &opts));
        assert_eq!(d.subnets(), Vec::<&str>::new(), "{name} --collapse");
        for vpc in &m.vpcs {
            let decl = d
                .nodes
                .iter()
                .any(|(id, _)| *id == format!("vpc:{}", vpc.name));
            assert!(decl, "{name}: no box for {}", vpc.name);
        }
        for p in &m.peerings {
            for v in [p.a, p.b] {
                assert!(
                    d.has_edge(
                        &format!("peering:{}", p.name),
                        &format!("vpc:{}", m.vpc(v).name)
                    ),
                    "{name}: {} not joined to its VPCs",
                    p.name
                );
            }
        }
    }
    // With --vpc, the selected VPC stays whole.
    let m = example("large");
    let prod = vpc_named(&m, "prod");
    let opts = GraphOptions {
        vpc: Some(prod),
        collapse: true,
        ..GraphOptions::default()
    };
    let d = parse(&graph::dot(&m, &opts));
    let mut got = d.subnets();
    got.sort_unstable();
    let mut want: Vec<&str> = m
        .vpc(prod)
        .subnets
        .iter()
        .map(|s| m.subnet(*s).name.as_str())
        .collect();
    want.sort_unstable();
    assert_eq!(got, want);
    assert!(d.nodes.iter().any(|(id, _)| id == "vpc:shared"));
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_vpcc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("vpcc runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_vpc_and_collapse() {
    let (code, out, err) = run(&["graph", "examples/peering.vpc", "--vpc", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("no VPC named `nope`"), "{err}");
    assert!(err.contains("apps, db, reporting"), "{err}");

    let (code, out, err) = run(&["graph", "examples/peering.vpc", "--vpc", "apps"]);
    assert_eq!(code, 0, "{err}");
    let d = parse(&out);
    let mut got = d.subnets();
    got.sort_unstable();
    assert_eq!(got, ["apps-extra", "apps-private", "apps-public"]);
    assert!(d.nodes.iter().any(|(id, _)| id == "vpc:db"));
    assert!(
        !out.contains("reporting"),
        "reporting is not peered with apps"
    );

    let (code, out, err) = run(&[
        "graph",
        "examples/large.vpc",
        "--collapse",
        "--format",
        "svg",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("VPC prod") && out.contains("VPC shared"));
    assert!(!out.contains("prod-public-a"));
}
