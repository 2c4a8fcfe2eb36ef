//! `lede publish`: send local test articles (same input forms as replay) to
//! the raw subject of a live NATS with JetStream, each with `Nats-Msg-Id`
//! set to its article id, and report how many the stream accepted.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, Context};
use async_nats::jetstream::{self, context::PublishErrorKind, message::PublishMessage};
use clap::Args;

use lede::article::{decode, DecodeLimits};
use lede::input::read_inputs;
use lede::service::config::FileConfig;

use super::nats_args::NatsArgs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  lede publish examples/
  lede publish --nats-url nats://nats:4222 feed.jsonl
  cat article.txt | lede publish -

Each input is published once, with Nats-Msg-Id = its article id (the id the
worker will derive), so publishing the same files twice within the raw
stream's duplicate window stores them once. Inputs that do not decode (bad
JSON, empty...) are published as they are, without an id: the worker
dead-letters them. When no stream holds the subject yet (the worker creates it
on start), publish waits for one up to --connect-timeout-secs.

Exit status: 0 all stored, 1 some not stored or NATS not reachable within
--connect-timeout-secs, 2 an input cannot be read.")]
pub struct PublishArgs {
    /// Files, directories (recursive: .txt, .json, .jsonl) or `-` for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub nats: NatsArgs,
    /// Subject to publish to [default: articles.raw].
    #[arg(long, env = "LEDE_RAW_SUBJECT", default_value = "articles.raw")]
    pub subject: String,
    /// Publishes awaiting their acks at once.
    #[arg(long, default_value_t = 256)]
    pub window: usize,
    /// Give up when NATS (or a stream on the subject) cannot be reached
    /// within this many seconds.
    #[arg(long, env = "LEDE_CONNECT_TIMEOUT_SECS", default_value_t = 10)]
    pub connect_timeout_secs: u64,
}

pub fn run(args: PublishArgs) -> anyhow::Result<i32> {
    let inputs = read_inputs(&args.paths)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let cfg = args.nats.resolve(&FileConfig::default(), "lede-publish");
        let within = Duration::from_secs(args.connect_timeout_secs.max(1));
        let started = tokio::time::Instant::now();
        let client = lede::service::connect::connect_within(&cfg, within).await?;
        let js = jetstream::new(client.clone());
        wait_for_stream(&js, &args.subject, started + within).await?;
        let limits = DecodeLimits {
            max_bytes: usize::MAX,
            ..DecodeLimits::default()
        };
        let (mut accepted, mut repeats, mut failed) = (0usize, 0usize, 0usize);
        let mut pending = Vec::new();
        for input in &inputs {
            let mut pm = PublishMessage::build().payload(input.bytes.clone().into());
            if let Ok(a) = decode(&input.bytes, &limits) {
                pm = pm.message_id(&a.id);
            }
            let fut = tokio::time::timeout(within, js.send_publish(args.subject.clone(), pm))
                .await
                .map_err(|_| anyhow!("cannot publish {} to {}: no answer within {within:?}", input.origin, args.subject))?
                .map_err(|e| anyhow!("cannot publish {} to {}: {e}", input.origin, args.subject))?;
            pending.push((input.origin.clone(), fut));
            if pending.len() >= args.window {
                settle(&mut pending, &mut accepted, &mut repeats, &mut failed).await;
            }
        }
        settle(&mut pending, &mut accepted, &mut repeats, &mut failed).await;
        client.flush().await.context("flush")?;
        eprintln!(
            "publish: {} inputs, {accepted} accepted, {repeats} already stored (same id), {failed} failed",
            inputs.len()
        );
        Ok::<_, anyhow::Error>(if failed > 0 { 1 } else { 0 })
    })
}

/// Wait until a stream holds `subject` (`lede run` creates it on start), or
/// fail at `deadline`.
async fn wait_for_stream(
    js: &jetstream::Context,
    subject: &str,
    deadline: tokio::time::Instant,
) -> anyhow::Result<()> {
    let mut attempt = 0;
    let mut told = false;
    loop {
        match js.stream_by_subject(subject).await {
            Ok(_) => return Ok(()),
            Err(e) => {
                let d = lede::backoff::delay(attempt);
                attempt += 1;
                if tokio::time::Instant::now() + d >= deadline {
                    anyhow::bail!(
                        "no JetStream stream holds {subject} ({e}): start `lede run` (it creates \
                         the streams) or create one with deploy/nats/streams.json"
                    );
                }
                if !told {
                    tracing::info!("waiting for a stream on {subject} (`lede run` creates it)");
                    told = true;
                }
                tokio::time::sleep(d).await;
            }
        }
    }
}

async fn settle(
    pending: &mut Vec<(String, async_nats::jetstream::context::PublishAckFuture)>,
    accepted: &mut usize,
    repeats: &mut usize,
    failed: &mut usize,
) {
    for (origin, fut) in pending.drain(..) {
        match fut.await {
            Ok(ack) if ack.duplicate => *repeats += 1,
            Ok(_) => *accepted += 1,
            Err(e) => {
                *failed += 1;
                let hint = if e.kind() == PublishErrorKind::StreamNotFound {
                    " (no stream holds the subject: `lede run` creates it)"
                } else {
                    ""
                };
                tracing::warn!(%origin, "not stored: {e}{hint}");
            }
        }
    }
}
