//! The Services of the checked set and the pods they select: a fact for
//! `missing-readiness-probe`. Readiness decides only whether a Service routes traffic to a
//! pod, so the rule asks for a readiness probe where traffic can arrive: a container that
//! declares ports, or any container of a pod some Service selects. Rules read the fact with
//! `cx.project.fact::<ServiceSelectors>()`; without a Service in the checked set there is no
//! fact and no pod is selected.
//!
//! A Service selects a pod when every pair of its `selector` is among the pod's labels and
//! they are in the same namespace. A namespace left unwritten (set at deployment, by
//! `kubectl -n` or a kustomization) matches any: the two usually ship together.

use super::project::{ObjectAt, ProjectOut, ProjectPass, Summary};
use super::RuleId;
use crate::model::selector::map_matches;
use crate::model::{Object, PodView};
use serde_json::Value;
use std::any::Any;
use std::collections::{BTreeMap, HashMap};

/// A Service's selector and namespace.
#[derive(Debug, Clone)]
struct Selecting {
    namespace: Option<String>,
    selector: BTreeMap<String, String>,
}

/// The selectors of every Service in the checked set that has one, indexed by the first pair
/// of each selector (a pod is compared only with the Services that can select it).
#[derive(Debug, Default)]
pub struct ServiceSelectors {
    by_first_pair: HashMap<(String, String), Vec<Selecting>>,
}

impl ServiceSelectors {
    fn new(services: Vec<Selecting>) -> ServiceSelectors {
        let mut by_first_pair: HashMap<(String, String), Vec<Selecting>> = HashMap::new();
        for s in services {
            if let Some((k, v)) = s.selector.iter().next() {
                by_first_pair
                    .entry((k.clone(), v.clone()))
                    .or_default()
                    .push(s);
            }
        }
        ServiceSelectors { by_first_pair }
    }

    /// Whether some Service selects a pod with these labels in this namespace.
    pub fn selects(&self, namespace: Option<&str>, labels: &BTreeMap<String, String>) -> bool {
        labels.iter().any(|(k, v)| {
            let Some(candidates) = self.by_first_pair.get(&(k.clone(), v.clone())) else {
                return false;
            };
            candidates.iter().any(|s| {
                let same_namespace = match (s.namespace.as_deref(), namespace) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                same_namespace && map_matches(&s.selector, labels)
            })
        })
    }
}

/// The fact pass that gathers [`ServiceSelectors`].
pub struct ServicesSelectingPods;

impl ProjectPass for ServicesSelectingPods {
    fn serves(&self) -> &'static [RuleId] {
        &[RuleId::MissingReadinessProbe]
    }

    /// `kind: Service` as YAML or JSON writes it, so that a ServiceAccount, a ServiceMonitor
    /// or an `automountServiceAccountToken` does not make a document worth reading.
    fn triggers(&self) -> &'static [&'static str] {
        &[
            "kind: Service\n",
            "kind: Service\r",
            "kind: Service ",
            "kind: Service,",
            "kind: Service}",
            "kind: \"Service\"",
            "kind: 'Service'",
            "\"kind\": \"Service\"",
            "\"kind\":\"Service\"",
        ]
    }

    fn reads_only_triggering_documents(&self) -> bool {
        true
    }

    fn summarize(&self, _: &ObjectAt, object: &Object, _: Option<&PodView>) -> Option<Summary> {
        if object.kind() != "Service" || object.group_version().map(|(g, _)| g) != Some("") {
            return None;
        }
        // A Service without a selector (external endpoints, ExternalName) selects no pod.
        let selector: BTreeMap<String, String> = object
            .at("/spec/selector")
            .and_then(Value::as_object)?
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        if selector.is_empty() {
            return None;
        }
        Some(Box::new(Selecting {
            namespace: object.namespace.clone(),
            selector,
        }))
    }

    fn finish(&self, summaries: &[&(dyn Any + Send + Sync)], out: &mut ProjectOut) {
        let services = summaries
            .iter()
            .filter_map(|s| s.downcast_ref::<Selecting>().cloned())
            .collect();
        out.set_fact(ServiceSelectors::new(services));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_service_selects_pods_with_its_labels_in_its_namespace() {
        let fact = ServiceSelectors::new(vec![
            Selecting {
                namespace: Some("shop".into()),
                selector: labels(&[("app", "web")]),
            },
            Selecting {
                namespace: None,
                selector: labels(&[("app", "api"), ("tier", "back")]),
            },
        ]);
        assert!(fact.selects(Some("x"), &labels(&[("tier", "back"), ("app", "api")])));
        assert!(!fact.selects(Some("x"), &labels(&[("tier", "back")])));
        let web = labels(&[("app", "web"), ("tier", "front")]);
        assert!(fact.selects(Some("shop"), &web));
        assert!(fact.selects(None, &web));
        assert!(!fact.selects(Some("other"), &web));
        assert!(!fact.selects(Some("shop"), &labels(&[("app", "worker")])));
        assert!(!fact.selects(Some("shop"), &labels(&[])));
        assert!(!ServiceSelectors::default().selects(None, &web));
    }
}
