//! `lede publish` (not built yet).

use clap::Args;

#[derive(Debug, Args)]
pub struct PublishArgs {}

pub fn run(_args: PublishArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`lede publish` is not implemented yet")
}
