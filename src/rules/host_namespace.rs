//! `host-namespace`: the pod shares the node's network, PID or IPC namespace (the Pod Security
//! Standards `hostNamespaces` control). The verdict is the engine's ([`crate::pss`]), evaluated
//! once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct HostNamespace {
        id: "host-namespace",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `hostNetwork`, `hostPID` and `hostIPC` unless the pod is node infrastructure that needs them (then suppress this finding with a reason)";

impl Rule for HostNamespace {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(HostNamespace::ID, cx, HELP, out);
    }
}
