//! `invalid-volume`: volumes and mounts the API server rejects — a volume with no source or
//! several, file modes outside 0–0777, item paths and subPaths that are absolute or climb out
//! with `..`, two mounts on one path, `subPath` together with `subPathExpr`, mount options only
//! privileged or read-only mounts may have, and block devices that clash with mounts.
//!
//! Ported from kubernetes `validateVolumeSource` and the per-source validators,
//! `validateKeyToPath`, `validateDownwardAPIVolumeFile`, `validateProjectionSources`,
//! `ValidateLocalNonReservedPath`, `validateLocalDescendingPath`, `ValidateVolumeMounts`,
//! `validateMountPropagation`, `validateMountRecursiveReadOnly`, `ValidateVolumeDevices` and
//! the ephemeral-container subPath rule (pkg/apis/core/validation). The shape of projected
//! sources is `projected-items-shape`'s; unknown volume mounts are `undefined-volume`'s.

use super::written;
use super::{Context, Finding, Rule, Target};
use crate::k8s::quantity::parse_quantity_field;
use crate::model::{ContainerRef, ContainerRole, PodView};
use crate::pointer;
use k8s_openapi::api::core::v1::{DownwardAPIVolumeFile, KeyToPath, Volume};
use std::collections::HashMap;

declare_rule! {
    pub struct InvalidVolume {
        id: "invalid-volume",
        severity: Error,
        category: Correctness,
        inspects: Pods,
        whole_object: true,
    }
}

/// `recursiveReadOnly` is validated from 1.31, when the RecursiveReadOnlyMounts gate is on by
/// default (beta); before, the API server drops the field.
const RECURSIVE_READ_ONLY_MINOR: u32 = 31;

const MODE_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";

impl Rule for InvalidVolume {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        let mut kinds: HashMap<&str, &'static str> = HashMap::new();
        for (i, v) in pod.spec.volumes.iter().flatten().enumerate() {
            let at = pod.item(&pod.field("volumes"), i);
            let sources = sources(v);
            if let Some(first) = sources.first() {
                kinds.entry(v.name.as_str()).or_insert(first);
            }
            source_count(cx, &at, &sources, out);
            let mut paths = Paths {
                cx,
                pod,
                out: &mut *out,
            };
            paths.volume(v, &at);
        }
        for c in &pod.containers {
            mounts(cx, pod, c, &kinds, out);
        }
    }
}

/// The sources a volume sets, in the order the API server checks them.
fn sources(v: &Volume) -> Vec<&'static str> {
    [
        ("emptyDir", v.empty_dir.is_some()),
        ("hostPath", v.host_path.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("secret", v.secret.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("rbd", v.rbd.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("downwardAPI", v.downward_api.is_some()),
        ("fc", v.fc.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("configMap", v.config_map.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("storageos", v.storageos.is_some()),
        ("projected", v.projected.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, set)| set.then_some(n))
    .collect()
}

/// Exactly one source per volume.
fn source_count(cx: &Context, at: &str, sources: &[&'static str], out: &mut Vec<Finding>) {
    match sources {
        [] => {
            // A volume whose only other key is unknown (a misspelt source) is the schema's.
            let only_name = cx
                .object
                .at(at)
                .and_then(|v| v.as_object())
                .is_some_and(|m| m.keys().all(|k| k == "name"));
            if only_name {
                out.push(
                    Finding::new(
                        InvalidVolume::ID,
                        pointer::push(at, "name"),
                        "volume has no source: must specify a volume type",
                    )
                    .at(Target::Entry)
                    .label("no source")
                    .help("give the volume one source, e.g. `emptyDir: {}`, `configMap: {name: ...}` or `persistentVolumeClaim: {claimName: ...}`"),
                );
            }
        }
        [first, rest @ ..] => {
            for extra in rest {
                out.push(
                    Finding::new(
                        InvalidVolume::ID,
                        pointer::push(at, extra),
                        format!("volume has both `{first}` and `{extra}`: may not specify more than 1 volume type"),
                    )
                    .at(Target::Key)
                    .label("second source")
                    .related(pointer::push(at, first), Target::Key, "first source")
                    .help("keep one source per volume; declare another volume for the other source"),
                );
            }
        }
    }
}

/// Modes, item paths and per-source requirements of one volume.
struct Paths<'p, 'o> {
    cx: &'p Context<'p>,
    pod: &'p PodView,
    out: &'o mut Vec<Finding>,
}

impl Paths<'_, '_> {
    fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    fn mode(&mut self, at: String, mode: Option<i32>) {
        let Some(m) = mode else { return };
        if (0..=0o777).contains(&m) {
            return;
        }
        let written = if m < 0 {
            format!("file mode {m}")
        } else {
            format!("file mode {m} (octal 0{m:o})")
        };
        // A mode such as 644 or 755 written without the leading zero is read as decimal.
        let octal_digits = format!("{m}");
        let help = match i32::from_str_radix(&octal_digits, 8) {
            Ok(meant) if (0..=0o777).contains(&meant) => format!(
                "if you meant the octal mode {octal_digits}, write it with a leading zero (`0{octal_digits}`) or in decimal ({meant})"
            ),
            _ => "use a mode from 0 to 0777, in octal with a leading zero (`0644`) or in decimal (420)".to_string(),
        };
        self.push(
            Finding::new(InvalidVolume::ID, at, format!("{written}: {MODE_MSG}"))
                .label("not a file mode")
                .help(help),
        );
    }

    /// `ValidateLocalNonReservedPath`: relative, no `..` element, not starting with `..`.
    fn local_path(&mut self, at: String, what: &str, path: &str) {
        if let Some(msg) = local_path_problem(path, true) {
            self.push(
                Finding::new(InvalidVolume::ID, at, format!("{what} {path:?}: {msg}"))
                    .label("outside the volume")
                    .help("use a relative path inside the volume, such as `config/app.yaml`"),
            );
        }
    }

    /// An empty required field. Only an empty string written in the manifest is reported: a
    /// missing field is the schema's finding.
    fn required(&mut self, at: String, what: &str, help: &str) {
        if !written::is_string(self.cx, &at) {
            return;
        }
        self.push(
            Finding::new(InvalidVolume::ID, at, format!("{what}: Required value"))
                .label("empty")
                .help(help.to_string()),
        );
    }

    fn key_to_paths(&mut self, at: &str, items: Option<&Vec<KeyToPath>>, seen: &mut Option<&mut HashMap<String, String>>) {
        for (i, kp) in items.into_iter().flatten().enumerate() {
            let item = self.pod.item(&pointer::push(at, "items"), i);
            if kp.key.is_empty() {
                self.required(pointer::push(&item, "key"), "item key", "name the key to project");
            }
            if kp.path.is_empty() {
                self.required(pointer::push(&item, "path"), "item path", "give the file name the key is written to");
            } else {
                self.local_path(pointer::push(&item, "path"), "item path", &kp.path);
                if let Some(seen) = seen.as_deref_mut() {
                    self.duplicate_path(seen, &kp.path, pointer::push(&item, "path"));
                }
            }
            self.mode(pointer::push(&item, "mode"), kp.mode);
        }
    }

    fn downward_files(&mut self, at: &str, items: Option<&Vec<DownwardAPIVolumeFile>>, seen: &mut Option<&mut HashMap<String, String>>) {
        for (i, f) in items.into_iter().flatten().enumerate() {
            let item = self.pod.item(&pointer::push(at, "items"), i);
            if f.path.is_empty() {
                self.required(pointer::push(&item, "path"), "item path", "give the file name the field is written to");
            } else {
                self.local_path(pointer::push(&item, "path"), "item path", &f.path);
                if let Some(seen) = seen.as_deref_mut() {
                    self.duplicate_path(seen, &f.path, pointer::push(&item, "path"));
                }
            }
            self.mode(pointer::push(&item, "mode"), f.mode);
        }
    }

    /// Two sources of one projected volume writing the same file.
    fn duplicate_path(&mut self, seen: &mut HashMap<String, String>, path: &str, at: String) {
        match seen.get(path) {
            Some(first) => {
                let first = first.clone();
                self.push(
                    Finding::new(
                        InvalidVolume::ID,
                        at,
                        format!("path {path:?} is written by two sources of this projected volume: conflicting duplicate paths"),
                    )
                    .label("written twice")
                    .related(first, Target::Value, "first written here")
                    .help("give each projected file its own path"),
                );
            }
            None => {
                seen.insert(path.to_string(), at);
            }
        }
    }

    fn volume(&mut self, v: &Volume, at: &str) {
        if let Some(s) = &v.secret {
            let src = pointer::push(at, "secret");
            if s.secret_name.as_deref().is_none_or(str::is_empty) {
                // Optional in the schema, required by the API server: missing is reported too.
                self.push(
                    Finding::new(InvalidVolume::ID, pointer::push(&src, "secretName"), "secret volume secretName: Required value")
                        .label("no Secret named")
                        .help("name the Secret to mount"),
                );
            }
            self.mode(pointer::push(&src, "defaultMode"), s.default_mode);
            self.key_to_paths(&src, s.items.as_ref(), &mut None);
        }
        if let Some(c) = &v.config_map {
            let src = pointer::push(at, "configMap");
            if c.name.is_empty() {
                self.required(pointer::push(&src, "name"), "configMap volume name", "name the ConfigMap to mount");
            }
            self.mode(pointer::push(&src, "defaultMode"), c.default_mode);
            self.key_to_paths(&src, c.items.as_ref(), &mut None);
        }
        if let Some(d) = &v.downward_api {
            let src = pointer::push(at, "downwardAPI");
            self.mode(pointer::push(&src, "defaultMode"), d.default_mode);
            self.downward_files(&src, d.items.as_ref(), &mut None);
        }
        if let Some(p) = &v.projected {
            let src = pointer::push(at, "projected");
            self.mode(pointer::push(&src, "defaultMode"), p.default_mode);
            let mut seen = HashMap::new();
            for (i, s) in p.sources.iter().flatten().enumerate() {
                let sat = self.pod.item(&pointer::push(&src, "sources"), i);
                let mut paths = Some(&mut seen);
                if let Some(x) = &s.secret {
                    self.key_to_paths(&pointer::push(&sat, "secret"), x.items.as_ref(), &mut paths);
                }
                if let Some(x) = &s.config_map {
                    self.key_to_paths(&pointer::push(&sat, "configMap"), x.items.as_ref(), &mut paths);
                }
                if let Some(x) = &s.downward_api {
                    self.downward_files(&pointer::push(&sat, "downwardAPI"), x.items.as_ref(), &mut paths);
                }
                if let Some(t) = &s.service_account_token {
                    let tat = pointer::push(&sat, "serviceAccountToken");
                    if let Some(e) = t.expiration_seconds {
                        let msg = if e < 600 {
                            Some("may not specify a duration less than 10 minutes")
                        } else if e > 1 << 32 {
                            Some("may not specify a duration larger than 2^32 seconds")
                        } else {
                            None
                        };
                        if let Some(msg) = msg {
                            self.push(
                                Finding::new(
                                    InvalidVolume::ID,
                                    pointer::push(&tat, "expirationSeconds"),
                                    format!("token expirationSeconds {e}: {msg}"),
                                )
                                .label("out of range")
                                .help("use from 600 (10 minutes) to 4294967296 seconds; the default is 3600"),
                            );
                        }
                    }
                    if t.path.is_empty() {
                        self.required(pointer::push(&tat, "path"), "token path", "give the file name the token is written to");
                    } else {
                        self.local_path(pointer::push(&tat, "path"), "token path", &t.path);
                        self.duplicate_path(&mut seen, &t.path, pointer::push(&tat, "path"));
                    }
                }
                if let Some(b) = &s.cluster_trust_bundle {
                    let bat = pointer::push(&sat, "clusterTrustBundle");
                    if b.path.is_empty() {
                        self.required(pointer::push(&bat, "path"), "clusterTrustBundle path", "give the file name the bundle is written to");
                    } else {
                        self.local_path(pointer::push(&bat, "path"), "clusterTrustBundle path", &b.path);
                        self.duplicate_path(&mut seen, &b.path, pointer::push(&bat, "path"));
                    }
                }
            }
        }
        if let Some(h) = &v.host_path {
            let pat = pointer::push(&pointer::push(at, "hostPath"), "path");
            if h.path.is_empty() {
                self.required(pat, "hostPath path", "give the path on the node");
            } else if has_backstep(&h.path) {
                self.push(
                    Finding::new(InvalidVolume::ID, pat, format!("hostPath path {:?}: must not contain '..'", h.path))
                        .label("climbs with ..")
                        .help("write the path on the node without `..` elements"),
                );
            }
        }
        if let Some(n) = &v.nfs {
            let path_at = pointer::push(&pointer::push(at, "nfs"), "path");
            if !n.path.starts_with('/') && written::is_string(self.cx, &path_at) {
                self.push(
                    Finding::new(
                        InvalidVolume::ID,
                        path_at,
                        format!("nfs path {:?}: must be an absolute path", n.path),
                    )
                    .label("relative path")
                    .help("give the exported path from the root, e.g. `/exports/data`"),
                );
            }
        }
        if let Some(g) = &v.git_repo {
            if let Some(d) = g.directory.as_deref() {
                if let Some(msg) = local_path_problem(d, false) {
                    self.push(
                        Finding::new(
                            InvalidVolume::ID,
                            pointer::push(&pointer::push(at, "gitRepo"), "directory"),
                            format!("gitRepo directory {d:?}: {msg}"),
                        )
                        .label("outside the volume")
                        .help("use a relative directory inside the volume"),
                    );
                }
            }
        }
        if let Some(c) = &v.persistent_volume_claim {
            if c.claim_name.is_empty() {
                self.required(
                    pointer::push(&pointer::push(at, "persistentVolumeClaim"), "claimName"),
                    "persistentVolumeClaim claimName",
                    "name the PersistentVolumeClaim to mount",
                );
            }
        }
        if let Some(size) = v.empty_dir.as_ref().and_then(|e| e.size_limit.as_ref()) {
            if parse_quantity_field(&size.0).is_ok_and(|q| q.is_negative()) {
                self.push(
                    Finding::new(
                        InvalidVolume::ID,
                        pointer::push(&pointer::push(at, "emptyDir"), "sizeLimit"),
                        format!("emptyDir sizeLimit {}: SizeLimit field must be a valid resource quantity", size.0),
                    )
                    .label("negative")
                    .help("use a size of zero or more, such as `1Gi`"),
                );
            }
        }
    }
}

/// Whether a path has a `..` element (either separator counts).
fn has_backstep(path: &str) -> bool {
    path.split('/').any(|p| p == "..")
}

/// `validateLocalDescendingPath` (and, with `reserved`, `ValidateLocalNonReservedPath`): the
/// first problem with a path that must stay inside a volume.
fn local_path_problem(path: &str, reserved: bool) -> Option<&'static str> {
    if path.starts_with('/') {
        Some("must be a relative path")
    } else if has_backstep(path) {
        Some("must not contain '..'")
    } else if reserved && path.starts_with("..") {
        Some("must not start with '..'")
    } else {
        None
    }
}

/// The mounts and devices of one container.
fn mounts(cx: &Context, pod: &PodView, c: &ContainerRef, kinds: &HashMap<&str, &'static str>, out: &mut Vec<Finding>) {
    let privileged = c
        .container
        .security_context
        .as_ref()
        .and_then(|s| s.privileged)
        .unwrap_or(false);
    let mut paths: HashMap<&str, String> = HashMap::new();
    let mut names: HashMap<&str, String> = HashMap::new();
    for (i, m) in c.container.volume_mounts.iter().flatten().enumerate() {
        let at = pod.item(&c.field("volumeMounts"), i);
        names.entry(m.name.as_str()).or_insert_with(|| at.clone());
        let path_at = pointer::push(&at, "mountPath");
        if m.mount_path.is_empty() {
            if cx.object.at(&path_at).is_some() {
                out.push(
                    Finding::new(InvalidVolume::ID, path_at, "mountPath: Required value")
                        .label("empty")
                        .help("give the path in the container where the volume appears"),
                );
            }
        } else if let Some(first) = paths.get(m.mount_path.as_str()) {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    path_at,
                    format!("mountPath {:?} is used twice in this container: must be unique", m.mount_path),
                )
                .label("mounted again")
                .related(pointer::push(first, "mountPath"), Target::Value, "first mounted here")
                .help("mount each volume at its own path (to place single files from several volumes in one directory, use a projected volume)"),
            );
        } else {
            paths.insert(m.mount_path.as_str(), at.clone());
        }
        let sub_path = m.sub_path.as_deref().filter(|s| !s.is_empty());
        let sub_expr = m.sub_path_expr.as_deref().filter(|s| !s.is_empty());
        if c.role == ContainerRole::Ephemeral {
            for (field, value) in [("subPath", sub_path), ("subPathExpr", sub_expr)] {
                if value.is_some() {
                    out.push(
                        Finding::new(
                            InvalidVolume::ID,
                            pointer::push(&at, field),
                            format!("{field}: Forbidden: cannot be set for an Ephemeral Container"),
                        )
                        .at(Target::Key)
                        .label("not for ephemeral containers")
                        .help("mount the whole volume in an ephemeral container"),
                    );
                }
            }
        }
        for (field, value) in [("subPath", sub_path), ("subPathExpr", sub_expr)] {
            let Some(v) = value else { continue };
            if let Some(msg) = local_path_problem(v, false) {
                out.push(
                    Finding::new(InvalidVolume::ID, pointer::push(&at, field), format!("{field} {v:?}: {msg}"))
                        .label("outside the volume")
                        .help(format!("`{field}` is a path inside the volume: make it relative, without `..`")),
                );
            }
        }
        if sub_path.is_some() && sub_expr.is_some() {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    pointer::push(&at, "subPathExpr"),
                    "subPath and subPathExpr are both set: subPathExpr and subPath are mutually exclusive",
                )
                .at(Target::Key)
                .label("second sub path")
                .related(pointer::push(&at, "subPath"), Target::Key, "subPath")
                .help("keep `subPath` for a fixed path or `subPathExpr` for one with $(VAR) references"),
            );
        }
        if m.mount_propagation.as_deref() == Some("Bidirectional") && !privileged {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    pointer::push(&at, "mountPropagation"),
                    "mountPropagation Bidirectional: Forbidden: Bidirectional mount propagation is available only to privileged containers",
                )
                .label("needs a privileged container")
                .help("use `HostToContainer`, or make the container privileged if it must mount back to the node"),
            );
        }
        if cx.options.minor >= RECURSIVE_READ_ONLY_MINOR {
            if let Some(rro @ ("Enabled" | "IfPossible")) = m.recursive_read_only.as_deref() {
                let rro_at = pointer::push(&at, "recursiveReadOnly");
                if m.read_only != Some(true) {
                    out.push(
                        Finding::new(
                            InvalidVolume::ID,
                            rro_at.clone(),
                            format!("recursiveReadOnly {rro} without readOnly: may only be specified when readOnly is true"),
                        )
                        .label("mount is writable")
                        .help("add `readOnly: true` to the mount"),
                    );
                }
                if m.mount_propagation.as_deref().is_some_and(|p| p != "None") {
                    out.push(
                        Finding::new(
                            InvalidVolume::ID,
                            rro_at,
                            format!("recursiveReadOnly {rro} with mountPropagation: may only be specified when mountPropagation is None or not specified"),
                        )
                        .label("propagating mount")
                        .related(pointer::push(&at, "mountPropagation"), Target::Value, "propagation")
                        .help("drop `mountPropagation`, or `recursiveReadOnly`"),
                    );
                }
            }
        }
    }
    devices(pod, c, kinds, &paths, &names, out);
}

/// Block devices: unique paths, not also mounted, and only from claims.
fn devices(
    pod: &PodView,
    c: &ContainerRef,
    kinds: &HashMap<&str, &'static str>,
    mount_paths: &HashMap<&str, String>,
    mount_names: &HashMap<&str, String>,
    out: &mut Vec<Finding>,
) {
    let mut paths: HashMap<&str, String> = HashMap::new();
    for (i, d) in c.container.volume_devices.iter().flatten().enumerate() {
        let at = pod.item(&c.field("volumeDevices"), i);
        let name_at = pointer::push(&at, "name");
        let path_at = pointer::push(&at, "devicePath");
        if let Some(kind) = kinds.get(d.name.as_str()) {
            if !matches!(*kind, "persistentVolumeClaim" | "ephemeral") {
                out.push(
                    Finding::new(
                        InvalidVolume::ID,
                        name_at.clone(),
                        format!("volume {:?} is a {kind} volume: can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode", d.name),
                    )
                    .label("not a claim")
                    .help("attach block devices from a PersistentVolumeClaim (volumeMode: Block), or mount this volume with volumeMounts"),
                );
            }
        }
        if let Some(m) = mount_names.get(d.name.as_str()) {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    name_at,
                    format!("volume {:?} is both mounted and attached as a device: must not already exist in volumeMounts", d.name),
                )
                .label("also mounted")
                .related(pointer::push(m, "name"), Target::Value, "mounted here")
                .help("use a volume either as a device or as a mount"),
            );
        }
        if has_backstep(&d.device_path) {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    path_at.clone(),
                    format!("devicePath {:?}: can not contain backsteps ('..')", d.device_path),
                )
                .label("climbs with ..")
                .help("write the device path without `..` elements"),
            );
        } else if let Some(first) = paths.get(d.device_path.as_str()) {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    path_at.clone(),
                    format!("devicePath {:?} is used twice in this container: must be unique", d.device_path),
                )
                .label("used again")
                .related(pointer::push(first, "devicePath"), Target::Value, "first used here")
                .help("give each device its own path"),
            );
        } else if !d.device_path.is_empty() {
            paths.insert(d.device_path.as_str(), at.clone());
        }
        if let Some(m) = mount_paths.get(d.device_path.as_str()) {
            out.push(
                Finding::new(
                    InvalidVolume::ID,
                    path_at,
                    format!("devicePath {:?} is also a mountPath: must not already exist as a path in volumeMounts", d.device_path),
                )
                .label("also a mount")
                .related(pointer::push(m, "mountPath"), Target::Value, "mounted here")
                .help("attach the device and mount volumes at different paths"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_a_volume() {
        for (path, reserved, want) in [
            ("config/app.yaml", true, None),
            ("a..b", true, None),
            ("..data", false, None),
            ("..data", true, Some("must not start with '..'")),
            ("/etc/app", true, Some("must be a relative path")),
            ("../secret", true, Some("must not contain '..'")),
            ("a/../../b", false, Some("must not contain '..'")),
            // The API server splits on '/' only (it runs on Linux).
            ("a\\..\\b", false, None),
            ("..", true, Some("must not contain '..'")),
            ("", true, None),
        ] {
            assert_eq!(local_path_problem(path, reserved), want, "{path:?}");
        }
    }
}
