#!/usr/bin/env python3
"""Re-lint latency of `kubevet lsp`: open a 2,000-line manifest, send 20 edits (full-text
didChange), and time each edit until its publishDiagnostics arrives. Prints the median.

Usage: bench/lsp_latency.py [path/to/kubevet]   (default: target/release/kubevet)
"""
import json, os, statistics, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/kubevet"

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

def document():
    text, i = "", 0
    while text.count("\n") < 2000:
        text += DEPLOYMENT.format(i=i)
        i += 1
    return text

def main():
    text = document()
    lines = text.count("\n")
    proc = subprocess.Popen([BIN, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    def send(msg):
        body = json.dumps(msg).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()
    def read():
        length = 0
        while True:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("server closed")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(proc.stdout.read(length))
    def wait(pred):
        while True:
            m = read()
            if pred(m):
                return m
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.yaml")
        uri = "file://" + path
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
        wait(lambda m: m.get("id") == 1)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        first = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        times = []
        for v in range(2, 22):
            edited = text.replace("replicas: 3", "replicas: %d" % v, 1)
            t0 = time.perf_counter()
            send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": edited}]}})
            wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
            times.append((time.perf_counter() - t0) * 1000)
        send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        wait(lambda m: m.get("id") == 2)
        send({"jsonrpc": "2.0", "method": "exit"})
        proc.wait(timeout=10)
    print(f"{lines}-line manifest, {len(first['params']['diagnostics'])} diagnostics, 20 edits: "
          f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")

main()
