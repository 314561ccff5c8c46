//! The probes and lifecycle hooks of a pod's containers, as the API server validates them: each
//! with its pointer and its actions (`exec`, `httpGet`, `tcpSocket`, `grpc`, `sleep`).
//!
//! The API server validates handlers only where they may stand: on main containers and on
//! restartable init containers (sidecars). A regular init container or an ephemeral container
//! may not have them at all (`init-container-probe` and the schema say so), so they are left
//! out here.

use crate::model::{ContainerRef, ContainerRole};
use k8s_openapi::api::core::v1::{
    ExecAction, GRPCAction, HTTPGetAction, LifecycleHandler, Probe, SleepAction, TCPSocketAction,
};

/// Which probe or hook a handler is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    Liveness,
    Readiness,
    Startup,
    PostStart,
    PreStop,
}

impl HandlerKind {
    /// The field's name as written in a manifest.
    pub fn field(self) -> &'static str {
        match self {
            HandlerKind::Liveness => "livenessProbe",
            HandlerKind::Readiness => "readinessProbe",
            HandlerKind::Startup => "startupProbe",
            HandlerKind::PostStart => "postStart",
            HandlerKind::PreStop => "preStop",
        }
    }

    pub fn is_probe(self) -> bool {
        matches!(
            self,
            HandlerKind::Liveness | HandlerKind::Readiness | HandlerKind::Startup
        )
    }
}

/// One probe or lifecycle hook of a container.
pub struct Handler<'a> {
    pub kind: HandlerKind,
    /// The container that holds it: its pointer is written from the container's, and only
    /// for a finding (most handlers are valid).
    container: &'a ContainerRef,
    /// The probe itself (timings, thresholds); `None` for lifecycle hooks.
    pub probe: Option<&'a Probe>,
    pub exec: Option<&'a ExecAction>,
    pub http_get: Option<&'a HTTPGetAction>,
    pub tcp_socket: Option<&'a TCPSocketAction>,
    pub grpc: Option<&'a GRPCAction>,
    pub sleep: Option<&'a SleepAction>,
}

impl Handler<'_> {
    /// The actions that are set, in the order the API server checks them (the first one is the
    /// handler; any other is reported as one too many).
    pub fn actions(&self) -> Vec<&'static str> {
        [
            ("exec", self.exec.is_some()),
            ("httpGet", self.http_get.is_some()),
            ("tcpSocket", self.tcp_socket.is_some()),
            ("grpc", self.grpc.is_some()),
            ("sleep", self.sleep.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }

    /// Object-relative pointer of the probe or hook.
    pub fn pointer(&self) -> String {
        if self.kind.is_probe() {
            self.container.field(self.kind.field())
        } else {
            crate::pointer::push(&self.container.field("lifecycle"), self.kind.field())
        }
    }

    /// Pointer of a field of this probe or hook.
    pub fn field(&self, name: &str) -> String {
        crate::pointer::push(&self.pointer(), name)
    }
}

/// Whether the API server validates this container's probes and hooks: a main container or a
/// sidecar.
pub fn validated(c: &ContainerRef) -> bool {
    c.role == ContainerRole::Main || c.is_sidecar()
}

fn from_probe<'a>(kind: HandlerKind, container: &'a ContainerRef, p: &'a Probe) -> Handler<'a> {
    Handler {
        kind,
        container,
        probe: Some(p),
        exec: p.exec.as_ref(),
        http_get: p.http_get.as_ref(),
        tcp_socket: p.tcp_socket.as_ref(),
        grpc: p.grpc.as_ref(),
        sleep: None,
    }
}

fn from_hook<'a>(
    kind: HandlerKind,
    container: &'a ContainerRef,
    h: &'a LifecycleHandler,
) -> Handler<'a> {
    Handler {
        kind,
        container,
        probe: None,
        exec: h.exec.as_ref(),
        http_get: h.http_get.as_ref(),
        tcp_socket: h.tcp_socket.as_ref(),
        grpc: None,
        sleep: h.sleep.as_ref(),
    }
}

/// The probes and hooks of a container the API server validates (none for regular init and
/// ephemeral containers).
pub fn of(c: &ContainerRef) -> Vec<Handler<'_>> {
    let mut out = Vec::new();
    if !validated(c) {
        return out;
    }
    let k = &c.container;
    for (kind, probe) in [
        (HandlerKind::Liveness, &k.liveness_probe),
        (HandlerKind::Readiness, &k.readiness_probe),
        (HandlerKind::Startup, &k.startup_probe),
    ] {
        if let Some(p) = probe {
            out.push(from_probe(kind, c, p));
        }
    }
    if let Some(l) = &k.lifecycle {
        for (kind, hook) in [
            (HandlerKind::PostStart, &l.post_start),
            (HandlerKind::PreStop, &l.pre_stop),
        ] {
            if let Some(h) = hook {
                out.push(from_hook(kind, c, h));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{objects_of, PodView};
    use crate::source::yaml::parse_one;

    #[test]
    fn probes_and_hooks_of_main_containers_and_sidecars_only() {
        let root = parse_one(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: once\n    image: busybox\n    livenessProbe: {exec: {command: [true]}}\n  - name: side\n    image: busybox\n    restartPolicy: Always\n    readinessProbe: {tcpSocket: {port: 80}, exec: {command: [x]}}\n  containers:\n  - name: main\n    image: nginx\n    lifecycle:\n      preStop: {sleep: {seconds: 5}}\n",
        )
        .expect("doc");
        let objects = objects_of(0, &root);
        let pod = PodView::of(&objects[0]).expect("pod");
        let all: Vec<(String, Vec<&str>)> = pod
            .containers
            .iter()
            .flat_map(of)
            .map(|h| (h.pointer(), h.actions()))
            .collect();
        assert_eq!(
            all,
            vec![
                (
                    "/spec/initContainers/1/readinessProbe".to_string(),
                    vec!["exec", "tcpSocket"]
                ),
                (
                    "/spec/containers/0/lifecycle/preStop".to_string(),
                    vec!["sleep"]
                ),
            ]
        );
    }
}
