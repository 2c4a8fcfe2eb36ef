//! Connecting to NATS: authentication (user/password, token, creds file,
//! nkey), TLS, jittered reconnect backoff ([`crate::backoff`]), and
//! connection events fed into [`Health`] and [`Metrics`]. Every error and
//! reconnect log line names the server address (credentials taken out).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_nats::{ConnectError, ConnectErrorKind, ConnectOptions, Event};

use super::config::NatsConfig;
use crate::admin::Health;
use crate::metrics::Metrics;

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
    let shown = redact_url(&cfg.url);
    Ok(opts
        .name(&cfg.name)
        .max_reconnects(None)
        .connection_timeout(Duration::from_secs(5))
        .reconnect_delay_callback(move |attempts| {
            let d = crate::backoff::delay(attempts);
            // Called before each attempt: from the second on, the last failed.
            if attempts >= 2 {
                tracing::warn!(
                    "cannot reach NATS at {shown} (attempt {}); next attempt in {} ms",
                    attempts - 1,
                    d.as_millis()
                );
            }
            d
        }))
}

/// The error to stop on at once when a connection attempt fails for a
/// reason retrying cannot fix (credentials, TLS, a malformed URL); `None`
/// when the server is merely not reachable.
fn fatal(e: &ConnectError, shown: &str) -> Option<anyhow::Error> {
    // rustls certificate failures arrive as IO errors.
    let text = e.to_string().to_ascii_lowercase();
    let kind = if text.contains("certificate") || text.contains("tls") {
        ConnectErrorKind::Tls
    } else {
        e.kind()
    };
    match kind {
        ConnectErrorKind::AuthorizationViolation | ConnectErrorKind::Authentication => {
            Some(anyhow::anyhow!(
                "NATS at {shown} refused the credentials ({e}): check --nats-user and \
                 --nats-password (LEDE_NATS_PASSWORD), --nats-token, --nats-creds or --nats-nkey"
            ))
        }
        ConnectErrorKind::Tls => Some(anyhow::anyhow!(
            "TLS with NATS at {shown} failed ({e}): check --tls-ca (the CA that signed the \
             server certificate), the server name in the URL, and --tls-cert/--tls-key"
        )),
        ConnectErrorKind::ServerParse => Some(anyhow::anyhow!(
            "--nats-url {shown:?} is not a valid NATS URL list ({e})"
        )),
        _ => None,
    }
}

/// The server URLs without credentials, as the client takes them.
fn server_urls(cfg: &NatsConfig) -> Vec<String> {
    cfg.url
        .split(',')
        .map(|s| split_userinfo(s.trim()).0)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Connect for a one-shot command (`publish`, `tail`): retry while the
/// server is not reachable, but give up after `within` with an error that
/// names the address. Once connected the client reconnects as the service's
/// does.
pub async fn connect_within(
    cfg: &NatsConfig,
    within: Duration,
) -> anyhow::Result<async_nats::Client> {
    let shown = redact_url(&cfg.url);
    let deadline = tokio::time::Instant::now() + within;
    let mut attempt = 0usize;
    let mut last = String::from("no answer");
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let opts = options(cfg).await?;
        match tokio::time::timeout(left, opts.connect(server_urls(cfg))).await {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(e)) => {
                if let Some(fatal) = fatal(&e, &shown) {
                    return Err(fatal);
                }
                last = e.to_string();
            }
            Err(_) => break,
        }
        let d = crate::backoff::delay(attempt);
        attempt += 1;
        if tokio::time::Instant::now() + d >= deadline {
            break;
        }
        tokio::time::sleep(d).await;
    }
    anyhow::bail!(
        "cannot connect to NATS at {shown} within {} s ({last}); is nats-server running \
         there? (--nats-url sets the address, --connect-timeout-secs the wait)",
        within.as_secs_f64()
    )
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
    let urls = server_urls(cfg);
    let shown = redact_url(&cfg.url);
    let events = Events::new(health.clone(), metrics, &shown);
    let first = events
        .clone()
        .attach(options(cfg).await?)
        .connect(urls.clone())
        .await;
    let client = match first {
        Ok(client) => client,
        Err(e) => {
            if let Some(fatal) = fatal(&e, &shown) {
                return Err(fatal);
            }
            tracing::warn!("cannot reach NATS at {shown} yet ({e}); retrying in the background");
            events
                .attach(options(cfg).await?)
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

/// Connection events, fed into health and metrics and logged with the
/// server address.
#[derive(Clone)]
struct Events {
    health: Arc<Health>,
    metrics: Arc<Metrics>,
    shown: Arc<str>,
    /// Set on the first connect: later connects are reconnects.
    connected_once: Arc<std::sync::atomic::AtomicBool>,
}

impl Events {
    fn new(health: Arc<Health>, metrics: Arc<Metrics>, shown: &str) -> Self {
        Events {
            health,
            metrics,
            shown: shown.into(),
            connected_once: Arc::default(),
        }
    }

    fn attach(self, opts: ConnectOptions) -> ConnectOptions {
        opts.event_callback(move |event| {
            let ev = self.clone();
            async move { ev.on(event) }
        })
    }

    fn on(&self, event: Event) {
        use std::sync::atomic::Ordering;
        let (h, m, shown) = (&self.health, &self.metrics, &self.shown);
        match event {
            Event::Connected => {
                h.set_connected(true);
                m.connected.set(1);
                if self.connected_once.swap(true, Ordering::SeqCst) {
                    m.reconnects.inc();
                    tracing::info!("reconnected to NATS at {shown}");
                } else {
                    tracing::info!("connected to NATS at {shown}");
                }
            }
            Event::Disconnected if h.shutting_down() => {
                tracing::info!("disconnected from NATS at {shown} (shutting down)");
                h.set_connected(false);
                m.connected.set(0);
            }
            Event::Disconnected => {
                tracing::warn!("disconnected from NATS at {shown}; reconnecting with backoff");
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
            Event::LameDuckMode => tracing::warn!("NATS server at {shown} entered lame duck mode"),
            Event::Closed => {
                h.set_connected(false);
                m.connected.set(0);
            }
            other => tracing::warn!("NATS at {shown}: {other}"),
        }
    }
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
    fn reconnects_count_only_connects_after_the_first() {
        let m = Arc::new(Metrics::new());
        let ev = Events::new(Arc::new(Health::new()), m.clone(), "nats://h:4222");
        ev.on(Event::Connected);
        assert_eq!(m.reconnects.get(), 0);
        ev.on(Event::Disconnected);
        ev.on(Event::Connected);
        assert_eq!(m.reconnects.get(), 1);
    }

    #[tokio::test]
    async fn a_dead_server_fails_within_the_bound_and_names_the_address() {
        // A port nobody listens on: bind one, then drop it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(1);
        let cfg = NatsConfig {
            url: format!("nats://user:pw@127.0.0.1:{port}"),
            name: "t".into(),
            ..NatsConfig::default()
        };
        let started = std::time::Instant::now();
        let err = connect_within(&cfg, Duration::from_millis(1500))
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
        assert!(err.contains(&format!("nats://127.0.0.1:{port}")), "{err}");
        assert!(!err.contains("pw"), "{err}");
    }
}
