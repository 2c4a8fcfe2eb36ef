//! Liveness and readiness state shared by the transport (which sets it) and
//! the admin endpoint (which reports it). Ready = connected to NATS and
//! consuming (the pull stream or subscription is established).

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Default)]
pub struct Health {
    connected: AtomicBool,
    consuming: AtomicBool,
    shutting_down: AtomicBool,
}

impl Health {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn set_connected(&self, v: bool) {
        self.connected.store(v, Ordering::SeqCst);
    }
    pub fn set_consuming(&self, v: bool) {
        self.consuming.store(v, Ordering::SeqCst);
    }
    pub fn set_shutting_down(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }
    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }
    /// The service is stopping (disconnects are expected).
    pub fn shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
    pub fn consuming(&self) -> bool {
        self.consuming.load(Ordering::SeqCst)
    }
    /// Ready to take work: connected, consuming and not shutting down.
    pub fn ready(&self) -> bool {
        self.connected() && self.consuming() && !self.shutting_down.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_needs_connection_and_consumer() {
        let h = Health::new();
        assert!(!h.ready());
        h.set_connected(true);
        assert!(!h.ready());
        h.set_consuming(true);
        assert!(h.ready());
        h.set_connected(false);
        assert!(!h.ready());
        h.set_connected(true);
        h.set_shutting_down();
        assert!(!h.ready());
    }
}
