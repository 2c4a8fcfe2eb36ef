//! `lede tail`: print messages from the enriched (or any) subject, pretty or
//! raw JSON, until `--count` messages or Ctrl-C. A core NATS subscription:
//! it shows what is published from now on.

use std::io::Write;

use clap::Args;
use futures::StreamExt;

use lede::metrics::Metrics;
use lede::service::config::FileConfig;
use lede::service::health::Health;

use super::nats_args::NatsArgs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  lede tail                          # enriched articles, pretty
  lede tail --raw --count 10 | jq .id
  lede tail --subject articles.dlq   # dead letters (headers say why)")]
pub struct TailArgs {
    #[command(flatten)]
    pub nats: NatsArgs,
    /// Subject to subscribe to.
    #[arg(long, default_value = "articles.enriched")]
    pub subject: String,
    /// One compact JSON object per line instead of pretty output.
    #[arg(long)]
    pub raw: bool,
    /// Stop after this many messages.
    #[arg(long)]
    pub count: Option<usize>,
}

pub fn run(args: TailArgs) -> anyhow::Result<i32> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let cfg = args.nats.resolve(&FileConfig::default(), "lede-tail");
        let client = lede::service::connect::connect(
            &cfg,
            std::sync::Arc::new(Health::new()),
            std::sync::Arc::new(Metrics::new()),
        )
        .await?;
        let mut sub = client
            .subscribe(args.subject.clone())
            .await
            .map_err(|e| anyhow::anyhow!("cannot subscribe to {}: {e}", args.subject))?;
        let mut seen = 0usize;
        let mut out = std::io::stdout().lock();
        loop {
            let msg = tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                m = sub.next() => match m { Some(m) => m, None => break },
            };
            let text = match serde_json::from_slice::<serde_json::Value>(&msg.payload) {
                Ok(v) if args.raw => serde_json::to_string(&v)?,
                Ok(v) => serde_json::to_string_pretty(&v)?,
                Err(_) => String::from_utf8_lossy(&msg.payload).into_owned(),
            };
            if let Some(h) = &msg.headers {
                if let Some(reason) = h.get("Lede-Dlq-Reason") {
                    eprintln!("# dlq reason: {reason}");
                }
            }
            writeln!(out, "{text}")?;
            out.flush()?;
            seen += 1;
            if args.count.is_some_and(|n| seen >= n) {
                break;
            }
        }
        Ok::<_, anyhow::Error>(0)
    })
}
