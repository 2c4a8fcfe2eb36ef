//! What the in-process dedup state costs: [`StateMemory`], and the
//! estimates of heap bytes it is built from.

/// estimated heap bytes of each structure (from the capacities of the
/// tables and arrays, and the allocator's chunk sizes for id strings: an
/// estimate of what the state adds to the resident memory, not a reading
/// of it; `cargo bench --bench dedup -- --window N` prints both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateMemory {
    /// Remembered article fingerprints.
    pub articles: usize,
    /// The LSH band table (one cell per band of every filed article).
    pub band_table: usize,
    /// The packed MinHash sketches (one per slot).
    pub sketches: usize,
    /// Exact keys (id, canonical URL, content hash) and their claimants.
    pub exact_keys: usize,
    /// The expiry queue.
    pub expiry_queue: usize,
    /// Interned article ids: slot records, id strings, the id table and the
    /// per-slot claimants.
    pub ids: usize,
}

impl StateMemory {
    /// All structures together.
    pub fn total(&self) -> usize {
        self.band_table + self.sketches + self.exact_keys + self.expiry_queue + self.ids
    }
}

/// Estimated heap bytes of a standard `HashMap` with room for `capacity`
/// entries of `entry` bytes (SwissTable: a power-of-two bucket count at
/// most 7/8 full, one control byte per bucket plus one group).
pub(crate) fn hash_map_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        (capacity + 1).next_power_of_two()
    } else {
        (capacity.saturating_mul(8) / 7).next_power_of_two()
    };
    buckets * (entry + 1) + 16
}

/// Estimated bytes the allocator takes for a heap block of `len` bytes
/// (glibc malloc: an 8-byte header, 16-byte alignment, 32-byte minimum).
pub(crate) fn heap_block_bytes(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        ((len + 8 + 15) & !15).max(32)
    }
}
