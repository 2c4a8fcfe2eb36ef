//! Security basics against real nats-servers: user/password, token,
//! credentials in the URL, and TLS (a
//! self-signed CA and server certificate generated here with rcgen); a wrong
//! password or an untrusted server certificate ends `lede run` with a clear
//! error instead of silent retries; secrets never reach the worker's logs
//! (RUST_LOG=debug, async-nats included) nor `--help`; the admin endpoint
//! defaults to localhost.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use async_nats::jetstream;
use common::*;

const T: Duration = Duration::from_secs(60);
const PASSWORD: &str = "pw-Zq8v1xK3rT9mNc";

fn article() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "sec-1",
        "title": "Council approves budget",
        "body": "The council of Kelmora approved its budget on Tuesday.\n\n\u{201C}It is balanced,\u{201D} said Anna Verlaine.",
    }))
    .unwrap()
}

async fn connect_with(url: &str, opts: async_nats::ConnectOptions) -> jetstream::Context {
    let client = opts.connect(url).await.expect("test client connects");
    jetstream::new(client)
}

/// Wait for the worker to exit; its exit code.
fn wait_exit(w: &mut WorkerProc, timeout: Duration) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Some(st) = w.exited() {
            return st.code();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn auth_conf() -> String {
    format!("authorization {{\n  user: lede\n  password: \"{PASSWORD}\"\n}}\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_password_works_and_never_reaches_the_logs() {
    let server = NatsServer::start_with_config(Some(auth_conf()));
    let js = connect_with(
        &server.url(),
        async_nats::ConnectOptions::with_user_and_password("lede".into(), PASSWORD.into()),
    )
    .await;
    ensure_raw_stream(&js).await;
    publish(&js, "articles.raw", article(), None).await;
    let log = server.dir.path().join("worker.log");
    let mut worker = WorkerProc::start_opts(
        &server.url(),
        &["--nats-user", "lede"],
        &WorkerOpts {
            env: vec![("LEDE_NATS_PASSWORD", PASSWORD.to_string())],
            rust_log: Some("debug"),
            stderr_to: Some(log.clone()),
            ..Default::default()
        },
    );
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await,
        "not enriched with user/password auth"
    );
    assert_eq!(worker.terminate(), Some(0));
    let text = std::fs::read_to_string(&log).expect("worker log");
    assert!(
        text.contains("connected"),
        "debug log looks empty: {text:.500}"
    );
    assert!(!text.contains(PASSWORD), "password in the worker's log");
}

/// Token authentication (`LEDE_NATS_TOKEN`), the token kept out of the logs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_works_and_never_reaches_the_logs() {
    let token = "tok-Vb6nQ1zR8wLp";
    let server = NatsServer::start_with_config(Some(format!(
        "authorization {{\n  token: \"{token}\"\n}}\n"
    )));
    let js = connect_with(
        &server.url(),
        async_nats::ConnectOptions::with_token(token.into()),
    )
    .await;
    ensure_raw_stream(&js).await;
    publish(&js, "articles.raw", article(), None).await;
    let log = server.dir.path().join("worker.log");
    let mut worker = WorkerProc::start_opts(
        &server.url(),
        &[],
        &WorkerOpts {
            env: vec![("LEDE_NATS_TOKEN", token.to_string())],
            rust_log: Some("debug"),
            stderr_to: Some(log.clone()),
            ..Default::default()
        },
    );
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await,
        "not enriched with token auth"
    );
    assert_eq!(worker.terminate(), Some(0));
    let text = std::fs::read_to_string(&log).expect("worker log");
    assert!(text.contains("connected"), "{text:.500}");
    assert!(!text.contains(token), "token in the worker's log");
}

/// `nats://user:password@host` works, and the password in the URL does not
/// reach the worker's logs either (ours or async-nats' debug output).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_the_url_work_and_never_reach_the_logs() {
    let server = NatsServer::start_with_config(Some(auth_conf()));
    let js = connect_with(
        &server.url(),
        async_nats::ConnectOptions::with_user_and_password("lede".into(), PASSWORD.into()),
    )
    .await;
    ensure_raw_stream(&js).await;
    publish(&js, "articles.raw", article(), None).await;
    let log = server.dir.path().join("worker.log");
    let url = format!("nats://lede:{PASSWORD}@127.0.0.1:{}", server.port);
    let mut worker = WorkerProc::start_opts(
        &url,
        &[],
        &WorkerOpts {
            rust_log: Some("debug"),
            stderr_to: Some(log.clone()),
            ..Default::default()
        },
    );
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await,
        "not enriched with credentials in the URL"
    );
    assert_eq!(worker.terminate(), Some(0));
    let text = std::fs::read_to_string(&log).expect("worker log");
    assert!(text.contains("lede worker starting"), "{text:.500}");
    assert!(
        !text.contains(PASSWORD),
        "password from the URL in the worker's log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_fails_fast_with_a_clear_error() {
    let server = NatsServer::start_with_config(Some(auth_conf()));
    let log = server.dir.path().join("worker.log");
    let wrong = "wrong-Hx7pQ2";
    let mut worker = WorkerProc::start_opts(
        &server.url(),
        &["--nats-user", "lede"],
        &WorkerOpts {
            env: vec![("LEDE_NATS_PASSWORD", wrong.to_string())],
            rust_log: Some("debug"),
            stderr_to: Some(log.clone()),
            ..Default::default()
        },
    );
    let code = wait_exit(&mut worker, Duration::from_secs(20));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(
        code,
        Some(1),
        "expected exit 1 on refused credentials; log: {text:.2000}"
    );
    assert!(
        text.contains("refused the credentials") && text.contains("--nats-password"),
        "error does not say what is wrong and what to do: {text:.2000}"
    );
    assert!(!text.contains(wrong), "the password was logged");
}

/// CA, server certificate (SAN 127.0.0.1 and localhost) and key, as PEM files in `dir`.
fn make_certs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "lede test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca cert");
    let key = KeyPair::generate().expect("server key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("server params");
    params
        .distinguished_name
        .push(DnType::CommonName, "lede test server");
    let cert = params.signed_by(&key, &ca, &ca_key).expect("server cert");
    let paths = (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server-key.pem"),
    );
    std::fs::write(&paths.0, ca.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    (paths.0, paths.1, paths.2)
}

fn tls_server() -> (NatsServer, tempfile::TempDir, PathBuf) {
    let certs = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certs(certs.path());
    let conf = format!(
        "tls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n  timeout: 5\n}}\n",
        cert.display(),
        key.display()
    );
    (NatsServer::start_with_config(Some(conf)), certs, ca)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_a_private_ca_works() {
    let (server, _certs, ca) = tls_server();
    let js = connect_with(
        &server.url(),
        async_nats::ConnectOptions::new()
            .add_root_certificates(ca.clone())
            .require_tls(true),
    )
    .await;
    ensure_raw_stream(&js).await;
    publish(&js, "articles.raw", article(), None).await;
    let ca_arg = ca.display().to_string();
    let mut worker = WorkerProc::start(&server.url(), &["--tls-ca", &ca_arg]);
    assert!(
        wait_until(T, || async {
            stream_len(&js, "ARTICLES_ENRICHED").await == 1
        })
        .await,
        "not enriched over TLS"
    );
    assert!(wait_until(T, || async { consumer_backlog(&js).await == Some((0, 0)) }).await);
    assert_eq!(worker.terminate(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_an_untrusted_certificate_fails_with_a_clear_error() {
    let (server, certs, _ca) = tls_server();
    let log = certs.path().join("worker.log");
    // No --tls-ca: the system roots do not know the test CA.
    let mut worker = WorkerProc::start_opts(
        &server.url(),
        &[],
        &WorkerOpts {
            stderr_to: Some(log.clone()),
            ..Default::default()
        },
    );
    let code = wait_exit(&mut worker, Duration::from_secs(20));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(code, Some(1), "expected exit 1; log: {text:.2000}");
    assert!(
        text.contains("TLS") && text.contains("--tls-ca"),
        "unclear: {text:.2000}"
    );
}

#[test]
fn help_never_prints_secrets() {
    let secrets = [
        ("LEDE_NATS_PASSWORD", "pw-help-Lk3j9"),
        ("LEDE_NATS_TOKEN", "tok-help-88qz"),
        (
            "LEDE_NATS_NKEY",
            "SUAHELPSEED0000000000000000000000000000000000000000000000",
        ),
    ];
    for args in [
        &["run", "--help"][..],
        &["publish", "--help"],
        &["tail", "--help"],
        &["run", "-h"],
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.args(args);
        for (k, v) in secrets {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run lede --help");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{args:?}: {text}");
        assert!(
            text.contains("LEDE_NATS_PASSWORD") || args[0] != "run",
            "{args:?}: env var not documented"
        );
        for (k, v) in secrets {
            assert!(!text.contains(v), "{args:?} prints {k}'s value");
        }
    }
}

#[test]
fn admin_endpoint_defaults_to_localhost() {
    let c = lede::service::config::ServiceConfig::default();
    assert!(c.admin_addr.ip().is_loopback(), "{}", c.admin_addr);
    let out = Command::new(env!("CARGO_BIN_EXE_lede"))
        .args(["run", "--help"])
        .output()
        .expect("help");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("default: 127.0.0.1:9090"), "{text}");
}
