//! Named entities (placeholder until the entities issue lands: finds nothing).

use super::Document;
use crate::output::Entity;

/// The trained tagger and gazetteers, loaded once from bytes embedded in the binary.
#[derive(Debug, Default)]
pub struct EntityModel {}

impl EntityModel {
    pub fn embedded() -> anyhow::Result<Self> {
        Ok(EntityModel {})
    }
}

/// Extract the entities of `doc`.
pub fn extract(_model: &EntityModel, _doc: &Document) -> Vec<Entity> {
    Vec::new()
}
