//! `lede tail` (not built yet).

use clap::Args;

#[derive(Debug, Args)]
pub struct TailArgs {}

pub fn run(_args: TailArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`lede tail` is not implemented yet")
}
