//! `--kubernetes-version` picks the embedded schemas: for every version from 1.31 on, a field
//! that version added is an unknown field one version earlier and accepted at the version
//! itself, through the whole check pipeline; so are enum values, kinds that come and go, and
//! what a target outside the embedded versions gets.

use assert_cmd::Command as Bin;
use clap::Parser;
use kubevet::check::Engine;
use kubevet::cli::{Cli, Command};
use kubevet::diagnostic::Diagnostic;

/// The engine `kubevet check --kubernetes-version 1.<minor>` builds.
fn engine(minor: u32) -> Engine {
    let version = format!("1.{minor}");
    let argv = [
        "kubevet",
        "check",
        "--kubernetes-version",
        &version,
        "x.yaml",
    ];
    let Command::Check(args) = Cli::try_parse_from(argv).expect("args").command else {
        unreachable!()
    };
    kubevet::app::build_engine(&args).expect("engine")
}

fn check(minor: u32, manifest: &str) -> Vec<Diagnostic> {
    engine(minor)
        .check_bytes("x.yaml", manifest.as_bytes())
        .diagnostics
}

/// The findings of the schema and apiVersion checks (not the lint rules).
fn schema_findings(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| {
            [
                "schema",
                "missing-schema",
                "removed-api-version",
                "deprecated-api-version",
                "misplaced-field",
            ]
            .contains(&d.rule.as_str())
        })
        .map(|d| {
            format!(
                "{} {}: {}",
                d.rule,
                d.pointer.as_deref().unwrap_or(""),
                d.message
            )
        })
        .collect()
}

/// A pod whose spec has `extra` (YAML lines indented for the spec) and one container.
fn pod(spec: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}  containers:\n    - name: app\n      image: registry.example/app:1.0\n{container}"
    )
}

/// One field added in a version: the manifest that uses it and the pointer of the field.
struct Added {
    minor: u32,
    field: &'static str,
    manifest: String,
    pointer: &'static str,
}

fn added_fields() -> Vec<Added> {
    vec![
        Added {
            minor: 31,
            field: "supplementalGroupsPolicy",
            manifest: pod("  securityContext:\n    supplementalGroupsPolicy: Strict\n", ""),
            pointer: "/spec/securityContext/supplementalGroupsPolicy",
        },
        Added {
            minor: 31,
            field: "image",
            manifest: pod(
                "  volumes:\n    - name: data\n      image:\n        reference: registry.example/data:1\n",
                "",
            ),
            pointer: "/spec/volumes/0/image",
        },
        Added {
            minor: 32,
            field: "resources",
            manifest: pod("  resources:\n    limits:\n      cpu: \"1\"\n", ""),
            pointer: "/spec/resources",
        },
        Added {
            minor: 33,
            field: "stopSignal",
            manifest: pod(
                "  os:\n    name: linux\n",
                "      lifecycle:\n        stopSignal: SIGUSR1\n",
            ),
            pointer: "/spec/containers/0/lifecycle/stopSignal",
        },
        Added {
            minor: 34,
            field: "hostnameOverride",
            manifest: pod("  hostnameOverride: worker-1\n", ""),
            pointer: "/spec/hostnameOverride",
        },
        Added {
            minor: 35,
            field: "workloadRef",
            manifest: pod("  workloadRef:\n    name: w\n    podGroup: g\n", ""),
            pointer: "/spec/workloadRef",
        },
        Added {
            minor: 36,
            field: "schedulingGroup",
            manifest: pod("  schedulingGroup:\n    podGroupName: g\n", ""),
            pointer: "/spec/schedulingGroup",
        },
        Added {
            minor: 37,
            field: "scheduling",
            manifest: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  scheduling: {}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: app\n          image: registry.example/app:1.0\n".into(),
            pointer: "/spec/scheduling",
        },
    ]
}

#[test]
fn every_version_from_131_has_a_field_added_in_it() {
    let minors: std::collections::BTreeSet<u32> = added_fields().iter().map(|a| a.minor).collect();
    let expected: std::collections::BTreeSet<u32> =
        (kubevet::schema::builtin::OLDEST + 1..=kubevet::schema::builtin::NEWEST).collect();
    assert_eq!(minors, expected);
}

#[test]
fn a_field_is_unknown_before_the_version_that_added_it() {
    for a in added_fields() {
        let before = schema_findings(&check(a.minor - 1, &a.manifest));
        assert!(
            before.len() == 1 && before[0].starts_with(&format!("schema {}:", a.pointer)),
            "1.{}: `{}` should be one unknown field at {}, got {before:#?}",
            a.minor - 1,
            a.field,
            a.pointer
        );
        assert!(
            before[0].contains(a.field),
            "the message names the field: {before:?}"
        );
        let at = schema_findings(&check(a.minor, &a.manifest));
        assert!(
            at.is_empty(),
            "1.{}: `{}` should be accepted, got {at:#?}",
            a.minor,
            a.field
        );
    }
}

#[test]
fn a_field_a_later_version_dropped_is_unknown_again() {
    // `workloadRef` was 1.35's; 1.36 replaced it with `schedulingGroup`.
    let manifest = pod("  workloadRef:\n    name: w\n    podGroup: g\n", "");
    assert!(schema_findings(&check(35, &manifest)).is_empty());
    let after = schema_findings(&check(36, &manifest));
    assert!(
        after.len() == 1 && after[0].starts_with("schema /spec/workloadRef:"),
        "{after:#?}"
    );
}

#[test]
fn enum_values_follow_the_version() {
    // A container's own restart policy: `Always` only (a sidecar) before 1.34.
    let restart = pod(
        "  initContainers:\n    - name: init\n      image: registry.example/init:1.0\n      restartPolicy: OnFailure\n",
        "",
    );
    let before = schema_findings(&check(33, &restart));
    assert!(
        before.len() == 1
            && before[0].starts_with("schema /spec/initContainers/0/restartPolicy:")
            && before[0].contains("must be one of `Always`, not `OnFailure`"),
        "{before:#?}"
    );
    assert!(schema_findings(&check(34, &restart)).is_empty());
    // Numeric toleration operators from 1.35.
    let toleration = pod(
        "  tolerations:\n    - key: cost\n      operator: Lt\n      value: \"5\"\n",
        "",
    );
    let before = schema_findings(&check(34, &toleration));
    assert!(
        before.len() == 1 && before[0].starts_with("schema /spec/tolerations/0/operator:"),
        "{before:#?}"
    );
    assert!(schema_findings(&check(35, &toleration)).is_empty());
}

#[test]
fn kinds_come_and_go_with_the_version() {
    // resource.k8s.io/v1alpha2 was served until 1.30: validated against its 1.30 schema.
    let class = "apiVersion: resource.k8s.io/v1alpha2\nkind: ResourceClass\nmetadata:\n  name: c\ndriverName: d.example.com\n";
    assert!(schema_findings(&check(30, class)).is_empty());
    let typo = class.replace("driverName", "driverNmae");
    let found = schema_findings(&check(30, &typo));
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("schema /driverNmae: unknown field")),
        "{found:#?}"
    );
    let later = schema_findings(&check(31, class));
    assert!(
        later.len() == 1 && later[0].starts_with("removed-api-version /apiVersion:"),
        "{later:#?}"
    );
    // IPAddress went from v1alpha1 (1.30) to v1beta1 (1.31).
    let address = "apiVersion: networking.k8s.io/v1alpha1\nkind: IPAddress\nmetadata:\n  name: 10.0.0.1\nspec:\n  parentRef:\n    resource: services\n    name: s\n";
    assert!(schema_findings(&check(30, address)).is_empty());
    let later = schema_findings(&check(31, address));
    assert!(
        later.len() == 1 && later[0].starts_with("removed-api-version /apiVersion:"),
        "{later:#?}"
    );
}

#[test]
fn targets_outside_the_embedded_versions_use_the_nearest() {
    let policy = pod(
        "  securityContext:\n    supplementalGroupsPolicy: Strict\n",
        "",
    );
    // Older than 1.30: the 1.30 schemas, which do not have the field yet.
    let old = schema_findings(&check(29, &policy));
    assert!(
        old.len() == 1 && old[0].contains("supplementalGroupsPolicy"),
        "{old:#?}"
    );
    // Newer than the newest: the newest schemas.
    assert!(schema_findings(&check(kubevet::schema::builtin::NEWEST + 3, &policy)).is_empty());
}

#[test]
fn the_command_line_picks_the_version_and_says_when_it_has_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pod.yaml");
    std::fs::write(
        &path,
        pod(
            "  securityContext:\n    supplementalGroupsPolicy: Strict\n",
            "",
        ),
    )
    .expect("write");
    let run = |version: &str| {
        let out = Bin::cargo_bin("kubevet")
            .expect("binary")
            .args([
                "check",
                "--format",
                "concise",
                "--kubernetes-version",
                version,
            ])
            .arg(&path)
            .output()
            .expect("runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (stdout, stderr) = run("1.30");
    assert!(
        stdout.contains("supplementalGroupsPolicy") && stdout.contains("schema"),
        "{stdout}"
    );
    assert!(
        !stderr.contains("note"),
        "no note for an embedded version: {stderr}"
    );
    let (stdout, stderr) = run("1.31");
    assert!(!stdout.contains("supplementalGroupsPolicy"), "{stdout}");
    assert!(!stderr.contains("note"), "{stderr}");
    let (_, stderr) = run("1.29");
    assert!(
        stderr.contains("objects are validated against the 1.30 schemas, apiVersions against 1.29"),
        "{stderr}"
    );
}
