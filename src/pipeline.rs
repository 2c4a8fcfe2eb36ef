//! One article, one way through: decode -> in-article dedup -> keys ->
//! (store claim) -> enrichment stages -> the [`Enriched`] record. The result
//! is an [`Outcome`]; turning it into ack / nak / term / DLQ is the worker's
//! job alone. `run`, `replay`, `eval` and `bench` all call this code.

use std::time::Instant;

use crate::article::{decode, Article, DecodeError, DecodeLimits};
use crate::dedup::blocks::{dedup_blocks, BlockDedup};
use crate::dedup::keys::{canonical_url, content_hash_folded};
use crate::dedup::near::{band_hashes, fingerprint_folded, NearConfig};
use crate::dedup::store::SeenStore;
use crate::dedup::{DedupKeys, Verdict};
use crate::enrich::{Document, Enricher, StageSet};
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
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            limits: DecodeLimits::default(),
            near: NearConfig::default(),
            dedup: true,
            stages: StageSet::ALL,
        }
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
        let (title, body, e) = if self.config.stages == StageSet::NONE {
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
            lang: p.article.language.unwrap_or_else(|| "en".to_string()),
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
                    minhash_bands: band_hashes(&p.keys.near, &self.config.near)
                        .iter()
                        .map(|h| format!("{h:016x}"))
                        .collect(),
                },
            },
            processing: Processing {
                worker_version: env!("CARGO_PKG_VERSION").to_string(),
                host: self.host.clone(),
                elapsed_us: p.started.elapsed().as_micros() as u64,
                enriched_at,
                stages: self.config.stages.names(),
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

    /// The whole way: decode, claim in `store`, enrich. `redelivered` says the
    /// transport delivered this same message before (see [`SeenStore::claim`]).
    pub async fn process(&self, raw: &[u8], store: &dyn SeenStore, redelivered: bool) -> Outcome {
        let prepared = match self.prepare(raw) {
            Ok(p) => p,
            Err(e) => return Outcome::Poison(e),
        };
        match self.claim(prepared, store, redelivered).await {
            Ok(p) => Outcome::Enriched(Box::new(self.enrich(p))),
            Err(outcome) => outcome,
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
        assert_eq!(ef.dedup.fingerprints.minhash_bands.len(), 40);
        assert!(eb.dedup.fingerprints.minhash_bands.is_empty());
    }
}
