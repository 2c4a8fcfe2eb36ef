//! Human-readable views for `tail` and `replay --pretty`: a record's fields
//! in reading order (id, title, source, entities, quotes, figures, then the
//! rest, the body last), one entity / quote / figure per line; and a safe
//! preview of a payload that is not JSON (a dead letter).

use serde_json::Value;

/// Top-level fields first, in this order; then the others by name, `body` last.
const TOP: [&str; 9] = [
    "id",
    "title",
    "source",
    "url",
    "published_at",
    "lang",
    "entities",
    "quotes",
    "figures",
];

/// Inside one item: these keys first, in this order; then the others by name.
const ITEM: [&str; 12] = [
    "id",
    "type",
    "kind",
    "canonical",
    "text",
    "value",
    "unit",
    "start",
    "end",
    "field",
    "mentions",
    "speaker",
];

/// The record `v` as indented text in reading order.
pub fn pretty(v: &Value) -> String {
    let Value::Object(map) = v else {
        return serde_json::to_string_pretty(v).unwrap_or_default();
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| top_rank(k));
    let mut out = String::from("{\n");
    for (i, k) in keys.iter().enumerate() {
        let val = &map[k.as_str()];
        out.push_str(&format!("  {}: ", Value::String((*k).clone())));
        match val {
            Value::Array(items) if !items.is_empty() => {
                out.push_str("[\n");
                for (j, item) in items.iter().enumerate() {
                    out.push_str("    ");
                    out.push_str(&compact(item));
                    out.push_str(if j + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str("  ]");
            }
            other => out.push_str(&compact(other)),
        }
        out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
    }
    out.push('}');
    out
}

fn top_rank(k: &str) -> (usize, String) {
    match TOP.iter().position(|t| *t == k) {
        Some(i) => (i, String::new()),
        None if k == "body" => (usize::MAX, String::new()),
        None => (TOP.len(), k.to_string()),
    }
}

/// One line of JSON with object keys in [`ITEM`] order.
fn compact(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| match ITEM.iter().position(|t| *t == k.as_str()) {
                Some(i) => (i, String::new()),
                None => (ITEM.len(), (*k).clone()),
            });
            let fields: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}: {}",
                        Value::String((*k).clone()),
                        compact(&map[k.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// At most `max` bytes of `payload` as printable text: invalid UTF-8 and
/// control characters (terminal escapes included) shown as `\u{..}`.
pub fn preview(payload: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&payload[..payload.len().min(max)]);
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if payload.len() > max {
        out.push_str(&format!(" ... ({} bytes in all)", payload.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_in_reading_order_with_the_body_last() {
        let v = serde_json::json!({
            "body": "B", "dedup": {"blocks_kept": 1}, "entities": [{"type": "ORG", "id": "e0", "canonical": "X"}],
            "figures": [], "id": "a", "quotes": [], "source": "s", "title": "T", "lang": "en"
        });
        let p = pretty(&v);
        let at = |k: &str| p.find(&format!("\"{k}\"")).unwrap_or(usize::MAX);
        let order = [
            "id", "title", "source", "lang", "entities", "quotes", "figures", "dedup", "body",
        ];
        for w in order.windows(2) {
            assert!(at(w[0]) < at(w[1]), "{} before {}:\n{p}", w[0], w[1]);
        }
        assert!(
            p.contains("{\"id\": \"e0\", \"type\": \"ORG\", \"canonical\": \"X\"}"),
            "{p}"
        );
        let back: Value = serde_json::from_str(&p).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn a_preview_escapes_control_bytes_and_is_bounded() {
        let p = preview(b"bad \x1b[31m\xff json", 100);
        assert!(
            !p.contains('\x1b') && p.contains("\\u{1b}") && p.contains('\u{fffd}'),
            "{p}"
        );
        let long = preview(&[b'a'; 500], 10);
        assert!(
            long.starts_with("aaaaaaaaaa ...") && long.contains("500 bytes"),
            "{long}"
        );
    }
}
