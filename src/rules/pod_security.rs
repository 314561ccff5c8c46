//! What the Pod Security Standards rules share: one evaluation of the [`crate::pss`] engine per
//! pod, cached in the [`Context`] and read by every rule that reports a control, and the
//! namespace fact that lets a `Namespace` of the checked set set the level its pods are held to.
//!
//! The level and policy version of a pod are, in order: the `pod-security.kubernetes.io/enforce`
//! (and `enforce-version`) labels of its namespace when that Namespace is in the checked set
//! (findings are errors: the admission controller rejects the pod), else `--pod-security` at
//! the `--kubernetes-version` policy (findings are warnings). A rule named with `--select`
//! whose controls that level does not run evaluates them at `restricted`.

use super::project::{ObjectAt, ProjectOut, ProjectPass, Summary};
use super::{Context, Finding, RuleId, Severity, Target};
use crate::model::{Object, PodView};
use crate::pss::checks::{self, Subject};
use crate::pss::policy::{Policy, ENFORCE_LABEL};
use crate::pss::{Control, Level, LevelVersion, Version, Violation};
use serde_json::Value;
use std::any::Any;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};

/// Every rule that reports a Pod Security control.
pub const RULES: &[RuleId] = &[
    RuleId::HostNamespace,
    RuleId::PrivilegedContainer,
    RuleId::AddedCapabilities,
    RuleId::HostPathVolume,
    RuleId::HostPort,
    RuleId::ApparmorProfile,
    RuleId::SelinuxOptions,
    RuleId::ProcMount,
    RuleId::SeccompProfile,
    RuleId::UnsafeSysctl,
    RuleId::WindowsHostProcess,
    RuleId::ProbeHost,
    RuleId::RestrictedVolumeType,
    RuleId::AllowPrivilegeEscalation,
    RuleId::RunAsNonRoot,
    RuleId::RunAsRootUser,
    RuleId::CapabilitiesNotDropped,
];

/// The engine's verdict on one pod, computed on first use.
#[derive(Default)]
pub struct Cache(OnceCell<Evaluation>);

/// The controls that forbid one pod at the level and version it is held to.
struct Evaluation {
    held_to: LevelVersion,
    /// Whether the level is its namespace's enforced one.
    enforced: bool,
    violations: Vec<Violation>,
}

/// The enforced level of each Namespace in the checked set that sets one.
#[derive(Debug, Default)]
pub struct NamespaceLevels {
    by_name: HashMap<String, LevelVersion>,
}

impl NamespaceLevels {
    /// The level the namespace `name` enforces, if it is in the checked set and sets one.
    pub fn enforced(&self, name: &str) -> Option<LevelVersion> {
        self.by_name.get(name).copied()
    }
}

/// The level and version a pod of `cx` is held to, and whether its namespace enforces it.
fn held_to(cx: &Context) -> (LevelVersion, bool) {
    let cluster = u64::from(cx.options.minor);
    let enforced = cx
        .object
        .namespace
        .as_deref()
        .and_then(|ns| cx.project.fact::<NamespaceLevels>()?.enforced(ns));
    match enforced {
        Some(lv) => (
            LevelVersion::new(lv.level, lv.version.on_cluster(cluster)),
            true,
        ),
        None => (
            LevelVersion::new(cx.options.pod_security, Version::V1(cluster)),
            false,
        ),
    }
}

/// Report the violations of `rule`'s controls in the pod of `cx`, one finding per offending
/// value, in the controller's words, with `help`.
pub fn report(rule: RuleId, cx: &Context, help: &str, out: &mut Vec<Finding>) {
    let Some(pod) = cx.pod else { return };
    let ev = cx.pod_security.0.get_or_init(|| {
        let (held_to, enforced) = held_to(cx);
        let violations = crate::pss::evaluate(cx.object, pod, held_to.level, held_to.version);
        Evaluation {
            held_to,
            enforced,
            violations,
        }
    });
    let mine = |c: &Control| c.rule_id() == rule.as_str();
    let runs = Control::active(ev.held_to.level, ev.held_to.version).any(|c| mine(&c));
    if runs {
        let severity = if ev.enforced {
            Severity::Error
        } else {
            Severity::Warning
        };
        for v in ev.violations.iter().filter(|v| mine(&v.control)) {
            push(cx, rule, ev.held_to, severity, v, help, out);
        }
    } else if cx.options.named.contains(&rule) {
        // Named on the command line: its controls run at restricted, the level that has them.
        let strict = LevelVersion::new(Level::Restricted, ev.held_to.version);
        let subject = Subject::new(cx.object, pod);
        let minor = strict.version.effective_minor();
        for control in Control::active(strict.level, strict.version).filter(mine) {
            if let Some(v) = checks::run(control, &subject, minor) {
                push(cx, rule, strict, Severity::Warning, &v, help, out);
            }
        }
    }
}

/// One finding per site of `v`. A site whose value is a mapping (a `hostPath` volume source, a
/// `securityContext` that lacks a field) is underlined at its key.
fn push(
    cx: &Context,
    rule: RuleId,
    held_to: LevelVersion,
    severity: Severity,
    v: &Violation,
    help: &str,
    out: &mut Vec<Finding>,
) {
    let message = format!("violates PodSecurity \"{held_to}\": {}", v.message());
    for site in &v.sites {
        let in_list = site
            .pointer
            .rsplit('/')
            .next()
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
        let mapping = matches!(cx.object.at(&site.pointer), Some(Value::Object(_)));
        let target = if mapping && !in_list {
            Target::Key
        } else {
            Target::Value
        };
        let label = match &site.value {
            Some(value) if !mapping => format!("`{value}` is not allowed at {}", held_to.level),
            Some(_) => format!("not allowed at {}", held_to.level),
            None => format!("required at {}", held_to.level),
        };
        out.push(
            Finding::new(rule, site.pointer.clone(), message.clone())
                .at(target)
                .label(label)
                .help(help)
                .severity(severity),
        );
    }
}

/// The fact pass that reads the `pod-security.kubernetes.io/enforce` labels of the Namespaces
/// in the checked set ([`NamespaceLevels`]).
pub struct NamespacePodSecurity;

impl ProjectPass for NamespacePodSecurity {
    fn serves(&self) -> &'static [RuleId] {
        RULES
    }

    fn triggers(&self) -> &'static [&'static str] {
        &[ENFORCE_LABEL]
    }

    fn reads_only_triggering_documents(&self) -> bool {
        true
    }

    fn summarize(&self, _: &ObjectAt, object: &Object, _: Option<&PodView>) -> Option<Summary> {
        if object.kind() != "Namespace" || object.group_version().map(|(g, _)| g) != Some("") {
            return None;
        }
        let name = object.name.clone()?;
        let labels: BTreeMap<String, String> = object
            .at("/metadata/labels")
            .and_then(Value::as_object)?
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        if !labels.contains_key(ENFORCE_LABEL) {
            return None;
        }
        // A value that does not parse falls back as the controller falls back (restricted,
        // latest); `invalid-label`-style reporting of the value is not this pass's job.
        let (policy, _) = Policy::from_labels(&labels, Policy::default());
        Some(Box::new((name, policy.enforce)))
    }

    fn finish(&self, summaries: &[&(dyn Any + Send + Sync)], out: &mut ProjectOut) {
        let by_name = summaries
            .iter()
            .filter_map(|s| s.downcast_ref::<(String, LevelVersion)>().cloned())
            .collect();
        out.set_fact(NamespaceLevels { by_name });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::rules::{Options, Rule};
    use crate::source::yaml::parse_one;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostPID: true\n  containers:\n  - name: web\n    image: nginx:1.27.2\n";

    fn run(rule: &dyn Rule, text: &str, options: &Options, project: &ProjectOut) -> Vec<Finding> {
        crate::rules::testing::run_with(rule, text, options, project)
    }

    fn namespace_fact(labels: &str) -> ProjectOut {
        let text = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n{labels}"
        );
        let root = parse_one(&text).expect("a YAML document");
        let objects = objects_of(0, &root);
        let at = ObjectAt::of("ns.yaml", &objects[0]);
        let pass = NamespacePodSecurity;
        let summary = pass.summarize(&at, &objects[0], None);
        let mut out = ProjectOut::default();
        let summaries: Vec<&(dyn Any + Send + Sync)> = summary.iter().map(|s| s.as_ref()).collect();
        pass.finish(&summaries, &mut out);
        out
    }

    #[test]
    fn the_configured_level_makes_warnings_and_privileged_makes_none() {
        let host = super::super::host_namespace::HostNamespace;
        let options = Options::default();
        let found = run(&host, POD, &options, &ProjectOut::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/spec/hostPID");
        assert_eq!(found[0].severity, Some(Severity::Warning));
        assert!(found[0]
            .message
            .starts_with("violates PodSecurity \"baseline:v1."));
        let open = Options {
            pod_security: Level::Privileged,
            ..Options::default()
        };
        assert!(run(&host, POD, &open, &ProjectOut::default()).is_empty());
    }

    #[test]
    fn a_namespace_that_enforces_a_level_makes_errors_at_its_version() {
        let root = super::super::run_as_non_root::RunAsNonRoot;
        let project = namespace_fact(
            "    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.30\n",
        );
        let found = run(&root, POD, &Options::default(), &project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Some(Severity::Error));
        assert!(found[0]
            .message
            .starts_with("violates PodSecurity \"restricted:v1.30\""));
        // Another namespace is held to the configured level.
        let elsewhere = POD.replace("namespace: shop", "namespace: other");
        assert!(run(&root, &elsewhere, &Options::default(), &project).is_empty());
        // A namespace that enforces privileged lets everything through.
        let open = namespace_fact("    pod-security.kubernetes.io/enforce: privileged\n");
        let host = super::super::host_namespace::HostNamespace;
        assert!(run(&host, POD, &Options::default(), &open).is_empty());
        // Without the enforce label the Namespace sets nothing.
        let none = namespace_fact("    pod-security.kubernetes.io/warn: restricted\n");
        assert!(none
            .fact::<NamespaceLevels>()
            .is_some_and(|f| f.enforced("shop").is_none()));
    }

    #[test]
    fn a_selected_rule_runs_above_the_level() {
        let root = super::super::run_as_non_root::RunAsNonRoot;
        assert!(run(&root, POD, &Options::default(), &ProjectOut::default()).is_empty());
        let named = Options {
            named: vec![RuleId::RunAsNonRoot],
            ..Options::default()
        };
        let found = run(&root, POD, &named, &ProjectOut::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/spec/containers/0");
        assert_eq!(found[0].severity, Some(Severity::Warning));
        assert!(found[0].message.contains("\"restricted:v1."));
    }

    #[test]
    fn every_control_has_its_rule_listed() {
        for c in Control::ALL {
            assert!(
                RULES.iter().any(|r| r.as_str() == c.rule_id()),
                "{c}: {}",
                c.rule_id()
            );
        }
        for r in RULES {
            assert!(
                Control::ALL.iter().any(|c| c.rule_id() == r.as_str()),
                "{r}"
            );
            assert_eq!(r.meta().category, super::super::Category::Security);
        }
    }
}
