//! `host-path-volume`: the pod mounts a hostPath volume (the Pod Security Standards
//! `hostPathVolumes` control). The verdict is the engine's ([`crate::pss`]), evaluated once per pod
//! in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct HostPathVolume {
        id: "host-path-volume",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "use a PersistentVolumeClaim, an emptyDir, a ConfigMap or a CSI volume instead of a directory of the node";

impl Rule for HostPathVolume {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(HostPathVolume::ID, cx, HELP, out);
    }
}
