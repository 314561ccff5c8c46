//! Custom resources validated from their CustomResourceDefinitions: CRDs in the checked set
//! (`fixtures/crd/` holds them in one stream with their resources) and CRDs given with `--crd`
//! or the configuration's `crds`, for resources checked without them.

use std::io::Write;
use std::process::{Command, Stdio};

const BAD_WIDGET: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n  colour: red\n";

fn concise(args: &[&str], stdin: &str, dir: Option<&std::path::Path>) -> Vec<String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubevet"));
    cmd.args(["check", "--format", "concise"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().expect("kubevet runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn crd_flag_validates_resources_checked_without_their_definition() {
    let crd = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/crd/widgets.yaml");
    let without = concise(&[], BAD_WIDGET, None);
    assert!(
        without.iter().any(|l| l.contains("missing-schema")),
        "{without:?}"
    );
    let with = concise(&["--crd", crd], BAD_WIDGET, None);
    assert!(
        with.iter()
            .any(|l| l.contains("error[schema] `spec.size` must be at least 1")),
        "{with:?}"
    );
    assert!(
        with.iter()
            .any(|l| l.contains("unknown field `colour` in `spec`")),
        "{with:?}"
    );
    assert!(
        !with.iter().any(|l| l.contains("missing-schema")),
        "{with:?}"
    );
    // A directory of CRDs works too.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/crd");
    assert_eq!(concise(&["--crd", dir], BAD_WIDGET, None), with);
}

#[test]
fn the_configuration_names_crds_relative_to_itself() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("crds")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/crd/widgets.yaml"),
        tmp.path().join("crds/widgets.yaml"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("kubevet.toml"), "crds = [\"crds\"]\n").unwrap();
    let found = concise(&[], BAD_WIDGET, Some(tmp.path()));
    assert!(
        found
            .iter()
            .any(|l| l.contains("`spec.size` must be at least 1")),
        "{found:?}"
    );
}

#[test]
fn a_crd_path_that_cannot_be_read_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--crd", "/nonexistent/crds.yaml", "fixtures/crd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/crds.yaml"));
}

/// The CRDs of a file are read once: checked first, the file hands them to the custom
/// resources of the other files, whatever their order; a resource of a kind no other file
/// writes (here, only the CRD's own file) still finds its CRD.
#[test]
fn crds_checked_in_the_run_validate_resources_in_any_file_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let crd = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/crd/widgets.yaml"
    ))
    .unwrap();
    // Only the CRD (the fixture's first document), then a bad Gadget in the same file whose
    // kind no other file writes.
    let only_crd = crd.split("\n---").next().unwrap().to_string();
    let gadget_crd = only_crd
        .replace("widgets.example.com", "gadgets.example.com")
        .replace("Widget", "Gadget")
        .replace("widget", "gadget");
    std::fs::write(
        dir.path().join("b-crds.yaml"),
        format!(
            "{only_crd}\n---\n{gadget_crd}\n---\n{}",
            BAD_WIDGET.replace("Widget", "Gadget")
        ),
    )
    .unwrap();
    // Resources before and after the CRD file in the sorted input order.
    std::fs::write(dir.path().join("a-widget.yaml"), BAD_WIDGET).unwrap();
    std::fs::write(dir.path().join("c-widget.yaml"), BAD_WIDGET).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubevet"))
        .args(["check", "--format", "concise", "--jobs", "1", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    for file in ["a-widget.yaml", "b-crds.yaml", "c-widget.yaml"] {
        assert!(
            lines.iter().any(|l| l.starts_with(file)
                && l.contains("error[schema] `spec.size` must be at least 1")),
            "{file}: {lines:?}"
        );
    }
    assert!(
        !lines.iter().any(|l| l.contains("missing-schema")),
        "{lines:?}"
    );
}
