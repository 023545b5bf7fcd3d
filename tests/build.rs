//! `vpcc build`: the layout of DIR, byte-identical reruns, inputs with
//! errors write nothing, names that would escape DIR, exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::cli::{Run, Vpcc, root, vpcc, vpcc_path};

/// `vpcc mdbook ARGS` with `input` on stdin.
fn preprocess(args: &[&str], input: &str) -> Run {
    Vpcc::new(["mdbook"]).args(args).stdin(input).run()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcc-build-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
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

/// The files `build` writes for `examples/NAME.vpc`, sorted: the graph
/// files only once `report::diagram_dot` and `diagram_svg` produce them.
fn outputs_of(name: &str) -> Vec<&'static str> {
    let src = std::fs::read_to_string(root().join(format!("examples/{name}.vpc"))).expect("read");
    let model = vpc::compile(&src).model.expect("model");
    let mut files = Vec::new();
    if vpc::report::diagram_dot(&model).is_some() {
        files.push("graph.dot");
    }
    if vpc::report::diagram_svg(&model).is_some() {
        files.push("graph.svg");
    }
    files.extend(["report.html", "report.json", "report.md", "routes.json"]);
    files
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn layout_is_name_slash_outputs() {
    let out = scratch("layout");
    let Run { code, stderr, .. } = vpcc([
        "build",
        "examples/nat-bastion-endpoints.vpc",
        "examples/peering.vpc",
        "-o",
        s(&out),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
    let mut expected = vec!["index.html".to_string()];
    for name in ["nat-bastion-endpoints", "peering"] {
        for file in outputs_of(name) {
            expected.push(format!("{name}/{file}"));
        }
    }
    assert_eq!(names, expected);
    let routes = std::fs::read(out.join("nat-bastion-endpoints/routes.json")).expect("routes");
    let expected = vpc::emit::json::to_string_pretty(
        &vpc::compile(
            &std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc"))
                .expect("read"),
        )
        .model
        .expect("model"),
    );
    assert_eq!(String::from_utf8_lossy(&routes), expected);
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
        let Run { code, stderr, .. } = vpcc(&run);
        assert_eq!(code, 0, "{stderr}");
    }
    let (ta, tb) = (tree(&a), tree(&b));
    let files: usize = examples
        .iter()
        .map(|e| {
            outputs_of(
                Path::new(e)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("stem"),
            )
            .len()
        })
        .sum();
    assert_eq!(ta.len(), files + 1, "every output and index.html");
    assert!(ta == tb, "two builds differ");
    // A rebuild over existing outputs leaves no temporary files behind.
    let mut run = args.clone();
    run.extend(["-o", s(&a)]);
    assert_eq!(vpcc(&run).code, 0);
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
    let Run { code, stderr, .. } = vpcc([
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
    let Run { code, stderr, .. } = vpcc([
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
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("peering/") || n == "index.html"),
        "{names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_out_dir_is_an_io_error() {
    let dir = scratch("io");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "x").expect("write");
    let Run { code, stderr, .. } = vpcc(["build", "examples/peering.vpc", "-o", s(&file)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot create"), "{stderr}");
    let Run { code, stderr, .. } = vpcc(["build", "no/such.vpc", "-o", s(&dir.join("out"))]);
    assert_eq!(code, 2, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- mdBook ------------------------------------------------------------

/// The `[context, book]` mdBook 0.5 sends, with one chapter.
fn book_json(root_dir: &Path, content: &str) -> String {
    serde_json::json!([
        {
            "root": root_dir,
            "config": {"book": {"title": "t", "src": "src"}},
            "renderer": "html",
            "mdbook_version": "0.5.4"
        },
        {"items": [{"Chapter": {
            "name": "A",
            "content": content,
            "number": [1],
            "sub_items": [],
            "path": "a.md",
            "source_path": "a.md",
            "parent_names": []
        }}]}
    ])
    .to_string()
}

#[test]
fn mdbook_preprocessor_protocol() {
    let Run { code, .. } = preprocess(&["supports", "html"], "");
    assert_eq!(code, 0);
    let book = root().join("book");
    let input = book_json(
        &book,
        "# A\n\n{{#vpc ../../examples/nat-bastion-endpoints.vpc}}\n\n```text\n{{#vpc nothing}}\n```\n",
    );
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = preprocess(&[], &input);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).expect("book JSON");
    let content = out["items"][0]["Chapter"]["content"]
        .as_str()
        .expect("content");
    assert!(content.contains("### Reachability"), "{content}");
    assert!(
        content.contains("| **admin** | tcp 22 via igw |"),
        "{content}"
    );
    assert!(
        content.contains("```text\n{{#vpc nothing}}\n```"),
        "{content}"
    );
    assert_eq!(out["items"][0]["Chapter"]["number"], serde_json::json!([1]));
}

#[test]
fn mdbook_preprocessor_fails_on_errors() {
    let input = book_json(
        &root().join("book"),
        "# A\n```vpc\nvpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 {}\n}\n```\n",
    );
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = preprocess(&[], &input);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("error["), "{stderr}");
    // The bad subnet is on line 4 of a.md (line 2 of the block).
    assert!(stderr.contains("a.md:4:"), "{stderr}");
    assert!(stderr.contains("subnet a 10.1.0.0/24"), "{stderr}");
}

/// Issue 21 item 8: anything but a `[context, book]` pair of objects on
/// stdin is refused with exit 2 and nothing on stdout (mdBook would
/// otherwise read our output as the book).
#[test]
fn mdbook_preprocessor_refuses_what_is_not_a_pair() {
    let book = book_json(&root().join("book"), "# A\n");
    let pair: serde_json::Value = serde_json::from_str(&book).expect("json");
    let cases = [
        ("", "EOF"),
        ("not json", "expected"),
        ("{}", "expected an array"),
        ("[]", "expected two elements"),
        (
            &*serde_json::json!([pair[0]]).to_string(),
            "expected two elements",
        ),
        (
            &*serde_json::json!([pair[0], pair[1], pair[1]]).to_string(),
            "expected two elements",
        ),
        (
            &*serde_json::json!([pair[0], 5]).to_string(),
            "expected two objects",
        ),
        (
            &*serde_json::json!(["context", pair[1]]).to_string(),
            "expected two objects",
        ),
    ];
    for (input, why) in cases {
        let Run {
            code,
            stdout,
            stderr,
            ..
        } = preprocess(&[], input);
        assert_eq!(code, 2, "{input:?}: {stderr}");
        assert!(stdout.is_empty(), "{input:?}: {stdout}");
        assert!(
            stderr.contains("not mdBook's [context, book] JSON") && stderr.contains(why),
            "{input:?}: {stderr}"
        );
    }
}

/// `mdbook` on PATH, if any.
fn find_mdbook() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("mdbook"))
        .find(|p| p.is_file())
}

#[test]
#[ignore = "needs mdbook (scripts/test.sh installs it)"]
fn the_sample_book_builds_with_mdbook() {
    let mdbook = find_mdbook()
        .expect("mdbook is not on PATH: cargo install mdbook --locked --version 0.5.4");
    let vpcc_dir = vpcc_path().parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(vpcc_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let out_dir = scratch("book");
    let out = Command::new(&mdbook)
        .args(["build", "book", "-d"])
        .arg(&out_dir)
        .current_dir(root())
        .env("PATH", &path)
        .output()
        .expect("mdbook runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "mdbook build failed:\n{stderr}");
    let html = std::fs::read_to_string(out_dir.join("reference.html")).expect("reference.html");
    assert!(
        html.contains("tcp 22 via igw"),
        "no matrix in reference.html"
    );
    let inline = std::fs::read_to_string(out_dir.join("inline.html")).expect("inline.html");
    assert!(
        inline.contains("tcp 443 via igw"),
        "no matrix in inline.html"
    );

    // A book with an error fails, with the diagnostics on stderr.
    let bad = scratch("bad-book");
    std::fs::create_dir_all(bad.join("src")).expect("mkdir");
    std::fs::write(
        bad.join("book.toml"),
        "[book]\ntitle = \"bad\"\n\n[preprocessor.vpc]\ncommand = \"vpcc mdbook\"\n",
    )
    .expect("write");
    std::fs::write(bad.join("src/SUMMARY.md"), "# Summary\n\n- [A](a.md)\n").expect("write");
    std::fs::write(
        bad.join("src/a.md"),
        "# A\n\n```vpc\nvpc v 10.0.0.0/16 {\n  subnet a 10.1.0.0/24 {}\n}\n```\n",
    )
    .expect("write");
    let out = Command::new(&mdbook)
        .arg("build")
        .current_dir(&bad)
        .env("PATH", &path)
        .output()
        .expect("mdbook runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a book with errors built");
    assert!(stderr.contains("error["), "{stderr}");
    let _ = std::fs::remove_dir_all(&out_dir);
    let _ = std::fs::remove_dir_all(&bad);
}

// ----- --watch -----------------------------------------------------------

/// Waits up to 30 s for `done`.
fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..300 {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_rebuilds_when_an_input_changes() {
    let dir = scratch("watch");
    let input = dir.join("net.vpc");
    let text = std::fs::read_to_string(root().join("examples/nat-instance.vpc")).expect("read");
    std::fs::write(&input, &text).expect("write");
    let out = dir.join("out");
    let mut child = Command::new(vpcc_path())
        .args(["build", "--watch", "-o"])
        .arg(&out)
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("vpcc runs");
    let report = out.join("net/report.md");
    let first = wait_for(|| report.is_file());
    // Rename an external: the rebuilt report names the new one.
    let renamed = text.replace("admin", "operators");
    std::fs::write(&input, &renamed).expect("write");
    let rebuilt =
        wait_for(|| std::fs::read_to_string(&report).is_ok_and(|r| r.contains("operators")));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(first, "the first build wrote nothing");
    assert!(rebuilt, "no rebuild after the input changed");
}

#[test]
fn build_writes_an_index_that_links_every_design() {
    let dir = scratch("index");
    let out = dir.join("out");
    let out_s = out.to_str().expect("UTF-8");
    let args = [
        "build",
        "-o",
        out_s,
        "examples/peering.vpc",
        "examples/nat-instance.vpc",
        "tests/ui/cidr/subnets_overlap.vpc",
    ];
    let Run { code, .. } = vpcc(args);
    assert_eq!(code, 1, "one input has errors");
    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    // Every link resolves to a file the build wrote.
    let mut links = 0;
    for part in index.split("href=\"").skip(1) {
        let target = &part[..part.find('"').expect("closing quote")];
        assert!(out.join(target).is_file(), "dangling link {target}");
        links += 1;
    }
    assert!(links >= 2 * 6, "{index}");
    for name in ["peering", "nat-instance"] {
        assert!(
            index.contains(&format!("<a href=\"{name}/report.html\">{name}</a>")),
            "{index}"
        );
    }
    assert!(
        index.contains("<td>subnets_overlap</td><td>failed to build: see the diagnostics</td>"),
        "{index}"
    );
    // The same inputs, the same page.
    let first = index.clone();
    let _ = vpcc(args);
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).expect("index"),
        first
    );
    let _ = std::fs::remove_dir_all(&dir);
}
