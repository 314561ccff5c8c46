//! The format of the schema store (`schemas/store.bin`): the strict schemas of every embedded
//! Kubernetes version, deduplicated and compressed, such that one version can be read without
//! decompressing what only other versions use.
//!
//! Every definition (by name and content) and every kind is used by some set of versions.
//! Entries used by the same set of versions form one chunk, compressed on its own; a version
//! is the union of the chunks whose set holds it. An entry is stored once however many
//! versions share it, and reading a version decompresses exactly the entries it has.
//!
//! Layout: the magic bytes, the length of the header (`u32`, little-endian), the header (JSON:
//! the versions, and for each chunk its versions, offset and length after the header, and
//! length once decompressed), then the chunks. A chunk is JSON once decompressed:
//! `{"definitions": {name: schema, ...}, "kinds": [[apiVersion, kind, definition], ...]}`.
//!
//! Chunks are LZ4 blocks (`lz4_flex`, pure Rust): [`decompress`] reads them. Compression is
//! passed in, so this file needs only `serde_json`, `lz4_flex` and [`super::layout`]:
//! `tools/gen-schemas/` includes it to write the store, and kubevet reads it.

use super::layout::{Kind, Schemas};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The first bytes of a store.
const MAGIC: &[u8; 8] = b"kvstore1";

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
}

/// Pack versions into a store. `compress` turns a chunk's bytes into what
/// [`Store::unpack`]'s `decompress` reads back.
pub fn pack(versions: &[Schemas], compress: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    // Entry -> the versions that use it. Definitions are keyed by their compact text.
    type Uses<'a> = (&'a Value, BTreeSet<u32>);
    let mut definitions: BTreeMap<(&str, String), Uses> = BTreeMap::new();
    let mut kinds: BTreeMap<&Kind, BTreeSet<u32>> = BTreeMap::new();
    for v in versions {
        for (name, schema) in &v.definitions {
            let text = serde_json::to_string(schema).unwrap_or_default();
            definitions
                .entry((name.as_str(), text))
                .or_insert_with(|| (schema, BTreeSet::new()))
                .1
                .insert(v.minor);
        }
        for k in &v.kinds {
            kinds.entry(k).or_default().insert(v.minor);
        }
    }
    // Version set -> (definitions, kinds).
    type Contents<'a> = (Map<String, Value>, Vec<&'a Kind>);
    let mut chunks: BTreeMap<&BTreeSet<u32>, Contents> = BTreeMap::new();
    for ((name, _), (schema, set)) in &definitions {
        let entry = chunks.entry(set).or_default();
        entry.0.insert(name.to_string(), (*schema).clone());
    }
    for (kind, set) in &kinds {
        chunks.entry(set).or_default().1.push(kind);
    }
    let mut header_chunks = Vec::new();
    let mut data = Vec::new();
    for (set, (defs, kinds)) in chunks {
        let kinds: Vec<[&str; 3]> = kinds
            .iter()
            .map(|k| [k.api_version.as_str(), &k.kind, &k.definition])
            .collect();
        let raw =
            serde_json::to_vec(&json!({"definitions": defs, "kinds": kinds})).unwrap_or_default();
        let compressed = compress(&raw);
        header_chunks.push(json!({
            "versions": set,
            "offset": data.len(),
            "size": compressed.len(),
            "raw": raw.len(),
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

    /// Read one version, decompressing only its chunks. `decompress` gets a chunk's bytes
    /// and its length once decompressed.
    pub fn unpack(
        &self,
        minor: u32,
        decompress: impl Fn(&[u8], usize) -> Result<Vec<u8>, String>,
    ) -> Result<Schemas, String> {
        self.unpack_with(minor, decompress, |raw| {
            serde_json::from_slice(raw).map_err(|e| e.to_string())
        })
    }

    /// [`Store::unpack`], each decompressed chunk read by `parse` (which may leave out what
    /// its reader never uses).
    pub fn unpack_with(
        &self,
        minor: u32,
        decompress: impl Fn(&[u8], usize) -> Result<Vec<u8>, String>,
        parse: impl Fn(&[u8]) -> Result<Value, String>,
    ) -> Result<Schemas, String> {
        if !self.versions.contains(&minor) {
            return Err(format!("the store has no Kubernetes 1.{minor}"));
        }
        let mut schemas = Schemas {
            minor,
            definitions: Map::new(),
            kinds: Vec::new(),
        };
        for chunk in self.chunks.iter().filter(|c| c.versions.contains(&minor)) {
            let bytes = &self.data[chunk.offset..chunk.offset + chunk.size];
            let raw = decompress(bytes, chunk.raw)?;
            if raw.len() != chunk.raw {
                return Err("a chunk does not decompress to its length".into());
            }
            let mut contents = parse(&raw).map_err(|e| format!("bad chunk: {e}"))?;
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
