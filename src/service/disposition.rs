//! The ack decision, kept apart from processing (as Vector's NATS source
//! does): pure functions from the pipeline's [`Outcome`] (or a record the
//! broker refused as too large) to what must be published and how the raw
//! message is settled afterwards. Every [`Plan`] is made here; the transport
//! carries it out: publish first, wait for JetStream's ack, then settle.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::output::DuplicateMethod;
use crate::pipeline::Outcome;

/// Where a publish goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Enriched,
    Duplicates,
    Dlq,
}

/// One message to publish before settling.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub target: Target,
    /// `Nats-Msg-Id`: JetStream drops a repeat within the duplicate window.
    pub msg_id: String,
    pub payload: Bytes,
    /// Extra headers (DLQ reason and error).
    pub headers: Vec<(&'static str, String)>,
}

/// How the raw message is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    Ack,
    /// Poison: never redeliver.
    Term,
    /// Transient failure: redeliver after the delay.
    Nak(Duration),
}

/// What became of an article once its plan is carried out: for metrics
/// and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Enriched,
    Duplicate(DuplicateMethod),
    /// Dead-lettered, with its machine-readable reason.
    DeadLetter(&'static str),
    Retry,
}

impl fmt::Display for Settled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Settled::Enriched => f.write_str("enriched"),
            Settled::Duplicate(m) => write!(f, "duplicate:{}", m.as_str()),
            Settled::DeadLetter(r) => write!(f, "dlq:{r}"),
            Settled::Retry => f.write_str("retry"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub publish: Option<Publication>,
    pub settle: Settle,
    pub settled: Settled,
    /// For a dead letter: the error it carries (logged once, at WARN).
    pub error: Option<String>,
}

/// Backoff for a redelivery: base * 2^(delivered-1), capped.
pub fn nak_delay(delivered: i64, base: Duration, max: Duration) -> Duration {
    let shift = (delivered.max(1) - 1).min(20) as u32;
    base.saturating_mul(1u32 << shift).min(max)
}

/// Decide. `raw` is the original payload (for the DLQ), `stream_seq` the
/// raw message's stream sequence (stable across redeliveries: it names
/// duplicate and DLQ records so their repeats are dropped too).
pub fn plan(
    outcome: Outcome,
    raw: &Bytes,
    stream_seq: u64,
    delivered: i64,
    base: Duration,
    max: Duration,
) -> Plan {
    match outcome {
        Outcome::Enriched(e) => match serde_json::to_vec(&e) {
            Ok(json) => Plan {
                publish: Some(Publication {
                    target: Target::Enriched,
                    msg_id: e.id.clone(),
                    payload: Bytes::from(json),
                    headers: Vec::new(),
                }),
                settle: Settle::Ack,
                settled: Settled::Enriched,
                error: None,
            },
            Err(err) => dead_letter(raw, stream_seq, "encode_failed", err.to_string()),
        },
        Outcome::Duplicate(d) => {
            let settled = Settled::Duplicate(d.method);
            let msg_id = format!("dup-{stream_seq}-{}", d.id);
            match serde_json::to_vec(&d) {
                Ok(json) => Plan {
                    publish: Some(Publication {
                        target: Target::Duplicates,
                        msg_id,
                        payload: Bytes::from(json),
                        headers: Vec::new(),
                    }),
                    settle: Settle::Ack,
                    settled,
                    error: None,
                },
                Err(_) => Plan {
                    publish: None,
                    settle: Settle::Ack,
                    settled,
                    error: None,
                },
            }
        }
        Outcome::Poison(e) => dead_letter(raw, stream_seq, e.reason(), e.to_string()),
        Outcome::Retry(e) => Plan {
            publish: None,
            settle: Settle::Nak(nak_delay(delivered, base, max)),
            settled: Settled::Retry,
            error: Some(e),
        },
    }
}

/// The plan when the broker refused `refused` as larger than its
/// `max_payload`: deterministic, so a retry would fail the same way. An
/// enriched or duplicate record is replaced by a dead letter of the original
/// bytes (`output_too_large`); a dead letter that did not fit is kept as it
/// is here and cut down by [`truncate_to_fit`].
pub fn too_large(refused: &Publication, raw: &Bytes, stream_seq: u64, max_payload: usize) -> Plan {
    if refused.target == Target::Dlq {
        let reason = refused
            .headers
            .iter()
            .find(|(k, _)| *k == "Lede-Dlq-Reason")
            .map(|(_, v)| static_reason(v))
            .unwrap_or("unknown");
        return Plan {
            publish: Some(refused.clone()),
            settle: Settle::Term,
            settled: Settled::DeadLetter(reason),
            error: None,
        };
    }
    let what = match refused.target {
        Target::Enriched => "enriched",
        _ => "duplicate",
    };
    dead_letter(
        raw,
        stream_seq,
        "output_too_large",
        format!(
            "the {what} record ({} bytes) is larger than the server's max_payload ({max_payload} bytes)",
            refused.payload.len()
        ),
    )
}

/// Cut a dead letter's payload so that payload and headers fit in
/// `max_payload`; `Lede-Dlq-Truncated` carries the original size.
pub fn truncate_to_fit(mut dlq: Publication, max_payload: usize) -> Publication {
    let original = dlq.payload.len();
    let headers: usize = dlq
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.len() + 4)
        .sum::<usize>()
        + dlq.msg_id.len()
        + 256;
    let keep = max_payload.saturating_sub(headers).min(original);
    dlq.payload = dlq.payload.slice(..keep);
    dlq.headers
        .push(("Lede-Dlq-Truncated", original.to_string()));
    dlq
}

/// The known reasons as `'static` strings (a reason read back from a header).
fn static_reason(r: &str) -> &'static str {
    const KNOWN: [&str; 8] = [
        "oversized",
        "not_utf8",
        "invalid_json",
        "too_deep",
        "wrong_shape",
        "empty_body",
        "encode_failed",
        "output_too_large",
    ];
    KNOWN
        .iter()
        .find(|k| **k == r)
        .copied()
        .unwrap_or("unknown")
}

fn dead_letter(raw: &Bytes, stream_seq: u64, reason: &'static str, error: String) -> Plan {
    // Header values must be one line.
    let mut error = error.replace(['\r', '\n'], " ");
    if reason == "oversized" {
        error.push_str(" (lede run --max-bytes raises the limit)");
    }
    Plan {
        publish: Some(Publication {
            target: Target::Dlq,
            msg_id: format!("dlq-{stream_seq}"),
            payload: raw.clone(),
            headers: vec![
                ("Lede-Dlq-Reason", reason.to_string()),
                ("Lede-Dlq-Error", error.clone()),
            ],
        }),
        settle: Settle::Term,
        settled: Settled::DeadLetter(reason),
        error: Some(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DecodeError;
    use crate::output::{DuplicateMethod, DuplicateRecord};

    const B: Duration = Duration::from_millis(500);
    const M: Duration = Duration::from_secs(30);

    #[test]
    fn poison_goes_to_dlq_with_original_bytes_then_term() {
        let raw = Bytes::from_static(b"{not json");
        let p = plan(Outcome::Poison(DecodeError::EmptyBody), &raw, 7, 1, B, M);
        assert_eq!(p.settle, Settle::Term);
        let publ = p.publish.unwrap();
        assert_eq!(publ.target, Target::Dlq);
        assert_eq!(publ.payload, raw);
        assert_eq!(publ.msg_id, "dlq-7");
        assert_eq!(
            publ.headers[0],
            ("Lede-Dlq-Reason", "empty_body".to_string())
        );
    }

    #[test]
    fn duplicate_is_recorded_then_acked() {
        let d = DuplicateRecord {
            id: "b".into(),
            duplicate_of: "a".into(),
            method: DuplicateMethod::Url,
            similarity: 1.0,
        };
        let p = plan(Outcome::Duplicate(d), &Bytes::new(), 3, 1, B, M);
        assert_eq!(p.settle, Settle::Ack);
        assert_eq!(p.settled, Settled::Duplicate(DuplicateMethod::Url));
        assert_eq!(p.settled.to_string(), "duplicate:url");
        let publ = p.publish.unwrap();
        assert_eq!(publ.target, Target::Duplicates);
        let v: serde_json::Value = serde_json::from_slice(&publ.payload).unwrap();
        assert_eq!(v["duplicate_of"], "a");
    }

    #[test]
    fn retry_naks_with_growing_capped_delay() {
        let p = plan(Outcome::Retry("kv down".into()), &Bytes::new(), 1, 3, B, M);
        assert_eq!(p.settle, Settle::Nak(Duration::from_secs(2)));
        assert!(p.publish.is_none());
        assert_eq!(nak_delay(1, B, M), B);
        assert_eq!(nak_delay(100, B, M), M);
        assert_eq!(nak_delay(0, B, M), B);
    }

    #[test]
    fn a_record_too_large_for_the_broker_becomes_a_dead_letter_of_the_input() {
        let raw = Bytes::from_static(b"{\"id\":\"a\",\"body\":\"x\"}");
        let refused = Publication {
            target: Target::Enriched,
            msg_id: "a".into(),
            payload: Bytes::from(vec![b'x'; 2000]),
            headers: Vec::new(),
        };
        let p = too_large(&refused, &raw, 9, 1000);
        assert_eq!(p.settle, Settle::Term);
        assert_eq!(p.settled, Settled::DeadLetter("output_too_large"));
        let d = p.publish.unwrap();
        assert_eq!(
            (d.target, d.payload.clone(), d.msg_id.as_str()),
            (Target::Dlq, raw, "dlq-9")
        );
        assert!(p.error.unwrap().contains("2000 bytes"));
        // A dead letter that does not fit either is cut to fit.
        let again = too_large(&d, &Bytes::new(), 9, 1000);
        assert_eq!(again.settled, Settled::DeadLetter("output_too_large"));
        let big = Publication {
            payload: Bytes::from(vec![b'y'; 5000]),
            ..d
        };
        let cut = truncate_to_fit(big, 1000);
        assert!(cut.payload.len() < 1000);
        assert!(cut
            .headers
            .contains(&("Lede-Dlq-Truncated", "5000".to_string())));
    }
}
