//! `undefined-volume`: a volumeMount or volumeDevice names no volume of the pod.

use crate::pointer::AtPointer;
use super::{Context, Finding, Rule};
use crate::suggest::suggest;

declare_rule! {
    pub struct UndefinedVolume {
        id: "undefined-volume",
        severity: Error,
        category: Correctness,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for UndefinedVolume {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let mut volumes: Vec<&str> = pod
            .spec
            .volumes
            .iter()
            .flatten()
            .map(|v| v.name.as_str())
            .collect();
        // A StatefulSet's volumeClaimTemplates become volumes of each pod, by name.
        if pod.workload == crate::model::pod::WorkloadKind::StatefulSet {
            let claims = cx
                .object
                .at("/spec/volumeClaimTemplates")
                .and_then(|v| v.as_array());
            volumes.extend(
                claims
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.at_pointer("/metadata/name").and_then(|n| n.as_str())),
            );
        }
        for c in &pod.containers {
            let mounts = c
                .container
                .volume_mounts
                .iter()
                .flatten()
                .map(|m| m.name.as_str());
            let devices = c
                .container
                .volume_devices
                .iter()
                .flatten()
                .map(|d| d.name.as_str());
            for (field, names) in [
                ("volumeMounts", mounts.collect::<Vec<_>>()),
                ("volumeDevices", devices.collect()),
            ] {
                for (i, name) in names.iter().enumerate() {
                    if volumes.contains(name) {
                        continue;
                    }
                    let help = match suggest(name, volumes.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? Otherwise add a volume named `{name}` to the pod's `volumes`"),
                        None if volumes.is_empty() => format!("add a volume named `{name}` to the pod's `volumes` (the pod defines none)"),
                        None => format!(
                            "add a volume named `{name}` to the pod's `volumes`, or use one of: {}",
                            volumes.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    out.push(
                        Finding::new(
                            UndefinedVolume::ID,
                            crate::pointer::push(&pod.item(&c.field(field), i), "name"),
                            format!(
                                "{} `{}` mounts volume `{name}`, which the pod does not define",
                                c.role.describe(),
                                c.name()
                            ),
                        )
                        .label("no such volume")
                        .help(help),
                    );
                }
            }
        }
    }
}
