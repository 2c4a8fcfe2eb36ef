//! Test harness shared by the integration tests: real nats-server processes
//! on free loopback ports with JetStream in a temp dir (stoppable and
//! restartable on the same port and storage), `lede run` worker processes,
//! and small JetStream helpers. The server binary comes from
//! `LEDE_NATS_SERVER`, else `./tools/bin/nats-server`, else `nats-server` on
//! PATH, else /usr/sbin/nats-server; `./scripts/test` provides one.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream;

pub fn nats_server_bin() -> PathBuf {
    if let Ok(p) = std::env::var("LEDE_NATS_SERVER") {
        if !p.is_empty() {
            return PathBuf::from(p);
        }
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/bin/nats-server");
    if local.exists() {
        return local;
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let c = dir.join("nats-server");
            if c.exists() {
                return c;
            }
        }
    }
    let deb = PathBuf::from("/usr/sbin/nats-server");
    if deb.exists() {
        return deb;
    }
    panic!("no nats-server found: run ./scripts/test (it installs one) or set LEDE_NATS_SERVER");
}

/// `n` distinct free ports: the listeners are held until all are bound, so
/// the system cannot hand out one port twice (a cluster needs a client and
/// a route port per node, reserved before the first node starts).
pub fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("no free port"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("local addr").port())
        .collect()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

pub fn wait_port(port: u16, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A nats-server with JetStream, owned by one test.
pub struct NatsServer {
    pub port: u16,
    pub dir: tempfile::TempDir,
    pub config: Option<String>,
    child: Option<Child>,
}

impl NatsServer {
    pub fn start() -> Self {
        Self::start_with_config(None)
    }

    /// Start with extra config file text (e.g. authorization or tls blocks).
    pub fn start_with_config(config: Option<String>) -> Self {
        Self::start_on(free_port(), config)
    }

    /// Start on a given client port.
    pub fn start_on(port: u16, config: Option<String>) -> Self {
        let mut s = NatsServer {
            port,
            dir: tempfile::tempdir().expect("tempdir"),
            config,
            child: None,
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let store = self.dir.path().join("js");
        let mut cmd = Command::new(nats_server_bin());
        cmd.args([
            "-a",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-js",
            "-sd",
        ])
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(conf) = &self.config {
            let path = self.dir.path().join("server.conf");
            std::fs::write(&path, conf).expect("write server.conf");
            cmd.arg("-c").arg(path);
        }
        let child = cmd.spawn().expect("spawn nats-server");
        self.child = Some(child);
        assert!(
            wait_port(self.port, Duration::from_secs(15)),
            "nats-server did not come up on port {}",
            self.port
        );
        // JetStream needs a moment after the port opens.
        std::thread::sleep(Duration::from_millis(200));
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Graceful stop (SIGTERM: the server flushes and closes its stores).
    pub fn terminate(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(15) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Start again after [`stop`](Self::stop) or [`terminate`](Self::terminate),
    /// on the same port with the same storage.
    pub fn start_again(&mut self) {
        if self.child.is_none() {
            self.spawn();
        }
    }

    /// Stop (SIGKILL) and start again on the same port with the same storage.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `lede run` process.
/// The `--dedup-store` the tests' workers use: `LEDE_TEST_DEDUP_STORE`, or
/// `log` (the service's default). `scripts/test` runs the fault tests with
/// each store.
pub fn test_dedup_store() -> &'static str {
    static STORE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STORE.get_or_init(|| std::env::var("LEDE_TEST_DEDUP_STORE").unwrap_or_else(|_| "log".into()))
}

pub struct WorkerProc {
    pub child: Child,
    pub admin_port: u16,
}

impl WorkerProc {
    pub fn start(url: &str, extra: &[&str]) -> Self {
        let admin_port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.arg("run")
            .args(["--nats-url", url])
            .args(["--admin-addr", &format!("127.0.0.1:{admin_port}")])
            .args(["--dedup-store", test_dedup_store(), "--ack-wait-secs", "5"])
            .args(extra)
            .env(
                "RUST_LOG",
                std::env::var("LEDE_TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::null())
            .stderr(if std::env::var("LEDE_TEST_LOG").is_ok() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        let child = cmd.spawn().expect("spawn lede run");
        WorkerProc { child, admin_port }
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait for the exit status.
    pub fn terminate(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(40) {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill9();
        None
    }

    pub fn http_get(&self, path: &str) -> Option<(u16, String)> {
        http_get(self.admin_port, path)
    }
}

impl Drop for WorkerProc {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Minimal HTTP/1.0 GET for the admin endpoint (test side only).
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let code = buf.split_whitespace().nth(1)?.parse().ok()?;
    let body = buf.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    Some((code, body))
}

pub async fn js(url: &str) -> (async_nats::Client, jetstream::Context) {
    let client = async_nats::connect(url).await.expect("connect");
    let js = jetstream::new(client.clone());
    (client, js)
}

/// Create the raw stream as the worker would (so tests can publish first).
pub async fn ensure_raw_stream(js: &jetstream::Context) {
    js.get_or_create_stream(jetstream::stream::Config {
        name: "ARTICLES_RAW".into(),
        subjects: vec!["articles.raw".into()],
        retention: jetstream::stream::RetentionPolicy::WorkQueue,
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    })
    .await
    .expect("raw stream");
}

/// Publish and wait for the ack.
pub async fn publish(
    js: &jetstream::Context,
    subject: &str,
    payload: Vec<u8>,
    msg_id: Option<&str>,
) {
    let mut pm = jetstream::message::PublishMessage::build().payload(payload.into());
    if let Some(id) = msg_id {
        pm = pm.message_id(id);
    }
    js.send_publish(subject.to_string(), pm)
        .await
        .expect("publish")
        .await
        .expect("publish ack");
}

/// A stored message: headers and payload.
pub struct Stored {
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

impl Stored {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).expect("stored payload is JSON")
    }
}

/// Every message currently in `stream` (empty when it does not exist).
pub async fn read_stream(js: &jetstream::Context, stream: &str) -> Vec<Stored> {
    let mut s = match js.get_stream(stream).await {
        Ok(s) => s,
        Err(_) => return Vec::new(),
    };
    let state = match s.info().await {
        Ok(i) => i.state.clone(),
        Err(_) => return Vec::new(),
    };
    let mut out = Vec::new();
    if state.messages == 0 {
        return out;
    }
    for seq in state.first_sequence..=state.last_sequence {
        if let Ok(m) = s.get_raw_message(seq).await {
            let headers = m
                .headers
                .iter()
                .flat_map(|(k, vs)| {
                    vs.iter()
                        .map(move |v| (k.to_string(), v.as_str().to_string()))
                })
                .collect();
            out.push(Stored {
                headers,
                payload: m.payload.to_vec(),
            });
        }
    }
    out
}

pub async fn stream_len(js: &jetstream::Context, stream: &str) -> u64 {
    match js.get_stream(stream).await {
        Ok(mut s) => s.info().await.map(|i| i.state.messages).unwrap_or(0),
        Err(_) => 0,
    }
}

/// Pending + unacknowledged messages of the worker's consumer.
pub async fn consumer_backlog(js: &jetstream::Context) -> Option<(u64, usize)> {
    let s = js.get_stream("ARTICLES_RAW").await.ok()?;
    let mut c: jetstream::consumer::PullConsumer = s.get_consumer("lede").await.ok()?;
    let info = c.info().await.ok()?;
    Some((info.num_pending, info.num_ack_pending))
}

/// Poll `f` every 100 ms until it returns true or `timeout` passes.
pub async fn wait_until<F, Fut>(timeout: Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

// ---------------------------------------------------------------------------
// Extensions for the reliability, bad-input and security tests.
// ---------------------------------------------------------------------------

pub mod corpus;

/// Options for a `lede run` process beyond [`WorkerProc::start`]: the dedup
/// store, extra environment, and stderr captured to a file.
#[derive(Default)]
pub struct WorkerOpts<'a> {
    /// `--dedup-store` value [[`test_dedup_store`]].
    pub dedup_store: Option<&'a str>,
    /// `--ack-wait-secs` [5].
    pub ack_wait_secs: Option<u64>,
    pub env: Vec<(&'a str, String)>,
    /// RUST_LOG for the worker [warn, or LEDE_TEST_LOG].
    pub rust_log: Option<&'a str>,
    /// Write the worker's stderr (logs) to this file.
    pub stderr_to: Option<PathBuf>,
}

impl WorkerProc {
    pub fn start_opts(url: &str, extra: &[&str], o: &WorkerOpts) -> Self {
        let admin_port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.arg("run")
            .args(["--nats-url", url])
            .args(["--admin-addr", &format!("127.0.0.1:{admin_port}")])
            .args(["--dedup-store", o.dedup_store.unwrap_or(test_dedup_store())])
            .args(["--ack-wait-secs", &o.ack_wait_secs.unwrap_or(5).to_string()])
            .args(extra)
            .stdout(Stdio::null());
        let log = o
            .rust_log
            .map(str::to_string)
            .or_else(|| std::env::var("LEDE_TEST_LOG").ok())
            .unwrap_or_else(|| "warn".into());
        cmd.env("RUST_LOG", log);
        for (k, v) in &o.env {
            cmd.env(k, v);
        }
        match &o.stderr_to {
            Some(path) => {
                let f = std::fs::File::create(path).expect("create worker log file");
                cmd.stderr(Stdio::from(f));
            }
            None if std::env::var("LEDE_TEST_LOG").is_ok() => {
                cmd.stderr(Stdio::inherit());
            }
            None => {
                cmd.stderr(Stdio::null());
            }
        }
        let child = cmd.spawn().expect("spawn lede run");
        WorkerProc { child, admin_port }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident set size in KiB (Linux /proc), None once the process is gone.
    pub fn rss_kib(&self) -> Option<u64> {
        rss_kib(self.pid())
    }

    /// Exit status if the process has exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Value of a plain (unlabelled) Prometheus counter or gauge.
    pub fn metric(&self, name: &str) -> Option<f64> {
        let (_, body) = self.http_get("/metrics")?;
        metric_value(&body, name)
    }
}

/// VmRSS of a process in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sum of every sample of metric `name` (all label sets) in a Prometheus text body.
pub fn metric_value(body: &str, name: &str) -> Option<f64> {
    let mut found = None;
    for line in body.lines() {
        if line.starts_with('#') {
            continue;
        }
        let (key, val) = match line.rsplit_once(' ') {
            Some(kv) => kv,
            None => continue,
        };
        let metric = key.split('{').next().unwrap_or("");
        if metric == name {
            if let Ok(v) = val.parse::<f64>() {
                *found.get_or_insert(0.0) += v;
            }
        }
    }
    found
}

/// Publish many messages, pipelining up to 256 acks at a time; each item is
/// (payload, Nats-Msg-Id). A publish that fails (broker down) is retried
/// with the same msg id until `deadline` passes, so a retry cannot store it
/// twice.
pub async fn publish_many(
    js: &jetstream::Context,
    subject: &str,
    items: &[(Vec<u8>, Option<String>)],
    deadline: Duration,
) {
    let start = Instant::now();
    for chunk in items.chunks(256) {
        loop {
            assert!(
                start.elapsed() < deadline,
                "could not publish within {deadline:?}"
            );
            let mut acks = Vec::with_capacity(chunk.len());
            let mut failed = false;
            for (payload, id) in chunk {
                let mut pm =
                    jetstream::message::PublishMessage::build().payload(payload.clone().into());
                if let Some(id) = id {
                    pm = pm.message_id(id);
                }
                match js.send_publish(subject.to_string(), pm).await {
                    Ok(ack) => acks.push(ack),
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            }
            for ack in acks {
                if ack.await.is_err() {
                    failed = true;
                }
            }
            if !failed {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
}

/// Every message of `stream`, read through an ephemeral ordered consumer
/// (much faster than [`read_stream`] for tens of thousands of messages).
pub async fn read_all(js: &jetstream::Context, stream: &str) -> Vec<Stored> {
    let s = match js.get_stream(stream).await {
        Ok(s) => s,
        Err(_) => return Vec::new(),
    };
    let total = {
        let mut s = s.clone();
        match s.info().await {
            Ok(i) => i.state.messages as usize,
            Err(_) => return Vec::new(),
        }
    };
    let mut out = Vec::with_capacity(total);
    if total == 0 {
        return out;
    }
    // Creating a consumer can time out on a cluster that just lost a node
    // or on a loaded machine: try again a few times before giving up.
    let mut attempt = 0;
    let mut msgs = loop {
        attempt += 1;
        let created = s
            .create_consumer(jetstream::consumer::pull::OrderedConfig::default())
            .await;
        match created {
            Ok(c) => match c.messages().await {
                Ok(m) => break m,
                Err(e) if attempt < 6 => eprintln!("read_all {stream}: messages: {e}; retrying"),
                Err(e) => panic!("read_all {stream}: ordered messages: {e}"),
            },
            Err(e) if attempt < 6 => eprintln!("read_all {stream}: consumer: {e}; retrying"),
            Err(e) => panic!("read_all {stream}: ordered consumer: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    use futures::StreamExt;
    while out.len() < total {
        match tokio::time::timeout(Duration::from_secs(20), msgs.next()).await {
            Ok(Some(Ok(m))) => {
                let headers = m
                    .headers
                    .as_ref()
                    .map(|h| {
                        h.iter()
                            .flat_map(|(k, vs)| {
                                vs.iter()
                                    .map(move |v| (k.to_string(), v.as_str().to_string()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Stored {
                    headers,
                    payload: m.payload.to_vec(),
                });
            }
            _ => break,
        }
    }
    out
}

/// A three-node JetStream cluster on loopback (routes between three free
/// ports), each node with its own storage, stoppable one by one.
pub struct ClusterHarness {
    pub nodes: Vec<NatsServer>,
}

impl ClusterHarness {
    pub fn start(name: &str) -> Self {
        let ports = free_ports(6);
        let (client_ports, route_ports) = ports.split_at(3);
        let routes = route_ports
            .iter()
            .map(|p| format!("nats-route://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut nodes = Vec::new();
        for (i, rp) in route_ports.iter().enumerate() {
            let conf = format!(
                "server_name: {name}-n{i}\n\
                 cluster {{\n  name: {name}\n  listen: 127.0.0.1:{rp}\n  routes: [{routes}]\n}}\n"
            );
            nodes.push(NatsServer::start_on(client_ports[i], Some(conf)));
        }
        ClusterHarness { nodes }
    }

    /// Comma-separated client URLs of every node.
    pub fn urls(&self) -> String {
        self.nodes
            .iter()
            .map(|n| n.url())
            .collect::<Vec<_>>()
            .join(",")
    }
}
