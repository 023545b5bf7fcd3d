//! `vpcc lsp`: a scripted client drives the real binary over stdio, with
//! `Content-Length` framing, as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const URI: &str = "file:///work/net.vpc";

const SRC: &str = "external office 203.0.113.0/24
vpc main 10.0.0.0/16 {
  internet_gateway igw
  subnet pub 10.0.1.0/24 az a {
    route_table rt
    instance web 10.0.1.10 {
      public_ip security_groups [sg]
    }
  }
  route_table rt {
    route 0.0.0.0/0 -> igw
  }
  security_group sg {
    ingress tcp 22 from office
  }
}
expect office can reach web tcp 22
";

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications that arrived while waiting for a response.
    notifications: Vec<Value>,
    next_id: i64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vpcc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vpcc lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            notifications: Vec::new(),
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "vpcc", "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    /// Sends a request and returns the whole response message.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// A request's `result`, asserting there was no error.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next `textDocument/publishDiagnostics` notification's params.
    fn diagnostics(&mut self) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == "textDocument/publishDiagnostics")
        {
            return self.notifications.remove(i)["params"].clone();
        }
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }

    fn open(&mut self, text: &str) -> Value {
        let doc = json!({ "uri": URI, "languageId": "vpc", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
        self.diagnostics()
    }

    fn change(&mut self, version: i64, text: &str) -> Value {
        let params = json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] });
        self.notify("textDocument/didChange", params);
        self.diagnostics()
    }

    /// Shuts the server down and checks that it exits cleanly.
    fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        let mut stderr = String::new();
        let _ = self
            .child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr);
        assert!(status.success(), "exit status {status}, stderr: {stderr}");
    }
}

/// `{ textDocument, position }` at the `nth` occurrence of `needle` in
/// SRC, `delta` characters in (SRC is ASCII).
fn at(needle: &str, nth: usize, delta: usize) -> Value {
    let offset = SRC.match_indices(needle).nth(nth).expect("needle").0 + delta;
    json!({ "textDocument": { "uri": URI }, "position": position(SRC, offset) })
}

fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({ "line": line, "character": character })
}

#[test]
fn capabilities() {
    let client = Client::start();
    client.shutdown();
    let mut client = Client::start();
    let response = client.request("textDocument/unknown", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.shutdown();
}

#[test]
fn diagnostics_follow_the_text() {
    let mut client = Client::start();
    let broken = "# é\nexternal e 10.0.0.256/32\n";
    let published = client.open(broken);
    assert_eq!(published["uri"], URI);
    let d = &published["diagnostics"][0];
    assert_eq!(d["code"], "E0101");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "vpcc");
    assert_eq!(
        d["range"],
        json!({ "start": { "line": 1, "character": 18 }, "end": { "line": 1, "character": 21 } })
    );

    let published = client.change(2, SRC);
    assert_eq!(published["diagnostics"], json!([]));

    let published = client.change(3, "vpc main {\n");
    assert_eq!(published["diagnostics"][0]["code"], "E0001");

    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn navigation_and_editing() {
    let mut client = Client::start();
    client.open(SRC);

    let hover = client.call("textDocument/hover", at("10.0.1.0/24", 0, 4));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("256 addresses, 251 usable"), "{text}");
    assert!(text.contains("`10.0.1.1` VPC router"), "{text}");
    let hover = client.call("textDocument/hover", at("web", 1, 1));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.starts_with("instance `web` — 10.0.1.10\n\ndeclared on line 6 in subnet `pub`"),
        "{text}"
    );

    let definition = client.call("textDocument/definition", at("-> igw", 0, 3));
    assert_eq!(definition["uri"], URI);
    assert_eq!(definition["range"]["start"], at("igw", 0, 0)["position"]);

    let mut params = at("sg", 0, 0);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.call("textDocument/references", params);
    let starts: Vec<Value> = references
        .as_array()
        .expect("array")
        .iter()
        .map(|l| l["range"]["start"].clone())
        .collect();
    assert_eq!(
        starts,
        [
            at("sg", 0, 0)["position"].clone(),
            at("sg", 1, 0)["position"].clone()
        ]
    );

    let prepared = client.call("textDocument/prepareRename", at("office", 1, 2));
    assert_eq!(prepared["start"], at("office", 1, 0)["position"]);
    let mut params = at("office", 1, 2);
    params["newName"] = json!("hq");
    let edit = client.call("textDocument/rename", params);
    let edits = edit["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), 3);
    assert!(edits.iter().all(|e| e["newText"] == "hq"));
    let mut params = at("office", 1, 2);
    params["newName"] = json!("no good");
    let refused = client.request("textDocument/rename", params);
    assert!(
        refused["error"]["message"]
            .as_str()
            .expect("message")
            .contains("not a valid name"),
        "{refused}"
    );

    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(symbols[1]["name"], "main");
    assert_eq!(symbols[1]["children"][1]["name"], "pub");
    assert_eq!(symbols[1]["children"][1]["children"][0]["name"], "web");

    let formatting = json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } });
    client.change(2, "region x\nvpc v 10.0.0.0/16 {internet_gateway g}");
    let formatted = client.call("textDocument/formatting", formatting.clone());
    let new_text = formatted[0]["newText"]
        .as_str()
        .expect("one whole-file edit")
        .to_string();
    assert_eq!(
        new_text,
        "region x\n\nvpc v 10.0.0.0/16 {\n  internet_gateway g\n}\n"
    );
    assert_eq!(
        formatted[0]["range"]["end"],
        json!({ "line": 1, "character": 38 })
    );
    client.change(3, &new_text);
    assert_eq!(
        client.call("textDocument/formatting", formatting.clone()),
        json!([]),
        "already formatted"
    );
    client.change(4, "vpc {");
    assert_eq!(
        client.call("textDocument/formatting", formatting),
        Value::Null,
        "a broken file is not formatted"
    );
    client.shutdown();
}

#[test]
fn completion_in_context() {
    let mut client = Client::start();
    client.open(SRC);
    // Type a new statement in the subnet: the text stops parsing, and the
    // names of the last good version are offered.
    let edited = SRC.replace(
        "    route_table rt\n",
        "    route_table rt\n    network_acl \n",
    );
    client.change(2, &edited);
    let offset = edited.find("network_acl ").expect("edit") + "network_acl ".len();
    let at_acl = json!({ "textDocument": { "uri": URI }, "position": position(&edited, offset) });
    let items = client.call("textDocument/completion", at_acl);
    assert_eq!(items, json!([]), "no network ACL is declared");

    let edited = SRC.replace(
        "      public_ip security_groups [sg]\n",
        "      public_ip security_groups [sg, ]\n",
    );
    client.change(3, &edited);
    let offset = edited.find("[sg, ").expect("edit") + "[sg, ".len();
    let items = client.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": position(&edited, offset) }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["sg"]);
    assert_eq!(items[0]["detail"], "security_group");

    let edited = format!("{SRC}expect web can reach office pu");
    client.change(4, &edited);
    let items = client.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": position(&edited, edited.len()) }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["tcp", "udp", "icmp", "all", "via", "privately"]);
    // The edit replaces the word being typed.
    assert_eq!(
        items[0]["textEdit"]["range"]["start"],
        position(&edited, edited.len() - 2)
    );
    client.shutdown();
}
