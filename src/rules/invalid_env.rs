//! `invalid-env`: environment variables the API server rejects — names invalid for the target
//! version, `valueFrom` with no source or several, `value` beside `valueFrom`, ConfigMap and
//! Secret references with invalid names or keys, and `envFrom` entries with an invalid prefix
//! or no single source.
//!
//! Ported from kubernetes `ValidateEnv`, `validateEnvVarValueFrom`,
//! `validateConfigMapKeySelector`, `validateSecretKeySelector` and `ValidateEnvFrom`
//! (pkg/apis/core/validation), with apimachinery's `IsEnvVarName`, `IsRelaxedEnvVarName` and
//! `IsConfigMapKey`.
//!
//! Which names are valid depends on the version: the strict C-like rule up to 1.31; from 1.32
//! the `RelaxedEnvironmentVariableValidation` gate is on by default (beta) and any printable
//! ASCII but `=` is accepted; in 1.34 the gate went GA and was locked on. For 1.32 and 1.33 a
//! name that only the relaxed rule accepts is a warning: clusters that turned the gate off
//! still reject it.

use super::{Context, Finding, Rule, Severity, Target};
use crate::k8s::names::{
    is_config_map_key, is_dns1123_subdomain, is_env_var_name, is_relaxed_env_var_name,
    name_is_dns_subdomain,
};
use crate::model::{ContainerRef, JsonView, PodView};
use crate::pointer::AtPointer;
use crate::pointer;
use k8s_openapi::api::core::v1::{EnvFromSource, EnvVar, EnvVarSource};
use serde_json::Value;

declare_rule! {
    pub struct InvalidEnv {
        id: "invalid-env",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

/// First version whose API server accepts relaxed names by default.
const RELAXED_DEFAULT_MINOR: u32 = 32;
/// First version where relaxed names cannot be turned off.
const RELAXED_LOCKED_MINOR: u32 = 34;

const STRICT_HELP: &str =
    "use letters, digits, '_', '-' and '.', and do not start with a digit (e.g. `LOG_LEVEL`)";
const RELAXED_HELP: &str =
    "use printable ASCII characters other than '=' (e.g. `LOG_LEVEL`): no '=', tabs, line breaks or non-ASCII letters";

impl Rule for InvalidEnv {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            let list = c.field("env");
            for (i, e) in c.container.env.iter().flatten().enumerate() {
                // Pointers are built only for the variables that need a look.
                let problem = if e.name.is_empty() {
                    None
                } else {
                    name_problem(&e.name, cx.options.minor)
                };
                if e.name.is_empty() || problem.is_some() || e.value_from.is_some() {
                    env_var(cx, e, problem, &|| pod.item(&list, i), out);
                }
            }
            env_from(cx, pod, c, out);
        }
    }
}

/// What the target version says of an env var name (or `envFrom` prefix): `None` when valid,
/// else the level, the API server's words and what to write instead.
fn name_problem(name: &str, minor: u32) -> Option<(Severity, String, &'static str)> {
    if minor < RELAXED_DEFAULT_MINOR {
        let errs = is_env_var_name(name);
        return (!errs.is_empty()).then(|| (Severity::Error, errs.join("; "), STRICT_HELP));
    }
    let relaxed = is_relaxed_env_var_name(name);
    if !relaxed.is_empty() {
        return Some((Severity::Error, relaxed.join("; "), RELAXED_HELP));
    }
    if minor < RELAXED_LOCKED_MINOR {
        let strict = is_env_var_name(name);
        if !strict.is_empty() {
            return Some((
                Severity::Warning,
                format!(
                    "accepted only while the RelaxedEnvironmentVariableValidation feature gate is on (the default from 1.32; locked on from 1.34); with it off: {}",
                    strict.join("; ")
                ),
                STRICT_HELP,
            ));
        }
    }
    None
}

fn env_var(
    cx: &Context,
    e: &EnvVar,
    problem: Option<(Severity, String, &'static str)>,
    at: &dyn Fn() -> String,
    out: &mut Vec<Finding>,
) {
    // Pointers are written only where something may be reported.
    if e.name.is_empty() || problem.is_some() {
        name(cx, e, problem, pointer::push(&at(), "name"), out);
    }
    let Some(from) = &e.value_from else { return };
    value_from(cx, e, from, at, out);
}

/// An empty or invalid env var name (at `name_at`).
fn name(
    cx: &Context,
    e: &EnvVar,
    problem: Option<(Severity, String, &'static str)>,
    name_at: String,
    out: &mut Vec<Finding>,
) {
    if e.name.is_empty() {
        if cx.object.view(&name_at).is_some() {
            out.push(
                Finding::new(InvalidEnv::ID, name_at, "env var name: Required value")
                    .label("empty name")
                    .help("name the variable"),
            );
        }
    } else if let Some((severity, msg, help)) =
        problem.filter(|_| cx.object.str_at(&name_at).is_some())
    {
        // (A name that is not a string, `name: 1`, is the schema's finding.)
        let mut f = Finding::new(
            InvalidEnv::ID,
            name_at,
            format!("env var name {:?}: {msg}", e.name),
        )
        .label("invalid name")
        .help(help);
        if severity == Severity::Warning {
            f = f.severity(Severity::Warning);
        }
        out.push(f);
    }
}

/// The sources of an env var's `valueFrom` (the variable at `at`).
fn value_from(
    cx: &Context,
    e: &EnvVar,
    from: &EnvVarSource,
    at: &dyn Fn() -> String,
    out: &mut Vec<Finding>,
) {
    let from_at = || pointer::push(&at(), "valueFrom");
    let sources: Vec<&str> = [
        ("fieldRef", from.field_ref.is_some()),
        ("resourceFieldRef", from.resource_field_ref.is_some()),
        ("configMapKeyRef", from.config_map_key_ref.is_some()),
        ("secretKeyRef", from.secret_key_ref.is_some()),
        ("fileKeyRef", from.file_key_ref.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, set)| set.then_some(n))
    .collect();
    if sources.is_empty() {
        // An unknown key here is the schema's finding; only an empty `valueFrom` is ours.
        let from_at = from_at();
        let empty = cx
            .object
            .at(&from_at)
            .is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty()) || v.is_null());
        if empty {
            out.push(
                Finding::new(
                    InvalidEnv::ID,
                    from_at,
                    "valueFrom names no source: must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                )
                .at(Target::Key)
                .label("no source")
                .help("add the source of the value (`configMapKeyRef`, `secretKeyRef`, `fieldRef` or `resourceFieldRef`), or use `value`"),
            );
        }
        return;
    }
    if e.value.as_deref().is_some_and(|v| !v.is_empty()) {
        out.push(
            Finding::new(
                InvalidEnv::ID,
                from_at(),
                "`value` and `valueFrom` are both set: may not be specified when `value` is not empty",
            )
            .at(Target::Key)
            .label("beside a value")
            .related(pointer::push(&at(), "value"), Target::Entry, "value")
            .help("keep either the literal `value` or `valueFrom`"),
        );
    } else if sources.len() > 1 {
        let from_at = from_at();
        for extra in &sources[1..] {
            out.push(
                Finding::new(
                    InvalidEnv::ID,
                    pointer::push(&from_at, extra),
                    format!(
                        "valueFrom has both `{}` and `{extra}`: may not have more than one field specified at a time",
                        sources[0]
                    ),
                )
                .at(Target::Key)
                .label("second source")
                .related(pointer::push(&from_at, sources[0]), Target::Key, "first source")
                .help("keep one source per variable; add another variable for the other value"),
            );
        }
    }
    for (kind, selector) in [
        (
            "configMapKeyRef",
            from.config_map_key_ref
                .as_ref()
                .map(|s| (s.name.as_str(), s.key.as_str())),
        ),
        (
            "secretKeyRef",
            from.secret_key_ref
                .as_ref()
                .map(|s| (s.name.as_str(), s.key.as_str())),
        ),
    ] {
        let Some((name, key)) = selector else { continue };
        key_selector(cx, kind, name, key, &|| pointer::push(&from_at(), kind), out);
    }
}

/// A ConfigMap or Secret key reference: the object's name is a DNS subdomain, the key a
/// ConfigMap key.
fn key_selector(
    cx: &Context,
    kind: &str,
    name: &str,
    key: &str,
    at: &dyn Fn() -> String,
    out: &mut Vec<Finding>,
) {
    let object = if kind == "secretKeyRef" { "Secret" } else { "ConfigMap" };
    let written = |at: &str, field: &str| cx.object.view(&pointer::push(at, field));
    let errs = is_dns1123_subdomain(name);
    // A missing name is the schema's finding (the schema requires it).
    if !errs.is_empty() {
        let at = at();
        if written(&at, "name").is_some_and(|n| n.as_str().is_some()) {
            out.push(
                Finding::new(
                    InvalidEnv::ID,
                    pointer::push(&at, "name"),
                    format!("{kind} name {name:?}: {}", errs.join("; ")),
                )
                .label(if name.is_empty() { "no name" } else { "invalid name" })
                .help(format!("name the {object} to read the key from (a lowercase DNS subdomain such as `app-config`)")),
            );
        }
    }
    // A valid key needs no look at what is written (an empty one is never valid).
    let errs = is_config_map_key(key);
    if errs.is_empty() {
        return;
    }
    let at = at();
    match written(&at, "key") {
        None => {} // a missing key is the schema's finding
        Some(k) if k.as_str().is_some() && key.is_empty() => out.push(
            Finding::new(InvalidEnv::ID, pointer::push(&at, "key"), format!("{kind} key: Required value"))
                .label("empty key")
                .help(format!("name the key of the {object} to read")),
        ),
        Some(_) => out.push(
            Finding::new(
                InvalidEnv::ID,
                pointer::push(&at, "key"),
                format!("{kind} key {key:?}: {}", errs.join("; ")),
            )
            .label("invalid key")
            .help(format!("{object} keys consist of letters, digits, '-', '_' and '.'")),
        ),
    }
}

fn env_from(cx: &Context, pod: &PodView, c: &ContainerRef, out: &mut Vec<Finding>) {
    for (i, e) in c.container.env_from.iter().flatten().enumerate() {
        let at = pod.item(&c.field("envFrom"), i);
        env_from_source(cx, e, &at, out);
    }
}

fn env_from_source(cx: &Context, e: &EnvFromSource, at: &str, out: &mut Vec<Finding>) {
    if let Some(prefix) = e.prefix.as_deref().filter(|p| !p.is_empty()) {
        if let Some((severity, msg, help)) = name_problem(prefix, cx.options.minor) {
            let mut f = Finding::new(
                InvalidEnv::ID,
                pointer::push(at, "prefix"),
                format!("envFrom prefix {prefix:?}: {msg}"),
            )
            .label("invalid prefix")
            .help(help);
            if severity == Severity::Warning {
                f = f.severity(Severity::Warning);
            }
            out.push(f);
        }
    }
    let sources: Vec<(&str, &str)> = [
        ("configMapRef", e.config_map_ref.as_ref().map(|r| r.name.as_str())),
        ("secretRef", e.secret_ref.as_ref().map(|r| r.name.as_str())),
    ]
    .into_iter()
    .filter_map(|(k, n)| n.map(|n| (k, n)))
    .collect();
    match sources.as_slice() {
        [] => {
            let unknown_keys = cx.object.at(at).and_then(Value::as_object).is_some_and(|m| {
                m.keys()
                    .any(|k| !matches!(k.as_str(), "prefix" | "configMapRef" | "secretRef"))
            });
            if !unknown_keys {
                out.push(
                    Finding::new(
                        InvalidEnv::ID,
                        at.to_string(),
                        "envFrom entry names no source: must specify one of: `configMapRef` or `secretRef`",
                    )
                    .label("no source")
                    .help("add `configMapRef: {name: ...}` or `secretRef: {name: ...}`"),
                );
            }
        }
        [(first, _), (second, _)] => out.push(
            Finding::new(
                InvalidEnv::ID,
                pointer::push(at, second),
                format!("envFrom entry has both `{first}` and `{second}`: may not have more than one field specified at a time"),
            )
            .at(Target::Key)
            .label("second source")
            .related(pointer::push(at, first), Target::Key, "first source")
            .help("use one envFrom entry per ConfigMap or Secret"),
        ),
        _ => {}
    }
    for (kind, name) in sources {
        let ref_at = pointer::push(at, kind);
        let object = if kind == "secretRef" { "Secret" } else { "ConfigMap" };
        let name_at = pointer::push(&ref_at, "name");
        if cx.object.str_at(&name_at).is_none() {
            // A missing name is the schema's finding (the schema requires it).
        } else if name.is_empty() {
            out.push(
                Finding::new(InvalidEnv::ID, name_at, format!("{kind} name: Required value"))
                    .label("no name")
                    .help(format!("name the {object} whose keys become variables")),
            );
        } else {
            let errs = name_is_dns_subdomain(name, true);
            if !errs.is_empty() {
                out.push(
                    Finding::new(
                        InvalidEnv::ID,
                        pointer::push(&ref_at, "name"),
                        format!("{kind} name {name:?}: {}", errs.join("; ")),
                    )
                    .label("invalid name")
                    .help(format!("use the {object}'s name: a lowercase DNS subdomain such as `app-config`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_version() {
        // Strict before 1.32: a space or a leading digit is an error.
        assert_eq!(name_problem("MY VAR", 31).map(|p| p.0), Some(Severity::Error));
        assert_eq!(name_problem("1ST", 31).map(|p| p.0), Some(Severity::Error));
        assert_eq!(name_problem("my.var-1_", 31), None);
        // 1.32 and 1.33: relaxed by default, strict only with the gate off.
        assert_eq!(name_problem("MY VAR", 32).map(|p| p.0), Some(Severity::Warning));
        assert_eq!(name_problem("1ST", 33).map(|p| p.0), Some(Severity::Warning));
        assert_eq!(name_problem("A=B", 33).map(|p| p.0), Some(Severity::Error));
        // From 1.34: printable ASCII without '='.
        assert_eq!(name_problem("MY VAR", 34), None);
        assert_eq!(name_problem("~!@#", 37), None);
        assert_eq!(name_problem("A=B", 34).map(|p| p.0), Some(Severity::Error));
        assert_eq!(name_problem("tab\there", 34).map(|p| p.0), Some(Severity::Error));
        assert_eq!(name_problem("é", 34).map(|p| p.0), Some(Severity::Error));
    }
}
