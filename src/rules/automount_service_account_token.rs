//! `automount-service-account-token` (opt-in): a pod does not set
//! `automountServiceAccountToken: false`, so a token of its ServiceAccount is mounted into
//! every container. Checked per pod: a ServiceAccount's own setting is not consulted.

use super::{Context, Finding, Rule, Target};

declare_rule! {
    pub struct AutomountServiceAccountToken {
        id: "automount-service-account-token",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for AutomountServiceAccountToken {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let (ptr, target, message) = match pod.spec.automount_service_account_token {
            Some(false) => return,
            Some(true) => (
                pod.field("automountServiceAccountToken"),
                Target::Value,
                "`automountServiceAccountToken: true` mounts an API token into every container of the pod",
            ),
            None => (
                pod.pointer.clone(),
                Target::Key,
                "the pod does not set `automountServiceAccountToken: false`, so an API token is mounted into every container",
            ),
        };
        out.push(
            Finding::new(AutomountServiceAccountToken::ID, ptr, message)
                .at(target)
                .label("API token mounted")
                .help("set `automountServiceAccountToken: false` in the pod spec unless the program calls the Kubernetes API; a compromised container otherwise acts with the ServiceAccount's permissions"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn only_false_is_quiet() {
        let head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x:1}]\n";
        assert_eq!(findings(&AutomountServiceAccountToken, head)[0].pointer, "/spec");
        let f = findings(&AutomountServiceAccountToken, &format!("{head}  automountServiceAccountToken: true\n"));
        assert_eq!(f[0].pointer, "/spec/automountServiceAccountToken");
        assert!(findings(&AutomountServiceAccountToken, &format!("{head}  automountServiceAccountToken: false\n")).is_empty());
    }
}
