//! `seccompProfile_restricted` (restricted, 1.19+): every container must run with the
//! runtime's default or a local seccomp profile, set on the container or inherited from the
//! pod; no setting may name another type. From 1.25 a pod with `os.name: windows` is exempt
//! (Windows has no seccomp). It replaces `seccompProfile_baseline` at the restricted level.

use super::seccomp_profile_baseline::{explicit, valid_type};
use super::{containers_phrase, missing_in_sc, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 25 && s.is_windows() {
        return None;
    }
    let found = explicit(s);
    if !found.setters.is_empty() {
        return Some(Violation {
            control: Control::SeccompProfileRestricted,
            reason: "seccompProfile",
            detail: found.detail(),
            sites: found.sites,
        });
    }
    // A pod-level profile that could not be read may well be set: nothing is missing then.
    let pod_set = s
        .pod_security_context()
        .and_then(|p| p.seccomp_profile.as_ref())
        .is_some_and(|p| valid_type(&p.type_))
        || s.unknown(&s.pod_sc_pointer(&["seccompProfile"]));
    if pod_set {
        return None;
    }
    let unset: Vec<_> = s
        .containers()
        .iter()
        .filter(|c| {
            sc(c).and_then(|sc| sc.seccomp_profile.as_ref()).is_none()
                && !s.unknown(&sc_pointer(c, &["seccompProfile"]))
        })
        .collect();
    if unset.is_empty() {
        return None;
    }
    let names: Vec<&str> = unset.iter().map(|c| c.name()).collect();
    Some(Violation {
        control: Control::SeccompProfileRestricted,
        reason: "seccompProfile",
        detail: format!(
            r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
            containers_phrase(&names)
        ),
        sites: unset
            .iter()
            .map(|c| Site::missing(missing_in_sc(c)))
            .collect(),
    })
}
