//! `invalid-service`: a Service the API server refuses (kubernetes `pkg/apis/core/validation`
//! `ValidateService`, `validateServicePort`, `ValidateServiceClusterIPsRelatedFields`,
//! `validateServiceExternalTrafficPolicy`, `validateLoadBalancerClassField`, and the
//! cluster-independent checks of the registry's `initIPFamilyFields`).
//!
//! The object is judged after the API server's defaulting: `type` ClusterIP, `protocol` TCP,
//! `targetPort` equal to `port`, `sessionAffinity` None (which also drops a
//! `sessionAffinityConfig`), and `clusterIPs` copied from `clusterIP`. Checks that depend on
//! the cluster (node port range, configured IP families, free addresses) are left out; IP
//! addresses are judged by whether they parse, not by the stricter canonical-form rules of
//! newer releases.

use crate::pointer::AtPointer;
use super::api_fields::{int_at, items, str_at, FieldError};
use super::{Context, Finding, Rule, RuleId, Target};
use crate::k8s::names::{
    is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_port_name,
    is_valid_port_num,
};
use crate::k8s::net::{validate_cidr_for_legacy_field, validate_ip_for_legacy_field, SloppyIp};
use crate::pointer::push;
use crate::model::Object;
use serde_json::Value;
use std::collections::HashMap;

declare_rule! {
    pub struct InvalidService {
        id: "invalid-service",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("", "Service")),
        whole_object: true,
    }
}

const ID: RuleId = InvalidService::ID;
const MAX_CLIENT_IP_AFFINITY_SECONDS: i64 = 86400;
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

/// The cluster IPs as the API server sees them, and where each was written.
struct ClusterIps<'v> {
    ips: Vec<&'v str>,
    pointers: Vec<String>,
    /// `clusterIPs` was written (not copied from `clusterIP`).
    plural: bool,
}

fn cluster_ips<'v>(v: &'v Object) -> ClusterIps<'v> {
    let single = str_at(v, "/spec/clusterIP").filter(|s| !s.is_empty());
    let plural: Vec<&str> = items(v, "/spec/clusterIPs").iter().filter_map(Value::as_str).collect();
    if plural.is_empty() {
        ClusterIps {
            ips: single.into_iter().collect(),
            pointers: vec!["/spec/clusterIP".to_string()],
            plural: false,
        }
    } else {
        ClusterIps {
            pointers: (0..plural.len()).map(|i| format!("/spec/clusterIPs/{i}")).collect(),
            ips: plural,
            plural: true,
        }
    }
}

fn family(ip: &SloppyIp) -> &'static str {
    if ip.addr.is_ipv4() {
        "IPv4"
    } else {
        "IPv6"
    }
}

impl Rule for InvalidService {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if cx.object.group_version() != Some(("", "v1")) {
            return;
        }
        // Read part by part, without building the whole value.
        let v = cx.object;
        let ty = str_at(v, "/spec/type").filter(|t| !t.is_empty()).unwrap_or("ClusterIP");
        if !matches!(ty, "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName") {
            // An unknown type is the schema's finding; what depends on the type cannot be
            // told.
            return;
        }
        let ips = cluster_ips(v);
        let headless = ips.ips.len() == 1 && ips.ips[0] == "None";
        let ports = items(v, "/spec/ports");

        if ports.is_empty() && !headless && ty != "ExternalName" {
            out.push(
                FieldError::required("/spec/ports", "")
                    .finding(ID)
                    .label("no ports")
                    .help("list the ports the Service exposes (`ports: [{port: 80, targetPort: 8080}]`); only a headless Service (`clusterIP: None`) or an ExternalName Service may have none"),
            );
        }
        match ty {
            "LoadBalancer" | "NodePort" if headless => out.push(
                FieldError::invalid(&ips.pointers[0], &Value::from("None"), format!("may not be set to 'None' for {ty} services"))
                    .path("spec.clusterIPs[0]")
                    .finding(ID)
                    .label(format!("headless, but type {ty}"))
                    .related("/spec/type", Target::Entry, format!("type {ty}"))
                    .help(format!("remove `clusterIP: None` (a {ty} Service needs a cluster IP), or make it a ClusterIP Service")),
            ),
            "ExternalName" => external_name(v, &ips, out),
            _ => {}
        }
        if ty != "ExternalName" {
            cluster_ip_fields(v, &ips, headless, out);
        }
        service_ports(ports, ty, out);
        session_affinity(v, out);
        traffic_and_load_balancer(v, ty, out);
    }
}

fn external_name(v: &Object, ips: &ClusterIps, out: &mut Vec<Finding>) {
    if !ips.ips.is_empty() {
        let at = if ips.plural { "/spec/clusterIPs" } else { "/spec/clusterIP" };
        out.push(
            FieldError::forbidden(at, "may not be set for ExternalName services")
                .path("spec.clusterIPs")
                .finding(ID)
                .label("a cluster IP on an ExternalName Service")
                .help("remove it: an ExternalName Service is a DNS alias (CNAME) and gets no cluster IP"),
        );
    }
    for f in ["ipFamilies", "ipFamilyPolicy"] {
        let at = format!("/spec/{f}");
        let set = match v.at_pointer(&at) {
            Some(Value::Array(a)) => !a.is_empty(),
            Some(Value::Null) | None => false,
            Some(_) => f == "ipFamilyPolicy",
        };
        if set {
            out.push(
                FieldError::forbidden(&at, "may not be set for ExternalName services")
                    .finding(ID)
                    .label("not for ExternalName")
                    .help(format!("remove `{f}`: an ExternalName Service has no IP addresses")),
            );
        }
    }
    let at = "/spec/externalName";
    let name = str_at(v, at).unwrap_or("");
    let cname = name.strip_suffix('.').unwrap_or(name);
    if cname.is_empty() {
        out.push(
            FieldError::required(at, "")
                .finding(ID)
                .label("externalName missing")
                .help("add `externalName:` with the DNS name the Service aliases, such as `db.example.com`"),
        );
    } else {
        for msg in is_dns1123_subdomain(cname) {
            out.push(
                FieldError::invalid(at, &Value::from(cname), msg)
                    .finding(ID)
                    .label("not a DNS name")
                    .help(if cname.contains("://") || cname.contains(':') || cname.contains('/') {
                        "give the host name alone, without scheme, port or path"
                    } else {
                        "give a lowercase DNS name such as `db.example.com` (an IP address belongs in an Endpoints or EndpointSlice object)"
                    }),
            );
        }
    }
}

/// `ValidateServiceClusterIPsRelatedFields` and the policy checks of `initIPFamilyFields`.
fn cluster_ip_fields(v: &Object, ips: &ClusterIps, headless: bool, out: &mut Vec<Finding>) {
    let single = str_at(v, "/spec/clusterIP").filter(|s| !s.is_empty());
    if ips.plural {
        match single {
            Some(s) if ips.ips[0] != s => out.push(
                FieldError::invalid("/spec/clusterIPs", &Value::Null, "first value must match `clusterIP`")
                    .finding(ID)
                    .at(Target::Key)
                    .label(format!("does not start with {s}"))
                    .related("/spec/clusterIP", Target::Entry, "clusterIP")
                    .help("make the first clusterIPs entry the same address as clusterIP, or write only one of the two fields"),
            ),
            None => out.push(
                FieldError::invalid("/spec/clusterIPs", &Value::Null, "must be empty when `clusterIP` is not specified")
                    .finding(ID)
                    .at(Target::Key)
                    .label("clusterIPs without clusterIP")
                    .help(format!("also set `clusterIP: {}` (the first entry)", ips.ips[0])),
            ),
            _ => {}
        }
    }
    let families: Vec<(usize, &str)> = items(v, "/spec/ipFamilies")
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.as_str().map(|f| (i, f)))
        .collect();
    for (n, (i, f)) in families.iter().enumerate() {
        if families[..n].iter().any(|(_, g)| g == f) {
            out.push(
                FieldError::duplicate(format!("/spec/ipFamilies/{i}"), &Value::from(*f))
                    .finding(ID)
                    .label("repeated")
                    .help("list each family once: IPv4, IPv6, or both"),
            );
        }
    }

    let mut parsed = Vec::new();
    let mut invalid = false;
    for (i, ip) in ips.ips.iter().enumerate() {
        let at = &ips.pointers[i];
        let path = format!("spec.clusterIPs[{i}]");
        if i == 0 && *ip == "None" {
            if ips.ips.len() > 1 {
                invalid = true;
                out.push(
                    FieldError::invalid("/spec/clusterIPs", &Value::Null, "'None' must be the first and only value")
                        .finding(ID)
                        .at(Target::Key)
                        .label("None with other addresses")
                        .help("a headless Service has `clusterIP: None` and nothing else"),
                );
            }
            continue;
        }
        let msgs = validate_ip_for_legacy_field(ip, false);
        if msgs.is_empty() {
            parsed.push(crate::k8s::net::parse_ip_sloppy(ip));
        } else {
            invalid = true;
            for msg in msgs {
                out.push(
                    FieldError::invalid(at, &Value::from(*ip), msg)
                        .path(&path)
                        .finding(ID)
                        .label("not an IP address")
                        .help("give an address from the cluster's service range, `None` for a headless Service, or leave it out to have one allocated"),
                );
            }
        }
    }
    if ips.ips.len() > 2 {
        out.push(
            FieldError::invalid("/spec/clusterIPs", &Value::Null, "may only hold up to 2 values")
                .finding(ID)
                .at(Target::Key)
                .label("more than two addresses")
                .help("give at most one IPv4 and one IPv6 address"),
        );
    }
    if invalid {
        return;
    }
    let parsed: Vec<SloppyIp> = parsed.into_iter().flatten().collect();
    if parsed.len() == 2 && family(&parsed[0]) == family(&parsed[1]) {
        out.push(
            FieldError::invalid("/spec/clusterIPs", &Value::Null, "may specify no more than one IP for each IP family")
                .finding(ID)
                .at(Target::Key)
                .label(format!("two {} addresses", family(&parsed[0])))
                .help("a dual-stack Service has one IPv4 and one IPv6 address"),
        );
    }
    if !headless {
        for (i, ip) in parsed.iter().enumerate() {
            let Some((_, f)) = families.get(i) else { break };
            if matches!(*f, "IPv4" | "IPv6") && *f != family(ip) {
                out.push(
                    FieldError::invalid(&ips.pointers[i], &Value::from(ips.ips[i]), format!("expected an {f} value as indicated by `ipFamilies[{i}]`"))
                        .path(format!("spec.clusterIPs[{i}]"))
                        .finding(ID)
                        .label(format!("an {} address", family(ip)))
                        .related(format!("/spec/ipFamilies/{i}"), Target::Value, format!("ipFamilies[{i}] is {f}"))
                        .help("list the families in the order of the addresses, or swap the addresses"),
                );
            }
        }
    }

    if families.iter().any(|(_, f)| !matches!(*f, "IPv4" | "IPv6")) {
        // The API server stops at the unknown family (the schema's finding).
        return;
    }
    // The policy the API server assumes when none is written.
    let policy_written = str_at(v, "/spec/ipFamilyPolicy");
    let selectorless = v.at_pointer("/spec/selector").and_then(Value::as_object).is_none_or(|m| m.is_empty());
    let policy = policy_written.unwrap_or(if headless && selectorless { "RequireDualStack" } else { "SingleStack" });
    if policy == "SingleStack" {
        let at = if policy_written.is_some() { "/spec/ipFamilyPolicy" } else { "/spec" };
        let help = "set `ipFamilyPolicy: PreferDualStack` (or RequireDualStack) for a dual-stack Service";
        let mut both = |what: &str, related: &str| {
            let f = FieldError::invalid(at, &Value::from("SingleStack"), format!("must be 'RequireDualStack' or 'PreferDualStack' when multiple {what} are specified"))
                .path("spec.ipFamilyPolicy")
                .finding(ID);
            let f = if policy_written.is_some() {
                f.label("single stack").related(related, Target::Key, format!("two {what}"))
            } else {
                f.at(Target::Key).label("ipFamilyPolicy defaults to SingleStack").related(related, Target::Key, format!("two {what}"))
            };
            out.push(f.help(help));
        };
        if ips.ips.len() == 2 {
            both("cluster IPs", "/spec/clusterIPs");
        }
        if families.len() == 2 {
            both("IP families", "/spec/ipFamilies");
        }
    }
}

fn service_ports(ports: &[Value], ty: &str, out: &mut Vec<Finding>) {
    let several = ports.len() > 1;
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut pairs: HashMap<(i64, &str), usize> = HashMap::new();
    let mut node_ports: HashMap<(i64, &str), usize> = HashMap::new();
    for (i, p) in ports.iter().enumerate() {
        let base = format!("/spec/ports/{i}");
        let protocol = p.get("protocol").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("TCP");
        match p.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
            None if several => out.push(
                FieldError::required(push(&base, "name"), "")
                    .finding(ID)
                    .label("unnamed port")
                    .help("name every port of a Service with more than one (`name: http`)"),
            ),
            None => {}
            Some(n) => {
                let at = push(&base, "name");
                for msg in is_dns1123_label(n) {
                    out.push(
                        FieldError::invalid(&at, &Value::from(n), msg)
                            .finding(ID)
                            .label("not a port name")
                            .help("use lowercase letters, digits and '-' (`http`, `grpc-web`)"),
                    );
                }
                if let Some(first) = names.insert(n, i) {
                    names.insert(n, first);
                    out.push(
                        FieldError::duplicate(&at, &Value::from(n))
                            .finding(ID)
                            .label("repeated name")
                            .related(format!("/spec/ports/{first}/name"), Target::Value, "first used here")
                            .help("give each port its own name"),
                    );
                }
            }
        }
        let port = p.get("port").and_then(Value::as_i64);
        if let Some(n) = port {
            for msg in is_valid_port_num(n) {
                out.push(
                    FieldError::invalid(push(&base, "port"), &Value::from(n), msg)
                        .finding(ID)
                        .label("not a port")
                        .help("use a port from 1 to 65535"),
                );
            }
        }
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                if let Some(n) = n.as_i64().filter(|n| *n != 0) {
                    for msg in is_valid_port_num(n) {
                        out.push(
                            FieldError::invalid(push(&base, "targetPort"), &Value::from(n), msg)
                                .finding(ID)
                                .label("not a port")
                                .help("use the container's port number (1-65535) or the name of a container port"),
                        );
                    }
                }
            }
            Some(Value::String(s)) if !s.is_empty() => {
                for msg in is_valid_port_name(s) {
                    out.push(
                        FieldError::invalid(push(&base, "targetPort"), &Value::from(s.as_str()), msg)
                            .finding(ID)
                            .label("not a port name")
                            .help(if s.bytes().all(|b| b.is_ascii_digit()) {
                                "write the port number without quotes: a quoted number is read as a port name"
                            } else {
                                "name a container port (at most 15 lowercase letters, digits and '-', with a letter), or give its number"
                            }),
                    );
                }
            }
            _ => {}
        }
        if let Some(a) = p.get("appProtocol").and_then(Value::as_str) {
            for msg in is_qualified_name(a) {
                out.push(
                    FieldError::invalid(push(&base, "appProtocol"), &Value::from(a), msg)
                        .finding(ID)
                        .label("not an application protocol")
                        .help("use an IANA service name (`http`, `h2c`) or a domain-prefixed name (`example.com/proto`)"),
                );
            }
        }
        let node_port = p.get("nodePort").and_then(Value::as_i64).filter(|n| *n != 0);
        if let Some(np) = node_port {
            if ty == "ClusterIP" {
                out.push(
                    FieldError::forbidden(push(&base, "nodePort"), "may not be used when `type` is 'ClusterIP'")
                        .finding(ID)
                        .label("nodePort on a ClusterIP Service")
                        .help("remove `nodePort`, or set `type: NodePort` (or LoadBalancer) to expose the port on every node"),
                );
            }
            if let Some(first) = node_ports.insert((np, protocol), i) {
                node_ports.insert((np, protocol), first);
                out.push(
                    FieldError::duplicate(push(&base, "nodePort"), &Value::from(np))
                        .finding(ID)
                        .label("node port used twice")
                        .related(format!("/spec/ports/{first}/nodePort"), Target::Value, "first used here")
                        .help("give each port its own node port, or leave `nodePort` out to have one allocated"),
                );
            }
        }
        if let Some(n) = port {
            if let Some(first) = pairs.insert((n, protocol), i) {
                pairs.insert((n, protocol), first);
                out.push(
                    FieldError::duplicate(push(&base, "port"), &Value::Null)
                        .path(format!("spec.ports[{i}]"))
                        .finding(ID)
                        .label(format!("port {n}/{protocol} again"))
                        .related(format!("/spec/ports/{first}/port"), Target::Value, "first defined here")
                        .help("merge the two entries, or give one a different port or protocol"),
                );
            }
        }
    }
}

fn session_affinity(v: &Object, out: &mut Vec<Finding>) {
    if str_at(v, "/spec/sessionAffinity") != Some("ClientIP") {
        // None (the default) drops any sessionAffinityConfig; other values are the schema's.
        return;
    }
    let at = "/spec/sessionAffinityConfig/clientIP/timeoutSeconds";
    if let Some(n) = int_at(v, at).filter(|n| *n <= 0 || *n > MAX_CLIENT_IP_AFFINITY_SECONDS) {
        out.push(
            FieldError::invalid(at, &Value::from(n), format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"))
                .finding(ID)
                .label("out of range")
                .help(format!("use 1 to {MAX_CLIENT_IP_AFFINITY_SECONDS} seconds (the default is 10800)")),
        );
    }
}

fn traffic_and_load_balancer(v: &Object, ty: &str, out: &mut Vec<Finding>) {
    let lb = ty == "LoadBalancer";
    let external_ips = !items(v, "/spec/externalIPs").is_empty();
    let accessible = lb || ty == "NodePort" || (ty == "ClusterIP" && external_ips);
    if let Some(p) = str_at(v, "/spec/externalTrafficPolicy").filter(|p| !p.is_empty()) {
        if !accessible {
            out.push(
                FieldError::invalid("/spec/externalTrafficPolicy", &Value::from(p), "may only be set for externally-accessible services")
                    .finding(ID)
                    .label(format!("not for a {ty} Service"))
                    .help(if ty == "ExternalName" {
                        "remove `externalTrafficPolicy`".to_string()
                    } else if p == "Local" {
                        "remove `externalTrafficPolicy` (it governs traffic from outside the cluster), or make the Service a NodePort or LoadBalancer; for traffic from inside the cluster, use `internalTrafficPolicy: Local`".to_string()
                    } else {
                        "remove `externalTrafficPolicy` (it governs traffic from outside the cluster), or make the Service a NodePort or LoadBalancer".to_string()
                    }),
            );
        }
    }
    let needs_health_check = lb && str_at(v, "/spec/externalTrafficPolicy") == Some("Local");
    if let Some(n) = int_at(v, "/spec/healthCheckNodePort").filter(|n| *n != 0) {
        if !needs_health_check {
            out.push(
                FieldError::invalid("/spec/healthCheckNodePort", &Value::from(n), "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'")
                    .finding(ID)
                    .label("no health check is needed")
                    .help("remove `healthCheckNodePort`"),
            );
        } else {
            for msg in is_valid_port_num(n) {
                out.push(FieldError::invalid("/spec/healthCheckNodePort", &Value::from(n), msg).finding(ID).label("not a port"));
            }
        }
    }
    let ranges = items(v, "/spec/loadBalancerSourceRanges");
    if !ranges.is_empty() {
        if !lb {
            out.push(
                FieldError::forbidden("/spec/loadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'")
                    .path("spec.LoadBalancerSourceRanges")
                    .finding(ID)
                    .label(format!("not for a {ty} Service"))
                    .help("remove `loadBalancerSourceRanges`, or make the Service a LoadBalancer; restrict other traffic with a NetworkPolicy"),
            );
        }
        for (i, r) in ranges.iter().enumerate() {
            let Some(r) = r.as_str() else { continue };
            for msg in validate_cidr_for_legacy_field(r.trim(), false) {
                out.push(
                    FieldError::invalid(format!("/spec/loadBalancerSourceRanges/{i}"), &Value::from(r.trim()), msg)
                        .path(format!("spec.LoadBalancerSourceRanges[{i}]"))
                        .finding(ID)
                        .label("not a CIDR")
                        .help("give an address range such as `203.0.113.0/24` (a single address is `/32`)"),
                );
            }
        }
    } else if let Some(a) = v
        .at_pointer("/metadata/annotations")
        .and_then(|m| m.get(SOURCE_RANGES_ANNOTATION))
        .and_then(Value::as_str)
    {
        let at = push("/metadata/annotations", SOURCE_RANGES_ANNOTATION);
        let path = format!("metadata.annotations[{SOURCE_RANGES_ANNOTATION}]");
        if !lb {
            out.push(
                FieldError::forbidden(&at, "may only be used when `type` is 'LoadBalancer'")
                    .path(&path)
                    .finding(ID)
                    .label(format!("not for a {ty} Service"))
                    .help("remove the annotation, or make the Service a LoadBalancer"),
            );
        }
        let a = a.trim();
        if !a.is_empty() {
            for r in a.split(',').map(str::trim) {
                for msg in validate_cidr_for_legacy_field(r, false) {
                    out.push(
                        FieldError::invalid(&at, &Value::from(r), msg)
                            .path(&path)
                            .finding(ID)
                            .label("not a list of CIDRs")
                            .help("give comma-separated address ranges such as `203.0.113.0/24,198.51.100.0/24`"),
                    );
                }
            }
        }
    }
    if !lb && v.at_pointer("/spec/allocateLoadBalancerNodePorts").is_some_and(|x| !x.is_null()) {
        out.push(
            FieldError::forbidden("/spec/allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'")
                .finding(ID)
                .label(format!("not for a {ty} Service"))
                .help("remove `allocateLoadBalancerNodePorts`"),
        );
    }
    if let Some(c) = str_at(v, "/spec/loadBalancerClass") {
        if lb {
            for msg in is_qualified_name(c) {
                out.push(
                    FieldError::invalid("/spec/loadBalancerClass", &Value::from(c), msg)
                        .finding(ID)
                        .label("not a class name")
                        .help("use a domain-prefixed name such as `example.com/internal-lb`"),
                );
            }
        } else {
            out.push(
                FieldError::forbidden("/spec/loadBalancerClass", "may only be used when `type` is 'LoadBalancer'")
                    .finding(ID)
                    .label(format!("not for a {ty} Service"))
                    .help("remove `loadBalancerClass`, or make the Service a LoadBalancer"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(spec: &str) -> Vec<String> {
        let text = format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n{spec}\n");
        crate::rules::api_fields::run(&InvalidService, &text, 37)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const PORT: &str = "  ports: [{port: 80}]\n";

    #[test]
    fn types_and_cluster_ips() {
        assert!(messages(PORT).is_empty());
        assert!(messages("  clusterIP: None").is_empty());
        assert!(messages("  type: ExternalName\n  externalName: db.example.com.").is_empty());
        assert!(messages(&format!("{PORT}  type: NodePort\n  externalTrafficPolicy: Local")).is_empty());
        assert!(messages(&format!("{PORT}  externalIPs: [203.0.113.7]\n  externalTrafficPolicy: Local")).is_empty());
        assert_eq!(messages("  selector: {app: a}"), ["spec.ports: Required value"]);
        assert_eq!(
            messages(&format!("{PORT}  type: LoadBalancer\n  clusterIP: None")),
            ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]
        );
        assert_eq!(messages("  type: ExternalName"), ["spec.externalName: Required value"]);
        assert_eq!(
            messages("  type: ExternalName\n  externalName: https://db.example.com").len(),
            1
        );
        assert_eq!(
            messages(&format!("{PORT}  externalTrafficPolicy: Local")),
            ["spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"]
        );
        assert_eq!(
            messages(&format!("{PORT}  clusterIP: 10.0.0.300")),
            ["spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
        );
        assert_eq!(
            messages(&format!("{PORT}  clusterIPs: [10.0.0.10]")),
            ["spec.clusterIPs: Invalid value: must be empty when `clusterIP` is not specified"]
        );
    }

    #[test]
    fn dual_stack() {
        assert!(messages(&format!("{PORT}  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]")).is_empty());
        assert!(messages("  clusterIP: None\n  ipFamilies: [IPv4, IPv6]").is_empty());
        assert_eq!(
            messages(&format!("{PORT}  ipFamilies: [IPv4, IPv6]")),
            ["spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"]
        );
        assert_eq!(
            messages(&format!("{PORT}  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv4]")),
            ["spec.ipFamilies[1]: Duplicate value: \"IPv4\""]
        );
        assert_eq!(
            messages(&format!("{PORT}  ipFamilyPolicy: RequireDualStack\n  clusterIP: 10.0.0.10\n  clusterIPs: [10.0.0.10, 10.0.0.11]")),
            ["spec.clusterIPs: Invalid value: may specify no more than one IP for each IP family"]
        );
        assert_eq!(
            messages(&format!("{PORT}  clusterIP: 10.0.0.10\n  ipFamilies: [IPv6]")),
            ["spec.clusterIPs[0]: Invalid value: \"10.0.0.10\": expected an IPv6 value as indicated by `ipFamilies[0]`"]
        );
    }

    #[test]
    fn ports() {
        assert!(messages("  ports: [{name: http, port: 80, targetPort: http}, {name: https, port: 443, targetPort: 8443}]").is_empty());
        assert!(messages("  ports: [{port: 53, protocol: UDP}, {name: tcp, port: 53}]").len() == 1);
        assert_eq!(
            messages("  ports: [{port: 80}, {name: b, port: 81}]"),
            ["spec.ports[0].name: Required value"]
        );
        assert_eq!(
            messages("  ports: [{name: web, port: 80}, {name: web, port: 80}]"),
            ["spec.ports[1].name: Duplicate value: \"web\"", "spec.ports[1]: Duplicate value"]
        );
        assert_eq!(
            messages("  ports: [{name: Web_Port, port: 0, targetPort: '8080'}]"),
            [
                "spec.ports[0].name: Invalid value: \"Web_Port\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[0].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)"
            ]
        );
        assert_eq!(
            messages("  ports: [{port: 80, nodePort: 30080}]"),
            ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
        );
    }

    #[test]
    fn affinity_and_load_balancers() {
        assert!(messages(&format!("{PORT}  sessionAffinityConfig: {{clientIP: {{timeoutSeconds: 0}}}}")).is_empty());
        assert_eq!(
            messages(&format!("{PORT}  sessionAffinity: ClientIP\n  sessionAffinityConfig: {{clientIP: {{timeoutSeconds: 86401}}}}")),
            ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400"]
        );
        assert_eq!(
            messages(&format!("{PORT}  loadBalancerSourceRanges: [10.0.0.0/8]")),
            ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"]
        );
        assert_eq!(
            messages(&format!("{PORT}  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]")).len(),
            1
        );
        assert!(messages(&format!("{PORT}  type: LoadBalancer\n  loadBalancerSourceRanges: [' 10.0.0.0/8']\n  loadBalancerClass: example.com/lb")).is_empty());
        assert_eq!(messages(&format!("{PORT}  loadBalancerClass: example.com/lb")).len(), 1);
    }
}
