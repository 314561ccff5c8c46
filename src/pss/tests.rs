//! Unit tests of the Pod Security engine on kubevet's own cases: inheritance from the pod's
//! security context, init and ephemeral containers, the Windows and user-namespace
//! exemptions and the versions they start at, exact-string comparisons, the controller's
//! messages, and pointers (templates, annotations, list elements left out of the view).

use super::*;
use crate::model::objects_of;
use crate::source::{parse_stream, Limits};

fn eval(yaml: &str, level: Level, version: Version) -> Vec<Violation> {
    let parsed = parse_stream(yaml, &Limits::default());
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let root = parsed.documents[0].root.as_ref().expect("a document");
    let objects = objects_of(0, root);
    let pod = PodView::of(&objects[0]).expect("a pod-bearing object");
    evaluate(&objects[0], &pod, level, version)
}

fn ids(violations: &[Violation]) -> Vec<&'static str> {
    violations.iter().map(|v| v.control.id()).collect()
}

fn messages(violations: &[Violation]) -> Vec<String> {
    violations.iter().map(Violation::message).collect()
}

fn pointers(v: &Violation) -> Vec<&str> {
    v.sites.iter().map(|s| s.pointer.as_str()).collect()
}

const R: Level = Level::Restricted;
const B: Level = Level::Baseline;
const V34: Version = Version::V1(34);
const V35: Version = Version::V1(35);

/// A pod that passes the restricted level at every version; `{}` placeholders are filled
/// by the cases below through `str::replace`.
const RESTRICTED: &str = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  initContainers:
  - name: init
    image: busybox
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
  containers:
  - name: main
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
";

#[test]
fn the_restricted_pod_passes_every_level_and_version() {
    for level in Level::ALL {
        for minor in 0..=40 {
            let v = eval(RESTRICTED, level, Version::V1(minor));
            assert!(v.is_empty(), "{level} 1.{minor}: {:?}", messages(&v));
        }
        assert!(eval(RESTRICTED, level, Version::Latest).is_empty());
    }
}

#[test]
fn privileged_level_reports_nothing() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n";
    assert!(eval(yaml, Level::Privileged, Version::Latest).is_empty());
    assert_eq!(
        ids(&eval(yaml, B, Version::Latest)),
        ["hostNamespaces", "privileged"]
    );
}

#[test]
fn a_container_false_overrides_the_pod_run_as_non_root_true() {
    let yaml = RESTRICTED.replacen(
        "      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n",
        "      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n      runAsNonRoot: false\n",
        2,
    );
    let v = eval(&yaml, R, V35);
    assert_eq!(ids(&v), ["runAsNonRoot"]);
    assert_eq!(
        v[0].message(),
        r#"runAsNonRoot != true (containers "init", "main" must not set securityContext.runAsNonRoot=false)"#
    );
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/initContainers/0/securityContext/runAsNonRoot",
            "/spec/containers/0/securityContext/runAsNonRoot"
        ]
    );
    assert_eq!(v[0].sites[0].value.as_deref(), Some("false"));
}

#[test]
fn run_as_non_root_is_inherited_or_missing() {
    // No pod-level value: every container that does not set it is reported, at its
    // securityContext (or the container when it has none).
    let yaml = RESTRICTED.replace("    runAsNonRoot: true\n", "").replacen(
        "  - name: main\n    image: nginx\n    securityContext:\n",
        "  - name: main\n    image: nginx\n    securityContext:\n      runAsNonRoot: true\n",
        1,
    ) + "  ephemeralContainers:\n  - name: debug\n    image: busybox\n    targetContainerName: main\n";
    let v = eval(&yaml, R, V35);
    let non_root = v
        .iter()
        .find(|v| v.control == Control::RunAsNonRoot)
        .unwrap();
    assert_eq!(
        non_root.detail,
        r#"pod or containers "init", "debug" must set securityContext.runAsNonRoot=true"#
    );
    assert_eq!(
        pointers(non_root),
        [
            "/spec/initContainers/0/securityContext",
            "/spec/ephemeralContainers/0"
        ]
    );
    assert_eq!(non_root.sites[0].value, None);

    // An explicit pod-level false is reported alone, before the containers.
    let yaml = RESTRICTED.replace("runAsNonRoot: true", "runAsNonRoot: false");
    let v = eval(&yaml, R, V35);
    assert_eq!(
        messages(&v),
        ["runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)"]
    );
    assert_eq!(pointers(&v[0]), ["/spec/securityContext/runAsNonRoot"]);
}

#[test]
fn run_as_user_greater_than_zero_does_not_stand_in_for_run_as_non_root() {
    let yaml = RESTRICTED.replace("runAsNonRoot: true", "runAsUser: 1000");
    assert_eq!(ids(&eval(&yaml, R, V35)), ["runAsNonRoot"]);
    let yaml = RESTRICTED.replace("runAsNonRoot: true", "runAsNonRoot: true\n    runAsUser: 0");
    let v = eval(&yaml, R, V35);
    assert_eq!(messages(&v), ["runAsUser=0 (pod must not set runAsUser=0)"]);
    // runAsUser is not checked before 1.23.
    assert!(eval(&yaml, R, Version::V1(22)).is_empty());
}

#[test]
fn init_and_ephemeral_containers_are_checked() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: i
    image: x
    securityContext: {privileged: true}
    ports: [{containerPort: 80, hostPort: 8080}]
  containers:
  - name: m
    image: x
    ports: [{containerPort: 80, hostPort: 0}]
  ephemeralContainers:
  - name: e
    image: x
    targetContainerName: m
    securityContext:
      privileged: true
      capabilities: {add: [SYS_ADMIN, CHOWN]}
      procMount: Unmasked
";
    let v = eval(yaml, B, V35);
    assert_eq!(
        messages(&v),
        [
            r#"non-default capabilities (container "e" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#,
            r#"hostPort (container "i" uses hostPort 8080)"#,
            r#"privileged (containers "i", "e" must not set securityContext.privileged=true)"#,
            r#"procMount (container "e" must not set securityContext.procMount to "Unmasked")"#,
        ]
    );
    assert_eq!(
        pointers(&v[0]),
        ["/spec/ephemeralContainers/0/securityContext/capabilities/add/0"]
    );
    assert_eq!(pointers(&v[1]), ["/spec/initContainers/0/ports/0/hostPort"]);
    assert_eq!(
        pointers(&v[2]),
        [
            "/spec/initContainers/0/securityContext/privileged",
            "/spec/ephemeralContainers/0/securityContext/privileged"
        ]
    );
    assert_eq!(
        forbidden_message(LevelVersion::new(B, V35), &v[1..3]),
        r#"violates PodSecurity "baseline:v1.35": hostPort (container "i" uses hostPort 8080), privileged (containers "i", "e" must not set securityContext.privileged=true)"#
    );
}

#[test]
fn windows_pods_are_exempt_from_linux_only_controls_from_1_25() {
    let windows = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: windows}
  securityContext: {runAsNonRoot: true}
  containers:
  - name: c
    image: x
";
    assert!(eval(windows, R, Version::V1(25)).is_empty());
    assert!(eval(windows, R, Version::Latest).is_empty());
    assert_eq!(
        ids(&eval(windows, R, Version::V1(24))),
        [
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "seccompProfile_restricted"
        ]
    );
    // runAsNonRoot is not exempt, and only `windows` exactly is Windows.
    let rooted = windows.replace("  securityContext: {runAsNonRoot: true}\n", "");
    assert_eq!(ids(&eval(&rooted, R, V35)), ["runAsNonRoot"]);
    let linux = windows.replace("{name: windows}", "{name: linux}");
    assert_eq!(eval(&linux, R, V35).len(), 3);
    let capital = windows.replace("{name: windows}", "{name: Windows}");
    assert_eq!(eval(&capital, R, V35).len(), 3);
    // A Windows pod must still not set a bad seccomp type, before or after 1.25 at baseline.
    let bad = windows.replace(
        "{runAsNonRoot: true}",
        "{runAsNonRoot: true, seccompProfile: {type: Unconfined}}",
    );
    assert_eq!(ids(&eval(&bad, B, V35)), ["seccompProfile_baseline"]);
}

#[test]
fn host_users_false_relaxes_three_controls_from_1_35_only() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostUsers: false
  securityContext:
    runAsUser: 0
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: c
    image: x
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
      procMount: Unmasked
";
    assert_eq!(ids(&eval(yaml, B, V34)), ["procMount"]);
    assert!(eval(yaml, B, V35).is_empty());
    assert_eq!(
        ids(&eval(yaml, R, V34)),
        ["procMount", "runAsNonRoot", "runAsUser"]
    );
    // From 1.35 restricted keeps the unconditional procMount control and drops the others.
    let v = eval(yaml, R, V35);
    assert_eq!(ids(&v), ["procMount_restricted"]);
    assert_eq!(v[0].control.rule_id(), "proc-mount");
    assert_eq!(
        pointers(&v[0]),
        ["/spec/containers/0/securityContext/procMount"]
    );
    // hostUsers: true (or unset) relaxes nothing.
    let host = yaml.replace("hostUsers: false", "hostUsers: true");
    assert_eq!(ids(&eval(&host, B, V35)), ["procMount"]);
    assert_eq!(
        ids(&eval(&host, R, V35)),
        ["procMount_restricted", "runAsNonRoot", "runAsUser"]
    );
}

#[test]
fn drop_must_name_all_in_capitals() {
    let lower = RESTRICTED.replacen("drop: [ALL]", "drop: [all]", 1);
    let v = eval(&lower, R, V35);
    assert_eq!(
        messages(&v),
        [
            r#"unrestricted capabilities (container "init" must set securityContext.capabilities.drop=["ALL"])"#
        ]
    );
    // The site is the near miss itself.
    assert_eq!(
        pointers(&v[0]),
        ["/spec/initContainers/0/securityContext/capabilities/drop/0"]
    );
    assert_eq!(v[0].sites[0].value.as_deref(), Some("all"));

    let both = RESTRICTED.replacen("drop: [ALL]", "drop: [all, ALL]", 1);
    assert!(eval(&both, R, V35).is_empty());

    // Missing drop lists are reported at the deepest key that exists.
    let none = RESTRICTED.replacen("      capabilities: {drop: [ALL]}\n", "", 1);
    let v = eval(&none, R, V35);
    assert_eq!(pointers(&v[0]), ["/spec/initContainers/0/securityContext"]);
    assert_eq!(v[0].sites[0].value, None);
    let empty = RESTRICTED.replacen("{drop: [ALL]}", "{drop: []}", 1);
    assert_eq!(
        pointers(&eval(&empty, R, V35)[0]),
        ["/spec/initContainers/0/securityContext/capabilities/drop"]
    );
}

#[test]
fn capabilities_restricted_allows_only_net_bind_service() {
    let yaml = RESTRICTED.replacen(
        "{drop: [ALL]}",
        "{drop: [ALL], add: [NET_BIND_SERVICE, NET_RAW, CHOWN]}",
        2,
    );
    let v = eval(&yaml, R, V35);
    assert_eq!(
        messages(&v),
        [
            r#"unrestricted capabilities (containers "init", "main" must not include "CHOWN", "NET_RAW" in securityContext.capabilities.add)"#
        ]
    );
    assert_eq!(v[0].sites.len(), 4);
    // Baseline allows CHOWN but neither NET_RAW nor case variants.
    assert_eq!(
        messages(&eval(&yaml, B, V35)),
        [
            r#"non-default capabilities (containers "init", "main" must not include "NET_RAW" in securityContext.capabilities.add)"#
        ]
    );
    let variants = RESTRICTED.replacen("{drop: [ALL]}", "{add: [chown, CAP_CHOWN]}", 1);
    assert_eq!(
        eval(&variants, B, V35)[0].detail,
        r#"container "init" must not include "CAP_CHOWN", "chown" in securityContext.capabilities.add"#
    );
}

#[test]
fn seccomp_restricted_inherits_from_the_pod() {
    // Pod sets it: containers inherit.
    assert!(eval(RESTRICTED, R, V35).is_empty());
    // Pod does not: each container must.
    let unset = RESTRICTED.replace("    seccompProfile: {type: RuntimeDefault}\n", "");
    let v = eval(&unset, R, V35);
    assert_eq!(
        messages(&v),
        [
            r#"seccompProfile (pod or containers "init", "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#
        ]
    );
    // A container's own Unconfined overrides the pod and is reported explicitly.
    let container_bad = RESTRICTED.replacen(
        "capabilities: {drop: [ALL]}\n",
        "capabilities: {drop: [ALL]}\n      seccompProfile: {type: Unconfined}\n",
        1,
    );
    let v = eval(&container_bad, R, V35);
    assert_eq!(
        v[0].detail,
        r#"container "init" must not set securityContext.seccompProfile.type to "Unconfined""#
    );
    assert_eq!(
        pointers(&v[0]),
        ["/spec/initContainers/0/securityContext/seccompProfile/type"]
    );
    // A pod-level Unconfined is not rescued by the containers.
    let pod_bad = RESTRICTED.replace("{type: RuntimeDefault}", "{type: Unconfined}");
    assert_eq!(
        eval(&pod_bad, R, V35)[0].detail,
        r#"pod must not set securityContext.seccompProfile.type to "Unconfined""#
    );
    assert_eq!(ids(&eval(&pod_bad, B, V35)), ["seccompProfile_baseline"]);
}

#[test]
fn seccomp_annotations_count_only_before_1_19() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
    container.seccomp.security.alpha.kubernetes.io/c: docker/default
    container.seccomp.security.alpha.kubernetes.io/gone: unconfined
spec:
  containers:
  - name: c
    image: x
";
    let v = eval(yaml, B, Version::V1(18));
    assert_eq!(
        messages(&v),
        [
            r#"seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")"#
        ]
    );
    assert_eq!(
        pointers(&v[0]),
        ["/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod"]
    );
    assert!(eval(yaml, B, Version::V1(19)).is_empty());
}

#[test]
fn apparmor_fields_and_annotations() {
    let yaml = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    container.apparmor.security.beta.kubernetes.io/c: unconfined
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata:
      labels: {app: x}
      annotations:
        container.apparmor.security.beta.kubernetes.io/c: unconfined
        container.apparmor.security.beta.kubernetes.io/d: localhost/mine
    spec:
      securityContext:
        appArmorProfile: {type: Unconfined}
      containers:
      - name: c
        image: x
        securityContext:
          appArmorProfile: {type: Localhost, localhostProfile: p}
";
    let v = eval(yaml, B, Version::Latest);
    assert_eq!(
        messages(&v),
        [
            r#"forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/c="unconfined"")"#
        ]
    );
    // The template's annotations count, not the Deployment's own.
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/template/spec/securityContext/appArmorProfile/type",
            "/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1c"
        ]
    );
}

#[test]
fn se_linux_container_engine_type_is_allowed_from_1_31() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    seLinuxOptions: {type: container_engine_t}
  containers:
  - name: c
    image: x
    securityContext:
      seLinuxOptions: {type: container_t, user: system_u, role: sysadm_r, level: s0}
";
    let v = eval(yaml, B, Version::V1(30));
    assert_eq!(
        messages(&v),
        [
            r#"seLinuxOptions (pod and container "c" set forbidden securityContext.seLinuxOptions: type "container_engine_t"; user may not be set; role may not be set)"#
        ]
    );
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/securityContext/seLinuxOptions/type",
            "/spec/containers/0/securityContext/seLinuxOptions/user",
            "/spec/containers/0/securityContext/seLinuxOptions/role"
        ]
    );
    let v = eval(yaml, B, Version::V1(31));
    assert_eq!(
        v[0].detail,
        r#"container "c" set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set"#
    );
}

#[test]
fn sysctls_follow_the_version_and_list_pointers_survive_left_out_elements() {
    // The first entry has the wrong type and is left out of the typed view; the pointers of
    // the others still name their place in the document.
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    sysctls:
    - name: [not, a, string]
      value: '1'
    - {name: net.ipv4.tcp_notsent_lowat, value: '1'}
    - {name: kernel.msgmax, value: '1'}
  containers:
  - name: c
    image: x
";
    let v = eval(yaml, B, Version::V1(36));
    assert_eq!(
        messages(&v),
        ["forbidden sysctls (net.ipv4.tcp_notsent_lowat, kernel.msgmax)"]
    );
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/securityContext/sysctls/1/name",
            "/spec/securityContext/sysctls/2/name"
        ]
    );
    let v = eval(yaml, B, Version::V1(37));
    assert_eq!(pointers(&v[0]), ["/spec/securityContext/sysctls/2/name"]);
}

#[test]
fn probe_and_lifecycle_hosts_from_1_34() {
    let yaml = "apiVersion: batch/v1
kind: CronJob
metadata: {name: j}
spec:
  schedule: '* * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: b
            image: x
            livenessProbe: {httpGet: {port: 80, host: 169.254.169.254}}
            lifecycle:
              preStop: {tcpSocket: {port: 80, host: example.com}}
          - name: a
            image: x
            readinessProbe: {tcpSocket: {port: 80, host: ''}}
            startupProbe: {httpGet: {port: 80, host: 10.0.0.1}}
";
    assert!(eval(yaml, B, Version::V1(33)).is_empty());
    let v = eval(yaml, B, V34);
    assert_eq!(
        messages(&v),
        [
            r#"probe or lifecycle host (containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "169.254.169.254", "example.com")"#
        ]
    );
    let base = "/spec/jobTemplate/spec/template/spec/containers";
    assert_eq!(
        pointers(&v[0]),
        [
            format!("{base}/0/livenessProbe/httpGet/host"),
            format!("{base}/0/lifecycle/preStop/tcpSocket/host"),
            format!("{base}/1/startupProbe/httpGet/host"),
        ]
    );
}

#[test]
fn volumes() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
  volumes:
  - name: plain
  - name: data
    persistentVolumeClaim: {claimName: c}
  - name: logs
    hostPath: {path: /var/log}
  - name: share
    nfs: {server: s, path: /}
";
    let v = eval(yaml, B, V35);
    assert_eq!(messages(&v), [r#"hostPath volumes (volume "logs")"#]);
    assert_eq!(pointers(&v[0]), ["/spec/volumes/2/hostPath"]);
    assert_eq!(v[0].sites[0].value.as_deref(), Some("/var/log"));
    // Restricted replaces hostPathVolumes; a volume without a source is an emptyDir.
    let v = eval(&RESTRICTED.replace(
        "spec:\n",
        "spec:\n  volumes:\n  - name: plain\n  - name: logs\n    hostPath: {path: /var/log}\n  - name: share\n    nfs: {server: s, path: /}\n",
    ), R, V35);
    assert_eq!(
        messages(&v),
        [
            r#"restricted volume types (volumes "logs", "share" use restricted volume types "hostPath", "nfs")"#
        ]
    );
    assert_eq!(
        pointers(&v[0]),
        ["/spec/volumes/1/hostPath", "/spec/volumes/2/nfs"]
    );
}

#[test]
fn host_namespaces_and_windows_host_process_name_every_setter() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  hostPID: false
  hostIPC: true
  securityContext:
    windowsOptions: {hostProcess: true}
  containers:
  - name: c
    image: x
    securityContext:
      windowsOptions: {hostProcess: true}
";
    let v = eval(yaml, B, V35);
    assert_eq!(
        messages(&v),
        [
            "host namespaces (hostNetwork=true, hostIPC=true)",
            r#"hostProcess (pod and container "c" must not set securityContext.windowsOptions.hostProcess=true)"#
        ]
    );
    assert_eq!(pointers(&v[0]), ["/spec/hostNetwork", "/spec/hostIPC"]);
    assert_eq!(
        pointers(&v[1]),
        [
            "/spec/securityContext/windowsOptions/hostProcess",
            "/spec/containers/0/securityContext/windowsOptions/hostProcess"
        ]
    );
}

#[test]
fn allow_privilege_escalation_must_be_false_explicitly() {
    let yaml = RESTRICTED
        .replacen(
            "allowPrivilegeEscalation: false",
            "allowPrivilegeEscalation: true",
            1,
        )
        .replacen("      allowPrivilegeEscalation: false\n", "", 1);
    let v = eval(&yaml, R, V35);
    assert_eq!(
        messages(&v),
        [
            r#"allowPrivilegeEscalation != false (containers "init", "main" must set securityContext.allowPrivilegeEscalation=false)"#
        ]
    );
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/initContainers/0/securityContext/allowPrivilegeEscalation",
            "/spec/containers/0/securityContext"
        ]
    );
    assert_eq!(v[0].sites[0].value.as_deref(), Some("true"));
    assert_eq!(v[0].sites[1].value, None);
    // Not a control before 1.8.
    assert!(eval(&yaml, R, Version::V1(7))
        .iter()
        .all(|v| v.control != Control::AllowPrivilegeEscalation));
}

#[test]
fn values_left_out_of_the_view_are_not_judged() {
    // Wrong types (the schema rule reports them): a quoted "false", a list for a type, a map
    // for a drop list. The API server could not decode this pod, so no control speaks of them,
    // neither as bad values nor as missing ones.
    let yaml = RESTRICTED
        .replacen(
            "allowPrivilegeEscalation: false",
            "allowPrivilegeEscalation: 'false'",
            1,
        )
        .replace(
            "seccompProfile: {type: RuntimeDefault}",
            "seccompProfile: {type: [RuntimeDefault]}",
        )
        .replace("runAsNonRoot: true", "runAsNonRoot: 'yes'")
        .replacen("{drop: [ALL]}", "{drop: {ALL: true}}", 1);
    assert!(
        eval(&yaml, R, V35).is_empty(),
        "{:?}",
        messages(&eval(&yaml, R, V35))
    );

    // The same values well typed but wrong are reported.
    let yaml = RESTRICTED
        .replacen(
            "allowPrivilegeEscalation: false",
            "allowPrivilegeEscalation: true",
            1,
        )
        .replace("{type: RuntimeDefault}", "{type: Unconfined}")
        .replace("runAsNonRoot: true", "runAsNonRoot: false")
        .replacen("{drop: [ALL]}", "{drop: [NET_RAW]}", 1);
    assert_eq!(
        ids(&eval(&yaml, R, V35)),
        [
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "runAsNonRoot",
            "seccompProfile_restricted"
        ]
    );

    // A profile without its required type reads as the empty type, as the controller reads
    // it, and is forbidden.
    let untyped = RESTRICTED.replace("{type: RuntimeDefault}", "{}");
    assert_eq!(
        messages(&eval(&untyped, B, V35)),
        [r#"seccompProfile (pod must not set securityContext.seccompProfile.type to "")"#]
    );
}
