//! `restricted-volume-type`: the pod uses a volume type the restricted level does not allow (the
//! Pod Security Standards `restrictedVolumes` control). The verdict is the engine's
//! ([`crate::pss`]), evaluated once per pod in [`super::pod_security`].

use super::pod_security::report;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct RestrictedVolumeType {
        id: "restricted-volume-type",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

const HELP: &str = "use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes; keep other storage behind a PersistentVolumeClaim";

impl Rule for RestrictedVolumeType {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        report(RestrictedVolumeType::ID, cx, HELP, out);
    }
}
