//! `added-capabilities`: a container adds a capability beyond the default set (the Pod Security
//! Standards `capabilities_baseline` control). The verdict is the engine's ([`crate::pss`]),
//! evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct AddedCapabilities {
        id: "added-capabilities",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "add only capabilities of the baseline list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)";

impl Rule for AddedCapabilities {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(AddedCapabilities::ID, cx, HELP, out);
    }
}
