//! Ranges: "between 3 and 5 percent", "10 to 15 billion", "10-15 people",
//! with the unit and the scale word shared by both bounds.

use super::lexicon;
use super::numbers::is_dash_text;
use super::{dates, Figure, FigureKind, Num, Scanner};

impl<'a> Scanner<'a> {
    /// "between 3 and 5 percent", "between $10 and $15 billion".
    pub(super) fn at_between(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
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

    /// "3 to 5 percent", "10 - 15 people": a range sharing the unit after.
    pub(super) fn range_to(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        neg: bool,
    ) -> Option<usize> {
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
        None
    }

    /// A range inside one token without a unit ("1990-1995", "10-15
    /// people"): only years or counted nouns.
    pub(super) fn token_range(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        lo: f64,
        hi: f64,
    ) -> usize {
        let years = (1800.0..=2100.0).contains(&lo) && (hi > lo) && hi <= 2100.0;
        if years {
            let mut f = self.base_figure(FigureKind::Range, a, num.end);
            f.low = Some(lo);
            f.high = Some(hi);
            if let (Some(x), Some(y)) = (dates::ymd(lo as i32, 1, 1), dates::ymd(hi as i32, 12, 31))
            {
                f.date = Some(format!("{}/{}", dates::iso(x), dates::iso(y)));
            }
            out.push(f);
            return num.end;
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
                    return end;
                }
            }
        }
        num.end
    }
}
