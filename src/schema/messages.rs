//! Validator errors -> findings a person understands: which field, what was expected, what was
//! found, and for an unknown field the closest valid name. The raw validator text is used only
//! for error kinds Kubernetes schemas do not produce.

use crate::rules::{self, Finding, Target};
use crate::source::pointer;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

/// A dotted, human path for a pointer: `spec.template.spec.containers[0]`.
pub fn dotted(ptr: &str) -> String {
    let mut s = String::new();
    for t in pointer::tokens(ptr) {
        if t.parse::<usize>().is_ok() {
            s.push_str(&format!("[{t}]"));
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(&t);
        }
    }
    s
}

/// Follow `$ref`s (into `document`) and single-element `allOf`s.
fn resolve<'a>(document: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix('#').and_then(|p| document.pointer(p));
            match target {
                Some(t) => {
                    schema = t;
                    continue;
                }
                None => return schema,
            }
        }
        if let Some([one]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = one;
            continue;
        }
        break;
    }
    schema
}

/// The schema that describes the instance at `ptr`, walking from `root`.
pub fn schema_at<'a>(document: &'a Value, root: &'a Value, ptr: &str) -> Option<&'a Value> {
    let mut schema = resolve(document, root);
    for tok in pointer::tokens(ptr) {
        let next = schema
            .get("properties")
            .and_then(|p| p.get(&tok))
            .or_else(|| tok.parse::<usize>().ok().and_then(|_| schema.get("items")))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))?;
        schema = resolve(document, next);
    }
    Some(schema)
}

/// The closest valid name to a mistyped one.
pub fn suggest<'a>(name: &str, valid: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for v in valid {
        let score = if v.to_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &v.to_lowercase())
        };
        if score >= 0.85 && best.is_none_or(|(_, b)| score > b) {
            best = Some((v, score));
        }
    }
    best.map(|(v, _)| v)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "a boolean (true or false)",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "null",
        _ => "a value of another type",
    }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::Array(_) => return "a list".into(),
        Value::Object(_) => return "a mapping".into(),
        other => other.to_string(),
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// Where a pointer is, for a message: "in `spec.template.spec`" or "at the top level".
fn place(ptr: &str) -> String {
    if ptr.is_empty() {
        "at the top level".into()
    } else {
        format!("in `{}`", dotted(ptr))
    }
}

/// Convert one validator error into findings.
pub fn push_finding(
    error: &ValidationError,
    instance: &Value,
    document: &Value,
    root: &Value,
    out: &mut Vec<Finding>,
) {
    let at = error.instance_path().as_str().to_string();
    let id = rules::SCHEMA.id;
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let schema = schema_at(document, root, &at);
            let valid: Vec<&str> = schema
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for name in unexpected {
                let mut f = Finding::new(
                    id,
                    pointer::push(&at, name),
                    format!("unknown field `{name}` {}", place(&at)),
                )
                .at(Target::Key)
                .label("not a field here");
                f = match suggest(name, valid.iter().copied()) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None if valid.is_empty() => {
                        f.help("remove it: the API server rejects unknown fields")
                    }
                    None => f.help(format!(
                        "remove it, or use one of the fields valid here: {}",
                        list(&valid)
                    )),
                };
                out.push(f);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(
                // The pointer names the missing field; the report underlines its parent.
                Finding::new(
                    id,
                    pointer::push(&at, name),
                    format!("missing required field `{name}` {}", place(&at)),
                )
                .at(Target::Key)
                .label(format!("`{name}` is required here"))
                .help(format!("add `{name}`")),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let expected: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![type_name(&t.to_string())],
                TypeKind::Multiple(set) => set.iter().map(|t| type_name(&t.to_string())).collect(),
            };
            let found = instance.pointer(&at).unwrap_or(&Value::Null);
            let what = if at.is_empty() {
                "the document".to_string()
            } else {
                format!("`{}`", dotted(&at))
            };
            let mut f = Finding::new(
                id,
                at.clone(),
                match found {
                    Value::Object(_) | Value::Array(_) => {
                        format!(
                            "{what} must be {}, not {}",
                            expected.join(" or "),
                            json_type(found)
                        )
                    }
                    _ => format!(
                        "{what} must be {}, not {} ({})",
                        expected.join(" or "),
                        json_type(found),
                        short(found)
                    ),
                },
            )
            .label(format!("expected {}", expected.join(" or ")));
            if expected.contains(&"a string")
                && !found.is_string()
                && !found.is_object()
                && !found.is_array()
            {
                f = f.help(format!(
                    "quote the value: `\"{}\"` (YAML reads it as {})",
                    short(found),
                    json_type(found)
                ));
            } else if expected.iter().any(|e| e.starts_with("an integer")) && found.is_string() {
                f = f.help("write the number without quotes");
            }
            out.push(f);
        }
        ValidationErrorKind::Enum { options } => {
            let found = instance.pointer(&at).unwrap_or(&Value::Null);
            let opts: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(|o| o.to_string()).collect())
                .unwrap_or_default();
            out.push(
                Finding::new(
                    id,
                    at.clone(),
                    format!(
                        "`{}` is {}, not one of the allowed values",
                        dotted(&at),
                        short(found)
                    ),
                )
                .help(format!("use one of: {}", opts.join(", "))),
            );
        }
        _ => {
            let text = error.to_string();
            out.push(Finding::new(
                id,
                at.clone(),
                format!("{} {}", text, place(&at)),
            ));
        }
    }
}

fn list(names: &[&str]) -> String {
    let mut v: Vec<&str> = names.to_vec();
    v.sort_unstable();
    if v.len() > 12 {
        format!(
            "{}, … ({} in all)",
            v[..12]
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            v.len()
        )
    } else {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths() {
        assert_eq!(
            dotted("/spec/containers/0/image"),
            "spec.containers[0].image"
        );
        assert_eq!(dotted(""), "");
    }

    #[test]
    fn suggestions() {
        let valid = ["imagePullPolicy", "image", "name"];
        assert_eq!(
            suggest("imagePullpolicy", valid.iter().copied()),
            Some("imagePullPolicy")
        );
        assert_eq!(suggest("imgae", valid.iter().copied()), Some("image"));
        assert_eq!(suggest("zzz", valid.iter().copied()), None);
    }
}
