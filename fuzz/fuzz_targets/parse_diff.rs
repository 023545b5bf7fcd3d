//! Differential fuzzing of the two parsers: the hand-written fast path
//! (`syntax::parse_fast`) against pest (`syntax::parse_pest`), the
//! reference. On the raw input as text, and on a generated program built
//! from the same bytes, it asserts what `tests/fast_parser.rs` asserts: if
//! the fast parser accepts, pest accepts with an equal tree; if pest
//! rejects, the fast parser rejects; `syntax::parse` returns what pest
//! returns.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/generator.rs"]
#[allow(dead_code)]
mod generator;

#[path = "../../tests/support/differential.rs"]
#[allow(dead_code)]
mod differential;

fuzz_target!(|data: &[u8]| {
    differential::compare(&String::from_utf8_lossy(data));
    let mut u = Unstructured::new(data);
    if let Ok(program) = generator::program(&mut u) {
        differential::compare(&program.print());
    }
});
