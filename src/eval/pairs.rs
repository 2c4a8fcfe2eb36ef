//! Scorer for `lede eval dedup FILE`: labelled near-duplicate pairs (TSV
//! `pair_id label kind file_a file_b text_a text_b`, texts escaped with `\n`,
//! `\t`, `\r`, `\\`). For each pair a fresh in-memory store sees `text_a` then
//! `text_b` through the real pipeline (`Pipeline::process`); the prediction is
//! positive when `text_b` comes out as a duplicate. Reports P/R/F1, recall per
//! kind of positive pair, the false-positive rate per kind of negative pair,
//! and the false positives by pair id.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use super::{Counts, EvalError, EvalOptions, EvalReport};
use crate::dedup::store::{MemoryStore, DEFAULT_MAX_ARTICLES, DEFAULT_WINDOW};
use std::sync::Arc;

use bytes::Bytes;

use crate::pipeline::{Inline, Outcome, Pipeline};

/// One labelled pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub id: String,
    pub label: bool,
    pub kind: String,
    pub text_a: String,
    pub text_b: String,
}

/// Undo the TSV escaping: `\\`, `\n`, `\t`, `\r`; any other escaped character
/// stands for itself, a trailing lone backslash is kept.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Parse the pairs TSV (header line first).
pub fn parse(text: &str, path: &str) -> Result<Vec<Pair>, EvalError> {
    let bad = |line: usize, reason: String| EvalError::BadFormat {
        path: path.to_string(),
        reason: format!("line {line}: {reason}"),
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.split('\t').next() == Some("pair_id") => {}
        _ => {
            return Err(bad(
                1,
                "expected the header `pair_id\tlabel\tkind...`".into(),
            ))
        }
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [id, label, kind, _fa, _fb, a, b] = cols.as_slice() else {
            return Err(bad(i + 1, format!("{} columns, expected 7", cols.len())));
        };
        let label = match *label {
            "1" => true,
            "0" => false,
            other => return Err(bad(i + 1, format!("label {other:?} is not 0 or 1"))),
        };
        out.push(Pair {
            id: id.to_string(),
            label,
            kind: kind.to_string(),
            text_a: unescape(a),
            text_b: unescape(b),
        });
    }
    Ok(out)
}

/// Whether the pipeline judges `b` a duplicate of `a` (fresh store).
pub fn predict(pipeline: &Arc<Pipeline>, a: &str, b: &str) -> bool {
    let store = MemoryStore::with_config(
        DEFAULT_WINDOW,
        pipeline.config.near.clone(),
        DEFAULT_MAX_ARTICLES,
    );
    futures::executor::block_on(async {
        let (a, b) = (Bytes::from(a.to_string()), Bytes::from(b.to_string()));
        let _ = pipeline.process(a, &store, false, None, &Inline).await;
        matches!(
            pipeline.process(b, &store, false, None, &Inline).await,
            Outcome::Duplicate(_)
        )
    })
}

/// Score `pipeline` on the pairs files at `paths`.
pub fn score(
    paths: &[PathBuf],
    pipeline: &Arc<Pipeline>,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let mut pairs = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).map_err(|e| EvalError::Unreadable {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
        pairs.extend(parse(&text, &p.display().to_string())?);
    }
    let bar = if opts.progress {
        indicatif::ProgressBar::new(pairs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut counts = Counts::default();
    // kind -> (label, predicted positive, pairs)
    let mut kinds: BTreeMap<String, (bool, usize, usize)> = BTreeMap::new();
    let mut false_pos = Vec::new();
    let mut errors = Vec::new();
    for p in &pairs {
        let dup = predict(pipeline, &p.text_a, &p.text_b);
        let e = kinds.entry(p.kind.clone()).or_insert((p.label, 0, 0));
        e.2 += 1;
        if dup {
            e.1 += 1;
        }
        match (p.label, dup) {
            (true, true) => counts.tp += 1,
            (false, true) => {
                counts.fp += 1;
                false_pos.push(p.id.clone());
                if opts.errors {
                    errors.push(format!("false positive {} ({})", p.id, p.kind));
                }
            }
            (true, false) => {
                counts.fn_ += 1;
                if opts.errors {
                    errors.push(format!("missed {} ({})", p.id, p.kind));
                }
            }
            (false, false) => {}
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut per_kind = serde_json::Map::new();
    let mut summary = format!(
        "dedup pairs: {} pairs, precision {:.4}, recall {:.4}, f1 {:.4}\n",
        pairs.len(),
        counts.precision(),
        counts.recall(),
        counts.f1()
    );
    for (kind, (label, pos, n)) in &kinds {
        let rate = super::ratio(*pos, *n);
        let (name, v) = if *label {
            ("recall", rate)
        } else {
            ("false_positive_rate", rate)
        };
        per_kind.insert(kind.clone(), json!({ name: v, "pairs": n }));
        summary.push_str(&format!("  {kind:<24} {name} {v:.4} ({n} pairs)\n"));
    }
    if !false_pos.is_empty() {
        summary.push_str(&format!("  false positives: {}\n", false_pos.join(" ")));
    }
    let mut dedup = counts.prf_json();
    if let Some(obj) = dedup.as_object_mut() {
        obj.insert("per_kind".into(), serde_json::Value::Object(per_kind));
        obj.insert("false_positives".into(), json!(false_pos));
    }
    Ok(EvalReport {
        json: json!({ "format": "dedup", "inputs": pairs.len(), "dedup": dedup }),
        summary,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::memory::tests::{OTHER, STORY};
    use crate::pipeline::PipelineConfig;

    fn esc(s: &str) -> String {
        s.replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\t', "\\t")
    }

    fn tsv(rows: &[(&str, u8, &str, &str, &str)]) -> String {
        let mut s = "pair_id\tlabel\tkind\tfile_a\tfile_b\ttext_a\ttext_b\n".to_string();
        for (id, label, kind, a, b) in rows {
            s.push_str(&format!(
                "{id}\t{label}\t{kind}\ta.txt\tb.txt\t{}\t{}\n",
                esc(a),
                esc(b)
            ));
        }
        s
    }

    fn run(rows: &[(&str, u8, &str, &str, &str)]) -> serde_json::Value {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.tsv");
        std::fs::write(&path, tsv(rows)).unwrap();
        let pipeline = Arc::new(Pipeline::new(PipelineConfig::default()).unwrap());
        score(&[path], &pipeline, &EvalOptions::default())
            .unwrap()
            .json
    }

    fn story() -> String {
        format!("Ferry vote\n\n{STORY}")
    }

    #[test]
    fn unescape_rules() {
        assert_eq!(unescape(r"a\nb\tc\\n\r"), "a\nb\tc\\n\r");
        assert_eq!(unescape("end\\"), "end\\");
        assert_eq!(unescape(r"\q"), "q");
    }

    #[test]
    fn perfect_score() {
        let copy = format!("Advertisement\n\n{}\n\nAll rights reserved.", story());
        let j = run(&[
            ("p1", 1, "boilerplate", &story(), &copy),
            (
                "n1",
                0,
                "neg_hard",
                &story(),
                &format!("Council backs ferry plan\n\n{OTHER}"),
            ),
        ]);
        assert_eq!(j["format"], "dedup");
        assert_eq!(j["inputs"], 2);
        assert_eq!(j["dedup"]["precision"], 1.0);
        assert_eq!(j["dedup"]["recall"], 1.0);
        assert_eq!(j["dedup"]["f1"], 1.0);
        assert_eq!(j["dedup"]["per_kind"]["boilerplate"]["recall"], 1.0);
        assert_eq!(
            j["dedup"]["per_kind"]["neg_hard"]["false_positive_rate"],
            0.0
        );
        assert_eq!(j["dedup"]["false_positives"], serde_json::json!([]));
    }

    #[test]
    fn zero_score_and_false_positive() {
        // A mislabelled identical pair (negative) and an unrelated "positive".
        let j = run(&[
            ("n1", 0, "neg_random", &story(), &story()),
            ("p1", 1, "shuffle", &story(), "Snow\n\nHeavy snow closed the pass overnight and stranded hundreds of drivers for hours."),
        ]);
        assert_eq!(j["dedup"]["precision"], 0.0);
        assert_eq!(j["dedup"]["recall"], 0.0);
        assert_eq!(j["dedup"]["f1"], 0.0);
        assert_eq!(j["dedup"]["false_positives"], serde_json::json!(["n1"]));
        assert_eq!(
            j["dedup"]["per_kind"]["neg_random"]["false_positive_rate"],
            1.0
        );
        assert_eq!(j["dedup"]["per_kind"]["shuffle"]["recall"], 0.0);
    }

    #[test]
    fn half_recall() {
        // tp 1, fn 1, fp 0: P = 1, R = 0.5, F1 = 2/3.
        let j = run(&[
            (
                "p1",
                1,
                "typography",
                &story(),
                &story().replace("said", "said "),
            ),
            ("p2", 1, "truncate", &story(), "Ferry\n\nThe council met."),
        ]);
        assert_eq!(j["dedup"]["precision"], 1.0);
        assert_eq!(j["dedup"]["recall"], 0.5);
        let f1 = j["dedup"]["f1"].as_f64().unwrap();
        assert!((f1 - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs() {
        let pipeline = Arc::new(Pipeline::new(PipelineConfig::default()).unwrap());
        let missing = score(
            &[PathBuf::from("/nonexistent/pairs.tsv")],
            &pipeline,
            &EvalOptions::default(),
        );
        assert!(matches!(missing, Err(EvalError::Unreadable { .. })));
        assert!(parse("nope\n", "x").is_err());
        assert!(parse("pair_id\tlabel\n1\t1\tk\n", "x").is_err());
        assert!(parse("pair_id\tlabel\nx\t2\tk\ta\tb\tc\td\n", "x").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            let _ = unescape(&text);
            let _ = parse(&format!("pair_id\tlabel\n{text}"), "x");
        }
    }
}
