//! Scorer for `lede eval gold`: lede's own gold JSON format (one answer file
//! per article, see the evaluation README). Owns parsing the gold files,
//! running the real pipeline over the article each one points at, and the
//! matching rules. The matcher, [`match_file`], is a pure function of one
//! [`GoldFile`] and one [`Enriched`] record so that it can be tested without
//! the extractors; [`score`] adds the I/O and the micro-averaging over files.
//!
//! Rules (the README of the evaluation data is the reference):
//! - entities (PERSON, ORG, LOC): a gold entity is found when an output entity
//!   of the same type has a canonical name or mention text equal to one of the
//!   gold aliases (the gold `name` counts as an alias; compared case-folded,
//!   white space collapsed, curly quotes straight); an output entity of a
//!   scored type matching no gold entity, required or optional, of its type is
//!   one false positive. Lenient: same type, and one name's words are a
//!   contiguous run of the other's ("Starmer" ~ "Keir Starmer's government").
//! - quotes: normalised text equal, or word-set Jaccard >= 0.8; the speaker is
//!   right when the output speaker's canonical name (or its linked entity's)
//!   is an alias of the gold speaker (a gold `null` speaker wants no resolved
//!   speaker); end-to-end counts a quote only when found with the right speaker.
//! - figures: same kind, value within a relative 1e-6, same unit (case
//!   folded; absent on both sides is equal); a gold figure without a value
//!   matches by kind and text; optional figures match by text alone.
//! - dedup: title equal and kept / removed block counts equal: pass or fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use super::{progress_bar, ratio, Counts, EvalError, EvalOptions, EvalReport};
use crate::output::{Enriched, Field, FigureKind};
use crate::pipeline::Pipeline;
use crate::text::normalize::fold_punct;

/// One gold answer file.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct GoldFile {
    /// Path of the article, relative to the gold file's own folder.
    pub article: String,
    #[serde(default)]
    pub dedup: Option<GoldDedup>,
    #[serde(default)]
    pub entities: Option<Vec<GoldEntity>>,
    #[serde(default)]
    pub entities_optional: Vec<GoldEntity>,
    #[serde(default)]
    pub quotes: Option<Vec<GoldQuote>>,
    #[serde(default)]
    pub figures: Option<Vec<GoldFigure>>,
    #[serde(default)]
    pub figures_optional: Vec<GoldFigure>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct GoldDedup {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub unique_blocks: Option<usize>,
    #[serde(default)]
    pub duplicate_blocks_removed: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct GoldEntity {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct GoldQuote {
    pub text: String,
    #[serde(default)]
    pub speaker: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct GoldFigure {
    pub text: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
}

/// The entity types scored, as the gold file names them, with their report keys.
const SCORED_TYPES: [(&str, &str); 3] = [("PERSON", "PER"), ("ORG", "ORG"), ("LOC", "LOC")];

/// Counts of one file (or, summed, of many).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldScore {
    /// Exact entity counts per report key (PER, ORG, LOC).
    pub entity_types: BTreeMap<&'static str, Counts>,
    pub entities_lenient: Counts,
    pub quotes: Counts,
    /// Found quotes whose speaker is right.
    pub speakers_right: usize,
    pub figures: Counts,
    pub dedup_passed: usize,
    pub dedup_failed: usize,
    /// Misses and false positives, one line each.
    pub errors: Vec<String>,
}

impl GoldScore {
    pub fn entities(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.entity_types.values() {
            c.add(*v);
        }
        c
    }

    /// Share of found quotes with the right speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speakers_right, self.quotes.tp)
    }

    /// Quote counts where a hit also needs the right speaker.
    pub fn end_to_end(&self) -> Counts {
        let right = self.speakers_right;
        Counts {
            tp: right,
            fp: (self.quotes.tp + self.quotes.fp).saturating_sub(right),
            fn_: (self.quotes.tp + self.quotes.fn_).saturating_sub(right),
        }
    }

    pub fn add(&mut self, o: GoldScore) {
        for (k, v) in o.entity_types {
            self.entity_types.entry(k).or_default().add(v);
        }
        self.entities_lenient.add(o.entities_lenient);
        self.quotes.add(o.quotes);
        self.speakers_right += o.speakers_right;
        self.figures.add(o.figures);
        self.dedup_passed += o.dedup_passed;
        self.dedup_failed += o.dedup_failed;
        self.errors.extend(o.errors);
    }

    /// The `--json` object (without `format` and `inputs`).
    pub fn to_json(&self, inputs: usize) -> serde_json::Value {
        let mut per_type = serde_json::Map::new();
        for (_, key) in SCORED_TYPES {
            let c = self.entity_types.get(key).copied().unwrap_or_default();
            per_type.insert(key.to_string(), c.prf_json());
        }
        let e = self.entities();
        let q = self.quotes;
        json!({
            "format": "gold",
            "inputs": inputs,
            "entities": {
                "precision": e.precision(),
                "recall": e.recall(),
                "f1": e.f1(),
                "per_type": per_type,
                "lenient_f1": self.entities_lenient.f1(),
            },
            "quotes": {
                "precision": q.precision(),
                "recall": q.recall(),
                "f1": q.f1(),
                "speaker_accuracy": self.speaker_accuracy(),
                "end_to_end_f1": self.end_to_end().f1(),
            },
            "figures": self.figures.prf_json(),
            "dedup": {
                "files_passed": self.dedup_passed,
                "files_failed": self.dedup_failed,
            },
        })
    }

    /// Several human-readable lines.
    pub fn summary(&self, inputs: usize) -> String {
        fn line(name: &str, c: &Counts) -> String {
            format!(
                "{name:<10} P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            )
        }
        let mut s = format!("gold: {inputs} file(s)\n");
        let e = self.entities();
        s.push_str(&line("entities", &e));
        s.push_str(&format!("  lenient F1 {:.3}\n", self.entities_lenient.f1()));
        for (_, key) in SCORED_TYPES {
            let c = self.entity_types.get(key).copied().unwrap_or_default();
            s.push_str(&format!("  {}\n", line(key, &c)));
        }
        s.push_str(&line("quotes", &self.quotes));
        s.push('\n');
        s.push_str(&format!(
            "  speaker accuracy {:.3} ({}/{})  end-to-end F1 {:.3}\n",
            self.speaker_accuracy(),
            self.speakers_right,
            self.quotes.tp,
            self.end_to_end().f1()
        ));
        s.push_str(&line("figures", &self.figures));
        s.push('\n');
        s.push_str(&format!(
            "dedup      {} file(s) passed, {} failed\n",
            self.dedup_passed, self.dedup_failed
        ));
        s
    }
}

/// Fold a name or text for comparison: curly quotes straight, lower case,
/// white space collapsed, trimmed.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            out.extend(fold_punct(c).to_lowercase());
        }
    }
    out
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '\'')
}

/// Quote text normalisation: [`fold`], then surrounding quote marks and
/// trailing `,.;:!?` removed (repeatedly, so `"stop," ` -> `stop`).
pub fn normalize_quote(s: &str) -> String {
    let f = fold(s);
    let t = f
        .trim_start_matches(|c: char| is_quote_mark(c) || c.is_whitespace())
        .trim_end_matches(|c: char| {
            is_quote_mark(c) || c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?')
        });
    t.to_string()
}

/// Words of a normalised text: runs of letters, digits and apostrophes.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Jaccard similarity of the word sets of two normalised texts.
pub fn jaccard(a: &str, b: &str) -> f64 {
    use std::collections::BTreeSet;
    let a: BTreeSet<&str> = words(a).into_iter().collect();
    let b: BTreeSet<&str> = words(b).into_iter().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// Minimum word-set Jaccard for two quote texts to match.
pub const QUOTE_JACCARD: f64 = 0.8;
/// Relative tolerance for figure values.
pub const VALUE_TOLERANCE: f64 = 1e-6;

fn values_equal(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= VALUE_TOLERANCE * a.abs().max(b.abs())
}

fn units_equal(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |u: Option<&str>| u.map(str::trim).filter(|u| !u.is_empty()).map(fold);
    norm(a) == norm(b)
}

fn figure_kind_name(k: FigureKind) -> &'static str {
    match k {
        FigureKind::Money => "money",
        FigureKind::Percent => "percent",
        FigureKind::Count => "count",
        FigureKind::Quantity => "quantity",
        FigureKind::Year => "year",
        FigureKind::Date => "date",
        FigureKind::Range => "range",
        FigureKind::Ordinal => "ordinal",
    }
}

/// Does `words_a` contain `words_b` as a contiguous run, or the reverse?
fn word_runs_overlap(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let (long, short) = if wa.len() >= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    long.windows(short.len()).any(|w| w == short.as_slice())
}

/// Up to `width` bytes of `body` either side of `[start, end)`, on one line.
pub fn context(body: &str, start: usize, end: usize, width: usize) -> String {
    let mut s = start.min(body.len()).saturating_sub(width);
    while s > 0 && !body.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.min(body.len()).saturating_add(width).min(body.len());
    while e < body.len() && !body.is_char_boundary(e) {
        e += 1;
    }
    let text = body.get(s..e).unwrap_or("");
    let one_line: Vec<&str> = text.split_whitespace().collect();
    format!("…{}…", one_line.join(" "))
}

/// `" at OFFSET: …context…"` for the first of `needles` found verbatim in
/// `body` (the earliest occurrence), or "" when none is.
fn where_in(body: &str, needles: &[&str]) -> String {
    needles
        .iter()
        .filter(|n| !n.trim().is_empty())
        .filter_map(|n| body.find(n).map(|at| (at, at + n.len())))
        .min()
        .map(|(s, e)| format!(" at {s}: {}", context(body, s, e, 40)))
        .unwrap_or_default()
}

/// The text a span's offsets point into: the title or the body. Title
/// spans (headline entities, quotes, figures) are scored like body ones:
/// matching is by text.
fn in_field(out: &Enriched, field: Option<Field>) -> &str {
    match field {
        Some(Field::Title) => &out.title,
        None => &out.body,
    }
}

fn where_name(field: Option<Field>) -> &'static str {
    match field {
        Some(Field::Title) => "title ",
        None => "",
    }
}

/// Score one gold file against one output record. Pure. `name` labels the
/// error lines.
pub fn match_file(name: &str, gold: &GoldFile, out: &Enriched) -> GoldScore {
    let mut score = GoldScore::default();
    if let Some(entities) = &gold.entities {
        match_entities(name, entities, &gold.entities_optional, out, &mut score);
    }
    if let Some(quotes) = &gold.quotes {
        let people: Vec<&GoldEntity> = gold
            .entities
            .iter()
            .flatten()
            .chain(&gold.entities_optional)
            .collect();
        match_quotes(name, quotes, &people, out, &mut score);
    }
    if let Some(figures) = &gold.figures {
        match_figures(name, figures, &gold.figures_optional, out, &mut score);
    }
    if let Some(d) = &gold.dedup {
        match_dedup(name, d, out, &mut score);
    }
    score
}

fn aliases_of(g: &GoldEntity) -> Vec<String> {
    std::iter::once(&g.name)
        .chain(&g.aliases)
        .map(|a| fold(a))
        .filter(|a| !a.is_empty())
        .collect()
}

fn match_entities(
    name: &str,
    required: &[GoldEntity],
    optional: &[GoldEntity],
    out: &Enriched,
    score: &mut GoldScore,
) {
    for (gold_type, key) in SCORED_TYPES {
        let mut c = Counts::default();
        let mut lenient = Counts::default();
        let golds: Vec<(Vec<String>, &GoldEntity)> = required
            .iter()
            .filter(|g| g.kind.eq_ignore_ascii_case(gold_type))
            .map(|g| (aliases_of(g), g))
            .collect();
        let optional_aliases: Vec<Vec<String>> = optional
            .iter()
            .filter(|g| g.kind.eq_ignore_ascii_case(gold_type))
            .map(aliases_of)
            .collect();
        let outs: Vec<(Vec<String>, &crate::output::Entity)> = out
            .entities
            .iter()
            .filter(|e| e.kind.as_str() == gold_type)
            .map(|e| {
                let names = std::iter::once(e.canonical.as_str())
                    .chain(e.mentions.iter().map(|m| m.text.as_str()))
                    .map(fold)
                    .filter(|n| !n.is_empty())
                    .collect();
                (names, e)
            })
            .collect();
        let exact =
            |names: &[String], aliases: &[String]| names.iter().any(|n| aliases.contains(n));
        let loose = |names: &[String], aliases: &[String]| {
            names
                .iter()
                .any(|n| aliases.iter().any(|a| word_runs_overlap(n, a)))
        };
        for (aliases, g) in &golds {
            if outs.iter().any(|(names, _)| exact(names, aliases)) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
                let names: Vec<&str> = std::iter::once(g.name.as_str())
                    .chain(g.aliases.iter().map(String::as_str))
                    .collect();
                score.errors.push(format!(
                    "{name}: entity miss {gold_type} {:?} (aliases {:?}){}",
                    g.name,
                    g.aliases,
                    where_in(&out.body, &names)
                ));
            }
            if outs.iter().any(|(names, _)| loose(names, aliases)) {
                lenient.tp += 1;
            } else {
                lenient.fn_ += 1;
            }
        }
        let all_aliases: Vec<&Vec<String>> = golds
            .iter()
            .map(|(a, _)| a)
            .chain(optional_aliases.iter())
            .collect();
        for (names, e) in &outs {
            if !all_aliases.iter().any(|a| exact(names, a)) {
                c.fp += 1;
                let ctx = e
                    .mentions
                    .first()
                    .map(|m| {
                        let (s, t, f) = (m.start, m.end, m.field);
                        format!(
                            " at {}{s}: {}",
                            where_name(f),
                            context(in_field(out, f), s, t, 50)
                        )
                    })
                    .unwrap_or_default();
                score.errors.push(format!(
                    "{name}: entity false positive {gold_type} {:?}{ctx}",
                    e.canonical
                ));
            }
            if !all_aliases.iter().any(|a| loose(names, a)) {
                lenient.fp += 1;
            }
        }
        score.entity_types.entry(key).or_default().add(c);
        score.entities_lenient.add(lenient);
    }
}

/// The aliases of the gold speaker `speaker`: those of the gold entity whose
/// name or alias it is, else the name alone.
fn speaker_aliases(speaker: &str, people: &[&GoldEntity]) -> Vec<String> {
    let s = fold(speaker);
    people
        .iter()
        .map(|g| aliases_of(g))
        .find(|a| a.contains(&s))
        .unwrap_or_else(|| vec![s])
}

/// The output speaker's resolved name: its canonical, else its linked entity's.
fn resolved_speaker(q: &crate::output::Quote, out: &Enriched) -> Option<String> {
    let sp = q.speaker.as_ref()?;
    if let Some(c) = sp.canonical.as_deref().filter(|c| !c.trim().is_empty()) {
        return Some(c.to_string());
    }
    let id = sp.entity.as_deref()?;
    out.entities
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.canonical.clone())
}

fn match_quotes(
    name: &str,
    golds: &[GoldQuote],
    people: &[&GoldEntity],
    out: &Enriched,
    score: &mut GoldScore,
) {
    let outs: Vec<String> = out
        .quotes
        .iter()
        .map(|q| normalize_quote(&q.text))
        .collect();
    // Best match score of output i for gold g: 2 for equal text, else Jaccard.
    let sim = |g: &str, o: &str| -> f64 {
        if g == o {
            2.0
        } else {
            jaccard(g, o)
        }
    };
    let mut out_matched = vec![false; outs.len()];
    for g in golds {
        let gn = normalize_quote(&g.text);
        let mut best: Option<(usize, f64)> = None;
        for (i, o) in outs.iter().enumerate() {
            let s = sim(&gn, o);
            if s >= QUOTE_JACCARD {
                if let Some(m) = out_matched.get_mut(i) {
                    *m = true;
                }
                if best.is_none_or(|(_, b)| s > b) {
                    best = Some((i, s));
                }
            }
        }
        let Some((i, _)) = best else {
            score.quotes.fn_ += 1;
            score.errors.push(format!(
                "{name}: quote miss {:?} (speaker {}){}",
                g.text,
                g.speaker.as_deref().unwrap_or("null"),
                where_in(
                    &out.body,
                    &[g.text.trim_end_matches([',', '.', ';', ':', '!', '?'])]
                )
            ));
            continue;
        };
        score.quotes.tp += 1;
        let Some(q) = out.quotes.get(i) else { continue };
        let got = resolved_speaker(q, out);
        let right = match (&g.speaker, &got) {
            (None, None) => true,
            (Some(want), Some(got)) => speaker_aliases(want, people).contains(&fold(got)),
            _ => false,
        };
        if right {
            score.speakers_right += 1;
        } else {
            let mention = q.speaker.as_ref().map(|s| s.mention.text.as_str());
            score.errors.push(format!(
                "{name}: quote speaker wrong {:?}: gold {}, output {} (mention {})",
                g.text,
                g.speaker.as_deref().unwrap_or("null"),
                got.as_deref().unwrap_or("none"),
                mention.unwrap_or("none")
            ));
        }
    }
    for (i, q) in out.quotes.iter().enumerate() {
        if !out_matched.get(i).copied().unwrap_or(false) {
            score.quotes.fp += 1;
            score.errors.push(format!(
                "{name}: quote false positive {:?} at {}{}: {}",
                q.text,
                where_name(q.field),
                q.start,
                context(in_field(out, q.field), q.start, q.end, 40)
            ));
        }
    }
}

fn match_figures(
    name: &str,
    required: &[GoldFigure],
    optional: &[GoldFigure],
    out: &Enriched,
    score: &mut GoldScore,
) {
    let matches_required = |g: &GoldFigure, f: &crate::output::Figure| -> bool {
        let kind_ok = match (&g.kind, f.kind) {
            (Some(gk), Some(fk)) => gk.eq_ignore_ascii_case(figure_kind_name(fk)),
            (None, _) => true,
            (Some(_), None) => false,
        };
        if !kind_ok || !units_equal(g.unit.as_deref(), f.unit.as_deref()) {
            return false;
        }
        match (g.value, f.value) {
            (Some(gv), Some(fv)) => values_equal(gv, fv),
            (Some(_), None) => false,
            (None, _) => fold(&g.text) == fold(&f.text),
        }
    };
    let matches_optional =
        |g: &GoldFigure, f: &crate::output::Figure| fold(&g.text) == fold(&f.text);
    for g in required {
        if out.figures.iter().any(|f| matches_required(g, f)) {
            score.figures.tp += 1;
        } else {
            score.figures.fn_ += 1;
            score.errors.push(format!(
                "{name}: figure miss {:?} ({} {} {}){}",
                g.text,
                g.kind.as_deref().unwrap_or("?"),
                g.value.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                g.unit.as_deref().unwrap_or("-"),
                where_in(&out.body, &[g.text.as_str()])
            ));
        }
    }
    for f in &out.figures {
        let hit = required.iter().any(|g| matches_required(g, f))
            || optional.iter().any(|g| matches_optional(g, f));
        if !hit {
            score.figures.fp += 1;
            score.errors.push(format!(
                "{name}: figure false positive {:?} ({} {} {}) at {}{}: {}",
                f.text,
                f.kind.map(figure_kind_name).unwrap_or("?"),
                f.value.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                f.unit.as_deref().unwrap_or("-"),
                where_name(f.field),
                f.start,
                context(in_field(out, f.field), f.start, f.end, 40)
            ));
        }
    }
}

fn match_dedup(name: &str, d: &GoldDedup, out: &Enriched, score: &mut GoldScore) {
    let mut problems = Vec::new();
    if let Some(t) = &d.title {
        let collapse = |s: &str| {
            s.split_whitespace()
                .map(|w| w.chars().map(fold_punct).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if collapse(t) != collapse(&out.title) {
            problems.push(format!("title {:?}, gold {:?}", out.title, t));
        }
    }
    if let Some(k) = d.unique_blocks {
        if out.dedup.blocks_kept != k {
            problems.push(format!("{} blocks kept, gold {k}", out.dedup.blocks_kept));
        }
    }
    if let Some(r) = d.duplicate_blocks_removed {
        if out.dedup.blocks_removed.len() != r {
            problems.push(format!(
                "{} blocks removed, gold {r}",
                out.dedup.blocks_removed.len()
            ));
        }
    }
    if problems.is_empty() {
        score.dedup_passed += 1;
    } else {
        score.dedup_failed += 1;
        score
            .errors
            .push(format!("{name}: dedup failed: {}", problems.join("; ")));
    }
}

/// The gold files named by `paths`: files as given, directories searched
/// recursively for `.json` files, sorted.
fn gold_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, EvalError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| EvalError::Unreadable {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.is_file() {
            out.push(p.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut stack = vec![p.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| EvalError::Unreadable {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            for entry in entries.flatten() {
                let f = entry.path();
                if f.is_dir() {
                    stack.push(f);
                } else if f.extension().and_then(|x| x.to_str()) == Some("json") {
                    found.push(f);
                }
            }
        }
        found.sort();
        out.extend(found);
    }
    if out.is_empty() {
        return Err(EvalError::BadFormat {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            reason: "no gold .json files found".into(),
        });
    }
    Ok(out)
}

/// Read one gold file and run the pipeline over its article.
fn run_one(path: &Path, pipeline: &Pipeline) -> Result<(GoldFile, Enriched), EvalError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let gold: GoldFile = serde_json::from_str(&text).map_err(|e| EvalError::BadFormat {
        path: shown.clone(),
        reason: format!("not a gold file: {e}"),
    })?;
    let article = path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(&gold.article);
    let raw = std::fs::read(&article).map_err(|e| EvalError::Unreadable {
        path: article.display().to_string(),
        reason: e.to_string(),
    })?;
    let prepared = pipeline.prepare(&raw).map_err(|e| EvalError::BadFormat {
        path: article.display().to_string(),
        reason: format!("the pipeline rejects the article: {e}"),
    })?;
    Ok((gold, pipeline.enrich(prepared)))
}

/// Score `pipeline` on the gold files at `paths` (files or directories).
pub fn score(
    paths: &[PathBuf],
    pipeline: &Pipeline,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let files = gold_files(paths)?;
    let bar = progress_bar(opts, files.len() as u64, "gold");
    let mut total = GoldScore::default();
    for f in &files {
        let (gold, out) = run_one(f, pipeline)?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| f.display().to_string());
        total.add(match_file(&name, &gold, &out));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let errors = if opts.errors {
        std::mem::take(&mut total.errors)
    } else {
        Vec::new()
    };
    Ok(EvalReport {
        json: total.to_json(files.len()),
        summary: total.summary(files.len()),
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{
        DedupInfo, Entity, EntityType, Figure, Mention, Processing, Quote, QuoteKind, RemovedBlock,
        Speaker,
    };

    fn record(body: &str) -> Enriched {
        Enriched {
            schema_version: 2,
            id: "t".into(),
            url: None,
            source: None,
            published_at: None,
            title: "A Title".into(),
            body: body.into(),
            lang: "en".into(),
            content_hash: String::new(),
            entities: Vec::new(),
            quotes: Vec::new(),
            figures: Vec::new(),
            dedup: DedupInfo::default(),
            processing: Processing::default(),
            extra: Default::default(),
        }
    }

    fn mention(body: &str, text: &str) -> Mention {
        let start = body.find(text).unwrap_or(0);
        Mention {
            field: None,
            text: text.into(),
            start,
            end: start + text.len(),
        }
    }

    fn entity(body: &str, id: &str, kind: EntityType, canonical: &str, texts: &[&str]) -> Entity {
        let mentions: Vec<Mention> = texts.iter().map(|t| mention(body, t)).collect();
        Entity {
            id: id.into(),
            kind,
            canonical: canonical.into(),
            count: mentions.len(),
            first_offset: mentions.first().map(|m| m.start).unwrap_or(0),
            mentions,
        }
    }

    fn quote(body: &str, text: &str, speaker: Option<(&str, Option<&str>)>) -> Quote {
        let m = mention(body, text);
        Quote {
            field: None,
            text: text.into(),
            start: m.start,
            end: m.end,
            kind: QuoteKind::Direct,
            cue: None,
            speaker: speaker.map(|(mtext, canonical)| Speaker {
                mention: mention(body, mtext),
                canonical: canonical.map(str::to_string),
                entity: None,
            }),
            confidence: 1.0,
            content: None,
        }
    }

    fn figure(kind: FigureKind, text: &str, value: Option<f64>, unit: Option<&str>) -> Figure {
        Figure {
            kind: Some(kind),
            text: text.into(),
            value,
            unit: unit.map(str::to_string),
            ..Figure::default()
        }
    }

    fn gold(json: &str) -> GoldFile {
        serde_json::from_str(json).unwrap()
    }

    const BODY: &str =
        "Jane Roe met Acme Corp in Paris. \"We will win,\" she said. Sales rose 5% to $2 million.";

    const GOLD: &str = r#"{
        "article": "x.txt",
        "dedup": {"title": "A Title", "unique_blocks": 3, "duplicate_blocks_removed": 1},
        "entities": [
            {"type": "PERSON", "name": "Jane Roe", "aliases": ["Roe", "Jane Roe"]},
            {"type": "ORG", "name": "Acme Corp", "aliases": ["Acme"]},
            {"type": "LOC", "name": "Paris", "aliases": []}
        ],
        "entities_optional": [{"type": "LOC", "name": "France", "aliases": []}],
        "quotes": [{"text": "We will win,", "speaker": "Roe", "kind": "direct"}],
        "figures": [
            {"text": "5%", "kind": "percent", "value": 5, "unit": "%"},
            {"text": "$2 million", "kind": "money", "value": 2000000, "unit": "USD"}
        ],
        "figures_optional": [{"text": "this week", "kind": "date"}]
    }"#;

    /// A record that gets everything right.
    fn perfect() -> Enriched {
        let mut r = record(BODY);
        r.entities = vec![
            entity(BODY, "e0", EntityType::Person, "Jane Roe", &["Jane Roe"]),
            entity(BODY, "e1", EntityType::Org, "ACME CORP", &["Acme Corp"]),
            entity(BODY, "e2", EntityType::Loc, "Paris", &["Paris"]),
            // Not a scored type: never counted.
            entity(BODY, "e3", EntityType::Norp, "Martian", &["Sales"]),
        ];
        r.quotes = vec![quote(BODY, "We will win,", Some(("she", Some("Jane Roe"))))];
        r.figures = vec![
            figure(FigureKind::Percent, "5%", Some(5.0), Some("%")),
            figure(
                FigureKind::Money,
                "$2 million",
                Some(2_000_000.0),
                Some("usd"),
            ),
        ];
        r.dedup.blocks_kept = 3;
        r.dedup.blocks_removed = vec![RemovedBlock::default()];
        r
    }

    #[test]
    fn perfect_output_scores_one() {
        let s = match_file("x", &gold(GOLD), &perfect());
        assert_eq!(
            s.entities(),
            Counts {
                tp: 3,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.entities().f1(), 1.0);
        assert_eq!(s.entities_lenient.f1(), 1.0);
        assert_eq!(
            s.quotes,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.speaker_accuracy(), 1.0);
        assert_eq!(s.end_to_end().f1(), 1.0);
        assert_eq!(s.figures.f1(), 1.0);
        assert_eq!((s.dedup_passed, s.dedup_failed), (1, 0));
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let j = s.to_json(1);
        assert_eq!(j["format"], "gold");
        assert_eq!(j["entities"]["per_type"]["PER"]["f1"], 1.0);
        assert_eq!(j["quotes"]["end_to_end_f1"], 1.0);
        assert_eq!(j["dedup"]["files_passed"], 1);
    }

    #[test]
    fn empty_output_scores_zero() {
        let mut r = record(BODY);
        r.title = "Other".into();
        let s = match_file("x", &gold(GOLD), &r);
        assert_eq!(
            s.entities(),
            Counts {
                tp: 0,
                fp: 0,
                fn_: 3
            }
        );
        assert_eq!(s.entities().f1(), 0.0);
        assert_eq!(
            s.quotes,
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(s.speaker_accuracy(), 0.0);
        assert_eq!(
            s.figures,
            Counts {
                tp: 0,
                fp: 0,
                fn_: 2
            }
        );
        assert_eq!((s.dedup_passed, s.dedup_failed), (0, 1));
        // 3 entity misses, 1 quote miss, 2 figure misses, 1 dedup failure.
        assert_eq!(s.errors.len(), 7);
        // Misses show where the gold text sits in the body.
        assert!(s
            .errors
            .iter()
            .any(|l| l.contains("entity miss ORG \"Acme Corp\"") && l.contains(" at 13: …")));
        assert!(s
            .errors
            .iter()
            .any(|l| l.contains("figure miss \"5%\"") && l.contains(" at 69: ")));
        assert_eq!(where_in("abc", &["x", ""]), "");
    }

    #[test]
    fn entity_false_positives_and_optional() {
        let mut r = record(BODY);
        r.entities = vec![
            // Found through a mention text, not the canonical.
            entity(BODY, "e0", EntityType::Person, "J. Roe", &["Roe"]),
            // Right name, wrong type: a miss for ORG and a LOC false positive.
            entity(BODY, "e1", EntityType::Loc, "Acme Corp", &["Acme Corp"]),
            // Optional: neither found nor false positive.
            entity(BODY, "e2", EntityType::Loc, "France", &[]),
            // Unknown person: false positive, counted once for two mentions.
            entity(BODY, "e3", EntityType::Person, "Sales", &["Sales", "Sales"]),
        ];
        let g = GoldFile {
            quotes: None,
            figures: None,
            dedup: None,
            ..gold(GOLD)
        };
        let s = match_file("x", &g, &r);
        assert_eq!(
            s.entity_types["PER"],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            s.entity_types["ORG"],
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            s.entity_types["LOC"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        // tp 1, fp 2, fn 2: P 1/3, R 1/3.
        let e = s.entities();
        assert!((e.precision() - 1.0 / 3.0).abs() < 1e-12);
        assert!((e.f1() - 1.0 / 3.0).abs() < 1e-12);
        // Unscored categories stay empty.
        assert_eq!(s.quotes, Counts::default());
        assert_eq!(s.figures, Counts::default());
        assert_eq!(s.dedup_passed + s.dedup_failed, 0);
        assert!(s
            .errors
            .iter()
            .any(|l| l.contains("false positive PERSON \"Sales\"")));
    }

    #[test]
    fn lenient_entities_accept_word_runs() {
        let body = "Prime Minister Roe's office said.";
        let mut r = record(body);
        r.entities = vec![entity(
            body,
            "e0",
            EntityType::Person,
            "Minister Jane Roe",
            &["Minister Jane Roe"],
        )];
        let g = gold(
            r#"{"article": "a", "entities": [{"type": "PERSON", "name": "Jane Roe", "aliases": []}]}"#,
        );
        let s = match_file("x", &g, &r);
        assert_eq!(
            s.entities(),
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            s.entities_lenient,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.entities_lenient.f1(), 1.0);
    }

    #[test]
    fn quote_normalisation_and_jaccard() {
        assert_eq!(normalize_quote("“We’ll  WIN,”"), "we'll win");
        assert_eq!(normalize_quote("  'ok?!' "), "ok");
        // 4 shared words of 5 in the union: 0.8, a match.
        assert!((jaccard("a b c d e", "a b c d") - 0.8).abs() < 1e-12);
        assert!((jaccard("a b c", "d e f")).abs() < 1e-12);
        assert_eq!(jaccard("", ""), 0.0);
    }

    #[test]
    fn quotes_speakers_and_end_to_end() {
        let body = "\"One two three four five,\" Roe said. \"Six seven.\" \"Nine ten\" he said.";
        let g = gold(
            r#"{"article": "a",
                "entities": [{"type": "PERSON", "name": "Jane Roe", "aliases": ["Roe"]}],
                "quotes": [
                    {"text": "One two three four five six,", "speaker": "Jane Roe"},
                    {"text": "Six seven.", "speaker": "Roe"},
                    {"text": "Missing one", "speaker": null}
                ]}"#,
        );
        let mut r = record(body);
        r.quotes = vec![
            // Jaccard 5/6 >= 0.8: found; speaker resolved through the alias list.
            quote(body, "One two three four five,", Some(("Roe", Some("Roe")))),
            // Exact: found, but the speaker is unresolved.
            quote(body, "Six seven.", Some(("he", None))),
            // Matches nothing: false positive.
            quote(body, "Nine ten", None),
        ];
        // Without gold entities a speaker's only alias is its own name:
        // output "Roe" is not gold "Jane Roe".
        let s = match_file(
            "x",
            &GoldFile {
                entities: None,
                ..g.clone()
            },
            &r,
        );
        assert_eq!(
            s.quotes,
            Counts {
                tp: 2,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(s.speakers_right, 0);
        let s = match_file("x", &g, &r);
        assert_eq!(
            s.quotes,
            Counts {
                tp: 2,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(s.speakers_right, 1);
        assert!((s.speaker_accuracy() - 0.5).abs() < 1e-12);
        // End to end: tp 1, fp 3-1 = 2, fn 3-1 = 2: P = R = F1 = 1/3.
        assert_eq!(
            s.end_to_end(),
            Counts {
                tp: 1,
                fp: 2,
                fn_: 2
            }
        );
        assert!((s.end_to_end().f1() - 1.0 / 3.0).abs() < 1e-12);
        assert!(s
            .errors
            .iter()
            .any(|l| l.contains("quote false positive \"Nine ten\"")));
    }

    #[test]
    fn speaker_through_linked_entity_and_null_speaker() {
        let body = "\"Hello there,\" she said. \"Bye now\" was written.";
        let g = gold(
            r#"{"article": "a", "quotes": [
                {"text": "Hello there", "speaker": "Jane Roe"},
                {"text": "Bye now", "speaker": null}]}"#,
        );
        let mut r = record(body);
        r.entities = vec![entity(body, "e7", EntityType::Person, "Jane Roe", &[])];
        let mut q = quote(body, "Hello there,", Some(("she", None)));
        if let Some(sp) = q.speaker.as_mut() {
            sp.entity = Some("e7".into());
        }
        r.quotes = vec![q, quote(body, "Bye now", None)];
        let s = match_file("x", &g, &r);
        assert_eq!(
            s.quotes,
            Counts {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.speakers_right, 2);
        assert_eq!(s.end_to_end().f1(), 1.0);
    }

    #[test]
    fn figures_kind_value_unit() {
        let g = gold(
            r#"{"article": "a",
                "figures": [
                    {"text": "$350 billion", "kind": "money", "value": 350000000000, "unit": "USD"},
                    {"text": "300 troops", "kind": "count", "value": 300, "unit": "troop"},
                    {"text": "2008", "kind": "year", "value": 2008},
                    {"text": "1.5 points", "kind": "percent", "value": 1.5, "unit": "pp"}
                ],
                "figures_optional": [{"text": "last year", "kind": "date"}]}"#,
        );
        let mut r = record("");
        r.figures = vec![
            // Within 1e-6 relative: found.
            figure(
                FigureKind::Money,
                "$350bn",
                Some(350_000_000_100.0),
                Some("usd"),
            ),
            // Wrong unit: miss and false positive.
            figure(FigureKind::Count, "300 troops", Some(300.0), Some("troops")),
            // Year with no unit on either side: found.
            figure(FigureKind::Year, "2008", Some(2008.0), None),
            // Percent with `%` where `pp` is wanted: miss and false positive.
            figure(FigureKind::Percent, "1.5 points", Some(1.5), Some("%")),
            // Optional by text: neither.
            figure(FigureKind::Date, "Last  year", None, None),
        ];
        let s = match_file("x", &g, &r);
        assert_eq!(
            s.figures,
            Counts {
                tp: 2,
                fp: 2,
                fn_: 2
            }
        );
        assert!((s.figures.f1() - 0.5).abs() < 1e-12);
        assert!(values_equal(1.0, 1.0 + 1e-7));
        assert!(!values_equal(1.0, 1.0 + 1e-5));
        assert!(values_equal(0.0, 0.0));
        assert!(units_equal(None, Some("  ")));
        assert!(!units_equal(None, Some("USD")));
    }

    #[test]
    fn dedup_checks_title_and_counts() {
        let g = gold(
            r#"{"article": "a", "dedup": {"title": "A  Title", "unique_blocks": 2, "duplicate_blocks_removed": 0}}"#,
        );
        let mut r = record("");
        r.dedup.blocks_kept = 2;
        let s = match_file("x", &g, &r);
        assert_eq!((s.dedup_passed, s.dedup_failed), (1, 0));
        r.dedup.blocks_kept = 3;
        let s = match_file("x", &g, &r);
        assert_eq!((s.dedup_passed, s.dedup_failed), (0, 1));
        assert!(s.errors[0].contains("3 blocks kept, gold 2"));
    }

    #[test]
    fn scores_add_up_over_files() {
        let g = gold(GOLD);
        let mut total = match_file("a", &g, &perfect());
        total.add(match_file("b", &g, &record(BODY)));
        // 3 + 0 found of 6 gold entities, no false positives.
        assert_eq!(
            total.entities(),
            Counts {
                tp: 3,
                fp: 0,
                fn_: 3
            }
        );
        assert!((total.entities().recall() - 0.5).abs() < 1e-12);
        assert_eq!(
            total.quotes,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!((total.dedup_passed, total.dedup_failed), (1, 1));
        let j = total.to_json(2);
        assert_eq!(j["inputs"], 2);
        assert_eq!(j["entities"]["recall"], 0.5);
        assert_eq!(j["dedup"]["files_failed"], 1);
    }

    #[test]
    fn context_is_char_safe() {
        let body = "ééééé abc ééééé";
        let c = context(body, 11, 14, 3);
        assert!(c.contains("abc"));
        assert_eq!(context("", 5, 9, 10), "……");
    }

    proptest::proptest! {
        #[test]
        fn text_helpers_are_total(body in "\\PC{0,40}", a in 0usize..80, b in 0usize..80, w in 0usize..20) {
            let c = context(&body, a, b, w);
            proptest::prop_assert!(c.starts_with('…'));
            let q = normalize_quote(&body);
            let j = jaccard(&q, &body);
            proptest::prop_assert!((0.0..=1.0).contains(&j));
            proptest::prop_assert_eq!(normalize_quote(&q), q.clone());
        }
    }

    #[test]
    fn score_reads_files_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let pipeline = Pipeline::new(crate::pipeline::PipelineConfig::default()).unwrap();
        let opts = EvalOptions::default();
        // Missing path: unreadable.
        let err = score(&[dir.path().join("nope")], &pipeline, &opts).unwrap_err();
        assert!(matches!(err, EvalError::Unreadable { .. }));
        // Empty directory: nothing to score.
        let err = score(&[dir.path().to_path_buf()], &pipeline, &opts).unwrap_err();
        assert!(matches!(err, EvalError::BadFormat { .. }));
        // A gold file whose article is two blocks, one repeated.
        std::fs::create_dir(dir.path().join("articles")).unwrap();
        std::fs::create_dir(dir.path().join("gold")).unwrap();
        std::fs::write(
            dir.path().join("articles/a.txt"),
            "Big Headline\nFirst paragraph here.\nFirst paragraph here.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("gold/a.json"),
            r#"{"article": "../articles/a.txt",
                "dedup": {"title": "Big Headline", "unique_blocks": 2, "duplicate_blocks_removed": 1}}"#,
        )
        .unwrap();
        let rep = score(&[dir.path().join("gold")], &pipeline, &opts).unwrap();
        assert_eq!(rep.json["inputs"], 1);
        assert_eq!(rep.json["dedup"]["files_passed"], 1);
        // Not JSON: bad format.
        std::fs::write(dir.path().join("gold/b.json"), "nope").unwrap();
        let err = score(&[dir.path().join("gold")], &pipeline, &opts).unwrap_err();
        assert!(matches!(err, EvalError::BadFormat { .. }));
    }
}
