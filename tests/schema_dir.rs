//! `--schema-dir` takes JSON schemas in the kubeconform layout. A directory with none usable
//! (CRD YAML, which `--crd` takes; schemas one level down; nothing at all) stops the run with
//! an error that says what to give instead, as an unreadable one does.

use assert_cmd::Command;
use std::path::Path;

const WIDGET: &str =
    "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n";

/// (exit code, stdout, stderr) of `kubevet check --schema-dir DIR` on a widget.
fn run(flag: &str, dir: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .args(["check", "--format", "concise", "--color", "never", flag])
        .arg(dir)
        .arg("-")
        .write_stdin(WIDGET)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_directory_of_crd_yaml_says_to_use_crd() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crd = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/crd/widgets.yaml");
    std::fs::copy(crd, dir.path().join("widgets.yaml")).expect("copy");
    let (code, stdout, stderr) = run("--schema-dir", dir.path());
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("holds no usable JSON schema"), "{stderr}");
    assert!(stderr.contains("`widgets.yaml`"), "{stderr}");
    assert!(
        stderr.contains(&format!("`--crd {}`", dir.path().display())),
        "{stderr}"
    );
    // The same directory given with `--crd` validates the widget.
    let (code, stdout, stderr) = run("--crd", dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("`spec.size` must be at least 1"),
        "{stdout}"
    );
}

#[test]
fn a_crd_in_json_is_not_taken_for_a_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("widgets.json"),
        r#"{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets.example.com"}}"#,
    )
    .expect("write");
    let (code, _, stderr) = run("--schema-dir", dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`--crd "), "{stderr}");
}

#[test]
fn empty_and_nested_directories_are_errors_that_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, stderr) = run("--schema-dir", dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("holds no usable JSON schema"), "{stderr}");
    assert!(stderr.contains("kubeconform layout"), "{stderr}");
    std::fs::create_dir(dir.path().join("v1.33.0-standalone-strict")).expect("mkdir");
    std::fs::write(
        dir.path()
            .join("v1.33.0-standalone-strict/widget-example-v1.json"),
        "{}",
    )
    .expect("write");
    let (code, _, stderr) = run("--schema-dir", dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`v1.33.0-standalone-strict`"), "{stderr}");
}

#[test]
fn a_directory_with_a_schema_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("widget-example-v1.json"),
        r#"{"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer", "minimum": 1}}}}}"#,
    )
    .expect("write");
    // A CRD beside the schemas does no harm.
    std::fs::write(
        dir.path().join("notes.yaml"),
        "kind: CustomResourceDefinition\n",
    )
    .expect("write");
    let (code, stdout, stderr) = run("--schema-dir", dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("[schema]"), "{stdout}");
}
