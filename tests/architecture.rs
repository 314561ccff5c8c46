//! Architecture invariants that can be checked mechanically: the rules' code never reaches into
//! the YAML layer (rules return pointers, never spans), and nothing but the reporters and the
//! language server turns diagnostics into text.

use std::path::Path;

/// The non-test part of a Rust file (everything before its first `#[cfg(test)]`).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn rust_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn rules_do_not_reach_into_the_yaml_layer() {
    for f in rust_files("src/rules") {
        if f.ends_with("testing.rs") {
            continue;
        }
        let code = code(&f);
        for forbidden in ["crate::source", "super::super::source"] {
            assert!(
                !code.contains(forbidden),
                "{}: rules work on the model and return pointers; `{forbidden}` is the YAML layer",
                f.display()
            );
        }
    }
}

#[test]
fn only_reporters_and_the_language_server_format_diagnostics() {
    for f in rust_files("src") {
        let s = f.to_string_lossy();
        if s.starts_with("src/report/") || s.starts_with("src/lsp/") {
            continue;
        }
        let code = code(&f);
        for pattern in ["d.message)", "d.line, d.column"] {
            assert!(
                !(code.contains("println!") && code.contains(pattern)),
                "{}: formats diagnostics for users outside report/",
                f.display()
            );
        }
    }
}
