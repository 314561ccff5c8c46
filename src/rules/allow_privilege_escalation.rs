//! `allow-privilege-escalation`: a container does not set `allowPrivilegeEscalation: false` (the
//! Pod Security Standards `allowPrivilegeEscalation` control). The verdict is the engine's
//! ([`crate::pss`]), evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct AllowPrivilegeEscalation {
        id: "allow-privilege-escalation",
        severity: Warning,
        category: Security,
        inspects: Pods,
        whole_object: true,
    }
}

const HELP: &str = "set `securityContext.allowPrivilegeEscalation: false` in every container";

impl Rule for AllowPrivilegeEscalation {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(AllowPrivilegeEscalation::ID, cx, HELP, out);
    }
}
