//! `kubelet.config.k8s.io/v1beta1` KubeletConfiguration, the kubelet's configuration file
//! (`--config`, and the `kubelet-config` ConfigMap kubeadm writes from it), as of Kubernetes
//! 1.37 (`defaultPodSysctls` is new in 1.37). Fields are the JSON names; string fields the
//! kubelet only accepts from a fixed set are enums, with `""` accepted where the kubelet
//! defaults an empty value.

#![allow(non_snake_case)]

use crate::model::component_base::{Duration, LoggingConfiguration, TracingConfiguration};
use k8s_openapi::api::core::v1::Taint;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The kubelet's configuration file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    /// Serve the kubelet's secure API (true).
    pub enableServer: Option<bool>,
    /// Directory of static pod manifests.
    pub staticPodPath: Option<String>,
    /// Where container logs are written (`/var/log/pods`).
    pub podLogsDir: Option<String>,
    pub syncFrequency: Option<Duration>,
    pub fileCheckFrequency: Option<Duration>,
    pub httpCheckFrequency: Option<Duration>,
    pub staticPodURL: Option<String>,
    pub staticPodURLHeader: Option<BTreeMap<String, Vec<String>>>,
    /// IP address to serve on (`0.0.0.0`).
    pub address: Option<String>,
    /// Secure port (10250).
    pub port: Option<i32>,
    /// Unauthenticated read-only port; 0 disables it.
    pub readOnlyPort: Option<i32>,
    pub tlsCertFile: Option<String>,
    pub tlsPrivateKeyFile: Option<String>,
    pub tlsCipherSuites: Option<Vec<String>>,
    pub tlsCurvePreferences: Option<Vec<i32>>,
    pub tlsMinVersion: Option<TLSVersion>,
    /// Rotate the client certificate before it expires.
    pub rotateCertificates: Option<bool>,
    /// Request the serving certificate from the API server.
    pub serverTLSBootstrap: Option<bool>,
    pub authentication: Option<KubeletAuthentication>,
    pub authorization: Option<KubeletAuthorization>,
    pub registryPullQPS: Option<i32>,
    pub registryBurst: Option<i32>,
    pub imagePullCredentialsVerificationPolicy: Option<ImagePullCredentialsVerificationPolicy>,
    pub preloadedImagesVerificationAllowlist: Option<Vec<String>>,
    pub eventRecordQPS: Option<i32>,
    pub eventBurst: Option<i32>,
    pub enableDebuggingHandlers: Option<bool>,
    pub enableContentionProfiling: Option<bool>,
    pub healthzPort: Option<i32>,
    pub healthzBindAddress: Option<String>,
    pub oomScoreAdj: Option<i32>,
    /// Cluster DNS domain pods search.
    pub clusterDomain: Option<String>,
    /// DNS server IPs given to pods.
    pub clusterDNS: Option<Vec<String>>,
    pub streamingConnectionIdleTimeout: Option<Duration>,
    pub nodeStatusUpdateFrequency: Option<Duration>,
    pub nodeStatusReportFrequency: Option<Duration>,
    pub nodeLeaseDurationSeconds: Option<i32>,
    pub imageMinimumGCAge: Option<Duration>,
    pub imageMaximumGCAge: Option<Duration>,
    pub imageGCHighThresholdPercent: Option<i32>,
    pub imageGCLowThresholdPercent: Option<i32>,
    pub volumeStatsAggPeriod: Option<Duration>,
    pub kubeletCgroups: Option<String>,
    pub systemCgroups: Option<String>,
    pub cgroupRoot: Option<String>,
    pub cgroupsPerQOS: Option<bool>,
    pub cgroupDriver: Option<CgroupDriver>,
    pub cpuManagerPolicy: Option<CPUManagerPolicy>,
    pub singleProcessOOMKill: Option<bool>,
    pub cpuManagerPolicyOptions: Option<BTreeMap<String, String>>,
    pub cpuManagerReconcilePeriod: Option<Duration>,
    pub memoryManagerPolicy: Option<MemoryManagerPolicy>,
    pub topologyManagerPolicy: Option<TopologyManagerPolicy>,
    pub topologyManagerScope: Option<TopologyManagerScope>,
    pub topologyManagerPolicyOptions: Option<BTreeMap<String, String>>,
    pub qosReserved: Option<BTreeMap<String, String>>,
    pub runtimeRequestTimeout: Option<Duration>,
    pub hairpinMode: Option<HairpinMode>,
    pub maxPods: Option<i32>,
    pub podCIDR: Option<String>,
    pub podPidsLimit: Option<i64>,
    /// resolv.conf given to pods with the Default DNS policy; `""` turns it off.
    pub resolvConf: Option<String>,
    pub runOnce: Option<bool>,
    pub cpuCFSQuota: Option<bool>,
    pub cpuCFSQuotaPeriod: Option<Duration>,
    pub nodeStatusMaxImages: Option<i32>,
    pub maxOpenFiles: Option<i64>,
    pub contentType: Option<String>,
    pub kubeAPIQPS: Option<i32>,
    pub kubeAPIBurst: Option<i32>,
    pub serializeImagePulls: Option<bool>,
    pub maxParallelImagePulls: Option<i32>,
    /// Hard eviction thresholds, e.g. `memory.available: 100Mi`.
    pub evictionHard: Option<BTreeMap<String, String>>,
    pub evictionSoft: Option<BTreeMap<String, String>>,
    pub evictionSoftGracePeriod: Option<BTreeMap<String, String>>,
    pub evictionPressureTransitionPeriod: Option<Duration>,
    pub evictionMaxPodGracePeriod: Option<i32>,
    pub evictionMinimumReclaim: Option<BTreeMap<String, String>>,
    pub mergeDefaultEvictionSettings: Option<bool>,
    pub podsPerCore: Option<i32>,
    pub enableControllerAttachDetach: Option<bool>,
    pub protectKernelDefaults: Option<bool>,
    pub makeIPTablesUtilChains: Option<bool>,
    pub iptablesMasqueradeBit: Option<i32>,
    pub iptablesDropBit: Option<i32>,
    pub featureGates: Option<BTreeMap<String, bool>>,
    /// Refuse to start with swap on (true).
    pub failSwapOn: Option<bool>,
    pub memorySwap: Option<MemorySwapConfiguration>,
    /// Largest container log file before rotation, a quantity such as `10Mi`.
    pub containerLogMaxSize: Option<String>,
    pub containerLogMaxFiles: Option<i32>,
    pub containerLogMaxWorkers: Option<i32>,
    pub containerLogMonitorInterval: Option<Duration>,
    pub configMapAndSecretChangeDetectionStrategy: Option<ResourceChangeDetectionStrategy>,
    /// Resources reserved for the system, e.g. `cpu: 500m`.
    pub systemReserved: Option<BTreeMap<String, String>>,
    /// Resources reserved for Kubernetes daemons.
    pub kubeReserved: Option<BTreeMap<String, String>>,
    /// CPUs reserved for the system, a cpuset such as `0-1`.
    pub reservedSystemCPUs: Option<String>,
    pub showHiddenMetricsForVersion: Option<String>,
    pub systemReservedCgroup: Option<String>,
    pub kubeReservedCgroup: Option<String>,
    pub enforceNodeAllocatable: Option<Vec<NodeAllocatableEnforcement>>,
    pub allowedUnsafeSysctls: Option<Vec<String>>,
    /// Sysctls applied to every pod unless its security context sets them.
    pub defaultPodSysctls: Option<BTreeMap<String, String>>,
    pub volumePluginDir: Option<String>,
    pub providerID: Option<String>,
    pub kernelMemcgNotification: Option<bool>,
    pub logging: Option<LoggingConfiguration>,
    pub enableSystemLogHandler: Option<bool>,
    pub enableSystemLogQuery: Option<bool>,
    pub shutdownGracePeriod: Option<Duration>,
    pub shutdownGracePeriodCriticalPods: Option<Duration>,
    pub shutdownGracePeriodByPodPriority: Option<Vec<ShutdownGracePeriodByPodPriority>>,
    pub crashLoopBackOff: Option<CrashLoopBackOffConfig>,
    pub reservedMemory: Option<Vec<MemoryReservation>>,
    pub enableProfilingHandler: Option<bool>,
    pub enableDebugFlagsHandler: Option<bool>,
    /// Run pods without a seccomp profile as RuntimeDefault.
    pub seccompDefault: Option<bool>,
    pub memoryThrottlingFactor: Option<f64>,
    pub memoryReservationPolicy: Option<MemoryReservationPolicy>,
    pub registerWithTaints: Option<Vec<Taint>>,
    pub registerNode: Option<bool>,
    pub tracing: Option<TracingConfiguration>,
    pub localStorageCapacityIsolation: Option<bool>,
    /// The container runtime's endpoint, `unix:///run/containerd/containerd.sock`.
    pub containerRuntimeEndpoint: Option<String>,
    pub imageServiceEndpoint: Option<String>,
    /// Refuse to start on cgroup v1 hosts.
    pub failCgroupV1: Option<bool>,
    pub userNamespaces: Option<UserNamespaces>,
}

/// How clients authenticate to the kubelet.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletAuthentication {
    pub x509: Option<KubeletX509Authentication>,
    pub webhook: Option<KubeletWebhookAuthentication>,
    pub anonymous: Option<KubeletAnonymousAuthentication>,
}

/// Client-certificate authentication.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletX509Authentication {
    /// CA bundle client certificates must chain to.
    pub clientCAFile: Option<String>,
}

/// Bearer-token authentication through TokenReview.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletWebhookAuthentication {
    pub enabled: Option<bool>,
    pub cacheTTL: Option<Duration>,
}

/// Anonymous requests.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletAnonymousAuthentication {
    pub enabled: Option<bool>,
}

/// How requests to the kubelet are authorized.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletAuthorization {
    pub mode: Option<KubeletAuthorizationMode>,
    pub webhook: Option<KubeletWebhookAuthorization>,
}

/// Authorization through SubjectAccessReview.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeletWebhookAuthorization {
    pub cacheAuthorizedTTL: Option<Duration>,
    pub cacheUnauthorizedTTL: Option<Duration>,
}

/// Swap use by pods.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemorySwapConfiguration {
    pub swapBehavior: Option<SwapBehavior>,
}

/// Back-off of restarting containers.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrashLoopBackOffConfig {
    /// Longest back-off, 1s to 300s.
    pub maxContainerRestartPeriod: Option<Duration>,
}

/// Shutdown grace period of the pods at or above a priority.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShutdownGracePeriodByPodPriority {
    pub priority: Option<i32>,
    pub shutdownGracePeriodSeconds: Option<i64>,
}

/// Memory reserved on one NUMA node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemoryReservation {
    pub numaNode: Option<i32>,
    pub limits: Option<BTreeMap<String, Quantity>>,
}

/// User namespaces of pods with `hostUsers: false`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserNamespaces {
    /// IDs mapped for each pod (a multiple of 65536).
    pub idsPerPod: Option<i64>,
}

/// Minimum TLS version of the kubelet's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TLSVersion {
    VersionTLS10,
    VersionTLS11,
    VersionTLS12,
    VersionTLS13,
    #[serde(rename = "")]
    Unset,
}

/// Which checks the kubelet makes before reusing a pulled image for a pod's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ImagePullCredentialsVerificationPolicy {
    NeverVerify,
    NeverVerifyPreloadedImages,
    NeverVerifyAllowlistedImages,
    AlwaysVerify,
    #[serde(rename = "")]
    Unset,
}

/// The cgroup manager the kubelet drives; it must match the container runtime's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum CgroupDriver {
    #[serde(rename = "cgroupfs")]
    Cgroupfs,
    #[serde(rename = "systemd")]
    Systemd,
    #[serde(rename = "")]
    Unset,
}

/// CPU manager policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum CPUManagerPolicy {
    #[serde(rename = "none")]
    None,
    #[serde(rename = "static")]
    Static,
    #[serde(rename = "")]
    Unset,
}

/// Memory manager policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum MemoryManagerPolicy {
    None,
    Static,
    #[serde(rename = "")]
    Unset,
}

/// Topology manager policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TopologyManagerPolicy {
    #[serde(rename = "none")]
    None,
    #[serde(rename = "best-effort")]
    BestEffort,
    #[serde(rename = "restricted")]
    Restricted,
    #[serde(rename = "single-numa-node")]
    SingleNumaNode,
    #[serde(rename = "")]
    Unset,
}

/// Granularity of topology alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TopologyManagerScope {
    #[serde(rename = "container")]
    Container,
    #[serde(rename = "pod")]
    Pod,
    #[serde(rename = "")]
    Unset,
}

/// How hairpin traffic (a pod reaching itself through its Service) is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum HairpinMode {
    #[serde(rename = "promiscuous-bridge")]
    PromiscuousBridge,
    #[serde(rename = "hairpin-veth")]
    HairpinVeth,
    #[serde(rename = "none")]
    None,
    #[serde(rename = "")]
    Unset,
}

/// How the kubelet follows the ConfigMaps and Secrets pods mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ResourceChangeDetectionStrategy {
    Get,
    Cache,
    Watch,
    #[serde(rename = "")]
    Unset,
}

/// What node allocatable is enforced on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum NodeAllocatableEnforcement {
    #[serde(rename = "pods")]
    Pods,
    #[serde(rename = "system-reserved")]
    SystemReserved,
    #[serde(rename = "system-reserved-compressible")]
    SystemReservedCompressible,
    #[serde(rename = "kube-reserved")]
    KubeReserved,
    #[serde(rename = "kube-reserved-compressible")]
    KubeReservedCompressible,
    #[serde(rename = "none")]
    None,
}

/// Authorization modes of the kubelet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum KubeletAuthorizationMode {
    AlwaysAllow,
    Webhook,
    #[serde(rename = "")]
    Unset,
}

/// Swap behaviours (NodeSwap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum SwapBehavior {
    NoSwap,
    LimitedSwap,
    #[serde(rename = "")]
    Unset,
}

/// How memory is reserved for MemoryQoS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum MemoryReservationPolicy {
    None,
    TieredReservation,
    #[serde(rename = "")]
    Unset,
}
