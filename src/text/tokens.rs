//! Tokenisation with byte offsets. A token is a word (letters, with internal
//! hyphens and initialism dots such as "U.S."), a number ("1,000", "3.5",
//! "90s"), a clitic ("'s", "n't", "'re"), or one punctuation character.
//! White space is never a token. Linear, allocation-free per token, total.

use super::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (any script), possibly with internal hyphens, apostrophes or dots.
    Word,
    /// Starts with a digit: "2008", "1,000", "3.5", "90s", "5G".
    Number,
    /// A clitic split from the word before it: "'s", "'re", "n't".
    Clitic,
    /// Quotation marks of every style, straight and curly, and guillemets.
    Quote,
    /// Any other single non-alphanumeric, non-space character.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// True when white space (or the start of the text) comes right before.
    pub space_before: bool,
}

impl Token {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        s.get(self.start..self.end).unwrap_or("")
    }
}

/// True for characters used as quotation marks.
pub fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '`'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// Tokenise `text`. Every token lies on char boundaries.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut i = 0;
    let mut space_before = true;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            space_before = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphanumeric() {
            kind = if c.is_numeric() {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            i += 1;
            loop {
                if i >= n {
                    break;
                }
                let c = chars[i].1;
                if c.is_alphanumeric() || is_combining(c) {
                    i += 1;
                    continue;
                }
                let next = if i + 1 < n {
                    Some(chars[i + 1].1)
                } else {
                    None
                };
                let prev = chars[i - 1].1;
                match (c, next) {
                    // Internal hyphen: "NATO-aligned", "twenty-five".
                    (h, Some(nx)) if is_hyphen(h) && nx.is_alphanumeric() => i += 1,
                    // Digit grouping and decimals: "1,000", "3.5".
                    (',' | '.', Some(nx))
                        if prev.is_ascii_digit()
                            && nx.is_ascii_digit()
                            && kind == TokenKind::Number =>
                    {
                        i += 1
                    }
                    // Initialisms: "U.S." "U.K." — single letters separated by dots.
                    ('.', nx)
                        if kind == TokenKind::Word && is_initialism_dot(&chars, start, i, nx) =>
                    {
                        i += 1;
                    }
                    // Apostrophe inside a word: split clitics, keep O'Brien.
                    (a, Some(nx)) if is_apostrophe(a) && nx.is_alphabetic() => {
                        let nt = matches!(prev, 'n' | 'N')
                            && matches!(nx, 't' | 'T')
                            && chars
                                .get(i + 2)
                                .map(|x| !x.1.is_alphanumeric())
                                .unwrap_or(true);
                        if nt || clitic_len(&chars, i).is_some() {
                            break;
                        }
                        i += 1;
                    }
                    _ => break,
                }
            }
            // "n't": move the n into the clitic ("don't" -> "do" "n't").
            if kind == TokenKind::Word
                && i < n
                && is_apostrophe(chars[i].1)
                && i + 1 < n
                && chars[i + 1].1 == 't'
                && i - start >= 2
                && matches!(chars[i - 1].1, 'n' | 'N')
            {
                let end = i - 1;
                out.push(Token {
                    start: byte_at(start),
                    end: byte_at(end),
                    kind,
                    space_before,
                });
                let cl_end = end + 3;
                out.push(Token {
                    start: byte_at(end),
                    end: byte_at(cl_end.min(n)),
                    kind: TokenKind::Clitic,
                    space_before: false,
                });
                i = cl_end.min(n);
                space_before = false;
                continue;
            }
        } else if is_apostrophe(c) && i > 0 && chars[i - 1].1.is_alphanumeric() {
            if let Some(len) = clitic_len(&chars, i) {
                i += len;
                kind = TokenKind::Clitic;
            } else {
                i += 1;
                kind = TokenKind::Quote;
            }
        } else if is_quote_char(c) {
            i += 1;
            kind = TokenKind::Quote;
        } else {
            i += 1;
            kind = TokenKind::Punct;
        }
        out.push(Token {
            start: byte_at(start),
            end: byte_at(i),
            kind,
            space_before,
        });
        space_before = false;
    }
    out
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// At `chars[i]` == '.', inside a word that started at `start`: is this an
/// initialism dot ("U.S.", "D.C.")? True when every segment so far is one letter
/// and the next char is a letter or the dot closes a one-letter segment after
/// at least one earlier dot.
fn is_initialism_dot(chars: &[(usize, char)], start: usize, i: usize, next: Option<char>) -> bool {
    // Segment before the dot must be exactly one letter.
    if i < start + 1 || !chars[i - 1].1.is_alphabetic() {
        return false;
    }
    if i >= start + 2 && chars[i - 2].1 != '.' {
        return false;
    }
    match next {
        Some(nx) if nx.is_alphabetic() => {
            // Next segment must also be a single letter followed by '.'.
            chars.get(i + 2).map(|x| x.1 == '.').unwrap_or(false)
        }
        _ => i >= start + 2 && chars[i - 2].1 == '.',
    }
}

/// Length in chars of a clitic starting at the apostrophe `chars[i]`, if any.
fn clitic_len(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let word_end = |j: usize| chars.get(j).map(|x| !x.1.is_alphanumeric()).unwrap_or(true);
    let lower = |j: usize| chars.get(j).map(|x| x.1.to_ascii_lowercase());
    match lower(i + 1) {
        Some('s') | Some('m') | Some('d') if word_end(i + 2) => Some(2),
        Some('r') if lower(i + 2) == Some('e') && word_end(i + 3) => Some(3),
        Some('v') if lower(i + 2) == Some('e') && word_end(i + 3) => Some(3),
        Some('l') if lower(i + 2) == Some('l') && word_end(i + 3) => Some(3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn words_clitics_numbers() {
        assert_eq!(toks("Ukraine's deal"), vec!["Ukraine", "'s", "deal"]);
        assert_eq!(toks("We’re done"), vec!["We", "’re", "done"]);
        assert_eq!(toks("don't"), vec!["do", "n't"]);
        assert_eq!(toks("O'Brien said"), vec!["O'Brien", "said"]);
        assert_eq!(
            toks("$1,000.50 and 3.5%"),
            vec!["$", "1,000.50", "and", "3.5", "%"]
        );
        assert_eq!(
            toks("the U.S. and U.K."),
            vec!["the", "U.S.", "and", "U.K."]
        );
        assert_eq!(
            toks("NATO-aligned path."),
            vec!["NATO-aligned", "path", "."]
        );
        assert_eq!(
            toks("“Hi,” he said"),
            vec!["“", "Hi", ",", "”", "he", "said"]
        );
        assert_eq!(toks("Erdoğan"), vec!["Erdoğan"]);
        assert_eq!(toks("end. Next"), vec!["end", ".", "Next"]);
    }

    #[test]
    fn kinds_and_spaces() {
        let s = "He said \"yes\"";
        let t = tokenize(s);
        assert_eq!(t[2].kind, TokenKind::Quote);
        assert!(t[2].space_before);
        assert!(!t[3].space_before);
        assert_eq!(t[3].kind, TokenKind::Word);
    }
}
