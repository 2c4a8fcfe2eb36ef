//! Core NATS transport (`--mode core`): a queue-group subscription for
//! pipelines without JetStream. At-most-once: a message being processed
//! when the worker dies is lost, and nothing is redelivered. Outputs are
//! still published with `Nats-Msg-Id` headers for downstream streams.

use std::sync::Arc;

use anyhow::anyhow;
use async_nats::HeaderMap;
use futures::StreamExt;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::disposition;
use super::Worker;

pub async fn run(
    w: Arc<Worker>,
    client: async_nats::Client,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let c = &w.config;
    let mut sub = client
        .queue_subscribe(c.subjects.raw.clone(), c.queue_group.clone())
        .await
        .map_err(|e| anyhow!("cannot subscribe to {}: {e}", c.subjects.raw))?;
    tracing::info!(subject = %c.subjects.raw, queue = %c.queue_group, "consuming (core NATS, at-most-once)");
    w.health.set_consuming(true);
    let permits = Arc::new(Semaphore::new(c.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    let mut seq: u64 = 0;
    loop {
        while tasks.try_join_next().is_some() {}
        let permit = tokio::select! {
            _ = shutdown.cancelled() => break,
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
        };
        let msg = tokio::select! {
            _ = shutdown.cancelled() => break,
            m = sub.next() => match m { Some(m) => m, None => break },
        };
        seq += 1;
        let w = w.clone();
        let client = client.clone();
        tasks.spawn(async move {
            w.metrics.received.inc();
            w.metrics.in_flight.inc();
            let outcome = w.process(msg.payload.clone(), false, None).await;
            let plan = disposition::plan(
                outcome,
                &msg.payload,
                seq,
                1,
                w.config.nak_delay_base,
                w.config.nak_delay_max,
            );
            if let Some(p) = &plan.publish {
                let subject = w.config.subjects.of(p.target);
                let mut headers = HeaderMap::new();
                headers.insert("Nats-Msg-Id", p.msg_id.as_str());
                for (k, v) in &p.headers {
                    headers.insert(*k, v.as_str());
                }
                if let Err(e) = client
                    .publish_with_headers(subject.to_string(), headers, p.payload.clone())
                    .await
                {
                    w.metrics.error("publish");
                    tracing::warn!("publish to {subject} failed (message lost: core mode): {e}");
                }
            }
            w.settled(&plan, seq);
            w.metrics.in_flight.dec();
            drop(permit);
        });
    }
    w.health.set_consuming(false);
    w.health.set_shutting_down();
    let _ = sub.unsubscribe().await;
    let _ = tokio::time::timeout(w.config.drain_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}
