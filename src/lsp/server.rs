//! The language server's message handler: JSON-RPC messages in, messages
//! out, with the open documents. Pure: `cli/lsp.rs` reads and writes the
//! frames on stdio, runs the loop (coalescing a run of full-text edits with
//! [`superseded`]) and handles `shutdown` and `exit`; the fuzz target
//! `fuzz/fuzz_targets/lsp.rs` drives [`decode`] and [`Server::handle`] with
//! arbitrary bytes.

use std::collections::HashMap;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    DocumentSymbolResponse, GotoDefinitionResponse, PrepareRenameResponse,
    PublishDiagnosticsParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Document;
use super::expects::{Job, Outcome};

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Server {
    documents: HashMap<Uri, Document>,
    /// Project settings for documents about to open, given by the
    /// transport (which finds each file's `vpcc.toml`); the server reads no
    /// files itself.
    configs: HashMap<Uri, crate::config::Config>,
    /// Whether `expect`s are left to [`Job`]s the transport runs off the
    /// request path; otherwise each edit walks them before it is answered.
    deferred: bool,
    /// Each open document's newest version (a count of its edits), shared
    /// with its running job so the job stops once the count moves on.
    generations: HashMap<Uri, Arc<AtomicU64>>,
    /// Jobs made since the transport last took them.
    jobs: Vec<Job>,
}

/// Parses a request's params, or the error response for bad ones.
fn params<P: DeserializeOwned>(id: &RequestId, params: Value) -> Result<P, Response> {
    serde_json::from_value(params)
        .map_err(|e| Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, e.to_string()))
}

impl Server {
    /// A server with no open document.
    pub fn new() -> Server {
        Server::default()
    }

    /// Handles one message: a request gets its response, a notification the
    /// notifications to send back, a response (the server sends no
    /// requests) nothing. `shutdown` and `exit` belong to the loop.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => vec![Message::Response(self.request(request))],
            Message::Notification(n) => self
                .notification(n)
                .into_iter()
                .map(Message::Notification)
                .collect(),
            Message::Response(_) => Vec::new(),
        }
    }

    /// Sets the project settings `uri` is compiled under from its next
    /// `didOpen` on (the transport calls this before passing the
    /// notification on).
    pub fn configure(&mut self, uri: Uri, config: crate::config::Config) {
        self.configs.insert(uri, config);
    }

    /// From now on, an edit's `expect`s are walked by [`Job`]s (taken with
    /// [`Server::take_jobs`], their outcomes given back with
    /// [`Server::expects_done`]): diagnostics of an edit that no `expect`
    /// depends on are published at once, the others when the job ends, and
    /// requests are answered meanwhile.
    pub fn defer_expects(&mut self) {
        self.deferred = true;
    }

    /// The jobs to run, oldest first.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.jobs)
    }

    /// Takes in a job's outcome; publishes the document's diagnostics if the
    /// outcome is for its current version (an older one is dropped).
    pub fn expects_done(&mut self, outcome: Outcome) -> Vec<Notification> {
        let current = self
            .generations
            .get(&outcome.uri)
            .map(|g| g.load(Ordering::Relaxed));
        if current != Some(outcome.generation) {
            return Vec::new();
        }
        let uri = outcome.uri.clone();
        let Some(doc) = self.documents.get_mut(&uri) else {
            return Vec::new();
        };
        doc.expects_done(outcome);
        vec![publish(&uri, doc)]
    }

    /// Opens or replaces a document's text: checked here; its `expect`s
    /// walked here too, or, deferred, by a new job.
    fn set_text(&mut self, uri: &Uri, text: String) {
        let config = self.config(uri);
        let doc = match self.documents.get_mut(uri) {
            Some(doc) => {
                doc.replace(text);
                doc
            }
            None => self
                .documents
                .entry(uri.clone())
                .or_insert_with(|| Document::pending(text, config, Arc::default(), None)),
        };
        if !self.deferred {
            doc.settle();
            return;
        }
        let current = self.generations.entry(uri.clone()).or_default();
        let generation = current.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(job) = doc.job(uri.clone(), generation, Arc::clone(current)) {
            self.jobs.push(job);
        }
    }

    fn config(&self, uri: &Uri) -> crate::config::Config {
        self.configs.get(uri).cloned().unwrap_or_default()
    }

    fn document(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri)
    }

    /// Answers one request.
    pub fn request(&mut self, request: Request) -> Response {
        let Request {
            id,
            method,
            params: raw,
        } = request;
        let result = match method.as_str() {
            HoverRequest::METHOD => params::<lsp_types::HoverParams>(&id, raw).map(|p| {
                let at = p.text_document_position_params;
                json(
                    self.document(&at.text_document.uri)
                        .and_then(|d| d.hover(at.position)),
                )
            }),
            GotoDefinition::METHOD => {
                params::<lsp_types::GotoDefinitionParams>(&id, raw).map(|p| {
                    let at = p.text_document_position_params;
                    let uri = &at.text_document.uri;
                    let location = self
                        .document(uri)
                        .and_then(|d| d.definition(uri, at.position));
                    json(location.map(GotoDefinitionResponse::Scalar))
                })
            }
            References::METHOD => params::<lsp_types::ReferenceParams>(&id, raw).map(|p| {
                let at = p.text_document_position;
                let uri = &at.text_document.uri;
                let include = p.context.include_declaration;
                json(
                    self.document(uri)
                        .map(|d| d.references(uri, at.position, include)),
                )
            }),
            PrepareRenameRequest::METHOD => {
                params::<lsp_types::TextDocumentPositionParams>(&id, raw).map(|p| {
                    let range = self
                        .document(&p.text_document.uri)
                        .and_then(|d| d.prepare_rename(p.position));
                    json(range.map(PrepareRenameResponse::Range))
                })
            }
            Rename::METHOD => match params::<lsp_types::RenameParams>(&id, raw) {
                Ok(p) => {
                    let at = p.text_document_position;
                    let uri = &at.text_document.uri;
                    match self
                        .document(uri)
                        .map(|d| d.rename(uri, at.position, &p.new_name))
                    {
                        Some(Ok(edit)) => Ok(json(edit)),
                        Some(Err(message)) => Err(Response::new_err(
                            id.clone(),
                            ErrorCode::InvalidRequest as i32,
                            message,
                        )),
                        None => Ok(Value::Null),
                    }
                }
                Err(e) => Err(e),
            },
            DocumentSymbolRequest::METHOD => params::<lsp_types::DocumentSymbolParams>(&id, raw)
                .map(|p| {
                    json(
                        self.document(&p.text_document.uri)
                            .map(|d| DocumentSymbolResponse::Nested(d.symbols())),
                    )
                }),
            Completion::METHOD => params::<lsp_types::CompletionParams>(&id, raw).map(|p| {
                let at = p.text_document_position;
                json(
                    self.document(&at.text_document.uri)
                        .map(|d| d.completion(at.position)),
                )
            }),
            Formatting::METHOD => {
                params::<lsp_types::DocumentFormattingParams>(&id, raw).map(|p| {
                    json(
                        self.document(&p.text_document.uri)
                            .and_then(Document::formatting),
                    )
                })
            }
            _ => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("unsupported: {method}"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(response) => response,
        }
    }

    /// Handles a notification; returns the notifications to send back.
    pub fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let uri = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                // A second open of an open document starts it afresh.
                self.documents.remove(&p.text_document.uri);
                self.set_text(&p.text_document.uri, p.text_document.text);
                p.text_document.uri
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                // Changes apply in order; a change with a range edits the
                // text so far, one without replaces it. A range outside the
                // text rejects the whole notification and keeps the old text.
                let old = self.documents.get(&p.text_document.uri).map(Document::text);
                let mut text: Option<String> = None;
                for change in p.content_changes {
                    match change.range {
                        None => text = Some(change.text),
                        Some(range) => {
                            let current = text.as_deref().or(old).unwrap_or("");
                            let (Some(start), Some(end)) =
                                (offset(current, range.start), offset(current, range.end))
                            else {
                                return vec![show_error(format!(
                                    "vpcc: change rejected: range {}:{}-{}:{} is outside the document; the text is unchanged",
                                    range.start.line,
                                    range.start.character,
                                    range.end.line,
                                    range.end.character
                                ))];
                            };
                            if start > end {
                                return vec![show_error(
                                    "vpcc: change rejected: range ends before it starts"
                                        .to_string(),
                                )];
                            }
                            let mut edited =
                                String::with_capacity(current.len() + change.text.len());
                            edited.push_str(&current[..start]);
                            edited.push_str(&change.text);
                            edited.push_str(&current[end..]);
                            text = Some(edited);
                        }
                    }
                }
                let Some(text) = text else {
                    return Vec::new();
                };
                self.set_text(&p.text_document.uri, text);
                p.text_document.uri
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                // A running job for it stops.
                if let Some(g) = self.generations.remove(&p.text_document.uri) {
                    g.fetch_add(1, Ordering::Relaxed);
                }
                let clear = PublishDiagnosticsParams {
                    uri: p.text_document.uri,
                    diagnostics: Vec::new(),
                    version: None,
                };
                return vec![Notification::new(
                    PublishDiagnostics::METHOD.to_string(),
                    clear,
                )];
            }
            _ => return Vec::new(),
        };
        // Diagnostics waiting for a job are published when it ends.
        match self.documents.get(&uri) {
            Some(doc) if doc.settled() => vec![publish(&uri, doc)],
            _ => Vec::new(),
        }
    }
}

/// The `publishDiagnostics` notification of a document.
fn publish(uri: &Uri, doc: &Document) -> Notification {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: doc.diagnostics(uri),
        version: None,
    };
    Notification::new(PublishDiagnostics::METHOD.to_string(), params)
}

/// Whether `next` makes `current` pointless: both replace the whole text
/// of the same document.
pub fn superseded(current: &Notification, next: &Notification) -> bool {
    fn full_text_uri(n: &Notification) -> Option<&Value> {
        if n.method != DidChangeTextDocument::METHOD {
            return None;
        }
        let changes = n.params.get("contentChanges")?.as_array()?;
        let last = changes.last()?;
        last.get("range").is_none().then_some(())?;
        n.params.get("textDocument")?.get("uri")
    }
    match (full_text_uri(current), full_text_uri(next)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`, or
/// `None` when the line or column is past the end.
fn offset(text: &str, position: lsp_types::Position) -> Option<usize> {
    let mut start = 0;
    for _ in 0..position.line {
        start += text[start..].find('\n')? + 1;
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units == position.character {
            return Some(start + i);
        }
        units += c.len_utf16() as u32;
        if units > position.character {
            return None;
        }
    }
    (units == position.character).then_some(start + line.len())
}

fn show_error(message: String) -> Notification {
    Notification::new(
        "window/showMessage".to_string(),
        serde_json::json!({ "type": 1, "message": message }),
    )
}

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A JSON-RPC error response.
pub fn error_response(id: Value, code: i32, message: &str) -> Value {
    serde_json::json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// A frame's body as a message, or the error response to send for it (id
/// null unless the body had one): not JSON (-32700), or not a JSON-RPC 2.0
/// message (-32600).
pub fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Err(error_response(
                Value::Null,
                -32700,
                &format!("parse error: {e}"),
            ));
        }
    };
    let id = match &value {
        Value::Object(map) => match map.get("id") {
            Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
            _ => Value::Null,
        },
        _ => Value::Null,
    };
    let is_jsonrpc = value.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
    match serde_json::from_value::<Message>(value) {
        Ok(message) if is_jsonrpc => Ok(message),
        _ => Err(error_response(
            id,
            -32600,
            "invalid request: not a JSON-RPC 2.0 message",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_what_is_not_json_rpc() {
        let code = |body: &[u8]| decode(body).expect_err("refused")["error"]["code"].clone();
        assert_eq!(code(b"{"), -32700);
        assert_eq!(code(b"[1, 2]"), -32600);
        assert_eq!(code(br#"{"id": 7, "method": "x"}"#), -32600);
        let e = decode(br#"{"jsonrpc": "1.0", "id": "a", "method": "x"}"#).expect_err("refused");
        assert_eq!(e["id"], "a");
        assert!(decode(br#"{"jsonrpc": "2.0", "id": 1, "method": "x"}"#).is_ok());
    }

    #[test]
    fn every_request_gets_one_response_of_its_id() {
        let mut server = Server::new();
        let open = Notification::new(
            DidOpenTextDocument::METHOD.into(),
            serde_json::json!({ "textDocument": { "uri": "file:///a.vpc", "languageId": "vpc", "version": 1, "text": "vpc a 10.0.0.0/16\n" } }),
        );
        let out = server.handle(Message::Notification(open));
        assert!(
            matches!(&out[..], [Message::Notification(n)] if n.method == PublishDiagnostics::METHOD)
        );
        for (method, params) in [
            (
                HoverRequest::METHOD,
                serde_json::json!({ "textDocument": { "uri": "file:///a.vpc" }, "position": { "line": 0, "character": 8 } }),
            ),
            (
                HoverRequest::METHOD,
                serde_json::json!({ "textDocument": 3 }),
            ),
            ("no/such/method", Value::Null),
        ] {
            let out = server.handle(Message::Request(Request::new(
                RequestId::from(9),
                method.into(),
                params,
            )));
            assert!(
                matches!(&out[..], [Message::Response(r)] if r.id == RequestId::from(9)),
                "{method}: {out:?}"
            );
        }
    }
}
