//! Custom resource schemas from their CustomResourceDefinitions, as the API server applies
//! them: each served version's `openAPIV3Schema` becomes a strict JSON Schema (unknown fields
//! are errors unless `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string`,
//! `nullable`, embedded resources), `default`s are applied before validation, and list-type
//! `map` and `set` items must be unique. A version's `deprecated`/`deprecationWarning` is a
//! `deprecated-api-version` finding.
//!
//! CEL `x-kubernetes-validations` rules are evaluated by [`super::cel`]. CRDs come from the
//! checked set (found by the run's pre-pass; in the language server, the workspace's files and
//! the open buffer) and from `--crd PATH`. String `format`s are checked by [`super::formats`].
//! Not yet checked: `pattern`s that only Go's regular expressions can read (`(?i)...`).

use super::{Compile, Known};
use crate::model::objects_of;
use crate::pointer::AtPointer;
use crate::rules::{Finding, RuleId};
use crate::source::tree::{Node, NodeValue};
use crate::source::{parse_stream, Limits};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The CustomResourceDefinitions of the checked set, read only when a custom resource needs
/// them, and then only the documents that define its API group: a run over CRDs and built-in
/// kinds never parses a CRD twice, and one custom resource costs the parse of its own CRDs.
///
/// A clone shares what the original has read (the language server keeps one per state of the
/// workspace, so typing in a custom resource does not read its CRD again).
#[derive(Debug, Clone, Default)]
pub struct LazyCrds {
    /// (name in messages, where to read it, the words written after `group:` and `kind:` in
    /// it) of each file that holds a CRD.
    files: Arc<Vec<(String, CrdSource, Vec<String>)>>,
    /// (name in messages, text) of texts read whole, without an index (an editor's buffer).
    texts: Vec<(String, Arc<String>)>,
    /// (API group, kind) -> the CRDs that may define it, built on first need.
    by_kind: Arc<std::sync::Mutex<ByKind>>,
    /// How many times a custom resource asked for its CRDs.
    lookups: Arc<std::sync::atomic::AtomicUsize>,
    /// The limits CRD files are parsed under (a run's, like every checked file).
    limits: Limits,
    /// In a run, the CRDs the main pass hands over ([`LazyCrds::reading_main_pass`]).
    handover: Option<Arc<Handover>>,
}

/// (API group, kind) -> the CRDs that may define it.
type ByKind = HashMap<(String, String), Arc<CrdSchemas>>;

/// The CRDs the main pass handed over while checking the files that hold them, by file: a file
/// read whole is not parsed a second time for its custom resources.
#[derive(Debug, Default)]
struct Handover {
    /// The names of the files that hold CRDs.
    names: std::collections::HashSet<String>,
    /// The words written after `kind:` (and `group:`) in the other files: a CRD whose kind is
    /// not among them has no custom resource to check outside files of CRDs, and is not kept.
    written_kinds: std::collections::HashSet<String>,
    /// Files of CRDs that also write custom resources of kinds CRDs define, each with its
    /// place among them: checked after the other files of CRDs, and after one another in that
    /// order, so their custom resources find those CRDs handed over.
    late: HashMap<String, usize>,
    seen: std::sync::Mutex<HashMap<String, Seen>>,
    /// Source bytes of the CRDs held in `seen`, bounded by [`SEEN_BYTES`].
    seen_bytes: std::sync::atomic::AtomicUsize,
}

/// At most this many source bytes of CRDs are kept from the main pass; the CRDs of files
/// past it are parsed again when a custom resource needs them.
const SEEN_BYTES: usize = 64 << 20;

/// The CRDs of one file, as the main pass read them.
#[derive(Debug, Default)]
struct Seen {
    crds: Vec<Arc<Value>>,
    /// (group, kind) of the CRDs not kept (no other file writes their kind): a custom
    /// resource of one of them parses the file again.
    left_out: Vec<(String, String)>,
    /// Every document of the file was read and handed over.
    complete: bool,
    /// Over the memory bound: the file is parsed again when needed.
    dropped: bool,
}

/// The words written after `group:` and `kind:` in a file, in block or flow style
/// (`names: {kind: Widget, ...}`): which CRDs it can define, read without parsing it. It may
/// hold words that are no group or kind (it only narrows which files are read). The search
/// jumps from key to key, so a 12 MB CRD file costs a few memory scans.
pub fn index_words(text: &[u8]) -> Vec<String> {
    let mut hits: Vec<(usize, usize)> = [&b"group:"[..], b"kind:"]
        .iter()
        .flat_map(|key| memchr::memmem::find_iter(text, key).map(|at| (at, key.len())))
        .collect();
    hits.sort_unstable();
    let mut words: Vec<String> = Vec::new();
    let mut push = |w: &str| {
        let w = w.trim().trim_matches(['"', '\'']);
        if !w.is_empty() && !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    };
    for (at, key_len) in hits {
        let line_start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
        let rest = &text[at + key_len..];
        let rest =
            String::from_utf8_lossy(&rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())]);
        // A block key: the rest of the line.
        if starts_line(&text[line_start..at]) {
            push(&rest);
        }
        // A key in a flow mapping: the word after it.
        let opens =
            at == line_start || matches!(text[at - 1], b' ' | b'\t' | b'{' | b',' | b'"' | b'\'');
        if opens {
            let rest = rest.trim_start();
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '#'))
                .unwrap_or(rest.len());
            push(&rest[..end]);
        }
    }
    words
}

/// The words after `kind:` at the start of a line (block-style documents' own kinds, not the
/// `names.kind` a CRD defines, which is indented): in a file of CRDs, the kinds of the
/// custom resources written beside them. It may miss kinds (flow style); a kind missed only
/// costs a second parse of the file that defines it.
pub fn document_kinds(text: &[u8]) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    let starts =
        std::iter::once(0).chain(memchr::memmem::find_iter(text, b"\nkind:").map(|at| at + 1));
    for at in starts {
        let Some(rest) = text[at..].strip_prefix(b"kind:") else {
            continue;
        };
        let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let word = String::from_utf8_lossy(line);
        let word = word
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if !word.is_empty() && !kinds.iter().any(|k| k == word) {
            kinds.push(word.to_string());
        }
    }
    kinds
}

/// Whether what precedes a key on its line is only indentation and list dashes (`- `).
fn starts_line(prefix: &[u8]) -> bool {
    let prefix = String::from_utf8_lossy(prefix);
    let mut p = prefix.trim_start();
    while let Some(r) = p.strip_prefix("- ") {
        p = r;
    }
    p.is_empty()
}

/// Where a file that holds CRDs is read from.
#[derive(Debug)]
pub enum CrdSource {
    Path(std::path::PathBuf),
    Text(String),
}

impl LazyCrds {
    /// `files`: (name in messages, where to read it, its text or bytes for the index).
    pub fn new(files: Vec<(String, CrdSource, Vec<String>)>) -> LazyCrds {
        LazyCrds {
            files: Arc::new(files),
            ..LazyCrds::default()
        }
    }

    /// Parse CRD files under `limits` (a run's), not the defaults.
    pub fn with_limits(mut self, limits: Limits) -> LazyCrds {
        self.limits = limits;
        self
    }

    /// Take the CRDs of the indexed files from the main pass of a run as it checks them
    /// ([`LazyCrds::offer`], [`LazyCrds::finish`]), rather than parsing those files again;
    /// only the CRDs of `written_kinds` (the words after `kind:` in the other files) are kept.
    /// `late`: the files of CRDs that also write custom resources, in the order they are best
    /// checked ([`LazyCrds::late_place`]).
    pub fn reading_main_pass(
        mut self,
        written_kinds: std::collections::HashSet<String>,
        late: Vec<String>,
    ) -> LazyCrds {
        self.handover = Some(Arc::new(Handover {
            names: self.files.iter().map(|(name, _, _)| name.clone()).collect(),
            written_kinds,
            late: late.into_iter().enumerate().map(|(i, f)| (f, i)).collect(),
            ..Handover::default()
        }));
        self
    }

    /// When `file` holds CRDs and also custom resources of kinds other CRD files may define,
    /// its place among such files: it is best checked after the other files of CRDs, and after
    /// those of a lower place. `None` for any other file.
    pub fn late_place(&self, file: &str) -> Option<usize> {
        self.handover.as_ref()?.late.get(file).copied()
    }

    /// Whether the main pass should hand over the CRDs of `file` ([`LazyCrds::offer`]).
    pub fn holds(&self, file: &str) -> bool {
        self.handover
            .as_ref()
            .is_some_and(|h| h.names.contains(file))
    }

    /// A CRD of `file` as the main pass read it (`source_len`: its bytes in the file).
    pub fn offer(&self, file: &str, crd: crate::model::Object, source_len: usize) {
        use std::sync::atomic::Ordering;
        let Some(h) = &self.handover else { return };
        let Ok(mut seen) = h.seen.lock() else {
            return;
        };
        let entry = seen.entry(file.to_string()).or_default();
        if entry.dropped {
            return;
        }
        // Read from the object, so that a CRD no custom resource needs builds no value.
        let group = crd.str_at("/spec/group").unwrap_or_default();
        let kind = crd.str_at("/spec/names/kind").unwrap_or_default();
        if !h.written_kinds.contains(kind) {
            entry.left_out.push((group.to_string(), kind.to_string()));
            return;
        }
        if h.seen_bytes.fetch_add(source_len, Ordering::Relaxed) + source_len > SEEN_BYTES {
            entry.dropped = true;
            entry.crds = Vec::new();
            return;
        }
        let node = crd.node;
        let crd = match crd.into_built_value() {
            Some(mut value) => {
                drop_descriptions(&mut value);
                value
            }
            None => {
                let value = value_without_descriptions(node);
                #[cfg(debug_assertions)]
                {
                    let mut whole = node.to_json();
                    drop_descriptions(&mut whole);
                    let text = |v: &Value| serde_json::to_string(v).ok();
                    debug_assert_eq!(
                        text(&value),
                        text(&whole),
                        "a CRD built without descriptions"
                    );
                }
                value
            }
        };
        entry.crds.push(Arc::new(crd));
    }

    /// Every document of `file` was read and its CRDs offered: custom resources use them.
    pub fn finish(&self, file: &str) {
        let Some(h) = &self.handover else { return };
        if let Ok(mut seen) = h.seen.lock() {
            seen.entry(file.to_string()).or_default().complete = true;
        }
    }

    /// These CRDs and those of `text` (read whole when a custom resource needs them, named
    /// `name` in messages), with nothing read yet.
    pub fn with_text(&self, name: &str, text: Arc<String>) -> LazyCrds {
        let mut texts = self.texts.clone();
        texts.push((name.to_string(), text));
        LazyCrds {
            files: Arc::clone(&self.files),
            texts,
            limits: self.limits,
            ..LazyCrds::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.texts.is_empty()
    }

    /// How many times a custom resource has asked for its CRDs so far: a check that did not
    /// change it did not depend on them.
    pub fn lookups(&self) -> usize {
        self.lookups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The CRDs that may define `kind` in the API group of `api_version` (the documents that
    /// name both), read on first use.
    pub fn for_kind(&self, api_version: &str, kind: &str) -> Arc<CrdSchemas> {
        self.lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let key = (group.to_string(), kind.to_string());
        let Ok(mut by_kind) = self.by_kind.lock() else {
            return Arc::default();
        };
        if let Some(c) = by_kind.get(&key) {
            return Arc::clone(c);
        }
        let mut crds = CrdSchemas::default();
        if !group.is_empty() && !kind.is_empty() {
            let handed = self.handover.as_ref().and_then(|h| h.seen.lock().ok());
            let limits = &self.limits;
            let add = |crds: &mut CrdSchemas, text: &str, name: &str| {
                for piece in crate::source::yaml::pieces(text) {
                    if piece.contains("CustomResourceDefinition")
                        && piece.contains(group)
                        && piece.contains(kind)
                    {
                        crds.add_stream_with(piece, name, limits);
                    }
                }
            };
            for (name, source, words) in self.files.iter() {
                if !words.iter().any(|w| w == group) || !words.iter().any(|w| w == kind) {
                    continue;
                }
                let read = handed.as_ref().and_then(|s| s.get(name)).filter(|s| {
                    s.complete
                        && !s.dropped
                        && !s.left_out.iter().any(|(g, k)| g == group && k == kind)
                });
                if let Some(read) = read {
                    for crd in read.crds.iter().filter(|c| defines(c, group, kind)) {
                        crds.add(Arc::clone(crd), name);
                    }
                    continue;
                }
                match source {
                    CrdSource::Text(t) => add(&mut crds, t, name),
                    CrdSource::Path(p) => match std::fs::read(p) {
                        Ok(b) => add(&mut crds, &String::from_utf8_lossy(&b), name),
                        Err(_) => continue,
                    },
                }
            }
            for (name, text) in &self.texts {
                add(&mut crds, text, name);
            }
        }
        let crds = Arc::new(crds);
        by_kind.insert(key, Arc::clone(&crds));
        crds
    }
}

/// Remove the `description` of every schema node of a CRD's versions: most of a large CRD's
/// bytes, and nothing a run's findings use (the language server's hover, which shows them,
/// does not read handed-over CRDs). Values (`default`, `enum`, `example`) are left as written.
fn drop_descriptions(crd: &mut Value) {
    fn node(schema: &mut Value) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        map.remove("description");
        for (key, value) in map.iter_mut() {
            match (held_schemas(key), value) {
                (Some(Held::Named), Value::Object(children)) => {
                    children.values_mut().for_each(node)
                }
                (Some(Held::Listed), Value::Array(list)) => list.iter_mut().for_each(node),
                (Some(Held::Listed | Held::One), other) => node(other),
                _ => {}
            }
        }
    }
    let Some(spec) = crd.get_mut("spec") else {
        return;
    };
    if let Some(versions) = spec.get_mut("versions").and_then(Value::as_array_mut) {
        for v in versions {
            if let Some(schema) = v.pointer_mut("/schema/openAPIV3Schema") {
                node(schema);
            }
        }
    }
    if let Some(schema) = spec.pointer_mut("/validation/openAPIV3Schema") {
        node(schema);
    }
}

/// How a keyword of a schema node holds other schema nodes.
enum Held {
    /// A mapping of names to schemas (`properties`).
    Named,
    /// A list of schemas, or one (`items`, `allOf`).
    Listed,
    /// One schema (`additionalProperties`, `not`).
    One,
}

/// How `keyword` of a schema node holds schema nodes, if it does.
fn held_schemas(keyword: &str) -> Option<Held> {
    match keyword {
        "properties" | "patternProperties" | "definitions" => Some(Held::Named),
        "items" | "allOf" | "anyOf" | "oneOf" => Some(Held::Listed),
        "additionalProperties" | "not" | "additionalItems" => Some(Held::One),
        _ => None,
    }
}

/// What [`drop_descriptions`] leaves of a CRD's value, built from its tree (one in which no
/// mapping repeats a key) without copying the descriptions first: they are most of a large
/// CRD's bytes. Key order included: removing a key from an ordered JSON map moves the map's
/// last entry into its place.
fn value_without_descriptions(crd: &Node) -> Value {
    fn map_of(node: &Node, is_schema: bool, child: impl Fn(&str, &Node) -> Value) -> Value {
        let NodeValue::Map(entries) = &node.value else {
            return node.to_json();
        };
        let dropped = if is_schema {
            entries.iter().position(|e| e.key == "description")
        } else {
            None
        };
        let last = entries.len().saturating_sub(1);
        let mut map = Map::with_capacity(entries.len());
        for i in 0..entries.len() {
            let at = match dropped {
                Some(d) if i == d && d == last => continue,
                Some(d) if i == d => last,
                Some(_) if i == last => continue,
                _ => i,
            };
            let e = &entries[at];
            map.insert(e.key.clone(), child(&e.key, &e.value));
        }
        Value::Object(map)
    }
    fn schema(node: &Node) -> Value {
        map_of(node, true, |key, value| {
            match (held_schemas(key), &value.value) {
                (Some(Held::Named), _) => map_of(value, false, |_, child| schema(child)),
                (Some(Held::Listed), NodeValue::Seq(list)) => {
                    Value::Array(list.iter().map(schema).collect())
                }
                (Some(Held::Listed | Held::One), _) => schema(value),
                (None, _) => value.to_json(),
            }
        })
    }
    // Schemas sit at `spec.versions[*].schema.openAPIV3Schema` and
    // `spec.validation.openAPIV3Schema`.
    let holding_schema = |node: &Node| {
        map_of(node, false, |key, v| match key {
            "openAPIV3Schema" => schema(v),
            _ => v.to_json(),
        })
    };
    map_of(crd, false, |key, spec| match key {
        "spec" => map_of(spec, false, |key, v| match (key, &v.value) {
            ("versions", NodeValue::Seq(versions)) => Value::Array(
                versions
                    .iter()
                    .map(|version| {
                        map_of(version, false, |key, v| match key {
                            "schema" => holding_schema(v),
                            _ => v.to_json(),
                        })
                    })
                    .collect(),
            ),
            ("validation", _) => holding_schema(v),
            _ => v.to_json(),
        }),
        _ => spec.to_json(),
    })
}

/// The API group and kind a CRD defines (`spec.group`, `spec.names.kind`).
fn group_kind(crd: &Value) -> (Option<&str>, Option<&str>) {
    let spec = &crd["spec"];
    (spec["group"].as_str(), spec["names"]["kind"].as_str())
}

/// Whether a CRD defines `kind` in API `group`.
fn defines(crd: &Value, group: &str, kind: &str) -> bool {
    group_kind(crd) == (Some(group), Some(kind))
}

/// Whether an object is a CustomResourceDefinition (of any apiextensions version).
pub fn is_crd(object: &crate::model::Object) -> bool {
    object.kind.as_deref() == Some("CustomResourceDefinition")
        && object
            .api_version
            .as_deref()
            .is_some_and(|a| a.starts_with("apiextensions.k8s.io/"))
}

/// One served version of a custom resource.
pub struct CrdVersion {
    /// The CRD that defines it.
    crd: Arc<Value>,
    /// Where in `crd` the version's structural schema is.
    schema: SchemaAt,
    /// Its validator, over the structural schema converted to JSON Schema on first use: a
    /// file of CRDs defines many kinds and versions, and a run's custom resources use few.
    known: OnceLock<Known>,
    /// The CRD's file, for messages.
    origin: String,
    /// Its CEL rules, compiled on first use.
    rules: super::cel::Rules,
    /// The deprecation warning, when the version is deprecated.
    deprecated: Option<String>,
}

/// Where a CRD holds a version's structural schema.
#[derive(Clone, Copy)]
enum SchemaAt {
    /// `spec.versions[i].schema.openAPIV3Schema` (v1).
    Version(usize),
    /// `spec.validation.openAPIV3Schema`, for every version (v1beta1).
    Spec,
}

impl SchemaAt {
    /// The schema at this place of a CRD's `spec` (`Value::Null` when there is none).
    fn in_spec(self, spec: &Value) -> &Value {
        match self {
            SchemaAt::Version(i) => &spec["versions"][i]["schema"]["openAPIV3Schema"],
            SchemaAt::Spec => &spec["validation"]["openAPIV3Schema"],
        }
    }
}

/// Custom resource schemas by (apiVersion, kind).
#[derive(Default)]
pub struct CrdSchemas {
    by_kind: HashMap<(String, String), CrdVersion>,
    /// Versions a CRD defines but does not serve, with the versions it serves.
    unserved: HashMap<(String, String), Vec<String>>,
}

impl std::fmt::Debug for CrdSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdSchemas")
            .field("kinds", &self.by_kind.len())
            .finish()
    }
}

impl CrdSchemas {
    pub fn is_empty(&self) -> bool {
        self.by_kind.is_empty() && self.unserved.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_kind.len()
    }

    pub(super) fn get(&self, api_version: &str, kind: &str) -> Option<&CrdVersion> {
        // Every object asks: without CRDs, build no key.
        if self.by_kind.is_empty() {
            return None;
        }
        self.by_kind
            .get(&(api_version.to_string(), kind.to_string()))
    }

    /// The finding for a version its CRD defines with `served: false`: the API server has no
    /// such resource.
    pub(super) fn not_served(&self, api_version: &str, kind: &str) -> Option<Finding> {
        // Every object asks: without CRDs, build no key.
        if self.unserved.is_empty() {
            return None;
        }
        let served = self
            .unserved
            .get(&(api_version.to_string(), kind.to_string()))?;
        let listed = served
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Some(
            Finding::new(
                RuleId::Schema,
                "/apiVersion",
                format!("{kind} {api_version} is not served: its CustomResourceDefinition has `served: false` for it"),
            )
            .label("version not served")
            .help(if served.is_empty() {
                "the CustomResourceDefinition serves no version of this kind".to_string()
            } else {
                format!("use a served version: {listed}")
            }),
        )
    }

    /// Add the CRDs of one YAML or JSON stream (`origin` names it in messages); how many
    /// versions were added.
    pub fn add_stream(&mut self, text: &str, origin: &str) -> usize {
        self.add_stream_with(text, origin, &Limits::default())
    }

    /// [`CrdSchemas::add_stream`] under given parser limits.
    pub fn add_stream_with(&mut self, text: &str, origin: &str, limits: &Limits) -> usize {
        let stream = parse_stream(text, limits);
        let mut n = 0;
        for doc in &stream.documents {
            let Some(root) = &doc.root else { continue };
            for object in objects_of(doc.index, root) {
                if is_crd(&object) {
                    n += self.add(Arc::new(object.into_value()), origin);
                }
            }
        }
        n
    }

    /// Add the CRDs of a file or of the YAML and JSON files of a directory (`--crd`).
    pub fn add_path(&mut self, path: &Path) -> Result<usize, String> {
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read CRD directory {}: {e}", path.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
                })
                .collect();
            v.sort();
            v
        } else {
            vec![path.to_path_buf()]
        };
        let mut n = 0;
        for f in files {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| format!("cannot read CRD file {}: {e}", f.display()))?;
            n += self.add_stream(&text, &f.display().to_string());
        }
        Ok(n)
    }

    /// Add one CRD's served versions.
    fn add(&mut self, crd: Arc<Value>, origin: &str) -> usize {
        let (Some(group), Some(kind)) = group_kind(&crd) else {
            return 0;
        };
        let spec = &crd["spec"];
        let mut n = 0;
        let versions = spec["versions"].as_array().map_or(&[][..], Vec::as_slice);
        let served: Vec<String> = versions
            .iter()
            .filter(|v| v["served"] != Value::Bool(false))
            .filter_map(|v| Some(format!("{group}/{}", v["name"].as_str()?)))
            .collect();
        for (i, v) in versions.iter().enumerate() {
            let Some(name) = v["name"].as_str() else {
                continue;
            };
            if v["served"] == Value::Bool(false) {
                self.unserved.insert(
                    (format!("{group}/{name}"), kind.to_string()),
                    served.clone(),
                );
                continue;
            }
            // v1 CRDs carry a schema per version; v1beta1 ones may carry one for all.
            let Some(schema) = [SchemaAt::Version(i), SchemaAt::Spec]
                .into_iter()
                .find(|at| at.in_spec(spec).is_object())
            else {
                continue;
            };
            let deprecated = (v["deprecated"] == Value::Bool(true)).then(|| {
                v["deprecationWarning"].as_str().map_or_else(
                    || format!("{group}/{name} {kind} is deprecated"),
                    str::to_string,
                )
            });
            self.by_kind.insert(
                (format!("{group}/{name}"), kind.to_string()),
                CrdVersion {
                    crd: Arc::clone(&crd),
                    schema,
                    known: OnceLock::new(),
                    origin: format!("the CustomResourceDefinition in {origin}"),
                    rules: Default::default(),
                    deprecated,
                },
            );
            n += 1;
        }
        n
    }
}

impl CrdVersion {
    /// The version's structural schema, for defaults and list types.
    fn structural(&self) -> &Value {
        self.schema.in_spec(&self.crd["spec"])
    }

    /// The version's validator and messages, converted on first use.
    pub(super) fn known(&self) -> &Known {
        self.known.get_or_init(|| {
            let converted = Arc::new(to_json_schema(self.structural(), true));
            Known {
                document: Known::ready(Arc::clone(&converted)),
                files: None,
                root: Arc::clone(&converted),
                origin: self.origin.clone(),
                compile: Compile::SelfContained(converted),
                validator: OnceLock::new(),
                tree_validator: OnceLock::new(),
            }
        })
    }

    /// The deprecation finding for an object of this version, if it is deprecated.
    pub(super) fn deprecation(&self) -> Option<Finding> {
        let warning = self.deprecated.as_ref()?;
        Some(
            Finding::new(RuleId::DeprecatedApiVersion, "/apiVersion", warning.clone())
                .label("deprecated apiVersion")
                .help("move to the version its CustomResourceDefinition recommends"),
        )
    }

    /// The object as the API server validates it: with the schema's defaults applied.
    pub(super) fn defaulted(&self, value: &Value) -> Value {
        let mut v = value.clone();
        apply_defaults(self.structural(), &mut v);
        v
    }

    /// Duplicate items of list-type `map` and `set` lists in `value` (defaulted), the strings
    /// that break their schema's `format` (as the API server at 1.`minor` checks them), and the
    /// CEL rules it fails.
    pub(super) fn value_problems(&self, value: &Value, minor: u32, out: &mut Vec<Finding>) {
        let structural = self.structural();
        list_problems(structural, value, "", out);
        super::formats::problems(structural, value, minor, out);
        self.rules.check(structural, value, "", out);
    }
}

/// A structural schema as a JSON Schema (draft 7) that rejects what the API server's strict
/// field validation rejects.
fn to_json_schema(s: &Value, root: bool) -> Value {
    let Some(m) = s.as_object() else {
        return json!({});
    };
    let mut out = Map::new();
    let flag = |k: &str| m.get(k) == Some(&Value::Bool(true));
    for (k, v) in m {
        match k.as_str() {
            "properties" => {
                let props: Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, sub)| (name.clone(), to_json_schema(sub, false)))
                    .collect();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" | "not" => {
                let converted = match v {
                    Value::Bool(b) => Value::Bool(*b),
                    other => to_json_schema(other, false),
                };
                out.insert(k.clone(), converted);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let list: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| to_json_schema(x, false))
                    .collect();
                out.insert(k.clone(), Value::Array(list));
            }
            // Patterns are Go (RE2) regular expressions; one JSON Schema's ECMA dialect cannot
            // hold (`(?i)...`) is left out rather than make the whole schema unusable.
            "pattern" if jsonschema::draft7::meta::is_valid(&json!({ "pattern": v })) => {
                out.insert(k.clone(), v.clone());
            }
            "type" | "enum" | "required" | "minimum" | "maximum" | "exclusiveMinimum"
            | "exclusiveMaximum" | "minLength" | "maxLength" | "minItems" | "maxItems"
            | "uniqueItems" | "minProperties" | "maxProperties" | "multipleOf" | "description" => {
                out.insert(k.clone(), v.clone());
            }
            // `default`, `format`, `x-kubernetes-*` and `nullable` are handled below or by
            // kubevet itself; others are annotations.
            _ => {}
        }
    }
    // OpenAPI 3.0's exclusive bounds are booleans; draft 7's are numbers.
    for (flag_key, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(b)) = out.remove(flag_key) {
            if b {
                if let Some(n) = out.remove(bound) {
                    out.insert(flag_key.into(), n);
                }
            }
        }
    }
    if flag("x-kubernetes-int-or-string") {
        out.remove("type");
        out.insert(
            "anyOf".into(),
            json!([{"type": "integer"}, {"type": "string"}]),
        );
    }
    if flag("x-kubernetes-embedded-resource") {
        let props = out
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(props) = props {
            props
                .entry("apiVersion")
                .or_insert(json!({"type": "string"}));
            props.entry("kind").or_insert(json!({"type": "string"}));
            props.entry("metadata").or_insert(json!({"type": "object"}));
        }
        let required = out.entry("required").or_insert_with(|| json!([]));
        if let Some(r) = required.as_array_mut() {
            for k in ["apiVersion", "kind"] {
                if !r.iter().any(|x| x == k) {
                    r.push(json!(k));
                }
            }
        }
    }
    if root {
        // The API server checks metadata as ObjectMeta and apiVersion/kind itself.
        let props = out
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(props) = props {
            props.insert("apiVersion".into(), json!({"type": "string"}));
            props.insert("kind".into(), json!({"type": "string"}));
            props.insert("metadata".into(), json!({"type": "object"}));
        }
    }
    // Strict: a mapping with declared fields accepts no other, unless told to keep them.
    let is_object = out.get("type") == Some(&json!("object"));
    if is_object
        && !flag("x-kubernetes-preserve-unknown-fields")
        && !out.contains_key("additionalProperties")
        && (out.contains_key("properties") || !flag("x-kubernetes-embedded-resource"))
    {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    if flag("nullable") {
        if let Some(t) = out.get("type").cloned() {
            out.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Value::Array(e)) = out.get_mut("enum") {
            e.push(Value::Null);
        }
    }
    Value::Object(out)
}

/// Apply a structural schema's `default`s to a value, as the API server does before it
/// validates: a missing property with a default gets it, recursively through properties,
/// items and additional properties (defaults inside a default are applied too).
fn apply_defaults(schema: &Value, value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, sub) in props {
                    if !map.contains_key(name) {
                        if let Some(d) = sub.get("default") {
                            map.insert(name.clone(), d.clone());
                        }
                    }
                    if let Some(child) = map.get_mut(name) {
                        apply_defaults(sub, child);
                    }
                }
            }
            if let Some(sub) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                let declared = schema.get("properties").and_then(Value::as_object);
                for (k, child) in map.iter_mut() {
                    if !declared.is_some_and(|d| d.contains_key(k)) {
                        apply_defaults(sub, child);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for item in items {
                    apply_defaults(sub, item);
                }
            }
        }
        _ => {}
    }
}

/// Duplicate items of `x-kubernetes-list-type: map` (by their `x-kubernetes-list-map-keys`)
/// and `set` lists, in the API server's words.
fn list_problems(schema: &Value, value: &Value, at: &str, out: &mut Vec<Finding>) {
    each_node(schema, value, at, &mut |node, v, here| {
        if let Value::Array(items) = v {
            duplicate_items(node, items, here, out);
        }
    });
}

/// Visit every value of an object, parents first, with the structural-schema node that
/// describes it: a key through `properties`, else `additionalProperties`; an item through
/// `items`. Values no node describes are not visited.
pub(super) fn each_node(
    schema: &Value,
    value: &Value,
    at: &str,
    visit: &mut dyn FnMut(&Value, &Value, &str),
) {
    visit(schema, value, at);
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties").filter(|s| s.is_object());
            for (k, child) in map {
                if let Some(sub) = props.and_then(|p| p.get(k)).or(extra) {
                    each_node(sub, child, &crate::pointer::join(at, &[k.as_str()]), visit);
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    each_node(
                        sub,
                        item,
                        &crate::pointer::join(at, &[i.to_string().as_str()]),
                        visit,
                    );
                }
            }
        }
        _ => {}
    }
}

/// The items of a list-type `map` or `set` list (`schema`, at `at`) that repeat an earlier one.
fn duplicate_items(schema: &Value, items: &[Value], at: &str, out: &mut Vec<Finding>) {
    let list_type = schema.get("x-kubernetes-list-type").and_then(Value::as_str);
    let keys: Vec<&str> = schema
        .get("x-kubernetes-list-map-keys")
        .and_then(Value::as_array)
        .map(|k| k.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut seen: Vec<Value> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let identity = match list_type {
            Some("map") if !keys.is_empty() => {
                let mut id = Map::new();
                for k in &keys {
                    if let Some(v) = item.get(*k) {
                        id.insert((*k).to_string(), v.clone());
                    }
                }
                Value::Object(id)
            }
            Some("set") => item.clone(),
            _ => return,
        };
        if !seen.contains(&identity) {
            seen.push(identity);
            continue;
        }
        // Keys sorted, as the API server prints a map.
        let mut identity = identity;
        identity.sort_all_objects();
        let shown = serde_json::to_string(&identity).unwrap_or_default();
        let here = crate::pointer::join(at, &[i.to_string().as_str()]);
        let message = format!(
            "`{}`: Duplicate value: {shown}",
            crate::pointer::dotted(&here)
        );
        let help = match list_type {
            Some("map") => format!(
                "the items of this list are keyed by {}: each key may appear once (defaults count)",
                keys.join(", ")
            ),
            _ => "the items of this list are a set: each may appear once".into(),
        };
        out.push(
            Finding::new(RuleId::Schema, here, message)
                .label("repeats an earlier item")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crd_without_descriptions_is_built_from_its_tree_as_from_its_value() {
        let text = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com, annotations: {description: kept}}
spec:
  group: example.com
  description: not a schema, kept
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        description: first of four keys
        type: object
        properties:
          description: {type: string, description: a field named description}
          spec:
            type: object
            x-kubernetes-validations: [{rule: self.a > 0, message: m}]
            properties:
              list: {type: array, items: {type: string, description: last}}
              tuple: {type: array, items: [{description: d, type: integer}, true]}
              any: {anyOf: [{type: integer}, {description: x, type: string, format: f}]}
              extra: {type: object, additionalProperties: {type: string, description: y, default: {description: z}}}
              flag: {type: object, additionalProperties: false, description: middle, enum: [{description: w}]}
        required: [spec]
  - name: v2
    schema: {openAPIV3Schema: {type: object}}
  - not a mapping
  validation: {openAPIV3Schema: {type: object, description: v1beta1}}
"#;
        let root = crate::source::yaml::parse_one(text).expect("document");
        let mut value = root.to_json();
        drop_descriptions(&mut value);
        let built = value_without_descriptions(&root);
        let json = |v: &Value| serde_json::to_string(v).expect("json");
        assert_eq!(json(&built), json(&value));
        let schema = &built["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
        assert_eq!(schema["properties"]["description"]["type"], "string");
        assert!(!json(&built).contains("a field named description"));
        assert!(json(&built).contains("not a schema, kept"));
        assert!(!json(&built).contains("first of four keys"));
        assert!(!json(&built).contains("\"middle\""));
    }

    #[test]
    fn document_kinds_are_the_kinds_at_the_start_of_a_line() {
        let text = "kind: CustomResourceDefinition\nspec:\n  names:\n    kind: Widget\n---\nkind: Widget # a resource\n---\nkind: \"Gadget\"\r\n";
        assert_eq!(
            document_kinds(text.as_bytes()),
            ["CustomResourceDefinition", "Widget", "Gadget"]
        );
        assert_eq!(
            document_kinds(b"spec:\n  names:\n    kind: Widget\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn index_words_are_the_values_of_block_and_flow_keys() {
        let text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\r\nspec:\n  group: \"example.com\"\n  names:\n    kind: Widget\n  - - kind: 'Gadget'\n  subgroup: no\n  x: kind: no\n  kind:\n\tkind: Tabbed\ngroup: example.com\nkind: Last";
        assert_eq!(
            index_words(text.as_bytes()),
            // `x: kind: no` reads as a flow key: an extra word only widens the files read.
            [
                "CustomResourceDefinition",
                "example.com",
                "Widget",
                "Gadget",
                "no",
                "Tabbed",
                "Last"
            ]
        );
        assert!(index_words(b"").is_empty());
        assert_eq!(
            index_words(b"spec: {group: g.example.com, names: {kind: Flow, plural: flows}}"),
            ["g.example.com", "Flow"]
        );
        assert_eq!(index_words(b"kind: \xff\xfeX\n"), ["\u{fffd}\u{fffd}X"]);
    }

    #[test]
    fn index_words_are_found_in_block_and_flow_style() {
        let words = index_words(
            b"spec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  x: {listKind: WidgetList}\n",
        );
        assert!(words.iter().any(|w| w == "example.com"), "{words:?}");
        assert!(words.iter().any(|w| w == "Widget"), "{words:?}");
        assert!(!words.iter().any(|w| w == "WidgetList"), "{words:?}");
    }

    #[test]
    fn structural_schemas_become_strict_json_schemas() {
        let s = json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "port": {"x-kubernetes-int-or-string": true},
                        "note": {"type": "string", "nullable": true},
                        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                        "min": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}
                    }
                }
            }
        });
        let j = to_json_schema(&s, true);
        assert_eq!(
            j["properties"]["spec"]["additionalProperties"],
            json!(false)
        );
        assert_eq!(
            j["properties"]["spec"]["properties"]["port"]["anyOf"][0]["type"],
            "integer"
        );
        assert_eq!(
            j["properties"]["spec"]["properties"]["note"]["type"],
            json!(["string", "null"])
        );
        assert!(j["properties"]["spec"]["properties"]["extra"]["additionalProperties"].is_null());
        assert_eq!(
            j["properties"]["spec"]["properties"]["min"]["exclusiveMinimum"],
            json!(1)
        );
        assert_eq!(j["properties"]["apiVersion"]["type"], "string");
    }

    #[test]
    fn defaults_are_applied_and_can_make_list_map_duplicates() {
        let s = json!({
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name", "protocol"],
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "protocol": {"type": "string", "default": "TCP"}
                        }
                    }
                }
            }
        });
        let mut v = json!({"items": [{"name": "a"}, {"name": "a", "protocol": "TCP"}, {"name": "a", "protocol": "UDP"}]});
        apply_defaults(&s, &mut v);
        assert_eq!(v["items"][0]["protocol"], "TCP");
        let mut out = Vec::new();
        list_problems(&s, &v, "", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "/items/1");
    }
}
