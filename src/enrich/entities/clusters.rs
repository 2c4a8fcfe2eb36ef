//! Word representations learned from unlabelled text, for the tagger's
//! features (Turian et al. 2010; Ratinov & Roth 2009): each of the 100,000
//! most frequent words of GloVe 6B (lower-cased) with its k-means cluster
//! at three granularities and its frequency rank. Loaded once from
//! `models/clusters.tsv` (derived by `scripts/derive-clusters`).
//!
//! The clusters put words used alike together ("chelsea" with "arsenal"
//! and "everton", "microsoft" with "company" and "maker"), so a name the
//! labelled data never showed gets the weights learned for its neighbours;
//! the rank says whether a capitalised word is also a common word.

use std::sync::OnceLock;

use super::hash::{lower_hash, IdMap};

static CLUSTERS_TSV: &str = include_str!("../../../models/clusters.tsv");

/// A word's packed entry: fine cluster (bits 0..10), middle (10..18),
/// coarse (18..24), frequency band (24..28), and bit 31 when the word is
/// known. 0 for unknown words.
pub type Packed = u32;

const KNOWN: u32 = 1 << 31;

/// The cluster table, keyed by [`lower_hash`].
#[derive(Debug, Default, Clone)]
pub struct WordClusters {
    map: IdMap<Packed>,
}

/// Frequency band of a 0-based rank: 1 + floor(log2(rank + 1)), at most 15.
fn band(rank: usize) -> u32 {
    (usize::BITS - (rank + 1).leading_zeros()).min(15)
}

impl WordClusters {
    /// Parse `word<TAB>c1<TAB>c2<TAB>c3` lines, most frequent word first
    /// (`#` lines and malformed lines are skipped; the first entry of a
    /// word wins).
    pub fn parse(tsv: &str) -> WordClusters {
        let mut map = IdMap::default();
        let mut rank = 0usize;
        for line in tsv.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(w), Some(a), Some(b), Some(c)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let (Ok(a), Ok(b), Ok(c)) = (a.parse::<u32>(), b.parse::<u32>(), c.parse::<u32>())
            else {
                continue;
            };
            let packed =
                KNOWN | (a & 0x3ff) | (b & 0xff) << 10 | (c & 0x3f) << 18 | band(rank) << 24;
            map.entry(lower_hash(w)).or_insert(packed);
            rank += 1;
        }
        WordClusters { map }
    }

    /// The table embedded in the binary (parsed on first use).
    pub fn embedded() -> &'static WordClusters {
        static T: OnceLock<WordClusters> = OnceLock::new();
        T.get_or_init(|| WordClusters::parse(CLUSTERS_TSV))
    }

    /// The packed entry of a word by its [`lower_hash`]; 0 when unknown.
    #[inline]
    pub fn get(&self, lower: u64) -> Packed {
        self.map.get(&lower).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Fine cluster id (plus the known bit, so unknown differs from cluster 0).
#[inline]
pub fn fine(p: Packed) -> u64 {
    (p & (KNOWN | 0x3ff)) as u64
}

/// Middle cluster id (with the known bit).
#[inline]
pub fn middle(p: Packed) -> u64 {
    ((p >> 10) & 0xff | (p & KNOWN)) as u64
}

/// Coarse cluster id (with the known bit).
#[inline]
pub fn coarse(p: Packed) -> u64 {
    ((p >> 18) & 0x3f | (p & KNOWN)) as u64
}

/// Frequency band: 0 unknown, 1 the most frequent word, 15 rare.
#[inline]
pub fn freq_band(p: Packed) -> u64 {
    ((p >> 24) & 0xf) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_packs_clusters_and_ranks() {
        let t = WordClusters::parse(
            "# header\nthe\t5\t2\t1\nbank\t700\t200\t40\nbad\tx\t1\t1\nzinc\t3\t1\n",
        );
        assert_eq!(t.len(), 2);
        let the = t.get(lower_hash("The"));
        let bank = t.get(lower_hash("BANK"));
        assert_eq!(fine(the) & 0x3ff, 5);
        assert_eq!(middle(bank) & 0xff, 200);
        assert_eq!(coarse(bank) & 0x3f, 40);
        assert_eq!(freq_band(the), 1);
        assert_eq!(freq_band(bank), 2);
        // Unknown words are 0 and differ from every known cluster id.
        assert_eq!(t.get(lower_hash("Nordvik")), 0);
        assert_ne!(fine(0), fine(the & !0x3ff));
    }

    #[test]
    fn embedded_table_groups_football_clubs() {
        let t = WordClusters::embedded();
        assert!(t.len() > 50_000);
        let c = |w: &str| middle(t.get(lower_hash(w)));
        assert_ne!(c("arsenal"), 0);
        assert_eq!(c("arsenal"), c("chelsea"));
        assert_ne!(c("arsenal"), c("tuesday"));
        // Frequency: a function word is far more frequent than a surname.
        assert!(freq_band(t.get(lower_hash("the"))) < freq_band(t.get(lower_hash("hale"))));
    }
}
