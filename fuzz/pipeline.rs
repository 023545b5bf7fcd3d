//! The whole pipeline available today, with the invariants every stage must
//! keep on any input. Both fuzz targets call [`run`].
//!
//! WHEN A NEW STAGE LANDS (routes, reach, graph, report, fmt), call it here
//! on `compilation` so that the fuzzers cover it too, e.g.
//!
//! ```ignore
//! if let Some(model) = &compilation.model {
//!     let _ = vpc::emit::json::routes(model);
//!     let _ = vpc::emit::dot::graph(model);
//!     for e in &model.expects { let _ = vpc::reach::check(model, e); }
//! }
//! ```

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
