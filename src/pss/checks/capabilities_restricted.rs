//! `capabilities_restricted` (restricted, 1.22+): every container must drop `ALL` capabilities
//! (exactly that string: the controller does not accept `all`) and may add back only
//! `NET_BIND_SERVICE`. From 1.25 a pod with `os.name: windows` is exempt. It replaces
//! `capabilities_baseline` at the restricted level.

use super::{containers_phrase, deepest, join_quote, sc, sc_pointer, Subject};
use crate::pss::{Control, Site, Violation};
use std::collections::BTreeSet;

pub(super) fn check(s: &Subject, minor: u64) -> Option<Violation> {
    if minor >= 25 && s.is_windows() {
        return None;
    }
    let mut not_dropping = Vec::new();
    let mut adding = Vec::new();
    let mut added = BTreeSet::new();
    let mut sites = Vec::new();
    for c in s.containers() {
        let caps = sc(c).and_then(|sc| sc.capabilities.as_ref());
        let drop = caps.and_then(|caps| caps.drop.as_ref());
        let list = sc_pointer(c, &["capabilities", "drop"]);
        // A drop list (or element) that could not be read may well hold ALL.
        let dropped_all = drop.is_some_and(|d| d.iter().any(|cap| cap == "ALL"));
        if !dropped_all && !s.unknown(&list) {
            not_dropping.push(c.name());
            // A lower-case `all` is the likely mistake: point at it.
            let near_miss = drop
                .into_iter()
                .flatten()
                .position(|cap| cap.eq_ignore_ascii_case("ALL"));
            sites.push(match near_miss {
                Some(i) => Site::new(s.item(&list, i), &drop.unwrap()[i]),
                None => Site::missing(deepest(
                    &c.pointer,
                    &[
                        ("securityContext", sc(c).is_some()),
                        ("capabilities", caps.is_some()),
                        ("drop", drop.is_some()),
                    ],
                )),
            });
        }
        let Some(add) = caps.and_then(|caps| caps.add.as_ref()) else {
            continue;
        };
        let list = sc_pointer(c, &["capabilities", "add"]);
        let mut bad = false;
        for (i, cap) in add.iter().enumerate() {
            if cap != "NET_BIND_SERVICE" {
                bad = true;
                added.insert(cap.as_str());
                sites.push(Site::new(s.item(&list, i), cap));
            }
        }
        if bad {
            adding.push(c.name());
        }
    }
    let mut details = Vec::new();
    if !not_dropping.is_empty() {
        details.push(format!(
            r#"{} must set securityContext.capabilities.drop=["ALL"]"#,
            containers_phrase(&not_dropping)
        ));
    }
    if !adding.is_empty() {
        let added: Vec<&str> = added.into_iter().collect();
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers_phrase(&adding),
            join_quote(&added)
        ));
    }
    if details.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::CapabilitiesRestricted,
        reason: "unrestricted capabilities",
        detail: details.join("; "),
        sites,
    })
}
