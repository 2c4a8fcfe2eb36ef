//! JetStream KV store (in progress).
