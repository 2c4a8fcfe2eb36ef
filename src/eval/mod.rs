//! Scoring of the extractors against gold data, one scorer per format:
//! lede's own gold JSON ([`gold`]), CoNLL-2003 entities ([`conll`]), GUM
//! CoNLL-U entities ([`gum`]),
//! PolNeAR brat quotes ([`brat`]), Microsoft Recognizers-Text figure specs
//! ([`recognizers`]) and labelled near-duplicate pairs ([`pairs`]); [`all`]
//! runs every one of them over an evaluation root and prints one table. Every
//! scorer runs the real pipeline stages and returns an [`EvalReport`]; the
//! `lede eval` command prints it.

pub mod all;
pub mod brat;
pub mod conll;
pub mod gold;
pub mod gum;
pub mod pairs;
pub mod recognizers;

use serde::Serialize;

/// Options shared by the scorers.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Collect every miss and false positive with its context.
    pub errors: bool,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// The genre `gum` headlines (the other scorers ignore it).
    pub genre: gum::Genre,
}

/// What a scorer returns.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Exactly the object `lede eval --json` prints: `{"format", "inputs", ...}`.
    pub json: serde_json::Value,
    /// A human-readable summary (several lines).
    pub summary: String,
    /// Misses and false positives with context (filled when `errors` is set).
    pub errors: Vec<String>,
}

/// Why a scorer could not run: the caller exits 2 on this.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: not in the expected format: {reason}")]
    BadFormat { path: String, reason: String },
}

/// True/false positive and false negative counts, micro-averaged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    /// tp / (tp + fp); 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn); 0 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// `{"precision","recall","f1"}` as JSON.
    pub fn prf_json(&self) -> serde_json::Value {
        serde_json::json!({
            "precision": self.precision(),
            "recall": self.recall(),
            "f1": self.f1(),
        })
    }
}

pub fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// A progress bar over `len` inputs on stderr, hidden unless
/// `opts.progress` is set (the CLI sets it only on a terminal). Shared by
/// the scorers: call `inc(1)` per input and `finish_and_clear()` at the end.
pub fn progress_bar(opts: &EvalOptions, len: u64, what: &str) -> indicatif::ProgressBar {
    if !opts.progress {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {pos}/{len} {elapsed_precise} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(what.to_string());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_arithmetic() {
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert!((c.precision() - 0.75).abs() < 1e-12);
        assert!((c.recall() - 0.6).abs() < 1e-12);
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(Counts::default().f1(), 0.0);
        let perfect = Counts {
            tp: 4,
            fp: 0,
            fn_: 0,
        };
        assert_eq!(perfect.f1(), 1.0);
    }
}
