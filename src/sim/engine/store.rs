//! Event stores and projections (event sourcing, CQRS).

use super::{Ev, Simulation};
use crate::sim::ids::{ProjectionId, StoreId};
use crate::sim::sampler::exp_interval;
use crate::sim::trace::{Record, TraceKind, Where};

impl Simulation {
    /// Append a domain event to a store: projections fall behind by one, and the
    /// store's change feed (if any) publishes it.
    pub(crate) fn store_append(&mut self, store: StoreId, ty: u32, corr: u32, key: u64) {
        let si = store.index();
        self.stats.stores[si].appends += 1;
        if self.store_keys[si].insert(key) {
            self.stats.stores[si].aggregates += 1;
        }
        let correlation = self.corr_id(corr);
        let appended = self.record(Record {
            cause: self.cause,
            kind: TraceKind::Published,
            at: Where::Store,
            element: store.0,
            correlation,
            message_type: ty,
            ..Record::BLANK
        });
        let now = self.now;
        for pi in 0..self.plan.stores[si].projections.len() {
            let p = self.plan.stores[si].projections[pi];
            let lag = &mut self.stats.projections[p].lag;
            lag.inc(now);
            if lag.now == 1 {
                let d = self.plan.projections[p].update.sample(&mut self.rng);
                self.queue
                    .push(now + d, Ev::ProjectionApplied { projection: p });
            }
        }
        if let Some(topic) = self.plan.stores[si].publish_to {
            // The change feed publishes because of the append; the handler's further
            // actions are still caused by its completion.
            let handler = std::mem::replace(&mut self.cause, appended);
            self.publish(topic, ty, corr, key, 0);
            self.cause = handler;
        }
    }

    pub(crate) fn projection_applied(&mut self, p: u32) {
        let now = self.now;
        let st = &mut self.stats.projections[p as usize];
        st.applied += 1;
        st.lag.dec(now);
        if st.lag.now > 0 {
            let d = self.plan.projections[p as usize]
                .update
                .sample(&mut self.rng);
            self.queue.push(
                now + d,
                Ev::ProjectionApplied {
                    projection: ProjectionId(p),
                },
            );
        }
    }

    pub(crate) fn projection_read(&mut self, p: u32) {
        let st = &mut self.stats.projections[p as usize];
        st.reads += 1;
        if st.lag.now > 0 {
            st.stale_reads += 1;
        }
        let rate = self.plan.projections[p as usize].reads_per_sec;
        let next = self.now + exp_interval(&mut self.rng, rate);
        if next > self.now && next <= self.end {
            self.queue.push(
                next,
                Ev::ProjectionRead {
                    projection: ProjectionId(p),
                },
            );
        }
    }
}
