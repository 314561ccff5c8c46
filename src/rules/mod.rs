//! The rule engine: the [`Rule`] trait, [`Finding`]s (a pointer, a message, help and an
//! optional fix plan — never a span), and the one registry of every rule.
//!
//! A rule is declared once, next to its type, with [`declare_rule!`]: id, default severity,
//! category, whether it offers fixes, and what it inspects. Its one-line summary is the first
//! paragraph of `rules/<id>.md`, compiled in. The registry at the bottom of this file lists
//! every rule once and generates [`RuleId`], the typed id used everywhere else.
//!
//! Rules see typed models and return pointers relative to the object they inspect; the check
//! pipeline turns pointers into file, line, column and snippet. Rules that the pipeline itself
//! emits (`yaml-syntax`, `schema`, `io`, ...) are declared in [`pipeline`] with the same macro,
//! so that `kubevet rules`, severities and suppressions treat every id alike. Rules over the
//! whole checked set (PodPreset conflicts) implement [`project::ProjectPass`].

/// Declare a rule: its type (a unit struct) with its metadata (`<Type>::META`) and its typed
/// id (`<Type>::ID`, the [`RuleId`] variant of the same name). The rule's file then implements [`Rule`] (an object
/// rule), [`project::ProjectPass`] (a project rule) or nothing (a rule the pipeline reports).
///
/// ```ignore
/// declare_rule! {
///     /// Doc comment of the type.
///     pub struct HostNamespace {
///         id: "host-namespace",
///         severity: Warning,
///         category: Security,
///         inspects: Pods,
///     }
/// }
/// ```
///
/// `fixable: true` declares that the rule offers fixes (the tests check that it does, and
/// that rules without it never do); `opt_in: true` leaves the rule off unless it is selected
/// or given a level in the configuration; `inspects` defaults to every object;
/// `whole_object: true` keeps the rule off Kustomize patches (see [`RuleMeta::whole_object`]).
macro_rules! declare_rule {
    (
        $(#[$attr:meta])*
        $vis:vis struct $ty:ident {
            id: $id:literal,
            severity: $sev:ident,
            category: $cat:ident
            $(, fixable: $fix:literal)?
            $(, opt_in: $opt:literal)?
            $(, inspects: $scope:ident $(($($kinds:tt)*))?)?
            $(, whole_object: $whole:literal)?
            $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                rule: $crate::rules::RuleId::$ty,
                severity: $crate::rules::Severity::$sev,
                category: $crate::rules::Category::$cat,
                doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".md")),
                fixable: declare_rule!(@fix $($fix)?),
                enabled_by_default: !declare_rule!(@fix $($opt)?),
                inspects: declare_rule!(@scope $($scope $(($($kinds)*))?)?),
                whole_object: declare_rule!(@fix $($whole)?),
            };
            #[allow(dead_code)]
            pub const ID: $crate::rules::RuleId = $crate::rules::RuleId::$ty;
        }
    };
    (@fix) => { false };
    (@fix $fix:literal) => { $fix };
    (@scope) => { $crate::rules::Inspects::Objects };
    (@scope Kinds($($kinds:tt)*)) => { $crate::rules::Inspects::Kinds(&[$($kinds)*]) };
    (@scope $scope:ident) => { $crate::rules::Inspects::$scope };
}

// Helpers shared by rules; each rule's own module is declared by the registry below.
mod api_fields;
mod api_objects;
mod credentials;
mod handlers;
mod host_paths;
mod image;
mod levels;
pub mod pipeline;
pub mod pod_security;
mod probes;
pub mod project;
mod rbac_rules;
pub mod service_selectors;
#[cfg(test)]
pub(crate) mod testing;
mod written;

pub use image::ImageRef;
pub use levels::RuleLevels;
pub use project::{ProjectOut, ProjectPass};

use crate::model::{Object, PodView};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Correctness,
    Reliability,
    Security,
    Deprecation,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Reliability => "reliability",
            Category::Security => "security",
            Category::Deprecation => "deprecation",
        }
    }
}

/// The objects an object rule looks at; the engine hands each object only to the rules that
/// inspect it, so a rule costs nothing on the objects it does not inspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inspects {
    /// Every object.
    Objects,
    /// Objects that carry a pod spec (Pod and every workload with a pod template).
    Pods,
    /// Objects of these kinds, as `(API group, kind)`; the core group is `""`.
    Kinds(&'static [(&'static str, &'static str)]),
}

/// A rule's static description.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub rule: RuleId,
    pub severity: Severity,
    pub category: Category,
    /// The rule's documentation (`rules/<id>.md`).
    pub doc: &'static str,
    /// Whether the rule offers fixes.
    pub fixable: bool,
    /// Whether the rule runs unless turned off (opt-in rules run only when selected or given a
    /// level).
    pub enabled_by_default: bool,
    pub inspects: Inspects,
    /// Whether the rule judges what an object leaves out or how its parts relate (required
    /// fields, selectors, probes): such a rule does not run on a partial object, a Kustomize
    /// patch, which holds only what it changes.
    pub whole_object: bool,
}

impl RuleMeta {
    /// The one-line summary: the first paragraph of the rule's documentation.
    pub fn summary(&self) -> &'static str {
        static SUMMARIES: OnceLock<Vec<String>> = OnceLock::new();
        SUMMARIES.get_or_init(|| {
            RuleId::ALL
                .iter()
                .map(|r| summary_of(r.meta().doc))
                .collect()
        })[self.rule.index()]
        .as_str()
    }
}

/// The first paragraph after the title of a rule document, on one line.
fn summary_of(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the run asks of the rules: the settings rules read, set once per run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target Kubernetes minor version (1.x): version-dependent rules follow it.
    pub minor: u32,
    /// The Pod Security Standards level pods are held to outside a namespace that enforces one.
    pub pod_security: crate::pss::Level,
    /// The rules named with `--select`: a Pod Security rule named there runs even when the
    /// level does not include its control.
    pub named: Vec<RuleId>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            minor: crate::schema::supported_minor(),
            pod_security: crate::pss::Level::Baseline,
            named: Vec::new(),
        }
    }
}

/// Everything a rule may look at for one object.
pub struct Context<'a> {
    pub object: &'a Object<'a>,
    /// The typed pod view, for pod-bearing kinds whose pod spec has the right shape.
    pub pod: Option<&'a PodView>,
    /// What the project pass learned about the whole checked set.
    pub project: &'a ProjectOut,
    pub options: &'a Options,
    /// The Pod Security verdict on `pod`, computed by the first rule that asks.
    pub pod_security: pod_security::Cache,
    /// The object passed the strict built-in schema of the newest embedded Kubernetes version:
    /// every key it holds is a field where it stands. A rule that only diagnoses keys the
    /// schema rejects may skip such an object.
    pub schema_valid: bool,
}

/// A check over one object.
pub trait Rule: Sync + Send {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Which part of the node at the pointer a finding underlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// The value (the default).
    #[default]
    Value,
    /// The mapping key (for unknown or misplaced fields).
    Key,
    /// The key and its value.
    Entry,
}

/// A secondary location that explains a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub pointer: String,
    pub target: Target,
    pub label: String,
}

/// A fix, described in terms of the tree; `crate::fix` turns it into text edits.
#[derive(Debug, Clone, PartialEq)]
pub enum FixPlan {
    /// Move the key at `from` (with its whole block) into the mapping at `to`. `to` may also
    /// be a key whose value is null (written as nothing, `null` or `~`): it becomes a mapping;
    /// or missing: it is created (mapping keys, or `/0` for a new one-item list).
    MoveKey { from: String, to: String },
    /// Move several keys of one mapping (each with its block, in order) into the mapping, the
    /// null value, or the missing key at `into`: `items` beside `downwardAPI` goes inside it;
    /// `path` and `port` of a probe go under a new `httpGet`.
    NestKeys { keys: Vec<String>, into: String },
    /// Rename the key at `key` to `to`, in place: its value, comments and position stay. Not
    /// offered when the mapping already has `to` or the key is not written as plain text.
    RenameKey { key: String, to: String },
}

/// One problem found by a rule, relative to the object it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: RuleId,
    /// Object-relative JSON pointer.
    pub pointer: String,
    pub target: Target,
    pub message: String,
    pub help: Option<String>,
    /// Label under the primary span.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub fix: Option<(String, FixPlan)>,
    /// `schema` findings at or below these object-relative pointers are replaced by this one.
    pub replaces_schema: Vec<String>,
    /// This finding's level when the configuration does not set the rule's: for rules whose
    /// level depends on what was found (documented in the rule's page).
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: RuleId, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            pointer: pointer.into(),
            target: Target::Value,
            message: message.into(),
            help: None,
            label: None,
            related: Vec::new(),
            fix: None,
            replaces_schema: Vec::new(),
            severity: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn at(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    pub fn related(
        mut self,
        pointer: impl Into<String>,
        target: Target,
        label: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            pointer: pointer.into(),
            target,
            label: label.into(),
        });
        self
    }

    pub fn fix(mut self, title: impl Into<String>, plan: FixPlan) -> Self {
        self.fix = Some((title.into(), plan));
        self
    }

    /// Claim the `schema` findings at or below `pointer` (may be called more than once).
    pub fn replaces_schema_at(mut self, pointer: impl Into<String>) -> Self {
        self.replaces_schema.push(pointer.into());
        self
    }

    /// Report at this level unless the configuration sets the rule's.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// The registry: every rule once. Declares each rule's module (`src/rules/<module>.rs`) and
/// generates [`RuleId`] (one variant per rule, named after its type) and the lists the engine
/// runs. Adding a rule is one line here.
macro_rules! registry {
    (
        object: [$($omod:ident :: $oty:ident),* $(,)?],
        project: [$($pmod:ident :: $pty:ident),* $(,)?],
        pipeline: [$($ty:ident),* $(,)?] $(,)?
    ) => {
        $(mod $omod;)*
        $(mod $pmod;)*

        /// A rule's id, typed. Displayed and parsed as its kebab-case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($oty,)*
            $($pty,)*
            $($ty,)*
        }

        impl RuleId {
            /// Every rule, in registry order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$oty,)* $(RuleId::$pty,)* $(RuleId::$ty,)*];

            /// The rule's metadata.
            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $(RuleId::$oty => &$omod::$oty::META,)*
                    $(RuleId::$pty => &$pmod::$pty::META,)*
                    $(RuleId::$ty => &pipeline::$ty::META,)*
                }
            }
        }

        /// Every object rule, in the order they run.
        static OBJECT_RULES: &[(RuleId, &dyn Rule)] = &[$((RuleId::$oty, &$omod::$oty),)*];

        /// Every project rule.
        static PROJECT_RULES: &[(RuleId, &dyn ProjectPass)] = &[$((RuleId::$pty, &$pmod::$pty),)*];
    };
}

registry! {
    object: [
        latest_tag_pull_policy::LatestTagPullPolicy,
        misplaced_field::MisplacedField,
        projected_items_shape::ProjectedItemsShape,
        missing_liveness_probe::MissingLivenessProbe,
        missing_readiness_probe::MissingReadinessProbe,
        env_freshness::EnvFreshness,
        subpath_freshness::SubpathFreshness,
        etc_hosts_edit::EtcHostsEdit,
        undefined_volume::UndefinedVolume,
        duplicate_name::DuplicateName,
        invalid_downward_field::InvalidDownwardField,
        init_container_probe::InitContainerProbe,
        controller_restart_policy::ControllerRestartPolicy,
        selector_mismatch::SelectorMismatch,
        secret_not_base64::SecretNotBase64,
        host_namespace::HostNamespace,
        node_name_pinned::NodeNamePinned,
        invalid_name::InvalidName,
        invalid_label::InvalidLabel,
        invalid_namespace::InvalidNamespace,
        object_too_large::ObjectTooLarge,
        invalid_config_data::InvalidConfigData,
        invalid_rbac::InvalidRbac,
        invalid_port::InvalidPort,
        invalid_resources::InvalidResources,
        invalid_env::InvalidEnv,
        invalid_probe::InvalidProbe,
        invalid_volume::InvalidVolume,
        invalid_pod_spec::InvalidPodSpec,
        invalid_schedule::InvalidSchedule,
        invalid_service::InvalidService,
        invalid_ingress::InvalidIngress,
        invalid_autoscaling::InvalidAutoscaling,
        invalid_disruption_budget::InvalidDisruptionBudget,
        invalid_workload_spec::InvalidWorkloadSpec,
        invalid_kubeadm_config::InvalidKubeadmConfig,
        privileged_container::PrivilegedContainer,
        added_capabilities::AddedCapabilities,
        host_path_volume::HostPathVolume,
        host_port::HostPort,
        apparmor_profile::ApparmorProfile,
        selinux_options::SelinuxOptions,
        proc_mount::ProcMount,
        seccomp_profile::SeccompProfile,
        unsafe_sysctl::UnsafeSysctl,
        windows_host_process::WindowsHostProcess,
        probe_host::ProbeHost,
        restricted_volume_type::RestrictedVolumeType,
        allow_privilege_escalation::AllowPrivilegeEscalation,
        run_as_non_root::RunAsNonRoot,
        run_as_root_user::RunAsRootUser,
        capabilities_not_dropped::CapabilitiesNotDropped,
        runtime_socket_mount::RuntimeSocketMount,
        sensitive_host_path::SensitiveHostPath,
        missing_resources::MissingResources,
        missing_cpu_limit::MissingCpuLimit,
        plaintext_secret_env::PlaintextSecretEnv,
        committed_secret::CommittedSecret,
        sensitive_configmap_content::SensitiveConfigmapContent,
        deprecated_service_account_field::DeprecatedServiceAccountField,
        default_service_account::DefaultServiceAccount,
        automount_service_account_token::AutomountServiceAccountToken,
        read_only_root_filesystem::ReadOnlyRootFilesystem,
        rbac_wildcard::RbacWildcard,
        rbac_dangerous_verbs::RbacDangerousVerbs,
        cluster_admin_binding::ClusterAdminBinding,
    ],
    project: [
        podpreset_conflict::PodpresetConflict,
    ],
    pipeline: [
        Io,
        UnrenderedTemplate,
        KustomizeBuild,
        UnsupportedCelRule,
        YamlSyntax,
        DuplicateKey,
        Schema,
        MissingSchema,
        UnusableSchema,
        RemovedApiVersion,
        DeprecatedApiVersion,
        InvalidIgnore,
        UnusedIgnore,
    ],
}

impl RuleId {
    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }

    /// The rule with this id (constant time).
    pub fn parse(id: &str) -> Option<RuleId> {
        static BY_ID: OnceLock<HashMap<&'static str, RuleId>> = OnceLock::new();
        BY_ID
            .get_or_init(|| RuleId::ALL.iter().map(|r| (r.as_str(), *r)).collect())
            .get(id)
            .copied()
    }

    /// Position in [`RuleId::ALL`], for tables indexed by rule.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The message for a name that is no rule id (`where` it was named, e.g. " in ignore"),
    /// with the closest id when there is one. The one wording for the command line, the
    /// configuration file and ignores.
    pub fn unknown(name: &str, place: &str) -> String {
        crate::suggest::with_suggestion(
            format!("unknown rule `{name}`{place}"),
            name,
            RuleId::ALL.iter().map(|r| r.as_str()),
        )
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule id equals its kebab-case text.
impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Rule ids order by their text, so output sorted by rule is sorted alphabetically.
impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Remove `schema` findings that a more specific finding explains.
pub fn drop_replaced_schema_findings(findings: &mut Vec<Finding>) {
    let claims: Vec<String> = findings
        .iter()
        .flat_map(|f| f.replaces_schema.iter().cloned())
        .collect();
    if claims.is_empty() {
        return;
    }
    findings.retain(|f| {
        f.rule != RuleId::Schema
            || !claims
                .iter()
                .any(|c| crate::pointer::starts_with(&f.pointer, c))
    });
}

/// The object rules, each with its id, in the order they run.
pub fn object_rules() -> &'static [(RuleId, &'static dyn Rule)] {
    OBJECT_RULES
}

/// The project rules, each with its id.
pub fn project_rules() -> &'static [(RuleId, &'static dyn ProjectPass)] {
    PROJECT_RULES
}

/// Metadata of every rule, sorted by id.
pub fn all() -> &'static [&'static RuleMeta] {
    static SORTED: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = RuleId::ALL.iter().map(|r| r.meta()).collect();
        v.sort_by_key(|m| m.id);
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_metadata_agrees() {
        for &r in RuleId::ALL {
            assert_eq!(RuleId::parse(r.as_str()), Some(r));
            assert_eq!(r.meta().rule, r, "{r}");
            assert_eq!(RuleId::ALL[r.index()], r);
            assert!(!r.meta().summary().is_empty(), "{r} has no summary");
        }
        assert_eq!(RuleId::parse("no-such-rule"), None);
        assert_eq!(
            RuleId::unknown("host-namespaces", " in ignore"),
            "unknown rule `host-namespaces` in ignore; did you mean `host-namespace`?"
        );
    }

    #[test]
    fn the_summary_is_the_first_paragraph() {
        assert_eq!(
            summary_of("# a-rule\n\nDoes a\nthing.\n\n## What"),
            "Does a thing."
        );
    }
}
