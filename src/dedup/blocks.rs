//! In-article dedup: split the raw text into blocks (non-empty lines:
//! paragraphs and headline lines), normalise each, detect the title, and drop
//! every block whose normalised form was already seen, keeping the first
//! occurrence and the original order. Sentences repeated inside a paragraph are
//! never touched: only whole blocks are compared.

use std::collections::HashMap;

use crate::output::RemovedBlock;
use crate::text::{normalize_block, normalize_for_match, split_lines, Span};

/// Result of in-article dedup.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockDedup {
    pub title: String,
    /// Kept blocks other than the title, normalised, joined by blank lines.
    pub body: String,
    /// `normalize_for_match(&body)`, assembled from the blocks' match keys
    /// (computed once here for finding repeats) instead of folding the body
    /// again: the keys of the non-empty blocks joined by one space.
    pub body_folded: String,
    /// Unique blocks, the title block included when it came from the text.
    pub kept: usize,
    pub removed: Vec<RemovedBlock>,
}

/// How many leading blocks may hold a marked-up headline.
const TITLE_SEARCH_BLOCKS: usize = 3;

fn is_marked_heading(raw: &str) -> bool {
    let t = raw.trim();
    (t.starts_with("**") && t.ends_with("**") && t.len() > 4)
        || (t.starts_with("__") && t.ends_with("__") && t.len() > 4)
        || (t.starts_with('#') && t.trim_start_matches('#').starts_with(' '))
}

/// Deduplicate the blocks of `text`. `given_title` is the producer's title
/// (JSON input); when absent the title is the first marked-up headline among
/// the first blocks (markdown bold or `#`), else the first block.
pub fn dedup_blocks(given_title: Option<&str>, text: &str) -> BlockDedup {
    let lines: Vec<Span> = split_lines(text);
    let mut seen: HashMap<String, usize> = HashMap::new();
    // (span, normalised block, its match key)
    let mut kept: Vec<(Span, String, String)> = Vec::new();
    let mut removed = Vec::new();
    let title_key = given_title.map(normalize_for_match);
    for span in lines {
        let raw = span.slice(text);
        let norm = normalize_block(raw);
        let key = normalize_for_match(&norm);
        if key.is_empty() {
            // Separators ("* * *", "—") carry no words: keep them as they are.
            if !norm.is_empty() {
                kept.push((span, norm, key));
            }
            continue;
        }
        if let Some(&first) = seen.get(&key) {
            removed.push(RemovedBlock {
                start: span.start,
                end: span.end,
                duplicate_of: first,
            });
            continue;
        }
        seen.insert(key.clone(), span.start);
        kept.push((span, norm, key));
    }
    let (title, title_idx) = match given_title {
        Some(t) => {
            let idx = kept
                .iter()
                .position(|(_, _, k)| title_key.as_ref() == Some(k));
            (normalize_block(t), idx)
        }
        None => {
            let idx = kept
                .iter()
                .take(TITLE_SEARCH_BLOCKS)
                .position(|(s, _, _)| is_marked_heading(s.slice(text)))
                .or(if kept.is_empty() { None } else { Some(0) });
            (
                idx.and_then(|i| kept.get(i))
                    .map(|(_, n, _)| n.clone())
                    .unwrap_or_default(),
                idx,
            )
        }
    };
    let count = kept.len();
    let body_blocks: Vec<&(Span, String, String)> = kept
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != title_idx)
        .map(|(_, b)| b)
        .collect();
    let body: Vec<&str> = body_blocks.iter().map(|(_, n, _)| n.as_str()).collect();
    let keys: Vec<&str> = body_blocks
        .iter()
        .map(|(_, _, k)| k.as_str())
        .filter(|k| !k.is_empty())
        .collect();
    BlockDedup {
        title,
        body: body.join("\n\n"),
        body_folded: keys.join(" "),
        kept: count,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_blocks_removed_title_detected() {
        let t = "Standfirst line.\n**The Headline**\n\n**The Headline**\nPara one.\nPara two.\nPara one.\n";
        let d = dedup_blocks(None, t);
        assert_eq!(d.title, "The Headline");
        assert_eq!(d.kept, 4);
        assert_eq!(d.removed.len(), 2);
        assert_eq!(d.body, "Standfirst line.\n\nPara one.\n\nPara two.");
        let r = &d.removed[1];
        assert_eq!(&t[r.start..r.end], "Para one.");
        assert_eq!(&t[r.duplicate_of..r.duplicate_of + 9], "Para one.");
    }

    #[test]
    fn repeated_sentence_inside_paragraph_stays() {
        let t = "Title\nGo now. Go now. Really.\nOther.";
        let d = dedup_blocks(None, t);
        assert_eq!(d.title, "Title");
        assert!(d.removed.is_empty());
        assert!(d.body.contains("Go now. Go now."));
    }

    #[test]
    fn given_title_repeated_in_body_is_not_body() {
        let d = dedup_blocks(Some("Big News"), "Big news\nText here.\nText here.");
        assert_eq!(d.title, "Big News");
        assert_eq!(d.body, "Text here.");
        assert_eq!(d.kept, 2);
        assert_eq!(d.removed.len(), 1);
    }

    #[test]
    fn typographic_variants_are_repeats() {
        let d = dedup_blocks(Some("T"), "He said “yes.”\nHe said \"yes.\"");
        assert_eq!(d.removed.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn body_folded_is_the_folded_body(
            lines in proptest::collection::vec("[a-zA-Z0-9 .,*#_\u{2014}\u{201c}\u{a0}\u{e9}\u{2026}\u{200b}-]{0,30}", 0..8),
            title in proptest::option::of("[a-zA-Z *#]{0,12}"),
        ) {
            let text = lines.join("\n");
            let d = dedup_blocks(title.as_deref(), &text);
            proptest::prop_assert_eq!(&d.body_folded, &normalize_for_match(&d.body));
        }
    }
}
