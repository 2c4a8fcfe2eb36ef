//! lede: a streaming news enrichment worker. Articles flow one way:
//! transport -> decode ([`article`]) -> dedup ([`dedup`]) -> enrichment
//! stages ([`enrich`]) -> encode ([`output`]) -> transport. [`pipeline`] is
//! that path, shared by the service, replay, eval and bench.

pub mod article;
pub mod dedup;
pub mod enrich;
pub mod eval;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod text;
