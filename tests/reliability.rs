//! Fault tests (issue 8 §1-5) against real nats-server processes: a worker
//! killed with SIGKILL over and over, the broker restarted twice, three
//! replicas with one killed, a three-node R3 cluster losing a node, and a
//! full enriched stream (backpressure). Every test counts the outcome by
//! article id at the end:
//!
//! * basic checks: nothing lost (every raw message's id is on enriched or
//!   duplicates), no id enriched twice (`Nats-Msg-Id` = id), every article
//!   without duplicates enriched exactly once, no dead letter, the consumer
//!   has nothing pending;
//! * strict dedup checks (`strict = true`, the `*_reports_every_duplicate`
//!   and `*_never_reach_enriched` twins): per group exactly one id enriched
//!   and every other message recorded on the duplicates subject with
//!   `duplicate_of` = that id. Across worker restarts and replicas they rely
//!   on a dedup store shared by replicas (`--dedup-store log`, the default,
//!   or `kv` with `LEDE_TEST_DEDUP_STORE=kv`), and after broker
//!   trouble on claims owned by the raw message (see
//!   [`CLAIMS_OWNED_BY_RAW_MESSAGE`]).
//!
//! Sizes are chosen to finish in a few minutes on 2 cores with a debug build.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, stream};
use common::corpus::Corpus;
use common::*;
use rand::Rng;

/// Why the strict dedup checks once failed after broker trouble (found by
/// these tests, fixed in the dedup store by recording the raw stream
/// sequence with the id claim): a claim was "mine" when the same article id
/// came back *and the delivery count said redelivery*. (1) A same-id copy (the producer republished the
/// article) whose first attempt could not publish its duplicate record (the
/// broker or a cluster node went away) comes back with `delivered = 2`, is
/// taken for a redelivery of the owner, is "enriched" again (dropped by
/// `Nats-Msg-Id`) and never recorded as a duplicate. (2) A SIGKILLed broker
/// can forget delivery counts, so an article whose enriched publish failed
/// comes back with `delivered = 1` and is reported as a duplicate of itself:
/// never enriched. Claims are now owned by the raw message's stream sequence
/// (stable across redeliveries and broker restarts), not the delivery count.
#[allow(dead_code)]
const CLAIMS_OWNED_BY_RAW_MESSAGE: () = ();

/// What ended up downstream, by article id.
struct Seen {
    /// enriched id -> number of messages with that id on the enriched stream.
    enriched: HashMap<String, usize>,
    /// (id, duplicate_of) of every duplicate record.
    dups: Vec<(String, String)>,
    dlq: usize,
}

async fn collect(js: &jetstream::Context) -> Seen {
    let mut enriched = HashMap::new();
    for m in read_all(js, "ARTICLES_ENRICHED").await {
        let v = m.json();
        let id = v["id"].as_str().unwrap_or("?").to_string();
        assert_eq!(
            m.header("Nats-Msg-Id"),
            Some(id.as_str()),
            "enriched message without Nats-Msg-Id = id"
        );
        *enriched.entry(id).or_insert(0) += 1;
    }
    let dups = read_all(js, "ARTICLES_DUPLICATES")
        .await
        .iter()
        .map(|m| {
            let v = m.json();
            (
                v["id"].as_str().unwrap_or("?").to_string(),
                v["duplicate_of"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    Seen {
        enriched,
        dups,
        dlq: stream_len(js, "ARTICLES_DLQ").await as usize,
    }
}

/// Count progress: messages settled downstream (enriched + duplicates).
async fn settled(js: &jetstream::Context) -> u64 {
    stream_len(js, "ARTICLES_ENRICHED").await + stream_len(js, "ARTICLES_DUPLICATES").await
}

/// Wait until the consumer is drained and the downstream counts stop moving.
async fn wait_drained(js: &jetstream::Context, timeout: Duration) {
    let mut last = (u64::MAX, u64::MAX);
    let mut stable_since = Instant::now();
    let start = Instant::now();
    loop {
        let backlog = consumer_backlog(js).await;
        let now = (
            stream_len(js, "ARTICLES_ENRICHED").await,
            stream_len(js, "ARTICLES_DUPLICATES").await,
        );
        if now != last {
            last = now;
            stable_since = Instant::now();
        }
        if backlog == Some((0, 0)) && stable_since.elapsed() > Duration::from_secs(2) {
            return;
        }
        assert!(
            start.elapsed() < timeout,
            "not drained within {timeout:?}: backlog {backlog:?}, enriched+dups {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The checks described in the module doc.
fn check(corpus: &Corpus, seen: &Seen, strict: bool) {
    // No unique article enriched twice (JetStream dedup by Nats-Msg-Id).
    let twice: Vec<_> = seen.enriched.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "ids enriched more than once: {twice:?}");
    let known: HashSet<&str> = corpus.items.iter().map(|i| i.id.as_str()).collect();
    for id in seen.enriched.keys() {
        assert!(known.contains(id.as_str()), "unknown id enriched: {id}");
    }
    assert_eq!(
        seen.dlq, 0,
        "nothing here is poison, yet the DLQ has messages"
    );
    let dup_ids: HashSet<&str> = seen.dups.iter().map(|(i, _)| i.as_str()).collect();
    let mut by_group: HashMap<usize, Vec<&common::corpus::Item>> = HashMap::new();
    for it in &corpus.items {
        by_group.entry(it.group).or_default().push(it);
    }
    let mut lost = Vec::new();
    let mut singles_missing = Vec::new();
    for (g, members) in &by_group {
        // Nothing lost: every raw message is accounted for downstream.
        for m in members {
            if !seen.enriched.contains_key(&m.id) && !dup_ids.contains(m.id.as_str()) {
                lost.push(m.id.clone());
            }
        }
        if members.len() == 1 && !seen.enriched.contains_key(&members[0].id) {
            let id = members[0].id.as_str();
            let recs: Vec<_> = seen.dups.iter().filter(|(i, _)| i == id).collect();
            singles_missing.push(format!("{g}: {id} dup records {recs:?}"));
        }
    }
    assert!(
        lost.is_empty(),
        "{} raw messages lost: {:?}",
        lost.len(),
        &lost[..lost.len().min(10)]
    );
    assert!(
        singles_missing.is_empty(),
        "{} articles without duplicates not enriched: {:?}",
        singles_missing.len(),
        &singles_missing[..singles_missing.len().min(10)]
    );
    if !strict {
        return;
    }
    // Strict dedup: per group one enriched id, every other message on the
    // duplicates subject pointing at it, and nothing else there.
    let dups_of: HashMap<&str, Vec<&str>> =
        seen.dups.iter().fold(HashMap::new(), |mut acc, (id, of)| {
            acc.entry(id.as_str()).or_default().push(of.as_str());
            acc
        });
    let mut bad = Vec::new();
    let mut expected_dup_records = 0usize;
    for members in by_group.values() {
        let winners: HashSet<&str> = members
            .iter()
            .map(|m| m.id.as_str())
            .filter(|id| seen.enriched.contains_key(*id))
            .collect();
        if winners.len() != 1 {
            bad.push(format!("group of {}: enriched {winners:?}", members[0].id));
            continue;
        }
        let winner = winners.iter().next().copied().unwrap_or("");
        let mut winner_used = false;
        for m in members {
            if m.id == winner && !winner_used {
                // The message that was enriched (for a same-id copy either copy).
                winner_used = true;
                continue;
            }
            expected_dup_records += 1;
            let ok = dups_of
                .get(m.id.as_str())
                .is_some_and(|ofs| ofs.iter().all(|of| *of == winner));
            if !ok {
                bad.push(format!(
                    "{} ({:?}) not recorded as duplicate of {winner}: {:?}",
                    m.id,
                    m.kind,
                    dups_of.get(m.id.as_str())
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} dedup failures, e.g. {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
    assert_eq!(
        seen.dups.len(),
        expected_dup_records,
        "one duplicate record per non-winning message"
    );
}

fn shared_store_opts() -> WorkerOpts<'static> {
    WorkerOpts {
        dedup_store: Some(test_dedup_store()),
        ack_wait_secs: Some(5),
        ..Default::default()
    }
}

// --- 1. crash loop ----------------------------------------------------------

async fn crash_loop(strict: bool) {
    let total = 20_000;
    let kills_wanted = 12;
    let corpus = Corpus::mixed(total, 8, 500, true);
    assert_eq!(corpus.items.len(), total);
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    let items = corpus.publishable("crash");
    let pjs = js.clone();
    let publisher = tokio::spawn(async move {
        publish_many(&pjs, "articles.raw", &items, Duration::from_secs(120)).await;
    });
    let args = ["--concurrency", "8"];
    let mut worker = WorkerProc::start_opts(&server.url(), &args, &shared_store_opts());
    // Kill at random points of progress (settled articles), plus a random delay.
    let mut rng = rand::thread_rng();
    let mut thresholds: Vec<u64> = (0..kills_wanted)
        .map(|_| rng.gen_range(200..(total as u64 * 9 / 10)))
        .collect();
    thresholds.sort_unstable();
    let mut kills = 0;
    let start = Instant::now();
    for t in thresholds {
        while settled(&js).await < t {
            assert!(
                start.elapsed() < Duration::from_secs(400),
                "too slow: {} settled",
                settled(&js).await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..400))).await;
        worker.kill9();
        kills += 1;
        worker = WorkerProc::start_opts(&server.url(), &args, &shared_store_opts());
    }
    assert!(kills >= 10, "only {kills} kills");
    publisher.await.expect("publisher");
    wait_drained(&js, Duration::from_secs(300)).await;
    let seen = collect(&js).await;
    eprintln!(
        "crash loop: {kills} kills, {} enriched ids, {} duplicate records, {:?} total",
        seen.enriched.len(),
        seen.dups.len(),
        start.elapsed()
    );
    check(&corpus, &seen, strict);
    assert_eq!(consumer_backlog(&js).await, Some((0, 0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_loop_loses_nothing_and_enriches_each_id_once() {
    crash_loop(false).await;
}

/// The full dedup promise across SIGKILLs: duplicates never on enriched.
/// Needs the KV store (a per-process memory store would let a killed
/// process's successor enrich a duplicate of what it claimed) and claims
/// owned by the raw message ([`CLAIMS_OWNED_BY_RAW_MESSAGE`]).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_loop_duplicates_never_reach_enriched() {
    crash_loop(true).await;
}

// --- 2. broker restarts -----------------------------------------------------

/// Stop the broker twice mid-run (`kill`: SIGKILL, else SIGTERM, as in a
/// rolling upgrade) and start it again on the same port and storage;
/// /readyz must say 503 while it is down.
async fn broker_restarts(kill: bool, conf: Option<String>, strict: bool) {
    let total = 6_000;
    // No near duplicates: the near-duplicate detector is the dedup issue's.
    let corpus = Corpus::mixed(total, 21, 500, false);
    let mut server = NatsServer::start_with_config(conf);
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    // Everything is published before the broker goes down: a publisher that
    // retries across a restart can store a raw message twice, because the
    // broker's dedup memory of messages already consumed from a work-queue
    // stream does not survive a restart (the worker would then, correctly,
    // report the second copy as an id duplicate).
    publish_many(
        &js,
        "articles.raw",
        &corpus.publishable("broker"),
        Duration::from_secs(120),
    )
    .await;
    let worker =
        WorkerProc::start_opts(&server.url(), &["--concurrency", "8"], &shared_store_opts());
    let start = Instant::now();
    for round in [1u64, 2] {
        let target = total as u64 * round / 3;
        assert!(
            wait_until(Duration::from_secs(200), || async {
                settled(&js).await >= target
            })
            .await,
            "round {round}: progress stuck at {}",
            settled(&js).await
        );
        if kill {
            server.stop();
        } else {
            server.terminate();
        }
        assert!(
            wait_until(Duration::from_secs(20), || async {
                worker.http_get("/readyz").map(|r| r.0) == Some(503)
            })
            .await,
            "round {round}: /readyz still 200 while the broker is down"
        );
        assert_eq!(worker.http_get("/healthz").map(|r| r.0), Some(200));
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(worker.http_get("/readyz").map(|r| r.0), Some(503));
        server.start_again();
        assert!(
            wait_until(Duration::from_secs(60), || async {
                worker.http_get("/readyz").map(|r| r.0) == Some(200)
            })
            .await,
            "round {round}: worker did not become ready after the broker came back"
        );
    }
    wait_drained(&js, Duration::from_secs(300)).await;
    let seen = collect(&js).await;
    eprintln!(
        "broker restarts: {} enriched ids, {} duplicate records, {:?}, reconnects {:?}",
        seen.enriched.len(),
        seen.dups.len(),
        start.elapsed(),
        worker.metric("lede_reconnects_total")
    );
    check(&corpus, &seen, strict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_restarted_twice_loses_nothing() {
    broker_restarts(false, None, false).await;
}

/// Strict: every duplicate reported across two broker restarts (see
/// [`CLAIMS_OWNED_BY_RAW_MESSAGE`]).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_restarted_twice_reports_every_duplicate() {
    broker_restarts(false, None, true).await;
}

/// SIGKILL of the broker (twice). Failed before claims were owned by the raw
/// message: a SIGKILLed broker can forget a consumer's delivery count (and recent
/// acks), so a message the worker already claimed comes back with
/// `delivered = 1`; the dedup claim, keyed by article id plus "is this a
/// redelivery", then takes it for a fresh same-id copy and reports it as a
/// duplicate of itself. If the first attempt's enriched publish had failed
/// (broker going down), that article is never enriched (seen: "group ...
/// enriched {}"); a genuine same-id copy whose first publish failed is, the
/// other way round, taken for a redelivery and never recorded as a
/// duplicate. Fixed in the dedup store: claims are owned by the raw
/// message's stream sequence, which survives broker restarts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_killed_twice_loses_nothing() {
    broker_restarts(true, None, true).await;
}

// --- 3. three replicas --------------------------------------------------------

async fn three_replicas(corpus: Corpus, strict: bool) {
    let total = corpus.items.len() as u64;
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    publish_many(
        &js,
        "articles.raw",
        &corpus.publishable("rep"),
        Duration::from_secs(120),
    )
    .await;
    let args = ["--concurrency", "4"];
    let mut workers: Vec<WorkerProc> = (0..3)
        .map(|_| WorkerProc::start_opts(&server.url(), &args, &shared_store_opts()))
        .collect();
    assert!(
        wait_until(Duration::from_secs(200), || async {
            settled(&js).await >= total / 3
        })
        .await,
        "no progress"
    );
    workers[1].kill9();
    // The others must pick up its unacknowledged messages after ack_wait.
    wait_drained(&js, Duration::from_secs(300)).await;
    let per_worker: Vec<_> = [0usize, 2]
        .iter()
        .map(|i| workers[*i].metric("lede_articles_enriched_total"))
        .collect();
    eprintln!("replicas: enriched per surviving worker {per_worker:?}");
    assert!(
        per_worker.iter().all(|v| v.unwrap_or(0.0) > 0.0),
        "a surviving replica did no work: {per_worker:?}"
    );
    let seen = collect(&js).await;
    check(&corpus, &seen, strict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_one_killed_enrich_each_article_once() {
    three_replicas(Corpus::unique(6_000, 31, 500), false).await;
}

/// Duplicates across replicas: one replica must know what another claimed
/// (KV), and the killed replica's same-id copies hit
/// [`CLAIMS_OWNED_BY_RAW_MESSAGE`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_one_killed_report_every_duplicate() {
    three_replicas(Corpus::mixed(6_000, 32, 500, true), true).await;
}

// --- 4. three-node cluster, R3 streams ----------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_r3_node_stopped_loses_nothing() {
    cluster_r3(false).await;
}

/// Strict checks on the cluster (before [`CLAIMS_OWNED_BY_RAW_MESSAGE`] it
/// failed once with "g41-703 (SameIdCopy) not recorded as duplicate").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_r3_node_stopped_reports_every_duplicate() {
    cluster_r3(true).await;
}

async fn cluster_r3(strict: bool) {
    let total = 3_000;
    let corpus = Corpus::mixed(total, 41, 500, false);
    let mut cluster = ClusterHarness::start("lede");
    let urls = cluster.urls();
    // The test talks to node 1; node 0 is the one stopped.
    let (_c, js) = js(&cluster.nodes[1].url()).await;
    // R3 streams as deploy/ defines them (the worker leaves existing streams alone).
    let defs = [
        ("ARTICLES_RAW", "articles.raw", true),
        ("ARTICLES_ENRICHED", "articles.enriched", false),
        ("ARTICLES_DUPLICATES", "articles.duplicates", false),
        ("ARTICLES_DLQ", "articles.dlq", false),
    ];
    for (name, subject, wq) in defs {
        let cfg = stream::Config {
            name: name.into(),
            subjects: vec![subject.into()],
            retention: if wq {
                stream::RetentionPolicy::WorkQueue
            } else {
                stream::RetentionPolicy::Limits
            },
            num_replicas: 3,
            duplicate_window: Duration::from_secs(600),
            ..Default::default()
        };
        let ok = wait_until(Duration::from_secs(60), || {
            let cfg = cfg.clone();
            let js = js.clone();
            async move { js.get_or_create_stream(cfg).await.is_ok() }
        })
        .await;
        assert!(ok, "cannot create R3 stream {name} (cluster not formed?)");
    }
    let items = corpus.publishable("cluster");
    let pjs = js.clone();
    let publisher = tokio::spawn(async move {
        publish_many(&pjs, "articles.raw", &items, Duration::from_secs(180)).await;
    });
    let worker = WorkerProc::start_opts(
        &urls,
        &[
            "--concurrency",
            "8",
            "--no-create-streams",
            "--dedup-replicas",
            "3",
        ],
        &shared_store_opts(),
    );
    assert!(
        wait_until(Duration::from_secs(200), || async {
            settled(&js).await >= total as u64 / 3
        })
        .await,
        "no progress: {}",
        settled(&js).await
    );
    let start = Instant::now();
    cluster.nodes[0].stop();
    publisher.await.expect("publisher");
    // Quorum (2 of 3) keeps every stream available.
    wait_drained(&js, Duration::from_secs(300)).await;
    eprintln!(
        "cluster: drained {:?} after stopping a node",
        start.elapsed()
    );
    let seen = collect(&js).await;
    check(&corpus, &seen, strict);
    assert_eq!(worker.http_get("/readyz").map(|r| r.0), Some(200));
}

// --- 5. backpressure ---------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_enriched_stream_slows_the_worker_and_loses_nothing() {
    let total = 3_000usize;
    let limit = 300i64;
    let corpus = Corpus::unique(total, 51, 800);
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    // A slow downstream: the enriched stream holds only `limit` messages and
    // refuses new ones (discard new) until the limit is lifted.
    let enriched_cfg = stream::Config {
        name: "ARTICLES_ENRICHED".into(),
        subjects: vec!["articles.enriched".into()],
        duplicate_window: Duration::from_secs(600),
        max_messages: limit,
        discard: stream::DiscardPolicy::New,
        ..Default::default()
    };
    js.create_stream(enriched_cfg.clone())
        .await
        .expect("enriched stream");
    publish_many(
        &js,
        "articles.raw",
        &corpus.publishable("bp"),
        Duration::from_secs(120),
    )
    .await;
    let worker = WorkerProc::start_opts(
        &server.url(),
        &["--concurrency", "8", "--max-ack-pending", "64"],
        &shared_store_opts(),
    );
    assert!(
        wait_until(Duration::from_secs(120), || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == limit as u64
        })
        .await
    );
    // Hold the limit for a while; sample memory and in-flight work.
    let rss_start = worker.rss_kib().expect("rss");
    let max_rss = Arc::new(AtomicU64::new(rss_start));
    let mut max_ack_pending = 0usize;
    let hold = Instant::now();
    while hold.elapsed() < Duration::from_secs(8) {
        if let Some(r) = worker.rss_kib() {
            max_rss.fetch_max(r, Ordering::SeqCst);
        }
        if let Some((_, ack_pending)) = consumer_backlog(&js).await {
            max_ack_pending = max_ack_pending.max(ack_pending);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let rss_end = worker.rss_kib().expect("rss");
    let (pending, _) = consumer_backlog(&js).await.expect("consumer");
    let naks = worker.metric("lede_naks_total").unwrap_or(0.0);
    eprintln!(
        "backpressure: rss start {rss_start} KiB, end {rss_end} KiB, max {} KiB; max ack pending {max_ack_pending}; pending {pending}; naks {naks}",
        max_rss.load(Ordering::SeqCst)
    );
    assert_eq!(stream_len(&js, "ARTICLES_ENRICHED").await, limit as u64);
    assert!(
        pending > 0,
        "the backlog must wait in the raw stream, not vanish"
    );
    assert!(
        max_ack_pending <= 64,
        "in-flight not bounded: {max_ack_pending}"
    );
    assert!(naks > 0.0, "refused publishes must be nak'ed");
    assert!(
        max_rss.load(Ordering::SeqCst) < 256 * 1024,
        "RSS not bounded: {} KiB",
        max_rss.load(Ordering::SeqCst)
    );
    assert!(
        rss_end < rss_start + 32 * 1024,
        "RSS grows while blocked: {rss_start} -> {rss_end} KiB"
    );
    assert_eq!(
        stream_len(&js, "ARTICLES_DLQ").await,
        0,
        "a full stream is not poison"
    );
    // Lift the limit: everything arrives, once.
    let mut lifted = enriched_cfg;
    lifted.max_messages = -1;
    js.update_stream(lifted).await.expect("lift the limit");
    wait_drained(&js, Duration::from_secs(180)).await;
    let seen = collect(&js).await;
    check(&corpus, &seen, true);
    assert_eq!(seen.enriched.len(), total);
}
