//! The service end to end against a real nats-server started here: the
//! enriched record, same-article redelivery, dead letters, graceful
//! shutdown, and the admin endpoint.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;

const T: Duration = Duration::from_secs(60);

/// A distinct article per `i` (generated text, so articles are not
/// near-duplicates of each other).
fn article(i: usize) -> Vec<u8> {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
    let (title, body) = common::corpus::article_text(&mut rng, 600);
    common::corpus::article_json(&format!("art-{i}"), &title, &body, None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_like_article_is_enriched_once_and_acked() {
    let server = NatsServer::start();
    let mut worker = WorkerProc::start(&server.url(), &[]);
    let (_c, js) = js(&server.url()).await;
    assert!(
        wait_until(T, || async {
            worker.http_get("/readyz").map(|r| r.0) == Some(200)
        })
        .await,
        "worker never became ready"
    );
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/harbour-strike.txt"
    ))
    .unwrap();
    publish(&js, "articles.raw", text, None).await;
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await
    );
    let msgs = read_stream(&js, "ARTICLES_ENRICHED").await;
    let v = msgs[0].json();
    for field in [
        "schema_version",
        "id",
        "title",
        "body",
        "lang",
        "content_hash",
        "entities",
        "quotes",
        "figures",
        "dedup",
        "processing",
    ] {
        assert!(v.get(field).is_some(), "missing {field}: {v}");
    }
    assert_eq!(msgs[0].header("Nats-Msg-Id"), v["id"].as_str());
    assert_eq!(
        v["title"],
        "Port Strike Halts Container Traffic in Rotterdam and Antwerp"
    );
    let removed = v["dedup"]["blocks_removed"].as_array().unwrap().len();
    assert!(removed >= 2, "repeated blocks not removed: {removed}");
    let body = v["body"].as_str().unwrap();
    let first_para = body.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(
        body.matches(first_para).count(),
        1,
        "repeated paragraph kept"
    );
    assert!(
        wait_until(T, || async { consumer_backlog(&js).await == Some((0, 0)) }).await,
        "raw message not acked: {:?}",
        consumer_backlog(&js).await
    );
    // /metrics counts it.
    let (code, metrics) = worker.http_get("/metrics").unwrap();
    assert_eq!(code, 200);
    assert!(
        metrics.contains("lede_articles_enriched_total 1"),
        "{metrics}"
    );
    // The dedup gauges (refreshed every 5 s) count the one remembered
    // article of the log store's replica.
    let mut last = String::new();
    let counted = wait_until(T, || {
        let got = worker.http_get("/metrics").map(|r| r.1).unwrap_or_default();
        let ok = got.contains("lede_dedup_articles 1\n")
            && got.lines().any(|l| {
                l.strip_prefix("lede_dedup_memory_bytes{structure=\"band_table\"} ")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .is_some_and(|v| v >= 160)
            });
        last = got;
        async move { ok }
    })
    .await;
    assert!(counted, "{last}");
    assert_eq!(worker.terminate(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_article_twice_gives_one_enriched_message() {
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    // No msg id on the raw side: both copies reach the worker.
    publish(&js, "articles.raw", article(1), None).await;
    publish(&js, "articles.raw", article(1), None).await;
    let _worker = WorkerProc::start(&server.url(), &[]);
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_DUPLICATES").await == 1
        })
        .await
    );
    assert!(wait_until(T, || async { consumer_backlog(&js).await == Some((0, 0)) }).await);
    assert_eq!(stream_len(&js, "ARTICLES_ENRICHED").await, 1);
    let dup = read_stream(&js, "ARTICLES_DUPLICATES").await[0].json();
    assert_eq!(dup["id"], "art-1");
    assert_eq!(dup["duplicate_of"], "art-1");
    assert_eq!(dup["method"], "id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_inputs_are_dead_lettered_and_the_worker_goes_on() {
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    let oversized = {
        let mut v = b"Big title\n".to_vec();
        v.extend(std::iter::repeat_n(b'a', 300_000));
        v
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_json", b"{\"title\": \"x\", \"body\": ".to_vec()),
        ("empty_body", br#"{"title": "", "body": "   "}"#.to_vec()),
        ("not_utf8", vec![b'T', b'i', 0xff, 0xfe, b'\n', b'x']),
        ("oversized", oversized),
        ("wrong_shape", b"[1, 2, 3]".to_vec()),
    ];
    for (_, bytes) in &cases {
        publish(&js, "articles.raw", bytes.clone(), None).await;
    }
    publish(&js, "articles.raw", article(7), None).await;
    let _worker = WorkerProc::start(&server.url(), &["--max-bytes", "200000"]);
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_DLQ").await == cases.len() as u64
        })
        .await
    );
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await
    );
    let dlq = read_stream(&js, "ARTICLES_DLQ").await;
    let by_reason: HashMap<String, Vec<u8>> = dlq
        .iter()
        .map(|m| {
            (
                m.header("Lede-Dlq-Reason").unwrap_or("?").to_string(),
                m.payload.clone(),
            )
        })
        .collect();
    for (reason, bytes) in &cases {
        assert_eq!(by_reason.get(*reason), Some(bytes), "DLQ for {reason}");
    }
    assert!(dlq
        .iter()
        .all(|m| m.header("Lede-Dlq-Error").is_some_and(|e| !e.is_empty())));
    assert!(wait_until(T, || async { consumer_backlog(&js).await == Some((0, 0)) }).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_loses_and_duplicates_nothing() {
    let server = NatsServer::start();
    let (_c, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    let n = 400;
    for i in 0..n {
        publish(&js, "articles.raw", article(i), None).await;
    }
    let mut worker = WorkerProc::start(&server.url(), &["--concurrency", "4"]);
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await > 20
        })
        .await
    );
    assert_eq!(worker.terminate(), Some(0), "graceful exit code");
    let after_stop = stream_len(&js, "ARTICLES_ENRICHED").await;
    let _worker2 = WorkerProc::start(&server.url(), &["--concurrency", "4"]);
    assert!(
        wait_until(Duration::from_secs(90), || async {
            consumer_backlog(&js).await == Some((0, 0))
                && stream_len(&js, "ARTICLES_ENRICHED").await >= n as u64
        })
        .await,
        "backlog {:?}, enriched {} (after stop {after_stop})",
        consumer_backlog(&js).await,
        stream_len(&js, "ARTICLES_ENRICHED").await
    );
    let msgs = read_stream(&js, "ARTICLES_ENRICHED").await;
    let mut ids: Vec<String> = msgs
        .iter()
        .map(|m| m.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), n, "enriched messages");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "distinct ids");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_connection() {
    let mut server = NatsServer::start();
    let worker = WorkerProc::start(&server.url(), &[]);
    assert!(
        wait_until(T, || async {
            worker.http_get("/readyz").map(|r| r.0) == Some(200)
        })
        .await
    );
    assert_eq!(worker.http_get("/healthz").map(|r| r.0), Some(200));
    server.stop();
    assert!(
        wait_until(T, || async {
            worker.http_get("/readyz").map(|r| r.0) == Some(503)
        })
        .await,
        "still ready while the broker is down"
    );
    assert_eq!(worker.http_get("/healthz").map(|r| r.0), Some(200));
    server.restart();
    assert!(
        wait_until(T, || async {
            worker.http_get("/readyz").map(|r| r.0) == Some(200)
        })
        .await,
        "did not become ready again after the broker came back"
    );
    let (_c, js) = js(&server.url()).await;
    publish(&js, "articles.raw", article(3), None).await;
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await
    );
}
