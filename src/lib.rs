//! lede: a streaming news enrichment worker. Articles flow one way:
//! transport -> decode ([`article`]) -> dedup ([`dedup`]) -> enrichment
//! stages ([`enrich`]) -> encode ([`output`]) -> transport. [`pipeline`] is
//! that path, shared by the service, replay, eval and bench.

pub mod admin;
pub mod article;
pub mod backoff;
pub mod dedup;
pub mod enrich;
pub mod eval;
pub mod input;
pub mod lang;
pub mod metrics;
pub mod output;
pub mod pipeline;
pub mod service;
pub mod text;
