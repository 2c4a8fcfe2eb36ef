//! Calendar arithmetic for figure dates: parsing the article's
//! `published_at`, and turning years, months, weekdays and relative
//! expressions ("last year", "this Friday") into ISO dates or intervals
//! ("2024-01-01/2024-12-31"). Total: every function returns `None` rather
//! than panic on out-of-range input.

use time::{Date, Duration, Month};

use super::lexicon::{self, Period, Word};
use super::numbers::split_numeral;
use super::{Figure, FigureKind, Num, Scanner};
use crate::text::TokenKind;

/// The publication date of an RFC 3339 timestamp (or a bare `YYYY-MM-DD`).
pub fn published_date(p: Option<&str>) -> Option<Date> {
    let p = p?.trim();
    if let Ok(t) = time::OffsetDateTime::parse(p, &time::format_description::well_known::Rfc3339) {
        return Some(t.date());
    }
    let y: i32 = p.get(0..4)?.parse().ok()?;
    let m: u8 = p.get(5..7)?.parse().ok()?;
    let d: u8 = p.get(8..10)?.parse().ok()?;
    ymd(y, m, d)
}

pub fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

fn interval(a: Date, b: Date) -> String {
    format!("{}/{}", iso(a), iso(b))
}

pub fn year_interval(y: i32) -> Option<String> {
    Some(interval(ymd(y, 1, 1)?, ymd(y, 12, 31)?))
}

pub fn month_interval(y: i32, m: u8) -> Option<String> {
    let first = ymd(y, m, 1)?;
    let month = Month::try_from(m).ok()?;
    let last = ymd(y, m, month.length(y))?;
    Some(interval(first, last))
}

/// Year for a month named without one: the publication year, or the
/// previous/next occurrence for `last`/`next`.
pub fn month_year(published: Date, m: u8, modifier: Option<i8>) -> i32 {
    let pm = published.month() as u8;
    let y = published.year();
    match modifier {
        Some(-1) if m >= pm => y - 1,
        Some(1) if m <= pm => y + 1,
        _ => y,
    }
}

/// yesterday / today / tomorrow.
pub fn rel_day(published: Date, offset: i64) -> Option<String> {
    Some(iso(published.checked_add(Duration::days(offset))?))
}

/// A weekday (0 = Monday) seen from `published`: `this` is the coming one
/// (today included), `next` the one after today within seven days, `last`
/// the one before today within seven days.
pub fn weekday_date(published: Date, wd: u8, modifier: i8) -> Option<String> {
    let today = published.weekday().number_days_from_monday() as i64;
    let target = wd as i64;
    let ahead = (target - today).rem_euclid(7);
    let offset = match modifier {
        -1 => {
            let back = (today - target).rem_euclid(7);
            -(if back == 0 { 7 } else { back })
        }
        1 => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        _ => ahead,
    };
    rel_day(published, offset)
}

/// last / this / next week, month or year, as an interval.
pub fn rel_period(published: Date, period: Period, modifier: i8) -> Option<String> {
    let m = modifier as i64;
    match period {
        Period::Day => rel_day(published, m),
        Period::Week => {
            let monday = published.checked_sub(Duration::days(
                published.weekday().number_days_from_monday() as i64,
            ))?;
            let start = monday.checked_add(Duration::weeks(m))?;
            let end = start.checked_add(Duration::days(6))?;
            Some(interval(start, end))
        }
        Period::Month => {
            let idx = published.year() as i64 * 12 + (published.month() as i64 - 1) + m;
            let y = idx.div_euclid(12) as i32;
            let mo = (idx.rem_euclid(12) + 1) as u8;
            month_interval(y, mo)
        }
        Period::Year => year_interval(published.year() + modifier as i32),
    }
}

/// "three years ago", "two weeks ago": a date (days, weeks) or the
/// calendar month / year it falls in.
pub fn ago(published: Date, n: f64, period: Period) -> Option<String> {
    if !(0.0..=10_000.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    let n = n as i64;
    match period {
        Period::Day => rel_day(published, -n),
        Period::Week => rel_day(published, -7 * n),
        Period::Month => {
            let idx = published.year() as i64 * 12 + (published.month() as i64 - 1) - n;
            month_interval(idx.div_euclid(12) as i32, (idx.rem_euclid(12) + 1) as u8)
        }
        Period::Year => year_interval(published.year() - n as i32),
    }
}

impl<'a> Scanner<'a> {
    /// The month token at i is an abbreviation ("Sept", "Mar"), so a dot
    /// after it belongs to it.
    pub(super) fn month_abbrev(&self, i: usize) -> bool {
        let t = self.text(i);
        t.len() <= 4 && !matches!(t, "May" | "June" | "July" | "MAY" | "JUNE" | "JULY")
    }

    pub(super) fn emit_date_dm(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        d: u8,
        m: u8,
        mut j: usize,
    ) -> usize {
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
        match y.and_then(|y| ymd(y, m, d)) {
            Some(date) => f.date = Some(iso(date)),
            None => f.relative = Some(f.text.clone()),
        }
        out.push(f);
        j
    }

    /// Month name at i: "March 3, 2025", "March 2025", "in March".
    pub(super) fn at_month(&self, out: &mut Vec<Figure>, i: usize, m: u8) -> Option<usize> {
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
                    match y.and_then(|y| ymd(y, m, v as u8)) {
                        Some(d) => f.date = Some(iso(d)),
                        None => f.relative = Some(f.text.clone()),
                    }
                    out.push(f);
                    return Some(end);
                }
                if plain && nd == 4 && (1000.0..=2100.0).contains(&v) {
                    let mut f = self.base_figure(FigureKind::Date, i, j + 1);
                    f.date = month_interval(v as i32, m);
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
            Some(p) => f.date = month_interval(month_year(p, m, modifier), m),
            None => f.relative = Some(f.text.clone()),
        }
        out.push(f);
        Some(i + 1)
    }

    pub(super) fn emit_relative(
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
}

impl<'a> Scanner<'a> {
    /// A weekday, with "last"/"next"/"this" before it.
    pub(super) fn at_weekday(&self, out: &mut Vec<Figure>, i: usize, wd: u8) -> Option<usize> {
        if !self.capitalised(i) {
            return None;
        }
        let modifier = i.checked_sub(1).and_then(|p| match self.word(p) {
            Some(Word::RelMod(m)) => Some(m),
            _ => None,
        });
        let a = if modifier.is_some() { i - 1 } else { i };
        let date = match (self.published, modifier) {
            (Some(p), Some(m)) => weekday_date(p, wd, m),
            _ => None,
        };
        Some(self.emit_relative(out, a, i + 1, date))
    }

    /// "last year", "next week": a relative period.
    pub(super) fn at_rel_period(&self, out: &mut Vec<Figure>, i: usize, m: i8) -> Option<usize> {
        match self.word(i + 1) {
            Some(Word::Period(p)) if p != Period::Day => {
                let date = self.published.and_then(|pd| rel_period(pd, p, m));
                Some(self.emit_relative(out, i, i + 2, date))
            }
            Some(Word::Weekday(_)) | Some(Word::Month(_)) => None,
            _ => None,
        }
    }
}

impl<'a> Scanner<'a> {
    /// Day and month: "3 March 2025", "3rd of March".
    pub(super) fn day_month(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
    ) -> Option<usize> {
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
        None
    }

    /// A year ("in 2019", "2019 was"), unless it counts a plural noun.
    pub(super) fn year_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        neg: bool,
    ) -> Option<usize> {
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
                f.date = year_interval(v as i32);
                self.apply_qualifier(&mut f, a);
                out.push(f);
                return Some(num.end);
            }
        }
        None
    }

    /// "three years ago".
    pub(super) fn ago_figure(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
    ) -> Option<usize> {
        if let Some(Word::Period(p)) = self.word(num.end).or_else(|| {
            let l = self.lower(num.end)?;
            let s = l.as_str().strip_suffix('s')?;
            lexicon::word(s)
        }) {
            if self.lw_is(num.end + 1, "ago") {
                let mut f = self.base_figure(FigureKind::Date, a, num.end + 2);
                match self.published {
                    Some(p0) => f.date = ago(p0, num.value, p),
                    None => f.relative = Some(f.text.clone()),
                }
                if f.date.is_none() {
                    f.relative = Some(f.text.clone());
                }
                out.push(f);
                return Some(num.end + 2);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_dates() {
        // 2025-02-27 is a Thursday.
        let p = published_date(Some("2025-02-27T10:00:00Z")).unwrap();
        assert_eq!(weekday_date(p, 4, 0).unwrap(), "2025-02-28");
        assert_eq!(weekday_date(p, 4, -1).unwrap(), "2025-02-21");
        assert_eq!(weekday_date(p, 3, 1).unwrap(), "2025-03-06");
        assert_eq!(
            rel_period(p, Period::Year, -1).unwrap(),
            "2024-01-01/2024-12-31"
        );
        assert_eq!(
            rel_period(p, Period::Month, -2).unwrap(),
            "2024-12-01/2024-12-31"
        );
        assert_eq!(
            rel_period(p, Period::Week, 1).unwrap(),
            "2025-03-03/2025-03-09"
        );
        assert_eq!(rel_day(p, -1).unwrap(), "2025-02-26");
        assert_eq!(month_year(p, 12, Some(-1)), 2024);
        assert_eq!(month_year(p, 1, Some(1)), 2026);
        assert_eq!(ago(p, 2.0, Period::Year).unwrap(), "2023-01-01/2023-12-31");
        assert_eq!(month_interval(2024, 2).unwrap(), "2024-02-01/2024-02-29");
        assert!(published_date(Some("not a date")).is_none());
        assert!(ymd(2025, 2, 30).is_none());
    }
}
