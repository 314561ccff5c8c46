//! `seccompProfile_baseline` (baseline): a seccomp profile, where set, must be the runtime's
//! default or a local one. Before 1.19 the policy reads the alpha annotations
//! (`seccomp.security.alpha.kubernetes.io/pod`, `container.seccomp.security.alpha.kubernetes.io/<name>`:
//! `runtime/default`, `docker/default` or `localhost/<profile>`); from 1.19 it reads
//! `securityContext.seccompProfile.type` of the pod and every container (`RuntimeDefault` or
//! `Localhost`). At the restricted level `seccompProfile_restricted` replaces it from 1.19.

use super::{containers_phrase, go_quote, join_quote, pluralize, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};
use std::collections::{BTreeMap, BTreeSet};

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// A seccomp profile type the policy accepts.
pub(super) fn valid_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn valid_annotation(v: &str) -> bool {
    v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/")
}

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor < 19 {
        annotations(s)
    } else {
        fields(s)
    }
}

fn annotations(s: &Subject) -> Option<Violation> {
    // Keyed by the message text, so that each is reported once and in sorted order.
    let mut forbidden: BTreeMap<String, Site> = BTreeMap::new();
    let keys = std::iter::once(POD_ANNOTATION.to_string()).chain(
        s.containers()
            .iter()
            .map(|c| format!("{CONTAINER_ANNOTATION_PREFIX}{}", c.name())),
    );
    for key in keys {
        if let Some(value) = s.annotation(&key) {
            if !valid_annotation(value) {
                let site = Site::new(s.annotation_pointer(&key), value);
                forbidden
                    .entry(format!("{key}={}", go_quote(value)))
                    .or_insert(site);
            }
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let texts: Vec<&str> = forbidden.keys().map(String::as_str).collect();
    Some(Violation {
        control: Control::SeccompProfileBaseline,
        reason: "seccompProfile",
        detail: format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", texts.len()),
            texts.join(", ")
        ),
        sites: forbidden.into_values().collect(),
    })
}

/// The explicitly bad settings shared with the restricted control: the setters (`pod`,
/// `containers "a", "b"`), the bad types, and where each is.
pub(super) struct Explicit {
    pub setters: Vec<String>,
    pub types: BTreeSet<String>,
    pub sites: Vec<Site>,
}

impl Explicit {
    pub fn detail(&self) -> String {
        let types: Vec<&str> = self.types.iter().map(String::as_str).collect();
        format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            self.setters.join(" and "),
            join_quote(&types)
        )
    }
}

/// Find explicit bad seccomp types of the pod and its containers.
pub(super) fn explicit(s: &Subject) -> Explicit {
    let mut out = Explicit {
        setters: Vec::new(),
        types: BTreeSet::new(),
        sites: Vec::new(),
    };
    if let Some(profile) = s
        .pod_security_context()
        .and_then(|p| p.seccomp_profile.as_ref())
    {
        let at = s.pod_sc_pointer(&["seccompProfile", "type"]);
        if !valid_type(&profile.type_) && !s.unknown(&at) {
            out.setters.push("pod".to_string());
            out.types.insert(profile.type_.clone());
            out.sites.push(Site::new(at, &profile.type_));
        }
    }
    let mut names = Vec::new();
    for c in s.containers() {
        if let Some(profile) = sc(c).and_then(|sc| sc.seccomp_profile.as_ref()) {
            let at = sc_pointer(c, &["seccompProfile", "type"]);
            if !valid_type(&profile.type_) && !s.unknown(&at) {
                names.push(c.name());
                out.types.insert(profile.type_.clone());
                out.sites.push(Site::new(at, &profile.type_));
            }
        }
    }
    if !names.is_empty() {
        out.setters.push(containers_phrase(&names));
    }
    out
}

fn fields(s: &Subject) -> Option<Violation> {
    let found = explicit(s);
    if found.setters.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::SeccompProfileBaseline,
        reason: "seccompProfile",
        detail: found.detail(),
        sites: found.sites,
    })
}
