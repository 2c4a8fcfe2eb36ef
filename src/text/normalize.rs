//! Text normalisation: Unicode NFKC, curly to straight quotes, white space,
//! markdown emphasis. Two flavours: [`normalize_block`] keeps the text
//! readable (it is what the output body is made of), [`normalize_for_match`]
//! folds case and punctuation for comparing blocks and hashing content.

use unicode_normalization::UnicodeNormalization;

/// The NFKC form of `s`, borrowed when a quick check proves `s` is already
/// in NFKC (all ASCII text is). Otherwise only the pieces that need it are
/// normalised: the text is cut before every ASCII space, a starter that
/// never composes with or reorders against its neighbours, so normalising
/// the pieces apart gives the same result as normalising the whole (one
/// ellipsis or no-break space no longer sends a whole article through the
/// normaliser).
fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() || is_nfkc(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    for (i, _) in s.match_indices(' ').chain(std::iter::once((s.len(), ""))) {
        let piece = &s[start..i];
        if piece.is_ascii() || is_nfkc(piece) {
            out.push_str(piece);
        } else {
            out.extend(piece.nfkc());
        }
        start = i;
    }
    std::borrow::Cow::Owned(out)
}

fn is_nfkc(s: &str) -> bool {
    unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Normalise one line of article text for output: NFKC, no-break and other
/// spaces to a plain space, runs of white space collapsed, control characters
/// dropped, markdown `**bold**`/`__bold__` markers and leading `#` headings
/// stripped. Quote characters are kept as written (curly stays curly) so
/// quotations can be read back exactly.
pub fn normalize_block(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last_space = true;
    for c in nfkc(line).chars() {
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
    for c in nfkc(text).chars() {
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
            // Pieces cut at spaces: marks after a space, an ellipsis and a
            // no-break space between plain words, a diaeresis that expands
            // to a space, Hangul jamo that compose, marks to reorder.
            "a \u{308}b \u{301}\u{327}c",
            "wait\u{2026} and\u{a0}see what\u{2019}s next",
            "x \u{a8} y\u{a8}",
            "\u{1100}\u{1161} \u{1100} \u{1161}",
            "o\u{301}\u{323} e\u{323}\u{301}",
            " leading and trailing ",
            "",
        ] {
            let fast: String = nfkc(s).into_owned();
            let full: String = s.nfkc().collect();
            assert_eq!(fast, full, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn pieces_agree_with_the_normaliser(s in "[ a-z\u{300}-\u{36f}\u{a0}-\u{17f}\u{1100}-\u{1175}\u{2000}-\u{2060}\u{fb00}-\u{fb06}\u{ff01}-\u{ff5e}]{0,40}") {
            let full: String = s.nfkc().collect();
            proptest::prop_assert_eq!(nfkc(&s).into_owned(), full);
        }
    }
}
