//! The service (`lede run`): connects to NATS, serves the admin endpoint,
//! and moves articles raw -> pipeline -> enriched through one of two
//! transports ([`jetstream`] at-least-once, [`core`] at-most-once). The
//! processing result ([`crate::pipeline::Outcome`]) is turned into publish +
//! ack decisions by [`disposition`] alone.

pub mod config;
pub mod connect;
pub mod core;
pub mod disposition;
pub mod jetstream;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use crate::admin::Health;
use crate::backoff;
use crate::dedup::jetstream::kv::KvStore;
use crate::dedup::jetstream::log::{log_stream, LogStore};
use crate::dedup::store::{MemoryStore, SeenStore};
use crate::metrics::Metrics;
use crate::pipeline::{Cpu, Outcome, Pipeline};
use config::{DedupStoreKind, Mode, ServiceConfig};
use disposition::{Plan, Settled};

/// What every transport task shares.
pub struct Worker {
    pub config: ServiceConfig,
    pub pipeline: Arc<Pipeline>,
    pub store: Arc<dyn SeenStore>,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
}

/// The service's way of running CPU work: tokio's blocking pool (one thread
/// per core, see `lede run`), so the transport (acks, heartbeats) stays
/// responsive while articles are enriched.
pub struct BlockingPool;

impl Cpu for BlockingPool {
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| e.to_string())
    }
}

impl Worker {
    /// Run one payload through the pipeline. `claimant` names the transport
    /// message (the raw stream sequence) so the dedup store recognises its
    /// own claims on a redelivery.
    pub async fn process(
        &self,
        payload: Bytes,
        redelivered: bool,
        claimant: Option<String>,
    ) -> Outcome {
        self.pipeline
            .process(
                payload,
                self.store.as_ref(),
                redelivered,
                claimant,
                &BlockingPool,
            )
            .await
    }

    /// Count a carried-out plan, and log a dead letter (one WARN line:
    /// the raw message's sequence, the reason, the error).
    pub fn settled(&self, plan: &Plan, stream_seq: u64) {
        let m = &self.metrics;
        match plan.settled {
            Settled::Enriched => {
                m.enriched.inc();
            }
            Settled::Duplicate(method) => m.duplicate(method.as_str()),
            Settled::DeadLetter(reason) => {
                m.dead_letter(reason);
                tracing::warn!(
                    stream_seq,
                    reason,
                    error = plan.error.as_deref().unwrap_or(""),
                    "dead-lettered"
                );
            }
            Settled::Retry => {}
        }
        tracing::debug!(outcome = %plan.settled, stream_seq, "settled");
    }
}

/// Open a dedup store with `open`, retrying with backoff while NATS is not
/// reachable; `None` when `shutdown` fired first. `what` names the store in
/// the logs.
async fn open_store<T, F, Fut>(what: &str, shutdown: &CancellationToken, mut open: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::dedup::store::StoreError>>,
{
    let mut attempt = 0;
    loop {
        let res = tokio::select! {
            _ = shutdown.cancelled() => return None,
            r = open() => r,
        };
        match res {
            Ok(s) => return Some(s),
            Err(e) => {
                attempt += 1;
                tracing::warn!("cannot open the dedup {what}: {e}; retrying");
                if backoff::sleep(attempt, shutdown).await {
                    return None;
                }
            }
        }
    }
}

/// The dedup store the configuration asks for; `None` when `shutdown` fired
/// while it was being opened.
async fn open_seen_store(
    config: &ServiceConfig,
    client: async_nats::Client,
    shutdown: &CancellationToken,
) -> Option<Arc<dyn SeenStore>> {
    let js = async_nats::jetstream::new(client);
    let near = config.pipeline.near.clone();
    match (config.dedup_store, config.mode) {
        (DedupStoreKind::Memory, _) | (_, Mode::Core) => Some(Arc::new(MemoryStore::with_config(
            config.dedup_window,
            near,
            config.dedup_max_articles,
        ))),
        (DedupStoreKind::Log, Mode::Jetstream) => {
            let name = log_stream(&config.dedup_bucket);
            let s = open_store(&format!("log {name}"), shutdown, || {
                LogStore::open_with_limit(
                    js.clone(),
                    &config.dedup_bucket,
                    config.dedup_window,
                    near.clone(),
                    config.dedup_replicas,
                    config.dedup_max_articles,
                )
            })
            .await?;
            tracing::info!(stream = %name, window = ?config.dedup_window, articles = s.len(), "dedup store: JetStream registration log");
            Some(Arc::new(s))
        }
        (DedupStoreKind::Kv, Mode::Jetstream) => {
            let bucket = &config.dedup_bucket;
            let s = open_store(&format!("bucket {bucket}"), shutdown, || {
                KvStore::open_replicated(
                    js.clone(),
                    bucket,
                    config.dedup_window,
                    near.clone(),
                    config.dedup_replicas,
                )
            })
            .await?;
            tracing::info!(%bucket, window = ?config.dedup_window, "dedup store: JetStream KV");
            Some(Arc::new(s))
        }
    }
}

/// How often the `lede_dedup_*` gauges are refreshed.
const DEDUP_GAUGES_EVERY: Duration = Duration::from_secs(5);

/// Refresh the dedup-state gauges from `store` until `stop` fires (nothing
/// to do for a store that keeps no state in this process).
async fn report_dedup_state(
    store: Arc<dyn SeenStore>,
    metrics: Arc<Metrics>,
    stop: CancellationToken,
) {
    let mut tick = tokio::time::interval(DEDUP_GAUGES_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        match store.memory() {
            Some(m) => metrics.set_dedup_state(&m),
            None => return,
        }
    }
}

/// Run the service until `shutdown` fires; then drain and return.
pub async fn run(config: ServiceConfig, shutdown: CancellationToken) -> anyhow::Result<()> {
    let metrics = Arc::new(Metrics::new());
    let health = Arc::new(Health::new());
    let admin_stop = CancellationToken::new();
    let (admin_addr, admin_task) = crate::admin::serve(
        config.admin_addr,
        metrics.clone(),
        health.clone(),
        admin_stop.clone(),
    )
    .await?;
    tracing::info!(%admin_addr, "admin endpoint: /metrics /healthz /readyz");

    let pipeline = Arc::new(Pipeline::new(config.pipeline.clone())?);
    let client = connect::connect(&config.nats, health.clone(), metrics.clone()).await?;
    let Some(store) = open_seen_store(&config, client.clone(), &shutdown).await else {
        return Ok(());
    };
    tracing::info!(
        mode = ?config.mode,
        nats = %connect::redact_url(&config.nats.url),
        raw = %config.subjects.raw,
        enriched = %config.subjects.enriched,
        concurrency = config.concurrency,
        stages = ?config.pipeline.stages.names(),
        dedup = config.pipeline.dedup,
        "lede worker starting"
    );
    let gauges_task = tokio::spawn(report_dedup_state(
        store.clone(),
        metrics.clone(),
        admin_stop.clone(),
    ));
    let worker = Arc::new(Worker {
        config,
        pipeline,
        store,
        metrics,
        health,
    });
    let result = match worker.config.mode {
        Mode::Jetstream => jetstream::run(worker.clone(), client.clone(), shutdown).await,
        Mode::Core => core::run(worker.clone(), client.clone(), shutdown).await,
    };
    if let Err(e) = tokio::time::timeout(Duration::from_secs(5), client.drain()).await {
        tracing::warn!("NATS drain timed out: {e}");
    }
    admin_stop.cancel();
    let _ = admin_task.await;
    let _ = gauges_task.await;
    tracing::info!("lede worker stopped");
    result
}
