//! Exact run statistics, kept as the engine goes: counters, time-weighted integrals
//! (for utilisation, mean queue length, mean number in system, mean lag) and latency
//! histograms. Nothing here is sampled except the lag time series, which is for
//! charts; every mean and maximum is exact over the whole run.

mod histogram;
mod series;

pub use series::{Changed, Series};

use super::SimTime;

/// A level that changes over time (queue length, busy workers, lag), with its exact
/// time integral and maximum.
#[derive(Clone, Debug, Default)]
pub struct Level {
    /// The value now.
    pub now: u64,
    /// The highest value so far.
    pub max: u64,
    /// ∫ level dt, in level·nanoseconds.
    pub integral: u128,
    last_change: SimTime,
}

impl Level {
    /// Change the value to `value` at time `t` (not before the last change).
    #[inline]
    pub fn set(&mut self, t: SimTime, value: u64) {
        self.integral += u128::from(self.now) * u128::from(t - self.last_change);
        self.last_change = t;
        self.now = value;
        if value > self.max {
            self.max = value;
        }
    }

    /// Change the value by `delta` at time `t` (never below zero).
    #[inline]
    pub fn add(&mut self, t: SimTime, delta: i64) {
        let v = (self.now as i64 + delta).max(0) as u64;
        self.set(t, v);
    }

    /// One more, at time `t`.
    #[inline]
    pub fn inc(&mut self, t: SimTime) {
        self.integral += u128::from(self.now) * u128::from(t - self.last_change);
        self.last_change = t;
        self.now += 1;
        self.max = self.max.max(self.now);
    }

    /// One fewer, at time `t` (never below zero).
    #[inline]
    pub fn dec(&mut self, t: SimTime) {
        self.integral += u128::from(self.now) * u128::from(t - self.last_change);
        self.last_change = t;
        self.now = self.now.saturating_sub(1);
    }

    /// One more and at once one fewer, at time `t`: a message that passes through
    /// the queue without waiting. Exactly `inc(t)` then `dec(t)`: the integral is
    /// brought to `t` and the maximum counts the passing one.
    #[inline]
    pub fn pass(&mut self, t: SimTime) {
        self.integral += u128::from(self.now) * u128::from(t - self.last_change);
        self.last_change = t;
        self.max = self.max.max(self.now + 1);
    }

    /// Close the integral at time `t` (end of run).
    pub fn close(&mut self, t: SimTime) {
        let now = self.now;
        self.set(t, now);
    }

    /// ∫ level dt over `[0, t]`, for `t` at or after the last change (the level has
    /// held its current value since).
    pub fn integral_at(&self, t: SimTime) -> u128 {
        self.integral + u128::from(self.now) * u128::from(t.nanos_since(self.last_change))
    }

    /// Time-average of the level over `[0, t]`.
    pub fn mean(&self, t: SimTime) -> f64 {
        if t == SimTime::ZERO {
            0.0
        } else {
            self.integral as f64 / t.as_nanos() as f64
        }
    }
}

/// A latency histogram in nanoseconds (2 significant digits, HdrHistogram's bins),
/// with an exact sum, count and maximum.
#[derive(Clone, Debug, Default)]
pub struct Latencies {
    bins: histogram::Bins,
    /// Samples recorded.
    pub count: u64,
    /// Sum of every sample, in nanoseconds.
    pub sum_nanos: u128,
    /// The largest sample, in nanoseconds.
    pub max_nanos: u64,
}

impl Latencies {
    /// The distribution in `buckets` equal-width bins from 0 to the maximum:
    /// `(upper bound in seconds, count)`, for a histogram chart.
    pub fn histogram(&self, buckets: usize) -> Vec<(f64, u64)> {
        if self.count == 0 || buckets == 0 {
            return Vec::new();
        }
        let width = (self.max_nanos / buckets as u64).max(1);
        let mut out = vec![0u64; buckets];
        for (value, count) in self.bins.recorded() {
            let b = ((value / width) as usize).min(buckets - 1);
            out[b] += count;
        }
        out.into_iter()
            .enumerate()
            .map(|(i, n)| ((i as u64 + 1) as f64 * width as f64 / 1e9, n))
            .collect()
    }

    /// Add one sample of `nanos` nanoseconds (the histogram counts a zero as 1 ns;
    /// the sum and maximum are exact).
    #[inline]
    pub fn record(&mut self, nanos: u64) {
        self.bins.record(nanos);
        self.count += 1;
        self.sum_nanos += u128::from(nanos);
        self.max_nanos = self.max_nanos.max(nanos);
    }

    /// Bytes its bins take.
    pub fn heap_bytes(&self) -> usize {
        self.bins.heap_bytes()
    }

    /// The exact mean in seconds; 0 when empty.
    pub fn mean_secs(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_nanos as f64 / self.count as f64 / 1e9
        }
    }

    /// The q-th percentile (0–100) in seconds; 0 when empty.
    pub fn percentile_secs(&self, q: f64) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.bins.value_at_percentile(q, self.count) as f64 / 1e9
        }
    }
}

/// Per-service statistics.
#[derive(Clone, Debug, Default)]
pub struct ServiceStats {
    /// Messages that reached the service (accepted into its queue).
    pub arrivals: u64,
    /// Handling attempts started.
    pub started: u64,
    /// Messages handled successfully.
    pub completed: u64,
    /// Attempts that failed (and were retried or dead-lettered).
    pub failed_attempts: u64,
    /// Failed attempts followed by another one after a backoff.
    pub retries: u64,
    /// Requests (commands, replies, queries) refused because the queue was at its
    /// bound; events fetched from a topic and retries are never refused.
    pub rejected: u64,
    /// Messages that failed their last attempt and went to the handler's dead-letter
    /// topic (those with none count in [`MessageTotals::failed`] only).
    pub dead_lettered: u64,
    /// Copies of a message an idempotent handler had already seen (handled, or being
    /// handled), skipped.
    pub deduplicated: u64,
    /// Copies of a message applied again: the handler is not idempotent, or its
    /// dedupe window had forgotten the first copy.
    pub double_effects: u64,
    /// Of `double_effects`: duplicates applied again because the consumer's dedupe
    /// window had already forgotten the first copy (`dedupe_window`).
    pub forgotten_duplicates: u64,
    /// Attempts whose callback failed, which fails the attempt: the callee was down,
    /// its queue refused the query, or no answer came before the timeout.
    pub callbacks_failed: u64,
    /// Workers busy (handling or waiting on a callback).
    pub busy: Level,
    /// Messages waiting in the queue.
    pub queue: Level,
    /// Messages waiting out a retry backoff (still in the service).
    pub backoff: Level,
    /// Most messages in the service at once (waiting, handled or backing off).
    pub max_in_system: u64,
    /// Time from arrival to the start of the attempt that succeeded, summed.
    pub wait_sum_nanos: u128,
    /// Arrival to completion of successful messages.
    pub time_in_system: Latencies,
    /// Time spent crashed, in nanoseconds (for availability).
    pub down_nanos: u64,
    /// Messages waiting at each of the run's samples ([`Stats::sample_times`]).
    pub queue_samples: Series,
}

impl ServiceStats {
    /// Messages in the service now: queued, being handled, or backing off.
    #[inline]
    pub fn in_system(&self) -> u64 {
        self.queue.now + self.busy.now + self.backoff.now
    }

    /// Record a new maximum of messages in the service, if it is one.
    #[inline]
    pub fn note_in_system(&mut self) {
        self.max_in_system = self.max_in_system.max(self.in_system());
    }

    /// A message arrives and starts at once ([`Level::pass`] through the queue): as
    /// `queue.inc`, `note_in_system`, `queue.dec` at time `t`.
    #[inline]
    pub fn pass_queue(&mut self, t: SimTime) {
        self.queue.pass(t);
        self.max_in_system = self.max_in_system.max(self.in_system() + 1);
    }

    /// Time-average of messages in the service over `[0, t]` (L in Little's law):
    /// exact, as the sum of the queue, busy and backoff integrals.
    pub fn mean_in_system(&self, t: SimTime) -> f64 {
        if t == SimTime::ZERO {
            0.0
        } else {
            (self.queue.integral + self.busy.integral + self.backoff.integral) as f64
                / t.as_nanos() as f64
        }
    }
}

/// Per consumer group statistics: lag summed over partitions, and per partition.
#[derive(Clone, Debug, Default)]
pub struct GroupStats {
    /// Messages appended to the topic that the group has not moved past yet, summed
    /// over partitions (the one being handled still counts).
    pub lag: Level,
    /// The same per partition, indexed by partition number.
    pub partition_lag: Vec<Level>,
    /// Messages handled successfully and committed (copies an idempotent handler
    /// skipped included, types the group does not handle not).
    pub consumed: u64,
    /// Dead-lettered or failed after the last attempt.
    pub given_up: u64,
    /// Messages of a type the group has no handler for, passed over (consumed in
    /// [`MessageTotals`]).
    pub skipped: u64,
    /// Messages older than the topic's retention before the group read them, lost
    /// (topics without an archive); includes those still unread at the end.
    pub expired: u64,
    /// Messages read after their retention had passed, from the topic's archive.
    pub archived_reads: u64,
    /// Pauses to rebalance (`REBALANCE_PAUSE_NANOS` each) when the group's service
    /// restarts after a crash.
    pub rebalances: u64,
    /// Lag at each of the run's samples ([`Stats::sample_times`]).
    pub lag_samples: Series,
    /// The same per partition.
    pub partition_samples: Vec<Series>,
}

impl GroupStats {
    /// Record sample `k`: the total lag and each partition's.
    pub fn sample(&mut self, k: u32) {
        self.lag_samples.record(k, self.lag.now);
        if self.partition_samples.len() < self.partition_lag.len() {
            self.partition_samples
                .resize_with(self.partition_lag.len(), Series::default);
        }
        for (s, l) in self.partition_samples.iter_mut().zip(&self.partition_lag) {
            s.record(k, l.now);
        }
    }
}

/// Per topic statistics: appends, and what message faults did to them.
#[derive(Clone, Debug, Default)]
pub struct TopicStats {
    /// Entries appended to a partition, every copy counted, when they land (after a
    /// delay, a reorder hold or a partition outage).
    pub appended: u64,
    /// Publishes a duplicate fault turned into two copies.
    pub duplicated: u64,
    /// Copies a reorder fault held back, to be appended after the next one.
    pub reordered: u64,
    /// Copies a delay fault held back before their append.
    pub delayed: u64,
    /// Publishes a poison fault made unreadable: every attempt to handle one fails.
    pub poisoned: u64,
    /// `appended`, per partition, indexed by partition number.
    pub per_partition_appended: Vec<u64>,
}

/// Saga outcomes: the model's vocabulary, counted by the engine.
pub use crate::model::SagaOutcome;

/// Per saga statistics.
#[derive(Clone, Debug, Default)]
pub struct SagaStats {
    /// Instances started (one per trigger the orchestrator handled).
    pub started: u64,
    /// Count per outcome, indexed like [`SagaOutcome::ALL`].
    pub outcomes: [u64; 4],
    /// Start to end of every instance that ended, whatever its outcome.
    pub duration: Latencies,
    /// Compensating commands whose reply came back (compensation steps finished).
    pub compensations: u64,
    /// Waits for a step's (or a compensation's) reply that timed out; each one is
    /// followed by a re-send while the step has retries left.
    pub step_timeouts: u64,
    /// Replies that came after their instance had moved past that step, or ended:
    /// ignored.
    pub late_replies: u64,
    /// Time spent in each step (command sent → reply handled), per step.
    pub step_time: Vec<Latencies>,
    /// Orphaned effects: steps of aborted instances that succeeded (the
    /// orchestrator heard of it, maybe late) with no compensation finishing after.
    pub orphaned_effects: u64,
    /// The same per step, in step order (empty until the first one).
    pub orphaned_per_step: Vec<u64>,
    /// The correlation ids of the first few orphaned effects (at most
    /// [`EXAMPLES`]), in the order they were found.
    pub orphan_examples: Vec<u64>,
    /// Compensations sent for a success reply that came late (`on_late_success:
    /// Compensate`).
    pub late_compensations: u64,
}

/// Example correlation ids kept per finding.
pub const EXAMPLES: usize = 5;

/// One choreographed compensation (an event type that `compensates` another), per
/// run.
#[derive(Clone, Debug, Default)]
pub struct ChoreographyStats {
    /// Items in which the compensation became due: they published the compensated
    /// event and then a failure event.
    pub due: u64,
    /// Items that ended with it still due: the effect was orphaned.
    pub orphaned: u64,
    /// The correlation ids of the first few of them (at most [`EXAMPLES`]).
    pub examples: Vec<u64>,
}

/// Per source (workload) statistics. An item is one arrival and all the work it
/// causes (one correlation id).
#[derive(Clone, Debug, Default)]
pub struct SourceStats {
    /// Items started: one per arrival, `size` per burst.
    pub emitted: u64,
    /// Items whose every message was handled successfully.
    pub completed: u64,
    /// Items some message of which was rejected, expired or given up after its last
    /// attempt, or some saga of which could not compensate.
    pub failed: u64,
    /// Arrival to the end of the item's last piece of work, for completed items.
    pub end_to_end: Latencies,
}

/// Per event store statistics.
#[derive(Clone, Debug, Default)]
pub struct StoreStats {
    /// Domain events appended.
    pub appends: u64,
    /// Distinct aggregates (keys) appended to, for rebuild estimates.
    pub aggregates: u64,
}

/// Per projection (read model) statistics.
#[derive(Clone, Debug, Default)]
pub struct ProjectionStats {
    /// Events appended to the store not yet applied to the read model.
    pub lag: Level,
    /// Events applied to the read model.
    pub applied: u64,
    /// Reads of the read model (at random, at the projection's `reads_per_sec`).
    pub reads: u64,
    /// Reads made while some appended event was not yet applied (`lag` above 0).
    pub stale_reads: u64,
}

/// Fate of every message delivery: each one produced ends in exactly one of these
/// (or is still in flight when the run ends).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MessageTotals {
    /// Deliveries created: one per command, reply and query, and one per consumer
    /// group for each event appended to a topic.
    pub produced: u64,
    /// Handled successfully (including duplicates skipped and types a group ignores).
    pub consumed: u64,
    /// Failed after the last attempt and moved to a dead-letter topic.
    pub dead_lettered: u64,
    /// Failed after the last attempt with no dead-letter topic: lost.
    pub failed: u64,
    /// Older than the topic's retention before the group read them: lost.
    pub expired: u64,
    /// Refused by a full service queue.
    pub rejected: u64,
    /// Lost to a fault. No fault drops deliveries at present (a callback to a service
    /// that is down fails the attempt; a message to it waits in its queue or partition), so this
    /// stays 0.
    pub dropped: u64,
    /// Still queued, being handled, waiting in a partition or in transit at the end.
    pub in_flight: u64,
    /// Of `consumed`: duplicates an idempotent consumer skipped.
    pub deduplicated: u64,
    /// Of `consumed`: duplicates applied again, by a consumer that is not idempotent
    /// or one whose dedupe window had forgotten the first copy.
    pub double_effects: u64,
    /// Of `double_effects`: duplicates applied again because the consumer's dedupe
    /// window had already forgotten the first copy (`dedupe_window`).
    pub forgotten_duplicates: u64,
    /// Events published to topics that no consumer group reads.
    pub unread: u64,
}

impl MessageTotals {
    /// Every delivery accounted for?
    pub fn balanced(&self) -> bool {
        self.produced
            == self.consumed
                + self.dead_lettered
                + self.failed
                + self.expired
                + self.rejected
                + self.dropped
                + self.in_flight
    }
}

/// All statistics of a run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Per service, in the model's order (as `Plan::services`).
    pub services: Vec<ServiceStats>,
    /// Per consumer group, in the order of `Plan::groups`.
    pub groups: Vec<GroupStats>,
    /// Per topic, in the model's order.
    pub topics: Vec<TopicStats>,
    /// Per saga, in the model's order.
    pub sagas: Vec<SagaStats>,
    /// Per source, in the model's order.
    pub sources: Vec<SourceStats>,
    /// Per event store, in the model's order.
    pub stores: Vec<StoreStats>,
    /// Per projection, in the model's order.
    pub projections: Vec<ProjectionStats>,
    /// Per choreographed compensation, in the order of `Plan::compensations` (empty
    /// until the first is due).
    pub choreography: Vec<ChoreographyStats>,
    /// The fate of every message delivery in the run.
    pub messages: MessageTotals,
    /// Engine events processed.
    pub events: u64,
    /// When the queue and lag samples were taken, in order (about 200 a run).
    pub sample_times: Vec<SimTime>,
    /// Services whose queue length changed since the last sample.
    pub queues_changed: Changed,
    /// Consumer groups whose lag changed since the last sample.
    pub lags_changed: Changed,
}

impl Stats {
    /// A series as (time, value) at each sample.
    pub fn points<'a>(&'a self, series: &'a Series) -> impl Iterator<Item = (SimTime, u64)> + 'a {
        series.points(&self.sample_times)
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;

    #[test]
    fn the_histogram_counts_every_sample_once() {
        let mut l = Latencies::default();
        for ms in [1u64, 2, 2, 3, 10, 10, 10, 50, 99, 100] {
            l.record(ms * 1_000_000);
        }
        let h = l.histogram(10);
        assert_eq!(h.len(), 10);
        assert_eq!(h.iter().map(|(_, n)| n).sum::<u64>(), 10);
        // 1 to 3 ms fall in the first tenth (below 10 ms), the three 10 ms in the second.
        assert_eq!(h[0].1 + h[1].1, 7);
        assert!(h[9].1 >= 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_through_is_inc_then_dec() {
        let t = SimTime::from_nanos;
        for start in [0u64, 1, 3] {
            let (mut a, mut b) = (ServiceStats::default(), ServiceStats::default());
            for s in [&mut a, &mut b] {
                s.queue.set(t(5), start);
                s.busy.set(t(5), 1);
            }
            a.queue.inc(t(17));
            a.note_in_system();
            a.queue.dec(t(17));
            b.pass_queue(t(17));
            assert_eq!(
                (a.queue.now, a.queue.max, a.queue.integral, a.max_in_system),
                (b.queue.now, b.queue.max, b.queue.integral, b.max_in_system)
            );
            a.queue.close(t(40));
            b.queue.close(t(40));
            assert_eq!(a.queue.integral, b.queue.integral);
        }
    }

    #[test]
    fn level_integrates_exactly() {
        let t = SimTime::from_nanos;
        let mut l = Level::default();
        l.set(t(0), 2); // 2 for 10 ns
        l.set(t(10), 5); // 5 for 30 ns
        l.set(t(40), 0);
        l.close(t(100));
        assert_eq!(l.integral, 2 * 10 + 5 * 30);
        assert_eq!(l.max, 5);
        assert!((l.mean(t(100)) - 1.7).abs() < 1e-12);
    }

    #[test]
    fn latencies() {
        let mut l = Latencies::default();
        for ms in 1..=100u64 {
            l.record(ms * 1_000_000);
        }
        assert!((l.mean_secs() - 0.0505).abs() < 1e-9);
        assert!((l.percentile_secs(50.0) - 0.050).abs() < 0.001);
        assert!((l.percentile_secs(99.0) - 0.099).abs() < 0.001);
    }
}
