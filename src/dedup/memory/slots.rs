//! An open-addressing multimap from 32-bit hashes to slot numbers
//! ([`SlotTable`]) and the seeded hasher of already uniform `u64` keys
//! ([`SeededU64`]).

use std::hash::{BuildHasher, Hasher};

use crate::dedup::near::mix64;

/// table layout cannot be steered from outside), instead of SipHash.
#[derive(Clone, Copy)]
pub(super) struct SeededU64(pub(super) u64);

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

pub(super) struct U64Hasher(u64);

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
pub(super) const SLOT_BITS: u32 = 26;
pub(super) const TAG_BITS: u32 = 32 - SLOT_BITS;
pub(super) const TAG_MASK: u32 = (1 << TAG_BITS) - 1;
/// The largest slot number a table cell can hold.
pub(super) const MAX_SLOT: u32 = (1 << SLOT_BITS) - 2;
pub(super) const EMPTY: u32 = u32::MAX;
pub(super) const TOMB: u32 = u32::MAX - 1;

/// An open-addressing multimap from 32-bit hashes to slot numbers, one
/// `u32` per entry: the slot number and a 6-bit tag of the hash, placed by
/// linear probing from the seeded hash's home cell. A lookup yields every
/// slot in the probe run whose tag matches, so the caller confirms each
/// against what the slot remembers (its id; its band, recomputed from its
/// sketch); removal leaves a tombstone, and the owner rebuilds the table
/// from its slots when live entries and tombstones fill 87.5% of it.
pub(super) struct SlotTable {
    pub(super) cells: Vec<u32>,
    pub(super) live: usize,
    pub(super) tombs: usize,
    pub(super) seed: u64,
}

impl SlotTable {
    pub(super) fn new() -> Self {
        SlotTable {
            cells: Vec::new(),
            live: 0,
            tombs: 0,
            seed: SeededU64::default().0,
        }
    }

    pub(super) fn home(&self, h: u32) -> usize {
        let x = mix64(u64::from(h) ^ self.seed) >> 32;
        ((x * self.cells.len() as u64) >> 32) as usize
    }

    pub(super) fn cell(h: u32, slot: u32) -> u32 {
        (slot << TAG_BITS) | (h & TAG_MASK)
    }

    /// Whether one more entry fits without a rebuild (live entries and
    /// tombstones take at most 87.5% of the cells; inserts reuse tombstones).
    pub(super) fn has_room(&self) -> bool {
        self.has_room_for(1)
    }

    /// Whether `k` more entries fit without a rebuild.
    pub(super) fn has_room_for(&self, k: usize) -> bool {
        (self.live + self.tombs + k) * 8 <= self.cells.len() * 7
    }

    /// The slots whose cells match `h`'s tag in its probe run (may include
    /// slots that do not have `h`).
    pub(super) fn each(&self, h: u32, mut f: impl FnMut(u32)) {
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
    pub(super) fn insert(&mut self, h: u32, slot: u32) {
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

    pub(super) fn remove(&mut self, h: u32, slot: u32) {
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
    pub(super) fn reset(&mut self, entries: usize) {
        let n = entries + entries / 3 + 64;
        self.cells = vec![EMPTY; n];
        self.live = 0;
        self.tombs = 0;
    }
}
