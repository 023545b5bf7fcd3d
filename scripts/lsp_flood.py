#!/usr/bin/env python3
"""Latency of `vpcc lsp` under a flood of edits (issue 21 item 8).

Starts the server, opens a document of about 750 KB (the small network of
tests/lsp.rs followed by `vpcc gen --vpcs 66 --azs 3 --subnets-per-az 10
--instances-per-subnet 2 --security-groups-per-vpc 10`), writes 1,000
full-text `didChange` edits as fast as the pipe takes them, then a hover,
and measures:

- answer: from the last edit written to the hover's answer, which is what
  an editor waits for after the user stops typing;
- flood: from the first edit written to the hover's answer;
- analyses: how many times diagnostics were published for the 1,000 edits;
- peak RSS of the server (VmHWM).

    scripts/lsp_flood.py [RUNS]    # default 5; VPCC=path (default target/release/vpcc)

Prints each run and the medians. Python standard library only.
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VPCC = os.environ.get("VPCC", os.path.join(ROOT, "target", "release", "vpcc"))
URI = "file:///work/net.vpc"
SRC = """external office 203.0.113.0/24
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
"""
EDITS = 1000


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def reader(stream, out):
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                out.append(None)
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = stream.read(length)
        out.append((time.monotonic(), json.loads(body)))


def wait_for(messages, pred, timeout=300):
    end = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < end:
        while seen < len(messages):
            m = messages[seen]
            seen += 1
            if m is None:
                raise SystemExit("server closed its output")
            if pred(m[1]):
                return m
        time.sleep(0.001)
    raise SystemExit("timed out")


def run(base):
    p = subprocess.Popen([VPCC, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    messages = []
    threading.Thread(target=reader, args=(p.stdout, messages), daemon=True).start()
    send = lambda m: (p.stdin.write(frame(m)), p.stdin.flush())
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait_for(messages, lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": URI, "languageId": "vpc", "version": 1, "text": base}}})
    wait_for(messages, lambda m: m.get("method") == "textDocument/publishDiagnostics")
    before = len(messages)
    frames = [frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                     "params": {"textDocument": {"uri": URI, "version": v + 2},
                                "contentChanges": [{"text": f"{base}# edit {v}\n"}]}})
              for v in range(EDITS)]
    first = time.monotonic()
    for f in frames:
        p.stdin.write(f)
    p.stdin.flush()
    last = time.monotonic()
    send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 11}}})
    answered, hover = wait_for(messages, lambda m: m.get("id") == 2)
    assert "65" in json.dumps(hover.get("result")), hover
    analyses = sum(1 for m in messages[before:]
                   if m and m[1].get("method") == "textDocument/publishDiagnostics")
    with open(f"/proc/{p.pid}/status") as f:
        hwm = next((l.split()[1] for l in f if l.startswith("VmHWM")), "0")
    send({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None})
    wait_for(messages, lambda m: m.get("id") == 3)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    p.wait(timeout=30)
    return answered - last, answered - first, analyses, int(hwm) // 1024


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    network = subprocess.run(
        [VPCC, "gen", "--vpcs", "66", "--azs", "3", "--subnets-per-az", "10",
         "--instances-per-subnet", "2", "--security-groups-per-vpc", "10"],
        check=True, capture_output=True, text=True).stdout
    base = SRC + network.replace("region ", "# region ")
    print(f"document: {len(base)} bytes, {EDITS} edits, {runs} runs, {VPCC}")
    results = []
    for i in range(runs):
        r = run(base)
        results.append(r)
        print(f"run {i + 1}: answer {r[0] * 1000:.0f} ms after the last edit, "
              f"flood {r[1]:.2f} s, {r[2]} analyses, peak RSS {r[3]} MiB")
    med = lambda k: statistics.median(r[k] for r in results)
    print(f"median: answer {med(0) * 1000:.0f} ms, flood {med(1):.2f} s, "
          f"{med(2):.0f} analyses, peak RSS {med(3):.0f} MiB")


if __name__ == "__main__":
    main()
