//! Checking: the [`Engine`] (settings, schemas, and which rules inspect which objects) and the
//! pipeline for one file ([`file`]): decode, parse, unwrap objects, validate against schemas,
//! run the rules that inspect each object, take the project passes' findings for it, resolve
//! every finding into a located [`Diagnostic`] ([`resolve`]) and apply suppressions.
//! [`crate::run`] drives it over many files.

mod file;
mod rendered;
mod resolve;

pub use rendered::{RenderedObject, Want};

pub use resolve::span_for;

use crate::diagnostic::Diagnostic;
use crate::model::pod::WorkloadKind;
use crate::model::{objects_of, Object, PodView};
use crate::rules::project::{self, FileSummaries, ObjectAt, ProjectOut};
use crate::rules::{self, Context, Finding, Inspects, Rule, RuleId};
use crate::schema::SchemaSet;
use crate::settings::Settings;
use crate::source::template::template_action;
use crate::source::{parse_stream, ParsedStream};
use std::collections::HashMap;

/// A document's spanned tree and, when known, its JSON value (`root.to_json()`), kept by the
/// language server for the next version of a piece.
pub type KeptTree = (crate::source::Node, Option<serde_json::Value>);

/// What checking one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    pub diagnostics: Vec<Diagnostic>,
    /// Documents read (empty ones excluded).
    pub documents: usize,
    /// Documents skipped quietly (no apiVersion/kind, tool configs).
    pub skipped: usize,
}

/// The enabled object rules, by what they inspect: each object is handed only to the rules
/// that look at it, so the cost of a check grows with the rules that apply, not with the
/// rules that exist.
#[derive(Default)]
struct Dispatch {
    objects: Vec<Enabled>,
    pods: Vec<Enabled>,
    /// (API group, kind) -> rules.
    kinds: HashMap<(&'static str, &'static str), Vec<Enabled>>,
}

/// An enabled object rule.
#[derive(Clone, Copy)]
struct Enabled {
    rule: &'static dyn Rule,
    /// It judges whole objects only ([`rules::RuleMeta::whole_object`]).
    whole_object: bool,
}

impl Enabled {
    /// Run the rule on `cx` unless the object is partial and the rule needs a whole one.
    fn run(&self, cx: &Context, partial: bool, out: &mut Vec<Finding>) {
        if !(partial && self.whole_object) {
            self.rule.check(cx, out);
        }
    }
}

impl Dispatch {
    fn new(settings: &Settings) -> Dispatch {
        let mut d = Dispatch::default();
        for &(id, rule) in rules::object_rules() {
            if !settings.rules.enabled(id) {
                continue;
            }
            let rule = Enabled {
                rule,
                whole_object: id.meta().whole_object,
            };
            match id.meta().inspects {
                Inspects::Objects => d.objects.push(rule),
                Inspects::Pods => d.pods.push(rule),
                Inspects::Kinds(kinds) => {
                    for &gk in kinds {
                        d.kinds.entry(gk).or_default().push(rule);
                    }
                }
            }
        }
        d
    }
}

/// Checks files.
pub struct Engine {
    pub settings: Settings,
    pub schemas: SchemaSet,
    dispatch: Dispatch,
}

impl Engine {
    /// An engine for these settings (the schemas of the target version, and of the schema
    /// directories). Errors say which schema directory cannot be read.
    pub fn new(settings: Settings) -> Result<Engine, String> {
        let mut schemas = SchemaSet::builtin(settings.options.minor);
        for dir in &settings.schema_dirs {
            schemas.add_dir(dir)?;
        }
        for path in &settings.crds {
            schemas.add_crds(path)?;
        }
        Ok(Engine::with_schemas(settings, schemas))
    }

    /// An engine with schemas already built.
    pub fn with_schemas(settings: Settings, schemas: SchemaSet) -> Engine {
        let dispatch = Dispatch::new(&settings);
        Engine {
            settings,
            schemas,
            dispatch,
        }
    }

    /// Check one file's bytes on its own. `path` is the name used in diagnostics.
    pub fn check_bytes(&self, path: &str, bytes: &[u8]) -> FileResult {
        self.check_bytes_with(path, bytes, &ProjectOut::default())
    }

    /// Check one file's bytes, with what the project passes learned about the checked set.
    pub fn check_bytes_with(&self, path: &str, bytes: &[u8], project: &ProjectOut) -> FileResult {
        self.check_parsed(path, bytes, project, None)
    }

    /// [`Engine::check_bytes_with`], from the parse of the whole file when the project passes
    /// made it ([`Engine::summarize_file`]).
    pub fn check_parsed(
        &self,
        path: &str,
        bytes: &[u8],
        project: &ProjectOut,
        parsed: Option<ParsedStream>,
    ) -> FileResult {
        file::check(self, path, bytes, project, parsed)
    }

    /// Check one piece of a stream on its own (the language server re-checks only the pieces
    /// an edit touched), from its tree (and its JSON value) when known: see
    /// [`file::check_piece`].
    pub fn check_piece(
        &self,
        path: &str,
        text: &str,
        first_document: usize,
        project: &ProjectOut,
        tree: Option<KeptTree>,
    ) -> Option<(Vec<Diagnostic>, usize, Option<KeptTree>)> {
        file::check_piece(self, path, text, first_document, project, tree)
    }

    /// What the passes `wanted` learn from one piece of a stream whose first document is
    /// document `first_document` of the stream.
    pub fn summarize_piece(
        &self,
        path: &str,
        text: &str,
        first_document: usize,
        wanted: &[usize],
    ) -> FileSummaries {
        let mut out = Vec::new();
        self.summarize_stream(path, text, first_document, wanted, &mut out);
        out
    }

    /// An `io` finding for a file that could not be read.
    pub fn io_result(&self, path: &str, message: String) -> FileResult {
        let mut result = FileResult::default();
        file::push_io(self, &mut result, path, message, None);
        result
    }

    /// The result for a file kubevet failed on (a bug: a panic with `payload`): an `io`
    /// finding saying the file was not checked, so that a run, or the editor, goes on.
    pub fn failure_result(&self, path: &str, payload: &(dyn std::any::Any + Send)) -> FileResult {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unexpected failure".into());
        self.io_result(
            path,
            format!("kubevet failed while checking this file ({what}); it was not checked: please report this as a bug"),
        )
    }

    /// Schema validation and the rules that inspect this object; also returns the pod view.
    pub fn check_object(
        &self,
        object: &Object,
        project: &ProjectOut,
    ) -> (Vec<Finding>, Option<PodView>) {
        self.check_object_as(object, project, false)
    }

    /// [`Engine::check_object`], for a `partial` object (a Kustomize patch) checked only for
    /// what it holds: no required-field finding, `$patch`-style directives allowed, and no rule
    /// that judges the whole object ([`rules::RuleMeta::whole_object`]).
    pub fn check_object_as(
        &self,
        object: &Object,
        project: &ProjectOut,
        partial: bool,
    ) -> (Vec<Finding>, Option<PodView>) {
        let mut findings = Vec::new();
        let valid = self.schemas.check_with(
            object,
            project.fact::<crate::schema::crd::LazyCrds>(),
            &mut findings,
        );
        // Only the newest version's schemas are generated from the same types as the field
        // table the pod rules reason with.
        let schema_valid = valid && self.schemas.validates_newest();
        if partial {
            findings.retain(|f| !crate::schema::is_about_absence_or_directive(f));
        }

        let workload = WorkloadKind::of(object).is_some();
        let pod = if workload && !self.dispatch.pods.is_empty() {
            PodView::of(object)
        } else {
            None
        };
        let cx = Context {
            object,
            pod: pod.as_ref(),
            project,
            options: &self.settings.options,
            pod_security: Default::default(),
            schema_valid,
        };
        for rule in &self.dispatch.objects {
            rule.run(&cx, partial, &mut findings);
        }
        if workload {
            for rule in &self.dispatch.pods {
                rule.run(&cx, partial, &mut findings);
            }
        }
        if !self.dispatch.kinds.is_empty() {
            let group = object.group_version().map_or("", |(g, _)| g);
            if let Some(rules) = self.dispatch.kinds.get(&(group, object.kind())) {
                for rule in rules {
                    rule.run(&cx, partial, &mut findings);
                }
            }
        }
        rules::drop_replaced_schema_findings(&mut findings);
        crate::schema::merge_missing_siblings(&mut findings, 0);
        (findings, pod)
    }

    /// The project passes this engine runs (indexes into [`project::passes`]): those that
    /// serve an enabled rule.
    pub fn project_passes(&self) -> Vec<usize> {
        if self.settings.parse_only {
            return Vec::new();
        }
        (0..project::passes().len())
            .filter(|&i| {
                project::passes()[i]
                    .serves()
                    .iter()
                    .any(|&r| self.settings.rules.enabled(r))
            })
            .collect()
    }

    /// What the project passes `wanted` (indexes into [`project::passes`]) learn from one
    /// file.
    pub fn summarize(&self, path: &str, bytes: &[u8], wanted: &[usize]) -> FileSummaries {
        self.summarize_file(path, bytes, wanted).0
    }

    /// [`Engine::summarize`], also returning the parse of the file when the passes parsed it
    /// whole, for its check ([`Engine::check_parsed`]): a file of one Service is parsed once.
    pub fn summarize_file(
        &self,
        path: &str,
        bytes: &[u8],
        wanted: &[usize],
    ) -> (FileSummaries, Option<ParsedStream>) {
        let mut out = Vec::new();
        let Ok(text) = decode(bytes) else {
            return (out, None);
        };
        let passes = project::passes();
        if wanted
            .iter()
            .all(|&i| passes[i].reads_only_triggering_documents())
        {
            // Only the documents that hold a trigger: a Service among many Deployments costs
            // the parse of the Service alone.
            let mut parsed = None;
            for piece in crate::source::yaml::pieces(text) {
                if project::holds_trigger(piece.as_bytes(), wanted) {
                    let stream = self.summarize_stream(path, piece, 0, wanted, &mut out);
                    parsed = (piece.len() == text.len()).then_some(stream);
                }
            }
            return (out, parsed);
        }
        let stream = self.summarize_stream(path, text, 0, wanted, &mut out);
        (out, Some(stream))
    }

    /// Summarise the objects of one stream (a file, or a piece of one whose first document is
    /// `first_document`) for the passes `wanted`.
    fn summarize_stream(
        &self,
        path: &str,
        text: &str,
        first_document: usize,
        wanted: &[usize],
        out: &mut FileSummaries,
    ) -> ParsedStream {
        let stream = parse_stream(text, &self.settings.limits);
        if template_action(text, &stream, &self.settings.limits).is_some() {
            return stream;
        }
        for doc in &stream.documents {
            let Some(root) = doc.root.as_ref().filter(|r| r.as_map().is_some()) else {
                continue;
            };
            for object in objects_of(first_document + doc.index, root) {
                let at = ObjectAt::of(path, &object);
                let pod = WorkloadKind::of(&object).and_then(|_| PodView::of(&object));
                for &i in wanted {
                    if let Some(s) = project::passes()[i].summarize(&at, &object, pod.as_ref()) {
                        out.push((i, s));
                    }
                }
            }
        }
        stream
    }

    /// Fix a file's text: check it, apply the fixes that do not overlap, and check again until
    /// no fix is left (fixes that touch the same place are applied in later passes). The one
    /// fix loop, for `--fix`, the language server's "fix all", the tests and the fuzz target.
    pub fn fix(&self, path: &str, text: &str) -> Fixed {
        let mut fixed = Fixed {
            text: text.to_string(),
            applied: 0,
            converged: false,
        };
        for _ in 0..MAX_FIX_PASSES {
            let result = self.check_bytes(path, fixed.text.as_bytes());
            let fixes: Vec<&crate::diagnostic::Fix> = result
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .collect();
            if fixes.is_empty() {
                fixed.converged = true;
                break;
            }
            let (new_text, applied) = crate::fix::apply_fixes(&fixed.text, &fixes);
            if applied == 0 {
                break;
            }
            fixed.text = new_text;
            fixed.applied += applied;
        }
        fixed
    }

    /// Whether findings of this rule are reported at all.
    pub fn reports(&self, rule: RuleId) -> bool {
        self.settings.rules.enabled(rule)
    }
}

/// Most passes of [`Engine::fix`]; a few converge in practice.
const MAX_FIX_PASSES: usize = 10;

/// What [`Engine::fix`] made of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over every pass.
    pub applied: usize,
    /// Whether the last check offered no fix (false: the pass limit was reached, or fixes
    /// could not be applied).
    pub converged: bool,
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
