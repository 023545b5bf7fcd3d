//! Hygiene checks on the source tree, run as plain tests.

use std::path::Path;

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
