#!/usr/bin/env python3
"""Latency of `kubevet lsp` as an editor sees it.

Opens a manifest in a workspace (by default 2,000 lines of Deployments; `--pods`: 2,000 lines
of 250 small Pod documents; `--file PATH`: that file, edited one line near its middle), then
measures:
  - first diagnostics: from didOpen (sent right after initialize, while the workspace scan
    runs) to the first publishDiagnostics of the document;
  - re-lint while the scan runs: 20 one-line edits sent one after the other right after the
    first diagnostics, each timed until its publishDiagnostics (a ranged didChange when the
    server offers incremental sync, else the full text);
  - the scan: from initialize until its progress report ends;
  - re-lint after the scan: 20 more edits;
  - save: didSave of a workspace file followed at once by an edit, timed until the edit's
    diagnostics (a save must not hold diagnostics back);
  - exit: shutdown + exit until the process is gone.
Prints medians (and min/max) in milliseconds.

The workspace is an empty temporary directory unless --workspace names one, e.g. a corpus
made by `bench/generate.py OUT 20000`.

Usage: bench/lsp_latency.py [--workspace DIR] [--file PATH | --pods] [--line N] [--edits N]
                            [path/to/kubevet]
       (default binary: target/release/kubevet)
"""
import argparse, json, os, statistics, subprocess, tempfile, time

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels: {{app: web-{i}, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      containers:
      - name: web
        image: nginx:1.27.{i}
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: production
        - name: CONFIG
          valueFrom:
            configMapKeyRef: {{name: web-config, key: mode}}
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: 80}}
        volumeMounts:
        - {{name: config, mountPath: /etc/web}}
      volumes:
      - name: config
        configMap: {{name: web-config}}
---
"""


POD = """apiVersion: v1
kind: Pod
metadata:
  name: pod-{i}
spec:
  containers:
  - {{name: app, image: "registry.example/app:1.{i}"}}
---
"""


def document(template=DEPLOYMENT):
    text, i = "", 0
    while text.count("\n") < 2000:
        text += template.format(i=i)
        i += 1
    return text


def edit_line(text):
    """The 0-based line the edits change: the first `key: value` line from the middle on."""
    lines = text.split("\n")
    for n in range(len(lines) // 2, len(lines)):
        stripped = lines[n].strip()
        if ": " in stripped and not stripped.startswith(("#", "-")) and not stripped.endswith(("|", ">")):
            return n
    return len(lines) // 2


class Client:
    def __init__(self, binary, cwd):
        self.proc = subprocess.Popen([binary, "lsp"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.scan_done = None

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("server closed")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def wait(self, pred):
        while True:
            m = self.read()
            if "id" in m and "method" in m:
                # A request from the server (a progress token): accept it.
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            if m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end":
                self.scan_done = time.perf_counter()
            if pred(m):
                return m

    def diagnostics(self, uri, version):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"].get("version") == version)


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms (Linux; None elsewhere)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def summary(times):
    return (f"median {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}, n={len(times)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default="target/release/kubevet")
    ap.add_argument("--workspace", help="workspace root (default: an empty temporary directory)")
    ap.add_argument("--file", help="the manifest to open and edit (default: a generated one)")
    ap.add_argument("--pods", action="store_true",
                    help="generate 250 small Pod documents instead of Deployments")
    ap.add_argument("--line", type=int,
                    help="1-based line the edits change (default: the first `key: value` line "
                         "from the middle of the text on)")
    ap.add_argument("--edits", type=int, default=20)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    if a.file:
        text = open(a.file, encoding="utf-8").read()
    else:
        text = document(POD if a.pods else DEPLOYMENT)
    line_no = a.line - 1 if a.line else edit_line(text)
    base_line = text.split("\n")[line_no]
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.abspath(a.workspace or tmp)
        files = sum(len([f for f in fs if f.endswith((".yaml", ".yml", ".json"))])
                    for _, _, fs in os.walk(root))
        # The open document is not one of the workspace's files on disk (an unsaved buffer).
        uri = "file://" + os.path.join(root, "kubevet-bench-open.yaml")
        c = Client(binary, root)
        start = time.perf_counter()
        c.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": "file://" + root,
                           "capabilities": {"window": {"workDoneProgress": True}}}})
        init = c.wait(lambda m: m.get("id") == 1)
        sync = init["result"]["capabilities"].get("textDocumentSync")
        incremental = isinstance(sync, dict) and sync.get("change") == 2 or sync == 2
        c.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        t0 = time.perf_counter()
        c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        first = c.diagnostics(uri, 1)
        first_ms = (time.perf_counter() - t0) * 1000
        version = [2]

        current = [base_line]

        def edit(new_line, before=None):
            """Replace the edited line with `new_line`; timed until its diagnostics."""
            v = version[0]
            version[0] += 1
            if incremental:
                change = {"range": {"start": {"line": line_no, "character": 0},
                                    "end": {"line": line_no, "character": len(current[0].encode("utf-16-le")) // 2}},
                          "text": new_line}
            else:
                lines = text.split("\n")
                lines[line_no] = new_line
                change = {"text": "\n".join(lines)}
            current[0] = new_line
            t0 = time.perf_counter()
            if before:
                c.send(before)
            c.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": v},
                               "contentChanges": [change]}})
            c.diagnostics(uri, v)
            return (time.perf_counter() - t0) * 1000

        def edits():
            cpu0 = cpu_ms(c.proc.pid)
            times = [edit("%s #%d" % (base_line, version[0])) for _ in range(a.edits)]
            cpu1 = cpu_ms(c.proc.pid)
            per_edit = None if cpu0 is None or cpu1 is None else (cpu1 - cpu0) / a.edits
            return times, per_edit

        during = edits()
        during_scan = c.scan_done is None
        if c.scan_done is None:
            c.wait(lambda m: c.scan_done is not None)
        scan_ms = (c.scan_done - start) * 1000
        after = edits()
        # A save of some workspace file, then an edit at once.
        saved = None
        for dirpath, _, fs in sorted(os.walk(root)):
            yamls = sorted(f for f in fs if f.endswith((".yaml", ".yml")))
            if yamls:
                saved = os.path.join(dirpath, yamls[0])
                break
        save = None
        if saved:
            save = {"jsonrpc": "2.0", "method": "textDocument/didSave",
                    "params": {"textDocument": {"uri": "file://" + saved}}}
        saves = [edit("%s #%d" % (base_line, version[0]), before=save) for _ in range(5)]
        t0 = time.perf_counter()
        c.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        c.wait(lambda m: m.get("id") == 2)
        c.send({"jsonrpc": "2.0", "method": "exit"})
        c.proc.wait(timeout=30)
        exit_ms = (time.perf_counter() - t0) * 1000
    print(f"workspace: {files} manifest files; document: {lines} lines, "
          f"{len(first['params']['diagnostics'])} diagnostics; edits of line {line_no + 1}, "
          f"{'incremental' if incremental else 'full-text'} sync")
    print(f"first diagnostics after didOpen: {first_ms:.1f} ms")
    def cpu(per_edit):
        return "" if per_edit is None else f"; server CPU {per_edit:.1f} ms per edit"
    label = "while the scan runs" if during_scan else "(the scan had finished already)"
    print(f"re-lint after an edit, {label}: {summary(during[0])}{cpu(during[1]) if not during_scan else ''}")
    print(f"workspace scan: {scan_ms:.0f} ms")
    print(f"re-lint after an edit, after the scan: {summary(after[0])}{cpu(after[1])}")
    print(f"edit right after a save: {summary(saves)}")
    print(f"shutdown and exit: {exit_ms:.1f} ms (exit code {c.proc.returncode})")


main()
