//! The compiler's stages timed on inputs of four sizes, with criterion.
//!
//! ```text
//! cargo bench --bench pipeline                    # everything
//! cargo bench --bench pipeline -- 'org/check'     # one size, one stage
//! ```
//!
//! Inputs: `small` is every file of `examples/` (one iteration handles them
//! all), `net4` a generated 4-VPC network (96 instances), `medium` a
//! generated 10-VPC network, `org` the generator's `org` preset (100 VPCs,
//! 10,000 subnets, 20,000 instances). Throughput is reported in bytes of
//! source, so criterion prints MB/s. The `diff` stage compares each input
//! with a copy whose first `ingress tcp` port is one higher (the reviewer's
//! one-line change), on the sizes where it runs in well under a minute.
//!
//! Adding a back end: write a `fn(&Prepared)` that runs it on the prepared
//! model and add one line to [`STAGES`], with the sizes it runs on.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vpc::r#gen::{GenParams, generate};
use vpc::graph::GraphOptions;
use vpc::model::{FlowEnd, GatewayService, InstanceId, Model};
use vpc::routes::{Query, lookup};
use vpc::syntax::ast;

/// One input, parsed and checked once up front so that each stage can be
/// timed on its own.
struct Prepared {
    sources: Vec<String>,
    asts: Vec<ast::File>,
    models: Vec<Model>,
    /// Each model's DOT, for the SVG stage.
    dots: Vec<String>,
    /// Each model after a one-line edit (the first `ingress tcp` rule's
    /// port plus one), for the diff stage; `None` where no rule has one.
    edited: Vec<Option<Model>>,
}

impl Prepared {
    fn new(sources: Vec<String>) -> Prepared {
        let asts: Vec<ast::File> = sources
            .iter()
            .map(|s| vpc::syntax::parse(s).expect("benchmark inputs parse"))
            .collect();
        let models: Vec<Model> = asts
            .iter()
            .map(|a| {
                let c = vpc::check::check(a);
                c.model.expect("benchmark inputs check without errors")
            })
            .collect();
        let dots = models
            .iter()
            .map(|m| vpc::graph::dot(m, &GraphOptions::default()))
            .collect();
        let edited = sources.iter().map(|s| edit_one_port(s)).collect();
        Prepared {
            sources,
            asts,
            models,
            dots,
            edited,
        }
    }

    fn bytes(&self) -> u64 {
        self.sources.iter().map(|s| s.len() as u64).sum()
    }
}

/// `src` compiled with its first `ingress tcp PORT` rule's port plus one,
/// the one-line change a reviewer's `diff` sees.
fn edit_one_port(src: &str) -> Option<Model> {
    let at = src.find("ingress tcp ")? + "ingress tcp ".len();
    let len = src[at..].find(|c: char| !c.is_ascii_digit())?;
    let port: u32 = src[at..at + len].parse().ok()?;
    let edited = format!("{}{}{}", &src[..at], port % 65535 + 1, &src[at + len..]);
    let ast = vpc::syntax::parse(&edited).ok()?;
    vpc::check::check(&ast).model
}

/// A stage: a name, what one iteration does, and the sizes it runs on.
type Stage = (&'static str, fn(&Prepared), &'static [&'static str]);

const ALL: &[&str] = &["small", "net4", "medium", "org"];

/// Every timed stage, in pipeline order. Extend here.
///
/// The all-pairs matrix grows with the square of the number of distinct
/// instances (the org preset has 16,384 groups, 2.7 × 10^8 pairs; see
/// BENCHMARKS.md), so `report` runs on the sizes where it finishes. SVG
/// layout of the org preset's 10,000 subnet clusters takes minutes, so
/// `svg` stops at medium.
const STAGES: &[Stage] = &[
    ("parse", parse, ALL),
    ("parse_pest", parse_pest, ALL),
    ("check", check, ALL),
    ("compile", compile, ALL),
    ("routes", routes, ALL),
    ("reach", reach_one, ALL),
    ("report", report, &["small", "net4"]),
    ("diff", diff, &["small", "net4", "medium"]),
    ("dot", dot, ALL),
    ("svg", svg, &["small", "net4", "medium"]),
];

/// One reachability query per model: the first instance to the internet
/// and to the last instance (another VPC in generated networks).
fn reach_one(p: &Prepared) {
    for m in &p.models {
        let Some(last) = m.instances.len().checked_sub(1) else {
            continue;
        };
        let from = FlowEnd::Instance(InstanceId(0));
        for to in [
            FlowEnd::Internet,
            FlowEnd::Instance(InstanceId(last as u32)),
        ] {
            black_box(vpc::reach::reach(m, &vpc::reach::Query::new(from.clone(), to)).delivered);
        }
    }
}

/// The whole report: subnets, routes, the all-pairs matrix, exposure and
/// expectations.
fn report(p: &Prepared) {
    for (m, s) in p.models.iter().zip(&p.sources) {
        black_box(vpc::report::Report::build("bench", m, s).matrix.cells.len());
    }
}

/// `vpcc diff` of each model against its one-line edit: resource changes
/// and the flows gained and lost (incremental, see src/diff/scope.rs).
fn diff(p: &Prepared) {
    for (m, e) in p.models.iter().zip(&p.edited) {
        if let Some(e) = e {
            black_box(vpc::diff::diff(m, e).flows.len());
        }
    }
}

fn dot(p: &Prepared) {
    for m in &p.models {
        black_box(vpc::graph::dot(m, &GraphOptions::default()).len());
    }
}

fn svg(p: &Prepared) {
    for d in &p.dots {
        black_box(vpc::graph::svg(d).map(|s| s.len()).ok());
    }
}

fn parse(p: &Prepared) {
    for s in &p.sources {
        black_box(vpc::syntax::parse(black_box(s)).is_ok());
    }
}

/// The pest parser alone: the reference that `parse` falls back to on
/// anything the hand-written fast path declines (all syntax errors).
fn parse_pest(p: &Prepared) {
    for s in &p.sources {
        black_box(vpc::syntax::parse_pest(black_box(s)).is_ok());
    }
}

fn check(p: &Prepared) {
    for a in &p.asts {
        black_box(vpc::check::check(black_box(a)).model.is_some());
    }
}

/// Parse and check: what `vpcc check` does besides I/O and rendering.
fn compile(p: &Prepared) {
    for s in &p.sources {
        black_box(vpc::compile(black_box(s)).diagnostics.len());
    }
}

/// Route resolution: every subnet's table looked up for the first address
/// of every VPC, the internet and the S3 prefix list.
fn routes(p: &Prepared) {
    for m in &p.models {
        let targets: Vec<Query> = m
            .vpcs
            .iter()
            .filter_map(|v| v.cidrs.first())
            .map(|c| Query::Address(c.network()))
            .take(8)
            .chain([Query::Internet, Query::Service(GatewayService::S3)])
            .collect();
        for s in &m.subnets {
            let table = m.route_table(s.route_table);
            for q in &targets {
                black_box(lookup(table, *q).chosen);
            }
        }
    }
}

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "vpc"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("example is UTF-8"))
        .collect()
}

/// The medium size: 10 VPCs, 270 subnets, 540 instances.
fn medium_params() -> GenParams {
    GenParams {
        vpcs: 10,
        azs: 3,
        subnets_per_az: 9,
        instances_per_subnet: 2,
        security_groups_per_vpc: 20,
        seed: 1,
    }
}

/// Small enough for the all-pairs report: 4 VPCs, 48 subnets, 96
/// instances.
fn net4_params() -> GenParams {
    GenParams {
        vpcs: 4,
        azs: 2,
        subnets_per_az: 6,
        instances_per_subnet: 2,
        security_groups_per_vpc: 10,
        seed: 1,
    }
}

fn sizes() -> Vec<(&'static str, Prepared)> {
    vec![
        ("small", Prepared::new(examples())),
        ("net4", Prepared::new(vec![generate(&net4_params())])),
        ("medium", Prepared::new(vec![generate(&medium_params())])),
        ("org", Prepared::new(vec![generate(&GenParams::org(1))])),
    ]
}

fn pipeline(c: &mut Criterion) {
    for (size, input) in sizes() {
        let mut group = c.benchmark_group(size);
        group.throughput(Throughput::Bytes(input.bytes()));
        if size == "org" || size == "net4" {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(10))
                .warm_up_time(Duration::from_secs(2));
        }
        for (stage, run, on) in STAGES {
            if on.contains(&size) {
                group.bench_function(*stage, |b| b.iter(|| run(&input)));
            }
        }
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
