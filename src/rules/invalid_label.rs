//! `invalid-label`: label keys and values, selector keys and values, topology keys and
//! annotation keys the API server refuses (apimachinery `ValidateLabels`,
//! `ValidateLabelSelector`, `ValidateAnnotations`; core `ValidatePodSpec`, `ValidateService`).

use super::api_objects::{pod_pointers, shown, ApiObject, Class};
use super::{Context, Finding, Rule, Target};
use crate::k8s::names;
use crate::pointer::{self, Below};
use crate::model::view::items_of;
use crate::model::{JsonRef, JsonView};

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
        let o = cx.object;
        let mut c = Checker { out };
        let top = Below::At("");
        let metadata = top.key("metadata");
        c.metadata(o.view("/metadata"), &metadata);
        if api.class != Class::Builtin {
            return;
        }
        if let Some((meta, spec)) = pod_pointers(cx.object) {
            if meta != "/metadata" {
                c.metadata(cx.object.view(meta), &Below::At(meta));
            }
            c.pod_spec(|k| o.view(&pointer::push(spec, k)), &Below::At(spec));
        }
        let spec = top.key("spec");
        // Parts of the spec, read one by one (a pod template is large).
        let spec_value = |k: &str| o.view(&pointer::push("/spec", k));
        match (api.canonical_group(), api.kind) {
            ("apps", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet")
            | ("batch", "Job")
            | ("policy", "PodDisruptionBudget") => {
                c.selector(spec_value("selector"), &spec.key("selector"))
            }
            ("batch", "CronJob") => {
                let job = spec.key("jobTemplate");
                c.metadata(
                    o.view("/spec/jobTemplate/metadata"),
                    &job.key("metadata"),
                );
                let job_spec = job.key("spec");
                c.selector(
                    o.view("/spec/jobTemplate/spec/selector"),
                    &job_spec.key("selector"),
                );
            }
            ("", "Service") => c.labels(
                spec_value("selector"),
                &spec.key("selector"),
                "selector",
            ),
            ("rbac.authorization.k8s.io", "ClusterRole") => {
                let rule = top.key("aggregationRule");
                let selectors = rule.key("clusterRoleSelectors");
                let list = items_of(o.view("/aggregationRule/clusterRoleSelectors"));
                for (i, s) in list.enumerate() {
                    c.selector(Some(s), &selectors.index(i));
                }
            }
            ("networking.k8s.io", "NetworkPolicy") => {
                c.selector(spec_value("podSelector"), &spec.key("podSelector"));
                for (rules, peers) in [("ingress", "from"), ("egress", "to")] {
                    let rules_at = spec.key(rules);
                    for (i, rule) in items_of(spec_value(rules)).enumerate() {
                        let rule_at = rules_at.index(i);
                        let peers_at = rule_at.key(peers);
                        for (j, peer) in items_of(rule.get(peers)).enumerate() {
                            let peer_at = peers_at.index(j);
                            for selector in ["podSelector", "namespaceSelector"] {
                                c.selector(peer.get(selector), &peer_at.key(selector));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The value at `key` of a value, if both are there.
fn get<'v>(value: Option<JsonRef<'v>>, key: &str) -> Option<JsonRef<'v>> {
    value?.get(key)
}


/// Walks the values that hold labels, each with its pointer (written only for a finding).
struct Checker<'a> {
    out: &'a mut Vec<Finding>,
}

impl Checker<'_> {
    /// Labels and annotation keys of the metadata `meta` at `p`.
    fn metadata(&mut self, meta: Option<JsonRef<'_>>, p: &Below) {
        self.labels(get(meta, "labels"), &p.key("labels"), "label");
        let Some(annotations) = get(meta, "annotations").and_then(JsonView::entries) else {
            return;
        };
        let at = p.key("annotations");
        let bad: Vec<(&str, Vec<String>)> = annotations
            .map(|(k, _)| k)
            .filter_map(|k| {
                // Case does not matter in annotation keys: the API server lower-cases them first.
                let msgs = if k.is_ascii() && !k.bytes().any(|b| b.is_ascii_uppercase()) {
                    names::is_qualified_name(k)
                } else {
                    names::is_qualified_name(&k.to_lowercase())
                };
                (!msgs.is_empty()).then_some((k, msgs))
            })
            .collect();
        for (k, msgs) in bad {
            self.out.push(
                Finding::new(
                    InvalidLabel::ID,
                    at.key(k).build(),
                    format!(
                        "the API server rejects the annotation key {}: {}",
                        shown(k),
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
    fn labels(&mut self, map: Option<JsonRef<'_>>, p: &Below, what: &str) {
        let Some(map) = map.and_then(JsonView::entries) else {
            return;
        };
        let mut found = Vec::new();
        for (k, v) in map {
            let valid = names::is_qualified_name(k).is_empty()
                && v.as_str().is_none_or(|v| names::is_label_value(v).is_empty());
            if valid {
                continue;
            }
            let at = p.key(k).build();
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

    /// A label key held as a value (`matchExpressions[].key`, `topologyKey`) at `at`.
    fn key_value(&mut self, key: Option<JsonRef<'_>>, at: &Below, what: &str) {
        let Some(key) = key.and_then(JsonView::as_str) else {
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
                at.build(),
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

    /// `matchExpressions` of a label or node selector at `p`: keys, and the values of
    /// operators that take values (when `values` are checked: not in preferred node
    /// affinity).
    fn expressions(&mut self, list: Option<JsonRef<'_>>, p: &Below, check_values: bool) {
        for (i, e) in items_of(list).enumerate() {
            let e_at = p.index(i);
            self.key_value(e.get("key"), &e_at.key("key"), "selector key");
            let op = e.get("operator").and_then(JsonView::as_str);
            // With `Exists` or `DoesNotExist`, values are wrong as such.
            if !check_values || matches!(op, Some("Exists" | "DoesNotExist")) {
                continue;
            }
            let values = e_at.key("values");
            let mut found = Vec::new();
            for (j, v) in items_of(e.get("values")).enumerate() {
                if let Some(s) = v.as_str() {
                    found.extend(self.value(&values.index(j).build(), s, "selector"));
                }
            }
            self.out.extend(found);
        }
    }

    /// A `LabelSelector` at `p`.
    fn selector(&mut self, selector: Option<JsonRef<'_>>, p: &Below) {
        if !selector.is_some_and(JsonView::is_map) {
            return;
        }
        self.labels(get(selector, "matchLabels"), &p.key("matchLabels"), "selector");
        self.expressions(
            get(selector, "matchExpressions"),
            &p.key("matchExpressions"),
            true,
        );
    }

    /// A pod (anti-)affinity term at `at`: its selectors and topology key.
    fn affinity_term(&mut self, term: Option<JsonRef<'_>>, at: &Below) {
        for selector in ["labelSelector", "namespaceSelector"] {
            self.selector(get(term, selector), &at.key(selector));
        }
        self.key_value(get(term, "topologyKey"), &at.key("topologyKey"), "topology key");
    }

    /// Label syntax in a pod spec: node selector, affinity and topology spread.
    /// The pod spec at `p`, whose fields `spec` reads.
    fn pod_spec<'v>(&mut self, spec: impl Fn(&str) -> Option<JsonRef<'v>>, p: &Below) {
        self.labels(
            spec("nodeSelector"),
            &p.key("nodeSelector"),
            "node selector",
        );
        let affinity_at = p.key("affinity");
        let affinity = spec("affinity");
        let node_at = affinity_at.key("nodeAffinity");
        let node = get(affinity, "nodeAffinity");
        const REQUIRED: &str = "requiredDuringSchedulingIgnoredDuringExecution";
        const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";
        let required_at = node_at.key(REQUIRED);
        let terms_at = required_at.key("nodeSelectorTerms");
        for (i, term) in items_of(get(get(node, REQUIRED), "nodeSelectorTerms"))
            .enumerate()
        {
            let term_at = terms_at.index(i);
            self.expressions(
                term.get("matchExpressions"),
                &term_at.key("matchExpressions"),
                true,
            );
        }
        // Preferred terms may hold any value: they can succeed on a one-node cluster.
        let preferred_at = node_at.key(PREFERRED);
        for (i, term) in items_of(get(node, PREFERRED)).enumerate() {
            let term_at = preferred_at.index(i);
            let preference = term_at.key("preference");
            self.expressions(
                get(term.get("preference"), "matchExpressions"),
                &preference.key("matchExpressions"),
                false,
            );
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            let at = affinity_at.key(kind);
            let pod = get(affinity, kind);
            let required_at = at.key(REQUIRED);
            for (i, term) in items_of(get(pod, REQUIRED)).enumerate() {
                self.affinity_term(Some(term), &required_at.index(i));
            }
            let preferred_at = at.key(PREFERRED);
            for (i, weighted) in items_of(get(pod, PREFERRED)).enumerate() {
                let item_at = preferred_at.index(i);
                self.affinity_term(
                    weighted.get("podAffinityTerm"),
                    &item_at.key("podAffinityTerm"),
                );
            }
        }
        let spread_at = p.key("topologySpreadConstraints");
        for (i, c) in items_of(spec("topologySpreadConstraints")).enumerate() {
            let c_at = spread_at.index(i);
            self.selector(c.get("labelSelector"), &c_at.key("labelSelector"));
            self.key_value(c.get("topologyKey"), &c_at.key("topologyKey"), "topology key");
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
                "/metadata/labels/owner",
                "/metadata/labels/a~1b~1c",
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
