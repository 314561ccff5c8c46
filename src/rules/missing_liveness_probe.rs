//! `missing-liveness-probe`: a container of a long-running pod has no livenessProbe. Which
//! containers are expected to have one is decided in [`super::probes`].

use super::probes::{check, Probe};
use super::{Category, Context, Finding, Rule, RuleMeta, Severity};

pub struct MissingLivenessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-liveness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running pod has no liveness probe, so a hung process is never restarted",
    doc: include_str!("../../rules/missing-liveness-probe.md"),
    fixable: false,
};

impl Rule for MissingLivenessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if let Some(pod) = cx.pod {
            check(META.id, Probe::Liveness, pod, out);
        }
    }
}
