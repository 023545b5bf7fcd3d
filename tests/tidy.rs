//! Hygiene checks on the source tree, run as plain tests.

use std::path::Path;

mod support;
use support::cli::vpcc;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The library does no I/O and does not print: only `main.rs` and `cli/`
/// may touch files, the process or the terminal.
#[test]
fn library_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let forbidden = [
        "std::fs",
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "std::process",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "std::env::",
    ];
    let mut offences = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "main.rs" || rel.starts_with("cli/") || rel == "cli.rs" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for pat in forbidden {
                if code.contains(pat) {
                    offences.push(format!("src/{rel}:{}: `{pat}`", n + 1));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "I/O in the library (move it to main.rs or cli/):\n{}",
        offences.join("\n")
    );
}

/// No test is skipped silently: an ignored test names the outside tool it
/// needs (`#[ignore = "needs mdbook"]`), and `scripts/test.sh` (the README's
/// test command, which `.ci/run` calls) installs the tools and runs them with
/// `--include-ignored`. A bare ignore attribute, or a reason that names no tool,
/// fails here.
#[test]
fn ignored_tests_name_the_tool_they_need() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    let bare = ["#[", "ignore]"].concat();
    let with_reason = ["#[", "ignore = \""].concat();
    let mut hits = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let bad = line.contains(&bare)
                || (line.starts_with(&with_reason)
                    && !line[with_reason.len()..].starts_with("needs "));
            if bad {
                hits.push(format!("{}:{}: {line}", f.display(), n + 1));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "ignored tests must say `#[ignore = \"needs TOOL\"]`:\n{}",
        hits.join("\n")
    );
}

/// ARCHITECTURE.md's table of where each diagnostic code is decided is
/// true: every code is in it, and each listed file produces its codes
/// (`Code::E0106` appears in one of the row's files).
#[test]
fn architecture_code_table_matches_the_tree() {
    use vpc::diag::Code;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let arch = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let table = arch
        .split("| file | codes |")
        .nth(1)
        .expect("ARCHITECTURE.md has the `| file | codes |` table");
    let index = |c: &str| Code::ALL.iter().position(|k| k.as_str() == c);
    let mut listed = std::collections::BTreeSet::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let files: Vec<String> = cells[1]
            .split(',')
            .filter_map(|f| f.split_whitespace().next())
            .map(|f| f.trim_matches('`').to_string())
            .collect();
        let text: String = files
            .iter()
            .map(|f| {
                std::fs::read_to_string(root.join("src").join(f))
                    .unwrap_or_else(|e| panic!("ARCHITECTURE.md names src/{f}: {e}"))
            })
            .collect();
        let words: Vec<&str> = cells[2]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '–'))
            .collect();
        for w in words {
            let (a, b) = w.split_once('–').unwrap_or((w, w));
            let (Some(i), Some(j)) = (index(a), index(b)) else {
                continue;
            };
            for code in &Code::ALL[i..=j] {
                assert!(
                    text.contains(&format!("Code::{code}")),
                    "ARCHITECTURE.md says {files:?} produce {code}, but none names Code::{code}"
                );
                listed.insert(*code);
            }
        }
    }
    let missing: Vec<_> = Code::ALL.iter().filter(|c| !listed.contains(c)).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code table lacks {missing:?}"
    );
}

/// User-facing text cites AWS's pages, never the project's internal
/// documents by section: the command line's help has no `§` (the
/// explanations are checked in `ui::every_code_is_explained`).
#[test]
fn help_cites_no_internal_sections() {
    let mut help = vpcc(["--help"]).stdout;
    for sub in [
        "check", "build", "routes", "graph", "reach", "report", "diff", "fmt", "export", "explain",
    ] {
        help.push_str(&vpcc([sub, "--help"]).stdout);
    }
    assert!(
        !help.contains('§'),
        "a --help text cites an internal section"
    );
}
