//! vpcc: a compiler for .vpc files, declarative descriptions of AWS VPCs.
//!
//! ```text
//!  source ──syntax::parse──▶ ast::File ──check::check──▶ Model ──▶ routes / reach / graph / report
//!             E0001, E0101          E01xx–E04xx, W06xx      E0501 (expect)
//! ```
//!
//! The library is pure: it reads no files, prints nothing and never exits
//! the process. `main.rs` owns I/O and exit codes.

pub mod diag;
pub mod model;
pub mod source;
pub mod syntax;

use diag::Diagnostic;

/// The result of compiling one file: every diagnostic, sorted by position.
#[derive(Debug)]
pub struct Compilation {
    pub ast: Option<syntax::ast::File>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles one file's text.
pub fn compile(src: &str) -> Compilation {
    match syntax::parse(src) {
        Ok(ast) => Compilation { ast: Some(ast), diagnostics: Vec::new() },
        Err(diagnostics) => Compilation { ast: None, diagnostics },
    }
}
