//! The committed schemas are exactly what the generator writes, the embedded store holds
//! exactly the committed schemas of every version, and the schemas are strict.

use kubevet::schema::builtin::{self, NEWEST, OLDEST};
use kubevet::schema::{generate, layout};
use std::collections::BTreeMap;
use std::path::Path;

const REGENERATE: &str = "run `tools/gen-schemas/run.sh`";

/// The JSON files of `schemas/v1.N/`, by name.
fn committed(minor: u32) -> BTreeMap<String, String> {
    let dir = Path::new("schemas").join(layout::dir_name(minor));
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("schemas dir").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "json") {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(name, std::fs::read_to_string(&path).expect("readable"));
        }
    }
    files
}

/// File names that differ between two sets of files, either way.
fn differing(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    let mut names: Vec<String> = a
        .iter()
        .filter(|(n, text)| b.get(*n) != Some(text))
        .map(|(n, _)| n.clone())
        .chain(b.keys().filter(|n| !a.contains_key(*n)).cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn committed_newest_schemas_match_the_generator() {
    let generated = generate::generate();
    assert_eq!(generated.minor, NEWEST);
    let stale = differing(&generated.files(), &committed(NEWEST));
    assert!(
        stale.is_empty(),
        "schemas/v1.{NEWEST} is out of date ({} files differ: {stale:?}): {REGENERATE}",
        stale.len()
    );
}

#[test]
fn the_store_holds_the_newest_version_as_the_generator_writes_it() {
    let generated = generate::generate();
    let stored = builtin::read(NEWEST).expect("the store reads");
    assert!(
        stored == generated,
        "schemas/store.bin is out of date for 1.{NEWEST}: {REGENERATE}"
    );
}

#[test]
fn the_store_holds_exactly_the_committed_schemas_of_every_version() {
    let on_disk: Vec<u32> = std::fs::read_dir("schemas")
        .expect("schemas")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("v1.")?.parse().ok()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let expected: Vec<u32> = (OLDEST..=NEWEST).collect();
    assert_eq!(on_disk, expected, "schemas/v1.N directories");
    assert_eq!(builtin::stored_versions(), Ok(expected.clone()));
    for minor in expected {
        let stored = builtin::read(minor).expect("the store reads").files();
        let stale = differing(&stored, &committed(minor));
        assert!(
            stale.is_empty(),
            "schemas/store.bin and schemas/v1.{minor} differ ({} files: {stale:?}): {REGENERATE}",
            stale.len()
        );
    }
}

#[test]
fn every_version_has_the_common_kinds_in_kubeconform_layout() {
    for minor in OLDEST..=NEWEST {
        let files = committed(minor);
        for name in [
            "_definitions.json",
            "deployment-apps-v1.json",
            "pod-v1.json",
            "ingress-networking-v1.json",
            "customresourcedefinition-apiextensions-v1.json",
            "cronjob-batch-v1.json",
        ] {
            assert!(files.contains_key(name), "1.{minor}: {name} missing");
        }
    }
    // A kind of one version only.
    assert!(committed(30).contains_key("resourceclass-resource-v1alpha2.json"));
    assert!(!committed(31).contains_key("resourceclass-resource-v1alpha2.json"));
}

#[test]
fn schemas_are_strict_but_maps_stay_open() {
    for minor in [OLDEST, NEWEST] {
        let version = builtin::version(minor).expect("reads");
        let document = version.whole_document().expect("parses");
        let defs = &document["definitions"];
        assert_eq!(
            defs["io.k8s.api.core.v1.Container"]["additionalProperties"],
            false
        );
        // labels: a map of strings, open.
        let labels =
            &defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]["labels"];
        assert_eq!(labels["additionalProperties"]["type"], "string");
        assert_eq!(
            defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"],
            serde_json::json!(["integer", "string"])
        );
        assert_eq!(
            defs["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"],
            serde_json::json!(["string", "number"])
        );
    }
}

#[test]
fn committed_config_schema_matches_the_code() {
    let committed = std::fs::read_to_string("schemas/kubevet.schema.json").unwrap_or_default();
    assert_eq!(
        committed,
        kubevet::config::json_schema(),
        "schemas/kubevet.schema.json is out of date: run `cargo run --bin gen-schemas`"
    );
}

#[test]
fn committed_component_schemas_match_the_models() {
    let files = kubevet::schema::config_schema_files();
    assert_eq!(files.len(), 10, "{:?}", files.keys());
    for (name, content) in &files {
        let committed =
            std::fs::read_to_string(format!("schemas/components/{name}")).unwrap_or_default();
        assert!(
            committed == *content,
            "schemas/components/{name} is out of date: run `cargo run --bin gen-schemas`"
        );
    }
}
