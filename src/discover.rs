//! Paths on the command line -> the files to check. Directories are walked in parallel with
//! the `ignore` crate (honouring `.gitignore` unless `--no-ignore`), keeping `*.yaml`, `*.yml`
//! and `*.json`; a file named explicitly is always checked, whatever its extension; `-` is
//! standard input. The list is sorted so that output order never depends on threads.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;
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
    /// This input's bytes, at most `max_bytes`; `Err` says why it cannot be read.
    pub fn bytes(&self, max_bytes: u64) -> Result<Cow<'_, [u8]>, String> {
        match &self.source {
            Source::Stdin(bytes) => Ok(Cow::Borrowed(bytes)),
            Source::Unreadable(why) => Err(why.clone()),
            Source::Path(p) => read_limited(p, max_bytes).map(Cow::Owned),
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
    /// None of the paths exists (each missing path among others is an `io` finding instead).
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

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to check, sorted.
    pub inputs: Vec<Input>,
    /// Paths left out by an exclude (explicit paths, and files and directories met walking).
    pub excluded: usize,
}

fn is_manifest_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// One exclude glob as users write it -> the globs it means. `./vendor`, `vendor/` and
/// `vendor` all mean the path `vendor`; a glob without a `/` matches at any depth; and a
/// match excludes everything below it.
fn glob_forms(glob: &str) -> Vec<String> {
    let mut g = glob.trim();
    while let Some(rest) = g.strip_prefix("./") {
        g = rest;
    }
    let g = g.trim_end_matches('/');
    let g = if g.is_empty() { "." } else { g };
    let mut forms = vec![g.to_string()];
    if !g.contains('/') {
        forms.push(format!("**/{g}"));
    }
    if !g.ends_with("/**") {
        let below: Vec<String> = forms.iter().map(|f| format!("{f}/**")).collect();
        forms.extend(below);
    }
    forms
}

/// Compile exclude globs; a glob without `/` also matches at any depth.
pub fn build_excludes(globs: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        for form in glob_forms(g) {
            let glob = Glob::new(&form).map_err(|_| DiscoverError::BadGlob(g.clone()))?;
            b.add(glob);
        }
    }
    b.build().map_err(|e| DiscoverError::BadGlob(e.to_string()))
}

/// A path without leading `./` components.
fn clean(p: &Path) -> &Path {
    let mut p = p;
    while let Ok(rest) = p.strip_prefix(".") {
        if rest == p {
            break;
        }
        p = rest;
    }
    p
}

/// The excludes of a run: `--exclude` globs and the configuration file's.
struct Excludes {
    cli: GlobSet,
    /// The configuration file's directory (absolute) and its globs.
    config: Option<(PathBuf, GlobSet)>,
    /// The working directory (absolute): `--exclude` globs also match paths relative to it.
    cwd: PathBuf,
}

impl Excludes {
    fn new(opts: &WalkOptions) -> Result<Excludes, DiscoverError> {
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        let config = match &opts.config_exclude {
            Some((dir, globs)) if !globs.is_empty() => Some((
                std::fs::canonicalize(dir).unwrap_or_else(|_| cwd.join(dir)),
                build_excludes(globs)?,
            )),
            _ => None,
        };
        Ok(Excludes {
            cli: build_excludes(&opts.exclude)?,
            config,
            cwd,
        })
    }

    fn is_empty(&self) -> bool {
        self.cli.is_empty() && self.config.is_none()
    }

    /// Whether a path is excluded: `given` as found (on the command line, or by a walk),
    /// `below_root` relative to the directory being walked, `abs` its absolute path.
    fn matches(&self, given: &Path, below_root: Option<&Path>, abs: &Path) -> bool {
        let cli = |p: &Path| !p.as_os_str().is_empty() && self.cli.is_match(p);
        if cli(clean(given))
            || below_root.is_some_and(cli)
            || abs.strip_prefix(&self.cwd).is_ok_and(cli)
        {
            return true;
        }
        self.config.as_ref().is_some_and(|(base, globs)| {
            abs.strip_prefix(base)
                .is_ok_and(|rel| !rel.as_os_str().is_empty() && globs.is_match(rel))
        })
    }
}

/// Turn command-line paths into the sorted list of inputs.
pub fn discover(paths: &[String], opts: &WalkOptions) -> Result<Vec<Input>, DiscoverError> {
    discover_all(paths, opts).map(|d| d.inputs)
}

/// Turn command-line paths into the sorted list of inputs, counting what excludes left out.
/// Excludes apply to paths named on the command line too (a pre-commit hook names every
/// changed file). A path that does not exist is an `io` finding; only when none of the paths
/// exists is it an error.
pub fn discover_all(paths: &[String], opts: &WalkOptions) -> Result<Discovered, DiscoverError> {
    let excludes = Excludes::new(opts)?;
    let abs_of = |p: &Path| {
        if excludes.is_empty() {
            return PathBuf::new();
        }
        std::fs::canonicalize(p).unwrap_or_else(|_| excludes.cwd.join(p))
    };
    let mut found = Discovered::default();
    let mut dirs = Vec::new();
    let mut missing = Vec::new();
    let mut named = 0;
    for arg in paths {
        if arg == "-" {
            let mut bytes = Vec::new();
            let source = match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => Source::Stdin(bytes),
                Err(e) => Source::Unreadable(format!("cannot read standard input: {e}")),
            };
            found.inputs.push(Input {
                display: opts
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".into()),
                source,
            });
            continue;
        }
        named += 1;
        let path = PathBuf::from(arg);
        let exists = std::fs::symlink_metadata(&path).is_ok();
        if exists && !excludes.is_empty() && excludes.matches(&path, None, &abs_of(&path)) {
            found.excluded += 1;
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => dirs.push(path),
            Ok(_) => found.inputs.push(Input {
                display: arg.clone(),
                source: Source::Path(path),
            }),
            Err(e) if exists => found.inputs.push(Input {
                display: arg.clone(),
                source: Source::Unreadable(format!("cannot read: {e}")),
            }),
            Err(_) => missing.push(arg.clone()),
        }
    }
    if named > 0 && missing.len() == named && found.inputs.is_empty() {
        return Err(DiscoverError::NoSuchPath(missing.join(", ")));
    }
    for arg in missing {
        found.inputs.push(Input {
            display: arg,
            source: Source::Unreadable("no such file or directory".into()),
        });
    }
    if !dirs.is_empty() {
        let (walked, excluded) = walk(&dirs, opts, &excludes, &abs_of);
        found.inputs.extend(walked);
        found.excluded += excluded;
    }
    found.inputs.sort_by(|a, b| a.display.cmp(&b.display));
    found.inputs.dedup_by(|a, b| a.display == b.display);
    Ok(found)
}

/// Walk directories in parallel: the manifests found, and how many entries excludes left out.
fn walk(
    dirs: &[PathBuf],
    opts: &WalkOptions,
    excludes: &Excludes,
    abs_of: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> (Vec<Input>, usize) {
    // Each root with its absolute path, so entries need no lookup of their own.
    let roots: Vec<(&Path, PathBuf)> = dirs.iter().map(|d| (d.as_path(), abs_of(d))).collect();
    let found = Mutex::new(Vec::new());
    let excluded = std::sync::atomic::AtomicUsize::new(0);
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
        let roots = &roots;
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
            if entry.depth() > 0 && !excludes.is_empty() {
                let root = roots.iter().find(|(r, _)| path.starts_with(r));
                let below = root.and_then(|(r, _)| path.strip_prefix(r).ok());
                let abs = match (root, below) {
                    (Some((_, abs_root)), Some(rel)) => abs_root.join(rel),
                    _ => abs_of(path),
                };
                if excludes.matches(path, below, &abs) {
                    excluded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    return ignore::WalkState::Skip;
                }
            }
            let Some(ft) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
            if ft.is_file() && is_manifest_name(path) {
                if let Ok(mut f) = found.lock() {
                    f.push(Input {
                        // `check` with no path walks `.`: report `app.yaml`, not `./app.yaml`.
                        display: clean(path).to_string_lossy().into_owned(),
                        source: Source::Path(path.to_path_buf()),
                    });
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_default();
    found.sort_by(|a, b| a.display.cmp(&b.display));
    (found, excluded.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_mean_what_users_write() {
        assert_eq!(
            glob_forms("./vendor/"),
            vec!["vendor", "**/vendor", "vendor/**", "**/vendor/**"]
        );
        assert_eq!(glob_forms("vendor/**"), vec!["vendor/**"]);
        let set = build_excludes(&["vendor".into(), "*.json".into()]).expect("globs");
        assert!(set.is_match("vendor/x/a.yaml"));
        assert!(set.is_match("deploy/vendor/a.yaml"));
        assert!(set.is_match("a/b.json"));
        assert!(!set.is_match("vendored/a.yaml"));
    }

    #[test]
    fn leading_dot_components_are_dropped() {
        assert_eq!(clean(Path::new("./a/b.yaml")), Path::new("a/b.yaml"));
        assert_eq!(clean(Path::new("a/b.yaml")), Path::new("a/b.yaml"));
        assert_eq!(clean(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn extensions_match_in_any_case() {
        assert!(is_manifest_name(Path::new("a.YAML")));
        assert!(is_manifest_name(Path::new("a.Yml")));
        assert!(!is_manifest_name(Path::new("a.yaml.bak")));
    }
}
