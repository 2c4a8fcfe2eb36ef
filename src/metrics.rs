//! Prometheus metrics of the service: what came in, what went out where, and
//! how long it took. Rendered in the text exposition format by [`Metrics::render`]
//! for the admin endpoint (`/metrics`).

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::dedup::store::StateMemory;

/// Label set for counters split by one string label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MethodLabel {
    pub method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StructureLabel {
    pub structure: String,
}

/// A count as a gauge value (saturating).
fn gauge_value(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Every metric the worker updates. Cheap to clone (handles share state).
pub struct Metrics {
    registry: Registry,
    pub received: Counter,
    pub enriched: Counter,
    pub duplicates: Family<MethodLabel, Counter>,
    pub dlq: Family<ReasonLabel, Counter>,
    pub errors: Family<KindLabel, Counter>,
    pub naks: Counter,
    pub redeliveries: Counter,
    pub slow_consumer: Counter,
    pub reconnects: Counter,
    pub in_flight: Gauge,
    pub connected: Gauge,
    pub processing_seconds: Histogram,
    pub article_bytes: Histogram,
    pub dedup_articles: Gauge,
    pub dedup_memory_bytes: Family<StructureLabel, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("lede");
        let received = Counter::default();
        let enriched = Counter::default();
        let duplicates = Family::<MethodLabel, Counter>::default();
        let dlq = Family::<ReasonLabel, Counter>::default();
        let errors = Family::<KindLabel, Counter>::default();
        let naks = Counter::default();
        let redeliveries = Counter::default();
        let slow_consumer = Counter::default();
        let reconnects = Counter::default();
        let in_flight = Gauge::default();
        let connected = Gauge::default();
        // 100 us .. ~3.3 s
        let processing_seconds = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        // 256 B .. 8 MiB
        let article_bytes = Histogram::new(exponential_buckets(256.0, 2.0, 16));
        let dedup_articles = Gauge::default();
        let dedup_memory_bytes = Family::<StructureLabel, Gauge>::default();
        registry.register(
            "articles_received",
            "Raw articles received",
            received.clone(),
        );
        registry.register(
            "articles_enriched",
            "Articles enriched and published",
            enriched.clone(),
        );
        registry.register(
            "articles_duplicates",
            "Articles dropped as duplicates, by method",
            duplicates.clone(),
        );
        registry.register(
            "articles_dlq",
            "Articles dead-lettered, by reason",
            dlq.clone(),
        );
        registry.register(
            "errors",
            "Transient errors (publish, ack, dedup store), by kind",
            errors.clone(),
        );
        registry.register(
            "naks",
            "Messages negatively acknowledged for a later retry",
            naks.clone(),
        );
        registry.register(
            "redeliveries",
            "Messages received that were delivered before",
            redeliveries.clone(),
        );
        registry.register(
            "slow_consumer_events",
            "NATS slow-consumer events",
            slow_consumer.clone(),
        );
        registry.register(
            "reconnects",
            "NATS (re)connections after a disconnect",
            reconnects.clone(),
        );
        registry.register(
            "in_flight",
            "Articles being processed now",
            in_flight.clone(),
        );
        registry.register(
            "nats_connected",
            "1 while connected to NATS",
            connected.clone(),
        );
        registry.register(
            "processing_seconds",
            "Time from receipt to ack of one article",
            processing_seconds.clone(),
        );
        registry.register(
            "article_bytes",
            "Size of raw article payloads",
            article_bytes.clone(),
        );
        registry.register(
            "dedup_articles",
            "Articles remembered by this process's dedup state (log and memory stores)",
            dedup_articles.clone(),
        );
        registry.register(
            "dedup_memory_bytes",
            "Estimated heap bytes of this process's dedup state, by structure (log and memory stores)",
            dedup_memory_bytes.clone(),
        );
        Metrics {
            registry,
            received,
            enriched,
            duplicates,
            dlq,
            errors,
            naks,
            redeliveries,
            slow_consumer,
            reconnects,
            in_flight,
            connected,
            processing_seconds,
            article_bytes,
            dedup_articles,
            dedup_memory_bytes,
        }
    }

    /// Set the `dedup_*` gauges from the store's state.
    pub fn set_dedup_state(&self, m: &StateMemory) {
        self.dedup_articles.set(gauge_value(m.articles));
        for (structure, bytes) in [
            ("band_table", m.band_table),
            ("sketches", m.sketches),
            ("exact_keys", m.exact_keys),
            ("expiry_queue", m.expiry_queue),
            ("ids", m.ids),
        ] {
            self.dedup_memory_bytes
                .get_or_create(&StructureLabel {
                    structure: structure.to_string(),
                })
                .set(gauge_value(bytes));
        }
    }

    pub fn duplicate(&self, method: &str) {
        self.duplicates
            .get_or_create(&MethodLabel {
                method: method.to_string(),
            })
            .inc();
    }

    pub fn dead_letter(&self, reason: &str) {
        self.dlq
            .get_or_create(&ReasonLabel {
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn error(&self, kind: &str) {
        self.errors
            .get_or_create(&KindLabel {
                kind: kind.to_string(),
            })
            .inc();
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.push_str("# encoding failed\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_with_labels() {
        let m = Metrics::new();
        m.received.inc();
        m.duplicate("url");
        m.dead_letter("invalid_json");
        m.processing_seconds.observe(0.002);
        m.set_dedup_state(&StateMemory {
            articles: 3,
            band_table: 480,
            sketches: 360,
            ..StateMemory::default()
        });
        let text = m.render();
        assert!(text.contains("lede_articles_received_total 1"), "{text}");
        assert!(text.contains("lede_dedup_articles 3"), "{text}");
        assert!(
            text.contains("lede_dedup_memory_bytes{structure=\"band_table\"} 480"),
            "{text}"
        );
        assert!(text.contains("lede_articles_duplicates_total{method=\"url\"} 1"));
        assert!(text.contains("lede_articles_dlq_total{reason=\"invalid_json\"} 1"));
        assert!(text.contains("lede_processing_seconds_count 1"));
    }
}
