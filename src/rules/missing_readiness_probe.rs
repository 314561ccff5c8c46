//! `missing-readiness-probe`: a container of a long-running pod has no readinessProbe. Which
//! containers are expected to have one is decided in [`super::probes`].

use super::probes::{check, Probe};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct MissingReadinessProbe {
        id: "missing-readiness-probe",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
    }
}

impl Rule for MissingReadinessProbe {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if let Some(pod) = cx.pod {
            check(MissingReadinessProbe::ID, Probe::Readiness, pod, out);
        }
    }
}
