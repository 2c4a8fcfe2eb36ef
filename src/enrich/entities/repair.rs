//! Span repair between the tagger and the linker, with closed word lists
//! only (`text::lexicon`): codes and symbols are never names (currency codes
//! and prefixes, "US$40m", time zones, plural acronyms); a job title merged
//! into a name is split ("Acme chief executive Jane Roe" -> ORG Acme +
//! PERSON Jane Roe) and what stands before the role is the organisation;
//! function words are trimmed from span edges; name particles join a name
//! ("Luigi del Neri"); an honorific before a capitalised word makes a
//! person; a venue, law or event head word sets the type.

use super::gazetteer::{self, Gazetteer};
use super::link::{looks_demonym, TokSpan};
use crate::text::lexicon;
use crate::text::{Token, TokenKind};

const PER: u8 = 1;
const ORG: u8 = 2;
const LOC: u8 = 3;
const MISC: u8 = 4;

fn word<'a>(text: &'a str, toks: &[Token], i: usize) -> &'a str {
    toks.get(i).map(|t| t.text(text)).unwrap_or("")
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_word(toks: &[Token], i: usize) -> bool {
    toks.get(i).is_some_and(|t| t.kind == TokenKind::Word)
}

/// A currency code (ISO 4217, in capitals) or a time zone: never a name.
pub fn is_code(w: &str) -> bool {
    let caps = w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase());
    caps && (lexicon::is_time_zone(w) || iso_currency::Currency::from_code(w).is_some())
}

/// An acronym in the plural ("PDAs", "MPs"): a common noun, not a name.
fn is_plural_acronym(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|stem| {
        stem.chars().count() >= 2 && stem.chars().all(|c| c.is_ascii_uppercase())
    })
}

/// A token that starts with a currency symbol ("$", "$40m").
fn starts_with_currency_symbol(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩' | '₽' | '₺' | '₪'))
}

/// A capitalised pronoun ("They", "It") inside a span: the span is a title
/// of a work or a sentence, not a name.
fn is_pronoun(w: &str) -> bool {
    matches!(
        w,
        "They" | "It" | "We" | "He" | "She" | "You" | "Me" | "Them" | "Him" | "Our" | "Your"
    )
}

/// Drop spans that are codes or symbols, not names.
pub fn drop_codes(text: &str, toks: &[Token], spans: &mut Vec<TokSpan>) {
    spans.retain(|sp| {
        let first = word(text, toks, sp.start);
        // A currency prefix glued to its symbol: "US$40m", "A$", "HK$".
        // The tagger may take the symbol into the span ("US$").
        let glued_symbol = (sp.start + 1..=sp.end).any(|i| {
            toks.get(i)
                .is_some_and(|t| !t.space_before && starts_with_currency_symbol(t.text(text)))
        });
        let single = sp.end == sp.start + 1;
        let code = single && (is_code(first) || is_plural_acronym(first));
        let pronoun = (sp.start..sp.end).any(|i| is_pronoun(word(text, toks, i)));
        !(glued_symbol || code || pronoun)
    });
}

/// A token that never starts or ends a name: a lower-case function word,
/// a quote mark, a possessive, punctuation other than "&".
fn is_edge_junk(text: &str, toks: &[Token], i: usize) -> bool {
    let w = word(text, toks, i);
    lexicon::is_function_word(w)
        || toks.get(i).is_some_and(|t| match t.kind {
            TokenKind::Clitic | TokenKind::Quote => true,
            TokenKind::Punct => w != "&",
            _ => false,
        })
}

/// Split spans at an opening quote mark inside them ("Labour's 'EU" ->
/// "Labour", "EU"), then trim function words, quote marks and
/// punctuation from both edges ("Tories of" -> "Tories").
pub fn trim_function_words(text: &str, toks: &[Token], spans: &mut Vec<TokSpan>) {
    let mut out = Vec::with_capacity(spans.len());
    for sp in spans.drain(..) {
        let mut s = sp.start;
        for i in sp.start..=sp.end {
            // An opening quote mark inside ("Labour's 'EU"): a space before
            // it, none after. A spaced mark may be a plural possessive.
            let opening = toks.get(i).is_some_and(|t| {
                t.kind == TokenKind::Quote
                    && t.space_before
                    && toks.get(i + 1).is_some_and(|n| !n.space_before)
            });
            let cut = i == sp.end || opening;
            if cut {
                if i > s {
                    out.push(TokSpan {
                        start: s,
                        end: i,
                        kind: sp.kind,
                    });
                }
                s = i + 1;
            }
        }
    }
    for sp in out.iter_mut() {
        while sp.end > sp.start + 1 && is_edge_junk(text, toks, sp.end - 1) {
            sp.end -= 1;
        }
        while sp.end > sp.start + 1 && is_edge_junk(text, toks, sp.start) {
            sp.start += 1;
        }
    }
    out.retain(|sp| !(sp.end == sp.start + 1 && is_edge_junk(text, toks, sp.start)));
    *spans = out;
}

/// Split a span at a role noun inside it: what stands before the role is an
/// organisation (or keeps a place / nationality type), what follows is a
/// person. "Labour MP Roger Godsiff", "Acme chief executive Jane Roe".
pub fn split_roles(text: &str, toks: &[Token], gaz: &Gazetteer, spans: &mut Vec<TokSpan>) {
    let mut out = Vec::with_capacity(spans.len());
    for sp in spans.drain(..) {
        let role_at = (sp.start + 1..sp.end).find(|&i| {
            let w = word(text, toks, i);
            // A lower-case role word is a strong sign; "MP" / "MEP" in capitals too.
            lexicon::is_role_noun(w)
                && (w.chars().next().is_some_and(char::is_lowercase) || matches!(w, "MP" | "MEP"))
        });
        let Some(r) = role_at else {
            out.push(sp);
            continue;
        };
        let mut after = r + 1;
        while after < sp.end && lexicon::is_role_noun(word(text, toks, after)) {
            after += 1;
        }
        if after >= sp.end || !capitalised(word(text, toks, after)) {
            out.push(sp);
            continue;
        }
        let left = TokSpan {
            start: sp.start,
            end: r,
            kind: modifier_type(text, toks, gaz, sp.start, r, sp.kind),
        };
        out.push(left);
        out.push(TokSpan {
            start: after,
            end: sp.end,
            kind: PER,
        });
    }
    *spans = out;
}

/// The type of a name standing before a role noun: a place or nationality
/// keeps its type ("US President", "French minister"); anything else is the
/// organisation the person works for ("Tory leader", "U2 frontman").
fn modifier_type(text: &str, toks: &[Token], gaz: &Gazetteer, s: usize, e: usize, kind: u8) -> u8 {
    let mut lowers = String::new();
    for i in s..e {
        if i > s {
            lowers.push(' ');
        }
        lowers.push_str(&word(text, toks, i).to_lowercase());
    }
    let g = gaz.lookup_text(&lowers);
    if g & gazetteer::PLACE != 0 || kind == LOC {
        LOC
    } else if g & gazetteer::NORP != 0 || (kind == MISC && e == s + 1 && looks_demonym(&lowers)) {
        MISC
    } else {
        ORG
    }
}

/// The name right after "<name> <role noun>" is a person ("Tory leader
/// Michael Howard", "Happy Mondays dancer Bez").
pub fn type_role_modifiers(text: &str, toks: &[Token], spans: &mut [TokSpan]) {
    for k in 0..spans.len() {
        let Some(&sp) = spans.get(k) else { continue };
        let r = sp.end;
        let role = word(text, toks, r);
        if !lexicon::is_role_noun(role) || !role.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let mut after = r + 1;
        while lexicon::is_role_noun(word(text, toks, after))
            && word(text, toks, after).chars().all(char::is_lowercase)
        {
            after += 1;
        }
        let Some(next) = spans.get(k + 1).copied() else {
            continue;
        };
        if next.start != after {
            continue;
        }
        // The modifier keeps its type here: a person before a role stays
        // one ("Blair aide ...") and the linker decides from the rest of the
        // article; a MISC may be a nationality the gazetteer lacks.
        if let Some(x) = spans.get_mut(k + 1) {
            x.kind = PER;
        }
    }
}

/// Join "Luigi" + "del" + "Neri" into one person; a capitalised word or
/// initial before a particle joins a person name after it ("R de Marigny").
pub fn join_particles(text: &str, toks: &[Token], spans: &mut Vec<TokSpan>) {
    let mut out: Vec<TokSpan> = Vec::with_capacity(spans.len());
    for sp in spans.drain(..) {
        let mut p = sp.start;
        while p > 0 && lexicon::is_name_particle(word(text, toks, p - 1)) {
            p -= 1;
        }
        if p == sp.start || p == 0 || sp.kind != PER {
            out.push(sp);
            continue;
        }
        let before = p - 1;
        match out.last_mut() {
            Some(prev) if prev.end == p && prev.kind == PER => prev.end = sp.end,
            _ if is_word(toks, before) && capitalised(word(text, toks, before)) => {
                let merged_prev = out.last().is_some_and(|x| x.end > before);
                if !merged_prev {
                    out.push(TokSpan {
                        start: before,
                        end: sp.end,
                        kind: PER,
                    });
                } else {
                    out.push(sp);
                }
            }
            _ => out.push(sp),
        }
    }
    *spans = out;
}

/// An honorific ("Mr", "Dr.") before capitalised words the tagger left
/// untagged: those words are a person ("Mr R. Sridharan").
pub fn add_honorific_names(text: &str, toks: &[Token], labels: &[u8], spans: &mut Vec<TokSpan>) {
    let untagged = |i: usize| labels.get(i).copied().unwrap_or(1) == 0;
    let mut added = false;
    for (i, t) in toks.iter().enumerate() {
        let w = t.text(text);
        if !capitalised(w) || !lexicon::is_honorific(w) {
            continue;
        }
        let mut s = i + 1;
        if word(text, toks, s) == "." {
            s += 1;
        }
        let mut e = s;
        while is_word(toks, e) && untagged(e) && capitalised(word(text, toks, e)) {
            e += 1;
            if word(text, toks, e) == "." && word(text, toks, e - 1).chars().count() == 1 {
                e += 1;
            }
        }
        // Initials before a tagged name join it ("Mr R. Sridharan").
        if e > s && !untagged(e) {
            if let Some(sp) = spans.iter_mut().find(|x| x.start == e) {
                sp.start = s;
                sp.kind = PER;
            }
            continue;
        }
        // Ends on a word, not on an initial's period.
        while e > s && !is_word(toks, e - 1) {
            e -= 1;
        }
        if e > s && (s..e).all(untagged) {
            spans.push(TokSpan {
                start: s,
                end: e,
                kind: PER,
            });
            added = true;
        }
    }
    if added {
        spans.sort_by_key(|s| s.start);
    }
}

/// A venue or facility head makes a place ("Imam Khomeini International
/// Airport"); a law, document or event head makes MISC ("Terrorism Act").
pub fn type_by_head(text: &str, toks: &[Token], spans: &mut [TokSpan]) {
    for sp in spans.iter_mut() {
        if sp.end < sp.start + 2 {
            continue;
        }
        let head = word(text, toks, sp.end - 1);
        if !capitalised(head) {
            continue;
        }
        if lexicon::is_facility_head(head) && sp.kind != MISC {
            sp.kind = LOC;
        } else if lexicon::is_work_or_event_head(head) && sp.kind != PER {
            sp.kind = MISC;
        }
    }
}

/// Run every repair in order.
pub fn repair(
    text: &str,
    toks: &[Token],
    labels: &[u8],
    gaz: &Gazetteer,
    spans: &mut Vec<TokSpan>,
) {
    drop_codes(text, toks, spans);
    add_honorific_names(text, toks, labels, spans);
    trim_function_words(text, toks, spans);
    split_roles(text, toks, gaz, spans);
    type_role_modifiers(text, toks, spans);
    join_particles(text, toks, spans);
    type_by_head(text, toks, spans);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextLayer;

    /// Spans over the tokens of each `(phrase, kind)` at its first occurrence.
    fn spans_for(text: &str, layer: &TextLayer, tagged: &[(&str, u8)]) -> Vec<TokSpan> {
        let mut out: Vec<TokSpan> = tagged
            .iter()
            .filter_map(|(phrase, kind)| {
                let at = text.find(phrase)?;
                let end = at + phrase.len();
                let idx: Vec<usize> = (0..layer.tokens.len())
                    .filter(|&i| layer.tokens[i].start >= at && layer.tokens[i].end <= end)
                    .collect();
                Some(TokSpan {
                    start: *idx.first()?,
                    end: *idx.last()? + 1,
                    kind: *kind,
                })
            })
            .collect();
        out.sort_by_key(|s| s.start);
        out
    }

    fn labels_of(n: usize, spans: &[TokSpan]) -> Vec<u8> {
        let mut l = vec![0u8; n];
        for s in spans {
            for (i, x) in l.iter_mut().enumerate().take(s.end).skip(s.start) {
                *x = if i == s.start {
                    s.kind * 2 - 1
                } else {
                    s.kind * 2
                };
            }
        }
        l
    }

    fn texts(text: &str, layer: &TextLayer, spans: &[TokSpan]) -> Vec<(String, u8)> {
        spans
            .iter()
            .map(|s| {
                let (a, b) = (layer.tokens[s.start].start, layer.tokens[s.end - 1].end);
                (text[a..b].to_string(), s.kind)
            })
            .collect()
    }

    fn run(text: &str, tagged: &[(&str, u8)]) -> Vec<(String, u8)> {
        let layer = TextLayer::build(text);
        let gaz = Gazetteer::parse("French\tNORP\nFrance\tCOUNTRY\n");
        let mut spans = spans_for(text, &layer, tagged);
        let labels = labels_of(layer.tokens.len(), &spans);
        repair(text, &layer.tokens, &labels, &gaz, &mut spans);
        texts(text, &layer, &spans)
    }

    fn s(x: &str, k: u8) -> (String, u8) {
        (x.to_string(), k)
    }

    #[test]
    fn currency_codes_prefixes_and_time_zones_are_not_names() {
        let got = run(
            "The deal is worth US$40m, or A$55m, paid in EUR at 1400 GMT to Acme.",
            &[
                ("US", LOC),
                ("A", ORG),
                ("EUR", ORG),
                ("GMT", ORG),
                ("Acme", ORG),
            ],
        );
        assert_eq!(got, vec![s("Acme", ORG)]);
        // The country itself stays.
        let us = run("The US economy grew.", &[("US", LOC)]);
        assert_eq!(us, vec![s("US", LOC)]);
        // Plural acronyms are common nouns.
        assert!(run("Sales of PDAs rose.", &[("PDAs", ORG)]).is_empty());
    }

    #[test]
    fn job_title_inside_a_name_is_split_out() {
        let got = run(
            "Acme chief executive Jane Roe said profits rose.",
            &[("Acme chief executive Jane Roe", ORG)],
        );
        assert_eq!(got, vec![s("Acme", ORG), s("Jane Roe", PER)]);
        let mp = run(
            "Dunford's Labour MP Ann Vale welcomed it.",
            &[("Labour MP Ann Vale", ORG)],
        );
        assert_eq!(mp, vec![s("Labour", ORG), s("Ann Vale", PER)]);
        // A nationality before the role keeps its type.
        let fr = run(
            "French minister Paul Dorel spoke.",
            &[("French minister Paul Dorel", PER)],
        );
        assert_eq!(fr, vec![s("French", MISC), s("Paul Dorel", PER)]);
    }

    #[test]
    fn the_name_after_a_role_is_a_person() {
        let got = run(
            "Old Pines frontman Rafe Kilner sang.",
            &[("Old Pines", ORG), ("Rafe Kilner", LOC)],
        );
        assert_eq!(got, vec![s("Old Pines", ORG), s("Rafe Kilner", PER)]);
    }

    #[test]
    fn edges_particles_and_honorifics() {
        let got = run(
            "He accused the Greens of \"lying\" and Labour's 'EU plan'.",
            &[("Greens of \"", ORG), ("Labour's 'EU", ORG)],
        );
        assert_eq!(got, vec![s("Greens", ORG), s("Labour", ORG), s("EU", ORG)]);
        let del = run(
            "It was Marco del Piero's side.",
            &[("Marco", PER), ("Piero", PER)],
        );
        assert_eq!(del, vec![s("Marco del Piero", PER)]);
        let mr = run("said Mr R. Anand, the head.", &[("Anand", PER)]);
        assert_eq!(mr, vec![s("R. Anand", PER)]);
        let bare = run("said Mr Quill on Monday.", &[]);
        assert_eq!(bare, vec![s("Quill", PER)]);
    }

    #[test]
    fn venue_law_and_event_heads_set_the_type() {
        let got = run(
            "Fans left Elm Park for the Dunmore Shopping Arena under the Noise Act at the Grey Motor Show.",
            &[
                ("Elm Park", PER),
                ("Dunmore Shopping Arena", ORG),
                ("Noise Act", ORG),
                ("Grey Motor Show", ORG),
            ],
        );
        assert_eq!(
            got,
            vec![
                s("Elm Park", LOC),
                s("Dunmore Shopping Arena", LOC),
                s("Noise Act", MISC),
                s("Grey Motor Show", MISC)
            ]
        );
    }
}
