//! The embedded schemas of every supported Kubernetes version: the store
//! (`schemas/store.bin`, see [`super::store`]) compiled into the binary, each version read on
//! its first use (only that version's chunks are decompressed) and kept for the rest of the
//! process, with the registry its validators resolve `$ref`s in.

use super::layout::{self, Kind, Schemas};
use super::store::{self, Store};
use serde_json::Value;
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

/// One embedded version, read.
pub struct Version {
    pub minor: u32,
    /// The `_definitions.json` document.
    pub document: Arc<Value>,
    /// Every kind with a schema, sorted.
    pub kinds: Vec<Kind>,
    registry: Result<jsonschema::Registry<'static>, String>,
}

impl std::fmt::Debug for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Version")
            .field("minor", &self.minor)
            .field("kinds", &self.kinds.len())
            .finish()
    }
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

    /// The registry holding the definitions, shared by every validator of the version.
    pub fn registry(&self) -> Result<&jsonschema::Registry<'static>, &str> {
        self.registry.as_ref().map_err(String::as_str)
    }

    fn new(schemas: Schemas) -> Version {
        let minor = schemas.minor;
        let (document, kinds) = schemas.into_document();
        let mut version = Version {
            minor,
            document: Arc::new(document),
            kinds,
            registry: Err(String::new()),
        };
        version.registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .add(version.uri(), Arc::clone(&version.document))
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the built-in schemas do not resolve: {e}"));
        version
    }
}

/// Read one embedded version from the store, descriptions included (not cached).
pub fn read(minor: u32) -> Result<Schemas, String> {
    Store::open(STORE)?.unpack(minor, store::decompress)
}

/// Read one embedded version from the store without the descriptions of its schema nodes,
/// which checking never reads (not cached).
fn read_undescribed(minor: u32) -> Result<Schemas, String> {
    Store::open(STORE)?.unpack_undescribed(minor, store::decompress)
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
        .get_or_init(|| read_undescribed(minor).map(Version::new))
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
        assert!(v.registry().is_ok());
        // Read once: the same version again is the same value.
        assert!(std::ptr::eq(v, version(OLDEST).expect("reads")));
    }
}
