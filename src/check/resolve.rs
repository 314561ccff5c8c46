//! Findings -> diagnostics: an object-relative pointer becomes a span in the file (the value,
//! the key, or both; the nearest existing parent for a missing field), with the object it
//! concerns, its secondary labels, its fix as text edits, and the source excerpt.

use crate::diagnostic::{Diagnostic, Locator, ObjectRef};
use crate::fix;
use crate::model::{objects_of, Object};
use crate::pointer;
use crate::rules::{Finding, RuleLevels, Target};
use crate::source::{locate, Node, NodeValue, ParsedStream, Span};

/// The object a diagnostic concerns.
pub(super) fn object_ref(object: &Object) -> ObjectRef {
    ObjectRef {
        api_version: object.api_version.clone(),
        kind: object.kind.clone(),
        name: object.name.clone(),
        namespace: object.namespace.clone(),
    }
}

/// Turn a finding into a diagnostic located in the file; `None` when its rule is off.
pub(super) fn resolve(
    levels: &RuleLevels,
    path: &str,
    loc: &Locator,
    root: &Node,
    object: &Object,
    f: Finding,
) -> Option<Diagnostic> {
    let sev = levels.severity(f.rule, f.severity)?;
    let abs = object.absolute(&f.pointer);
    let span = span_for(root, &abs, f.target);
    let mut d = loc.diagnostic(path, f.rule, sev, span, f.message);
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
    d.object = Some(object_ref(object));
    for r in f.related {
        let span = span_for(root, &object.absolute(&r.pointer), r.target);
        d.related.push(loc.related(span, r.label));
    }
    if let Some((title, plan)) = f.fix {
        debug_assert!(
            f.rule.meta().fixable,
            "{} offers a fix but is not declared fixable",
            f.rule
        );
        d.fix = fix::plan_to_fix(loc, root, object, &title, &plan);
    }
    loc.attach_excerpt(&mut d);
    Some(d)
}

/// The span a finding underlines.
pub fn span_for(root: &Node, abs_pointer: &str, target: Target) -> Span {
    let l = locate::locate(root, abs_pointer);
    if l.approximate {
        // Missing field: point at the key of the deepest existing parent.
        return l
            .key
            .unwrap_or_else(|| locate::first_key_of(root, abs_pointer).unwrap_or(l.value));
    }
    match (target, l.key) {
        (Target::Key, Some(k)) => k,
        (Target::Entry, Some(k)) => k.cover(l.value),
        (Target::Value, Some(k)) => {
            // A whole block collection is too much to underline: use its key.
            let node = root.walk(pointer::each_token(abs_pointer)).map(|(n, _)| n);
            match node.map(|n| &n.value) {
                Some(NodeValue::Map(_) | NodeValue::Seq(_)) if l.value.end > l.value.start + 80 => {
                    k
                }
                _ => l.value,
            }
        }
        _ => l.value,
    }
}

/// The pointer of the mapping key read from `key_span` in a document, and the object it
/// belongs to (the tree keeps a repeated key: the last one wins, as in the API server).
pub(super) fn key_location(
    stream: &ParsedStream,
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
    let ptr = locate::of_key(root, key_span);
    let at = ptr.as_deref().unwrap_or("");
    let object = objects_of(document, root)
        .iter()
        .find(|o| pointer::starts_with(at, &o.base))
        .map(object_ref);
    (ptr, object)
}
