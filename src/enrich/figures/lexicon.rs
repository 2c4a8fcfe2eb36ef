//! Word tables for figure extraction: number words, scale words, months,
//! weekdays, qualifiers, and currency symbols, codes and names resolved to
//! ISO 4217 codes (checked against the `iso_currency` crate where the code is
//! current). Lookups are `match`es on a lower-cased ASCII copy held on the
//! stack: no allocation, no hashing.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use iso_currency::Currency;

use crate::text::lexicon as text_lexicon;

/// Lower-cased form of a short ASCII word: the word itself when it has no
/// capital (most words: nothing copied, nothing to validate), else a
/// lower-cased copy on the stack.
#[derive(Clone, Copy)]
pub enum Lower<'a> {
    Borrowed(&'a str),
    Owned { buf: [u8; 24], len: usize },
}

impl<'a> Lower<'a> {
    /// `None` when `s` is empty, longer than 24 bytes or not ASCII.
    pub fn new(s: &'a str) -> Option<Lower<'a>> {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > 24 || !s.is_ascii() {
            return None;
        }
        if !b.iter().any(u8::is_ascii_uppercase) {
            return Some(Lower::Borrowed(s));
        }
        let mut buf = [0u8; 24];
        for (d, c) in buf.iter_mut().zip(b) {
            *d = c.to_ascii_lowercase();
        }
        Some(Lower::Owned { buf, len: b.len() })
    }
    pub fn as_str(&self) -> &str {
        match self {
            Lower::Borrowed(s) => s,
            Lower::Owned { buf, len } => {
                std::str::from_utf8(buf.get(..*len).unwrap_or(&[])).unwrap_or("")
            }
        }
    }
}

/// What a word means to the figure scanner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Word {
    /// zero .. nineteen.
    Unit(f64),
    /// twenty .. ninety.
    Tens(f64),
    Hundred,
    /// thousand and up (and lakh, crore).
    Scale(f64),
    /// Abbreviated scale written as its own token ("bn", "mn").
    ScaleAbbr(f64),
    Dozen,
    Half,
    Quarter,
    Month(u8),
    Weekday(u8),
    /// yesterday (-1), today (0), tomorrow (1).
    RelDay(i64),
    /// last (-1), this (0), next (1).
    RelMod(i8),
    Period(Period),
    Between,
    Minus,
    /// "percent", "percents", "per" (of "per cent").
    Percent,
    Point,
    And,
    A,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

/// FNV-1a: a fast hash for the short keys of the word table.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordTable = HashMap<&'static str, Word, BuildHasherDefault<Fnv>>;

/// Every word [`word_slow`] knows, for the table (months and weekdays
/// come from the shared lexicon).
const KNOWN: &[&str] = &[
    "zero",
    "nought",
    "naught",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "trillions",
    "lakh",
    "lakhs",
    "lac",
    "crore",
    "crores",
    "bn",
    "bln",
    "mld",
    "mn",
    "mln",
    "mil",
    "mio",
    "tn",
    "tln",
    "trn",
    "dozen",
    "dozens",
    "dzs",
    "dz",
    "dozs",
    "doz",
    "half",
    "quarter",
    "yesterday",
    "today",
    "tomorrow",
    "last",
    "this",
    "next",
    "day",
    "week",
    "month",
    "year",
    "between",
    "percent",
    "percents",
    "per",
    "minus",
    "negative",
    "point",
    "and",
    "a",
    "an",
];

/// Classify a lower-cased word (one hash lookup).
#[inline]
pub fn word(w: &str) -> Option<Word> {
    if w.len() > 9 {
        return None;
    }
    static TABLE: OnceLock<WordTable> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        KNOWN
            .iter()
            .copied()
            .chain(text_lexicon::month_names())
            .chain(text_lexicon::weekday_names())
            .filter_map(|k| word_slow(k).map(|v| (k, v)))
            .collect()
    });
    t.get(w).copied()
}

/// Classify a lower-cased word: the definition the table is built from.
fn word_slow(w: &str) -> Option<Word> {
    use Word::*;
    Some(match w {
        "zero" | "nought" | "naught" => Unit(0.0),
        "one" => Unit(1.0),
        "two" => Unit(2.0),
        "three" => Unit(3.0),
        "four" => Unit(4.0),
        "five" => Unit(5.0),
        "six" => Unit(6.0),
        "seven" => Unit(7.0),
        "eight" => Unit(8.0),
        "nine" => Unit(9.0),
        "ten" => Unit(10.0),
        "eleven" => Unit(11.0),
        "twelve" => Unit(12.0),
        "thirteen" => Unit(13.0),
        "fourteen" => Unit(14.0),
        "fifteen" => Unit(15.0),
        "sixteen" => Unit(16.0),
        "seventeen" => Unit(17.0),
        "eighteen" => Unit(18.0),
        "nineteen" => Unit(19.0),
        "twenty" => Tens(20.0),
        "thirty" => Tens(30.0),
        "forty" => Tens(40.0),
        "fifty" => Tens(50.0),
        "sixty" => Tens(60.0),
        "seventy" => Tens(70.0),
        "eighty" => Tens(80.0),
        "ninety" => Tens(90.0),
        "hundred" | "hundreds" => Hundred,
        "thousand" | "thousands" => Scale(1e3),
        "million" | "millions" => Scale(1e6),
        "billion" | "billions" => Scale(1e9),
        "trillion" | "trillions" => Scale(1e12),
        "lakh" | "lakhs" | "lac" => Scale(1e5),
        "crore" | "crores" => Scale(1e7),
        "bn" | "bln" | "mld" => ScaleAbbr(1e9),
        "mn" | "mln" | "mil" | "mio" => ScaleAbbr(1e6),
        "tn" | "tln" | "trn" => ScaleAbbr(1e12),
        "dozen" | "dozens" | "dzs" | "dz" | "dozs" | "doz" => Dozen,
        "half" => Half,
        "quarter" => Quarter,
        "yesterday" => RelDay(-1),
        "today" => RelDay(0),
        "tomorrow" => RelDay(1),
        "last" => RelMod(-1),
        "this" => RelMod(0),
        "next" => RelMod(1),
        "day" => Period(self::Period::Day),
        "week" => Period(self::Period::Week),
        "month" => Period(self::Period::Month),
        "year" => Period(self::Period::Year),
        "between" => Between,
        "percent" | "percents" | "per" => Percent,
        "minus" | "negative" => Minus,
        "point" => Point,
        "and" => And,
        "a" | "an" => A,
        _ => {
            if let Some(m) = text_lexicon::month_number(w) {
                Month(m)
            } else if let Some(d) = text_lexicon::weekday_number(w) {
                Weekday(d - 1)
            } else {
                return None;
            }
        }
    })
}

/// Denominator of a spelled fraction ("thirds", "eighth"): plural after a
/// numerator above one, singular after "one".
pub fn denominator(w: &str, singular: bool) -> Option<f64> {
    let (base, plural) = match w.strip_suffix('s') {
        Some(b) if w != "halves" => (b, true),
        _ => (w, false),
    };
    let base = if w == "halves" { "half" } else { base };
    if plural == singular && w != "halves" {
        return None;
    }
    if base == "first" {
        return None;
    }
    ordinal_value(base)
}

/// The value of the cardinal behind an ordinal word used as a fraction's
/// denominator ("fifth" 5, "quarter" 4, "hundredth" 100); "first" is 1.
pub fn ordinal_value(base: &str) -> Option<f64> {
    Some(match base {
        "half" => 2.0,
        "first" => 1.0,
        "third" => 3.0,
        "fourth" | "quarter" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        "eleventh" => 11.0,
        "twelfth" => 12.0,
        "thirteenth" => 13.0,
        "fourteenth" => 14.0,
        "fifteenth" => 15.0,
        "sixteenth" => 16.0,
        "seventeenth" => 17.0,
        "eighteenth" => 18.0,
        "nineteenth" => 19.0,
        "twentieth" => 20.0,
        "thirtieth" => 30.0,
        "fortieth" => 40.0,
        "fiftieth" => 50.0,
        "sixtieth" => 60.0,
        "seventieth" => 70.0,
        "eightieth" => 80.0,
        "ninetieth" => 90.0,
        "hundredth" => 100.0,
        "thousandth" => 1e3,
        "millionth" => 1e6,
        "billionth" => 1e9,
        "trillionth" => 1e12,
        _ => return None,
    })
}

/// Scale suffix glued to a numeral ("4.7bn", "10k", "£40m", "1MM").
pub fn scale_suffix(s: &str) -> Option<f64> {
    Some(match s {
        "k" | "K" | "thous" => 1e3,
        "m" | "M" | "mn" | "Mn" | "MN" | "mm" | "MM" | "mil" | "mln" | "mio" => 1e6,
        "b" | "B" | "bn" | "Bn" | "BN" | "bln" | "mld" => 1e9,
        "t" | "T" | "tn" | "Tn" | "TN" | "tln" | "trn" => 1e12,
        "cr" | "crore" => 1e7,
        "lakh" => 1e5,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

/// Qualifier words before a figure: (words lower-cased, approximate, bound).
/// Most words in one entry of [`QUALIFIERS`].
pub const QUALIFIER_WORDS: usize = 4;

pub const QUALIFIERS: &[(&[&str], bool, Option<&str>)] = &[
    (&["more", "than"], false, Some("lower")),
    (&["greater", "than"], false, Some("lower")),
    (&["at", "least"], false, Some("lower")),
    (&["upwards", "of"], false, Some("lower")),
    (&["in", "excess", "of"], false, Some("lower")),
    (&["no", "less", "than"], false, Some("lower")),
    (&["over"], false, Some("lower")),
    (&["above"], false, Some("lower")),
    (&["exceeding"], false, Some("lower")),
    (&["less", "than"], false, Some("upper")),
    (&["fewer", "than"], false, Some("upper")),
    (&["no", "more", "than"], false, Some("upper")),
    (&["up", "to"], false, Some("upper")),
    (&["as", "much", "as"], false, Some("upper")),
    (&["as", "many", "as"], false, Some("upper")),
    (&["at", "most"], false, Some("upper")),
    (&["under"], false, Some("upper")),
    (&["below"], false, Some("upper")),
    (&["nearly"], true, Some("upper")),
    (&["almost"], true, Some("upper")),
    (&["close", "to"], true, None),
    (&["about"], true, None),
    (&["around"], true, None),
    (&["approximately"], true, None),
    (&["approx"], true, None),
    (&["roughly"], true, None),
    (&["some"], true, None),
    (&["circa"], true, None),
    (&["an", "estimated"], true, None),
    (&["estimated"], true, None),
    (&["an", "approximate"], true, None),
    (&["an", "expected"], true, None),
    (&["a", "projected"], true, None),
];

/// Currency named by a symbol character.
pub fn symbol_currency(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "$",
        '£' => "GBP",
        '€' => "EUR",
        '¥' | '￥' => "JPY",
        '元' => "CNY",
        '₹' => "INR",
        '₨' => "INR",
        '₩' => "KRW",
        '₽' => "RUB",
        '₺' => "TRY",
        '₪' => "ILS",
        '₦' => "NGN",
        '₱' => "PHP",
        '₫' => "VND",
        '฿' => "THB",
        '₴' => "UAH",
        '₡' => "CRC",
        '₾' => "GEL",
        '₭' => "LAK",
        '₿' => "BTC",
        '₸' => "KZT",
        '₼' => "AZN",
        '₮' => "MNT",
        '₲' => "PYG",
        '₵' => "GHS",
        _ => return None,
    })
}

/// Word written right before `$` ("US$", "C$", "HK$", "Mex$").
pub fn dollar_prefix(w: &str) -> Option<&'static str> {
    Some(match w {
        "us" | "u.s." | "usd" => "USD",
        "c" | "ca" | "can" | "cad" => "CAD",
        "a" | "au" | "aud" => "AUD",
        "nz" | "nzd" => "NZD",
        "hk" | "hkd" => "HKD",
        "s" | "sg" | "sgd" => "SGD",
        "nt" | "twd" => "TWD",
        "r" => "BRL",
        "mex" | "mx" | "mxn" => "MXN",
        "j" => "JMD",
        "z" => "ZWL",
        _ => return None,
    })
}

/// Upper-case ISO codes that are also English words: not money on their own.
fn code_is_word(code: &str) -> bool {
    matches!(
        code,
        "ALL" | "TOP" | "CUP" | "MOP" | "SOS" | "MAD" | "PEN" | "GEL" | "BAM" | "CVE" | "LAK"
    )
}

/// A currency code written as a word: ISO 4217 in upper case (via
/// `iso_currency`), a few common codes in lower case, and local
/// abbreviations ("Rs", "RMB", "BTC"). Returns (code, multiplier): the
/// "MUSD"/"MEUR" forms carry a million.
pub fn code_word(w: &str) -> Option<(&'static str, f64)> {
    let lw = Lower::new(w)?;
    let l = lw.as_str();
    let fixed = match l {
        "rs" | "rs." | "inr" => Some("INR"),
        "rmb" | "cny" => Some("CNY"),
        "usd" => Some("USD"),
        "eur" => Some("EUR"),
        "gbp" | "stg" => Some("GBP"),
        "jpy" => Some("JPY"),
        "chf" => Some("CHF"),
        "cad" => Some("CAD"),
        "aud" => Some("AUD"),
        "hkd" => Some("HKD"),
        "nzd" => Some("NZD"),
        "sgd" => Some("SGD"),
        "btc" | "xbt" => Some("BTC"),
        "rp" => Some("IDR"),
        "ksh" => Some("KES"),
        "dh" | "dhs" => Some("AED"),
        "sfr" => Some("CHF"),
        _ => None,
    };
    if let Some(c) = fixed {
        // "rs"/"rp"/"dh" must be written with a capital.
        let first_upper = w.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if matches!(l, "rs" | "rs." | "rp" | "ksh" | "dh" | "dhs" | "sfr") && !first_upper {
            return None;
        }
        return Some((c, 1.0));
    }
    let is_upper = w.bytes().all(|b| b.is_ascii_uppercase());
    if !is_upper {
        return None;
    }
    if w.len() == 3 && !code_is_word(w) {
        return Currency::from_code(w).map(|c| (c.code(), 1.0));
    }
    if w.len() == 4 && w.starts_with('M') {
        let rest = w.get(1..)?;
        if let Some((c, _)) = code_word(rest) {
            return Some((c, 1e6));
        }
    }
    None
}

/// A currency name after a number ("euros", "yen", "rupees"). Returns the
/// code, or a family marker for names that need an adjective to be exact.
/// `$` means "dollar, the article's default".
pub fn currency_name(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" | "buck" | "bucks" => "$",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" | "quid" => "GBP",
        "yen" => "JPY",
        "yuan" | "renminbi" | "rmb" | "kuai" => "CNY",
        "rupee" | "rupees" => "INR",
        "franc" | "francs" => "CHF",
        "peso" | "pesos" => "MXN",
        "ruble" | "rubles" | "rouble" | "roubles" => "RUB",
        "lira" | "liras" | "lire" => "TRY",
        "krona" | "kronor" => "SEK",
        "krone" | "kroner" => "NOK",
        "rand" => "ZAR",
        "naira" => "NGN",
        "shekel" | "shekels" => "ILS",
        "riyal" | "riyals" => "SAR",
        "dirham" | "dirhams" => "AED",
        "ringgit" => "MYR",
        "baht" => "THB",
        "hryvnia" | "hryvnias" | "hryvnas" => "UAH",
        "zloty" | "zlotys" | "zlotych" => "PLN",
        "forint" | "forints" => "HUF",
        "reais" => "BRL",
        "rupiah" => "IDR",
        "markka" | "markkaa" => "FIM",
        "guilder" | "guilders" => "NLG",
        "peseta" | "pesetas" => "ESP",
        "escudo" | "escudos" => "PTE",
        "drachma" | "drachmas" => "GRD",
        "bitcoin" | "bitcoins" => "BTC",
        "satoshi" | "satoshis" => "satoshi",
        "cent" | "cents" => "cent",
        "penny" | "pence" | "pennies" => "penny",
        "kip" => "LAK",
        "lari" => "GEL",
        "tenge" => "KZT",
        "cedi" | "cedis" => "GHS",
        "shilling" | "shillings" => "KES",
        "dinar" | "dinars" => "dinar",
        "won" => "KRW",
        "real" => "BRL",
        "mark" | "marks" | "deutschmark" | "deutschmarks" => "DEM",
        _ => return None,
    })
}

/// Names that are money only with an adjective in front ("South Korean won",
/// "Brazilian real", "German marks", "British pounds") or a scale ("5
/// billion won", "361 million pounds"): "236 pounds" is more often a weight.
pub fn name_needs_adjective(w: &str) -> bool {
    matches!(
        w,
        "won" | "real" | "mark" | "marks" | "dinar" | "dinars" | "rand" | "pound" | "pounds"
    )
}

/// Adjective (one or two words, lower case) + base code -> specific code.
pub fn adjective_currency(adj: &str, base: &str) -> Option<&'static str> {
    Some(match (adj, base) {
        ("us" | "u.s." | "american", "$") => "USD",
        ("canadian", "$") => "CAD",
        ("australian" | "aussie", "$") => "AUD",
        ("zealand", "$") => "NZD",
        ("kong", "$") => "HKD",
        ("singapore", "$") => "SGD",
        ("taiwan" | "taiwanese", "$") => "TWD",
        ("jamaican", "$") => "JMD",
        ("zimbabwe" | "zimbabwean", "$") => "ZWL",
        ("namibian", "$") => "NAD",
        ("fijian" | "fiji", "$") => "FJD",
        ("swiss", "CHF") => "CHF",
        ("french", "CHF") => "FRF",
        ("belgian", "CHF") => "BEF",
        ("cfa", "CHF") => "XOF",
        ("british" | "uk", "GBP") => "GBP",
        ("egyptian", "GBP") => "EGP",
        ("lebanese", "GBP") => "LBP",
        ("sudanese", "GBP") => "SDG",
        ("syrian", "GBP") => "SYP",
        ("mexican", "MXN") => "MXN",
        ("argentine" | "argentinian" | "argentinean", "MXN") => "ARS",
        ("chilean", "MXN") => "CLP",
        ("colombian", "MXN") => "COP",
        ("philippine", "MXN") => "PHP",
        ("cuban", "MXN") => "CUP",
        ("uruguayan", "MXN") => "UYU",
        ("indian", "INR") => "INR",
        ("pakistani", "INR") => "PKR",
        ("lankan", "INR") => "LKR",
        ("nepalese" | "nepali", "INR") => "NPR",
        ("mauritian", "INR") => "MUR",
        ("swedish", "SEK") => "SEK",
        ("icelandic", "SEK") => "ISK",
        ("norwegian", "NOK") => "NOK",
        ("danish", "NOK") => "DKK",
        ("turkish", "TRY") => "TRY",
        ("italian", "TRY") => "ITL",
        ("korean", "KRW") => "KRW",
        ("brazilian", "BRL") => "BRL",
        ("german" | "deutsche", "DEM") => "DEM",
        ("finnish", "FIM") => "FIM",
        ("dutch", "NLG") => "NLG",
        ("spanish", "ESP") => "ESP",
        ("portuguese", "PTE") => "PTE",
        ("russian", "RUB") => "RUB",
        ("chinese", "CNY") => "CNY",
        ("japanese", "JPY") => "JPY",
        ("kuwaiti", "dinar") => "KWD",
        ("iraqi", "dinar") => "IQD",
        ("jordanian", "dinar") => "JOD",
        ("bahraini", "dinar") => "BHD",
        ("libyan", "dinar") => "LYD",
        ("tunisian", "dinar") => "TND",
        ("algerian", "dinar") => "DZD",
        ("serbian", "dinar") => "RSD",
        ("saudi", "SAR") => "SAR",
        ("qatari", "SAR") => "QAR",
        ("omani", "SAR") => "OMR",
        ("yemeni", "SAR") => "YER",
        ("iranian", "SAR") => "IRR",
        ("emirati" | "uae", "AED") => "AED",
        ("moroccan", "AED") => "MAD",
        ("kenyan", "KES") => "KES",
        ("ugandan", "KES") => "UGX",
        ("tanzanian", "KES") => "TZS",
        ("african", "ZAR") => "ZAR",
        _ => return None,
    })
}

/// True when `adj` modifies a currency in a way we know but does not change
/// the code ("us dollar" handled above; "hong" precedes "kong").
pub fn is_two_word_adjective_head(w: &str) -> bool {
    matches!(w, "hong" | "new" | "sri" | "south" | "deutsche" | "cfa")
}

/// Words that end a counted-noun search: function words, verbs and
/// everything that is not the thing counted.
pub fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "but"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "as"
            | "than"
            | "that"
            | "this"
            | "these"
            | "those"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "has"
            | "have"
            | "had"
            | "do"
            | "does"
            | "did"
            | "will"
            | "would"
            | "could"
            | "should"
            | "may"
            | "might"
            | "can"
            | "must"
            | "shall"
            | "it"
            | "its"
            | "he"
            | "she"
            | "they"
            | "we"
            | "you"
            | "i"
            | "his"
            | "her"
            | "their"
            | "our"
            | "your"
            | "my"
            | "not"
            | "no"
            | "if"
            | "so"
            | "up"
            | "down"
            | "out"
            | "over"
            | "into"
            | "about"
            | "after"
            | "before"
            | "since"
            | "until"
            | "per"
            | "more"
            | "less"
            | "most"
            | "least"
            | "percent"
            | "pct"
            | "cent"
            | "times"
            | "plus"
            | "equals"
            | "minus"
            | "each"
            | "other"
            | "only"
            | "also"
            | "just"
            | "all"
            | "both"
            | "said"
            | "says"
            | "say"
            | "there"
            | "here"
            | "then"
            | "when"
            | "where"
            | "while"
            | "how"
            | "what"
            | "why"
            | "against"
            | "among"
            | "between"
            | "during"
            | "under"
            | "above"
            | "below"
            | "through"
            | "across"
            | "within"
            | "without"
            | "year-on-year"
            | "apiece"
            | "ago"
            | "later"
            | "earlier"
            | "respectively"
            | "st"
            | "nd"
            | "rd"
            | "th"
            | "am"
            | "pm"
            | "a.m."
            | "p.m."
            | "o'clock"
    )
}

/// Singular of a lower-cased English noun (simple rules plus the commonest
/// irregular plurals).
pub fn singular(w: &str) -> String {
    let irregular = match w {
        "people" => Some("person"),
        "children" => Some("child"),
        "men" => Some("man"),
        "women" => Some("woman"),
        "police" => Some("police"),
        "feet" => Some("foot"),
        "teeth" => Some("tooth"),
        "mice" => Some("mouse"),
        "geese" => Some("goose"),
        "lives" => Some("life"),
        "wives" => Some("wife"),
        "knives" => Some("knife"),
        "data" => Some("data"),
        "criteria" => Some("criterion"),
        "series" => Some("series"),
        "species" => Some("species"),
        "news" => Some("news"),
        "aircraft" => Some("aircraft"),
        "staff" => Some("staff"),
        "personnel" => Some("personnel"),
        _ => None,
    };
    if let Some(s) = irregular {
        return s.to_string();
    }
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    for suf in ["sses", "shes", "ches", "xes", "zzes"] {
        if n > suf.len() + 1 && w.ends_with(suf) {
            return w[..n - 2].to_string();
        }
    }
    if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
    {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// Reference words whose number is a label, not a quantity ("Article 2").
pub fn is_reference_word(w: &str) -> bool {
    matches!(
        w,
        "article"
            | "section"
            | "chapter"
            | "clause"
            | "paragraph"
            | "rule"
            | "resolution"
            | "amendment"
            | "part"
            | "phase"
            | "stage"
            | "round"
            | "level"
            | "title"
            | "volume"
            | "item"
            | "no"
            | "no."
            | "number"
            | "annex"
            | "schedule"
            | "page"
            | "figure"
            | "table"
            | "step"
            | "grade"
            | "category"
            | "act"
            | "protocol"
            | "point"
            | "line"
            | "route"
            | "gate"
            | "room"
            | "exercise"
            | "game"
            | "match"
            | "week"
            | "season"
            | "episode"
    )
}

/// Capitalised words that may stand right before a number without making
/// it part of a name ("In 2008", "About 300").
pub fn is_function_word(w: &str) -> bool {
    is_stop(w)
        || matches!(
            w,
            "some"
                | "nearly"
                | "almost"
                | "around"
                | "approximately"
                | "roughly"
                | "only"
                | "just"
                | "another"
                | "every"
                | "until"
                | "till"
                | "early"
                | "late"
                | "mid"
                | "circa"
                | "estimated"
                | "top"
                | "first"
                | "total"
                | "overall"
                | "fully"
                | "exactly"
                | "barely"
                | "even"
                | "still"
                | "nowhere"
                | "now"
                | "so"
                | "yet"
                | "spent"
                | "paid"
                | "raised"
                | "cost"
                | "costs"
                | "costing"
                | "worth"
                | "killed"
                | "injured"
                | "wounded"
                | "lost"
                | "won"
                | "gained"
                | "added"
                | "cut"
                | "hit"
                | "reached"
                | "reaching"
                | "hired"
                | "employs"
                | "employed"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_definition() {
        for k in KNOWN {
            assert!(word_slow(k).is_some(), "{k} is not in word_slow");
            assert_eq!(word(k), word_slow(k));
        }
        assert_eq!(word("seventy"), Some(Word::Tens(70.0)));
        assert_eq!(word("troops"), None);
        // the scanner skips words longer than 9 bytes: none may be known
        assert!(KNOWN.iter().all(|k| k.len() <= 9));
        assert_eq!(singular("people"), "person");
        assert_eq!(singular("drones"), "drone");
        assert_eq!(singular("companies"), "company");
        assert_eq!(denominator("thirds", false), Some(3.0));
        assert_eq!(denominator("third", false), None);
        assert_eq!(denominator("elevenths", false), Some(11.0));
        assert_eq!(denominator("billionth", true), Some(1e9));
        assert_eq!(denominator("first", true), None);
        assert_eq!(code_word("ALL"), None);
        assert_eq!(code_word("EUR"), Some(("EUR", 1.0)));
        assert_eq!(code_word("MUSD"), Some(("USD", 1e6)));
    }
}
