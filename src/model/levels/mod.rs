//! The levels of a workload, as one table. A pod-bearing object is made of mappings of a few
//! kinds — its top level and metadata, the workload spec, the job and pod templates, the pod
//! spec, containers, probes and their handlers, volumes and their sources, mounts, variables,
//! ports, the pod's and each container's securityContext, affinity terms. Each row of
//! [`LEVELS`] says, for one of them: where it stands (its parent level and the steps below it,
//! or its place in each kind of workload), which fields it has (read from the API types, see
//! [`super::fields`]), the neighbouring levels a key written at the wrong level most likely
//! belongs to (in the order they are tried, each with why the key lives there), and how
//! messages name it.
//!
//! Two consumers ask the same table: `misplaced-field` walks an object with it ([`places`]),
//! and the schema messages ask it about an OpenAPI definition ([`schema`]) to say where an
//! unknown field belongs.

pub mod places;
pub mod schema;
mod wording;

pub use places::{keys_in_order, Home, Levels, Place};
pub use wording::{one_of, Why};

use super::fields::{fields, Family, FieldSet, Fields};
use super::pod::{ContainerRole, WorkloadKind};
use std::sync::OnceLock;

/// One kind of mapping in a pod-bearing object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The object's top level (`apiVersion`, `kind`, `metadata`, `spec`, `status`).
    Object,
    /// A workload's spec (a Deployment's, a CronJob's), and the Job spec in a CronJob's job
    /// template.
    WorkloadSpec,
    /// A CronJob's `jobTemplate`.
    JobTemplate,
    /// A workload's pod template (`metadata` and `spec` of its Pods).
    PodTemplate,
    /// The metadata of the Pods: a Pod's own, or the pod template's.
    PodMetadata,
    /// The object's own metadata.
    ObjectMeta,
    PodSpec,
    PodSecurityContext,
    Volume,
    /// The one source of a volume (`configMap`, `hostPath`, `projected`, ...).
    VolumeSource,
    /// An item of a projected volume's `sources`.
    ProjectedSource,
    /// An item of pod (anti-)affinity's preferred terms: `weight` and `podAffinityTerm`.
    WeightedPodAffinityTerm,
    PodAffinityTerm,
    /// An item of node affinity's preferred terms: `weight` and `preference`.
    PreferredSchedulingTerm,
    NodeSelectorTerm,
    /// A container of any role (main, init, ephemeral).
    Container,
    /// A container's securityContext.
    SecurityContext,
    /// A container's liveness, readiness or startup probe.
    Probe,
    /// The one handler of a probe (`httpGet`, `tcpSocket`, `exec`, `grpc`).
    ProbeHandler,
    VolumeMount,
    /// An entry of a container's `env`.
    EnvVar,
    /// An env entry's `valueFrom`.
    EnvVarSource,
    /// An entry of a container's `ports`.
    ContainerPort,
}

/// One step below a parent level's mapping.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// The mapping at this key.
    Key(&'static str),
    /// The mapping at any of these keys (a container's probes). As a neighbour: the only one
    /// written; when several or none are, which one is meant is not known.
    AnyKey(&'static [&'static str]),
    /// An item of a list of containers (`initContainers`, `containers`,
    /// `ephemeralContainers`). As a neighbour: a main container, the only one if there is one.
    Containers,
    /// An item of the list at this key. As a neighbour: its only mapping, if there is one.
    Item(&'static str),
    /// An item of the list at this key. As a neighbour: never one item in particular (a key
    /// is not moved into whichever volume happens to be the only one: each has its source).
    AnyItem(&'static str),
    /// The mapping at the one key of a family written (a probe's handler, a volume's
    /// source). As a neighbour: none when several or none are written.
    Member(FamilyId),
}

impl Step {
    /// The key of the list this step goes through, if it is a list item (a neighbour
    /// reached through `Containers` is a main container).
    fn list(self) -> Option<&'static str> {
        match self {
            Step::Containers => Some(ContainerRole::Main.field()),
            Step::Item(k) | Step::AnyItem(k) => Some(k),
            Step::Key(_) | Step::AnyKey(_) | Step::Member(_) => None,
        }
    }
}

/// A family of alternatives named by their key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyId {
    ProbeHandler,
    VolumeSource,
}

impl FamilyId {
    pub fn of(self, f: &'static Fields) -> &'static Family {
        match self {
            FamilyId::ProbeHandler => &f.probe_handlers,
            FamilyId::VolumeSource => &f.volume_sources,
        }
    }

    /// The members most manifests use, first: when none is written, a field they share (a
    /// handler's `port`, a source's `items`) is most likely meant for the first of them.
    pub fn common(self) -> &'static [&'static str] {
        match self {
            FamilyId::ProbeHandler => &["httpGet", "tcpSocket", "exec", "grpc"],
            FamilyId::VolumeSource => &[
                "configMap",
                "secret",
                "emptyDir",
                "hostPath",
                "persistentVolumeClaim",
                "projected",
                "downwardAPI",
            ],
        }
    }
}

/// Where a level stands.
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    /// At a pointer that depends on the kind of workload ([`shape`]).
    Shape,
    /// Below a mapping of the parent level, by these steps.
    Below(Level, &'static [Step]),
}

/// A neighbour of a level: where a key that is not a field here may belong.
#[derive(Debug, Clone, Copy)]
pub enum Near {
    /// A level, with why the key lives there when it is not the level's own reason.
    To(Level, Option<Why>),
    /// The object's own spec: its workload spec, or a Pod's pod spec.
    OwnSpec,
    /// Every workload spec of the object but this one, innermost first (a CronJob has its
    /// own and its job template's).
    WorkloadSpecs,
}

const fn to(level: Level) -> Near {
    Near::To(level, None)
}

const fn to_because(level: Level, why: Why) -> Near {
    Near::To(level, Some(why))
}

/// How the schema messages know a level: its OpenAPI definition(s) and what they call it.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    /// Not a definition (the object's top level).
    None,
    One(&'static str, &'static str),
    /// A container: `Container` or `EphemeralContainer`.
    Container,
    /// The spec definition of each workload kind.
    WorkloadSpec,
    /// The definition of each member of a family.
    Member(FamilyId),
}

/// One row of the table.
pub struct Row {
    pub level: Level,
    pub reach: Reach,
    /// Its fields, at a place (a container's depend on its role, a workload spec's on the
    /// kind, a handler's or a source's on which one it is).
    fields: fn(&'static Fields, &Place) -> &'static FieldSet,
    pub schema: Schema,
    /// Where a key that is not a field here may belong, in the order they are tried.
    pub neighbours: &'static [Near],
    /// Why a field lives at this level.
    pub why: Why,
}

impl Row {
    /// The fields of this level at `place`.
    pub fn fields(&self, place: &Place) -> &'static FieldSet {
        (self.fields)(fields(), place)
    }
}

/// The probes of a container, in the order messages name them.
pub const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];

const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";

use Level as L;

/// Every level, parents before their children; an object is walked in this order (each
/// mapping once: a Pod's metadata is its pods' metadata).
pub static LEVELS: &[Row] = &[
    Row {
        level: L::Object,
        reach: Reach::Shape,
        fields: |_, _| top_fields(),
        schema: Schema::None,
        neighbours: &[Near::OwnSpec, to(L::ObjectMeta)],
        why: Why::TopLevel,
    },
    Row {
        level: L::WorkloadSpec,
        reach: Reach::Shape,
        fields: |f, p| match p.kind {
            WorkloadKind::Deployment => &f.deployment,
            WorkloadKind::StatefulSet => &f.stateful_set,
            WorkloadKind::DaemonSet => &f.daemon_set,
            WorkloadKind::ReplicaSet => &f.replica_set,
            WorkloadKind::ReplicationController => &f.replication_controller,
            WorkloadKind::Job => &f.job,
            WorkloadKind::CronJob => &f.cron_job,
            WorkloadKind::Pod => &f.pod_spec,
            // Never reached: custom resources have no levels.
            WorkloadKind::DeploymentConfig | WorkloadKind::Rollout => &f.deployment,
        },
        schema: Schema::WorkloadSpec,
        neighbours: &[to(L::PodSpec), to(L::PodTemplate), Near::WorkloadSpecs],
        why: Why::Workload,
    },
    Row {
        level: L::JobTemplate,
        reach: Reach::Shape,
        fields: |f, _| &f.job_template,
        schema: Schema::One("io.k8s.api.batch.v1.JobTemplateSpec", "a job template"),
        neighbours: &[Near::WorkloadSpecs, to(L::PodSpec)],
        why: Why::Workload,
    },
    Row {
        level: L::PodTemplate,
        reach: Reach::Shape,
        fields: |f, _| &f.pod_template,
        schema: Schema::One("io.k8s.api.core.v1.PodTemplateSpec", "the pod template"),
        neighbours: &[to(L::PodSpec), to(L::PodMetadata), Near::WorkloadSpecs],
        why: Why::Template,
    },
    Row {
        level: L::PodMetadata,
        reach: Reach::Shape,
        fields: |f, _| &f.object_meta,
        schema: Schema::One(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "metadata",
        ),
        neighbours: &[to(L::PodSpec)],
        why: Why::Metadata,
    },
    Row {
        level: L::ObjectMeta,
        reach: Reach::Shape,
        fields: |f, _| &f.object_meta,
        schema: Schema::One(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "metadata",
        ),
        neighbours: &[Near::OwnSpec],
        why: Why::TopLevel,
    },
    Row {
        level: L::PodSpec,
        reach: Reach::Shape,
        fields: |f, _| &f.pod_spec,
        schema: Schema::One("io.k8s.api.core.v1.PodSpec", "the pod spec"),
        neighbours: &[
            to(L::Container),
            to(L::PodSecurityContext),
            to(L::SecurityContext),
            Near::WorkloadSpecs,
            to(L::PodMetadata),
            to(L::Volume),
        ],
        why: Why::Machine,
    },
    Row {
        level: L::PodSecurityContext,
        reach: Reach::Below(L::PodSpec, &[Step::Key("securityContext")]),
        fields: |f, _| &f.pod_security,
        schema: Schema::One(
            "io.k8s.api.core.v1.PodSecurityContext",
            "the pod's securityContext",
        ),
        neighbours: &[to(L::SecurityContext), to(L::PodSpec)],
        why: Why::PodSecurity,
    },
    Row {
        level: L::Volume,
        reach: Reach::Below(L::PodSpec, &[Step::AnyItem("volumes")]),
        fields: |f, _| &f.volume,
        schema: Schema::One("io.k8s.api.core.v1.Volume", "a volume"),
        neighbours: &[to(L::VolumeSource), to_because(L::VolumeMount, Why::Mount)],
        why: Why::VolumeEntry,
    },
    Row {
        level: L::VolumeSource,
        reach: Reach::Below(L::Volume, &[Step::Member(FamilyId::VolumeSource)]),
        fields: |f, p| member_fields(&f.volume_sources, p),
        schema: Schema::Member(FamilyId::VolumeSource),
        neighbours: &[to(L::Volume)],
        why: Why::VolumeSource,
    },
    Row {
        level: L::ProjectedSource,
        reach: Reach::Below(L::Volume, &[Step::Key("projected"), Step::Item("sources")]),
        fields: |f, _| &f.volume_projection,
        schema: Schema::One("io.k8s.api.core.v1.VolumeProjection", "a projected source"),
        neighbours: &[],
        why: Why::VolumeSource,
    },
    Row {
        level: L::WeightedPodAffinityTerm,
        reach: Reach::Below(
            L::PodSpec,
            &[
                Step::Key("affinity"),
                Step::AnyKey(&["podAffinity", "podAntiAffinity"]),
                Step::Item(PREFERRED),
            ],
        ),
        fields: |f, _| &f.weighted_pod_affinity_term,
        schema: Schema::One(
            "io.k8s.api.core.v1.WeightedPodAffinityTerm",
            "a weighted pod affinity term",
        ),
        neighbours: &[],
        why: Why::Machine,
    },
    Row {
        level: L::PodAffinityTerm,
        reach: Reach::Below(L::WeightedPodAffinityTerm, &[Step::Key("podAffinityTerm")]),
        fields: |f, _| &f.pod_affinity_term,
        schema: Schema::One("io.k8s.api.core.v1.PodAffinityTerm", "a pod affinity term"),
        neighbours: &[],
        why: Why::Machine,
    },
    Row {
        level: L::PreferredSchedulingTerm,
        reach: Reach::Below(
            L::PodSpec,
            &[
                Step::Key("affinity"),
                Step::Key("nodeAffinity"),
                Step::Item(PREFERRED),
            ],
        ),
        fields: |f, _| &f.preferred_scheduling_term,
        schema: Schema::One(
            "io.k8s.api.core.v1.PreferredSchedulingTerm",
            "a preferred scheduling term",
        ),
        neighbours: &[],
        why: Why::Machine,
    },
    Row {
        level: L::NodeSelectorTerm,
        reach: Reach::Below(L::PreferredSchedulingTerm, &[Step::Key("preference")]),
        fields: |f, _| &f.node_selector_term,
        schema: Schema::One(
            "io.k8s.api.core.v1.NodeSelectorTerm",
            "a node selector term",
        ),
        neighbours: &[],
        why: Why::Machine,
    },
    Row {
        level: L::Container,
        reach: Reach::Below(L::PodSpec, &[Step::Containers]),
        fields: |f, p| match p.role() {
            Some(ContainerRole::Ephemeral) => &f.ephemeral_container,
            _ => &f.container,
        },
        schema: Schema::Container,
        neighbours: &[
            to(L::PodSpec),
            to(L::SecurityContext),
            to(L::PodSecurityContext),
            to(L::Probe),
            to(L::VolumeMount),
            to(L::EnvVar),
            to(L::ContainerPort),
        ],
        why: Why::Program,
    },
    Row {
        level: L::SecurityContext,
        reach: Reach::Below(L::Container, &[Step::Key("securityContext")]),
        fields: |f, _| &f.container_security,
        schema: Schema::One(
            "io.k8s.api.core.v1.SecurityContext",
            "a container's securityContext",
        ),
        neighbours: &[to(L::PodSecurityContext), to(L::Container)],
        why: Why::ContainerSecurity,
    },
    Row {
        level: L::Probe,
        reach: Reach::Below(L::Container, &[Step::AnyKey(PROBES)]),
        fields: |f, _| &f.probe,
        schema: Schema::One("io.k8s.api.core.v1.Probe", "a probe"),
        neighbours: &[to(L::ProbeHandler), to(L::Container)],
        why: Why::ProbeTiming,
    },
    Row {
        level: L::ProbeHandler,
        reach: Reach::Below(L::Probe, &[Step::Member(FamilyId::ProbeHandler)]),
        fields: |f, p| member_fields(&f.probe_handlers, p),
        schema: Schema::Member(FamilyId::ProbeHandler),
        neighbours: &[to(L::Probe)],
        why: Why::ProbeHandler,
    },
    Row {
        level: L::VolumeMount,
        reach: Reach::Below(L::Container, &[Step::Item("volumeMounts")]),
        fields: |f, _| &f.volume_mount,
        schema: Schema::One("io.k8s.api.core.v1.VolumeMount", "a volume mount"),
        neighbours: &[
            to_because(L::Volume, Why::VolumeDefinition),
            to(L::Container),
        ],
        why: Why::ListEntry,
    },
    Row {
        level: L::EnvVar,
        reach: Reach::Below(L::Container, &[Step::Item("env")]),
        fields: |f, _| &f.env_var,
        schema: Schema::One("io.k8s.api.core.v1.EnvVar", "an env entry"),
        neighbours: &[to(L::Container), to(L::EnvVarSource)],
        why: Why::ListEntry,
    },
    Row {
        level: L::EnvVarSource,
        reach: Reach::Below(L::EnvVar, &[Step::Key("valueFrom")]),
        fields: |f, _| &f.env_var_source,
        schema: Schema::One(
            "io.k8s.api.core.v1.EnvVarSource",
            "an env entry's valueFrom",
        ),
        neighbours: &[to_because(L::EnvVar, Why::Variable)],
        why: Why::ValueSource,
    },
    Row {
        level: L::ContainerPort,
        reach: Reach::Below(L::Container, &[Step::Item("ports")]),
        fields: |f, _| &f.container_port,
        schema: Schema::One("io.k8s.api.core.v1.ContainerPort", "a container port"),
        neighbours: &[to(L::Container)],
        why: Why::ListEntry,
    },
];

/// The row of a level.
pub fn row(level: Level) -> &'static Row {
    LEVELS
        .iter()
        .find(|r| r.level == level)
        .expect("every level has a row")
}

/// The level written under one key of `level`, and that key: the term of a weighted
/// affinity item (`podAffinityTerm`, `preference`).
pub fn wrapped(level: Level) -> Option<(Level, &'static str)> {
    LEVELS.iter().find_map(|r| match r.reach {
        Reach::Below(parent, [Step::Key(key)]) if parent == level => Some((r.level, *key)),
        _ => None,
    })
}

/// The fields of a family member at a place (none for a key that is not a member).
fn member_fields(family: &'static Family, place: &Place) -> &'static FieldSet {
    static NONE: FieldSet = FieldSet::new();
    place
        .key
        .as_deref()
        .and_then(|k| family.get(k))
        .unwrap_or(&NONE)
}

/// The fields of every object's top level: the type (`apiVersion`, `kind`), `metadata`, and
/// the `spec` and `status` of a workload.
fn top_fields() -> &'static FieldSet {
    static TOP: OnceLock<FieldSet> = OnceLock::new();
    TOP.get_or_init(|| {
        ["apiVersion", "kind", "metadata", "spec", "status"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    })
}

/// Where a level above the pod spec stands in a kind of workload.
#[derive(Debug, Clone, Copy)]
pub struct Spot {
    pub level: Level,
    pub pointer: &'static str,
    /// For a workload spec, the kind whose spec it is when it is not the object's own (a
    /// CronJob's job template holds a Job spec).
    pub spec_of: Option<WorkloadKind>,
}

const fn at(level: Level, pointer: &'static str) -> Spot {
    Spot {
        level,
        pointer,
        spec_of: None,
    }
}

/// A Pod: its metadata is both the object's and its Pod's.
const POD: &[Spot] = &[
    at(L::Object, ""),
    at(L::PodMetadata, "/metadata"),
    at(L::ObjectMeta, "/metadata"),
    at(L::PodSpec, "/spec"),
];

/// A workload whose spec holds the pod template.
const CONTROLLER: &[Spot] = &[
    at(L::Object, ""),
    at(L::WorkloadSpec, "/spec"),
    at(L::PodTemplate, "/spec/template"),
    at(L::PodMetadata, "/spec/template/metadata"),
    at(L::ObjectMeta, "/metadata"),
    at(L::PodSpec, "/spec/template/spec"),
];

/// A CronJob: its spec holds a job template, whose Job spec holds the pod template.
const CRON_JOB: &[Spot] = &[
    at(L::Object, ""),
    at(L::WorkloadSpec, "/spec"),
    Spot {
        level: L::WorkloadSpec,
        pointer: "/spec/jobTemplate/spec",
        spec_of: Some(WorkloadKind::Job),
    },
    at(L::JobTemplate, "/spec/jobTemplate"),
    at(L::PodTemplate, "/spec/jobTemplate/spec/template"),
    at(L::PodMetadata, "/spec/jobTemplate/spec/template/metadata"),
    at(L::ObjectMeta, "/metadata"),
    at(L::PodSpec, "/spec/jobTemplate/spec/template/spec"),
];

/// Where each level above the pod spec stands in a kind of workload, outermost first.
pub fn shape(kind: WorkloadKind) -> &'static [Spot] {
    match kind {
        WorkloadKind::Pod => POD,
        WorkloadKind::CronJob => CRON_JOB,
        _ => CONTROLLER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_their_children() {
        for (i, r) in LEVELS.iter().enumerate() {
            assert_eq!(row(r.level).level, r.level);
            assert_eq!(
                LEVELS.iter().filter(|o| o.level == r.level).count(),
                1,
                "{:?} twice",
                r.level
            );
            if let Reach::Below(parent, steps) = r.reach {
                let p = LEVELS.iter().position(|o| o.level == parent);
                assert!(p.is_some_and(|p| p < i), "{:?} before its parent", r.level);
                assert!(!steps.is_empty());
            }
        }
    }

    #[test]
    fn shapes_agree_with_the_workload_kinds() {
        use WorkloadKind::*;
        for kind in [
            Pod,
            Deployment,
            StatefulSet,
            DaemonSet,
            ReplicaSet,
            ReplicationController,
            Job,
            CronJob,
        ] {
            let spots = shape(kind);
            let one = |level| {
                let found: Vec<&Spot> = spots.iter().filter(|s| s.level == level).collect();
                assert!(found.len() <= 1, "{kind:?} {level:?}");
                found.first().map(|s| s.pointer)
            };
            assert_eq!(one(L::PodSpec), Some(kind.pod_spec_pointer()), "{kind:?}");
            assert_eq!(
                one(L::PodMetadata),
                Some(kind.pod_metadata_pointer()),
                "{kind:?}"
            );
            assert_eq!(one(L::Object), Some(""));
            assert_eq!(one(L::ObjectMeta), Some("/metadata"));
            // Every level of a shape is reached by the shape, and the object's spec is a
            // workload spec or the pod spec.
            for s in spots {
                assert!(matches!(row(s.level).reach, Reach::Shape), "{:?}", s.level);
            }
            let own = spots.iter().find(|s| s.pointer == "/spec").map(|s| s.level);
            assert!(
                matches!(own, Some(L::WorkloadSpec | L::PodSpec)),
                "{kind:?}"
            );
        }
        assert_eq!(
            shape(CronJob)
                .iter()
                .filter(|s| s.level == L::WorkloadSpec)
                .count(),
            2
        );
    }

    #[test]
    fn every_shape_level_is_in_some_shape() {
        for r in LEVELS.iter().filter(|r| matches!(r.reach, Reach::Shape)) {
            assert!(
                [POD, CONTROLLER, CRON_JOB]
                    .iter()
                    .any(|s| s.iter().any(|spot| spot.level == r.level)),
                "{:?}",
                r.level
            );
        }
    }

    #[test]
    fn every_level_has_fields() {
        let f = fields();
        assert!(f.env_var_source.contains("fieldRef"));
        for r in LEVELS {
            if matches!(r.schema, Schema::Member(_)) || r.level == L::WorkloadSpec {
                continue;
            }
            let place = Place::bare(r.level);
            assert!(!r.fields(&place).is_empty(), "{:?}", r.level);
        }
    }
}
