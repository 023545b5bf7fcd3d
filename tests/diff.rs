//! `vpcc diff`: one insta snapshot per pair in `tests/fixtures/diff/`
//! (`NAME/old.vpc`, `NAME/new.vpc`), plus exit codes and properties.

mod support;

use std::path::Path;
use std::process::Command;

use support::fixture::{load as model, root};

fn diff_dir(dir: &Path) -> vpc::diff::Diff {
    let (a_src, a) = model(&dir.join("old.vpc"));
    let (b_src, b) = model(&dir.join("new.vpc"));
    vpc::diff::diff(&a, &a_src, &b, &b_src)
}

fn vpcc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("vpcc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
        let (src, m) = model(&path);
        let d = vpc::diff::diff(&m, &src, &m, &src);
        assert!(d.is_empty(), "{name}: {d:#?}");
    }
}

#[test]
fn cli_formats_and_exit_codes() {
    let old = "tests/fixtures/diff/lost-ssh/old.vpc";
    let new = "tests/fixtures/diff/lost-ssh/new.vpc";
    let (code, md, stderr) = vpcc(&["diff", old, new]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        md,
        diff_dir(&root().join("tests/fixtures/diff/lost-ssh")).to_markdown()
    );
    let (code, json, _) = vpcc(&["diff", old, new, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["flows"][0]["change"], "lost");
    let (code, same, _) = vpcc(&["diff", old, old]);
    assert_eq!(code, 0);
    assert_eq!(
        same,
        "No changes in resources, subnets, routes or reachability.\n"
    );

    let dir = std::env::temp_dir().join(format!("vpcc-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let bad = dir.join("bad.vpc");
    std::fs::write(&bad, "vpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 {}\n}\n").expect("write");
    let (code, stdout, _) = vpcc(&["diff", old, bad.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let (code, _, _) = vpcc(&["diff", old, "no/such.vpc"]);
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

fn compile(src: &str) -> vpc::model::Model {
    let c = vpc::compile(src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    c.model.expect("a model")
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
    let d = vpc::diff::diff(&a, BASE, &b, &new);
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
    let d = vpc::diff::diff(&compile(BASE), BASE, &compile(&moved), &moved);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn the_github_format_is_a_comment_body() {
    let old = "tests/fixtures/diff/lost-ssh/old.vpc";
    let new = "tests/fixtures/diff/lost-ssh/new.vpc";
    let (code, body, _) = vpcc(&["diff", old, new, "--format", "github"]);
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
    let (_, same, _) = vpcc(&["diff", old, old, "--format", "github"]);
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
