//! Text normalisation: Unicode NFKC, curly to straight quotes, white space,
//! markdown emphasis. Two flavours: [`normalize_block`] keeps the text
//! readable (it is what the output body is made of), [`normalize_for_match`]
//! folds case and punctuation for comparing blocks and hashing content.

use unicode_normalization::UnicodeNormalization;

/// Normalise one line of article text for output: NFKC, no-break and other
/// spaces to a plain space, runs of white space collapsed, control characters
/// dropped, markdown `**bold**`/`__bold__` markers and leading `#` headings
/// stripped. Quote characters are kept as written (curly stays curly) so
/// quotations can be read back exactly.
/// The NFKC form of `s` as chars, skipping the (costly) normaliser when a
/// quick check proves `s` is already in NFKC (all ASCII text is).
fn nfkc_chars(s: &str) -> Nfkc<'_> {
    if s.is_ascii()
        || unicode_normalization::is_nfkc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        Nfkc::Already(s.chars())
    } else {
        Nfkc::Normalised(s.nfkc())
    }
}

enum Nfkc<'a> {
    Already(std::str::Chars<'a>),
    Normalised(unicode_normalization::Recompositions<std::str::Chars<'a>>),
}

impl Iterator for Nfkc<'_> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            Nfkc::Already(c) => c.next(),
            Nfkc::Normalised(c) => c.next(),
        }
    }
}

pub fn normalize_block(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last_space = true;
    for c in nfkc_chars(line) {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        out.push(c);
        last_space = false;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    strip_markdown(&out)
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Remove markdown emphasis markers and heading hashes from a line.
pub fn strip_markdown(line: &str) -> String {
    let mut s = line.trim();
    // Heading markers: "# Title", "## Title".
    let hashes = s.len() - s.trim_start_matches('#').len();
    if hashes > 0 && hashes <= 6 && s[hashes..].starts_with(' ') {
        s = s[hashes..].trim_start();
    }
    let s = s.replace("**", "").replace("__", "");
    // A whole line wrapped in single * or _ is emphasis too.
    let t = s.trim();
    for m in ['*', '_'] {
        if t.len() > 2 && t.starts_with(m) && t.ends_with(m) {
            return t[1..t.len() - 1].trim().to_string();
        }
    }
    t.to_string()
}

/// Fold a text for comparison: [`normalize_block`], then lower case, curly
/// quotes and apostrophes to straight, dashes to `-`, and every run of
/// non-alphanumeric characters other than quotes collapsed to one space.
pub fn normalize_for_match(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in nfkc_chars(text) {
        if c.is_ascii() {
            // fast path (most characters): fold_punct changes no ASCII
            // letter or digit, and its one ASCII mapping ('`') is punctuation
            if c.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c.to_ascii_lowercase());
            } else {
                pending_space = true;
            }
            continue;
        }
        let c = fold_punct(c);
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// Map typographic variants to their ASCII form.
pub fn fold_punct(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_normalisation() {
        assert_eq!(
            normalize_block("**Big  News**\u{00A0} today "),
            "Big News today"
        );
        assert_eq!(normalize_block("## Heading"), "Heading");
        assert_eq!(normalize_block("ﬁne\u{200B}"), "fine");
        assert_eq!(normalize_block("“Curly” stays"), "“Curly” stays");
    }

    #[test]
    fn match_folding() {
        assert_eq!(
            normalize_for_match("Ukraine’s  “deal”—NOW!"),
            normalize_for_match("ukraine's \"deal\" - now")
        );
        assert_eq!(normalize_for_match("A, b."), "a b");
    }
}

#[cfg(test)]
mod nfkc_fast_path_tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn fast_path_agrees_with_the_normaliser() {
        for s in [
            "plain ascii text, 42%",
            "caf\u{e9} na\u{ef}ve",               // already NFKC
            "cafe\u{301} \u{fb01}nance \u{2460}", // needs NFKC: combining accent, ligature, circled one
            "\u{ff21}\u{ff22} full width",
        ] {
            let fast: String = nfkc_chars(s).collect();
            let full: String = s.nfkc().collect();
            assert_eq!(fast, full, "{s:?}");
        }
    }
}
