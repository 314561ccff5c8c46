//! Writes the strict JSON Schemas of the newest Kubernetes version into `schemas/v1.N/` and the
//! configuration file's schema into `schemas/kubevet.schema.json`, and the schemas of the
//! kubeadm, kubelet and kube-proxy configuration kinds into `schemas/components/` (run from the repository
//! root): `cargo run --bin gen-schemas`. Every version and the embedded store:
//! `tools/gen-schemas/run.sh`.

use kubevet::schema::{generate, layout};
use std::path::Path;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-schemas: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let schemas = generate::generate();
    let dir = Path::new("schemas").join(layout::dir_name(schemas.minor));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Replace the directory's files: a kind the version no longer has loses its file.
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for path in entries.flatten().map(|e| e.path()) {
        if path.extension().is_some_and(|x| x == "json") {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    let files = schemas.files();
    for (name, content) in &files {
        std::fs::write(dir.join(name), content).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    let components = Path::new("schemas").join("components");
    std::fs::create_dir_all(&components)
        .map_err(|e| format!("cannot create {}: {e}", components.display()))?;
    for (name, content) in kubevet::schema::config_schema_files() {
        std::fs::write(components.join(&name), content)
            .map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    std::fs::write(
        "schemas/kubevet.schema.json",
        kubevet::config::json_schema(),
    )
    .map_err(|e| format!("cannot write the configuration schema: {e}"))?;
    println!(
        "wrote {} files to {}; `tools/gen-schemas/run.sh` regenerates the other versions and the store",
        files.len(),
        dir.display()
    );
    Ok(())
}
