//! The program generator (`vpcc gen`): every program it writes compiles
//! cleanly, and its output is a pure function of its parameters.

mod support;
use support::cli::Vpcc;
use vpc::r#gen::{GenParams, Hub, generate, generate_with};

fn params(
    vpcs: u32,
    azs: u32,
    subnets_per_az: u32,
    instances_per_subnet: u32,
    security_groups_per_vpc: u32,
    seed: u64,
) -> GenParams {
    GenParams {
        vpcs,
        azs,
        subnets_per_az,
        instances_per_subnet,
        security_groups_per_vpc,
        seed,
    }
}

/// Compiles `src` and asserts it has no diagnostic at all.
fn compile_clean(src: &str, what: &str) -> vpc::model::Model {
    let c = vpc::compile(src);
    let shown: Vec<String> = c
        .diagnostics
        .iter()
        .take(5)
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert!(
        c.diagnostics.is_empty(),
        "{what} gives {} diagnostics, first: {shown:#?}",
        c.diagnostics.len()
    );
    c.model.expect("a clean program has a model")
}

/// Compiles a generated program and asserts it has no diagnostic at all.
fn assert_clean(p: &GenParams) {
    assert_eq!(p.problem(), None, "{p:?}");
    let m = compile_clean(&generate(p), &format!("{p:?}"));
    assert_eq!(m.vpcs.len(), p.vpcs as usize);
    assert_eq!(
        m.subnets.len(),
        (p.vpcs * p.azs * p.subnets_per_az) as usize
    );
    assert_eq!(
        m.instances.len(),
        (p.vpcs * p.azs * p.subnets_per_az * p.instances_per_subnet) as usize
    );
    // Written security groups plus one default group per VPC.
    assert_eq!(
        m.security_groups.len(),
        (p.vpcs * (p.security_groups_per_vpc + 1)) as usize
    );
    assert_eq!(m.peerings.len(), p.vpcs as usize - 1);
}

#[test]
fn small_programs_compile_cleanly_for_several_seeds() {
    for seed in [0, 1, 2, 42, u64::MAX] {
        assert_clean(&params(3, 3, 3, 2, 8, seed));
    }
}

#[test]
fn degenerate_shapes_compile_cleanly() {
    // One subnet, no instances: no private tier, no endpoints, no expects.
    assert_clean(&params(1, 1, 1, 0, 5, 9));
    // Public and private tiers only.
    assert_clean(&params(2, 1, 2, 1, 5, 9));
    // Six AZs, /26 subnets.
    assert_clean(&params(2, 6, 100, 3, 12, 9));
    // Smallest subnets (/28: more than 2,048 per VPC) filled to the last
    // usable address.
    assert_clean(&params(1, 1, 2049, 9, 5, 9));
}

#[test]
fn beyond_ten_slash_eight_uses_other_private_ranges() {
    // 256 VPCs in 10/8, 16 in 172.16/12, the rest in 100.64/10.
    assert_clean(&params(300, 1, 3, 1, 5, 5));
    let src = generate(&params(300, 1, 1, 0, 5, 5));
    assert!(src.contains("vpc v256 172.16.0.0/16"));
    assert!(src.contains("vpc v299 100.91.0.0/16"));
}

#[test]
fn medium_program_compiles_cleanly() {
    assert_clean(&params(10, 3, 9, 2, 20, 11));
}

#[test]
fn org_preset_compiles_cleanly() {
    let p = GenParams::org(1);
    assert_eq!(
        (
            p.vpcs * p.azs * p.subnets_per_az,
            p.vpcs * p.security_groups_per_vpc
        ),
        (10_000, 5_000)
    );
    assert_eq!(
        p.vpcs * p.azs * p.subnets_per_az * p.instances_per_subnet,
        20_000
    );
    assert_clean(&p);
}

#[test]
fn same_seed_gives_identical_bytes() {
    let p = params(4, 3, 6, 3, 10, 1234);
    assert_eq!(generate(&p), generate(&p));
}

#[test]
fn different_seeds_differ() {
    let a = generate(&params(4, 3, 6, 3, 10, 1));
    let b = generate(&params(4, 3, 6, 3, 10, 2));
    assert_ne!(a, b);
    assert_eq!(
        a.lines().count(),
        b.lines().count(),
        "the seed changes choices, not the shape"
    );
}

#[test]
fn out_of_range_parameters_are_explained_and_clamped() {
    assert!(
        params(0, 1, 1, 0, 5, 0)
            .problem()
            .is_some_and(|m| m.contains("--vpcs"))
    );
    assert!(
        params(337, 1, 1, 0, 5, 0)
            .problem()
            .is_some_and(|m| m.contains("--vpcs"))
    );
    assert!(
        params(1, 7, 1, 0, 5, 0)
            .problem()
            .is_some_and(|m| m.contains("--azs"))
    );
    assert!(
        params(1, 1, 4097, 0, 5, 0)
            .problem()
            .is_some_and(|m| m.contains("fit"))
    );
    assert!(
        params(1, 1, 3000, 10, 5, 0)
            .problem()
            .is_some_and(|m| m.contains("at most 9"))
    );
    assert!(
        params(1, 1, 1, 0, 4, 0)
            .problem()
            .is_some_and(|m| m.contains("at least 5"))
    );
    // Clamped instead of refused by the library.
    let c = vpc::compile(&generate(&params(1, 9, 1, 0, 0, 0)));
    assert!(c.diagnostics.is_empty());
}

/// `vpcc check` compiles several files in parallel and still reports them
/// in argument order, with the worst exit code.
#[test]
fn check_of_several_files_reports_in_argument_order() {
    let dir = std::env::temp_dir().join(format!("vpcc-gen-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut args = Vec::new();
    for i in 0..6u64 {
        let path = dir.join(format!("f{i}.vpc"));
        let text = if i % 2 == 0 {
            generate(&params(2, 2, 3, 1, 5, i))
        } else {
            format!("vpc broken{i} 10.0.0.0/16 {{\n  subnet s 10.1.0.0/24\n}}\n")
        };
        std::fs::write(&path, text).expect("write");
        args.push(path);
    }
    let out = Vpcc::new(["check", "--message-format", "short"])
        .args(&args)
        .run();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 1);
    let stderr = out.stderr;
    let files: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split(".vpc:").next())
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .collect();
    assert_eq!(files, ["f1", "f3", "f5"], "{stderr}");
}

/// With a private tier, the hub has a virtual private gateway to the data
/// centre that its private tables learn, in both variants, and the
/// generated `expect` over it holds (`compile_clean`).
#[test]
fn the_hub_has_a_vpn_gateway_its_private_tables_propagate() {
    for (p, hub) in [
        (params(3, 2, 2, 1, 5, 1), Hub::Peering),
        (params(3, 2, 3, 1, 5, 2), Hub::TransitGateway),
        (params(1, 1, 1, 1, 5, 3), Hub::Peering),
    ] {
        let src = generate_with(&p, hub);
        let m = compile_clean(&src, &format!("{p:?} {hub:?}"));
        if p.subnets_per_az < 2 {
            assert!(m.vpn_gateways.is_empty(), "no private tier, no VPN");
            continue;
        }
        assert_eq!(m.vpn_gateways.len(), 1);
        let g = &m.vpn_gateways[0];
        assert_eq!(m.vpc(g.vpc).name, "v0");
        assert_eq!(m.vpc(g.vpc).vpn_gateway.map(|x| x.index()), Some(0));
        assert!(m.external(g.vpns[0].external).on_premises);
        let propagating: Vec<&str> = m
            .route_tables
            .iter()
            .filter(|t| {
                t.routes
                    .iter()
                    .any(|r| r.origin == vpc::model::RouteOrigin::Propagated)
            })
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(propagating, ["v0-private-a", "v0-private-b"], "{hub:?}");
        assert!(
            src.contains("expect v0-a1-app0 can reach datacenter tcp 443 via v0-vgw privately")
        );
    }
}

/// The transit gateway variant compiles cleanly too: an attachment per VPC
/// with a subnet in every AZ, no peering, the hub learning every spoke and
/// the spokes only the hub (its `expect` that spokes are isolated holds).
#[test]
fn transit_gateway_hub_compiles_cleanly() {
    for p in [
        params(1, 1, 1, 0, 5, 1),
        params(2, 2, 1, 1, 5, 2),
        params(5, 3, 3, 2, 8, 3),
        params(60, 2, 3, 1, 6, 4),
    ] {
        let src = generate_with(&p, Hub::TransitGateway);
        let m = compile_clean(&src, &format!("{p:?} with a transit gateway"));
        assert!(m.peerings.is_empty());
        if p.vpcs > 1 {
            assert_eq!(m.transit_gateways.len(), 1);
            assert_eq!(m.tgw_attachments.len(), p.vpcs as usize);
            for a in &m.tgw_attachments {
                let vpc::model::TgwAttachmentKind::Vpc { subnets, .. } = &a.kind else {
                    panic!("VPC attachments only");
                };
                assert_eq!(subnets.len(), p.azs as usize, "{}", a.name);
            }
            let hub = &m.tgw_route_tables[0];
            assert_eq!(hub.routes.len(), p.vpcs as usize - 1, "a route per spoke");
            assert_eq!(m.tgw_route_tables[1].routes.len(), 1, "the hub only");
        } else {
            assert!(m.transit_gateways.is_empty());
        }
        assert_eq!(src, generate_with(&p, Hub::TransitGateway), "deterministic");
        if p.vpcs > 1 {
            assert_ne!(src, generate(&p), "{p:?}: differs from the peering hub");
        }
    }
}
