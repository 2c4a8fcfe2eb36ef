//! Closed word lists shared by every stage: months, weekdays, honorifics and
//! the abbreviations whose period does not end a sentence. One list each, so
//! a fix reaches every extractor. Open classes (names, organisations) are
//! learned or come from the gazetteers, never from here.

/// Month names and their abbreviations, lower case, with the month number.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Weekday names, lower case, Monday first.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Honorifics that stand before a name ("Mr Hale", "Dr. Roe"), lower case,
/// without the period.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prof", "rev",
];

/// Words whose trailing period is not a sentence end, lower case, without the
/// final period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "inc", "corp", "co", "ltd", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rev", "hon", "pres", "adm", "cmdr",
    "maj", "u.s", "e.g", "i.e", "etc", "approx", "dept", "est", "fig", "al",
];

fn lower_ascii(word: &str, buf: &mut [u8; 16]) -> Option<usize> {
    let b = word.as_bytes();
    if b.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    Some(b.len())
}

fn in_list(word: &str, list: &[&str]) -> bool {
    let mut buf = [0u8; 16];
    match lower_ascii(word, &mut buf) {
        Some(n) => list.iter().any(|w| w.as_bytes() == &buf[..n]),
        None => false,
    }
}

/// The month number of a month name or abbreviation, any case ("Sept" -> 9).
pub fn month_number(word: &str) -> Option<u8> {
    let mut buf = [0u8; 16];
    let n = lower_ascii(word, &mut buf)?;
    MONTHS
        .iter()
        .find(|(w, _)| w.as_bytes() == &buf[..n])
        .map(|&(_, m)| m)
}

/// Every month name and abbreviation, lower case.
pub fn month_names() -> impl Iterator<Item = &'static str> {
    MONTHS.iter().map(|&(w, _)| w)
}

/// Every weekday name, lower case, Monday first.
pub fn weekday_names() -> impl Iterator<Item = &'static str> {
    WEEKDAYS.iter().copied()
}

/// A month name or abbreviation, any case.
pub fn is_month(word: &str) -> bool {
    month_number(word).is_some()
}

/// The weekday number of a weekday name, any case (Monday = 1).
pub fn weekday_number(word: &str) -> Option<u8> {
    let mut buf = [0u8; 16];
    let n = lower_ascii(word, &mut buf)?;
    WEEKDAYS
        .iter()
        .position(|w| w.as_bytes() == &buf[..n])
        .map(|i| i as u8 + 1)
}

/// A weekday name, any case.
pub fn is_weekday(word: &str) -> bool {
    weekday_number(word).is_some()
}

/// An honorific before a name, any case, with or without its period.
pub fn is_honorific(word: &str) -> bool {
    in_list(word.strip_suffix('.').unwrap_or(word), HONORIFICS)
}

/// A word whose period does not end a sentence: a known abbreviation or a
/// single capital letter (an initial).
pub fn is_abbreviation(word: &str) -> bool {
    in_list(word, ABBREVIATIONS)
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_any_case_with_numbers() {
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("DECEMBER"), Some(12));
        assert!(is_month("may"));
        assert!(!is_month("Mayor"));
        assert_eq!(month_names().count(), MONTHS.len());
        assert!(month_names().all(|m| month_number(m).is_some()));
        assert_eq!(weekday_names().nth(2), Some("wednesday"));
    }

    #[test]
    fn weekdays_honorifics_and_abbreviations() {
        assert_eq!(weekday_number("Wednesday"), Some(3));
        assert!(!is_weekday("Wed-nesday"));
        assert!(is_honorific("Mr."));
        assert!(is_honorific("Dr"));
        assert!(!is_honorific("Mrx"));
        assert!(is_abbreviation("Inc"));
        assert!(is_abbreviation("J"));
        assert!(!is_abbreviation("Jo"));
    }
}
