//! Breakpoints: what a run can stop at, and how [`Playback::run_until`] tells whether
//! the event it just processed hit one.

use std::ops::Range;

use super::Playback;
use crate::sim::time::SimTime;
use crate::sim::trace::{Record, TraceKind, Where};

/// Something to stop a run at.
#[derive(Clone, Debug, PartialEq)]
pub enum Breakpoint {
    /// A saga starts compensating a step (a `CompensationStarted` record).
    CompensationStarted,
    /// A message is given up after its last attempt (a `DeadLettered` record, whether
    /// or not it went to a dead-letter topic).
    DeadLettered,
    /// A service's queue longer than `above` (service index in the model's `services`).
    QueueAbove {
        /// Index of the service in the model's `services`.
        service: usize,
        /// Messages waiting in the queue; hit when the queue grows beyond this.
        above: u64,
    },
    /// A consumer group's total lag above `above` (group index as in `Stats`/`Plan` groups).
    LagAbove {
        /// Index of the group in `Plan::groups` (and `Stats::groups`).
        group: usize,
        /// Messages not yet consumed, summed over partitions; hit when the lag grows
        /// beyond this.
        above: u64,
    },
    /// An effect is left orphaned: a step of an aborted saga succeeded with no
    /// compensation after it, or an item ended without a choreographed compensation a
    /// failure made due (an `OrphanedEffect` record).
    OrphanedEffect,
    /// Any of the model's assertions that can be judged during the run (queue, lag,
    /// utilisation bounds; dead letters; …) is violated at this point.
    AssertionFailed,
}

impl Playback {
    /// Is a level breakpoint's condition true now? (False for event breakpoints.)
    fn level(&self, b: &Breakpoint) -> bool {
        let stats = self.sim.stats();
        match b {
            Breakpoint::CompensationStarted
            | Breakpoint::DeadLettered
            | Breakpoint::OrphanedEffect
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
    pub(super) fn levels(&self, b: &Breakpoint) -> Vec<bool> {
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
    pub(super) fn check(
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
            Breakpoint::OrphanedEffect => find(TraceKind::OrphanedEffect).map(|i| (Some(i), at(i))),
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
                        plan.topics[g.topic].name,
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

/// A simulated instant in seconds, to the nanosecond: "1.250000s".
fn secs(t: SimTime) -> String {
    format!("{:.6}s", t.as_secs_f64())
}
