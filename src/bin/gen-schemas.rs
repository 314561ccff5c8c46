//! Writes the strict JSON Schemas into `schemas/` (run from the repository root):
//! `cargo run --bin gen-schemas`.

fn main() {
    let dir = std::path::Path::new("schemas").join(kubevet::schema::generate::DIR);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen-schemas: cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    let files = kubevet::schema::generate::generate();
    for (name, content) in &files {
        if let Err(e) = std::fs::write(dir.join(name), content) {
            eprintln!("gen-schemas: cannot write {name}: {e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = std::fs::write(
        "schemas/kubevet.schema.json",
        kubevet::config::json_schema(),
    ) {
        eprintln!("gen-schemas: cannot write the configuration schema: {e}");
        std::process::exit(1);
    }
    println!("wrote {} files to {}", files.len(), dir.display());
}
