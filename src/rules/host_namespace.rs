//! `host-namespace`: the pod shares the node's network, PID or IPC namespace.

use super::{Context, Finding, Rule};

declare_rule! {
    pub struct HostNamespace {
        id: "host-namespace",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

impl Rule for HostNamespace {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let s = &pod.spec;
        for (field, on, what) in [
            (
                "hostNetwork",
                s.host_network,
                "sees every network interface of the node and binds ports on it",
            ),
            (
                "hostPID",
                s.host_pid,
                "sees and can signal every process on the node",
            ),
            (
                "hostIPC",
                s.host_ipc,
                "shares shared memory and semaphores with every process on the node",
            ),
        ] {
            if on == Some(true) {
                out.push(
                    Finding::new(HostNamespace::ID, pod.field(field), format!("`{field}: true`: the pod {what}"))
                        .label("host namespace shared")
                        .help(format!(
                            "remove `{field}` unless the pod is node infrastructure that needs it (then suppress this finding with a reason)"
                        )),
                );
            }
        }
    }
}
