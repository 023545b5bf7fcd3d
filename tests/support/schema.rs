//! The published JSON Schemas (`schemas/`): validating output against them
//! and keeping them current with the types they are derived from.

use std::path::PathBuf;

fn schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// A validator for `schemas/NAME`, formats checked.
pub fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schemas().join(name)).expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema")
}

/// Fails with every schema error of `json`, `what` naming the output.
pub fn assert_valid(v: &jsonschema::Validator, what: &str, json: &str) {
    let instance: serde_json::Value = serde_json::from_str(json).expect("output is JSON");
    let errors: Vec<String> = v
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match the schema:\n{}",
        errors.join("\n")
    );
}

/// Fails when `schemas/NAME` differs from `generated`; with `VPCC_BLESS`
/// set, writes it instead. `source` is where the types are, `test` the
/// test binary that regenerates it.
pub fn assert_current(name: &str, generated: &str, source: &str, test: &str) {
    let path = schemas().join(name);
    if std::env::var_os("VPCC_BLESS").is_some() {
        std::fs::create_dir_all(schemas()).expect("mkdir schemas");
        std::fs::write(&path, generated).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/{name} is out of date with {source}: run `VPCC_BLESS=1 cargo test --test {test}`"
    );
}
