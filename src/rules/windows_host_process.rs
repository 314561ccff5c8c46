//! `windows-host-process`: a Windows pod or container runs as a host process (the Pod Security
//! Standards `windowsHostProcess` control). The verdict is the engine's ([`crate::pss`]), evaluated
//! once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct WindowsHostProcess {
        id: "windows-host-process",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "remove `windowsOptions.hostProcess: true`; host processes have the node's full access";

impl Rule for WindowsHostProcess {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(WindowsHostProcess::ID, cx, HELP, out);
    }
}
