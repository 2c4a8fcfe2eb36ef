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
//!    registered in that band. Candidates found there are verified with their
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
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{try_join_all, BoxFuture};

use super::near::{band_hashes, is_near, key_hash, mix64, Fingerprint, NearConfig};
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
    fn band_members<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    /// Append `id` to a band (idempotent), atomically with respect to other
    /// appends and reads of the same band.
    fn band_append<'a>(
        &'a self,
        key: &'a str,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
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

/// The LSH band keys of a fingerprint.
pub fn band_keys(fp: &Fingerprint, cfg: &NearConfig) -> Vec<String> {
    band_hashes(fp, cfg)
        .iter()
        .enumerate()
        .map(|(i, h)| format!("near.{i}.{h:016x}"))
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
    let bkeys = band_keys(&keys.near, cfg);
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
    try_join_all(bkeys.iter().map(|k| b.band_append(k, &keys.id))).await?;
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

/// A band key's hash as two `u32` halves: a map entry of key and slot takes
/// 12 bytes instead of 16.
#[derive(Clone, Copy, PartialEq, Eq)]
struct BandKey([u32; 2]);

impl BandKey {
    fn of(h: u64) -> Self {
        BandKey([h as u32, (h >> 32) as u32])
    }
}

impl Hash for BandKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(u64::from(self.0[0]) | (u64::from(self.0[1]) << 32));
    }
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

/// A remembered fingerprint: what verification needs (the MinHash
/// signature only serves the band keys, which are kept as such).
#[derive(Debug)]
struct Sig {
    shingles: Box<[u32]>,
    total: u32,
    at: u64,
    seq: u64,
}

/// One interned article id and what is remembered under it.
#[derive(Debug)]
struct Slot {
    id: Arc<str>,
    /// Owner entries and queue entries pointing at this slot; the slot is
    /// freed (and its id forgotten) at zero.
    refs: u32,
    sig: Option<Sig>,
    /// The band key hashes this id is a member of (all appended at
    /// `bands_at`); empty when none.
    bands: Vec<u64>,
    bands_at: u64,
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
    /// A band membership, by [`key_hash`] of the band key.
    Band { t: u64, band: u64, id: &'a str },
}

/// In-process state shared by [`MemoryStore`] and the file store.
///
/// Article ids are interned once in a slot table; everything else refers to
/// a slot by its `u32` index:
/// - exact keys are kept by the 64-bit [`key_hash`] of the key string (two
///   different keys collide with probability about n²/2⁶⁵: ~2.4e-7 for the
///   3 million keys of 1 million articles; a collision would report the
///   second key's article as a duplicate of the first), the owner value as
///   its slot plus, for id keys, the claimant after [`CLAIMANT_SEP`];
/// - a band maps the hash of its key to its first member's slot, with the
///   rare further members (articles registered in the same band) in an
///   overflow map, oldest first;
/// - a fingerprint keeps only the shingle sample and total (all that
///   [`is_near`] reads); the slot keeps the band hashes for eviction.
///
/// One insertion-ordered queue expires entries after the window and bounds
/// the number of remembered articles (oldest first): one entry per exact
/// key, one per fingerprint and one per article's band memberships (which
/// share the time of the article's first band append).
pub(crate) struct MemoryCore {
    ids: HashMap<Arc<str>, u32>,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// key hash -> (owner slot, created at).
    owners: HashMap<u64, (u32, u64), SeededU64>,
    /// key hash -> the claimant part of an owner value that has one.
    claimants: HashMap<u64, Box<str>, SeededU64>,
    /// Remembered fingerprints.
    sigs: usize,
    /// The last registration sequence handed out.
    seq: u64,
    /// Band key hash -> its first (oldest) member.
    band_first: HashMap<BandKey, u32, SeededU64>,
    /// Band key hash -> its further members, oldest first.
    band_more: HashMap<u64, Vec<u32>, SeededU64>,
    queue: VecDeque<(u64, Item)>,
    window: u64,
    max_articles: usize,
}

impl MemoryCore {
    pub(crate) fn new(window: Duration, max_articles: usize) -> Self {
        MemoryCore {
            ids: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            owners: HashMap::default(),
            claimants: HashMap::default(),
            sigs: 0,
            seq: 0,
            band_first: HashMap::default(),
            band_more: HashMap::default(),
            queue: VecDeque::new(),
            window: window.as_secs().max(1),
            max_articles: max_articles.max(1),
        }
    }

    fn live(&self, at: u64, now: u64) -> bool {
        at.saturating_add(self.window) > now
    }

    fn slot(&self, s: u32) -> Option<&Slot> {
        self.slots.get(s as usize).and_then(Option::as_ref)
    }

    fn slot_mut(&mut self, s: u32) -> Option<&mut Slot> {
        self.slots.get_mut(s as usize).and_then(Option::as_mut)
    }

    fn slot_of(&self, id: &str) -> Option<&Slot> {
        self.ids.get(id).and_then(|s| self.slot(*s))
    }

    /// The slot of `id` with one more reference (created when new).
    fn acquire(&mut self, id: &str) -> u32 {
        if let Some(&s) = self.ids.get(id) {
            if let Some(slot) = self.slot_mut(s) {
                slot.refs += 1;
                return s;
            }
        }
        let id: Arc<str> = Arc::from(id);
        let slot = Slot {
            id: id.clone(),
            refs: 1,
            sig: None,
            bands: Vec::new(),
            bands_at: 0,
        };
        let s = match self.free.pop() {
            Some(s) => {
                if let Some(x) = self.slots.get_mut(s as usize) {
                    *x = Some(slot);
                }
                s
            }
            None => {
                self.slots.push(Some(slot));
                (self.slots.len() - 1) as u32
            }
        };
        self.ids.insert(id, s);
        s
    }

    fn release(&mut self, s: u32) {
        let Some(slot) = self.slot_mut(s) else { return };
        slot.refs = slot.refs.saturating_sub(1);
        if slot.refs > 0 {
            return;
        }
        if let Some(slot) = self.slots.get_mut(s as usize).and_then(Option::take) {
            self.ids.remove(&slot.id);
            self.free.push(s);
        }
    }

    fn owner_value(&self, key: u64, s: u32) -> String {
        let id = self.slot(s).map(|x| &*x.id).unwrap_or("");
        match self.claimants.get(&key) {
            Some(c) => format!("{id}{CLAIMANT_SEP}{c}"),
            None => id.to_string(),
        }
    }

    pub(crate) fn create(&mut self, key: &str, owner: &str, now: u64) -> Option<String> {
        self.create_hashed(key_hash(key), owner, now)
    }

    /// [`Self::create`] by the [`key_hash`] of the key.
    pub(crate) fn create_hashed(&mut self, key: u64, owner: &str, now: u64) -> Option<String> {
        if let Some(&(s, at)) = self.owners.get(&key) {
            if self.live(at, now) {
                return Some(self.owner_value(key, s));
            }
        }
        let (id, claimant) = match owner.split_once(CLAIMANT_SEP) {
            Some((id, c)) => (id, Some(c)),
            None => (owner, None),
        };
        let s = self.acquire(id);
        if let Some((old, _)) = self.owners.insert(key, (s, now)) {
            self.release(old);
        }
        match claimant {
            Some(c) => {
                self.claimants.insert(key, c.into());
            }
            None => {
                self.claimants.remove(&key);
            }
        }
        self.queue.push_back((now, Item::Owner(key)));
        None
    }

    /// Register a fingerprint unless a live one is there (first write wins).
    /// `seq` restores a logged sequence; `None` takes the next one. Returns
    /// the sequence and whether it was written now.
    pub(crate) fn put_sig(
        &mut self,
        id: &str,
        fp: &Fingerprint,
        now: u64,
        seq: Option<u64>,
    ) -> (u64, bool) {
        if let Some(sig) = self.slot_of(id).and_then(|x| x.sig.as_ref()) {
            if self.live(sig.at, now) {
                return (sig.seq, false);
            }
        }
        let s = seq.unwrap_or(self.seq + 1);
        self.seq = self.seq.max(s);
        let slot = self.acquire(id);
        let sig = Sig {
            shingles: fp.shingles.clone().into_boxed_slice(),
            total: fp.total,
            at: now,
            seq: s,
        };
        let mut added = false;
        if let Some(x) = self.slot_mut(slot) {
            added = x.sig.replace(sig).is_none();
            // The bands come in a burst before the fingerprint.
            x.bands.shrink_to_fit();
        }
        if added {
            self.sigs += 1;
        }
        self.queue.push_back((now, Item::Sig(slot)));
        (s, true)
    }

    pub(crate) fn get_sig(&self, id: &str, now: u64) -> Option<(Fingerprint, u64)> {
        let sig = self.slot_of(id)?.sig.as_ref()?;
        self.live(sig.at, now).then(|| {
            (
                Fingerprint {
                    minhash: Vec::new(),
                    shingles: sig.shingles.to_vec(),
                    total: sig.total,
                },
                sig.seq,
            )
        })
    }

    /// The slots in band `h`, oldest first.
    fn band_slots(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        self.band_first
            .get(&BandKey::of(h))
            .copied()
            .into_iter()
            .chain(self.band_more.get(&h).into_iter().flatten().copied())
    }

    pub(crate) fn band_members(&self, key: &str, now: u64) -> Vec<String> {
        self.band_slots(key_hash(key))
            .filter_map(|s| self.slot(s))
            .filter(|x| self.live(x.bands_at, now))
            .map(|x| x.id.to_string())
            .collect()
    }

    /// Whether `id` was appended now (false: it was there already).
    pub(crate) fn band_append(&mut self, key: &str, id: &str, now: u64) -> bool {
        self.band_append_hashed(key_hash(key), id, now)
    }

    pub(crate) fn band_append_hashed(&mut self, h: u64, id: &str, now: u64) -> bool {
        let (group_live, present) = match self.slot_of(id) {
            Some(x) if !x.bands.is_empty() => {
                let live = self.live(x.bands_at, now);
                (live, live && x.bands.contains(&h))
            }
            _ => (false, false),
        };
        if present {
            return false;
        }
        let s = if group_live {
            self.ids.get(id).copied()
        } else {
            // A new burst: drop what is left of an expired one first.
            let s = self.acquire(id);
            self.drop_bands(s);
            if let Some(x) = self.slot_mut(s) {
                x.bands_at = now;
            }
            self.queue.push_back((now, Item::Bands(s)));
            Some(s)
        };
        let Some(s) = s else { return false };
        if let Some(x) = self.slot_mut(s) {
            x.bands.push(h);
        }
        match self.band_first.entry(BandKey::of(h)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(s);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.band_more.entry(h).or_default().push(s);
            }
        }
        true
    }

    /// Remove slot `s` from all its bands.
    fn drop_bands(&mut self, s: u32) {
        let Some(bands) = self.slot_mut(s).map(|x| std::mem::take(&mut x.bands)) else {
            return;
        };
        for h in bands {
            let k = BandKey::of(h);
            if self.band_first.get(&k) == Some(&s) {
                let next = match self.band_more.get_mut(&h) {
                    Some(v) if !v.is_empty() => {
                        let n = v.remove(0);
                        if v.is_empty() {
                            self.band_more.remove(&h);
                        }
                        Some(n)
                    }
                    _ => None,
                };
                match next {
                    Some(n) => {
                        self.band_first.insert(k, n);
                    }
                    None => {
                        self.band_first.remove(&k);
                    }
                }
            } else if let Some(v) = self.band_more.get_mut(&h) {
                v.retain(|x| *x != s);
                if v.is_empty() {
                    self.band_more.remove(&h);
                }
            }
        }
    }

    /// Drop expired items, then the oldest ones while more than
    /// `max_articles` fingerprints (or `3 * max_articles` exact keys) are
    /// remembered. Returns how many queue entries were dropped.
    pub(crate) fn evict(&mut self, now: u64) -> usize {
        let mut dropped = 0;
        while let Some((at, _)) = self.queue.front() {
            let expired = !self.live(*at, now);
            if !expired
                && self.sigs <= self.max_articles
                && self.owners.len() <= self.max_articles.saturating_mul(3)
            {
                break;
            }
            let Some((at, item)) = self.queue.pop_front() else {
                break;
            };
            dropped += 1;
            match item {
                Item::Owner(k) => {
                    if let Some(&(s, t)) = self.owners.get(&k) {
                        if t == at {
                            self.owners.remove(&k);
                            self.claimants.remove(&k);
                            self.release(s);
                        }
                    }
                }
                Item::Sig(s) => {
                    if let Some(x) = self.slot_mut(s) {
                        if x.sig.as_ref().is_some_and(|g| g.at == at) {
                            x.sig = None;
                            self.sigs -= 1;
                        }
                    }
                    self.release(s);
                }
                Item::Bands(s) => {
                    if self.slot(s).is_some_and(|x| x.bands_at == at) {
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
        for (t, item) in &self.queue {
            let t = *t;
            match *item {
                Item::Owner(key) => {
                    if let Some(&(s, at)) = self.owners.get(&key) {
                        if at == t {
                            let owner = self.owner_value(key, s);
                            f(Remembered::Owner { t, key, owner })?;
                        }
                    }
                }
                Item::Sig(s) => {
                    let Some(x) = self.slot(s) else { continue };
                    if let Some(sig) = x.sig.as_ref().filter(|g| g.at == t) {
                        let fp = Fingerprint {
                            minhash: Vec::new(),
                            shingles: sig.shingles.to_vec(),
                            total: sig.total,
                        };
                        f(Remembered::Sig {
                            t,
                            id: &x.id,
                            fp,
                            seq: sig.seq,
                        })?;
                    }
                }
                Item::Bands(s) => {
                    let Some(x) = self.slot(s) else { continue };
                    if x.bands_at == t {
                        for band in &x.bands {
                            f(Remembered::Band {
                                t,
                                band: *band,
                                id: &x.id,
                            })?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The stored owner value of an exact key (tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn owner_of(&self, key: &str) -> Option<String> {
        let k = key_hash(key);
        self.owners.get(&k).map(|(s, _)| self.owner_value(k, *s))
    }

    pub(crate) fn articles(&self) -> usize {
        self.sigs
    }

    /// Interned ids (tests: ids are forgotten with their last entry).
    #[cfg(test)]
    fn interned(&self) -> usize {
        self.ids.len()
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
            core: Mutex::new(MemoryCore::new(window, max_articles)),
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
    fn band_members<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self.lock()?.band_members(key, now))
        })
    }
    fn band_append<'a>(
        &'a self,
        key: &'a str,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            self.lock()?.band_append(key, id, now);
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
    fn core_forgets_ids_with_their_last_entry() {
        let mut c = MemoryCore::new(Duration::from_secs(10), 2);
        let fp = fingerprint("T", STORY, &NearConfig::default());
        for (i, t) in [(0u32, 100u64), (1, 101), (2, 102)] {
            let id = format!("a{i}");
            assert_eq!(
                c.create(&format!("id.{i}"), &format!("{id}{CLAIMANT_SEP}7"), t),
                None
            );
            assert!(c.band_append(&format!("near.0.{i}"), &id, t));
            assert!(c.band_append("near.1.shared", &id, t));
            assert!(!c.band_append("near.1.shared", &id, t), "idempotent");
            c.put_sig(&id, &fp, t, None);
            c.evict(t);
        }
        // Bounded to two articles: a0's fingerprint and bands went first.
        assert_eq!(c.articles(), 2);
        assert_eq!(c.band_members("near.1.shared", 102), vec!["a1", "a2"]);
        assert!(c.get_sig("a0", 102).is_none());
        assert_eq!(c.get_sig("a1", 102).map(|(_, s)| s), Some(2));
        // The bound drops the oldest entries, a0's exact key too.
        assert_eq!(c.owner_of("id.0"), None);
        assert_eq!(c.owner_of("id.1").as_deref(), Some("a1\u{1f}7"));
        // Everything expires and every id is forgotten.
        c.evict(200);
        assert_eq!((c.articles(), c.interned()), (0, 0));
        assert!(c.band_first.is_empty() && c.band_more.is_empty() && c.owners.is_empty());
        assert!(c.claimants.is_empty() && c.queue.is_empty());
    }

    #[test]
    fn core_expired_entries_are_replaced_in_order() {
        let mut c = MemoryCore::new(Duration::from_secs(10), 100);
        let fp = fingerprint("T", STORY, &NearConfig::default());
        assert!(c.band_append("near.0.x", "a", 100));
        assert!(c.band_append("near.0.x", "b", 105));
        assert_eq!(c.put_sig("a", &fp, 100, None), (1, true));
        assert_eq!(c.put_sig("a", &fp, 105, None), (1, false));
        // a's membership and fingerprint expired (not evicted yet): a
        // re-registers after b, with a new sequence.
        assert_eq!(c.band_members("near.0.x", 111), vec!["b"]);
        assert!(c.band_append("near.0.x", "a", 111));
        assert_eq!(c.band_members("near.0.x", 111), vec!["b", "a"]);
        assert_eq!(c.put_sig("a", &fp, 111, None), (2, true));
        assert_eq!(c.create("url.u", "a", 100), None);
        assert_eq!(c.create("url.u", "b", 105).as_deref(), Some("a"));
        assert_eq!(c.create("url.u", "b", 111), None);
        c.evict(111);
        assert_eq!(c.band_members("near.0.x", 111), vec!["b", "a"]);
        assert_eq!(c.owner_of("url.u").as_deref(), Some("b"));
        assert_eq!(c.get_sig("a", 111).map(|(_, s)| s), Some(2));
        c.evict(116);
        assert_eq!(c.band_members("near.0.x", 116), vec!["a"]);
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
