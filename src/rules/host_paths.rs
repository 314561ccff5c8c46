//! Host paths as the node reads them, shared by `runtime-socket-mount` and
//! `sensitive-host-path`: a `hostPath.path` normalised (`//`, `/./`, `..` and trailing `/`
//! resolved), and the hostPath volumes of a pod with the pointer of each path.

use crate::model::PodView;
use crate::pointer;

/// The absolute path lexically normalised: `/var//run/./docker.sock/` is
/// `/var/run/docker.sock`, `/etc/../` is `/`. `None` for a relative or empty path.
pub fn normalise(path: &str) -> Option<String> {
    let path = path.trim();
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// One hostPath volume of a pod.
pub struct HostPathVolume<'p> {
    pub name: &'p str,
    /// The path as written.
    pub written: &'p str,
    /// The path normalised.
    pub path: String,
    /// Object-relative pointer of `hostPath.path`.
    pub pointer: String,
    /// Whether every container that mounts the volume mounts it read-only (and at least one
    /// mounts it).
    pub read_only: bool,
}

/// The hostPath volumes of a pod with an absolute path.
pub fn host_path_volumes(pod: &PodView) -> Vec<HostPathVolume<'_>> {
    let mut out = Vec::new();
    for (i, v) in pod.spec.volumes.iter().flatten().enumerate() {
        let Some(hp) = &v.host_path else { continue };
        let Some(path) = normalise(&hp.path) else {
            continue;
        };
        let mounts: Vec<bool> = pod
            .containers
            .iter()
            .flat_map(|c| c.container.volume_mounts.iter().flatten())
            .filter(|m| m.name == v.name)
            .map(|m| m.read_only == Some(true))
            .collect();
        out.push(HostPathVolume {
            name: &v.name,
            written: &hp.path,
            path,
            pointer: pointer::join(&pod.item(&pod.field("volumes"), i), &["hostPath", "path"]),
            read_only: !mounts.is_empty() && mounts.iter().all(|r| *r),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn paths_are_normalised() {
        assert_eq!(
            normalise("/var//run/./docker.sock/").as_deref(),
            Some("/var/run/docker.sock")
        );
        assert_eq!(normalise("/etc/../").as_deref(), Some("/"));
        assert_eq!(normalise("//").as_deref(), Some("/"));
        assert_eq!(normalise("/../..").as_deref(), Some("/"));
        assert_eq!(normalise("relative/dir"), None);
        assert_eq!(normalise(""), None);
    }
}
