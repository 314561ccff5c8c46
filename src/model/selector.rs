//! Label selector semantics, as the API server evaluates them: `matchLabels` (every pair must
//! be present) and `matchExpressions` with `In`, `NotIn`, `Exists` and `DoesNotExist`; and the
//! plain map selectors of ReplicationControllers and Services.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// Whether a label selector selects a set of labels. An empty selector selects everything;
/// an unknown operator selects nothing.
pub fn matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let pairs = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    pairs
        && selector.match_expressions.iter().flatten().all(|e| {
            let value = labels.get(&e.key);
            let values = e.values.as_deref().unwrap_or_default();
            match e.operator.as_str() {
                "In" => value.is_some_and(|v| values.contains(v)),
                "NotIn" => value.is_none_or(|v| !values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

/// The operators the API server accepts in `matchExpressions`.
pub const OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];

/// Whether every operator of a selector is one the API server knows, so that what it selects
/// can be told (`in` is not `In`: schema validation reports it).
pub fn is_evaluable(selector: &LabelSelector) -> bool {
    selector
        .match_expressions
        .iter()
        .flatten()
        .all(|e| OPERATORS.contains(&e.operator.as_str()))
}

/// Whether a selector has no requirement at all.
pub fn is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty())
}

/// Whether a map selector (`key: value` pairs) selects a set of labels.
pub fn map_matches(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    #[test]
    fn operators() {
        let l = labels(&[("app", "web"), ("tier", "fe")]);
        let sel = |e: Vec<LabelSelectorRequirement>| LabelSelector {
            match_expressions: Some(e),
            ..Default::default()
        };
        assert!(matches(&sel(vec![expr("app", "In", &["web", "api"])]), &l));
        assert!(!matches(&sel(vec![expr("app", "In", &["api"])]), &l));
        assert!(matches(&sel(vec![expr("app", "NotIn", &["api"])]), &l));
        assert!(matches(&sel(vec![expr("zone", "NotIn", &["a"])]), &l));
        assert!(!matches(&sel(vec![expr("tier", "NotIn", &["fe"])]), &l));
        assert!(matches(&sel(vec![expr("tier", "Exists", &[])]), &l));
        assert!(!matches(&sel(vec![expr("tier", "DoesNotExist", &[])]), &l));
        assert!(!matches(&sel(vec![expr("tier", "Bogus", &[])]), &l));
        assert!(!is_evaluable(&sel(vec![expr("tier", "in", &["fe"])])));
        assert!(is_evaluable(&sel(vec![expr("tier", "In", &["fe"])])));
        let ml = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            ..Default::default()
        };
        assert!(matches(&ml, &l));
        assert!(!matches(&ml, &labels(&[("app", "api")])));
        assert!(matches(&LabelSelector::default(), &l));
        assert!(map_matches(&labels(&[("app", "web")]), &l));
        assert!(!map_matches(&labels(&[("app", "x")]), &l));
    }
}
