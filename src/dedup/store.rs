//! The "seen" stores behind one trait: in memory ([`MemoryStore`]: replay,
//! eval, tests, and each replica's state in the service's log store,
//! [`super::log::LogStore`]), a local file ([`super::file::FileStore`]:
//! `replay --state`), JetStream KV ([`super::kv::KvStore`]: the service's
//! alternative). All run the same decision logic ([`decide`]) over a small
//! [`Backend`] of key operations, so they agree on every verdict.
//!
//! The decision for one article, in this order:
//! 1. Exact keys `id.*`, `url.*`, `content.*`: atomic create-if-absent with the
//!    article id as the value (first writer wins). An existing key owned by
//!    another id is a duplicate (method id/url/content). An existing key owned
//!    by the same id is "mine" — except the id key, which is "mine" only for
//!    the same transport message: its value also records the claimant (the
//!    raw stream sequence), compared when both sides have one; without a
//!    claimant (replay) a redelivery flag decides. A fresh message repeating
//!    a claimed id is a duplicate.
//! 2. Near keys: the LSH band keys `near.<band>.<hash>` list the ids that
//!    registered in that band (the in-memory core files them by the hash of
//!    the band's sketch values instead: [`Band`]). Candidates found there are verified with their
//!    fingerprints (`sig.*`) and [`super::near::is_near`]. Fast path: a verified
//!    candidate while this article is not registered → duplicate (nothing
//!    written).
//! 3. Otherwise register: append the id to every band (atomic per band), then
//!    write `sig.<id>` create-if-absent, which gives the article its
//!    registration sequence `seq` (one counter for all articles: the KV stream
//!    sequence), then read the bands again. A verified candidate with a
//!    smaller `seq` makes the article a duplicate of it.
//!
//! Why two near-copies A and B claimed at once on two replicas give exactly
//! one New: say `seq(A) < seq(B)`. A appended its bands before writing its
//! sig, which came before B's sig, which came before B's second read; so B
//! reads A (in a shared band) and A's sig, verifies it, and is a duplicate.
//! A defers only to smaller sequences, never to B. Duplicates always point to
//! a smaller sequence (or to an article found before registering), so chains
//! of duplicates end at a New article and never form a cycle. A redelivered
//! article keeps its first sequence (the sig is create-if-absent), so copies
//! that arrived meanwhile still defer to it.
//!
//! A claim is made before the article is published; a worker that dies in
//! between leaves claims owned by its article id, which the redelivery finds
//! as "mine" (see the module docs of [`super`]).

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{try_join_all, BoxFuture};

use super::near::{
    band_hashes, is_near, key_hash, mix64, pack, packed_len, packed_value, sketch_band_hash,
    sketch_band_hashes, sketch_bits, sketch_of, unpack, Fingerprint, NearConfig,
};
use super::{DedupKeys, Verdict};
use crate::article::short_hash;
use crate::output::DuplicateMethod;

/// A store failure: transient (retry the article later).
#[derive(Debug, thiserror::Error)]
#[error("dedup store: {0}")]
pub struct StoreError(pub String);

/// Remembers claimed keys. `claim` is atomic per key: the first article id to
/// claim a key owns it. A later claim of the url/content/near keys by the
/// same id is "mine" ([`Verdict::New`]). The id key itself is "mine" only for
/// a redelivery (`redelivered`: the transport delivered this very message
/// before, e.g. the worker died before acking); a fresh message that repeats
/// an already claimed id is a duplicate (method `id`).
pub trait SeenStore: Send + Sync {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>>;

    /// What this process holds of the dedup state, for the
    /// `lede_dedup_*` gauges; `None` for a store that keeps it elsewhere
    /// (the KV bucket).
    fn memory(&self) -> Option<StateMemory> {
        None
    }
}

/// The in-process dedup state's size: remembered articles and the
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
fn hash_map_bytes(capacity: usize, entry: usize) -> usize {
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
fn heap_block_bytes(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        ((len + 8 + 15) & !15).max(32)
    }
}

/// Separates the article id from the claimant in the id key's value.
pub const CLAIMANT_SEP: char = '\u{1f}';

/// Default dedup window: 7 days.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

/// Most candidates verified per article (those sharing the most bands first).
const MAX_CANDIDATES: usize = 64;

/// The key operations the decision needs. Keys are valid JetStream KV keys.
pub trait Backend: Send + Sync {
    /// Create `key` owned by `owner` unless it exists: `None` when created
    /// now, else the existing owner.
    fn create<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>>;
    /// Remember the fingerprint of article `id` unless it is remembered
    /// already (first write wins); returns its registration sequence: a
    /// number from one counter shared by all articles, larger for later
    /// registrations (the KV stream sequence of the `sig.*` entry).
    fn put_sig<'a>(
        &'a self,
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;
    /// The fingerprint of article `id` and its registration sequence.
    fn get_sig<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<(Fingerprint, u64)>, StoreError>>;
    /// The ids registered in a band, oldest first.
    fn band_members<'a>(&'a self, band: &'a Band)
        -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    /// Append `id` to every band of `bands` (the bands of `fp`), idempotent,
    /// each band atomically with respect to other appends and reads of it.
    fn join_bands<'a>(
        &'a self,
        bands: &'a [Band],
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// One LSH band of a fingerprint, in the two forms the stores use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub index: u32,
    /// The key in a shared bucket, `near.<index>.<hash>` over the band's
    /// MinHash values ([`band_hashes`]): the KV bucket's form since its
    /// first version, so its entries stay readable across versions.
    pub key: String,
    /// The hash of the band's sketch values ([`sketch_band_hash`]): what
    /// the in-memory core files an article under (it keeps the sketch, not
    /// the signature, and recomputes this when the article expires).
    pub sketch: u64,
}

/// The exact keys of an article, in decision order.
pub fn exact_keys(keys: &DedupKeys) -> Vec<(String, DuplicateMethod)> {
    let mut out = vec![(format!("id.{}", short_hash(&keys.id)), DuplicateMethod::Id)];
    if let Some(u) = &keys.url {
        out.push((format!("url.{}", short_hash(u)), DuplicateMethod::Url));
    }
    out.push((
        format!("content.{}", short_hash(&keys.content)),
        DuplicateMethod::Content,
    ));
    out
}

/// The LSH band keys of a fingerprint (the shared-bucket form, from its
/// MinHash signature).
pub fn band_keys(fp: &Fingerprint, cfg: &NearConfig) -> Vec<String> {
    band_hashes(fp, cfg)
        .iter()
        .enumerate()
        .map(|(i, h)| format!("near.{i}.{h:016x}"))
        .collect()
}

/// The LSH bands of a fingerprint with a signature: its band keys paired
/// with the hashes of the same bands of its sketch (empty when it has no
/// signature or no sketch of `cfg`'s width can be had).
pub fn bands(fp: &Fingerprint, cfg: &NearConfig) -> Vec<Band> {
    band_keys(fp, cfg)
        .into_iter()
        .zip(sketch_band_hashes(fp, cfg))
        .enumerate()
        .map(|(i, (key, sketch))| Band {
            index: i as u32,
            key,
            sketch,
        })
        .collect()
}

/// The value an article stores under one of its exact keys: its id, plus
/// the transport claimant on the id key (see the module docs).
pub fn owner_value(keys: &DedupKeys, method: DuplicateMethod) -> String {
    match (&keys.claimant, method) {
        (Some(c), DuplicateMethod::Id) => format!("{}{CLAIMANT_SEP}{c}", keys.id),
        _ => keys.id.clone(),
    }
}

/// Whether a fingerprint takes part in near-duplicate search (enough
/// shingles and a signature); shorter texts only have exact keys.
pub fn has_near_keys(fp: &Fingerprint, cfg: &NearConfig) -> bool {
    (fp.total as usize) >= cfg.min_shingles && !fp.minhash.is_empty()
}

/// The decision described in the module docs, over any backend.
pub async fn decide(
    b: &dyn Backend,
    keys: &DedupKeys,
    redelivered: bool,
    cfg: &NearConfig,
) -> Result<Verdict, StoreError> {
    for (key, method) in exact_keys(keys) {
        let value = owner_value(keys, method);
        if let Some(stored) = b.create(&key, &value).await? {
            let (owner, claimant) = match stored.split_once(CLAIMANT_SEP) {
                Some((o, c)) => (o.to_string(), Some(c)),
                None => (stored.clone(), None),
            };
            let mine = owner == keys.id
                && (method != DuplicateMethod::Id
                    || match (claimant, keys.claimant.as_deref()) {
                        // Both known: the same transport message or not.
                        (Some(theirs), Some(ours)) => theirs == ours,
                        _ => redelivered,
                    });
            if !mine {
                return Ok(Verdict::Duplicate {
                    of: owner,
                    method,
                    similarity: 1.0,
                });
            }
        }
    }
    if !has_near_keys(&keys.near, cfg) {
        return Ok(Verdict::New);
    }
    let bkeys = bands(&keys.near, cfg);
    if bkeys.is_empty() {
        return Ok(Verdict::New);
    }
    // Fast path: a registered, verified near-copy while this article is not
    // registered: a duplicate, and nothing is written.
    let members = try_join_all(bkeys.iter().map(|k| b.band_members(k))).await?;
    let registered = members.iter().any(|m| m.iter().any(|x| x == &keys.id));
    if !registered {
        let cands = rank_candidates(&members, &keys.id);
        if let Some((of, sim)) = best_verified(b, &cands, keys, cfg, u64::MAX).await? {
            return Ok(near_dup(of, sim));
        }
    }
    // Register: bands first, then the fingerprint (its sequence orders the
    // registrations), then read the bands again.
    b.join_bands(&bkeys, &keys.id, &keys.near).await?;
    let my_seq = b.put_sig(&keys.id, &keys.near).await?;
    let members = try_join_all(bkeys.iter().map(|k| b.band_members(k))).await?;
    let cands = rank_candidates(&members, &keys.id);
    if let Some((of, sim)) = best_verified(b, &cands, keys, cfg, my_seq).await? {
        return Ok(near_dup(of, sim));
    }
    Ok(Verdict::New)
}

fn near_dup(of: String, similarity: f64) -> Verdict {
    Verdict::Duplicate {
        of,
        method: DuplicateMethod::Near,
        similarity,
    }
}

/// Distinct ids other than `me`, those in the most bands first (ties: first seen).
fn rank_candidates(members: &[Vec<String>], me: &str) -> Vec<String> {
    let mut count: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut n = 0usize;
    for band in members {
        for id in band {
            if id == me {
                continue;
            }
            let e = count.entry(id.as_str()).or_insert((0, n));
            e.0 += 1;
            n += 1;
        }
    }
    let mut v: Vec<(&str, (usize, usize))> = count.into_iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    v.into_iter()
        .take(MAX_CANDIDATES)
        .map(|(id, _)| id.to_string())
        .collect()
}

/// The most similar verified candidate registered before `my_seq`
/// (candidates whose fingerprint is not written yet are still registering:
/// they will see this article and defer to it).
async fn best_verified(
    b: &dyn Backend,
    cands: &[String],
    keys: &DedupKeys,
    cfg: &NearConfig,
    my_seq: u64,
) -> Result<Option<(String, f64)>, StoreError> {
    if cands.is_empty() {
        return Ok(None);
    }
    let sigs = try_join_all(cands.iter().map(|c| b.get_sig(c))).await?;
    let mut best: Option<(String, f64)> = None;
    for (cand, sig) in cands.iter().zip(sigs) {
        let Some((fp, seq)) = sig else { continue };
        if seq >= my_seq {
            continue;
        }
        let Some(sim) = is_near(&keys.near, &fp, cfg) else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, s)| sim > *s) {
            best = Some((cand.clone(), sim));
        }
    }
    Ok(best)
}

/// Seconds since the Unix epoch, or a manual clock for tests.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicU64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(None)
    }
    /// A clock that only moves when told (tests).
    pub fn manual(start: u64) -> (Self, Arc<AtomicU64>) {
        let a = Arc::new(AtomicU64::new(start));
        (Clock(Some(a.clone())), a)
    }
    pub fn now(&self) -> u64 {
        match &self.0 {
            Some(a) => a.load(Ordering::Relaxed),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        }
    }
}

/// Hashes `u64` keys that are already uniform hashes ([`key_hash`] values):
/// one SplitMix64 round over the key xor a per-process random seed (so the
/// table layout cannot be steered from outside), instead of SipHash.
#[derive(Clone, Copy)]
struct SeededU64(u64);

impl Default for SeededU64 {
    fn default() -> Self {
        SeededU64(std::collections::hash_map::RandomState::new().hash_one(0x6c65_6465u64))
    }
}

impl BuildHasher for SeededU64 {
    type Hasher = U64Hasher;
    fn build_hasher(&self) -> U64Hasher {
        U64Hasher(self.0)
    }
}

struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix64(self.0 ^ u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix64(self.0 ^ n);
    }
}

/// Bits of a slot number in a [`SlotTable`] cell (the other 6 are a tag):
/// at most 2^26 - 1 interned ids (67 million) take part in near search.
const SLOT_BITS: u32 = 26;
const TAG_BITS: u32 = 32 - SLOT_BITS;
const TAG_MASK: u32 = (1 << TAG_BITS) - 1;
/// The largest slot number a table cell can hold.
const MAX_SLOT: u32 = (1 << SLOT_BITS) - 2;
const EMPTY: u32 = u32::MAX;
const TOMB: u32 = u32::MAX - 1;

/// An open-addressing multimap from 32-bit hashes to slot numbers, one
/// `u32` per entry: the slot number and a 6-bit tag of the hash, placed by
/// linear probing from the seeded hash's home cell. A lookup yields every
/// slot in the probe run whose tag matches, so the caller confirms each
/// against what the slot remembers (its id; its band, recomputed from its
/// sketch); removal leaves a tombstone, and the owner rebuilds the table
/// from its slots when live entries and tombstones fill 87.5% of it.
struct SlotTable {
    cells: Vec<u32>,
    live: usize,
    tombs: usize,
    seed: u64,
}

impl SlotTable {
    fn new() -> Self {
        SlotTable {
            cells: Vec::new(),
            live: 0,
            tombs: 0,
            seed: SeededU64::default().0,
        }
    }

    fn home(&self, h: u32) -> usize {
        let x = mix64(u64::from(h) ^ self.seed) >> 32;
        ((x * self.cells.len() as u64) >> 32) as usize
    }

    fn cell(h: u32, slot: u32) -> u32 {
        (slot << TAG_BITS) | (h & TAG_MASK)
    }

    /// Whether one more entry fits without a rebuild (live entries and
    /// tombstones take at most 87.5% of the cells; inserts reuse tombstones).
    fn has_room(&self) -> bool {
        self.has_room_for(1)
    }

    /// Whether `k` more entries fit without a rebuild.
    fn has_room_for(&self, k: usize) -> bool {
        (self.live + self.tombs + k) * 8 <= self.cells.len() * 7
    }

    /// The slots whose cells match `h`'s tag in its probe run (may include
    /// slots that do not have `h`).
    fn each(&self, h: u32, mut f: impl FnMut(u32)) {
        let n = self.cells.len();
        if n == 0 {
            return;
        }
        let mut i = self.home(h);
        for _ in 0..n {
            let c = self.cells[i];
            if c == EMPTY {
                return;
            }
            if c != TOMB && c & TAG_MASK == h & TAG_MASK {
                f(c >> TAG_BITS);
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    /// Insert (the caller made room: [`Self::has_room`]).
    fn insert(&mut self, h: u32, slot: u32) {
        let n = self.cells.len();
        if n == 0 || slot > MAX_SLOT {
            return;
        }
        let mut i = self.home(h);
        for _ in 0..n {
            let c = self.cells[i];
            if c == EMPTY || c == TOMB {
                if c == TOMB {
                    self.tombs -= 1;
                }
                self.cells[i] = Self::cell(h, slot);
                self.live += 1;
                return;
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    fn remove(&mut self, h: u32, slot: u32) {
        let n = self.cells.len();
        if n == 0 {
            return;
        }
        let want = Self::cell(h, slot);
        let mut i = self.home(h);
        for _ in 0..n {
            let c = self.cells[i];
            if c == EMPTY {
                return;
            }
            if c == want {
                self.cells[i] = TOMB;
                self.live -= 1;
                self.tombs += 1;
                return;
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    /// Empty the table, sized for `entries` at 75% load.
    fn reset(&mut self, entries: usize) {
        let n = entries + entries / 3 + 64;
        self.cells = vec![EMPTY; n];
        self.live = 0;
        self.tombs = 0;
    }
}

/// A `u64` time as the `u32` seconds the core keeps (saturating: times
/// after 2106 all read as the last second).
fn secs(t: u64) -> u32 {
    u32::try_from(t).unwrap_or(u32::MAX)
}

/// What one expiry-queue entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// An exact key, by the hash of the key string.
    Owner(u64),
    /// The fingerprint of the article in this slot.
    Sig(u32),
    /// All band memberships of the article in this slot (one entry for its
    /// whole burst of band appends).
    Bands(u32),
}

/// Marks an owner entry whose claimant is its slot's entry in
/// `MemoryCore::claims` (slot numbers take 26 bits).
const CLAIM_IN_SLOT: u32 = 1 << 31;

/// A slot without a claimant in `MemoryCore::claims`.
const NO_CLAIM: u64 = u64::MAX;

/// Exact keys are kept by the low 63 bits of their [`key_hash`] (the top
/// bit tells queue entries apart: [`Queued`]).
const OWNER_KEY_MASK: u64 = u64::MAX >> 1;

/// An [`Item`] and its time in 12 bytes (three `u32`s, where a `u64` field
/// would pad the entry to 16): an exact key's 63-bit hash in `lo` and
/// `hi`, or a slot in `lo` with `hi` = [`SLOT_ITEM`] (bands) or
/// `SLOT_ITEM + 1` (fingerprint).
#[derive(Debug, Clone, Copy)]
struct Queued {
    at: u32,
    lo: u32,
    hi: u32,
}

const SLOT_ITEM: u32 = 1 << 31;

impl Queued {
    fn new(at: u32, item: Item) -> Self {
        match item {
            Item::Owner(key) => {
                let key = key & OWNER_KEY_MASK;
                Queued {
                    at,
                    lo: key as u32,
                    hi: (key >> 32) as u32,
                }
            }
            Item::Bands(slot) => Queued {
                at,
                lo: slot,
                hi: SLOT_ITEM,
            },
            Item::Sig(slot) => Queued {
                at,
                lo: slot,
                hi: SLOT_ITEM + 1,
            },
        }
    }

    fn item(&self) -> Item {
        match self.hi {
            SLOT_ITEM => Item::Bands(self.lo),
            h if h > SLOT_ITEM => Item::Sig(self.lo),
            h => Item::Owner((u64::from(h) << 32) | u64::from(self.lo)),
        }
    }
}

/// Entries per [`ChunkQueue`] chunk.
const CHUNK: usize = 4096;

/// A FIFO of [`Queued`] entries in chunks of [`CHUNK`]: its memory follows
/// its length (a `VecDeque` doubles its capacity, up to twice the entries).
#[derive(Default)]
struct ChunkQueue {
    chunks: VecDeque<Vec<Queued>>,
    /// Entries of the front chunk already taken.
    head: usize,
    len: usize,
}

impl ChunkQueue {
    fn push_back(&mut self, q: Queued) {
        match self.chunks.back_mut() {
            Some(c) if c.len() < CHUNK => c.push(q),
            _ => {
                let mut c = Vec::with_capacity(CHUNK);
                c.push(q);
                self.chunks.push_back(c);
            }
        }
        self.len += 1;
    }

    fn front(&self) -> Option<&Queued> {
        self.chunks.front()?.get(self.head)
    }

    fn pop_front(&mut self) -> Option<Queued> {
        let c = self.chunks.front()?;
        let q = *c.get(self.head)?;
        self.head += 1;
        self.len -= 1;
        if self.head >= c.len() {
            self.chunks.pop_front();
            self.head = 0;
        }
        Some(q)
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn iter(&self) -> impl Iterator<Item = &Queued> + '_ {
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c.get(if i == 0 { self.head } else { 0 }..).unwrap_or(&[]))
    }
}

/// One interned article id and what is remembered under it (its sketch
/// sits in the core's flat array at the slot's index).
#[derive(Debug)]
struct Slot {
    id: Box<str>,
    /// Owner entries and queue entries pointing at this slot; the slot is
    /// freed (and its id forgotten) at zero.
    refs: u32,
    /// Registration sequence of the fingerprint.
    seq: u64,
    /// Number of the band burst among all bursts, wrapping (members are
    /// listed oldest first by their distance from the last one).
    ord: u32,
    sig_at: u32,
    /// Shingle total of the fingerprint.
    total: u32,
    /// Time of the band burst.
    bands_at: u32,
    /// The slot is in the bands of its sketch (recomputed from the sketch
    /// bytes, which do not change while it is).
    has_bands: bool,
    has_sig: bool,
    /// The fingerprint came with a sketch of the core's width.
    has_sketch: bool,
    /// The sketch bytes hold a sketch (of the fingerprint, or of the band
    /// burst when the fingerprint is not there yet or expired).
    sketch_ok: bool,
}

/// One remembered record, for rewriting a state file.
pub(crate) enum Remembered<'a> {
    /// An exact key (by [`key_hash`] of the key) and its stored owner value.
    Owner { t: u64, key: u64, owner: String },
    Sig {
        t: u64,
        id: &'a str,
        fp: Fingerprint,
        seq: u64,
    },
    /// The article joined the bands of its sketch (of the fingerprint
    /// remembered next, or already remembered).
    Bands { t: u64, id: &'a str },
}

/// In-process state shared by [`MemoryStore`] and the file store.
///
/// Article ids are interned once in a slot table; everything else refers to
/// a slot by its `u32` index:
/// - exact keys are kept by 63 bits of the [`key_hash`] of the key string
///   (two different keys collide with probability about n²/2⁶⁴: ~4.9e-7
///   for the 3 million keys of 1 million articles; a collision would report the
///   second key's article as a duplicate of the first), the owner value as
///   its slot plus, for id keys, the claimant after [`CLAIMANT_SEP`]
///   (a decimal stream sequence as a number, in the slot);
/// - a fingerprint keeps its b-bit sketch (packed, in one flat array at the
///   slot's index), shingle total, time and sequence: all that [`is_near`]
///   reads;
/// - band memberships are filed under the hashes of the bands of the
///   article's sketch ([`sketch_band_hash`]), nothing is stored per band
///   but one [`SlotTable`] entry: a lookup confirms a slot by recomputing
///   its band from its sketch bytes, and expiry removes its entries the
///   same way. The sketch bytes therefore stay as they are while the slot
///   is in its bands (a fingerprint with another sketch re-files it).
///
/// One insertion-ordered queue expires entries after the window and bounds
/// the number of remembered articles (oldest first): one entry per exact
/// key, one per fingerprint and one per article's band memberships (which
/// share the time of the article's first band append). Times are `u32`
/// seconds.
pub(crate) struct MemoryCore {
    ids: SlotTable,
    /// Seeded hasher of id strings for `ids`.
    id_hasher: std::collections::hash_map::RandomState,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// Estimated heap bytes of the interned id strings ([`heap_block_bytes`]).
    id_bytes: usize,
    /// key hash -> (owner slot, with [`CLAIM_IN_SLOT`] when the claimant
    /// part of the owner value is the slot's `claims` entry; created at).
    owners: HashMap<u64, (u32, u32), SeededU64>,
    /// key hash -> the claimant part of an owner value that has one, when
    /// it is a decimal number (a stream sequence) the slot does not hold...
    claim_num: HashMap<u64, u64, SeededU64>,
    /// ... and when it is anything else.
    claim_str: HashMap<u64, Box<str>, SeededU64>,
    /// Remembered fingerprints.
    sigs: usize,
    /// The last registration sequence handed out.
    seq: u64,
    /// The last band burst number handed out (wrapping).
    ord: u32,
    /// Sketch values per fingerprint, bits per value, bytes per slot.
    sketch_len: usize,
    sketch_bits: u8,
    sketch_stride: usize,
    sketches: Vec<u8>,
    /// A decimal claimant per slot ([`NO_CLAIM`]: none): the first one of
    /// an exact key the slot owns (the id key's stream sequence).
    claims: Vec<u64>,
    /// LSH bands and rows per band (`NearConfig`).
    nbands: usize,
    rows: usize,
    bands: SlotTable,
    queue: ChunkQueue,
    window: u64,
    max_articles: usize,
}

/// Grow a flat array by an eighth (not double) when full: the arrays hold
/// most of the state, and doubling would leave up to half of them unused
/// (large arrays are reallocated by remapping, not copying).
fn grow<T: Clone>(v: &mut Vec<T>, len: usize, fill: T) {
    if len > v.capacity() {
        let extra = (len - v.len()).max(v.capacity() / 8).max(1024);
        v.reserve_exact(extra);
    }
    v.resize(len, fill);
}

impl MemoryCore {
    pub(crate) fn new(window: Duration, max_articles: usize, near: &NearConfig) -> Self {
        let sketch_bits = sketch_bits(near.sketch_bits);
        let sketch_len = near.num_perm();
        MemoryCore {
            ids: SlotTable::new(),
            id_hasher: std::collections::hash_map::RandomState::new(),
            slots: Vec::new(),
            free: Vec::new(),
            id_bytes: 0,
            owners: HashMap::default(),
            claim_num: HashMap::default(),
            claim_str: HashMap::default(),
            sigs: 0,
            seq: 0,
            ord: 0,
            sketch_len,
            sketch_bits,
            sketch_stride: packed_len(sketch_len, sketch_bits),
            sketches: Vec::new(),
            claims: Vec::new(),
            nbands: near.bands.max(1),
            rows: near.rows.max(1),
            bands: SlotTable::new(),
            queue: ChunkQueue::default(),
            window: window.as_secs().max(1),
            max_articles: max_articles.max(1),
        }
    }

    fn live(&self, at: u32, now: u64) -> bool {
        u64::from(at).saturating_add(self.window) > now
    }

    fn slot(&self, s: u32) -> Option<&Slot> {
        self.slots.get(s as usize).and_then(Option::as_ref)
    }

    fn slot_mut(&mut self, s: u32) -> Option<&mut Slot> {
        self.slots.get_mut(s as usize).and_then(Option::as_mut)
    }

    fn id_hash(&self, id: &str) -> u32 {
        self.id_hasher.hash_one(id) as u32
    }

    fn find(&self, id: &str) -> Option<u32> {
        let mut found = None;
        self.ids.each(self.id_hash(id), |s| {
            if found.is_none() && self.slot(s).is_some_and(|x| &*x.id == id) {
                found = Some(s);
            }
        });
        found
    }

    fn slot_of(&self, id: &str) -> Option<(u32, &Slot)> {
        let s = self.find(id)?;
        Some((s, self.slot(s)?))
    }

    fn rebuild_ids(&mut self) {
        let mut t = std::mem::replace(&mut self.ids, SlotTable::new());
        t.reset(self.slots.len() - self.free.len() + 1);
        for (s, x) in self.slots.iter().enumerate() {
            if let Some(x) = x {
                t.insert(self.id_hasher.hash_one(&*x.id) as u32, s as u32);
            }
        }
        self.ids = t;
    }

    /// The slot of `id` with one more reference (created when new); `None`
    /// only when 2^26 - 1 ids are interned already.
    fn acquire(&mut self, id: &str) -> Option<u32> {
        if let Some(s) = self.find(id) {
            if let Some(slot) = self.slot_mut(s) {
                slot.refs += 1;
                return Some(s);
            }
        }
        // Make room first: a rebuild inserts the ids the slots hold.
        if !self.ids.has_room() {
            self.rebuild_ids();
        }
        let slot = Slot {
            id: id.into(),
            refs: 1,
            seq: 0,
            ord: 0,
            sig_at: 0,
            total: 0,
            bands_at: 0,
            has_bands: false,
            has_sig: false,
            has_sketch: false,
            sketch_ok: false,
        };
        let s = match self.free.pop() {
            Some(s) => {
                if let Some(x) = self.slots.get_mut(s as usize) {
                    *x = Some(slot);
                }
                s
            }
            None => {
                let s = u32::try_from(self.slots.len())
                    .ok()
                    .filter(|s| *s <= MAX_SLOT)?;
                let n = self.slots.len() + 1;
                if n > self.slots.capacity() {
                    self.slots
                        .reserve_exact((self.slots.capacity() / 4).max(1024));
                }
                self.slots.push(Some(slot));
                grow(&mut self.sketches, n * self.sketch_stride, 0);
                grow(&mut self.claims, n, NO_CLAIM);
                s
            }
        };
        self.ids.insert(self.id_hash(id), s);
        self.id_bytes += heap_block_bytes(id.len());
        Some(s)
    }

    fn release(&mut self, s: u32) {
        let Some(slot) = self.slot_mut(s) else { return };
        slot.refs = slot.refs.saturating_sub(1);
        if slot.refs > 0 {
            return;
        }
        if let Some(slot) = self.slots.get_mut(s as usize).and_then(Option::take) {
            let h = self.id_hash(&slot.id);
            self.ids.remove(h, s);
            self.id_bytes = self
                .id_bytes
                .saturating_sub(heap_block_bytes(slot.id.len()));
            if let Some(c) = self.claims.get_mut(s as usize) {
                *c = NO_CLAIM;
            }
            self.free.push(s);
        }
    }

    fn owner_value(&self, key: u64, sw: u32) -> String {
        let s = sw & !CLAIM_IN_SLOT;
        let id = self.slot(s).map(|x| &*x.id).unwrap_or("");
        let claim = self.claims.get(s as usize).copied().unwrap_or(NO_CLAIM);
        if sw & CLAIM_IN_SLOT != 0 && claim != NO_CLAIM {
            format!("{id}{CLAIMANT_SEP}{claim}")
        } else if let Some(c) = self.claim_num.get(&key) {
            format!("{id}{CLAIMANT_SEP}{c}")
        } else if let Some(c) = self.claim_str.get(&key) {
            format!("{id}{CLAIMANT_SEP}{c}")
        } else {
            id.to_string()
        }
    }

    pub(crate) fn create(&mut self, key: &str, owner: &str, now: u64) -> Option<String> {
        self.create_hashed(key_hash(key), owner, now)
    }

    /// [`Self::create`] by the [`key_hash`] of the key.
    pub(crate) fn create_hashed(&mut self, key: u64, owner: &str, now: u64) -> Option<String> {
        let key = key & OWNER_KEY_MASK;
        if let Some(&(s, at)) = self.owners.get(&key) {
            if self.live(at, now) {
                return Some(self.owner_value(key, s));
            }
        }
        let (id, claimant) = match owner.split_once(CLAIMANT_SEP) {
            Some((id, c)) => (id, Some(c)),
            None => (owner, None),
        };
        let now = secs(now);
        // No slot left (2^26 - 1 ids interned): reported as created, not
        // remembered.
        let s = self.acquire(id)?;
        self.claim_num.remove(&key);
        self.claim_str.remove(&key);
        let mut sw = s;
        if let Some(c) = claimant {
            // A decimal number that prints back the same (no sign, no
            // leading zero) is kept as a number: in the owner's slot (an
            // article's id key is the one key with a claimant), unless the
            // slot holds another one already.
            match c.parse::<u64>() {
                Ok(n) if n.to_string() == c => match self.claims.get_mut(s as usize) {
                    Some(x) if n != NO_CLAIM && (*x == NO_CLAIM || *x == n) => {
                        *x = n;
                        sw |= CLAIM_IN_SLOT;
                    }
                    _ => {
                        self.claim_num.insert(key, n);
                    }
                },
                _ => {
                    self.claim_str.insert(key, c.into());
                }
            }
        }
        if let Some((old, _)) = self.owners.insert(key, (sw, now)) {
            self.release(old & !CLAIM_IN_SLOT);
        }
        self.queue.push_back(Queued::new(now, Item::Owner(key)));
        None
    }

    /// The sketch of `fp` at the core's width, one value per item: from the
    /// MinHash signature when the fingerprint has one, else from its sketch
    /// when that is at least as wide (a narrower or shorter one cannot be
    /// verified nor banded).
    fn core_sketch(&self, fp: &Fingerprint) -> Option<Vec<u8>> {
        let (n, bits) = (self.sketch_len, self.sketch_bits);
        if fp.minhash.len() == n {
            Some(sketch_of(&fp.minhash, bits))
        } else if fp.sketch.len() == n && fp.bits >= bits {
            Some(sketch_of(
                &fp.sketch.iter().map(|v| u32::from(*v)).collect::<Vec<_>>(),
                bits,
            ))
        } else {
            None
        }
    }

    fn packed(&self, s: u32) -> &[u8] {
        let stride = self.sketch_stride;
        self.sketches
            .get(s as usize * stride..(s as usize + 1) * stride)
            .unwrap_or(&[])
    }

    /// Whether slot `s`'s sketch bytes hold `values` already.
    fn sketch_is(&self, s: u32, values: &[u8]) -> bool {
        let mut packed = vec![0u8; self.sketch_stride];
        pack(values, self.sketch_bits, &mut packed);
        self.packed(s) == packed.as_slice()
    }

    fn write_sketch(&mut self, s: u32, values: &[u8]) {
        let (stride, bits) = (self.sketch_stride, self.sketch_bits);
        if let Some(packed) = self
            .sketches
            .get_mut(s as usize * stride..(s as usize + 1) * stride)
        {
            pack(values, bits, packed);
        }
        if let Some(x) = self.slot_mut(s) {
            x.sketch_ok = true;
        }
    }

    /// The hash of band `b` of slot `s`'s sketch bytes.
    fn band_hash(&self, s: u32, b: usize) -> u64 {
        let packed = self.packed(s);
        let from = b * self.rows;
        sketch_band_hash(
            b,
            (from..(from + self.rows).min(self.sketch_len))
                .map(|k| packed_value(packed, self.sketch_bits, k)),
        )
    }

    /// The band hashes of slot `s`'s sketch bytes.
    fn band_hashes_of(&self, s: u32) -> Vec<u64> {
        let n = self.nbands.min(self.sketch_len.div_ceil(self.rows));
        (0..n).map(|b| self.band_hash(s, b)).collect()
    }

    /// File slot `s` under the bands of its sketch bytes (not filed yet).
    fn insert_bands(&mut self, s: u32) {
        let hs = self.band_hashes_of(s);
        // Make room for all of them first: a rebuild inserts what the other
        // slots hold.
        if !self.bands.has_room_for(hs.len()) {
            self.rebuild_bands(hs.len(), s);
        }
        for h in hs {
            self.bands.insert(h as u32, s);
        }
    }

    /// Register a fingerprint unless a live one is there (first write wins).
    /// `seq` restores a logged sequence; `None` takes the next one. Returns
    /// the sequence and whether it was written now. The sketch kept is the
    /// core's width ([`Self::core_sketch`]; without one the article is never
    /// a near-duplicate candidate's match). A slot in the bands of another
    /// sketch is re-filed under the bands of this one.
    pub(crate) fn put_sig(
        &mut self,
        id: &str,
        fp: &Fingerprint,
        now: u64,
        seq: Option<u64>,
    ) -> (u64, bool) {
        if let Some((_, x)) = self.slot_of(id) {
            if x.has_sig && self.live(x.sig_at, now) {
                return (x.seq, false);
            }
        }
        let s = seq.unwrap_or(self.seq + 1);
        self.seq = self.seq.max(s);
        let Some(slot) = self.acquire(id) else {
            return (s, true);
        };
        let now = secs(now);
        let values = self.core_sketch(fp);
        if let Some(values) = &values {
            let filed = self.slot(slot).is_some_and(|x| x.has_bands);
            if !(filed && self.sketch_is(slot, values)) {
                if filed {
                    self.remove_bands(slot);
                }
                self.write_sketch(slot, values);
                if filed {
                    self.insert_bands(slot);
                }
            }
        }
        let mut added = false;
        if let Some(x) = self.slot_mut(slot) {
            added = !x.has_sig;
            x.has_sig = true;
            x.has_sketch = values.is_some();
            x.sig_at = now;
            x.seq = s;
            x.total = fp.total;
        }
        if added {
            self.sigs += 1;
        }
        self.queue.push_back(Queued::new(now, Item::Sig(slot)));
        (s, true)
    }

    fn fingerprint_of(&self, s: u32, x: &Slot) -> Fingerprint {
        let sketch = if x.has_sketch && x.sketch_ok {
            unpack(self.packed(s), self.sketch_bits, self.sketch_len)
        } else {
            Vec::new()
        };
        Fingerprint {
            minhash: Vec::new(),
            bits: if sketch.is_empty() {
                0
            } else {
                self.sketch_bits
            },
            sketch,
            total: x.total,
        }
    }

    pub(crate) fn get_sig(&self, id: &str, now: u64) -> Option<(Fingerprint, u64)> {
        let (s, x) = self.slot_of(id)?;
        (x.has_sig && self.live(x.sig_at, now)).then(|| (self.fingerprint_of(s, x), x.seq))
    }

    /// The live slots in band `b` with sketch hash `h`, oldest burst first
    /// (by the distance of their burst number from the last one: fewer than
    /// 2^32 bursts are ever live).
    fn band_slots(&self, b: usize, h: u64, now: u64) -> Vec<u32> {
        let mut found: Vec<(std::cmp::Reverse<u32>, u32)> = Vec::new();
        self.bands.each(h as u32, |s| {
            if let Some(x) = self.slot(s) {
                if x.has_bands && self.live(x.bands_at, now) && self.band_hash(s, b) == h {
                    found.push((std::cmp::Reverse(self.ord.wrapping_sub(x.ord)), s));
                }
            }
        });
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|(_, s)| s).collect()
    }

    /// The ids in band `b` with sketch hash `h` ([`Band::sketch`]), oldest
    /// first.
    pub(crate) fn band_members(&self, b: usize, h: u64, now: u64) -> Vec<String> {
        if b >= self.nbands {
            return Vec::new();
        }
        self.band_slots(b, h, now)
            .into_iter()
            .filter_map(|s| self.slot(s).map(|x| x.id.to_string()))
            .collect()
    }

    /// File `id` under the bands of a sketch: of its live fingerprint when
    /// it has one (that is what a candidate found there is verified with),
    /// else of `fp`, else (`fp` is `None`: replaying a state file) of the
    /// sketch its slot holds. Returns whether it is in its bands now (false
    /// when no sketch of the core's width can be had); a slot already in
    /// live bands stays as it is.
    pub(crate) fn join_bands(&mut self, id: &str, fp: Option<&Fingerprint>, now: u64) -> bool {
        let known = self.slot_of(id).map(|(s, x)| {
            (
                s,
                x.has_bands && self.live(x.bands_at, now),
                x.has_sig && x.has_sketch && self.live(x.sig_at, now),
                x.sketch_ok,
            )
        });
        if let Some((_, true, _, _)) = known {
            return true;
        }
        let stored = known.is_some_and(|(_, _, sig, ok)| sig || (ok && fp.is_none()));
        let values = if stored {
            None
        } else {
            match fp.and_then(|f| self.core_sketch(f)) {
                Some(v) => Some(v),
                None => return false,
            }
        };
        let Some(s) = self.acquire(id) else {
            return false;
        };
        // A new burst: drop what is left of an expired one first (from the
        // sketch bytes it was filed with).
        self.drop_bands(s);
        if let Some(values) = &values {
            self.write_sketch(s, values);
        }
        self.ord = self.ord.wrapping_add(1);
        let ord = self.ord;
        if let Some(x) = self.slot_mut(s) {
            x.bands_at = secs(now);
            x.ord = ord;
            x.has_bands = true;
        }
        self.queue.push_back(Queued::new(secs(now), Item::Bands(s)));
        self.insert_bands(s);
        true
    }

    /// [`Self::join_bands`] with `fp`; whether a new burst was filed now
    /// (false: in live bands already, or no sketch to file it under).
    pub(crate) fn joined_now(&mut self, id: &str, fp: &Fingerprint, now: u64) -> bool {
        let live = self
            .slot_of(id)
            .is_some_and(|(_, x)| x.has_bands && self.live(x.bands_at, now));
        !live && self.join_bands(id, Some(fp), now)
    }

    /// Rebuild the band table with room for `extra` more entries, from
    /// every filed slot but `skip`.
    fn rebuild_bands(&mut self, extra: usize, skip: u32) {
        let entries = self.bands.live + extra;
        let mut t = std::mem::replace(&mut self.bands, SlotTable::new());
        t.reset(entries);
        for s in 0..self.slots.len() as u32 {
            if s != skip && self.slot(s).is_some_and(|x| x.has_bands) {
                for h in self.band_hashes_of(s) {
                    t.insert(h as u32, s);
                }
            }
        }
        self.bands = t;
    }

    /// Band memberships held (tests).
    #[cfg(test)]
    fn bands_live(&self) -> usize {
        self.bands.live
    }

    /// Remove slot `s`'s table entries (its sketch bytes unchanged since it
    /// was filed).
    fn remove_bands(&mut self, s: u32) {
        for h in self.band_hashes_of(s) {
            self.bands.remove(h as u32, s);
        }
    }

    /// Remove slot `s` from all its bands.
    fn drop_bands(&mut self, s: u32) {
        if self.slot(s).is_some_and(|x| x.has_bands) {
            self.remove_bands(s);
        }
        if let Some(x) = self.slot_mut(s) {
            x.has_bands = false;
        }
    }

    /// Drop expired items, then the oldest ones while more than
    /// `max_articles` fingerprints (or `3 * max_articles` exact keys) are
    /// remembered. Returns how many queue entries were dropped.
    pub(crate) fn evict(&mut self, now: u64) -> usize {
        let mut dropped = 0;
        while let Some(q) = self.queue.front() {
            let expired = !self.live(q.at, now);
            if !expired
                && self.sigs <= self.max_articles
                && self.owners.len() <= self.max_articles.saturating_mul(3)
            {
                break;
            }
            let Some(q) = self.queue.pop_front() else {
                break;
            };
            dropped += 1;
            let at = q.at;
            match q.item() {
                Item::Owner(k) => {
                    if let Some(&(sw, t)) = self.owners.get(&k) {
                        if t == at {
                            self.owners.remove(&k);
                            self.claim_num.remove(&k);
                            self.claim_str.remove(&k);
                            self.release(sw & !CLAIM_IN_SLOT);
                        }
                    }
                }
                Item::Sig(s) => {
                    if let Some(x) = self.slot_mut(s) {
                        if x.has_sig && x.sig_at == at {
                            x.has_sig = false;
                            x.has_sketch = false;
                            self.sigs -= 1;
                        }
                    }
                    self.release(s);
                }
                Item::Bands(s) => {
                    if self
                        .slot(s)
                        .is_some_and(|x| x.has_bands && x.bands_at == at)
                    {
                        self.drop_bands(s);
                    }
                    self.release(s);
                }
            }
        }
        dropped
    }

    /// Everything still remembered, oldest first (for rewriting a state
    /// file); stops at the first error of `f`.
    pub(crate) fn for_each_record<E>(
        &self,
        mut f: impl FnMut(Remembered<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        for q in self.queue.iter() {
            let t = u64::from(q.at);
            match q.item() {
                Item::Owner(key) => {
                    if let Some(&(s, at)) = self.owners.get(&key) {
                        if at == q.at {
                            let owner = self.owner_value(key, s);
                            f(Remembered::Owner { t, key, owner })?;
                        }
                    }
                }
                Item::Sig(s) => {
                    let Some(x) = self.slot(s) else { continue };
                    if x.has_sig && x.sig_at == q.at {
                        f(Remembered::Sig {
                            t,
                            id: &x.id,
                            fp: self.fingerprint_of(s, x),
                            seq: x.seq,
                        })?;
                    }
                }
                Item::Bands(s) => {
                    let Some(x) = self.slot(s) else { continue };
                    if x.has_bands && x.bands_at == q.at {
                        f(Remembered::Bands { t, id: &x.id })?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The stored owner value of an exact key (tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn owner_of(&self, key: &str) -> Option<String> {
        let k = key_hash(key) & OWNER_KEY_MASK;
        self.owners.get(&k).map(|(s, _)| self.owner_value(k, *s))
    }

    pub(crate) fn articles(&self) -> usize {
        self.sigs
    }

    /// The state's size by structure ([`StateMemory`]).
    pub(crate) fn memory(&self) -> StateMemory {
        use std::mem::size_of;
        let claim_strs: usize = self
            .claim_str
            .values()
            .map(|c| heap_block_bytes(c.len()))
            .sum();
        StateMemory {
            articles: self.sigs,
            band_table: self.bands.cells.capacity() * size_of::<u32>(),
            sketches: self.sketches.capacity(),
            exact_keys: hash_map_bytes(self.owners.capacity(), size_of::<(u64, (u32, u32))>())
                + hash_map_bytes(self.claim_num.capacity(), size_of::<(u64, u64)>())
                + hash_map_bytes(self.claim_str.capacity(), size_of::<(u64, Box<str>)>())
                + claim_strs,
            expiry_queue: self.queue.chunks.len() * CHUNK * size_of::<Queued>()
                + self.queue.chunks.capacity() * size_of::<Vec<Queued>>(),
            ids: self.slots.capacity() * size_of::<Option<Slot>>()
                + self.id_bytes
                + self.ids.cells.capacity() * size_of::<u32>()
                + self.claims.capacity() * size_of::<u64>()
                + self.free.capacity() * size_of::<u32>(),
        }
    }

    /// Interned ids (tests: ids are forgotten with their last entry).
    #[cfg(test)]
    fn interned(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

/// Default bound on remembered articles in memory.
pub const DEFAULT_MAX_ARTICLES: usize = 1_000_000;

/// In-process store for replay, eval and tests: exact and near keys, items
/// expire after the window, at most `max_articles` fingerprints kept (oldest
/// dropped first).
pub struct MemoryStore {
    core: Mutex<MemoryCore>,
    near: NearConfig,
    clock: Clock,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// Default window (7 days), default [`NearConfig`].
    pub fn new() -> Self {
        Self::with_config(DEFAULT_WINDOW, NearConfig::default(), DEFAULT_MAX_ARTICLES)
    }

    pub fn with_config(window: Duration, near: NearConfig, max_articles: usize) -> Self {
        MemoryStore {
            core: Mutex::new(MemoryCore::new(window, max_articles, &near)),
            near,
            clock: Clock::system(),
        }
    }

    /// Use another clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The near-duplicate parameters this store decides with.
    pub fn near_config(&self) -> &NearConfig {
        &self.near
    }

    /// Remembered article fingerprints.
    pub fn len(&self) -> usize {
        self.lock().map(|c| c.articles()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, MemoryCore>, StoreError> {
        self.core
            .lock()
            .map_err(|_| StoreError("memory store lock poisoned".into()))
    }
}

impl Backend for MemoryStore {
    fn create<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut c = self.lock()?;
            c.evict(now);
            Ok(c.create(key, owner, now))
        })
    }
    fn put_sig<'a>(
        &'a self,
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut c = self.lock()?;
            let (seq, _) = c.put_sig(id, fp, now, None);
            c.evict(now);
            Ok(seq)
        })
    }
    fn get_sig<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<(Fingerprint, u64)>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self.lock()?.get_sig(id, now))
        })
    }
    fn band_members<'a>(
        &'a self,
        band: &'a Band,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self
                .lock()?
                .band_members(band.index as usize, band.sketch, now))
        })
    }
    fn join_bands<'a>(
        &'a self,
        _bands: &'a [Band],
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            self.lock()?.join_bands(id, Some(fp), now);
            Ok(())
        })
    }
}

impl SeenStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(decide(self, keys, redelivered, &self.near))
    }

    fn memory(&self) -> Option<StateMemory> {
        self.lock().ok().map(|c| c.memory())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dedup::near::fingerprint;
    use std::collections::HashSet;

    pub(crate) const STORY: &str = "The city council voted on Tuesday to expand the harbour ferry service to three new stops.\n\n\
        Mayor Ana Ruiz said the expansion would cost 4.2 million euros and open in the spring of next year.\n\n\
        Opposition councillors argued that the money should instead go to repairing the old bus depot, which has been closed since a fire last winter.\n\n\
        The ferry operator, Blue Line Marine, welcomed the decision and promised two new electric boats by the end of the year.\n\n\
        Residents of the northern district, who currently travel forty minutes to reach the centre, are expected to benefit most.";

    pub(crate) const OTHER: &str = "Councillors approved a larger ferry network on Tuesday after a long debate.\n\n\
        Blue Line Marine will run boats to three additional piers, according to the approved plan, at a cost the mayor put at 4.2 million euros.\n\n\
        Critics, including several opposition members, wanted the funds spent on the bus depot damaged by fire.\n\n\
        Ana Ruiz told reporters the northern district had waited too long for a fast link to the centre.";

    pub(crate) fn keys(id: &str, url: Option<&str>, title: &str, body: &str) -> DedupKeys {
        DedupKeys {
            id: id.to_string(),
            url: url.map(str::to_string),
            content: crate::dedup::keys::content_hash(title, body),
            near: fingerprint(title, body, &NearConfig::default()),
            claimant: None,
        }
    }

    #[test]
    fn id_claim_belongs_to_one_transport_message() {
        let s = MemoryStore::new();
        let mut a = keys("a", None, "T", "Alpha beta gamma delta.");
        a.claimant = Some("41".into());
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        // Same message again, even with a lost delivery count: mine.
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        // Another message with the same id, even flagged as a redelivery: duplicate.
        let mut again = a.clone();
        again.claimant = Some("42".into());
        assert_eq!(
            dup_of(&block(s.claim(&again, true)).unwrap()),
            Some(("a", DuplicateMethod::Id))
        );
        // No claimant on one side: the redelivery flag decides.
        let mut bare = a.clone();
        bare.claimant = None;
        assert_eq!(block(s.claim(&bare, true)).unwrap(), Verdict::New);
        assert_eq!(
            dup_of(&block(s.claim(&bare, false)).unwrap()),
            Some(("a", DuplicateMethod::Id))
        );
    }

    fn block<F: std::future::Future>(f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    /// Ids that own at least one exact key (tests and diagnostics).
    fn owners_in(core: &MemoryCore, keys: &DedupKeys) -> HashSet<String> {
        exact_keys(keys)
            .iter()
            .filter_map(|(k, _)| core.owner_of(k))
            .collect()
    }

    fn dup_of(v: &Verdict) -> Option<(&str, DuplicateMethod)> {
        match v {
            Verdict::Duplicate { of, method, .. } => Some((of.as_str(), *method)),
            Verdict::New => None,
        }
    }

    #[test]
    fn exact_keys_first_writer_wins() {
        let s = MemoryStore::new();
        let a = keys("a", Some("ex.com/1"), "T", "Alpha beta gamma.");
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        // Same id, fresh message: duplicate by id; redelivered: mine.
        assert_eq!(
            dup_of(&block(s.claim(&a, false)).unwrap()),
            Some(("a", DuplicateMethod::Id))
        );
        assert_eq!(block(s.claim(&a, true)).unwrap(), Verdict::New);
        let b = keys("b", Some("ex.com/1"), "T", "Other words here.");
        assert_eq!(
            dup_of(&block(s.claim(&b, false)).unwrap()),
            Some(("a", DuplicateMethod::Url))
        );
        let c = keys("c", None, "t", "Alpha  beta “gamma”.");
        assert_eq!(
            dup_of(&block(s.claim(&c, false)).unwrap()),
            Some(("a", DuplicateMethod::Content))
        );
        // A duplicate does not take the content key it did not reach.
        let core = s.lock().unwrap();
        assert_eq!(owners_in(&core, &c).len(), 2, "id.c and a's content");
    }

    #[test]
    fn near_copies_and_different_articles() {
        let s = MemoryStore::new();
        let a = keys("a", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        let paras: Vec<&str> = STORY.split("\n\n").collect();
        let shuffled = [paras[2], paras[4], paras[0], paras[1], paras[3]].join("\n\n");
        let b = keys("b", None, "BREAKING: Ferry vote", &shuffled);
        let v = block(s.claim(&b, false)).unwrap();
        assert_eq!(dup_of(&v), Some(("a", DuplicateMethod::Near)));
        let c = keys("c", None, "Council backs ferry plan", OTHER);
        assert_eq!(block(s.claim(&c, false)).unwrap(), Verdict::New);
        // The owner's redelivery is still mine, though copies came later.
        assert_eq!(block(s.claim(&a, true)).unwrap(), Verdict::New);
        assert_eq!(s.len(), 2, "a and c registered; b took the fast path");
    }

    #[test]
    fn window_expires_and_bound_holds() {
        let (clock, t) = Clock::manual(1_000);
        let s = MemoryStore::with_config(Duration::from_secs(60), NearConfig::default(), 2)
            .with_clock(clock);
        let a = keys("a", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        t.store(1_030, Ordering::Relaxed);
        let a2 = keys("a2", None, "Ferry vote!", STORY);
        assert!(dup_of(&block(s.claim(&a2, false)).unwrap()).is_some());
        t.store(1_061, Ordering::Relaxed);
        let a3 = keys("a3", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a3, false)).unwrap(), Verdict::New);
        for (i, body) in ["One two three four five six seven eight nine ten eleven twelve thirteen.",
            "Red orange yellow green blue indigo violet black white grey pink brown gold.",
            "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April."]
            .iter()
            .enumerate()
        {
            let k = keys(&format!("x{i}"), None, "Lists", body);
            assert_eq!(block(s.claim(&k, false)).unwrap(), Verdict::New);
        }
        assert!(s.len() <= 2, "bounded: {}", s.len());
    }

    #[test]
    fn state_memory_counts_what_the_window_holds() {
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(10), usize::MAX, &cfg);
        assert_eq!(c.memory().total(), 0);
        let n = 3000u64;
        for i in 0..n {
            // 36-byte ids: a 48-byte heap block each.
            let id = format!("{i:0>36}");
            assert_eq!(c.create(&format!("url.{i}"), &id, 100), None);
            let fp = fp_of(values(i));
            assert!(c.joined_now(&id, &fp, 100));
            c.put_sig(&id, &fp, 100, None);
        }
        let m = c.memory();
        let n = n as usize;
        assert_eq!(m.articles, n);
        assert!(m.band_table >= n * 40 * 4, "{m:?}");
        assert!(m.band_table <= n * 40 * 4 * 2, "{m:?}");
        assert!(m.sketches >= n * 120 && m.sketches <= n * 120 * 2, "{m:?}");
        assert_eq!(c.id_bytes, n * 48);
        assert!(
            m.ids >= n * (48 + std::mem::size_of::<Option<Slot>>()),
            "{m:?}"
        );
        assert!(m.exact_keys >= n * 16, "{m:?}");
        assert!(m.expiry_queue >= 3 * n * 12, "{m:?}");
        // Everything expires: the ids are forgotten, the arrays keep their
        // capacity for the next articles.
        c.evict(111);
        let m = c.memory();
        assert_eq!(m.articles, 0);
        assert_eq!(c.id_bytes, 0);
        assert_eq!(c.interned(), 0);
    }

    /// A fingerprint with the given MinHash values (any numbers: the core
    /// bands and verifies what it is given).
    fn fp_of(minhash: Vec<u32>) -> Fingerprint {
        Fingerprint {
            sketch: sketch_of(&minhash, 8),
            bits: 8,
            minhash,
            total: 100,
        }
    }

    /// 120 MinHash values for article `i`, unrelated to every other `i`.
    fn values(i: u64) -> Vec<u32> {
        (0..120u64)
            .map(|k| (mix64(i * 1000 + k + 1) >> 32) as u32)
            .collect()
    }

    #[test]
    fn core_forgets_ids_with_their_last_entry() {
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(10), 2, &cfg);
        let fp = fingerprint("T", STORY, &cfg);
        let shared = &bands(&fp, &cfg)[1];
        for (i, t) in [(0u32, 100u64), (1, 101), (2, 102)] {
            let id = format!("a{i}");
            assert_eq!(
                c.create(&format!("id.{i}"), &format!("{id}{CLAIMANT_SEP}7"), t),
                None
            );
            assert!(c.joined_now(&id, &fp, t));
            assert!(!c.joined_now(&id, &fp, t), "idempotent");
            c.put_sig(&id, &fp, t, None);
            c.evict(t);
        }
        // Bounded to two articles: a0's fingerprint and bands went first.
        assert_eq!(c.articles(), 2);
        assert_eq!(c.band_members(1, shared.sketch, 102), vec!["a1", "a2"]);
        assert!(c.get_sig("a0", 102).is_none());
        assert_eq!(c.get_sig("a1", 102).map(|(_, s)| s), Some(2));
        // The bound drops the oldest entries, a0's exact key too.
        assert_eq!(c.owner_of("id.0"), None);
        assert_eq!(c.owner_of("id.1").as_deref(), Some("a1\u{1f}7"));
        // Everything expires and every id is forgotten.
        c.evict(200);
        assert_eq!((c.articles(), c.interned()), (0, 0));
        assert_eq!((c.bands_live(), c.owners.len()), (0, 0));
        assert!(c.claim_num.is_empty() && c.claim_str.is_empty() && c.queue.is_empty());
    }

    #[test]
    fn core_tables_hold_through_growth_and_eviction() {
        // Thousands of articles in a core bounded to 500: the id and band
        // tables grow, fill with tombstones and are rebuilt many times;
        // members stay exact and oldest first, and nothing leaks.
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(1_000_000), 500, &cfg);
        // Every tenth article has the values of band 0 of all of those.
        let fp = |i: u64| {
            let mut v = values(i);
            if i.is_multiple_of(10) {
                v[..3].copy_from_slice(&[7, 8, 9]);
            }
            fp_of(v)
        };
        let shared = bands(&fp(0), &cfg)[0].sketch;
        let band7 = |i: u64| bands(&fp(i), &cfg)[7].sketch;
        for i in 0..5_000u64 {
            let id = format!("{i:08x}-0000-4000-8000-000000000000");
            assert_eq!(
                c.create(&format!("id.{i}"), &format!("{id}{CLAIMANT_SEP}{i}"), i),
                None
            );
            assert!(c.joined_now(&id, &fp(i), i));
            c.put_sig(&id, &fp(i), i, None);
            c.evict(i);
            if i % 997 == 0 {
                assert_eq!(c.band_members(7, band7(i), i), vec![id.clone()]);
                assert_eq!(
                    c.owner_of(&format!("id.{i}")),
                    Some(format!("{id}{CLAIMANT_SEP}{i}"))
                );
            }
        }
        assert_eq!(c.articles(), 500);
        let shared = c.band_members(0, shared, 5_000);
        let want: Vec<String> = (4_500..5_000u64)
            .filter(|i| i % 10 == 0)
            .map(|i| format!("{i:08x}-0000-4000-8000-000000000000"))
            .collect();
        assert_eq!(shared, want);
        assert!(c.band_members(7, band7(10), 5_000).is_empty(), "evicted");
        assert_eq!(c.bands_live(), 500 * 40);
        assert!(c
            .get_sig("00001387-0000-4000-8000-000000000000", 5_000)
            .is_some());
        c.evict(u64::from(u32::MAX));
        assert_eq!((c.articles(), c.interned(), c.bands_live()), (0, 0, 0));
        assert!(c.owners.is_empty() && c.claim_num.is_empty() && c.queue.is_empty());
    }

    #[test]
    fn core_files_articles_under_the_bands_of_their_sketch() {
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(10), 100, &cfg);
        let (one, two) = (fp_of(values(1)), fp_of(values(2)));
        let (b1, b2) = (bands(&one, &cfg), bands(&two, &cfg));
        // Filed under the bands of the fingerprint given...
        assert!(c.joined_now("a", &one, 100));
        assert_eq!(c.band_members(5, b1[5].sketch, 100), vec!["a"]);
        // ...re-filed when the fingerprint written next has another sketch
        // (what a candidate found there is verified with)...
        c.put_sig("a", &two, 105, None);
        assert!(c.band_members(5, b1[5].sketch, 105).is_empty());
        assert_eq!(c.band_members(5, b2[5].sketch, 105), vec!["a"]);
        assert_eq!(c.bands_live(), 40);
        // ...and a new burst while that fingerprint is live (the first
        // burst expired) keeps its bands.
        assert!(c.band_members(9, b2[9].sketch, 111).is_empty());
        assert!(c.joined_now("a", &one, 111));
        assert_eq!(c.band_members(9, b2[9].sketch, 111), vec!["a"]);
        assert!(c.band_members(9, b1[9].sketch, 111).is_empty());
        // A band index out of range or a hash nobody has: no members.
        assert!(c.band_members(40, b2[0].sketch, 111).is_empty());
        assert!(c.band_members(0, b2[1].sketch, 111).is_empty());
        // Without a sketch of the core's width there is nothing to file.
        let bare = Fingerprint {
            total: 100,
            ..Fingerprint::default()
        };
        assert!(!c.joined_now("b", &bare, 111));
        c.evict(200);
        assert_eq!((c.bands_live(), c.interned()), (0, 0));
    }

    #[test]
    fn queue_entries_take_twelve_bytes_and_read_back() {
        assert_eq!(std::mem::size_of::<Queued>(), 12);
        for item in [
            Item::Owner(0),
            Item::Owner(OWNER_KEY_MASK),
            Item::Owner(0x7123_4567_89ab_cdef),
            Item::Sig(0),
            Item::Sig(MAX_SLOT),
            Item::Bands(0),
            Item::Bands(MAX_SLOT),
        ] {
            assert_eq!(Queued::new(5, item).item(), item);
        }
        // A key hash with the top bit set is kept (and found) by 63 bits.
        assert_eq!(
            Queued::new(5, Item::Owner(u64::MAX)).item(),
            Item::Owner(OWNER_KEY_MASK)
        );
        let mut c = MemoryCore::new(Duration::from_secs(10), 10, &NearConfig::default());
        assert_eq!(c.create_hashed(u64::MAX, "a", 1), None);
        assert_eq!(
            c.create_hashed(OWNER_KEY_MASK, "b", 1).as_deref(),
            Some("a")
        );
        c.evict(20);
        assert_eq!((c.owners.len(), c.interned()), (0, 0));
    }

    #[test]
    fn chunk_queue_is_fifo_across_chunks() {
        let mut q = ChunkQueue::default();
        let at = |i: usize| Queued::new(i as u32, Item::Sig(i as u32));
        for i in 0..3 * CHUNK + 5 {
            q.push_back(at(i));
        }
        for i in 0..CHUNK + 7 {
            assert_eq!(q.pop_front().map(|x| x.at), Some(i as u32));
        }
        assert_eq!(
            q.front().map(|x| x.item()),
            Some(Item::Sig(CHUNK as u32 + 7))
        );
        let rest: Vec<u32> = q.iter().map(|x| x.at).collect();
        assert_eq!(
            rest,
            (CHUNK + 7..3 * CHUNK + 5)
                .map(|i| i as u32)
                .collect::<Vec<_>>()
        );
        while q.pop_front().is_some() {}
        assert!(q.is_empty() && q.chunks.is_empty() && q.iter().next().is_none());
        q.push_back(at(1));
        assert_eq!(q.pop_front().map(|x| x.item()), Some(Item::Sig(1)));
    }

    #[test]
    fn core_keeps_sketches_and_claimants() {
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(100), 10, &cfg);
        let fp = fingerprint("T", STORY, &cfg);
        c.put_sig("a", &fp, 1, None);
        // Stored without the signature; the sketch reads back whole.
        assert_eq!(c.get_sig("a", 1), Some((fp.without_minhash(), 1)));
        // A fingerprint with a narrower sketch than the core's cannot be
        // verified: none is kept.
        let narrow = NearConfig {
            sketch_bits: 2,
            ..NearConfig::default()
        };
        c.put_sig(
            "b",
            &fingerprint("T", STORY, &narrow).without_minhash(),
            1,
            None,
        );
        assert_eq!(c.get_sig("b", 1).map(|(f, _)| f.sketch.len()), Some(0));
        for (key, owner) in [
            ("id.1", "x\u{1f}42"),
            ("id.2", "x\u{1f}042"),
            ("id.3", "x\u{1f}seq-7"),
            ("id.4", "x\u{1f}43"),
            ("id.5", "x\u{1f}42"),
            ("url.5", "x"),
        ] {
            assert_eq!(c.create(key, owner, 1), None);
            assert_eq!(c.owner_of(key).as_deref(), Some(owner));
        }
        // The slot holds the first decimal claimant; another one, or one
        // that is not a plain number, is kept by key.
        assert_eq!((c.claim_num.len(), c.claim_str.len()), (1, 2));
        // A key replaced after it expired drops what it kept.
        assert_eq!(c.create("id.4", "y\u{1f}9", 200), None);
        assert_eq!(c.owner_of("id.4").as_deref(), Some("y\u{1f}9"));
        assert_eq!(c.owner_of("id.5").as_deref(), Some("x\u{1f}42"));
        assert!(c.claim_num.is_empty());
    }

    #[test]
    fn core_expired_entries_are_replaced_in_order() {
        let cfg = NearConfig::default();
        let mut c = MemoryCore::new(Duration::from_secs(10), 100, &cfg);
        let fp = fingerprint("T", STORY, &cfg);
        let h = bands(&fp, &cfg)[0].sketch;
        assert!(c.joined_now("a", &fp, 100));
        assert!(c.joined_now("b", &fp, 105));
        assert_eq!(c.put_sig("a", &fp, 100, None), (1, true));
        assert_eq!(c.put_sig("a", &fp, 105, None), (1, false));
        // a's membership and fingerprint expired (not evicted yet): a
        // re-registers after b, with a new sequence.
        assert_eq!(c.band_members(0, h, 111), vec!["b"]);
        assert!(c.joined_now("a", &fp, 111));
        assert_eq!(c.band_members(0, h, 111), vec!["b", "a"]);
        assert_eq!(c.put_sig("a", &fp, 111, None), (2, true));
        assert_eq!(c.create("url.u", "a", 100), None);
        assert_eq!(c.create("url.u", "b", 105).as_deref(), Some("a"));
        assert_eq!(c.create("url.u", "b", 111), None);
        c.evict(111);
        assert_eq!(c.band_members(0, h, 111), vec!["b", "a"]);
        assert_eq!(c.owner_of("url.u").as_deref(), Some("b"));
        assert_eq!(c.get_sig("a", 111).map(|(_, s)| s), Some(2));
        c.evict(116);
        assert_eq!(c.band_members(0, h, 116), vec!["a"]);
        assert_eq!(c.interned(), 2, "b still owns url.u");
        c.evict(121);
        assert_eq!(c.interned(), 0);
    }

    #[test]
    fn three_concurrent_copies_never_cycle() {
        // Duplicates must point to an article that ends in a New one, however
        // the claims interleave.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let paras: Vec<&str> = STORY.split("\n\n").collect();
        let bodies = [
            STORY.to_string(),
            format!("Advertisement\n\n{STORY}"),
            [paras[1], paras[0], paras[2], paras[3], paras[4]].join("\n\n"),
        ];
        for round in 0..30 {
            let s = Arc::new(MemoryStore::new());
            let handles: Vec<_> = bodies
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let k = keys(&format!("r{round}-{i}"), None, "Ferry vote", b);
                    let s = s.clone();
                    rt.spawn(async move { (k.id.clone(), s.claim(&k, false).await.unwrap()) })
                })
                .collect();
            let results: Vec<(String, Verdict)> = handles
                .into_iter()
                .map(|h| rt.block_on(h).unwrap())
                .collect();
            let of: HashMap<String, String> = results
                .iter()
                .filter_map(|(id, v)| dup_of(v).map(|(o, _)| (id.clone(), o.to_string())))
                .collect();
            assert!(of.len() < 3, "round {round}: all three duplicates {of:?}");
            for start in of.keys() {
                let mut cur = start.clone();
                for _ in 0..4 {
                    match of.get(&cur) {
                        Some(next) => cur = next.clone(),
                        None => break,
                    }
                }
                assert!(!of.contains_key(&cur), "round {round}: cycle {of:?}");
            }
        }
    }

    #[test]
    fn concurrent_near_claims_one_new() {
        // Interleave two claims step by step on a multi-threaded runtime.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        for round in 0..20 {
            let s = Arc::new(MemoryStore::new());
            let a = keys(&format!("a{round}"), None, "Ferry vote", STORY);
            let b = keys(
                &format!("b{round}"),
                None,
                "Ferry vote - The Harbour Times",
                &format!("{STORY}\n\nAdvertisement"),
            );
            let (s1, s2) = (s.clone(), s.clone());
            let h1 = rt.spawn(async move { s1.claim(&a, false).await.unwrap() });
            let h2 = rt.spawn(async move { s2.claim(&b, false).await.unwrap() });
            let (v1, v2) = rt.block_on(async { (h1.await.unwrap(), h2.await.unwrap()) });
            let news = [&v1, &v2].iter().filter(|v| ***v == Verdict::New).count();
            assert_eq!(news, 1, "{v1:?} {v2:?}");
        }
    }
}
