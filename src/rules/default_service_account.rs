//! `default-service-account` (opt-in): a pod runs as its namespace's `default`
//! ServiceAccount (no `serviceAccountName`, or `default`). Every pod of the namespace that
//! does so shares one identity, and any permission granted to it.

use super::{Context, Finding, Rule, Target};

declare_rule! {
    pub struct DefaultServiceAccount {
        id: "default-service-account",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Pods,
        whole_object: true,
    }
}

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|n| !n.is_empty())
}

impl Rule for DefaultServiceAccount {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let (name, field) = match (set(&pod.spec.service_account_name), set(&pod.spec.service_account)) {
            (Some(n), _) => (Some(n), "serviceAccountName"),
            (None, Some(n)) => (Some(n), "serviceAccount"),
            (None, None) => (None, ""),
        };
        let (ptr, target, message) = match name {
            Some("default") => (pod.field(field), Target::Value, "the pod runs as the namespace's `default` ServiceAccount".to_string()),
            Some(_) => return,
            None => (
                pod.pointer.clone(),
                Target::Key,
                "the pod sets no `serviceAccountName`, so it runs as the namespace's `default` ServiceAccount".to_string(),
            ),
        };
        out.push(
            Finding::new(DefaultServiceAccount::ID, ptr, message)
                .at(target)
                .label("shared identity")
                .help("create a ServiceAccount for this workload and set `serviceAccountName` to it, so that its permissions are its own"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn unset_or_default() {
        let head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x:1}]\n";
        assert_eq!(findings(&DefaultServiceAccount, head)[0].pointer, "/spec");
        let f = findings(&DefaultServiceAccount, &format!("{head}  serviceAccountName: default\n"));
        assert_eq!(f[0].pointer, "/spec/serviceAccountName");
        assert!(findings(&DefaultServiceAccount, &format!("{head}  serviceAccountName: web\n")).is_empty());
    }
}
