//! The service's "seen" store: a JetStream KV bucket shared by every replica
//! (default `lede-dedup`, `max_age` = the dedup window, 7 days by default),
//! running the decision of [`crate::dedup::protocol::decide`]:
//!
//! - `id.<h>`, `url.<h>`, `content.<h>`: create-if-absent (`kv.update` at
//!   revision 0, atomic, fails when the key exists; `kv.create` would read
//!   the key once more before reporting that) with the owning article id as
//!   the value: first writer wins.
//! - `sig.<h(id)>`: the article's [`Fingerprint`] ([`crate::dedup::near::encode`],
//!   without the MinHash signature: the sketch verification reads), written create-if-absent after the article joined its bands; the entry's
//!   revision (the stream sequence) is the registration sequence that orders
//!   near-duplicates (see [`crate::dedup::protocol`]).
//! - `near.<band>.<hash>`: JSON `[[id, unix_secs], ...]`, oldest first,
//!   appended with compare-and-set (`kv.update` at the read revision, retried
//!   on a conflict), so no append is lost. Entries older than the window are
//!   pruned on append; a band keeps at most [`MAX_BAND`] ids.
//!
//! The ordering argument needs reads that see every acknowledged write. A
//! direct get (`allow_direct`) may be answered by a lagging follower of a
//! replicated stream, so a replicated bucket is created without it; a
//! single-replica bucket (the default) has no follower, its one server
//! stores a write before acknowledging it, and direct gets there roughly
//! double the claims per second (`cargo bench --bench dedup -- DIR`: 316 ->
//! 566 articles/s one at a time on nats-server 2.15.1). A bucket that
//! already exists keeps the setting it was created with.
//!
//! Keys hash the article id (`h` = 16 bytes of SHA-256, hex), so they are
//! always valid KV keys whatever the producer's ids look like.
//!
//! On nats-server 2.9.10 `create_key_value` fails (the server's account info
//! lacks fields the client requires), so [`KvStore::open`] creates the backing
//! stream `KV_<bucket>` itself with the settings a KV bucket has, then binds
//! it with `get_key_value`.
//!
//! An in-process cache sits in front: exact-key owners and fingerprints never
//! change once written, so they are cached (least recently used dropped
//! first, entries dropped when the window expires them); band lists are
//! always read from the bucket.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream::kv::{Store, UpdateErrorKind};
use async_nats::jetstream::stream::{Config as StreamConfig, DiscardPolicy, StorageType};
use bytes::Bytes;
use futures::future::{try_join_all, BoxFuture};

use crate::dedup::keys::short_hash;
use crate::dedup::near::{decode, encode, Fingerprint, NearConfig};
use crate::dedup::protocol::{decide, Backend, Band};
use crate::dedup::store::{Clock, SeenStore, StoreError};
use crate::dedup::{DedupKeys, Verdict};

/// Default bucket name.
pub const DEFAULT_BUCKET: &str = "lede-dedup";

/// Most ids kept in one band list (oldest dropped first).
pub const MAX_BAND: usize = 256;

/// Exact-key owners kept in the in-process cache (~150 bytes each).
pub const OWNER_CACHE: usize = 100_000;

/// Fingerprints kept in the in-process cache (sketch and total, ~300
/// bytes each with the key and the cache's bookkeeping).
pub const SIG_CACHE: usize = 10_000;

/// Band values remembered between a read and the append that follows it.
const RECENT_READS: usize = 4096;

/// Compare-and-set attempts on one band before giving up (transient error).
const CAS_ATTEMPTS: usize = 50;

/// A small LRU: a map with a use counter; when full, the least recently used
/// half is dropped at once (amortised O(log n) per insert).
struct Lru<V> {
    map: HashMap<String, (V, u64, u64)>,
    tick: u64,
    capacity: usize,
}

impl<V: Clone> Lru<V> {
    fn new(capacity: usize) -> Self {
        Lru {
            map: HashMap::new(),
            tick: 0,
            capacity: capacity.max(2),
        }
    }

    /// The value if learned at or after `since` (unix secs).
    fn get(&mut self, key: &str, since: u64) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        match self.map.get_mut(key) {
            Some((v, used, at)) if *at >= since => {
                *used = tick;
                Some(v.clone())
            }
            Some(_) => {
                self.map.remove(key);
                None
            }
            None => None,
        }
    }

    fn put(&mut self, key: &str, v: V, at: u64) {
        self.tick += 1;
        if self.map.len() >= self.capacity && !self.map.contains_key(key) {
            let mut ticks: Vec<u64> = self.map.values().map(|(_, t, _)| *t).collect();
            ticks.sort_unstable();
            let cut = ticks
                .get((ticks.len() / 2).saturating_sub(1))
                .copied()
                .unwrap_or(0);
            self.map.retain(|_, (_, t, _)| *t > cut);
        }
        self.map.insert(key.to_string(), (v, self.tick, at));
    }
}

/// A [`SeenStore`] on a JetStream KV bucket.
pub struct KvStore {
    kv: Store,
    near: NearConfig,
    window: u64,
    clock: Clock,
    owners: Mutex<Lru<String>>,
    sigs: Mutex<Lru<(Arc<Fingerprint>, u64)>>,
    /// Band values just read (value, revision), the first guess of an append.
    recent: Mutex<HashMap<String, (Bytes, Option<u64>)>>,
}

fn err(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("{what}: {e}"))
}

impl KvStore {
    /// Bind (creating if needed) the bucket `bucket` with `max_age = window`,
    /// one replica.
    pub async fn open(
        js: async_nats::jetstream::Context,
        bucket: &str,
        window: Duration,
        near: NearConfig,
    ) -> Result<Self, StoreError> {
        Self::open_replicated(js, bucket, window, near, 1).await
    }

    /// As [`open`](Self::open), creating a missing bucket with `replicas`
    /// replicas (3 on a NATS cluster with R3 streams, so losing one node
    /// does not stop dedup). An existing bucket is used as it is.
    pub async fn open_replicated(
        js: async_nats::jetstream::Context,
        bucket: &str,
        window: Duration,
        near: NearConfig,
        replicas: usize,
    ) -> Result<Self, StoreError> {
        let stream = StreamConfig {
            name: format!("KV_{bucket}"),
            subjects: vec![format!("$KV.{bucket}.>")],
            max_messages_per_subject: 1,
            max_age: window,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: replicas.max(1) == 1,
            discard: DiscardPolicy::New,
            storage: StorageType::File,
            num_replicas: replicas.max(1),
            ..Default::default()
        };
        js.get_or_create_stream(stream)
            .await
            .map_err(|e| err(&format!("creating stream KV_{bucket}"), e))?;
        let kv = js
            .get_key_value(bucket)
            .await
            .map_err(|e| err(&format!("binding bucket {bucket}"), e))?;
        Ok(KvStore {
            kv,
            near,
            window: window.as_secs().max(1),
            clock: Clock::system(),
            owners: Mutex::new(Lru::new(OWNER_CACHE)),
            sigs: Mutex::new(Lru::new(SIG_CACHE)),
            recent: Mutex::new(HashMap::new()),
        })
    }

    fn since(&self) -> u64 {
        self.clock.now().saturating_sub(self.window)
    }

    fn cached_owner(&self, key: &str) -> Option<String> {
        let since = self.since();
        self.owners.lock().ok()?.get(key, since)
    }

    fn cache_owner(&self, key: &str, owner: &str, at: u64) {
        if let Ok(mut c) = self.owners.lock() {
            c.put(key, owner.to_string(), at);
        }
    }

    async fn create_owner(&self, key: &str, owner: &str) -> Result<Option<String>, StoreError> {
        if let Some(o) = self.cached_owner(key) {
            return Ok(Some(o));
        }
        for _ in 0..CAS_ATTEMPTS {
            match self
                .kv
                .update(key, Bytes::copy_from_slice(owner.as_bytes()), 0)
                .await
            {
                Ok(_) => {
                    self.cache_owner(key, owner, self.clock.now());
                    return Ok(None);
                }
                Err(e) if e.kind() == UpdateErrorKind::WrongLastRevision => {
                    match self.kv.entry(key).await.map_err(|e| err(key, e))? {
                        Some(entry) => {
                            let o = String::from_utf8_lossy(&entry.value).into_owned();
                            let at = u64::try_from(entry.created.unix_timestamp()).unwrap_or(0);
                            self.cache_owner(key, &o, at);
                            return Ok(Some(o));
                        }
                        // Expired in between: try to create it again.
                        None => continue,
                    }
                }
                Err(e) => return Err(err(key, e)),
            }
        }
        Err(StoreError(format!("{key}: create kept conflicting")))
    }

    fn cache_sig(&self, id: &str, fp: Fingerprint, seq: u64, at: u64) {
        if let Ok(mut c) = self.sigs.lock() {
            c.put(id, (Arc::new(fp), seq), at);
        }
    }

    async fn fetch_sig(&self, id: &str) -> Result<Option<(Fingerprint, u64)>, StoreError> {
        let since = self.since();
        if let Some((fp, seq)) = self.sigs.lock().ok().and_then(|mut c| c.get(id, since)) {
            return Ok(Some(((*fp).clone(), seq)));
        }
        let key = sig_key(id);
        let Some(entry) = self.kv.entry(&key).await.map_err(|e| err(&key, e))? else {
            return Ok(None);
        };
        let Some(fp) = decode(&entry.value, &self.near) else {
            return Ok(None);
        };
        let at = u64::try_from(entry.created.unix_timestamp()).unwrap_or(0);
        self.cache_sig(id, fp.clone(), entry.revision, at);
        Ok(Some((fp, entry.revision)))
    }

    fn parse_band(&self, value: &[u8], now: u64) -> Vec<(String, u64)> {
        let list: Vec<(String, u64)> = serde_json::from_slice(value).unwrap_or_default();
        list.into_iter()
            .filter(|(_, at)| at.saturating_add(self.window) > now)
            .collect()
    }

    async fn append(&self, key: &str, id: &str) -> Result<(), StoreError> {
        for _ in 0..CAS_ATTEMPTS {
            let now = self.clock.now();
            // First attempt: the value this process just read for the claim's
            // fast path (saves a round trip); a stale one only costs a retry.
            let recent = self.recent.lock().ok().and_then(|mut r| r.remove(key));
            let (value, revision) = match recent {
                Some(v) => v,
                None => match self.kv.entry(key).await.map_err(|e| err(key, e))? {
                    Some(e) => (e.value, Some(e.revision)),
                    None => (Bytes::new(), None),
                },
            };
            let mut list = self.parse_band(&value, now);
            if list.iter().any(|(x, _)| x == id) {
                return Ok(());
            }
            list.push((id.to_string(), now));
            if list.len() > MAX_BAND {
                let excess = list.len() - MAX_BAND;
                list.drain(..excess);
            }
            let value = Bytes::from(serde_json::to_vec(&list).map_err(|e| err(key, e))?);
            let res = match revision {
                Some(r) => self
                    .kv
                    .update(key, value, r)
                    .await
                    .map(|_| ())
                    .map_err(|e| (e.kind() == UpdateErrorKind::WrongLastRevision, err(key, e))),
                None => self
                    .kv
                    .update(key, value, 0)
                    .await
                    .map(|_| ())
                    .map_err(|e| (e.kind() == UpdateErrorKind::WrongLastRevision, err(key, e))),
            };
            match res {
                Ok(()) => return Ok(()),
                Err((true, _)) => {
                    // Another replica appended first: read again.
                    tokio::task::yield_now().await;
                    continue;
                }
                Err((false, e)) => return Err(e),
            }
        }
        Err(StoreError(format!("{key}: band append kept conflicting")))
    }
}

fn sig_key(id: &str) -> String {
    format!("sig.{}", short_hash(id))
}

impl Backend for KvStore {
    fn create<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(self.create_owner(key, owner))
    }

    fn put_sig<'a>(
        &'a self,
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let key = sig_key(id);
            for _ in 0..CAS_ATTEMPTS {
                // Verification reads the sketch; the signature only made
                // the band keys, which are written by now.
                let stored = fp.without_minhash();
                match self.kv.update(&key, Bytes::from(encode(&stored)), 0).await {
                    Ok(seq) => {
                        self.cache_sig(id, stored, seq, self.clock.now());
                        return Ok(seq);
                    }
                    Err(e) if e.kind() == UpdateErrorKind::WrongLastRevision => {
                        // A redelivery: the first registration keeps its place.
                        if let Some((_, seq)) = self.fetch_sig(id).await? {
                            return Ok(seq);
                        }
                    }
                    Err(e) => return Err(err(&key, e)),
                }
            }
            Err(StoreError(format!("{key}: create kept conflicting")))
        })
    }

    fn get_sig<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<(Fingerprint, u64)>, StoreError>> {
        Box::pin(self.fetch_sig(id))
    }

    fn band_members<'a>(
        &'a self,
        band: &'a Band,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(async move {
            let key = band.key.as_str();
            let now = self.clock.now();
            let (value, revision) = match self.kv.entry(key).await.map_err(|e| err(key, e))? {
                Some(e) => (e.value, Some(e.revision)),
                None => (Bytes::new(), None),
            };
            let ids = self
                .parse_band(&value, now)
                .into_iter()
                .map(|(x, _)| x)
                .collect();
            if let Ok(mut r) = self.recent.lock() {
                if r.len() >= RECENT_READS {
                    r.clear();
                }
                r.insert(key.to_string(), (value, revision));
            }
            Ok(ids)
        })
    }

    fn join_bands<'a>(
        &'a self,
        bands: &'a [Band],
        id: &'a str,
        _fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            try_join_all(bands.iter().map(|b| self.append(&b.key, id))).await?;
            Ok(())
        })
    }
}

impl SeenStore for KvStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(decide(self, keys, redelivered, &self.near))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_drops_least_recently_used_and_old() {
        let mut c: Lru<u32> = Lru::new(4);
        for (i, k) in ["a", "b", "c", "d"].iter().enumerate() {
            c.put(k, i as u32, 100);
        }
        assert_eq!(c.get("a", 0), Some(0)); // a is now the most recent
        c.put("e", 4, 100); // full: drops the least recently used half (b, c)
        assert_eq!(c.get("b", 0), None);
        assert_eq!(c.get("c", 0), None);
        assert_eq!(c.get("a", 0), Some(0));
        assert_eq!(c.get("e", 0), Some(4));
        assert_eq!(c.get("d", 101), None, "learned before the window start");
        assert_eq!(c.get("d", 0), None, "and dropped");
    }

    #[test]
    fn keys_are_valid_kv_keys() {
        let re = regex::Regex::new(r"^[-/_=\.a-zA-Z0-9]+$").unwrap();
        let k = sig_key("id with spaces/and:colons*>");
        assert!(re.is_match(&k) && !k.ends_with('.'), "{k}");
        let keys = crate::dedup::memory::tests::keys(
            "weird id: *>",
            Some("https://ex.com/a b"),
            "T",
            crate::dedup::memory::tests::STORY,
        );
        for (k, _) in crate::dedup::protocol::exact_keys(&keys) {
            assert!(re.is_match(&k), "{k}");
        }
        for k in crate::dedup::protocol::band_keys(&keys.near, &NearConfig::default()) {
            assert!(re.is_match(&k), "{k}");
        }
    }
}
