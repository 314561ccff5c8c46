//! The rule engine: the [`Rule`] trait, [`Finding`]s (a pointer, a message, help and an
//! optional fix plan — never a span), and the one registry of every rule.
//!
//! Rules see typed models and return pointers relative to the object they inspect; the report
//! layer turns pointers into file, line, column and snippet. Rules that the pipeline itself
//! emits (`yaml-syntax`, `schema`, `io`, ...) are registered here too, with metadata only, so
//! that `kubevet rules`, severities and suppressions treat every id alike.

mod env_freshness;
mod etc_hosts_edit;
pub mod fields;
/// Declare a rule's type and metadata; the rule file then implements `check` for it.
macro_rules! declare_rule {
    ($ty:ident, $id:literal, $sev:ident, $cat:ident, $summary:literal) => {
        pub struct $ty;

        pub static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $id,
            severity: $crate::rules::Severity::$sev,
            category: $crate::rules::Category::$cat,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
            fixable: false,
        };
    };
}

mod controller_restart_policy;
mod duplicate_name;
mod host_namespace;
mod image;
mod init_container_probe;
mod invalid_downward_field;
mod latest_tag_pull_policy;
mod misplaced_field;
mod missing_liveness_probe;
mod missing_readiness_probe;
mod node_name_pinned;
mod pipeline;
mod probes;
pub(crate) mod projected_items_shape;
mod secret_not_base64;
pub mod selector;
mod selector_mismatch;
mod subpath_freshness;
mod undefined_volume;

pub use image::ImageRef;

use crate::model::{Object, PodView};
use std::fmt;

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

/// A rule's static description.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
    /// The rule's documentation (`rules/<id>.md`).
    pub doc: &'static str,
    pub fixable: bool,
}

/// Everything a rule may look at for one object.
pub struct Context<'a> {
    pub object: &'a Object<'a>,
    /// The typed pod view, for pod-bearing kinds whose pod spec has the right shape.
    pub pod: Option<&'a PodView>,
}

/// A check over one object.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
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
}

/// One problem found by a rule, relative to the object it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
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
    /// Overrides the rule's default severity (used by pipeline rules with several levels).
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
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
}

/// Every object rule, in the order they run.
static RULES: &[&dyn Rule] = &[
    &latest_tag_pull_policy::LatestTagPullPolicy,
    &misplaced_field::MisplacedField,
    &projected_items_shape::ProjectedItemsShape,
    &missing_liveness_probe::MissingLivenessProbe,
    &missing_readiness_probe::MissingReadinessProbe,
    &env_freshness::EnvFreshness,
    &subpath_freshness::SubpathFreshness,
    &etc_hosts_edit::EtcHostsEdit,
    &undefined_volume::UndefinedVolume,
    &duplicate_name::DuplicateName,
    &invalid_downward_field::InvalidDownwardField,
    &init_container_probe::InitContainerProbe,
    &controller_restart_policy::ControllerRestartPolicy,
    &selector_mismatch::SelectorMismatch,
    &secret_not_base64::SecretNotBase64,
    &host_namespace::HostNamespace,
    &node_name_pinned::NodeNamePinned,
];

/// The object rules.
pub fn object_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// Metadata of every rule, pipeline rules included, sorted by id.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = pipeline::ALL.to_vec();
    v.extend(RULES.iter().map(|r| r.meta()));
    v.sort_by_key(|m| m.id);
    v
}

/// Metadata of one rule.
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    all().into_iter().find(|m| m.id == id)
}

pub use pipeline::{
    DEPRECATED_API_VERSION, DUPLICATE_KEY, INVALID_IGNORE, IO, MISSING_SCHEMA, PODPRESET_CONFLICT,
    REMOVED_API_VERSION, SCHEMA, UNUSED_IGNORE, YAML_SYNTAX,
};
