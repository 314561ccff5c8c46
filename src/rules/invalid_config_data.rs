//! `invalid-config-data`: ConfigMap and Secret content the API server refuses (core
//! `ValidateConfigMap`, `ValidateSecret`): keys that are not config keys, a ConfigMap key in
//! both `data` and `binaryData`, and typed Secrets without the keys (or the annotation) their
//! type requires, or with Docker configuration that is not a JSON object.

use super::api_objects::{shown, ApiObject, Class};
use super::{Context, Finding, Rule, Target};
use crate::k8s::names;
use crate::pointer::{self, AtPointer};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde_json::{Map, Value};

declare_rule! {
    pub struct InvalidConfigData {
        id: "invalid-config-data",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("", "ConfigMap"), ("", "Secret")),
    }
}

/// Go's `base64.StdEncoding`, which decodes Secret `data` (padding required, trailing bits
/// allowed).
const GO_STD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

const KEY_HELP: &str = "use letters, digits, `-`, `_` and `.` only (at most 253, not `.` or `..` or starting with `..`); the key becomes a file name when the data is mounted";

impl Rule for InvalidConfigData {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(api) = ApiObject::of(cx.object).filter(|a| a.class == Class::Builtin) else {
            return;
        };
        if api.is("", "ConfigMap") {
            config_map(cx, out);
        } else if api.is("", "Secret") {
            secret(cx, out);
        }
    }
}

fn map<'v>(cx: &'v Context, at: &str) -> Option<&'v Map<String, Value>> {
    cx.object.at(at).and_then(Value::as_object)
}

/// Report the keys of the mapping at `at` that are not config keys.
fn keys(cx: &Context, at: &str, out: &mut Vec<Finding>) {
    let Some(m) = map(cx, at) else { return };
    for k in m.keys() {
        let msgs = names::is_config_map_key(k);
        if msgs.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                InvalidConfigData::ID,
                pointer::push(at, k),
                if k.is_empty() {
                    format!("the API server rejects an empty key: {}", msgs.join("; "))
                } else {
                    format!("the API server rejects the key {}: {}", shown(k), msgs.join("; "))
                },
            )
            .at(Target::Key)
            .label("invalid key")
            .help(KEY_HELP),
        );
    }
}

fn config_map(cx: &Context, out: &mut Vec<Finding>) {
    keys(cx, "/data", out);
    keys(cx, "/binaryData", out);
    let (Some(data), Some(binary)) = (map(cx, "/data"), map(cx, "/binaryData")) else {
        return;
    };
    for k in data.keys().filter(|k| binary.contains_key(*k)) {
        out.push(
            Finding::new(
                InvalidConfigData::ID,
                pointer::push("/data", k),
                format!("the key `{k}` is in both `data` and `binaryData`: the API server says \"duplicate of key present in binaryData\""),
            )
            .at(Target::Key)
            .label("also in binaryData")
            .related(pointer::push("/binaryData", k), Target::Key, "here too")
            .help("keep the key in one of the two: `data` for UTF-8 text, `binaryData` for anything else"),
        );
    }
}

/// The content of a Secret key as the API server sees it once `stringData` is merged into
/// `data`: `Some(None)` when present but not decodable (`secret-not-base64` reports that).
fn content(cx: &Context, key: &str) -> Option<Option<Vec<u8>>> {
    if let Some(v) = map(cx, "/stringData").and_then(|m| m.get(key)) {
        return Some(v.as_str().map(|s| s.as_bytes().to_vec()));
    }
    let v = map(cx, "/data")?.get(key)?;
    Some(match v {
        Value::Null => Some(Vec::new()),
        Value::String(s) => {
            let compact: String = s.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
            GO_STD.decode(compact.as_bytes()).ok()
        }
        _ => None,
    })
}

/// Where a missing key should go: `data` (or `stringData`) if the Secret has either, else
/// its `type`.
fn missing_at(cx: &Context) -> (&'static str, Target) {
    if map(cx, "/data").is_some() {
        ("/data", Target::Key)
    } else if map(cx, "/stringData").is_some() {
        ("/stringData", Target::Key)
    } else {
        ("/type", Target::Value)
    }
}

fn missing_keys(cx: &Context, ty: &str, missing: &[&str], any: bool, out: &mut Vec<Finding>) {
    let (at, target) = missing_at(cx);
    let listed = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(if any { " or " } else { " and " });
    let said = missing
        .iter()
        .map(|k| format!("data[{k}]: Required value"))
        .collect::<Vec<_>>()
        .join("; ");
    let needs = if missing.len() > 1 && !any { "the keys" } else { "the key" };
    let mut f = Finding::new(
        InvalidConfigData::ID,
        at,
        format!("a Secret of type `{ty}` needs {needs} {listed}: the API server says \"{said}\""),
    )
    .at(target)
    .label(format!("no {listed}"))
    .help(format!(
        "add {listed} under `data` (base64) or `stringData` (plain text), or change `type`"
    ));
    if at != "/type" {
        f = f.related("/type", Target::Value, "the type that requires it");
    }
    out.push(f);
}

fn secret(cx: &Context, out: &mut Vec<Finding>) {
    keys(cx, "/data", out);
    keys(cx, "/stringData", out);
    let o = cx.object;
    let ty = o.str_at("/type").unwrap_or("");
    let has = |k: &str| content(cx, k).is_some();
    match ty {
        "kubernetes.io/service-account-token" => {
            let key = "kubernetes.io/service-account.name";
            let named = o
                .annotation(key)
                .is_some_and(|v| !v.is_empty());
            if !named {
                let (at, target) = if o.view("/metadata/annotations").is_some() {
                    ("/metadata/annotations", Target::Key)
                } else if o.view("/metadata").is_some() {
                    ("/metadata", Target::Key)
                } else {
                    ("/type", Target::Value)
                };
                out.push(
                    Finding::new(
                        InvalidConfigData::ID,
                        at,
                        format!("a Secret of type `{ty}` needs the annotation `{key}`: the API server says \"metadata.annotations[{key}]: Required value\""),
                    )
                    .at(target)
                    .label(format!("no `{key}`"))
                    .help(format!("add the annotation `{key}` with the name of the ServiceAccount whose token the Secret holds")),
                );
            }
        }
        "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
            let key = if ty.ends_with("json") {
                ".dockerconfigjson"
            } else {
                ".dockercfg"
            };
            match content(cx, key) {
                None => missing_keys(cx, ty, &[key], false, out),
                Some(Some(bytes)) => docker_json(cx, ty, key, &bytes, out),
                Some(None) => {}
            }
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            missing_keys(cx, ty, &["username", "password"], true, out);
        }
        "kubernetes.io/ssh-auth" => match content(cx, "ssh-privatekey") {
            None => missing_keys(cx, ty, &["ssh-privatekey"], false, out),
            Some(Some(b)) if b.is_empty() => {
                let at = if map(cx, "/stringData").is_some_and(|m| m.contains_key("ssh-privatekey")) {
                    "/stringData/ssh-privatekey"
                } else {
                    "/data/ssh-privatekey"
                };
                out.push(
                    Finding::new(
                        InvalidConfigData::ID,
                        at,
                        format!("a Secret of type `{ty}` needs a non-empty `ssh-privatekey`: the API server says \"data[ssh-privatekey]: Required value\""),
                    )
                    .label("empty")
                    .help("put the private key here"),
                );
            }
            Some(_) => {}
        },
        "kubernetes.io/tls" => {
            let missing: Vec<&str> = ["tls.crt", "tls.key"]
                .into_iter()
                .filter(|k| !has(k))
                .collect();
            if !missing.is_empty() {
                missing_keys(cx, ty, &missing, false, out);
            }
        }
        _ => {}
    }
}

/// Docker configuration must decode as a JSON object, as Go's `json.Unmarshal` into a map
/// reads it (`null` passes; invalid UTF-8 is replaced, not refused).
fn docker_json(cx: &Context, ty: &str, key: &str, bytes: &[u8], out: &mut Vec<Finding>) {
    let text = String::from_utf8_lossy(bytes);
    let problem = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(_) | Value::Null) => return,
        Ok(v) => format!(
            "it is JSON, but {} rather than an object",
            match v {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                _ => "a boolean",
            }
        ),
        Err(e) => format!("it is not JSON ({e})"),
    };
    let at = if map(cx, "/stringData").is_some_and(|m| m.contains_key(key)) {
        pointer::push("/stringData", key)
    } else {
        pointer::push("/data", key)
    };
    out.push(
        Finding::new(
            InvalidConfigData::ID,
            at,
            format!("the API server rejects `{key}` of a Secret of type `{ty}`: {problem}"),
        )
        .label("not a JSON object")
        .help(
            "put the Docker configuration file here (a JSON object such as {\"auths\": {...}}), base64-encoded under `data` or as is under `stringData`; `kubectl create secret docker-registry` writes it",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn pointers(text: &str) -> Vec<String> {
        findings(&InvalidConfigData, text)
            .into_iter()
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn config_map_keys() {
        let got = pointers("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  app.properties: x\n  'a b': x\n  ..data: x\n  dup: x\nbinaryData:\n  dup: eA==\n  'c/d': eA==\n");
        assert_eq!(
            got,
            ["/data/a b", "/data/..data", "/binaryData/c~1d", "/data/dup"]
        );
    }

    #[test]
    fn typed_secrets() {
        let secret = |ty: &str, rest: &str| {
            pointers(&format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ntype: {ty}\n{rest}"
            ))
        };
        assert!(secret("kubernetes.io/tls", "data: {tls.crt: '', tls.key: ''}\n").is_empty());
        assert_eq!(secret("kubernetes.io/tls", "data: {tls.crt: ''}\n"), ["/data"]);
        assert_eq!(secret("kubernetes.io/tls", ""), ["/type"]);
        assert!(secret("kubernetes.io/tls", "data: {tls.crt: ''}\nstringData: {tls.key: k}\n").is_empty());
        assert!(secret("kubernetes.io/basic-auth", "stringData: {password: ''}\n").is_empty());
        assert_eq!(secret("kubernetes.io/basic-auth", "stringData: {user: x}\n"), ["/stringData"]);
        assert_eq!(
            secret("kubernetes.io/ssh-auth", "data: {ssh-privatekey: ''}\n"),
            ["/data/ssh-privatekey"]
        );
        assert!(secret("kubernetes.io/ssh-auth", "stringData: {ssh-privatekey: k}\n").is_empty());
        assert!(secret(
            "kubernetes.io/dockerconfigjson",
            "stringData: {.dockerconfigjson: '{\"auths\": {}}'}\n"
        )
        .is_empty());
        assert_eq!(
            secret("kubernetes.io/dockerconfigjson", "stringData: {.dockerconfigjson: '[1]'}\n"),
            ["/stringData/.dockerconfigjson"]
        );
        // `{auths` in base64: not JSON.
        assert_eq!(
            secret("kubernetes.io/dockercfg", "data: {.dockercfg: e2F1dGhz}\n"),
            ["/data/.dockercfg"]
        );
        assert_eq!(secret("kubernetes.io/service-account-token", ""), ["/metadata"]);
        assert!(secret("Opaque", "").is_empty());
        assert!(secret("example.com/custom", "").is_empty());
        assert_eq!(secret("Opaque", "stringData: {'a key': x}\n"), ["/stringData/a key"]);
    }
}
