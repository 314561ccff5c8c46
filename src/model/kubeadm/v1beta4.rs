//! `kubeadm.k8s.io/v1beta4`, the kubeadm configuration format since Kubernetes 1.31 (the only
//! one kubeadm 1.37 reads). Against v1beta3 it turns `extraArgs` into a list of name/value
//! pairs (a flag may repeat), adds `extraEnvs`, `dryRun`, `timeouts` (replacing
//! `apiServer.timeoutForControlPlane` and `discovery.timeout`), `encryptionAlgorithm`, the
//! certificate validity periods, `dns.disabled`/`proxy.disabled`, `imagePullSerial`, and the
//! ResetConfiguration and UpgradeConfiguration kinds. Later releases added `ECDSA-P384`
//! (1.34) and `etcd.external.httpEndpoints` (1.35).

#![allow(non_snake_case)]

use super::{
    APIEndpoint, BootstrapToken, BootstrapTokenDiscovery, FileDiscovery, HostPathMount,
    JoinControlPlane, Networking, Patches, PullPolicy,
};
use crate::model::component_base::Duration;
use k8s_openapi::api::core::v1::{EnvVar, Taint};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Settings of `kubeadm init` that stay on the node (not uploaded to the cluster).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    /// Bootstrap tokens to create; a random one when unset.
    pub bootstrapTokens: Option<Vec<BootstrapToken>>,
    /// Print what would be done instead of doing it.
    pub dryRun: Option<bool>,
    pub nodeRegistration: Option<NodeRegistrationOptions>,
    /// Address and port this node's API server advertises and binds.
    pub localAPIEndpoint: Option<APIEndpoint>,
    /// Hex AES-256 key that encrypts the certificates uploaded by the upload-certs phase.
    pub certificateKey: Option<String>,
    /// Phases to skip (`kubeadm init --help` lists them).
    pub skipPhases: Option<Vec<String>>,
    pub patches: Option<Patches>,
    pub timeouts: Option<Timeouts>,
}

/// Cluster-wide settings, stored in the `kubeadm-config` ConfigMap.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub etcd: Option<Etcd>,
    pub networking: Option<Networking>,
    /// Control-plane version: `v1.37.1`, `1.37.1`, or a label such as `stable-1.37`.
    pub kubernetesVersion: Option<String>,
    /// Stable address of the control plane (load balancer), `host[:port]`.
    pub controlPlaneEndpoint: Option<String>,
    pub apiServer: Option<APIServer>,
    pub controllerManager: Option<ControlPlaneComponent>,
    pub scheduler: Option<ControlPlaneComponent>,
    pub dns: Option<DNS>,
    pub proxy: Option<Proxy>,
    /// Directory of the cluster's certificates; `/etc/kubernetes/pki` when unset.
    pub certificatesDir: Option<String>,
    /// Registry of the control-plane images; `registry.k8s.io` when unset.
    pub imageRepository: Option<String>,
    /// kubeadm's own feature gates.
    pub featureGates: Option<BTreeMap<String, bool>>,
    /// Name used in kubeconfig files and by the controller manager; `kubernetes` when unset.
    pub clusterName: Option<String>,
    /// Key algorithm of the certificates kubeadm generates.
    pub encryptionAlgorithm: Option<EncryptionAlgorithm>,
    /// Lifetime of non-CA certificates; one year when unset.
    pub certificateValidityPeriod: Option<Duration>,
    /// Lifetime of CA certificates; ten years when unset.
    pub caCertificateValidityPeriod: Option<Duration>,
}

/// Key algorithms kubeadm can generate; `RSA-2048` when unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum EncryptionAlgorithm {
    #[serde(rename = "RSA-2048")]
    Rsa2048,
    #[serde(rename = "RSA-3072")]
    Rsa3072,
    #[serde(rename = "RSA-4096")]
    Rsa4096,
    #[serde(rename = "ECDSA-P256")]
    EcdsaP256,
    #[serde(rename = "ECDSA-P384")]
    EcdsaP384,
    #[serde(rename = "")]
    Unset,
}

/// Extra flags, host volumes and environment of a control-plane component.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneComponent {
    pub extraArgs: Option<Vec<Arg>>,
    pub extraVolumes: Option<Vec<HostPathMount>>,
    pub extraEnvs: Option<Vec<EnvVar>>,
}

/// The API server's component settings and the extra names of its serving certificate.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct APIServer {
    pub extraArgs: Option<Vec<Arg>>,
    pub extraVolumes: Option<Vec<HostPathMount>>,
    pub extraEnvs: Option<Vec<EnvVar>>,
    /// Extra subject alternative names (IPs or DNS names) of the serving certificate.
    pub certSANs: Option<Vec<String>>,
}

/// One command-line flag of a component: the flag name without leading dashes.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Arg {
    pub name: String,
    pub value: Option<String>,
}

/// The CoreDNS add-on.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DNS {
    pub imageRepository: Option<String>,
    /// A fixed tag: kubeadm then leaves the image alone on upgrades.
    pub imageTag: Option<String>,
    /// Do not install CoreDNS.
    pub disabled: Option<bool>,
}

/// The kube-proxy add-on.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proxy {
    /// Do not install kube-proxy.
    pub disabled: Option<bool>,
}

/// How this node registers itself.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeRegistrationOptions {
    /// Node name; the hostname when unset.
    pub name: Option<String>,
    /// Container runtime endpoint, `unix:///run/containerd/containerd.sock`.
    pub criSocket: Option<String>,
    /// Taints to register with; unset gives control-plane nodes the control-plane taint, `[]`
    /// gives none.
    pub taints: Option<Vec<Taint>>,
    pub kubeletExtraArgs: Option<Vec<Arg>>,
    /// Preflight checks whose errors are ignored (`all` for every check).
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub imagePullPolicy: Option<PullPolicy>,
    /// Pull images one at a time (the default) rather than in parallel.
    pub imagePullSerial: Option<bool>,
}

/// Where etcd runs: exactly one of `local` and `external`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Etcd {
    pub local: Option<LocalEtcd>,
    pub external: Option<ExternalEtcd>,
}

/// An etcd member kubeadm runs as a static pod on each control-plane node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalEtcd {
    pub imageRepository: Option<String>,
    /// A fixed tag: kubeadm then leaves etcd alone on upgrades.
    pub imageTag: Option<String>,
    /// Data directory; `/var/lib/etcd` when unset.
    pub dataDir: Option<String>,
    pub extraArgs: Option<Vec<Arg>>,
    pub extraEnvs: Option<Vec<EnvVar>>,
    pub serverCertSANs: Option<Vec<String>>,
    pub peerCertSANs: Option<Vec<String>>,
}

/// An etcd cluster kubeadm does not manage.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalEtcd {
    /// Client URLs (gRPC, and HTTP too unless `httpEndpoints` is set).
    pub endpoints: Option<Vec<String>>,
    /// Separate URLs for etcd's HTTP endpoints (`/metrics`, `/health`).
    pub httpEndpoints: Option<Vec<String>>,
    pub caFile: Option<String>,
    pub certFile: Option<String>,
    pub keyFile: Option<String>,
}

/// Settings of `kubeadm join` for this node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub dryRun: Option<bool>,
    pub nodeRegistration: Option<NodeRegistrationOptions>,
    /// Where the cluster CA certificate is written; `/etc/kubernetes/pki/ca.crt` when unset.
    pub caCertPath: Option<String>,
    pub discovery: Option<Discovery>,
    /// Set to make this node an additional control-plane node.
    pub controlPlane: Option<JoinControlPlane>,
    pub skipPhases: Option<Vec<String>>,
    pub patches: Option<Patches>,
    pub timeouts: Option<Timeouts>,
}

/// How a joining node finds and trusts the cluster: a bootstrap token or a kubeconfig file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    pub bootstrapToken: Option<BootstrapTokenDiscovery>,
    pub file: Option<FileDiscovery>,
    /// Token for the TLS bootstrap; `bootstrapToken.token` when unset.
    pub tlsBootstrapToken: Option<String>,
}

/// Settings of `kubeadm reset`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    /// Also clean `/etc/kubernetes/tmp`.
    pub cleanupTmpDir: Option<bool>,
    /// Certificate directory to clean.
    pub certificatesDir: Option<String>,
    pub criSocket: Option<String>,
    pub dryRun: Option<bool>,
    /// Do not ask for confirmation.
    pub force: Option<bool>,
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub skipPhases: Option<Vec<String>>,
    /// Flags of `umount2()` used when unmounting directories.
    pub unmountFlags: Option<Vec<UnmountFlag>>,
    pub timeouts: Option<Timeouts>,
}

/// The `umount2()` flags kubeadm reset accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum UnmountFlag {
    #[serde(rename = "MNT_FORCE")]
    MntForce,
    #[serde(rename = "MNT_DETACH")]
    MntDetach,
    #[serde(rename = "MNT_EXPIRE")]
    MntExpire,
    #[serde(rename = "UMOUNT_NOFOLLOW")]
    UmountNoFollow,
}

/// Timeouts of kubeadm commands, each a Go duration.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    /// Wait for a control-plane component to be healthy (4m).
    pub controlPlaneComponentHealthCheck: Option<Duration>,
    /// Wait for the kubelet to be healthy (4m).
    pub kubeletHealthCheck: Option<Duration>,
    /// One request to the API server (1m).
    pub kubernetesAPICall: Option<Duration>,
    /// One request to etcd (2m).
    pub etcdAPICall: Option<Duration>,
    /// The kubelet's TLS bootstrap on join (5m).
    pub tlsBootstrap: Option<Duration>,
    /// Validating the API server's identity on join (5m).
    pub discovery: Option<Duration>,
    /// Upgrading the static pod manifests (5m).
    pub upgradeManifests: Option<Duration>,
}

/// Settings of the `kubeadm upgrade` subcommands.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradeConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub apply: Option<UpgradeApplyConfiguration>,
    pub diff: Option<UpgradeDiffConfiguration>,
    pub node: Option<UpgradeNodeConfiguration>,
    pub plan: Option<UpgradePlanConfiguration>,
    pub timeouts: Option<Timeouts>,
}

/// `kubeadm upgrade apply`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradeApplyConfiguration {
    /// Version to upgrade to.
    pub kubernetesVersion: Option<String>,
    /// Offer and allow alpha, beta and release-candidate versions.
    pub allowExperimentalUpgrades: Option<bool>,
    /// Offer and allow release candidates.
    pub allowRCUpgrades: Option<bool>,
    /// Renew certificates during the upgrade (true).
    pub certificateRenewal: Option<bool>,
    pub dryRun: Option<bool>,
    /// Upgrade etcd too (true).
    pub etcdUpgrade: Option<bool>,
    /// Do not ask for confirmation.
    pub forceUpgrade: Option<bool>,
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub patches: Option<Patches>,
    /// Print the configuration the upgrade uses.
    pub printConfig: Option<bool>,
    pub skipPhases: Option<Vec<String>>,
    pub imagePullPolicy: Option<PullPolicy>,
    pub imagePullSerial: Option<bool>,
}

/// `kubeadm upgrade diff`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradeDiffConfiguration {
    pub kubernetesVersion: Option<String>,
    /// Lines of context in the diff.
    pub contextLines: Option<i64>,
}

/// `kubeadm upgrade node`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradeNodeConfiguration {
    pub certificateRenewal: Option<bool>,
    pub dryRun: Option<bool>,
    pub etcdUpgrade: Option<bool>,
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub skipPhases: Option<Vec<String>>,
    pub patches: Option<Patches>,
    pub imagePullPolicy: Option<PullPolicy>,
    pub imagePullSerial: Option<bool>,
}

/// `kubeadm upgrade plan`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradePlanConfiguration {
    pub kubernetesVersion: Option<String>,
    pub allowExperimentalUpgrades: Option<bool>,
    pub allowRCUpgrades: Option<bool>,
    pub dryRun: Option<bool>,
    pub etcdUpgrade: Option<bool>,
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub printConfig: Option<bool>,
}
