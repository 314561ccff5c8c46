//! `hostPorts` (baseline, 1.0+): no container port may set a non-zero `hostPort`.

use super::{containers_phrase, pluralize, Subject};
use crate::pointer;
use crate::pss::{Control, Site, Violation};
use std::collections::BTreeSet;

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let mut names = Vec::new();
    // Sorted as text, as the controller sorts them.
    let mut ports = BTreeSet::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        let list = c.field("ports");
        let mut bad = false;
        for (i, port) in c.container.ports.iter().flatten().enumerate() {
            match port.host_port {
                Some(host) if host != 0 => {
                    bad = true;
                    ports.insert(host.to_string());
                    sites.push(Site::new(
                        pointer::push(&s.item(&list, i), "hostPort"),
                        host.to_string(),
                    ));
                }
                _ => {}
            }
        }
        if bad {
            names.push(c.name());
        }
    }
    if names.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    Some(Violation {
        control: Control::HostPorts,
        reason: "hostPort",
        detail: format!(
            "{} {} {} {}",
            containers_phrase(&names),
            pluralize("uses", "use", names.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
        sites,
    })
}
