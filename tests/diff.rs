//! `vpcc diff`: one insta snapshot per pair in `tests/fixtures/diff/`
//! (`NAME/old.vpc`, `NAME/new.vpc`), plus exit codes and properties.

mod support;

use std::path::Path;

use support::cli::{Run, vpcc};
use support::fixture::{load as model, model_of as compile, root};

fn diff_dir(dir: &Path) -> vpc::diff::Diff {
    let (_, a) = model(&dir.join("old.vpc"));
    let (_, b) = model(&dir.join("new.vpc"));
    vpc::diff::diff(&a, &b)
}

#[test]
fn golden_diffs() {
    insta::glob!("fixtures/diff", "*/old.vpc", |path| {
        let dir = path.parent().expect("dir");
        let d = diff_dir(dir);
        insta::assert_snapshot!(d.to_markdown());
        insta::assert_snapshot!("github", d.to_github("old.vpc", "new.vpc"));
    });
}

#[test]
fn lost_ssh_names_the_security_group() {
    let d = diff_dir(&root().join("tests/fixtures/diff/lost-ssh"));
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert!(
        texts.contains(
            &"`admin`, `internet` lost tcp 22 to `bastion`: SG_INGRESS security group `bastion-sg`"
        ),
        "{texts:#?}"
    );
}

#[test]
fn a_prefix_list_entry_removed_is_a_resource_change_and_lost_flows() {
    let d = diff_dir(&root().join("tests/fixtures/diff/prefix-list-entry"));
    let list = d
        .resources
        .iter()
        .find(|r| r.kind == "prefix_list" && r.name == "offices")
        .expect("the list changed");
    assert_eq!(list.removed, ["entry 203.0.113.0/24"]);
    assert!(list.added.is_empty());
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        ["`branch` lost tcp 22 to `bastion`: SG_INGRESS security group `bastion-sg`"]
    );
}

#[test]
fn a_transit_gateway_propagation_is_a_resource_change_and_gained_flows() {
    let d = diff_dir(&root().join("tests/fixtures/diff/tgw-propagation"));
    let tgw = d
        .resources
        .iter()
        .find(|r| r.kind == "transit_gateway" && r.name == "tgw")
        .expect("the transit gateway changed");
    assert_eq!(
        tgw.added,
        [
            "route_table spokes: route 10.1.0.0/16 -> prod-att (propagated)",
            "route_table spokes: route 10.2.0.0/16 -> dev-att (propagated)"
        ]
    );
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "`prod-app` gained tcp 443 to `dev-app` via tgw",
            "`dev-app` gained tcp 443 to `prod-app` via tgw"
        ]
    );
}

/// A VPN added to a virtual private gateway: the gateway changed, the
/// table that propagates it gained the route, on premises gained flows.
#[test]
fn a_vpn_on_a_virtual_private_gateway_is_propagated_to_tables() {
    let d = diff_dir(&root().join("tests/fixtures/diff/vgw-route"));
    let vgw = d
        .resources
        .iter()
        .find(|r| r.kind == "vpn_gateway" && r.name == "vgw")
        .expect("the gateway changed");
    assert_eq!(
        vgw.added,
        ["vpn office-vpn to office routes [10.60.0.0/16]"]
    );
    assert!(vgw.removed.is_empty());
    // The table's own facts (`propagate vgw`) did not change.
    assert!(
        !d.resources.iter().any(|r| r.kind == "route_table"),
        "{:#?}",
        d.resources
    );
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "`app` gained all traffic to `office` via vgw",
            "`office` gained tcp 22 to `app` via vgw"
        ]
    );
    assert_eq!(d.routes.len(), 1);
}

#[test]
fn gained_egress_names_the_nat() {
    let d = diff_dir(&root().join("tests/fixtures/diff/gained-egress"));
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert!(
        texts.contains(&"`app-db` gained internet egress: all traffic via nat-a, igw"),
        "{texts:#?}"
    );
    assert_eq!(d.routes.len(), 1);
}

#[test]
fn a_file_against_itself_has_no_changes() {
    for name in ["nat-bastion-endpoints", "peering", "nat-instance"] {
        let path = root().join(format!("examples/{name}.vpc"));
        let (_, m) = model(&path);
        let d = vpc::diff::diff(&m, &m);
        assert!(d.is_empty(), "{name}: {d:#?}");
    }
}

#[test]
fn cli_formats_and_exit_codes() {
    let old = "tests/fixtures/diff/lost-ssh/old.vpc";
    let new = "tests/fixtures/diff/lost-ssh/new.vpc";
    let Run {
        code,
        stdout: md,
        stderr,
        ..
    } = vpcc(["diff", old, new]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        md,
        diff_dir(&root().join("tests/fixtures/diff/lost-ssh")).to_markdown()
    );
    let Run {
        code, stdout: json, ..
    } = vpcc(["diff", old, new, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["flows"][0]["change"], "lost");
    let Run {
        code, stdout: same, ..
    } = vpcc(["diff", old, old]);
    assert_eq!(code, 0);
    assert_eq!(
        same,
        "No changes in resources, subnets, routes or reachability.\n"
    );

    let dir = std::env::temp_dir().join(format!("vpcc-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let bad = dir.join("bad.vpc");
    std::fs::write(&bad, "vpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 {}\n}\n").expect("write");
    let Run { code, stdout, .. } = vpcc(["diff", old, bad.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let Run { code, .. } = vpcc(["diff", old, "no/such.vpc"]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_new_nat_reroutes_egress() {
    let d = diff_dir(&root().join("tests/fixtures/diff/reroute"));
    let texts: Vec<&str> = d.flows.iter().map(|f| f.text.as_str()).collect();
    assert!(
        texts.contains(
            &"`app` rerouted all traffic to internet via nat-b, igw (was via nat-a, igw)"
        ),
        "{texts:#?}"
    );
    assert!(d.subnets.is_empty());
}

const BASE: &str = "external admin 203.0.113.0/24
vpc main 10.0.0.0/16 {
  internet_gateway igw
  subnet pub 10.0.1.0/24 {
    route_table public
    instance web 10.0.1.10 {
      public_ip security_groups [web-sg]
    }
  }
  route_table public {
    route 0.0.0.0/0 -> igw
  }
  security_group web-sg {
    ingress tcp 443 from internet
  }
  network_acl strict {
    inbound 100 allow tcp 443 from 0.0.0.0/0
    outbound 100 allow tcp 1024-65535 to 0.0.0.0/0
  }
}
expect admin can reach web tcp 443
";

#[test]
fn resources_name_the_rules_associations_and_expects_that_changed() {
    let new = BASE
        .replace(
            "    route_table public\n",
            "    route_table public\n    network_acl strict\n",
        )
        .replace(
            "ingress tcp 443 from internet",
            "ingress tcp 443 from admin",
        )
        .replace(
            "expect admin can reach web tcp 443",
            "expect admin cannot reach web tcp 22",
        );
    let (a, b) = (compile(BASE), compile(&new));
    let d = vpc::diff::diff(&a, &b);
    let got: Vec<(String, String, Vec<String>, Vec<String>)> = d
        .resources
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                r.name.clone(),
                r.added.clone(),
                r.removed.clone(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            (
                "subnet".into(),
                "pub".into(),
                s(&["network_acl strict"]),
                s(&["network_acl default"])
            ),
            (
                "security_group".into(),
                "web-sg".into(),
                s(&["ingress tcp 443 from admin"]),
                s(&["ingress tcp 443 from internet"])
            ),
            (
                "expect".into(),
                "expect admin can reach web tcp 443".into(),
                vec![],
                vec![]
            ),
            (
                "expect".into(),
                "expect admin cannot reach web tcp 22".into(),
                vec![],
                vec![]
            ),
        ]
    );
    assert_eq!(d.resources[2].change, "removed");
    assert_eq!(d.resources[3].change, "added");
}

#[test]
fn reordering_and_reformatting_change_no_resource() {
    // The same design with its statements in another order and another
    // layout.
    let moved = BASE
        .replace(
            "  route_table public {\n    route 0.0.0.0/0 -> igw\n  }\n",
            "",
        )
        .replace(
            "  internet_gateway igw\n",
            "  internet_gateway igw\n  route_table public { route 0.0.0.0/0 -> igw }\n",
        );
    assert_ne!(moved, BASE);
    let d = vpc::diff::diff(&compile(BASE), &compile(&moved));
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn the_github_format_is_a_comment_body() {
    let old = "tests/fixtures/diff/lost-ssh/old.vpc";
    let new = "tests/fixtures/diff/lost-ssh/new.vpc";
    let Run {
        code, stdout: body, ..
    } = vpcc(["diff", old, new, "--format", "github"]);
    assert_eq!(code, 0);
    assert!(
        body.starts_with(&format!("### vpcc diff: `{old}` → `{new}`\n")),
        "{body}"
    );
    assert!(
        body.contains("```diff\n  security_group bastion-sg {"),
        "{body}"
    );
    assert!(
        body.contains("\n-   ingress tcp 22 from admin\n+   ingress tcp 443 from admin\n"),
        "{body}"
    );
    assert!(body.contains("| **lost** |"), "{body}");
    let Run { stdout: same, .. } = vpcc(["diff", old, old, "--format", "github"]);
    assert!(same.ends_with("No changes in resources, subnets, routes or reachability.\n"));
}

#[test]
fn schema_is_current() {
    support::schema::assert_current(
        "diff.schema.json",
        &vpc::diff::schema(),
        "src/diff.rs",
        "diff",
    );
}

/// Every fixture pair's JSON matches the published schema, and the schema
/// is not vacuous: an unknown field or a missing one is rejected.
#[test]
fn json_matches_the_schema() {
    let v = support::schema::validator("diff.schema.json");
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("tests/fixtures/diff")).expect("fixtures") {
        let dir = entry.expect("entry").path();
        let json = diff_dir(&dir).to_json();
        support::schema::assert_valid(&v, &dir.display().to_string(), &json);
        let mut value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        value["surprise"] = serde_json::Value::Bool(true);
        assert!(!v.is_valid(&value));
        let mut value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        value.as_object_mut().expect("object").remove("resources");
        assert!(!v.is_valid(&value));
        seen += 1;
    }
    assert!(seen >= 4);
}

// ---------------------------------------------------------------------------
// The incremental diff against the full one
// ---------------------------------------------------------------------------

/// A file without its `expect` lines (a failed one would stop the compile).
fn without_expects(src: &str) -> String {
    src.lines()
        .filter(|l| !l.trim_start().starts_with("expect "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The files the edits start from: every example, and small generated
/// networks.
fn edit_bases() -> Vec<String> {
    let mut out: Vec<String> = support::fixture::examples()
        .into_iter()
        .map(|(_, src)| without_expects(&src))
        .collect();
    for (vpcs, seed) in [(2, 1), (3, 7)] {
        let p = vpc::r#gen::GenParams {
            vpcs,
            azs: 2,
            subnets_per_az: 2,
            instances_per_subnet: 2,
            security_groups_per_vpc: 6,
            seed,
        };
        out.push(without_expects(&vpc::r#gen::generate(&p)));
    }
    out
}

/// One edit of a line, as a reviewer's one-line change would be: delete
/// it, change its last number, flip a word, or move it elsewhere.
fn edit(src: &str, line: usize, kind: u8, value: u16) -> String {
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return src.to_string();
    }
    let i = line % lines.len();
    let plain = |l: &str| !l.contains('{') && !l.contains('}');
    match kind % 4 {
        0 if plain(&lines[i]) => {
            lines.remove(i);
        }
        1 => {
            let l = &lines[i];
            if let Some(end) = l.rfind(|c: char| c.is_ascii_digit()) {
                let start = l[..end]
                    .rfind(|c: char| !c.is_ascii_digit())
                    .map_or(0, |s| s + 1);
                let n = match l[start..=end].parse::<u32>() {
                    Ok(n) if n <= 32 => u32::from(value) % 33,
                    Ok(n) if n <= 255 => u32::from(value) % 256,
                    _ => u32::from(value),
                };
                lines[i] = format!("{}{n}{}", &l[..start], &l[end + 1..]);
            }
        }
        2 => {
            let flips = [
                ("allow", "deny"),
                ("deny", "allow"),
                ("ingress", "egress"),
                (" on", " off"),
                (" off", " on"),
                ("tcp", "udp"),
                ("public_ip_on_launch", ""),
                ("public_ip", ""),
                ("-> ", "-> blackhole #"),
            ];
            if let Some((a, b)) = flips.iter().find(|(a, _)| lines[i].contains(a)) {
                lines[i] = lines[i].replacen(a, b, 1);
            }
        }
        _ if plain(&lines[i]) => {
            let l = lines.remove(i);
            let to = usize::from(value) % (lines.len() + 1);
            lines.insert(to, l);
        }
        _ => {}
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn the_incremental_diff_equals_the_full_one_on_random_edits() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let bases: Vec<(String, vpc::model::Model)> = edit_bases()
        .into_iter()
        .map(|src| {
            let m = compile(&src);
            (src, m)
        })
        .collect();
    let edits = proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u16>()), 1..4);
    let strategy = (0..bases.len(), edits);
    // A fixed seed: the thresholds below hold for these 160 edits, not by
    // luck of the draw (a random run once fell under 60 compiled edits).
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 160,
            failure_persistence: None,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let (compared, changed) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&strategy, |(b, edits)| {
            let (src, old) = &bases[b];
            let mut text = src.clone();
            for (line, kind, value) in edits {
                text = edit(&text, line, kind, value);
            }
            let c = vpc::compile(&text);
            if c.has_errors() {
                return Ok(());
            }
            let Some(new) = c.model else {
                return Ok(());
            };
            let fast = vpc::diff::diff(old, &new);
            let full = vpc::diff::diff_full(old, &new);
            prop_assert_eq!(&fast, &full, "edited file:\n{}", text);
            compared.set(compared.get() + 1);
            changed.set(changed.get() + usize::from(!full.flows.is_empty()));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // The edits must mostly give valid files, and some must move flows,
    // or the comparison proves little.
    eprintln!(
        "{} edits compiled, {} changed a flow",
        compared.get(),
        changed.get()
    );
    assert!(
        compared.get() >= 60,
        "only {} edits compiled",
        compared.get()
    );
    assert!(
        changed.get() >= 15,
        "only {} edits changed a flow",
        changed.get()
    );
}

/// A rule's port moved by one in each security group of every example:
/// the diff that asks only the moved rules' ports (and skips the cells
/// the filter shows blocked) finds what the full recomputation finds.
#[test]
fn a_moved_port_diffs_like_the_full_recomputation() {
    let (mut compared, mut changed) = (0, 0);
    for src in edit_bases() {
        let old = compile(&src);
        let lines: Vec<&str> = src.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            if !(t.starts_with("ingress tcp ") || t.starts_with("egress tcp ")) {
                continue;
            }
            let Some(port) = t
                .split_whitespace()
                .nth(2)
                .and_then(|p| p.parse::<u16>().ok())
            else {
                continue;
            };
            let moved = l.replacen(
                &format!(" {port} "),
                &format!(" {} ", port.wrapping_add(1)),
                1,
            );
            let mut edited: Vec<String> = lines.iter().map(|x| x.to_string()).collect();
            edited[i] = moved;
            let text: String = edited.iter().map(|l| format!("{l}\n")).collect();
            let c = vpc::compile(&text);
            if c.has_errors() {
                continue;
            }
            let Some(new) = c.model else {
                continue;
            };
            let fast = vpc::diff::diff(&old, &new);
            let full = vpc::diff::diff_full(&old, &new);
            assert_eq!(fast, full, "line {}: {l}", i + 1);
            compared += 1;
            changed += usize::from(!full.flows.is_empty());
        }
    }
    assert!(
        compared > 20 && changed > 10,
        "{compared} compared, {changed} changed flows"
    );
}
