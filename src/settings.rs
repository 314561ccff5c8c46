//! The settings layer: a configuration file (found upwards from a directory, or named) plus
//! [`Overrides`] (what the command line, or an editor, sets) become the [`Settings`] a run
//! uses. It knows nothing of clap or LSP: the command line and the language server both build
//! their settings here, so they agree on every default and every precedence.
//!
//! Precedence: an override wins over the file, the file over the defaults (the safety limits
//! too: a `--max-*` flag over the `[limits]` key over [`Limits::default`]). A rule named by
//! `--select` runs even when the file turns it off or it is off by default (at the file's
//! level if it sets one, else the rule's default level).

use crate::config::{self, Loaded};
use crate::rules::{Options, RuleId, RuleLevels, Severity};
use crate::source::Limits;
use crate::suppress::ConfigIgnores;
use std::path::{Path, PathBuf};

/// What a caller sets over the configuration file. Empty lists and `None` leave the file's
/// value (or the default).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The configuration file to read instead of the one found upwards.
    pub config: Option<PathBuf>,
    /// Target Kubernetes version, `X.Y`.
    pub kubernetes_version: Option<String>,
    /// The Pod Security Standards level (replaces the file's `pod-security`).
    pub pod_security: Option<crate::pss::Level>,
    /// Schema directories (replace the file's `schema-dirs`).
    pub schema_dirs: Vec<PathBuf>,
    /// CustomResourceDefinition files or directories (replace the file's `crds`).
    pub crds: Vec<PathBuf>,
    /// Only these rules.
    pub select: Option<Vec<RuleId>>,
    /// Never these rules.
    pub ignore: Vec<RuleId>,
    /// Fail at or above this level; `Some(None)` never fails.
    pub fail_level: Option<Option<Severity>>,
    /// Paths to leave out (in addition to the file's `exclude`).
    pub exclude: Vec<String>,
    /// When to render Kustomize roots.
    pub kustomize: Option<crate::kustomize::Mode>,
    /// Safety limits (each `None` leaves the file's value, or the default).
    pub limits: LimitOverrides,
    /// Stop after parsing (the benchmark floor).
    pub parse_only: bool,
    /// Report ignores that silenced nothing.
    pub report_unused_ignores: bool,
    /// Leave source excerpts out of diagnostics (formats that do not show them).
    pub no_excerpts: bool,
}

/// The safety limits a caller sets over the configuration's `[limits]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOverrides {
    /// Largest file to read, in bytes.
    pub max_file_bytes: Option<u64>,
    /// Most documents in one file.
    pub max_documents: Option<usize>,
    /// Deepest nesting.
    pub max_depth: Option<usize>,
    /// Most nodes after alias expansion.
    pub max_nodes: Option<usize>,
}

impl LimitOverrides {
    /// The limits: each override, else the file's key, else the default.
    pub fn over(&self, file: Option<&config::LimitsTable>) -> Limits {
        let d = Limits::default();
        let f = file.copied().unwrap_or_default();
        Limits {
            max_file_bytes: self
                .max_file_bytes
                .or(f.max_file_size)
                .unwrap_or(d.max_file_bytes),
            max_documents: self
                .max_documents
                .or(f.max_documents)
                .unwrap_or(d.max_documents),
            max_depth: self.max_depth.or(f.max_depth).unwrap_or(d.max_depth),
            max_nodes: self.max_nodes.or(f.max_nodes).unwrap_or(d.max_nodes),
        }
    }
}

/// Everything that shapes a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    pub limits: Limits,
    /// What the rules read, the target Kubernetes version among it.
    pub options: Options,
    /// Schema directories for custom resources.
    pub schema_dirs: Vec<PathBuf>,
    /// CustomResourceDefinitions for custom resources that are not checked themselves.
    pub crds: Vec<PathBuf>,
    pub rules: RuleLevels,
    /// Fail at or above this level; `None` never fails.
    pub fail_level: Option<Severity>,
    /// Globs to leave out, as given on the command line.
    pub exclude: Vec<String>,
    /// The configuration's `exclude`, with the directory it is relative to.
    pub config_exclude: Option<(PathBuf, Vec<String>)>,
    /// The configuration file's `[[ignore]]` tables.
    pub ignores: ConfigIgnores,
    /// When to render Kustomize roots.
    pub kustomize: crate::kustomize::Mode,
    pub parse_only: bool,
    pub report_unused_ignores: bool,
    pub no_excerpts: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config_file: None,
            limits: Limits::default(),
            options: Options::default(),
            schema_dirs: Vec::new(),
            crds: Vec::new(),
            rules: RuleLevels::default(),
            fail_level: Some(Severity::Warning),
            exclude: Vec::new(),
            config_exclude: None,
            ignores: ConfigIgnores::default(),
            kustomize: crate::kustomize::Mode::default(),
            parse_only: false,
            report_unused_ignores: false,
            no_excerpts: false,
        }
    }
}

impl Settings {
    /// The settings for a run whose configuration file is `overrides.config`, or the nearest
    /// one found upwards from `dir`, or none. Errors name the file and what is wrong.
    pub fn resolve(dir: &Path, overrides: &Overrides) -> Result<Settings, String> {
        let path = match &overrides.config {
            Some(p) => Some(p.clone()),
            None => config::discover(dir),
        };
        let loaded = path.as_deref().map(config::load).transpose()?;
        Settings::from_loaded(loaded.as_ref(), overrides)
    }

    /// The settings from a configuration already read (or none) and overrides.
    pub fn from_loaded(loaded: Option<&Loaded>, o: &Overrides) -> Result<Settings, String> {
        let c = loaded.map(|l| &l.config);
        let version = o
            .kubernetes_version
            .clone()
            .or_else(|| c.and_then(|c| c.kubernetes_version.clone()));
        let supported = crate::schema::supported_minor();
        let minor = match &version {
            None => supported,
            Some(v) => crate::schema::parse_version(v).ok_or_else(|| {
                format!("invalid Kubernetes version `{v}`: expected X.Y, e.g. 1.{supported}")
            })?,
        };
        let schema_dirs = match (o.schema_dirs.is_empty(), loaded) {
            (false, _) | (true, None) => o.schema_dirs.clone(),
            (true, Some(l)) => l.config.schema_dirs.iter().map(|d| l.dir.join(d)).collect(),
        };
        let crds = match (o.crds.is_empty(), loaded) {
            (false, _) | (true, None) => o.crds.clone(),
            (true, Some(l)) => l.config.crds.iter().map(|d| l.dir.join(d)).collect(),
        };
        let configured: Vec<(RuleId, Option<Severity>)> = c
            .map(|c| {
                c.rules
                    .iter()
                    .filter_map(|(id, level)| Some((RuleId::parse(id)?, *level)))
                    .collect()
            })
            .unwrap_or_default();
        let fail_level = match o.fail_level {
            Some(f) => f,
            None => c
                .and_then(|c| c.fail_level)
                .unwrap_or(Some(Severity::Warning)),
        };
        let limits = o.limits.over(c.map(|c| &c.limits));
        Ok(Settings {
            config_file: loaded.map(|l| l.path.clone()),
            limits,
            options: Options {
                minor,
                pod_security: o
                    .pod_security
                    .or_else(|| c.and_then(|c| c.pod_security).map(|l| l.level()))
                    .unwrap_or(crate::pss::Level::Baseline),
                named: o.select.clone().unwrap_or_default(),
            },
            schema_dirs,
            crds,
            rules: RuleLevels::new(&configured, o.select.as_deref(), &o.ignore),
            fail_level,
            exclude: o.exclude.clone(),
            config_exclude: loaded.map(|l| (l.dir.clone(), l.config.exclude.clone())),
            ignores: loaded
                .map(|l| ConfigIgnores::new(&l.dir, &l.config.ignore))
                .unwrap_or_default(),
            kustomize: o
                .kustomize
                .or_else(|| c.and_then(|c| c.kustomize))
                .unwrap_or_default(),
            parse_only: o.parse_only,
            report_unused_ignores: o.report_unused_ignores,
            no_excerpts: o.no_excerpts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_over_the_file() {
        let loaded = Loaded {
            path: "kubevet.toml".into(),
            dir: ".".into(),
            config: config::parse(
                "kubernetes-version = \"1.33\"\nfail-level = \"error\"\nschema-dirs = [\"crds\"]\n",
            )
            .expect("valid"),
        };
        let s = Settings::from_loaded(Some(&loaded), &Overrides::default()).expect("settings");
        assert_eq!(s.options.minor, 33);
        assert_eq!(s.fail_level, Some(Severity::Error));
        assert_eq!(s.schema_dirs, [PathBuf::from("./crds")]);
        let o = Overrides {
            kubernetes_version: Some("1.35".into()),
            fail_level: Some(None),
            schema_dirs: vec!["other".into()],
            ..Overrides::default()
        };
        let s = Settings::from_loaded(Some(&loaded), &o).expect("settings");
        assert_eq!((s.options.minor, s.fail_level), (35, None));
        assert_eq!(s.schema_dirs, [PathBuf::from("other")]);
        assert!(Settings::from_loaded(
            None,
            &Overrides {
                kubernetes_version: Some("one".into()),
                ..Overrides::default()
            }
        )
        .is_err());
    }

    #[test]
    fn the_pod_security_level_comes_from_the_flag_then_the_file() {
        use crate::pss::Level;
        let s = Settings::from_loaded(None, &Overrides::default()).expect("settings");
        assert_eq!(s.options.pod_security, Level::Baseline);
        let loaded = Loaded {
            path: "kubevet.toml".into(),
            dir: ".".into(),
            config: config::parse("pod-security = \"restricted\"\n").expect("valid"),
        };
        let s = Settings::from_loaded(Some(&loaded), &Overrides::default()).expect("settings");
        assert_eq!(s.options.pod_security, Level::Restricted);
        let o = Overrides {
            pod_security: Some(Level::Privileged),
            select: Some(vec![RuleId::parse("run-as-non-root").expect("id")]),
            ..Overrides::default()
        };
        let s = Settings::from_loaded(Some(&loaded), &o).expect("settings");
        assert_eq!(s.options.pod_security, Level::Privileged);
        assert_eq!(s.options.named.len(), 1);
        assert!(config::parse("pod-security = \"strict\"\n").is_err());
        assert!(config::parse("pod-security = 1\n").is_err());
    }

    #[test]
    fn a_limit_flag_wins_over_the_key_and_the_key_over_the_default() {
        let loaded = Loaded {
            path: "kubevet.toml".into(),
            dir: ".".into(),
            config: config::parse("[limits]\nmax-documents = 7\nmax-depth = 9\n").expect("valid"),
        };
        let o = Overrides {
            limits: LimitOverrides {
                max_depth: Some(11),
                max_nodes: Some(13),
                ..LimitOverrides::default()
            },
            ..Overrides::default()
        };
        let s = Settings::from_loaded(Some(&loaded), &o).expect("settings");
        let d = Limits::default();
        assert_eq!(
            s.limits,
            Limits {
                max_file_bytes: d.max_file_bytes,
                max_documents: 7,
                max_depth: 11,
                max_nodes: 13,
            }
        );
        let s = Settings::from_loaded(None, &Overrides::default()).expect("settings");
        assert_eq!(s.limits, d);
    }
}
