//! The language server end to end: the real binary over stdio — initialize, open, change,
//! diagnostics (with UTF-16 positions), code actions (applied as a client applies them),
//! hover, configuration reloads, the workspace scan, close, shutdown and exit codes.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages received while waiting for another one, oldest first.
    pending: Vec<Value>,
}

impl Server {
    fn start(root: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubevet"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kubevet lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if !v.is_null() && tx.send(v).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
            pending: Vec::new(),
        }
    }

    /// Start, initialize with these client capabilities and a root, and send `initialized`.
    fn init(root: &std::path::Path, capabilities: Value) -> Server {
        let mut s = Server::start(root);
        s.request(
            "initialize",
            json!({"processId": null, "rootUri": file_uri(root), "capabilities": capabilities}),
        );
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let msg = self.wait(|m| m["id"] == id);
        msg["result"].clone()
    }

    /// The first message matching `pred` (messages received before are searched first),
    /// failing after a timeout instead of hanging.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i);
        }
        loop {
            let Ok(m) = self.rx.recv_timeout(Duration::from_secs(30)) else {
                panic!("no answer in time; received: {:#}", json!(self.pending));
            };
            if pred(&m) {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// Forget every message received so far.
    fn drain(&mut self) {
        self.pending.clear();
        while self.rx.try_recv().is_ok() {}
    }

    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        self.diagnostics_until(uri, |m| version.is_none_or(|v| m["params"]["version"] == v))
    }

    /// The diagnostics of the first publication for `uri` that satisfies `pred` (which sees
    /// the whole notification).
    fn diagnostics_until(&mut self, uri: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && pred(m)
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn code_actions(&mut self, uri: &str, start: (u32, u32), end: (u32, u32)) -> Vec<Value> {
        let r = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}},
                "context": {"diagnostics": []}
            }),
        );
        r.as_array().cloned().unwrap_or_default()
    }

    /// `shutdown` (unless `polite` is false), `exit`, and the process's exit code.
    fn exit(mut self, polite: bool) -> Option<i32> {
        if polite {
            assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        }
        self.notify("exit", Value::Null);
        // Wait for the process itself (no polling); the bound only turns a hang into a failure.
        let (tx, rx) = channel();
        let mut child = self.child;
        std::thread::spawn(move || {
            let _ = tx.send(child.wait().map(|s| s.code()));
        });
        rx.recv_timeout(Duration::from_secs(30))
            .expect("server did not exit")
            .expect("wait")
    }
}

/// One message from the server's stdout (`Null` if its body is not JSON); `None` at the end
/// of the stream.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Byte offset of an LSP position (UTF-16 columns) in `text`.
fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().expect("line") as usize;
    let character = p["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let mut units = 0;
    for (i, c) in line_text.char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line_text.len()
}

/// Apply LSP text edits as the protocol says: every range refers to the original text, ranges
/// must not overlap, and inserts at one position apply in array order.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, usize, &str)> = edits
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                i,
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.2));
    let mut out = String::new();
    let mut pos = 0;
    for (start, end, _, new) in spans {
        assert!(start >= pos, "overlapping edits in {edits:?}");
        assert!(start <= end, "inverted range in {edits:?}");
        out.push_str(&text[pos..start]);
        out.push_str(new);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The text edits of an action's workspace edit for `uri` (either form).
fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0]["textDocument"]["uri"], uri);
        return changes[0]["edits"].as_array().cloned().expect("edits");
    }
    edit["changes"][uri].as_array().cloned().expect("edits")
}

const DOC: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {note: \"héllo 😀\"}\nspec:\n  restartPolicy: Never\n  containers:\n  - {name: web, image: \"nginx:latest\"}  # ünïcode 😀\n  resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}\n";

#[test]
fn language_server_end_to_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pod.yaml");
    std::fs::write(&path, DOC).expect("write");
    let uri = format!("file://{}", path.display());
    let mut s = Server::start(dir.path());
    let init = s.request("initialize", json!({"processId": null, "rootUri": format!("file://{}", dir.path().display()), "capabilities": {}}));
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    s.notify("initialized", json!({}));

    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": DOC}}),
    );
    let diags = s.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "latest-tag-pull-policy");
    assert_eq!(d["source"], "kubevet");
    assert_eq!(d["severity"], 2);
    // The same documentation link as SARIF's helpUri.
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/kubevet/kubevet/blob/main/rules/latest-tag-pull-policy.md"
    );
    // Line 9 (0-based 8); the image value starts after `  - {name: web, image: `.
    assert_eq!(d["range"]["start"], json!({"line": 8, "character": 23}));
    assert_eq!(d["range"]["end"], json!({"line": 8, "character": 37}));

    // A change with non-ASCII text before the finding on the same line: UTF-16 columns.
    // (In `args`: a container name must be a DNS label, which `wéb😀` is not.)
    let changed = DOC.replace("- {name: web,", "- {name: web, args: [é😀],");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let diags = s.diagnostics(&uri, Some(2));
    assert_eq!(diags.len(), 1, "{diags:?}");
    // `é` is one UTF-16 unit (two bytes), `😀` two units (four bytes): the value moves right
    // by the 13 units of ` args: [é😀],`, not by the 16 bytes added.
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 8, "character": 36})
    );

    // Code actions at the finding: the ignore-comment action inserts above the line.
    let actions = s.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 8, "character": 40}, "end": {"line": 8, "character": 40}},
            "context": {"diagnostics": []}
        }),
    );
    let actions = actions.as_array().expect("actions");
    let ignore = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Ignore `latest-tag-pull-policy`"))
        })
        .expect("ignore action");
    let edit = &ignore["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"]["start"], json!({"line": 8, "character": 0}));
    assert_eq!(
        edit["newText"],
        "  # kubevet-ignore latest-tag-pull-policy -- reason\n"
    );

    // Hover on the finding explains the rule; hover on a field shows its schema description.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 40}}),
    );
    let v = h["contents"]["value"].as_str().expect("hover text");
    assert!(
        v.contains("kubevet(latest-tag-pull-policy)") && v.contains("registry"),
        "{v}"
    );
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 4}}),
    );
    let v = h["contents"]["value"].as_str().expect("field hover");
    assert!(
        v.contains("restartPolicy") && v.to_lowercase().contains("restart"),
        "{v}"
    );

    // A half-typed document does not crash the server: it answers with a syntax finding.
    s.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n"}]}));
    let diags = s.diagnostics(&uri, Some(3));
    assert!(
        diags.iter().any(|d| d["code"] == "yaml-syntax"),
        "{diags:?}"
    );

    s.drain();
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    // The close clears the document's diagnostics (that publication carries no version).
    let diags = s.diagnostics_until(&uri, |m| m["params"].get("version").is_none());
    assert!(diags.is_empty(), "{diags:?}");

    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn an_invalid_config_is_logged_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    std::fs::write(
        dir.path().join("kubevet.toml"),
        "[rules]\nnot-a-rule = \"off\"\n",
    )
    .expect("write");
    let path = dir.path().join("a.yaml");
    let uri = format!("file://{}", path.display());
    let mut s = Server::start(dir.path());
    s.request("initialize", json!({"processId": null, "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": "a: [1\n"}}));
    let log = s.wait(|m| m["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not-a-rule")),
        "{log}"
    );
    let diags = s.diagnostics(&uri, Some(1));
    assert!(diags.iter().any(|d| d["code"] == "yaml-syntax"));
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
}

#[test]
fn rule_fixes_are_quick_fixes_and_presets_come_from_the_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    // A preset on disk, in another file, that conflicts with the open pod's env var.
    std::fs::write(
        dir.path().join("preset.yaml"),
        "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {app: web}\n  env:\n  - {name: DB_PORT, value: \"6379\"}\n",
    )
    .expect("write");
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:1.27.2\n    env:\n    - {name: DB_PORT, value: \"5432\"}\n    hostAliases:\n    - ip: 10.0.0.1\n      hostnames: [db]\n";
    let path = dir.path().join("pod.yaml");
    std::fs::write(&path, text).expect("write");
    let uri = format!("file://{}", path.display());
    let preset_uri = format!("file://{}", dir.path().join("preset.yaml").display());
    let mut s = Server::start(dir.path());
    s.request("initialize", json!({"processId": null, "rootUri": format!("file://{}", dir.path().display()), "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let diags = s.diagnostics(&uri, Some(1));
    assert!(
        diags.iter().any(|d| d["code"] == "misplaced-field"),
        "{diags:?}"
    );
    let actions = s.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 12, "character": 4}, "end": {"line": 12, "character": 4}},
            "context": {"diagnostics": []}
        }),
    );
    let fix = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred quick fix")
        .clone();
    assert!(
        fix["title"]
            .as_str()
            .is_some_and(|t| t.contains("hostAliases")),
        "{fix}"
    );
    assert!(!fix["edit"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .is_empty());

    // The preset file, opened, shows the conflict with the pod from the other file.
    let preset_text = std::fs::read_to_string(dir.path().join("preset.yaml")).expect("read");
    s.notify("textDocument/didOpen", json!({"textDocument": {"uri": preset_uri, "languageId": "yaml", "version": 1, "text": preset_text}}));
    // (Published at once without cross-file facts if the scan is still running, then again.)
    let diags = s.diagnostics_until(&preset_uri, has_conflict);
    assert!(codes(&diags).contains(&"podpreset-conflict".to_string()));
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::init(dir.path(), json!({}));
    assert_eq!(s.exit(false), Some(1));
}

const LATEST: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:latest\n  resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}\n";

fn severities(diags: &[Value]) -> Vec<i64> {
    diags
        .iter()
        .filter_map(|d| d["severity"].as_i64())
        .collect()
}

/// Both documents are published with `severity` for `latest-tag-pull-policy`.
fn both_with(s: &mut Server, uris: &[&str], severity: i64) {
    for uri in uris {
        let diags = s.diagnostics_until(uri, |m| {
            m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.len() == 1 && d[0]["severity"] == severity)
        });
        assert_eq!(severities(&diags), vec![severity], "{uri}");
    }
}

#[test]
fn config_changes_are_picked_up_with_watched_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let config = dir.path().join("kubevet.toml");
    std::fs::write(&config, "[rules]\nlatest-tag-pull-policy = \"warning\"\n").expect("write");
    let a = file_uri(&dir.path().join("a.yaml"));
    let b = file_uri(&dir.path().join("b.yaml"));
    let mut s = Server::init(
        dir.path(),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    // The server asks to be told about configuration files and manifests.
    let reg = s.wait(|m| m["method"] == "client/registerCapability");
    let watchers = reg["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert_eq!(
        reg["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    assert!(
        watchers.contains("**/{kubevet,.kubevet}.toml")
            && watchers.contains("**/*.{yaml,yml,json}"),
        "{watchers}"
    );
    s.send(json!({"jsonrpc": "2.0", "id": reg["id"], "result": null}));
    s.open(&a, LATEST);
    s.open(&b, LATEST);
    both_with(&mut s, &[&a, &b], 2);

    std::fs::write(&config, "[rules]\nlatest-tag-pull-policy = \"error\"\n").expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    // Every open document is linted again with the new configuration.
    both_with(&mut s, &[&a, &b], 1);
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn config_changes_are_picked_up_without_watched_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let config = dir.path().join("kubevet.toml");
    std::fs::write(&config, "[rules]\nlatest-tag-pull-policy = \"warning\"\n").expect("write");
    let a = file_uri(&dir.path().join("a.yaml"));
    let b = file_uri(&dir.path().join("b.yaml"));
    let mut s = Server::init(dir.path(), json!({}));
    s.open(&a, LATEST);
    s.open(&b, LATEST);
    both_with(&mut s, &[&a, &b], 2);
    assert!(
        !s.pending
            .iter()
            .any(|m| m["method"] == "client/registerCapability"),
        "no registration without dynamic registration"
    );

    // The client says nothing about the file; the next lint sees it changed on disk (a
    // different size, whatever the clock's resolution).
    std::fs::write(
        &config,
        "[rules]\nlatest-tag-pull-policy = \"error\"  # now\n",
    )
    .expect("write");
    s.change(&a, 2, &format!("{LATEST}# edited\n"));
    let diags = s.diagnostics(&a, Some(2));
    assert_eq!(severities(&diags), vec![1]);
    // ... and every other open document is linted again with it.
    both_with(&mut s, &[&b], 1);

    // Saving the configuration in the editor also reloads it.
    std::fs::write(&config, "[rules]\nlatest-tag-pull-policy = \"info\"\n").expect("write");
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&config)}}),
    );
    both_with(&mut s, &[&a, &b], 3);
    assert_eq!(s.exit(true), Some(0));
}

const PRESET: &str = "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {app: web}\n  env:\n  - {name: DB_PORT, value: \"6379\"}\n";

fn pod_with_port(port: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {{app: web}}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:1.27.2\n    env:\n    - {{name: DB_PORT, value: \"{port}\"}}\n")
}

fn has_conflict(m: &Value) -> bool {
    m["params"]["diagnostics"]
        .to_string()
        .contains("podpreset-conflict")
}

#[test]
fn a_save_updates_conflicts_shown_in_other_open_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let preset = dir.path().join("preset.yaml");
    let pod = dir.path().join("pod.yaml");
    std::fs::write(&preset, PRESET).expect("write");
    std::fs::write(&pod, pod_with_port("6379")).expect("write");
    let (preset_uri, pod_uri) = (file_uri(&preset), file_uri(&pod));
    let mut s = Server::init(dir.path(), json!({"window": {"workDoneProgress": true}}));
    s.open(&preset_uri, PRESET);
    s.open(&pod_uri, &pod_with_port("6379"));
    // Once the scan has ended, every open document is linted again with the files it found:
    // nothing conflicts yet.
    s.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    s.pending.clear();
    let diags = s.diagnostics(&preset_uri, None);
    assert!(!codes(&diags).contains(&"podpreset-conflict".to_string()));

    // The pod's file changes and is saved: the preset's document shows the conflict, though
    // it was not edited.
    s.change(&pod_uri, 2, &pod_with_port("5432"));
    std::fs::write(&pod, pod_with_port("5432")).expect("write");
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": pod_uri}}),
    );
    let diags = s.diagnostics_until(&preset_uri, has_conflict);
    assert!(codes(&diags).contains(&"podpreset-conflict".to_string()));

    // Back as it was: the conflict goes away.
    s.drain();
    s.change(&pod_uri, 3, &pod_with_port("6379"));
    std::fs::write(&pod, pod_with_port("6379")).expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": pod_uri, "type": 2}]}),
    );
    let diags = s.diagnostics_until(&preset_uri, |m| !has_conflict(m));
    assert!(!codes(&diags).contains(&"podpreset-conflict".to_string()));
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn excluded_documents_get_no_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    std::fs::create_dir(dir.path().join("vendor")).expect("vendor");
    std::fs::write(
        dir.path().join("kubevet.toml"),
        "exclude = [\"vendor/**\"]\n",
    )
    .expect("write");
    let vendored = file_uri(&dir.path().join("vendor/chart.yaml"));
    let own = file_uri(&dir.path().join("app.yaml"));
    let mut s = Server::init(dir.path(), json!({}));
    s.open(&vendored, LATEST);
    s.open(&own, LATEST);
    assert!(s.diagnostics(&vendored, Some(1)).is_empty());
    assert_eq!(
        codes(&s.diagnostics(&own, Some(1))),
        ["latest-tag-pull-policy"]
    );
    assert_eq!(s.exit(true), Some(0));
}

/// A manifest of about 2,000 lines: Deployments with nothing to fix.
fn big_manifest() -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.lines().count() < 2000 {
        text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\nspec:\n  selector:\n    matchLabels: {{app: web-{i}}}\n  template:\n    metadata:\n      labels: {{app: web-{i}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27.{i}\n        ports:\n        - containerPort: 80\n        readinessProbe:\n          httpGet: {{path: /ready, port: 80}}\n        livenessProbe:\n          httpGet: {{path: /live, port: 80}}\n"));
        i += 1;
    }
    text
}

const MISPLACED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:1.2\n    hostNetwork: true\n";

#[test]
fn code_actions_always_match_the_current_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let path = dir.path().join("big.yaml");
    let uri = file_uri(&path);
    let mut s = Server::init(
        dir.path(),
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
    );
    let v1 = format!("{MISPLACED}{}", big_manifest());
    s.open(&uri, &v1);
    let diags = s.diagnostics(&uri, Some(1));
    assert!(codes(&diags).contains(&"misplaced-field".to_string()));

    // Three lines at the top, and at once a code action at `hostNetwork`'s new line (10 + 3,
    // 0-based 12), before the lint of version 2 can have been published: the answer must be
    // made for version 2, not from version 1's diagnostics.
    let v2 = format!("# a\n# b\n# c\n{v1}");
    s.change(&uri, 2, &v2);
    let actions = s.code_actions(&uri, (12, 6), (12, 6));
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("the move fix at the new position");
    let change = &fix["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 2, "{fix}");
    let fixed = apply_edits(&v2, &action_edits(fix, &uri));
    // What `kubevet check --fix` writes for the same text.
    std::fs::write(&path, &v2).expect("write");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--fix", "--fail-level", "never"])
        .arg(&path)
        .stdout(Stdio::null())
        .status()
        .expect("kubevet --fix");
    assert!(status.success());
    let expected = std::fs::read_to_string(&path).expect("read");
    assert_eq!(fixed, expected);
    assert!(fixed.starts_with("# a\n# b\n# c\napiVersion: v1\n"));

    // Hover, too, answers for the current text: the old position of `hostNetwork` (line 9)
    // now holds `image`.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 12, "character": 6}}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("misplaced-field")),
        "{h}"
    );
    assert_eq!(s.exit(true), Some(0));
}

/// Apply preferred quick fixes one at a time, as a user would, until none is left.
fn fix_in_editor(s: &mut Server, uri: &str, text: &str) -> String {
    s.open(uri, text);
    s.diagnostics(uri, Some(1));
    let mut text = text.to_string();
    let mut version = 1;
    for _ in 0..60 {
        let actions = s.code_actions(uri, (0, 0), (9999, 0));
        let Some(fix) = actions.iter().find(|a| a["isPreferred"] == true) else {
            return text;
        };
        text = apply_edits(&text, &action_edits(fix, uri));
        version += 1;
        s.change(uri, version, &text);
        s.diagnostics(uri, Some(version));
    }
    panic!("fixes did not converge");
}

#[test]
fn applied_quick_fixes_give_what_fix_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let mut s = Server::init(dir.path(), json!({}));
    for rule in ["misplaced-field", "projected-items-shape"] {
        let fixture = format!("fixtures/rules/{rule}/fail.yaml");
        let text = std::fs::read_to_string(&fixture).expect("fixture");
        let engine = kubevet::check::Engine::new(Default::default()).expect("engine");
        let expected = engine.fix(&fixture, &text).text;
        let uri = file_uri(&dir.path().join(format!("{rule}.yaml")));
        let fixed = fix_in_editor(&mut s, &uri, &text);
        assert_eq!(fixed, expected, "{rule}: quick fixes differ from --fix");
    }
    assert_eq!(s.exit(true), Some(0));
}

const SCRIPT: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: busybox:1.36\n    command:\n    - sh\n    - -c\n    - |\n      echo start\n      echo \"10.0.0.1 db\" >> /etc/hosts\n      exec app\n";

fn ignore_action(s: &mut Server, uri: &str, rule: &str) -> Option<Value> {
    s.code_actions(uri, (0, 0), (9999, 0))
        .into_iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("Ignore `{rule}`")))
        })
}

#[test]
fn ignore_comments_go_where_they_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let mut s = Server::init(dir.path(), json!({}));

    // Inside a block scalar: above the line holding `|`, at its indentation, never inside
    // the script.
    let uri = file_uri(&dir.path().join("script.yaml"));
    s.open(&uri, SCRIPT);
    let diags = s.diagnostics(&uri, Some(1));
    assert!(
        codes(&diags).contains(&"etc-hosts-edit".to_string()),
        "{diags:?}"
    );
    let action = ignore_action(&mut s, &uri, "etc-hosts-edit").expect("ignore action");
    let edited = apply_edits(SCRIPT, &action_edits(&action, &uri));
    assert!(
        edited.contains(
            "    - -c\n    # kubevet-ignore etc-hosts-edit -- reason\n    - |\n      echo start\n"
        ),
        "{edited}"
    );

    // A comment already above the line: the rule is added to it.
    let uri = file_uri(&dir.path().join("existing.yaml"));
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  # kubevet-ignore host-namespace -- keep\n  - {name: web, image: nginx}\n  resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}\n";
    s.open(&uri, text);
    s.diagnostics(&uri, Some(1));
    let action = ignore_action(&mut s, &uri, "latest-tag-pull-policy").expect("ignore action");
    let edited = apply_edits(text, &action_edits(&action, &uri));
    assert!(
        edited.contains(
            "  # kubevet-ignore host-namespace,latest-tag-pull-policy -- keep\n  - {name: web"
        ),
        "{edited}"
    );
    s.change(&uri, 2, &edited);
    assert!(
        !codes(&s.diagnostics(&uri, Some(2))).contains(&"latest-tag-pull-policy".to_string()),
        "the extended comment silences the rule"
    );

    // CRLF stays CRLF.
    let uri = file_uri(&dir.path().join("crlf.yaml"));
    let text = LATEST.replace('\n', "\r\n");
    s.open(&uri, &text);
    s.diagnostics(&uri, Some(1));
    let action = ignore_action(&mut s, &uri, "latest-tag-pull-policy").expect("ignore action");
    let edits = action_edits(&action, &uri);
    assert_eq!(
        edits[0]["newText"],
        "    # kubevet-ignore latest-tag-pull-policy -- reason\r\n"
    );
    let edited = apply_edits(&text, &edits);
    s.change(&uri, 2, &edited);
    assert!(s.diagnostics(&uri, Some(2)).is_empty(), "{edited:?}");

    // Nothing to ignore for a syntax error.
    let uri = file_uri(&dir.path().join("broken.yaml"));
    s.open(&uri, "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n");
    assert!(codes(&s.diagnostics(&uri, Some(1))).contains(&"yaml-syntax".to_string()));
    assert!(ignore_action(&mut s, &uri, "yaml-syntax").is_none());
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn hover_shows_types_in_words_and_custom_resource_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    std::fs::create_dir(dir.path().join("crds")).expect("crds");
    std::fs::write(
        dir.path().join("kubevet.toml"),
        "schema-dirs = [\"crds\"]\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("crds/widget-example.com-v1.json"),
        r#"{"type": "object", "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}, "spec": {"type": "object", "description": "What the widget should be.", "properties": {"size": {"type": "integer", "description": "How many sprockets the widget has."}}}}}"#,
    )
    .expect("write");
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("pod.yaml"));
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeSelector: {disk: ssd}\n  containers:\n  - name: web\n    image: nginx:1.27.2\n";
    s.open(&uri, text);
    s.diagnostics(&uri, Some(1));
    let hover = |s: &mut Server, uri: &str, line: u32, character: u32| -> String {
        let h = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let v = hover(&mut s, &uri, 6, 4);
    assert!(
        v.starts_with("**containers** — list of Container\n\n"),
        "{v}"
    );
    let v = hover(&mut s, &uri, 5, 4);
    assert!(
        v.starts_with("**nodeSelector** — map of string to string"),
        "{v}"
    );
    let v = hover(&mut s, &uri, 8, 5);
    assert!(v.starts_with("**image** — string\n\n"), "{v}");

    let crd = file_uri(&dir.path().join("widget.yaml"));
    s.open(
        &crd,
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n",
    );
    s.diagnostics(&crd, Some(1));
    let v = hover(&mut s, &crd, 5, 3);
    assert_eq!(
        v,
        "**size** — integer\n\nHow many sprockets the widget has."
    );
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn a_large_workspace_never_delays_diagnostics_or_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    // Enough files that the scan (a debug build, on a shared machine) takes a while.
    for d in 0..20 {
        let sub = dir.path().join(format!("d{d:02}"));
        std::fs::create_dir(&sub).expect("mkdir");
        for f in 0..100 {
            std::fs::write(
                sub.join(format!("m{f:03}.yaml")),
                pod_with_port(&f.to_string()),
            )
            .expect("write");
        }
    }
    let start = std::time::Instant::now();
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("open.yaml"));
    s.open(&uri, LATEST);
    assert_eq!(
        codes(&s.diagnostics(&uri, Some(1))),
        ["latest-tag-pull-policy"]
    );
    let first = start.elapsed();
    assert!(
        first < Duration::from_secs(5),
        "first diagnostics after {first:?}"
    );
    // Exit is prompt even if the scan is still running.
    let t = std::time::Instant::now();
    assert_eq!(s.exit(true), Some(0));
    assert!(
        t.elapsed() < Duration::from_secs(3),
        "exit took {:?}",
        t.elapsed()
    );
}

#[test]
fn the_workspace_scan_reports_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    for i in 0..3 {
        std::fs::write(dir.path().join(format!("p{i}.yaml")), LATEST).expect("write");
    }
    let mut s = Server::init(dir.path(), json!({"window": {"workDoneProgress": true}}));
    let create = s.wait(|m| m["method"] == "window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    s.send(json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let begin = s.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin");
    assert_eq!(begin["params"]["token"], token);
    let end = s.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    assert_eq!(end["params"]["token"], token);
    assert_eq!(end["params"]["value"]["message"], "3 files");
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn exit_does_not_wait_for_a_client_that_stopped_reading() {
    // Many findings, so each publication is larger than a pipe's buffer, and a lint long
    // enough that `shutdown` arrives while one runs.
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n  - {{name: a, image: nginx}}\n  resources: {{requests: {{cpu: 10m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}\n"));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .arg("lsp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kubevet lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    // Read until the answer to `shutdown` (id 99), then stop reading but keep the pipe open,
    // as a client that is done with the server may.
    let (tx, rx) = channel::<Value>();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Some(v) = read_message(&mut r) {
            let done = v["id"] == 99;
            let _ = tx.send(v);
            if done {
                std::mem::forget(r);
                return;
            }
        }
    });
    let mut send = |v: Value| {
        let body = v.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write");
        stdin.flush().expect("flush");
    };
    let wait = |pred: &dyn Fn(&Value) -> bool| loop {
        let m = rx.recv_timeout(Duration::from_secs(30)).expect("an answer");
        if pred(&m) {
            return;
        }
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": file_uri(dir.path()), "capabilities": {}}}),
    );
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = file_uri(&dir.path().join("many.yaml"));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}}),
    );
    wait(&|m| m["params"]["version"] == 1);
    // An edit, and `shutdown` while its lint runs.
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}#2\n")}]}}),
    );
    send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null}));
    wait(&|m| m["id"] == 99);
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert_eq!(status.code(), Some(0));
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A bundle of Deployments, the Services that select them, and Pods, with characters outside
/// ASCII (two UTF-16 units for the emoji) before findings on the same line.
fn bundle() -> String {
    let mut text = String::from("# a bundle\n");
    for i in 0..30 {
        match i % 3 {
            0 => text.push_str(&format!("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\nspec:\n  selector:\n    matchLabels: {{app: web-{i}}}\n  template:\n    metadata:\n      labels: {{app: web-{i}}}\n    spec:\n      containers:\n      - {{name: web, image: nginx}}\n")),
            1 => text.push_str(&format!("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-{}\nspec:\n  selector: {{app: web-{}}}\n  ports:\n  - port: 80\n", i - 1, i - 1)),
            _ => text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\n  annotations: {{note: \"é😀\"}}\nspec:\n  containers:\n  - {{name: \"é😀\", image: nginx}} # é😀 x\n")),
        }
    }
    text
}

/// (rule, line, column, end line, end column, message), 1-based lines and columns in
/// characters, as `kubevet check --format json` reports them.
type Finding = (String, u64, u64, u64, u64, String);

fn published_as_check(text: &str, diags: &[Value]) -> Vec<Finding> {
    let lines: Vec<&str> = text.split('\n').collect();
    let column = |p: &Value| {
        let line = lines[p["line"].as_u64().expect("line") as usize];
        let units = p["character"].as_u64().expect("character") as usize;
        let mut seen = 0;
        let chars = line
            .chars()
            .take_while(|c| {
                let before = seen;
                seen += c.len_utf16();
                before < units
            })
            .count();
        chars as u64 + 1
    };
    let mut out: Vec<Finding> = diags
        .iter()
        .map(|d| {
            let r = &d["range"];
            let message = d["message"].as_str().expect("message");
            (
                d["code"].as_str().expect("code").to_string(),
                r["start"]["line"].as_u64().expect("line") + 1,
                column(&r["start"]),
                r["end"]["line"].as_u64().expect("line") + 1,
                column(&r["end"]),
                message.split("\nhelp: ").next().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn checked(text: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bundle.yaml");
    std::fs::write(&path, text).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .current_dir(dir.path())
        .output()
        .expect("kubevet check");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    report_findings(&report, |_| true)
}

/// The findings of a `kubevet check --format json` report whose diagnostics `keep` accepts,
/// sorted.
fn report_findings(report: &Value, keep: impl Fn(&Value) -> bool) -> Vec<Finding> {
    let mut found: Vec<Finding> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| keep(d))
        .map(|d| {
            let n = |k: &str| d[k].as_u64().expect("a number");
            (
                d["rule"].as_str().expect("rule").to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The LSP position just after the first occurrence of `needle` (UTF-16 columns).
fn position_after(text: &str, needle: &str) -> Value {
    position_at(text, text.find(needle).expect("needle") + needle.len())
}

/// The LSP position of a byte offset (UTF-16 columns).
fn position_at(text: &str, at: usize) -> Value {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

#[test]
fn ranged_edits_anywhere_in_a_bundle_publish_what_check_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("bundle.yaml"));
    let mut text = bundle();
    s.open(&uri, &text);
    let first = s.diagnostics(&uri, Some(1));
    assert!(!first.is_empty());
    assert_eq!(published_as_check(&text, &first), checked(&text));
    // (after this text, delete this many bytes, insert this)
    let edits: &[(&str, usize, &str)] = &[
        // The first document.
        ("name: web-0\nspec:\n  selector:\n    matchLabels: {app: web-0}\n  template:\n    metadata:\n      labels: {app: web-0}\n    spec:\n      containers:\n      - {name: web, image: ", 5, "nginx:1.27"),
        // The middle: after characters of two UTF-16 units on the same line.
        ("name: pod-14\n  annotations: {note: \"é😀\"}\nspec:\n  containers:\n  - {name: \"é😀\", ", 12, "image: \"nginx:1.27\", securityContext: {privileged: true}"),
        // A Service in the middle: the facts for the readiness rules change.
        ("selector: {app: web-12", 0, "-gone"),
        // A new document in the middle, and a line of the last one removed.
        ("name: web-15\n", 0, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: é😀\ndata: {a: \"1\"}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-15b\n"),
        ("name: pod-29\n", 32, ""),
    ];
    for (version, &(after, delete, insert)) in edits.iter().enumerate() {
        let version = version as i64 + 2;
        edit_after(&mut s, &uri, &mut text, version, (after, delete, insert));
        let diags = s.diagnostics(&uri, Some(version));
        assert_eq!(
            published_as_check(&text, &diags),
            checked(&text),
            "after the edit of version {version}"
        );
    }
    assert_eq!(s.exit(true), Some(0));
}

/// A bundle around one large CustomResourceDefinition (a schema of many properties, over
/// the size from which the server keeps a document's tree), with findings before, inside and
/// after it.
fn bundle_with_a_large_crd() -> String {
    let mut text = String::from("# a bundle\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: first\nspec:\n  containers:\n  - {name: web, image: nginx}\n");
    text.push_str("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Widget\n    listKind: WidgetList\n    plural: widgets\n    singular: widget\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "              field{i}:\n                description: The field number {i} of a widget, é😀 included.\n                type: object\n                properties:\n                  size:\n                    type: integer\n                  name:\n                    type: string\n"
        ));
    }
    text.push_str("          status:\n            type: object\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: last\nspec:\n  containers:\n  - {name: web, image: nginx}\n");
    text
}

#[test]
fn edits_inside_a_large_document_publish_what_check_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("crds.yaml"));
    let mut text = bundle_with_a_large_crd();
    assert!(text.len() > 64 * 1024);
    s.open(&uri, &text);
    let first = s.diagnostics(&uri, Some(1));
    assert_eq!(published_as_check(&text, &first), checked(&text));
    // (after this text, delete this many bytes, insert this)
    let edits: &[(&str, usize, &str)] = &[
        // Inside the CRD: a value changed, to one the schema refuses, and back.
        ("field150:\n                description: The field number 150 of a widget, é😀 included.\n                type: ", 6, "5"),
        ("field150:\n                description: The field number 150 of a widget, é😀 included.\n                type: ", 1, "object"),
        // A key added, with characters of two UTF-16 units, and one the schema refuses.
        ("field7:\n", 0, "                x-kubernetes-preserve-unknown-fields: true\n                format: é😀\n"),
        ("field200:\n                description: The field number 200 of a widget, é😀 included.\n", 0, "                typo: 1\n"),
        // Lines removed, and a property moved out one level (its indentation changed).
        ("field201:\n", 100, ""),
        ("field250:\n                description: The field number 250 of a widget, é😀 included.\n                type: object\n                properties:\n                  size:\n                    type: integer\n", 0, "              extra:\n                type: string\n"),
        // A syntax error inside it, then fixed.
        ("field100:\n                description: The field", 0, " [unclosed"),
        ("field100:\n                description: The field [unclosed", 0, "]"),
        // A duplicate key inside it.
        ("field120:\n                description: The field number 120 of a widget, é😀 included.\n", 0, "                type: string\n"),
        // The start and the end of the bundle.
        ("name: first\nspec:\n  containers:\n  - {name: web, image: ", 5, "nginx:1.27"),
        ("name: last\nspec:\n  containers:\n  - {name: web, image: ", 5, "nginx:latest"),
        // The CRD's last line, and its first property.
        ("          status:\n            type: ", 6, "string"),
        ("            properties:\n              field0:\n                description: ", 3, "A"),
    ];
    for (version, &(after, delete, insert)) in edits.iter().enumerate() {
        let version = version as i64 + 2;
        edit_after(&mut s, &uri, &mut text, version, (after, delete, insert));
        let diags = s.diagnostics(&uri, Some(version));
        let expected = checked(&text);
        if version == 2 {
            assert!(
                expected.iter().any(|f| f.0 == "schema"),
                "the schema refuses a number as a type: {expected:?}"
            );
        }
        assert_eq!(
            published_as_check(&text, &diags),
            expected,
            "after the edit of version {version}"
        );
    }
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn a_kustomize_patch_is_a_partial_object_in_the_editor_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let w = |p: &str, s: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    w("base/kustomization.yaml", "resources: [app.yaml]\n");
    w(
        "base/app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n",
    );
    w(
        "overlay/kustomization.yaml",
        "resources: [../base]\npatches:\n- path: patch.yaml\n",
    );
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"two\"\n";
    w("overlay/patch.yaml", patch);
    w("overlay/whole.yaml", patch);
    let mut s = Server::init(dir.path(), json!({}));
    let as_patch = file_uri(&dir.path().join("overlay/patch.yaml"));
    let whole = file_uri(&dir.path().join("overlay/whole.yaml"));
    s.open(&as_patch, patch);
    s.open(&whole, patch);
    // The patch holds only what it changes: its wrong type, not the selector it leaves out.
    let partial = s.diagnostics(&as_patch, Some(1));
    assert_eq!(codes(&partial), ["schema"], "{partial:#?}");
    assert!(partial[0]["message"].as_str().unwrap().contains("replicas"));
    // The same text outside the kustomization is a whole object missing its selector.
    let full = s.diagnostics(&whole, Some(1));
    assert!(full.len() > 1, "{full:#?}");
    assert_eq!(s.exit(true), Some(0));
}

/// A CRD for `kind` in group `example.com` whose `spec.size` has type `size_type`.
fn crd(kind: &str, plural: &str, size_type: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: {plural}.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {{kind: {kind}, plural: {plural}, singular: {singular}, listKind: {kind}List}}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {{type: {size_type}}}\n",
        singular = plural.trim_end_matches('s')
    )
}

fn schema_messages(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d["code"] == "schema" || d["code"] == "missing-schema")
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            format!("{}: {}", s("code"), s("message"))
        })
        .collect()
}

#[test]
fn custom_resources_are_checked_against_the_workspace_crds_and_follow_their_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    std::fs::create_dir(dir.path().join("extra")).expect("extra");
    // A CRD of the workspace, and one the configuration names outside the checked files.
    std::fs::write(
        dir.path().join("kubevet.toml"),
        "crds = [\"extra\"]\nexclude = [\"extra/**\"]\n",
    )
    .expect("write");
    let widget_crd = dir.path().join("crds.yaml");
    std::fs::write(&widget_crd, crd("Widget", "widgets", "integer")).expect("write");
    let gadget_crd = dir.path().join("extra/gadgets.yaml");
    std::fs::write(&gadget_crd, crd("Gadget", "gadgets", "integer")).expect("write");
    let mut s = Server::init(dir.path(), json!({}));
    let widget = file_uri(&dir.path().join("widget.yaml"));
    let gadget = file_uri(&dir.path().join("gadget.yaml"));
    let cr = |kind: &str| {
        format!("apiVersion: example.com/v1\nkind: {kind}\nmetadata:\n  name: w\nspec:\n  size: large\n")
    };
    std::fs::write(dir.path().join("widget.yaml"), cr("Widget")).expect("write");
    std::fs::write(dir.path().join("gadget.yaml"), cr("Gadget")).expect("write");
    s.open(&widget, &cr("Widget"));
    s.open(&gadget, &cr("Gadget"));
    // Published at once, and again when the scan has found the workspace's CRD.
    let wrong_type = |m: &Value| {
        let d = m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let found = schema_messages(&d);
        found.len() == 1 && found[0].starts_with("schema") && found[0].contains("size")
    };
    let first = s.diagnostics_until(&widget, wrong_type);
    assert_eq!(schema_messages(&first).len(), 1, "{first:#?}");
    let first = s.diagnostics_until(&gadget, wrong_type);
    assert_eq!(schema_messages(&first).len(), 1, "{first:#?}");
    // The CRDs change on disk: `size` becomes a string, so the resources are valid.
    std::fs::write(&widget_crd, crd("Widget", "widgets", "string")).expect("write");
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&widget_crd)}}),
    );
    let valid = |m: &Value| {
        let d = m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        schema_messages(&d).is_empty()
    };
    let after = s.diagnostics_until(&widget, valid);
    assert!(schema_messages(&after).is_empty(), "{after:#?}");
    std::fs::write(&gadget_crd, crd("Gadget", "gadgets", "string")).expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&gadget_crd), "type": 2}]}),
    );
    let after = s.diagnostics_until(&gadget, valid);
    assert!(schema_messages(&after).is_empty(), "{after:#?}");
    assert_eq!(s.exit(true), Some(0));
}

/// `kubevet check --format json` on `dir`: the findings reported in `file` (relative to it).
fn checked_in(dir: &std::path::Path, file: &str) -> Vec<Finding> {
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .output()
        .expect("kubevet check");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["summary"]["kustomize"]["rendered"], 1, "{report:#}");
    report_findings(&report, |d| d["path"] == file)
}

fn has_code(m: &Value, code: &str) -> bool {
    m["params"]["diagnostics"]
        .as_array()
        .is_some_and(|d| d.iter().any(|d| d["code"] == code))
}

#[test]
fn a_saved_file_of_a_kustomize_root_shows_what_its_rendering_reports() {
    // (`kubectl` is on PATH wherever the tests run: see tests/kustomize.rs.)
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let w = |p: &str, s: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    w("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    let base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: registry.example.com/api:1.4.0\n        ports: [{containerPort: 8080}]\n";
    w("base/deployment.yaml", base);
    w(
        "overlay/kustomization.yaml",
        "resources: [../base]\npatches:\n- path: probes.yaml\n",
    );
    // The overlay adds the probes the base leaves out: rendered, the Deployment has them.
    w(
        "overlay/probes.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n        readinessProbe: {httpGet: {path: /ready, port: 8080}}\n",
    );
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("base/deployment.yaml"));
    s.open(&uri, base);
    // Read alone, the base has no probes.
    let native = s.diagnostics(&uri, Some(1));
    assert!(
        codes(&native).contains(&"missing-readiness-probe".to_string()),
        "{native:#?}"
    );
    // Saved, its root is rendered: what `kubevet check` on the tree reports in this file.
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let rendered = s.diagnostics_until(&uri, |m| !has_code(m, "missing-readiness-probe"));
    let want = checked_in(dir.path(), "base/deployment.yaml");
    assert!(!want.is_empty(), "the rendered base still lacks resources");
    assert!(
        !want.iter().any(|f| f.0 == "missing-readiness-probe"),
        "{want:#?}"
    );
    assert_eq!(published_as_check(base, &rendered), want);
    // Typing: the text is no longer what was rendered, so it is read natively again.
    let edited = base.replace("1.4.0", "1.4.1");
    s.change(&uri, 2, &edited);
    let typing = s.diagnostics(&uri, Some(2));
    assert!(
        codes(&typing).contains(&"missing-readiness-probe".to_string()),
        "{typing:#?}"
    );
    // Back to the saved text: the rendered findings again.
    s.change(&uri, 3, base);
    let back = s.diagnostics(&uri, Some(3));
    assert_eq!(published_as_check(base, &back), want);
    assert_eq!(s.exit(true), Some(0));
}

#[test]
fn a_saved_kustomization_changes_which_files_are_patches() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    let w = |p: &str, s: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    // Kustomize is read natively here: the tree's cache is what is under test.
    w("kubevet.toml", "kustomize = \"off\"\n");
    w("base/kustomization.yaml", "resources: [app.yaml]\n");
    w(
        "base/app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n",
    );
    w("overlay/kustomization.yaml", "resources: [../base]\n");
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"two\"\n";
    w("overlay/patch.yaml", patch);
    let mut s = Server::init(dir.path(), json!({}));
    let uri = file_uri(&dir.path().join("overlay/patch.yaml"));
    s.open(&uri, patch);
    // Not named by the kustomization yet: a whole object, missing its selector.
    let whole = s.diagnostics(&uri, Some(1));
    assert!(whole.len() > 1, "{whole:#?}");
    let kustomization = dir.path().join("overlay/kustomization.yaml");
    std::fs::write(
        &kustomization,
        "resources: [../base]\npatches:\n- path: patch.yaml\n",
    )
    .unwrap();
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&kustomization)}}),
    );
    let partial = s.diagnostics_until(&uri, |m| {
        m["params"]["diagnostics"]
            .as_array()
            .is_some_and(|d| d.len() == 1)
    });
    assert_eq!(codes(&partial), ["schema"], "{partial:#?}");
    assert_eq!(s.exit(true), Some(0));
}

/// Send a ranged change of `text` (after the text `after`, delete `delete` bytes, insert
/// `insert`) as version `version`, and apply it to `text`.
fn edit_after(
    s: &mut Server,
    uri: &str,
    text: &mut String,
    version: i64,
    (after, delete, insert): (&str, usize, &str),
) {
    let start = position_after(text, after);
    let at = offset(text, &start);
    let end = position_at(text, at + delete);
    let next = format!("{}{}{}", &text[..at], insert, &text[at + delete..]);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": insert}]}),
    );
    *text = next;
}
