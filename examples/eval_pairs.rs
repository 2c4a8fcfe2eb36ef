//! Score the near-duplicate detector on a labelled pairs TSV, as
//! `lede eval dedup` does, with optional overrides of the [`NearConfig`]
//! (for tuning) and a `--sims` dump of each pair's shingle similarity.
//!
//! `cargo run --release --example eval_pairs -- PAIRS.tsv [--shingle 3]
//!  [--bands 32] [--rows 4] [--threshold 0.3] [--containment 0.6]
//!  [--min-shingles 10] [--sketch-bits 4] [--sims]`
//!
//! `--sims` prints, per pair: id, label, kind, the exact shingle Jaccard and
//! containment, the sketch estimates of both, shared bands (of the sketch:
//! what the in-memory stores search), the two shingle totals and shared
//! bands of the MinHash signature (the KV bucket's keys).

use std::path::PathBuf;

use lede::dedup::blocks::dedup_blocks;
use lede::dedup::near::{
    band_hashes, exact_similarity, fingerprint, shingle_hashes, similarity, sketch_band_hashes,
    NearConfig,
};
use lede::eval::pairs::{parse, score};
use lede::eval::EvalOptions;
use lede::pipeline::{Pipeline, PipelineConfig};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut near = NearConfig::default();
    let mut sims = false;
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> anyhow::Result<f64> {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{name} needs a value"))?
                .parse::<f64>()
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))
        };
        match a.as_str() {
            "--shingle" => near.shingle = num(&a)? as usize,
            "--bands" => near.bands = num(&a)? as usize,
            "--rows" => near.rows = num(&a)? as usize,
            "--threshold" => near.threshold = num(&a)?,
            "--containment" => near.containment = num(&a)?,
            "--min-shingles" => near.min_shingles = num(&a)? as usize,
            "--sketch-bits" => near.sketch_bits = num(&a)? as u8,
            "--sims" => sims = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    anyhow::ensure!(!paths.is_empty(), "usage: eval_pairs PAIRS.tsv [options]");
    eprintln!("{near:?}");
    if sims {
        // pair_id label kind jaccard containment est_jaccard est_containment
        // shared_bands total_a total_b shared_signature_bands
        for p in &paths {
            let text = std::fs::read_to_string(p)?;
            for pair in parse(&text, &p.display().to_string())? {
                let fa = fp(&pair.text_a, &near);
                let fb = fp(&pair.text_b, &near);
                let s = similarity(&fa, &fb);
                let x = exact_similarity(
                    &shingles(&pair.text_a, &near),
                    &shingles(&pair.text_b, &near),
                );
                let shared = sketch_band_hashes(&fa, &near)
                    .iter()
                    .zip(sketch_band_hashes(&fb, &near))
                    .filter(|(x, y)| **x == *y)
                    .count();
                let shared_sig = band_hashes(&fa, &near)
                    .iter()
                    .zip(band_hashes(&fb, &near))
                    .filter(|(x, y)| **x == *y)
                    .count();
                println!(
                    "{}\t{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}\t{}\t{}",
                    pair.id,
                    u8::from(pair.label),
                    pair.kind,
                    x.jaccard,
                    x.containment,
                    s.jaccard,
                    s.containment,
                    shared,
                    fa.total,
                    fb.total,
                    shared_sig
                );
            }
        }
        return Ok(());
    }
    let pipeline = std::sync::Arc::new(Pipeline::new(PipelineConfig {
        near,
        ..PipelineConfig::default()
    })?);
    let started = std::time::Instant::now();
    let report = score(&paths, &pipeline, &EvalOptions::default())?;
    eprintln!("{:.1}s", started.elapsed().as_secs_f64());
    print!("{}", report.summary);
    println!("{}", serde_json::to_string(&report.json)?);
    Ok(())
}

fn fp(text: &str, near: &NearConfig) -> lede::dedup::near::Fingerprint {
    let b = dedup_blocks(None, text);
    fingerprint(&b.title, &b.body, near)
}

fn shingles(text: &str, near: &NearConfig) -> Vec<u32> {
    let b = dedup_blocks(None, text);
    shingle_hashes(&b.title, &b.body, near.shingle)
}
