//! `selector-mismatch`: a workload's selector does not select its own pod template, or an
//! apps/v1 workload has no selector.

use super::selector::{is_empty, map_matches, matches};
use super::{Context, Finding, Rule, RuleMeta, Target};
use crate::model::pod::WorkloadKind;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

declare_rule!(
    SelectorMismatch,
    "selector-mismatch",
    Error,
    Correctness,
    "A workload's selector does not select its own pod template's labels"
);

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
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let kind = cx.object.kind();
        let labels_ptr = format!("{}/labels", pod.metadata_pointer);
        let related_labels = |f: Finding| {
            if cx.object.at(&labels_ptr).is_some() {
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
                                Finding::new(META.id, "/spec/selector", format!("this {kind} has no `spec.selector`; apps/v1 requires one"))
                                    .label("selector missing here")
                                    .help(format!("add `selector: {{matchLabels: {{...}}}}` naming labels of the pod template ({})", show(&pod.labels)))
                                    .replaces_schema_at("/spec/selector"),
                            ));
                    }
                }
                Some(v) => {
                    let Ok(sel) = LabelSelector::deserialize(v) else {
                        return;
                    };
                    if is_empty(&sel) {
                        out.push(
                            Finding::new(
                                META.id,
                                "/spec/selector",
                                format!("this {kind}'s selector is empty, which apps/v1 rejects"),
                            )
                            .at(Target::Key)
                            .help("select the pod template's labels with `matchLabels`"),
                        );
                    } else if !matches(&sel, &pod.labels) {
                        out.push(related_labels(
                                Finding::new(META.id, "/spec/selector", format!("this {kind}'s selector does not select its own pod template ({})", show(&pod.labels)))
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
                        Finding::new(META.id, "/spec/selector", format!("this ReplicationController's selector ({}) does not select its own pod template ({})", show(&sel), show(&pod.labels)))
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
