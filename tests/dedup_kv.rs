//! The JetStream dedup stores (KV bucket and registration log) against a real
//! nats-server (2.9.10 or newer), one scenario for both: first-writer-wins on
//! exact keys, "mine" on redelivery, a worker killed between claim and
//! publish, and two replicas claiming near-copies at once.
//! Starts its own server on a free port with JetStream in a temporary
//! directory; skips loudly when no `nats-server` binary is found
//! (`LEDE_NATS_SERVER`, `PATH`, `/usr/sbin/nats-server`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use lede::dedup::jetstream::kv::KvStore;
use lede::dedup::jetstream::log::{log_stream, LogStore};
use lede::dedup::near::NearConfig;
use lede::dedup::store::SeenStore;
use lede::dedup::{DedupKeys, Verdict};
use lede::output::DuplicateMethod;
use lede::pipeline::{Pipeline, PipelineConfig};

/// A nats-server child process, killed on drop.
struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server_binary() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("LEDE_NATS_SERVER") {
        return Some(PathBuf::from(p));
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join("nats-server");
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let p = PathBuf::from("/usr/sbin/nats-server");
    p.is_file().then_some(p)
}

async fn start_server() -> Option<(Server, async_nats::Client)> {
    let Some(bin) = server_binary() else {
        eprintln!("\n!!! SKIPPED: no nats-server (set LEDE_NATS_SERVER or put it on PATH) !!!\n");
        return None;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(&bin)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn nats-server");
    let url = format!("nats://127.0.0.1:{port}");
    let server = Server {
        child,
        url: url.clone(),
        _dir: dir,
    };
    for _ in 0..100 {
        if let Ok(c) = async_nats::connect(&server.url).await {
            return Some((server, c));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nats-server at {url} did not come up");
}

const STORY: &str = "Harbour workers end strike after pay deal\n\n\
The dock workers' union agreed on Friday to end a nine-day strike at the container port after the operator offered a pay rise of 6 percent over two years.\n\n\
Union leader Marta Keller said members had voted by a large margin to accept the offer, which also limits night shifts to four a week.\n\n\
The stoppage had left more than forty ships waiting offshore and forced two supermarket chains to ration imported fruit.\n\n\
Port director Henrik Olsen said cargo handling would resume on Saturday morning and that the backlog should be cleared within a week.\n\n\
Shipping companies welcomed the agreement but warned that freight rates on the route would stay high until the end of the month.";

/// A distinct article per round: a token inserted every few words breaks
/// every shingle, so rounds never match each other.
fn story_variant(i: usize) -> String {
    let mut out = String::new();
    for (n, w) in STORY.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
        if n % 2 == 1 {
            out.push_str(&format!(" r{i}w{n}"));
        }
    }
    out
}

fn keys(p: &Pipeline, raw: &str) -> DedupKeys {
    p.prepare(raw.as_bytes()).expect("prepare").keys
}

fn json(id: &str, url: &str, title: &str, body: &str) -> String {
    serde_json::json!({"id": id, "url": url, "title": title, "body": body}).to_string()
}

fn is_new(v: &Verdict) -> bool {
    *v == Verdict::New
}

fn dup(v: &Verdict) -> Option<(&str, DuplicateMethod)> {
    match v {
        Verdict::Duplicate { of, method, .. } => Some((of.as_str(), *method)),
        Verdict::New => None,
    }
}

async fn open(client: &async_nats::Client, bucket: &str) -> KvStore {
    KvStore::open(
        async_nats::jetstream::new(client.clone()),
        bucket,
        Duration::from_secs(3600),
        NearConfig::default(),
    )
    .await
    .expect("open KV store")
}

async fn open_log(client: &async_nats::Client, bucket: &str) -> LogStore {
    LogStore::open(
        async_nats::jetstream::new(client.clone()),
        bucket,
        Duration::from_secs(3600),
        NearConfig::default(),
        1,
    )
    .await
    .expect("open log store")
}

/// Opens one more handle on the same shared state: a replica, or a
/// restarted worker.
type Opener = Box<dyn Fn() -> BoxFuture<'static, Arc<dyn SeenStore>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kv_exact_near_redelivery_and_replicas() {
    let Some((server, client)) = start_server().await else {
        return;
    };
    let c = client.clone();
    let opener: Opener = Box::new(move || {
        let c = c.clone();
        Box::pin(async move { Arc::new(open(&c, "lede-dedup").await) as Arc<dyn SeenStore> })
    });
    let store = opener().await;
    // The bucket has the window as max age.
    let js = async_nats::jetstream::new(client.clone());
    let mut stream = js.get_stream("KV_lede-dedup").await.expect("stream");
    let info = stream.info().await.expect("info");
    assert_eq!(info.config.max_age, Duration::from_secs(3600));
    scenario(store, opener).await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_exact_near_redelivery_and_replicas() {
    let Some((server, client)) = start_server().await else {
        return;
    };
    let c = client.clone();
    let opener: Opener = Box::new(move || {
        let c = c.clone();
        Box::pin(async move { Arc::new(open_log(&c, "lede-dedup").await) as Arc<dyn SeenStore> })
    });
    let store = opener().await;
    let js = async_nats::jetstream::new(client.clone());
    let mut stream = js
        .get_stream(log_stream("lede-dedup"))
        .await
        .expect("stream");
    let info = stream.info().await.expect("info");
    assert_eq!(info.config.max_age, Duration::from_secs(3600));
    scenario(store, opener).await;
    // Every judged article left one entry in the log; a replica started now
    // replays all of them before it answers.
    let entries = stream.info().await.expect("info").state.messages;
    assert!(entries >= 28, "{entries} log entries");
    let late = open_log(&client, "lede-dedup").await;
    assert!(late.applied() >= entries, "{} < {entries}", late.applied());
    assert!(late.len() >= 13, "{} articles replayed", late.len());
    drop(server);
}

async fn scenario(store: Arc<dyn SeenStore>, opener: Opener) {
    let pipeline = Pipeline::new(PipelineConfig::default()).expect("pipeline");
    // Opening again (a second replica, a restart) binds the same state.
    let replica = opener().await;
    let (title, body) = STORY.split_once("\n\n").expect("title");
    let a = keys(
        &pipeline,
        &json(
            "a-1",
            "https://news.example/strike?utm_source=x",
            title,
            body,
        ),
    );
    assert!(is_new(&store.claim(&a, false).await.unwrap()));

    // Exact keys: a fresh repeat of the id, the same canonical URL, the same content.
    let v = replica.claim(&a, false).await.unwrap();
    assert_eq!(dup(&v), Some(("a-1", DuplicateMethod::Id)));
    let b = keys(
        &pipeline,
        &json(
            "b-1",
            "http://NEWS.example/strike/#top",
            "Other",
            "Other words entirely.",
        ),
    );
    let v = replica.claim(&b, false).await.unwrap();
    assert_eq!(dup(&v), Some(("a-1", DuplicateMethod::Url)));
    let c = keys(
        &pipeline,
        &json(
            "c-1",
            "https://other.example/x",
            title,
            &body.replace('\'', "\u{2019}"),
        ),
    );
    let v = replica.claim(&c, false).await.unwrap();
    assert_eq!(dup(&v), Some(("a-1", DuplicateMethod::Content)));

    // Near: boilerplate added and the last paragraph cut, new id and URL.
    let cut = body.rsplit_once("\n\n").expect("paragraphs").0;
    let d = keys(
        &pipeline,
        &json(
            "d-1",
            "https://mirror.example/1",
            &format!("UPDATE: {title}"),
            &format!("Advertisement\n\n{cut}\n\nCopyright 2026 Example News."),
        ),
    );
    let v = replica.claim(&d, false).await.unwrap();
    assert_eq!(dup(&v), Some(("a-1", DuplicateMethod::Near)));
    if let Verdict::Duplicate { similarity, .. } = v {
        assert!(similarity >= 0.7, "{similarity}");
    }

    // A different article about the same event is new.
    let e = keys(
        &pipeline,
        &json(
            "e-1",
            "https://other.example/2",
            "Ships queue as port dispute drags on",
            "Dozens of vessels remained anchored outside the container port on Thursday as talks between the dock workers' union and the operator stalled again.\n\n\
             The union wants a 9 percent raise and fewer night shifts; the operator has so far offered less than that.\n\n\
             Retailers said shortages of imported fruit could last into next month if the strike continues.",
        ),
    );
    assert!(is_new(&replica.claim(&e, false).await.unwrap()));

    // Kill between claim and publish: a worker claims f and dies before
    // publishing (its store handle and cache are gone). The redelivered
    // message on a restarted worker is still "mine" and gets published; a
    // fresh repeat of the id and a later near-copy are duplicates of it.
    let f_raw = story_variant(99);
    let f = keys(
        &pipeline,
        &json("f-1", "https://news.example/f", "Deal", &f_raw),
    );
    {
        let worker = opener().await;
        assert!(is_new(&worker.claim(&f, false).await.unwrap()));
        drop(worker);
    }
    let restarted = opener().await;
    assert!(
        is_new(&restarted.claim(&f, true).await.unwrap()),
        "the redelivery must be published"
    );
    let v = restarted.claim(&f, false).await.unwrap();
    assert_eq!(dup(&v), Some(("f-1", DuplicateMethod::Id)));
    let f2 = keys(
        &pipeline,
        &json(
            "f-2",
            "https://mirror.example/f",
            "Deal - Example News",
            &format!("{f_raw}\n\nAll rights reserved."),
        ),
    );
    let v = store.claim(&f2, false).await.unwrap();
    assert_eq!(dup(&v), Some(("f-1", DuplicateMethod::Near)));

    // Two replicas, near-copies at the same moment: exactly one New.
    let r1 = opener().await;
    let r2 = opener().await;
    for round in 0..10 {
        let body = story_variant(round);
        let x = keys(
            &pipeline,
            &json(
                &format!("x-{round}"),
                &format!("https://a.example/{round}"),
                "Strike ends",
                &body,
            ),
        );
        let y = keys(
            &pipeline,
            &json(
                &format!("y-{round}"),
                &format!("https://b.example/{round}"),
                "BREAKING: Strike ends",
                &format!("Skip to main content\n\n{body}\n\nFollow us for more."),
            ),
        );
        let (s1, s2) = (r1.clone(), r2.clone());
        let h1 = tokio::spawn(async move { s1.claim(&x, false).await });
        let h2 = tokio::spawn(async move { s2.claim(&y, false).await });
        let v1 = h1.await.unwrap().unwrap();
        let v2 = h2.await.unwrap().unwrap();
        let news = usize::from(is_new(&v1)) + usize::from(is_new(&v2));
        assert_eq!(news, 1, "round {round}: {v1:?} / {v2:?}");
    }
}
