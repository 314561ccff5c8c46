//! `restrictedVolumes` (restricted, 1.0+): volumes may use only the sources that cannot reach
//! the node or remote storage directly: configMap, csi, downwardAPI, emptyDir, ephemeral,
//! image, persistentVolumeClaim, projected and secret. It replaces `hostPathVolumes` at the
//! restricted level. A volume with no source is allowed: the API server makes it an
//! `emptyDir` before the controller sees it.

use super::{join_quote, pluralize, Subject};
use crate::pointer;
use crate::pss::{Control, Site, Violation};
use k8s_openapi::api::core::v1::Volume;
use std::collections::BTreeSet;

/// The field name of the first restricted source a volume uses, in the controller's order;
/// `None` for an allowed volume.
fn restricted_source(v: &Volume) -> Option<&'static str> {
    let allowed = v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.image.is_some()
        || v.persistent_volume_claim.is_some()
        || v.projected.is_some()
        || v.secret.is_some();
    if allowed {
        return None;
    }
    let sources = [
        ("hostPath", v.host_path.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("rbd", v.rbd.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("fc", v.fc.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("storageos", v.storageos.is_some()),
    ];
    // No source at all: defaulted to emptyDir.
    sources
        .into_iter()
        .find(|(_, set)| *set)
        .map(|(name, _)| name)
}

pub(super) fn check(s: &Subject) -> Option<Violation> {
    let list = s.pod.field("volumes");
    let mut names = Vec::new();
    let mut types = BTreeSet::new();
    let mut sites = Vec::new();
    for (i, volume) in s.pod.spec.volumes.iter().flatten().enumerate() {
        if let Some(source) = restricted_source(volume) {
            names.push(volume.name.as_str());
            types.insert(source);
            sites.push(Site::new(pointer::push(&s.item(&list, i), source), source));
        }
    }
    if names.is_empty() {
        return None;
    }
    let types: Vec<&str> = types.into_iter().collect();
    Some(Violation {
        control: Control::RestrictedVolumes,
        reason: "restricted volume types",
        detail: format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names),
            pluralize("uses", "use", names.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(&types)
        ),
        sites,
    })
}
