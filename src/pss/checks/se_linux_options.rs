//! `seLinuxOptions` (baseline): the pod and its containers may set the SELinux `type` only to
//! one of the container types (`container_engine_t` allowed from 1.31), and must not set
//! `user` or `role`.

use super::{containers_phrase, join_quote, pluralize, sc, sc_pointer, Subject};
use crate::pointer;
use crate::pss::{Control, Site, Violation};
use k8s_openapi::api::core::v1::SELinuxOptions;
use std::collections::BTreeSet;

/// The SELinux types allowed at policy minor version `minor` (empty means unset).
pub(super) fn allowed_types(minor: u64) -> &'static [&'static str] {
    const V1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
    const V1_31: &[&str] = &[
        "",
        "container_t",
        "container_init_t",
        "container_kvm_t",
        "container_engine_t",
    ];
    if minor >= 31 {
        V1_31
    } else {
        V1_0
    }
}

#[derive(Default)]
struct Found<'a> {
    types: BTreeSet<&'a str>,
    user: bool,
    role: bool,
    sites: Vec<Site>,
}

impl<'a> Found<'a> {
    /// Record what is wrong with `opts` (at pointer `at`); whether anything is.
    fn inspect(&mut self, opts: &'a SELinuxOptions, at: &str, allowed: &[&str]) -> bool {
        let mut bad = false;
        let t = opts.type_.as_deref().unwrap_or("");
        if !allowed.contains(&t) {
            bad = true;
            self.types.insert(t);
            self.sites.push(Site::new(pointer::push(at, "type"), t));
        }
        for (field, value, flag) in [
            ("user", &opts.user, &mut self.user),
            ("role", &opts.role, &mut self.role),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                bad = true;
                *flag = true;
                self.sites.push(Site::new(pointer::push(at, field), v));
            }
        }
        bad
    }
}

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    let allowed = allowed_types(minor);
    let mut found = Found::default();
    let mut setters = Vec::new();
    if let Some(opts) = s
        .pod_security_context()
        .and_then(|p| p.se_linux_options.as_ref())
    {
        if found.inspect(opts, &s.pod_sc_pointer(&["seLinuxOptions"]), allowed) {
            setters.push("pod".to_string());
        }
    }
    let mut names = Vec::new();
    for c in s.containers() {
        if let Some(opts) = sc(c).and_then(|sc| sc.se_linux_options.as_ref()) {
            if found.inspect(opts, &sc_pointer(c, &["seLinuxOptions"]), allowed) {
                names.push(c.name());
            }
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    if setters.is_empty() {
        return None;
    }
    let mut what = Vec::new();
    if !found.types.is_empty() {
        let types: Vec<&str> = found.types.iter().copied().collect();
        what.push(format!(
            "{} {}",
            pluralize("type", "types", types.len()),
            join_quote(&types)
        ));
    }
    if found.user {
        what.push("user may not be set".to_string());
    }
    if found.role {
        what.push("role may not be set".to_string());
    }
    Some(Violation {
        control: Control::SeLinuxOptions,
        reason: "seLinuxOptions",
        detail: format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            setters.join(" and "),
            what.join("; ")
        ),
        sites: found.sites,
    })
}
