//! `proc-mount`: a container unmasks /proc (`procMount: Unmasked`) (the Pod Security Standards
//! `procMount` control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod in
//! [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct ProcMount {
        id: "proc-mount",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `procMount` or set it to `Default`";

impl Rule for ProcMount {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(ProcMount::ID, cx, HELP, out);
    }
}
