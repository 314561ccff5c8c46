//! Tests of the configuration schemas: each kind's strict schema compiles, rejects unknown
//! fields and wrong types at every level tried, and accepts the realistic example files under
//! `fixtures/kubeadm/`, which the serde models read too.

use super::*;
use crate::source::limits::Limits;
use crate::source::yaml::parse_stream;
use serde_json::json;
use std::path::Path;

fn validator(api_version: &str, kind: &str) -> jsonschema::Validator {
    let schema = strict_schema(api_version, kind).expect("a model");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{api_version} {kind}: schema does not compile: {e}"))
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every document of the example files, with its file.
fn examples() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kubeadm");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/kubeadm")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        // `mistakes-*.yaml` and `history.yaml` hold mistakes and removed versions on purpose.
        if is_counter_example(&path) {
            continue;
        }
        let stream = parse_stream(&text, &Limits::default());
        assert!(
            stream.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            stream.problems
        );
        for doc in stream.documents {
            if let Some(root) = doc.root {
                out.push((path.display().to_string(), root.to_json()));
            }
        }
    }
    out
}

#[test]
fn every_kind_has_a_self_contained_strict_schema() {
    assert!(strict_schema("kubeadm.k8s.io/v1beta4", "MasterConfiguration").is_none());
    assert!(strict_schema("apps/v1", "Deployment").is_none());
    for k in KINDS {
        let schema = strict_schema(k.api_version, k.kind).expect("a model");
        let definitions = schema["definitions"].as_object().expect("definitions");
        // Every reference resolves inside the schema.
        let mut refs = Vec::new();
        collect_refs(&schema, &mut refs);
        for r in refs {
            assert!(
                definitions.contains_key(&r),
                "{} {}: dangling {r}",
                k.api_version,
                k.kind
            );
        }
        // Strict: every object with properties is closed.
        for (name, def) in definitions {
            if def.get("properties").is_some() {
                assert_eq!(
                    def.get("additionalProperties"),
                    Some(&Value::Bool(false)),
                    "{} {}: {name} is open",
                    k.api_version,
                    k.kind
                );
            }
        }
        validator(k.api_version, k.kind);
    }
}

#[test]
fn the_example_files_cover_every_kind_and_are_accepted() {
    let docs = examples();
    for k in KINDS {
        assert!(
            docs.iter()
                .any(|(_, d)| d["apiVersion"] == k.api_version && d["kind"] == k.kind),
            "no example of {} {}",
            k.api_version,
            k.kind
        );
    }
    for (file, doc) in &docs {
        let (Some(av), Some(kind)) = (doc["apiVersion"].as_str(), doc["kind"].as_str()) else {
            panic!("{file}: a document without apiVersion and kind");
        };
        let entry = config_kind(av, kind).unwrap_or_else(|| panic!("{file}: no model of {kind}"));
        let errs = errors(&validator(av, kind), doc);
        assert!(errs.is_empty(), "{file} {kind}: {errs:#?}");
        (entry.read)(doc)
            .unwrap_or_else(|e| panic!("{file} {kind}: the model does not read it: {e}"));
    }
}

/// Set `value` at `pointer` in a copy of `doc`, whose parent must exist; `None` when it does not.
fn with(doc: &Value, pointer: &str, value: Value) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let mut doc = doc.clone();
    match doc.pointer_mut(parent)? {
        Value::Object(o) => {
            o.insert(last.to_string(), value);
        }
        Value::Array(items) => *items.get_mut(last.parse::<usize>().ok()?)? = value,
        _ => return None,
    }
    Some(doc)
}

/// (apiVersion, kind, pointer, value, the serde model rejects it too): each a mistake the
/// schema must reject. An unknown field at the root and deep in the tree, a wrong type, a value
/// outside an enum, a bad Go duration. The serde models of embedded API types (Taint, EnvVar,
/// Quantity) are `k8s-openapi`'s, which skip unknown fields and read any quantity, so only the
/// schema catches mistakes inside them; Go durations are checked by the schema's pattern alone.
#[rustfmt::skip]
const MISTAKES: &[(&str, &str, &str, &str, bool)] = &[
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/bootstrapToken", "[]", true),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/nodeRegistration/kubeletExtraArgs/0/nam", "\"x\"", true),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/nodeRegistration/taints/0/efect", "\"NoSchedule\"", false),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/nodeRegistration/taints/0/effect", "\"NoScheduel\"", false),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/localAPIEndpoint/bindPort", "\"6443\"", true),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/bootstrapTokens/0/ttl", "\"1d\"", false),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/bootstrapTokens/0/usages/0", "\"sign\"", true),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/nodeRegistration/imagePullPolicy", "\"always\"", true),
    ("kubeadm.k8s.io/v1beta4", "InitConfiguration", "/timeouts/kubeletHealthCheck", "240", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/apiServer/extraArgs", "{\"authorization-mode\": \"Node,RBAC\"}", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/apiServer/timeoutForControlPlane", "\"4m\"", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/apiServer/extraEnvs/1/valueFrom/fieldRef/path", "\"x\"", false),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/networking/podCIDR", "\"10.244.0.0/16\"", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/encryptionAlgorithm", "\"ECDSA\"", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/etcd/local/extraArgs/0/value", "8589934592", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/apiServer/extraVolumes/0/pathType", "\"file\"", true),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", "/featureGates/EtcdLearnerMode", "\"true\"", true),
    ("kubeadm.k8s.io/v1beta4", "JoinConfiguration", "/discovery/timeout", "\"5m\"", true),
    ("kubeadm.k8s.io/v1beta4", "JoinConfiguration", "/discovery/bootstrapToken/unsafeSkipCAVerification", "\"true\"", true),
    ("kubeadm.k8s.io/v1beta4", "JoinConfiguration", "/controlPlane/localAPIEndpoint/port", "6443", true),
    ("kubeadm.k8s.io/v1beta4", "ResetConfiguration", "/unmountFlags/0", "\"MNT_LAZY\"", true),
    ("kubeadm.k8s.io/v1beta4", "ResetConfiguration", "/cleanupTmpDir", "\"yes\"", true),
    ("kubeadm.k8s.io/v1beta4", "UpgradeConfiguration", "/apply/skipphases", "[]", true),
    ("kubeadm.k8s.io/v1beta4", "UpgradeConfiguration", "/diff/contextLines", "\"3\"", true),
    ("kubeadm.k8s.io/v1beta3", "InitConfiguration", "/nodeRegistration/kubeletExtraArgs", "[{\"name\": \"v\", \"value\": \"2\"}]", true),
    ("kubeadm.k8s.io/v1beta3", "InitConfiguration", "/timeouts", "{}", true),
    ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", "/apiServer/extraEnvs", "[]", true),
    ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", "/encryptionAlgorithm", "\"RSA-2048\"", true),
    ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", "/etcd/external/endpoints", "\"https://10.0.0.1:2379\"", true),
    ("kubeadm.k8s.io/v1beta3", "JoinConfiguration", "/discovery/file/kubeconfigPath", "\"/x\"", true),
    ("kubeadm.k8s.io/v1beta3", "JoinConfiguration", "/dryRun", "true", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/cgroupDriver", "\"system\"", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/authentication/anonymous/enable", "false", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/maxPods", "\"110\"", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/shutdownGracePeriod", "30", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/enforceNodeAllocatable/0", "\"kube\"", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/logging/format", "\"yaml\"", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/reservedMemory/0/limits/memory", "true", true),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/registerWithTaints/0/effect", "\"NoExec\"", false),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", "/resolverConfig", "\"/etc/resolv.conf\"", true),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/mode", "\"userspace\"", true),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/detectLocalMode", "\"PodCIDR\"", true),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/iptables/masqueradeBits", "14", true),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/clientConnection/qps", "\"5\"", true),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/logging/flushFrequency", "\"5 seconds\"", false),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", "/conntrack/maxPerCore", "1.5", true),
];

#[test]
fn mistakes_are_rejected() {
    let docs = examples();
    let mut tried = std::collections::BTreeSet::new();
    for (av, kind, pointer, value, serde_rejects) in MISTAKES {
        tried.insert((*av, *kind));
        // The first example that has the mistake's parent.
        let value: Value = serde_json::from_str(value).expect("JSON");
        let bad = docs
            .iter()
            .filter(|(_, d)| d["apiVersion"] == *av && d["kind"] == *kind)
            .find_map(|(_, d)| with(d, pointer, value.clone()))
            .unwrap_or_else(|| panic!("{kind}: no example has the parent of {pointer}"));
        let v = validator(av, kind);
        assert!(
            !errors(&v, &bad).is_empty(),
            "{av} {kind}: {pointer} = {value} was accepted"
        );
        // The serde model agrees with the schema.
        let read = config_kind(av, kind).expect("a model").read;
        assert_eq!(
            read(&bad).is_err(),
            *serde_rejects,
            "{av} {kind}: the model and {pointer} = {value}: {:?}",
            read(&bad)
        );
    }
    for k in KINDS {
        assert!(
            tried.contains(&(k.api_version, k.kind)),
            "no mistake tried for {}",
            k.kind
        );
        // An unknown field at the root of each kind.
        let v = validator(k.api_version, k.kind);
        let doc = json!({"apiVersion": k.api_version, "kind": k.kind, "spec": {}});
        assert!(!errors(&v, &doc).is_empty(), "{}: spec accepted", k.kind);
    }
}

/// What Go's decoder accepts, the schema accepts: `null` for any field, maps of any key, an
/// empty document, durations in every unit, the integer form of `flushFrequency`.
#[test]
fn what_go_reads_is_accepted() {
    let cases: &[(&str, &str, Value)] = &[
        (
            "kubeadm.k8s.io/v1beta4",
            "ClusterConfiguration",
            json!({"networking": null, "etcd": {"local": null}, "featureGates": {"AnyGate": false}}),
        ),
        (
            "kubeadm.k8s.io/v1beta4",
            "InitConfiguration",
            json!({"bootstrapTokens": [{"ttl": "0"}, {"ttl": "1h30m"}, {"ttl": "90.5s"}]}),
        ),
        (
            "kubeadm.k8s.io/v1beta4",
            "InitConfiguration",
            json!({"nodeRegistration": {"taints": [], "imagePullPolicy": ""}}),
        ),
        ("kubeadm.k8s.io/v1beta4", "JoinConfiguration", json!({})),
        (
            "kubeadm.k8s.io/v1beta3",
            "ClusterConfiguration",
            json!({"apiServer": {"extraArgs": {"v": "4"}}}),
        ),
        (
            "kubelet.config.k8s.io/v1beta1",
            "KubeletConfiguration",
            json!({"logging": {"flushFrequency": 5000000000_i64}, "evictionHard": {"pid.available": "5%"}, "cgroupDriver": ""}),
        ),
        (
            "kubeproxy.config.k8s.io/v1alpha1",
            "KubeProxyConfiguration",
            json!({"mode": "", "ipvs": {"excludeCIDRs": null}}),
        ),
    ];
    for (av, kind, doc) in cases {
        let mut doc = doc.clone();
        doc["apiVersion"] = json!(av);
        doc["kind"] = json!(kind);
        let errs = errors(&validator(av, kind), &doc);
        assert!(errs.is_empty(), "{kind} {doc}: {errs:#?}");
        let read = config_kind(av, kind).expect("a model").read;
        read(&doc).unwrap_or_else(|e| panic!("{kind} {doc}: {e}"));
    }
}

/// A fixture that holds mistakes or removed versions on purpose.
fn is_counter_example(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("mistakes") || n.starts_with("history"))
}
