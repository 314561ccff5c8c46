//! The server loop. Requests and notifications are handled on the main thread; linting runs on
//! a worker thread, which always takes the newest version of each document and drops stale
//! ones, so typing never waits for a lint.

use super::hover;
use super::position::{Position, Positions};
use crate::check::{combine, Engine, FileResult};
use crate::cli::CheckArgs;
use crate::diagnostic::Diagnostic;
use crate::presets::{PodSummary, PresetSummary};
use crate::rules::Severity;
use crate::schema::SchemaSet;
use crossbeam_channel::Sender as MsgSender;
use ls_types::{
    CodeActionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverParams, Uri,
};
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// An open document.
#[derive(Clone)]
struct Doc {
    version: i32,
    text: Arc<String>,
}

/// What the worker and the main loop share.
#[derive(Default)]
struct Shared {
    docs: HashMap<String, Doc>,
    /// Diagnostics last published, per document, for code actions and hover.
    published: HashMap<String, (Arc<String>, Vec<Diagnostic>)>,
    /// Engines by configuration file (None: no configuration).
    engines: HashMap<Option<PathBuf>, Arc<Engine>>,
    /// PodPresets and pods of the workspace on disk, by file path.
    workspace: HashMap<String, (Vec<PresetSummary>, Vec<PodSummary>)>,
    root: Option<PathBuf>,
}

enum Job {
    Lint(String),
    RescanWorkspace,
    Stop,
}

fn log(conn: &Connection, level: u8, message: impl Into<String>) {
    let _ = conn.sender.send(Message::Notification(Notification::new(
        "window/logMessage".into(),
        json!({"type": level, "message": message.into()}),
    )));
}

fn uri_path(uri: &str) -> PathBuf {
    uri.parse::<Uri>()
        .ok()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        .unwrap_or_else(|| PathBuf::from(uri))
}

/// Run the language server on stdin/stdout until the client exits.
pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = json!({
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "hoverProvider": true,
    });
    let init = match connection.initialize_start() {
        Ok((id, params)) => {
            let result = json!({
                "capabilities": capabilities,
                "serverInfo": {"name": "kubevet", "version": env!("CARGO_PKG_VERSION")},
            });
            match connection.initialize_finish(id, result) {
                Ok(()) => params,
                Err(e) => {
                    eprintln!("kubevet lsp: initialization failed: {e}");
                    drop(connection);
                    let _ = io_threads.join();
                    return 1;
                }
            }
        }
        Err(e) => {
            eprintln!("kubevet lsp: initialization failed: {e}");
            drop(connection);
            let _ = io_threads.join();
            return 1;
        }
    };
    let shared = Arc::new(Mutex::new(Shared {
        root: init
            .get("rootUri")
            .and_then(Value::as_str)
            .map(uri_path)
            .or_else(|| {
                init.pointer("/workspaceFolders/0/uri")
                    .and_then(Value::as_str)
                    .map(uri_path)
            }),
        ..Shared::default()
    }));
    let (jobs, rx) = channel();
    let worker = {
        let shared = shared.clone();
        let sender = connection.sender.clone();
        std::thread::spawn(move || worker_loop(rx, shared, sender))
    };
    let _ = jobs.send(Job::RescanWorkspace);
    main_loop(&connection, &shared, &jobs);
    let _ = jobs.send(Job::Stop);
    let _ = worker.join();
    drop(connection);
    let _ = io_threads.join();
    0
}

fn main_loop(conn: &Connection, shared: &Arc<Mutex<Shared>>, jobs: &Sender<Job>) {
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req).unwrap_or(true) {
                    return;
                }
                let resp = handle_request(shared, &req);
                let _ = conn.sender.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                if let Err(e) = handle_notification(conn, shared, jobs, n) {
                    log(conn, 2, format!("kubevet: {e}"));
                }
            }
            Message::Response(_) => {}
        }
    }
}

fn handle_notification(
    conn: &Connection,
    shared: &Arc<Mutex<Shared>>,
    jobs: &Sender<Job>,
    n: Notification,
) -> Result<(), String> {
    let lock = || shared.lock().map_err(|_| "state lock poisoned".to_string());
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let p: DidOpenTextDocumentParams =
                serde_json::from_value(n.params).map_err(|e| e.to_string())?;
            let uri = p.text_document.uri.to_string();
            lock()?.docs.insert(
                uri.clone(),
                Doc {
                    version: p.text_document.version,
                    text: Arc::new(p.text_document.text),
                },
            );
            let _ = jobs.send(Job::Lint(uri));
        }
        "textDocument/didChange" => {
            let p: DidChangeTextDocumentParams =
                serde_json::from_value(n.params).map_err(|e| e.to_string())?;
            let uri = p.text_document.uri.to_string();
            let mut s = lock()?;
            let Some(doc) = s.docs.get_mut(&uri) else {
                return Ok(());
            };
            let mut text = (*doc.text).clone();
            for change in p.content_changes {
                match change.range {
                    None => text = change.text,
                    Some(r) => {
                        let pos = Positions::new(&text);
                        let a = pos.offset(Position {
                            line: r.start.line,
                            character: r.start.character,
                        }) as usize;
                        let b = pos.offset(Position {
                            line: r.end.line,
                            character: r.end.character,
                        }) as usize;
                        text.replace_range(a.min(b)..b.max(a), &change.text);
                    }
                }
            }
            *doc = Doc {
                version: p.text_document.version,
                text: Arc::new(text),
            };
            drop(s);
            let _ = jobs.send(Job::Lint(uri));
        }
        "textDocument/didSave" => {
            let p: DidSaveTextDocumentParams =
                serde_json::from_value(n.params).map_err(|e| e.to_string())?;
            let uri = p.text_document.uri.to_string();
            if is_config(&uri_path(&uri)) {
                reload_config(conn, shared, jobs)?;
            } else {
                let _ = jobs.send(Job::RescanWorkspace);
                let _ = jobs.send(Job::Lint(uri));
            }
        }
        "workspace/didChangeWatchedFiles" => {
            let changed_config = n.params["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["uri"].as_str())
                .any(|u| is_config(&uri_path(u)));
            if changed_config {
                reload_config(conn, shared, jobs)?;
            } else {
                let _ = jobs.send(Job::RescanWorkspace);
            }
        }
        "textDocument/didClose" => {
            let p: DidCloseTextDocumentParams =
                serde_json::from_value(n.params).map_err(|e| e.to_string())?;
            let uri = p.text_document.uri.to_string();
            let mut s = lock()?;
            s.docs.remove(&uri);
            s.published.remove(&uri);
            drop(s);
            let _ = conn.sender.send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".into(),
                json!({"uri": uri, "diagnostics": []}),
            )));
        }
        _ => {}
    }
    Ok(())
}

fn is_config(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n))
}

fn reload_config(
    conn: &Connection,
    shared: &Arc<Mutex<Shared>>,
    jobs: &Sender<Job>,
) -> Result<(), String> {
    let uris: Vec<String> = {
        let mut s = shared
            .lock()
            .map_err(|_| "state lock poisoned".to_string())?;
        s.engines.clear();
        s.docs.keys().cloned().collect()
    };
    log(
        conn,
        3,
        "kubevet: configuration changed; re-checking open documents",
    );
    let _ = jobs.send(Job::RescanWorkspace);
    for u in uris {
        let _ = jobs.send(Job::Lint(u));
    }
    Ok(())
}

/// The engine for a document: built from the configuration found upwards from its
/// directory, cached per configuration file. An invalid configuration is logged and the
/// defaults are used.
fn engine_for(
    shared: &Arc<Mutex<Shared>>,
    sender: &MsgSender<Message>,
    path: &Path,
) -> Arc<Engine> {
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let key = crate::config::discover(&dir);
    if let Ok(s) = shared.lock() {
        if let Some(e) = s.engines.get(&key) {
            return e.clone();
        }
    }
    let engine = match crate::app::build_engine_in(&CheckArgs::default(), &dir) {
        Ok(e) => e,
        Err(e) => {
            let _ = sender.send(Message::Notification(Notification::new(
                "window/logMessage".into(),
                json!({"type": 1, "message": format!("kubevet: {e}; using the default settings")}),
            )));
            let settings =
                crate::app::settings_from_args(&CheckArgs::default()).unwrap_or_default();
            Engine::new(settings, SchemaSet::default())
        }
    };
    let engine = Arc::new(engine);
    if let Ok(mut s) = shared.lock() {
        s.engines.insert(key, engine.clone());
    }
    engine
}

fn worker_loop(rx: Receiver<Job>, shared: Arc<Mutex<Shared>>, sender: MsgSender<Message>) {
    while let Ok(first) = rx.recv() {
        // Take everything queued: each document is linted once, at its newest version.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut lint: Vec<String> = Vec::new();
        let mut rescan = false;
        for job in batch {
            match job {
                Job::Stop => return,
                Job::RescanWorkspace => rescan = true,
                Job::Lint(u) => {
                    if !lint.contains(&u) {
                        lint.push(u);
                    }
                }
            }
        }
        if rescan {
            rescan_workspace(&shared, &sender);
        }
        for uri in lint {
            lint_and_publish(&shared, &sender, &uri);
        }
    }
}

/// Summarise the PodPresets and pods of the workspace's files on disk.
fn rescan_workspace(shared: &Arc<Mutex<Shared>>, sender: &MsgSender<Message>) {
    let Some(root) = shared.lock().ok().and_then(|s| s.root.clone()) else {
        return;
    };
    let Ok(inputs) =
        crate::discover::discover(&[root.to_string_lossy().into_owned()], &Default::default())
    else {
        return;
    };
    let mut workspace = HashMap::new();
    for input in inputs {
        let path = PathBuf::from(&input.display);
        let engine = engine_for(shared, sender, &path);
        let Ok(bytes) = crate::discover::read_limited(&path, engine.settings.limits.max_file_bytes)
        else {
            continue;
        };
        // Cheap pre-filter: only files that can matter to PodPreset semantics.
        if !bytes.windows(9).any(|w| w == b"PodPreset") && !looks_like_pod_bearing(&bytes) {
            continue;
        }
        let r = engine.check_bytes(&input.display, &bytes);
        if !r.presets.is_empty() || !r.pods.is_empty() {
            let key = std::fs::canonicalize(&path)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            workspace.insert(key, (r.presets, r.pods));
        }
    }
    if let Ok(mut s) = shared.lock() {
        s.workspace = workspace;
    }
}

fn looks_like_pod_bearing(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"containers")
}

fn lint_and_publish(shared: &Arc<Mutex<Shared>>, sender: &MsgSender<Message>, uri: &str) {
    let Some(doc) = shared.lock().ok().and_then(|s| s.docs.get(uri).cloned()) else {
        return;
    };
    let path = uri_path(uri);
    let engine = engine_for(shared, sender, &path);
    let display = path.to_string_lossy().into_owned();
    let mine = engine.check_bytes(&display, doc.text.as_bytes());
    // Cross-file facts from the workspace on disk, except this file's own (the buffer wins).
    let canonical = std::fs::canonicalize(&path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| display.clone());
    let mut results = vec![mine];
    if let Ok(s) = shared.lock() {
        for (file, (presets, pods)) in &s.workspace {
            if *file != canonical {
                results.push(FileResult {
                    presets: presets.clone(),
                    pods: pods.clone(),
                    ..FileResult::default()
                });
            }
        }
    }
    let run = combine(&engine, 1, results);
    let diags: Vec<Diagnostic> = run
        .diagnostics
        .into_iter()
        .filter(|d| d.path == display)
        .collect();
    let Ok(mut s) = shared.lock() else { return };
    // A newer version arrived while linting: its own lint will publish.
    if s.docs.get(uri).map(|d| d.version) != Some(doc.version) {
        return;
    }
    let pos = Positions::new(&doc.text);
    let lsp: Vec<Value> = diags.iter().map(|d| to_lsp(&pos, uri, d)).collect();
    s.published
        .insert(uri.to_string(), (doc.text.clone(), diags));
    drop(s);
    let _ = sender.send(Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        json!({"uri": uri, "version": doc.version, "diagnostics": lsp}),
    )));
}

fn range(pos: &Positions, start: u32, end: u32) -> Value {
    let a = pos.position(start);
    let b = pos.position(end.max(start));
    json!({"start": {"line": a.line, "character": a.character}, "end": {"line": b.line, "character": b.character}})
}

fn to_lsp(pos: &Positions, uri: &str, d: &Diagnostic) -> Value {
    let severity = match d.severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| json!({"location": {"uri": uri, "range": range(pos, r.span.start, r.span.end)}, "message": r.message}))
        .collect();
    json!({
        "range": range(pos, d.span.start, d.span.end),
        "severity": severity,
        "code": d.rule,
        "codeDescription": {"href": crate::report::rule_doc_url(&d.rule)},
        "source": "kubevet",
        "message": message,
        "relatedInformation": related,
    })
}

fn handle_request(shared: &Arc<Mutex<Shared>>, req: &Request) -> Response {
    let result = match req.method.as_str() {
        "textDocument/codeAction" => serde_json::from_value::<CodeActionParams>(req.params.clone())
            .map_err(|e| e.to_string())
            .map(|p| code_actions(shared, &p)),
        "textDocument/hover" => serde_json::from_value::<HoverParams>(req.params.clone())
            .map_err(|e| e.to_string())
            .map(|p| {
                let uri = p
                    .text_document_position_params
                    .text_document
                    .uri
                    .to_string();
                let at = p.text_document_position_params.position;
                let state = shared.lock().ok();
                let doc = state.as_ref().and_then(|s| s.docs.get(&uri).cloned());
                let published = state
                    .as_ref()
                    .and_then(|s| s.published.get(&uri).map(|x| x.1.clone()))
                    .unwrap_or_default();
                drop(state);
                match doc {
                    Some(doc) => hover::hover(
                        &doc.text,
                        &published,
                        Position {
                            line: at.line,
                            character: at.character,
                        },
                    ),
                    None => Value::Null,
                }
            }),
        _ => {
            return Response::new_err(
                req.id.clone(),
                -32601,
                format!("unsupported method {}", req.method),
            )
        }
    };
    match result {
        Ok(v) => Response::new_ok(req.id.clone(), v),
        Err(e) => Response::new_err(req.id.clone(), -32602, e),
    }
}

fn code_actions(shared: &Arc<Mutex<Shared>>, p: &CodeActionParams) -> Value {
    let uri = p.text_document.uri.to_string();
    let Some((text, diags)) = shared
        .lock()
        .ok()
        .and_then(|s| s.published.get(&uri).cloned())
    else {
        return json!([]);
    };
    let pos = Positions::new(&text);
    let start = pos.offset(Position {
        line: p.range.start.line,
        character: p.range.start.character,
    });
    let end = pos.offset(Position {
        line: p.range.end.line,
        character: p.range.end.character,
    });
    let mut actions = Vec::new();
    for d in diags
        .iter()
        .filter(|d| d.span.start <= end.max(start) && start <= d.span.end)
    {
        let diag = to_lsp(&pos, &uri, d);
        if let Some(fix) = &d.fix {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| json!({"range": range(&pos, e.span.start, e.span.end), "newText": e.content}))
                .collect();
            actions.push(json!({
                "title": fix.message,
                "kind": "quickfix",
                "isPreferred": true,
                "diagnostics": [diag.clone()],
                "edit": {"changes": {uri.clone(): edits}},
            }));
        }
        // `# kubevet-ignore <rule>` alone on the line above, at the line's indentation.
        let line = (d.line.max(1) - 1) as u32;
        let line_text = pos.line_text(line as usize);
        let indent: String = line_text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        actions.push(json!({
            "title": format!("Ignore `{}` on this line", d.rule),
            "kind": "quickfix",
            "diagnostics": [diag],
            "edit": {"changes": {uri.clone(): [{
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "newText": format!("{indent}# kubevet-ignore {} -- reason\n", d.rule),
            }]}},
        }));
    }
    Value::Array(actions)
}
