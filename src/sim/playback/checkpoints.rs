//! Checkpoints: saved copies of the whole simulation that stepping back and seeking
//! restore from, and the policy that keeps their number and memory bounded.

use super::{Playback, lock_staging};
use crate::sim::engine::{Corr, LogEntry, Msg, SagaInst, Simulation};
use crate::sim::stats::{Latencies, Series};

/// Events between checkpoints at first.
pub const CHECKPOINT_EVERY: u64 = 20_000;
/// Most checkpoints kept; beyond that every other one goes and the interval doubles.
pub const MAX_CHECKPOINTS: usize = 64;
/// Most memory (estimated) the checkpoints may take together; thinned out likewise.
pub const MAX_CHECKPOINT_BYTES: usize = 256 << 20;

/// A saved state: the whole simulation after `steps` events, and how many records
/// they had produced.
pub(super) struct Checkpoint {
    pub(super) steps: u64,
    pub(super) records: usize,
    pub(super) sim: Simulation,
    /// Estimated heap memory of `sim`.
    pub(super) bytes: usize,
}

impl Checkpoint {
    /// The start of a run: no events, no records.
    pub(super) fn start(sim: &Simulation) -> Self {
        Checkpoint {
            steps: 0,
            records: 0,
            bytes: approx_bytes(sim),
            sim: sim.clone(),
        }
    }
}

/// Heap memory of a simulation's state, estimated from its largest parts (the
/// retained topic logs, messages, dedup memory, histograms), for the checkpoint budget.
fn approx_bytes(sim: &Simulation) -> usize {
    use std::mem::size_of;
    let entries: usize = sim
        .partitions
        .iter()
        .flatten()
        .map(|p| p.entries.len() + p.outage_buffer.len())
        .sum();
    let queued: usize = sim
        .services
        .iter()
        .map(|s| s.queue.len() + s.in_service.len())
        .sum();
    let store_keys: usize = sim.store_keys.iter().map(|k| k.capacity() * 9).sum();
    let stats = &sim.stats;
    let histograms: usize = stats
        .services
        .iter()
        .map(|s| &s.time_in_system)
        .chain(stats.sources.iter().map(|s| &s.end_to_end))
        .chain(
            stats
                .sagas
                .iter()
                .flat_map(|s| std::iter::once(&s.duration).chain(&s.step_time)),
        )
        .map(Latencies::heap_bytes)
        .sum();
    let samples: usize = stats
        .services
        .iter()
        .map(|s| s.queue_samples.heap_bytes())
        .sum::<usize>()
        + stats
            .groups
            .iter()
            .map(|g| {
                g.lag_samples.heap_bytes()
                    + g.partition_samples
                        .iter()
                        .map(Series::heap_bytes)
                        .sum::<usize>()
            })
            .sum::<usize>();
    size_of::<Simulation>()
        + entries * size_of::<LogEntry>()
        + queued * 4
        + sim.queue.len() * 40
        + sim.msgs.len() * (size_of::<Msg>() + 1)
        + sim.corrs.len() * size_of::<Corr>()
        + (sim.free_msgs.len() + sim.free_corrs.len() + sim.free_sagas.len()) * 4
        + sim.sagas.len() * size_of::<SagaInst>()
        + sim.dedupe.approx_bytes()
        + sim.pending.len() * 64
        + store_keys
        + histograms
        + samples
}

impl Playback {
    /// Checkpoints kept now, the current interval between them, and their estimated
    /// memory in bytes (for diagnostics).
    pub fn checkpoint_policy(&self) -> (usize, u64, usize) {
        (
            self.checkpoints.len(),
            self.every,
            self.checkpoints.iter().map(|c| c.bytes).sum(),
        )
    }

    /// Index of the latest checkpoint at or before `n` events.
    pub(super) fn checkpoint_at_steps(&self, n: u64) -> usize {
        self.checkpoints.partition_point(|c| c.steps <= n) - 1
    }

    /// Go back (or forwards) to checkpoint `i`; records after it are kept for replay.
    pub(super) fn restore(&mut self, i: usize) {
        let c = &self.checkpoints[i];
        self.sim = c.sim.clone();
        self.len = c.records;
        lock_staging(&self.staging).clear();
        self.attach_sink();
    }

    /// Save the state after `steps` events, then thin the checkpoints out while there
    /// are too many or they take too much memory.
    pub(super) fn checkpoint(&mut self, steps: u64) {
        self.checkpoints.push(Checkpoint {
            steps,
            records: self.len,
            bytes: approx_bytes(&self.sim),
            sim: self.sim.clone(),
        });
        while self.checkpoints.len() > 2
            && (self.checkpoints.len() > self.max_checkpoints
                || self.checkpoints.iter().map(|c| c.bytes).sum::<usize>() > self.max_bytes)
        {
            self.every *= 2;
            let every = self.every;
            self.checkpoints.retain(|c| c.steps.is_multiple_of(every));
        }
    }
}
