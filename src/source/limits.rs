//! Safety limits for hostile input: how large a file, how many documents, how deep a tree and
//! how many nodes alias expansion may produce. Exceeding one is an `io` finding naming the
//! file, never a crash. Each has a `--max-*` flag and a key of the configuration's `[limits]`
//! table; the defaults are set so that no real manifest meets them: memory is bounded by the
//! file size, and the other limits only stop what would cost far more than the file's size.

/// Limits applied while reading and parsing one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (`--max-file-size`, `max-file-size`): bounds the memory
    /// of one file.
    pub max_file_bytes: u64,
    /// Most documents in one YAML stream (`--max-documents`, `max-documents`): bounds the
    /// per-document work on a stream of empty documents.
    pub max_documents: usize,
    /// Deepest nesting of sequences and mappings (`--max-depth`, `max-depth`): bounds the
    /// recursion of every later step over the tree.
    pub max_depth: usize,
    /// Most nodes one file may expand to, aliases included (`--max-nodes`, `max-nodes`):
    /// bounds the memory and time an alias bomb can take.
    pub max_nodes: usize,
}

/// The default largest file: 50 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// The default most documents per file: a 50 MiB file of small manifests holds fewer.
pub const DEFAULT_MAX_DOCUMENTS: usize = 500_000;
/// The default deepest nesting: Kubernetes objects and CRD schemas stay far below it.
pub const DEFAULT_MAX_DEPTH: usize = 256;
/// The default most nodes per file: about what 40 MB of ordinary manifests holds (5 MB of
/// 40,000 small Pods is about 600,000), while an alias bomb stops at a few hundred MB.
pub const DEFAULT_MAX_NODES: usize = 5_000_000;
/// The deepest nesting that may be configured: every step over a tree recurses once per
/// level, and deeper trees would overflow a thread's stack.
pub const MAX_DEPTH_CEILING: usize = 1_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_documents: DEFAULT_MAX_DOCUMENTS,
            max_depth: DEFAULT_MAX_DEPTH,
            max_nodes: DEFAULT_MAX_NODES,
        }
    }
}
