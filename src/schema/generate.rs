//! The schema generator: strict JSON Schemas for every built-in kind, made from the
//! `k8s-openapi` types with `schemars` and turned strict by [`super::strict`].
//!
//! One build of `k8s-openapi` describes one Kubernetes version. The main build generates the
//! newest version (`cargo run --bin gen-schemas`, and the test that keeps `schemas/` fresh);
//! `tools/gen-schemas/` includes this file to generate every older version in a build of its
//! own (`tools/gen-schemas/run.sh` regenerates everything).

use super::kinds::{kinds, MINOR};
use super::layout::{Kind, Schemas};
use serde_json::{Map, Value};

/// One kind: its identity and how to generate its schema.
pub struct KindEntry {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Adds the kind's definitions to a generator and returns the reference to its root.
    pub generate: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
}

impl KindEntry {
    /// The entry of a `k8s-openapi` resource type.
    pub fn of<T: k8s_openapi::Resource + schemars::JsonSchema>() -> KindEntry {
        KindEntry {
            api_version: T::API_VERSION,
            kind: T::KIND,
            generate: |g| g.subschema_for::<T>(),
        }
    }
}

/// Generate the strict schemas of every kind of this build's Kubernetes version.
pub fn generate() -> Schemas {
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.definitions_path = "#/definitions/".into();
    let mut generator = settings.into_generator();
    let mut out = Vec::new();
    for k in kinds() {
        let root = (k.generate)(&mut generator);
        let definition = root
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
            .unwrap_or_else(|| panic!("{} {} has no definition", k.api_version, k.kind));
        out.push(Kind {
            api_version: k.api_version.to_string(),
            kind: k.kind.to_string(),
            definition: definition.to_string(),
        });
    }
    out.sort();
    let mut definitions: Map<String, Value> = generator.take_definitions(true);
    super::strict::make_strict(&mut definitions, MINOR);
    Schemas {
        minor: MINOR,
        definitions,
        kinds: out,
    }
}
