//! Near-duplicate fingerprints: MinHash over word shingles of the normalised
//! text (title + body, folded by [`normalize_for_match`]), LSH banding for
//! candidate search, and confirmation by the shingle similarity itself.
//!
//! Written here rather than taken from a crate: `gaoya` and `probminhash`
//! pull in rayon, rand and several hashers (ahash, fxhash, ...) whose seeds
//! or versions are not part of a stable contract, while every replica (and
//! every run, for `--state` files and the KV bucket) must compute bit-identical
//! signatures and band keys. What is needed is ~150 lines: a fixed 64-bit
//! hash (FNV-1a + the SplitMix64 finaliser) and one-permutation MinHash
//! with densification ([`one_permutation_minhash`]).
//!
//! A [`Fingerprint`] carries everything another process needs to verify a
//! candidate without the text: the MinHash signature (for the band keys), the
//! sorted shingle hashes (a bottom-k sample when the article has more than
//! `max_shingles` of them) and the true number of distinct shingles. The
//! verdict ([`similarity`]) is near when Jaccard >= `threshold`, or when the
//! containment of the smaller text in the larger (truncated copies, copies
//! with boilerplate added) is >= `containment`, and the smaller text has at
//! least `min_shingles` shingles.

use serde::{Deserialize, Serialize};

use crate::text::normalize_for_match;

/// Parameters of the near-duplicate detector. `bands * rows` MinHash values
/// are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearConfig {
    /// Words per shingle.
    pub shingle: usize,
    /// LSH bands.
    pub bands: usize,
    /// MinHash values per band.
    pub rows: usize,
    /// Minimum shingle Jaccard similarity for a confirmed near-duplicate.
    pub threshold: f64,
    /// Minimum containment (shared shingles / shingles of the smaller text).
    pub containment: f64,
    /// Texts with fewer distinct shingles than this are never near-duplicates
    /// (exact keys still apply).
    pub min_shingles: usize,
    /// Shingle hashes kept per fingerprint (bottom-k sample above this).
    pub max_shingles: usize,
}

impl Default for NearConfig {
    /// Chosen from the similarity distributions of the labelled pairs
    /// (`examples/eval_pairs.rs --sims`), with margins rather than a fit:
    /// word 3-gram Jaccard is >= 0.53 for every positive and <= 0.12 for every
    /// negative (same-story ones included), containment <= 0.32 for negatives.
    /// 40 bands of 3 rows make a pair with Jaccard 0.5 a candidate with
    /// probability 1 - (1 - 0.5^3)^40 = 0.995 (0.3: 0.67), while unrelated
    /// articles (Jaccard ~0.005) almost never collide (3 rows, not 2, keeps
    /// random band collisions rare in a large store). 256 kept shingle hashes
    /// (1 KiB, most of what a store remembers per article) estimate Jaccard
    /// within 0.052 of the exact value on those pairs (512: 0.032, 128:
    /// 0.085); with 256 positives keep Jaccard >= 0.53, negatives <= 0.12.
    /// Fingerprints with different caps still compare (the bottom-k estimate
    /// uses the smaller sample), and band keys do not depend on the cap.
    fn default() -> Self {
        NearConfig {
            shingle: 3,
            bands: 40,
            rows: 3,
            threshold: 0.3,
            containment: 0.7,
            min_shingles: 10,
            max_shingles: 256,
        }
    }
}

impl NearConfig {
    pub fn num_perm(&self) -> usize {
        self.bands.max(1) * self.rows.max(1)
    }
}

/// What is remembered of an article for near-duplicate search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// MinHash signature (`bands * rows` values: one-permutation hashing,
    /// densified; see [`one_permutation_minhash`]).
    pub minhash: Vec<u32>,
    /// Sorted distinct shingle hashes; the `max_shingles` smallest when there
    /// are more.
    pub shingles: Vec<u32>,
    /// Number of distinct shingle hashes in the whole text.
    pub total: u32,
}

/// FNV-1a 64 over bytes: fixed, seedless, the same on every machine.
fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// SplitMix64 finaliser: a bijective avalanche of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A fixed 64-bit hash of a string (FNV-1a, then the SplitMix64 finaliser).
pub fn key_hash(s: &str) -> u64 {
    mix64(fnv1a(s.as_bytes(), FNV_OFFSET))
}

/// Distinct shingle hashes of `title` + `body`, sorted.
pub fn shingle_hashes(title: &str, body: &str, k: usize) -> Vec<u32> {
    shingle_hashes_folded(&normalize_for_match(title), &normalize_for_match(body), k)
}

/// [`shingle_hashes`] of a title and body already folded by
/// [`normalize_for_match`].
pub fn shingle_hashes_folded(title: &str, body: &str, k: usize) -> Vec<u32> {
    let words: Vec<&str> = title
        .split_whitespace()
        .chain(body.split_whitespace())
        .collect();
    let k = k.max(1);
    let mut out: Vec<u32> = if words.len() < k {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![shingle_hash(&words)]
        }
    } else {
        words.windows(k).map(shingle_hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn shingle_hash(words: &[&str]) -> u32 {
    let mut h = FNV_OFFSET;
    for w in words {
        h = fnv1a(w.as_bytes(), h);
        h = fnv1a(&[0x1f], h);
    }
    // The top 32 bits of the mixed value: uniform, so a bottom-k sample of
    // them is a uniform sample of the shingles.
    (mix64(h) >> 32) as u32
}

/// Fingerprint of an article's normalised text.
pub fn fingerprint(title: &str, body: &str, cfg: &NearConfig) -> Fingerprint {
    fingerprint_folded(&normalize_for_match(title), &normalize_for_match(body), cfg)
}

/// [`fingerprint`] of a title and body already folded by
/// [`normalize_for_match`] (the pipeline folds them once for this and for
/// the content hash).
pub fn fingerprint_folded(title: &str, body: &str, cfg: &NearConfig) -> Fingerprint {
    fingerprint_of_shingles(shingle_hashes_folded(title, body, cfg.shingle), cfg)
}

/// The fingerprint of a sorted, distinct set of shingle hashes (benchmarks
/// build synthetic articles this way).
pub fn fingerprint_of_shingles(all: Vec<u32>, cfg: &NearConfig) -> Fingerprint {
    let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
    let minhash = one_permutation_minhash(&all, cfg.num_perm());
    let mut shingles = all;
    shingles.truncate(cfg.max_shingles.max(1));
    Fingerprint {
        minhash,
        shingles,
        total,
    }
}

/// A MinHash signature of `n` values by one-permutation hashing with
/// densification by rotation (Li, Owen & Zhang 2012; Shrivastava & Li 2014,
/// "Densifying one permutation hashing via rotation for fast near neighbor
/// search"): each shingle is hashed once, its top bits pick one of `n` bins
/// and each bin keeps the minimum of the low bits; an empty bin (short
/// texts) takes the value of the next non-empty bin to its right, mixed with
/// the distance. Two texts agree on a value with probability about their
/// Jaccard similarity, as with `n` independent permutations, at the cost of
/// one hash per shingle instead of `n` (the permutation loop was 40% of the
/// dedup stage).
fn one_permutation_minhash(shingles: &[u32], n: usize) -> Vec<u32> {
    let n = n.max(1);
    let mut bins: Vec<Option<u32>> = vec![None; n];
    for s in shingles {
        let h = mix64(u64::from(*s) ^ 0x6c65_6465_6f70_6800);
        // Fast range reduction of the top 32 bits onto 0..n.
        let bin = (((h >> 32) * n as u64) >> 32) as usize;
        let v = h as u32;
        if let Some(slot) = bins.get_mut(bin) {
            *slot = Some(slot.map_or(v, |old| old.min(v)));
        }
    }
    if bins.iter().all(Option::is_none) {
        return vec![u32::MAX; n];
    }
    (0..n)
        .map(|i| {
            (0..n)
                .find_map(|t| bins[(i + t) % n].map(|v| (v, t)))
                .map_or(u32::MAX, |(v, t)| {
                    if t == 0 {
                        v
                    } else {
                        (mix64(u64::from(v) ^ ((t as u64) << 32)) >> 32) as u32
                    }
                })
        })
        .collect()
}

/// LSH band hashes of a signature, one per band (band index mixed in).
pub fn band_hashes(fp: &Fingerprint, cfg: &NearConfig) -> Vec<u64> {
    let rows = cfg.rows.max(1);
    fp.minhash
        .chunks(rows)
        .take(cfg.bands.max(1))
        .enumerate()
        .map(|(b, chunk)| {
            let mut h = fnv1a(&(b as u32).to_le_bytes(), FNV_OFFSET);
            for v in chunk {
                h = fnv1a(&v.to_le_bytes(), h);
            }
            mix64(h)
        })
        .collect()
}

/// Shingle similarity of two fingerprints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub jaccard: f64,
    /// Shared shingles over the shingles of the smaller text.
    pub containment: f64,
}

/// Jaccard and containment from the shingle sets. Exact when neither set was
/// capped; otherwise the bottom-k estimate over the union's `k` smallest
/// hashes (k = the smaller cap), with containment derived from the true sizes.
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> Similarity {
    let (na, nb) = (a.total as usize, b.total as usize);
    if na == 0 || nb == 0 {
        return Similarity {
            jaccard: 0.0,
            containment: 0.0,
        };
    }
    let exact = a.shingles.len() == na && b.shingles.len() == nb;
    let k = if exact {
        usize::MAX
    } else {
        a.shingles.len().min(b.shingles.len())
    };
    // Merge walk over the two sorted lists, stopping after k union elements.
    let (mut i, mut j, mut union, mut inter) = (0usize, 0usize, 0usize, 0usize);
    while union < k {
        match (a.shingles.get(i), b.shingles.get(j)) {
            (Some(x), Some(y)) if x == y => {
                inter += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, Some(_)) => j += 1,
            (None, None) => break,
        }
        union += 1;
    }
    if union == 0 {
        return Similarity {
            jaccard: 0.0,
            containment: 0.0,
        };
    }
    let jaccard = inter as f64 / union as f64;
    let shared = if exact {
        inter as f64
    } else {
        // |A ∩ B| = J / (1 + J) * (|A| + |B|)
        jaccard / (1.0 + jaccard) * (na + nb) as f64
    };
    let containment = (shared / na.min(nb) as f64).min(1.0);
    Similarity {
        jaccard,
        containment,
    }
}

/// The near-duplicate verdict for a confirmed candidate: `Some(score)` (the
/// larger of the two measures that passed) when near.
pub fn is_near(a: &Fingerprint, b: &Fingerprint, cfg: &NearConfig) -> Option<f64> {
    if (a.total.min(b.total) as usize) < cfg.min_shingles {
        return None;
    }
    let s = similarity(a, b);
    let j = (s.jaccard >= cfg.threshold).then_some(s.jaccard);
    let c = (s.containment >= cfg.containment).then_some(s.containment);
    match (j, c) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Compact binary form (for the KV bucket): `total`, signature length,
/// signature, shingles; little-endian u32s.
pub fn encode(fp: &Fingerprint) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 4 * (fp.minhash.len() + fp.shingles.len()));
    out.extend_from_slice(&fp.total.to_le_bytes());
    out.extend_from_slice(&(fp.minhash.len() as u32).to_le_bytes());
    for v in fp.minhash.iter().chain(fp.shingles.iter()) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Inverse of [`encode`]; `None` for malformed bytes.
pub fn decode(bytes: &[u8]) -> Option<Fingerprint> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let words: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let total = *words.first()?;
    let n = *words.get(1)? as usize;
    let minhash = words.get(2..2 + n)?.to_vec();
    let shingles = words.get(2 + n..)?.to_vec();
    Some(Fingerprint {
        minhash,
        shingles,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The city council voted on Tuesday to expand the harbour ferry service to three new stops.\n\n\
        Mayor Ana Ruiz said the expansion would cost 4.2 million euros and open in the spring of next year.\n\n\
        Opposition councillors argued that the money should instead go to repairing the old bus depot, which has been closed since a fire last winter.\n\n\
        The ferry operator, Blue Line Marine, welcomed the decision and promised two new electric boats by the end of the year.\n\n\
        Residents of the northern district, who currently travel forty minutes to reach the centre, are expected to benefit most.";

    fn fp(t: &str, b: &str) -> Fingerprint {
        fingerprint(t, b, &NearConfig::default())
    }

    fn near(a: (&str, &str), b: (&str, &str)) -> Option<f64> {
        is_near(&fp(a.0, a.1), &fp(b.0, b.1), &NearConfig::default())
    }

    #[test]
    fn hashes_are_fixed() {
        // Pinned values: a change here breaks every stored state and replica mix.
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161d_100b_05e5);
        assert_eq!(shingle_hashes("A", "b, c", 3), vec![2788205126]);
        let f = fp("Ferry vote", STORY);
        assert_eq!(f.minhash.len(), 120);
        assert_eq!(f, fp("Ferry vote", STORY));
        assert_eq!(band_hashes(&f, &NearConfig::default()).len(), 40);
    }

    #[test]
    fn signature_agreement_estimates_jaccard() {
        // Shingle sets with known overlap: shared 0..s, then private ranges.
        let set = |from: u32, to: u32| -> Vec<u32> {
            let mut v: Vec<u32> = (from..to)
                .map(|x| (mix64(u64::from(x)) >> 32) as u32)
                .collect();
            v.sort_unstable();
            v
        };
        for (shared, private) in [(300u32, 300u32), (600, 150), (100, 700), (20, 5)] {
            let a: Vec<u32> = set(0, shared + private);
            let mut b = set(0, shared);
            b.extend(set(100_000, 100_000 + private));
            b.sort_unstable();
            let j = f64::from(shared) / f64::from(shared + 2 * private);
            let (sa, sb) = (
                one_permutation_minhash(&a, 120),
                one_permutation_minhash(&b, 120),
            );
            let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 120.0;
            assert!((agree - j).abs() < 0.15, "J {j:.2}, agreement {agree:.2}");
        }
        // Empty input: a fixed signature; one shingle fills every bin.
        assert_eq!(one_permutation_minhash(&[], 4), vec![u32::MAX; 4]);
        assert!(one_permutation_minhash(&[7], 120)
            .iter()
            .all(|v| *v != u32::MAX));
    }

    #[test]
    fn identical_and_disjoint() {
        let a = fp("Ferry vote", STORY);
        let s = similarity(&a, &a);
        assert_eq!(s.jaccard, 1.0);
        assert_eq!(s.containment, 1.0);
        let b = fp("Weather", "Heavy snow closed schools across the valley and stranded hundreds of drivers on the mountain pass overnight, officials said.");
        assert_eq!(similarity(&a, &b).jaccard, 0.0);
        assert_eq!(is_near(&a, &b, &NearConfig::default()), None);
    }

    #[test]
    fn edits_are_near() {
        let paras: Vec<&str> = STORY.split("\n\n").collect();
        let shuffled = [paras[3], paras[0], paras[4], paras[2], paras[1]].join("\n\n");
        assert!(near(("Ferry vote", STORY), ("Ferry vote", &shuffled)).is_some());
        let boiler = format!("Advertisement\n\n{STORY}\n\nCopyright 2026 Harbour Times. All rights reserved.\n\nFollow us on social media.");
        assert!(near(("Ferry vote", STORY), ("Ferry vote", &boiler)).is_some());
        let truncated = paras[..3].join("\n\n");
        assert!(near(("Ferry vote", STORY), ("Ferry vote", &truncated)).is_some());
        let edited = STORY
            .replace("said", "says")
            .replace("promised", "pledged")
            .replace("welcomed", "praised");
        assert!(near(("Ferry vote", STORY), ("Council expands ferries", &edited)).is_some());
    }

    #[test]
    fn same_event_different_article_is_not_near() {
        let other = "Councillors approved a larger ferry network on Tuesday after a long debate.\n\n\
            Blue Line Marine will run boats to three additional piers, according to the approved plan, at a cost the mayor put at 4.2 million euros.\n\n\
            Critics, including several opposition members, wanted the funds spent on the bus depot damaged by fire.\n\n\
            Ana Ruiz told reporters the northern district had waited too long for a fast link to the centre.";
        assert_eq!(
            near(("Ferry vote", STORY), ("Council backs ferry plan", other)),
            None
        );
    }

    #[test]
    fn short_texts_are_never_near() {
        assert_eq!(near(("Hi", "Short note."), ("Hi", "Short note.")), None);
    }

    #[test]
    fn capped_estimate_is_close() {
        let cfg = NearConfig {
            max_shingles: 40,
            ..NearConfig::default()
        };
        let long = format!("{STORY}\n\n{}", STORY.replace("ferry", "tram"));
        let a = fingerprint("T", &long, &cfg);
        let b = fingerprint("T", STORY, &cfg);
        assert_eq!(a.shingles.len(), 40);
        let exact = similarity(&fp("T", &long), &fp("T", STORY));
        let est = similarity(&a, &b);
        assert!(
            (exact.jaccard - est.jaccard).abs() < 0.2,
            "{exact:?} {est:?}"
        );
    }

    #[test]
    fn encode_roundtrip() {
        let a = fp("Ferry vote", STORY);
        assert_eq!(decode(&encode(&a)), Some(a));
        assert_eq!(decode(&[1, 2, 3]), None);
        assert_eq!(decode(&[0, 0, 0, 0, 9, 0, 0, 0]), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_in_range(a in "\\PC{0,300}", b in "\\PC{0,300}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let cfg = NearConfig { max_shingles: 8, ..NearConfig::default() };
            let fa = fingerprint("", &a, &cfg);
            let fb = fingerprint(&b, &a, &cfg);
            let s = similarity(&fa, &fb);
            proptest::prop_assert!((0.0..=1.0).contains(&s.jaccard));
            proptest::prop_assert!((0.0..=1.0).contains(&s.containment));
            proptest::prop_assert_eq!(decode(&encode(&fb)), Some(fb.clone()));
            let _ = decode(&bytes);
            let _ = is_near(&fa, &fb, &cfg);
        }
    }
}
