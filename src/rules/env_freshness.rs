//! `env-freshness`: an environment variable copied from a ConfigMap, a Secret or a mutable
//! downward-API field (a label or annotation). Environment variables are resolved once, when
//! the container starts, and never again; files of a mounted volume are refreshed by the
//! kubelet. Reported as information: often a restart on change is exactly what is wanted.

use super::{Context, Finding, Rule, Target};
use crate::model::ContainerRole;
use crate::pointer;

declare_rule! {
    pub struct EnvFreshness {
        id: "env-freshness",
        severity: Info,
        category: Reliability,
        inspects: Pods,
    }
}

const VOLUME_HELP: &str = "if the program must follow changes, mount it as a volume instead (the kubelet refreshes mounted files) and have the program re-read the file; otherwise restart the pods when it changes (for example with a checksum annotation on the pod template)";

/// Env vars of one container that read the same ConfigMap or Secret.
struct Group {
    kind: &'static str,
    name: String,
    /// The first variable's `configMapKeyRef`/`secretKeyRef`.
    pointer: String,
    first_key: String,
    vars: Vec<String>,
}

impl Rule for EnvFreshness {
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
            // Variables from one ConfigMap or Secret are one finding (a container often reads
            // dozens of keys of its settings ConfigMap), at the first of them.
            let mut groups: Vec<Group> = Vec::new();
            for (i, env) in c.container.env.iter().flatten().enumerate() {
                let Some(from) = &env.value_from else {
                    continue;
                };
                // Written only for a finding (a variable that joins a group has none).
                let base = || pointer::push(&pod.item(&c.field("env"), i), "valueFrom");
                let var = &env.name;
                let (field, kind, name, key) = if let Some(r) = &from.config_map_key_ref {
                    ("configMapKeyRef", "ConfigMap", &r.name, &r.key)
                } else if let Some(r) = &from.secret_key_ref {
                    ("secretKeyRef", "Secret", &r.name, &r.key)
                } else if let Some(r) = &from.field_ref {
                    let path = r.field_path.as_str();
                    if !(path.starts_with("metadata.labels[")
                        || path.starts_with("metadata.annotations["))
                    {
                        continue;
                    }
                    out.push(
                        Finding::new(EnvFreshness::ID, pointer::push(&base(), "fieldRef"), format!("`{var}` of {who} copies `{path}` once, when the container starts; when the Pod's label or annotation changes the variable keeps its old value"))
                            .at(Target::Key)
                            .label("resolved once, at container start")
                            .help("if the program must follow changes, mount a `downwardAPI` volume with this field instead: the kubelet rewrites its file when the label or annotation changes"),
                    );
                    continue;
                } else {
                    continue;
                };
                match groups
                    .iter_mut()
                    .find(|g| g.kind == kind && &g.name == name)
                {
                    Some(g) => g.vars.push(var.clone()),
                    None => groups.push(Group {
                        kind,
                        name: name.clone(),
                        pointer: pointer::push(&base(), field),
                        first_key: key.clone(),
                        vars: vec![var.clone()],
                    }),
                }
            }
            for g in groups {
                let (kind, name) = (g.kind, &g.name);
                let change = if kind == "Secret" {
                    "a rotated Secret never reaches".to_string()
                } else {
                    format!("later changes to the {kind} never reach")
                };
                let message = match g.vars.as_slice() {
                    [var] => format!(
                        "`{var}` of {who} copies key `{}` of {kind} `{name}` once, when the container starts; {change} it",
                        g.first_key
                    ),
                    vars => {
                        let shown: Vec<String> =
                            vars.iter().take(3).map(|v| format!("`{v}`")).collect();
                        let more = if vars.len() > 3 {
                            format!(" and {} more", vars.len() - 3)
                        } else {
                            String::new()
                        };
                        format!(
                            "{} env vars of {who} ({}{more}) copy keys of {kind} `{name}` once, when the container starts; {change} them",
                            vars.len(),
                            shown.join(", ")
                        )
                    }
                };
                out.push(
                    Finding::new(EnvFreshness::ID, g.pointer, message)
                        .at(Target::Key)
                        .label("resolved once, at container start")
                        .help(VOLUME_HELP),
                );
            }
            for (i, from) in c.container.env_from.iter().flatten().enumerate() {
                let base = pod.item(&c.field("envFrom"), i);
                let (field, kind, name) = if let Some(r) = &from.config_map_ref {
                    ("configMapRef", "ConfigMap", r.name.as_str())
                } else if let Some(r) = &from.secret_ref {
                    ("secretRef", "Secret", r.name.as_str())
                } else {
                    continue;
                };
                out.push(
                    Finding::new(
                        EnvFreshness::ID,
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
