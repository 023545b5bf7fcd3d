//! The invariants every input must keep through the pipeline, shared by the
//! property tests and the regression fixtures (and mirrored by
//! `fuzz/pipeline.rs` for the fuzz targets).

use vpc::diag::Diagnostic;

/// Compiles `src` and checks: every label span lies within the source and
/// on char boundaries, every message is non-empty, and rendering in each
/// format does not panic (codespan asserts on bad spans).
pub fn compile_checked(src: &str) -> Vec<Diagnostic> {
    let c = vpc::compile(src);
    for d in &c.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            let (s, e) = (label.span.start as usize, label.span.end as usize);
            assert!(
                s <= e && e <= src.len(),
                "{}: span {s}..{e} outside a {}-byte source",
                d.code,
                src.len()
            );
            assert!(
                src.is_char_boundary(s) && src.is_char_boundary(e),
                "{}: span {s}..{e} not on char boundaries",
                d.code
            );
        }
        assert!(!d.message.is_empty(), "{}: empty message", d.code);
    }
    use vpc::diag::render::{Format, render};
    for format in [Format::Human, Format::Short, Format::Json] {
        let _ = render(format, "t.vpc", src, &c.diagnostics, false);
    }
    c.diagnostics
}

/// Compiles twice and asserts both runs agree, diagnostic for diagnostic.
pub fn compile_twice(src: &str) -> Vec<Diagnostic> {
    let a = compile_checked(src);
    let b = vpc::compile(src).diagnostics;
    assert_eq!(a, b, "compile is not deterministic");
    a
}
