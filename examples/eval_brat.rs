//! Score the quote extractor on a PolNeAR-style brat directory until
//! `lede eval brat` is wired: `cargo run --release --example eval_brat -- DIR [--json] [--errors]`;
//! `-- --article FILE.txt` prints the quotes the full pipeline finds in an article;
//! `-- --bench DIR...` times quote extraction alone over the `.txt` files in DIR.

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
    if args.iter().any(|a| a == "--bench") {
        // Speed of quote extraction alone over the .txt files under the given
        // directories (text layer built beforehand, not timed), one thread.
        let mut docs = Vec::new();
        for d in &paths {
            let mut files: Vec<PathBuf> = std::fs::read_dir(d)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            for f in files {
                let text = std::fs::read_to_string(&f)?;
                docs.push(lede::enrich::Document::new(String::new(), text, None));
            }
        }
        let words: usize = docs.iter().map(|d| d.layer.word_count()).sum();
        let mut best = f64::MAX;
        let mut n_quotes = 0;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            n_quotes = 0;
            for d in &docs {
                n_quotes += lede::enrich::quotes::extract(d, &[]).len();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{} articles, {} words, {} quotes: best of 5 {:.4} s = {:.0} words/s, {:.0} articles/s",
            docs.len(),
            words,
            n_quotes,
            best,
            words as f64 / best,
            docs.len() as f64 / best
        );
        return Ok(());
    }
    if args.iter().any(|a| a == "--article") {
        // Print the quotes of plain-text articles through the full pipeline
        // (decode, in-article dedup, enrichment).
        for p in &paths {
            let raw = std::fs::read(p)?;
            let prepared = pipeline
                .prepare(&raw)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            let out = pipeline.enrich(prepared);
            for q in &out.quotes {
                println!(
                    "{:?} {:?} cue={:?} speaker={:?} canonical={:?} conf={:.2}",
                    q.kind,
                    q.text,
                    q.cue.as_ref().map(|c| c.text.as_str()),
                    q.speaker.as_ref().map(|s| s.mention.text.as_str()),
                    q.speaker.as_ref().and_then(|s| s.canonical.as_deref()),
                    q.confidence
                );
            }
        }
        return Ok(());
    }
    let opts = EvalOptions {
        errors,
        progress: true,
        ..Default::default()
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
