//! Score figure extraction on Recognizers-Text spec files until `lede eval
//! recognizers` is wired in, and measure its speed:
//!
//! - `cargo run --release --example eval_recognizers -- [--errors] FILE...`
//!   prints the summary, then the JSON report;
//! - `cargo run --release --example eval_recognizers -- --speed DIR|FILE...`
//!   times `figures::extract` alone (text layer built beforehand) over the
//!   `.txt` articles given, single thread, and prints words/s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use lede::enrich::{figures, Document};
use lede::eval::{recognizers, EvalOptions};
use lede::pipeline::{Pipeline, PipelineConfig};

fn txt_files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        v.sort();
        for q in v {
            txt_files(&q, out);
        }
    } else if p.extension().is_some_and(|e| e == "txt") {
        out.push(p.to_path_buf());
    }
}

fn speed(paths: &[PathBuf]) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for p in paths {
        txt_files(p, &mut files);
    }
    let docs: Vec<Document> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .map(|t| Document::new("", t, None))
        .collect();
    let words: usize = docs.iter().map(|d| d.layer.word_count()).sum();
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let mut figs = 0usize;
    let mut rounds = 0usize;
    let start = Instant::now();
    while rounds == 0 || start.elapsed().as_secs_f64() < 3.0 {
        for d in &docs {
            figs += std::hint::black_box(figures::extract(d)).len();
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    // On a shared machine the wall-clock rate depends on the load; the sum
    // over articles of the fastest of 7 runs approximates one free core.
    let mut best_total = 0.0f64;
    for d in &docs {
        let mut best = f64::INFINITY;
        for _ in 0..7 {
            let t = Instant::now();
            std::hint::black_box(figures::extract(d));
            best = best.min(t.elapsed().as_secs_f64());
        }
        best_total += best;
    }
    println!(
        "best-of-7 per article: {:.6}s per pass: {:.0} words/s, {:.0} articles/s",
        best_total,
        words as f64 / best_total,
        docs.len() as f64 / best_total
    );
    println!(
        "wall clock: {} articles, {} words, {} bytes, {} rounds in {:.3}s: {:.0} words/s, {:.0} articles/s, {:.1} MB/s, {} figures/round",
        docs.len(),
        words,
        bytes,
        rounds,
        secs,
        (words * rounds) as f64 / secs,
        (docs.len() * rounds) as f64 / secs,
        (bytes * rounds) as f64 / secs / 1e6,
        figs / rounds.max(1)
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut errors = false;
    let mut speed_mode = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--errors" => errors = true,
            "--speed" => speed_mode = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if speed_mode {
        return speed(&paths);
    }
    let pipeline = Pipeline::new(PipelineConfig::default())?;
    let opts = EvalOptions {
        errors,
        progress: false,
        ..Default::default()
    };
    let report = recognizers::score(&paths, &pipeline, &opts)?;
    for e in &report.errors {
        println!("{e}");
    }
    print!("{}", report.summary);
    println!("{}", serde_json::to_string(&report.json)?);
    Ok(())
}
