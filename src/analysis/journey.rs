//! One item's journey through the model, read from the causes its records name
//! (`Record::cause`): the work each service did, from a `Started` record to the
//! `Completed` or `Failed` record it caused, and the hand-offs between elements (a
//! record caused by a record at another element). Nothing is paired by time or by
//! searching: an attempt lost to a crash has a start and no end, and two attempts of
//! the same message on the same service are two pieces of work. The app's trace view
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
}

/// A service working on one attempt of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    /// The `Started` record.
    pub start: usize,
    /// The `Completed` or `Failed` record it caused; `None` when the attempt was lost
    /// (a crash writes no record) or is still running.
    pub end: Option<usize>,
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
    for (i, r) in records.iter().enumerate() {
        let lane = (r.at, r.element);
        let lane = j.lanes.iter().position(|l| *l == lane).unwrap_or_else(|| {
            j.lanes.push(lane);
            j.lanes.len() - 1
        });
        j.lane_of.push(lane);
        if r.kind == TraceKind::Started {
            open.insert(i, j.work.len());
            j.work.push(Work {
                start: i,
                end: None,
            });
        }
        let Some(&cause) = index.get(&r.cause) else {
            continue;
        };
        if matches!(r.kind, TraceKind::Completed | TraceKind::Failed)
            && let Some(w) = open.remove(&cause)
        {
            j.work[w].end = Some(i);
        }
        if j.lane_of[cause] != lane {
            j.handoffs.push(Handoff { from: cause, to: i });
        }
    }
    j
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
        assert_eq!(
            j.work,
            vec![
                Work {
                    start: 2,
                    end: None
                },
                Work {
                    start: 3,
                    end: Some(4)
                },
                Work {
                    start: 5,
                    end: Some(6)
                },
            ]
        );
        assert_eq!(
            j.handoffs,
            vec![Handoff { from: 0, to: 1 }, Handoff { from: 6, to: 7 }]
        );
    }
}
