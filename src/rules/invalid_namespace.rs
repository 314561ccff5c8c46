//! `invalid-namespace`: `metadata.namespace` is not a DNS label (an error), or is set on a
//! cluster-scoped kind, where the API server drops it (a warning).

use super::api_objects::ApiObject;
use super::{Context, Finding, Rule, Severity};
use crate::k8s::names;
use crate::pointer::AtPointer;

declare_rule! {
    pub struct InvalidNamespace {
        id: "invalid-namespace",
        severity: Error,
        category: Correctness,
        inspects: Objects,
    }
}

const AT: &str = "/metadata/namespace";

impl Rule for InvalidNamespace {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(api) = ApiObject::of(cx.object) else {
            return;
        };
        // Empty means unset; a value that is not a string is the schema's.
        let Some(ns) = cx.object.str_at(AT).filter(|s| !s.is_empty()) else {
            return;
        };
        let kind = api.kind;
        if api.cluster_scoped() == Some(true) {
            // The API server clears the namespace of cluster-scoped objects before it
            // validates them, so the value is never checked either.
            out.push(
                Finding::new(
                    InvalidNamespace::ID,
                    AT,
                    format!("{kind} is cluster-scoped: the namespace `{ns}` is ignored"),
                )
                .severity(Severity::Warning)
                .label("ignored")
                .help(format!(
                    "remove `namespace`: a {kind} belongs to no namespace, and tools that compare the manifest with the cluster (diffs, pruning, GitOps) may see it as out of sync"
                )),
            );
            return;
        }
        let msgs = names::is_dns1123_label(ns);
        if msgs.is_empty() {
            return;
        }
        let suggestion = super::api_objects::NameRule::Label
            .suggest(ns)
            .filter(|s| s.len() < ns.len())
            .map(|s| format!(", such as `{s}`"))
            .unwrap_or_default();
        out.push(
            Finding::new(
                InvalidNamespace::ID,
                AT,
                format!(
                    "the API server rejects the namespace {}: {}",
                    super::api_objects::shown(ns),
                    msgs.join("; ")
                ),
            )
            .label("invalid namespace")
            .help(format!(
                "use the name of a Namespace: {}{suggestion}",
                super::api_objects::NameRule::Label.describe()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn namespaces() {
        let check = |text: &str| {
            findings(&InvalidNamespace, text)
                .into_iter()
                .map(|f| f.severity)
                .collect::<Vec<_>>()
        };
        let ns = |kind: &str, ns: &str| {
            check(&format!(
                "apiVersion: v1\nkind: {kind}\nmetadata: {{name: x, namespace: '{ns}'}}\n"
            ))
        };
        assert!(ns("ConfigMap", "team-a").is_empty());
        assert!(ns("ConfigMap", "").is_empty());
        assert!(ns("ConfigMap", &"a".repeat(63)).is_empty());
        assert_eq!(ns("ConfigMap", &"a".repeat(64)), [None]);
        assert_eq!(ns("ConfigMap", "Team"), [None]);
        assert_eq!(ns("ConfigMap", "team.a"), [None]);
        assert_eq!(ns("Namespace", "default"), [Some(Severity::Warning)]);
        assert_eq!(ns("Namespace", "Bad Name"), [Some(Severity::Warning)]);
        assert_eq!(
            check("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x, namespace: A}\n"),
            [None]
        );
        assert!(check("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmetadata: {namespace: A}\n").is_empty());
    }
}
