//! Parsing: source text → [`ast::File`].
//!
//! pest stops at the first syntax error, so a file with a syntax error gets
//! exactly one E0001. Malformed literals (E0101) are all collected. A file
//! with any parse diagnostic is not checked further.

pub mod ast;
mod errors;
mod grammar;
mod lower;

pub use grammar::Rule;

use pest::Parser;

use crate::diag::Diagnostic;

/// The most pest calls one parse may make. A .vpc file needs a few dozen
/// calls per byte at most; the limit turns pathological input into a clean
/// E0001 instead of a hang.
const CALL_LIMIT: usize = 200_000_000;

/// Parses a whole file.
pub fn parse(src: &str) -> Result<ast::File, Vec<Diagnostic>> {
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let mut pairs = match grammar::VpcParser::parse(Rule::file, src) {
        Ok(pairs) => pairs,
        Err(_) => {
            // Parse again with error detail, which records the literal tokens
            // wanted at the furthest position; it costs time, so only here.
            pest::set_error_detail(true);
            let detailed = grammar::VpcParser::parse(Rule::file, src);
            pest::set_error_detail(false);
            let d = match detailed {
                Err(e) => errors::syntax_error(src, e),
                Ok(_) => unreachable!("a parse that failed once fails again"),
            };
            return Err(vec![d]);
        }
    };
    let Some(file) = pairs.next() else {
        unreachable!("rule `file` always yields one pair");
    };
    let mut lower = lower::Lower {
        diagnostics: Vec::new(),
    };
    let ast = lower.file(file);
    if lower.diagnostics.is_empty() {
        Ok(ast)
    } else {
        let mut d = lower.diagnostics;
        crate::diag::sort(&mut d);
        Err(d)
    }
}

/// Parses `src` as exactly one `rule` (the whole input), for grammar tests
/// and tools. Returns whether it matched.
pub fn matches_rule(rule: Rule, src: &str) -> bool {
    match grammar::VpcParser::parse(rule, src) {
        Ok(mut pairs) => pairs.next().is_some_and(|p| p.as_span().end() == src.len()),
        Err(_) => false,
    }
}
