//! The shared text layer: normalisation, blocks, sentences and tokens, every
//! span a byte range into one string. Built once per article by
//! [`TextLayer::build`] and read by every extractor; no stage re-tokenises.

pub mod lexicon;
pub mod normalize;
pub mod sentences;
pub mod tokens;

pub use normalize::{normalize_block, normalize_for_match};
pub use tokens::{Token, TokenKind};

/// A half-open byte range `[start, end)` into a string, always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// The slice of `text` this span covers, or "" if it does not fit.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Blocks (paragraphs / headline lines), sentences and tokens of one text.
#[derive(Debug, Clone, Default)]
pub struct TextLayer {
    /// Non-empty lines of the text, trimmed, in order (a block is one line:
    /// paragraphs are separated by newlines in the deduplicated body).
    pub blocks: Vec<Span>,
    /// Sentences, each inside one block.
    pub sentences: Vec<Span>,
    /// Tokens of the whole text in order; whitespace is not a token.
    pub tokens: Vec<Token>,
    /// For each sentence, the index range into `tokens`.
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

impl TextLayer {
    /// Build the layer over `text`. Pure, total (never panics), linear time.
    pub fn build(text: &str) -> TextLayer {
        let blocks = split_lines(text);
        let tokens = tokens::tokenize(text);
        let mut sentences = Vec::new();
        for b in &blocks {
            sentences.extend(sentences::split_sentences(text, *b, &tokens));
        }
        let mut sentence_tokens = Vec::with_capacity(sentences.len());
        let mut ti = 0;
        for s in &sentences {
            while ti < tokens.len() && tokens[ti].start < s.start {
                ti += 1;
            }
            let first = ti;
            while ti < tokens.len() && tokens[ti].end <= s.end {
                ti += 1;
            }
            sentence_tokens.push(first..ti);
        }
        TextLayer {
            blocks,
            sentences,
            tokens,
            sentence_tokens,
        }
    }

    /// Number of word-like tokens (words and numbers), the unit of speed reports.
    pub fn word_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .count()
    }
}

/// Split `text` into trimmed non-empty lines (byte spans).
pub fn split_lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            let s = start + lead;
            out.push(Span::new(s, s + trimmed.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_spans() {
        let t = "  Title\n\nBody one.\r\n  \nBody two. ";
        let spans = split_lines(t);
        let got: Vec<&str> = spans.iter().map(|s| s.slice(t)).collect();
        assert_eq!(got, vec!["Title", "Body one.", "Body two."]);
    }

    #[test]
    fn layer_sentences_map_to_tokens() {
        let t = "Mr. Smith went to Washington. He said \"hello.\"\nNew block here.";
        let l = TextLayer::build(t);
        assert_eq!(l.blocks.len(), 2);
        let sents: Vec<&str> = l.sentences.iter().map(|s| s.slice(t)).collect();
        assert_eq!(
            sents,
            vec![
                "Mr. Smith went to Washington.",
                "He said \"hello.\"",
                "New block here."
            ]
        );
        for (s, r) in l.sentences.iter().zip(&l.sentence_tokens) {
            for tok in &l.tokens[r.clone()] {
                assert!(s.contains(&tok.span()));
            }
        }
    }
}
