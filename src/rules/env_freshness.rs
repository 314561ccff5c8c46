//! `env-freshness`: an environment variable copied from a ConfigMap, a Secret or a mutable
//! downward-API field (a label or annotation). Environment variables are resolved once, when
//! the container starts, and never again; files of a mounted volume are refreshed by the
//! kubelet. Reported as information: often a restart on change is exactly what is wanted.

use super::{Category, Context, Finding, Rule, RuleMeta, Severity, Target};
use crate::model::ContainerRole;
use crate::source::pointer;

pub struct EnvFreshness;

static META: RuleMeta = RuleMeta {
    id: "env-freshness",
    severity: Severity::Info,
    category: Category::Reliability,
    summary: "An env var comes from a ConfigMap, Secret or label/annotation: read once at container start, never refreshed",
    doc: include_str!("../../rules/env-freshness.md"),
    fixable: false,
};

const VOLUME_HELP: &str = "if the program must follow changes, mount it as a volume instead (the kubelet refreshes mounted files) and have the program re-read the file; otherwise restart the pods when it changes (for example with a checksum annotation on the pod template)";

impl Rule for EnvFreshness {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            // Init containers run once, before the others; ephemeral ones are for debugging.
            if c.role == ContainerRole::Ephemeral
                || (c.role == ContainerRole::Init && !c.is_sidecar())
            {
                continue;
            }
            let who = format!("container `{}`", c.name());
            for (i, env) in c.container.env.iter().flatten().enumerate() {
                let Some(from) = &env.value_from else {
                    continue;
                };
                let base = pointer::join(&c.pointer, &["env", &i.to_string(), "valueFrom"]);
                let var = &env.name;
                let (field, message, help) = if let Some(r) = &from.config_map_key_ref {
                    (
                        "configMapKeyRef",
                        format!("`{var}` of {who} copies key `{}` of ConfigMap `{}` once, when the container starts; later changes to the ConfigMap never reach it", r.key, r.name),
                        VOLUME_HELP.to_string(),
                    )
                } else if let Some(r) = &from.secret_key_ref {
                    (
                        "secretKeyRef",
                        format!("`{var}` of {who} copies key `{}` of Secret `{}` once, when the container starts; a rotated Secret never reaches it", r.key, r.name),
                        VOLUME_HELP.to_string(),
                    )
                } else if let Some(r) = &from.field_ref {
                    let path = r.field_path.as_str();
                    if !(path.starts_with("metadata.labels[")
                        || path.starts_with("metadata.annotations["))
                    {
                        continue;
                    }
                    (
                        "fieldRef",
                        format!("`{var}` of {who} copies `{path}` once, when the container starts; when the Pod's label or annotation changes the variable keeps its old value"),
                        "if the program must follow changes, mount a `downwardAPI` volume with this field instead: the kubelet rewrites its file when the label or annotation changes".to_string(),
                    )
                } else {
                    continue;
                };
                out.push(
                    Finding::new(META.id, pointer::push(&base, field), message)
                        .at(Target::Key)
                        .label("resolved once, at container start")
                        .help(help),
                );
            }
            for (i, from) in c.container.env_from.iter().flatten().enumerate() {
                let base = pointer::join(&c.pointer, &["envFrom", &i.to_string()]);
                let (field, kind, name) = if let Some(r) = &from.config_map_ref {
                    ("configMapRef", "ConfigMap", r.name.as_str())
                } else if let Some(r) = &from.secret_ref {
                    ("secretRef", "Secret", r.name.as_str())
                } else {
                    continue;
                };
                out.push(
                    Finding::new(
                        META.id,
                        pointer::push(&base, field),
                        format!("{who} copies every key of {kind} `{name}` into its environment once, when it starts; later changes to the {kind} never reach it"),
                    )
                    .at(Target::Key)
                    .label("resolved once, at container start")
                    .help(VOLUME_HELP),
                );
            }
        }
    }
}
