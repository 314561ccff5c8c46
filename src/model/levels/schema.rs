//! The levels as the schema messages know them: by OpenAPI definition. Given the definition
//! the validator reached (`io.k8s.api.core.v1.Container`), the table says how to name it ("a
//! container") and which definitions its neighbours are, in the order to try them, so that an
//! unknown field can be found at a neighbouring level of the same schema document.

use super::{row, shape, FamilyId, Level, Near, Reach, Schema, LEVELS};
use crate::model::fields::fields;
use crate::model::pod::WorkloadKind;
use serde_json::{Map, Value};

/// A level as the schema messages see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaLevel {
    /// How messages name it: "a container", "the pod spec".
    pub name: String,
    /// The definitions of its neighbours with their names, in the order to try them. A family
    /// (a probe's handlers, a volume's sources) comes as its members: the one written, if one
    /// is, then the common ones, then the rest.
    pub neighbours: Vec<(String, String)>,
}

/// The level an OpenAPI definition describes, in an object of workload `kind` (`None` for
/// other objects, whose workload levels are not known) where the mapping holds `written`.
pub fn schema_level(
    definition: &str,
    kind: Option<WorkloadKind>,
    written: Option<&Map<String, Value>>,
) -> Option<SchemaLevel> {
    let mut name = None;
    let mut neighbours: Vec<(String, String)> = Vec::new();
    for r in LEVELS {
        let Some(here) = names(r.schema, kind)
            .into_iter()
            .find(|(d, _)| d == definition)
        else {
            continue;
        };
        name.get_or_insert(here.1);
        for near in r.neighbours {
            for neighbour in expand(*near, definition, kind, written) {
                if !neighbours.contains(&neighbour) {
                    neighbours.push(neighbour);
                }
            }
        }
    }
    Some(SchemaLevel {
        name: name?,
        neighbours,
    })
}

/// Every definition the table knows.
pub fn definitions() -> Vec<String> {
    LEVELS
        .iter()
        .flat_map(|r| names(r.schema, None))
        .map(|(d, _)| d)
        .collect()
}

/// The definitions of a level and their names (a workload spec's, of every kind when the
/// object's kind is not known).
fn names(schema: Schema, kind: Option<WorkloadKind>) -> Vec<(String, String)> {
    let own = |d: &str, n: &str| vec![(d.to_string(), n.to_string())];
    match schema {
        Schema::None => Vec::new(),
        Schema::One(d, n) => own(d, n),
        Schema::Container => vec![
            ("io.k8s.api.core.v1.Container".into(), "a container".into()),
            (
                "io.k8s.api.core.v1.EphemeralContainer".into(),
                "an ephemeral container".into(),
            ),
        ],
        Schema::WorkloadSpec => {
            let kinds = match kind {
                Some(k) => shape(k)
                    .iter()
                    .filter(|s| s.level == Level::WorkloadSpec)
                    .map(|s| s.spec_of.unwrap_or(k))
                    .collect(),
                None => ALL_WORKLOADS.to_vec(),
            };
            kinds.into_iter().filter_map(spec_schema).collect()
        }
        Schema::Member(family) => {
            let f = family.of(fields());
            f.definitions
                .iter()
                .map(|(key, d)| (d.clone(), member_name(family, key)))
                .collect()
        }
    }
}

/// Every kind of workload with a spec of its own.
const ALL_WORKLOADS: &[WorkloadKind] = &[
    WorkloadKind::Deployment,
    WorkloadKind::StatefulSet,
    WorkloadKind::DaemonSet,
    WorkloadKind::ReplicaSet,
    WorkloadKind::ReplicationController,
    WorkloadKind::Job,
    WorkloadKind::CronJob,
];

/// The definition of a kind's spec, and its name.
fn spec_schema(kind: WorkloadKind) -> Option<(String, String)> {
    let definition = match kind {
        WorkloadKind::Pod | WorkloadKind::DeploymentConfig | WorkloadKind::Rollout => return None,
        WorkloadKind::Deployment => "io.k8s.api.apps.v1.DeploymentSpec",
        WorkloadKind::StatefulSet => "io.k8s.api.apps.v1.StatefulSetSpec",
        WorkloadKind::DaemonSet => "io.k8s.api.apps.v1.DaemonSetSpec",
        WorkloadKind::ReplicaSet => "io.k8s.api.apps.v1.ReplicaSetSpec",
        WorkloadKind::ReplicationController => "io.k8s.api.core.v1.ReplicationControllerSpec",
        WorkloadKind::Job => "io.k8s.api.batch.v1.JobSpec",
        WorkloadKind::CronJob => "io.k8s.api.batch.v1.CronJobSpec",
    };
    Some((definition.into(), format!("a {kind:?} spec")))
}

/// How messages name one member of a family: "a configMap volume source".
fn member_name(family: FamilyId, key: &str) -> String {
    // Names read letter by letter that start with a vowel sound: "an nfs", "an httpGet".
    let spelled = ["httpGet", "nfs", "rbd", "fc"];
    let article = if key.starts_with(['a', 'e', 'i', 'o', 'u']) || spelled.contains(&key) {
        "an"
    } else {
        "a"
    };
    match family {
        FamilyId::ProbeHandler => format!("{article} {key} handler"),
        FamilyId::VolumeSource => format!("{article} {key} volume source"),
    }
}

/// A neighbour as the definitions it may be, in order.
fn expand(
    near: Near,
    definition: &str,
    kind: Option<WorkloadKind>,
    written: Option<&Map<String, Value>>,
) -> Vec<(String, String)> {
    match near {
        Near::To(level, _) => {
            let r = row(level);
            // A level of the workload's shape that this kind does not have.
            if let (Reach::Shape, Some(k)) = (r.reach, kind) {
                if !shape(k).iter().any(|s| s.level == level) {
                    return Vec::new();
                }
            }
            match r.schema {
                Schema::Member(family) => members(family, written),
                // As a neighbour, a container is a main one.
                Schema::Container => names(r.schema, kind).into_iter().take(1).collect(),
                Schema::One(..) => names(r.schema, kind),
                Schema::WorkloadSpec | Schema::None => Vec::new(),
            }
        }
        Near::OwnSpec => {
            let Some(k) = kind else { return Vec::new() };
            match shape(k)
                .iter()
                .find(|s| s.pointer == "/spec")
                .map(|s| s.level)
            {
                Some(Level::WorkloadSpec) => spec_schema(k).into_iter().collect(),
                Some(level) => names(row(level).schema, kind),
                None => Vec::new(),
            }
        }
        // Only a known workload's: which kind's spec is meant is not known otherwise.
        Near::WorkloadSpecs if kind.is_none() => Vec::new(),
        Near::WorkloadSpecs => names(Schema::WorkloadSpec, kind)
            .into_iter()
            .rev()
            .filter(|(d, _)| d != definition)
            .collect(),
    }
}

/// The members of a family in the order to try them: the one written in the mapping (if one
/// is), the common ones, the rest.
fn members(family: FamilyId, written: Option<&Map<String, Value>>) -> Vec<(String, String)> {
    let f = family.of(fields());
    let written: Vec<&str> = written
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|k| f.contains_key(k))
        .map(String::as_str)
        .collect();
    let first = match written.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let mut order: Vec<&str> = first.into_iter().collect();
    order.extend(family.common().iter().copied());
    order.extend(f.members.keys().map(String::as_str));
    let mut out: Vec<(String, String)> = Vec::new();
    for key in order {
        let Some(d) = f.definitions.get(key) else {
            continue;
        };
        if !out.iter().any(|(x, _)| x == d) {
            out.push((d.clone(), member_name(family, key)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neighbour_names(level: &SchemaLevel) -> Vec<&str> {
        level.neighbours.iter().map(|(_, n)| n.as_str()).collect()
    }

    #[test]
    fn a_container_and_its_neighbours() {
        let l = schema_level("io.k8s.api.core.v1.Container", None, None).expect("a level");
        assert_eq!(l.name, "a container");
        assert_eq!(
            neighbour_names(&l),
            [
                "the pod spec",
                "a container's securityContext",
                "the pod's securityContext",
                "a probe",
                "a volume mount",
                "an env entry",
                "a container port"
            ]
        );
        let l = schema_level("io.k8s.api.core.v1.EphemeralContainer", None, None).expect("a level");
        assert_eq!(l.name, "an ephemeral container");
        assert_eq!(l.neighbours[0].0, "io.k8s.api.core.v1.PodSpec");
    }

    #[test]
    fn workload_levels_follow_the_kind() {
        let pod_spec = "io.k8s.api.core.v1.PodSpec";
        // Not known to be a workload: no workload specs.
        let l = schema_level(pod_spec, None, None).expect("a level");
        assert_eq!(
            neighbour_names(&l),
            [
                "a container",
                "the pod's securityContext",
                "a container's securityContext",
                "metadata",
                "a volume"
            ]
        );
        // In a CronJob: the Job spec, then the CronJob's.
        let l = schema_level(pod_spec, Some(WorkloadKind::CronJob), None).expect("a level");
        assert_eq!(neighbour_names(&l)[3..5], ["a Job spec", "a CronJob spec"]);
        let l = schema_level(
            "io.k8s.api.batch.v1.JobSpec",
            Some(WorkloadKind::CronJob),
            None,
        )
        .expect("a level");
        assert_eq!(l.name, "a Job spec");
        assert_eq!(
            neighbour_names(&l),
            ["the pod spec", "the pod template", "a CronJob spec"]
        );
        // A Deployment's spec has no Job spec beside it.
        let l = schema_level(
            "io.k8s.api.apps.v1.DeploymentSpec",
            Some(WorkloadKind::Deployment),
            None,
        )
        .expect("a level");
        assert_eq!(neighbour_names(&l), ["the pod spec", "the pod template"]);
        // Metadata: the pod spec (a lost `spec:` line), then the object's own spec.
        let meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
        let l = schema_level(meta, Some(WorkloadKind::Deployment), None).expect("a level");
        assert_eq!(l.name, "metadata");
        assert_eq!(neighbour_names(&l), ["the pod spec", "a Deployment spec"]);
        let l = schema_level(meta, Some(WorkloadKind::Pod), None).expect("a level");
        assert_eq!(neighbour_names(&l), ["the pod spec"]);
    }

    #[test]
    fn a_family_is_its_members_the_one_written_first() {
        let volume = "io.k8s.api.core.v1.Volume";
        let written: Map<String, Value> =
            serde_json::from_str(r#"{"name": "a", "hostPath": {}}"#).expect("json");
        let l = schema_level(volume, None, Some(&written)).expect("a level");
        let names = neighbour_names(&l);
        assert_eq!(
            names[..3],
            [
                "a hostPath volume source",
                "a configMap volume source",
                "a secret volume source"
            ]
        );
        assert_eq!(l.neighbours[0].0, "io.k8s.api.core.v1.HostPathVolumeSource");
        assert!(names.contains(&"an nfs volume source"));
        assert_eq!(names.last(), Some(&"a volume mount"));
        // Each member once; none written, or several: the common ones first.
        let several: Map<String, Value> =
            serde_json::from_str(r#"{"secret": {}, "hostPath": {}}"#).expect("json");
        for w in [None, Some(&several)] {
            let l = schema_level(volume, None, w).expect("a level");
            let names = neighbour_names(&l);
            assert_eq!(names[0], "a configMap volume source");
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len());
        }

        let l = schema_level("io.k8s.api.core.v1.HTTPGetAction", None, None).expect("a level");
        assert_eq!(l.name, "an httpGet handler");
        assert_eq!(neighbour_names(&l), ["a probe"]);
        let l = schema_level("io.k8s.api.core.v1.Probe", None, None).expect("a level");
        assert_eq!(
            neighbour_names(&l),
            [
                "an httpGet handler",
                "a tcpSocket handler",
                "an exec handler",
                "a grpc handler",
                "a container"
            ]
        );
        let l = schema_level("io.k8s.api.core.v1.TCPSocketAction", None, None).expect("a level");
        assert_eq!(l.name, "a tcpSocket handler");
        assert!(schema_level("io.k8s.api.core.v1.Service", None, None).is_none());
    }
}
