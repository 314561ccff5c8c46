//! `apparmor-profile`: the pod or a container turns AppArmor off or names an unknown profile type
//! (the Pod Security Standards `appArmorProfile` control). The verdict is the engine's
//! ([`crate::pss`]), evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct ApparmorProfile {
        id: "apparmor-profile",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "use `appArmorProfile.type: RuntimeDefault` or `Localhost`, or leave it unset";

impl Rule for ApparmorProfile {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(ApparmorProfile::ID, cx, HELP, out);
    }
}
