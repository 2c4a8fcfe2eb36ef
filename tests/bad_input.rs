//! Bad input against a real worker: every poison payload gives exactly one
//! DLQ message with a clear reason (`Lede-Dlq-Reason`, `Lede-Dlq-Error`)
//! and the original bytes, and the worker goes on to enrich the next
//! article. Odd but valid text (HTML, control characters, right-to-left
//! text, emoji, 100,000 quote marks) is enriched, with every offset on a
//! char boundary inside `body`.
//!
//! Size limits: nats-server refuses messages over its `max_payload`
//! (default 1 MB) at publish time, so by default a 10 MB article never
//! reaches the worker (the producer gets "max payload size exceeded").
//! With a broker configured for bigger messages the worker's own limit
//! applies: `--max-bytes` (default 4 MiB); larger payloads are dead-lettered
//! as `oversized`.

mod common;

use std::time::Duration;

use common::*;

const T: Duration = Duration::from_secs(60);

fn good_article(tag: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": format!("good-{tag}"),
        "title": "Harbour authority approves new ferry terminal",
        "body": "The harbour authority of Kelmora approved a new ferry terminal on Tuesday.\n\n\u{201C}This will cut waiting times by half,\u{201D} said Anna Verlaine, the authority's director. The terminal will cost $42 million.",
    }))
    .unwrap()
}

/// Check every `{start, end}` pair anywhere in `v` against `body` (against
/// `title` for a span marked as in the title).
fn assert_offsets_valid(v: &serde_json::Value, body: &str) {
    fn check(s: u64, e: u64, text: &str) {
        let (s, e) = (s as usize, e as usize);
        assert!(
            s <= e && e <= text.len(),
            "offsets {s}..{e} outside a text of {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "offsets {s}..{e} not on char boundaries"
        );
    }
    fn walk(v: &serde_json::Value, body: &str, title: &str, n: &mut usize) {
        match v {
            serde_json::Value::Object(o) => {
                if let (Some(s), Some(e)) = (
                    o.get("start").and_then(|x| x.as_u64()),
                    o.get("end").and_then(|x| x.as_u64()),
                ) {
                    let in_title = o.get("field").and_then(|f| f.as_str()) == Some("title");
                    check(s, e, if in_title { title } else { body });
                    *n += 1;
                }
                for x in o.values() {
                    walk(x, body, title, n);
                }
            }
            serde_json::Value::Array(a) => {
                // A span on the wire: [start, end], or [start, end, "title"].
                match a.as_slice() {
                    [serde_json::Value::Number(s), serde_json::Value::Number(e)] => {
                        check(
                            s.as_u64().unwrap_or(u64::MAX),
                            e.as_u64().unwrap_or(u64::MAX),
                            body,
                        );
                        *n += 1;
                        return;
                    }
                    [serde_json::Value::Number(s), serde_json::Value::Number(e), f] => {
                        assert_eq!(f.as_str(), Some("title"), "bad span marker");
                        check(
                            s.as_u64().unwrap_or(u64::MAX),
                            e.as_u64().unwrap_or(u64::MAX),
                            title,
                        );
                        *n += 1;
                        return;
                    }
                    _ => {}
                }
                for x in a {
                    walk(x, body, title, n);
                }
            }
            _ => {}
        }
    }
    let title = v["title"].as_str().unwrap_or("");
    let mut n = 0;
    for key in ["entities", "quotes", "figures"] {
        walk(&v[key], body, title, &mut n);
    }
}

struct Case {
    server: NatsServer,
    js: async_nats::jetstream::Context,
    _client: async_nats::Client,
    worker: WorkerProc,
}

/// Publish `payload` then a good article, start a worker with `args`.
async fn run_case(server_conf: Option<String>, payload: &[u8], args: &[&str]) -> Case {
    let server = NatsServer::start_with_config(server_conf);
    let (client, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    // Plain publish without headers: the payload is exactly what a producer sent.
    client
        .publish("articles.raw", payload.to_vec().into())
        .await
        .expect("publish bad input");
    client.flush().await.expect("flush");
    publish(&js, "articles.raw", good_article("after"), None).await;
    assert!(
        wait_until(T, || async { stream_len(&js, "ARTICLES_RAW").await == 2 }).await,
        "raw stream did not store both messages"
    );
    let worker = WorkerProc::start(&server.url(), args);
    Case {
        server,
        js,
        _client: client,
        worker,
    }
}

/// Exactly one DLQ message with `reason`, the original bytes and an error
/// text containing `error_has`; the good article after it is enriched.
async fn expect_dead_letter(payload: Vec<u8>, reason: &str, error_has: &str) {
    expect_dead_letter_with(None, payload, reason, error_has, &[]).await
}

async fn expect_dead_letter_with(
    server_conf: Option<String>,
    payload: Vec<u8>,
    reason: &str,
    error_has: &str,
    args: &[&str],
) {
    let c = run_case(server_conf, &payload, args).await;
    let js = &c.js;
    assert!(
        wait_until(T, || async {
            stream_len(js, "ARTICLES_ENRICHED").await == 1
        })
        .await,
        "{reason}: the worker did not go on to the next article"
    );
    assert!(
        wait_until(T, || async { stream_len(js, "ARTICLES_DLQ").await >= 1 }).await,
        "{reason}: no DLQ message"
    );
    assert!(wait_until(T, || async { consumer_backlog(js).await == Some((0, 0)) }).await);
    let dlq = read_stream(js, "ARTICLES_DLQ").await;
    assert_eq!(dlq.len(), 1, "{reason}: exactly one DLQ message");
    let m = &dlq[0];
    assert_eq!(m.header("Lede-Dlq-Reason"), Some(reason));
    let err = m.header("Lede-Dlq-Error").unwrap_or("");
    assert!(err.contains(error_has), "{reason}: unclear error {err:?}");
    assert!(
        m.payload == payload,
        "{reason}: DLQ payload is not the original bytes"
    );
    let enriched = read_stream(js, "ARTICLES_ENRICHED").await;
    assert_eq!(enriched[0].json()["id"], "good-after");
    drop(c.worker);
    drop(c.server);
}

/// The payload is enriched (not dead-lettered); returns the record.
async fn expect_enriched(payload: Vec<u8>, what: &str) -> serde_json::Value {
    let c = run_case(None, &payload, &[]).await;
    let js = &c.js;
    assert!(
        wait_until(T, || async {
            stream_len(js, "ARTICLES_ENRICHED").await == 2
        })
        .await,
        "{what}: not enriched (DLQ: {:?})",
        read_stream(js, "ARTICLES_DLQ")
            .await
            .iter()
            .map(|m| m.header("Lede-Dlq-Error").unwrap_or("").to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        stream_len(js, "ARTICLES_DLQ").await,
        0,
        "{what}: dead-lettered"
    );
    let v = read_stream(js, "ARTICLES_ENRICHED")
        .await
        .into_iter()
        .map(|m| m.json())
        .find(|v| v["id"] != "good-after")
        .expect("the record");
    let body = v["body"].as_str().expect("body").to_string();
    assert_offsets_valid(&v, &body);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json() {
    expect_dead_letter(
        br#"{"title": "Budget", "body": "The council approved"#.to_vec(),
        "invalid_json",
        "does not parse",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_of_the_wrong_shape() {
    expect_dead_letter(
        br#"{"title": "Budget", "body": 42}"#.to_vec(),
        "wrong_shape",
        "`body` must be a string",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_payload() {
    expect_dead_letter(Vec::new(), "empty_body", "empty").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whitespace_only_payload() {
    expect_dead_letter(
        " \t\r\n  \n\u{a0}".as_bytes().to_vec(),
        "empty_body",
        "empty",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_utf8_bytes() {
    // Latin-1 "Café" and a lone continuation byte.
    expect_dead_letter(
        b"Caf\xe9 reopens\n\nThe caf\xe9 on the square \x80 reopened.".to_vec(),
        "not_utf8",
        "not valid UTF-8",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_json() {
    let depth = 10_000;
    let payload = format!(
        "{{\"title\":\"x\",\"body\":\"text\",\"meta\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    expect_dead_letter(payload.into_bytes(), "too_deep", "nesting deeper than").await;
}

/// 10 MB through a broker configured to carry it: the worker's --max-bytes
/// (1 MiB here) dead-letters it with the original 10 MB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_body_over_the_worker_limit() {
    let body = "Word ".repeat(2 * 1024 * 1024);
    let payload = serde_json::to_vec(&serde_json::json!({"title": "Huge", "body": body})).unwrap();
    assert!(payload.len() >= 10 * 1024 * 1024);
    expect_dead_letter_with(
        Some("max_payload: 16777216\n".into()),
        payload,
        "oversized",
        "--max-bytes raises the limit",
        &["--max-bytes", "1048576"],
    )
    .await;
}

/// With nats-server's default max_payload (1 MB) a 10 MB article is refused
/// at publish time: it never reaches the raw stream or the worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabytes_are_refused_by_a_default_broker() {
    let server = NatsServer::start();
    let (client, js) = js(&server.url()).await;
    ensure_raw_stream(&js).await;
    assert_eq!(client.server_info().max_payload, 1024 * 1024);
    let r = js
        .publish("articles.raw", vec![b'a'; 10 * 1024 * 1024].into())
        .await;
    let err = r.expect_err("a 10 MB publish must fail on a default broker");
    assert!(err.to_string().contains("max payload"), "{err}");
}

/// A poison payload just under the broker's max_payload: the DLQ message
/// (payload + reason headers) would not fit. It must still be dead-lettered
/// once (truncated, with the original size in `Lede-Dlq-Truncated`), not
/// nak'ed forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_at_the_broker_limit_is_dead_lettered_not_retried_forever() {
    let mut payload = b"{\"body\": \"".to_vec();
    payload.resize(1024 * 1024 - 16, b'a');
    let c = run_case(None, &payload, &[]).await;
    let js = &c.js;
    assert!(
        wait_until(T, || async {
            stream_len(js, "ARTICLES_ENRICHED").await == 1
        })
        .await
    );
    assert!(
        wait_until(T, || async { stream_len(js, "ARTICLES_DLQ").await == 1 }).await,
        "no DLQ message: the worker keeps retrying (naks: {:?})",
        c.worker.metric("lede_naks_total")
    );
    assert!(wait_until(T, || async { consumer_backlog(js).await == Some((0, 0)) }).await);
    let m = &read_stream(js, "ARTICLES_DLQ").await[0];
    assert_eq!(m.header("Lede-Dlq-Reason"), Some("invalid_json"));
    let size = payload.len().to_string();
    assert_eq!(m.header("Lede-Dlq-Truncated"), Some(size.as_str()));
    assert!(!m.payload.is_empty() && payload.starts_with(&m.payload));
}

/// A valid article whose enriched record exceeds the broker's max_payload:
/// dead-lettered as `output_too_large` with the original bytes, not nak'ed forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enriched_record_over_the_broker_limit_is_dead_lettered() {
    // Plain text with many backslashes: each one becomes two bytes in the
    // enriched JSON, so the record outgrows the 1 MB limit the input fits.
    let mut payload = b"Harbour gates\n\n".to_vec();
    while payload.len() < 1_000_000 {
        payload.extend_from_slice(b"The gate at C:\\harbour\\north\\dock reopened. ");
    }
    let c = run_case(None, &payload, &[]).await;
    let js = &c.js;
    assert!(
        wait_until(T, || async {
            stream_len(js, "ARTICLES_ENRICHED").await == 1
        })
        .await
    );
    assert!(
        wait_until(T, || async { stream_len(js, "ARTICLES_DLQ").await == 1 }).await,
        "no DLQ message: the worker keeps retrying (naks: {:?})",
        c.worker.metric("lede_naks_total")
    );
    assert!(wait_until(T, || async { consumer_backlog(js).await == Some((0, 0)) }).await);
    let m = &read_stream(js, "ARTICLES_DLQ").await[0];
    assert_eq!(m.header("Lede-Dlq-Reason"), Some("output_too_large"));
    assert!(m.payload == payload, "original bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_thousand_quote_marks_are_processed_in_bounded_time() {
    // Valid UTF-8 text: enriched (nothing to find), not dead-lettered, and
    // not a quadratic hang.
    let started = std::time::Instant::now();
    let mut payload = b"Quote marks\n\n".to_vec();
    payload.extend(std::iter::repeat_n(b'"', 100_000));
    let v = expect_enriched(payload, "100,000 quote marks").await;
    assert!(started.elapsed() < Duration::from_secs(50));
    assert!(v["body"].as_str().unwrap().len() >= 99_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_markup_is_stripped() {
    let payload = serde_json::to_vec(&serde_json::json!({
        "id": "html-1",
        "title": "Ferry terminal approved",
        "body": "<html><body><h1>Ferry terminal</h1><p>The <b>harbour authority</b> of <a href=\"https://x.example\">Kelmora</a> approved a terminal.</p><script>alert('x')</script><style>p{color:red}</style><div>It will cost &pound;12&nbsp;million &amp; open in 2027.</div></body></html>",
    }))
    .unwrap();
    let v = expect_enriched(payload, "HTML").await;
    let body = v["body"].as_str().unwrap();
    let tag = regex::Regex::new(r"</?[A-Za-z][^>]*>").unwrap();
    assert!(!tag.is_match(body), "tags left in body: {body:?}");
    assert!(
        !body.contains("alert(") && !body.contains("color:red"),
        "{body:?}"
    );
    assert!(
        body.contains("harbour authority of Kelmora approved"),
        "{body:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_are_enriched() {
    let payload = serde_json::to_vec(&serde_json::json!({
        "id": "ctl-1",
        "title": "Mayor\u{7} resigns",
        "body": "Mayor Ilse Brandt\u{0} resigned on Monday.\u{1b}[31m\n\n\u{1}\u{2}\u{8}She said: \u{201C}It is time,\u{201D} after 12\u{b}years.\u{7f}\r\nThe council has 30\u{c} days.",
    }))
    .unwrap();
    let v = expect_enriched(payload, "control characters").await;
    assert!(v["body"].as_str().unwrap().contains("resigned on Monday"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn right_to_left_text_is_enriched() {
    let payload = serde_json::to_vec(&serde_json::json!({
        "id": "rtl-1",
        "title": "\u{645}\u{62c}\u{644}\u{633} \u{627}\u{644}\u{645}\u{62f}\u{64a}\u{646}\u{629}",
        "body": "\u{5d4}\u{5de}\u{5d5}\u{5e2}\u{5e6}\u{5d4} \u{5d0}\u{5d9}\u{5e9}\u{5e8}\u{5d4} \u{5ea}\u{5e7}\u{5e6}\u{5d9}\u{5d1} \u{5e9}\u{5dc} 42 \u{5de}\u{5d9}\u{5dc}\u{5d9}\u{5d5}\u{5df} \u{5e9}\u{5e7}\u{5dc}.\n\n\u{202B}\u{627}\u{644}\u{645}\u{62c}\u{644}\u{633} said \u{201C}\u{646}\u{639}\u{645}\u{201D}\u{202C} in Cairo on Monday, Ahmed Nour said.\u{200F} \u{0661}\u{0662}\u{0663} people attended.",
    }))
    .unwrap();
    let v = expect_enriched(payload, "right-to-left text").await;
    assert!(v["body"].as_str().unwrap().contains('\u{5d4}'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emoji_are_enriched() {
    let payload = serde_json::to_vec(&serde_json::json!({
        "id": "emoji-1",
        "title": "Fans celebrate \u{1F389} in Lisbon",
        "body": "Fans \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} filled the square in Lisbon \u{1F1F5}\u{1F1F9} on Sunday.\n\n\u{201C}Best day ever \u{1F60D}\u{1F44D}\u{1F3FD},\u{201D} said Joana Silva. Tickets cost \u{20AC}25\u{FE0F} and 40,000\u{1F525} people came.",
    }))
    .unwrap();
    let v = expect_enriched(payload, "emoji").await;
    assert!(
        v["body"].as_str().unwrap().contains('\u{1F389}')
            || v["title"].as_str().unwrap().contains('\u{1F389}')
    );
}
