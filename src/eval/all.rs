//! `lede eval all ROOT`: every dev set under one evaluation root, scored by
//! the real scorers and summarised in one table, so that a change is judged
//! on the whole pool at once. The layout is the shared evaluation folder's
//! (`INDEX.md` there): `gold/` (the BBC files and the seed article),
//! `ner/conllpp_dev.txt`, `gum/dep`, `quotes/polnear/dev`,
//! `figures/recognizers-text/specs`, `dedup/neardup_pairs.tsv`. A set that is
//! absent is listed as skipped, not an error; a set that is present but
//! unreadable is an error (exit 2), as with the single-format commands.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use super::{brat, conll, gold, gum, pairs, recognizers, EvalError, EvalOptions, EvalReport};
use crate::pipeline::Pipeline;

/// One row of the table: a set, what is measured, and the value as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub set: String,
    pub metric: &'static str,
    pub value: String,
}

type Scorer = fn(&[PathBuf], &Arc<Pipeline>, &EvalOptions) -> Result<EvalReport, EvalError>;

/// The sets of the pool: name, paths under the root, scorer, rows it gives.
struct Set {
    name: &'static str,
    paths: Vec<PathBuf>,
    scorer: Scorer,
    rows: fn(&str, &Value) -> Vec<Row>,
}

/// Score every set found under `root`.
pub fn score(
    root: &Path,
    pipeline: &Arc<Pipeline>,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    if !root.is_dir() {
        return Err(EvalError::Unreadable {
            path: root.display().to_string(),
            reason: "not a directory (give the evaluation root, e.g. ../shared/eval)".into(),
        });
    }
    let (bbc, seed) = gold_files(&root.join("gold"))?;
    let sets = [
        Set {
            name: "BBC gold",
            paths: bbc,
            scorer: |p, pl, o| gold::score(p, pl, o),
            rows: gold_rows,
        },
        Set {
            name: "seed article",
            paths: seed,
            scorer: |p, pl, o| gold::score(p, pl, o),
            rows: gold_rows,
        },
        Set {
            name: "CoNLL++ dev",
            paths: existing(root.join("ner/conllpp_dev.txt")),
            scorer: |p, pl, o| conll::score(p, pl, o),
            rows: conll_rows,
        },
        Set {
            name: "GUM",
            paths: existing(root.join("gum/dep")),
            scorer: |p, pl, o| gum::score(p, pl, o),
            rows: gum_rows,
        },
        Set {
            name: "PolNeAR dev",
            paths: existing(root.join("quotes/polnear/dev")),
            scorer: |p, pl, o| brat::score(p, pl, o),
            rows: brat_rows,
        },
        Set {
            name: "Recognizers-Text",
            paths: existing(root.join("figures/recognizers-text/specs")),
            scorer: |p, pl, o| recognizers::score(p, pl, o),
            rows: recognizers_rows,
        },
        Set {
            name: "dedup pairs",
            paths: existing(root.join("dedup/neardup_pairs.tsv")),
            scorer: pairs::score,
            rows: pairs_rows,
        },
    ];
    let mut rows = Vec::new();
    let mut sets_json = serde_json::Map::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    for set in sets {
        if set.paths.is_empty() {
            skipped.push(set.name);
            continue;
        }
        let report = (set.scorer)(&set.paths, pipeline, opts)?;
        rows.extend((set.rows)(set.name, &report.json));
        errors.extend(report.errors.iter().map(|e| format!("{}: {e}", set.name)));
        sets_json.insert(set.name.to_string(), report.json);
    }
    let mut summary = render_table(&rows);
    if !skipped.is_empty() {
        summary.push_str(&format!(
            "skipped (not under {}): {}\n",
            root.display(),
            skipped.join(", ")
        ));
    }
    Ok(EvalReport {
        json: json!({
            "format": "all",
            "inputs": sets_json.len(),
            "root": root.display().to_string(),
            "sets": sets_json,
            "skipped": skipped,
        }),
        summary,
        errors,
    })
}

fn existing(p: PathBuf) -> Vec<PathBuf> {
    if p.exists() {
        vec![p]
    } else {
        Vec::new()
    }
}

/// The gold files under `dir`, split into the BBC dev articles and the rest
/// (the seed article), each sorted by name.
fn gold_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), EvalError> {
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| EvalError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files.into_iter().partition(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("bbc-"))
    }))
}

fn num(v: &Value, pointer: &str) -> Option<f64> {
    v.pointer(pointer).and_then(Value::as_f64)
}

fn f3(v: &Value, pointer: &str) -> String {
    num(v, pointer).map_or_else(|| "-".into(), |x| format!("{x:.3}"))
}

fn row(set: &str, metric: &'static str, value: String) -> Row {
    Row {
        set: set.to_string(),
        metric,
        value,
    }
}

fn per_type(v: &Value, base: &str) -> String {
    format!(
        "{} (PER {} ORG {} LOC {})",
        f3(v, &format!("{base}/f1")),
        f3(v, &format!("{base}/per_type/PER/f1")),
        f3(v, &format!("{base}/per_type/ORG/f1")),
        f3(v, &format!("{base}/per_type/LOC/f1")),
    )
}

fn gold_rows(set: &str, v: &Value) -> Vec<Row> {
    let files = v.pointer("/inputs").and_then(Value::as_u64).unwrap_or(0);
    let set = format!("{set} ({files})");
    let mut out = Vec::new();
    if v.pointer("/entities/f1").is_some() {
        out.push(row(&set, "entity F1", per_type(v, "/entities")));
    }
    if v.pointer("/quotes/f1").is_some() {
        out.push(row(&set, "quote F1", f3(v, "/quotes/f1")));
        out.push(row(
            &set,
            "speaker accuracy",
            f3(v, "/quotes/speaker_accuracy"),
        ));
        out.push(row(
            &set,
            "quote end-to-end F1",
            f3(v, "/quotes/end_to_end_f1"),
        ));
    }
    if v.pointer("/figures/f1").is_some() {
        out.push(row(&set, "figure F1", f3(v, "/figures/f1")));
    }
    if let (Some(p), Some(f)) = (
        v.pointer("/dedup/files_passed").and_then(Value::as_u64),
        v.pointer("/dedup/files_failed").and_then(Value::as_u64),
    ) {
        if p + f > 0 {
            out.push(row(
                &set,
                "in-article dedup",
                format!("{p}/{} passed", p + f),
            ));
        }
    }
    out
}

fn conll_rows(set: &str, v: &Value) -> Vec<Row> {
    vec![row(set, "entity F1 (exact)", per_type(v, "/entities"))]
}

fn gum_rows(set: &str, v: &Value) -> Vec<Row> {
    let mut out = Vec::new();
    for genre in ["news", "interview"] {
        let base = format!("/per_genre/{genre}/entities");
        if v.pointer(&base).is_none() {
            continue;
        }
        out.push(row(
            &format!("{set} {genre}"),
            "entity F1 exact / head",
            format!(
                "{} / {}",
                f3(v, &format!("{base}/f1")),
                per_type(v, &format!("{base}/head_match"))
            ),
        ));
    }
    out
}

fn brat_rows(set: &str, v: &Value) -> Vec<Row> {
    let correct = v.pointer("/quotes/speaker_correct").and_then(Value::as_u64);
    let found = v.pointer("/quotes/found").and_then(Value::as_u64);
    let acc = match (correct, found) {
        (Some(c), Some(f)) => format!("{} ({c}/{f})", f3(v, "/quotes/speaker_accuracy")),
        _ => f3(v, "/quotes/speaker_accuracy"),
    };
    vec![
        row(set, "quote F1", f3(v, "/quotes/f1")),
        row(set, "speaker accuracy", acc),
        row(set, "quote end-to-end F1", f3(v, "/quotes/end_to_end_f1")),
    ]
}

fn recognizers_rows(set: &str, v: &Value) -> Vec<Row> {
    let mut out = vec![row(
        set,
        "pass rate, all files",
        f3(v, "/figures/pass_rate"),
    )];
    if let Some(files) = v.pointer("/figures/per_file").and_then(Value::as_object) {
        for (name, f) in files {
            let short = name
                .trim_end_matches(".json")
                .trim_start_matches("NumberWithUnit_English_")
                .trim_start_matches("Number_English_")
                .trim_start_matches("DateTime_English_");
            let passed = f
                .pointer("/all/passed")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            let expected = f
                .pointer("/all/expected")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            out.push(Row {
                set: format!("{set} {short}"),
                metric: "pass rate",
                value: format!("{} ({passed}/{expected})", f3(f, "/all/pass_rate")),
            });
        }
    }
    out
}

fn pairs_rows(set: &str, v: &Value) -> Vec<Row> {
    vec![row(
        set,
        "near-duplicate P / R / F1",
        format!(
            "{} / {} / {}",
            f3(v, "/dedup/precision"),
            f3(v, "/dedup/recall"),
            f3(v, "/dedup/f1")
        ),
    )]
}

/// The rows as an aligned text table.
pub fn render_table(rows: &[Row]) -> String {
    let w_set = rows.iter().map(|r| r.set.len()).max().unwrap_or(3).max(3);
    let w_metric = rows
        .iter()
        .map(|r| r.metric.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!("{:<w_set$}  {:<w_metric$}  value\n", "set", "metric");
    for r in rows {
        out.push_str(&format!(
            "{:<w_set$}  {:<w_metric$}  {}\n",
            r.set, r.metric, r.value
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_rows_read_the_scorer_json() {
        let v = json!({
            "inputs": 2,
            "entities": {"f1": 0.5, "per_type": {"PER": {"f1": 1.0}, "ORG": {"f1": 0.25}}},
            "quotes": {"f1": 0.9, "speaker_accuracy": 0.75, "end_to_end_f1": 0.7},
            "dedup": {"files_passed": 0, "files_failed": 0},
        });
        let rows = gold_rows("BBC gold", &v);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].set, "BBC gold (2)");
        assert_eq!(rows[0].value, "0.500 (PER 1.000 ORG 0.250 LOC -)");
        assert_eq!(rows[2].value, "0.750");
    }

    #[test]
    fn table_is_aligned_with_a_header() {
        let t = render_table(&[
            row("a", "m", "1".into()),
            row("longer", "metric", "2".into()),
        ]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "set     metric  value");
        assert_eq!(lines[1], "a       m       1");
        assert_eq!(lines[2], "longer  metric  2");
    }

    #[test]
    fn a_missing_root_is_an_error_and_an_empty_one_skips_every_set() {
        let pipeline = Arc::new(Pipeline::new(Default::default()).unwrap());
        let opts = EvalOptions::default();
        assert!(score(Path::new("/nonexistent/lede-eval-all"), &pipeline, &opts).is_err());
        let dir = tempfile::tempdir().unwrap();
        let report = score(dir.path(), &pipeline, &opts).unwrap();
        assert_eq!(report.json["inputs"], 0);
        assert!(report.summary.contains("skipped"));
        assert!(report.summary.contains("CoNLL++ dev"));
    }
}
