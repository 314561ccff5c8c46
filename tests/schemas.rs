//! The committed schemas are exactly what the generator writes, and they are strict.

use std::path::Path;

#[test]
fn committed_schemas_match_the_generator() {
    let dir = Path::new("schemas").join(kubevet::schema::generate::DIR);
    let files = kubevet::schema::generate::generate();
    let mut stale = Vec::new();
    for (name, content) in &files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(committed) if &committed == content => {}
            _ => stale.push(name.clone()),
        }
    }
    let on_disk = std::fs::read_dir(&dir).expect("schemas dir").count();
    assert!(
        stale.is_empty() && on_disk == files.len(),
        "schemas/ is out of date ({} files differ, {} on disk vs {} generated): run `cargo run --bin gen-schemas`",
        stale.len(),
        on_disk,
        files.len()
    );
}

#[test]
fn every_kind_has_a_file_in_kubeconform_layout() {
    let dir = Path::new("schemas").join(kubevet::schema::generate::DIR);
    for name in [
        "deployment-apps-v1.json",
        "pod-v1.json",
        "ingress-networking-v1.json",
        "customresourcedefinition-apiextensions-v1.json",
        "cronjob-batch-v1.json",
    ] {
        assert!(dir.join(name).exists(), "{name} missing");
    }
}

#[test]
fn schemas_are_strict_but_maps_stay_open() {
    let doc = kubevet::schema::builtin_document();
    let defs = &doc["definitions"];
    assert_eq!(
        defs["io.k8s.api.core.v1.Container"]["additionalProperties"],
        false
    );
    // labels: a map of strings, open.
    let labels = &defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]["labels"];
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

#[test]
fn committed_config_schema_matches_the_code() {
    let committed = std::fs::read_to_string("schemas/kubevet.schema.json").unwrap_or_default();
    assert_eq!(
        committed,
        kubevet::config::json_schema(),
        "schemas/kubevet.schema.json is out of date: run `cargo run --bin gen-schemas`"
    );
}
