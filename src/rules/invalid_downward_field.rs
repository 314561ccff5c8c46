//! `invalid-downward-field`: a downward-API `fieldRef.fieldPath` the context does not support,
//! or a `resourceFieldRef.resource` that is not a container resource.

use crate::model::view::items_of;
use crate::model::{JsonRef, JsonView};
use super::{Context, Finding, Rule};

declare_rule! {
    pub struct InvalidDownwardField {
        id: "invalid-downward-field",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

const ENV_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
const VOLUME_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
];

/// `metadata.labels['key']` or `metadata.annotations['key']`.
fn is_subscript(path: &str) -> bool {
    ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .any(|p| path.starts_with(p) && path.ends_with("']") && path.len() > p.len() + 2)
}

fn resource_ok(r: &str) -> bool {
    let Some((scope, name)) = r.split_once('.') else {
        return false;
    };
    matches!(scope, "limits" | "requests")
        && (matches!(name, "cpu" | "memory" | "ephemeral-storage")
            || name.starts_with("hugepages-"))
}

fn field_ok(path: &str, env: bool) -> bool {
    is_subscript(path)
        || if env {
            ENV_FIELDS.contains(&path)
        } else {
            VOLUME_FIELDS.contains(&path)
        }
}

/// The value at `a`, then `b`, below `v`.
fn below<'v>(v: JsonRef<'v>, a: &str, b: &str) -> Option<JsonRef<'v>> {
    v.get(a)?.get(b)
}

fn check_items(items: JsonRef, base: &str, out: &mut Vec<Finding>) {
    for (i, item) in items_of(Some(items)).enumerate() {
        let at = |a: &str, b: &str| below(item, a, b).and_then(JsonView::as_str);
        if let Some(path) = at("fieldRef", "fieldPath") {
            if !field_ok(path, false) {
                out.push(field_finding(
                    &format!("{base}/{i}/fieldRef/fieldPath"),
                    path,
                    false,
                ));
            }
        }
        if let Some(r) = at("resourceFieldRef", "resource") {
            if !resource_ok(r) {
                out.push(resource_finding(
                    &format!("{base}/{i}/resourceFieldRef/resource"),
                    r,
                ));
            }
        }
    }
}

fn field_finding(ptr: &str, path: &str, env: bool) -> Finding {
    let (ctx, valid) = if env {
        ("an env var", ENV_FIELDS.to_vec())
    } else {
        ("a downwardAPI volume", VOLUME_FIELDS.to_vec())
    };
    let mut help = format!(
        "use one of: {}, metadata.labels['<key>'], metadata.annotations['<key>']",
        valid.join(", ")
    );
    if env && (path == "metadata.labels" || path == "metadata.annotations") {
        help = format!("an env var holds one value: use `{path}['<key>']`, or mount `{path}` as a downwardAPI volume file");
    } else if !env && (path.starts_with("status.") || path.starts_with("spec.")) {
        help = format!("`{path}` is only available to env vars (`valueFrom.fieldRef`); {help}");
    }
    Finding::new(
        InvalidDownwardField::ID,
        ptr,
        format!("`{path}` is not a field path {ctx} can read"),
    )
    .label("unsupported fieldPath")
    .help(help)
}

fn resource_finding(ptr: &str, r: &str) -> Finding {
    Finding::new(InvalidDownwardField::ID, ptr, format!("`{r}` is not a container resource the downward API exposes"))
        .label("unsupported resource")
        .help("use limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage, or limits./requests.hugepages-<size>")
}

impl Rule for InvalidDownwardField {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        if cx.object.node_at(&pod.pointer).is_none() {
            return;
        }
        for c in &pod.containers {
            for (i, e) in c.container.env.iter().flatten().enumerate() {
                let Some(from) = &e.value_from else { continue };
                if let Some(f) = &from.field_ref {
                    if !field_ok(&f.field_path, true) {
                        out.push(field_finding(
                            &format!(
                                "{}/valueFrom/fieldRef/fieldPath",
                                pod.item(&c.field("env"), i)
                            ),
                            &f.field_path,
                            true,
                        ));
                    }
                }
                if let Some(r) = &from.resource_field_ref {
                    if !resource_ok(&r.resource) {
                        out.push(resource_finding(
                            &format!(
                                "{}/valueFrom/resourceFieldRef/resource",
                                pod.item(&c.field("env"), i)
                            ),
                            &r.resource,
                        ));
                    }
                }
            }
        }
        let at = below;
        for (v, vol) in items_of(cx.object.view(&format!("{}/volumes", pod.pointer))).enumerate() {
            let vbase = format!("{}/volumes/{v}", pod.pointer);
            if let Some(items) = at(vol, "downwardAPI", "items") {
                check_items(items, &format!("{vbase}/downwardAPI/items"), out);
            }
            for (s, src) in items_of(at(vol, "projected", "sources")).enumerate() {
                if let Some(items) = at(src, "downwardAPI", "items") {
                    check_items(
                        items,
                        &format!("{vbase}/projected/sources/{s}/downwardAPI/items"),
                        out,
                    );
                }
            }
        }
    }
}
