//! Exact-duplicate keys: the canonical URL and the normalised content hash,
//! and the short hash that names keys and derived article ids. Pure
//! functions; the stores decide what was seen.

use sha2::{Digest, Sha256};

use crate::text::normalize_for_match;

/// First 16 bytes of SHA-256, lower-case hex.
pub fn short_hash(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    hex::encode(&d[..16])
}

/// Query parameters that only track the reader and never change the article.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "igshid"
                | "yclid"
                | "_ga"
                | "_gl"
                | "ref"
                | "ref_src"
                | "cmpid"
                | "smid"
                | "ocid"
                | "ito"
                | "cid"
                | "share"
                | "s_cid"
        )
}

/// Canonical form of a URL: scheme dropped (http and https are the same
/// article), host lower-cased without `www.`, default port dropped, fragment
/// dropped, tracking parameters removed, remaining parameters sorted, trailing
/// slash removed. A string that does not parse as a URL is trimmed and
/// lower-cased instead, so the key is still stable.
pub fn canonical_url(raw: &str) -> String {
    let raw = raw.trim();
    let Ok(u) = url::Url::parse(raw) else {
        return raw.to_lowercase();
    };
    let host = u.host_str().unwrap_or("").to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let mut out = host;
    if let Some(p) = u.port() {
        out.push(':');
        out.push_str(&p.to_string());
    }
    let path = u.path().trim_end_matches('/');
    out.push_str(path);
    let mut params: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    if !params.is_empty() {
        out.push('?');
        let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&q.join("&"));
    }
    out
}

/// Hash of the normalised text (case, punctuation, white space and quote
/// style folded), 16 bytes hex.
pub fn content_hash(title: &str, body: &str) -> String {
    content_hash_folded(&normalize_for_match(title), &normalize_for_match(body))
}

/// [`content_hash`] of a title and body already folded by
/// [`normalize_for_match`].
pub fn content_hash_folded(title: &str, body: &str) -> String {
    let mut s = String::with_capacity(title.len() + 1 + body.len());
    s.push_str(title);
    s.push('\n');
    s.push_str(body);
    short_hash(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls() {
        let a = canonical_url("https://WWW.Example.com/news/story/?utm_source=tw&b=2&a=1#top");
        let b = canonical_url("http://example.com/news/story?a=1&fbclid=xyz&b=2");
        assert_eq!(a, b);
        assert_eq!(a, "example.com/news/story?a=1&b=2");
        assert_ne!(
            canonical_url("https://example.com/a"),
            canonical_url("https://example.com/b")
        );
        assert_eq!(canonical_url("  not a url "), "not a url");
    }

    #[test]
    fn content_hash_folds_typography() {
        assert_eq!(
            content_hash("T", "He said “yes”.\n\nNext  line"),
            content_hash("t", "He said \"yes\". Next line")
        );
        assert_ne!(content_hash("T", "a b"), content_hash("T", "a c"));
    }
}
