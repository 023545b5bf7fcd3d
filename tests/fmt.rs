//! `vpcc fmt`: the formatter over every example and fixture, and the CLI.
//!
//! For every `.vpc` file of `examples/` and `tests/` that parses:
//! formatting keeps the AST (spans aside), is idempotent, and keeps every
//! comment. Files that do not parse must be refused with their diagnostics.

use std::path::{Path, PathBuf};

mod support;
use support::cli::{Vpcc, vpcc};

use vpc::fmt::{comments, format};

fn vpc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            vpc_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "vpc") {
            out.push(path);
        }
    }
}

fn all_fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    vpc_files(&root.join("examples"), &mut files);
    vpc_files(&root.join("tests"), &mut files);
    files
}

/// The AST's debug text with every `Span { start: N, end: M }` blanked.
fn without_spans(ast: &vpc::syntax::ast::File) -> String {
    let text = format!("{ast:#?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        let close = rest[i..].find('}').map_or(rest.len(), |j| i + j + 1);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

fn comment_texts(src: &str) -> Vec<String> {
    comments::scan(src).into_iter().map(|c| c.text).collect()
}

#[test]
fn every_fixture_round_trips() {
    let files = all_fixtures();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("nat-bastion-endpoints.vpc")),
        "examples not found"
    );
    let mut formatted_count = 0;
    for path in &files {
        let src = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let parsed = vpc::syntax::parse(&src);
        let out = match (format(&src), parsed) {
            (Ok(out), Ok(ast)) => {
                let again = vpc::syntax::parse(&out).unwrap_or_else(|d| {
                    panic!(
                        "{}: formatted text does not parse: {d:?}\n{out}",
                        path.display()
                    )
                });
                assert_eq!(
                    without_spans(&again),
                    without_spans(&ast),
                    "{}: formatting changed the AST",
                    path.display()
                );
                out
            }
            (Err(fmt_errors), Err(parse_errors)) => {
                assert_eq!(fmt_errors, parse_errors, "{}", path.display());
                continue;
            }
            (Ok(_), Err(_)) => panic!(
                "{}: a file that does not parse was formatted",
                path.display()
            ),
            (Err(d), Ok(_)) => panic!("{}: a file that parses was refused: {d:?}", path.display()),
        };
        formatted_count += 1;
        assert_eq!(
            format(&out).as_deref(),
            Ok(out.as_str()),
            "{}: not idempotent",
            path.display()
        );
        assert_eq!(
            comment_texts(&out),
            comment_texts(&src),
            "{}: comments changed",
            path.display()
        );
        assert_eq!(
            out.matches('#').count(),
            src.matches('#').count(),
            "{}: a `#` was lost",
            path.display()
        );
    }
    assert!(
        formatted_count >= 6,
        "only {formatted_count} files formatted"
    );
}

#[test]
fn examples_are_formatted() {
    for path in all_fixtures()
        .iter()
        .filter(|p| p.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")))
    {
        let src = std::fs::read_to_string(path).expect("example is UTF-8");
        assert_eq!(
            format(&src).as_deref(),
            Ok(src.as_str()),
            "{} is not formatted; run `vpcc fmt`",
            path.display()
        );
    }
}

/// Re-lays an example out with other whitespace: indentation is dropped and
/// every line break becomes spaces, except around comments (a comment ends
/// its line, and an own-line comment must stay on its own line). The
/// formatter must restore the original.
#[test]
fn squashed_examples_are_restored() {
    for path in all_fixtures()
        .iter()
        .filter(|p| p.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")))
    {
        let src = std::fs::read_to_string(path).expect("example is UTF-8");
        let lines: Vec<&str> = src
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut squashed = String::new();
        for (i, line) in lines.iter().enumerate() {
            squashed.push_str(line);
            let next_is_comment = lines.get(i + 1).is_some_and(|l| l.starts_with('#'));
            squashed.push_str(if line.contains('#') || next_is_comment {
                "\n"
            } else {
                "   "
            });
        }
        let out = format(&squashed).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        // Blank lines next to comments come from the source, so compare
        // with blank lines removed on both sides.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&out), strip(&src), "{}", path.display());
    }
}

// --- the command line -------------------------------------------------------

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcc-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const MESSY: &str = "region x # r\nvpc v 10.0.0.0/16 {internet_gateway igw}\n";
const TIDY: &str = "region x # r\n\nvpc v 10.0.0.0/16 {\n  internet_gateway igw\n}\n";

#[test]
fn check_reports_a_diff_and_exits_1_without_writing() {
    let dir = temp_dir("check");
    let messy = dir.join("messy.vpc");
    let tidy = dir.join("tidy.vpc");
    std::fs::write(&messy, MESSY).expect("write");
    std::fs::write(&tidy, TIDY).expect("write");

    let out = vpcc(["fmt", "--check", tidy.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());

    let out = vpcc([
        "fmt",
        "--check",
        tidy.to_str().expect("path"),
        messy.to_str().expect("path"),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let diff = out.stdout;
    let name = messy.display().to_string();
    assert!(
        diff.starts_with(&format!("--- {name}\n+++ {name} (formatted)\n@@ ")),
        "{diff}"
    );
    assert!(
        diff.contains("\n-vpc v 10.0.0.0/16 {internet_gateway igw}\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n+vpc v 10.0.0.0/16 {\n+  internet_gateway igw\n+}\n"),
        "{diff}"
    );
    assert!(!diff.contains("tidy.vpc"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&messy).expect("read"),
        MESSY,
        "--check wrote the file"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_rewrites_in_place() {
    let dir = temp_dir("write");
    let messy = dir.join("messy.vpc");
    std::fs::write(&messy, MESSY).expect("write");
    let out = vpcc(["fmt", messy.to_str().expect("path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), TIDY);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");
    let out = vpcc(["fmt", "--check", messy.to_str().expect("path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn syntax_errors_are_reported_and_the_file_left_alone() {
    let dir = temp_dir("error");
    let bad = dir.join("bad.vpc");
    std::fs::write(&bad, "vpc main {\n").expect("write");
    for args in [vec!["fmt"], vec!["fmt", "--check"]] {
        let mut args = args.clone();
        args.push(bad.to_str().expect("path"));
        let out = vpcc(&args);
        assert_eq!(out.code, 1, "{}", out.stderr);
        let stderr = out.stderr;
        assert!(stderr.contains("error[E0001]"), "{stderr}");
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read_to_string(&bad).expect("read"), "vpc main {\n");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_file_is_an_io_error() {
    let out = vpcc(["fmt", "/nonexistent/x.vpc"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn stdin_to_stdout() {
    let out = Vpcc::new(["fmt", "-"]).stdin(MESSY.as_bytes()).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, TIDY);

    let out = Vpcc::new(["fmt", "--check", "-"])
        .stdin(MESSY.as_bytes())
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("--- <stdin>\n+++ <stdin> (formatted)\n")
    );

    let out = Vpcc::new(["fmt", "--check", "-"])
        .stdin(TIDY.as_bytes())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

// --- random layouts ---------------------------------------------------------

/// The whitespace runs of `src` outside comments and strings, as byte
/// ranges, with whether a comment ends just before the run.
fn gaps(src: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_comment = false;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                i = src[i..].find('\n').map_or(src.len(), |n| i + n);
                after_comment = true;
            }
            b'"' => {
                i += 1 + src[i + 1..].find('"').unwrap_or(0) + 1;
                after_comment = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                out.push((start..i, after_comment));
                after_comment = false;
            }
            _ => {
                i += 1;
                after_comment = false;
            }
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any re-layout of an example, with comments added anywhere a comment
    /// can go, formats to the same AST, keeps every comment in order, and
    /// is a fixed point after one pass.
    #[test]
    fn random_layouts_and_comments(example in 0usize..6, choices in proptest::collection::vec(0u8..6, 1..400)) {
        let files: Vec<PathBuf> = all_fixtures()
            .into_iter()
            .filter(|p| p.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")))
            .collect();
        let path = &files[example % files.len()];
        let src = std::fs::read_to_string(path).expect("example");
        let mut mangled = String::new();
        let mut last = 0;
        for (n, (gap, after_comment)) in gaps(&src).into_iter().enumerate() {
            mangled.push_str(&src[last..gap.start]);
            let choice = choices[n % choices.len()];
            let piece = match choice {
                0 if !after_comment => " ".to_string(),
                0 | 1 => "\n".to_string(),
                2 => "\n\n\n".to_string(),
                3 if !after_comment => format!(" # t{n}\n"),
                3 | 4 => format!("\n# o{n}\n"),
                _ => "\r\n  \t".to_string(),
            };
            mangled.push_str(&piece);
            last = gap.end;
        }
        mangled.push_str(&src[last..]);

        let ast = vpc::syntax::parse(&src).expect("example parses");
        let mangled_ast = vpc::syntax::parse(&mangled).expect("mangled text parses");
        proptest::prop_assert_eq!(without_spans(&mangled_ast), without_spans(&ast));
        let out = format(&mangled).expect("formats");
        let again = vpc::syntax::parse(&out).expect("output parses");
        proptest::prop_assert_eq!(without_spans(&again), without_spans(&ast));
        proptest::prop_assert_eq!(comment_texts(&out), comment_texts(&mangled));
        proptest::prop_assert_eq!(format(&out).expect("formats again"), out);
    }
}

/// Issue 21: `fmt --check` was quadratic (11.9 s on a 750 KB file, past
/// 60 s on a 5 MB line). Past 2,000 changed lines it now reports the count
/// instead of a diff, found in linear time; a one-line file of 20,000
/// statements is the worst case (one old line against 20,000 new ones).
#[test]
fn check_on_a_huge_change_reports_the_count() {
    let mut src = String::from("vpc v 10.0.0.0/16 {");
    for i in 0..20_000 {
        src.push_str(&format!(
            " security_group g{i} {{ ingress tcp 22 from 10.0.0.0/8 }}"
        ));
    }
    src.push_str(" }\n");
    let out = Vpcc::new(["fmt", "--check", "-"])
        .stdin(src.as_bytes())
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let stdout = out.stdout;
    assert!(
        stdout.contains("lines differ from the formatted text"),
        "{}",
        &stdout[..stdout.len().min(500)]
    );
    assert!(
        stdout.len() < 1000,
        "a diff was printed: {} bytes",
        stdout.len()
    );

    // A small change still gets the diff.
    let out = Vpcc::new(["fmt", "--check", "-"])
        .stdin(MESSY.as_bytes())
        .run();
    let stdout = out.stdout;
    assert!(stdout.contains("\n@@ "), "{stdout}");
}
