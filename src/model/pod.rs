//! The typed pod view. Every kind that carries a pod template (Pod, Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and the well-known workload
//! custom resources OpenShift's DeploymentConfig and Argo's Rollout) is normalised to "a pod
//! spec at pointer P", deserialized into `k8s-openapi`'s `PodSpec`, so a pod rule is written
//! once and reports pointers into the original document.
//!
//! The view is lenient ([`super::lenient`]): a value of the wrong type anywhere in the pod spec
//! (reported by `schema`) is left out of the view, and everything else — every well-typed
//! container, volume, variable and mount — is still there for the rules. Leaving out a list
//! element shifts the ones after it, so rules build the pointer of a list element with
//! [`PodView::item`], which gives the element's index in the document.

use super::lenient::{lenient, lenient_value, Pruned};
use super::{JsonView, Object};
use crate::pointer;
use k8s_openapi::api::core::v1::{Container, PodSpec};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What kind of workload carries the pod spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
    /// OpenShift `apps.openshift.io` DeploymentConfig (`spec.template`).
    DeploymentConfig,
    /// Argo `argoproj.io` Rollout (`spec.template`; none when it points at a Deployment with
    /// `spec.workloadRef`).
    Rollout,
}

impl WorkloadKind {
    /// The workload kind of an object, from its group and kind.
    pub fn of(object: &Object) -> Option<WorkloadKind> {
        let (group, _) = object.group_version()?;
        WorkloadKind::from_type(group, object.kind())
    }

    /// The workload kind of an API group (`""` for the core group) and kind.
    pub fn from_type(group: &str, kind: &str) -> Option<WorkloadKind> {
        use WorkloadKind::*;
        Some(match (group, kind) {
            ("", "Pod") => Pod,
            ("apps" | "extensions", "Deployment") => Deployment,
            ("apps", "StatefulSet") => StatefulSet,
            ("apps" | "extensions", "DaemonSet") => DaemonSet,
            ("apps" | "extensions", "ReplicaSet") => ReplicaSet,
            ("", "ReplicationController") => ReplicationController,
            ("batch", "Job") => Job,
            ("batch", "CronJob") => CronJob,
            ("apps.openshift.io", "DeploymentConfig") => DeploymentConfig,
            ("argoproj.io", "Rollout") => Rollout,
            _ => return None,
        })
    }

    /// Pointer of the pod template's metadata... and of the pod spec, relative to the object.
    pub fn pod_spec_pointer(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "/spec",
            WorkloadKind::CronJob => "/spec/jobTemplate/spec/template/spec",
            _ => "/spec/template/spec",
        }
    }

    /// Pointer of the metadata that labels the pods (the pod's own, or the template's).
    pub fn pod_metadata_pointer(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "/metadata",
            WorkloadKind::CronJob => "/spec/jobTemplate/spec/template/metadata",
            _ => "/spec/template/metadata",
        }
    }

    /// Whether pods of this kind are meant to run forever (and so want probes).
    pub fn is_controller(self) -> bool {
        !matches!(
            self,
            WorkloadKind::Pod | WorkloadKind::Job | WorkloadKind::CronJob
        )
    }

    /// Whether the kind is one of Kubernetes' own: the API server validates its pod template
    /// (names, labels, required images), which it does not for a custom resource's.
    pub fn is_builtin(self) -> bool {
        !matches!(self, WorkloadKind::DeploymentConfig | WorkloadKind::Rollout)
    }

    pub fn is_batch(self) -> bool {
        matches!(self, WorkloadKind::Job | WorkloadKind::CronJob)
    }
}

/// Which list a container stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerRole {
    Main,
    Init,
    Ephemeral,
}

impl ContainerRole {
    /// Every role, in the order the kubelet starts them: init containers first.
    pub const ALL: [ContainerRole; 3] = [
        ContainerRole::Init,
        ContainerRole::Main,
        ContainerRole::Ephemeral,
    ];

    pub fn field(self) -> &'static str {
        match self {
            ContainerRole::Main => "containers",
            ContainerRole::Init => "initContainers",
            ContainerRole::Ephemeral => "ephemeralContainers",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ContainerRole::Main => "container",
            ContainerRole::Init => "init container",
            ContainerRole::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of the pod with its pointer.
#[derive(Debug, Clone)]
pub struct ContainerRef {
    /// Object-relative pointer of the container (`/spec/containers/0`).
    pub pointer: String,
    pub role: ContainerRole,
    pub container: Container,
}

impl ContainerRef {
    pub fn name(&self) -> &str {
        &self.container.name
    }

    /// Pointer of a field of this container.
    pub fn field(&self, name: &str) -> String {
        pointer::push(&self.pointer, name)
    }

    /// A restartable init container (`restartPolicy: Always`): a sidecar.
    pub fn is_sidecar(&self) -> bool {
        self.role == ContainerRole::Init
            && self.container.restart_policy.as_deref() == Some("Always")
    }
}

/// The pod spec a view is read from: the object's tree, or (after a repeated key or a value
/// of the wrong type) its JSON value.
enum Work<'a> {
    Tree(&'a crate::source::Node),
    Value(Cow<'a, Value>),
}

impl Work<'_> {
    /// The length of the list at `field` of the spec.
    fn len(&self, field: &str) -> Option<usize> {
        match self {
            Work::Tree(n) => Some(n.get(field)?.value.as_seq()?.len()),
            Work::Value(v) => Some(v.get(field)?.as_array()?.len()),
        }
    }

    /// Item `i` of the list at `field` of the spec, as a JSON value.
    fn item(&self, field: &str, i: usize) -> Option<Cow<'_, Value>> {
        match self {
            Work::Tree(n) => Some(Cow::Owned(n.get(field)?.value.as_seq()?.get(i)?.to_json())),
            Work::Value(v) => Some(Cow::Borrowed(v.get(field)?.as_array()?.get(i)?)),
        }
    }
}

/// The typed pod spec of a pod-bearing object.
#[derive(Debug, Clone)]
pub struct PodView {
    pub workload: WorkloadKind,
    /// Object-relative pointer of the pod spec.
    pub pointer: String,
    /// Object-relative pointer of the pod's (or template's) metadata.
    pub metadata_pointer: String,
    /// The typed pod spec. Its main and init containers are read from
    /// [`PodView::containers`]: the spec's own two lists may have been moved there.
    pub spec: PodSpec,
    /// Labels of the pod (template).
    pub labels: BTreeMap<String, String>,
    /// Every container: main, init and ephemeral, with pointers.
    pub containers: Vec<ContainerRef>,
    /// What was left out of the pod spec because it could not be read (pointers relative to
    /// the pod spec); empty for a well-typed spec.
    pub pruned: Pruned,
}

impl PodView {
    /// Build the view for a pod-bearing object; `None` for other kinds or when the pod spec
    /// is not a mapping. Parts of the spec that do not have the type Kubernetes requires
    /// (schema validation reports them) are left out of the view.
    pub fn of(object: &Object) -> Option<PodView> {
        let workload = WorkloadKind::of(object)?;
        let pointer = workload.pod_spec_pointer().to_string();
        // Read from the tree when it reads as the JSON value does: the pod template is most
        // of the object, and nothing else may need its JSON value.
        let tree = object.plain.then(|| object.node_at(&pointer)).flatten();
        let typed = tree.and_then(|n| super::node_de::from_node::<PodSpec>(n).ok());
        if cfg!(debug_assertions) && tree.is_some() {
            // Debug builds (the tests) check that the tree reads as the JSON value does.
            let through_value = tree.and_then(|n| PodSpec::deserialize(&n.to_json()).ok());
            assert_eq!(typed, through_value, "{pointer}");
        }
        let (mut spec, work, pruned) = match (typed, tree) {
            (Some(spec), Some(tree)) => (spec, Work::Tree(tree), Pruned::default()),
            _ => {
                let spec_value = object.at(&pointer)?;
                match PodSpec::deserialize(spec_value) {
                    Ok(spec) => (
                        spec,
                        Work::Value(Cow::Borrowed(spec_value)),
                        Pruned::default(),
                    ),
                    Err(_) => {
                        if !spec_value.is_object() {
                            return None;
                        }
                        let (spec, work, pruned) = lenient_value::<PodSpec>(spec_value.clone())?;
                        (spec, Work::Value(Cow::Owned(work)), pruned)
                    }
                }
            }
        };
        let metadata_pointer = workload.pod_metadata_pointer().to_string();
        let labels = object
            .view(&metadata_pointer)
            .and_then(|m| m.get("labels"))
            .and_then(JsonView::entries)
            .map(|m| {
                m.filter_map(|(k, v)| v.as_str().map(|v| (k.to_string(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let mut containers = Vec::new();
        for role in ContainerRole::ALL {
            let Some(len) = work.len(role.field()) else {
                continue;
            };
            let list_ptr = pointer::push("", role.field());
            // A spec read whole already holds its main and init containers, typed: they move
            // into the view (rules read containers from the view, never from the spec).
            let mut typed = match role {
                _ if !pruned.is_empty() => None,
                ContainerRole::Main => Some(std::mem::take(&mut spec.containers)),
                ContainerRole::Init => spec.init_containers.take(),
                ContainerRole::Ephemeral => None,
            }
            .filter(|typed| typed.len() == len)
            .map(Vec::into_iter);
            for i in 0..len {
                // Ephemeral containers share Container's fields; unknown ones are ignored.
                let container = match typed.as_mut() {
                    Some(typed) => typed.next(),
                    None => work
                        .item(role.field(), i)
                        .and_then(|c| lenient::<Container>(&c))
                        .map(|(container, _)| container),
                };
                if let Some(container) = container {
                    let at = pruned.item(&list_ptr, i);
                    containers.push(ContainerRef {
                        pointer: format!("{pointer}{at}"),
                        role,
                        container,
                    });
                }
            }
        }
        Some(PodView {
            workload,
            pointer,
            metadata_pointer,
            spec,
            labels,
            containers,
            pruned,
        })
    }

    /// Object-relative pointer of the `index`-th element (as the typed view counts them) of
    /// the list at `list` (an object-relative pointer inside the pod spec): the element's
    /// index in the document, even when elements before it were left out of the view.
    pub fn item(&self, list: &str, index: usize) -> String {
        pointer::push_index(list, self.original_index(list, index))
    }

    /// The index in the document of the `index`-th element (as the typed view counts them)
    /// of the list at `list`: [`PodView::item`] without writing the pointer.
    pub fn original_index(&self, list: &str, index: usize) -> usize {
        match list.strip_prefix(self.pointer.as_str()) {
            Some(rel) if rel.is_empty() || rel.starts_with('/') => {
                self.pruned.original_index(rel, index)
            }
            _ => index,
        }
    }

    /// Pointer of a field of the pod spec.
    pub fn field(&self, name: &str) -> String {
        pointer::push(&self.pointer, name)
    }

    /// The restart policy as Kubernetes would default it.
    pub fn restart_policy(&self) -> &str {
        self.spec.restart_policy.as_deref().unwrap_or("Always")
    }

    /// Whether the pod is meant to run forever: a controller's pods, or a bare Pod whose
    /// restartPolicy is Always or unset.
    pub fn is_long_running(&self) -> bool {
        match self.workload {
            WorkloadKind::Pod => self.restart_policy() == "Always",
            w => w.is_controller(),
        }
    }

    /// Containers of one role.
    pub fn role(&self, role: ContainerRole) -> impl Iterator<Item = &ContainerRef> {
        self.containers.iter().filter(move |c| c.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::source::yaml::parse_one;

    #[test]
    fn cronjob_pod_spec_is_found() {
        let root = parse_one(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: x}}\n        spec:\n          restartPolicy: OnFailure\n          initContainers: [{name: i, image: busybox}]\n          containers: [{name: m, image: busybox}]\n",
        )
        .expect("doc");
        let objs = objects_of(0, &root);
        let pod = PodView::of(&objs[0]).expect("pod view");
        assert_eq!(pod.workload, WorkloadKind::CronJob);
        assert_eq!(pod.containers.len(), 2);
        assert_eq!(
            pod.containers[1].pointer,
            "/spec/jobTemplate/spec/template/spec/containers/0"
        );
        assert_eq!(pod.containers[0].role, ContainerRole::Init);
        assert_eq!(pod.labels.get("app").map(String::as_str), Some("x"));
        assert!(!pod.is_long_running());
    }
}
