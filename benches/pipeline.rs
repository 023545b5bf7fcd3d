//! The compiler's stages timed on inputs of three sizes, with criterion.
//!
//! ```text
//! cargo bench --bench pipeline                    # everything
//! cargo bench --bench pipeline -- 'org/check'     # one size, one stage
//! ```
//!
//! Inputs: `small` is every file of `examples/` (one iteration handles them
//! all), `medium` a generated 10-VPC network, `org` the generator's `org`
//! preset (100 VPCs, 10,000 subnets, 20,000 instances). Throughput is
//! reported in bytes of source, so criterion prints MB/s.
//!
//! Adding a back end: write a `fn(&Prepared)` that runs it on the prepared
//! model (`json`, `dot`, `svg`, `reach`, `report`...) and add one line to
//! [`STAGES`]. Every stage then runs on every size.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vpc::r#gen::{GenParams, generate};
use vpc::model::{GatewayService, Model};
use vpc::routes::{Query, lookup};
use vpc::syntax::ast;

/// One input, parsed and checked once up front so that each stage can be
/// timed on its own.
struct Prepared {
    sources: Vec<String>,
    asts: Vec<ast::File>,
    models: Vec<Model>,
}

impl Prepared {
    fn new(sources: Vec<String>) -> Prepared {
        let asts: Vec<ast::File> = sources
            .iter()
            .map(|s| vpc::syntax::parse(s).expect("benchmark inputs parse"))
            .collect();
        let models = asts
            .iter()
            .map(|a| {
                let c = vpc::check::check(a);
                c.model.expect("benchmark inputs check without errors")
            })
            .collect();
        Prepared {
            sources,
            asts,
            models,
        }
    }

    fn bytes(&self) -> u64 {
        self.sources.iter().map(|s| s.len() as u64).sum()
    }
}

/// A stage: a name and what one iteration does.
type Stage = (&'static str, fn(&Prepared));

/// Every timed stage, in pipeline order. Extend here.
const STAGES: &[Stage] = &[
    ("parse", parse),
    ("parse_pest", parse_pest),
    ("check", check),
    ("compile", compile),
    ("routes", routes),
];

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

fn sizes() -> Vec<(&'static str, Prepared)> {
    vec![
        ("small", Prepared::new(examples())),
        ("medium", Prepared::new(vec![generate(&medium_params())])),
        ("org", Prepared::new(vec![generate(&GenParams::org(1))])),
    ]
}

fn pipeline(c: &mut Criterion) {
    for (size, input) in sizes() {
        let mut group = c.benchmark_group(size);
        group.throughput(Throughput::Bytes(input.bytes()));
        if size == "org" {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(10))
                .warm_up_time(Duration::from_secs(2));
        }
        for (stage, run) in STAGES {
            group.bench_function(*stage, |b| b.iter(|| run(&input)));
        }
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
