//! Inputs that once broke the compiler, kept so they never do again.
//!
//! Every file under `tests/fixtures/regressions/` (any name, any bytes) is
//! compiled with the invariants of `support::invariants`: no panic, spans
//! inside the source and on char boundaries, deterministic output. Bytes
//! that are not UTF-8 are compiled after a lossy conversion, as the
//! `compile` fuzz target does. `fuzz/README.md` says how a fuzz crash
//! becomes a file here; the README in the folder lists each one.

mod support;

use support::invariants::compile_twice;

#[test]
fn regression_fixtures_compile_cleanly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/fixtures/regressions/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    for path in &paths {
        let bytes = std::fs::read(path).expect("read fixture");
        let src = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| compile_twice(&src));
        assert!(
            result.is_ok(),
            "regression: {} breaks the compiler again",
            path.display()
        );
    }
    eprintln!("{} regression fixtures", paths.len());
}
