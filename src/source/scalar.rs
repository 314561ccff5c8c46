//! Plain-scalar resolution the way Kubernetes reads YAML.
//!
//! kubectl and the API server decode YAML with YAML 1.1 rules (go-yaml v2 behind
//! sigs.k8s.io/yaml): `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0644` is octal (420),
//! `0x1F` hex, `0b101` binary, underscores inside numbers are ignored. A YAML 1.2 reading would
//! let `value: yes` in an env var pass, which the API server rejects, and misread
//! `defaultMode: 0644`. Quoted and block scalars are always strings.

use super::NodeValue;

/// Resolve a plain (unquoted) scalar.
pub fn resolve_plain(s: &str) -> NodeValue {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return NodeValue::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return NodeValue::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeValue::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeValue::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return NodeValue::String(s.to_string());
    }
    let plain: std::borrow::Cow<str> = if s.contains('_') {
        s.replace('_', "").into()
    } else {
        s.into()
    };
    if let Some(v) = parse_int(&plain) {
        return v;
    }
    if looks_like_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return NodeValue::Float(f);
        }
    }
    NodeValue::String(s.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)` (then `ParseUint`) as go-yaml v2 uses it.
fn parse_int(s: &str) -> Option<NodeValue> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 + 1 {
            Some(NodeValue::Int((magnitude as i128).wrapping_neg() as i64))
        } else {
            None
        }
    } else if magnitude <= i64::MAX as u64 {
        Some(NodeValue::Int(magnitude as i64))
    } else {
        Some(NodeValue::UInt(magnitude))
    }
}

fn looks_like_float(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body.chars().any(|c| c.is_ascii_digit())
}

/// The string form Kubernetes gives a non-string mapping key (`on:` becomes `"true"`).
pub fn key_string(value: &NodeValue, raw: &str) -> String {
    match value {
        NodeValue::String(s) => s.clone(),
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::UInt(u) => u.to_string(),
        NodeValue::Float(_) => raw.to_string(),
        NodeValue::Seq(_) | NodeValue::Map(_) => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeValue::*;

    #[test]
    fn yaml_1_1_booleans() {
        for t in ["yes", "Yes", "on", "ON", "y", "true"] {
            assert_eq!(resolve_plain(t), Bool(true), "{t}");
        }
        for f in ["no", "off", "N", "False"] {
            assert_eq!(resolve_plain(f), Bool(false), "{f}");
        }
        assert_eq!(resolve_plain("yess"), String("yess".into()));
    }

    #[test]
    fn numbers_like_go_yaml_v2() {
        assert_eq!(resolve_plain("0644"), Int(420));
        assert_eq!(resolve_plain("0x1F"), Int(31));
        assert_eq!(resolve_plain("0b101"), Int(5));
        assert_eq!(resolve_plain("1_000"), Int(1000));
        assert_eq!(resolve_plain("-12"), Int(-12));
        assert_eq!(resolve_plain("08"), Float(8.0));
        assert_eq!(resolve_plain("1.5"), Float(1.5));
        assert_eq!(resolve_plain("1e3"), Float(1000.0));
        assert_eq!(resolve_plain("18446744073709551615"), UInt(u64::MAX));
        assert_eq!(resolve_plain("1.2.3"), String("1.2.3".into()));
        assert_eq!(resolve_plain("100m"), String("100m".into()));
        assert_eq!(resolve_plain("-"), String("-".into()));
        assert_eq!(resolve_plain("~"), Null);
    }
}
