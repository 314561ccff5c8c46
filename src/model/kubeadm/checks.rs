//! The checks `kubeadm config validate` (and `kubeadm init`/`join` before they touch the node)
//! make on a configuration file that need no cluster and no host: versions, CIDRs, endpoints,
//! tokens, keys, paths, the discovery settings of a join, `ignorePreflightErrors`, and
//! kube-proxy's mode. A pure
//! function over one document's JSON value, aware of its kind and of the two extra-argument
//! shapes (v1beta3 maps, v1beta4 name/value lists).
//!
//! kubeadm validates after defaulting, so a field left unset is never reported here: kubeadm
//! fills it in (the node name from the hostname, the CRI socket by detection, the etcd data
//! directory, the CA path). What kubeadm merely warns about is a [`Level::Warning`].
//!
//! CIDRs and IPs are read the way kubeadm's `k8s.io/utils/net` reads them (IPv4 octets may have
//! leading zeros, host bits may be set), with a small parser kept private here.

use crate::pointer::AtPointer;
use regex::Regex;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// Whether kubeadm refuses the file or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One problem: where (an object-relative JSON pointer), what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
    pub help: String,
    pub level: Level,
}

/// The problems of one configuration document at kubeadm 1.`kubeadm_minor` (the target
/// Kubernetes minor: kubeadm ships with each). Documents of other kinds have none.
pub fn check(document: &Value, kubeadm_minor: u32) -> Vec<Problem> {
    let mut c = Checker {
        out: Vec::new(),
        minor: kubeadm_minor,
    };
    let api_version = document.get("apiVersion").and_then(Value::as_str);
    let kind = document.get("kind").and_then(Value::as_str).unwrap_or("");
    match api_version {
        Some("kubeadm.k8s.io/v1beta3" | "kubeadm.k8s.io/v1beta4") => match kind {
            "InitConfiguration" => c.init(document),
            "ClusterConfiguration" => c.cluster(document),
            "JoinConfiguration" => c.join(document),
            "ResetConfiguration" => c.reset(document),
            "UpgradeConfiguration" => c.upgrade(document),
            _ => {}
        },
        Some("kubeproxy.config.k8s.io/v1alpha1") if kind == "KubeProxyConfiguration" => {
            c.kube_proxy(document)
        }
        _ => {}
    }
    c.out
}

struct Checker {
    out: Vec<Problem>,
    minor: u32,
}

/// The string at a pointer, when it is a non-empty string (empty means unset to kubeadm).
fn text<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.at_pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The items of the array at a pointer.
fn items<'v>(v: &'v Value, pointer: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    v.at_pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// The value of a component flag in `extraArgs`: a map (v1beta3) or a name/value list
/// (v1beta4, where the last entry of a repeated name wins, as kubeadm reads it).
fn arg_value<'v>(extra_args: Option<&'v Value>, name: &str) -> Option<&'v str> {
    match extra_args? {
        Value::Object(map) => map.get(name).and_then(Value::as_str),
        Value::Array(list) => list
            .iter()
            .rev()
            .find(|a| a.get("name").and_then(Value::as_str) == Some(name))
            .map(|a| a.get("value").and_then(Value::as_str).unwrap_or("")),
        _ => None,
    }
}

impl Checker {
    fn error(&mut self, pointer: String, message: String, help: impl Into<String>) {
        self.push(Level::Error, pointer, message, help.into());
    }

    fn warn(&mut self, pointer: String, message: String, help: impl Into<String>) {
        self.push(Level::Warning, pointer, message, help.into());
    }

    fn push(&mut self, level: Level, pointer: String, message: String, help: String) {
        self.out.push(Problem {
            pointer,
            message,
            help,
            level,
        });
    }

    fn init(&mut self, d: &Value) {
        for (i, token) in items(d, "/bootstrapTokens") {
            self.bootstrap_token(token, &format!("/bootstrapTokens/{i}"));
        }
        self.node_registration(d);
        self.api_endpoint(d, "/localAPIEndpoint");
        self.certificate_key(d, "/certificateKey");
    }

    fn join(&mut self, d: &Value) {
        self.discovery(d);
        self.node_registration(d);
        if d.at_pointer("/controlPlane").is_some_and(Value::is_object) {
            self.api_endpoint(d, "/controlPlane/localAPIEndpoint");
            self.certificate_key(d, "/controlPlane/certificateKey");
        }
        if let Some(path) = text(d, "/caCertPath") {
            if !path.starts_with('/') || !path.ends_with(".crt") {
                self.error(
                    "/caCertPath".into(),
                    format!("caCertPath \"{path}\" must be an absolute path to a .crt file"),
                    "write the absolute path of the CA certificate, /etc/kubernetes/pki/ca.crt by default",
                );
            }
        }
    }

    fn reset(&mut self, d: &Value) {
        self.cri_socket(d, "/criSocket");
        self.ignored_preflight_errors(d, "/ignorePreflightErrors");
        self.absolute(d, "/certificatesDir");
    }

    fn upgrade(&mut self, d: &Value) {
        for section in ["apply", "node"] {
            let patches = format!("/{section}/patches");
            if d.at_pointer(&patches).is_some_and(Value::is_object) {
                let dir = format!("{patches}/directory");
                if !text(d, &dir).is_some_and(|p| p.starts_with('/')) {
                    self.error(
                        dir,
                        format!("{section}.patches.directory must be an absolute path"),
                        "name the patch directory by its absolute path, or drop `patches`",
                    );
                }
            }
        }
        for section in ["apply", "diff", "plan"] {
            self.kubernetes_version(d, &format!("/{section}/kubernetesVersion"), false);
        }
        for section in ["apply", "node", "plan"] {
            self.ignored_preflight_errors(d, &format!("/{section}/ignorePreflightErrors"));
        }
    }

    fn cluster(&mut self, d: &Value) {
        self.kubernetes_version(d, "/kubernetesVersion", true);
        self.networking(d);
        if let Some(endpoint) = text(d, "/controlPlaneEndpoint") {
            if let Err(why) = parse_host_port(endpoint) {
                self.error(
                    "/controlPlaneEndpoint".into(),
                    format!("controlPlaneEndpoint \"{endpoint}\" is not a valid endpoint: {why}"),
                    "write an IP address or DNS name, optionally with a port: `lb.example.com:6443`, `10.0.0.10`, `[fd00::10]:6443`",
                );
            }
        }
        self.absolute(d, "/certificatesDir");
        self.cert_sans(d, "/apiServer/certSANs");
        for pointer in ["/imageRepository", "/dns/imageRepository"] {
            self.image_repository(d, pointer);
        }
        for component in ["apiServer", "controllerManager", "scheduler"] {
            self.extra_args(d, &format!("/{component}/extraArgs"));
        }
        self.etcd(d);
        self.validity(d, "/certificateValidityPeriod", 365 * 24, "one year");
        self.validity(
            d,
            "/caCertificateValidityPeriod",
            10 * 365 * 24,
            "ten years",
        );
    }

    fn etcd(&mut self, d: &Value) {
        let local = d.at_pointer("/etcd/local").filter(|v| v.is_object());
        let external = d.at_pointer("/etcd/external").filter(|v| v.is_object());
        if local.is_some() && external.is_some() {
            self.error(
                "/etcd".into(),
                "etcd.local and etcd.external are mutually exclusive".into(),
                "keep `local` for an etcd kubeadm runs on the control-plane nodes, or `external` for one it does not manage",
            );
            return;
        }
        if local.is_some() {
            self.absolute(d, "/etcd/local/dataDir");
            self.cert_sans(d, "/etcd/local/serverCertSANs");
            self.cert_sans(d, "/etcd/local/peerCertSANs");
            self.image_repository(d, "/etcd/local/imageRepository");
            self.extra_args(d, "/etcd/local/extraArgs");
        }
        if external.is_some() {
            let ca = text(d, "/etcd/external/caFile");
            let cert = text(d, "/etcd/external/certFile");
            let key = text(d, "/etcd/external/keyFile");
            if cert.is_some() != key.is_some() {
                self.error(
                    "/etcd/external".into(),
                    "etcd.external needs both certFile and keyFile, or neither".into(),
                    "set the client certificate and its key together",
                );
            }
            if cert.is_some() && key.is_some() && ca.is_none() {
                self.error(
                    "/etcd/external".into(),
                    "etcd.external sets certFile and keyFile without caFile".into(),
                    "set caFile to the CA that signed etcd's serving certificate",
                );
            }
            let https = ca.is_some() || cert.is_some() || key.is_some();
            for list in ["endpoints", "httpEndpoints"] {
                let pointer = format!("/etcd/external/{list}");
                for (i, url) in items(d, &pointer) {
                    let Some(url) = url.as_str() else { continue };
                    self.etcd_url(url, format!("{pointer}/{i}"), https);
                }
            }
            for file in ["caFile", "certFile", "keyFile"] {
                self.absolute(d, &format!("/etcd/external/{file}"));
            }
        }
    }

    fn etcd_url(&mut self, url: &str, pointer: String, https: bool) {
        let help = "write a URL with its scheme, `https://10.0.0.21:2379`";
        match url_scheme(url) {
            Err(why) => self.error(pointer, format!("\"{url}\" is not a URL: {why}"), help),
            Ok(None) => self.error(
                pointer,
                format!("\"{url}\" has no scheme; kubeadm needs a URL"),
                help,
            ),
            Ok(Some(scheme)) if https && scheme != "https" => self.error(
                pointer,
                format!("\"{url}\" must use https: the etcd client certificates are set"),
                help,
            ),
            Ok(_) => {}
        }
    }

    fn networking(&mut self, d: &Value) {
        let service = text(d, "/networking/serviceSubnet")
            .and_then(|s| self.subnets(s, "/networking/serviceSubnet", 10));
        if let Some(service) = &service {
            for net in service {
                let bits = net.bits();
                if bits - net.prefix > 20 {
                    self.error(
                        "/networking/serviceSubnet".into(),
                        format!(
                            "service subnet {net} is too large: for {bits}-bit addresses the mask must be at least /{}",
                            bits - 20
                        ),
                        "the API server allocates at most 2^20 Service IPs; use a smaller range",
                    );
                }
            }
        }
        let pods = text(d, "/networking/podSubnet")
            .and_then(|s| self.subnets(s, "/networking/podSubnet", 14));
        if let Some(pods) = &pods {
            let cm_args = d.at_pointer("/controllerManager/extraArgs");
            if arg_value(cm_args, "allocate-node-cidrs") != Some("false") {
                for net in pods {
                    self.node_mask(net, cm_args);
                }
            }
        }
        if let (Some(service), Some(pods)) = (&service, &pods) {
            for s in service {
                for p in pods.iter().filter(|p| p.overlaps(s)) {
                    self.warn(
                        "/networking/podSubnet".into(),
                        format!("pod subnet {p} overlaps the service subnet {s}"),
                        "give pods and Services disjoint ranges: an address in both is ambiguous to the nodes and kube-proxy",
                    );
                }
            }
        }
        if let Some(domain) = text(d, "/networking/dnsDomain") {
            if !is_dns1123_subdomain(domain) {
                self.error(
                    "/networking/dnsDomain".into(),
                    format!("dnsDomain \"{domain}\" is not a valid DNS subdomain"),
                    "use lower-case letters, digits, '-' and '.', such as cluster.local",
                );
            }
        }
    }

    /// Parse a comma-separated subnet list as kubeadm does: one CIDR, or one of each family,
    /// each with at least `min` addresses. `None` when it does not parse.
    fn subnets(&mut self, list: &str, pointer: &str, min: u128) -> Option<Vec<Cidr>> {
        let field = pointer.rsplit('/').next().unwrap_or(pointer);
        let Some(nets) = list
            .split(',')
            .map(parse_cidr)
            .collect::<Option<Vec<Cidr>>>()
        else {
            self.error(
                pointer.into(),
                format!("{field} \"{list}\": couldn't parse subnet"),
                "write a CIDR such as 10.96.0.0/12, or an IPv4 and an IPv6 CIDR separated by a comma and no space",
            );
            return None;
        };
        let v4 = nets.iter().filter(|n| n.is_ipv4()).count();
        if nets.len() > 2 || (nets.len() == 2 && v4 != 1) {
            self.error(
                pointer.into(),
                format!("{field} \"{list}\" must be one CIDR, or two of different families for dual-stack"),
                "give one IPv4 CIDR, one IPv6 CIDR, or one of each",
            );
        }
        for net in &nets {
            let size = net.range_size();
            if size < min {
                self.error(
                    pointer.into(),
                    format!("{field} {net} has {size} address(es); the minimum is {min}"),
                    "use a larger range",
                );
            }
        }
        Some(nets)
    }

    /// The pod subnet must hold at least one node range (`--node-cidr-mask-size`) and at most
    /// 2^16 of them.
    fn node_mask(&mut self, net: &Cidr, cm_args: Option<&Value>) {
        let (flag, default) = if net.is_ipv4() {
            ("node-cidr-mask-size-ipv4", 24)
        } else {
            ("node-cidr-mask-size-ipv6", 64)
        };
        let pointer = "/networking/podSubnet".to_string();
        let node = match arg_value(cm_args, flag) {
            None | Some("") => default,
            Some(v) => match v.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    self.error(
                        "/controllerManager/extraArgs".into(),
                        format!("the controller manager flag {flag}=\"{v}\" is not an integer"),
                        "give the node mask size as a number, such as 24",
                    );
                    return;
                }
            },
        };
        let prefix = i64::from(net.prefix);
        if prefix > node {
            self.error(
                pointer,
                format!("pod subnet {net} is smaller than one node's range: /{prefix} against a node mask of /{node}"),
                format!("widen the pod subnet, or lower the controller manager's {flag}"),
            );
        } else if node - prefix > 16 {
            self.error(
                pointer,
                format!("pod subnet {net} holds more than 2^16 node ranges of /{node}"),
                format!(
                    "narrow the pod subnet, or raise the controller manager's {flag} to at most {}",
                    prefix + 16
                ),
            );
        }
    }

    fn kubernetes_version(&mut self, d: &Value, pointer: &str, control_plane: bool) {
        let Some(v) = text(d, pointer) else { return };
        match parse_kubernetes_version(v) {
            KubeVersion::Invalid => self.error(
                pointer.into(),
                format!("version \"{v}\" is neither a semantic version nor a release label (stable, latest, ...)"),
                "write a full version such as v1.37.1 (a minor alone, 1.37, is not one), or a label such as stable-1.37",
            ),
            KubeVersion::Label => {}
            KubeVersion::Semantic(major, minor) => {
                let floor = self.minor.saturating_sub(1);
                if control_plane && major == 1 && minor < u64::from(floor) {
                    self.error(
                        pointer.into(),
                        format!("kubeadm 1.{} deploys control planes of version 1.{floor}.0 and newer; this is {v}", self.minor),
                        format!("use kubeadm 1.{minor} for this version, or raise kubernetesVersion"),
                    );
                }
            }
        }
    }

    fn bootstrap_token(&mut self, t: &Value, at: &str) {
        if let Some(token) = text(t, "/token") {
            if !is_bootstrap_token(token) {
                self.error(
                    format!("{at}/token"),
                    format!("the bootstrap token \"{token}\" is not of the form [a-z0-9]{{6}}.[a-z0-9]{{16}}"),
                    "generate one with `kubeadm token generate`",
                );
            }
        }
        let usages: Option<Vec<&str>> = t
            .get("usages")
            .and_then(Value::as_array)
            .map(|u| u.iter().filter_map(Value::as_str).collect());
        let groups: Vec<(usize, &str)> = items(t, "/groups")
            .filter_map(|(i, g)| g.as_str().map(|g| (i, g)))
            .collect();
        if !groups.is_empty() && usages.is_some_and(|u| !u.contains(&"authentication")) {
            self.error(
                format!("{at}/groups"),
                "token groups need the usage \"authentication\"".into(),
                "add `authentication` to usages, or drop the groups",
            );
        }
        for (i, group) in groups {
            if !is_bootstrap_group(group) {
                self.error(
                    format!("{at}/groups/{i}"),
                    format!("group \"{group}\" does not match system:bootstrappers:[a-z0-9:-]{{0,255}}[a-z0-9]"),
                    "bootstrap tokens may only add groups under system:bootstrappers:",
                );
            }
        }
        let set = |k: &str| t.get(k).is_some_and(|v| !v.is_null());
        if set("ttl") && set("expires") {
            self.error(
                at.into(),
                "ttl and expires are mutually exclusive".into(),
                "keep one: a lifetime (ttl) or a fixed expiry time (expires)",
            );
        }
    }

    fn node_registration(&mut self, d: &Value) {
        if let Some(name) = text(d, "/nodeRegistration/name") {
            if !is_dns1123_subdomain(name) {
                self.error(
                    "/nodeRegistration/name".into(),
                    format!("node name \"{name}\" is not a valid DNS subdomain"),
                    "use lower-case letters, digits, '-' and '.', at most 253 characters",
                );
            }
        }
        self.cri_socket(d, "/nodeRegistration/criSocket");
        self.extra_args(d, "/nodeRegistration/kubeletExtraArgs");
        self.ignored_preflight_errors(d, "/nodeRegistration/ignorePreflightErrors");
    }

    fn cri_socket(&mut self, d: &Value, pointer: &str) {
        let Some(socket) = text(d, pointer) else {
            return;
        };
        match url_scheme(socket) {
            Ok(Some(scheme)) if scheme == "unix" || scheme == "npipe" => {}
            Ok(Some(scheme)) => self.error(
                pointer.into(),
                format!("the CRI socket \"{socket}\" uses the scheme \"{scheme}\"; only unix (npipe on Windows) is supported"),
                "give the runtime's socket as unix:///run/containerd/containerd.sock",
            ),
            Ok(None) => self.warn(
                pointer.into(),
                format!("the CRI socket \"{socket}\" has no URL scheme; kubeadm prepends unix:// and warns that this is deprecated"),
                format!("write unix://{socket}"),
            ),
            Err(why) => self.error(
                pointer.into(),
                format!("the CRI socket \"{socket}\" is not a URL: {why}"),
                "give the runtime's socket as unix:///run/containerd/containerd.sock",
            ),
        }
    }

    /// `all` ignores every preflight error; naming checks beside it is refused.
    fn ignored_preflight_errors(&mut self, d: &Value, pointer: &str) {
        let names: std::collections::BTreeSet<String> = items(d, pointer)
            .filter_map(|(_, v)| v.as_str())
            .map(str::to_ascii_lowercase)
            .collect();
        if names.contains("all") && names.len() > 1 {
            self.error(
                pointer.into(),
                "ignorePreflightErrors names checks beside \"all\"".into(),
                "keep `all` alone, or list only the checks to ignore",
            );
        }
    }

    fn extra_args(&mut self, d: &Value, pointer: &str) {
        for (i, arg) in items(d, pointer) {
            if arg.get("name").and_then(Value::as_str) == Some("") {
                self.error(
                    format!("{pointer}/{i}/name"),
                    "the argument has no name".into(),
                    "name the flag without its leading dashes, such as `v` for --v",
                );
            }
        }
    }

    fn api_endpoint(&mut self, d: &Value, at: &str) {
        let address = format!("{at}/advertiseAddress");
        if let Some(ip) = text(d, &address) {
            if parse_ip(ip).is_none() {
                self.error(
                    address,
                    format!("advertiseAddress \"{ip}\" is not an IP address"),
                    "give this node's IP address; DNS names go in controlPlaneEndpoint",
                );
            }
        }
        let port = format!("{at}/bindPort");
        if let Some(p) = d.at_pointer(&port).and_then(Value::as_i64) {
            if p != 0 && !(1..=65535).contains(&p) {
                self.error(
                    port,
                    format!("bindPort {p} is not a port number"),
                    "use a port between 1 and 65535; 6443 by default",
                );
            }
        }
    }

    fn certificate_key(&mut self, d: &Value, pointer: &str) {
        let Some(key) = text(d, pointer) else { return };
        let hex = key.chars().all(|c| c.is_ascii_hexdigit()) && key.len() % 2 == 0;
        if !hex || key.len() != 64 {
            let what = if hex {
                format!("{} bytes", key.len() / 2)
            } else {
                "not hexadecimal".into()
            };
            self.error(
                pointer.into(),
                format!("certificateKey is {what}; it must be a 32-byte AES key written as 64 hex digits"),
                "generate one with `kubeadm certs certificate-key`",
            );
        }
    }

    fn discovery(&mut self, d: &Value) {
        let token = d
            .at_pointer("/discovery/bootstrapToken")
            .filter(|v| v.is_object());
        let file = d.at_pointer("/discovery/file").filter(|v| v.is_object());
        let help = "set discovery.bootstrapToken (token, apiServerEndpoint, caCertHashes) or discovery.file (kubeConfigPath)";
        match (token, file) {
            (None, None) => {
                let at = if d.at_pointer("/discovery").is_some() {
                    "/discovery"
                } else {
                    ""
                };
                self.error(
                    at.into(),
                    "discovery needs bootstrapToken or file".into(),
                    help,
                );
            }
            (Some(_), Some(_)) => self.error(
                "/discovery".into(),
                "discovery.bootstrapToken and discovery.file cannot both be set".into(),
                "keep one way of finding the cluster",
            ),
            _ => {}
        }
        if let Some(t) = token {
            self.discovery_token(t);
        }
        if let Some(path) = file.and_then(|f| text(f, "/kubeConfigPath")) {
            match url_scheme(path) {
                Ok(Some(s)) if s != "https" => self.error(
                    "/discovery/file/kubeConfigPath".into(),
                    format!("kubeConfigPath \"{path}\" is a URL with the scheme \"{s}\"; only https is allowed"),
                    "use an https:// URL or a path to a file on the node",
                ),
                Err(why) => self.error(
                    "/discovery/file/kubeConfigPath".into(),
                    format!("kubeConfigPath \"{path}\" is neither a file path nor a URL: {why}"),
                    "use an https:// URL or a path to a file on the node",
                ),
                _ => {}
            }
        }
        if let Some(tls) = text(d, "/discovery/tlsBootstrapToken") {
            if !is_bootstrap_token(tls) {
                self.error(
                    "/discovery/tlsBootstrapToken".into(),
                    format!("the bootstrap token \"{tls}\" is not of the form [a-z0-9]{{6}}.[a-z0-9]{{16}}"),
                    "use a token of `kubeadm token list`",
                );
            }
        }
    }

    fn discovery_token(&mut self, t: &Value) {
        let at = "/discovery/bootstrapToken";
        match text(t, "/token") {
            Some(token) if is_bootstrap_token(token) => {}
            Some(token) => self.error(
                format!("{at}/token"),
                format!("the bootstrap token \"{token}\" is not of the form [a-z0-9]{{6}}.[a-z0-9]{{16}}"),
                "use a token of `kubeadm token list` on a control-plane node",
            ),
            None => self.error(
                at.into(),
                "discovery.bootstrapToken has no token".into(),
                "set token to a token of `kubeadm token list` on a control-plane node",
            ),
        }
        match text(t, "/apiServerEndpoint") {
            None => self.error(
                at.into(),
                "discovery.bootstrapToken has no apiServerEndpoint".into(),
                "set apiServerEndpoint to the host:port of an API server",
            ),
            Some(endpoint) => {
                if let Err(why) = split_host_port(endpoint) {
                    self.error(
                        format!("{at}/apiServerEndpoint"),
                        format!("apiServerEndpoint \"{endpoint}\" is not host:port: {why}"),
                        "write the API server's address with its port, such as 10.0.0.10:6443",
                    );
                }
            }
        }
        let hashes: Vec<(usize, &str)> = items(t, "/caCertHashes")
            .filter_map(|(i, h)| h.as_str().map(|h| (i, h)))
            .collect();
        let unsafe_skip = t
            .get("unsafeSkipCAVerification")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if hashes.is_empty() && !unsafe_skip {
            self.error(
                format!("{at}/caCertHashes"),
                "token discovery without caCertHashes does not verify the cluster CA".into(),
                "pin the CA with `caCertHashes: [sha256:...]` (printed by `kubeadm token create --print-join-command`), or set unsafeSkipCAVerification: true",
            );
        }
        for (i, hash) in hashes {
            let ok = hash
                .strip_prefix("sha256:")
                .is_some_and(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
            if !ok {
                self.error(
                    format!("{at}/caCertHashes/{i}"),
                    format!("\"{hash}\" is not a CA pin: sha256: and 64 hex digits"),
                    "copy the pin `kubeadm token create --print-join-command` prints",
                );
            }
        }
    }

    fn absolute(&mut self, d: &Value, pointer: &str) {
        let Some(path) = text(d, pointer) else { return };
        if !path.starts_with('/') {
            let field = pointer.rsplit('/').next().unwrap_or(pointer);
            self.error(
                pointer.into(),
                format!("{field} \"{path}\" is not an absolute path"),
                "write the path from the root, /etc/kubernetes/...",
            );
        }
    }

    fn cert_sans(&mut self, d: &Value, pointer: &str) {
        for (i, san) in items(d, pointer) {
            let Some(san) = san.as_str() else { continue };
            let lower = san.to_ascii_lowercase();
            let ok = is_dns1123_subdomain(&lower)
                || lower
                    .strip_prefix("*.")
                    .is_some_and(|rest| lower.len() <= 253 && is_dns1123_subdomain(rest))
                || parse_ip(san).is_some();
            if !ok {
                self.error(
                    format!("{pointer}/{i}"),
                    format!("\"{san}\" is not an IP address, a DNS name or a wildcard DNS name"),
                    "write a bare name or address: no scheme, port or path",
                );
            }
        }
    }

    fn image_repository(&mut self, d: &Value, pointer: &str) {
        let Some(repo) = text(d, pointer) else { return };
        if !IMAGE_REFERENCE.is_match(&format!("{repo}/name:tag")) {
            self.error(
                pointer.into(),
                format!("imageRepository \"{repo}\" is not a registry and path images can be named under"),
                "write it as in an image name, without a scheme: registry.example.com/k8s",
            );
        }
    }

    fn validity(&mut self, d: &Value, pointer: &str, hours: u64, default: &str) {
        let Some(text) = text(d, pointer) else { return };
        let Some(seconds) = go_duration_seconds(text) else {
            return;
        };
        if seconds > (hours * 3600) as f64 {
            let field = pointer.trim_start_matches('/');
            self.warn(
                pointer.into(),
                format!("{field} {text} is longer than the recommended {hours}h ({default}); kubeadm warns"),
                "shorter-lived certificates limit what a leaked key allows",
            );
        }
    }

    fn kube_proxy(&mut self, d: &Value) {
        if text(d, "/mode") == Some("ipvs") {
            self.warn(
                "/mode".into(),
                "kube-proxy's ipvs mode is deprecated since Kubernetes 1.35".into(),
                "use mode: nftables on kernels 5.13 and newer, or iptables on older ones",
            );
        }
        if let Some(list) = text(d, "/clusterCIDR") {
            let nets: Option<Vec<Cidr>> = list.split(',').map(parse_cidr).collect();
            let ok = nets.is_some_and(|n| {
                n.len() == 1 || (n.len() == 2 && n[0].is_ipv4() != n[1].is_ipv4())
            });
            if !ok {
                self.error(
                    "/clusterCIDR".into(),
                    format!("clusterCIDR \"{list}\" must be a CIDR or a dual-stack pair"),
                    "write it like 10.244.0.0/16 or 10.244.0.0/16,fd00:10:244::/56",
                );
            }
        }
    }
}

/// A subnet: its (masked) network address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    network: IpAddr,
    prefix: u32,
}

impl Cidr {
    fn is_ipv4(&self) -> bool {
        self.network.is_ipv4()
    }

    fn bits(&self) -> u32 {
        if self.is_ipv4() {
            32
        } else {
            128
        }
    }

    fn as_u128(ip: IpAddr) -> u128 {
        match ip {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        }
    }

    /// Addresses in the range, as kubeadm counts them: a range of 2^31 IPv4 or 2^127 IPv6
    /// addresses or more counts as 0 (a quirk kubeadm inherits), one of 2^63 or more as
    /// `i64::MAX`.
    fn range_size(&self) -> u128 {
        let host = self.bits() - self.prefix;
        if (self.is_ipv4() && host >= 31) || (!self.is_ipv4() && host >= 127) {
            0
        } else if host >= 63 {
            i64::MAX as u128
        } else {
            1u128 << host
        }
    }

    fn overlaps(&self, other: &Cidr) -> bool {
        if self.is_ipv4() != other.is_ipv4() {
            return false;
        }
        let prefix = self.prefix.min(other.prefix);
        let mask = |ip: IpAddr| {
            let v = Self::as_u128(ip);
            let shift = self.bits() - prefix;
            if shift >= 128 {
                0
            } else {
                v >> shift
            }
        };
        mask(self.network) == mask(other.network)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// A CIDR as `net.ParseCIDR` of Go 1.16 (kept by `k8s.io/utils/net`) reads it.
fn parse_cidr(s: &str) -> Option<Cidr> {
    let (ip, prefix) = s.split_once('/')?;
    let ip = parse_ip(ip)?;
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = go_decimal(prefix).filter(|p| *p <= bits)?;
    let host = bits - prefix;
    let network = match ip {
        IpAddr::V4(v4) => {
            let mask = if host >= 32 { 0 } else { u32::MAX << host };
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = if host >= 128 { 0 } else { u128::MAX << host };
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    };
    Some(Cidr { network, prefix })
}

/// Go's `dtoi`: one or more decimal digits, leading zeros allowed, below 2^24.
fn go_decimal(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An IP address as `netutils.ParseIPSloppy` reads it: IPv4 octets may carry leading zeros
/// (`010.0.0.1` is 10.0.0.1), which the standard parser refuses.
fn parse_ip(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        return s.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for octet in &mut octets {
        let n = go_decimal(parts.next()?)?;
        *octet = u8::try_from(n).ok()?;
    }
    parts
        .next()
        .is_none()
        .then_some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// Go's `net.SplitHostPort`: `host:port`, `[v6]:port`; the port may be empty.
fn split_host_port(s: &str) -> Result<(&str, &str), &'static str> {
    let (host, rest) = if let Some(inner) = s.strip_prefix('[') {
        let end = inner.find(']').ok_or("missing ']' in address")?;
        let rest = &inner[end + 1..];
        if rest.is_empty() {
            return Err("missing port in address");
        }
        let port = rest.strip_prefix(':').ok_or(if rest.starts_with(']') {
            "unexpected ']' in address"
        } else {
            "missing port in address"
        })?;
        (&inner[..end], port)
    } else {
        let colon = s.rfind(':').ok_or("missing port in address")?;
        let host = &s[..colon];
        if host.contains(':') {
            return Err("too many colons in address");
        }
        (host, &s[colon + 1..])
    };
    if host.contains(['[', ']']) || rest.contains(['[', ']']) {
        return Err("unexpected '[' or ']' in address");
    }
    Ok((host, rest))
}

/// kubeadm's `ParseHostPort`: `host[:port]` where host is an IP or a DNS subdomain and a port,
/// when given, is 1 to 65535.
fn parse_host_port(s: &str) -> Result<(), String> {
    let (host, port) = split_host_port(s).unwrap_or((s, ""));
    if !port.is_empty() {
        let ok =
            port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p >= 1);
        if !ok {
            return Err(format!("port {port} must be a number between 1 and 65535"));
        }
    }
    if parse_ip(host).is_some() || is_dns1123_subdomain(host) {
        Ok(())
    } else {
        Err(format!(
            "host \"{host}\" must be an IP address or a lower-case DNS subdomain"
        ))
    }
}

/// The scheme of a URL as Go's `url.Parse` finds it (lower-cased), `None` for a URL without
/// one (a path); `Err` for what `url.Parse` refuses.
fn url_scheme(s: &str) -> Result<Option<String>, &'static str> {
    if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("invalid control character in URL");
    }
    for (i, c) in s.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return Err("missing protocol scheme"),
            ':' => return Ok(Some(s[..i].to_ascii_lowercase())),
            _ => break,
        }
    }
    let path = s.split(['?', '#']).next().unwrap_or(s);
    let first_segment = path.split('/').next().unwrap_or(path);
    if first_segment.contains(':') {
        return Err("first path segment in URL cannot contain colon");
    }
    Ok(None)
}

static DNS1123_SUBDOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("pattern")
});

/// A DNS-1123 subdomain, the name rule of most Kubernetes names.
fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && DNS1123_SUBDOMAIN.is_match(s)
}

static BOOTSTRAP_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").expect("pattern"));

static BOOTSTRAP_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$").expect("pattern")
});

fn is_bootstrap_token(s: &str) -> bool {
    BOOTSTRAP_TOKEN.is_match(s)
}

fn is_bootstrap_group(s: &str) -> bool {
    BOOTSTRAP_GROUP.is_match(s)
}

/// An image reference, the grammar of `distribution/reference` kubeadm checks repositories
/// with (as `REPOSITORY/name:tag`).
static IMAGE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let alnum = "[a-z0-9]+";
    let separator = "(?:[._]|__|[-]+)";
    let path = format!("{alnum}(?:{separator}{alnum})*");
    let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let host = format!(r"(?:{domain_component}(?:\.{domain_component})*|\[[a-fA-F0-9:]+\])");
    let name = format!(r"(?:{host}(?::[0-9]+)?/)?{path}(?:/{path})*");
    let tag = r"[\w][\w.-]{0,127}";
    let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!("^{name}(?::{tag})?(?:@{digest})?$")).expect("pattern")
});

/// How kubeadm reads a `kubernetesVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KubeVersion {
    /// A release, `v1.37.1` or `1.37.1` (major, minor).
    Semantic(u64, u64),
    /// A label resolved over the network: `stable`, `latest-1.37`, `ci/latest`.
    Label,
    Invalid,
}

static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?$")
        .expect("pattern")
});

static RELEASE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((latest|stable)+(-[1-9](\.[1-9]([0-9])?)?)?)$").expect("pattern")
});

static BUCKET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((release|ci|ci-cross)/)?([-\w_.+]+)$").expect("pattern"));

/// The semantic-version suffix Go's `version.ParseSemantic` accepts after `x.y.z`:
/// `-pre.release` and `+build` parts of dot-separated alphanumeric identifiers, numeric
/// pre-release identifiers without leading zeros.
fn semantic_suffix_ok(suffix: &str) -> bool {
    let (pre, build) = match suffix.split_once('+') {
        Some((p, b)) => (p, Some(b)),
        None => (suffix, None),
    };
    let ident =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let pre_ok = match pre.strip_prefix('-') {
        None => pre.is_empty(),
        Some(p) => p.split('.').all(|id| {
            ident(id)
                && !(id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()))
        }),
    };
    pre_ok && build.is_none_or(|b| b.split('.').all(ident))
}

fn parse_kubernetes_version(v: &str) -> KubeVersion {
    let semantic = |v: &str| {
        let c = RELEASE.captures(v)?;
        if !semantic_suffix_ok(c.get(4).map_or("", |m| m.as_str())) {
            return None;
        }
        Some(KubeVersion::Semantic(
            c[1].parse().ok()?,
            c[2].parse().ok()?,
        ))
    };
    if RELEASE.is_match(v) {
        return semantic(v).unwrap_or(KubeVersion::Invalid);
    }
    let Some(label) = BUCKET.captures(v).and_then(|c| c.get(3)) else {
        return KubeVersion::Invalid;
    };
    if RELEASE.is_match(label.as_str()) {
        return semantic(label.as_str()).unwrap_or(KubeVersion::Invalid);
    }
    if RELEASE_LABEL.is_match(label.as_str()) {
        KubeVersion::Label
    } else {
        KubeVersion::Invalid
    }
}

static GO_DURATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(crate::model::component_base::GO_DURATION).expect("pattern"));

static GO_DURATION_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)").expect("pattern")
});

/// Seconds of a Go duration, `None` when it is not one (the schema reports that).
fn go_duration_seconds(s: &str) -> Option<f64> {
    if !GO_DURATION.is_match(s) {
        return None;
    }
    let sign = if s.starts_with('-') { -1.0 } else { 1.0 };
    let total: f64 = GO_DURATION_PART
        .captures_iter(s)
        .map(|c| {
            let n: f64 = c[1].parse().unwrap_or(0.0);
            let unit = match &c[2] {
                "h" => 3600.0,
                "m" => 60.0,
                "s" => 1.0,
                "ms" => 1e-3,
                "ns" => 1e-9,
                _ => 1e-6,
            };
            n * unit
        })
        .sum();
    Some(sign * total)
}

#[cfg(test)]
mod tests;
