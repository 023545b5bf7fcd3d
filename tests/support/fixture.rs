//! Compiling fixtures and examples: the one place the tests turn a file
//! into a model.

use std::path::{Path, PathBuf};

use vpc::diag::Code;
use vpc::model::Model;

/// The crate's root, where `examples/` and `tests/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under the crate's root, read as text.
pub fn read(rel: impl AsRef<Path>) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `examples/NAME` (with or without `.vpc`), as text.
pub fn example_src(name: &str) -> String {
    let file = if name.ends_with(".vpc") {
        name.to_string()
    } else {
        format!("{name}.vpc")
    };
    read(Path::new("examples").join(file))
}

/// The model of a text that must compile without errors.
pub fn model_of(src: &str) -> Model {
    let c = vpc::compile(src);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    c.model.expect("a model without errors")
}

/// The model of a text whose only errors may be failed expectations.
pub fn model_allowing_failed_expects(src: &str) -> Model {
    let c = vpc::compile(src);
    let others: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code != Code::E0501)
        .collect();
    assert!(others.is_empty(), "unexpected errors: {others:#?}");
    c.model.expect("a model")
}

/// A file's text and model; the file must compile without errors.
pub fn load(path: &Path) -> (String, Model) {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let c = vpc::compile(&src);
    assert!(!c.has_errors(), "{}: {:#?}", path.display(), c.diagnostics);
    (src, c.model.expect("a model without errors"))
}

/// Every `examples/*.vpc` as (file name, text), sorted by name.
pub fn examples() -> Vec<(String, String)> {
    let dir = root().join("examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vpc"))
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name.unwrap_or_default(), text)
        })
        .collect();
    out.sort();
    out
}
