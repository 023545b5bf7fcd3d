//! `vpc::diff` on two inputs, read two ways from the same bytes:
//!
//! - as text: everything before the first NUL byte is the old file, the rest
//!   the new one (the seeds are pairs of examples, see `fuzz/seed.sh`);
//! - through the program generator: two generated programs.
//!
//! Both texts go through the whole pipeline first ([`pipeline::run`]).
//! Then, on two models: the diff and its Markdown and JSON must not panic,
//! the JSON must be JSON, and a model compared with itself (and with its
//! formatted text) has no changes.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/generator.rs"]
#[allow(dead_code)]
mod generator;

#[path = "../pipeline.rs"]
mod pipeline;

fn model(c: &vpc::Compilation) -> Option<&vpc::model::Model> {
    c.model.as_ref().filter(|_| !c.has_errors())
}

fn diff_pair(old_src: &str, new_src: &str) {
    let old = pipeline::run(old_src);
    let new = pipeline::run(new_src);
    if let Some(a) = model(&old) {
        let same = vpc::diff::diff(a, old_src, a, old_src);
        assert!(same.is_empty(), "a model differs from itself:\n{old_src}");
        if let Ok(formatted) = vpc::fmt::format(old_src) {
            let f = vpc::compile(&formatted);
            if let Some(fm) = model(&f) {
                let d = vpc::diff::diff(a, old_src, fm, &formatted);
                assert!(
                    d.is_empty(),
                    "formatting changed the model:\n{old_src}\n--- diff:\n{}",
                    d.to_markdown()
                );
            }
        }
    }
    if let (Some(a), Some(b)) = (model(&old), model(&new)) {
        let d = vpc::diff::diff(a, old_src, b, new_src);
        let _ = d.to_markdown();
        assert!(
            serde_json::from_str::<serde_json::Value>(&d.to_json()).is_ok(),
            "diff json is not JSON"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (old, new) = text.split_once('\0').unwrap_or((&text, ""));
    diff_pair(old, new);
    let mut u = Unstructured::new(data);
    let (Ok(a), Ok(b)) = (generator::program(&mut u), generator::program(&mut u)) else {
        return;
    };
    diff_pair(&a.print(), &b.print());
});
