//! Checking rendered output (a Kustomize build) and locating its findings in the source files
//! that wrote them: the object check of [`super::Engine`] on each rendered object, and the
//! translation of a rendered object's pointer into a source object's (list items matched by
//! their `name`, since patches and bases list only some of the items, in their own order).

use super::resolve::resolve;
use super::Engine;
use crate::diagnostic::{Diagnostic, Locator};
use crate::model::pod::WorkloadKind;
use crate::model::{objects_of, Object};
use crate::pointer;
use crate::rules::project::ProjectOut;
use crate::rules::Finding;
use crate::source::{parse_stream, ParsedStream};
use crate::suppress::ObjectIgnores;
use serde_json::Value;

/// What a source file must write for a rendered finding to be placed in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The rendered value, at the same place.
    Value,
    /// Something at the same place.
    Place,
    /// Only the object: the finding goes to the nearest written parent.
    Parent,
}

/// A rendered object and its findings (after its ignore annotations), pointers relative to it.
#[derive(Debug)]
pub struct RenderedObject {
    pub value: Value,
    pub kind: String,
    pub name: Option<String>,
    pub findings: Vec<Finding>,
}

impl Engine {
    /// Check every object of a rendered stream.
    pub fn rendered_findings(&self, text: &str, project: &ProjectOut) -> Vec<RenderedObject> {
        let stream = parse_stream(text, &self.settings.limits);
        let mut out = Vec::new();
        for doc in &stream.documents {
            let Some(root) = &doc.root else { continue };
            for object in objects_of(doc.index, root) {
                let Some(kind) = object.kind.clone() else {
                    continue;
                };
                let (findings, _) = self.check_object(&object, project);
                let workload = WorkloadKind::of(&object);
                let mut ignores =
                    ObjectIgnores::of(&object, workload.map(|w| w.pod_metadata_pointer()));
                let findings = findings
                    .into_iter()
                    .filter(|f| !ignores.silences(f.rule))
                    .collect();
                out.push(RenderedObject {
                    name: object.name.clone(),
                    kind,
                    value: object.into_value(),
                    findings,
                });
            }
        }
        out
    }

    /// Locate a finding of a rendered object in a source file (`display` is its name in
    /// diagnostics): in the first object `pick` accepts, at the place that corresponds to the
    /// finding's pointer, if the source writes what `want` asks there.
    #[allow(clippy::too_many_arguments)]
    pub fn locate_in_source(
        &self,
        display: &str,
        text: &str,
        stream: &ParsedStream,
        pick: impl Fn(&Object) -> bool,
        rendered: &Value,
        finding: &Finding,
        want: Want,
    ) -> Option<Diagnostic> {
        for doc in &stream.documents {
            let Some(root) = &doc.root else { continue };
            for object in objects_of(doc.index, root) {
                if !pick(&object) {
                    continue;
                }
                let (at, whole) = translate(rendered, object.value(), &finding.pointer);
                let placed = match want {
                    Want::Value => {
                        whole && object.at(&at) == pointer::lookup(rendered, &finding.pointer)
                    }
                    Want::Place => whole,
                    Want::Parent => true,
                };
                if !placed {
                    return None;
                }
                let mut f = finding.clone();
                f.pointer = at;
                f.fix = None;
                for r in &mut f.related {
                    r.pointer = translate(rendered, object.value(), &r.pointer).0;
                }
                let loc = Locator::with_excerpts(text, !self.settings.no_excerpts);
                return resolve(&self.settings.rules, display, &loc, root, &object, f);
            }
        }
        None
    }
}

/// The pointer in `source` for `at` in `rendered`: map keys as they are, list indices through
/// the item's `name` (or the same index when items have no name). Returns the longest prefix
/// that exists in `source`, and whether it is the whole pointer.
fn translate(rendered: &Value, source: &Value, at: &str) -> (String, bool) {
    let mut out = String::new();
    let (mut r, mut s) = (rendered, source);
    for token in pointer::each_token(at) {
        let next = match (r, s) {
            (Value::Array(ra), Value::Array(sa)) => {
                let Ok(i) = token.parse::<usize>() else {
                    return (out, false);
                };
                let Some(item) = ra.get(i) else {
                    return (out, false);
                };
                let j = match item.get("name").and_then(Value::as_str) {
                    Some(name) => sa
                        .iter()
                        .position(|x| x.get("name").and_then(Value::as_str) == Some(name)),
                    None => (i < sa.len()).then_some(i),
                };
                let Some(j) = j else {
                    return (out, false);
                };
                (item, &sa[j], j.to_string())
            }
            (Value::Object(rm), Value::Object(sm)) => {
                let (Some(rv), Some(sv)) = (rm.get(token.as_ref()), sm.get(token.as_ref())) else {
                    return (out, false);
                };
                (rv, sv, token.to_string())
            }
            _ => return (out, false),
        };
        out = pointer::join(&out, &[next.2.as_str()]);
        (r, s) = (next.0, next.1);
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_items_are_matched_by_name() {
        let rendered = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let patch = json!({"spec": {"containers": [{"name": "b", "image": "y"}]}});
        assert_eq!(
            translate(&rendered, &patch, "/spec/containers/1/image"),
            ("/spec/containers/0/image".to_string(), true)
        );
        assert_eq!(
            translate(&rendered, &patch, "/spec/containers/0/image"),
            ("/spec/containers".to_string(), false)
        );
        assert_eq!(
            translate(&rendered, &patch, "/spec/containers/1/ports"),
            ("/spec/containers/0".to_string(), false)
        );
    }
}
