//! Score figure extraction on Recognizers-Text spec files until `lede eval
//! recognizers` is wired in: `cargo run --release --example eval_recognizers
//! -- [--errors] FILE...`. Prints the summary, then the JSON report.

use std::path::PathBuf;

use lede::eval::{recognizers, EvalOptions};
use lede::pipeline::{Pipeline, PipelineConfig};

fn main() -> anyhow::Result<()> {
    let mut errors = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--errors" {
            errors = true;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    let pipeline = Pipeline::new(PipelineConfig::default())?;
    let opts = EvalOptions {
        errors,
        progress: false,
    };
    let report = recognizers::score(&paths, &pipeline, &opts)?;
    for e in &report.errors {
        println!("{e}");
    }
    print!("{}", report.summary);
    println!("{}", serde_json::to_string(&report.json)?);
    Ok(())
}
