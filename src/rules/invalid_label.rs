//! `invalid-label`: label keys and values, selector keys and values, topology keys and
//! annotation keys the API server refuses (apimachinery `ValidateLabels`,
//! `ValidateLabelSelector`, `ValidateAnnotations`; core `ValidatePodSpec`, `ValidateService`).

use super::api_objects::{pod_pointers, shown, ApiObject, Class};
use super::{Context, Finding, Rule, Target};
use crate::k8s::names;
use crate::pointer;
use serde_json::Value;

declare_rule! {
    pub struct InvalidLabel {
        id: "invalid-label",
        severity: Error,
        category: Correctness,
        inspects: Objects,
    }
}

const KEY_HELP: &str = "a key is a name of at most 63 letters, digits, `-`, `_` and `.` that begins and ends with a letter or digit, optionally after a DNS subdomain prefix and `/` (`app.kubernetes.io/name`)";
const VALUE_HELP: &str = "a label value is empty or at most 63 letters, digits, `-`, `_` and `.`, beginning and ending with a letter or digit; keep free text (URLs, e-mail addresses, versions with `+`) in an annotation";

impl Rule for InvalidLabel {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(api) = ApiObject::of(cx.object) else {
            return;
        };
        let c = Checker { cx, out };
        let mut c = c;
        c.metadata("/metadata");
        if api.class != Class::Builtin {
            return;
        }
        if let Some((meta, spec)) = pod_pointers(cx.object) {
            if meta != "/metadata" {
                c.metadata(meta);
            }
            c.pod_spec(spec);
        }
        match (api.canonical_group(), api.kind) {
            ("apps", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet")
            | ("batch", "Job")
            | ("policy", "PodDisruptionBudget") => c.selector("/spec/selector"),
            ("batch", "CronJob") => {
                c.metadata("/spec/jobTemplate/metadata");
                c.selector("/spec/jobTemplate/spec/selector");
            }
            ("", "Service") => c.labels("/spec/selector", "selector"),
            ("rbac.authorization.k8s.io", "ClusterRole") => {
                for s in c.items("/aggregationRule/clusterRoleSelectors") {
                    c.selector(&s);
                }
            }
            ("networking.k8s.io", "NetworkPolicy") => {
                c.selector("/spec/podSelector");
                for (rules, peers) in [("ingress", "from"), ("egress", "to")] {
                    for rule in c.items(&pointer::push("/spec", rules)) {
                        for peer in c.items(&pointer::push(&rule, peers)) {
                            c.selector(&pointer::push(&peer, "podSelector"));
                            c.selector(&pointer::push(&peer, "namespaceSelector"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

struct Checker<'a, 'c> {
    cx: &'a Context<'c>,
    out: &'a mut Vec<Finding>,
}

impl Checker<'_, '_> {
    fn at(&self, p: &str) -> Option<&Value> {
        self.cx.object.at(p)
    }

    /// Pointers of the elements of the list at `p` (none when it is not a list).
    fn items(&self, p: &str) -> Vec<String> {
        let n = self.at(p).and_then(Value::as_array).map_or(0, Vec::len);
        (0..n).map(|i| pointer::push_index(p, i)).collect()
    }

    /// Labels and annotation keys of the metadata at `p`.
    fn metadata(&mut self, p: &str) {
        self.labels(&pointer::push(p, "labels"), "label");
        let at = pointer::push(p, "annotations");
        let Some(annotations) = self.at(&at).and_then(Value::as_object) else {
            return;
        };
        let bad: Vec<(String, Vec<String>)> = annotations
            .keys()
            .filter_map(|k| {
                // Case does not matter in annotation keys: the API server lower-cases them first.
                let msgs = if k.is_ascii() && !k.bytes().any(|b| b.is_ascii_uppercase()) {
                    names::is_qualified_name(k)
                } else {
                    names::is_qualified_name(&k.to_lowercase())
                };
                (!msgs.is_empty()).then(|| (k.clone(), msgs))
            })
            .collect();
        for (k, msgs) in bad {
            self.out.push(
                Finding::new(
                    InvalidLabel::ID,
                    pointer::push(&at, &k),
                    format!(
                        "the API server rejects the annotation key {}: {}",
                        shown(&k),
                        msgs.join("; ")
                    ),
                )
                .at(Target::Key)
                .label("invalid annotation key")
                .help(format!("rename the annotation: {KEY_HELP}")),
            );
        }
    }

    /// A map of labels (`what`: "label", "selector", "node selector") at `p`.
    fn labels(&mut self, p: &str, what: &str) {
        let Some(map) = self.at(p).and_then(Value::as_object) else {
            return;
        };
        let mut found = Vec::new();
        for (k, v) in map {
            let valid = names::is_qualified_name(k).is_empty()
                && v.as_str().is_none_or(|v| names::is_label_value(v).is_empty());
            if valid {
                continue;
            }
            let at = pointer::push(p, k);
            found.extend(self.key(&at, k, what));
            // A value that is not a string is the schema's.
            if let Some(v) = v.as_str() {
                found.extend(self.value(&at, v, what));
            }
        }
        self.out.extend(found);
    }

    fn key(&self, at: &str, key: &str, what: &str) -> Option<Finding> {
        let msgs = names::is_qualified_name(key);
        (!msgs.is_empty()).then(|| {
            Finding::new(
                InvalidLabel::ID,
                at,
                format!(
                    "the API server rejects the {what} key {}: {}",
                    shown(key),
                    msgs.join("; ")
                ),
            )
            .at(Target::Key)
            .label(format!("invalid {what} key"))
            .help(format!("rename the key: {KEY_HELP}"))
        })
    }

    fn value(&self, at: &str, value: &str, what: &str) -> Option<Finding> {
        let msgs = names::is_label_value(value);
        (!msgs.is_empty()).then(|| {
            Finding::new(
                InvalidLabel::ID,
                at,
                format!(
                    "the API server rejects the {what} value {}: {}",
                    shown(value),
                    msgs.join("; ")
                ),
            )
            .label(format!("invalid {what} value"))
            .help(VALUE_HELP)
        })
    }

    /// A label key held as a value (`matchExpressions[].key`, `topologyKey`).
    fn key_value(&mut self, at: &str, what: &str) {
        let Some(key) = self.at(at).and_then(Value::as_str) else {
            return;
        };
        let msgs = if key.is_empty() {
            vec!["Required value: can not be empty".to_string()]
        } else {
            names::is_qualified_name(key)
        };
        if msgs.is_empty() {
            return;
        }
        self.out.push(
            Finding::new(
                InvalidLabel::ID,
                at,
                format!(
                    "the API server rejects the {what} {}: {}",
                    shown(key),
                    msgs.join("; ")
                ),
            )
            .label(format!("invalid {what}"))
            .help(format!("name a label: {KEY_HELP}")),
        );
    }

    /// `matchExpressions` of a label or node selector: keys, and the values of operators
    /// that take values (when `values` are checked: not in preferred node affinity).
    fn expressions(&mut self, p: &str, check_values: bool) {
        for e in self.items(p) {
            self.key_value(&pointer::push(&e, "key"), "selector key");
            let op = self.at(&pointer::push(&e, "operator")).and_then(Value::as_str);
            // With `Exists` or `DoesNotExist`, values are wrong as such.
            if !check_values || matches!(op, Some("Exists" | "DoesNotExist")) {
                continue;
            }
            let values = pointer::push(&e, "values");
            let mut found = Vec::new();
            for v in self.items(&values) {
                if let Some(s) = self.at(&v).and_then(Value::as_str) {
                    found.extend(self.value(&v, s, "selector"));
                }
            }
            self.out.extend(found);
        }
    }

    /// A `LabelSelector` at `p`.
    fn selector(&mut self, p: &str) {
        if !self.at(p).is_some_and(Value::is_object) {
            return;
        }
        self.labels(&pointer::push(p, "matchLabels"), "selector");
        self.expressions(&pointer::push(p, "matchExpressions"), true);
    }

    /// Label syntax in a pod spec: node selector, affinity and topology spread.
    fn pod_spec(&mut self, spec: &str) {
        self.labels(&pointer::push(spec, "nodeSelector"), "node selector");
        let affinity = pointer::push(spec, "affinity");
        let node = pointer::push(&affinity, "nodeAffinity");
        let required = pointer::join(
            &node,
            &["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"],
        );
        for term in self.items(&required) {
            self.expressions(&pointer::push(&term, "matchExpressions"), true);
        }
        // Preferred terms may hold any value: they can succeed on a one-node cluster.
        let preferred = pointer::push(&node, "preferredDuringSchedulingIgnoredDuringExecution");
        for term in self.items(&preferred) {
            self.expressions(&pointer::join(&term, &["preference", "matchExpressions"]), false);
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            let at = pointer::push(&affinity, kind);
            let mut terms = self.items(&pointer::push(
                &at,
                "requiredDuringSchedulingIgnoredDuringExecution",
            ));
            terms.extend(
                self.items(&pointer::push(
                    &at,
                    "preferredDuringSchedulingIgnoredDuringExecution",
                ))
                .into_iter()
                .map(|t| pointer::push(&t, "podAffinityTerm")),
            );
            for term in terms {
                self.selector(&pointer::push(&term, "labelSelector"));
                self.selector(&pointer::push(&term, "namespaceSelector"));
                self.key_value(&pointer::push(&term, "topologyKey"), "topology key");
            }
        }
        for c in self.items(&pointer::push(spec, "topologySpreadConstraints")) {
            self.selector(&pointer::push(&c, "labelSelector"));
            self.key_value(&pointer::push(&c, "topologyKey"), "topology key");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn pointers(text: &str) -> Vec<String> {
        findings(&InvalidLabel, text)
            .into_iter()
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn metadata_labels_and_annotations() {
        let got = pointers("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    ok: fine\n    owner: me@example.com\n    'a/b/c': x\n    empty: ''\n  annotations:\n    Example.COM/Note: free text, with spaces\n    'bad key': x\n");
        assert_eq!(
            got,
            [
                "/metadata/labels/a~1b~1c",
                "/metadata/labels/owner",
                "/metadata/annotations/bad key"
            ]
        );
    }

    #[test]
    fn label_values_at_the_length_edge() {
        let label = |n: usize| {
            pointers(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {{v: {}}}\n",
                "a".repeat(n)
            ))
        };
        assert!(label(63).is_empty());
        assert_eq!(label(64), ["/metadata/labels/v"]);
        assert_eq!(label(68), ["/metadata/labels/v"]);
    }

    #[test]
    fn selectors_and_pod_spec() {
        let got = pointers(
            "apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [front, 'back end']}
    - {key: 'x y', operator: Exists}
  template:
    metadata:
      labels: {app: web, 'version': 1.2.3+build}
    spec:
      nodeSelector: {disk: 'fast ssd'}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: zone, operator: In, values: ['eu west']}]
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            preference:
              matchExpressions: [{key: zone, operator: In, values: ['any value']}]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            podAffinityTerm:
              topologyKey: ''
              labelSelector: {matchLabels: {app: 'web/x'}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: ok}}}
      containers: [{name: web, image: nginx}]
",
        );
        assert_eq!(
            got,
            [
                "/spec/template/metadata/labels/version",
                "/spec/template/spec/nodeSelector/disk",
                "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values/0",
                "/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/labelSelector/matchLabels/app",
                "/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/topologyKey",
                "/spec/selector/matchExpressions/0/values/1",
                "/spec/selector/matchExpressions/1/key",
            ]
        );
    }

    #[test]
    fn service_and_network_policy_selectors() {
        assert_eq!(
            pointers("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: 'my app'}\n"),
            ["/spec/selector/app"]
        );
        assert_eq!(
            pointers("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: 'a b'}}\n"),
            ["/spec/ingress/0/from/0/namespaceSelector/matchLabels/team"]
        );
        assert_eq!(
            pointers("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: c}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {example.com/aggregate: 'yes please'}\n"),
            ["/aggregationRule/clusterRoleSelectors/0/matchLabels/example.com~1aggregate"]
        );
        // ReplicationController selectors are not checked by the API server.
        assert!(pointers("apiVersion: v1\nkind: ReplicationController\nmetadata: {name: r}\nspec:\n  selector: {app: 'my app'}\n").is_empty());
    }
}
