//! Cross-file facts for the language server: the PodPresets and pods of the workspace's files
//! on disk, kept as per-file summaries behind `Arc`s, and the conflicts that concern one open
//! document. The scan that fills them runs on its own threads (see `server.rs`), never on the
//! lint worker.
//!
//! This is the only place the server uses the PodPreset pass (`crate::presets`); everything
//! it needs from it goes through [`Summaries::of`] and [`conflicts_for`].

use crate::check::{Engine, FileResult};
use crate::diagnostic::Diagnostic;
use crate::presets::{self, PodSummary, PresetSummary};
use std::collections::HashMap;
use std::sync::Arc;

/// What one file contributes to the cross-file pass.
#[derive(Debug, Default)]
pub struct Summaries {
    pub presets: Vec<PresetSummary>,
    pub pods: Vec<PodSummary>,
}

impl Summaries {
    /// The summaries of a checked file, or `None` when it has neither presets nor pods.
    pub fn of(result: FileResult) -> Option<Summaries> {
        if result.presets.is_empty() && result.pods.is_empty() {
            return None;
        }
        Some(Summaries {
            presets: result.presets,
            pods: result.pods,
        })
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

/// The PodPreset conflicts among `mine` (an open document, checked from its buffer) and the
/// other files of the workspace, with the configuration's `[[ignore]]` tables applied. The
/// buffer replaces the document's own file on disk (`own`, its canonical path).
///
/// Without a preset anywhere there is nothing to do, and nothing is done: typing in a
/// workspace without PodPresets costs no cross-file work at all. With presets, pods are
/// never copied: a conflict always concerns one pod, so each file's pods are matched in
/// place against every preset.
pub fn conflicts_for(
    engine: &Engine,
    mine: &FileResult,
    own: &str,
    ws: &Workspace,
) -> Vec<Diagnostic> {
    if mine.presets.is_empty() && ws.presets_outside(own) == 0 {
        return Vec::new();
    }
    let mut all: Vec<PresetSummary> = mine.presets.clone();
    for (path, s) in &ws.files {
        if path != own {
            all.extend(s.presets.iter().cloned());
        }
    }
    let mut out = presets::conflicts(&all, &mine.pods);
    for (path, s) in &ws.files {
        if path != own && !s.pods.is_empty() {
            out.extend(presets::conflicts(&all, &s.pods));
        }
    }
    engine.apply_config_ignores(&mut out);
    out
}
