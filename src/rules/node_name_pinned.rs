//! `node-name-pinned`: `spec.nodeName` bypasses the scheduler.

use super::{Context, Finding, Rule};

declare_rule! {
    pub struct NodeNamePinned {
        id: "node-name-pinned",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
    }
}

impl Rule for NodeNamePinned {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let Some(node) = pod.spec.node_name.as_deref().filter(|n| !n.is_empty()) else {
            return;
        };
        out.push(
            Finding::new(
                NodeNamePinned::ID,
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
