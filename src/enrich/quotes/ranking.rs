//! Scoring of candidate antecedents for a speaker mention (a pronoun or a
//! description): a linear score over a few features of the (mention,
//! candidate) pair. The highest score among compatible candidates wins.

/// Features of one (speaker mention, candidate entity mention) pair.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Features {
    /// Sentences between the candidate's and the mention's (0: same).
    pub sentences_back: usize,
    /// Tokens between them.
    pub tokens_back: usize,
    /// The candidate is the subject of its clause.
    pub subject: bool,
    /// The candidate is inside quotation marks.
    pub in_quote: bool,
    /// The candidate's entity spoke the quote before this one.
    pub last_speaker: bool,
    /// The candidate's entity spoke an earlier quote.
    pub earlier_speaker: bool,
}

/// Weights of the antecedent score, chosen on the development sets.
const W_SENTENCE: f32 = -1.0;
const W_TOKEN: f32 = -0.01;
const W_SUBJECT: f32 = 1.5;
const W_IN_QUOTE: f32 = -2.5;
const W_LAST_SPEAKER: f32 = 1.2;
const W_EARLIER_SPEAKER: f32 = 0.3;

/// The antecedent score of one pair: higher is better.
pub(super) fn antecedent_score(f: &Features) -> f32 {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    W_SENTENCE * f.sentences_back as f32
        + W_TOKEN * f.tokens_back.min(100) as f32
        + W_SUBJECT * b(f.subject)
        + W_IN_QUOTE * b(f.in_quote)
        + W_LAST_SPEAKER * b(f.last_speaker)
        + W_EARLIER_SPEAKER * b(f.earlier_speaker)
}
