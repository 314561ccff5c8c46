//! `appArmorProfile` (baseline, 1.0+): the pod and its containers may set the AppArmor profile
//! type only to `RuntimeDefault` or `Localhost`, and the deprecated per-container annotations
//! `container.apparmor.security.beta.kubernetes.io/<name>` only to `runtime/default`,
//! `localhost/<profile>` or nothing. The controller still reads those annotations at every
//! policy version.

use super::{containers_phrase, go_quote, join_quote, pluralize, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};
use std::collections::BTreeSet;

/// Prefix of the deprecated per-container AppArmor annotations.
pub(super) const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn allowed_annotation(v: &str) -> bool {
    v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")
}

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let mut setters = Vec::new();
    let mut values = BTreeSet::new();
    let mut sites = Vec::new();
    let pod_profile = s
        .pod_security_context()
        .and_then(|p| p.app_armor_profile.as_ref());
    if let Some(profile) = pod_profile {
        let at = s.pod_sc_pointer(&["appArmorProfile", "type"]);
        if !allowed_type(&profile.type_) && !s.unknown(&at) {
            setters.push("pod".to_string());
            values.insert(profile.type_.clone());
            sites.push(Site::new(at, &profile.type_));
        }
    }
    let mut names = Vec::new();
    for c in s.containers() {
        if let Some(profile) = sc(c).and_then(|sc| sc.app_armor_profile.as_ref()) {
            let at = sc_pointer(c, &["appArmorProfile", "type"]);
            if !allowed_type(&profile.type_) && !s.unknown(&at) {
                names.push(c.name());
                values.insert(profile.type_.clone());
                sites.push(Site::new(at, &profile.type_));
            }
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    let mut annotations = Vec::new();
    for (key, value) in s.annotations() {
        if key.starts_with(ANNOTATION_PREFIX) && !allowed_annotation(value) {
            annotations.push(format!("{key}={}", go_quote(value)));
            sites.push(Site::new(s.annotation_pointer(key), value));
        }
    }
    let mut values: Vec<String> = values.into_iter().collect();
    if !annotations.is_empty() {
        annotations.sort();
        setters.push(pluralize("annotation", "annotations", annotations.len()).to_string());
        values.extend(annotations);
    }
    if setters.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::AppArmorProfile,
        reason: pluralize(
            "forbidden AppArmor profile",
            "forbidden AppArmor profiles",
            values.len(),
        ),
        detail: format!(
            "{} must not set AppArmor profile type to {}",
            setters.join(" and "),
            join_quote(&values)
        ),
        sites,
    })
}
