//! Hashing shared by the entity tagger's features and gazetteers: a fast
//! multiply-rotate mix, a final avalanche, the hash of a word's folded
//! lower-case form (digits to `0`, curly apostrophes straight), and a map
//! keyed by such hashes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Mix two 64-bit values (FxHash-style multiply-rotate).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Final avalanche so that low and high bits are both usable.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

pub(crate) const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hash of a token's lower-cased form with digits folded to `0`, the key
/// the gazetteer and the document history use.
pub fn lower_hash(s: &str) -> u64 {
    let mut h = SEED;
    for c in s.chars() {
        h = push_lower(h, c);
    }
    h
}

#[inline]
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        if c.is_ascii_digit() {
            '0'
        } else {
            c.to_ascii_lowercase()
        }
    } else if c.is_numeric() {
        '0'
    } else {
        match c {
            '\u{2019}' | '\u{2018}' => '\'',
            _ => c.to_lowercase().next().unwrap_or(c),
        }
    }
}

#[inline]
fn push_lower(h: u64, c: char) -> u64 {
    mix(h, fold_char(c) as u64)
}

/// A hasher for keys that are already well-mixed `u64` hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix(self.0, *b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;
