//! The history of kubeadm's configuration formats (`kubeadm.k8s.io/*`): which kinds each
//! version has, the kubeadm release that introduced, deprecated and stopped reading it, and the
//! last release whose `kubeadm config migrate` still converts it. kubeadm's minor version is
//! the Kubernetes minor it ships with, so these releases share the axis of the apiVersion
//! table (`crate::schema::api_versions`), whose kubeadm rows say what [`help`] derives here.
//!
//! Sources: the `doc.go` migration notes of each format and the kubeadm release notes (v1alpha1
//! removed in 1.12, v1alpha2 in 1.13, v1alpha3 refused by init/join in 1.14 but still migrated,
//! v1beta1 deprecated in 1.17 and removed in 1.22, v1beta2 deprecated in 1.24 and removed in
//! 1.27, v1beta3 deprecated in 1.31 and removed in 1.37). kubeadm 1.37 also carries a `v1`
//! format that cannot be used yet; it is not listed.

/// One `kubeadm.k8s.io` version.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// The version, `v1beta4`.
    pub version: &'static str,
    pub kinds: &'static [&'static str],
    /// First kubeadm minor that reads it.
    pub introduced: u32,
    /// Minor that deprecated it.
    pub deprecated: Option<u32>,
    /// First minor whose `init`/`join` refuse it.
    pub removed: Option<u32>,
    /// Last minor whose `kubeadm config migrate` converts it.
    pub migrated_until: Option<u32>,
}

const BETA_KINDS: &[&str] = &[
    "InitConfiguration",
    "ClusterConfiguration",
    "JoinConfiguration",
    "ClusterStatus",
];

/// Every kubeadm configuration format, oldest first.
pub static FORMATS: &[Format] = &[
    Format {
        version: "v1alpha1",
        kinds: &["MasterConfiguration", "NodeConfiguration"],
        introduced: 6,
        deprecated: Some(11),
        removed: Some(12),
        migrated_until: Some(11),
    },
    Format {
        version: "v1alpha2",
        kinds: &["MasterConfiguration", "NodeConfiguration"],
        introduced: 11,
        deprecated: Some(12),
        removed: Some(13),
        migrated_until: Some(12),
    },
    Format {
        version: "v1alpha3",
        kinds: BETA_KINDS,
        introduced: 12,
        deprecated: Some(13),
        removed: Some(14),
        migrated_until: Some(14),
    },
    Format {
        version: "v1beta1",
        kinds: BETA_KINDS,
        introduced: 13,
        deprecated: Some(17),
        removed: Some(22),
        migrated_until: Some(21),
    },
    Format {
        version: "v1beta2",
        kinds: BETA_KINDS,
        introduced: 15,
        deprecated: Some(24),
        removed: Some(27),
        migrated_until: Some(26),
    },
    Format {
        version: "v1beta3",
        kinds: &[
            "InitConfiguration",
            "ClusterConfiguration",
            "JoinConfiguration",
        ],
        introduced: 22,
        deprecated: Some(31),
        removed: Some(37),
        migrated_until: Some(36),
    },
    Format {
        version: "v1beta4",
        kinds: &[
            "InitConfiguration",
            "ClusterConfiguration",
            "JoinConfiguration",
            "ResetConfiguration",
            "UpgradeConfiguration",
        ],
        introduced: 31,
        deprecated: None,
        removed: None,
        migrated_until: None,
    },
];

/// The API group of kubeadm's configuration.
pub const GROUP: &str = "kubeadm.k8s.io";

/// The format of a version (`v1beta4`).
pub fn format(version: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.version == version)
}

/// The newest format kubeadm 1.`minor` reads and writes.
pub fn newest_at(minor: u32) -> Option<&'static Format> {
    FORMATS.iter().rev().find(|f| f.introduced <= minor)
}

/// One run of `kubeadm config migrate`: which kubeadm releases read `from` and write `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub from: &'static str,
    pub to: &'static str,
    /// First and last kubeadm minor that do this conversion.
    pub kubeadm: (u32, u32),
}

/// The conversions that bring a file of `version` to the newest format of kubeadm
/// 1.`target`, each with the last kubeadm releases still reading its input (a release only
/// migrates from the versions it reads). Empty when `version` is already the newest.
pub fn migration(version: &str, target: u32) -> Vec<Step> {
    let mut steps = Vec::new();
    let (Some(mut current), Some(goal)) = (format(version), newest_at(target)) else {
        return steps;
    };
    while current.version != goal.version {
        let last = current.migrated_until.unwrap_or(target);
        let Some(next) = newest_at(last.min(target)).filter(|n| n.introduced > current.introduced)
        else {
            break;
        };
        let after = FORMATS
            .iter()
            .find(|f| f.introduced > next.introduced)
            .map_or(u32::MAX, |f| f.introduced - 1);
        steps.push(Step {
            from: current.version,
            to: next.version,
            kubeadm: (next.introduced.max(current.introduced), last.min(after)),
        });
        current = next;
    }
    steps
}

const MIGRATE: &str = "kubeadm config migrate --old-config old.yaml --new-config new.yaml";

/// The help line for a kind of an old format at kubeadm 1.`target`, worded as the apiVersion
/// table words it: use the newest format, reached with `kubeadm config migrate` of the releases
/// [`migration`] names.
pub fn help(version: &str, kind: &str, target: u32) -> String {
    let Some(goal) = newest_at(target) else {
        return "remove it".to_string();
    };
    if kind == "ClusterStatus" && !goal.kinds.contains(&"ClusterStatus") {
        return NO_CLUSTER_STATUS.to_string();
    }
    let what = if goal.kinds.contains(&kind) {
        format!("{GROUP}/{}", goal.version)
    } else {
        match kind {
            "MasterConfiguration" => format!(
                "InitConfiguration and ClusterConfiguration of {GROUP}/{}",
                goal.version
            ),
            "NodeConfiguration" => format!("JoinConfiguration of {GROUP}/{}", goal.version),
            _ => format!("{GROUP}/{}", goal.version),
        }
    };
    let runs: Vec<String> = migration(version, target)
        .iter()
        .map(|s| match s.kubeadm {
            (a, b) if a == b => format!("1.{a}"),
            (a, b) => format!("1.{a} to 1.{b}"),
        })
        .collect();
    format!(
        "use {what} (convert the file with `{MIGRATE}` of kubeadm {}) instead",
        runs.join(", then of ")
    )
}

/// What to do with a ClusterStatus once kubeadm no longer has the kind.
pub const NO_CLUSTER_STATUS: &str = "delete it: kubeadm keeps no ClusterStatus since 1.22 (it reads the API endpoints from the etcd pods' annotations), and the kind has no successor";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_ordered_and_consistent() {
        for w in FORMATS.windows(2) {
            assert!(w[0].introduced < w[1].introduced, "{}", w[1].version);
        }
        for f in FORMATS {
            if let (Some(d), Some(r)) = (f.deprecated, f.removed) {
                assert!(d <= r, "{}", f.version);
            }
            if let (Some(r), Some(m)) = (f.removed, f.migrated_until) {
                assert!(m + 1 >= r && m <= r, "{}", f.version);
            }
            // Deprecation comes with a successor that is already read.
            if let Some(d) = f.deprecated {
                assert!(newest_at(d).is_some_and(|n| n.version != f.version));
            }
        }
        assert_eq!(newest_at(30).map(|f| f.version), Some("v1beta3"));
        assert_eq!(newest_at(31).map(|f| f.version), Some("v1beta4"));
        assert_eq!(newest_at(37).map(|f| f.version), Some("v1beta4"));
        assert!(newest_at(5).is_none());
    }

    #[test]
    fn migration_paths_use_the_last_release_that_reads_each_version() {
        assert_eq!(
            migration("v1beta3", 37),
            vec![Step {
                from: "v1beta3",
                to: "v1beta4",
                kubeadm: (31, 36)
            }]
        );
        assert_eq!(
            migration("v1beta2", 37),
            vec![
                Step {
                    from: "v1beta2",
                    to: "v1beta3",
                    kubeadm: (22, 26)
                },
                Step {
                    from: "v1beta3",
                    to: "v1beta4",
                    kubeadm: (31, 36)
                },
            ]
        );
        // At 1.24 v1beta3 is the newest: one step.
        assert_eq!(
            migration("v1beta2", 24),
            vec![Step {
                from: "v1beta2",
                to: "v1beta3",
                kubeadm: (22, 26)
            }]
        );
        assert_eq!(
            migration("v1beta1", 17),
            vec![Step {
                from: "v1beta1",
                to: "v1beta2",
                kubeadm: (15, 21)
            }]
        );
        // v1alpha3 is refused by init in 1.14 but still migrated by it.
        assert_eq!(
            migration("v1alpha3", 14),
            vec![Step {
                from: "v1alpha3",
                to: "v1beta1",
                kubeadm: (13, 14)
            }]
        );
        let long = migration("v1alpha1", 37);
        let versions: Vec<&str> = long.iter().map(|s| s.to).collect();
        assert_eq!(
            versions,
            ["v1alpha2", "v1alpha3", "v1beta1", "v1beta2", "v1beta3", "v1beta4"]
        );
        assert_eq!(long[0].kubeadm, (11, 11));
        assert!(migration("v1beta4", 37).is_empty());
        assert!(migration("v9", 37).is_empty());
    }

    #[test]
    fn help_names_the_target_kind_and_the_runs() {
        assert_eq!(
            help("v1beta3", "ClusterConfiguration", 37),
            "use kubeadm.k8s.io/v1beta4 (convert the file with `kubeadm config migrate --old-config old.yaml --new-config new.yaml` of kubeadm 1.31 to 1.36) instead"
        );
        let text = help("v1beta2", "JoinConfiguration", 37);
        assert!(
            text.ends_with("of kubeadm 1.22 to 1.26, then of 1.31 to 1.36) instead"),
            "{text}"
        );
        assert!(help("v1alpha2", "NodeConfiguration", 13)
            .ends_with("of kubeadm 1.12, then of 1.13 to 1.14) instead"));
        assert!(help("v1alpha2", "MasterConfiguration", 37).starts_with(
            "use InitConfiguration and ClusterConfiguration of kubeadm.k8s.io/v1beta4 ("
        ));
        assert!(help("v1alpha2", "NodeConfiguration", 37)
            .starts_with("use JoinConfiguration of kubeadm.k8s.io/v1beta4 ("));
        assert!(
            help("v1alpha1", "NodeConfiguration", 11).starts_with("use kubeadm.k8s.io/v1alpha2 (")
        );
        assert_eq!(help("v1beta2", "ClusterStatus", 27), NO_CLUSTER_STATUS);
        assert!(help("v1beta1", "ClusterStatus", 17).starts_with("use kubeadm.k8s.io/v1beta2 ("));
        assert_eq!(help("v1beta3", "InitConfiguration", 4), "remove it");
    }
}
