//! Score the entity stage on CoNLL files until `lede eval conll` lands.
//!
//! cargo run --release --example eval_conll -- FILE... [--errors]

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
    let opts = EvalOptions {
        errors,
        progress: false,
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
