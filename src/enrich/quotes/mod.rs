//! Quotations and their speakers. Owns the quotes stage: quote-mark pairing
//! ([`marks`]), direct vs partial classification, attribution through cue
//! verbs on either side ("X said", "said X", "according to X", "X: ...",
//! "— X"), appositives ("Hugh Hill, a doctor, said"), descriptions ("the
//! Ukrainian president" -> the person named earlier with that role),
//! pronouns (resolved to the most recent speaker or sentence subject; a
//! pronoun right after an outer cue gives way to that cue's speaker: "X
//! told reporters he thought"), `, according to X` after an attribution as
//! the outer source, partial quotes attributed by a cue later in their
//! sentence or, inside the reported clause of an earlier cue, to that cue's
//! speaker ("Smith said Jones called it \"a mess\"" -> Smith), carry-over
//! to the next quote of the same speaker, and, for an unattributed direct
//! quote, the subject of the sentence before it at low confidence. Works
//! over the precomputed tokens of `doc.layer`; the per-article cost is one scan of
//! the tokens plus small windows around each quote.

mod coref;
mod marks;
mod ranking;
#[cfg(test)]
mod tests;
mod words;

use std::collections::HashMap;
use std::ops::Range;

use super::Document;
use crate::output::{Entity, EntityType, Mention, Quote, QuoteKind, Speaker};
use crate::text::{lexicon as tl, Token, TokenKind};

use marks::RawQuote;
use words as lx;

/// Largest number of tokens looked at on either side of a quote.
const WINDOW: usize = 60;

/// A partial quote of at least this many words is kept without a cue
/// (titles and scare quotes are shorter).
const LONG_PARTIAL_WORDS: usize = 8;

/// Extract the quotes of `doc`, linking speakers to `entities`.
pub fn extract(doc: &Document, entities: &[Entity]) -> Vec<Quote> {
    let toks = &doc.layer.tokens;
    if !toks.iter().any(|t| t.kind == TokenKind::Quote) {
        return Vec::new();
    }
    let blocks: Vec<(Range<usize>, usize)> = doc
        .layer
        .blocks
        .iter()
        .map(|b| {
            let lo = toks.partition_point(|t| t.start < b.start);
            let hi = toks.partition_point(|t| t.end <= b.end);
            (lo..hi.max(lo), b.end)
        })
        .collect();
    let raw = marks::pair_marks(&doc.body, toks, &blocks);
    if raw.is_empty() {
        return Vec::new();
    }
    let cx = Ctx {
        text: &doc.body,
        toks,
        blocks: &blocks,
        ends: sentence_ends(&doc.body, toks, &doc.layer.sentence_tokens),
    };
    let names = NameIndex::build(&cx);
    let mut quoted_sorted: Vec<Range<usize>> = raw.iter().map(|q| q.start..q.end).collect();
    quoted_sorted.sort_by_key(|r| r.start);
    let coref = coref::Coref::build(&cx, entities, &doc.layer.sentence_tokens, &quoted_sorted);
    let subjects = std::cell::OnceCell::new();
    // Byte spans inside quotation marks, in text order.
    let mut quoted: Vec<Range<usize>> = raw.iter().map(|q| q.start..q.end).collect();
    quoted.sort_by_key(|r| r.start);
    let mut out: Vec<Quote> = Vec::with_capacity(raw.len());
    // Per emitted quote: (first block, last block, speaker span, direct).
    let mut prev: Vec<Prev> = Vec::with_capacity(raw.len());
    // Speakers resolved so far: (byte position, canonical name).
    let mut history: Vec<(usize, String)> = Vec::new();
    let mut keep: Vec<bool> = Vec::with_capacity(raw.len());
    for (qi, q) in raw.iter().enumerate() {
        let prev_q = qi.checked_sub(1).and_then(|i| raw.get(i));
        let next_q = raw.get(qi + 1);
        let a = cx.attribute(q, prev_q, next_q);
        let mut speaker = a.speaker;
        let mut cue = a.cue;
        let mut confidence: f32 = if a.direct { 0.9 } else { 0.75 };
        // A partial quote in a new sentence with a named subject of its
        // own (`... "pants on fire." Conversely, PolitiFact rated ... as
        // "entirely true"`) takes that subject below, not the speaker of
        // the quote before.
        let new_sentence = prev_q
            .and_then(|p| p.close)
            .is_some_and(|c| (c.saturating_sub(1)..q.open).any(|k| cx.is_terminal(k)));
        // Not a subject glued to the quote (`Biden "kind of misspoke"`,
        // the quoted words are its predicate, said by someone else).
        let own_subject = !a.direct
            && new_sentence
            && a.subject
                .as_ref()
                .is_some_and(|s| !s.is_pronoun && s.span.end < q.open);
        if speaker.is_none() && !own_subject {
            // Carry-over: the previous quote of this paragraph, or of the
            // paragraph just before when this one opens with the quote.
            let starts_block = cx
                .blocks
                .get(q.first_block)
                .is_some_and(|b| b.0.start == q.open);
            if let Some(p) = prev.last() {
                let same_block = p.last_block == q.first_block;
                let adjacent = p.last_block + 1 == q.first_block && starts_block && p.direct;
                if (same_block || adjacent) && p.speaker.is_some() && (a.direct || same_block) {
                    speaker = p.speaker.clone();
                    if same_block {
                        cue = p.cue.clone();
                    }
                    confidence = 0.6;
                } else if same_block && a.direct && p.direct && cue.is_none() {
                    // Same unnamed speaker: share the cue (one split quote).
                    cue = p.cue.clone();
                }
            }
        }
        // Scare quotes and titles: a partial quote with no speech cue.
        let markup = q.open > 0 && cx.tx(q.open - 1) == "=";
        // A single-quoted line with no speech cue nor speaker is a section
        // header or a misread apostrophe.
        let bare_single = q.family == marks::Family::Single && cue.is_none() && speaker.is_none();
        // A short quote with no cue nor speaker is a title or a scare quote.
        let words = doc
            .body
            .get(q.start..q.end)
            .unwrap_or("")
            .split_whitespace()
            .count();
        // `Smith branded the plan as a "scam"`: a characterisation by the
        // subject of the sentence.
        let framed = !a.direct && a.subject.as_ref().is_some_and(|s| !s.is_pronoun) && {
            let mut k = q.open;
            if k > 0 && matches!(cx.tx(k - 1), "a" | "an" | "the") {
                k -= 1;
            }
            k > 0 && cx.tx(k - 1) == "as"
        };
        let bare_short =
            cue.is_none() && speaker.is_none() && q.chain.is_none() && words <= 4 && !framed;
        // A long quoted passage is speech even with no cue we know.
        let long = words >= LONG_PARTIAL_WORDS;
        keep.push(
            !markup && !bare_single && !bare_short && (a.direct || cue.is_some() || long || framed),
        );
        if speaker.is_none() && !a.direct {
            if let Some(s) = a.subject {
                speaker = Some(s);
                confidence = 0.5;
            }
        }
        let starts_block_q = cx
            .blocks
            .get(q.first_block)
            .is_some_and(|b| b.0.start == q.open);
        let block_start_byte = cx
            .blocks
            .get(q.first_block)
            .map(|b| cx.start_of(b.0.start))
            .unwrap_or(0);
        if speaker.is_none() && a.direct {
            // An unattributed quote: the speaker of the quote just before
            // (this paragraph or the previous one), else the subject of the
            // sentence before it.
            let recent = prev
                .last()
                .filter(|p| p.last_block + 1 >= q.first_block)
                .and_then(|p| p.speaker.clone());
            // A named subject of a sentence opening this paragraph before
            // the quote (`Jane Roe agreed. "..."`) outranks the speaker of
            // a quote in an earlier paragraph.
            let in_block =
                !starts_block_q && prev.last().is_none_or(|p| p.last_block < q.first_block);
            let here = in_block
                .then(|| cx.previous_subject(&doc.layer.sentence_tokens, q))
                .flatten()
                .filter(|np| !np.is_pronoun && cx.start_of(np.span.start) >= block_start_byte);
            // A sentence of its own closed by an attribution right before
            // the quote (`..., Jane Roe said. "..."`) names the speaker.
            let trailing = cx.previous_attribution(&doc.layer.sentence_tokens, q);
            if let Some(s) = trailing
                .or(here)
                .or(recent)
                .or_else(|| cx.previous_subject(&doc.layer.sentence_tokens, q))
            {
                speaker = Some(s);
                confidence = 0.3;
            }
        }
        if speaker.is_none() {
            confidence = 0.4;
        }
        if q.close.is_none() {
            confidence -= 0.2;
        }
        prev.push(Prev {
            last_block: q.last_block,
            speaker: speaker.clone(),
            cue: cue.clone(),
            direct: a.direct,
        });
        let spk = speaker.map(|s| {
            let mention = cx.mention(s.span.clone());
            let described = !s.is_pronoun
                && (!cx.is_cap(s.span.start) || lx::is_determiner(cx.tx(s.span.start)));
            let resolved = if s.is_pronoun {
                coref.pronoun(&cx, s.span.start)
            } else if described {
                coref.description(&cx, s.span.clone())
            } else {
                None
            };
            let (canonical, entity) = match resolved {
                Some(e) => (Some(e.canonical.clone()), Some(e.id.clone())),
                None => {
                    let canonical =
                        cx.canonical(s.clone(), &names, &subjects, doc, &quoted, &history);
                    link_entity(&mention, canonical, entities)
                }
            };
            if let Some(id) = &entity {
                coref.note_speaker(s.span.start, id);
            }
            // The name as the entities stage knows it ("Marieke van der
            // Berg", not the run "Berg"), for the pronouns that follow.
            if let (Some(c), false) = (&canonical, s.is_pronoun) {
                history.push((cx.start_of(s.span.start), c.clone()));
            }
            Speaker {
                mention,
                canonical,
                entity,
            }
        });
        let text = doc.body.get(q.start..q.end).unwrap_or("").to_string();
        out.push(Quote {
            text,
            start: q.start,
            end: q.end,
            kind: if a.direct {
                QuoteKind::Direct
            } else {
                QuoteKind::Partial
            },
            cue: cue.map(|r| cx.mention(r)),
            speaker: spk,
            confidence: confidence.clamp(0.05, 1.0),
            content: (!a.direct)
                .then(|| cx.content_span(q))
                .flatten()
                .map(|r| cx.mention(r)),
        });
    }
    // Pieces of a quote running over paragraphs share one speaker (and,
    // when a piece has no cue of its own, the cue of the attributed piece).
    for (qi, q) in raw.iter().enumerate() {
        let Some(chain) = q.chain else { continue };
        let Some(x) = out.get(qi) else { continue };
        if x.speaker.is_some() && x.cue.is_some() {
            continue;
        }
        let donor = raw
            .iter()
            .zip(&out)
            .find(|(r, o)| r.chain == Some(chain) && o.speaker.is_some())
            .map(|(_, o)| (o.speaker.clone(), o.cue.clone()));
        if let (Some((sp, cue)), Some(x)) = (donor, out.get_mut(qi)) {
            if x.speaker.is_none() {
                x.speaker = sp;
                x.confidence = 0.6;
            }
            if x.cue.is_none() {
                x.cue = cue;
            }
        }
    }
    let mut k = keep.into_iter();
    out.retain(|_| k.next().unwrap_or(true));
    out
}

/// Per token, whether it is the terminal punctuation ending a sentence of
/// the text layer (closing quotes and brackets after it skipped).
fn sentence_ends(text: &str, toks: &[Token], sentences: &[Range<usize>]) -> Vec<bool> {
    let mut ends = vec![false; toks.len()];
    for r in sentences {
        let mut k = r.end;
        while k > r.start {
            let t = toks.get(k - 1).map(|t| t.text(text)).unwrap_or("");
            if matches!(t, "." | "!" | "?" | "…") {
                if let Some(e) = ends.get_mut(k - 1) {
                    *e = true;
                }
                break;
            }
            let closing = toks.get(k - 1).is_some_and(|t| t.kind == TokenKind::Quote)
                || matches!(t, ")" | "]");
            if !closing {
                break;
            }
            k -= 1;
        }
    }
    ends
}

struct Prev {
    last_block: usize,
    speaker: Option<SpeakerRef>,
    cue: Option<Range<usize>>,
    direct: bool,
}

/// A speaker mention as a token range, with what kind of phrase it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpeakerRef {
    span: Range<usize>,
    is_pronoun: bool,
}

/// What attribution found around one quote.
#[derive(Debug, Default)]
struct Attribution {
    speaker: Option<SpeakerRef>,
    cue: Option<Range<usize>>,
    direct: bool,
    /// Subject of the sentence around a quote without a speech cue.
    subject: Option<SpeakerRef>,
}

fn link_entity(
    m: &Mention,
    canonical: Option<String>,
    entities: &[Entity],
) -> (Option<String>, Option<String>) {
    // Among entities overlapping the mention, a person or organisation
    // before a place, before anything else ("Ukrainian Prime Minister Denys
    // Shmyhal" is Shmyhal, not the NORP "Ukrainian"); then the one ending
    // last, the head of the phrase.
    let by_span = entities
        .iter()
        .filter_map(|e| {
            let end = e
                .mentions
                .iter()
                .filter(|x| x.start < m.end && m.start < x.end)
                .map(|x| x.end)
                .max()?;
            let rank = match e.kind {
                EntityType::Person | EntityType::Org => 0,
                EntityType::Loc => 1,
                _ => 2,
            };
            Some((rank, std::cmp::Reverse(end), e))
        })
        .min_by_key(|(rank, end, _)| (*rank, *end))
        .map(|(_, _, e)| e);
    if let Some(e) = by_span {
        return (Some(e.canonical.clone()), Some(e.id.clone()));
    }
    if let Some(c) = &canonical {
        let by_name = entities.iter().find(|e| {
            e.canonical == *c
                || e.mentions.iter().any(|x| x.text == *c)
                || (c.ends_with(&e.canonical) && !e.canonical.is_empty())
        });
        // A lone surname names the person whose canonical name ends with
        // it ("Berg" -> "Marieke van der Berg").
        let by_surname = || {
            (!c.contains(' ') && !c.is_empty())
                .then(|| {
                    entities.iter().find(|e| {
                        e.kind == EntityType::Person
                            && e.canonical.rsplit(' ').next() == Some(c.as_str())
                            && e.canonical.len() > c.len()
                    })
                })
                .flatten()
        };
        if let Some(e) = by_name.or_else(by_surname) {
            return (Some(e.canonical.clone()), Some(e.id.clone()));
        }
    }
    (canonical, None)
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    blocks: &'a [(Range<usize>, usize)],
    /// Per token: it ends a sentence of the text layer.
    ends: Vec<bool>,
}

/// Person names seen in the article (token ranges): surname -> full name,
/// and each full name with the role words written before it.
struct NameIndex<'a> {
    by_last: HashMap<&'a str, Range<usize>>,
    /// (byte position, role tokens, name tokens).
    with_roles: Vec<(usize, Range<usize>, Range<usize>)>,
}

impl<'a> NameIndex<'a> {
    fn build(cx: &Ctx<'a>) -> NameIndex<'a> {
        let mut by_last: HashMap<&'a str, Range<usize>> = HashMap::new();
        let mut with_roles = Vec::new();
        for (range, _) in cx.blocks {
            let mut i = range.start;
            while i < range.end {
                if !cx.is_cap(i) {
                    i += 1;
                    continue;
                }
                let a = i;
                while i < range.end && cx.is_cap(i) {
                    i += 1;
                }
                if i - a < 2 {
                    continue;
                }
                let (roles, name) = cx.split_roles(a..i);
                if name.len() >= 2 && name.len() <= 4 {
                    by_last
                        .entry(cx.tx(name.end - 1))
                        .or_insert_with(|| name.clone());
                    if !roles.is_empty() {
                        with_roles.push((cx.start_of(a), roles, name));
                    }
                }
            }
        }
        NameIndex {
            by_last,
            with_roles,
        }
    }
}

impl<'a> Ctx<'a> {
    fn tx(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.text(self.text)).unwrap_or("")
    }
    fn start_of(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.start).unwrap_or(0)
    }
    fn end_of(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.end).unwrap_or(0)
    }
    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }
    fn mention(&self, r: Range<usize>) -> Mention {
        let start = self.start_of(r.start);
        let end = self.end_of(r.end.saturating_sub(1)).max(start);
        Mention {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            start,
            end,
        }
    }
    fn join(&self, toks: Range<usize>) -> String {
        let mut s = String::new();
        let first = toks.start;
        for t in toks {
            if t > first && self.toks.get(t).is_some_and(|x| x.space_before) {
                s.push(' ');
            }
            s.push_str(self.tx(t));
        }
        s
    }
    /// A capitalised word (a name part), or an initial's dot.
    fn is_cap(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        if t.kind != TokenKind::Word {
            return false;
        }
        t.text(self.text)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
    }
    fn is_lower_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
            && self.tx(i).chars().next().is_some_and(|c| c.is_lowercase())
    }
    fn is_punct(&self, i: usize, p: &[&str]) -> bool {
        matches!(self.kind(i), Some(TokenKind::Punct)) && p.contains(&self.tx(i))
    }
    fn is_dash(&self, i: usize) -> bool {
        self.is_punct(i, &["—", "–", "-", "―"])
    }
    /// Token `i` ends a sentence, as the shared text layer splits them
    /// (the last `.`, `!`, `?` or `…` of a sentence, before any closing
    /// marks).
    fn is_terminal(&self, i: usize) -> bool {
        self.ends.get(i).copied().unwrap_or(false)
    }
    /// The cue that ends at token `k` (inclusive), as a token range.
    fn cue_ending_at(&self, k: usize) -> Option<Range<usize>> {
        let w = self.tx(k);
        if self.kind(k) != Some(TokenKind::Word) {
            return None;
        }
        if self.is_report_cue(k) {
            return Some(k..k + 1);
        }
        if w.eq_ignore_ascii_case("to") && k > 0 && self.tx(k - 1).eq_ignore_ascii_case("according")
        {
            return Some(k - 1..k + 1);
        }
        if w.eq_ignore_ascii_case("according") && self.tx(k + 1).eq_ignore_ascii_case("to") {
            return Some(k..k + 2);
        }
        if k > 0 {
            if let Some(part) = lx::cue_needs_particle(self.tx(k - 1)) {
                if w.eq_ignore_ascii_case(part) {
                    return Some(k - 1..k + 1);
                }
            }
        }
        if lx::is_cue(w) {
            if let Some(part) = lx::cue_needs_particle(w) {
                return self
                    .tx(k + 1)
                    .eq_ignore_ascii_case(part)
                    .then_some(k..k + 2);
            }
            return Some(k..k + 1);
        }
        None
    }
    /// The cue starting at token `k`.
    /// `found` or `notes` before `that`, a quote or a comma and a quote
    /// (`the report found "no evidence"`, `the poll finds that`).
    fn is_report_cue(&self, k: usize) -> bool {
        self.is_lower_word(k)
            && lx::is_report_verb(self.tx(k))
            && (self.tx(k + 1) == "that"
                || self.kind(k + 1) == Some(TokenKind::Quote)
                || self.is_punct(k + 1, &[","]) && self.kind(k + 2) == Some(TokenKind::Quote))
    }

    fn cue_starting_at(&self, k: usize) -> Option<Range<usize>> {
        if self.is_report_cue(k) {
            return Some(k..k + 1);
        }
        if self.tx(k).eq_ignore_ascii_case("according") && self.tx(k + 1).eq_ignore_ascii_case("to")
        {
            return Some(k..k + 2);
        }
        if let Some(part) = lx::cue_needs_particle(self.tx(k)) {
            return self
                .tx(k + 1)
                .eq_ignore_ascii_case(part)
                .then_some(k..k + 2);
        }
        (self.kind(k) == Some(TokenKind::Word) && lx::is_cue(self.tx(k))).then_some(k..k + 1)
    }

    /// Split a capitalised run into leading role words and the name (at
    /// most its last three words when longer than four).
    fn split_roles(&self, r: Range<usize>) -> (Range<usize>, Range<usize>) {
        let mut cut = r.start;
        while cut < r.end {
            let w = self.tx(cut);
            let left = r.end - cut - 1;
            if lx::is_role(w) || lx::is_not_name(w) || (lx::is_nationality(w) && left >= 2) {
                cut += 1;
            } else {
                break;
            }
        }
        let name_start = if r.end - cut > 4 { r.end - 3 } else { cut };
        (r.start..cut, name_start..r.end)
    }

    /// Noun phrase starting at `s` and ending before `e`: a pronoun, a
    /// capitalised run (bridging role words: "Trump campaign manager Kellyanne
    /// Conway"), or a determiner phrase ("the Ukrainian president").
    fn np_right(&self, s: usize, e: usize) -> Option<SpeakerRef> {
        if s >= e {
            return None;
        }
        let w = self.tx(s);
        if self.kind(s) == Some(TokenKind::Word) && lx::is_pronoun(w) {
            return Some(SpeakerRef {
                span: s..s + 1,
                is_pronoun: true,
            });
        }
        // Lower-case role words before a name: "former governor Howard Dean".
        let mut s = s;
        let lead = s;
        if self.is_lower_word(s) && !lx::is_determiner(w) {
            let mut k = s;
            while k < e && k < s + 4 && self.is_lower_word(k) {
                let x = self.tx(k);
                if lx::is_stop(x) || lx::is_cue(x) || lx::is_between(x) {
                    break;
                }
                k += 1;
            }
            if k > s && self.is_cap(k) {
                s = k;
            }
        }
        if self.is_cap(s) && !lx::is_determiner(self.tx(s)) {
            let mut j = s;
            loop {
                while j < e && (self.is_cap(j) || (j > s && self.is_initial_dot(j))) {
                    j += 1;
                }
                // A possessive inside the phrase: "Twitter's Adam Sharp".
                if j + 1 < e && self.kind(j) == Some(TokenKind::Clitic) && self.is_cap(j + 1) {
                    j += 1;
                    continue;
                }
                // Bridge "campaign manager" between two capitalised runs.
                let mut k = j;
                while k < e && k < j + 3 && self.is_lower_word(k) {
                    let x = self.tx(k);
                    if lx::is_stop(x) || lx::is_cue(x) || lx::is_between(x) || x.ends_with("ed") {
                        break;
                    }
                    k += 1;
                }
                if k > j && self.is_cap(k) {
                    j = k;
                    continue;
                }
                break;
            }
            if j == s + 1 && lead == s && lx::is_not_name(self.tx(s)) {
                return None;
            }
            // A sentence-initial preposition or conjunction (in title
            // case, not a headline's capitals) is no part of a name: "On
            // September" is none, "When Jane Roe" is Jane Roe.
            let first = self.tx(s);
            if lead == s
                && self.is_cap(s + 1)
                && lx::is_not_name(first)
                && first.chars().skip(1).any(|c| c.is_lowercase())
            {
                if lx::is_subordinator(first) {
                    return self.np_right(s + 1, e);
                }
                if self.is_preposition_word(s) || lx::is_adverbial_opener(first) {
                    return None;
                }
            }
            // A possessive and one noun before a cue: "Powell's office said".
            if j + 2 < e
                && self.kind(j) == Some(TokenKind::Clitic)
                && self.is_lower_word(j + 1)
                && !lx::is_stop(self.tx(j + 1))
                && !lx::is_cue(self.tx(j + 1))
                && self.cue_starting_at(j + 2).is_some()
            {
                j += 2;
            }
            return Some(SpeakerRef {
                span: lead..j,
                is_pronoun: false,
            });
        }
        let s = lead;
        if lx::is_determiner(w) {
            let mut j = s + 1;
            while j < e && j < s + 7 {
                let x = self.tx(j);
                let stop = matches!(
                    x.to_ascii_lowercase().as_str(),
                    "who"
                        | "that"
                        | "which"
                        | "in"
                        | "at"
                        | "on"
                        | "of"
                        | "for"
                        | "to"
                        | "with"
                        | "from"
                        | "during"
                        | "after"
                        | "and"
                        | "or"
                        | "when"
                        | "while"
                );
                // A possessive: "the paper's editorial board".
                if self.kind(j) == Some(TokenKind::Clitic)
                    && (self.is_cap(j + 1) || self.is_lower_word(j + 1))
                {
                    j += 1;
                    continue;
                }
                if stop
                    || lx::is_cue(x)
                    || lx::is_right_only_cue(x)
                    || lx::cue_needs_particle(x).is_some() && self.cue_starting_at(j).is_some()
                    || (lx::is_between(x) && self.is_lower_word(j))
                    || !matches!(self.kind(j), Some(TokenKind::Word | TokenKind::Number))
                {
                    break;
                }
                j += 1;
            }
            if j > s + 1 {
                return Some(SpeakerRef {
                    span: s..j,
                    is_pronoun: false,
                });
            }
        }
        None
    }

    /// The attribution right after a quote closed by a comma, with a
    /// speaker phrase of up to 20 tokens: `<phrase> <cue>` (the phrase cut
    /// at its first comma, an appositive), or `<cue> <phrase>` up to the
    /// clause end. The phrase starts with a determiner, a capitalised word,
    /// a number or a content word, and holds no pronoun nor relative word
    /// before its first comma (a clause, not a speaker).
    fn loose_right_attr(&self, i: usize, we: usize) -> Option<(SpeakerRef, Range<usize>)> {
        let mut i = i;
        if self.is_punct(i, &[","]) {
            i += 1;
        }
        let lim = (i + 20).min(we);
        let bad_first = |k: usize| {
            let w = self.tx(k);
            self.kind(k) != Some(TokenKind::Word) && self.kind(k) != Some(TokenKind::Number)
                || (self.is_lower_word(k)
                    && (lx::is_stop(w) && !lx::is_determiner(w)
                        || lx::is_pronoun(w)
                        || lx::is_clause_link(w)
                        || lx::is_subordinator(w)))
        };
        // `<cue> <phrase>`: "said one of those advisers, who spoke ...".
        let front_cue = self.cue_starting_at(i).or_else(|| {
            let w = self.tx(i);
            (self.is_lower_word(i)
                && w.len() >= 5
                && w.is_ascii()
                && w.ends_with("ed")
                && (self.is_cap(i + 1) || lx::is_determiner(self.tx(i + 1))))
            .then_some(i..i + 1)
        });
        if let Some(cue) = front_cue {
            let w = self.tx(cue.start).to_ascii_lowercase();
            if w.ends_with("ing") || w == "according" {
                return None;
            }
            let s = cue.end;
            if s >= lim || bad_first(s) {
                return None;
            }
            let mut e = s;
            while e < lim
                && !self.is_terminal(e)
                && !self.is_punct(e, &[",", ";", ":", "(", "—", "–"])
                && self.kind(e) != Some(TokenKind::Quote)
                && !(e > s && matches!(self.tx(e), "who" | "which" | "that"))
            {
                e += 1;
            }
            return (e > s && e - s <= 12).then_some((
                SpeakerRef {
                    span: s..e,
                    is_pronoun: false,
                },
                cue,
            ));
        }
        if i >= lim || bad_first(i) {
            return None;
        }
        let mut comma = None;
        for k in i + 1..lim {
            if self.kind(k) == Some(TokenKind::Quote)
                || self.is_terminal(k)
                || self.is_punct(k, &[";", ":"])
            {
                return None;
            }
            if self.is_punct(k, &[","]) {
                comma.get_or_insert(k);
                continue;
            }
            let w = self.tx(k);
            if comma.is_none()
                && self.is_lower_word(k)
                && (lx::is_pronoun(w)
                    || matches!(
                        w,
                        "that" | "which" | "who" | "whom" | "whose" | "but" | "when" | "if"
                    ))
            {
                return None;
            }
            let cue = self
                .cue_starting_at(k)
                .filter(|c| {
                    let w = self.tx(c.start).to_ascii_lowercase();
                    !w.ends_with("ing") && w != "according"
                })
                .or_else(|| self.is_past_verb_ending_clause(k, we).then_some(k..k + 1));
            let Some(cue) = cue else { continue };
            let mut e = comma.unwrap_or(k);
            while e > i + 1 && lx::is_between(self.tx(e - 1)) && self.is_lower_word(e - 1) {
                e -= 1;
            }
            return Some((
                SpeakerRef {
                    span: i..e,
                    is_pronoun: false,
                },
                cue,
            ));
        }
        None
    }

    /// Token `j` is a past-tense verb (`-ed`) closing an attribution
    /// clause: followed by the clause end, a comma or a preposition
    /// (`he surmised.`, `Jones retaliated on Friday`).
    fn is_past_verb_ending_clause(&self, j: usize, we: usize) -> bool {
        let w = self.tx(j);
        if !self.is_lower_word(j) || w.len() < 5 || !w.is_ascii() || !w.ends_with("ed") {
            return false;
        }
        // A passive or perfect (`is intrigued by`) is not an attribution.
        let mut buf = [0u8; 24];
        if j > 0
            && lx::lower(self.tx(j - 1), &mut buf).is_some_and(|p| {
                matches!(
                    p,
                    "is" | "was"
                        | "were"
                        | "are"
                        | "be"
                        | "been"
                        | "being"
                        | "has"
                        | "have"
                        | "had"
                )
            })
        {
            return false;
        }
        j + 1 >= we
            || self.is_terminal(j + 1)
            || self.is_punct(j + 1, &[",", ";", ":", "—", "–"])
            || (self.is_preposition(j + 1) && !self.tx(j + 1).eq_ignore_ascii_case("of"))
    }

    fn is_initial_dot(&self, j: usize) -> bool {
        self.tx(j) == "."
            && self.toks.get(j).is_some_and(|t| !t.space_before)
            && j > 0
            && tl::is_abbreviation(self.tx(j - 1))
            && self.is_cap(j + 1)
    }

    /// Noun phrase ending right before `k` (the cue), no further left than
    /// `ws`: skips auxiliaries and adverbs ("also", "has"), and a comma-
    /// enclosed appositive or aside ("Hugh Hill, a doctor,", "X, however,").
    fn np_left(&self, ws: usize, k: usize) -> Option<SpeakerRef> {
        let np = self.np_left_once(ws, k)?;
        // A prepositional phrase between subject and verb: "Smith at the
        // time said", "Beck, who has in the past described".
        let p = np.span.start;
        // Not a conjunction opening a clause: "three days after Trump told".
        let conj = matches!(
            self.tx(p.saturating_sub(1)),
            "after" | "before" | "since" | "until"
        );
        if !np.is_pronoun && p > ws + 1 && self.is_preposition(p - 1) && !conj {
            if let Some(subject) = self.np_left_once(ws, p - 1) {
                return Some(subject);
            }
        }
        Some(np)
    }

    fn is_preposition(&self, i: usize) -> bool {
        self.is_lower_word(i) && self.is_preposition_word(i)
    }

    /// Token `i` is a preposition, in any case ("In", "at").
    fn is_preposition_word(&self, i: usize) -> bool {
        let mut buf = [0u8; 24];
        lx::lower(self.tx(i), &mut buf).is_some_and(|w| {
            matches!(
                w,
                "at" | "in"
                    | "on"
                    | "for"
                    | "during"
                    | "after"
                    | "before"
                    | "over"
                    | "since"
                    | "with"
                    | "from"
                    | "of"
                    | "by"
                    | "into"
                    | "through"
                    | "throughout"
                    | "alongside"
            )
        })
    }

    fn np_left_once(&self, ws: usize, k: usize) -> Option<SpeakerRef> {
        let mut j = k;
        let mut skipped = 0;
        while j > ws && skipped < 4 && lx::is_between(self.tx(j - 1)) && self.is_lower_word(j - 1)
            || (j > ws && skipped < 4 && self.kind(j - 1) == Some(TokenKind::Clitic))
        {
            j -= 1;
            skipped += 1;
        }
        if j > ws && self.tx(j - 1) == "," {
            // Find the opening comma of the aside.
            let lim = j.saturating_sub(16).max(ws);
            let mut m = j - 1;
            let mut found = None;
            while m > lim {
                m -= 1;
                if self.tx(m) == "," {
                    found = Some(m);
                    break;
                }
                if self.kind(m) == Some(TokenKind::Quote) || self.is_terminal(m) {
                    break;
                }
            }
            let mut m = found?;
            // "Elizabeth, Colorado, said": a place with its state is not the
            // aside; the aside opens further left ("Smith, a pastor in
            // Elizabeth, Colorado, said").
            if m > ws + 1 && self.is_cap(m - 1) && j - 1 - m <= 3 {
                let lim = m.saturating_sub(16).max(ws);
                let mut n = m;
                while n > lim {
                    n -= 1;
                    if self.tx(n) == "," {
                        m = n;
                        break;
                    }
                    if self.kind(n) == Some(TokenKind::Quote) || self.is_terminal(n) {
                        break;
                    }
                }
            }
            // The aside is itself the name: "the primary, Gov. John Kasich (R-OH), said".
            if let Some(np) = self.np_right(m + 1, j - 1) {
                let tail_ok = np.span.end == j - 1 || self.tx(np.span.end) == "(";
                if !np.is_pronoun
                    && self.is_cap(np.span.start)
                    && !lx::is_determiner(self.tx(np.span.start))
                    && tail_ok
                {
                    return Some(np);
                }
            }
            j = m;
        }
        // A relative pronoun: "Cruz, who declared".
        if j > ws && self.tx(j - 1).eq_ignore_ascii_case("who") {
            return Some(SpeakerRef {
                span: j - 1..j,
                is_pronoun: true,
            });
        }
        if j <= ws {
            return None;
        }
        let t = j - 1;
        let w = self.tx(t);
        if self.kind(t) == Some(TokenKind::Word) && lx::is_pronoun(w) {
            return Some(SpeakerRef {
                span: t..j,
                is_pronoun: true,
            });
        }
        if self.is_cap(t) {
            let mut a = t;
            while a > ws && (self.is_cap(a - 1) || self.is_initial_dot(a - 1)) {
                a -= 1;
            }
            // Drop a sentence-initial non-name ("The Senate" keeps both).
            if a + 1 == j && lx::is_not_name(w) {
                return None;
            }
            // A capitalised opener before the name: "As Rita Olsen puts it".
            while a + 1 < j && lx::is_not_name(self.tx(a)) && !lx::is_determiner(self.tx(a)) {
                a += 1;
            }
            return Some(SpeakerRef {
                span: a..j,
                is_pronoun: false,
            });
        }
        // A quantifier as the subject: `most said`, `yet another said`,
        // `the mother of three replied`.
        let quantifier = self.is_lower_word(t)
            && matches!(
                w,
                "many"
                    | "some"
                    | "both"
                    | "several"
                    | "most"
                    | "all"
                    | "others"
                    | "another"
                    | "few"
                    | "two"
                    | "three"
                    | "four"
            );
        // Not floating after its noun (`Smith and Jones both said`) nor
        // the subject of a relative clause (`which some have argued`).
        let floating = t > ws
            && (self.is_cap(t - 1) && !lx::is_not_name(self.tx(t - 1))
                || lx::is_pronoun(self.tx(t - 1))
                || matches!(self.tx(t - 1), "which" | "that" | "who" | "whom"));
        if quantifier && !floating {
            if t > ws + 1 && self.tx(t - 1) == "of" {
                if let Some(np) = self.np_left_once(ws, t - 1).filter(|np| !np.is_pronoun) {
                    return Some(SpeakerRef {
                        span: np.span.start..j,
                        is_pronoun: false,
                    });
                }
            }
            return Some(SpeakerRef {
                span: t..j,
                is_pronoun: false,
            });
        }
        if self.is_lower_word(t) && !lx::is_stop(w) && !lx::is_determiner(w) && !lx::is_cue(w) {
            let mut a = t;
            let lim = t.saturating_sub(6).max(ws);
            while a > lim {
                let p = a - 1;
                if self.kind(p) == Some(TokenKind::Clitic) {
                    // Possessor: "Clinton's spokesman".
                    let mut b = p;
                    while b > ws && self.is_cap(b - 1) {
                        b -= 1;
                    }
                    return (b < p).then_some(SpeakerRef {
                        span: b..j,
                        is_pronoun: false,
                    });
                }
                // An age or a hyphenated modifier: "the 34-year-old mother".
                let glued = self.kind(p) == Some(TokenKind::Number)
                    || (self.is_punct(p, &["-"])
                        && self.toks.get(p).is_some_and(|x| !x.space_before)
                        && self.toks.get(p + 1).is_some_and(|n| !n.space_before));
                if glued {
                    a = p;
                    continue;
                }
                if self.kind(p) != Some(TokenKind::Word)
                    || lx::is_cue(self.tx(p))
                    || (lx::is_stop(self.tx(p)) && !lx::is_determiner(self.tx(p)))
                {
                    return None;
                }
                if lx::is_determiner(self.tx(p)) {
                    return Some(SpeakerRef {
                        span: p..j,
                        is_pronoun: false,
                    });
                }
                a = p;
            }
            // A bare plural opening the sentence with its modifier:
            // `Protesters marching through the streets chanted`.
            if a == ws && a < t && self.is_cap(a) && !lx::is_not_name(self.tx(a)) {
                return Some(SpeakerRef {
                    span: a..j,
                    is_pronoun: false,
                });
            }
        }
        None
    }

    /// The subject at the start of a sentence beginning at `s`: skips a
    /// leading adverbial phrase closed by a comma.
    fn subject_at(&self, s: usize, e: usize) -> Option<SpeakerRef> {
        let mut i = s;
        while i < e && matches!(self.kind(i), Some(TokenKind::Quote | TokenKind::Punct)) {
            i += 1;
        }
        i = self.skip_dateline(i, e);
        let opener = |w: &str| {
            lx::is_adverbial_opener(w)
                || (w.len() > 4
                    && (w.ends_with("ing") || w.ends_with("ed") || w.ends_with("ly"))
                    && w.is_ascii())
        };
        if i < e && opener(self.tx(i)) {
            // A subordinate clause or prepositional phrase may run long.
            let long = lx::is_subordinator(self.tx(i)) || self.is_preposition_word(i);
            let lim = (i + if long { 30 } else { 14 }).min(e);
            let mut m = i;
            while m < lim && self.tx(m) != "," {
                m += 1;
            }
            if m < lim {
                i = self.skip_year(m + 1);
            } else if let Some(p) = self.pronoun_after_phrase(i, e, false) {
                return Some(p);
            }
        }
        let np = self.np_right(i, e)?;
        // Only names and pronouns: a determiner phrase is too often not a person.
        if np.is_pronoun || self.is_cap(np.span.start) {
            Some(np)
        } else {
            None
        }
    }

    /// Past a dateline opening a paragraph (`NEW YORK -`, `Washington
    /// (AFP) –`, `LA CROSSE, Wis. —`): capitalised words, commas, dots,
    /// numbers and a parenthesised agency, with an all-capitals word or the
    /// agency, then a dash. Else `i`.
    fn skip_dateline(&self, i: usize, e: usize) -> usize {
        // The block holding `i` starts at `i` or one token before (a mark).
        let b = self.blocks.partition_point(|(r, _)| r.start <= i);
        let at_block = b > 0
            && self
                .blocks
                .get(b - 1)
                .is_some_and(|(r, _)| r.start + 1 >= i);
        if !at_block {
            return i;
        }
        let lim = (i + 12).min(e);
        let mut caps = false;
        let mut paren = false;
        for k in i..lim {
            if self.is_dash(k) || self.is_punct(k, &["―"]) {
                return if k > i && (caps || paren) { k + 1 } else { i };
            }
            let w = self.tx(k);
            match self.kind(k) {
                Some(TokenKind::Word) if self.is_cap(k) => {
                    caps |= w.len() >= 2 && w.chars().all(|c| !c.is_lowercase());
                }
                Some(TokenKind::Number) => {}
                Some(TokenKind::Punct) if matches!(w, "," | "." | "(" | ")") => {
                    paren |= w == "(";
                }
                _ => return i,
            }
        }
        i
    }

    /// Names that are sentence subjects, for pronoun resolution:
    /// (byte position, name tokens). A word inside a quotation (`quoted`:
    /// byte spans, sorted) is what someone said, not a subject the
    /// narrative can refer back to: `"Saxony knows how," she said`.
    fn sentence_subjects(
        &self,
        doc: &Document,
        quoted: &[Range<usize>],
    ) -> Vec<(usize, Range<usize>)> {
        let inside = |b: usize| {
            let k = quoted.partition_point(|q| q.start <= b);
            k > 0 && quoted.get(k - 1).is_some_and(|q| b < q.end)
        };
        let mut out = Vec::new();
        for r in &doc.layer.sentence_tokens {
            let lim = r.end.min(r.start + 20);
            if let Some(np) = self.subject_at(r.start, lim) {
                let at = self.start_of(np.span.start);
                if np.is_pronoun || inside(at) {
                    continue;
                }
                // A description with its name in apposition: "The Dutch
                // economy minister, Sophie Hermans, urged".
                let e = np.span.end;
                let appositive = (lx::is_determiner(self.tx(np.span.start)) && self.tx(e) == ",")
                    .then(|| self.np_right(e + 1, r.end.min(e + 8)))
                    .flatten()
                    .filter(|a| {
                        self.is_cap(a.span.start)
                            && !lx::is_determiner(self.tx(a.span.start))
                            && self.tx(a.span.end) == ","
                    });
                let name = appositive.map_or(np.span, |a| a.span);
                out.push((at, self.last_run(name)));
            }
        }
        out
    }

    /// The last capitalised run of a phrase (after bridged role words).
    fn last_run(&self, r: Range<usize>) -> Range<usize> {
        let mut a = r.end;
        while a > r.start && self.is_cap(a - 1) {
            a -= 1;
        }
        a..r.end
    }

    fn name_canonical(&self, r: Range<usize>, names: &NameIndex) -> Option<String> {
        let (_, name) = self.split_roles(r);
        match name.len() {
            0 => None,
            1 => {
                let w = self.tx(name.start);
                Some(match names.by_last.get(w) {
                    Some(full) => self.join(full.clone()),
                    None => w.to_string(),
                })
            }
            _ => Some(self.join(name)),
        }
    }

    /// Resolve a speaker mention to a canonical name.
    fn canonical(
        &self,
        s: SpeakerRef,
        names: &NameIndex,
        subjects: &std::cell::OnceCell<Vec<(usize, Range<usize>)>>,
        doc: &Document,
        quoted: &[Range<usize>],
        history: &[(usize, String)],
    ) -> Option<String> {
        let pos = self.start_of(s.span.start);
        if s.is_pronoun {
            let w = self.tx(s.span.start).to_ascii_lowercase();
            if w == "i" || w == "we" || w == "you" {
                // First person inside an interview answer: the last speaker.
                return history.last().map(|h| h.1.clone());
            }
            let subjects = subjects.get_or_init(|| self.sentence_subjects(doc, quoted));
            let a = history.iter().rev().find(|h| h.0 < pos);
            let b = subjects.iter().rev().find(|h| h.0 < pos);
            return match (a, b) {
                (Some(x), Some(y)) if x.0 >= y.0 => Some(x.1.clone()),
                (_, Some(y)) => self.name_canonical(y.1.clone(), names),
                (Some(x), None) => Some(x.1.clone()),
                _ => None,
            };
        }
        if self.is_cap(s.span.start) && !lx::is_determiner(self.tx(s.span.start)) {
            return self.name_canonical(self.last_run(s.span), names);
        }
        // A description: find the latest name written with its head word as a role.
        let head = self.tx(s.span.end.saturating_sub(1)).to_lowercase();
        let mods: Vec<String> = (s.span.start + 1..s.span.end.saturating_sub(1))
            .map(|i| self.tx(i).to_lowercase())
            .collect();
        let mut best: Option<(usize, Range<usize>)> = None;
        for (p, roles, name) in &names.with_roles {
            let has = |w: &str| roles.clone().any(|t| self.tx(t).eq_ignore_ascii_case(w));
            if *p >= pos || !has(&head) {
                continue;
            }
            let score = 1 + mods.iter().filter(|m| has(m)).count();
            if best.as_ref().is_none_or(|b| score >= b.0) {
                best = Some((score, name.clone()));
            }
        }
        best.map(|b| self.join(b.1))
    }

    /// Attribution from the left of a quote opening at token `o`, looking
    /// no further back than `ws`: the nearest cue with its speaker, else a
    /// colon-introduced quote ("Smith: "...", "Rubio fired back: "...").
    /// When the window `ws` starts right after an earlier quote of the
    /// same sentence (`Trump hailed it as "fantastic," telling reporters`),
    /// the subject of that sentence, before the earlier quote.
    fn subject_before_quote(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
        if ws == 0 || ws >= e || self.is_terminal(ws - 1) {
            return None;
        }
        let first_is_quote = self.kind(ws - 1) == Some(TokenKind::Quote)
            || (ws >= 2
                && self.is_punct(ws - 1, &[","])
                && self.kind(ws - 2) == Some(TokenKind::Quote));
        if !first_is_quote {
            return None;
        }
        // The block holding `ws` bounds the sentence start.
        let b = self.blocks.partition_point(|(r, _)| r.start <= ws);
        let floor = self
            .blocks
            .get(b.checked_sub(1)?)
            .map(|(r, _)| r.start)?
            .max(ws.saturating_sub(WINDOW));
        let mut ss = ws - 1;
        while ss > floor && !self.is_terminal(ss - 1) {
            ss -= 1;
        }
        // The sentence must open outside a quote: its subject comes first.
        if self.kind(ss) == Some(TokenKind::Quote) {
            return None;
        }
        self.clause_subject(ss, ws)
            .filter(|np| np.is_pronoun || self.is_cap(np.span.start))
    }

    fn left_attr(&self, ws: usize, o: usize) -> (Option<SpeakerRef>, Option<Range<usize>>) {
        let mut found_cue = None;
        let mut k = o;
        while k > ws {
            k -= 1;
            if self.kind(k) == Some(TokenKind::Quote) {
                break;
            }
            let Some(cue) = self.cue_ending_at(k) else {
                continue;
            };
            let after = cue.end;
            let according = self.tx(cue.start).eq_ignore_ascii_case("according");
            let participle = self.tx(cue.start).ends_with("ing");
            let sp = if according {
                self.np_right(after, o)
            } else if participle {
                // "Trump told a rally, saying ...": the clause subject speaks.
                self.participle_speaker(ws, cue.start)
                    .or_else(|| self.author_of_text(ws, cue.start))
                    .or_else(|| self.np_left(ws, cue.start))
                    .or_else(|| self.subject_before_quote(ws, cue.start))
            } else {
                // `told Fox News: "..."`: the name after the cue is the addressee.
                let to_whom = self.is_addressee_verb(cue.start);
                self.np_left(ws, cue.start)
                    .or_else(|| {
                        self.np_right(after, o).filter(|np| {
                            !to_whom
                                && (np.is_pronoun || self.is_cap(np.span.start))
                                && (np.span.end == o || self.is_punct(np.span.end, &[",", ":"]))
                        })
                    })
                    .or_else(|| self.participle_speaker(ws, cue.start))
            };
            if let Some(outer) = sp
                .as_ref()
                .filter(|s| s.is_pronoun && !according && !participle)
                .and_then(|s| self.outer_speaker(ws, s.span.start))
            {
                // A participle's clause goes on from an earlier quote
                // (`hailed it as "fantastic," telling reporters that he
                // thinks ...`): the quote keeps its own verb as its cue.
                if self.tx(outer.1.start).ends_with("ing") {
                    return (Some(outer.0), Some(cue));
                }
                return (Some(outer.0), Some(outer.1));
            }
            if sp.is_some() {
                return (sp, Some(cue));
            }
            found_cue = Some(cue);
            break;
        }
        if o > ws && self.is_punct(o - 1, &[":"]) {
            let mut b = o - 1;
            while b > ws && (self.is_cap(b - 1) || self.is_initial_dot(b - 1)) {
                b -= 1;
            }
            let to_whom = b > ws && (self.is_addressee_verb(b - 1) || self.tx(b - 1) == "to");
            if b < o - 1 && !(b + 2 == o && lx::is_not_name(self.tx(b))) && !to_whom {
                return (
                    Some(SpeakerRef {
                        span: b..o - 1,
                        is_pronoun: false,
                    }),
                    None,
                );
            }
            let subject = self.subject_at(ws, o - 1).or_else(|| {
                // `On Friday the senator sent a note to X: "..."`.
                self.clause_subject(ws, o - 1)
                    .filter(|np| !np.is_pronoun && lx::is_determiner(self.tx(np.span.start)))
            });
            return (subject, found_cue);
        }
        (None, found_cue)
    }

    /// The reported-speech clause holding a partial quote, as a token
    /// range including the quote marks: from after the cue and an optional
    /// "that" ("said the probe is "ongoing" and would take weeks"), else from
    /// the sentence start; up to the sentence end or a following
    /// attribution (", he said", ", according to X").
    fn content_span(&self, q: &RawQuote) -> Option<Range<usize>> {
        let (first, _) = self.blocks.get(q.first_block)?;
        let (last, _) = self.blocks.get(q.last_block)?;
        let o = q.open;
        let c = q.close?;
        // Sentence start.
        let lim = first.start.max(o.saturating_sub(WINDOW));
        let mut ss = o;
        while ss > lim && !self.is_terminal(ss - 1) {
            ss -= 1;
        }
        // Sentence end (exclusive): the terminal after the quote, or the
        // close mark when the quote ends its sentence inside the marks.
        let inner_end = self.is_terminal(c.saturating_sub(1)) && c > o + 1;
        let hi = last.end.min(c + 1 + WINDOW);
        let mut se = c + 1;
        if !inner_end {
            while se < hi && !self.is_terminal(se) {
                se += 1;
            }
        }
        // Left: the first cue of the sentence before the quote (the main
        // verb of speech: "said the senator had called it "weak"" reports
        // all of "the senator had called it "weak"").
        let mut start = ss;
        // A contrasting clause with its own attribution before the quote
        // (`X said A, but he said that B "..."`): the quote belongs to the
        // later attribution, whose clause starts after its cue.
        let mut from = ss;
        if let Some(b) = (ss..o).rev().find_map(|j| self.coordinated_cue(j, o)) {
            from = b.start;
        }
        for k in from..o {
            let Some(cue) = self.cue_starting_at(k) else {
                continue;
            };
            if self.tx(cue.start).eq_ignore_ascii_case("according") {
                // "According to X, the probe is ...": after X's comma.
                let mut m = cue.end;
                while m < o && !self.is_punct(m, &[","]) {
                    m += 1;
                }
                start = if m < o { m + 1 } else { cue.end };
            } else {
                start = cue.end;
                // Skip a short object and the complementizer:
                // "told reporters that ...".
                let mut m = start;
                while m < o && m < start + 4 && self.kind(m) == Some(TokenKind::Word) {
                    if self.tx(m).eq_ignore_ascii_case("that") {
                        start = m + 1;
                        break;
                    }
                    m += 1;
                }
                while start < o && self.is_punct(start, &[",", ":"]) {
                    start += 1;
                }
            }
            break;
        }
        // Right: stop before a following attribution.
        let mut end = se;
        if self.coordinated_cue(c, se).is_some() {
            end = c + 1;
        }
        let mut j = c + 1;
        while j < se && end == se {
            if self.is_punct(j, &[",", "—", "–", ";"]) {
                let n = j + 1;
                let attribution = self.cue_starting_at(n).is_some()
                    || self
                        .np_right(n, se)
                        .is_some_and(|np| self.cue_starting_at(np.span.end).is_some())
                    || self.coordinated_cue(j, se).is_some();
                if attribution {
                    end = j;
                    break;
                }
            }
            j += 1;
        }
        let start = start.min(o);
        let end = end.max(c + 1);
        (start < end).then_some(start..end)
    }

    /// The cue of a contrasting clause with its own speaker opening at the
    /// separator `j` (`, but he said`, `," while Smith told`, `; Smith
    /// also wrote`), before `lim`. Not `and`: `..., and he vowed to carry
    /// the "mantle"` often stays inside the outer report.
    fn coordinated_cue(&self, j: usize, lim: usize) -> Option<Range<usize>> {
        let mut n = j + 1;
        if self.is_punct(j, &[";"]) {
            if self.is_lower_word(n) && lx::is_clause_opener(self.tx(n)) {
                n += 1;
            }
        } else if (self.is_punct(j, &[",", "—", "–"])
            || (j > 0 && self.kind(j) == Some(TokenKind::Quote) && self.is_punct(j - 1, &[","])))
            && self.is_lower_word(n)
            && matches!(self.tx(n), "but" | "while" | "yet" | "whereas")
        {
            n += 1;
        } else {
            return None;
        }
        let np = self.np_right(n, lim)?;
        if !np.is_pronoun && !self.is_cap(np.span.start) && !lx::is_determiner(self.tx(n)) {
            return None;
        }
        let mut k = np.span.end;
        while k < lim && k < np.span.end + 3 && lx::is_between(self.tx(k)) && self.is_lower_word(k)
        {
            if self.cue_starting_at(k).is_some() {
                break;
            }
            k += 1;
        }
        self.cue_starting_at(k).filter(|c| {
            let w = self.tx(c.start).to_ascii_lowercase();
            c.end <= lim && !w.ends_with("ing") && w != "according"
        })
    }

    /// Find the kind, cue and speaker of one quote.
    fn attribute(
        &self,
        q: &RawQuote,
        prev: Option<&RawQuote>,
        next: Option<&RawQuote>,
    ) -> Attribution {
        let Some((first, _)) = self.blocks.get(q.first_block) else {
            return Attribution::default();
        };
        let Some((last, _)) = self.blocks.get(q.last_block) else {
            return Attribution::default();
        };
        let o = q.open;
        // Left window: same sentence, after the previous quote of the block.
        let mut ws = first.start.max(o.saturating_sub(WINDOW));
        if let Some(p) = prev {
            if p.last_block == q.first_block {
                ws = ws.max(p.close.map(|c| c + 1).unwrap_or(o));
            }
        }
        let mut k = o;
        while k > ws {
            if self.is_terminal(k - 1) {
                ws = k;
                break;
            }
            k -= 1;
        }
        // Right window.
        let c = q.close;
        let mut we = last.end.min(c.map(|c| c + 1 + WINDOW).unwrap_or(0));
        if let Some(n) = next {
            if n.first_block == q.last_block {
                we = we.min(n.open);
            }
        }
        let rs = c.map(|c| c + 1).unwrap_or(we);
        let mut k = rs;
        while k < we {
            if self.is_terminal(k) {
                we = k;
                break;
            }
            k += 1;
        }
        let mut a = Attribution::default();
        // Kind.
        let left_ok = o == first.start
            || self.kind(o - 1) == Some(TokenKind::Quote)
            || self.is_punct(o - 1, &[",", ":", ";", "—", "–", "-", "(", "["])
            || self.is_terminal(o - 1);
        let inner_last = c.map(|c| c.saturating_sub(1)).unwrap_or(o);
        let ends_clause = c.is_some() && self.is_punct(inner_last, &[",", ".", "!", "?", "…"]);
        let first_upper = self
            .text
            .get(q.start..q.end)
            .and_then(|s| s.trim_start().chars().next())
            .is_some_and(|ch| ch.is_uppercase() || !ch.is_alphabetic());
        let right_tok_ok = match c {
            None => true,
            Some(c) => {
                c + 1 >= last.end
                    || self.is_punct(c + 1, &[",", ".", "!", "?", ":", ";", "—", "–", "-", ")"])
                    || self.kind(c + 1) == Some(TokenKind::Quote)
            }
        };
        // Right side: `," he said`, `," said Smith`, `," Smith, a doctor, said`, `— Smith`.
        // Not after a partial quote that ends its sentence (`"..." He added`).
        let ends_sentence = c.is_some() && self.is_punct(inner_last, &[".", "!", "?"]);
        // A partial quote glued to the next words (`"riding the fence" until
        // Haley said`) is not attributed by what follows.
        // The quote closes its clause with a comma, `?` or `!` (inside or
        // right after the marks): what follows is likely its attribution.
        let comma_closed = c.is_some_and(|c| {
            self.is_punct(inner_last, &[",", "?", "!"]) || self.is_punct(c + 1, &[","])
        });
        let right_sep = c.is_some_and(|c| {
            c + 1 >= last.end
                || self.kind(c + 1) != Some(TokenKind::Word)
                || self.is_punct(inner_last, &[",", ".", "!", "?", "…", ";", ":", "—", "–"])
        });
        // `Smith said, "We won." He added, ...`: a quote ending its sentence
        // and followed by a new one keeps the attribution before it.
        if ends_sentence && c.is_some_and(|c| self.is_cap(c + 1)) {
            let (sp, cue) = self.left_attr(ws, o);
            if sp.is_some() && cue.is_some() {
                a.speaker = sp;
                a.cue = cue;
            }
        }
        let right_open = a.speaker.is_none() && (left_ok || (!ends_sentence && right_sep));
        if let Some(c) = c.filter(|_| right_open) {
            let mut i = c + 1;
            if self.is_punct(i, &[","]) {
                i += 1;
            }
            if self.is_dash(i) || self.is_dash(c + 1) {
                let s = if self.is_dash(i) { i + 1 } else { c + 2 };
                if let Some(np) = self.np_right(s, we.max(s)) {
                    if self.is_cap(np.span.start) && np.span.end >= we.min(last.end) {
                        a.speaker = Some(np);
                    }
                }
            }
            if a.speaker.is_none() {
                if let Some(cue) = self.cue_starting_at(i) {
                    let mut s = cue.end;
                    let participle = self.tx(cue.start).ends_with("ing");
                    // "said to reporters Smith" is rare; "told reporters" is not a speaker.
                    if participle {
                        // `defended "the plan," saying the city ...`: the
                        // subject of the sentence speaks, not the next clause.
                        if let Some(np) = self.participle_speaker(ws, o) {
                            a.speaker = Some(np);
                            a.cue = Some(cue);
                        }
                    } else if let Some(np) = self.np_right(s, we) {
                        a.speaker = Some(np);
                        a.cue = Some(cue);
                    } else if self.tx(s).eq_ignore_ascii_case("by") {
                        s += 1;
                        a.speaker = self.np_right(s, we);
                        a.cue = Some(cue);
                    }
                } else if let Some(np) = self.np_right(i, we) {
                    let mut j = np.span.end;
                    // A parenthesis after the name: "Harry Reid (D-Nev.) said".
                    if self.is_punct(j, &["("]) {
                        let lim = (j + 10).min(we);
                        let mut m = j + 1;
                        while m < lim && self.tx(m) != ")" {
                            m += 1;
                        }
                        if m < lim {
                            j = m + 1;
                        }
                    }
                    let mut np = np;
                    let comma_after_name = self.is_punct(j, &[","]).then_some(j);
                    if self.is_punct(j, &[","]) {
                        let lim = (j + 16).min(we);
                        let mut m = j + 1;
                        while m < lim && self.tx(m) != "," {
                            m += 1;
                        }
                        if m < lim {
                            j = m + 1;
                        } else if let Some(name) = self.np_right(j + 1, we) {
                            // "another friend, Mariam Emara told CNN".
                            if self.is_cap(name.span.start)
                                && self.cue_starting_at(name.span.end).is_some()
                            {
                                j = name.span.end;
                                np = name;
                            }
                        }
                    } else if matches!(
                        self.tx(j),
                        "of" | "in" | "at" | "for" | "from" | "with" | "on"
                    ) {
                        // "a voice-over in the ad states": a short prepositional phrase.
                        let lim = (j + 7).min(we);
                        let mut m = j + 1;
                        while m < lim
                            && self.kind(m) == Some(TokenKind::Word)
                            && self.cue_starting_at(m).is_none()
                            && !lx::is_right_only_cue(self.tx(m))
                        {
                            m += 1;
                        }
                        if m < lim {
                            j = m;
                        }
                    }
                    let mut skipped = 0;
                    while j < we
                        && skipped < 4
                        && lx::is_between(self.tx(j))
                        && self.is_lower_word(j)
                        && self.cue_starting_at(j).is_none()
                    {
                        j += 1;
                        skipped += 1;
                    }
                    let cue = self.cue_starting_at(j).or_else(|| {
                        (self.kind(j) == Some(TokenKind::Word) && lx::is_right_only_cue(self.tx(j)))
                            .then_some(j..j + 1)
                    });
                    // `"We won," he surmised.`: after a quote closed by a
                    // comma, any past-tense verb right after the speaker
                    // ending the clause attributes it.
                    let cue = cue.or_else(|| {
                        (comma_closed && self.is_past_verb_ending_clause(j, we)).then_some(j..j + 1)
                    });
                    // A long aside: `," Harry Bond, 30, of Salem, who was polled, said`.
                    let cue = cue.or_else(|| {
                        let start = comma_after_name?;
                        let lim = (start + 30).min(we);
                        (start + 2..lim)
                            .find(|&m| self.tx(m - 1) == "," && self.cue_starting_at(m).is_some())
                            .and_then(|m| self.cue_starting_at(m))
                    });
                    if let Some(cue) = cue {
                        a.speaker = Some(np);
                        a.cue = Some(cue);
                    }
                }
            }
        }
        if a.speaker.is_none() && left_ok && c.is_some_and(|c| c + 1 >= last.end) {
            // A quote ending its paragraph, signed by the next one:
            // `"..."` then `- Jane Smith, in a tweet.`
            if let Some((nb, _)) = self.blocks.get(q.last_block + 1) {
                let short = nb.end <= nb.start + 16;
                if short && self.is_dash(nb.start) {
                    if let Some(np) = self.np_right(nb.start + 1, nb.end) {
                        let e = np.span.end;
                        if self.is_cap(np.span.start)
                            && (e >= nb.end || self.is_punct(e, &[",", ".", "("]))
                        {
                            a.speaker = Some(np);
                        }
                    }
                }
            }
        }
        if a.speaker.is_none() && comma_closed && right_open && left_ok {
            // A longer speaker phrase than the chunks above take: `,"
            // federal prosecutors wrote`, `," the independent Vermont
            // senator and presidential candidate told`, `," said one of
            // those advisers, who ...`.
            if let Some((np, cue)) = c.and_then(|c| self.loose_right_attr(c + 1, we)) {
                a.speaker = Some(np);
                a.cue = Some(cue);
            }
        }
        if a.speaker.is_none() {
            let (sp, cue) = self.left_attr(ws, o);
            a.speaker = sp;
            a.cue = cue;
        }
        // A paragraph that is only the quote, introduced by the paragraph
        // before ending with a colon ("He said:").
        if a.speaker.is_none() && o == first.start && q.first_block > 0 {
            if let Some((pb, _)) = self.blocks.get(q.first_block - 1) {
                let colon = pb.end.saturating_sub(1);
                if pb.end > pb.start && self.is_punct(colon, &[":"]) {
                    let mut ps = colon;
                    while ps > pb.start && !self.is_terminal(ps - 1) {
                        ps -= 1;
                    }
                    let (sp, cue) = self.left_attr(ps, colon + 1);
                    a.speaker = sp;
                    a.cue = cue;
                }
            }
        }
        if a.speaker.is_none() {
            a.speaker = self.transcript_speaker(q);
        }
        if a.speaker.is_none() {
            a.subject = self.subject_at(ws, o);
        }
        let right_attr = a.speaker.as_ref().is_some_and(|s| s.span.start > o);
        if right_attr {
            // `," Smith said, according to the transcript`: the outer source.
            let from = a
                .speaker
                .as_ref()
                .map(|s| s.span.end)
                .max(a.cue.as_ref().map(|c| c.end))
                .unwrap_or(we);
            if let Some(source) = self.according_after(from, we) {
                a.speaker = Some(source);
            }
        }
        a.direct =
            left_ok && (right_tok_ok || ends_clause || right_attr) && (first_upper || ends_clause);
        if !a.direct {
            // `Smith said Jones called it "a mess"`: a speaker inside the
            // reported clause of an earlier cue gives way to that cue's.
            // A parenthetical attribution (`He believes, he said, that
            // ...`, `the result, as he later explained, was "..."`) is
            // no clause reported by the earlier cue.
            let parenthetical = a.speaker.as_ref().is_some_and(|sp| {
                let st = sp.span.start;
                let opened = st > ws
                    && (self.is_punct(st - 1, &[","])
                        || (st > ws + 1
                            && self.tx(st - 1) == "as"
                            && self.is_punct(st - 2, &[","])));
                opened
                    && a.cue.as_ref().is_some_and(|c| {
                        c.start >= sp.span.end && c.end < o && self.is_punct(c.end, &[","])
                    })
            });
            if let Some(sp) = a
                .speaker
                .as_ref()
                .filter(|s| s.span.start < o && !parenthetical)
            {
                let start = sp.span.start;
                // `Jones railed against what he calls "the cartel"`: the
                // pronoun stands for the subject of the sentence.
                let what_pronoun =
                    sp.is_pronoun && start > ws && self.tx(start - 1).eq_ignore_ascii_case("what");
                let outer = self.outer_clause_speaker(ws, start).or_else(|| {
                    what_pronoun
                        .then(|| self.clause_subject(ws, start - 1))
                        .flatten()
                        .filter(|np| !np.is_pronoun && np.span.end < start)
                });
                if let Some(outer) = outer {
                    a.speaker = Some(outer);
                }
            }
        }
        if a.speaker.is_none() && !a.direct {
            // A cue with no speaker does not make a partial quote reported speech.
            a.cue = None;
            if let Some(c) = c {
                let (sp, cue) = self.later_attr(ws, o, c + 1, we);
                if sp.is_some() {
                    a.speaker = sp;
                    a.cue = cue;
                }
            }
        }
        if let Some(poll) = self.fronted_poll(ws, o) {
            // `In a CNN poll released Monday, 31% of voters said ...`: the
            // poll reports what its respondents say.
            if a.speaker
                .as_ref()
                .is_none_or(|s| s.span.start >= poll.span.end)
            {
                if a.cue.is_none() {
                    a.cue = (poll.span.end..o).find_map(|k| self.cue_starting_at(k));
                }
                a.speaker = Some(poll);
            }
        }
        if !right_attr {
            // `Jones's claim that "..."`: the possessor of a noun of
            // speech right before the quote.
            if let Some((np, cue)) = self.nominal_cue(ws, o) {
                // `Smith blasted Jones's call for ...`: Smith speaks.
                let verb_cue = (ws..np.span.start)
                    .any(|k| self.cue_starting_at(k).is_some() && !lx::is_nominal_cue(self.tx(k)));
                // `Smith pushed his promise of ...`: the possessive
                // pronoun stands for the speaker found; it only replaces
                // none or a description.
                let take = if np.is_pronoun {
                    a.speaker
                        .as_ref()
                        .is_none_or(|s| !s.is_pronoun && lx::is_determiner(self.tx(s.span.start)))
                } else {
                    !verb_cue
                };
                if take {
                    a.speaker = Some(np);
                    a.cue = Some(cue);
                }
            }
        }
        if !right_attr && !ends_sentence {
            // `Smith called it "a mess," according to the report`: the
            // source after the quote outranks a speaker before it.
            if let Some(source) = c.and_then(|c| self.according_after(c, we)) {
                a.speaker = Some(source);
            } else if let Some((source, cue)) = c
                .and_then(|c| self.trailing_attr(c + 1, last.end))
                .filter(|(np, _)| !np.is_pronoun || a.speaker.is_none())
            {
                // `Smith called it "a mess" on Monday, the paper reported.`:
                // an attribution closing the sentence reports all of it.
                a.speaker = Some(source);
                a.cue = Some(cue);
            }
        }
        if !a.direct {
            // `labeled a "witch hunt" by Democrats`, `seen by organizers
            // as a "lifeboat"`: the agent of a passive naming verb names
            // its words, closer than any source of the whole sentence.
            if let Some((agent, cue)) = c.and_then(|c| self.passive_agent(ws, o, c, we)) {
                a.speaker = Some(agent);
                a.cue = Some(cue);
            }
        }
        a
    }

    /// The agent of a passive naming verb around a partial quote opening
    /// at `o` and closing at `c`: `<verb> [as] [a] "..." by <agent>` or
    /// `<verb> by <agent> as [a] "..."`, the verb a past participle of
    /// naming or judging ("called", "labeled", "seen"). Returns the agent
    /// and the verb.
    fn passive_agent(
        &self,
        ws: usize,
        o: usize,
        c: usize,
        we: usize,
    ) -> Option<(SpeakerRef, Range<usize>)> {
        let naming = |k: usize| {
            let mut buf = [0u8; 24];
            self.is_lower_word(k)
                && lx::lower(self.tx(k), &mut buf).is_some_and(lx::is_passive_naming)
        };
        // Only `as` and an article between the verb (or its agent) and the quote.
        let mut v = o;
        while v > ws && v + 3 > o && matches!(self.tx(v - 1), "as" | "a" | "an" | "the") {
            v -= 1;
        }
        let v = v.checked_sub(1).filter(|&v| v >= ws)?;
        // `<verb> "..." by <agent>`.
        if naming(v) && self.tx(c + 1) == "by" {
            let agent = self.agent_at(c + 2, we)?;
            return Some((agent, v..v + 1));
        }
        // `<verb> by <agent> as "..."`.
        let lim = v.saturating_sub(6).max(ws);
        let by = (lim..v).rev().find(|&k| self.tx(k) == "by")?;
        let agent = self.agent_at(by + 1, v + 1)?;
        (agent.span.end == v + 1 && by > ws && naming(by - 1)).then_some((agent, by - 1..by))
    }

    /// A phrase at `s` (before `e`) that can be an agent: a name, a
    /// determiner phrase or a bare plural (`by organizers`), not a time
    /// (`by Monday`, `by 2020`) nor a means (`by far`).
    fn agent_at(&self, s: usize, e: usize) -> Option<SpeakerRef> {
        let w = self.tx(s);
        if self.kind(s) != Some(TokenKind::Word)
            || matches!(w, "far" | "then" | "now" | "phone" | "mail" | "email")
            || (self.is_cap(s) && (w.ends_with("day") || tl::is_month(w)))
        {
            return None;
        }
        if self.is_lower_word(s) && !lx::is_determiner(w) && !lx::is_pronoun(w) {
            // A bare plural noun, with up to two modifiers.
            if lx::is_stop(w) {
                return None;
            }
            let mut j = s;
            while j < e && j < s + 3 && self.is_lower_word(j) && !lx::is_stop(self.tx(j)) {
                j += 1;
            }
            let last = self.tx(j - 1);
            return (last.len() > 3 && last.ends_with('s') && !last.ends_with("ss")).then_some(
                SpeakerRef {
                    span: s..j,
                    is_pronoun: false,
                },
            );
        }
        self.np_right(s, e).filter(|np| !np.is_pronoun)
    }

    /// A noun of speech with a possessor between `from` and the quote
    /// opening at `o`: `her claim that ...`, `Smith's call for ...`,
    /// `his repeated warnings of ...`. The noun is followed by its
    /// complement (`that`, `for`, `of`, `to`) and no
    /// verb cue sits between it and the quote. Returns the possessor (a
    /// possessive pronoun counts as a pronoun) and the noun.
    fn nominal_cue(&self, from: usize, o: usize) -> Option<(SpeakerRef, Range<usize>)> {
        let lim = o.saturating_sub(14).max(from);
        let mut n = o;
        while n > lim {
            n -= 1;
            if self.kind(n) == Some(TokenKind::Quote) || self.is_terminal(n) {
                return None;
            }
            // Some nouns of speech are verbs too ("claim", "calls").
            if self.is_lower_word(n) && lx::is_nominal_cue(self.tx(n)) {
                if let Some(found) = self.possessor_of(from, n) {
                    return Some(found);
                }
            }
            if self.cue_starting_at(n).is_some() {
                return None;
            }
        }
        None
    }

    /// The possessor of the noun of speech at `n`, when its complement
    /// follows (see [`Ctx::nominal_cue`]).
    fn possessor_of(&self, from: usize, n: usize) -> Option<(SpeakerRef, Range<usize>)> {
        let next = n + 1;
        // Not the noun as a subject or object (`called Trump's charge
        // "pathetic"`, `his remarks about X were "..."`).
        let complement = matches!(self.tx(next), "that" | "for" | "of" | "to");
        if !complement {
            return None;
        }
        // Up to two modifiers before the noun: `her March comment`.
        let mut p = n;
        let mut mods = 0;
        while p > from + 1 && mods < 2 {
            let w = self.tx(p - 1);
            let modifier = self.kind(p - 1) == Some(TokenKind::Word)
                && !lx::is_stop(w)
                && !lx::is_determiner(w)
                && !lx::is_cue(w)
                && !matches!(w.to_ascii_lowercase().as_str(), "his" | "her" | "their");
            if !modifier {
                break;
            }
            p -= 1;
            mods += 1;
        }
        let q = p.checked_sub(1).filter(|&q| q >= from)?;
        let w = self.tx(q);
        if self.kind(q) == Some(TokenKind::Word)
            && matches!(w.to_ascii_lowercase().as_str(), "his" | "her" | "their")
        {
            return Some((
                SpeakerRef {
                    span: q..q + 1,
                    is_pronoun: true,
                },
                n..n + 1,
            ));
        }
        if self.kind(q) == Some(TokenKind::Clitic) {
            // `Donald Trump's claim`: the capitalised run before the clitic.
            let mut b = q;
            while b > from && (self.is_cap(b - 1) || self.is_initial_dot(b - 1)) {
                b -= 1;
            }
            if b < q && !lx::is_not_name(self.tx(b)) {
                return Some((
                    SpeakerRef {
                        span: b..q + 1,
                        is_pronoun: false,
                    },
                    n..n + 1,
                ));
            }
        }
        None
    }

    /// An attribution closing the sentence that goes on at `from` (no
    /// further than `hi`): `, <NP> <cue> [a short adjunct].` (`, the
    /// paper reported Friday.`, `, as a memo put it.`) or `, <cue>
    /// <NP>.`. The phrase is a name, a determiner phrase or a pronoun (the
    /// caller takes a pronoun only for a quote with no speaker yet: `,
    /// she added` continues the speaker named before).
    fn trailing_attr(&self, from: usize, hi: usize) -> Option<(SpeakerRef, Range<usize>)> {
        let hi = hi.min(from + WINDOW);
        let mut e = from;
        while e < hi && !self.is_terminal(e) {
            e += 1;
        }
        // Not a terminal inside a later quote.
        let marks = (from..e)
            .filter(|&k| self.kind(k) == Some(TokenKind::Quote))
            .count();
        if e >= hi || e <= from || marks % 2 == 1 {
            return None;
        }
        // The comma opening the attribution (it may sit inside a closing
        // mark: `"a mess," the paper reported`).
        let lim = e.saturating_sub(14).max(from.saturating_sub(1));
        let mut m = e;
        let mut s = None;
        while m > lim {
            m -= 1;
            if self.is_punct(m, &[","]) {
                s = Some(m + 1);
                break;
            }
            if self.kind(m) == Some(TokenKind::Quote) {
                if m > 0 && self.is_punct(m - 1, &[","]) {
                    s = Some(m + 1);
                }
                break;
            }
            if self.kind(m) != Some(TokenKind::Word)
                && self.kind(m) != Some(TokenKind::Number)
                && !self.is_initial_dot(m)
                && !self.is_punct(m, &["(", ")", "."])
            {
                return None;
            }
        }
        let mut s = s?;
        let plain_cue = |c: &Range<usize>| {
            let w = self.tx(c.start).to_ascii_lowercase();
            !w.ends_with("ing") && w != "according"
        };
        // A short adjunct after the cue: `Friday`, `in a statement`.
        let adjunct_ok = |a: usize| {
            a + 5 >= e
                && (a..e).all(|k| {
                    let w = self.tx(k);
                    matches!(self.kind(k), Some(TokenKind::Word | TokenKind::Number))
                        && !matches!(w, "that" | "which" | "who" | "if" | "whether")
                        && !lx::is_pronoun(w)
                })
        };
        let ok_np = |np: &SpeakerRef| {
            np.is_pronoun
                || !lx::is_not_name(self.tx(np.span.start))
                || lx::is_determiner(self.tx(np.span.start))
        };
        // `, said the senator.`
        if let Some(cue) = self.cue_starting_at(s).filter(plain_cue) {
            let np = self.np_right(cue.end, e).filter(ok_np)?;
            return adjunct_ok(np.span.end).then_some((np, cue));
        }
        if self.is_lower_word(s) && self.tx(s) == "as" {
            s += 1;
        }
        let np = self.np_right(s, e).filter(ok_np)?;
        let mut j = np.span.end;
        let mut skipped = 0;
        while j < e && skipped < 3 && lx::is_between(self.tx(j)) && self.is_lower_word(j) {
            if self.cue_starting_at(j).is_some() {
                break;
            }
            j += 1;
            skipped += 1;
        }
        let cue = self.cue_starting_at(j).filter(plain_cue).or_else(|| {
            (self.kind(j) == Some(TokenKind::Word) && lx::is_right_only_cue(self.tx(j)))
                .then_some(j..j + 1)
        })?;
        adjunct_ok(cue.end).then_some((np, cue))
    }

    /// The speaker of the first cue of the sentence (from `ws`) when that
    /// cue ends before `inner`, a mention inside its reported clause:
    /// `Smith said Jones called it ...` -> Smith; `According to the
    /// report, Jones called it ...` -> the report. Not when that cue sits
    /// in a subordinate clause (`After Smith said ..., Jones called`) or a
    /// clause boundary separates the two (`Smith said ..., but Jones`,
    /// `..., which Jones called`).
    fn outer_clause_speaker(&self, ws: usize, inner: usize) -> Option<SpeakerRef> {
        let cue = (ws..inner).find_map(|k| self.cue_starting_at(k))?;
        if cue.end > inner || self.opens_subordinate_clause(ws) {
            return None;
        }
        let according = self.tx(cue.start).eq_ignore_ascii_case("according");
        // `In a later tweet, Jones said`: the cue is in a fronted phrase.
        let first = (ws..inner).find(|&i| self.kind(i) == Some(TokenKind::Word));
        let fronted = first.is_some_and(|i| {
            self.is_preposition_word(i)
                || lx::is_adverbial_opener(self.tx(i))
                || self.tx(i).ends_with("ly")
        });
        if fronted && !according && (cue.start..inner).any(|k| self.is_punct(k, &[","])) {
            return None;
        }
        let boundary = (cue.end..inner).any(|k| {
            self.is_punct(k, &[";", "—", "–", "―", "--"])
                || (self.is_punct(k, &["-"]) && self.toks.get(k).is_some_and(|t| t.space_before))
                || (self.is_punct(k, &[","])
                    && lx::is_clause_link(self.tx(k + 1))
                    && !(according && k + 1 == inner))
        }) || (inner > cue.end && lx::is_clause_link(self.tx(inner - 1)));
        if boundary {
            return None;
        }
        let sp = if according {
            self.np_right(cue.end, inner)?
        } else if self.tx(cue.start).ends_with("ing") {
            self.subject_at(ws, cue.start)?
        } else {
            self.np_left(ws, cue.start)
                .or_else(|| self.subject_at(ws, cue.start))?
        };
        (sp.span.end <= inner).then_some(sp)
    }

    /// Who speaks through a participle cue ending the clause before `e`
    /// ("..., saying", "..., calling it"): the subject of an absolute
    /// phrase ("with Smith calling it"), else the subject of the latest
    /// clause opened by a conjunction ("even as he defended the plan,
    /// saying"), else the subject of the sentence past its openers ("In
    /// May, the council voted, saying").
    fn participle_speaker(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
        if let Some(np) = self.np_left_once(ws, e) {
            let s = np.span.start;
            if np.span.end == e && s > ws && self.tx(s - 1).eq_ignore_ascii_case("with") {
                return Some(np);
            }
        }
        // A longer subject of the absolute phrase: "with the American
        // Federation of Teachers calling", "with many marchers chanting".
        let mut end = e;
        while end > ws + 1 && lx::is_between(self.tx(end - 1)) && self.is_lower_word(end - 1) {
            end -= 1;
        }
        let lim = end.saturating_sub(10).max(ws);
        let with = (lim..end).rev().find(|&k| {
            self.is_lower_word(k) && self.tx(k) == "with"
                || self.kind(k) != Some(TokenKind::Word) && self.kind(k) != Some(TokenKind::Clitic)
        });
        let participle = self.tx(e).ends_with("ing");
        if let Some(w) = with.filter(|&w| participle && self.tx(w) == "with" && w + 1 < end) {
            let first = self.tx(w + 1);
            let ok_first = self.is_cap(w + 1)
                || lx::is_determiner(first)
                || (self.is_lower_word(w + 1) && !lx::is_stop(first) && !lx::is_pronoun(first));
            let verbish = (w + 1..end).any(|k| {
                let x = self.tx(k);
                self.is_lower_word(k)
                    && (lx::is_cue(x) || lx::is_pronoun(x) || matches!(x, "that" | "who" | "which"))
            });
            if ok_first && !verbish {
                return Some(SpeakerRef {
                    span: w + 1..end,
                    is_pronoun: false,
                });
            }
        }
        let latest = (ws + 1..e).rev().find_map(|j| {
            let link = self.tx(j - 1);
            let opens = (self.is_lower_word(j - 1) && lx::is_clause_opener(link))
                || (self.is_punct(j - 1, &[","]) && j >= ws + 3);
            if !opens {
                return None;
            }
            let np = self.np_right(j, e)?;
            let named = np.is_pronoun
                || (self.is_cap(np.span.start) && !lx::is_not_name(self.tx(np.span.start)));
            (named && np.span.end < e && self.is_lower_word(np.span.end)).then_some(np)
        });
        latest
            .or_else(|| self.clause_subject(ws, e))
            .or_else(|| self.subject_at(ws, e))
    }

    /// The subject of the sentence from `ws`: past leading conjunctions
    /// ("And then"), and past any number of fronted phrases closed by a
    /// comma ("On Monday, after the vote, the council ..."); a name, a
    /// pronoun or a determiner phrase followed by a word.
    fn clause_subject(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
        let mut i = ws;
        while i < e && matches!(self.kind(i), Some(TokenKind::Quote | TokenKind::Punct)) {
            i += 1;
        }
        i = self.skip_dateline(i, e);
        while i < e
            && matches!(
                self.tx(i).to_ascii_lowercase().as_str(),
                "and" | "but" | "then" | "so" | "yet"
            )
        {
            i += 1;
        }
        for _ in 0..3 {
            let w = self.tx(i);
            let opener = lx::is_adverbial_opener(w)
                || self.is_preposition_word(i)
                || (w.len() > 4
                    && (w.ends_with("ing") || w.ends_with("ed") || w.ends_with("ly"))
                    && w.is_ascii())
                || self.np_right(i, e).is_some_and(|np| {
                    self.is_punct(np.span.end, &[","]) && self.tx(np.span.end + 1) != "who"
                }) && self.tx(i + 1).eq_ignore_ascii_case("later");
            if i >= e || !opener {
                break;
            }
            let long = lx::is_subordinator(w) || self.is_preposition_word(i);
            let lim = (i + if long { 30 } else { 14 }).min(e);
            match (i..lim).find(|&m| self.tx(m) == ",") {
                Some(m) => i = self.skip_year(m + 1),
                None => {
                    if let Some(p) = self.pronoun_after_phrase(i, e, true) {
                        return Some(p);
                    }
                    break;
                }
            }
        }
        let np = self.np_right(i, e)?;
        let named = np.is_pronoun || self.is_cap(np.span.start);
        (np.span.end < e && (named || self.kind(np.span.end) == Some(TokenKind::Word)))
            .then_some(np)
    }

    /// A sentence from `ws` opening with `In <det> ... poll|survey ...,`
    /// before `o`: the phrase after `In`.
    fn fronted_poll(&self, ws: usize, o: usize) -> Option<SpeakerRef> {
        let mut i = ws;
        while i < o && matches!(self.kind(i), Some(TokenKind::Quote | TokenKind::Punct)) {
            i += 1;
        }
        if self.tx(i) != "In" || !lx::is_determiner(self.tx(i + 1)) {
            return None;
        }
        let lim = (i + 14).min(o);
        let m = (i + 2..lim).find(|&m| self.is_punct(m, &[","]))?;
        (i + 2..m)
            .any(|k| self.is_lower_word(k) && matches!(self.tx(k), "poll" | "survey"))
            .then_some(SpeakerRef {
                span: i + 1..m,
                is_pronoun: false,
            })
    }

    /// Past the year of a date after its comma: `On July 6, 2015, X said`.
    fn skip_year(&self, i: usize) -> usize {
        if self.kind(i) == Some(TokenKind::Number) && self.is_punct(i + 1, &[","]) {
            i + 2
        } else {
            i
        }
    }

    /// The author of a text named right before a participle cue at `e`:
    /// `the council issued a statement calling ...` -> the council, the
    /// subject of the verb whose object is the text.
    fn author_of_text(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
        let np = self.np_left_once(ws, e)?;
        let (s, last) = (np.span.start, np.span.end.checked_sub(1)?);
        if np.is_pronoun || !lx::is_speech_noun(self.tx(last)) || !lx::is_determiner(self.tx(s)) {
            return None;
        }
        let v = s.checked_sub(1).filter(|&v| v > ws)?;
        let w = self.tx(v);
        if !self.is_lower_word(v) || lx::is_stop(w) || lx::is_determiner(w) || lx::is_cue(w) {
            return None;
        }
        self.np_left(ws, v).filter(|a| {
            a.is_pronoun || self.is_cap(a.span.start) || lx::is_determiner(self.tx(a.span.start))
        })
    }

    /// The subject pronoun after a short fronted phrase with no comma
    /// opening at `i`: a preposition and capitalised words or numbers
    /// (`On September 27 they published`, `In 2010 he said`); with
    /// `det_ok`, also a determiner phrase followed by a word (`On Friday
    /// the senator wrote`).
    fn pronoun_after_phrase(&self, i: usize, e: usize, det_ok: bool) -> Option<SpeakerRef> {
        if !self.is_preposition_word(i) {
            return None;
        }
        let lim = (i + 7).min(e);
        let mut k = i + 1;
        while k < lim
            && (self.is_cap(k) || self.kind(k) == Some(TokenKind::Number))
            && !lx::is_determiner(self.tx(k))
        {
            k += 1;
        }
        if k == i + 1 || k >= lim || !self.is_lower_word(k) {
            return None;
        }
        if lx::is_pronoun(self.tx(k)) {
            return Some(SpeakerRef {
                span: k..k + 1,
                is_pronoun: true,
            });
        }
        if det_ok && lx::is_determiner(self.tx(k)) {
            return self
                .np_right(k, e)
                .filter(|np| np.span.end < e && self.kind(np.span.end) == Some(TokenKind::Word));
        }
        None
    }

    /// The sentence starting at `ws` opens with a subordinate clause
    /// ("After ...", "When ...", "Although ...").
    fn opens_subordinate_clause(&self, ws: usize) -> bool {
        let mut i = ws;
        while matches!(self.kind(i), Some(TokenKind::Quote | TokenKind::Punct)) {
            i += 1;
        }
        lx::is_subordinator(self.tx(i))
    }

    /// The source of a `, according to X` between `from` and `we`.
    fn according_after(&self, from: usize, we: usize) -> Option<SpeakerRef> {
        let k = (from..we).find(|&k| {
            // The comma may sit inside the closing mark: `"a mess," according to`.
            let comma = self.is_punct(k, &[","])
                || (k > 0
                    && self.kind(k) == Some(TokenKind::Quote)
                    && self.is_punct(k - 1, &[","]));
            comma
                && self.tx(k + 1).eq_ignore_ascii_case("according")
                && self.tx(k + 2).eq_ignore_ascii_case("to")
        })?;
        self.np_right(k + 3, we)
    }

    /// The sentence that ends last before quote `q` opens, when it starts in
    /// `q`'s paragraph or the one before.
    fn previous_sentence<'s>(
        &self,
        sents: &'s [Range<usize>],
        q: &RawQuote,
    ) -> Option<&'s Range<usize>> {
        let floor = self
            .blocks
            .get(q.first_block.saturating_sub(1))
            .map(|b| b.0.start)?;
        let i = sents.partition_point(|r| r.end <= q.open).checked_sub(1)?;
        sents.get(i).filter(|r| r.start >= floor)
    }

    /// The subject of the sentence right before quote `q` (in its
    /// paragraph or the one before), unless that sentence opens with a
    /// quote mark (a quote's own words do not name its speaker).
    fn previous_subject(&self, sents: &[Range<usize>], q: &RawQuote) -> Option<SpeakerRef> {
        let r = self.previous_sentence(sents, q)?;
        if self.kind(r.start) == Some(TokenKind::Quote) {
            return None;
        }
        // A name or a pronoun (not a sentence-initial "The hall") followed
        // by a predicate (not a bare "Headline.").
        self.subject_at(r.start, r.end.min(r.start + 20))
            .filter(|np| np.is_pronoun || !lx::is_determiner(self.tx(np.span.start)))
            .filter(|np| np.span.end + 2 <= r.end)
    }

    /// A cue verb whose object is the one spoken to ("told", "asked").
    fn is_addressee_verb(&self, i: usize) -> bool {
        let mut buf = [0u8; 24];
        self.is_lower_word(i)
            && lx::lower(self.tx(i), &mut buf).is_some_and(|w| {
                matches!(
                    w,
                    "told"
                        | "tells"
                        | "tell"
                        | "telling"
                        | "asked"
                        | "asks"
                        | "informed"
                        | "reminded"
                        | "assured"
                        | "urged"
                )
            })
    }

    /// A transcript line in quote marks opening with its speaker's name
    /// in capitals and a colon (`"SMITH: Well, ..."`).
    fn transcript_speaker(&self, q: &RawQuote) -> Option<SpeakerRef> {
        let s = q.open + 1;
        let mut e = s;
        while e < s + 3 && self.kind(e) == Some(TokenKind::Word) {
            let w = self.tx(e);
            let caps = w.chars().count() >= 2
                && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-');
            if !caps {
                return None;
            }
            e += 1;
        }
        let heading = matches!(
            self.tx(s),
            "VIDEO" | "WATCH" | "UPDATE" | "BREAKING" | "READ" | "EXCLUSIVE" | "NOTE" | "PHOTOS"
        );
        (e > s && self.is_punct(e, &[":"]) && !heading && q.close.is_none_or(|c| e < c)).then_some(
            SpeakerRef {
                span: s..e,
                is_pronoun: false,
            },
        )
    }

    /// The speaker of an attribution closing the sentence right before
    /// quote `q` (in its paragraph or the one before), when that sentence
    /// holds no quote mark: `..., Jane Roe said.`, `..., Roe said Friday.`,
    /// `..., said Jane Roe.`. A name, not a pronoun.
    fn previous_attribution(&self, sents: &[Range<usize>], q: &RawQuote) -> Option<SpeakerRef> {
        let r = self.previous_sentence(sents, q)?;
        if r.end > q.open || r.end < r.start + 4 {
            return None;
        }
        if (r.start..r.end).any(|k| self.kind(k) == Some(TokenKind::Quote)) {
            return None;
        }
        let e = r.end - 1;
        if !self.is_terminal(e) {
            return None;
        }
        let named = |np: &SpeakerRef| !np.is_pronoun && self.is_cap(np.span.start);
        // `<NP> <cue> [day].` after a comma.
        let day = |k: usize| {
            let w = self.tx(k);
            (self.is_cap(k) && w.ends_with("day"))
                || matches!(w, "today" | "yesterday" | "later" | "recently")
        };
        for cut in [e, e - 1] {
            if cut < e && !day(cut) {
                continue;
            }
            let Some(cue) = self.cue_ending_at(cut - 1).filter(|c| c.end == cut) else {
                continue;
            };
            if self.tx(cue.start).ends_with("ing") {
                return None;
            }
            return self
                .np_left(r.start, cue.start)
                .filter(|np| np.span.start > r.start && self.is_punct(np.span.start - 1, &[","]))
                .filter(named);
        }
        // `, <cue> <NP>.`
        let lim = e.saturating_sub(10).max(r.start);
        let m = (lim..e).rev().find(|&m| self.is_punct(m, &[","]))?;
        let cue = self.cue_starting_at(m + 1)?;
        if self.tx(cue.start).ends_with("ing") {
            return None;
        }
        self.np_right(cue.end, e)
            .filter(|np| np.span.end == e)
            .filter(named)
    }

    /// The speaker of an outer cue: the phrase before it, else the
    /// sentence subject; for a participle (`..., telling reporters that
    /// he ...`), whoever speaks through it (see [`Ctx::participle_speaker`]).
    fn outer_cue_speaker(&self, ws: usize, cue: &Range<usize>) -> Option<SpeakerRef> {
        if self.tx(cue.start).ends_with("ing") {
            return self
                .participle_speaker(ws, cue.start)
                .or_else(|| self.subject_before_quote(ws, cue.end));
        }
        self.np_left(ws, cue.start)
            .or_else(|| self.subject_at(ws, cue.start))
    }

    /// An outer attribution around a pronoun speaker ("Smith told reporters
    /// he thought ...", "Smith says that she believes ..."): the speaker of
    /// the cue right before the pronoun, past a "that" and a short object.
    fn outer_speaker(&self, ws: usize, pron: usize) -> Option<(SpeakerRef, Range<usize>)> {
        let mut k = pron;
        if k > ws && self.tx(k - 1).eq_ignore_ascii_case("that") {
            k -= 1;
            // "Smith told reporters on Friday that he thinks": the nearest
            // cue before the complementizer, however far in the sentence.
            if let Some(cue) = (ws..k).rev().find_map(|m| self.cue_ending_at(m)) {
                if !self.tx(cue.start).eq_ignore_ascii_case("according") {
                    let sp = self.outer_cue_speaker(ws, &cue)?;
                    return Some((sp, cue));
                }
            }
        }
        for _ in 0..3 {
            if k <= ws {
                return None;
            }
            if let Some(cue) = self.cue_ending_at(k - 1) {
                if self.tx(cue.start).eq_ignore_ascii_case("according") {
                    return None;
                }
                let sp = self.outer_cue_speaker(ws, &cue)?;
                return Some((sp, cue));
            }
            if !self.is_lower_word(k - 1) || lx::is_stop(self.tx(k - 1)) {
                return None;
            }
            k -= 1;
        }
        None
    }

    /// Attribution later in the sentence of a partial quote (`the "new
    /// normal" is over, Smith said`, `Smith described the bill as "a
    /// gift" and warned ...`): the first cue between `rs` and `we`; its
    /// speaker is the phrase right before it, else after it (`..., said
    /// Smith`), else the sentence subject.
    fn later_attr(
        &self,
        ws: usize,
        o: usize,
        rs: usize,
        we: usize,
    ) -> (Option<SpeakerRef>, Option<Range<usize>>) {
        let Some(k) = (rs..we).find(|&k| self.cue_starting_at(k).is_some()) else {
            return (None, None);
        };
        let Some(cue) = self.cue_starting_at(k) else {
            return (None, None);
        };
        let according = self.tx(cue.start).eq_ignore_ascii_case("according");
        // `Smith urged voters to "act now" and said he would ...`: a cue
        // coordinated with the quote's verb shares the sentence subject;
        // the phrase after it is the subject of the reported clause.
        let coordinated = cue.start > rs
            && self.is_lower_word(cue.start - 1)
            && matches!(self.tx(cue.start - 1), "and" | "but" | "then");
        let shared = coordinated.then(|| self.subject_at(ws, o)).flatten();
        let sp = if according {
            self.np_right(cue.end, we)
        } else if shared.is_some() {
            shared
        } else {
            self.np_left(rs, cue.start)
                .filter(|np| np.is_pronoun || self.is_cap(np.span.start))
                .or_else(|| {
                    self.np_right(cue.end, we)
                        .filter(|np| np.is_pronoun || self.is_cap(np.span.start))
                })
                .or_else(|| self.subject_at(ws, o))
        };
        (sp, Some(cue))
    }
}
