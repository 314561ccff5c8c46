//! `selector-mismatch`: a workload's selector does not select its own pod template, or an
//! apps/v1 workload has no selector.

use super::{Context, Finding, FixPlan, Rule, Target};
use crate::model::pod::WorkloadKind;
use crate::model::selector::{is_empty, is_evaluable, map_matches, matches};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

declare_rule! {
    pub struct SelectorMismatch {
        id: "selector-mismatch",
        severity: Error,
        category: Correctness,
        fixable: true,
        inspects: Pods,
        whole_object: true,
    }
}

fn show(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "no labels".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for SelectorMismatch {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let kind = cx.object.kind();
        let labels_ptr = format!("{}/labels", pod.metadata_pointer);
        let related_labels = |f: Finding| {
            if cx.object.view(&labels_ptr).is_some() {
                f.related(
                    labels_ptr.clone(),
                    Target::Key,
                    format!("template labels: {}", show(&pod.labels)),
                )
            } else {
                f
            }
        };
        match pod.workload {
            WorkloadKind::Deployment
            | WorkloadKind::ReplicaSet
            | WorkloadKind::StatefulSet
            | WorkloadKind::DaemonSet => match cx.object.at("/spec/selector") {
                None | Some(Value::Null) => {
                    if cx.object.group_version() == Some(("apps", "v1")) {
                        out.push(related_labels(
                                Finding::new(SelectorMismatch::ID, "/spec/selector", format!("this {kind} has no `spec.selector`; apps/v1 requires one"))
                                    .label("selector missing here")
                                    .help(format!("add `selector: {{matchLabels: {{...}}}}` naming labels of the pod template ({})", show(&pod.labels)))
                                    .replaces_schema_at("/spec/selector"),
                            ));
                    }
                }
                Some(v) => {
                    if let Some(f) = map_style(cx, kind, v, &pod.labels) {
                        out.push(related_labels(f));
                        return;
                    }
                    let Ok(sel) = LabelSelector::deserialize(v) else {
                        return;
                    };
                    if !is_evaluable(&sel) {
                        // An operator the API server does not know: schema reports it, and
                        // what the selector selects cannot be told.
                        return;
                    }
                    if is_empty(&sel) {
                        out.push(
                            Finding::new(
                                SelectorMismatch::ID,
                                "/spec/selector",
                                format!("this {kind}'s selector is empty, which apps/v1 rejects"),
                            )
                            .at(Target::Key)
                            .help("select the pod template's labels with `matchLabels`"),
                        );
                    } else if !matches(&sel, &pod.labels) {
                        out.push(related_labels(
                                Finding::new(SelectorMismatch::ID, "/spec/selector", format!("this {kind}'s selector does not select its own pod template ({})", show(&pod.labels)))
                                    .at(Target::Key)
                                    .label("selects other pods")
                                    .help("make the selector match the template's labels; the API server rejects a selector that does not (and it cannot be changed later)"),
                            ));
                    }
                }
            },
            WorkloadKind::ReplicationController => {
                let Some(v) = cx.object.at("/spec/selector") else {
                    return;
                };
                let Ok(sel) = BTreeMap::<String, String>::deserialize(v) else {
                    return;
                };
                if !sel.is_empty() && !map_matches(&sel, &pod.labels) {
                    out.push(related_labels(
                        Finding::new(SelectorMismatch::ID, "/spec/selector", format!("this ReplicationController's selector ({}) does not select its own pod template ({})", show(&sel), show(&pod.labels)))
                            .at(Target::Key)
                            .label("selects other pods")
                            .help("make every selector pair a label of the template, or drop the selector: it defaults to the template's labels"),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// A selector written as a plain map (`selector: {app: web}`, the ReplicationController
/// form) where a label selector is required: one finding that says how to write it, with a
/// fix that nests the pairs under `matchLabels`, instead of "empty selector" plus the
/// `schema` errors for each pair.
fn map_style(
    cx: &Context,
    kind: &str,
    v: &Value,
    labels: &BTreeMap<String, String>,
) -> Option<Finding> {
    let map = v.as_object()?;
    if map.is_empty()
        || map.contains_key("matchLabels")
        || map.contains_key("matchExpressions")
        || !map.values().all(Value::is_string)
    {
        return None;
    }
    let pairs: BTreeMap<String, String> = map
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
        .collect();
    // Keys in the order they are written.
    let keys: Vec<String> = cx
        .object
        .node
        .walk(["spec", "selector"])
        .and_then(|(n, _)| n.as_map())
        .map(|m| m.iter().map(|e| e.key.clone()).collect())
        .unwrap_or_else(|| map.keys().cloned().collect());
    let shown = pairs
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let group = match cx.object.api_version.as_deref() {
        Some(av) => format!("{av} selectors"),
        None => format!("a {kind}'s selector"),
    };
    let mismatch = if map_matches(&pairs, labels) {
        String::new()
    } else {
        format!(
            " (and these labels do not select the pod template's: {})",
            show(labels)
        )
    };
    Some(
        Finding::new(
            SelectorMismatch::ID,
            "/spec/selector",
            format!("{group} use matchLabels: write `selector: {{matchLabels: {{{shown}}}}}`{mismatch}"),
        )
        .at(Target::Key)
        .label("a plain map of labels, not a label selector")
        .help(format!(
            "nest the pairs under `matchLabels:` (`selector: {{matchLabels: {{{shown}}}}}`); only a ReplicationController's selector is a plain map"
        ))
        .replaces_schema_at("/spec/selector")
        .fix(
            "nest the labels under `matchLabels`",
            FixPlan::NestKeys {
                keys: keys
                    .iter()
                    .map(|k| crate::pointer::push("/spec/selector", k))
                    .collect(),
                into: "/spec/selector/matchLabels".into(),
            },
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<Finding> {
        crate::rules::testing::findings(&SelectorMismatch, text)
    }

    #[test]
    fn an_unknown_operator_is_not_judged() {
        let dep = |op: &str| {
            format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  selector:\n    matchExpressions:\n    - {{key: tier, operator: {op}, values: [fe]}}\n  template:\n    metadata: {{labels: {{tier: fe}}}}\n    spec:\n      containers: [{{name: c, image: 'x:1'}}]\n")
        };
        assert!(findings(&dep("in")).is_empty());
        assert!(findings(&dep("In")).is_empty());
        assert_eq!(findings(&dep("NotIn")).len(), 1);
    }

    #[test]
    fn a_map_selector_says_how_to_write_it() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {app: web}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: 'x:1'}]\n";
        let f = findings(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "apps/v1 selectors use matchLabels: write `selector: {matchLabels: {app: web}}`"
        );
        assert_eq!(f[0].replaces_schema, ["/spec/selector"]);
    }
}
