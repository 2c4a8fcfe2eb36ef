//! Enrichment stages. Each stage is a pure function of the [`Document`]
//! (and of earlier stages' output): no I/O, no clock, no globals. The
//! [`Enricher`] runs them in order: entities -> quotes (speakers link to
//! entities) -> figures.

pub mod entities;
pub mod figures;
pub mod quotes;

use std::sync::Arc;

use crate::output::{Entity, Figure, Quote};
use crate::text::TextLayer;

/// One article's normalised text and its text layer, read by every stage.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    /// The body after in-article dedup; every offset points into it.
    pub body: String,
    pub layer: TextLayer,
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
        let layer = TextLayer::build(&body);
        Document {
            title: title.into(),
            body,
            layer,
            published_at,
        }
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
        let quotes = if self.stages.quotes {
            quotes::extract(doc, &entities)
        } else {
            Vec::new()
        };
        let figures = if self.stages.figures {
            figures::extract(doc)
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
