//! `host-port`: a container binds a port of the node (`hostPort`) (the Pod Security Standards
//! `hostPorts` control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod in
//! [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct HostPort {
        id: "host-port",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `hostPort` and expose the container through a Service (NodePort or LoadBalancer if it must be reached from outside)";

impl Rule for HostPort {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(HostPort::ID, cx, HELP, out);
    }
}
