//! The in-process dedup state ([`MemoryCore`]) shared by the memory store,
//! the file store and every replica of the log store.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::time::Duration;

use super::queue::{ChunkQueue, Item, Queued, CHUNK, CLAIM_IN_SLOT, NO_CLAIM, OWNER_KEY_MASK};
use super::slots::{SeededU64, SlotTable, MAX_SLOT};
use crate::dedup::near::{
    key_hash, pack, packed_len, packed_value, sketch_band_hash, sketch_bits, sketch_of, unpack,
    Fingerprint, NearConfig,
};
use crate::dedup::protocol::CLAIMANT_SEP;
use crate::dedup::store::accounting::{hash_map_bytes, heap_block_bytes, StateMemory};

/// A `u64` time as the `u32` seconds the core keeps (saturating: times
/// after 2106 all read as the last second).
fn secs(t: u64) -> u32 {
    u32::try_from(t).unwrap_or(u32::MAX)
}

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

#[cfg(test)]
pub(crate) mod tests;
