//! Names for speaker mentions not linked to an entity: the article's name
//! runs by surname and by the role words written before them, and the
//! subjects of its sentences, for the canonical name of a bare surname, a
//! role description or a pronoun with no entity in reach.

use std::ops::Range;

use super::words as lx;
use super::{Ctx, SpeakerRef};
use std::collections::HashMap;

use crate::enrich::Document;

/// Person names seen in the article (token ranges): surname -> full name,
/// and each full name with the role words written before it.
pub(super) struct NameIndex<'a> {
    pub(super) by_last: HashMap<&'a str, Range<usize>>,
    /// (byte position, role tokens, name tokens).
    pub(super) with_roles: Vec<(usize, Range<usize>, Range<usize>)>,
}

impl<'a> NameIndex<'a> {
    pub(super) fn build(cx: &Ctx<'a>) -> NameIndex<'a> {
        let mut by_last: HashMap<&'a str, Range<usize>> = HashMap::new();
        let mut with_roles = Vec::new();
        for (range, _) in cx.blocks {
            let mut i = range.start;
            while i < range.end {
                if !cx.is_cap(i) {
                    i += 1;
                    continue;
                }
                let a = i;
                while i < range.end && cx.is_cap(i) {
                    i += 1;
                }
                if i - a < 2 {
                    continue;
                }
                let (roles, name) = cx.split_roles(a..i);
                if name.len() >= 2 && name.len() <= 4 {
                    by_last
                        .entry(cx.tx(name.end - 1))
                        .or_insert_with(|| name.clone());
                    if !roles.is_empty() {
                        with_roles.push((cx.start_of(a), roles, name));
                    }
                }
            }
        }
        NameIndex {
            by_last,
            with_roles,
        }
    }
}

impl<'a> Ctx<'a> {
    /// Names that are sentence subjects, for pronoun resolution:
    /// (byte position, name tokens). A word inside a quotation (`quoted`:
    /// byte spans, sorted) is what someone said, not a subject the
    /// narrative can refer back to: `"Saxony knows how," she said`.
    pub(super) fn sentence_subjects(
        &self,
        doc: &Document,
        quoted: &[Range<usize>],
    ) -> Vec<(usize, Range<usize>)> {
        let inside = |b: usize| {
            let k = quoted.partition_point(|q| q.start <= b);
            k > 0 && quoted.get(k - 1).is_some_and(|q| b < q.end)
        };
        let mut out = Vec::new();
        for r in &doc.layer.sentence_tokens {
            let lim = r.end.min(r.start + 20);
            if let Some(np) = self.subject_at(r.start, lim) {
                let at = self.start_of(np.span.start);
                if np.is_pronoun || inside(at) {
                    continue;
                }
                // A description with its name in apposition: "The Dutch
                // economy minister, Sophie Hermans, urged".
                let e = np.span.end;
                let appositive = (lx::is_determiner(self.tx(np.span.start)) && self.tx(e) == ",")
                    .then(|| self.np_right(e + 1, r.end.min(e + 8)))
                    .flatten()
                    .filter(|a| {
                        self.is_cap(a.span.start)
                            && !lx::is_determiner(self.tx(a.span.start))
                            && self.tx(a.span.end) == ","
                    });
                let name = appositive.map_or(np.span, |a| a.span);
                out.push((at, self.last_run(name)));
            }
        }
        out
    }

    /// The last capitalised run of a phrase (after bridged role words).
    pub(super) fn last_run(&self, r: Range<usize>) -> Range<usize> {
        let mut a = r.end;
        while a > r.start && self.is_cap(a - 1) {
            a -= 1;
        }
        a..r.end
    }

    pub(super) fn name_canonical(&self, r: Range<usize>, names: &NameIndex) -> Option<String> {
        let (_, name) = self.split_roles(r);
        match name.len() {
            0 => None,
            1 => {
                let w = self.tx(name.start);
                Some(match names.by_last.get(w) {
                    Some(full) => self.join(full.clone()),
                    None => w.to_string(),
                })
            }
            _ => Some(self.join(name)),
        }
    }

    /// Resolve a speaker mention to a canonical name.
    pub(super) fn canonical(
        &self,
        s: SpeakerRef,
        names: &NameIndex,
        subjects: &std::cell::OnceCell<Vec<(usize, Range<usize>)>>,
        doc: &Document,
        quoted: &[Range<usize>],
        history: &[(usize, String)],
    ) -> Option<String> {
        let pos = self.start_of(s.span.start);
        if s.is_pronoun {
            let w = self.tx(s.span.start).to_ascii_lowercase();
            if w == "i" || w == "we" || w == "you" {
                // First person inside an interview answer: the last speaker.
                return history.last().map(|h| h.1.clone());
            }
            let subjects = subjects.get_or_init(|| self.sentence_subjects(doc, quoted));
            let a = history.iter().rev().find(|h| h.0 < pos);
            let b = subjects.iter().rev().find(|h| h.0 < pos);
            return match (a, b) {
                (Some(x), Some(y)) if x.0 >= y.0 => Some(x.1.clone()),
                (_, Some(y)) => self.name_canonical(y.1.clone(), names),
                (Some(x), None) => Some(x.1.clone()),
                _ => None,
            };
        }
        if self.is_cap(s.span.start) && !lx::is_determiner(self.tx(s.span.start)) {
            return self.name_canonical(self.last_run(s.span), names);
        }
        // A description: find the latest name written with its head word as a role.
        let head = self.tx(s.span.end.saturating_sub(1)).to_lowercase();
        let mods: Vec<String> = (s.span.start + 1..s.span.end.saturating_sub(1))
            .map(|i| self.tx(i).to_lowercase())
            .collect();
        let mut best: Option<(usize, Range<usize>)> = None;
        for (p, roles, name) in &names.with_roles {
            let has = |w: &str| roles.clone().any(|t| self.tx(t).eq_ignore_ascii_case(w));
            if *p >= pos || !has(&head) {
                continue;
            }
            let score = 1 + mods.iter().filter(|m| has(m)).count();
            if best.as_ref().is_none_or(|b| score >= b.0) {
                best = Some((score, name.clone()));
            }
        }
        best.map(|b| self.join(b.1))
    }
}
