//! `vpcc build`: the layout of DIR, byte-identical reruns, inputs with
//! errors write nothing, names that would escape DIR, exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcc-build-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn vpcc(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("vpcc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir`, relative, sorted, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("inside").display().to_string();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn layout_is_name_slash_outputs() {
    let out = scratch("layout");
    let (code, stderr) = vpcc(&[
        "build",
        "examples/nat-bastion-endpoints.vpc",
        "examples/peering.vpc",
        "-o",
        s(&out),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "nat-bastion-endpoints/report.html",
            "nat-bastion-endpoints/report.json",
            "nat-bastion-endpoints/report.md",
            "nat-bastion-endpoints/routes.json",
            "peering/report.html",
            "peering/report.json",
            "peering/report.md",
            "peering/routes.json",
        ]
    );
    let (_, routes) = &tree(&out)[3];
    let expected = vpc::emit::json::to_string_pretty(
        &vpc::compile(
            &std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc"))
                .expect("read"),
        )
        .model
        .expect("model"),
    );
    assert_eq!(String::from_utf8_lossy(routes), expected);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn two_builds_give_identical_bytes() {
    let (a, b) = (scratch("twice-a"), scratch("twice-b"));
    let mut args = vec!["build"];
    let examples: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "vpc"))
        .map(|p| {
            p.strip_prefix(root())
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    args.extend(examples.iter().map(String::as_str));
    for dir in [&a, &b] {
        let mut run = args.clone();
        run.extend(["-o", s(dir)]);
        let (code, stderr) = vpcc(&run);
        assert_eq!(code, 0, "{stderr}");
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.len(), examples.len() * 4);
    assert!(ta == tb, "two builds differ");
    // A rebuild over existing outputs leaves no temporary files behind.
    let mut run = args.clone();
    run.extend(["-o", s(&a)]);
    assert_eq!(vpcc(&run).0, 0);
    assert!(tree(&a) == tb);
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn an_input_with_errors_writes_nothing_and_the_others_are_built() {
    let dir = scratch("errors");
    let out = dir.join("out");
    let bad = dir.join("bad.vpc");
    std::fs::write(&bad, "vpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 {}\n}\n").expect("write");
    let failing = dir.join("failing.vpc");
    let text = std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc"))
        .expect("read")
        .replace("ingress tcp 22 from admin", "ingress tcp 443 from admin");
    std::fs::write(&failing, text).expect("write");
    let (code, stderr) = vpcc(&[
        "build",
        s(&bad),
        s(&failing),
        "examples/peering.vpc",
        "-o",
        s(&out),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error"), "{stderr}");
    assert!(stderr.contains("E0501"), "{stderr}");
    assert!(!out.join("bad").exists());
    assert!(!out.join("failing").exists());
    assert!(out.join("peering/report.md").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn names_that_would_hide_or_collide_are_refused() {
    let dir = scratch("names");
    let out = dir.join("out");
    let hidden = dir.join("..vpc");
    std::fs::copy(root().join("examples/peering.vpc"), &hidden).expect("copy");
    std::fs::create_dir_all(dir.join("other")).expect("mkdir");
    let twin = dir.join("other/peering.vpc");
    std::fs::copy(root().join("examples/peering.vpc"), &twin).expect("copy");
    let (code, stderr) = vpcc(&[
        "build",
        s(&hidden),
        "examples/peering.vpc",
        s(&twin),
        "-o",
        s(&out),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot name an output directory"),
        "{stderr}"
    );
    assert!(stderr.contains("already writes `peering/`"), "{stderr}");
    let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().all(|n| n.starts_with("peering/")), "{names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_out_dir_is_an_io_error() {
    let dir = scratch("io");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "x").expect("write");
    let (code, stderr) = vpcc(&["build", "examples/peering.vpc", "-o", s(&file)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot create"), "{stderr}");
    let (code, stderr) = vpcc(&["build", "no/such.vpc", "-o", s(&dir.join("out"))]);
    assert_eq!(code, 2, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
