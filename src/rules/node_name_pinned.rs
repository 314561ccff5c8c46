//! `node-name-pinned`: `spec.nodeName` bypasses the scheduler.

use super::{Context, Finding, Rule, RuleMeta};

declare_rule!(
    NodeNamePinned,
    "node-name-pinned",
    Warning,
    Reliability,
    "`nodeName` is set, so the scheduler is bypassed"
);

impl Rule for NodeNamePinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let Some(node) = pod.spec.node_name.as_deref().filter(|n| !n.is_empty()) else {
            return;
        };
        out.push(
            Finding::new(
                META.id,
                pod.field("nodeName"),
                format!("the pod is pinned to node `{node}`: the scheduler, resource checks and taints are bypassed"),
            )
            .label("bypasses the scheduler")
            .help(format!(
                "use `nodeSelector: {{kubernetes.io/hostname: {node}}}` or node affinity, so the scheduler still checks resources and taints"
            )),
        );
    }
}
