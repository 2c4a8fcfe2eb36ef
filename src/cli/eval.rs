//! `lede eval FORMAT PATH...`: score the extractors against gold data with
//! the real pipeline. Owns the command line, the choice of scorer, the
//! progress bar switch, printing (a summary, `--json`: exactly one JSON
//! object on stdout, `--errors`: every miss and false positive) and the exit
//! code: 0 when scoring ran, whatever the scores; 2 when an input cannot be
//! read or is not in the format named.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use lede::eval::{self, EvalError, EvalOptions, EvalReport};
use lede::pipeline::{Pipeline, PipelineConfig};

/// The gold data formats `lede eval` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// lede's own gold JSON: entities, quotes with speakers, figures, in-article dedup.
    Gold,
    /// CoNLL-2003 / IOB2 columns: entity spans PER, ORG, LOC.
    Conll,
    /// GUM CoNLL-U (`Entity=` in MISC): PROPN-headed person, organization, place mentions.
    Gum,
    /// PolNeAR brat standoff: quotes and their speakers.
    Brat,
    /// Microsoft Recognizers-Text spec JSON: money, percentages, numbers.
    Recognizers,
    /// Labelled near-duplicate pairs TSV: cross-article dedup.
    Dedup,
    /// Every dev set under one evaluation root, in one table.
    All,
}

impl EvalFormat {
    pub fn name(&self) -> &'static str {
        match self {
            EvalFormat::Gold => "gold",
            EvalFormat::Conll => "conll",
            EvalFormat::Gum => "gum",
            EvalFormat::Brat => "brat",
            EvalFormat::Recognizers => "recognizers",
            EvalFormat::Dedup => "dedup",
            EvalFormat::All => "all",
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "\
Formats and inputs:
  gold FILE|DIR...         lede gold JSON files (a directory: every .json under it)
  conll FILE...            CoNLL-2003 IOB2 columns
  gum FILE|DIR...          GUM CoNLL-U files (a directory: every .conllu in it)
  brat DIR...              PolNeAR-style folders with text/ and attributions/
  recognizers FILE|DIR...  Recognizers-Text spec JSON files
  dedup FILE...            labelled pairs TSV
  all DIR                  every set above under one evaluation root, one table

Examples (paths are where the shared evaluation data sits next to a checkout):
  lede eval all ../shared/eval
  lede eval gold ../shared/eval/gold/
  lede eval gold ../shared/eval/gold/minerals-deal.json --errors
  lede eval conll ../shared/eval/ner/conllpp_dev.txt --json
  lede eval gum ../shared/eval/gum/dep --genre interview
  lede eval brat ../shared/eval/quotes/polnear/dev
  lede eval recognizers ../shared/eval/figures/recognizers-text/specs
  lede eval dedup ../shared/eval/dedup/neardup_pairs.tsv --json > dedup.json

Exit status: 0 when scoring ran (whatever the scores), 2 when an input cannot
be read or is not in the format named.")]
pub struct EvalArgs {
    /// Which gold format the inputs are in.
    #[arg(value_enum)]
    pub format: EvalFormat,
    /// Gold files or directories (never defaulted: name them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print exactly one JSON object on stdout: {"format", "inputs", ...}.
    #[arg(long)]
    pub json: bool,
    /// List every miss and false positive with its context (on stderr with --json).
    #[arg(long)]
    pub errors: bool,
    /// gum only: the genre the headline score counts (every genre is also listed).
    #[arg(long, value_enum, default_value_t = eval::gum::Genre::News)]
    pub genre: eval::gum::Genre,
    /// Never show the progress bar (it is shown only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

/// Run the scorer for `format`.
pub fn score(
    format: EvalFormat,
    paths: &[PathBuf],
    pipeline: &std::sync::Arc<Pipeline>,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    match format {
        EvalFormat::Gold => eval::gold::score(paths, pipeline, opts),
        EvalFormat::Conll => eval::conll::score(paths, pipeline, opts),
        EvalFormat::Gum => eval::gum::score(paths, pipeline, opts),
        EvalFormat::Brat => eval::brat::score(paths, pipeline, opts),
        EvalFormat::Recognizers => eval::recognizers::score(paths, pipeline, opts),
        EvalFormat::Dedup => eval::pairs::score(paths, pipeline, opts),
        EvalFormat::All => match paths {
            [root] => eval::all::score(root, pipeline, opts),
            _ => Err(EvalError::BadFormat {
                path: paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                reason: "`all` takes exactly one evaluation root directory".into(),
            }),
        },
    }
}

/// What to print: (stdout, stderr).
pub fn render(report: &EvalReport, json: bool, errors: bool) -> (String, String) {
    let mut err_text = String::new();
    if errors {
        for e in &report.errors {
            err_text.push_str(e);
            err_text.push('\n');
        }
    }
    if json {
        let mut out = serde_json::to_string(&report.json).unwrap_or_else(|_| "{}".into());
        out.push('\n');
        (out, err_text)
    } else {
        let mut out = report.summary.clone();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if errors {
            out.push_str(&format!("\nerrors ({}):\n", report.errors.len()));
            out.push_str(&err_text);
        }
        (out, String::new())
    }
}

/// Exit code for a scorer error: always 2 (unreadable or bad input).
pub const EXIT_BAD_INPUT: i32 = 2;

pub fn run(args: EvalArgs) -> Result<i32> {
    let pipeline = std::sync::Arc::new(Pipeline::new(PipelineConfig::default())?);
    let opts = EvalOptions {
        errors: args.errors,
        progress: !args.no_progress && std::io::stderr().is_terminal(),
        genre: args.genre,
    };
    match score(args.format, &args.paths, &pipeline, &opts) {
        Ok(report) => {
            let (out, err) = render(&report, args.json, args.errors);
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes())?;
            stdout.flush()?;
            if !err.is_empty() {
                eprint!("{err}");
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("lede eval {}: {e}", args.format.name());
            Ok(EXIT_BAD_INPUT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Wrap {
        #[command(flatten)]
        args: EvalArgs,
    }

    fn report() -> EvalReport {
        EvalReport {
            json: serde_json::json!({"format": "gold", "inputs": 1}),
            summary: "gold: 1 file(s)".into(),
            errors: vec!["a: entity miss".into(), "a: quote miss".into()],
        }
    }

    #[test]
    fn json_is_one_object_and_errors_go_to_stderr() {
        let (out, err) = render(&report(), true, true);
        assert_eq!(out.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["format"], "gold");
        assert_eq!(err, "a: entity miss\na: quote miss\n");
        let (_, err) = render(&report(), true, false);
        assert!(err.is_empty());
    }

    #[test]
    fn text_output_lists_errors_on_request() {
        let (out, err) = render(&report(), false, false);
        assert_eq!(out, "gold: 1 file(s)\n");
        assert!(err.is_empty());
        let (out, _) = render(&report(), false, true);
        assert!(out.contains("errors (2):\na: entity miss\na: quote miss\n"));
    }

    #[test]
    fn arguments_parse_and_paths_are_required() {
        let w = Wrap::try_parse_from(["x", "conll", "a.txt", "b.txt", "--json"]).unwrap();
        assert_eq!(w.args.format, EvalFormat::Conll);
        assert_eq!(w.args.paths.len(), 2);
        assert!(w.args.json && !w.args.errors);
        assert!(Wrap::try_parse_from(["x", "gold"]).is_err());
        assert!(Wrap::try_parse_from(["x", "nope", "a"]).is_err());
        assert_eq!(w.args.genre, eval::gum::Genre::News);
        let w = Wrap::try_parse_from(["x", "gum", "d", "--genre", "all"]).unwrap();
        assert_eq!(w.args.format, EvalFormat::Gum);
        assert_eq!(w.args.genre, eval::gum::Genre::All);
        assert!(Wrap::try_parse_from(["x", "gum", "d", "--genre", "blog"]).is_err());
    }

    #[test]
    fn unreadable_input_exits_two() {
        let args = EvalArgs {
            format: EvalFormat::Gold,
            paths: vec![PathBuf::from("/nonexistent/lede-eval-test")],
            json: true,
            errors: false,
            genre: eval::gum::Genre::News,
            no_progress: true,
        };
        assert_eq!(run(args).unwrap(), EXIT_BAD_INPUT);
    }
}
