//! `run-as-root-user`: the pod or a container sets `runAsUser: 0` (the Pod Security Standards
//! `runAsUser` control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod in
//! [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RunAsRootUser {
        id: "run-as-root-user",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "run as a non-zero user id (`runAsUser: 1000`), or leave `runAsUser` unset and use an image with a non-root USER";

impl Rule for RunAsRootUser {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(RunAsRootUser::ID, cx, HELP, out);
    }
}
