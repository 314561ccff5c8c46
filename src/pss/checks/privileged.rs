//! `privileged` (baseline, 1.0+): no container (init, main or ephemeral) may set
//! `securityContext.privileged: true`.

use super::{containers_phrase, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let mut names = Vec::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        if sc(c).and_then(|sc| sc.privileged) == Some(true) {
            names.push(c.name());
            sites.push(Site::new(sc_pointer(c, &["privileged"]), "true"));
        }
    }
    if sites.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::Privileged,
        reason: "privileged",
        detail: format!(
            "{} must not set securityContext.privileged=true",
            containers_phrase(&names)
        ),
        sites,
    })
}
