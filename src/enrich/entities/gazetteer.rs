//! Gazetteers (names of places, people's first names and surnames, demonyms)
//! loaded from `models/gazetteer.tsv` (derived by `scripts/derive-gazetteers`),
//! keyed by the hash of a name's lower-cased tokens, and matched over the
//! tokens of a sentence for tagger features and post-processing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{mix, TokInfo, F_INIT_CAP};
use crate::text::tokens::{tokenize, TokenKind};

/// Categories, one bit each.
pub const FIRST: u8 = 1;
pub const LAST: u8 = 2;
pub const COUNTRY: u8 = 4;
pub const CITY: u8 = 8;
pub const REGION: u8 = 16;
pub const CONTINENT: u8 = 32;
pub const NORP: u8 = 64;
pub const PLACE: u8 = COUNTRY | CITY | REGION | CONTINENT;

fn category(name: &str) -> u8 {
    match name {
        "FIRST" => FIRST,
        "LAST" => LAST,
        "COUNTRY" => COUNTRY,
        "CITY" => CITY,
        "REGION" => REGION,
        "CONTINENT" => CONTINENT,
        "NORP" => NORP,
        _ => 0,
    }
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

const KEY_SEED: u64 = 0x243f_6a88_85a3_08d3;

/// Key of a sequence of lower-cased token hashes.
#[inline]
pub fn seq_key(lowers: impl Iterator<Item = u64>) -> u64 {
    let mut h = KEY_SEED;
    for l in lowers {
        h = mix(h, l);
    }
    super::features::finish(h)
}

#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    map: IdMap<u8>,
    max_len: usize,
}

impl Gazetteer {
    /// Parse `name<TAB>CATEGORY` lines; unknown categories and blank lines are skipped.
    pub fn parse(tsv: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        for line in tsv.lines() {
            let mut parts = line.split('\t');
            let (Some(name), Some(cat)) = (parts.next(), parts.next()) else {
                continue;
            };
            let c = category(cat.trim());
            if c == 0 || name.trim().is_empty() {
                continue;
            }
            let toks = tokenize(name);
            let key = seq_key(
                toks.iter()
                    .map(|t| super::features::lower_hash(t.text(name))),
            );
            g.max_len = g.max_len.max(toks.len());
            *g.map.entry(key).or_insert(0) |= c;
        }
        g.max_len = g.max_len.min(6);
        g
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Categories of the exact token sequence with these lower-cased hashes.
    pub fn lookup_seq(&self, lowers: &[u64]) -> u8 {
        self.map
            .get(&seq_key(lowers.iter().copied()))
            .copied()
            .unwrap_or(0)
    }

    /// Categories of a name given as text (tokenised like the body).
    pub fn lookup_text(&self, name: &str) -> u8 {
        let toks = tokenize(name);
        let lowers: Vec<u64> = toks
            .iter()
            .filter(|t| t.kind != TokenKind::Punct || t.text(name) != ".")
            .map(|t| super::features::lower_hash(t.text(name)))
            .collect();
        self.lookup_seq(&lowers)
    }

    /// Mark gazetteer matches on the tokens of one sentence: every match
    /// that starts with a capitalised token, longest first at each start.
    pub fn mark(&self, infos: &mut [TokInfo]) {
        let n = infos.len();
        let mut i = 0;
        while i < n {
            let starts_cap = infos.get(i).is_some_and(|t| t.flags & F_INIT_CAP != 0);
            if !starts_cap {
                i += 1;
                continue;
            }
            let maxl = self.max_len.min(n - i);
            let mut matched = 0;
            let mut h = KEY_SEED;
            let mut cats = [0u8; 8];
            for l in 1..=maxl {
                let Some(t) = infos.get(i + l - 1) else { break };
                h = mix(h, t.lower);
                if let Some(c) = self.map.get(&super::features::finish(h)) {
                    if let Some(slot) = cats.get_mut(l) {
                        *slot = *c;
                    }
                    matched = l;
                }
            }
            if matched == 0 {
                i += 1;
                continue;
            }
            let c = cats.get(matched).copied().unwrap_or(0) as u16;
            for (k, t) in infos.iter_mut().skip(i).take(matched).enumerate() {
                t.gaz |= if k == 0 { c } else { c << 8 };
            }
            // Single-token categories of the first token still count.
            if matched > 1 {
                if let Some(t) = infos.get_mut(i) {
                    t.gaz |= cats.get(1).copied().unwrap_or(0) as u16;
                }
            }
            i += matched.max(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_lookup() {
        let g = Gazetteer::parse("New York\tCITY\nParis\tCITY\nParis\tFIRST\nbad line\n\tX\n");
        assert_eq!(g.len(), 2);
        assert_eq!(g.lookup_text("new york"), CITY);
        assert_eq!(g.lookup_text("PARIS"), CITY | FIRST);
        assert_eq!(g.lookup_text("London"), 0);
    }
}
