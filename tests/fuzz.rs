//! Fuzz-style property tests (proptest, bounded case counts so CI stays
//! fast): the decoder on arbitrary bytes and JSON-like byte soup never
//! panics; the whole pipeline (prepare + enrich, every stage) on arbitrary
//! strings and on adversarial generated text (quote marks, digits, currency
//! symbols, capitalised words, newlines, multibyte characters) never panics
//! and every `start`/`end` (and `first_offset`) anywhere in the entities,
//! quotes and figures lies on a char boundary inside `body` (inside `title`
//! for a span marked as in the title), start <= end.
//!
//! Raise the case count locally with PROPTEST_CASES=10000.

use std::sync::OnceLock;

use lede::article::{decode, DecodeLimits};
use lede::pipeline::{Pipeline, PipelineConfig};
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(PipelineConfig::default()).expect("pipeline"))
}

/// Every offset in the enrichment of `raw` (when it decodes) is valid.
fn check_pipeline(raw: &[u8]) -> Result<(), TestCaseError> {
    let p = pipeline();
    let prepared = match p.prepare(raw) {
        Ok(prepared) => prepared,
        // Poison is a fine answer; a panic is not.
        Err(_) => return Ok(()),
    };
    let e = p.enrich(prepared);
    let v = serde_json::to_value(&e).map_err(|err| TestCaseError::fail(err.to_string()))?;
    let texts = Texts {
        body: e.body.as_str(),
        title: e.title.as_str(),
    };
    for key in ["entities", "quotes", "figures"] {
        check_offsets(&v[key], &texts, key)?;
    }
    Ok(())
}

/// The two fields a span can point into.
struct Texts<'a> {
    body: &'a str,
    title: &'a str,
}

fn check_offsets(v: &serde_json::Value, texts: &Texts, path: &str) -> Result<(), TestCaseError> {
    match v {
        serde_json::Value::Object(o) => {
            let in_title = o.get("field").and_then(|f| f.as_str()) == Some("title");
            let body = if in_title { texts.title } else { texts.body };
            let num = |k: &str| o.get(k).and_then(|x| x.as_u64()).map(|x| x as usize);
            if let (Some(s), Some(e)) = (num("start"), num("end")) {
                prop_assert!(s <= e, "{path}: start {s} > end {e}");
                prop_assert!(
                    e <= body.len(),
                    "{path}: end {e} past body ({} bytes)",
                    body.len()
                );
                prop_assert!(
                    body.is_char_boundary(s) && body.is_char_boundary(e),
                    "{path}: {s}..{e} not on char boundaries"
                );
            }
            if let Some(f) = num("first_offset") {
                prop_assert!(
                    f <= body.len() && body.is_char_boundary(f),
                    "{path}: first_offset {f} invalid"
                );
            }
            for (k, x) in o {
                check_offsets(x, texts, &format!("{path}.{k}"))?;
            }
        }
        serde_json::Value::Array(a) => {
            // A span on the wire: [start, end], or [start, end, "title"].
            match a.as_slice() {
                [serde_json::Value::Number(s), serde_json::Value::Number(e)] => {
                    let pair = serde_json::json!({"start": s, "end": e});
                    return check_offsets(&pair, texts, path);
                }
                [serde_json::Value::Number(s), serde_json::Value::Number(e), f] => {
                    prop_assert_eq!(f.as_str(), Some("title"), "{}: bad span marker", path);
                    let pair = serde_json::json!({"start": s, "end": e, "field": "title"});
                    return check_offsets(&pair, texts, path);
                }
                _ => {}
            }
            for (i, x) in a.iter().enumerate() {
                check_offsets(x, texts, &format!("{path}[{i}]"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Pieces that stress the extractors: quote marks of every kind, numbers,
/// currency, capitalised words, line breaks, multibyte and combining chars.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\"", "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}", "'", "\u{AB}", "\u{BB}",
            "\u{201E}", "\u{2039}", "\u{203A}", "``", "''",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "$", "\u{20AC}", "\u{A3}", "\u{A5}", "\u{20B9}", "US$", "EUR", "%", "per cent",
            "million", "bn", "m", "k", "percent", "pp", "\u{2212}", "-", "\u{2013}", "to",
        ])
        .prop_map(str::to_string),
        "[0-9]{1,4}([.,][0-9]{1,3}){0,2}",
        "[A-Z][a-z]{1,8}",
        "[a-z]{1,8}",
        prop::sample::select(vec![
            " ", " ", " ", "\n", "\n\n", "\r\n", "\t", ". ", ", ", "; ", ": ", "?", "!", "(", ")",
            "\u{2014}", "\u{A0}",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "said",
            "says",
            "told",
            "according to",
            "Mr",
            "Dr.",
            "U.S.",
            "The",
            "He",
            "She",
            "January",
            "2024",
            "1990s",
            "Q3",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "\u{E9}",
            "\u{4E2D}\u{6587}",
            "\u{1F600}",
            "e\u{301}",
            "\u{200D}",
            "\u{FEFF}",
            "\u{5D0}\u{5D1}",
            "\u{627}\u{644}",
            "\u{1F1FA}\u{1F1F8}",
            "\u{0}",
            "\u{1B}",
            "\u{2028}",
            "\u{FFFD}",
            "\u{10FFFF}",
        ])
        .prop_map(str::to_string),
    ]
}

fn adversarial_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..300).prop_map(|v| v.concat())
}

/// Byte soup built from JSON tokens, so the JSON branch is reached often.
fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "{",
                "}",
                "[",
                "]",
                ":",
                ",",
                "\"",
                "\"body\"",
                "\"title\"",
                "\"id\"",
                "\"url\"",
                "\"published_at\"",
                "\"text\"",
                "null",
                "true",
                "1e309",
                "-0",
                "\"\\u0000\"",
                "\"\\ud800\"",
                "\"x\"",
                " ",
                "\\",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..4),
        ],
        0..80,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_bytes(raw in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode(&raw, &DecodeLimits::default());
    }

    #[test]
    fn decode_never_panics_on_json_soup(raw in json_soup()) {
        let _ = decode(&raw, &DecodeLimits::default());
        let _ = decode(&raw, &DecodeLimits { max_bytes: 64, max_json_depth: 3 });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn pipeline_on_arbitrary_strings(s in any::<String>()) {
        check_pipeline(s.as_bytes())?;
    }

    #[test]
    fn pipeline_on_arbitrary_bytes(raw in prop::collection::vec(any::<u8>(), 0..1024)) {
        check_pipeline(&raw)?;
    }

    #[test]
    fn pipeline_on_adversarial_plain_text(title in adversarial_text(), body in adversarial_text()) {
        check_pipeline(format!("{title}\n\n{body}").as_bytes())?;
    }

    #[test]
    fn pipeline_on_adversarial_json(title in adversarial_text(), body in adversarial_text()) {
        let raw = serde_json::to_vec(&serde_json::json!({
            "title": title,
            "body": body,
            "published_at": "2025-03-01T12:00:00Z",
        }))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_pipeline(&raw)?;
    }

    #[test]
    fn pipeline_on_adversarial_html(body in adversarial_text()) {
        let raw = format!("<p>{}</p><div>{body}</div><br>", body.replace('\n', "<br>"));
        check_pipeline(raw.as_bytes())?;
    }
}

/// A check that must fail: the offset checker rejects a split multibyte char,
/// and reads a span marked as in the title against the title.
#[test]
fn offset_check_rejects_bad_offsets() {
    let texts = Texts {
        body: "caf\u{E9} ok",
        title: "Hi",
    };
    let bad = serde_json::json!([{"start": 4, "end": 5}]);
    assert!(check_offsets(&bad, &texts, "t").is_err());
    let reversed = serde_json::json!([{"start": 3, "end": 1}]);
    assert!(check_offsets(&reversed, &texts, "t").is_err());
    let past = serde_json::json!([{"mentions": [{"start": 0, "end": 99}]}]);
    assert!(check_offsets(&past, &texts, "t").is_err());
    let past_pair = serde_json::json!([{"mentions": [[0, 99]]}]);
    assert!(check_offsets(&past_pair, &texts, "t").is_err());
    let good = serde_json::json!([{"start": 0, "end": 5, "first_offset": 6}]);
    assert!(check_offsets(&good, &texts, "t").is_ok());
    let past_title = serde_json::json!([{"mentions": [[0, 5, "title"]]}]);
    assert!(check_offsets(&past_title, &texts, "t").is_err());
    let in_title = serde_json::json!([{"mentions": [[0, 2, "title"]]}, {"start": 0, "end": 2, "field": "title"}]);
    assert!(check_offsets(&in_title, &texts, "t").is_ok());
}
