//! `sysctls` (baseline): the pod may set only the sysctls known to be namespaced and isolated
//! from other pods on the node. The list grows with the policy version: 1.27 adds
//! `net.ipv4.ip_local_reserved_ports`, 1.29 four TCP keepalive and timeout settings, 1.32 the
//! TCP buffer sizes, 1.37 `tcp_slow_start_after_idle` and `tcp_notsent_lowat`.

use super::Subject;
use crate::pointer;
use crate::pss::{Control, Site, Violation};

/// Each safe sysctl with the policy minor version that first allows it.
const SAFE: [(&str, u64); 14] = [
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Whether `name` is a safe sysctl at policy minor version `minor` (compared exactly).
pub fn is_safe(name: &str, minor: u64) -> bool {
    SAFE.iter()
        .any(|(safe, since)| *safe == name && minor >= *since)
}

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    let list = s.pod_sc_pointer(&["sysctls"]);
    let mut names = Vec::new();
    let mut sites = Vec::new();
    let sysctls = s.pod_security_context().and_then(|p| p.sysctls.as_ref());
    for (i, sysctl) in sysctls.into_iter().flatten().enumerate() {
        let at = pointer::push(&s.item(&list, i), "name");
        if !is_safe(&sysctl.name, minor) && !s.unknown(&at) {
            names.push(sysctl.name.as_str());
            sites.push(Site::new(at, &sysctl.name));
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::Sysctls,
        reason: "forbidden sysctls",
        detail: names.join(", "),
        sites,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_safe_list_grows_with_the_version() {
        let table: &[(&str, u64, bool)] = &[
            ("kernel.shm_rmid_forced", 0, true),
            ("net.ipv4.ip_local_reserved_ports", 26, false),
            ("net.ipv4.ip_local_reserved_ports", 27, true),
            ("net.ipv4.tcp_keepalive_time", 28, false),
            ("net.ipv4.tcp_keepalive_probes", 29, true),
            ("net.ipv4.tcp_rmem", 31, false),
            ("net.ipv4.tcp_wmem", 32, true),
            ("net.ipv4.tcp_slow_start_after_idle", 36, false),
            ("net.ipv4.tcp_slow_start_after_idle", 37, true),
            ("net.ipv4.tcp_notsent_lowat", 37, true),
            ("kernel.msgmax", 37, false),
            ("net.ipv4.TCP_RMEM", 37, false),
            ("net/ipv4/tcp_rmem", 37, false),
            ("", 37, false),
        ];
        for (name, minor, want) in table {
            assert_eq!(is_safe(name, *minor), *want, "{name} at 1.{minor}");
        }
    }
}
