//! One article, one way through: decode -> in-article dedup -> keys ->
//! (store claim) -> language -> enrichment stages -> the [`Enriched`]
//! record. The order is written once, in [`Pipeline::process`]; the caller
//! says how the CPU-bound steps run ([`Cpu`]: inline for replay and eval, on
//! a blocking pool for the service). The result is an [`Outcome`]; turning
//! it into ack / nak / term / DLQ is the service's job alone.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;

use crate::article::{decode, Article, DecodeError, DecodeLimits};
use crate::dedup::blocks::{dedup_blocks, BlockDedup};
use crate::dedup::keys::{canonical_url, content_hash_folded};
use crate::dedup::near::{band_hashes, fingerprint_folded, NearConfig};
use crate::dedup::store::SeenStore;
use crate::dedup::{DedupKeys, Verdict};
use crate::enrich::{Document, Enricher, StageSet};
use crate::lang::identify;
use crate::output::{
    DedupInfo, DuplicateRecord, Enriched, Fingerprints, Processing, SCHEMA_VERSION,
};
use crate::text::normalize_for_match;

/// What became of one input.
#[derive(Debug, Clone)]
pub enum Outcome {
    Enriched(Box<Enriched>),
    Duplicate(DuplicateRecord),
    /// Retrying cannot help: dead-letter it.
    Poison(DecodeError),
    /// A transient failure (the dedup store was unreachable): retry later.
    Retry(String),
}

/// Pipeline settings.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub limits: DecodeLimits,
    pub near: NearConfig,
    /// Cross-article dedup on/off (in-article block dedup always runs).
    pub dedup: bool,
    pub stages: StageSet,
    /// Write the MinHash band hashes into `dedup.fingerprints` (40 hex
    /// strings, for consumers that search near-duplicates themselves).
    pub fingerprints: bool,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            limits: DecodeLimits::default(),
            near: NearConfig::default(),
            dedup: true,
            stages: StageSet::ALL,
            fingerprints: false,
        }
    }
}

/// How the CPU-bound steps (decode + keys, enrichment) are run.
pub trait Cpu {
    /// Run `f`; an `Err` says the runner failed (the work is retried).
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send;
}

/// Run on the calling thread (replay, eval).
pub struct Inline;

impl Cpu for Inline {
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        std::future::ready(Ok(f()))
    }
}

/// A decoded, block-deduplicated article with its dedup keys.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub article: Article,
    pub blocks: BlockDedup,
    pub keys: DedupKeys,
    started: Instant,
}

pub struct Pipeline {
    pub config: PipelineConfig,
    pub enricher: Enricher,
    host: String,
}

impl Pipeline {
    pub fn new(config: PipelineConfig) -> anyhow::Result<Self> {
        let enricher = Enricher::new(config.stages)?;
        Ok(Pipeline {
            config,
            enricher,
            host: gethostname::gethostname().to_string_lossy().into_owned(),
        })
    }

    /// Decode and block-dedup one payload, compute its keys. Pure.
    pub fn prepare(&self, raw: &[u8]) -> Result<Prepared, DecodeError> {
        let started = Instant::now();
        let article = decode(raw, &self.config.limits)?;
        let blocks = dedup_blocks(article.title.as_deref(), &article.body);
        if blocks.body.trim().is_empty() && blocks.title.trim().is_empty() {
            return Err(DecodeError::EmptyBody);
        }
        // folded once for both the content hash and the fingerprint
        let (title, body) = (normalize_for_match(&blocks.title), &blocks.body_folded);
        let keys = DedupKeys {
            id: article.id.clone(),
            url: article.url.as_deref().map(canonical_url),
            content: content_hash_folded(&title, body),
            // Without cross-article dedup nobody reads the fingerprint (the
            // output's band list is then empty).
            near: if self.config.dedup {
                fingerprint_folded(&title, body, &self.config.near)
            } else {
                Default::default()
            },
            claimant: None,
        };
        Ok(Prepared {
            article,
            blocks,
            keys,
            started,
        })
    }

    /// Run the enrichment stages and build the output record. Pure but for
    /// the wall clock stamped into `processing`.
    pub fn enrich(&self, p: Prepared) -> Enriched {
        let lang = identify(
            &p.blocks.title,
            &p.blocks.body,
            p.article.language.as_deref(),
        );
        // The extractors are written for English: other languages are
        // deduplicated and published with no stage run.
        let stages = if lang.english {
            self.config.stages
        } else {
            StageSet::NONE
        };
        let (title, body, e) = if stages == StageSet::NONE {
            // No stage reads the text layer: do not build it.
            (p.blocks.title, p.blocks.body, Default::default())
        } else {
            let doc = Document::new(
                p.blocks.title.clone(),
                p.blocks.body.clone(),
                p.article.published_at.clone(),
            );
            let e = self.enricher.enrich(&doc);
            (doc.title, doc.body, e)
        };
        let enriched_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Enriched {
            schema_version: SCHEMA_VERSION,
            id: p.article.id,
            url: p.article.url,
            source: p.article.source,
            published_at: p.article.published_at,
            title,
            lang: lang.code,
            content_hash: p.keys.content.clone(),
            entities: e.entities,
            quotes: e.quotes,
            figures: e.figures,
            dedup: DedupInfo {
                blocks_kept: p.blocks.kept,
                blocks_removed: p.blocks.removed,
                fingerprints: Fingerprints {
                    url: p.keys.url.as_deref().map(crate::dedup::keys::short_hash),
                    content: p.keys.content,
                    minhash_bands: if self.config.fingerprints {
                        band_hashes(&p.keys.near, &self.config.near)
                            .iter()
                            .map(|h| format!("{h:016x}"))
                            .collect()
                    } else {
                        Vec::new()
                    },
                },
            },
            processing: Processing {
                worker_version: env!("CARGO_PKG_VERSION").to_string(),
                host: self.host.clone(),
                elapsed_us: p.started.elapsed().as_micros() as u64,
                enriched_at,
                stages: stages.names(),
            },
            body,
            extra: p.article.extra,
        }
    }

    /// Claim `prepared`'s keys in `store`: `Ok` to go on enriching, or the
    /// final [`Outcome`] (a duplicate, or a retry when the store failed).
    pub async fn claim(
        &self,
        prepared: Prepared,
        store: &dyn SeenStore,
        redelivered: bool,
    ) -> Result<Prepared, Outcome> {
        if !self.config.dedup {
            return Ok(prepared);
        }
        match store.claim(&prepared.keys, redelivered).await {
            Ok(Verdict::New) => Ok(prepared),
            Ok(Verdict::Duplicate {
                of,
                method,
                similarity,
            }) => Err(Outcome::Duplicate(DuplicateRecord {
                id: prepared.article.id,
                duplicate_of: of,
                method,
                similarity,
            })),
            Err(e) => Err(Outcome::Retry(e.to_string())),
        }
    }

    /// The whole way: decode, claim in `store`, enrich, with the CPU-bound
    /// steps run by `cpu`. `redelivered` says the transport delivered this
    /// same message before, `claimant` names it (see [`SeenStore::claim`]).
    pub async fn process(
        self: &Arc<Self>,
        raw: Bytes,
        store: &dyn SeenStore,
        redelivered: bool,
        claimant: Option<String>,
        cpu: &impl Cpu,
    ) -> Outcome {
        let p = self.clone();
        let mut prepared = match cpu.run(move || p.prepare(&raw)).await {
            Ok(Ok(prepared)) => prepared,
            Ok(Err(e)) => return Outcome::Poison(e),
            Err(e) => return Outcome::Retry(format!("prepare task failed: {e}")),
        };
        prepared.keys.claimant = claimant;
        let prepared = match self.claim(prepared, store, redelivered).await {
            Ok(p) => p,
            Err(outcome) => return outcome,
        };
        let p = self.clone();
        match cpu.run(move || p.enrich(prepared)).await {
            Ok(e) => Outcome::Enriched(Box::new(e)),
            Err(e) => Outcome::Retry(format!("enrich task failed: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = r#"{"id":"t-1","url":"https://news.example/a","title":"Port strike ends","body":"Union leader Marta Keller said on Friday that members voted to accept a 6% pay rise.\n\nShips had waited offshore for nine days."}"#;

    #[test]
    fn pass_through_skips_the_fingerprint_and_stages_but_keeps_the_text() {
        let full = Pipeline::new(PipelineConfig::default()).expect("pipeline");
        let bare = Pipeline::new(PipelineConfig {
            dedup: false,
            stages: StageSet::NONE,
            ..Default::default()
        })
        .expect("pipeline");
        let (pf, pb) = (
            full.prepare(RAW.as_bytes()).expect("prepare"),
            bare.prepare(RAW.as_bytes()).expect("prepare"),
        );
        assert!(!pf.keys.near.minhash.is_empty());
        assert!(pb.keys.near.minhash.is_empty());
        assert_eq!(pf.keys.content, pb.keys.content);
        let (ef, eb) = (full.enrich(pf), bare.enrich(pb));
        assert_eq!(ef.title, eb.title);
        assert_eq!(ef.body, eb.body);
        assert_eq!(ef.content_hash, eb.content_hash);
        assert!(!ef.entities.is_empty() && !ef.figures.is_empty());
        assert!(eb.entities.is_empty() && eb.quotes.is_empty() && eb.figures.is_empty());
        assert!(ef.dedup.fingerprints.minhash_bands.is_empty());
        assert!(eb.dedup.fingerprints.minhash_bands.is_empty());
        let with = Pipeline::new(PipelineConfig {
            fingerprints: true,
            ..Default::default()
        })
        .expect("pipeline");
        let ew = with.enrich(with.prepare(RAW.as_bytes()).expect("prepare"));
        assert_eq!(ew.dedup.fingerprints.minhash_bands.len(), 40);
    }

    /// A news-like body of about `bytes` bytes from varied sentences.
    fn news_body(bytes: usize) -> String {
        let mut body = String::new();
        let mut i = 0usize;
        while body.len() < bytes {
            let para = match i % 4 {
                0 => format!("Union leader Marta Keller said on Friday that members voted to accept a {}% pay rise after {} days of talks.", i % 9 + 2, i + 3),
                1 => format!("\u{201C}We have waited {} weeks for this,\u{201D} said Tomas Brandt, a crane driver in Rotterdam, on day {i}.", i % 7 + 2),
                2 => format!("The port handled {}.{} million containers in {}, and shipping firms including Maersk diverted about {} vessels to Antwerp.", i % 20 + 5, i % 10, 1990 + i % 30, i + 10),
                _ => format!("The European Commission said on {} March that prices for imported fruit had risen by as much as ${}.50 a box.", i % 28 + 1, i % 9 + 1),
            };
            body.push_str(&para);
            body.push_str("\n\n");
            i += 1;
        }
        body
    }

    #[test]
    fn a_dense_article_stays_compact_and_256_kb_fit_the_default_max_payload() {
        let p = Pipeline::new(PipelineConfig::default()).expect("pipeline");
        for size in [2_000, 20_000, 256 * 1024] {
            let body = news_body(size);
            let raw = serde_json::json!({"id": "s", "title": "Port strike ends", "body": body});
            let raw = serde_json::to_vec(&raw).expect("json");
            let e = p.enrich(p.prepare(&raw).expect("prepare"));
            assert!(!e.entities.is_empty() && !e.quotes.is_empty() && !e.figures.is_empty());
            let out = serde_json::to_vec(&e).expect("json").len();
            let input = e.title.len() + e.body.len();
            let ratio = out as f64 / input as f64;
            // Every sentence here holds figures, names or a quote: denser than
            // news (the BBC dev articles give 2.46x, scripts/output-size).
            assert!(ratio <= 4.0, "{size}: {out} bytes for {input}: {ratio:.2}x");
            // nats-server's default max_payload is 1 MB.
            assert!(out < 1_000_000, "{size}: {out} bytes");
        }
    }

    const DE: &str = r#"{"id":"de-1","title":"Mehr Geld für Radwege","body":"Die Bundesregierung will in diesem Jahr rund zwei Millionen Euro zusätzlich für den Ausbau der Radwege ausgeben. Das teilte das Ministerium am Mittwoch in Berlin mit. Die Opposition kritisierte den Plan als unzureichend."}"#;
    const FR: &str = r#"{"id":"fr-1","title":"Transports publics","body":"Le gouvernement a annoncé mercredi une hausse de trois pour cent du budget consacré aux transports publics. Selon le ministre Jean Dupont, les travaux commenceront au printemps prochain à Lyon et à Marseille."}"#;

    #[tokio::test]
    async fn other_languages_are_deduplicated_and_published_without_english_stages() {
        let p = Arc::new(Pipeline::new(PipelineConfig::default()).expect("pipeline"));
        let store = crate::dedup::store::MemoryStore::new();
        for (raw, code) in [(DE, "de"), (FR, "fr")] {
            let out = p
                .process(Bytes::from(raw), &store, false, None, &Inline)
                .await;
            let Outcome::Enriched(e) = out else {
                panic!("{code}: {out:?}")
            };
            assert_eq!(e.lang, code);
            assert!(e.processing.stages.is_empty(), "{:?}", e.processing.stages);
            assert!(e.entities.is_empty() && e.quotes.is_empty() && e.figures.is_empty());
            let again = p
                .process(Bytes::from(raw), &store, false, None, &Inline)
                .await;
            assert!(matches!(again, Outcome::Duplicate(_)), "{code}: {again:?}");
        }
        let en = p
            .process(Bytes::from(RAW), &store, false, None, &Inline)
            .await;
        let Outcome::Enriched(e) = en else {
            panic!("{en:?}")
        };
        assert_eq!(e.lang, "en");
        assert_eq!(e.processing.stages, vec!["entities", "quotes", "figures"]);
    }
}
