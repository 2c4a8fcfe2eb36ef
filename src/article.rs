//! Raw input decoding: bytes from the transport become an [`Article`], or a
//! typed [`DecodeError`] that names why the input is poison. Pure: no I/O.
//!
//! Accepted forms: a JSON object (`id`, `url`, `title`, `body`|`text`|`content`,
//! `source`, `published_at`, `language`, anything else kept under `extra`), or
//! plain UTF-8 text (title detected later by the block stage).

use serde_json::{Map, Value};

use crate::dedup::keys::{canonical_url, short_hash};

/// Limits applied while decoding.
#[derive(Debug, Clone, Copy)]
pub struct DecodeLimits {
    /// Largest accepted payload in bytes.
    pub max_bytes: usize,
    /// Deepest accepted JSON nesting.
    pub max_json_depth: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_bytes: 4 * 1024 * 1024,
            max_json_depth: 32,
        }
    }
}

/// Why a payload cannot be processed. Poison: retrying will not help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("payload is {size} bytes, over the {limit}-byte limit")]
    Oversized { size: usize, limit: usize },
    #[error("payload is not valid UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("payload looks like JSON but does not parse: {0}")]
    InvalidJson(String),
    #[error("JSON nesting deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("JSON payload has the wrong shape: {0}")]
    WrongShape(String),
    #[error("article body is empty or white space only")]
    EmptyBody,
}

impl DecodeError {
    /// Short machine-readable reason, used as a metric label and DLQ header.
    pub fn reason(&self) -> &'static str {
        match self {
            DecodeError::Oversized { .. } => "oversized",
            DecodeError::NotUtf8 { .. } => "not_utf8",
            DecodeError::InvalidJson(_) => "invalid_json",
            DecodeError::TooDeep { .. } => "too_deep",
            DecodeError::WrongShape(_) => "wrong_shape",
            DecodeError::EmptyBody => "empty_body",
        }
    }
}

/// One decoded article, before any normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Given by the producer, or derived (see [`derive_id`]).
    pub id: String,
    pub url: Option<String>,
    /// Given by the producer (JSON); `None` for plain text (detected later).
    pub title: Option<String>,
    pub body: String,
    pub source: Option<String>,
    pub published_at: Option<String>,
    pub language: Option<String>,
    pub extra: Map<String, Value>,
}

/// Decode a raw payload into an [`Article`].
pub fn decode(raw: &[u8], limits: &DecodeLimits) -> Result<Article, DecodeError> {
    if raw.len() > limits.max_bytes {
        return Err(DecodeError::Oversized {
            size: raw.len(),
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(raw).map_err(|e| DecodeError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        decode_json(trimmed, limits)
    } else {
        decode_plain(text)
    }
}

fn decode_plain(text: &str) -> Result<Article, DecodeError> {
    let body = strip_html(text);
    if body.trim().is_empty() {
        return Err(DecodeError::EmptyBody);
    }
    let id = derive_id(None, &body);
    Ok(Article {
        id,
        url: None,
        title: None,
        body,
        source: None,
        published_at: None,
        language: None,
        extra: Map::new(),
    })
}

fn json_depth_ok(text: &str, limit: usize) -> bool {
    // Scan outside strings; serde_json's own recursion limit is 128, ours is lower.
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    for b in text.bytes() {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

fn decode_json(text: &str, limits: &DecodeLimits) -> Result<Article, DecodeError> {
    if !json_depth_ok(text, limits.max_json_depth) {
        return Err(DecodeError::TooDeep {
            limit: limits.max_json_depth,
        });
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::InvalidJson(e.to_string()))?;
    let Value::Object(mut obj) = value else {
        return Err(DecodeError::WrongShape(
            "expected a JSON object with a `body` (or `text`/`content`) string".into(),
        ));
    };
    let mut take_str = |key: &str| -> Result<Option<String>, DecodeError> {
        match obj.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
            Some(other) => Err(DecodeError::WrongShape(format!(
                "field `{key}` must be a string, found {}",
                type_name(&other)
            ))),
        }
    };
    let id = take_str("id")?;
    let url = take_str("url")?;
    let title = take_str("title")?;
    let body = match take_str("body")? {
        Some(b) => Some(b),
        None => match take_str("text")? {
            Some(t) => Some(t),
            None => take_str("content")?,
        },
    };
    let source = take_str("source")?;
    let published_at = take_str("published_at")?;
    let language = take_str("language")?.or(take_str("lang")?);
    let Some(body) = body else {
        return Err(DecodeError::WrongShape(
            "no `body`, `text` or `content` string field".into(),
        ));
    };
    if let Some(p) = &published_at {
        if time::OffsetDateTime::parse(p, &time::format_description::well_known::Rfc3339).is_err() {
            return Err(DecodeError::WrongShape(format!(
                "`published_at` is not RFC 3339: {p:?}"
            )));
        }
    }
    let body = strip_html(&body);
    if body.trim().is_empty() {
        return Err(DecodeError::EmptyBody);
    }
    let id = match id.filter(|s| !s.trim().is_empty()) {
        Some(id) => id,
        None => derive_id(url.as_deref(), &body),
    };
    Ok(Article {
        id,
        url,
        title: title.filter(|t| !t.trim().is_empty()),
        body,
        source,
        published_at,
        language,
        extra: obj,
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A stable id: `u-<sha256(canonical url)>` when a URL is given, else
/// `c-<sha256(normalised content)>`; 16 bytes of hash, hex. Same input, same id,
/// on every replica.
pub fn derive_id(url: Option<&str>, body: &str) -> String {
    match url.map(canonical_url) {
        Some(u) if !u.is_empty() => format!("u-{}", short_hash(&u)),
        _ => format!("c-{}", short_hash(&crate::text::normalize_for_match(body))),
    }
}

/// Remove HTML markup when the body looks like HTML: tags are dropped, block
/// tags (`p`, `br`, `div`, `h1`-`h6`, `li`) become line breaks, `script` and
/// `style` contents are dropped, the common entities are decoded. Text that
/// has no tags is returned unchanged.
pub fn strip_html(text: &str) -> String {
    if !looks_like_html(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            if skip_until.is_none() {
                out.push_str(&decode_entities(&rest[lt..]));
            }
            rest = "";
            break;
        };
        let tag = after[..gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(end) = skip_until {
            if tag.starts_with('/') && name == end {
                skip_until = None;
            }
        } else if !tag.starts_with('/') && (name == "script" || name == "style") {
            skip_until = Some(if name == "script" { "script" } else { "style" });
        } else if matches!(
            name.as_str(),
            "p" | "br"
                | "div"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "li"
                | "tr"
                | "blockquote"
        ) {
            out.push('\n');
        }
        rest = &after[gt + 1..];
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    out
}

fn looks_like_html(text: &str) -> bool {
    let lower_has = |needle: &str| text.contains(needle);
    [
        "<p>", "<p ", "<br", "<div", "</p>", "<html", "<body", "<span", "<a href", "<h1", "<h2",
        "<script", "<li>",
    ]
    .iter()
    .any(|t| lower_has(t) || lower_has(&t.to_ascii_uppercase()))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&rsquo;", "\u{2019}")
        .replace("&lsquo;", "\u{2018}")
        .replace("&ldquo;", "\u{201C}")
        .replace("&rdquo;", "\u{201D}")
        .replace("&mdash;", "\u{2014}")
        .replace("&ndash;", "\u{2013}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &[u8]) -> Result<Article, DecodeError> {
        decode(s, &DecodeLimits::default())
    }

    #[test]
    fn plain_text_and_json() {
        let a = d(b"Headline\n\nBody text.").unwrap();
        assert_eq!(a.title, None);
        assert!(a.id.starts_with("c-"));
        let j = d(br#"{"url":"https://Ex.com/a?utm_source=x","title":"T","text":"Body","foo":1}"#)
            .unwrap();
        assert_eq!(j.body, "Body");
        assert_eq!(j.title.as_deref(), Some("T"));
        assert!(j.id.starts_with("u-"));
        assert_eq!(j.extra.get("foo"), Some(&Value::from(1)));
        let same = d(br#"{"url":"https://ex.com/a","body":"Other"}"#).unwrap();
        assert_eq!(j.id, same.id, "id derives from the canonical url");
    }

    #[test]
    fn poison_inputs() {
        assert_eq!(d(b"{not json").unwrap_err().reason(), "invalid_json");
        assert_eq!(d(b"[1,2]").unwrap_err().reason(), "wrong_shape");
        assert_eq!(d(br#"{"title":"x"}"#).unwrap_err().reason(), "wrong_shape");
        assert_eq!(d(br#"{"body":5}"#).unwrap_err().reason(), "wrong_shape");
        assert_eq!(d(b"   \n\t ").unwrap_err(), DecodeError::EmptyBody);
        assert_eq!(d(br#"{"body":"  "}"#).unwrap_err(), DecodeError::EmptyBody);
        assert_eq!(d(b"ab\xffcd").unwrap_err().reason(), "not_utf8");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(d(deep.as_bytes()).unwrap_err().reason(), "too_deep");
        let big = vec![b'a'; 5 * 1024 * 1024];
        assert_eq!(d(&big).unwrap_err().reason(), "oversized");
        assert_eq!(
            d(br#"{"body":"x","published_at":"yesterday"}"#)
                .unwrap_err()
                .reason(),
            "wrong_shape"
        );
    }

    #[test]
    fn html_is_stripped() {
        let a = d(b"<p>Hello <b>world</b> &amp; more</p><script>x()</script><p>Two</p>").unwrap();
        assert_eq!(a.body.trim(), "Hello world & more\n\nTwo");
    }
}
