//! `procMount` (baseline): containers must leave `securityContext.procMount` unset or
//! `Default`. From 1.35 any value is allowed in a pod with its own user namespace
//! (`hostUsers: false`); at the restricted level `procMount_restricted` replaces this control
//! from 1.35 and keeps the unconditional form.

use super::{containers_phrase, join_quote, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};
use std::collections::BTreeSet;

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 35 && s.in_user_namespace() {
        return None;
    }
    unmasked(s, Control::ProcMount)
}

/// The unconditional form: any container whose `procMount` is set to anything but `Default`.
pub(super) fn unmasked(s: &Subject, control: Control) -> Option<Violation> {
    let mut names = Vec::new();
    let mut types = BTreeSet::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        if let Some(mount) = sc(c).and_then(|sc| sc.proc_mount.as_deref()) {
            if mount != "Default" {
                names.push(c.name());
                types.insert(mount);
                sites.push(Site::new(sc_pointer(c, &["procMount"]), mount));
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    Some(Violation {
        control,
        reason: "procMount",
        detail: format!(
            "{} must not set securityContext.procMount to {}",
            containers_phrase(&names),
            join_quote(&types)
        ),
        sites,
    })
}
