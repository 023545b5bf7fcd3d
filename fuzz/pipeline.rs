//! The whole pipeline, with the invariants every stage must keep on any
//! input. The `compile` and `grammar` targets call [`run`] on each text;
//! `diff` calls it on both of its texts.
//!
//! Stages, in order: `vpc::compile` (parse, check, the `expect` proofs),
//! the diagnostics' spans and rendering (human, JSON), `fmt` (the round
//! trip), and on a model: emit (route-model JSON, Graphviz DOT, SVG) and the
//! report (Markdown, JSON, HTML with its diagram).
//!
//! WHEN A NEW STAGE LANDS, call it here on the compilation so that every
//! target covers it.

/// The largest model drawn as SVG: the in-process layout is the slowest
/// stage, and libFuzzer counts a slow input as a finding (`-timeout`).
const SVG_MAX_SUBNETS: usize = 24;
/// The largest matrix (pairs of flow ends) a report computes here; past it
/// the report says the matrix was omitted, which is a path to cover too.
const MATRIX_LIMIT: usize = 400;

/// The sorted diagnostic codes of a compilation.
pub fn codes(c: &vpc::Compilation) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    v.sort_unstable();
    v
}

pub fn run(src: &str) -> vpc::Compilation {
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
    for format in [
        vpc::diag::render::Format::Human,
        vpc::diag::render::Format::Json,
    ] {
        let _ = vpc::diag::render::render(format, "fuzz.vpc", src, &compilation.diagnostics, false);
    }
    fmt_round_trip(src, &compilation);
    if let Some(model) = compilation
        .model
        .as_ref()
        .filter(|_| !compilation.has_errors())
    {
        emit(model);
        report(model, src);
    }
    compilation
}

/// `fmt` succeeds exactly when the text parses; then formatting is
/// idempotent and the formatted text compiles to the same codes.
fn fmt_round_trip(src: &str, compilation: &vpc::Compilation) {
    let parses = !compilation.diagnostics.iter().any(|d| {
        let code = d.code.as_str();
        matches!(code, "E0001" | "E0101" | "E0109")
    });
    match vpc::fmt::format(src) {
        Ok(once) => {
            assert!(parses, "fmt formatted a file that does not parse:\n{src}");
            let twice = vpc::fmt::format(&once);
            assert_eq!(
                twice.as_deref().ok(),
                Some(once.as_str()),
                "fmt is not idempotent on:\n{src}\n--- formatted once:\n{once}"
            );
            assert_eq!(
                codes(compilation),
                codes(&vpc::compile(&once)),
                "fmt changed the diagnostics of:\n{src}\n--- formatted:\n{once}"
            );
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "fmt failed without a diagnostic");
            assert!(!parses, "fmt refused a file that compiles:\n{src}");
        }
    }
}

fn emit(model: &vpc::model::Model) {
    let json = vpc::emit::json::to_string_pretty(model);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "emit json is not JSON"
    );
    let dot = vpc::graph::dot(model, &vpc::graph::GraphOptions::default());
    assert!(dot.contains('{'), "not a DOT graph:\n{dot}");
    if model.subnets.len() <= SVG_MAX_SUBNETS {
        // A Graphviz error is an answer (the CLI reports it), not a panic.
        if let Ok(svg) = vpc::graph::svg(&dot) {
            assert!(svg.contains("<svg"), "not SVG:\n{svg}");
        }
    }
}

fn report(model: &vpc::model::Model, src: &str) {
    let r = vpc::report::Report::build_limited("fuzz", model, src, MATRIX_LIMIT);
    let _ = vpc::report::md::render(&r);
    let json = r.to_json();
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "report json is not JSON"
    );
    let diagram = (model.subnets.len() <= SVG_MAX_SUBNETS)
        .then(|| vpc::report::diagram_svg(model))
        .flatten();
    let html = vpc::report::html::render(&r, diagram.as_deref());
    assert!(html.contains("</html>"), "HTML report not closed");
}
