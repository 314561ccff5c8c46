//! The lifecycle of apiVersions: which group/version of a kind was deprecated or removed in
//! which Kubernetes release, what to use instead at the target release, and since when the
//! newer apiVersions are served. kubevet owns these tables (from the Kubernetes deprecation
//! guide and the API types of each release); they drive `removed-api-version`,
//! `deprecated-api-version` and the `schema` finding for an apiVersion the target does not
//! serve yet. Tests keep them honest against the embedded Kubernetes 1.37 schemas.

/// What to do instead of using a deprecated or removed apiVersion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instead {
    /// Another apiVersion of the same kind (or another mechanism, named as a noun).
    Use(&'static str),
    /// The kind has no successor: the whole help text, imperative.
    Nothing(&'static str),
}

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
    /// What to use instead, by the first target minor version it applies to (ascending).
    pub instead: &'static [(u32, Instead)],
}

impl Lifecycle {
    /// What to use instead at Kubernetes 1.`minor`.
    pub fn instead_at(&self, minor: u32) -> Instead {
        self.instead
            .iter()
            .rev()
            .find(|(from, _)| *from <= minor)
            .or(self.instead.first())
            .map(|(_, i)| *i)
            .unwrap_or(Instead::Nothing("remove it"))
    }

    /// The help line for a target version: "use X instead", or what to do without a successor.
    pub fn help_at(&self, minor: u32) -> String {
        match self.instead_at(minor) {
            Instead::Use(what) => format!("use {what} instead"),
            Instead::Nothing(help) => help.to_string(),
        }
    }
}

const fn l(
    api_version: &'static str,
    kind: &'static str,
    deprecated: u32,
    removed: Option<u32>,
    instead: &'static [(u32, Instead)],
) -> Lifecycle {
    Lifecycle {
        api_version,
        kind,
        deprecated,
        removed,
        instead,
    }
}

const NO_PSP: &str = "label each namespace for Pod Security Admission (`pod-security.kubernetes.io/enforce: restricted`) and delete the PodSecurityPolicy: it has no successor kind";
const NO_PODPRESET: &str = "write the env, envFrom, volumes and volumeMounts into each pod template and delete the PodPreset: it has no successor kind";
const NO_CLUSTERCIDR: &str = "set the pod CIDRs with kube-controller-manager's `--cluster-cidr` and delete the ClusterCIDR: it has no successor kind";

const NO_INITIALIZERS: &str = "use a mutating admission webhook (MutatingWebhookConfiguration, admissionregistration.k8s.io/v1) and delete the InitializerConfiguration: it has no successor kind";
const NO_POD_SCHEDULING_CONTEXT: &str = "delete it: the scheduler allocates ResourceClaims itself since Kubernetes 1.32, and it has no successor kind";

use Instead::{Nothing, Use};

// kubeadm's configuration formats, per kind, from `crate::model::kubeadm::history` (a test
// keeps them equal): each removed format is converted with `kubeadm config migrate` of the
// last releases that still read it, so older ones need several runs.
const NO_CLUSTER_STATUS: &str = crate::model::kubeadm::history::NO_CLUSTER_STATUS;
#[rustfmt::skip]
const KUBEADM_V1ALPHA1_MASTER: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1alpha2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11)")),
    (12, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1alpha3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12)")),
    (13, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14)")),
    (15, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1ALPHA1_NODE: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1alpha2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11)")),
    (12, Use("JoinConfiguration of kubeadm.k8s.io/v1alpha3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12)")),
    (13, Use("JoinConfiguration of kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14)")),
    (15, Use("JoinConfiguration of kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Use("JoinConfiguration of kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("JoinConfiguration of kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.11, then of 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1ALPHA2_MASTER: &[(u32, Instead)] = &[
    (0, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1alpha3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12)")),
    (13, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14)")),
    (15, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1ALPHA2_NODE: &[(u32, Instead)] = &[
    (0, Use("JoinConfiguration of kubeadm.k8s.io/v1alpha3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12)")),
    (13, Use("JoinConfiguration of kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14)")),
    (15, Use("JoinConfiguration of kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Use("JoinConfiguration of kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("JoinConfiguration of kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.12, then of 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1ALPHA3: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14)")),
    (15, Use("kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Use("kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14, then of 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1ALPHA3_STATUS: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta1 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14)")),
    (15, Use("kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.13 to 1.14, then of 1.15 to 1.21)")),
    (22, Nothing(NO_CLUSTER_STATUS)),
];
#[rustfmt::skip]
const KUBEADM_V1BETA1: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.15 to 1.21)")),
    (22, Use("kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.15 to 1.21, then of 1.22 to 1.26)")),
    (31, Use("kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.15 to 1.21, then of 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1BETA1_STATUS: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta2 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.15 to 1.21)")),
    (22, Nothing(NO_CLUSTER_STATUS)),
];
#[rustfmt::skip]
const KUBEADM_V1BETA2: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta3 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.22 to 1.26)")),
    (31, Use("kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.22 to 1.26, then of 1.31 to 1.36)")),
];
#[rustfmt::skip]
const KUBEADM_V1BETA2_STATUS: &[(u32, Instead)] = &[
    (0, Nothing(NO_CLUSTER_STATUS)),
];
#[rustfmt::skip]
const KUBEADM_V1BETA3: &[(u32, Instead)] = &[
    (0, Use("kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.31 to 1.36)")),
];
/// The table: every removal from Kubernetes 1.16 on (and InitializerConfiguration, removed in
/// 1.14, whose group version still has other kinds), the deprecations still served, and every
/// kubeadm configuration format kubeadm deprecated or stopped reading (kubeadm's minor is the
/// Kubernetes minor it ships with).
#[rustfmt::skip]
pub static TABLE: &[Lifecycle] = &[
    l("extensions/v1beta1", "Deployment", 9, Some(16), &[(0, Use("apps/v1"))]),
    l("extensions/v1beta1", "DaemonSet", 9, Some(16), &[(0, Use("apps/v1"))]),
    l("extensions/v1beta1", "ReplicaSet", 9, Some(16), &[(0, Use("apps/v1"))]),
    l("extensions/v1beta1", "NetworkPolicy", 9, Some(16), &[(0, Use("networking.k8s.io/v1"))]),
    l("extensions/v1beta1", "PodSecurityPolicy", 10, Some(16), &[(0, Use("policy/v1beta1")), (25, Nothing(NO_PSP))]),
    l("extensions/v1beta1", "Ingress", 14, Some(22), &[(0, Use("networking.k8s.io/v1beta1")), (19, Use("networking.k8s.io/v1"))]),
    l("apps/v1beta1", "*", 9, Some(16), &[(0, Use("apps/v1"))]),
    l("apps/v1beta2", "*", 9, Some(16), &[(0, Use("apps/v1"))]),
    l("settings.k8s.io/v1alpha1", "PodPreset", 19, Some(20), &[(0, Nothing(NO_PODPRESET))]),
    l("batch/v2alpha1", "CronJob", 8, Some(21), &[(0, Use("batch/v1beta1")), (21, Use("batch/v1"))]),
    l("batch/v1beta1", "CronJob", 21, Some(25), &[(0, Use("batch/v1"))]),
    l("policy/v1beta1", "PodDisruptionBudget", 21, Some(25), &[(0, Use("policy/v1"))]),
    l("policy/v1beta1", "PodSecurityPolicy", 21, Some(25), &[(0, Nothing(NO_PSP))]),
    l("networking.k8s.io/v1beta1", "Ingress", 19, Some(22), &[(0, Use("networking.k8s.io/v1"))]),
    l("networking.k8s.io/v1beta1", "IngressClass", 19, Some(22), &[(0, Use("networking.k8s.io/v1"))]),
    l("networking.k8s.io/v1beta1", "IPAddress", 33, Some(37), &[(0, Use("networking.k8s.io/v1"))]),
    l("networking.k8s.io/v1beta1", "ServiceCIDR", 33, Some(37), &[(0, Use("networking.k8s.io/v1"))]),
    l("networking.k8s.io/v1alpha1", "ClusterCIDR", 29, Some(29), &[(0, Nothing(NO_CLUSTERCIDR))]),
    l("networking.k8s.io/v1alpha1", "IPAddress", 31, Some(31), &[(0, Use("networking.k8s.io/v1beta1")), (33, Use("networking.k8s.io/v1"))]),
    l("networking.k8s.io/v1alpha1", "ServiceCIDR", 31, Some(31), &[(0, Use("networking.k8s.io/v1beta1")), (33, Use("networking.k8s.io/v1"))]),
    l("rbac.authorization.k8s.io/v1beta1", "*", 17, Some(22), &[(0, Use("rbac.authorization.k8s.io/v1"))]),
    l("rbac.authorization.k8s.io/v1alpha1", "*", 17, Some(22), &[(0, Use("rbac.authorization.k8s.io/v1"))]),
    l("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, Some(22), &[(0, Use("apiextensions.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 16, Some(22), &[(0, Use("admissionregistration.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 16, Some(22), &[(0, Use("admissionregistration.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 28, Some(32), &[(0, Use("admissionregistration.k8s.io/v1beta1")), (30, Use("admissionregistration.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 28, Some(32), &[(0, Use("admissionregistration.k8s.io/v1beta1")), (30, Use("admissionregistration.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1alpha1", "InitializerConfiguration", 14, Some(14), &[(0, Nothing(NO_INITIALIZERS))]),
    l("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 30, Some(34), &[(0, Use("admissionregistration.k8s.io/v1"))]),
    l("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 30, Some(34), &[(0, Use("admissionregistration.k8s.io/v1"))]),
    l("scheduling.k8s.io/v1beta1", "PriorityClass", 14, Some(22), &[(0, Use("scheduling.k8s.io/v1"))]),
    l("scheduling.k8s.io/v1alpha1", "PriorityClass", 14, Some(17), &[(0, Use("scheduling.k8s.io/v1"))]),
    l("scheduling.k8s.io/v1alpha1", "Workload", 36, Some(36), &[(0, Use("scheduling.k8s.io/v1alpha2")), (37, Use("scheduling.k8s.io/v1beta1"))]),
    l("scheduling.k8s.io/v1alpha2", "PodGroup", 37, Some(37), &[(0, Use("scheduling.k8s.io/v1beta1"))]),
    l("scheduling.k8s.io/v1alpha2", "Workload", 37, Some(37), &[(0, Use("scheduling.k8s.io/v1beta1"))]),
    l("storage.k8s.io/v1beta1", "CSIDriver", 19, Some(22), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1beta1", "CSINode", 17, Some(22), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1beta1", "StorageClass", 19, Some(22), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1beta1", "VolumeAttachment", 19, Some(22), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, Some(27), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1beta1", "VolumeAttributesClass", 34, Some(37), &[(0, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1alpha1", "CSIStorageCapacity", 21, Some(24), &[(0, Use("storage.k8s.io/v1beta1")), (24, Use("storage.k8s.io/v1"))]),
    l("storage.k8s.io/v1alpha1", "VolumeAttributesClass", 31, Some(35), &[(0, Use("storage.k8s.io/v1beta1")), (34, Use("storage.k8s.io/v1"))]),
    l("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 35, Some(35), &[(0, Use("storagemigration.k8s.io/v1beta1")), (37, Use("storagemigration.k8s.io/v1"))]),
    l("coordination.k8s.io/v1beta1", "Lease", 14, Some(22), &[(0, Use("coordination.k8s.io/v1"))]),
    l("coordination.k8s.io/v1alpha1", "LeaseCandidate", 32, Some(32), &[(0, Use("coordination.k8s.io/v1alpha2")), (33, Use("coordination.k8s.io/v1beta1"))]),
    l("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, Some(22), &[(0, Use("certificates.k8s.io/v1"))]),
    l("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 33, Some(37), &[(0, Use("certificates.k8s.io/v1beta1")), (37, Use("certificates.k8s.io/v1"))]),
    l("certificates.k8s.io/v1alpha1", "PodCertificateRequest", 35, Some(35), &[(0, Use("certificates.k8s.io/v1beta1")), (37, Use("certificates.k8s.io/v1"))]),
    l("apiregistration.k8s.io/v1beta1", "APIService", 10, Some(22), &[(0, Use("apiregistration.k8s.io/v1"))]),
    l("authentication.k8s.io/v1beta1", "TokenReview", 19, Some(22), &[(0, Use("authentication.k8s.io/v1"))]),
    l("authentication.k8s.io/v1beta1", "SelfSubjectReview", 30, Some(33), &[(0, Use("authentication.k8s.io/v1"))]),
    l("authentication.k8s.io/v1alpha1", "SelfSubjectReview", 28, Some(32), &[(0, Use("authentication.k8s.io/v1"))]),
    l("authorization.k8s.io/v1beta1", "*", 19, Some(22), &[(0, Use("authorization.k8s.io/v1"))]),
    l("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, Some(25), &[(0, Use("autoscaling/v2beta2")), (23, Use("autoscaling/v2"))]),
    l("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, Some(26), &[(0, Use("autoscaling/v2"))]),
    l("discovery.k8s.io/v1beta1", "EndpointSlice", 21, Some(25), &[(0, Use("discovery.k8s.io/v1"))]),
    l("discovery.k8s.io/v1alpha1", "EndpointSlice", 17, Some(21), &[(0, Use("discovery.k8s.io/v1beta1")), (21, Use("discovery.k8s.io/v1"))]),
    l("events.k8s.io/v1beta1", "Event", 19, Some(25), &[(0, Use("events.k8s.io/v1"))]),
    l("node.k8s.io/v1beta1", "RuntimeClass", 20, Some(25), &[(0, Use("node.k8s.io/v1"))]),
    l("node.k8s.io/v1alpha1", "RuntimeClass", 20, Some(22), &[(0, Use("node.k8s.io/v1"))]),
    l("flowcontrol.apiserver.k8s.io/v1alpha1", "*", 20, Some(21), &[(0, Use("flowcontrol.apiserver.k8s.io/v1beta1")), (23, Use("flowcontrol.apiserver.k8s.io/v1beta2")), (26, Use("flowcontrol.apiserver.k8s.io/v1beta3")), (29, Use("flowcontrol.apiserver.k8s.io/v1"))]),
    l("flowcontrol.apiserver.k8s.io/v1beta1", "*", 23, Some(26), &[(0, Use("flowcontrol.apiserver.k8s.io/v1beta2")), (26, Use("flowcontrol.apiserver.k8s.io/v1beta3")), (29, Use("flowcontrol.apiserver.k8s.io/v1"))]),
    l("flowcontrol.apiserver.k8s.io/v1beta2", "*", 26, Some(29), &[(0, Use("flowcontrol.apiserver.k8s.io/v1beta3")), (29, Use("flowcontrol.apiserver.k8s.io/v1"))]),
    l("flowcontrol.apiserver.k8s.io/v1beta3", "*", 29, Some(32), &[(0, Use("flowcontrol.apiserver.k8s.io/v1"))]),
    l("resource.k8s.io/v1alpha2", "*", 31, Some(31), &[(0, Use("resource.k8s.io/v1alpha3")), (32, Use("resource.k8s.io/v1beta1")), (34, Use("resource.k8s.io/v1"))]),
    l("resource.k8s.io/v1alpha3", "PodSchedulingContext", 32, Some(32), &[(0, Nothing(NO_POD_SCHEDULING_CONTEXT))]),
    l("resource.k8s.io/v1alpha3", "DeviceClass", 32, Some(34), &[(0, Use("resource.k8s.io/v1beta1")), (34, Use("resource.k8s.io/v1"))]),
    l("resource.k8s.io/v1alpha3", "ResourceClaim", 32, Some(34), &[(0, Use("resource.k8s.io/v1beta1")), (34, Use("resource.k8s.io/v1"))]),
    l("resource.k8s.io/v1alpha3", "ResourceClaimTemplate", 32, Some(34), &[(0, Use("resource.k8s.io/v1beta1")), (34, Use("resource.k8s.io/v1"))]),
    l("resource.k8s.io/v1alpha3", "ResourceSlice", 32, Some(34), &[(0, Use("resource.k8s.io/v1beta1")), (34, Use("resource.k8s.io/v1"))]),
    l("v1", "ComponentStatus", 19, None, &[(0, Use("the API server's /livez and /readyz endpoints"))]),
    l("kubeadm.k8s.io/v1alpha1", "MasterConfiguration", 11, Some(12), KUBEADM_V1ALPHA1_MASTER),
    l("kubeadm.k8s.io/v1alpha1", "NodeConfiguration", 11, Some(12), KUBEADM_V1ALPHA1_NODE),
    l("kubeadm.k8s.io/v1alpha2", "MasterConfiguration", 12, Some(13), KUBEADM_V1ALPHA2_MASTER),
    l("kubeadm.k8s.io/v1alpha2", "NodeConfiguration", 12, Some(13), KUBEADM_V1ALPHA2_NODE),
    l("kubeadm.k8s.io/v1alpha3", "InitConfiguration", 13, Some(14), KUBEADM_V1ALPHA3),
    l("kubeadm.k8s.io/v1alpha3", "ClusterConfiguration", 13, Some(14), KUBEADM_V1ALPHA3),
    l("kubeadm.k8s.io/v1alpha3", "JoinConfiguration", 13, Some(14), KUBEADM_V1ALPHA3),
    l("kubeadm.k8s.io/v1alpha3", "ClusterStatus", 13, Some(14), KUBEADM_V1ALPHA3_STATUS),
    l("kubeadm.k8s.io/v1beta1", "InitConfiguration", 17, Some(22), KUBEADM_V1BETA1),
    l("kubeadm.k8s.io/v1beta1", "ClusterConfiguration", 17, Some(22), KUBEADM_V1BETA1),
    l("kubeadm.k8s.io/v1beta1", "JoinConfiguration", 17, Some(22), KUBEADM_V1BETA1),
    l("kubeadm.k8s.io/v1beta1", "ClusterStatus", 17, Some(22), KUBEADM_V1BETA1_STATUS),
    l("kubeadm.k8s.io/v1beta2", "InitConfiguration", 24, Some(27), KUBEADM_V1BETA2),
    l("kubeadm.k8s.io/v1beta2", "ClusterConfiguration", 24, Some(27), KUBEADM_V1BETA2),
    l("kubeadm.k8s.io/v1beta2", "JoinConfiguration", 24, Some(27), KUBEADM_V1BETA2),
    l("kubeadm.k8s.io/v1beta2", "ClusterStatus", 24, Some(27), KUBEADM_V1BETA2_STATUS),
    l("kubeadm.k8s.io/v1beta3", "InitConfiguration", 31, Some(37), KUBEADM_V1BETA3),
    l("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", 31, Some(37), KUBEADM_V1BETA3),
    l("kubeadm.k8s.io/v1beta3", "JoinConfiguration", 31, Some(37), KUBEADM_V1BETA3),
];

/// Since which minor version an apiVersion of a kind is served (only those introduced after
/// 1.16; the others are served by every target kubevet knows): the built-in kinds of 1.37, and
/// the short-lived versions of the table above.
#[rustfmt::skip]
pub static SINCE: &[(&str, &str, u32)] = &[
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 26),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 26),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 28),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 28),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview", 26),
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview", 27),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 27),
    ("certificates.k8s.io/v1alpha1", "PodCertificateRequest", 34),
    ("coordination.k8s.io/v1alpha1", "LeaseCandidate", 31),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", 17),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 20),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 20),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 23),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 23),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 26),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 26),
    ("networking.k8s.io/v1alpha1", "ClusterCIDR", 25),
    ("networking.k8s.io/v1beta1", "IPAddress", 31),
    ("networking.k8s.io/v1beta1", "ServiceCIDR", 31),
    ("resource.k8s.io/v1alpha3", "DeviceClass", 31),
    ("resource.k8s.io/v1alpha3", "PodSchedulingContext", 31),
    ("resource.k8s.io/v1alpha3", "ResourceClaim", 31),
    ("resource.k8s.io/v1alpha3", "ResourceClaimTemplate", 31),
    ("resource.k8s.io/v1alpha3", "ResourceSlice", 31),
    ("scheduling.k8s.io/v1alpha1", "Workload", 35),
    ("scheduling.k8s.io/v1alpha2", "PodGroup", 36),
    ("scheduling.k8s.io/v1alpha2", "Workload", 36),
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClass", 29),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", 21),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", 31),
    ("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 30),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", 30),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", 30),
    ("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy", 36),
    ("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicyBinding", 36),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", 32),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", 32),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", 34),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", 34),
    ("authentication.k8s.io/v1", "SelfSubjectReview", 28),
    ("autoscaling/v2", "HorizontalPodAutoscaler", 23),
    ("batch/v1", "CronJob", 21),
    ("certificates.k8s.io/v1", "CertificateSigningRequest", 19),
    ("certificates.k8s.io/v1", "ClusterTrustBundle", 37),
    ("certificates.k8s.io/v1", "PodCertificateRequest", 37),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle", 33),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest", 35),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidate", 32),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate", 33),
    ("discovery.k8s.io/v1", "EndpointSlice", 21),
    ("events.k8s.io/v1", "Event", 19),
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", 29),
    ("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", 29),
    ("internal.apiserver.k8s.io/v1alpha1", "StorageVersion", 20),
    ("lifecycle.k8s.io/v1alpha1", "Eviction", 37),
    ("lifecycle.k8s.io/v1alpha1", "EvictionRequest", 37),
    ("networking.k8s.io/v1", "IPAddress", 33),
    ("networking.k8s.io/v1", "Ingress", 19),
    ("networking.k8s.io/v1", "IngressClass", 19),
    ("networking.k8s.io/v1", "ServiceCIDR", 33),
    ("node.k8s.io/v1", "RuntimeClass", 20),
    ("policy/v1", "Eviction", 22),
    ("policy/v1", "PodDisruptionBudget", 21),
    ("resource.k8s.io/v1", "DeviceClass", 34),
    ("resource.k8s.io/v1", "DeviceTaintRule", 37),
    ("resource.k8s.io/v1", "ResourceClaim", 34),
    ("resource.k8s.io/v1", "ResourceClaimTemplate", 34),
    ("resource.k8s.io/v1", "ResourceSlice", 34),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRule", 33),
    ("resource.k8s.io/v1alpha3", "ResourcePoolStatusRequest", 36),
    ("resource.k8s.io/v1beta1", "DeviceClass", 32),
    ("resource.k8s.io/v1beta1", "ResourceClaim", 32),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplate", 32),
    ("resource.k8s.io/v1beta1", "ResourceSlice", 32),
    ("resource.k8s.io/v1beta2", "DeviceClass", 33),
    ("resource.k8s.io/v1beta2", "DeviceTaintRule", 36),
    ("resource.k8s.io/v1beta2", "ResourceClaim", 33),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplate", 33),
    ("resource.k8s.io/v1beta2", "ResourceSlice", 33),
    ("scheduling.k8s.io/v1alpha3", "CompositePodGroup", 37),
    ("scheduling.k8s.io/v1alpha3", "PodGroup", 37),
    ("scheduling.k8s.io/v1alpha3", "Workload", 37),
    ("scheduling.k8s.io/v1beta1", "PodGroup", 37),
    ("scheduling.k8s.io/v1beta1", "Workload", 37),
    ("storage.k8s.io/v1", "CSIDriver", 18),
    ("storage.k8s.io/v1", "CSINode", 17),
    ("storage.k8s.io/v1", "CSIStorageCapacity", 24),
    ("storage.k8s.io/v1", "VolumeAttributesClass", 34),
    ("storagemigration.k8s.io/v1", "StorageVersionMigration", 37),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigration", 35),
    ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", 22),
    ("kubeadm.k8s.io/v1beta3", "InitConfiguration", 22),
    ("kubeadm.k8s.io/v1beta3", "JoinConfiguration", 22),
];

/// Where an apiVersion/kind stands at Kubernetes 1.`minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Served,
    /// Served from a later minor version only.
    NotYetServed(u32),
    Deprecated(Lifecycle),
    Removed(Lifecycle),
}

impl PartialEq for Lifecycle {
    fn eq(&self, o: &Self) -> bool {
        self.api_version == o.api_version && self.kind == o.kind
    }
}
impl Eq for Lifecycle {}

/// The table entry for an apiVersion/kind.
pub fn lifecycle(api_version: &str, kind: &str) -> Option<&'static Lifecycle> {
    TABLE
        .iter()
        .find(|e| e.api_version == api_version && (e.kind == kind || e.kind == "*"))
}

/// The first minor version that serves an apiVersion/kind, when it is later than 1.16.
pub fn served_since(api_version: &str, kind: &str) -> Option<u32> {
    SINCE
        .iter()
        .find(|(a, k, _)| *a == api_version && *k == kind)
        .map(|(_, _, m)| *m)
}

/// Whether an apiVersion was ever served for some kind, by any Kubernetes version this table
/// knows (removed, deprecated or served later).
pub fn ever_known(api_version: &str) -> bool {
    named().contains(api_version)
}

/// Every apiVersion the two tables name. Every object is looked up, and most are of an
/// apiVersion neither names (`v1`, `apps/v1`): one hash lookup answers for those instead of
/// a comparison with each of the tables' entries.
fn named() -> &'static std::collections::HashSet<&'static str> {
    static NAMED: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMED.get_or_init(|| {
        TABLE
            .iter()
            .map(|e| e.api_version)
            .chain(SINCE.iter().map(|(a, _, _)| *a))
            .collect()
    })
}

/// Look up an apiVersion/kind for a target minor version.
pub fn status(api_version: &str, kind: &str, minor: u32) -> Status {
    if !ever_known(api_version) {
        return Status::Served;
    }
    if let Some(since) = served_since(api_version, kind).filter(|s| minor < *s) {
        return Status::NotYetServed(since);
    }
    let Some(entry) = lifecycle(api_version, kind) else {
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
    use crate::schema::kinds::KINDS;

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
        assert_eq!(
            status("autoscaling/v2", "HorizontalPodAutoscaler", 20),
            Status::NotYetServed(23)
        );
        assert!(matches!(
            status("resource.k8s.io/v1alpha3", "ResourceClaim", 34),
            Status::Removed(_)
        ));
        // Another kind of the same group version is still served.
        assert_eq!(
            status("resource.k8s.io/v1alpha3", "DeviceTaintRule", 37),
            Status::Served
        );
    }

    #[test]
    fn replacements_follow_the_target() {
        let psp = lifecycle("extensions/v1beta1", "PodSecurityPolicy").expect("entry");
        assert_eq!(psp.instead_at(16), Use("policy/v1beta1"));
        assert_eq!(psp.instead_at(24), Use("policy/v1beta1"));
        assert!(matches!(psp.instead_at(25), Nothing(_)));
        assert_eq!(psp.help_at(20), "use policy/v1beta1 instead");
    }

    #[test]
    fn kubeadm_formats_follow_the_kubeadm_releases() {
        let cfg = "ClusterConfiguration";
        assert_eq!(
            status("kubeadm.k8s.io/v1beta3", cfg, 21),
            Status::NotYetServed(22)
        );
        assert_eq!(status("kubeadm.k8s.io/v1beta3", cfg, 30), Status::Served);
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta3", cfg, 31),
            Status::Deprecated(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta3", cfg, 36),
            Status::Deprecated(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta3", cfg, 37),
            Status::Removed(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta2", "JoinConfiguration", 26),
            Status::Deprecated(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta2", "JoinConfiguration", 27),
            Status::Removed(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1beta1", "InitConfiguration", 22),
            Status::Removed(_)
        ));
        // kubeadm 1.14 refused v1alpha3 for init and join, though its `config migrate` read it.
        assert!(matches!(
            status("kubeadm.k8s.io/v1alpha3", cfg, 14),
            Status::Removed(_)
        ));
        assert!(matches!(
            status("kubeadm.k8s.io/v1alpha1", "MasterConfiguration", 37),
            Status::Removed(_)
        ));
        assert_eq!(
            status("kubeadm.k8s.io/v1beta4", "UpgradeConfiguration", 37),
            Status::Served
        );

        let v1beta3 = lifecycle("kubeadm.k8s.io/v1beta3", "InitConfiguration").expect("entry");
        assert_eq!(
            v1beta3.help_at(37),
            "use kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.31 to 1.36) instead"
        );
        let master = lifecycle("kubeadm.k8s.io/v1alpha2", "MasterConfiguration").expect("entry");
        assert!(master.help_at(37).starts_with(
            "use InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta4 "
        ));
        assert!(master.help_at(12).starts_with(
            "use InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1alpha3 "
        ));
        let status_v1beta1 = lifecycle("kubeadm.k8s.io/v1beta1", "ClusterStatus").expect("entry");
        assert!(status_v1beta1
            .help_at(20)
            .starts_with("use kubeadm.k8s.io/v1beta2 "));
        assert!(matches!(status_v1beta1.instead_at(22), Nothing(_)));
    }

    /// The kubeadm rows are what the kubeadm history says: one row per kind of every format
    /// kubeadm deprecated, its releases, and at every target the help the history derives.
    #[test]
    fn the_kubeadm_rows_agree_with_the_history() {
        use crate::model::kubeadm::history::{self, FORMATS};
        let rows: Vec<&Lifecycle> = TABLE
            .iter()
            .filter(|e| e.api_version.starts_with("kubeadm.k8s.io/"))
            .collect();
        let mut expected = 0;
        for f in FORMATS {
            let Some(deprecated) = f.deprecated else {
                continue;
            };
            for kind in f.kinds {
                expected += 1;
                let av = format!("kubeadm.k8s.io/{}", f.version);
                let e = lifecycle(&av, kind).unwrap_or_else(|| panic!("no row for {av} {kind}"));
                assert_eq!(
                    (e.deprecated, e.removed),
                    (deprecated, f.removed),
                    "{av} {kind}"
                );
                for minor in deprecated..=40 {
                    assert_eq!(
                        e.help_at(minor),
                        history::help(f.version, kind, minor),
                        "{av} {kind} at 1.{minor}"
                    );
                }
            }
        }
        assert_eq!(
            rows.len(),
            expected,
            "a kubeadm row for a kind its format lacks"
        );
    }

    /// Every embedded version agrees with the tables: what its schemas have is served there,
    /// what the version before had and it has not was removed in it, and what it adds was
    /// not served the version before.
    #[test]
    fn the_tables_agree_with_every_embedded_version() {
        use crate::schema::builtin::{version, NEWEST, OLDEST};
        let kinds_of = |minor: u32| -> std::collections::BTreeSet<(String, String)> {
            version(minor)
                .expect("reads")
                .kinds
                .iter()
                .map(|k| (k.api_version.clone(), k.kind.clone()))
                .collect()
        };
        let mut problems = Vec::new();
        let mut previous = kinds_of(OLDEST);
        for minor in OLDEST..=NEWEST {
            let kinds = kinds_of(minor);
            for (av, kind) in &kinds {
                let st = status(av, kind, minor);
                if !matches!(st, Status::Served | Status::Deprecated(_)) {
                    problems.push(format!("1.{minor} has {av} {kind}, but it is {st:?}"));
                }
                if minor > OLDEST && !previous.contains(&(av.clone(), kind.clone())) {
                    let st = status(av, kind, minor - 1);
                    if !matches!(st, Status::NotYetServed(m) if m == minor) {
                        problems.push(format!(
                            "{av} {kind} appears in 1.{minor}, but at 1.{} it is {st:?}",
                            minor - 1
                        ));
                    }
                }
            }
            for (av, kind) in previous.difference(&kinds) {
                let st = status(av, kind, minor);
                if !matches!(st, Status::Removed(l) if l.removed == Some(minor)) {
                    problems.push(format!(
                        "{av} {kind} is gone from 1.{minor}, but there it is {st:?}"
                    ));
                }
            }
            previous = kinds;
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// A kind with a built-in 1.37 schema is served by 1.37: it cannot be removed at or before
    /// 1.37, nor "not yet served" there.
    #[test]
    fn the_table_agrees_with_the_embedded_schemas() {
        for e in TABLE {
            let served: Vec<&str> = KINDS
                .iter()
                .filter(|k| k.api_version == e.api_version && (e.kind == "*" || k.kind == e.kind))
                .map(|k| k.kind)
                .collect();
            if e.removed.is_some_and(|r| r <= 37) {
                assert!(
                    served.is_empty(),
                    "{} {} is marked removed in 1.{:?} but 1.37 serves {served:?}",
                    e.api_version,
                    e.kind,
                    e.removed
                );
            }
            if e.removed.is_none() {
                assert!(
                    !served.is_empty(),
                    "{} {} is served but has no schema",
                    e.api_version,
                    e.kind
                );
            }
            assert!(
                !e.instead.is_empty(),
                "{} {}: say what to use instead",
                e.api_version,
                e.kind
            );
            assert!(
                e.instead.windows(2).all(|w| w[0].0 < w[1].0),
                "{} {}: replacements out of order",
                e.api_version,
                e.kind
            );
            assert!(e.removed.is_none_or(|r| r >= e.deprecated));
            // Every replacement apiVersion of the same kind exists at 1.37 or is itself in
            // the table.
            for (_, i) in e.instead {
                if let (Use(av), false) = (i, e.kind == "*") {
                    if !av.contains(' ') {
                        let known = KINDS
                            .iter()
                            .any(|k| k.api_version == *av && k.kind == e.kind)
                            || lifecycle(av, e.kind).is_some();
                        assert!(
                            known,
                            "{} {}: replacement {av} unknown",
                            e.api_version, e.kind
                        );
                    }
                }
            }
        }
        // What to use instead is served at every target the help is shown for.
        for e in TABLE {
            let group = e.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let kind = if e.kind == "*" {
                KINDS
                    .iter()
                    .find(|k| k.api_version.rsplit_once('/').map_or("", |(g, _)| g) == group)
                    .map_or("", |k| k.kind)
            } else {
                e.kind
            };
            let first = served_since(e.api_version, kind)
                .unwrap_or(0)
                .max(e.deprecated);
            for minor in first..=37 {
                if let Use(av) = e.instead_at(minor) {
                    if av.contains(' ') {
                        continue;
                    }
                    let st = status(av, kind, minor);
                    assert!(
                        matches!(st, Status::Served | Status::Deprecated(_)),
                        "{} {kind}: at 1.{minor} the replacement {av} is {st:?}",
                        e.api_version
                    );
                }
            }
        }
        for (av, kind, since) in SINCE {
            assert!(*since <= 37);
            let known = KINDS
                .iter()
                .any(|k| k.api_version == *av && k.kind == *kind)
                || lifecycle(av, kind).is_some();
            assert!(
                known,
                "{av} {kind} is listed as served but is neither built in nor in the table"
            );
        }
    }
}
