//! Paths on the command line -> the files to check. Directories are walked in parallel with
//! the `ignore` crate (honouring `.gitignore` unless `--no-ignore`), keeping `*.yaml`, `*.yml`
//! and `*.json`; a file named explicitly is always checked, whatever its extension; `-` is
//! standard input. The list is sorted so that output order never depends on threads.

use crate::check::{Engine, FileResult};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    Path(PathBuf),
    /// Standard input, already read.
    Stdin(Vec<u8>),
    /// A path that cannot be checked (the reason is reported as an `io` finding).
    Unreadable(String),
}

/// One file to check, with the name used in diagnostics.
#[derive(Debug, Clone)]
pub struct Input {
    pub display: String,
    pub source: Source,
}

impl Input {
    /// Read and check this input.
    pub fn check(&self, engine: &Engine) -> FileResult {
        match &self.source {
            Source::Stdin(bytes) => engine.check_bytes(&self.display, bytes),
            Source::Unreadable(why) => engine.io_result(&self.display, why.clone()),
            Source::Path(p) => match read_limited(p, engine.settings.limits.max_file_bytes) {
                Ok(bytes) => engine.check_bytes(&self.display, &bytes),
                Err(why) => engine.io_result(&self.display, why),
            },
        }
    }
}

/// Read a regular file, refusing anything larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a FIFO, socket or device); not read".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "file is {} bytes, over the {limit}-byte limit; not read",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("file grew over the {limit}-byte limit; not read"));
    }
    Ok(bytes)
}

/// Options of the walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Do not read `.gitignore` and other ignore files.
    pub no_ignore: bool,
    /// Globs of paths to leave out.
    pub exclude: Vec<String>,
    /// Globs from the configuration file, relative to its directory.
    pub config_exclude: Option<(PathBuf, Vec<String>)>,
    /// Name for standard input.
    pub stdin_filename: Option<String>,
    /// Threads for the walk (0: as many as cores).
    pub threads: usize,
}

/// Why discovery failed as a whole.
#[derive(Debug)]
pub enum DiscoverError {
    NoSuchPath(String),
    BadGlob(String),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::NoSuchPath(p) => write!(f, "no such file or directory: {p}"),
            DiscoverError::BadGlob(g) => write!(f, "invalid --exclude glob: {g}"),
        }
    }
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Compile exclude globs; a glob without `/` also matches at any depth.
pub fn build_excludes(globs: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|_| DiscoverError::BadGlob(g.clone()))?;
        b.add(glob);
        // `vendor` also excludes everything below it; `*.yaml` matches at any depth.
        if !g.contains('/') {
            if let Ok(any_depth) = Glob::new(&format!("**/{g}")) {
                b.add(any_depth);
            }
        }
    }
    b.build().map_err(|e| DiscoverError::BadGlob(e.to_string()))
}

/// Turn command-line paths into the sorted list of inputs.
pub fn discover(paths: &[String], opts: &WalkOptions) -> Result<Vec<Input>, DiscoverError> {
    let excludes = build_excludes(&opts.exclude)?;
    let config_excludes = match &opts.config_exclude {
        Some((dir, globs)) if !globs.is_empty() => Some((
            std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone()),
            build_excludes(globs)?,
        )),
        _ => None,
    };
    let excluded = |p: &Path| {
        let s = p.strip_prefix("./").unwrap_or(p);
        if excludes.is_match(s) {
            return true;
        }
        let Some((base, globs)) = &config_excludes else {
            return false;
        };
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        abs.strip_prefix(base).is_ok_and(|rel| globs.is_match(rel))
    };
    let mut inputs = Vec::new();
    let mut dirs = Vec::new();
    for arg in paths {
        if arg == "-" {
            let mut bytes = Vec::new();
            let source = match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => Source::Stdin(bytes),
                Err(e) => Source::Unreadable(format!("cannot read standard input: {e}")),
            };
            inputs.push(Input {
                display: opts
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".into()),
                source,
            });
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => dirs.push(path),
            Ok(_) => inputs.push(Input {
                display: arg.clone(),
                source: Source::Path(path),
            }),
            Err(e) if std::fs::symlink_metadata(&path).is_ok() => inputs.push(Input {
                display: arg.clone(),
                source: Source::Unreadable(format!("cannot read: {e}")),
            }),
            Err(_) => return Err(DiscoverError::NoSuchPath(arg.clone())),
        }
    }
    if !dirs.is_empty() {
        let found = Mutex::new(Vec::new());
        let mut builder = ignore::WalkBuilder::new(&dirs[0]);
        for d in &dirs[1..] {
            builder.add(d);
        }
        builder
            .follow_links(true)
            .threads(opts.threads)
            .require_git(true);
        if opts.no_ignore {
            builder
                .ignore(false)
                .git_ignore(false)
                .git_global(false)
                .git_exclude(false)
                .parents(false);
        }
        builder.build_parallel().run(|| {
            let found = &found;
            let excluded = &excluded;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        // Symlink loops and unreadable directories: report, go on.
                        if let Some(p) = error_path(&err) {
                            if let Ok(mut f) = found.lock() {
                                f.push(Input {
                                    display: p,
                                    source: Source::Unreadable(err.to_string()),
                                });
                            }
                        }
                        return ignore::WalkState::Continue;
                    }
                };
                let path = entry.path();
                if entry.depth() > 0 && excluded(path) {
                    return ignore::WalkState::Skip;
                }
                let Some(ft) = entry.file_type() else {
                    return ignore::WalkState::Continue;
                };
                if ft.is_file() && is_manifest_name(path) {
                    if let Ok(mut f) = found.lock() {
                        f.push(Input {
                            display: path.to_string_lossy().into_owned(),
                            source: Source::Path(path.to_path_buf()),
                        });
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut found = found.into_inner().unwrap_or_default();
        found.sort_by(|a, b| a.display.cmp(&b.display));
        inputs.extend(found);
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    inputs.dedup_by(|a, b| a.display == b.display);
    Ok(inputs)
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.to_string_lossy().into_owned()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.to_string_lossy().into_owned()),
        ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}
