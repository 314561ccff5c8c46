//! `invalid-port`: container ports, host ports and the ports of probes and lifecycle hooks that
//! the API server rejects (or, for ports declared twice, warns about).
//!
//! Ported from kubernetes `validateContainerPorts`, `AccumulateUniqueHostPorts`,
//! `validatePodHostNetworkDeps` and `ValidatePortNumOrName` (pkg/apis/core/validation), and
//! from the port warnings of `GetWarningsForPod` (pkg/api/pod/warnings.go). Service ports are
//! `invalid-service`'s.

use super::handlers::{self, Handler};
use super::written;
use super::{Context, Finding, Rule, Severity, Target};
use crate::k8s::names::{is_valid_port_name, is_valid_port_num};
use crate::model::{ContainerRef, ContainerRole, PodView};
use crate::model::{JsonRef, JsonView};
use crate::pointer;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::HashMap;

declare_rule! {
    pub struct InvalidPort {
        id: "invalid-port",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

const PORT_NAME_HELP: &str = "name the port with at most 15 characters: lowercase letters, digits and '-', at least one letter, no '--' and no '-' at either end (e.g. `http`, `metrics`)";
const PORT_NUM_HELP: &str = "use a port number from 1 to 65535";

/// One declared container port, as the checks across containers see it.
struct Declared<'a> {
    /// Its index in the container's `ports` as written.
    index: usize,
    /// The container's name and pointer, and the list it stands in.
    container: &'a str,
    container_at: &'a str,
    role: ContainerRole,
    container_port: i32,
    protocol: &'a str,
    host_ip: &'a str,
    host_port: i32,
}

impl Rule for InvalidPort {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let mut declared = Vec::new();
        for c in &pod.containers {
            container_ports(cx, pod, c, &mut declared, out);
            for h in handlers::of(c) {
                handler_ports(cx, &h, out);
            }
        }
        if pod.spec.host_network == Some(true) {
            host_network_ports(&declared, out);
        }
        let conflicts = host_port_conflicts(&declared, out);
        duplicate_ports(&declared, &conflicts, out);
    }
}

impl Declared<'_> {
    /// The port's pointer (written only for a finding).
    fn pointer(&self) -> String {
        pointer::push_index(&pointer::push(self.container_at, "ports"), self.index)
    }
}

/// Names, numbers and host ports of one container's `ports`.
fn container_ports<'a>(
    cx: &Context,
    pod: &PodView,
    c: &'a ContainerRef,
    declared: &mut Vec<Declared<'a>>,
    out: &mut Vec<Finding>,
) {
    let Some(ports) = c.container.ports.as_ref().filter(|p| !p.is_empty()) else {
        return;
    };
    let mut names: HashMap<&str, usize> = HashMap::new();
    let list = c.field("ports");
    let written_ports: Option<Vec<JsonRef>> = cx
        .object
        .view(&list)
        .and_then(JsonView::items)
        .map(Iterator::collect);
    for (i, p) in ports.iter().enumerate() {
        let index = pod.original_index(&list, i);
        let at = || pointer::push_index(&list, index);
        // What the port's mapping writes, read once for its fields.
        let item = written_ports.as_ref().and_then(|w| w.get(index)).copied();
        let field = |k: &str| item.and_then(|m| m.get(k));
        // A name that is not a string (`name: 8080`) is the schema's finding.
        let name_written = field("name").is_some_and(|n| n.as_str().is_some());
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty() && name_written) {
            let errs = is_valid_port_name(name);
            if !errs.is_empty() {
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        format!("{}/name", at()),
                        format!(
                            "port name {name:?} is not an IANA service name: {}",
                            errs.join("; ")
                        ),
                    )
                    .label("invalid port name")
                    .help(PORT_NAME_HELP),
                );
            } else if let Some(first) = names.get(name) {
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        format!("{}/name", at()),
                        format!("port name {name:?} is used twice in this container: Duplicate value: {name:?}"),
                    )
                    .label("repeated here")
                    .related(format!("{}/name", pointer::push_index(&list, *first)), Target::Value, "first used here")
                    .help("give each port of a container its own name"),
                );
            } else {
                names.insert(name, index);
            }
        }
        // A missing or mistyped containerPort is the schema's finding.
        let port_written = field("containerPort").is_some_and(JsonView::is_integer);
        if port_written && p.container_port == 0 {
            out.push(
                Finding::new(
                    InvalidPort::ID,
                    format!("{}/containerPort", at()),
                    "containerPort: Required value (0 is not a port)",
                )
                .label("no port")
                .help(PORT_NUM_HELP),
            );
        } else if let Some(msg) = is_valid_port_num(p.container_port.into())
            .first()
            .filter(|_| port_written)
        {
            out.push(
                Finding::new(
                    InvalidPort::ID,
                    format!("{}/containerPort", at()),
                    format!("containerPort {}: {msg}", p.container_port),
                )
                .label("out of range")
                .help(PORT_NUM_HELP),
            );
        }
        let host_port = p.host_port.unwrap_or(0);
        if host_port != 0 {
            if let Some(msg) = is_valid_port_num(host_port.into()).first() {
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        format!("{}/hostPort", at()),
                        format!("hostPort {host_port}: {msg}"),
                    )
                    .label("out of range")
                    .help("use a port number from 1 to 65535, or leave `hostPort` out"),
                );
            }
        }
        let host_ip = p.host_ip.as_deref().unwrap_or("");
        if !host_ip.is_empty() && host_port == 0 {
            out.push(
                Finding::new(
                    InvalidPort::ID,
                    format!("{}/hostIP", at()),
                    "hostIP set without hostPort: the API server accepts it with a warning and ignores it",
                )
                .severity(Severity::Warning)
                .label("no hostPort to bind")
                .help("set `hostPort` too, or remove `hostIP`"),
            );
        }
        if !port_written {
            continue;
        }
        declared.push(Declared {
            index,
            container: c.name(),
            container_at: &c.pointer,
            role: c.role,
            container_port: p.container_port,
            protocol: p.protocol.as_deref().filter(|s| !s.is_empty()).unwrap_or("TCP"),
            host_ip,
            host_port,
        });
    }
}

/// With `hostNetwork: true` the container binds the node's port itself: a main container's
/// `hostPort`, when set, must equal its `containerPort`.
fn host_network_ports(declared: &[Declared], out: &mut Vec<Finding>) {
    for d in declared {
        if d.role == ContainerRole::Main && d.host_port != 0 && d.host_port != d.container_port {
            out.push(
                Finding::new(
                    InvalidPort::ID,
                    format!("{}/hostPort", d.pointer()),
                    format!(
                        "hostPort {} differs from containerPort {}: must match `containerPort` when `hostNetwork` is true",
                        d.host_port, d.container_port
                    ),
                )
                .label("not the containerPort")
                .related(format!("{}/containerPort", d.pointer()), Target::Value, "containerPort")
                .help(format!("set `hostPort: {}` or leave it out: the pod uses the node's network", d.container_port)),
            );
        }
    }
}

/// Two ports that bind the same host port (protocol, host IP and port): the main containers
/// run together, so they are checked together; init containers run one at a time, so each is
/// checked alone. Returns the indices (into `declared`) of the ports reported.
fn host_port_conflicts(declared: &[Declared], out: &mut Vec<Finding>) -> Vec<usize> {
    let mut reported = Vec::new();
    let mut main: HashMap<(&str, &str, i32), usize> = HashMap::new();
    let mut init: HashMap<(&str, &str, &str, i32), usize> = HashMap::new();
    for (i, d) in declared.iter().enumerate() {
        if d.host_port == 0 {
            continue;
        }
        let first = match d.role {
            ContainerRole::Main => *main.entry((d.protocol, d.host_ip, d.host_port)).or_insert(i),
            ContainerRole::Init => *init
                .entry((d.container_at, d.protocol, d.host_ip, d.host_port))
                .or_insert(i),
            ContainerRole::Ephemeral => continue,
        };
        if first == i {
            continue;
        }
        let f = &declared[first];
        let value = format!("{}/{}/{}", d.protocol, d.host_ip, d.host_port);
        let whose = if f.container_at == d.container_at {
            "another port of this container".to_string()
        } else {
            format!("container {:?}", f.container)
        };
        out.push(
            Finding::new(
                InvalidPort::ID,
                format!("{}/hostPort", d.pointer()),
                format!(
                    "hostPort {} ({}) is already bound by {whose}: Duplicate value: {value:?}",
                    d.host_port, d.protocol
                ),
            )
            .label("host port bound twice")
            .related(format!("{}/hostPort", f.pointer()), Target::Value, "first bound here")
            .help("give each container its own host port, or drop the hostPort the pod does not need"),
        );
        reported.push(i);
    }
    reported
}

/// The API server's warnings about one (containerPort, protocol) declared twice across the
/// containers of a pod. A port already reported as a host port conflict is not repeated.
fn duplicate_ports(declared: &[Declared], skip: &[usize], out: &mut Vec<Finding>) {
    let mut seen: HashMap<(i32, &str), Vec<usize>> = HashMap::new();
    for (i, d) in declared.iter().enumerate() {
        let others = seen.entry((d.container_port, d.protocol)).or_default();
        if !skip.contains(&i) {
            let found = others.iter().find_map(|&j| {
                let o = &declared[j];
                let kind = if o.host_ip == d.host_ip && o.host_port == d.host_port {
                    "duplicate"
                } else if o.host_port == 0 || d.host_port == 0 {
                    "overlapping"
                } else if o.host_port == d.host_port
                    && (o.host_ip.is_empty() != d.host_ip.is_empty())
                {
                    "dangerously ambiguous"
                } else {
                    return None;
                };
                Some((o, kind))
            });
            if let Some((o, kind)) = found {
                let whose = if o.container_at == d.container_at {
                    "this container".to_string()
                } else {
                    format!("container {:?}", o.container)
                };
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        format!("{}/containerPort", d.pointer()),
                        format!(
                            "{kind} port definition: {} {} is also declared by {whose}; the API server accepts the pod with a warning",
                            d.container_port, d.protocol
                        ),
                    )
                    .severity(Severity::Warning)
                    .label("declared again")
                    .related(format!("{}/containerPort", o.pointer()), Target::Value, "first declared here")
                    .help("declare each container port once"),
                );
            }
        }
        others.push(i);
    }
}

/// The ports of one probe or lifecycle hook: a number from 1 to 65535, or (for httpGet and
/// tcpSocket) the name of a container port. A port is looked up in the object as written only
/// once it is found wrong (a missing port reads as 0 or "", and is the schema's finding).
fn handler_ports(cx: &Context, h: &Handler, out: &mut Vec<Finding>) {
    let what = if h.kind.is_probe() { "probe" } else { "hook" };
    for (action, port) in [
        ("httpGet", h.http_get.map(|a| &a.port)),
        ("tcpSocket", h.tcp_socket.map(|a| &a.port)),
    ] {
        let Some(port) = port else { continue };
        let written = || {
            let at = format!("{}/port", h.field(action));
            written::is_written(cx, &at).then_some(at)
        };
        match port {
            IntOrString::Int(n) => {
                let Some(msg) = is_valid_port_num((*n).into()).first().cloned() else {
                    continue;
                };
                let Some(at) = written() else { continue };
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        at,
                        format!("{} {action} port {n}: {msg}", h.kind.field()),
                    )
                    .label("out of range")
                    .help(format!("use a port number from 1 to 65535, or the name of a container port, for the {what}")),
                );
            }
            IntOrString::String(s) => {
                let errs = is_valid_port_name(s);
                if errs.is_empty() {
                    continue;
                }
                let Some(at) = written() else { continue };
                let help = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                    format!("write the port number without quotes (`port: {s}`): a quoted number is read as a port name")
                } else {
                    format!("name a container port (an IANA service name), or give the port number, for the {what}")
                };
                out.push(
                    Finding::new(
                        InvalidPort::ID,
                        at,
                        format!(
                            "{} {action} port {s:?} is not a port name: {}",
                            h.kind.field(),
                            errs.join("; ")
                        ),
                    )
                    .label("not a port name")
                    .help(help),
                );
            }
        }
    }
    if let Some(g) = h.grpc {
        let at = || format!("{}/port", h.field("grpc"));
        if let Some(msg) = is_valid_port_num(g.port.into())
            .first()
            .filter(|_| written::is_integer(cx, &at()))
        {
            out.push(
                Finding::new(
                    InvalidPort::ID,
                    at(),
                    format!("{} grpc port {}: {msg}", h.kind.field(), g.port),
                )
                .label("out of range")
                .help("use a port number from 1 to 65535 (a gRPC probe takes a number, not a name)"),
            );
        }
    }
}
