//! The token view the attribution reads: token text, kind and case tests,
//! sentence ends from the shared text layer, speech cues around a token and
//! role words split from a name run.

use std::ops::Range;

use super::words as lx;
use super::Ctx;
use crate::output::Mention;
use crate::text::TokenKind;

impl<'a> Ctx<'a> {
    pub(super) fn tx(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.text(self.text)).unwrap_or("")
    }

    pub(super) fn start_of(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.start).unwrap_or(0)
    }

    pub(super) fn end_of(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.end).unwrap_or(0)
    }

    pub(super) fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(super) fn mention(&self, r: Range<usize>) -> Mention {
        let start = self.start_of(r.start);
        let end = self.end_of(r.end.saturating_sub(1)).max(start);
        Mention {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            start,
            end,
            field: None,
        }
    }

    pub(super) fn join(&self, toks: Range<usize>) -> String {
        let mut s = String::new();
        let first = toks.start;
        for t in toks {
            if t > first && self.toks.get(t).is_some_and(|x| x.space_before) {
                s.push(' ');
            }
            s.push_str(self.tx(t));
        }
        s
    }

    /// A capitalised word (a name part), or an initial's dot.
    pub(super) fn is_cap(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        if t.kind != TokenKind::Word {
            return false;
        }
        t.text(self.text)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
    }

    pub(super) fn is_lower_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
            && self.tx(i).chars().next().is_some_and(|c| c.is_lowercase())
    }

    pub(super) fn is_punct(&self, i: usize, p: &[&str]) -> bool {
        matches!(self.kind(i), Some(TokenKind::Punct)) && p.contains(&self.tx(i))
    }

    pub(super) fn is_dash(&self, i: usize) -> bool {
        self.is_punct(i, &["—", "–", "-", "―"])
    }

    /// Token `i` ends a sentence, as the shared text layer splits them
    /// (the last `.`, `!`, `?` or `…` of a sentence, before any closing
    /// marks).
    pub(super) fn is_terminal(&self, i: usize) -> bool {
        self.ends.get(i).copied().unwrap_or(false)
    }

    /// The cue that ends at token `k` (inclusive), as a token range.
    pub(super) fn cue_ending_at(&self, k: usize) -> Option<Range<usize>> {
        let w = self.tx(k);
        if self.kind(k) != Some(TokenKind::Word) {
            return None;
        }
        if self.is_report_cue(k) {
            return Some(k..k + 1);
        }
        if w.eq_ignore_ascii_case("to") && k > 0 && self.tx(k - 1).eq_ignore_ascii_case("according")
        {
            return Some(k - 1..k + 1);
        }
        if w.eq_ignore_ascii_case("according") && self.tx(k + 1).eq_ignore_ascii_case("to") {
            return Some(k..k + 2);
        }
        if k > 0 {
            if let Some(part) = lx::cue_needs_particle(self.tx(k - 1)) {
                if w.eq_ignore_ascii_case(part) {
                    return Some(k - 1..k + 1);
                }
            }
        }
        if lx::is_cue(w) {
            if let Some(part) = lx::cue_needs_particle(w) {
                return self
                    .tx(k + 1)
                    .eq_ignore_ascii_case(part)
                    .then_some(k..k + 2);
            }
            return Some(k..k + 1);
        }
        None
    }

    /// The cue starting at token `k`.
    /// `found` or `notes` before `that`, a quote or a comma and a quote
    /// (`the report found "no evidence"`, `the poll finds that`).
    pub(super) fn is_report_cue(&self, k: usize) -> bool {
        self.is_lower_word(k)
            && lx::is_report_verb(self.tx(k))
            && (self.tx(k + 1) == "that"
                || self.kind(k + 1) == Some(TokenKind::Quote)
                || self.is_punct(k + 1, &[","]) && self.kind(k + 2) == Some(TokenKind::Quote))
    }

    pub(super) fn cue_starting_at(&self, k: usize) -> Option<Range<usize>> {
        if self.is_report_cue(k) {
            return Some(k..k + 1);
        }
        if self.tx(k).eq_ignore_ascii_case("according") && self.tx(k + 1).eq_ignore_ascii_case("to")
        {
            return Some(k..k + 2);
        }
        if let Some(part) = lx::cue_needs_particle(self.tx(k)) {
            return self
                .tx(k + 1)
                .eq_ignore_ascii_case(part)
                .then_some(k..k + 2);
        }
        (self.kind(k) == Some(TokenKind::Word) && lx::is_cue(self.tx(k))).then_some(k..k + 1)
    }

    /// Split a capitalised run into leading role words and the name (at
    /// most its last three words when longer than four).
    pub(super) fn split_roles(&self, r: Range<usize>) -> (Range<usize>, Range<usize>) {
        let mut cut = r.start;
        while cut < r.end {
            let w = self.tx(cut);
            let left = r.end - cut - 1;
            if lx::is_role(w) || lx::is_not_name(w) || (lx::is_nationality(w) && left >= 2) {
                cut += 1;
            } else {
                break;
            }
        }
        let name_start = if r.end - cut > 4 { r.end - 3 } else { cut };
        (r.start..cut, name_start..r.end)
    }
}
