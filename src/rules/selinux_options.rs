//! `selinux-options`: the pod or a container sets a custom SELinux user, role or type (the Pod
//! Security Standards `seLinuxOptions` control). The verdict is the engine's ([`crate::pss`]),
//! evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct SelinuxOptions {
        id: "selinux-options",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "leave `seLinuxOptions.user` and `role` unset, and `type` unset or one of container_t, container_init_t, container_kvm_t, container_engine_t";

impl Rule for SelinuxOptions {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(SelinuxOptions::ID, cx, HELP, out);
    }
}
