//! Rendering Kustomize roots and reporting each finding where it was written.
//!
//! Each root of the [`Tree`] (a kustomization that no other one uses) is built with `kustomize
//! build` or `kubectl kustomize` from `PATH`, through a temporary wrapper kustomization outside
//! the user's tree that adds origin annotations; roots build in parallel, each once. The
//! rendered objects are checked like any manifest, and each finding is moved to the file that
//! wrote the value: a patch of the build that holds the same value at the same place (list
//! items matched by their `name`), else the object's origin file (the value's own line if it
//! is written there, else the nearest written parent), else the kustomization that generated
//! the object. A finding reached through several roots is reported once, naming them.
//!
//! Roots with remote resources or Helm chart inflation are not rendered (kubevet never touches
//! the network): one info each. A root that fails to build is one error at its kustomization,
//! with the renderer's message. Either way the files of such a root are checked natively.

use super::tree::Tree;
use crate::check::{Engine, RenderedObject, Want};
use crate::diagnostic::Diagnostic;
use crate::pointer::AtPointer;
use crate::rules::project::ProjectOut;
use crate::rules::{Finding, RuleId, Severity};
use crate::source::{parse_stream, ParsedStream};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// When kubevet renders Kustomize roots.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Render when `kustomize` or `kubectl` is on `PATH`; else read the tree natively.
    #[default]
    Auto,
    /// Always render; without a renderer on `PATH` the run is an error.
    Render,
    /// Never render: patches are still read as partial objects.
    Off,
}

/// A built root: the rendered stream and the wrapper directory its origin paths are relative
/// to.
type Built = (String, PathBuf);

/// A program that builds kustomizations.
#[derive(Debug, Clone)]
pub struct Renderer {
    program: PathBuf,
    args: &'static [&'static str],
}

impl Renderer {
    /// `kustomize build`, else `kubectl kustomize`, from `PATH`.
    pub fn find() -> Option<Renderer> {
        let path = std::env::var_os("PATH")?;
        let find = |name: &str| {
            std::env::split_paths(&path)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        };
        find("kustomize")
            .map(|program| Renderer {
                program,
                args: &["build"],
            })
            .or_else(|| {
                find("kubectl").map(|program| Renderer {
                    program,
                    args: &["kustomize"],
                })
            })
    }

    /// Build the kustomization directory `root` with origin annotations: the rendered YAML
    /// stream and the wrapper's directory (the origin paths are relative to it), or the
    /// renderer's message.
    fn build(&self, root: &Path) -> Result<Built, String> {
        let wrapper = tempfile::Builder::new()
            .prefix("kubevet-kustomize-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let wrapper_dir = std::fs::canonicalize(wrapper.path()).map_err(|e| e.to_string())?;
        let rel = relative(&wrapper_dir, root);
        let text = format!(
            "resources:\n- {}\nbuildMetadata: [originAnnotations]\n",
            serde_json::Value::String(rel.to_string_lossy().into_owned())
        );
        std::fs::write(wrapper_dir.join("kustomization.yaml"), text)
            .map_err(|e| format!("cannot write the wrapper kustomization: {e}"))?;
        let out = Command::new(&self.program)
            .args(self.args)
            .arg(&wrapper_dir)
            .env("KUSTOMIZE_PLUGIN_HOME", wrapper_dir.join("no-plugins"))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(clean_message(&err, &wrapper_dir));
        }
        let text = String::from_utf8(out.stdout)
            .map_err(|_| String::from("the rendered output is not UTF-8"))?;
        Ok((text, wrapper_dir))
    }
}

/// The renderer's error on one line, without what the wrapper adds: its log prefix, the
/// wrapper's own accumulation of the root, and absolute paths below the working directory.
fn clean_message(err: &str, wrapper: &Path) -> String {
    let line = err
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("# Warning"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut line = match line.split_once("err=") {
        Some((_, rest)) => rest.trim_matches('"').replace("\\\"", "\""),
        None => line,
    };
    // `accumulating resources: accumulation err='accumulating resources from '<root>':
    // '<root>' must resolve to a file': <the root's own error>`
    if let Some((_, inner)) = line.split_once("must resolve to a file': ") {
        line = inner.trim_end_matches('\'').to_string();
    }
    if let Some(rest) = line.strip_prefix("recursed accumulation of path '") {
        if let Some((_, inner)) = rest.split_once("': ") {
            line = inner.to_string();
        }
    }
    line = line.replace(&format!("{}/", wrapper.display()), "");
    if let Some(cwd) = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok())
    {
        line = line.replace(&format!("{}/", cwd.display()), "");
    }
    line
}

/// `to` relative to the directory `from` (both absolute and canonical).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// `path` with `.` and `..` removed, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What rendering did, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Roots rendered.
    pub rendered: usize,
    /// Roots not rendered (remote resources, Helm charts, or a failed build).
    pub not_rendered: usize,
}

/// Render the roots of `tree` and record, in it, which files were covered and the findings
/// reported in each (keyed by canonical path). `display` names each canonical input path as
/// the user gave it; findings in files that are not inputs use a path relative to the working
/// directory.
pub fn render(
    engine: &Engine,
    renderer: &Renderer,
    tree: &mut Tree,
    project: &ProjectOut,
    display: &HashMap<PathBuf, String>,
) -> Outcome {
    let roots: Vec<PathBuf> = tree.roots().into_iter().map(Path::to_path_buf).collect();
    render_roots(engine, renderer, tree, project, display, &roots)
}

/// [`render`], for some of the tree's roots only (kustomization files, canonical).
pub fn render_roots(
    engine: &Engine,
    renderer: &Renderer,
    tree: &mut Tree,
    project: &ProjectOut,
    display: &HashMap<PathBuf, String>,
    roots: &[PathBuf],
) -> Outcome {
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter(|k| tree.kustomizations.contains_key(*k))
        .cloned()
        .collect();
    let builds: Vec<(PathBuf, Result<Built, String>)> = roots
        .par_iter()
        .map(|k| {
            let kz = &tree.kustomizations[k];
            let result = match &kz.not_offline {
                Some(why) => Err(format!("not rendered: {why}; kubevet does not use the network, so the files of this root were checked as they are")),
                None => renderer.build(k.parent().unwrap_or(Path::new("/"))),
            };
            (k.clone(), result)
        })
        .collect();
    let name_of = |p: &Path| -> String { display.get(p).cloned().unwrap_or_else(|| shown_path(p)) };
    let mut outcome = Outcome::default();
    let mut sources = Sources::default();
    // (canonical file, diagnostic) with the roots that reported it.
    let mut placed: Vec<(PathBuf, Diagnostic, Vec<String>)> = Vec::new();
    let mut index: HashMap<(PathBuf, u32, u32, RuleId, String), usize> = HashMap::new();
    let mut covered: HashSet<PathBuf> = HashSet::new();
    for (root, result) in builds {
        let root_name = name_of(root.parent().unwrap_or(&root));
        let (text, wrapper) = match result {
            Ok(built) => built,
            Err(message) => {
                outcome.not_rendered += 1;
                let remote = tree.kustomizations[&root].not_offline.is_some();
                let d = root_finding(&name_of(&root), &root, message, remote);
                if display.contains_key(&root) {
                    tree.findings.entry(root.clone()).or_default().push(d);
                    covered.insert(root.clone());
                } else {
                    tree.orphans.push(d);
                }
                continue;
            }
        };
        outcome.rendered += 1;
        let build = tree.build_of(&root);
        let patches: Vec<PathBuf> = build
            .iter()
            .flat_map(|k| k.patches.iter().rev().cloned())
            .collect();
        for k in &build {
            covered.insert(k.path.clone());
            covered.extend(k.files.iter().cloned());
            covered.extend(k.patches.iter().cloned());
        }
        let objects = engine.rendered_findings(&text, project);
        for mut object in objects {
            let origin = origin_of(&object.value, &wrapper);
            for finding in std::mem::take(&mut object.findings) {
                let Some((file, d)) =
                    sources.place(engine, &name_of, &object, &origin, &patches, finding)
                else {
                    continue;
                };
                let key = (
                    file.clone(),
                    d.span.start,
                    d.span.end,
                    d.rule,
                    d.message.clone(),
                );
                match index.get(&key) {
                    Some(&i) => {
                        if !placed[i].2.contains(&root_name) {
                            placed[i].2.push(root_name.clone());
                        }
                    }
                    None => {
                        index.insert(key, placed.len());
                        placed.push((file, d, vec![root_name.clone()]));
                    }
                }
            }
        }
    }
    for (file, mut d, roots) in placed {
        let via = format!("as rendered by {}", roots.join(", "));
        d.label = Some(match d.label.take() {
            Some(l) => format!("{l} ({via})"),
            None => via,
        });
        if display.contains_key(&file) {
            tree.findings.entry(file).or_default().push(d);
        } else {
            tree.orphans.push(d);
        }
    }
    tree.orphans
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    tree.rendered.extend(covered);
    outcome
}

/// The finding about a root that was not rendered, at the top of its kustomization.
fn root_finding(name: &str, root: &Path, message: String, remote: bool) -> Diagnostic {
    let text = std::fs::read_to_string(root).unwrap_or_default();
    let loc = crate::diagnostic::Locator::with_excerpts(&text, false);
    let (sev, message) = if remote {
        (Severity::Info, message)
    } else {
        (
            Severity::Error,
            format!("this kustomization does not build: {message}"),
        )
    };
    let end = text.find('\n').unwrap_or(text.len());
    let mut d = loc.diagnostic(
        name,
        RuleId::KustomizeBuild,
        sev,
        crate::source::Span::new(0, end),
        message,
    );
    d.help = Some(if remote {
        "vendor the remote base into the repository to have it checked in context".into()
    } else {
        format!(
            "run `kubectl kustomize {}` to see the whole error",
            root.parent().map_or(String::new(), shown_path)
        )
    });
    d
}

/// A path for display: relative to the working directory when it is below it.
fn shown_path(p: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(cwd).ok())
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| p.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Where a rendered object came from.
#[derive(Debug, Default)]
struct Origin {
    /// The file it was read from (canonical), if it was read from one.
    path: Option<PathBuf>,
    /// The kustomization that generated it (`configuredIn`), if generated.
    configured_in: Option<PathBuf>,
}

/// The origin annotation of a rendered object; its paths are relative to the wrapper
/// kustomization's directory (gone by now, so they are resolved without the file system).
fn origin_of(value: &Value, wrapper: &Path) -> Origin {
    let text = value
        .at_pointer("/metadata/annotations/config.kubernetes.io~1origin")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut origin = Origin::default();
    for line in text.lines() {
        let (key, v) = match line.split_once(':') {
            Some((k, v)) => (k.trim(), v.trim().trim_matches(['"', '\''])),
            None => continue,
        };
        let resolved = (!v.is_empty()).then(|| normalize(&wrapper.join(v)));
        match key {
            "path" => origin.path = resolved,
            "configuredIn" => origin.configured_in = resolved,
            _ => {}
        }
    }
    origin
}

/// Parsed source files, read once.
#[derive(Default)]
struct Sources {
    files: HashMap<PathBuf, Option<(String, ParsedStream)>>,
}

impl Sources {
    fn get(
        &mut self,
        path: &Path,
        limits: &crate::source::Limits,
    ) -> Option<&(String, ParsedStream)> {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                let stream = parse_stream(&text, limits);
                Some((text, stream))
            })
            .as_ref()
    }

    /// Place one finding of a rendered object: the patch that wrote the value, else its
    /// origin file, else the kustomization that generated the object.
    fn place(
        &mut self,
        engine: &Engine,
        name_of: &dyn Fn(&Path) -> String,
        object: &RenderedObject,
        origin: &Origin,
        patches: &[PathBuf],
        finding: Finding,
    ) -> Option<(PathBuf, Diagnostic)> {
        // The origin file if it writes this very value, else a patch that does; else the
        // first of them that writes the place (a value a transformer rewrote, a name prefixed);
        // else the origin file's nearest written parent.
        let value = object.value.at_pointer(&finding.pointer);
        let candidates: Vec<&PathBuf> = origin.path.iter().chain(patches).collect();
        for want in [Want::Value, Want::Place] {
            if want == Want::Value && value.is_none() {
                continue;
            }
            for p in &candidates {
                if let Some(d) = self.locate(engine, name_of, p, object, &finding, want) {
                    return Some(((*p).clone(), d));
                }
            }
        }
        if let Some(p) = &origin.path {
            if let Some(d) = self.locate(engine, name_of, p, object, &finding, Want::Parent) {
                return Some((p.clone(), d));
            }
        }
        let k = origin.configured_in.as_ref()?;
        let (text, _) = self.get(k, &engine.settings.limits)?;
        let loc = crate::diagnostic::Locator::with_excerpts(text, !engine.settings.no_excerpts);
        let sev = engine
            .settings
            .rules
            .severity(finding.rule, finding.severity)?;
        let mut d = loc.diagnostic(
            &name_of(k),
            finding.rule,
            sev,
            crate::source::Span::new(0, text.find('\n').unwrap_or(text.len())),
            finding.message,
        );
        d.help = finding.help;
        d.label = Some("in an object this kustomization generates".into());
        loc.attach_excerpt(&mut d);
        Some((k.clone(), d))
    }

    /// The finding located in file `path`, in the object of the same kind and name, at the
    /// same place (list items matched by name), if the file writes what `want` asks.
    fn locate(
        &mut self,
        engine: &Engine,
        name_of: &dyn Fn(&Path) -> String,
        path: &Path,
        object: &RenderedObject,
        finding: &Finding,
        want: Want,
    ) -> Option<Diagnostic> {
        let (text, stream) = self.get(path, &engine.settings.limits)?;
        engine.locate_in_source(
            &name_of(path),
            text,
            stream,
            |candidate| same_object(candidate, object),
            &object.value,
            finding,
            want,
        )
    }
}

/// Whether a source object is the one a rendered object came from: same kind, and the same
/// name or one that a prefix or suffix turned into the rendered name.
fn same_object(source: &crate::model::Object, rendered: &RenderedObject) -> bool {
    source.kind.as_deref() == Some(rendered.kind.as_str())
        && match (&source.name, &rendered.name) {
            (Some(s), Some(r)) => r == s || (!s.is_empty() && r.contains(s.as_str())),
            (None, None) => true,
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_ancestor() {
        assert_eq!(
            relative(Path::new("/tmp/w"), Path::new("/work/repo/overlay")),
            PathBuf::from("../../work/repo/overlay")
        );
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/c")),
            PathBuf::from("c")
        );
    }

    #[test]
    fn renderer_messages_lose_the_wrapper_and_the_log_prefix() {
        let m = clean_message(
            "# Warning: x\nE1204 run.go:72] \"command failed\" err=\"accumulating resources: /tmp/w/x\"\n",
            Path::new("/tmp/w"),
        );
        assert_eq!(m, "accumulating resources: x");
        let m = clean_message(
            "err=\"accumulating resources: accumulation err='accumulating resources from '../r': '/r' must resolve to a file': recursed accumulation of path '/r': no matches for Id Deployment.v1.apps/x; failed to find unique target for patch\"",
            Path::new("/tmp/w"),
        );
        assert_eq!(
            m,
            "no matches for Id Deployment.v1.apps/x; failed to find unique target for patch"
        );
    }
}
