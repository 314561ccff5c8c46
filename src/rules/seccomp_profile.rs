//! `seccomp-profile`: seccomp is turned off (or, at restricted, not set) (the Pod Security
//! Standards `seccompProfile` control). The verdict is the engine's ([`crate::pss`]), evaluated
//! once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct SeccompProfile {
        id: "seccomp-profile",
        severity: Warning,
        category: Security,
        inspects: Pods,
        whole_object: true,
    }
}

const HELP: &str = "set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec (or `Localhost` with a profile)";

impl Rule for SeccompProfile {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(SeccompProfile::ID, cx, HELP, out);
    }
}
