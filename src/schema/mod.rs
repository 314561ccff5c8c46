//! Schema validation of objects against strict JSON Schemas, and the apiVersion lifecycle
//! checks. The built-in schemas of every supported Kubernetes version (generated from
//! `k8s-openapi`, see [`generate`]) are compiled into the binary as one compressed store
//! ([`builtin`]); the target version picks which of them validate. `--schema-dir` adds
//! schemas for custom resources in kubeconform's layout, whose files may `$ref` each other (a
//! shared `_definitions.json`). Each kind's validator is compiled once, on first use, and
//! shared by every thread.

pub mod api_versions;
pub mod builtin;
mod cel;
mod cel_lib;
#[doc(hidden)]
pub use cel::check_rule_on;
pub mod crd;
mod crd_structural;
pub mod enums;
mod formats;
pub mod generate;
pub mod kinds;
pub mod layout;
mod messages;
pub mod node_json;
pub mod store;
pub mod strict;

use crate::source::tree::has_null_field;
use crate::suggest::suggest;
pub use messages::{
    fill_value_source, is_about_absence_or_directive, merge_missing_siblings, schema_at,
    VALUE_SOURCE,
};

use crate::model::{JsonView, Object};
use crate::rules::{Finding, RuleId, Target};
use api_versions::Status;
use jsonschema::json::{Json, SerdeJson};
use jsonschema::Validator;
use messages::{Docs, Files};
use node_json::Tree;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The definitions document of the newest embedded version, every definition parsed
/// (`Null` if it cannot be read).
pub fn builtin_document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        builtin::version(builtin::NEWEST)
            .and_then(builtin::Version::whole_document)
            .unwrap_or(Value::Null)
    })
}

/// How a known schema is compiled.
enum Compile {
    /// A schema over the definitions of an embedded version (a built-in kind's `$ref`, or
    /// PodPreset, which Kubernetes no longer has), its `$ref`s made absolute so that they
    /// resolve in the version's registry.
    Builtin {
        schema: Value,
        version: &'static builtin::Version,
    },
    /// A file of a `--schema-dir`: its URI in the directory's registry.
    File { uri: String, dir: Arc<SchemaDir> },
    /// A self-contained schema (kubeadm and component configuration models).
    SelfContained(Arc<Value>),
    /// A file that cannot be used, and why.
    Broken(String),
}

/// The files of one `--schema-dir`, registered together so that their `$ref`s resolve.
struct SchemaDir {
    registry: Result<jsonschema::Registry<'static>, String>,
}

/// A schema known to a run, compiled on first use.
struct Known {
    /// Where the `$ref`s of `root` resolve, for messages: for a built-in schema, the
    /// definitions it reaches, read when it is compiled.
    document: OnceLock<Arc<Value>>,
    files: Option<Arc<Files>>,
    /// The kind's root schema.
    root: Arc<Value>,
    /// Where the schema came from, for messages.
    origin: String,
    compile: Compile,
    validator: OnceLock<Result<Validator, String>>,
    tree_validator: OnceLock<Result<Validator<Tree>, String>>,
}

impl Known {
    fn docs(&self) -> Docs<'_> {
        static NULL: Value = Value::Null;
        Docs {
            document: self.document.get().map_or(&NULL, |d| d.as_ref()),
            files: self.files.as_deref(),
        }
    }

    /// A known schema whose document is at hand.
    fn ready(document: Arc<Value>) -> OnceLock<Arc<Value>> {
        OnceLock::from(document)
    }

    /// The validator for JSON values (custom resources after defaulting, and objects whose
    /// tree repeats a key).
    fn validator(&self) -> Result<&Validator, &str> {
        self.validator
            .get_or_init(|| self.build::<SerdeJson>())
            .as_ref()
            .map_err(String::as_str)
    }

    /// The validator for spanned trees ([`node_json`]): the same schema, compiled to read
    /// an object's tree instead of its JSON value.
    fn tree_validator(&self) -> Result<&Validator<Tree>, &str> {
        self.tree_validator
            .get_or_init(|| self.build::<Tree>())
            .as_ref()
            .map_err(String::as_str)
    }

    /// Check `object` against the schema: through its tree when that reads as its value
    /// does. `Err` when the schema cannot be compiled.
    fn check(&self, object: &Object, out: &mut Vec<Finding>) -> Result<bool, &str> {
        if !object.plain {
            let v = self.validator()?;
            return Ok(validate_nulls(
                v,
                self,
                object.value(),
                object.null_field,
                out,
            ));
        }
        let v = self.tree_validator()?;
        if cfg!(debug_assertions) {
            // Debug builds (the tests) check that the tree reads as the JSON value does.
            let mut through_value = Vec::new();
            let mut through_tree = Vec::new();
            let value_verdict = validate_nulls(
                self.validator()?,
                self,
                &object.node.to_json(),
                object.null_field,
                &mut through_value,
            );
            let tree_verdict = self.check_tree(v, object, &mut through_tree);
            assert_eq!(value_verdict, tree_verdict, "{:?}", object.node);
            assert_eq!(through_value, through_tree);
        }
        Ok(self.check_tree(v, object, out))
    }

    /// [`Known::check`] through the tree.
    fn check_tree(&self, v: &Validator<Tree>, object: &Object, out: &mut Vec<Finding>) -> bool {
        let as_value = || {
            if object.null_field {
                Cow::Owned(node_json::to_json(object.node))
            } else {
                Cow::Borrowed(object.value())
            }
        };
        validate_in(v, self, object.node, as_value, out)
    }

    /// Compile the schema for the representation `F`.
    fn build<F: Json>(&self) -> Result<Validator<F>, String> {
        let options = || {
            jsonschema::options_for::<F>()
                .with_draft(jsonschema::Draft::Draft7)
                .should_validate_formats(false)
        };
        match &self.compile {
            Compile::Builtin { schema, version } => {
                let document = match self.document.get() {
                    Some(d) => Arc::clone(d),
                    None => {
                        let d = Arc::new(version.document_for(&self.root)?);
                        let _ = self.document.set(Arc::clone(&d));
                        d
                    }
                };
                let registry = version.registry(document)?;
                options()
                    .with_registry(&registry)
                    .build(schema)
                    .map_err(|e| e.to_string())
            }
            Compile::File { uri, dir } => {
                let registry = dir.registry.as_ref().map_err(Clone::clone)?;
                // Custom resource schemas use `format`, and the API server checks it.
                options()
                    .should_validate_formats(true)
                    .with_registry(registry)
                    .build(&json!({ "$ref": uri }))
                    .map_err(|e| e.to_string())
            }
            Compile::SelfContained(schema) => options().build(schema).map_err(|e| e.to_string()),
            Compile::Broken(why) => Err(why.clone()),
        }
    }
}

/// Built-in schemas by (apiVersion, kind), or why the embedded version cannot be read.
type Builtins = Result<ByIdentity<Known>, String>;

/// Values by (apiVersion, kind), looked up with borrowed strings: every object checked does
/// one lookup, which must not build an owned key.
struct ByIdentity<T> {
    /// kind -> apiVersion -> value.
    by_kind: HashMap<String, HashMap<String, T>>,
}

impl<T> ByIdentity<T> {
    fn get(&self, api_version: &str, kind: &str) -> Option<&T> {
        self.by_kind.get(kind)?.get(api_version)
    }

    fn insert(&mut self, api_version: String, kind: String, value: T) {
        self.by_kind
            .entry(kind)
            .or_default()
            .insert(api_version, value);
    }

    /// Every (apiVersion, kind), in no particular order.
    fn keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_kind
            .iter()
            .flat_map(|(k, avs)| avs.keys().map(move |av| (av.as_str(), k.as_str())))
    }
}

impl<T> FromIterator<((String, String), T)> for ByIdentity<T> {
    fn from_iter<I: IntoIterator<Item = ((String, String), T)>>(iter: I) -> Self {
        let mut out = ByIdentity {
            by_kind: HashMap::new(),
        };
        for ((api_version, kind), value) in iter {
            out.insert(api_version, kind, value);
        }
        out
    }
}

/// The schemas known to a run: the embedded ones of the target version, plus any from
/// `--schema-dir`. The set owns every schema document it holds.
pub struct SchemaSet {
    /// Target Kubernetes minor version (1.x).
    minor: u32,
    /// (apiVersion, kind) -> built-in schema, filled on first use.
    builtin: OnceLock<Builtins>,
    /// kubeadm, kubelet and kube-proxy configuration schemas, made on first use.
    configs: OnceLock<ByIdentity<Known>>,
    /// Schemas from `--schema-dir`, by lowercase file name.
    extra: HashMap<String, Known>,
    /// Custom resource schemas from `--crd`.
    crds: crd::CrdSchemas,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("minor", &self.minor)
            .field("schemas", &builtin::nearest(self.minor))
            .field("extra", &self.extra.len())
            .field("crds", &self.crds.len())
            .finish()
    }
}

impl Default for SchemaSet {
    fn default() -> Self {
        Self::builtin(supported_minor())
    }
}

/// The newest minor version with embedded schemas: the default target.
pub fn supported_minor() -> u32 {
    builtin::NEWEST
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

/// The schema of `PodPreset` (settings.k8s.io/v1alpha1), which Kubernetes removed in 1.20:
/// the fields of the hand-written model ([`crate::model::podpreset`]) over the built-in
/// definitions, strict like every other schema.
fn podpreset_schema() -> Value {
    let def = |name: &str| json!({"$ref": format!("#/definitions/{name}")});
    let list = |name: &str| json!({"type": "array", "items": def(name)});
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": def("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
            "spec": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "selector": def("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"),
                    "env": list("io.k8s.api.core.v1.EnvVar"),
                    "envFrom": list("io.k8s.api.core.v1.EnvFromSource"),
                    "volumes": list("io.k8s.api.core.v1.Volume"),
                    "volumeMounts": list("io.k8s.api.core.v1.VolumeMount"),
                },
            },
        },
    })
}

/// Make the document-local `$ref`s of a schema point into a registered document.
fn absolute_refs(v: &mut Value, uri: &str) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) if r.starts_with('#') => {
                        *r = format!("{uri}{r}");
                    }
                    (_, x) => absolute_refs(x, uri),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| absolute_refs(x, uri)),
        _ => {}
    }
}

/// The strict schemas of kubevet's models of kubeadm, kubelet and kube-proxy configuration
/// files ([`crate::model::kubeadm`]), by (apiVersion, kind).
fn config_schemas() -> ByIdentity<Known> {
    crate::model::kubeadm::KINDS
        .iter()
        .map(|k| {
            let compile = match config_schema(k.api_version, k.kind) {
                Some(schema) => Compile::SelfContained(Arc::new(schema)),
                None => Compile::Broken("its model refers to an unknown Kubernetes type".into()),
            };
            let document = match &compile {
                Compile::SelfContained(s) => Arc::clone(s),
                _ => Arc::new(Value::Null),
            };
            let known = Known {
                root: Arc::clone(&document),
                document: Known::ready(document),
                files: None,
                origin: format!("kubevet's {} schema", k.kind),
                compile,
                validator: OnceLock::new(),
                tree_validator: OnceLock::new(),
            };
            ((k.api_version.to_string(), k.kind.to_string()), known)
        })
        .collect()
}

/// The strict schema kubevet validates a kubeadm, kubelet or kube-proxy configuration kind
/// against, or `None` for a kind without a model.
pub fn config_schema(api_version: &str, kind: &str) -> Option<Value> {
    let mut schema = crate::model::kubeadm::strict_schema(api_version, kind)?;
    drop_null_options(&mut schema);
    Some(schema)
}

/// The configuration kinds' schemas as files of `schemas/components/`, in kubeconform's file
/// naming, for other tools (and readers): file name -> pretty JSON.
pub fn config_schema_files() -> BTreeMap<String, String> {
    crate::model::kubeadm::KINDS
        .iter()
        .filter_map(|k| {
            let schema = config_schema(k.api_version, k.kind)?;
            Some((
                layout::file_name(k.api_version, k.kind),
                layout::pretty(&schema),
            ))
        })
        .collect()
}

/// An optional field of a model is "the type, or null"; the validator never sees a null (an
/// absent field and `field: null` are the same to the API machinery, and [`validate`] strips
/// nulls), so the schema says just the type, and messages name it instead of "none of the
/// forms allowed here".
fn drop_null_options(v: &mut Value) {
    let is_null = |x: &Value| x.get("type").and_then(Value::as_str) == Some("null");
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(types)) = m.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types[0].clone();
                    m.insert("type".into(), only);
                }
            }
            let single = match m.get("anyOf") {
                Some(Value::Array(alts)) if alts.len() == 2 && alts.iter().any(is_null) => {
                    alts.iter().find(|a| !is_null(a)).cloned()
                }
                _ => None,
            };
            if let Some(Value::Object(inner)) = single {
                m.remove("anyOf");
                for (k, x) in inner {
                    m.entry(k).or_insert(x);
                }
            }
            for x in m.values_mut() {
                drop_null_options(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(drop_null_options),
        _ => {}
    }
}

/// The built-in schemas of an embedded version by (apiVersion, kind), PodPreset included.
fn builtins(version: &'static builtin::Version) -> ByIdentity<Known> {
    let uri = version.uri();
    let known = |root: Value, origin: String| {
        let mut schema = root.clone();
        absolute_refs(&mut schema, &uri);
        Known {
            document: OnceLock::new(),
            files: None,
            root: Arc::new(root),
            origin,
            compile: Compile::Builtin { schema, version },
            validator: OnceLock::new(),
            tree_validator: OnceLock::new(),
        }
    };
    let origin = format!("the built-in Kubernetes 1.{} schema", version.minor);
    let mut out: ByIdentity<Known> = version
        .kinds
        .iter()
        .map(|k| {
            let root = json!({"$ref": format!("#/definitions/{}", k.definition)});
            (
                (k.api_version.clone(), k.kind.clone()),
                known(root, origin.clone()),
            )
        })
        .collect();
    out.insert(
        "settings.k8s.io/v1alpha1".into(),
        "PodPreset".into(),
        known(podpreset_schema(), "kubevet's PodPreset schema".into()),
    );
    out
}

/// A `file://` URI for a path (percent-encoding what a URI cannot hold).
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Every `$ref` string in a schema document.
fn refs<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r),
                    // Property names, enums and examples are data, not schemas.
                    ("enum" | "const" | "default" | "examples", _) => {}
                    (_, x) => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// The file a `$ref` names inside a schema directory (`_definitions.json`), or why it names
/// none that kubevet can read. `None` for a reference inside the same document.
fn referenced_file(reference: &str, dir_uri: &str) -> Option<Result<String, String>> {
    let file = reference.split('#').next().unwrap_or("");
    if file.is_empty() {
        return None;
    }
    let local = match file.strip_prefix(dir_uri) {
        Some(rest) => rest.trim_start_matches('/'),
        None if file.contains("://") => {
            return Some(Err(format!(
                "it refers to `{reference}`, which kubevet does not fetch"
            )))
        }
        None => file.trim_start_matches("./"),
    };
    if local.contains('/') {
        return Some(Err(format!(
            "it refers to `{reference}`, outside its directory"
        )));
    }
    Some(Ok(local.to_string()))
}

impl SchemaSet {
    /// The embedded schemas for a target of Kubernetes 1.`minor`: apiVersions are checked
    /// against 1.`minor`, objects validated against its schemas (or, outside the embedded
    /// versions, the nearest ones: see [`builtin::nearest`]). Nothing is read until an object
    /// needs it.
    pub fn builtin(minor: u32) -> SchemaSet {
        SchemaSet {
            minor,
            builtin: OnceLock::new(),
            configs: OnceLock::new(),
            extra: HashMap::new(),
            crds: crd::CrdSchemas::default(),
        }
    }

    /// The built-in schemas of the target, read on first use.
    fn builtins(&self) -> Result<&ByIdentity<Known>, &str> {
        self.builtin
            .get_or_init(|| builtin::version(builtin::nearest(self.minor)).map(builtins))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The built-in schema of an apiVersion/kind.
    fn builtin_schema(&self, api_version: &str, kind: &str) -> Option<&Known> {
        self.builtins().ok()?.get(api_version, kind)
    }

    /// Add every `*.json` schema of a directory (kubeconform layout:
    /// `{kind}-{group}-{version}.json`, lowercase). The files are registered together under
    /// their `file://` URIs, so one may `$ref` another (`_definitions.json#/definitions/...`).
    /// A file that cannot be read, parsed or resolved is kept with the reason: a document
    /// that needs it gets an error finding naming it. An unreadable directory, or one with
    /// no usable schema at all (say, CRD YAML, which `--crd` takes), is an error here.
    pub fn add_dir(&mut self, dir: &Path) -> Result<usize, String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read schema directory {}: {e}", dir.display()))?;
        let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let dir_uri = file_uri(&base);
        // File name -> (display path, the parsed document or why it is unusable).
        let mut files: BTreeMap<String, (String, Result<Arc<Value>, String>)> = BTreeMap::new();
        // What the directory holds instead, for the error when it holds no usable schema.
        let mut other = Unusable::default();
        for entry in entries.flatten() {
            let path = entry.path();
            let is_json = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if !is_json || !path.is_file() {
                other.note(&path);
                continue;
            }
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| format!("it cannot be read: {e}"))
                .and_then(|text| {
                    serde_json::from_str::<Value>(&text)
                        .map_err(|e| format!("it is not valid JSON: {e}"))
                })
                .and_then(|doc| {
                    if doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition") {
                        other.crds.push(name.clone());
                        return Err("it is a CustomResourceDefinition, not a JSON schema: give CRDs with `--crd`".to_string());
                    }
                    Ok(doc)
                })
                .map(Arc::new);
            files.insert(name, (path.display().to_string(), parsed));
        }
        // A file whose `$ref`s name a file that is missing or unusable is unusable too.
        loop {
            let mut broken = Vec::new();
            for (name, (_, parsed)) in &files {
                let Ok(doc) = parsed else { continue };
                let mut found = Vec::new();
                refs(doc, &mut found);
                let problem = found
                    .iter()
                    .find_map(|r| match referenced_file(r, &dir_uri)? {
                        Err(why) => Some(why),
                        Ok(target) => match files.get(&target) {
                            None => Some(format!(
                                "it refers to `{target}`, which is not in {}",
                                dir.display()
                            )),
                            Some((_, Err(_))) => Some(format!(
                                "it refers to `{target}`, which cannot be used either"
                            )),
                            Some((_, Ok(_))) => None,
                        },
                    });
                if let Some(why) = problem {
                    broken.push((name.clone(), why));
                }
            }
            if broken.is_empty() {
                break;
            }
            for (name, why) in broken {
                if let Some(entry) = files.get_mut(&name) {
                    entry.1 = Err(why);
                }
            }
        }
        let usable: Files = files
            .iter()
            .filter_map(|(name, (_, parsed))| {
                Some((name.clone(), Arc::clone(parsed.as_ref().ok()?)))
            })
            .collect();
        if usable.is_empty() {
            return Err(other.error(dir, files.values().find_map(|(_, p)| p.as_ref().err())));
        }
        let uri_of = |name: &str| format!("{dir_uri}/{name}");
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .extend(
                usable
                    .iter()
                    .map(|(name, doc)| (uri_of(name), Arc::clone(doc))),
            )
            .and_then(|b| b.prepare())
            .map_err(|e| format!("its directory's schemas do not resolve: {e}"));
        let schema_dir = Arc::new(SchemaDir { registry });
        let usable = Arc::new(usable);
        let n = files.len();
        for (name, (display, parsed)) in files {
            let known = match parsed {
                Ok(doc) => Known {
                    document: Known::ready(Arc::clone(&doc)),
                    files: Some(Arc::clone(&usable)),
                    root: doc,
                    origin: display,
                    compile: Compile::File {
                        uri: uri_of(&name),
                        dir: Arc::clone(&schema_dir),
                    },
                    validator: OnceLock::new(),
                    tree_validator: OnceLock::new(),
                },
                Err(why) => Known {
                    document: Known::ready(Arc::new(Value::Null)),
                    files: None,
                    root: Arc::new(Value::Null),
                    origin: display,
                    compile: Compile::Broken(why),
                    validator: OnceLock::new(),
                    tree_validator: OnceLock::new(),
                },
            };
            self.extra.insert(name.to_lowercase(), known);
        }
        Ok(n)
    }

    /// Add the CustomResourceDefinitions of a file or directory (`--crd`): their custom
    /// resources are validated against them.
    pub fn add_crds(&mut self, path: &Path) -> Result<usize, String> {
        self.crds.add_path(path)
    }

    /// The target Kubernetes minor version.
    pub fn minor(&self) -> u32 {
        self.minor
    }

    /// Whether objects are validated against the newest embedded version's built-in schemas
    /// (the target is that version or a later one).
    pub fn validates_newest(&self) -> bool {
        builtin::nearest(self.minor) == builtin::NEWEST
    }

    /// The `--schema-dir` schema for an apiVersion/kind.
    fn lookup_extra(&self, api_version: &str, kind: &str) -> Option<&Known> {
        if self.extra.is_empty() {
            return None;
        }
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
        candidates.iter().find_map(|c| self.extra.get(c))
    }

    fn lookup(&self, api_version: &str, kind: &str) -> Option<&Known> {
        self.lookup_extra(api_version, kind)
            .or_else(|| self.builtin_schema(api_version, kind))
    }

    /// The schema (and the document its refs resolve in) for an apiVersion/kind, with the
    /// descriptions of its fields: what the editor shows. The built-in schemas a check
    /// validates against have none, so theirs come from [`builtin::described`].
    pub fn schema_for(&self, api_version: &str, kind: &str) -> Option<(&Value, &Value)> {
        let known = self
            .lookup(api_version, kind)
            .filter(|k| !matches!(k.compile, Compile::Broken(_)))?;
        let document = match &known.compile {
            Compile::Builtin { version, .. } => builtin::described(version.minor).ok()?,
            _ => known.document.get()?.as_ref(),
        };
        Some((document, known.root.as_ref()))
    }

    /// Validate one object, pushing `schema`, `missing-schema`, `removed-api-version` and
    /// `deprecated-api-version` findings. True when the object was validated against its
    /// built-in (strict) schema and is valid; false when it is not, or when no built-in
    /// schema decided (a `--schema-dir` schema, none at all, a removed apiVersion).
    pub fn check(&self, object: &Object, out: &mut Vec<Finding>) -> bool {
        self.check_with(object, None, out)
    }

    /// [`SchemaSet::check`], with the CustomResourceDefinitions of the checked set (they win
    /// over those of `--crd`).
    pub fn check_with(
        &self,
        object: &Object,
        checked_crds: Option<&crd::LazyCrds>,
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some((api_version, kind)) = identity(object, out) else {
            return false;
        };
        let mut deprecated = false;
        match api_versions::status(api_version, kind, self.minor) {
            Status::Removed(l) => {
                let removed = l.removed.unwrap_or(0);
                let since = if l.deprecated < removed {
                    format!(" (deprecated in 1.{})", l.deprecated)
                } else {
                    String::new()
                };
                out.push(
                    Finding::new(
                        RuleId::RemovedApiVersion,
                        "/apiVersion",
                        format!(
                            "{kind} {api_version} is no longer served since Kubernetes 1.{removed}{since}; the target is 1.{}",
                            self.minor
                        ),
                    )
                    .label("removed apiVersion")
                    .help(l.help_at(self.minor)),
                );
                return false;
            }
            Status::Deprecated(l) => {
                deprecated = true;
                let when = match l.removed {
                    Some(r) => format!("and is removed in 1.{r}"),
                    None => "and may be removed in a future release".to_string(),
                };
                out.push(
                    Finding::new(
                        RuleId::DeprecatedApiVersion,
                        "/apiVersion",
                        format!(
                            "{kind} {api_version} is deprecated since Kubernetes 1.{} {when}",
                            l.deprecated
                        ),
                    )
                    .label("deprecated apiVersion")
                    .help(l.help_at(self.minor)),
                );
            }
            Status::NotYetServed(since) => {
                out.push(not_yet_served(api_version, kind, since, self.minor))
            }
            Status::Served => {}
        }
        if let Some(extra) = self.lookup_extra(api_version, kind) {
            match extra.check(object, out) {
                Ok(_) => return false,
                Err(why) => {
                    let builtin = self.builtin_schema(api_version, kind);
                    let outcome = match builtin {
                        Some(b) => format!("validated against {} instead", b.origin),
                        None => "the object was not validated".into(),
                    };
                    out.push(
                        Finding::new(
                            RuleId::UnusableSchema,
                            "/kind",
                            format!(
                                "the schema {} for {kind} {api_version} cannot be used: {why}; {outcome}",
                                extra.origin
                            ),
                        )
                        .label("schema cannot be used")
                        .help("fix the schema file, or remove it from the schema directory"),
                    );
                    if let Some(b) = builtin {
                        if let Ok(valid) = b.check(object, out) {
                            return valid;
                        }
                    }
                    return false;
                }
            }
        }
        // Custom resources only: the CRDs of the checked set are read on first need.
        let custom_kind = self.builtin_schema(api_version, kind).is_none();
        let checked_crds = checked_crds
            .filter(|_| custom_kind)
            .map(|c| c.for_kind(api_version, kind));
        let checked_crds = checked_crds.as_deref();
        let not_served = checked_crds
            .and_then(|c| c.not_served(api_version, kind))
            .or_else(|| self.crds.not_served(api_version, kind));
        if let Some(f) = not_served {
            out.push(f);
            return false;
        }
        let custom = checked_crds
            .and_then(|c| c.get(api_version, kind))
            .or_else(|| self.crds.get(api_version, kind));
        if let Some(c) = custom {
            out.extend(c.deprecation());
            let known = c.known();
            match known.validator() {
                Ok(v) => {
                    let value = c.defaulted(object.value());
                    validate_value(v, known, &value, out);
                    c.value_problems(&value, self.minor, out);
                }
                Err(why) => out.push(unusable(&known.origin, kind, api_version, why)),
            }
            return false;
        }
        if crate::model::kubeadm::config_kind(api_version, kind).is_some() {
            let configs = self.configs.get_or_init(config_schemas);
            if let Some(known) = configs.get(api_version, kind) {
                return match known.check(object, out) {
                    Ok(valid) => valid,
                    Err(why) => {
                        out.push(unusable(&known.origin, kind, api_version, why));
                        false
                    }
                };
            }
        }
        let builtins = match self.builtins() {
            Ok(b) => b,
            Err(why) => {
                out.push(Finding::new(
                    RuleId::UnusableSchema,
                    "/kind",
                    format!(
                        "the built-in schemas cannot be read: {why}; the object was not validated"
                    ),
                ));
                return false;
            }
        };
        let Some(known) = builtins.get(api_version, kind) else {
            if let Some(f) = unknown_builtin_version(api_version, kind, builtins.keys(), self.minor)
            {
                out.push(f);
            } else if let Some(f) = unknown_builtin_kind(api_version, kind) {
                out.push(f);
            } else if !deprecated {
                out.push(
                    Finding::new(
                        RuleId::MissingSchema,
                        "/kind",
                        format!("no schema is known for {kind} {api_version}; it was not validated"),
                    )
                    .help("for a custom resource, check its CustomResourceDefinition with it or name it with `--crd PATH`, or pass a schema with `--schema-dir DIR` (kubeconform layout: `{kind}-{group}-{version}.json`)"),
                );
            }
            return false;
        };
        match known.check(object, out) {
            Ok(valid) => {
                if kind == "CustomResourceDefinition" && api_version == "apiextensions.k8s.io/v1" {
                    if object.plain {
                        #[cfg(debug_assertions)]
                        let start = out.len();
                        crd_structural::structural_problems(object.node, out);
                        // Debug builds (and so every test) read the value too: same findings.
                        #[cfg(debug_assertions)]
                        {
                            let mut from_value = Vec::new();
                            crd_structural::structural_problems(object.value(), &mut from_value);
                            assert_eq!(out[start..], from_value[..], "tree and value disagree");
                        }
                    } else {
                        crd_structural::structural_problems(object.value(), out);
                    }
                }
                messages::require_images(object, out) && valid
            }
            Err(why) => {
                out.push(unusable(&known.origin, kind, api_version, why));
                false
            }
        }
    }
}

/// The finding for a schema that cannot be compiled: the object is not validated.
fn unusable(origin: &str, kind: &str, api_version: &str, why: &str) -> Finding {
    Finding::new(
        RuleId::UnusableSchema,
        "/kind",
        format!(
            "{origin} for {kind} {api_version} cannot be used: {why}; the object was not validated"
        ),
    )
}

/// Validate an object with a compiled schema, one finding per place and message; whether it
/// is valid.
/// [`validate`] for a value (an object after defaulting).
fn validate_value(
    validator: &Validator,
    known: &Known,
    value: &Value,
    out: &mut Vec<Finding>,
) -> bool {
    validate_nulls(validator, known, value, has_null_field(value), out)
}

/// [`validate_value`], told whether some mapping of the value holds a `null`.
fn validate_nulls(
    validator: &Validator,
    known: &Known,
    value: &Value,
    null_field: bool,
    out: &mut Vec<Finding>,
) -> bool {
    let stripped;
    let instance = if null_field {
        stripped = strip_nulls(value);
        &stripped
    } else {
        value
    };
    validate_in(validator, known, instance, || Cow::Borrowed(instance), out)
}

/// Validate `instance`, a node of the representation `F`, and when it fails report one finding
/// per place and message, worded from `as_value` (the instance as a JSON value without its
/// `null` fields, built only then).
fn validate_in<'i, F: Json>(
    validator: &'i Validator<F>,
    known: &Known,
    instance: F::Node<'i>,
    as_value: impl FnOnce() -> Cow<'i, Value>,
    out: &mut Vec<Finding>,
) -> bool {
    if validator.is_valid(instance.clone()) {
        return true;
    }
    let value = as_value();
    let start = out.len();
    for error in validator.iter_errors(instance) {
        messages::push_finding(&error, &value, known.docs(), &known.root, out);
    }
    dedup_from(out, start);
    false
}

/// Drop findings from `start` on that repeat an earlier one's place and message.
fn dedup_from(out: &mut Vec<Finding>, start: usize) {
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

/// The object's apiVersion and kind, or `None` after reporting why they cannot be used.
fn identity<'o>(object: &'o Object, out: &mut Vec<Finding>) -> Option<(&'o str, &'o str)> {
    // Read through the tree; a value is built only to describe a field that is not text.
    let field = |name: &str| {
        let ptr = if name == "kind" {
            "/kind"
        } else {
            "/apiVersion"
        };
        match object.view(ptr) {
            None => Field::Missing,
            Some(v) if v.is_null() => Field::Missing,
            Some(v) => match v.as_str() {
                Some(s) if s.trim().is_empty() => Field::Empty,
                Some(s) => Field::Text(s),
                None => object.at(ptr).map_or(Field::Missing, Field::Other),
            },
        }
    };
    let (api_version, kind) = (field("apiVersion"), field("kind"));
    let example = |name: &str| {
        if name == "kind" {
            "`kind: Deployment`"
        } else {
            "`apiVersion: apps/v1`"
        }
    };
    for (name, f) in [("apiVersion", &api_version), ("kind", &kind)] {
        let ptr = || format!("/{name}");
        match f {
            Field::Empty => out.push(
                Finding::new(RuleId::Schema, ptr(), format!("`{name}` is empty"))
                    .label("empty")
                    .help(format!("write the object's {name}, e.g. {}", example(name))),
            ),
            Field::Other(v) => out.push(
                Finding::new(
                    RuleId::Schema,
                    ptr(),
                    format!(
                        "`{name}` must be a string, not {}",
                        match v {
                            Value::Number(n) => format!("a number ({n})"),
                            Value::Bool(b) => format!("a boolean ({b})"),
                            Value::Array(_) => "a list".into(),
                            _ => "a mapping".into(),
                        }
                    ),
                )
                .label("expected a string")
                .help(format!(
                    "write the object's {name} as text, e.g. {}",
                    example(name)
                )),
            ),
            Field::Missing | Field::Text(_) => {}
        }
    }
    match (&api_version, &kind) {
        (Field::Text(a), Field::Text(k)) => Some((a, k)),
        (Field::Missing, Field::Missing) => None,
        (Field::Missing, _) => {
            out.push(
                Finding::new(RuleId::Schema, "/kind", "`apiVersion` is missing: every object needs both `apiVersion` and `kind`")
                    .at(Target::Key)
                    .help("add `apiVersion:` with the group and version of this kind, e.g. `apiVersion: apps/v1`"),
            );
            None
        }
        (_, Field::Missing) => {
            out.push(
                Finding::new(
                    RuleId::Schema,
                    "/apiVersion",
                    "`kind` is missing: every object needs both `apiVersion` and `kind`",
                )
                .at(Target::Key)
                .help("add `kind:` naming the object's type, e.g. `kind: Deployment`"),
            );
            None
        }
        _ => None,
    }
}

/// An `apiVersion` or `kind` field as found.
enum Field<'v> {
    Missing,
    Empty,
    Text(&'v str),
    Other(&'v Value),
}

/// The finding for an apiVersion the target does not serve yet.
fn not_yet_served(api_version: &str, kind: &str, since: u32, minor: u32) -> Finding {
    // Another apiVersion of the kind that the target serves, closest to the one written.
    let major = |av: &str| version_rank(av).1;
    let wanted = major(api_version);
    let candidates = kinds::KINDS
        .iter()
        .filter(|k| k.kind == kind)
        .map(|k| k.api_version)
        .chain(
            api_versions::TABLE
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.api_version),
        )
        .filter(|av| *av != api_version)
        .filter_map(|av| match api_versions::status(av, kind, minor) {
            Status::Served => Some((av, false)),
            Status::Deprecated(_) => Some((av, true)),
            _ => None,
        });
    let best = candidates
        .max_by_key(|(av, deprecated)| (major(av) == wanted, !deprecated, version_rank(av)))
        .map(|(av, _)| av);
    let raise = format!("raise `--kubernetes-version` to 1.{since} if the cluster runs it");
    Finding::new(
        RuleId::Schema,
        "/apiVersion",
        format!("{kind} {api_version} is not served until Kubernetes 1.{since}; the target is 1.{minor}"),
    )
    .label("not served by the target")
    .help(match best {
        Some(av) => format!("use {av} for Kubernetes 1.{minor}, or {raise}"),
        None => raise,
    })
}

/// How mature a version is, for choosing between versions: (stage, major, number), where
/// GA > beta > alpha.
fn version_rank(api_version: &str) -> (u8, u32, u32) {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let digits = |s: &str| s.parse::<u32>().unwrap_or(0);
    let v = version.trim_start_matches('v');
    for (stage, word) in [(1u8, "alpha"), (2, "beta")] {
        if let Some((maj, n)) = v.split_once(word) {
            return (stage, digits(maj), digits(n));
        }
    }
    (3, digits(v), 0)
}

/// A version of a built-in API group that the target Kubernetes does not serve (`apps/v2`),
/// and that is not a removed or deprecated one (those have rules of their own): the API server
/// answers "no matches for kind", so it is an error naming the versions it serves.
fn unknown_builtin_version<'k>(
    api_version: &str,
    kind: &str,
    builtins: impl Iterator<Item = (&'k str, &'k str)>,
    minor: u32,
) -> Option<Finding> {
    let (group, _) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let in_group = |av: &str| av.rsplit_once('/').map_or("", |(g, _)| g) == group;
    let mut served: Vec<&str> = Vec::new();
    let mut with_kind: Vec<&str> = Vec::new();
    for (av, k) in builtins {
        if !in_group(av) {
            continue;
        }
        if av == api_version {
            // A served version: not this mistake.
            return None;
        }
        if !served.contains(&av) {
            served.push(av);
        }
        if k == kind && !with_kind.contains(&av) {
            with_kind.push(av);
        }
    }
    if served.is_empty() || api_versions::ever_known(api_version) {
        return None;
    }
    served.sort_unstable();
    with_kind.sort_unstable();
    let group_name = if group.is_empty() { "core" } else { group };
    let help = match with_kind.last() {
        Some(v) => format!("use `apiVersion: {v}`"),
        None => format!(
            "use a served version of the {group_name} group: {}",
            served.join(", ")
        ),
    };
    Some(
        Finding::new(
            RuleId::Schema,
            "/apiVersion",
            format!(
                "{api_version} is not a version of the {group_name} API group: Kubernetes 1.{minor} serves {}",
                served.join(", ")
            ),
        )
        .label("unknown version")
        .help(help),
    )
}

/// For a group version with built-in kinds, a kind that is not one of them is a mistake
/// (`kind: configmap`), not a custom resource.
fn unknown_builtin_kind(api_version: &str, kind: &str) -> Option<Finding> {
    let here: Vec<&str> = kinds::KINDS
        .iter()
        .filter(|k| k.api_version == api_version)
        .map(|k| k.kind)
        .collect();
    if here.is_empty() || kind.ends_with("List") {
        return None;
    }
    let same = here.iter().find(|k| k.eq_ignore_ascii_case(kind));
    let elsewhere = kinds::KINDS
        .iter()
        .find(|k| k.kind.eq_ignore_ascii_case(kind));
    let help = match (same, elsewhere, suggest(kind, here.iter().copied())) {
        (Some(s), _, _) => format!("did you mean `{s}`?"),
        (None, Some(k), _) => format!(
            "`{}` is a kind of {}: use `apiVersion: {}`",
            k.kind, k.api_version, k.api_version
        ),
        (None, None, Some(s)) => format!("did you mean `{s}`?"),
        (None, None, None) => format!(
            "use a kind of {api_version}; for a custom resource, use its own group's apiVersion"
        ),
    };
    Some(
        Finding::new(
            RuleId::Schema,
            "/kind",
            format!("`{kind}` is not a kind of {api_version}"),
        )
        .label("unknown kind")
        .help(help),
    )
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

/// What a schema directory holds besides JSON schemas: CustomResourceDefinition files and
/// subdirectories of JSON files.
#[derive(Default)]
struct Unusable {
    crds: Vec<String>,
    subdirs: Vec<String>,
}

impl Unusable {
    /// Notes `path` if it is a YAML file with a CustomResourceDefinition in it, or a directory
    /// with JSON files in it.
    fn note(&mut self, path: &Path) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if path.is_dir() {
            let has_json = std::fs::read_dir(path).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                })
            });
            if has_json {
                self.subdirs.push(name);
            }
        } else if matches!(ext.as_deref(), Some("yaml" | "yml")) {
            // Only the start of a file is read: a CRD says what it is in its first lines.
            use std::io::Read;
            let mut head = Vec::new();
            let read =
                std::fs::File::open(path).and_then(|f| f.take(1 << 20).read_to_end(&mut head));
            if read.is_ok() && memchr::memmem::find(&head, b"CustomResourceDefinition").is_some() {
                self.crds.push(name);
            }
        }
    }

    /// The error for a directory with no usable schema, saying what to do instead.
    fn error(mut self, dir: &Path, first_problem: Option<&String>) -> String {
        let shown = |names: &mut Vec<String>| {
            names.sort();
            let mut list = names
                .iter()
                .take(3)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > 3 {
                list.push_str(&format!(" and {} more", names.len() - 3));
            }
            list
        };
        let d = dir.display();
        let mut message = format!("schema directory {d} holds no usable JSON schema");
        if !self.crds.is_empty() {
            message.push_str(&format!(
                ": it holds CustomResourceDefinitions ({}); give CRD files and directories with `--crd {d}` (configuration: `crds`), not `--schema-dir`",
                shown(&mut self.crds)
            ));
        } else if !self.subdirs.is_empty() {
            message.push_str(&format!(
                ": its subdirectories {} hold JSON files; give the directory that holds the schemas themselves",
                shown(&mut self.subdirs)
            ));
        } else if let Some(why) = first_problem {
            message.push_str(&format!(": its JSON files cannot be used ({why})"));
        }
        message.push_str(". `--schema-dir` takes JSON schemas in the kubeconform layout (`{kind}-{group}-{version}.json`, lower case)");
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::model::podpreset::PodPreset;
    use crate::source::yaml::parse_one;

    fn findings(set: &SchemaSet, text: &str) -> Vec<Finding> {
        let root = parse_one(text).expect("doc");
        let objs = objects_of(0, &root);
        let mut out = Vec::new();
        set.check(&objs[0], &mut out);
        out
    }

    #[test]
    fn podpreset_schema_matches_the_model() {
        let set = SchemaSet::builtin(19);
        let good = "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: p}\nspec:\n  selector: {matchLabels: {a: b}}\n  env: [{name: A, value: x}]\n  envFrom: [{configMapRef: {name: c}}]\n  volumes: [{name: v, emptyDir: {}}]\n  volumeMounts: [{name: v, mountPath: /v}]\n";
        let f = findings(&set, good);
        assert!(f.iter().all(|f| f.rule != RuleId::Schema), "{f:?}");
        let root = parse_one(good).expect("doc");
        assert!(PodPreset::of(&objects_of(0, &root)[0]).is_ok());

        let bad = "apiVersion: settings.k8s.io/v1alpha1\nkind: PodPreset\nmetadata: {name: p}\nspec:\n  envv: []\n";
        let f = findings(&set, bad);
        assert!(
            f.iter()
                .any(|f| f.rule == RuleId::Schema && f.pointer == "/spec/envv"),
            "{f:?}"
        );
        let root = parse_one(bad).expect("doc");
        assert!(PodPreset::of(&objects_of(0, &root)[0]).is_err());
    }

    #[test]
    fn versions_rank_by_maturity() {
        assert!(version_rank("autoscaling/v2beta2") > version_rank("autoscaling/v2beta1"));
        assert!(version_rank("batch/v1") > version_rank("batch/v1beta1"));
        assert!(version_rank("batch/v1beta1") > version_rank("batch/v2alpha1"));
    }

    #[test]
    fn not_yet_served_suggests_what_the_target_serves() {
        let f = not_yet_served("autoscaling/v2", "HorizontalPodAutoscaler", 23, 20);
        assert_eq!(
            f.help.as_deref(),
            Some("use autoscaling/v2beta2 for Kubernetes 1.20, or raise `--kubernetes-version` to 1.23 if the cluster runs it")
        );
        let f = not_yet_served("batch/v1", "CronJob", 21, 20);
        assert!(f.help.unwrap_or_default().starts_with("use batch/v1beta1 "));
    }

    #[test]
    fn file_uris_are_escaped() {
        assert_eq!(file_uri(Path::new("/a b/c.json")), "file:///a%20b/c.json");
        assert_eq!(
            referenced_file("_definitions.json#/definitions/x", "file:///d"),
            Some(Ok("_definitions.json".into()))
        );
        assert_eq!(referenced_file("#/definitions/x", "file:///d"), None);
        assert!(matches!(
            referenced_file("https://example.com/x.json", "file:///d"),
            Some(Err(_))
        ));
    }
}
