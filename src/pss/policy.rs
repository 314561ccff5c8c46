//! Pod Security levels, policy versions and the namespace labels that select them, read the way
//! the Pod Security admission controller reads them: a level is one of three exact words, a
//! version is `latest` or `v1.<minor>`, and a label that does not parse falls back to what the
//! controller falls back to (restricted for `enforce`, privileged for `audit` and `warn`, the
//! latest version for every `*-version`), with an error beside the result.

use std::collections::BTreeMap;
use std::fmt;

/// The newest policy version whose checks differ from the one before: every later version, and
/// `latest`, evaluates as this one.
pub const NEWEST_MINOR: u64 = 37;

/// The label prefix shared by every Pod Security namespace label.
pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";
/// The level whose violations reject a pod.
pub const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";
/// The policy version of the enforced level.
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
/// The level whose violations are recorded in the audit log.
pub const AUDIT_LABEL: &str = "pod-security.kubernetes.io/audit";
/// The policy version of the audited level.
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
/// The level whose violations are returned to the client as warnings.
pub const WARN_LABEL: &str = "pod-security.kubernetes.io/warn";
/// The policy version of the warned level.
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// A Pod Security Standards level, from least to most strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No restriction.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Current pod hardening practice; includes every baseline control.
    Restricted,
}

impl Level {
    /// Every level, least strict first.
    pub const ALL: [Level; 3] = [Level::Privileged, Level::Baseline, Level::Restricted];

    /// Parse a label value: exactly `privileged`, `baseline` or `restricted` (case matters).
    pub fn parse(text: &str) -> Result<Level, LevelError> {
        match text {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(LevelError),
        }
    }

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level label value that is none of the three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelError;

impl fmt::Display for LevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("must be one of privileged, baseline, restricted")
    }
}

impl std::error::Error for LevelError {}

/// A policy version: `v1.<minor>` or `latest`. Ordered as the controller orders them: by minor
/// version, with `latest` newer than every numbered version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// `v1.<minor>`.
    V1(u64),
    /// `latest`: the newest policy the evaluator knows.
    Latest,
}

impl Version {
    /// Parse a version label value: `latest`, or `v1.` followed by a minor version without
    /// leading zeros (`v1.0`, `v1.35`; not `v1.05`, `1.35`, `v2.0` or `v1.35.0`).
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        if text == "latest" {
            return Ok(Version::Latest);
        }
        let digits = text.strip_prefix("v1.").ok_or(VersionError)?;
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !well_formed {
            return Err(VersionError);
        }
        // The controller reads the number as a signed 64-bit integer.
        let minor: i64 = digits.parse().map_err(|_| VersionError)?;
        Ok(Version::V1(minor as u64))
    }

    /// The version an API server of minor version `cluster_minor` (or one emulating it)
    /// evaluates for this label: that server knows no newer policy, so `latest` and newer
    /// versions are evaluated as its own.
    pub fn on_cluster(self, cluster_minor: u64) -> Version {
        match self {
            Version::V1(minor) => Version::V1(minor.min(cluster_minor)),
            Version::Latest => Version::V1(cluster_minor),
        }
    }

    /// The minor version whose checks this version evaluates: its own, except that `latest`
    /// and versions newer than the newest known policy evaluate as the newest.
    pub fn effective_minor(self) -> u64 {
        match self {
            Version::V1(minor) => minor.min(NEWEST_MINOR),
            Version::Latest => NEWEST_MINOR,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::V1(minor) => write!(f, "v1.{minor}"),
            Version::Latest => f.write_str("latest"),
        }
    }
}

/// A version label value that is neither `latest` nor `v1.<minor>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionError;

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"must be "latest" or "v1.x""#)
    }
}

impl std::error::Error for VersionError {}

/// A level at a policy version: what one mode of a namespace evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    pub level: Level,
    pub version: Version,
}

impl LevelVersion {
    pub fn new(level: Level, version: Version) -> LevelVersion {
        LevelVersion { level, version }
    }
}

impl fmt::Display for LevelVersion {
    /// `baseline:v1.35`, `restricted:latest`: the form the controller quotes in its messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

/// The three modes of a namespace's Pod Security policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Violations reject the pod.
    pub enforce: LevelVersion,
    /// Violations are recorded in the audit log.
    pub audit: LevelVersion,
    /// Violations are returned as warnings.
    pub warn: LevelVersion,
}

impl Default for Policy {
    /// The API server's built-in default: every mode `privileged:latest`.
    fn default() -> Policy {
        let open = LevelVersion::new(Level::Privileged, Version::Latest);
        Policy {
            enforce: open,
            audit: open,
            warn: open,
        }
    }
}

/// A namespace label whose value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelError {
    /// The label key (one of the `*_LABEL` constants).
    pub label: &'static str,
    /// The value found.
    pub value: String,
    /// What the value must be.
    pub message: String,
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "metadata.labels[{}]: Invalid value: {:?}: {}",
            self.label, self.value, self.message
        )
    }
}

impl Policy {
    /// The policy a namespace with these labels gets, starting from `defaults` for every label
    /// it does not set. A value that does not parse is replaced as the controller replaces it
    /// (enforce level: restricted; audit and warn levels: privileged; any version: latest) and
    /// reported in the returned errors. When the enforce level is set (validly) and is stricter
    /// than the warn level, and no warn level is set, warn follows enforce (and its version,
    /// unless a warn version is set).
    pub fn from_labels(
        labels: &BTreeMap<String, String>,
        defaults: Policy,
    ) -> (Policy, Vec<LabelError>) {
        let mut policy = defaults;
        let mut errors = Vec::new();
        let mut failed = |label: &'static str, value: &str, message: String| {
            errors.push(LabelError {
                label,
                value: value.to_string(),
                message,
            })
        };
        let get = |key: &str| labels.get(key).map(String::as_str);

        let mut enforce_level_set = false;
        let modes = [
            (ENFORCE_LABEL, ENFORCE_VERSION_LABEL, &mut policy.enforce),
            (AUDIT_LABEL, AUDIT_VERSION_LABEL, &mut policy.audit),
            (WARN_LABEL, WARN_VERSION_LABEL, &mut policy.warn),
        ];
        for (level_label, version_label, mode) in modes {
            if let Some(value) = get(level_label) {
                match Level::parse(value) {
                    Ok(level) => {
                        mode.level = level;
                        enforce_level_set |= level_label == ENFORCE_LABEL;
                    }
                    Err(e) => {
                        // Enforce fails closed; audit and warn fail open.
                        mode.level = if level_label == ENFORCE_LABEL {
                            Level::Restricted
                        } else {
                            Level::Privileged
                        };
                        failed(level_label, value, e.to_string());
                    }
                }
            }
            if let Some(value) = get(version_label) {
                mode.version = Version::parse(value).unwrap_or_else(|e| {
                    failed(version_label, value, e.to_string());
                    Version::Latest
                });
            }
        }
        if get(WARN_LABEL).is_none()
            && enforce_level_set
            && policy.enforce.level > policy.warn.level
        {
            policy.warn.level = policy.enforce.level;
            if get(WARN_VERSION_LABEL).is_none() {
                policy.warn.version = policy.enforce.version;
            }
        }
        (policy, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_exactly() {
        let table: &[(&str, Option<Level>)] = &[
            ("privileged", Some(Level::Privileged)),
            ("baseline", Some(Level::Baseline)),
            ("restricted", Some(Level::Restricted)),
            ("Restricted", None),
            ("BASELINE", None),
            (" baseline", None),
            ("baseline ", None),
            ("", None),
            ("latest", None),
        ];
        for (text, want) in table {
            assert_eq!(Level::parse(text).ok(), *want, "{text:?}");
        }
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Ok(level));
        }
        assert!(Level::Privileged < Level::Baseline && Level::Baseline < Level::Restricted);
    }

    #[test]
    fn versions_parse_like_the_controller() {
        let table: &[(&str, Option<Version>)] = &[
            ("latest", Some(Version::Latest)),
            ("v1.0", Some(Version::V1(0))),
            ("v1.9", Some(Version::V1(9))),
            ("v1.35", Some(Version::V1(35))),
            ("v1.100", Some(Version::V1(100))),
            ("v1.9223372036854775807", Some(Version::V1(i64::MAX as u64))),
            ("v1.9223372036854775808", None),
            ("v1.05", None),
            ("v1.00", None),
            ("v1.", None),
            ("v1.-1", None),
            ("v1.+1", None),
            ("v1.3x", None),
            ("v1.35.0", None),
            ("1.35", None),
            ("v2.0", None),
            ("V1.35", None),
            ("Latest", None),
            ("", None),
            ("v1.٣", None),
        ];
        for (text, want) in table {
            assert_eq!(Version::parse(text).ok(), *want, "{text:?}");
        }
        assert_eq!(Version::V1(35).to_string(), "v1.35");
        assert_eq!(Version::Latest.to_string(), "latest");
    }

    #[test]
    fn newer_versions_and_latest_evaluate_as_the_newest() {
        assert_eq!(Version::V1(0).effective_minor(), 0);
        assert_eq!(Version::V1(30).effective_minor(), 30);
        assert_eq!(Version::V1(NEWEST_MINOR).effective_minor(), NEWEST_MINOR);
        assert_eq!(
            Version::V1(NEWEST_MINOR + 1).effective_minor(),
            NEWEST_MINOR
        );
        assert_eq!(Version::V1(u64::MAX).effective_minor(), NEWEST_MINOR);
        assert_eq!(Version::Latest.effective_minor(), NEWEST_MINOR);
        assert!(Version::V1(9) < Version::V1(10));
        assert_eq!(Version::Latest.on_cluster(33), Version::V1(33));
        assert_eq!(Version::V1(35).on_cluster(33), Version::V1(33));
        assert_eq!(Version::V1(30).on_cluster(33), Version::V1(30));
        assert!(Version::V1(u64::MAX) < Version::Latest);
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn lv(level: Level, version: Version) -> LevelVersion {
        LevelVersion::new(level, version)
    }

    #[test]
    fn labels_select_each_mode() {
        let (p, errors) = Policy::from_labels(
            &labels(&[
                (ENFORCE_LABEL, "baseline"),
                (ENFORCE_VERSION_LABEL, "v1.30"),
                (AUDIT_LABEL, "restricted"),
                (AUDIT_VERSION_LABEL, "v1.31"),
                (WARN_LABEL, "restricted"),
                (WARN_VERSION_LABEL, "latest"),
            ]),
            Policy::default(),
        );
        assert!(errors.is_empty());
        assert_eq!(p.enforce, lv(Level::Baseline, Version::V1(30)));
        assert_eq!(p.audit, lv(Level::Restricted, Version::V1(31)));
        assert_eq!(p.warn, lv(Level::Restricted, Version::Latest));
        assert_eq!(p.enforce.to_string(), "baseline:v1.30");
    }

    #[test]
    fn no_labels_keep_the_defaults() {
        let (p, errors) = Policy::from_labels(&labels(&[("team", "a")]), Policy::default());
        assert!(errors.is_empty());
        assert_eq!(p, Policy::default());
        assert_eq!(p.enforce, lv(Level::Privileged, Version::Latest));
    }

    #[test]
    fn bad_values_fall_back_like_the_controller() {
        let (p, errors) = Policy::from_labels(
            &labels(&[
                (ENFORCE_LABEL, "Baseline"),
                (ENFORCE_VERSION_LABEL, "1.30"),
                (AUDIT_LABEL, "strict"),
                (WARN_LABEL, "none"),
                (WARN_VERSION_LABEL, "v1.030"),
            ]),
            Policy::default(),
        );
        // Enforce fails closed, audit and warn fail open, versions become latest.
        assert_eq!(p.enforce, lv(Level::Restricted, Version::Latest));
        assert_eq!(p.audit.level, Level::Privileged);
        assert_eq!(p.warn, lv(Level::Privileged, Version::Latest));
        let bad: Vec<&str> = errors.iter().map(|e| e.label).collect();
        assert_eq!(
            bad,
            [
                ENFORCE_LABEL,
                ENFORCE_VERSION_LABEL,
                AUDIT_LABEL,
                WARN_LABEL,
                WARN_VERSION_LABEL
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "Baseline": must be one of privileged, baseline, restricted"#
        );
        assert!(errors[1]
            .to_string()
            .ends_with(r#"must be "latest" or "v1.x""#));
    }

    #[test]
    fn warn_follows_a_stricter_enforce_level() {
        // No warn label: warn takes enforce's level and version.
        let (p, _) = Policy::from_labels(
            &labels(&[
                (ENFORCE_LABEL, "restricted"),
                (ENFORCE_VERSION_LABEL, "v1.32"),
            ]),
            Policy::default(),
        );
        assert_eq!(p.warn, lv(Level::Restricted, Version::V1(32)));

        // A warn version of its own is kept.
        let (p, _) = Policy::from_labels(
            &labels(&[
                (ENFORCE_LABEL, "baseline"),
                (ENFORCE_VERSION_LABEL, "v1.32"),
                (WARN_VERSION_LABEL, "v1.30"),
            ]),
            Policy::default(),
        );
        assert_eq!(p.warn, lv(Level::Baseline, Version::V1(30)));

        // An explicit warn level wins, even a laxer one.
        let (p, _) = Policy::from_labels(
            &labels(&[(ENFORCE_LABEL, "restricted"), (WARN_LABEL, "privileged")]),
            Policy::default(),
        );
        assert_eq!(p.warn.level, Level::Privileged);

        // An enforce label that does not parse does not pull warn along.
        let (p, _) = Policy::from_labels(&labels(&[(ENFORCE_LABEL, "x")]), Policy::default());
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.warn.level, Level::Privileged);

        // Only the enforce version set: warn is not touched.
        let (p, _) = Policy::from_labels(
            &labels(&[(ENFORCE_VERSION_LABEL, "v1.30")]),
            Policy::default(),
        );
        assert_eq!(p.warn, lv(Level::Privileged, Version::Latest));
    }
}
