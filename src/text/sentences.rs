//! Sentence splitting inside one block, using the tokens: a sentence ends at
//! `.`, `!` or `?` (plus any closing quotes and brackets) followed by a token
//! that can start a sentence, unless the period ends a known abbreviation or
//! an initial.

use super::lexicon::is_abbreviation;
use super::tokens::{Token, TokenKind};
use super::Span;

/// Split the block `block` of `text` into sentences (spans inside the block).
pub fn split_sentences(text: &str, block: Span, tokens: &[Token]) -> Vec<Span> {
    let lo = tokens.partition_point(|t| t.start < block.start);
    let hi = tokens.partition_point(|t| t.end <= block.end);
    let toks = if lo <= hi { &tokens[lo..hi] } else { &[][..] };
    let mut out = Vec::new();
    let mut sent_start: Option<usize> = None;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if sent_start.is_none() {
            sent_start = Some(t.start);
        }
        let tx = t.text(text);
        let terminal = matches!(tx, "." | "!" | "?" | "…");
        if terminal {
            let prev_abbrev = tx == "."
                && i > 0
                && toks[i - 1].end == t.start
                && toks[i - 1].kind == TokenKind::Word
                && is_abbreviation(toks[i - 1].text(text));
            // Absorb further terminals and closing quotes/brackets.
            let mut j = i + 1;
            while j < toks.len() {
                let x = toks[j].text(text);
                if !toks[j].space_before
                    && (toks[j].kind == TokenKind::Quote
                        || matches!(x, ")" | "]" | "." | "!" | "?" | "…"))
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let next_starts = match toks.get(j) {
                None => true,
                Some(n) => {
                    let first = n.text(text).chars().next().unwrap_or(' ');
                    n.space_before
                        && (first.is_uppercase()
                            || first.is_numeric()
                            || n.kind == TokenKind::Quote
                            || matches!(first, '(' | '[' | '-' | '—'))
                }
            };
            if next_starts && !prev_abbrev {
                let end = toks[j - 1].end;
                if let Some(s) = sent_start.take() {
                    out.push(Span::new(s, end));
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if let (Some(s), Some(last)) = (sent_start, toks.last()) {
        out.push(Span::new(s, last.end));
    }
    out
}
