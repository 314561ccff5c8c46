//! The pod's DNS settings: `dnsPolicy: None` needs a `dnsConfig` with a nameserver; at most 3
//! nameservers, each an IP address; at most 32 search domains of 2048 characters in all, each
//! a DNS name (underscores and a lone `.` allowed from 1.33, the RelaxedDNSSearchValidation
//! default); every option named. Ported from kubernetes `validatePodDNSConfig`.

use super::InvalidPodSpec;
use crate::k8s::names::is_dns1123_subdomain;
use crate::k8s::net::validate_ip_for_legacy_field;
use crate::model::PodView;
use crate::pointer;
use crate::rules::{Context, Finding, Target};

const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCH_PATHS: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;
/// From 1.33 search domains may hold underscores, and `.` alone is accepted.
const RELAXED_SEARCH_MINOR: u32 = 33;

pub(super) fn check(cx: &Context, pod: &PodView, out: &mut Vec<Finding>) {
    let config = pod.spec.dns_config.as_ref();
    let config_at = pod.field("dnsConfig");
    if pod.spec.dns_policy.as_deref() == Some("None") {
        match config {
            None => {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        pod.field("dnsPolicy"),
                        "dnsPolicy None without dnsConfig: must provide `dnsConfig` when `dnsPolicy` is None",
                    )
                    .label("no DNS settings")
                    .help("add `dnsConfig` with at least one nameserver, or use `dnsPolicy: ClusterFirst`"),
                );
                return;
            }
            Some(c) if c.nameservers.as_ref().is_none_or(|n| n.is_empty()) => {
                out.push(
                    Finding::new(
                        InvalidPodSpec::ID,
                        config_at,
                        "dnsConfig has no nameserver: must provide at least one DNS nameserver when `dnsPolicy` is None",
                    )
                    .at(Target::Key)
                    .label("no nameserver")
                    .related(pod.field("dnsPolicy"), Target::Value, "dnsPolicy None")
                    .help("list at least one nameserver IP under `dnsConfig.nameservers`"),
                );
                return;
            }
            _ => {}
        }
    }
    let Some(c) = config else { return };
    let ns_at = pointer::push(&config_at, "nameservers");
    let nameservers = c.nameservers.as_deref().unwrap_or_default();
    if nameservers.len() > MAX_NAMESERVERS {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.item(&ns_at, MAX_NAMESERVERS),
                format!("{} nameservers: must not have more than {MAX_NAMESERVERS} nameservers", nameservers.len()),
            )
            .label("one too many")
            .help(format!("keep at most {MAX_NAMESERVERS} nameservers (the resolver reads no more)")),
        );
    }
    for (i, ns) in nameservers.iter().enumerate() {
        let errs = validate_ip_for_legacy_field(ns, false);
        if !errs.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, pod.item(&ns_at, i), format!("nameserver {ns:?}: {}", errs.join("; ")))
                    .label("not an IP address")
                    .help("give the nameserver's IP address, e.g. `10.96.0.10`"),
            );
        }
    }
    let search_at = pointer::push(&config_at, "searches");
    let searches = c.searches.as_deref().unwrap_or_default();
    if searches.len() > MAX_SEARCH_PATHS {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                pod.item(&search_at, MAX_SEARCH_PATHS),
                format!("{} search domains: must not have more than {MAX_SEARCH_PATHS} search paths", searches.len()),
            )
            .label("one too many")
            .help(format!("keep at most {MAX_SEARCH_PATHS} search domains")),
        );
    }
    let chars = searches.iter().map(String::len).sum::<usize>() + searches.len().saturating_sub(1);
    if chars > MAX_SEARCH_CHARS {
        out.push(
            Finding::new(
                InvalidPodSpec::ID,
                search_at.clone(),
                format!("the search list has {chars} characters: must not have more than {MAX_SEARCH_CHARS} characters (including spaces) in the search list"),
            )
            .at(Target::Key)
            .label("too long")
            .help("shorten or drop search domains"),
        );
    }
    let relaxed = cx.options.minor >= RELAXED_SEARCH_MINOR;
    for (i, s) in searches.iter().enumerate() {
        let errs = search_domain(s, relaxed);
        if !errs.is_empty() {
            out.push(
                Finding::new(InvalidPodSpec::ID, pod.item(&search_at, i), format!("search domain {s:?}: {}", errs.join("; ")))
                    .label("not a DNS name")
                    .help("use a lowercase DNS name such as `svc.cluster.local`"),
            );
        }
    }
    for (i, o) in c.options.iter().flatten().enumerate() {
        if o.name.as_deref().is_none_or(str::is_empty) {
            out.push(
                Finding::new(
                    InvalidPodSpec::ID,
                    pod.item(&pointer::push(&config_at, "options"), i),
                    "dnsConfig option without a name: Required value: must not be empty",
                )
                .label("no name")
                .help("name the resolver option, e.g. `name: ndots`"),
            );
        }
    }
}

/// A search domain: a DNS-1123 subdomain once one trailing `.` is dropped; with `relaxed`,
/// `.` alone is accepted and labels may hold (and start with) `_`.
fn search_domain(s: &str, relaxed: bool) -> Vec<String> {
    if relaxed && s == "." {
        return Vec::new();
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    if !relaxed {
        return is_dns1123_subdomain(s);
    }
    let label_ok = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        b.first().is_some_and(edge)
            && b.last().is_some_and(edge)
            && b.iter().all(|c| edge(c) || *c == b'-' || *c == b'_')
    };
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !s.split('.').all(label_ok) {
        errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')".to_string());
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_domains_by_version() {
        for (s, strict_ok, relaxed_ok) in [
            ("svc.cluster.local", true, true),
            ("svc.cluster.local.", true, true),
            (".", false, true),
            ("_sip._tcp.example.com", false, true),
            ("my_domain.local", false, true),
            ("Example.com", false, false),
            ("a..b", false, false),
            ("-a.com", false, false),
            ("_", false, false),
        ] {
            assert_eq!(search_domain(s, false).is_empty(), strict_ok, "strict {s:?}");
            assert_eq!(search_domain(s, true).is_empty(), relaxed_ok, "relaxed {s:?}");
        }
    }
}
