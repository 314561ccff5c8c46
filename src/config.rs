//! `kubevet.toml` / `.kubevet.toml`: found by walking up from the working directory (stopping
//! at the repository root), or named with `--config`. Command-line flags override it.
//!
//! ```toml
//! kubernetes-version = "1.33"
//! schema-dirs = ["schemas/crds"]
//! exclude = ["vendor/**"]
//! fail-level = "error"
//!
//! [limits]
//! max-file-size = 104857600
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

use crate::rules::{self, RuleId, Severity};
use crate::source::limits;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File names looked for, in order, in each directory.
pub const FILE_NAMES: [&str; 2] = ["kubevet.toml", ".kubevet.toml"];

/// The word for "no level" in `[rules]`: the rule is off.
pub const RULE_OFF: &str = "off";
/// The word for "no level" in `fail-level`: the run never fails.
pub const FAIL_NEVER: &str = "never";

/// A level as the file (or the command line) writes it: a [`Severity`], or `none` (`"off"`
/// for a rule, `"never"` for the fail level) for no level at all. `None` when the name is
/// neither.
pub fn parse_level(name: &str, none: &str) -> Option<Option<Severity>> {
    if name == none {
        return Some(None);
    }
    Severity::parse(name).map(Some)
}

/// The names [`parse_level`] accepts, most severe first.
pub fn level_names(none: &'static str) -> [&'static str; 4] {
    [
        Severity::Error.as_str(),
        Severity::Warning.as_str(),
        Severity::Info.as_str(),
        none,
    ]
}

/// `"error", "warning", "info" or "<none>"`.
fn level_choices(none: &'static str) -> String {
    let [a, b, c, d] = level_names(none);
    format!("\"{a}\", \"{b}\", \"{c}\" or \"{d}\"")
}

fn rule_levels<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Option<Severity>>, D::Error> {
    let names = BTreeMap::<String, String>::deserialize(d)?;
    names
        .into_iter()
        .map(|(id, name)| match parse_level(&name, RULE_OFF) {
            Some(level) => Ok((id, level)),
            None => Err(serde::de::Error::custom(format!(
                "`{id}` in [rules] must be one of {}, not `{name}`",
                level_choices(RULE_OFF)
            ))),
        })
        .collect()
}

fn fail_level<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Severity>>, D::Error> {
    let name = String::deserialize(d)?;
    match parse_level(&name, FAIL_NEVER) {
        Some(level) => Ok(Some(level)),
        None => Err(serde::de::Error::custom(format!(
            "`fail-level` must be one of {}, not `{name}`",
            level_choices(FAIL_NEVER)
        ))),
    }
}

/// The JSON Schema of a level: one of the names [`parse_level`] accepts.
fn level_schema(none: &'static str) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": level_names(none) })
}

fn rules_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Rule id -> \"error\" | \"warning\" | \"info\" | \"off\".",
        "type": "object",
        "additionalProperties": { "$ref": "#/$defs/RuleLevel" },
    })
}

fn fail_level_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut s = level_schema(FAIL_NEVER);
    s.insert(
        "description".into(),
        "Exit with 1 when a finding is at or above this level.".into(),
    );
    s
}

/// The `[limits]` table: every safety limit, each also a `--max-*` flag (which wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsTable {
    /// Largest file read, in bytes (default 52428800, 50 MiB); a larger file is an `io`
    /// finding. Bounds the memory one file takes.
    #[schemars(range(min = 1))]
    pub max_file_size: Option<u64>,
    /// Most documents in one file (default 500000). Bounds the work on a stream of empty
    /// documents.
    #[schemars(range(min = 1))]
    pub max_documents: Option<usize>,
    /// Deepest nesting of mappings and sequences (default 256, at most 1000). Bounds the
    /// recursion over a tree.
    #[schemars(range(min = 1, max = 1000))]
    pub max_depth: Option<usize>,
    /// Most nodes one file may expand to, aliases included (default 5000000). Bounds what
    /// an alias bomb costs.
    #[schemars(range(min = 1))]
    pub max_nodes: Option<usize>,
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
    /// The Pod Security Standards level manifests are held to (default "baseline"); a
    /// Namespace in the checked set with a `pod-security.kubernetes.io/enforce` label sets its
    /// own for its objects.
    pub pod_security: Option<PodSecurityLevel>,
    /// Directories with schemas for custom resources (kubeconform layout), relative to this file.
    #[serde(default)]
    pub schema_dirs: Vec<PathBuf>,
    /// CustomResourceDefinition files or directories, relative to this file: their custom
    /// resources are validated against them.
    #[serde(default)]
    pub crds: Vec<PathBuf>,
    /// Globs of paths to leave out, relative to this file.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Exit with 1 when a finding is at or above this level; "never" never fails (read as
    /// no severity).
    #[serde(default, deserialize_with = "fail_level")]
    #[schemars(schema_with = "fail_level_schema")]
    pub fail_level: Option<Option<Severity>>,
    /// When to render Kustomize roots: "auto" (when kustomize or kubectl is on PATH), "render"
    /// or "off".
    pub kustomize: Option<crate::kustomize::Mode>,
    /// Safety limits for hostile input.
    #[serde(default)]
    pub limits: LimitsTable,
    /// Rule id -> "error" | "warning" | "info" | "off" ("off" is read as no severity).
    #[serde(default, deserialize_with = "rule_levels")]
    #[schemars(schema_with = "rules_schema")]
    pub rules: BTreeMap<String, Option<Severity>>,
    /// Findings to silence where the manifests cannot be annotated.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
}

/// A Pod Security Standards level, as the configuration names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PodSecurityLevel {
    /// No Pod Security rule reports.
    Privileged,
    /// Known privilege escalations are reported.
    Baseline,
    /// Current pod hardening practice; includes baseline.
    Restricted,
}

impl PodSecurityLevel {
    /// The engine's level.
    pub fn level(self) -> crate::pss::Level {
        match self {
            PodSecurityLevel::Privileged => crate::pss::Level::Privileged,
            PodSecurityLevel::Baseline => crate::pss::Level::Baseline,
            PodSecurityLevel::Restricted => crate::pss::Level::Restricted,
        }
    }
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
    let mut config = parse(&text).map_err(|e| match e.span {
        Some(span) => {
            let (l, c) = line_col(&text, span.start);
            format!("{}:{l}:{c}: {}", path.display(), e.message)
        }
        None => format!("{}: {}", path.display(), e.message),
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
    "pod-security",
    "schema-dirs",
    "crds",
    "exclude",
    "fail-level",
    "kustomize",
    "limits",
    "rules",
    "ignore",
];
/// The keys of the `[limits]` table.
const LIMIT_KEYS: &[&str] = &["max-file-size", "max-documents", "max-depth", "max-nodes"];
/// The keys of an `[[ignore]]` table.
const IGNORE_KEYS: &[&str] = &[
    "rules",
    "paths",
    "kinds",
    "names",
    "namespaces",
    "containers",
];

/// A configuration error: the exact byte span of the offending key or value (when known) and
/// what is wrong, naming the key and its valid choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

impl ConfigError {
    fn at(span: std::ops::Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            span: Some(span),
            message: message.into(),
        }
    }
}

/// Parse configuration text; errors carry the span of the key or value at fault, and name
/// the key and its valid choices.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let tables = validate(text)?;
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let mut message = e.message().to_string();
        if message.contains("unknown field") {
            message.push_str(" (valid keys: kubernetes-version, pod-security, schema-dirs, crds, exclude, fail-level, kustomize, [limits], [rules], [[ignore]]; in [[ignore]]: rules, paths, kinds, names, namespaces, containers)");
        }
        ConfigError {
            span: e.span(),
            message,
        }
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
    Ok(config)
}

/// Check the file key by key, so that each error names the key, what it holds and what it
/// may hold, at the exact span of the key or value at fault. Returns the span of each
/// `[[ignore]]` table, in order.
fn validate(text: &str) -> Result<Vec<std::ops::Range<usize>>, ConfigError> {
    use toml::de::{DeTable, DeValue};
    type Value<'a> = toml::Spanned<DeValue<'a>>;
    let mut tables_at = Vec::new();
    let doc = DeTable::parse(text).map_err(|e| ConfigError {
        span: e.span(),
        message: e.message().to_string(),
    })?;
    let shown = |v: &Value| -> String {
        match v.get_ref() {
            DeValue::Table(_) => "a table".into(),
            DeValue::Array(_) => "a list".into(),
            _ => format!("`{}`", text.get(v.span()).unwrap_or("?").trim()),
        }
    };
    // A list of quoted strings; `each` checks every string.
    let string_list = |key: &str,
                       v: &Value,
                       example: &str,
                       each: &dyn Fn(&str) -> Result<(), String>|
     -> Result<(), ConfigError> {
        let DeValue::Array(items) = v.get_ref() else {
            return Err(ConfigError::at(
                v.span(),
                format!(
                    "`{key}` must be a list of quoted strings, not {}, e.g. {key} = {example}",
                    shown(v)
                ),
            ));
        };
        for item in items {
            let DeValue::String(s) = item.get_ref() else {
                return Err(ConfigError::at(
                    item.span(),
                    format!("`{key}`: each entry must be a quoted string, not {}, e.g. {key} = {example}", shown(item)),
                ));
            };
            each(s).map_err(|msg| ConfigError::at(item.span(), msg))?;
        }
        Ok(())
    };
    let glob = |key: &'static str| {
        move |g: &str| -> Result<(), String> {
            globset::Glob::new(g)
                .map(drop)
                .map_err(|e| format!("invalid glob `{g}` in {key}: {}", e.kind()))
        }
    };
    let any = |_: &str| Ok(());
    for (k, v) in doc.get_ref().iter() {
        let key = k.get_ref().as_ref();
        match key {
            "kubernetes-version" => match v.get_ref() {
                DeValue::String(version) => {
                    if crate::schema::parse_version(version).is_none() {
                        return Err(ConfigError::at(
                            v.span(),
                            format!("`kubernetes-version`: invalid version `{version}`: write X.Y as a quoted string, e.g. kubernetes-version = \"1.33\""),
                        ));
                    }
                }
                DeValue::Float(_) | DeValue::Integer(_) => {
                    let raw = text.get(v.span()).unwrap_or("1.33").trim();
                    return Err(ConfigError::at(
                        v.span(),
                        format!("`kubernetes-version` must be a quoted string, not the number {raw}: quote it, kubernetes-version = \"{raw}\""),
                    ));
                }
                _ => {
                    return Err(ConfigError::at(
                        v.span(),
                        format!("`kubernetes-version` must be a quoted string like \"1.33\", not {}", shown(v)),
                    ))
                }
            },
            "pod-security" => match v.get_ref() {
                DeValue::String(s) if crate::pss::Level::parse(s).is_ok() => {}
                _ => {
                    return Err(ConfigError::at(
                        v.span(),
                        format!(
                            "`pod-security` must be one of \"privileged\", \"baseline\", \"restricted\", not {}",
                            shown(v)
                        ),
                    ))
                }
            },
            "schema-dirs" => string_list(key, v, "[\"schemas/crds\"]", &any)?,
            "crds" => string_list(key, v, "[\"config/crd\"]", &any)?,
            "exclude" => string_list(key, v, "[\"vendor/**\"]", &glob("`exclude`"))?,
            "fail-level" => match v.get_ref() {
                DeValue::String(s) if parse_level(s, FAIL_NEVER).is_some() => {}
                _ => {
                    return Err(ConfigError::at(
                        v.span(),
                        format!(
                            "`fail-level` must be one of {}, not {}",
                            level_choices(FAIL_NEVER),
                            shown(v)
                        ),
                    ))
                }
            },
            "kustomize" => match v.get_ref() {
                DeValue::String(m) if ["auto", "render", "off"].contains(&m.as_ref()) => {}
                _ => {
                    return Err(ConfigError::at(
                        v.span(),
                        format!(
                            "`kustomize` must be one of \"auto\", \"render\", \"off\", not {}",
                            shown(v)
                        ),
                    ))
                }
            },
            "limits" => {
                let DeValue::Table(t) = v.get_ref() else {
                    return Err(ConfigError::at(
                        v.span(),
                        format!("`limits` must be a table, not {}: write [limits] and then lines like `max-file-size = 104857600` (keys: {})", shown(v), LIMIT_KEYS.join(", ")),
                    ));
                };
                for (lk, lv) in t.iter() {
                    let lk_s = lk.get_ref().as_ref();
                    if !LIMIT_KEYS.contains(&lk_s) {
                        return Err(ConfigError::at(
                            lk.span(),
                            format!(
                                "unknown key `{lk_s}` in [limits]{} (valid keys: {})",
                                did_you_mean(lk_s, LIMIT_KEYS),
                                LIMIT_KEYS.join(", ")
                            ),
                        ));
                    }
                    let max = if lk_s == "max-depth" {
                        limits::MAX_DEPTH_CEILING as i128
                    } else {
                        i64::MAX as i128
                    };
                    let n = match lv.get_ref() {
                        DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix()).ok(),
                        _ => None,
                    };
                    if !n.is_some_and(|n| (1..=max).contains(&n)) {
                        let range = if lk_s == "max-depth" {
                            format!("from 1 to {}", limits::MAX_DEPTH_CEILING)
                        } else {
                            "of at least 1".into()
                        };
                        return Err(ConfigError::at(
                            lv.span(),
                            format!("`{lk_s}` in [limits] must be a whole number {range}, not {}", shown(lv)),
                        ));
                    }
                }
            }
            "rules" => {
                let DeValue::Table(t) = v.get_ref() else {
                    return Err(ConfigError::at(
                        v.span(),
                        format!("`rules` must be a table of rule ids and levels, not {}: write [rules] and then lines like `node-name-pinned = \"off\"` ({})", shown(v), level_choices(RULE_OFF)),
                    ));
                };
                for (id, level) in t.iter() {
                    let id_s = id.get_ref().as_ref();
                    if RuleId::parse(id_s).is_none() {
                        return Err(ConfigError::at(id.span(), unknown_rule(id_s)));
                    }
                    match level.get_ref() {
                        DeValue::String(l) if parse_level(l, RULE_OFF).is_some() => {}
                        DeValue::Table(_) => {
                            return Err(ConfigError::at(
                                id.span(),
                                format!("`rules.{id_s}` is a table, but a rule's level is a string: write `{id_s} = \"off\"` under [rules] (one of {})", level_choices(RULE_OFF)),
                            ))
                        }
                        _ => {
                            return Err(ConfigError::at(
                                level.span(),
                                format!("`{id_s}` in [rules] must be one of {} (a quoted string), not {}", level_choices(RULE_OFF), shown(level)),
                            ))
                        }
                    }
                }
            }
            "ignore" => {
                let DeValue::Array(tables) = v.get_ref() else {
                    return Err(ConfigError::at(
                        k.span(),
                        format!("`ignore` must be a list of tables, not {}: write each as [[ignore]] with `rules = [...]` and any of paths, kinds, names, namespaces, containers", shown(v)),
                    ));
                };
                for table in tables {
                    tables_at.push(table.span());
                    let DeValue::Table(t) = table.get_ref() else {
                        return Err(ConfigError::at(
                            table.span(),
                            format!("each `ignore` entry must be a table (an [[ignore]] section), not {}", shown(table)),
                        ));
                    };
                    let mut has_rules = false;
                    for (ik, iv) in t.iter() {
                        let ik_s = ik.get_ref().as_ref();
                        if !IGNORE_KEYS.contains(&ik_s) {
                            return Err(ConfigError::at(
                                ik.span(),
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
                        let rule_id = |id: &str| -> Result<(), String> {
                            if id == "*" || RuleId::parse(id).is_some() {
                                Ok(())
                            } else {
                                Err(unknown_rule(id))
                            }
                        };
                        let each: &dyn Fn(&str) -> Result<(), String> = match ik_s {
                            "rules" => &rule_id,
                            "paths" => &glob("`paths` of [[ignore]]"),
                            _ => &any,
                        };
                        string_list(&format!("ignore.{ik_s}"), iv, example, each)?;
                        if ik_s == "rules" {
                            has_rules = true;
                            if matches!(iv.get_ref(), DeValue::Array(a) if a.is_empty()) {
                                return Err(ConfigError::at(
                                    iv.span(),
                                    "`rules` of an [[ignore]] table is empty: name the rule ids to silence, or [\"*\"] for all",
                                ));
                            }
                        }
                    }
                    if !has_rules {
                        return Err(ConfigError::at(
                            table.span(),
                            "an [[ignore]] table needs `rules` (a list of rule ids, or [\"*\"])",
                        ));
                    }
                }
            }
            other => {
                return Err(ConfigError::at(
                    k.span(),
                    format!(
                        "unknown key `{other}`{} (valid keys: kubernetes-version, pod-security, schema-dirs, crds, exclude, fail-level, kustomize, [limits], [rules], [[ignore]])",
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
    v["$defs"]["RuleLevel"] = serde_json::json!({
        "description": "A rule's level; \"off\" turns the rule off.",
        "type": "string",
        "enum": level_names(RULE_OFF),
    });
    if let Some(items) = v.pointer_mut("/$defs/IgnoreEntry/properties/rules/items") {
        let mut choices = ids;
        choices.push("*".into());
        items["enum"] = serde_json::Value::Array(choices);
    }
    // Keys sorted: the committed file does not depend on the order they were inserted in.
    v.sort_all_objects();
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pointer::AtPointer;

    #[test]
    fn parses_a_full_config() {
        let c = parse(
            "kubernetes-version = \"1.33\"\nschema-dirs = [\"crds\"]\nexclude = [\"vendor/**\"]\nfail-level = \"error\"\n[rules]\nnode-name-pinned = \"off\"\n[[ignore]]\nrules = [\"host-namespace\"]\nkinds = [\"DaemonSet\"]\ncontainers = [\"agent\"]\n",
        )
        .expect("valid");
        assert_eq!(c.rules["node-name-pinned"], None);
        assert_eq!(c.ignore[0].containers, vec!["agent"]);
        assert_eq!(c.fail_level, Some(Some(Severity::Error)));
    }

    /// The line and message of the error for `text`.
    fn error(text: &str) -> (usize, usize, String) {
        let e = parse(text).expect_err("invalid");
        let (l, c) = line_col(text, e.span.expect("a span").start);
        (l, c, e.message)
    }

    /// The text the error's span covers.
    fn culprit(text: &str) -> String {
        let e = parse(text).expect_err("invalid");
        text[e.span.expect("a span")].to_string()
    }

    #[test]
    fn a_bad_version_is_found_at_its_value_not_in_a_comment() {
        let text =
            "# kubernetes-version = \"1.x\" was the old value\nkubernetes-version = \"1.x\"\n";
        let (l, c, msg) = error(text);
        assert_eq!((l, c), (2, 22), "{msg}");
        assert_eq!(culprit(text), "\"1.x\"");
        assert!(msg.contains("invalid version `1.x`"), "{msg}");
    }

    #[test]
    fn bad_entries_of_lists_are_found_where_they_are_written() {
        // The same text earlier in the file (a comment, another key) is not the culprit.
        let text = "# rules = [\"no-such-rule\"]\nexclude = [\"no-such-rule\"]\n[[ignore]]\nrules = [\"host-namespace\", \"no-such-rule\"]\n";
        let (l, c, msg) = error(text);
        assert_eq!((l, c), (4, 28), "{msg}");
        assert!(msg.contains("unknown rule `no-such-rule`"), "{msg}");
        let text = "# exclude = [\"a[\"]\nexclude = [\"ok\", \"a[\"]\n";
        let (l, c, msg) = error(text);
        assert_eq!((l, c), (2, 18), "{msg}");
        assert_eq!(culprit(text), "\"a[\"");
        assert!(msg.contains("invalid glob `a[` in `exclude`"), "{msg}");
        let text = "[[ignore]]\nrules = [\"*\"]\npaths = [\"{x\"]\n";
        let (l, c, msg) = error(text);
        assert_eq!((l, c), (3, 10), "{msg}");
        assert!(msg.contains("in `paths` of [[ignore]]:"), "{msg}");
    }

    #[test]
    fn the_limits_table() {
        let c = parse("[limits]\nmax-file-size = 1024\nmax-documents = 0x10\nmax-depth = 1000\nmax-nodes = 5_000\n")
            .expect("valid");
        assert_eq!(
            c.limits,
            LimitsTable {
                max_file_size: Some(1024),
                max_documents: Some(16),
                max_depth: Some(1000),
                max_nodes: Some(5000),
            }
        );
        assert_eq!(parse("").expect("valid").limits, LimitsTable::default());
        // (text, line, column, what the message says)
        let cases = [
            (
                "[limits]\nmax-size = 1\n",
                2,
                1,
                "unknown key `max-size` in [limits]",
            ),
            ("[limits]\nmax-nodes = 0\n", 2, 13, "at least 1, not `0`"),
            ("[limits]\nmax-nodes = -5\n", 2, 13, "at least 1"),
            (
                "[limits]\nmax-file-size = \"50MB\"\n",
                2,
                17,
                "whole number",
            ),
            ("[limits]\nmax-file-size = 1.5\n", 2, 17, "whole number"),
            ("[limits]\nmax-depth = 1001\n", 2, 13, "from 1 to 1000"),
            ("[limits]\nmax-depth = 0\n", 2, 13, "from 1 to 1000"),
            ("limits = 5\n", 1, 10, "`limits` must be a table"),
            ("[limits]\nmax-nodes = 99999999999999999999\n", 2, 13, ""),
        ];
        for (text, line, col, says) in cases {
            let (l, c, msg) = error(text);
            assert_eq!((l, c), (line, col), "{text}: {msg}");
            assert!(msg.contains(says), "{text}: {msg}");
        }
        let (_, _, msg) = error("[limits]\nmax-document = 5\n");
        assert!(msg.contains("did you mean `max-documents`"), "{msg}");
    }

    #[test]
    fn levels_are_severities_or_none() {
        for (name, none, want) in [
            ("error", RULE_OFF, Some(Some(Severity::Error))),
            ("warning", RULE_OFF, Some(Some(Severity::Warning))),
            ("info", FAIL_NEVER, Some(Some(Severity::Info))),
            ("off", RULE_OFF, Some(None)),
            ("never", FAIL_NEVER, Some(None)),
            ("never", RULE_OFF, None),
            ("off", FAIL_NEVER, None),
            ("Error", RULE_OFF, None),
            ("", RULE_OFF, None),
        ] {
            assert_eq!(parse_level(name, none), want, "{name} / {none}");
        }
        let c =
            parse("fail-level = \"never\"\n[rules]\nhost-namespace = \"info\"\n").expect("valid");
        assert_eq!(c.fail_level, Some(None));
        assert_eq!(c.rules["host-namespace"], Some(Severity::Info));
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

        let (l, c, _) = error("kubernetes-version = \"two\"\n");
        assert_eq!((l, c), (1, 22));
    }

    #[test]
    fn the_schema_lists_every_rule() {
        let v: serde_json::Value = serde_json::from_str(&json_schema()).expect("JSON");
        let props = v
            .at_pointer("/properties/rules/properties")
            .and_then(|p| p.as_object())
            .expect("rule properties");
        assert_eq!(props.len(), rules::all().len());
        assert_eq!(
            props["host-namespace"]["$ref"],
            serde_json::json!("#/$defs/RuleLevel")
        );
        assert_eq!(
            v.at_pointer("/$defs/RuleLevel/enum"),
            Some(&serde_json::json!(["error", "warning", "info", "off"]))
        );
        assert_eq!(
            v.at_pointer("/properties/rules/additionalProperties"),
            Some(&serde_json::json!(false))
        );
        let ignore_rules = v
            .at_pointer("/$defs/IgnoreEntry/properties/rules/items/enum")
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
