//! `missing-readiness-probe`: a container of a long-running pod that can receive traffic has no
//! readinessProbe. Which containers are expected to have probes is decided in
//! [`super::probes`]; readiness only decides whether a Service routes traffic to the pod, so
//! only containers that declare `ports`, or the containers of a pod a Service in the checked
//! set selects ([`super::service_selectors`]), are expected to have one.

use super::probes::{check, Probe};
use super::service_selectors::ServiceSelectors;
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct MissingReadinessProbe {
        id: "missing-readiness-probe",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for MissingReadinessProbe {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let selected = cx
            .project
            .fact::<ServiceSelectors>()
            .is_some_and(|s| s.selects(cx.object.namespace.as_deref(), &pod.labels));
        let serves = |c: &crate::model::ContainerRef| {
            selected || c.container.ports.as_ref().is_some_and(|p| !p.is_empty())
        };
        check(
            MissingReadinessProbe::ID,
            Probe::Readiness,
            pod,
            &serves,
            out,
        );
    }
}
