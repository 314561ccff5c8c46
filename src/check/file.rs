//! The pipeline for one file: decode -> parse (yaml-syntax, duplicate-key, limits) -> for each
//! object: schema and rules, the project passes' findings for it, its ignore annotations ->
//! diagnostics -> the file's `[[ignore]]` tables and ignore comments -> sorted and deduplicated.

use super::resolve::{key_location, resolve};
use super::{decode, valid_prefix, Engine, FileResult, KeptTree};
use crate::diagnostic::{sort_and_dedup, Diagnostic, Locator};
use crate::kustomize::{self, Role};

use crate::model::pod::WorkloadKind;
use crate::model::{objects_of, objects_with, ContainerRole, Object};
use crate::pointer::{self, AtPointer};
use crate::rules::project::{ObjectAt, ProjectOut};
use crate::rules::RuleId;
use crate::schema::crd::{is_crd, LazyCrds};
use crate::source::helm;
use crate::source::template::template_action;
use crate::source::tree::NodeValue;
use crate::source::yaml::YamlProblemKind;
use crate::source::{parse_stream, Document, Node, ParsedStream, Span};
use crate::suppress::{self, ObjectIgnores};
use serde_json::Value;

/// Check one file's bytes.
/// `parsed`: the parse of the whole text, when already made.
pub(super) fn check(
    engine: &Engine,
    path: &str,
    bytes: &[u8],
    project: &ProjectOut,
    parsed: Option<ParsedStream>,
) -> FileResult {
    let mut result = FileResult::default();
    match decode(bytes) {
        Ok(text) => {
            check_text(
                engine,
                path,
                text,
                project,
                0,
                &mut result,
                parsed,
                &mut None,
            );
        }
        Err(msg) => push_io(engine, &mut result, path, msg, valid_prefix(bytes)),
    }
    sort_and_dedup(&mut result.diagnostics);
    result
}

/// An `io` finding; with the text before a bad byte, at that byte's line and column.
pub(super) fn push_io(
    engine: &Engine,
    result: &mut FileResult,
    path: &str,
    message: String,
    before: Option<&str>,
) {
    let Some(sev) = engine.settings.rules.severity(RuleId::Io, None) else {
        return;
    };
    let text = before.unwrap_or("");
    let loc = Locator::with_excerpts(text, !engine.settings.no_excerpts);
    let at = Span::new(text.len(), text.len());
    let mut d = loc.diagnostic(path, RuleId::Io, sev, at, message);
    d.help = Some("kubevet checked the other files; fix or exclude this one".into());
    if before.is_some_and(|t| !t.is_empty()) {
        d.label = Some("first invalid byte".into());
        loc.attach_excerpt(&mut d);
    }
    result.diagnostics.push(d);
}

/// Check one piece of a stream (see [`crate::source::yaml::pieces`]) whose first document is
/// document `first_document` of the whole stream: spans and lines are the piece's own,
/// document numbers the stream's. `tree`, when given, is the piece's only document as a parse
/// of `text` reads it (kept from an earlier version and brought up to date), and is not parsed
/// again (with its JSON value, when known). Returns the diagnostics (unsorted), the number of
/// documents the piece holds and, when the piece is one document, its tree (with its JSON
/// value, when it is one object); or `None` when the piece cannot be read on its
/// own (a parse problem, a template): then only a check of the whole text is right.
pub(super) fn check_piece(
    engine: &Engine,
    path: &str,
    text: &str,
    first_document: usize,
    project: &ProjectOut,
    tree: Option<KeptTree>,
) -> Option<(Vec<Diagnostic>, usize, Option<KeptTree>)> {
    let mut result = FileResult::default();
    let (tree, mut value) = match tree {
        Some((root, value)) => (Some(root), value),
        None => (None, None),
    };
    let stream = tree.map(|root| ParsedStream {
        documents: vec![Document {
            index: 0,
            root: Some(root),
        }],
        ..ParsedStream::default()
    });
    let (documents, mut stream) = check_text(
        engine,
        path,
        text,
        project,
        first_document,
        &mut result,
        stream,
        &mut value,
    );
    let documents = documents?;
    let tree = match stream.documents.len() {
        1 => stream.documents.pop().and_then(|d| d.root),
        _ => None,
    };
    Some((result.diagnostics, documents, tree.map(|t| (t, value))))
}

/// Check a text whose first document is document `first_document` of its stream (`stream`:
/// its parse, when already known; `value`: the JSON value of its only document, when known,
/// and on return that of its only object when it is one). Returns the number of documents
/// read when the text parsed without problems and is no template, and the parse.
#[allow(clippy::too_many_arguments)]
fn check_text(
    engine: &Engine,
    path: &str,
    text: &str,
    project: &ProjectOut,
    first_document: usize,
    result: &mut FileResult,
    stream: Option<ParsedStream>,
    value: &mut Option<Value>,
) -> (Option<usize>, ParsedStream) {
    let mut known = value.take().filter(|_| stream.is_some());
    let s = &engine.settings;
    let mut stream = stream.unwrap_or_else(|| parse_stream(text, &s.limits));
    if first_document > 0 {
        for d in &mut stream.documents {
            d.index += first_document;
        }
        for p in &mut stream.problems {
            p.document += first_document;
        }
    }
    let loc = Locator::with_excerpts(text, !s.no_excerpts);
    if let Some(at) = template_action(text, &stream, &s.limits) {
        report_template(engine, path, &loc, at, &mut result.diagnostics);
        return (None, stream);
    }
    report_parse_problems(engine, path, &loc, &stream, &mut result.diagnostics);
    let role = project
        .fact::<kustomize::Tree>()
        .map_or_else(Role::default, |t| t.role(path));
    if let Some(rendered) = role.rendered {
        // Checked as rendered: the findings placed in this file.
        result.diagnostics.extend(rendered.iter().cloned());
    }
    // Every document read whole (a repeated key loses nothing: the custom resources' own
    // parse would read the same values).
    let whole = stream
        .problems
        .iter()
        .all(|p| matches!(p.kind, YamlProblemKind::DuplicateKey { .. }));
    // A file of CRDs hands them to the custom resources' checks, which then need not parse it
    // again (only a whole file, read as the checks read it).
    let crds = project
        .fact::<LazyCrds>()
        .filter(|c| first_document == 0 && !s.parse_only && c.holds(path));
    for doc in &stream.documents {
        let Some(root) = &doc.root else { continue };
        result.documents += 1;
        if s.parse_only || role.rendered.is_some() {
            continue;
        }
        if root.as_map().is_none() {
            result.skipped += 1;
            continue;
        }
        let first = result.diagnostics.len();
        let objects = if stream.documents.len() == 1 {
            objects_with(doc.index, root, known.take())
        } else {
            objects_of(doc.index, root)
        };
        let one = stream.documents.len() == 1 && objects.len() == 1 && objects[0].base.is_empty();
        for object in objects {
            if is_quietly_skipped(&object) || (role.patch && deletes_itself(&object)) {
                result.skipped += 1;
            } else {
                check_object(engine, path, &loc, root, &object, project, role, result);
            }
            if let Some(crds) = crds.filter(|_| is_crd(&object)) {
                let len = (object.node.span.end - object.node.span.start) as usize;
                crds.offer(path, object, len);
            } else if one {
                *value = object.into_built_value();
            }
        }
        if result.diagnostics.len() > first {
            if let Some(t) = helm::source_template(text, root.span.start as usize) {
                for d in &mut result.diagnostics[first..] {
                    d.template = Some(t.to_string());
                }
            }
        }
    }
    if let Some(crds) = crds.filter(|_| whole && role.rendered.is_none()) {
        crds.finish(path);
    }
    let roots = stream.documents.iter().filter_map(|d| d.root.as_ref());
    suppress::apply_to_file(
        &s.ignores,
        &s.rules,
        s.report_unused_ignores,
        &loc,
        path,
        roots,
        &mut result.diagnostics,
    );
    let documents = stream.problems.is_empty().then_some(stream.documents.len());
    (documents, stream)
}

/// A template is reported once, at its first action, and not checked.
fn report_template(
    engine: &Engine,
    path: &str,
    loc: &Locator,
    at: usize,
    out: &mut Vec<Diagnostic>,
) {
    let rule = RuleId::UnrenderedTemplate;
    let Some(sev) = engine.settings.rules.severity(rule, None) else {
        return;
    };
    let mut d = loc.diagnostic(
        path,
        rule,
        sev,
        Span::new(at, at + 2),
        "this file is a template (`{{ ... }}`), not a manifest; it was not checked".into(),
    );
    d.label = Some("template expression".into());
    d.help = Some(
        "render it first and check the output, e.g. `helm template . | kubevet check -`".into(),
    );
    loc.attach_excerpt(&mut d);
    out.push(d);
}

/// `yaml-syntax`, `duplicate-key` and limit (`io`) findings from parsing.
fn report_parse_problems(
    engine: &Engine,
    path: &str,
    loc: &Locator,
    stream: &ParsedStream,
    out: &mut Vec<Diagnostic>,
) {
    for p in &stream.problems {
        let (rule, help) = match p.kind {
            YamlProblemKind::Syntax => (
                RuleId::YamlSyntax,
                "fix the YAML here; documents before it were still checked",
            ),
            YamlProblemKind::DuplicateKey { .. } => (
                RuleId::DuplicateKey,
                "keep one of the two; the API server rejects a mapping that repeats a key",
            ),
            YamlProblemKind::Limit => (
                RuleId::Io,
                "split the file, or, if the input is trusted, raise the limit with its flag or its key in the configuration's [limits] table",
            ),
        };
        let Some(sev) = engine.settings.rules.severity(rule, None) else {
            continue;
        };
        let mut d = loc.diagnostic(path, rule, sev, p.span, p.message.clone());
        d.help = Some(help.into());
        d.document = Some(p.document);
        d.related
            .extend(p.related.as_ref().map(|(s, l)| loc.related(*s, l.clone())));
        if let YamlProblemKind::DuplicateKey { first } = p.kind {
            d.label = Some("repeated here".into());
            d.related
                .push(loc.related(first, "first defined here".into()));
            (d.pointer, d.object) = key_location(stream, p.document, p.span);
        }
        loc.attach_excerpt(&mut d);
        out.push(d);
    }
}

/// Schema, rules and project findings of one object, less what its ignore annotations
/// silence, plus the findings about those annotations. A Kustomize patch is checked as a
/// partial object; an image a kustomization retags is not judged by its written tag.
#[allow(clippy::too_many_arguments)]
fn check_object(
    engine: &Engine,
    path: &str,
    loc: &Locator,
    root: &Node,
    object: &Object,
    project: &ProjectOut,
    role: Role,
    result: &mut FileResult,
) {
    let levels = &engine.settings.rules;
    let (mut findings, _) = engine.check_object_as(object, project, role.patch);
    if !role.retagged.is_empty() {
        findings.retain(|f| {
            f.rule != RuleId::LatestTagPullPolicy
                || !object
                    .at(&f.pointer)
                    .and_then(|v| v.as_str())
                    .is_some_and(|image| role.retags(image))
        });
    }
    let at = ObjectAt::of(path, object);
    findings.extend(project.for_object(&at).iter().cloned());
    let workload = WorkloadKind::of(object);
    let mut ignores = ObjectIgnores::of(object, workload.map(|w| w.pod_metadata_pointer()));
    for &rule in project.used_ignores(&at) {
        ignores.mark_used(rule);
    }
    for f in findings {
        if ignores.silences(f.rule) {
            continue;
        }
        let container = workload.and_then(|w| container_name(object, w, &f.pointer));
        if let Some(mut d) = resolve(levels, path, loc, root, object, f) {
            d.container = container;
            result.diagnostics.push(d);
        }
    }
    for f in ignores.findings(engine.settings.report_unused_ignores) {
        if let Some(d) = resolve(levels, path, loc, root, object, f) {
            result.diagnostics.push(d);
        }
    }
}

/// The name of the container an object-relative pointer lies in, if any (for per-container
/// `[[ignore]]` tables).
fn container_name(object: &Object, workload: WorkloadKind, at: &str) -> Option<String> {
    let rest = at.strip_prefix(workload.pod_spec_pointer())?;
    let mut tokens = rest.strip_prefix('/')?.split('/');
    let list = tokens.next()?;
    let index = tokens.next()?;
    ContainerRole::ALL
        .iter()
        .any(|r| r.field() == list)
        .then_some(())?;
    let spec = workload.pod_spec_pointer();
    let name = object.at(&pointer::join(spec, &[list, index, "name"]))?;
    name.as_str().map(str::to_string)
}

/// Documents that are not Kubernetes objects are skipped without a finding: neither apiVersion
/// nor kind (values files, arbitrary YAML), and the known files of tools that look like
/// objects — kustomize's `Kustomization` and `Component` (kustomize accepts them without an
/// apiVersion), Helm's `Chart.yaml` and chart repository `index.yaml`, and kubeconfig.
fn is_quietly_skipped(object: &Object) -> bool {
    let present = |k: &str| {
        object
            .node
            .get(k)
            .is_some_and(|e| !matches!(e.value.value, NodeValue::Null))
    };
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

/// A strategic-merge patch that deletes the object it matches (`$patch: delete` at its top).
fn deletes_itself(object: &Object) -> bool {
    object.str_at("/$patch") == Some("delete")
}
