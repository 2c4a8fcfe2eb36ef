//! The ack decision, kept apart from processing (as Vector's NATS source
//! does): a pure function from the pipeline's [`Outcome`] to what must be
//! published and how the raw message is settled afterwards. The transport
//! carries it out: publish first, wait for JetStream's ack, then settle.

use std::time::Duration;

use bytes::Bytes;

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

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub publish: Option<Publication>,
    pub settle: Settle,
    /// For logs and metrics: enriched | duplicate:<method> | dlq:<reason> | retry.
    pub label: String,
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
                label: "enriched".into(),
            },
            Err(err) => Plan {
                publish: Some(dlq(raw, stream_seq, "encode_failed", &err.to_string())),
                settle: Settle::Term,
                label: "dlq:encode_failed".into(),
            },
        },
        Outcome::Duplicate(d) => {
            let label = format!("duplicate:{}", d.method.as_str());
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
                    label,
                },
                Err(_) => Plan {
                    publish: None,
                    settle: Settle::Ack,
                    label,
                },
            }
        }
        Outcome::Poison(e) => Plan {
            publish: Some(dlq(raw, stream_seq, e.reason(), &e.to_string())),
            settle: Settle::Term,
            label: format!("dlq:{}", e.reason()),
        },
        Outcome::Retry(_) => Plan {
            publish: None,
            settle: Settle::Nak(nak_delay(delivered, base, max)),
            label: "retry".into(),
        },
    }
}

fn dlq(raw: &Bytes, stream_seq: u64, reason: &str, error: &str) -> Publication {
    Publication {
        target: Target::Dlq,
        msg_id: format!("dlq-{stream_seq}"),
        payload: raw.clone(),
        headers: vec![
            ("Lede-Dlq-Reason", reason.to_string()),
            // Header values must be one line.
            ("Lede-Dlq-Error", error.replace(['\r', '\n'], " ")),
        ],
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
        assert_eq!(p.label, "duplicate:url");
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
}
