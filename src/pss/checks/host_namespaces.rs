//! `hostNamespaces` (baseline, 1.0+): the pod must not share the node's network, PID or IPC
//! namespace (`hostNetwork`, `hostPID`, `hostIPC` unset or false).

use super::Subject;
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let spec = &s.pod.spec;
    let mut shared = Vec::new();
    let mut sites = Vec::new();
    for (field, on) in [
        ("hostNetwork", spec.host_network),
        ("hostPID", spec.host_pid),
        ("hostIPC", spec.host_ipc),
    ] {
        if on == Some(true) {
            shared.push(format!("{field}=true"));
            sites.push(Site::new(s.pod.field(field), "true"));
        }
    }
    if sites.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::HostNamespaces,
        reason: "host namespaces",
        detail: shared.join(", "),
        sites,
    })
}
