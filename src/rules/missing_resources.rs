//! `missing-resources`: a main container or sidecar without a cpu request, a memory request
//! or a memory limit. The API server defaults a missing request to the limit, so a limit
//! counts as a request; pod-level `spec.resources` covers every container. Ordinary init
//! containers run one at a time before the others and ephemeral containers cannot have
//! resources, so neither is checked. Shared with `missing-cpu-limit`.

use super::{Context, Finding, Rule, Target};
use crate::model::{ContainerRef, ContainerRole, PodView};
use k8s_openapi::api::core::v1::ResourceRequirements;

declare_rule! {
    pub struct MissingResources {
        id: "missing-resources",
        severity: Warning,
        category: Security,
        inspects: Pods,
        whole_object: true,
    }
}

fn has(r: Option<&ResourceRequirements>, limit: bool, name: &str) -> bool {
    r.and_then(|r| if limit { r.limits.as_ref() } else { r.requests.as_ref() })
        .is_some_and(|m| m.contains_key(name))
}

/// Whether the container (or the pod, through pod-level resources) sets this value: a request
/// is also set by a limit, which the API server copies into it.
pub fn sets(pod: &PodView, c: &ContainerRef, limit: bool, name: &str) -> bool {
    [c.container.resources.as_ref(), pod.spec.resources.as_ref()]
        .into_iter()
        .any(|r| has(r, limit, name) || (!limit && has(r, true, name)))
}

/// The containers whose resources are checked: main containers and sidecars.
pub fn checked(pod: &PodView) -> impl Iterator<Item = &ContainerRef> {
    pod.containers
        .iter()
        .filter(|c| c.role == ContainerRole::Main || c.is_sidecar())
}

/// Where a finding about a container's resources points: its `resources` key, or its name.
pub fn at(c: &ContainerRef) -> (String, Target) {
    if c.container.resources.is_some() {
        (c.field("resources"), Target::Key)
    } else if !c.container.name.is_empty() {
        (c.field("name"), Target::Value)
    } else {
        (c.pointer.clone(), Target::Value)
    }
}

impl Rule for MissingResources {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in checked(pod) {
            let missing: Vec<(&str, &str)> = [
                (false, "cpu", "a cpu request", "requests.cpu: 100m"),
                (false, "memory", "a memory request", "requests.memory: 128Mi"),
                (true, "memory", "a memory limit", "limits.memory: 256Mi"),
            ]
            .into_iter()
            .filter(|(limit, name, ..)| !sets(pod, c, *limit, name))
            .map(|(_, _, what, example)| (what, example))
            .collect();
            if missing.is_empty() {
                continue;
            }
            let what: Vec<&str> = missing.iter().map(|m| m.0).collect();
            let example: Vec<&str> = missing.iter().map(|m| m.1).collect();
            let who = if c.is_sidecar() { "sidecar container" } else { "container" };
            let mut why = Vec::new();
            if what.iter().any(|w| w.contains("request")) {
                why.push("without requests the scheduler places the pod as if it needed nothing, so nodes are overcommitted and the pod is among the first evicted under pressure");
            }
            if what.contains(&"a memory limit") {
                why.push("without a memory limit one leaking process can take the node's memory from every other pod");
            }
            let (ptr, target) = at(c);
            out.push(
                Finding::new(
                    MissingResources::ID,
                    ptr,
                    format!("{who} `{}` has no {}", c.name(), join(&what)),
                )
                .at(target)
                .label(format!("no {}", join(&what)))
                .help(format!(
                    "set `resources` from the program's measured use (for example `{}`): {}",
                    example.join("`, `"),
                    why.join("; ")
                )),
            );
        }
    }
}

/// `a`, `a and b`, `a, b and c`, each word after the first without its article repeated.
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.trim_start_matches("a ").to_string(),
        [init @ .., last] => format!(
            "{} or {}",
            init.iter()
                .map(|i| i.trim_start_matches("a "))
                .collect::<Vec<_>>()
                .join(", "),
            last.trim_start_matches("a ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    const HEAD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n";

    #[test]
    fn one_finding_per_container_naming_what_is_missing() {
        let f = findings(
            &MissingResources,
            &format!("{HEAD}  initContainers:\n  - {{name: init, image: x:1}}\n  - {{name: side, image: x:1, restartPolicy: Always}}\n  containers:\n  - name: a\n    image: x:1\n    resources: {{requests: {{cpu: 100m}}}}\n  - name: b\n    image: x:1\n    resources: {{limits: {{cpu: 1, memory: 1Gi}}}}\n"),
        );
        let got: Vec<(&str, &str)> = f.iter().map(|f| (f.pointer.as_str(), f.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("/spec/initContainers/1/name", "sidecar container `side` has no cpu request, memory request or memory limit"),
                ("/spec/containers/0/resources", "container `a` has no memory request or memory limit"),
            ]
        );
    }

    #[test]
    fn pod_level_resources_cover_every_container() {
        let f = findings(
            &MissingResources,
            &format!("{HEAD}  resources: {{requests: {{cpu: 1}}, limits: {{memory: 1Gi}}}}\n  containers: [{{name: a, image: x:1}}]\n"),
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
