//! UI tests: every `tests/ui/**/*.vpc` is compiled and its diagnostics are
//! snapshotted, colourless, under the source they point into.
//!
//! A fixture may declare the codes it must produce with header comments
//! `# code: E0106`; the test fails when one of them is missing. A tidy test
//! checks that every code of the registry has such a fixture and a real
//! explanation. A fixture with the header `# command: export` is also
//! exported (`vpc::export::plan`) when it checks clean, and the export's
//! diagnostics (E0701) join the checker's. Review new snapshots with `cargo insta review` (or run with
//! `INSTA_UPDATE=always` and read every `.snap` file before committing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vpc::diag::Code;
use vpc::diag::render::{Format, render};

/// Codes that have no fixture yet, with the reason (none today: every
/// code, E0501 included, has one).
const NO_FIXTURE_YET: &[Code] = &[];

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui")
}

/// The codes a fixture's `# code: X` headers ask for.
fn declared_codes(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| l.trim().strip_prefix("# code:"))
        .flat_map(|rest| rest.split(',').map(|c| c.trim().to_string()))
        .filter(|c| !c.is_empty())
        .collect()
}

/// The diagnostics of a fixture: the compiler's, then, for a fixture
/// marked `# command: export` that compiles clean, the export's.
fn diagnostics(src: &str) -> Vec<vpc::diag::Diagnostic> {
    let export = src.lines().any(|l| l.trim() == "# command: export");
    compile_diagnostics(src, export)
}

fn compile_diagnostics(src: &str, export: bool) -> Vec<vpc::diag::Diagnostic> {
    let compilation = vpc::compile(src);
    let mut diags = compilation.diagnostics;
    if export
        && let Some(model) = &compilation.model
        && let Err(more) = vpc::export::plan(model, "fixture.vpc")
    {
        diags.extend(more);
    }
    diags
}

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/ui is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            fixtures(&p, out);
        } else if p.extension().is_some_and(|e| e == "vpc") {
            out.push(p);
        }
    }
}

#[test]
fn ui() {
    insta::glob!("ui/**/*.vpc", |path| {
        let src = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let name = path
            .strip_prefix(ui_dir())
            .expect("fixture under tests/ui")
            .to_string_lossy()
            .replace('\\', "/");
        let diags = diagnostics(&src);
        let rendered = render(Format::Human, &name, &src, &diags, false);
        let produced: BTreeSet<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        for code in declared_codes(&src) {
            assert!(
                produced.contains(code.as_str()),
                "{name}: declares `# code: {code}` but produced {produced:?}"
            );
        }
        insta::assert_snapshot!(format!(
            "----- SOURCE -----\n{src}----- DIAGNOSTICS -----\n{rendered}"
        ));
    });
}

/// Every code of the registry is produced by at least one fixture (except
/// the known exceptions above), and every declared code is a real one.
#[test]
fn every_code_has_a_fixture() {
    let mut files = Vec::new();
    fixtures(&ui_dir(), &mut files);
    let mut produced = BTreeSet::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("fixture is UTF-8");
        for code in declared_codes(&src) {
            assert!(
                Code::parse(&code).is_some(),
                "{}: unknown code `{code}` in a header",
                f.display()
            );
        }
        produced.extend(diagnostics(&src).iter().map(|d| d.code));
    }
    let missing: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|c| !produced.contains(c) && !NO_FIXTURE_YET.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture under tests/ui that produces them: {missing:?}"
    );
    for c in NO_FIXTURE_YET {
        assert!(
            !produced.contains(c),
            "{c} now has a fixture: remove it from NO_FIXTURE_YET"
        );
    }
}

/// Every code has a real explanation: no placeholder, an example, and the
/// text starts with something other than the bare title.
#[test]
fn every_code_is_explained() {
    for code in Code::ALL {
        let text = code.explanation();
        assert!(
            !text.contains("TODO"),
            "{code}: explain/{code}.md is still a placeholder"
        );
        assert!(
            text.lines().count() >= 8,
            "{code}: explain/{code}.md is too short"
        );
        assert!(
            text.contains("```"),
            "{code}: explain/{code}.md has no example"
        );
        // User text cites AWS's pages, not internal sections.
        assert!(
            !text.contains('§') && !text.contains("aws-facts"),
            "{code}: explain/{code}.md cites an internal section"
        );
    }
}

/// Messages follow the house style: lowercase start (unless a name or a
/// keyword starts it), no trailing period.
#[test]
fn messages_follow_the_style() {
    let mut files = Vec::new();
    fixtures(&ui_dir(), &mut files);
    for f in &files {
        let src = std::fs::read_to_string(f).expect("fixture is UTF-8");
        for d in diagnostics(&src) {
            let m = &d.message;
            assert!(
                !m.ends_with('.'),
                "{}: message ends with a period: {m}",
                f.display()
            );
            // An acronym may start a message (`VPC`, `CIDR`, `NAT`, `IPv6`).
            let word = m.split_whitespace().next().unwrap_or_default();
            let acronym = word == "IPv6" || word.chars().all(|c| c.is_ascii_uppercase());
            let ok = !m.starts_with(|c: char| c.is_uppercase()) || acronym;
            assert!(ok, "{}: message starts with a capital: {m}", f.display());
            if let Some(h) = &d.help {
                assert!(
                    !h.ends_with('.'),
                    "{}: help ends with a period: {h}",
                    f.display()
                );
            }
        }
    }
}

/// The ten-mistakes fixture reports all ten in one run.
#[test]
fn ten_mistakes_in_one_run() {
    let src = std::fs::read_to_string(ui_dir().join("multi/ten_mistakes.vpc")).expect("fixture");
    let compilation = vpc::compile(&src);
    let codes: BTreeSet<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    let expected: BTreeSet<&str> = src
        .lines()
        .filter_map(|l| l.split_once("# E").map(|(_, r)| r))
        .map(|r| &r[..4])
        .map(|n| {
            // "E" was split off; find the code again in the registry.
            Code::ALL
                .iter()
                .find(|c| &c.as_str()[1..] == n)
                .expect("a registry code")
                .as_str()
        })
        .collect();
    assert_eq!(expected.len(), 10, "the fixture marks ten mistakes");
    assert_eq!(
        codes, expected,
        "every mistake is reported, and nothing else"
    );
    assert!(compilation.model.is_none());
}

/// The ```vpc blocks of an explanation, in order.
fn examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```vpc") => current = Some(String::new()),
            (Some(_), "```") => out.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    out
}

/// Explanations whose failing example needs the reachability engine (E0501
/// is produced elsewhere), so the checker alone cannot confirm it.
const FRAGMENT_EXAMPLES: &[Code] = &[Code::E0501];

/// The first example of each explanation produces its code, and a complete
/// second example (the fix) does not: explanations cannot drift from the
/// checker.
#[test]
fn explanation_examples_are_accurate() {
    let mut problems = Vec::new();
    for code in Code::ALL {
        let blocks = examples(code.explanation());
        assert!(
            blocks.len() >= 2,
            "{code}: needs a failing and a fixed example"
        );
        if FRAGMENT_EXAMPLES.contains(code) {
            continue;
        }
        // E0701 comes from `vpcc export`, not from the checker.
        let export = *code == Code::E0701;
        let failing = compile_diagnostics(&blocks[0], export);
        if !failing.iter().any(|d| d.code == *code) {
            let got: Vec<String> = failing
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            problems.push(format!(
                "{code}: the first example does not produce it, but {got:?}"
            ));
        }
        // A fix written as a whole file (starting with a top-level
        // statement) must be free of the code.
        let fixed = &blocks[1];
        let whole = ["vpc ", "region ", "external ", "peering "]
            .iter()
            .any(|k| fixed.starts_with(k));
        if whole {
            let c = compile_diagnostics(fixed, export);
            if c.iter().any(|d| d.code == *code) {
                problems.push(format!("{code}: the fixed example still produces it"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `docs/codes.md` is generated from the registry (SARIF's `helpUri` links
/// to its sections): it must be current. `VPCC_BLESS=1` rewrites it.
#[test]
fn code_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
    let generated = vpc::diag::codes::reference_markdown();
    if std::env::var_os("VPCC_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/codes.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/codes.md is out of date with src/diag/codes.rs: run `VPCC_BLESS=1 cargo test --test ui`"
    );
    // One section per code, in registry order, each anchor the one
    // `Code::help_uri` names.
    let headings: Vec<&str> = committed
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(headings, codes);
    for c in Code::ALL {
        let anchor = c.help_uri();
        let anchor = anchor.rsplit('#').next().unwrap();
        assert_eq!(anchor, c.as_str().to_ascii_lowercase());
    }
}
