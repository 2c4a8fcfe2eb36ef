//! What follows or precedes a number and makes it a figure: the unit
//! (percent, points, currency), counted nouns, qualifiers ("about", "more
//! than"), the phrase a figure is said of, and the choice of the figure's
//! kind.

use super::lexicon::{self, Lower, Word, QUALIFIER_WORDS};
use super::{Figure, FigureKind, Num, Scanner, UnitAfter};
use crate::text::TokenKind;

impl<'a> Scanner<'a> {
    /// What follows the number ending at token `e`: a percent sign or word,
    /// a currency, or nothing.
    pub(super) fn unit_after(&self, num: &Num<'a>) -> Option<UnitAfter> {
        let e = num.end;
        if let Some(g) = num.glued {
            let mut cs = g.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                if let Some(code) = lexicon::symbol_currency(c) {
                    return Some(self.money_unit(code, e));
                }
            }
            if let Some((code, m)) = lexicon::code_word(g) {
                return Some(UnitAfter {
                    kind: FigureKind::Money,
                    unit: Some(code.to_string()),
                    mult: m,
                    end: e,
                });
            }
            if let Some(l) = Lower::new(g) {
                if let Some(base) = lexicon::currency_name(l.as_str()) {
                    return Some(self.money_unit(base, e));
                }
                if matches!(l.as_str(), "percent" | "per") {
                    return Some(UnitAfter {
                        kind: FigureKind::Percent,
                        unit: Some("%".into()),
                        mult: 1.0,
                        end: e,
                    });
                }
            }
            return None;
        }
        let t = self.text(e);
        if t == "%" || t == "\u{FF05}" {
            return Some(UnitAfter {
                kind: FigureKind::Percent,
                unit: Some("%".into()),
                mult: 1.0,
                end: e + 1,
            });
        }
        if let Some(c) = t.chars().next() {
            if t.len() == c.len_utf8() {
                if let Some(code) = lexicon::symbol_currency(c) {
                    // "10 $" but not "10 $20"
                    if self.kind(e + 1) != Some(TokenKind::Number) || !self.glued(e + 1) {
                        return Some(UnitAfter {
                            kind: FigureKind::Money,
                            unit: Some(self.resolve_code(code)),
                            mult: 1.0,
                            end: e + 1,
                        });
                    }
                }
            }
        }
        let l = self.lower(e)?;
        match l.as_str() {
            "percent" | "pct" | "percents" | "pc" => {
                return Some(self.percent_unit(e + 1));
            }
            "per" if self.lw_is(e + 1, "cent") => return Some(self.percent_unit(e + 2)),
            "percentage" => {
                if self
                    .lower(e + 1)
                    .is_some_and(|x| matches!(x.as_str(), "point" | "points"))
                {
                    return Some(UnitAfter {
                        kind: FigureKind::Percent,
                        unit: Some("pp".into()),
                        mult: 1.0,
                        end: e + 2,
                    });
                }
                return Some(self.percent_unit(e + 1));
            }
            "basis"
                if self
                    .lower(e + 1)
                    .is_some_and(|x| matches!(x.as_str(), "point" | "points")) =>
            {
                return Some(UnitAfter {
                    kind: FigureKind::Percent,
                    unit: Some("pp".into()),
                    mult: 0.01,
                    end: e + 2,
                });
            }
            _ => {}
        }
        if let Some((code, m)) = lexicon::code_word(self.text(e)) {
            // "75 USD million"
            let mut end = e + 1;
            let mut mult = m;
            if let Some(Word::Scale(s) | Word::ScaleAbbr(s)) = self.word(end) {
                mult *= s;
                end += 1;
            }
            return Some(UnitAfter {
                kind: FigureKind::Money,
                unit: Some(code.to_string()),
                mult,
                end,
            });
        }
        if let Some((code, end)) = self.currency_name_at(e, num.scaled) {
            return Some(self.money_unit_code(code, end));
        }
        None
    }

    pub(super) fn percent_unit(&self, end: usize) -> UnitAfter {
        // "3 percentage points" handled by the caller; "5 percent points" too
        if self
            .lower(end)
            .is_some_and(|x| matches!(x.as_str(), "point" | "points"))
            && !self.lw_is(end + 1, "of")
        {
            return UnitAfter {
                kind: FigureKind::Percent,
                unit: Some("pp".into()),
                mult: 1.0,
                end: end + 1,
            };
        }
        UnitAfter {
            kind: FigureKind::Percent,
            unit: Some("%".into()),
            mult: 1.0,
            end,
        }
    }

    /// Qualifier words ending right before token `start`.
    pub(super) fn qualifier(
        &self,
        start: usize,
    ) -> Option<(usize, &'static str, bool, Option<&'static str>)> {
        let mut best: Option<(usize, &'static str, bool, Option<&'static str>)> = None;
        // the words before `start`, lower-cased once: before[d - 1] is the
        // word d tokens back (qualifiers are at most QUALIFIER_WORDS long)
        let mut before: [Option<Lower>; QUALIFIER_WORDS] = [None; QUALIFIER_WORDS];
        for (d, slot) in before.iter_mut().enumerate() {
            *slot = start.checked_sub(d + 1).and_then(|i| self.lower(i));
        }
        for (words, approx, bound) in lexicon::QUALIFIERS {
            let n = words.len();
            if start < n || n > QUALIFIER_WORDS {
                continue;
            }
            let first = start - n;
            let ok = words.iter().enumerate().all(|(k, w)| {
                before
                    .get(n - k - 1)
                    .copied()
                    .flatten()
                    .is_some_and(|l| l.as_str() == *w)
            });
            if ok && best.is_none_or(|b| first < b.0) {
                best = Some((first, words.first().copied().unwrap_or(""), *approx, *bound));
            }
        }
        best
    }

    pub(super) fn apply_qualifier(&self, f: &mut Figure, start_tok: usize) {
        if let Some((q, _, approx, bound)) = self.qualifier(start_tok) {
            let (_, _, text) = self.span_text(q, start_tok);
            f.qualifier = Some(text);
            f.approximate = approx;
            f.bound = bound.map(str::to_string);
        }
    }

    /// The phrase after a figure: "of the world's critical raw materials".
    pub(super) fn context_after(&self, e: usize) -> Option<String> {
        let w = self.lower(e)?;
        if !matches!(w.as_str(), "of" | "in" | "for" | "on") {
            return None;
        }
        let mut j = e + 1;
        let mut last = e;
        while j < e + 9 {
            let Some(t) = self.tok(j) else { break };
            match t.kind {
                TokenKind::Word | TokenKind::Number | TokenKind::Clitic => {
                    let l = self.lower(j);
                    let stop = l.is_some_and(|l| {
                        matches!(
                            l.as_str(),
                            "that"
                                | "which"
                                | "who"
                                | "is"
                                | "are"
                                | "was"
                                | "were"
                                | "and"
                                | "but"
                                | "to"
                                | "as"
                                | "by"
                                | "while"
                                | "when"
                                | "from"
                                | "after"
                                | "before"
                                | "will"
                                | "would"
                                | "has"
                                | "have"
                                | "had"
                        )
                    });
                    if stop {
                        break;
                    }
                    last = j;
                }
                TokenKind::Quote => {}
                TokenKind::Punct => {
                    if !matches!(self.text(j), "-" | "\u{2019}" | "'") {
                        break;
                    }
                }
            }
            j += 1;
        }
        if last <= e {
            return None;
        }
        Some(self.span_text(e, last + 1).2)
    }

    /// The noun phrase a figure is said of, looking back across linking
    /// words: "assets valued at approximately $350 billion" -> "assets".
    pub(super) fn context_before(&self, start: usize) -> Option<String> {
        let mut j = match self.qualifier(start) {
            Some((q, ..)) => q,
            None => start,
        };
        let skip = |l: &str| {
            matches!(
                l,
                "at" | "valued"
                    | "worth"
                    | "of"
                    | "to"
                    | "by"
                    | "totaling"
                    | "totalling"
                    | "totalled"
                    | "totaled"
                    | "is"
                    | "was"
                    | "were"
                    | "are"
                    | "be"
                    | "been"
                    | "estimated"
                    | "reached"
                    | "cost"
                    | "costs"
                    | "costing"
                    | "priced"
                    | "an"
                    | "a"
                    | "stood"
                    | "stands"
                    | "amounted"
                    | "amounting"
                    | "amount"
            )
        };
        let mut hops = 0;
        while j > 0 && hops < 6 {
            let Some(l) = self.lower(j - 1) else { break };
            if !skip(l.as_str()) {
                break;
            }
            j -= 1;
            hops += 1;
        }
        if hops == 0 {
            return None;
        }
        let end = j;
        let mut k = j;
        while k > 0 && end - k < 3 {
            let Some(l) = self.lower(k - 1) else { break };
            if self.kind(k - 1) != Some(TokenKind::Word) || lexicon::is_stop(l.as_str()) {
                break;
            }
            k -= 1;
        }
        if k == end {
            return None;
        }
        Some(self.span_text(k, end).2)
    }

    /// Counted noun after token e: (noun in the singular, phrase, end).
    pub(super) fn counted_noun(&self, e: usize) -> Option<(String, String, usize)> {
        let ok = |j: usize| -> Option<Lower> {
            if self.kind(j)? != TokenKind::Word {
                return None;
            }
            let l = self.lower(j)?;
            if lexicon::is_stop(l.as_str())
                || lexicon::word(l.as_str()).is_some_and(|w| {
                    !matches!(w, Word::Period(_) | Word::Weekday(_) | Word::Month(_))
                })
            {
                return None;
            }
            if !l
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.')
            {
                return None;
            }
            Some(l)
        };
        let first = ok(e)?;
        // "the two biggest": a superlative is not the thing counted
        let superlative = first.as_str().len() > 4 && first.as_str().ends_with("est");
        if superlative && ok(e + 1).is_none() {
            return None;
        }
        let mut noun_tok = e;
        let mut noun = first;
        if let Some(second) = ok(e + 1) {
            let f = first.as_str();
            let adjective_like = self.capitalised(e)
                || [
                    "al", "ic", "an", "ed", "ive", "ous", "ese", "ish", "ful", "less", "ary",
                    "ing", "ern", "est",
                ]
                .iter()
                .any(|s| f.ends_with(s))
                    && !f.ends_with("ians")
                    && !f.ends_with('s');
            if adjective_like && !self.capitalised(e + 1) {
                noun_tok = e + 1;
                noun = second;
            }
        }
        if self.capitalised(noun_tok) && noun_tok == e {
            // "300 Americans" is fine, "2008 Olympics" is a name: only
            // accept a capitalised noun when it is a plural demonym.
            let w = noun.as_str();
            if !(w.ends_with("ans") || w.ends_with("ese")) {
                return None;
            }
        }
        let phrase = self.span_text(e, noun_tok + 1).2;
        Some((lexicon::singular(noun.as_str()), phrase, noun_tok + 1))
    }

    /// "one out of three", "3 out of 4 voters": the ratio as a quantity.
    pub(super) fn out_of(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        sign: f64,
    ) -> Option<usize> {
        if num.range.is_some() || num.value.fract() != 0.0 {
            return None;
        }
        if !(self.lw_is(num.end, "out") && self.lw_is(num.end + 1, "of")) {
            return None;
        }
        let d = self.number_at(num.end + 2)?;
        let whole = d.range.is_none() && d.glued.is_none() && d.value.fract() == 0.0;
        if !whole || d.value < num.value || d.value <= 0.0 || self.unit_after(&d).is_some() {
            return None;
        }
        let mut f = self.base_figure(FigureKind::Quantity, a, d.end);
        f.value = Some(sign * num.value / d.value);
        f.context = self.counted_noun(d.end).map(|(_, phrase, _)| phrase);
        self.apply_qualifier(&mut f, a);
        out.push(f);
        Some(d.end)
    }

    /// Number (already parsed) at `a`..: decide what figure it is.
    pub(super) fn number_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: Num<'a>,
        neg: bool,
    ) -> Option<usize> {
        let sign = if neg { -1.0 } else { 1.0 };
        let num = self.spaced_scale_letter(num);
        if let Some(u) = self.unit_after(&num) {
            return Some(self.unit_figure(out, a, &num, sign, u));
        }
        if let Some(end) = self.out_of(out, a, &num, sign) {
            return Some(end);
        }
        if let Some(end) = self.range_to(out, a, &num, neg) {
            return Some(end);
        }
        if let Some(end) = self.day_month(out, a, &num) {
            return Some(end);
        }
        if let Some(g) = num.glued {
            return Some(self.glued_figure(out, a, &num, sign, g));
        }
        if let Some((lo, hi)) = num.range {
            return Some(self.token_range(out, a, &num, lo, hi));
        }
        if let Some(end) = self.year_figure(out, a, &num, neg) {
            return Some(end);
        }
        if let Some(end) = self.ago_figure(out, a, &num) {
            return Some(end);
        }
        if let Some(end) = self.spelled_fraction_of(out, a, &num, sign) {
            return Some(end);
        }
        self.count_figure(out, a, &num, neg)
    }

    /// A number with its unit after it (percent, points, currency).
    fn unit_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        sign: f64,
        u: UnitAfter,
    ) -> usize {
        if u.kind == FigureKind::Money {
            return self.emit_money(
                out,
                a,
                num,
                u.unit.unwrap_or_default(),
                u.mult,
                sign < 0.0,
                u.end,
            );
        }
        let mut f = self.base_figure(u.kind, a, u.end);
        match num.range {
            Some((lo, hi)) => {
                f.kind = Some(FigureKind::Range);
                f.low = Some(sign * lo * u.mult);
                f.high = Some(sign * hi * u.mult);
            }
            None => f.value = Some(sign * num.value * u.mult),
        }
        f.unit = u.unit;
        self.apply_qualifier(&mut f, a);
        f.context = self.context_after(u.end).or_else(|| self.context_before(a));
        out.push(f);
        u.end
    }

    /// A number with letters glued to it: ordinals ("3rd"), decades
    /// ("1990s", not a figure), counts of the glued word ("300-strong").
    fn glued_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        sign: f64,
        g: &str,
    ) -> usize {
        let gl = g.to_ascii_lowercase();
        if matches!(gl.as_str(), "st" | "nd" | "rd" | "th")
            && num.digits
            && num.value.fract() == 0.0
        {
            let mut f = self.base_figure(FigureKind::Ordinal, a, num.end);
            f.value = Some(num.value);
            out.push(f);
            return num.end;
        }
        if gl == "s" {
            // decade ("the 1990s"): not a figure
            return num.end;
        }
        // "300-strong", "10-year": keep as a count of the glued word
        // only when it is a lower-case noun-like word
        if num.digits
            && gl.bytes().all(|b| b.is_ascii_lowercase())
            && gl.len() > 2
            && !lexicon::is_stop(&gl)
        {
            let mut f = self.base_figure(FigureKind::Count, a, num.end);
            f.value = Some(sign * num.value);
            f.unit = Some(lexicon::singular(&gl));
            self.apply_qualifier(&mut f, a);
            out.push(f);
        }
        num.end
    }

    /// A count, with the noun it counts when one follows.
    fn count_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        neg: bool,
    ) -> Option<usize> {
        let sign = if neg { -1.0 } else { 1.0 };
        let v = num.value;
        let noun = self.counted_noun(num.end);
        if !num.digits && noun.is_none() && !num.scaled && num.value == 1.0 && !neg {
            return Some(num.end);
        }
        let end = noun.as_ref().map(|n| n.2).unwrap_or(num.end);
        let mut f = self.base_figure(FigureKind::Count, a, num.end);
        f.value = Some(sign * v);
        if let Some((n, phrase, _)) = noun {
            f.unit = Some(n);
            let more = self.context_after(end);
            f.context = Some(match more {
                Some(m) => format!("{phrase} {m}"),
                None => phrase,
            });
        }
        self.apply_qualifier(&mut f, a);
        out.push(f);
        Some(end.max(num.end))
    }
}

impl<'a> Scanner<'a> {
    /// "percent of 10", "per cent of twenty-two".
    pub(super) fn percent_of(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
        // "percent of 10", "per cent of twenty-two"
        let mut j = i + 1;
        if self.lw_is(i, "per") {
            if !self.lw_is(j, "cent") {
                return None;
            }
            j += 1;
        }
        if !self.lw_is(j, "of") {
            return None;
        }
        let num = self.number_at(j + 1)?;
        if num.range.is_some() || num.glued.is_some() {
            return None;
        }
        // only a bare number ending the clause
        let e = num.end;
        let at_end =
            self.tok(e).is_none() || matches!(self.text(e), "." | "," | ";" | "!" | "?" | ")");
        if !at_end {
            return None;
        }
        let mut f = self.base_figure(FigureKind::Percent, i, e);
        f.value = Some(num.value);
        f.unit = Some("%".into());
        out.push(f);
        Some(e)
    }
}
