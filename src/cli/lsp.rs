//! `vpcc lsp`: the language server, over stdio (JSON-RPC with
//! `Content-Length` framing, as editors start it).
//!
//! This file is the loop only: it keeps the open documents, turns requests
//! into calls on [`vpc::lsp::Document`] and publishes diagnostics after
//! every open and change. Documents are synced in full.

use std::collections::HashMap;

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
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    let joined = io_threads.join();
    match result
        .map_err(|e| e.to_string())
        .and(joined.map_err(|e| e.to_string()))
    {
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
    for message in &connection.receiver {
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
    Ok(())
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
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                match self.documents.get_mut(&p.text_document.uri) {
                    Some(doc) => doc.update(change.text),
                    None => {
                        self.documents
                            .insert(p.text_document.uri.clone(), Document::new(change.text));
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

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
