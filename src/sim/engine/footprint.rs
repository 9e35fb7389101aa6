//! What a run holds in memory now: the sizes of the engine's growing collections, so
//! tests (and diagnostics) can check that steady state stays bounded.

use super::Simulation;

/// Counts of what a run retains right now (entries, not bytes). In a steady state
/// none of them grows with simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retained {
    /// Dedupe memory: message ids the consumers remember, over every window.
    pub seen: usize,
    /// Distinct aggregate keys remembered by the event stores.
    pub store_keys: usize,
    /// Log entries kept in topic partitions (unread by some group, or held back).
    pub log_entries: usize,
    /// Message slots (live or free for reuse).
    pub msg_slots: usize,
    /// Correlation slots (live or free for reuse).
    pub corr_slots: usize,
    /// Saga instance slots (live or free for reuse).
    pub saga_slots: usize,
    /// Scheduled events in the future-event list.
    pub scheduled: usize,
    /// Delayed appends waiting (slots, live or free).
    pub pending_slots: usize,
    /// Chart sample changes kept (services' queue and groups' lag series store a
    /// sample only where the value changed).
    pub samples: usize,
}

impl Retained {
    /// The largest of the counts: one number to bound in a test.
    pub fn largest(&self) -> usize {
        [
            self.seen,
            self.store_keys,
            self.log_entries,
            self.msg_slots,
            self.corr_slots,
            self.saga_slots,
            self.scheduled,
            self.pending_slots,
            self.samples,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }
}

impl Simulation {
    /// What the run retains now (see [`Retained`]).
    pub fn retained(&self) -> Retained {
        let log_entries = self
            .partitions
            .iter()
            .flatten()
            .map(|p| p.entries.len() + p.outage_buffer.len() + usize::from(p.held.is_some()))
            .sum();
        let samples = self
            .stats
            .services
            .iter()
            .map(|s| s.queue_samples.changes())
            .chain(self.stats.groups.iter().map(|g| g.lag_samples.changes()))
            .sum();
        Retained {
            seen: self.dedupe.len(),
            store_keys: self
                .store_keys
                .iter()
                .map(std::collections::HashSet::len)
                .sum(),
            log_entries,
            msg_slots: self.msgs.len(),
            corr_slots: self.corrs.len(),
            saga_slots: self.sagas.len(),
            scheduled: self.queue.len(),
            pending_slots: self.pending.len(),
            samples,
        }
    }
}
