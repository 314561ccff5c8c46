//! `missing-liveness-probe`: a container of a long-running pod has no livenessProbe. Which
//! containers are expected to have one is decided in [`super::probes`].

use super::probes::{check, Probe};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct MissingLivenessProbe {
        id: "missing-liveness-probe",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for MissingLivenessProbe {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if let Some(pod) = cx.pod {
            check(MissingLivenessProbe::ID, Probe::Liveness, pod, &|_| true, out);
        }
    }
}
