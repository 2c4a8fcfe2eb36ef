//! Attribution of one quote: its kind (direct or partial), the cue and the
//! speaker on either side of the marks ("X said", "said X", "X: ...", "—
//! X", "according to X"), before the driver's carry-over and coreference.

use std::ops::Range;

use super::marks::RawQuote;
use super::words as lx;
use super::{Attribution, Ctx, SpeakerRef, WINDOW};
use crate::text::TokenKind;

impl<'a> Ctx<'a> {
    /// Attribution from the left of a quote opening at token `o`, looking
    /// no further back than `ws`: the nearest cue with its speaker, else a
    /// colon-introduced quote ("Smith: "...", "Rubio fired back: "...").
    /// When the window `ws` starts right after an earlier quote of the
    /// same sentence (`Trump hailed it as "fantastic," telling reporters`),
    /// the subject of that sentence, before the earlier quote.
    pub(super) fn subject_before_quote(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
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

    pub(super) fn left_attr(
        &self,
        ws: usize,
        o: usize,
    ) -> (Option<SpeakerRef>, Option<Range<usize>>) {
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

    /// Find the kind, cue and speaker of one quote.
    pub(super) fn attribute(
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
}
