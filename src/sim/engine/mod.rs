//! The discrete-event engine.
//!
//! One `Simulation` per run: build it from a model, then `step()` one event at a time,
//! `step_until(t)`, or `run()` to the end. Time is integer nanoseconds; the future-event
//! list breaks ties first-in-first-out; all randomness comes from one ChaCha8 generator
//! seeded from the run's seed, so the same model and seed give the same trace and
//! statistics, event for event.

mod accounting;
mod callback;
mod dedupe;
mod effects;
mod fault;
mod footprint;
mod in_flight;
mod messages;
mod saga;
mod service;
mod store;
mod topic;
mod workload;

use crate::sim::ids::{FaultId, GroupId, MsgId, ProjectionId, ServiceId, SourceId, TopicId};
use std::collections::VecDeque;

use rand::SeedableRng;

use super::plan::{MsgKind, Plan, PlanError, Target, TypeId};
use super::queue::EventQueue;
use super::sampler::{SimRng, exp_interval};
use super::stats::{GroupStats, Level, ServiceStats, Stats, TopicStats};
use super::time::SimTime;
use super::trace::Trace;
use crate::model::Model;

pub use footprint::Retained;
pub use in_flight::{Hop, HopLoad, Token};
pub(crate) use saga::SagaInst;
pub(crate) use topic::{LogEntry, Partition};

/// How long a consumer group pauses to rebalance when a member rejoins after a crash.
pub const REBALANCE_PAUSE_NANOS: u64 = 3_000_000_000;
/// How long a reordered message is held back at most, waiting for a successor.
pub const REORDER_HOLD_NANOS: u64 = 100_000_000;
/// Default capacity of the in-memory trace ring.
pub const DEFAULT_TRACE_CAPACITY: usize = 1_024;
/// Queue and lag samples per run, for charts and trend detection.
pub const LAG_SAMPLES: u64 = 200;

const NONE: u32 = u32::MAX;

pub(crate) const FLAG_POISON: u8 = 1;
/// The message may arrive more than once (a duplicate copy or a re-sent command), so
/// consumers remember having handled it.
pub(crate) const FLAG_TRACKED: u8 = 2;
/// The message is a repeat of one sent before (the second copy of a duplicated event,
/// a re-sent command): a consumer with no memory of it had forgotten the first.
pub(crate) const FLAG_REPEAT: u8 = 4;

/// What a consumer remembers of a message id that may arrive more than once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seen {
    /// A copy is being handled (or waiting for a retry) in this message slot.
    Running(MsgId),
    /// A copy was handled, with this outcome (or `NONE`).
    Done(u32),
}

/// Where the answer to a request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    None,
    Saga { inst: u32, token: u32 },
    Callback { msg: MsgId, token: u32 },
}

/// A message being delivered to, queued at or handled by a service.
#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub event_id: u64,
    pub ty: TypeId,
    pub kind: MsgKind,
    pub corr: u32,
    /// The correlation id itself, kept for the trace.
    pub corr_id: u64,
    pub key: u64,
    pub created: SimTime,
    pub enqueued: SimTime,
    pub started: SimTime,
    pub attempt: u32,
    pub flags: u8,
    pub origin: Origin,
    pub service: ServiceId,
    pub target: Target,
    /// (group, partition) for an event fetched from a topic.
    pub from: Option<(GroupId, u32)>,
    pub will_fail: bool,
    pub outcome: u32,
    /// Own handling time, once a callback has answered.
    pub own_nanos: u64,
    /// Bumped whenever outstanding callbacks or timers for this message go stale.
    pub token: u32,
    pub waiting_callback: bool,
    /// The latest trace record about this message (before its first, the record that
    /// caused it): the cause of its next record.
    pub cause: u64,
}

impl Msg {
    /// A new slot's contents before its first message is written in.
    const EMPTY: Msg = Msg {
        event_id: 0,
        ty: 0,
        kind: MsgKind::Command,
        corr: NONE,
        corr_id: 0,
        key: 0,
        created: SimTime::ZERO,
        enqueued: SimTime::ZERO,
        started: SimTime::ZERO,
        attempt: 1,
        flags: 0,
        origin: Origin::None,
        service: ServiceId(0),
        target: Target::Ignore,
        from: None,
        will_fail: false,
        outcome: NONE,
        own_nanos: 0,
        token: 0,
        waiting_callback: false,
        cause: 0,
    };
}

/// One workload item: its source, start, and the work it still has outstanding.
#[derive(Clone, Debug)]
pub(crate) struct Corr {
    pub id: u64,
    pub source: SourceId,
    pub start: SimTime,
    pub refs: u32,
    pub failed: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceRt {
    pub queue: VecDeque<MsgId>,
    pub free: u32,
    pub in_service: Vec<MsgId>,
    pub down: bool,
    pub down_until: SimTime,
    pub epoch: u32,
    pub slow: f64,
    pub down_since: SimTime,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct GroupRt {
    /// Per partition: next offset to read, and whether a message is out.
    pub offsets: Vec<u64>,
    pub busy: Vec<bool>,
    pub paused_until: SimTime,
}

/// Scheduled engine events.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ev {
    // Kept at 12 bytes of payload (16 with the tag): every heap entry carries one,
    // and an entry is then 32 bytes.
    Arrival {
        source: SourceId,
    },
    /// The end of a handling; the service is the message's own (`Msg::service`).
    Done {
        msg: MsgId,
        epoch: u32,
        token: u32,
    },
    Retry {
        msg: MsgId,
        token: u32,
    },
    CallbackTimeout {
        msg: MsgId,
        token: u32,
    },
    StepTimeout {
        inst: u32,
        token: u32,
    },
    AppendDue {
        pending: u32,
    },
    ReleaseHeld {
        topic: TopicId,
        partition: u32,
        seq: u32,
    },
    RebalanceEnd {
        group: GroupId,
    },
    FaultStart {
        fault: FaultId,
    },
    FaultEnd {
        fault: FaultId,
    },
    ProjectionApplied {
        projection: ProjectionId,
    },
    ProjectionRead {
        projection: ProjectionId,
    },
    Sample,
}

/// Options of a run beyond the model.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Overrides the model's seed.
    pub seed: Option<u64>,
    /// Overrides the model's duration, in nanoseconds.
    pub duration_nanos: Option<u64>,
    /// Records kept in memory (the most recent); 0 keeps none.
    pub trace_capacity: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            seed: None,
            duration_nanos: None,
            trace_capacity: DEFAULT_TRACE_CAPACITY,
        }
    }
}

/// A simulation run over one model.
///
/// A clone is an independent run in exactly the same state (generator included), so
/// it continues identically; its trace keeps the ring but has no sink.
#[derive(Clone)]
pub struct Simulation {
    pub(crate) plan: Plan,
    pub(crate) seed: u64,
    pub(crate) end: SimTime,
    pub(crate) now: SimTime,
    pub(crate) queue: EventQueue<Ev>,
    pub(crate) rng: SimRng,
    pub(crate) msgs: Vec<Msg>,
    pub(crate) live: Vec<bool>,
    pub(crate) free_msgs: Vec<MsgId>,
    pub(crate) corrs: Vec<Corr>,
    pub(crate) free_corrs: Vec<u32>,
    pub(crate) next_corr_id: u64,
    pub(crate) next_event_id: u64,
    pub(crate) services: Vec<ServiceRt>,
    pub(crate) partitions: Vec<Vec<Partition>>,
    pub(crate) groups: Vec<GroupRt>,
    pub(crate) sagas: Vec<SagaInst>,
    pub(crate) free_sagas: Vec<u32>,
    /// Per item slot, the choreographed compensations it owes (`effects`).
    pub(crate) item_effects: Vec<effects::ItemEffects>,
    /// (service, handler, event id) → what that consumer knows of a message that may
    /// arrive more than once, kept for the service's dedupe window.
    pub(crate) dedupe: dedupe::Dedupe,
    pub(crate) pending: Vec<Option<(TopicId, u32, LogEntry)>>,
    pub(crate) free_pending: Vec<u32>,
    pub(crate) faults: fault::FaultState,
    pub(crate) store_keys: Vec<std::collections::HashSet<u64>>,
    pub(crate) round_robin: Vec<u32>,
    pub(crate) stats: Stats,
    pub(crate) trace: Trace,
    /// The trace record the engine is acting on behalf of right now (a handler's
    /// completion while it emits, a saga record while it sends): what new messages and
    /// message-less records name as their cause. Reset for every event.
    pub(crate) cause: u64,
    pub(crate) finished: bool,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("now", &self.now)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

impl Simulation {
    /// Build a run from a model. Fails (fatally) when the model has validation errors.
    pub fn new(model: &Model, options: RunOptions) -> Result<Self, PlanError> {
        let (plan, seed) = Self::plan_for(model, &options)?;
        Ok(Self::from_plan(plan, seed, options.trace_capacity))
    }

    /// The plan and seed of a run of `model` under `options`, before anything is
    /// allocated for it (so a budget can look first).
    pub(crate) fn plan_for(model: &Model, options: &RunOptions) -> Result<(Plan, u64), PlanError> {
        let mut plan = Plan::new(model)?;
        if let Some(d) = options.duration_nanos {
            plan.duration_nanos = d;
            for s in &mut plan.sources {
                s.stop = SimTime::from_nanos(
                    model
                        .sources
                        .iter()
                        .find(|m| m.name == s.name)
                        .and_then(|m| m.stop)
                        .map_or(d, |x| x.as_nanos().min(d)),
                );
            }
        }
        Ok((plan, options.seed.unwrap_or(model.seed)))
    }

    pub(crate) fn from_plan(plan: Plan, seed: u64, trace_capacity: usize) -> Self {
        let end = SimTime::from_nanos(plan.duration_nanos);
        let services = plan
            .services
            .iter()
            .map(|s| ServiceRt {
                free: s.servers,
                slow: 1.0,
                ..ServiceRt::default()
            })
            .collect();
        let partitions = plan
            .topics
            .iter()
            .map(|t| (0..t.partitions).map(|_| Partition::default()).collect())
            .collect();
        let groups = plan
            .groups
            .iter()
            .map(|g| {
                let n = plan.topics[g.topic].partitions as usize;
                GroupRt {
                    offsets: vec![0; n],
                    busy: vec![false; n],
                    paused_until: SimTime::ZERO,
                }
            })
            .collect();
        let stats = Stats {
            services: vec![ServiceStats::default(); plan.services.len()],
            groups: plan
                .groups
                .iter()
                .map(|g| GroupStats {
                    partition_lag: vec![Level::default(); plan.topics[g.topic].partitions as usize],
                    ..GroupStats::default()
                })
                .collect(),
            topics: plan
                .topics
                .iter()
                .map(|t| TopicStats {
                    per_partition_appended: vec![0; t.partitions as usize],
                    ..TopicStats::default()
                })
                .collect(),
            sagas: plan
                .sagas
                .iter()
                .map(|s| super::stats::SagaStats {
                    step_time: vec![Default::default(); s.steps.len()],
                    ..Default::default()
                })
                .collect(),
            sources: vec![Default::default(); plan.sources.len()],
            stores: vec![Default::default(); plan.stores.len()],
            projections: vec![Default::default(); plan.projections.len()],
            ..Stats::default()
        };
        let plan_services = plan.services.len();
        let mut sim = Simulation {
            faults: fault::FaultState::new(&plan),
            store_keys: vec![Default::default(); plan.stores.len()],
            round_robin: vec![0; plan.topics.len()],
            plan,
            seed,
            end,
            now: SimTime::ZERO,
            queue: EventQueue::with_capacity(1024),
            rng: SimRng::seed_from_u64(seed),
            msgs: Vec::new(),
            live: Vec::new(),
            free_msgs: Vec::new(),
            corrs: Vec::new(),
            free_corrs: Vec::new(),
            next_corr_id: 1,
            next_event_id: 1,
            services,
            partitions,
            groups,
            sagas: Vec::new(),
            free_sagas: Vec::new(),
            dedupe: dedupe::Dedupe::new(plan_services),
            item_effects: Vec::new(),
            pending: Vec::new(),
            free_pending: Vec::new(),
            stats,
            trace: Trace::new(trace_capacity),
            cause: 0,
            finished: false,
        };
        sim.schedule_start();
        sim
    }

    fn schedule_start(&mut self) {
        for (i, s) in self.plan.sources.iter().enumerate() {
            if s.start < s.stop {
                self.queue.push(
                    s.start,
                    Ev::Arrival {
                        source: SourceId(i as u32),
                    },
                );
            }
        }
        for (i, f) in self.plan.faults.iter().enumerate() {
            if f.start < self.end {
                self.queue.push(
                    f.start,
                    Ev::FaultStart {
                        fault: FaultId(i as u32),
                    },
                );
                self.queue.push(
                    f.end,
                    Ev::FaultEnd {
                        fault: FaultId(i as u32),
                    },
                );
            }
        }
        for (i, p) in self.plan.projections.iter().enumerate() {
            if p.reads_per_sec > 0.0 {
                let t = exp_interval(&mut self.rng, p.reads_per_sec);
                self.queue.push(
                    SimTime::ZERO + t,
                    Ev::ProjectionRead {
                        projection: ProjectionId(i as u32),
                    },
                );
            }
        }
        self.queue.push(SimTime::ZERO, Ev::Sample);
    }

    /// Current simulated time.
    pub fn time(&self) -> SimTime {
        self.now
    }

    /// End of the run.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// The seed of the run's generator: the model's, unless another was given
    /// ([`RunOptions::seed`], or a playback reset with a new seed).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The compiled model the run executes.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Statistics so far, exact at any point; [`finish`](Self::finish) closes them
    /// (integrals to the end time, in-flight messages counted).
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The trace: its most recent records, and the count of all.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The trace, to attach a sink that receives every record from now on.
    pub fn trace_mut(&mut self) -> &mut Trace {
        &mut self.trace
    }

    /// Process the next event. Returns its time, or `None` when nothing is left to
    /// do before the end of the run.
    pub fn step(&mut self) -> Option<SimTime> {
        let (t, ev) = self.queue.pop_until(self.end)?;
        self.handle(t, ev);
        Some(t)
    }

    #[inline]
    fn handle(&mut self, t: SimTime, ev: Ev) {
        debug_assert!(t >= self.now, "time went back from {} to {t}", self.now);
        self.now = t;
        self.stats.events += 1;
        self.cause = 0;
        self.dispatch(ev);
    }

    /// Process every event up to and including time `t` (clamped to the end).
    pub fn step_until(&mut self, t: SimTime) {
        let t = t.min(self.end);
        while let Some((time, ev)) = self.queue.pop_until(t) {
            self.handle(time, ev);
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// Run to the end and close the statistics.
    pub fn run(&mut self) {
        self.step_until(self.end);
        self.finish();
    }

    /// Make the run end now: its report then describes the run so far (utilisation
    /// over the time elapsed, not over the whole planned duration). Meant for a copy
    /// of a run in progress.
    pub fn end_now(&mut self) {
        self.end = self.now;
    }

    /// Has the run reached its end?
    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// Close integrals at the end time and count what is still in flight. Idempotent.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.now = self.end;
        let end = self.end;
        for (i, s) in self.stats.services.iter_mut().enumerate() {
            s.busy.close(end);
            s.queue.close(end);
            s.backoff.close(end);
            if self.services[i].down {
                s.down_nanos += end - self.services[i].down_since;
            }
        }
        for g in &mut self.stats.groups {
            g.lag.close(end);
            for p in &mut g.partition_lag {
                p.close(end);
            }
        }
        for p in &mut self.stats.projections {
            p.lag.close(end);
        }
        self.count_in_flight();
        self.finished = true;
    }

    fn dispatch(&mut self, ev: Ev) {
        match ev {
            Ev::Arrival { source } => self.arrival(source),
            Ev::Done { msg, epoch, token } => self.done(msg, epoch, token),
            Ev::Retry { msg, token } => self.retry_due(msg, token),
            Ev::CallbackTimeout { msg, token } => self.callback_timeout(msg, token),
            Ev::StepTimeout { inst, token } => self.step_timeout(inst, token),
            Ev::AppendDue { pending } => self.append_due(pending),
            Ev::ReleaseHeld {
                topic,
                partition,
                seq,
            } => self.release_held(topic, partition, seq),
            Ev::RebalanceEnd { group } => self.rebalance_end(group),
            Ev::FaultStart { fault } => self.fault_start(fault),
            Ev::FaultEnd { fault } => self.fault_end(fault),
            Ev::ProjectionApplied { projection } => self.projection_applied(projection.0),
            Ev::ProjectionRead { projection } => self.projection_read(projection.0),
            Ev::Sample => self.sample(),
        }
    }
}

// The heap entry is (time, sequence, event): keep events small.
const _: () = assert!(std::mem::size_of::<Ev>() <= 16);
