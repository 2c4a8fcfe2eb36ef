//! Scorer for `lede eval gum PATH...`: GUM-style CoNLL-U (a `.conllu` file
//! or a directory of them) with entity mentions in the MISC column's
//! `Entity=` bracket notation (`(id-type-...` opens a mention, `id)` closes
//! it, `(id-type-...)` is a one-token mention; mentions nest and several
//! brackets can sit on one token). Gold is every person / organization /
//! place mention whose syntactic head (the first token of the span whose
//! HEAD lies outside the span) is a PROPN, typed PER / ORG / LOC. Each
//! document (`# newdoc id`) is rebuilt from its words (`SpaceAfter=No`
//! honoured, no space inside a multiword token, a newline between
//! sentences), the entity stage runs on the whole document as in
//! [`super::conll`], predicted byte spans are mapped back to words, and
//! spans are scored by exact match (overall and per type, plus conll's
//! lenient overlap score) and by head match (a predicted span of the same
//! type contains the gold head). Documents are grouped by
//! genre (`# meta::genre`, else the `GUM_<genre>_` document name); the
//! headline counts one genre (news by default), and every genre is
//! reported under `per_genre`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::conll::{self, Rebuilt, SpanScore, TSpan, TYPES};
use super::{EvalError, EvalOptions, EvalReport};
use crate::enrich::Document;
use crate::pipeline::Pipeline;

/// Which documents the headline score counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Genre {
    /// Documents whose genre is `news`.
    #[default]
    News,
    /// Documents whose genre is `interview`.
    Interview,
    /// Every document, whatever its genre (or none).
    All,
}

impl Genre {
    pub fn name(&self) -> &'static str {
        match self {
            Genre::News => "news",
            Genre::Interview => "interview",
            Genre::All => "all",
        }
    }
    /// Whether a document of genre `g` is counted.
    pub fn selects(&self, g: &str) -> bool {
        match self {
            Genre::All => true,
            _ => g == self.name(),
        }
    }
}

/// One syntactic word (multiword-token lines and empty nodes are skipped).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub form: String,
    pub upos: String,
    /// Index (in the document) of the syntactic head; `None` for the root
    /// or a head that cannot be resolved.
    pub head: Option<usize>,
    /// Whether a space follows (inside a multiword token: never).
    pub space_after: bool,
    /// Sentence index in the document.
    pub sentence: usize,
}

/// An annotated mention over words `[start, end]` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The GUM entity type (`person`, `place`, `abstract`, ...).
    pub etype: String,
    pub start: usize,
    pub end: usize,
}

/// One CoNLL-U document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GumDoc {
    pub id: String,
    /// `# meta::genre`, else taken from a `GUM_<genre>_...` id, else "".
    pub genre: String,
    pub words: Vec<Word>,
    pub mentions: Vec<Mention>,
}

/// A word line's position while its sentence is still open.
struct Pending {
    id: usize,
    head: Option<usize>,
}

#[derive(Default)]
struct Builder {
    doc: GumDoc,
    meta_genre: Option<String>,
    /// Words of the open sentence: (word id, raw HEAD).
    sent: Vec<Pending>,
    sent_start: usize,
    sentences: usize,
    /// Open mentions by entity id: stack of (start word, type).
    open: HashMap<String, Vec<(usize, String)>>,
    /// Last word id of the multiword token being read, and its SpaceAfter.
    mwt: Option<(usize, bool)>,
}

impl Builder {
    fn new(id: &str) -> Self {
        Builder {
            doc: GumDoc {
                id: id.to_string(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Resolve the open sentence's HEAD ids to document word indices.
    fn end_sentence(&mut self) {
        if self.sent.is_empty() {
            return;
        }
        let ids: HashMap<usize, usize> = self
            .sent
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, self.sent_start + i))
            .collect();
        for (i, p) in self.sent.iter().enumerate() {
            let head = p.head.and_then(|h| ids.get(&h).copied());
            if let Some(w) = self.doc.words.get_mut(self.sent_start + i) {
                w.head = head;
            }
        }
        self.sent.clear();
        self.sentences += 1;
        self.sent_start = self.doc.words.len();
        self.mwt = None;
    }

    fn finish(mut self) -> Option<GumDoc> {
        self.end_sentence();
        if self.doc.words.is_empty() {
            return None;
        }
        self.doc.genre = match self.meta_genre {
            Some(g) => g,
            None => genre_from_name(&self.doc.id),
        };
        self.doc
            .mentions
            .sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        Some(self.doc)
    }

    fn word(&mut self, cols: &[&str]) -> Result<(), String> {
        let id_col = cols[0];
        if let Some((a, b)) = id_col.split_once('-') {
            let (Ok(_), Ok(last)) = (a.parse::<usize>(), b.parse::<usize>()) else {
                return Err(format!("bad multiword token id `{id_col}`"));
            };
            self.mwt = Some((last, !misc_has(cols[9], "SpaceAfter=No")));
            return Ok(());
        }
        if id_col.contains('.') {
            return Ok(()); // empty node
        }
        let id: usize = id_col
            .parse()
            .map_err(|_| format!("bad word id `{id_col}`"))?;
        let space_after = match self.mwt {
            Some((last, sp)) if id == last => {
                self.mwt = None;
                sp
            }
            Some((last, _)) if id < last => false,
            _ => !misc_has(cols[9], "SpaceAfter=No"),
        };
        let index = self.doc.words.len();
        self.doc.words.push(Word {
            form: cols[1].to_string(),
            upos: cols[3].to_string(),
            head: None,
            space_after,
            sentence: self.sentences,
        });
        let head = match cols[6].parse::<usize>() {
            Ok(0) | Err(_) => None,
            Ok(h) => Some(h),
        };
        self.sent.push(Pending { id, head });
        if let Some(value) = cols[9].split('|').find_map(|f| f.strip_prefix("Entity=")) {
            for b in parse_entity(value) {
                match b {
                    Bracket::Open { id, etype } => {
                        self.open.entry(id).or_default().push((index, etype));
                    }
                    Bracket::Single { etype, .. } => self.doc.mentions.push(Mention {
                        etype,
                        start: index,
                        end: index,
                    }),
                    Bracket::Close { id } => {
                        // a closing without its opening is ignored
                        if let Some((start, etype)) = self.open.get_mut(&id).and_then(|s| s.pop()) {
                            self.doc.mentions.push(Mention {
                                etype,
                                start,
                                end: index,
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

fn misc_has(misc: &str, field: &str) -> bool {
    misc.split('|').any(|f| f == field)
}

/// The genre in a `GUM_<genre>_<name>` document name, else "".
fn genre_from_name(name: &str) -> String {
    let mut parts = name.split('_');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GUM"), Some(g), Some(_)) => g.to_string(),
        _ => String::new(),
    }
}

/// One bracket of an `Entity=` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bracket {
    /// `(id-type-...`: a mention starts here.
    Open { id: String, etype: String },
    /// `(id-type-...)`: a one-token mention.
    Single { id: String, etype: String },
    /// `id)`: the innermost open mention of `id` ends here.
    Close { id: String },
}

/// Split an `Entity=` value into its brackets, in order. An opening's
/// fields run to the next `(` or `)`; text that is neither an opening nor
/// `id)` is skipped.
pub fn parse_entity(value: &str) -> Vec<Bracket> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(body_on) = rest.strip_prefix('(') {
            let k = body_on.find(['(', ')']).unwrap_or(body_on.len());
            let body = &body_on[..k];
            let mut fields = body.split('-');
            let id = fields.next().unwrap_or("").to_string();
            let etype = fields.next().unwrap_or("").to_string();
            let single = body_on[k..].starts_with(')');
            if !id.is_empty() {
                out.push(if single {
                    Bracket::Single { id, etype }
                } else {
                    Bracket::Open { id, etype }
                });
            }
            rest = &body_on[k + usize::from(single)..];
        } else {
            let k = rest.find(['(', ')']).unwrap_or(rest.len());
            let closes = rest[k..].starts_with(')');
            if closes && k > 0 {
                out.push(Bracket::Close {
                    id: rest[..k].to_string(),
                });
            }
            rest = &rest[k + usize::from(closes)..];
        }
    }
    out
}

/// Parse CoNLL-U text into documents. `# newdoc id = X` starts a document
/// (text before the first one belongs to a document named `name`); token
/// lines have 10 tab-separated columns. Returns an error message naming the
/// line for a malformed token line.
pub fn parse(text: &str, name: &str) -> Result<Vec<GumDoc>, String> {
    let mut docs = Vec::new();
    let mut b = Builder::new(name);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(id) = c.strip_prefix("newdoc id") {
                let id = id.trim_start().trim_start_matches('=').trim();
                let prev = std::mem::replace(&mut b, Builder::new(id));
                docs.extend(prev.finish());
            } else if let Some(g) = c.strip_prefix("meta::genre") {
                b.meta_genre = Some(g.trim_start().trim_start_matches('=').trim().to_string());
            }
            continue;
        }
        if line.trim().is_empty() {
            b.end_sentence();
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!(
                "line {}: expected 10 tab-separated columns, found {}",
                n + 1,
                cols.len()
            ));
        }
        b.word(&cols).map_err(|e| format!("line {}: {e}", n + 1))?;
    }
    docs.extend(b.finish());
    Ok(docs)
}

/// The head of words `[start, end]`: the first whose HEAD lies outside the
/// span (the root counts as outside); `start` if there is none.
pub fn mention_head(words: &[Word], start: usize, end: usize) -> usize {
    (start..=end)
        .find(|&i| {
            words
                .get(i)
                .is_some_and(|w| w.head.is_none_or(|h| h < start || h > end))
        })
        .unwrap_or(start)
}

/// The scored type of a GUM entity type.
pub fn scored_type(etype: &str) -> Option<&'static str> {
    match etype {
        "person" => Some("PER"),
        "organization" => Some("ORG"),
        "place" => Some("LOC"),
        _ => None,
    }
}

/// A gold span with its head word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSpan {
    pub span: TSpan,
    pub head: usize,
}

/// Gold spans: person / organization / place mentions headed by a PROPN,
/// one per distinct (type, span), in document order.
pub fn gold_spans(doc: &GumDoc) -> Vec<GoldSpan> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in &doc.mentions {
        let Some(kind) = scored_type(&m.etype) else {
            continue;
        };
        let head = mention_head(&doc.words, m.start, m.end);
        if doc.words.get(head).is_none_or(|w| w.upos != "PROPN") {
            continue;
        }
        let span = TSpan {
            kind: kind.to_string(),
            start: m.start,
            end: m.end,
        };
        if seen.insert(span.clone()) {
            out.push(GoldSpan { span, head });
        }
    }
    out
}

/// The document's text from its words: a space after each word unless
/// `SpaceAfter=No`, a newline between sentences.
pub fn rebuild(doc: &GumDoc) -> Rebuilt {
    let mut r = Rebuilt::default();
    for (i, w) in doc.words.iter().enumerate() {
        let start = r.text.len();
        r.text.push_str(&w.form);
        r.spans.push((start, r.text.len()));
        r.sentence.push(w.sentence);
        if let Some(next) = doc.words.get(i + 1) {
            if next.sentence != w.sentence {
                r.text.push('\n');
            } else if w.space_after {
                r.text.push(' ');
            }
        }
    }
    r
}

/// Head-match counts of one type: predictions containing the head of a
/// gold span of their type, and gold spans whose head some prediction of
/// their type contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeadCounts {
    pub pred_hit: usize,
    pub pred: usize,
    pub gold_hit: usize,
    pub gold: usize,
}

impl HeadCounts {
    pub fn add(&mut self, o: HeadCounts) {
        self.pred_hit += o.pred_hit;
        self.pred += o.pred;
        self.gold_hit += o.gold_hit;
        self.gold += o.gold;
    }
    pub fn precision(&self) -> f64 {
        super::ratio(self.pred_hit, self.pred)
    }
    pub fn recall(&self) -> f64 {
        super::ratio(self.gold_hit, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "precision": self.precision(),
            "recall": self.recall(),
            "f1": self.f1(),
        })
    }
}

/// Exact (with conll's lenient overlap) and head-match counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub spans: SpanScore,
    /// Head match per type, in [`TYPES`] order.
    pub heads: [HeadCounts; 3],
}

impl Score {
    pub fn add(&mut self, o: &Score) {
        self.spans.add(&o.spans);
        for (a, b) in self.heads.iter_mut().zip(o.heads.iter()) {
            a.add(*b);
        }
    }
    pub fn head_overall(&self) -> HeadCounts {
        let mut c = HeadCounts::default();
        for h in &self.heads {
            c.add(*h);
        }
        c
    }
}

fn contains(p: &TSpan, kind: &str, tok: usize) -> bool {
    p.kind == kind && p.start <= tok && tok <= p.end
}

/// Score predicted spans (types outside [`TYPES`] ignored) against gold.
pub fn score_doc(gold: &[GoldSpan], pred: &[TSpan]) -> Score {
    let gspans: Vec<TSpan> = gold.iter().map(|g| g.span.clone()).collect();
    let spans = conll::score_spans(&gspans, pred);
    let pred: Vec<&TSpan> = pred
        .iter()
        .filter(|p| TYPES.contains(&p.kind.as_str()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut heads = [HeadCounts::default(); 3];
    for (ti, t) in TYPES.iter().enumerate() {
        let h = &mut heads[ti];
        let g: Vec<&GoldSpan> = gold.iter().filter(|g| g.span.kind == *t).collect();
        let p: Vec<&&TSpan> = pred.iter().filter(|p| p.kind == *t).collect();
        h.gold = g.len();
        h.gold_hit = g
            .iter()
            .filter(|g| p.iter().any(|p| contains(p, t, g.head)))
            .count();
        h.pred = p.len();
        h.pred_hit = p
            .iter()
            .filter(|p| g.iter().any(|g| contains(p, t, g.head)))
            .count();
    }
    Score { spans, heads }
}

/// The `.conllu` files a path names: the file itself, or every `.conllu`
/// directly in a directory, sorted.
fn files(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let unreadable = |e: std::io::Error| EvalError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|q| q.is_file() && q.extension().is_some_and(|x| x == "conllu"))
        .collect();
    v.sort();
    Ok(v)
}

/// Read and parse every document under `paths`.
pub fn load(paths: &[PathBuf]) -> Result<Vec<GumDoc>, EvalError> {
    let mut docs = Vec::new();
    for p in paths {
        for f in files(p)? {
            let text = std::fs::read_to_string(&f).map_err(|e| EvalError::Unreadable {
                path: f.display().to_string(),
                reason: e.to_string(),
            })?;
            let name = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parsed = parse(&text, &name).map_err(|reason| EvalError::BadFormat {
                path: f.display().to_string(),
                reason,
            })?;
            docs.extend(parsed);
        }
    }
    Ok(docs)
}

/// Counts for a group of documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub documents: usize,
    pub score: Score,
}

/// Score `pipeline` on the inputs at `paths`.
pub fn score(
    paths: &[PathBuf],
    pipeline: &Pipeline,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let docs = load(paths)?;
    let bar = super::progress_bar(opts, docs.len() as u64, "gum");
    let mut per_genre: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut errors = Vec::new();
    for doc in &docs {
        let r = rebuild(doc);
        let d = Document::new("", r.text.clone(), None);
        let entities = crate::enrich::entities::extract(&pipeline.enricher.entity_model, &d);
        let pred = conll::predicted_spans(&entities, &r.spans);
        let gold = gold_spans(doc);
        let sc = score_doc(&gold, &pred);
        let g = per_genre.entry(doc.genre.clone()).or_default();
        g.documents += 1;
        g.score.add(&sc);
        if opts.genre.selects(&doc.genre) {
            total.documents += 1;
            total.score.add(&sc);
            if opts.errors {
                errors.extend(doc_errors(doc, &r, &gold, &pred));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(report(&total, &per_genre, opts.genre, errors))
}

/// Misses and false positives of one document, with their sentence. A miss
/// or false positive that head match forgives says so.
fn doc_errors(doc: &GumDoc, r: &Rebuilt, gold: &[GoldSpan], pred: &[TSpan]) -> Vec<String> {
    let mut out = Vec::new();
    let gset: HashSet<&TSpan> = gold.iter().map(|g| &g.span).collect();
    let pset: HashSet<&TSpan> = pred.iter().collect();
    for g in gold {
        if pset.contains(&g.span) {
            continue;
        }
        let head = doc.words.get(g.head).map_or("", |w| w.form.as_str());
        let by_head = pred.iter().any(|p| contains(p, &g.span.kind, g.head));
        out.push(format!(
            "{}: missed {} \"{}\" (head \"{head}\"{}) in: {}",
            doc.id,
            g.span.kind,
            conll::span_text(r, &g.span),
            if by_head { ", head matched" } else { "" },
            conll::sentence_text(r, g.span.start)
        ));
    }
    for p in pred.iter().filter(|p| TYPES.contains(&p.kind.as_str())) {
        if gset.contains(p) {
            continue;
        }
        let by_head = gold.iter().any(|g| contains(p, &g.span.kind, g.head));
        out.push(format!(
            "{}: false {} \"{}\"{} in: {}",
            doc.id,
            p.kind,
            conll::span_text(r, p),
            if by_head { " (head matched)" } else { "" },
            conll::sentence_text(r, p.start)
        ));
    }
    out
}

/// The `"entities"` JSON block for counts.
fn entities_json(s: &Score) -> serde_json::Value {
    let overall = s.spans.overall();
    let mut per_type = serde_json::Map::new();
    let mut head_per_type = serde_json::Map::new();
    for (ti, t) in TYPES.iter().enumerate() {
        per_type.insert(t.to_string(), s.spans.per_type[ti].prf_json());
        head_per_type.insert(t.to_string(), s.heads[ti].json());
    }
    let mut head = s.head_overall().json();
    if let Some(o) = head.as_object_mut() {
        o.insert("per_type".into(), head_per_type.into());
    }
    serde_json::json!({
        "precision": overall.precision(),
        "recall": overall.recall(),
        "f1": overall.f1(),
        "per_type": per_type,
        "lenient_f1": s.spans.lenient_f1(),
        "head_match": head,
    })
}

/// The JSON and summary: the headline over the selected genre, then each genre.
pub fn report(
    total: &Tally,
    per_genre: &BTreeMap<String, Tally>,
    genre: Genre,
    errors: Vec<String>,
) -> EvalReport {
    let s = &total.score;
    let overall = s.spans.overall();
    let others: usize = per_genre
        .iter()
        .filter(|(g, _)| !genre.selects(g))
        .map(|(_, t)| t.documents)
        .sum();
    let mut summary = format!(
        "gum: {} documents (genre {}; {others} other documents only under per genre)\n",
        total.documents,
        genre.name()
    );
    summary.push_str(&format!(
        "entities exact  P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})\n",
        overall.precision(),
        overall.recall(),
        overall.f1(),
        overall.tp,
        overall.fp,
        overall.fn_
    ));
    for (t, c) in TYPES.iter().zip(s.spans.per_type.iter()) {
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
    let h = s.head_overall();
    summary.push_str(&format!(
        "entities head match P {:.4} R {:.4} F1 {:.4} (predicted {}/{}, gold {}/{})\n",
        h.precision(),
        h.recall(),
        h.f1(),
        h.pred_hit,
        h.pred,
        h.gold_hit,
        h.gold
    ));
    for (t, c) in TYPES.iter().zip(s.heads.iter()) {
        summary.push_str(&format!(
            "  {t:<4} P {:.4} R {:.4} F1 {:.4}\n",
            c.precision(),
            c.recall(),
            c.f1()
        ));
    }
    summary.push_str(&format!(
        "entities lenient F1 {:.4}\n",
        s.spans.lenient_f1()
    ));
    let mut genres = serde_json::Map::new();
    for (g, t) in per_genre {
        let name = if g.is_empty() { "unknown" } else { g.as_str() };
        summary.push_str(&format!(
            "genre {name}: {} documents, exact F1 {:.4}, head match F1 {:.4}\n",
            t.documents,
            t.score.spans.overall().f1(),
            t.score.head_overall().f1()
        ));
        genres.insert(
            name.to_string(),
            serde_json::json!({"inputs": t.documents, "entities": entities_json(&t.score)}),
        );
    }
    let json = serde_json::json!({
        "format": "gum",
        "inputs": total.documents,
        "genre": genre.name(),
        "entities": entities_json(s),
        "per_genre": genres,
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

    /// A token line: id, form, upos, head, misc (other columns filler).
    fn tok(id: &str, form: &str, upos: &str, head: &str, misc: &str) -> String {
        format!("{id}\t{form}\t_\t{upos}\t_\t_\t{head}\t_\t_\t{misc}\n")
    }

    /// Two documents: a news one with nested and same-token brackets, an
    /// interview one with a multiword token and an empty node.
    fn sample() -> String {
        let mut s = String::new();
        s.push_str("# newdoc id = GUM_news_ferry\n# meta::genre = news\n# text = The Lake Tova ferry left Brindle Harbour.\n");
        // "The Lake Tova ferry": object mention; "Lake Tova": place, nested.
        s.push_str(&tok("1", "The", "DET", "4", "Entity=(1-object-new-x-x"));
        s.push_str(&tok(
            "2",
            "Lake",
            "PROPN",
            "3",
            "Entity=(2-place-new-x-x-coref-Lake_Tova",
        ));
        s.push_str(&tok("3", "Tova", "PROPN", "4", "Entity=2)"));
        s.push_str(&tok("4", "ferry", "NOUN", "5", "Entity=1)"));
        s.push_str(&tok("5", "left", "VERB", "0", "_"));
        // "Brindle Harbour": place headed by "Harbour" (PROPN).
        s.push_str(&tok(
            "6",
            "Brindle",
            "PROPN",
            "7",
            "Entity=(3-place-new-x-x",
        ));
        s.push_str(&tok(
            "7",
            "Harbour",
            "PROPN",
            "5",
            "Entity=3)|SpaceAfter=No",
        ));
        s.push_str(&tok("8", ".", "PUNCT", "5", "_"));
        s.push('\n');
        // One token opening two mentions, one of them single-token:
        // "Mira" is a person; "Mira Osk" a person too; the company is an organization.
        s.push_str(&tok(
            "1",
            "Mira",
            "PROPN",
            "3",
            "Entity=(4-person-new-x-x(4-person-new-x-x)",
        ));
        s.push_str(&tok("2", "Osk", "PROPN", "1", "Entity=4)"));
        s.push_str(&tok("3", "joined", "VERB", "0", "_"));
        s.push_str(&tok(
            "4",
            "the",
            "DET",
            "6",
            "Entity=(5-organization-new-x-x",
        ));
        s.push_str(&tok("5", "Velt", "PROPN", "6", "_"));
        s.push_str(&tok("6", "company", "NOUN", "3", "Entity=5)"));
        s.push('\n');
        s.push_str("# newdoc id = GUM_interview_tea\n");
        s.push_str(&tok("1-2", "Don't", "_", "_", "_"));
        s.push_str(&tok("1", "Do", "AUX", "3", "_"));
        s.push_str(&tok("2", "n't", "PART", "3", "_"));
        s.push_str(&tok("2.1", "go", "VERB", "_", "_"));
        s.push_str(&tok("3", "ask", "VERB", "0", "_"));
        s.push_str(&tok(
            "4",
            "Pell",
            "PROPN",
            "3",
            "Entity=(6-person-new-x-x)|SpaceAfter=No",
        ));
        s.push_str(&tok("5", "!", "PUNCT", "3", "_"));
        s.push('\n');
        s
    }

    fn sp(kind: &str, start: usize, end: usize) -> TSpan {
        TSpan {
            kind: kind.to_string(),
            start,
            end,
        }
    }

    #[test]
    fn entity_brackets() {
        assert_eq!(
            parse_entity("(1-event-new-a-b-2-sgl(2-abstract-new-a-b-1-coref)"),
            vec![
                Bracket::Open {
                    id: "1".into(),
                    etype: "event".into()
                },
                Bracket::Single {
                    id: "2".into(),
                    etype: "abstract".into()
                },
            ]
        );
        assert_eq!(
            parse_entity("7)3)(9-place-giv)"),
            vec![
                Bracket::Close { id: "7".into() },
                Bracket::Close { id: "3".into() },
                Bracket::Single {
                    id: "9".into(),
                    etype: "place".into()
                },
            ]
        );
        // junk yields nothing and never panics
        assert!(parse_entity("((()").is_empty());
        assert!(parse_entity("").is_empty());
    }

    #[test]
    fn parse_documents_words_and_mentions() {
        let docs = parse(&sample(), "file").unwrap();
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(
            (d.id.as_str(), d.genre.as_str()),
            ("GUM_news_ferry", "news")
        );
        assert_eq!(d.words.len(), 14);
        assert_eq!(d.words[2].head, Some(3)); // Tova -> ferry (doc index 3)
        assert_eq!(d.words[4].head, None); // root
        assert_eq!(d.words[8].sentence, 1);
        assert_eq!(d.words[9].head, Some(8)); // Osk -> Mira, in sentence 2
        let spans: Vec<(&str, usize, usize)> = d
            .mentions
            .iter()
            .map(|m| (m.etype.as_str(), m.start, m.end))
            .collect();
        assert_eq!(
            spans,
            vec![
                ("object", 0, 3),
                ("place", 1, 2),
                ("place", 5, 6),
                ("person", 8, 9),
                ("person", 8, 8),
                ("organization", 11, 13),
            ]
        );
        // interview: genre from the name, multiword token and empty node skipped
        let i = &docs[1];
        assert_eq!(i.genre, "interview");
        let forms: Vec<&str> = i.words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, vec!["Do", "n't", "ask", "Pell", "!"]);
        assert_eq!(rebuild(i).text, "Don't ask Pell!");
        assert_eq!(i.mentions.len(), 1);
        // a short line is an error naming the line
        let e = parse("# newdoc id = x\n1\tA\tB\n", "f").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn rebuilt_text_honours_space_after() {
        let d = &parse(&sample(), "file").unwrap()[0];
        let r = rebuild(d);
        assert_eq!(
            r.text,
            "The Lake Tova ferry left Brindle Harbour.\nMira Osk joined the Velt company"
        );
        assert_eq!(&r.text[r.spans[6].0..r.spans[6].1], "Harbour");
        assert_eq!(r.spans[7], (40, 41));
    }

    #[test]
    fn heads_and_gold_rule() {
        let d = &parse(&sample(), "file").unwrap()[0];
        assert_eq!(mention_head(&d.words, 0, 3), 3); // ferry
        assert_eq!(mention_head(&d.words, 1, 2), 2); // Tova
        assert_eq!(mention_head(&d.words, 8, 9), 8); // Mira (Osk depends on it)
        let gold = gold_spans(d);
        let got: Vec<(TSpan, usize)> = gold.iter().map(|g| (g.span.clone(), g.head)).collect();
        // the object mention is not scored, the organization is headed by a NOUN
        assert_eq!(
            got,
            vec![
                (sp("LOC", 1, 2), 2),
                (sp("LOC", 5, 6), 6),
                (sp("PER", 8, 9), 8),
                (sp("PER", 8, 8), 8),
            ]
        );
    }

    #[test]
    fn perfect_and_zero_scores() {
        let d = &parse(&sample(), "file").unwrap()[0];
        let gold = gold_spans(d);
        let all: Vec<TSpan> = gold.iter().map(|g| g.span.clone()).collect();
        let perfect = score_doc(&gold, &all);
        assert_eq!(perfect.spans.overall().f1(), 1.0);
        assert_eq!(perfect.head_overall().f1(), 1.0);
        // wrong types and spans that miss every head: 0 both ways
        let wrong = vec![sp("ORG", 1, 2), sp("PER", 5, 6), sp("LOC", 9, 9)];
        let zero = score_doc(&gold, &wrong);
        assert_eq!(zero.spans.overall().f1(), 0.0);
        assert_eq!(zero.head_overall().f1(), 0.0);
        assert_eq!(zero.head_overall().pred, 3);
        // nothing predicted
        let none = score_doc(&gold, &[]);
        assert_eq!(none.head_overall().recall(), 0.0);
        assert_eq!(none.heads[2].gold, 2);
    }

    #[test]
    fn head_match_by_hand() {
        let d = &parse(&sample(), "file").unwrap()[0];
        let gold = gold_spans(d);
        // "Tova" alone (holds the head of "Lake Tova"), "Brindle" alone
        // (misses the head "Harbour"), "Mira Osk" exact, ORG "Velt" (no gold).
        let pred = vec![
            sp("LOC", 2, 2),
            sp("LOC", 5, 5),
            sp("PER", 8, 9),
            sp("ORG", 12, 12),
        ];
        let s = score_doc(&gold, &pred);
        let o = s.spans.overall();
        assert_eq!((o.tp, o.fp, o.fn_), (1, 3, 3));
        let h = s.head_overall();
        // predictions: Tova and Mira Osk hold a gold head (2 of 4); gold:
        // Lake Tova, Mira Osk and Mira found by head (3 of 4)
        assert_eq!((h.pred_hit, h.pred, h.gold_hit, h.gold), (2, 4, 3, 4));
        assert!((h.f1() - 2.0 * 0.5 * 0.75 / 1.25).abs() < 1e-12);
        assert_eq!(
            s.heads[0],
            HeadCounts {
                pred_hit: 1,
                pred: 1,
                gold_hit: 2,
                gold: 2
            }
        );
        let mut per_genre = BTreeMap::new();
        let t = Tally {
            documents: 1,
            score: s,
        };
        per_genre.insert("news".to_string(), t.clone());
        let interviews = Tally {
            documents: 2,
            score: Score::default(),
        };
        per_genre.insert("interview".to_string(), interviews);
        let r = report(&t, &per_genre, Genre::News, vec![]);
        assert_eq!(r.json["format"], "gum");
        assert_eq!(r.json["inputs"], 1);
        let e = &r.json["entities"];
        assert!((e["f1"].as_f64().unwrap() - 2.0 / 8.0).abs() < 1e-12);
        assert_eq!(e["head_match"]["precision"], 0.5);
        assert_eq!(e["head_match"]["per_type"]["PER"]["recall"], 1.0);
        assert_eq!(e["per_type"]["ORG"]["precision"], 0.0);
        assert_eq!(r.json["per_genre"]["interview"]["inputs"], 2);
        assert!(r
            .summary
            .starts_with("gum: 1 documents (genre news; 2 other"));
        assert!(r.summary.contains("genre interview: 2 documents"));
    }

    #[test]
    fn genre_selection_and_unreadable_input() {
        assert!(Genre::News.selects("news") && !Genre::News.selects("interview"));
        assert!(Genre::All.selects("") && Genre::Interview.selects("interview"));
        assert_eq!(genre_from_name("GUM_news_x"), "news");
        assert_eq!(genre_from_name("news_x"), "");
        let e = load(&[PathBuf::from("/nonexistent/lede-gum-test")]).unwrap_err();
        assert!(matches!(e, EvalError::Unreadable { .. }));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.conllu"), sample()).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not conllu").unwrap();
        let docs = load(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(docs.len(), 2);
        std::fs::write(dir.path().join("b.conllu"), "1\tx\n").unwrap();
        assert!(matches!(
            load(&[dir.path().to_path_buf()]),
            Err(EvalError::BadFormat { .. })
        ));
    }
}
