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

/// Time-zone abbreviations, matched in capitals only ("1400 GMT").
const TIME_ZONES: &[&str] = &[
    "GMT", "UTC", "BST", "IST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "MSK", "EST", "EDT",
    "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "AST", "ADT", "NST", "NDT",
    "JST", "KST", "HKT", "SGT", "AEST", "AEDT", "ACST", "ACDT", "AWST", "NZST", "NZDT", "WIB",
    "PHT", "ICT", "PKT", "GST", "BRT", "ART", "SAST", "WAT", "EAT", "CAT",
];

/// Nouns naming a job, role or function that stand before a name in
/// apposition ("Acme chief executive Jane Roe", "U2 frontman Bono"), lower
/// case. "mp" and "mep" are matched in capitals too.
const ROLE_NOUNS: &[&str] = &[
    "chief",
    "executive",
    "boss",
    "chairman",
    "chairwoman",
    "chair",
    "president",
    "director",
    "minister",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "head",
    "founder",
    "co-founder",
    "manager",
    "coach",
    "captain",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "winger",
    "forward",
    "frontman",
    "singer",
    "guitarist",
    "drummer",
    "dancer",
    "actor",
    "actress",
    "presenter",
    "host",
    "lawyer",
    "analyst",
    "economist",
    "editor",
    "correspondent",
    "reporter",
    "officer",
    "official",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "mp",
    "mep",
    "peer",
    "deputy",
    "vice-president",
    "vice-chairman",
    "owner",
    "partner",
    "trustee",
    "councillor",
    "commissioner",
    "ambassador",
    "envoy",
    "general",
    "professor",
    "researcher",
    "scientist",
    "author",
    "novelist",
    "writer",
    "producer",
    "member",
    "aide",
    "chairperson",
    "treasurer",
    "administrator",
    "md",
    "ceo",
    "cfo",
    "coo",
];

/// Particles inside personal names ("Luigi del Neri", "Ludwig van Beethoven").
const NAME_PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "dos", "das", "la", "le",
    "bin", "ibn", "al", "el", "ter", "ten",
];

/// Lower-case function words that never end or start a name ("the Tories
/// of", "Tata to").
const FUNCTION_WORDS: &[&str] = &[
    "of", "to", "the", "and", "for", "in", "on", "at", "by", "with", "from", "a", "an", "or", "as",
    "into", "than", "that", "but", "if", "is", "was", "are", "were", "has", "had",
];

/// Last words that make a name a place (venues and facilities), lower case.
const FACILITY_HEADS: &[&str] = &[
    "airport",
    "stadium",
    "square",
    "street",
    "road",
    "avenue",
    "lane",
    "bridge",
    "prison",
    "arena",
    "park",
    "station",
    "cathedral",
    "racecourse",
    "circuit",
    "harbour",
    "boulevard",
];

/// Last words that make a name a law, document or event (never PERSON, ORG
/// or LOC), lower case.
const WORK_EVENT_HEADS: &[&str] = &[
    "act",
    "bill",
    "paper",
    "directive",
    "treaty",
    "show",
    "festival",
    "awards",
    "championship",
    "championships",
    "cup",
    "olympics",
    "summit",
    "expo",
    "prize",
    "trophy",
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

/// A time-zone abbreviation, in capitals ("GMT", "EST").
pub fn is_time_zone(word: &str) -> bool {
    TIME_ZONES.contains(&word)
}

/// A role noun that stands before a name ("chief", "spokesman", "MP"), any case.
pub fn is_role_noun(word: &str) -> bool {
    in_list(word, ROLE_NOUNS)
}

/// A lower-case particle inside a personal name ("del", "van").
pub fn is_name_particle(word: &str) -> bool {
    NAME_PARTICLES.contains(&word)
}

/// A lower-case function word that never starts or ends a name.
pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word)
}

/// A last word that makes a name a venue or facility ("Stadium"), any case.
pub fn is_facility_head(word: &str) -> bool {
    in_list(word, FACILITY_HEADS)
}

/// A last word that makes a name a law, document or event ("Act"), any case.
pub fn is_work_or_event_head(word: &str) -> bool {
    in_list(word, WORK_EVENT_HEADS)
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

    #[test]
    fn codes_roles_particles_and_heads() {
        assert!(is_time_zone("GMT"));
        assert!(!is_time_zone("gmt"));
        assert!(!is_time_zone("Gmt"));
        assert!(is_role_noun("spokesman"));
        assert!(is_role_noun("MP"));
        assert!(!is_role_noun("Hale"));
        assert!(is_name_particle("del"));
        assert!(!is_name_particle("Del"));
        assert!(is_function_word("of"));
        assert!(is_facility_head("Stadium"));
        assert!(is_work_or_event_head("Act"));
        assert!(!is_facility_head("Trade"));
    }
}
