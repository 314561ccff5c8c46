//! A run over many files. First the project passes ([`crate::rules::project`]): each enabled
//! pass reads the files that hold one of its trigger strings (or, once triggered, every file)
//! and summarises their objects; the summaries become findings for objects and facts for the
//! rules (the files they read, and those the scan for CustomResourceDefinitions reads, are
//! kept, up to a bound, so that the main pass does not read them again). Then every file is
//! checked on all cores, one task per file in the order of the sorted input list; each file's
//! diagnostics go to the sink, in output order (path, then position), as soon as every
//! earlier file's have, and are dropped. Checking runs at most a bounded window of files ahead
//! of the output, so memory is bounded by that window, the summaries and the kept files'
//! bound, never by the number of files or findings. Findings
//! reported once per run for many documents ([`crate::grouped`]) and unused configuration
//! ignores come last.

use crate::check::{Engine, FileResult};
use crate::diagnostic::Diagnostic;
use crate::discover::{Input, Source};
use crate::grouped::MissingSchemas;
use crate::kustomize;
use crate::rules::project::{self, FileSummaries, ProjectOut};
use crate::rules::RuleId;
use crate::rules::Severity;
use crate::schema::crd::{document_kinds, index_words, CrdSource, LazyCrds};
use crate::source::ParsedStream;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
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
    /// What Kustomize rendering did, when the checked files belong to a Kustomize tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kustomize: Option<kustomize::Outcome>,
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
    sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
) -> Result<Totals, E> {
    project_then_check(engine, inputs, sink).0
}

/// [`run`] for a process that ends right after it: what the project passes learned (CRDs
/// kept for custom resources, summaries) is left to the end of the process instead of being
/// freed node by node, which took about 1% of a run over large CRDs.
pub fn run_then_exit<E>(
    engine: &Engine,
    inputs: &[Input],
    sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
) -> Result<Totals, E> {
    let (totals, project) = project_then_check(engine, inputs, sink);
    std::mem::forget(project);
    totals
}

/// The project passes, then the main pass; returns what the passes learned with the result.
fn project_then_check<E>(
    engine: &Engine,
    inputs: &[Input],
    sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
) -> (Result<Totals, E>, ProjectOut) {
    engine.settings.ignores.reset_usage();
    let read = ReadAhead::new(inputs.len());
    let project = project_pass(engine, inputs, &read);
    let totals = check_files(engine, inputs, &read, &project, sink);
    (totals, project)
}

/// The main pass of [`run`], once the project passes have run.
fn check_files<E>(
    engine: &Engine,
    inputs: &[Input],
    read: &ReadAhead,
    project: &ProjectOut,
    mut sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
) -> Result<Totals, E> {
    let mut totals = Totals {
        files: inputs.len(),
        ..Totals::default()
    };
    let window =
        (rayon::current_num_threads() * FILES_AHEAD_PER_THREAD).max(FILES_AHEAD_PER_THREAD);
    if project.fact::<kustomize::Tree>().is_some() {
        totals.kustomize = project.fact::<kustomize::Outcome>().copied();
    }
    let max_bytes = engine.settings.limits.max_file_bytes;
    let check = move |(i, input): (usize, &Input)| match read.take(i) {
        Some((bytes, parsed)) => engine.check_parsed(&input.display, &bytes, project, parsed),
        None => match input.bytes(max_bytes) {
            Ok(bytes) => engine.check_bytes_with(&input.display, &bytes, project),
            Err(why) => engine.io_result(&input.display, why),
        },
    };
    // One task per file, spawned in `order` at most `window` files ahead of the output (and
    // always up to the next file to write). This thread writes each result as soon as every
    // earlier file's is written, and while the next one is not ready it checks files itself
    // (or waits, if others hold them all).
    let order = spawn_order(project, inputs);
    let mut is_spawned = vec![false; inputs.len()];
    let (tx, rx) = mpsc::channel::<(usize, FileResult)>();
    let mut ready: BTreeMap<usize, FileResult> = BTreeMap::new();
    let (mut spawned, mut received, mut written) = (0usize, 0usize, 0usize);
    let mut failed = None;
    let mut missing_schemas = MissingSchemas::default();
    rayon::in_place_scope_fifo(|scope| loop {
        while failed.is_none()
            && spawned < order.len()
            && (spawned < written + window || !is_spawned[written])
        {
            let i = order[spawned];
            let (tx, input) = (tx.clone(), &inputs[i]);
            scope.spawn_fifo(move |_| {
                let result = guarded(engine, &input.display, || check((i, input)));
                let _ = tx.send((i, result));
            });
            is_spawned[i] = true;
            spawned += 1;
        }
        for (i, r) in rx.try_iter() {
            received += 1;
            ready.insert(i, r);
        }
        let before = written;
        while let Some(r) = ready.remove(&written) {
            written += 1;
            if failed.is_none() {
                totals.documents += r.documents;
                totals.skipped += r.skipped;
                let mut diagnostics = r.diagnostics;
                missing_schemas.take_from(&mut diagnostics);
                totals.count(&diagnostics);
                if let Err(e) = sink(diagnostics) {
                    failed = Some(e);
                }
            }
        }
        if written == inputs.len() || (failed.is_some() && received == spawned) {
            break;
        }
        if written > before {
            continue;
        }
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            // Every unfinished file is being checked on another thread: wait for one.
            match rx.recv() {
                Ok((i, r)) => {
                    received += 1;
                    ready.insert(i, r);
                }
                Err(_) => break,
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    // Rendered findings placed in files that are not among the inputs (a base outside the
    // checked paths).
    if let Some(tree) = project.fact::<kustomize::Tree>() {
        if !tree.orphans.is_empty() {
            let orphans = tree.orphans.clone();
            totals.count(&orphans);
            sink(orphans)?;
        }
    }
    // Kinds without a schema, once each with their count: known only now.
    let missing = missing_schemas.finish();
    if !missing.is_empty() {
        totals.count(&missing);
        sink(missing)?;
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

/// The check of one file, or, should kubevet fail on it (a bug: a panic), an `io` finding
/// that says the file was not checked. The other files' checks go on and the run ends as
/// usual: a panic that reached the loop above would leave it waiting for that file forever.
fn guarded(engine: &Engine, path: &str, check: impl FnOnce() -> FileResult) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(check))
        .unwrap_or_else(|panic| engine.failure_result(path, panic.as_ref()))
}

/// The order files are checked in: files of CRDs first (those that also hold custom resources
/// last among them), so that the custom resources checked after them use the CRDs already read
/// ([`LazyCrds::offer`]) instead of parsing them again; otherwise input order. Output stays in
/// input order.
fn spawn_order(project: &ProjectOut, inputs: &[Input]) -> Vec<usize> {
    let all = 0..inputs.len();
    let Some(crds) = project.fact::<LazyCrds>().filter(|c| !c.is_empty()) else {
        return all.collect();
    };
    let (mut first, rest): (Vec<usize>, Vec<usize>) =
        all.partition(|&i| crds.holds(&inputs[i].display));
    // Files of CRDs that also hold custom resources after those that only define them, in
    // the order of their dependencies on one another.
    first.sort_by_key(|&i| crds.late_place(&inputs[i].display));
    first.extend(rest);
    first
}

fn unused_config_ignores(engine: &Engine) -> Vec<Diagnostic> {
    let s = &engine.settings;
    if !s.report_unused_ignores {
        return Vec::new();
    }
    crate::suppress::unused_tables(&s.ignores, &s.rules)
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

/// Most bytes of files the project passes keep for the main pass, so that a file is read from
/// the disk once; files past it are read again. Bounds the memory the pre-pass holds.
const READ_AHEAD_BYTES: usize = 64 << 20;

/// Files read by the project passes, kept (up to [`READ_AHEAD_BYTES`] in all) until the main
/// pass takes them, with the parse of those the passes parsed whole (small files only).
struct ReadAhead {
    files: Vec<std::sync::Mutex<Option<Vec<u8>>>>,
    parsed: Vec<std::sync::Mutex<Option<ParsedStream>>>,
    /// The CRD scan of files too large to keep, made while the project passes held them.
    scans: Vec<std::sync::Mutex<Option<CrdScan>>>,
    held: std::sync::atomic::AtomicUsize,
}

/// Only files up to this size are kept. Reading a file again costs a few system calls plus
/// a copy from the page cache: for a small file the calls are most of it and keeping it is
/// cheaper, while a large file's bytes held from the pre-pass to its check are memory the
/// process must fault in (a 37 MB corpus with 29 MB of CRDs peaked at 119 MB keeping them,
/// against 72 MB for a run that read each file once).
const KEEP_FILE_BYTES: usize = 256 << 10;

/// A parse is kept for the main pass only for files up to this size: the tree of a file takes
/// several times its bytes, and the files the passes parse whole are small (a Service).
const KEEP_PARSED_BYTES: usize = 64 << 10;

/// What a kept parse counts against [`READ_AHEAD_BYTES`], per byte of its file (about what
/// its tree takes).
const PARSED_COST: usize = 8;

impl ReadAhead {
    fn new(n: usize) -> ReadAhead {
        ReadAhead {
            files: (0..n).map(|_| std::sync::Mutex::new(None)).collect(),
            parsed: (0..n).map(|_| std::sync::Mutex::new(None)).collect(),
            scans: (0..n).map(|_| std::sync::Mutex::new(None)).collect(),
            held: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Count `n` bytes against [`READ_AHEAD_BYTES`]; `false` (and nothing counted) when they
    /// do not fit.
    fn reserve(&self, n: usize) -> bool {
        use std::sync::atomic::Ordering;
        if self.held.fetch_add(n, Ordering::Relaxed) + n > READ_AHEAD_BYTES {
            self.held.fetch_sub(n, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Keep the parse of input `i` (of `len` bytes, which are kept) if the budget allows.
    fn keep_parsed(&self, i: usize, len: usize, stream: ParsedStream) {
        if !self.reserve(len * PARSED_COST) {
            return;
        }
        if let Some(mut slot) = self.parsed.get(i).and_then(|s| s.lock().ok()) {
            *slot = Some(stream);
        }
    }

    /// Keep input `i`'s bytes if it is small and the budget allows.
    fn keep(&self, i: usize, bytes: Vec<u8>) {
        if bytes.len() > KEEP_FILE_BYTES || !self.reserve(bytes.len()) {
            return;
        }
        if let Ok(mut slot) = self.files[i].lock() {
            *slot = Some(bytes);
        }
    }

    /// Keep the CRD scan of input `i` (a file whose bytes are not kept).
    fn keep_scan(&self, i: usize, scan: CrdScan) {
        if let Some(mut slot) = self.scans.get(i).and_then(|s| s.lock().ok()) {
            *slot = Some(scan);
        }
    }

    /// Input `i`'s CRD scan, if kept (handed out once).
    fn take_scan(&self, i: usize) -> Option<CrdScan> {
        self.scans.get(i)?.lock().ok()?.take()
    }

    /// Input `i`'s bytes, if kept (each is handed out once), and its parse if kept.
    fn take(&self, i: usize) -> Option<(Vec<u8>, Option<ParsedStream>)> {
        let bytes = self.files.get(i)?.lock().ok()?.take()?;
        let parsed = self.parsed.get(i)?.lock().ok()?.take();
        Some((bytes, parsed))
    }

    /// Input `i`'s bytes, if kept, without taking them.
    fn with<T>(&self, i: usize, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        let slot = self.files.get(i)?.lock().ok()?;
        slot.as_deref().map(f)
    }
}

/// What the project passes learn about the inputs. A pass reads nothing unless some input
/// holds one of its trigger strings; then it reads the inputs that hold one, or every input if
/// it asks to. Files it reads are kept in `read` for the main pass.
fn project_pass(engine: &Engine, inputs: &[Input], read: &ReadAhead) -> ProjectOut {
    let mut tree = if engine.settings.parse_only {
        kustomize::Tree::default()
    } else {
        kustomize::scan(
            inputs.iter().filter_map(|i| match &i.source {
                Source::Path(p) => Some(p.as_path()),
                _ => None,
            }),
            &engine.settings.limits,
        )
    };
    let paths = || {
        inputs.iter().filter_map(|i| match &i.source {
            Source::Path(p) => Some((i.display.as_str(), p.as_path())),
            _ => None,
        })
    };
    if !tree.is_empty() {
        tree.learn_names(paths());
    }
    let mut out = summarize_project(engine, inputs, &tree, read);
    let crds = checked_crds(engine, inputs, read);
    if !crds.is_empty() {
        out.set_fact(crds);
    }
    if tree.is_empty() {
        return out;
    }
    let outcome = match (engine.settings.kustomize, kustomize::Renderer::find()) {
        (kustomize::Mode::Off, _) | (_, None) => kustomize::Outcome::default(),
        (_, Some(renderer)) => {
            let display = tree.names();
            kustomize::render::render(engine, &renderer, &mut tree, &out, &display)
        }
    };
    out.set_fact(outcome);
    out.set_fact(tree);
    out
}

/// What a byte search tells of a file for [`checked_crds`]: whether it holds CRDs, the words
/// after `group:` and `kind:` in it (for a file of CRDs, or for any file when
/// `words_of_all`), and for a file of CRDs the kinds of its documents (custom resources beside
/// their CRDs).
type CrdScan = (bool, Vec<String>, Vec<String>);

/// [`CrdScan`] of a file's bytes.
fn crd_scan(bytes: &[u8], words_of_all: bool) -> CrdScan {
    let crds = memchr::memmem::find(bytes, b"CustomResourceDefinition").is_some();
    let kinds = if crds {
        document_kinds(bytes)
    } else {
        Vec::new()
    };
    let words = if crds || words_of_all {
        index_words(bytes)
    } else {
        Vec::new()
    };
    (crds, words, kinds)
}

/// Whether [`checked_crds`] looks for CRDs in this run.
fn scans_crds(engine: &Engine) -> bool {
    !engine.settings.parse_only && engine.settings.rules.enabled(RuleId::Schema)
}

/// The files among the inputs that hold CustomResourceDefinitions (found by a byte search,
/// not parsed): their custom resources are validated against them, read when first needed.
/// The kinds the other files write tell which CRDs the main pass should keep for them.
fn checked_crds(engine: &Engine, inputs: &[Input], read: &ReadAhead) -> LazyCrds {
    if !scans_crds(engine) {
        return LazyCrds::new(Vec::new());
    }
    let max_bytes = engine.settings.limits.max_file_bytes;
    // The words of the other files matter only when some file holds CRDs: look for those
    // first, and index the rest only then.
    let scan_file = |i: usize, input: &Input, words_of_all: bool| -> Option<CrdScan> {
        let scan = |b: &[u8]| crd_scan(b, words_of_all);
        if let Some(s) = read.with(i, scan) {
            return Some(s);
        }
        if !words_of_all {
            if let Some(s) = read.take_scan(i) {
                return Some(s);
            }
        }
        let bytes = input.bytes(max_bytes).ok()?;
        let s = scan(&bytes);
        // Kept for the main pass, as the project passes keep what they read: when no pass
        // ran, this scan is the first read of every file.
        if let Source::Path(_) = input.source {
            read.keep(i, bytes.into_owned());
        }
        Some(s)
    };
    let scanned: Vec<Option<CrdScan>> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| scan_file(i, input, false))
        .collect();
    if !scanned.iter().flatten().any(|(crds, _, _)| *crds) {
        return LazyCrds::new(Vec::new());
    }
    let scanned: Vec<Option<CrdScan>> = inputs
        .par_iter()
        .enumerate()
        .zip(scanned)
        .map(|((i, input), s)| match s {
            Some(s) if s.0 => Some(s),
            _ => scan_file(i, input, true),
        })
        .collect();
    let mut files = Vec::new();
    let mut written_kinds = std::collections::HashSet::new();
    let mut crd_file_kinds = Vec::new();
    for (input, scan) in inputs.iter().zip(scanned) {
        match scan {
            Some((true, words, kinds)) => {
                written_kinds.extend(kinds.iter().cloned());
                crd_file_kinds.push((input.display.clone(), kinds));
                let source = match &input.source {
                    Source::Path(p) => CrdSource::Path(p.clone()),
                    _ => match input.bytes(max_bytes) {
                        Ok(b) => CrdSource::Text(String::from_utf8_lossy(&b).into_owned()),
                        Err(_) => continue,
                    },
                };
                files.push((input.display.clone(), source, words));
            }
            Some((false, words, _)) => written_kinds.extend(words),
            None => {}
        }
    }
    if files.is_empty() {
        return LazyCrds::new(files);
    }
    // The words of files of CRDs include the kinds they define: a file of CRDs that writes
    // documents of one of those kinds holds custom resources, and is checked after the others.
    // Built-in kinds are not counted: those words are other documents' kinds. (The order
    // only spares parses: a custom resource checked before its CRD's file reads that file.)
    let builtin: std::collections::HashSet<&str> =
        crate::schema::kinds::KINDS.iter().map(|k| k.kind).collect();
    let defined: std::collections::HashSet<&str> = files
        .iter()
        .flat_map(|(_, _, words)| words.iter().map(String::as_str))
        .filter(|w| *w != "CustomResourceDefinition" && !builtin.contains(w))
        .collect();
    let late: Vec<(String, Vec<String>)> = crd_file_kinds
        .into_iter()
        .map(|(name, mut kinds)| {
            kinds.retain(|k| defined.contains(k.as_str()));
            (name, kinds)
        })
        .filter(|(_, kinds)| !kinds.is_empty())
        .collect();
    let words_of: HashMap<&str, &[String]> = files
        .iter()
        .map(|(name, _, words)| (name.as_str(), words.as_slice()))
        .collect();
    let late = late_order(&late, |name| words_of.get(name).copied().unwrap_or(&[]));
    LazyCrds::new(files)
        .with_limits(engine.settings.limits)
        .reading_main_pass(written_kinds, late)
}

/// The order in which to check `late` files of CRDs that also hold custom resources (each with
/// the kinds of its custom resources that CRDs define): a file after every other one whose
/// words (`words_of`: the words after `kind:` and `group:`) include a kind it writes, since that
/// one may define it; otherwise, and where such files depend on one another in a cycle, in input
/// order. Linear in the words, quadratic only in the number of late files.
fn late_order<'w>(
    late: &[(String, Vec<String>)],
    words_of: impl Fn(&str) -> &'w [String],
) -> Vec<String> {
    // Which late files may define each word: the files a user of that kind waits for.
    let mut definers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (name, _)) in late.iter().enumerate() {
        for w in words_of(name) {
            definers.entry(w.as_str()).or_default().push(i);
        }
    }
    let waits_for: Vec<Vec<usize>> = late
        .iter()
        .enumerate()
        .map(|(user, (_, kinds))| {
            let mut d: Vec<usize> = kinds
                .iter()
                .flat_map(|k| definers.get(k.as_str()).into_iter().flatten().copied())
                .filter(|&d| d != user)
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();
    let mut waited_by: Vec<Vec<usize>> = vec![Vec::new(); late.len()];
    for (user, ds) in waits_for.iter().enumerate() {
        for &d in ds {
            waited_by[d].push(user);
        }
    }
    let mut waiting: Vec<usize> = waits_for.iter().map(Vec::len).collect();
    let mut placed = vec![false; late.len()];
    let mut order = Vec::with_capacity(late.len());
    while order.len() < late.len() {
        let free = (0..late.len()).find(|&i| !placed[i] && waiting[i] == 0);
        let Some(next) = free.or_else(|| (0..late.len()).find(|&i| !placed[i])) else {
            break;
        };
        placed[next] = true;
        for &user in &waited_by[next] {
            waiting[user] = waiting[user].saturating_sub(1);
        }
        order.push(late[next].0.clone());
    }
    order
}

/// The project passes' findings and facts; patches of `tree` are partial objects and not
/// summarised.
fn summarize_project(
    engine: &Engine,
    inputs: &[Input],
    tree: &kustomize::Tree,
    read: &ReadAhead,
) -> ProjectOut {
    let enabled = engine.project_passes();
    if enabled.is_empty() {
        return ProjectOut::default();
    }
    let max_bytes = engine.settings.limits.max_file_bytes;
    // Which passes each input triggers.
    let triggered: Vec<Vec<usize>> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| match (&input.source, input.bytes(max_bytes)) {
            (Source::Path(_), Ok(b)) => {
                let hits = project::triggered_by(&b, &enabled);
                // A file too large to keep is scanned for CRDs now, not read again for it.
                if b.len() > KEEP_FILE_BYTES && scans_crds(engine) {
                    read.keep_scan(i, crd_scan(&b, false));
                }
                read.keep(i, b.into_owned());
                hits
            }
            (_, Ok(b)) => project::triggered_by(&b, &enabled),
            (_, Err(_)) => Vec::new(),
        })
        .collect();
    let active: Vec<usize> = enabled
        .iter()
        .copied()
        .filter(|p| triggered.iter().any(|t| t.contains(p)))
        .collect();
    if active.is_empty() {
        return ProjectOut::default();
    }
    let passes = project::passes();
    let summaries: Vec<FileSummaries> = inputs
        .par_iter()
        .zip(&triggered)
        .enumerate()
        .map(|(i, (input, hits))| {
            let wanted: Vec<usize> = active
                .iter()
                .copied()
                .filter(|p| hits.contains(p) || passes[*p].reads_every_file())
                .collect();
            if wanted.is_empty() || (!tree.is_empty() && tree.role(&input.display).patch) {
                return Vec::new();
            }
            let kept = read.with(i, |b| {
                let (summaries, parsed) = engine.summarize_file(&input.display, b, &wanted);
                let parsed = parsed.filter(|_| b.len() <= KEEP_PARSED_BYTES);
                (summaries, parsed.map(|p| (b.len(), p)))
            });
            if let Some((summaries, parsed)) = kept {
                if let Some((len, parsed)) = parsed {
                    read.keep_parsed(i, len, parsed);
                }
                return summaries;
            }
            match input.bytes(max_bytes) {
                Ok(b) => engine.summarize(&input.display, &b, &wanted),
                Err(_) => Vec::new(),
            }
        })
        .collect();
    project::finish(&active, summaries.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        Engine::new(Default::default()).expect("engine")
    }

    /// A check that fails (a bug) becomes an `io` error on its file, not a hung or aborted run.
    #[test]
    fn a_failing_check_is_a_finding_on_its_file() {
        let engine = engine();
        let ok = guarded(&engine, "good.yaml", FileResult::default);
        assert!(ok.diagnostics.is_empty());
        fn out_of_bounds() -> FileResult {
            panic!("index out of bounds")
        }
        fn broke() -> FileResult {
            std::panic::panic_any(format!("rule {} broke", 7))
        }
        for boom in [out_of_bounds as fn() -> FileResult, broke] {
            let r = guarded(&engine, "bad.yaml", boom);
            assert_eq!(r.diagnostics.len(), 1);
            let d = &r.diagnostics[0];
            assert_eq!(
                (d.rule, d.severity, d.path.as_str()),
                (RuleId::Io, Severity::Error, "bad.yaml")
            );
            assert!(d.message.contains("was not checked"), "{}", d.message);
            assert!(
                d.message.contains("index out of bounds") || d.message.contains("rule 7 broke")
            );
        }
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

    #[test]
    fn files_of_crds_that_use_each_others_kinds_are_checked_definer_first() {
        let strings = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let (a, b, c) = (
            strings(&["Widget", "example.com"]),
            strings(&["Gadget", "Widget"]),
            strings(&["Gizmo"]),
        );
        let words = |name: &str| -> &[String] {
            match name {
                "a.yaml" => &a,
                "b.yaml" => &b,
                "c.yaml" => &c,
                _ => &[],
            }
        };
        let late = |files: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
            files
                .iter()
                .map(|(n, k)| (n.to_string(), k.iter().map(|k| k.to_string()).collect()))
                .collect()
        };
        // c writes a Gadget, which b defines; b writes a Gizmo, which c defines: a cycle,
        // checked in input order. a writes a Gadget: after b.
        assert_eq!(
            late_order(
                &late(&[("a.yaml", &["Gadget"]), ("b.yaml", &["Gizmo"])]),
                words
            ),
            ["b.yaml", "a.yaml"]
        );
        assert_eq!(
            late_order(
                &late(&[("b.yaml", &["Gizmo"]), ("c.yaml", &["Gadget"])]),
                words
            ),
            ["b.yaml", "c.yaml"]
        );
        // Independent files keep their order.
        assert_eq!(
            late_order(
                &late(&[("c.yaml", &["Other"]), ("a.yaml", &["Other"])]),
                words
            ),
            ["c.yaml", "a.yaml"]
        );
    }
}
