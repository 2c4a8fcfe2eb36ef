//! Enrichment stages. Each stage is a pure function of the [`Document`]
//! (and of earlier stages' output): no I/O, no clock, no globals. The
//! [`Enricher`] runs them in order: entities -> quotes (speakers link to
//! entities) -> figures.

pub mod entities;
pub mod figures;
pub mod quotes;

use std::sync::Arc;

use crate::output::{Entity, Field, Figure, Quote};
use crate::text::TextLayer;

/// One article's normalised text and its text layer, read by every stage.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    /// The body after in-article dedup; every offset points into it.
    pub body: String,
    pub layer: TextLayer,
    /// The text layer of the title (empty for an empty title).
    pub title_layer: TextLayer,
    /// RFC 3339 publication time, used to resolve relative dates.
    pub published_at: Option<String>,
}

impl Document {
    pub fn new(
        title: impl Into<String>,
        body: impl Into<String>,
        published_at: Option<String>,
    ) -> Self {
        let body = body.into();
        let title = title.into();
        let layer = TextLayer::build(&body);
        let title_layer = TextLayer::build(&title);
        Document {
            title,
            body,
            layer,
            title_layer,
            published_at,
        }
    }

    /// The title as a document of its own (its body is the title), for the
    /// stages that read one text; `None` when the title is blank.
    pub fn title_document(&self) -> Option<Document> {
        if self.title.trim().is_empty() {
            return None;
        }
        Some(Document {
            title: String::new(),
            body: self.title.clone(),
            layer: self.title_layer.clone(),
            title_layer: TextLayer::default(),
            published_at: self.published_at.clone(),
        })
    }
}

/// What the stages add to one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Enrichment {
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub figures: Vec<Figure>,
}

/// Which stages run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageSet {
    pub entities: bool,
    pub quotes: bool,
    pub figures: bool,
}

impl StageSet {
    pub const ALL: StageSet = StageSet {
        entities: true,
        quotes: true,
        figures: true,
    };
    pub const NONE: StageSet = StageSet {
        entities: false,
        quotes: false,
        figures: false,
    };
    pub fn names(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.entities {
            v.push("entities".to_string());
        }
        if self.quotes {
            v.push("quotes".to_string());
        }
        if self.figures {
            v.push("figures".to_string());
        }
        v
    }
}

/// Runs the enrichment stages with their loaded models.
#[derive(Clone)]
pub struct Enricher {
    pub entity_model: Arc<entities::EntityModel>,
    pub stages: StageSet,
}

impl Enricher {
    /// Load the embedded models and enable `stages`.
    pub fn new(stages: StageSet) -> anyhow::Result<Self> {
        Ok(Enricher {
            entity_model: Arc::new(entities::EntityModel::embedded()?),
            stages,
        })
    }

    pub fn enrich(&self, doc: &Document) -> Enrichment {
        let entities = if self.stages.entities {
            entities::extract(&self.entity_model, doc)
        } else {
            Vec::new()
        };
        // Quotes and figures in the headline: the stages read the title as a
        // small text of its own; its spans are marked `field: title`.
        let title_doc = if self.stages.quotes || self.stages.figures {
            doc.title_document()
        } else {
            None
        };
        let quotes = if self.stages.quotes {
            let mut q = Vec::new();
            if let Some(t) = &title_doc {
                let title_entities = entities::title_only(&entities);
                q = quotes::extract(t, &title_entities);
                q.iter_mut().for_each(mark_quote_title);
            }
            q.extend(quotes::extract(doc, &entities));
            q
        } else {
            Vec::new()
        };
        let figures = if self.stages.figures {
            let mut f = Vec::new();
            if let Some(t) = &title_doc {
                f = figures::extract(t);
                f.iter_mut().for_each(|x| x.field = Some(Field::Title));
            }
            f.extend(figures::extract(doc));
            f
        } else {
            Vec::new()
        };
        Enrichment {
            entities,
            quotes,
            figures,
        }
    }
}

/// Mark a quote found in the title, and every span inside it, as pointing
/// into the title.
fn mark_quote_title(q: &mut Quote) {
    q.field = Some(Field::Title);
    for m in [q.cue.as_mut(), q.content.as_mut()].into_iter().flatten() {
        m.field = Some(Field::Title);
    }
    if let Some(s) = q.speaker.as_mut() {
        s.mention.field = Some(Field::Title);
    }
}
