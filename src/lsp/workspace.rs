//! Cross-file facts for the language server: the PodPresets and pods of the workspace's files
//! on disk, kept as per-file summaries behind `Arc`s, and the conflicts that concern one open
//! document. The scan that fills them runs on its own threads (see `server.rs`), never on the
//! lint worker.
//!
//! This is the only place the server uses the PodPreset pass (`crate::presets`); everything
//! it needs from it goes through [`Summaries::of`] and [`conflicts_for`].

use crate::check::Engine;
use crate::presets::{self, CrossFile, PodSummary, PresetSummary};
use std::collections::HashMap;
use std::sync::Arc;

/// What one file contributes to the cross-file pass.
#[derive(Debug, Default)]
pub struct Summaries {
    pub presets: Vec<PresetSummary>,
    pub pods: Vec<PodSummary>,
}

impl Summaries {
    /// The summaries of one file's bytes (`path` as the document is checked), or `None` when
    /// it has neither presets nor pods.
    pub fn of(engine: &Engine, path: &str, bytes: &[u8]) -> Option<Summaries> {
        let (presets, pods) = engine.summaries(path, bytes);
        if presets.is_empty() && pods.is_empty() {
            return None;
        }
        Some(Summaries { presets, pods })
    }
}

/// The workspace's files on disk that hold presets or pods, by canonical path.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    files: HashMap<String, Arc<Summaries>>,
    presets: usize,
}

impl Workspace {
    /// A workspace of these files.
    pub fn new(files: HashMap<String, Arc<Summaries>>) -> Workspace {
        let presets = files.values().map(|s| s.presets.len()).sum();
        Workspace { files, presets }
    }

    /// Replace (or, with `None`, remove) one file's summaries.
    pub fn set(&mut self, path: String, summaries: Option<Summaries>) {
        if let Some(old) = self.files.remove(&path) {
            self.presets -= old.presets.len();
        }
        if let Some(s) = summaries {
            self.presets += s.presets.len();
            self.files.insert(path, Arc::new(s));
        }
    }

    /// Number of presets outside the file `own`.
    fn presets_outside(&self, own: &str) -> usize {
        self.presets - self.files.get(own).map_or(0, |s| s.presets.len())
    }
}

/// The cross-file findings for an open document (checked from its buffer, `bytes`, under
/// `path`) against the other files of the workspace; the buffer replaces the document's own
/// file on disk (`own`, its canonical path). The check delivers them to the document's
/// objects, where they are located and suppressed like any other finding.
///
/// Without a preset anywhere there is nothing to do, and nothing is done: typing in a
/// workspace without PodPresets costs no cross-file work, not even a second parse. With
/// presets, neither presets nor pods are copied: they are matched in place.
pub fn conflicts_for(
    engine: &Engine,
    path: &str,
    bytes: &[u8],
    own: &str,
    ws: &Workspace,
) -> Option<CrossFile> {
    let mentions_presets = memchr::memmem::find(bytes, b"PodPreset").is_some();
    if !engine.checks_presets() || (!mentions_presets && ws.presets_outside(own) == 0) {
        return None;
    }
    let mine = Summaries::of(engine, path, bytes).unwrap_or_default();
    let others = || ws.files.iter().filter(|(file, _)| *file != own);
    Some(presets::conflicts(
        mine.presets
            .iter()
            .chain(others().flat_map(|(_, s)| s.presets.iter())),
        mine.pods
            .iter()
            .chain(others().flat_map(|(_, s)| s.pods.iter())),
    ))
}
