//! Quotations and their speakers (placeholder until the quotes issue lands: finds nothing).

use super::Document;
use crate::output::{Entity, Quote};

/// Extract the quotes of `doc`, linking speakers to `entities`.
pub fn extract(_doc: &Document, _entities: &[Entity]) -> Vec<Quote> {
    Vec::new()
}
