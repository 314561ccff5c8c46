//! `capabilities-not-dropped`: a container does not drop ALL capabilities, or adds one other than
//! NET_BIND_SERVICE (the Pod Security Standards `capabilities_restricted` control). The verdict is
//! the engine's ([`crate::pss`]), evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct CapabilitiesNotDropped {
        id: "capabilities-not-dropped",
        severity: Warning,
        category: Security,
        inspects: Pods,
        whole_object: true,
    }
}

const HELP: &str = "set `securityContext.capabilities.drop: [ALL]` in every container and add back at most `NET_BIND_SERVICE`";

impl Rule for CapabilitiesNotDropped {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(CapabilitiesNotDropped::ID, cx, HELP, out);
    }
}
