//! `invalid-probe`: probes and lifecycle hooks the API server rejects — no handler or several,
//! `successThreshold` other than 1 on a liveness or startup probe, negative timings, a
//! probe-level grace period that is not positive (or set on a readiness probe), an empty exec
//! command, invalid HTTP header names, and `sleep` hooks longer than the pod's grace period.
//! Their ports are `invalid-port`'s; an unknown `scheme` is `schema`'s.
//!
//! Ported from kubernetes `validateLivenessProbe`, `validateReadinessProbe`,
//! `validateStartupProbe`, `validateProbe`, `validateHandler`, `validateLifecycle`,
//! `validateExecAction`, `validateHTTPGetAction` and `validateSleepAction`
//! (pkg/apis/core/validation). Zero timings and thresholds are defaults (the API server fills
//! them in before validating), so only negative ones are reported.

use super::handlers::{self, Handler, HandlerKind};
use super::written;
use super::{Context, Finding, Rule, Target};
use crate::k8s::names::is_http_header_name;
use crate::model::PodView;
use crate::pointer;

declare_rule! {
    pub struct InvalidProbe {
        id: "invalid-probe",
        severity: Error,
        category: Correctness,
        inspects: Pods,
        whole_object: true,
    }
}

/// From 1.33 a `sleep` of zero seconds is accepted (PodLifecycleSleepActionAllowZero, beta).
const SLEEP_ZERO_MINOR: u32 = 33;
/// What the API server fills in for a pod without `terminationGracePeriodSeconds`.
const DEFAULT_GRACE_PERIOD: i64 = 30;

impl Rule for InvalidProbe {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let grace = pod
            .spec
            .termination_grace_period_seconds
            .unwrap_or(DEFAULT_GRACE_PERIOD);
        for c in &pod.containers {
            for h in handlers::of(c) {
                handler_count(cx, &h, out);
                actions(cx, pod, &h, grace, out);
                if h.probe.is_some() {
                    probe_fields(&h, out);
                }
            }
        }
    }
}

/// Exactly one handler per probe or hook.
fn handler_count(cx: &Context, h: &Handler, out: &mut Vec<Finding>) {
    let actions = h.actions();
    let what = if h.kind.is_probe() { "probe" } else { "hook" };
    let choices = if h.kind.is_probe() {
        "`exec`, `httpGet`, `tcpSocket` or `grpc`"
    } else {
        "`exec`, `httpGet` or `sleep`"
    };
    match actions.as_slice() {
        [] => {
            // A probe or hook whose only keys are unknown is the schema's finding.
            let at = h.pointer();
            let keys = cx.object.at(&at).and_then(|v| v.as_object());
            let known = |k: &str| {
                matches!(
                    k,
                    "initialDelaySeconds"
                        | "timeoutSeconds"
                        | "periodSeconds"
                        | "successThreshold"
                        | "failureThreshold"
                        | "terminationGracePeriodSeconds"
                )
            };
            if keys.is_some_and(|m| m.keys().all(|k| known(k))) {
                out.push(
                    Finding::new(
                        InvalidProbe::ID,
                        at,
                        format!("{} has no handler: must specify a handler type", h.kind.field()),
                    )
                    .at(Target::Key)
                    .label("no handler")
                    .help(format!("give the {what} one handler: {choices}")),
                );
            }
        }
        [first, rest @ ..] => {
            for extra in rest {
                out.push(
                    Finding::new(
                        InvalidProbe::ID,
                        h.field(extra),
                        format!(
                            "{} has both `{first}` and `{extra}`: may not specify more than 1 handler type",
                            h.kind.field()
                        ),
                    )
                    .at(Target::Key)
                    .label("second handler")
                    .related(h.field(first), Target::Key, "first handler here")
                    .help(format!("keep one handler per {what}: remove `{extra}` or `{first}`")),
                );
            }
        }
    }
}

/// What each action itself must hold.
fn actions(cx: &Context, pod: &PodView, h: &Handler, grace: i64, out: &mut Vec<Finding>) {
    let minor = cx.options.minor;
    if let Some(exec) = h.exec {
        if exec.command.as_ref().is_none_or(|c| c.is_empty()) {
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    h.field("exec"),
                    format!("{} exec has no command: command: Required value", h.kind.field()),
                )
                .at(Target::Key)
                .label("no command")
                .help("give `exec` a `command` list, e.g. `command: [cat, /tmp/healthy]`"),
            );
        }
    }
    if let Some(get) = h.http_get {
        for (i, header) in get.http_headers.iter().flatten().enumerate() {
            let errs = is_http_header_name(&header.name);
            if errs.is_empty() {
                continue;
            }
            let headers_at = pointer::push(&h.field("httpGet"), "httpHeaders");
            let name_at = pointer::push(&pod.item(&headers_at, i), "name");
            if written::is_string(cx, &name_at) {
                out.push(
                    Finding::new(
                        InvalidProbe::ID,
                        name_at,
                        format!("HTTP header name {:?}: {}", header.name, errs.join("; ")),
                    )
                    .label("invalid header name")
                    .help("header names consist of letters, digits and '-' (e.g. `X-Probe`)"),
                );
            }
        }
    }
    let Some(sleep) = h.sleep else { return };
    let seconds_at = pointer::push(&h.field("sleep"), "seconds");
    if written::is_integer(cx, &seconds_at) {
        let zero_ok = minor >= SLEEP_ZERO_MINOR;
        let low = if zero_ok { sleep.seconds < 0 } else { sleep.seconds <= 0 };
        if low || sleep.seconds > grace {
            let msg = if zero_ok {
                format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})")
            } else {
                format!("must be greater than 0 and less than terminationGracePeriodSeconds ({grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")
            };
            let help = if sleep.seconds > grace {
                format!("sleep at most {grace} seconds, or raise the pod's `terminationGracePeriodSeconds`")
            } else if zero_ok {
                "sleep zero seconds or more".to_string()
            } else {
                "sleep at least one second (zero is accepted from 1.33)".to_string()
            };
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    seconds_at,
                    format!("{} sleep {}s: {msg}", h.kind.field(), sleep.seconds),
                )
                .label("out of range")
                .help(help),
            );
        }
    }
}

/// Thresholds and timings of a probe.
fn probe_fields(h: &Handler, out: &mut Vec<Finding>) {
    let Some(p) = h.probe else { return };
    let must_be_one = matches!(h.kind, HandlerKind::Liveness | HandlerKind::Startup);
    if let Some(st) = p.success_threshold {
        if must_be_one && st != 1 && st != 0 {
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    h.field("successThreshold"),
                    format!("{} successThreshold {st}: must be 1", h.kind.field()),
                )
                .label("must be 1")
                .help(format!(
                    "remove `successThreshold` (it is 1 for {} probes); only a readiness probe may require several successes",
                    if h.kind == HandlerKind::Liveness { "liveness" } else { "startup" }
                )),
            );
        }
    }
    for (field, value) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold.filter(|_| !must_be_one)),
        ("failureThreshold", p.failure_threshold),
    ] {
        if let Some(v) = value.filter(|v| *v < 0) {
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    h.field(field),
                    format!("{} {field} {v}: must be greater than or equal to 0", h.kind.field()),
                )
                .label("negative")
                .help(format!("use zero or more (an unset or zero `{field}` takes the default)")),
            );
        }
    }
    if let Some(g) = p.termination_grace_period_seconds {
        if h.kind == HandlerKind::Readiness {
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    h.field("terminationGracePeriodSeconds"),
                    "readinessProbe terminationGracePeriodSeconds: must not be set for readinessProbes",
                )
                .at(Target::Key)
                .label("readiness probes never kill")
                .help("remove it: a failed readiness probe does not restart the container"),
            );
        } else if g <= 0 {
            out.push(
                Finding::new(
                    InvalidProbe::ID,
                    h.field("terminationGracePeriodSeconds"),
                    format!("{} terminationGracePeriodSeconds {g}: must be greater than 0", h.kind.field()),
                )
                .label("not positive")
                .help("use one second or more, or remove it to use the pod's grace period"),
            );
        }
    }
}
