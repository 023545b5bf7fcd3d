//! The `vpcc` command line: exit codes, message formats, colour and
//! `vpcc explain`. Exit codes are a contract (0 ok, 1 errors or denied
//! warnings, 2 usage or I/O), so they are tested on the real binary.

mod support;

use std::process::Command;

use std::path::PathBuf;

use support::cli::{Run, Vpcc, root, vpcc_path};

use vpc::diag::Code;
use vpc::reach::Reason;

/// This file tests colour, so its runs leave `NO_COLOR` unset.
fn vpcc(args: &[&str]) -> Run {
    Vpcc::new(args).colour().run()
}

/// A file with errors: two overlapping subnets.
const ERRORS: &str = "tests/ui/cidr/subnets_overlap.vpc";
/// A file with only warnings: SSH and RDP open to the internet.
const WARNINGS: &str = "tests/ui/warnings/ssh_open.vpc";

#[test]
fn every_example_checks_clean() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "vpc"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    for path in examples {
        let o = vpcc(&["check", path.to_str().expect("UTF-8 path")]);
        assert_eq!(o.code, 0, "{}: {}", path.display(), o.stderr);
    }
}

#[test]
fn errors_exit_1() {
    let o = vpcc(&["check", ERRORS]);
    assert_eq!(o.code, 1);
    let err = o.stderr;
    assert!(
        err.contains("error[E0106]: subnet `app-b` overlaps subnet `app-a`"),
        "{err}"
    );
    assert!(err.contains(ERRORS), "the path is shown as given: {err}");
}

#[test]
fn warnings_exit_0_unless_denied() {
    let o = vpcc(&["check", WARNINGS]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("warning[W0602]"));
    let o = vpcc(&["check", "--deny-warnings", WARNINGS]);
    assert_eq!(o.code, 1);
}

#[test]
fn missing_file_exits_2() {
    let o = vpcc(&["check", "tests/ui/no-such-file.vpc"]);
    assert_eq!(o.code, 2);
    let err = o.stderr;
    assert!(
        err.contains("vpcc: error: cannot read `tests/ui/no-such-file.vpc`"),
        "{err}"
    );
}

#[test]
fn a_missing_file_among_others_still_checks_the_others() {
    let o = vpcc(&["check", ERRORS, "tests/ui/no-such-file.vpc"]);
    assert_eq!(o.code, 2, "usage/I-O beats errors");
    assert!(o.stderr.contains("E0106"));
}

#[test]
fn no_arguments_exit_2() {
    assert_eq!(vpcc(&[]).code, 2);
    assert_eq!(vpcc(&["check"]).code, 2);
    assert_eq!(vpcc(&["no-such-command"]).code, 2);
}

#[test]
fn help_and_version_exit_0() {
    let o = vpcc(&["--help"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("check"));
    assert_eq!(vpcc(&["--version"]).code, 0);
}

#[test]
fn json_is_one_object_per_line() {
    let o = vpcc(&[
        "check",
        "--message-format",
        "json",
        "tests/ui/multi/ten_mistakes.vpc",
    ]);
    assert_eq!(o.code, 1);
    let out = o.stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10, "{out}");
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        for key in [
            "code", "severity", "message", "file", "span", "labels", "notes", "help",
        ] {
            assert!(v.get(key).is_some(), "missing `{key}` in {line}");
        }
        assert!(Code::parse(v["code"].as_str().expect("code is a string")).is_some());
        assert_eq!(v["severity"], "error");
        assert_eq!(v["file"], "tests/ui/multi/ten_mistakes.vpc");
        let span = &v["span"];
        for key in [
            "byte_start",
            "byte_end",
            "line_start",
            "column_start",
            "line_end",
            "column_end",
        ] {
            assert!(span[key].is_u64(), "span.{key} in {line}");
        }
        let labels = v["labels"].as_array().expect("labels is an array");
        assert_eq!(
            labels.iter().filter(|l| l["primary"] == true).count(),
            1,
            "one primary label: {line}"
        );
    }
}

#[test]
fn json_spans_point_at_the_token() {
    let o = vpcc(&["check", "--message-format", "json", ERRORS]);
    let v: serde_json::Value =
        serde_json::from_str(o.stdout.lines().next().expect("a line")).expect("JSON");
    let src = std::fs::read_to_string(root().join(ERRORS)).expect("fixture");
    let start = usize::try_from(v["span"]["byte_start"].as_u64().expect("start")).expect("usize");
    let end = usize::try_from(v["span"]["byte_end"].as_u64().expect("end")).expect("usize");
    assert_eq!(&src[start..end], "10.0.1.0/24");
    assert_eq!(v["span"]["line_start"], 4);
    assert_eq!(v["span"]["column_start"], 16);
    assert!(
        v["help"]
            .as_str()
            .is_some_and(|h| h.contains("10.0.2.0/24"))
    );
}

#[test]
fn short_is_one_line_per_diagnostic() {
    let o = vpcc(&["check", "--message-format", "short", ERRORS]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        format!("{ERRORS}:4:16: error[E0106]: subnet `app-b` overlaps subnet `app-a`\n")
    );
}

#[test]
fn colour_always_emits_ansi() {
    let o = vpcc(&["check", "--color", "always", ERRORS]);
    assert!(o.stderr.contains("\u{1b}["), "{:?}", o.stderr);
}

#[test]
fn colour_never_and_no_color_emit_none() {
    let o = vpcc(&["check", "--color", "never", ERRORS]);
    assert!(!o.stderr.contains('\u{1b}'));
    let o = support::cli::vpcc(["check", "--color", "auto", ERRORS]);
    assert_eq!(o.code, 1);
    assert!(!o.stderr.contains('\u{1b}'));
}

#[test]
fn explain_prints_the_text() {
    let o = vpcc(&["explain", "E0106"]);
    assert_eq!(o.code, 0);
    let out = o.stdout;
    assert!(
        out.starts_with("E0106: two subnets of a VPC overlap\n"),
        "{out}"
    );
    assert!(out.contains("```vpc"), "{out}");
    assert_eq!(
        out.trim_end(),
        format!(
            "E0106: {}\n\n{}",
            Code::E0106.title(),
            Code::E0106.explanation().trim_end()
        )
    );
    // Case does not matter.
    assert_eq!(vpcc(&["explain", "w0602"]).code, 0);
}

#[test]
fn explain_unknown_code_exits_2() {
    let o = vpcc(&["explain", "E9999"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown code `E9999`"));
    assert_eq!(vpcc(&["explain"]).code, 2);
}

#[test]
fn explain_list_lists_every_code() {
    let o = vpcc(&["explain", "--list"]);
    assert_eq!(o.code, 0);
    let out = o.stdout;
    assert_eq!(out.lines().count(), Code::ALL.len() + Reason::ALL.len());
    for c in Code::ALL {
        assert!(
            out.contains(&format!("{c}  {}", c.title())),
            "{c} missing from --list"
        );
    }
    for r in Reason::ALL {
        assert!(
            out.contains(&format!("{r}  {}", r.meaning())),
            "{r} missing from --list"
        );
    }
}

/// Issue 15 / 19: `vpcc explain` knows the reachability reason codes, in
/// any case, and docs/reach.md's table lists each with the same meaning.
#[test]
fn explain_knows_reason_codes() {
    let o = vpcc(&["explain", "endpoint_inbound_only"]);
    assert_eq!(o.code, 0);
    assert!(
        o.stdout.starts_with(&format!(
            "ENDPOINT_INBOUND_ONLY: {}\n",
            Reason::EndpointInboundOnly.meaning()
        )),
        "{}",
        o.stdout
    );
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reach.md"),
    )
    .unwrap();
    for r in Reason::ALL {
        let row = format!("| `{r}` | {} |", r.meaning());
        assert!(doc.contains(&row), "docs/reach.md lacks the row {row}");
    }
}

/// Runs `vpcc` with its stderr on a pseudo-terminal and returns the exit
/// code and what it wrote there.
#[cfg(target_os = "linux")]
fn vpcc_on_a_terminal(args: &[&str]) -> (i32, String) {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::io::Read;
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("openpt");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().expect("UTF-8 pty name"))
        .expect("open the pty");
    let status = Command::new(vpcc_path())
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(root())
        .stderr(slave)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("vpcc runs");
    // Every writer is gone: the master reads what was written, then EIO.
    let mut master = std::fs::File::from(master);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    (
        status.code().expect("exit code"),
        String::from_utf8_lossy(&out).replace("\r\n", "\n"),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn check_prints_a_summary_at_a_terminal_and_nothing_elsewhere() {
    let files = ["examples/nat-bastion-endpoints.vpc", "examples/peering.vpc"];
    let expects: usize = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(root().join(f))
                .expect("example")
                .lines()
                .filter(|l| l.trim_start().starts_with("expect "))
                .count()
        })
        .sum();
    assert!(expects > 1);
    let mut args = vec!["check"];
    args.extend(files);
    let (rc, text) = vpcc_on_a_terminal(&args);
    assert_eq!(rc, 0, "{text}");
    assert_eq!(
        text,
        format!("checked 2 files: {expects} expects hold, 0 warnings, 0 errors\n")
    );
    // Not a terminal: silent.
    let o = vpcc(&args);
    assert_eq!(o.code, 0);
    assert_eq!(o.stderr, "");
    // A failing run prints its diagnostics, and no summary.
    let (rc, text) = vpcc_on_a_terminal(&["check", ERRORS]);
    assert_eq!(rc, 1);
    assert!(text.contains("error[E0106]"), "{text}");
    assert!(!text.contains("checked "), "{text}");
}

#[test]
fn every_command_that_prints_a_document_writes_it_with_dash_o() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ex = "examples/nat-bastion-endpoints.vpc";
    let commands: [&[&str]; 6] = [
        &["report", ex, "--format", "json"],
        &["report", "tests/ui/reach/expect_fails.vpc"],
        &["routes", ex, "--format", "json"],
        &[
            "reach", ex, "--from", "admin", "--to", "bastion", "--proto", "tcp", "--port", "22",
        ],
        &["diff", ex, "examples/peering.vpc"],
        &["graph", ex],
    ];
    for (i, args) in commands.iter().enumerate() {
        let to_stdout = vpcc(args);
        let out = dir.path().join(format!("out{i}"));
        let mut with_o = args.to_vec();
        with_o.extend(["-o", out.to_str().expect("UTF-8")]);
        let to_file = vpcc(&with_o);
        assert_eq!(to_file.code, to_stdout.code, "{args:?}: {}", to_file.stderr);
        assert!(!to_stdout.stdout.is_empty(), "{args:?}");
        assert_eq!(to_file.stdout, "", "{args:?}");
        assert_eq!(
            std::fs::read_to_string(&out).expect("written"),
            to_stdout.stdout,
            "{args:?}"
        );
    }
}

/// Machine output holds plain values: a leg's ends are names as the file
/// writes them, while the text keeps its quoting.
#[test]
fn reach_json_names_the_ends_plainly() {
    let ex = "examples/nat-bastion-endpoints.vpc";
    let o = vpcc(&[
        "reach", ex, "--from", "admin", "--to", "app", "--via", "bastion", "--format", "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    let ends: Vec<(&str, &str)> = v["legs"]
        .as_array()
        .expect("legs")
        .iter()
        .map(|l| {
            (
                l["from"].as_str().expect("from"),
                l["to"].as_str().expect("to"),
            )
        })
        .collect();
    assert_eq!(ends, [("admin", "bastion"), ("bastion", "app")]);
    let o = vpcc(&[
        "reach", ex, "--from", "admin", "--to", "app", "--via", "bastion",
    ]);
    assert!(
        o.stdout.contains("leg 1: `admin` → `bastion`"),
        "{}",
        o.stdout
    );
}
