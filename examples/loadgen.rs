//! Load generator for `lede run` (a benchmark, not a test; driven by
//! scripts/load-test). Publishes generated news-like articles of 2-8 KB to
//! the raw subject with a `sent_at_ns` extra field, subscribes to the
//! enriched and duplicates subjects, and reports end-to-end throughput
//! (articles/s from first publish to last arrival) and latency percentiles
//! (publish time -> arrival on the enriched subject). With `--rate` it
//! publishes at a fixed rate; with `--duration-secs` it runs a soak with a
//! rolling set of duplicates and reports the worker's RSS (VmRSS of
//! `--worker-pid`) and the consumer's pending count at start and end.
//!
//! Example:
//!   cargo run --release --example loadgen -- --nats-url nats://127.0.0.1:4222 --count 10000

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Context};
use async_nats::jetstream;
use clap::Parser;
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Parser, Debug)]
#[command(about = "Publish generated articles to lede and measure throughput and latency")]
struct Args {
    #[arg(long, default_value = "nats://127.0.0.1:4222")]
    nats_url: String,
    /// Articles to publish (ignored with --duration-secs).
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Articles per second; 0 = as fast as JetStream acks.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Soak: publish at --rate for this long, with rolling duplicates.
    #[arg(long)]
    duration_secs: Option<u64>,
    /// In a soak, every Nth article repeats one of the last 1,000 (new id, same text).
    #[arg(long, default_value_t = 10)]
    dup_every: usize,
    #[arg(long, default_value_t = 2048)]
    min_bytes: usize,
    #[arg(long, default_value_t = 8192)]
    max_bytes: usize,
    /// Worker process to sample VmRSS from.
    #[arg(long)]
    worker_pid: Option<u32>,
    /// Label printed with the results.
    #[arg(long, default_value = "run")]
    label: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds to wait for the last arrivals.
    #[arg(long, default_value_t = 120)]
    drain_secs: u64,
    /// Also write every published article here, one JSON line each (the
    /// same articles for `lede replay`).
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1e6
}

async fn pending(js: &jetstream::Context) -> Option<(u64, usize)> {
    let s = js.get_stream("ARTICLES_RAW").await.ok()?;
    let mut c: jetstream::consumer::PullConsumer = s.get_consumer("lede").await.ok()?;
    let i = c.info().await.ok()?;
    Some((i.num_pending, i.num_ack_pending))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let client = async_nats::connect(&a.nats_url)
        .await
        .with_context(|| format!("connect {}", a.nats_url))?;
    let js = jetstream::new(client.clone());
    let mut enriched = client.subscribe("articles.enriched").await?;
    let mut dups = client.subscribe("articles.duplicates").await?;
    client.flush().await?;

    // Collector: latencies of enriched arrivals, count of duplicates.
    let stop = tokio_util::sync::CancellationToken::new();
    let stop2 = stop.clone();
    let collector = tokio::spawn(async move {
        let mut lat = Vec::new();
        let mut n_dup = 0usize;
        let mut last = Instant::now();
        loop {
            tokio::select! {
                _ = stop2.cancelled() => break,
                m = enriched.next() => match m {
                    Some(m) => {
                        let t = now_ns();
                        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&m.payload) {
                            if let Some(s) = v["extra"]["sent_at_ns"].as_u64() {
                                lat.push(t.saturating_sub(s));
                            }
                        }
                        last = Instant::now();
                    }
                    None => break,
                },
                m = dups.next() => match m {
                    Some(_) => { n_dup += 1; last = Instant::now(); }
                    None => break,
                },
            }
        }
        (lat, n_dup, last)
    });

    let mut rng = StdRng::seed_from_u64(a.seed);
    let soak = a.duration_secs.map(Duration::from_secs);
    let rss_start = a.worker_pid.and_then(rss_kib);
    let pending_start = pending(&js).await;
    let start = Instant::now();
    let mut recent: VecDeque<(String, String)> = VecDeque::new();
    let mut acks = Vec::new();
    let mut sent = 0usize;
    let mut sent_dups = 0usize;
    let mut rss_samples: Vec<(u64, u64)> = Vec::new();
    let mut next_sample = Duration::ZERO;
    let mut dump = match &a.dump {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("create {}", p.display()))?,
        )),
        None => None,
    };
    loop {
        let elapsed = start.elapsed();
        match soak {
            Some(d) if elapsed >= d => break,
            None if sent >= a.count => break,
            _ => {}
        }
        if a.rate > 0.0 {
            let due = Duration::from_secs_f64(sent as f64 / a.rate);
            if due > elapsed {
                tokio::time::sleep(due - elapsed).await;
            }
        }
        if let (Some(pid), true) = (
            a.worker_pid,
            soak.is_some() && start.elapsed() >= next_sample,
        ) {
            if let Some(r) = rss_kib(pid) {
                rss_samples.push((start.elapsed().as_secs(), r));
            }
            next_sample += Duration::from_secs(30);
        }
        let id = format!("lg{}-{sent}", a.seed);
        let is_dup = soak.is_some() && a.dup_every > 0 && sent % a.dup_every == a.dup_every - 1;
        let (title, body) = match (is_dup, recent.is_empty()) {
            (true, false) => {
                sent_dups += 1;
                recent[rng.gen_range(0..recent.len())].clone()
            }
            _ => {
                let size = rng.gen_range(a.min_bytes..=a.max_bytes);
                let t = corpus::article_text(&mut rng, size);
                recent.push_back(t.clone());
                if recent.len() > 1000 {
                    recent.pop_front();
                }
                t
            }
        };
        let payload = corpus::article_json(
            &id,
            &title,
            &body,
            Some(("sent_at_ns", serde_json::Value::from(now_ns()))),
        );
        if let Some(w) = dump.as_mut() {
            use std::io::Write;
            w.write_all(&payload)?;
            w.write_all(b"\n")?;
        }
        let ack = js
            .send_publish(
                "articles.raw",
                jetstream::message::PublishMessage::build().payload(payload.into()),
            )
            .await
            .map_err(|e| anyhow!("publish: {e}"))?;
        acks.push(ack);
        if acks.len() >= 256 {
            for ack in acks.drain(..) {
                ack.await.map_err(|e| anyhow!("publish ack: {e}"))?;
            }
        }
        sent += 1;
    }
    if let Some(mut w) = dump.take() {
        use std::io::Write;
        w.flush()?;
    }
    for ack in acks.drain(..) {
        ack.await.map_err(|e| anyhow!("publish ack: {e}"))?;
    }
    let publish_secs = start.elapsed().as_secs_f64();
    let expect_enriched = sent - sent_dups;
    // Wait for the tail: done when everything arrived or nothing moved for 10 s.
    let deadline = Instant::now() + Duration::from_secs(a.drain_secs);
    loop {
        let (p, _) = pending(&js).await.unwrap_or((0, 0));
        let done = p == 0 && pending(&js).await.map(|x| x.1) == Some(0);
        if done || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_end = a.worker_pid.and_then(rss_kib);
    let pending_end = pending(&js).await;
    stop.cancel();
    let (mut lat, n_dup, last) = collector.await.map_err(|e| anyhow!("collector: {e}"))?;
    lat.sort_unstable();
    let total_secs = last.duration_since(start).as_secs_f64();
    let got = lat.len();
    println!(
        "{}: sent {sent} ({sent_dups} repeats), enriched {got}/{expect_enriched}, duplicates {n_dup}; \
         publish {:.1}s, end-to-end {:.1}s = {:.0} articles/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         worker RSS start {:?} KiB end {:?} KiB; consumer (pending, ack_pending) start {:?} end {:?}",
        a.label,
        publish_secs,
        total_secs,
        (got + n_dup) as f64 / total_secs.max(1e-9),
        pct(&lat, 0.5),
        pct(&lat, 0.9),
        pct(&lat, 0.99),
        pct(&lat, 1.0),
        rss_start,
        rss_end,
        pending_start,
        pending_end
    );
    if !rss_samples.is_empty() {
        println!("{}: RSS samples (s, KiB): {rss_samples:?}", a.label);
    }
    Ok(())
}
