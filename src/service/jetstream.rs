//! JetStream transport (at-least-once): ensures the streams, pulls from the
//! durable consumer shared by every replica, runs each article through the
//! pipeline with bounded concurrency, publishes the result with
//! `Nats-Msg-Id`, and only after JetStream acknowledged that publish settles
//! the raw message (ack / term / nak, per [`disposition::plan`]). Sends
//! `Progress` while a slow article is still being worked on. Knows nothing
//! about NLP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _};
use async_nats::jetstream::{self, consumer, message::PublishMessage, stream, AckKind};
use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::disposition::{self, Plan, Publication, Settle};
use super::Worker;
use crate::backoff::sleep as backoff_sleep;
use crate::pipeline::Outcome;

/// Create the four streams when missing. An existing stream is left as it is.
pub async fn ensure_streams(js: &jetstream::Context, w: &Worker) -> anyhow::Result<()> {
    let c = &w.config;
    let week = Duration::from_secs(7 * 24 * 3600);
    let defs = [
        stream::Config {
            name: c.streams.raw.clone(),
            subjects: vec![c.subjects.raw.clone()],
            retention: stream::RetentionPolicy::WorkQueue,
            duplicate_window: Duration::from_secs(120),
            max_age: week,
            ..Default::default()
        },
        stream::Config {
            name: c.streams.enriched.clone(),
            subjects: vec![c.subjects.enriched.clone()],
            duplicate_window: c.duplicate_window,
            max_age: week,
            ..Default::default()
        },
        stream::Config {
            name: c.streams.duplicates.clone(),
            subjects: vec![c.subjects.duplicates.clone()],
            duplicate_window: c.duplicate_window,
            max_age: week,
            ..Default::default()
        },
        stream::Config {
            name: c.streams.dlq.clone(),
            subjects: vec![c.subjects.dlq.clone()],
            duplicate_window: c.duplicate_window,
            max_age: week * 4,
            ..Default::default()
        },
    ];
    for def in defs {
        let name = def.name.clone();
        js.get_or_create_stream(def)
            .await
            .map_err(|e| anyhow!("cannot get or create stream {name}: {e}"))?;
    }
    Ok(())
}

async fn consumer(
    js: &jetstream::Context,
    w: &Worker,
) -> anyhow::Result<consumer::Consumer<consumer::pull::Config>> {
    let c = &w.config;
    let stream = js
        .get_stream(&c.streams.raw)
        .await
        .map_err(|e| anyhow!("cannot open stream {}: {e}", c.streams.raw))?;
    stream
        .get_or_create_consumer(
            &c.consumer,
            consumer::pull::Config {
                durable_name: Some(c.consumer.clone()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: c.ack_wait,
                max_ack_pending: c.max_ack_pending,
                max_deliver: -1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("cannot get or create consumer {}: {e}", c.consumer))
}

/// Consume until `shutdown`; then stop pulling, let in-flight work finish
/// within the drain timeout, and return.
pub async fn run(
    w: Arc<Worker>,
    client: async_nats::Client,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let js = jetstream::new(client.clone());
    let permits = Arc::new(Semaphore::new(w.config.concurrency.max(1)));
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut attempt = 0usize;
    let mut streams_ready = !w.config.create_streams;
    'outer: while !shutdown.is_cancelled() {
        if !streams_ready {
            match ensure_streams(&js, &w).await {
                Ok(()) => streams_ready = true,
                Err(e) => {
                    tracing::warn!("{e:#}; retrying");
                    attempt += 1;
                    if backoff_sleep(attempt, &shutdown).await {
                        break;
                    }
                    continue;
                }
            }
        }
        let batch = w.config.concurrency.clamp(1, 256);
        let messages = match consumer(&js, &w).await {
            Ok(c) => c
                .stream()
                .max_messages_per_batch(batch)
                .heartbeat(Duration::from_secs(5))
                .expires(Duration::from_secs(30))
                .messages()
                .await
                .map_err(|e| anyhow!("cannot start pulling: {e}")),
            Err(e) => Err(e),
        };
        let mut messages = match messages {
            Ok(m) => m,
            Err(e) => {
                w.health.set_consuming(false);
                tracing::warn!("{e:#}; retrying");
                attempt += 1;
                if backoff_sleep(attempt, &shutdown).await {
                    break;
                }
                continue;
            }
        };
        tracing::info!(
            stream = %w.config.streams.raw,
            consumer = %w.config.consumer,
            "consuming"
        );
        w.health.set_consuming(true);
        loop {
            while let Some(r) = tasks.try_join_next() {
                if let Err(e) = r {
                    tracing::error!("article task failed: {e}");
                }
            }
            // Bound in-flight work: take a permit before pulling the next message.
            let permit = tokio::select! {
                _ = shutdown.cancelled() => break 'outer,
                p = permits.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break 'outer,
                },
            };
            let next = tokio::select! {
                _ = shutdown.cancelled() => break 'outer,
                n = messages.next() => n,
            };
            match next {
                Some(Ok(msg)) => {
                    attempt = 0;
                    let w = w.clone();
                    let js = js.clone();
                    tasks.spawn(async move {
                        handle(&w, &js, msg).await;
                        drop(permit);
                    });
                }
                Some(Err(e)) => {
                    w.health.set_consuming(false);
                    w.metrics.error("consumer");
                    tracing::warn!("pull consumer error: {e}; rebuilding the stream");
                    break;
                }
                None => {
                    w.health.set_consuming(false);
                    tracing::warn!("pull consumer ended; rebuilding the stream");
                    break;
                }
            }
        }
        attempt += 1;
        if backoff_sleep(attempt, &shutdown).await {
            break;
        }
    }
    w.health.set_consuming(false);
    w.health.set_shutting_down();
    let in_flight = tasks.len();
    tracing::info!(
        in_flight,
        "stopped pulling; finishing in-flight articles (timeout {:?})",
        w.config.drain_timeout
    );
    let drained = tokio::time::timeout(w.config.drain_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = tasks.len(),
            "drain timeout: unfinished articles will be redelivered"
        );
        tasks.abort_all();
    }
    Ok(())
}

/// Process one message and settle it.
async fn handle(w: &Worker, js: &jetstream::Context, msg: jetstream::Message) {
    let started = Instant::now();
    let (delivered, stream_seq) = match msg.info() {
        Ok(i) => (i.delivered, i.stream_sequence),
        Err(_) => (1, 0),
    };
    let m = &w.metrics;
    m.received.inc();
    m.in_flight.inc();
    if delivered > 1 {
        m.redeliveries.inc();
    }
    let payload: Bytes = msg.payload.clone();
    m.article_bytes.observe(payload.len() as f64);

    let outcome = with_progress(&msg, w.config.ack_wait / 3, async {
        w.process(
            payload.clone(),
            delivered > 1,
            (stream_seq > 0).then(|| stream_seq.to_string()),
        )
        .await
    })
    .await;
    let plan = disposition::plan(
        outcome,
        &payload,
        stream_seq,
        delivered,
        w.config.nak_delay_base,
        w.config.nak_delay_max,
    );
    if let Err(e) = carry_out(w, js, &msg, plan, delivered, stream_seq).await {
        m.error("settle");
        tracing::warn!(stream_seq, "could not settle message: {e:#}");
    }
    m.in_flight.dec();
    m.processing_seconds
        .observe(started.elapsed().as_secs_f64());
}

/// Run `work`, sending `Progress` every `every` so JetStream does not
/// redeliver a slow article while it is still being worked on.
async fn with_progress<F: std::future::Future<Output = Outcome>>(
    msg: &jetstream::Message,
    every: Duration,
    work: F,
) -> Outcome {
    let every = every.max(Duration::from_millis(200));
    tokio::pin!(work);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            o = &mut work => return o,
            _ = tick.tick() => {
                if let Err(e) = msg.ack_with(AckKind::Progress).await {
                    tracing::debug!("progress ack failed: {e}");
                }
            }
        }
    }
}

async fn carry_out(
    w: &Worker,
    js: &jetstream::Context,
    msg: &jetstream::Message,
    mut plan: Plan,
    delivered: i64,
    stream_seq: u64,
) -> anyhow::Result<()> {
    let m = &w.metrics;
    if let Some(p) = &plan.publish {
        match publish(w, js, p).await {
            Ok(()) => {}
            Err(PublishFailure::TooLarge(e)) => {
                let max_payload = js.client().server_info().max_payload;
                tracing::debug!("{e:#}");
                plan = disposition::too_large(p, &msg.payload, stream_seq, max_payload);
                publish_dead_letter(w, js, &plan, max_payload).await?;
            }
            Err(PublishFailure::Other(e)) => {
                // Not published: the raw message must come back.
                return nak_after_failed_publish(w, msg, &plan, delivered, &e).await;
            }
        }
    }
    match plan.settle {
        Settle::Ack => msg.ack().await.map_err(|e| anyhow!("ack failed: {e}"))?,
        Settle::Term => msg
            .ack_with(AckKind::Term)
            .await
            .map_err(|e| anyhow!("term failed: {e}"))?,
        Settle::Nak(d) => {
            m.naks.inc();
            msg.ack_with(AckKind::Nak(Some(d)))
                .await
                .map_err(|e| anyhow!("nak failed: {e}"))?
        }
    }
    w.settled(&plan, stream_seq);
    Ok(())
}

async fn nak_after_failed_publish(
    w: &Worker,
    msg: &jetstream::Message,
    plan: &Plan,
    delivered: i64,
    e: &anyhow::Error,
) -> anyhow::Result<()> {
    let m = &w.metrics;
    m.error("publish");
    m.naks.inc();
    let delay = disposition::nak_delay(delivered, w.config.nak_delay_base, w.config.nak_delay_max);
    tracing::warn!(outcome = %plan.settled, "publish failed: {e:#}; nak, retry in {delay:?}");
    msg.ack_with(AckKind::Nak(Some(delay)))
        .await
        .map_err(|e| anyhow!("nak failed: {e}"))
}

/// Publish the dead letter of a [`disposition::too_large`] plan; when even
/// that does not fit, its payload cut to fit. An error when it could not be
/// published (the caller leaves the message to be redelivered).
async fn publish_dead_letter(
    w: &Worker,
    js: &jetstream::Context,
    plan: &Plan,
    max_payload: usize,
) -> anyhow::Result<()> {
    let Some(dlq) = &plan.publish else {
        return Ok(());
    };
    match publish(w, js, dlq).await {
        Ok(()) => return Ok(()),
        Err(PublishFailure::Other(e)) => {
            return Err(e.context("dead letter for a too-large record"))
        }
        Err(PublishFailure::TooLarge(_)) => {}
    }
    let cut = disposition::truncate_to_fit(dlq.clone(), max_payload);
    match publish(w, js, &cut).await {
        Ok(()) => Ok(()),
        Err(PublishFailure::TooLarge(e)) | Err(PublishFailure::Other(e)) => {
            Err(e.context("truncated dead letter"))
        }
    }
}

/// Why a publish failed.
enum PublishFailure {
    /// Payload plus headers exceed the server's `max_payload`: permanent.
    TooLarge(anyhow::Error),
    /// Anything else (disconnected, timeout, stream full): transient.
    Other(anyhow::Error),
}

/// Publish and wait for JetStream's ack (a `duplicate` ack is fine: the
/// message is already stored).
async fn publish(
    w: &Worker,
    js: &jetstream::Context,
    p: &Publication,
) -> Result<(), PublishFailure> {
    let subject = w.config.subjects.of(p.target);
    let mut pm = PublishMessage::build()
        .payload(p.payload.clone())
        .message_id(&p.msg_id);
    for (k, v) in &p.headers {
        pm = pm.header(*k, v.as_str());
    }
    let ack = match js.send_publish(subject.to_string(), pm).await {
        Ok(ack) => ack,
        Err(e) if e.kind() == jetstream::context::PublishErrorKind::MaxPayloadExceeded => {
            return Err(PublishFailure::TooLarge(
                anyhow!(e).context(format!("publish to {subject}")),
            ))
        }
        Err(e) => {
            return Err(PublishFailure::Other(
                anyhow!(e).context(format!("publish to {subject}")),
            ))
        }
    };
    ack.await
        .with_context(|| format!("JetStream ack for {subject}"))
        .map_err(PublishFailure::Other)?;
    Ok(())
}
