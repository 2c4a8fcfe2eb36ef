//! NATS connection flags shared by `run`, `publish` and `tail`. Secrets are
//! read from flags or `LEDE_*` variables but never echoed (`--help` hides
//! their environment values; `Debug` redacts them).

use std::path::PathBuf;

use clap::Args;

use lede::service::config::{NatsConfig, Secret};

#[derive(Debug, Args, Clone, Default)]
pub struct NatsArgs {
    /// NATS server URL(s), comma separated [default: nats://127.0.0.1:4222].
    #[arg(long, env = "LEDE_NATS_URL")]
    pub nats_url: Option<String>,
    /// User name for user/password authentication.
    #[arg(long, env = "LEDE_NATS_USER")]
    pub nats_user: Option<String>,
    /// Password (prefer the environment variable over the flag).
    #[arg(long, env = "LEDE_NATS_PASSWORD", hide_env_values = true)]
    pub nats_password: Option<String>,
    /// Authentication token (prefer the environment variable).
    #[arg(long, env = "LEDE_NATS_TOKEN", hide_env_values = true)]
    pub nats_token: Option<String>,
    /// NATS credentials file (JWT + nkey seed).
    #[arg(long, env = "LEDE_NATS_CREDS")]
    pub nats_creds: Option<PathBuf>,
    /// NKey seed (prefer the environment variable).
    #[arg(long, env = "LEDE_NATS_NKEY", hide_env_values = true)]
    pub nats_nkey: Option<String>,
    /// CA certificate (PEM) to verify the server; implies TLS.
    #[arg(long, env = "LEDE_TLS_CA")]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate (PEM) for mutual TLS (with --tls-key).
    #[arg(long, env = "LEDE_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// Client private key (PEM) for mutual TLS.
    #[arg(long, env = "LEDE_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
}

impl NatsArgs {
    /// Merge with the config file's values (flags and env win) into a config.
    pub fn resolve(&self, file: &lede::service::config::FileConfig, name: &str) -> NatsConfig {
        let secret = |s: &Option<String>| s.clone().map(Secret);
        NatsConfig {
            url: self
                .nats_url
                .clone()
                .or_else(|| file.nats_url.clone())
                .unwrap_or_else(|| "nats://127.0.0.1:4222".into()),
            user: self.nats_user.clone().or_else(|| file.nats_user.clone()),
            password: secret(&self.nats_password).or_else(|| file.nats_password.clone()),
            token: secret(&self.nats_token).or_else(|| file.nats_token.clone()),
            creds_file: self.nats_creds.clone().or_else(|| file.nats_creds.clone()),
            nkey_seed: secret(&self.nats_nkey).or_else(|| file.nats_nkey.clone()),
            tls_ca: self.tls_ca.clone().or_else(|| file.tls_ca.clone()),
            tls_cert: self.tls_cert.clone().or_else(|| file.tls_cert.clone()),
            tls_key: self.tls_key.clone().or_else(|| file.tls_key.clone()),
            tls_required: false,
            name: name.to_string(),
        }
    }
}
