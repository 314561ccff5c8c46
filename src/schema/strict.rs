//! The strict transform of the generated definitions: what the API server enforces with field
//! validation. An object with declared properties rejects unknown fields
//! (`additionalProperties: false`), maps such as labels stay open, int-or-string fields take
//! both forms, quantities take numbers and strings, and the string fields that are enums in
//! the API get the values of [`super::enums`] for the version at hand.
//!
//! Shared with `tools/gen-schemas/` (which includes this file), so every embedded version is
//! made the same way. It needs nothing but `serde_json` and the enum table.

use super::enums::ENUMS;
use serde_json::{json, Map, Value};

/// Make every definition strict and add the enums of Kubernetes 1.`minor`.
pub fn make_strict(definitions: &mut Map<String, Value>, minor: u32) {
    for (name, schema) in definitions.iter_mut() {
        strict_definition(name, schema);
    }
    add_enums(definitions, minor);
}

/// Apply the strict transform to one definition.
fn strict_definition(name: &str, schema: &mut Value) {
    match name {
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => {
            if let Some(o) = schema.as_object_mut() {
                o.insert("type".into(), json!(["integer", "string"]));
            }
        }
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => {
            if let Some(o) = schema.as_object_mut() {
                o.insert("type".into(), json!(["string", "number"]));
            }
        }
        // Arbitrary JSON (CRD defaults, enums, examples): any value.
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON" => {
            let description = schema.get("description").cloned();
            *schema = json!({});
            if let (Some(d), Some(o)) = (description, schema.as_object_mut()) {
                o.insert("description".into(), d);
            }
        }
        _ => close_objects(schema),
    }
}

/// Write the enum table into the definitions. An entry naming a definition or property that
/// does not exist at the version is a mistake in the table: the generator stops.
fn add_enums(definitions: &mut Map<String, Value>, minor: u32) {
    for e in ENUMS {
        let values = e.schema_values_at(minor);
        let property = definitions
            .get_mut(e.definition)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut(e.property));
        let Some(property) = property else {
            panic!(
                "enum table: no property {}.{} in 1.{minor}",
                e.definition, e.property
            );
        };
        let target = if e.items {
            property.get_mut("items")
        } else {
            Some(property)
        };
        match target.and_then(Value::as_object_mut) {
            Some(o) if o.get("type").and_then(Value::as_str) == Some("string") => {
                o.insert("enum".into(), json!(values));
            }
            _ => panic!(
                "enum table: {}.{} is not a string{}",
                e.definition,
                e.property,
                if e.items { " list" } else { "" }
            ),
        }
    }
}

/// `additionalProperties: false` on every object schema with declared properties.
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(o) => {
            if o.contains_key("properties") && !o.contains_key("additionalProperties") {
                o.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (k, v) in o.iter_mut() {
                // Property *names* are not schemas; their values are.
                if k == "properties" || k == "definitions" {
                    if let Value::Object(props) = v {
                        props.values_mut().for_each(close_objects);
                    }
                } else if k != "enum" && k != "const" && k != "default" && k != "examples" {
                    close_objects(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_close_but_data_stays_as_written() {
        let mut defs = Map::new();
        defs.insert(
            "x.Obj".into(),
            json!({
                "type": "object",
                "properties": {
                    "properties": {"type": "object", "properties": {"a": {"type": "string"}}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "default": {"properties": {}},
            }),
        );
        defs.insert(
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString".into(),
            json!({"type": "string"}),
        );
        for (name, schema) in defs.iter_mut() {
            strict_definition(name, schema);
        }
        let obj = &defs["x.Obj"];
        assert_eq!(obj["additionalProperties"], false);
        // A property named `properties` is a schema like any other.
        assert_eq!(
            obj["properties"]["properties"]["additionalProperties"],
            false
        );
        // An open map stays open; a default is data.
        assert_eq!(
            obj["properties"]["labels"]["additionalProperties"]["type"],
            "string"
        );
        assert!(obj["default"].get("additionalProperties").is_none());
        assert_eq!(
            defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"],
            json!(["integer", "string"])
        );
    }
}
