//! `unsafe-sysctl`: the pod sets a sysctl outside the safe set (the Pod Security Standards
//! `sysctls` control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod in
//! [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct UnsafeSysctl {
        id: "unsafe-sysctl",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove the sysctl, or run the pod in a namespace and on nodes that allow it (`--allowed-unsafe-sysctls`)";

impl Rule for UnsafeSysctl {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(UnsafeSysctl::ID, cx, HELP, out);
    }
}
