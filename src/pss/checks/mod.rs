//! One file per Pod Security control, each a port of the admission controller's check with all
//! of its versioned variants, and what they share: the [`Subject`] a check reads (the typed pod
//! spec, its containers in the controller's order — init, main, ephemeral — and the pod's
//! annotations) and the controller's message helpers. Values left out of the typed view for
//! having the wrong type are judged by no check ([`Subject::unknown`]).

mod allow_privilege_escalation;
mod app_armor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes_and_host_lifecycle;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod se_linux_options;
mod seccomp_profile_baseline;
mod seccomp_profile_restricted;
mod sysctls;
mod windows_host_process;

use super::{Control, Violation};
use crate::model::{ContainerRef, JsonRef, JsonView, Object, PodView};
use crate::pointer;
use k8s_openapi::api::core::v1::{PodSecurityContext, SecurityContext};

/// Run one control's variant for policy minor version `minor` (already within the known
/// versions, and at or after the control's first version).
pub(crate) fn run(control: Control, s: &Subject, minor: u64) -> Option<Violation> {
    use Control::*;
    match control {
        AppArmorProfile => app_armor_profile::check(s),
        CapabilitiesBaseline => capabilities_baseline::check(s),
        HostNamespaces => host_namespaces::check(s),
        HostPathVolumes => host_path_volumes::check(s),
        HostPorts => host_ports::check(s),
        HostProbesAndHostLifecycle => host_probes_and_host_lifecycle::check(s),
        Privileged => privileged::check(s),
        ProcMount => proc_mount::check(s, minor),
        SeLinuxOptions => se_linux_options::check(s, minor),
        SeccompProfileBaseline => seccomp_profile_baseline::check(s, minor),
        Sysctls => sysctls::check(s, minor),
        WindowsHostProcess => windows_host_process::check(s),
        AllowPrivilegeEscalation => allow_privilege_escalation::check(s, minor),
        CapabilitiesRestricted => capabilities_restricted::check(s, minor),
        ProcMountRestricted => proc_mount_restricted::check(s),
        RestrictedVolumes => restricted_volumes::check(s),
        RunAsNonRoot => run_as_non_root::check(s, minor),
        RunAsUser => run_as_user::check(s, minor),
        SeccompProfileRestricted => seccomp_profile_restricted::check(s, minor),
    }
}

/// What a check reads: one pod or pod template.
pub(crate) struct Subject<'a> {
    pub pod: &'a PodView,
    annotations: Option<JsonRef<'a>>,
    annotations_pointer: String,
}

impl<'a> Subject<'a> {
    pub fn new(object: &'a Object, pod: &'a PodView) -> Subject<'a> {
        let annotations_pointer = pointer::push(&pod.metadata_pointer, "annotations");
        let annotations = object.view(&annotations_pointer).filter(|a| a.is_map());
        Subject {
            pod,
            annotations,
            annotations_pointer,
        }
    }

    /// Every container in the controller's order: init, main, ephemeral.
    pub fn containers(&self) -> &'a [ContainerRef] {
        &self.pod.containers
    }

    pub fn pod_security_context(&self) -> Option<&'a PodSecurityContext> {
        self.pod.spec.security_context.as_ref()
    }

    /// Pointer of a field under the pod's `securityContext`.
    pub fn pod_sc_pointer(&self, path: &[&str]) -> String {
        pointer::join(&self.pod.field("securityContext"), path)
    }

    /// The pod's annotations with string values, in key order. (A value of another type does
    /// not decode, and the schema reports it.)
    pub fn annotations(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.annotations
            .and_then(JsonView::entries)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k, v.as_str()?)))
    }

    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.annotations?.get(key)?.as_str()
    }

    pub fn annotation_pointer(&self, key: &str) -> String {
        pointer::push(&self.annotations_pointer, key)
    }

    /// `spec.os.name: windows`.
    pub fn is_windows(&self) -> bool {
        self.pod
            .spec
            .os
            .as_ref()
            .is_some_and(|os| os.name == "windows")
    }

    /// `spec.hostUsers: false`: the pod runs in its own user namespace.
    pub fn in_user_namespace(&self) -> bool {
        self.pod.spec.host_users == Some(false)
    }

    /// Pointer of the `index`-th element (as the typed view counts) of the list at `list`.
    pub fn item(&self, list: &str, index: usize) -> String {
        self.pod.item(list, index)
    }

    /// Whether what the document holds at object-relative `at` is unknown to the typed view:
    /// `at` lies in a subtree left out because it had the wrong type, or holds one. The checks
    /// judge neither such a value (a required string left out reads as `""`) nor its absence:
    /// the API server could not even decode the pod, and the `schema` rule reports why.
    pub fn unknown(&self, at: &str) -> bool {
        if self.pod.pruned.is_empty() {
            return false;
        }
        let Some(rel) = at.strip_prefix(self.pod.pointer.as_str()) else {
            return false;
        };
        self.pod
            .pruned
            .removed
            .iter()
            .any(|r| pointer::starts_with(rel, r) || pointer::starts_with(r, rel))
    }
}

/// A container's security context.
pub(crate) fn sc(c: &ContainerRef) -> Option<&SecurityContext> {
    c.container.security_context.as_ref()
}

/// Pointer of a field under a container's `securityContext`.
pub(crate) fn sc_pointer(c: &ContainerRef, path: &[&str]) -> String {
    pointer::join(&c.field("securityContext"), path)
}

/// Pointer of the deepest existing key on the way to a missing value: `base`, then each step
/// for as long as the step exists.
pub(crate) fn deepest(base: &str, steps: &[(&str, bool)]) -> String {
    let mut at = base.to_string();
    for (token, present) in steps {
        if !present {
            break;
        }
        at = pointer::push(&at, token);
    }
    at
}

/// Where a container's missing `securityContext` field belongs: its `securityContext` when it
/// has one, else the container itself.
pub(crate) fn missing_in_sc(c: &ContainerRef) -> String {
    deepest(&c.pointer, &[("securityContext", sc(c).is_some())])
}

/// `singular` for one, `plural` otherwise.
pub(crate) fn pluralize(singular: &'static str, plural: &'static str, n: usize) -> &'static str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

/// `"a", "b", "c"` (nothing for no items); items are not escaped.
pub(crate) fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("\"{}\"", inner.join("\", \""))
}

/// `container "a"` / `containers "a", "b"`.
pub(crate) fn containers_phrase<S: AsRef<str>>(names: &[S]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names)
    )
}

/// A string quoted with escapes as Go's `%q` writes it (for annotation values in messages).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 && c.is_ascii_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) <= 0xFFFF {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_helpers() {
        assert_eq!(join_quote::<&str>(&[]), "");
        assert_eq!(join_quote(&["a"]), r#""a""#);
        assert_eq!(join_quote(&["a", "b"]), r#""a", "b""#);
        assert_eq!(containers_phrase(&["x"]), r#"container "x""#);
        assert_eq!(containers_phrase(&["x", "y"]), r#"containers "x", "y""#);
        assert_eq!(pluralize("volume", "volumes", 0), "volumes");
        assert_eq!(go_quote("unconfined"), r#""unconfined""#);
        assert_eq!(go_quote("a\"b\\c\nd\u{1}é"), r#""a\"b\\c\nd\x01é""#);
        assert_eq!(go_quote("\u{85}"), r#""\u0085""#);
    }

    #[test]
    fn deepest_stops_at_the_first_missing_step() {
        assert_eq!(deepest("/c", &[]), "/c");
        assert_eq!(deepest("/c", &[("a", true), ("b", false)]), "/c/a");
        assert_eq!(deepest("/c", &[("a", false), ("b", true)]), "/c");
        assert_eq!(deepest("/c", &[("a", true), ("b", true)]), "/c/a/b");
    }
}
