//! The local-file "seen" store behind `lede replay --state FILE`: the same
//! in-process state as [`MemoryStore`](super::memory::MemoryStore), plus an
//! append-only JSON Lines log of every write (`{"t":secs,"oh":hash_of_key,"id":..}`,
//! `{"t":..,"sig":id,"fp":..,"seq":..}`, `{"t":..,"join":id}`).
//! Exact keys are logged by the 64-bit hash of the key string, which is all
//! the in-memory state keeps; files from earlier versions, which log the key
//! itself (`"own":key`), are still read. Fingerprints are logged without
//! their MinHash signature, as their b-bit sketch; an article's bands are
//! those of its sketch, so joining them is logged as `join` alone (files
//! from earlier versions log one `band` record per band key hash, made from
//! the signature: each is read as a `join`, the article re-filed under the
//! bands of its sketch); earlier files, which logged a sample of
//! the shingle hashes (with or without the signature), are read too: the
//! sketch is taken from the signature, else from the sample (exact for texts
//! whose every shingle is in the sample, approximate for longer ones, until
//! those records leave the window).
//! Opening the file replays the log, drops what the window expired and, when
//! something was dropped, rewrites the file with the live records only (to a
//! temporary file renamed over the old one). The log is flushed after every claim, so
//! repeated replays remember what earlier ones saw.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::memory::core::{MemoryCore, Remembered};
use super::near::{from_legacy, key_hash, Fingerprint, NearConfig};
use super::protocol::{decide, Backend, Band};
use super::store::{Clock, SeenStore, StateMemory, StoreError};
use super::{DedupKeys, Verdict};

/// One log line.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    t: u64,
    /// An exact key (files before the `oh` form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    own: Option<String>,
    /// An exact key, by the hash of the key string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oh: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sig: Option<String>,
    /// A band membership, by the hash of the band key (files before the
    /// `join` form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    band: Option<u64>,
    /// The article joined the bands of its sketch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    join: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fp: Option<FpRecord>,
    /// Registration sequence of a fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
}

/// A logged fingerprint: the current form (sketch, no signature) or an
/// earlier one (a shingle sample, with or without the signature).
#[derive(Debug, Serialize, Deserialize)]
struct FpRecord {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    minhash: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sketch: Vec<u8>,
    #[serde(default)]
    bits: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shingles: Vec<u32>,
    total: u32,
}

impl FpRecord {
    fn of(fp: &Fingerprint) -> Self {
        FpRecord {
            minhash: Vec::new(),
            sketch: fp.sketch.clone(),
            bits: fp.bits,
            shingles: Vec::new(),
            total: fp.total,
        }
    }

    fn fingerprint(self, cfg: &NearConfig) -> Fingerprint {
        if self.sketch.is_empty() {
            from_legacy(self.minhash, &self.shingles, self.total, cfg)
        } else {
            Fingerprint {
                minhash: self.minhash,
                sketch: self.sketch,
                bits: self.bits,
                total: self.total,
            }
        }
    }
}

struct Inner {
    core: MemoryCore,
    log: BufWriter<File>,
}

/// A [`SeenStore`] that persists to a local file.
pub struct FileStore {
    inner: Mutex<Inner>,
    path: PathBuf,
    near: NearConfig,
    clock: Clock,
}

fn io_err(path: &Path, e: std::io::Error) -> StoreError {
    StoreError(format!("{}: {e}", path.display()))
}

impl FileStore {
    /// Open (or create) the state file at `path`.
    pub fn open(path: &Path, window: Duration, near: NearConfig) -> Result<Self, StoreError> {
        Self::open_with_clock(path, window, near, Clock::system())
    }

    pub fn open_with_clock(
        path: &Path,
        window: Duration,
        near: NearConfig,
        clock: Clock,
    ) -> Result<Self, StoreError> {
        let now = clock.now();
        let mut core = MemoryCore::new(window, usize::MAX, &near);
        let mut dropped = 0usize;
        let mut pending = HashMap::new();
        match File::open(path) {
            Ok(f) => {
                for line in BufReader::new(f).lines() {
                    let line = line.map_err(|e| io_err(path, e))?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    // A torn last line (a crash mid-write) is skipped.
                    let Ok(r) = serde_json::from_str::<Record>(&line) else {
                        dropped += 1;
                        continue;
                    };
                    apply(&mut core, r, &near, &mut pending);
                }
                dropped += core.evict(now);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(path, e)),
        }
        let log = if dropped > 0 {
            rewrite(path, &core)?
        } else {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| io_err(path, e))?
        };
        Ok(FileStore {
            inner: Mutex::new(Inner {
                core,
                log: BufWriter::new(log),
            }),
            path: path.to_path_buf(),
            near,
            clock,
        })
    }

    /// Remembered article fingerprints.
    pub fn len(&self) -> usize {
        self.lock().map(|i| i.core.articles()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("file store lock poisoned".into()))
    }

    fn write(&self, inner: &mut Inner, r: &Record) -> Result<(), StoreError> {
        serde_json::to_writer(&mut inner.log, r)
            .map_err(|e| StoreError(format!("{}: {e}", self.path.display())))?;
        inner
            .log
            .write_all(b"\n")
            .map_err(|e| io_err(&self.path, e))
    }

    /// Write buffered records to the file.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.lock()?.log.flush().map_err(|e| io_err(&self.path, e))
    }
}

/// Replay one record. A `join` (or an earlier file's `band` record) files
/// the article under the bands of the sketch its slot holds; before its
/// fingerprint was read (the log writes bands first) it waits in `pending`
/// (id -> time) for the fingerprint's record.
fn apply(core: &mut MemoryCore, r: Record, cfg: &NearConfig, pending: &mut HashMap<String, u64>) {
    match (r.own, r.oh, r.sig, r.band, r.join, r.id, r.fp) {
        (Some(key), _, _, _, _, Some(id), _) => {
            core.create(&key, &id, r.t);
        }
        (_, Some(key), _, _, _, Some(id), _) => {
            core.create_hashed(key, &id, r.t);
        }
        (_, _, Some(id), _, _, _, Some(fp)) => {
            let fp = fp.fingerprint(cfg);
            if let Some(t) = pending.remove(&id) {
                core.join_bands(&id, Some(&fp), t);
            }
            core.put_sig(&id, &fp, r.t, r.seq);
        }
        (_, _, _, _, Some(id), _, _) | (_, _, _, Some(_), _, Some(id), _)
            if !core.join_bands(&id, None, r.t) =>
        {
            pending.entry(id).or_insert(r.t);
        }
        _ => {}
    }
}

fn record_of(item: Remembered<'_>) -> Record {
    let mut r = Record {
        t: 0,
        own: None,
        oh: None,
        sig: None,
        band: None,
        join: None,
        id: None,
        fp: None,
        seq: None,
    };
    match item {
        Remembered::Owner { t, key, owner } => {
            r.t = t;
            r.oh = Some(key);
            r.id = Some(owner);
        }
        Remembered::Sig { t, id, fp, seq } => {
            r.t = t;
            r.sig = Some(id.to_string());
            r.fp = Some(FpRecord::of(&fp));
            r.seq = Some(seq);
        }
        Remembered::Bands { t, id } => {
            r.t = t;
            r.join = Some(id.to_string());
        }
    }
    r
}

/// Write the live records to `path` (via a temporary file and a rename) and
/// return the file opened for appending.
fn rewrite(path: &Path, core: &MemoryCore) -> Result<File, StoreError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut w = BufWriter::new(File::create(&tmp).map_err(|e| io_err(&tmp, e))?);
        core.for_each_record(|item| {
            serde_json::to_writer(&mut w, &record_of(item))
                .map_err(|e| StoreError(e.to_string()))?;
            w.write_all(b"\n").map_err(|e| io_err(&tmp, e))
        })?;
        w.flush().map_err(|e| io_err(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, e))?;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| io_err(path, e))
}

impl Backend for FileStore {
    fn create<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut g = self.lock()?;
            let existing = g.core.create(key, owner, now);
            if existing.is_none() {
                let r = Record {
                    t: now,
                    own: None,
                    oh: Some(key_hash(key)),
                    sig: None,
                    band: None,
                    join: None,
                    id: Some(owner.to_string()),
                    fp: None,
                    seq: None,
                };
                self.write(&mut g, &r)?;
            }
            Ok(existing)
        })
    }
    fn put_sig<'a>(
        &'a self,
        id: &'a str,
        fp: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut g = self.lock()?;
            let (seq, added) = g.core.put_sig(id, fp, now, None);
            if added {
                let r = Record {
                    t: now,
                    own: None,
                    oh: None,
                    sig: Some(id.to_string()),
                    band: None,
                    join: None,
                    id: None,
                    fp: Some(FpRecord::of(fp)),
                    seq: Some(seq),
                };
                self.write(&mut g, &r)?;
            }
            Ok(seq)
        })
    }
    fn get_sig<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<(Fingerprint, u64)>, StoreError>> {
        Box::pin(async move {
            let now = self.clock.now();
            Ok(self.lock()?.core.get_sig(id, now))
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
                .core
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
            let mut g = self.lock()?;
            if g.core.joined_now(id, fp, now) {
                let r = Record {
                    t: now,
                    own: None,
                    oh: None,
                    sig: None,
                    band: None,
                    join: Some(id.to_string()),
                    id: None,
                    fp: None,
                    seq: None,
                };
                self.write(&mut g, &r)?;
            }
            Ok(())
        })
    }
}

impl SeenStore for FileStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(async move {
            let v = decide(self, keys, redelivered, &self.near).await;
            self.flush()?;
            v
        })
    }

    fn memory(&self) -> Option<StateMemory> {
        self.inner.lock().ok().map(|i| i.core.memory())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::memory::tests::{keys, STORY};
    use crate::output::DuplicateMethod;

    fn block<F: std::future::Future>(f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    #[test]
    fn remembers_across_reopen_and_expires() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let (clock, t) = Clock::manual(10_000);
        let win = Duration::from_secs(100);
        let a = keys("a", Some("ex.com/a"), "Ferry vote", STORY);
        let b = keys(
            "b",
            None,
            "UPDATE: Ferry vote",
            &format!("{STORY}\n\nCopyright 2026 Harbour Times."),
        );
        {
            let s = FileStore::open_with_clock(&path, win, NearConfig::default(), clock.clone())
                .unwrap();
            assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
            assert_eq!(s.len(), 1);
        }
        {
            let s = FileStore::open_with_clock(&path, win, NearConfig::default(), clock.clone())
                .unwrap();
            assert_eq!(s.len(), 1, "reloaded");
            match block(s.claim(&b, false)).unwrap() {
                Verdict::Duplicate { of, method, .. } => {
                    assert_eq!((of.as_str(), method), ("a", DuplicateMethod::Near))
                }
                v => panic!("expected a near duplicate, got {v:?}"),
            }
            // The owner's redelivery is mine after a reopen too.
            assert_eq!(block(s.claim(&a, true)).unwrap(), Verdict::New);
        }
        let before = std::fs::read_to_string(&path).unwrap().lines().count();
        t.store(10_101, std::sync::atomic::Ordering::Relaxed);
        {
            let s = FileStore::open_with_clock(&path, win, NearConfig::default(), clock.clone())
                .unwrap();
            assert_eq!(s.len(), 0, "window expired");
            assert_eq!(block(s.claim(&b, false)).unwrap(), Verdict::New);
        }
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after.lines().count() < before,
            "expired records were dropped"
        );
        assert!(!after.contains("\"id\":\"a\""));
    }

    #[test]
    fn reads_state_files_with_key_strings() {
        // The format before exact keys were logged by hash: `own` holds the
        // key, fingerprints carry their MinHash signature.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let cfg = NearConfig::default();
        let a = keys("a", Some("ex.com/a"), "Ferry vote", STORY);
        // An expired record, so that opening rewrites the file.
        let mut text = String::from("{\"t\":1,\"own\":\"url.old\",\"id\":\"z\"}\n");
        for (k, _) in crate::dedup::protocol::exact_keys(&a) {
            let owner = if k.starts_with("id.") {
                "a\\u001f41"
            } else {
                "a"
            };
            text.push_str(&format!(
                "{{\"t\":10000,\"own\":\"{k}\",\"id\":\"{owner}\"}}\n"
            ));
        }
        for h in crate::dedup::near::band_hashes(&a.near, &cfg)
            .iter()
            .enumerate()
            .map(|(i, h)| key_hash(&format!("near.{i}.{h:016x}")))
        {
            text.push_str(&format!("{{\"t\":10000,\"band\":{h},\"id\":\"a\"}}\n"));
        }
        // The fingerprint as that format logged it: signature and shingle
        // sample.
        let shingles = crate::dedup::near::shingle_hashes("Ferry vote", STORY, 3);
        let fp = serde_json::json!({"minhash": a.near.minhash, "shingles": shingles, "total": a.near.total});
        text.push_str(&format!(
            "{{\"t\":10000,\"sig\":\"a\",\"fp\":{fp},\"seq\":1}}\n"
        ));
        std::fs::write(&path, text).unwrap();
        let (clock, _) = Clock::manual(10_050);
        let win = Duration::from_secs(100);
        let mut b = keys("b", Some("ex.com/a"), "Other", "Entirely different words.");
        b.claimant = Some("42".into());
        let mut again = a.clone();
        again.claimant = Some("41".into());
        for round in 0..2 {
            let near = keys(
                &format!("c{round}"),
                None,
                &format!("UPDATE {round}: Ferry vote"),
                &format!("{STORY}\n\nAdvertisement"),
            );
            let s = FileStore::open_with_clock(&path, win, cfg.clone(), clock.clone()).unwrap();
            assert_eq!(s.len(), 1, "round {round}");
            let url_dup = block(s.claim(&b, false)).unwrap();
            assert!(
                matches!(&url_dup, Verdict::Duplicate { of, method: DuplicateMethod::Url, .. } if of == "a"),
                "round {round}: {url_dup:?}"
            );
            assert_eq!(block(s.claim(&again, false)).unwrap(), Verdict::New);
            let v = block(s.claim(&near, false)).unwrap();
            assert!(
                matches!(&v, Verdict::Duplicate { of, method: DuplicateMethod::Near, .. } if of == "a"),
                "round {round}: {v:?}"
            );
        }
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            !after.contains("url.old") && !after.contains("\"own\""),
            "rewritten"
        );
    }

    /// State-file lines in the form before bands came from the sketch: one
    /// `band` record per band key of the MinHash signature, at t = 10000.
    fn legacy_band_records(k: &crate::dedup::DedupKeys, cfg: &NearConfig) -> String {
        crate::dedup::protocol::band_keys(&k.near, cfg)
            .iter()
            .map(|b| {
                format!(
                    "{{\"t\":10000,\"band\":{},\"id\":\"{}\"}}\n",
                    key_hash(b),
                    k.id
                )
            })
            .collect()
    }

    #[test]
    fn reads_fingerprints_logged_as_shingle_samples() {
        // The format before sketches: the fingerprint without its signature,
        // with the (here complete) sample of shingle hashes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let cfg = NearConfig::default();
        let a = keys("a", None, "Ferry vote", STORY);
        let mut text = legacy_band_records(&a, &cfg);
        let shingles = crate::dedup::near::shingle_hashes("Ferry vote", STORY, 3);
        assert_eq!(shingles.len() as u32, a.near.total);
        let fp = serde_json::json!({"minhash": [], "shingles": shingles, "total": a.near.total});
        text.push_str(&format!(
            "{{\"t\":10000,\"sig\":\"a\",\"fp\":{fp},\"seq\":1}}\n"
        ));
        std::fs::write(&path, text).unwrap();
        let (clock, _) = Clock::manual(10_050);
        let s = FileStore::open_with_clock(&path, Duration::from_secs(100), cfg, clock).unwrap();
        let b = keys(
            "b",
            None,
            "UPDATE: Ferry vote",
            &format!("{STORY}\n\nAdvertisement"),
        );
        let v = block(s.claim(&b, false)).unwrap();
        assert!(
            matches!(&v, Verdict::Duplicate { of, method: DuplicateMethod::Near, .. } if of == "a"),
            "{v:?}"
        );
    }

    #[test]
    fn reads_state_files_with_band_records() {
        // The format before bands were taken from the sketch: one `band`
        // record per band key (made from the MinHash signature), then the
        // fingerprint as its sketch. The article is re-filed under the bands
        // of its sketch, matches a near-copy claimed in the new form, and
        // the rewritten file logs a `join` instead.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let cfg = NearConfig::default();
        let a = keys("a", None, "Ferry vote", STORY);
        // An expired record, so that opening rewrites the file.
        let mut text = String::from("{\"t\":1,\"oh\":7,\"id\":\"z\"}\n");
        text.push_str(&legacy_band_records(&a, &cfg));
        let fp = serde_json::json!({"sketch": a.near.sketch, "bits": 8, "total": a.near.total});
        text.push_str(&format!(
            "{{\"t\":10000,\"sig\":\"a\",\"fp\":{fp},\"seq\":1}}\n"
        ));
        std::fs::write(&path, text).unwrap();
        let (clock, _) = Clock::manual(10_050);
        for round in 0..2 {
            let s = FileStore::open_with_clock(
                &path,
                Duration::from_secs(100),
                cfg.clone(),
                clock.clone(),
            )
            .unwrap();
            assert_eq!(s.len(), 1, "round {round}");
            let near = keys(
                &format!("c{round}"),
                None,
                &format!("UPDATE {round}: Ferry vote"),
                &format!("{STORY}\n\nAdvertisement"),
            );
            let v = block(s.claim(&near, false)).unwrap();
            assert!(
                matches!(&v, Verdict::Duplicate { of, method: DuplicateMethod::Near, .. } if of == "a"),
                "round {round}: {v:?}"
            );
        }
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after.contains("\"join\":\"a\"") && !after.contains("\"band\""),
            "{after}"
        );
    }

    #[test]
    fn joins_replay_before_and_after_their_fingerprint() {
        // A claim logs its join before its fingerprint: replayed, the join
        // waits for the fingerprint's sketch and the article is found.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let (clock, t) = Clock::manual(1_000);
        let win = Duration::from_secs(100);
        let a = keys("a", None, "Ferry vote", STORY);
        {
            let s = FileStore::open_with_clock(&path, win, NearConfig::default(), clock.clone())
                .unwrap();
            assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
            s.flush().unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let join = text.lines().position(|l| l.contains("\"join\":\"a\""));
        let sig = text.lines().position(|l| l.contains("\"sig\":\"a\""));
        assert!(join.is_some() && join < sig, "{text}");
        t.store(1_050, std::sync::atomic::Ordering::Relaxed);
        let s = FileStore::open_with_clock(&path, win, NearConfig::default(), clock).unwrap();
        let b = keys(
            "b",
            None,
            "Ferry vote!",
            &format!("{STORY}\n\nAdvertisement"),
        );
        assert!(matches!(
            block(s.claim(&b, false)).unwrap(),
            Verdict::Duplicate { of, method: DuplicateMethod::Near, .. } if of == "a"
        ));
    }

    #[test]
    fn torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.jsonl");
        let a = keys("a", None, "Ferry vote", STORY);
        {
            let s =
                FileStore::open(&path, Duration::from_secs(3600), NearConfig::default()).unwrap();
            assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"t\":1,\"own\":\"id.x");
        std::fs::write(&path, text).unwrap();
        let s = FileStore::open(&path, Duration::from_secs(3600), NearConfig::default()).unwrap();
        assert_eq!(s.len(), 1);
        assert!(matches!(
            block(s.claim(&a, false)).unwrap(),
            Verdict::Duplicate { .. }
        ));
    }
}
