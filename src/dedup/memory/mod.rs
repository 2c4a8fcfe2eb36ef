//! The in-memory store ([`MemoryStore`]): the decision of
//! [`crate::dedup::protocol`] over [`core::MemoryCore`], whose ids sit in a
//! [`slots::SlotTable`] and whose entries expire through a
//! [`queue::ChunkQueue`].

pub(crate) mod core;
mod queue;
mod slots;
#[cfg(test)]
pub(crate) use self::core::tests;

use std::sync::Mutex;
use std::time::Duration;

use futures::future::BoxFuture;

use self::core::MemoryCore;
use super::near::{Fingerprint, NearConfig};
use super::protocol::{decide, Backend, Band};
use super::store::{Clock, SeenStore, StateMemory, StoreError};
use super::{DedupKeys, Verdict};

/// Default dedup window: 7 days.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

/// Default bound on remembered articles in memory.
pub const DEFAULT_MAX_ARTICLES: usize = 1_000_000;

/// In-process store for replay, eval and tests: exact and near keys, items
/// expire after the window, at most `max_articles` fingerprints kept (oldest
/// dropped first).
pub struct MemoryStore {
    core: Mutex<MemoryCore>,
    near: NearConfig,
    clock: Clock,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// Default window (7 days), default [`NearConfig`].
    pub fn new() -> Self {
        Self::with_config(DEFAULT_WINDOW, NearConfig::default(), DEFAULT_MAX_ARTICLES)
    }

    pub fn with_config(window: Duration, near: NearConfig, max_articles: usize) -> Self {
        MemoryStore {
            core: Mutex::new(MemoryCore::new(window, max_articles, &near)),
            near,
            clock: Clock::system(),
        }
    }

    /// Use another clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The near-duplicate parameters this store decides with.
    pub fn near_config(&self) -> &NearConfig {
        &self.near
    }

    /// Remembered article fingerprints.
    pub fn len(&self) -> usize {
        self.lock().map(|c| c.articles()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, MemoryCore>, StoreError> {
        self.core
            .lock()
            .map_err(|_| StoreError("memory store lock poisoned".into()))
    }
}

impl Backend for MemoryStore {
    fn create<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut c = self.lock()?;
            c.evict(now);
            Ok(c.create(key, owner, now))
        })
    }
    fn put_sig<'a>(
        &'a self,
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut c = self.lock()?;
            let (seq, _) = c.put_sig(id, fp, now, None);
            c.evict(now);
            Ok(seq)
        })
    }
    fn get_sig<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<(Fingerprint, u64)>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self.lock()?.get_sig(id, now))
        })
    }
    fn band_members<'a>(
        &'a self,
        band: &'a Band,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self
                .lock()?
                .band_members(band.index as usize, band.sketch, now))
        })
    }
    fn join_bands<'a>(
        &'a self,
        _bands: &'a [Band],
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            self.lock()?.join_bands(id, Some(fp), now);
            Ok(())
        })
    }
}

impl SeenStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(decide(self, keys, redelivered, &self.near))
    }

    fn memory(&self) -> Option<StateMemory> {
        self.lock().ok().map(|c| c.memory())
    }
}
