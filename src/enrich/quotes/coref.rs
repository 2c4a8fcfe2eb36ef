//! Document-level coreference for speakers: a pronoun ("he", "they") or a
//! description ("the 30-year-old", "a spokesman") is resolved to a PERSON
//! or ORG entity of the entities stage, so a speaker's canonical name is
//! always the entity's. Candidates are the entity mentions before the
//! speaker mention (outside quotation marks, in the last few sentences)
//! and the speakers of earlier quotes; they are scored by
//! [`ranking`](super::ranking) on recency, subjecthood, speaker history and
//! compatibility (gender from honorifics and from pronouns already
//! resolved, number and kind from the pronoun or the description's head).

use std::cell::RefCell;
use std::ops::Range;

use super::ranking::{self, Features};
use super::words as lx;
use super::Ctx;
use crate::output::{Entity, EntityType};
use crate::text::lexicon as tl;

/// Sentences looked back for an antecedent.
const MAX_SENTENCES_BACK: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Unknown,
    Male,
    Female,
}

/// What a pronoun or description may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wants {
    Person(Gender),
    /// An organisation ("they", "it", "a spokesman" for its employer).
    Org,
}

/// One entity mention that may be an antecedent.
#[derive(Debug, Clone)]
struct Cand {
    tok: usize,
    sent: usize,
    entity: usize,
    subject: bool,
    in_quote: bool,
}

/// The entity mentions of an article, indexed for resolution.
pub(super) struct Coref<'a> {
    entities: &'a [Entity],
    cands: Vec<Cand>,
    /// Per entity: gender known from honorifics or resolved pronouns.
    gender: RefCell<Vec<Gender>>,
    /// Per token: its sentence index.
    sent_of: Vec<usize>,
    /// Earlier quotes' speakers: (token of the speaker mention, entity).
    speakers: RefCell<Vec<(usize, usize)>>,
}

impl<'a> Coref<'a> {
    pub(super) fn build(
        cx: &Ctx<'_>,
        entities: &'a [Entity],
        sentences: &[Range<usize>],
        quoted: &[Range<usize>],
    ) -> Coref<'a> {
        let mut sent_of = vec![0; cx.toks.len()];
        for (si, r) in sentences.iter().enumerate() {
            for s in sent_of.get_mut(r.clone()).into_iter().flatten() {
                *s = si;
            }
        }
        let inside = |b: usize| {
            let k = quoted.partition_point(|q| q.start <= b);
            k > 0 && quoted.get(k - 1).is_some_and(|q| b < q.end)
        };
        let mut cands = Vec::new();
        let mut gender = vec![Gender::Unknown; entities.len()];
        for (ei, e) in entities.iter().enumerate() {
            if !matches!(e.kind, EntityType::Person | EntityType::Org) {
                continue;
            }
            for m in &e.mentions {
                let tok = cx.toks.partition_point(|t| t.start < m.start);
                let end = cx.toks.partition_point(|t| t.end <= m.end).max(tok + 1);
                if tok >= cx.toks.len() {
                    continue;
                }
                if e.kind == EntityType::Person {
                    let g = honorific_gender(cx.tx(tok)).or_else(|| {
                        tok.checked_sub(1)
                            .and_then(|p| honorific_gender(cx.tx(p)))
                            .or_else(|| {
                                tok.checked_sub(2)
                                    .filter(|&p| cx.tx(p + 1) == ".")
                                    .and_then(|p| honorific_gender(cx.tx(p)))
                            })
                    });
                    if let (Some(g), Some(slot)) = (g, gender.get_mut(ei)) {
                        *slot = g;
                    }
                }
                cands.push(Cand {
                    tok,
                    sent: sent_of.get(tok).copied().unwrap_or(0),
                    entity: ei,
                    subject: is_subject(cx, tok, end, sentences, &sent_of),
                    in_quote: inside(m.start),
                });
            }
        }
        cands.sort_by_key(|c| c.tok);
        Coref {
            entities,
            cands,
            gender: RefCell::new(gender),
            sent_of,
            speakers: RefCell::new(Vec::new()),
        }
    }

    /// Record that the quote whose speaker mention starts at token `tok`
    /// was linked to `entity` (an id of `entities`).
    pub(super) fn note_speaker(&self, tok: usize, entity_id: &str) {
        if let Some(ei) = self.entities.iter().position(|e| e.id == entity_id) {
            self.speakers.borrow_mut().push((tok, ei));
        }
    }

    /// The entity a pronoun at token `tok` refers to.
    pub(super) fn pronoun(&self, cx: &Ctx<'_>, tok: usize) -> Option<&'a Entity> {
        let w = cx.tx(tok).to_ascii_lowercase();
        let wants = match w.as_str() {
            "he" | "him" | "his" => Wants::Person(Gender::Male),
            "she" | "her" => Wants::Person(Gender::Female),
            "they" | "it" | "them" | "its" | "their" => Wants::Org,
            _ => return None,
        };
        let e = self.best(tok, wants)?;
        if let Wants::Person(g) = wants {
            if let Some(slot) = self.gender.borrow_mut().get_mut(e) {
                if *slot == Gender::Unknown {
                    *slot = g;
                }
            }
        }
        self.entities.get(e)
    }

    /// The entity a description (`span`, a lower-case head: "the
    /// 30-year-old", "a spokesman") refers to. Indefinite descriptions of
    /// people ("a witness") stay unresolved; a spokesperson speaks for the
    /// organisation named last.
    pub(super) fn description(&self, cx: &Ctx<'_>, span: Range<usize>) -> Option<&'a Entity> {
        let first = cx.tx(span.start).to_ascii_lowercase();
        let head = cx.tx(span.end.saturating_sub(1)).to_ascii_lowercase();
        if lx::is_spokes_noun(&head) {
            return self
                .best(span.start, Wants::Org)
                .and_then(|e| self.entities.get(e));
        }
        let definite = matches!(first.as_str(), "the" | "his" | "her" | "their" | "its");
        if !definite || !cx.is_lower_word(span.end.saturating_sub(1)) && !head.contains('-') {
            return None;
        }
        let g = lx::noun_gender(&head).map_or(Gender::Unknown, |male| {
            if male {
                Gender::Male
            } else {
                Gender::Female
            }
        });
        self.best(span.start, Wants::Person(g))
            .and_then(|e| self.entities.get(e))
    }

    /// The best-scoring compatible antecedent before token `tok`.
    fn best(&self, tok: usize, wants: Wants) -> Option<usize> {
        let sent = self.sent_of.get(tok).copied().unwrap_or(0);
        let gender = self.gender.borrow();
        let speakers = self.speakers.borrow();
        let last_speaker = speakers.iter().rev().find(|s| s.0 < tok).map(|s| s.1);
        let compatible = |ei: usize| {
            let Some(e) = self.entities.get(ei) else {
                return false;
            };
            match wants {
                Wants::Org => e.kind == EntityType::Org,
                Wants::Person(g) => {
                    e.kind == EntityType::Person
                        && (g == Gender::Unknown
                            || gender
                                .get(ei)
                                .is_none_or(|&x| x == Gender::Unknown || x == g))
                }
            }
        };
        let lo = self
            .cands
            .partition_point(|c| c.sent + MAX_SENTENCES_BACK < sent);
        let hi = self.cands.partition_point(|c| c.tok < tok);
        let mut best: Option<(f32, usize)> = None;
        for c in self.cands.get(lo..hi).unwrap_or(&[]) {
            if !compatible(c.entity) {
                continue;
            }
            let f = Features {
                sentences_back: sent.saturating_sub(c.sent),
                tokens_back: tok.saturating_sub(c.tok),
                subject: c.subject,
                in_quote: c.in_quote,
                last_speaker: last_speaker == Some(c.entity),
                earlier_speaker: speakers.iter().any(|s| s.1 == c.entity && s.0 < tok),
            };
            let score = ranking::antecedent_score(&f);
            if best.is_none_or(|b| score >= b.0) {
                best = Some((score, c.entity));
            }
        }
        // The last speaker, when no mention of it is in reach.
        if best.is_none() {
            if let Some(ls) = last_speaker.filter(|&e| compatible(e)) {
                return Some(ls);
            }
        }
        best.map(|b| b.1)
    }
}

fn honorific_gender(w: &str) -> Option<Gender> {
    if !tl::is_honorific(w) {
        return None;
    }
    match w.trim_end_matches('.').to_ascii_lowercase().as_str() {
        "mr" | "sir" | "lord" => Some(Gender::Male),
        "mrs" | "ms" | "miss" | "dame" | "lady" => Some(Gender::Female),
        _ => None,
    }
}

/// A mention is a subject when a cue or an auxiliary follows it ("Roe
/// said", "Roe has"), a cue precedes it ("said Roe"), or it opens its
/// sentence or a clause after a fronted phrase ("On Monday, Roe ...").
fn is_subject(
    cx: &Ctx<'_>,
    tok: usize,
    end: usize,
    sentences: &[Range<usize>],
    sent_of: &[usize],
) -> bool {
    let next = cx.tx(end);
    if cx.is_lower_word(end) && (lx::is_cue(next) || lx::is_auxiliary(next)) {
        return true;
    }
    if tok > 0 && cx.is_lower_word(tok - 1) && lx::is_cue(cx.tx(tok - 1)) {
        return true;
    }
    let mut a = tok;
    while a > 0 && (tl::is_honorific(cx.tx(a - 1)) || lx::is_role(cx.tx(a - 1)) || cx.is_cap(a - 1))
    {
        a -= 1;
    }
    let s = sent_of
        .get(tok)
        .and_then(|&si| sentences.get(si))
        .map_or(0, |r| r.start);
    a == s || (a > s && a < s + 8 && cx.tx(a - 1) == ",")
}
