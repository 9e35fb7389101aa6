//! The run report: every figure exact over the whole run.

use serde::Serialize;

use super::{AssertionResult, Bottleneck, evaluate, find_bottlenecks};
use crate::model::Model;
use crate::sim::{Latencies, MessageTotals, SagaOutcome, Simulation, run_utilisation};

/// Latency summary in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub mean_secs: f64,
    pub p50_secs: f64,
    pub p95_secs: f64,
    pub p99_secs: f64,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceReport {
    pub name: String,
    /// instances × concurrency.
    pub workers: u32,
    pub arrivals: u64,
    pub completed: u64,
    pub throughput_per_sec: f64,
    /// Busy worker time over available worker time, 0–1.
    pub utilisation: f64,
    pub mean_queue: f64,
    pub max_queue: u64,
    /// Mean number of messages in the service (waiting plus being handled): L.
    pub mean_in_system: f64,
    /// Mean time from arrival to the start of the successful attempt: Wq.
    pub mean_wait_secs: f64,
    /// Mean time from arrival to completion: W.
    pub mean_time_in_system_secs: f64,
    pub time_in_system: Percentiles,
    pub failed_attempts: u64,
    pub retries: u64,
    pub rejected: u64,
    pub dead_lettered: u64,
    pub deduplicated: u64,
    pub double_effects: u64,
    pub callbacks_failed: u64,
    pub down_secs: f64,
    /// (seconds, messages waiting), sampled.
    pub queue_over_time: Vec<(f64, u64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionReport {
    pub partition: u32,
    pub appended: u64,
    pub max_lag: u64,
    pub mean_lag: f64,
    /// (seconds, lag), sampled.
    pub lag_over_time: Vec<(f64, u64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    pub name: String,
    pub service: String,
    pub consumed: u64,
    /// Dead-lettered or failed after the last attempt.
    pub given_up: u64,
    /// Events of types this group does not handle, skipped.
    pub skipped: u64,
    pub expired: u64,
    pub archived_reads: u64,
    pub rebalances: u64,
    /// Lag summed over partitions.
    pub max_lag: u64,
    pub mean_lag: f64,
    pub final_lag: u64,
    pub partitions: Vec<PartitionReport>,
    /// (seconds, total lag), sampled.
    pub lag_over_time: Vec<(f64, u64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicReport {
    pub name: String,
    pub partitions: u32,
    pub appended: u64,
    pub duplicated: u64,
    pub reordered: u64,
    pub delayed: u64,
    pub poisoned: u64,
    pub groups: Vec<GroupReport>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SagaOutcomes {
    pub completed: u64,
    pub compensated: u64,
    pub timed_out: u64,
    pub compensation_failed: u64,
    /// Still running when the run ended, and for longer than every step and
    /// compensation could take with all their retries: stuck.
    pub unfinished: u64,
    /// Still running when the run ended, but recently started.
    pub in_progress: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    pub name: String,
    /// Command sent → reply handled, for replies that came in time.
    pub time: Percentiles,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SagaReport {
    pub name: String,
    pub started: u64,
    pub outcomes: SagaOutcomes,
    pub duration: Percentiles,
    pub compensations: u64,
    pub step_timeouts: u64,
    pub late_replies: u64,
    pub steps: Vec<StepReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceReport {
    pub name: String,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreReport {
    pub name: String,
    pub appends: u64,
    pub aggregates: u64,
    pub mean_events_per_aggregate: f64,
    /// Time to rebuild one average aggregate from its events (bounded by snapshots).
    pub rebuild_aggregate_secs: f64,
    /// Time to replay the whole store into a new projection.
    pub replay_all_secs: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectionReport {
    pub name: String,
    pub applied: u64,
    pub max_lag: u64,
    pub mean_lag: f64,
    pub reads: u64,
    pub stale_reads: u64,
    pub stale_read_share: f64,
}

/// Message totals: every delivery ends in exactly one of the fates.
pub type MessagesReport = MessageTotals;

/// The report of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub model: String,
    pub seed: u64,
    pub duration_secs: f64,
    /// Engine events processed.
    pub events: u64,
    pub services: Vec<ServiceReport>,
    pub topics: Vec<TopicReport>,
    pub sagas: Vec<SagaReport>,
    pub sources: Vec<SourceReport>,
    pub stores: Vec<StoreReport>,
    pub projections: Vec<ProjectionReport>,
    pub messages: MessagesReport,
    pub faults: Vec<String>,
    pub bottlenecks: Vec<Bottleneck>,
    pub assertions: Vec<AssertionResult>,
}

fn secs(nanos: u64) -> f64 {
    nanos as f64 / 1e9
}

impl Report {
    /// Build the report of a run (finishing it first if needed).
    pub fn new(model: &Model, sim: &mut Simulation) -> Report {
        sim.finish();
        let plan = sim.plan();
        let stats = sim.stats();
        let end = sim.end();
        let dur = end.as_secs_f64().max(1e-9);
        let services = plan
            .services
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
                queue_over_time: s
                    .samples
                    .iter()
                    .map(|(t, q)| (t.as_secs_f64(), *q))
                    .collect(),
            })
            .collect();
        let topics = plan
            .topics
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
                        .map(|&g| {
                            let gp = &plan.groups[g.index()];
                            let gs = &stats.groups[g.index()];
                            GroupReport {
                                name: gp.name.clone(),
                                service: plan.services[gp.service.index()].name.clone(),
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
                                        lag_over_time: gs
                                            .samples
                                            .iter()
                                            .map(|(t, _, per)| {
                                                (t.as_secs_f64(), per.get(p).copied().unwrap_or(0))
                                            })
                                            .collect(),
                                    })
                                    .collect(),
                                lag_over_time: gs
                                    .samples
                                    .iter()
                                    .map(|(t, lag, _)| (t.as_secs_f64(), *lag))
                                    .collect(),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let unfinished = sim.unfinished_sagas();
        let sagas = plan
            .sagas
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let s = &stats.sagas[i];
                let count = |o: SagaOutcome| {
                    s.outcomes[SagaOutcome::ALL.iter().position(|x| *x == o).unwrap_or(0)]
                };
                SagaReport {
                    name: g.name.clone(),
                    started: s.started,
                    outcomes: SagaOutcomes {
                        completed: count(SagaOutcome::Completed),
                        compensated: count(SagaOutcome::Compensated),
                        timed_out: count(SagaOutcome::TimedOut),
                        compensation_failed: count(SagaOutcome::CompensationFailed),
                        unfinished: unfinished[i].0,
                        in_progress: unfinished[i].1,
                    },
                    duration: (&s.duration).into(),
                    compensations: s.compensations,
                    step_timeouts: s.step_timeouts,
                    late_replies: s.late_replies,
                    steps: g
                        .steps
                        .iter()
                        .zip(&s.step_time)
                        .map(|(st, l)| StepReport {
                            name: st.name.clone(),
                            time: l.into(),
                        })
                        .collect(),
                }
            })
            .collect();
        let sources = plan
            .sources
            .iter()
            .zip(&stats.sources)
            .map(|(p, s)| SourceReport {
                name: p.name.clone(),
                emitted: s.emitted,
                completed: s.completed,
                failed: s.failed,
                in_progress: s.emitted - s.completed - s.failed,
                end_to_end: (&s.end_to_end).into(),
            })
            .collect();
        let stores = plan
            .stores
            .iter()
            .zip(&stats.stores)
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
            .collect();
        let projections = plan
            .projections
            .iter()
            .zip(&stats.projections)
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
            .collect();
        let mut report = Report {
            model: model.name.clone(),
            seed: sim.seed(),
            duration_secs: dur,
            events: stats.events,
            services,
            topics,
            sagas,
            sources,
            stores,
            projections,
            messages: stats.messages.clone(),
            faults: model.faults.iter().map(|f| f.describe()).collect(),
            bottlenecks: Vec::new(),
            assertions: Vec::new(),
        };
        report.bottlenecks = find_bottlenecks(model, &report);
        report.assertions = evaluate(model, sim);
        report
    }

    /// Did every assertion pass?
    pub fn passed(&self) -> bool {
        self.assertions.iter().all(|a| a.passed)
    }

    pub fn service(&self, name: &str) -> Option<&ServiceReport> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn source(&self, name: &str) -> Option<&SourceReport> {
        self.sources.iter().find(|s| s.name == name)
    }

    pub fn topic(&self, name: &str) -> Option<&TopicReport> {
        self.topics.iter().find(|t| t.name == name)
    }
}
