//! `duplicate-name`: two containers (init containers included), two volumes, or two env vars of
//! one container share a name.

use super::{Context, Finding, Rule, Target};
use std::collections::HashMap;

declare_rule! {
    pub struct DuplicateName {
        id: "duplicate-name",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

/// Report every name seen before, pointing at the repeat and labelling the first.
fn report<'a>(
    what: &str,
    items: impl Iterator<Item = (&'a str, String)>,
    help: &str,
    out: &mut Vec<Finding>,
) {
    let mut first: HashMap<&str, String> = HashMap::new();
    for (name, ptr) in items {
        match first.get(name) {
            Some(earlier) => out.push(
                Finding::new(
                    DuplicateName::ID,
                    format!("{ptr}/name"),
                    format!("{what} name `{name}` is used twice"),
                )
                .label("repeated here")
                .related(format!("{earlier}/name"), Target::Value, "first used here")
                .help(help.to_string()),
            ),
            None => {
                first.insert(name, ptr);
            }
        }
    }
}

impl Rule for DuplicateName {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        report(
            "container",
            pod.containers.iter().map(|c| (c.name(), c.pointer.clone())),
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
                .map(|(i, v)| (v.name.as_str(), pod.item(&pod.field("volumes"), i))),
            "rename or merge one of the volumes: the API server rejects the pod",
            out,
        );
        for c in &pod.containers {
            report(
                "env var",
                c.container
                    .env
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, e)| (e.name.as_str(), pod.item(&c.field("env"), i))),
                "keep one definition: only the last one takes effect, which is rarely what was meant",
                out,
            );
        }
    }
}
