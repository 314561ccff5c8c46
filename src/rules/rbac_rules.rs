//! The rules of a Role or ClusterRole as written, shared by `rbac-wildcard` and
//! `rbac-dangerous-verbs`: each rule's pointer with its verbs, API groups and resources.

use super::Context;
use crate::model::view::items_of;
use crate::model::{JsonRef, JsonView};
use crate::pointer;

pub const GROUP: &str = "rbac.authorization.k8s.io";

/// One entry of `rules`.
pub struct PolicyRule {
    pub pointer: String,
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
}

impl PolicyRule {
    pub fn any_verb(&self, verbs: &[&str]) -> bool {
        self.verbs
            .iter()
            .any(|v| v == "*" || verbs.contains(&v.as_str()))
    }

    /// Whether the rule covers `resource` (`pods/exec`) of the API group `group`.
    pub fn covers(&self, group: &str, resource: &str) -> bool {
        let group_ok = self.api_groups.iter().any(|g| g == "*" || g == group);
        let resource_ok = self.resources.iter().any(|r| {
            r == "*"
                || r == resource
                || r.strip_suffix("/*")
                    .is_some_and(|base| resource.split('/').next() == Some(base))
        });
        group_ok && resource_ok
    }

    pub fn verbs_text(&self) -> String {
        self.verbs.join(", ")
    }
}

/// The rules of a Role or ClusterRole (`None` for other objects).
pub fn policy_rules(cx: &Context) -> Option<Vec<PolicyRule>> {
    let o = cx.object;
    if !matches!(o.kind(), "Role" | "ClusterRole") || o.group_version()?.0 != GROUP {
        return None;
    }
    let strings = |v: Option<JsonRef>| -> Vec<String> {
        items_of(v)
            .filter_map(JsonView::as_str)
            .map(str::to_string)
            .collect()
    };
    let rules = o.view("/rules").and_then(JsonView::items)?;
    Some(
        rules
            .enumerate()
            .filter(|(_, r)| r.is_map())
            .map(|(i, r)| PolicyRule {
                pointer: pointer::push_index("/rules", i),
                verbs: strings(r.get("verbs")),
                api_groups: strings(r.get("apiGroups")),
                resources: strings(r.get("resources")),
            })
            .collect(),
    )
}
