//! A repository-shaped run of the real binary: configuration at the root, manifests in
//! subdirectories, presets and pods in different files, and every kind of suppression. The
//! run must give exactly the expected findings.

use assert_cmd::Command;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {role: frontend}
  template:
    metadata:
      labels: {role: frontend}
    spec:
      containers:
      - name: web
        image: nginx:1.27.2
        readinessProbe: {tcpSocket: {port: 80}}
        env:
        - {name: DB_PORT, value: \"5432\"}
      - name: metrics
        image: prom/exporter
        readinessProbe: {tcpSocket: {port: 9100}}
";

#[test]
fn repository_run_gives_exactly_the_expected_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).expect("git dir");
    write(
        root,
        "kubevet.toml",
        "fail-level = \"error\"\nexclude = [\"vendor/**\"]\n\n[rules]\nmissing-liveness-probe = \"off\"\nmissing-resources = \"off\"\nremoved-api-version = \"off\"\n\n[[ignore]]\nrules = [\"latest-tag-pull-policy\"]\ncontainers = [\"metrics\"]\n\n[[ignore]]\nrules = [\"host-namespace\"]\npaths = [\"infra/**\"]\n\n[[ignore]]\nrules = [\"env-freshness\"]\nnames = [\"gone\"]\n",
    );
    write(root, "apps/web/deployment.yaml", DEPLOYMENT);
    write(
        root,
        "apps/presets/db.yaml",
        "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {role: frontend}\n  env:\n  - name: DB_PORT\n    value: \"6379\"\n",
    );
    write(
        root,
        "infra/agent.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  annotations:\n    kubevet.dev/ignore: node-name-pinned\nspec:\n  restartPolicy: Never\n  hostNetwork: true\n  nodeName: worker-1\n  containers:\n  - name: agent\n    image: example/agent:2.0\n",
    );
    write(
        root,
        "apps/jobs/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      hostPID: true  # kubevet-ignore host-namespace -- debugging job\n      containers:\n      - name: job\n        image: busybox  # kubevet-ignore latest-tag-pull-policy -- mirrored\n",
    );
    write(root, "vendor/chart/bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: nginx}]}\n");

    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .current_dir(root)
        .args(["check", "--format", "concise", "--color", "never"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let got: Vec<&str> = stdout.lines().collect();
    let want = [
        "apps/presets/db.yaml:9:11: warning[podpreset-conflict] PodPreset `db` sets env var `DB_PORT` differently from Deployment `web` (apps/web/deployment.yaml)",
    ];
    let normalise = |l: &str| l.trim_start_matches("./").to_string();
    let got: Vec<String> = got.iter().map(|l| normalise(l)).collect();
    assert_eq!(
        got,
        want,
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Only a warning, and the config's fail-level is error.
    assert_eq!(out.status.code(), Some(0));

    // With --report-unused-ignores, the table that silenced nothing is reported where it
    // stands in the configuration file; the used ones are not.
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .current_dir(root)
        .args(["check", "--format", "concise", "--report-unused-ignores"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let unused: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("unused-ignore"))
        .collect();
    assert_eq!(
        unused,
        ["kubevet.toml:17:1: warning[unused-ignore] this [[ignore]] table (rules `env-freshness`) silenced nothing in this run"],
        "{stdout}"
    );

    // `--select` names a rule the configuration turns off: the command line wins.
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .current_dir(root)
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "missing-liveness-probe",
            "apps/web",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("[missing-liveness-probe]"))
            .count(),
        2,
        "{stdout}"
    );

    // The command line overrides the configuration's fail level.
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .current_dir(root)
        .args(["check", "--format", "concise", "--fail-level", "warning"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_configuration_is_a_usage_error_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).expect("git dir");
    write(
        root,
        "kubevet.toml",
        "fail-level = \"error\"\n[rules]\nlatest-tag = \"off\"\n",
    );
    write(root, "a.yaml", DEPLOYMENT);
    let out = Command::cargo_bin("kubevet")
        .expect("binary")
        .current_dir(root)
        .args(["check"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kubevet.toml:3:1: unknown rule `latest-tag`"),
        "{stderr}"
    );
}
