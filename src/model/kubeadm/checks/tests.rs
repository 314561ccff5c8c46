//! Tests of the kubeadm configuration checks: the grammars first (valid and invalid cases at
//! their edges), then whole documents of each kind.

use super::*;
use serde_json::json;

#[test]
fn ip_addresses_read_sloppily_like_kubeadm() {
    for (s, want) in [
        ("10.0.0.1", Some("10.0.0.1")),
        ("010.000.000.001", Some("10.0.0.1")),
        ("0.0.0.0", Some("0.0.0.0")),
        ("255.255.255.255", Some("255.255.255.255")),
        ("::1", Some("::1")),
        ("fd00:10:96::10", Some("fd00:10:96::10")),
        ("::ffff:10.0.0.1", Some("::ffff:10.0.0.1")),
        ("256.0.0.1", None),
        ("10.0.0", None),
        ("10.0.0.1.2", None),
        ("10.0.0.", None),
        ("10..0.1", None),
        ("-1.0.0.1", None),
        ("10.0.0.1 ", None),
        ("fd00::10::1", None),
        ("[::1]", None),
        ("host", None),
        ("", None),
    ] {
        assert_eq!(
            parse_ip(s).map(|ip| ip.to_string()),
            want.map(str::to_string),
            "{s:?}"
        );
    }
}

#[test]
fn cidrs_read_like_go_parse_cidr() {
    for (s, want) in [
        ("10.96.0.0/12", Some("10.96.0.0/12")),
        ("10.96.0.1/12", Some("10.96.0.0/12")),
        ("10.244.0.0/016", Some("10.244.0.0/16")),
        ("0.0.0.0/0", Some("0.0.0.0/0")),
        ("10.0.0.1/32", Some("10.0.0.1/32")),
        ("fd00:10:96::/112", Some("fd00:10:96::/112")),
        ("fd00:10:96::1/108", Some("fd00:10:96::/108")),
        ("::/0", Some("::/0")),
        ("10.0.0.0/33", None),
        ("fd00::/129", None),
        ("10.0.0.0/", None),
        ("10.0.0.0/-1", None),
        ("10.0.0.0/+8", None),
        ("10.0.0.0", None),
        ("10.0.0.0/16c", None),
        (" 10.0.0.0/16", None),
        ("10.0.0.0/16 ", None),
    ] {
        assert_eq!(
            parse_cidr(s).map(|c| c.to_string()),
            want.map(str::to_string),
            "{s:?}"
        );
    }
}

#[test]
fn range_sizes_and_overlaps() {
    let c = |s: &str| parse_cidr(s).expect(s);
    assert_eq!(c("10.0.0.0/28").range_size(), 16);
    assert_eq!(c("10.0.0.0/29").range_size(), 8);
    assert_eq!(c("10.0.0.0/2").range_size(), 1 << 30);
    // kubeadm's count gives 0 for the largest ranges.
    assert_eq!(c("10.0.0.0/1").range_size(), 0);
    assert_eq!(c("::/1").range_size(), 0);
    assert_eq!(c("fd00::/64").range_size(), i64::MAX as u128);
    assert_eq!(c("fd00::/66").range_size(), 1 << 62);
    assert!(c("10.96.0.0/12").overlaps(&c("10.100.0.0/16")));
    assert!(c("10.100.0.0/16").overlaps(&c("10.96.0.0/12")));
    assert!(!c("10.96.0.0/12").overlaps(&c("10.244.0.0/16")));
    assert!(c("0.0.0.0/0").overlaps(&c("192.168.0.0/16")));
    assert!(!c("10.0.0.0/8").overlaps(&c("fd00::/8")));
    assert!(c("fd00:10::/56").overlaps(&c("fd00:10::/108")));
}

#[test]
fn host_ports_split_like_go() {
    for (s, want) in [
        ("10.0.0.1:6443", Ok(("10.0.0.1", "6443"))),
        ("api.example.com:6443", Ok(("api.example.com", "6443"))),
        ("[fd00::1]:6443", Ok(("fd00::1", "6443"))),
        ("host:", Ok(("host", ""))),
        (":6443", Ok(("", "6443"))),
        ("host", Err("missing port in address")),
        ("[fd00::1]", Err("missing port in address")),
        ("fd00::1", Err("too many colons in address")),
        ("[fd00::1", Err("missing ']' in address")),
        ("[fd00::1]x6443", Err("missing port in address")),
        ("a[b:1", Err("unexpected '[' or ']' in address")),
    ] {
        assert_eq!(split_host_port(s), want, "{s:?}");
    }
}

#[test]
fn endpoints_are_host_and_optional_port() {
    for ok in [
        "10.0.0.10",
        "10.0.0.10:6443",
        "api.example.com",
        "api.example.com:443",
        "[fd00::10]:6443",
        "fd00::10",
        "api:1",
        "api:65535",
        "api:06443",
    ] {
        assert!(parse_host_port(ok).is_ok(), "{ok}");
    }
    for bad in [
        "api:0",
        "api:65536",
        "api:+443",
        "api:port",
        "https://api.example.com:6443",
        "API.example.com",
        "api_1.example.com",
        ":6443",
        "[fd00::10]",
        "",
    ] {
        assert!(parse_host_port(bad).is_err(), "{bad}");
    }
}

#[test]
fn url_schemes_as_go_finds_them() {
    for (s, want) in [
        ("unix:///run/containerd/containerd.sock", Ok(Some("unix"))),
        ("UNIX:///x", Ok(Some("unix"))),
        ("npipe:////./pipe/containerd-containerd", Ok(Some("npipe"))),
        ("https://10.0.0.1:2379", Ok(Some("https"))),
        ("etcd1:2379", Ok(Some("etcd1"))),
        ("/run/containerd/containerd.sock", Ok(None)),
        ("relative/path", Ok(None)),
        (
            "10.0.0.1:2379",
            Err("first path segment in URL cannot contain colon"),
        ),
        (":2379", Err("missing protocol scheme")),
        ("unix:///x\n", Err("invalid control character in URL")),
    ] {
        assert_eq!(
            url_scheme(s).map(|o| o.map(|x| x.to_string())),
            want.map(|o| o.map(str::to_string)),
            "{s:?}"
        );
    }
}

#[test]
fn dns_subdomains() {
    let long = format!("{}.com", "a".repeat(249));
    for ok in [
        "a",
        "node-1",
        "cp-1.example.internal",
        "0",
        "a.b.c",
        long.as_str(),
    ] {
        assert!(is_dns1123_subdomain(ok), "{ok}");
    }
    let too_long = format!("{}.com", "a".repeat(250));
    for bad in [
        "",
        "-a",
        "a-",
        "A",
        "a_b",
        "a..b",
        ".a",
        "a.",
        "a b",
        "*.a",
        too_long.as_str(),
    ] {
        assert!(!is_dns1123_subdomain(bad), "{bad}");
    }
}

#[test]
fn bootstrap_tokens_and_groups() {
    for ok in ["abcdef.0123456789abcdef", "000000.0000000000000000"] {
        assert!(is_bootstrap_token(ok), "{ok}");
    }
    for bad in [
        "abcdef.0123456789abcde",
        "abcdef.0123456789abcdef0",
        "abcde.0123456789abcdef",
        "ABCDEF.0123456789abcdef",
        "abcdef:0123456789abcdef",
        "abcdef-0123456789abcdef",
        " abcdef.0123456789abcdef",
    ] {
        assert!(!is_bootstrap_token(bad), "{bad}");
    }
    assert!(is_bootstrap_group(
        "system:bootstrappers:kubeadm:default-node-token"
    ));
    assert!(is_bootstrap_group("system:bootstrappers:a"));
    assert!(!is_bootstrap_group("system:bootstrappers:"));
    assert!(!is_bootstrap_group("system:bootstrappers:team-"));
    assert!(!is_bootstrap_group("system:nodes"));
    assert!(!is_bootstrap_group("system:bootstrappers:Team"));
    let max = format!("system:bootstrappers:{}", "a".repeat(256));
    assert!(is_bootstrap_group(&max));
    assert!(!is_bootstrap_group(&format!("{max}a")));
}

#[test]
fn kubernetes_versions_as_kubeadm_reads_them() {
    use KubeVersion::*;
    for (s, want) in [
        ("v1.37.1", Semantic(1, 37)),
        ("1.37.1", Semantic(1, 37)),
        ("v1.37.0-rc.1", Semantic(1, 37)),
        ("v1.37.0-alpha.0.206+abcdef", Semantic(1, 37)),
        ("v1.30.0+build.5", Semantic(1, 30)),
        ("ci/v1.38.0-alpha.1", Semantic(1, 38)),
        ("release/v1.36.2", Semantic(1, 36)),
        ("stable", Label),
        ("latest", Label),
        ("stable-1", Label),
        ("stable-1.37", Label),
        ("latest-1.9", Label),
        ("ci/latest", Label),
        ("ci/latest-1.37", Label),
        ("1.37", Invalid),
        ("v1.37", Invalid),
        ("1", Invalid),
        ("v01.37.1", Invalid),
        ("v1.37.1_x", Invalid),
        ("v1.37.0-01", Invalid),
        ("v1.37.0-", Invalid),
        ("stable-1.0", Invalid),
        ("stable-0", Invalid),
        ("Stable", Invalid),
        ("foo/stable", Invalid),
        ("1.37.x", Invalid),
    ] {
        assert_eq!(parse_kubernetes_version(s), want, "{s:?}");
    }
}

#[test]
fn image_repositories() {
    let ok = |r: &str| IMAGE_REFERENCE.is_match(&format!("{r}/name:tag"));
    for good in [
        "registry.k8s.io",
        "registry.example.com/k8s",
        "localhost:5000",
        "localhost:5000/mirror/k8s",
        "Registry.Example.com/k8s",
        "[fd00::1]:5000/k8s",
        "docker.io/library",
        "my-registry/team__a/k8s-images",
    ] {
        assert!(ok(good), "{good}");
    }
    for bad in [
        "https://registry.example.com",
        "registry.example.com/K8s",
        "registry.example.com/",
        "registry.example.com//k8s",
        "-registry.example.com",
        "registry.example.com/k8s_",
        "registry example.com",
    ] {
        assert!(!ok(bad), "{bad}");
    }
}

#[test]
fn go_durations_in_seconds() {
    assert_eq!(go_duration_seconds("8760h"), Some(31_536_000.0));
    assert_eq!(go_duration_seconds("1h30m"), Some(5400.0));
    assert_eq!(go_duration_seconds("1.5s"), Some(1.5));
    assert_eq!(go_duration_seconds("-2m"), Some(-120.0));
    assert_eq!(go_duration_seconds("500ms"), Some(0.5));
    assert_eq!(go_duration_seconds("0"), Some(0.0));
    assert_eq!(go_duration_seconds("365d"), None);
    assert_eq!(go_duration_seconds("1 h"), None);
}

/// The problems of a document of a kind, as (pointer, level) pairs.
fn problems(api_version: &str, kind: &str, body: Value) -> Vec<(String, Level)> {
    let mut doc = body;
    doc["apiVersion"] = json!(api_version);
    doc["kind"] = json!(kind);
    check(&doc, 37)
        .into_iter()
        .map(|p| {
            assert!(!p.message.is_empty() && !p.help.is_empty(), "{p:?}");
            (p.pointer, p.level)
        })
        .collect()
}

const V4: &str = "kubeadm.k8s.io/v1beta4";
const V3: &str = "kubeadm.k8s.io/v1beta3";

fn errors_at(api_version: &str, kind: &str, body: Value) -> Vec<String> {
    problems(api_version, kind, body)
        .into_iter()
        .filter(|(_, l)| *l == Level::Error)
        .map(|(p, _)| p)
        .collect()
}

fn warnings_at(api_version: &str, kind: &str, body: Value) -> Vec<String> {
    problems(api_version, kind, body)
        .into_iter()
        .filter(|(_, l)| *l == Level::Warning)
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn cluster_networking() {
    let net = |n: Value| json!({ "networking": n });
    let cases: &[(Value, &[&str])] = &[
        (
            net(json!({"serviceSubnet": "10.96.0.0/12", "podSubnet": "10.244.0.0/16"})),
            &[],
        ),
        (
            net(
                json!({"serviceSubnet": "10.96.0.0/12,fd00:10:96::/112", "podSubnet": "10.244.0.0/16,fd00:10:244::/56"}),
            ),
            &[],
        ),
        (
            net(json!({"serviceSubnet": "10.1.0.0/16c"})),
            &["/networking/serviceSubnet"],
        ),
        // No space after the comma: kubeadm splits on "," alone.
        (
            net(json!({"serviceSubnet": "10.96.0.0/12, fd00:10:96::/112"})),
            &["/networking/serviceSubnet"],
        ),
        (
            net(json!({"serviceSubnet": "10.96.0.0/12,10.97.0.0/16"})),
            &["/networking/serviceSubnet"],
        ),
        (
            net(json!({"serviceSubnet": "10.96.0.0/12,fd00::/112,10.1.0.0/16"})),
            &["/networking/serviceSubnet"],
        ),
        // Too large: at most 20 host bits.
        (
            net(json!({"serviceSubnet": "10.0.0.0/11"})),
            &["/networking/serviceSubnet"],
        ),
        (
            net(json!({"serviceSubnet": "fd00::/107"})),
            &["/networking/serviceSubnet"],
        ),
        (net(json!({"serviceSubnet": "fd00::/108"})), &[]),
        // Too small: at least 10 service and 14 pod addresses.
        (
            net(json!({"serviceSubnet": "10.96.0.0/29"})),
            &["/networking/serviceSubnet"],
        ),
        (net(json!({"serviceSubnet": "10.96.0.0/28"})), &[]),
        // A /28 pod subnet holds 16 addresses but not one /24 node range.
        (
            net(json!({"podSubnet": "10.244.0.0/28"})),
            &["/networking/podSubnet"],
        ),
        (
            net(json!({"podSubnet": "10.244.0.0/29"})),
            &["/networking/podSubnet", "/networking/podSubnet"],
        ),
        (net(json!({"podSubnet": "10.244.0.0/24"})), &[]),
        (
            net(json!({"podSubnet": "10.244.0.0/25"})),
            &["/networking/podSubnet"],
        ),
        // More than 2^16 node ranges.
        (
            net(json!({"podSubnet": "10.0.0.0/7"})),
            &["/networking/podSubnet"],
        ),
        (net(json!({"podSubnet": "10.0.0.0/8"})), &[]),
        (net(json!({"podSubnet": "fd00::/48"})), &[]),
        (
            net(json!({"podSubnet": "fd00::/47"})),
            &["/networking/podSubnet"],
        ),
        (
            net(json!({"podSubnet": "fd00::/65"})),
            &["/networking/podSubnet"],
        ),
        (net(json!({"dnsDomain": "cluster.local"})), &[]),
        (
            net(json!({"dnsDomain": "Cluster.Local"})),
            &["/networking/dnsDomain"],
        ),
        (net(json!({"dnsDomain": ""})), &[]),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "ClusterConfiguration", body.clone()),
            *want,
            "{body}"
        );
    }
}

#[test]
fn pod_subnet_against_the_controller_manager_node_mask() {
    let v4 = json!({
        "networking": {"podSubnet": "10.244.0.0/25"},
        "controllerManager": {"extraArgs": [{"name": "node-cidr-mask-size-ipv4", "value": "26"}]},
    });
    assert!(errors_at(V4, "ClusterConfiguration", v4).is_empty());
    // The last entry of a repeated flag counts.
    let repeated = json!({
        "networking": {"podSubnet": "10.244.0.0/25"},
        "controllerManager": {"extraArgs": [
            {"name": "node-cidr-mask-size-ipv4", "value": "26"},
            {"name": "node-cidr-mask-size-ipv4", "value": "24"},
        ]},
    });
    assert_eq!(
        errors_at(V4, "ClusterConfiguration", repeated),
        ["/networking/podSubnet"]
    );
    // v1beta3 keeps extra arguments in a map.
    let v3 = json!({
        "networking": {"podSubnet": "10.0.0.0/8"},
        "controllerManager": {"extraArgs": {"node-cidr-mask-size-ipv4": "25"}},
    });
    assert_eq!(
        errors_at(V3, "ClusterConfiguration", v3),
        ["/networking/podSubnet"]
    );
    let not_a_number = json!({
        "networking": {"podSubnet": "10.244.0.0/16"},
        "controllerManager": {"extraArgs": {"node-cidr-mask-size-ipv4": "/24"}},
    });
    assert_eq!(
        errors_at(V3, "ClusterConfiguration", not_a_number),
        ["/controllerManager/extraArgs"]
    );
    // Without node CIDR allocation there is no node mask to fit.
    let off = json!({
        "networking": {"podSubnet": "10.244.0.0/28"},
        "controllerManager": {"extraArgs": [{"name": "allocate-node-cidrs", "value": "false"}]},
    });
    assert!(errors_at(V4, "ClusterConfiguration", off).is_empty());
}

#[test]
fn overlapping_pod_and_service_subnets_are_a_warning() {
    let body =
        json!({"networking": {"serviceSubnet": "10.96.0.0/12", "podSubnet": "10.96.0.0/16"}});
    assert!(errors_at(V4, "ClusterConfiguration", body.clone()).is_empty());
    assert_eq!(
        warnings_at(V4, "ClusterConfiguration", body),
        ["/networking/podSubnet"]
    );
    let v6 = json!({"networking": {
        "serviceSubnet": "10.96.0.0/12,fd83:9123:4810:1000::/108",
        "podSubnet": "10.244.0.0/16,fd83:9123:4810:1000::/64",
    }});
    assert_eq!(
        warnings_at(V4, "ClusterConfiguration", v6),
        ["/networking/podSubnet"]
    );
    let apart =
        json!({"networking": {"serviceSubnet": "10.96.0.0/12", "podSubnet": "10.244.0.0/16"}});
    assert!(warnings_at(V4, "ClusterConfiguration", apart).is_empty());
}

#[test]
fn cluster_versions_endpoints_paths_and_names() {
    let cases: &[(Value, &[&str])] = &[
        (json!({"kubernetesVersion": "v1.37.1"}), &[]),
        (json!({"kubernetesVersion": "v1.36.4"}), &[]),
        (json!({"kubernetesVersion": "stable-1.37"}), &[]),
        (
            json!({"kubernetesVersion": "1.37"}),
            &["/kubernetesVersion"],
        ),
        // kubeadm 1.37 deploys 1.36 and newer.
        (
            json!({"kubernetesVersion": "v1.35.9"}),
            &["/kubernetesVersion"],
        ),
        (json!({"controlPlaneEndpoint": "lb.example.com:6443"}), &[]),
        (
            json!({"controlPlaneEndpoint": "https://lb.example.com:6443"}),
            &["/controlPlaneEndpoint"],
        ),
        (
            json!({"controlPlaneEndpoint": "lb.example.com:65536"}),
            &["/controlPlaneEndpoint"],
        ),
        (json!({"certificatesDir": "pki"}), &["/certificatesDir"]),
        (json!({"certificatesDir": "/etc/kubernetes/pki"}), &[]),
        (json!({"imageRepository": "registry.example.com/k8s"}), &[]),
        (
            json!({"imageRepository": "https://registry.example.com"}),
            &["/imageRepository"],
        ),
        (
            json!({"dns": {"imageRepository": "Mirror/CoreDNS"}}),
            &["/dns/imageRepository"],
        ),
        (
            json!({"apiServer": {"certSANs": ["10.0.0.10", "API.example.com", "*.example.com", "fd00::10"]}}),
            &[],
        ),
        (
            json!({"apiServer": {"certSANs": ["https://api.example.com", "api.example.com:6443"]}}),
            &["/apiServer/certSANs/0", "/apiServer/certSANs/1"],
        ),
        (
            json!({"apiServer": {"extraArgs": [{"name": "", "value": "x"}]}}),
            &["/apiServer/extraArgs/0/name"],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "ClusterConfiguration", body.clone()),
            *want,
            "{body}"
        );
    }
    let long =
        json!({"certificateValidityPeriod": "17520h", "caCertificateValidityPeriod": "87600h"});
    assert_eq!(
        warnings_at(V4, "ClusterConfiguration", long),
        ["/certificateValidityPeriod"]
    );
    let ca = json!({"caCertificateValidityPeriod": "87601h"});
    assert_eq!(
        warnings_at(V4, "ClusterConfiguration", ca),
        ["/caCertificateValidityPeriod"]
    );
}

#[test]
fn etcd_settings() {
    let cases: &[(Value, &[&str])] = &[
        (
            json!({"etcd": {"local": {"dataDir": "/var/lib/etcd"}}}),
            &[],
        ),
        (
            json!({"etcd": {"local": {"dataDir": "var/lib/etcd"}}}),
            &["/etcd/local/dataDir"],
        ),
        (
            json!({"etcd": {"local": {"serverCertSANs": ["etcd_1"]}}}),
            &["/etcd/local/serverCertSANs/0"],
        ),
        (json!({"etcd": {"local": {}, "external": {}}}), &["/etcd"]),
        (
            json!({"etcd": {"external": {"endpoints": ["http://10.0.0.21:2379"]}}}),
            &[],
        ),
        (
            json!({"etcd": {"external": {"endpoints": ["10.0.0.21:2379"]}}}),
            &["/etcd/external/endpoints/0"],
        ),
        (
            json!({"etcd": {"external": {"endpoints": ["/var/run/etcd.sock"]}}}),
            &["/etcd/external/endpoints/0"],
        ),
        (
            json!({"etcd": {"external": {
                "endpoints": ["https://10.0.0.21:2379", "http://10.0.0.22:2379"],
                "httpEndpoints": ["http://10.0.0.21:2381"],
                "caFile": "/etc/kubernetes/pki/etcd/ca.crt",
                "certFile": "/etc/kubernetes/pki/apiserver-etcd-client.crt",
                "keyFile": "/etc/kubernetes/pki/apiserver-etcd-client.key",
            }}}),
            &[
                "/etcd/external/endpoints/1",
                "/etcd/external/httpEndpoints/0",
            ],
        ),
        (
            json!({"etcd": {"external": {"endpoints": ["https://e:2379"], "certFile": "/c.crt"}}}),
            &["/etcd/external"],
        ),
        (
            json!({"etcd": {"external": {"endpoints": ["https://e:2379"], "certFile": "/c.crt", "keyFile": "/k.key"}}}),
            &["/etcd/external"],
        ),
        (
            json!({"etcd": {"external": {"endpoints": ["https://e:2379"], "certFile": "c.crt", "keyFile": "/k.key", "caFile": "/ca.crt"}}}),
            &["/etcd/external/certFile"],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "ClusterConfiguration", body.clone()),
            *want,
            "{body}"
        );
    }
}

#[test]
fn init_tokens_keys_and_registration() {
    let cases: &[(Value, &[&str])] = &[
        (
            json!({"bootstrapTokens": [{"token": "abcdef.0123456789abcdef", "ttl": "24h"}]}),
            &[],
        ),
        (json!({"bootstrapTokens": [{}]}), &[]),
        (
            json!({"bootstrapTokens": [{"token": "abcdef0123456789abcdef"}]}),
            &["/bootstrapTokens/0/token"],
        ),
        (
            json!({"bootstrapTokens": [{"ttl": "24h", "expires": "2030-01-01T00:00:00Z"}]}),
            &["/bootstrapTokens/0"],
        ),
        (
            json!({"bootstrapTokens": [{"usages": ["signing"], "groups": ["system:bootstrappers:x"]}]}),
            &["/bootstrapTokens/0/groups"],
        ),
        (
            json!({"bootstrapTokens": [{"groups": ["system:bootstrappers:x"]}]}),
            &[],
        ),
        (
            json!({"bootstrapTokens": [{"usages": ["authentication"], "groups": ["system:masters"]}]}),
            &["/bootstrapTokens/0/groups/0"],
        ),
        (
            json!({"certificateKey": "e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204"}),
            &[],
        ),
        (
            json!({"certificateKey": "e6a2eb8581237ab72a4f494f30285ec1"}),
            &["/certificateKey"],
        ),
        (
            json!({"certificateKey": "g6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204"}),
            &["/certificateKey"],
        ),
        (
            json!({"certificateKey": "e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd220"}),
            &["/certificateKey"],
        ),
        (
            json!({"localAPIEndpoint": {"advertiseAddress": "10.0.0.11", "bindPort": 6443}}),
            &[],
        ),
        (
            json!({"localAPIEndpoint": {"advertiseAddress": "cp-1.example.com"}}),
            &["/localAPIEndpoint/advertiseAddress"],
        ),
        (
            json!({"localAPIEndpoint": {"bindPort": 70000}}),
            &["/localAPIEndpoint/bindPort"],
        ),
        (json!({"localAPIEndpoint": {"bindPort": 0}}), &[]),
        (
            json!({"nodeRegistration": {"name": "cp-1", "criSocket": "unix:///run/containerd/containerd.sock"}}),
            &[],
        ),
        (
            json!({"nodeRegistration": {"name": "CP_1"}}),
            &["/nodeRegistration/name"],
        ),
        (
            json!({"nodeRegistration": {"criSocket": "tcp://10.0.0.1:2376"}}),
            &["/nodeRegistration/criSocket"],
        ),
        (
            json!({"nodeRegistration": {"criSocket": "npipe:////./pipe/containerd-containerd"}}),
            &[],
        ),
        (
            json!({"nodeRegistration": {"kubeletExtraArgs": [{"name": ""}]}}),
            &["/nodeRegistration/kubeletExtraArgs/0/name"],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "InitConfiguration", body.clone()),
            *want,
            "{body}"
        );
    }
    let all = json!({"nodeRegistration": {"ignorePreflightErrors": ["All", "Swap"]}});
    assert_eq!(
        errors_at(V4, "InitConfiguration", all),
        ["/nodeRegistration/ignorePreflightErrors"]
    );
    let alone = json!({"nodeRegistration": {"ignorePreflightErrors": ["all", "ALL"]}});
    assert!(errors_at(V4, "InitConfiguration", alone).is_empty());
    let bare = json!({"nodeRegistration": {"criSocket": "/run/containerd/containerd.sock"}});
    assert!(errors_at(V4, "InitConfiguration", bare.clone()).is_empty());
    assert_eq!(
        warnings_at(V4, "InitConfiguration", bare),
        ["/nodeRegistration/criSocket"]
    );
}

#[test]
fn join_discovery() {
    let token = |t: Value| json!({"discovery": {"bootstrapToken": t}});
    let pin = "sha256:7c1b0f4e2d9a8b3c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
    let cases: &[(Value, &[&str])] = &[
        (
            token(
                json!({"token": "abcdef.0123456789abcdef", "apiServerEndpoint": "10.0.0.10:6443", "caCertHashes": [pin]}),
            ),
            &[],
        ),
        (
            token(
                json!({"token": "abcdef.0123456789abcdef", "apiServerEndpoint": "10.0.0.10:6443", "unsafeSkipCAVerification": true}),
            ),
            &[],
        ),
        (
            token(
                json!({"token": "abcdef.0123456789abcdef", "apiServerEndpoint": "10.0.0.10:6443"}),
            ),
            &["/discovery/bootstrapToken/caCertHashes"],
        ),
        (
            token(
                json!({"token": "abcdef.0123456789abcdef", "apiServerEndpoint": "10.0.0.10", "unsafeSkipCAVerification": true}),
            ),
            &["/discovery/bootstrapToken/apiServerEndpoint"],
        ),
        (
            token(json!({"token": "abcdef.0123456789abcdef", "unsafeSkipCAVerification": true})),
            &["/discovery/bootstrapToken"],
        ),
        (
            token(json!({"apiServerEndpoint": "10.0.0.10:6443", "unsafeSkipCAVerification": true})),
            &["/discovery/bootstrapToken"],
        ),
        (
            token(
                json!({"token": "abcdef.0123456789ABCDEF", "apiServerEndpoint": "[fd00::10]:6443", "caCertHashes": ["sha256:abc", "md5:7c1b"]}),
            ),
            &[
                "/discovery/bootstrapToken/token",
                "/discovery/bootstrapToken/caCertHashes/0",
                "/discovery/bootstrapToken/caCertHashes/1",
            ],
        ),
        (
            json!({"discovery": {"file": {"kubeConfigPath": "/etc/kubernetes/discovery.conf"}}}),
            &[],
        ),
        (
            json!({"discovery": {"file": {"kubeConfigPath": "https://example.com/cluster-info.yaml"}}}),
            &[],
        ),
        (
            json!({"discovery": {"file": {"kubeConfigPath": "http://example.com/cluster-info.yaml"}}}),
            &["/discovery/file/kubeConfigPath"],
        ),
        (
            json!({"discovery": {"file": {"kubeConfigPath": "/d.conf"}, "tlsBootstrapToken": "abc"}}),
            &["/discovery/tlsBootstrapToken"],
        ),
        (json!({"discovery": {}}), &["/discovery"]),
        (json!({}), &[""]),
        (
            json!({"discovery": {"file": {"kubeConfigPath": "/d.conf"}, "bootstrapToken": {"token": "abcdef.0123456789abcdef", "apiServerEndpoint": "a:1", "unsafeSkipCAVerification": true}}}),
            &["/discovery"],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "JoinConfiguration", body.clone()),
            *want,
            "{body}"
        );
        assert_eq!(
            errors_at(V3, "JoinConfiguration", body.clone()),
            *want,
            "v1beta3 {body}"
        );
    }
}

#[test]
fn join_paths_and_control_plane() {
    let file = json!({"file": {"kubeConfigPath": "/d.conf"}});
    let cases: &[(Value, &[&str])] = &[
        (
            json!({"discovery": file, "caCertPath": "/etc/kubernetes/pki/ca.crt"}),
            &[],
        ),
        (
            json!({"discovery": file, "caCertPath": "/etc/kubernetes/pki/ca.pem"}),
            &["/caCertPath"],
        ),
        (
            json!({"discovery": file, "caCertPath": "pki/ca.crt"}),
            &["/caCertPath"],
        ),
        (
            json!({"discovery": file, "controlPlane": {"localAPIEndpoint": {"advertiseAddress": "10.0.0.12"}, "certificateKey": "00"}}),
            &["/controlPlane/certificateKey"],
        ),
        (
            json!({"discovery": file, "controlPlane": {"localAPIEndpoint": {"advertiseAddress": "10.0.0.256"}}}),
            &["/controlPlane/localAPIEndpoint/advertiseAddress"],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            errors_at(V4, "JoinConfiguration", body.clone()),
            *want,
            "{body}"
        );
    }
}

#[test]
fn reset_and_upgrade() {
    assert!(errors_at(
        V4,
        "ResetConfiguration",
        json!({"criSocket": "unix:///run/crio/crio.sock", "certificatesDir": "/etc/kubernetes/pki"})
    )
    .is_empty());
    assert_eq!(
        errors_at(
            V4,
            "ResetConfiguration",
            json!({"certificatesDir": "etc/pki"})
        ),
        ["/certificatesDir"]
    );
    assert_eq!(
        errors_at(V4, "ResetConfiguration", json!({"criSocket": "http://x"})),
        ["/criSocket"]
    );
    assert!(errors_at(V4, "UpgradeConfiguration", json!({"apply": {"patches": {"directory": "/etc/kubernetes/patches"}, "kubernetesVersion": "v1.37.2"}})).is_empty());
    assert_eq!(
        errors_at(V4, "UpgradeConfiguration", json!({"node": {"patches": {}}})),
        ["/node/patches/directory"]
    );
    assert_eq!(
        errors_at(
            V4,
            "UpgradeConfiguration",
            json!({"apply": {"patches": {"directory": "patches"}}})
        ),
        ["/apply/patches/directory"]
    );
    assert_eq!(
        errors_at(
            V4,
            "UpgradeConfiguration",
            json!({"plan": {"kubernetesVersion": "1.37"}})
        ),
        ["/plan/kubernetesVersion"]
    );
    // An upgrade names the version it goes to; only a control plane's own version has a floor.
    assert!(errors_at(
        V4,
        "UpgradeConfiguration",
        json!({"apply": {"kubernetesVersion": "v1.30.0"}})
    )
    .is_empty());
}

#[test]
fn kube_proxy_mode_and_cluster_cidr() {
    let kp = "kubeproxy.config.k8s.io/v1alpha1";
    let k = "KubeProxyConfiguration";
    assert_eq!(warnings_at(kp, k, json!({"mode": "ipvs"})), ["/mode"]);
    assert!(problems(
        kp,
        k,
        json!({"mode": "nftables", "clusterCIDR": "10.244.0.0/16,fd00::/56"})
    )
    .is_empty());
    assert_eq!(
        errors_at(kp, k, json!({"clusterCIDR": "10.244.0.0/16,10.245.0.0/16"})),
        ["/clusterCIDR"]
    );
    assert_eq!(
        errors_at(kp, k, json!({"clusterCIDR": "10.244.0.0"})),
        ["/clusterCIDR"]
    );
}

#[test]
fn other_documents_have_no_problems() {
    let deployment =
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "networking": {"podSubnet": "x"}});
    assert!(check(&deployment, 37).is_empty());
    let old = json!({"apiVersion": "kubeadm.k8s.io/v1beta2", "kind": "ClusterConfiguration", "networking": {"podSubnet": "x"}});
    assert!(check(&old, 37).is_empty());
    assert!(check(&json!("text"), 37).is_empty());
}

/// The realistic example files have no problems.
#[test]
fn the_example_files_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kubeadm");
    for entry in std::fs::read_dir(dir).expect("fixtures/kubeadm").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("UTF-8");
        // `mistakes-*.yaml` and `history.yaml` hold mistakes and removed versions on purpose.
        if is_counter_example(&entry.path()) {
            continue;
        }
        let stream = crate::source::yaml::parse_stream(&text, &Default::default());
        for doc in stream.documents.into_iter().filter_map(|d| d.root) {
            let found = check(&doc.to_json(), 37);
            assert!(found.is_empty(), "{}: {found:#?}", entry.path().display());
        }
    }
}

/// A fixture that holds mistakes or removed versions on purpose.
fn is_counter_example(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("mistakes") || n.starts_with("history"))
}
