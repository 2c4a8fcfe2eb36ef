//! Calendar arithmetic for figure dates: parsing the article's
//! `published_at`, and turning years, months, weekdays and relative
//! expressions ("last year", "this Friday") into ISO dates or intervals
//! ("2024-01-01/2024-12-31"). Total: every function returns `None` rather
//! than panic on out-of-range input.

use time::{Date, Duration, Month};

use super::lexicon::Period;

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
