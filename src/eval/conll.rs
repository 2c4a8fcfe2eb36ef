//! Scorer for `lede eval conll FILE`: CoNLL-2003 / IOB2 columns (word first,
//! NER tag last, `-DOCSTART-` between documents, blank lines between
//! sentences). Each document's text is rebuilt from its tokens (single
//! spaces, one sentence per line), the entity stage runs on the whole
//! document, predicted byte spans are mapped back to the tokens they
//! overlap, and spans are scored like conlleval: exact match of (type,
//! first token, last token) over PER, ORG and LOC (lede's PERSON -> PER;
//! MISC and other types ignored on both sides), overall and per type, plus
//! a lenient score (same type, any token overlap). Also owns the CoNLL
//! reader used by the entity tagger's training.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{Counts, EvalError, EvalOptions, EvalReport};
use crate::enrich::Document;
use crate::output::{Entity, EntityType};
use crate::pipeline::Pipeline;

/// One CoNLL document: sentences of (word, tag).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllDoc {
    pub sentences: Vec<Vec<(String, String)>>,
}

/// Parse CoNLL text into documents. Lines: `word ... TAG`; blank lines end
/// sentences; `-DOCSTART-` lines start documents. Returns an error message
/// for a line with a single column.
pub fn parse(text: &str) -> Result<Vec<ConllDoc>, String> {
    let mut docs = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent: Vec<(String, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or("");
        let Some(tag) = cols.last() else {
            return Err(format!("line {}: expected `word ... TAG`", n + 1));
        };
        sent.push((word.to_string(), tag.to_string()));
    }
    if !sent.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// A document's rebuilt text with each token's byte span and tag.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    pub text: String,
    /// Byte span of each token (all sentences, in order).
    pub spans: Vec<(usize, usize)>,
    pub tags: Vec<String>,
    /// Sentence index of each token.
    pub sentence: Vec<usize>,
}

/// Join tokens with single spaces, sentences with newlines.
pub fn rebuild(doc: &ConllDoc) -> Rebuilt {
    let mut r = Rebuilt::default();
    for (si, s) in doc.sentences.iter().enumerate() {
        if si > 0 {
            r.text.push('\n');
        }
        for (ti, (w, t)) in s.iter().enumerate() {
            if ti > 0 {
                r.text.push(' ');
            }
            let start = r.text.len();
            r.text.push_str(w);
            r.spans.push((start, r.text.len()));
            r.tags.push(t.clone());
            r.sentence.push(si);
        }
    }
    r
}

/// A typed span over tokens `[start, end]` (inclusive), type "PER"/"ORG"/"LOC"/...
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TSpan {
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

/// Spans of IOB tags (IOB2, tolerant of IOB1: an `I-` after a different
/// type or `O` starts a span).
pub fn gold_spans<S: AsRef<str>>(tags: &[S]) -> Vec<TSpan> {
    let mut out: Vec<TSpan> = Vec::new();
    let mut cur: Option<TSpan> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (prefix, kind) = match t.split_once('-') {
            Some((p, k)) if p == "B" || p == "I" => (p, k),
            _ => ("O", ""),
        };
        let cont = prefix == "I" && cur.as_ref().is_some_and(|c| c.kind == kind);
        if cont {
            if let Some(c) = cur.as_mut() {
                c.end = i;
            }
            continue;
        }
        if let Some(c) = cur.take() {
            out.push(c);
        }
        if prefix != "O" {
            cur = Some(TSpan {
                kind: kind.to_string(),
                start: i,
                end: i,
            });
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out
}

/// The tokens a byte span `[start, end)` overlaps, as an inclusive range.
pub fn map_span(
    token_spans: &[(usize, usize)],
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let first = token_spans.partition_point(|&(_, e)| e <= start);
    let last = token_spans.partition_point(|&(s, _)| s < end);
    if first < last {
        Some((first, last - 1))
    } else {
        None
    }
}

/// The scored CoNLL type of a lede entity type.
pub fn scored_type(t: EntityType) -> Option<&'static str> {
    match t {
        EntityType::Person => Some("PER"),
        EntityType::Org => Some("ORG"),
        EntityType::Loc => Some("LOC"),
        _ => None,
    }
}

pub const TYPES: [&str; 3] = ["PER", "ORG", "LOC"];

/// Predicted token spans of the scored types.
pub fn predicted_spans(entities: &[Entity], token_spans: &[(usize, usize)]) -> Vec<TSpan> {
    let mut set = HashSet::new();
    for e in entities {
        let Some(kind) = scored_type(e.kind) else {
            continue;
        };
        for m in &e.mentions {
            if let Some((s, t)) = map_span(token_spans, m.start, m.end) {
                set.insert(TSpan {
                    kind: kind.to_string(),
                    start: s,
                    end: t,
                });
            }
        }
    }
    let mut v: Vec<TSpan> = set.into_iter().collect();
    v.sort();
    v
}

/// Exact and lenient counts for one document (or summed over many).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanScore {
    /// Exact match per type, in [`TYPES`] order.
    pub per_type: [Counts; 3],
    /// Lenient: predictions overlapping a gold span of the same type.
    pub lenient_pred_hit: usize,
    pub lenient_pred: usize,
    /// Lenient: gold spans overlapped by a prediction of the same type.
    pub lenient_gold_hit: usize,
    pub lenient_gold: usize,
}

impl SpanScore {
    pub fn add(&mut self, o: &SpanScore) {
        for (a, b) in self.per_type.iter_mut().zip(o.per_type.iter()) {
            a.add(*b);
        }
        self.lenient_pred_hit += o.lenient_pred_hit;
        self.lenient_pred += o.lenient_pred;
        self.lenient_gold_hit += o.lenient_gold_hit;
        self.lenient_gold += o.lenient_gold;
    }
    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type {
            c.add(*t);
        }
        c
    }
    pub fn lenient_f1(&self) -> f64 {
        let p = super::ratio(self.lenient_pred_hit, self.lenient_pred);
        let r = super::ratio(self.lenient_gold_hit, self.lenient_gold);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Score predicted against gold spans; spans of other types are ignored.
pub fn score_spans(gold: &[TSpan], pred: &[TSpan]) -> SpanScore {
    let keep = |s: &&TSpan| TYPES.contains(&s.kind.as_str());
    let gold: Vec<&TSpan> = gold.iter().filter(keep).collect();
    let pred: Vec<&TSpan> = pred.iter().filter(keep).collect();
    let gset: HashSet<&TSpan> = gold.iter().copied().collect();
    let pset: HashSet<&TSpan> = pred.iter().copied().collect();
    let mut sc = SpanScore::default();
    for (ti, t) in TYPES.iter().enumerate() {
        let c = &mut sc.per_type[ti];
        for p in pset.iter().filter(|p| p.kind == *t) {
            if gset.contains(p) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        c.fn_ += gset
            .iter()
            .filter(|g| g.kind == *t && !pset.contains(*g))
            .count();
    }
    let overlaps = |a: &TSpan, b: &TSpan| a.kind == b.kind && a.start <= b.end && b.start <= a.end;
    sc.lenient_pred = pset.len();
    sc.lenient_pred_hit = pset
        .iter()
        .filter(|p| gset.iter().any(|g| overlaps(p, g)))
        .count();
    sc.lenient_gold = gset.len();
    sc.lenient_gold_hit = gset
        .iter()
        .filter(|g| pset.iter().any(|p| overlaps(p, g)))
        .count();
    sc
}

/// The rebuilt text of token span `s` (empty when out of range).
pub fn span_text(r: &Rebuilt, s: &TSpan) -> String {
    match (r.spans.get(s.start), r.spans.get(s.end)) {
        (Some(a), Some(b)) => r.text.get(a.0..b.1).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// The rebuilt text of the sentence holding token `tok`.
pub fn sentence_text(r: &Rebuilt, tok: usize) -> String {
    let Some(&si) = r.sentence.get(tok) else {
        return String::new();
    };
    let first = r.sentence.partition_point(|&x| x < si);
    let last = r.sentence.partition_point(|&x| x <= si);
    match (
        r.spans.get(first),
        last.checked_sub(1).and_then(|l| r.spans.get(l)),
    ) {
        (Some(a), Some(b)) => r.text.get(a.0..b.1).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// Score `pipeline` on the inputs at `paths`.
pub fn score(
    paths: &[PathBuf],
    pipeline: &Pipeline,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let mut docs = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).map_err(|e| EvalError::Unreadable {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?;
        let parsed = parse(&text).map_err(|reason| EvalError::BadFormat {
            path: p.display().to_string(),
            reason,
        })?;
        docs.extend(parsed);
    }
    let bar = if opts.progress {
        indicatif::ProgressBar::new(docs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut total = SpanScore::default();
    let mut errors = Vec::new();
    for (di, doc) in docs.iter().enumerate() {
        let r = rebuild(doc);
        let d = Document::new("", r.text.clone(), None);
        let entities = crate::enrich::entities::extract(&pipeline.enricher.entity_model, &d);
        let pred = predicted_spans(&entities, &r.spans);
        let gold = gold_spans(&r.tags);
        let sc = score_spans(&gold, &pred);
        total.add(&sc);
        if opts.errors {
            let gset: HashSet<&TSpan> = gold.iter().collect();
            let pset: HashSet<&TSpan> = pred.iter().collect();
            for g in gold.iter().filter(|g| TYPES.contains(&g.kind.as_str())) {
                if !pset.contains(g) {
                    errors.push(format!(
                        "doc {di}: missed {} \"{}\" in: {}",
                        g.kind,
                        span_text(&r, g),
                        sentence_text(&r, g.start)
                    ));
                }
            }
            for p in &pred {
                if !gset.contains(p) {
                    errors.push(format!(
                        "doc {di}: false {} \"{}\" in: {}",
                        p.kind,
                        span_text(&r, p),
                        sentence_text(&r, p.start)
                    ));
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(report(&total, docs.len(), errors))
}

/// The JSON and summary for summed counts.
pub fn report(total: &SpanScore, inputs: usize, errors: Vec<String>) -> EvalReport {
    let overall = total.overall();
    let mut per_type = serde_json::Map::new();
    let mut summary = format!(
        "conll: {inputs} documents\nentities exact  P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})\n",
        overall.precision(),
        overall.recall(),
        overall.f1(),
        overall.tp,
        overall.fp,
        overall.fn_
    );
    for (t, c) in TYPES.iter().zip(total.per_type.iter()) {
        per_type.insert(t.to_string(), c.prf_json());
        summary.push_str(&format!(
            "  {t:<4} P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})\n",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        ));
    }
    summary.push_str(&format!("entities lenient F1 {:.4}\n", total.lenient_f1()));
    let json = serde_json::json!({
        "format": "conll",
        "inputs": inputs,
        "entities": {
            "precision": overall.precision(),
            "recall": overall.recall(),
            "f1": overall.f1(),
            "per_type": per_type,
            "lenient_f1": total.lenient_f1(),
        }
    });
    EvalReport {
        json,
        summary,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\nAnna NNP B-NP B-PER\nSmith NNP I-NP I-PER\nvisited VBD B-VP O\nOslo NNP B-NP B-LOC\n. . O O\n\nAcme NNP B-NP B-ORG\nhired VBD B-VP O\nDutch JJ B-NP B-MISC\nstaff NN I-NP O\n\n-DOCSTART- -X- -X- O\n\nBob NNP B-NP B-PER\nran VBD B-VP O\n";

    fn sp(kind: &str, start: usize, end: usize) -> TSpan {
        TSpan {
            kind: kind.to_string(),
            start,
            end,
        }
    }

    #[test]
    fn parse_and_rebuild() {
        let docs = parse(SAMPLE).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        let r = rebuild(&docs[0]);
        assert_eq!(r.text, "Anna Smith visited Oslo .\nAcme hired Dutch staff");
        assert_eq!(r.spans[3], (19, 23));
        assert_eq!(&r.text[19..23], "Oslo");
        assert_eq!(r.sentence, vec![0, 0, 0, 0, 0, 1, 1, 1, 1]);
        let g = gold_spans(&r.tags);
        assert_eq!(
            g,
            vec![
                sp("PER", 0, 1),
                sp("LOC", 3, 3),
                sp("ORG", 5, 5),
                sp("MISC", 7, 7)
            ]
        );
        assert!(parse("word\n").is_err());
    }

    #[test]
    fn iob1_tolerated() {
        let g = gold_spans(&["I-PER", "I-PER", "I-LOC", "O", "I-ORG", "B-ORG"]);
        assert_eq!(
            g,
            vec![
                sp("PER", 0, 1),
                sp("LOC", 2, 2),
                sp("ORG", 4, 4),
                sp("ORG", 5, 5)
            ]
        );
    }

    #[test]
    fn byte_spans_map_to_tokens() {
        let spans = [(0, 4), (5, 10), (11, 18)];
        assert_eq!(map_span(&spans, 0, 10), Some((0, 1)));
        assert_eq!(map_span(&spans, 5, 8), Some((1, 1)));
        assert_eq!(map_span(&spans, 4, 5), None);
        assert_eq!(map_span(&spans, 3, 12), Some((0, 2)));
        assert_eq!(map_span(&spans, 30, 40), None);
    }

    #[test]
    fn perfect_and_zero_scores() {
        let gold = vec![sp("PER", 0, 1), sp("LOC", 3, 3), sp("MISC", 7, 7)];
        let perfect = score_spans(&gold, &[sp("PER", 0, 1), sp("LOC", 3, 3)]);
        assert_eq!(perfect.overall().f1(), 1.0);
        assert_eq!(perfect.lenient_f1(), 1.0);
        // Wrong types everywhere: exact and lenient both 0.
        let zero = score_spans(&gold, &[sp("ORG", 0, 1), sp("PER", 3, 3)]);
        assert_eq!(zero.overall().f1(), 0.0);
        assert_eq!(zero.lenient_f1(), 0.0);
        // Nothing predicted.
        let none = score_spans(&gold, &[]);
        assert_eq!(none.overall().recall(), 0.0);
        assert_eq!(none.per_type[0].fn_, 1);
        // MISC predictions are ignored, not false positives.
        let misc = score_spans(&gold, &[sp("MISC", 7, 7), sp("PER", 0, 1), sp("LOC", 3, 3)]);
        assert_eq!(misc.overall().fp, 0);
    }

    #[test]
    fn partial_scores_by_hand() {
        // Gold: PER 0-1, LOC 3, ORG 5. Pred: PER 1 (overlap, not exact),
        // LOC 3 (exact), ORG 6 (no overlap), LOC 9 (spurious).
        let gold = vec![sp("PER", 0, 1), sp("LOC", 3, 3), sp("ORG", 5, 5)];
        let pred = vec![
            sp("PER", 1, 1),
            sp("LOC", 3, 3),
            sp("ORG", 6, 6),
            sp("LOC", 9, 9),
        ];
        let s = score_spans(&gold, &pred);
        let o = s.overall();
        assert_eq!((o.tp, o.fp, o.fn_), (1, 3, 2));
        assert!((o.precision() - 0.25).abs() < 1e-12);
        assert!((o.recall() - 1.0 / 3.0).abs() < 1e-12);
        // F1 = 2 * 0.25 * 1/3 / (0.25 + 1/3) = 2/7.
        assert!((o.f1() - 2.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            s.per_type[0],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            s.per_type[2],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        // Lenient: P = 2/4, R = 2/3, F1 = 2 * 0.5 * 2/3 / (0.5 + 2/3) = 4/7.
        assert!((s.lenient_f1() - 4.0 / 7.0).abs() < 1e-12);
        let r = report(&s, 1, vec![]);
        assert_eq!(r.json["format"], "conll");
        assert!((r.json["entities"]["f1"].as_f64().unwrap() - 2.0 / 7.0).abs() < 1e-12);
        assert_eq!(r.json["entities"]["per_type"]["LOC"]["precision"], 0.5);
    }

    #[test]
    fn predicted_entities_to_spans() {
        use crate::output::Mention;
        let r = rebuild(&parse(SAMPLE).unwrap()[0]);
        let m = |s: usize, e: usize| Mention {
            field: None,
            text: r.text[s..e].to_string(),
            start: s,
            end: e,
        };
        let ents = vec![
            Entity {
                id: "e0".into(),
                kind: EntityType::Person,
                canonical: "Anna Smith".into(),
                mentions: vec![m(0, 10)],
                count: 1,
                first_offset: 0,
            },
            Entity {
                id: "e1".into(),
                kind: EntityType::Norp,
                canonical: "Dutch".into(),
                mentions: vec![m(37, 42)],
                count: 1,
                first_offset: 37,
            },
        ];
        assert_eq!(predicted_spans(&ents, &r.spans), vec![sp("PER", 0, 1)]);
    }
}
