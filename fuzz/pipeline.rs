//! The whole pipeline available today, with the invariants every stage must
//! keep on any input. Both fuzz targets call [`run`].
//!
//! WHEN A NEW STAGE LANDS, call it here on the compilation so that both
//! fuzz targets cover it. On main as of this writing (check, reach, routes,
//! graph, emit merged) that is, after `vpc::compile` (which runs the checks
//! and the `expect` proofs):
//!
//! ```ignore
//! if let Some(model) = &compilation.model {
//!     let _ = vpc::emit::json::to_string_pretty(model);
//!     let _ = vpc::graph::dot(model, &vpc::graph::GraphOptions::default());
//! }
//! ```
//!
//! (`vpc::graph::svg` too, if its layout is fast enough for fuzzing.)

pub fn run(src: &str) {
    let compilation = vpc::compile(src);
    for d in &compilation.diagnostics {
        for span in std::iter::once(&d.primary.span).chain(d.secondary.iter().map(|l| &l.span)) {
            let (s, e) = (span.start as usize, span.end as usize);
            assert!(
                s <= e && e <= src.len(),
                "span {s}..{e} outside a source of {} bytes",
                src.len()
            );
            assert!(
                src.is_char_boundary(s) && src.is_char_boundary(e),
                "span {s}..{e} not on char boundaries"
            );
        }
    }
    // Rendering must not panic either (codespan asserts on bad spans).
    let _ = vpc::diag::render::render(
        vpc::diag::render::Format::Human,
        "fuzz.vpc",
        src,
        &compilation.diagnostics,
        false,
    );
    let _ = vpc::diag::render::render(
        vpc::diag::render::Format::Json,
        "fuzz.vpc",
        src,
        &compilation.diagnostics,
        false,
    );
}
