//! The discrete-event engine.
//!
//! One `Simulation` per run: build it from a model, then `step()` one event at a time,
//! `step_until(t)`, or `run()` to the end. Time is integer nanoseconds; the future-event
//! list breaks ties first-in-first-out; all randomness comes from one ChaCha8 generator
//! seeded from the run's seed, so the same model and seed give the same trace and
//! statistics, event for event.

mod fault;
mod saga;
mod service;
mod store;
mod topic;

use std::collections::{HashMap, VecDeque};

use rand::{Rng, SeedableRng};

use super::plan::{Act, MsgKind, Plan, PlanError, Target, TypeId};
use super::queue::EventQueue;
use super::sampler::{SimRng, exp_interval};
use super::stats::{GroupStats, Level, ServiceStats, Stats, TopicStats};
use super::trace::{Record, Trace, TraceKind, Where};
use crate::model::{Model, Rate};

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

/// Where the answer to a request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    None,
    Saga { inst: u32, token: u32 },
    Callback { msg: u32, token: u32 },
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
    pub created: u64,
    pub enqueued: u64,
    pub started: u64,
    pub attempt: u32,
    pub flags: u8,
    pub origin: Origin,
    pub service: u32,
    pub target: Target,
    /// (group, partition) for an event fetched from a topic.
    pub from: Option<(u32, u32)>,
    pub will_fail: bool,
    pub outcome: u32,
    /// Own handling time, once a callback has answered.
    pub own_nanos: u64,
    /// Bumped whenever outstanding callbacks or timers for this message go stale.
    pub token: u32,
    pub waiting_callback: bool,
}

/// One workload item: its source, start, and the work it still has outstanding.
#[derive(Clone, Debug)]
pub(crate) struct Corr {
    pub id: u64,
    pub source: u32,
    pub start: u64,
    pub refs: u32,
    pub failed: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceRt {
    pub queue: VecDeque<u32>,
    pub free: u32,
    pub in_service: Vec<u32>,
    pub down: bool,
    pub down_until: u64,
    pub epoch: u32,
    pub slow: f64,
    pub down_since: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct GroupRt {
    /// Per partition: next offset to read, and whether a message is out.
    pub offsets: Vec<u64>,
    pub busy: Vec<bool>,
    pub paused_until: u64,
}

/// Scheduled engine events.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ev {
    // Kept at 16 bytes of payload: every heap entry carries one.
    Arrival {
        source: u32,
    },
    Done {
        service: u32,
        msg: u32,
        epoch: u32,
        token: u32,
    },
    Retry {
        msg: u32,
        token: u32,
    },
    CallbackTimeout {
        msg: u32,
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
        topic: u32,
        partition: u32,
        seq: u32,
    },
    RebalanceEnd {
        group: u32,
    },
    FaultStart {
        fault: u32,
    },
    FaultEnd {
        fault: u32,
    },
    ProjectionApplied {
        projection: u32,
    },
    ProjectionRead {
        projection: u32,
    },
    Sample,
}

/// Options of a run beyond the model.
#[derive(Clone, Debug)]
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
pub struct Simulation {
    pub(crate) plan: Plan,
    pub(crate) seed: u64,
    pub(crate) end: u64,
    pub(crate) now: u64,
    pub(crate) queue: EventQueue<Ev>,
    pub(crate) rng: SimRng,
    pub(crate) msgs: Vec<Msg>,
    pub(crate) live: Vec<bool>,
    pub(crate) free_msgs: Vec<u32>,
    pub(crate) corrs: Vec<Corr>,
    pub(crate) free_corrs: Vec<u32>,
    pub(crate) next_corr_id: u64,
    pub(crate) next_event_id: u64,
    pub(crate) services: Vec<ServiceRt>,
    pub(crate) partitions: Vec<Vec<Partition>>,
    pub(crate) groups: Vec<GroupRt>,
    pub(crate) sagas: Vec<SagaInst>,
    pub(crate) free_sagas: Vec<u32>,
    /// (service, event id) → outcome handled, for messages that may repeat.
    pub(crate) seen: HashMap<(u32, u64), u32>,
    pub(crate) pending: Vec<Option<(u32, u32, LogEntry)>>,
    pub(crate) faults: fault::FaultState,
    pub(crate) store_keys: Vec<std::collections::HashSet<u64>>,
    pub(crate) round_robin: Vec<u32>,
    pub(crate) stats: Stats,
    pub(crate) trace: Trace,
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
        let mut plan = Plan::new(model)?;
        if let Some(d) = options.duration_nanos {
            plan.duration_nanos = d;
            for s in &mut plan.sources {
                s.stop_nanos = model
                    .sources
                    .iter()
                    .find(|m| m.name == s.name)
                    .and_then(|m| m.stop)
                    .map_or(d, |x| x.as_nanos().min(d));
            }
        }
        let seed = options.seed.unwrap_or(model.seed);
        Ok(Self::from_plan(plan, seed, options.trace_capacity))
    }

    pub(crate) fn from_plan(plan: Plan, seed: u64, trace_capacity: usize) -> Self {
        let end = plan.duration_nanos;
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
                let n = plan.topics[g.topic as usize].partitions as usize;
                GroupRt {
                    offsets: vec![0; n],
                    busy: vec![false; n],
                    paused_until: 0,
                }
            })
            .collect();
        let stats = Stats {
            services: vec![ServiceStats::default(); plan.services.len()],
            groups: plan
                .groups
                .iter()
                .map(|g| GroupStats {
                    partition_lag: vec![
                        Level::default();
                        plan.topics[g.topic as usize].partitions as usize
                    ],
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
        let mut sim = Simulation {
            faults: fault::FaultState::new(&plan),
            store_keys: vec![Default::default(); plan.stores.len()],
            round_robin: vec![0; plan.topics.len()],
            plan,
            seed,
            end,
            now: 0,
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
            seen: HashMap::new(),
            pending: Vec::new(),
            stats,
            trace: Trace::new(trace_capacity),
            finished: false,
        };
        sim.schedule_start();
        sim
    }

    fn schedule_start(&mut self) {
        for (i, s) in self.plan.sources.iter().enumerate() {
            if s.start_nanos < s.stop_nanos {
                self.queue
                    .push(s.start_nanos, Ev::Arrival { source: i as u32 });
            }
        }
        for (i, f) in self.plan.faults.iter().enumerate() {
            if f.start < self.end {
                self.queue.push(f.start, Ev::FaultStart { fault: i as u32 });
                self.queue.push(f.end, Ev::FaultEnd { fault: i as u32 });
            }
        }
        for (i, p) in self.plan.projections.iter().enumerate() {
            if p.reads_per_sec > 0.0 {
                let t = exp_interval(&mut self.rng, p.reads_per_sec);
                self.queue.push(
                    t,
                    Ev::ProjectionRead {
                        projection: i as u32,
                    },
                );
            }
        }
        self.queue.push(0, Ev::Sample);
    }

    /// Current simulated time in nanoseconds.
    pub fn time(&self) -> u64 {
        self.now
    }

    /// End of the run in nanoseconds.
    pub fn end(&self) -> u64 {
        self.end
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn trace_mut(&mut self) -> &mut Trace {
        &mut self.trace
    }

    /// Process the next event. Returns its time, or `None` when nothing is left to
    /// do before the end of the run.
    pub fn step(&mut self) -> Option<u64> {
        let (t, ev) = self.queue.pop_until(self.end)?;
        self.handle(t, ev);
        Some(t)
    }

    #[inline]
    fn handle(&mut self, t: u64, ev: Ev) {
        debug_assert!(t >= self.now, "time went back from {} to {t}", self.now);
        self.now = t;
        self.stats.events += 1;
        self.dispatch(ev);
    }

    /// Process every event up to and including time `t` (clamped to the end).
    pub fn step_until(&mut self, t: u64) {
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
            Ev::Done {
                service,
                msg,
                epoch,
                token,
            } => self.done(service, msg, epoch, token),
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
            Ev::ProjectionApplied { projection } => self.projection_applied(projection),
            Ev::ProjectionRead { projection } => self.projection_read(projection),
            Ev::Sample => self.sample(),
        }
    }

    // ---- workload ----------------------------------------------------------------

    fn arrival(&mut self, source: u32) {
        let src = &self.plan.sources[source as usize];
        let (batch, next) = match src.rate {
            Rate::Poisson { per_sec } => (1, exp_interval(&mut self.rng, per_sec)),
            Rate::Constant { per_sec } => (1, (1e9 / per_sec).max(1.0) as u64),
            Rate::Bursts { size, every } => (size, every.as_nanos().max(1)),
        };
        let stop = src.stop_nanos;
        let keys = src.keys;
        let act = src.act.clone();
        for _ in 0..batch {
            let key = self.rng.random_range(0..keys);
            let corr = self.new_corr(source);
            self.stats.sources[source as usize].emitted += 1;
            self.perform(&act, corr, key, Origin::None, 0);
            self.unref(corr);
        }
        let t = self.now.saturating_add(next);
        if t < stop {
            self.queue.push(t, Ev::Arrival { source });
        }
    }

    // ---- correlation ids ------------------------------------------------------------

    fn new_corr(&mut self, source: u32) -> u32 {
        let c = Corr {
            id: self.next_corr_id,
            source,
            start: self.now,
            refs: 1,
            failed: false,
        };
        self.next_corr_id += 1;
        if let Some(i) = self.free_corrs.pop() {
            self.corrs[i as usize] = c;
            i
        } else {
            self.corrs.push(c);
            (self.corrs.len() - 1) as u32
        }
    }

    #[inline]
    pub(crate) fn add_ref(&mut self, corr: u32, n: u32) {
        if corr != NONE {
            self.corrs[corr as usize].refs += n;
        }
    }

    /// Drop one reference; when none is left, the item is complete.
    #[inline]
    pub(crate) fn unref(&mut self, corr: u32) {
        if corr == NONE {
            return;
        }
        let c = &mut self.corrs[corr as usize];
        c.refs -= 1;
        if c.refs == 0 {
            let (source, start, failed, id) = (c.source, c.start, c.failed, c.id);
            let s = &mut self.stats.sources[source as usize];
            if failed {
                s.failed += 1;
            } else {
                s.completed += 1;
                s.end_to_end.record(self.now - start);
            }
            self.record(
                TraceKind::ItemCompleted,
                Where::Source,
                source,
                id,
                0,
                NONE,
                u32::from(failed),
            );
            self.free_corrs.push(corr);
        }
    }

    pub(crate) fn mark_failed(&mut self, corr: u32) {
        if corr != NONE {
            self.corrs[corr as usize].failed = true;
        }
    }

    pub(crate) fn corr_id(&self, corr: u32) -> u64 {
        if corr == NONE {
            0
        } else {
            self.corrs[corr as usize].id
        }
    }

    // ---- messages -------------------------------------------------------------------

    pub(crate) fn alloc_msg(&mut self, m: Msg) -> u32 {
        if let Some(i) = self.free_msgs.pop() {
            // Keep the slot's token counting up so stale timers never match.
            let token = self.msgs[i as usize].token;
            self.msgs[i as usize] = Msg { token, ..m };
            self.live[i as usize] = true;
            i
        } else {
            self.msgs.push(m);
            self.live.push(true);
            (self.msgs.len() - 1) as u32
        }
    }

    pub(crate) fn free_msg(&mut self, i: u32) {
        self.live[i as usize] = false;
        self.msgs[i as usize].token = self.msgs[i as usize].token.wrapping_add(1);
        self.free_msgs.push(i);
    }

    pub(crate) fn new_event_id(&mut self) -> u64 {
        let id = self.next_event_id;
        self.next_event_id += 1;
        id
    }

    /// Carry out one action on behalf of an item.
    pub(crate) fn perform(&mut self, act: &Act, corr: u32, key: u64, origin: Origin, flags: u8) {
        match *act {
            Act::Publish { ty, topic } => self.publish(topic, ty, corr, key, flags & FLAG_POISON),
            Act::Send { ty, service } => {
                let event_id = self.new_event_id();
                self.send_request(
                    service,
                    ty,
                    MsgKind::Command,
                    corr,
                    key,
                    Origin::None,
                    event_id,
                    0,
                );
            }
            Act::Reply { ty } => self.reply(origin, ty, corr, key),
            Act::Append { ty, store } => self.store_append(store, ty, corr, key),
        }
    }

    /// Send a command, reply or query to a service's queue.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send_request(
        &mut self,
        service: u32,
        ty: TypeId,
        kind: MsgKind,
        corr: u32,
        key: u64,
        origin: Origin,
        event_id: u64,
        flags: u8,
    ) -> Option<u32> {
        let target = match kind {
            MsgKind::Reply => Target::SagaReply,
            _ => self.plan.services[service as usize]
                .request_table
                .get(ty as usize)
                .copied()
                .unwrap_or(Target::Ignore),
        };
        self.stats.messages.produced += 1;
        self.add_ref(corr, 1);
        let m = Msg {
            event_id,
            ty,
            kind,
            corr,
            corr_id: self.corr_id(corr),
            key,
            created: self.now,
            enqueued: self.now,
            started: self.now,
            attempt: 1,
            flags,
            origin,
            service,
            target,
            from: None,
            will_fail: false,
            outcome: NONE,
            own_nanos: 0,
            token: 0,
            waiting_callback: false,
        };
        let msg = self.alloc_msg(m);
        if self.enqueue(service, msg, true) {
            Some(msg)
        } else {
            None
        }
    }

    fn reply(&mut self, origin: Origin, ty: TypeId, corr: u32, key: u64) {
        if let Origin::Saga { inst, .. } = origin {
            let orchestrator =
                self.plan.sagas[self.sagas[inst as usize].saga as usize].orchestrator;
            let event_id = self.new_event_id();
            self.send_request(
                orchestrator,
                ty,
                MsgKind::Reply,
                corr,
                key,
                origin,
                event_id,
                0,
            );
        }
        // Replies to a source or to an event consumer have no one waiting: not sent.
    }

    /// Final fate of a delivery.
    pub(crate) fn consumed(&mut self, msg: u32) {
        self.stats.messages.consumed += 1;
        let corr = self.msgs[msg as usize].corr;
        self.free_msg(msg);
        self.unref(corr);
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn record(
        &mut self,
        kind: TraceKind,
        at: Where,
        element: u32,
        correlation: u64,
        message: u64,
        message_type: u32,
        detail: u32,
    ) {
        self.trace.push(Record {
            time: self.now,
            kind,
            at,
            element,
            correlation,
            message,
            message_type,
            detail,
        });
    }

    pub(crate) fn record_msg(
        &mut self,
        kind: TraceKind,
        at: Where,
        element: u32,
        msg: u32,
        detail: u32,
    ) {
        let m = &self.msgs[msg as usize];
        let (correlation, event_id, ty) = (m.corr_id, m.event_id, m.ty);
        self.record(kind, at, element, correlation, event_id, ty, detail);
    }

    /// Count everything still in flight at the end: live messages, unread log entries
    /// per group, and appends held back by faults.
    fn count_in_flight(&mut self) {
        let mut in_flight = self.live.iter().filter(|l| **l).count() as u64;
        let mut expired = 0;
        for (gi, g) in self.plan.groups.iter().enumerate() {
            let retention = self.plan.topics[g.topic as usize].retention_nanos;
            let archive = self.plan.topics[g.topic as usize].archive;
            for (p, part) in self.partitions[g.topic as usize].iter().enumerate() {
                let rt = &self.groups[gi];
                // A partition whose message is out has it counted as a live message.
                let from = rt.offsets[p] + u64::from(rt.busy[p]);
                for off in from..part.end() {
                    match (part.get(off), retention) {
                        (Some(e), Some(r))
                            if !archive && self.end.saturating_sub(e.appended) > r =>
                        {
                            expired += 1
                        }
                        _ => in_flight += 1,
                    }
                }
            }
        }
        for (t, parts) in self.partitions.iter().enumerate() {
            let groups = self.plan.topics[t].groups.len() as u64;
            for p in parts {
                in_flight += groups * (p.held.is_some() as u64 + p.outage_buffer.len() as u64);
            }
        }
        for (t, _, _) in self.pending.iter().flatten() {
            in_flight += self.plan.topics[*t as usize].groups.len() as u64;
        }
        self.stats.messages.in_flight = in_flight;
        self.stats.messages.expired += expired;
    }

    fn sample(&mut self) {
        let now = self.now;
        for g in &mut self.stats.groups {
            let per: Vec<u64> = g.partition_lag.iter().map(|l| l.now).collect();
            g.samples.push((now, g.lag.now, per));
        }
        for s in &mut self.stats.services {
            s.samples.push((now, s.queue.now));
        }
        let step = (self.end / LAG_SAMPLES).max(1_000_000);
        let next = now + step;
        if next <= self.end {
            self.queue.push(next, Ev::Sample);
        }
    }
}

// The heap entry is (time, sequence, event): keep events small.
const _: () = assert!(std::mem::size_of::<Ev>() <= 20);
