#!/usr/bin/env python3
"""Latency of the language server on one file, over stdio as an editor
drives it.

    scripts/bench-lsp.py [--vpcc target/release/vpcc] [--rounds 15]
                         [--edit space|port] FILE.vpc

Opens FILE, then per round: a one-line edit (full-text didChange, as vpcc
syncs documents in full) timed until its publishDiagnostics arrives; the
edit is on the first `ingress tcp` rule, a trailing space (`--edit space`,
no meaning changes) or its port plus one and back (`--edit port`, the
default: the `expect`s that depend on the group are walked again before the
diagnostics are published); a
hover on a CIDR timed until its answer; a completion likewise. Prints the
median and min-max of each; then a hover sent right after an edit (the
edit is checked on the request path, its `expect`s are walked off it); and the server's peak resident memory (VmHWM)
against the file's size. Timings include JSON framing and the pipe, as an
editor sees them.
"""
import argparse, json, os, statistics, subprocess, sys, time

def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def read_message(out):
    length = None
    while True:
        line = out.readline()
        if not line:
            raise SystemExit("server closed its output")
        line = line.strip()
        if not line:
            break
        k, _, v = line.partition(b":")
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(out.read(length))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--vpcc", default="target/release/vpcc")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--edit", choices=["space", "port"], default="port")
    a = ap.parse_args()
    text = open(a.file).read()
    uri = "file://" + os.path.abspath(a.file)
    p = subprocess.Popen([a.vpcc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send = lambda o: (p.stdin.write(frame(o)), p.stdin.flush())
    def wait(pred):
        while True:
            m = read_message(p.stdout)
            if pred(m):
                return m
    send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}})
    wait(lambda m: m.get("id") == 0)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "vpc", "version": 1, "text": text}}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    open_ms = (time.perf_counter() - t) * 1000
    lines = text.split("\n")
    # A line with a CIDR to hover on, and one to edit.
    hover_line = next(i for i, l in enumerate(lines) if "subnet " in l and "/" in l)
    col = lines[hover_line].index("/") - 2
    edit_line = next(i for i, l in enumerate(lines) if "ingress tcp" in l)
    original = lines[edit_line]
    head, _, rest = original.partition("ingress tcp ")
    port, _, tail = rest.partition(" ")
    def edit(r):
        if a.edit == "space":
            lines[edit_line] = original + (" " if r % 2 == 0 else "")
        else:
            p = int(port) + 1 if r % 2 == 0 else int(port)
            lines[edit_line] = f"{head}ingress tcp {p} {tail}"
    change, hover, complete, busy = [], [], [], []
    for r in range(a.rounds):
        edit(r)
        t = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": r + 2}, "contentChanges": [{"text": "\n".join(lines)}]}})
        wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        change.append((time.perf_counter() - t) * 1000)
        rid = 1000 + r
        t = time.perf_counter()
        send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": hover_line, "character": col}}})
        m = wait(lambda m: m.get("id") == rid)
        hover.append((time.perf_counter() - t) * 1000)
        assert m.get("result"), m
        rid = 5000 + r
        t = time.perf_counter()
        send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/completion", "params": {"textDocument": {"uri": uri}, "position": {"line": edit_line, "character": 0}}})
        wait(lambda m: m.get("id") == rid)
        complete.append((time.perf_counter() - t) * 1000)
    # A hover sent right after an edit, while the edit's `expect`s are
    # walked: timed until its answer, which must not wait for the walk.
    for r in range(a.rounds):
        edit(r)
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": a.rounds + r + 2}, "contentChanges": [{"text": "\n".join(lines)}]}})
        rid = 9000 + r
        t = time.perf_counter()
        send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": hover_line, "character": col}}})
        wait(lambda m: m.get("id") == rid)
        busy.append((time.perf_counter() - t) * 1000)
        wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    hwm = 0
    for l in open(f"/proc/{p.pid}/status"):
        if l.startswith("VmHWM:"):
            hwm = int(l.split()[1]) * 1024
    send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
    wait(lambda m: m.get("id") == 9)
    send({"jsonrpc": "2.0", "method": "exit"})
    p.wait(timeout=10)
    def show(name, xs):
        print(f"{name:<12} median {statistics.median(xs):8.1f} ms   min {min(xs):8.1f}   max {max(xs):8.1f}   ({len(xs)} rounds)")
    print(f"file         {len(text):,} bytes; edit: {a.edit} on line {edit_line + 1}")
    print(f"open         {open_ms:8.1f} ms")
    show("didChange", change)
    show("hover", hover)
    show("completion", complete)
    show("hover+edit", busy)
    print(f"peak memory  {hwm / 2**20:.1f} MiB = {hwm / len(text):.1f}x the input")

main()
