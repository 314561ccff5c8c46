//! `sensitive-host-path`: a hostPath volume of a node directory that holds the node's
//! configuration, credentials, kernel interfaces or other workloads' data (`/`, `/etc`,
//! `/proc`, `/sys`, `/dev`, `/var/lib/kubelet`, anything under `/etc/kubernetes`, ...).
//! Runtime sockets are `runtime-socket-mount`'s.

use super::host_paths::host_path_volumes;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct SensitiveHostPath {
        id: "sensitive-host-path",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

/// Sensitive node paths (normalised), each with what it exposes.
const PATHS: &[(&str, &str)] = &[
    ("/", "the node's whole file system"),
    ("/etc", "the node's configuration, including its users and their password hashes"),
    ("/proc", "every process of the node and the kernel's settings"),
    ("/sys", "the kernel's devices and settings"),
    ("/dev", "every device of the node"),
    ("/boot", "the node's kernel and boot loader"),
    ("/root", "the home directory of the node's root user"),
    ("/home", "the home directories of the node's users"),
    ("/lib", "the node's system libraries"),
    ("/usr", "the node's programs and libraries"),
    ("/bin", "the node's programs"),
    ("/sbin", "the node's system programs"),
    ("/var/lib/kubelet", "the kubelet's state, including every pod's Secrets and tokens"),
    ("/var/lib/kubelet/pods", "every pod's volumes, including their Secrets and tokens"),
    ("/var/lib/docker", "every container's file system and the Docker runtime's state"),
    ("/var/lib/containerd", "every container's file system and containerd's state"),
    ("/var/lib/etcd", "the cluster's etcd data, every Secret included"),
];

/// What a normalised host path exposes, if it is sensitive.
pub fn exposes(path: &str) -> Option<&'static str> {
    if let Some((_, what)) = PATHS.iter().find(|(p, _)| *p == path) {
        return Some(what);
    }
    (path == "/etc/kubernetes" || path.starts_with("/etc/kubernetes/"))
        .then_some("the node's Kubernetes configuration and credentials")
}

impl Rule for SensitiveHostPath {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for v in host_path_volumes(pod) {
            let Some(what) = exposes(&v.path) else { continue };
            let access = if v.read_only { "read-only" } else { "writable" };
            let help = if v.read_only {
                "mount only the file or subdirectory the program needs; if this is a node agent that must see the host, suppress the finding with a reason"
            } else {
                "mount only the file or subdirectory the program needs, with `readOnly: true` on every volumeMount; if this is a node agent that must see the host, suppress the finding with a reason"
            };
            out.push(
                Finding::new(
                    SensitiveHostPath::ID,
                    v.pointer.clone(),
                    format!(
                        "hostPath volume `{}` mounts `{}` ({access}): {what}",
                        v.name, v.written
                    ),
                )
                .label("sensitive node path")
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn listed_paths_only() {
        assert!(exposes("/").is_some());
        assert!(exposes("/etc/kubernetes/pki").is_some());
        assert_eq!(exposes("/etc/kubernetesx"), None);
        assert_eq!(exposes("/var/log"), None);
        assert_eq!(exposes("/etc/ssl/certs"), None);
        assert_eq!(exposes("/var/run/docker.sock"), None);
    }

    #[test]
    fn read_only_mounts_are_said_to_be() {
        let f = findings(
            &SensitiveHostPath,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    volumeMounts: [{name: h, mountPath: /host, readOnly: true}]\n  volumes:\n  - name: h\n    hostPath: {path: /proc/}\n  - name: l\n    hostPath: {path: /var/log}\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/spec/volumes/0/hostPath/path");
        assert!(f[0].message.contains("(read-only)"), "{}", f[0].message);
    }
}
