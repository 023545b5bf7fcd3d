//! The fast parser against the pest parser (the reference), shared by
//! `tests/fast_parser.rs` and the property tests.

/// What happened to one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Both parsers accepted it, with equal trees.
    Both,
    /// pest accepted it and the fast parser declined (allowed: `parse`
    /// falls back to pest, so only speed is lost).
    PestOnly,
    /// Both rejected it (pest's diagnostics are what the user sees).
    Neither,
}

/// Parses `src` both ways and panics when they disagree in a way that
/// could change what a user sees: the fast parser accepting what pest
/// rejects, or the two trees differing. Also checks that `syntax::parse`
/// returns exactly the pest path's result.
pub fn compare(src: &str) -> Outcome {
    let fast = vpc::syntax::parse_fast(src);
    let pest = vpc::syntax::parse_pest(src);
    let outcome = match (&fast, &pest) {
        (Some(f), Ok(p)) => {
            assert!(
                f == p,
                "the parsers build different trees for {src:?}\n--- fast ---\n{f:#?}\n--- pest ---\n{p:#?}"
            );
            Outcome::Both
        }
        (Some(f), Err(d)) => {
            panic!(
                "the fast parser accepts what pest rejects: {src:?}\n{d:#?}\n--- fast ---\n{f:#?}"
            )
        }
        (None, Ok(_)) => Outcome::PestOnly,
        (None, Err(_)) => Outcome::Neither,
    };
    let parsed = vpc::syntax::parse(src);
    assert!(
        parsed == pest,
        "syntax::parse differs from the pest path on {src:?}\n--- parse ---\n{parsed:#?}\n--- pest ---\n{pest:#?}"
    );
    outcome
}
