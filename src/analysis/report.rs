//! The run report: every figure exact over the whole run.

use serde::Serialize;

mod detail;
mod sagas;

pub use detail::{Bounded, Cell, DETAIL_PER_KIND, MAX_FINDINGS, Table};
pub use sagas::{CompensationReport, SagaOutcomes, SagaReport, StepReport};

use super::{AssertionResult, Bottleneck, evaluate, find_bottlenecks};
use crate::model::{Fault, Model};
use crate::sim::ids::GroupId;
use crate::sim::{Latencies, MessageTotals, Simulation, TopicStats, run_utilisation};

/// Latency summary in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Latencies measured.
    pub count: u64,
    /// Mean, in seconds (exact).
    pub mean_secs: f64,
    /// Median, in seconds (within 1%).
    pub p50_secs: f64,
    /// 95th percentile, in seconds (within 1%).
    pub p95_secs: f64,
    /// 99th percentile, in seconds (within 1%).
    pub p99_secs: f64,
    /// Longest, in seconds (exact).
    pub max_secs: f64,
}

impl From<&Latencies> for Percentiles {
    fn from(l: &Latencies) -> Self {
        Percentiles {
            count: l.count,
            mean_secs: l.mean_secs(),
            p50_secs: l.percentile_secs(50.0),
            p95_secs: l.percentile_secs(95.0),
            p99_secs: l.percentile_secs(99.0),
            max_secs: l.max_nanos as f64 / 1e9,
        }
    }
}

/// One service's figures over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceReport {
    /// The service's name in the model.
    pub name: String,
    /// instances × concurrency.
    pub workers: u32,
    /// Messages that reached the service (accepted into its queue).
    pub arrivals: u64,
    /// Messages handled successfully.
    pub completed: u64,
    /// Messages handled successfully per second of the run.
    pub throughput_per_sec: f64,
    /// Busy worker time over available worker time, 0–1.
    pub utilisation: f64,
    /// Time-average of messages waiting in the queue.
    pub mean_queue: f64,
    /// Most messages waiting in the queue at once.
    pub max_queue: u64,
    /// Mean number of messages in the service (waiting plus being handled): L.
    pub mean_in_system: f64,
    /// Mean time from arrival to the start of the successful attempt: Wq.
    pub mean_wait_secs: f64,
    /// Mean time from arrival to completion: W.
    pub mean_time_in_system_secs: f64,
    /// Arrival to completion of the messages handled successfully.
    pub time_in_system: Percentiles,
    /// Handling attempts that failed (and were retried or given up).
    pub failed_attempts: u64,
    /// Attempts that were retries of a failed one.
    pub retries: u64,
    /// Messages a full queue turned away.
    pub rejected: u64,
    /// Messages that failed their last attempt and went to the dead-letter topic.
    pub dead_lettered: u64,
    /// Duplicates an idempotent handler skipped.
    pub deduplicated: u64,
    /// Duplicates a handler that is not idempotent applied again.
    pub double_effects: u64,
    /// Callbacks (a handler's query to another service) refused by a service that
    /// was down or full, or timed out; each fails the attempt that made it.
    pub callbacks_failed: u64,
    /// Time the service was down (crashed), in seconds.
    pub down_secs: f64,
    /// (seconds, messages waiting), sampled.
    pub queue_over_time: Vec<(f64, u64)>,
}

/// One partition's figures for one consumer group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionReport {
    /// The partition's number, from 0.
    pub partition: u32,
    /// Events appended to the partition.
    pub appended: u64,
    /// The group's most unread events in the partition at once.
    pub max_lag: u64,
    /// Time-average of the group's unread events in the partition.
    pub mean_lag: f64,
    /// (seconds, lag), sampled.
    pub lag_over_time: Vec<(f64, u64)>,
}

/// One consumer group's figures on a topic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    /// The group's name (its service's, unless the model names it).
    pub name: String,
    /// The service whose workers read for the group.
    pub service: String,
    /// Events the group's service handled successfully.
    pub consumed: u64,
    /// Dead-lettered or failed after the last attempt.
    pub given_up: u64,
    /// Events of types this group does not handle, skipped.
    pub skipped: u64,
    /// Events older than the topic's retention before the group read them: lost.
    pub expired: u64,
    /// Events past retention read from the topic's archive tier.
    pub archived_reads: u64,
    /// Pauses to rebalance when the group's service came back after a crash.
    pub rebalances: u64,
    /// Lag summed over partitions.
    pub max_lag: u64,
    /// Time-average of the lag summed over partitions.
    pub mean_lag: f64,
    /// Lag summed over partitions when the run ended.
    pub final_lag: u64,
    /// The same per partition.
    pub partitions: Vec<PartitionReport>,
    /// (seconds, total lag), sampled.
    pub lag_over_time: Vec<(f64, u64)>,
}

/// One topic's figures, with its consumer groups'.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicReport {
    /// The topic's name in the model.
    pub name: String,
    /// Partitions of the topic.
    pub partitions: u32,
    /// Events appended to the topic.
    pub appended: u64,
    /// Events a duplicate fault delivered twice.
    pub duplicated: u64,
    /// Events a reorder fault held back, so that later ones overtook them.
    pub reordered: u64,
    /// Appends a delay fault held up (a duplicated event counts twice).
    pub delayed: u64,
    /// Events a poison fault made unreadable: every attempt to handle them fails.
    pub poisoned: u64,
    /// The groups that read the topic.
    pub groups: Vec<GroupReport>,
}

/// One workload source's items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceReport {
    /// The source's name in the model.
    pub name: String,
    /// Items the source emitted.
    pub emitted: u64,
    /// Items every message of which was handled.
    pub completed: u64,
    /// Items some message of which was lost or dead-lettered.
    pub failed: u64,
    /// Still in progress at the end.
    pub in_progress: u64,
    /// Arrival to the end of the last work it caused, for completed items.
    pub end_to_end: Percentiles,
}

/// One event store's appends and rebuild cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreReport {
    /// The store's name in the model.
    pub name: String,
    /// Events appended.
    pub appends: u64,
    /// Distinct aggregates (keys) appended to.
    pub aggregates: u64,
    /// Appends per aggregate.
    pub mean_events_per_aggregate: f64,
    /// Time to rebuild one average aggregate from its events (bounded by snapshots).
    pub rebuild_aggregate_secs: f64,
    /// Time to replay the whole store into a new projection.
    pub replay_all_secs: f64,
}

/// One projection's lag and stale reads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectionReport {
    /// The projection's name in the model.
    pub name: String,
    /// Store events applied to the read model.
    pub applied: u64,
    /// Most store events not yet applied at once.
    pub max_lag: u64,
    /// Time-average of store events not yet applied.
    pub mean_lag: f64,
    /// Reads of the read model.
    pub reads: u64,
    /// Reads made while it lagged behind the store.
    pub stale_reads: u64,
    /// Stale reads over reads, 0–1.
    pub stale_read_share: f64,
}

/// Message totals: every delivery ends in exactly one of the fates.
pub type MessagesReport = MessageTotals;

/// The report of one run: every figure exact over the whole run. Times are in
/// seconds, rates per second, utilisation and shares as fractions 0–1; serialised,
/// it is `simulate --format json` (README.md has the table of fields).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The model's name.
    pub model: String,
    /// The seed the run used.
    pub seed: u64,
    /// Simulated time the run covered, in seconds.
    pub duration_secs: f64,
    /// Engine events processed.
    pub events: u64,
    /// Each service, in model order.
    pub services: Vec<ServiceReport>,
    /// Each topic, in model order.
    pub topics: Vec<TopicReport>,
    /// Each saga, in model order.
    pub sagas: Vec<SagaReport>,
    /// Each choreographed compensation (an event type that `compensates` another),
    /// in type order: how often it was due and how often it never came.
    pub choreography: Vec<CompensationReport>,
    /// Each workload source, in model order.
    pub sources: Vec<SourceReport>,
    /// Each event store, in model order.
    pub stores: Vec<StoreReport>,
    /// Each projection, in model order.
    pub projections: Vec<ProjectionReport>,
    /// The fate of every message delivery.
    pub messages: MessagesReport,
    /// Each fault of the model, in words.
    pub faults: Vec<String>,
    /// Ranked findings, most severe first.
    pub bottlenecks: Vec<Bottleneck>,
    /// The model's assertions, in model order, checked.
    pub assertions: Vec<AssertionResult>,
    /// The run stopped at its budget before its end: the figures cover only the
    /// simulated time reached (see [`Report::mark_partial`]).
    pub partial: bool,
    /// Why it stopped and what the figures cover, when `partial`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Set when the report was bounded for a big model ([`Report::bound`]): what was
    /// left out of detail. Absent from a whole report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounded: Option<Bounded>,
    /// In a bounded report, every service's headline figures, one row each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_table: Option<Table>,
    /// In a bounded report, every consumer group's headline figures, one row each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_table: Option<Table>,
}

impl Report {
    /// Build the report of a run (finishing it first if needed).
    pub fn new(model: &Model, sim: &mut Simulation) -> Report {
        Self::build(model, sim, true)
    }

    /// The report of a run as `simulate` gives it by default: bounded for a big model
    /// ([`Report::bound`]), the partition series of the groups left out never built;
    /// for a model with nothing to leave out, the same as [`Report::new`].
    pub fn bounded(model: &Model, sim: &mut Simulation) -> Report {
        let mut report = Self::build(model, sim, false);
        report.bound();
        report.fill_partition_series(sim);
        report
    }

    /// The report, with each partition's lag series or without (`partition_series`).
    fn build(model: &Model, sim: &mut Simulation, partition_series: bool) -> Report {
        sim.finish();
        let sim = &*sim;
        let dur = sim.end().as_secs_f64().max(1e-9);
        let stats = sim.stats();
        let mut report = Report {
            model: model.name.clone(),
            seed: sim.seed(),
            duration_secs: dur,
            events: stats.events,
            services: service_reports(sim, dur),
            topics: topic_reports(sim, partition_series),
            sagas: sagas::saga_reports(sim),
            choreography: sagas::compensation_reports(sim),
            sources: source_reports(sim),
            stores: store_reports(sim),
            projections: projection_reports(sim),
            messages: stats.messages.clone(),
            faults: model.faults.iter().map(Fault::describe).collect(),
            bottlenecks: Vec::new(),
            assertions: Vec::new(),
            partial: false,
            stopped: None,
            bounded: None,
            service_table: None,
            group_table: None,
        };
        report.bottlenecks = find_bottlenecks(model, &report);
        report.assertions = evaluate(model, sim);
        report
    }

    /// The run behind this report stopped at its budget (`why`, e.g. "stopped at the
    /// event budget of 5000 events; the figures cover the first 8.500 s of simulated
    /// time"): every form of the report says so.
    pub fn mark_partial(&mut self, why: String) {
        self.partial = true;
        self.stopped = Some(why);
    }

    /// Did every assertion pass?
    pub fn passed(&self) -> bool {
        self.assertions.iter().all(|a| a.passed)
    }

    /// The service with this name.
    pub fn service(&self, name: &str) -> Option<&ServiceReport> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The workload source with this name.
    pub fn source(&self, name: &str) -> Option<&SourceReport> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The topic with this name.
    pub fn topic(&self, name: &str) -> Option<&TopicReport> {
        self.topics.iter().find(|t| t.name == name)
    }
}

fn secs(nanos: u64) -> f64 {
    nanos as f64 / 1e9
}

/// Each service's figures; `dur` is the run's length in seconds.
fn service_reports(sim: &Simulation, dur: f64) -> Vec<ServiceReport> {
    let (plan, stats, end) = (sim.plan(), sim.stats(), sim.end());
    plan.services
        .iter()
        .zip(&stats.services)
        .enumerate()
        .map(|(i, (p, s))| ServiceReport {
            name: p.name.clone(),
            workers: p.servers,
            arrivals: s.arrivals,
            completed: s.completed,
            throughput_per_sec: s.completed as f64 / dur,
            utilisation: run_utilisation(sim, i),
            mean_queue: s.queue.mean(end),
            max_queue: s.queue.max,
            mean_in_system: s.mean_in_system(end),
            mean_wait_secs: if s.completed == 0 {
                0.0
            } else {
                s.wait_sum_nanos as f64 / s.completed as f64 / 1e9
            },
            mean_time_in_system_secs: s.time_in_system.mean_secs(),
            time_in_system: (&s.time_in_system).into(),
            failed_attempts: s.failed_attempts,
            retries: s.retries,
            rejected: s.rejected,
            dead_lettered: s.dead_lettered,
            deduplicated: s.deduplicated,
            double_effects: s.double_effects,
            callbacks_failed: s.callbacks_failed,
            down_secs: secs(s.down_nanos),
            queue_over_time: stats
                .points(&s.queue_samples)
                .map(|(t, q)| (t.as_secs_f64(), q))
                .collect(),
        })
        .collect()
}

/// Each topic's figures, with its consumer groups' (and their partitions' lag series
/// when `partition_series`).
fn topic_reports(sim: &Simulation, partition_series: bool) -> Vec<TopicReport> {
    let (plan, stats) = (sim.plan(), sim.stats());
    plan.topics
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            let ts = &stats.topics[ti];
            TopicReport {
                name: t.name.clone(),
                partitions: t.partitions,
                appended: ts.appended,
                duplicated: ts.duplicated,
                reordered: ts.reordered,
                delayed: ts.delayed,
                poisoned: ts.poisoned,
                groups: t
                    .groups
                    .iter()
                    .map(|&g| group_report(sim, ts, g, partition_series))
                    .collect(),
            }
        })
        .collect()
}

/// One consumer group's figures (`g` indexes the plan's groups), on the topic with
/// statistics `ts`; its partitions' lag series only when `partition_series`.
fn group_report(
    sim: &Simulation,
    ts: &TopicStats,
    g: GroupId,
    partition_series: bool,
) -> GroupReport {
    let (plan, stats, end) = (sim.plan(), sim.stats(), sim.end());
    let gp = &plan.groups[g];
    let gs = &stats.groups[g];
    GroupReport {
        name: gp.name.clone(),
        service: plan.services[gp.service].name.clone(),
        consumed: gs.consumed,
        given_up: gs.given_up,
        skipped: gs.skipped,
        expired: gs.expired,
        archived_reads: gs.archived_reads,
        rebalances: gs.rebalances,
        max_lag: gs.lag.max,
        mean_lag: gs.lag.mean(end),
        final_lag: gs.lag.now,
        partitions: gs
            .partition_lag
            .iter()
            .enumerate()
            .map(|(p, l)| PartitionReport {
                partition: p as u32,
                appended: ts.per_partition_appended[p],
                max_lag: l.max,
                mean_lag: l.mean(end),
                lag_over_time: if partition_series {
                    partition_lag_series(sim, g, p)
                } else {
                    Vec::new()
                },
            })
            .collect(),
        lag_over_time: stats
            .points(&gs.lag_samples)
            .map(|(t, lag)| (t.as_secs_f64(), lag))
            .collect(),
    }
}

/// Partition `p` of group `g`: its lag at each sample, (seconds, lag).
fn partition_lag_series(sim: &Simulation, g: GroupId, p: usize) -> Vec<(f64, u64)> {
    let stats = sim.stats();
    stats.groups[g]
        .partition_samples
        .get(p)
        .map(|s| {
            stats
                .points(s)
                .map(|(t, lag)| (t.as_secs_f64(), lag))
                .collect()
        })
        .unwrap_or_default()
}

impl Report {
    /// Build the partitions' lag series of every group in the report.
    fn fill_partition_series(&mut self, sim: &Simulation) {
        let plan = sim.plan();
        let by_name: std::collections::HashMap<&str, usize> = plan
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        for topic in &mut self.topics {
            let Some(t) = by_name.get(topic.name.as_str()).map(|&i| &plan.topics[i]) else {
                continue;
            };
            for group in &mut topic.groups {
                let Some(&g) = t
                    .groups
                    .iter()
                    .find(|&&g| plan.groups[g].name == group.name)
                else {
                    continue;
                };
                for (p, part) in group.partitions.iter_mut().enumerate() {
                    part.lag_over_time = partition_lag_series(sim, g, p);
                }
            }
        }
    }
}

/// Each workload source's items and their end-to-end latency.
fn source_reports(sim: &Simulation) -> Vec<SourceReport> {
    sim.plan()
        .sources
        .iter()
        .zip(&sim.stats().sources)
        .map(|(p, s)| SourceReport {
            name: p.name.clone(),
            emitted: s.emitted,
            completed: s.completed,
            failed: s.failed,
            in_progress: s.emitted - s.completed - s.failed,
            end_to_end: (&s.end_to_end).into(),
        })
        .collect()
}

/// Each event store's appends and its rebuild and replay cost.
fn store_reports(sim: &Simulation) -> Vec<StoreReport> {
    sim.plan()
        .stores
        .iter()
        .zip(&sim.stats().stores)
        .map(|(p, s)| {
            let per = if s.aggregates == 0 {
                0.0
            } else {
                s.appends as f64 / s.aggregates as f64
            };
            let replayed = match p.snapshot_every {
                Some(n) => per.min(f64::from(n)),
                None => per,
            };
            StoreReport {
                name: p.name.clone(),
                appends: s.appends,
                aggregates: s.aggregates,
                mean_events_per_aggregate: per,
                rebuild_aggregate_secs: replayed * secs(p.replay_per_event_nanos),
                replay_all_secs: s.appends as f64 * secs(p.replay_per_event_nanos),
            }
        })
        .collect()
}

/// Each projection's lag and stale reads.
fn projection_reports(sim: &Simulation) -> Vec<ProjectionReport> {
    let end = sim.end();
    sim.plan()
        .projections
        .iter()
        .zip(&sim.stats().projections)
        .map(|(p, s)| ProjectionReport {
            name: p.name.clone(),
            applied: s.applied,
            max_lag: s.lag.max,
            mean_lag: s.lag.mean(end),
            reads: s.reads,
            stale_reads: s.stale_reads,
            stale_read_share: if s.reads == 0 {
                0.0
            } else {
                s.stale_reads as f64 / s.reads as f64
            },
        })
        .collect()
}
