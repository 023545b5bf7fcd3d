//! `vpcc lsp`: a scripted client drives the real binary over stdio, with
//! `Content-Length` framing, as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

mod support;

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
        let mut child = Command::new(support::cli::vpcc_path())
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
    assert_eq!(
        labels,
        ["tcp", "udp", "icmp", "all", "ipv6", "via", "privately"]
    );
    // The edit replaces the word being typed.
    assert_eq!(
        items[0]["textEdit"]["range"]["start"],
        position(&edited, edited.len() - 2)
    );
    client.shutdown();
}

// Issue 19 item 1, issue 21 items 5 and 8: malformed frames, oversized
// frames, out-of-bounds edits and floods of edits.

impl Client {
    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// The next error response (from `notifications` first), as (id, code).
    fn error(&mut self) -> (Value, i64) {
        let found = self
            .notifications
            .iter()
            .position(|n| n.get("error").is_some());
        let message = match found {
            Some(i) => self.notifications.remove(i),
            None => loop {
                let message = self.receive();
                if message.get("error").is_some() {
                    break message;
                }
                self.notifications.push(message);
            },
        };
        assert_eq!(message["jsonrpc"], "2.0", "{message}");
        let code = message["error"]["code"].as_i64().expect("code");
        (message["id"].clone(), code)
    }

    /// A hover on the VPC's CIDR must be answered with its facts.
    fn still_answers(&mut self) {
        let hover = self.call("textDocument/hover", at("10.0.0.0/16", 0, 2));
        let text = hover["contents"].to_string();
        assert!(text.contains("65,536") || text.contains("65536"), "{hover}");
    }
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn malformed_frames_are_answered_and_the_server_reads_on() {
    let mut client = Client::start();
    client.open(SRC);
    client.still_answers();

    // Invalid JSON: parse error, id null.
    client.raw(&frame("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\""));
    assert_eq!(client.error(), (Value::Null, -32700));
    client.still_answers();

    // JSON that is not JSON-RPC: invalid request, with the id when there is one.
    client.raw(&frame("{\"hello\": \"world\", \"id\": 77}"));
    assert_eq!(client.error(), (json!(77), -32600));
    client.raw(&frame("[1, 2, 3]"));
    assert_eq!(client.error(), (Value::Null, -32600));
    client.raw(&frame("{\"id\": 5, \"method\": \"textDocument/hover\"}"));
    assert_eq!(client.error(), (json!(5), -32600), "no jsonrpc member");
    client.still_answers();

    // Garbage bytes before a header: skipped up to the next header.
    client.raw(b"\xff\xfe garbage \x00\x01\r\nmore garbage\r\n\r\n");
    assert_eq!(client.error(), (Value::Null, -32700));
    client.still_answers();

    // A Content-Length shorter than the body: the rest is garbage, then
    // the next valid header is found again.
    let body = "{\"jsonrpc\": \"2.0\", \"method\": \"initialized\", \"params\": {}}";
    let mut bytes = format!("Content-Length: {}\r\n\r\n{body}", body.len() - 10).into_bytes();
    bytes.extend_from_slice(b"\r\n");
    client.raw(&bytes);
    assert_eq!(client.error(), (Value::Null, -32700));
    client.still_answers();

    client.shutdown();
}

#[test]
fn oversized_and_bad_lengths_are_refused_without_allocating() {
    let mut client = Client::start();
    client.open(SRC);

    // Above the 64 MiB cap (and far above memory): refused at once.
    client.raw(b"Content-Length: 99999999999999\r\n\r\n");
    assert_eq!(client.error(), (Value::Null, -32600));
    client.still_answers();
    client.raw(b"Content-Length: 67108865\r\n\r\n");
    assert_eq!(client.error(), (Value::Null, -32600));
    client.still_answers();

    // Not a number.
    client.raw(b"Content-Length: twelve\r\n\r\n");
    assert_eq!(client.error(), (Value::Null, -32600));
    client.raw(b"Content-Length: -5\r\n\r\n");
    assert_eq!(client.error(), (Value::Null, -32600));
    client.still_answers();

    // A header line that does not end within the limit: 4 MB of it, read
    // in bounded chunks, then refused.
    let mut long = b"Content-Type: ".to_vec();
    long.extend(std::iter::repeat_n(b'x', 4 << 20));
    long.extend_from_slice(b"\r\n\r\n");
    client.raw(&long);
    assert_eq!(client.error(), (Value::Null, -32700));
    client.still_answers();

    client.shutdown();
}

#[test]
fn an_out_of_bounds_change_is_rejected_and_the_text_kept() {
    let mut client = Client::start();
    client.open(SRC);
    let params = json!({
        "textDocument": { "uri": URI, "version": 2 },
        "contentChanges": [{
            "range": { "start": { "line": 900, "character": 0 }, "end": { "line": 901, "character": 0 } },
            "text": "garbage"
        }]
    });
    client.notify("textDocument/didChange", params);
    let message = loop {
        let message = client.receive();
        if message["method"] == "window/showMessage" {
            break message;
        }
        assert_ne!(
            message["method"], "textDocument/publishDiagnostics",
            "{message}"
        );
    };
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("rejected"),
        "{message}"
    );
    // A column past the end of a line is out of bounds too.
    let params = json!({
        "textDocument": { "uri": URI, "version": 3 },
        "contentChanges": [{
            "range": { "start": { "line": 0, "character": 500 }, "end": { "line": 0, "character": 501 } },
            "text": "x"
        }]
    });
    client.notify("textDocument/didChange", params);
    loop {
        let message = client.receive();
        if message["method"] == "window/showMessage" {
            break;
        }
    }
    // The old text is kept: the hover still finds the CIDR where it was.
    client.still_answers();

    // An in-bounds range edit applies: rename the VPC's CIDR.
    let start = position(SRC, SRC.find("10.0.0.0/16").unwrap());
    let end = position(SRC, SRC.find("10.0.0.0/16").unwrap() + "10.0.0.0/16".len());
    let params = json!({
        "textDocument": { "uri": URI, "version": 4 },
        "contentChanges": [{ "range": { "start": start, "end": end }, "text": "10.0.0.0/8" }]
    });
    client.notify("textDocument/didChange", params);
    let diagnostics = client.diagnostics();
    assert!(
        diagnostics["diagnostics"].as_array().is_some(),
        "{diagnostics}"
    );
    let hover = client.call("textDocument/hover", at("10.0.0.0/16", 0, 2));
    assert!(
        hover["contents"].to_string().contains("16,777,216")
            || hover["contents"].to_string().contains("16777216"),
        "{hover}"
    );
    client.shutdown();
}

/// Issue 21 item 8: 1,000 full-text edits of a 750 KB document, written
/// as fast as the pipe takes them, then a request. The server must
/// analyse far fewer texts than it got (it skips an edit that the next
/// one replaces), analyse the last one (its diagnostics are the last
/// published), and still answer. How fast it answers is measured by
/// `scripts/lsp-flood.sh`, not asserted here (docs/robustness.md).
#[test]
fn a_flood_of_full_edits_is_coalesced() {
    let mut client = Client::start();
    client.open(SRC);
    // SRC, then a generated network of about 750 KB.
    let network = vpc::r#gen::generate(&vpc::r#gen::GenParams {
        vpcs: 66,
        azs: 3,
        subnets_per_az: 10,
        instances_per_subnet: 2,
        security_groups_per_vpc: 10,
        seed: 1,
    });
    let base = format!("{SRC}{}", network.replace("region ", "# region "));
    assert!(base.len() > 750_000, "{} bytes", base.len());
    let edits = 1_000;
    for version in 0..edits {
        // The last edit adds a mistake that only its analysis can report.
        let last = if version + 1 == edits {
            "peering flood_last flood_missing_a main\n"
        } else {
            ""
        };
        let text = format!("{base}# edit {version}\n{last}");
        let params = json!({ "textDocument": { "uri": URI, "version": version + 2 }, "contentChanges": [{ "text": text }] });
        client.notify("textDocument/didChange", params);
    }
    client.still_answers();
    // Every message sent before the hover's answer has arrived.
    let published: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        !published.is_empty() && published.len() < edits / 10,
        "{} analyses for {edits} edits",
        published.len()
    );
    let last = published.last().expect("published")["params"]["diagnostics"].to_string();
    assert!(
        last.contains("flood_missing_a"),
        "the last edit was not analysed: {last}"
    );
    client.shutdown();
}

#[test]
fn the_language_server_honours_allow_comments_and_vpcc_toml() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("vpcc.toml"), "[lints]\nW0602 = \"deny\"\n").expect("write");
    let uri = format!("file://{}/sub%20dir/net.vpc", dir.path().display());
    std::fs::create_dir(dir.path().join("sub dir")).expect("mkdir");
    let text = "vpc v 10.0.0.0/16 {\n  route_table spare   # vpcc: allow W0603\n  security_group sg {\n    ingress tcp 22 from 0.0.0.0/0\n  }\n}\n";
    let mut client = Client::start();
    let doc = json!({ "uri": uri, "languageId": "vpc", "version": 1, "text": text });
    client.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    let published = client.diagnostics();
    let diags = published["diagnostics"].as_array().expect("array");
    // W0603 is allowed in the file; W0602 is denied by vpcc.toml, two
    // directories up: an error.
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["code"], "W0602");
    assert_eq!(diags[0]["severity"], 1);
    // An edit keeps the settings.
    let params = json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text.replace("22", "3389") }] });
    client.notify("textDocument/didChange", params);
    let published = client.diagnostics();
    assert_eq!(published["diagnostics"][0]["severity"], 1, "{published}");
    client.shutdown();
}

/// `expect`s are walked off the request path: a failed one is published
/// once its walk ends, a request sent meanwhile is answered, and a fix
/// clears it.
#[test]
fn expects_are_walked_off_the_request_path() {
    let mut client = Client::start();
    let failing = SRC.replace("ingress tcp 22", "ingress tcp 2222");
    assert_ne!(failing, SRC, "the fixture has the rule this test edits");
    let published = client.open(&failing);
    let codes: Vec<&Value> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(codes.contains(&&json!("E0501")), "{published}");

    // An edit, then at once a hover: the hover is answered whether or not
    // the walk has ended, and the diagnostics follow.
    let params = json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": SRC }] });
    client.notify("textDocument/didChange", params);
    let hover = client.call(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(
        hover.is_null() || hover.get("contents").is_some(),
        "{hover}"
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    client.shutdown();
}

/// A whole session written at once (as a script or a fast client does):
/// the messages already read when `shutdown` arrives, `exit` among them,
/// and the `expect` worker's wake-ups are all taken in order, and the
/// server exits 0.
#[test]
fn a_session_sent_in_one_write_ends_cleanly() {
    let mut input = Vec::new();
    let messages = [
        json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize", "params": { "capabilities": {} } }),
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": URI, "languageId": "vpc", "version": 1, "text": SRC } } }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": SRC.replace("tcp 22", "tcp 23") }] } }),
        json!({ "jsonrpc": "2.0", "id": 1, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": { "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } } }),
        json!({ "jsonrpc": "2.0", "method": "exit" }),
    ];
    for m in &messages {
        let body = m.to_string();
        write!(input, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
    }
    let mut child = Command::new(support::cli::vpcc_path())
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vpcc lsp starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    let out = child.wait_with_output().expect("the server exits");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let mut reader = BufReader::new(&out.stdout[..]);
    let mut answers = Vec::new();
    while let Some(m) = read_message(&mut reader) {
        answers.push(m);
    }
    let response = |id: i64| answers.iter().find(|m| m["id"] == id).cloned();
    assert_eq!(
        response(1).expect("shutdown answered")["result"],
        Value::Null
    );
    assert_eq!(
        response(2).expect("a request after shutdown is answered")["error"]["code"],
        -32600
    );
}
