//! Figures: money, percentages and percentage points, counts with their
//! noun, years, dates (resolved against `published_at`), ranges, ordinal
//! references, each normalised (value, ISO 4217 currency, unit, qualifier,
//! bound) with the phrase it quantifies; bare quantities: fractions spelled
//! or written ("three fifths", "2½", `fractions`), ratios ("two out of
//! five"), notations (`notation`), and runs of listed numbers (`sequences`).
//!
//! The scanner walks the text layer's tokens once and only does work at a
//! trigger: a numeral, a number word, a currency symbol or code, a month,
//! weekday or relative-date word, "between" or "minus". Everything else
//! costs one `match` on the token kind (and, for short ASCII words, one
//! table lookup). Not figures: phone numbers, times of day, list markers,
//! numbers inside words or URLs, numbers that are part of a name
//! ("Windows 11"); "Article 2" is an `ordinal` reference.

mod dates;
mod fractions;
mod lexicon;
mod notation;
mod sequences;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;

use super::Document;
use crate::output::{Figure, FigureKind};
use crate::text::{Token, TokenKind};
use lexicon::{Lower, Period, Word, QUALIFIER_WORDS};

/// Extract the figures of `doc`, in text order, non-overlapping.
pub fn extract(doc: &Document) -> Vec<Figure> {
    let sc = Scanner {
        s: &doc.body,
        toks: &doc.layer.tokens,
        published: dates::published_date(doc.published_at.as_deref()),
        dollar: OnceCell::new(),
    };
    let mut out = Vec::new();
    sc.run(&mut out);
    notation::scan(&doc.body, &mut out);
    out.retain(|f| {
        f.value.is_none_or(f64::is_finite)
            && f.low.is_none_or(f64::is_finite)
            && f.high.is_none_or(f64::is_finite)
    });
    out.sort_by_key(|f| (f.start, f.end));
    notation::merge(&doc.body, &mut out);
    let mut last_end = 0;
    out.retain(|f| {
        let keep = f.start >= last_end;
        if keep {
            last_end = f.end;
        }
        keep
    });
    out
}

/// A parsed numeral or number-word phrase.
#[derive(Debug, Clone, Copy, Default)]
struct Num<'a> {
    value: f64,
    /// Token range of the number itself (scale words included).
    start: usize,
    end: usize,
    /// Written with digits.
    digits: bool,
    /// Digits only: no grouping, decimals, suffix or scale word.
    plain_int: bool,
    /// A scale word or suffix was applied.
    scaled: bool,
    /// `10-15` inside one token.
    range: Option<(f64, f64)>,
    /// Letters glued to the numeral ("115USD", "180ml") or the word after
    /// a hyphen ("12-cent", "one-yen", "300-strong").
    glued: Option<&'a str>,
    /// Number of integer digits (for year detection).
    int_digits: usize,
}

/// What follows a number and makes it a figure of a given kind.
#[derive(Debug, Clone)]
struct UnitAfter {
    kind: FigureKind,
    unit: Option<String>,
    /// Multiplier applied to the value (cents -> dollars, "MUSD").
    mult: f64,
    /// Token index after the unit.
    end: usize,
}

struct Scanner<'a> {
    s: &'a str,
    toks: &'a [Token],
    published: Option<time::Date>,
    /// The article's default for `$` (USD unless it speaks of another dollar).
    dollar: OnceCell<&'static str>,
}

/// A figure of `kind` with only its text, offsets and value (no unit):
/// `None` when the offsets are not char boundaries of `body`.
fn bare_figure(
    kind: FigureKind,
    body: &str,
    start: usize,
    end: usize,
    value: f64,
) -> Option<Figure> {
    Some(Figure {
        kind: Some(kind),
        text: body.get(start..end)?.to_string(),
        start,
        end,
        value: Some(value),
        ..Figure::default()
    })
}

fn is_hyphen_char(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

fn is_dash_text(t: &str) -> bool {
    matches!(t, "-" | "\u{2013}" | "\u{2014}" | "\u{2012}" | "\u{2010}")
}

/// Parse plain digits with optional thousands grouping (`1,234,567`, Indian
/// `12,34,567`) and one decimal point. `None` for anything else.
fn parse_digits(t: &str) -> Option<(f64, usize, bool)> {
    if t.is_empty() || !t.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    let (int, frac) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let groups: Vec<&str> = int.split(',').collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if let (None, [whole, dec]) = (frac, groups.as_slice()) {
        // a decimal comma: "1,3", "5,00" (a group of three is thousands)
        if whole.len() <= 3 && dec.len() <= 2 {
            let v: f64 = format!("{whole}.{dec}").parse().ok()?;
            return Some((v, whole.len(), false));
        }
    }
    if groups.len() > 1 {
        let first = groups.first()?.len();
        let last = groups.last()?.len();
        let middle_ok = groups
            .get(1..groups.len() - 1)?
            .iter()
            .all(|g| g.len() == 3)
            || groups
                .get(1..groups.len() - 1)?
                .iter()
                .all(|g| g.len() == 2);
        if first > 3 || last != 3 || !middle_ok {
            return None;
        }
    }
    let clean: String = t.chars().filter(|c| *c != ',').collect();
    let v: f64 = clean.parse().ok()?;
    let int_digits = int.bytes().filter(u8::is_ascii_digit).count();
    let plain = groups.len() == 1 && frac.is_none();
    Some((v, int_digits, plain))
}

/// Split a numeral token into the number and what is glued after it.
/// Returns (value, int_digits, plain, suffix letters, hyphen tail).
fn split_numeral(t: &str) -> Option<(f64, usize, bool, &str, Option<&str>)> {
    let (head, tail) = match t.char_indices().find(|(_, c)| is_hyphen_char(*c)) {
        Some((i, c)) => (t.get(..i)?, Some(t.get(i + c.len_utf8()..)?)),
        None => (t, None),
    };
    let num_end = head
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(head.len());
    let (digits, suffix) = head.split_at(num_end);
    let (v, nd, plain) = parse_digits(digits)?;
    Some((v, nd, plain, suffix, tail))
}

impl<'a> Scanner<'a> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }
    fn text(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.text(self.s)).unwrap_or("")
    }
    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }
    fn lower(&self, i: usize) -> Option<Lower<'a>> {
        match self.kind(i)? {
            TokenKind::Word | TokenKind::Clitic => Lower::new(self.text(i)),
            _ => None,
        }
    }
    fn lw_is(&self, i: usize, w: &str) -> bool {
        self.lower(i).is_some_and(|l| l.as_str() == w)
    }
    fn word(&self, i: usize) -> Option<Word> {
        let l = self.lower(i)?;
        lexicon::word(l.as_str())
    }
    /// The word class of the first hyphen segment ("sixty" of "sixty-one").
    fn seg_word(&self, i: usize) -> Option<Word> {
        if self.kind(i)? != TokenKind::Word {
            return None;
        }
        let seg = self.text(i).split(is_hyphen_char).next()?;
        lexicon::word(Lower::new(seg)?.as_str())
    }
    /// A singular fraction ("a third", "one eighth") stands before "of" or
    /// at the end of a clause, not before a noun ("a third term").
    fn fraction_ok(&self, e: usize) -> bool {
        self.tok(e).is_none()
            || self.lw_is(e, "of")
            || matches!(self.text(e), "." | "," | ";" | "!" | "?" | ")" | ":")
    }
    /// No white space between token i-1 and token i.
    fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| !t.space_before) && i > 0
    }
    /// A line break lies between token i-1 and token i (or i is first).
    fn line_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        match (self.tok(i - 1), self.tok(i)) {
            (Some(a), Some(b)) => self.s.get(a.end..b.start).is_some_and(|g| g.contains('\n')),
            _ => true,
        }
    }
    fn is_sentence_start(&self, i: usize) -> bool {
        if self.line_start(i) {
            return true;
        }
        matches!(
            self.text(i - 1),
            "." | "!" | "?" | "\"" | "\u{201C}" | ":" | "("
        )
    }
    fn capitalised(&self, i: usize) -> bool {
        self.text(i).chars().next().is_some_and(char::is_uppercase)
    }
    fn span_text(&self, a: usize, b_excl: usize) -> (usize, usize, String) {
        let start = self.tok(a).map(|t| t.start).unwrap_or(0);
        let end = b_excl
            .checked_sub(1)
            .and_then(|j| self.tok(j))
            .map(|t| t.end)
            .unwrap_or(start)
            .max(start);
        (start, end, self.s.get(start..end).unwrap_or("").to_string())
    }

    fn run(&self, out: &mut Vec<Figure>) {
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

    // ---------------------------------------------------------------- guards

    /// The white-space-delimited chunk around token i looks like a URL,
    /// e-mail address or path: returns the token index after it.
    fn url_chunk_end(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let bytes = self.s.as_bytes();
        let mut a = t.start;
        let lim_a = t.start.saturating_sub(256);
        while a > lim_a && !bytes.get(a - 1).is_none_or(|b| b.is_ascii_whitespace()) {
            a -= 1;
        }
        let mut b = t.end;
        let lim_b = (t.end + 256).min(bytes.len());
        while b < lim_b && !bytes.get(b).is_none_or(|c| c.is_ascii_whitespace()) {
            b += 1;
        }
        let chunk = self.s.get(a..b)?;
        let is_url = chunk.contains("://")
            || chunk.contains("www.")
            || (chunk.contains('@') && chunk.contains('.'))
            || chunk.matches('/').count() >= 2 && !chunk.contains('$');
        if !is_url {
            return None;
        }
        let mut j = i;
        while self.tok(j).is_some_and(|t| t.start < b) {
            j += 1;
        }
        Some(j)
    }

    /// A telephone number starting at token i (or a `+`/`(` just before).
    fn phone_end(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let bytes = self.s.as_bytes();
        let mut plus = false;
        let mut paren = false;
        if i > 0 && self.glued(i) {
            match self.text(i - 1) {
                "+" => plus = true,
                "(" => paren = true,
                _ => {}
            }
        }
        let mut b = t.start;
        let mut digits = 0usize;
        let mut groups: Vec<usize> = Vec::new();
        let mut cur = 0usize;
        let mut seps_dash = false;
        let mut seps_dot = false;
        let mut last_digit_end = b;
        let limit = (t.start + 40).min(bytes.len());
        while b < limit {
            let c = bytes.get(b).copied().unwrap_or(b'x');
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    cur += 1;
                    last_digit_end = b + 1;
                }
                b'-' | b'.' | b' ' | b'(' | b')' => {
                    if cur > 0 {
                        groups.push(cur);
                        cur = 0;
                    }
                    // a separator must be followed (soon) by a digit
                    let next_digit = bytes
                        .get(b + 1..(b + 3).min(bytes.len()))
                        .is_some_and(|w| w.iter().any(u8::is_ascii_digit));
                    if !next_digit {
                        break;
                    }
                    match c {
                        b'-' => seps_dash = true,
                        b'.' => seps_dot = true,
                        b')' | b'(' => paren = true,
                        _ => {}
                    }
                }
                _ => break,
            }
            b += 1;
        }
        if cur > 0 {
            groups.push(cur);
        }
        let g = groups.len();
        if digits < 7 || g < 2 {
            return None;
        }
        let first = groups.first().copied().unwrap_or(0);
        let thousands = first <= 3 && groups.iter().skip(1).all(|&x| x == 3);
        let phone = if plus || paren {
            true
        } else if seps_dash || seps_dot {
            let years = g == 2 && groups.iter().all(|&x| x == 4);
            let decimal = g == 2 && seps_dot && !seps_dash;
            let iso_date = g == 3 && groups == [4, 2, 2];
            !(years || decimal || iso_date)
        } else {
            g >= 3 && digits >= 9 && !thousands
        };
        if !phone {
            return None;
        }
        let mut j = i;
        while self.tok(j).is_some_and(|t| t.start < last_digit_end) {
            j += 1;
        }
        Some(j)
    }

    /// A time of day at token i ("10:30", "3pm", "3 p.m.", "5 o'clock").
    fn time_end(&self, i: usize, suffix: &str, value: f64) -> Option<usize> {
        let l = suffix.to_ascii_lowercase();
        if matches!(
            l.as_str(),
            "am" | "pm" | "a.m" | "p.m" | "h" | "hrs" | "gmt" | "bst" | "utc"
        ) && value <= 24.0
        {
            return Some(i + 1);
        }
        if self.text(i + 1) == ":"
            && self.glued(i + 1)
            && self.kind(i + 2) == Some(TokenKind::Number)
            && self.glued(i + 2)
        {
            let mut j = i + 3;
            while self.text(j) == ":" && self.kind(j + 1) == Some(TokenKind::Number) {
                j += 2;
            }
            if let Some(l) = self.lower(j) {
                if matches!(
                    l.as_str(),
                    "am" | "pm" | "a.m." | "p.m." | "gmt" | "utc" | "et" | "bst"
                ) {
                    j += 1;
                }
            }
            return Some(j);
        }
        if value <= 24.0 && value.fract() == 0.0 {
            if let Some(l) = self.lower(i + 1) {
                let w = l.as_str();
                if matches!(w, "a.m." | "p.m." | "pm" | "o'clock" | "a.m" | "p.m")
                    || (w == "am" && self.lower(i + 2).is_none_or(|x| x.as_str() != "i"))
                {
                    let mut j = i + 2;
                    if self.text(j) == "." && self.glued(j) && w.len() <= 3 {
                        j += 1;
                    }
                    return Some(j);
                }
            }
        }
        None
    }

    // ------------------------------------------------------------- numbers

    /// Parse the numeral at token i with the scale words after it.
    fn numeral(&self, i: usize) -> Option<Num<'a>> {
        let t = self.text(i);
        let (mut v, nd, plain, suffix, tail) = split_numeral(t)?;
        let mut num = Num {
            value: v,
            start: i,
            end: i + 1,
            digits: true,
            plain_int: plain && suffix.is_empty() && tail.is_none(),
            int_digits: nd,
            ..Num::default()
        };
        let exponent = suffix
            .strip_prefix(['e', 'E'])
            .filter(|d| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<i32>().ok());
        if !suffix.is_empty() {
            if let Some(m) = lexicon::scale_suffix(suffix) {
                v *= m;
                num.scaled = true;
            } else if let Some(x) = exponent.filter(|_| tail.is_none()) {
                // scientific notation: "1.3e6"
                v *= 10f64.powi(x);
                num.scaled = true;
            } else {
                num.glued = Some(suffix);
            }
        }
        if let Some(tail) = tail {
            // "10-15", "10-15bn", "12-cent-a-share", "300-strong"
            let seg = tail.split(|c: char| is_hyphen_char(c)).next().unwrap_or("");
            if seg.starts_with(|c: char| c.is_ascii_digit()) {
                let (hi, _, _, hsuf, htail) = split_numeral(tail)?;
                if htail.is_some() {
                    return None;
                }
                let mut m = 1.0;
                if !hsuf.is_empty() {
                    m = lexicon::scale_suffix(hsuf)?;
                    num.scaled = true;
                }
                let lo_m = if suffix.is_empty() { m } else { 1.0 };
                num.range = Some((v * lo_m, hi * m));
            } else if num.glued.is_none() {
                num.glued = Some(seg);
            }
        }
        num.value = v;
        // Thousands grouped by spaces: "40 000", "1 234 567".
        if plain && suffix.is_empty() && tail.is_none() && nd <= 3 {
            let mut j = i + 1;
            let mut acc = t.to_string();
            while let Some(nt) = self.tok(j) {
                let txt = self.text(j);
                let sep = self.s.get(self.toks[j - 1].end..nt.start).unwrap_or("");
                let sep_ok = matches!(sep, " " | "\u{202F}" | "\u{2009}" | "\u{00A0}");
                if nt.kind == TokenKind::Number
                    && sep_ok
                    && txt.len() == 3
                    && txt.bytes().all(|b| b.is_ascii_digit())
                    && self.text(j + 1) != "-"
                {
                    acc.push_str(txt);
                    j += 1;
                } else if nt.kind == TokenKind::Number
                    && sep_ok
                    && j > i + 1
                    && txt.len() > 3
                    && txt
                        .get(..3)
                        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_digit()))
                    && txt.as_bytes().get(3) == Some(&b'.')
                {
                    acc.push_str(txt);
                    j += 1;
                    break;
                } else {
                    break;
                }
            }
            // Only a group of 3 after a 1-3 digit head, and not a list of
            // numbers ("50 50 dollar bills" has a 2-digit second group).
            if j > i + 1 {
                if let Ok(x) = acc.parse::<f64>() {
                    num.value = x;
                    num.end = j;
                    num.plain_int = false;
                    v = x;
                }
            }
        }
        let _ = v;
        self.scales(num)
    }

    /// Apply the scale words after a number: "1.5 million", "three lakh
    /// crore", "322 hundred", "2 dozen".
    fn scales(&self, mut num: Num<'a>) -> Option<Num<'a>> {
        let mut j = num.end;
        let mut applied = false;
        loop {
            match self.word(j) {
                Some(Word::Scale(s)) => {
                    num.value *= s;
                    num.range = num.range.map(|(a, b)| (a * s, b * s));
                }
                Some(Word::ScaleAbbr(s)) if num.digits => {
                    num.value *= s;
                    num.range = num.range.map(|(a, b)| (a * s, b * s));
                }
                Some(Word::Hundred) if !applied && num.value < 1000.0 => {
                    num.value *= 100.0;
                }
                Some(Word::Dozen) if num.value < 1000.0 => {
                    num.value *= 12.0;
                }
                _ => break,
            }
            applied = true;
            j += 1;
        }
        if applied {
            num.scaled = true;
            num.plain_int = false;
            num.end = j;
        }
        Some(num)
    }

    /// Parse a spelled-out number starting at token i ("twenty-five",
    /// "two million", "a dozen", "half a million", "one hundred and six",
    /// "two hundred point zero three").
    fn words_number(&self, i: usize) -> Option<Num<'a>> {
        let mut total = 0.0f64;
        let mut cur = 0.0f64;
        let mut any = false;
        let mut prev: Option<Word> = None;
        let mut j = i;
        let mut end = i;
        let mut glued: Option<&'a str> = None;
        let mut mult = 1.0f64;
        let mut scaled = false;
        // what was added to `cur` since its last hundred ("two" of "three
        // hundred and two dozen")
        let mut low = 0.0f64;
        // leading "a"/"an", "half (a)", "(a) quarter"
        loop {
            match self.word(j) {
                Some(Word::A) if !any && prev.is_none() => match self.word(j + 1) {
                    Some(Word::Hundred | Word::Scale(_) | Word::Dozen | Word::Quarter) => {
                        cur = 1.0;
                        any = true;
                        prev = Some(Word::A);
                        j += 1;
                        continue;
                    }
                    _ => return None,
                },
                Some(Word::Half) if prev.is_none() || prev == Some(Word::A) => {
                    let k = if self.word(j + 1) == Some(Word::A) {
                        j + 2
                    } else {
                        j + 1
                    };
                    match self.word(k) {
                        Some(Word::Scale(_) | Word::Dozen) => {
                            mult = 0.5;
                            cur = 1.0;
                            any = true;
                            prev = Some(Word::A);
                            j = k;
                            continue;
                        }
                        _ => return None,
                    }
                }
                Some(Word::Quarter) if prev.is_none() || prev == Some(Word::A) => {
                    match self.word(j + 1) {
                        Some(Word::Scale(_)) => {
                            mult = 0.25;
                            cur = 1.0;
                            any = true;
                            prev = Some(Word::A);
                            j += 1;
                            continue;
                        }
                        _ => return None,
                    }
                }
                _ => {}
            }
            break;
        }
        'outer: while let Some(t) = self.tok(j) {
            if t.kind != TokenKind::Word {
                // "fifty - two" (tokenised hyphen) only between tens and a unit
                if is_dash_text(self.text(j))
                    && matches!(prev, Some(Word::Tens(_)))
                    && matches!(self.word(j + 1), Some(Word::Unit(u)) if (1.0..10.0).contains(&u))
                {
                    j += 1;
                    continue;
                }
                break;
            }
            let text = self.text(j);
            let segs = text.split(is_hyphen_char);
            let nseg = text.split(is_hyphen_char).count();
            let mut consumed_any = false;
            for (si, seg) in segs.enumerate() {
                let w = Lower::new(seg).and_then(|l| lexicon::word(l.as_str()));
                let ok = match w {
                    Some(Word::Unit(u)) => match prev {
                        None | Some(Word::A) => {
                            cur += u;
                            low += u;
                            true
                        }
                        Some(Word::Tens(_)) if u < 10.0 && u > 0.0 => {
                            cur += u;
                            low += u;
                            true
                        }
                        Some(Word::Hundred | Word::Scale(_) | Word::And) => {
                            cur += u;
                            low += u;
                            true
                        }
                        _ => false,
                    },
                    Some(Word::Tens(tv)) => match prev {
                        None | Some(Word::Hundred | Word::Scale(_) | Word::And) => {
                            cur += tv;
                            low += tv;
                            true
                        }
                        _ => false,
                    },
                    Some(Word::Hundred) if any && !matches!(prev, Some(Word::Hundred)) => {
                        cur = cur.max(1.0) * 100.0;
                        low = 0.0;
                        true
                    }
                    Some(Word::Scale(s)) if any => {
                        if matches!(prev, Some(Word::Scale(_))) && cur == 0.0 {
                            total *= s;
                        } else {
                            total += cur.max(if prev == Some(Word::A) { 1.0 } else { 0.0 }) * s;
                            cur = 0.0;
                        }
                        low = 0.0;
                        scaled = true;
                        true
                    }
                    Some(Word::Dozen) if any => {
                        // "three hundred and two dozen": the dozens are the two
                        if low > 0.0 && cur > low {
                            cur += low * 11.0;
                        } else {
                            cur = cur.max(1.0) * 12.0;
                        }
                        low = 0.0;
                        true
                    }
                    Some(Word::And)
                        if nseg == 1
                            && matches!(prev, Some(Word::Hundred | Word::Scale(_)))
                            && matches!(
                                self.seg_word(j + 1),
                                Some(Word::Unit(_) | Word::Tens(_))
                            ) =>
                    {
                        true
                    }
                    Some(Word::Point)
                        if nseg == 1
                            && any
                            && matches!(
                                self.seg_word(j + 1),
                                Some(Word::Unit(_) | Word::Tens(_))
                            ) =>
                    {
                        // decimals read digit by digit
                        let mut frac = String::new();
                        let mut k = j + 1;
                        while let Some(tok) = self.tok(k) {
                            if tok.kind != TokenKind::Word {
                                break;
                            }
                            let mut took = false;
                            for seg in self.text(k).split(is_hyphen_char) {
                                match Lower::new(seg).and_then(|l| lexicon::word(l.as_str())) {
                                    Some(Word::Unit(u)) => {
                                        frac.push_str(&format!("{}", u as u64));
                                        took = true;
                                    }
                                    Some(Word::Tens(t)) => {
                                        frac.push_str(&format!("{}", (t / 10.0) as u64));
                                        took = true;
                                    }
                                    _ => {
                                        took = false;
                                        break;
                                    }
                                }
                            }
                            if !took {
                                break;
                            }
                            k += 1;
                        }
                        if let Ok(f) = format!("0.{frac}").parse::<f64>() {
                            cur += f;
                        }
                        end = k;
                        any = true;
                        break 'outer;
                    }
                    _ => false,
                };
                if !ok {
                    // "one-yen", "five-year": the last segment is a word
                    if si > 0 && si == nseg - 1 && consumed_any {
                        glued = Some(seg);
                        end = j + 1;
                    }
                    break 'outer;
                }
                if w != Some(Word::And) {
                    any = true;
                }
                consumed_any = true;
                prev = w;
            }
            j += 1;
            if prev != Some(Word::And) {
                end = j;
            }
        }
        if !any || end <= i {
            return None;
        }
        // a trailing "and" was not consumed
        let value = (total + cur) * mult;
        if value == 0.0 && !matches!(self.word(i), Some(Word::Unit(_))) {
            return None;
        }
        Some(Num {
            value,
            start: i,
            end,
            digits: false,
            plain_int: false,
            scaled,
            range: None,
            glued,
            int_digits: 0,
        })
    }

    /// A number (numeral or words) at token i.
    fn number_at(&self, i: usize) -> Option<Num<'a>> {
        match self.kind(i)? {
            TokenKind::Number => self.numeral(i),
            TokenKind::Word => self.words_number(i),
            _ => None,
        }
    }

    // --------------------------------------------------------------- units

    fn dollar_default(&self) -> &'static str {
        self.dollar.get_or_init(|| {
            let s = self.s;
            let mentions_us =
                s.contains("US$") || s.contains("U.S. dollar") || s.contains("US dollar");
            if mentions_us {
                return "USD";
            }
            for (pat, code) in [
                ("Canadian dollar", "CAD"),
                ("C$", "CAD"),
                ("Australian dollar", "AUD"),
                ("A$", "AUD"),
                ("New Zealand dollar", "NZD"),
                ("NZ$", "NZD"),
                ("Hong Kong dollar", "HKD"),
                ("HK$", "HKD"),
                ("Singapore dollar", "SGD"),
                ("S$", "SGD"),
                ("Taiwan dollar", "TWD"),
                ("NT$", "TWD"),
            ] {
                if s.contains(pat) {
                    return code;
                }
            }
            "USD"
        })
    }

    fn resolve_code(&self, code: &str) -> String {
        if code == "$" {
            self.dollar_default().to_string()
        } else {
            code.to_string()
        }
    }

    /// A currency name at token j, with up to two adjective words before
    /// the base ("australian dollars", "hong kong dollars"). Returns the
    /// code and the token index after it.
    fn currency_name_at(&self, j: usize, after_scale: bool) -> Option<(String, usize)> {
        let w1 = self.lower(j)?;
        let w1 = w1.as_str();
        if let Some(base) = lexicon::currency_name(w1) {
            if lexicon::name_needs_adjective(w1) && !after_scale {
                return None;
            }
            // "pounds of beef" is a weight
            if base == "GBP" && self.lw_is(j + 1, "of") && !after_scale {
                return None;
            }
            return Some((self.resolve_code(base), j + 1));
        }
        let (adj, k) = if lexicon::is_two_word_adjective_head(w1) {
            let w2 = self.lower(j + 1)?;
            (w2, j + 2)
        } else {
            (Lower::new(w1)?, j + 1)
        };
        let bw = self.lower(k)?;
        let base = lexicon::currency_name(bw.as_str())?;
        let a = adj.as_str();
        let code = lexicon::adjective_currency(a, base).or_else(|| {
            // "u.s. dollars": the tokeniser keeps "u.s." as one word
            if a == "u.s" || a == "us" {
                lexicon::adjective_currency("us", base)
            } else {
                None
            }
        })?;
        Some((code.to_string(), k + 1))
    }

    /// What follows the number ending at token `e`: a percent sign or word,
    /// a currency, or nothing.
    fn unit_after(&self, num: &Num<'a>) -> Option<UnitAfter> {
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

    fn percent_unit(&self, end: usize) -> UnitAfter {
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

    fn money_unit(&self, base: &str, end: usize) -> UnitAfter {
        self.money_unit_code(self.resolve_code(base), end)
    }

    /// Cents and pence become fractions of the dollar / pound.
    fn money_unit_code(&self, code: String, end: usize) -> UnitAfter {
        match code.as_str() {
            "cent" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some(self.dollar_default().to_string()),
                mult: 0.01,
                end,
            },
            "penny" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some("GBP".into()),
                mult: 0.01,
                end,
            },
            "satoshi" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some("BTC".into()),
                mult: 1e-8,
                end,
            },
            _ => UnitAfter {
                kind: FigureKind::Money,
                unit: Some(code),
                mult: 1.0,
                end,
            },
        }
    }

    // -------------------------------------------------------- qualifiers

    /// Qualifier words ending right before token `start`.
    fn qualifier(&self, start: usize) -> Option<(usize, &'static str, bool, Option<&'static str>)> {
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

    fn apply_qualifier(&self, f: &mut Figure, start_tok: usize) {
        if let Some((q, _, approx, bound)) = self.qualifier(start_tok) {
            let (_, _, text) = self.span_text(q, start_tok);
            f.qualifier = Some(text);
            f.approximate = approx;
            f.bound = bound.map(str::to_string);
        }
    }

    // ----------------------------------------------------------- context

    /// The phrase after a figure: "of the world's critical raw materials".
    fn context_after(&self, e: usize) -> Option<String> {
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
    fn context_before(&self, start: usize) -> Option<String> {
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
    fn counted_noun(&self, e: usize) -> Option<(String, String, usize)> {
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

    // ------------------------------------------------------------ emitters

    fn base_figure(&self, kind: FigureKind, a: usize, b: usize) -> Figure {
        let (start, end, text) = self.span_text(a, b);
        Figure {
            kind: Some(kind),
            text,
            start,
            end,
            ..Figure::default()
        }
    }

    /// Cents after a whole amount: "3 dollars 50 cents", "thirteen dollars
    /// and forty-five cents", "$100 and fifty".
    fn cents_after(&self, value: f64, unit: &str, e: usize) -> Option<(f64, usize)> {
        if value.fract() != 0.0 || value >= 1e6 {
            return None;
        }
        let mut j = e;
        if self.lw_is(j, "and") {
            j += 1;
        }
        let n = self.number_at(j)?;
        if n.range.is_some()
            || n.glued.is_some()
            || n.scaled
            || n.value >= 100.0
            || n.value.fract() != 0.0
        {
            return None;
        }
        let k = n.end;
        if let Some(l) = self.lower(k) {
            if matches!(l.as_str(), "cent" | "cents" | "pence" | "p") {
                return Some((n.value / 100.0, k + 1));
            }
        }
        // a bare amount only at the end of the clause
        let at_end =
            self.tok(k).is_none() || matches!(self.text(k), "." | "," | ";" | "!" | "?" | ")");
        if at_end && (!unit.is_empty() || j > e) {
            return Some((n.value / 100.0, k));
        }
        None
    }

    /// Emit a money figure from prefix token `a`, number `num`, currency
    /// `code` (already resolved) and multiplier; returns the next token.
    #[allow(clippy::too_many_arguments)]
    fn emit_money(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        code: String,
        mult: f64,
        neg: bool,
        mut end: usize,
    ) -> usize {
        let sign = if neg { -1.0 } else { 1.0 };
        let mut f = self.base_figure(FigureKind::Money, a, end);
        if let Some((lo, hi)) = num.range {
            f.kind = Some(FigureKind::Range);
            f.low = Some(sign * lo * mult);
            f.high = Some(sign * hi * mult);
        } else {
            let mut v = num.value * mult;
            if !num.scaled && mult == 1.0 {
                if let Some((c, e2)) = self.cents_after(num.value, &code, end) {
                    v += c;
                    end = e2;
                    f = self.base_figure(FigureKind::Money, a, end);
                }
            }
            f.value = Some(sign * v);
        }
        // a second end of a range: "$10 to $15 billion", "$10bn-$15bn"
        if f.kind == Some(FigureKind::Money) {
            if let Some((hi, e2)) = self.range_tail(end, &code) {
                let lo = num.value * mult;
                f = self.base_figure(FigureKind::Range, a, e2);
                let hi_v = hi.value * if hi.scaled { 1.0 } else { mult };
                // "$10 to 15 billion": the scale of the second applies to both
                let lo_v = if !num.scaled && hi.scaled && num.value < hi.value {
                    num.value * (hi_v / hi.value)
                } else {
                    lo
                };
                f.low = Some(sign * lo_v);
                f.high = Some(sign * hi_v);
                end = e2;
            }
        }
        f.unit = Some(code);
        self.apply_qualifier(&mut f, a);
        f.context = self.context_after(end).or_else(|| self.context_before(a));
        out.push(f);
        end
    }

    /// "to $15 billion" / "- 15" / "and 15" after a money amount.
    fn range_tail(&self, e: usize, code: &str) -> Option<(Num<'a>, usize)> {
        let c = self.text(e);
        let conn =
            is_dash_text(c) || matches!(self.lower(e).map(|l| l.as_str() == "to"), Some(true));
        if !conn {
            return None;
        }
        let mut j = e + 1;
        if let Some(ch) = self.text(j).chars().next() {
            if lexicon::symbol_currency(ch).is_some() {
                j += 1;
            }
        }
        if self.kind(j) != Some(TokenKind::Number) {
            return None;
        }
        // "to" needs an explicit currency on the second amount or a shared scale
        let n = self.numeral(j)?;
        if n.range.is_some() {
            return None;
        }
        let mut end = n.end;
        if let Some(u) = self.unit_after(&n) {
            if u.kind != FigureKind::Money || u.unit.as_deref() != Some(code) {
                return None;
            }
            end = u.end;
        }
        let _ = code;
        Some((n, end))
    }

    /// "2.33 k", "1,674.5 G": a lone scale letter after a numeral (k, M,
    /// G; not "K", a kelvin) where the clause ends.
    fn spaced_scale_letter(&self, mut num: Num<'a>) -> Num<'a> {
        if !num.digits || num.scaled || num.glued.is_some() || num.range.is_some() {
            return num;
        }
        let m = match self.text(num.end) {
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            _ => return num,
        };
        let e = num.end + 1;
        let spaced = self.tok(num.end).is_some_and(|t| t.space_before);
        let ends = self.tok(e).is_none()
            || matches!(self.text(e), "," | ";" | "!" | "?" | ")")
            || (self.text(e) == "." && (self.tok(e + 1).is_none() || self.line_start(e + 1)));
        if spaced && ends {
            num.value *= m;
            num.scaled = true;
            num.plain_int = false;
            num.end = e;
        }
        num
    }

    /// "one out of three", "3 out of 4 voters": the ratio as a quantity.
    fn out_of(&self, out: &mut Vec<Figure>, a: usize, num: &Num<'a>, sign: f64) -> Option<usize> {
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
    fn number_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: Num<'a>,
        neg: bool,
    ) -> Option<usize> {
        let sign = if neg { -1.0 } else { 1.0 };
        let num = self.spaced_scale_letter(num);
        if let Some(u) = self.unit_after(&num) {
            if u.kind == FigureKind::Money {
                return Some(self.emit_money(
                    out,
                    a,
                    &num,
                    u.unit.unwrap_or_default(),
                    u.mult,
                    neg,
                    u.end,
                ));
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
            return Some(u.end);
        }
        if let Some(end) = self.out_of(out, a, &num, sign) {
            return Some(end);
        }
        // "3 to 5 percent", "10 - 15 people": a range sharing the unit after
        if num.range.is_none() && !neg {
            let c = self.text(num.end);
            let conn = is_dash_text(c) || self.lw_is(num.end, "to");
            if conn && !self.lw_is(a.wrapping_sub(1), "from") {
                if let Some(second) = self.number_at(num.end + 1) {
                    if second.range.is_none() && second.value > num.value {
                        if let Some(u) = self.unit_after(&second) {
                            let mut f = self.base_figure(FigureKind::Range, a, u.end);
                            let scale = if second.scaled && !num.scaled && num.digits {
                                // "10 to 15 billion"
                                let raw =
                                    self.numeral(second.start).map(|x| x.value).unwrap_or(1.0);
                                if raw != 0.0 {
                                    second.value / raw
                                } else {
                                    1.0
                                }
                            } else {
                                1.0
                            };
                            f.low = Some(num.value * scale * u.mult);
                            f.high = Some(second.value * u.mult);
                            f.unit = u.unit;
                            self.apply_qualifier(&mut f, a);
                            f.context = self.context_after(u.end);
                            out.push(f);
                            return Some(u.end);
                        }
                    }
                }
            }
        }
        // day + month: "3 March 2025", "3rd of March"
        if num.digits
            && num.value >= 1.0
            && num.value <= 31.0
            && num.value.fract() == 0.0
            && num.range.is_none()
        {
            let ord = num
                .glued
                .is_some_and(|g| matches!(g, "st" | "nd" | "rd" | "th"));
            if num.plain_int || ord {
                let mut j = num.end;
                if ord && self.lw_is(j, "of") {
                    j += 1;
                }
                if let Some(Word::Month(m)) = self.word(j) {
                    if self.capitalised(j) {
                        return Some(self.emit_date_dm(out, a, num.value as u8, m, j + 1));
                    }
                }
            }
        }
        if let Some(g) = num.glued {
            let gl = g.to_ascii_lowercase();
            if matches!(gl.as_str(), "st" | "nd" | "rd" | "th")
                && num.digits
                && num.value.fract() == 0.0
            {
                let mut f = self.base_figure(FigureKind::Ordinal, a, num.end);
                f.value = Some(num.value);
                out.push(f);
                return Some(num.end);
            }
            if gl == "s" {
                // decade ("the 1990s"): not a figure
                return Some(num.end);
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
            return Some(num.end);
        }
        // ranges inside one token without a unit: only years or counted nouns
        if let Some((lo, hi)) = num.range {
            let years = (1800.0..=2100.0).contains(&lo) && (hi > lo) && hi <= 2100.0;
            if years {
                let mut f = self.base_figure(FigureKind::Range, a, num.end);
                f.low = Some(lo);
                f.high = Some(hi);
                if let (Some(x), Some(y)) =
                    (dates::ymd(lo as i32, 1, 1), dates::ymd(hi as i32, 12, 31))
                {
                    f.date = Some(format!("{}/{}", dates::iso(x), dates::iso(y)));
                }
                out.push(f);
                return Some(num.end);
            }
            if hi > lo {
                if let Some((noun, phrase, end)) = self.counted_noun(num.end) {
                    if phrase.ends_with('s') || noun != phrase {
                        let mut f = self.base_figure(FigureKind::Range, a, num.end);
                        f.low = Some(lo);
                        f.high = Some(hi);
                        f.unit = Some(noun);
                        f.context = Some(phrase);
                        self.apply_qualifier(&mut f, a);
                        out.push(f);
                        return Some(end);
                    }
                }
            }
            return Some(num.end);
        }
        // years
        let v = num.value;
        if num.plain_int && num.int_digits == 4 && (1800.0..=2100.0).contains(&v) && !neg {
            let noun = self.counted_noun(num.end);
            let plural_noun = noun
                .as_ref()
                .is_some_and(|(n, p, _)| p.ends_with('s') && !p.ends_with("ss") || *n == "person");
            let prev = a.checked_sub(1).and_then(|p| self.lower(p));
            let year_prep = prev.is_some_and(|l| {
                matches!(
                    l.as_str(),
                    "in" | "since"
                        | "by"
                        | "until"
                        | "from"
                        | "of"
                        | "before"
                        | "after"
                        | "during"
                        | "year"
                        | "early"
                        | "late"
                        | "mid"
                        | "through"
                        | "till"
                        | "fiscal"
                        | "for"
                )
            });
            if !plural_noun || year_prep {
                let mut f = self.base_figure(FigureKind::Year, a, num.end);
                f.value = Some(v);
                f.date = dates::year_interval(v as i32);
                self.apply_qualifier(&mut f, a);
                out.push(f);
                return Some(num.end);
            }
        }
        // "three years ago"
        if let Some(Word::Period(p)) = self.word(num.end).or_else(|| {
            let l = self.lower(num.end)?;
            let s = l.as_str().strip_suffix('s')?;
            lexicon::word(s)
        }) {
            if self.lw_is(num.end + 1, "ago") {
                let mut f = self.base_figure(FigureKind::Date, a, num.end + 2);
                match self.published {
                    Some(p0) => f.date = dates::ago(p0, num.value, p),
                    None => f.relative = Some(f.text.clone()),
                }
                if f.date.is_none() {
                    f.relative = Some(f.text.clone());
                }
                out.push(f);
                return Some(num.end + 2);
            }
        }
        // fractions: "two thirds", "one eighth", "three and a half"
        if !num.digits && num.value >= 1.0 && num.value < 100.0 && num.value.fract() == 0.0 {
            if let Some(l) = self.lower(num.end) {
                let den = lexicon::denominator(l.as_str(), num.value == 1.0)
                    .filter(|_| num.value != 1.0 || self.fraction_ok(num.end + 1));
                if let Some(den) = den {
                    let mut f = self.base_figure(FigureKind::Quantity, a, num.end + 1);
                    f.value = Some(sign * num.value / den);
                    self.apply_qualifier(&mut f, a);
                    out.push(f);
                    return Some(num.end + 1);
                }
            }
        }
        if self.lw_is(num.end, "and") && matches!(self.word(num.end + 1), Some(Word::A)) {
            let add = match self.word(num.end + 2) {
                Some(Word::Half) => Some(0.5),
                Some(Word::Quarter) => Some(0.25),
                _ => None,
            };
            if let Some(add) = add {
                // "3 million and a half": the half is of the scale word before
                let scale_before = match num.end.checked_sub(1).and_then(|p| self.word(p)) {
                    Some(Word::Scale(s) | Word::ScaleAbbr(s)) => Some(s),
                    _ => None,
                };
                let mut v = num.value + add * scale_before.unwrap_or(1.0);
                let mut end = num.end + 3;
                // "five and a half million": the scale after applies to all
                if let (None, Some(Word::Scale(s) | Word::ScaleAbbr(s))) =
                    (scale_before, self.word(end))
                {
                    v *= s;
                    end += 1;
                }
                let mut f = self.base_figure(FigureKind::Quantity, a, end);
                f.value = Some(sign * v);
                self.apply_qualifier(&mut f, a);
                out.push(f);
                return Some(end);
            }
        }
        // counts
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

    // ------------------------------------------------------------- dates

    /// The month token at i is an abbreviation ("Sept", "Mar"), so a dot
    /// after it belongs to it.
    fn month_abbrev(&self, i: usize) -> bool {
        let t = self.text(i);
        t.len() <= 4 && !matches!(t, "May" | "June" | "July" | "MAY" | "JUNE" | "JULY")
    }

    fn emit_date_dm(&self, out: &mut Vec<Figure>, a: usize, d: u8, m: u8, mut j: usize) -> usize {
        // optional "." after an abbreviation, optional ",", year
        if self.text(j) == "." && self.glued(j) && self.month_abbrev(j - 1) {
            j += 1;
        }
        let mut year = None;
        let mut k = j;
        if self.text(k) == "," {
            k += 1;
        }
        if let Some((y, _, true, "", None)) = split_numeral(self.text(k)) {
            if (1000.0..=2100.0).contains(&y) && self.kind(k) == Some(TokenKind::Number) {
                year = Some(y as i32);
                j = k + 1;
            }
        }
        let mut f = self.base_figure(FigureKind::Date, a, j);
        let y = year.or_else(|| self.published.map(|p| p.year()));
        match y.and_then(|y| dates::ymd(y, m, d)) {
            Some(date) => f.date = Some(dates::iso(date)),
            None => f.relative = Some(f.text.clone()),
        }
        out.push(f);
        j
    }

    /// Month name at i: "March 3, 2025", "March 2025", "in March".
    fn at_month(&self, out: &mut Vec<Figure>, i: usize, m: u8) -> Option<usize> {
        if !self.capitalised(i) {
            return None;
        }
        let mut j = i + 1;
        let abbrev = self.month_abbrev(i);
        if self.text(j) == "." && self.glued(j) && abbrev {
            j += 1;
        }
        if self.kind(j) == Some(TokenKind::Number) {
            if let Some((v, nd, plain, suf, None)) = split_numeral(self.text(j)) {
                let ord = matches!(suf, "st" | "nd" | "rd" | "th");
                if (plain || ord) && (1.0..=31.0).contains(&v) && nd <= 2 && (suf.is_empty() || ord)
                {
                    // March 3(, 2025)
                    let mut end = j + 1;
                    let mut year = None;
                    let mut k = end;
                    if self.text(k) == "," {
                        k += 1;
                    }
                    if let Some((y, 4, true, "", None)) = split_numeral(self.text(k)) {
                        if (1000.0..=2100.0).contains(&y) {
                            year = Some(y as i32);
                            end = k + 1;
                        }
                    }
                    let mut f = self.base_figure(FigureKind::Date, i, end);
                    let y = year.or_else(|| self.published.map(|p| p.year()));
                    match y.and_then(|y| dates::ymd(y, m, v as u8)) {
                        Some(d) => f.date = Some(dates::iso(d)),
                        None => f.relative = Some(f.text.clone()),
                    }
                    out.push(f);
                    return Some(end);
                }
                if plain && nd == 4 && (1000.0..=2100.0).contains(&v) {
                    let mut f = self.base_figure(FigureKind::Date, i, j + 1);
                    f.date = dates::month_interval(v as i32, m);
                    out.push(f);
                    return Some(j + 1);
                }
            }
            return None;
        }
        // month alone after a preposition or last/next/this
        let prev = i.checked_sub(1).and_then(|p| self.lower(p))?;
        let modifier = match prev.as_str() {
            "last" => Some(-1i8),
            "next" => Some(1),
            "this" => Some(0),
            "in" | "since" | "by" | "until" | "from" | "during" | "early" | "late" | "mid"
            | "end" | "before" | "after" => None,
            _ => return None,
        };
        if m == 5 && modifier.is_none() && !self.lw_is(i.wrapping_sub(1), "in") {
            return None;
        }
        let a = if modifier.is_some() { i - 1 } else { i };
        let mut f = self.base_figure(FigureKind::Date, a, i + 1);
        match self.published {
            Some(p) => f.date = dates::month_interval(dates::month_year(p, m, modifier), m),
            None => f.relative = Some(f.text.clone()),
        }
        out.push(f);
        Some(i + 1)
    }

    fn emit_relative(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        b: usize,
        date: Option<String>,
    ) -> usize {
        let mut f = self.base_figure(FigureKind::Date, a, b);
        match date {
            Some(d) => f.date = Some(d),
            None => f.relative = Some(f.text.clone()),
        }
        out.push(f);
        b
    }

    // ------------------------------------------------------------ triggers

    fn at_number(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
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

    fn at_punct(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let t = self.text(i);
        let c = t.chars().next()?;
        let code = lexicon::symbol_currency(c)?;
        // prefix word: "US$", "C$", "HK$", and tokenised "c $"
        let mut a = i;
        let mut code = code.to_string();
        if c == '$' && i > 0 && self.kind(i - 1) == Some(TokenKind::Word) {
            if let Some(l) = self.lower(i - 1) {
                if let Some(pc) = lexicon::dollar_prefix(l.as_str()) {
                    let single_letter_lower =
                        l.as_str().len() <= 2 && matches!(l.as_str(), "a" | "s" | "r" | "j" | "z");
                    if self.glued(i)
                        || (!single_letter_lower
                            && matches!(l.as_str(), "c" | "us" | "hk" | "nz" | "u.s."))
                    {
                        code = pc.to_string();
                        a = i - 1;
                    }
                }
            }
        }
        if code == "$" {
            code = self.dollar_default().to_string();
        }
        let mut j = i + 1;
        // accounting negative "$(1.2) million"
        let mut neg = false;
        if self.text(j) == "("
            && self.kind(j + 1) == Some(TokenKind::Number)
            && self.text(j + 2) == ")"
        {
            neg = true;
        }
        if neg {
            j += 1;
        }
        let mut num = self.number_at(j)?;
        if neg {
            if self.text(num.end) != ")" {
                return None;
            }
            num.end += 1;
            num = self.scales(num)?;
        }
        // "$5 m", "$2 b": single-letter scales only after a currency
        if !num.scaled && num.glued.is_none() && num.range.is_none() {
            if let Some(l) = self.lower(num.end) {
                let m = match l.as_str() {
                    "m" | "mm" => Some(1e6),
                    "b" => Some(1e9),
                    "k" => Some(1e3),
                    _ => None,
                };
                if let Some(m) = m {
                    if self.text(num.end + 1) != "."
                        || self.tok(num.end + 1).is_none_or(|t| t.space_before)
                    {
                        num.value *= m;
                        num.scaled = true;
                        num.end += 1;
                    }
                }
            }
        }
        if num.glued.is_some_and(|g| !g.is_empty()) && num.range.is_none() {
            // "$70-a-share" glued words are not part of the amount
            num.glued = None;
        }
        let mut end = num.end;
        // "$10 dollars": a repeated currency name is part of the amount
        if let Some(l) = self.lower(end) {
            if lexicon::currency_name(l.as_str()) == Some("$") && c == '$' {
                end += 1;
            }
        }
        let mult = 1.0;
        Some(self.emit_money(out, a, &num, code, mult, neg, end))
    }

    fn at_word(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let text = self.text(i);
        let bytes = text.as_bytes();
        let first = bytes.first().copied()?;
        // fast exit: no known word is longer than 9 letters ("september"),
        // so a long word matters only with a digit or a hyphen in it
        let has_digit = bytes.iter().any(u8::is_ascii_digit);
        if bytes.len() > 9 && !has_digit && !bytes.contains(&b'-') {
            return None;
        }
        // letters glued to digits: "USD115", "Rs75", "COP28" (a name)
        if has_digit {
            let split = text.find(|c: char| c.is_ascii_digit())?;
            let (letters, rest) = text.split_at(split);
            let known = Lower::new(letters).is_some_and(|l| {
                matches!(
                    l.as_str(),
                    "usd"
                        | "eur"
                        | "gbp"
                        | "jpy"
                        | "chf"
                        | "cad"
                        | "aud"
                        | "nzd"
                        | "hkd"
                        | "sgd"
                        | "inr"
                        | "rs"
                        | "rmb"
                        | "cny"
                        | "btc"
                )
            });
            if let Some((code, m)) = lexicon::code_word(letters).filter(|_| known) {
                if let Some((v, _, _, suf, None)) = split_numeral(rest) {
                    let mut mult = m;
                    if !suf.is_empty() {
                        mult *= lexicon::scale_suffix(suf)?;
                    }
                    let num = Num {
                        value: v,
                        start: i,
                        end: i + 1,
                        digits: true,
                        scaled: !suf.is_empty(),
                        ..Num::default()
                    };
                    let num = self.scales(num)?;
                    let end = num.end;
                    return Some(self.emit_money(out, i, &num, code.to_string(), mult, false, end));
                }
            }
            return Some(i + 1);
        }
        // currency codes before the amount: "EUR 12 million", "Rs 75,000 crore"
        if text.len() <= 4 {
            if let Some((code, m)) = lexicon::code_word(text) {
                let mut j = i + 1;
                if self.text(j) == "$" && self.glued(j) {
                    j += 1; // "USD$ 15"
                }
                if self.text(j) == "." && self.glued(j) {
                    j += 1; // "Rs. 500"
                }
                if self.kind(j) == Some(TokenKind::Number) {
                    let num = self.numeral(j)?;
                    if num.glued.is_some() {
                        return None;
                    }
                    let end = num.end;
                    return Some(self.emit_money(out, i, &num, code.to_string(), m, false, end));
                }
                return None;
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
            Word::Percent => {
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
                let at_end = self.tok(e).is_none()
                    || matches!(self.text(e), "." | "," | ";" | "!" | "?" | ")");
                if !at_end {
                    return None;
                }
                let mut f = self.base_figure(FigureKind::Percent, i, e);
                f.value = Some(num.value);
                f.unit = Some("%".into());
                out.push(f);
                Some(e)
            }
            Word::Weekday(wd) => {
                if !self.capitalised(i) {
                    return None;
                }
                let modifier = i.checked_sub(1).and_then(|p| match self.word(p) {
                    Some(Word::RelMod(m)) => Some(m),
                    _ => None,
                });
                let a = if modifier.is_some() { i - 1 } else { i };
                let date = match (self.published, modifier) {
                    (Some(p), Some(m)) => dates::weekday_date(p, wd, m),
                    _ => None,
                };
                Some(self.emit_relative(out, a, i + 1, date))
            }
            Word::RelDay(_) if text.len() > 1 && text.bytes().all(|b| b.is_ascii_uppercase()) => {
                None // "USA TODAY"
            }
            Word::RelDay(d) => {
                let date = self.published.and_then(|p| dates::rel_day(p, d));
                Some(self.emit_relative(out, i, i + 1, date))
            }
            Word::RelMod(m) => match self.word(i + 1) {
                Some(Word::Period(p)) if p != Period::Day => {
                    let date = self.published.and_then(|pd| dates::rel_period(pd, p, m));
                    Some(self.emit_relative(out, i, i + 2, date))
                }
                Some(Word::Weekday(_)) | Some(Word::Month(_)) => None,
                _ => None,
            },
            Word::Between => {
                // "between 3 and 5 percent", "between $10 and $15 billion"
                let j = i + 1;
                let sym = self
                    .text(j)
                    .chars()
                    .next()
                    .and_then(lexicon::symbol_currency);
                let k = if sym.is_some() { j + 1 } else { j };
                let first = self.number_at(k)?;
                let mut m = first.end;
                // a unit on the first number: "between 3% and 5%"
                let u1 = self.unit_after(&first);
                if let Some(u) = &u1 {
                    m = u.end;
                }
                if !self.lw_is(m, "and") {
                    return None;
                }
                let mut k2 = m + 1;
                let sym2 = self
                    .text(k2)
                    .chars()
                    .next()
                    .and_then(lexicon::symbol_currency);
                if sym2.is_some() {
                    k2 += 1;
                }
                let second = self.number_at(k2)?;
                let u2 = self.unit_after(&second);
                let (kind, unit, mult, end) = match (&u2, sym.or(sym2)) {
                    (Some(u), _) => (u.kind, u.unit.clone(), u.mult, u.end),
                    (None, Some(s)) => (
                        FigureKind::Money,
                        Some(self.resolve_code(s)),
                        1.0,
                        second.end,
                    ),
                    (None, None) => match &u1 {
                        Some(u) => (u.kind, u.unit.clone(), u.mult, second.end),
                        None => {
                            let noun = self.counted_noun(second.end);
                            match noun {
                                Some((n, _, e)) => (FigureKind::Count, Some(n), 1.0, e),
                                None if first.digits => (FigureKind::Count, None, 1.0, second.end),
                                None => return None,
                            }
                        }
                    },
                };
                let _ = kind;
                let scale = if second.scaled && !first.scaled && first.digits {
                    self.numeral(second.start)
                        .map(|x| {
                            if x.value != 0.0 {
                                second.value / x.value
                            } else {
                                1.0
                            }
                        })
                        .unwrap_or(1.0)
                } else {
                    1.0
                };
                let mut f = self.base_figure(FigureKind::Range, i, end);
                f.low = Some(first.value * scale * mult);
                f.high = Some(second.value * mult);
                f.unit = unit;
                f.qualifier = Some(self.text(i).to_string());
                f.context = self.context_after(end);
                out.push(f);
                Some(end)
            }
            _ => None,
        }
    }
}
