//! Retry delays shared by everything that reconnects or retries (the NATS
//! client, the service's consume loop, the dedup log follower): exponential
//! from 100 ms, capped at 5 s, with full jitter so that many replicas do not
//! retry in lockstep.

use std::time::Duration;

use rand::Rng;
use tokio_util::sync::CancellationToken;

/// The delay before retry number `attempts` (0 = the first retry).
pub fn delay(attempts: usize) -> Duration {
    let cap_ms: u64 = 5_000;
    let exp = 100u64.saturating_mul(1u64 << attempts.min(16));
    let ceiling = exp.min(cap_ms).max(1);
    let ms = rand::thread_rng().gen_range(ceiling / 2..=ceiling);
    Duration::from_millis(ms)
}

/// Sleep [`delay`]`(attempt)`; true when `shutdown` fired meanwhile.
pub async fn sleep(attempt: usize, shutdown: &CancellationToken) -> bool {
    sleep_for(delay(attempt), shutdown).await
}

/// Sleep `d`; true when `shutdown` fired meanwhile.
pub async fn sleep_for(d: Duration, shutdown: &CancellationToken) -> bool {
    tokio::select! {
        _ = shutdown.cancelled() => true,
        _ = tokio::time::sleep(d) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_is_jittered_and_capped() {
        for a in 0..40 {
            let d = delay(a);
            assert!(d <= Duration::from_secs(5), "{a}: {d:?}");
            assert!(d >= Duration::from_millis(50), "{a}: {d:?}");
        }
        let samples: std::collections::HashSet<_> = (0..50).map(|_| delay(10)).collect();
        assert!(samples.len() > 1, "no jitter");
    }
}
