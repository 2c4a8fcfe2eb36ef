//! Near-duplicate fingerprints: MinHash over word shingles of the normalised
//! text (title + body, folded by [`normalize_for_match`]), LSH banding for
//! candidate search, and confirmation by a b-bit MinHash sketch.
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
//! candidate without the text: the MinHash signature (for the band keys of
//! the KV bucket, [`band_hashes`]; stores drop it once the bands are
//! written; the in-memory stores band by the sketch instead,
//! [`sketch_band_hashes`], so they can recompute an article's bands from
//! what they keep), its b-bit sketch (the low
//! `sketch_bits` bits of every MinHash value: b-bit minwise hashing, Li &
//! König 2010) and the true number of distinct shingles. The sketch
//! estimates the shingle Jaccard similarity (two values agree with
//! probability J + (1 - J) 2^-b; [`similarity`] inverts that), and the
//! containment follows from J and the two shingle totals. The verdict
//! ([`is_near`]) is near when Jaccard >= `threshold`, or when the
//! containment of the smaller text in the larger (truncated copies, copies
//! with boilerplate added) is >= `containment`, and the smaller text has at
//! least `min_shingles` shingles.

use serde::{Deserialize, Serialize};

use crate::text::normalize_for_match;

mod codec;

pub use codec::{decode, encode};
pub(crate) use codec::{pack, packed_len, packed_value, unpack};

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
    /// Bits kept of each MinHash value for verification (1, 2, 4 or 8;
    /// other values round up to the next of these).
    #[serde(default = "default_sketch_bits")]
    pub sketch_bits: u8,
}

impl Default for NearConfig {
    /// Chosen from the similarity distributions of the labelled pairs
    /// (`examples/eval_pairs.rs --sims`), with margins rather than a fit:
    /// word 3-gram Jaccard is >= 0.53 for every positive and <= 0.12 for every
    /// negative (same-story ones included), containment <= 0.32 for negatives.
    /// 40 bands of 3 rows make a pair with Jaccard 0.5 a candidate with
    /// probability 1 - (1 - 0.5^3)^40 = 0.995 (0.3: 0.67), while unrelated
    /// articles (Jaccard ~0.005) almost never collide (3 rows, not 2, keeps
    /// random band collisions rare in a large store). Verification reads
    /// 8-bit values of the 120 MinHash values (120 bytes, where a sample of
    /// 256 shingle hashes took 1 KiB): on the labelled pairs the estimate is
    /// within 0.105 of the exact Jaccard (mean 0.011) and of the exact
    /// containment within 0.16; positives keep estimated Jaccard >= 0.47
    /// (containment >= 0.71), negatives <= 0.16 (containment <= 0.41).
    /// 4 bits (60 bytes) estimate Jaccard as well but not containment: chance
    /// agreement (1 in 16) of unrelated texts of very different lengths
    /// reads as up to 0.53 containment.
    fn default() -> Self {
        NearConfig {
            shingle: 3,
            bands: 40,
            rows: 3,
            threshold: 0.3,
            containment: 0.7,
            min_shingles: 10,
            sketch_bits: DEFAULT_SKETCH_BITS,
        }
    }
}

const DEFAULT_SKETCH_BITS: u8 = 8;

fn default_sketch_bits() -> u8 {
    DEFAULT_SKETCH_BITS
}

/// `b` rounded up to 1, 2, 4 or 8.
pub fn sketch_bits(b: u8) -> u8 {
    match b {
        0 | 1 => 1,
        2 => 2,
        3 | 4 => 4,
        _ => 8,
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
    /// densified; see [`one_permutation_minhash`]). Only the band keys need
    /// it: stored fingerprints leave it empty.
    #[serde(default)]
    pub minhash: Vec<u32>,
    /// The low `bits` bits of each MinHash value, one value per byte.
    #[serde(default)]
    pub sketch: Vec<u8>,
    /// Bits per sketch value (1, 2, 4 or 8; 0: no sketch).
    #[serde(default)]
    pub bits: u8,
    /// Number of distinct shingle hashes in the whole text.
    pub total: u32,
}

impl Fingerprint {
    /// The fingerprint without its MinHash signature: what verification
    /// reads.
    pub fn without_minhash(&self) -> Fingerprint {
        Fingerprint {
            minhash: Vec::new(),
            sketch: self.sketch.clone(),
            bits: self.bits,
            total: self.total,
        }
    }
}

/// The b-bit sketch of a MinHash signature.
pub fn sketch_of(minhash: &[u32], bits: u8) -> Vec<u8> {
    let bits = sketch_bits(bits);
    let mask = ((1u32 << bits) - 1) as u8;
    minhash.iter().map(|v| (*v as u8) & mask).collect()
}

/// A fingerprint from an earlier format that kept a (bottom-k) sample of
/// the shingle hashes instead of a sketch: the sketch of its MinHash
/// signature when it has one, else of the signature of the sample (exact
/// when the sample holds every shingle, `shingles.len() == total`; for
/// longer texts an approximation).
pub fn from_legacy(
    minhash: Vec<u32>,
    shingles: &[u32],
    total: u32,
    cfg: &NearConfig,
) -> Fingerprint {
    let bits = sketch_bits(cfg.sketch_bits);
    let sketch = if minhash.is_empty() {
        if shingles.is_empty() {
            Vec::new()
        } else {
            sketch_of(&one_permutation_minhash(shingles, cfg.num_perm()), bits)
        }
    } else {
        sketch_of(&minhash, bits)
    };
    Fingerprint {
        minhash,
        bits: if sketch.is_empty() { 0 } else { bits },
        sketch,
        total,
    }
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
    let bits = sketch_bits(cfg.sketch_bits);
    Fingerprint {
        sketch: sketch_of(&minhash, bits),
        bits,
        minhash,
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

/// First bytes fed to [`sketch_band_hash`] (separates it from the other
/// FNV uses).
const SKETCH_BAND_SEED: u64 = 0x736b_6574_6368_6264;

/// The LSH band hash of band `index` over its b-bit sketch values (one
/// value per item, `rows` of them): what the in-memory stores file an
/// article under, since it can be recomputed from the sketch they keep
/// (the band keys of [`band_hashes`] need the MinHash signature, which they
/// drop). Two texts agree on one 8-bit value with probability J + (1 - J) /
/// 256 instead of J: the S-curve barely moves, and unrelated articles
/// share a band of 3 bytes with probability 2^-24.
pub fn sketch_band_hash(index: usize, values: impl IntoIterator<Item = u8>) -> u64 {
    let mut h = fnv1a(&(index as u32).to_le_bytes(), FNV_OFFSET ^ SKETCH_BAND_SEED);
    for v in values {
        h = fnv1a(&[v], h);
    }
    mix64(h)
}

/// The sketch values at `cfg`'s width that the band hashes of
/// [`sketch_band_hashes`] read: from the MinHash signature when there is
/// one, else from the sketch when it is at least as wide; `None` when
/// neither can give them.
pub fn band_sketch(fp: &Fingerprint, cfg: &NearConfig) -> Option<Vec<u8>> {
    let bits = sketch_bits(cfg.sketch_bits);
    if !fp.minhash.is_empty() {
        Some(sketch_of(&fp.minhash, bits))
    } else if !fp.sketch.is_empty() && sketch_bits(fp.bits) >= bits {
        Some(
            fp.sketch
                .iter()
                .map(|v| v & (((1u32 << bits) - 1) as u8))
                .collect(),
        )
    } else {
        None
    }
}

/// [`sketch_band_hash`] of every band of a fingerprint's sketch at `cfg`'s
/// width (see [`band_sketch`]); empty when it has no usable sketch.
pub fn sketch_band_hashes(fp: &Fingerprint, cfg: &NearConfig) -> Vec<u64> {
    let Some(values) = band_sketch(fp, cfg) else {
        return Vec::new();
    };
    values
        .chunks(cfg.rows.max(1))
        .take(cfg.bands.max(1))
        .enumerate()
        .map(|(b, chunk)| sketch_band_hash(b, chunk.iter().copied()))
        .collect()
}

/// Shingle similarity of two fingerprints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub jaccard: f64,
    /// Shared shingles over the shingles of the smaller text.
    pub containment: f64,
}

impl Similarity {
    const NONE: Similarity = Similarity {
        jaccard: 0.0,
        containment: 0.0,
    };

    /// Containment derived from Jaccard and the two set sizes:
    /// |A ∩ B| = J / (1 + J) * (|A| + |B|).
    fn from_jaccard(jaccard: f64, na: u32, nb: u32) -> Similarity {
        let shared = jaccard / (1.0 + jaccard) * (f64::from(na) + f64::from(nb));
        let containment = (shared / f64::from(na.min(nb).max(1))).clamp(0.0, 1.0);
        Similarity {
            jaccard,
            containment,
        }
    }
}

/// Jaccard estimated from the b-bit sketches (compared on the smaller
/// width of the two: the low bits of a wider value are the narrower value),
/// containment derived from it and the true shingle totals. Two b-bit values
/// of unrelated texts agree by chance with probability 2^-b (Li & König
/// 2010, for sets much smaller than the 2^32 hash space), so the agreement
/// rate P estimates J = (P - 2^-b) / (1 - 2^-b), clamped to [0, 1].
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> Similarity {
    let bits = a.bits.min(b.bits).min(8);
    let n = a.sketch.len().min(b.sketch.len());
    if a.total == 0 || b.total == 0 || bits == 0 || n == 0 {
        return Similarity::NONE;
    }
    let mask = ((1u32 << bits) - 1) as u8;
    let agree = a
        .sketch
        .iter()
        .zip(&b.sketch)
        .filter(|(x, y)| (**x ^ **y) & mask == 0)
        .count();
    let chance = 1.0 / f64::from(1u32 << bits);
    let p = agree as f64 / n as f64;
    let jaccard = ((p - chance) / (1.0 - chance)).clamp(0.0, 1.0);
    Similarity::from_jaccard(jaccard, a.total, b.total)
}

/// Exact Jaccard and containment of two sorted, distinct shingle sets
/// ([`shingle_hashes`]): for diagnostics and for measuring the sketch.
pub fn exact_similarity(a: &[u32], b: &[u32]) -> Similarity {
    let (mut i, mut j, mut inter) = (0usize, 0usize, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 || a.is_empty() || b.is_empty() {
        return Similarity::NONE;
    }
    Similarity {
        jaccard: inter as f64 / union as f64,
        containment: inter as f64 / a.len().min(b.len()) as f64,
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
        // The band keys of the KV bucket (from the signature) are the ones
        // earlier versions wrote; the sketch bands are what every replica
        // replaying the log files articles under.
        let cfg = NearConfig::default();
        assert_eq!(band_hashes(&f, &cfg)[0], 5924143656720201029);
        assert_eq!(sketch_band_hashes(&f, &cfg)[0], 14962400202842241985);
        assert_eq!(sketch_band_hash(1, [1, 2, 3]), 5292641374546776761);
    }

    #[test]
    fn sketch_bands_survive_the_stored_forms() {
        // What stores keep (the v2 encoding without the signature, a
        // first-format record re-read) gives the bands of the full
        // fingerprint: entries written before are re-filed under them.
        let cfg = NearConfig::default();
        let a = fp("Ferry vote", STORY);
        let want = sketch_band_hashes(&a, &cfg);
        assert_eq!(want.len(), 40);
        let stored = decode(&encode(&a.without_minhash()), &cfg).unwrap();
        assert_eq!(sketch_band_hashes(&stored, &cfg), want);
        let legacy = from_legacy(a.minhash.clone(), &[], a.total, &cfg);
        assert_eq!(sketch_band_hashes(&legacy.without_minhash(), &cfg), want);
        // A narrower sketch cannot give the 8-bit bands.
        let narrow = fingerprint(
            "Ferry vote",
            STORY,
            &NearConfig {
                sketch_bits: 4,
                ..NearConfig::default()
            },
        );
        assert!(sketch_band_hashes(&narrow.without_minhash(), &cfg).is_empty());
        assert_eq!(sketch_band_hashes(&narrow, &cfg), want);
    }

    #[test]
    fn sketch_bands_find_near_copies() {
        // A near copy shares sketch bands; an unrelated text shares none
        // (chance agreement of three 8-bit values is 2^-24 per band).
        let cfg = NearConfig::default();
        let a = sketch_band_hashes(&fp("Ferry vote", STORY), &cfg);
        let edited = STORY.replace("said", "says").replace("promised", "pledged");
        let b = sketch_band_hashes(&fp("Ferry vote", &edited), &cfg);
        let other = "Heavy snow closed schools across the valley and stranded hundreds of drivers on the mountain pass overnight, officials said, while ploughs worked to clear the roads before the morning commute.";
        let c = sketch_band_hashes(&fp("Weather", other), &cfg);
        let shared = |x: &[u64], y: &[u64]| x.iter().zip(y).filter(|(p, q)| p == q).count();
        assert!(shared(&a, &b) >= 3, "{}", shared(&a, &b));
        assert_eq!(shared(&a, &c), 0);
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
        let (body, other) = (STORY, "Heavy snow closed schools across the valley and stranded hundreds of drivers on the mountain pass overnight, officials said.");
        let b = fp("Weather", other);
        let exact = exact_similarity(
            &shingle_hashes("Ferry vote", body, 3),
            &shingle_hashes("Weather", other, 3),
        );
        assert_eq!(exact.jaccard, 0.0);
        // The sketch estimate of a disjoint pair is only chance agreement.
        assert!(similarity(&a, &b).jaccard < 0.1, "{:?}", similarity(&a, &b));
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
    fn sketch_estimate_is_close() {
        // Edited copies of the story over a range of similarities: the
        // sketch estimate stays near the exact shingle Jaccard, at every
        // width, and containment follows from it and the totals.
        let paras: Vec<&str> = STORY.split("\n\n").collect();
        let long = format!("{STORY}\n\n{}", STORY.replace("ferry", "tram"));
        let copies = [
            STORY.replace("said", "says"),
            long.clone(),
            paras[..2].join("\n\n"),
            STORY.replace("the", "a").replace("to", "into"),
        ];
        for bits in [1u8, 2, 4, 8] {
            let cfg = NearConfig {
                sketch_bits: bits,
                ..NearConfig::default()
            };
            for copy in &copies {
                let (a, b) = (fingerprint("T", STORY, &cfg), fingerprint("T", copy, &cfg));
                assert_eq!(a.sketch.len(), 120);
                assert!(a.sketch.iter().all(|v| u32::from(*v) < (1 << bits)));
                let exact = exact_similarity(
                    &shingle_hashes("T", STORY, 3),
                    &shingle_hashes("T", copy, 3),
                );
                let est = similarity(&a, &b);
                assert!(
                    (exact.jaccard - est.jaccard).abs() < 0.15,
                    "{bits} bits: {exact:?} {est:?}"
                );
                assert!(
                    (exact.containment - est.containment).abs() < 0.25,
                    "{bits} bits: {exact:?} {est:?}"
                );
            }
        }
        // Different widths compare on the narrower one.
        let wide = fingerprint(
            "T",
            STORY,
            &NearConfig {
                sketch_bits: 8,
                ..NearConfig::default()
            },
        );
        let narrow = fingerprint(
            "T",
            STORY,
            &NearConfig {
                sketch_bits: 2,
                ..NearConfig::default()
            },
        );
        assert_eq!(similarity(&wide, &narrow).jaccard, 1.0);
    }

    #[test]
    fn encode_roundtrip() {
        let cfg = NearConfig::default();
        let a = fp("Ferry vote", STORY);
        assert_eq!(decode(&encode(&a), &cfg), Some(a.clone()));
        assert_eq!(
            decode(&encode(&a.without_minhash()), &cfg),
            Some(a.without_minhash())
        );
        for bits in [1u8, 2, 8] {
            let c = NearConfig {
                sketch_bits: bits,
                ..NearConfig::default()
            };
            let f = fingerprint("Ferry vote", STORY, &c).without_minhash();
            assert_eq!(decode(&encode(&f), &cfg), Some(f));
        }
        assert_eq!(decode(&[1, 2, 3], &cfg), None);
        assert_eq!(decode(&[0, 0, 0, 0, 9, 0, 0, 0], &cfg), None);
        assert_eq!(decode(b"LDF2\0\0\0\0\0\0\0\0\x03\0\0\0\0", &cfg), None);
        // The first format (total, signature length, signature, shingle
        // sample) still reads: the sketch comes from the signature, or from
        // the sample when there is no signature.
        let shingles = shingle_hashes("Ferry vote", STORY, 3);
        let mut v1 = Vec::new();
        for w in [a.total, a.minhash.len() as u32]
            .iter()
            .chain(&a.minhash)
            .chain(&shingles)
        {
            v1.extend_from_slice(&w.to_le_bytes());
        }
        assert_eq!(decode(&v1, &cfg), Some(a.clone()));
        let mut no_sig = a.total.to_le_bytes().to_vec();
        no_sig.extend_from_slice(&0u32.to_le_bytes());
        for w in &shingles {
            no_sig.extend_from_slice(&w.to_le_bytes());
        }
        assert_eq!(decode(&no_sig, &cfg), Some(a.without_minhash()));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_in_range(a in "\\PC{0,300}", b in "\\PC{0,300}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let cfg = NearConfig { sketch_bits: 2, ..NearConfig::default() };
            let fa = fingerprint("", &a, &cfg);
            let fb = fingerprint(&b, &a, &cfg);
            let s = similarity(&fa, &fb);
            proptest::prop_assert!((0.0..=1.0).contains(&s.jaccard));
            proptest::prop_assert!((0.0..=1.0).contains(&s.containment));
            proptest::prop_assert_eq!(decode(&encode(&fb), &cfg), Some(fb.clone()));
            let _ = decode(&bytes, &cfg);
            let mut tagged = codec::FP_MAGIC.to_vec();
            tagged.extend_from_slice(&bytes);
            let _ = decode(&tagged, &cfg);
            let _ = is_near(&fa, &fb, &cfg);
        }
    }
}
