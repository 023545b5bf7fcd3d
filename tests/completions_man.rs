//! `vpcc completions SHELL` and `vpcc man`: generated from the clap
//! definition, so they list the real subcommands and options.

mod support;
use support::cli::vpcc;

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_vpcc()"),
        ("zsh", "#compdef vpcc"),
        ("fish", "complete -c vpcc"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[vpcc]"),
    ] {
        let out = vpcc(["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        let script = out.stdout;
        assert!(script.contains(marker), "{shell} script lacks {marker}");
        for word in [
            "check",
            "explain",
            "fmt",
            "lsp",
            "completions",
            "message-format",
            "deny-warnings",
        ] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    assert_eq!(vpcc(["completions", "tcsh"]).code, 2);
}

#[test]
fn man_pages() {
    let out = vpcc(["man"]);
    assert_eq!(out.code, 0);
    let page = out.stdout;
    assert!(page.contains(".TH vpcc 1"), "{page}");
    for sub in [
        "vpcc\\-check(1)",
        "vpcc\\-fmt(1)",
        "vpcc\\-lsp(1)",
        "vpcc\\-completions(1)",
    ] {
        assert!(page.contains(sub), "the page does not list {sub}");
    }
    let out = vpcc(["man", "fmt"]);
    assert_eq!(out.code, 0);
    let page = out.stdout;
    assert!(page.contains(".TH vpcc-fmt 1"), "{page}");
    assert!(page.contains("\\fBvpcc fmt\\fR"), "{page}");
    assert!(page.contains("\\-\\-check"), "{page}");
    let out = vpcc(["man", "nope"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no subcommand `nope`"));
}

/// A command that takes several files shows `FILE...` in its synopsis, as
/// `--help` does; one that takes a single file does not.
#[test]
fn man_synopsis_marks_repeated_files() {
    let synopsis = |sub: &str| -> String {
        let page = vpcc(["man", sub]).stdout;
        let mut lines = page.lines().skip_while(|l| *l != ".SH SYNOPSIS");
        lines.nth(1).expect("a synopsis line").to_string()
    };
    for sub in ["check", "fmt", "build"] {
        let help = vpcc([sub, "--help"]).stdout;
        assert!(help.contains("<FILE>..."), "{sub} --help: {help}");
        assert!(
            synopsis(sub).contains("<\\fIFILE\\fR>..."),
            "{sub}: {}",
            synopsis(sub)
        );
    }
    for sub in ["routes", "report", "graph"] {
        let line = synopsis(sub);
        assert!(
            line.contains("<\\fIFILE\\fR>") && !line.contains("..."),
            "{sub}: {line}"
        );
    }
}
