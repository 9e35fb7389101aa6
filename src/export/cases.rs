//! A run's records grouped by correlation id until the item ends, for exports that
//! write one case at a time while the simulation runs (the XES and OCEL event logs).
//!
//! # When an item ends
//!
//! The engine reference-counts each workload item's outstanding work and records
//! `ItemCompleted` when the last of it finishes (`sim/engine/workload.rs`); the item's
//! slot is freed then, so no record of that correlation id follows. A case is
//! therefore complete at its `ItemCompleted` record. Items still in flight when the
//! run ends have none: [`CaseGrouper::drain`] hands them over at the end, in
//! increasing correlation order.
//!
//! # Memory
//!
//! Only the records of items in flight are held: memory grows with the number of
//! open items and their records, not with the length of the run. Records without a
//! correlation id (faults) are not kept.

use std::collections::HashMap;

use crate::sim::{Record, TraceKind};

/// The records of one workload item, in trace order.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The item's correlation id.
    pub correlation: u64,
    /// Its records, in trace order (increasing `id`), `ItemCompleted` last if it
    /// ended.
    pub records: Vec<Record>,
    /// Did the item end (its `ItemCompleted` is the last record) before the run did?
    pub ended: bool,
}

impl Case {
    /// The position in [`records`](Self::records) of the record with this id.
    pub fn position(&self, id: u64) -> Option<usize> {
        self.records.binary_search_by_key(&id, |r| r.id).ok()
    }
}

/// Collects records per correlation id and hands over each case when its item ends.
#[derive(Debug, Default)]
pub struct CaseGrouper {
    open: HashMap<u64, Vec<Record>>,
    ended: Vec<Case>,
}

impl CaseGrouper {
    /// Take the next record of the run (in trace order).
    pub fn push(&mut self, r: &Record) {
        if r.correlation == 0 {
            return;
        }
        let records = self.open.entry(r.correlation).or_default();
        records.push(*r);
        if r.kind == TraceKind::ItemCompleted {
            let records = self.open.remove(&r.correlation).unwrap_or_default();
            self.ended.push(Case {
                correlation: r.correlation,
                records,
                ended: true,
            });
        }
    }

    /// The cases that ended since the last call, in the order they ended.
    pub fn take_ended(&mut self) -> Vec<Case> {
        std::mem::take(&mut self.ended)
    }

    /// At the end of the run: the cases that ended and not yet taken, then the items
    /// still in flight (by increasing correlation id).
    pub fn drain(&mut self) -> Vec<Case> {
        let mut cases = self.take_ended();
        let mut open: Vec<Case> = self
            .open
            .drain()
            .map(|(correlation, records)| Case {
                correlation,
                records,
                ended: false,
            })
            .collect();
        open.sort_by_key(|c| c.correlation);
        cases.extend(open);
        cases
    }

    /// Items in flight now.
    pub fn open(&self) -> usize {
        self.open.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Where;

    fn rec(id: u64, correlation: u64, kind: TraceKind) -> Record {
        Record {
            id,
            correlation,
            kind,
            at: Where::Service,
            ..Record::BLANK
        }
    }

    #[test]
    fn a_case_is_handed_over_at_its_item_completed_and_the_rest_at_the_end() {
        let mut g = CaseGrouper::default();
        g.push(&rec(1, 2, TraceKind::Published));
        g.push(&rec(2, 1, TraceKind::Published));
        g.push(&rec(3, 0, TraceKind::FaultStarted));
        g.push(&rec(4, 1, TraceKind::ItemCompleted));
        let ended = g.take_ended();
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].correlation, 1);
        assert!(ended[0].ended);
        assert_eq!(ended[0].position(4), Some(1));
        assert!(g.take_ended().is_empty());
        g.push(&rec(5, 3, TraceKind::Published));
        assert_eq!(g.open(), 2);
        let rest = g.drain();
        let ids: Vec<(u64, bool)> = rest.iter().map(|c| (c.correlation, c.ended)).collect();
        assert_eq!(ids, vec![(2, false), (3, false)]);
        assert_eq!(g.open(), 0);
    }
}
