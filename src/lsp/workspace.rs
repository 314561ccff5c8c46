//! The project passes in the editor: each workspace file on disk is summarised once (on the
//! scan, and again when it changes), and an open document is checked with what the passes
//! make of its own buffer plus every other file's summaries. A new project pass works here
//! without new code. The scan that fills the index runs on its own threads (see `server.rs`),
//! never on the lint worker.
//!
//! The files that hold CustomResourceDefinitions are indexed too (found by a byte search, as
//! `kubevet check` finds them in the checked set): an open custom resource is validated
//! against the workspace's CRDs, read from the disk when first needed and kept until one of
//! those files changes.

use crate::check::Engine;
use crate::rules::project::{self, FileSummaries, ProjectOut};
use crate::rules::RuleId;
use crate::schema::crd::{index_words, CrdSource, LazyCrds};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Numbers each state of a workspace index, so a cached result can tell it is still current.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

/// The word that marks a file as a possible holder of CRDs.
const CRD_TRIGGER: &[u8] = b"CustomResourceDefinition";

/// Whether `bytes` may hold a CRD that the engine would use as a schema.
pub fn holds_crds(engine: &Engine, bytes: &[u8]) -> bool {
    !engine.settings.parse_only
        && engine.settings.rules.enabled(RuleId::Schema)
        && memchr::memmem::find(bytes, CRD_TRIGGER).is_some()
}

/// What one file on disk contributes: the passes its text triggers, its summaries, and the
/// index words of the CRDs it may hold.
#[derive(Default)]
pub struct Summaries {
    triggers: Vec<usize>,
    summaries: FileSummaries,
    crd_words: Option<Vec<String>>,
}

impl Summaries {
    /// The summaries of one file's bytes (`path` as the document is checked), or `None` when
    /// it contributes nothing.
    pub fn of(engine: &Engine, path: &str, bytes: &[u8]) -> Option<Summaries> {
        let crd_words = holds_crds(engine, bytes).then(|| index_words(bytes));
        let enabled = engine.project_passes();
        let triggers = project::triggered_by(bytes, &enabled);
        let wanted: Vec<usize> = enabled
            .iter()
            .copied()
            .filter(|p| triggers.contains(p) || project::passes()[*p].reads_every_file())
            .collect();
        let summaries = if wanted.is_empty() {
            FileSummaries::default()
        } else {
            engine.summarize(path, bytes, &wanted)
        };
        if triggers.is_empty() && summaries.is_empty() && crd_words.is_none() {
            return None;
        }
        Some(Summaries {
            triggers,
            summaries,
            crd_words,
        })
    }
}

/// The workspace's files on disk that contribute to a pass, by canonical path.
#[derive(Default, Clone)]
pub struct Workspace {
    files: HashMap<String, Arc<Summaries>>,
    /// Per pass: how many files trigger it.
    triggering: HashMap<usize, usize>,
    /// Changes with every change of the index (0: the empty index made by `default`).
    generation: u64,
    /// The CRDs of the files that hold some, read when first needed (shared by clones).
    crds: LazyCrds,
    /// Changes whenever a file that holds CRDs (or held some) changes.
    crd_generation: u64,
}

impl Workspace {
    /// A workspace of these files.
    pub fn new(files: HashMap<String, Arc<Summaries>>) -> Workspace {
        let mut ws = Workspace {
            files: HashMap::new(),
            triggering: HashMap::new(),
            generation: next_generation(),
            crds: LazyCrds::default(),
            crd_generation: 0,
        };
        for (path, s) in files {
            ws.insert(path, s);
        }
        ws.index_crds();
        ws
    }

    /// Index the files that hold CRDs again, with nothing read yet.
    fn index_crds(&mut self) {
        self.crds = LazyCrds::new(self.crd_files(None));
        self.crd_generation = next_generation();
    }

    /// The files that hold CRDs, but `except`, for [`LazyCrds`].
    fn crd_files(&self, except: Option<&str>) -> Vec<(String, CrdSource, Vec<String>)> {
        let mut files: Vec<(String, CrdSource, Vec<String>)> = self
            .files
            .iter()
            .filter(|(path, _)| Some(path.as_str()) != except)
            .filter_map(|(path, s)| {
                let words = s.crd_words.clone()?;
                Some((path.clone(), CrdSource::Path(path.into()), words))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// Which state of the workspace's CRDs this is: equal generations, equal CRDs.
    pub fn crd_generation(&self) -> u64 {
        self.crd_generation
    }

    /// The CRDs an open document is checked with: those of the workspace's other files, and
    /// those of its own buffer (`text`, named `path`; `own` is its canonical key), which
    /// replaces its file on disk.
    pub fn crds_for(&self, engine: &Engine, path: &str, own: &str, text: &Arc<String>) -> LazyCrds {
        let mine = holds_crds(engine, text.as_bytes());
        let on_disk = self.files.get(own).is_some_and(|s| s.crd_words.is_some());
        if !mine && !on_disk {
            return self.crds.clone();
        }
        let others = LazyCrds::new(self.crd_files(Some(own)));
        if mine {
            others.with_text(path, Arc::clone(text))
        } else {
            others
        }
    }

    fn insert(&mut self, path: String, s: Arc<Summaries>) {
        for t in &s.triggers {
            *self.triggering.entry(*t).or_default() += 1;
        }
        self.files.insert(path, s);
    }

    /// Replace (or, with `None`, remove) one file's summaries.
    pub fn set(&mut self, path: String, summaries: Option<Summaries>) {
        self.generation = next_generation();
        let crds = |s: Option<&Summaries>| s.is_some_and(|s| s.crd_words.is_some());
        let crds_changed = crds(self.files.get(&path).map(Arc::as_ref)) || crds(summaries.as_ref());
        if let Some(old) = self.files.remove(&path) {
            for t in &old.triggers {
                if let Some(n) = self.triggering.get_mut(t) {
                    *n -= 1;
                }
            }
        }
        if let Some(s) = summaries {
            self.insert(path, Arc::new(s));
        }
        if crds_changed {
            self.index_crds();
        }
    }

    /// Which state of the index this is: equal generations, equal contents.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The summaries of every file but `own`.
    pub fn others<'a>(&'a self, own: &'a str) -> impl Iterator<Item = &'a FileSummaries> + Clone {
        self.files
            .iter()
            .filter(move |(file, _)| *file != own)
            .map(|(_, s)| &s.summaries)
    }

    /// Whether a file other than `own` triggers pass `p`.
    fn triggered_outside(&self, p: usize, own: &str) -> bool {
        let mine = self.files.get(own).is_some_and(|s| s.triggers.contains(&p));
        self.triggering.get(&p).copied().unwrap_or(0) > usize::from(mine)
    }
}

impl Workspace {
    /// What the project passes make of the workspace's files on disk but those `skip` names
    /// (by canonical path: Kustomize patches are not summarised), with their CRDs: what
    /// `kubevet check` on the workspace knows when it renders a Kustomize root.
    pub fn project_all(&self, engine: &Engine, skip: impl Fn(&str) -> bool) -> ProjectOut {
        let active: Vec<usize> = engine
            .project_passes()
            .into_iter()
            .filter(|p| self.triggering.get(p).copied().unwrap_or(0) > 0)
            .collect();
        let mut out = if active.is_empty() {
            ProjectOut::default()
        } else {
            let files = self.files.iter().filter(|(path, _)| !skip(path));
            project::finish(&active, files.map(|(_, s)| &s.summaries))
        };
        out.set_fact(self.crds.clone());
        out
    }
}

/// What the project passes make of an open document (checked from its buffer, `bytes`, under
/// `path`) and the other files of the workspace; the buffer replaces the document's own file on
/// disk (`own`, its canonical path). Without a trigger anywhere nothing is done: typing in a
/// workspace without, say, PodPresets costs no project work, not even a second parse.
pub fn project_for(
    engine: &Engine,
    path: &str,
    bytes: &[u8],
    own: &str,
    ws: &Workspace,
) -> ProjectOut {
    let (active, wanted) = passes_for(engine, bytes, own, ws);
    if active.is_empty() {
        return ProjectOut::default();
    }
    let mine = engine.summarize(path, bytes, &wanted);
    project::finish(&active, std::iter::once(&mine).chain(ws.others(own)))
}

/// The passes an open document is checked with (`active`: triggered by its buffer or by
/// another file) and those its own buffer must be summarised for (`wanted`).
pub fn passes_for(
    engine: &Engine,
    bytes: &[u8],
    own: &str,
    ws: &Workspace,
) -> (Vec<usize>, Vec<usize>) {
    let enabled = engine.project_passes();
    let mine_trigger = project::triggered_by(bytes, &enabled);
    let active: Vec<usize> = enabled
        .iter()
        .copied()
        .filter(|p| mine_trigger.contains(p) || ws.triggered_outside(*p, own))
        .collect();
    let wanted: Vec<usize> = active
        .iter()
        .copied()
        .filter(|p| mine_trigger.contains(p) || project::passes()[*p].reads_every_file())
        .collect();
    (active, wanted)
}
