//! `privileged-container`: a container runs privileged (the Pod Security Standards `privileged`
//! control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod in
//! [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct PrivilegedContainer {
        id: "privileged-container",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `securityContext.privileged: true`; grant the one capability the program needs in `capabilities.add` instead";

impl Rule for PrivilegedContainer {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(PrivilegedContainer::ID, cx, HELP, out);
    }
}
