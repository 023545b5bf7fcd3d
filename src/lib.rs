//! vpcc: a compiler for .vpc files, declarative descriptions of AWS VPCs.
//!
//! ```text
//!  source ──syntax::parse──▶ ast::File ──check::check──▶ Model ──▶ routes / reach / graph / report
//!             E0001, E0101          E01xx–E04xx, W06xx      E0501 (expect)
//! ```
//!
//! The library is pure: it reads no files, prints nothing and never exits
//! the process. `main.rs` owns I/O and exit codes.

// pest is used without its `std` feature (see Cargo.toml), so the parser
// that pest_derive generates names the `alloc` crate.
extern crate alloc;

pub mod check;
pub mod config;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod export;
pub mod fmt;
// Not API: public only for the `vpcc` binary, tests, benches and fuzz
// targets (`gen` writes test networks, `par` spreads work over cores).
#[doc(hidden)]
pub mod r#gen;
pub mod graph;
pub mod import;
pub mod lsp;
pub mod model;
pub mod names;
#[doc(hidden)] // not API, see `gen`
pub mod par;
pub mod prose;
pub mod reach;
pub mod report;
pub mod routes;
pub mod source;
pub mod syntax;

use diag::Diagnostic;

/// The result of compiling one file: every diagnostic, sorted by position.
#[derive(Debug)]
pub struct Compilation {
    pub ast: Option<syntax::ast::File>,
    /// Present when the file has no errors (it may have warnings).
    pub model: Option<model::Model>,
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings that `# vpcc: allow` comments or `vpcc.toml` levels keep
    /// out of `diagnostics` (SARIF still lists them, as suppressed).
    pub suppressed: Vec<diag::suppress::Suppressed>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles one file's text with no project settings (its own `# vpcc:
/// allow` comments still apply).
pub fn compile(src: &str) -> Compilation {
    compile_with(src, &config::Config::default())
}

/// Compiles one file's text under a project's `vpcc.toml` settings.
pub fn compile_with(src: &str, config: &config::Config) -> Compilation {
    let checked = compile_without_expects(src);
    let expects = match &checked.model {
        Some(model) => reach::check_expects(model),
        None => Vec::new(),
    };
    checked.finish(src, config, expects)
}

/// A file parsed and checked, its `expect`s not yet walked and no
/// suppression applied: the first half of [`compile_with`], for callers
/// that walk the expectations elsewhere (the language server does it off
/// the request path, reusing the answers an edit cannot change).
#[derive(Debug)]
pub struct Checked {
    pub ast: Option<syntax::ast::File>,
    pub model: Option<model::Model>,
    /// Parse and check diagnostics, before suppression.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks `src`; the `expect`s are left to [`Checked::finish`].
pub fn compile_without_expects(src: &str) -> Checked {
    match syntax::parse(src) {
        Ok(ast) => {
            let checked = check::check(&ast);
            Checked {
                ast: Some(ast),
                model: checked.model,
                diagnostics: checked.diagnostics,
            }
        }
        Err(diagnostics) => Checked {
            ast: None,
            model: None,
            diagnostics,
        },
    }
}

impl Checked {
    /// The compilation, given the diagnostics of the `expect`s (E0501, in
    /// the model's `expect` order): `compile_with`'s result exactly.
    pub fn finish(
        self,
        src: &str,
        config: &config::Config,
        expects: Vec<Diagnostic>,
    ) -> Compilation {
        let (diagnostics, suppressed) = self.diagnostics_with(src, config, expects);
        Compilation {
            ast: self.ast,
            model: self.model,
            diagnostics,
            suppressed,
        }
    }

    /// [`Checked::finish`]'s diagnostics and suppressions, keeping `self`.
    pub fn diagnostics_with(
        &self,
        src: &str,
        config: &config::Config,
        expects: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, Vec<diag::suppress::Suppressed>) {
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.extend(expects);
        diag::suppress::apply(src, diagnostics, config)
    }
}
