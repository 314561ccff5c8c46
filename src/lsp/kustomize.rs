//! Kustomize in the editor. While typing, a file of a Kustomize tree is read natively, as
//! `kubevet check --kustomize off` reads it (a patch is a partial object); the kustomizations
//! around each directory are read once and kept until a kustomization file is saved or changes
//! on disk. When a file of a Kustomize root is saved (and the settings allow rendering:
//! `kustomize` `auto` or `render`, with `kustomize` or `kubectl` on `PATH`), the roots it
//! belongs to are rendered on a thread of their own, by the same code as `kubevet check`
//! ([`crate::kustomize::render`]), and each file of those roots is then published with the
//! findings placed in it, for as long as its open text is the text that was rendered.

use super::server::{canonical, uri_path, Server};
use crate::diagnostic::Diagnostic;
use crate::kustomize::{self, render, Mode, Renderer, Tree};
use crate::source::Limits;
use crossbeam_channel::Receiver;
use ls_types::MessageType;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The rendered findings of one file on disk.
pub(super) struct RenderedFile {
    /// The roots (kustomization files) whose rendering placed them.
    roots: Vec<PathBuf>,
    /// The file's text when it was rendered: its length and hash.
    len: usize,
    hash: u64,
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// What the server knows of the workspace's Kustomize trees.
#[derive(Default)]
pub(super) struct Kustomize {
    /// The tree around each directory (read natively), by directory.
    trees: HashMap<PathBuf, Arc<Tree>>,
    /// The files found by the workspace scan (and saved since): where the roots are looked for.
    files: HashSet<PathBuf>,
    /// The tree of the whole workspace, built when first needed.
    workspace: Option<Arc<Tree>>,
    /// Rendered findings by canonical file.
    rendered: HashMap<PathBuf, RenderedFile>,
    /// The workspace scan has found the files once: roots can be told.
    scanned: bool,
    /// Files saved before that, rendered once it is done.
    deferred: Vec<PathBuf>,
}

impl Kustomize {
    /// The workspace scan found these files; returns the saved files to render now.
    pub(super) fn set_files(&mut self, files: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
        self.files = files.into_iter().collect();
        self.workspace = None;
        self.scanned = true;
        std::mem::take(&mut self.deferred)
    }

    /// These files were saved, created, changed or deleted.
    pub(super) fn add_files(&mut self, files: &[PathBuf]) {
        for f in files {
            if self.files.insert(f.clone()) {
                self.workspace = None;
            }
        }
    }

    /// A kustomization file or the configuration changed: every tree is read again when next
    /// needed, and nothing rendered before is shown until its root is rendered again (a
    /// file may no longer belong to it).
    pub(super) fn forget_trees(&mut self) {
        self.trees.clear();
        self.workspace = None;
        self.rendered.clear();
    }
}

/// Jobs of the render thread.
pub(super) enum RenderJob {
    /// This file was saved.
    Saved(PathBuf),
    Stop,
}

fn text_hash(text: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Server {
    /// The tree around the file at `path`, read natively (as `kubevet check` on that file
    /// reads it), once per directory until a kustomization changes.
    pub(super) fn native_tree(&self, path: &Path, limits: &Limits) -> Arc<Tree> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(t) = self
            .lock()
            .ok()
            .and_then(|s| s.kustomize.trees.get(&dir).cloned())
        {
            return t;
        }
        let tree = Arc::new(kustomize::scan([path], limits));
        if let Ok(mut s) = self.lock() {
            s.kustomize.trees.insert(dir, tree.clone());
        }
        tree
    }

    /// The rendered findings of the file at `path` (canonical) when `text` is the text that
    /// was rendered.
    pub(super) fn rendered_for(&self, path: &Path, text: &str) -> Option<Arc<Vec<Diagnostic>>> {
        let s = self.lock().ok()?;
        let r = s.kustomize.rendered.get(path)?;
        (r.len == text.len() && r.hash == text_hash(text.as_bytes())).then(|| r.diagnostics.clone())
    }

    /// A file was saved or changed on disk: a kustomization file makes every tree be read
    /// again (and every open document linted again, as their roles may have changed).
    pub(super) fn kustomize_files_changed(&self, paths: &[PathBuf]) {
        let changed = paths.iter().any(|p| kustomize::is_kustomization(p));
        if let Ok(mut s) = self.lock() {
            s.kustomize.add_files(paths);
            if changed {
                s.kustomize.forget_trees();
            }
        }
        if changed {
            self.lint_all_later();
        }
    }

    /// The workspace scan found these files: saves that came before are rendered now.
    pub(super) fn kustomize_scanned(&self, files: impl Iterator<Item = PathBuf>) {
        let deferred = match self.lock() {
            Ok(mut s) => s.kustomize.set_files(files),
            Err(_) => return,
        };
        for path in deferred {
            let _ = self.render_jobs.send(RenderJob::Saved(path));
        }
    }

    /// The tree of the whole workspace: every kustomization around the files the scan found.
    fn workspace_tree(&self, limits: &Limits) -> Option<Arc<Tree>> {
        let files: Vec<PathBuf> = {
            let s = self.lock().ok()?;
            if let Some(t) = &s.kustomize.workspace {
                return Some(t.clone());
            }
            s.kustomize.files.iter().cloned().collect()
        };
        let tree = Arc::new(kustomize::scan(files.iter().map(PathBuf::as_path), limits));
        if let Ok(mut s) = self.lock() {
            s.kustomize.workspace = Some(tree.clone());
        }
        Some(tree)
    }

    /// Render the roots the saved file at `path` belongs to, with every root that shares a
    /// file with them (a base under several overlays is reported once, naming them all, as
    /// `kubevet check` reports it); skips roots in `done`, and adds those it renders.
    fn render_saved(&self, path: &Path, done: &mut HashSet<PathBuf>) {
        let engines = self.engines_for(path, None);
        let engine = engines.lint.clone();
        if engine.settings.parse_only || engine.settings.kustomize == Mode::Off {
            return;
        }
        let file = canonical(path);
        // Until the workspace's files are known, an overlay above the file may be unknown.
        match self.lock() {
            Ok(mut s) if !s.kustomize.scanned => {
                s.kustomize.deferred.push(path.to_path_buf());
                return;
            }
            Ok(_) => {}
            Err(_) => return,
        }
        let Some(tree) = self.workspace_tree(&engine.settings.limits) else {
            return;
        };
        let all: Vec<(PathBuf, HashSet<PathBuf>)> = tree
            .roots()
            .into_iter()
            .map(|r| (r.to_path_buf(), tree.files_of(r)))
            .collect();
        let mut files: HashSet<PathBuf> = HashSet::new();
        let mut roots: Vec<PathBuf> = Vec::new();
        for (root, fs) in &all {
            if fs.contains(&file) && !done.contains(root) {
                roots.push(root.clone());
                files.extend(fs.iter().cloned());
            }
        }
        if roots.is_empty() {
            return;
        }
        let Some(renderer) = Renderer::find() else {
            if engine.settings.kustomize == Mode::Render {
                self.log(
                    MessageType::WARNING,
                    "kubevet: `kustomize = \"render\"` but neither `kustomize` nor `kubectl` is on PATH; Kustomize files are read natively",
                );
            }
            return;
        };
        // The roots that share a file with those, until none is left.
        loop {
            let before = roots.len();
            for (root, fs) in &all {
                if !roots.contains(root) && !done.contains(root) && !fs.is_disjoint(&files) {
                    roots.push(root.clone());
                    files.extend(fs.iter().cloned());
                }
            }
            if roots.len() == before {
                break;
            }
        }
        roots.sort();
        done.extend(roots.iter().cloned());
        // The texts rendered: a file saved again meanwhile is rendered again by its own save.
        let texts: HashMap<PathBuf, (usize, u64)> = files
            .iter()
            .filter_map(|f| {
                let bytes = std::fs::read(f).ok()?;
                Some((f.clone(), (bytes.len(), text_hash(&bytes))))
            })
            .collect();
        let display: HashMap<PathBuf, String> = files
            .iter()
            .map(|f| (f.clone(), f.to_string_lossy().into_owned()))
            .collect();
        let project = match self.lock() {
            Ok(s) => s.workspace.clone(),
            Err(_) => return,
        };
        let project = project.project_all(&engine, |p| tree.role(p).patch);
        let mut rendered = (*tree).clone();
        render::render_roots(
            &engine,
            &renderer,
            &mut rendered,
            &project,
            &display,
            &roots,
        );
        let open: Vec<String> = {
            let Ok(mut s) = self.lock() else { return };
            let k = &mut s.kustomize;
            k.rendered
                .retain(|_, r| !r.roots.iter().any(|x| roots.contains(x)));
            for f in &files {
                let (Some(&(len, hash)), true) = (texts.get(f), rendered.rendered.contains(f))
                else {
                    continue;
                };
                let diagnostics = rendered.findings.remove(f).unwrap_or_default();
                k.rendered.insert(
                    f.clone(),
                    RenderedFile {
                        roots: roots.clone(),
                        len,
                        hash,
                        diagnostics: Arc::new(diagnostics),
                    },
                );
            }
            s.docs
                .keys()
                .filter(|u| files.contains(&canonical(&uri_path(u))))
                .cloned()
                .collect()
        };
        for uri in open {
            self.lint_later(uri);
        }
    }
}

/// The render thread: renders the roots of saved files, newest saves first merged.
pub(super) fn render_loop(server: &Server, rx: &Receiver<RenderJob>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut saved: Vec<PathBuf> = Vec::new();
        for job in batch {
            match job {
                RenderJob::Stop => return,
                RenderJob::Saved(p) => {
                    if !saved.contains(&p) {
                        saved.push(p);
                    }
                }
            }
        }
        let mut done = HashSet::new();
        for path in saved {
            if server.stopping.load(Ordering::Relaxed) {
                return;
            }
            server.render_saved(&path, &mut done);
        }
    }
}
