//! Where the pod may run: tolerations, node and pod (anti-)affinity, and topology spread
//! constraints — operators with the wrong number of values, weights outside 1–100, empty
//! topology keys, tolerations whose key, operator, value and effect do not fit together, and
//! selectors that match nothing (a warning). Label syntax is `invalid-label`'s.
//!
//! Ported from kubernetes `ValidateTolerations`, `validateAffinity` and what it calls
//! (`ValidateNodeSelector`, `ValidateNodeSelectorRequirement`,
//! `ValidateNodeFieldSelectorRequirement`, `ValidatePreferredSchedulingTerms`,
//! `validatePodAffinityTerm`, `validateWeightedPodAffinityTerms`) and
//! `validateTopologySpreadConstraints` (pkg/apis/core/validation), apimachinery's
//! `ValidateLabelSelectorRequirement`, and the null-selector warnings of `GetWarningsForPod`.

use super::InvalidPodSpec;
use crate::k8s::names::{is_dns1123_label, is_dns1123_subdomain, is_label_value, is_qualified_name};
use crate::model::PodView;
use crate::pointer::push;
use crate::rules::written;
use crate::rules::{Context, Finding, Severity, Target};
use k8s_openapi::api::core::v1::{NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::HashMap;

pub(super) fn check(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    tolerations(pod, out);
    affinity(cx, pod, out);
    spread(cx, pod, out);
}

fn tolerations(pod: &PodView, out: &mut Vec<Finding>) {
    for (i, t) in pod.spec.tolerations.iter().flatten().enumerate() {
        let at = pod.item(&pod.field("tolerations"), i);
        let key = t.key.as_deref().unwrap_or("");
        let op = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let (op_at, op_target) = if t.operator.is_some() {
            (push(&at, "operator"), Target::Value)
        } else {
            (at.clone(), Target::Value)
        };
        if !key.is_empty() {
            let errs = is_qualified_name(key);
            if !errs.is_empty() {
                out.push(
                    Finding::new(InvalidPodSpec::ID, push(&at, "key"), format!("toleration key {key:?}: {}", errs.join("; ")))
                        .label("invalid key")
                        .help("use the taint's key, a qualified name such as `node.kubernetes.io/unreachable`"),
                );
            }
        } else if op != "Exists" {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    op_at.clone(),
                    "toleration without a key: operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                )
                .at(op_target)
                .label("needs a key or Exists")
                .help("name the taint's `key`, or use `operator: Exists` to tolerate every taint"),
            );
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            let (ptr, target) = if t.effect.is_some() {
                (push(&at, "effect"), Target::Value)
            } else {
                (push(&at, "tolerationSeconds"), Target::Key)
            };
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    ptr,
                    "tolerationSeconds without effect NoExecute: effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
                .at(target)
                .label("not NoExecute")
                .help("set `effect: NoExecute`, or remove `tolerationSeconds` (only evictions have a delay)"),
            );
        }
        match op {
            "Equal" | "" => {
                let errs = is_label_value(value);
                if !errs.is_empty() {
                    out.push(
                        Finding::new(InvalidPodSpec::ID, push(&at, "value"), format!("toleration value {value:?}: {}", errs.join(";")))
                            .label("invalid value")
                            .help("use the taint's value: up to 63 letters, digits, '-', '_' and '.'"),
                    );
                }
            }
            "Exists" if !value.is_empty() => out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    push(&at, "value"),
                    "toleration value with operator Exists: value must be empty when `operator` is 'Exists'",
                )
                .label("ignored by Exists")
                .help("remove `value`, or use `operator: Equal` to match it"),
            ),
            "Lt" | "Gt" => out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    push(&at, "operator"),
                    format!("toleration operator {op:?}: Unsupported value: {op:?}: supported values: \"Equal\", \"Exists\" (comparison operators need the alpha TaintTolerationComparisonOperators feature gate)"),
                )
                .label("not enabled by default")
                .help("use `Equal` or `Exists`"),
            ),
            _ => {} // the schema's enum
        }
    }
}

fn affinity(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let Some(a) = &pod.spec.affinity else { return };
    let at = pod.field("affinity");
    if let Some(n) = &a.node_affinity {
        let nat = push(&at, "nodeAffinity");
        if let Some(req) = &n.required_during_scheduling_ignored_during_execution {
            let rat = push(&nat, "requiredDuringSchedulingIgnoredDuringExecution");
            let terms_at = push(&rat, "nodeSelectorTerms");
            if req.node_selector_terms.is_empty() && written::is_written(cx, &terms_at) {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        terms_at.clone(),
                        "nodeSelectorTerms: Required value: must have at least one node selector term",
                    )
                    .label("no terms")
                    .help("add a node selector term, or remove the required node affinity"),
                );
            }
            for (i, term) in req.node_selector_terms.iter().enumerate() {
                node_term(cx, pod, &pod.item(&terms_at, i), term, out);
            }
        }
        for (i, p) in n
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .enumerate()
        {
            let pat = pod.item(&push(&nat, "preferredDuringSchedulingIgnoredDuringExecution"), i);
            weight(cx, &pat, p.weight, out);
            node_term(cx, pod, &push(&pat, "preference"), &p.preference, out);
        }
    }
    for (field, required, preferred) in [
        (
            "podAffinity",
            a.pod_affinity
                .as_ref()
                .and_then(|p| p.required_during_scheduling_ignored_during_execution.as_ref()),
            a.pod_affinity
                .as_ref()
                .and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_ref()),
        ),
        (
            "podAntiAffinity",
            a.pod_anti_affinity
                .as_ref()
                .and_then(|p| p.required_during_scheduling_ignored_during_execution.as_ref()),
            a.pod_anti_affinity
                .as_ref()
                .and_then(|p| p.preferred_during_scheduling_ignored_during_execution.as_ref()),
        ),
    ] {
        let fat = push(&at, field);
        for (i, term) in required.into_iter().flatten().enumerate() {
            let tat = pod.item(&push(&fat, "requiredDuringSchedulingIgnoredDuringExecution"), i);
            pod_term(cx, pod, &tat, term, out);
        }
        for (i, w) in preferred.into_iter().flatten().enumerate() {
            let wat = pod.item(&push(&fat, "preferredDuringSchedulingIgnoredDuringExecution"), i);
            weight(cx, &wat, w.weight, out);
            pod_term(cx, pod, &push(&wat, "podAffinityTerm"), &w.pod_affinity_term, out);
        }
    }
}

fn weight(cx: &Context, at: &str, w: i32, out: &mut Vec<Finding>) {
    // A missing weight is the schema's finding.
    if !(1..=100).contains(&w) && written::is_integer(cx, &push(at, "weight")) {
        out.push(
            Finding::new(InvalidPodSpec::ID, push(at, "weight"), format!("weight {w}: must be in the range 1-100"))
                .label("out of range")
                .help("give preferred terms a weight from 1 to 100"),
        );
    }
}

fn node_term(cx: &Context, pod: &PodView, at: &str, term: &NodeSelectorTerm, out: &mut Vec<Finding>) {
    for (i, r) in term.match_expressions.iter().flatten().enumerate() {
        let rat = pod.item(&push(at, "matchExpressions"), i);
        node_requirement(&rat, r, out);
    }
    for (i, r) in term.match_fields.iter().flatten().enumerate() {
        let rat = pod.item(&push(at, "matchFields"), i);
        field_requirement(cx, pod, &rat, r, out);
    }
}

/// The number of values an operator takes (`NodeSelectorRequirement` and label selectors).
fn values_for_operator(
    at: &str,
    op: &str,
    values: Option<&Vec<String>>,
    numeric_ops: bool,
    out: &mut Vec<Finding>,
) {
    let n = values.map_or(0, Vec::len);
    let vat = push(at, "values");
    let (ptr, target) = if values.is_some() {
        (vat, Target::Key)
    } else {
        (push(at, "operator"), Target::Value)
    };
    let problem = match op {
        "In" | "NotIn" if n == 0 => {
            Some(("values: Required value: must be specified when `operator` is 'In' or 'NotIn'", "list at least one value, or use `Exists`"))
        }
        "Exists" | "DoesNotExist" if n > 0 => Some((
            "values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "remove `values`, or use `In`/`NotIn` to match them",
        )),
        "Gt" | "Lt" if numeric_ops && n != 1 => Some((
            "values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
            "give exactly one value (an integer) to compare with",
        )),
        _ => None,
    };
    if let Some((msg, help)) = problem {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                ptr,
                format!("operator {op} with {n} value{}: {msg}", if n == 1 { "" } else { "s" }),
            )
                .at(target)
                .label("wrong number of values")
                .help(help),
        );
    }
}

fn node_requirement(at: &str, r: &NodeSelectorRequirement, out: &mut Vec<Finding>) {
    values_for_operator(at, &r.operator, r.values.as_ref(), true, out);
}

/// `matchFields` select on node fields: only `metadata.name`, with In or NotIn and one value.
fn field_requirement(
    cx: &Context,
    pod: &PodView,
    at: &str,
    r: &NodeSelectorRequirement,
    out: &mut Vec<Finding>,
) {
    match r.operator.as_str() {
        // A missing operator is the schema's finding.
        _ if !written::is_string(cx, &push(at, "operator")) => {}
        "In" | "NotIn" => {
            let n = r.values.as_ref().map_or(0, Vec::len);
            if n != 1 {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        push(at, "values"),
                        format!("node field selector with {n} value{}: must be only one value when `operator` is 'In' or 'NotIn' for node field selector", if n == 1 { "" } else { "s" }),
                    )
                    .at(Target::Key)
                    .label("one value needed")
                    .help("give exactly one node name; use several terms to allow several nodes"),
                );
            }
        }
        op => out.push(
            Finding::new(
                InvalidPodSpec::ID,
                push(at, "operator"),
                format!("node field selector operator {op:?}: not a valid selector operator"),
            )
            .label("only In or NotIn")
            .help("use `In` or `NotIn` in `matchFields`"),
        ),
    }
    if r.key != "metadata.name" && written::is_string(cx, &push(at, "key")) {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                push(at, "key"),
                format!("node field selector key {:?}: not a valid field selector key", r.key),
            )
            .label("not a node field")
            .help("`matchFields` supports only `metadata.name`; select on node labels with `matchExpressions`"),
        );
    }
    for (i, v) in r.values.iter().flatten().enumerate() {
        let errs = is_dns1123_subdomain(v);
        if !errs.is_empty() {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    pod.item(&push(at, "values"), i),
                    format!("node name {v:?}: {}", errs.join("; ")),
                )
                .label("not a node name")
                .help("give the node's name as `kubectl get nodes` lists it"),
            );
        }
    }
}

/// Operators of a label selector have the right number of values.
fn label_selector(pod: &PodView, at: &str, s: &LabelSelector, out: &mut Vec<Finding>) {
    for (i, r) in s.match_expressions.iter().flatten().enumerate() {
        let rat = pod.item(&push(at, "matchExpressions"), i);
        values_for_operator(&rat, &r.operator, r.values.as_ref(), false, out);
    }
}

fn null_selector_warning(at: &str, out: &mut Vec<Finding>) {
    out.push(
        Finding::new(
            InvalidPodSpec::ID,
            push(at, "topologyKey"),
            "no labelSelector: a null labelSelector results in matching no pod (the API server accepts it with a warning)",
        )
        .severity(Severity::Warning)
        .at(Target::Key)
        .label("matches no pod")
        .help("add a `labelSelector` for the pods to place this pod near, away from, or spread among"),
    );
}

fn pod_term(cx: &Context, pod: &PodView, at: &str, t: &PodAffinityTerm, out: &mut Vec<Finding>) {
    // A term that is not written (its fields misplaced beside it) is the schema's finding.
    if !written::is_mapping(cx, at) {
        return;
    }
    match &t.label_selector {
        Some(s) => label_selector(pod, &push(at, "labelSelector"), s, out),
        None => null_selector_warning(at, out),
    }
    if let Some(s) = &t.namespace_selector {
        label_selector(pod, &push(at, "namespaceSelector"), s, out);
    }
    for (i, ns) in t.namespaces.iter().flatten().enumerate() {
        let errs = is_dns1123_label(ns);
        if !errs.is_empty() {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    pod.item(&push(at, "namespaces"), i),
                    format!("namespace {ns:?}: {}", errs.join("; ")),
                )
                .label("not a namespace name")
                .help("give the namespace's name: a lowercase DNS label"),
            );
        }
    }
    for (field, keys) in [
        ("matchLabelKeys", &t.match_label_keys),
        ("mismatchLabelKeys", &t.mismatch_label_keys),
    ] {
        if keys.as_ref().is_some_and(|k| !k.is_empty()) && t.label_selector.is_none() {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    push(at, field),
                    format!("{field} without labelSelector: Forbidden: must not be specified when labelSelector is not set"),
                )
                .at(Target::Key)
                .label("needs a labelSelector")
                .help("add a `labelSelector`, which these keys refine"),
            );
        }
    }
    if let (Some(m), Some(mm)) = (&t.match_label_keys, &t.mismatch_label_keys) {
        for (i, k) in m.iter().enumerate() {
            if mm.contains(k) {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        pod.item(&push(at, "matchLabelKeys"), i),
                        format!("label key {k:?}: exists in both matchLabelKeys and mismatchLabelKeys"),
                    )
                    .label("in both lists")
                    .help("keep the key in one of `matchLabelKeys` and `mismatchLabelKeys`"),
                );
            }
        }
    }
    if t.topology_key.is_empty() && written::is_string(cx, &push(at, "topologyKey")) {
        out.push(
            Finding::new(InvalidPodSpec::ID, push(at, "topologyKey"), "topologyKey: Required value: can not be empty")
                .label("empty")
                .help("name the node label that defines the topology domain, e.g. `kubernetes.io/hostname`"),
        );
    }
}

fn spread(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let mut seen: HashMap<(&str, &str), String> = HashMap::new();
    for (i, c) in pod.spec.topology_spread_constraints.iter().flatten().enumerate() {
        let at = pod.item(&pod.field("topologySpreadConstraints"), i);
        if c.max_skew <= 0 && written::is_integer(cx, &push(&at, "maxSkew")) {
            out.push(
                Finding::new(InvalidPodSpec::ID, push(&at, "maxSkew"), format!("maxSkew {}: must be greater than zero", c.max_skew))
                    .label("not positive")
                    .help("allow a skew of at least 1"),
            );
        }
        if c.topology_key.is_empty() {
            if !written::is_string(cx, &push(&at, "topologyKey")) {
                continue;
            }
            out.push(
                Finding::new(InvalidPodSpec::ID, push(&at, "topologyKey"), "topologyKey: Required value: can not be empty")
                    .label("empty")
                    .help("name the node label that defines the topology domain, e.g. `topology.kubernetes.io/zone`"),
            );
        } else {
            let key = (c.topology_key.as_str(), c.when_unsatisfiable.as_str());
            match seen.get(&key) {
                Some(first) => out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        push(&at, "topologyKey"),
                        format!("a second constraint on {:?} with {}: Duplicate value: \"{{{}, {}}}\"", key.0, key.1, key.0, key.1),
                    )
                    .label("constraint repeated")
                    .related(push(first, "topologyKey"), Target::Value, "first constraint")
                    .help("merge the two constraints into one"),
                ),
                None => {
                    seen.insert(key, at.clone());
                }
            }
        }
        if let Some(m) = c.min_domains {
            if m <= 0 {
                out.push(
                    Finding::new(InvalidPodSpec::ID, push(&at, "minDomains"), format!("minDomains {m}: must be greater than zero"))
                        .label("not positive")
                        .help("use 1 or more, or remove `minDomains`"),
                );
            }
            if c.when_unsatisfiable != "DoNotSchedule" {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        push(&at, "minDomains"),
                        format!("minDomains with whenUnsatisfiable {}: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}", c.when_unsatisfiable, c.when_unsatisfiable),
                    )
                    .at(Target::Key)
                    .label("needs DoNotSchedule")
                    .help("set `whenUnsatisfiable: DoNotSchedule`, or remove `minDomains`"),
                );
            }
        }
        match &c.label_selector {
            Some(s) => label_selector(pod, &push(&at, "labelSelector"), s, out),
            None => {
                if c.match_label_keys.as_ref().is_some_and(|k| !k.is_empty()) {
                    out.push(
                        Finding::new(
                            InvalidPodSpec::ID,
                            push(&at, "matchLabelKeys"),
                            "matchLabelKeys without labelSelector: Forbidden: must not be specified when labelSelector is not set",
                        )
                        .at(Target::Key)
                        .label("needs a labelSelector")
                        .help("add a `labelSelector`, which these keys refine"),
                    );
                }
                null_selector_warning(&at, out);
            }
        }
    }
}
