//! Writes kubevet's embedded schemas, from the repository root:
//!
//! - `gen-schemas generate` (built with one version feature, `--features v1_34`): the strict
//!   schemas of that Kubernetes version into `schemas/v1.34/`, in kubeconform's layout;
//! - `gen-schemas pack` (no feature needed): every `schemas/v1.N/` into the compressed store
//!   `schemas/store.bin` that kubevet embeds.
//!
//! `run.sh` beside this crate runs both for every version.

#[cfg(any(feature = "v1_30", feature = "v1_31", feature = "v1_32"))]
extern crate k8s_openapi_026 as k8s_openapi;
#[cfg(any(
    feature = "v1_33",
    feature = "v1_34",
    feature = "v1_35",
    feature = "v1_36",
    feature = "v1_37"
))]
extern crate k8s_openapi_029 as k8s_openapi;

#[cfg(k8s_version)]
#[allow(dead_code)] // Shared with kubevet, which uses more of it.
#[path = "../../../src/schema/enums.rs"]
mod enums;
#[cfg(k8s_version)]
#[path = "../../../src/schema/generate.rs"]
mod generate;
#[cfg(k8s_version)]
mod kinds;
#[allow(dead_code)] // Shared with kubevet, which uses more of it.
#[path = "../../../src/schema/layout.rs"]
mod layout;
#[allow(dead_code)] // Shared with kubevet, which uses more of it.
#[path = "../../../src/schema/store.rs"]
mod store;
#[cfg(k8s_version)]
#[path = "../../../src/schema/strict.rs"]
mod strict;

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(),
        Some("pack") => pack(),
        _ => Err("usage: gen-schemas generate | pack (from the repository root)".into()),
    };
    if let Err(e) = result {
        eprintln!("gen-schemas: {e}");
        std::process::exit(1);
    }
}

/// Write the schemas of this build's version into `schemas/v1.N/`, replacing what was there.
#[cfg(k8s_version)]
fn generate() -> Result<(), String> {
    let schemas = generate::generate();
    let dir = Path::new("schemas").join(layout::dir_name(schemas.minor));
    let files = schemas.files();
    write_dir(&dir, &files)?;
    println!("wrote {} files to {}", files.len(), dir.display());
    Ok(())
}

#[cfg(not(k8s_version))]
fn generate() -> Result<(), String> {
    Err("build with one version feature to generate, e.g. `--features v1_34`".into())
}

/// Replace the JSON files of a directory with `files`.
#[cfg_attr(not(k8s_version), allow(dead_code))]
fn write_dir(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for old in json_files(dir)? {
        std::fs::remove_file(&old).map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
    }
    for (name, content) in files {
        std::fs::write(dir.join(name), content).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    Ok(())
}

/// The `*.json` files of a directory.
fn json_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    Ok(out)
}

/// Pack every `schemas/v1.N/` into `schemas/store.bin`, and check that it reads back.
fn pack() -> Result<(), String> {
    let root = Path::new("schemas");
    let mut versions = Vec::new();
    let entries =
        std::fs::read_dir(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(minor) = name.strip_prefix("v1.").and_then(|m| m.parse::<u32>().ok()) else {
            continue;
        };
        let mut files = BTreeMap::new();
        for path in json_files(&entry.path())? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            files.insert(file.into_owned(), text);
        }
        let schemas =
            layout::Schemas::from_files(minor, &files).map_err(|e| format!("{name}: {e}"))?;
        if schemas.files() != files {
            return Err(format!(
                "{name} is not as the generator writes it: regenerate it"
            ));
        }
        versions.push(schemas);
    }
    versions.sort_by_key(|v| v.minor);
    let bytes = store::pack(&versions, compress);
    let store = store::Store::open(&bytes)?;
    for v in &versions {
        if store.unpack(v.minor, store::decompress)?.files() != v.files() {
            return Err(format!("1.{} does not read back from the store", v.minor));
        }
    }
    let path = root.join("store.bin");
    std::fs::write(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let raw: usize = store.chunks().iter().map(|c| c.raw).sum();
    println!(
        "wrote {} ({} bytes: {} versions, {} chunks, {raw} bytes decompressed)",
        path.display(),
        bytes.len(),
        versions.len(),
        store.chunks().len()
    );
    Ok(())
}

/// LZ4: read back several times faster than deflate, zstd or brotli (see README.md).
fn compress(bytes: &[u8]) -> Vec<u8> {
    lz4_flex::block::compress(bytes)
}
