//! Suppressing warnings from the command line's side: `# vpcc: allow`
//! comments and a project's `vpcc.toml`, found upward from each file, in
//! `check` (every message format, SARIF's `suppressions`), `build` and the
//! model commands. The rules themselves are unit-tested in
//! `src/diag/suppress.rs` and `src/config.rs`; the fixtures under
//! `tests/ui/suppress/` pin the diagnostics.

use std::path::Path;

mod support;
use support::cli::{Run, Vpcc};

use serde_json::Value;

/// Two warnings: an unused table (W0603) and SSH open to the internet
/// (W0602), the table's allowed in the file.
const NET: &str = "vpc v 10.0.0.0/16 {
  route_table spare   # vpcc: allow W0603 kept for later
  route_table other
  security_group sg {
    ingress tcp 22 from 0.0.0.0/0
  }
}
";

/// A project: `vpcc.toml` (when given) at the top, the file in `net/`.
fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(text) = config {
        std::fs::write(dir.path().join("vpcc.toml"), text).expect("write vpcc.toml");
    }
    std::fs::create_dir(dir.path().join("net")).expect("mkdir");
    std::fs::write(dir.path().join("net/a.vpc"), NET).expect("write a.vpc");
    dir
}

fn codes(o: &Run) -> Vec<String> {
    o.stderr
        .lines()
        .filter_map(|l| l.split_once('[').and_then(|(_, r)| r.split_once(']')))
        .map(|(code, _)| code.to_string())
        .collect()
}

#[test]
fn an_allow_comment_hides_its_warning_and_only_it() {
    let p = project(None);
    let o = Vpcc::new(["check", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(codes(&o), ["W0603", "W0602"], "{}", o.stderr);
    assert!(o.stderr.contains("`other`"), "{}", o.stderr);
    assert!(!o.stderr.contains("`spare`"), "{}", o.stderr);
}

#[test]
fn vpcc_toml_above_the_file_sets_levels() {
    let p = project(Some("[lints]\nW0603 = \"allow\"\nW0602 = \"deny\"\n"));
    let o = Vpcc::new(["check", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("error[W0602]"), "{}", o.stderr);
    assert!(
        o.stderr.contains("makes this warning an error"),
        "{}",
        o.stderr
    );
    assert_eq!(codes(&o), ["W0602"]);
    // A denied warning stops the model commands as an error does.
    let o = Vpcc::new(["routes", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 1, "{}", o.stderr);
    // From another directory, the file's project still applies (the
    // search starts at the file, not the working directory).
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let path = p.path().join("net/a.vpc");
    let o = Vpcc::new(["check", path.to_str().expect("UTF-8")])
        .cwd(elsewhere.path())
        .run();
    assert_eq!(o.code, 1, "{}", o.stderr);
}

#[test]
fn deny_warnings_in_vpcc_toml_fails_check_and_build() {
    let p = project(Some("deny-warnings = true\n"));
    let o = Vpcc::new(["check", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("warning[W0602]"), "{}", o.stderr);
    let o = Vpcc::new(["build", "net/a.vpc", "-o", "out"])
        .cwd(p.path())
        .run();
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        !p.path().join("out/a").exists(),
        "a denied file is not built"
    );
    // Without the setting, build writes it; `--deny-warnings` denies too.
    let p = project(None);
    let o = Vpcc::new(["build", "net/a.vpc", "-o", "out"])
        .cwd(p.path())
        .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(p.path().join("out/a/routes.json").is_file());
    let o = Vpcc::new(["build", "net/a.vpc", "-o", "out2", "--deny-warnings"])
        .cwd(p.path())
        .run();
    assert_eq!(o.code, 1, "{}", o.stderr);
}

#[test]
fn an_invalid_vpcc_toml_is_a_usage_error_with_its_position() {
    let p = project(Some("[lints]\nW0603 = \"allow\"\nE0106 = \"allow\"\n"));
    let o = Vpcc::new(["check", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("vpcc.toml`:3:1: `E0106` is an error"),
        "{}",
        o.stderr
    );
    let p = project(Some("[lint]\n"));
    let o = Vpcc::new(["check", "net/a.vpc"]).cwd(p.path()).run();
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("lint"), "{}", o.stderr);
}

#[test]
fn sarif_keeps_suppressed_results_with_their_kind_and_justification() {
    let p = project(Some("[lints]\nW0602 = \"allow\"\n"));
    let o = Vpcc::new(["check", "--message-format", "sarif", "net/a.vpc"])
        .cwd(p.path())
        .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let log: Value = serde_json::from_str(&o.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let by_rule =
        |rule: &str| -> Vec<&Value> { results.iter().filter(|r| r["ruleId"] == rule).collect() };
    let w0603 = by_rule("W0603");
    assert_eq!(w0603.len(), 2, "{results:#?}");
    // `other` is reported, `spare` suppressed in the source.
    assert!(w0603[0].get("suppressions").is_none());
    assert_eq!(w0603[1]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        w0603[1]["suppressions"][0]["justification"],
        "kept for later"
    );
    let w0602 = by_rule("W0602");
    assert_eq!(w0602.len(), 1);
    assert_eq!(w0602[0]["suppressions"][0]["kind"], "external");
}

/// The formatter keeps every allow comment where it covers the same
/// statements: the formatted fixtures have the same diagnostics.
#[test]
fn formatting_keeps_what_each_allow_covers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/suppress");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let src = std::fs::read_to_string(&path).expect("read");
        // Squeeze the layout the formatter restores: blank lines out,
        // trailing comments pushed right.
        let squeezed: String = src
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{}\n", l.replacen(" #", "      #", 1)))
            .collect();
        let formatted = vpc::fmt::format(&squeezed).expect("fixture parses");
        let codes = |text: &str| -> Vec<String> {
            vpc::compile(text)
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect()
        };
        assert_eq!(codes(&src), codes(&formatted), "{}", path.display());
        assert_eq!(codes(&squeezed), codes(&formatted), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 3);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Allow comments of any shape, anywhere in a real file, never make
    /// compilation panic, never suppress an error, and leave the reported
    /// diagnostics sorted; every suppressed diagnostic is a warning.
    #[test]
    fn any_allow_comment_is_handled(
        line in 0usize..40,
        body in "(allow)?[ ,]{0,2}([EeWw]0[0-9]{3}[ ,]{0,2}){0,3}[a-z{}\" ]{0,12}",
        own_line in proptest::bool::ANY,
    ) {
        let base = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/suppress/allowed.vpc"),
        )
        .expect("fixture");
        let lines: Vec<&str> = base.lines().collect();
        let at = line.min(lines.len());
        let mut text = String::new();
        for (i, l) in lines.iter().enumerate() {
            if i == at && own_line {
                text.push_str(&format!("# vpcc: {body}\n"));
            }
            text.push_str(l);
            if i == at && !own_line {
                text.push_str(&format!("   # vpcc: {body}"));
            }
            text.push('\n');
        }
        let plain = vpc::compile(&base);
        let c = vpc::compile(&text);
        let errors = |d: &[vpc::diag::Diagnostic]| d.iter().filter(|d| d.is_error()).count();
        proptest::prop_assert_eq!(errors(&c.diagnostics), errors(&plain.diagnostics));
        proptest::prop_assert!(c.suppressed.iter().all(|s| !s.diagnostic.is_error()));
        let mut sorted = c.diagnostics.clone();
        vpc::diag::sort(&mut sorted);
        proptest::prop_assert_eq!(sorted, c.diagnostics);
    }
}
