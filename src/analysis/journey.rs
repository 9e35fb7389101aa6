//! One item's journey through the model, read from the causes its records name
//! (`Record::cause`): the work each service did, from a `Started` record to the
//! `Completed` or `Failed` record it caused, and the hand-offs between elements (a
//! record caused by a record at another element). Nothing is paired by time or by
//! searching: an attempt lost to a crash has a start and no end, and two attempts of
//! the same message on the same service are two pieces of work. Each piece of work
//! also says, from the same causes, when its message began to wait for it (queued, or
//! failed and backing off), what followed a failure (a retry, the dead-letter topic),
//! which saga record sent it, and which compensation undid it. The app's trace view
//! draws this as its waterfall.

use std::collections::HashMap;

use crate::sim::{Record, TraceKind, Where};

/// An element an item passed through: one lane of the waterfall.
pub type Lane = (Where, u32);

/// What an item went through, as indices into its records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journey {
    /// The elements in the order the item first reached them.
    pub lanes: Vec<Lane>,
    /// The lane of each record (same order as the records).
    pub lane_of: Vec<usize>,
    /// Each piece of work a service did, in the order it started.
    pub work: Vec<Work>,
    /// Each hand-off from one element to another, in the order it arrived.
    pub handoffs: Vec<Handoff>,
    /// The deliveries to a service that nothing has come of yet on it (no start, no
    /// skip): messages still in the queue, or lost with it to a crash.
    pub waiting: Vec<usize>,
}

/// A service working on one attempt of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    /// The `Started` record.
    pub start: usize,
    /// The `Completed` or `Failed` record it caused; `None` when the attempt was lost
    /// (a crash writes no record) or is still running.
    pub end: Option<usize>,
    /// The record the wait for this start began at: the message's `Delivered` (it
    /// waited in the service's queue) or the `Retried` of the attempt before (it backed
    /// off, then queued). `None` when the start's cause is neither (a restart after a
    /// crash lost the attempt before) or is not among the records.
    pub waited_from: Option<usize>,
    /// What the end caused on the same service when it failed: `Retried` (another
    /// attempt follows) or `DeadLettered` (given up).
    pub followed_by: Option<usize>,
    /// The saga record that sent the message (`StepStarted`, or `CompensationStarted`
    /// for the command that undoes a step), found by going back through the causes on
    /// the service to the first record elsewhere.
    pub sent_by: Option<usize>,
    /// The `CompensationStarted` that later undid the step this work did (same saga,
    /// same step), when the item's saga compensated.
    pub undone_by: Option<usize>,
}

/// What came of a piece of work, in the words of the trace view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No end: still running, or lost to a crash.
    Open,
    /// Handled successfully.
    Completed,
    /// The attempt failed and another one follows.
    Retried,
    /// The last attempt failed and the message went to the dead-letter topic (or was
    /// lost when there is none).
    DeadLettered,
    /// The attempt failed (nothing recorded after it).
    Failed,
}

impl Outcome {
    /// In words, e.g. "failed, retried".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Open => "no end yet (still running, or lost to a crash)",
            Outcome::Completed => "completed",
            Outcome::Retried => "failed, retried",
            Outcome::DeadLettered => "failed, dead-lettered",
            Outcome::Failed => "failed",
        }
    }
}

impl Work {
    /// What came of it, from its end and what the end caused.
    pub fn outcome(&self, records: &[&Record]) -> Outcome {
        let Some(end) = self.end else {
            return Outcome::Open;
        };
        if records[end].kind == TraceKind::Completed {
            return Outcome::Completed;
        }
        match self.followed_by.map(|f| records[f].kind) {
            Some(TraceKind::Retried) => Outcome::Retried,
            Some(TraceKind::DeadLettered) => Outcome::DeadLettered,
            _ => Outcome::Failed,
        }
    }

    /// Whether the work is a compensation: its message undoes a saga step.
    pub fn is_compensation(&self, records: &[&Record]) -> bool {
        self.sent_by
            .is_some_and(|s| records[s].kind == TraceKind::CompensationStarted)
    }
}

/// A record at one element caused by a record at another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handoff {
    /// The causing record.
    pub from: usize,
    /// The record it caused.
    pub to: usize,
}

/// The journey of one item, from its records in trace order (`records` may be any
/// subset of a trace: causes outside it are roots here).
pub fn journey(records: &[&Record]) -> Journey {
    let index: HashMap<u64, usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.id != 0)
        .map(|(i, r)| (r.id, i))
        .collect();
    let mut j = Journey::default();
    let mut open: HashMap<usize, usize> = HashMap::new();
    let mut ended: HashMap<usize, usize> = HashMap::new();
    // Whether a record caused another on its own lane.
    let mut followed = vec![false; records.len()];
    for (i, r) in records.iter().enumerate() {
        let lane = (r.at, r.element);
        let lane = j.lanes.iter().position(|l| *l == lane).unwrap_or_else(|| {
            j.lanes.push(lane);
            j.lanes.len() - 1
        });
        j.lane_of.push(lane);
        if r.kind == TraceKind::Started {
            open.insert(i, j.work.len());
            let cause = index.get(&r.cause).copied().filter(|&c| c < i);
            let waited_from = cause.filter(|&c| {
                j.lane_of[c] == lane
                    && matches!(records[c].kind, TraceKind::Delivered | TraceKind::Retried)
            });
            let sent_by = sender(records, &index, &j.lane_of, i);
            j.work.push(Work {
                start: i,
                end: None,
                waited_from,
                followed_by: None,
                sent_by,
                undone_by: None,
            });
        }
        let Some(cause) = index.get(&r.cause).copied().filter(|&c| c < i) else {
            continue;
        };
        if matches!(r.kind, TraceKind::Completed | TraceKind::Failed)
            && let Some(w) = open.remove(&cause)
        {
            j.work[w].end = Some(i);
            ended.insert(i, w);
        }
        if matches!(r.kind, TraceKind::Retried | TraceKind::DeadLettered)
            && let Some(&w) = ended.get(&cause)
        {
            j.work[w].followed_by = Some(i);
        }
        if r.kind == TraceKind::CompensationStarted {
            // Every earlier piece of work sent for this step of this saga is undone.
            for w in &mut j.work {
                if let Some(s) = w.sent_by
                    && records[s].kind == TraceKind::StepStarted
                    && j.lane_of[s] == lane
                    && records[s].detail == r.detail
                    && w.undone_by.is_none()
                {
                    w.undone_by = Some(i);
                }
            }
        }
        if j.lane_of[cause] != lane {
            j.handoffs.push(Handoff { from: cause, to: i });
        } else {
            followed[cause] = true;
        }
    }
    j.waiting = (0..records.len())
        .filter(|&i| {
            records[i].kind == TraceKind::Delivered
                && records[i].at == Where::Service
                && !followed[i]
        })
        .collect();
    j
}

/// The saga record (`StepStarted` or `CompensationStarted`) that sent the message the
/// record `i` is about: back through its causes while they are on its lane, then the
/// first one elsewhere, if it is one of those.
fn sender(
    records: &[&Record],
    index: &HashMap<u64, usize>,
    lane_of: &[usize],
    i: usize,
) -> Option<usize> {
    let mut at = i;
    // Causes always come earlier, so this ends; the bound guards a broken trace.
    for _ in 0..records.len() {
        let cause = index.get(&records[at].cause).copied().filter(|&c| c < at)?;
        if lane_of[cause] != lane_of[i] {
            return matches!(
                records[cause].kind,
                TraceKind::StepStarted | TraceKind::CompensationStarted
            )
            .then_some(cause);
        }
        at = cause;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimTime;

    fn rec(id: u64, cause: u64, kind: TraceKind, at: Where, element: u32) -> Record {
        Record {
            id,
            cause,
            kind,
            at,
            element,
            time: SimTime::from_nanos(id),
            ..Record::BLANK
        }
    }

    #[test]
    fn work_ends_where_its_start_caused_it_and_a_lost_attempt_stays_open() {
        use TraceKind::*;
        let records = [
            rec(1, 0, Published, Where::Topic, 0),
            rec(2, 1, Delivered, Where::Service, 3),
            rec(3, 2, Started, Where::Service, 3),
            // A second attempt after a crash lost the first: no end for id 3.
            rec(4, 2, Started, Where::Service, 3),
            rec(5, 4, Failed, Where::Service, 3),
            rec(6, 5, Started, Where::Service, 3),
            rec(7, 6, Completed, Where::Service, 3),
            rec(8, 7, Published, Where::Topic, 1),
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let j = journey(&refs);
        assert_eq!(
            j.lanes,
            vec![(Where::Topic, 0), (Where::Service, 3), (Where::Topic, 1)]
        );
        let ends: Vec<_> = j.work.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(ends, vec![(2, None), (3, Some(4)), (5, Some(6))]);
        // The first two attempts waited in the queue from the delivery; the third's
        // cause is the failure itself (no Retried record here), so no wait is known.
        let waits: Vec<_> = j.work.iter().map(|w| w.waited_from).collect();
        assert_eq!(waits, vec![Some(1), Some(1), None]);
        let outcomes: Vec<_> = j.work.iter().map(|w| w.outcome(&refs)).collect();
        assert_eq!(
            outcomes,
            vec![Outcome::Open, Outcome::Failed, Outcome::Completed]
        );
        assert_eq!(
            j.handoffs,
            vec![Handoff { from: 0, to: 1 }, Handoff { from: 6, to: 7 }]
        );
    }

    #[test]
    fn a_failure_says_what_followed_and_a_saga_step_knows_its_compensation() {
        use TraceKind::*;
        let (saga, svc, inv) = ((Where::Saga, 0), (Where::Service, 1), (Where::Service, 2));
        let r = |id, cause, kind, (at, el): (Where, u32), detail| Record {
            detail,
            ..rec(id, cause, kind, at, el)
        };
        let records = [
            r(1, 0, StepStarted, saga, 0),
            r(2, 1, Delivered, inv, 0),
            r(3, 2, Started, inv, 1),
            r(4, 3, Completed, inv, 0),
            r(5, 4, StepSucceeded, saga, 0),
            r(6, 5, StepStarted, saga, 1),
            r(7, 6, Delivered, svc, 0),
            r(8, 7, Started, svc, 1),
            r(9, 8, Failed, svc, 1),
            r(10, 9, Retried, svc, 2),
            r(11, 10, Started, svc, 2),
            r(12, 11, Failed, svc, 2),
            r(13, 12, DeadLettered, svc, 0),
            r(14, 13, StepFailed, saga, 1),
            r(15, 14, CompensationStarted, saga, 0),
            r(16, 15, Delivered, inv, 0),
            r(17, 16, Started, inv, 1),
            r(18, 17, Completed, inv, 0),
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let j = journey(&refs);
        let w = &j.work;
        assert_eq!(w.len(), 4);
        // Reserve: queued from its delivery, sent by step 0, undone by the compensation.
        assert_eq!(
            (w[0].waited_from, w[0].sent_by, w[0].undone_by),
            (Some(1), Some(0), Some(14))
        );
        assert_eq!(w[0].outcome(&refs), Outcome::Completed);
        // Charge: failed and retried; the retry waited from the Retried record, was
        // sent by step 1 (back through the service's own records), and dead-lettered.
        assert_eq!(w[1].outcome(&refs), Outcome::Retried);
        assert_eq!(w[1].followed_by, Some(9));
        assert_eq!((w[2].waited_from, w[2].sent_by), (Some(9), Some(5)));
        assert_eq!(w[2].outcome(&refs), Outcome::DeadLettered);
        assert_eq!(w[1].undone_by, None, "step 1 failed: nothing to undo");
        // The compensating command's work.
        assert!(w[3].is_compensation(&refs) && !w[0].is_compensation(&refs));
        assert_eq!(w[3].waited_from, Some(15));
        assert!(j.waiting.is_empty(), "every delivery was taken");
        // Cut before the compensation's start: its delivery is still waiting.
        let j = journey(&refs[..16]);
        assert_eq!(j.waiting, vec![15]);
    }

    #[test]
    fn a_compensated_item_of_the_saga_example_has_waits_senders_and_an_undone_step() {
        let model = crate::examples::DEFAULT.model().unwrap();
        let options = crate::sim::RunOptions {
            duration_nanos: Some(30_000_000_000),
            ..Default::default()
        };
        let mut sim = crate::sim::Simulation::new(&model, options).unwrap();
        sim.run();
        let all: Vec<&Record> = sim.trace().records().collect();
        let corr = all
            .iter()
            .find(|r| r.kind == TraceKind::CompensationStarted)
            .expect("the example compensates")
            .correlation;
        let mine: Vec<&Record> = all.into_iter().filter(|r| r.correlation == corr).collect();
        let j = journey(&mine);
        // Every start of a message delivered to a service waited from that delivery
        // or from a retry, never from a later record.
        for w in &j.work {
            if let Some(f) = w.waited_from {
                assert!(f < w.start && mine[f].time <= mine[w.start].time);
                assert_eq!(j.lane_of[f], j.lane_of[w.start]);
            }
        }
        assert!(j.work.iter().all(|w| w.waited_from.is_some()));
        assert!(j.work.iter().any(|w| w.is_compensation(&mine)));
        assert!(j.work.iter().any(|w| w.undone_by.is_some()));
    }
}
