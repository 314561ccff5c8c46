//! Kustomize end to end, with the real `kubectl kustomize` (`.ci/run` checks that it is on
//! `PATH`, so these tests never skip silently). The fixture trees under `fixtures/` are checked
//! rendered by `tests/fixtures.rs`; here: the same tree read natively gives the same findings,
//! no error disappears once its root is rendered, a base under two overlays is reported once
//! naming both, and `--kustomize render` without a renderer is a usage error.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const TREE: &str = "fixtures/kustomize/overlay-tree";

fn kubevet_json(args: &[&str], stdin: Option<&[u8]>) -> serde_json::Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubevet"));
    // The trees exercise Kustomize, not resource requests.
    cmd.args(["check", "--format", "json", "--ignore", "missing-resources"])
        .args(args);
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

/// (path, line, rule) -> count.
fn found(report: &serde_json::Value) -> BTreeMap<(String, usize, String), usize> {
    let mut found = BTreeMap::new();
    for d in diagnostics(report) {
        let key = (
            d["path"].as_str().unwrap().to_string(),
            d["line"].as_u64().unwrap() as usize,
            d["rule"].as_str().unwrap().to_string(),
        );
        *found.entry(key).or_default() += 1;
    }
    found
}

#[test]
fn read_natively_the_tree_reports_what_rendering_reports() {
    let report = kubevet_json(&["--kustomize", "off", TREE], None);
    let mut marked = BTreeMap::new();
    for file in support::tree_files(Path::new(TREE)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for ((line, rule), n) in support::expectations(&text) {
            marked.insert((file.to_string_lossy().into_owned(), line, rule), n);
        }
    }
    assert!(marked.len() >= 3, "the tree marks its findings");
    assert_eq!(found(&report), marked);
    // The JSON 6902 patch and the `$patch: delete` document were skipped, not reported.
    assert!(report["summary"]["skipped"].as_u64().unwrap() >= 2);
    assert_eq!(
        report["summary"]["kustomize"],
        serde_json::json!({"rendered": 0, "not_rendered": 0})
    );
    let rendered = kubevet_json(&[TREE], None);
    assert_eq!(
        rendered["summary"]["kustomize"],
        serde_json::json!({"rendered": 1, "not_rendered": 0})
    );
    assert_eq!(found(&rendered), marked);
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
    let native = errors(&kubevet_json(&["--kustomize", "off", TREE], None));
    let after = errors(&kubevet_json(&["-"], Some(&rendered.stdout)));
    assert!(!native.is_empty());
    assert_eq!(native, after, "errors before and after rendering");
}

#[test]
fn a_base_under_two_overlays_is_reported_once_naming_both() {
    let report = kubevet_json(&["fixtures/kustomize/two-overlays-tree"], None);
    let ds = diagnostics(&report);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(
        ds[0]["path"],
        "fixtures/kustomize/two-overlays-tree/base/deployment.yaml"
    );
    let label = ds[0]["label"].as_str().unwrap();
    assert!(
        label.contains("production") && label.contains("staging"),
        "{label}"
    );
    assert_eq!(report["summary"]["kustomize"]["rendered"], 2);
}

#[test]
fn render_without_a_renderer_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--kustomize", "render", TREE])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither `kustomize` nor `kubectl`"));
    // `auto` without one reads the tree natively.
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args([
            "check",
            "--format",
            "json",
            "--ignore",
            "missing-resources",
            TREE,
        ])
        .env("PATH", "")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["kustomize"]["rendered"], 0);
}

#[test]
fn the_rule_page_example_is_reported_and_its_alternative_is_not() {
    let doc = kubevet::rules::RuleId::KustomizeBuild.meta().doc;
    let block = |heading: &str| -> String {
        let rest = &doc[doc.find(heading).unwrap()..];
        let body = &rest[rest.find("```yaml\n").unwrap() + 8..];
        body[..body.find("```").unwrap()].to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("overlays/prod");
    std::fs::create_dir_all(&overlay).unwrap();
    std::fs::create_dir_all(dir.path().join("base")).unwrap();
    std::fs::write(
        dir.path().join("base/kustomization.yaml"),
        "resources: [deployment.yaml]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("base/deployment.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {image: app}\n",
    )
    .unwrap();
    for (heading, fires) in [("## Example", true), ("## Use instead", false)] {
        std::fs::write(overlay.join("kustomization.yaml"), block(heading)).unwrap();
        let report = kubevet_json(&[dir.path().to_str().unwrap()], None);
        let got = diagnostics(&report)
            .iter()
            .any(|d| d["rule"] == "kustomize-build");
        assert_eq!(got, fires, "{heading}: {report:#}");
    }
}
