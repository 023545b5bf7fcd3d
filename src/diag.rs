//! The project's own diagnostic type.
//!
//! Every stage reports problems as [`Diagnostic`] values: a stable [`Code`],
//! a message, a primary label on the offending span, secondary labels on
//! related declarations, notes with the facts and an optional help with a
//! concrete fix. Only `diag/render.rs` turns them into text; nothing else in
//! the library knows about codespan-reporting or terminals.

pub mod codes;
pub mod render;
pub mod sarif;
pub mod suppress;

pub use codes::Code;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Lowercase, no trailing period, user names in backticks.
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// Facts: ranges, counts, which rule of AWS applies.
    pub notes: Vec<String>,
    /// A concrete fix, where one is known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the severity the code registry gives `code`.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, so output never depends on the
/// order in which checks ran.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span, a.code, &a.message).cmp(&(b.primary.span, b.code, &b.message))
    });
}
