//! `--fix` on disk and on standard input: the target is replaced in one rename (through a
//! symlink, keeping its mode), a write that fails is an error with exit code 2, a write cut
//! short by a file-size limit leaves the manifest untouched or completely fixed, and
//! `--fix -` prints the fixed text with the findings on standard error.

use assert_cmd::Command;
use std::path::Path;

/// A Pod with `hostNetwork` written inside its container: `misplaced-field` moves it.
fn pod(i: usize) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    hostNetwork: true\n"
    )
}

fn pods(n: usize) -> String {
    (0..n).map(pod).collect::<Vec<_>>().join("---\n")
}

const ONLY: &[&str] = &["--select", "misplaced-field", "--fail-level", "never"];

fn kubevet() -> Command {
    let mut c = Command::cargo_bin("kubevet").expect("binary");
    c.timeout(std::time::Duration::from_secs(120));
    c
}

/// Fix `path` with the binary, no limits; returns the exit code.
fn fix(path: &Path) -> i32 {
    let out = kubevet()
        .args(["check", "--fix", "--format", "concise"])
        .args(ONLY)
        .arg(path)
        .output()
        .expect("runs");
    out.status.code().unwrap_or(-1)
}

#[test]
fn a_fix_interrupted_mid_write_leaves_the_manifest_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = pods(200);
    assert!(text.len() > 20_000, "{}", text.len());
    // The completely fixed text, made without a limit.
    let reference = dir.path().join("reference.yaml");
    std::fs::write(&reference, &text).expect("write");
    assert_eq!(fix(&reference), 0);
    let fixed = std::fs::read_to_string(&reference).expect("read");
    assert_ne!(fixed, text);
    assert!(!fixed.contains("    hostNetwork"), "{fixed}");
    assert_eq!(fixed.matches("  hostNetwork: true").count(), 200);

    // Under a file-size limit of a few KB, writing the fixed text fails (or the signal for
    // it kills the process): the target must not be cut short.
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, &text).expect("write");
    let bin = assert_cmd::cargo::cargo_bin("kubevet");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 8; exec \"$0\" check --fix --select misplaced-field --fail-level never big.yaml")
        .arg(&bin)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(!out.status.success(), "the write cannot have succeeded");
    let after = std::fs::read_to_string(&big).expect("read");
    assert!(
        after == text || after == fixed,
        "the manifest is neither untouched nor completely fixed ({} bytes)",
        after.len()
    );
    // Whatever happened, no temporary file named like a manifest was left to be checked.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn a_write_that_fails_is_an_error_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = pods(200);
    std::fs::write(dir.path().join("big.yaml"), &text).expect("write");
    // With the file-size signal ignored (an ignored signal stays ignored across exec), the
    // write that goes over the limit fails with an error instead of killing the process.
    let bin = assert_cmd::cargo::cargo_bin("kubevet");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" check --fix --select misplaced-field --fail-level never --format concise big.yaml")
        .arg(&bin)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write the fixes to") && stderr.contains("big.yaml"),
        "{stderr}"
    );
    assert!(!stderr.contains("applied"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("big.yaml")).expect("read"),
        text
    );
    // The temporary file was removed.
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
}

#[cfg(unix)]
#[test]
fn through_a_symlink_the_target_is_fixed_and_keeps_its_mode() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.yaml");
    std::fs::write(&real, pods(1)).expect("write");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = dir.path().join("link.yaml");
    symlink("real.yaml", &link).expect("symlink");
    assert_eq!(fix(&link), 0);
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink());
    assert_eq!(
        std::fs::read_link(&link).expect("target"),
        Path::new("real.yaml")
    );
    let fixed = std::fs::read_to_string(&real).expect("read");
    assert!(fixed.contains("\n  hostNetwork: true\n"), "{fixed}");
    assert!(!fixed.contains("    hostNetwork"), "{fixed}");
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let text = pods(1);
    let out = kubevet()
        .args(["check", "--fix", "-", "--format", "concise"])
        .args(["--select", "misplaced-field,host-namespace"])
        .write_stdin(text.clone())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("\n  hostNetwork: true\n"), "{stdout}");
    assert!(!stdout.contains("    hostNetwork"), "{stdout}");
    assert!(!stdout.contains("[host-namespace]"), "{stdout}");
    // What is left after the fix is reported on standard error, at the fixed position.
    assert!(
        stderr.contains("[host-namespace]") && !stderr.contains("[misplaced-field]"),
        "{stderr}"
    );
    assert!(stderr.contains("applied 1 fix"), "{stderr}");
    assert_eq!(out.status.code(), Some(1));

    // Nothing to fix: the text comes back as it was.
    let clean = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
    let out = kubevet()
        .args(["check", "--fix", "-", "--fail-level", "never"])
        .write_stdin(clean)
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), clean);
    assert!(out.status.success());
}
