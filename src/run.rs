//! A run over many files. First the cross-file pass: when any input mentions `PodPreset`, the
//! presets are summarised, then the pods they select, and their conflicts computed (see
//! [`crate::presets`]). Then every file is checked on all cores, one task per file in the
//! order of the sorted input list; each file's diagnostics go to the sink, in output order
//! (path, then position), as soon as every earlier file's have, and are dropped. Checking runs
//! at most a bounded window of files ahead of the output, so memory is bounded by that window
//! and the summaries, never by the number of files or findings.

use crate::check::{Engine, FileResult};
use crate::diagnostic::Diagnostic;
use crate::discover::Input;
use crate::presets::{self, CrossFile, PodSummary, PresetSummary};
use crate::rules::{self, Severity};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::mpsc;

/// How far ahead of the output the checking may run, in files per worker thread: enough to
/// keep every core busy past a slow file, few enough that the finished-but-unwritten results
/// stay small.
const FILES_AHEAD_PER_THREAD: usize = 32;

/// What a run counted; serialized as the `summary` of the JSON report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
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
    let window =
        (rayon::current_num_threads() * FILES_AHEAD_PER_THREAD).max(FILES_AHEAD_PER_THREAD);
    let cross = &cross;
    let check = move |input: &Input| match input.bytes(engine) {
        Ok(bytes) => engine.check_bytes_with(&input.display, &bytes, Some(cross)),
        Err(why) => engine.io_result(&input.display, why),
    };
    // One task per file, spawned in input order at most `window` files ahead of the output.
    // This thread writes each result as soon as every earlier file's is written, and while
    // the next one is not ready it checks files itself (or waits, if others hold them all).
    let (tx, rx) = mpsc::channel::<(usize, FileResult)>();
    let mut ready: BTreeMap<usize, FileResult> = BTreeMap::new();
    let (mut spawned, mut written) = (0usize, 0usize);
    let mut failed = None;
    rayon::in_place_scope_fifo(|scope| loop {
        while failed.is_none() && spawned < inputs.len() && spawned < written + window {
            let (tx, input, i) = (tx.clone(), &inputs[spawned], spawned);
            scope.spawn_fifo(move |_| {
                let _ = tx.send((i, check(input)));
            });
            spawned += 1;
        }
        ready.extend(rx.try_iter());
        let before = written;
        while let Some(r) = ready.remove(&written) {
            written += 1;
            if failed.is_none() {
                totals.documents += r.documents;
                totals.skipped += r.skipped;
                totals.count(&r.diagnostics);
                if let Err(e) = sink(r.diagnostics) {
                    failed = Some(e);
                }
            }
        }
        if written == spawned && (failed.is_some() || spawned == inputs.len()) {
            break;
        }
        if written > before {
            continue;
        }
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            // Every unfinished file is being checked on another thread: wait for one.
            match rx.recv() {
                Ok((i, r)) => {
                    ready.insert(i, r);
                }
                Err(_) => break,
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
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
    if !engine.checks_presets() {
        return CrossFile::default();
    }
    // Only files that mention `PodPreset` are parsed for presets.
    let finder = memchr::memmem::Finder::new(b"PodPreset");
    let presets: Vec<PresetSummary> = inputs
        .par_iter()
        .flat_map_iter(|i| match i.bytes(engine) {
            Ok(b) if finder.find(&b).is_some() => engine.summaries(&i.display, &b).0,
            _ => Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::Source;

    /// Files of very different sizes, so that threads finish them out of order.
    fn inputs(n: usize) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let pods = if i % 17 == 0 { 60 } else { 1 + i % 3 };
                let text = (0..pods)
                    .map(|p| {
                        format!(
                            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{p}\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n"
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("---\n");
                Input {
                    display: format!("f{i:04}.yaml"),
                    source: Source::Stdin(text.into_bytes()),
                }
            })
            .collect()
    }

    fn engine() -> Engine {
        crate::app::build_engine(&Default::default()).expect("engine")
    }

    /// The paths handed to the sink, one entry per call.
    fn order(threads: usize, inputs: &[Input], engine: &Engine) -> Vec<String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let mut seen = Vec::new();
        pool.install(|| {
            run(engine, inputs, |ds| {
                seen.push(ds.first().map(|d| d.path.clone()).unwrap_or_default());
                Ok::<(), ()>(())
            })
        })
        .expect("run");
        seen
    }

    #[test]
    fn output_follows_the_input_order_whatever_the_thread_count() {
        let (e, ins) = (engine(), inputs(300));
        let want: Vec<String> = ins.iter().map(|i| i.display.clone()).collect();
        for threads in [1, 2, 5] {
            assert_eq!(order(threads, &ins, &e), want, "{threads} threads");
        }
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let (e, ins) = (engine(), inputs(200));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("pool");
        let mut calls = 0;
        let result = pool.install(|| {
            run(&e, &ins, |_| {
                calls += 1;
                if calls == 3 {
                    Err("closed")
                } else {
                    Ok(())
                }
            })
        });
        assert_eq!(result, Err("closed"));
        assert_eq!(calls, 3);
    }
}
