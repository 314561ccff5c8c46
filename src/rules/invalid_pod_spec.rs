//! `invalid-pod-spec`: pod-level fields the API server rejects (or warns about) beyond the
//! schema — DNS settings, tolerations, affinity and spread constraints, user and group ids,
//! OS-specific security fields, host namespaces shared in incompatible ways, per-container
//! `restartPolicy`, deadlines and grace periods, host names and the names of referenced
//! objects, host aliases, pull secrets, scheduling gates and static priorities.
//!
//! Ported from kubernetes `ValidatePodSpec` and what it calls (pkg/apis/core/validation:
//! `validateContainers`, `validateInitContainers`, `validatePodDNSConfig`,
//! `ValidateTolerations`, `validateAffinity`, `validateTopologySpreadConstraints`,
//! `validatePodSpecSecurityContext`, `ValidateSecurityContext`, `validateOS`,
//! `validateLinux`, `validateWindows`, `validateWindowsHostProcessPod`, `validateHostUsers`,
//! `ValidateHostAliases`, `validateReadinessGates`, `validateSchedulingGates`), from
//! `ValidatePodCreate` and `ValidatePodTemplateSpec`, from the pod warnings of
//! `GetWarningsForPod` (pkg/api/pod/warnings.go), and from the Priority admission plugin
//! (plugin/pkg/admission/priority) for the built-in priority classes.

mod dns;
mod scheduling;
mod security;

use super::written;
use super::{Context, Finding, Rule, Severity, Target};
use crate::k8s::names::{is_dns1123_label, is_dns1123_subdomain, is_qualified_name};
use crate::k8s::net::validate_ip_for_legacy_field;
use crate::model::{ContainerRole, PodView};
use crate::model::pod::WorkloadKind;
use crate::pointer;
use std::collections::HashMap;

declare_rule! {
    pub struct InvalidPodSpec {
        id: "invalid-pod-spec",
        severity: Error,
        category: Correctness,
        inspects: Pods,
        whole_object: true,
    }
}

/// From 1.35 the ContainerRestartRules gate is on by default (beta): any container may set
/// its own `restartPolicy`. Before, only init containers may, and only to `Always`.
const CONTAINER_RESTART_RULES_MINOR: u32 = 35;

/// The built-in priority classes and their values (scheduling `SystemPriorityClasses`).
const SYSTEM_PRIORITY_CLASSES: &[(&str, i32)] = &[
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

impl Rule for InvalidPodSpec {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        containers(cx, pod, out);
        lifetimes(pod, out);
        names(pod, out);
        priority(pod, out);
        host_aliases(cx, pod, out);
        pull_secrets(pod, out);
        gates(cx, pod, out);
        dns::check(cx, pod, out);
        scheduling::check(cx, pod, out);
        security::check(cx, pod, out);
    }
}

/// The container lists: at least one container, no ephemeral containers on create or in a
/// template, and per-container restart policies only where the version allows them.
fn containers(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let list = pod.field("containers");
    if cx
        .object
        .node_at(&list)
        .is_some_and(|n| n.as_seq().is_some_and(|a| a.is_empty()))
    {
        out.push(
            Finding::new(InvalidPodSpec::ID, list, "containers: Required value")
                .label("no containers")
                .help("a pod runs at least one container: add one"),
        );
    }
    if pod.spec.ephemeral_containers.as_ref().is_some_and(|e| !e.is_empty()) {
        let (msg, label) = if pod.workload == WorkloadKind::Pod {
            ("ephemeralContainers: Forbidden: cannot be set on create", "not on create")
        } else {
            (
                "ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
                "not in a template",
            )
        };
        out.push(
            Finding::new(InvalidPodSpec::ID, pod.field("ephemeralContainers"), msg)
                .at(Target::Key)
                .label(label)
                .help("add ephemeral containers to a running pod with `kubectl debug`, not in the manifest"),
        );
    }
    if cx.options.minor >= CONTAINER_RESTART_RULES_MINOR {
        return;
    }
    for c in &pod.containers {
        let Some(policy) = c.container.restart_policy.as_deref() else {
            continue;
        };
        let at = c.field("restartPolicy");
        match c.role {
            ContainerRole::Main => out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    at,
                    "restartPolicy: Forbidden: may not be set for non-init containers",
                )
                .at(Target::Key)
                .label("only for init containers")
                .help("remove it and set the pod's `spec.restartPolicy`; per-container restart policies need Kubernetes 1.35"),
            ),
            ContainerRole::Init if policy != "Always" => out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    at,
                    format!("init container restartPolicy {policy:?}: Unsupported value: {policy:?}: supported values: \"Always\""),
                )
                .label("only Always")
                .help("use `restartPolicy: Always` to make it a sidecar, or remove it for a regular init container"),
            ),
            _ => {}
        }
    }
}

/// `activeDeadlineSeconds` and `terminationGracePeriodSeconds`.
fn lifetimes(pod: &PodView, out: &mut Vec<Finding>) {
    if let Some(d) = pod.spec.active_deadline_seconds {
        if !(1..=i32::MAX as i64).contains(&d) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    pod.field("activeDeadlineSeconds"),
                    format!("activeDeadlineSeconds {d}: must be between 1 and 2147483647, inclusive"),
                )
                .label("out of range")
                .help("give the pod at least one second, or remove the deadline"),
            );
        }
    }
    if let Some(g) = pod.spec.termination_grace_period_seconds.filter(|g| *g < 0) {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.field("terminationGracePeriodSeconds"),
                format!("terminationGracePeriodSeconds {g}: must be >= 0; negative values are invalid and will be treated as 1 (the API server accepts it with a warning)"),
            )
            .severity(Severity::Warning)
            .label("negative")
            .help("use zero or more seconds"),
        );
    }
}

/// Host names and the names of objects the pod refers to.
fn names(pod: &PodView, out: &mut Vec<Finding>) {
    let s = &pod.spec;
    for (field, value, label) in [
        ("hostname", &s.hostname, true),
        ("subdomain", &s.subdomain, true),
        ("serviceAccountName", &s.service_account_name, false),
        ("nodeName", &s.node_name, false),
        ("priorityClassName", &s.priority_class_name, false),
    ] {
        let Some(v) = value.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let errs = if label {
            is_dns1123_label(v)
        } else {
            is_dns1123_subdomain(v)
        };
        if !errs.is_empty() {
            out.push(name_finding(pod, field, v, &errs, label));
        }
    }
    if let Some(v) = s.runtime_class_name.as_deref() {
        let errs = is_dns1123_subdomain(v);
        if !errs.is_empty() {
            out.push(name_finding(pod, "runtimeClassName", v, &errs, false));
        }
    }
}

fn name_finding(pod: &PodView, field: &str, v: &str, errs: &[String], label: bool) -> Finding {
    let shape = if label {
        "a DNS label: up to 63 lowercase letters, digits and '-'"
    } else {
        "a DNS subdomain: lowercase letters, digits, '-' and '.'"
    };
    Finding::new(
        InvalidPodSpec::ID,
        pod.field(field),
        format!("{field} {v:?}: {}", errs.join("; ")),
    )
    .label("invalid name")
    .help(format!("`{field}` must be {shape}, starting and ending with a letter or digit"))
}

/// The Priority admission plugin computes `priority` from the class; a value written in the
/// manifest must be the one it computes. Only the built-in classes are known statically.
fn priority(pod: &PodView, out: &mut Vec<Finding>) {
    let (Some(p), Some(class)) = (pod.spec.priority, pod.spec.priority_class_name.as_deref())
    else {
        return;
    };
    let Some((_, value)) = SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == class) else {
        return;
    };
    if p != *value {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.field("priority"),
                format!("priority {p}: the integer value of priority ({p}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name"),
            )
            .label("not the class's priority")
            .related(pod.field("priorityClassName"), Target::Value, "priority class")
            .help("remove `priority`: the admission controller sets it from `priorityClassName`"),
        );
    }
}

/// `hostAliases`: an IP and DNS host names each; the same IP twice is a warning.
fn host_aliases(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let mut ips: HashMap<&str, String> = HashMap::new();
    for (i, a) in pod.spec.host_aliases.iter().flatten().enumerate() {
        let at = pod.item(&pod.field("hostAliases"), i);
        let ip_at = pointer::push(&at, "ip");
        if !written::is_string(cx, &ip_at) {
            continue; // a missing ip is the schema's finding
        }
        let errs = validate_ip_for_legacy_field(&a.ip, false);
        if !errs.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, ip_at.clone(), format!("hostAliases ip {:?}: {}", a.ip, errs.join("; ")))
                    .label("not an IP address")
                    .help("give the address the host names resolve to, e.g. `10.1.2.3`"),
            );
        } else if let Some(first) = ips.get(a.ip.as_str()) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    ip_at,
                    format!("hostAliases ip {:?} is listed twice: duplicate ip {:?} (the API server accepts it with a warning)", a.ip, a.ip),
                )
                .severity(Severity::Warning)
                .label("listed again")
                .related(first.clone(), Target::Value, "first listed here")
                .help("list every host name of one IP in a single entry's `hostnames`"),
            );
        } else {
            ips.insert(a.ip.as_str(), ip_at);
        }
        for (j, h) in a.hostnames.iter().flatten().enumerate() {
            let errs = is_dns1123_subdomain(h);
            if !errs.is_empty() {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        pod.item(&pointer::push(&at, "hostnames"), j),
                        format!("hostAliases hostname {h:?}: {}", errs.join("; ")),
                    )
                    .label("invalid host name")
                    .help("use a lowercase DNS name such as `db.internal`"),
                );
            }
        }
    }
}

/// `imagePullSecrets`: the API server warns about empty and repeated names.
fn pull_secrets(pod: &PodView, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (i, s) in pod.spec.image_pull_secrets.iter().flatten().enumerate() {
        let at = pointer::push(&pod.item(&pod.field("imagePullSecrets"), i), "name");
        let name = s.name.as_str();
        if name.is_empty() {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    at,
                    "imagePullSecrets entry without a name: invalid empty name \"\" (the API server accepts it with a warning and ignores it)",
                )
                .severity(Severity::Warning)
                .label("no name")
                .help("name the Secret that holds the registry credentials, or remove the entry"),
            );
        } else if let Some(first) = seen.get(name) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    at,
                    format!("imagePullSecrets lists {name:?} twice: duplicate name {name:?} (the API server accepts it with a warning)"),
                )
                .severity(Severity::Warning)
                .label("listed again")
                .related(first.clone(), Target::Value, "first listed here")
                .help("list each pull secret once"),
            );
        } else {
            seen.insert(name, at);
        }
    }
}

/// Scheduling and readiness gates: qualified names, each gate once; a Pod with gates may not
/// name its node yet.
fn gates(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (i, g) in pod.spec.scheduling_gates.iter().flatten().enumerate() {
        let at = pointer::push(&pod.item(&pod.field("schedulingGates"), i), "name");
        if !written::is_string(cx, &at) {
            continue;
        }
        let errs = is_qualified_name(&g.name);
        if !errs.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, at, format!("scheduling gate {:?}: {}", g.name, errs.join("; ")))
                    .label("invalid gate name")
                    .help("name the gate like a label key, e.g. `example.com/quota-check`"),
            );
        } else if let Some(first) = seen.get(g.name.as_str()) {
            out.push(
                Finding::new(InvalidPodSpec::ID, at, format!("scheduling gate {:?} is listed twice: Duplicate value: {:?}", g.name, g.name))
                    .label("listed again")
                    .related(first.clone(), Target::Value, "first listed here")
                    .help("list each scheduling gate once"),
            );
        } else {
            seen.insert(g.name.as_str(), at);
        }
    }
    if pod.workload == WorkloadKind::Pod
        && pod.spec.scheduling_gates.as_ref().is_some_and(|g| !g.is_empty())
        && pod.spec.node_name.as_deref().is_some_and(|n| !n.is_empty())
    {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.field("nodeName"),
                "nodeName: Forbidden: cannot be set until all schedulingGates have been cleared",
            )
            .at(Target::Key)
            .label("gated pod")
            .related(pod.field("schedulingGates"), Target::Key, "scheduling gates")
            .help("remove `nodeName` (the scheduler places the pod once its gates are cleared), or remove the gates"),
        );
    }
    for (i, g) in pod.spec.readiness_gates.iter().flatten().enumerate() {
        let at = pointer::push(&pod.item(&pod.field("readinessGates"), i), "conditionType");
        let errs = is_qualified_name(&g.condition_type);
        if !errs.is_empty() && written::is_string(cx, &at) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    at,
                    format!("readiness gate conditionType {:?}: {}", g.condition_type, errs.join("; ")),
                )
                .label("invalid condition type")
                .help("name the condition like a label key, e.g. `example.com/load-balancer-ready`"),
            );
        }
    }
}
