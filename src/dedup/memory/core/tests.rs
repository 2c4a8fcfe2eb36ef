//! Tests of the memory store and the claim decision it runs.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::*;
use crate::dedup::memory::MemoryStore;
use crate::dedup::near::fingerprint;
use crate::dedup::near::mix64;
use crate::dedup::protocol::{bands, exact_keys};
use crate::dedup::store::{Clock, SeenStore};
use crate::dedup::{DedupKeys, Verdict};
use crate::output::DuplicateMethod;
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
        claimant: None,
    }
}

#[test]
fn id_claim_belongs_to_one_transport_message() {
    let s = MemoryStore::new();
    let mut a = keys("a", None, "T", "Alpha beta gamma delta.");
    a.claimant = Some("41".into());
    assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
    // Same message again, even with a lost delivery count: mine.
    assert_eq!(block(s.claim(&a, false)).unwrap(), Verdict::New);
    // Another message with the same id, even flagged as a redelivery: duplicate.
    let mut again = a.clone();
    again.claimant = Some("42".into());
    assert_eq!(
        dup_of(&block(s.claim(&again, true)).unwrap()),
        Some(("a", DuplicateMethod::Id))
    );
    // No claimant on one side: the redelivery flag decides.
    let mut bare = a.clone();
    bare.claimant = None;
    assert_eq!(block(s.claim(&bare, true)).unwrap(), Verdict::New);
    assert_eq!(
        dup_of(&block(s.claim(&bare, false)).unwrap()),
        Some(("a", DuplicateMethod::Id))
    );
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

/// Ids that own at least one exact key (tests and diagnostics).
fn owners_in(core: &MemoryCore, keys: &DedupKeys) -> HashSet<String> {
    exact_keys(keys)
        .iter()
        .filter_map(|(k, _)| core.owner_of(k))
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
    for (i, body) in [
        "One two three four five six seven eight nine ten eleven twelve thirteen.",
        "Red orange yellow green blue indigo violet black white grey pink brown gold.",
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April.",
    ]
    .iter()
    .enumerate()
    {
        let k = keys(&format!("x{i}"), None, "Lists", body);
        assert_eq!(block(s.claim(&k, false)).unwrap(), Verdict::New);
    }
    assert!(s.len() <= 2, "bounded: {}", s.len());
}

#[test]
fn state_memory_counts_what_the_window_holds() {
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(10), usize::MAX, &cfg);
    assert_eq!(c.memory().total(), 0);
    let n = 3000u64;
    for i in 0..n {
        // 36-byte ids: a 48-byte heap block each.
        let id = format!("{i:0>36}");
        assert_eq!(c.create(&format!("url.{i}"), &id, 100), None);
        let fp = fp_of(values(i));
        assert!(c.joined_now(&id, &fp, 100));
        c.put_sig(&id, &fp, 100, None);
    }
    let m = c.memory();
    let n = n as usize;
    assert_eq!(m.articles, n);
    assert!(m.band_table >= n * 40 * 4, "{m:?}");
    assert!(m.band_table <= n * 40 * 4 * 2, "{m:?}");
    assert!(m.sketches >= n * 120 && m.sketches <= n * 120 * 2, "{m:?}");
    assert_eq!(c.id_bytes, n * 48);
    assert!(
        m.ids >= n * (48 + std::mem::size_of::<Option<Slot>>()),
        "{m:?}"
    );
    assert!(m.exact_keys >= n * 16, "{m:?}");
    assert!(m.expiry_queue >= 3 * n * 12, "{m:?}");
    // Everything expires: the ids are forgotten, the arrays keep their
    // capacity for the next articles.
    c.evict(111);
    let m = c.memory();
    assert_eq!(m.articles, 0);
    assert_eq!(c.id_bytes, 0);
    assert_eq!(c.interned(), 0);
}

/// A fingerprint with the given MinHash values (any numbers: the core
/// bands and verifies what it is given).
fn fp_of(minhash: Vec<u32>) -> Fingerprint {
    Fingerprint {
        sketch: sketch_of(&minhash, 8),
        bits: 8,
        minhash,
        total: 100,
    }
}

/// 120 MinHash values for article `i`, unrelated to every other `i`.
fn values(i: u64) -> Vec<u32> {
    (0..120u64)
        .map(|k| (mix64(i * 1000 + k + 1) >> 32) as u32)
        .collect()
}

#[test]
fn core_forgets_ids_with_their_last_entry() {
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(10), 2, &cfg);
    let fp = fingerprint("T", STORY, &cfg);
    let shared = &bands(&fp, &cfg)[1];
    for (i, t) in [(0u32, 100u64), (1, 101), (2, 102)] {
        let id = format!("a{i}");
        assert_eq!(
            c.create(&format!("id.{i}"), &format!("{id}{CLAIMANT_SEP}7"), t),
            None
        );
        assert!(c.joined_now(&id, &fp, t));
        assert!(!c.joined_now(&id, &fp, t), "idempotent");
        c.put_sig(&id, &fp, t, None);
        c.evict(t);
    }
    // Bounded to two articles: a0's fingerprint and bands went first.
    assert_eq!(c.articles(), 2);
    assert_eq!(c.band_members(1, shared.sketch, 102), vec!["a1", "a2"]);
    assert!(c.get_sig("a0", 102).is_none());
    assert_eq!(c.get_sig("a1", 102).map(|(_, s)| s), Some(2));
    // The bound drops the oldest entries, a0's exact key too.
    assert_eq!(c.owner_of("id.0"), None);
    assert_eq!(c.owner_of("id.1").as_deref(), Some("a1\u{1f}7"));
    // Everything expires and every id is forgotten.
    c.evict(200);
    assert_eq!((c.articles(), c.interned()), (0, 0));
    assert_eq!((c.bands_live(), c.owners.len()), (0, 0));
    assert!(c.claim_num.is_empty() && c.claim_str.is_empty() && c.queue.is_empty());
}

#[test]
fn core_tables_hold_through_growth_and_eviction() {
    // Thousands of articles in a core bounded to 500: the id and band
    // tables grow, fill with tombstones and are rebuilt many times;
    // members stay exact and oldest first, and nothing leaks.
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(1_000_000), 500, &cfg);
    // Every tenth article has the values of band 0 of all of those.
    let fp = |i: u64| {
        let mut v = values(i);
        if i.is_multiple_of(10) {
            v[..3].copy_from_slice(&[7, 8, 9]);
        }
        fp_of(v)
    };
    let shared = bands(&fp(0), &cfg)[0].sketch;
    let band7 = |i: u64| bands(&fp(i), &cfg)[7].sketch;
    for i in 0..5_000u64 {
        let id = format!("{i:08x}-0000-4000-8000-000000000000");
        assert_eq!(
            c.create(&format!("id.{i}"), &format!("{id}{CLAIMANT_SEP}{i}"), i),
            None
        );
        assert!(c.joined_now(&id, &fp(i), i));
        c.put_sig(&id, &fp(i), i, None);
        c.evict(i);
        if i % 997 == 0 {
            assert_eq!(c.band_members(7, band7(i), i), vec![id.clone()]);
            assert_eq!(
                c.owner_of(&format!("id.{i}")),
                Some(format!("{id}{CLAIMANT_SEP}{i}"))
            );
        }
    }
    assert_eq!(c.articles(), 500);
    let shared = c.band_members(0, shared, 5_000);
    let want: Vec<String> = (4_500..5_000u64)
        .filter(|i| i % 10 == 0)
        .map(|i| format!("{i:08x}-0000-4000-8000-000000000000"))
        .collect();
    assert_eq!(shared, want);
    assert!(c.band_members(7, band7(10), 5_000).is_empty(), "evicted");
    assert_eq!(c.bands_live(), 500 * 40);
    assert!(c
        .get_sig("00001387-0000-4000-8000-000000000000", 5_000)
        .is_some());
    c.evict(u64::from(u32::MAX));
    assert_eq!((c.articles(), c.interned(), c.bands_live()), (0, 0, 0));
    assert!(c.owners.is_empty() && c.claim_num.is_empty() && c.queue.is_empty());
}

#[test]
fn core_files_articles_under_the_bands_of_their_sketch() {
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(10), 100, &cfg);
    let (one, two) = (fp_of(values(1)), fp_of(values(2)));
    let (b1, b2) = (bands(&one, &cfg), bands(&two, &cfg));
    // Filed under the bands of the fingerprint given...
    assert!(c.joined_now("a", &one, 100));
    assert_eq!(c.band_members(5, b1[5].sketch, 100), vec!["a"]);
    // ...re-filed when the fingerprint written next has another sketch
    // (what a candidate found there is verified with)...
    c.put_sig("a", &two, 105, None);
    assert!(c.band_members(5, b1[5].sketch, 105).is_empty());
    assert_eq!(c.band_members(5, b2[5].sketch, 105), vec!["a"]);
    assert_eq!(c.bands_live(), 40);
    // ...and a new burst while that fingerprint is live (the first
    // burst expired) keeps its bands.
    assert!(c.band_members(9, b2[9].sketch, 111).is_empty());
    assert!(c.joined_now("a", &one, 111));
    assert_eq!(c.band_members(9, b2[9].sketch, 111), vec!["a"]);
    assert!(c.band_members(9, b1[9].sketch, 111).is_empty());
    // A band index out of range or a hash nobody has: no members.
    assert!(c.band_members(40, b2[0].sketch, 111).is_empty());
    assert!(c.band_members(0, b2[1].sketch, 111).is_empty());
    // Without a sketch of the core's width there is nothing to file.
    let bare = Fingerprint {
        total: 100,
        ..Fingerprint::default()
    };
    assert!(!c.joined_now("b", &bare, 111));
    c.evict(200);
    assert_eq!((c.bands_live(), c.interned()), (0, 0));
}

#[test]
fn queue_entries_take_twelve_bytes_and_read_back() {
    assert_eq!(std::mem::size_of::<Queued>(), 12);
    for item in [
        Item::Owner(0),
        Item::Owner(OWNER_KEY_MASK),
        Item::Owner(0x7123_4567_89ab_cdef),
        Item::Sig(0),
        Item::Sig(MAX_SLOT),
        Item::Bands(0),
        Item::Bands(MAX_SLOT),
    ] {
        assert_eq!(Queued::new(5, item).item(), item);
    }
    // A key hash with the top bit set is kept (and found) by 63 bits.
    assert_eq!(
        Queued::new(5, Item::Owner(u64::MAX)).item(),
        Item::Owner(OWNER_KEY_MASK)
    );
    let mut c = MemoryCore::new(Duration::from_secs(10), 10, &NearConfig::default());
    assert_eq!(c.create_hashed(u64::MAX, "a", 1), None);
    assert_eq!(
        c.create_hashed(OWNER_KEY_MASK, "b", 1).as_deref(),
        Some("a")
    );
    c.evict(20);
    assert_eq!((c.owners.len(), c.interned()), (0, 0));
}

#[test]
fn chunk_queue_is_fifo_across_chunks() {
    let mut q = ChunkQueue::default();
    let at = |i: usize| Queued::new(i as u32, Item::Sig(i as u32));
    for i in 0..3 * CHUNK + 5 {
        q.push_back(at(i));
    }
    for i in 0..CHUNK + 7 {
        assert_eq!(q.pop_front().map(|x| x.at), Some(i as u32));
    }
    assert_eq!(
        q.front().map(|x| x.item()),
        Some(Item::Sig(CHUNK as u32 + 7))
    );
    let rest: Vec<u32> = q.iter().map(|x| x.at).collect();
    assert_eq!(
        rest,
        (CHUNK + 7..3 * CHUNK + 5)
            .map(|i| i as u32)
            .collect::<Vec<_>>()
    );
    while q.pop_front().is_some() {}
    assert!(q.is_empty() && q.chunks.is_empty() && q.iter().next().is_none());
    q.push_back(at(1));
    assert_eq!(q.pop_front().map(|x| x.item()), Some(Item::Sig(1)));
}

#[test]
fn core_keeps_sketches_and_claimants() {
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(100), 10, &cfg);
    let fp = fingerprint("T", STORY, &cfg);
    c.put_sig("a", &fp, 1, None);
    // Stored without the signature; the sketch reads back whole.
    assert_eq!(c.get_sig("a", 1), Some((fp.without_minhash(), 1)));
    // A fingerprint with a narrower sketch than the core's cannot be
    // verified: none is kept.
    let narrow = NearConfig {
        sketch_bits: 2,
        ..NearConfig::default()
    };
    c.put_sig(
        "b",
        &fingerprint("T", STORY, &narrow).without_minhash(),
        1,
        None,
    );
    assert_eq!(c.get_sig("b", 1).map(|(f, _)| f.sketch.len()), Some(0));
    for (key, owner) in [
        ("id.1", "x\u{1f}42"),
        ("id.2", "x\u{1f}042"),
        ("id.3", "x\u{1f}seq-7"),
        ("id.4", "x\u{1f}43"),
        ("id.5", "x\u{1f}42"),
        ("url.5", "x"),
    ] {
        assert_eq!(c.create(key, owner, 1), None);
        assert_eq!(c.owner_of(key).as_deref(), Some(owner));
    }
    // The slot holds the first decimal claimant; another one, or one
    // that is not a plain number, is kept by key.
    assert_eq!((c.claim_num.len(), c.claim_str.len()), (1, 2));
    // A key replaced after it expired drops what it kept.
    assert_eq!(c.create("id.4", "y\u{1f}9", 200), None);
    assert_eq!(c.owner_of("id.4").as_deref(), Some("y\u{1f}9"));
    assert_eq!(c.owner_of("id.5").as_deref(), Some("x\u{1f}42"));
    assert!(c.claim_num.is_empty());
}

#[test]
fn core_expired_entries_are_replaced_in_order() {
    let cfg = NearConfig::default();
    let mut c = MemoryCore::new(Duration::from_secs(10), 100, &cfg);
    let fp = fingerprint("T", STORY, &cfg);
    let h = bands(&fp, &cfg)[0].sketch;
    assert!(c.joined_now("a", &fp, 100));
    assert!(c.joined_now("b", &fp, 105));
    assert_eq!(c.put_sig("a", &fp, 100, None), (1, true));
    assert_eq!(c.put_sig("a", &fp, 105, None), (1, false));
    // a's membership and fingerprint expired (not evicted yet): a
    // re-registers after b, with a new sequence.
    assert_eq!(c.band_members(0, h, 111), vec!["b"]);
    assert!(c.joined_now("a", &fp, 111));
    assert_eq!(c.band_members(0, h, 111), vec!["b", "a"]);
    assert_eq!(c.put_sig("a", &fp, 111, None), (2, true));
    assert_eq!(c.create("url.u", "a", 100), None);
    assert_eq!(c.create("url.u", "b", 105).as_deref(), Some("a"));
    assert_eq!(c.create("url.u", "b", 111), None);
    c.evict(111);
    assert_eq!(c.band_members(0, h, 111), vec!["b", "a"]);
    assert_eq!(c.owner_of("url.u").as_deref(), Some("b"));
    assert_eq!(c.get_sig("a", 111).map(|(_, s)| s), Some(2));
    c.evict(116);
    assert_eq!(c.band_members(0, h, 116), vec!["a"]);
    assert_eq!(c.interned(), 2, "b still owns url.u");
    c.evict(121);
    assert_eq!(c.interned(), 0);
}

#[test]
fn three_concurrent_copies_never_cycle() {
    // Duplicates must point to an article that ends in a New one, however
    // the claims interleave.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let paras: Vec<&str> = STORY.split("\n\n").collect();
    let bodies = [
        STORY.to_string(),
        format!("Advertisement\n\n{STORY}"),
        [paras[1], paras[0], paras[2], paras[3], paras[4]].join("\n\n"),
    ];
    for round in 0..30 {
        let s = Arc::new(MemoryStore::new());
        let handles: Vec<_> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let k = keys(&format!("r{round}-{i}"), None, "Ferry vote", b);
                let s = s.clone();
                rt.spawn(async move { (k.id.clone(), s.claim(&k, false).await.unwrap()) })
            })
            .collect();
        let results: Vec<(String, Verdict)> = handles
            .into_iter()
            .map(|h| rt.block_on(h).unwrap())
            .collect();
        let of: HashMap<String, String> = results
            .iter()
            .filter_map(|(id, v)| dup_of(v).map(|(o, _)| (id.clone(), o.to_string())))
            .collect();
        assert!(of.len() < 3, "round {round}: all three duplicates {of:?}");
        for start in of.keys() {
            let mut cur = start.clone();
            for _ in 0..4 {
                match of.get(&cur) {
                    Some(next) => cur = next.clone(),
                    None => break,
                }
            }
            assert!(!of.contains_key(&cur), "round {round}: cycle {of:?}");
        }
    }
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
