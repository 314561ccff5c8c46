//! `probe-host`: a probe or lifecycle hook sends its request to another host (the Pod Security
//! Standards `hostProbesAndHostLifecycle` control). The verdict is the engine's ([`crate::pss`]),
//! evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct ProbeHost {
        id: "probe-host",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `host` from the httpGet or tcpSocket handler: the kubelet then calls the pod's own IP";

impl Rule for ProbeHost {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(ProbeHost::ID, cx, HELP, out);
    }
}
