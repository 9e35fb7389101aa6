//! Workload arrivals and correlation ids: every source item is one correlation id
//! whose outstanding work is reference-counted, so its end-to-end latency is known the
//! moment its last message is handled.

use crate::sim::ids::SourceId;
use rand::Rng;

use super::{Corr, Ev, NONE, Origin, Simulation};
use crate::model::Rate;
use crate::sim::sampler::exp_interval;
use crate::sim::trace::{Record, TraceKind, Where};

impl Simulation {
    pub(super) fn arrival(&mut self, source: SourceId) {
        let src = &self.plan.sources[source];
        let (batch, next) = match src.rate {
            Rate::Poisson { per_sec } => (1, exp_interval(&mut self.rng, per_sec)),
            Rate::Constant { per_sec } => (1, (1e9 / per_sec).max(1.0) as u64),
            Rate::Bursts { size, every } => (size, every.as_nanos().max(1)),
        };
        let stop = src.stop;
        let keys = src.keys;
        let act = src.act.clone();
        for _ in 0..batch {
            let key = self.rng.random_range(0..keys);
            let corr = self.new_corr(source);
            self.stats.sources[source].emitted += 1;
            self.perform(&act, corr, key, Origin::None, 0);
            self.unref(corr);
        }
        let t = self.now + next;
        if t < stop {
            self.queue.push(t, Ev::Arrival { source });
        }
    }

    pub(super) fn new_corr(&mut self, source: SourceId) -> u32 {
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
    #[inline(always)]
    pub(crate) fn unref(&mut self, corr: u32) {
        if corr == NONE {
            return;
        }
        let c = &mut self.corrs[corr as usize];
        c.refs -= 1;
        if c.refs == 0 {
            self.item_completed(corr);
        }
    }

    /// The item's last reference is gone: count it, record it, free its slot. Out of
    /// line, so that dropping a reference is a decrement and a test where it is used.
    #[inline(never)]
    fn item_completed(&mut self, corr: u32) {
        let c = &self.corrs[corr as usize];
        let (source, start, failed, id) = (c.source, c.start, c.failed, c.id);
        let s = &mut self.stats.sources[source];
        if failed {
            s.failed += 1;
        } else {
            s.completed += 1;
            s.end_to_end.record(self.now - start);
        }
        let done = self.record(Record {
            cause: self.cause,
            kind: TraceKind::ItemCompleted,
            at: Where::Source,
            element: source.0,
            correlation: id,
            detail: u32::from(failed),
            ..Record::BLANK
        });
        self.judge_item_effects(corr, done);
        self.free_corrs.push(corr);
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
}
