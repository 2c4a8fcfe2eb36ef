//! The service's stores on JetStream: the registration log every replica
//! replays into its own memory ([`log::LogStore`], the default) and the KV
//! bucket shared by all replicas ([`kv::KvStore`]).

pub mod kv;
pub mod log;
