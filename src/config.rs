//! `kubevet.toml` / `.kubevet.toml`: found by walking up from the working directory (stopping
//! at the repository root), or named with `--config`. Command-line flags override it.
//!
//! ```toml
//! kubernetes-version = "1.33"
//! schema-dirs = ["schemas/crds"]
//! exclude = ["vendor/**"]
//! fail-level = "error"
//!
//! [rules]
//! missing-liveness-probe = "off"
//! latest-tag-pull-policy = "error"
//!
//! [[ignore]]
//! rules = ["host-namespace"]
//! kinds = ["DaemonSet"]
//! names = ["node-exporter"]
//! ```

use crate::rules;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File names looked for, in order, in each directory.
pub const FILE_NAMES: [&str; 2] = ["kubevet.toml", ".kubevet.toml"];

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    Info,
    Off,
}

/// The level at which a run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailLevelName {
    Error,
    Warning,
    Info,
    Never,
}

/// One `[[ignore]]` table: the rules it silences, and where (every given criterion must
/// match; a criterion left out matches everything).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule ids to silence (`"*"` for every rule).
    pub rules: Vec<String>,
    /// Globs of file paths, relative to the configuration file's directory.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Object kinds, e.g. `DaemonSet`.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Object names.
    #[serde(default)]
    pub names: Vec<String>,
    /// Object namespaces.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Container names: only findings inside these containers.
    #[serde(default)]
    pub containers: Vec<String>,
}

/// The configuration file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "kubevet configuration (kubevet.toml)")]
pub struct Config {
    /// Kubernetes version to check apiVersions against, e.g. "1.33".
    pub kubernetes_version: Option<String>,
    /// Directories with schemas for custom resources (kubeconform layout), relative to this file.
    #[serde(default)]
    pub schema_dirs: Vec<PathBuf>,
    /// Globs of paths to leave out, relative to this file.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Exit with 1 when a finding is at or above this level.
    pub fail_level: Option<FailLevelName>,
    /// Rule id -> "error" | "warning" | "info" | "off".
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// Findings to silence where the manifests cannot be annotated.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
}

/// A configuration read from a file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    /// The directory relative paths in the file are resolved from.
    pub dir: PathBuf,
    pub config: Config,
}

/// Find the configuration file for `start` (a directory): the nearest `kubevet.toml` or
/// `.kubevet.toml` upwards, not above the repository root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// Read and check a configuration file. Errors name the file, line and column, and the valid
/// choices.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the configuration: {e}", path.display()))?;
    let config = parse(&text).map_err(|(offset, msg)| match offset {
        Some(o) => {
            let (l, c) = line_col(&text, o);
            format!("{}:{l}:{c}: {msg}", path.display())
        }
        None => format!("{}: {msg}", path.display()),
    })?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(Loaded {
        path: path.to_path_buf(),
        dir,
        config,
    })
}

/// Parse configuration text; errors carry a byte offset when one is known.
pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let mut msg = e.message().to_string();
        if msg.contains("unknown field") {
            msg.push_str(" (valid keys: kubernetes-version, schema-dirs, exclude, fail-level, [rules], [[ignore]]; in [[ignore]]: rules, paths, kinds, names, namespaces, containers)");
        } else if msg.contains("unknown variant") && !msg.contains("expected") {
            msg.push_str(" (valid levels: error, warning, info, off)");
        }
        (e.span().map(|s| s.start), msg)
    })?;
    let known: Vec<&str> = rules::all().iter().map(|m| m.id).collect();
    let find = |id: &str, from: usize| text[from..].find(id).map(|i| i + from);
    let rules_at = text.find("[rules]").unwrap_or(0);
    for id in config.rules.keys() {
        if !known.contains(&id.as_str()) {
            return Err((find(id, rules_at), unknown_rule(id, &known)));
        }
    }
    for entry in &config.ignore {
        for id in &entry.rules {
            if id != "*" && !known.contains(&id.as_str()) {
                return Err((find(&format!("\"{id}\""), 0), unknown_rule(id, &known)));
            }
        }
        if entry.rules.is_empty() {
            return Err((
                text.find("[[ignore]]"),
                "an [[ignore]] table needs `rules` (a list of rule ids, or [\"*\"])".into(),
            ));
        }
    }
    if let Some(v) = &config.kubernetes_version {
        if crate::schema::parse_version(v).is_none() {
            return Err((
                find(v, 0),
                format!("invalid kubernetes-version `{v}`: expected X.Y, e.g. \"1.33\""),
            ));
        }
    }
    for g in config
        .exclude
        .iter()
        .chain(config.ignore.iter().flat_map(|e| e.paths.iter()))
    {
        if globset::Glob::new(g).is_err() {
            return Err((find(g, 0), format!("invalid glob `{g}`")));
        }
    }
    Ok(config)
}

fn unknown_rule(id: &str, known: &[&str]) -> String {
    match crate::schema::suggest(id, known.iter().copied()) {
        Some(s) => {
            format!("unknown rule `{id}`: did you mean `{s}`? (`kubevet rules` lists them all)")
        }
        None => format!("unknown rule `{id}` (`kubevet rules` lists them all)"),
    }
}

/// The JSON Schema of the configuration file, for editors.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = parse(
            "kubernetes-version = \"1.33\"\nschema-dirs = [\"crds\"]\nexclude = [\"vendor/**\"]\nfail-level = \"error\"\n[rules]\nnode-name-pinned = \"off\"\n[[ignore]]\nrules = [\"host-namespace\"]\nkinds = [\"DaemonSet\"]\ncontainers = [\"agent\"]\n",
        )
        .expect("valid");
        assert_eq!(c.rules["node-name-pinned"], RuleLevel::Off);
        assert_eq!(c.ignore[0].containers, vec!["agent"]);
        assert_eq!(c.fail_level, Some(FailLevelName::Error));
    }

    #[test]
    fn errors_name_the_place_and_the_choices() {
        let text = "kubernetes-version = \"1.33\"\nexcludes = []\n";
        let (at, msg) = parse(text).expect_err("unknown key");
        assert_eq!(line_col(text, at.expect("offset")).0, 2);
        assert!(
            msg.contains("excludes") && msg.contains("valid keys"),
            "{msg}"
        );

        let text = "[rules]\nhost-namespaces = \"off\"\n";
        let (at, msg) = parse(text).expect_err("unknown rule");
        assert_eq!(line_col(text, at.expect("offset")).0, 2);
        assert!(msg.contains("did you mean `host-namespace`"), "{msg}");

        let (_, msg) = parse("[rules]\nhost-namespace = \"loud\"\n").expect_err("bad level");
        assert!(msg.contains("loud"), "{msg}");
        assert!(parse("kubernetes-version = \"two\"\n").is_err());
    }
}
