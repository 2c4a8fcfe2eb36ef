//! Tests of figure extraction on sentences written for them: every form the
//! extractor handles, every "not a figure" case, and a property test
//! (never panics, offsets on char boundaries, values finite).

use super::*;
use proptest::prelude::*;

const PUB: &str = "2025-02-27T09:00:00Z"; // a Thursday

fn figs(s: &str) -> Vec<Figure> {
    extract(&Document::new("", s, None))
}

fn figs_pub(s: &str) -> Vec<Figure> {
    extract(&Document::new("", s, Some(PUB.to_string())))
}

/// The one figure of `s`, checked for kind, text, value and unit.
fn one(s: &str, kind: FigureKind, text: &str, value: f64, unit: Option<&str>) -> Figure {
    let f = figs(s);
    assert_eq!(f.len(), 1, "{s:?} -> {f:?}");
    let f = f.into_iter().next().unwrap();
    assert_eq!(f.kind, Some(kind), "{s:?}");
    assert_eq!(f.text, text, "{s:?}");
    assert_eq!(s.get(f.start..f.end), Some(text), "{s:?}");
    let v = f.value.unwrap();
    assert!(
        (v - value).abs() <= 1e-9 * value.abs().max(1.0),
        "{s:?}: {v} != {value}"
    );
    assert_eq!(f.unit.as_deref(), unit, "{s:?}");
    f
}

fn money(s: &str, text: &str, value: f64, code: &str) -> Figure {
    one(s, FigureKind::Money, text, value, Some(code))
}

#[test]
fn money_symbols_codes_and_scales() {
    money(
        "The bank lent $350 billion to them.",
        "$350 billion",
        350e9,
        "USD",
    );
    money(
        "The fund raised US$4.7bn last spring.",
        "US$4.7bn",
        4.7e9,
        "USD",
    );
    money("Brussels added €2.5bn to the pot.", "€2.5bn", 2.5e9, "EUR");
    money("The club paid £40m for him.", "£40m", 40e6, "GBP");
    money(
        "The grant is EUR 12 million in total.",
        "EUR 12 million",
        12e6,
        "EUR",
    );
    money(
        "They will spend 12 million euros on it.",
        "12 million euros",
        12e6,
        "EUR",
    );
    money(
        "The plan costs Rs 75,000 crore overall.",
        "Rs 75,000 crore",
        75_000.0 * 1e7,
        "INR",
    );
    money(
        "Tokyo set aside ¥1.2 trillion for it.",
        "¥1.2 trillion",
        1.2e12,
        "JPY",
    );
    money("A ticket is C$25 now.", "C$25", 25.0, "CAD");
    money("The rights sold for HK$3.1bn.", "HK$3.1bn", 3.1e9, "HKD");
    money("Sales hit 3 billion yuan.", "3 billion yuan", 3e9, "CNY");
    money("She owed 500 rupees.", "500 rupees", 500.0, "INR");
    money(
        "Ottawa spent 40 million Canadian dollars.",
        "40 million Canadian dollars",
        40e6,
        "CAD",
    );
    money(
        "A loan of 2 billion South Korean won.",
        "2 billion South Korean won",
        2e9,
        "KRW",
    );
    money(
        "The fine was 10,000 Swiss francs.",
        "10,000 Swiss francs",
        10_000.0,
        "CHF",
    );
    money("Shares closed at 470 pence.", "470 pence", 4.7, "GBP");
    money("Gas rose 50 cents.", "50 cents", 0.5, "USD");
    money(
        "It only cost 3 dollars 50 cents.",
        "3 dollars 50 cents",
        3.5,
        "USD",
    );
    money(
        "The toy cost thirteen dollars.",
        "thirteen dollars",
        13.0,
        "USD",
    );
    money("They budgeted USD 200 for it.", "USD 200", 200.0, "USD");
    money("The bond pays 115USD a year.", "115USD", 115.0, "USD");
    money("Revenue of 30 MUSD was booked.", "30 MUSD", 30e6, "USD");
    money("A loss of $2.5 mn was booked.", "$2.5 mn", 2.5e6, "USD");
}

#[test]
fn money_accounting_negative_and_dollar_context() {
    money(
        "Net income was $(1.2) million.",
        "$(1.2) million",
        -1.2e6,
        "USD",
    );
    // an article about Canadian dollars resolves a bare $ to CAD
    let f = figs("The loonie fell against the Canadian dollar basket. Ottawa spent $5 billion.");
    let m: Vec<_> = f
        .iter()
        .filter(|f| f.kind == Some(FigureKind::Money))
        .collect();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].unit.as_deref(), Some("CAD"));
    money(
        "Profit rose to 361 million pounds.",
        "361 million pounds",
        361e6,
        "GBP",
    );
    money(
        "It cost 20 British pounds.",
        "20 British pounds",
        20.0,
        "GBP",
    );
    // "pounds of" and unscaled "pounds" are weights, not money
    assert!(figs("He weighs 236 pounds now.")
        .iter()
        .all(|f| f.kind != Some(FigureKind::Money)));
    assert!(figs("He lost 20 pounds of weight.")
        .iter()
        .all(|f| f.kind != Some(FigureKind::Money)));
}

#[test]
fn percent_and_points() {
    one(
        "Inflation hit 5% on the year.",
        FigureKind::Percent,
        "5%",
        5.0,
        Some("%"),
    );
    one(
        "Turnout was 12 per cent.",
        FigureKind::Percent,
        "12 per cent",
        12.0,
        Some("%"),
    );
    one(
        "Turnout was 12.5 percent.",
        FigureKind::Percent,
        "12.5 percent",
        12.5,
        Some("%"),
    );
    one(
        "The rate rose 3 percentage points.",
        FigureKind::Percent,
        "3 percentage points",
        3.0,
        Some("pp"),
    );
    one(
        "Prices fell by twenty percent.",
        FigureKind::Percent,
        "twenty percent",
        20.0,
        Some("%"),
    );
    one(
        "Output shrank -4.5% on the year.",
        FigureKind::Percent,
        "-4.5%",
        -4.5,
        Some("%"),
    );
    let f = one(
        "It holds about 5% of the world's critical raw materials.",
        FigureKind::Percent,
        "5%",
        5.0,
        Some("%"),
    );
    assert_eq!(
        f.context.as_deref(),
        Some("of the world's critical raw materials")
    );
    assert!(f.approximate);
    assert_eq!(f.qualifier.as_deref(), Some("about"));
}

#[test]
fn counts_with_nouns_and_words() {
    let f = one(
        "They sent 300 troops north.",
        FigureKind::Count,
        "300",
        300.0,
        Some("troop"),
    );
    assert_eq!(f.context.as_deref(), Some("troops"));
    one(
        "Some say two million people fled.",
        FigureKind::Count,
        "two million",
        2e6,
        Some("person"),
    );
    one(
        "Police saw a dozen drones.",
        FigureKind::Count,
        "a dozen",
        12.0,
        Some("drone"),
    );
    one(
        "The town took in half a million refugees.",
        FigureKind::Count,
        "half a million",
        5e5,
        Some("refugee"),
    );
    one(
        "There were 1.5 million voters.",
        FigureKind::Count,
        "1.5 million",
        1.5e6,
        Some("voter"),
    );
    one(
        "We met twenty-five children.",
        FigureKind::Count,
        "twenty-five",
        25.0,
        Some("child"),
    );
    one(
        "They hired one hundred and six nurses.",
        FigureKind::Count,
        "one hundred and six",
        106.0,
        Some("nurse"),
    );
    one(
        "They arrested 40 American soldiers.",
        FigureKind::Count,
        "40",
        40.0,
        Some("soldier"),
    );
    one(
        "Two thirds of voters agreed.",
        FigureKind::Quantity,
        "Two thirds",
        2.0 / 3.0,
        None,
    );
}

#[test]
fn sentence_starts_come_from_the_text_layer() {
    // a capitalised number word starts a sentence after "?" and a closing
    // quote, but not inside one ("Formula One")
    let f = figs("Was it fair?\u{201D} Forty-three voters said yes.");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].text, "Forty-three");
    assert_eq!(f[0].value, Some(43.0));
    assert!(figs("He joined Formula One teams.").is_empty());
    // months and weekdays from the shared lexicon
    let f = figs_pub("They met on Wednesday in Sept. 2024.");
    assert!(f.iter().any(|x| x.text == "Wednesday"), "{f:?}");
    assert!(f.iter().any(|x| x.text == "Sept. 2024"), "{f:?}");
}

#[test]
fn years_and_dates() {
    let f = one(
        "In 2008, NATO signalled a future.",
        FigureKind::Year,
        "2008",
        2008.0,
        None,
    );
    assert_eq!(f.date.as_deref(), Some("2008-01-01/2008-12-31"));
    // 2,000 troops is a count, not a year
    one(
        "The 2000 troops landed.",
        FigureKind::Count,
        "2000",
        2000.0,
        Some("troop"),
    );
    let d = figs_pub("They meet on March 3, 2025 and again on 3 March.");
    let dates: Vec<_> = d
        .iter()
        .map(|f| (f.text.as_str(), f.date.as_deref()))
        .collect();
    assert_eq!(
        dates,
        vec![
            ("March 3, 2025", Some("2025-03-03")),
            ("3 March", Some("2025-03-03"))
        ]
    );
    let d = figs_pub("He flies this Friday; the deal came last year, and talks ended yesterday.");
    let got: Vec<_> = d
        .iter()
        .map(|f| (f.text.as_str(), f.date.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("this Friday", Some("2025-02-28")),
            ("last year", Some("2024-01-01/2024-12-31")),
            ("yesterday", Some("2025-02-26")),
        ]
    );
    // without a publication date they stay relative
    let d = figs("He flies this Friday.");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].relative.as_deref(), Some("this Friday"));
    assert!(d[0].date.is_none());
    let d = figs_pub("Sales peaked in March 2024 and fell three years ago.");
    let got: Vec<_> = d
        .iter()
        .map(|f| (f.text.as_str(), f.date.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("March 2024", Some("2024-03-01/2024-03-31")),
            ("three years ago", Some("2022-01-01/2022-12-31")),
        ]
    );
    let d = figs("The filing is dated 2025-03-03.");
    assert_eq!(d[0].date.as_deref(), Some("2025-03-03"));
}

#[test]
fn ranges() {
    let f = figs("Growth of between 3 and 5 percent is likely.");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, Some(FigureKind::Range));
    assert_eq!((f[0].low, f[0].high), (Some(3.0), Some(5.0)));
    assert_eq!(f[0].unit.as_deref(), Some("%"));
    let f = figs("The plan costs $10-15 billion.");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].text, "$10-15 billion");
    assert_eq!((f[0].low, f[0].high), (Some(10e9), Some(15e9)));
    assert_eq!(f[0].unit.as_deref(), Some("USD"));
    let f = figs("Rates of 3 to 5 percent.");
    assert_eq!((f[0].low, f[0].high), (Some(3.0), Some(5.0)));
    let f = figs("Between 2010-2015 output grew.");
    assert_eq!((f[0].low, f[0].high), (Some(2010.0), Some(2015.0)));
    let f = figs("We expect 20-30 people.");
    assert_eq!((f[0].low, f[0].high), (Some(20.0), Some(30.0)));
    assert_eq!(f[0].unit.as_deref(), Some("person"));
}

#[test]
fn qualifiers_and_bounds() {
    let cases = [
        ("It cost about $5 million.", Some("about"), true, None),
        (
            "It cost approximately $5 million.",
            Some("approximately"),
            true,
            None,
        ),
        (
            "It cost nearly $5 million.",
            Some("nearly"),
            true,
            Some("upper"),
        ),
        (
            "It cost more than $5 million.",
            Some("more than"),
            false,
            Some("lower"),
        ),
        (
            "It cost up to $5 million.",
            Some("up to"),
            false,
            Some("upper"),
        ),
        (
            "It cost at least $5 million.",
            Some("at least"),
            false,
            Some("lower"),
        ),
        ("It cost $5 million.", None, false, None),
    ];
    for (s, q, approx, bound) in cases {
        let f = money(s, "$5 million", 5e6, "USD");
        assert_eq!(f.qualifier.as_deref(), q, "{s}");
        assert_eq!(f.approximate, approx, "{s}");
        assert_eq!(f.bound.as_deref(), bound, "{s}");
    }
    let f = money(
        "Assets valued at approximately $350 billion are held there.",
        "$350 billion",
        350e9,
        "USD",
    );
    assert_eq!(f.context.as_deref(), Some("Assets"));
}

#[test]
fn not_figures() {
    let none = [
        "Call +1 202-555-0143 for details.",
        "Call (202) 555-0143 now.",
        "Dial 020 7946 0958 now.",
        "Ring 202-555-0143 now.",
        "The talks start at 10:30 in Geneva.",
        "They land at 3 p.m. sharp.",
        "They land at 3pm sharp.",
        "1. First we looked at it.",
        "The summit is COP28 in Dubai.",
        "He still runs Windows 11 on it.",
        "See https://example.com/2024/05/story-12 for more.",
        "Write to desk2024@example.com for more.",
        "The vote came on 9/11 again.",
        "He told USA TODAY so.",
        "Posted as <tweet id=\"747986907162877951\"> here.",
        "We shipped 123456789012345678 of them.",
        "The vote came on 3/4 again.",
        "It happened in the 1990s again.",
        "No one of them spoke.",
        "Formula One drivers objected.",
        "All five.",
    ];
    for s in none {
        let f = figs(s);
        assert!(
            f.iter()
                .all(|f| f.kind == Some(FigureKind::Count) && f.text == "five")
                || f.is_empty(),
            "{s:?} -> {f:?}"
        );
    }
    // "All five." is a bare count; the rest give nothing at all
    for s in none.iter().take(none.len() - 1) {
        assert!(figs(s).is_empty(), "{s:?} -> {:?}", figs(s));
    }
    // "Article 2" is an ordinal reference, not a count
    let f = one(
        "Under Article 2 of the treaty.",
        FigureKind::Ordinal,
        "Article 2",
        2.0,
        Some("article"),
    );
    assert!(f.context.is_none());
}

#[test]
fn seed_like_paragraph() {
    let s = "Ukraine holds about 5% of the world's critical raw materials. Assets valued at \
             approximately $350 billion are held there. In 2008, NATO signalled a future. \
             Zelensky proposed it last year and flies there this Friday.";
    let f = figs_pub(s);
    let kinds: Vec<_> = f
        .iter()
        .map(|f| (f.kind.unwrap(), f.text.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (FigureKind::Percent, "5%"),
            (FigureKind::Money, "$350 billion"),
            (FigureKind::Year, "2008"),
            (FigureKind::Date, "last year"),
            (FigureKind::Date, "this Friday"),
        ]
    );
    assert!(f[1].approximate);
}

#[test]
fn notations_powers_scientific_and_leading_dot() {
    let q = FigureKind::Quantity;
    one(
        "The factor was 2.5^-1 in the model.",
        q,
        "2.5^-1",
        0.4,
        None,
    );
    one(
        "Growth compounds to 1.1^3 overall.",
        q,
        "1.1^3",
        1.331,
        None,
    );
    one("A loss of -4^2 was logged.", q, "-4^2", -16.0, None);
    one("Avogadro gave 6.02e+23 here.", q, "6.02e+23", 6.02e23, None);
    one("The step was -15e-1 long.", q, "-15e-1", -1.5, None);
    one("They tried 1e6 times.", q, "1e6", 1e6, None);
    one("The rate rose to .35 overall.", q, ".35", 0.35, None);
    // not notations: inside words, versions, identifiers, percent
    assert!(figs("Build 3e4a7 shipped.").is_empty());
    assert!(figs("the hash ab1e5 was wrong").is_empty());
    assert!(figs("Use v.2 of the tool.").is_empty());
}

#[test]
fn merged_fractions_mixed_and_over() {
    let q = FigureKind::Quantity;
    one("The bar was 3  3/4 long.", q, "3  3/4", 3.75, None);
    one(
        "He said forty and two fifths twice.",
        q,
        "forty and two fifths",
        40.4,
        None,
    );
    one("It was six and a half.", q, "six and a half", 6.5, None);
    one(
        "Take seven and a quarter.",
        q,
        "seven and a quarter",
        7.25,
        None,
    );
    one(
        "The odds were two over five.",
        q,
        "two over five",
        0.4,
        None,
    );
    one("The odds were 3 over 8.", q, "3 over 8", 0.375, None);
    one(
        "It came to minus nine over 10.",
        q,
        "minus nine over 10",
        -0.9,
        None,
    );
    one(
        "It was one hundred and ten fifths.",
        q,
        "one hundred and ten fifths",
        22.0,
        None,
    );
    one(
        "It was three twenty-fifths.",
        q,
        "three twenty-fifths",
        0.12,
        None,
    );
    one("Just 2 trillionths of it.", q, "2 trillionths", 2e-12, None);
    // a denominator with a noun is a duration or count, not a fraction
    let f = figs("Prices rose 4 over 3 years.");
    assert!(f.iter().all(|f| f.kind != Some(q)), "{f:?}");
    // two separate counts stay apart
    let f = figs("There were 7 boats and 3 cars.");
    assert_eq!(f.len(), 2, "{f:?}");
}

/// The values of `s`'s figures, in order.
fn values(s: &str) -> Vec<f64> {
    figs(s).iter().filter_map(|f| f.value).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn spelled_fractions_split_like_recognizers() {
    let q = FigureKind::Quantity;
    // the numerator ends where the words stop composing
    one(
        "The tank was three twenty-firsts full.",
        q,
        "three twenty-firsts",
        3.0 / 21.0,
        None,
    );
    one(
        "The split was forty forty-fifths.",
        q,
        "forty forty-fifths",
        40.0 / 45.0,
        None,
    );
    one(
        "The share came to one hundred forty-sevenths.",
        q,
        "one hundred forty-sevenths",
        100.0 / 47.0,
        None,
    );
    one(
        "It was one one hundred and seventh.",
        q,
        "one one hundred and seventh",
        1.0 / 107.0,
        None,
    );
    one(
        "It came to two hundred one thousand sixths.",
        q,
        "two hundred one thousand sixths",
        200.0 / 1006.0,
        None,
    );
    one(
        "He got a thirty-first of the pot.",
        q,
        "a thirty-first",
        1.0 / 31.0,
        None,
    );
    one(
        "It weighs a billionth of a gram.",
        q,
        "a billionth",
        1e-9,
        None,
    );
    one(
        "It was six - sevenths.",
        q,
        "six - sevenths",
        6.0 / 7.0,
        None,
    );
    one(
        "The balance was minus two ninths.",
        q,
        "minus two ninths",
        -2.0 / 9.0,
        None,
    );
    // "ninety - five" is one number, then the split
    one(
        "It was sixty - two hundred thirds.",
        q,
        "sixty - two hundred thirds",
        6200.0 / 3.0,
        None,
    );
    // an improper tail after "and" keeps the whole phrase one fraction
    one(
        "It was two hundred and ten sevenths.",
        q,
        "two hundred and ten sevenths",
        30.0,
        None,
    );
}

#[test]
fn mixed_numbers_and_scales() {
    let q = FigureKind::Quantity;
    one(
        "It measured two hundred and three quarters.",
        q,
        "two hundred and three quarters",
        200.75,
        None,
    );
    one(
        "Add nine and two sevenths.",
        q,
        "nine and two sevenths",
        9.0 + 2.0 / 7.0,
        None,
    );
    one("Take two and a fifth.", q, "two and a fifth", 2.2, None);
    one(
        "It was thirty and four and one eighth.",
        q,
        "thirty and four and one eighth",
        34.125,
        None,
    );
    one(
        "They raised four million and a half.",
        q,
        "four million and a half",
        4.5e6,
        None,
    );
    one(
        "They raised two billion and three fifths.",
        q,
        "two billion and three fifths",
        2.6e9,
        None,
    );
    one(
        "Sales hit 7 million and a half.",
        q,
        "7 million and a half",
        7.5e6,
        None,
    );
    let f = figs("About two and a half million people came.");
    assert!(f.iter().any(|f| f.value == Some(2.5e6)), "{f:?}");
    // dozens multiply the number right before them
    assert_eq!(
        values("They sold two hundred and three dozen."),
        vec![236.0]
    );
    assert_eq!(values("They sold five dozen."), vec![60.0]);
}

#[test]
fn ordinals_and_times_are_not_fractions() {
    for s in [
        "The twenty-first century began.",
        "She finished a fifth season.",
        "He came in one hundred and first.",
        "It lasted half an hour.",
        "In the first half of the year it grew.",
        "We met on the fifth floor.",
        "A third party joined.",
    ] {
        let f = figs(s);
        assert!(
            f.iter().all(|f| f.kind != Some(FigureKind::Quantity)),
            "{s:?} -> {f:?}"
        );
    }
    // "twenty seconds" is a duration, not ten
    assert_eq!(values("It took twenty seconds."), vec![20.0]);
    // a scale after the fraction is the number parser's: a quarter million
    assert_eq!(values("It cost a quarter million."), vec![250_000.0]);
}

#[test]
fn half_said_of_an_amount() {
    let f = one(
        "More than half of the members voted.",
        FigureKind::Quantity,
        "half",
        0.5,
        None,
    );
    assert_eq!(f.qualifier.as_deref(), Some("More than"));
    one(
        "Half of the staff left.",
        FigureKind::Quantity,
        "Half",
        0.5,
        None,
    );
    assert!(figs("He left at half time.").is_empty());
    assert!(figs("It took nearly half an hour.").is_empty());
}

#[test]
fn ratios_out_of() {
    let f = one(
        "Two out of five voters agreed.",
        FigureKind::Quantity,
        "Two out of five",
        0.4,
        None,
    );
    assert_eq!(f.context.as_deref(), Some("voters"));
    one(
        "Say 9 out of 10 dentists.",
        FigureKind::Quantity,
        "9 out of 10",
        0.9,
        None,
    );
    let f = figs("He picked 7 out of a hat.");
    assert!(
        f.iter().all(|f| f.kind != Some(FigureKind::Quantity)),
        "{f:?}"
    );
    // the share must not exceed the whole
    let f = figs("He scored 12 out of 10 somehow.");
    assert!(
        f.iter().all(|f| f.kind != Some(FigureKind::Quantity)),
        "{f:?}"
    );
}

#[test]
fn spaced_scale_letters() {
    assert_eq!(values("The file grew to 4.5 k"), vec![4500.0]);
    assert_eq!(values("Traffic hit 3 G."), vec![3e9]);
    assert_eq!(
        values("They logged 2,500.5 M, then stopped."),
        vec![2.5005e9]
    );
    // a kelvin, and a letter before a noun, are not scales
    assert_eq!(values("It was cooled to 4 K."), vec![4.0]);
    assert!(!values("They made 7 k units").contains(&7000.0));
    // glued network names stay out
    assert!(figs("The phone has 5G now.").is_empty());
}

#[test]
fn comma_lists_decimal_commas_and_digit_words() {
    let f = figs("See items 3,7,12,40 again.");
    let got: Vec<(&str, f64)> = f
        .iter()
        .map(|f| (f.text.as_str(), f.value.unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![("3", 3.0), ("7", 7.0), ("12", 12.0), ("40", 40.0)]
    );
    assert_eq!(values("The ratio was 2,5 today."), vec![2.5]);
    assert_eq!(values("It came to 5,00 flat."), vec![5.0]);
    // thousands groupings stay one number
    assert_eq!(values("It came to 1,234 flat."), vec![1234.0]);
    assert_eq!(values("They counted 12,480,300 votes."), vec![12_480_300.0]);
    // digits read out one word each
    let f = figs("The code was five-nine-two.");
    let got: Vec<(&str, f64)> = f
        .iter()
        .map(|f| (f.text.as_str(), f.value.unwrap()))
        .collect();
    assert_eq!(got, vec![("five", 5.0), ("nine", 9.0), ("two", 2.0)]);
    assert_eq!(values("It was twenty-five."), vec![25.0]);
    assert!(!values("Come three-four times.").contains(&3.0));
}

#[test]
fn vulgar_fractions_and_times_ten_notation() {
    let f = figs("The board is 2½ metres wide.");
    assert!(
        f.iter().any(|f| f.value == Some(2.5) && f.text == "2½"),
        "{f:?}"
    );
    assert!(values("Add ¾ of the flour.")
        .iter()
        .any(|v| close(*v, 0.75)));
    assert!(values("Then ⅜ more.").iter().any(|v| close(*v, 0.375)));
    let v = values("The count was 4.2x10^5 cells.");
    assert!(v.iter().any(|v| close(*v, 4.2e5)), "{v:?}");
    let v = values("The rate was 2.5 × 10^-3 today.");
    assert!(v.iter().any(|v| close(*v, 2.5e-3)), "{v:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn never_panics_offsets_valid(s in "(\\PC|[0-9$£€%,.\\- ]|million|bn|percent|between|and|March|this|Friday|twenty|-five){0,60}",
                                  p in proptest::option::of("(2025-02-27T09:00:00Z|garbage|2024-12-31T23:59:59+05:00)")) {
        let doc = Document::new("", s.clone(), p);
        let out = extract(&doc);
        let mut last = 0;
        for f in &out {
            prop_assert!(f.start <= f.end && f.end <= s.len());
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            prop_assert_eq!(s.get(f.start..f.end), Some(f.text.as_str()));
            prop_assert!(f.start >= last);
            last = f.end;
            for v in [f.value, f.low, f.high].into_iter().flatten() {
                prop_assert!(v.is_finite());
            }
        }
    }
}

#[test]
fn every_qualifier_fits_the_lookback() {
    for (words, _, _) in super::lexicon::QUALIFIERS {
        assert!(
            !words.is_empty() && words.len() <= super::lexicon::QUALIFIER_WORDS,
            "{words:?}"
        );
    }
}
