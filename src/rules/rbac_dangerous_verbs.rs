//! `rbac-dangerous-verbs` (opt-in): a Role or ClusterRole rule that grants a permission known
//! to lead to more: `escalate`, `bind` and `impersonate`; running commands in pods
//! (`pods/exec`, `pods/attach`); the kubelet's API (`nodes/proxy`); reading Secrets; changing
//! admission webhooks; approving certificate requests. Rules granting `*` on `*` are
//! `rbac-wildcard`'s.

use super::rbac_rules::{policy_rules, PolicyRule, GROUP};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RbacDangerousVerbs {
        id: "rbac-dangerous-verbs",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Kinds((GROUP, "Role"), (GROUP, "ClusterRole")),
    }
}

/// (verbs, API group, resource, what it gives).
const GRANTS: &[(&[&str], &str, &str, &str)] = &[
    (&["get", "list", "watch"], "", "secrets", "reading Secrets"),
    (&["create", "get"], "", "pods/exec", "running commands in pods"),
    (&["create", "get"], "", "pods/attach", "attaching to pods"),
    (&["create", "get"], "", "nodes/proxy", "the kubelet's API on every node"),
    (&["create", "update", "patch"], "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "changing admission webhooks"),
    (&["create", "update", "patch", "delete"], "admissionregistration.k8s.io", "validatingwebhookconfigurations", "changing admission webhooks"),
    (&["update", "patch"], "certificates.k8s.io", "certificatesigningrequests/approval", "approving certificates"),
];

/// What a rule grants that leads to more, in words.
fn dangers(r: &PolicyRule) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (verb, what) in [
        ("escalate", "`escalate` (granting permissions it does not hold)"),
        ("bind", "`bind` (binding roles it does not hold)"),
        ("impersonate", "`impersonate` (acting as other users)"),
    ] {
        if r.verbs.iter().any(|v| v == verb) {
            out.push(what.to_string());
        }
    }
    for (verbs, group, resource, what) in GRANTS {
        if r.any_verb(verbs) && r.covers(group, resource) {
            let w = format!("{what} (`{resource}`)");
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

impl Rule for RbacDangerousVerbs {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(rules) = policy_rules(cx) else { return };
        for r in rules {
            if r.verbs.iter().any(|v| v == "*") && r.resources.iter().any(|v| v == "*") {
                continue;
            }
            let d = dangers(&r);
            if d.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    RbacDangerousVerbs::ID,
                    r.pointer.clone(),
                    format!("this rule (verbs {}) grants {}, which lets its subjects gain further access", r.verbs_text(), d.join(", ")),
                )
                .label("dangerous permission")
                .help("grant only what the subject needs: name the resources (`resourceNames`) and verbs it uses, and leave out these permissions unless it is a trusted controller (then suppress the finding with a reason)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn dangerous_grants() {
        let f = findings(
            &RbacDangerousVerbs,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- {apiGroups: [''], resources: [configmaps], verbs: [get]}\n- {apiGroups: [''], resources: [secrets], verbs: [list]}\n- {apiGroups: [''], resources: [pods/exec], verbs: [create]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind, escalate]}\n- {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n",
        );
        let ptrs: Vec<&str> = f.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/rules/1", "/rules/2", "/rules/3"]);
        assert!(f[0].message.contains("reading Secrets"));
    }
}
