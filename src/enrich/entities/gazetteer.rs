//! Gazetteers (names of places, people's first names and surnames, demonyms)
//! loaded from `models/gazetteer.tsv` (derived by `scripts/derive-gazetteers`),
//! keyed by the hash of a name's lower-cased tokens, and matched over the
//! tokens of a sentence for tagger features and post-processing.

pub use super::hash::IdMap;
use super::hash::{finish, lower_hash, mix};
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

const KEY_SEED: u64 = 0x243f_6a88_85a3_08d3;

/// Key of a sequence of lower-cased token hashes.
#[inline]
pub fn seq_key(lowers: impl Iterator<Item = u64>) -> u64 {
    let mut h = KEY_SEED;
    for l in lowers {
        h = mix(h, l);
    }
    finish(h)
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
            let key = seq_key(toks.iter().map(|t| lower_hash(t.text(name))));
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
            .map(|t| lower_hash(t.text(name)))
            .collect();
        self.lookup_seq(&lowers)
    }

    /// Gazetteer matches over one sentence of `n` tokens, where `word(i)`
    /// gives token `i`'s lower-cased hash and whether it is capitalised:
    /// every match that starts with a capitalised token, longest first at
    /// each start. Calls `hit(start, len, categories, first_alone)` with the
    /// categories of the whole match and those of its first token alone.
    pub fn find_matches(
        &self,
        n: usize,
        word: impl Fn(usize) -> Option<(u64, bool)>,
        mut hit: impl FnMut(usize, usize, u8, u8),
    ) {
        let mut i = 0;
        while i < n {
            if !word(i).is_some_and(|(_, cap)| cap) {
                i += 1;
                continue;
            }
            let maxl = self.max_len.min(n - i);
            let mut matched = 0;
            let mut h = KEY_SEED;
            let mut cats = [0u8; 8];
            for l in 1..=maxl {
                let Some((lower, _)) = word(i + l - 1) else {
                    break;
                };
                h = mix(h, lower);
                if let Some(c) = self.map.get(&finish(h)) {
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
            let first = if matched > 1 { cats[1] } else { 0 };
            hit(i, matched, cats.get(matched).copied().unwrap_or(0), first);
            i += matched;
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
        // Matches start at capitalised words, longest first.
        let words = ["in", "New", "York", "and", "paris", "Paris"];
        let mut hits = Vec::new();
        g.find_matches(
            words.len(),
            |i| {
                words
                    .get(i)
                    .map(|w| (lower_hash(w), w.starts_with(char::is_uppercase)))
            },
            |s, l, c, first| hits.push((s, l, c, first)),
        );
        assert_eq!(hits, vec![(1, 2, CITY, 0), (5, 1, CITY | FIRST, 0)]);
    }
}
