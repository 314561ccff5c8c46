//! `windowsHostProcess` (baseline, 1.0+): neither the pod nor any container may set
//! `securityContext.windowsOptions.hostProcess: true`.

use super::{containers_phrase, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let mut sites = Vec::new();
    let mut names = Vec::new();
    for c in s.containers() {
        let on = sc(c)
            .and_then(|sc| sc.windows_options.as_ref())
            .and_then(|w| w.host_process);
        if on == Some(true) {
            names.push(c.name());
            sites.push(Site::new(
                sc_pointer(c, &["windowsOptions", "hostProcess"]),
                "true",
            ));
        }
    }
    let pod_on = s
        .pod_security_context()
        .and_then(|p| p.windows_options.as_ref())
        .and_then(|w| w.host_process)
        == Some(true);
    let mut setters = Vec::new();
    if pod_on {
        setters.push("pod".to_string());
        sites.insert(
            0,
            Site::new(s.pod_sc_pointer(&["windowsOptions", "hostProcess"]), "true"),
        );
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    if setters.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::WindowsHostProcess,
        reason: "hostProcess",
        detail: format!(
            "{} must not set securityContext.windowsOptions.hostProcess=true",
            setters.join(" and ")
        ),
        sites,
    })
}
