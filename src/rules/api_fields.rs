//! The API server's field errors as findings, for the rules that port its hand-written
//! validation: each message is the line `kubectl` prints (`spec.replicas: Invalid value: -1:
//! must be greater than or equal to 0`, apimachinery `field.Error`), at the pointer of the
//! offending value, or of the key that should hold a missing one. Also small readers that take
//! a field's value only when it has the type the API server decodes (a wrongly typed value is
//! the `schema` rule's finding, not these rules').

use super::{Finding, RuleId, Target};
use crate::k8s::intstr::IntOrPercent;
use crate::pointer::dotted;
use crate::pointer::AtPointer;
use serde_json::Value;

/// How the API server classifies a field error (apimachinery `field.ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Required,
    Forbidden,
    NotSupported,
    Duplicate,
}

/// One field error, before it becomes a finding.
#[derive(Debug, Clone)]
pub struct FieldError {
    kind: Kind,
    pointer: String,
    /// The path the API server names, when it is not the pointer's (`spec.clusterIPs[0]` for a
    /// `clusterIP` the server copied there).
    path: Option<String>,
    /// The value as the server prints it, or `None` to leave it out.
    value: Option<String>,
    detail: String,
}

/// A value as `field.Error` prints it: strings quoted, numbers and booleans bare, anything
/// else left out.
fn shown(value: &Value) -> Option<String> {
    match value {
        Value::String(_) => Some(value.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl FieldError {
    fn new(kind: Kind, pointer: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            kind,
            pointer: pointer.into(),
            path: None,
            value: None,
            detail: detail.into(),
        }
    }

    /// `field.Invalid`: the value at `pointer` is refused.
    pub fn invalid(pointer: impl Into<String>, value: &Value, detail: impl Into<String>) -> Self {
        FieldError {
            value: shown(value),
            ..FieldError::new(Kind::Invalid, pointer, detail)
        }
    }

    /// `field.Required`: the field at `pointer` is missing or empty.
    pub fn required(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError::new(Kind::Required, pointer, detail)
    }

    /// `field.Forbidden`: the field at `pointer` may not be set here.
    pub fn forbidden(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError::new(Kind::Forbidden, pointer, detail)
    }

    /// `field.NotSupported`: the value is not one of `supported`.
    pub fn not_supported(pointer: impl Into<String>, value: &Value, supported: &[&str]) -> Self {
        let list = supported
            .iter()
            .map(|s| format!("{:?}", s))
            .collect::<Vec<_>>()
            .join(", ");
        FieldError {
            value: shown(value),
            ..FieldError::new(
                Kind::NotSupported,
                pointer,
                format!("supported values: {list}"),
            )
        }
    }

    /// `field.Duplicate`: the value repeats an earlier one.
    pub fn duplicate(pointer: impl Into<String>, value: &Value) -> Self {
        FieldError {
            value: shown(value),
            ..FieldError::new(Kind::Duplicate, pointer, "")
        }
    }

    /// Name the field as the API server does when it differs from the pointer.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The line the API server reports.
    pub fn message(&self) -> String {
        let path = self.path.clone().unwrap_or_else(|| dotted(&self.pointer));
        let kind = match self.kind {
            Kind::Invalid => "Invalid value",
            Kind::Required => "Required value",
            Kind::Forbidden => "Forbidden",
            Kind::NotSupported => "Unsupported value",
            Kind::Duplicate => "Duplicate value",
        };
        let mut s = format!("{path}: {kind}");
        if let (Kind::Invalid | Kind::NotSupported | Kind::Duplicate, Some(v)) =
            (self.kind, &self.value)
        {
            s.push_str(": ");
            s.push_str(v);
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }

    /// The finding: the server's line at the value, or at the key for a missing or forbidden
    /// field.
    pub fn finding(self, rule: RuleId) -> Finding {
        let message = self.message();
        let f = Finding::new(rule, self.pointer, message);
        match self.kind {
            Kind::Required | Kind::Forbidden => f.at(Target::Key),
            _ => f,
        }
    }
}

/// The integer at `pointer` (YAML `3`; not `"3"`, not `3.5`).
pub fn int_at(value: &(impl AtPointer + ?Sized), pointer: &str) -> Option<i64> {
    value.i64_at(pointer)
}

/// The string at `pointer`.
pub fn str_at<'v>(value: &'v (impl AtPointer + ?Sized), pointer: &str) -> Option<&'v str> {
    value.str_at(pointer)
}

/// Whether a field is set: present and not `null` (the API server decodes `null` as unset).
pub fn is_set(value: &(impl AtPointer + ?Sized), pointer: &str) -> bool {
    value.set_at(pointer)
}

/// A count or a percentage, when the value is an integer or a string.
pub fn int_or_percent(value: &Value) -> Option<IntOrPercent<'_>> {
    match value {
        Value::String(s) => Some(IntOrPercent::Str(s)),
        v => v.as_i64().map(IntOrPercent::Int),
    }
}

/// The sequence at `pointer`, empty when absent or not a sequence.
pub fn items<'v>(value: &'v (impl AtPointer + ?Sized), pointer: &str) -> &'v [Value] {
    items_of(value.at_pointer(pointer))
}

/// The elements of a value that is a list; none when it is absent or not a list.
pub fn items_of(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// `ValidateNonnegativeField` over optional integer fields of one mapping: a finding for each
/// negative one.
pub fn non_negative(
    rule: RuleId,
    value: &(impl AtPointer + ?Sized),
    base: &str,
    fields: &[&str],
) -> Vec<Finding> {
    fields
        .iter()
        .filter_map(|f| {
            let p = crate::pointer::push(base, f);
            let n = int_at(value, &p)?;
            (n < 0).then(|| {
                FieldError::invalid(&p, &Value::from(n), crate::k8s::intstr::NEGATIVE)
                    .finding(rule)
                    .label("negative")
                    .help(format!("use 0 or more for `{f}`"))
            })
        })
        .collect()
}

/// The findings for one count-or-percentage field: `ValidatePositiveIntOrPercent`, and
/// `IsNotMoreThan100Percent` when `cap_100` (a Deployment may surge past 100%).
pub fn int_or_percent_findings(
    rule: RuleId,
    pointer: &str,
    raw: &Value,
    value: IntOrPercent,
    cap_100: bool,
    out: &mut Vec<Finding>,
) {
    for msg in value.validate() {
        let (label, help) = match value {
            IntOrPercent::Int(_) => ("negative", "use 0 or a positive count"),
            IntOrPercent::Str(_) => (
                "not a percentage",
                "write a whole percentage such as \"25%\", or a count as a plain number without quotes",
            ),
        };
        out.push(
            FieldError::invalid(pointer, raw, msg)
                .finding(rule)
                .label(label)
                .help(help),
        );
    }
    if let Some(msg) = value.over_100_percent().filter(|_| cap_100) {
        out.push(
            FieldError::invalid(pointer, raw, msg)
                .finding(rule)
                .label("over 100%")
                .help("use a percentage from 0% to 100%"),
        );
    }
}

/// The findings of `rule` on the first object of `text`, for Kubernetes 1.`minor`.
#[cfg(test)]
pub fn run(rule: &dyn super::Rule, text: &str, minor: u32) -> Vec<Finding> {
    let options = super::Options {
        minor,
        ..Default::default()
    };
    super::testing::run_with(rule, text, &options, &super::ProjectOut::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_read_like_the_api_server() {
        assert_eq!(
            FieldError::invalid(
                "/spec/replicas",
                &json!(-1),
                "must be greater than or equal to 0"
            )
            .message(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            FieldError::invalid("/spec/schedule", &json!("* *"), "expected exactly 5 fields")
                .message(),
            "spec.schedule: Invalid value: \"* *\": expected exactly 5 fields"
        );
        assert_eq!(
            FieldError::invalid("/spec", &json!({"a": 1}), "cannot both be set").message(),
            "spec: Invalid value: cannot both be set"
        );
        assert_eq!(
            FieldError::required("/spec/ports", "").message(),
            "spec.ports: Required value"
        );
        assert_eq!(
            FieldError::required(
                "/spec/rules/0/http/paths/0/pathType",
                "pathType must be specified"
            )
            .message(),
            "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
        );
        assert_eq!(
            FieldError::forbidden(
                "/spec/ports/0/nodePort",
                "may not be used when `type` is 'ClusterIP'"
            )
            .message(),
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        );
        assert_eq!(
            FieldError::not_supported("/spec/x", &json!("Max"), &["Percent", "Pods"]).message(),
            "spec.x: Unsupported value: \"Max\": supported values: \"Percent\", \"Pods\""
        );
        assert_eq!(
            FieldError::duplicate("/spec/ports/1/name", &json!("http")).message(),
            "spec.ports[1].name: Duplicate value: \"http\""
        );
        assert_eq!(
            FieldError::invalid("/spec/clusterIP", &json!("None"), "no")
                .path("spec.clusterIPs[0]")
                .message(),
            "spec.clusterIPs[0]: Invalid value: \"None\": no"
        );
        let f = FieldError::required("/spec/a", "").finding(RuleId::Schema);
        assert_eq!(f.target, Target::Key);
        let f = FieldError::invalid("/spec/a", &json!(1), "x").finding(RuleId::Schema);
        assert_eq!(f.target, Target::Value);
    }

    #[test]
    fn readers_take_only_decoded_types() {
        let v = json!({"a": 3, "b": "3", "c": 3.5, "d": null, "e": [1, 2], "f": "25%"});
        assert_eq!(int_at(&v, "/a"), Some(3));
        assert_eq!(int_at(&v, "/b"), None);
        assert_eq!(int_at(&v, "/c"), None);
        assert!(is_set(&v, "/a") && !is_set(&v, "/d") && !is_set(&v, "/zz"));
        assert_eq!(items(&v, "/e").len(), 2);
        assert!(items(&v, "/a").is_empty());
        assert_eq!(int_or_percent(&v["a"]), Some(IntOrPercent::Int(3)));
        assert_eq!(int_or_percent(&v["f"]), Some(IntOrPercent::Str("25%")));
        assert_eq!(int_or_percent(&v["c"]), None);
        let f = non_negative(
            RuleId::Schema,
            &json!({"s": {"x": -1, "y": 0, "z": "q"}}),
            "/s",
            &["x", "y", "z", "w"],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/s/x");
    }
}
