//! `runAsNonRoot` (restricted, 1.0+): every container must run with `runAsNonRoot: true`, set
//! on the container or inherited from the pod, and nothing may set it to false. A container's
//! own `false` overrides the pod's `true` and is reported. From 1.35 a pod with its own user
//! namespace (`hostUsers: false`) is exempt: root in the pod is not root on the node.

use super::{containers_phrase, missing_in_sc, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 35 && s.in_user_namespace() {
        return None;
    }
    let pod_value = s.pod_security_context().and_then(|p| p.run_as_non_root);
    // A pod-level value that could not be read may well be true: nothing is missing then.
    let pod_may_be_true =
        pod_value == Some(true) || s.unknown(&s.pod_sc_pointer(&["runAsNonRoot"]));
    let mut setters = Vec::new();
    let mut explicit_sites = Vec::new();
    if pod_value == Some(false) {
        setters.push("pod".to_string());
        explicit_sites.push(Site::new(s.pod_sc_pointer(&["runAsNonRoot"]), "false"));
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let mut implicit_sites = Vec::new();
    for c in s.containers() {
        match sc(c).and_then(|sc| sc.run_as_non_root) {
            Some(true) => {}
            Some(false) => {
                explicit.push(c.name());
                explicit_sites.push(Site::new(sc_pointer(c, &["runAsNonRoot"]), "false"));
            }
            None if !pod_may_be_true && !s.unknown(&sc_pointer(c, &["runAsNonRoot"])) => {
                implicit.push(c.name());
                implicit_sites.push(Site::missing(missing_in_sc(c)));
            }
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(containers_phrase(&explicit));
    }
    let (detail, sites) = if !setters.is_empty() {
        (
            format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters.join(" and ")
            ),
            explicit_sites,
        )
    } else if !implicit.is_empty() {
        (
            format!(
                "pod or {} must set securityContext.runAsNonRoot=true",
                containers_phrase(&implicit)
            ),
            implicit_sites,
        )
    } else {
        return None;
    };
    Some(Violation {
        control: Control::RunAsNonRoot,
        reason: "runAsNonRoot != true",
        detail,
        sites,
    })
}
