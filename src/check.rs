//! The check pipeline for one file: decode, parse, unwrap objects, validate against schemas,
//! run the rules, and resolve every finding into a [`Diagnostic`]. [`check_all`] runs it over
//! many files on all cores and returns the diagnostics in a deterministic order.

use crate::diagnostic::{sort_and_dedup, Diagnostic, Locator, ObjectRef};
use crate::discover::Input;
use crate::fix;
use crate::model::podpreset::PodPreset;
use crate::model::{objects_of, Object, PodView};
use crate::presets::{self, PodSummary, PresetSummary};
use crate::rules::{self, Context, Finding, Severity, Target};
use crate::schema::SchemaSet;
use crate::source::yaml::YamlProblemKind;
use crate::source::{parse_stream, pointer, Limits, Node, Span};
use crate::suppress::{self, ConfigIgnores, Subject};
use rayon::prelude::*;
use std::collections::HashMap;

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
    /// The severity a rule reports at, or `None` when it is turned off.
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        if self.ignore.iter().any(|r| r == rule) {
            return None;
        }
        if let Some(sel) = &self.select {
            if !sel.iter().any(|r| r == rule) {
                return None;
            }
        }
        match self.severities.get(rule) {
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
    /// PodPresets of the file, for the cross-file pass.
    pub presets: Vec<PresetSummary>,
    /// Pods and pod templates of the file, for the cross-file pass.
    pub pods: Vec<PodSummary>,
}

/// The result of a whole run.
#[derive(Debug, Default)]
pub struct RunResult {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub documents: usize,
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

    /// Check one file's bytes. `path` is the name used in diagnostics.
    pub fn check_bytes(&self, path: &str, bytes: &[u8]) -> FileResult {
        let mut result = FileResult::default();
        let text = match decode(bytes) {
            Ok(t) => t,
            Err(msg) => {
                self.push_io(&mut result, path, msg);
                return result;
            }
        };
        self.check_text(path, text, &mut result);
        sort_and_dedup(&mut result.diagnostics);
        result
    }

    /// Report an `io` finding for a file that could not be read.
    pub fn io_result(&self, path: &str, message: String) -> FileResult {
        let mut result = FileResult::default();
        self.push_io(&mut result, path, message);
        result
    }

    fn push_io(&self, result: &mut FileResult, path: &str, message: String) {
        if let Some(sev) = self.settings.severity(rules::IO.id, rules::IO.severity) {
            let loc = Locator::new("");
            let mut d = loc.diagnostic(path, rules::IO.id, sev, Span::default(), message);
            d.help = Some("kubevet checked the other files; fix or exclude this one".into());
            result.diagnostics.push(d);
        }
    }

    fn check_text(&self, path: &str, text: &str, result: &mut FileResult) {
        let stream = parse_stream(text, &self.settings.limits);
        let loc = Locator::with_excerpts(text, !self.settings.no_excerpts);
        if looks_like_template(text, &stream) {
            if let Some(sev) = self.settings.severity(rules::IO.id, Severity::Info) {
                let at = text.find("{{").unwrap_or(0);
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
            if let YamlProblemKind::DuplicateKey { first } = p.kind {
                d.label = Some("repeated here".into());
                d.related
                    .push(loc.related(first, "first defined here".into()));
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
                let (findings, pod) = self.check_object(&object);
                let mut ignores = AnnotationIgnores::of(&object, pod.as_ref());
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
                self.summarise(path, &loc, root, &object, pod.as_ref(), result);
            }
        }
        self.apply_config_ignores(&mut result.diagnostics);
        let roots = stream.documents.iter().filter_map(|d| d.root.as_ref());
        self.apply_comment_ignores(path, &loc, roots, &mut result.diagnostics);
    }

    /// Keep what the cross-file PodPreset pass needs from one object.
    fn summarise(
        &self,
        path: &str,
        loc: &Locator,
        root: &Node,
        object: &Object,
        pod: Option<&PodView>,
        result: &mut FileResult,
    ) {
        if self
            .settings
            .severity(
                rules::PODPRESET_CONFLICT.id,
                rules::PODPRESET_CONFLICT.severity,
            )
            .is_none()
        {
            return;
        }
        if PodPreset::is(object) {
            if object.annotation(suppress::ANNOTATION).is_some_and(|a| {
                suppress::parse_rule_list(a)
                    .iter()
                    .any(|r| r == rules::PODPRESET_CONFLICT.id)
            }) {
                return;
            }
            if let Ok(preset) = PodPreset::of(object) {
                let summary = presets::preset_summary(object, &preset, |ptr| {
                    self.resolve(
                        path,
                        loc,
                        root,
                        object,
                        Finding::new(rules::PODPRESET_CONFLICT.id, ptr, ""),
                    )
                });
                result.presets.push(summary);
            }
        } else if let Some(pod) = pod {
            result.pods.push(presets::pod_summary(object, pod));
        }
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
    pub fn apply_config_ignores(&self, diags: &mut Vec<Diagnostic>) {
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
            for dir in directives.iter_mut().filter(|x| x.target_line == d.line) {
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
        d.help = f.help;
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
            .unwrap_or(Span::new(l.value.start as usize, l.value.start as usize));
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

/// Documents with neither apiVersion nor kind (values files, arbitrary YAML) and known tool
/// configs (kustomize) are skipped without a finding.
fn is_quietly_skipped(object: &Object) -> bool {
    if object.api_version.is_none() && object.kind.is_none() {
        return true;
    }
    matches!(object.kind(), "Kustomization" | "Component")
        && object
            .api_version
            .as_deref()
            .is_some_and(|a| a.starts_with("kustomize.config.k8s.io/"))
}

/// A file with `{{ }}` expressions that make it unreadable as YAML (a syntax error, or a
/// mapping key that is itself a mapping) is a template, not a manifest. Quoted and block
/// scalar `{{ }}` (alert templates, config files) parse fine and are checked.
fn looks_like_template(text: &str, stream: &crate::source::ParsedStream) -> bool {
    text.contains("{{")
        && (stream.complex_keys
            || stream
                .problems
                .iter()
                .any(|p| p.kind == YamlProblemKind::Syntax))
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

/// Check every input on the current rayon pool; the result is sorted and deduplicated.
pub fn check_all(engine: &Engine, inputs: &[Input]) -> RunResult {
    let results: Vec<FileResult> = inputs.par_iter().map(|input| input.check(engine)).collect();
    combine(engine, inputs.len(), results)
}

/// Merge per-file results, run the cross-file PodPreset pass, and sort.
pub fn combine(engine: &Engine, files: usize, results: Vec<FileResult>) -> RunResult {
    let mut run = RunResult {
        files,
        ..RunResult::default()
    };
    let mut presets = Vec::new();
    let mut pods = Vec::new();
    for r in results {
        run.documents += r.documents;
        run.skipped += r.skipped;
        run.diagnostics.extend(r.diagnostics);
        presets.extend(r.presets);
        pods.extend(r.pods);
    }
    let mut cross = presets::conflicts(&presets, &pods);
    engine.apply_config_ignores(&mut cross);
    run.diagnostics.extend(cross);
    sort_and_dedup(&mut run.diagnostics);
    run
}
