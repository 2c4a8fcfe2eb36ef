//! Connecting to NATS: authentication (user/password, token, creds file,
//! nkey), TLS, jittered reconnect backoff, and connection events fed into
//! [`Health`] and [`Metrics`].

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_nats::{ConnectErrorKind, ConnectOptions, Event};
use rand::Rng;

use super::config::NatsConfig;
use super::health::Health;
use crate::metrics::Metrics;

/// Reconnect delay: exponential from 100 ms, capped at 5 s, with full jitter
/// so that many replicas do not reconnect in lockstep.
pub fn reconnect_delay(attempts: usize) -> Duration {
    let cap_ms: u64 = 5_000;
    let exp = 100u64.saturating_mul(1u64 << attempts.min(16));
    let ceiling = exp.min(cap_ms).max(1);
    let ms = rand::thread_rng().gen_range(ceiling / 2..=ceiling);
    Duration::from_millis(ms)
}

/// Split one server URL into the URL without `user:password@` and those
/// credentials (percent-encoding kept as written).
fn split_userinfo(u: &str) -> (String, Option<(String, String)>) {
    let (scheme, rest) = match u.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), u),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            (
                format!("{scheme}{host}{tail}"),
                Some((user.to_string(), pass.to_string())),
            )
        }
        None => (u.to_string(), None),
    }
}

/// The server URL list without credentials, safe for logs and errors.
pub fn redact_url(url: &str) -> String {
    url.split(',')
        .map(|u| split_userinfo(u.trim()).0)
        .collect::<Vec<_>>()
        .join(",")
}

/// Credentials written into the URL (`nats://user:pass@host`), if any.
fn url_credentials(url: &str) -> Option<(String, String)> {
    url.split(',').find_map(|u| split_userinfo(u.trim()).1)
}

/// Build the connect options from the config (no I/O but reading a creds
/// file). Reconnects forever with jittered backoff once connected.
pub async fn options(cfg: &NatsConfig) -> anyhow::Result<ConnectOptions> {
    let mut opts = ConnectOptions::new();
    if let Some(path) = &cfg.creds_file {
        opts = opts
            .credentials_file(path)
            .await
            .with_context(|| format!("cannot read NATS creds file {}", path.display()))?;
    }
    if let Some(user) = &cfg.user {
        let pass = cfg
            .password
            .as_ref()
            .map(|s| s.0.clone())
            .unwrap_or_default();
        opts = opts.user_and_password(user.clone(), pass);
    }
    if cfg.user.is_none() && cfg.token.is_none() {
        // Credentials in the URL are taken out of it (so that neither our
        // logs nor the client's debug logs print them) and passed as options.
        match url_credentials(&cfg.url) {
            Some((user, pass)) if pass.is_empty() => opts = opts.token(user),
            Some((user, pass)) => opts = opts.user_and_password(user, pass),
            None => {}
        }
    }
    if let Some(token) = &cfg.token {
        opts = opts.token(token.0.clone());
    }
    if let Some(seed) = &cfg.nkey_seed {
        opts = opts.nkey(seed.0.clone());
    }
    if let Some(ca) = &cfg.tls_ca {
        opts = opts.add_root_certificates(ca.clone());
    }
    match (&cfg.tls_cert, &cfg.tls_key) {
        (Some(c), Some(k)) => opts = opts.add_client_certificate(c.clone(), k.clone()),
        (None, None) => {}
        _ => anyhow::bail!("--tls-cert and --tls-key must be given together"),
    }
    if cfg.tls_required || cfg.tls_ca.is_some() || cfg.url.starts_with("tls://") {
        opts = opts.require_tls(true);
    }
    Ok(opts
        .name(&cfg.name)
        .max_reconnects(None)
        .connection_timeout(Duration::from_secs(5))
        .reconnect_delay_callback(reconnect_delay))
}

/// Connect, wiring connection events into health and metrics.
///
/// A first attempt fails fast on what retrying cannot fix: credentials the
/// server refuses and TLS failures end the command with a clear error
/// (exit 1) instead of retrying in silence. When the server is merely not
/// reachable yet, this returns at once and keeps trying in the background
/// (`retry_on_initial_connect`); `Health::connected` says when it got through.
pub async fn connect(
    cfg: &NatsConfig,
    health: Arc<Health>,
    metrics: Arc<Metrics>,
) -> anyhow::Result<async_nats::Client> {
    let urls: Vec<String> = cfg
        .url
        .split(',')
        .map(|s| split_userinfo(s.trim()).0)
        .filter(|s| !s.is_empty())
        .collect();
    let shown = redact_url(&cfg.url);
    let first = with_events(options(cfg).await?, health.clone(), metrics.clone())
        .connect(urls.clone())
        .await;
    let client = match first {
        Ok(client) => client,
        Err(e) => {
            // rustls certificate failures arrive as IO errors.
            let text = e.to_string().to_ascii_lowercase();
            let kind = if text.contains("certificate") || text.contains("tls") {
                ConnectErrorKind::Tls
            } else {
                e.kind()
            };
            match kind {
                ConnectErrorKind::AuthorizationViolation | ConnectErrorKind::Authentication => {
                    anyhow::bail!(
                        "NATS at {} refused the credentials ({e}): check --nats-user and \
                         --nats-password (LEDE_NATS_PASSWORD), --nats-token, --nats-creds or --nats-nkey",
                        shown
                    )
                }
                ConnectErrorKind::Tls => anyhow::bail!(
                    "TLS with NATS at {} failed ({e}): check --tls-ca (the CA that signed the \
                     server certificate), the server name in the URL, and --tls-cert/--tls-key",
                    shown
                ),
                ConnectErrorKind::ServerParse => {
                    anyhow::bail!("--nats-url {:?} is not a valid NATS URL list ({e})", shown)
                }
                _ => tracing::warn!(
                    "cannot reach NATS at {} yet ({e}); retrying in the background",
                    shown
                ),
            }
            with_events(options(cfg).await?, health.clone(), metrics)
                .retry_on_initial_connect()
                .connect(urls)
                .await
                .with_context(|| format!("cannot connect to NATS at {shown}"))?
        }
    };
    // The Connected event may have fired before the callback could run.
    if client.connection_state() == async_nats::connection::State::Connected {
        health.set_connected(true);
    }
    Ok(client)
}

fn with_events(opts: ConnectOptions, health: Arc<Health>, metrics: Arc<Metrics>) -> ConnectOptions {
    opts.event_callback(move |event| {
        let h = health.clone();
        let m = metrics.clone();
        async move {
            match event {
                Event::Connected => {
                    tracing::info!("connected to NATS");
                    h.set_connected(true);
                    m.connected.set(1);
                    m.reconnects.inc();
                }
                Event::Disconnected => {
                    tracing::warn!("disconnected from NATS; reconnecting with backoff");
                    h.set_connected(false);
                    m.connected.set(0);
                }
                Event::SlowConsumer(sid) => {
                    tracing::warn!(
                        sid,
                        "slow consumer: NATS dropped messages for a subscription"
                    );
                    m.slow_consumer.inc();
                }
                Event::LameDuckMode => tracing::warn!("NATS server entered lame duck mode"),
                Event::Closed => {
                    h.set_connected(false);
                    m.connected.set(0);
                }
                other => tracing::warn!("NATS: {other}"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_taken_out_of_urls() {
        assert_eq!(
            redact_url("nats://lede:s3cret@h1:4222, tls://tok@h2:4222,nats://h3:4222"),
            "nats://h1:4222,tls://h2:4222,nats://h3:4222"
        );
        assert_eq!(
            url_credentials("nats://h3:4222,nats://lede:s3cret@h1:4222"),
            Some(("lede".into(), "s3cret".into()))
        );
        assert_eq!(url_credentials("nats://h:4222"), None);
        assert_eq!(split_userinfo("h:4222").0, "h:4222");
    }

    #[test]
    fn reconnect_delay_is_jittered_and_capped() {
        for a in 0..40 {
            let d = reconnect_delay(a);
            assert!(d <= Duration::from_secs(5), "{a}: {d:?}");
            assert!(d >= Duration::from_millis(50), "{a}: {d:?}");
        }
        let samples: std::collections::HashSet<_> = (0..50).map(|_| reconnect_delay(10)).collect();
        assert!(samples.len() > 1, "no jitter");
    }
}
