//! `hostPathVolumes` (baseline, 1.0+): no `hostPath` volume. At the restricted level
//! `restrictedVolumes` replaces it.

use super::{join_quote, pluralize, Subject};
use crate::pointer;
use crate::pss::{Control, Site, Violation};

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let list = s.pod.field("volumes");
    let mut names = Vec::new();
    let mut sites = Vec::new();
    for (i, volume) in s.pod.spec.volumes.iter().flatten().enumerate() {
        if let Some(host_path) = &volume.host_path {
            names.push(volume.name.as_str());
            sites.push(Site::new(
                pointer::push(&s.item(&list, i), "hostPath"),
                &host_path.path,
            ));
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(Violation {
        control: Control::HostPathVolumes,
        reason: "hostPath volumes",
        detail: format!(
            "{} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names)
        ),
        sites,
    })
}
