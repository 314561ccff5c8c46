//! The format of the schema store (`schemas/store.bin`): the strict schemas of every embedded
//! Kubernetes version, deduplicated and compressed, such that one version can be read without
//! decompressing what only other versions use, and without the descriptions of its fields.
//!
//! Every definition is stored as two entries: its structure (the schema without the
//! `description` strings of its schema nodes) and those descriptions (a tree of the same shape
//! holding only them). Descriptions are three quarters of the bytes and only the editor shows
//! them, so a check reads the structure alone. Every entry (by name and content) and every
//! kind is used by some set of versions. Entries of one part used by the same set of versions
//! form one chunk, compressed on its own; a version is the union of the chunks whose set holds
//! it. An entry is stored once however many versions share it, and reading a version
//! decompresses exactly the entries it has.
//!
//! Layout: the magic bytes, the length of the header (`u32`, little-endian), the header (JSON:
//! the versions, and for each chunk its versions, offset and length after the header, length
//! once decompressed, and whether it holds descriptions), then the chunks. A chunk is JSON
//! once decompressed: `{"definitions": {name: schema, ...}, "kinds": [[apiVersion, kind,
//! definition], ...]}`, or `{"descriptions": {name: tree, ...}}`.
//!
//! Chunks are LZ4 blocks (`lz4_flex`, pure Rust): [`decompress`] reads them. Compression is
//! passed in, so this file needs only `serde_json`, `lz4_flex` and [`super::layout`]:
//! `tools/gen-schemas/` includes it to write the store, and kubevet reads it.

use super::layout::{Kind, Schemas};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The first bytes of a store.
const MAGIC: &[u8; 8] = b"kvstore2";

/// Decompress one chunk (an LZ4 block) of `raw` bytes once decompressed.
pub fn decompress(bytes: &[u8], raw: usize) -> Result<Vec<u8>, String> {
    lz4_flex::block::decompress(bytes, raw).map_err(|e| format!("a chunk does not decompress: {e}"))
}

/// One chunk: the versions it belongs to and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub versions: Vec<u32>,
    /// Offset of the compressed bytes after the header.
    pub offset: usize,
    /// Length of the compressed bytes.
    pub size: usize,
    /// Length once decompressed.
    pub raw: usize,
    /// Whether it holds descriptions rather than schemas and kinds.
    pub descriptions: bool,
}

/// Keys whose values are instance data rather than schemas: a `description` inside them is
/// data, and stays with the structure.
fn is_data(key: &str) -> bool {
    matches!(key, "default" | "enum" | "example" | "examples" | "const") || key.starts_with("x-")
}

/// A schema's structure (without the `description` strings of its schema nodes) and its
/// descriptions (a tree of the same shape holding only them; `None` when it has none).
pub fn split(schema: &Value) -> (Value, Option<Value>) {
    match schema {
        Value::Object(map) => {
            let mut structure = Map::new();
            let mut descriptions = Map::new();
            for (key, value) in map {
                if key == "description" && value.is_string() {
                    descriptions.insert(key.clone(), value.clone());
                } else if is_data(key) {
                    structure.insert(key.clone(), value.clone());
                } else {
                    let (s, d) = split(value);
                    structure.insert(key.clone(), s);
                    if let Some(d) = d {
                        descriptions.insert(key.clone(), d);
                    }
                }
            }
            let descriptions = (!descriptions.is_empty()).then_some(Value::Object(descriptions));
            (Value::Object(structure), descriptions)
        }
        Value::Array(items) => {
            let (structure, descriptions): (Vec<Value>, Vec<Option<Value>>) =
                items.iter().map(split).unzip();
            let descriptions = descriptions.iter().any(Option::is_some).then(|| {
                Value::Array(
                    descriptions
                        .into_iter()
                        .map(|d| d.unwrap_or(Value::Null))
                        .collect(),
                )
            });
            (Value::Array(structure), descriptions)
        }
        other => (other.clone(), None),
    }
}

/// Put the descriptions [`split`] took out of a schema back into its structure.
pub fn merge(structure: &mut Value, descriptions: Value) -> Result<(), String> {
    match (structure, descriptions) {
        (Value::Object(map), Value::Object(descriptions)) => {
            for (key, d) in descriptions {
                if key == "description" && d.is_string() {
                    map.insert(key, d);
                } else {
                    let at = map
                        .get_mut(&key)
                        .ok_or_else(|| format!("a description for `{key}`, which is not there"))?;
                    merge(at, d)?;
                }
            }
            Ok(())
        }
        (Value::Array(items), Value::Array(descriptions)) => {
            if items.len() != descriptions.len() {
                return Err("descriptions for a list of another length".into());
            }
            for (item, d) in items.iter_mut().zip(descriptions) {
                if !d.is_null() {
                    merge(item, d)?;
                }
            }
            Ok(())
        }
        _ => Err("descriptions of another shape than their schema".into()),
    }
}

/// Pack versions into a store. `compress` turns a chunk's bytes into what
/// [`Store::unpack`]'s `decompress` reads back.
pub fn pack(versions: &[Schemas], compress: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    // Entry -> the versions that use it. Entries are keyed by name and compact text.
    type Uses = (Value, BTreeSet<u32>);
    let mut definitions: BTreeMap<(&str, String), Uses> = BTreeMap::new();
    let mut descriptions: BTreeMap<(&str, String), Uses> = BTreeMap::new();
    let mut kinds: BTreeMap<&Kind, BTreeSet<u32>> = BTreeMap::new();
    fn note<'a>(
        entries: &mut BTreeMap<(&'a str, String), Uses>,
        name: &'a str,
        mut value: Value,
        minor: u32,
    ) {
        value.sort_all_objects();
        let text = serde_json::to_string(&value).unwrap_or_default();
        entries
            .entry((name, text))
            .or_insert_with(|| (value, BTreeSet::new()))
            .1
            .insert(minor);
    }
    for v in versions {
        for (name, schema) in &v.definitions {
            let (structure, described) = split(schema);
            note(&mut definitions, name.as_str(), structure, v.minor);
            if let Some(d) = described {
                note(&mut descriptions, name.as_str(), d, v.minor);
            }
        }
        for k in &v.kinds {
            kinds.entry(k).or_default().insert(v.minor);
        }
    }
    // (Holds descriptions, version set) -> (definitions or descriptions, kinds).
    type Contents<'a> = (Map<String, Value>, Vec<&'a Kind>);
    let mut chunks: BTreeMap<(bool, &BTreeSet<u32>), Contents> = BTreeMap::new();
    for (part, entries) in [(false, &definitions), (true, &descriptions)] {
        for ((name, _), (value, set)) in entries {
            let entry = chunks.entry((part, set)).or_default();
            entry.0.insert(name.to_string(), value.clone());
        }
    }
    for (kind, set) in &kinds {
        chunks.entry((false, set)).or_default().1.push(kind);
    }
    let mut header_chunks = Vec::new();
    let mut data = Vec::new();
    for ((part, set), (entries, kinds)) in chunks {
        let mut contents = if part {
            json!({"descriptions": entries})
        } else {
            let kinds: Vec<[&str; 3]> = kinds
                .iter()
                .map(|k| [k.api_version.as_str(), &k.kind, &k.definition])
                .collect();
            json!({"definitions": entries, "kinds": kinds})
        };
        // Keys sorted, so the store's bytes do not depend on the order the generator
        // inserted them in (and read back, each mapping lists them in that order).
        contents.sort_all_objects();
        let raw = serde_json::to_vec(&contents).unwrap_or_default();
        let compressed = compress(&raw);
        header_chunks.push(json!({
            "versions": set,
            "offset": data.len(),
            "size": compressed.len(),
            "raw": raw.len(),
            "descriptions": part,
        }));
        data.extend_from_slice(&compressed);
    }
    let minors: Vec<u32> = versions.iter().map(|v| v.minor).collect();
    let header = serde_json::to_vec(&json!({"versions": minors, "chunks": header_chunks}))
        .unwrap_or_default();
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + header.len() + data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(
        &u32::try_from(header.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    out.extend_from_slice(&header);
    out.extend_from_slice(&data);
    out
}

/// An opened store: its header read, its chunks still compressed.
#[derive(Debug, Clone)]
pub struct Store<'a> {
    versions: Vec<u32>,
    chunks: Vec<Chunk>,
    data: &'a [u8],
}

impl<'a> Store<'a> {
    /// Read the header of a store.
    pub fn open(bytes: &'a [u8]) -> Result<Store<'a>, String> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or("not a schema store")?;
        let (len, rest) = rest.split_first_chunk::<4>().ok_or("truncated header")?;
        let len = u32::from_le_bytes(*len) as usize;
        if rest.len() < len {
            return Err("truncated header".into());
        }
        let (header, data) = rest.split_at(len);
        let header: Value =
            serde_json::from_slice(header).map_err(|e| format!("bad header: {e}"))?;
        let numbers = |v: &Value| -> Option<Vec<u32>> {
            v.as_array()?
                .iter()
                .map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()))
                .collect()
        };
        let size = |v: &Value| v.as_u64().and_then(|n| usize::try_from(n).ok());
        let versions = numbers(&header["versions"]).ok_or("bad header: versions")?;
        let chunks = header["chunks"]
            .as_array()
            .ok_or("bad header: chunks")?
            .iter()
            .map(|c| {
                let chunk = Chunk {
                    versions: numbers(&c["versions"])?,
                    offset: size(&c["offset"])?,
                    size: size(&c["size"])?,
                    raw: size(&c["raw"])?,
                    descriptions: c["descriptions"].as_bool()?,
                };
                let in_bounds = chunk
                    .offset
                    .checked_add(chunk.size)
                    .is_some_and(|end| end <= data.len());
                in_bounds.then_some(chunk)
            })
            .collect::<Option<Vec<_>>>()
            .ok_or("bad header: chunk")?;
        Ok(Store {
            versions,
            chunks,
            data,
        })
    }

    /// The minor versions the store holds, as packed.
    pub fn versions(&self) -> &[u32] {
        &self.versions
    }

    /// The chunks, in the order they are stored.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// The chunks of one version (the structure ones, and the descriptions ones if
    /// `described`), each with its bytes decompressed. `decompress` gets a chunk's bytes and
    /// its length once decompressed.
    fn decompressed(
        &self,
        minor: u32,
        decompress: impl Fn(&[u8], usize) -> Result<Vec<u8>, String>,
        described: bool,
    ) -> Result<Vec<(&Chunk, Vec<u8>)>, String> {
        if !self.versions.contains(&minor) {
            return Err(format!("the store has no Kubernetes 1.{minor}"));
        }
        self.chunks
            .iter()
            .filter(|c| c.versions.contains(&minor) && (described || !c.descriptions))
            .map(|chunk| {
                let bytes = &self.data[chunk.offset..chunk.offset + chunk.size];
                let raw = decompress(bytes, chunk.raw)?;
                if raw.len() != chunk.raw {
                    return Err("a chunk does not decompress to its length".to_string());
                }
                Ok((chunk, raw))
            })
            .collect()
    }

    /// The structure chunks of one version (no descriptions), decompressed but not parsed:
    /// JSON text each, `{"definitions": {name: schema, ...}, "kinds": [...]}`. A reader can
    /// then parse only the definitions it needs.
    pub fn structure_chunks(
        &self,
        minor: u32,
        decompress: impl Fn(&[u8], usize) -> Result<Vec<u8>, String>,
    ) -> Result<Vec<Vec<u8>>, String> {
        let chunks = self.decompressed(minor, decompress, false)?;
        Ok(chunks.into_iter().map(|(_, raw)| raw).collect())
    }

    /// Read one version, descriptions included, decompressing only its chunks. `decompress`
    /// gets a chunk's bytes and its length once decompressed.
    pub fn unpack(
        &self,
        minor: u32,
        decompress: impl Fn(&[u8], usize) -> Result<Vec<u8>, String>,
    ) -> Result<Schemas, String> {
        let chunks = self.decompressed(minor, decompress, true)?;
        let mut schemas = Schemas {
            minor,
            definitions: Map::new(),
            kinds: Vec::new(),
        };
        let mut descriptions = Map::new();
        for (chunk, raw) in chunks {
            let mut contents: Value =
                serde_json::from_slice(&raw).map_err(|e| format!("bad chunk: {e}"))?;
            if chunk.descriptions {
                match contents["descriptions"].take() {
                    Value::Object(d) => descriptions.extend(d),
                    _ => return Err("bad chunk: descriptions".into()),
                }
                continue;
            }
            if let Value::Object(defs) = contents["definitions"].take() {
                schemas.definitions.extend(defs);
            }
            for k in contents["kinds"].as_array().into_iter().flatten() {
                let field = |i: usize| k[i].as_str().map(str::to_string);
                let (Some(api_version), Some(kind), Some(definition)) =
                    (field(0), field(1), field(2))
                else {
                    return Err("bad chunk: kind".into());
                };
                schemas.kinds.push(Kind {
                    api_version,
                    kind,
                    definition,
                });
            }
        }
        for (name, d) in descriptions {
            let schema = schemas
                .definitions
                .get_mut(&name)
                .ok_or_else(|| format!("bad chunk: descriptions of {name}, which it lacks"))?;
            merge(schema, d).map_err(|e| format!("bad chunk: {name}: {e}"))?;
        }
        schemas.kinds.sort();
        Ok(schemas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(minor: u32, defs: &[(&str, Value)], kinds: &[(&str, &str, &str)]) -> Schemas {
        let mut kinds: Vec<Kind> = kinds
            .iter()
            .map(|(a, k, d)| Kind {
                api_version: a.to_string(),
                kind: k.to_string(),
                definition: d.to_string(),
            })
            .collect();
        kinds.sort();
        Schemas {
            minor,
            definitions: defs
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            kinds,
        }
    }

    /// A reversible stand-in for compression, so that a test notices a chunk that is not
    /// passed through it.
    fn flip(bytes: &[u8]) -> Vec<u8> {
        bytes.iter().map(|b| !b).collect()
    }

    #[test]
    fn versions_round_trip_and_shared_entries_are_stored_once() {
        let pod = ("v1", "Pod", "Pod");
        let old = version(
            30,
            &[
                ("Pod", json!({"type": "object"})),
                ("Old", json!({"type": "string"})),
            ],
            &[pod, ("v1alpha1", "Old", "Old")],
        );
        let mid = version(31, &[("Pod", json!({"type": "object"}))], &[pod]);
        let new = version(
            32,
            &[
                ("Pod", json!({"type": "object", "properties": {}})),
                ("New", json!({"type": "integer"})),
            ],
            &[pod, ("v1", "New", "New")],
        );
        let all = [old, mid, new];
        let bytes = pack(&all, flip);
        let store = Store::open(&bytes).expect("opens");
        assert_eq!(store.versions(), &[30, 31, 32]);
        let undo = |b: &[u8], _: usize| Ok(flip(b));
        for v in &all {
            assert_eq!(store.unpack(v.minor, undo).as_ref(), Ok(v));
        }
        // The Pod kind (all three), the Pod definition of 30 and 31, and what only 30 or 32
        // has: three chunks.
        let sets: Vec<&[u32]> = store.chunks().iter().map(|c| &c.versions[..]).collect();
        assert_eq!(sets, [&[30][..], &[30, 31], &[30, 31, 32], &[32]]);
        // Reading 32 touches only the chunks that hold 32.
        let touched = std::cell::Cell::new(0);
        let counting = |b: &[u8], _: usize| {
            touched.set(touched.get() + 1);
            Ok(flip(b))
        };
        assert!(store.unpack(32, counting).is_ok());
        assert_eq!(touched.get(), 2);
        assert!(store.unpack(29, undo).is_err());
    }

    #[test]
    fn descriptions_are_stored_apart_and_read_only_when_asked() {
        let described = json!({
            "description": "A pod.",
            "type": "object",
            "properties": {
                "description": {"description": "Its own prose.", "type": "string"},
                "mode": {"enum": ["description"], "default": {"description": "data"}},
                "list": {"items": {"type": "string"}, "x-kubernetes-list-type": "set"}
            },
            "allOf": [{"type": "object"}, {"description": "Second.", "nullable": true}]
        });
        let undescribed = json!({
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "mode": {"enum": ["description"], "default": {"description": "data"}},
                "list": {"items": {"type": "string"}, "x-kubernetes-list-type": "set"}
            },
            "allOf": [{"type": "object"}, {"nullable": true}]
        });
        let (structure, descriptions) = split(&described);
        assert_eq!(structure, undescribed);
        let mut merged = structure.clone();
        merge(&mut merged, descriptions.expect("has descriptions")).expect("merges");
        assert_eq!(merged, described);
        assert_eq!(split(&undescribed), (undescribed.clone(), None));

        let pod = ("v1", "Pod", "Pod");
        let with = version(30, &[("Pod", described.clone())], &[pod]);
        // The next version changes only the prose: the structure is stored once.
        let mut reworded = described.clone();
        reworded["description"] = json!("A pod, reworded.");
        let next = version(31, &[("Pod", reworded)], &[pod]);
        let bytes = pack(&[with.clone(), next.clone()], flip);
        let store = Store::open(&bytes).expect("opens");
        let undo = |b: &[u8], _: usize| Ok(flip(b));
        assert_eq!(store.unpack(30, undo).as_ref(), Ok(&with));
        assert_eq!(store.unpack(31, undo).as_ref(), Ok(&next));
        let parts: Vec<(&[u32], bool)> = store
            .chunks()
            .iter()
            .map(|c| (&c.versions[..], c.descriptions))
            .collect();
        assert_eq!(
            parts,
            [(&[30, 31][..], false), (&[30], true), (&[31], true)]
        );
        let touched = std::cell::Cell::new(0);
        let counting = |b: &[u8], _: usize| {
            touched.set(touched.get() + 1);
            Ok(flip(b))
        };
        let lean = store.structure_chunks(31, counting).expect("reads");
        assert_eq!(touched.get(), 1);
        let chunk: Value = serde_json::from_slice(&lean[0]).expect("parses");
        assert_eq!(chunk["definitions"]["Pod"], undescribed);
        assert!(store.structure_chunks(29, counting).is_err());
    }

    #[test]
    fn damaged_stores_are_refused() {
        let bytes = pack(&[version(30, &[], &[])], flip);
        assert!(Store::open(&bytes).is_ok());
        assert!(Store::open(b"kvstore0").is_err());
        assert!(Store::open(&bytes[..10]).is_err());
        let mut wrong_length = bytes.clone();
        wrong_length[8] = 0xff;
        assert!(Store::open(&wrong_length).is_err());
        let one = pack(
            &[version(30, &[("A", json!({}))], &[("v1", "A", "A")])],
            flip,
        );
        let store = Store::open(&one).expect("opens");
        let bad = |_: &[u8], _: usize| Ok(b"{}".to_vec());
        assert!(store.unpack(30, bad).is_err());
        let failing = |_: &[u8], _: usize| Err("broken".to_string());
        assert_eq!(store.unpack(30, failing), Err("broken".to_string()));
    }
}
