//! PodPreset semantics across files. While each file is checked, presets and pods are reduced
//! to small summaries (labels, namespace, and the env vars, volumes and mounts that can
//! collide, with each preset entry already located); after every file is checked,
//! [`conflicts`] applies each preset to the pods it selects, as the PodPreset admission plugin
//! did before Kubernetes 1.20, and reports definitions that collide. Memory stays bounded by
//! the summaries, never whole documents.
//!
//! Namespaces: an object without `metadata.namespace` lands in whatever namespace it is applied
//! to; kubevet takes all such objects to share one namespace, and an explicit namespace to
//! match only itself.

use crate::diagnostic::{sort_and_dedup, Diagnostic};
use crate::model::podpreset::PodPreset;
use crate::model::{Object, PodView};
use crate::rules::selector::matches;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;
use std::collections::BTreeMap;

/// What can collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Env,
    Volume,
    Mount,
}

impl EntryKind {
    fn describe(self) -> &'static str {
        match self {
            EntryKind::Env => "env var",
            EntryKind::Volume => "volume",
            EntryKind::Mount => "mount path",
        }
    }
}

/// One env var, volume or mount of a preset, with a located diagnostic to fill in.
#[derive(Debug, Clone)]
pub struct PresetEntry {
    pub kind: EntryKind,
    pub key: String,
    /// Hash of the definition's canonical JSON.
    pub value: u64,
    pub at: Diagnostic,
}

/// A PodPreset reduced to what conflict detection needs.
#[derive(Debug, Clone)]
pub struct PresetSummary {
    pub name: String,
    pub namespace: Option<String>,
    pub selector: LabelSelector,
    pub entries: Vec<PresetEntry>,
}

/// A pod (or pod template) reduced to what conflict detection needs.
#[derive(Debug, Clone)]
pub struct PodSummary {
    pub describe: String,
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// (kind, key) -> hashes of the canonical definitions (a mount path may appear in several
    /// containers). Hashes, not text: every pod of a run is summarised, so this must stay small.
    pub entries: BTreeMap<(EntryKind, String), Vec<u64>>,
}

/// A hash of the canonical JSON of a definition (object keys are sorted, so equal
/// definitions hash equally).
fn canonical(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(v).unwrap_or_default().hash(&mut h);
    h.finish()
}

/// Summarise a pod-bearing object.
pub fn pod_summary(object: &Object, pod: &PodView) -> PodSummary {
    let mut entries: BTreeMap<(EntryKind, String), Vec<u64>> = BTreeMap::new();
    let spec = object.at(&pod.pointer);
    for v in spec
        .and_then(|s| s.get("volumes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = v.get("name").and_then(Value::as_str) {
            entries
                .entry((EntryKind::Volume, name.into()))
                .or_default()
                .push(canonical(v));
        }
    }
    for c in &pod.containers {
        let Some(cv) = object.at(&c.pointer) else {
            continue;
        };
        for e in cv
            .get("env")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = e.get("name").and_then(Value::as_str) {
                entries
                    .entry((EntryKind::Env, name.into()))
                    .or_default()
                    .push(canonical(e));
            }
        }
        for m in cv
            .get("volumeMounts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(p) = m.get("mountPath").and_then(Value::as_str) {
                entries
                    .entry((EntryKind::Mount, p.into()))
                    .or_default()
                    .push(canonical(m));
            }
        }
    }
    PodSummary {
        describe: format!(
            "{} `{}`",
            object.kind(),
            object.name.as_deref().unwrap_or("(unnamed)")
        ),
        namespace: object.namespace.clone(),
        labels: pod.labels.clone(),
        entries,
    }
}

/// Summarise a preset; `locate` turns an object-relative pointer into a diagnostic.
pub fn preset_summary(
    object: &Object,
    preset: &PodPreset,
    mut locate: impl FnMut(&str) -> Option<Diagnostic>,
) -> PresetSummary {
    let mut entries = Vec::new();
    for (field, kind, key_field) in [
        ("env", EntryKind::Env, "name"),
        ("volumes", EntryKind::Volume, "name"),
        ("volumeMounts", EntryKind::Mount, "mountPath"),
    ] {
        let list = object
            .at(&format!("/spec/{field}"))
            .and_then(Value::as_array);
        for (i, v) in list.into_iter().flatten().enumerate() {
            let Some(key) = v.get(key_field).and_then(Value::as_str) else {
                continue;
            };
            if let Some(at) = locate(&format!("/spec/{field}/{i}/{key_field}")) {
                entries.push(PresetEntry {
                    kind,
                    key: key.to_string(),
                    value: canonical(v),
                    at,
                });
            }
        }
    }
    PresetSummary {
        name: preset.name.clone(),
        namespace: preset.namespace.clone(),
        selector: preset.spec.selector.clone().unwrap_or_default(),
        entries,
    }
}

fn conflict(entry: &PresetEntry, preset: &str, other: &str, target: &str) -> Diagnostic {
    let mut d = entry.at.clone();
    d.message = format!(
        "PodPreset `{preset}` and {other} both set {} `{}` differently for {target}",
        entry.kind.describe(),
        entry.key
    );
    d.label = Some("conflicting definition".into());
    d.help = Some(format!(
        "Kubernetes skips conflicting preset fields, so {target} would start without this {}; make the definitions agree, or rename one",
        entry.kind.describe()
    ));
    d
}

/// Every conflict between presets, and between a preset and a pod it selects.
pub fn conflicts(presets: &[PresetSummary], pods: &[PodSummary]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if presets.is_empty() {
        return out;
    }
    let mut ordered: Vec<&PresetSummary> = presets.iter().collect();
    ordered.sort_by(|a, b| a.name.cmp(&b.name));
    for pod in pods {
        let selecting: Vec<&PresetSummary> = ordered
            .iter()
            .copied()
            .filter(|p| p.namespace == pod.namespace && matches(&p.selector, &pod.labels))
            .collect();
        for (i, p) in selecting.iter().enumerate() {
            for e in &p.entries {
                if let Some(defs) = pod.entries.get(&(e.kind, e.key.clone())) {
                    if defs.iter().any(|d| *d != e.value) {
                        out.push(conflict(e, &p.name, &pod.describe, &pod.describe));
                    }
                }
                for q in &selecting[..i] {
                    if q.entries
                        .iter()
                        .any(|f| f.kind == e.kind && f.key == e.key && f.value != e.value)
                    {
                        out.push(conflict(
                            e,
                            &p.name,
                            &format!("PodPreset `{}`", q.name),
                            &pod.describe,
                        ));
                    }
                }
            }
        }
    }
    sort_and_dedup(&mut out);
    out
}
