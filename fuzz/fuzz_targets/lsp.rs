//! The language server's message handler (`vpc::lsp::server`), bytes in,
//! no panic, read two ways from the same bytes:
//!
//! - as frames: everything before the first NUL byte is a document opened
//!   at `file:///fuzz.vpc`, each later NUL-separated chunk a frame body
//!   given to `decode` (malformed ones must become error responses) and
//!   then to the server, with the stdio loop's coalescing of full-text
//!   edits (the seeds are the examples followed by requests on them, see
//!   `fuzz/seed.sh`);
//! - as a script: `arbitrary::Unstructured` picks well-formed requests and
//!   notifications (every method the server knows, and some it does not)
//!   at arbitrary positions and ranges, on a generated program or on the
//!   raw text, so the handlers behind valid JSON get reached too.
//!
//! Every request must be answered with exactly one response of its id.

#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use vpc::lsp::server::{Server, decode, superseded};

#[path = "../../tests/support/generator.rs"]
#[allow(dead_code)]
mod generator;

const URI: &str = "file:///fuzz.vpc";

/// Gives `message` to the server and checks the answer's shape.
fn send(server: &mut Server, message: Message) {
    let id = match &message {
        Message::Request(r) => Some(r.id.clone()),
        _ => None,
    };
    let out = server.handle(message);
    if let Some(id) = id {
        assert_eq!(out.len(), 1, "a request got {} answers", out.len());
        match &out[0] {
            Message::Response(r) => assert_eq!(r.id, id, "answer to the wrong id"),
            other => panic!("a request was answered with {other:?}"),
        }
    }
    for m in &out {
        // Everything the server sends must serialise (the writer would).
        let mut buf = Vec::new();
        assert!(m.clone().write(&mut buf).is_ok(), "cannot write {m:?}");
    }
}

fn open(text: &str) -> Message {
    Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": URI, "languageId": "vpc", "version": 1, "text": text } }),
    ))
}

fn frames(data: &[u8]) {
    let mut chunks = data.split(|&b| b == 0);
    let mut server = Server::new();
    let Some(first) = chunks.next() else {
        return;
    };
    send(&mut server, open(&String::from_utf8_lossy(first)));
    let mut decoded = Vec::new();
    for body in chunks {
        match decode(body) {
            Ok(m) => decoded.push(m),
            Err(e) => {
                assert!(
                    e["error"]["code"].is_i64(),
                    "error response without a code: {e}"
                );
            }
        }
    }
    let mut queue = decoded.into_iter().peekable();
    while let Some(m) = queue.next() {
        if let (Message::Notification(n), Some(Message::Notification(next))) = (&m, queue.peek())
            && superseded(n, next)
        {
            continue;
        }
        send(&mut server, m);
    }
}

fn position(u: &mut Unstructured<'_>, lines: u32) -> Result<Value> {
    let line = if u.ratio(1, 8)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=lines + 1)?
    };
    let character = if u.ratio(1, 8)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=80)?
    };
    Ok(json!({ "line": line, "character": character }))
}

fn script(u: &mut Unstructured<'_>, raw: &str) -> Result<()> {
    let mut text = if u.ratio(1, 2)? {
        generator::program(u)?.print()
    } else {
        raw.to_string()
    };
    let mut server = Server::new();
    let mut id = 0i32;
    let mut version = 1;
    if u.ratio(7, 8)? {
        send(&mut server, open(&text));
    }
    let doc = json!({ "uri": URI });
    for _ in 0..u.int_in_range(1..=12)? {
        let lines = text.lines().count() as u32;
        let at = json!({ "textDocument": doc, "position": position(u, lines)? });
        let method = *u.choose(&[
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/references",
            "textDocument/prepareRename",
            "textDocument/rename",
            "textDocument/documentSymbol",
            "textDocument/completion",
            "textDocument/formatting",
            "textDocument/didChange",
            "textDocument/didChange",
            "textDocument/didClose",
            "textDocument/didOpen",
            "workspace/symbol",
            "$/cancelRequest",
        ])?;
        let params = match method {
            "textDocument/references" => {
                let mut p = at.clone();
                p["context"] = json!({ "includeDeclaration": u.arbitrary::<bool>()? });
                p
            }
            "textDocument/rename" => {
                let mut p = at.clone();
                let name: String = if u.ratio(1, 2)? {
                    u.choose(&["web", "a-b", "1x", "", "vpc", "x y", "é"])?
                        .to_string()
                } else {
                    u.arbitrary()?
                };
                p["newName"] = json!(name);
                p
            }
            "textDocument/documentSymbol" => json!({ "textDocument": doc }),
            "textDocument/formatting" => {
                json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } })
            }
            "textDocument/didChange" => {
                version += 1;
                let change = if u.ratio(1, 2)? {
                    // A range edit, possibly outside the text or reversed.
                    let (start, end) = (position(u, lines)?, position(u, lines)?);
                    let insert: String = if u.ratio(1, 2)? {
                        u.choose(&["\n", "}", "{", "10.0.0.0/16", " x", "#", "é"])?
                            .to_string()
                    } else {
                        u.arbitrary()?
                    };
                    json!({ "range": { "start": start, "end": end }, "text": insert })
                } else {
                    // A full replacement: a prefix of the text plus noise.
                    let mut cut = u.int_in_range(0..=text.len())?;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    let noise: String = u.arbitrary()?;
                    text = format!("{}{noise}", &text[..cut]);
                    json!({ "text": text })
                };
                json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [change] })
            }
            "textDocument/didClose" => json!({ "textDocument": doc }),
            "textDocument/didOpen" => {
                json!({ "textDocument": { "uri": URI, "languageId": "vpc", "version": 1, "text": text } })
            }
            "$/cancelRequest" => json!({ "id": 1 }),
            _ => {
                if u.ratio(1, 6)? {
                    // Params of the wrong shape.
                    json!({ "textDocument": 3, "position": "here" })
                } else {
                    at
                }
            }
        };
        let notification = method.starts_with("textDocument/did") || method.starts_with('$');
        let message = if notification {
            Message::Notification(Notification::new(method.to_string(), params))
        } else {
            id += 1;
            Message::Request(Request::new(
                RequestId::from(id),
                method.to_string(),
                params,
            ))
        };
        send(&mut server, message);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    frames(data);
    let raw = String::from_utf8_lossy(data);
    let _ = script(&mut Unstructured::new(data), &raw);
});
