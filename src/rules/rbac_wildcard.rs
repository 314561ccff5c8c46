//! `rbac-wildcard`: a Role or ClusterRole rule that grants every verb (`*`) on every resource
//! (`*`) of every API group or of the core group (Secrets, Pods, ServiceAccounts): within its
//! scope that is what `cluster-admin` grants. A wildcard over one other named group is left alone.

use super::rbac_rules::{policy_rules, GROUP};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RbacWildcard {
        id: "rbac-wildcard",
        severity: Warning,
        category: Security,
        inspects: Kinds((GROUP, "Role"), (GROUP, "ClusterRole")),
    }
}

impl Rule for RbacWildcard {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(rules) = policy_rules(cx) else { return };
        for r in rules {
            if !(r.verbs.iter().any(|v| v == "*") && r.resources.iter().any(|v| v == "*")) {
                continue;
            }
            // `*` on `*` of one named group (`metrics.k8s.io`) is that group's API only; the
            // core group holds Secrets, Pods and ServiceAccounts.
            if !r.api_groups.iter().any(|g| g == "*" || g.is_empty()) {
                continue;
            }
            let groups = if r.api_groups.iter().any(|g| g == "*") {
                "of every API group".to_string()
            } else {
                let g: Vec<String> = r
                    .api_groups
                    .iter()
                    .map(|g| if g.is_empty() { "core".to_string() } else { format!("`{g}`") })
                    .collect();
                format!("of the API group{} {}", if g.len() == 1 { "" } else { "s" }, g.join(", "))
            };
            let scope = if cx.object.kind() == "ClusterRole" {
                "in every namespace it is bound in, or the whole cluster"
            } else {
                "in its namespace"
            };
            out.push(
                Finding::new(
                    RbacWildcard::ID,
                    r.pointer.clone(),
                    format!("this rule grants every verb on every resource {groups}: {scope}, that is administrator access, including reading every Secret and granting itself more"),
                )
                .label("`*` verbs on `*` resources")
                .help("list the resources and verbs the subject needs (for example `resources: [\"configmaps\"]`, `verbs: [\"get\", \"list\", \"watch\"]`)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn both_wildcards_are_needed() {
        let f = findings(
            &RbacWildcard,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- {apiGroups: [''], resources: ['*'], verbs: [get]}\n- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n- {apiGroups: [apps], resources: [deployments], verbs: ['*']}\n- {apiGroups: [metrics.k8s.io], resources: ['*'], verbs: ['*']}\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/rules/1");
    }
}
