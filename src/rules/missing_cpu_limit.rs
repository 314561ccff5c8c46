//! `missing-cpu-limit` (opt-in): a main container or sidecar without a cpu limit (its own or
//! the pod's). Opt-in because a cpu limit throttles a program even on an idle node.

use super::missing_resources::{at, checked, sets};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct MissingCpuLimit {
        id: "missing-cpu-limit",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for MissingCpuLimit {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in checked(pod) {
            if sets(pod, c, true, "cpu") {
                continue;
            }
            let who = if c.is_sidecar() { "sidecar container" } else { "container" };
            let (ptr, target) = at(c);
            out.push(
                Finding::new(MissingCpuLimit::ID, ptr, format!("{who} `{}` has no cpu limit", c.name()))
                    .at(target)
                    .label("no cpu limit")
                    .help("set `resources.limits.cpu` (for example `limits.cpu: 500m`) so that a busy loop cannot take every core of the node from the other pods"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn container_or_pod_limit() {
        let head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n";
        let f = findings(
            &MissingCpuLimit,
            &format!("{head}  containers:\n  - {{name: a, image: x:1, resources: {{limits: {{cpu: 1}}}}}}\n  - {{name: b, image: x:1}}\n"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/spec/containers/1/name");
        let f = findings(
            &MissingCpuLimit,
            &format!("{head}  resources: {{limits: {{cpu: 2}}}}\n  containers: [{{name: b, image: x:1}}]\n"),
        );
        assert!(f.is_empty());
    }
}
