//! `lede eval` (not built yet).

use clap::Args;

#[derive(Debug, Args)]
pub struct EvalArgs {}

pub fn run(_args: EvalArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`lede eval` is not implemented yet")
}
