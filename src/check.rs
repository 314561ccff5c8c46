//! The check pipeline for one file: decode, parse, unwrap objects, validate against schemas,
//! run the rules, take the run's cross-file findings for each object, and resolve every
//! finding into a [`Diagnostic`]. [`crate::run`] drives it over many files.

use crate::diagnostic::{sort_and_dedup, Diagnostic, Locator, ObjectRef};
use crate::fix;
use crate::model::{objects_of, Object, PodView};
use crate::presets::{self, CrossFile, ObjectAt, PodSummary, PresetSummary};
use crate::rules::{self, Context, Finding, Severity, Target};
use crate::schema::SchemaSet;
use crate::source::template::template_action;
use crate::source::yaml::YamlProblemKind;
use crate::source::{parse_stream, pointer, Limits, Node, Span};
use crate::suppress::{self, ConfigIgnores, Subject};
use std::collections::HashMap;

pub use crate::run::{check_all, RunResult};

/// Everything that shapes a run, after the config file and the command line are merged.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub limits: Limits,
    /// Per-rule severity: `None` turns the rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// Only these rules, when set (`--select`).
    pub select: Option<Vec<String>>,
    /// Never these rules (`--ignore`).
    pub ignore: Vec<String>,
    /// Stop after parsing (benchmark floor).
    pub parse_only: bool,
    /// Report ignores that silenced nothing.
    pub report_unused_ignores: bool,
    /// The configuration file's `[[ignore]]` tables.
    pub ignores: ConfigIgnores,
    /// Leave source excerpts out of diagnostics (formats that do not show them), which keeps
    /// memory down on large runs.
    pub no_excerpts: bool,
}

impl Settings {
    /// The severity a rule reports at, or `None` when it is turned off. The command line
    /// wins over the configuration file: a rule named by `--select` runs even when the file
    /// turns it off (at the file's level if it sets one, else its default).
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        if self.ignore.iter().any(|r| r == rule) {
            return None;
        }
        let configured = self.severities.get(rule);
        if let Some(sel) = &self.select {
            if !sel.iter().any(|r| r == rule) {
                return None;
            }
            return Some(configured.copied().flatten().unwrap_or(default));
        }
        match configured {
            Some(s) => *s,
            None => Some(default),
        }
    }
}

/// What checking one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    pub diagnostics: Vec<Diagnostic>,
    /// Documents read (empty ones excluded).
    pub documents: usize,
    /// Documents skipped quietly (no apiVersion/kind, tool configs).
    pub skipped: usize,
}

/// Checks files.
pub struct Engine {
    pub settings: Settings,
    pub schemas: SchemaSet,
}

impl Engine {
    pub fn new(settings: Settings, schemas: SchemaSet) -> Engine {
        Engine { settings, schemas }
    }

    /// Check one file's bytes on its own. `path` is the name used in diagnostics.
    pub fn check_bytes(&self, path: &str, bytes: &[u8]) -> FileResult {
        self.check_bytes_with(path, bytes, None)
    }

    /// Check one file's bytes, delivering the run's cross-file findings to its objects.
    pub fn check_bytes_with(
        &self,
        path: &str,
        bytes: &[u8],
        cross: Option<&CrossFile>,
    ) -> FileResult {
        let mut result = FileResult::default();
        let text = match decode(bytes) {
            Ok(t) => t,
            Err(msg) => {
                self.push_io_at(&mut result, path, msg, valid_prefix(bytes));
                return result;
            }
        };
        self.check_text(path, text, cross, &mut result);
        sort_and_dedup(&mut result.diagnostics);
        result
    }

    /// Whether this engine reports PodPreset conflicts, the only cross-file findings.
    pub fn checks_presets(&self) -> bool {
        !self.settings.parse_only
            && self
                .settings
                .severity(
                    rules::PODPRESET_CONFLICT.id,
                    rules::PODPRESET_CONFLICT.severity,
                )
                .is_some()
    }

    /// The PodPresets and the pods (and pod templates) of one file, for the cross-file pass.
    pub fn summaries(&self, path: &str, bytes: &[u8]) -> (Vec<PresetSummary>, Vec<PodSummary>) {
        let mut out = (Vec::new(), Vec::new());
        let Ok(text) = decode(bytes) else {
            return out;
        };
        let stream = parse_stream(text, &self.settings.limits);
        if template_action(text, &stream).is_some() {
            return out;
        }
        for doc in &stream.documents {
            let Some(root) = doc.root.as_ref().filter(|r| r.as_map().is_some()) else {
                continue;
            };
            for object in objects_of(doc.index, root) {
                if presets::is_preset(&object) {
                    out.0.push(presets::preset_summary(path, &object));
                } else if let Some(pod) = PodView::of(&object) {
                    out.1.push(presets::pod_summary(path, &object, &pod));
                }
            }
        }
        out
    }

    /// Report an `io` finding for a file that could not be read.
    pub fn io_result(&self, path: &str, message: String) -> FileResult {
        let mut result = FileResult::default();
        self.push_io(&mut result, path, message);
        result
    }

    fn push_io(&self, result: &mut FileResult, path: &str, message: String) {
        self.push_io_at(result, path, message, None);
    }

    /// An `io` finding; with the text before a bad byte, at that byte's line and column.
    fn push_io_at(
        &self,
        result: &mut FileResult,
        path: &str,
        message: String,
        before: Option<&str>,
    ) {
        if let Some(sev) = self.settings.severity(rules::IO.id, rules::IO.severity) {
            let text = before.unwrap_or("");
            let loc = Locator::with_excerpts(text, !self.settings.no_excerpts);
            let at = Span::new(text.len(), text.len());
            let mut d = loc.diagnostic(path, rules::IO.id, sev, at, message);
            d.help = Some("kubevet checked the other files; fix or exclude this one".into());
            if before.is_some_and(|t| !t.is_empty()) {
                d.label = Some("first invalid byte".into());
                loc.attach_excerpt(&mut d);
            }
            result.diagnostics.push(d);
        }
    }

    fn check_text(
        &self,
        path: &str,
        text: &str,
        cross: Option<&CrossFile>,
        result: &mut FileResult,
    ) {
        let stream = parse_stream(text, &self.settings.limits);
        let loc = Locator::with_excerpts(text, !self.settings.no_excerpts);
        if let Some(at) = template_action(text, &stream) {
            if let Some(sev) = self.settings.severity(rules::IO.id, Severity::Info) {
                let mut d = loc.diagnostic(
                    path,
                    rules::IO.id,
                    sev.min(Severity::Info),
                    Span::new(at, at + 2),
                    "this file is a template (`{{ ... }}`), not a manifest; it was not checked"
                        .into(),
                );
                d.label = Some("template expression".into());
                d.help = Some("render it first and check the output, e.g. `helm template . | kubevet check -`".into());
                loc.attach_excerpt(&mut d);
                result.diagnostics.push(d);
            }
            return;
        }
        for p in &stream.problems {
            let (meta, help) = match p.kind {
                YamlProblemKind::Syntax => (
                    &rules::YAML_SYNTAX,
                    "fix the YAML here; documents before it were still checked",
                ),
                YamlProblemKind::DuplicateKey { .. } => (
                    &rules::DUPLICATE_KEY,
                    "keep one of the two; the API server rejects a mapping that repeats a key",
                ),
                YamlProblemKind::Limit => (
                    &rules::IO,
                    "split the file, or raise the limit if the input is trusted",
                ),
            };
            let Some(sev) = self.settings.severity(meta.id, meta.severity) else {
                continue;
            };
            let mut d = loc.diagnostic(path, meta.id, sev, p.span, p.message.clone());
            d.help = Some(help.into());
            d.document = Some(p.document);
            d.related
                .extend(p.related.as_ref().map(|(s, l)| loc.related(*s, l.clone())));
            if let YamlProblemKind::DuplicateKey { first } = p.kind {
                d.label = Some("repeated here".into());
                d.related
                    .push(loc.related(first, "first defined here".into()));
                (d.pointer, d.object) = key_location(&stream, p.document, p.span);
            }
            loc.attach_excerpt(&mut d);
            result.diagnostics.push(d);
        }
        for doc in &stream.documents {
            let Some(root) = &doc.root else { continue };
            result.documents += 1;
            if self.settings.parse_only {
                continue;
            }
            if root.as_map().is_none() {
                result.skipped += 1;
                continue;
            }
            for object in objects_of(doc.index, root) {
                if is_quietly_skipped(&object) {
                    result.skipped += 1;
                    continue;
                }
                let (mut findings, pod) = self.check_object(&object);
                let mut ignores = AnnotationIgnores::of(&object, pod.as_ref());
                if let Some(cross) = cross {
                    let at = ObjectAt::of(path, &object);
                    findings.extend(cross.for_object(&at));
                    if cross.opted_out(&at) {
                        ignores.silences(rules::PODPRESET_CONFLICT.id);
                    }
                }
                for f in findings {
                    let container = pod.as_ref().and_then(|p| {
                        p.containers
                            .iter()
                            .find(|c| pointer::starts_with(&f.pointer, &c.pointer))
                            .map(|c| c.name().to_string())
                    });
                    if ignores.silences(f.rule) {
                        continue;
                    }
                    if let Some(mut d) = self.resolve(path, &loc, root, &object, f) {
                        d.container = container;
                        result.diagnostics.push(d);
                    }
                }
                self.report_annotation_ignores(
                    path,
                    &loc,
                    root,
                    &object,
                    &ignores,
                    &mut result.diagnostics,
                );
            }
        }
        self.apply_config_ignores(&mut result.diagnostics);
        let roots = stream.documents.iter().filter_map(|d| d.root.as_ref());
        self.apply_comment_ignores(path, &loc, roots, &mut result.diagnostics);
    }

    /// Report unknown rules named by an object's ignore annotation, and (on request) the ones
    /// that silenced nothing.
    fn report_annotation_ignores(
        &self,
        path: &str,
        loc: &Locator,
        root: &Node,
        object: &Object,
        ignores: &AnnotationIgnores,
        out: &mut Vec<Diagnostic>,
    ) {
        for (ptr, rules_named) in &ignores.sources {
            for r in rules_named {
                let finding = if rules::meta(r).is_none() {
                    Finding::new(
                        rules::INVALID_IGNORE.id,
                        ptr.clone(),
                        unknown_rule_message(r),
                    )
                    .help("use a rule id from `kubevet rules`")
                } else if self.settings.report_unused_ignores && !ignores.used.contains(r) {
                    Finding::new(
                        rules::UNUSED_IGNORE.id,
                        ptr.clone(),
                        format!("`{r}` is ignored here but reported nothing in this object"),
                    )
                    .help("remove it from the annotation")
                } else {
                    continue;
                };
                if let Some(d) = self.resolve(path, loc, root, object, finding) {
                    out.push(d);
                }
            }
        }
    }

    /// Drop the diagnostics the configuration's `[[ignore]]` tables silence.
    fn apply_config_ignores(&self, diags: &mut Vec<Diagnostic>) {
        let ig = &self.settings.ignores;
        if ig.tables.is_empty() {
            return;
        }
        diags.retain(|d| {
            let o = d.object.as_ref();
            !ig.matches(&Subject {
                rule: &d.rule,
                path: &d.path,
                kind: o.and_then(|o| o.kind.as_deref()),
                name: o.and_then(|o| o.name.as_deref()),
                namespace: o.and_then(|o| o.namespace.as_deref()),
                container: d.container.as_deref(),
            })
        });
    }

    fn apply_comment_ignores<'a>(
        &self,
        path: &str,
        loc: &Locator,
        roots: impl Iterator<Item = &'a Node> + Clone,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut directives = suppress::comment_directives(loc.text, roots);
        if directives.is_empty() {
            return;
        }
        diags.retain(|d| {
            let mut silenced = false;
            for dir in directives.iter_mut().filter(|x| x.applies_to(d.line)) {
                for (r, used) in dir.rules.iter_mut() {
                    if *r == d.rule {
                        *used = true;
                        silenced = true;
                    }
                }
            }
            !silenced
        });
        for dir in &directives {
            if dir.rules.is_empty() {
                if let Some(sev) = self
                    .settings
                    .severity(rules::INVALID_IGNORE.id, rules::INVALID_IGNORE.severity)
                {
                    let mut d = loc.diagnostic(
                        path,
                        rules::INVALID_IGNORE.id,
                        sev,
                        dir.span,
                        "this ignore comment names no rule".into(),
                    );
                    d.help = Some(
                        "name the rules to ignore: `# kubevet-ignore rule-a,rule-b -- reason`"
                            .into(),
                    );
                    loc.attach_excerpt(&mut d);
                    diags.push(d);
                }
            }
            for (r, used) in &dir.rules {
                let (meta, message, help) = if rules::meta(r).is_none() {
                    (
                        &rules::INVALID_IGNORE,
                        unknown_rule_message(r),
                        "use a rule id from `kubevet rules`".to_string(),
                    )
                } else if self.settings.report_unused_ignores && !used {
                    (
                        &rules::UNUSED_IGNORE,
                        format!(
                            "`{r}` is ignored on line {} but reported nothing there",
                            dir.target_line
                        ),
                        "remove it from the comment".to_string(),
                    )
                } else {
                    continue;
                };
                if let Some(sev) = self.settings.severity(meta.id, meta.severity) {
                    let mut d = loc.diagnostic(path, meta.id, sev, dir.span, message);
                    d.help = Some(help);
                    loc.attach_excerpt(&mut d);
                    diags.push(d);
                }
            }
        }
    }

    /// Schema validation and every object rule over one object; also returns the pod view.
    pub fn check_object(&self, object: &Object) -> (Vec<Finding>, Option<PodView>) {
        let mut findings = Vec::new();
        self.schemas.check(object, &mut findings);
        let pod = PodView::of(object);
        let cx = Context {
            object,
            pod: pod.as_ref(),
        };
        for rule in rules::object_rules() {
            let meta = rule.meta();
            if self.settings.severity(meta.id, meta.severity).is_none() {
                continue;
            }
            rule.check(&cx, &mut findings);
        }
        drop_replaced_schema_findings(&mut findings);
        (findings, pod)
    }

    /// Turn a finding into a diagnostic located in the file.
    fn resolve(
        &self,
        path: &str,
        loc: &Locator,
        root: &Node,
        object: &Object,
        f: Finding,
    ) -> Option<Diagnostic> {
        let meta = rules::meta(f.rule)?;
        let sev = self
            .settings
            .severity(meta.id, f.severity.unwrap_or(meta.severity))?;
        let abs = object.absolute(&f.pointer);
        let span = span_for(root, &abs, f.target);
        let mut d = loc.diagnostic(path, meta.id, sev, span, f.message);
        // Help that quotes the value shows it as written (`yes`, `0644`), not as resolved.
        d.help = f.help.map(|h| {
            if h.contains(crate::schema::VALUE_SOURCE) {
                crate::schema::fill_value_source(&h, loc.text.get(span.range()).unwrap_or(""))
            } else {
                h
            }
        });
        d.label = f.label;
        d.document = Some(object.document);
        d.pointer = Some(abs);
        d.object = Some(ObjectRef {
            api_version: object.api_version.clone(),
            kind: object.kind.clone(),
            name: object.name.clone(),
            namespace: object.namespace.clone(),
        });
        for r in f.related {
            let span = span_for(root, &object.absolute(&r.pointer), r.target);
            d.related.push(loc.related(span, r.label));
        }
        if let Some((title, plan)) = f.fix {
            d.fix = fix::plan_to_fix(loc, root, object, &title, &plan);
        }
        loc.attach_excerpt(&mut d);
        Some(d)
    }
}

fn unknown_rule_message(r: &str) -> String {
    let ids: Vec<&str> = rules::all().iter().map(|m| m.id).collect();
    match crate::schema::suggest(r, ids.iter().copied()) {
        Some(s) => format!("unknown rule `{r}` in ignore; did you mean `{s}`?"),
        None => format!("unknown rule `{r}` in ignore"),
    }
}

/// The rules an object's `kubevet.dev/ignore` annotations (its own and its pod template's)
/// silence, and which of them did.
struct AnnotationIgnores {
    /// (pointer of the annotation value, rules it names).
    sources: Vec<(String, Vec<String>)>,
    used: Vec<String>,
}

impl AnnotationIgnores {
    fn of(object: &Object, pod: Option<&PodView>) -> AnnotationIgnores {
        let mut metas = vec!["/metadata".to_string()];
        if let Some(p) = pod {
            if p.metadata_pointer != "/metadata" {
                metas.push(p.metadata_pointer.clone());
            }
        }
        let sources = metas
            .into_iter()
            .filter_map(|m| {
                let ptr = pointer::join(&m, &["annotations", suppress::ANNOTATION]);
                let v = object.at(&ptr)?.as_str()?;
                Some((ptr, suppress::parse_rule_list(v)))
            })
            .collect();
        AnnotationIgnores {
            sources,
            used: Vec::new(),
        }
    }

    fn silences(&mut self, rule: &str) -> bool {
        let hit = self
            .sources
            .iter()
            .any(|(_, rs)| rs.iter().any(|r| r == rule));
        if hit && !self.used.iter().any(|u| u == rule) {
            self.used.push(rule.to_string());
        }
        hit
    }
}

/// The span a finding underlines.
pub fn span_for(root: &Node, abs_pointer: &str, target: Target) -> Span {
    let l = pointer::locate(root, abs_pointer);
    if l.approximate {
        // Missing field: point at the key of the deepest existing parent.
        return l
            .key
            .unwrap_or_else(|| pointer::first_key_of(root, abs_pointer).unwrap_or(l.value));
    }
    match (target, l.key) {
        (Target::Key, Some(k)) => k,
        (Target::Entry, Some(k)) => k.cover(l.value),
        (Target::Value, Some(k)) => {
            // A whole block collection is too much to underline: use its key.
            let node = root.walk(pointer::tokens(abs_pointer)).map(|(n, _)| n);
            match node.map(|n| &n.value) {
                Some(crate::source::NodeValue::Map(_) | crate::source::NodeValue::Seq(_))
                    if l.value.end > l.value.start + 80 =>
                {
                    k
                }
                _ => l.value,
            }
        }
        _ => l.value,
    }
}

/// Remove `schema` findings that a more specific finding explains.
pub(crate) fn drop_replaced_schema_findings(findings: &mut Vec<Finding>) {
    let claims: Vec<String> = findings
        .iter()
        .flat_map(|f| f.replaces_schema.iter().cloned())
        .collect();
    if claims.is_empty() {
        return;
    }
    findings.retain(|f| {
        f.rule != rules::SCHEMA.id || !claims.iter().any(|c| pointer::starts_with(&f.pointer, c))
    });
}

/// Documents that are not Kubernetes objects are skipped without a finding: neither apiVersion
/// nor kind (values files, arbitrary YAML), and the known files of tools that look like
/// objects — kustomize's `Kustomization` and `Component` (kustomize accepts them without an
/// apiVersion), Helm's `Chart.yaml` and chart repository `index.yaml`, and kubeconfig.
fn is_quietly_skipped(object: &Object) -> bool {
    let present = |k: &str| object.value.get(k).is_some_and(|v| !v.is_null());
    let api_version = object.api_version.as_deref();
    if !present("apiVersion") && !present("kind") {
        return true;
    }
    match object.kind.as_deref() {
        Some("Kustomization" | "Component") => {
            !present("apiVersion")
                || api_version.is_some_and(|a| a.starts_with("kustomize.config.k8s.io/"))
        }
        Some("Config") => api_version == Some("v1"),
        Some(_) => false,
        None if present("kind") => false,
        // Chart.yaml: `apiVersion: v1|v2`, `name`, `version`; index.yaml: `entries`.
        None => match api_version {
            Some("v1" | "v2") if present("name") && present("version") => true,
            Some("v1") => present("entries"),
            _ => false,
        },
    }
}

/// The pointer of the mapping key read from `key_span` in a document, and the object it
/// belongs to (the tree keeps a repeated key: the last one wins, as in the API server).
fn key_location(
    stream: &crate::source::ParsedStream,
    document: usize,
    key_span: Span,
) -> (Option<String>, Option<ObjectRef>) {
    let Some(root) = stream
        .documents
        .iter()
        .find(|doc| doc.index == document)
        .and_then(|doc| doc.root.as_ref())
    else {
        return (None, None);
    };
    let ptr = pointer::of_key(root, key_span);
    let at = ptr.as_deref().unwrap_or("");
    let object = objects_of(document, root)
        .iter()
        .find(|o| pointer::starts_with(at, &o.base))
        .map(|o| ObjectRef {
            api_version: o.api_version.clone(),
            kind: o.kind.clone(),
            name: o.name.clone(),
            namespace: o.namespace.clone(),
        });
    (ptr, object)
}

/// For bytes that are text but not valid UTF-8: the valid text before the first bad byte.
fn valid_prefix(bytes: &[u8]) -> Option<&str> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return None;
    }
    let up_to = std::str::from_utf8(bytes).err()?.valid_up_to();
    std::str::from_utf8(&bytes[..up_to]).ok()
}

/// Decode a file's bytes as UTF-8 text, refusing binary content.
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err("binary file (contains NUL bytes); not parsed".into());
    }
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {}); not parsed",
            e.valid_up_to()
        )
    })
}
