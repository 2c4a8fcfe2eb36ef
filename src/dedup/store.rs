//! The "seen" stores behind one trait: in memory ([`MemoryStore`]: replay,
//! eval, tests), a local file ([`super::file::FileStore`]: `replay --state`),
//! JetStream KV ([`super::kv::KvStore`]: the service). All three run the same
//! decision logic ([`decide`]) over a small [`Backend`] of key operations, so
//! they agree on every verdict.
//!
//! The decision for one article, in this order:
//! 1. Exact keys `id.*`, `url.*`, `content.*`: atomic create-if-absent with the
//!    article id as the value (first writer wins). An existing key owned by
//!    another id is a duplicate (method id/url/content). An existing key owned
//!    by the same id is "mine" — except the id key of a message that is not a
//!    redelivery (a fresh message repeating a claimed id is a duplicate).
//! 2. Near keys: the LSH band keys `near.<band>.<hash>` list the ids that
//!    registered in that band. Candidates found there are verified with their
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

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{try_join_all, BoxFuture};

use super::near::{band_hashes, is_near, key_hash, Fingerprint, NearConfig};
use super::{DedupKeys, Verdict};
use crate::article::short_hash;
use crate::output::DuplicateMethod;

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
}

/// Default dedup window: 7 days.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

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
    fn band_members<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    /// Append `id` to a band (idempotent), atomically with respect to other
    /// appends and reads of the same band.
    fn band_append<'a>(
        &'a self,
        key: &'a str,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
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

/// The LSH band keys of a fingerprint.
pub fn band_keys(fp: &Fingerprint, cfg: &NearConfig) -> Vec<String> {
    band_hashes(fp, cfg)
        .iter()
        .enumerate()
        .map(|(i, h)| format!("near.{i}.{h:016x}"))
        .collect()
}

/// The decision described in the module docs, over any backend.
pub async fn decide(
    b: &dyn Backend,
    keys: &DedupKeys,
    redelivered: bool,
    cfg: &NearConfig,
) -> Result<Verdict, StoreError> {
    for (key, method) in exact_keys(keys) {
        if let Some(owner) = b.create(&key, &keys.id).await? {
            let mine = owner == keys.id && (method != DuplicateMethod::Id || redelivered);
            if !mine {
                return Ok(Verdict::Duplicate {
                    of: owner,
                    method,
                    similarity: 1.0,
                });
            }
        }
    }
    if (keys.near.total as usize) < cfg.min_shingles || keys.near.minhash.is_empty() {
        return Ok(Verdict::New);
    }
    let bkeys = band_keys(&keys.near, cfg);
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
    try_join_all(bkeys.iter().map(|k| b.band_append(k, &keys.id))).await?;
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

/// What one remembered item is, for expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Owner(String),
    Sig(Arc<str>),
    /// A band membership: the band key's hash ([`key_hash`]) and the id.
    Band(u64, Arc<str>),
}

/// In-process state shared by [`MemoryStore`] and the file store: three maps
/// and an insertion-ordered queue that expires items after the window and
/// bounds the number of remembered articles.
#[derive(Debug, Default)]
pub(crate) struct MemoryCore {
    owners: HashMap<String, (String, u64)>,
    /// id -> (fingerprint, registered at, registration sequence).
    sigs: HashMap<Arc<str>, (Arc<Fingerprint>, u64, u64)>,
    /// The last registration sequence handed out.
    seq: u64,
    /// The id last appended to a band (its bands are appended in a row, so
    /// they share one allocation).
    last_id: Option<Arc<str>>,
    /// Band lists keyed by the hash of the band key (a collision only adds
    /// candidates, which are verified anyway).
    bands: HashMap<u64, Vec<(Arc<str>, u64)>>,
    queue: VecDeque<(u64, Item)>,
    window: u64,
    max_articles: usize,
}

impl MemoryCore {
    pub(crate) fn new(window: Duration, max_articles: usize) -> Self {
        MemoryCore {
            window: window.as_secs().max(1),
            max_articles: max_articles.max(1),
            ..Default::default()
        }
    }

    fn live(&self, at: u64, now: u64) -> bool {
        at.saturating_add(self.window) > now
    }

    pub(crate) fn create(&mut self, key: &str, owner: &str, now: u64) -> Option<String> {
        if let Some((o, at)) = self.owners.get(key) {
            if self.live(*at, now) {
                return Some(o.clone());
            }
        }
        self.owners
            .insert(key.to_string(), (owner.to_string(), now));
        self.queue.push_back((now, Item::Owner(key.to_string())));
        None
    }

    /// Register a fingerprint unless a live one is there (first write wins).
    /// `seq` restores a logged sequence; `None` takes the next one. Returns
    /// the sequence and whether it was written now.
    pub(crate) fn put_sig(
        &mut self,
        id: &str,
        fp: Arc<Fingerprint>,
        now: u64,
        seq: Option<u64>,
    ) -> (u64, bool) {
        if let Some((_, at, s)) = self.sigs.get(id) {
            if self.live(*at, now) {
                return (*s, false);
            }
        }
        let s = seq.unwrap_or(self.seq + 1);
        self.seq = self.seq.max(s);
        let id: Arc<str> = self.intern(id);
        self.sigs.insert(id.clone(), (fp, now, s));
        self.queue.push_back((now, Item::Sig(id)));
        (s, true)
    }

    pub(crate) fn get_sig(&self, id: &str, now: u64) -> Option<(Arc<Fingerprint>, u64)> {
        self.sigs
            .get(id)
            .filter(|(_, at, _)| self.live(*at, now))
            .map(|(f, _, s)| (f.clone(), *s))
    }

    fn intern(&mut self, id: &str) -> Arc<str> {
        match &self.last_id {
            Some(a) if &**a == id => a.clone(),
            _ => {
                let a: Arc<str> = Arc::from(id);
                self.last_id = Some(a.clone());
                a
            }
        }
    }

    pub(crate) fn band_members(&self, key: &str, now: u64) -> Vec<String> {
        self.bands
            .get(&key_hash(key))
            .map(|v| {
                v.iter()
                    .filter(|(_, at)| self.live(*at, now))
                    .map(|(id, _)| id.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `id` was appended now (false: it was there already).
    pub(crate) fn band_append(&mut self, key: &str, id: &str, now: u64) -> bool {
        self.band_append_hashed(key_hash(key), id, now)
    }

    pub(crate) fn band_append_hashed(&mut self, h: u64, id: &str, now: u64) -> bool {
        let window = self.window;
        let shared = self.intern(id);
        let list = self.bands.entry(h).or_default();
        list.retain(|(_, at)| at.saturating_add(window) > now);
        if list.iter().any(|(x, _)| &**x == id) {
            return false;
        }
        list.push((shared.clone(), now));
        self.queue.push_back((now, Item::Band(h, shared)));
        true
    }

    /// Drop expired items, then the oldest ones while more than
    /// `max_articles` fingerprints are remembered. Returns how many queue
    /// entries were dropped.
    pub(crate) fn evict(&mut self, now: u64) -> usize {
        let mut dropped = 0;
        while let Some((at, _)) = self.queue.front() {
            let expired = !self.live(*at, now);
            if !expired
                && self.sigs.len() <= self.max_articles
                && self.owners.len() <= self.max_articles.saturating_mul(3)
            {
                break;
            }
            let Some((at, item)) = self.queue.pop_front() else {
                break;
            };
            dropped += 1;
            match item {
                Item::Owner(k) => {
                    if self.owners.get(&k).is_some_and(|(_, t)| *t == at) {
                        self.owners.remove(&k);
                    }
                }
                Item::Sig(id) => {
                    if self.sigs.get(&id).is_some_and(|(_, t, _)| *t == at) {
                        self.sigs.remove(&id);
                    }
                }
                Item::Band(k, id) => {
                    if let Some(list) = self.bands.get_mut(&k) {
                        list.retain(|(x, t)| !(*x == id && *t == at));
                        if list.is_empty() {
                            self.bands.remove(&k);
                        }
                    }
                }
            }
        }
        dropped
    }

    /// Everything still remembered, oldest first (for rewriting a state file).
    pub(crate) fn items(&self) -> impl Iterator<Item = &(u64, Item)> {
        self.queue.iter()
    }

    pub(crate) fn owner_of(&self, key: &str) -> Option<&str> {
        self.owners.get(key).map(|(o, _)| o.as_str())
    }

    pub(crate) fn sig_of(&self, id: &str) -> Option<(&Fingerprint, u64)> {
        self.sigs.get(id).map(|(f, _, s)| (f.as_ref(), *s))
    }

    pub(crate) fn articles(&self) -> usize {
        self.sigs.len()
    }
}

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
            core: Mutex::new(MemoryCore::new(window, max_articles)),
            near,
            clock: Clock::system(),
        }
    }

    /// Use another clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
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
            let (seq, _) = c.put_sig(id, Arc::new(fp.clone()), now, None);
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
            Ok(self
                .lock()?
                .get_sig(id, now)
                .map(|(f, s)| ((*f).clone(), s)))
        })
    }
    fn band_members<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self.lock()?.band_members(key, now))
        })
    }
    fn band_append<'a>(
        &'a self,
        key: &'a str,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            self.lock()?.band_append(key, id, now);
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
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dedup::near::fingerprint;
    use std::collections::HashSet;

    pub(crate) const STORY: &str = "The city council voted on Tuesday to expand the harbour ferry service to three new stops.\n\n\
        Mayor Ana Ruiz said the expansion would cost 4.2 million euros and open in the spring of next year.\n\n\
        Opposition councillors argued that the money should instead go to repairing the old bus depot, which has been closed since a fire last winter.\n\n\
        The ferry operator, Blue Line Marine, welcomed the decision and promised two new electric boats by the end of the year.\n\n\
        Residents of the northern district, who currently travel forty minutes to reach the centre, are expected to benefit most.";

    pub(crate) const OTHER: &str = "Councillors approved a larger ferry network on Tuesday after a long debate.\n\n\
        Blue Line Marine will run boats to three additional piers, according to the approved plan, at a cost the mayor put at 4.2 million euros.\n\n\
        Critics, including several opposition members, wanted the funds spent on the bus depot damaged by fire.\n\n\
        Ana Ruiz told reporters the northern district had waited too long for a fast link to the centre.";

    pub(crate) fn keys(id: &str, url: Option<&str>, title: &str, body: &str) -> DedupKeys {
        DedupKeys {
            id: id.to_string(),
            url: url.map(str::to_string),
            content: crate::dedup::keys::content_hash(title, body),
            near: fingerprint(title, body, &NearConfig::default()),
        }
    }

    fn block<F: std::future::Future>(f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    /// Ids that own at least one exact key (tests and diagnostics).
    fn owners_in(core: &MemoryCore, keys: &DedupKeys) -> HashSet<String> {
        exact_keys(keys)
            .iter()
            .filter_map(|(k, _)| core.owner_of(k).map(str::to_string))
            .collect()
    }

    fn dup_of(v: &Verdict) -> Option<(&str, DuplicateMethod)> {
        match v {
            Verdict::Duplicate { of, method, .. } => Some((of.as_str(), *method)),
            Verdict::New => None,
        }
    }

    #[test]
    fn exact_keys_first_writer_wins() {
        let s = MemoryStore::new();
        let a = keys("a", Some("ex.com/1"), "T", "Alpha beta gamma.");
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        // Same id, fresh message: duplicate by id; redelivered: mine.
        assert_eq!(
            dup_of(&block(s.claim(&a, false)).unwrap()),
            Some(("a", DuplicateMethod::Id))
        );
        assert_eq!(block(s.claim(&a, true)).unwrap(), Verdict::New);
        let b = keys("b", Some("ex.com/1"), "T", "Other words here.");
        assert_eq!(
            dup_of(&block(s.claim(&b, false)).unwrap()),
            Some(("a", DuplicateMethod::Url))
        );
        let c = keys("c", None, "t", "Alpha  beta “gamma”.");
        assert_eq!(
            dup_of(&block(s.claim(&c, false)).unwrap()),
            Some(("a", DuplicateMethod::Content))
        );
        // A duplicate does not take the content key it did not reach.
        let core = s.lock().unwrap();
        assert_eq!(owners_in(&core, &c).len(), 2, "id.c and a's content");
    }

    #[test]
    fn near_copies_and_different_articles() {
        let s = MemoryStore::new();
        let a = keys("a", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        let paras: Vec<&str> = STORY.split("\n\n").collect();
        let shuffled = [paras[2], paras[4], paras[0], paras[1], paras[3]].join("\n\n");
        let b = keys("b", None, "BREAKING: Ferry vote", &shuffled);
        let v = block(s.claim(&b, false)).unwrap();
        assert_eq!(dup_of(&v), Some(("a", DuplicateMethod::Near)));
        let c = keys("c", None, "Council backs ferry plan", OTHER);
        assert_eq!(block(s.claim(&c, false)).unwrap(), Verdict::New);
        // The owner's redelivery is still mine, though copies came later.
        assert_eq!(block(s.claim(&a, true)).unwrap(), Verdict::New);
        assert_eq!(s.len(), 2, "a and c registered; b took the fast path");
    }

    #[test]
    fn window_expires_and_bound_holds() {
        let (clock, t) = Clock::manual(1_000);
        let s = MemoryStore::with_config(Duration::from_secs(60), NearConfig::default(), 2)
            .with_clock(clock);
        let a = keys("a", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        t.store(1_030, Ordering::Relaxed);
        let a2 = keys("a2", None, "Ferry vote!", STORY);
        assert!(dup_of(&block(s.claim(&a2, false)).unwrap()).is_some());
        t.store(1_061, Ordering::Relaxed);
        let a3 = keys("a3", None, "Ferry vote", STORY);
        assert_eq!(block(s.claim(&a3, false)).unwrap(), Verdict::New);
        for (i, body) in ["One two three four five six seven eight nine ten eleven twelve thirteen.",
            "Red orange yellow green blue indigo violet black white grey pink brown gold.",
            "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April."]
            .iter()
            .enumerate()
        {
            let k = keys(&format!("x{i}"), None, "Lists", body);
            assert_eq!(block(s.claim(&k, false)).unwrap(), Verdict::New);
        }
        assert!(s.len() <= 2, "bounded: {}", s.len());
    }

    #[test]
    fn concurrent_near_claims_one_new() {
        // Interleave two claims step by step on a multi-threaded runtime.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        for round in 0..20 {
            let s = Arc::new(MemoryStore::new());
            let a = keys(&format!("a{round}"), None, "Ferry vote", STORY);
            let b = keys(
                &format!("b{round}"),
                None,
                "Ferry vote - The Harbour Times",
                &format!("{STORY}\n\nAdvertisement"),
            );
            let (s1, s2) = (s.clone(), s.clone());
            let h1 = rt.spawn(async move { s1.claim(&a, false).await.unwrap() });
            let h2 = rt.spawn(async move { s2.claim(&b, false).await.unwrap() });
            let (v1, v2) = rt.block_on(async { (h1.await.unwrap(), h2.await.unwrap()) });
            let news = [&v1, &v2].iter().filter(|v| ***v == Verdict::New).count();
            assert_eq!(news, 1, "{v1:?} {v2:?}");
        }
    }
}
