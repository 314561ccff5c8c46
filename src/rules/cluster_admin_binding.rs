//! `cluster-admin-binding`: a RoleBinding or ClusterRoleBinding grants the `cluster-admin`
//! ClusterRole to subjects other than the `system:` users and groups Kubernetes itself binds
//! it to (`system:masters`).

use super::rbac_rules::GROUP;
use super::{Context, Finding, Rule};
use serde_json::Value;

declare_rule! {
    pub struct ClusterAdminBinding {
        id: "cluster-admin-binding",
        severity: Warning,
        category: Security,
        inspects: Kinds((GROUP, "RoleBinding"), (GROUP, "ClusterRoleBinding")),
    }
}

impl Rule for ClusterAdminBinding {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        if o.group_version().map(|g| g.0) != Some(GROUP) {
            return;
        }
        let text = |p: &str| o.at(p).and_then(Value::as_str);
        if text("/roleRef/kind") != Some("ClusterRole") || text("/roleRef/name") != Some("cluster-admin") {
            return;
        }
        let subjects: Vec<String> = o
            .at("/subjects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let kind = s.get("kind")?.as_str()?;
                let name = s.get("name")?.as_str()?;
                if matches!(kind, "User" | "Group") && name.starts_with("system:") {
                    return None;
                }
                Some(match (kind, s.get("namespace").and_then(Value::as_str)) {
                    ("ServiceAccount", Some(ns)) => format!("ServiceAccount `{ns}/{name}`"),
                    _ => format!("{kind} `{name}`"),
                })
            })
            .collect();
        if subjects.is_empty() {
            return;
        }
        let scope = if o.kind() == "ClusterRoleBinding" {
            "full control of the whole cluster"
        } else {
            "full control of the namespace, Roles and RoleBindings included"
        };
        out.push(
            Finding::new(
                ClusterAdminBinding::ID,
                "/roleRef/name",
                format!("{} binds `cluster-admin` to {}: {scope}", o.kind(), subjects.join(", ")),
            )
            .label("cluster-admin")
            .help("bind a Role or ClusterRole that lists only the resources and verbs these subjects need"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn system_subjects_are_kubernetes_own() {
        let head = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n";
        let f = findings(&ClusterAdminBinding, &format!("{head}subjects:\n- {{kind: ServiceAccount, name: ci, namespace: tools}}\n"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/roleRef/name");
        assert!(f[0].message.contains("ServiceAccount `tools/ci`"));
        let f = findings(&ClusterAdminBinding, &format!("{head}subjects:\n- {{kind: Group, name: 'system:masters', apiGroup: rbac.authorization.k8s.io}}\n"));
        assert!(f.is_empty());
    }
}
