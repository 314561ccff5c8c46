//! `deprecated-service-account-field`: a pod spec sets `serviceAccount`, the deprecated alias
//! of `serviceAccountName`. The API server copies it into `serviceAccountName` only when that
//! is empty; when both are set, `serviceAccountName` wins and `serviceAccount` is ignored.
//! Fixable when `serviceAccountName` is absent: the key is renamed.

use super::{Context, Finding, FixPlan, Rule, Target};

declare_rule! {
    pub struct DeprecatedServiceAccountField {
        id: "deprecated-service-account-field",
        severity: Warning,
        category: Security,
        fixable: true,
        inspects: Pods,
    }
}

impl Rule for DeprecatedServiceAccountField {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let Some(old) = pod.spec.service_account.as_deref() else {
            return;
        };
        let name = pod.spec.service_account_name.as_deref().filter(|n| !n.is_empty());
        let (message, help) = match name {
            None => (
                "`serviceAccount` is the deprecated alias of `serviceAccountName`".to_string(),
                format!("rename the key to `serviceAccountName: {old}`"),
            ),
            Some(n) if n == old => (
                "`serviceAccount` is the deprecated alias of `serviceAccountName`, which is also set".to_string(),
                "remove `serviceAccount`".to_string(),
            ),
            Some(n) => (
                format!("`serviceAccount: {old}` is the deprecated alias of `serviceAccountName` and is ignored: the pod runs as `{n}`"),
                "remove `serviceAccount`, and set `serviceAccountName` to the account the pod should run as".to_string(),
            ),
        };
        let mut f = Finding::new(DeprecatedServiceAccountField::ID, pod.field("serviceAccount"), message)
            .at(Target::Key)
            .label("deprecated field")
            .help(help);
        if name.is_some_and(|n| n != old) {
            f = f.severity(super::Severity::Error).related(
                pod.field("serviceAccountName"),
                Target::Value,
                "the account the pod runs as",
            );
        }
        if name.is_none() {
            f = f.fix(
                "rename `serviceAccount` to `serviceAccountName`",
                FixPlan::RenameKey {
                    key: pod.field("serviceAccount"),
                    to: "serviceAccountName".to_string(),
                },
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn alias_alone_or_beside_the_name() {
        let head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x:1}]\n";
        let f = findings(&DeprecatedServiceAccountField, &format!("{head}  serviceAccount: app\n"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/spec/serviceAccount");
        assert_eq!(f[0].severity, None);
        assert!(f[0].fix.is_some());
        let f = findings(
            &DeprecatedServiceAccountField,
            &format!("{head}  serviceAccount: app\n  serviceAccountName: web\n"),
        );
        assert_eq!(f[0].severity, Some(crate::rules::Severity::Error));
        assert!(f[0].message.contains("runs as `web`"));
        assert!(f[0].fix.is_none());
        assert!(findings(&DeprecatedServiceAccountField, &format!("{head}  serviceAccountName: web\n")).is_empty());
    }
}
