//! The Kustomize tree around the checked files, read natively: which files are patches (partial
//! objects, checked for what they contain and never for what they leave out), which images a
//! kustomization's `images:` entries retag in the files it builds, and which kustomizations are
//! roots (not only a base or component of another) and what each builds.
//!
//! [`scan`] finds the kustomization files (`kustomization.yaml`, `kustomization.yml`,
//! `Kustomization`) in the directories of the checked files and their parents, follows their
//! `resources`, `bases` and `components` to the kustomizations below them, and records:
//! - every file a kustomization names as a patch (`patches[].path`, `patchesStrategicMerge`,
//!   `patchesJson6902[].path`); a JSON 6902 patch is a YAML list, which is never an object, so
//!   it is skipped like any other document that is not a mapping;
//! - for every file a kustomization builds (its resources, through its bases and components),
//!   the image names its `images:` entries give a new tag or digest.
//!
//! Remote resources (URLs, `git@`, `github.com/...`) are not followed: kubevet never touches the
//! network. Paths are compared canonicalised, so a patch named `../base/x.yaml` by one overlay
//! and checked as `base/x.yaml` is the same file.

use crate::source::{parse_stream, Limits};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The names kustomize reads a kustomization from, in its order.
const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How deep kustomizations may nest before the walk stops (a guard against cycles that
/// canonical paths do not catch, and against absurd trees).
const MAX_DEPTH: usize = 32;

/// What the kustomizations around the checked files say about them.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    /// Files some kustomization applies as a patch.
    patches: HashSet<PathBuf>,
    /// File -> image names (`name` of an `images:` entry with a new tag, name or digest) that a
    /// kustomization building it replaces.
    retagged: HashMap<PathBuf, Vec<String>>,
    /// Every kustomization read, by its file.
    pub kustomizations: HashMap<PathBuf, Kustomization>,
    /// Files whose findings come from rendering their roots (filled in by
    /// [`super::render`]).
    pub rendered: HashSet<PathBuf>,
    /// Rendered findings, by the canonical path of the checked file they are reported in.
    pub findings: HashMap<PathBuf, Vec<crate::diagnostic::Diagnostic>>,
    /// Rendered findings in files that are not checked themselves (a base outside the checked
    /// paths), in order.
    pub orphans: Vec<crate::diagnostic::Diagnostic>,
    /// The canonical path of each checked file, by the name it is checked under (learnt once
    /// per run, so that looking up a file's role touches no file system).
    canonical: HashMap<String, PathBuf>,
}

/// The role of one checked file in the tree.
#[derive(Debug, Clone, Copy, Default)]
pub struct Role<'a> {
    /// The file is a patch: a partial object.
    pub patch: bool,
    /// Image names that a kustomization replaces in this file.
    pub retagged: &'a [String],
    /// The file is part of a rendered root: its objects were checked as rendered, and these
    /// are the findings reported in it.
    pub rendered: Option<&'a [crate::diagnostic::Diagnostic]>,
}

impl Role<'_> {
    /// Whether `image` is rewritten by a kustomization's `images:` entry: its name (the
    /// reference without tag and digest) is one of the entries'.
    pub fn retags(&self, image: &str) -> bool {
        !self.retagged.is_empty() && {
            let name = image_name(image.trim());
            self.retagged.iter().any(|n| n == name)
        }
    }
}

impl Tree {
    /// Whether the tree says anything at all.
    pub fn is_empty(&self) -> bool {
        self.kustomizations.is_empty()
    }

    /// The role of the file at `path` (as the user named it).
    pub fn role(&self, path: &str) -> Role<'_> {
        let p = match self.canonical.get(path) {
            Some(p) => std::borrow::Cow::Borrowed(p),
            None => match std::fs::canonicalize(path) {
                Ok(p) => std::borrow::Cow::Owned(p),
                Err(_) => return Role::default(),
            },
        };
        let p = p.as_ref();
        Role {
            patch: self.patches.contains(p),
            retagged: self.retagged.get(p).map_or(&[], Vec::as_slice),
            rendered: self
                .rendered
                .contains(p)
                .then(|| self.findings.get(p).map_or(&[][..], Vec::as_slice)),
        }
    }

    /// A tree that says only that the file at canonical path `file` was rendered and these
    /// are the findings placed in it (the language server checks one open file this way).
    pub fn with_rendered(file: PathBuf, findings: Vec<crate::diagnostic::Diagnostic>) -> Tree {
        let mut tree = Tree::default();
        tree.rendered.insert(file.clone());
        tree.findings.insert(file, findings);
        tree
    }

    /// The files a root's build reads (canonical): its kustomization files, resources and
    /// patches, each once.
    pub fn files_of(&self, root: &Path) -> HashSet<PathBuf> {
        let mut files = HashSet::new();
        for k in self.build_of(root) {
            files.insert(k.path.clone());
            files.extend(k.files.iter().cloned());
            files.extend(k.patches.iter().cloned());
        }
        files
    }

    /// Learn the canonical paths of the checked files (`(name, path)`), once per run.
    pub fn learn_names<'a>(&mut self, files: impl IntoIterator<Item = (&'a str, &'a Path)>) {
        self.canonical = files
            .into_iter()
            .filter_map(|(name, p)| Some((name.to_string(), std::fs::canonicalize(p).ok()?)))
            .collect();
    }

    /// The name each checked file is checked under, by its canonical path.
    pub fn names(&self) -> HashMap<PathBuf, String> {
        self.canonical
            .iter()
            .map(|(name, p)| (p.clone(), name.clone()))
            .collect()
    }

    /// The roots: kustomizations that no other kustomization read here uses as a resource,
    /// base or component, and that are not components themselves, sorted.
    pub fn roots(&self) -> Vec<&Path> {
        let used: HashSet<&PathBuf> = self
            .kustomizations
            .values()
            .flat_map(|k| &k.nested)
            .collect();
        let mut roots: Vec<&Path> = self
            .kustomizations
            .iter()
            .filter(|(k, kz)| !kz.component && !used.contains(k))
            .map(|(k, _)| k)
            .map(PathBuf::as_path)
            .collect();
        roots.sort();
        roots
    }

    /// The kustomization files a root's build reads (itself first, then what it uses, each
    /// once).
    pub fn build_of(&self, root: &Path) -> Vec<&Kustomization> {
        let mut seen: HashSet<&Path> = HashSet::new();
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(k) = stack.pop() {
            if !seen.insert(k) {
                continue;
            }
            if let Some(kz) = self.kustomizations.get(k) {
                out.push(kz);
                stack.extend(kz.nested.iter().rev().map(PathBuf::as_path));
            }
        }
        out
    }
}

/// Read the kustomizations around `files` (paths of checked files). Reads only kustomization
/// files, each once.
pub fn scan<'a>(files: impl IntoIterator<Item = &'a Path>, limits: &Limits) -> Tree {
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    let mut kustomizations: Vec<PathBuf> = Vec::new();
    let mut named: HashSet<&Path> = HashSet::new();
    for file in files {
        // One canonicalisation per directory, not per file.
        let parent = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !named.insert(parent) {
            continue;
        }
        let Ok(start) = std::fs::canonicalize(parent) else {
            continue;
        };
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if !dirs.insert(d.to_path_buf()) {
                break;
            }
            if let Some(k) = kustomization_in(d) {
                kustomizations.push(k);
            }
            dir = d.parent();
        }
    }
    let mut walk = Walk {
        limits,
        read: HashMap::new(),
        tree: Tree::default(),
    };
    for k in kustomizations {
        walk.build(&k, 0);
    }
    walk.tree
}

/// Whether `path` names a kustomization file.
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

/// The kustomization file of directory `dir`, if it has one.
fn kustomization_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// The parts of one kustomization that matter here, paths resolved against its directory and
/// canonical.
#[derive(Debug, Default, Clone)]
pub struct Kustomization {
    /// Its own file.
    pub path: PathBuf,
    /// Resource files.
    pub files: Vec<PathBuf>,
    /// Kustomizations of resource directories, bases and components.
    pub nested: Vec<PathBuf>,
    /// Patch files, in the order they are listed.
    pub patches: Vec<PathBuf>,
    /// Image names its `images:` entries replace.
    pub images: Vec<String>,
    /// Why it cannot be rendered offline (a remote resource, Helm chart inflation), if so.
    pub not_offline: Option<String>,
    /// A `kind: Component`: built only as part of a kustomization that uses it.
    pub component: bool,
}

struct Walk<'l> {
    limits: &'l Limits,
    /// Kustomization file -> the files it builds (computed once).
    read: HashMap<PathBuf, Vec<PathBuf>>,
    tree: Tree,
}

impl Walk<'_> {
    /// Record what the kustomization at `path` says and return the files it builds.
    fn build(&mut self, path: &Path, depth: usize) -> Vec<PathBuf> {
        if let Some(files) = self.read.get(path) {
            return files.clone();
        }
        // Mark it first, so that a cycle ends here.
        self.read.insert(path.to_path_buf(), Vec::new());
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let Some(mut k) = read(path, self.limits) else {
            return Vec::new();
        };
        k.path = path.to_path_buf();
        self.tree.patches.extend(k.patches.iter().cloned());
        let mut built = k.files.clone();
        for nested in &k.nested {
            built.extend(self.build(nested, depth + 1));
        }
        built.sort();
        built.dedup();
        if !k.images.is_empty() {
            for f in &built {
                let names = self.tree.retagged.entry(f.clone()).or_default();
                for i in &k.images {
                    if !names.contains(i) {
                        names.push(i.clone());
                    }
                }
            }
        }
        self.read.insert(path.to_path_buf(), built.clone());
        self.tree.kustomizations.insert(path.to_path_buf(), k);
        built
    }
}

/// Parse one kustomization file; `None` when it cannot be read or is not a mapping.
fn read(path: &Path, limits: &Limits) -> Option<Kustomization> {
    let bytes = std::fs::read(path).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let stream = parse_stream(text, limits);
    let root = stream.documents.first()?.root.as_ref()?;
    let value = root.to_json();
    let dir = path.parent()?;
    Some(from_value(&value, dir))
}

/// The parts of a kustomization's value, paths resolved against `dir`.
fn from_value(value: &Value, dir: &Path) -> Kustomization {
    let mut k = Kustomization {
        component: value.get("kind").and_then(Value::as_str) == Some("Component"),
        ..Kustomization::default()
    };
    let strings = |key: &str| -> Vec<&str> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    for entry in strings("resources").into_iter().chain(strings("bases")) {
        if is_remote(entry) {
            k.not_offline = Some(format!("it uses the remote resource `{entry}`"));
            continue;
        }
        let p = dir.join(entry);
        if p.is_dir() {
            k.nested.extend(kustomization_in(&p).and_then(canonical));
        } else {
            k.files.extend(canonical(p));
        }
    }
    if value.get("helmCharts").is_some_and(|c| !c.is_null()) {
        k.not_offline = Some("it inflates Helm charts (`helmCharts`)".into());
    }
    for entry in strings("components") {
        if !is_remote(entry) {
            k.nested
                .extend(kustomization_in(&dir.join(entry)).and_then(canonical));
        }
    }
    // `patchesStrategicMerge` entries are paths or inline patches; only an existing file is a
    // path.
    for entry in strings("patchesStrategicMerge") {
        if !entry.contains('\n') {
            k.patches.extend(canonical(dir.join(entry.trim())));
        }
    }
    for key in ["patches", "patchesJson6902"] {
        let entries = value.get(key).and_then(Value::as_array);
        for e in entries.into_iter().flatten() {
            if let Some(p) = e.get("path").and_then(Value::as_str) {
                k.patches.extend(canonical(dir.join(p)));
            }
        }
    }
    for e in value
        .get("images")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let replaces = ["newTag", "newName", "digest"]
            .iter()
            .any(|f| e.get(f).is_some_and(|v| !v.is_null()));
        if let (Some(name), true) = (e.get("name").and_then(Value::as_str), replaces) {
            k.images.push(name.to_string());
        }
    }
    k
}

fn canonical(p: PathBuf) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// A resource kustomize fetches over the network.
fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
}

/// An image reference without its tag and digest, as kustomize's images transformer matches
/// it (`registry:5000/app:1.0@sha256:...` -> `registry:5000/app`).
fn image_name(image: &str) -> &str {
    let name = image.split_once('@').map_or(image, |(n, _)| n);
    match (name.rfind(':'), name.rfind('/')) {
        (Some(colon), slash) if slash.is_none_or(|s| colon > s) => &name[..colon],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_drop_tag_and_digest_but_keep_registry_ports() {
        assert_eq!(image_name("nginx"), "nginx");
        assert_eq!(image_name("nginx:latest"), "nginx");
        assert_eq!(image_name("reg:5000/app"), "reg:5000/app");
        assert_eq!(image_name("reg:5000/app:1.2@sha256:ab"), "reg:5000/app");
        assert_eq!(image_name("gcr.io/x/app@sha256:ab"), "gcr.io/x/app");
    }

    #[test]
    fn remote_resources_are_not_followed() {
        assert!(is_remote("https://github.com/org/repo//base?ref=v1"));
        assert!(is_remote("github.com/org/repo/base?ref=v1"));
        assert!(is_remote("git@github.com:org/repo.git"));
        assert!(!is_remote("../base"));
    }

    #[test]
    fn a_tree_of_overlay_base_and_component() {
        let root = tempfile::tempdir().expect("tempdir");
        let w = |p: &str, s: &str| {
            let p = root.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, s).unwrap();
        };
        w("base/kustomization.yaml", "resources: [deploy.yaml]\n");
        w("base/deploy.yaml", "kind: Deployment\n");
        w(
            "overlay/kustomization.yaml",
            "resources: [../base, https://example.com/x.yaml]\ncomponents: [../comp]\npatches:\n- path: patch.yaml\n- patch: |-\n    kind: Deployment\npatchesStrategicMerge: [smp.yaml]\nimages:\n- name: nginx\n  newTag: '1.27'\n- name: untouched\n",
        );
        w("overlay/patch.yaml", "kind: Deployment\n");
        w("overlay/smp.yaml", "kind: Deployment\n");
        w(
            "comp/kustomization.yaml",
            "kind: Component\npatchesJson6902:\n- path: ops.yaml\n",
        );
        w("comp/ops.yaml", "- op: remove\n  path: /spec\n");
        let deploy = root.path().join("overlay/patch.yaml");
        let tree = scan([deploy.as_path()], &Limits::default());
        let role = |p: &str| tree.role(root.path().join(p).to_str().unwrap());
        assert!(role("overlay/patch.yaml").patch);
        assert!(role("overlay/smp.yaml").patch);
        assert!(role("comp/ops.yaml").patch);
        assert!(!role("base/deploy.yaml").patch);
        assert!(role("base/deploy.yaml").retags("nginx:latest"));
        assert!(role("base/deploy.yaml").retags("nginx"));
        assert!(!role("base/deploy.yaml").retags("untouched"));
        assert!(!role("base/deploy.yaml").retags("docker.io/nginx"));
        assert!(!role("overlay/patch.yaml").retags("nginx"));
    }
}
