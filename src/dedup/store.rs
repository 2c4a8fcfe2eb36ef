//! The "seen" stores behind one trait: in memory (replay, tests), a local
//! file (`replay --state`), JetStream KV (the service).

use std::collections::HashMap;
use std::sync::Mutex;

use futures::future::BoxFuture;

use super::{DedupKeys, Verdict};
use crate::output::DuplicateMethod;

/// A store failure: transient (retry the article later).
#[derive(Debug, thiserror::Error)]
#[error("dedup store: {0}")]
pub struct StoreError(pub String);

/// Remembers claimed keys. `claim` is atomic per key: the first article id to
/// claim a key owns it. A later claim of the url/content/near keys by the
/// same id is "mine" ([`Verdict::New`]). The id key itself is "mine" only for
/// a redelivery (`redelivered`: the transport delivered this very message
/// before, e.g. the worker died before acking); a fresh message that repeats
/// an already claimed id is a duplicate (method `id`).
pub trait SeenStore: Send + Sync {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>>;
}

/// In-process store for replay and tests.
#[derive(Default)]
pub struct MemoryStore {
    owners: Mutex<HashMap<String, String>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

fn exact_keys(keys: &DedupKeys) -> Vec<(String, DuplicateMethod)> {
    let mut out = vec![(format!("id.{}", keys.id), DuplicateMethod::Id)];
    if let Some(u) = &keys.url {
        out.push((
            format!("url.{}", crate::article::short_hash(u)),
            DuplicateMethod::Url,
        ));
    }
    out.push((
        format!("content.{}", keys.content),
        DuplicateMethod::Content,
    ));
    out
}

impl SeenStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        keys: &'a DedupKeys,
        redelivered: bool,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(async move {
            let mut owners = self
                .owners
                .lock()
                .map_err(|_| StoreError("memory store lock poisoned".into()))?;
            for (k, method) in exact_keys(keys) {
                match owners.get(&k) {
                    Some(owner)
                        if owner != &keys.id || (method == DuplicateMethod::Id && !redelivered) =>
                    {
                        return Ok(Verdict::Duplicate {
                            of: owner.clone(),
                            method,
                            similarity: 1.0,
                        })
                    }
                    _ => {}
                }
            }
            for (k, _) in exact_keys(keys) {
                owners.entry(k).or_insert_with(|| keys.id.clone());
            }
            Ok(Verdict::New)
        })
    }
}
