//! Fault windows: what is active when, per service and per topic.

use super::Simulation;
use crate::sim::ids::{FaultId, TopicId};
use crate::sim::plan::{FaultEffect, Plan};
use crate::sim::trace::{Record, TraceKind, Where};

/// Message faults active on a topic now.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TopicFaults {
    pub duplicate: f64,
    pub reorder: f64,
    pub poison: f64,
    pub delay_nanos: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct FaultState {
    active: Vec<bool>,
    topics: Vec<TopicFaults>,
    broker_down: u32,
    /// Per topic, per partition: outages covering it.
    partition_down: Vec<Vec<u32>>,
}

impl FaultState {
    pub fn new(plan: &Plan) -> Self {
        Self {
            active: vec![false; plan.faults.len()],
            topics: vec![TopicFaults::default(); plan.topics.len()],
            broker_down: 0,
            partition_down: plan
                .topics
                .iter()
                .map(|t| vec![0; t.partitions as usize])
                .collect(),
        }
    }

    #[inline]
    pub fn topic(&self, topic: TopicId) -> TopicFaults {
        self.topics[topic]
    }

    #[inline]
    pub fn partition_down(&self, topic: TopicId, partition: u32) -> bool {
        self.broker_down > 0 || self.partition_down[topic][partition as usize] > 0
    }

    fn recompute_topic(&mut self, plan: &Plan, topic: TopicId) {
        let mut f = TopicFaults::default();
        for (i, fp) in plan.faults.iter().enumerate() {
            if !self.active[i] || fp.effect.topic() != Some(topic) {
                continue;
            }
            // Overlapping windows: the chances combine as independent events.
            let combine = |a: f64, b: f64| 1.0 - (1.0 - a) * (1.0 - b);
            match fp.effect {
                FaultEffect::Duplicate { probability, .. } => {
                    f.duplicate = combine(f.duplicate, probability);
                }
                FaultEffect::Reorder { probability, .. } => {
                    f.reorder = combine(f.reorder, probability);
                }
                FaultEffect::Poison { probability, .. } => {
                    f.poison = combine(f.poison, probability);
                }
                FaultEffect::Delay { extra_nanos, .. } => {
                    f.delay_nanos = f.delay_nanos.saturating_add(extra_nanos);
                }
                _ => {}
            }
        }
        self.topics[topic] = f;
    }
}

impl Simulation {
    pub(crate) fn fault_start(&mut self, fault: FaultId) {
        let f = self.plan.faults[fault].clone();
        self.faults.active[fault] = true;
        self.record(Record {
            kind: TraceKind::FaultStarted,
            at: Where::Fault,
            element: fault.0,
            ..Record::BLANK
        });
        match f.effect {
            FaultEffect::Crash { service } => {
                let rt = &mut self.services[service];
                rt.down_until = rt.down_until.max(f.end);
                if !rt.down {
                    self.crash(service);
                }
            }
            FaultEffect::SlowDown { service, factor } => {
                self.services[service].slow *= factor;
            }
            FaultEffect::BrokerOutage => self.faults.broker_down += 1,
            FaultEffect::PartitionOutage { topic, partition } => {
                let parts = &mut self.faults.partition_down[topic];
                match partition {
                    Some(p) if (p as usize) < parts.len() => parts[p as usize] += 1,
                    _ => parts.iter_mut().for_each(|c| *c += 1),
                }
            }
            FaultEffect::Duplicate { topic, .. }
            | FaultEffect::Reorder { topic, .. }
            | FaultEffect::Poison { topic, .. }
            | FaultEffect::Delay { topic, .. } => {
                self.faults.recompute_topic(&self.plan, topic);
            }
        }
    }

    pub(crate) fn fault_end(&mut self, fault: FaultId) {
        let f = self.plan.faults[fault].clone();
        if !self.faults.active[fault] {
            return;
        }
        self.faults.active[fault] = false;
        self.record(Record {
            kind: TraceKind::FaultEnded,
            at: Where::Fault,
            element: fault.0,
            ..Record::BLANK
        });
        match f.effect {
            FaultEffect::Crash { service } => {
                // Restart once no crash window covers the service any more.
                let still_down = self.plan.faults.iter().enumerate().any(|(i, o)| {
                    self.faults.active[i] && o.effect == FaultEffect::Crash { service }
                });
                if !still_down && self.services[service].down {
                    self.restart(service);
                }
            }
            FaultEffect::SlowDown { service, factor } => {
                self.services[service].slow /= factor;
            }
            FaultEffect::BrokerOutage => {
                self.faults.broker_down -= 1;
                if self.faults.broker_down == 0 {
                    for t in 0..self.plan.topics.len() as u32 {
                        self.topic_back(TopicId(t));
                    }
                }
            }
            FaultEffect::PartitionOutage { topic, partition } => {
                let parts = &mut self.faults.partition_down[topic];
                match partition {
                    Some(p) if (p as usize) < parts.len() => parts[p as usize] -= 1,
                    _ => parts.iter_mut().for_each(|c| *c -= 1),
                }
                self.topic_back(topic);
            }
            FaultEffect::Duplicate { topic, .. }
            | FaultEffect::Reorder { topic, .. }
            | FaultEffect::Poison { topic, .. }
            | FaultEffect::Delay { topic, .. } => {
                self.faults.recompute_topic(&self.plan, topic);
            }
        }
    }
    /// Partitions of a topic that are up again: flush buffered appends, resume reads.
    fn topic_back(&mut self, topic: TopicId) {
        for p in 0..self.plan.topics[topic].partitions {
            if !self.faults.partition_down(topic, p) {
                self.flush_outage(topic, p);
                for gi in 0..self.plan.topics[topic].groups.len() {
                    let g = self.plan.topics[topic].groups[gi];
                    self.fetch(g, p);
                }
            }
        }
    }
}
