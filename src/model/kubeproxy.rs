//! `kubeproxy.config.k8s.io/v1alpha1` KubeProxyConfiguration, kube-proxy's configuration
//! file (and the `kube-proxy` ConfigMap kubeadm writes from it), as of Kubernetes 1.37.
//! Fields are the JSON names; `mode` and `detectLocalMode` are enums.

#![allow(non_snake_case)]

use crate::model::component_base::{ClientConnectionConfiguration, Duration, LoggingConfiguration};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// kube-proxy's configuration file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyConfiguration {
    pub apiVersion: Option<String>,
    pub kind: Option<String>,
    pub featureGates: Option<BTreeMap<String, bool>>,
    pub clientConnection: Option<ClientConnectionConfiguration>,
    pub logging: Option<LoggingConfiguration>,
    /// Node name to use instead of the hostname.
    pub hostnameOverride: Option<String>,
    /// IP address kube-proxy's servers bind.
    pub bindAddress: Option<String>,
    /// `ip:port` of the health server.
    pub healthzBindAddress: Option<String>,
    /// `ip:port` of the metrics server.
    pub metricsBindAddress: Option<String>,
    /// Exit when a server port cannot be bound.
    pub bindAddressHardFail: Option<bool>,
    pub enableProfiling: Option<bool>,
    pub showHiddenMetricsForVersion: Option<String>,
    pub mode: Option<ProxyMode>,
    pub iptables: Option<KubeProxyIPTablesConfiguration>,
    pub ipvs: Option<KubeProxyIPVSConfiguration>,
    pub nftables: Option<KubeProxyNFTablesConfiguration>,
    pub winkernel: Option<KubeProxyWinkernelConfiguration>,
    pub detectLocalMode: Option<LocalMode>,
    pub detectLocal: Option<DetectLocalConfiguration>,
    /// Pod CIDR (or an IPv4,IPv6 pair) for telling local traffic apart.
    pub clusterCIDR: Option<String>,
    /// CIDRs or keywords (`primary`, `localhost`, `all`) of the node IPs NodePorts answer on.
    pub nodePortAddresses: Option<Vec<String>>,
    pub oomScoreAdj: Option<i32>,
    pub conntrack: Option<KubeProxyConntrackConfiguration>,
    pub configSyncPeriod: Option<Duration>,
    /// Unused since the userspace proxy was removed.
    pub portRange: Option<String>,
    /// Integrate with the Windows service control manager.
    pub windowsRunAsService: Option<bool>,
}

/// The proxy backends: `iptables`, `ipvs` (deprecated since 1.35) and `nftables` on Linux,
/// `kernelspace` on Windows; unset means iptables on Linux.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ProxyMode {
    #[serde(rename = "iptables")]
    IPTables,
    #[serde(rename = "ipvs")]
    IPVS,
    #[serde(rename = "nftables")]
    NFTables,
    #[serde(rename = "kernelspace")]
    Kernelspace,
    #[serde(rename = "")]
    Unset,
}

/// How kube-proxy tells traffic from local pods apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum LocalMode {
    ClusterCIDR,
    NodeCIDR,
    BridgeInterface,
    InterfaceNamePrefix,
    #[serde(rename = "")]
    Unset,
}

/// The iptables backend.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyIPTablesConfiguration {
    /// fwmark bit marking packets to SNAT, 0 to 31.
    pub masqueradeBit: Option<i32>,
    pub masqueradeAll: Option<bool>,
    /// Allow NodePorts on 127.0.0.1.
    pub localhostNodePorts: Option<bool>,
    pub syncPeriod: Option<Duration>,
    pub minSyncPeriod: Option<Duration>,
}

/// The IPVS backend.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyIPVSConfiguration {
    pub syncPeriod: Option<Duration>,
    pub minSyncPeriod: Option<Duration>,
    /// IPVS scheduler (`rr` when unset).
    pub scheduler: Option<String>,
    pub excludeCIDRs: Option<Vec<String>>,
    pub strictARP: Option<bool>,
    pub tcpTimeout: Option<Duration>,
    pub tcpFinTimeout: Option<Duration>,
    pub udpTimeout: Option<Duration>,
}

/// The nftables backend.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyNFTablesConfiguration {
    pub masqueradeBit: Option<i32>,
    pub masqueradeAll: Option<bool>,
    pub syncPeriod: Option<Duration>,
    pub minSyncPeriod: Option<Duration>,
}

/// The Windows backend.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyWinkernelConfiguration {
    pub networkName: Option<String>,
    pub sourceVip: Option<String>,
    pub enableDSR: Option<bool>,
    pub rootHnsEndpointName: Option<String>,
    pub forwardHealthCheckVip: Option<bool>,
}

/// Settings of the bridge and interface-prefix local-traffic modes.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetectLocalConfiguration {
    pub bridgeInterface: Option<String>,
    pub interfaceNamePrefix: Option<String>,
}

/// Connection-tracking settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeProxyConntrackConfiguration {
    pub maxPerCore: Option<i32>,
    pub min: Option<i32>,
    pub tcpEstablishedTimeout: Option<Duration>,
    pub tcpCloseWaitTimeout: Option<Duration>,
    /// Do not mark out-of-window TCP packets invalid.
    pub tcpBeLiberal: Option<bool>,
    pub udpTimeout: Option<Duration>,
    pub udpStreamTimeout: Option<Duration>,
}
