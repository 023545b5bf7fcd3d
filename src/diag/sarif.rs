//! SARIF 2.1.0 output (`vpcc check --message-format sarif`), for CI and
//! code scanning (GitHub, GitLab, Azure DevOps).
//!
//! One log holds one run for all files of the invocation. The rules are
//! the whole code registry (id, title, explanation, default level), so a
//! result's `ruleIndex` is its code's position in [`Code::ALL`]. Regions
//! use 1-based lines and columns counted in Unicode code points
//! (`columnKind: unicodeCodePoints`); `endColumn` is exclusive, as SARIF
//! says. Secondary labels become `relatedLocations`; notes and the help
//! line are appended to the message text.

use serde_json::{Value, json};

use super::suppress::{Suppressed, SuppressedBy};
use super::{Code, Diagnostic, Label, Severity};
use crate::source::{Span, line_col};

/// The diagnostics of one file of the run.
#[derive(Clone, Copy, Debug)]
pub struct FileDiagnostics<'a> {
    /// The path as the user wrote it; it becomes the artifact URI.
    pub path: &'a str,
    pub src: &'a str,
    pub diagnostics: &'a [Diagnostic],
    /// Warnings suppressed by allow comments or `vpcc.toml`: results with a
    /// `suppressions` entry, as SARIF 2.1.0 keeps them (`result.suppressions`).
    pub suppressed: &'a [Suppressed],
}

/// The SARIF log for one run over `files`, pretty-printed, ending in a
/// newline.
pub fn render(files: &[FileDiagnostics<'_>]) -> String {
    let mut text = serde_json::to_string_pretty(&log(files)).unwrap_or_default();
    text.push('\n');
    text
}

/// The SARIF log as a JSON value.
pub fn log(files: &[FileDiagnostics<'_>]) -> Value {
    let results: Vec<Value> = files
        .iter()
        .flat_map(|f| {
            let reported = f.diagnostics.iter().map(move |d| result(f.path, f.src, d));
            let suppressed = f.suppressed.iter().map(move |s| {
                let mut r = result(f.path, f.src, &s.diagnostic);
                r["suppressions"] = json!([suppression(s)]);
                r
            });
            reported.chain(suppressed)
        })
        .collect();
    let artifacts: Vec<Value> = files
        .iter()
        .map(|f| json!({ "location": artifact(f.path), "length": f.src.len() }))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "vpcc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": Code::ALL.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": {
                SRCROOT: { "description": { "text": "The directory vpcc ran in: relative paths are resolved against it." } }
            },
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn suppression(s: &Suppressed) -> Value {
    let kind = match s.by {
        SuppressedBy::InSource => "inSource",
        SuppressedBy::Config => "external",
    };
    let mut v = json!({ "kind": kind, "status": "accepted" });
    let justification = match (&s.justification, s.by) {
        (Some(reason), _) => Some(reason.as_str()),
        (None, SuppressedBy::Config) => Some("allowed in vpcc.toml"),
        (None, SuppressedBy::InSource) => None,
    };
    if let Some(j) = justification {
        v["justification"] = json!(j);
    }
    v
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(code: Code) -> Value {
    json!({
        "id": code.as_str(),
        "shortDescription": { "text": code.title() },
        "helpUri": code.help_uri(),
        "help": { "text": code.explanation(), "markdown": code.explanation() },
        "defaultConfiguration": { "level": level(code.severity()) },
    })
}

fn result(path: &str, src: &str, d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if !d.primary.message.is_empty() {
        text.push_str(": ");
        text.push_str(&d.primary.message);
    }
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let rule_index = Code::ALL
        .iter()
        .position(|c| *c == d.code)
        .unwrap_or_default();
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(i, label)| related_location(i, path, src, label))
        .collect();
    let mut value = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(path, src, d.primary.span) }],
    });
    if !related.is_empty() {
        value["relatedLocations"] = Value::Array(related);
    }
    value
}

fn related_location(index: usize, path: &str, src: &str, label: &Label) -> Value {
    json!({
        "id": index,
        "physicalLocation": physical(path, src, label.span),
        "message": { "text": label.message },
    })
}

fn physical(path: &str, src: &str, span: Span) -> Value {
    let (start_line, start_column) = line_col(src, span.start as usize);
    let (end_line, end_column) = line_col(src, span.end as usize);
    json!({
        "artifactLocation": artifact(path),
        "region": {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    })
}

/// The base a relative path is resolved against: the checkout's root, as
/// GitHub code scanning and other SARIF viewers name it.
pub const SRCROOT: &str = "%SRCROOT%";

/// An artifact location: a relative path is a URI reference with
/// `uriBaseId` [`SRCROOT`] (run `vpcc check` from the repository's root);
/// an absolute one a `file://` URI alone.
fn artifact(path: &str) -> Value {
    let uri = uri(path);
    if uri.starts_with("file:") {
        json!({ "uri": uri })
    } else {
        json!({ "uri": uri, "uriBaseId": SRCROOT })
    }
}

/// A URI reference for a path: relative paths stay relative (code
/// scanning resolves them against the repository root), absolute ones
/// become `file://` URIs; backslashes become slashes and anything outside
/// the unreserved set is percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if path.as_bytes().get(1) == Some(&b':') {
        out.push_str("file:///");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if out.starts_with("file:///") && out.len() == 9 => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic() -> Diagnostic {
        Diagnostic::new(
            Code::E0106,
            "subnets `a` and `b` overlap",
            Span::new(22, 33),
            "overlaps `a`",
        )
        .with_secondary(Span::new(7, 18), "`a` declared here")
        .with_note("10.0.1.0/24 spans 10.0.1.0–10.0.1.255")
        .with_help("move `b`")
    }

    #[test]
    fn result_has_rule_level_message_and_regions() {
        let src = "ab\n é 10.0.1.0/24\n   10.0.1.0/24\n";
        let d = diagnostic();
        let v = log(&[FileDiagnostics {
            path: "dir/x y.vpc",
            src,
            diagnostics: std::slice::from_ref(&d),
            suppressed: &[],
        }]);
        let run = &v["runs"][0];
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "E0106");
        assert_eq!(
            run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "E0106"
        );
        assert_eq!(r["level"], "error");
        let text = r["message"]["text"].as_str().unwrap();
        assert!(
            text.starts_with("subnets `a` and `b` overlap: overlaps `a`\nnote: 10.0.1.0/24"),
            "{text}"
        );
        assert!(text.ends_with("\nhelp: move `b`"), "{text}");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/x%20y.vpc");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], SRCROOT);
        let abs = log(&[FileDiagnostics {
            path: "/abs/a.vpc",
            src,
            diagnostics: std::slice::from_ref(&d),
            suppressed: &[],
        }]);
        let loc = &abs["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"],
            json!({ "uri": "file:///abs/a.vpc" })
        );
        assert_eq!(
            loc["region"],
            json!({"startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": 15})
        );
        let rel = &r["relatedLocations"][0];
        assert_eq!(rel["message"]["text"], "`a` declared here");
        // `é` is two bytes but one code point: the label starts at byte 7,
        // column 4.
        assert_eq!(rel["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(rel["physicalLocation"]["region"]["startColumn"], 4);
        assert_eq!(rel["physicalLocation"]["region"]["endColumn"], 15);
    }

    #[test]
    fn every_code_is_a_rule_with_its_default_level() {
        let v = log(&[]);
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        for (rule, code) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule["id"], code.as_str());
            assert_eq!(rule["shortDescription"]["text"], code.title());
            let want = if code.as_str().starts_with('W') {
                "warning"
            } else {
                "error"
            };
            assert_eq!(rule["defaultConfiguration"]["level"], want);
        }
        assert_eq!(v["runs"][0]["results"], json!([]));
    }

    #[test]
    fn uris() {
        assert_eq!(uri("examples/a.vpc"), "examples/a.vpc");
        assert_eq!(uri("/tmp/a b.vpc"), "file:///tmp/a%20b.vpc");
        assert_eq!(uri("C:\\x\\a.vpc"), "file:///C:/x/a.vpc");
        assert_eq!(uri("ü.vpc"), "%C3%BC.vpc");
    }
}
