//! Kustomize trees read natively: patches are partial objects (checked for what they hold,
//! never for what they leave out), JSON 6902 patches and `$patch: delete` documents are not
//! manifests, and an image a kustomization retags is not judged by its written tag. Every file
//! of `tests/data/kustomize` marks what must be reported on it; and whatever kubevet reports
//! there as an error, `kubectl kustomize` output reports too (no error that rendering would
//! make disappear).

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const TREE: &str = "tests/data/kustomize";

fn kubevet_json(args: &[&str], stdin: Option<&[u8]>) -> serde_json::Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubevet"));
    cmd.args(["check", "--format", "json"]).args(args);
    let out = match stdin {
        None => cmd.output().expect("kubevet runs"),
        Some(bytes) => {
            use std::io::Write;
            let mut child = cmd
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("kubevet runs");
            child.stdin.take().unwrap().write_all(bytes).unwrap();
            child.wait_with_output().expect("kubevet finishes")
        }
    };
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn diagnostics(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["diagnostics"].as_array().expect("diagnostics")
}

#[test]
fn patches_are_partial_objects_and_retagged_images_are_not_latest() {
    let report = kubevet_json(&[TREE], None);
    // (path, line, rule) -> count, as reported and as marked.
    let mut found: BTreeMap<(String, usize, String), usize> = BTreeMap::new();
    for d in diagnostics(&report) {
        let key = (
            d["path"].as_str().unwrap().to_string(),
            d["line"].as_u64().unwrap() as usize,
            d["rule"].as_str().unwrap().to_string(),
        );
        *found.entry(key).or_default() += 1;
    }
    let mut marked = BTreeMap::new();
    for file in support::fixture_files(Path::new(TREE)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for ((line, rule), n) in support::expectations(&text) {
            marked.insert((file.to_string_lossy().into_owned(), line, rule), n);
        }
    }
    assert!(marked.len() >= 3, "the tree marks its findings");
    assert_eq!(found, marked);
    // The JSON 6902 patch and the `$patch: delete` document were skipped, not reported.
    assert!(report["summary"]["skipped"].as_u64().unwrap() >= 2);
}

#[test]
fn every_error_in_the_tree_is_an_error_of_the_rendered_overlay() {
    let rendered = Command::new("kubectl")
        .args(["kustomize", &format!("{TREE}/overlays/prod")])
        .output()
        .expect("kubectl is on PATH (the Kustomize tests need it)");
    assert!(rendered.status.success(), "{rendered:?}");
    let errors = |r: &serde_json::Value| -> Vec<(String, String)> {
        let mut e: Vec<(String, String)> = diagnostics(r)
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                let rule = d["rule"].as_str().unwrap().to_string();
                (rule, d["message"].as_str().unwrap().to_string())
            })
            .collect();
        e.sort();
        e
    };
    let native = errors(&kubevet_json(&[TREE], None));
    let after = errors(&kubevet_json(&["-"], Some(&rendered.stdout)));
    assert!(!native.is_empty());
    assert_eq!(native, after, "errors before and after rendering");
}
