//! `duplicate-name`: two containers (init containers included), two volumes, or two env vars of
//! one container share a name.
//!
//! The API server rejects repeated container and volume names. A repeated env var name it
//! accepts with a warning (`GetWarningsForPod`, pkg/api/pod/warnings.go): the later definition
//! wins, and `kubectl apply` may drop one of them. It does not warn when the later value builds
//! on the earlier one (`PATH=$(PATH):/opt/bin`), and neither does this rule.

use super::{Context, Finding, Rule, Severity, Target};
use crate::model::{ContainerRef, PodView};
use std::collections::HashMap;

declare_rule! {
    pub struct DuplicateName {
        id: "duplicate-name",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

/// Report every name of `items` (name, index) seen before, pointing at the repeat and
/// labelling the first; `pointer` writes an item's pointer, only for a finding.
fn report<'a>(
    what: &str,
    items: impl Iterator<Item = (&'a str, usize)>,
    pointer: impl Fn(usize) -> String,
    help: &str,
    out: &mut Vec<Finding>,
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (name, i) in items {
        match first.get(name) {
            Some(&earlier) => out.push(
                Finding::new(
                    DuplicateName::ID,
                    format!("{}/name", pointer(i)),
                    format!("{what} name `{name}` is used twice"),
                )
                .label("repeated here")
                .related(format!("{}/name", pointer(earlier)), Target::Value, "first used here")
                .help(help.to_string()),
            ),
            None => {
                first.insert(name, i);
            }
        }
    }
}

impl Rule for DuplicateName {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        report(
            "container",
            pod.containers.iter().enumerate().map(|(i, c)| (c.name(), i)),
            |i| pod.containers[i].pointer.clone(),
            "give each container (init, main and ephemeral) a unique name: the API server rejects the pod",
            out,
        );
        report(
            "volume",
            pod.spec
                .volumes
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, v)| (v.name.as_str(), i)),
            |i| pod.item(&pod.field("volumes"), i),
            "rename or merge one of the volumes: the API server rejects the pod",
            out,
        );
        for c in &pod.containers {
            env_vars(pod, c, out);
        }
    }
}

/// Env vars of one container defined twice, as the API server warns about them: unless the
/// later plain value refers to the earlier one (`$(NAME)` inside a longer value).
fn env_vars(pod: &PodView, c: &ContainerRef, out: &mut Vec<Finding>) {
    // Indexes only: the pointers are written for a finding.
    let mut first: HashMap<&str, usize> = HashMap::new();
    let pointer = |i: usize| pod.item(&c.field("env"), i);
    for (i, e) in c.container.env.iter().flatten().enumerate() {
        let Some(&earlier) = first.get(e.name.as_str()) else {
            first.insert(e.name.as_str(), i);
            continue;
        };
        let reference = format!("$({})", e.name);
        let value = e.value.as_deref().unwrap_or("");
        let builds_on_earlier =
            e.value_from.is_none() && value != reference && value.contains(&reference);
        if builds_on_earlier {
            continue;
        }
        out.push(
            Finding::new(
                DuplicateName::ID,
                format!("{}/name", pointer(i)),
                format!(
                    "env var name `{}` is used twice: it hides previous definition of {:?}, which may be dropped when using apply (the API server accepts the pod with a warning)",
                    e.name, e.name
                ),
            )
            .severity(Severity::Warning)
            .label("repeated here")
            .related(format!("{}/name", pointer(earlier)), Target::Value, "first used here")
            .help("keep one definition: only the last one takes effect, and `kubectl apply` may drop one of them"),
        );
    }
}
