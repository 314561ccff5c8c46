//! `missing-readiness-probe`: a container of a long-running pod has no readinessProbe. Which
//! containers are expected to have one is decided in [`super::probes`].

use super::probes::{check, Probe};
use super::{Category, Context, Finding, Rule, RuleMeta, Severity};

pub struct MissingReadinessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-readiness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running pod has no readiness probe, so it gets traffic before it can serve",
    doc: include_str!("../../rules/missing-readiness-probe.md"),
    fixable: false,
};

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if let Some(pod) = cx.pod {
            check(META.id, Probe::Readiness, pod, out);
        }
    }
}
