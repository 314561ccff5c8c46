//! The check pipeline for one file: decode, parse, unwrap objects, validate against schemas,
//! run the rules, and resolve every finding into a [`Diagnostic`]. [`check_all`] runs it over
//! many files on all cores and returns the diagnostics in a deterministic order.

use crate::diagnostic::{sort_and_dedup, Diagnostic, Locator, ObjectRef};
use crate::discover::Input;
use crate::fix;
use crate::model::{objects_of, Object, PodView};
use crate::rules::{self, Context, Finding, Severity, Target};
use crate::schema::SchemaSet;
use crate::source::yaml::YamlProblemKind;
use crate::source::{parse_stream, pointer, Limits, Node, Span};
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
        let loc = Locator::new(text);
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
                let findings = self.check_object(&object);
                for f in findings {
                    if let Some(d) = self.resolve(path, &loc, root, &object, f) {
                        result.diagnostics.push(d);
                    }
                }
            }
        }
    }

    /// Schema validation and every object rule over one object.
    pub fn check_object(&self, object: &Object) -> Vec<Finding> {
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
        findings
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
    let mut run = RunResult {
        files: inputs.len(),
        ..RunResult::default()
    };
    for r in results {
        run.documents += r.documents;
        run.skipped += r.skipped;
        run.diagnostics.extend(r.diagnostics);
    }
    sort_and_dedup(&mut run.diagnostics);
    run
}
