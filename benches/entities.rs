//! Speed of the entity stage alone (single thread): words/s and articles/s of
//! `extract` over a directory of .txt articles (default: the PolNeAR dev
//! texts in ../shared/eval). Documents (text layer included) are built
//! before timing; only `extract` is timed.
//!
//! cargo bench --bench entities -- [DIR] [--rounds N]

use std::path::PathBuf;
use std::time::Instant;

use lede::enrich::entities::{extract, EntityModel};
use lede::enrich::Document;

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not:
    // then this is a one-round smoke run over the repo's example articles.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (mut dir, mut rounds) = if smoke {
        (
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")),
            1usize,
        )
    } else {
        (
            PathBuf::from("../shared/eval/quotes/polnear/dev/text"),
            5usize,
        )
    };
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--rounds" {
            rounds = args
                .get(i + 1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(rounds);
            i += 1;
        } else {
            dir = PathBuf::from(&args[i]);
        }
        i += 1;
    }
    let t_load = Instant::now();
    let model = EntityModel::embedded()?;
    let load = t_load.elapsed();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs: Vec<Document> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| Document::new("", t, None))
        .collect();
    anyhow::ensure!(!docs.is_empty(), "no .txt articles in {}", dir.display());
    let words: usize = docs.iter().map(|d| d.layer.word_count()).sum();
    let mut best = f64::INFINITY;
    let mut ents = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        ents = 0;
        for d in &docs {
            ents += std::hint::black_box(extract(&model, d)).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "entities: {} articles, {} words, {} entities; model load {:?}; best of {} rounds {:.3} s: {:.0} words/s, {:.0} articles/s",
        docs.len(),
        words,
        ents,
        load,
        rounds,
        best,
        words as f64 / best,
        docs.len() as f64 / best
    );
    Ok(())
}
