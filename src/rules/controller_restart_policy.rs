//! `controller-restart-policy`: a workload's pod template has a restartPolicy its controller
//! does not allow.

use super::{Context, Finding, Rule};
use crate::model::pod::WorkloadKind;
use crate::model::ContainerRole;

declare_rule! {
    pub struct ControllerRestartPolicy {
        id: "controller-restart-policy",
        severity: Error,
        category: Correctness,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for ControllerRestartPolicy {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let kind = cx.object.kind();
        let set = pod.spec.restart_policy.as_deref();
        if pod.workload.is_controller() {
            if let Some(p) = set.filter(|p| *p != "Always") {
                out.push(
                    Finding::new(ControllerRestartPolicy::ID, pod.field("restartPolicy"), format!("a {kind} only accepts `restartPolicy: Always`, not `{p}`"))
                        .label("must be Always")
                        .help(format!("remove `restartPolicy` (it defaults to Always); a {kind} replaces pods that stop, so they must run forever — use a Job for work that finishes"))
                        .replaces_schema_at(pod.field("restartPolicy")),
                );
            }
        } else if matches!(pod.workload, WorkloadKind::Job | WorkloadKind::CronJob) {
            match set {
                Some("OnFailure") | Some("Never") => {}
                Some(p) => out.push(
                    Finding::new(ControllerRestartPolicy::ID, pod.field("restartPolicy"), format!("a {kind}'s pods must use `restartPolicy` OnFailure or Never, not `{p}`"))
                        .label("must be OnFailure or Never")
                        .help("use `OnFailure` to retry in place, or `Never` to let the Job create a new pod for each retry")
                        .replaces_schema_at(pod.field("restartPolicy")),
                ),
                // A container that sets `restartPolicy` meant the pod's: misplaced-field
                // reports that, and moving it fixes this too.
                None if pod.containers.iter().any(|c| {
                    c.role != ContainerRole::Init
                        && c.container.restart_policy.is_some()
                        && c.container.restart_policy_rules.is_none()
                }) => {}
                None => out.push(
                    Finding::new(ControllerRestartPolicy::ID, pod.field("restartPolicy"), format!("a {kind}'s pod template must set `restartPolicy` to OnFailure or Never; the default, Always, is rejected"))
                        .label("restartPolicy missing here")
                        .help("add `restartPolicy: OnFailure` (retry in place) or `restartPolicy: Never` (a new pod per retry)"),
                ),
            }
        }
    }
}
