//! DOT to SVG in-process with graphviz-pure: no Graphviz install needed.

use super::*;

/// Rendering failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// Graphviz could not read or lay out the DOT.
    Render(String),
    /// Graphviz produced output but reported errors (lost edges, ranking
    /// trouble, bad labels).
    Diagnostics(Vec<String>),
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Render(m) => write!(f, "graphviz could not render the diagram: {m}"),
            GraphError::Diagnostics(ms) => write!(f, "graphviz reported errors: {}", ms.join("; ")),
        }
    }
}

impl std::error::Error for GraphError {}

/// An SVG and the warnings Graphviz printed while making it.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub svg: String,
    pub warnings: Vec<String>,
}

/// Renders DOT to SVG with the embedded graphviz-pure. Any `Error`-level
/// diagnostic is a failure.
pub fn svg(dot: &str) -> Result<String, GraphError> {
    svg_with_warnings(dot).map(|r| r.svg)
}

/// [`svg`], keeping the warnings.
pub fn svg_with_warnings(dot: &str) -> Result<Rendered, GraphError> {
    use graphviz_pure::DiagnosticLevel;
    let rendered = graphviz_pure::render_dot(dot, "dot", "svg").map_err(|e| match e.line() {
        Some(line) => GraphError::Render(format!("line {line}: {}", e.message())),
        None => GraphError::Render(e.message().to_string()),
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for d in rendered.diagnostics() {
        let message = d.message().trim().to_string();
        match d.level() {
            DiagnosticLevel::Warning => warnings.push(message),
            // Error, CountedAsError, and any level added later.
            _ => errors.push(message),
        }
    }
    if !errors.is_empty() {
        return Err(GraphError::Diagnostics(errors));
    }
    Ok(Rendered {
        svg: rendered.into_output(),
        warnings,
    })
}
