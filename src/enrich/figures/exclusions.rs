//! Numbers that are not figures: URLs, e-mail addresses and paths, telephone
//! numbers, and times of day.

use super::Scanner;
use crate::text::TokenKind;

impl<'a> Scanner<'a> {
    /// The white-space-delimited chunk around token i looks like a URL,
    /// e-mail address or path: returns the token index after it.
    pub(super) fn url_chunk_end(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let bytes = self.s.as_bytes();
        let mut a = t.start;
        let lim_a = t.start.saturating_sub(256);
        while a > lim_a && !bytes.get(a - 1).is_none_or(|b| b.is_ascii_whitespace()) {
            a -= 1;
        }
        let mut b = t.end;
        let lim_b = (t.end + 256).min(bytes.len());
        while b < lim_b && !bytes.get(b).is_none_or(|c| c.is_ascii_whitespace()) {
            b += 1;
        }
        let chunk = self.s.get(a..b)?;
        let is_url = chunk.contains("://")
            || chunk.contains("www.")
            || (chunk.contains('@') && chunk.contains('.'))
            || chunk.matches('/').count() >= 2 && !chunk.contains('$');
        if !is_url {
            return None;
        }
        let mut j = i;
        while self.tok(j).is_some_and(|t| t.start < b) {
            j += 1;
        }
        Some(j)
    }

    /// A telephone number starting at token i (or a `+`/`(` just before).
    pub(super) fn phone_end(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let bytes = self.s.as_bytes();
        let mut plus = false;
        let mut paren = false;
        if i > 0 && self.glued(i) {
            match self.text(i - 1) {
                "+" => plus = true,
                "(" => paren = true,
                _ => {}
            }
        }
        let mut b = t.start;
        let mut digits = 0usize;
        let mut groups: Vec<usize> = Vec::new();
        let mut cur = 0usize;
        let mut seps_dash = false;
        let mut seps_dot = false;
        let mut last_digit_end = b;
        let limit = (t.start + 40).min(bytes.len());
        while b < limit {
            let c = bytes.get(b).copied().unwrap_or(b'x');
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    cur += 1;
                    last_digit_end = b + 1;
                }
                b'-' | b'.' | b' ' | b'(' | b')' => {
                    if cur > 0 {
                        groups.push(cur);
                        cur = 0;
                    }
                    // a separator must be followed (soon) by a digit
                    let next_digit = bytes
                        .get(b + 1..(b + 3).min(bytes.len()))
                        .is_some_and(|w| w.iter().any(u8::is_ascii_digit));
                    if !next_digit {
                        break;
                    }
                    match c {
                        b'-' => seps_dash = true,
                        b'.' => seps_dot = true,
                        b')' | b'(' => paren = true,
                        _ => {}
                    }
                }
                _ => break,
            }
            b += 1;
        }
        if cur > 0 {
            groups.push(cur);
        }
        let g = groups.len();
        if digits < 7 || g < 2 {
            return None;
        }
        let first = groups.first().copied().unwrap_or(0);
        let thousands = first <= 3 && groups.iter().skip(1).all(|&x| x == 3);
        let phone = if plus || paren {
            true
        } else if seps_dash || seps_dot {
            let years = g == 2 && groups.iter().all(|&x| x == 4);
            let decimal = g == 2 && seps_dot && !seps_dash;
            let iso_date = g == 3 && groups == [4, 2, 2];
            !(years || decimal || iso_date)
        } else {
            g >= 3 && digits >= 9 && !thousands
        };
        if !phone {
            return None;
        }
        let mut j = i;
        while self.tok(j).is_some_and(|t| t.start < last_digit_end) {
            j += 1;
        }
        Some(j)
    }

    /// A time of day at token i ("10:30", "3pm", "3 p.m.", "5 o'clock").
    pub(super) fn time_end(&self, i: usize, suffix: &str, value: f64) -> Option<usize> {
        let l = suffix.to_ascii_lowercase();
        if matches!(
            l.as_str(),
            "am" | "pm" | "a.m" | "p.m" | "h" | "hrs" | "gmt" | "bst" | "utc"
        ) && value <= 24.0
        {
            return Some(i + 1);
        }
        if self.text(i + 1) == ":"
            && self.glued(i + 1)
            && self.kind(i + 2) == Some(TokenKind::Number)
            && self.glued(i + 2)
        {
            let mut j = i + 3;
            while self.text(j) == ":" && self.kind(j + 1) == Some(TokenKind::Number) {
                j += 2;
            }
            if let Some(l) = self.lower(j) {
                if matches!(
                    l.as_str(),
                    "am" | "pm" | "a.m." | "p.m." | "gmt" | "utc" | "et" | "bst"
                ) {
                    j += 1;
                }
            }
            return Some(j);
        }
        if value <= 24.0 && value.fract() == 0.0 {
            if let Some(l) = self.lower(i + 1) {
                let w = l.as_str();
                if matches!(w, "a.m." | "p.m." | "pm" | "o'clock" | "a.m" | "p.m")
                    || (w == "am" && self.lower(i + 2).is_none_or(|x| x.as_str() != "i"))
                {
                    let mut j = i + 2;
                    if self.text(j) == "." && self.glued(j) && w.len() <= 3 {
                        j += 1;
                    }
                    return Some(j);
                }
            }
        }
        None
    }
}
