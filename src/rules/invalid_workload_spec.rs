//! `invalid-workload-spec`: the counts, strategies and policies of a workload that the API
//! server refuses after defaulting (kubernetes `pkg/apis/apps/validation`:
//! `ValidateDeploymentSpec`, `ValidateDeploymentStrategy`, `ValidateRollingUpdateDeployment`,
//! `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`,
//! `ValidateRollingUpdateDaemonSet`; `pkg/apis/batch/validation`: `validateJobSpec`,
//! `validatePodFailurePolicy`, `validateSuccessPolicy`, `validateCronJobSpec`,
//! `ValidateJobTemplateSpec`; `pkg/apis/core/validation`
//! `ValidateReplicationControllerSpec`).
//!
//! Defaults matter: a Deployment's missing `maxSurge`/`maxUnavailable` are 25%, a DaemonSet's
//! are 0 and 1, a Deployment's `progressDeadlineSeconds` is 600 — the API server validates the
//! defaulted object. Restart policies and selectors are `controller-restart-policy` and
//! `selector-mismatch`.
//!
//! Versions (fields whose feature gate is off are dropped, not validated): `podFailurePolicy`
//! from 1.26, `backoffLimitPerIndex`/`maxFailedIndexes` and `podReplacementPolicy` from 1.29,
//! `successPolicy` from 1.31, a StatefulSet's `persistentVolumeClaimRetentionPolicy` and
//! `ordinals` from 1.27, its `rollingUpdate.maxUnavailable` from 1.35.

use crate::pointer::AtPointer;
use super::api_fields::{
    int_at, int_or_percent, int_or_percent_findings, is_set, items, non_negative, str_at,
    FieldError,
};
use super::{Context, Finding, Rule, RuleId, Target};
use crate::pointer::push;
use crate::model::Object;
use serde_json::Value;

declare_rule! {
    pub struct InvalidWorkloadSpec {
        id: "invalid-workload-spec",
        severity: Error,
        category: Correctness,
        inspects: Kinds(
            ("apps", "Deployment"),
            ("apps", "ReplicaSet"),
            ("apps", "StatefulSet"),
            ("apps", "DaemonSet"),
            ("batch", "Job"),
            ("batch", "CronJob"),
            ("", "ReplicationController"),
        ),
        whole_object: true,
    }
}

const ID: RuleId = InvalidWorkloadSpec::ID;

const POD_FAILURE_POLICY: u32 = 26;
const BACKOFF_LIMIT_PER_INDEX: u32 = 29;
const POD_REPLACEMENT_POLICY: u32 = 29;
const SUCCESS_POLICY: u32 = 31;
const STATEFULSET_PVC_RETENTION: u32 = 27;
const STATEFULSET_ORDINALS: u32 = 27;
const STATEFULSET_MAX_UNAVAILABLE: u32 = 35;

/// Upstream limits of the Job validation.
const MAX_PARALLELISM_FOR_INDEXED_JOB: i64 = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i64 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i64 = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i64 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS: usize = 20;
const MAX_SUCCESS_POLICY_RULES: usize = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH: usize = 64 * 1024;

impl Rule for InvalidWorkloadSpec {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        let minor = cx.options.minor;
        // Read part by part: a pod template is most of its object.
        let v = o;
        match (o.group_version(), o.kind()) {
            (Some(("apps", "v1")), "Deployment") => deployment(v, out),
            (Some(("apps", "v1")), "ReplicaSet") => {
                out.extend(non_negative(ID, v, "/spec", &["replicas", "minReadySeconds"]));
                template_deadline(v, "ReplicaSet", out);
            }
            (Some(("apps", "v1")), "StatefulSet") => statefulset(v, minor, out),
            (Some(("apps", "v1")), "DaemonSet") => daemonset(v, out),
            (Some(("batch", "v1")), "Job") => job(v, "/spec", minor, out),
            (Some(("batch", "v1" | "v1beta1")), "CronJob") => cronjob(v, minor, out),
            (Some(("", "v1")), "ReplicationController") => {
                out.extend(non_negative(ID, v, "/spec", &["replicas", "minReadySeconds"]));
                template_deadline(v, "ReplicationController", out);
            }
            _ => {}
        }
    }
}

/// `activeDeadlineSeconds` in a controller's pod template: its pods would be killed.
fn template_deadline(v: &Object, controller: &str, out: &mut Vec<Finding>) {
    let at = "/spec/template/spec/activeDeadlineSeconds";
    if is_set(v, at) {
        out.push(
            FieldError::forbidden(at, format!("activeDeadlineSeconds in {controller} is not Supported"))
                .finding(ID)
                .label("not allowed in this template")
                .help("remove it: pods of a long-running controller must not have a deadline (a Job or a bare Pod may)"),
        );
    }
}

fn deployment(v: &Object, out: &mut Vec<Finding>) {
    out.extend(non_negative(
        ID,
        v,
        "/spec",
        &["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"],
    ));
    template_deadline(v, "ReplicaSet", out);

    let min_ready = int_at(v, "/spec/minReadySeconds").unwrap_or(0);
    match int_at(v, "/spec/progressDeadlineSeconds") {
        Some(p) if p <= min_ready => out.push(
            FieldError::invalid("/spec/progressDeadlineSeconds", &Value::from(p), "must be greater than minReadySeconds")
                .finding(ID)
                .label(format!("not more than minReadySeconds ({min_ready})"))
                .related("/spec/minReadySeconds", Target::Entry, "minReadySeconds")
                .help(format!("make progressDeadlineSeconds longer than minReadySeconds ({min_ready}), or shorten minReadySeconds")),
        ),
        None if !is_set(v, "/spec/progressDeadlineSeconds") && min_ready >= 600 => out.push(
            // The default deadline (600 seconds) is validated like a written one.
            FieldError::invalid("/spec/minReadySeconds", &Value::from(600), "must be greater than minReadySeconds")
                .path("spec.progressDeadlineSeconds")
                .finding(ID)
                .label("not less than the default progressDeadlineSeconds (600)")
                .help(format!("set `progressDeadlineSeconds` above {min_ready}: unset, it defaults to 600, which must exceed minReadySeconds")),
        ),
        _ => {}
    }

    let strategy = "/spec/strategy";
    let kind = str_at(v, "/spec/strategy/type").unwrap_or("RollingUpdate");
    let ru = "/spec/strategy/rollingUpdate";
    match kind {
        "Recreate" if is_set(v, ru) => out.push(
            FieldError::forbidden(ru, "may not be specified when strategy `type` is 'Recreate'")
                .finding(ID)
                .label("rollingUpdate with a Recreate strategy")
                .related(push(strategy, "type"), Target::Entry, "the strategy is Recreate")
                .help("remove `rollingUpdate`, or change the type to RollingUpdate"),
        ),
        "RollingUpdate" | "" => {
            let get = |f: &str| v.at_pointer(&push(ru, f)).filter(|x| !x.is_null());
            let mut zero = [false, false];
            for (i, name) in ["maxUnavailable", "maxSurge"].into_iter().enumerate() {
                // Both default to 25%.
                let Some(raw) = get(name) else { continue };
                let Some(value) = int_or_percent(raw) else {
                    zero[i] = false;
                    continue;
                };
                // Deployments may surge past 100%.
                int_or_percent_findings(ID, &push(ru, name), raw, value, name == "maxUnavailable", out);
                zero[i] = value.value() == 0;
            }
            if zero == [true, true] {
                out.push(
                    FieldError::invalid(push(ru, "maxUnavailable"), get("maxUnavailable").unwrap_or(&Value::Null), "may not be 0 when `maxSurge` is 0")
                        .finding(ID)
                        .label("0, and maxSurge is 0 too")
                        .related(push(ru, "maxSurge"), Target::Entry, "maxSurge is 0")
                        .help("let the rollout make progress: allow at least one extra pod (maxSurge: 1) or one unavailable pod (maxUnavailable: 1)"),
                );
            }
        }
        // An unknown type is the schema's finding.
        _ => {}
    }
}

fn statefulset(v: &Object, minor: u32, out: &mut Vec<Finding>) {
    out.extend(non_negative(ID, v, "/spec", &["replicas", "minReadySeconds"]));
    if minor >= STATEFULSET_ORDINALS {
        if let Some(start) = int_at(v, "/spec/ordinals/start").filter(|s| *s < 0) {
            out.push(
                FieldError::invalid("/spec/ordinals/start", &Value::from(start), crate::k8s::intstr::NEGATIVE)
                    .path("spec.ordinals.start")
                    .finding(ID)
                    .label("negative")
                    .help("start the ordinals at 0 or above"),
            );
        }
    }
    template_deadline(v, "StatefulSet", out);

    let ru = "/spec/updateStrategy/rollingUpdate";
    match str_at(v, "/spec/updateStrategy/type").unwrap_or("RollingUpdate") {
        "OnDelete" if is_set(v, ru) => out.push(
            FieldError::invalid(ru, &Value::Null, "only allowed for updateStrategy 'RollingUpdate'")
                .finding(ID)
                .at(Target::Key)
                .label("rollingUpdate with an OnDelete strategy")
                .related("/spec/updateStrategy/type", Target::Entry, "the strategy is OnDelete")
                .help("remove `rollingUpdate`, or change the type to RollingUpdate"),
        ),
        "RollingUpdate" | "" => {
            out.extend(non_negative(ID, v, ru, &["partition"]));
            let at = push(ru, "maxUnavailable");
            if minor >= STATEFULSET_MAX_UNAVAILABLE {
                if let Some(raw) = v.at_pointer(&at).filter(|x| !x.is_null()) {
                    if let Some(value) = int_or_percent(raw) {
                        let before = out.len();
                        int_or_percent_findings(ID, &at, raw, value, true, out);
                        if value.value() == 0 && out.len() == before {
                            out.push(
                                FieldError::invalid(&at, raw, "cannot be 0")
                                    .finding(ID)
                                    .label("0")
                                    .help("allow at least one pod to be unavailable during the update (1 or a percentage)"),
                            );
                        }
                    }
                }
            }
        }
        _ => {}
    }

    if minor >= STATEFULSET_PVC_RETENTION {
        for f in ["whenDeleted", "whenScaled"] {
            let at = format!("/spec/persistentVolumeClaimRetentionPolicy/{f}");
            if let Some(s) = str_at(v, &at).filter(|s| !s.is_empty() && !matches!(*s, "Retain" | "Delete")) {
                out.push(
                    FieldError::not_supported(&at, &Value::from(s), &["Retain", "Delete"])
                        .finding(ID)
                        .label("not a retention policy")
                        .help("use Retain (keep the claims) or Delete"),
                );
            }
        }
    }
}

fn daemonset(v: &Object, out: &mut Vec<Finding>) {
    out.extend(non_negative(ID, v, "/spec", &["minReadySeconds", "revisionHistoryLimit"]));
    template_deadline(v, "DaemonSet", out);
    let ru = "/spec/updateStrategy/rollingUpdate";
    if !matches!(str_at(v, "/spec/updateStrategy/type").unwrap_or("RollingUpdate"), "RollingUpdate" | "") {
        // OnDelete ignores rollingUpdate; an unknown type is the schema's finding.
        return;
    }
    // Defaults: maxUnavailable 1, maxSurge 0.
    let mut values = [Some(1), Some(0)];
    for (i, name) in ["maxUnavailable", "maxSurge"].into_iter().enumerate() {
        let at = push(ru, name);
        let Some(raw) = v.at_pointer(&at).filter(|x| !x.is_null()) else {
            continue;
        };
        let Some(value) = int_or_percent(raw) else {
            values[i] = None;
            continue;
        };
        int_or_percent_findings(ID, &at, raw, value, true, out);
        values[i] = Some(value.value());
    }
    let surge_written = is_set(v, &push(ru, "maxSurge"));
    let unavailable_written = is_set(v, &push(ru, "maxUnavailable"));
    match values {
        [Some(u), Some(s)] if u != 0 && s != 0 => {
            let raw = v.at_pointer(&push(ru, "maxSurge")).unwrap_or(&Value::Null);
            let mut f = FieldError::invalid(push(ru, "maxSurge"), raw, "may not be set when maxUnavailable is non-zero")
                .finding(ID)
                .label("surge and unavailability together");
            f = if unavailable_written {
                f.related(push(ru, "maxUnavailable"), Target::Entry, "maxUnavailable is not 0")
                    .help("a DaemonSet rolls out either by surging (maxSurge, with maxUnavailable: 0) or by taking pods down (maxUnavailable, with maxSurge: 0): set one of them to 0")
            } else {
                f.help("maxUnavailable defaults to 1: to surge, also set `maxUnavailable: 0`")
            };
            out.push(f);
        }
        [Some(0), Some(0)] => {
            let at = push(ru, "maxUnavailable");
            let f = FieldError::required(&at, "cannot be 0 when maxSurge is 0")
                .finding(ID)
                .at(if unavailable_written { Target::Value } else { Target::Key })
                .label("no pod may be replaced");
            out.push(if surge_written {
                f.related(push(ru, "maxSurge"), Target::Entry, "maxSurge is 0")
                    .help("allow one pod down (maxUnavailable: 1) or one extra pod (maxSurge: 1, with maxUnavailable: 0)")
            } else {
                f.help("allow one pod down (maxUnavailable: 1) or one extra pod (maxSurge: 1, with maxUnavailable: 0)")
            });
        }
        _ => {}
    }
}

fn cronjob(v: &Object, minor: u32, out: &mut Vec<Finding>) {
    out.extend(non_negative(
        ID,
        v,
        "/spec",
        &["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
    ));
    let spec = "/spec/jobTemplate/spec";
    if v.at_pointer(spec).is_none() {
        return;
    }
    let selector = push(spec, "selector");
    if is_set(v, &selector) {
        out.push(
            FieldError::invalid(&selector, &Value::Null, "`selector` will be auto-generated")
                .finding(ID)
                .at(Target::Key)
                .label("a Job template may not choose its selector")
                .help("remove `selector` from the job template: the Job controller generates one for every Job it creates"),
        );
    }
    let manual = push(spec, "manualSelector");
    if v.at_pointer(&manual).and_then(Value::as_bool) == Some(true) {
        out.push(
            FieldError::not_supported(&manual, &Value::Bool(true), &["nil", "false"])
                .finding(ID)
                .label("manual selectors are not allowed here")
                .help("remove `manualSelector` from the job template"),
        );
    }
    job(v, spec, minor, out);
}

/// `validateJobSpec` at `spec` (a Job's `/spec` or a CronJob's `/spec/jobTemplate/spec`).
fn job(v: &Object, spec: &str, minor: u32, out: &mut Vec<Finding>) {
    let at = |f: &str| push(spec, f);
    let int = |f: &str| int_at(v, &at(f));
    out.extend(non_negative(
        ID,
        v,
        spec,
        &["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"],
    ));
    let per_index = minor >= BACKOFF_LIMIT_PER_INDEX;
    if per_index {
        out.extend(non_negative(ID, v, spec, &["backoffLimitPerIndex", "maxFailedIndexes"]));
        if is_set(v, &at("maxFailedIndexes")) && !is_set(v, &at("backoffLimitPerIndex")) {
            out.push(
                FieldError::required(at("backoffLimitPerIndex"), "when maxFailedIndexes is specified")
                    .finding(ID)
                    .label("backoffLimitPerIndex missing")
                    .help("set `backoffLimitPerIndex` too: maxFailedIndexes counts indexes that used up their per-index backoff"),
            );
        }
    }
    let mode = str_at(v, &at("completionMode"));
    let indexed = mode == Some("Indexed");
    let too_big = |f: &str, limit: i64, why: &str, out: &mut Vec<Finding>| {
        if let Some(n) = int(f).filter(|n| *n > limit) {
            out.push(
                FieldError::invalid(at(f), &Value::from(n), format!("must be less than or equal to {limit}{why}"))
                    .finding(ID)
                    .label("too large")
                    .help(format!("keep {f} at {limit} or below")),
            );
        }
    };
    if indexed {
        if !is_set(v, &at("completions")) {
            out.push(
                FieldError::required(at("completions"), "when completion mode is Indexed")
                    .finding(ID)
                    .label("an Indexed Job needs completions")
                    .help("set `completions` to the number of indexes (0 to completions-1) the Job must complete"),
            );
        }
        too_big("parallelism", MAX_PARALLELISM_FOR_INDEXED_JOB, " when completion mode is Indexed", out);
        if per_index {
            if let (Some(c), Some(m)) = (int("completions"), int("maxFailedIndexes")) {
                if m > c {
                    out.push(
                        FieldError::invalid(at("maxFailedIndexes"), &Value::from(m), "must be less than or equal to completions")
                            .finding(ID)
                            .label(format!("more than completions ({c})"))
                            .help(format!("keep maxFailedIndexes at {c} (completions) or below")),
                    );
                }
            }
            too_big("maxFailedIndexes", MAX_FAILED_INDEXES_FOR_INDEXED_JOB, "", out);
            if int("completions").is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT) && is_set(v, &at("backoffLimitPerIndex")) {
                if !is_set(v, &at("maxFailedIndexes")) {
                    out.push(
                        FieldError::required(at("maxFailedIndexes"), format!("must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"))
                            .finding(ID)
                            .label("maxFailedIndexes missing")
                            .help(format!("set `maxFailedIndexes` (at most {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS})")),
                    );
                }
                let why = format!(" when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index");
                too_big("parallelism", PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS, &why, out);
                too_big("maxFailedIndexes", MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS, &why, out);
            }
        }
    } else if per_index && matches!(mode, None | Some("NonIndexed")) {
        for f in ["backoffLimitPerIndex", "maxFailedIndexes"] {
            if let Some(raw) = v.at_pointer(&at(f)).filter(|x| !x.is_null()) {
                out.push(
                    FieldError::invalid(at(f), raw, "requires indexed completion mode")
                        .finding(ID)
                        .label("only for Indexed Jobs")
                        .help("set `completionMode: Indexed` (with `completions`), or remove it"),
                );
            }
        }
    }

    let pfp = at("podFailurePolicy");
    let has_pfp = minor >= POD_FAILURE_POLICY && is_set(v, &pfp);
    if has_pfp {
        pod_failure_policy(v, spec, per_index, out);
        let rp = format!("{spec}/template/spec/restartPolicy");
        if let Some(p @ "OnFailure") = str_at(v, &rp) {
            out.push(
                FieldError::invalid(&rp, &Value::from(p), "only \"Never\" is supported when podFailurePolicy is specified")
                    .finding(ID)
                    .label("OnFailure with a pod failure policy")
                    .related(&pfp, Target::Key, "podFailurePolicy is set here")
                    .help("set `restartPolicy: Never`: the pod failure policy judges failed pods, which OnFailure would restart in place"),
            );
        }
    }
    if minor >= POD_REPLACEMENT_POLICY && has_pfp {
        let at = at("podReplacementPolicy");
        if let Some(p) = str_at(v, &at).filter(|p| *p != "Failed") {
            out.push(
                FieldError::not_supported(&at, &Value::from(p), &["Failed"])
                    .finding(ID)
                    .label("a pod failure policy needs Failed")
                    .help("use `podReplacementPolicy: Failed` (or leave it out) with a pod failure policy"),
            );
        }
    }
    if minor >= SUCCESS_POLICY && is_set(v, &at("successPolicy")) {
        success_policy(v, spec, indexed, out);
    }
}

fn pod_failure_policy(v: &Object, spec: &str, per_index: bool, out: &mut Vec<Finding>) {
    let rules_at = format!("{spec}/podFailurePolicy/rules");
    let rules = items(v, &rules_at);
    if rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        out.push(too_many(&rules_at, rules.len(), MAX_POD_FAILURE_POLICY_RULES));
    }
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .flat_map(|c| items(v, &format!("{spec}/template/spec/{c}")))
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let has_per_index = is_set(v, &push(spec, "backoffLimitPerIndex"));
    for (i, rule) in rules.iter().enumerate() {
        let r = push(&rules_at, i.to_string());
        match rule.get("action").and_then(Value::as_str) {
            Some("") => out.push(
                FieldError::required(push(&r, "action"), "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]")
                    .finding(ID)
                    .at(Target::Value)
                    .help("choose what a matching failure does: FailJob, Ignore, Count or FailIndex"),
            ),
            Some("FailIndex") if per_index && !has_per_index => out.push(
                FieldError::invalid(push(&r, "action"), &Value::from("FailIndex"), "requires the backoffLimitPerIndex to be set")
                    .finding(ID)
                    .label("FailIndex without a per-index backoff")
                    .help("set `backoffLimitPerIndex` (with `completionMode: Indexed`), or use FailJob"),
            ),
            // With per-index backoff read and set, FailIndex is a supported action.
            Some("FailIndex") if per_index => {}
            Some(a) if !matches!(a, "Count" | "FailJob" | "Ignore") => out.push(
                FieldError::not_supported(
                    push(&r, "action"),
                    &Value::from(a),
                    if per_index { &["Count", "FailIndex", "FailJob", "Ignore"] } else { &["Count", "FailJob", "Ignore"] },
                )
                    .finding(ID)
                    .label("not an action")
                    .help("use FailJob, Ignore, Count or FailIndex"),
            ),
            // A missing action is the schema's finding.
            _ => {}
        }
        let on_exit = rule.get("onExitCodes").filter(|x| !x.is_null());
        let on_conditions = rule
            .get("onPodConditions")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        if let Some(e) = on_exit {
            exit_codes(e, &push(&r, "onExitCodes"), &names, out);
        }
        if let Some(conds) = on_conditions {
            let base = push(&r, "onPodConditions");
            if conds.len() > MAX_ON_POD_CONDITIONS_PATTERNS {
                out.push(too_many(&base, conds.len(), MAX_ON_POD_CONDITIONS_PATTERNS));
            }
            for (j, c) in conds.iter().enumerate() {
                let p = push(&base, j.to_string());
                if let Some(t) = c.get("type").and_then(Value::as_str) {
                    for msg in crate::k8s::names::is_qualified_name(t) {
                        out.push(
                            FieldError::invalid(push(&p, "type"), &Value::from(t), msg)
                                .finding(ID)
                                .label("not a condition type")
                                .help("name a pod condition type such as DisruptionTarget"),
                        );
                    }
                }
                match c.get("status").and_then(Value::as_str) {
                    Some("") => out.push(
                        FieldError::required(push(&p, "status"), "valid values: [\"False\" \"True\" \"Unknown\"]")
                            .finding(ID)
                            .at(Target::Value)
                            .help("use True, False or Unknown"),
                    ),
                    Some(s) if !matches!(s, "True" | "False" | "Unknown") => out.push(
                        FieldError::not_supported(push(&p, "status"), &Value::from(s), &["False", "True", "Unknown"])
                            .finding(ID)
                            .label("not a condition status")
                            .help("use True, False or Unknown (capitalized)"),
                    ),
                    _ => {}
                }
            }
        }
        match (on_exit.is_some(), on_conditions.is_some()) {
            (true, true) => out.push(
                FieldError::invalid(&r, &Value::Null, "specifying both OnExitCodes and OnPodConditions is not supported")
                    .finding(ID)
                    .at(Target::Key)
                    .label("both onExitCodes and onPodConditions")
                    .help("split it into two rules, one matching exit codes and one matching pod conditions"),
            ),
            (false, false) => out.push(
                FieldError::invalid(&r, &Value::Null, "specifying one of OnExitCodes and OnPodConditions is required")
                    .finding(ID)
                    .at(Target::Key)
                    .label("matches nothing")
                    .help("add `onExitCodes` or `onPodConditions` to say which failures the rule handles"),
            ),
            _ => {}
        }
    }
}

fn exit_codes(e: &Value, base: &str, names: &[&str], out: &mut Vec<Finding>) {
    let op = e.get("operator").and_then(Value::as_str);
    match op {
        Some("") => out.push(
            FieldError::required(push(base, "operator"), "valid values: [\"In\" \"NotIn\"]")
                .finding(ID)
                .at(Target::Value)
                .help("use In or NotIn"),
        ),
        Some(o) if !matches!(o, "In" | "NotIn") => out.push(
            FieldError::not_supported(push(base, "operator"), &Value::from(o), &["In", "NotIn"])
                .finding(ID)
                .label("not an operator")
                .help("use In or NotIn"),
        ),
        _ => {}
    }
    if let Some(c) = e.get("containerName").and_then(Value::as_str) {
        if !names.contains(&c) {
            out.push(
                FieldError::invalid(push(base, "containerName"), &Value::from(c), "must be one of the container or initContainer names in the pod template")
                    .finding(ID)
                    .label("no such container")
                    .help(if names.is_empty() {
                        "name a container of the pod template".to_string()
                    } else {
                        format!("name a container of the pod template: {}", names.join(", "))
                    }),
            );
        }
    }
    let values_at = push(base, "values");
    let Some(values) = e.get("values").and_then(Value::as_array) else {
        return;
    };
    if values.is_empty() {
        out.push(
            FieldError::invalid(&values_at, &Value::Null, "at least one value is required")
                .finding(ID)
                .label("no exit codes")
                .help("list the exit codes the rule matches"),
        );
    } else if values.len() > MAX_ON_EXIT_CODES_VALUES {
        out.push(too_many(&values_at, values.len(), MAX_ON_EXIT_CODES_VALUES));
    }
    let mut ordered = true;
    let mut seen = std::collections::HashSet::new();
    let mut last = None;
    for (j, x) in values.iter().enumerate() {
        let Some(n) = x.as_i64() else { continue };
        let p = push(&values_at, j.to_string());
        if op == Some("In") && n == 0 {
            out.push(
                FieldError::invalid(&p, x, "must not be 0 for the In operator")
                    .finding(ID)
                    .label("0 is success")
                    .help("exit code 0 means the container succeeded; remove it"),
            );
        }
        if !seen.insert(n) {
            out.push(
                FieldError::duplicate(&p, x)
                    .finding(ID)
                    .label("repeated")
                    .help("list each exit code once"),
            );
        }
        if last.is_some_and(|l| l > n) {
            ordered = false;
        }
        last = Some(n);
    }
    if !ordered {
        out.push(
            FieldError::invalid(&values_at, &Value::Null, "must be ordered")
                .finding(ID)
                .at(Target::Key)
                .label("not in increasing order")
                .help("sort the exit codes in increasing order"),
        );
    }
}

fn success_policy(v: &Object, spec: &str, indexed: bool, out: &mut Vec<Finding>) {
    let sp = push(spec, "successPolicy");
    if !indexed {
        out.push(
            FieldError::invalid(&sp, &Value::Null, "requires indexed completion mode")
                .finding(ID)
                .at(Target::Key)
                .label("only for Indexed Jobs")
                .help("set `completionMode: Indexed` (with `completions`), or remove the success policy"),
        );
        return;
    }
    let rules_at = push(&sp, "rules");
    let rules = items(v, &rules_at);
    if rules.is_empty() {
        out.push(
            FieldError::required(&rules_at, "at least one rules must be specified when the successPolicy is specified")
                .finding(ID)
                .label("no rules")
                .help("add a rule with `succeededIndexes` or `succeededCount`"),
        );
    }
    if rules.len() > MAX_SUCCESS_POLICY_RULES {
        out.push(too_many(&rules_at, rules.len(), MAX_SUCCESS_POLICY_RULES));
    }
    // Without completions the API server fails the request outright; `completions` is
    // already reported above.
    let Some(completions) = int_at(v, &push(spec, "completions")) else {
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        let r = push(&rules_at, i.to_string());
        let count = rule.get("succeededCount").filter(|x| !x.is_null());
        let indexes = rule.get("succeededIndexes").filter(|x| !x.is_null());
        if count.is_none() && indexes.is_none() {
            out.push(
                FieldError::required(&r, "at least one of succeededCount or succeededIndexes must be specified")
                    .finding(ID)
                    .label("an empty rule")
                    .help("set `succeededIndexes` (like \"0-2,5\") or `succeededCount`"),
            );
        }
        let mut total = None;
        if let Some(s) = indexes.and_then(Value::as_str) {
            let p = push(&r, "succeededIndexes");
            if s.len() > MAX_SUCCEEDED_INDEXES_LENGTH {
                out.push(
                    Finding::new(ID, &p, format!("{}: Too long: may not be more than {MAX_SUCCEEDED_INDEXES_LENGTH} bytes", crate::pointer::dotted(&p)))
                        .label("too long")
                        .help("list fewer indexes, or use ranges"),
                );
            }
            match index_intervals(s, completions) {
                Ok(n) => total = Some(n),
                Err(e) => out.push(
                    FieldError::invalid(&p, &Value::from(s), format!("error parsing succeededIndexes: {e}"))
                        .finding(ID)
                        .label("not an index list")
                        .help(format!("list increasing indexes below completions ({completions}) and ranges, like \"0,2-4\"")),
                ),
            }
        }
        if let Some(n) = count.and_then(Value::as_i64) {
            let p = push(&r, "succeededCount");
            if n < 0 {
                out.push(
                    FieldError::invalid(&p, &Value::from(n), crate::k8s::intstr::NEGATIVE)
                        .finding(ID)
                        .label("negative"),
                );
            }
            if n > completions {
                out.push(
                    FieldError::invalid(&p, &Value::from(n), format!("must be less than or equal to {completions} (the number of specified completions)"))
                        .finding(ID)
                        .label("more than completions")
                        .help(format!("keep succeededCount at {completions} (completions) or below")),
                );
            }
            if let Some(t) = total.filter(|t| n > *t) {
                out.push(
                    FieldError::invalid(&p, &Value::from(n), format!("must be less than or equal to {t} (the number of indexes in the specified succeededIndexes field)"))
                        .finding(ID)
                        .label("more than the listed indexes")
                        .help(format!("keep succeededCount at {t} or below, or list more indexes")),
                );
            }
        }
    }
}

/// The batch validation's `validateIndexesFormat`: comma-separated indexes and `a-b` ranges,
/// increasing, each below `completions`; the number of indexes, or upstream's error text.
fn index_intervals(s: &str, completions: i64) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let atoi = |t: &str| -> Result<i64, String> {
        let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("cannot convert string to integer for index: {t:?}"));
        }
        t.parse()
            .map_err(|_| format!("cannot convert string to integer for index: {t:?}"))
    };
    let mut last: Option<i64> = None;
    let mut total = 0;
    for interval in s.split(',') {
        let parts: Vec<&str> = interval.split('-').collect();
        if parts.len() > 2 {
            return Err(format!("the fragment {interval:?} violates the requirement that an index interval can have at most two parts separated by '-'"));
        }
        let x = atoi(parts[0])?;
        if x >= completions {
            return Err(format!("too large index: {:?}", parts[0]));
        }
        let y = match parts.get(1) {
            Some(t) => {
                let y = atoi(t)?;
                if y >= completions {
                    return Err(format!("too large index: {t:?}"));
                }
                if x >= y {
                    return Err(format!("non-increasing order, previous: {x}, current: {y}"));
                }
                y
            }
            None => x,
        };
        if let Some(l) = last.filter(|l| *l >= x) {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        total += y - x + 1;
        last = Some(y);
    }
    Ok(total)
}

/// `field.TooMany`.
fn too_many(at: &str, n: usize, max: usize) -> Finding {
    Finding::new(
        ID,
        at,
        format!(
            "{}: Too many: {n}: must have at most {max} items",
            crate::pointer::dotted(at)
        ),
    )
    .at(Target::Key)
    .label("too many items")
    .help(format!("keep at most {max} items"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists_as_the_job_validation_reads_them() {
        for (s, c, want) in [
            ("", 5, Ok(0)),
            ("0", 5, Ok(1)),
            ("0-2,4", 5, Ok(4)),
            ("1,3-4", 5, Ok(3)),
        ] {
            assert_eq!(index_intervals(s, c), want, "{s}");
        }
        for (s, c, want) in [
            ("5", 5, "too large index: \"5\""),
            ("0-5", 5, "too large index: \"5\""),
            ("2-1", 5, "non-increasing order, previous: 2, current: 1"),
            ("2-2", 5, "non-increasing order, previous: 2, current: 2"),
            ("3,1", 5, "non-increasing order, previous: 3, current: 1"),
            ("0-2,2", 5, "non-increasing order, previous: 2, current: 2"),
            ("a", 5, "cannot convert string to integer for index: \"a\""),
            ("1,,2", 5, "cannot convert string to integer for index: \"\""),
            ("1-2-3", 5, "at most two parts"),
        ] {
            let got = index_intervals(s, c).unwrap_err();
            assert!(got.contains(want), "{s}: {got}");
        }
    }

    fn messages(kind: &str, spec: &str, minor: u32) -> Vec<String> {
        let av = match kind {
            "Job" | "CronJob" => "batch/v1",
            "ReplicationController" => "v1",
            _ => "apps/v1",
        };
        let text = format!("apiVersion: {av}\nkind: {kind}\nmetadata: {{name: w}}\nspec:\n{spec}\n");
        crate::rules::api_fields::run(&InvalidWorkloadSpec, &text, minor)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn deployment_rollouts_after_defaulting() {
        let d = |s: &str| messages("Deployment", s, 37);
        assert!(d("  replicas: 0").is_empty());
        assert!(d("  strategy: {rollingUpdate: {maxUnavailable: 0}}").is_empty());
        assert!(d("  strategy: {rollingUpdate: {maxSurge: 0}}").is_empty());
        assert!(d("  strategy: {rollingUpdate: {maxSurge: '200%', maxUnavailable: 0}}").is_empty());
        assert!(d("  strategy: {type: Recreate}").is_empty());
        assert!(d("  strategy: {type: Recreate, rollingUpdate: null}").is_empty());
        assert!(d("  minReadySeconds: 599").is_empty());
        assert!(d("  minReadySeconds: 30\n  progressDeadlineSeconds: 31").is_empty());
        assert_eq!(
            d("  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: '0%'}}"),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"]
        );
        assert_eq!(
            d("  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}"),
            ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]
        );
        assert_eq!(
            d("  strategy: {rollingUpdate: {maxUnavailable: '120%'}}"),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"]
        );
        assert_eq!(
            d("  minReadySeconds: 600"),
            ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]
        );
        assert_eq!(
            d("  minReadySeconds: 30\n  progressDeadlineSeconds: 30"),
            ["spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"]
        );
        assert_eq!(
            d("  replicas: -1\n  revisionHistoryLimit: -2"),
            [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0"
            ]
        );
    }

    #[test]
    fn daemonset_surges_or_takes_pods_down() {
        let d = |s: &str| messages("DaemonSet", s, 37);
        assert!(d("  updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}").is_empty());
        assert!(d("  updateStrategy: {rollingUpdate: {maxUnavailable: '10%'}}").is_empty());
        assert!(d("  updateStrategy: {type: OnDelete, rollingUpdate: {maxSurge: 1}}").is_empty());
        assert_eq!(
            d("  updateStrategy: {rollingUpdate: {maxSurge: 1}}"),
            ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"]
        );
        assert_eq!(
            d("  updateStrategy: {rollingUpdate: {maxUnavailable: 0}}"),
            ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]
        );
        assert_eq!(
            d("  updateStrategy: {rollingUpdate: {maxSurge: '150%', maxUnavailable: 0}}"),
            ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"150%\": must not be greater than 100%"]
        );
    }

    #[test]
    fn statefulset_versions() {
        let s = |spec: &str, minor| messages("StatefulSet", spec, minor);
        let zero = "  updateStrategy: {rollingUpdate: {maxUnavailable: 0}}";
        assert_eq!(
            s(zero, 35),
            ["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"]
        );
        assert!(s(zero, 34).is_empty());
        assert_eq!(
            s("  updateStrategy: {type: OnDelete, rollingUpdate: {partition: 1}}", 37),
            ["spec.updateStrategy.rollingUpdate: Invalid value: only allowed for updateStrategy 'RollingUpdate'"]
        );
        assert_eq!(s("  updateStrategy: {rollingUpdate: {partition: -1}}", 37).len(), 1);
        assert_eq!(s("  ordinals: {start: -1}", 37), ["spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"]);
        assert_eq!(s("  persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep}", 37).len(), 1);
        assert!(s("  persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep}", 26).is_empty());
    }

    #[test]
    fn jobs_by_version() {
        let j = |spec: &str, minor| messages("Job", spec, minor);
        let pfp = "  podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [1]}}]}\n  template: {spec: {restartPolicy: OnFailure, containers: [{name: c, image: 'x:1'}]}}";
        assert_eq!(
            j(pfp, 26),
            ["spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"]
        );
        assert!(j(pfp, 25).is_empty());
        let sp = "  completionMode: NonIndexed\n  successPolicy: {rules: [{succeededCount: 1}]}";
        assert_eq!(j(sp, 31), ["spec.successPolicy: Invalid value: requires indexed completion mode"]);
        assert!(j(sp, 30).is_empty());
        let bl = "  backoffLimitPerIndex: 1";
        assert_eq!(j(bl, 29), ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]);
        assert!(j(bl, 28).is_empty());
        assert_eq!(j("  completionMode: Indexed", 37), ["spec.completions: Required value: when completion mode is Indexed"]);
        assert!(j("  activeDeadlineSeconds: 0\n  backoffLimit: 0", 37).is_empty());
        assert_eq!(j("  parallelism: -1", 37).len(), 1);
        assert_eq!(
            j("  completionMode: Indexed\n  completions: 3\n  successPolicy: {rules: [{succeededIndexes: '0-3', succeededCount: 4}]}", 37),
            [
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"0-3\": error parsing succeededIndexes: too large index: \"3\"",
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)"
            ]
        );
    }

    #[test]
    fn pod_failure_policy_rules() {
        let j = |rules: &str| {
            messages(
                "Job",
                &format!("  podFailurePolicy: {{rules: [{rules}]}}\n  template: {{spec: {{restartPolicy: Never, containers: [{{name: main, image: 'x:1'}}]}}}}"),
                37,
            )
        };
        assert!(j("{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}").is_empty());
        assert!(j("{action: Count, onExitCodes: {containerName: main, operator: NotIn, values: [0, 1]}}").is_empty());
        assert_eq!(
            j("{action: FailJob, onExitCodes: {operator: In, values: [0, 3, 2, 2]}}"),
            [
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[3]: Duplicate value: 2",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: must be ordered"
            ]
        );
        assert_eq!(
            j("{action: Restart, onExitCodes: {containerName: sidecar, operator: In, values: [1]}}"),
            [
                "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Restart\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
                "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"sidecar\": must be one of the container or initContainer names in the pod template"
            ]
        );
        assert_eq!(
            j("{action: FailIndex, onPodConditions: [{type: DisruptionTarget, status: maybe}]}"),
            [
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                "spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: \"maybe\": supported values: \"False\", \"True\", \"Unknown\""
            ]
        );
        assert_eq!(
            j("{action: Ignore}"),
            ["spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"]
        );
    }

    #[test]
    fn cronjob_templates_and_limits() {
        let c = |s: &str| messages("CronJob", s, 37);
        assert_eq!(
            c("  schedule: '@daily'\n  successfulJobsHistoryLimit: -1\n  jobTemplate: {spec: {selector: {matchLabels: {a: b}}, template: {spec: {restartPolicy: Never, containers: [{name: c, image: 'x:1'}]}}}}"),
            [
                "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
                "spec.jobTemplate.spec.selector: Invalid value: `selector` will be auto-generated"
            ]
        );
        assert_eq!(messages("ReplicationController", "  replicas: -3", 37).len(), 1);
        assert!(messages("ReplicaSet", "  replicas: 0\n  minReadySeconds: 0", 37).is_empty());
    }
}
