//! Speakers found through the clause around a quote: sentence subjects,
//! passive agents ("was told by X"), nominal cues ("X's statement"),
//! trailing attributions and subjects of the clause holding a partial quote.

use std::ops::Range;

use super::words as lx;
use super::{Ctx, SpeakerRef, WINDOW};
use crate::text::{lexicon as tl, TokenKind};

impl<'a> Ctx<'a> {
    /// The subject at the start of a sentence beginning at `s`: skips a
    /// leading adverbial phrase closed by a comma.
    pub(super) fn subject_at(&self, s: usize, e: usize) -> Option<SpeakerRef> {
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
    pub(super) fn skip_dateline(&self, i: usize, e: usize) -> usize {
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

    /// The agent of a passive naming verb around a partial quote opening
    /// at `o` and closing at `c`: `<verb> [as] [a] "..." by <agent>` or
    /// `<verb> by <agent> as [a] "..."`, the verb a past participle of
    /// naming or judging ("called", "labeled", "seen"). Returns the agent
    /// and the verb.
    pub(super) fn passive_agent(
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
    pub(super) fn agent_at(&self, s: usize, e: usize) -> Option<SpeakerRef> {
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
    pub(super) fn nominal_cue(&self, from: usize, o: usize) -> Option<(SpeakerRef, Range<usize>)> {
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
    pub(super) fn possessor_of(&self, from: usize, n: usize) -> Option<(SpeakerRef, Range<usize>)> {
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
    pub(super) fn trailing_attr(
        &self,
        from: usize,
        hi: usize,
    ) -> Option<(SpeakerRef, Range<usize>)> {
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
    pub(super) fn outer_clause_speaker(&self, ws: usize, inner: usize) -> Option<SpeakerRef> {
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
    pub(super) fn participle_speaker(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
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
    pub(super) fn clause_subject(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
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
}
