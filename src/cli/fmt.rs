//! `vpcc fmt [--check] FILE...`: rewrite files in the canonical layout.
//!
//! Without `--check`, each file that is not already formatted is replaced
//! atomically. With `--check`, nothing is written: a unified diff is printed
//! to stdout for each file that would change, and the exit code is 1 if any
//! would. `-` reads standard input and writes the result (or, with
//! `--check`, the diff) to standard output. A file that does not parse is
//! left alone and its diagnostics are printed (exit 1).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::io::{
    emit_diagnostics, error, read_source, read_stdin_source, stderr_color, write_atomic_with,
};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// .vpc files to format, or `-` for standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write nothing; print a diff for each file that is not formatted and
    /// exit 1 if there is any
    #[arg(long)]
    pub check: bool,
    /// When to colour diagnostics (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let color = stderr_color(args.color);
    let mut exit = Exit::Ok;
    for path in &args.files {
        let stdin = path.as_os_str() == "-";
        let src = if stdin {
            read_stdin_source()
        } else {
            read_source(path)
        };
        let src = match src {
            Ok(src) => src,
            Err(message) => {
                error(&message);
                exit = exit.max(Exit::Usage);
                continue;
            }
        };
        let shown = if stdin {
            Path::new("<stdin>")
        } else {
            path.as_path()
        };
        let formatted = match vpc::fmt::format(&src) {
            Ok(text) => text,
            Err(diagnostics) => {
                emit_diagnostics(MessageFormat::Human, color, shown, &src, &diagnostics);
                exit = exit.max(Exit::Errors);
                continue;
            }
        };
        let outcome = if args.check {
            check(shown, &src, &formatted)
        } else if stdin {
            let _ = std::io::stdout().write_all(formatted.as_bytes());
            Exit::Ok
        } else if formatted != src {
            write_in_place(path, formatted.as_bytes()).map_or_else(
                |message| {
                    error(&message);
                    Exit::Usage
                },
                |()| Exit::Ok,
            )
        } else {
            Exit::Ok
        };
        exit = exit.max(outcome);
    }
    exit
}

/// Prints the diff from `src` to `formatted`, if any; exit 1 when there is one.
fn check(path: &Path, src: &str, formatted: &str) -> Exit {
    if src == formatted {
        return Exit::Ok;
    }
    let name = path.display().to_string();
    let diff = unified_diff(&name, src, formatted);
    let _ = std::io::stdout().write_all(diff.as_bytes());
    Exit::Errors
}

/// A unified diff with three lines of context, headed `--- NAME` /
/// `+++ NAME (formatted)`.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let changed = changed_lines(old, new);
    if changed > MAX_DIFF_LINES {
        return format!(
            "--- {name}\n+++ {name} (formatted)\n{changed} lines differ from the formatted text (more than {MAX_DIFF_LINES}: no diff shown); run `vpcc fmt` to rewrite it\n"
        );
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .missing_newline_hint(true)
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Past this many changed lines `fmt --check` reports the count, not a
/// diff. The line diff costs (lines × changed lines), so the bound keeps it
/// linear in the file's size; a fixed count (not a deadline) keeps the
/// output the same on every machine.
const MAX_DIFF_LINES: usize = 2_000;

/// The lines of `old` and `new` between their common first and last lines:
/// an upper bound on what the diff has to explain, found in linear time.
fn changed_lines(old: &str, new: &str) -> usize {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (a.len() - prefix - suffix) + (b.len() - prefix - suffix)
}

/// Replaces a source file with its formatted text, keeping its identity: a
/// symlink formats its target and stays a link; the file keeps its mode;
/// a file with several hard links is refused (a rename would split them,
/// and writing through the inode could leave it half-written). The write
/// is atomic, so a kill leaves the old bytes or the new ones.
fn write_in_place(path: &Path, contents: &[u8]) -> Result<(), String> {
    let target = std::fs::canonicalize(path)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let meta = std::fs::metadata(&target)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "not formatting `{}` in place: it has {} hard links, which a rewrite would split; format a copy (`vpcc fmt - < FILE`) instead",
                path.display(),
                meta.nlink()
            ));
        }
    }
    write_atomic_with(&target, contents, Some(meta.permissions()))
}
