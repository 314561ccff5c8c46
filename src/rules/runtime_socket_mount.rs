//! `runtime-socket-mount`: a hostPath volume of a container runtime's socket (Docker,
//! containerd, CRI-O, Podman, cri-dockerd) or of the directory that holds it. Whoever can
//! reach the socket starts privileged containers on the node: it is root on the node.

use super::host_paths::host_path_volumes;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RuntimeSocketMount {
        id: "runtime-socket-mount",
        severity: Error,
        category: Security,
        inspects: Pods,
    }
}

/// Socket file names, each with its runtime.
const SOCKETS: &[(&str, &str)] = &[
    ("docker.sock", "Docker"),
    ("containerd.sock", "containerd"),
    ("crio.sock", "CRI-O"),
    ("podman.sock", "Podman"),
    ("cri-dockerd.sock", "cri-dockerd"),
];

/// Directories that hold a runtime socket, each with what it holds.
const DIRECTORIES: &[(&str, &str)] = &[
    ("/var/run", "every runtime socket of the node"),
    ("/run", "every runtime socket of the node"),
    ("/var/run/docker", "the Docker runtime's sockets"),
    ("/run/docker", "the Docker runtime's sockets"),
    ("/var/run/containerd", "the containerd socket"),
    ("/run/containerd", "the containerd socket"),
    ("/var/run/crio", "the CRI-O socket"),
    ("/run/crio", "the CRI-O socket"),
    ("/var/run/podman", "the Podman socket"),
    ("/run/podman", "the Podman socket"),
];

/// What a normalised host path exposes, if it is a runtime socket or its directory.
pub fn exposes(path: &str) -> Option<String> {
    let file = path.rsplit('/').next().unwrap_or("");
    if let Some((_, runtime)) = SOCKETS.iter().find(|(s, _)| *s == file) {
        return Some(format!("the {runtime} socket"));
    }
    DIRECTORIES
        .iter()
        .find(|(d, _)| *d == path)
        .map(|(_, what)| format!("a directory holding {what}"))
}

impl Rule for RuntimeSocketMount {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for v in host_path_volumes(pod) {
            let Some(what) = exposes(&v.path) else { continue };
            out.push(
                Finding::new(
                    RuntimeSocketMount::ID,
                    v.pointer.clone(),
                    format!(
                        "hostPath volume `{}` mounts {what} (`{}`): whoever reaches it can start privileged containers, which makes them root on the node",
                        v.name, v.written
                    ),
                )
                .label("container runtime socket")
                .help("remove the volume; to build images use a daemonless builder (kaniko, buildah, BuildKit rootless), and for container metadata use the Kubernetes API; if this is a node agent that must talk to the runtime, suppress the finding with a reason"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn sockets_and_their_directories() {
        assert!(exposes("/var/run/docker.sock").is_some());
        assert!(exposes("/run/containerd/containerd.sock").is_some());
        assert!(exposes("/var/run/crio/crio.sock").is_some());
        assert!(exposes("/run/containerd").is_some());
        assert!(exposes("/var/run").is_some());
        assert_eq!(exposes("/var/log"), None);
        assert_eq!(exposes("/var/run/secrets"), None);
    }

    #[test]
    fn points_at_the_path_after_normalising_it() {
        let f = findings(
            &RuntimeSocketMount,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x:1}]\n  volumes:\n  - {name: a, emptyDir: {}}\n  - name: d\n    hostPath: {path: '/var//run/docker.sock/'}\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/spec/volumes/1/hostPath/path");
        assert!(f[0].message.contains("Docker socket"), "{}", f[0].message);
    }
}
