//! `invalid-ingress`: an Ingress or IngressClass the API server refuses (kubernetes
//! `pkg/apis/networking/validation`: `ValidateIngressSpec`, `validateIngressRules`,
//! `validateHTTPIngressPath`, `validateIngressBackend`, `validateIngressTLS`,
//! `ValidateIngressCreate`, `validateIngressClassSpec`).
//!
//! networking.k8s.io/v1 only (v1beta1 was removed in 1.22, and `removed-api-version` says so).
//! A backend Service name is a DNS-1035 label up to 1.35 and a DNS-1123 label from 1.36, as
//! Service names are.

use crate::model::Object;
use super::api_fields::{str_at, FieldError};
use super::{Context, Finding, Rule, RuleId, Target};
use crate::k8s::names::{
    is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_path_segment_name,
    is_valid_port_name, is_valid_port_num, is_wildcard_dns1123_subdomain,
};
use crate::k8s::net::parse_ip_sloppy;
use crate::pointer::{push, Below};
use crate::model::view::items_of;
use crate::model::{JsonRef, JsonView};
use serde_json::Value;

declare_rule! {
    pub struct InvalidIngress {
        id: "invalid-ingress",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("networking.k8s.io", "Ingress"), ("networking.k8s.io", "IngressClass")),
    }
}

const ID: RuleId = InvalidIngress::ID;

/// First minor version whose Service names (and so backend names) may start with a digit.
const RELAXED_SERVICE_NAMES: u32 = 36;
const INVALID_PATH_SEQUENCES: [&str; 5] = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES: [&str; 2] = ["/..", "/."];
const MAX_CONTROLLER_LENGTH: usize = 250;

impl Rule for InvalidIngress {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if cx.object.group_version() != Some(("networking.k8s.io", "v1")) {
            return;
        }
        // Read from the tree where it reads as the value: nothing is built.
        let v = cx.object;
        match cx.object.kind() {
            "Ingress" => ingress(v, cx.options.minor, out),
            "IngressClass" => ingress_class(v, out),
            _ => {}
        }
    }
}

fn ingress(v: &Object, minor: u32, out: &mut Vec<Finding>) {
    let rules: Vec<JsonRef> = items_of(v.view("/spec/rules")).collect();
    let default_backend = v.view("/spec/defaultBackend").filter(|b| !b.is_null());
    if rules.is_empty() && default_backend.is_none() {
        out.push(
            FieldError::invalid(if v.view("/spec/rules").is_some() { "/spec/rules" } else { "/spec" }, &Value::Null, "either `defaultBackend` or `rules` must be specified")
                .path("spec")
                .finding(ID)
                .at(Target::Key)
                .label("routes nothing")
                .help("add `rules` (hosts and paths) or a `defaultBackend`"),
        );
    }
    if let Some(b) = default_backend.filter(|b| b.is_map()) {
        backend(b, &Below::At("/spec/defaultBackend"), minor, out);
    }
    let rules_at = Below::At("/spec/rules");
    for (i, rule) in rules.iter().enumerate() {
        let base = rules_at.index(i);
        if let Some(host) = rule.get("host").and_then(JsonView::as_str).filter(|h| !h.is_empty()) {
            host_findings(host, &base.key("host").build(), out);
        }
        let Some(http) = rule.get("http").filter(|h| !h.is_null()) else {
            continue;
        };
        let http_at = base.key("http");
        let paths_at = http_at.key("paths");
        let paths = http.get("paths").and_then(JsonView::items).map(Iterator::collect::<Vec<_>>);
        if paths.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                FieldError::required(paths_at.build(), "")
                    .finding(ID)
                    .at(Target::Value)
                    .label("no paths")
                    .help("add a path (`path: /`, `pathType: Prefix`, and its backend), or remove `http`"),
            );
        }
        for (j, p) in paths.into_iter().flatten().enumerate() {
            if p.is_map() {
                http_path(p, &paths_at.index(j), minor, out);
            }
        }
    }
    for (i, tls) in items_of(v.view("/spec/tls")).enumerate() {
        let base = format!("/spec/tls/{i}");
        for (j, h) in items_of(tls.get("hosts")).enumerate() {
            let Some(h) = h.as_str() else { continue };
            let msgs = if h.contains('*') {
                is_wildcard_dns1123_subdomain(h)
            } else {
                is_dns1123_subdomain(h)
            };
            for msg in msgs {
                out.push(
                    FieldError::invalid(format!("{base}/hosts/{j}"), &Value::from(h), msg)
                        .finding(ID)
                        .label("not a host name")
                        .help("list DNS names as the certificate covers them (`example.com`, `*.example.com`), without scheme, port or path"),
                );
            }
        }
        if let Some(s) = tls.get("secretName").and_then(JsonView::as_str).filter(|s| !s.is_empty()) {
            for msg in is_dns1123_subdomain(s) {
                out.push(
                    FieldError::invalid(push(&base, "secretName"), &Value::from(s), msg)
                        .finding(ID)
                        .label("not a Secret name")
                        .help("name the Secret of type kubernetes.io/tls in the Ingress's namespace"),
                );
            }
        }
    }
    let class = str_at(v, "/spec/ingressClassName");
    if let Some(c) = class {
        for msg in is_dns1123_subdomain(c) {
            out.push(
                FieldError::invalid("/spec/ingressClassName", &Value::from(c), msg)
                    .finding(ID)
                    .label("not an IngressClass name")
                    .help("name an IngressClass (`kubectl get ingressclass`)"),
            );
        }
    }
    let annotation = "kubernetes.io/ingress.class";
    if let (Some(a), Some(c)) = (
        v.view("/metadata/annotations").and_then(|m| m.get(annotation)).and_then(JsonView::as_str),
        class,
    ) {
        if a != c {
            out.push(
                FieldError::invalid(push("/metadata/annotations", annotation), &Value::from(a), "must match `ingressClassName` when both are specified")
                    .path(format!("annotations.{annotation}"))
                    .finding(ID)
                    .label(format!("not {c}"))
                    .related("/spec/ingressClassName", Target::Entry, "ingressClassName")
                    .help(format!("remove the deprecated `{annotation}` annotation and keep `ingressClassName`")),
            );
        }
    }
}

/// A rule's host: a DNS name (or `*.` wildcard), not an IP address.
fn host_findings(host: &str, at: &str, out: &mut Vec<Finding>) {
    let value = Value::from(host);
    if parse_ip_sloppy(host).is_some() {
        // The API server may also say the address is no DNS name; one finding says it all.
        out.push(
            FieldError::invalid(at, &value, "must be a DNS name, not an IP address")
                .finding(ID)
                .label("an IP address")
                .help("leave `host` out to match requests for any host (including the IP address), or give a DNS name"),
        );
        return;
    }
    let msgs = if host.contains('*') {
        is_wildcard_dns1123_subdomain(host)
    } else {
        is_dns1123_subdomain(host)
    };
    for msg in msgs {
        out.push(
            FieldError::invalid(at, &value, msg)
                .finding(ID)
                .label("not a host name")
                .help(if host.contains("://") || host.contains(':') || host.contains('/') {
                    "give the host name alone, without scheme, port or path (`example.com`)"
                } else if host.contains('*') {
                    "a wildcard may only be the whole first label: `*.example.com`"
                } else {
                    "use a lowercase DNS name such as `app.example.com`"
                }),
        );
    }
}

fn http_path(p: JsonRef, base: &Below, minor: u32, out: &mut Vec<Finding>) {
    let path = p.get("path").and_then(JsonView::as_str).unwrap_or("");
    let path_at = base.key("path");
    match p.get("pathType").filter(|t| !t.is_null()) {
        None => {
            let at = base.key("pathType").build();
            out.push(
                FieldError::required(&at, "pathType must be specified")
                    .finding(ID)
                    .label("pathType missing")
                    .replaces_schema_at(&at)
                    .help("add `pathType: Prefix` (match the path and everything under it), `Exact`, or `ImplementationSpecific` (the controller decides)"),
            );
            // The API server stops here for this path.
            return;
        }
        Some(t) => match t.as_str() {
            Some("Exact" | "Prefix") => {
                let mut bad = Vec::new();
                if !path.starts_with('/') {
                    bad.push(("must be an absolute path".to_string(), "start the path with `/`".to_string()));
                }
                // Every invalid sequence holds `//`, `/.` or `%`: most paths hold none.
                let suspect = path.as_bytes().windows(2).any(|w| w == b"//" || w == b"/.")
                    || path.contains('%');
                if suspect {
                    for seq in INVALID_PATH_SEQUENCES {
                        if path.contains(seq) {
                            bad.push((format!("must not contain '{seq}'"), format!("remove `{seq}` from the path")));
                        }
                    }
                    for suffix in INVALID_PATH_SUFFIXES {
                        if path.ends_with(suffix) {
                            bad.push((format!("cannot end with '{suffix}'"), format!("remove the trailing `{suffix}`")));
                        }
                    }
                }
                let regex_like = path.bytes().any(|b| b"([*$^+?|\\".contains(&b));
                for (msg, help) in bad {
                    let help = if regex_like {
                        format!("{help}; a regular expression needs `pathType: ImplementationSpecific` (and a controller that reads it)")
                    } else {
                        help
                    };
                    out.push(
                        FieldError::invalid(path_at.build(), &Value::from(path), msg)
                            .finding(ID)
                            .label("not a valid path for this pathType")
                            .help(help),
                    );
                }
            }
            Some("ImplementationSpecific") if !path.is_empty() && !path.starts_with('/') => {
                out.push(
                    FieldError::invalid(path_at.build(), &Value::from(path), "must be an absolute path")
                        .finding(ID)
                        .label("not an absolute path")
                        .help("start the path with `/`"),
                );
            }
            // Any other ImplementationSpecific path is the controller's to judge; an unknown
            // path type is the schema's finding.
            _ => {}
        },
    }
    if let Some(b) = p.get("backend").filter(|b| b.is_map()) {
        backend(b, &base.key("backend"), minor, out);
    }
}

/// `validateIngressBackend`.
fn backend(b: JsonRef, base: &Below, minor: u32, out: &mut Vec<Finding>) {
    let service = b.get("service").filter(|s| !s.is_null());
    let resource = b.get("resource").filter(|r| !r.is_null());
    let empty = Value::from("");
    match (service, resource) {
        (Some(_), Some(_)) => {
            out.push(
                FieldError::invalid(base.build(), &empty, "cannot set both resource and service backends")
                    .finding(ID)
                    .at(Target::Key)
                    .label("service and resource together")
                    .help("keep one: `service` (name and port) or `resource` (a custom backend)"),
            );
        }
        (None, None) => {
            let base = base.build();
            let f = FieldError::invalid(&base, &empty, "resource or service backend is required")
                .finding(ID)
                .at(Target::Key)
                .label("no backend");
            out.push(if b.get("serviceName").is_some() || b.get("servicePort").is_some() {
                // The v1beta1 form: one finding instead of the schema's unknown fields.
                f.replaces_schema_at(&base)
                    .help("networking.k8s.io/v1 nests the Service: `service: {name: NAME, port: {number: 80}}` instead of serviceName/servicePort")
            } else {
                f.help("add `service: {name: NAME, port: {number: 80}}`")
            });
        }
        (None, Some(r)) => {
            if r.is_map() {
                typed_reference(r, &base.key("resource"), out);
            }
        }
        (Some(s), None) => {
            if !s.is_map() {
                return;
            }
            let sb = base.key("service");
            match s.get("name").and_then(JsonView::as_str) {
                Some("") => out.push(
                    FieldError::required(sb.key("name").build(), "")
                        .finding(ID)
                        .at(Target::Value)
                        .help("name the Service to send the traffic to"),
                ),
                Some(n) => {
                    let msgs = if minor >= RELAXED_SERVICE_NAMES {
                        is_dns1123_label(n)
                    } else {
                        is_dns1035_label(n)
                    };
                    for msg in msgs {
                        out.push(
                            FieldError::invalid(sb.key("name").build(), &Value::from(n), msg)
                                .finding(ID)
                                .label("not a Service name")
                                .help("name a Service in the Ingress's namespace (no namespace prefix, no port)"),
                        );
                    }
                }
                None => {}
            }
            let port_at = sb.key("port");
            let port = s.get("port").filter(|p| p.is_map());
            let name = port.and_then(|p| p.get("name")).and_then(JsonView::as_str).filter(|n| !n.is_empty());
            let number = port.and_then(|p| p.get("number")).and_then(JsonView::as_i64).filter(|n| *n != 0);
            match (name, number) {
                (Some(_), Some(_)) => out.push(
                    FieldError::invalid(base.build(), &empty, "cannot set both port name & port number")
                        .finding(ID)
                        .at(Target::Key)
                        .label("port name and number together")
                        .related(port_at.build(), Target::Key, "the port")
                        .help("keep one of `port.name` and `port.number`"),
                ),
                (Some(n), None) => {
                    for msg in is_valid_port_name(n) {
                        out.push(
                            FieldError::invalid(port_at.key("name").build(), &Value::from(n), msg)
                                .finding(ID)
                                .label("not a port name")
                                .help("give the name of a port of the Service, or its number under `port.number`"),
                        );
                    }
                }
                (None, Some(n)) => {
                    for msg in is_valid_port_num(n) {
                        out.push(
                            FieldError::invalid(port_at.key("number").build(), &Value::from(n), msg)
                                .finding(ID)
                                .label("not a port number")
                                .help("give the Service's port (1-65535)"),
                        );
                    }
                }
                (None, None) => out.push(
                    FieldError::required(base.build(), "port name or number is required")
                        .finding(ID)
                        .label("no port")
                        .help("add `port: {number: 80}` (or `port: {name: http}`) under `service`"),
                ),
            }
        }
    }
}

/// `validateIngressTypedLocalObjectReference`.
fn typed_reference(r: JsonRef, base: &Below, out: &mut Vec<Finding>) {
    if let Some(g) = r.get("apiGroup").and_then(JsonView::as_str) {
        for msg in is_dns1123_subdomain(g) {
            out.push(
                FieldError::invalid(base.key("apiGroup").build(), &Value::from(g), msg)
                    .finding(ID)
                    .label("not an API group")
                    .help("give the API group alone (`example.com`), without a version"),
            );
        }
    }
    for field in ["kind", "name"] {
        match r.get(field).and_then(JsonView::as_str) {
            Some("") => out.push(
                FieldError::required(base.key(field).build(), format!("{field} is required"))
                    .finding(ID)
                    .at(Target::Value),
            ),
            Some(s) => {
                for msg in is_path_segment_name(s) {
                    out.push(
                        FieldError::invalid(base.key(field).build(), &Value::from(s), msg)
                            .finding(ID)
                            .label(format!("not a valid {field}")),
                    );
                }
            }
            None => {}
        }
    }
}

fn ingress_class(v: &Object, out: &mut Vec<Finding>) {
    if let Some(c) = str_at(v, "/spec/controller") {
        let at = "/spec/controller";
        if c.len() > MAX_CONTROLLER_LENGTH {
            out.push(
                Finding::new(ID, at, format!("spec.controller: Too long: may not be more than {MAX_CONTROLLER_LENGTH} bytes"))
                    .label("too long"),
            );
        }
        let domain_path = "give the controller as a domain-prefixed path, such as `k8s.io/ingress-nginx` or `example.com/ingress-controller`";
        match c.split_once('/') {
            _ if c.is_empty() => out.push(
                FieldError::required(at, "")
                    .finding(ID)
                    .at(Target::Value)
                    .help(domain_path),
            ),
            Some((host, path)) if !host.is_empty() && !path.is_empty() => {
                for msg in is_dns1123_subdomain(host) {
                    out.push(FieldError::invalid(at, &Value::from(host), msg).finding(ID).label("not a domain").help(domain_path));
                }
                let ok = path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
                if !ok {
                    out.push(
                        FieldError::invalid(at, &Value::from(path), "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')")
                            .finding(ID)
                            .label("not a path")
                            .help(domain_path),
                    );
                }
            }
            _ => out.push(
                FieldError::invalid(at, &Value::from(c), "must be a domain-prefixed path (such as \"acme.io/foo\")")
                    .finding(ID)
                    .label("no domain prefix")
                    .help(domain_path),
            ),
        }
    }
    let base = "/spec/parameters";
    let Some(p) = v.view(base).filter(|p| p.is_map()) else {
        return;
    };
    typed_reference(p, &Below::At(base), out);
    let scope = p.get("scope").and_then(JsonView::as_str);
    let namespace = p.get("namespace").filter(|n| !n.is_null());
    match scope {
        Some("Namespace") => match namespace.and_then(JsonView::as_str) {
            None => out.push(
                FieldError::required(push(base, "namespace"), "`parameters.scope` is set to 'Namespace'")
                    .finding(ID)
                    .label("namespace missing")
                    .help("give the namespace of the parameters object"),
            ),
            Some(ns) => {
                for msg in is_dns1123_label(ns) {
                    out.push(
                        FieldError::invalid(push(base, "namespace"), &Value::from(ns), msg)
                            .finding(ID)
                            .label("not a namespace name"),
                    );
                }
            }
        },
        Some("Cluster") | None if namespace.is_some() => out.push(
            FieldError::forbidden(push(base, "namespace"), "`parameters.scope` is set to 'Cluster'")
                .finding(ID)
                .label("namespace on a cluster-scoped reference")
                .help("remove `namespace`, or set `scope: Namespace`"),
        ),
        Some(s) if !matches!(s, "Cluster" | "Namespace") => out.push(
            FieldError::not_supported(push(base, "scope"), &Value::from(s), &["Cluster", "Namespace"])
                .finding(ID)
                .label("not a scope")
                .help("use Cluster or Namespace"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(kind: &str, spec: &str, minor: u32) -> Vec<String> {
        let text = format!("apiVersion: networking.k8s.io/v1\nkind: {kind}\nmetadata: {{name: i}}\nspec:\n{spec}\n");
        crate::rules::api_fields::run(&InvalidIngress, &text, minor)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    fn rule(path: &str) -> Vec<String> {
        messages("Ingress", &format!("  rules:\n  - host: app.example.com\n    http:\n      paths:\n      - {path}"), 37)
    }

    #[test]
    fn paths_and_path_types() {
        let svc = "backend: {service: {name: web, port: {number: 80}}}";
        assert!(rule(&format!("{{path: /, pathType: Prefix, {svc}}}")).is_empty());
        assert!(rule(&format!("{{path: /api/v1, pathType: Exact, {svc}}}")).is_empty());
        assert!(rule(&format!("{{pathType: ImplementationSpecific, {svc}}}")).is_empty());
        assert!(rule(&format!("{{path: '/api(/|$)(.*)', pathType: ImplementationSpecific, {svc}}}")).is_empty());
        assert_eq!(
            rule(&format!("{{path: /, {svc}}}")),
            ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]
        );
        assert_eq!(
            rule(&format!("{{path: api, pathType: Prefix, {svc}}}")),
            ["spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"]
        );
        assert_eq!(
            rule(&format!("{{pathType: Exact, {svc}}}")),
            ["spec.rules[0].http.paths[0].path: Invalid value: \"\": must be an absolute path"]
        );
        assert_eq!(
            rule(&format!("{{path: '/a//b/.', pathType: Prefix, {svc}}}")),
            [
                "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": must not contain '//'",
                "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": cannot end with '/.'"
            ]
        );
    }

    #[test]
    fn backends() {
        let p = |b: &str| rule(&format!("{{path: /, pathType: Prefix, backend: {b}}}"));
        assert!(p("{resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}}").is_empty());
        assert!(p("{service: {name: web, port: {name: http}}}").is_empty());
        assert_eq!(p("{}"), ["spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required"]);
        assert_eq!(
            p("{service: {name: web, port: {number: 80}}, resource: {kind: K, name: n}}"),
            ["spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both resource and service backends"]
        );
        assert_eq!(
            p("{service: {name: web, port: {name: http, number: 80}}}"),
            ["spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number"]
        );
        assert_eq!(
            p("{service: {name: web}}"),
            ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]
        );
        assert_eq!(p("{service: {name: web, port: {number: 70000}}}").len(), 1);
        assert_eq!(p("{service: {name: Web, port: {number: 80}}}").len(), 1);
        let digit = "  defaultBackend: {service: {name: 1web, port: {number: 80}}}";
        assert!(messages("Ingress", digit, 36).is_empty());
        assert_eq!(messages("Ingress", digit, 35).len(), 1);
    }

    #[test]
    fn hosts_and_tls() {
        let h = |host: &str| {
            messages("Ingress", &format!("  rules:\n  - host: '{host}'\n    http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: w, port: {{number: 80}}}}}}}}]}}"), 37)
        };
        assert!(h("*.example.com").is_empty());
        assert!(h("a.b-c.example").is_empty());
        assert_eq!(h("10.0.0.1"), ["spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"]);
        assert_eq!(h("https://example.com").len(), 1);
        assert_eq!(h("foo.*.example.com").len(), 1);
        assert_eq!(h("Example.com").len(), 1);
        assert_eq!(
            messages("Ingress", "  defaultBackend: {service: {name: w, port: {number: 80}}}\n  tls: [{hosts: ['*.Example.com'], secretName: My_Cert}]", 37).len(),
            2
        );
        assert_eq!(messages("Ingress", "  rules: []", 37), ["spec: Invalid value: either `defaultBackend` or `rules` must be specified"]);
    }

    #[test]
    fn ingress_classes() {
        assert!(messages("IngressClass", "  controller: k8s.io/ingress-nginx", 37).is_empty());
        assert_eq!(
            messages("IngressClass", "  controller: nginx", 37),
            ["spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"]
        );
        assert_eq!(
            messages("IngressClass", "  controller: k8s.io/nginx\n  parameters: {kind: K, name: n, scope: Namespace}", 37),
            ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]
        );
        assert_eq!(
            messages("IngressClass", "  controller: k8s.io/nginx\n  parameters: {kind: K, name: n, namespace: x}", 37).len(),
            1
        );
    }
}
