//! Numeric notations the token scanner does not see as one number, found on
//! the raw body text, and merges of adjacent figures into one value:
//!
//! - powers and scientific notation: `1.1^23`, `2.5^-1`, `12.32e+14`, `1e10`,
//!   `1.3x10^6`, `6.23 × 10^-4`;
//! - decimals written without the leading zero: `.08`;
//! - mixed numbers: `2 1/4` (an integer then a digit fraction);
//! - a whole number "and" a spelled fraction: "twenty and three fifths";
//! - "X over Y" fractions: "one over three", "1 over 20".
//!
//! The results are bare `quantity` figures (no unit). Each rule only fires
//! where no unit or noun follows, so news figures with a counted noun keep
//! their reading.

use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::{self, Word};
use crate::output::{Figure, FigureKind};

fn quantity(body: &str, start: usize, end: usize, value: f64) -> Option<Figure> {
    super::bare_figure(FigureKind::Quantity, body, start, end, value)
}

/// A byte that may not touch a notation on either side.
fn joins(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b',' | b'_' | b'^' | b'/'))
}

/// Cheap gate before the regex (most articles have none of these shapes):
/// a digit followed by `^`, by `e`/`E` and a digit or sign, or preceded by a
/// `.` that does not follow a digit. Only digits are visited, and digits are
/// rare in prose.
fn may_hold_notation(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied();
    let mut from = 0;
    while let Some(k) = bytes
        .get(from..)
        .and_then(|r| r.iter().position(u8::is_ascii_digit))
    {
        let i = from + k;
        match at(i + 1) {
            Some(b'^') => return true,
            Some(b'e' | b'E')
                if at(i + 2).is_some_and(|c| c.is_ascii_digit() || c == b'+' || c == b'-') =>
            {
                return true
            }
            _ => {}
        }
        if i >= 1
            && at(i - 1) == Some(b'.')
            && (i < 2 || !at(i - 2).is_some_and(|b| b.is_ascii_digit()))
        {
            return true;
        }
        from = i + 1;
    }
    false
}

/// Powers, scientific notation and leading-dot decimals: new figures
/// replace the scanner's figures they overlap.
pub(super) fn scan(body: &str, out: &mut Vec<Figure>) {
    let bytes = body.as_bytes();
    if !may_hold_notation(bytes) {
        return;
    }
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(
                r"-?(?:(\d+(?:\.\d+)?)(?:\^([+-]*)(\d{1,3})|[eE]([+-]?)(\d{1,3})|\s?[x×*]\s?10\^([+-]?)(\d{1,3}))|\.(\d+))",
            )
                .ok()
        })
        .as_ref()
    else {
        return;
    };
    let mut found = Vec::new();
    for c in re.captures_iter(body) {
        let Some(m) = c.get(0) else { continue };
        let (mut s, e) = (m.start(), m.end());
        let mut neg = m.as_str().starts_with('-');
        let before = s.checked_sub(1).and_then(|p| bytes.get(p));
        if neg && (joins(before) || before == Some(&b'-')) {
            // "2010-1e5": the dash joins two tokens, it is no sign
            s += 1;
            neg = false;
        }
        let before = s.checked_sub(1).and_then(|p| bytes.get(p));
        if joins(before) || before == Some(&b'-') && !neg {
            continue;
        }
        let after = bytes.get(e);
        if joins(after) || after == Some(&b'%') {
            continue;
        }
        let sign = if neg { -1.0 } else { 1.0 };
        let value = if let Some(frac) = c.get(8) {
            // ".08": a leading dot only after a space, a bracket or the start
            if !(before.is_none() || before.is_some_and(|b| b.is_ascii_whitespace() || *b == b'('))
            {
                continue;
            }
            format!("0.{}", frac.as_str()).parse::<f64>().ok()
        } else {
            let base: Option<f64> = c.get(1).and_then(|b| b.as_str().parse().ok());
            if let (Some(b), Some(sg), Some(x)) = (base, c.get(2), c.get(3)) {
                let minus = sg.as_str().bytes().filter(|b| *b == b'-').count() % 2 == 1;
                x.as_str()
                    .parse::<i32>()
                    .ok()
                    .map(|x| b.powi(if minus { -x } else { x }))
            } else if let (Some(b), Some(sg), Some(x)) = (base, c.get(4), c.get(5)) {
                let x: Option<i32> = x.as_str().parse().ok();
                x.map(|x| b * 10f64.powi(if sg.as_str() == "-" { -x } else { x }))
            } else if let (Some(b), Some(sg), Some(x)) = (base, c.get(6), c.get(7)) {
                // "1.3x10^6", "6.23 × 10^-4"
                let x: Option<i32> = x.as_str().parse().ok();
                x.map(|x| b * 10f64.powi(if sg.as_str() == "-" { -x } else { x }))
            } else {
                None
            }
        };
        let Some(v) = value.map(|v| v * sign).filter(|v| v.is_finite()) else {
            continue;
        };
        if let Some(f) = quantity(body, s, e, v) {
            found.push(f);
        }
    }
    for f in found {
        out.retain(|o| o.end <= f.start || o.start >= f.end);
        out.push(f);
    }
}

fn bare(f: &Figure) -> bool {
    f.kind == Some(FigureKind::Count) && f.unit.is_none() && f.value.is_some()
}

fn integral(v: f64) -> bool {
    v.fract() == 0.0
}

/// The numerator written just before "over": a figure ending there, a
/// numeral or a number word ("one", "twenty"), possibly after "minus".
fn numerator(body: &str, end: usize, prev: Option<&Figure>) -> Option<(usize, f64, bool)> {
    if let Some(a) = prev.filter(|a| a.end == end && bare(a)) {
        return Some((a.start, a.value?, true));
    }
    let head = body.get(..end)?;
    let ws = head
        .rfind(|c: char| c.is_whitespace())
        .map(|p| p + 1)
        .unwrap_or(0);
    let w = head.get(ws..)?;
    let v = if w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() && w.len() <= 9 {
        w.parse().ok()?
    } else {
        match lexicon::word(&w.to_ascii_lowercase())? {
            Word::Unit(v) | Word::Tens(v) => v,
            _ => return None,
        }
    };
    // "negative one over 20"
    let rest = head.get(..ws)?.trim_end();
    let lw = rest
        .rfind(|c: char| c.is_whitespace())
        .map(|p| p + 1)
        .unwrap_or(0);
    let sign = rest.get(lw..)?.to_ascii_lowercase();
    if matches!(sign.as_str(), "minus" | "negative") {
        return Some((lw, -v, false));
    }
    if ws > 0 && joins(body.as_bytes().get(ws - 1)) {
        return None;
    }
    Some((ws, v, false))
}

/// Merge adjacent figures into one value (input sorted by start).
pub(super) fn merge(body: &str, out: &mut Vec<Figure>) {
    if out.is_empty() {
        return;
    }
    let mut res: Vec<Figure> = Vec::with_capacity(out.len());
    for b in out.drain(..) {
        let prev = res.last();
        let gap = prev.and_then(|a| body.get(a.end..b.start.max(a.end)));
        let bv = b.value.unwrap_or(0.0);
        if let (Some(a), Some(gap)) = (prev, gap) {
            let av = a.value.unwrap_or(0.0);
            let frac_b =
                b.kind == Some(FigureKind::Quantity) && b.unit.is_none() && bv > 0.0 && bv < 1.0;
            // "2 1/4": an integer, white space, a digit fraction
            let mixed = bare(a)
                && integral(av)
                && av >= 0.0
                && a.text.bytes().all(|c| c.is_ascii_digit())
                && !gap.is_empty()
                && gap.bytes().all(|c| c == b' ')
                && frac_b
                && b.text.contains('/');
            // "twenty and three fifths": a spelled whole and a spelled fraction
            let and = bare(a)
                && integral(av)
                && !a.text.bytes().any(|c| c.is_ascii_digit())
                && gap.eq_ignore_ascii_case(" and ")
                && frac_b
                && !b.text.bytes().any(|c| c.is_ascii_digit());
            if mixed || and {
                let v = if av < 0.0 { av - bv } else { av + bv };
                if let Some(f) = quantity(body, a.start, b.end, v) {
                    res.pop();
                    res.push(f);
                    continue;
                }
            }
        }
        // "one hundred and thirty fifths": a count of a fraction word
        if let Some(f) = over_denominator(body, &b) {
            res.push(f);
            continue;
        }
        // "one over three": a bare denominator after "over"
        if bare(&b) && bv != 0.0 {
            let head = body.get(..b.start).unwrap_or("").trim_end();
            let over = head.len() >= 5
                && head
                    .get(head.len() - 4..)
                    .is_some_and(|w| w.eq_ignore_ascii_case("over"))
                && head
                    .as_bytes()
                    .get(head.len() - 5)
                    .is_some_and(u8::is_ascii_whitespace);
            let after = body.as_bytes().get(b.end);
            if over && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
                let nend = head.get(..head.len() - 4).unwrap_or("").trim_end().len();
                if let Some((s, nv, from_fig)) = numerator(body, nend, res.last()) {
                    if let Some(f) = quantity(body, s, b.end, nv / bv) {
                        if from_fig {
                            res.pop();
                        }
                        res.retain(|o| o.end <= s);
                        res.push(f);
                        continue;
                    }
                }
            }
        }
        res.push(b);
    }
    *out = res;
}

/// The denominator of a spelled fraction word, with the compound ordinals
/// ("twenty-fifths", "trillionths"); fiscal "quarters" and time "seconds"
/// are left to the counted-noun reading.
fn denominator(w: &str, singular: bool) -> Option<f64> {
    if w.starts_with("quarter") || w.starts_with("second") {
        return None;
    }
    if let Some(d) = lexicon::denominator(w, singular) {
        return Some(d);
    }
    let base = if singular { w } else { w.strip_suffix('s')? };
    if let Some((tens, unit)) = base.split_once('-') {
        let Some(Word::Tens(t)) = lexicon::word(tens) else {
            return None;
        };
        let u = match unit {
            "first" => 1.0,
            _ => lexicon::denominator(unit, true).filter(|u| *u < 10.0)?,
        };
        return Some(t + u);
    }
    None
}

/// A count whose noun is a fraction word becomes the fraction's value:
/// "a hundred trillionths", "three twenty-firsts", "130 fifths".
fn over_denominator(body: &str, b: &Figure) -> Option<Figure> {
    if b.kind != Some(FigureKind::Count) || b.unit.is_none() {
        return None;
    }
    let v = b.value?;
    let rest = body.get(b.end..)?;
    let lead = rest.len() - rest.trim_start().len();
    if lead == 0 || lead > 2 {
        return None;
    }
    let rest = rest.get(lead..)?;
    let wl = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or(rest.len());
    let w = rest.get(..wl)?.to_ascii_lowercase();
    let d = denominator(&w, v.abs() == 1.0)?;
    quantity(body, b.start, b.end + lead + wl, v / d)
}
