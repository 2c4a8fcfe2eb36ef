//! Scorer for `lede eval brat DIR`: PolNeAR-style attribution annotations in
//! brat standoff format, scored on quotes and their speakers.
//!
//! Rules (from the corpus' SOURCE.md, which is authoritative):
//! - Pairing: every `text/NAME.txt` (or `NAME.txt`) is scored with the first
//!   `NAME_XXXX.ann` in byte-wise sorted order; other annotators are ignored.
//! - Gold quotes: each `E` event with a `Content` (`Content2` is ignored);
//!   `seg` is the text from the smallest fragment start to the largest
//!   fragment end. The primary `quotes` block uses SOURCE.md's gold set:
//!   every `seg` holding at least two of `"` `“` `”` (direct + mixed), the
//!   rule textacy's 57.7 / 91.1 / 52.5 were scored with. The secondary
//!   `quotes_at_mark` block keeps only those whose `seg`, trimmed, starts
//!   with `"`/`“` or ends with `"`/`”` (trailing `.,;:!?` allowed). A gold
//!   quote's chars are the union of its fragments (gaps excluded).
//! - Predictions: the real pipeline's enrichment stages over the raw `.txt`
//!   (the raw text is the body, so offsets agree; no in-article dedup).
//!   A prediction's span is its `content` (the reported-speech clause of
//!   a partial quote) when present, else its quote `start..end`.
//!   Predicted quotes sharing one cue mention (split quotes: `"A," he said,
//!   "B."`) form one prediction whose chars are the union of the pieces.
//! - Found: predictions in document order greedily take the unmatched gold
//!   quote with the largest `|pred ∩ gold| / |gold|`; found when >= 0.5.
//! - Speaker correct: a predicted speaker mention overlaps a gold Source
//!   fragment by at least one char (mention level: "he" is right for "he").
//! - Report quote P/R/F1, speaker accuracy over found quotes, end-to-end
//!   P/R/F1 (found and speaker correct) and the subset of gold quotes whose
//!   Source is a bare pronoun.
//!
//! Offsets in `.ann` files are Unicode code points; predictions are UTF-8
//! byte offsets and are converted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ratio, Counts, EvalError, EvalOptions, EvalReport};
use crate::enrich::Document;
use crate::output::{Quote, QuoteKind};
use crate::pipeline::Pipeline;

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "it", "you", "him", "her", "them",
];

/// One gold quote: Content fragments and Source fragments, in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldQuote {
    pub content: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
    /// The Content starts or ends at a quote mark (the secondary
    /// `quotes_at_mark` rule); false for mixed quotes whose quoted part sits
    /// inside the Content.
    pub edge: bool,
}

/// One prediction: quote char spans and speaker char spans.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PredQuote {
    pub spans: Vec<(usize, usize)>,
    pub speaker: Vec<(usize, usize)>,
    /// Every piece is a partial quote.
    pub partial: bool,
}

/// Outcome counts of one or more articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BratCounts {
    pub gold: usize,
    pub predicted: usize,
    pub found: usize,
    pub speaker_correct: usize,
    pub pronoun_gold: usize,
    pub pronoun_found: usize,
    pub pronoun_speaker_correct: usize,
}

impl BratCounts {
    fn add(&mut self, o: &BratCounts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.found += o.found;
        self.speaker_correct += o.speaker_correct;
        self.pronoun_gold += o.pronoun_gold;
        self.pronoun_found += o.pronoun_found;
        self.pronoun_speaker_correct += o.pronoun_speaker_correct;
    }
    fn quote_counts(&self) -> Counts {
        Counts {
            tp: self.found,
            fp: self.predicted.saturating_sub(self.found),
            fn_: self.gold.saturating_sub(self.found),
        }
    }
    fn e2e_counts(&self) -> Counts {
        Counts {
            tp: self.speaker_correct,
            fp: self.predicted.saturating_sub(self.speaker_correct),
            fn_: self.gold.saturating_sub(self.speaker_correct),
        }
    }
}

#[derive(Debug, Clone)]
struct TSpan {
    label: String,
    frags: Vec<(usize, usize)>,
}

/// Parse a brat `.ann` file and return its gold quotes, judged against `text`.
pub fn parse_gold(ann: &str, text: &str) -> Vec<GoldQuote> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: BTreeMap<String, TSpan> = BTreeMap::new();
    let mut events: Vec<Vec<(String, String)>> = Vec::new();
    for line in ann.lines() {
        let mut parts = line.splitn(3, '\t');
        let id = parts.next().unwrap_or("");
        let body = parts.next().unwrap_or("");
        let is_rec = |p: char| {
            id.len() > 1
                && id.starts_with(p)
                && id[1..].bytes().all(|b| b.is_ascii_digit())
                && line.as_bytes().get(id.len()) == Some(&b'\t')
        };
        if is_rec('T') {
            let (label, rest) = body.split_once(' ').unwrap_or((body, ""));
            let mut frags = Vec::new();
            for f in rest.split(';') {
                let mut nums = f.split_whitespace().filter_map(|x| x.parse::<usize>().ok());
                if let (Some(a), Some(b)) = (nums.next(), nums.next()) {
                    if a < b {
                        frags.push((a, b.min(chars.len())));
                    }
                }
            }
            spans.insert(
                id.to_string(),
                TSpan {
                    label: label.to_string(),
                    frags,
                },
            );
        } else if is_rec('E') {
            let roles = body
                .split_whitespace()
                .filter_map(|r| r.split_once(':'))
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            events.push(roles);
        }
    }
    let mut out = Vec::new();
    for ev in &events {
        let get = |role: &str| {
            ev.iter()
                .skip(1)
                .find(|(r, _)| r == role)
                .and_then(|(_, t)| spans.get(t))
        };
        let Some(content) = get("Content") else {
            continue;
        };
        if content.label != "Content" || content.frags.is_empty() {
            continue;
        }
        let lo = content.frags.iter().map(|f| f.0).min().unwrap_or(0);
        let hi = content.frags.iter().map(|f| f.1).max().unwrap_or(0);
        let marks = chars
            .get(lo..hi)
            .unwrap_or(&[])
            .iter()
            .filter(|c| matches!(c, '"' | '\u{201C}' | '\u{201D}'))
            .count();
        if marks < 2 {
            continue;
        }
        let seg: String = chars.get(lo..hi).unwrap_or(&[]).iter().collect();
        let seg = seg.trim();
        let is_mark = |c: char| matches!(c, '"' | '\u{201C}' | '\u{201D}');
        let edge = seg.starts_with(is_mark)
            || seg
                .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                .ends_with(is_mark);
        let source = get("Source").map(|s| s.frags.clone()).unwrap_or_default();
        out.push(GoldQuote {
            content: content.frags.clone(),
            source,
            edge,
        });
    }
    out
}

fn union_len(spans: &[(usize, usize)]) -> usize {
    let mut v: Vec<(usize, usize)> = spans.iter().copied().filter(|s| s.0 < s.1).collect();
    v.sort_unstable();
    let mut total = 0;
    let mut cur: Option<(usize, usize)> = None;
    for (a, b) in v {
        match cur {
            Some((ca, cb)) if a <= cb => cur = Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((a, b)) = cur {
        total += b - a;
    }
    total
}

/// Chars shared by two span sets (each union taken first).
fn intersection_len(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let mut pieces = Vec::new();
    for x in a {
        for y in b {
            let lo = x.0.max(y.0);
            let hi = x.1.min(y.1);
            if lo < hi {
                pieces.push((lo, hi));
            }
        }
    }
    union_len(&pieces)
}

fn overlaps(a: &[(usize, usize)], b: &[(usize, usize)]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.0.max(y.0) < x.1.min(y.1)))
}

/// Per gold quote: Some(speaker correct) when found, None when missed. Also
/// per prediction: whether it was found.
#[allow(clippy::type_complexity)]
pub fn match_quotes(
    gold: &[GoldQuote],
    preds: &[PredQuote],
) -> (Vec<Option<(bool, usize)>>, Vec<bool>) {
    let gold_len: Vec<usize> = gold.iter().map(|g| union_len(&g.content)).collect();
    let mut gold_state: Vec<Option<(bool, usize)>> = vec![None; gold.len()];
    let mut pred_found = vec![false; preds.len()];
    for (pi, p) in preds.iter().enumerate() {
        let mut best: Option<(f64, usize)> = None;
        for (gi, g) in gold.iter().enumerate() {
            if gold_state[gi].is_some() || gold_len[gi] == 0 {
                continue;
            }
            let r = intersection_len(&p.spans, &g.content) as f64 / gold_len[gi] as f64;
            if best.is_none_or(|(br, _)| r > br) {
                best = Some((r, gi));
            }
        }
        if let Some((r, gi)) = best {
            if r >= 0.5 {
                pred_found[pi] = true;
                gold_state[gi] = Some((overlaps(&p.speaker, &gold[gi].source), pi));
            }
        }
    }
    (gold_state, pred_found)
}

/// Char index of every byte offset that is a char boundary (and of `len`).
fn byte_to_char_table(text: &str) -> Vec<usize> {
    let mut t = vec![0usize; text.len() + 1];
    let mut ci = 0;
    for (b, c) in text.char_indices() {
        for (k, slot) in t.iter_mut().enumerate().skip(b).take(c.len_utf8()) {
            *slot = ci + usize::from(k > b);
        }
        ci += 1;
    }
    if let Some(last) = t.last_mut() {
        *last = ci;
    }
    t
}

/// Turn the pipeline's quotes into predictions in char offsets, grouping
/// pieces that share one cue mention.
pub fn predictions(text: &str, quotes: &[Quote]) -> Vec<PredQuote> {
    let table = byte_to_char_table(text);
    let ch = |b: usize| {
        table
            .get(b)
            .copied()
            .unwrap_or(table.len().saturating_sub(1))
    };
    let mut out: Vec<PredQuote> = Vec::new();
    let mut cue_of: Vec<Option<(usize, usize)>> = Vec::new();
    let mut sorted: Vec<&Quote> = quotes.iter().collect();
    sorted.sort_by_key(|q| (q.start, q.end));
    for q in sorted {
        let span = match &q.content {
            Some(m) => (ch(m.start), ch(m.end)),
            None => (ch(q.start), ch(q.end)),
        };
        let speaker: Vec<(usize, usize)> = q
            .speaker
            .as_ref()
            .map(|s| vec![(ch(s.mention.start), ch(s.mention.end))])
            .unwrap_or_default();
        let cue = q.cue.as_ref().map(|c| (c.start, c.end));
        if let Some(c) = cue {
            if let Some(i) = cue_of.iter().rposition(|x| *x == Some(c)) {
                if let Some(p) = out.get_mut(i) {
                    p.spans.push(span);
                    p.partial &= q.kind == QuoteKind::Partial;
                    for s in speaker {
                        if !p.speaker.contains(&s) {
                            p.speaker.push(s);
                        }
                    }
                    continue;
                }
            }
        }
        out.push(PredQuote {
            spans: vec![span],
            speaker,
            partial: q.kind == QuoteKind::Partial,
        });
        cue_of.push(cue);
    }
    // Document order of the scored spans (a partial quote's clause may start
    // before an earlier quote's mark).
    out.sort_by_key(|p| {
        let lo = p.spans.iter().map(|s| s.0).min().unwrap_or(0);
        let hi = p.spans.iter().map(|s| s.1).max().unwrap_or(0);
        (lo, hi)
    });
    out
}

/// Score one article given its gold and predictions.
pub fn score_article(text: &str, gold: &[GoldQuote], preds: &[PredQuote]) -> BratCounts {
    let chars: Vec<char> = text.chars().collect();
    let (gs, _) = match_quotes(gold, preds);
    let mut c = BratCounts {
        gold: gold.len(),
        predicted: preds.len(),
        ..Default::default()
    };
    for (g, st) in gold.iter().zip(&gs) {
        let pron = is_pronoun_source(&chars, &g.source);
        if pron {
            c.pronoun_gold += 1;
        }
        if let Some((ok, _)) = st {
            c.found += 1;
            if pron {
                c.pronoun_found += 1;
            }
            if *ok {
                c.speaker_correct += 1;
                if pron {
                    c.pronoun_speaker_correct += 1;
                }
            }
        }
    }
    c
}

/// Why a gold quote was missed: `-none` when no prediction overlaps it,
/// `-short` when the best overlapping one covers less than half of it,
/// `-taken` when that one matched another gold quote.
fn miss_kind(g: &GoldQuote, preds: &[PredQuote], found: &[bool]) -> &'static str {
    let gold_len = union_len(&g.content).max(1);
    let best = preds
        .iter()
        .zip(found)
        .map(|(p, f)| (intersection_len(&p.spans, &g.content), *f))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n);
    match best {
        None => "-none",
        Some((n, true)) if 2 * n >= gold_len => "-taken",
        Some((_, true)) => "-short-taken",
        Some(_) => "-short",
    }
}

fn is_pronoun_source(chars: &[char], source: &[(usize, usize)]) -> bool {
    let [(a, b)] = source else {
        return false;
    };
    let (a, b) = (*a, *b);
    let s: String = chars.get(a..b).unwrap_or(&[]).iter().collect();
    PRONOUNS.contains(&s.trim().to_lowercase().as_str())
}

/// The (txt, ann) pairs under `path`: a directory holding `text/` and
/// `attributions/`, or one directory holding both kinds of files.
fn collect_pairs(path: &Path) -> Result<Vec<(PathBuf, PathBuf)>, EvalError> {
    let unreadable = |p: &Path, e: std::io::Error| EvalError::Unreadable {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let (tdir, adir) = if path.join("text").is_dir() && path.join("attributions").is_dir() {
        (path.join("text"), path.join("attributions"))
    } else {
        (path.to_path_buf(), path.to_path_buf())
    };
    let list = |d: &Path| -> Result<Vec<String>, EvalError> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map_err(|e| unreadable(d, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        Ok(v)
    };
    let anns = list(&adir)?;
    let mut out = Vec::new();
    for t in list(&tdir)? {
        let Some(name) = t.strip_suffix(".txt") else {
            continue;
        };
        let first = anns.iter().find(|a| {
            a.strip_prefix(name)
                .and_then(|r| r.strip_prefix('_'))
                .and_then(|r| r.strip_suffix(".ann"))
                .is_some_and(|id| id.len() == 4 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        if let Some(a) = first {
            out.push((tdir.join(&t), adir.join(a)));
        }
    }
    Ok(out)
}

fn context(text: &str, chars: &[char], span: (usize, usize)) -> String {
    let _ = text;
    let a = span.0.saturating_sub(40);
    let b = (span.1 + 40).min(chars.len());
    let s: String = chars.get(a..b).unwrap_or(&[]).iter().collect();
    s.replace('\n', " ")
}

/// The JSON block and summary lines of one set of counts.
fn report_block(t: &BratCounts) -> (serde_json::Value, String) {
    let q = t.quote_counts();
    let e = t.e2e_counts();
    let speaker_accuracy = ratio(t.speaker_correct, t.found);
    let json = serde_json::json!({
        "precision": q.precision(),
        "recall": q.recall(),
        "f1": q.f1(),
        "speaker_accuracy": speaker_accuracy,
        "end_to_end_f1": e.f1(),
        "end_to_end_precision": e.precision(),
        "end_to_end_recall": e.recall(),
        "gold": t.gold,
        "predicted": t.predicted,
        "found": t.found,
        "speaker_correct": t.speaker_correct,
        "pronoun_subset": {
            "gold": t.pronoun_gold,
            "found": t.pronoun_found,
            "recall": ratio(t.pronoun_found, t.pronoun_gold),
            "speaker_accuracy": ratio(t.pronoun_speaker_correct, t.pronoun_found),
            "end_to_end_recall": ratio(t.pronoun_speaker_correct, t.pronoun_gold),
        },
    });
    let text = format!(
        "  {} gold; quotes: P {:.3} R {:.3} F1 {:.3}\n\
         \x20 speaker accuracy: {}/{} = {:.3}\n\
         \x20 end-to-end: P {:.3} R {:.3} F1 {:.3}\n\
         \x20 pronoun-source subset: {} gold, found {} (R {:.3}), speaker {}/{} = {:.3}",
        t.gold,
        q.precision(),
        q.recall(),
        q.f1(),
        t.speaker_correct,
        t.found,
        speaker_accuracy,
        e.precision(),
        e.recall(),
        e.f1(),
        t.pronoun_gold,
        t.pronoun_found,
        ratio(t.pronoun_found, t.pronoun_gold),
        t.pronoun_speaker_correct,
        t.pronoun_found,
        ratio(t.pronoun_speaker_correct, t.pronoun_found),
    );
    (json, text)
}

/// Score `pipeline` on the inputs at `paths`.
pub fn score(
    paths: &[PathBuf],
    pipeline: &Pipeline,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let mut pairs = Vec::new();
    for p in paths {
        if !p.is_dir() {
            return Err(EvalError::Unreadable {
                path: p.display().to_string(),
                reason: "not a directory".into(),
            });
        }
        pairs.extend(collect_pairs(p)?);
    }
    if pairs.is_empty() {
        return Err(EvalError::BadFormat {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            reason: "no .txt file with a matching NAME_XXXX.ann".into(),
        });
    }
    let mut total = BratCounts::default();
    let mut total_at_mark = BratCounts::default();
    let mut errors = Vec::new();
    let mut other_marks = 0usize;
    let bar = if opts.progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(pairs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    for (txt, ann) in &pairs {
        bar.inc(1);
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| EvalError::Unreadable {
                path: p.display().to_string(),
                reason: e.to_string(),
            })
        };
        let text = read(txt)?;
        let ann_text = read(ann)?;
        let gold = parse_gold(&ann_text, &text);
        let gold_at_mark: Vec<GoldQuote> = gold.iter().filter(|g| g.edge).cloned().collect();
        let doc = Document::new(String::new(), text.clone(), None);
        let quotes = pipeline.enricher.enrich(&doc).quotes;
        other_marks += quotes
            .iter()
            .filter(|q| {
                let before = text.get(..q.start).and_then(|s| s.chars().last());
                !matches!(before, Some('"' | '\u{201C}' | '\u{201D}'))
            })
            .count();
        let preds = predictions(&text, &quotes);
        let c = score_article(&text, &gold, &preds);
        total.add(&c);
        total_at_mark.add(&score_article(&text, &gold_at_mark, &preds));
        if opts.errors {
            let chars: Vec<char> = text.chars().collect();
            let name = txt
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (gs, pf) = match_quotes(&gold, &preds);
            for (g, st) in gold.iter().zip(&gs) {
                let lo = g.content.iter().map(|f| f.0).min().unwrap_or(0);
                let hi = g.content.iter().map(|f| f.1).max().unwrap_or(0);
                let src: String = g
                    .source
                    .iter()
                    .map(|&(a, b)| chars.get(a..b).unwrap_or(&[]).iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" ");
                match st {
                    None => errors.push(format!(
                        "{name}: MISS{} [{src}] «{}»",
                        miss_kind(g, &preds, &pf),
                        chars
                            .get(lo..hi)
                            .unwrap_or(&[])
                            .iter()
                            .collect::<String>()
                            .replace('\n', " ")
                    )),
                    Some((false, pi)) => {
                        let said: Vec<String> = preds
                            .get(*pi)
                            .map(|p| {
                                p.speaker
                                    .iter()
                                    .map(|&(a, b)| chars.get(a..b).unwrap_or(&[]).iter().collect())
                                    .collect()
                            })
                            .unwrap_or_default();
                        errors.push(format!(
                            "{name}: SPEAKER gold [{src}] predicted {:?} {}",
                            said,
                            context(&text, &chars, (lo, hi))
                        ))
                    }
                    Some((true, _)) => {}
                }
            }
            for (p, found) in preds.iter().zip(&pf) {
                if !found {
                    let lo = p.spans.iter().map(|f| f.0).min().unwrap_or(0);
                    let hi = p.spans.iter().map(|f| f.1).max().unwrap_or(0);
                    errors.push(format!(
                        "{name}: FP{} {}",
                        if p.partial { "-partial" } else { "" },
                        context(&text, &chars, (lo, hi))
                    ));
                }
            }
        }
    }
    bar.finish_and_clear();
    let (block, text_main) = report_block(&total);
    let (block_at_mark, text_at_mark) = report_block(&total_at_mark);
    let mut block = block;
    if let Some(o) = block.as_object_mut() {
        o.insert(
            "predicted_outside_double_marks".into(),
            serde_json::json!(other_marks),
        );
    }
    let json = serde_json::json!({
        "format": "brat",
        "inputs": pairs.len(),
        "gold_rule": "Content with at least 2 of \" \u{201C} \u{201D} (SOURCE.md)",
        "quotes": block,
        "quotes_at_mark": block_at_mark,
    });
    let summary = format!(
        "brat: {} articles, {} predicted quotes ({} not inside \" “ ” marks)\n\
         gold = Contents with >= 2 quote marks (SOURCE.md rule):\n{}\n\
         gold = Contents starting or ending at a quote mark (secondary):\n{}",
        pairs.len(),
        total.predicted,
        other_marks,
        text_main,
        text_at_mark
    );
    Ok(EvalReport {
        json,
        summary,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::PipelineConfig;

    fn pipeline() -> Pipeline {
        Pipeline::new(PipelineConfig::default()).unwrap()
    }

    fn write(dir: &Path, name: &str, body: &str) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    #[test]
    fn gold_rule_counts_two_double_marks() {
        // chars: `He said “Yes.” ‘No’ and “a” b` — curly marks are one char each.
        let text = "He said “Yes.” They said ‘no’.";
        let ann = "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 14\t“Yes.”\n\
                   T4\tAttribution 3 7\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
                   T5\tSource 15 19\tThey\nT6\tContent 25 29\t‘no’\n\
                   E2\tAttribution:T6 Content:T6 Source:T5\n#1\tAnnotatorNotes T1\tx\n";
        let g = parse_gold(ann, text);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].content, vec![(8, 14)]);
        assert_eq!(g[0].source, vec![(0, 2)]);
        assert!(g[0].edge);
    }

    #[test]
    fn matching_half_coverage_and_speaker() {
        let gold = vec![
            GoldQuote {
                content: vec![(10, 20), (30, 40)],
                source: vec![(0, 2)],
                edge: true,
            },
            GoldQuote {
                content: vec![(50, 60)],
                source: vec![],
                edge: true,
            },
        ];
        // Covers exactly 10 of 20 gold chars: found; speaker overlaps.
        let p1 = PredQuote {
            spans: vec![(10, 20)],
            speaker: vec![(1, 3)],
            partial: false,
        };
        // Covers 4 of 10: not found.
        let p2 = PredQuote {
            spans: vec![(56, 60)],
            speaker: vec![],
            partial: false,
        };
        let text = "x".repeat(70);
        let c = score_article(&text, &gold, &[p1, p2]);
        assert_eq!(c.gold, 2);
        assert_eq!(c.predicted, 2);
        assert_eq!(c.found, 1);
        assert_eq!(c.speaker_correct, 1);
        // A gold quote is matched only once.
        let p = PredQuote {
            spans: vec![(10, 40)],
            speaker: vec![(5, 6)],
            partial: false,
        };
        let c = score_article(&text, &gold, &[p.clone(), p]);
        assert_eq!((c.found, c.speaker_correct), (1, 0));
    }

    #[test]
    fn content_span_replaces_quote_span() {
        use crate::output::Mention;
        // Gold Content: `the plan is "dead" and will stay so` (chars 10..46).
        let text = "Jo Smith: the plan is \"dead\" and will stay so.";
        let gold = vec![GoldQuote {
            content: vec![(10, 46)],
            source: vec![(0, 8)],
            edge: false,
        }];
        let quote = |content: Option<Mention>| Quote {
            field: None,
            text: "dead".into(),
            start: 23,
            end: 27,
            kind: QuoteKind::Partial,
            cue: None,
            speaker: None,
            confidence: 0.5,
            content,
        };
        // The quoted word alone covers 4 of 36 chars: a miss.
        let p = predictions(text, &[quote(None)]);
        assert_eq!(p[0].spans, vec![(23, 27)]);
        assert_eq!(score_article(text, &gold, &p).found, 0);
        // Its clause covers all of it: found.
        let m = Mention {
            field: None,
            text: text[10..46].to_string(),
            start: 10,
            end: 46,
        };
        let p = predictions(text, &[quote(Some(m))]);
        assert_eq!(p[0].spans, vec![(10, 46)]);
        assert_eq!(score_article(text, &gold, &p).found, 1);
    }

    #[test]
    fn byte_offsets_become_char_offsets() {
        let t = "a“b”c";
        let tab = byte_to_char_table(t);
        assert_eq!(tab[0], 0);
        assert_eq!(tab[1], 1);
        assert_eq!(tab[4], 2); // 'b'
        assert_eq!(tab[5], 3); // '”'
        assert_eq!(tab[t.len()], 5);
    }

    #[test]
    fn scores_one_and_zero_end_to_end() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Headline here.\n\n\"We will win the vote,\" Smith said on Monday.\n";
        // Content = `"We will win the vote,"` chars 16..39; Source `Smith` 40..45.
        assert_eq!(&text[16..39], "\"We will win the vote,\"");
        assert_eq!(&text[40..45], "Smith");
        write(dir.path(), "a.txt", text);
        write(
            dir.path(),
            "a_4b22.ann",
            "T1\tSource 40 45\tSmith\nT2\tCue 46 50\tsaid\nT3\tContent 16 39\tx\n\
             T4\tAttribution 46 50\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        );
        // A second annotator file that must be ignored (it has no quote).
        write(dir.path(), "a_ef2d.ann", "T1\tContent 0 5\tHead\n");
        let r = score(
            &[dir.path().to_path_buf()],
            &pipeline(),
            &EvalOptions::default(),
        )
        .unwrap();
        let q = &r.json["quotes"];
        assert_eq!(r.json["format"], "brat");
        assert_eq!(r.json["inputs"], 1);
        assert_eq!(q["f1"], 1.0);
        assert_eq!(q["speaker_accuracy"], 1.0);
        assert_eq!(q["end_to_end_f1"], 1.0);

        // The gold quote is a long mixed Content with no speech cue (a scare
        // quote, not predicted); the direct quote predicted is not gold:
        // all zero.
        let dir2 = tempfile::tempdir().unwrap();
        let text2 = "Head.\n\nThe plan was \"odd\" in a long speech to the board.\n\n\"We won,\" Jones said.\n";
        let a = text2.find("plan").unwrap();
        let b = text2.find(" to the board").unwrap();
        write(dir2.path(), "b.txt", text2);
        write(
            dir2.path(),
            "b_4b22.ann",
            &format!("T1\tContent {a} {b}\tx\nT2\tSource 7 10\tShe\nE1\tAttribution:T1 Content:T1 Source:T2\n"),
        );
        let r = score(
            &[dir2.path().to_path_buf()],
            &pipeline(),
            &EvalOptions::default(),
        )
        .unwrap();
        // Its quoted word sits inside the Content: gold under SOURCE.md's
        // two-marks rule (the primary block), not under the at-a-mark rule.
        let q = &r.json["quotes"];
        assert_eq!(q["gold"], 1);
        assert_eq!(q["found"], 0);
        assert_eq!(q["recall"], 0.0);
        assert_eq!(q["precision"], 0.0);
        assert_eq!(q["f1"], 0.0);
        assert_eq!(q["end_to_end_f1"], 0.0);
        assert_eq!(r.json["quotes_at_mark"]["gold"], 0);
        assert!(r.json.get("quotes_two_marks").is_none());
    }

    #[test]
    fn greedy_in_document_order_takes_the_best_ratio() {
        let gold = vec![
            GoldQuote {
                content: vec![(0, 10)],
                source: vec![(40, 42)],
                edge: true,
            },
            GoldQuote {
                content: vec![(8, 12)],
                source: vec![(50, 52)],
                edge: true,
            },
        ];
        // The first prediction covers 2/10 of gold 0 and 4/4 of gold 1: it
        // takes gold 1 although the second prediction would fit gold 1 too.
        let first = PredQuote {
            spans: vec![(8, 12)],
            speaker: vec![(50, 51)],
            partial: false,
        };
        // The second covers 3/10 of gold 0 (below 0.5) and gold 1 is taken.
        let second = PredQuote {
            spans: vec![(7, 12)],
            speaker: vec![(40, 41)],
            partial: false,
        };
        let (gs, pf) = match_quotes(&gold, &[first, second]);
        assert_eq!(gs, vec![None, Some((true, 0))]);
        assert_eq!(pf, vec![true, false]);
    }

    #[test]
    fn discontinuous_gold_ratio_ignores_gaps_and_fragment_order() {
        // Fragments out of order; 6 gold chars in all, the gap is not counted.
        let gold = vec![GoldQuote {
            content: vec![(20, 23), (0, 3)],
            source: vec![],
            edge: true,
        }];
        // Covers 0..3 and the gap: 3 of 6 gold chars, found; no Source, so
        // the speaker is never right.
        let p = PredQuote {
            spans: vec![(0, 15)],
            speaker: vec![(0, 1)],
            partial: false,
        };
        let c = score_article(&"x".repeat(30), &gold, &[p]);
        assert_eq!((c.found, c.speaker_correct), (1, 0));
        // Covers only 2 of 6: missed.
        let p = PredQuote {
            spans: vec![(1, 15)],
            speaker: vec![],
            partial: false,
        };
        assert_eq!(score_article(&"x".repeat(30), &gold, &[p]).found, 0);
    }

    #[test]
    fn first_annotation_in_sorted_order_is_used() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", "x");
        write(dir.path(), "b_ef2d.ann", "");
        write(dir.path(), "b_4e07.ann", "");
        write(dir.path(), "b_4b22.ann", "");
        write(dir.path(), "b_extra_4b22.ann", "");
        let pairs = collect_pairs(dir.path()).unwrap();
        assert_eq!(pairs.len(), 1);
        assert!(pairs[0].1.ends_with("b_4b22.ann"));
    }

    #[test]
    fn missing_dir_is_unreadable() {
        let r = score(
            &[PathBuf::from("/nonexistent/brat/dir")],
            &pipeline(),
            &EvalOptions::default(),
        );
        assert!(matches!(r, Err(EvalError::Unreadable { .. })));
    }
}
