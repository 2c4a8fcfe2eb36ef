//! `lede replay`: the embedded default. Reads local inputs, runs the whole
//! pipeline in-process with an in-memory (or file) dedup store, writes
//! enriched JSON Lines (or `--pretty` records in reading order). Exit 0 when
//! at least one input was enriched or found a duplicate (or there were no
//! inputs), 1 when every input was rejected, 2 when an input is unreadable.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use lede::dedup::file::FileStore;
use lede::dedup::store::{MemoryStore, SeenStore, DEFAULT_MAX_ARTICLES, DEFAULT_WINDOW};
use lede::input::read_inputs;
use lede::pipeline::{Inline, Outcome, Pipeline, PipelineConfig};

use super::show;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  lede replay examples/\n  lede replay --pretty examples/harbour-strike.txt\n  lede replay article.txt --out enriched.jsonl\n  cat feed.jsonl | lede replay -\n\n\
Languages: the entity, quote and figure extractors are written for English.\n\
Articles in other languages (identified with whatlang: 69 languages) are\n\
deduplicated and written with their `lang` and no stages run.\n\n\
Exit status: 0 ok, 1 every input rejected, 2 an input cannot be read."
)]
pub struct ReplayArgs {
    /// Files, directories (recursive: .txt, .json, .jsonl) or `-` for stdin.
    #[arg(default_value = "examples")]
    pub paths: Vec<PathBuf>,
    /// Write enriched JSON Lines here instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Write duplicate records (JSON Lines) here instead of stderr.
    #[arg(long)]
    pub duplicates: Option<PathBuf>,
    /// Remember seen articles in this file across replays (default: memory only).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Indented records with the fields in reading order (id, title,
    /// source, entities, quotes, figures, then the rest) instead of JSON Lines.
    #[arg(long)]
    pub pretty: bool,
    /// Include the 40 MinHash band hashes in `dedup.fingerprints`.
    #[arg(long)]
    pub fingerprints: bool,
}

pub fn run(args: ReplayArgs) -> Result<i32> {
    let inputs = read_inputs(&args.paths)?;
    let pipeline = std::sync::Arc::new(Pipeline::new(PipelineConfig {
        fingerprints: args.fingerprints,
        ..PipelineConfig::default()
    })?);
    let store: Box<dyn SeenStore> = match &args.state {
        Some(p) => Box::new(FileStore::open(
            p,
            DEFAULT_WINDOW,
            pipeline.config.near.clone(),
        )?),
        None => Box::new(MemoryStore::with_config(
            DEFAULT_WINDOW,
            pipeline.config.near.clone(),
            DEFAULT_MAX_ARTICLES,
        )),
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut dups: Box<dyn Write> = match &args.duplicates {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    let started = Instant::now();
    let (mut enriched, mut duplicates, mut errors) = (0usize, 0usize, 0usize);
    // A progress bar on a terminal when there are many inputs.
    let bar = lede::eval::progress_bar(
        &lede::eval::EvalOptions {
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()) && inputs.len() >= 50,
            ..Default::default()
        },
        inputs.len() as u64,
        "replay",
    );
    for input in &inputs {
        bar.inc(1);
        let raw = bytes::Bytes::from(input.bytes.clone());
        match rt.block_on(pipeline.process(raw, store.as_ref(), false, None, &Inline)) {
            Outcome::Enriched(e) => {
                if args.pretty {
                    let v = serde_json::to_value(&e)?;
                    out.write_all(show::pretty(&v).as_bytes())?;
                } else {
                    serde_json::to_writer(&mut out, &e)?;
                }
                out.write_all(b"\n")?;
                enriched += 1;
            }
            Outcome::Duplicate(d) => {
                serde_json::to_writer(&mut dups, &d)?;
                dups.write_all(b"\n")?;
                duplicates += 1;
            }
            Outcome::Poison(e) => {
                tracing::warn!(origin = %input.origin, reason = e.reason(), "rejected: {e}");
                errors += 1;
            }
            Outcome::Retry(e) => {
                tracing::warn!(origin = %input.origin, "failed: {e}");
                errors += 1;
            }
        }
    }
    bar.finish_and_clear();
    out.flush()?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "replay: {} in, {enriched} enriched, {duplicates} duplicates, {errors} errors, {:.0} articles/s",
        inputs.len(),
        inputs.len() as f64 / secs
    );
    Ok(exit_code(inputs.len(), errors))
}

/// 1 when there were inputs and every one was rejected, else 0.
fn exit_code(inputs: usize, errors: usize) -> i32 {
    i32::from(inputs > 0 && errors == inputs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_replay_with_every_input_rejected_fails() {
        assert_eq!(super::exit_code(3, 3), 1);
        assert_eq!(super::exit_code(3, 2), 0);
        assert_eq!(super::exit_code(0, 0), 0);
    }
}
