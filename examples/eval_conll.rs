//! Score the entity stage on CoNLL files until `lede eval conll` lands.
//!
//! cargo run --release --example eval_conll -- FILE... [--errors]
//! cargo run --release --example eval_conll -- --text ARTICLE.txt...   (print entities)

use std::path::PathBuf;

use lede::eval::{conll, EvalOptions};
use lede::pipeline::{Pipeline, PipelineConfig};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let pipeline = Pipeline::new(PipelineConfig::default())?;
    if let Some(i) = args.iter().position(|a| a == "--text") {
        // Print the entities of plain-text articles (through the whole pipeline).
        for p in args.iter().skip(i + 1) {
            let raw = std::fs::read(p)?;
            let prepared = pipeline
                .prepare(&raw)
                .map_err(|e| anyhow::anyhow!("{p}: {e}"))?;
            let out = pipeline.enrich(prepared);
            for e in &out.entities {
                let ms: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
                println!(
                    "{} {:<6} {:<28} x{} {:?}",
                    e.id,
                    e.kind.as_str(),
                    e.canonical,
                    e.count,
                    ms
                );
            }
        }
        return Ok(());
    }
    let opts = EvalOptions {
        errors,
        progress: false,
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let r = conll::score(&paths, &pipeline, &opts)?;
    for e in &r.errors {
        println!("{e}");
    }
    println!("{}", r.summary);
    println!("{}", r.json);
    eprintln!("took {:?}", t0.elapsed());
    Ok(())
}
