//! The field names of each level of a workload (workload spec, pod template, pod spec,
//! container, probe and handlers, volume and sources, security contexts, affinity terms), read
//! once from the `k8s-openapi` types' JSON Schemas. The levels table ([`super::levels`]) and
//! the rules that reason about *where* a field belongs use these sets instead of hand-written
//! lists, so they follow the Kubernetes version kubevet is built for.

use k8s_openapi::api::apps::v1::{DaemonSetSpec, DeploymentSpec, ReplicaSetSpec, StatefulSetSpec};
use k8s_openapi::api::batch::v1::{CronJobSpec, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EnvVar, EnvVarSource, EphemeralContainer, NodeSelectorTerm,
    PodAffinityTerm, PodSecurityContext, PodSpec, PodTemplateSpec, PreferredSchedulingTerm, Probe,
    ProjectedVolumeSource, ReplicationControllerSpec, SecurityContext, Volume, VolumeMount,
    VolumeProjection, WeightedPodAffinityTerm,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A set of field names.
pub type FieldSet = BTreeSet<String>;

/// A family of alternatives, one of which a mapping names by its key: the handlers of a probe,
/// the sources of a volume or of a projected volume.
#[derive(Debug, Default)]
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
#[derive(Debug, Default)]
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

/// The field sets, computed on first use.
pub fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(compute)
}

fn compute() -> Fields {
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
    let is_handler = |k: &String| matches!(k.as_str(), "httpGet" | "tcpSocket" | "exec" | "grpc");
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

#[cfg(test)]
mod tests {
    use super::*;

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
