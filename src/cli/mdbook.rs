//! `vpcc mdbook`: an mdBook preprocessor.
//!
//! mdBook runs `vpcc mdbook supports RENDERER` (exit 0: every renderer is
//! supported, the output is Markdown), then `vpcc mdbook` with
//! `[context, book]` as JSON on stdin, and reads the book back from stdout.
//!
//! In each chapter, a fenced ```` ```vpc ```` block, or a line
//! `{{#vpc path/to/file.vpc}}` (relative to the chapter's file), becomes
//! the diagram (once `vpcc graph` exists), the subnets table and the
//! reachability matrix, with the source in a collapsed `<details>`. A file
//! with errors or a failed `expect` fails the build: its diagnostics go to
//! stderr and the exit status is 1.
//!
//! The book is handled as plain JSON, so the preprocessor does not depend
//! on mdBook's crates or version: every object with a string `content` and
//! a `sub_items` list is a chapter (mdBook 0.4 and 0.5 alike).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;
use vpc::diag::render::{Format, render};
use vpc::report::{self, Report};

use super::Exit;
use super::io::{MAX_SOURCE_BYTES, config_in, error, read_capped, read_source};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Whether the preprocessor supports a renderer (it supports all)
    Supports {
        /// The renderer's name, e.g. `html`
        renderer: String,
    },
}

pub fn run(args: &Args) -> Exit {
    if let Some(Sub::Supports { .. }) = args.command {
        return Exit::Ok;
    }
    let input = match read_capped(std::io::stdin().lock(), MAX_BOOK_BYTES) {
        Ok(input) => input,
        Err(why) => {
            error(&format!("cannot read the book from stdin: {why}"));
            return Exit::Usage;
        }
    };
    let parsed: Value = match serde_json::from_str(&input) {
        Ok(v) => v,
        Err(e) => {
            error(&format!("stdin is not mdBook's [context, book] JSON: {e}"));
            return Exit::Usage;
        }
    };
    let Value::Array(mut pair) = parsed else {
        error("stdin is not mdBook's [context, book] JSON: expected an array");
        return Exit::Usage;
    };
    if pair.len() != 2 {
        error("stdin is not mdBook's [context, book] JSON: expected two elements");
        return Exit::Usage;
    }
    let mut book = pair.pop().unwrap_or(Value::Null);
    let context = pair.pop().unwrap_or(Value::Null);
    if !context.is_object() || !book.is_object() {
        error("stdin is not mdBook's [context, book] JSON: expected two objects");
        return Exit::Usage;
    }
    let root = context
        .get("root")
        .and_then(Value::as_str)
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let src_dir = context
        .pointer("/config/book/src")
        .and_then(Value::as_str)
        .unwrap_or("src");
    let base = root.join(src_dir);
    let mut failed = false;
    chapters(&mut book, &base, &mut failed);
    if failed {
        return Exit::Errors;
    }
    let out = serde_json::to_string(&book).unwrap_or_default();
    let _ = std::io::stdout().write_all(out.as_bytes());
    Exit::Ok
}

/// Rewrites every chapter's content in place.
fn chapters(v: &mut Value, base: &Path, failed: &mut bool) {
    match v {
        Value::Object(map) => {
            let is_chapter = map.get("content").is_some_and(Value::is_string)
                && map.get("sub_items").is_some_and(Value::is_array);
            if is_chapter {
                let source = map
                    .get("source_path")
                    .or_else(|| map.get("path"))
                    .and_then(Value::as_str)
                    .map(PathBuf::from)
                    .unwrap_or_default();
                let dir = base.join(source.parent().unwrap_or(Path::new("")));
                let name = source.display().to_string();
                if let Some(Value::String(content)) = map.get_mut("content") {
                    match chapter(content, &dir, &name) {
                        Ok(new) => *content = new,
                        Err(()) => *failed = true,
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                chapters(child, base, failed);
            }
        }
        Value::Array(items) => {
            for child in items {
                chapters(child, base, failed);
            }
        }
        _ => {}
    }
}

/// One chapter: fenced `vpc` blocks and `{{#vpc FILE}}` lines replaced.
fn chapter(content: &str, dir: &Path, chapter: &str) -> Result<String, ()> {
    let mut out = String::with_capacity(content.len());
    let mut ok = true;
    let mut lines = content.split_inclusive('\n').enumerate();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```")
            && info.split([' ', ',', '{']).next() == Some("vpc")
        {
            let mut src = String::new();
            for (_, l) in lines.by_ref() {
                if l.trim() == "```" {
                    break;
                }
                src.push_str(l);
            }
            // The block's first line is the Markdown file's line n + 2:
            // diagnostics name that file and its line, not the block's.
            match block_at(&src, chapter, n + 1, dir) {
                Some(md) => out.push_str(&md),
                None => ok = false,
            }
            continue;
        }
        if trimmed.starts_with("```") {
            // Another language's block: copied as it is.
            out.push_str(line);
            for (_, l) in lines.by_ref() {
                out.push_str(l);
                if l.trim() == "```" {
                    break;
                }
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("{{#vpc ")
            && let Some(file) = rest.strip_suffix("}}")
        {
            let path = dir.join(file.trim());
            match read_include(&path) {
                Ok(src) => match block(&src, &path) {
                    Some(md) => out.push_str(&md),
                    None => ok = false,
                },
                Err(e) => {
                    error(&format!("{chapter}: {e}"));
                    ok = false;
                }
            }
            continue;
        }
        out.push_str(line);
    }
    if ok { Ok(out) } else { Err(()) }
}

/// The Markdown for one included `.vpc` file, or `None` after printing its
/// errors.
fn block(src: &str, path: &Path) -> Option<String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    block_at(src, &path.display().to_string(), 0, dir)
}

/// [`block`] for a text that starts after `lines_before` lines of the file
/// `name` (a fenced block in a chapter): diagnostics give positions in that
/// file. The text is compiled behind as many newlines, so every line and
/// column is the file's own and the quoted line is the right one. The
/// `vpcc.toml` that governs `dir` applies: its levels, and with
/// `deny-warnings` a warning fails the book as an error does.
fn block_at(src: &str, name: &str, lines_before: usize, dir: &Path) -> Option<String> {
    let mut padded = "\n".repeat(lines_before);
    padded.push_str(src);
    let config = match config_in(dir) {
        Ok(config) => config,
        Err(e) => {
            error(&e);
            return None;
        }
    };
    let c = vpc::compile_with(&padded, &config);
    let denied = config.deny_warnings && !c.diagnostics.is_empty();
    if c.has_errors() || denied {
        let text = render(Format::Human, name, &padded, &c.diagnostics, false);
        let _ = std::io::stderr().write_all(text.as_bytes());
        return None;
    }
    let model = c.model.as_ref()?;
    let r = Report::build_limited(name, model, src, report::DEFAULT_MATRIX_LIMIT);
    let mut md = String::from("\n");
    if let Some(svg) = report::diagram_svg(model) {
        let svg = svg.find("<svg").and_then(|i| svg.get(i..)).unwrap_or(&svg);
        md.push_str("<div class=\"vpc-diagram\">\n");
        // A blank line would end the HTML block in Markdown.
        for line in svg.lines().filter(|l| !l.trim().is_empty()) {
            md.push_str(line);
            md.push('\n');
        }
        md.push_str("</div>\n\n");
    }
    md.push_str(&report::md::summary(&r, 3));
    md.push_str("<details><summary>Source</summary>\n\n```text\n");
    md.push_str(src.trim_end());
    md.push_str("\n```\n\n</details>\n\n");
    Some(md)
}

/// The largest book the preprocessor reads from stdin: every chapter's text
/// in one JSON value.
const MAX_BOOK_BYTES: u64 = 4 * MAX_SOURCE_BYTES;

/// Reads a `{{#vpc FILE}}` include: a regular file only (a FIFO or a device
/// would block the book build or never end), capped like every source.
fn read_include(path: &Path) -> Result<String, String> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(format!(
            "cannot read `{}`: it is not a regular file",
            path.display()
        ));
    }
    read_source(path)
}
