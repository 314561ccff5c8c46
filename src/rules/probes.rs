//! What the two missing-probe rules share: which containers of a pod are expected to carry
//! probes.
//!
//! Probes matter for programs meant to run for as long as the Pod does: the containers of a
//! long-running pod (a controller's pods, or a bare Pod that restarts Always). Containers of
//! Jobs, CronJobs and Pods with restartPolicy Never/OnFailure run to completion; init
//! containers run once before the others; ephemeral containers cannot have probes. A
//! restartable init container (`restartPolicy: Always`, a sidecar) runs beside the main
//! containers for the Pod's whole life, and the kubelet restarts it on a failed liveness probe,
//! so it is expected to have a liveness probe; its readiness is not required (a sidecar such
//! as a log shipper serves no traffic, and a readiness probe on it would only delay the Pod).

use super::{Finding, Target};
use crate::model::{ContainerRef, ContainerRole, PodView};

/// Which probe a rule looks for.
#[derive(Clone, Copy)]
pub enum Probe {
    Liveness,
    Readiness,
}

impl Probe {
    fn field(self) -> &'static str {
        match self {
            Probe::Liveness => "livenessProbe",
            Probe::Readiness => "readinessProbe",
        }
    }

    fn has(self, c: &ContainerRef) -> bool {
        match self {
            Probe::Liveness => c.container.liveness_probe.is_some(),
            Probe::Readiness => c.container.readiness_probe.is_some(),
        }
    }
}

/// Containers of a long-running pod that lack the probe, among those `wants` asks it of.
pub fn check(
    rule: super::RuleId,
    probe: Probe,
    pod: &PodView,
    wants: &dyn Fn(&ContainerRef) -> bool,
    out: &mut Vec<Finding>,
) {
    if !pod.is_long_running() {
        return;
    }
    for c in &pod.containers {
        let wanted = match c.role {
            ContainerRole::Main => true,
            ContainerRole::Init => c.is_sidecar() && matches!(probe, Probe::Liveness),
            ContainerRole::Ephemeral => false,
        };
        if !wanted || probe.has(c) || !wants(c) {
            continue;
        }
        let what = if c.is_sidecar() {
            "sidecar container"
        } else {
            "container"
        };
        let (message, help, label) = match probe {
            Probe::Liveness => (
                format!("{what} `{}` has no {}", c.name(), probe.field()),
                "add a `livenessProbe` (an `httpGet` on a health endpoint, a `tcpSocket`, `grpc` or `exec` check): without one the kubelet restarts the container only when its process exits, so a program that hangs keeps its place on the machine forever".to_string(),
                "no livenessProbe: a hung process is never restarted",
            ),
            Probe::Readiness => (
                format!("{what} `{}` has no {}", c.name(), probe.field()),
                "add a `readinessProbe` that succeeds only when the program can serve: without one the Pod is Ready as soon as its containers start, so Services send it traffic before it can answer, and keep sending during overloads".to_string(),
                "no readinessProbe: traffic arrives as soon as the process starts",
            ),
        };
        let ptr = if c.container.name.is_empty() {
            c.pointer.clone()
        } else {
            c.field("name")
        };
        out.push(
            Finding::new(rule, ptr, message)
                .at(Target::Value)
                .label(label)
                .help(help),
        );
    }
}
