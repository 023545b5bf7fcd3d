//! Raw bytes → the whole pipeline.
//!
//! Valid UTF-8 is compiled as is; anything else is compiled after a lossy
//! conversion (the CLI refuses non-UTF-8 files with exit 2, so the library
//! only ever sees `&str`, but the lossy text still exercises odd characters
//! such as U+FFFD next to tokens).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../pipeline.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    pipeline::run(&text);
});
