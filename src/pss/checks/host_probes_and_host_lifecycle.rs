//! `hostProbesAndHostLifecycle` (baseline, 1.34+): probes (`livenessProbe`, `readinessProbe`,
//! `startupProbe`) and lifecycle handlers (`postStart`, `preStop`) must not name a `host` in
//! their `httpGet` or `tcpSocket` action; the kubelet would connect to any address named
//! there.

use super::{join_quote, pluralize, Subject};
use crate::pointer;
use crate::pss::{Control, Site, Violation};
use k8s_openapi::api::core::v1::{HTTPGetAction, TCPSocketAction};
use std::collections::BTreeSet;

pub(super) fn check(s: &Subject) -> Option<Violation> {
    // Both sorted and without repeats, as the controller reports them.
    let mut names = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        let k = &c.container;
        let probes = [
            ("livenessProbe", &k.liveness_probe),
            ("readinessProbe", &k.readiness_probe),
            ("startupProbe", &k.startup_probe),
        ];
        let mut handlers: Vec<(String, Option<&HTTPGetAction>, Option<&TCPSocketAction>)> = probes
            .into_iter()
            .filter_map(|(field, p)| {
                let p = p.as_ref()?;
                Some((c.field(field), p.http_get.as_ref(), p.tcp_socket.as_ref()))
            })
            .collect();
        if let Some(lifecycle) = &k.lifecycle {
            for (field, h) in [
                ("postStart", &lifecycle.post_start),
                ("preStop", &lifecycle.pre_stop),
            ] {
                if let Some(h) = h {
                    let at = pointer::join(&c.pointer, &["lifecycle", field]);
                    handlers.push((at, h.http_get.as_ref(), h.tcp_socket.as_ref()));
                }
            }
        }
        for (at, http, tcp) in handlers {
            let found = [
                ("httpGet", http.and_then(|a| a.host.as_deref())),
                ("tcpSocket", tcp.and_then(|a| a.host.as_deref())),
            ];
            for (action, host) in found {
                if let Some(host) = host.filter(|h| !h.is_empty()) {
                    names.insert(c.name());
                    hosts.insert(host);
                    sites.push(Site::new(pointer::join(&at, &[action, "host"]), host));
                }
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    let names: Vec<&str> = names.into_iter().collect();
    let hosts: Vec<&str> = hosts.into_iter().collect();
    Some(Violation {
        control: Control::HostProbesAndHostLifecycle,
        reason: "probe or lifecycle host",
        detail: format!(
            "{} {} {} {} {}",
            pluralize("container", "containers", names.len()),
            join_quote(&names),
            pluralize("uses", "use", names.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(&hosts)
        ),
        sites,
    })
}
