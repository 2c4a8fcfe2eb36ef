//! `lede run`: the service. Resolves flags > `LEDE_*` env > `--config` TOML
//! file > defaults into a [`ServiceConfig`] and runs it until SIGINT/SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tokio_util::sync::CancellationToken;

use lede::enrich::StageSet;
use lede::input::UsageError;
use lede::service::config::{DedupStoreKind, FileConfig, Mode, ServiceConfig};

use super::nats_args::NatsArgs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  lede run                                   # JetStream on nats://127.0.0.1:4222
  lede run --nats-url nats://nats:4222 --concurrency 16 --admin-addr 0.0.0.0:9090
  lede run --config /etc/lede/lede.toml      # keys as the flags, '_' for '-'
  LEDE_NATS_PASSWORD=... lede run --nats-user lede
  lede run --mode core                       # core NATS queue group: at-most-once

Flags win over LEDE_* environment variables, which win over the config file,
whose keys are the flag names with '_' for '-' (no_create_streams = true).
Languages: the entity, quote and figure extractors are written for English;
articles in other languages (identified with whatlang) are deduplicated and
published with their `lang` and no extractor run (`processing.stages`).
NATS not reachable: keeps retrying, logging the address and the next delay.
SIGINT/SIGTERM: stop pulling, finish in-flight articles (--drain-timeout), exit 0.
Exit status: 0 after a clean shutdown, 1 runtime failure, 2 usage error.")]
pub struct RunArgs {
    /// TOML config file (keys named like the flags, with '_' for '-').
    #[arg(long, env = "LEDE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub nats: NatsArgs,
    /// jetstream (at-least-once, default) or core (queue group, at-most-once).
    #[arg(long, env = "LEDE_MODE", value_enum)]
    pub mode: Option<Mode>,
    /// Subject of raw articles [default: articles.raw].
    #[arg(long, env = "LEDE_RAW_SUBJECT")]
    pub raw_subject: Option<String>,
    /// Subject for enriched articles [default: articles.enriched].
    #[arg(long, env = "LEDE_ENRICHED_SUBJECT")]
    pub enriched_subject: Option<String>,
    /// Subject for duplicate records [default: articles.duplicates].
    #[arg(long, env = "LEDE_DUPLICATES_SUBJECT")]
    pub duplicates_subject: Option<String>,
    /// Subject for dead letters [default: articles.dlq].
    #[arg(long, env = "LEDE_DLQ_SUBJECT")]
    pub dlq_subject: Option<String>,
    /// Do not create missing streams (managed clusters).
    #[arg(long, env = "LEDE_NO_CREATE_STREAMS")]
    pub no_create_streams: bool,
    /// Durable consumer name shared by every replica [default: lede].
    #[arg(long, env = "LEDE_CONSUMER")]
    pub consumer: Option<String>,
    /// Queue group in core mode [default: lede].
    #[arg(long, env = "LEDE_QUEUE_GROUP")]
    pub queue_group: Option<String>,
    /// Articles processed at once by this process [default: 8].
    #[arg(long, env = "LEDE_CONCURRENCY")]
    pub concurrency: Option<usize>,
    /// Unacknowledged messages allowed for the consumer [default: 256].
    #[arg(long, env = "LEDE_MAX_ACK_PENDING")]
    pub max_ack_pending: Option<i64>,
    /// Seconds before an unacknowledged message is redelivered [default: 30].
    #[arg(long, env = "LEDE_ACK_WAIT_SECS")]
    pub ack_wait_secs: Option<u64>,
    /// Seconds allowed to finish in-flight work on shutdown [default: 25].
    #[arg(long, env = "LEDE_DRAIN_TIMEOUT_SECS")]
    pub drain_timeout_secs: Option<u64>,
    /// Admin HTTP address for /metrics, /healthz, /readyz [default: 127.0.0.1:9090].
    #[arg(long, env = "LEDE_ADMIN_ADDR")]
    pub admin_addr: Option<SocketAddr>,
    /// Where dedup state lives: log (a JetStream log every replica replays
    /// into memory), kv (a KV bucket shared by replicas, nothing in memory)
    /// or memory (this process only) [default: log].
    #[arg(long, env = "LEDE_DEDUP_STORE", value_enum)]
    pub dedup_store: Option<DedupStoreKind>,
    /// Name of the dedup state: the KV bucket, or the log stream LOG_<name> [default: lede-dedup].
    #[arg(long, env = "LEDE_DEDUP_BUCKET")]
    pub dedup_bucket: Option<String>,
    /// How long articles are remembered for dedup, in seconds [default: 604800 = 7 days].
    #[arg(long, env = "LEDE_DEDUP_WINDOW_SECS")]
    pub dedup_window_secs: Option<u64>,
    /// Replicas of the dedup bucket or log when lede creates it (3 on an R3 cluster) [default: 1].
    #[arg(long, env = "LEDE_DEDUP_REPLICAS")]
    pub dedup_replicas: Option<usize>,
    /// Most articles the log and memory stores remember (oldest forgotten
    /// first; each takes about 0.6 KB of the worker's memory) [default: 1000000].
    #[arg(long, env = "LEDE_DEDUP_MAX_ARTICLES")]
    pub dedup_max_articles: Option<usize>,
    /// Largest accepted payload in bytes; larger ones are dead-lettered [default: 4194304].
    #[arg(long, env = "LEDE_MAX_BYTES")]
    pub max_bytes: Option<usize>,
    /// Pass-through: no dedup and no enrichment (for benchmarking the transport).
    #[arg(long, env = "LEDE_PASSTHROUGH")]
    pub passthrough: bool,
    /// Include the 40 MinHash band hashes in `dedup.fingerprints` of each
    /// enriched record (about 0.8 KB more per article).
    #[arg(long, env = "LEDE_FINGERPRINTS")]
    pub fingerprints: bool,
}

/// A bad value: a usage error (exit 2).
fn usage(ok: bool, what: &str) -> anyhow::Result<()> {
    if ok {
        Ok(())
    } else {
        Err(UsageError(what.to_string()).into())
    }
}

impl RunArgs {
    pub fn resolve(&self) -> anyhow::Result<ServiceConfig> {
        let file = match &self.config {
            Some(p) => FileConfig::load(p)?,
            None => FileConfig::default(),
        };
        let mut c = ServiceConfig::default();
        let host = gethostname::gethostname().to_string_lossy().into_owned();
        c.nats = self.nats.resolve(&file, &format!("lede@{host}"));
        macro_rules! pick {
            ($field:ident) => {
                self.$field.clone().or_else(|| file.$field.clone())
            };
        }
        if let Some(v) = pick!(mode) {
            c.mode = v;
        }
        if let Some(v) = pick!(raw_subject) {
            c.subjects.raw = v;
        }
        if let Some(v) = pick!(enriched_subject) {
            c.subjects.enriched = v;
        }
        if let Some(v) = pick!(duplicates_subject) {
            c.subjects.duplicates = v;
        }
        if let Some(v) = pick!(dlq_subject) {
            c.subjects.dlq = v;
        }
        if self.no_create_streams
            || file.no_create_streams == Some(true)
            || file.create_streams == Some(false)
        {
            c.create_streams = false;
        }
        if let Some(v) = pick!(consumer) {
            c.consumer = v;
        }
        if let Some(v) = pick!(queue_group) {
            c.queue_group = v;
        }
        if let Some(v) = pick!(concurrency) {
            usage(v > 0, "--concurrency must be at least 1")?;
            c.concurrency = v;
        }
        if let Some(v) = pick!(max_ack_pending) {
            c.max_ack_pending = v;
        }
        if let Some(v) = pick!(ack_wait_secs) {
            usage(v > 0, "--ack-wait-secs must be at least 1")?;
            c.ack_wait = Duration::from_secs(v);
        }
        if let Some(v) = pick!(drain_timeout_secs) {
            c.drain_timeout = Duration::from_secs(v);
        }
        if let Some(v) = pick!(admin_addr) {
            c.admin_addr = v;
        }
        if let Some(v) = pick!(dedup_store) {
            c.dedup_store = v;
        }
        if let Some(v) = pick!(dedup_bucket) {
            c.dedup_bucket = v;
        }
        if let Some(v) = pick!(dedup_window_secs) {
            c.dedup_window = Duration::from_secs(v);
        }
        if let Some(v) = pick!(dedup_max_articles) {
            usage(v >= 1, "--dedup-max-articles must be at least 1")?;
            c.dedup_max_articles = v;
        }
        if let Some(v) = pick!(dedup_replicas) {
            usage((1..=5).contains(&v), "--dedup-replicas must be 1 to 5")?;
            c.dedup_replicas = v;
        }
        if let Some(v) = pick!(max_bytes) {
            c.pipeline.limits.max_bytes = v;
        }
        if self.passthrough || file.passthrough == Some(true) {
            c.pipeline.dedup = false;
            c.pipeline.stages = StageSet::NONE;
        }
        if self.fingerprints || file.fingerprints == Some(true) {
            c.pipeline.fingerprints = true;
        }
        Ok(c)
    }
}

pub fn run(args: RunArgs) -> anyhow::Result<i32> {
    let config = args.resolve()?;
    // The blocking pool runs the pipeline's CPU-bound stages: one thread
    // per core, not tokio's default of up to 512. With --concurrency
    // articles in flight, more threads than cores only time-slice the same
    // CPUs (N=20000 scripts/load-test throughput, A/B by LEDE_BIN on 2
    // vCPUs: 0.87-0.98 ms of worker CPU per full article against
    // 1.02-1.19 ms uncapped, 1,102-1,251 articles/s against 961-1,119).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(cores)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let shutdown = CancellationToken::new();
        let s = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutdown signal received; draining");
            s.cancel();
        });
        lede::service::run(config, shutdown).await
    })?;
    Ok(0)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
