//! `init-container-probe`: an init container that is not a restartable sidecar has a probe or a
//! lifecycle hook, which the API server rejects.

use super::{Context, Finding, Rule, Target};
use crate::model::ContainerRole;

declare_rule! {
    pub struct InitContainerProbe {
        id: "init-container-probe",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

impl Rule for InitContainerProbe {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in pod.role(ContainerRole::Init) {
            if c.is_sidecar() {
                continue;
            }
            let k = &c.container;
            for (field, set) in [
                ("livenessProbe", k.liveness_probe.is_some()),
                ("readinessProbe", k.readiness_probe.is_some()),
                ("startupProbe", k.startup_probe.is_some()),
                ("lifecycle", k.lifecycle.is_some()),
            ] {
                if set {
                    out.push(
                        Finding::new(
                            InitContainerProbe::ID,
                            c.field(field),
                            format!("init container `{}` has `{field}`, which init containers cannot have", c.name()),
                        )
                        .at(Target::Key)
                        .label("not allowed on an init container")
                        .help(format!(
                            "init containers run once, to completion, before the others start; remove `{field}`, or add `restartPolicy: Always` to make `{}` a sidecar that runs beside the main containers",
                            c.name()
                        )),
                    );
                }
            }
        }
    }
}
