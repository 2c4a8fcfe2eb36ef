//! The driver: walks the tokens once and hands each trigger (a numeral, a
//! currency symbol, a number, month, weekday or range word) to the module
//! that reads it; token accessors shared by every reader.

use super::lexicon::{self, Lower, Word};
use super::numbers::{is_hyphen_char, split_numeral};
use super::{dates, Figure, FigureKind, Scanner};
use crate::text::{Token, TokenKind};

impl<'a> Scanner<'a> {
    #[inline]
    pub(super) fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    #[inline]
    pub(super) fn text(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.text(self.s)).unwrap_or("")
    }

    #[inline]
    pub(super) fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    #[inline]
    pub(super) fn lower(&self, i: usize) -> Option<Lower<'a>> {
        match self.kind(i)? {
            TokenKind::Word | TokenKind::Clitic => Lower::new(self.text(i)),
            _ => None,
        }
    }

    #[inline]
    pub(super) fn lw_is(&self, i: usize, w: &str) -> bool {
        self.lower(i).is_some_and(|l| l.as_str() == w)
    }

    #[inline]
    pub(super) fn word(&self, i: usize) -> Option<Word> {
        let l = self.lower(i)?;
        lexicon::word(l.as_str())
    }

    /// The word class of the first hyphen segment ("sixty" of "sixty-one").
    #[inline]
    pub(super) fn seg_word(&self, i: usize) -> Option<Word> {
        if self.kind(i)? != TokenKind::Word {
            return None;
        }
        let seg = self.text(i).split(is_hyphen_char).next()?;
        lexicon::word(Lower::new(seg)?.as_str())
    }

    /// A singular fraction ("a third", "one eighth") stands before "of" or
    /// at the end of a clause, not before a noun ("a third term").
    pub(super) fn fraction_ok(&self, e: usize) -> bool {
        self.tok(e).is_none()
            || self.lw_is(e, "of")
            || matches!(self.text(e), "." | "," | ";" | "!" | "?" | ")" | ":")
    }

    /// No white space between token i-1 and token i.
    #[inline]
    pub(super) fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| !t.space_before) && i > 0
    }

    /// A line break lies between token i-1 and token i (or i is first).
    #[inline]
    pub(super) fn line_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        match (self.tok(i - 1), self.tok(i)) {
            (Some(a), Some(b)) => self.s.get(a.end..b.start).is_some_and(|g| g.contains('\n')),
            _ => true,
        }
    }

    /// Token i starts a sentence (the text layer's sentence ends), a line,
    /// a quotation, or what follows a colon or an opening bracket.
    pub(super) fn is_sentence_start(&self, i: usize) -> bool {
        if self.line_start(i) {
            return true;
        }
        let k = self.sentences.partition_point(|r| r.start < i);
        if self.sentences.get(k).is_some_and(|r| r.start == i) {
            return true;
        }
        matches!(self.text(i - 1), "\"" | "\u{201C}" | ":" | "(")
    }

    #[inline]
    pub(super) fn capitalised(&self, i: usize) -> bool {
        self.text(i).chars().next().is_some_and(char::is_uppercase)
    }

    pub(super) fn span_text(&self, a: usize, b_excl: usize) -> (usize, usize, String) {
        let start = self.tok(a).map(|t| t.start).unwrap_or(0);
        let end = b_excl
            .checked_sub(1)
            .and_then(|j| self.tok(j))
            .map(|t| t.end)
            .unwrap_or(start)
            .max(start);
        (start, end, self.s.get(start..end).unwrap_or("").to_string())
    }

    pub(super) fn base_figure(&self, kind: FigureKind, a: usize, b: usize) -> Figure {
        let (start, end, text) = self.span_text(a, b);
        Figure {
            kind: Some(kind),
            text,
            start,
            end,
            ..Figure::default()
        }
    }

    pub(super) fn run(&self, out: &mut Vec<Figure>) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let next = match self.toks[i].kind {
                TokenKind::Number => self.at_number(i, out),
                TokenKind::Punct => self.at_punct(i, out),
                TokenKind::Word => self.at_word(i, out),
                _ => None,
            };
            i = match next {
                Some(j) if j > i => j,
                _ => i + 1,
            };
        }
    }

    pub(super) fn at_number(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        if let Some(j) = self.url_chunk_end(i) {
            return Some(j);
        }
        // glued to a word before ("abc-12" is one token already; "x.5")
        if self.glued(i) {
            let pk = self.kind(i - 1);
            let pt = self.text(i - 1);
            if pk == Some(TokenKind::Word) || pk == Some(TokenKind::Number) {
                return Some(i + 1);
            }
            if matches!(pt, "/" | ":" | "." | "#" | "@" | "_" | "=" | "^") {
                return Some(i + 1);
            }
        }
        if let Some(j) = self.phone_end(i) {
            return Some(j);
        }
        // markup attributes (id="123") and long identifiers are not figures
        if i >= 2 && self.glued(i) && self.glued(i - 1) && self.text(i - 2) == "=" {
            return Some(i + 1);
        }
        if self.text(i).len() > 15 && self.text(i).bytes().all(|b| b.is_ascii_digit()) {
            return Some(i + 1);
        }
        let text = self.text(i);
        // ISO date "2025-03-03"
        let b = text.as_bytes();
        if b.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
            let y = text.get(0..4).and_then(|x| x.parse().ok());
            let m = text.get(5..7).and_then(|x| x.parse().ok());
            let d = text.get(8..10).and_then(|x| x.parse().ok());
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if let Some(date) = dates::ymd(y, m, d) {
                    let mut f = self.base_figure(FigureKind::Date, i, i + 1);
                    f.date = Some(dates::iso(date));
                    out.push(f);
                }
            }
            return Some(i + 1);
        }
        // fractions and numeric dates: "3/4", "03/03/2025"
        if self.text(i + 1) == "/"
            && self.glued(i + 1)
            && self.kind(i + 2) == Some(TokenKind::Number)
            && self.glued(i + 2)
        {
            let n = split_numeral(text);
            let d = split_numeral(self.text(i + 2));
            let single = !(self.text(i + 3) == "/" && self.glued(i + 3));
            if let (Some((nv, _, true, "", None)), Some((dv, _, true, "", None))) = (n, d) {
                // common denominators only: "9/11" and "3/12" are dates
                let common = [2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 16.0, 100.0].contains(&dv);
                let date_prep = i > 0
                    && self.lower(i - 1).is_some_and(|l| {
                        matches!(l.as_str(), "on" | "since" | "until" | "by" | "from")
                    });
                if single && nv < dv && common && !date_prep {
                    let neg = i > 0
                        && matches!(self.text(i - 1), "-" | "\u{2212}")
                        && self.glued(i)
                        && (i == 1 || self.tok(i - 1).is_some_and(|t| t.space_before));
                    let a = if neg { i - 1 } else { i };
                    let mut f = self.base_figure(FigureKind::Quantity, a, i + 3);
                    f.value = Some(if neg { -nv / dv } else { nv / dv });
                    self.apply_qualifier(&mut f, a);
                    f.context = self.context_after(i + 3);
                    out.push(f);
                    return Some(i + 3);
                }
            }
            let mut j = i + 3;
            while self.text(j) == "/"
                && self.glued(j)
                && self.kind(j + 1) == Some(TokenKind::Number)
            {
                j += 2;
            }
            return Some(j);
        }
        if let Some(j) = self.comma_list(out, i) {
            return Some(j);
        }
        if let Some(num) = self.vulgar_number(i) {
            return self.number_figure(out, i, num, false);
        }
        let Some(num) = self.numeral(i) else {
            return Some(i + 1);
        };
        let suffix = num.glued.unwrap_or("");
        if let Some(j) = self.time_end(i, suffix, num.value) {
            return Some(j);
        }
        // list markers: "1." / "2)" at the start of a line
        if self.line_start(i)
            && num.plain_int
            && num.value < 100.0
            && matches!(self.text(i + 1), "." | ")")
            && self.glued(i + 1)
        {
            return Some(i + 2);
        }
        // "(1)" enumerations
        if i > 0
            && self.text(i - 1) == "("
            && self.text(i + 1) == ")"
            && num.plain_int
            && num.value < 100.0
        {
            return Some(i + 2);
        }
        // a number that is part of a name or a reference: "Windows 11", "Article 2"
        if num.plain_int
            && i > 0
            && self.kind(i - 1) == Some(TokenKind::Word)
            && self.capitalised(i - 1)
        {
            let prev = self.lower(i - 1);
            let pw = prev.as_ref().map(|l| l.as_str()).unwrap_or("");
            let is_month = matches!(lexicon::word(pw), Some(Word::Month(_)));
            let is_currency = lexicon::code_word(self.text(i - 1)).is_some();
            let has_unit = self.unit_after(&num).is_some();
            if !lexicon::is_function_word(pw) && !is_month && !is_currency && !has_unit {
                if lexicon::is_reference_word(pw) || self.text(i - 1) == "No" {
                    let mut f = self.base_figure(FigureKind::Ordinal, i - 1, i + 1);
                    f.value = Some(num.value);
                    f.unit = Some(pw.trim_end_matches('.').to_string());
                    out.push(f);
                }
                return Some(i + 1);
            }
        }
        // negative: "-5%", "minus 5"
        let mut a = i;
        let mut neg = false;
        if i > 0 && matches!(self.text(i - 1), "-" | "\u{2212}") && self.glued(i) {
            let before_is_num = i >= 2 && self.kind(i - 2) == Some(TokenKind::Number);
            let spaced = self.tok(i - 1).is_some_and(|t| t.space_before) || i == 1;
            if spaced && !before_is_num {
                neg = true;
                a = i - 1;
            }
        }
        if i > 0 && matches!(self.word(i - 1), Some(Word::Minus)) {
            neg = true;
            a = i - 1;
        }
        self.number_figure(out, a, num, neg)
    }

    pub(super) fn at_word(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let text = self.text(i);
        let bytes = text.as_bytes();
        let first = bytes.first().copied()?;
        // fast exit: no known word is longer than 9 letters ("september"),
        // so a long word matters only with a digit or a hyphen in it
        let has_digit = bytes.iter().any(u8::is_ascii_digit);
        if bytes.len() > 9 && !has_digit && !bytes.contains(&b'-') {
            return None;
        }
        if has_digit {
            return self.glued_code_amount(out, i);
        }
        if text.len() <= 4 {
            if let Some((code, m)) = lexicon::code_word(text) {
                return self.code_before_amount(out, i, code, m);
            }
        }
        if !first.is_ascii_alphabetic() {
            if text == "元" {
                return None;
            }
            return None;
        }
        let w = match self.word(i) {
            Some(w) => w,
            None => {
                // "fifty-two", "one-yen": classify by the first segment
                let seg = text.split(is_hyphen_char).next().unwrap_or("");
                if seg.len() == text.len() {
                    return None;
                }
                match Lower::new(seg).and_then(|l| lexicon::word(l.as_str()))? {
                    w @ (Word::Unit(_) | Word::Tens(_)) => w,
                    _ => return None,
                }
            }
        };
        // spelled fractions ("a fifth", "three twenty-firsts") and digit
        // words ("five-nine-two"); capitalised only at a sentence start
        if matches!(w, Word::Unit(_) | Word::Tens(_) | Word::A)
            && (!self.capitalised(i) || self.is_sentence_start(i))
        {
            if let Some(j) = self.fraction_figure(out, i) {
                return Some(j);
            }
            if w != Word::A {
                if let Some(j) = self.digit_words(out, i) {
                    return Some(j);
                }
            }
        }
        match w {
            Word::Unit(_) | Word::Tens(_) | Word::A | Word::Half | Word::Quarter => {
                self.at_number_word(out, i, w)
            }
            Word::Minus => {
                // handled when the number after it is reached
                if self.kind(i + 1) == Some(TokenKind::Word) {
                    if let Some(j) = self.fraction_figure(out, i + 1) {
                        return Some(j);
                    }
                    let num = self.words_number(i + 1)?;
                    return self.number_figure(out, i, num, true);
                }
                None
            }
            Word::Month(m) => self.at_month(out, i, m),
            Word::Percent => self.percent_of(out, i),
            Word::Weekday(wd) => self.at_weekday(out, i, wd),
            Word::RelDay(_) if text.len() > 1 && text.bytes().all(|b| b.is_ascii_uppercase()) => {
                None // "USA TODAY"
            }
            Word::RelDay(d) => {
                let date = self.published.and_then(|p| dates::rel_day(p, d));
                Some(self.emit_relative(out, i, i + 1, date))
            }
            Word::RelMod(m) => self.at_rel_period(out, i, m),
            Word::Between => self.at_between(out, i),
            _ => None,
        }
    }

    /// A number spelled in words at token i (the first word classified `w`).
    pub(super) fn at_number_word(&self, out: &mut Vec<Figure>, i: usize, w: Word) -> Option<usize> {
        // capitalised number words only at a sentence start ("Formula One")
        if self.capitalised(i) && !self.is_sentence_start(i) {
            return None;
        }
        let Some(num) = self.words_number(i) else {
            return self.bare_half(out, i, w);
        };
        if let Some(g) = num.glued {
            // "one-yen", "five-year", "one-eighth"
            if let Some(l) = Lower::new(g) {
                let den = lexicon::denominator(l.as_str(), num.value == 1.0)
                    .filter(|_| num.value != 1.0 || self.fraction_ok(num.end));
                if let Some(den) = den {
                    let mut f = self.base_figure(FigureKind::Quantity, i, num.end);
                    f.value = Some(num.value / den);
                    out.push(f);
                    return Some(num.end);
                }
                if let Some(base) = lexicon::currency_name(l.as_str()) {
                    let u = self.money_unit(base, num.end);
                    return Some(self.emit_money(
                        out,
                        i,
                        &num,
                        u.unit.unwrap_or_default(),
                        u.mult,
                        false,
                        u.end,
                    ));
                }
            }
            return Some(num.end);
        }
        let a = if i > 0 && matches!(self.word(i - 1), Some(Word::Minus)) {
            i - 1
        } else {
            i
        };
        self.number_figure(out, a, num, a != i)
    }
}
