//! Numbers: digits (grouping, decimal commas, glued suffixes and in-token
//! ranges), scale words and letters, and numbers spelled in words.

use super::lexicon::{self, Lower, Word};
use super::{Num, Scanner};
use crate::text::TokenKind;

pub(super) fn is_hyphen_char(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

pub(super) fn is_dash_text(t: &str) -> bool {
    matches!(t, "-" | "\u{2013}" | "\u{2014}" | "\u{2012}" | "\u{2010}")
}

/// Parse plain digits with optional thousands grouping (`1,234,567`, Indian
/// `12,34,567`) and one decimal point. `None` for anything else.
pub(super) fn parse_digits(t: &str) -> Option<(f64, usize, bool)> {
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
pub(super) fn split_numeral(t: &str) -> Option<(f64, usize, bool, &str, Option<&str>)> {
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
    /// Parse the numeral at token i with the scale words after it.
    pub(super) fn numeral(&self, i: usize) -> Option<Num<'a>> {
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
    pub(super) fn scales(&self, mut num: Num<'a>) -> Option<Num<'a>> {
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

    /// "2.33 k", "1,674.5 G": a lone scale letter after a numeral (k, M,
    /// G; not "K", a kelvin) where the clause ends.
    pub(super) fn spaced_scale_letter(&self, mut num: Num<'a>) -> Num<'a> {
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

    /// Parse a spelled-out number starting at token i ("twenty-five",
    /// "two million", "a dozen", "half a million", "one hundred and six",
    /// "two hundred point zero three").
    pub(super) fn words_number(&self, i: usize) -> Option<Num<'a>> {
        let mut total = 0.0f64;
        let mut end = i;
        let mut glued: Option<&'a str> = None;
        let mut scaled = false;
        // what was added to `cur` since its last hundred ("two" of "three
        // hundred and two dozen")
        let mut low = 0.0f64;
        let (mut j, mut cur, mult, mut any, mut prev) = self.words_lead(i)?;
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
                        let (frac, k) = self.spoken_decimals(j);
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

    /// The lead of a spelled number: "a"/"an", "half (a)", "(a) quarter"
    /// before a scale word. Returns (next token, cur, mult, any, prev), or
    /// `None` when the lead is not part of a number.
    #[allow(clippy::type_complexity)]
    fn words_lead(&self, i: usize) -> Option<(usize, f64, f64, bool, Option<Word>)> {
        let mut cur = 0.0f64;
        let mut any = false;
        let mut prev: Option<Word> = None;
        let mut j = i;
        let mut mult = 1.0f64;
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
        Some((j, cur, mult, any, prev))
    }

    /// Decimals read digit by digit after "point", from token j: the
    /// digits and the token after them.
    fn spoken_decimals(&self, j: usize) -> (String, usize) {
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
        (frac, k)
    }

    /// A number (numeral or words) at token i.
    pub(super) fn number_at(&self, i: usize) -> Option<Num<'a>> {
        match self.kind(i)? {
            TokenKind::Number => self.numeral(i),
            TokenKind::Word => self.words_number(i),
            _ => None,
        }
    }
}
