//! Scorer for the `lede eval recognizers` format (not built yet).

use std::path::PathBuf;

use super::{EvalError, EvalOptions, EvalReport};
use crate::pipeline::Pipeline;

/// Score `pipeline` on the inputs at `paths`.
pub fn score(
    _paths: &[PathBuf],
    _pipeline: &Pipeline,
    _opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    Err(EvalError::BadFormat {
        path: String::new(),
        reason: "the recognizers scorer is not implemented yet".into(),
    })
}
