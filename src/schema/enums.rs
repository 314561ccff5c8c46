//! The values the API server accepts for the string fields of the Kubernetes API that are
//! enums. `k8s-openapi`'s schemas carry no `enum` (the Go types declare these fields as plain
//! strings), so kubevet keeps this table; the generator writes each entry into the strict
//! schemas, and `schema` then reports `restartPolicy: always` like any other schema error.
//!
//! Each entry names the Go field of `k8s.io/api` it mirrors and follows the API server's
//! validation of that field in every Kubernetes version kubevet embeds (1.30 on): a value a
//! later version added carries the first version that accepts it, and the generator writes
//! each version's own list. Where the API server defaults an empty string
//! (`imagePullPolicy: ""` becomes the default policy), `""` is accepted too, but never offered
//! as a choice in messages.

/// One enum field of the Kubernetes API.
#[derive(Debug, Clone, Copy)]
pub struct EnumField {
    /// The definition in `_definitions.json` holding the field.
    pub definition: &'static str,
    /// The field's JSON name.
    pub property: &'static str,
    /// The Go field it mirrors (`core/v1 Container.ImagePullPolicy`).
    pub mirrors: &'static str,
    /// The accepted values, in the order the API documents them.
    pub values: &'static [&'static str],
    /// The field is a list of strings and the values apply to its items.
    pub items: bool,
    /// The API server also accepts `""` (it defaults the field).
    pub empty_ok: bool,
    /// Values accepted only from a later minor version on: (value, first minor version).
    /// Every other value is accepted by every version kubevet embeds.
    pub added: &'static [(&'static str, u32)],
}

const fn field(
    definition: &'static str,
    property: &'static str,
    mirrors: &'static str,
    values: &'static [&'static str],
) -> EnumField {
    EnumField {
        definition,
        property,
        mirrors,
        values,
        items: false,
        empty_ok: false,
        added: &[],
    }
}

const fn defaulted(
    definition: &'static str,
    property: &'static str,
    mirrors: &'static str,
    values: &'static [&'static str],
) -> EnumField {
    EnumField {
        empty_ok: true,
        ..field(definition, property, mirrors, values)
    }
}

const fn list(
    definition: &'static str,
    property: &'static str,
    mirrors: &'static str,
    values: &'static [&'static str],
) -> EnumField {
    EnumField {
        items: true,
        ..field(definition, property, mirrors, values)
    }
}

const PULL_POLICY: &[&str] = &["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICY: &[&str] = &["File", "FallbackToLogsOnError"];
const RESTART_POLICY: &[&str] = &["Always", "OnFailure", "Never"];
const PROTOCOL: &[&str] = &["TCP", "UDP", "SCTP"];
const TRAFFIC_POLICY: &[&str] = &["Cluster", "Local"];
const UPDATE_STRATEGY: &[&str] = &["RollingUpdate", "OnDelete"];
const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];
const VOLUME_MODE: &[&str] = &["Filesystem", "Block"];
const TAINT_EFFECT: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const PROFILE_TYPE: &[&str] = &["RuntimeDefault", "Unconfined", "Localhost"];
const PREEMPTION_POLICY: &[&str] = &["PreemptLowerPriority", "Never"];
const INCLUSION_POLICY: &[&str] = &["Honor", "Ignore"];

/// Every enum field kubevet knows. The generator refuses an entry whose definition or
/// property does not exist.
pub static ENUMS: &[EnumField] = &[
    // Containers.
    defaulted(
        "io.k8s.api.core.v1.Container",
        "imagePullPolicy",
        "core/v1 Container.ImagePullPolicy (PullPolicy)",
        PULL_POLICY,
    ),
    defaulted(
        "io.k8s.api.core.v1.Container",
        "terminationMessagePolicy",
        "core/v1 Container.TerminationMessagePolicy (TerminationMessagePolicy)",
        TERMINATION_MESSAGE_POLICY,
    ),
    // Always makes an init container a sidecar; OnFailure and Never are the per-container
    // restart policies of regular containers (ContainerRestartRules, 1.34+). Before 1.34 the
    // field takes `Always` only.
    EnumField {
        added: &[("OnFailure", 34), ("Never", 34)],
        ..field(
            "io.k8s.api.core.v1.Container",
            "restartPolicy",
            "core/v1 Container.RestartPolicy (ContainerRestartPolicy)",
            RESTART_POLICY,
        )
    },
    defaulted(
        "io.k8s.api.core.v1.EphemeralContainer",
        "imagePullPolicy",
        "core/v1 EphemeralContainer.ImagePullPolicy (PullPolicy)",
        PULL_POLICY,
    ),
    defaulted(
        "io.k8s.api.core.v1.EphemeralContainer",
        "terminationMessagePolicy",
        "core/v1 EphemeralContainer.TerminationMessagePolicy (TerminationMessagePolicy)",
        TERMINATION_MESSAGE_POLICY,
    ),
    defaulted(
        "io.k8s.api.core.v1.ContainerPort",
        "protocol",
        "core/v1 ContainerPort.Protocol (Protocol)",
        PROTOCOL,
    ),
    defaulted(
        "io.k8s.api.core.v1.HTTPGetAction",
        "scheme",
        "core/v1 HTTPGetAction.Scheme (URIScheme)",
        &["HTTP", "HTTPS"],
    ),
    field(
        "io.k8s.api.core.v1.SecurityContext",
        "procMount",
        "core/v1 SecurityContext.ProcMount (ProcMountType)",
        &["Default", "Unmasked"],
    ),
    field(
        "io.k8s.api.core.v1.SeccompProfile",
        "type",
        "core/v1 SeccompProfile.Type (SeccompProfileType)",
        PROFILE_TYPE,
    ),
    field(
        "io.k8s.api.core.v1.AppArmorProfile",
        "type",
        "core/v1 AppArmorProfile.Type (AppArmorProfileType)",
        PROFILE_TYPE,
    ),
    field(
        "io.k8s.api.core.v1.VolumeMount",
        "mountPropagation",
        "core/v1 VolumeMount.MountPropagation (MountPropagationMode)",
        &["None", "HostToContainer", "Bidirectional"],
    ),
    // Pods.
    defaulted(
        "io.k8s.api.core.v1.PodSpec",
        "restartPolicy",
        "core/v1 PodSpec.RestartPolicy (RestartPolicy)",
        RESTART_POLICY,
    ),
    defaulted(
        "io.k8s.api.core.v1.PodSpec",
        "dnsPolicy",
        "core/v1 PodSpec.DNSPolicy (DNSPolicy)",
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ),
    field(
        "io.k8s.api.core.v1.PodSpec",
        "preemptionPolicy",
        "core/v1 PodSpec.PreemptionPolicy (PreemptionPolicy)",
        PREEMPTION_POLICY,
    ),
    field(
        "io.k8s.api.core.v1.PodSecurityContext",
        "fsGroupChangePolicy",
        "core/v1 PodSecurityContext.FSGroupChangePolicy (PodFSGroupChangePolicy)",
        &["OnRootMismatch", "Always"],
    ),
    // Lt and Gt need the TaintTolerationComparisonOperators feature gate (1.35+).
    EnumField {
        added: &[("Lt", 35), ("Gt", 35)],
        ..defaulted(
            "io.k8s.api.core.v1.Toleration",
            "operator",
            "core/v1 Toleration.Operator (TolerationOperator)",
            &["Equal", "Exists", "Lt", "Gt"],
        )
    },
    // Empty matches every effect.
    defaulted(
        "io.k8s.api.core.v1.Toleration",
        "effect",
        "core/v1 Toleration.Effect (TaintEffect)",
        TAINT_EFFECT,
    ),
    field(
        "io.k8s.api.core.v1.Taint",
        "effect",
        "core/v1 Taint.Effect (TaintEffect)",
        TAINT_EFFECT,
    ),
    field(
        "io.k8s.api.core.v1.NodeSelectorRequirement",
        "operator",
        "core/v1 NodeSelectorRequirement.Operator (NodeSelectorOperator)",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    field(
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
        "operator",
        "meta/v1 LabelSelectorRequirement.Operator (LabelSelectorOperator)",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
    field(
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "whenUnsatisfiable",
        "core/v1 TopologySpreadConstraint.WhenUnsatisfiable (UnsatisfiableConstraintAction)",
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    field(
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "nodeAffinityPolicy",
        "core/v1 TopologySpreadConstraint.NodeAffinityPolicy (NodeInclusionPolicy)",
        INCLUSION_POLICY,
    ),
    field(
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "nodeTaintsPolicy",
        "core/v1 TopologySpreadConstraint.NodeTaintsPolicy (NodeInclusionPolicy)",
        INCLUSION_POLICY,
    ),
    // The empty string is a documented value: no check before mounting.
    defaulted(
        "io.k8s.api.core.v1.HostPathVolumeSource",
        "type",
        "core/v1 HostPathVolumeSource.Type (HostPathType)",
        &[
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ],
    ),
    // Services and endpoints.
    defaulted(
        "io.k8s.api.core.v1.ServiceSpec",
        "type",
        "core/v1 ServiceSpec.Type (ServiceType)",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    defaulted(
        "io.k8s.api.core.v1.ServiceSpec",
        "externalTrafficPolicy",
        "core/v1 ServiceSpec.ExternalTrafficPolicy (ServiceExternalTrafficPolicy)",
        TRAFFIC_POLICY,
    ),
    field(
        "io.k8s.api.core.v1.ServiceSpec",
        "internalTrafficPolicy",
        "core/v1 ServiceSpec.InternalTrafficPolicy (ServiceInternalTrafficPolicy)",
        TRAFFIC_POLICY,
    ),
    defaulted(
        "io.k8s.api.core.v1.ServiceSpec",
        "sessionAffinity",
        "core/v1 ServiceSpec.SessionAffinity (ServiceAffinity)",
        &["None", "ClientIP"],
    ),
    field(
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilyPolicy",
        "core/v1 ServiceSpec.IPFamilyPolicy (IPFamilyPolicy)",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    list(
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilies",
        "core/v1 ServiceSpec.IPFamilies ([]IPFamily)",
        &["IPv4", "IPv6"],
    ),
    defaulted(
        "io.k8s.api.core.v1.ServicePort",
        "protocol",
        "core/v1 ServicePort.Protocol (Protocol)",
        PROTOCOL,
    ),
    defaulted(
        "io.k8s.api.core.v1.EndpointPort",
        "protocol",
        "core/v1 EndpointPort.Protocol (Protocol)",
        PROTOCOL,
    ),
    field(
        "io.k8s.api.discovery.v1.EndpointPort",
        "protocol",
        "discovery/v1 EndpointPort.Protocol (*core/v1 Protocol)",
        PROTOCOL,
    ),
    // Storage.
    list(
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "accessModes",
        "core/v1 PersistentVolumeClaimSpec.AccessModes ([]PersistentVolumeAccessMode)",
        ACCESS_MODES,
    ),
    field(
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        "core/v1 PersistentVolumeClaimSpec.VolumeMode (PersistentVolumeMode)",
        VOLUME_MODE,
    ),
    list(
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "accessModes",
        "core/v1 PersistentVolumeSpec.AccessModes ([]PersistentVolumeAccessMode)",
        ACCESS_MODES,
    ),
    field(
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "volumeMode",
        "core/v1 PersistentVolumeSpec.VolumeMode (PersistentVolumeMode)",
        VOLUME_MODE,
    ),
    defaulted(
        "io.k8s.api.core.v1.PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        "core/v1 PersistentVolumeSpec.PersistentVolumeReclaimPolicy (PersistentVolumeReclaimPolicy)",
        &["Retain", "Delete", "Recycle"],
    ),
    defaulted(
        "io.k8s.api.storage.v1.StorageClass",
        "reclaimPolicy",
        "storage/v1 StorageClass.ReclaimPolicy (*core/v1 PersistentVolumeReclaimPolicy)",
        &["Delete", "Retain"],
    ),
    field(
        "io.k8s.api.storage.v1.StorageClass",
        "volumeBindingMode",
        "storage/v1 StorageClass.VolumeBindingMode (VolumeBindingMode)",
        &["Immediate", "WaitForFirstConsumer"],
    ),
    // Workloads.
    defaulted(
        "io.k8s.api.apps.v1.DeploymentStrategy",
        "type",
        "apps/v1 DeploymentStrategy.Type (DeploymentStrategyType)",
        &["RollingUpdate", "Recreate"],
    ),
    defaulted(
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        "apps/v1 StatefulSetSpec.PodManagementPolicy (PodManagementPolicyType)",
        &["OrderedReady", "Parallel"],
    ),
    defaulted(
        "io.k8s.api.apps.v1.StatefulSetUpdateStrategy",
        "type",
        "apps/v1 StatefulSetUpdateStrategy.Type (StatefulSetUpdateStrategyType)",
        UPDATE_STRATEGY,
    ),
    defaulted(
        "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
        "type",
        "apps/v1 DaemonSetUpdateStrategy.Type (DaemonSetUpdateStrategyType)",
        UPDATE_STRATEGY,
    ),
    field(
        "io.k8s.api.batch.v1.JobSpec",
        "completionMode",
        "batch/v1 JobSpec.CompletionMode (CompletionMode)",
        &["NonIndexed", "Indexed"],
    ),
    field(
        "io.k8s.api.batch.v1.JobSpec",
        "podReplacementPolicy",
        "batch/v1 JobSpec.PodReplacementPolicy (PodReplacementPolicy)",
        &["TerminatingOrFailed", "Failed"],
    ),
    defaulted(
        "io.k8s.api.batch.v1.CronJobSpec",
        "concurrencyPolicy",
        "batch/v1 CronJobSpec.ConcurrencyPolicy (ConcurrencyPolicy)",
        &["Allow", "Forbid", "Replace"],
    ),
    field(
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "unhealthyPodEvictionPolicy",
        "policy/v1 PodDisruptionBudgetSpec.UnhealthyPodEvictionPolicy (UnhealthyPodEvictionPolicyType)",
        &["IfHealthyBudget", "AlwaysAllow"],
    ),
    field(
        "io.k8s.api.scheduling.v1.PriorityClass",
        "preemptionPolicy",
        "scheduling/v1 PriorityClass.PreemptionPolicy (*core/v1 PreemptionPolicy)",
        PREEMPTION_POLICY,
    ),
    // Networking.
    field(
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "pathType",
        "networking/v1 HTTPIngressPath.PathType (PathType)",
        &["Exact", "Prefix", "ImplementationSpecific"],
    ),
    list(
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "policyTypes",
        "networking/v1 NetworkPolicySpec.PolicyTypes ([]PolicyType)",
        &["Ingress", "Egress"],
    ),
    field(
        "io.k8s.api.networking.v1.NetworkPolicyPort",
        "protocol",
        "networking/v1 NetworkPolicyPort.Protocol (*core/v1 Protocol)",
        PROTOCOL,
    ),
];

impl EnumField {
    /// The values Kubernetes 1.`minor` accepts, in the table's order.
    pub fn values_at(&self, minor: u32) -> Vec<&'static str> {
        self.values
            .iter()
            .copied()
            .filter(|v| {
                self.added
                    .iter()
                    .all(|(added, since)| added != v || *since <= minor)
            })
            .collect()
    }

    /// The schema's `enum` at Kubernetes 1.`minor`: the values, and `""` when the API server
    /// accepts it.
    pub fn schema_values_at(&self, minor: u32) -> Vec<&'static str> {
        let mut v = self.values_at(minor);
        if self.empty_ok {
            v.push("");
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for e in ENUMS {
            assert!(
                seen.insert((e.definition, e.property)),
                "{}.{} twice",
                e.definition,
                e.property
            );
            assert!(!e.values.is_empty() && !e.values.contains(&""));
            assert!(!e.mirrors.is_empty());
            for (value, since) in e.added {
                assert!(e.values.contains(value), "{value} is not a value");
                assert!(*since > 30, "{value}: every embedded version has it");
            }
        }
    }

    #[test]
    fn values_follow_the_version() {
        let find = |definition: &str, property: &str| {
            ENUMS
                .iter()
                .find(|e| e.definition == definition && e.property == property)
                .expect("entry")
        };
        let restart = find("io.k8s.api.core.v1.Container", "restartPolicy");
        assert_eq!(restart.values_at(33), ["Always"]);
        assert_eq!(restart.values_at(34), ["Always", "OnFailure", "Never"]);
        let operator = find("io.k8s.api.core.v1.Toleration", "operator");
        assert_eq!(operator.schema_values_at(34), ["Equal", "Exists", ""]);
        assert_eq!(
            operator.schema_values_at(35),
            ["Equal", "Exists", "Lt", "Gt", ""]
        );
        let pull = find("io.k8s.api.core.v1.Container", "imagePullPolicy");
        assert_eq!(pull.values_at(30), pull.values_at(37));
    }
}
