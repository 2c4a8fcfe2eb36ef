//! The quotes stage's driver: pairs the marks, attributes each quote, carries
//! a speaker over to the next quote of the same paragraph, resolves pronoun
//! and description speakers through [`coref`](super::coref), links each
//! speaker to its entity and drops titles and markup.

use std::ops::Range;

use super::marks;
use super::words as lx;
use super::{coref, Ctx, NameIndex, SpeakerRef};
use crate::enrich::Document;
use crate::output::{Entity, EntityType, Mention, Quote, QuoteKind, Speaker};
use crate::text::{Token, TokenKind};

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
            field: None,
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
                .filter(|x| x.field.is_none() && x.start < m.end && m.start < x.end)
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
