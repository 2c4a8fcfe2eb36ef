//! The service's default "seen" store: a registration log on JetStream that
//! every replica replays into its own in-memory state, so that all replicas
//! compute the same verdicts without a round trip per key.
//!
//! - Every article to be judged is written once to the log stream
//!   (`LOG_<bucket>`, subject `lede.dedup-log.<bucket>`, file storage,
//!   `max_age` = the dedup window, at most twice `max_articles` entries) as a
//!   [`Registration`]: its exact keys,
//!   its near-duplicate fingerprint, the transport claimant and whether the
//!   transport redelivered it. The publish ack gives its log sequence.
//! - Every replica reads the whole log in order (an ordered pull consumer)
//!   and applies each registration to a [`MemoryStore`] whose clock is the
//!   registration's server timestamp. Applying runs [`crate::dedup::protocol::decide`]
//!   and yields that registration's verdict. The state, and so every
//!   verdict, is a function of the log prefix only: replicas agree without
//!   talking to each other, and two near-copies published at once by two
//!   replicas get exactly one New (the one the log holds first).
//! - The worker that wrote a registration waits until its replica has applied
//!   that sequence and takes the verdict computed there.
//! - An entry judged a duplicate is remembered too (its bands, fingerprint
//!   and unclaimed exact keys), so the state after an entry is a function of
//!   the entries in the window alone, not of verdicts that depended on
//!   entries which have expired since. A replica that starts late (and never
//!   saw those) therefore reaches the same verdicts as one that ran all
//!   along. A later copy may then be judged a duplicate of a duplicate; the
//!   chain always ends at a New article.
//!
//! Crash safety is the same as with the other stores: registrations are
//! written before the article is published; a redelivery writes the same
//! id and claimant again, which the state treats as "mine" (see [`super`]),
//! and the enriched publish's `Nats-Msg-Id` drops a second copy downstream.
//!
//! Cost per article: one JetStream publish (~0.7 KB) and, on each replica, one
//! in-memory decision. The KV store ([`super::kv`]) needed about 125 KV
//! round trips for a new article. What it costs instead: every replica holds
//! the window's state in memory and replays the log when it starts (it is
//! ready only once it caught up).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream::consumer::{pull::OrderedConfig, DeliverPolicy};
use async_nats::jetstream::stream::{Config as StreamConfig, DiscardPolicy, StorageType};
use async_nats::jetstream::Context;
use bytes::Bytes;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::dedup::memory::{MemoryStore, DEFAULT_MAX_ARTICLES};
use crate::dedup::near::{decode, encode, NearConfig};
use crate::dedup::protocol::{bands, exact_keys, has_near_keys, owner_value, Backend};
use crate::dedup::store::{Clock, SeenStore, StateMemory, StoreError};
use crate::dedup::{DedupKeys, Verdict};

/// How long a worker waits for its replica to apply its own registration
/// before giving up (the article is retried later).
const APPLY_TIMEOUT: Duration = Duration::from_secs(20);

/// Verdicts kept for registrations nobody waits for any more (a worker that
/// timed out): older ones are dropped.
const MAX_UNCLAIMED: u64 = 100_000;

/// First bytes of an encoded [`Registration`] (format version 1).
const MAGIC: &[u8; 4] = b"LDR1";

/// One article's entry in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The process that wrote it (a random id per process): only that
    /// process waits for the verdict.
    pub origin: String,
    /// The transport had delivered this message before.
    pub redelivered: bool,
    pub keys: DedupKeys,
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Binary form: magic, flags (1 redelivered, 2 url, 4 claimant), then
/// length-prefixed origin, id, url?, content, claimant?, then the
/// fingerprint ([`crate::dedup::near::encode`]) to the end.
pub fn encode_registration(r: &Registration) -> Vec<u8> {
    let k = &r.keys;
    let mut out =
        Vec::with_capacity(64 + k.id.len() + 4 * k.near.minhash.len() + k.near.sketch.len());
    out.extend_from_slice(MAGIC);
    let flags = u8::from(r.redelivered)
        | if k.url.is_some() { 2 } else { 0 }
        | if k.claimant.is_some() { 4 } else { 0 };
    out.push(flags);
    put_str(&mut out, &r.origin);
    put_str(&mut out, &k.id);
    if let Some(u) = &k.url {
        put_str(&mut out, u);
    }
    put_str(&mut out, &k.content);
    if let Some(c) = &k.claimant {
        put_str(&mut out, c);
    }
    out.extend_from_slice(&encode(&k.near));
    out
}

/// Inverse of [`encode_registration`]; `None` for bytes that are not one.
/// `cfg` gives the sketch width of fingerprints in the first format.
pub fn decode_registration(bytes: &[u8], cfg: &NearConfig) -> Option<Registration> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (&flags, mut rest) = rest.split_first()?;
    let mut take = || -> Option<String> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        if tail.len() < len {
            return None;
        }
        let (s, tail) = tail.split_at(len);
        rest = tail;
        String::from_utf8(s.to_vec()).ok()
    };
    let origin = take()?;
    let id = take()?;
    let url = if flags & 2 != 0 { Some(take()?) } else { None };
    let content = take()?;
    let claimant = if flags & 4 != 0 { Some(take()?) } else { None };
    let near = decode(rest, cfg)?;
    Some(Registration {
        origin,
        redelivered: flags & 1 != 0,
        keys: DedupKeys {
            id,
            url,
            content,
            near,
            claimant,
        },
    })
}

/// The replayed state of one replica.
struct Replica {
    state: MemoryStore,
    /// The state's clock: the server timestamp of the registration applied.
    now: Arc<AtomicU64>,
    /// Verdicts of this process's own registrations, by log sequence.
    verdicts: Mutex<HashMap<u64, Result<Verdict, String>>>,
    /// The last log sequence applied.
    applied: watch::Sender<u64>,
    origin: String,
}

impl Replica {
    /// Remember an entry judged a duplicate as if it were new (its exact
    /// keys where unclaimed, its bands and fingerprint), so that the state
    /// after any entry depends only on the entries, never on the verdicts
    /// earlier entries got. A replica that starts late never saw the
    /// entries that expired before it started, and an old replica may have
    /// judged a later entry a duplicate of one of them; registering every
    /// entry keeps both replicas' states, and so their verdicts, the same.
    async fn register_anyway(&self, keys: &DedupKeys) -> Result<(), StoreError> {
        let b: &dyn Backend = &self.state;
        for (key, method) in exact_keys(keys) {
            b.create(&key, &owner_value(keys, method)).await?;
        }
        let near = self.state.near_config();
        if !has_near_keys(&keys.near, near) {
            return Ok(());
        }
        let bands = bands(&keys.near, near);
        if bands.is_empty() {
            return Ok(());
        }
        b.join_bands(&bands, &keys.id, &keys.near).await?;
        b.put_sig(&keys.id, &keys.near).await?;
        Ok(())
    }

    /// Apply the registration at `seq` (published at `at`, unix secs).
    fn apply(&self, seq: u64, at: u64, payload: &[u8]) {
        if seq <= *self.applied.borrow() {
            return; // seen already (a consumer recreated from an earlier point)
        }
        match decode_registration(payload, self.state.near_config()) {
            Some(reg) => {
                // The clock never goes back, so expiry is monotone.
                self.now.fetch_max(at, Ordering::Relaxed);
                let mut verdict = match self.state.claim(&reg.keys, reg.redelivered).now_or_never()
                {
                    Some(Ok(v)) => Ok(v),
                    Some(Err(e)) => Err(e.to_string()),
                    None => Err("in-memory decision did not complete".to_string()),
                };
                if matches!(verdict, Ok(Verdict::Duplicate { .. })) {
                    match self.register_anyway(&reg.keys).now_or_never() {
                        Some(Ok(())) => {}
                        Some(Err(e)) => verdict = Err(e.to_string()),
                        None => verdict = Err("in-memory registration did not complete".into()),
                    }
                }
                if reg.origin == self.origin {
                    if let Ok(mut m) = self.verdicts.lock() {
                        m.insert(seq, verdict);
                        if m.len() as u64 > MAX_UNCLAIMED {
                            let cut = seq.saturating_sub(MAX_UNCLAIMED);
                            m.retain(|s, _| *s > cut);
                        }
                    }
                }
            }
            None => tracing::warn!(
                seq,
                "dedup log: skipping an entry that is not a registration"
            ),
        }
        self.applied.send_replace(seq);
    }
}

/// A [`SeenStore`] on a JetStream registration log (see the module docs).
pub struct LogStore {
    js: Context,
    subject: String,
    replica: Arc<Replica>,
    stop: CancellationToken,
}

impl Drop for LogStore {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Stream name of the log for `bucket`.
pub fn log_stream(bucket: &str) -> String {
    format!("LOG_{bucket}")
}

/// Subject of the log for `bucket`.
pub fn log_subject(bucket: &str) -> String {
    format!("lede.dedup-log.{bucket}")
}

fn err(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("{what}: {e}"))
}

impl LogStore {
    /// Bind (creating if needed) the log of `bucket` with `max_age = window`
    /// and `replicas` replicas, replay it, and keep following it. Returns
    /// once the state has caught up with the log as it was when called.
    pub async fn open(
        js: Context,
        bucket: &str,
        window: Duration,
        near: NearConfig,
        replicas: usize,
    ) -> Result<Self, StoreError> {
        Self::open_with_limit(js, bucket, window, near, replicas, DEFAULT_MAX_ARTICLES).await
    }

    /// As [`open`](Self::open), remembering at most `max_articles`
    /// fingerprints (oldest forgotten first).
    pub async fn open_with_limit(
        js: Context,
        bucket: &str,
        window: Duration,
        near: NearConfig,
        replicas: usize,
        max_articles: usize,
    ) -> Result<Self, StoreError> {
        let name = log_stream(bucket);
        let subject = log_subject(bucket);
        let config = StreamConfig {
            name: name.clone(),
            subjects: vec![subject.clone()],
            max_age: window,
            // Entries beyond what a replica remembers are never needed
            // (room is left for duplicates' entries, which add no article).
            max_messages: i64::try_from(max_articles.saturating_mul(2)).unwrap_or(i64::MAX),
            discard: DiscardPolicy::Old,
            storage: StorageType::File,
            num_replicas: replicas.max(1),
            ..Default::default()
        };
        let mut stream = js
            .get_or_create_stream(config)
            .await
            .map_err(|e| err(&format!("creating stream {name}"), e))?;
        let last = stream
            .info()
            .await
            .map_err(|e| err(&format!("reading stream {name}"), e))?
            .state
            .last_sequence;
        let (clock, now) = Clock::manual(0);
        let (applied, mut watch_rx) = watch::channel(0u64);
        let replica = Arc::new(Replica {
            state: MemoryStore::with_config(window, near, max_articles).with_clock(clock),
            now,
            verdicts: Mutex::new(HashMap::new()),
            applied,
            origin: format!("{:016x}", rand::random::<u64>()),
        });
        let stop = CancellationToken::new();
        tokio::spawn(follow(
            js.clone(),
            name.clone(),
            replica.clone(),
            stop.clone(),
        ));
        if last > 0 {
            tracing::info!(stream = %name, entries_up_to = last, "dedup log: replaying");
            let started = std::time::Instant::now();
            loop {
                let waited =
                    tokio::time::timeout(Duration::from_secs(2), watch_rx.wait_for(|s| *s >= last))
                        .await
                        .map(|r| r.map(|_| ()));
                match waited {
                    Ok(Ok(_)) => break,
                    Ok(Err(_)) => return Err(StoreError(format!("{name}: replay stopped"))),
                    Err(_) => {
                        // Entries up to `last` may have expired meanwhile.
                        let info = stream
                            .info()
                            .await
                            .map_err(|e| err(&format!("reading stream {name}"), e))?;
                        if info.state.first_sequence > last {
                            break;
                        }
                        tracing::info!(stream = %name, applied = replica.applied.borrow().to_owned(), of = last, "dedup log: still replaying");
                    }
                }
            }
            tracing::info!(
                stream = %name,
                articles = replica.state.len(),
                secs = started.elapsed().as_secs_f64(),
                "dedup log: replayed"
            );
        }
        Ok(LogStore {
            js,
            subject,
            replica,
            stop,
        })
    }

    /// Remembered article fingerprints in this replica's state.
    pub fn len(&self) -> usize {
        self.replica.state.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The last log sequence this replica applied.
    pub fn applied(&self) -> u64 {
        *self.replica.applied.borrow()
    }

    async fn judge(&self, keys: &DedupKeys, redelivered: bool) -> Result<Verdict, StoreError> {
        let reg = Registration {
            origin: self.replica.origin.clone(),
            redelivered,
            keys: keys.clone(),
        };
        let payload = Bytes::from(encode_registration(&reg));
        let ack = self
            .js
            .publish(self.subject.clone(), payload)
            .await
            .map_err(|e| err("publishing to the dedup log", e))?
            .await
            .map_err(|e| err("dedup log publish ack", e))?;
        let seq = ack.sequence;
        let mut rx = self.replica.applied.subscribe();
        match tokio::time::timeout(APPLY_TIMEOUT, rx.wait_for(|s| *s >= seq)).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => return Err(StoreError("dedup log follower stopped".into())),
            Err(_) => {
                return Err(StoreError(format!(
                    "dedup log: entry {seq} not applied within {APPLY_TIMEOUT:?}"
                )))
            }
        }
        let verdict = self
            .replica
            .verdicts
            .lock()
            .map_err(|_| StoreError("dedup log verdicts lock poisoned".into()))?
            .remove(&seq);
        match verdict {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(StoreError(e)),
            // Applied before this process wrote it (a stream recreated
            // under us) or dropped: judge it again.
            None => Err(StoreError(format!("dedup log: no verdict for entry {seq}"))),
        }
    }
}

impl SeenStore for LogStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(self.judge(keys, redelivered))
    }

    fn memory(&self) -> Option<StateMemory> {
        self.replica.state.memory()
    }
}

/// Follow the log from the entry after the last applied one, for ever:
/// an ordered consumer recreates itself on gaps and missed heartbeats; when
/// it fails anyway (the server went away), start again after a backoff.
async fn follow(js: Context, name: String, replica: Arc<Replica>, stop: CancellationToken) {
    let mut attempt = 0usize;
    loop {
        let res = tokio::select! {
            _ = stop.cancelled() => return,
            r = follow_once(&js, &name, &replica) => r,
        };
        if let Err(e) = res {
            attempt += 1;
            tracing::warn!(stream = %name, "dedup log follower: {e}; following again");
        } else {
            attempt = 0;
        }
        let delay = crate::backoff::delay(attempt);
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

async fn follow_once(js: &Context, name: &str, replica: &Replica) -> Result<(), StoreError> {
    let stream = js
        .get_stream(name)
        .await
        .map_err(|e| err(&format!("binding stream {name}"), e))?;
    let first = stream.cached_info().state.first_sequence;
    let next = *replica.applied.borrow() + 1;
    let deliver_policy = if next <= first {
        DeliverPolicy::All
    } else {
        DeliverPolicy::ByStartSequence {
            start_sequence: next,
        }
    };
    let consumer = stream
        .create_consumer(OrderedConfig {
            deliver_policy,
            ..Default::default()
        })
        .await
        .map_err(|e| err(&format!("following stream {name}"), e))?;
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| err(&format!("following stream {name}"), e))?;
    while let Some(msg) = messages.next().await {
        let msg = msg.map_err(|e| err(&format!("reading stream {name}"), e))?;
        let info = msg
            .info()
            .map_err(|e| err(&format!("reading stream {name}"), e))?;
        let at = u64::try_from(info.published.unix_timestamp()).unwrap_or(0);
        replica.apply(info.stream_sequence, at, &msg.payload);
    }
    Err(StoreError(format!("stream {name}: the consumer ended")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::near::Fingerprint;

    fn reg(url: Option<&str>, claimant: Option<&str>) -> Registration {
        Registration {
            origin: "o1".into(),
            redelivered: claimant.is_none(),
            keys: DedupKeys {
                id: "story-1".into(),
                url: url.map(str::to_string),
                content: "abc123".into(),
                near: Fingerprint {
                    minhash: vec![1, 2, 3],
                    sketch: vec![1, 2, 3],
                    bits: 4,
                    total: 7,
                },
                claimant: claimant.map(str::to_string),
            },
        }
    }

    #[test]
    fn registrations_round_trip() {
        for r in [
            reg(None, None),
            reg(Some("https://example.org/a"), None),
            reg(None, Some("42")),
            reg(Some("https://example.org/é"), Some("7")),
        ] {
            assert_eq!(
                decode_registration(&encode_registration(&r), &NearConfig::default()),
                Some(r)
            );
        }
    }

    #[test]
    fn garbage_is_not_a_registration() {
        let good = encode_registration(&reg(Some("u"), Some("1")));
        assert_eq!(decode_registration(b"", &NearConfig::default()), None);
        assert_eq!(decode_registration(b"LDR1", &NearConfig::default()), None);
        assert_eq!(
            decode_registration(b"{\"id\":1}", &NearConfig::default()),
            None
        );
        // Every truncation of a valid entry is refused or decodes to
        // something else, never panics.
        for cut in 0..good.len() {
            let _ = decode_registration(&good[..cut], &NearConfig::default());
        }
        let mut long_len = good.clone();
        long_len[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode_registration(&long_len, &NearConfig::default()), None);
    }

    #[test]
    fn applying_in_log_order_gives_one_new_per_story() {
        let (clock, now) = Clock::manual(0);
        let (applied, _rx) = watch::channel(0u64);
        let replica = Replica {
            state: MemoryStore::new().with_clock(clock),
            now,
            verdicts: Mutex::new(HashMap::new()),
            applied,
            origin: "me".into(),
        };
        let text = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat near the door";
        let fp = crate::dedup::near::fingerprint("T", text, &NearConfig::default());
        let mk = |id: &str, origin: &str, content: &str, claimant: &str| Registration {
            origin: origin.into(),
            redelivered: false,
            keys: DedupKeys {
                id: id.into(),
                url: None,
                content: content.into(),
                near: fp.clone(),
                claimant: Some(claimant.into()),
            },
        };
        // Two replicas wrote near-copies; the log holds "other" first.
        replica.apply(1, 100, &encode_registration(&mk("a", "other", "h1", "1")));
        replica.apply(2, 100, &encode_registration(&mk("b", "me", "h2", "2")));
        // A redelivery of "b" (same claimant) gets the same verdict again.
        replica.apply(3, 101, &encode_registration(&mk("b", "me", "h2", "2")));
        // A registration applied twice (consumer restarted) counts once.
        replica.apply(2, 100, &encode_registration(&mk("c", "me", "h3", "3")));
        let v = replica
            .verdicts
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default();
        assert_eq!(v.len(), 2, "only this origin's verdicts are kept: {v:?}");
        for seq in [2, 3] {
            match &v[&seq] {
                Ok(Verdict::Duplicate { of, .. }) => assert_eq!(of, "a"),
                other => panic!("seq {seq}: {other:?}"),
            }
        }
        assert_eq!(*replica.applied.borrow(), 3);
    }

    fn replica(window_secs: u64) -> Replica {
        let (clock, now) = Clock::manual(0);
        let (applied, _rx) = watch::channel(0u64);
        Replica {
            state: MemoryStore::with_config(
                Duration::from_secs(window_secs),
                NearConfig::default(),
                1000,
            )
            .with_clock(clock),
            now,
            verdicts: Mutex::new(HashMap::new()),
            applied,
            origin: "me".into(),
        }
    }

    fn entry(id: &str, shingles: impl Iterator<Item = u64>) -> Vec<u8> {
        use crate::dedup::near::{fingerprint_of_shingles, mix64};
        let mut sh: Vec<u32> = shingles.map(|x| (mix64(x) >> 32) as u32).collect();
        sh.sort_unstable();
        sh.dedup();
        encode_registration(&Registration {
            origin: "me".into(),
            redelivered: false,
            keys: DedupKeys {
                id: id.into(),
                url: None,
                content: format!("content-of-{id}"),
                near: fingerprint_of_shingles(sh, &NearConfig::default()),
                claimant: Some(id.into()),
            },
        })
    }

    #[test]
    fn a_late_replica_reaches_the_same_verdicts() {
        // W and X are near (J 0.4), X and S are near (J 0.4), W and S share
        // nothing. X is a duplicate of W; by the time S arrives W has expired.
        let w = entry("w", 0..300);
        let x = entry("x", (0..200).chain(10_000..10_200));
        let s = entry("s", (10_000..10_200).chain(20_000..20_100));
        let old = replica(100);
        old.apply(1, 0, &w);
        old.apply(2, 10, &x);
        // A replica started after W left the log replays from X on.
        let late = replica(100);
        late.apply(2, 10, &x);
        old.apply(3, 105, &s);
        late.apply(3, 105, &s);
        let verdict =
            |r: &Replica, seq: u64| r.verdicts.lock().ok().and_then(|m| m.get(&seq).cloned());
        match verdict(&old, 2) {
            Some(Ok(Verdict::Duplicate { of, .. })) => assert_eq!(of, "w"),
            other => panic!("x on the old replica: {other:?}"),
        }
        assert_eq!(verdict(&late, 2), Some(Ok(Verdict::New)));
        let (a, b) = (verdict(&old, 3), verdict(&late, 3));
        assert_eq!(a, b, "the replicas disagree on s");
        match a {
            Some(Ok(Verdict::Duplicate { of, .. })) => assert_eq!(of, "x"),
            other => panic!("s: {other:?}"),
        }
    }
}
