//! Score the quote extractor on a PolNeAR-style brat directory until
//! `lede eval brat` is wired: `cargo run --release --example eval_brat -- DIR [--json] [--errors]`.

use std::path::PathBuf;

use lede::eval::{brat, EvalOptions};
use lede::pipeline::{Pipeline, PipelineConfig};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
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
    let started = std::time::Instant::now();
    let report = brat::score(&paths, &pipeline, &opts)?;
    if errors {
        for e in &report.errors {
            println!("{e}");
        }
    }
    if json {
        println!("{}", report.json);
    } else {
        println!("{}", report.summary);
        eprintln!("({:.2} s)", started.elapsed().as_secs_f64());
    }
    Ok(())
}
