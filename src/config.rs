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

use crate::rules::{self, RuleId};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File names looked for, in order, in each directory.
pub const FILE_NAMES: [&str; 2] = ["kubevet.toml", ".kubevet.toml"];

pub use crate::rules::RuleLevel;

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
    /// Where the table is written (for reporting one that silenced nothing).
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Option<Origin>,
}

/// Where an `[[ignore]]` table is written: the configuration file (as it is shown), its text,
/// and the byte span of the table's `[[ignore]]` header.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: String,
    pub text: Arc<str>,
    pub start: usize,
    pub end: usize,
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
    let mut config = parse(&text).map_err(|(offset, msg)| match offset {
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
    // Findings about the file itself show it relative to the working directory when it is
    // below it.
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    for entry in &mut config.ignore {
        if let Some(o) = &mut entry.origin {
            o.path = shown.display().to_string();
        }
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        dir,
        config,
    })
}

/// The top-level keys of the file.
const TOP_KEYS: &[&str] = &[
    "kubernetes-version",
    "schema-dirs",
    "exclude",
    "fail-level",
    "rules",
    "ignore",
];
/// The keys of an `[[ignore]]` table.
const IGNORE_KEYS: &[&str] = &[
    "rules",
    "paths",
    "kinds",
    "names",
    "namespaces",
    "containers",
];
const LEVELS: &str = "\"error\", \"warning\", \"info\" or \"off\"";
const FAIL_LEVELS: &str = "\"error\", \"warning\", \"info\" or \"never\"";

/// A configuration error: where (a byte offset, when known) and what.
type ConfigError = (Option<usize>, String);

/// Parse configuration text; errors carry a byte offset when one is known, and name the key
/// and its valid choices.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let tables = validate(text)?;
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let mut msg = e.message().to_string();
        if msg.contains("unknown field") {
            msg.push_str(" (valid keys: kubernetes-version, schema-dirs, exclude, fail-level, [rules], [[ignore]]; in [[ignore]]: rules, paths, kinds, names, namespaces, containers)");
        } else if msg.contains("unknown variant") && !msg.contains("expected") {
            msg.push_str(" (valid levels: error, warning, info, off)");
        }
        (e.span().map(|s| s.start), msg)
    })?;
    let shared: Arc<str> = Arc::from(text);
    for (entry, span) in config.ignore.iter_mut().zip(tables) {
        entry.origin = Some(Origin {
            path: String::new(),
            text: shared.clone(),
            start: span.start,
            end: span.end,
        });
    }
    let find = |id: &str, from: usize| text[from..].find(id).map(|i| i + from);
    for entry in &config.ignore {
        for id in &entry.rules {
            if id != "*" && RuleId::parse(id).is_none() {
                return Err((find(&format!("\"{id}\""), 0), unknown_rule(id)));
            }
        }
    }
    if let Some(v) = &config.kubernetes_version {
        if crate::schema::parse_version(v).is_none() {
            return Err((
                find(v, 0),
                format!("`kubernetes-version`: invalid version `{v}`: write X.Y as a quoted string, e.g. kubernetes-version = \"1.33\""),
            ));
        }
    }
    let globs = config.exclude.iter().map(|g| ("exclude", g)).chain(
        config
            .ignore
            .iter()
            .flat_map(|e| e.paths.iter().map(|g| ("paths` of [[ignore]", g))),
    );
    for (key, g) in globs {
        if let Err(e) = globset::Glob::new(g) {
            return Err((
                find(g, 0),
                format!("invalid glob `{g}` in `{key}`: {}", e.kind()),
            ));
        }
    }
    Ok(config)
}

/// Check the file's structure key by key, so that each error names the key, what it holds
/// and what it may hold. Returns the span of each `[[ignore]]` table, in order.
fn validate(text: &str) -> Result<Vec<std::ops::Range<usize>>, ConfigError> {
    let mut tables_at = Vec::new();
    use toml::de::{DeTable, DeValue};
    let doc =
        DeTable::parse(text).map_err(|e| (e.span().map(|s| s.start), e.message().to_string()))?;
    let shown = |v: &toml::Spanned<DeValue>| -> String {
        match v.get_ref() {
            DeValue::Table(_) => "a table".into(),
            DeValue::Array(_) => "a list".into(),
            _ => format!("`{}`", text.get(v.span()).unwrap_or("?").trim()),
        }
    };
    let string_list = |key: &str,
                       v: &toml::Spanned<DeValue>,
                       example: &str|
     -> Result<(), ConfigError> {
        match v.get_ref() {
            DeValue::Array(items) => {
                for item in items {
                    if !matches!(item.get_ref(), DeValue::String(_)) {
                        return Err((
                            Some(item.span().start),
                            format!("`{key}`: each entry must be a quoted string, not {}, e.g. {key} = {example}", shown(item)),
                        ));
                    }
                }
                Ok(())
            }
            _ => Err((
                Some(v.span().start),
                format!(
                    "`{key}` must be a list of quoted strings, not {}, e.g. {key} = {example}",
                    shown(v)
                ),
            )),
        }
    };
    for (k, v) in doc.get_ref().iter() {
        let key = k.get_ref().as_ref();
        let at = Some(k.span().start);
        let vat = Some(v.span().start);
        match key {
            "kubernetes-version" => match v.get_ref() {
                DeValue::String(_) => {}
                DeValue::Float(_) | DeValue::Integer(_) => {
                    let raw = text.get(v.span()).unwrap_or("1.33").trim();
                    return Err((
                        vat,
                        format!("`kubernetes-version` must be a quoted string, not the number {raw}: quote it, kubernetes-version = \"{raw}\""),
                    ));
                }
                _ => {
                    return Err((
                        vat,
                        format!("`kubernetes-version` must be a quoted string like \"1.33\", not {}", shown(v)),
                    ))
                }
            },
            "schema-dirs" => string_list(key, v, "[\"schemas/crds\"]")?,
            "exclude" => string_list(key, v, "[\"vendor/**\"]")?,
            "fail-level" => match v.get_ref() {
                DeValue::String(s) if ["error", "warning", "info", "never"].contains(&s.as_ref()) => {}
                _ => {
                    return Err((
                        vat,
                        format!("`fail-level` must be one of {FAIL_LEVELS}, not {}", shown(v)),
                    ))
                }
            },
            "rules" => {
                let DeValue::Table(t) = v.get_ref() else {
                    return Err((
                        vat,
                        format!("`rules` must be a table of rule ids and levels, not {}: write [rules] and then lines like `node-name-pinned = \"off\"` ({LEVELS})", shown(v)),
                    ));
                };
                for (id, level) in t.iter() {
                    let id_s = id.get_ref().as_ref();
                    if RuleId::parse(id_s).is_none() {
                        return Err((Some(id.span().start), unknown_rule(id_s)));
                    }
                    match level.get_ref() {
                        DeValue::String(l) if ["error", "warning", "info", "off"].contains(&l.as_ref()) => {}
                        DeValue::Table(_) => {
                            return Err((
                                Some(id.span().start),
                                format!("`rules.{id_s}` is a table, but a rule's level is a string: write `{id_s} = \"off\"` under [rules] (one of {LEVELS})"),
                            ))
                        }
                        _ => {
                            return Err((
                                Some(level.span().start),
                                format!("`{id_s}` in [rules] must be one of {LEVELS} (a quoted string), not {}", shown(level)),
                            ))
                        }
                    }
                }
            }
            "ignore" => {
                let DeValue::Array(tables) = v.get_ref() else {
                    return Err((
                        at,
                        format!("`ignore` must be a list of tables, not {}: write each as [[ignore]] with `rules = [...]` and any of paths, kinds, names, namespaces, containers", shown(v)),
                    ));
                };
                for table in tables {
                    tables_at.push(table.span());
                    let DeValue::Table(t) = table.get_ref() else {
                        return Err((
                            Some(table.span().start),
                            format!("each `ignore` entry must be a table (an [[ignore]] section), not {}", shown(table)),
                        ));
                    };
                    let mut has_rules = false;
                    for (ik, iv) in t.iter() {
                        let ik_s = ik.get_ref().as_ref();
                        if !IGNORE_KEYS.contains(&ik_s) {
                            return Err((
                                Some(ik.span().start),
                                format!(
                                    "unknown key `{ik_s}` in [[ignore]]{} (valid keys: rules, paths, kinds, names, namespaces, containers)",
                                    did_you_mean(ik_s, IGNORE_KEYS)
                                ),
                            ));
                        }
                        let example = match ik_s {
                            "rules" => "[\"host-namespace\"]",
                            "paths" => "[\"vendor/**\"]",
                            "kinds" => "[\"DaemonSet\"]",
                            "containers" => "[\"istio-proxy\"]",
                            _ => "[\"name\"]",
                        };
                        string_list(&format!("ignore.{ik_s}"), iv, example)?;
                        if ik_s == "rules" {
                            has_rules = true;
                            if matches!(iv.get_ref(), DeValue::Array(a) if a.is_empty()) {
                                return Err((
                                    Some(iv.span().start),
                                    "`rules` of an [[ignore]] table is empty: name the rule ids to silence, or [\"*\"] for all".into(),
                                ));
                            }
                        }
                    }
                    if !has_rules {
                        return Err((
                            Some(table.span().start),
                            "an [[ignore]] table needs `rules` (a list of rule ids, or [\"*\"])".into(),
                        ));
                    }
                }
            }
            other => {
                return Err((
                    at,
                    format!(
                        "unknown key `{other}`{} (valid keys: kubernetes-version, schema-dirs, exclude, fail-level, [rules], [[ignore]])",
                        did_you_mean(other, TOP_KEYS)
                    ),
                ))
            }
        }
    }
    Ok(tables_at)
}

/// `; did you mean `x`?` for a close name, or nothing.
fn did_you_mean(name: &str, valid: &[&str]) -> String {
    match crate::suggest::suggest(name, valid.iter().copied()) {
        Some(s) => format!(": did you mean `{s}`?"),
        None => String::new(),
    }
}

fn unknown_rule(id: &str) -> String {
    format!(
        "{} (`kubevet rules` lists them all)",
        RuleId::unknown(id, "")
    )
}

/// The JSON Schema of the configuration file, for editors: `[rules]` lists every rule id
/// (with its summary and the level enum) so that editors complete them, and the rules of an
/// `[[ignore]]` table are rule ids or `"*"`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut v = serde_json::to_value(&schema).unwrap_or_default();
    let all = rules::all();
    let ids: Vec<serde_json::Value> = all.iter().map(|m| m.id.into()).collect();
    let properties: serde_json::Map<String, serde_json::Value> = all
        .iter()
        .map(|m| {
            (
                m.id.to_string(),
                serde_json::json!({
                    "description": format!("{} (default: {})", m.summary(), m.severity),
                    "$ref": "#/$defs/RuleLevel",
                }),
            )
        })
        .collect();
    if let Some(r) = v.pointer_mut("/properties/rules") {
        r["properties"] = serde_json::Value::Object(properties);
        r["additionalProperties"] = false.into();
    }
    if let Some(items) = v.pointer_mut("/$defs/IgnoreEntry/properties/rules/items") {
        let mut choices = ids;
        choices.push("*".into());
        items["enum"] = serde_json::Value::Array(choices);
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
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

    /// The line and message of the error for `text`.
    fn error(text: &str) -> (usize, usize, String) {
        let (at, msg) = parse(text).expect_err("invalid");
        let (l, c) = line_col(text, at.expect("an offset"));
        (l, c, msg)
    }

    #[test]
    fn errors_name_the_place_and_the_choices() {
        let (l, _, msg) = error("kubernetes-version = \"1.33\"\nexcludes = []\n");
        assert_eq!(l, 2);
        assert!(
            msg.contains("`excludes`")
                && msg.contains("did you mean `exclude`")
                && msg.contains("valid keys"),
            "{msg}"
        );

        let (l, _, msg) = error("[rules]\nhost-namespaces = \"off\"\n");
        assert_eq!(l, 2);
        assert!(msg.contains("did you mean `host-namespace`"), "{msg}");

        let (l, c, msg) = error("[rules]\nhost-namespace = \"loud\"\n");
        assert_eq!((l, c), (2, 18));
        assert!(
            msg.contains("`host-namespace`") && msg.contains("\"loud\"") && msg.contains("\"off\""),
            "{msg}"
        );

        assert!(parse("kubernetes-version = \"two\"\n").is_err());
    }

    #[test]
    fn the_schema_lists_every_rule() {
        let v: serde_json::Value = serde_json::from_str(&json_schema()).expect("JSON");
        let props = v
            .pointer("/properties/rules/properties")
            .and_then(|p| p.as_object())
            .expect("rule properties");
        assert_eq!(props.len(), rules::all().len());
        assert_eq!(
            props["host-namespace"]["$ref"],
            serde_json::json!("#/$defs/RuleLevel")
        );
        assert_eq!(
            v.pointer("/$defs/RuleLevel/enum"),
            Some(&serde_json::json!(["error", "warning", "info", "off"]))
        );
        assert_eq!(
            v.pointer("/properties/rules/additionalProperties"),
            Some(&serde_json::json!(false))
        );
        let ignore_rules = v
            .pointer("/$defs/IgnoreEntry/properties/rules/items/enum")
            .and_then(|e| e.as_array())
            .expect("enum");
        assert!(ignore_rules.contains(&serde_json::json!("*")));
        assert!(ignore_rules.contains(&serde_json::json!("unused-ignore")));
    }

    #[test]
    fn a_level_that_is_not_a_string() {
        let (l, c, msg) = error("[rules]\nhost-namespace = true\n");
        assert_eq!((l, c), (2, 18));
        assert!(
            msg.contains("`host-namespace` in [rules]")
                && msg.contains("\"error\", \"warning\", \"info\" or \"off\"")
                && msg.contains("`true`"),
            "{msg}"
        );
    }

    #[test]
    fn a_rule_written_as_a_table() {
        let (l, _, msg) = error("[rules.host-namespace]\nlevel = \"off\"\n");
        assert_eq!(l, 1);
        assert!(
            msg.contains("`rules.host-namespace` is a table")
                && msg.contains("host-namespace = \"off\"")
                && msg.contains("\"info\""),
            "{msg}"
        );
        // An unknown id is reported as such.
        let (_, _, msg) = error("[rules.x]\n");
        assert!(msg.contains("unknown rule `x`"), "{msg}");
    }

    #[test]
    fn a_version_written_as_a_number_is_to_be_quoted() {
        let (l, c, msg) = error("kubernetes-version = 1.33\n");
        assert_eq!((l, c), (1, 22));
        assert!(
            msg.contains("`kubernetes-version`")
                && msg.contains("quote it")
                && msg.contains("\"1.33\""),
            "{msg}"
        );
    }

    #[test]
    fn fail_level_lists_its_choices() {
        for text in [
            "fail-level = \"bad\"\n",
            "fail-level = 3\n",
            "fail-level = \"off\"\n",
        ] {
            let (l, c, msg) = error(text);
            assert_eq!((l, c), (1, 14), "{text}");
            assert!(
                msg.contains("`fail-level`")
                    && msg.contains("\"error\", \"warning\", \"info\" or \"never\""),
                "{msg}"
            );
        }
    }

    #[test]
    fn lists_and_ignore_tables() {
        let (l, _, msg) = error("exclude = \"vendor/**\"\n");
        assert_eq!(l, 1);
        assert!(
            msg.contains("`exclude` must be a list") && msg.contains("[\"vendor/**\"]"),
            "{msg}"
        );
        let (l, _, msg) = error("[[ignore]]\nrules = \"host-namespace\"\n");
        assert_eq!(l, 2);
        assert!(msg.contains("`ignore.rules` must be a list"), "{msg}");
        let (l, _, msg) = error("[[ignore]]\nrules = [\"host-namespace\"]\npath = [\"x\"]\n");
        assert_eq!(l, 3);
        assert!(
            msg.contains("unknown key `path` in [[ignore]]")
                && msg.contains("did you mean `paths`"),
            "{msg}"
        );
        let (_, _, msg) = error("[ignore]\nrules = [\"host-namespace\"]\n");
        assert!(msg.contains("[[ignore]]"), "{msg}");
        let (l, _, msg) = error("[[ignore]]\nkinds = [\"Pod\"]\n");
        assert_eq!(l, 1);
        assert!(msg.contains("needs `rules`"), "{msg}");
        let (l, _, msg) = error("schema-dirs = [\"a\", 3]\n");
        assert_eq!(l, 1);
        assert!(
            msg.contains("each entry must be a quoted string") && msg.contains("`3`"),
            "{msg}"
        );
    }
}
