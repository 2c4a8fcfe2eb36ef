//! The enriched output record and the items every stage produces. This is
//! the wire contract on the enriched subject (see `schema/enriched.schema.json`).
//! All offsets are UTF-8 byte offsets into the output `body`, end exclusive,
//! always on char boundaries, except for a span marked `"field": "title"`,
//! whose offsets point into `title` (headline entities, quotes, figures).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Enriched {
    pub schema_version: u32,
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published_at: Option<String>,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub content_hash: String,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub figures: Vec<Figure>,
    pub dedup: DedupInfo,
    pub processing: Processing,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Org,
    Loc,
    Norp,
    Misc,
}

impl EntityType {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Norp => "NORP",
            EntityType::Misc => "MISC",
        }
    }
}

/// The text field a span points into. Absent on the wire means the body.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
}

/// A text span with its text, used for mentions, cues and speakers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// `Some(Title)` when the offsets point into the title; absent: the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entity {
    /// Stable within the article: "e0", "e1", ... in order of first mention.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub canonical: String,
    pub mentions: Vec<Mention>,
    pub count: usize,
    /// Start of the first body mention; for a name only in the title, of its
    /// first title mention. Mentions are in reading order (title first).
    pub first_offset: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Partial,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Speaker {
    /// The mention as written ("he", "the Ukrainian president", "Zelensky").
    pub mention: Mention,
    /// The resolved canonical name, when known.
    pub canonical: Option<String>,
    /// The entity id in this record's `entities`, when linked.
    pub entity: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Quote {
    /// The quoted text, without the surrounding quote marks.
    pub text: String,
    /// Span of the quoted text (inside the marks).
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    pub cue: Option<Mention>,
    pub speaker: Option<Speaker>,
    pub confidence: f32,
    /// For a partial quote: the reported-speech clause that contains it
    /// (what the speaker is reported to have said), byte offsets into body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Mention>,
    /// `Some(Title)` when every span of this quote points into the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    Money,
    Percent,
    Count,
    Quantity,
    Year,
    Date,
    Range,
    Ordinal,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Figure {
    pub kind: Option<FigureKind>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The normalised value (for ranges, absent or the midpoint is not used: see low/high).
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// ISO 4217 code for money, `%` or `pp` for percent, the counted noun
    /// (singular, lower case) for counts.
    pub unit: Option<String>,
    /// "about", "nearly", "more than", ... as written.
    pub qualifier: Option<String>,
    pub approximate: bool,
    /// "lower" (at least / more than) or "upper" (up to / less than).
    pub bound: Option<String>,
    /// ISO date or interval ("2025-03-03", "2024-01-01/2024-12-31") when resolved.
    pub date: Option<String>,
    /// The relative expression when it could not be resolved ("this Friday").
    pub relative: Option<String>,
    /// The phrase the figure quantifies.
    pub context: Option<String>,
    /// `Some(Title)` when the offsets point into the title; absent: the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RemovedBlock {
    /// Byte offsets of the removed block in the original input text.
    pub start: usize,
    pub end: usize,
    /// Offset in the original of the first occurrence it repeats.
    pub duplicate_of: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Fingerprints {
    /// `u-` hash of the canonical URL when there is one.
    pub url: Option<String>,
    /// Hash of the normalised content (same as `content_hash`).
    pub content: String,
    /// MinHash signature, hex of each 64-bit value (for near-duplicate search).
    pub minhash_bands: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct DedupInfo {
    pub blocks_kept: usize,
    pub blocks_removed: Vec<RemovedBlock>,
    pub fingerprints: Fingerprints,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Processing {
    pub worker_version: String,
    pub host: String,
    pub elapsed_us: u64,
    pub enriched_at: String,
    /// Names of the stages that ran, in order.
    pub stages: Vec<String>,
}

/// Record published on the duplicates subject.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DuplicateRecord {
    pub id: String,
    pub duplicate_of: String,
    pub method: DuplicateMethod,
    pub similarity: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateMethod {
    Id,
    Url,
    Content,
    Near,
}

impl DuplicateMethod {
    pub fn as_str(&self) -> &'static str {
        match self {
            DuplicateMethod::Id => "id",
            DuplicateMethod::Url => "url",
            DuplicateMethod::Content => "content",
            DuplicateMethod::Near => "near",
        }
    }
}
