//! Scorer for `lede eval recognizers FILE|DIR...`: Microsoft Recognizers-Text
//! model-level spec JSON (array of `{Input, Results: [{Text, TypeName,
//! Resolution, Start, End}]}`, optional BOM, `NotSupported*` flags).
//!
//! Each `Input` runs through the pipeline's figure stage as the body of a
//! document with no title and no publication date. Scoring is per expected
//! result (`Text`, `Start`, `End` are not compared):
//! - expected results are those whose `Resolution.value` is neither JSON
//!   null nor the string "null";
//! - currency: some output money figure has the same value (relative
//!   tolerance 1e-9) and the spec's `isoCurrency`, or, without one, a code of
//!   the same family as the spec's `unit` (Dollar: any dollar; Pound: GBP;
//!   Cent: cents of a dollar or euro, i.e. value/100; Pence/Penny: GBP
//!   value/100; Franc: any franc; Rupee: any rupee; other names: the code
//!   whose ISO name is that name);
//! - percentage: some output percent figure has the same value (the number
//!   before `%`);
//! - number: some output figure of any kind has that value (or that low or
//!   high end of a range).
//!
//! pass rate = expected results passed / expected results; strict rate =
//! share of cases where every expected result passed and the system output
//! no more figures of the scored kind than the case expects. Both are also
//! given for the inputs de-tokenised with the README's three substitutions
//! (`c $` -> `C$`, `$ 75` -> `$75`, `27 %` -> `27%`), and restricted to the
//! supported cases (no `NotSupported`/`NotSupportedByDesign` flag).
//! Results of other types (ordinal, dimension, datetime...) are not scored.
//! A directory stands for its `*.json` spec files (non-spec JSON skipped).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{json, Value};

use super::{ratio, EvalError, EvalOptions, EvalReport};
use crate::enrich::{Document, Enricher, StageSet};
use crate::output::{Figure, FigureKind};
use crate::pipeline::Pipeline;

/// Which figures a spec result is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Currency,
    Percent,
    Number,
}

#[derive(Debug, Clone)]
struct Expected {
    model: Model,
    value: f64,
    iso: Option<String>,
    unit: Option<String>,
    text: String,
}

#[derive(Debug, Clone)]
struct Case {
    input: String,
    supported: bool,
    /// Scored model of this case (from its results, else from the file).
    model: Model,
    expected: Vec<Expected>,
}

/// Pass / strict tallies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    expected: usize,
    passed: usize,
    cases: usize,
    strict: usize,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.expected += o.expected;
        self.passed += o.passed;
        self.cases += o.cases;
        self.strict += o.strict;
    }
    fn pass_rate(&self) -> f64 {
        ratio(self.passed, self.expected)
    }
    fn strict_rate(&self) -> f64 {
        ratio(self.strict, self.cases)
    }
}

/// Score the figure stage of `pipeline` on the spec files at `paths`.
pub fn score(
    paths: &[PathBuf],
    pipeline: &Pipeline,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let enricher = Enricher {
        entity_model: pipeline.enricher.entity_model.clone(),
        stages: StageSet {
            entities: false,
            quotes: false,
            figures: true,
        },
    };
    let run =
        |text: &str| -> Vec<Figure> { enricher.enrich(&Document::new("", text, None)).figures };
    score_with(paths, &run, opts)
}

/// Load the cases of one spec file.
fn load(path: &Path) -> Result<Vec<Case>, EvalError> {
    let raw = std::fs::read(path).map_err(|e| EvalError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8(raw).map_err(|e| EvalError::Unreadable {
        path: path.display().to_string(),
        reason: format!("not UTF-8: {e}"),
    })?;
    parse_spec(&text, &path.display().to_string())
}

fn bad(path: &str, reason: impl Into<String>) -> EvalError {
    EvalError::BadFormat {
        path: path.to_string(),
        reason: reason.into(),
    }
}

fn model_of(type_name: &str) -> Option<Model> {
    match type_name {
        "currency" => Some(Model::Currency),
        "percentage" => Some(Model::Percent),
        "number" => Some(Model::Number),
        _ => None,
    }
}

/// Parse spec JSON text (a leading BOM is allowed).
fn parse_spec(text: &str, path: &str) -> Result<Vec<Case>, EvalError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let v: Value = serde_json::from_str(text).map_err(|e| bad(path, e.to_string()))?;
    let arr = v
        .as_array()
        .ok_or_else(|| bad(path, "top level is not an array"))?;
    // the file's model: the first scored TypeName in it
    let file_model = arr
        .iter()
        .filter_map(|c| c.get("Results")?.as_array())
        .flatten()
        .filter_map(|r| {
            r.get("TypeName")
                .or_else(|| r.get("Typename"))?
                .as_str()
                .and_then(model_of)
        })
        .next();
    let mut cases = Vec::with_capacity(arr.len());
    for (k, c) in arr.iter().enumerate() {
        let input = c
            .get("Input")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, format!("case {k}: no Input string")))?
            .to_string();
        let supported = c.get("NotSupported").is_none() && c.get("NotSupportedByDesign").is_none();
        let mut expected = Vec::new();
        let mut case_model = None;
        let results = c.get("Results").and_then(Value::as_array);
        for r in results.into_iter().flatten() {
            let tn = r
                .get("TypeName")
                .or_else(|| r.get("Typename"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let Some(model) = model_of(tn) else { continue };
            case_model.get_or_insert(model);
            let res = r.get("Resolution");
            let value = res
                .and_then(|x| x.get("value"))
                .and_then(Value::as_str)
                .map(|s| s.trim().trim_end_matches('%').trim());
            let Some(value) = value.filter(|s| *s != "null" && !s.is_empty()) else {
                continue;
            };
            let Ok(value) = value.parse::<f64>() else {
                continue;
            };
            let get = |k: &str| {
                res.and_then(|x| x.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            expected.push(Expected {
                model,
                value,
                iso: get("isoCurrency"),
                unit: get("unit"),
                text: r
                    .get("Text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            });
        }
        let Some(model) = case_model.or(file_model) else {
            continue;
        };
        cases.push(Case {
            input,
            supported,
            model,
            expected,
        });
    }
    Ok(cases)
}

/// The README's de-tokenisation: `c $` -> `C$`, `$ 75` -> `$75`, `27 %` -> `27%`.
pub fn detokenize(s: &str) -> String {
    static RES: OnceLock<Option<[Regex; 3]>> = OnceLock::new();
    let Some([a, b, c]) = RES
        .get_or_init(|| {
            Some([
                Regex::new(r"\b(c|hk|us|nz) \$").ok()?,
                Regex::new(r"([$£€¥₹]) (\d)").ok()?,
                Regex::new(r"(\d) %").ok()?,
            ])
        })
        .as_ref()
    else {
        return s.to_string();
    };
    let s = a.replace_all(s, |cap: &regex::Captures| {
        format!(
            "{}$",
            cap.get(1).map(|m| m.as_str()).unwrap_or("").to_uppercase()
        )
    });
    let s = b.replace_all(&s, "$1$2");
    c.replace_all(&s, "$1%").into_owned()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "JMD", "ZWL", "NAD", "FJD", "BBD", "BMD",
    "BSD", "BZD", "KYD", "LRD", "SBD", "SRD", "TTD", "XCD", "GYD", "BND",
];
const FRANCS: &[&str] = &[
    "CHF", "FRF", "BEF", "LUF", "XOF", "XAF", "XPF", "CDF", "BIF", "DJF", "GNF", "KMF", "RWF",
    "MGF",
];
const RUPEES: &[&str] = &["INR", "PKR", "LKR", "NPR", "MUR", "SCR"];

/// ISO code for a spec unit name that no family covers: the crate's ISO
/// name, else the withdrawn national currencies and crypto units.
fn code_for_name(name: &str, out_code: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let historic = match n.as_str() {
        "finnish markka" => Some("FIM"),
        "netherlands guilder" | "dutch guilder" => Some("NLG"),
        "peseta" | "spanish peseta" => Some("ESP"),
        "deutsche mark" | "german mark" => Some("DEM"),
        "french franc" => Some("FRF"),
        "italian lira" => Some("ITL"),
        "bitcoin" => Some("BTC"),
        "euro" => Some("EUR"),
        "chinese yuan" => Some("CNY"),
        _ => None,
    };
    if historic == Some(out_code) {
        return true;
    }
    iso_currency::Currency::from_code(out_code).is_some_and(|c| c.name().eq_ignore_ascii_case(name))
}

fn currency_ok(e: &Expected, value: f64, code: &str) -> bool {
    if let Some(iso) = &e.iso {
        return code == iso && close(value, e.value);
    }
    let unit = e.unit.as_deref().unwrap_or("");
    match unit {
        "Dollar" => DOLLARS.contains(&code) && close(value, e.value),
        "Pound" => code == "GBP" && close(value, e.value),
        "Cent" => (DOLLARS.contains(&code) || code == "EUR") && close(value * 100.0, e.value),
        "Pence" | "Penny" => code == "GBP" && close(value * 100.0, e.value),
        "Franc" => FRANCS.contains(&code) && close(value, e.value),
        "Rupee" => RUPEES.contains(&code) && close(value, e.value),
        "Satoshi" => code == "BTC" && close(value * 1e8, e.value),
        other => code_for_name(other, code) && close(value, e.value),
    }
}

/// The (value, unit) readings of a figure: its value, or both range ends.
fn readings(f: &Figure) -> Vec<f64> {
    match f.value {
        Some(v) => vec![v],
        None => [f.low, f.high].into_iter().flatten().collect(),
    }
}

fn is_money(f: &Figure) -> bool {
    match f.kind {
        Some(FigureKind::Money) => true,
        Some(FigureKind::Range) => f
            .unit
            .as_deref()
            .is_some_and(|u| u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase())),
        _ => false,
    }
}

fn is_percent(f: &Figure) -> bool {
    match f.kind {
        Some(FigureKind::Percent) => true,
        Some(FigureKind::Range) => matches!(f.unit.as_deref(), Some("%") | Some("pp")),
        _ => false,
    }
}

/// Score one case given the figures found; returns (passed, strict ok, misses).
fn score_case(case: &Case, figs: &[Figure]) -> (usize, bool, Vec<usize>) {
    let of_kind: Vec<&Figure> = figs
        .iter()
        .filter(|f| match case.model {
            Model::Currency => is_money(f),
            Model::Percent => is_percent(f),
            Model::Number => !readings(f).is_empty(),
        })
        .collect();
    let mut passed = 0;
    let mut misses = Vec::new();
    for (k, e) in case.expected.iter().enumerate() {
        let ok = of_kind.iter().any(|f| {
            readings(f).into_iter().any(|v| match e.model {
                Model::Currency => currency_ok(e, v, f.unit.as_deref().unwrap_or("")),
                Model::Percent | Model::Number => close(v, e.value),
            })
        });
        if ok {
            passed += 1;
        } else {
            misses.push(k);
        }
    }
    let strict = misses.is_empty() && of_kind.len() <= case.expected.len();
    (passed, strict, misses)
}

fn show(figs: &[Figure]) -> String {
    let v: Vec<String> = figs
        .iter()
        .map(|f| {
            let kind = f
                .kind
                .map(|k| format!("{k:?}").to_lowercase())
                .unwrap_or_default();
            let val = readings(f)
                .iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("..");
            format!(
                "{kind} {:?}={val} {}",
                f.text,
                f.unit.as_deref().unwrap_or("")
            )
        })
        .collect();
    format!("[{}]", v.join("; "))
}

/// Tallies for one run over the cases: (all, supported).
fn tally(
    cases: &[Case],
    run: &dyn Fn(&str) -> Vec<Figure>,
    detok: bool,
    file: &str,
    errors: &mut Option<&mut Vec<String>>,
) -> (Tally, Tally) {
    let mut all = Tally::default();
    let mut sup = Tally::default();
    for c in cases {
        let input = if detok {
            detokenize(&c.input)
        } else {
            c.input.clone()
        };
        let figs = run(&input);
        let (passed, strict, misses) = score_case(c, &figs);
        let t = Tally {
            expected: c.expected.len(),
            passed,
            cases: 1,
            strict: usize::from(strict),
        };
        all.add(t);
        if c.supported {
            sup.add(t);
        }
        if let Some(errs) = errors.as_deref_mut() {
            if !strict {
                let miss: Vec<String> = misses
                    .iter()
                    .filter_map(|&k| c.expected.get(k))
                    .map(|e| {
                        format!(
                            "{:?}={} {}",
                            e.text,
                            e.value,
                            e.iso.as_deref().or(e.unit.as_deref()).unwrap_or("")
                        )
                    })
                    .collect();
                errs.push(format!(
                    "{file}{}{}: {:?}\n  missed: [{}]\n  output: {}",
                    if detok { " (detok)" } else { "" },
                    if c.supported { "" } else { " [flagged]" },
                    input,
                    miss.join("; "),
                    show(&figs)
                ));
            }
        }
    }
    (all, sup)
}

fn rates(raw: &Tally, det: &Tally) -> Value {
    json!({
        "pass_rate": raw.pass_rate(),
        "strict_rate": raw.strict_rate(),
        "pass_rate_detok": det.pass_rate(),
        "strict_rate_detok": det.strict_rate(),
        "expected": raw.expected,
        "passed": raw.passed,
        "passed_detok": det.passed,
        "strict_cases": raw.strict,
        "strict_cases_detok": det.strict,
        "cases": raw.cases,
    })
}

/// The scorer proper, over any figure function (unit tests pass their own).
fn score_with(
    paths: &[PathBuf],
    run: &dyn Fn(&str) -> Vec<Figure>,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            // every spec in the folder; JSON that is not a spec array
            // (INDEX.json) is skipped, and files of unscored models give no cases
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| EvalError::Unreadable {
                    path: p.display().to_string(),
                    reason: e.to_string(),
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|q| q.extension().is_some_and(|x| x == "json"))
                .collect();
            entries.sort();
            for q in entries {
                match load(&q) {
                    Ok(cases) if !cases.is_empty() => files.push((q.display().to_string(), cases)),
                    Ok(_) | Err(EvalError::BadFormat { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        } else {
            files.push((p.display().to_string(), load(p)?));
        }
    }
    let mut errors = Vec::new();
    let (mut raw_all, mut raw_sup, mut det_all, mut det_sup) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut per_file = serde_json::Map::new();
    let mut summary = String::new();
    let mut inputs = 0;
    for (name, cases) in &files {
        inputs += cases.len();
        let mut errs = if opts.errors { Some(&mut errors) } else { None };
        let (ra, rs) = tally(cases, run, false, name, &mut errs);
        let (da, ds) = tally(cases, run, true, name, &mut errs);
        raw_all.add(ra);
        raw_sup.add(rs);
        det_all.add(da);
        det_sup.add(ds);
        let short = Path::new(name)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        per_file.insert(
            short.clone(),
            json!({"all": rates(&ra, &da), "supported": rates(&rs, &ds)}),
        );
        summary.push_str(&format!(
            "{short}: pass {}/{} = {:.3} (detok {}/{} = {:.3}), strict {}/{} = {:.3} (detok {:.3}); \
             supported: pass {}/{} = {:.3} (detok {:.3}), strict {}/{} = {:.3} (detok {:.3})\n",
            ra.passed,
            ra.expected,
            ra.pass_rate(),
            da.passed,
            da.expected,
            da.pass_rate(),
            ra.strict,
            ra.cases,
            ra.strict_rate(),
            da.strict_rate(),
            rs.passed,
            rs.expected,
            rs.pass_rate(),
            ds.pass_rate(),
            rs.strict,
            rs.cases,
            rs.strict_rate(),
            ds.strict_rate(),
        ));
    }
    summary.push_str(&format!(
        "all files: pass {:.3} (detok {:.3}), strict {:.3} (detok {:.3}); {} cases, {} supported\n",
        raw_all.pass_rate(),
        det_all.pass_rate(),
        raw_all.strict_rate(),
        det_all.strict_rate(),
        raw_all.cases,
        raw_sup.cases
    ));
    let json = json!({
        "format": "recognizers",
        "inputs": inputs,
        "figures": {
            "pass_rate": raw_all.pass_rate(),
            "strict_rate": raw_all.strict_rate(),
            "pass_rate_detok": det_all.pass_rate(),
            "strict_rate_detok": det_all.strict_rate(),
            "cases": raw_all.cases,
            "supported_cases": raw_sup.cases,
            "expected": raw_all.expected,
            "supported": rates(&raw_sup, &det_sup),
            "per_file": Value::Object(per_file),
        }
    });
    Ok(EvalReport {
        json,
        summary,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str, v: f64, unit: &str) -> Figure {
        Figure {
            kind: Some(FigureKind::Money),
            text: text.into(),
            value: Some(v),
            unit: Some(unit.into()),
            ..Figure::default()
        }
    }

    /// A stand-in extractor: fixed answers per input.
    fn fake(input: &str) -> Vec<Figure> {
        match input {
            "$20" => vec![money("$20", 20.0, "USD")],
            "5 euros" => vec![money("5 euros", 5.0, "EUR")],
            "50 cents" => vec![money("50 cents", 0.5, "USD")],
            "two at $5 and $6" => vec![money("$5", 5.0, "USD"), money("$6", 6.0, "USD")],
            "10 %" => vec![],
            "10%" => vec![Figure {
                kind: Some(FigureKind::Percent),
                value: Some(10.0),
                unit: Some("%".into()),
                ..Figure::default()
            }],
            _ => vec![],
        }
    }

    fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    fn figures(r: &EvalReport) -> &Value {
        &r.json["figures"]
    }

    #[test]
    fn currency_rates_hand_computed() {
        let dir = tempfile::tempdir().unwrap();
        // 4 cases, 5 expected (one null, not required):
        // "$20": Dollar 20 -> pass, strict.
        // "5 euros": iso EUR 5 -> pass; null "dollar" not required -> strict.
        // "50 cents": Cent 50 -> pass (0.5 USD), strict.
        // "two at $5 and $6": expects only $5 -> pass, but 2 outputs > 1 -> not strict.
        // "nothing here": expects £3 -> miss, not strict.  (flagged)
        let spec = r#"[
          {"Input": "$20", "Results": [{"Text": "$20", "TypeName": "currency", "Resolution": {"value": "20", "unit": "Dollar"}, "Start": 0, "End": 2}]},
          {"Input": "5 euros", "Results": [
             {"Text": "5 euros", "TypeName": "currency", "Resolution": {"value": "5", "unit": "Euro", "isoCurrency": "EUR"}, "Start": 0, "End": 6},
             {"Text": "dollar", "TypeName": "currency", "Resolution": {"value": null, "unit": "Dollar"}, "Start": 0, "End": 5}]},
          {"Input": "50 cents", "Results": [{"Text": "50 cents", "TypeName": "currency", "Resolution": {"value": "50", "unit": "Cent"}, "Start": 0, "End": 7}]},
          {"Input": "two at $5 and $6", "Results": [{"Text": "$5", "TypeName": "currency", "Resolution": {"value": "5", "unit": "Dollar"}, "Start": 7, "End": 8}]},
          {"Input": "nothing here", "NotSupported": "python", "Results": [{"Text": "£3", "TypeName": "currency", "Resolution": {"value": "3", "unit": "Pound"}, "Start": 0, "End": 1}]}
        ]"#;
        // with a BOM
        let p = write(&dir, "c.json", &format!("\u{FEFF}{spec}"));
        let r = score_with(&[p], &fake, &EvalOptions::default()).unwrap();
        let f = figures(&r);
        assert_eq!(r.json["format"], "recognizers");
        assert_eq!(r.json["inputs"], 5);
        assert_eq!(f["cases"], 5);
        assert_eq!(f["supported_cases"], 4);
        assert!((f["pass_rate"].as_f64().unwrap() - 4.0 / 5.0).abs() < 1e-12);
        assert!((f["strict_rate"].as_f64().unwrap() - 3.0 / 5.0).abs() < 1e-12);
        assert!((f["supported"]["pass_rate"].as_f64().unwrap() - 1.0).abs() < 1e-12);
        assert!((f["supported"]["strict_rate"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn percent_raw_vs_detok_and_zero() {
        let dir = tempfile::tempdir().unwrap();
        let spec = r#"[{"Input": "10 %", "Results": [{"Text": "10 %", "TypeName": "percentage", "Resolution": {"value": "10%"}, "Start": 0, "End": 3}]}]"#;
        let p = write(&dir, "p.json", spec);
        let r = score_with(
            &[p],
            &fake,
            &EvalOptions {
                errors: true,
                ..Default::default()
            },
        )
        .unwrap();
        let f = figures(&r);
        // raw "10 %" finds nothing (0), de-tokenised "10%" finds it (1).
        assert_eq!(f["pass_rate"].as_f64().unwrap(), 0.0);
        assert_eq!(f["strict_rate"].as_f64().unwrap(), 0.0);
        assert_eq!(f["pass_rate_detok"].as_f64().unwrap(), 1.0);
        assert_eq!(f["strict_rate_detok"].as_f64().unwrap(), 1.0);
        assert_eq!(r.errors.len(), 1);
    }

    #[test]
    fn empty_results_strict_only_when_nothing_found() {
        let dir = tempfile::tempdir().unwrap();
        let spec = r#"[
          {"Input": "nothing", "Results": [{"Text": "x", "TypeName": "currency", "Resolution": {"value": "null"}, "Start": 0, "End": 0}]},
          {"Input": "$20", "Results": []}
        ]"#;
        let p = write(&dir, "e.json", spec);
        let r = score_with(&[p], &fake, &EvalOptions::default()).unwrap();
        let f = figures(&r);
        // no expected results at all: pass rate 0 by convention; strict 1 of 2.
        assert_eq!(f["pass_rate"].as_f64().unwrap(), 0.0);
        assert!((f["strict_rate"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn number_model_counts_every_figure_value() {
        let dir = tempfile::tempdir().unwrap();
        // "$20" yields one money figure of value 20: it matches the number 20
        // (pass 1/1, strict); "5 euros" expects 5 and 6: 1 of 2 passes.
        let spec = r#"[
          {"Input": "$20", "Results": [{"Text": "20", "TypeName": "number", "Resolution": {"value": "20", "subtype": "integer"}, "Start": 1, "End": 2}]},
          {"Input": "5 euros", "Results": [
             {"Text": "5", "TypeName": "number", "Resolution": {"value": "5"}, "Start": 0, "End": 0},
             {"Text": "6", "TypeName": "number", "Resolution": {"value": "6"}, "Start": 0, "End": 0}]}
        ]"#;
        let p = write(&dir, "n.json", spec);
        let r = score_with(&[p], &fake, &EvalOptions::default()).unwrap();
        let f = figures(&r);
        assert!((f["pass_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((f["strict_rate"].as_f64().unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(f["supported_cases"], 2);
    }

    #[test]
    fn directory_takes_its_spec_files() {
        let dir = tempfile::tempdir().unwrap();
        let spec = r#"[{"Input": "$20", "Results": [{"Text": "$20", "TypeName": "currency", "Resolution": {"value": "20", "unit": "Dollar"}, "Start": 0, "End": 2}]}]"#;
        write(&dir, "a.json", spec);
        write(&dir, "INDEX.json", "{\"files\": 1}");
        write(&dir, "notes.txt", "not json");
        let r = score_with(&[dir.path().to_path_buf()], &fake, &EvalOptions::default()).unwrap();
        assert_eq!(r.json["inputs"], 1);
        assert_eq!(r.json["figures"]["pass_rate"].as_f64().unwrap(), 1.0);
    }

    #[test]
    fn unreadable_and_bad_format() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        assert!(matches!(
            score_with(&[missing], &fake, &EvalOptions::default()),
            Err(EvalError::Unreadable { .. })
        ));
        let p = write(&dir, "bad.json", "{\"Input\": 1}");
        assert!(matches!(
            score_with(&[p], &fake, &EvalOptions::default()),
            Err(EvalError::BadFormat { .. })
        ));
    }

    #[test]
    fn detokenizer_and_family_rules() {
        assert_eq!(detokenize("c $ 16.4 million"), "C$16.4 million");
        assert_eq!(detokenize("hk $ 10.05 billion"), "HK$10.05 billion");
        assert_eq!(
            detokenize("rose 27 % to $ 75 million"),
            "rose 27% to $75 million"
        );
        let e = |unit: &str, iso: Option<&str>, v: f64| Expected {
            model: Model::Currency,
            value: v,
            iso: iso.map(str::to_string),
            unit: Some(unit.into()),
            text: String::new(),
        };
        assert!(currency_ok(&e("Dollar", None, 5.0), 5.0, "CAD"));
        assert!(!currency_ok(&e("Dollar", None, 5.0), 5.0, "EUR"));
        assert!(!currency_ok(
            &e("Canadian dollar", Some("CAD"), 5.0),
            5.0,
            "USD"
        ));
        assert!(currency_ok(&e("Pence", None, 470.0), 4.7, "GBP"));
        assert!(currency_ok(&e("Franc", None, 3.0), 3.0, "CHF"));
        assert!(currency_ok(&e("Finnish markka", None, 3.0), 3.0, "FIM"));
        assert!(currency_ok(&e("Swiss franc", None, 3.0), 3.0, "CHF"));
        assert!(!currency_ok(&e("Dollar", None, 5.0), 5.000001, "USD"));
    }
}
