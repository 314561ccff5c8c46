//! Reading JSON schemas without their descriptions. The prose of the embedded definitions is
//! about three quarters of their bytes; checking never reads it, so the schemas a check
//! validates against are parsed straight into values without it (the strings are skipped,
//! never copied). Only the language server's hover shows descriptions: it reads the whole
//! document ([`super::builtin::described`]).

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parse JSON whose schema nodes lose their `description` strings. Values that are data, not
/// schemas (`default`, `enum`, `example` and the `x-` extensions), are kept whole.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = SchemaNode.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// Keys whose values are instance data rather than schemas.
fn is_data(key: &str) -> bool {
    matches!(key, "default" | "enum" | "example" | "examples" | "const") || key.starts_with("x-")
}

/// A schema node (or any JSON value holding schema nodes).
struct SchemaNode;

impl<'de> DeserializeSeed<'de> for SchemaNode {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SchemaNode {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(SchemaNode)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == "description" {
                match map.next_value_seed(Description)? {
                    Some(v) => v,
                    None => continue,
                }
            } else if is_data(&key) {
                map.next_value::<Value>()?
            } else {
                map.next_value_seed(SchemaNode)?
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// The value of a `description` key: `None` for the prose (skipped), or the value when the
/// key is something else, such as a property named `description`.
struct Description;

impl<'de> DeserializeSeed<'de> for Description {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Description {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E>(self, _: &str) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_string<E>(self, _: String) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::Number(n.into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::Number(n.into())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Option<Value>, E> {
        Ok(Some(Number::from_f64(n).map_or(Value::Null, Value::Number)))
    }

    fn visit_unit<E>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        SchemaNode.visit_seq(seq).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        SchemaNode.visit_map(map).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn descriptions_of_schema_nodes_are_left_out_and_nothing_else() {
        let text = json!({
            "definitions": {
                "a.B": {
                    "description": "prose \"quoted\"\nacross lines",
                    "type": "object",
                    "required": ["description"],
                    "properties": {
                        "description": {"description": "the field's own prose", "type": "string"},
                        "size": {"type": "integer", "format": "int32", "maximum": 1.5, "minimum": -3},
                        "flag": {"type": ["boolean", "null"], "default": {"description": "data"}},
                        "mode": {"enum": ["description"], "x-kubernetes-extra": {"description": "kept"}}
                    },
                    "allOf": [{"description": "gone", "nullable": true}]
                }
            }
        })
        .to_string();
        let expected = json!({
            "definitions": {
                "a.B": {
                    "type": "object",
                    "required": ["description"],
                    "properties": {
                        "description": {"type": "string"},
                        "size": {"type": "integer", "format": "int32", "maximum": 1.5, "minimum": -3},
                        "flag": {"type": ["boolean", "null"], "default": {"description": "data"}},
                        "mode": {"enum": ["description"], "x-kubernetes-extra": {"description": "kept"}}
                    },
                    "allOf": [{"nullable": true}]
                }
            }
        });
        assert_eq!(parse(text.as_bytes()), Ok(expected));
    }

    #[test]
    fn invalid_json_is_an_error() {
        assert!(parse(b"{\"a\": ").is_err());
        assert!(parse(b"{} trailing").is_err());
    }
}
