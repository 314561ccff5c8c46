//! `object-too-large`: sizes the API server refuses — annotations over 256 KiB in total
//! (apimachinery `ValidateAnnotationsSize`), ConfigMap and Secret data over 1 MiB (core
//! `ValidateConfigMap`, `ValidateSecret`) — and, as a warning, an object that `kubectl apply`
//! without `--server-side` cannot create because its copy in the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation would pass the annotation
//! limit.

use super::api_objects::{pod_pointers, ApiObject, Class};
use super::{Context, Finding, Rule, Severity, Target};
use crate::json_size;
use crate::pointer;
use crate::model::{JsonRef, JsonView};


declare_rule! {
    pub struct ObjectTooLarge {
        id: "object-too-large",
        severity: Error,
        category: Correctness,
        inspects: Objects,
    }
}

/// `TotalAnnotationSizeLimitB`: keys and values of all annotations together.
const ANNOTATIONS_MAX: usize = 256 * 1024;
/// `core.MaxSecretSize`: the data of a ConfigMap or Secret.
const DATA_MAX: usize = 1024 * 1024;
/// The annotation client-side apply writes, holding the object as JSON.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

impl Rule for ObjectTooLarge {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        let Some(api) = ApiObject::of(o) else { return };
        let mut rejected = annotations_too_large(cx, "/metadata", out);
        if api.class == Class::Builtin {
            if let Some((meta, _)) = pod_pointers(o) {
                if meta != "/metadata" {
                    rejected |= annotations_too_large(cx, meta, out);
                }
            }
            if api.is("", "ConfigMap") || api.is("", "Secret") {
                rejected |= data_too_large(cx, api.kind, out);
            }
        }
        if !rejected {
            client_side_apply(cx, api.kind, out);
        }
    }
}

/// Keys and values of the string annotations of a map, in bytes, as the API server adds them.
fn annotation_bytes(map: JsonRef) -> usize {
    map.entries()
        .into_iter()
        .flatten()
        .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
        .sum()
}

/// Report annotations over the limit in the metadata at `meta`; whether it did.
fn annotations_too_large(cx: &Context, meta: &str, out: &mut Vec<Finding>) -> bool {
    let Some(map) = cx
        .object
        .view(meta)
        .and_then(|m| m.get("annotations"))
        .filter(|m| m.is_map())
    else {
        return false;
    };
    let total = annotation_bytes(map);
    if total <= ANNOTATIONS_MAX {
        return false;
    }
    out.push(
        Finding::new(
            ObjectTooLarge::ID,
            pointer::push(meta, "annotations"),
            format!(
                "the annotations take {total} bytes (keys and values): the API server says \"Too long: may not be more than {ANNOTATIONS_MAX} bytes\""
            ),
        )
        .at(Target::Key)
        .label(format!("{total} bytes"))
        .help("move large data out of the annotations (into a ConfigMap or the object's own fields)"),
    );
    true
}

/// The length Go's base64 decoder gives a value (`\r` and `\n` ignored); a close estimate
/// for values that are not valid base64 (`secret-not-base64` reports those).
fn base64_decoded_len(s: &str) -> usize {
    let b = s.bytes().filter(|c| !matches!(c, b'\r' | b'\n'));
    let (mut n, mut pad) = (0usize, 0usize);
    for c in b {
        n += 1;
        if c == b'=' {
            pad += 1;
        } else {
            pad = 0;
        }
    }
    (n / 4 * 3 + (n % 4) * 3 / 4).saturating_sub(pad.min(2))
}

/// The string values of a mapping, with their keys.
fn strings(m: Option<JsonRef<'_>>) -> Vec<(&str, &str)> {
    m.and_then(JsonView::entries)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
        .collect()
}

/// Report ConfigMap or Secret data over 1 MiB, counted as the API server counts it: the bytes
/// of each value (keys are free), decoded for `binaryData` and Secret `data`, with a Secret's
/// `stringData` replacing the `data` value of the same key. Whether it did.
fn data_too_large(cx: &Context, kind: &str, out: &mut Vec<Finding>) -> bool {
    let o = cx.object;
    let map = |p: &str| o.view(p).filter(|m| m.is_map());
    let (total, at) = if kind == "Secret" {
        let string_data = map("/stringData");
        let mut total: usize = strings(string_data).iter().map(|(_, v)| v.len()).sum();
        total += strings(map("/data"))
            .iter()
            .filter(|(k, _)| string_data.is_none_or(|s| s.get(k).is_none()))
            .map(|(_, v)| base64_decoded_len(v))
            .sum::<usize>();
        let at = if map("/data").is_some() { "/data" } else { "/stringData" };
        (total, at)
    } else {
        let text: usize = strings(map("/data")).iter().map(|(_, v)| v.len()).sum();
        let binary: usize = strings(map("/binaryData"))
            .iter()
            .map(|(_, v)| base64_decoded_len(v))
            .sum();
        (text + binary, if text >= binary { "/data" } else { "/binaryData" })
    };
    if total <= DATA_MAX {
        return false;
    }
    out.push(
        Finding::new(
            ObjectTooLarge::ID,
            at,
            format!(
                "the {kind}'s data take {total} bytes: the API server says \"Too long: may not be more than {DATA_MAX} bytes\""
            ),
        )
        .at(Target::Key)
        .label(format!("{total} bytes"))
        .help(format!(
            "split the data over several {kind}s, or ship large files another way (an image, a volume)"
        )),
    );
    true
}

/// Warn when `kubectl apply` (client-side) cannot create the object: it stores the object
/// as JSON (without any earlier copy of the annotation, with a newline) in the
/// last-applied annotation, which then counts against the annotation limit.
fn client_side_apply(cx: &Context, kind: &str, out: &mut Vec<Finding>) {
    let o = cx.object;
    let annotations = o.view("/metadata/annotations").filter(|m| m.is_map());
    let (mut others, mut earlier) = (0, 0);
    if let Some(map) = annotations {
        others = annotation_bytes(map);
        if let Some(v) = map.get(LAST_APPLIED) {
            others -= LAST_APPLIED.len() + v.as_str().map_or(0, str::len);
            earlier = json_size::string_len(LAST_APPLIED) + 1 + v.json_len() + 1;
        }
    }
    let projected = |json: usize| others + LAST_APPLIED.len() + json.saturating_sub(earlier) + 1;
    // The lower bound counted while the value was built decides most objects without a walk.
    if projected(o.json_floor) <= ANNOTATIONS_MAX {
        return;
    }
    let json = o.json_len().saturating_sub(earlier);
    let total = projected(json + earlier);
    if total <= ANNOTATIONS_MAX {
        return;
    }
    let (at, target) = if annotations.is_some() {
        ("/metadata/annotations", Target::Key)
    } else if o.view("/metadata").is_some() {
        ("/metadata", Target::Key)
    } else {
        ("/kind", Target::Value)
    };
    out.push(
        Finding::new(
            ObjectTooLarge::ID,
            at,
            format!(
                "`kubectl apply` without `--server-side` copies this {kind} ({json} bytes as JSON) into the `{LAST_APPLIED}` annotation, bringing the annotations to {total} bytes: the API server then says \"metadata.annotations: Too long: may not be more than {ANNOTATIONS_MAX} bytes\""
            ),
        )
        .at(target)
        .severity(Severity::Warning)
        .label("too large for client-side apply")
        .help("apply it with `kubectl apply --server-side` (or `kubectl create`; Helm and Flux do not add the annotation), or make the object smaller"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn found(text: &str) -> Vec<(String, Option<Severity>)> {
        findings(&ObjectTooLarge, text)
            .into_iter()
            .map(|f| (f.pointer, f.severity))
            .collect()
    }

    #[test]
    fn base64_lengths() {
        for (s, n) in [("", 0), ("YQ==", 1), ("YWI=", 2), ("YWJj", 3), ("YWJj\nZA==\n", 4)] {
            assert_eq!(base64_decoded_len(s), n, "{s:?}");
        }
    }

    #[test]
    fn annotation_limits() {
        let with = |n: usize| {
            found(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    k: {}\n",
                "a".repeat(n)
            ))
        };
        // Keys count: the key `k` and a value of the limit less one byte fill it exactly.
        assert_eq!(
            with(ANNOTATIONS_MAX),
            [("/metadata/annotations".to_string(), None)]
        );
        assert_eq!(
            with(ANNOTATIONS_MAX - 1),
            [("/metadata/annotations".to_string(), Some(Severity::Warning))]
        );
        assert!(with(100 * 1024).is_empty());
        assert_eq!(with(130 * 1024)[0].1, Some(Severity::Warning));
    }

    #[test]
    fn data_limits() {
        let cm = |n: usize| {
            found(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  k: {}\n",
                "a".repeat(n)
            ))
        };
        assert_eq!(cm(DATA_MAX), [("/metadata".to_string(), Some(Severity::Warning))]);
        assert_eq!(cm(DATA_MAX + 1), [("/data".to_string(), None)]);
        assert!(cm(200 * 1024).is_empty());
        // stringData replaces data of the same key.
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata:\n  k: {}\nstringData:\n  k: small\n",
            "YWJj".repeat(DATA_MAX / 3 + 1)
        );
        assert_eq!(found(&secret), [("/metadata".to_string(), Some(Severity::Warning))]);
    }
}
