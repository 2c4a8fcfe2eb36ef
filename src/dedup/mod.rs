//! Deduplication at three levels: repeated blocks inside one article
//! ([`blocks`]), exact duplicates across articles (id, canonical URL, content
//! hash: [`keys`]) and near-duplicates (MinHash/LSH with Jaccard confirmation:
//! [`near`]). The decision what is a duplicate of what is pure; the memory of
//! what was seen sits behind the [`store::SeenStore`] trait.
//!
//! Ordering and crash safety: the worker claims an article's keys *before*
//! publishing it, and every claim records the article id that owns it. A
//! claim already owned by the same id counts as "mine", so an article whose
//! worker died between claim and publish is enriched and published again on
//! redelivery (not dropped as a duplicate of itself); the enriched publish
//! carries `Nats-Msg-Id: <id>` so JetStream drops the second copy downstream.

pub mod blocks;
pub mod file;
pub mod keys;
pub mod kv;
pub mod near;
pub mod store;

use crate::output::DuplicateMethod;

/// Everything the stores need to decide whether an article was seen.
#[derive(Debug, Clone)]
pub struct DedupKeys {
    pub id: String,
    /// Canonical URL, when the article has one.
    pub url: Option<String>,
    /// Normalised content hash.
    pub content: String,
    /// Near-duplicate fingerprint (MinHash signature and shingle sample).
    pub near: near::Fingerprint,
}

/// The store's answer for one article.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// First seen (or a redelivery of the article that owns the claim).
    New,
    /// A duplicate of an article already claimed by another id.
    Duplicate {
        of: String,
        method: DuplicateMethod,
        similarity: f64,
    },
}
