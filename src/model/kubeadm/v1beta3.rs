//! `kubeadm.k8s.io/v1beta3`, the kubeadm configuration format of Kubernetes 1.22 to 1.36:
//! deprecated in 1.31 by v1beta4 and no longer read by kubeadm 1.37. Its `extraArgs` are maps
//! (a flag cannot repeat); the API server start-up timeout and the discovery timeout live in
//! `apiServer.timeoutForControlPlane` and `discovery.timeout`. The model is the format as
//! kubeadm 1.36 read it (with `skipPhases`, `patches` and `imagePullPolicy`, added in 1.22).

#![allow(non_snake_case)]

use super::{
    APIEndpoint, BootstrapToken, BootstrapTokenDiscovery, FileDiscovery, HostPathMount,
    JoinControlPlane, Networking, Patches, PullPolicy,
};
use crate::model::component_base::Duration;
use k8s_openapi::api::core::v1::Taint;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Settings of `kubeadm init` that stay on the node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub bootstrapTokens: Option<Vec<BootstrapToken>>,
    pub nodeRegistration: Option<NodeRegistrationOptions>,
    pub localAPIEndpoint: Option<APIEndpoint>,
    /// Hex AES-256 key that encrypts the certificates uploaded by the upload-certs phase.
    pub certificateKey: Option<String>,
    pub skipPhases: Option<Vec<String>>,
    pub patches: Option<Patches>,
}

/// Cluster-wide settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub etcd: Option<Etcd>,
    pub networking: Option<Networking>,
    pub kubernetesVersion: Option<String>,
    pub controlPlaneEndpoint: Option<String>,
    pub apiServer: Option<APIServer>,
    pub controllerManager: Option<ControlPlaneComponent>,
    pub scheduler: Option<ControlPlaneComponent>,
    pub dns: Option<DNS>,
    pub certificatesDir: Option<String>,
    pub imageRepository: Option<String>,
    pub featureGates: Option<BTreeMap<String, bool>>,
    pub clusterName: Option<String>,
}

/// Extra flags (a map: one value per flag) and host volumes of a control-plane component.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneComponent {
    pub extraArgs: Option<BTreeMap<String, String>>,
    pub extraVolumes: Option<Vec<HostPathMount>>,
}

/// The API server's component settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct APIServer {
    pub extraArgs: Option<BTreeMap<String, String>>,
    pub extraVolumes: Option<Vec<HostPathMount>>,
    pub certSANs: Option<Vec<String>>,
    /// How long to wait for the API server to come up.
    pub timeoutForControlPlane: Option<Duration>,
}

/// The CoreDNS add-on image.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DNS {
    pub imageRepository: Option<String>,
    pub imageTag: Option<String>,
}

/// How this node registers itself.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeRegistrationOptions {
    pub name: Option<String>,
    pub criSocket: Option<String>,
    pub taints: Option<Vec<Taint>>,
    pub kubeletExtraArgs: Option<BTreeMap<String, String>>,
    pub ignorePreflightErrors: Option<Vec<String>>,
    pub imagePullPolicy: Option<PullPolicy>,
}

/// Where etcd runs: exactly one of `local` and `external`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Etcd {
    pub local: Option<LocalEtcd>,
    pub external: Option<ExternalEtcd>,
}

/// An etcd member kubeadm runs as a static pod.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalEtcd {
    pub imageRepository: Option<String>,
    pub imageTag: Option<String>,
    pub dataDir: Option<String>,
    pub extraArgs: Option<BTreeMap<String, String>>,
    pub serverCertSANs: Option<Vec<String>>,
    pub peerCertSANs: Option<Vec<String>>,
}

/// An etcd cluster kubeadm does not manage.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalEtcd {
    pub endpoints: Option<Vec<String>>,
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
    pub nodeRegistration: Option<NodeRegistrationOptions>,
    pub caCertPath: Option<String>,
    pub discovery: Option<Discovery>,
    pub controlPlane: Option<JoinControlPlane>,
    pub skipPhases: Option<Vec<String>>,
    pub patches: Option<Patches>,
}

/// How a joining node finds and trusts the cluster.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    pub bootstrapToken: Option<BootstrapTokenDiscovery>,
    pub file: Option<FileDiscovery>,
    pub tlsBootstrapToken: Option<String>,
    /// How long discovery may take.
    pub timeout: Option<Duration>,
}
