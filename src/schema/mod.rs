//! Schema validation of objects against strict JSON Schemas, and the apiVersion lifecycle
//! checks. The built-in schemas (generated from `k8s-openapi`, see [`generate`]) are compiled
//! into the binary; `--schema-dir` adds schemas for custom resources in kubeconform's layout.
//! Each kind's validator is compiled once, on first use, and shared by every thread.

pub mod api_versions;
pub mod generate;
pub mod kinds;
mod messages;

pub use messages::{dotted, schema_at, suggest};

use crate::model::Object;
use crate::rules::{self, Finding, Target};
use api_versions::Status;
use jsonschema::Validator;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// The embedded definitions of every built-in kind.
static DEFINITIONS_TEXT: &str = include_str!("../../schemas/v1.37/_definitions.json");

/// The parsed embedded definitions document.
pub fn builtin_document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(DEFINITIONS_TEXT).unwrap_or(Value::Null))
}

/// Where the embedded definitions are registered for `$ref` resolution (never fetched).
const DEFINITIONS_URI: &str = "https://kubevet.invalid/schemas/v1.37/_definitions.json";

/// The embedded definitions, registered once so that each kind's validator refers to them
/// instead of carrying its own copy.
fn builtin_registry() -> Option<&'static jsonschema::Registry<'static>> {
    static REGISTRY: OnceLock<Option<jsonschema::Registry<'static>>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            jsonschema::Registry::new()
                .draft(jsonschema::Draft::Draft7)
                .add(DEFINITIONS_URI, builtin_document())
                .ok()?
                .prepare()
                .ok()
        })
        .as_ref()
}

/// A schema known to a run, compiled on first use.
struct Known {
    /// The document `$ref`s resolve in (with `definitions`).
    document: &'static Value,
    /// The kind's root schema inside `document`.
    root: Value,
    /// Where the schema came from, for messages.
    origin: String,
    /// For embedded kinds: the definition's name, resolved through the shared registry.
    builtin: Option<&'static str>,
    validator: OnceLock<Option<Validator>>,
}

impl Known {
    fn validator(&self) -> Option<&Validator> {
        self.validator
            .get_or_init(|| {
                if let Some(def) = self.builtin {
                    let registry = builtin_registry()?;
                    let schema = serde_json::json!({"$ref": format!("{DEFINITIONS_URI}#/definitions/{def}")});
                    return jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft7)
                        .should_validate_formats(false)
                        .with_registry(registry)
                        .build(&schema)
                        .ok();
                }
                let mut schema = self.root.clone();
                if let (Some(o), Some(defs)) =
                    (schema.as_object_mut(), self.document.get("definitions"))
                {
                    o.insert("definitions".into(), defs.clone());
                }
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft7)
                    .should_validate_formats(false)
                    .build(&schema)
                    .ok()
            })
            .as_ref()
    }
}

/// The schemas known to a run: the embedded ones, plus any from `--schema-dir`.
pub struct SchemaSet {
    /// Target Kubernetes minor version (1.x).
    minor: u32,
    /// (apiVersion, kind) -> schema.
    known: HashMap<(String, String), Known>,
    /// Schemas from `--schema-dir`, by lowercase file name.
    extra: HashMap<String, Known>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("minor", &self.minor)
            .field("kinds", &self.known.len())
            .field("extra", &self.extra.len())
            .finish()
    }
}

impl Default for SchemaSet {
    fn default() -> Self {
        Self::builtin(supported_minor())
    }
}

/// The minor version the embedded schemas describe.
pub fn supported_minor() -> u32 {
    parse_version(generate::VERSION).unwrap_or(37)
}

/// Parse `1.29`, `v1.29` or `1.29.3` into the minor version.
pub fn parse_version(s: &str) -> Option<u32> {
    let s = s.trim().trim_start_matches('v');
    let mut parts = s.split('.');
    if parts.next()? != "1" {
        return None;
    }
    let minor = parts.next()?.parse().ok()?;
    if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) {
        return None;
    }
    Some(minor)
}

impl SchemaSet {
    /// The embedded schemas, checking apiVersions against Kubernetes 1.`minor`.
    pub fn builtin(minor: u32) -> SchemaSet {
        let document = builtin_document();
        let mut known = HashMap::new();
        for k in kinds::KINDS {
            known.insert(
                (k.api_version.to_string(), k.kind.to_string()),
                Known {
                    document,
                    root: serde_json::json!({"$ref": format!("#/definitions/{}", k.definition)}),
                    origin: format!("Kubernetes {} schema", generate::VERSION),
                    builtin: Some(k.definition),
                    validator: OnceLock::new(),
                },
            );
        }
        SchemaSet {
            minor,
            known,
            extra: HashMap::new(),
        }
    }

    /// Add every `*.json` schema of a directory (kubeconform layout:
    /// `{kind}-{group}-{version}.json`, lowercase).
    pub fn add_dir(&mut self, dir: &Path) -> Result<usize, String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read schema directory {}: {e}", dir.display()))?;
        let mut n = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read schema {}: {e}", path.display()))?;
            let value: Value = serde_json::from_str(&text)
                .map_err(|e| format!("schema {} is not valid JSON: {e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            // Schema documents live as long as the run; leaking keeps `Known` simple.
            let document: &'static Value = Box::leak(Box::new(value.clone()));
            self.extra.insert(
                name,
                Known {
                    document,
                    root: value,
                    origin: path.display().to_string(),
                    builtin: None,
                    validator: OnceLock::new(),
                },
            );
            n += 1;
        }
        Ok(n)
    }

    /// The target Kubernetes minor version.
    pub fn minor(&self) -> u32 {
        self.minor
    }

    fn lookup(&self, api_version: &str, kind: &str) -> Option<&Known> {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        let kind_l = kind.to_lowercase();
        let mut candidates = Vec::with_capacity(3);
        if group.is_empty() {
            candidates.push(format!("{kind_l}-{version}.json"));
        } else {
            candidates.push(format!("{kind_l}-{}-{version}.json", group.to_lowercase()));
            let first = group.split('.').next().unwrap_or(group).to_lowercase();
            candidates.push(format!("{kind_l}-{first}-{version}.json"));
        }
        candidates
            .iter()
            .find_map(|c| self.extra.get(c))
            .or_else(|| self.known.get(&(api_version.to_string(), kind.to_string())))
    }

    /// The schema (and the document its refs resolve in) for an apiVersion/kind.
    pub fn schema_for(&self, api_version: &str, kind: &str) -> Option<(&'static Value, &Value)> {
        self.lookup(api_version, kind)
            .map(|k| (k.document, &k.root))
    }

    /// Validate one object, pushing `schema`, `missing-schema`, `removed-api-version` and
    /// `deprecated-api-version` findings.
    pub fn check(&self, object: &Object, out: &mut Vec<Finding>) {
        let (api_version, kind) = match (&object.api_version, &object.kind) {
            (Some(a), Some(k)) => (a.as_str(), k.as_str()),
            (Some(_), None) => {
                out.push(
                    Finding::new(
                        rules::SCHEMA.id,
                        "/apiVersion",
                        "`kind` is missing: every object needs both `apiVersion` and `kind`",
                    )
                    .at(Target::Key)
                    .help("add `kind:` naming the object's type, e.g. `kind: Deployment`"),
                );
                return;
            }
            (None, Some(_)) => {
                out.push(
                    Finding::new(rules::SCHEMA.id, "/kind", "`apiVersion` is missing: every object needs both `apiVersion` and `kind`")
                        .at(Target::Key)
                        .help("add `apiVersion:` with the group and version of this kind, e.g. `apiVersion: apps/v1`"),
                );
                return;
            }
            (None, None) => return,
        };
        let mut deprecated = false;
        match api_versions::status(api_version, kind, self.minor) {
            Status::Removed(l) => {
                out.push(
                    Finding::new(
                        rules::REMOVED_API_VERSION.id,
                        "/apiVersion",
                        format!(
                            "{kind} {api_version} is no longer served since Kubernetes 1.{} (deprecated in 1.{}); the target is 1.{}",
                            l.removed.unwrap_or(0),
                            l.deprecated,
                            self.minor
                        ),
                    )
                    .label("removed apiVersion")
                    .help(format!("use {} instead", l.replacement)),
                );
                return;
            }
            Status::Deprecated(l) => {
                deprecated = true;
                let when = match l.removed {
                    Some(r) => format!("and is removed in 1.{r}"),
                    None => "and may be removed in a future release".to_string(),
                };
                out.push(
                    Finding::new(
                        rules::DEPRECATED_API_VERSION.id,
                        "/apiVersion",
                        format!(
                            "{kind} {api_version} is deprecated since Kubernetes 1.{} {when}",
                            l.deprecated
                        ),
                    )
                    .label("deprecated apiVersion")
                    .help(format!("use {} instead", l.replacement)),
                );
            }
            Status::Served => {}
        }
        let Some(known) = self.lookup(api_version, kind) else {
            if !deprecated {
                out.push(
                    Finding::new(
                        rules::MISSING_SCHEMA.id,
                        "/kind",
                        format!("no schema is known for {kind} {api_version}; it was not validated"),
                    )
                    .help("for a custom resource, pass its schema with `--schema-dir DIR` (kubeconform layout: `{kind}-{group}-{version}.json`)"),
                );
            }
            return;
        };
        let Some(validator) = known.validator() else {
            out.push(
                Finding::new(
                    rules::MISSING_SCHEMA.id,
                    "/kind",
                    format!("the schema for {kind} {api_version} ({}) could not be compiled; the object was not validated", known.origin),
                )
                .help("check that the schema file is a valid JSON Schema"),
            );
            return;
        };
        let stripped;
        let instance = if has_null_in_object(&object.value) {
            stripped = strip_nulls(&object.value);
            &stripped
        } else {
            &object.value
        };
        if validator.is_valid(instance) {
            return;
        }
        let start = out.len();
        for error in validator.iter_errors(instance) {
            messages::push_finding(&error, instance, known.document, &known.root, out);
        }
        // One finding per place and message.
        let mut seen = std::collections::HashSet::new();
        let mut i = start;
        while i < out.len() {
            if seen.insert((out[i].pointer.clone(), out[i].message.clone())) {
                i += 1;
            } else {
                out.remove(i);
            }
        }
    }
}

/// Whether a mapping anywhere holds a `null` value.
fn has_null_in_object(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().any(|x| x.is_null() || has_null_in_object(x)),
        Value::Array(a) => a.iter().any(has_null_in_object),
        _ => false,
    }
}

/// The API server reads `field: null` as an absent field: drop such entries.
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), strip_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}
