//! Rendering diagnostics: the only place that knows codespan-reporting.
//!
//! `human` is rustc-style with source snippets, `short` is one line per
//! diagnostic (`file:line:col: error[E0106]: message`), and `json` is one
//! object per line for tools. All three take the file's name and text and
//! return a `String`; the caller decides where it goes.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde_json::json;

use super::{Diagnostic, Severity};
use crate::source::LineIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
}

/// Renders `diagnostics` of one file. With `color`, human output carries
/// ANSI escapes.
pub fn render(
    format: Format,
    file_name: &str,
    src: &str,
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    match format {
        Format::Human => human(file_name, src, diagnostics, color),
        Format::Short => {
            let index = LineIndex::new(src);
            diagnostics
                .iter()
                .map(|d| short(file_name, &index, d) + "\n")
                .collect()
        }
        Format::Json => {
            let index = LineIndex::new(src);
            diagnostics
                .iter()
                .map(|d| json_line(file_name, &index, d) + "\n")
                .collect()
        }
    }
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<()> {
    let severity = match d.severity {
        Severity::Error => codespan_reporting::diagnostic::Severity::Error,
        Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
    };
    let mut labels =
        vec![CsLabel::primary((), d.primary.span.range()).with_message(&d.primary.message)];
    labels.extend(
        d.secondary
            .iter()
            .map(|l| CsLabel::secondary((), l.span.range()).with_message(&l.message)),
    );
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    CsDiagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Lines longer than this are not quoted in human output: a snippet would
/// repeat the whole line (megabytes, for a minified or generated file) for
/// every diagnostic on it. The positions are given instead.
pub const MAX_QUOTED_LINE: usize = 1000;

/// `d` without snippets: each label becomes a note with its position.
fn without_snippets(file_name: &str, index: &LineIndex<'_>, d: &Diagnostic) -> CsDiagnostic<()> {
    let at = |span: crate::source::Span| {
        let (line, col) = index.line_col(span.start as usize);
        format!("{file_name}:{line}:{col}")
    };
    let mut notes = vec![format!("at {}: {}", at(d.primary.span), d.primary.message)];
    notes.extend(
        d.secondary
            .iter()
            .map(|l| format!("and {}: {}", at(l.span), l.message)),
    );
    notes.push(format!(
        "note: the line is too long to quote (over {MAX_QUOTED_LINE} bytes)"
    ));
    let cs = to_codespan(d);
    notes.extend(cs.notes);
    CsDiagnostic {
        labels: Vec::new(),
        notes,
        ..cs
    }
}

fn human(file_name: &str, src: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    let file = SimpleFile::new(file_name, src);
    let config = Config::default();
    let index = LineIndex::new(src);
    let mut out = String::new();
    for d in diagnostics {
        let long = std::iter::once(d.primary.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .any(|s| {
                index.line_len(s.start as usize) > MAX_QUOTED_LINE
                    || index.line_len(s.end as usize) > MAX_QUOTED_LINE
            });
        let cs = if long {
            without_snippets(file_name, &index, d)
        } else {
            to_codespan(d)
        };
        let rendered = if color {
            let mut buf = term::termcolor::Ansi::new(Vec::new());
            match term::emit_to_write_style(&mut buf, &config, &file, &cs) {
                Ok(()) => String::from_utf8_lossy(&buf.into_inner()).into_owned(),
                Err(_) => short(file_name, &index, d) + "\n",
            }
        } else {
            match term::emit_into_string(&config, &file, &cs) {
                Ok(s) => s,
                Err(_) => short(file_name, &index, d) + "\n",
            }
        };
        out.push_str(&rendered);
    }
    out
}

fn short(file_name: &str, index: &LineIndex<'_>, d: &Diagnostic) -> String {
    let (line, col) = index.line_col(d.primary.span.start as usize);
    format!(
        "{file_name}:{line}:{col}: {}[{}]: {}",
        d.severity.as_str(),
        d.code,
        d.message
    )
}

fn position(index: &LineIndex<'_>, span: crate::source::Span) -> serde_json::Value {
    let (line_start, column_start) = index.line_col(span.start as usize);
    let (line_end, column_end) = index.line_col(span.end as usize);
    json!({
        "byte_start": span.start,
        "byte_end": span.end,
        "line_start": line_start,
        "column_start": column_start,
        "line_end": line_end,
        "column_end": column_end,
    })
}

fn json_line(file_name: &str, index: &LineIndex<'_>, d: &Diagnostic) -> String {
    let mut labels = vec![
        json!({"primary": true, "message": d.primary.message, "span": position(index, d.primary.span)}),
    ];
    labels.extend(
        d.secondary.iter().map(
            |l| json!({"primary": false, "message": l.message, "span": position(index, l.span)}),
        ),
    );
    let value = json!({
        "code": d.code.as_str(),
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": file_name,
        "span": position(index, d.primary.span),
        "labels": labels,
        "notes": d.notes,
        "help": d.help,
    });
    value.to_string()
}
