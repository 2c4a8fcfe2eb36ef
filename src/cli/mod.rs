//! Command-line interface: one module per subcommand. Flags mirror `LEDE_*`
//! environment variables (flags win).

pub mod bench;
pub mod eval;
pub mod nats_args;
pub mod publish;
pub mod replay;
pub mod run;
pub mod show;
pub mod tail;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// lede: a streaming news enrichment worker. Removes duplicate articles and
/// enriches each with entities, quotes and figures.
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, long_about = None)]
pub struct Cli {
    /// Log output format (level via RUST_LOG, default info).
    #[arg(long, global = true, env = "LEDE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the service: consume raw articles from NATS, publish enriched ones.
    Run(Box<run::RunArgs>),
    /// Run the full pipeline locally over files, with no broker.
    Replay(replay::ReplayArgs),
    /// Publish local test articles to the raw subject of a live NATS.
    Publish(publish::PublishArgs),
    /// Print messages from the enriched (or any) subject.
    Tail(tail::TailArgs),
    /// Score the extractors against gold data.
    Eval(eval::EvalArgs),
    /// Measure extraction speed over a directory of articles.
    Bench(bench::BenchArgs),
}

pub fn init_tracing(format: &LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour codes only on a terminal, never in a log file or pipe.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Run the chosen subcommand; returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Run(a) => run::run(*a),
        Command::Replay(a) => replay::run(a),
        Command::Publish(a) => publish::run(a),
        Command::Tail(a) => tail::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
