//! `capabilities_baseline` (baseline, 1.0+): a container may add only capabilities of the
//! runtime's default set, compared exactly (`chown` and `CAP_CHOWN` are not `CHOWN`).

use super::{containers_phrase, join_quote, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};
use std::collections::BTreeSet;

/// The capabilities a container runtime grants by default.
pub(super) const DEFAULT_SET: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let mut names = Vec::new();
    let mut added = BTreeSet::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        let Some(add) = sc(c)
            .and_then(|sc| sc.capabilities.as_ref())
            .and_then(|caps| caps.add.as_ref())
        else {
            continue;
        };
        let list = sc_pointer(c, &["capabilities", "add"]);
        let mut bad = false;
        for (i, cap) in add.iter().enumerate() {
            if !DEFAULT_SET.contains(&cap.as_str()) {
                bad = true;
                added.insert(cap.as_str());
                sites.push(Site::new(s.item(&list, i), cap));
            }
        }
        if bad {
            names.push(c.name());
        }
    }
    if names.is_empty() {
        return None;
    }
    let added: Vec<&str> = added.into_iter().collect();
    Some(Violation {
        control: Control::CapabilitiesBaseline,
        reason: "non-default capabilities",
        detail: format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&names),
            join_quote(&added)
        ),
        sites,
    })
}
