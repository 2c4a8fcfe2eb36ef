//! Named entities: PERSON, ORG, LOC, NORP and MISC with canonical names.
//!
//! Owns the whole entity stage: the statistical tagger ([`tagger`], a greedy
//! averaged perceptron over hashed features from [`features`], trained on
//! CoNLL-2003 and shipped as `models/entities.bin`), the gazetteers
//! ([`gazetteer`], `models/gazetteer.tsv`), and the document-level pass and
//! linking ([`link`]): one label per name across the article, possessives
//! and titles stripped, surnames linked to full names, acronyms to their
//! expansions, country short forms to their canonical names, demonyms to NORP.

pub mod features;
pub mod gazetteer;
pub mod link;
pub mod tagger;

use super::Document;
use crate::output::Entity;

static MODEL_BYTES: &[u8] = include_bytes!("../../../models/entities.bin");
static GAZETTEER_TSV: &str = include_str!("../../../models/gazetteer.tsv");

/// The trained tagger and gazetteers, loaded once from bytes embedded in the binary.
#[derive(Debug, Clone)]
pub struct EntityModel {
    pub weights: tagger::Weights,
    pub gazetteer: gazetteer::Gazetteer,
}

impl EntityModel {
    /// Load the model embedded in the binary.
    pub fn embedded() -> anyhow::Result<Self> {
        Self::from_parts(MODEL_BYTES, GAZETTEER_TSV)
    }

    /// Load a model from its serialised weights and gazetteer text.
    pub fn from_parts(weights: &[u8], gazetteer_tsv: &str) -> anyhow::Result<Self> {
        Ok(EntityModel {
            weights: tagger::Weights::from_bytes(weights)?,
            gazetteer: gazetteer::Gazetteer::parse(gazetteer_tsv),
        })
    }
}

/// Extract the entities of `doc`.
pub fn extract(model: &EntityModel, doc: &Document) -> Vec<Entity> {
    let mut scratch = tagger::Scratch::default();
    let labels = tagger::tag_document(
        &model.weights,
        &model.gazetteer,
        &doc.body,
        &doc.layer,
        &mut scratch,
    );
    link::build_entities(&doc.body, &doc.layer, &labels, &model.gazetteer)
}
