//! `subpath-freshness`: a ConfigMap, Secret, projected or downward-API volume mounted with
//! `subPath`. The kubelet refreshes such volumes by swapping a symlinked directory; a subPath
//! mount binds one file of the first version directly, so it never sees an update.

use super::{Context, Finding, Rule, Target};
use crate::model::ContainerRole;

declare_rule! {
    pub struct SubpathFreshness {
        id: "subpath-freshness",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
    }
}

impl Rule for SubpathFreshness {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let volumes = pod.spec.volumes.as_deref().unwrap_or_default();
        for c in &pod.containers {
            // Init containers run once, before anything could change.
            if c.role == ContainerRole::Init && !c.is_sidecar() {
                continue;
            }
            for (i, m) in c.container.volume_mounts.iter().flatten().enumerate() {
                let (field, sub) = match (&m.sub_path, &m.sub_path_expr) {
                    (Some(s), _) if !s.is_empty() => ("subPath", s),
                    (_, Some(s)) if !s.is_empty() => ("subPathExpr", s),
                    _ => continue,
                };
                let Some(v) = volumes.iter().find(|v| v.name == m.name) else {
                    continue;
                };
                let source = if let Some(s) = &v.config_map {
                    format!("ConfigMap `{}`", s.name)
                } else if let Some(s) = &v.secret {
                    format!("Secret `{}`", s.secret_name.as_deref().unwrap_or("?"))
                } else if v.projected.is_some() {
                    "a projected volume".to_string()
                } else if v.downward_api.is_some() {
                    "a downwardAPI volume".to_string()
                } else {
                    continue;
                };
                let ptr = crate::pointer::push(&pod.item(&c.field("volumeMounts"), i), field);
                out.push(
                    Finding::new(
                        SubpathFreshness::ID,
                        ptr,
                        format!(
                            "`{}` of container `{}` mounts `{sub}` of {source} (volume `{}`) with {field}: that file never receives updates",
                            m.mount_path, c.name(), m.name
                        ),
                    )
                    .at(Target::Value)
                    .label("a subPath mount is a copy frozen at container start")
                    .help(format!(
                        "mount the volume at a directory without {field} (use `items` to choose and name the files) and point the program at the file inside it; or restart the pods whenever the data changes"
                    )),
                );
            }
        }
    }
}
