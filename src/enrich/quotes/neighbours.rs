//! Speakers found beyond the quote's own clause: the content span of a
//! partial quote, polls and texts as sources, the previous sentence's
//! subject or attribution, transcript labels ("SMITH: ..."), outer cues
//! and an attribution later in the sentence.

use std::ops::Range;

use super::marks::RawQuote;
use super::words as lx;
use super::{Ctx, SpeakerRef, WINDOW};
use crate::text::TokenKind;

impl<'a> Ctx<'a> {
    /// The reported-speech clause holding a partial quote, as a token
    /// range including the quote marks: from after the cue and an optional
    /// "that" ("said the probe is "ongoing" and would take weeks"), else from
    /// the sentence start; up to the sentence end or a following
    /// attribution (", he said", ", according to X").
    pub(super) fn content_span(&self, q: &RawQuote) -> Option<Range<usize>> {
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
    pub(super) fn coordinated_cue(&self, j: usize, lim: usize) -> Option<Range<usize>> {
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

    /// A sentence from `ws` opening with `In <det> ... poll|survey ...,`
    /// before `o`: the phrase after `In`.
    pub(super) fn fronted_poll(&self, ws: usize, o: usize) -> Option<SpeakerRef> {
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
    pub(super) fn skip_year(&self, i: usize) -> usize {
        if self.kind(i) == Some(TokenKind::Number) && self.is_punct(i + 1, &[","]) {
            i + 2
        } else {
            i
        }
    }

    /// The author of a text named right before a participle cue at `e`:
    /// `the council issued a statement calling ...` -> the council, the
    /// subject of the verb whose object is the text.
    pub(super) fn author_of_text(&self, ws: usize, e: usize) -> Option<SpeakerRef> {
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
    pub(super) fn pronoun_after_phrase(
        &self,
        i: usize,
        e: usize,
        det_ok: bool,
    ) -> Option<SpeakerRef> {
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
    pub(super) fn opens_subordinate_clause(&self, ws: usize) -> bool {
        let mut i = ws;
        while matches!(self.kind(i), Some(TokenKind::Quote | TokenKind::Punct)) {
            i += 1;
        }
        lx::is_subordinator(self.tx(i))
    }

    /// The source of a `, according to X` between `from` and `we`.
    pub(super) fn according_after(&self, from: usize, we: usize) -> Option<SpeakerRef> {
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
    pub(super) fn previous_sentence<'s>(
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
    pub(super) fn previous_subject(
        &self,
        sents: &[Range<usize>],
        q: &RawQuote,
    ) -> Option<SpeakerRef> {
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
    pub(super) fn is_addressee_verb(&self, i: usize) -> bool {
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
    pub(super) fn transcript_speaker(&self, q: &RawQuote) -> Option<SpeakerRef> {
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
    pub(super) fn previous_attribution(
        &self,
        sents: &[Range<usize>],
        q: &RawQuote,
    ) -> Option<SpeakerRef> {
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
    pub(super) fn outer_cue_speaker(&self, ws: usize, cue: &Range<usize>) -> Option<SpeakerRef> {
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
    pub(super) fn outer_speaker(
        &self,
        ws: usize,
        pron: usize,
    ) -> Option<(SpeakerRef, Range<usize>)> {
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
    pub(super) fn later_attr(
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
