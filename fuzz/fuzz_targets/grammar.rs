//! Grammar-aware fuzzing: libFuzzer's bytes drive the program generator of
//! `tests/support/generator.rs` (through `arbitrary::Unstructured`), which
//! builds a syntax tree and prints it as .vpc text; the text goes through
//! the whole pipeline. Besides "no panic", it asserts what the property
//! tests assert: a generated program is never a syntax error, and its
//! layout changes no diagnostic code.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/generator.rs"]
#[allow(dead_code)]
mod generator;

#[path = "../pipeline.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(program) = generator::program(&mut u) else {
        return;
    };
    let src = program.print();
    pipeline::run(&src);
    let codes = |s: &str| {
        let mut v: Vec<&'static str> = vpc::compile(s)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        v.sort_unstable();
        v
    };
    let mine = codes(&src);
    assert!(
        !mine.contains(&"E0001"),
        "syntax error in a generated program:\n{src}"
    );
    let plain = program.print_with(generator::Layout::PLAIN);
    assert_eq!(
        mine,
        codes(&plain),
        "layout changed the diagnostics:\n{src}"
    );
});
