//! `lede tail`: print messages from the enriched (or any) subject, pretty or
//! raw JSON, until `--count` messages or Ctrl-C. By default a core NATS
//! subscription (what is published from now on); `--all` reads the subject's
//! stream from its first message. Dead letters are shown with their reason,
//! error and a safe preview of the payload.

use std::io::Write;
use std::time::Duration;

use anyhow::anyhow;
use async_nats::jetstream::{self, consumer};
use async_nats::HeaderMap;
use clap::Args;
use futures::{Stream, StreamExt};

use lede::service::config::FileConfig;

use super::nats_args::NatsArgs;
use super::show;

/// Largest part of a non-JSON payload shown.
const PREVIEW_BYTES: usize = 240;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  lede tail                          # enriched articles from now on, pretty
  lede tail --all --count 4          # from the stream's first message
  lede tail --raw --count 10 | jq .id
  lede tail --all --subject articles.dlq   # dead letters: reason, error, preview

Exit status: 0 after --count messages or Ctrl-C, 1 when NATS cannot be
reached within --connect-timeout-secs or the subject has no stream (--all).")]
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
    /// Read the subject's JetStream stream from its first message, not only
    /// what is published from now on.
    #[arg(long)]
    pub all: bool,
    /// Give up when NATS cannot be reached within this many seconds.
    #[arg(long, env = "LEDE_CONNECT_TIMEOUT_SECS", default_value_t = 10)]
    pub connect_timeout_secs: u64,
}

/// One message to print.
struct Shown {
    payload: bytes::Bytes,
    headers: Option<HeaderMap>,
}

pub fn run(args: TailArgs) -> anyhow::Result<i32> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let cfg = args.nats.resolve(&FileConfig::default(), "lede-tail");
        let within = Duration::from_secs(args.connect_timeout_secs.max(1));
        let client = lede::service::connect::connect_within(&cfg, within).await?;
        let messages = if args.all {
            from_start(&client, &args.subject).await?
        } else {
            let sub = client
                .subscribe(args.subject.clone())
                .await
                .map_err(|e| anyhow!("cannot subscribe to {}: {e}", args.subject))?;
            sub.map(|m| Shown {
                payload: m.payload,
                headers: m.headers,
            })
            .boxed()
        };
        print(messages, &args).await?;
        Ok::<_, anyhow::Error>(0)
    })
}

/// The subject's stream from its first message (an ordered consumer: no
/// state left on the server).
async fn from_start(
    client: &async_nats::Client,
    subject: &str,
) -> anyhow::Result<futures::stream::BoxStream<'static, Shown>> {
    let js = jetstream::new(client.clone());
    let name = js.stream_by_subject(subject).await.map_err(|e| {
        anyhow!("no JetStream stream holds {subject} ({e}); `lede run` creates the article streams")
    })?;
    let stream = js
        .get_stream(&name)
        .await
        .map_err(|e| anyhow!("cannot open stream {name}: {e}"))?;
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: subject.to_string(),
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow!("cannot read stream {name}: {e}"))?;
    let messages = consumer
        .messages()
        .await
        .map_err(|e| anyhow!("cannot read stream {name}: {e}"))?;
    Ok(messages
        .filter_map(|m| async move {
            m.ok().map(|m| Shown {
                payload: m.message.payload,
                headers: m.message.headers,
            })
        })
        .boxed())
}

async fn print(
    mut messages: impl Stream<Item = Shown> + Unpin,
    args: &TailArgs,
) -> anyhow::Result<()> {
    let mut seen = 0usize;
    let mut out = std::io::stdout().lock();
    loop {
        let msg = tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            m = messages.next() => match m { Some(m) => m, None => break },
        };
        writeln!(out, "{}", render(&msg, args.raw))?;
        out.flush()?;
        seen += 1;
        if args.count.is_some_and(|n| seen >= n) {
            break;
        }
    }
    Ok(())
}

/// A message as text: dead-letter headers first (as `#` lines), then the
/// JSON record (pretty or one line) or a safe preview of a payload that is
/// not JSON.
fn render(msg: &Shown, raw: bool) -> String {
    let mut text = String::new();
    if let Some(h) = &msg.headers {
        for (key, label) in [
            ("Lede-Dlq-Reason", "reason"),
            ("Lede-Dlq-Error", "error"),
            ("Lede-Dlq-Truncated", "truncated from"),
        ] {
            if let Some(v) = h.get(key) {
                text.push_str(&format!(
                    "# {label}: {}\n",
                    show::preview(v.as_str().as_bytes(), 1000)
                ));
            }
        }
    }
    match serde_json::from_slice::<serde_json::Value>(&msg.payload) {
        Ok(v) if raw => text.push_str(&v.to_string()),
        Ok(v) => text.push_str(&show::pretty(&v)),
        Err(_) => {
            text.push_str(&format!(
                "# payload ({} bytes, not JSON): {}",
                msg.payload.len(),
                show::preview(&msg.payload, PREVIEW_BYTES)
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_letter_shows_reason_error_and_a_safe_preview() {
        let mut h = HeaderMap::new();
        h.insert("Lede-Dlq-Reason", "invalid_json");
        h.insert(
            "Lede-Dlq-Error",
            "payload looks like JSON but does not parse",
        );
        let msg = Shown {
            payload: bytes::Bytes::from_static(b"{not json \x1b[2J"),
            headers: Some(h),
        };
        let text = render(&msg, false);
        assert!(
            text.starts_with("# reason: invalid_json\n# error: payload looks like JSON"),
            "{text}"
        );
        assert!(text.contains("not JSON): {not json \\u{1b}[2J"), "{text}");
        assert!(!text.contains('\x1b'));
    }
}
