//! JSON values with every mapping's keys in sorted order. kubevet's JSON mappings keep the
//! order their keys were written or inserted in; files kubevet writes (schemas, SARIF) and
//! values shown in messages as the API server prints them (Go sorts a map's keys) use this
//! order instead, so they do not depend on how a value was built.

use serde_json::Value;

/// `v` with the keys of every mapping in sorted order.
pub fn keys_sorted(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), keys_sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(keys_sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_mappings_come_out_sorted_and_equal() {
        let v = serde_json::json!({"b": [{"z": 1, "a": null}], "a": {"y": true, "x": "s"}});
        let sorted = keys_sorted(&v);
        assert_eq!(sorted, v);
        assert_eq!(
            sorted.to_string(),
            r#"{"a":{"x":"s","y":true},"b":[{"a":null,"z":1}]}"#
        );
    }
}
