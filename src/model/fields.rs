//! The field names of each level of a workload (workload spec, pod template, pod spec,
//! container, probe and handlers, volume and sources, security contexts, affinity terms), as
//! the `k8s-openapi` types' JSON Schemas give them. The levels table ([`super::levels`]) and
//! the rules that reason about *where* a field belongs use these sets instead of hand-written
//! lists, so they follow the Kubernetes version kubevet is built for.
//!
//! The names are read at run time from a table ([`super::fields_table`]) that a test writes
//! from the types and checks against them: generating the types' schemas on every run cost
//! more than a whole small file's check.

use super::fields_table::{FAMILIES, SETS};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A set of field names.
pub type FieldSet = BTreeSet<String>;

/// A member of a family in the table: its key, the definition of its type, its field names.
pub type Member = (&'static str, &'static str, &'static [&'static str]);

/// A family of alternatives, one of which a mapping names by its key: the handlers of a probe,
/// the sources of a volume or of a projected volume.
#[derive(Debug, Default, PartialEq)]
pub struct Family {
    /// Each member's key and its fields.
    pub members: BTreeMap<String, FieldSet>,
    /// Each member's key and the OpenAPI definition of its type.
    pub definitions: BTreeMap<String, String>,
}

impl Family {
    /// The fields of the member at `key`.
    pub fn get(&self, key: &str) -> Option<&FieldSet> {
        self.members.get(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.members.contains_key(key)
    }

    /// The member whose type is `definition`.
    pub fn member_of(&self, definition: &str) -> Option<&str> {
        self.definitions
            .iter()
            .find(|(_, d)| *d == definition)
            .map(|(k, _)| k.as_str())
    }
}

impl std::ops::Index<&str> for Family {
    type Output = FieldSet;

    fn index(&self, key: &str) -> &FieldSet {
        &self.members[key]
    }
}

/// Field names of every level kubevet reasons about.
#[derive(Debug, Default, PartialEq)]
pub struct Fields {
    pub object_meta: FieldSet,
    pub pod_template: FieldSet,
    pub job_template: FieldSet,
    pub pod_spec: FieldSet,
    pub container: FieldSet,
    pub ephemeral_container: FieldSet,
    pub probe: FieldSet,
    /// Probe handlers (`httpGet`, `tcpSocket`, `exec`, `grpc`) and their fields.
    pub probe_handlers: Family,
    pub pod_security: FieldSet,
    pub container_security: FieldSet,
    pub volume: FieldSet,
    /// Volume sources (`configMap`, `secret`, `hostPath`, ...) and their fields.
    pub volume_sources: Family,
    pub volume_mount: FieldSet,
    pub env_var: FieldSet,
    pub env_var_source: FieldSet,
    pub container_port: FieldSet,
    /// A projected volume (`sources`, `defaultMode`).
    pub projected_volume: FieldSet,
    pub volume_projection: FieldSet,
    /// Projected sources (`configMap`, `secret`, `downwardAPI`, ...) and their fields.
    pub projection_sources: Family,
    pub deployment: FieldSet,
    pub stateful_set: FieldSet,
    pub daemon_set: FieldSet,
    pub replica_set: FieldSet,
    pub replication_controller: FieldSet,
    pub job: FieldSet,
    pub cron_job: FieldSet,
    /// An item of `preferredDuringSchedulingIgnoredDuringExecution` of pod (anti-)affinity
    /// (`weight`, `podAffinityTerm`), and the term itself.
    pub weighted_pod_affinity_term: FieldSet,
    pub pod_affinity_term: FieldSet,
    /// An item of node affinity's preferred terms (`weight`, `preference`), and the term.
    pub preferred_scheduling_term: FieldSet,
    pub node_selector_term: FieldSet,
}

/// The field sets, read on first use.
pub fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(from_table)
}

/// Each field set of [`Fields`] by its name in the table.
fn sets(f: &mut Fields) -> [(&'static str, &mut FieldSet); 27] {
    [
        ("object_meta", &mut f.object_meta),
        ("pod_template", &mut f.pod_template),
        ("job_template", &mut f.job_template),
        ("pod_spec", &mut f.pod_spec),
        ("container", &mut f.container),
        ("ephemeral_container", &mut f.ephemeral_container),
        ("probe", &mut f.probe),
        ("pod_security", &mut f.pod_security),
        ("container_security", &mut f.container_security),
        ("volume", &mut f.volume),
        ("volume_mount", &mut f.volume_mount),
        ("env_var", &mut f.env_var),
        ("env_var_source", &mut f.env_var_source),
        ("container_port", &mut f.container_port),
        ("projected_volume", &mut f.projected_volume),
        ("volume_projection", &mut f.volume_projection),
        ("deployment", &mut f.deployment),
        ("stateful_set", &mut f.stateful_set),
        ("daemon_set", &mut f.daemon_set),
        ("replica_set", &mut f.replica_set),
        ("replication_controller", &mut f.replication_controller),
        ("job", &mut f.job),
        ("cron_job", &mut f.cron_job),
        (
            "weighted_pod_affinity_term",
            &mut f.weighted_pod_affinity_term,
        ),
        ("pod_affinity_term", &mut f.pod_affinity_term),
        (
            "preferred_scheduling_term",
            &mut f.preferred_scheduling_term,
        ),
        ("node_selector_term", &mut f.node_selector_term),
    ]
}

/// Each family of [`Fields`] by its name in the table.
fn families(f: &mut Fields) -> [(&'static str, &mut Family); 3] {
    [
        ("probe_handlers", &mut f.probe_handlers),
        ("volume_sources", &mut f.volume_sources),
        ("projection_sources", &mut f.projection_sources),
    ]
}

fn from_table() -> Fields {
    let mut f = Fields::default();
    let owned = |names: &[&str]| -> FieldSet { names.iter().map(|n| n.to_string()).collect() };
    for (name, set) in sets(&mut f) {
        if let Some((_, names)) = SETS.iter().find(|(n, _)| *n == name) {
            *set = owned(names);
        }
    }
    for (name, family) in families(&mut f) {
        let Some((_, members)) = FAMILIES.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        for (key, definition, names) in members.iter() {
            family.members.insert(key.to_string(), owned(names));
            family
                .definitions
                .insert(key.to_string(), definition.to_string());
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{
        DaemonSetSpec, DeploymentSpec, ReplicaSetSpec, StatefulSetSpec,
    };
    use k8s_openapi::api::batch::v1::{CronJobSpec, JobSpec, JobTemplateSpec};
    use k8s_openapi::api::core::v1::{
        Container, ContainerPort, EnvVar, EnvVarSource, EphemeralContainer, NodeSelectorTerm,
        PodAffinityTerm, PodSecurityContext, PodSpec, PodTemplateSpec, PreferredSchedulingTerm,
        Probe, ProjectedVolumeSource, ReplicationControllerSpec, SecurityContext, Volume,
        VolumeMount, VolumeProjection, WeightedPodAffinityTerm,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use schemars::{JsonSchema, SchemaGenerator};
    use serde_json::Value;

    /// The field sets read from the types' JSON Schemas: what the table must hold.
    fn from_types() -> Fields {
        let mut gen = SchemaGenerator::default();
        let mut f = Fields {
            object_meta: props::<ObjectMeta>(&mut gen),
            pod_template: props::<PodTemplateSpec>(&mut gen),
            job_template: props::<JobTemplateSpec>(&mut gen),
            pod_spec: props::<PodSpec>(&mut gen),
            container: props::<Container>(&mut gen),
            ephemeral_container: props::<EphemeralContainer>(&mut gen),
            probe: props::<Probe>(&mut gen),
            pod_security: props::<PodSecurityContext>(&mut gen),
            container_security: props::<SecurityContext>(&mut gen),
            volume: props::<Volume>(&mut gen),
            volume_mount: props::<VolumeMount>(&mut gen),
            env_var: props::<EnvVar>(&mut gen),
            env_var_source: props::<EnvVarSource>(&mut gen),
            container_port: props::<ContainerPort>(&mut gen),
            projected_volume: props::<ProjectedVolumeSource>(&mut gen),
            volume_projection: props::<VolumeProjection>(&mut gen),
            deployment: props::<DeploymentSpec>(&mut gen),
            stateful_set: props::<StatefulSetSpec>(&mut gen),
            daemon_set: props::<DaemonSetSpec>(&mut gen),
            replica_set: props::<ReplicaSetSpec>(&mut gen),
            replication_controller: props::<ReplicationControllerSpec>(&mut gen),
            job: props::<JobSpec>(&mut gen),
            cron_job: props::<CronJobSpec>(&mut gen),
            weighted_pod_affinity_term: props::<WeightedPodAffinityTerm>(&mut gen),
            pod_affinity_term: props::<PodAffinityTerm>(&mut gen),
            preferred_scheduling_term: props::<PreferredSchedulingTerm>(&mut gen),
            node_selector_term: props::<NodeSelectorTerm>(&mut gen),
            ..Fields::default()
        };
        let mut handlers = nested::<Probe>(&mut gen);
        let is_handler =
            |k: &String| matches!(k.as_str(), "httpGet" | "tcpSocket" | "exec" | "grpc");
        handlers.members.retain(|k, _| is_handler(k));
        handlers.definitions.retain(|k, _| is_handler(k));
        f.probe_handlers = handlers;
        // Every object-valued field of a volume except `name` is a volume source.
        f.volume_sources = nested::<Volume>(&mut gen);
        f.projection_sources = nested::<VolumeProjection>(&mut gen);
        f
    }

    /// The property names of `T`'s schema.
    fn props<T: JsonSchema>(gen: &mut SchemaGenerator) -> FieldSet {
        let schema = T::json_schema(gen);
        schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// For each property of `T` whose schema is a reference to an object type: that type's
    /// property names and definition.
    fn nested<T: JsonSchema>(gen: &mut SchemaGenerator) -> Family {
        let schema = T::json_schema(gen);
        let defs = gen.definitions().clone();
        let mut out = Family::default();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return out;
        };
        for (name, sub) in properties {
            let Some(reference) = sub.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let Some(def_name) = reference.rsplit('/').next() else {
                continue;
            };
            let set: FieldSet = defs
                .get(def_name)
                .and_then(|d| d.get("properties"))
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            if !set.is_empty() {
                out.members.insert(name.clone(), set);
                out.definitions.insert(name.clone(), def_name.to_string());
            }
        }
        out
    }

    /// The source of `fields_table.rs` for these field sets.
    fn table_source(mut f: Fields) -> String {
        let list = |set: &FieldSet| {
            let names: Vec<String> = set.iter().map(|n| format!("{n:?}")).collect();
            format!("&[{}]", names.join(", "))
        };
        let mut out = String::from(
            "//! The field names of each level of a workload, written by the test\n\
             //! `model::fields::tests::the_table_is_the_types_fields` from the `k8s-openapi` types\n\
             //! (`KUBEVET_WRITE_FIELDS=1 cargo test the_table_is_the_types_fields` rewrites it).\n\
             //! Do not edit.\n\n\
             use super::fields::Member;\n\n\
             /// Each field set by name, its field names sorted.\n\
             pub const SETS: &[(&str, &[&str])] = &[\n",
        );
        for (name, set) in sets(&mut f) {
            out.push_str(&format!("    ({name:?}, {}),\n", list(set)));
        }
        out.push_str(
            "];\n\n\
             /// Each family by name: its members' keys, definitions and field names.\n\
             pub const FAMILIES: &[(&str, &[Member])] = &[\n",
        );
        for (name, family) in families(&mut f) {
            out.push_str(&format!("    (\n        {name:?},\n        &[\n"));
            for (key, set) in &family.members {
                let definition = family.definitions.get(key).cloned().unwrap_or_default();
                out.push_str(&format!(
                    "            ({key:?}, {definition:?}, {}),\n",
                    list(set)
                ));
            }
            out.push_str("        ],\n    ),\n");
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn the_table_is_the_types_fields() {
        let from_types = from_types();
        let source = table_source(from_types);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/model/fields_table.rs");
        if std::env::var_os("KUBEVET_WRITE_FIELDS").is_some() {
            std::fs::write(path, &source).expect("fields_table.rs is written");
        }
        let written = std::fs::read_to_string(path).expect("fields_table.rs is read");
        assert!(
            written == source,
            "src/model/fields_table.rs is not the types' fields: run \
             `KUBEVET_WRITE_FIELDS=1 cargo test the_table_is_the_types_fields`"
        );
        assert_eq!(from_table(), super::tests::from_types());
    }

    #[test]
    fn levels_are_read_from_the_types() {
        let f = fields();
        assert!(f.pod_spec.contains("hostAliases"));
        assert!(!f.container.contains("hostAliases"));
        assert!(f.container.contains("imagePullPolicy"));
        assert!(f.ephemeral_container.contains("targetContainerName"));
        assert!(f.probe.contains("initialDelaySeconds"));
        assert!(f.probe_handlers["httpGet"].contains("path"));
        assert!(f.probe_handlers["grpc"].contains("service"));
        assert_eq!(f.probe_handlers.members.len(), 4);
        assert_eq!(
            f.probe_handlers.definitions["httpGet"],
            "io.k8s.api.core.v1.HTTPGetAction"
        );
        assert_eq!(
            f.volume_sources
                .member_of("io.k8s.api.core.v1.ConfigMapVolumeSource"),
            Some("configMap")
        );
        assert_eq!(
            f.volume_sources.member_of("io.k8s.api.core.v1.Volume"),
            None
        );
        assert!(f.pod_security.contains("fsGroup") && !f.container_security.contains("fsGroup"));
        assert!(f.container_security.contains("privileged"));
        assert!(
            f.pod_security.contains("runAsNonRoot")
                && f.container_security.contains("runAsNonRoot")
        );
        assert!(f.volume_sources["configMap"].contains("items"));
        assert!(f.volume_sources.contains_key("hostPath"));
        assert!(!f.volume_sources.contains_key("name"));
        assert!(f.projection_sources["downwardAPI"].contains("items"));
        assert!(f.projection_sources.contains_key("serviceAccountToken"));
        assert!(f.deployment.contains("strategy") && f.stateful_set.contains("serviceName"));
        assert!(f.cron_job.contains("jobTemplate") && f.job.contains("backoffLimit"));
        assert!(f.pod_template.contains("metadata") && f.object_meta.contains("labels"));
        assert!(f.env_var.contains("valueFrom") && f.container_port.contains("containerPort"));
        assert!(
            f.projected_volume.contains("sources") && f.pod_affinity_term.contains("topologyKey")
        );
        assert!(f.weighted_pod_affinity_term.contains("podAffinityTerm"));
        assert!(f.preferred_scheduling_term.contains("preference"));
        assert!(f.node_selector_term.contains("matchExpressions"));
    }
}
