//! `podpreset-conflict`: two PodPresets, or a PodPreset and a pod it selects, set the same env
//! var, volume or mount path differently — the PodPreset admission plugin (Kubernetes before
//! 1.20) then applied none of the pod's presets.
//!
//! A project rule: presets and pods anywhere in the checked set are reduced to small summaries
//! (selector, labels, namespace, and hashes of the env vars, volumes and mounts that can
//! collide); [`conflicts`] applies each preset to the pods it selects and gives, for each
//! conflicting preset entry, one finding addressed to the preset that holds it.
//!
//! What collides, as in the plugin: an env var of the same name (in any container or init
//! container), a volume of the same name, and a volume mount of the same name or the same
//! mount path, with a different definition. `envFrom` is appended without a check. On any
//! conflict the plugin applied none of the pod's presets.
//!
//! Namespaces: an object without `metadata.namespace` lands in whatever namespace it is applied
//! to; kubevet takes all such objects to share one namespace, and an explicit namespace to
//! match only itself.

use super::project::{ObjectAt, ProjectOut, ProjectPass, Summary};
use super::{Finding, RuleId};
use crate::model::annotations;
use crate::model::podpreset::PodPreset;
use crate::model::selector::matches;
use crate::model::{Object, PodView};
use crate::pointer;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;
use serde_json::Value;
use std::any::Any;
use std::collections::BTreeMap;

declare_rule! {
    /// Conflicting PodPreset definitions.
    pub struct PodpresetConflict {
        id: "podpreset-conflict",
        severity: Warning,
        category: Correctness,
    }
}

/// What the pass keeps of one object.
enum Summarised {
    Preset(PresetSummary),
    Pod(PodSummary),
}

impl ProjectPass for PodpresetConflict {
    fn serves(&self) -> &'static [RuleId] {
        &[PodpresetConflict::ID]
    }

    fn triggers(&self) -> &'static [&'static str] {
        &["PodPreset"]
    }

    /// A preset selects pods in any file.
    fn reads_every_file(&self) -> bool {
        true
    }

    fn summarize(&self, at: &ObjectAt, object: &Object, pod: Option<&PodView>) -> Option<Summary> {
        if PodPreset::is(object) {
            return Some(Box::new(Summarised::Preset(preset_summary(at, object))));
        }
        let pod = pod?;
        Some(Box::new(Summarised::Pod(pod_summary(at, object, pod))))
    }

    fn finish(&self, summaries: &[&(dyn Any + Send + Sync)], out: &mut ProjectOut) {
        let (mut presets, mut pods) = (Vec::new(), Vec::new());
        for s in summaries {
            match s.downcast_ref::<Summarised>() {
                Some(Summarised::Preset(p)) => presets.push(p),
                Some(Summarised::Pod(p)) => pods.push(p),
                None => {}
            }
        }
        if presets.is_empty() {
            return;
        }
        pods.retain(|pod| presets.iter().any(|p| p.would_apply(pod)));
        conflicts(presets, pods, out);
    }
}

/// The annotation with which a pod opted out of every PodPreset.
pub const EXCLUDE_ANNOTATION: &str = "podpreset.admission.kubernetes.io/exclude";

/// What can collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Env,
    Volume,
    /// A volume mount, by name.
    MountName,
    /// A volume mount, by mount path.
    MountPath,
}

impl EntryKind {
    fn describe(self) -> &'static str {
        match self {
            EntryKind::Env => "env var",
            EntryKind::Volume => "volume",
            EntryKind::MountName => "volume mount",
            EntryKind::MountPath => "mount path",
        }
    }
}

/// One env var, volume or mount of a preset.
#[derive(Debug, Clone)]
pub struct PresetEntry {
    pub kind: EntryKind,
    pub key: String,
    /// Hash of the definition's canonical JSON.
    pub value: u64,
    /// Object-relative pointer of the entry's key field (`/spec/env/0/name`).
    pub pointer: String,
}

/// A PodPreset reduced to what conflict detection needs.
#[derive(Debug, Clone)]
pub struct PresetSummary {
    pub at: ObjectAt,
    pub name: String,
    pub namespace: Option<String>,
    pub selector: LabelSelector,
    pub entries: Vec<PresetEntry>,
}

impl PresetSummary {
    /// Whether this preset applies to the pod.
    pub fn selects(&self, pod: &PodSummary) -> bool {
        !pod.excluded && self.would_apply(pod)
    }

    /// Whether this preset's namespace and selector match the pod, opted out or not.
    pub fn would_apply(&self, pod: &PodSummary) -> bool {
        self.namespace == pod.namespace && matches(&self.selector, &pod.labels)
    }
}

/// A pod (or pod template) reduced to what conflict detection needs.
#[derive(Debug, Clone)]
pub struct PodSummary {
    pub at: ObjectAt,
    /// `Deployment `web``.
    pub describe: String,
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// The pod opted out: the plugin's exclude annotation, or a kubevet ignore annotation
    /// naming `podpreset-conflict`.
    pub excluded: bool,
    /// The pod opted out with a kubevet ignore annotation.
    pub ignores_presets: bool,
    /// (kind, key) -> hashes of the canonical definitions (a mount path may appear in several
    /// containers). Hashes, not text: many pods may be summarised, so this must stay small.
    pub entries: BTreeMap<(EntryKind, String), Vec<u64>>,
}

/// A hash of the canonical JSON of a definition (keys sorted, so equal definitions hash
/// equally whatever order their keys are written in).
fn canonical(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut sorted = v.clone();
    sorted.sort_all_objects();
    serde_json::to_string(&sorted).unwrap_or_default().hash(&mut h);
    h.finish()
}

/// The (kind, key field) of the lists a preset merges into a pod, by the list's field name.
const MERGED: [(&str, EntryKind, &str); 4] = [
    ("env", EntryKind::Env, "name"),
    ("volumes", EntryKind::Volume, "name"),
    ("volumeMounts", EntryKind::MountName, "name"),
    ("volumeMounts", EntryKind::MountPath, "mountPath"),
];

/// Summarise a pod-bearing object.
fn pod_summary(at: &ObjectAt, object: &Object, pod: &PodView) -> PodSummary {
    let mut entries: BTreeMap<(EntryKind, String), Vec<u64>> = BTreeMap::new();
    let mut add = |list: Option<&Value>, field: &str| {
        for (_, kind, key_field) in MERGED.iter().filter(|(f, _, _)| *f == field) {
            for v in list.and_then(Value::as_array).into_iter().flatten() {
                if let Some(key) = v.get(*key_field).and_then(Value::as_str) {
                    entries
                        .entry((*kind, key.to_string()))
                        .or_default()
                        .push(canonical(v));
                }
            }
        }
    };
    add(
        object.at(&pod.pointer).and_then(|s| s.get("volumes")),
        "volumes",
    );
    for c in &pod.containers {
        let cv = object.at(&c.pointer);
        add(cv.and_then(|c| c.get("env")), "env");
        add(cv.and_then(|c| c.get("volumeMounts")), "volumeMounts");
    }
    let ignores_presets = annotations::ignore_annotations(object, Some(&pod.metadata_pointer))
        .iter()
        .any(|(_, rules)| rules.iter().any(|r| r == PodpresetConflict::META.id));
    let exclude = pointer::join(&pod.metadata_pointer, &["annotations", EXCLUDE_ANNOTATION]);
    let excluded = ignores_presets || object.at(&exclude).and_then(Value::as_str) == Some("true");
    PodSummary {
        at: at.clone(),
        describe: format!(
            "{} `{}`",
            object.kind(),
            object.name.as_deref().unwrap_or("(unnamed)")
        ),
        namespace: object.namespace.clone(),
        labels: pod.labels.clone(),
        excluded,
        ignores_presets,
        entries,
    }
}

/// Summarise a preset. The spec is read leniently: a preset with fields the API never had
/// still has its selector and entries compared (the schema reports the rest).
fn preset_summary(at: &ObjectAt, object: &Object) -> PresetSummary {
    let mut entries = Vec::new();
    for (field, kind, key_field) in MERGED {
        let list = object
            .at(&format!("/spec/{field}"))
            .and_then(Value::as_array);
        for (i, v) in list.into_iter().flatten().enumerate() {
            if let Some(key) = v.get(key_field).and_then(Value::as_str) {
                entries.push(PresetEntry {
                    kind,
                    key: key.to_string(),
                    value: canonical(v),
                    pointer: format!("/spec/{field}/{i}/{key_field}"),
                });
            }
        }
    }
    let selector = object
        .at("/spec/selector")
        .and_then(|s| LabelSelector::deserialize(s).ok())
        .unwrap_or_default();
    PresetSummary {
        at: at.clone(),
        name: object.name.clone().unwrap_or_default(),
        namespace: object.namespace.clone(),
        selector,
        entries,
    }
}

/// The party an entry collides with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Other {
    /// The pods' own definitions.
    Pods,
    /// Another preset, by name.
    Preset(String),
}

/// Every conflict between presets, and between a preset and a pod it selects: one finding per
/// conflicting preset entry and other party, naming the pods concerned.
fn conflicts(mut ordered: Vec<&PresetSummary>, pods: Vec<&PodSummary>, out: &mut ProjectOut) {
    if ordered.is_empty() {
        return;
    }
    ordered.sort_by(|a, b| (&a.name, &a.at).cmp(&(&b.name, &b.at)));
    // (preset index in `ordered`, entry index, other party) -> pods concerned.
    let mut hits: BTreeMap<(usize, usize, Other), Vec<&PodSummary>> = BTreeMap::new();
    for pod in pods {
        if pod.excluded {
            if pod.ignores_presets && ordered.iter().any(|p| p.would_apply(pod)) {
                out.mark_ignore_used(pod.at.clone(), PodpresetConflict::ID);
            }
            continue;
        }
        let selecting: Vec<usize> = (0..ordered.len())
            .filter(|&i| ordered[i].selects(pod))
            .collect();
        for (n, &pi) in selecting.iter().enumerate() {
            let p = ordered[pi];
            for (ei, e) in p.entries.iter().enumerate() {
                if let Some(defs) = pod.entries.get(&(e.kind, e.key.clone())) {
                    if defs.iter().any(|d| *d != e.value) {
                        hits.entry((pi, ei, Other::Pods)).or_default().push(pod);
                    }
                }
                for &qi in &selecting[..n] {
                    let q = ordered[qi];
                    if q.entries
                        .iter()
                        .any(|f| f.kind == e.kind && f.key == e.key && f.value != e.value)
                    {
                        hits.entry((pi, ei, Other::Preset(q.name.clone())))
                            .or_default()
                            .push(pod);
                    }
                }
            }
        }
    }
    for ((pi, ei, other), targets) in hits {
        let p = ordered[pi];
        let e = &p.entries[ei];
        let what = format!("{} `{}`", e.kind.describe(), e.key);
        let pods = name_pods(&p.at.path, &targets);
        let message = match &other {
            Other::Pods => format!("PodPreset `{}` sets {what} differently from {pods}", p.name),
            Other::Preset(q) => format!(
                "PodPresets `{q}` and `{}` both select {pods} and set {what} differently",
                p.name
            ),
        };
        let finding = Finding::new(PodpresetConflict::ID, e.pointer.clone(), message)
            .label("conflicting definition")
            .help(format!(
                "on any conflict the PodPreset admission plugin applies none of a pod's presets and only records an event, so {} would start without everything they inject; make the definitions agree, or narrow a selector",
                if targets.len() == 1 { "the pod" } else { "those pods" },
            ));
        out.push(p.at.clone(), finding);
    }
}

/// `Pod `a``, `Pod `a` and Pod `b` (y.yaml)`, or the first two and a count; a pod in another
/// file than the preset is named with its path.
fn name_pods(preset_path: &str, targets: &[&PodSummary]) -> String {
    let mut t: Vec<String> = targets
        .iter()
        .map(|p| {
            if p.at.path == preset_path {
                p.describe.clone()
            } else {
                format!("{} ({})", p.describe, p.at.path)
            }
        })
        .collect();
    t.sort_unstable();
    t.dedup();
    match t.as_slice() {
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
        [] => "a pod".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::source::yaml::parse_one;

    fn summaries(docs: &[&str]) -> (Vec<PresetSummary>, Vec<PodSummary>) {
        let mut presets = Vec::new();
        let mut pods = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let root = parse_one(d).expect("doc");
            let path = format!("f{i}.yaml");
            for o in objects_of(0, &root) {
                let at = ObjectAt::of(&path, &o);
                if PodPreset::is(&o) {
                    presets.push(preset_summary(&at, &o));
                } else if let Some(view) = PodView::of(&o) {
                    pods.push(pod_summary(&at, &o, &view));
                }
            }
        }
        (presets, pods)
    }

    /// The conflicts of these presets and pods.
    fn conflicts_of(presets: &[PresetSummary], pods: &[PodSummary]) -> ProjectOut {
        let mut out = ProjectOut::default();
        conflicts(presets.iter().collect(), pods.iter().collect(), &mut out);
        out
    }

    const PRESET_A: &str = "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: web}}\n  env: [{name: DB, value: '1'}]\n  volumeMounts: [{name: cache, mountPath: /cache}]\n";

    fn pod(name: &str, extra: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{app: web}}\n{extra}spec:\n  containers:\n  - name: c\n    image: x:1\n    env: [{{name: DB, value: '2'}}]\n    volumeMounts: [{{name: data, mountPath: /cache}}, {{name: cache, mountPath: /c2}}]\n")
    }

    #[test]
    fn the_same_definition_in_another_key_order_is_no_conflict() {
        let preset = "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: web}}\n  env: [{name: DB, value: '1'}]\n";
        let same = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    env: [{value: '1', name: DB}]\n";
        let (presets, pods) = summaries(&[preset, same]);
        assert!(conflicts_of(&presets, &pods)
            .for_object(&presets[0].at)
            .is_empty());
        assert_eq!(
            canonical(&serde_json::json!({"a": 1, "b": [{"x": null, "y": true}]})),
            canonical(&serde_json::json!({"b": [{"y": true, "x": null}], "a": 1}))
        );
        assert_ne!(
            canonical(&serde_json::json!({"a": "1"})),
            canonical(&serde_json::json!({"a": 1}))
        );
    }

    #[test]
    fn a_conflict_is_one_finding_per_entry_naming_every_pod() {
        let (presets, pods) = summaries(&[PRESET_A, &pod("p1", ""), &pod("p2", "")]);
        let cross = conflicts_of(&presets, &pods);
        let found = cross.for_object(&presets[0].at).to_vec();
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        // DB differs; the mount `cache` collides by name with one of the pod's mounts (at
        // another path) and by path with another (of another name).
        assert_eq!(found.len(), 3, "{messages:?}");
        assert!(messages[0]
            .contains("env var `DB` differently from Pod `p1` (f1.yaml) and Pod `p2` (f2.yaml)"));
        assert!(messages[1].contains("volume mount `cache`"));
        assert_eq!(found[1].pointer, "/spec/volumeMounts/0/name");
        assert!(messages[2].contains("mount path `/cache`"));
        assert_eq!(found[2].pointer, "/spec/volumeMounts/0/mountPath");
    }

    #[test]
    fn mount_paths_collide_too() {
        let preset = PRESET_A.replace(
            "{name: cache, mountPath: /cache}",
            "{name: data2, mountPath: /cache}",
        );
        let (presets, pods) = summaries(&[&preset, &pod("p1", "")]);
        let found = conflicts_of(&presets, &pods)
            .for_object(&presets[0].at)
            .to_vec();
        assert!(found
            .iter()
            .any(|f| f.message.contains("mount path `/cache`")));
    }

    #[test]
    fn excluded_pods_and_other_namespaces_are_left_alone() {
        let excluded = pod(
            "p1",
            "  annotations: {podpreset.admission.kubernetes.io/exclude: 'true'}\n",
        );
        let ignored = pod(
            "p2",
            "  annotations: {kubevet.dev/ignore: podpreset-conflict}\n",
        );
        let elsewhere = pod("p3", "  namespace: other\n");
        let (presets, pods) = summaries(&[PRESET_A, &excluded, &ignored, &elsewhere]);
        assert!(pods.iter().take(2).all(|p| p.excluded));
        let cross = conflicts_of(&presets, &pods);
        assert!(cross.for_object(&presets[0].at).is_empty());
        assert!(
            cross.used_ignores(&pods[0].at).is_empty(),
            "the plugin's own annotation"
        );
        assert_eq!(
            cross.used_ignores(&pods[1].at),
            [PodpresetConflict::ID],
            "kubevet's annotation did its work"
        );
        assert!(cross.used_ignores(&pods[2].at).is_empty());
    }

    #[test]
    fn two_presets_conflict_only_over_a_pod_both_select() {
        let b = PRESET_A
            .replace("name: a}", "name: b}")
            .replace("value: '1'", "value: '3'")
            .replace("app: web", "app: api");
        let agreeing = pod("p1", "").replace("value: '2'", "value: '1'").replace(
            "volumeMounts: [{name: data, mountPath: /cache}, {name: cache, mountPath: /c2}]",
            "volumeMounts: []",
        );
        let (presets, pods) = summaries(&[PRESET_A, &b, &agreeing]);
        assert!(
            conflicts_of(&presets, &pods).is_empty(),
            "b selects app=api only"
        );
        let b_web = b.replace("app: api", "app: web");
        let (presets, pods) = summaries(&[PRESET_A, &b_web, &agreeing]);
        let cross = conflicts_of(&presets, &pods);
        let found = cross.for_object(&presets[1].at).to_vec();
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        // `b` disagrees with the pod and with `a`; `a` agrees with the pod.
        assert_eq!(
            messages,
            [
                "PodPreset `b` sets env var `DB` differently from Pod `p1` (f2.yaml)",
                "PodPresets `a` and `b` both select Pod `p1` (f2.yaml) and set env var `DB` differently"
            ]
        );
        assert!(cross.for_object(&presets[0].at).is_empty());
    }
}
