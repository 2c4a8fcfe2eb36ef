//! Train the entity tagger (greedy averaged perceptron) on CoNLL-format corpora.
//!
//! cargo run --release --example train_entities -- TRAIN.txt OUT.bin [--extra MORE.conll[:K]]... [--dev DEV.txt] [--gum GUM_DIR] [--gold GOLD_DIR] [--epochs N] [--bits B] [--seed S] [--ensemble K]
//!
//! TRAIN and every `--extra` corpus are CoNLL columns (`word ... TAG`, IOB2,
//! `-DOCSTART-` between documents); an extra corpus with `:K` is read K
//! times (its documents weigh K times as much).
//! Deterministic: documents are shuffled with a fixed seed each epoch. With
//! `--dev`, prints the exact span F1 (PER/ORG/LOC) on DEV after each epoch.
//! With `--gum`, prints the final model's exact and head-match F1 on the GUM
//! news documents under GUM_DIR (as `lede eval gum GUM_DIR` would score them
//! with this model embedded).

use std::path::PathBuf;
use std::time::Instant;

use lede::enrich::entities::gazetteer::Gazetteer;
use lede::enrich::entities::link::build_entities;
use lede::enrich::entities::tagger::{
    label_of, tag_document, Scorer, Scratch, TrainDoc, Trainer, Weights,
};
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

/// Exact and head-match F1 of `w` on the GUM news documents under `dir`.
fn evaluate_gum(w: &Weights, gaz: &Gazetteer, dir: &str) -> anyhow::Result<(f64, f64)> {
    use lede::eval::gum;
    let docs = gum::load(&[PathBuf::from(dir)]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let model = lede::enrich::entities::EntityModel {
        weights: w.clone(),
        gazetteer: gaz.clone(),
    };
    let mut total = gum::Score::default();
    for doc in docs.iter().filter(|d| d.genre == "news") {
        let r = gum::rebuild(doc);
        let d = lede::enrich::Document::new("", r.text.clone(), None);
        let ents = lede::enrich::entities::extract(&model, &d);
        let pred = predicted_spans(&ents, &r.spans);
        total.add(&gum::score_doc(&gum::gold_spans(doc), &pred));
    }
    Ok((total.spans.overall().f1(), total.head_overall().f1()))
}

/// The summary of `lede eval gold DIR` with `w` as the entity model.
fn evaluate_gold(w: &Weights, gaz: &Gazetteer, dir: &str) -> anyhow::Result<String> {
    let mut pipeline = lede::pipeline::Pipeline::new(Default::default())?;
    pipeline.enricher.entity_model = std::sync::Arc::new(lede::enrich::entities::EntityModel {
        weights: w.clone(),
        gazetteer: gaz.clone(),
    });
    let opts = lede::eval::EvalOptions {
        errors: false,
        progress: false,
        genre: Default::default(),
    };
    let report = lede::eval::gold::score(&[PathBuf::from(dir)], &pipeline, &opts)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(report.summary)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut dev_path = None;
    let mut extras: Vec<(String, usize)> = Vec::new();
    let mut gum_path = None;
    let mut gold_path = None;
    let mut epochs = 20usize;
    let mut bits = 19u32;
    let mut seed = 20_250_301u64;
    let mut ensemble = 3usize;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--dev" => {
                dev_path = args.get(i + 1).cloned();
                i += 1;
            }
            "--extra" => {
                if let Some(a) = args.get(i + 1) {
                    let (p, k) = match a.rsplit_once(':') {
                        Some((p, k)) if k.parse::<usize>().is_ok() => (p, k.parse()?),
                        _ => (a.as_str(), 1),
                    };
                    extras.push((p.to_string(), k));
                }
                i += 1;
            }
            "--gold" => {
                gold_path = args.get(i + 1).cloned();
                i += 1;
            }
            "--gum" => {
                gum_path = args.get(i + 1).cloned();
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
            "--ensemble" => {
                ensemble = args
                    .get(i + 1)
                    .map(|s| s.parse())
                    .transpose()?
                    .unwrap_or(ensemble);
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
        anyhow::bail!("usage: train_entities TRAIN.txt OUT.bin [--dev DEV.txt] [--gum GUM_DIR] [--gold GOLD_DIR] [--epochs N] [--bits B] [--seed S] [--ensemble K]");
    };
    let gaz = Gazetteer::parse(&std::fs::read_to_string("models/gazetteer.tsv")?);
    let t0 = Instant::now();
    let train = load(train_path)?;
    let dev = match &dev_path {
        Some(p) => load(p)?,
        None => Vec::new(),
    };
    let mut docs: Vec<TrainDoc> = train.into_iter().map(|(d, _)| d).collect();
    for (p, k) in &extras {
        for _ in 0..*k {
            let more = load(p)?;
            eprintln!("{p}: {} documents", more.len());
            docs.extend(more.into_iter().map(|(d, _)| d));
        }
    }
    eprintln!(
        "loaded {} training documents in {:?}",
        docs.len(),
        t0.elapsed()
    );
    // `--ensemble K`: K runs with different shuffling seeds, their averaged
    // weights averaged again (no cost at tagging time).
    let mut sum: Vec<f32> = Vec::new();
    for k in 0..ensemble.max(1) {
        let run_seed = seed.wrapping_add(1000 * k as u64);
        let mut trainer = Trainer::new(bits);
        for ep in 0..epochs {
            let errs = trainer.epoch(&docs, &gaz, run_seed.wrapping_add(ep as u64));
            if !dev.is_empty() && (ep + 1 == epochs || ensemble == 1) {
                let w = trainer.finish();
                let s = evaluate(&w, &gaz, &dev);
                let o = s.overall();
                eprintln!(
                    "run {k} epoch {ep}: {errs} train errors; dev P {:.4} R {:.4} F1 {:.4} (PER {:.4} ORG {:.4} LOC {:.4}) [{:?}]",
                    o.precision(), o.recall(), o.f1(),
                    s.per_type[0].f1(), s.per_type[1].f1(), s.per_type[2].f1(), t0.elapsed()
                );
            } else {
                eprintln!(
                    "run {k} epoch {ep}: {errs} train errors [{:?}]",
                    t0.elapsed()
                );
            }
        }
        let avg = trainer.averaged();
        if sum.is_empty() {
            sum = avg;
        } else {
            for (a, b) in sum.iter_mut().zip(avg) {
                *a += b;
            }
        }
    }
    let w = Weights::quantise(bits, &sum);
    if !dev.is_empty() && ensemble > 1 {
        let s = evaluate(&w, &gaz, &dev);
        let o = s.overall();
        eprintln!(
            "ensemble of {ensemble}: dev P {:.4} R {:.4} F1 {:.4} (PER {:.4} ORG {:.4} LOC {:.4})",
            o.precision(),
            o.recall(),
            o.f1(),
            s.per_type[0].f1(),
            s.per_type[1].f1(),
            s.per_type[2].f1()
        );
    }
    if let Some(g) = &gum_path {
        let (exact, head) = evaluate_gum(&w, &gaz, g)?;
        eprintln!("GUM news: exact F1 {exact:.4}, head match F1 {head:.4}");
    }
    if let Some(g) = &gold_path {
        eprintln!("{}", evaluate_gold(&w, &gaz, g)?);
    }
    std::fs::write(PathBuf::from(out), w.to_bytes())?;
    eprintln!("wrote {out} in {:?}", t0.elapsed());
    Ok(())
}
