//! The lifecycle of apiVersions: which group/version of a kind was deprecated or removed in
//! which Kubernetes release, and what to use instead. kubevet owns this table (from the
//! Kubernetes deprecation guide); it drives `removed-api-version` and `deprecated-api-version`.

/// One deprecated or removed apiVersion of a kind (`kind` `*` means every kind of the group
/// version).
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Minor version of Kubernetes 1.x where it was deprecated.
    pub deprecated: u32,
    /// Minor version where it stopped being served, if it did.
    pub removed: Option<u32>,
    /// What to use instead.
    pub replacement: &'static str,
}

const fn l(
    api_version: &'static str,
    kind: &'static str,
    deprecated: u32,
    removed: Option<u32>,
    replacement: &'static str,
) -> Lifecycle {
    Lifecycle {
        api_version,
        kind,
        deprecated,
        removed,
        replacement,
    }
}

/// The table.
pub static TABLE: &[Lifecycle] = &[
    l("extensions/v1beta1", "Deployment", 9, Some(16), "apps/v1"),
    l("extensions/v1beta1", "DaemonSet", 9, Some(16), "apps/v1"),
    l("extensions/v1beta1", "ReplicaSet", 9, Some(16), "apps/v1"),
    l(
        "extensions/v1beta1",
        "NetworkPolicy",
        9,
        Some(16),
        "networking.k8s.io/v1",
    ),
    l(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        10,
        Some(16),
        "Pod Security Admission (no replacement kind)",
    ),
    l(
        "extensions/v1beta1",
        "Ingress",
        14,
        Some(22),
        "networking.k8s.io/v1",
    ),
    l("apps/v1beta1", "*", 9, Some(16), "apps/v1"),
    l("apps/v1beta2", "*", 9, Some(16), "apps/v1"),
    l(
        "settings.k8s.io/v1alpha1",
        "PodPreset",
        19,
        Some(20),
        "explicit env, envFrom, volumes and volumeMounts in each pod template",
    ),
    l("batch/v2alpha1", "CronJob", 8, Some(21), "batch/v1"),
    l("batch/v1beta1", "CronJob", 21, Some(25), "batch/v1"),
    l(
        "policy/v1beta1",
        "PodDisruptionBudget",
        21,
        Some(25),
        "policy/v1",
    ),
    l(
        "policy/v1beta1",
        "PodSecurityPolicy",
        21,
        Some(25),
        "Pod Security Admission (no replacement kind)",
    ),
    l(
        "networking.k8s.io/v1beta1",
        "Ingress",
        19,
        Some(22),
        "networking.k8s.io/v1",
    ),
    l(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        Some(22),
        "networking.k8s.io/v1",
    ),
    l(
        "rbac.authorization.k8s.io/v1beta1",
        "*",
        17,
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    l(
        "rbac.authorization.k8s.io/v1alpha1",
        "*",
        17,
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    l(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        Some(22),
        "apiextensions.k8s.io/v1",
    ),
    l(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    l(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    l(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        Some(22),
        "scheduling.k8s.io/v1",
    ),
    l(
        "scheduling.k8s.io/v1alpha1",
        "PriorityClass",
        14,
        Some(17),
        "scheduling.k8s.io/v1",
    ),
    l(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    l(
        "storage.k8s.io/v1beta1",
        "CSINode",
        17,
        Some(22),
        "storage.k8s.io/v1",
    ),
    l(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    l(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    l(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        Some(27),
        "storage.k8s.io/v1",
    ),
    l(
        "coordination.k8s.io/v1beta1",
        "Lease",
        14,
        Some(22),
        "coordination.k8s.io/v1",
    ),
    l(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        Some(22),
        "certificates.k8s.io/v1",
    ),
    l(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        10,
        Some(22),
        "apiregistration.k8s.io/v1",
    ),
    l(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        19,
        Some(22),
        "authentication.k8s.io/v1",
    ),
    l(
        "authorization.k8s.io/v1beta1",
        "*",
        19,
        Some(22),
        "authorization.k8s.io/v1",
    ),
    l(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        Some(25),
        "autoscaling/v2",
    ),
    l(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        Some(26),
        "autoscaling/v2",
    ),
    l(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        Some(25),
        "discovery.k8s.io/v1",
    ),
    l(
        "events.k8s.io/v1beta1",
        "Event",
        19,
        Some(25),
        "events.k8s.io/v1",
    ),
    l(
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        20,
        Some(25),
        "node.k8s.io/v1",
    ),
    l(
        "node.k8s.io/v1alpha1",
        "RuntimeClass",
        20,
        Some(22),
        "node.k8s.io/v1",
    ),
    l(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "*",
        23,
        Some(26),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    l(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "*",
        26,
        Some(29),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    l(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "*",
        29,
        Some(32),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    l(
        "v1",
        "ComponentStatus",
        19,
        None,
        "the API server's /livez and /readyz endpoints",
    ),
];

/// Where an apiVersion/kind stands at Kubernetes 1.`minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Served,
    Deprecated(Lifecycle),
    Removed(Lifecycle),
}

impl PartialEq for Lifecycle {
    fn eq(&self, o: &Self) -> bool {
        self.api_version == o.api_version && self.kind == o.kind
    }
}
impl Eq for Lifecycle {}

/// Look up an apiVersion/kind for a target minor version.
pub fn status(api_version: &str, kind: &str, minor: u32) -> Status {
    let Some(entry) = TABLE
        .iter()
        .find(|e| e.api_version == api_version && (e.kind == kind || e.kind == "*"))
    else {
        return Status::Served;
    };
    match entry.removed {
        Some(r) if minor >= r => Status::Removed(*entry),
        _ if minor >= entry.deprecated => Status::Deprecated(*entry),
        _ => Status::Served,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_matter() {
        assert!(matches!(
            status("batch/v1beta1", "CronJob", 20),
            Status::Served
        ));
        assert!(matches!(
            status("batch/v1beta1", "CronJob", 21),
            Status::Deprecated(_)
        ));
        assert!(matches!(
            status("batch/v1beta1", "CronJob", 25),
            Status::Removed(_)
        ));
        assert!(matches!(
            status("apps/v1beta2", "StatefulSet", 37),
            Status::Removed(_)
        ));
        assert!(matches!(
            status("apps/v1", "Deployment", 37),
            Status::Served
        ));
    }
}
