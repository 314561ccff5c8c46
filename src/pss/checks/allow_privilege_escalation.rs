//! `allowPrivilegeEscalation` (restricted, 1.8+): every container must set
//! `securityContext.allowPrivilegeEscalation: false` explicitly (there is no pod-level field to
//! inherit). From 1.25 a pod with `os.name: windows` is exempt.

use super::{containers_phrase, missing_in_sc, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 25 && s.is_windows() {
        return None;
    }
    let mut names = Vec::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        let at = sc_pointer(c, &["allowPrivilegeEscalation"]);
        match sc(c).and_then(|sc| sc.allow_privilege_escalation) {
            Some(false) => continue,
            Some(true) => sites.push(Site::new(at, "true")),
            None if s.unknown(&at) => continue,
            None => sites.push(Site::missing(missing_in_sc(c))),
        }
        names.push(c.name());
    }
    if names.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::AllowPrivilegeEscalation,
        reason: "allowPrivilegeEscalation != false",
        detail: format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            containers_phrase(&names)
        ),
        sites,
    })
}
