//! Topics: partitioned logs, consumer groups with their own offsets, one message out
//! per partition per group at a time, retention, lag.

use crate::sim::ids::{GroupId, MsgId, ServiceId, TopicId};
use std::collections::VecDeque;

use super::{
    Ev, FLAG_POISON, FLAG_REPEAT, FLAG_TRACKED, Msg, NONE, Origin, REBALANCE_PAUSE_NANOS,
    REORDER_HOLD_NANOS, Simulation,
};
use crate::sim::SimTime;
use crate::sim::plan::{MsgKind, Target, TypeId};
use crate::sim::trace::{Record, TraceKind, Where};
use rand::Rng;

/// One record in a partition.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LogEntry {
    pub event_id: u64,
    pub ty: TypeId,
    pub corr: u32,
    pub key: u64,
    pub created: SimTime,
    pub appended: SimTime,
    pub flags: u8,
    /// The record that caused the append; once appended, its `Published` record.
    pub cause: u64,
}

/// A partition: the retained tail of its log, plus appends held back by faults.
#[derive(Clone, Debug, Default)]
pub(crate) struct Partition {
    pub entries: VecDeque<LogEntry>,
    /// Offset of `entries[0]`.
    pub base: u64,
    /// A reordered message waiting for the next one (sequence to match its timer).
    pub held: Option<(u32, LogEntry)>,
    pub held_seq: u32,
    /// Appends made while the partition (or broker) is down, appended when it is back.
    pub outage_buffer: Vec<LogEntry>,
}

impl Partition {
    pub fn end(&self) -> u64 {
        self.base + self.entries.len() as u64
    }

    pub fn get(&self, offset: u64) -> Option<&LogEntry> {
        offset
            .checked_sub(self.base)
            .and_then(|i| self.entries.get(i as usize))
    }
}

/// FNV-1a over the key's bytes: a fixed, documented hash so that partition choice is
/// the same on every machine and every run.
pub fn partition_of(key: u64, partitions: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.to_le_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % u64::from(partitions.max(1))) as u32
}

impl Simulation {
    /// A producer publishes an event to a topic.
    pub(crate) fn publish(&mut self, topic: TopicId, ty: TypeId, corr: u32, key: u64, flags: u8) {
        let event_id = self.new_event_id();
        let entry = LogEntry {
            event_id,
            ty,
            corr,
            key,
            created: self.now,
            appended: self.now,
            flags,
            cause: self.cause,
        };
        self.publish_entry(topic, entry);
    }

    pub(crate) fn publish_entry(&mut self, topic: TopicId, mut entry: LogEntry) {
        let t = &self.plan.topics[topic];
        let groups = t.groups.len() as u32;
        let partition = if t.keyed {
            partition_of(entry.key, t.partitions)
        } else {
            let rr = &mut self.round_robin[topic];
            *rr = rr.wrapping_add(1);
            *rr % t.partitions
        };
        let faults = self.faults.topic(topic);
        let duplicate = faults.duplicate > 0.0 && self.rng.random::<f64>() < faults.duplicate;
        if faults.poison > 0.0 && self.rng.random::<f64>() < faults.poison {
            entry.flags |= FLAG_POISON;
            self.stats.topics[topic].poisoned += 1;
        }
        let copies = if duplicate { 2 } else { 1 };
        if duplicate {
            entry.flags |= FLAG_TRACKED;
            self.stats.topics[topic].duplicated += 1;
        }
        if groups == 0 {
            self.stats.messages.unread += copies;
        }
        self.stats.messages.produced += copies * u64::from(groups);
        self.add_ref(entry.corr, copies as u32 * groups);
        let delay = faults.delay_nanos;
        let reorder = faults.reorder > 0.0 && self.rng.random::<f64>() < faults.reorder;
        // The second copy to reach the log is the repeat (a reordered first copy
        // goes in after the second).
        let mut first_held = false;
        for copy in 0..copies {
            if copy == 1 {
                match &mut self.partitions[topic][partition as usize].held {
                    Some((_, held)) if first_held => held.flags |= FLAG_REPEAT,
                    _ => entry.flags |= FLAG_REPEAT,
                }
            }
            if delay > 0 {
                self.stats.topics[topic].delayed += 1;
                let slot = match self.free_pending.pop() {
                    Some(i) => {
                        self.pending[i as usize] = Some((TopicId(topic.0), partition, entry));
                        i
                    }
                    None => {
                        self.pending
                            .push(Some((TopicId(topic.0), partition, entry)));
                        (self.pending.len() - 1) as u32
                    }
                };
                self.queue
                    .push(self.now + delay, Ev::AppendDue { pending: slot });
            } else if reorder && self.partitions[topic][partition as usize].held.is_none() {
                first_held = copy == 0;
                self.stats.topics[topic].reordered += 1;
                let p = &mut self.partitions[topic][partition as usize];
                p.held_seq = p.held_seq.wrapping_add(1);
                let seq = p.held_seq;
                p.held = Some((seq, entry));
                self.queue.push(
                    self.now + REORDER_HOLD_NANOS,
                    Ev::ReleaseHeld {
                        topic,
                        partition,
                        seq,
                    },
                );
            } else {
                self.append(topic, partition, entry);
            }
        }
    }

    pub(crate) fn append_due(&mut self, pending: u32) {
        if let Some((topic, partition, entry)) = self.pending[pending as usize].take() {
            self.append(TopicId(topic.0), partition, entry);
        }
        self.free_pending.push(pending);
    }

    pub(crate) fn release_held(&mut self, topic: TopicId, partition: u32, seq: u32) {
        let p = &mut self.partitions[topic][partition as usize];
        if let Some((s, entry)) = p.held
            && s == seq
        {
            p.held = None;
            self.append(topic, partition, entry);
        }
    }

    /// Append to a partition (or buffer it while the partition is down) and let the
    /// groups fetch.
    pub(crate) fn append(&mut self, topic: TopicId, partition: u32, entry: LogEntry) {
        if self.faults.partition_down(topic, partition) {
            self.partitions[topic][partition as usize]
                .outage_buffer
                .push(entry);
            return;
        }
        // A held (reordered) message goes in after the one that overtook it.
        let released = self.partitions[topic][partition as usize].held.take();
        self.append_one(topic, partition, entry);
        if let Some((_, held)) = released {
            self.append_one(topic, partition, held);
        }
    }

    /// Put one entry at the end of a partition's log, record it, let the groups fetch.
    fn append_one(&mut self, topic: TopicId, partition: u32, mut entry: LogEntry) {
        entry.appended = self.now;
        let ts = &mut self.stats.topics[topic];
        ts.appended += 1;
        ts.per_partition_appended[partition as usize] += 1;
        let correlation = self.corr_id(entry.corr);
        entry.cause = self.record(Record {
            cause: entry.cause,
            kind: TraceKind::Published,
            at: Where::Topic,
            element: topic.0,
            correlation,
            message: entry.event_id,
            message_type: entry.ty,
            detail: partition,
            ..Record::BLANK
        });
        let p = &mut self.partitions[topic][partition as usize];
        if self.plan.topics[topic].groups.is_empty() {
            // Nobody reads this topic: count the append, keep nothing.
            p.base += 1;
        } else {
            p.entries.push_back(entry);
        }
        let now = self.now;
        for gi in 0..self.plan.topics[topic].groups.len() {
            let g = self.plan.topics[topic].groups[gi];
            let gs = &mut self.stats.groups[g];
            gs.lag.inc(now);
            gs.partition_lag[partition as usize].inc(now);
            self.stats.lags_changed.mark(g.index());
            self.fetch(g, partition);
        }
    }

    /// Flush appends buffered during an outage, in order.
    pub(crate) fn flush_outage(&mut self, topic: TopicId, partition: u32) {
        let buffered =
            std::mem::take(&mut self.partitions[topic][partition as usize].outage_buffer);
        for e in buffered {
            self.append(topic, partition, e);
        }
    }

    /// Let a group take the next message of a partition, if it can.
    pub(crate) fn fetch(&mut self, group: GroupId, partition: u32) {
        let gp = &self.plan.groups[group];
        let (topic, service) = (gp.topic, gp.service);
        let pi = partition as usize;
        loop {
            let rt = &self.groups[group];
            if rt.busy[pi]
                || rt.paused_until > self.now
                || self.services[service].down
                || self.faults.partition_down(topic, partition)
            {
                return;
            }
            let offset = rt.offsets[pi];
            let Some(entry) = self.partitions[topic][pi].get(offset).copied() else {
                return;
            };
            let t = &self.plan.topics[topic];
            let too_old = t
                .retention_nanos
                .is_some_and(|r| self.now.nanos_since(entry.appended) > r);
            if too_old && !t.archive {
                self.stats.groups[group].expired += 1;
                self.stats.messages.expired += 1;
                let correlation = self.corr_id(entry.corr);
                self.cause = self.record(Record {
                    cause: entry.cause,
                    kind: TraceKind::Expired,
                    at: Where::Topic,
                    element: topic.0,
                    correlation,
                    message: entry.event_id,
                    message_type: entry.ty,
                    detail: partition,
                    ..Record::BLANK
                });
                self.mark_failed(entry.corr);
                self.advance(group, partition);
                self.unref(entry.corr);
                continue;
            }
            if too_old {
                self.stats.groups[group].archived_reads += 1;
            }
            let target = self.plan.groups[group].target_routes.get(entry.ty);
            if target == Target::Ignore {
                self.stats.groups[group].skipped += 1;
                self.stats.messages.consumed += 1;
                self.advance(group, partition);
                self.unref(entry.corr);
                continue;
            }
            self.groups[group].busy[pi] = true;
            let msg = self.alloc_msg(Msg {
                event_id: entry.event_id,
                ty: entry.ty,
                kind: MsgKind::Event,
                corr: entry.corr,
                corr_id: self.corr_id(entry.corr),
                key: entry.key,
                created: entry.created,
                enqueued: self.now,
                started: self.now,
                attempt: 1,
                flags: entry.flags,
                origin: Origin::None,
                service,
                target,
                from: Some((GroupId(group.0), partition)),
                will_fail: false,
                outcome: NONE,
                own_nanos: 0,
                token: 0,
                waiting_callback: false,
                cause: entry.cause,
            });
            self.enqueue(service, MsgId(msg), false);
            return;
        }
    }

    /// Move a group's offset past one message (commit) and update lag.
    fn advance(&mut self, group: GroupId, partition: u32) {
        let pi = partition as usize;
        let rt = &mut self.groups[group];
        rt.offsets[pi] += 1;
        rt.busy[pi] = false;
        let now = self.now;
        let gs = &mut self.stats.groups[group];
        gs.lag.dec(now);
        gs.partition_lag[pi].dec(now);
        self.stats.lags_changed.mark(group.index());
        self.trim(self.plan.groups[group].topic, partition);
    }

    /// The group is done with the message it had out of this partition.
    pub(crate) fn commit(&mut self, group: GroupId, partition: u32) {
        self.stats.groups[group].consumed += 1;
        self.advance(group, partition);
        self.fetch(group, partition);
    }

    /// The group gave up on the message it had out (dead-lettered or failed): the
    /// offset moves on all the same.
    pub(crate) fn give_up(&mut self, group: GroupId, partition: u32) {
        self.stats.groups[group].given_up += 1;
        self.advance(group, partition);
        self.fetch(group, partition);
    }

    /// Drop log entries every group has read.
    fn trim(&mut self, topic: TopicId, partition: u32) {
        let groups = &self.plan.topics[topic].groups;
        let min = groups
            .iter()
            .map(|g| self.groups[g.index()].offsets[partition as usize])
            .min()
            .unwrap_or(0);
        let p = &mut self.partitions[topic][partition as usize];
        while p.base < min && !p.entries.is_empty() {
            p.entries.pop_front();
            p.base += 1;
        }
    }

    /// Members of the service's groups rejoin after a crash: the groups pause to
    /// rebalance, then resume.
    pub(crate) fn rebalance(&mut self, service: ServiceId) {
        for g in 0..self.plan.groups.len() {
            if self.plan.groups[g].service == service {
                self.groups[g].paused_until = self.now + REBALANCE_PAUSE_NANOS;
                self.stats.groups[g].rebalances += 1;
                self.queue.push(
                    self.now + REBALANCE_PAUSE_NANOS,
                    Ev::RebalanceEnd {
                        group: GroupId(g as u32),
                    },
                );
            }
        }
    }

    pub(crate) fn rebalance_end(&mut self, group: GroupId) {
        if self.groups[group].paused_until <= self.now {
            self.fetch_all(group);
        }
    }

    pub(crate) fn fetch_all(&mut self, group: GroupId) {
        let n = self.groups[group].offsets.len() as u32;
        for p in 0..n {
            self.fetch(group, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::partition_of;

    #[test]
    fn partitioning_is_stable_and_spreads_keys() {
        assert_eq!(partition_of(42, 6), partition_of(42, 6));
        let mut counts = [0u32; 6];
        for k in 0..60_000 {
            counts[partition_of(k, 6) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
    }
}
