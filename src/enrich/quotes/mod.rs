//! Quotations and their speakers. Owns the quotes stage: quote-mark pairing
//! ([`marks`]), direct vs partial classification, attribution through cue
//! verbs on either side ("X said", "said X", "according to X", "X: ...",
//! "— X"), appositives ("Hugh Hill, a doctor, said"), descriptions ("the
//! Ukrainian president" -> the person named earlier with that role),
//! pronouns (resolved to the most recent speaker or sentence subject; a
//! pronoun right after an outer cue gives way to that cue's speaker: "X
//! told reporters he thought"), `, according to X` after an attribution as
//! the outer source, partial quotes attributed by a cue later in their
//! sentence or, inside the reported clause of an earlier cue, to that cue's
//! speaker ("Smith said Jones called it \"a mess\"" -> Smith), carry-over
//! to the next quote of the same speaker, and, for an unattributed direct
//! quote, the subject of the sentence before it at low confidence. Works
//! over the precomputed tokens of `doc.layer`; the per-article cost is one scan of
//! the tokens plus small windows around each quote.

mod attribution;
mod candidates;
mod clauses;
mod context;
mod coref;
mod driver;
mod marks;
mod names;
mod neighbours;
mod ranking;
#[cfg(test)]
mod tests;
mod words;

use std::ops::Range;

use crate::text::Token;
use names::NameIndex;

pub use driver::extract;

/// Largest number of tokens looked at on either side of a quote.
pub(super) const WINDOW: usize = 60;

/// A speaker mention as a token range, with what kind of phrase it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SpeakerRef {
    pub(super) span: Range<usize>,
    pub(super) is_pronoun: bool,
}

/// What attribution found around one quote.
#[derive(Debug, Default)]
pub(super) struct Attribution {
    pub(super) speaker: Option<SpeakerRef>,
    pub(super) cue: Option<Range<usize>>,
    pub(super) direct: bool,
    /// Subject of the sentence around a quote without a speech cue.
    pub(super) subject: Option<SpeakerRef>,
}

pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) toks: &'a [Token],
    pub(super) blocks: &'a [(Range<usize>, usize)],
    /// Per token: it ends a sentence of the text layer.
    pub(super) ends: Vec<bool>,
}
