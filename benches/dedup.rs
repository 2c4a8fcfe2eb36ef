//! Throughput of the dedup stage and memory per remembered article.
//!
//! `cargo bench --bench dedup -- DIR [ROUNDS]` over a directory of `.txt`
//! articles: each round feeds every article under a fresh id (the text
//! changed by a round marker every few words, so rounds do not match each
//! other), then a near-copy of each (boilerplate added). Reports articles/s
//! for `prepare` (decode, block dedup, keys and fingerprint), for
//! `MemoryStore::claim`, and, when a `nats-server` is found
//! (`LEDE_NATS_SERVER`, `PATH`, `/usr/sbin/nats-server`), for
//! `KvStore::claim` and `LogStore::claim`, one at a time and 32 in flight;
//! plus the resident memory and stream bytes per remembered article, and the
//! nats-server's resident memory before and after each run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use lede::dedup::jetstream::kv::KvStore;
use lede::dedup::jetstream::log::{log_stream, LogStore};
use lede::dedup::near::NearConfig;
use lede::dedup::store::{MemoryStore, SeenStore, DEFAULT_MAX_ARTICLES, DEFAULT_WINDOW};
use lede::dedup::{DedupKeys, Verdict};
use lede::pipeline::{Pipeline, PipelineConfig};

/// Resident memory of another process (`VmRSS` in /proc), in bytes.
fn rss_of(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<usize>().ok()
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map(|pages| pages * 4096)
        .unwrap_or(0)
}

/// CPU seconds used by this thread (user + system), from /proc: the
/// machine may be shared, so wall-clock rates are reported next to
/// per-CPU-second rates.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let u: f64 = f.get(11)?.parse().ok()?;
            let k: f64 = f.get(12)?.parse().ok()?;
            Some((u + k) / 100.0)
        })
        .unwrap_or(0.0)
}

fn variant(text: &str, round: usize) -> String {
    if round == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (n, w) in text.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
        if n % 2 == 1 {
            out.push_str(&format!(" r{round}"));
        }
    }
    out
}

fn load(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| Ok(std::fs::read_to_string(f)?))
        .collect()
}

/// `--window N`: the memory a full dedup window takes. N synthetic articles
/// (700 distinct shingles each, unrelated to each other) are claimed in a
/// `MemoryStore`, which is also what every replica of the log store holds;
/// prints the resident memory before and after and per remembered article.
/// `--cap M` remembers at most M articles (`--dedup-max-articles`): the
/// resident memory must then stop growing once M are remembered (printed
/// ten times along the way). `--bands B` uses B LSH bands of 3 rows (and a
/// sketch of 3B values) instead of the default 40, to see what fewer bands
/// would save.
fn window_bench(n: usize, cap: usize, cfg: NearConfig) -> anyhow::Result<()> {
    use futures::FutureExt;
    use lede::dedup::near::{fingerprint_of_shingles, mix64};
    const SHINGLES: u64 = 700;
    let store = MemoryStore::with_config(DEFAULT_WINDOW, cfg.clone(), cap.max(1));
    let rss0 = rss_bytes();
    let t0 = Instant::now();
    let mut news = 0usize;
    for i in 0..n as u64 {
        let mut sh: Vec<u32> = (0..SHINGLES)
            .map(|j| (mix64(i * SHINGLES + j + 1) >> 32) as u32)
            .collect();
        sh.sort_unstable();
        sh.dedup();
        let keys = DedupKeys {
            // Realistic ids: 36 bytes, like the UUIDs most feeds send.
            id: synthetic_id(i),
            url: Some(format!("https://synthetic.example/news/{i}")),
            content: format!("{:016x}{:016x}", mix64(i), mix64(!i)),
            near: fingerprint_of_shingles(sh, &cfg),
            claimant: Some(i.to_string()),
        };
        match store.claim(&keys, false).now_or_never() {
            Some(Ok(Verdict::New)) => news += 1,
            Some(Ok(v)) => anyhow::bail!("synthetic article {i} judged {v:?}"),
            Some(Err(e)) => anyhow::bail!("{e}"),
            None => anyhow::bail!("the memory store did not answer at once"),
        }
        if cap < n && (i + 1) % (n as u64 / 10).max(1) == 0 {
            println!(
                "    after {} claims: {} remembered, RSS {:.1} MB",
                i + 1,
                store.len(),
                rss_bytes() as f64 / 1e6
            );
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let rss = rss_bytes();
    println!(
        "window of {n} articles: {news} new in {secs:.1}s ({:.0} claims/s); {} remembered; RSS {:.1} -> {:.1} MB = {:.0} bytes per remembered article",
        n as f64 / secs,
        store.len(),
        rss0 as f64 / 1e6,
        rss as f64 / 1e6,
        rss.saturating_sub(rss0) as f64 / store.len().max(1) as f64
    );
    if let Some(m) = store.memory() {
        let per = |b: usize| b as f64 / m.articles.max(1) as f64;
        println!(
            "    estimated by structure (StateMemory, the lede_dedup_memory_bytes gauges): {:.1} MB = {:.0} B/article: band table {:.0}, sketches {:.0}, exact keys {:.0}, expiry queue {:.0}, ids {:.0}",
            m.total() as f64 / 1e6,
            per(m.total()),
            per(m.band_table),
            per(m.sketches),
            per(m.exact_keys),
            per(m.expiry_queue),
            per(m.ids)
        );
    }
    Ok(())
}

/// A UUID-shaped id (36 bytes) derived from `i`.
fn synthetic_id(i: u64) -> String {
    use lede::dedup::near::mix64;
    let (a, b) = (mix64(i ^ 0x1d), mix64(!i));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not.
    // Under `cargo test` this is a smoke run: one round over the repo's own
    // example articles, no KV part, so the bench code cannot rot unnoticed.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(n) = args.iter().position(|a| a == "--window") {
        let n: usize = args
            .get(n + 1)
            .ok_or_else(|| anyhow::anyhow!("--window N"))?
            .parse()?;
        let cap = match args.iter().position(|a| a == "--cap") {
            Some(i) => args
                .get(i + 1)
                .ok_or_else(|| anyhow::anyhow!("--cap M"))?
                .parse()?,
            None => n,
        };
        let mut near = NearConfig::default();
        if let Some(i) = args.iter().position(|a| a == "--bands") {
            near.bands = args
                .get(i + 1)
                .ok_or_else(|| anyhow::anyhow!("--bands B"))?
                .parse()?;
        }
        return window_bench(n, cap, near);
    }
    if smoke {
        window_bench(2_000, 500, NearConfig::default())?;
    }
    let dir = match args.first() {
        Some(dir) => dir.clone(),
        None if smoke => concat!(env!("CARGO_MANIFEST_DIR"), "/examples").to_string(),
        None => anyhow::bail!("usage: cargo bench --bench dedup -- DIR [ROUNDS]"),
    };
    let default_rounds = if smoke { 1 } else { 3 };
    let rounds: usize = args
        .get(1)
        .map(|r| r.parse())
        .transpose()?
        .unwrap_or(default_rounds);
    let texts = load(Path::new(&dir))?;
    anyhow::ensure!(!texts.is_empty(), "no .txt articles in {dir}");
    let pipeline = Pipeline::new(PipelineConfig::default())?;

    // Keys for every article and round, plus one near-copy each.
    let mut raws = Vec::new();
    for r in 0..rounds {
        for (i, t) in texts.iter().enumerate() {
            let body = variant(t, r);
            let copy = format!("Advertisement\n\n{body}\n\nCopyright 2026 Example News.");
            raws.push((format!("a-{r}-{i}"), body));
            raws.push((format!("b-{r}-{i}"), copy));
        }
    }
    let t0 = Instant::now();
    let c0 = cpu_secs();
    let mut keys: Vec<DedupKeys> = Vec::with_capacity(raws.len());
    for (id, body) in &raws {
        let j = serde_json::json!({"id": id, "body": body}).to_string();
        match pipeline.prepare(j.as_bytes()) {
            Ok(p) => keys.push(p.keys),
            Err(e) => eprintln!("skipped {id}: {e}"),
        }
    }
    let prep = t0.elapsed().as_secs_f64();
    let prep_cpu = cpu_secs() - c0;
    let words: usize = raws.iter().map(|(_, b)| b.split_whitespace().count()).sum();
    println!(
        "prepare (decode + block dedup + keys + MinHash): {} articles in {:.2}s = {:.0} articles/s ({:.0} words/s); {:.0} articles per CPU second",
        keys.len(),
        prep,
        keys.len() as f64 / prep,
        words as f64 / prep,
        keys.len() as f64 / prep_cpu.max(1e-9)
    );

    // The near-duplicate fingerprint alone (normalisation, shingles, MinHash).
    let blocks: Vec<_> = raws
        .iter()
        .map(|(_, b)| lede::dedup::blocks::dedup_blocks(None, b))
        .collect();
    let cfg = NearConfig::default();
    let t0 = Instant::now();
    let c0 = cpu_secs();
    let mut total = 0u64;
    for b in &blocks {
        total += u64::from(lede::dedup::near::fingerprint(&b.title, &b.body, &cfg).total);
    }
    let fp = t0.elapsed().as_secs_f64();
    let fp_cpu = cpu_secs() - c0;
    println!(
        "fingerprint only: {:.0} articles/s; {:.0} articles per CPU second ({} shingles)",
        blocks.len() as f64 / fp,
        blocks.len() as f64 / fp_cpu.max(1e-9),
        total
    );

    let rss0 = rss_bytes();
    let store =
        MemoryStore::with_config(DEFAULT_WINDOW, NearConfig::default(), DEFAULT_MAX_ARTICLES);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let t0 = Instant::now();
    let c0 = cpu_secs();
    let mut verdicts = Vec::with_capacity(keys.len());
    for k in &keys {
        verdicts.push(rt.block_on(store.claim(k, false)));
    }
    let secs = t0.elapsed().as_secs_f64();
    let mem_cpu = cpu_secs() - c0;
    let dups = check(&keys, verdicts)?.1;
    let rss1 = rss_bytes();
    println!(
        "MemoryStore claim: {} claims in {:.3}s = {:.0} articles/s ({:.0} per CPU second); {dups} duplicates; {} remembered; RSS +{} bytes = {:.0} bytes per remembered article",
        keys.len(),
        secs,
        keys.len() as f64 / secs,
        keys.len() as f64 / mem_cpu.max(1e-9),
        store.len(),
        rss1.saturating_sub(rss0),
        rss1.saturating_sub(rss0) as f64 / store.len().max(1) as f64
    );

    if smoke {
        println!(
            "smoke run (cargo test): KV numbers skipped; run `cargo bench --bench dedup -- DIR`"
        );
        return Ok(());
    }
    let Some(bin) = server_binary() else {
        eprintln!("no nats-server found: KV numbers skipped");
        return Ok(());
    };
    rt.block_on(kv_bench(&bin, &keys))
}

/// Count New and Duplicate verdicts and make sure no article was lost in a
/// cycle of duplicates (every chain of `duplicate_of` ends at a New one).
fn check(
    keys: &[DedupKeys],
    verdicts: Vec<Result<Verdict, lede::dedup::store::StoreError>>,
) -> anyhow::Result<(usize, usize)> {
    let mut of = std::collections::HashMap::new();
    let mut news = 0;
    for (k, v) in keys.iter().zip(verdicts) {
        match v.map_err(|e| anyhow::anyhow!(e))? {
            Verdict::New => news += 1,
            Verdict::Duplicate { of: o, .. } => {
                of.insert(k.id.clone(), o);
            }
        }
    }
    for start in of.keys() {
        let mut cur = start;
        for _ in 0..=of.len() {
            match of.get(cur) {
                Some(next) if next != cur => cur = next,
                Some(_) => break, // a fresh repeat of its own id
                None => break,
            }
        }
        anyhow::ensure!(
            !of.contains_key(cur) || of.get(cur) == Some(cur),
            "cycle of duplicates through {start}"
        );
    }
    Ok((news, of.len()))
}

fn server_binary() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("LEDE_NATS_SERVER") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("nats-server"))
        .chain(std::iter::once(PathBuf::from("/usr/sbin/nats-server")))
        .find(|p| p.is_file())
}

async fn kv_bench(bin: &Path, keys: &[DedupKeys]) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = Command::new(bin)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let result = async {
        let url = format!("nats://127.0.0.1:{port}");
        let mut client = None;
        for _ in 0..100 {
            if let Ok(c) = async_nats::connect(&url).await {
                client = Some(c);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let client = client.ok_or_else(|| anyhow::anyhow!("nats-server did not come up"))?;
        let js = async_nats::jetstream::new(client);
        for (kind, bucket, inflight) in [
            ("KvStore", "bench-seq", 1usize),
            ("KvStore", "bench-par", 32),
            ("LogStore", "bench-log-seq", 1),
            ("LogStore", "bench-log-par", 32),
        ] {
            let (store, stream_name): (Box<dyn SeenStore>, String) = if kind == "KvStore" {
                let s = KvStore::open(js.clone(), bucket, DEFAULT_WINDOW, NearConfig::default())
                    .await
                    .map_err(|e| anyhow::anyhow!(e))?;
                (Box::new(s), format!("KV_{bucket}"))
            } else {
                let s = LogStore::open(js.clone(), bucket, DEFAULT_WINDOW, NearConfig::default(), 1)
                    .await
                    .map_err(|e| anyhow::anyhow!(e))?;
                (Box::new(s), log_stream(bucket))
            };
            let server_rss0 = rss_of(child.id());
            let own_rss0 = rss_bytes();
            let t0 = Instant::now();
            let verdicts: Vec<_> = stream::iter(keys.iter())
                .map(|k| store.claim(k, false))
                .buffered(inflight)
                .collect()
                .await;
            let secs = t0.elapsed().as_secs_f64();
            let news = check(keys, verdicts)?.0;
            let mut s = js.get_stream(&stream_name).await?;
            let info = s.info().await?;
            println!(
                "{kind} claim, {inflight} in flight: {} claims in {:.2}s = {:.0} articles/s; {news} new; stream {} bytes in {} messages = {:.0} bytes per new article",
                keys.len(),
                secs,
                keys.len() as f64 / secs,
                info.state.bytes,
                info.state.messages,
                info.state.bytes as f64 / news.max(1) as f64
            );
            let server_rss = rss_of(child.id());
            let own_rss = rss_bytes();
            println!(
                "    nats-server RSS {:.1} -> {:.1} MB ({:.0} bytes per new article); this process {:.1} -> {:.1} MB ({:.0} bytes per new article)",
                server_rss0 as f64 / 1e6,
                server_rss as f64 / 1e6,
                server_rss.saturating_sub(server_rss0) as f64 / news.max(1) as f64,
                own_rss0 as f64 / 1e6,
                own_rss as f64 / 1e6,
                own_rss.saturating_sub(own_rss0) as f64 / news.max(1) as f64,
            );
        }
        anyhow::Ok(())
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    result
}
