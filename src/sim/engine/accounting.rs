//! End-of-run accounting (what is still in flight) and periodic samples for charts.

use super::{Ev, LAG_SAMPLES, Simulation};

impl Simulation {
    /// Count everything still in flight at the end: live messages, unread log entries
    /// per group, and appends held back by faults.
    pub(super) fn count_in_flight(&mut self) {
        let mut in_flight = self.live.iter().filter(|l| **l).count() as u64;
        let mut expired = 0;
        for (gi, g) in self.plan.groups.iter().enumerate() {
            let retention = self.plan.topics[g.topic].retention_nanos;
            let archive = self.plan.topics[g.topic].archive;
            let mut group_expired = 0;
            for (p, part) in self.partitions[g.topic].iter().enumerate() {
                let rt = &self.groups[gi];
                // A partition whose message is out has it counted as a live message.
                let from = rt.offsets[p] + u64::from(rt.busy[p]);
                for off in from..part.end() {
                    match (part.get(off), retention) {
                        (Some(e), Some(r)) if !archive && self.end.nanos_since(e.appended) > r => {
                            group_expired += 1;
                        }
                        _ => in_flight += 1,
                    }
                }
            }
            self.stats.groups[gi].expired += group_expired;
            expired += group_expired;
        }
        for (t, parts) in self.partitions.iter().enumerate() {
            let groups = self.plan.topics[t].groups.len() as u64;
            for p in parts {
                in_flight += groups * (u64::from(p.held.is_some()) + p.outage_buffer.len() as u64);
            }
        }
        for (t, _, _) in self.pending.iter().flatten() {
            in_flight += self.plan.topics[t.index()].groups.len() as u64;
        }
        self.stats.messages.in_flight = in_flight;
        self.stats.messages.expired += expired;
    }

    pub(super) fn sample(&mut self) {
        let now = self.now;
        let k = self.stats.sample_times.len() as u32;
        self.stats.sample_times.push(now);
        // Only what changed since the last sample can have a new value to record.
        let groups = self.stats.lags_changed.take();
        for &g in &groups {
            self.stats.groups[g as usize].sample(k);
        }
        self.stats.lags_changed.give_back(groups);
        let services = self.stats.queues_changed.take();
        for &i in &services {
            let s = &mut self.stats.services[i as usize];
            s.queue_samples.record(k, s.queue.now);
        }
        self.stats.queues_changed.give_back(services);
        let step = (self.end.as_nanos() / LAG_SAMPLES).max(1_000_000);
        let next = now + step;
        if next > now && next <= self.end {
            self.queue.push(next, Ev::Sample);
        }
    }
}
