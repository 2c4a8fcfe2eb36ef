//! Train the entity tagger (greedy averaged perceptron) on CoNLL-2003 data.
//!
//! cargo run --release --example train_entities -- TRAIN.txt OUT.bin [--dev DEV.txt] [--epochs N] [--bits B] [--seed S]
//!
//! Deterministic: documents are shuffled with a fixed seed each epoch. With
//! `--dev`, prints the exact span F1 (PER/ORG/LOC) on DEV after each epoch.

use std::path::PathBuf;
use std::time::Instant;

use lede::enrich::entities::gazetteer::Gazetteer;
use lede::enrich::entities::link::build_entities;
use lede::enrich::entities::tagger::{label_of, tag_document, Scorer, Scratch, TrainDoc, Trainer};
use lede::eval::conll::{
    gold_spans, map_span, parse, predicted_spans, rebuild, score_spans, SpanScore,
};
use lede::text::TextLayer;

fn load(path: &str) -> anyhow::Result<Vec<(TrainDoc, lede::eval::conll::Rebuilt)>> {
    let text = std::fs::read_to_string(path)?;
    let docs = parse(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    Ok(docs
        .iter()
        .map(|d| {
            let r = rebuild(d);
            let layer = TextLayer::build(&r.text);
            let gold = layer
                .tokens
                .iter()
                .map(|t| {
                    let Some((ci, _)) = map_span(&r.spans, t.start, t.end) else {
                        return 0;
                    };
                    let tag = r.tags.get(ci).map(String::as_str).unwrap_or("O");
                    let at_start = r.spans.get(ci).is_some_and(|s| s.0 == t.start);
                    match tag.split_once('-') {
                        Some(("B", k)) if at_start => label_of(&format!("B-{k}")),
                        Some((_, k)) => label_of(&format!("I-{k}")),
                        None => 0,
                    }
                })
                .collect();
            (
                TrainDoc {
                    text: r.text.clone(),
                    layer,
                    gold,
                },
                r,
            )
        })
        .collect())
}

fn evaluate<S: Scorer>(
    w: &S,
    gaz: &Gazetteer,
    dev: &[(TrainDoc, lede::eval::conll::Rebuilt)],
) -> SpanScore {
    let mut total = SpanScore::default();
    let mut scratch = Scratch::default();
    for (d, r) in dev {
        let labels = tag_document(w, gaz, &d.text, &d.layer, &mut scratch);
        let ents = build_entities(&d.text, &d.layer, &labels, gaz);
        let pred = predicted_spans(&ents, &r.spans);
        total.add(&score_spans(&gold_spans(&r.tags), &pred));
    }
    total
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut dev_path = None;
    let mut epochs = 12usize;
    let mut bits = 19u32;
    let mut seed = 20_250_301u64;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--dev" => {
                dev_path = args.get(i + 1).cloned();
                i += 1;
            }
            "--epochs" => {
                epochs = args
                    .get(i + 1)
                    .map(|s| s.parse())
                    .transpose()?
                    .unwrap_or(epochs);
                i += 1;
            }
            "--bits" => {
                bits = args
                    .get(i + 1)
                    .map(|s| s.parse())
                    .transpose()?
                    .unwrap_or(bits);
                i += 1;
            }
            "--seed" => {
                seed = args
                    .get(i + 1)
                    .map(|s| s.parse())
                    .transpose()?
                    .unwrap_or(seed);
                i += 1;
            }
            a => pos.push(a.to_string()),
        }
        i += 1;
    }
    let (Some(train_path), Some(out)) = (pos.first(), pos.get(1)) else {
        anyhow::bail!("usage: train_entities TRAIN.txt OUT.bin [--dev DEV.txt] [--epochs N] [--bits B] [--seed S]");
    };
    let gaz = Gazetteer::parse(&std::fs::read_to_string("models/gazetteer.tsv")?);
    let t0 = Instant::now();
    let train = load(train_path)?;
    let dev = match &dev_path {
        Some(p) => load(p)?,
        None => Vec::new(),
    };
    let docs: Vec<TrainDoc> = train.into_iter().map(|(d, _)| d).collect();
    eprintln!(
        "loaded {} training documents in {:?}",
        docs.len(),
        t0.elapsed()
    );
    let mut trainer = Trainer::new(bits);
    for ep in 0..epochs {
        let errs = trainer.epoch(&docs, &gaz, seed.wrapping_add(ep as u64));
        if !dev.is_empty() {
            let w = trainer.finish();
            let s = evaluate(&w, &gaz, &dev);
            let raw = evaluate(&trainer, &gaz, &dev);
            eprintln!("  unaveraged f32 dev F1 {:.4}", raw.overall().f1());
            let o = s.overall();
            eprintln!(
                "epoch {ep}: {errs} train errors; dev P {:.4} R {:.4} F1 {:.4} (PER {:.4} ORG {:.4} LOC {:.4}) [{:?}]",
                o.precision(), o.recall(), o.f1(),
                s.per_type[0].f1(), s.per_type[1].f1(), s.per_type[2].f1(), t0.elapsed()
            );
        } else {
            eprintln!("epoch {ep}: {errs} train errors [{:?}]", t0.elapsed());
        }
    }
    let w = trainer.finish();
    std::fs::write(PathBuf::from(out), w.to_bytes())?;
    eprintln!("wrote {out} in {:?}", t0.elapsed());
    Ok(())
}
