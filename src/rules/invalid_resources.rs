//! `invalid-resources`: resource requests and limits the API server rejects — unparseable or
//! negative quantities, a request above its limit, hugepages and extended-resource rules,
//! resource names no container can request — and the quantities it accepts with a warning
//! (`memory: 100m`, a fraction of a byte) or that are surely not meant (`cpu: 100Mi`).
//!
//! Ported from kubernetes `validateResourceRequirements`, `validateContainerResourceName`,
//! `validatePodResourceName`, `ValidateResourceQuantityValue`, `validatePodResourceConsistency`
//! (pkg/apis/core/validation), the resource helpers of pkg/apis/core/helper, and the
//! fractional-byte warnings of `GetWarningsForPod` (pkg/api/pod/warnings.go). Quantities are
//! compared exactly (`1Gi` equals `1024Mi`).

use super::{Context, Finding, Rule, Severity, Target};
use crate::k8s::names::is_qualified_name;
use crate::k8s::quantity::{parse_quantity, parse_quantity_field, Quantity};
use crate::model::ContainerRole;
use crate::model::JsonView;
use crate::pointer;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Written;
use std::collections::BTreeMap;

declare_rule! {
    pub struct InvalidResources {
        id: "invalid-resources",
        severity: Error,
        category: Correctness,
        inspects: Pods,
    }
}

/// Pod-level `resources` are validated from 1.34, when the PodLevelResources gate is on by
/// default (beta); before, the API server drops the field.
const POD_LEVEL_RESOURCES_MINOR: u32 = 34;

type List = BTreeMap<String, Written>;

/// Whose resources a list holds: the rules for names differ.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Container,
    Pod,
    Overhead,
}

/// One parsed entry of a resource list.
struct Entry<'a> {
    name: &'a str,
    pointer: String,
    value: Option<Quantity>,
}

impl Rule for InvalidResources {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            if c.role == ContainerRole::Ephemeral {
                continue;
            }
            let Some(r) = &c.container.resources else {
                continue;
            };
            let base = c.field("resources");
            requirements(
                cx,
                Owner::Container,
                &pointer::push(&base, "limits"),
                r.limits.as_ref(),
                &pointer::push(&base, "requests"),
                r.requests.as_ref(),
                out,
            );
        }
        if let Some(overhead) = &pod.spec.overhead {
            requirements(
                cx,
                Owner::Overhead,
                &pod.field("overhead"),
                Some(overhead),
                "",
                None,
                out,
            );
        }
        if cx.options.minor >= POD_LEVEL_RESOURCES_MINOR {
            if let Some(r) = &pod.spec.resources {
                let base = pod.field("resources");
                let limits = requirements(
                    cx,
                    Owner::Pod,
                    &pointer::push(&base, "limits"),
                    r.limits.as_ref(),
                    &pointer::push(&base, "requests"),
                    r.requests.as_ref(),
                    out,
                );
                container_limits_within_pod(pod, &limits, out);
            }
        }
    }
}

/// Check one set of limits and requests; returns the parsed limits (for the pod-level check).
fn requirements<'a>(
    cx: &Context,
    owner: Owner,
    limits_at: &str,
    limits: Option<&'a List>,
    requests_at: &str,
    requests: Option<&'a List>,
    out: &mut Vec<Finding>,
) -> Vec<Entry<'a>> {
    let limits = entries(cx, owner, limits_at, limits, out);
    let requests = entries(cx, owner, requests_at, requests, out);
    for r in &requests {
        let limit = limits.iter().find(|l| l.name == r.name);
        match (limit, &r.value) {
            (Some(l), Some(req)) => {
                let Some(lim) = &l.value else { continue };
                if !overcommit_allowed(r.name) && req != lim {
                    out.push(
                        Finding::new(
                            InvalidResources::ID,
                            r.pointer.clone(),
                            format!(
                                "{} request {}: must be equal to {} limit of {}",
                                r.name,
                                req.canonical(),
                                r.name,
                                lim.canonical()
                            ),
                        )
                        .label("differs from the limit")
                        .related(l.pointer.clone(), Target::Value, "limit")
                        .help(format!("`{}` cannot be overcommitted: set the request equal to the limit, or leave the request out (it defaults to the limit)", r.name)),
                    );
                } else if req > lim {
                    out.push(
                        Finding::new(
                            InvalidResources::ID,
                            r.pointer.clone(),
                            format!(
                                "{} request {}: must be less than or equal to {} limit of {}",
                                r.name,
                                req.canonical(),
                                r.name,
                                lim.canonical()
                            ),
                        )
                        .label("above the limit")
                        .related(l.pointer.clone(), Target::Value, "limit")
                        .help("lower the request to at most the limit, or raise the limit"),
                    );
                }
            }
            (None, Some(_)) if !overcommit_allowed(r.name) && owner != Owner::Overhead => {
                out.push(
                    Finding::new(
                        InvalidResources::ID,
                        r.pointer.clone(),
                        format!("{} is requested without a limit: Limit must be set for non overcommitable resources", r.name),
                    )
                    .at(Target::Key)
                    .label("no limit")
                    .help(format!("set `limits.{}` to the same value as the request", r.name)),
                );
            }
            _ => {}
        }
    }
    let has = |pred: &dyn Fn(&str) -> bool| {
        limits.iter().chain(&requests).find(|e| pred(e.name))
    };
    if let Some(h) = has(&|n| n.starts_with("hugepages-")) {
        if has(&|n| n == "cpu" || n == "memory").is_none() {
            out.push(
                Finding::new(
                    InvalidResources::ID,
                    h.pointer.clone(),
                    "hugepages without cpu or memory: HugePages require cpu or memory",
                )
                .at(Target::Key)
                .label("hugepages alone")
                .help("also set a `memory` (or `cpu`) request or limit"),
            );
        }
    }
    limits
}

/// Parse and check every entry of one list (names and values).
fn entries<'a>(
    cx: &Context,
    owner: Owner,
    at: &str,
    list: Option<&'a List>,
    out: &mut Vec<Finding>,
) -> Vec<Entry<'a>> {
    let mut v = Vec::new();
    // The list as written, looked up once for all its entries.
    let written_list = list.and_then(|_| cx.object.view(at));
    for (name, written) in list.into_iter().flatten() {
        let ptr = pointer::push(at, name);
        name_check(owner, name, &ptr, out);
        // A value that is neither a string nor a number is the schema's finding.
        if !written_list
            .and_then(|l| l.get(name.as_str()))
            .is_some_and(|v| v.as_str().is_some() || v.is_number())
        {
            continue;
        }
        let value = match parse_quantity_field(&written.0) {
            Ok(q) => {
                value_check(owner, name, &written.0, &q, &ptr, out);
                Some(q)
            }
            Err(e) => {
                out.push(
                    Finding::new(
                        InvalidResources::ID,
                        ptr.clone(),
                        format!("{name} {:?} is not a quantity: {e}", written.0),
                    )
                    .label("not a quantity")
                    .help(quantity_help(name)),
                );
                None
            }
        };
        v.push(Entry {
            name,
            pointer: ptr,
            value,
        });
    }
    v
}

fn quantity_help(name: &str) -> String {
    match name {
        "cpu" => "write cores as a number or in millicores: `500m`, `1`, `2.5`".to_string(),
        "memory" | "ephemeral-storage" => {
            "write bytes with a suffix: `128Mi`, `1Gi`, `500M` (no space, case matters)".to_string()
        }
        _ => "write a number, optionally with a suffix (`Ki`, `Mi`, `Gi`, `k`, `M`, `G`, `m`, `e3`)"
            .to_string(),
    }
}

/// Resource names: qualified names; an unprefixed name must be one a container (or a pod)
/// can request; a prefixed one outside kubernetes.io must be an extended resource name.
fn name_check(owner: Owner, name: &str, ptr: &str, out: &mut Vec<Finding>) {
    let errs = is_qualified_name(name);
    let msg = if !errs.is_empty() {
        Some(errs.join("; "))
    } else if owner == Owner::Pod {
        (!(name == "cpu" || name == "memory" || name.starts_with("hugepages-"))).then(|| {
            "Unsupported value: pod-level resources support \"cpu\", \"memory\" and \"hugepages-<size>\"".to_string()
        })
    } else if !name.contains('/') {
        (!is_standard_container_resource(name))
            .then(|| "must be a standard resource for containers".to_string())
    } else if !is_native(name) && !is_extended(name) {
        Some("doesn't follow extended resource name standard".to_string())
    } else {
        None
    };
    if let Some(msg) = msg {
        let help = if owner == Owner::Pod {
            "set only cpu, memory and hugepages at pod level; other resources belong to the containers".to_string()
        } else {
            "use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with a domain (`example.com/gpu`)".to_string()
        };
        out.push(
            Finding::new(
                InvalidResources::ID,
                ptr.to_string(),
                format!("resource name {name:?}: {msg}"),
            )
            .at(Target::Key)
            .label("unknown resource")
            .help(help),
        );
    }
}

/// Values: not negative; whole numbers for extended resources; a whole number of pages for
/// hugepages; and the two warnings.
fn value_check(owner: Owner, name: &str, written: &str, q: &Quantity, ptr: &str, out: &mut Vec<Finding>) {
    if q.is_negative() {
        out.push(
            Finding::new(
                InvalidResources::ID,
                ptr.to_string(),
                format!("{name} {written}: must be greater than or equal to 0"),
            )
            .label("negative")
            .help("resource amounts cannot be negative"),
        );
        return;
    }
    if is_integer_resource(name) && !q.is_whole() {
        out.push(
            Finding::new(
                InvalidResources::ID,
                ptr.to_string(),
                format!("{name} {written}: must be an integer"),
            )
            .label("fraction")
            .help(format!("`{name}` is counted in whole units: use 1, 2, ...")),
        );
    }
    if let Some(size) = name.strip_prefix("hugepages-") {
        if !hugepages_divisible(size, q) {
            out.push(
                Finding::new(
                    InvalidResources::ID,
                    ptr.to_string(),
                    format!("{name} {written}: {} is not positive integer multiple of {name}", q.canonical()),
                )
                .label("not a whole number of pages")
                .help(format!("use a multiple of the page size {size}")),
            );
        }
    }
    if owner != Owner::Pod && (name == "memory" || name == "ephemeral-storage") && !q.is_whole() {
        out.push(
            Finding::new(
                InvalidResources::ID,
                ptr.to_string(),
                format!(
                    "{name} {written}: fractional byte value {:?} is invalid, must be an integer; the API server accepts it with a warning",
                    q.canonical()
                ),
            )
            .severity(Severity::Warning)
            .label(if written.ends_with('m') { "milli-bytes" } else { "a fraction of a byte" })
            .help(if written.ends_with('m') {
                format!("`m` means thousandths: write `{}Mi` or `{}M` for mebibytes or megabytes", written.trim_end_matches('m'), written.trim_end_matches('m'))
            } else {
                "write a whole number of bytes, with a suffix such as `Mi` or `Gi`".to_string()
            }),
        );
    }
    if name == "cpu" && q.written_suffix().is_some_and(|s| s.ends_with('i')) {
        let cores = q.as_approximate_f64();
        out.push(
            Finding::new(
                InvalidResources::ID,
                ptr.to_string(),
                format!(
                    "cpu {written} has a binary (memory) suffix: that is {} cores",
                    format_cores(cores)
                ),
            )
            .severity(Severity::Warning)
            .label("memory suffix on cpu")
            .help("write cpu in cores or millicores: `500m`, `1`, `2`"),
        );
    }
}

fn format_cores(cores: f64) -> String {
    if cores >= 1e6 {
        format!("about {:.0} million", cores / 1e6)
    } else if cores.fract() == 0.0 {
        format!("{cores:.0}")
    } else {
        format!("{cores}")
    }
}

/// Main containers' limits may not exceed the pod-level limit of the same resource.
fn container_limits_within_pod(pod: &crate::model::PodView, pod_limits: &[Entry], out: &mut Vec<Finding>) {
    for c in pod.role(ContainerRole::Main) {
        let Some(limits) = c.container.resources.as_ref().and_then(|r| r.limits.as_ref()) else {
            continue;
        };
        for (name, written) in limits {
            let Some(p) = pod_limits.iter().find(|e| e.name == name) else {
                continue;
            };
            let (Some(pl), Ok(cl)) = (&p.value, parse_quantity_field(&written.0)) else {
                continue;
            };
            if &cl > pl {
                out.push(
                    Finding::new(
                        InvalidResources::ID,
                        pointer::push(&pointer::push(&c.field("resources"), "limits"), name),
                        format!("{name} limit {}: must be less than or equal to pod limits of {}", cl.canonical(), pl.canonical()),
                    )
                    .label("above the pod limit")
                    .related(p.pointer.clone(), Target::Value, "pod limit")
                    .help("lower the container limit to at most the pod's, or raise the pod-level limit"),
                );
            }
        }
    }
}

/// helper `IsStandardContainerResourceName`.
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

/// helper `IsNativeResource`: unprefixed, or in a `kubernetes.io/` domain.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// helper `IsExtendedResourceName`.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && is_qualified_name(&format!("requests.{name}")).is_empty()
}

/// helper `IsOvercommitAllowed`: native resources other than hugepages.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !name.starts_with("hugepages-")
}

/// helper `IsIntegerResourceName`, for the names a container or pod can hold.
fn is_integer_resource(name: &str) -> bool {
    is_extended(name)
}

/// helper `IsHugePageResourceValueDivisible`: the value, rounded up to a whole number of bytes,
/// is a multiple of the page size. Values too large for 64 bits are not judged.
fn hugepages_divisible(size: &str, q: &Quantity) -> bool {
    let Ok(page) = parse_quantity(size) else {
        return false;
    };
    let Some(page) = page.as_i64().filter(|p| *p > 0) else {
        return false;
    };
    match q.as_i64() {
        Some(v) => v % page == 0,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_name_grammar() {
        for (name, native, extended) in [
            ("cpu", true, false),
            ("example.com/gpu", false, true),
            ("kubernetes.io/foo", true, false),
            ("requests.example.com/x", false, false),
        ] {
            assert_eq!(is_native(name), native, "{name}");
            assert_eq!(is_extended(name), extended, "{name}");
        }
        assert!(is_standard_container_resource("hugepages-2Mi"));
        assert!(!is_standard_container_resource("storage"));
        assert!(!overcommit_allowed("hugepages-1Gi"));
        assert!(!overcommit_allowed("nvidia.com/gpu"));
        assert!(overcommit_allowed("memory"));
    }

    #[test]
    fn hugepages_must_be_whole_pages() {
        let q = |s: &str| parse_quantity(s).expect("quantity");
        assert!(hugepages_divisible("2Mi", &q("4Mi")));
        assert!(hugepages_divisible("2Mi", &q("0")));
        assert!(!hugepages_divisible("2Mi", &q("3Mi")));
        assert!(hugepages_divisible("1Gi", &q("2Gi")));
        assert!(!hugepages_divisible("bogus", &q("2Gi")));
    }

    #[test]
    fn cores_read_as_people_would() {
        assert_eq!(format_cores(104857600.0), "about 105 million");
        assert_eq!(format_cores(1024.0), "1024");
    }
}
