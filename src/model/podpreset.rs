//! A hand-written model of `PodPreset` (settings.k8s.io/v1alpha1). Kubernetes removed the kind
//! in 1.20, so `k8s-openapi` no longer carries it; manifests written for it still exist.
//! Before 1.20 an admission plugin merged a preset's env, envFrom, volumes and volumeMounts into
//! every new pod its selector matched in the preset's namespace.

use super::Object;
use k8s_openapi::api::core::v1::{EnvFromSource, EnvVar, Volume, VolumeMount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;

/// `PodPreset.spec`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodPresetSpec {
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    #[serde(default)]
    pub env: Vec<EnvVar>,
    #[serde(default)]
    pub env_from: Vec<EnvFromSource>,
    #[serde(default)]
    pub volumes: Vec<Volume>,
    #[serde(default)]
    pub volume_mounts: Vec<VolumeMount>,
}

/// A PodPreset read from a document.
#[derive(Debug, Clone)]
pub struct PodPreset {
    pub name: String,
    pub namespace: Option<String>,
    pub spec: PodPresetSpec,
}

impl PodPreset {
    /// Whether this object is a PodPreset.
    pub fn is(object: &Object) -> bool {
        object.kind() == "PodPreset"
            && object
                .group_version()
                .is_some_and(|(g, _)| g == "settings.k8s.io")
    }

    /// Read the preset; `Err` says why its spec has not the PodPreset shape.
    pub fn of(object: &Object) -> Result<PodPreset, String> {
        let spec = match object.at("/spec") {
            None => PodPresetSpec::default(),
            Some(v) => PodPresetSpec::deserialize(v).map_err(|e| e.to_string())?,
        };
        Ok(PodPreset {
            name: object.name.clone().unwrap_or_default(),
            namespace: object.namespace.clone(),
            spec,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::source::yaml::parse_one;

    #[test]
    fn reads_a_preset_and_rejects_unknown_fields() {
        let root = parse_one(
            "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: p}\nspec:\n  selector: {matchLabels: {role: fe}}\n  env: [{name: DB, value: x}]\n  volumeMounts: [{name: c, mountPath: /cache}]\n  volumes: [{name: c, emptyDir: {}}]\n",
        )
        .expect("doc");
        let objs = objects_of(0, &root);
        assert!(PodPreset::is(&objs[0]));
        let p = PodPreset::of(&objs[0]).expect("preset");
        assert_eq!(p.spec.env[0].name, "DB");
        assert_eq!(p.spec.volume_mounts[0].mount_path, "/cache");

        let bad =
            parse_one("apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nspec: {envv: []}\n")
                .expect("doc");
        assert!(PodPreset::of(&objects_of(0, &bad)[0]).is_err());
    }
}
