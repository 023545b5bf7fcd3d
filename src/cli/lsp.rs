//! `vpcc lsp`: the language server, over stdio (JSON-RPC with
//! `Content-Length` framing, as editors start it).
//!
//! This file is the loop only: it keeps the open documents, turns requests
//! into calls on [`vpc::lsp::Document`] and publishes diagnostics after
//! every open and change. Documents are synced in full.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
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
use vpc::lsp::Document;

use super::Exit;
use super::io::error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &Args) -> Exit {
    let (connection, reader, writer) = stdio();
    let result = serve(&connection);
    drop(connection);
    // The reader may be blocked on stdin after `exit`; it ends with the process.
    drop(reader);
    let _ = writer.join();
    match result.map_err(|e| e.to_string()) {
        Ok(()) => Exit::Ok,
        Err(message) => {
            error(&format!("language server: {message}"));
            Exit::Usage
        }
    }
}

fn serve(connection: &Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (id, _params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": vpc::lsp::capabilities(),
        "serverInfo": { "name": "vpcc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        documents: HashMap::new(),
    };
    let mut batch = std::collections::VecDeque::new();
    loop {
        if batch.is_empty() {
            match connection.receiver.recv() {
                Ok(message) => batch.push_back(message),
                Err(_) => return Ok(()),
            }
        }
        // Take what has already arrived, so a run of full-text edits of
        // one document is analysed once, for its last text.
        while let Ok(more) = connection.receiver.try_recv() {
            batch.push_back(more);
            if batch.len() >= 64 {
                break;
            }
        }
        let Some(message) = batch.pop_front() else {
            continue;
        };
        if let (Message::Notification(n), Some(Message::Notification(next))) =
            (&message, batch.front())
            && superseded(n, next)
        {
            continue;
        }
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = server.request(request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                for out in server.notification(notification) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
}

struct Server {
    documents: HashMap<Uri, Document>,
}

/// Parses a request's params, or the error response for bad ones.
fn params<P: DeserializeOwned>(id: &RequestId, params: Value) -> Result<P, Response> {
    serde_json::from_value(params)
        .map_err(|e| Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, e.to_string()))
}

impl Server {
    fn document(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri)
    }

    fn request(&mut self, request: Request) -> Response {
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
    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let uri = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                self.documents.insert(
                    p.text_document.uri.clone(),
                    Document::new(p.text_document.text),
                );
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
                match self.documents.get_mut(&p.text_document.uri) {
                    Some(doc) => doc.update(text),
                    None => {
                        self.documents
                            .insert(p.text_document.uri.clone(), Document::new(text));
                    }
                }
                p.text_document.uri
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
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
        let diagnostics = self
            .documents
            .get(&uri)
            .map(|d| d.diagnostics(&uri))
            .unwrap_or_default();
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        vec![Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )]
    }
}

/// Whether `next` makes `current` pointless: both replace the whole text
/// of the same document.
fn superseded(current: &Notification, next: &Notification) -> bool {
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

/// The largest frame body the server reads: the compiler's input cap.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// The longest header line the server keeps; longer ones are refused.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// One step of the frame reader.
enum Frame {
    /// A well-formed JSON-RPC message.
    Message(Message),
    /// A frame the server cannot use: the error response to send (id null
    /// unless the frame had one), after which reading goes on.
    Error(Value),
    /// End of input.
    End,
}

fn error_response(id: Value, code: i32, message: &str) -> Value {
    serde_json::json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// Reads one header line of at most `MAX_HEADER_LINE` bytes into `line`;
/// `Ok(false)` at end of input. A longer line is consumed to its end
/// (in bounded chunks) and reported as `Err(())`.
fn header_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<Result<bool, ()>> {
    line.clear();
    let n = input
        .by_ref()
        .take(MAX_HEADER_LINE as u64 + 1)
        .read_until(b'\n', line)?;
    if n == 0 {
        return Ok(Ok(false));
    }
    if line.last() == Some(&b'\n') {
        return Ok(Ok(true));
    }
    if n <= MAX_HEADER_LINE {
        // End of input inside a line.
        return Ok(Ok(false));
    }
    // Too long: skip to the end of the line without keeping it.
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(Err(()));
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(Err(()));
        }
        let len = buf.len();
        input.consume(len);
    }
}

/// Reads the next frame. Never allocates more than the body it read, which
/// is at most `MAX_BODY`; never stops on a malformed frame.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<Frame> {
    let mut line = Vec::new();
    let mut length: Option<Result<usize, String>> = None;
    let mut bad_header: Option<String> = None;
    loop {
        match header_line(input, &mut line)? {
            Ok(false) => return Ok(Frame::End),
            Err(()) => {
                bad_header = Some(format!("header line longer than {MAX_HEADER_LINE} bytes"));
                continue;
            }
            Ok(true) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_none() && bad_header.is_none() {
                // A stray blank line between frames.
                continue;
            }
            break;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                let value = value.trim();
                length = Some(match value.parse::<u64>() {
                    Ok(n) if n <= MAX_BODY as u64 => Ok(n as usize),
                    Ok(n) => Err(format!(
                        "Content-Length {n} is above the limit of {MAX_BODY} bytes"
                    )),
                    Err(_) => Err(format!("Content-Length is not a number: {value:?}")),
                });
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ if length.is_none() => {
                // Garbage before any header: skip it, looking for the next header.
                bad_header.get_or_insert_with(|| "garbage before a frame header".to_string());
            }
            _ => {}
        }
    }
    let length = match length {
        Some(Ok(n)) => n,
        Some(Err(message)) => {
            return Ok(Frame::Error(error_response(Value::Null, -32600, &message)));
        }
        None => {
            let message = bad_header.unwrap_or_else(|| "no Content-Length header".to_string());
            return Ok(Frame::Error(error_response(Value::Null, -32700, &message)));
        }
    };
    let mut body = Vec::new();
    let got = input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if got < length {
        return Ok(Frame::End);
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            return Ok(Frame::Error(error_response(
                Value::Null,
                -32700,
                &format!("parse error: {e}"),
            )));
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
        Ok(message) if is_jsonrpc => Ok(Frame::Message(message)),
        _ => Ok(Frame::Error(error_response(
            id,
            -32600,
            "invalid request: not a JSON-RPC 2.0 message",
        ))),
    }
}

type Out = Arc<Mutex<std::io::Stdout>>;

fn write_raw(out: &Out, value: &Value) {
    let body = value.to_string();
    if let Ok(mut out) = out.lock() {
        let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = out.flush();
    }
}

/// The stdio transport: our frame reader on stdin, lsp-server's `Message`
/// writer on stdout. Returns the server's end of the connection.
fn stdio() -> (
    Connection,
    std::thread::JoinHandle<()>,
    std::thread::JoinHandle<()>,
) {
    let (server, client) = Connection::memory();
    let out: Out = Arc::new(Mutex::new(std::io::stdout()));
    let reader_out = Arc::clone(&out);
    let to_server = client.sender;
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_frame(&mut input) {
                Ok(Frame::Message(message)) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if to_server.send(message).is_err() || exit {
                        break;
                    }
                }
                Ok(Frame::Error(response)) => write_raw(&reader_out, &response),
                Ok(Frame::End) | Err(_) => break,
            }
        }
    });
    let from_server = client.receiver;
    let writer = std::thread::spawn(move || {
        for message in from_server {
            if let Ok(mut out) = out.lock()
                && message.write(&mut *out).is_err()
            {
                break;
            }
        }
    });
    (server, reader, writer)
}
