//! The Pod Security Standards as the Pod Security admission controller evaluates them: a pure
//! policy engine over kubevet's typed pod view.
//!
//! [`evaluate`] runs every [`Control`] that applies at a [`Level`] and policy [`Version`] on one
//! pod (or pod template) and returns a [`Violation`] per control that forbids it, in the
//! controller's order and words, with the object-relative JSON pointer of each offending value.
//! Each control lives in its own file under [`checks`], with every versioned variant the
//! controller has (policy versions 1.0 to the newest; `latest` and newer versions evaluate as
//! the newest, [`policy::NEWEST_MINOR`]). [`policy`] reads levels, versions and the
//! `pod-security.kubernetes.io/*` namespace labels.
//!
//! The controller evaluates pods after API defaulting; the one default that changes a verdict
//! is applied here too: a volume with no source is an `emptyDir`. The `hostPort` that the API
//! server fills in from `containerPort` under `hostNetwork: true` is not, since
//! `hostNamespaces` already reports its cause.

pub mod checks;
pub mod control;
pub mod policy;

#[cfg(test)]
mod conformance;
#[cfg(test)]
mod tests;

pub use control::Control;
pub use policy::{Level, LevelVersion, Policy, Version};

use crate::model::{Object, PodView};
use checks::Subject;

/// One control that forbids the pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub control: Control,
    /// The controller's short reason (`privileged`, `host namespaces`, ...).
    pub reason: &'static str,
    /// The controller's detail (`container "x" must not set securityContext.privileged=true`);
    /// may be empty.
    pub detail: String,
    /// Each offending value, in the order the controller meets them.
    pub sites: Vec<Site>,
}

/// Where one offending value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Object-relative JSON pointer of the offending value; for a value that is missing (no
    /// `runAsNonRoot: true`, no `drop: [ALL]`), of the deepest existing key that should hold
    /// it (the container's `securityContext`, or the container).
    pub pointer: String,
    /// The offending value as text (`true`, `NET_RAW`, `8080`, `Unconfined`); `None` when the
    /// value is missing.
    pub value: Option<String>,
}

impl Site {
    pub(crate) fn new(pointer: String, value: impl Into<String>) -> Site {
        Site {
            pointer,
            value: Some(value.into()),
        }
    }

    pub(crate) fn missing(pointer: String) -> Site {
        Site {
            pointer,
            value: None,
        }
    }
}

impl Violation {
    /// The controller's message for this control: `reason (detail)`, or the reason alone.
    pub fn message(&self) -> String {
        if self.detail.is_empty() {
            self.reason.to_string()
        } else {
            format!("{} ({})", self.reason, self.detail)
        }
    }
}

/// The controller's whole message for a pod it rejects at `policy`:
/// `violates PodSecurity "baseline:latest": privileged (...), host namespaces (...)`.
pub fn forbidden_message(policy: LevelVersion, violations: &[Violation]) -> String {
    let parts: Vec<String> = violations.iter().map(Violation::message).collect();
    format!("violates PodSecurity \"{policy}\": {}", parts.join(", "))
}

/// Evaluate the pod (or pod template) `pod` of `object` at `level` and `version`: one
/// [`Violation`] per control that forbids it, in the controller's order. Empty when the pod is
/// allowed, and always at [`Level::Privileged`].
pub fn evaluate(object: &Object, pod: &PodView, level: Level, version: Version) -> Vec<Violation> {
    let subject = Subject::new(object, pod);
    let minor = version.effective_minor();
    Control::active(level, version)
        .filter_map(|control| checks::run(control, &subject, minor))
        .collect()
}
