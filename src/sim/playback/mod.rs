//! Interactive stepping over a run: forwards one event, back one event (exactly), to
//! any simulated time or event count, and from the start again — for the app's
//! Play / Step / Back / Scrub controls.
//!
//! A [`Playback`] owns one [`Simulation`] whose trace streams every record into the
//! playback's record log. Going back is restoring a checkpoint (a clone of the whole
//! simulation, generator included) and replaying forwards to the wanted event: exact,
//! because the engine is deterministic. Checkpoints are taken every `every` events the
//! first time the run gets there; when there are more than [`MAX_CHECKPOINTS`], every
//! other one is dropped and the interval doubles, so memory stays bounded on long runs
//! and the replay after a restore stays at most one interval long.
//!
//! The record log keeps every record of the furthest point reached, and `records()` is
//! its prefix up to the current event: replaying over known ground reproduces the same
//! records (checked in debug builds), and a seek forwards over known ground can restore
//! a later checkpoint instead of replaying.
//!
//! Between events the clock can stand later than the last event (after a seek or a
//! run to a time with no event there). Such clock positions are remembered along the
//! way, so stepping back onto one restores that clock too.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::engine::{RunOptions, Simulation};
use super::plan::PlanError;
use super::time::SimTime;
use super::trace::{Record, TraceKind, Where};
use super::verdict::Judge;
use crate::model::Model;

/// Events between checkpoints at first.
pub const CHECKPOINT_EVERY: u64 = 20_000;
/// Most checkpoints kept; beyond that every other one goes and the interval doubles.
pub const MAX_CHECKPOINTS: usize = 64;
/// Most memory (estimated) the checkpoints may take together; thinned out likewise.
pub const MAX_CHECKPOINT_BYTES: usize = 256 << 20;

/// Something to stop a run at.
#[derive(Clone, Debug, PartialEq)]
pub enum Breakpoint {
    CompensationStarted,
    DeadLettered,
    /// A service's queue longer than `above` (service index in the model's `services`).
    QueueAbove {
        service: usize,
        above: u64,
    },
    /// A consumer group's total lag above `above` (group index as in `Stats`/`Plan` groups).
    LagAbove {
        group: usize,
        above: u64,
    },
    /// Any of the model's assertions that can be judged during the run (queue, lag,
    /// utilisation bounds; dead letters; …) is violated at this point.
    AssertionFailed,
}

/// Why [`Playback::run_until`] stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum RunOutcome {
    ReachedTime,
    /// The event budget ran out before `t`.
    Budget,
    /// Stopped right after the event that hit it; `record` indexes `records()` where applicable.
    Hit {
        breakpoint: Breakpoint,
        record: Option<usize>,
        why: String,
    },
    Finished,
}

/// A saved state: the whole simulation after `steps` events, and how many records
/// they had produced.
struct Checkpoint {
    steps: u64,
    records: usize,
    sim: Simulation,
    /// Estimated heap memory of `sim`.
    bytes: usize,
}

/// Heap memory of a simulation's state, estimated from its largest parts (the
/// retained topic logs, messages, dedup memory, histograms), for the checkpoint budget.
fn approx_bytes(sim: &Simulation) -> usize {
    use std::mem::size_of;
    const HISTOGRAM: usize = 46_000;
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
    let histograms = stats.services.len()
        + stats.sources.len()
        + stats
            .sagas
            .iter()
            .map(|s| 1 + s.step_time.len())
            .sum::<usize>();
    let samples: usize = stats
        .services
        .iter()
        .map(|s| s.samples.len() * 16)
        .sum::<usize>()
        + stats
            .groups
            .iter()
            .map(|g| g.samples.len() * (40 + 8 * g.partition_lag.len()))
            .sum::<usize>();
    size_of::<Simulation>()
        + entries * size_of::<super::engine::LogEntry>()
        + queued * 4
        + sim.queue.len() * 40
        + sim.msgs.len() * (size_of::<super::engine::Msg>() + 1)
        + sim.corrs.len() * size_of::<super::engine::Corr>()
        + (sim.free_msgs.len() + sim.free_corrs.len() + sim.free_sagas.len()) * 4
        + sim.sagas.len() * size_of::<super::engine::SagaInst>()
        + sim.seen.capacity() * 25
        + sim.pending.len() * 64
        + store_keys
        + histograms * HISTOGRAM
        + samples
}

/// A run that can be stepped forwards one event, stepped back exactly, scrubbed to any
/// time and reset, keeping every trace record so far (for the event log) —
/// deterministic: same model + seed ⇒ same everything.
pub struct Playback {
    sim: Simulation,
    /// Records of the furthest point reached; `records()` is the first `len`.
    records: Vec<Record>,
    len: usize,
    /// Events of the furthest point reached (the end of `records`).
    frontier: u64,
    /// Where the trace sink puts records until they are moved into `records`.
    staging: Arc<Mutex<Vec<Record>>>,
    /// Sorted by steps; the first is the start of the run.
    checkpoints: Vec<Checkpoint>,
    every: u64,
    /// `every` before any thinning.
    base_every: u64,
    max_checkpoints: usize,
    max_bytes: usize,
    /// (events, time): the clock stood at `time` after that many events, later than
    /// the last of them. Only for event counts up to the current one.
    clock_marks: Vec<(u64, SimTime)>,
    /// (assertion in words, judge) for every assertion judged during the run.
    judges: Vec<(String, Judge)>,
}

impl std::fmt::Debug for Playback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playback")
            .field("steps", &self.steps())
            .field("time", &self.time())
            .field("records", &self.len)
            .field("checkpoints", &self.checkpoints.len())
            .field("every", &self.every)
            .finish_non_exhaustive()
    }
}

impl Playback {
    /// Fails like `Simulation::new` (an invalid model).
    pub fn new(model: &Model, seed: Option<u64>) -> Result<Self, PlanError> {
        Self::with_checkpoints(model, seed, CHECKPOINT_EVERY, MAX_CHECKPOINTS)
    }

    /// With another checkpoint policy: one every `every` events at first, at most
    /// `max_checkpoints` (at least 2) of them.
    pub fn with_checkpoints(
        model: &Model,
        seed: Option<u64>,
        every: u64,
        max_checkpoints: usize,
    ) -> Result<Self, PlanError> {
        let sim = Simulation::new(
            model,
            RunOptions {
                seed,
                duration_nanos: None,
                trace_capacity: 0,
            },
        )?;
        let judges = model
            .assertions
            .iter()
            .map(|a| (a.describe(), Judge::new(a, sim.plan())))
            .filter(|(_, j)| j.judged_during_run())
            .collect();
        let mut playback = Playback {
            checkpoints: vec![Checkpoint {
                steps: 0,
                records: 0,
                bytes: approx_bytes(&sim),
                sim: sim.clone(),
            }],
            sim,
            records: Vec::new(),
            len: 0,
            frontier: 0,
            staging: Arc::default(),
            every: every.max(1),
            base_every: every.max(1),
            max_checkpoints: max_checkpoints.max(2),
            max_bytes: MAX_CHECKPOINT_BYTES,
            clock_marks: Vec::new(),
            judges,
        };
        playback.attach_sink();
        Ok(playback)
    }

    fn attach_sink(&mut self) {
        let staging = Arc::clone(&self.staging);
        self.sim.trace_mut().set_sink(Box::new(move |r: &Record| {
            staging.lock().expect("the record staging buffer").push(*r)
        }));
    }

    /// Current state (stats, time, plan…). To report on it as if the run ended here,
    /// finish a clone: `Report::new(&model, &mut playback.sim().clone())`.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// Every record so far, in order.
    pub fn records(&self) -> &[Record] {
        &self.records[..self.len]
    }

    /// Events processed so far.
    pub fn steps(&self) -> u64 {
        self.sim.stats().events
    }

    /// Simulated time now.
    pub fn time(&self) -> SimTime {
        self.sim.time()
    }

    /// End of the run.
    pub fn end(&self) -> SimTime {
        self.sim.end()
    }

    pub fn seed(&self) -> u64 {
        self.sim.seed()
    }

    /// Nothing left before the end.
    pub fn is_done(&self) -> bool {
        self.next_time().is_none()
    }

    /// Time of the next event, if there is one before the end.
    pub fn next_time(&self) -> Option<SimTime> {
        self.sim.queue.peek_time().filter(|&t| t <= self.sim.end())
    }

    /// Checkpoints kept now, the current interval between them, and their estimated
    /// memory in bytes (for diagnostics).
    pub fn checkpoint_policy(&self) -> (usize, u64, usize) {
        (
            self.checkpoints.len(),
            self.every,
            self.checkpoints.iter().map(|c| c.bytes).sum(),
        )
    }

    /// Process one event; returns the records it produced (a slice of `records()`), or
    /// None at the end.
    pub fn step(&mut self) -> Option<Range<usize>> {
        self.advance()
    }

    /// Undo the last event exactly (state identical to before it, including the rng and
    /// the records). False at the start.
    pub fn step_back(&mut self) -> bool {
        let steps = self.steps();
        if steps == 0 {
            return false;
        }
        let target = steps - 1;
        self.restore(self.checkpoint_at_steps(target));
        self.advance_to_steps(target);
        self.clock_marks.retain(|m| m.0 <= target);
        if let Some(&(s, t)) = self.clock_marks.last()
            && s == target
        {
            self.sim.now = t;
        }
        true
    }

    /// Run forwards until simulated time `t` (inclusive), at most `budget` events (so
    /// the UI stays responsive), stopping at the first breakpoint hit.
    ///
    /// Event breakpoints (compensation started, dead-lettered) hit on the event that
    /// records one; level breakpoints (queue, lag, assertions) hit on the event that
    /// makes them true when they were false before it, so running on after a hit does
    /// not stop again on every event while the level stays up. When several hit on the
    /// same event, the first in `breakpoints` is reported.
    pub fn run_until(
        &mut self,
        t: SimTime,
        budget: usize,
        breakpoints: &[Breakpoint],
    ) -> RunOutcome {
        let target = t.min(self.end());
        let mut levels: Vec<Vec<bool>> = breakpoints.iter().map(|b| self.levels(b)).collect();
        let mut done = 0;
        loop {
            match self.next_time() {
                Some(next) if next <= target => {}
                Some(_) => {
                    self.set_clock(target);
                    return RunOutcome::ReachedTime;
                }
                None => {
                    self.set_clock(target);
                    return if t >= self.end() {
                        RunOutcome::Finished
                    } else {
                        RunOutcome::ReachedTime
                    };
                }
            }
            if done >= budget {
                return RunOutcome::Budget;
            }
            let Some(range) = self.advance() else {
                continue;
            };
            done += 1;
            let mut hit = None;
            for (i, b) in breakpoints.iter().enumerate() {
                let found = self.check(b, &range, &mut levels[i]);
                if hit.is_none() {
                    hit = found.map(|(record, why)| RunOutcome::Hit {
                        breakpoint: b.clone(),
                        record,
                        why,
                    });
                }
            }
            if let Some(hit) = hit {
                return hit;
            }
        }
    }

    /// Move to the state at simulated time `t` (forwards or backwards; backwards
    /// restores from a checkpoint and replays). Ignores breakpoints.
    pub fn seek(&mut self, t: SimTime) {
        let t = t.min(self.end());
        if t == self.time() {
            return;
        }
        let steps = self.steps();
        // The latest checkpoint not after `t`: needed to go back, and a shortcut
        // forwards over ground covered before.
        let i = self.checkpoints.partition_point(|c| c.sim.time() <= t) - 1;
        if t < self.time() || self.checkpoints[i].steps > steps {
            self.restore(i);
            self.clock_marks.retain(|m| m.0 < self.checkpoints[i].steps);
        }
        while self.next_time().is_some_and(|next| next <= t) {
            self.advance();
        }
        self.set_clock(t);
    }

    /// Move to the state after exactly `n` events (or the end, if the run has fewer).
    pub fn seek_steps(&mut self, n: u64) {
        let steps = self.steps();
        if n == steps {
            return;
        }
        let i = self.checkpoint_at_steps(n);
        if n < steps || self.checkpoints[i].steps > steps {
            self.restore(i);
            self.clock_marks.retain(|m| m.0 < self.checkpoints[i].steps);
        }
        self.advance_to_steps(n);
    }

    /// Start over (optionally with another seed; `None` keeps the current one).
    pub fn reset(&mut self, seed: Option<u64>) {
        let seed = seed.unwrap_or(self.seed());
        self.clock_marks.clear();
        if seed == self.seed() {
            // Same run: everything recorded and checkpointed so far stays valid.
            self.restore(0);
            return;
        }
        let start = &self.checkpoints[0].sim;
        let sim = Simulation::from_plan(start.plan().clone(), seed, 0);
        self.checkpoints = vec![Checkpoint {
            steps: 0,
            records: 0,
            bytes: approx_bytes(&sim),
            sim: sim.clone(),
        }];
        self.sim = sim;
        self.attach_sink();
        self.staging
            .lock()
            .expect("the record staging buffer")
            .clear();
        self.records.clear();
        self.len = 0;
        self.frontier = 0;
        self.every = self.base_every;
    }

    /// Index of the latest checkpoint at or before `n` events.
    fn checkpoint_at_steps(&self, n: u64) -> usize {
        self.checkpoints.partition_point(|c| c.steps <= n) - 1
    }

    fn restore(&mut self, i: usize) {
        let c = &self.checkpoints[i];
        self.sim = c.sim.clone();
        self.len = c.records;
        self.staging
            .lock()
            .expect("the record staging buffer")
            .clear();
        self.attach_sink();
    }

    fn advance_to_steps(&mut self, n: u64) {
        while self.steps() < n && self.advance().is_some() {}
    }

    /// Move the clock forwards to `t` without an event, remembering it for step back.
    fn set_clock(&mut self, t: SimTime) {
        if t <= self.sim.now {
            return;
        }
        self.sim.now = t;
        let steps = self.steps();
        match self.clock_marks.last_mut() {
            Some(m) if m.0 == steps => m.1 = t,
            _ => self.clock_marks.push((steps, t)),
        }
    }

    /// Process one event, move its records into the log and checkpoint when due.
    fn advance(&mut self) -> Option<Range<usize>> {
        self.sim.step()?;
        let steps = self.steps();
        let start = self.len;
        let mut staged = self.staging.lock().expect("the record staging buffer");
        let n = staged.len();
        if steps > self.frontier {
            debug_assert_eq!(start, self.records.len());
            self.records.append(&mut staged);
            self.frontier = steps;
        } else {
            debug_assert_eq!(
                staged.as_slice(),
                &self.records[start..start + n],
                "replay produced other records"
            );
            staged.clear();
        }
        drop(staged);
        self.len = start + n;
        if steps.is_multiple_of(self.every)
            && self.checkpoints.last().is_none_or(|c| c.steps < steps)
        {
            self.checkpoint(steps);
        }
        Some(start..self.len)
    }

    fn checkpoint(&mut self, steps: u64) {
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

    /// Is a level breakpoint's condition true now? (False for event breakpoints.)
    fn level(&self, b: &Breakpoint) -> bool {
        let stats = self.sim.stats();
        match b {
            Breakpoint::CompensationStarted
            | Breakpoint::DeadLettered
            | Breakpoint::AssertionFailed => false,
            Breakpoint::QueueAbove { service, above } => stats
                .services
                .get(*service)
                .is_some_and(|s| s.queue.now > *above),
            Breakpoint::LagAbove { group, above } => {
                stats.groups.get(*group).is_some_and(|g| g.lag.now > *above)
            }
        }
    }

    /// The conditions a breakpoint watches, now: one level, or whether each judged
    /// assertion is violated.
    fn levels(&self, b: &Breakpoint) -> Vec<bool> {
        match b {
            Breakpoint::AssertionFailed => self
                .judges
                .iter()
                .map(|(_, j)| j.violated(&self.sim).is_some())
                .collect(),
            _ => vec![self.level(b)],
        }
    }

    /// Did the event that produced `range` hit `b`? `was` is the level before it, and
    /// is updated. Returns the record to show and why.
    fn check(
        &self,
        b: &Breakpoint,
        range: &Range<usize>,
        was: &mut [bool],
    ) -> Option<(Option<usize>, String)> {
        let records = &self.records[range.clone()];
        let find = |kind: TraceKind| {
            records
                .iter()
                .position(|r| r.kind == kind)
                .map(|i| range.start + i)
        };
        let plan = self.sim.plan();
        let at = |r: usize| {
            let r = &self.records[r];
            format!("{} at {}", self.describe(r), secs(r.time))
        };
        match b {
            Breakpoint::CompensationStarted => {
                find(TraceKind::CompensationStarted).map(|i| (Some(i), at(i)))
            }
            Breakpoint::DeadLettered => find(TraceKind::DeadLettered).map(|i| (Some(i), at(i))),
            Breakpoint::QueueAbove { service, above } => {
                let before = std::mem::replace(&mut was[0], self.level(b));
                if before || !was[0] {
                    return None;
                }
                let record = records
                    .iter()
                    .rposition(|r| {
                        r.at == Where::Service
                            && r.element as usize == *service
                            && r.kind == TraceKind::Delivered
                    })
                    .map(|i| range.start + i);
                let s = &self.sim.stats().services[*service];
                Some((
                    record,
                    format!(
                        "queue of \"{}\" is {} (above {above}) at {}",
                        plan.services[*service].name,
                        s.queue.now,
                        secs(self.time())
                    ),
                ))
            }
            Breakpoint::LagAbove { group, above } => {
                let before = std::mem::replace(&mut was[0], self.level(b));
                if before || !was[0] {
                    return None;
                }
                let g = &plan.groups[*group];
                let record = records
                    .iter()
                    .rposition(|r| {
                        r.at == Where::Topic
                            && r.element == g.topic.0
                            && r.kind == TraceKind::Published
                    })
                    .map(|i| range.start + i);
                Some((
                    record,
                    format!(
                        "lag of group \"{}\" on \"{}\" is {} (above {above}) at {}",
                        g.name,
                        plan.topics[g.topic.index()].name,
                        self.sim.stats().groups[*group].lag.now,
                        secs(self.time())
                    ),
                ))
            }
            Breakpoint::AssertionFailed => {
                // Every judged measure only grows, so an assertion fails once: look
                // only at those that held before this event.
                let mut first = None;
                for (j, (what, judge)) in self.judges.iter().enumerate() {
                    if was[j] {
                        continue;
                    }
                    if let Some(measured) = judge.violated(&self.sim) {
                        was[j] = true;
                        first.get_or_insert((what, measured));
                    }
                }
                let (what, measured) = first?;
                Some((
                    None,
                    format!(
                        "assertion \"{what}\" fails: {measured} at {}",
                        secs(self.time())
                    ),
                ))
            }
        }
    }

    /// A record in words: "compensation_started at saga \"checkout\"".
    fn describe(&self, r: &Record) -> String {
        let i = r.element;
        let name = self.sim.plan().element_name(r.at, r.element);
        let kind = serde_json::to_value(r.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{:?}", r.kind));
        let at = format!("{:?}", r.at).to_lowercase();
        match name {
            Some(name) => format!("{kind} at {at} \"{name}\""),
            None => format!("{kind} at {at} {i}"),
        }
    }
}

fn secs(t: SimTime) -> String {
    format!("{:.6}s", t.as_secs_f64())
}

#[cfg(test)]
mod tests;
