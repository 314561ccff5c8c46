//! Hostile input: every class gets a clear finding naming the file, never a panic, and never
//! hides another file's findings.

use assert_cmd::Command;
use std::path::Path;

const BAD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:latest\n";

/// Run `kubevet check --format concise` on a directory; (exit code, stdout lines).
fn check(args: &[&str], dir: &Path) -> (i32, Vec<String>) {
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .args(["check", "--format", "concise", "--color", "never"])
        .args(args)
        .arg(dir)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

fn has(lines: &[String], file: &str, rule: &str) -> bool {
    lines
        .iter()
        .any(|l| l.contains(file) && l.contains(&format!("[{rule}]")))
}

#[test]
fn hostile_files_are_reported_and_the_good_finding_survives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("real.yaml"), BAD).expect("write");
    // Binary content and invalid UTF-8.
    std::fs::write(d.join("binary.yaml"), [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    std::fs::write(d.join("latin1.yaml"), b"kind: Pod\nname: caf\xe9\n").expect("write");
    // An alias bomb.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    std::fs::write(d.join("bomb.yaml"), bomb).expect("write");
    // Nesting thousands deep.
    std::fs::write(
        d.join("deep.yaml"),
        format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
    )
    .expect("write");
    // Too many documents.
    std::fs::write(d.join("many.yaml"), "a: 1\n---\n".repeat(10_050)).expect("write");
    // Over the size limit (set low for the test).
    std::fs::write(
        d.join("huge.yaml"),
        format!("data: \"{}\"\n", "x".repeat(5000)),
    )
    .expect("write");
    // Empty and comment-only documents: nothing to say.
    std::fs::write(d.join("empty.yaml"), "").expect("write");
    std::fs::write(d.join("comments.yaml"), "# nothing here\n---\n# nor here\n").expect("write");
    // A directory named like a manifest.
    std::fs::create_dir(d.join("dir.yaml")).expect("mkdir");
    std::fs::write(d.join("dir.yaml").join("inner.yaml"), BAD).expect("write");
    // A Helm template.
    std::fs::write(
        d.join("template.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    )
    .expect("write");

    let (code, lines) = check(&["--max-file-size", "4096", "--max-documents", "10000"], d);
    assert_eq!(code, 1, "{lines:?}");
    assert!(
        has(&lines, "real.yaml", "latest-tag-pull-policy"),
        "{lines:?}"
    );
    assert!(
        has(&lines, "dir.yaml/inner.yaml", "latest-tag-pull-policy"),
        "{lines:?}"
    );
    for (file, rule) in [
        ("binary.yaml", "io"),
        ("latin1.yaml", "io"),
        ("bomb.yaml", "io"),
        ("deep.yaml", "io"),
        ("many.yaml", "io"),
        ("huge.yaml", "io"),
        ("template.yaml", "unrendered-template"),
    ] {
        assert!(has(&lines, file, rule), "{file}: {lines:?}");
    }
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("empty.yaml") || l.contains("comments.yaml")),
        "{lines:?}"
    );
    assert!(lines
        .iter()
        .any(|l| l.contains("binary.yaml") && l.contains("binary file")));
    assert!(lines
        .iter()
        .any(|l| l.contains("latin1.yaml") && l.contains("UTF-8")));
    assert!(lines
        .iter()
        .any(|l| l.contains("huge.yaml") && l.contains("limit")));
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_sockets_and_unreadable_files() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("real.yaml"), BAD).expect("write");
    std::fs::create_dir(d.join("sub")).expect("mkdir");
    symlink(d, d.join("sub").join("loop")).expect("symlink loop");
    symlink(d.join("nowhere.yaml"), d.join("dangling.yaml")).expect("dangling symlink");
    let fifo = d.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let secret = d.join("secret.yaml");
    std::fs::write(&secret, BAD).expect("write");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let unreadable = std::fs::read(&secret).is_err(); // false when running as root

    let (code, lines) = check(&[], d);
    assert_eq!(code, 1, "{lines:?}");
    assert!(
        has(&lines, "real.yaml", "latest-tag-pull-policy"),
        "{lines:?}"
    );
    // The loop is reported, not followed forever.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("loop") && l.contains("[io]")),
        "{lines:?}"
    );
    if made {
        // Named explicitly, a FIFO is reported instead of blocking the run.
        let out = Command::cargo_bin("kubevet")
            .expect("binary")
            .args(["check", "--format", "concise"])
            .arg(&fifo)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("[io]") && text.contains("not a regular file"),
            "{text}"
        );
    }
    // A socket named like a manifest: skipped by the walk, reported when named explicitly.
    let socket = d.join("listen.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind socket");
    let (code, walked) = check(&[], d);
    assert_eq!(code, 1, "{walked:?}");
    assert!(
        !walked.iter().any(|l| l.contains("listen.yaml")),
        "{walked:?}"
    );
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .args(["check", "--format", "concise"])
        .arg(&socket)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("listen.yaml")
            && text.contains("[io]")
            && text.contains("not a regular file"),
        "{text}"
    );
    if unreadable {
        assert!(has(&lines, "secret.yaml", "io"), "{lines:?}");
    } else {
        assert!(
            has(&lines, "secret.yaml", "latest-tag-pull-policy"),
            "{lines:?}"
        );
    }
}

#[test]
fn a_file_deleted_during_the_run_is_reported() {
    // Discovery lists the file; it disappears before it is read.
    let dir = tempfile::tempdir().expect("tempdir");
    let gone = dir.path().join("gone.yaml");
    std::fs::write(&gone, BAD).expect("write");
    let inputs = kubevet::discover::discover(
        &[dir.path().to_string_lossy().into_owned()],
        &Default::default(),
    )
    .expect("inputs");
    std::fs::remove_file(&gone).expect("remove");
    let engine = kubevet::app::build_engine(&Default::default()).expect("engine");
    let run = kubevet::run::check_all(&engine, &inputs);
    assert_eq!(run.diagnostics.len(), 1);
    assert_eq!(run.diagnostics[0].rule, "io");
    assert!(run.diagnostics[0].message.contains("cannot read"));
}

/// A tiny Pod with one finding under `--select latest-tag-pull-policy`: an untagged image.
fn tiny_pod(i: usize) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i:06}\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n")
}

#[test]
fn a_file_of_40000_documents_is_checked_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = (0..40_000).map(tiny_pod).collect::<Vec<_>>().join("---\n");
    assert!(text.len() > 4_500_000, "{}", text.len());
    std::fs::write(dir.path().join("bundle.yaml"), &text).expect("write");
    let (code, lines) = check(
        &["--select", "latest-tag-pull-policy,io,yaml-syntax"],
        dir.path(),
    );
    assert_eq!(code, 1);
    let findings = lines
        .iter()
        .filter(|l| l.contains("[latest-tag-pull-policy]"))
        .count();
    assert_eq!(findings, 40_000);
    assert!(
        !lines.iter().any(|l| l.contains("[io]")),
        "{:?}",
        &lines[..3]
    );
}

#[test]
fn limits_come_from_the_flag_over_the_configuration_over_the_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let text = (0..50).map(tiny_pod).collect::<Vec<_>>().join("---\n");
    std::fs::write(d.join("pods.yaml"), &text).expect("write");
    let deep = format!(
        "a:\n{}",
        (1..40)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect::<String>()
    );
    std::fs::write(d.join("deep.yaml"), deep).expect("write");
    let config = d.join("kubevet.toml");
    let config = config.to_str().expect("UTF-8 path");
    let args = [
        "--select",
        "latest-tag-pull-policy,io,yaml-syntax",
        "--config",
        config,
    ];
    let count = |lines: &[String], what: &str| lines.iter().filter(|l| l.contains(what)).count();

    // The defaults let all of it through.
    std::fs::write(d.join("kubevet.toml"), "").expect("write");
    let (_, lines) = check(&args, d);
    assert_eq!(count(&lines, "[latest-tag-pull-policy]"), 50, "{lines:?}");
    std::fs::write(
        d.join("kubevet.toml"),
        "[limits]\nmax-documents = 10\nmax-depth = 20\nmax-nodes = 100000\n",
    )
    .expect("write");
    let (_, lines) = check(&args, d);
    assert_eq!(count(&lines, "[latest-tag-pull-policy]"), 10, "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("pods.yaml")
            && l.contains("[io]")
            && l.contains("more than 10 documents")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("deep.yaml") && l.contains("[io]") && l.contains("deeper than 20")),
        "{lines:?}"
    );

    // A flag wins over the key.
    let with = |extra: &[&'static str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(extra);
        check(&all, d).1
    };
    let lines = with(&["--max-documents", "100", "--max-nodes", "200"]);
    let found = count(&lines, "[latest-tag-pull-policy]");
    assert!(found > 0 && found < 10, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("pods.yaml") && l.contains("more than 200 nodes")),
        "{lines:?}"
    );
    let lines = with(&["--max-documents", "100", "--max-depth", "100"]);
    assert_eq!(count(&lines, "[latest-tag-pull-policy]"), 50, "{lines:?}");
    assert_eq!(count(&lines, "[io]"), 0, "{lines:?}");

    // Out of range: a usage error, before anything is checked.
    for bad in [
        ["--max-depth", "1001"],
        ["--max-documents", "0"],
        ["--max-nodes", "-1"],
    ] {
        let (code, lines) = check(&bad, d);
        assert_eq!(code, 2, "{bad:?}: {lines:?}");
    }
}
