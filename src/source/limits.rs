//! Safety limits for hostile input: how large a file, how many documents, how deep a tree and
//! how many nodes alias expansion may produce. Exceeding one is an `io` finding, never a crash.

/// Limits applied while reading and parsing one file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Most documents in one YAML stream.
    pub max_documents: usize,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes one file may expand to, aliases included.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_documents: 10_000,
            max_depth: 256,
            max_nodes: 2_000_000,
        }
    }
}
