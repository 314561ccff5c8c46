//! A run over many files. First the cross-file pass: when any input mentions `PodPreset`, the
//! presets are summarised, then the pods they select, and their conflicts computed (see
//! [`crate::presets`]). Then every file is checked on all cores, in chunks of the sorted input
//! list; as each chunk finishes, its files' diagnostics go to the sink in output order (path,
//! then position) and are dropped. Memory is bounded by a chunk and the summaries, never by
//! the number of files or findings.

use crate::check::{Engine, FileResult};
use crate::diagnostic::Diagnostic;
use crate::discover::Input;
use crate::presets::{self, CrossFile, PodSummary, PresetSummary};
use crate::rules::{self, Severity};
use rayon::prelude::*;

/// Files checked per chunk, per worker thread: enough to keep every core busy to the end of a
/// chunk, few enough that a chunk's diagnostics stay small.
const FILES_PER_THREAD: usize = 32;

/// What a run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub documents: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// The most severe finding's level, if any.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// Check every input on the current rayon pool, handing each file's sorted diagnostics to
/// `sink` in output order. Stops at the first error the sink returns.
pub fn run<E>(
    engine: &Engine,
    inputs: &[Input],
    mut sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
) -> Result<Totals, E> {
    engine.settings.ignores.reset_usage();
    let cross = cross_file(engine, inputs);
    let mut totals = Totals {
        files: inputs.len(),
        ..Totals::default()
    };
    let chunk = (rayon::current_num_threads() * FILES_PER_THREAD).max(FILES_PER_THREAD);
    for part in inputs.chunks(chunk) {
        let results: Vec<FileResult> = part
            .par_iter()
            .map(|input| match input.bytes(engine) {
                Ok(bytes) => engine.check_bytes_with(&input.display, &bytes, Some(&cross)),
                Err(why) => engine.io_result(&input.display, why),
            })
            .collect();
        for r in results {
            totals.documents += r.documents;
            totals.skipped += r.skipped;
            totals.count(&r.diagnostics);
            sink(r.diagnostics)?;
        }
    }
    // `[[ignore]]` tables of the configuration file that silenced nothing in the whole run:
    // known only now, so they come after every file's findings.
    let unused = unused_config_ignores(engine);
    if !unused.is_empty() {
        totals.count(&unused);
        sink(unused)?;
    }
    Ok(totals)
}

fn unused_config_ignores(engine: &Engine) -> Vec<Diagnostic> {
    let s = &engine.settings;
    if !s.report_unused_ignores {
        return Vec::new();
    }
    let unused = &rules::UNUSED_IGNORE;
    let Some(sev) = s.severity(unused.id, unused.severity) else {
        return Vec::new();
    };
    let enabled = |r: &str| rules::meta(r).is_some_and(|m| s.severity(r, m.severity).is_some());
    let mut out = s.ignores.unused(sev, enabled);
    crate::diagnostic::sort_and_dedup(&mut out);
    out
}

/// Check every input and keep every diagnostic (tests, `--fix`, small runs).
pub fn check_all(engine: &Engine, inputs: &[Input]) -> RunResult {
    let mut diagnostics = Vec::new();
    let totals = run(engine, inputs, |d| {
        diagnostics.extend(d);
        Ok::<(), std::convert::Infallible>(())
    });
    let totals = match totals {
        Ok(t) => t,
        Err(never) => match never {},
    };
    RunResult {
        diagnostics,
        files: totals.files,
        documents: totals.documents,
        skipped: totals.skipped,
    }
}

/// A whole run's diagnostics, in output order, with its counts.
#[derive(Debug, Default)]
pub struct RunResult {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub documents: usize,
    pub skipped: usize,
}

impl RunResult {
    /// The run's counts, findings by severity included.
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            files: self.files,
            documents: self.documents,
            skipped: self.skipped,
            ..Totals::default()
        };
        t.count(&self.diagnostics);
        t
    }
}

/// The cross-file findings of a run: PodPreset conflicts. Nothing is parsed twice unless some
/// input mentions `PodPreset`.
pub fn cross_file(engine: &Engine, inputs: &[Input]) -> CrossFile {
    let enabled = engine
        .settings
        .severity(
            rules::PODPRESET_CONFLICT.id,
            rules::PODPRESET_CONFLICT.severity,
        )
        .is_some();
    if !enabled || engine.settings.parse_only {
        return CrossFile::default();
    }
    let finder = memchr::memmem::Finder::new(b"PodPreset");
    let preset_files: Vec<&Input> = inputs
        .par_iter()
        .filter(|i| i.bytes(engine).is_ok_and(|b| finder.find(&b).is_some()))
        .collect();
    if preset_files.is_empty() {
        return CrossFile::default();
    }
    let presets: Vec<PresetSummary> = preset_files
        .par_iter()
        .flat_map_iter(|i| match i.bytes(engine) {
            Ok(b) => engine.summaries(&i.display, &b).0,
            Err(_) => Vec::new(),
        })
        .collect();
    if presets.is_empty() {
        return CrossFile::default();
    }
    // Only the pods some preset selects are kept.
    let pods: Vec<PodSummary> = inputs
        .par_iter()
        .flat_map_iter(|i| match i.bytes(engine) {
            Ok(b) => engine.summaries(&i.display, &b).1,
            Err(_) => Vec::new(),
        })
        .filter(|pod| presets.iter().any(|p| p.would_apply(pod)))
        .collect();
    presets::conflicts(&presets, &pods)
}
