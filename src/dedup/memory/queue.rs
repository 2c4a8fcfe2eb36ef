//! The expiry queue: what each entry stands for ([`Item`]), its packed
//! form ([`Queued`]) and the chunked FIFO that holds them ([`ChunkQueue`]).

use std::collections::VecDeque;

/// What one expiry-queue entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
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
pub(super) const CLAIM_IN_SLOT: u32 = 1 << 31;

/// A slot without a claimant in `MemoryCore::claims`.
pub(super) const NO_CLAIM: u64 = u64::MAX;

/// Exact keys are kept by the low 63 bits of their [`key_hash`] (the top
/// bit tells queue entries apart: [`Queued`]).
pub(super) const OWNER_KEY_MASK: u64 = u64::MAX >> 1;

/// An [`Item`] and its time in 12 bytes (three `u32`s, where a `u64` field
/// would pad the entry to 16): an exact key's 63-bit hash in `lo` and
/// `hi`, or a slot in `lo` with `hi` = [`SLOT_ITEM`] (bands) or
/// `SLOT_ITEM + 1` (fingerprint).
#[derive(Debug, Clone, Copy)]
pub(super) struct Queued {
    pub(super) at: u32,
    lo: u32,
    hi: u32,
}

pub(super) const SLOT_ITEM: u32 = 1 << 31;

impl Queued {
    pub(super) fn new(at: u32, item: Item) -> Self {
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

    pub(super) fn item(&self) -> Item {
        match self.hi {
            SLOT_ITEM => Item::Bands(self.lo),
            h if h > SLOT_ITEM => Item::Sig(self.lo),
            h => Item::Owner((u64::from(h) << 32) | u64::from(self.lo)),
        }
    }
}

/// Entries per [`ChunkQueue`] chunk.
pub(super) const CHUNK: usize = 4096;

/// A FIFO of [`Queued`] entries in chunks of [`CHUNK`]: its memory follows
/// its length (a `VecDeque` doubles its capacity, up to twice the entries).
#[derive(Default)]
pub(super) struct ChunkQueue {
    pub(super) chunks: VecDeque<Vec<Queued>>,
    /// Entries of the front chunk already taken.
    pub(super) head: usize,
    pub(super) len: usize,
}

impl ChunkQueue {
    pub(super) fn push_back(&mut self, q: Queued) {
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

    pub(super) fn front(&self) -> Option<&Queued> {
        self.chunks.front()?.get(self.head)
    }

    pub(super) fn pop_front(&mut self) -> Option<Queued> {
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
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Queued> + '_ {
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c.get(if i == 0 { self.head } else { 0 }..).unwrap_or(&[]))
    }
}
