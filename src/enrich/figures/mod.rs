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
mod exclusions;
mod fractions;
mod lexicon;
mod money;
mod notation;
mod numbers;
mod ranges;
mod scan;
mod sequences;
#[cfg(test)]
mod tests;
mod units;

use std::cell::OnceCell;

use super::Document;
use crate::output::{Figure, FigureKind};
use crate::text::Token;
use numbers::{is_dash_text, is_hyphen_char, parse_digits};

/// Extract the figures of `doc`, in text order, non-overlapping.
pub fn extract(doc: &Document) -> Vec<Figure> {
    let sc = Scanner {
        s: &doc.body,
        toks: &doc.layer.tokens,
        sentences: &doc.layer.sentence_tokens,
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
    /// Token ranges of the text layer's sentences.
    sentences: &'a [std::ops::Range<usize>],
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
