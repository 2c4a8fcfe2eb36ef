//! `lede bench`: single-thread extraction speed over local articles, so that
//! speed and quality are measured on the same corpus. Owns the timing loop:
//! every input is decoded and turned into a [`Document`] first (not timed),
//! then each stage is timed alone over all documents, `--iterations` times
//! after one untimed warm-up pass,
//! and the full pipeline (decode, block dedup, keys, claim, text layer, all
//! stages, output record) is timed over the raw payloads. Speed is reported in
//! words/s (words = white-space separated tokens of the decoded article, the
//! count `scripts/bench-spacy` uses for spaCy too) and articles/s, both per
//! wall-clock second and per CPU second of the timing thread: on a shared
//! machine other processes take the core away now and then, and the CPU-time
//! rate is what one core does (the figure the speed targets are about).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use cpu_time::ThreadTime;

use lede::dedup::store::MemoryStore;
use lede::enrich::{entities, figures, quotes, Document};
use lede::input::read_inputs;
use lede::output::Entity;
use lede::pipeline::{Inline, Pipeline, PipelineConfig};
use lede::text::TextLayer;

/// What to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchStage {
    /// Named entities.
    Entities,
    /// Quotes and speakers (entities computed beforehand, not timed).
    Quotes,
    /// Money, percentages, counts, dates.
    Figures,
    /// Decoding, in-article block dedup, dedup keys and the store claim.
    Dedup,
    /// The text layer alone (sentences and tokens).
    Text,
    /// Each stage alone, then the full pipeline.
    All,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  lede bench examples/
  lede bench ../shared/eval/quotes/polnear/dev/text --iterations 3
  lede bench ../shared/eval/quotes/polnear/dev/text --stage entities --json

Build with --release for meaningful numbers; scripts/bench-spacy compares
the same corpus against spaCy.")]
pub struct BenchArgs {
    /// Files or directories (recursive: .txt, .json, .jsonl).
    #[arg(default_value = "examples")]
    pub paths: Vec<PathBuf>,
    /// Stage to time; `all` times every stage alone and the full pipeline.
    #[arg(long, value_enum, default_value_t = BenchStage::All)]
    pub stage: BenchStage,
    /// Passes over the corpus per stage (throughput is over all passes).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub iterations: u32,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// One timed stage.
#[derive(Debug, Clone)]
pub struct StageTime {
    pub name: &'static str,
    /// Wall-clock time of the timed passes.
    pub elapsed: Duration,
    /// CPU time the timing thread used meanwhile (`None` where the platform
    /// cannot tell).
    pub cpu: Option<Duration>,
}

/// Throughput of `units` processed `iterations` times in `elapsed`.
pub fn per_second(units: usize, iterations: u32, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        0.0
    } else {
        units as f64 * f64::from(iterations) / secs
    }
}

/// Words as `str::split_whitespace` counts them (Python's `str.split()` too).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// One untimed warm-up pass, then `iterations` timed passes: the stage's
/// wall-clock and thread CPU time.
fn time<F: FnMut()>(name: &'static str, iterations: u32, mut f: F) -> StageTime {
    f();
    let cpu_start = ThreadTime::try_now().ok();
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let elapsed = started.elapsed();
    let cpu = cpu_start.and_then(|c| c.try_elapsed().ok());
    StageTime { name, elapsed, cpu }
}

/// The report as one JSON object.
pub fn to_json(
    articles: usize,
    words: usize,
    iterations: u32,
    times: &[StageTime],
) -> serde_json::Value {
    let mut stages = serde_json::Map::new();
    for t in times {
        stages.insert(
            t.name.to_string(),
            serde_json::json!({
                "seconds": t.elapsed.as_secs_f64(),
                "words_per_sec": per_second(words, iterations, t.elapsed),
                "articles_per_sec": per_second(articles, iterations, t.elapsed),
                "cpu_seconds": t.cpu.map(|c| c.as_secs_f64()),
                "words_per_cpu_sec": t.cpu.map(|c| per_second(words, iterations, c)),
            }),
        );
    }
    serde_json::json!({
        "articles": articles,
        "words": words,
        "iterations": iterations,
        "threads": 1,
        "stages": stages,
    })
}

/// The report as a table.
pub fn to_table(articles: usize, words: usize, iterations: u32, times: &[StageTime]) -> String {
    let mut s = format!(
        "lede bench: {articles} articles, {words} words, {iterations} iteration(s), 1 thread\n"
    );
    s.push_str(&format!(
        "{:<10} {:>10} {:>14} {:>12} {:>10} {:>16}\n",
        "stage", "seconds", "words/s", "articles/s", "cpu s", "words/cpu-s"
    ));
    for t in times {
        let (cpu, per_cpu) = match t.cpu {
            Some(c) => (
                format!("{:.4}", c.as_secs_f64()),
                format!("{:.0}", per_second(words, iterations, c)),
            ),
            None => ("-".to_string(), "-".to_string()),
        };
        s.push_str(&format!(
            "{:<10} {:>10.4} {:>14.0} {:>12.1} {:>10} {:>16}\n",
            t.name,
            t.elapsed.as_secs_f64(),
            per_second(words, iterations, t.elapsed),
            per_second(articles, iterations, t.elapsed),
            cpu,
            per_cpu
        ));
    }
    s
}

pub fn run(args: BenchArgs) -> Result<i32> {
    let inputs = read_inputs(&args.paths)?;
    let pipeline = std::sync::Arc::new(Pipeline::new(PipelineConfig::default())?);
    // Untimed preparation: decode, block dedup, documents, entities for quotes.
    let mut raws: Vec<&[u8]> = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    let mut words = 0usize;
    for input in &inputs {
        match pipeline.prepare(&input.bytes) {
            Ok(p) => {
                words += word_count(p.article.title.as_deref().unwrap_or(""));
                words += word_count(&p.article.body);
                docs.push(Document::new(
                    p.blocks.title.clone(),
                    p.blocks.body.clone(),
                    p.article.published_at.clone(),
                ));
                raws.push(&input.bytes);
            }
            Err(e) => tracing::warn!(origin = %input.origin, "skipped: {e}"),
        }
    }
    if docs.is_empty() {
        bail!("no usable articles under the given paths");
    }
    let model = &pipeline.enricher.entity_model;
    let ents: Vec<Vec<Entity>> = docs.iter().map(|d| entities::extract(model, d)).collect();
    let n = args.iterations;
    let want = |s: BenchStage| args.stage == s || args.stage == BenchStage::All;
    let mut times = Vec::new();
    if want(BenchStage::Text) {
        times.push(time("text", n, || {
            for d in &docs {
                black_box(TextLayer::build(black_box(&d.body)));
            }
        }));
    }
    if want(BenchStage::Dedup) {
        let rt = tokio::runtime::Builder::new_current_thread().build()?;
        times.push(time("dedup", n, || {
            let store = MemoryStore::new();
            for raw in &raws {
                if let Ok(p) = pipeline.prepare(black_box(raw)) {
                    use lede::dedup::store::SeenStore;
                    let _ = black_box(rt.block_on(store.claim(&p.keys, false)));
                }
            }
        }));
    }
    if want(BenchStage::Entities) {
        times.push(time("entities", n, || {
            for d in &docs {
                black_box(entities::extract(model, black_box(d)));
            }
        }));
    }
    if want(BenchStage::Quotes) {
        times.push(time("quotes", n, || {
            for (d, e) in docs.iter().zip(&ents) {
                black_box(quotes::extract(black_box(d), e));
            }
        }));
    }
    if want(BenchStage::Figures) {
        times.push(time("figures", n, || {
            for d in &docs {
                black_box(figures::extract(black_box(d)));
            }
        }));
    }
    if args.stage == BenchStage::All {
        let rt = tokio::runtime::Builder::new_current_thread().build()?;
        let payloads: Vec<bytes::Bytes> = raws
            .iter()
            .map(|r| bytes::Bytes::copy_from_slice(r))
            .collect();
        times.push(time("all", n, || {
            let store = MemoryStore::new();
            for raw in &payloads {
                black_box(rt.block_on(pipeline.process(
                    black_box(raw.clone()),
                    &store,
                    false,
                    None,
                    &Inline,
                )));
            }
        }));
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&to_json(docs.len(), words, n, &times))?
        );
    } else {
        print!("{}", to_table(docs.len(), words, n, &times));
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_arithmetic() {
        assert_eq!(word_count("  a b\n\tc  "), 3);
        assert_eq!(word_count(""), 0);
        assert_eq!(per_second(100, 2, Duration::from_millis(500)), 400.0);
        assert_eq!(per_second(100, 1, Duration::ZERO), 0.0);
        let t = [StageTime {
            name: "entities",
            elapsed: Duration::from_secs(2),
            cpu: Some(Duration::from_secs(1)),
        }];
        let j = to_json(4, 1000, 1, &t);
        assert_eq!(j["stages"]["entities"]["words_per_sec"], 500.0);
        assert_eq!(j["stages"]["entities"]["articles_per_sec"], 2.0);
        assert_eq!(j["stages"]["entities"]["words_per_cpu_sec"], 1000.0);
        assert_eq!(j["threads"], 1);
        assert!(to_table(4, 1000, 1, &t).contains("entities"));
    }

    #[test]
    fn bench_runs_on_a_small_corpus() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Headline\nOne two three.\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "  \n").unwrap();
        let args = BenchArgs {
            paths: vec![dir.path().to_path_buf()],
            stage: BenchStage::All,
            iterations: 2,
            json: true,
        };
        assert_eq!(run(args).unwrap(), 0);
        let empty = tempfile::tempdir().unwrap();
        let args = BenchArgs {
            paths: vec![empty.path().to_path_buf()],
            stage: BenchStage::Quotes,
            iterations: 1,
            json: false,
        };
        assert!(run(args).is_err());
    }
}
