//! The "seen" stores behind one trait, [`SeenStore`]: in memory
//! ([`super::memory::MemoryStore`]: replay, eval, tests, and each replica's
//! state in the service's log store, [`super::jetstream::log::LogStore`]), a
//! local file ([`super::file::FileStore`]: `replay --state`), JetStream KV
//! ([`super::jetstream::kv::KvStore`]: the service's alternative). All run
//! the same decision logic ([`super::protocol::decide`]) over a small
//! [`super::protocol::Backend`] of key operations, so they agree on every
//! verdict. This module holds the trait, its error, the clock and the
//! memory accounting ([`accounting`]).

pub mod accounting;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;

use super::{DedupKeys, Verdict};

pub use super::memory::{MemoryStore, DEFAULT_MAX_ARTICLES, DEFAULT_WINDOW};
pub use super::protocol::{decide, Backend, Band, CLAIMANT_SEP};
pub use accounting::StateMemory;

/// A store failure: transient (retry the article later).
#[derive(Debug, thiserror::Error)]
#[error("dedup store: {0}")]
pub struct StoreError(pub String);

/// Remembers claimed keys. `claim` is atomic per key: the first article id to
/// claim a key owns it. A later claim of the url/content/near keys by the
/// same id is "mine" ([`Verdict::New`]). The id key itself is "mine" only for
/// a redelivery (`redelivered`: the transport delivered this very message
/// before, e.g. the worker died before acking); a fresh message that repeats
/// an already claimed id is a duplicate (method `id`).
pub trait SeenStore: Send + Sync {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>>;

    /// What this process holds of the dedup state, for the
    /// `lede_dedup_*` gauges; `None` for a store that keeps it elsewhere
    /// (the KV bucket).
    fn memory(&self) -> Option<StateMemory> {
        None
    }
}

/// Seconds since the Unix epoch, or a manual clock for tests.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicU64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(None)
    }
    /// A clock that only moves when told (tests).
    pub fn manual(start: u64) -> (Self, Arc<AtomicU64>) {
        let a = Arc::new(AtomicU64::new(start));
        (Clock(Some(a.clone())), a)
    }
    pub fn now(&self) -> u64 {
        match &self.0 {
            Some(a) => a.load(Ordering::Relaxed),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        }
    }
}
