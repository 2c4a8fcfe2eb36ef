//! Deduplication at three levels: repeated blocks inside one article
//! ([`blocks`]), exact duplicates across articles (id, canonical URL, content
//! hash: [`keys`]) and near-duplicates (MinHash/LSH with Jaccard confirmation:
//! [`near`]). The memory of what was seen sits behind the
//! [`store::SeenStore`] trait: in memory ([`memory::MemoryStore`]), in a
//! local file ([`file::FileStore`], `replay --state`), replayed by every
//! replica from a JetStream registration log ([`jetstream::log::LogStore`],
//! the service's default) or in a JetStream KV bucket shared by all replicas
//! ([`jetstream::kv::KvStore`]); all of them run one decision,
//! [`protocol::decide`], whose ordering argument is written down in
//! [`protocol`] (the log store needs none: the log's order is the order of
//! decisions).
//!
//! Ordering and crash safety: the worker claims an article's keys *before*
//! publishing it, and every claim records the article id that owns it. A
//! claim already owned by the same id counts as "mine", so an article whose
//! worker died between claim and publish is enriched and published again on
//! redelivery (not dropped as a duplicate of itself); the enriched publish
//! carries `Nats-Msg-Id: <id>` so JetStream drops the second copy downstream.

pub mod blocks;
pub mod file;
pub mod jetstream;
pub mod keys;
pub mod memory;
pub mod near;
pub mod protocol;
pub mod store;

use crate::output::DuplicateMethod;

/// Everything the stores need to decide whether an article was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupKeys {
    pub id: String,
    /// Canonical URL, when the article has one.
    pub url: Option<String>,
    /// Normalised content hash.
    pub content: String,
    /// Near-duplicate fingerprint (MinHash signature and shingle sample).
    pub near: near::Fingerprint,
    /// Identity of the transport message carrying the article (the raw
    /// stream sequence in JetStream), when there is one. It is stored with
    /// the id claim, so a redelivery of the same message is recognised as
    /// "mine" even when the broker lost the delivery count (a SIGKILLed
    /// nats-server can redeliver with `delivered = 1`), and a new message
    /// repeating the id is a duplicate even if it is a redelivery itself.
    pub claimant: Option<String>,
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
