//! The embedded schemas of every supported Kubernetes version: the store
//! (`schemas/store.bin`, see [`super::store`]) compiled into the binary, each version read on
//! its first use (only that version's chunks are decompressed) and kept for the rest of the
//! process, with the registry its validators resolve `$ref`s in.

use super::layout::{self, Kind, Schemas};
use super::store::{self, Store};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The store: every version's strict schemas, deduplicated and compressed.
static STORE: &[u8] = include_bytes!("../../schemas/store.bin");

/// The oldest Kubernetes minor version embedded.
pub const OLDEST: u32 = 30;

/// The newest Kubernetes minor version embedded: the one this build's `k8s-openapi`
/// describes.
pub const NEWEST: u32 = super::kinds::MINOR;

/// The embedded version whose schemas a target version is validated against: itself, or the
/// nearest embedded one.
pub fn nearest(minor: u32) -> u32 {
    minor.clamp(OLDEST, NEWEST)
}

/// One embedded version, read: its kinds, and its definitions as JSON text, each parsed only
/// when a schema that reaches it is first used. A run checks a handful of kinds, whose
/// schemas reach a fifth of the definitions; parsing all of them (as values, several times
/// their text) cost more than the rest of a small run's schema work.
pub struct Version {
    pub minor: u32,
    /// Every kind with a schema, sorted.
    pub kinds: Vec<Kind>,
    /// The version's structure chunks (JSON text, see [`store`]).
    chunks: Vec<Vec<u8>>,
    /// Definition name -> (chunk, byte range of its schema's text in the chunk).
    index: HashMap<String, (usize, std::ops::Range<usize>)>,
}

impl std::fmt::Debug for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Version")
            .field("minor", &self.minor)
            .field("kinds", &self.kinds.len())
            .finish()
    }
}

/// The `$ref` prefix of a definition of the same document.
const LOCAL_DEFINITION: &str = "#/definitions/";

/// One structure chunk, its schemas left as text.
#[derive(serde::Deserialize)]
struct RawChunk<'a> {
    #[serde(borrow, default)]
    definitions: HashMap<&'a str, &'a serde_json::value::RawValue>,
    #[serde(default)]
    kinds: Vec<[String; 3]>,
}

impl Version {
    /// Where the definitions are registered for `$ref` resolution (never fetched).
    pub fn uri(&self) -> String {
        format!(
            "https://kubevet.invalid/schemas/{}/{}",
            layout::dir_name(self.minor),
            layout::DEFINITIONS_FILE
        )
    }

    /// Index the definitions of a version's structure chunks without parsing them.
    fn new(minor: u32, chunks: Vec<Vec<u8>>) -> Result<Version, String> {
        let mut index = HashMap::new();
        let mut kinds = Vec::new();
        for (i, chunk) in chunks.iter().enumerate() {
            let raw: RawChunk =
                serde_json::from_slice(chunk).map_err(|e| format!("bad chunk: {e}"))?;
            let base = chunk.as_ptr() as usize;
            for (name, schema) in raw.definitions {
                let start = schema.get().as_ptr() as usize - base;
                index.insert(name.to_string(), (i, start..start + schema.get().len()));
            }
            kinds.extend(
                raw.kinds
                    .into_iter()
                    .map(|[api_version, kind, definition]| Kind {
                        api_version,
                        kind,
                        definition,
                    }),
            );
        }
        kinds.sort();
        Ok(Version {
            minor,
            kinds,
            chunks,
            index,
        })
    }

    /// A definition's schema, parsed.
    fn definition(&self, name: &str) -> Option<Result<Value, String>> {
        let (chunk, range) = self.index.get(name)?;
        Some(
            serde_json::from_slice(&self.chunks[*chunk][range.clone()])
                .map_err(|e| format!("bad definition {name}: {e}")),
        )
    }

    /// A definitions document (`{"definitions": {...}}`) holding every definition `schema`
    /// reaches through local `$ref`s: what its validator resolves, and what messages about
    /// it read. A `$ref` to a definition the version lacks is left for the validator to
    /// report.
    pub fn document_for(&self, schema: &Value) -> Result<Value, String> {
        let mut definitions = serde_json::Map::new();
        let mut pending: Vec<String> = Vec::new();
        let queue = |v: &Value, pending: &mut Vec<String>| {
            let mut found = Vec::new();
            super::refs(v, &mut found);
            pending.extend(
                found
                    .into_iter()
                    .filter_map(|r| r.strip_prefix(LOCAL_DEFINITION))
                    .map(str::to_string),
            );
        };
        queue(schema, &mut pending);
        while let Some(name) = pending.pop() {
            if definitions.contains_key(&name) {
                continue;
            }
            let Some(parsed) = self.definition(&name) else {
                continue;
            };
            let parsed = parsed?;
            queue(&parsed, &mut pending);
            definitions.insert(name, parsed);
        }
        Ok(definitions_document(definitions))
    }

    /// Every definition of the version in one document, as `_definitions.json` holds them
    /// (without descriptions).
    pub fn whole_document(&self) -> Result<Value, String> {
        let mut definitions = serde_json::Map::new();
        for name in self.index.keys() {
            if let Some(parsed) = self.definition(name) {
                definitions.insert(name.clone(), parsed?);
            }
        }
        Ok(definitions_document(definitions))
    }

    /// A registry holding `document` (made by [`Version::document_for`]) at [`Version::uri`],
    /// for a validator of one of the version's schemas.
    pub fn registry(&self, document: Arc<Value>) -> Result<jsonschema::Registry<'static>, String> {
        jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .add(self.uri(), document)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the built-in schemas do not resolve: {e}"))
    }
}

/// `{"definitions": definitions}`, moving the map in (`json!` would serialize a copy of it:
/// a deep clone of every definition a validator reaches).
fn definitions_document(definitions: serde_json::Map<String, Value>) -> Value {
    let mut document = serde_json::Map::new();
    document.insert("definitions".to_string(), Value::Object(definitions));
    Value::Object(document)
}

/// Read one embedded version from the store, descriptions included (not cached).
pub fn read(minor: u32) -> Result<Schemas, String> {
    Store::open(STORE)?.unpack(minor, store::decompress)
}

/// Read one embedded version from the store without the descriptions of its schema nodes,
/// which checking never reads (not cached).
fn read_undescribed(minor: u32) -> Result<Version, String> {
    let chunks = Store::open(STORE)?.structure_chunks(minor, store::decompress)?;
    Version::new(minor, chunks)
}

/// The minor versions the store holds.
pub fn stored_versions() -> Result<Vec<u32>, String> {
    Ok(Store::open(STORE)?.versions().to_vec())
}

const COUNT: usize = (NEWEST - OLDEST + 1) as usize;

/// The slot of an embedded version in a per-version cache.
fn slot<T>(cache: &[T; COUNT], minor: u32) -> Result<&T, String> {
    minor
        .checked_sub(OLDEST)
        .and_then(|i| cache.get(i as usize))
        .ok_or_else(|| format!("kubevet has no schemas for Kubernetes 1.{minor}"))
}

/// An embedded version, read on first use, without descriptions (see [`described`]).
pub fn version(minor: u32) -> Result<&'static Version, String> {
    static VERSIONS: [OnceLock<Result<Version, String>>; COUNT] =
        [const { OnceLock::new() }; COUNT];
    slot(&VERSIONS, minor)?
        .get_or_init(|| read_undescribed(minor))
        .as_ref()
        .map_err(Clone::clone)
}

/// The definitions document of an embedded version with the descriptions of its fields, read
/// on first use: what the language server's hover shows. The same document as
/// [`Version::document`] but for the descriptions, so a pointer into one is one into the other.
pub fn described(minor: u32) -> Result<&'static Value, String> {
    static DOCUMENTS: [OnceLock<Result<Value, String>>; COUNT] = [const { OnceLock::new() }; COUNT];
    slot(&DOCUMENTS, minor)?
        .get_or_init(|| read(minor).map(|s| s.into_document().0))
        .as_ref()
        .map_err(Clone::clone)
}

/// What to say when a target version has no schemas of its own, or `None` when it has.
pub fn version_note(minor: u32) -> Option<String> {
    let nearest = nearest(minor);
    (nearest != minor).then(|| {
        format!(
            "kubevet has schemas for Kubernetes 1.{OLDEST} to 1.{NEWEST}; objects are validated against the 1.{nearest} schemas, apiVersions against 1.{minor}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_outside_the_range_use_the_nearest_version() {
        assert_eq!(nearest(19), OLDEST);
        assert_eq!(nearest(OLDEST), OLDEST);
        assert_eq!(nearest(33), 33);
        assert_eq!(nearest(NEWEST), NEWEST);
        assert_eq!(nearest(NEWEST + 5), NEWEST);
        for m in OLDEST..=NEWEST {
            assert_eq!(version_note(m), None);
        }
        let note = version_note(19).expect("note");
        assert!(
            note.contains("against the 1.30 schemas, apiVersions against 1.19"),
            "{note}"
        );
        assert!(version_note(NEWEST + 1).is_some());
    }

    #[test]
    fn every_version_is_stored_and_only_those() {
        assert_eq!(stored_versions(), Ok((OLDEST..=NEWEST).collect::<Vec<_>>()));
        assert!(version(OLDEST - 1).is_err());
        assert!(version(NEWEST + 1).is_err());
        let v = version(OLDEST).expect("reads");
        assert_eq!(v.minor, OLDEST);
        let deployment = serde_json::json!({"$ref": "#/definitions/io.k8s.api.apps.v1.Deployment"});
        let document = v.document_for(&deployment).expect("parses");
        let reached = document["definitions"].as_object().expect("definitions");
        assert!(reached.contains_key("io.k8s.api.core.v1.Container"));
        assert!(!reached.contains_key("io.k8s.api.core.v1.Service"));
        let whole = v.whole_document().expect("parses");
        assert!(whole["definitions"].as_object().expect("definitions").len() > reached.len());
        assert!(v.registry(Arc::new(document)).is_ok());
        // Read once: the same version again is the same value.
        assert!(std::ptr::eq(v, version(OLDEST).expect("reads")));
    }
}
