//! `invalid-name`: a name the API server refuses — `metadata.name` (or `generateName`, as a
//! prefix) against its kind's name function, a missing name, the CronJob and Job length
//! limits, the CRD `<plural>.<group>` rule, and container and volume names of pod specs.

use super::api_objects::{name_rule, pod_pointers, shown, ApiObject, Class, NameRule};
use super::{Context, Finding, Rule, Target};
use crate::k8s::names;
use crate::model::JsonView;
use crate::pointer;

declare_rule! {
    pub struct InvalidName {
        id: "invalid-name",
        severity: Error,
        category: Correctness,
        inspects: Objects,
    }
}

/// Longest CronJob name: the controller names each Job `<cronjob>-<11 characters>`, and Job
/// names must fit a DNS label (batch validation, `ValidateCronJobCreate`).
const CRONJOB_MAX: usize = 52;
/// How much of a `generateName` the API server keeps, and how many random characters it
/// appends (apiserver `names.SimpleNameGenerator`).
const GENERATE_PREFIX_MAX: usize = 58;
const GENERATE_SUFFIX: usize = 5;

impl Rule for InvalidName {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        let Some(api) = ApiObject::of(o) else { return };
        if let Some(rule) = name_rule(&api, cx.options.minor) {
            check_object_name(cx, &api, rule, out);
        }
        if api.class == Class::Builtin {
            if let Some((_, spec)) = pod_pointers(o) {
                check_pod_names(cx, spec, out);
            }
        }
    }
}

/// A non-empty string at a pointer; `None` for absent, null, empty or non-string values (the
/// schema reports a wrong type).
fn text<'v>(cx: &'v Context, at: &str) -> Option<&'v str> {
    cx.object.view(at).and_then(JsonView::as_str).filter(|s| !s.is_empty())
}

/// The API server's messages as one sentence.
fn joined(msgs: &[String]) -> String {
    msgs.join("; ")
}

/// Why a kind has a stricter rule than most, for the help text.
fn why(api: &ApiObject, rule: NameRule, minor: u32) -> &'static str {
    match (api.kind, rule) {
        ("Namespace", _) => " (a Namespace name is a DNS label)",
        ("StatefulSet", NameRule::Label) => {
            " (since Kubernetes 1.27: the name becomes part of each pod's hostname)"
        }
        ("Service", NameRule::Dns1035Label) if minor < 36 => {
            " (up to Kubernetes 1.35; from 1.36 a Service name may also start with a digit)"
        }
        ("Service", NameRule::Label) => " (a Service name becomes a DNS label)",
        _ => "",
    }
}

fn check_object_name(cx: &Context, api: &ApiObject, rule: NameRule, out: &mut Vec<Finding>) {
    let o = cx.object;
    let kind = api.kind;
    let minor = cx.options.minor;
    // The metadata's fields, read from its mapping (not looked up from the root each time).
    let meta = o.view("/metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k));
    let text_of = |k: &str| field(k).and_then(JsonView::as_str).filter(|s| !s.is_empty());
    let generate = text_of("generateName");
    if let Some(prefix) = generate {
        let mut msgs = rule.check(prefix, true);
        // The name the API server generates must itself pass the kind's extra limits.
        let generated = prefix.len().min(GENERATE_PREFIX_MAX) + GENERATE_SUFFIX;
        if api.is("batch", "CronJob") && generated > CRONJOB_MAX {
            msgs.push(format!(
                "the generated name has {generated} characters, and a CronJob name must be no more than {CRONJOB_MAX} characters"
            ));
        }
        if !msgs.is_empty() {
            let mut help = format!(
                "`generateName` is the start of a name (a trailing `-` is allowed): make it {}{}",
                rule.describe(),
                why(api, rule, minor)
            );
            if api.is("batch", "CronJob") && generated > CRONJOB_MAX {
                help = format!(
                    "shorten `generateName` to {} characters or fewer",
                    CRONJOB_MAX - GENERATE_SUFFIX
                );
            }
            out.push(
                Finding::new(
                    InvalidName::ID,
                    "/metadata/generateName",
                    format!(
                        "the API server rejects the {kind} `generateName` {}: {}",
                        shown(prefix),
                        joined(&msgs)
                    ),
                )
                .label("invalid name prefix")
                .help(help),
            );
        }
    }
    let is_text = |k: &str| field(k).is_none_or(|v| v.as_str().is_some() || v.is_null());
    if !is_text("name") || !is_text("generateName") {
        // A name that is not a string (`name: 1.10`) is the schema's to report.
        return;
    }
    let Some(name) = text_of("name") else {
        // Custom resources may be anything that looks like one (tool configurations
        // included): only built-in kinds are held to having a name.
        if generate.is_none() && api.class == Class::Builtin {
            let (at, target) = if field("name").is_some() {
                ("/metadata/name", Target::Value)
            } else if meta.is_some_and(|m| !m.is_null()) {
                ("/metadata", Target::Key)
            } else {
                // Without `metadata` at all, the schema reports the missing field.
                return;
            };
            out.push(
                Finding::new(
                    InvalidName::ID,
                    at,
                    format!("{kind} has no name: the API server says \"name or generateName is required\""),
                )
                .at(target)
                .label("no name")
                .help("add `metadata.name` (or `metadata.generateName` for a name the API server completes)"),
            );
        }
        return;
    };
    let mut msgs = rule.check(name, false);
    let mut help = None;
    if api.is("batch", "CronJob") && name.len() > CRONJOB_MAX {
        msgs.push(format!(
            "must be no more than {CRONJOB_MAX} characters (it has {}; the controller appends 11 characters to name each Job)",
            name.len()
        ));
        help = Some(format!(
            "shorten the name to {CRONJOB_MAX} characters or fewer (the API server checks this when the CronJob is created)"
        ));
    }
    if api.is("batch", "Job") && msgs.is_empty() && job_name_becomes_label(cx) {
        if let Some(why) = names::is_label_value(name).first() {
            msgs.push(format!(
                "the API server copies the name into the pod template's `batch.kubernetes.io/job-name` and `job-name` labels, whose values {why}"
            ));
            help = Some(format!(
                "shorten the name to {} characters or fewer",
                names::LABEL_VALUE_MAX_LENGTH
            ));
        }
    }
    if api.is("apiextensions.k8s.io", "CustomResourceDefinition") {
        if let (Some(plural), Some(group)) = (text(cx, "/spec/names/plural"), text(cx, "/spec/group")) {
            let required = format!("{plural}.{group}");
            if name != required {
                msgs.push(format!(
                    "must be spec.names.plural+\".\"+spec.group (`{required}`)"
                ));
                help = Some(format!("rename the CustomResourceDefinition to `{required}`"));
            }
        }
    }
    if msgs.is_empty() {
        return;
    }
    let help = help.unwrap_or_else(|| {
        let mut h = format!("use {}{}", rule.describe(), why(api, rule, minor));
        if let Some(s) = rule.suggest(name).filter(|s| s.len() <= names::LABEL_VALUE_MAX_LENGTH) {
            h.push_str(&format!(", such as `{s}`"));
        }
        h
    });
    out.push(
        Finding::new(
            InvalidName::ID,
            "/metadata/name",
            format!(
                "the API server rejects the {kind} name {}: {}",
                shown(name),
                joined(&msgs)
            ),
        )
        .label("invalid name")
        .help(help),
    );
}

/// Whether the API server generates a Job's selector, labelling its pod template with the
/// Job's name: unless `manualSelector` is true and unless the template already carries both
/// name labels (batch registry `generateSelector`).
fn job_name_becomes_label(cx: &Context) -> bool {
    let o = cx.object;
    if o.view("/spec/manualSelector").and_then(JsonView::as_bool) == Some(true) {
        return false;
    }
    let labels = o.view("/spec/template/metadata/labels");
    let has = |k: &str| labels.and_then(|l| l.get(k)).is_some();
    !(has("job-name") && has("batch.kubernetes.io/job-name"))
}

/// Container (init and ephemeral too) and volume names of a pod spec: DNS labels.
fn check_pod_names(cx: &Context, spec: &str, out: &mut Vec<Finding>) {
    // Read from the tree: the pod spec is most of its object.
    let spec_node = cx.object.node_at(spec);
    for (list, what) in [
        ("initContainers", "init container"),
        ("containers", "container"),
        ("ephemeralContainers", "ephemeral container"),
        ("volumes", "volume"),
    ] {
        let Some(items) = spec_node
            .and_then(|s| s.get(list))
            .and_then(|e| e.value.as_seq())
        else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            // A missing or mistyped name is the schema's.
            let Some(name) = item.get("name").and_then(|e| e.value.json_str()) else {
                continue;
            };
            let name = name.as_ref();
            let at_name = || pointer::join(spec, &[list, i.to_string().as_str(), "name"]);
            if name.is_empty() {
                out.push(
                    Finding::new(
                        InvalidName::ID,
                        at_name(),
                        format!("a {what} has an empty name: the API server says \"Required value\""),
                    )
                    .label("empty name")
                    .help(format!("name the {what}: {}", NameRule::Label.describe())),
                );
                continue;
            }
            let msgs = names::is_dns1123_label(name);
            if msgs.is_empty() {
                continue;
            }
            let mut help = format!("use {}", NameRule::Label.describe());
            if let Some(s) = NameRule::Label.suggest(name).filter(|s| s.len() < name.len() + 8) {
                help.push_str(&format!(", such as `{s}`"));
            }
            if what == "volume" {
                help.push_str(", and rename its `volumeMounts` to match");
            }
            out.push(
                Finding::new(
                    InvalidName::ID,
                    at_name(),
                    format!(
                        "the API server rejects the {what} name {}: {}",
                        shown(name),
                        joined(&msgs)
                    ),
                )
                .label(format!("invalid {what} name"))
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn messages(text: &str) -> Vec<String> {
        findings(&InvalidName, text)
            .into_iter()
            .map(|f| format!("{} {}", f.pointer, f.message))
            .collect()
    }

    #[test]
    fn names_per_kind() {
        let cases: &[(&str, bool)] = &[
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app.config.v2}\n", true),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: App}\n", false),
            ("apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n", false),
            ("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n", true),
            ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db.main}\n", false),
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 'system:Auth'}\n", true),
            ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: a/b}\n", false),
            ("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: Big}\n", false),
            ("apiVersion: example.com/v1\nkind: Widget\nmetadata: {}\n", true),
            ("apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata: {name: '2001:db8::1'}\n", true),
            ("apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n", true),
            ("apiVersion: v1\nkind: Pod\nmetadata: {generateName: Web-}\n", false),
            ("apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\n", false),
            // No metadata at all is the schema's to report.
            ("apiVersion: v1\nkind: Pod\n", true),
        ];
        for (text, valid) in cases {
            assert_eq!(messages(text).is_empty(), *valid, "{text}: {:?}", messages(text));
        }
    }

    #[test]
    fn service_names_follow_the_version() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: 2048-game}\n";
        let at = |minor| {
            let options = crate::rules::Options {
                minor,
                ..Default::default()
            };
            let project = crate::rules::ProjectOut::default();
            crate::rules::testing::run_with(&InvalidName, svc, &options, &project).len()
        };
        assert_eq!(at(35), 1);
        assert_eq!(at(36), 0);
    }

    #[test]
    fn cronjob_and_job_lengths() {
        let cron = |n: usize| {
            messages(&format!(
                "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: {}}}\n",
                "a".repeat(n)
            ))
        };
        assert!(cron(52).is_empty());
        assert!(cron(53)[0].contains("must be no more than 52 characters"));
        let gen = |n: usize| {
            messages(&format!(
                "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{generateName: {}}}\n",
                "a".repeat(n)
            ))
        };
        assert!(gen(47).is_empty());
        assert!(gen(48)[0].contains("generated name has 53 characters"));
        let job = |n: usize, extra: &str| {
            messages(&format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: {}}}\nspec: {{{extra}}}\n",
                "a".repeat(n)
            ))
        };
        assert!(job(63, "").is_empty());
        assert!(job(64, "")[0].contains("job-name"));
        assert!(job(64, "manualSelector: true").is_empty());
    }

    #[test]
    fn crd_names() {
        let crd = |name: &str| {
            messages(&format!("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: {name}}}\nspec: {{group: example.com, names: {{plural: widgets}}}}\n"))
        };
        assert!(crd("widgets.example.com").is_empty());
        assert!(crd("widget.example.com")[0].contains("`widgets.example.com`"));
    }

    #[test]
    fn container_and_volume_names() {
        let got = messages("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: Web}, {name: ok}, {name: ''}]\n  initContainers: [{name: init.db}]\n  volumes: [{name: data_1}]\n");
        let pointers: Vec<&str> = got.iter().map(|m| m.split(' ').next().unwrap_or("")).collect();
        assert_eq!(
            pointers,
            [
                "/spec/initContainers/0/name",
                "/spec/containers/0/name",
                "/spec/containers/2/name",
                "/spec/volumes/0/name"
            ]
        );
    }
}
