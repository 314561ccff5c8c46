//! Which documents the API server would treat as objects, and what it demands of their
//! metadata kind by kind: the rule a built-in kind's name must follow (the name function each
//! kind's validation hands to `ValidateObjectMeta` in kubernetes/kubernetes `pkg/apis/*/validation`
//! and apiextensions-apiserver), and whether a built-in kind is cluster-scoped (from
//! `k8s-openapi`'s resource scopes).
//!
//! Custom resources get the rule the API server applies to every custom resource
//! (`NameIsDNSSubdomain`, apiextensions-apiserver `pkg/registry/customresource`), except the
//! groups of well-known aggregated API servers, which have rules of their own. Built-in
//! kinds whose name rule kubevet has not checked against upstream get no name rule at all:
//! better silent than wrong (an `IPAddress` is named by an IP, a `CertificateSigningRequest`
//! may have any name).

use crate::k8s::names;
use crate::model::pod::WorkloadKind;
use crate::model::Object;
use crate::schema::kinds::KINDS;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope, Resource, SubResourceScope};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What a document is to the API server, as far as its metadata goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A kind of a built-in API group (served or not in the target version).
    Builtin,
    /// A custom resource: a kind of a group with a dot that is no built-in group and no
    /// configuration format.
    Custom,
}

/// An object's API group, kind and class.
#[derive(Debug, Clone, Copy)]
pub struct ApiObject<'o> {
    pub group: &'o str,
    pub kind: &'o str,
    pub class: Class,
}

impl<'o> ApiObject<'o> {
    /// The object as the API server would see it, or `None` for documents that are not API
    /// objects (no apiVersion or kind, configuration files of Kubernetes components and
    /// tools, groups without a dot that no CRD can declare).
    pub fn of(object: &'o Object) -> Option<ApiObject<'o>> {
        let (group, _) = object.group_version()?;
        let kind = object.kind.as_deref().filter(|k| !k.is_empty())?;
        let class = if builtin_groups().contains(group) {
            Class::Builtin
        } else if group.contains('.') && !is_configuration_group(group) {
            Class::Custom
        } else {
            return None;
        };
        Some(ApiObject { group, kind, class })
    }

    /// Whether this is the built-in kind `kind` of `group` (`extensions` counts as the group
    /// its kinds moved to).
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.class == Class::Builtin && self.kind == kind && self.canonical_group() == group
    }

    /// Whether the kind is cluster-scoped; `None` when kubevet does not know (custom
    /// resources, unknown kinds).
    pub fn cluster_scoped(&self) -> Option<bool> {
        if self.class != Class::Builtin {
            return None;
        }
        scopes().get(&(self.canonical_group(), self.kind)).copied()
    }

    /// The group, with kinds of the retired `extensions` group in the group they moved to.
    pub fn canonical_group(&self) -> &'o str {
        canonical_group(self.group, self.kind)
    }
}

/// The group a kind of the retired `extensions` group lives in now; any other group as is.
fn canonical_group<'g>(group: &'g str, kind: &str) -> &'g str {
    match (group, kind) {
        ("extensions", "Ingress" | "NetworkPolicy") => "networking.k8s.io",
        ("extensions", "PodSecurityPolicy") => "policy",
        ("extensions", _) => "apps",
        (g, _) => g,
    }
}

/// Groups of configuration formats that carry apiVersion and kind but are never sent to the
/// API server: component configurations, kubeadm, kustomize, audit policies, credential
/// plugins, admission plugin configurations, kind clusters.
fn is_configuration_group(group: &str) -> bool {
    group.ends_with(".config.k8s.io")
        || group.ends_with(".admission.k8s.io")
        || matches!(
            group,
            "kubeadm.k8s.io"
                | "audit.k8s.io"
                | "apiserver.k8s.io"
                | "client.authentication.k8s.io"
                | "credentialprovider.kubelet.k8s.io"
                | "kind.x-k8s.io"
        )
}

/// Every built-in API group: those of the built-in kinds, and the retired `extensions`.
fn builtin_groups() -> &'static HashSet<&'static str> {
    static GROUPS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        KINDS
            .iter()
            .map(|k| k.api_version.rsplit_once('/').map_or("", |(g, _)| g))
            .chain(["extensions"])
            .collect()
    })
}

/// The rule a name must follow, as the API server's name functions check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// `NameIsDNSSubdomain`: ≤253 lower-case alphanumerics, `-` and `.`.
    Subdomain,
    /// `NameIsDNSLabel`: ≤63 lower-case alphanumerics and `-`.
    Label,
    /// `NameIsDNS1035Label`: a DNS label that starts with a letter.
    Dns1035Label,
    /// `IsValidPathSegmentName`: not `.` or `..`, no `/` or `%`.
    PathSegment,
}

impl NameRule {
    /// The API server's messages for a name (`prefix`: a `generateName`), empty when valid.
    pub fn check(self, name: &str, prefix: bool) -> Vec<String> {
        match self {
            NameRule::Subdomain => names::name_is_dns_subdomain(name, prefix),
            NameRule::Label => names::name_is_dns_label(name, prefix),
            NameRule::Dns1035Label => names::name_is_dns1035_label(name, prefix),
            NameRule::PathSegment if prefix => names::is_path_segment_prefix(name),
            NameRule::PathSegment => names::is_path_segment_name(name),
        }
    }

    /// What a valid name looks like, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            NameRule::Subdomain => "a DNS subdomain: at most 253 characters of lower-case letters, digits, `-` and `.`, beginning and ending with a letter or digit",
            NameRule::Label => "a DNS label: at most 63 characters of lower-case letters, digits and `-`, beginning and ending with a letter or digit",
            NameRule::Dns1035Label => "a DNS-1035 label: at most 63 characters of lower-case letters, digits and `-`, beginning with a letter and ending with a letter or digit",
            NameRule::PathSegment => "any text usable as a URL path segment: not `.` or `..`, without `/` or `%`",
        }
    }

    /// A valid name close to `name`, for help texts; `None` when nothing sensible is left.
    pub fn suggest(self, name: &str) -> Option<String> {
        let keep_dots = self == NameRule::Subdomain;
        let max = match self {
            NameRule::Subdomain => names::DNS1123_SUBDOMAIN_MAX_LENGTH,
            NameRule::PathSegment => return None,
            _ => names::DNS1123_LABEL_MAX_LENGTH,
        };
        let mut out = String::with_capacity(name.len());
        for c in name.chars().flat_map(char::to_lowercase) {
            match c {
                'a'..='z' | '0'..='9' => out.push(c),
                '.' if keep_dots && !out.ends_with(['.', '-']) => out.push('.'),
                _ if !out.is_empty() && !out.ends_with(['.', '-']) => out.push('-'),
                _ => {}
            }
        }
        if self == NameRule::Dns1035Label {
            let start = out.find(|c: char| c.is_ascii_lowercase())?;
            out.drain(..start);
        }
        out.truncate(max);
        let out = out.trim_end_matches(['.', '-']).to_string();
        (!out.is_empty() && out != name && self.check(&out, false).is_empty()).then_some(out)
    }
}

/// The name rule of a built-in kind in Kubernetes 1.`minor`, for the kinds whose upstream
/// validation kubevet follows; `None` for the others. Kind-specific limits on top of the rule
/// (CronJob ≤52, Job ≤63 through its pod labels, CRD `<plural>.<group>`) are the caller's.
pub fn name_rule(object: &ApiObject, minor: u32) -> Option<NameRule> {
    use NameRule::*;
    if object.class == Class::Custom {
        // Aggregated API servers (OpenShift's, the metrics APIs) are not served from CRDs and
        // name their objects by rules of their own: an OpenShift `User` may be `alice@corp`.
        let aggregated =
            object.group.ends_with("openshift.io") || object.group.ends_with("metrics.k8s.io");
        return (!aggregated).then_some(Subdomain);
    }
    Some(match (object.canonical_group(), object.kind) {
        // StatefulSet names became DNS labels in 1.27 (kubernetes#114172): they end up as pod
        // hostnames.
        ("apps", "StatefulSet") if minor >= 27 => Label,
        (
            "apps",
            "StatefulSet" | "Deployment" | "ReplicaSet" | "DaemonSet" | "ControllerRevision",
        ) => Subdomain,
        ("", "Namespace") => Label,
        // RelaxedServiceNameValidation: beta and on by default from 1.36.
        ("", "Service") if minor >= 36 => Label,
        ("", "Service") => Dns1035Label,
        (
            "",
            "Pod"
            | "PodTemplate"
            | "ReplicationController"
            | "ConfigMap"
            | "Secret"
            | "ServiceAccount"
            | "Endpoints"
            | "LimitRange"
            | "ResourceQuota"
            | "Node"
            | "PersistentVolume"
            | "PersistentVolumeClaim",
        ) => Subdomain,
        ("batch", "Job" | "CronJob") => Subdomain,
        ("autoscaling", "HorizontalPodAutoscaler") => Subdomain,
        ("policy", "PodDisruptionBudget") => Subdomain,
        ("networking.k8s.io", "Ingress" | "IngressClass" | "NetworkPolicy") => Subdomain,
        ("discovery.k8s.io", "EndpointSlice") => Subdomain,
        ("storage.k8s.io", "StorageClass") => Subdomain,
        ("scheduling.k8s.io", "PriorityClass") => Subdomain,
        ("node.k8s.io", "RuntimeClass") => Subdomain,
        (
            "admissionregistration.k8s.io",
            "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding",
        ) => Subdomain,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => Subdomain,
        (
            "rbac.authorization.k8s.io",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        ) => PathSegment,
        _ => return None,
    })
}

/// A value for a message: quoted in backticks, with long values cut short (`aaaa…`, 254
/// characters).
pub fn shown(value: &str) -> String {
    const SHOWN: usize = 48;
    if value.chars().count() <= SHOWN + 16 {
        return format!("`{value}`");
    }
    let head: String = value.chars().take(SHOWN).collect();
    format!("`{head}…` ({} characters)", value.chars().count())
}

/// Object-relative pointers of the pod template's metadata and of the pod spec of a
/// pod-bearing built-in object (the pod's own for a Pod), or `None` for other objects.
pub fn pod_pointers(object: &Object) -> Option<(&'static str, &'static str)> {
    if let Some(w) = WorkloadKind::of(object) {
        return w
            .is_builtin()
            .then(|| (w.pod_metadata_pointer(), w.pod_spec_pointer()));
    }
    let is_template = object.kind() == "PodTemplate" && object.group_version()?.0.is_empty();
    is_template.then_some(("/template/metadata", "/template/spec"))
}

/// Whether a kind is cluster-scoped, from its `k8s-openapi` type.
trait ScopeOf {
    const CLUSTER: bool;
}

impl ScopeOf for ClusterResourceScope {
    const CLUSTER: bool = true;
}

impl ScopeOf for NamespaceResourceScope {
    const CLUSTER: bool = false;
}

impl ScopeOf for SubResourceScope {
    const CLUSTER: bool = false;
}

macro_rules! scopes {
    ($($ty:path,)*) => {
        /// `(group, kind, cluster-scoped)` of every built-in kind kubevet has a schema for.
        const SCOPES: &[(&str, &str, bool)] = &[$((
            <$ty as Resource>::GROUP,
            <$ty as Resource>::KIND,
            <<$ty as Resource>::Scope as ScopeOf>::CLUSTER,
        ),)*];
    };
}

scopes! {
    k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration,
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1::ValidatingWebhookConfiguration,
    k8s_openapi::api::apiserverinternal::v1alpha1::StorageVersion,
    k8s_openapi::api::apps::v1::ControllerRevision,
    k8s_openapi::api::apps::v1::DaemonSet,
    k8s_openapi::api::apps::v1::Deployment,
    k8s_openapi::api::apps::v1::ReplicaSet,
    k8s_openapi::api::apps::v1::StatefulSet,
    k8s_openapi::api::authentication::v1::SelfSubjectReview,
    k8s_openapi::api::authentication::v1::TokenRequest,
    k8s_openapi::api::authentication::v1::TokenReview,
    k8s_openapi::api::authorization::v1::LocalSubjectAccessReview,
    k8s_openapi::api::authorization::v1::SelfSubjectAccessReview,
    k8s_openapi::api::authorization::v1::SelfSubjectRulesReview,
    k8s_openapi::api::authorization::v1::SubjectAccessReview,
    k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscaler,
    k8s_openapi::api::autoscaling::v1::Scale,
    k8s_openapi::api::batch::v1::CronJob,
    k8s_openapi::api::batch::v1::Job,
    k8s_openapi::api::certificates::v1::CertificateSigningRequest,
    k8s_openapi::api::certificates::v1::ClusterTrustBundle,
    k8s_openapi::api::certificates::v1::PodCertificateRequest,
    k8s_openapi::api::coordination::v1::Lease,
    k8s_openapi::api::coordination::v1beta1::LeaseCandidate,
    k8s_openapi::api::core::v1::Binding,
    k8s_openapi::api::core::v1::ComponentStatus,
    k8s_openapi::api::core::v1::ConfigMap,
    k8s_openapi::api::core::v1::Endpoints,
    k8s_openapi::api::core::v1::Event,
    k8s_openapi::api::core::v1::LimitRange,
    k8s_openapi::api::core::v1::Namespace,
    k8s_openapi::api::core::v1::Node,
    k8s_openapi::api::core::v1::PersistentVolume,
    k8s_openapi::api::core::v1::PersistentVolumeClaim,
    k8s_openapi::api::core::v1::Pod,
    k8s_openapi::api::core::v1::PodTemplate,
    k8s_openapi::api::core::v1::ReplicationController,
    k8s_openapi::api::core::v1::ResourceQuota,
    k8s_openapi::api::core::v1::Secret,
    k8s_openapi::api::core::v1::Service,
    k8s_openapi::api::core::v1::ServiceAccount,
    k8s_openapi::api::discovery::v1::EndpointSlice,
    k8s_openapi::api::events::v1::Event,
    k8s_openapi::api::flowcontrol::v1::FlowSchema,
    k8s_openapi::api::flowcontrol::v1::PriorityLevelConfiguration,
    k8s_openapi::api::lifecycle::v1alpha1::Eviction,
    k8s_openapi::api::lifecycle::v1alpha1::EvictionRequest,
    k8s_openapi::api::networking::v1::IPAddress,
    k8s_openapi::api::networking::v1::Ingress,
    k8s_openapi::api::networking::v1::IngressClass,
    k8s_openapi::api::networking::v1::NetworkPolicy,
    k8s_openapi::api::networking::v1::ServiceCIDR,
    k8s_openapi::api::node::v1::RuntimeClass,
    k8s_openapi::api::policy::v1::Eviction,
    k8s_openapi::api::policy::v1::PodDisruptionBudget,
    k8s_openapi::api::rbac::v1::ClusterRole,
    k8s_openapi::api::rbac::v1::ClusterRoleBinding,
    k8s_openapi::api::rbac::v1::Role,
    k8s_openapi::api::rbac::v1::RoleBinding,
    k8s_openapi::api::resource::v1::DeviceClass,
    k8s_openapi::api::resource::v1::DeviceTaintRule,
    k8s_openapi::api::resource::v1::ResourceClaim,
    k8s_openapi::api::resource::v1::ResourceClaimTemplate,
    k8s_openapi::api::resource::v1::ResourceSlice,
    k8s_openapi::api::resource::v1alpha3::ResourcePoolStatusRequest,
    k8s_openapi::api::scheduling::v1::PriorityClass,
    k8s_openapi::api::scheduling::v1alpha3::CompositePodGroup,
    k8s_openapi::api::scheduling::v1beta1::PodGroup,
    k8s_openapi::api::scheduling::v1beta1::Workload,
    k8s_openapi::api::storage::v1::CSIDriver,
    k8s_openapi::api::storage::v1::CSINode,
    k8s_openapi::api::storage::v1::CSIStorageCapacity,
    k8s_openapi::api::storage::v1::StorageClass,
    k8s_openapi::api::storage::v1::VolumeAttachment,
    k8s_openapi::api::storage::v1::VolumeAttributesClass,
    k8s_openapi::api::storagemigration::v1::StorageVersionMigration,
    k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
    k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService,
}

/// Kinds Kubernetes no longer serves, which manifests still carry: their scope.
const RETIRED_SCOPES: &[(&str, &str, bool)] = &[
    ("policy", "PodSecurityPolicy", true),
    ("settings.k8s.io", "PodPreset", false),
];

/// Cluster-scope of every known kind, by `(group, kind)`.
fn scopes() -> &'static HashMap<(&'static str, &'static str), bool> {
    static MAP: OnceLock<HashMap<(&'static str, &'static str), bool>> = OnceLock::new();
    MAP.get_or_init(|| {
        SCOPES
            .iter()
            .chain(RETIRED_SCOPES)
            .map(|&(g, k, c)| ((g, k), c))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::parse_one;

    fn with_object<T>(text: &str, f: impl FnOnce(Option<ApiObject>) -> T) -> T {
        let root = parse_one(text).expect("yaml");
        let objects = crate::model::objects_of(0, &root);
        f(ApiObject::of(&objects[0]))
    }

    #[test]
    fn classifies_documents() {
        let class = |t: &str| with_object(t, |o| o.map(|o| o.class));
        assert_eq!(class("apiVersion: v1\nkind: Pod\n"), Some(Class::Builtin));
        assert_eq!(
            class("apiVersion: extensions/v1beta1\nkind: Deployment\n"),
            Some(Class::Builtin)
        );
        assert_eq!(
            class("apiVersion: cert-manager.io/v1\nkind: Certificate\n"),
            Some(Class::Custom)
        );
        assert_eq!(
            class("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"),
            Some(Class::Custom)
        );
        for not_objects in [
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n",
            "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n",
            "apiVersion: skaffold/v4beta6\nkind: Config\n",
            "apiVersion: v1\n",
            "kind: Pod\n",
            "apiVersion: v1\nkind: ''\n",
        ] {
            assert_eq!(class(not_objects), None, "{not_objects}");
        }
    }

    #[test]
    fn scopes_come_from_the_openapi_types() {
        let scope = |t: &str| with_object(t, |o| o.and_then(|o| o.cluster_scoped()));
        assert_eq!(scope("apiVersion: v1\nkind: Namespace\n"), Some(true));
        assert_eq!(
            scope("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"),
            Some(true)
        );
        assert_eq!(
            scope("apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRoleBinding\n"),
            Some(true)
        );
        assert_eq!(
            scope("apiVersion: apps/v1\nkind: Deployment\n"),
            Some(false)
        );
        assert_eq!(
            scope("apiVersion: extensions/v1beta1\nkind: Deployment\n"),
            Some(false)
        );
        assert_eq!(
            scope("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n"),
            Some(true)
        );
        assert_eq!(scope("apiVersion: example.com/v1\nkind: Widget\n"), None);
    }

    /// The scope table covers every kind with a built-in schema.
    #[test]
    fn every_builtin_kind_has_a_scope() {
        for k in KINDS.iter() {
            let group = k.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            assert!(
                scopes().contains_key(&(group, k.kind)),
                "{} {} has no scope",
                k.api_version,
                k.kind
            );
        }
    }

    #[test]
    fn name_rules_follow_the_version() {
        let rule = |t: &str, minor| with_object(t, |o| o.and_then(|o| name_rule(&o, minor)));
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\n";
        assert_eq!(rule(sts, 26), Some(NameRule::Subdomain));
        assert_eq!(rule(sts, 27), Some(NameRule::Label));
        let svc = "apiVersion: v1\nkind: Service\n";
        assert_eq!(rule(svc, 35), Some(NameRule::Dns1035Label));
        assert_eq!(rule(svc, 36), Some(NameRule::Label));
        assert_eq!(
            rule("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n", 37),
            Some(NameRule::PathSegment)
        );
        assert_eq!(
            rule("apiVersion: example.com/v1\nkind: Widget\n", 37),
            Some(NameRule::Subdomain)
        );
        assert_eq!(
            rule("apiVersion: user.openshift.io/v1\nkind: User\n", 37),
            None
        );
        // Built-in kinds whose rule kubevet does not follow get none.
        assert_eq!(
            rule("apiVersion: networking.k8s.io/v1\nkind: IPAddress\n", 37),
            None
        );
        assert_eq!(
            rule(
                "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\n",
                37
            ),
            None
        );
    }

    #[test]
    fn long_values_are_cut_short_in_messages() {
        assert_eq!(shown("web"), "`web`");
        assert_eq!(shown(&"a".repeat(64)), format!("`{}`", "a".repeat(64)));
        assert_eq!(
            shown(&"a".repeat(65)),
            format!("`{}…` (65 characters)", "a".repeat(48))
        );
    }

    #[test]
    fn suggestions_are_valid_names() {
        let cases = [
            (NameRule::Subdomain, "My_App", Some("my-app")),
            (
                NameRule::Subdomain,
                "web.Example.COM",
                Some("web.example.com"),
            ),
            (NameRule::Label, "api.v2", Some("api-v2")),
            (NameRule::Dns1035Label, "2048-game", Some("game")),
            (NameRule::Label, "-a-", Some("a")),
            (NameRule::Subdomain, "ok", None),
            (NameRule::Subdomain, "___", None),
            (NameRule::PathSegment, "a/b", None),
        ];
        for (rule, name, want) in cases {
            assert_eq!(rule.suggest(name).as_deref(), want, "{rule:?} {name}");
        }
        let long = "a".repeat(70);
        assert_eq!(NameRule::Label.suggest(&long), Some("a".repeat(63)));
    }
}
