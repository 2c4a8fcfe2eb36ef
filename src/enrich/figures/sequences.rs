//! Runs of numbers written as one token, each its own figure:
//!
//! - digits read out one word each, joined by hyphens: "three-nought-four"
//!   (three or more single-digit words; "twenty-five" and the range
//!   "three-four" are not sequences);
//! - numbers listed with commas and no spaces: "22,24,26,31" (three or more
//!   groups that are not a thousands grouping; "22,240,260" stays one
//!   number and "1,3" is a decimal comma, see `parse_digits`).
//!
//! Each item is a bare `count` figure spanning its own characters.

use super::lexicon::{self, Lower, Word};
use super::{is_hyphen_char, parse_digits, Scanner};
use crate::output::{Figure, FigureKind};

/// Byte ranges of the pieces of `text` between separators.
fn pieces(text: &str, is_sep: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (k, c) in text.char_indices() {
        if is_sep(c) {
            out.push((start, k));
            start = k + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out
}

fn bare_count(text: &str, start: usize, end: usize, value: f64) -> Option<Figure> {
    super::bare_figure(FigureKind::Count, text, start, end, value)
}

impl Scanner<'_> {
    /// "three-nought-four" at token i: one count per digit word.
    pub(super) fn digit_words(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let text = self.text(i);
        // three segments at least
        text.split(is_hyphen_char).nth(2)?;
        let mut found = Vec::new();
        for (a, b) in pieces(text, is_hyphen_char) {
            let seg = text.get(a..b)?;
            let v = match Lower::new(seg).and_then(|l| lexicon::word(l.as_str())) {
                Some(Word::Unit(v)) if v < 10.0 => v,
                _ => return None,
            };
            found.push(bare_count(self.s, t.start + a, t.start + b, v)?);
        }
        out.extend(found);
        Some(i + 1)
    }

    /// "22,24,26,31" at token i: one count per listed number.
    pub(super) fn comma_list(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let text = self.text(i);
        let commas = text.bytes().filter(|b| *b == b',').count();
        if commas < 2 || !text.bytes().all(|b| b.is_ascii_digit() || b == b',') {
            return None;
        }
        if parse_digits(text).is_some() {
            return None;
        }
        let groups = pieces(text, |c| c == ',');
        if groups.len() < 3 || groups.iter().any(|(a, b)| b <= a || b - a > 3) {
            return None;
        }
        let mut found = Vec::with_capacity(groups.len());
        for (a, b) in groups {
            let v: f64 = text.get(a..b)?.parse().ok()?;
            found.push(bare_count(self.s, t.start + a, t.start + b, v)?);
        }
        out.extend(found);
        Some(i + 1)
    }
}
