//! The enriched output record and the items every stage produces. This is
//! the wire contract on the enriched subject (see `schema/enriched.schema.json`).
//! All offsets are UTF-8 byte offsets into the output `body`, end exclusive,
//! always on char boundaries, except for a span marked as in the title
//! (`"field": "title"` on quotes and figures, a third item `"title"` on a
//! span pair), whose offsets point into `title`.
//!
//! The wire form is compact (schema 2): absent values are left out rather
//! than written as `null`; spans are `[start, end]` without their text (the
//! text is `body[start..end]`; an entity's name is given once, as
//! `canonical`); entity ids are positions (`"e3"` is `entities[3]`); the
//! MinHash bands are written only on request.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Enriched {
    pub schema_version: u32,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// A text span, used for mentions, cues and speakers. On the wire only the
/// offsets, as the pair `[start, end]` (the text is `body[start..end]`), or
/// `[start, end, "title"]` when it points into the title.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Mention {
    #[serde(default)]
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// `Some(Title)` when the offsets point into the title; absent: the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entity {
    /// Stable within the article: "e0", "e1", ... in order of first mention,
    /// so "e<i>" is `entities[i]`; not on the wire (a speaker's `entity`
    /// names it).
    #[serde(default, skip_serializing)]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub canonical: String,
    /// On the wire each mention is `[start, end]`.
    pub mentions: Vec<Mention>,
    /// `mentions.len()`; not on the wire.
    #[serde(default, skip_serializing)]
    pub count: usize,
    /// Start of the first body mention; for a name only in the title, of its
    /// first title mention (mentions are in reading order, title first); not
    /// on the wire.
    #[serde(default, skip_serializing)]
    pub first_offset: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Partial,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Speaker {
    /// The mention as written ("he", "the Ukrainian president", "Zelensky").
    pub mention: Mention,
    /// The resolved canonical name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// The entity id in this record's `entities`, when linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
}

/// A span is written `[start, end]`, or `[start, end, "title"]`.
impl Serialize for Mention {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let title = self.field == Some(Field::Title);
        let mut t = s.serialize_tuple(if title { 3 } else { 2 })?;
        t.serialize_element(&self.start)?;
        t.serialize_element(&self.end)?;
        if title {
            t.serialize_element("title")?;
        }
        t.end()
    }
}

/// A speaker linked to an entity is written `{mention, entity}`: the name
/// is that entity's `canonical`. An unlinked one keeps its `canonical`.
impl Serialize for Speaker {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("mention", &self.mention)?;
        match (&self.entity, &self.canonical) {
            (Some(e), _) => m.serialize_entry("entity", e)?,
            (None, Some(c)) => m.serialize_entry("canonical", c)?,
            (None, None) => {}
        }
        m.end()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Quote {
    /// The quoted text, without the surrounding quote marks
    /// (`body[start..end]`; not on the wire).
    #[serde(default, skip_serializing)]
    pub text: String,
    /// Span of the quoted text (inside the marks).
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<Mention>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FigureKind>,
    /// `body[start..end]`; not on the wire.
    #[serde(default, skip_serializing)]
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The normalised value (for ranges, absent or the midpoint is not used: see low/high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// ISO 4217 code for money, `%` or `pp` for percent, the counted noun
    /// (singular, lower case) for counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// "about", "nearly", "more than", ... as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// "lower" (at least / more than) or "upper" (up to / less than).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    /// ISO date or interval ("2025-03-03", "2024-01-01/2024-12-31") when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The relative expression when it could not be resolved ("this Friday").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<String>,
    /// The phrase the figure quantifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Hash of the normalised content (the record's `content_hash`; not
    /// repeated on the wire).
    #[serde(default, skip_serializing)]
    pub content: String,
    /// MinHash band hashes, hex of each 64-bit value (for near-duplicate
    /// search); only with `--fingerprints`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub minhash_bands: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct DedupInfo {
    pub blocks_kept: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
