//! Settings of the service, resolved from flags, `LEDE_*` environment
//! variables and an optional TOML file (flags > env > file > defaults).
//! Secrets are wrapped in [`Secret`] so they never reach logs or `Debug`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::disposition::Target;
use crate::pipeline::PipelineConfig;

/// A value that must not be printed.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How to reach NATS.
#[derive(Debug, Clone, Default)]
pub struct NatsConfig {
    /// One or more server URLs, comma separated.
    pub url: String,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub token: Option<Secret>,
    pub creds_file: Option<PathBuf>,
    pub nkey_seed: Option<Secret>,
    pub tls_ca: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_required: bool,
    /// Connection name shown by the server.
    pub name: String,
}

/// At-least-once on JetStream, or at-most-once on a core NATS queue group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Jetstream,
    Core,
}

/// Where cross-article dedup state lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DedupStoreKind {
    /// A JetStream registration log that every replica replays into memory
    /// (one publish per article).
    #[default]
    Log,
    /// A JetStream KV bucket shared by every replica (about 125 KV round
    /// trips per new article; nothing held in the worker's memory).
    Kv,
    /// Per process, forgotten on restart (tests, single replica).
    Memory,
}

#[derive(Debug, Clone)]
pub struct Subjects {
    pub raw: String,
    pub enriched: String,
    pub duplicates: String,
    pub dlq: String,
}

impl Subjects {
    /// The subject a publication goes to.
    pub fn of(&self, target: Target) -> &str {
        match target {
            Target::Enriched => &self.enriched,
            Target::Duplicates => &self.duplicates,
            Target::Dlq => &self.dlq,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StreamNames {
    pub raw: String,
    pub enriched: String,
    pub duplicates: String,
    pub dlq: String,
}

/// Everything `lede run` needs.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub nats: NatsConfig,
    pub mode: Mode,
    pub subjects: Subjects,
    pub streams: StreamNames,
    /// Create missing streams (off for managed clusters).
    pub create_streams: bool,
    /// Durable consumer name shared by every replica.
    pub consumer: String,
    /// Queue group in core mode.
    pub queue_group: String,
    /// Articles processed at once by this process.
    pub concurrency: usize,
    /// Server-side bound on unacknowledged messages of the consumer.
    pub max_ack_pending: i64,
    pub ack_wait: Duration,
    /// Window within which the enriched stream drops repeated `Nats-Msg-Id`s.
    pub duplicate_window: Duration,
    /// How long in-flight work may take to finish on shutdown.
    pub drain_timeout: Duration,
    pub nak_delay_base: Duration,
    pub nak_delay_max: Duration,
    pub admin_addr: SocketAddr,
    pub dedup_store: DedupStoreKind,
    pub dedup_bucket: String,
    pub dedup_window: Duration,
    /// Replicas of the dedup bucket when lede creates it (3 on an R3 cluster).
    pub dedup_replicas: usize,
    /// Most articles the log and memory stores remember.
    pub dedup_max_articles: usize,
    pub pipeline: PipelineConfig,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            nats: NatsConfig {
                url: "nats://127.0.0.1:4222".into(),
                name: "lede".into(),
                ..NatsConfig::default()
            },
            mode: Mode::Jetstream,
            subjects: Subjects {
                raw: "articles.raw".into(),
                enriched: "articles.enriched".into(),
                duplicates: "articles.duplicates".into(),
                dlq: "articles.dlq".into(),
            },
            streams: StreamNames {
                raw: "ARTICLES_RAW".into(),
                enriched: "ARTICLES_ENRICHED".into(),
                duplicates: "ARTICLES_DUPLICATES".into(),
                dlq: "ARTICLES_DLQ".into(),
            },
            create_streams: true,
            consumer: "lede".into(),
            queue_group: "lede".into(),
            concurrency: 8,
            max_ack_pending: 256,
            ack_wait: Duration::from_secs(30),
            duplicate_window: Duration::from_secs(600),
            drain_timeout: Duration::from_secs(25),
            nak_delay_base: Duration::from_millis(500),
            nak_delay_max: Duration::from_secs(30),
            admin_addr: SocketAddr::from(([127, 0, 0, 1], 9090)),
            dedup_store: DedupStoreKind::Log,
            dedup_bucket: "lede-dedup".into(),
            dedup_window: Duration::from_secs(7 * 24 * 3600),
            dedup_replicas: 1,
            dedup_max_articles: crate::dedup::store::DEFAULT_MAX_ARTICLES,
            pipeline: PipelineConfig::default(),
        }
    }
}

/// The optional TOML file: every key optional, same names as the flags
/// (with `_` for `-`). Unknown keys are an error so typos do not pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub nats_url: Option<String>,
    pub nats_user: Option<String>,
    pub nats_password: Option<Secret>,
    pub nats_token: Option<Secret>,
    pub nats_creds: Option<PathBuf>,
    pub nats_nkey: Option<Secret>,
    pub tls_ca: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub mode: Option<Mode>,
    pub raw_subject: Option<String>,
    pub enriched_subject: Option<String>,
    pub duplicates_subject: Option<String>,
    pub dlq_subject: Option<String>,
    pub no_create_streams: Option<bool>,
    /// The older spelling of `no_create_streams = true` (still accepted).
    pub create_streams: Option<bool>,
    pub consumer: Option<String>,
    pub queue_group: Option<String>,
    pub concurrency: Option<usize>,
    pub max_ack_pending: Option<i64>,
    pub ack_wait_secs: Option<u64>,
    pub drain_timeout_secs: Option<u64>,
    pub admin_addr: Option<SocketAddr>,
    pub dedup_store: Option<DedupStoreKind>,
    pub dedup_bucket: Option<String>,
    pub dedup_window_secs: Option<u64>,
    pub dedup_replicas: Option<usize>,
    pub dedup_max_articles: Option<usize>,
    pub max_bytes: Option<usize>,
    pub passthrough: Option<bool>,
    pub fingerprints: Option<bool>,
}

impl FileConfig {
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        use crate::input::UsageError;
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("cannot read config file {}: {e}", path.display())))?;
        toml::from_str::<Self>(&text).map_err(|e| {
            anyhow::Error::new(UsageError(format!(
                "config file {} is not valid: {e}",
                path.display()
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let mut c = ServiceConfig::default();
        c.nats.password = Some(Secret("hunter2".into()));
        c.nats.token = Some(Secret("tok-123".into()));
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("tok-123"),
            "{dbg}"
        );
        assert!(dbg.contains("<redacted>"));
    }

    #[test]
    fn file_config_rejects_unknown_keys() {
        let ok: FileConfig =
            toml::from_str("nats_url = \"nats://x:4222\"\nconcurrency = 4").unwrap();
        assert_eq!(ok.concurrency, Some(4));
        assert!(toml::from_str::<FileConfig>("concurency = 4").is_err());
        // Every key is a flag name: the flag --no-create-streams is the key
        // no_create_streams.
        let c: FileConfig =
            toml::from_str("no_create_streams = true\nfingerprints = true").unwrap();
        assert_eq!(
            (c.no_create_streams, c.fingerprints),
            (Some(true), Some(true))
        );
    }
}
