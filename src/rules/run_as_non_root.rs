//! `run-as-non-root`: the pod does not require its containers to run as a non-root user (the Pod
//! Security Standards `runAsNonRoot` control). The verdict is the engine's ([`crate::pss`]),
//! evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RunAsNonRoot {
        id: "run-as-non-root",
        severity: Warning,
        category: Security,
        inspects: Pods,
        whole_object: true,
    }
}

const HELP: &str = "set `securityContext.runAsNonRoot: true` in the pod spec and remove `runAsNonRoot: false` from the containers";

impl Rule for RunAsNonRoot {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(RunAsNonRoot::ID, cx, HELP, out);
    }
}
