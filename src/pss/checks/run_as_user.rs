//! `runAsUser` (restricted, 1.23+): neither the pod nor any container may set `runAsUser: 0`.
//! From 1.35 a pod with its own user namespace (`hostUsers: false`) is exempt.

use super::{containers_phrase, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 35 && s.in_user_namespace() {
        return None;
    }
    let mut setters = Vec::new();
    let mut sites = Vec::new();
    if s.pod_security_context().and_then(|p| p.run_as_user) == Some(0) {
        setters.push("pod".to_string());
        sites.push(Site::new(s.pod_sc_pointer(&["runAsUser"]), "0"));
    }
    let mut names = Vec::new();
    for c in s.containers() {
        if sc(c).and_then(|sc| sc.run_as_user) == Some(0) {
            names.push(c.name());
            sites.push(Site::new(sc_pointer(c, &["runAsUser"]), "0"));
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    if setters.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::RunAsUser,
        reason: "runAsUser=0",
        detail: format!("{} must not set runAsUser=0", setters.join(" and ")),
        sites,
    })
}
