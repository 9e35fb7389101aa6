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

mod breakpoints;
mod checkpoints;

use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use breakpoints::Breakpoint;
use checkpoints::Checkpoint;
pub use checkpoints::{CHECKPOINT_EVERY, MAX_CHECKPOINT_BYTES, MAX_CHECKPOINTS};

use super::engine::{RunOptions, Simulation};
use super::plan::PlanError;
use super::time::SimTime;
use super::trace::Record;
use super::verdict::Judge;
use crate::model::Model;

/// Why [`Playback::run_until`] stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum RunOutcome {
    /// Every event up to `t` was processed and the clock now stands at `t`, before the
    /// end of the run.
    ReachedTime,
    /// The event budget ran out before `t`.
    Budget,
    /// Stopped right after the event that hit it; `record` indexes `records()` where applicable.
    Hit {
        /// The breakpoint that hit (the first of those given, when several did).
        breakpoint: Breakpoint,
        /// Index in `records()` of the record that shows the hit; `None` for an
        /// assertion, or a level with no record of its own in that event.
        record: Option<usize>,
        /// What happened, in words, with the simulated time in seconds:
        /// `queue of "billing" is 11 (above 10) at 1.250000s`.
        why: String,
    },
    /// The run reached its end: no event is left before it.
    Finished,
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
            checkpoints: vec![Checkpoint::start(&sim)],
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
            lock_staging(&staging).push(*r);
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

    /// The seed of the run's generator (the model's unless `new` or `reset` gave another).
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
        self.checkpoints = vec![Checkpoint::start(&sim)];
        self.sim = sim;
        self.attach_sink();
        lock_staging(&self.staging).clear();
        self.records.clear();
        self.len = 0;
        self.frontier = 0;
        self.every = self.base_every;
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
        let mut staged = lock_staging(&self.staging);
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
}

/// The records staged by the trace sink. A poisoned lock (a panic while it was held)
/// is taken over as it is: the buffer is a plain list of whole records, so what it
/// holds is still sound.
fn lock_staging(staging: &Mutex<Vec<Record>>) -> MutexGuard<'_, Vec<Record>> {
    staging.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
