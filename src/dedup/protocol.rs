//! The claim decision every store runs ([`decide`]) over a small
//! [`Backend`] of key operations, and why it is right.
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
//!    registered in that band (the in-memory core files them by the hash of
//!    the band's sketch values instead: [`Band`]). Candidates found there are verified with their
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

use std::collections::HashMap;

use futures::future::{try_join_all, BoxFuture};

use super::keys::short_hash;
use super::near::{band_hashes, is_near, sketch_band_hashes, Fingerprint, NearConfig};
use super::store::StoreError;
use super::{DedupKeys, Verdict};
use crate::output::DuplicateMethod;

/// Separates the article id from the claimant in the id key's value.
pub const CLAIMANT_SEP: char = '\u{1f}';

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
    fn band_members<'a>(&'a self, band: &'a Band)
        -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    /// Append `id` to every band of `bands` (the bands of `fp`), idempotent,
    /// each band atomically with respect to other appends and reads of it.
    fn join_bands<'a>(
        &'a self,
        bands: &'a [Band],
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// One LSH band of a fingerprint, in the two forms the stores use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub index: u32,
    /// The key in a shared bucket, `near.<index>.<hash>` over the band's
    /// MinHash values ([`band_hashes`]): the KV bucket's form since its
    /// first version, so its entries stay readable across versions.
    pub key: String,
    /// The hash of the band's sketch values ([`sketch_band_hash`]): what
    /// the in-memory core files an article under (it keeps the sketch, not
    /// the signature, and recomputes this when the article expires).
    pub sketch: u64,
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

/// The LSH band keys of a fingerprint (the shared-bucket form, from its
/// MinHash signature).
pub fn band_keys(fp: &Fingerprint, cfg: &NearConfig) -> Vec<String> {
    band_hashes(fp, cfg)
        .iter()
        .enumerate()
        .map(|(i, h)| format!("near.{i}.{h:016x}"))
        .collect()
}

/// The LSH bands of a fingerprint with a signature: its band keys paired
/// with the hashes of the same bands of its sketch (empty when it has no
/// signature or no sketch of `cfg`'s width can be had).
pub fn bands(fp: &Fingerprint, cfg: &NearConfig) -> Vec<Band> {
    band_keys(fp, cfg)
        .into_iter()
        .zip(sketch_band_hashes(fp, cfg))
        .enumerate()
        .map(|(i, (key, sketch))| Band {
            index: i as u32,
            key,
            sketch,
        })
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
    let bkeys = bands(&keys.near, cfg);
    if bkeys.is_empty() {
        return Ok(Verdict::New);
    }
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
    b.join_bands(&bkeys, &keys.id, &keys.near).await?;
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
