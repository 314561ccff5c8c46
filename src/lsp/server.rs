//! The server's scheduling. Requests and notifications are handled on the main thread (by
//! `dispatch.rs`); linting runs on
//! a worker thread, which always takes the newest version of each document and drops stale
//! ones, so typing never waits for a lint; the workspace scan (the project passes' summaries of the
//! files on disk) runs on threads of its own, so it never delays a document's diagnostics: a
//! document is published at once without cross-file facts, and again when the scan is done.
//!
//! Configuration: each document uses the `kubevet.toml` found upwards from it. It is reloaded
//! when the client reports a change (a save of the file, or a watched-files event: the server
//! registers watchers when the client allows it) and, for clients that cannot watch, when a
//! lint finds the file's modification time changed. Every open document is then linted again.

use super::dispatch;
use super::incremental;
use super::kustomize::{render_loop, Kustomize, RenderJob};
use super::position::Positions;
use super::protocol::{self, ClientCapabilities};
use super::workspace::{project_for, Summaries, Workspace};
use crate::check::Engine;
use crate::diagnostic::Diagnostic;
use crate::discover::WalkOptions;
use crate::schema::SchemaSet;
use crate::settings::{Overrides, Settings};
use crossbeam_channel::{unbounded, Receiver, Sender};
use globset::GlobSet;
use ls_types::notification::{LogMessage, Notification as _, Progress, PublishDiagnostics};
use ls_types::request::{RegisterCapability, Request as _, WorkDoneProgressCreate};
use ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, InitializeParams,
    LogMessageParams, MessageType, NumberOrString, ProgressParams, ProgressParamsValue,
    PublishDiagnosticsParams, Registration, RegistrationParams, Uri, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd,
};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// The exit code when `exit` comes without `shutdown` first (the protocol says 1).
const EXIT_WITHOUT_SHUTDOWN: i32 = 1;

/// Watched-file globs registered with clients that allow dynamic registration.
const WATCHED: &[&str] = &["**/{kubevet,.kubevet}.toml", "**/*.{yaml,yml,json}"];

/// An open document.
#[derive(Clone)]
pub(super) struct Doc {
    pub(super) version: i32,
    pub(super) text: Arc<String>,
}

/// The diagnostics of one version of a document, and the engine that made them.
#[derive(Clone)]
pub(super) struct Linted {
    version: i32,
    pub(super) diagnostics: Arc<Vec<Diagnostic>>,
    pub(super) engine: Arc<Engine>,
    /// How long the lint took.
    took: Duration,
}

/// A request that finds the last lint stale lints the current text on the spot unless the
/// last lint took longer than this (a document of many megabytes); then it is answered
/// without diagnostics rather than hold up the main loop. Generous on purpose: a wrong
/// "no quick fix" is worse than a request that waits for one lint.
const SYNC_LINT_BUDGET: Duration = Duration::from_secs(2);

/// When a configuration file was last changed (modification time and size).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(config: Option<&Path>) -> Stamp {
    let meta = std::fs::metadata(config?).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The engines for one configuration file.
pub(super) struct Engines {
    /// For linting documents and summarising the workspace's files.
    pub(super) lint: Arc<Engine>,
    stamp: Stamp,
    /// The configuration's `exclude` globs and the directory they are relative to.
    excludes: Option<(PathBuf, GlobSet)>,
}

impl Engines {
    fn excludes(&self, path: &Path) -> bool {
        let Some((base, globs)) = &self.excludes else {
            return false;
        };
        canonical(path)
            .strip_prefix(base)
            .is_ok_and(|rel| globs.is_match(rel))
    }
}

#[derive(Default)]
pub(super) struct State {
    pub(super) docs: HashMap<String, Doc>,
    pub(super) linted: HashMap<String, Linted>,
    /// Engines by configuration file (None: no configuration).
    engines: HashMap<Option<PathBuf>, Arc<Engines>>,
    /// The configuration file each document was last linted with.
    pub(super) doc_config: HashMap<String, Option<PathBuf>>,
    /// What the last lint of each document knows for the next one.
    pub(super) pieces: HashMap<String, Arc<incremental::Cache>>,
    pub(super) workspace: Arc<Workspace>,
    /// The Kustomize trees and rendered findings.
    pub(super) kustomize: Kustomize,
    root: Option<PathBuf>,
}

enum LintJob {
    Lint(String),
    Stop,
}

pub(super) enum ScanJob {
    /// Scan every file of the workspace again.
    Full,
    /// Summarise these files again (saved, created, changed or deleted).
    Files(Vec<PathBuf>),
    Stop,
}

/// Everything the threads share.
pub(super) struct Server {
    state: Mutex<State>,
    sender: Sender<Message>,
    lint_jobs: Sender<LintJob>,
    pub(super) scan_jobs: Sender<ScanJob>,
    pub(super) render_jobs: Sender<RenderJob>,
    /// Set on exit: long work stops at the next file.
    pub(super) stopping: AtomicBool,
    /// Bumped for every full scan requested; a running scan that sees it change gives up.
    scan_generation: AtomicU64,
    /// The lint worker has documents to lint: the scan waits between files, so a document's
    /// diagnostics never share the processor with it.
    linting: AtomicBool,
    /// Full scans started, for progress tokens.
    scans: AtomicU64,
    pub(super) caps: ClientCapabilities,
}

pub(super) fn uri_path(uri: &str) -> PathBuf {
    uri.parse::<Uri>()
        .ok()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        .unwrap_or_else(|| PathBuf::from(uri))
}

/// A path as the workspace index keys it: canonical when it exists, else its canonical
/// directory joined with its name (a deleted file keeps the key it had).
pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    })
}

fn key_of(path: &Path) -> String {
    canonical(path).to_string_lossy().into_owned()
}

pub(super) fn is_config(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n))
}

impl Server {
    fn state(&self) -> Option<MutexGuard<'_, State>> {
        self.state.lock().ok()
    }

    /// The state, or an error to log when a thread panicked holding it.
    pub(super) fn lock(&self) -> Result<MutexGuard<'_, State>, String> {
        self.state()
            .ok_or_else(|| "state lock poisoned".to_string())
    }

    fn send(&self, msg: Message) {
        let _ = self.sender.send(msg);
    }

    /// Send a notification, unless the client has asked the server to shut down: nothing
    /// is published after that (a client may stop reading once `shutdown` is answered).
    pub(super) fn notify<N: ls_types::notification::Notification>(&self, params: N::Params) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        self.send(Message::Notification(Notification::new(
            N::METHOD.into(),
            params,
        )));
    }

    /// Send a request; its answer is only looked at for errors (see `main_loop`).
    fn request<R: ls_types::request::Request>(&self, id: String, params: R::Params) {
        self.send(Message::Request(Request::new(
            RequestId::from(id),
            R::METHOD.into(),
            params,
        )));
    }

    pub(super) fn log(&self, typ: MessageType, message: impl Into<String>) {
        self.notify::<LogMessage>(LogMessageParams {
            typ,
            message: message.into(),
        });
    }

    pub(super) fn lint_later(&self, uri: String) {
        let _ = self.lint_jobs.send(LintJob::Lint(uri));
    }

    /// Queue every open document for linting.
    pub(super) fn lint_all_later(&self) {
        let uris: Vec<String> = self
            .state()
            .map(|s| s.docs.keys().cloned().collect())
            .unwrap_or_default();
        for u in uris {
            self.lint_later(u);
        }
    }

    fn full_scan_later(&self) {
        self.scan_generation.fetch_add(1, Ordering::SeqCst);
        let _ = self.scan_jobs.send(ScanJob::Full);
    }

    /// The configuration changed somewhere: rebuild engines, rescan, lint every open
    /// document again.
    pub(super) fn reload_config(&self) {
        if let Some(mut s) = self.state() {
            s.engines.clear();
            s.kustomize.forget_trees();
        }
        self.log(
            MessageType::INFO,
            "kubevet: configuration changed; re-checking open documents",
        );
        self.full_scan_later();
        self.lint_all_later();
    }

    /// Whether `path` is (or is inside) a CRD file or directory the configuration names
    /// (`crds`): those are read when the engines are built, which a change must rebuild.
    pub(super) fn is_configured_crd(&self, path: &Path) -> bool {
        let Some(s) = self.state() else { return false };
        let path = canonical(path);
        s.engines.values().any(|e| {
            e.lint
                .settings
                .crds
                .iter()
                .any(|c| path.starts_with(canonical(c)))
        })
    }

    /// The engines for a file: built from the configuration found upwards from its directory
    /// and cached per configuration file. A configuration that changed on disk since it was
    /// read (or appeared, or went away) is read again, and every open document is linted
    /// again with it. An invalid configuration is logged and the defaults are used.
    pub(super) fn engines_for(&self, path: &Path, uri: Option<&str>) -> Arc<Engines> {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let key = crate::config::discover(&dir);
        let now = stamp(key.as_deref());
        let mut changed = false;
        if let Some(mut s) = self.state() {
            if let Some(uri) = uri {
                let before = s.doc_config.insert(uri.to_string(), key.clone());
                changed |= before.is_some_and(|b| b != key);
            }
            match s.engines.get(&key) {
                Some(e) if e.stamp == now && !changed => return e.clone(),
                Some(_) => changed = true,
                None => {}
            }
        }
        let engines = Arc::new(self.build_engines(&dir, now));
        if let Some(mut s) = self.state() {
            if changed {
                // Other configurations may have changed too: read them all again.
                s.engines.clear();
                s.kustomize.forget_trees();
            }
            s.engines.insert(key, engines.clone());
        }
        if changed {
            self.log(
                MessageType::INFO,
                "kubevet: configuration changed on disk; re-checking open documents",
            );
            self.full_scan_later();
            self.lint_all_later();
        }
        engines
    }

    fn build_engines(&self, dir: &Path, stamp: Stamp) -> Engines {
        // The editor shows the source: diagnostics carry no excerpts.
        let overrides = Overrides {
            no_excerpts: true,
            ..Overrides::default()
        };
        let settings = Settings::resolve(dir, &overrides).unwrap_or_else(|e| {
            self.log(
                MessageType::ERROR,
                format!("kubevet: {e}; using the default settings"),
            );
            Settings {
                no_excerpts: true,
                ..Settings::default()
            }
        });
        let excludes = settings
            .config_exclude
            .as_ref()
            .filter(|(_, globs)| !globs.is_empty())
            .and_then(|(base, globs)| {
                let globs = crate::discover::build_excludes(globs).ok()?;
                Some((canonical(base), globs))
            });
        let lint = Engine::new(settings.clone()).unwrap_or_else(|e| {
            self.log(
                MessageType::ERROR,
                format!("kubevet: {e}; checking without the schema directories"),
            );
            Engine::with_schemas(
                settings,
                SchemaSet::builtin(crate::schema::supported_minor()),
            )
        });
        Engines {
            lint: Arc::new(lint),
            stamp,
            excludes,
        }
    }

    /// Lint the whole text at once with `project` (no piece of it reused or kept).
    fn lint_whole(
        &self,
        uri: &str,
        doc: &Doc,
        engine: Arc<Engine>,
        display: &str,
        project: &crate::rules::project::ProjectOut,
        start: Instant,
    ) -> Linted {
        if let Some(mut s) = self.state() {
            s.pieces.remove(uri);
        }
        Linted {
            version: doc.version,
            diagnostics: Arc::new(
                engine
                    .check_bytes_with(display, doc.text.as_bytes(), project)
                    .diagnostics,
            ),
            engine,
            took: start.elapsed(),
        }
    }

    /// What a lint that failed (a panic with `payload`) publishes: one `io` finding saying
    /// the document was not checked.
    fn lint_failed(&self, uri: &str, doc: &Doc, payload: &(dyn std::any::Any + Send)) -> Linted {
        let path = uri_path(uri);
        let engine = self.engines_for(&path, Some(uri)).lint.clone();
        let result = engine.failure_result(&path.to_string_lossy(), payload);
        Linted {
            version: doc.version,
            diagnostics: Arc::new(result.diagnostics),
            engine,
            took: Duration::ZERO,
        }
    }

    /// Lint one version of a document: its own findings from the buffer, plus what the project
    /// passes make of it with the workspace's other files known so far.
    fn lint(&self, uri: &str, doc: &Doc) -> Linted {
        let start = Instant::now();
        let path = uri_path(uri);
        let engines = self.engines_for(&path, Some(uri));
        let engine = engines.lint.clone();
        if engines.excludes(&path) {
            return Linted {
                version: doc.version,
                diagnostics: Arc::new(Vec::new()),
                engine,
                took: start.elapsed(),
            };
        }
        let display = path.to_string_lossy().into_owned();
        let bytes = doc.text.as_bytes();
        let (workspace, cache) = self
            .state()
            .map(|s| (s.workspace.clone(), s.pieces.get(uri).cloned()))
            .unwrap_or_default();
        let own = key_of(&path);
        // The text of a file of a rendered Kustomize root, as it was rendered: the findings
        // placed in it, as `kubevet check` reports them.
        if let Some(rendered) = self.rendered_for(Path::new(&own), &doc.text) {
            let mut project = crate::rules::project::ProjectOut::default();
            project.set_fact(crate::kustomize::Tree::with_rendered(
                PathBuf::from(&own),
                rendered.to_vec(),
            ));
            return self.lint_whole(uri, doc, engine, &display, &project, start);
        }
        // A Kustomize patch (or a file whose images a kustomization retags) is read with its
        // tree, as `kubevet check --kustomize off` reads it: the whole text, with the tree.
        let tree = self.native_tree(&path, &engine.settings.limits);
        let role = tree.role(&display);
        if role.patch || !role.retagged.is_empty() {
            let mut project = project_for(&engine, &display, bytes, &own, &workspace);
            project.set_fact((*tree).clone());
            project.set_fact(workspace.crds_for(&engine, &display, &own, &doc.text));
            return self.lint_whole(uri, doc, engine, &display, &project, start);
        }
        // Only the pieces the edit touched, when the text allows; else the whole text.
        let diagnostics = match incremental::check(
            &engine,
            &display,
            &doc.text,
            &own,
            &workspace,
            cache.as_deref(),
        ) {
            Some(checked) => {
                if let Some(mut s) = self.state() {
                    s.pieces.insert(uri.to_string(), Arc::new(checked.cache));
                }
                checked.diagnostics
            }
            None => {
                if let Some(mut s) = self.state() {
                    s.pieces.remove(uri);
                }
                let mut project = project_for(&engine, &display, bytes, &own, &workspace);
                project.set_fact(workspace.crds_for(&engine, &display, &own, &doc.text));
                engine
                    .check_bytes_with(&display, bytes, &project)
                    .diagnostics
            }
        };
        Linted {
            version: doc.version,
            diagnostics: Arc::new(diagnostics),
            engine,
            took: start.elapsed(),
        }
    }

    /// The diagnostics of a document's current version: the last lint's when it was of this
    /// version, else a lint of the current text made now, or none when that would be slow
    /// (requests such as code actions must never be answered from an older text).
    pub(super) fn current(&self, uri: &str) -> Option<(Doc, Linted)> {
        let (doc, linted) = {
            let s = self.state()?;
            (s.docs.get(uri)?.clone(), s.linted.get(uri).cloned())
        };
        let last = match linted {
            Some(l) if l.version == doc.version => return Some((doc, l)),
            Some(l) => Some(l),
            None => None,
        };
        if let Some(l) = last.filter(|l| l.took > SYNC_LINT_BUDGET) {
            let none = Linted {
                version: doc.version,
                diagnostics: Arc::new(Vec::new()),
                ..l
            };
            return Some((doc, none));
        }
        let l = self.lint(uri, &doc);
        if let Some(mut s) = self.state() {
            if s.docs.get(uri).map(|d| d.version) == Some(doc.version) {
                s.linted.insert(uri.to_string(), l.clone());
            }
        }
        Some((doc, l))
    }

    fn publish(&self, uri: &str, doc: &Doc, diagnostics: &[Diagnostic]) {
        let Ok(uri) = uri.parse::<Uri>() else { return };
        let pos = Positions::new(&doc.text);
        let diagnostics = diagnostics
            .iter()
            .map(|d| protocol::diagnostic(&pos, &uri, d))
            .collect();
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: Some(doc.version),
        });
    }

    /// Clear the diagnostics of a document.
    fn unpublish(&self, uri: &str) {
        if let Ok(uri) = uri.parse::<Uri>() {
            self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    /// Summarise one file on disk for the workspace index; `None` when it has nothing a
    /// project pass needs (or cannot be read, or is excluded).
    fn summarise(&self, path: &Path) -> Option<Summaries> {
        let engines = self.engines_for(path, None);
        if engines.excludes(path) {
            return None;
        }
        let bytes =
            crate::discover::read_limited(path, engines.lint.settings.limits.max_file_bytes)
                .ok()?;
        let display = path.to_string_lossy();
        Summaries::of(&engines.lint, &display, &bytes)
    }

    /// Scan the whole workspace on `pool`; `None` when stopped or superseded.
    fn scan_workspace(&self, pool: &rayon::ThreadPool) -> Option<Workspace> {
        let generation = self.scan_generation.load(Ordering::SeqCst);
        let cancelled = || {
            self.stopping.load(Ordering::Relaxed)
                || self.scan_generation.load(Ordering::Relaxed) != generation
        };
        let Some(root) = self.state().and_then(|s| s.root.clone()) else {
            self.kustomize_scanned(std::iter::empty());
            return Some(Workspace::new(HashMap::new()));
        };
        // The root's configuration prunes excluded directories from the walk; every file is
        // still matched against its own configuration's excludes when summarised.
        let walk = WalkOptions {
            config_exclude: Settings::resolve(&root, &Overrides::default())
                .ok()
                .and_then(|s| s.config_exclude),
            threads: 1,
            ..WalkOptions::default()
        };
        let progress = self.progress_begin("kubevet: reading the workspace");
        let inputs = crate::discover::discover(&[root.to_string_lossy().into_owned()], &walk)
            .unwrap_or_default();
        let files: Vec<(String, Arc<Summaries>)> = pool.install(|| {
            inputs
                .par_iter()
                .filter_map(|input| {
                    while self.linting.load(Ordering::Relaxed) && !cancelled() {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    if cancelled() {
                        return None;
                    }
                    let path = Path::new(&input.display);
                    let s = self.summarise(path)?;
                    Some((key_of(path), Arc::new(s)))
                })
                .collect()
        });
        let done = !cancelled();
        if done {
            self.kustomize_scanned(inputs.iter().map(|i| PathBuf::from(&i.display)));
        }
        self.progress_end(
            progress,
            if done {
                format!("{} files", inputs.len())
            } else {
                "stopped".to_string()
            },
        );
        done.then(|| Workspace::new(files.into_iter().collect()))
    }

    /// Start a progress report, when the client shows them; returns its token.
    fn progress_begin(&self, title: &str) -> Option<String> {
        if !self.caps.progress {
            return None;
        }
        let token = format!(
            "kubevet/scan-{}",
            self.scans.fetch_add(1, Ordering::Relaxed) + 1
        );
        self.request::<WorkDoneProgressCreate>(
            format!("{token}/create"),
            WorkDoneProgressCreateParams {
                token: NumberOrString::String(token.clone()),
            },
        );
        self.progress(
            &token,
            WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: title.into(),
                ..WorkDoneProgressBegin::default()
            }),
        );
        Some(token)
    }

    fn progress_end(&self, token: Option<String>, message: String) {
        if let Some(token) = token {
            self.progress(
                &token,
                WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(message),
                }),
            );
        }
    }

    fn progress(&self, token: &str, value: WorkDoneProgress) {
        self.notify::<Progress>(ProgressParams {
            token: NumberOrString::String(token.into()),
            value: ProgressParamsValue::WorkDone(value),
        });
    }
}

/// Run the language server on stdin/stdout until the client exits; returns the exit code.
pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let params = match connection.initialize_start() {
        Ok((id, params)) => {
            // (Serialising these typed values cannot fail.)
            let result = serde_json::to_value(protocol::initialize_result()).unwrap_or_default();
            connection.initialize_finish(id, result).map(|()| params)
        }
        Err(e) => Err(e),
    };
    let params = match params {
        Ok(params) => params,
        Err(e) => {
            eprintln!("kubevet lsp: initialization failed: {e}");
            drop(connection);
            let _ = io_threads.join();
            return 1;
        }
    };
    // Parameters the types refuse are read as a client that offers nothing.
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_else(|e| {
        eprintln!("kubevet lsp: unreadable initialize parameters ({e}); using none");
        InitializeParams::default()
    });
    let root = protocol::root(&init, |u| uri_path(u.as_str()));
    let caps = ClientCapabilities::of(&init);
    let (lint_tx, lint_rx) = unbounded();
    let (scan_tx, scan_rx) = unbounded();
    let (render_tx, render_rx) = unbounded();
    let server = Arc::new(Server {
        state: Mutex::new(State {
            root,
            ..State::default()
        }),
        sender: connection.sender.clone(),
        lint_jobs: lint_tx,
        scan_jobs: scan_tx,
        render_jobs: render_tx,
        stopping: AtomicBool::new(false),
        scan_generation: AtomicU64::new(0),
        linting: AtomicBool::new(false),
        scans: AtomicU64::new(0),
        caps,
    });
    let lint_worker = {
        let server = server.clone();
        std::thread::spawn(move || lint_loop(&server, &lint_rx))
    };
    let scanner = {
        let server = server.clone();
        std::thread::spawn(move || scan_loop(&server, &scan_rx))
    };
    let renderer = {
        let server = server.clone();
        std::thread::spawn(move || render_loop(&server, &render_rx))
    };
    // (`initialize_finish` has already taken the client's `initialized`.)
    if caps.watch_files {
        register_watchers(&server);
    }
    server.full_scan_later();
    let code = main_loop(&connection, &server);

    // Stop the workers; the scan gives up at its next file. Wait a little for them, so the
    // output is flushed, but never let a long lint keep the process alive after `exit`.
    server.stopping.store(true, Ordering::SeqCst);
    server.scan_generation.fetch_add(1, Ordering::SeqCst);
    let _ = server.lint_jobs.send(LintJob::Stop);
    let _ = server.scan_jobs.send(ScanJob::Stop);
    let _ = server.render_jobs.send(RenderJob::Stop);
    let deadline = Instant::now() + Duration::from_secs(2);
    let finished = || lint_worker.is_finished() && scanner.is_finished() && renderer.is_finished();
    while !finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    if finished() {
        let _ = lint_worker.join();
        let _ = scanner.join();
        let _ = renderer.join();
        drop(server);
        drop(connection);
        // The writer may be blocked on a client that no longer reads: wait for it a little,
        // never forever (the process exits either way).
        let io = std::thread::spawn(move || io_threads.join());
        let deadline = Instant::now() + Duration::from_secs(1);
        while !io.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    code
}

/// Ask the client to report changes to configuration files and manifests: editors send
/// `workspace/didChangeWatchedFiles` only for globs a server registered.
fn register_watchers(server: &Server) {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: WATCHED
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect(),
    };
    server.request::<RegisterCapability>(
        "kubevet/watch-files".into(),
        RegistrationParams {
            registrations: vec![Registration {
                id: "kubevet/watch-files".into(),
                method: ls_types::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        },
    );
}

fn main_loop(conn: &Connection, server: &Arc<Server>) -> i32 {
    let mut shutdown = false;
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if shutdown {
                    server.send(Message::Response(Response::new_err(
                        req.id.clone(),
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )));
                    continue;
                }
                if req.method == ls_types::request::Shutdown::METHOD {
                    shutdown = true;
                    // Stop background work now; only `exit` remains.
                    server.stopping.store(true, Ordering::SeqCst);
                    server.send(Message::Response(Response::new_ok(req.id.clone(), ())));
                    continue;
                }
                let resp = dispatch::request(server, req);
                server.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                if n.method == ls_types::notification::Exit::METHOD {
                    return if shutdown { 0 } else { EXIT_WITHOUT_SHUTDOWN };
                }
                if shutdown {
                    continue;
                }
                if let Err(e) = dispatch::notification(server, n) {
                    server.log(MessageType::WARNING, format!("kubevet: {e}"));
                }
            }
            Message::Response(r) => {
                if let Err(e) = r.response_result {
                    server.log(
                        MessageType::WARNING,
                        format!("kubevet: the client refused a request: {}", e.message),
                    );
                }
            }
        }
    }
    // The client went away without `exit`.
    if shutdown {
        0
    } else {
        EXIT_WITHOUT_SHUTDOWN
    }
}

fn lint_loop(server: &Server, rx: &Receiver<LintJob>) {
    while let Ok(first) = rx.recv() {
        // Take everything queued: each document is linted once, at its newest version.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut uris: Vec<String> = Vec::new();
        for job in batch {
            match job {
                LintJob::Stop => return,
                LintJob::Lint(u) => {
                    if !uris.contains(&u) {
                        uris.push(u);
                    }
                }
            }
        }
        server.linting.store(true, Ordering::Relaxed);
        for uri in uris {
            if server.stopping.load(Ordering::Relaxed) {
                return;
            }
            let Some(doc) = server.state().and_then(|s| s.docs.get(&uri).cloned()) else {
                continue;
            };
            // A bug in a rule (a panic) becomes a finding on the document, not a dead worker.
            let linted =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.lint(&uri, &doc)))
                    .unwrap_or_else(|panic| server.lint_failed(&uri, &doc, panic.as_ref()));
            let Some(mut s) = server.state() else { return };
            // A newer version arrived while linting: its own lint will publish.
            if s.docs.get(&uri).map(|d| d.version) != Some(doc.version) {
                continue;
            }
            s.linted.insert(uri.clone(), linted.clone());
            drop(s);
            // (Not under the lock: a send can wait on a slow client.)
            server.publish(&uri, &doc, &linted.diagnostics);
            // A close that slipped in before the publication would leave stale findings
            // on a closed document: clear them again.
            if server.state().is_some_and(|s| !s.docs.contains_key(&uri)) {
                server.unpublish(&uri);
            }
        }
        server.linting.store(false, Ordering::Relaxed);
    }
}

fn scan_loop(server: &Server, rx: &Receiver<ScanJob>) {
    // One core is left to the lint worker, so typing stays fast during a scan.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1);
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
        return;
    };
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut full = false;
        let mut files: Vec<PathBuf> = Vec::new();
        let mut seen = HashSet::new();
        for job in batch {
            match job {
                ScanJob::Stop => return,
                ScanJob::Full => full = true,
                ScanJob::Files(ps) => {
                    files.extend(ps.into_iter().filter(|p| seen.insert(p.clone())));
                }
            }
        }
        if server.stopping.load(Ordering::Relaxed) {
            return;
        }
        if full {
            let Some(ws) = server.scan_workspace(&pool) else {
                // Stopped, or a newer scan is queued.
                continue;
            };
            if let Some(mut s) = server.state() {
                s.workspace = Arc::new(ws);
            }
        } else {
            let updates: Vec<(String, Option<Summaries>)> = files
                .iter()
                .map(|p| (key_of(p), server.summarise(p)))
                .collect();
            if let Some(mut s) = server.state() {
                let ws = Arc::make_mut(&mut s.workspace);
                for (key, summaries) in updates {
                    ws.set(key, summaries);
                }
            }
        }
        // Cross-file facts changed: every open document may show other conflicts now.
        server.lint_all_later();
    }
}
