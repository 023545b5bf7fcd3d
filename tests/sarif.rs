//! `vpcc check --message-format sarif`: the log validates against the
//! vendored SARIF 2.1.0 schema (`tests/schemas/`) and says what the
//! diagnostics say.

use std::path::Path;

mod support;
use support::cli::Vpcc;

use serde_json::{Value, json};
use vpc::diag::sarif::{FileDiagnostics, log};
use vpc::diag::{Code, Diagnostic};
use vpc::source::Span;

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema"))
        .expect("schema is JSON");
    // The published schema's `language` patterns have a stray `]`, a
    // literal in ECMAScript but an error for the Rust regex engine; escape
    // it, which keeps the ECMAScript meaning. The file itself is unchanged.
    assert_eq!(escape_stray_bracket(&mut schema), 2);
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn escape_stray_bracket(schema: &mut Value) -> usize {
    match schema {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, value)| {
                if key == "pattern" && *value == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *value = json!("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$");
                    1
                } else {
                    escape_stray_bracket(value)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

#[track_caller]
fn assert_valid(log: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{log:#}",
        errors.join("\n")
    );
}

fn check_sarif(files: &[&str]) -> (Option<i32>, Value) {
    let out = Vpcc::new(["check", "--message-format", "sarif"])
        .args(files)
        .run();
    let text = out.stdout;
    let log = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{text}"));
    (Some(out.code), log)
}

#[test]
fn the_validator_rejects_a_broken_log() {
    // Guards the other tests: a validator that accepted anything would
    // make them pass vacuously.
    let mut bad = log(&[]);
    bad["runs"][0]["results"] =
        json!([{ "ruleId": "E0001", "level": "fatal", "message": { "text": "x" } }]);
    assert!(!validator().is_valid(&bad));
    assert!(!validator().is_valid(&json!({ "version": "2.1.0" })));
}

#[test]
fn a_clean_run_is_valid_with_no_results() {
    let (code, log) = check_sarif(&["examples/nat-bastion-endpoints.vpc", "examples/peering.vpc"]);
    assert_eq!(code, Some(0));
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "vpcc");
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().map(Vec::len),
        Some(Code::ALL.len())
    );
    assert_eq!(
        run["artifacts"][1]["location"]["uri"],
        "examples/peering.vpc"
    );
    assert_eq!(run["results"], json!([]));
}

/// GitHub code scanning links a rule to its `helpUri` and the tool to its
/// `informationUri`, and resolves relative artifact URIs through
/// `originalUriBaseIds`.
#[test]
fn rules_link_to_the_code_reference() {
    let (_, log) = check_sarif(&["tests/ui/cidr/host_bits_set.vpc"]);
    assert_valid(&log);
    let driver = &log["runs"][0]["tool"]["driver"];
    let info = driver["informationUri"].as_str().expect("informationUri");
    assert!(info.starts_with("https://"), "{info}");
    let reference = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md"),
    )
    .expect("docs/codes.md");
    for (rule, code) in driver["rules"].as_array().unwrap().iter().zip(Code::ALL) {
        let uri = rule["helpUri"].as_str().expect("helpUri");
        let (page, anchor) = uri.split_once('#').expect("an anchor");
        assert!(
            page.starts_with(info) && page.ends_with("/docs/codes.md"),
            "{uri}"
        );
        assert_eq!(anchor, code.as_str().to_ascii_lowercase());
        assert!(
            reference.contains(&format!("\n## {}\n", code.as_str())),
            "docs/codes.md has no section for {}",
            code.as_str()
        );
    }
    let base = &log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"];
    assert!(base.is_object(), "{log}");
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
        assert!(!loc["uri"].as_str().unwrap().starts_with('/'));
    }
}

#[test]
fn errors_of_several_files_go_into_one_run() {
    let dir = std::env::temp_dir().join(format!("vpcc-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let syntax = dir.join("syntax.vpc");
    let literals = dir.join("literals.vpc");
    std::fs::write(&syntax, "region x\nvpc main {\n").expect("write");
    std::fs::write(&literals, "external e 10.0.0.256/32, 10.0.0.0/33\n").expect("write");
    let (code, log) = check_sarif(&[
        syntax.to_str().expect("path"),
        literals.to_str().expect("path"),
    ]);
    assert_eq!(code, Some(1));
    assert_valid(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().expect("ruleId"))
        .collect();
    assert_eq!(ids, ["E0001", "E0101", "E0101"]);
    let first = &results[0]["locations"][0]["physicalLocation"];
    assert!(
        first["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .ends_with("/syntax.vpc")
    );
    assert_eq!(first["region"]["startLine"], 2);
    assert_eq!(first["region"]["startColumn"], 10);
    let octet = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        *octet,
        json!({"startLine": 1, "startColumn": 19, "endLine": 1, "endColumn": 22})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn secondary_labels_become_related_locations() {
    let src = "vpc v 10.0.0.0/16 {\n  subnet a 10.0.1.0/24\n  subnet b 10.0.1.0/25\n}\n";
    let a = src.find("10.0.1.0/24").expect("a");
    let b = src.find("10.0.1.0/25").expect("b");
    let d = Diagnostic::new(
        Code::E0106,
        "subnets `b` and `a` overlap",
        Span::new(b, b + 11),
        "overlaps `a`",
    )
    .with_secondary(Span::new(a, a + 11), "`a` is here");
    let warning = Diagnostic::new(
        Code::W0603,
        "route table `r` is not used",
        Span::new(0, 3),
        "unused",
    );
    let diagnostics = [d, warning];
    let log = log(&[FileDiagnostics {
        path: "net.vpc",
        src,
        diagnostics: &diagnostics,
        suppressed: &[],
    }]);
    assert_valid(&log);
    let results = &log["runs"][0]["results"];
    assert_eq!(
        results[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        results[0]["relatedLocations"][0]["message"]["text"],
        "`a` is here"
    );
    assert_eq!(results[1]["level"], "warning");
    assert!(results[1].get("relatedLocations").is_none());
}

#[test]
fn suppressed_results_are_valid_sarif() {
    let (code, log) = check_sarif(&["tests/ui/suppress/allowed.vpc"]);
    assert_eq!(code, Some(0));
    assert_valid(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2, "{results:#?}");
    assert_eq!(
        suppressed[1]["suppressions"][0]["justification"],
        "break-glass access, reviewed"
    );
}
