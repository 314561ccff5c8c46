//! `invalid-autoscaling`: a HorizontalPodAutoscaler the API server refuses (kubernetes
//! `pkg/apis/autoscaling/validation`: `validateHorizontalPodAutoscalerSpec`,
//! `ValidateCrossVersionObjectReference`, `validateMetricSpec` and the per-source checks,
//! `validateMetricTarget`, `validateScalingRules`, `validateScalingPolicy`).
//!
//! `minReplicas: 0` needs the `HPAScaleToZero` gate, alpha and off by default in every release
//! so far, so it is refused. autoscaling/v1's `targetCPUUtilizationPercentage` becomes a
//! Resource metric before validation and is judged as one. From 1.35 the scale target's
//! `apiVersion` must name an API group (except for a ReplicationController).

use crate::pointer::AtPointer;
use super::api_fields::{int_at, items, FieldError};
use super::{Context, Finding, Rule, RuleId, Target};
use crate::k8s::names::{is_dns1123_label, is_path_segment_name};
use crate::k8s::parse_quantity_field;
use crate::pointer::push;
use serde_json::{Map, Value};

declare_rule! {
    pub struct InvalidAutoscaling {
        id: "invalid-autoscaling",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("autoscaling", "HorizontalPodAutoscaler")),
    }
}

const ID: RuleId = InvalidAutoscaling::ID;

/// First minor version that requires an API group in `scaleTargetRef.apiVersion`.
const SCALE_TARGET_GROUP: u32 = 35;
const MAX_PERIOD_SECONDS: i64 = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS: i64 = 3600;
const METRIC_TYPES: [&str; 5] = ["ContainerResource", "External", "Object", "Pods", "Resource"];

impl Rule for InvalidAutoscaling {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let v = cx.object.value();
        let version = match cx.object.group_version() {
            Some(("autoscaling", ver @ ("v1" | "v2" | "v2beta2"))) => ver,
            _ => return,
        };
        replicas(v, out);
        if let Some(r) = v.at_pointer("/spec/scaleTargetRef").and_then(Value::as_object) {
            let group_required = cx.options.minor >= SCALE_TARGET_GROUP
                && r.get("kind").and_then(Value::as_str) != Some("ReplicationController");
            object_reference(r, "/spec/scaleTargetRef", group_required, out);
        }
        if version == "v1" {
            if let Some(n) = int_at(v, "/spec/targetCPUUtilizationPercentage").filter(|n| *n < 1) {
                out.push(
                    FieldError::invalid("/spec/targetCPUUtilizationPercentage", &Value::from(n), "must be greater than 0")
                        .path("spec.metrics[0].resource.target.averageUtilization")
                        .finding(ID)
                        .label("not a utilization")
                        .help("give the target average CPU utilization as a percentage of the request, 1 or more (such as 80)"),
                );
            }
            return;
        }
        for (i, m) in items(v, "/spec/metrics").iter().enumerate() {
            if let Some(m) = m.as_object() {
                metric(m, &format!("/spec/metrics/{i}"), out);
            }
        }
        for dir in ["scaleUp", "scaleDown"] {
            let base = format!("/spec/behavior/{dir}");
            if let Some(r) = v.at_pointer(&base).and_then(Value::as_object) {
                scaling_rules(r, &base, out);
            }
        }
    }
}

fn replicas(v: &Value, out: &mut Vec<Finding>) {
    let min = int_at(v, "/spec/minReplicas");
    if let Some(n) = min.filter(|n| *n < 1) {
        out.push(
            FieldError::invalid("/spec/minReplicas", &Value::from(n), "must be greater than or equal to 1")
                .finding(ID)
                .label(if n == 0 { "scale to zero is not enabled" } else { "negative" })
                .help("use 1 or more; scaling to zero needs the HPAScaleToZero feature gate, which is alpha and off by default"),
        );
    }
    let Some(max) = int_at(v, "/spec/maxReplicas") else {
        return;
    };
    if max < 1 {
        out.push(
            FieldError::invalid("/spec/maxReplicas", &Value::from(max), "must be greater than 0")
                .finding(ID)
                .label("no replicas allowed")
                .help("set maxReplicas to the most replicas the autoscaler may create (1 or more)"),
        );
    } else if let Some(min) = min.filter(|m| max < *m) {
        out.push(
            FieldError::invalid("/spec/maxReplicas", &Value::from(max), "must be greater than or equal to `minReplicas`")
                .finding(ID)
                .label(format!("below minReplicas ({min})"))
                .related("/spec/minReplicas", Target::Entry, "minReplicas")
                .help(format!("raise maxReplicas to {min} or more, or lower minReplicas")),
        );
    }
}

/// `ValidateCrossVersionObjectReference` (and, for a scale target, `ValidateAPIVersion`).
fn object_reference(r: &Map<String, Value>, base: &str, group_required: bool, out: &mut Vec<Finding>) {
    for field in ["kind", "name"] {
        let at = push(base, field);
        match r.get(field).and_then(Value::as_str) {
            Some("") => out.push(
                FieldError::required(&at, "")
                    .finding(ID)
                    .at(Target::Value)
                    .help(format!("give the {field} of the object")),
            ),
            Some(s) => {
                for msg in is_path_segment_name(s) {
                    out.push(
                        FieldError::invalid(&at, &Value::from(s), msg)
                            .finding(ID)
                            .label(format!("not a valid {field}"))
                            .help(format!("give the {field} alone, without slashes or percent signs")),
                    );
                }
            }
            // Missing: the schema's finding.
            None => {}
        }
    }
    if !group_required {
        return;
    }
    let at = push(base, "apiVersion");
    let written = r.get("apiVersion").and_then(Value::as_str);
    let av = written.unwrap_or("");
    let message = if av.matches('/').count() > 1 {
        format!("unexpected GroupVersion string: {av}")
    } else if av.is_empty() || av == "/" || !av.contains('/') || av.starts_with('/') {
        "apiVersion must specify API group".to_string()
    } else {
        return;
    };
    let kind = r.get("kind").and_then(Value::as_str).unwrap_or("");
    let example = match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" => "apps/v1".to_string(),
        _ => "<group>/<version>".to_string(),
    };
    let f = FieldError::invalid(&at, &Value::from(av), message).finding(ID);
    out.push(if written.is_some() {
        f.label("no API group")
            .help(format!("write the group and version of the target, such as `apiVersion: {example}`"))
    } else {
        f.at(Target::Key)
            .label("apiVersion missing")
            .help(format!("add `apiVersion: {example}` to the scale target"))
    });
}

fn metric(m: &Map<String, Value>, base: &str, out: &mut Vec<Finding>) {
    let Some(t) = m.get("type").and_then(Value::as_str) else {
        // Missing: the schema's finding.
        return;
    };
    let type_at = push(base, "type");
    if t.is_empty() {
        out.push(
            FieldError::required(&type_at, "must specify a metric source type")
                .finding(ID)
                .at(Target::Value)
                .help("use Resource, Pods, Object, External or ContainerResource"),
        );
    }
    let sources = ["object", "external", "pods", "resource", "containerResource"];
    let present: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|s| m.get(*s).is_some_and(|v| !v.is_null()))
        .collect();
    if let Some(first) = present.first() {
        if let Some(src) = m.get(*first).and_then(Value::as_object) {
            source(first, src, &push(base, first), out);
        }
    }
    let expected = match t {
        "Object" => "object",
        "Pods" => "pods",
        "Resource" => "resource",
        "External" => "external",
        "ContainerResource" => "containerResource",
        _ => {
            if !t.is_empty() {
                out.push(
                    FieldError::not_supported(&type_at, &Value::from(t), &METRIC_TYPES)
                        .finding(ID)
                        .label("not a metric type")
                        .help("use Resource, Pods, Object, External or ContainerResource (capitalized)"),
                );
            }
            ""
        }
    };
    if !expected.is_empty() && !present.contains(&expected) {
        let f = FieldError::required(push(base, expected), "must populate information for the given metric source")
            .finding(ID)
            .label(format!("type {t} needs `{expected}`"));
        out.push(match present.first() {
            Some(other) => f
                .related(push(base, other), Target::Key, format!("`{other}` is given instead"))
                .help(format!("make the type match the source: `type: {}` for `{other}`, or write the source under `{expected}`", source_type(other))),
            None => f.help(format!("describe the metric under `{expected}`")),
        });
    }
    if present.len() != 1 {
        for other in present.iter().filter(|p| **p != expected) {
            out.push(
                FieldError::forbidden(push(base, other), "must populate the given metric source only")
                    .finding(ID)
                    .label(format!("not for type {t}"))
                    .help(format!("a metric has one source; move `{other}` into a metric of its own (`type: {}`)", source_type(other))),
            );
        }
    }
}

/// The metric type that goes with a source field.
fn source_type(field: &str) -> &'static str {
    match field {
        "object" => "Object",
        "external" => "External",
        "pods" => "Pods",
        "resource" => "Resource",
        _ => "ContainerResource",
    }
}

fn source(kind: &str, src: &Map<String, Value>, base: &str, out: &mut Vec<Finding>) {
    if matches!(kind, "object" | "external" | "pods") {
        if let Some(id) = src.get("metric").and_then(Value::as_object) {
            let at = push(&push(base, "metric"), "name");
            match id.get("name").and_then(Value::as_str) {
                Some("") => out.push(
                    FieldError::required(&at, "must specify a metric name")
                        .finding(ID)
                        .at(Target::Value)
                        .help("name the metric the metrics API serves"),
                ),
                Some(n) => {
                    for msg in is_path_segment_name(n) {
                        out.push(
                            FieldError::invalid(&at, &Value::from(n), msg)
                                .finding(ID)
                                .label("not a metric name")
                                .help("give the metric name alone, without slashes or percent signs"),
                        );
                    }
                }
                None => {}
            }
        }
    }
    if kind == "object" {
        if let Some(r) = src.get("describedObject").and_then(Value::as_object) {
            object_reference(r, &push(base, "describedObject"), false, out);
        }
    }
    if matches!(kind, "resource" | "containerResource") && src.get("name").and_then(Value::as_str) == Some("") {
        out.push(
            FieldError::required(push(base, "name"), "must specify a resource name")
                .finding(ID)
                .at(Target::Value)
                .help("name the resource: cpu or memory"),
        );
    }
    if kind == "containerResource" {
        let at = push(base, "container");
        match src.get("container").and_then(Value::as_str) {
            Some("") => out.push(
                FieldError::required(&at, "must specify a container")
                    .finding(ID)
                    .at(Target::Value)
                    .help("name the container of the pods whose usage counts"),
            ),
            Some(c) => {
                for msg in is_dns1123_label(c) {
                    out.push(
                        FieldError::invalid(&at, &Value::from(c), msg)
                            .finding(ID)
                            .label("not a container name"),
                    );
                }
            }
            None => {}
        }
    }
    let target_at = push(base, "target");
    let Some(target) = src.get("target").and_then(Value::as_object) else {
        // Missing: the schema's finding.
        return;
    };
    metric_target(target, &target_at, out);
    let has = |f: &str| target.get(f).is_some_and(|v| !v.is_null());
    let (util, value, avg) = (has("averageUtilization"), has("value"), has("averageValue"));
    let target_type = target.get("type").and_then(Value::as_str).unwrap_or("");
    let hint = |wanted: &str| -> String {
        let field = match target_type {
            "Utilization" => "averageUtilization",
            "Value" => "value",
            "AverageValue" => "averageValue",
            _ => wanted,
        };
        format!("add `{field}` to the target (its type is {target_type})")
    };
    match kind {
        "object" if !value && !avg => out.push(
            FieldError::required(push(&target_at, "averageValue"), "must set either a target value or averageValue")
                .finding(ID)
                .label("no target value")
                .help(hint("value")),
        ),
        "external" if !value && !avg => out.push(
            FieldError::required(push(&target_at, "averageValue"), "must set either a target value for metric or a per-pod target")
                .finding(ID)
                .label("no target value")
                .help(hint("value")),
        ),
        "external" if value && avg => out.push(
            FieldError::forbidden(push(&target_at, "value"), "may not set both a target value for metric and a per-pod target")
                .finding(ID)
                .label("both value and averageValue")
                .help("keep one: `value` for the metric as a whole or `averageValue` per pod"),
        ),
        "pods" if !avg => out.push(
            FieldError::required(push(&target_at, "averageValue"), "must specify a positive target averageValue")
                .finding(ID)
                .label("no averageValue")
                .help("Pods metrics are averaged over the pods: add `averageValue` (and `type: AverageValue`)"),
        ),
        "resource" | "containerResource" if !util && !avg => out.push(
            FieldError::required(push(&target_at, "averageUtilization"), "must set either a target raw value or a target utilization")
                .finding(ID)
                .label("no target value")
                .help(hint("averageUtilization")),
        ),
        "resource" | "containerResource" if util && avg => out.push(
            FieldError::forbidden(push(&target_at, "averageValue"), "may not set both a target raw value and a target utilization")
                .finding(ID)
                .label("both averageUtilization and averageValue")
                .help("keep one: `averageUtilization` (percent of the request) or `averageValue` (an amount)"),
        ),
        _ => {}
    }
}

/// `validateMetricTarget`.
fn metric_target(t: &Map<String, Value>, base: &str, out: &mut Vec<Finding>) {
    let at = push(base, "type");
    match t.get("type").and_then(Value::as_str) {
        Some("") => out.push(
            FieldError::required(&at, "must specify a metric target type")
                .finding(ID)
                .at(Target::Value)
                .help("use Utilization, Value or AverageValue"),
        ),
        Some(s) if !matches!(s, "Utilization" | "Value" | "AverageValue") => out.push(
            FieldError::invalid(&at, &Value::from(s), "must be either Utilization, Value, or AverageValue")
                .finding(ID)
                .label("not a target type")
                .help("use Utilization, Value or AverageValue (capitalized)"),
        ),
        _ => {}
    }
    for field in ["value", "averageValue"] {
        let Some(raw) = t.get(field) else { continue };
        let text = match raw {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        // A quantity that does not parse is refused while decoding; not this rule's finding.
        let Ok(q) = parse_quantity_field(&text) else { continue };
        if q.sign() != 1 {
            out.push(
                FieldError::invalid(push(base, field), raw, "must be positive")
                    .finding(ID)
                    .label("not positive")
                    .help("give a target above zero"),
            );
        }
    }
    if let Some(n) = t.get("averageUtilization").and_then(Value::as_i64).filter(|n| *n < 1) {
        out.push(
            FieldError::invalid(push(base, "averageUtilization"), &Value::from(n), "must be greater than 0")
                .finding(ID)
                .label("not a utilization")
                .help("give a percentage of the request, 1 or more (such as 80)"),
        );
    }
}

/// `validateScalingRules`.
fn scaling_rules(r: &Map<String, Value>, base: &str, out: &mut Vec<Finding>) {
    let at = push(base, "stabilizationWindowSeconds");
    if let Some(n) = r.get("stabilizationWindowSeconds").and_then(Value::as_i64) {
        if n < 0 {
            out.push(
                FieldError::invalid(&at, &Value::from(n), "must be greater than or equal to zero")
                    .finding(ID)
                    .label("negative")
                    .help("use 0 or more seconds"),
            );
        } else if n > MAX_STABILIZATION_WINDOW_SECONDS {
            out.push(
                FieldError::invalid(&at, &Value::from(n), format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"))
                    .finding(ID)
                    .label("over an hour")
                    .help(format!("use at most {MAX_STABILIZATION_WINDOW_SECONDS} seconds")),
            );
        }
    }
    if let Some(p) = r.get("selectPolicy").and_then(Value::as_str) {
        if !matches!(p, "Max" | "Min" | "Disabled") {
            out.push(
                FieldError::not_supported(push(base, "selectPolicy"), &Value::from(p), &["Disabled", "Max", "Min"])
                    .finding(ID)
                    .label("not a select policy")
                    .help("use Max, Min or Disabled"),
            );
        }
    }
    let policies_at = push(base, "policies");
    let Some(policies) = r.get("policies").and_then(Value::as_array) else {
        // Unset policies are defaulted.
        return;
    };
    if policies.is_empty() {
        out.push(
            FieldError::required(&policies_at, "must specify at least one Policy")
                .finding(ID)
                .at(Target::Value)
                .label("empty list")
                .help("add a policy (type Pods or Percent, value, periodSeconds), or leave `policies` out for the defaults"),
        );
    }
    for (i, p) in policies.iter().enumerate() {
        let b = push(&policies_at, i.to_string());
        if let Some(t) = p.get("type").and_then(Value::as_str) {
            if !matches!(t, "Pods" | "Percent") {
                out.push(
                    FieldError::not_supported(push(&b, "type"), &Value::from(t), &["Percent", "Pods"])
                        .finding(ID)
                        .label("not a policy type")
                        .help("use Pods or Percent"),
                );
            }
        }
        if let Some(n) = p.get("value").and_then(Value::as_i64).filter(|n| *n <= 0) {
            out.push(
                FieldError::invalid(push(&b, "value"), &Value::from(n), "must be greater than zero")
                    .finding(ID)
                    .label("not positive")
                    .help("allow at least 1 pod or 1 percent per period; to stop scaling in this direction, set `selectPolicy: Disabled`"),
            );
        }
        if let Some(n) = p.get("periodSeconds").and_then(Value::as_i64) {
            if n <= 0 || n > MAX_PERIOD_SECONDS {
                let msg = if n <= 0 {
                    "must be greater than zero".to_string()
                } else {
                    format!("must be less than or equal to {MAX_PERIOD_SECONDS}")
                };
                out.push(
                    FieldError::invalid(push(&b, "periodSeconds"), &Value::from(n), msg)
                        .finding(ID)
                        .label("out of range")
                        .help(format!("use a period from 1 to {MAX_PERIOD_SECONDS} seconds")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(spec: &str, av: &str, minor: u32) -> Vec<String> {
        let text = format!("apiVersion: {av}\nkind: HorizontalPodAutoscaler\nmetadata: {{name: h}}\nspec:\n{spec}\n");
        crate::rules::api_fields::run(&InvalidAutoscaling, &text, minor)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const TARGET: &str = "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n";

    fn v2(rest: &str) -> Vec<String> {
        messages(&format!("{TARGET}{rest}"), "autoscaling/v2", 37)
    }

    #[test]
    fn replica_bounds() {
        assert!(v2("  minReplicas: 1\n  maxReplicas: 1").is_empty());
        assert!(v2("  maxReplicas: 3").is_empty());
        assert_eq!(v2("  minReplicas: 0\n  maxReplicas: 3"), ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"]);
        assert_eq!(v2("  minReplicas: 5\n  maxReplicas: 3"), ["spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`"]);
        assert_eq!(v2("  maxReplicas: 0"), ["spec.maxReplicas: Invalid value: 0: must be greater than 0"]);
    }

    #[test]
    fn metric_sources_and_targets() {
        let m = |metric: &str| v2(&format!("  maxReplicas: 3\n  metrics:\n  - {metric}"));
        assert!(m("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}").is_empty());
        assert!(m("{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: '1k'}}}").is_empty());
        assert!(m("{type: External, external: {metric: {name: q}, target: {type: Value, value: 30}}}").is_empty());
        assert_eq!(
            m("{type: Resource, resource: {name: cpu, target: {type: Utilization}}}"),
            ["spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization"]
        );
        assert_eq!(
            m("{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}"),
            ["spec.metrics[0].pods: Required value: must populate information for the given metric source"]
        );
        assert_eq!(
            m("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}, pods: {metric: {name: x}, target: {type: AverageValue, averageValue: 1}}}"),
            ["spec.metrics[0].pods: Forbidden: must populate the given metric source only"]
        );
        assert_eq!(
            m("{type: Resource, resource: {name: cpu, target: {type: Percent, averageUtilization: 0}}}"),
            [
                "spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue",
                "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"
            ]
        );
        assert_eq!(
            m("{type: CPU, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}"),
            ["spec.metrics[0].type: Unsupported value: \"CPU\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\""]
        );
        assert_eq!(
            m("{type: External, external: {metric: {name: q}, target: {type: Value, value: '-1'}}}"),
            ["spec.metrics[0].external.target.value: Invalid value: \"-1\": must be positive"]
        );
    }

    #[test]
    fn behavior_policies() {
        let b = |rules: &str| v2(&format!("  maxReplicas: 3\n  behavior:\n    scaleDown: {rules}"));
        assert!(b("{stabilizationWindowSeconds: 300}").is_empty());
        assert!(b("{selectPolicy: Disabled}").is_empty());
        assert_eq!(b("{policies: []}"), ["spec.behavior.scaleDown.policies: Required value: must specify at least one Policy"]);
        assert_eq!(
            b("{stabilizationWindowSeconds: 3601, policies: [{type: Pods, value: 0, periodSeconds: 1801}]}"),
            [
                "spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
                "spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
                "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800"
            ]
        );
    }

    #[test]
    fn scale_target_groups_from_1_35() {
        let spec = "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3";
        assert_eq!(
            messages(spec, "autoscaling/v2", 35),
            ["spec.scaleTargetRef.apiVersion: Invalid value: \"\": apiVersion must specify API group"]
        );
        assert!(messages(spec, "autoscaling/v2", 34).is_empty());
        let rc = "  scaleTargetRef: {apiVersion: v1, kind: ReplicationController, name: web}\n  maxReplicas: 3";
        assert!(messages(rc, "autoscaling/v2", 37).is_empty());
        let v1 = "  scaleTargetRef: {apiVersion: v1, kind: Deployment, name: web}\n  maxReplicas: 3";
        assert_eq!(messages(v1, "autoscaling/v2", 37).len(), 1);
    }

    #[test]
    fn autoscaling_v1() {
        let spec = format!("{TARGET}  maxReplicas: 3\n  targetCPUUtilizationPercentage: 0");
        assert_eq!(
            messages(&spec, "autoscaling/v1", 37),
            ["spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"]
        );
    }
}
