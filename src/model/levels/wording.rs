//! How messages name each level of a workload — where a key stands ("init container
//! `setup`"), a mapping found below it ("its `livenessProbe`") or around it, or one not known
//! ("a container") — and why a field lives at its level ([`Why`]).

use super::{row, Level, Schema};
use crate::model::pod::{ContainerRole, WorkloadKind};

use Level as L;

/// Why a field lives at its level: the second half of the help for a misplaced key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Machine,
    Program,
    ProbeTiming,
    ProbeHandler,
    PodSecurity,
    ContainerSecurity,
    Workload,
    Template,
    Metadata,
    TopLevel,
    VolumeSource,
    /// A mount field on a volume.
    Mount,
    /// A volume field on a mount.
    VolumeDefinition,
    /// A field of a list entry on the container.
    ListEntry,
    /// A volume field elsewhere in the pod.
    VolumeEntry,
    /// A variable's field in its `valueFrom`.
    Variable,
    /// A `valueFrom` field in the variable.
    ValueSource,
}

impl Why {
    pub fn reason(self) -> &'static str {
        match self {
            Why::Machine => {
                "a Pod is the machine and its containers are the programs on it, so scheduling, \
                 networking, the hosts file, host namespaces, volumes, restarts and identity are \
                 set once, for the whole Pod"
            }
            Why::Program => {
                "a container is one program on the Pod's machine, so what runs (image, command, \
                 args, ports, env, mounts, probes, resources) is set per container"
            }
            Why::ProbeTiming => {
                "the handler (`httpGet`, `tcpSocket`, `exec`, `grpc`) only says how to check; when \
                 and how often to check, and how many failures count, is set on the probe itself"
            }
            Why::ProbeHandler => {
                "the probe says when and how often to check; its handler says how (the path, port \
                 or command)"
            }
            Why::PodSecurity => {
                "volume ownership (`fsGroup`), supplemental groups and sysctls apply to the whole \
                 Pod, so they exist only in the pod's securityContext"
            }
            Why::ContainerSecurity => {
                "privileges, capabilities and privilege escalation are granted to one program, so \
                 they exist only in a container's securityContext"
            }
            Why::Workload => {
                "the workload spec says how many Pods to run and how to replace them; the template \
                 describes one Pod"
            }
            Why::Template => "a pod template holds only the Pod's `metadata` and `spec`",
            Why::Metadata => {
                "labels and annotations of the Pods are set in the template's metadata"
            }
            Why::TopLevel => {
                "an object's top level holds only apiVersion, kind, metadata and spec (status is \
                 written by Kubernetes)"
            }
            Why::VolumeSource => {
                "a volume names its source; what the source provides (its items, mode, name) is \
                 set inside the source"
            }
            Why::Mount => {
                "a volume only says where the data comes from; where it appears is set per \
                 container in `volumeMounts`, naming the volume"
            }
            Why::VolumeDefinition => {
                "a volume mount only says where a volume appears in the container; the volume and \
                 its source are defined once in the pod's `volumes`"
            }
            Why::ListEntry => {
                "it describes one entry of the list (one mount, one variable, one port) and is \
                 written inside that entry, indented under its `-`"
            }
            Why::VolumeEntry => {
                "a volume is one entry of the pod's `volumes`: its `name` and exactly one source, \
                 which containers mount by that name"
            }
            Why::Variable => {
                "a variable is one entry of `env`: its `name`, and its value either written in \
                 `value` or read through `valueFrom`"
            }
            Why::ValueSource => {
                "`valueFrom` says where the variable's value is read from (`fieldRef`, \
                 `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`), in place of a literal \
                 `value`"
            }
        }
    }

    /// What the reason adds for one key.
    pub fn aside(self, key: &str) -> &'static str {
        match (self, key) {
            (Why::Machine, "restartPolicy") => {
                " (a container sets a restartPolicy of its own only as an init container, where `Always` makes it a sidecar, or beside per-container `restartPolicyRules`)"
            }
            _ => "",
        }
    }
}

/// How messages name a mapping of a level where it stands: "the pod spec", "init container
/// `setup`", "the `livenessProbe` itself". `key` is what picked it among alternatives, `label`
/// its own name (a container's, a volume's), `parent` its parent's name.
pub(super) fn here_name(
    level: Level,
    kind: WorkloadKind,
    key: Option<&str>,
    label: Option<&str>,
    parent: &str,
) -> String {
    let key = key.unwrap_or_default();
    match level {
        L::Object => "the top level of the object".into(),
        L::WorkloadSpec => format!("the {kind:?} spec"),
        L::JobTemplate => "the job template".into(),
        L::PodTemplate => "the pod template".into(),
        L::PodMetadata if kind == WorkloadKind::Pod => "the Pod's metadata".into(),
        L::PodMetadata => "the pod template's metadata".into(),
        L::ObjectMeta => "the object's metadata".into(),
        L::PodSpec => "the pod spec".into(),
        L::PodSecurityContext => "the pod's securityContext".into(),
        L::Volume => match label {
            Some(l) => format!("volume {l}"),
            None => "the volume".into(),
        },
        L::VolumeSource => format!("the volume's `{key}` source"),
        L::ProjectedSource => format!("a projected source of {parent}"),
        L::WeightedPodAffinityTerm | L::PreferredSchedulingTerm => {
            format!("the weighted item of `{key}`")
        }
        L::PodAffinityTerm => "the term's `podAffinityTerm`".into(),
        L::NodeSelectorTerm => "the term's `preference`".into(),
        L::Container => {
            let role = role_of(key).map_or("container", ContainerRole::describe);
            format!("{role} {}", label.unwrap_or_default())
        }
        L::SecurityContext => format!("{parent}'s securityContext"),
        L::Probe => format!("the `{key}` itself"),
        L::ProbeHandler => format!("its `{key}` handler"),
        L::VolumeMount => "a volume mount".into(),
        L::EnvVar => match label {
            Some(l) => format!("variable {l}"),
            None => "the variable".into(),
        },
        L::EnvVarSource => format!("the `valueFrom` of {parent}"),
        L::ContainerPort => match label {
            Some(l) => format!("port {l}"),
            None => "the port entry".into(),
        },
    }
}

/// How messages name a level's mapping found below the place the key stands in, when that
/// differs from its own name: "its `livenessProbe`", "the only entry of `env`".
pub(super) fn below_name(level: Level, key: Option<&str>, list: Option<&str>) -> Option<String> {
    let key = key.unwrap_or_default();
    Some(match level {
        L::Probe => format!("its `{key}`"),
        L::ProbeHandler => format!("the probe's `{key}` handler"),
        L::VolumeMount | L::EnvVar | L::ContainerPort => {
            format!("the only entry of `{}`", list.unwrap_or_default())
        }
        L::EnvVarSource => "its `valueFrom`".into(),
        _ => return None,
    })
}

/// How messages name a level's mapping that encloses the place the key stands in, when that
/// differs from its own name: "the `livenessProbe`".
pub(super) fn above_name(level: Level, key: Option<&str>) -> Option<String> {
    match level {
        L::Probe => Some(format!("the `{}`", key.unwrap_or_default())),
        _ => None,
    }
}

/// How messages name a level when which of its mappings is meant is not known. `owner` is
/// whether the container the mapping would be in is known.
pub(super) fn generic_name(level: Level, list: Option<&str>, owner: bool) -> String {
    let list = list.unwrap_or_default();
    match level {
        L::Container => "a container".into(),
        L::SecurityContext => "the container's securityContext".into(),
        L::Volume => "a volume of the pod".into(),
        L::VolumeMount | L::EnvVar | L::ContainerPort if owner => {
            format!("an entry of `{list}`")
        }
        L::VolumeMount | L::EnvVar | L::ContainerPort => format!("a container's {list}"),
        other => match row(other).schema {
            Schema::One(_, name) => name.into(),
            _ => format!("{other:?}"),
        },
    }
}

/// The container role of the list a container stands in.
pub(super) fn role_of(list: &str) -> Option<ContainerRole> {
    ContainerRole::ALL.into_iter().find(|r| r.field() == list)
}

/// `a`, `a` and `b`, `a`, `b` and `c` (with `or` for alternatives), in backticks.
pub fn one_of<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    let q: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conj} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_messages_use_them() {
        let k = WorkloadKind::Deployment;
        assert_eq!(
            here_name(L::WorkloadSpec, k, None, None, ""),
            "the Deployment spec"
        );
        assert_eq!(
            here_name(L::Container, k, Some("initContainers"), Some("`setup`"), ""),
            "init container `setup`"
        );
        assert_eq!(
            here_name(L::SecurityContext, k, None, None, "container #2"),
            "container #2's securityContext"
        );
        assert_eq!(
            here_name(L::PodMetadata, WorkloadKind::Pod, None, None, ""),
            "the Pod's metadata"
        );
        assert_eq!(
            below_name(L::EnvVar, None, Some("env")).as_deref(),
            Some("the only entry of `env`")
        );
        assert_eq!(
            above_name(L::Probe, Some("startupProbe")).as_deref(),
            Some("the `startupProbe`")
        );
        assert_eq!(
            generic_name(L::VolumeMount, Some("volumeMounts"), false),
            "a container's volumeMounts"
        );
        assert_eq!(
            generic_name(L::VolumeMount, Some("volumeMounts"), true),
            "an entry of `volumeMounts`"
        );
        assert_eq!(one_of(&["a", "b", "c"], "or"), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"], "and"), "`a`");
        assert_eq!(one_of::<&str>(&[], "and"), "");
    }
}
