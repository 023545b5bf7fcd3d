//! `vpcc import aws`: output is canonical, parses and checks, keeps ids in
//! comments and warns about what it leaves out; bad input exits 2.

use std::process::Command;

fn vpcc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vpcc"))
}

#[test]
fn import_aws_combined_file() {
    let out = vpcc()
        .args(["import", "aws", "tests/import/combined.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("vpc Main-VPC 10.0.0.0/16"), "{text}");
    assert!(text.contains("# subnet-1"), "{text}");
    assert!(text.contains("route 0.0.0.0/0 -> igw-1"), "{text}");
    assert_eq!(vpc::fmt::format(&text).unwrap(), text);
    assert!(stderr.contains("vpc-1: IPv6"), "{stderr}");
    assert!(stderr.contains("tgw-9"), "{stderr}");
}

#[test]
fn import_aws_bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let out = vpcc().args(["import", "aws"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vpcc()
        .args(["import", "aws"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "missing describe-vpcs.json");
}
