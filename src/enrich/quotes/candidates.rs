//! Speaker candidates as noun phrases next to a cue: a phrase to the right
//! of a cue ("said the 30-year-old", "said Jane Roe, of the Office") or to
//! its left ("Mr Smith, a doctor, said"), with appositives, asides and
//! prepositional phrases skipped.

use std::ops::Range;

use super::words as lx;
use super::{Ctx, SpeakerRef};
use crate::text::{lexicon as tl, TokenKind};

impl<'a> Ctx<'a> {
    /// Noun phrase starting at `s` and ending before `e`: a pronoun, a
    /// capitalised run (bridging role words: "Trump campaign manager Kellyanne
    /// Conway"), or a determiner phrase ("the Ukrainian president").
    pub(super) fn np_right(&self, s: usize, e: usize) -> Option<SpeakerRef> {
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
    pub(super) fn loose_right_attr(
        &self,
        i: usize,
        we: usize,
    ) -> Option<(SpeakerRef, Range<usize>)> {
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
    pub(super) fn is_past_verb_ending_clause(&self, j: usize, we: usize) -> bool {
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

    pub(super) fn is_initial_dot(&self, j: usize) -> bool {
        self.tx(j) == "."
            && self.toks.get(j).is_some_and(|t| !t.space_before)
            && j > 0
            && tl::is_abbreviation(self.tx(j - 1))
            && self.is_cap(j + 1)
    }

    /// Noun phrase ending right before `k` (the cue), no further left than
    /// `ws`: skips auxiliaries and adverbs ("also", "has"), and a comma-
    /// enclosed appositive or aside ("Hugh Hill, a doctor,", "X, however,").
    pub(super) fn np_left(&self, ws: usize, k: usize) -> Option<SpeakerRef> {
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

    pub(super) fn is_preposition(&self, i: usize) -> bool {
        self.is_lower_word(i) && self.is_preposition_word(i)
    }

    /// Token `i` is a preposition, in any case ("In", "at").
    pub(super) fn is_preposition_word(&self, i: usize) -> bool {
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

    pub(super) fn np_left_once(&self, ws: usize, k: usize) -> Option<SpeakerRef> {
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
}
