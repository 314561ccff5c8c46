//! The language server end to end: the real binary over stdio — initialize, open, change,
//! diagnostics (with UTF-16 positions), code actions, hover, close, shutdown.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
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
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
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
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice(&body) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
        }
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

    /// The next message matching `pred`, failing after a timeout instead of hanging.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .rx
                .recv_timeout(Duration::from_secs(20))
                .expect("server answered in time");
            if pred(&m) {
                return m;
            }
        }
    }

    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

const DOC: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {note: \"héllo 😀\"}\nspec:\n  restartPolicy: Never\n  containers:\n  - {name: web, image: \"nginx:latest\"}  # ünïcode 😀\n";

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
    let changed = DOC.replace("- {name: web,", "- {name: wéb😀,");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let diags = s.diagnostics(&uri, Some(2));
    assert_eq!(diags.len(), 1, "{diags:?}");
    // `é` is one UTF-16 unit (two bytes), `😀` two units (four bytes): the value moves right
    // by 2 units, not by the 5 bytes added.
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 8, "character": 25})
    );

    // Code actions at the finding: the ignore-comment action inserts above the line.
    let actions = s.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 8, "character": 30}, "end": {"line": 8, "character": 30}},
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
        json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 30}}),
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

    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let diags = s.diagnostics(&uri, None);
    assert!(diags.is_empty());

    let shutdown = s.request("shutdown", Value::Null);
    assert_eq!(shutdown, Value::Null);
    s.notify("exit", Value::Null);
    let mut waited = 0;
    while s.child.try_wait().expect("wait").is_none() {
        waited += 1;
        assert!(waited < 100, "server did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
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
    let diags = s.diagnostics(&preset_uri, Some(1));
    assert!(
        diags.iter().any(|d| d["code"] == "podpreset-conflict"),
        "{diags:?}"
    );
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
}
