//! Security settings the API server rejects: user and group ids outside 0..2³¹−1, Linux-only
//! fields on a Windows pod (and Windows options on a Linux one), an unknown `os.name`,
//! `shareProcessNamespace` with `hostPID`, host namespaces in a user namespace, `Unmasked`
//! /proc without a user namespace, contradictory privilege settings, seccomp and AppArmor
//! profiles that do not match their type, sysctls (names, duplicates, namespaces shared with
//! the host) and Windows HostProcess pods that mix container kinds.
//!
//! Ported from kubernetes `validatePodSpecSecurityContext`, `ValidateSecurityContext`,
//! `validateSysctls`, `ValidateHostSysctl`, `validateSeccompProfileField`,
//! `ValidateAppArmorProfileField`, `validateOS`, `validateLinux`, `validateWindows`,
//! `validateWindowsHostProcessPod` and `validateHostUsers` (pkg/apis/core/validation), and
//! the sysctl namespaces of k8s.io/component-helpers `node/util/sysctl`.

use super::InvalidPodSpec;
use crate::k8s::names::{is_valid_group_id, is_valid_sysctl_name, is_valid_user_id};
use crate::model::{ContainerRef, PodView};
use crate::pointer::push;
use crate::rules::written;
use crate::rules::{Context, Finding, Target};
use k8s_openapi::api::core::v1::{AppArmorProfile, SeccompProfile};
use std::collections::HashMap;

/// `hostUsers` is honoured from 1.33 (UserNamespacesSupport on by default); before, the API
/// server drops it.
const HOST_USERS_MINOR: u32 = 33;
/// `procMount` is honoured from 1.31 (ProcMountType on by default).
const PROC_MOUNT_MINOR: u32 = 31;

pub(super) fn check(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    pod_context(cx, pod, out);
    for c in &pod.containers {
        container_context(cx, pod, c, out);
    }
    os(cx, pod, out);
    host_process(pod, out);
}

/// A user or group id out of range (`at` writes its pointer, only for a finding).
fn id_check(at: impl FnOnce() -> String, what: &str, id: i64, user: bool, out: &mut Vec<Finding>) {
    let errs = if user {
        is_valid_user_id(id)
    } else {
        is_valid_group_id(id)
    };
    if let Some(msg) = errs.first() {
        out.push(
            Finding::new(InvalidPodSpec::ID, at(), format!("{what} {id}: {msg}"))
                .label("out of range")
                .help("use an id from 0 to 2147483647"),
        );
    }
}

fn pod_context(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let s = &pod.spec;
    let at = || pod.field("securityContext");
    if let Some(sc) = &s.security_context {
        if let Some(u) = sc.run_as_user {
            id_check(|| push(&at(), "runAsUser"), "runAsUser", u, true, out);
        }
        if let Some(g) = sc.run_as_group {
            id_check(|| push(&at(), "runAsGroup"), "runAsGroup", g, false, out);
        }
        if let Some(g) = sc.fs_group {
            id_check(|| push(&at(), "fsGroup"), "fsGroup", g, false, out);
        }
        for (i, g) in sc.supplemental_groups.iter().flatten().enumerate() {
            id_check(|| pod.item(&push(&at(), "supplementalGroups"), i), "supplementalGroups", *g, false, out);
        }
        sysctls(cx, pod, &at(), out);
        if let Some(p) = &sc.seccomp_profile {
            seccomp(&|| push(&at(), "seccompProfile"), p, out);
        }
        if let Some(p) = &sc.app_armor_profile {
            apparmor(&|| push(&at(), "appArmorProfile"), p, out);
        }
    }
    if s.share_process_namespace == Some(true) && s.host_pid == Some(true) {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.field("shareProcessNamespace"),
                "shareProcessNamespace with hostPID: ShareProcessNamespace and HostPID cannot both be enabled",
            )
            .label("conflicts with hostPID")
            .related(pod.field("hostPID"), Target::Value, "hostPID")
            .help("keep one: with `hostPID` the containers already see every process of the node"),
        );
    }
    if cx.options.minor >= HOST_USERS_MINOR && s.host_users == Some(false) {
        for (field, on) in [
            ("hostNetwork", s.host_network),
            ("hostPID", s.host_pid),
            ("hostIPC", s.host_ipc),
        ] {
            if on == Some(true) {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        pod.field(field),
                        format!("{field} in a user namespace: Forbidden: when `pod.Spec.HostUsers` is false"),
                    )
                    .label("host namespace")
                    .related(pod.field("hostUsers"), Target::Value, "hostUsers: false")
                    .help(format!("remove `{field}`, or `hostUsers: false`")),
                );
            }
        }
    }
}

/// Sysctls: valid names, each once, and none of a namespace the pod shares with the node.
fn sysctls(cx: &Context, pod: &PodView, at: &str, out: &mut Vec<Finding>) {
    let Some(list) = pod.spec.security_context.as_ref().and_then(|s| s.sysctls.as_ref()) else {
        return;
    };
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (i, s) in list.iter().enumerate() {
        let name_at = push(&pod.item(&push(at, "sysctls"), i), "name");
        if !written::is_string(cx, &name_at) {
            continue; // a missing name is the schema's finding
        }
        if s.name.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, name_at, "sysctl name: Required value")
                    .label("empty")
                    .help("name the kernel parameter, e.g. `net.ipv4.tcp_syncookies`"),
            );
            continue;
        }
        let errs = is_valid_sysctl_name(&s.name);
        if !errs.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, name_at, format!("sysctl {:?}: {}", s.name, errs.join("; ")))
                    .label("not a sysctl name")
                    .help("write the kernel parameter in dotted form, e.g. `net.core.somaxconn`"),
            );
            continue;
        }
        if let Some(first) = seen.get(s.name.as_str()) {
            out.push(
                Finding::new(InvalidPodSpec::ID, name_at.clone(), format!("sysctl {:?} is set twice: Duplicate value: {:?}", s.name, s.name))
                    .label("set again")
                    .related(first.clone(), Target::Value, "first set here")
                    .help("set each sysctl once"),
            );
        } else {
            seen.insert(s.name.as_str(), name_at.clone());
        }
        let shared = match sysctl_namespace(&s.name) {
            Some(Namespace::Net) if pod.spec.host_network == Some(true) => Some("hostNetwork"),
            Some(Namespace::Ipc) if pod.spec.host_ipc == Some(true) => Some("hostIPC"),
            _ => None,
        };
        if let Some(field) = shared {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    name_at,
                    format!("sysctl {:?} with {field}: may not be specified when '{field}' is true", s.name),
                )
                .label("would change the node")
                .related(pod.field(field), Target::Value, field)
                .help(format!("drop the sysctl, or `{field}`: the pod shares that namespace with the node")),
            );
        }
    }
}

enum Namespace {
    Net,
    Ipc,
}

/// The kernel namespace a sysctl belongs to (`GetNamespace`), for the namespaced ones a pod
/// may share with the node. A name written with `/` separators is read with `.` ones.
fn sysctl_namespace(name: &str) -> Option<Namespace> {
    let normalized: String = match name.find(['.', '/']) {
        Some(i) if name.as_bytes()[i] == b'/' => name
            .chars()
            .map(|c| match c {
                '/' => '.',
                '.' => '/',
                c => c,
            })
            .collect(),
        _ => name.to_string(),
    };
    let n = normalized.as_str();
    if n.starts_with("net.") {
        Some(Namespace::Net)
    } else if n == "kernel.sem"
        || n.starts_with("kernel.shm")
        || n.starts_with("kernel.msg")
        || n.starts_with("fs.mqueue.")
    {
        Some(Namespace::Ipc)
    } else {
        None
    }
}

fn seccomp(at: &dyn Fn() -> String, p: &SeccompProfile, out: &mut Vec<Finding>) {
    profile(at, "seccomp", &p.type_, p.localhost_profile.as_deref(), out);
}

fn apparmor(at: &dyn Fn() -> String, p: &AppArmorProfile, out: &mut Vec<Finding>) {
    profile(at, "AppArmor", &p.type_, p.localhost_profile.as_deref(), out);
    if let Some(l) = p.localhost_profile.as_deref() {
        if p.type_ == "Localhost" && !l.is_empty() && l.trim() != l {
            out.push(
                Finding::new(InvalidPodSpec::ID, push(&at(), "localhostProfile"), format!("AppArmor localhostProfile {l:?}: must not be padded with whitespace"))
                    .label("whitespace")
                    .help("remove the leading and trailing spaces"),
            );
        }
    }
}

/// A `Localhost` profile names its file; the other types do not (`at` writes the profile's
/// pointer, only for a finding).
fn profile(at: &dyn Fn() -> String, what: &str, type_: &str, localhost: Option<&str>, out: &mut Vec<Finding>) {
    match (type_, localhost) {
        ("Localhost", None) | ("Localhost", Some("")) => out.push(
            Finding::new(
                InvalidPodSpec::ID,
                push(&at(), "type"),
                format!("{what} profile Localhost without localhostProfile: must be set when {what} type is Localhost"),
            )
            .label("no profile named")
            .help(format!("add `localhostProfile` with the {what} profile's name on the node")),
        ),
        ("Localhost", Some(_)) => {}
        ("RuntimeDefault" | "Unconfined", Some(_)) => out.push(
            Finding::new(
                InvalidPodSpec::ID,
                push(&at(), "localhostProfile"),
                format!("localhostProfile with {what} type {type_}: can only be set when {what} type is Localhost"),
            )
            .at(Target::Key)
            .label("ignored by this type")
            .help("remove `localhostProfile`, or use `type: Localhost`"),
        ),
        _ => {}
    }
}

fn container_context(cx: &Context, pod: &PodView, c: &ContainerRef, out: &mut Vec<Finding>) {
    let Some(sc) = &c.container.security_context else {
        return;
    };
    let at = || c.field("securityContext");
    if let Some(u) = sc.run_as_user {
        id_check(|| push(&at(), "runAsUser"), "runAsUser", u, true, out);
    }
    if let Some(g) = sc.run_as_group {
        id_check(|| push(&at(), "runAsGroup"), "runAsGroup", g, false, out);
    }
    if cx.options.minor >= PROC_MOUNT_MINOR
        && sc.proc_mount.as_deref() == Some("Unmasked")
        && pod.spec.host_users != Some(false)
    {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                push(&at(), "procMount"),
                "procMount Unmasked outside a user namespace: `hostUsers` must be false to use `Unmasked`",
            )
            .label("needs hostUsers: false")
            .help("set the pod's `hostUsers: false`, or remove `procMount: Unmasked`"),
        );
    }
    if sc.allow_privilege_escalation == Some(false) {
        if sc.privileged == Some(true) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    push(&at(), "allowPrivilegeEscalation"),
                    "allowPrivilegeEscalation false with privileged true: cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                )
                .label("contradicts privileged")
                .related(push(&at(), "privileged"), Target::Value, "privileged")
                .help("a privileged container can always escalate: remove one of the two"),
            );
        }
        if let Some(caps) = sc.capabilities.as_ref().and_then(|c| c.add.as_ref()) {
            for (i, cap) in caps.iter().enumerate() {
                if cap == "CAP_SYS_ADMIN" {
                    out.push(
                        Finding::new(
                            InvalidPodSpec::ID,
                            pod.item(&push(&push(&at(), "capabilities"), "add"), i),
                            "CAP_SYS_ADMIN with allowPrivilegeEscalation false: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                        )
                        .label("contradicts allowPrivilegeEscalation")
                        .related(push(&at(), "allowPrivilegeEscalation"), Target::Value, "allowPrivilegeEscalation: false")
                        .help("remove the capability, or `allowPrivilegeEscalation: false`"),
                    );
                }
            }
        }
    }
    if let Some(p) = &sc.seccomp_profile {
        seccomp(&|| push(&at(), "seccompProfile"), p, out);
    }
    if let Some(p) = &sc.app_armor_profile {
        apparmor(&|| push(&at(), "appArmorProfile"), p, out);
    }
}

/// `os.name`, and the fields the named OS cannot honour.
fn os(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let Some(os) = &pod.spec.os else { return };
    let at = push(&pod.field("os"), "name");
    if !written::is_string(cx, &at) {
        return; // a missing name is the schema's finding
    }
    match os.name.as_str() {
        "" => out.push(
            Finding::new(InvalidPodSpec::ID, at, "os.name: Required value: cannot be empty")
                .label("empty")
                .help("use `linux` or `windows`"),
        ),
        "linux" => linux(pod, out),
        "windows" => windows(pod, out),
        other => out.push(
            Finding::new(
                InvalidPodSpec::ID,
                at,
                format!("os.name {other:?}: Unsupported value: {other:?}: supported values: \"linux\", \"windows\""),
            )
            .label("unknown OS")
            .help(format!("use `{}` (lowercase)", if other.eq_ignore_ascii_case("windows") { "windows" } else { "linux" })),
        ),
    }
}

fn forbidden(at: String, msg: &str, help: &str) -> Finding {
    Finding::new(InvalidPodSpec::ID, at, msg.to_string())
        .at(Target::Key)
        .label("OS mismatch")
        .help(help.to_string())
}

fn linux(pod: &PodView, out: &mut Vec<Finding>) {
    let msg = "windowsOptions: Forbidden: windows options cannot be set for a linux pod";
    let help = "remove `windowsOptions`, or set `os.name: windows`";
    if pod
        .spec
        .security_context
        .as_ref()
        .is_some_and(|s| s.windows_options.is_some())
    {
        out.push(forbidden(push(&pod.field("securityContext"), "windowsOptions"), msg, help));
    }
    for c in &pod.containers {
        if c.container
            .security_context
            .as_ref()
            .is_some_and(|s| s.windows_options.is_some())
        {
            out.push(forbidden(push(&c.field("securityContext"), "windowsOptions"), msg, help));
        }
    }
}

fn windows(pod: &PodView, out: &mut Vec<Finding>) {
    let help = "remove it, or set `os.name: linux`: Windows containers do not have this setting";
    let mut flag = |at: String, field: &str| {
        out.push(forbidden(
            at,
            &format!("{field}: Forbidden: cannot be set for a windows pod"),
            help,
        ));
    };
    let s = &pod.spec;
    let sat = pod.field("securityContext");
    if let Some(sc) = &s.security_context {
        for (field, set) in [
            ("appArmorProfile", sc.app_armor_profile.is_some()),
            ("seLinuxOptions", sc.se_linux_options.is_some()),
            ("seccompProfile", sc.seccomp_profile.is_some()),
            ("fsGroup", sc.fs_group.is_some()),
            ("fsGroupChangePolicy", sc.fs_group_change_policy.is_some()),
            ("sysctls", sc.sysctls.as_ref().is_some_and(|v| !v.is_empty())),
            ("runAsUser", sc.run_as_user.is_some()),
            ("runAsGroup", sc.run_as_group.is_some()),
            ("supplementalGroups", sc.supplemental_groups.is_some()),
            ("supplementalGroupsPolicy", sc.supplemental_groups_policy.is_some()),
            ("seLinuxChangePolicy", sc.se_linux_change_policy.is_some()),
        ] {
            if set {
                flag(push(&sat, field), field);
            }
        }
    }
    for (field, set) in [
        ("hostUsers", s.host_users.is_some()),
        ("hostPID", s.host_pid == Some(true)),
        ("hostIPC", s.host_ipc == Some(true)),
        ("shareProcessNamespace", s.share_process_namespace.is_some()),
    ] {
        if set {
            flag(pod.field(field), field);
        }
    }
    for c in &pod.containers {
        let Some(sc) = &c.container.security_context else {
            continue;
        };
        let cat = c.field("securityContext");
        for (field, set) in [
            ("appArmorProfile", sc.app_armor_profile.is_some()),
            ("seLinuxOptions", sc.se_linux_options.is_some()),
            ("seccompProfile", sc.seccomp_profile.is_some()),
            ("capabilities", sc.capabilities.is_some()),
            ("readOnlyRootFilesystem", sc.read_only_root_filesystem.is_some()),
            ("privileged", sc.privileged.is_some()),
            ("allowPrivilegeEscalation", sc.allow_privilege_escalation.is_some()),
            ("procMount", sc.proc_mount.is_some()),
            ("runAsUser", sc.run_as_user.is_some()),
            ("runAsGroup", sc.run_as_group.is_some()),
        ] {
            if set {
                flag(push(&cat, field), field);
            }
        }
    }
}

/// Windows HostProcess: the pod's and a container's setting agree; all containers or none are
/// HostProcess containers; and such a pod uses the host network.
fn host_process(pod: &PodView, out: &mut Vec<Finding>) {
    let pod_hp = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|s| s.windows_options.as_ref())
        .and_then(|w| w.host_process);
    let pod_hp_at = push(&push(&pod.field("securityContext"), "windowsOptions"), "hostProcess");
    let mut first_hp: Option<String> = None;
    let mut count = 0;
    let mut plain: Option<String> = None;
    for c in &pod.containers {
        let c_hp = c
            .container
            .security_context
            .as_ref()
            .and_then(|s| s.windows_options.as_ref())
            .and_then(|w| w.host_process);
        let c_hp_at = push(&push(&c.field("securityContext"), "windowsOptions"), "hostProcess");
        if let (Some(p), Some(v)) = (pod_hp, c_hp) {
            if p != v {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        c_hp_at.clone(),
                        format!("hostProcess {v} differs from the pod's: pod hostProcess value must be identical if both are specified, was {p}"),
                    )
                    .label("differs from the pod")
                    .related(pod_hp_at.clone(), Target::Value, "pod setting")
                    .help("remove the container's `hostProcess` to inherit the pod's"),
                );
            }
        }
        let effective = c_hp.or(pod_hp).unwrap_or(false);
        if effective {
            count += 1;
            first_hp.get_or_insert(if c_hp.is_some() { c_hp_at } else { pod_hp_at.clone() });
        } else {
            plain.get_or_insert(c.pointer.clone());
        }
    }
    let Some(first) = first_hp else { return };
    if count != pod.containers.len() {
        let mut f = Finding::new(
            InvalidPodSpec::ID,
            first.clone(),
            "some containers are HostProcess containers and some are not: If pod contains any hostProcess containers then all containers must be HostProcess containers",
        )
        .label("HostProcess container");
        if let Some(p) = plain {
            f = f.related(push(&p, "name"), Target::Value, "not a HostProcess container");
        }
        out.push(f.help("set `hostProcess: true` on the pod's `securityContext.windowsOptions` to make every container one"));
    }
    if pod.spec.host_network != Some(true) {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                first,
                "HostProcess containers without hostNetwork: hostNetwork must be true if pod contains any hostProcess containers",
            )
            .label("needs hostNetwork")
            .help("add `hostNetwork: true` to the pod spec"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysctl_namespaces() {
        for (name, ns) in [
            ("net.ipv4.ip_forward", Some("net")),
            ("net/ipv4/ip_forward", Some("net")),
            ("kernel.shm_rmid_forced", Some("ipc")),
            ("kernel.msgmax", Some("ipc")),
            ("kernel.sem", Some("ipc")),
            ("fs.mqueue.msg_max", Some("ipc")),
            ("kernel.domainname", None),
            ("vm.max_map_count", None),
        ] {
            let got = sysctl_namespace(name).map(|n| match n {
                Namespace::Net => "net",
                Namespace::Ipc => "ipc",
            });
            assert_eq!(got, ns, "{name}");
        }
    }
}
