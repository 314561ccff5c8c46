//! Models of the configuration files cluster administrators keep beside their manifests:
//! kubeadm's `kubeadm.k8s.io` kinds ([`v1beta3`], [`v1beta4`]), and the component
//! configurations kubeadm passes on ([`crate::model::kubelet`], [`crate::model::kubeproxy`]).
//! `k8s-openapi` carries none of them: these are hand-written, field for field, from the Go
//! types of kubeadm, the kubelet and kube-proxy as of Kubernetes 1.37.
//!
//! This module holds the types both kubeadm versions share, the list of modelled kinds
//! ([`KINDS`]) and [`strict_schema`], which gives each kind's strict JSON Schema. [`history`]
//! tells which kubeadm release read which format, and [`checks`] holds the semantic checks of
//! `kubeadm config validate` that need no cluster.

#![allow(non_snake_case)]

pub mod checks;
pub mod history;
pub mod v1beta3;
pub mod v1beta4;

use crate::model::component_base::Duration;
use crate::model::{kubelet, kubeproxy};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use schemars::{generate::SchemaGenerator, JsonSchema, Schema};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// A bootstrap token `kubeadm init` creates (kubeadm's `bootstraptoken/v1` BootstrapToken).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BootstrapToken {
    /// `[a-z0-9]{6}.[a-z0-9]{16}`; kubeadm generates one when unset.
    pub token: Option<String>,
    /// Why the token exists, for other administrators.
    pub description: Option<String>,
    /// Lifetime; 24h when unset. Exclusive with `expires`.
    pub ttl: Option<Duration>,
    /// Expiry time (RFC 3339). Exclusive with `ttl`.
    pub expires: Option<Time>,
    /// What the token may be used for; both when unset.
    pub usages: Option<Vec<TokenUsage>>,
    /// Extra groups (`system:bootstrappers:...`) it authenticates as.
    pub groups: Option<Vec<String>>,
}

/// What a bootstrap token may be used for: signing the `cluster-info` ConfigMap joining nodes
/// verify, and authenticating to the API server as a bootstrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TokenUsage {
    #[serde(rename = "signing")]
    Signing,
    #[serde(rename = "authentication")]
    Authentication,
}

/// Address and port of one API server instance.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct APIEndpoint {
    /// IP address the API server advertises; the default interface's address when unset.
    pub advertiseAddress: Option<String>,
    /// Secure port; 6443 when unset.
    pub bindPort: Option<i32>,
}

/// The cluster's address ranges and DNS domain.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Networking {
    /// Service CIDR (or an IPv4,IPv6 pair); `10.96.0.0/12` when unset.
    pub serviceSubnet: Option<String>,
    /// Pod CIDR (or an IPv4,IPv6 pair), handed to the controller manager.
    pub podSubnet: Option<String>,
    /// Cluster DNS domain; `cluster.local` when unset.
    pub dnsDomain: Option<String>,
}

/// What a node joining as a control-plane node runs.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinControlPlane {
    pub localAPIEndpoint: Option<APIEndpoint>,
    /// Hex key that decrypts the certificates `kubeadm init --upload-certs` uploaded.
    pub certificateKey: Option<String>,
}

/// Discovery with a bootstrap token.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BootstrapTokenDiscovery {
    pub token: Option<String>,
    /// `host:port` of an API server.
    pub apiServerEndpoint: Option<String>,
    /// Pins of the cluster CA's public key, `sha256:<hex>`.
    pub caCertHashes: Option<Vec<String>>,
    /// Trust the CA found without pinning it.
    pub unsafeSkipCAVerification: Option<bool>,
}

/// Discovery with a kubeconfig file or HTTPS URL.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileDiscovery {
    pub kubeConfigPath: Option<String>,
}

/// A host directory or file mounted into a control-plane static pod.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostPathMount {
    /// Volume name in the pod.
    pub name: String,
    /// Path on the host.
    pub hostPath: String,
    /// Path in the container.
    pub mountPath: String,
    pub readOnly: Option<bool>,
    pub pathType: Option<HostPathType>,
}

/// What a host path must be (core/v1 HostPathType); `""` checks nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum HostPathType {
    DirectoryOrCreate,
    Directory,
    FileOrCreate,
    File,
    Socket,
    CharDevice,
    BlockDevice,
    #[serde(rename = "")]
    Unset,
}

/// Patches kubeadm applies to what it deploys.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Patches {
    /// Directory of `target[suffix][+patchtype].{json,yaml}` files, e.g. `kube-apiserver0+merge.yaml`.
    pub directory: Option<String>,
}

/// When kubeadm pulls the images it needs; `IfNotPresent` when unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
    #[serde(rename = "")]
    Unset,
}

/// One modelled configuration kind.
pub struct ConfigKind {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Adds the kind's definitions to a generator and returns the reference to its root.
    generate: fn(&mut SchemaGenerator) -> Schema,
    /// Reads a document as the model; `Err` says why it does not read.
    pub read: fn(&Value) -> Result<(), String>,
}

macro_rules! config_kinds {
    ($($api_version:literal, $kind:literal => $ty:ty,)*) => {
        /// Every configuration kind with a model, by apiVersion and kind.
        pub static KINDS: &[ConfigKind] = &[$(ConfigKind {
            api_version: $api_version,
            kind: $kind,
            generate: |g| g.subschema_for::<$ty>(),
            read: |v| <$ty>::deserialize(v).map(drop).map_err(|e| e.to_string()),
        },)*];
    };
}

config_kinds! {
    "kubeadm.k8s.io/v1beta3", "InitConfiguration" => v1beta3::InitConfiguration,
    "kubeadm.k8s.io/v1beta3", "ClusterConfiguration" => v1beta3::ClusterConfiguration,
    "kubeadm.k8s.io/v1beta3", "JoinConfiguration" => v1beta3::JoinConfiguration,
    "kubeadm.k8s.io/v1beta4", "InitConfiguration" => v1beta4::InitConfiguration,
    "kubeadm.k8s.io/v1beta4", "ClusterConfiguration" => v1beta4::ClusterConfiguration,
    "kubeadm.k8s.io/v1beta4", "JoinConfiguration" => v1beta4::JoinConfiguration,
    "kubeadm.k8s.io/v1beta4", "ResetConfiguration" => v1beta4::ResetConfiguration,
    "kubeadm.k8s.io/v1beta4", "UpgradeConfiguration" => v1beta4::UpgradeConfiguration,
    "kubelet.config.k8s.io/v1beta1", "KubeletConfiguration" => kubelet::KubeletConfiguration,
    "kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration" => kubeproxy::KubeProxyConfiguration,
}

/// The modelled kind for an apiVersion and kind.
pub fn config_kind(api_version: &str, kind: &str) -> Option<&'static ConfigKind> {
    KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// The strict JSON Schema (draft 7, self-contained) of a modelled kind, or `None` for a kind
/// without a model.
///
/// Strict as the built-in schemas are: the models reject unknown fields themselves
/// (`deny_unknown_fields` becomes `additionalProperties: false`), maps stay open, and every
/// Kubernetes API type they embed (Taint, EnvVar, Quantity, Time) is the built-in strict
/// definition made by [`crate::schema::generate`], enums included.
pub fn strict_schema(api_version: &str, kind: &str) -> Option<Value> {
    let entry = config_kind(api_version, kind)?;
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.definitions_path = "#/definitions/".into();
    let mut generator = settings.into_generator();
    let root = (entry.generate)(&mut generator);
    let mut definitions = generator.take_definitions(true);
    use_builtin_definitions(&mut definitions)?;
    let definitions: Map<String, Value> = definitions
        .into_iter()
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let mut schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": definitions,
    });
    if let (Some(o), Value::Object(r)) = (schema.as_object_mut(), root.to_value()) {
        o.extend(r);
    }
    Some(schema)
}

/// Replace every Kubernetes API definition (`io.k8s.…`) with the built-in strict one, and add
/// the built-in definitions those refer to. `None` when one is missing from the built-in set.
fn use_builtin_definitions(definitions: &mut Map<String, Value>) -> Option<()> {
    let mut pending: Vec<String> = definitions
        .keys()
        .filter(|k| k.starts_with("io.k8s."))
        .cloned()
        .collect();
    let mut done = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let strict = builtin_definition(&name)?;
        let mut refs = Vec::new();
        collect_refs(strict, &mut refs);
        pending.extend(refs.into_iter().filter(|r| !done.contains(r)));
        definitions.insert(name, strict.clone());
    }
    Some(())
}

/// The definition names a schema refers to (`#/definitions/NAME`).
fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/definitions/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// A strict definition of the built-in schemas of the newest embedded version (the API types
/// kubeadm's files embed, such as Taint and EnvVar), with its descriptions: the component
/// schemas are written out and shown by the editor.
fn builtin_definition(name: &str) -> Option<&'static Value> {
    crate::schema::builtin::described(crate::schema::builtin::NEWEST)
        .ok()?
        .get("definitions")?
        .get(name)
}

#[cfg(test)]
mod tests;
