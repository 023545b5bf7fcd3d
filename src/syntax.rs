//! Parsing: source text → [`ast::File`].
//!
//! Two parsers give the same tree. The fast path (`fast.rs`, hand-written)
//! handles valid files; anything it does not accept (every file with a
//! diagnostic among them) goes to the pest parser (`grammar/vpc.pest`, then
//! `lower.rs`), which is the reference and the only source of parse
//! diagnostics. `tests/fast_parser.rs` checks that the two agree.
//!
//! pest stops at the first syntax error, so a file with a syntax error gets
//! exactly one E0001. Malformed literals (E0101) are all collected. A file
//! with any parse diagnostic is not checked further.

pub mod ast;
mod errors;
mod fast;
mod grammar;
mod lower;

pub use grammar::Rule;

use pest::Parser;

use crate::diag::Diagnostic;

/// The most pest calls one parse may make: a budget per byte of input, with
/// a floor. The limit turns pathological input into a clean E0001 instead of
/// a hang, but must never refuse a valid file: measured, typical files need
/// 3–4 calls per byte and the densest valid input found (a name list
/// `[a,a,a,...]`) 12. A fixed limit of 200 million refused valid files
/// from about 17 MB of such lists, under the CLI's 64 MiB input cap.
const CALLS_PER_BYTE: usize = 64;
const CALL_LIMIT_FLOOR: usize = 200_000_000;

fn call_limit(len: usize) -> usize {
    CALL_LIMIT_FLOOR.max(len.saturating_mul(CALLS_PER_BYTE))
}

/// Parses a whole file.
pub fn parse(src: &str) -> Result<ast::File, Vec<Diagnostic>> {
    match fast::parse(src) {
        Some(file) => Ok(file),
        None => parse_pest(src),
    }
}

/// The fast path alone: `Some` only for a file that the pest path would
/// accept and lower to an equal tree. For differential tests.
#[doc(hidden)]
pub fn parse_fast(src: &str) -> Option<ast::File> {
    fast::parse(src)
}

/// pest's call limit and error-detail switch are process-wide settings.
/// Without this lock, a parse on one thread (`vpcc check a.vpc b.vpc`
/// parses files in parallel; so does the test harness) could run under
/// another parse's settings, and the text of an E0001 would depend on
/// timing. Only the pest path takes it; the fast path needs no settings.
static PEST: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn pest_lock() -> std::sync::MutexGuard<'static, ()> {
    PEST.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The pest path alone (the reference). For differential tests.
#[doc(hidden)]
pub fn parse_pest(src: &str) -> Result<ast::File, Vec<Diagnostic>> {
    let _settings = pest_lock();
    pest::set_call_limit(std::num::NonZeroUsize::new(call_limit(src.len())));
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
    let _settings = pest_lock();
    match grammar::VpcParser::parse(rule, src) {
        Ok(mut pairs) => pairs.next().is_some_and(|p| p.as_span().end() == src.len()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The budget keeps a wide margin over the densest valid input measured
    /// (12 calls per byte) at every size, up to the CLI's 64 MiB cap.
    #[test]
    fn call_limit_covers_dense_valid_input() {
        for len in [0, 1, 1 << 20, 17 << 20, 64 << 20, usize::MAX] {
            assert!(
                call_limit(len) >= len.saturating_mul(12).saturating_mul(4),
                "len {len}"
            );
        }
    }

    /// A dense valid input parses: a name list of 2 bytes per item.
    #[test]
    fn dense_name_list_parses() {
        let items = vec!["a"; 50_000].join(",");
        let src = format!(
            "vpc v 10.0.0.0/16 {{ subnet s 10.0.0.0/24 {{ instance i {{ security_groups [{items}] }} }} }}\n"
        );
        assert!(parse(&src).is_ok());
    }
}
