//! Spelled fractions on the token stream: "three fifths", "a trillionth",
//! "a twenty-first", "one hundred thirty-fifths" (100/35), "one one hundred
//! and fifth" (1/105), "twenty twenty fifths" (20/25), a spaced dash
//! between numerator and denominator ("five - eighths"), and mixed numbers
//! ("one and a fourth", "one hundred and three quarters", "twenty and three
//! and three fifths").
//!
//! A phrase is a run of number words ending in an ordinal denominator
//! ("fifth", "fifths", "thirty-fifths", "half", "quarters"). Where the
//! numerator ends follows the reading of Microsoft Recognizers-Text:
//! scanning back from the ordinal, words belong to the denominator while
//! they compose into one number with the words after them (a ten and a
//! unit, a hundred or scale word and what follows it); the numerator
//! starts where they stop composing. When the whole phrase composes, the
//! numerator ends after the first hundred or scale word that is directly
//! followed by a word below a hundred ("one hundred | thirty fifths").
//!
//! A hyphen between a ten and a unit, inside a word or spaced ("ninety -
//! five"), makes them one value. A mixed number is a whole, "and", then a
//! proper fraction; "one hundred and ten fifths" (110/5) has an improper
//! tail and stays one fraction; after a scale word the fraction is of that
//! scale ("two million and three fifths" is 2.6 million).
//! Guards: "second(s)" is never a denominator (time), "first(s)" only
//! after a ten ("twenty-first"), a singular ordinal needs the numerator
//! one ("a fifth", "one one hundred fifth") and must stand before "of" or
//! at the end of a clause ("a fifth season" is an ordinal), and a scale
//! word after the ordinal leaves the phrase to the number parser ("a
//! quarter million", "one and a half billion").

use super::lexicon::{self, Lower, Word};
use super::{is_dash_text, is_hyphen_char, Num, Scanner};
use crate::output::{Figure, FigureKind};
use crate::text::TokenKind;

/// The longest phrase looked at, in words.
const MAX_ITEMS: usize = 16;

/// One word of a spelled fraction phrase.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    /// A number word by its value: units, tens, hundred, scale; the final
    /// ordinal by the value of its cardinal ("fifths" 5, "hundredth" 100).
    Val(f64),
    And,
    /// "a" / "an": the numerator one, or the one of "a hundred".
    A,
    /// A spaced dash between numerator and denominator.
    Dash,
}

/// The ordinal of a fraction's denominator: (value of its cardinal, plural).
fn ordinal(w: &str) -> Option<(f64, bool)> {
    if w == "halves" {
        return Some((2.0, true));
    }
    let (base, plural) = match w.strip_suffix('s') {
        Some(b) => (b, true),
        None => (w, false),
    };
    if base == "half" && plural {
        return None;
    }
    let v = lexicon::ordinal_value(base)?;
    Some((v, plural))
}

/// A ten ("twenty" .. "ninety").
fn is_ten(v: f64) -> bool {
    (20.0..100.0).contains(&v) && v % 10.0 == 0.0
}

/// `big` and `small` read as one number ("thirty" "five", "hundred" "ten").
fn composable(big: f64, small: f64) -> bool {
    let base = if small > 10.0 { 100.0 } else { 10.0 };
    big % base == 0.0 && big >= base
}

/// The value of number words read as one cardinal ("one hundred and ten",
/// "thirty five", "one thousand five", "a hundred"); `None` when they do
/// not form one ("twenty twenty", "three three").
fn compose(items: &[Item]) -> Option<f64> {
    let mut total = 0.0f64;
    let mut cur = 0.0f64;
    let mut any = false;
    // the last value word; None at the start and after "and"
    let mut last: Option<f64> = None;
    for (k, it) in items.iter().enumerate() {
        match *it {
            Item::And => {
                // "and" follows a number word
                last?;
                last = None;
            }
            Item::A => {
                if k != 0 {
                    return None;
                }
                cur = 1.0;
                any = true;
                last = Some(1.0);
            }
            Item::Dash => return None,
            Item::Val(v) if v < 100.0 => {
                let ok = match last {
                    None => true,
                    Some(l) if l >= 100.0 => true,
                    Some(l) => is_ten(l) && v > 0.0 && v < 10.0,
                };
                if !ok {
                    return None;
                }
                cur += v;
                any = true;
                last = Some(v);
            }
            Item::Val(v) if v == 100.0 => {
                if last.is_some_and(|l| l >= 100.0) {
                    return None;
                }
                cur = cur.max(1.0) * 100.0;
                any = true;
                last = Some(v);
            }
            Item::Val(v) => {
                if last.is_some_and(|l| l >= v) {
                    return None;
                }
                total += cur.max(1.0) * v;
                cur = 0.0;
                any = true;
                last = Some(v);
            }
        }
    }
    if !any || last.is_none() {
        return None;
    }
    Some(total + cur)
}

/// Index of the first denominator item of a phrase without "a" or a dash.
fn split_point(items: &[Item]) -> Option<usize> {
    let mut vals = [(0usize, 0.0f64); MAX_ITEMS];
    let mut n = 0;
    for (k, it) in items.iter().enumerate() {
        let v = match *it {
            Item::Val(v) => v,
            // "a hundred fifths": the one of "a hundred"
            Item::A if k == 0 => 1.0,
            _ => continue,
        };
        *vals.get_mut(n)? = (k, v);
        n += 1;
    }
    let vals = vals.get(..n)?;
    if n < 2 {
        return None;
    }
    let and_after = |k: usize| items.get(k + 1) == Some(&Item::And);
    let mut cur = vals.get(n - 1)?.1;
    let mut round = 1.0f64;
    let mut split = n - 1;
    for k in (0..n - 1).rev() {
        let prev = cur;
        cur = vals.get(k)?.1;
        let joins = (prev >= 100.0 && prev > cur) || (prev < 100.0 && composable(cur, prev));
        if !joins {
            split = k + 1;
            break;
        }
        if prev < 100.0 {
            if cur >= round {
                round = cur;
            } else {
                split = k + 1;
                break;
            }
        }
        if k == 0 {
            // the whole phrase composes: split after the first hundred or
            // scale word directly followed by a word below a hundred
            split = 1;
            while split + 1 < n {
                let (ka, va) = *vals.get(split)?;
                let vb = vals.get(split + 1)?.1;
                split += 1;
                if va >= 100.0 && vb < 100.0 && !and_after(ka) {
                    break;
                }
            }
            break;
        }
    }
    Some(vals.get(split)?.0)
}

/// (numerator, denominator) of a phrase that ends in its ordinal.
fn fraction(items: &[Item]) -> Option<(f64, f64)> {
    let a_numerator = items.first() == Some(&Item::A)
        && !matches!(items.get(1), Some(Item::Val(v)) if *v >= 100.0 && items.len() > 2);
    let (num, den) = if a_numerator {
        (1.0, compose(items.get(1..)?)?)
    } else if let Some(d) = items.iter().position(|x| *x == Item::Dash) {
        (compose(items.get(..d)?)?, compose(items.get(d + 1..)?)?)
    } else {
        let s = split_point(items)?;
        (compose(items.get(..s)?)?, compose(items.get(s..)?)?)
    };
    (num > 0.0 && den >= 2.0).then_some((num, den))
}

/// The value of a fraction phrase whose ordinal is plural or singular.
fn phrase_value(items: &[Item], plural: bool) -> Option<f64> {
    // a whole, "and", a proper fraction
    if let Some(p) = items.iter().rposition(|x| *x == Item::And) {
        let whole = items.get(..p).and_then(compose);
        let tail = items.get(p + 1..).and_then(fraction);
        if let (Some(w), Some((n, d))) = (whole, tail) {
            if n < d && (plural || n == 1.0) {
                // "two million and three fifths": a fraction of the scale
                let of = match items.get(..p).and_then(<[Item]>::last) {
                    Some(Item::Val(s)) if *s >= 1000.0 => *s,
                    _ => 1.0,
                };
                return Some(w + of * n / d);
            }
        }
    }
    let (n, d) = fraction(items)?;
    if !plural && n != 1.0 {
        return None;
    }
    Some(n / d)
}

impl Scanner<'_> {
    /// A spelled fraction starting at token i: (value, token end).
    pub(super) fn spelled_fraction(&self, i: usize) -> Option<(f64, usize)> {
        if !self.phrase_goes_on(i) {
            return None;
        }
        let mut buf = [Item::And; MAX_ITEMS];
        let (n, end, plural) = self.fraction_items(i, &mut buf)?;
        if matches!(
            self.word(end),
            Some(Word::Scale(_) | Word::ScaleAbbr(_) | Word::Hundred | Word::Dozen)
        ) {
            return None;
        }
        if !plural && !self.fraction_ok(end) {
            return None;
        }
        phrase_value(buf.get(..n)?, plural)
            .filter(|v| v.is_finite())
            .map(|v| (v, end))
    }

    /// Cheap gate: the word at i is hyphenated, or a dash or a number or
    /// ordinal word follows it.
    fn phrase_goes_on(&self, i: usize) -> bool {
        if self.text(i).contains(is_hyphen_char) {
            return true;
        }
        match self.kind(i + 1) {
            Some(TokenKind::Punct) => is_dash_text(self.text(i + 1)),
            Some(TokenKind::Word) => {
                let next = self.text(i + 1);
                let first = next.split(is_hyphen_char).next().unwrap_or(next);
                Lower::new(first).is_some_and(|l| {
                    let w = l.as_str();
                    matches!(
                        lexicon::word(w),
                        Some(
                            Word::Unit(_)
                                | Word::Tens(_)
                                | Word::Hundred
                                | Word::Scale(_)
                                | Word::And
                                | Word::A
                                | Word::Half
                                | Word::Quarter
                        )
                    ) || ordinal(w).is_some()
                })
            }
            _ => false,
        }
    }

    /// Collect the words of a fraction phrase at token i into `buf`:
    /// (item count, token after the ordinal, plural ordinal).
    fn fraction_items(
        &self,
        i: usize,
        buf: &mut [Item; MAX_ITEMS],
    ) -> Option<(usize, usize, bool)> {
        let mut n = 0usize;
        let mut j = i;
        // a hyphen, in the token or spaced, joins a ten and a unit
        let mut hyphen_after_ten = false;
        loop {
            let t = self.tok(j)?;
            if t.kind == TokenKind::Punct && is_dash_text(self.text(j)) {
                let last = n.checked_sub(1).and_then(|p| buf.get(p)).copied();
                let next = self.lower(j + 1);
                let next = next.as_ref().map(|l| l.as_str()).unwrap_or("");
                if matches!(last, Some(Item::Val(v)) if is_ten(v))
                    && matches!(lexicon::word(next), Some(Word::Unit(u)) if u > 0.0 && u < 10.0)
                {
                    // "ninety - five"
                    hyphen_after_ten = true;
                } else if matches!(last, Some(Item::Val(_)))
                    && ordinal(next).is_some()
                    && !buf.get(..n)?.contains(&Item::Dash)
                {
                    // "five - eighths": the dash parts numerator and denominator
                    *buf.get_mut(n)? = Item::Dash;
                    n += 1;
                } else {
                    return None;
                }
                j += 1;
                continue;
            }
            if t.kind != TokenKind::Word {
                return None;
            }
            let text = self.text(j);
            let nseg = text.split(is_hyphen_char).count();
            for (si, seg) in text.split(is_hyphen_char).enumerate() {
                let l = Lower::new(seg)?;
                let w = l.as_str();
                let prev = n.checked_sub(1).and_then(|p| buf.get(p)).copied();
                let joined = hyphen_after_ten || si > 0;
                hyphen_after_ten = false;
                // "thirty-five", "twenty-fifths": one value
                let join_ten = |v: f64| match prev {
                    Some(Item::Val(t)) if joined && is_ten(t) && v > 0.0 && v < 10.0 => Some(t + v),
                    _ => None,
                };
                let item = match lexicon::word(w) {
                    Some(Word::Unit(v)) if join_ten(v).is_some() => {
                        *buf.get_mut(n - 1)? = Item::Val(join_ten(v)?);
                        continue;
                    }
                    Some(Word::Unit(v) | Word::Tens(v)) => Item::Val(v),
                    Some(Word::Hundred) if w == "hundred" => Item::Val(100.0),
                    Some(Word::Scale(s)) if !w.ends_with('s') => Item::Val(s),
                    Some(Word::And) if nseg == 1 && n > 0 => Item::And,
                    Some(Word::A) if nseg == 1 && (n == 0 || prev == Some(Item::And)) => Item::A,
                    _ => {
                        let (v, plural) = ordinal(w)?;
                        if si + 1 != nseg {
                            return None;
                        }
                        // "first" only after a ten ("twenty-first", "twenty firsts")
                        if v == 1.0 && !matches!(prev, Some(Item::Val(t)) if is_ten(t)) {
                            return None;
                        }
                        match join_ten(v) {
                            Some(tv) => *buf.get_mut(n - 1)? = Item::Val(tv),
                            None => {
                                *buf.get_mut(n)? = Item::Val(v);
                                n += 1;
                            }
                        }
                        return Some((n, j + 1, plural));
                    }
                };
                *buf.get_mut(n)? = item;
                n += 1;
            }
            j += 1;
        }
    }
}

impl Scanner<'_> {
    /// Emit the spelled fraction at token i, negative after "minus" or
    /// "negative" ("minus three fifths"); returns the next token.
    pub(super) fn fraction_figure(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
        let (v, end) = self.spelled_fraction(i)?;
        let minus = i > 0 && matches!(self.word(i - 1), Some(Word::Minus));
        let (a, sign) = if minus { (i - 1, -1.0) } else { (i, 1.0) };
        let mut f = self.base_figure(FigureKind::Quantity, a, end);
        f.value = Some(sign * v);
        self.apply_qualifier(&mut f, a);
        f.context = self.context_after(end);
        out.push(f);
        Some(end)
    }

    /// A bare "half" said of an amount: after a qualifier ("more than
    /// half", "nearly half") or opening a sentence before "of"/"the"
    /// ("Half of them"). Not "half an hour", not "the second half".
    pub(super) fn bare_half(&self, out: &mut Vec<Figure>, i: usize, w: Word) -> Option<usize> {
        if w != Word::Half || matches!(self.word(i + 1), Some(Word::A)) {
            return None;
        }
        let qualified = self.qualifier(i).is_some();
        let leading =
            self.is_sentence_start(i) && (self.lw_is(i + 1, "of") || self.lw_is(i + 1, "the"));
        if !(qualified || leading) {
            return None;
        }
        let mut f = self.base_figure(FigureKind::Quantity, i, i + 1);
        f.value = Some(0.5);
        self.apply_qualifier(&mut f, i);
        f.context = self.context_after(i + 1);
        out.push(f);
        Some(i + 1)
    }
}

/// The value of a vulgar fraction character ("½", "¾", "⅜").
fn vulgar(c: char) -> Option<f64> {
    let (n, d) = match c {
        '½' => (1.0, 2.0),
        '⅓' => (1.0, 3.0),
        '⅔' => (2.0, 3.0),
        '¼' => (1.0, 4.0),
        '¾' => (3.0, 4.0),
        '⅕' => (1.0, 5.0),
        '⅖' => (2.0, 5.0),
        '⅗' => (3.0, 5.0),
        '⅘' => (4.0, 5.0),
        '⅙' => (1.0, 6.0),
        '⅚' => (5.0, 6.0),
        '⅐' => (1.0, 7.0),
        '⅛' => (1.0, 8.0),
        '⅜' => (3.0, 8.0),
        '⅝' => (5.0, 8.0),
        '⅞' => (7.0, 8.0),
        '⅑' => (1.0, 9.0),
        '⅒' => (1.0, 10.0),
        _ => return None,
    };
    Some(n / d)
}

impl<'a> Scanner<'a> {
    /// "½", "2½": plain digits (or none) then one vulgar fraction, as a
    /// number token at i.
    pub(super) fn vulgar_number(&self, i: usize) -> Option<Num<'a>> {
        let text = self.text(i);
        let c = text.chars().next_back()?;
        let frac = vulgar(c)?;
        let whole = text.get(..text.len() - c.len_utf8())?;
        if !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 9 {
            return None;
        }
        let w: f64 = if whole.is_empty() {
            0.0
        } else {
            whole.parse().ok()?
        };
        Some(Num {
            value: w + frac,
            start: i,
            end: i + 1,
            digits: true,
            int_digits: whole.len(),
            ..Num::default()
        })
    }
}

impl<'a> Scanner<'a> {
    /// Spelled fractions ("two thirds") and halves ("three and a half").
    pub(super) fn spelled_fraction_of(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        sign: f64,
    ) -> Option<usize> {
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
        None
    }
}
