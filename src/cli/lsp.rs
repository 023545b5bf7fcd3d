//! `vpcc lsp`: the language server, over stdio (JSON-RPC with
//! `Content-Length` framing, as editors start it).
//!
//! This file is the transport and the loop only: its own frame reader (the
//! 64 MiB cap), `lsp-server`'s writer, coalescing of full-text edits, and
//! `shutdown`/`exit`. The messages themselves are handled by the pure
//! [`vpc::lsp::server::Server`], which the fuzz target drives too.
//! Documents are synced in full.

use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};

use lsp_server::{Connection, Message};
use serde_json::Value;
use vpc::lsp::expects::{Job, Outcome};
use vpc::lsp::server::{Server, decode, error_response, superseded};

use super::Exit;
use super::io::{config_in, error};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &Args) -> Exit {
    tune_malloc();
    let (connection, wake, reader, writer) = stdio();
    let result = serve(&connection, wake);
    drop(connection);
    // The reader may be blocked on stdin after `exit`; it ends with the process.
    drop(reader);
    let _ = writer.join();
    match result.map_err(|e| e.to_string()) {
        Ok(()) => Exit::Ok,
        Err(message) => {
            // A message before `initialize` is quoted in the error: keep
            // the log line short when it is a large document.
            let message = match message.char_indices().nth(300) {
                Some((cut, _)) => format!("{}…", &message[..cut]),
                None => message,
            };
            error(&format!("language server: {message}"));
            Exit::Usage
        }
    }
}

/// The notification the `expect` worker sends the loop when it has
/// outcomes: the loop sleeps on one channel, the connection's.
const EXPECTS_DONE: &str = "$/vpcc/expectsDone";

/// Runs `expect` jobs off the request path, one at a time, oldest first;
/// a job whose document has moved on returns at once. Each outcome is sent
/// on `outcomes`, then the loop is woken.
fn expect_worker(
    wake: Wake,
) -> (
    std::sync::mpsc::Sender<Job>,
    std::sync::mpsc::Receiver<Outcome>,
) {
    let (jobs, todo) = std::sync::mpsc::channel::<Job>();
    let (done, outcomes) = std::sync::mpsc::channel::<Outcome>();
    std::thread::spawn(move || {
        for job in todo {
            if let Some(outcome) = job.run() {
                if done.send(outcome).is_err() {
                    break;
                }
                wake();
            }
        }
    });
    (jobs, outcomes)
}

fn serve(
    connection: &Connection,
    wake: Wake,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (id, _params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": vpc::lsp::capabilities(),
        "serverInfo": { "name": "vpcc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server::new();
    server.defer_expects();
    let (jobs, outcomes) = expect_worker(wake);
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
                if request.method == "shutdown" {
                    return shut_down(connection, request.id, batch);
                }
                let response = server.request(request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) if notification.method == EXPECTS_DONE => {
                while let Ok(outcome) = outcomes.try_recv() {
                    for out in server.expects_done(outcome) {
                        connection.sender.send(Message::Notification(out))?;
                    }
                }
            }
            Message::Notification(notification) => {
                if notification.method == "textDocument/didOpen" {
                    configure(&mut server, &notification.params);
                }
                for out in server.notification(notification) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
        for job in server.take_jobs() {
            jobs.send(job)?;
        }
    }
}

/// Answers `shutdown`, then waits for `exit` (as `lsp-server`'s
/// `handle_shutdown` does, but passing over the `expect` worker's wake-ups
/// and refusing requests, as the protocol asks after `shutdown`).
fn shut_down(
    connection: &Connection,
    id: lsp_server::RequestId,
    // Messages already taken from the connection, in order.
    mut batch: std::collections::VecDeque<Message>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    connection
        .sender
        .send(Message::Response(lsp_server::Response::new_ok(
            id,
            Value::Null,
        )))?;
    loop {
        let next = match batch.pop_front() {
            Some(message) => Ok(message),
            None => connection
                .receiver
                .recv_timeout(std::time::Duration::from_secs(30)),
        };
        match next {
            Ok(Message::Notification(n)) if n.method == "exit" => return Ok(()),
            Ok(Message::Request(r)) => {
                let refused = lsp_server::Response::new_err(
                    r.id,
                    lsp_server::ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".to_string(),
                );
                connection.sender.send(Message::Response(refused))?;
            }
            Ok(_) => {}
            Err(e) if e.is_disconnected() => return Ok(()),
            Err(_) => {
                return Err("no exit notification within 30 s of shutdown".into());
            }
        }
    }
}

/// Finds the `vpcc.toml` of a document that opens (a `file:` URI) and
/// gives it to the server. An invalid one is reported on stderr, the
/// editor's server log, and the document is compiled without it.
fn configure(server: &mut Server, params: &Value) {
    let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else {
        return;
    };
    let Ok(parsed) = uri.parse::<lsp_types::Uri>() else {
        return;
    };
    let Some(path) = file_path(uri) else {
        return;
    };
    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
    match config_in(dir) {
        Ok(config) => server.configure(parsed, config),
        Err(message) => error(&message),
    }
}

/// The path of a `file:` URI (percent-decoded), if it is one.
fn file_path(uri: &str) -> Option<std::path::PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    let path = match path.as_bytes() {
        [b'/', _, b':', ..] => path[1..].to_string(),
        _ => path,
    };
    Some(std::path::PathBuf::from(path))
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
    Ok(match decode(&body) {
        Ok(message) => Frame::Message(message),
        Err(response) => Frame::Error(response),
    })
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
    Wake,
    std::thread::JoinHandle<()>,
    std::thread::JoinHandle<()>,
) {
    let (server, client) = Connection::memory();
    let out: Out = Arc::new(Mutex::new(std::io::stdout()));
    let reader_out = Arc::clone(&out);
    let to_server = client.sender;
    let waker = to_server.clone();
    let wake: Wake = Box::new(move || {
        let _ = waker.send(Message::Notification(lsp_server::Notification::new(
            EXPECTS_DONE.to_string(),
            Value::Null,
        )));
    });
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
    (server, wake, reader, writer)
}

/// Wakes the loop (see [`EXPECTS_DONE`]).
type Wake = Box<dyn Fn() + Send>;

/// Two glibc malloc settings for a server that holds one large document
/// and rebuilds it on every edit (BENCHMARKS.md, language server memory):
/// one arena, since each thread that allocates otherwise gets its own and
/// keeps freed pages there; and a fixed mmap threshold of 1 MiB, so every
/// large buffer (a version's text, its tables) is mapped and returned to
/// the system when freed, instead of glibc's dynamic threshold moving such
/// buffers into the heap, where each edit's new version lands beside the
/// old one's holes and the peak grows edit by edit.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // SAFETY: mallopt only sets allocator parameters; it is called before
    // the server starts its threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
