//! What is on its way at this instant: for every hop of the model, the messages that
//! have left their sender and have not yet started at their receiver.
//!
//! Delivery in the engine takes no time of its own, so a message is "on a hop" only
//! while it waits: in a partition for its consumer group, in a service's queue for a
//! free worker, held on its way into a topic by a fault (a delay, a reorder hold, a
//! partition or broker outage), or in an event store for a projection to apply it.
//! Messages being handled, or waiting to be retried, are at their service, not on a
//! hop. This is the app's "tokens on arrows": the same state at every playback speed.

use std::collections::BTreeMap;

use super::{Ev, Origin, Simulation};
use crate::sim::SimTime;
use crate::sim::ids::{GroupId, ProjectionId, SagaId, ServiceId, TopicId};
use crate::sim::plan::TypeId;

/// One hop of the model a message can be on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    /// From a topic to a consumer group: appended and not yet taken by a worker of the
    /// group's service (waiting in its partition, or fetched and waiting in the
    /// service's queue).
    Group(GroupId),
    /// A command, query or reply waiting in a service's queue. `saga` is the saga
    /// that sent it (a step's command or compensation) or that it answers (a reply
    /// queued at the orchestrator).
    Request {
        /// The service whose queue it waits in.
        service: ServiceId,
        /// Its message type.
        ty: TypeId,
        /// The saga it is sent by or to, if any.
        saga: Option<SagaId>,
    },
    /// An event held on its way into a topic by a fault.
    Held {
        /// The topic it is published to.
        topic: TopicId,
        /// Its event type.
        ty: TypeId,
    },
    /// Events appended to a store that this projection has not applied yet.
    Projection(ProjectionId),
}

/// When one message entered its hop, and when it leaves it if that is already known
/// (a delayed publish is due at a set time; a waiting message is not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// When it entered the hop (for a projection's backlog: unknown, the run's start).
    pub since: SimTime,
    /// When it will leave the hop, if that is scheduled.
    pub due: Option<SimTime>,
}

/// The messages on one hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HopLoad {
    /// Which hop.
    pub hop: Hop,
    /// How many messages are on it.
    pub count: u64,
    /// The oldest of them, oldest first: at most as many as asked for.
    pub oldest: Vec<Token>,
}

/// Loads by hop while they are gathered.
struct Gather {
    keep: usize,
    by_hop: BTreeMap<Hop, HopLoad>,
}

impl Gather {
    fn add(&mut self, hop: Hop, count: u64, tokens: impl IntoIterator<Item = Token>) {
        if count == 0 {
            return;
        }
        let load = self.by_hop.entry(hop).or_insert_with(|| HopLoad {
            hop,
            count: 0,
            oldest: Vec::new(),
        });
        load.count += count;
        load.oldest.extend(tokens.into_iter().take(self.keep));
        // Keep it bounded while gathering: the oldest `keep` are among any `keep`
        // kept so far and the new ones.
        if load.oldest.len() > 2 * self.keep.max(1) {
            load.oldest.sort_by_key(|t| t.since);
            load.oldest.truncate(self.keep);
        }
    }

    fn finish(self) -> Vec<HopLoad> {
        let keep = self.keep;
        self.by_hop
            .into_values()
            .map(|mut l| {
                l.oldest.sort_by_key(|t| t.since);
                l.oldest.truncate(keep);
                l
            })
            .collect()
    }
}

impl Simulation {
    /// Every hop with messages on it now, in a fixed order, each with its count and
    /// its `keep` oldest messages. Costs one pass over the services' queues and the
    /// scheduled events, and `keep` entries per partition: not the length of the run.
    pub fn in_flight(&self, keep: usize) -> Vec<HopLoad> {
        let mut g = Gather {
            keep,
            by_hop: BTreeMap::new(),
        };
        self.partition_backlogs(&mut g);
        self.service_queues(&mut g);
        self.held_publishes(&mut g);
        for (i, p) in self.stats.projections.iter().enumerate() {
            let since = Token {
                since: SimTime::ZERO,
                due: None,
            };
            let n = p.lag.now;
            g.add(
                Hop::Projection(ProjectionId(i as u32)),
                n,
                std::iter::repeat_n(since, n.min(keep as u64) as usize),
            );
        }
        g.finish()
    }

    /// Entries of each partition that a group has not fetched yet.
    fn partition_backlogs(&self, g: &mut Gather) {
        for (gi, (plan, rt)) in self.plan.groups.iter().zip(&self.groups).enumerate() {
            for (pi, part) in self.partitions[plan.topic].iter().enumerate() {
                // The entry at the offset is out with a worker while the partition is
                // busy: it is counted where it is (a queue) or not at all (handling).
                let next = rt.offsets[pi].max(part.base) + u64::from(rt.busy[pi]);
                let waiting = part.end().saturating_sub(next);
                let tokens = (next..part.end())
                    .filter_map(|o| part.get(o))
                    .map(|e| Token {
                        since: e.appended,
                        due: None,
                    });
                g.add(Hop::Group(GroupId(gi as u32)), waiting, tokens);
            }
        }
    }

    /// Messages delivered to a service and waiting for a worker.
    fn service_queues(&self, g: &mut Gather) {
        for (si, rt) in self.services.iter().enumerate() {
            for &id in &rt.queue {
                let m = &self.msgs[id];
                let hop = match (m.from, m.origin) {
                    (Some((group, _)), _) => Hop::Group(group),
                    (None, Origin::Saga { inst, .. }) => Hop::Request {
                        service: ServiceId(si as u32),
                        ty: m.ty,
                        saga: self.sagas.get(inst as usize).map(|s| s.saga),
                    },
                    (None, _) => Hop::Request {
                        service: ServiceId(si as u32),
                        ty: m.ty,
                        saga: None,
                    },
                };
                let token = Token {
                    since: m.created,
                    due: None,
                };
                g.add(hop, 1, [token]);
            }
        }
    }

    /// Publishes a fault holds back: delayed (due at a known time), reordered (held
    /// for a successor) or buffered while their partition is down.
    fn held_publishes(&self, g: &mut Gather) {
        // In the order they are due (the heap's own order depends on its shape).
        let mut due: Vec<(SimTime, u32)> = self
            .queue
            .scheduled()
            .filter_map(|(time, ev)| match ev {
                Ev::AppendDue { pending } => Some((time, *pending)),
                _ => None,
            })
            .collect();
        due.sort_unstable();
        for (time, pending) in due {
            if let Some(Some((topic, _, entry))) = self.pending.get(pending as usize) {
                let token = Token {
                    since: entry.created,
                    due: Some(time),
                };
                g.add(
                    Hop::Held {
                        topic: *topic,
                        ty: entry.ty,
                    },
                    1,
                    [token],
                );
            }
        }
        for (ti, parts) in self.partitions.iter().enumerate() {
            let topic = TopicId(ti as u32);
            for part in parts {
                let held = part.held.iter().map(|(_, e)| e);
                for e in held.chain(&part.outage_buffer) {
                    let token = Token {
                        since: e.created,
                        due: None,
                    };
                    g.add(Hop::Held { topic, ty: e.ty }, 1, [token]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::model::{Duration, Fault, FaultKind, Model};
    use crate::sim::RunOptions;

    fn run_to(model: &Model, secs: f64) -> Simulation {
        let mut sim = Simulation::new(model, RunOptions::default()).unwrap();
        sim.step_until(SimTime::from_nanos((secs * 1e9) as u64));
        sim
    }

    fn group_load(loads: &[HopLoad], group: usize) -> u64 {
        loads
            .iter()
            .filter(|l| l.hop == Hop::Group(GroupId(group as u32)))
            .map(|l| l.count)
            .sum()
    }

    /// Held against the engine's own statistics: a group's messages on their way are
    /// its lag less the ones a worker has out (at most one per partition); a
    /// service's waiting requests are its queue less the events it fetched; a
    /// projection's backlog is its lag.
    #[test]
    fn loads_agree_with_lag_and_queue_levels_on_every_example() {
        for e in examples::ALL {
            let mut model = e.model().unwrap();
            model.duration = Duration::from_secs(240);
            for secs in [0.5, 7.0, 30.0, 200.0] {
                let sim = run_to(&model, secs);
                let loads = sim.in_flight(5);
                let plan = sim.plan();
                for (gi, g) in plan.groups.iter().enumerate() {
                    let lag = sim.stats().groups[gi].lag.now;
                    let on_way = group_load(&loads, gi);
                    let partitions = u64::from(plan.topics[g.topic].partitions);
                    assert!(
                        on_way <= lag,
                        "{}: group {} {on_way} > lag {lag}",
                        e.name,
                        g.name
                    );
                    assert!(lag - on_way <= partitions, "{}: group {}", e.name, g.name);
                }
                for (si, s) in sim.stats().services.iter().enumerate() {
                    let requests: u64 = loads
                        .iter()
                        .filter(|l| matches!(l.hop, Hop::Request { service, .. } if service.index() == si))
                        .map(|l| l.count)
                        .sum();
                    let fetched_max: u64 = plan
                        .groups
                        .iter()
                        .filter(|g| g.service.index() == si)
                        .map(|g| u64::from(plan.topics[g.topic].partitions))
                        .sum();
                    assert!(requests <= s.queue.now, "{} at {secs}s", e.name);
                    assert!(
                        s.queue.now - requests <= fetched_max,
                        "{} at {secs}s",
                        e.name
                    );
                }
                for (pi, p) in sim.stats().projections.iter().enumerate() {
                    let hop = Hop::Projection(ProjectionId(pi as u32));
                    let n = loads.iter().find(|l| l.hop == hop).map_or(0, |l| l.count);
                    assert_eq!(n, p.lag.now, "{}", e.name);
                }
                for l in &loads {
                    assert!(l.count > 0 && l.oldest.len() as u64 <= l.count.min(5));
                    assert!(l.oldest.windows(2).all(|w| w[0].since <= w[1].since));
                    assert!(l.oldest.iter().all(|t| t.since <= sim.time()));
                }
            }
        }
    }

    /// A consumer that is down: what its group has not read piles up on the hop, and
    /// the oldest waiting message is the one published first.
    #[test]
    fn a_crashed_consumer_leaves_its_backlog_on_the_hop() {
        let mut model = examples::find("choreography").unwrap().model().unwrap();
        model.duration = Duration::from_secs(300);
        let gi = |sim: &Simulation| {
            sim.plan()
                .groups
                .iter()
                .position(|g| sim.plan().services[g.service].name == "inventory")
                .unwrap()
        };
        // Inventory crashes at 3 min for 30 s.
        let before = run_to(&model, 179.0);
        let during = run_to(&model, 205.0);
        let (b, d) = (
            group_load(&before.in_flight(5), gi(&before)),
            group_load(&during.in_flight(5), gi(&during)),
        );
        assert!(
            d > 100 && d > 10 * b.max(1),
            "before {b}, 25 s into the crash {d}"
        );
        let load = during.in_flight(5);
        let l = load
            .iter()
            .find(|l| l.hop == Hop::Group(GroupId(gi(&during) as u32)))
            .unwrap();
        assert_eq!(l.oldest.len(), 5);
        assert!(l.oldest[0].since < SimTime::from_nanos(181_000_000_000));
    }

    /// A delay fault: each held publish is due at a set time after it was sent, so
    /// its progress along the hop is known.
    #[test]
    fn delayed_publishes_are_held_until_due() {
        let mut model = examples::find("choreography").unwrap().model().unwrap();
        model.duration = Duration::from_secs(30);
        model.faults = vec![Fault {
            kind: FaultKind::Delay {
                topic: "orders".into(),
                extra: Duration::from_millis(800),
            },
            at: Duration::from_secs(10),
            lasting: Duration::from_secs(10),
        }];
        let sim = run_to(&model, 15.0);
        let loads = sim.in_flight(50);
        let held: Vec<&HopLoad> = loads
            .iter()
            .filter(|l| matches!(l.hop, Hop::Held { .. }))
            .collect();
        assert!(!held.is_empty());
        let now = sim.time();
        for l in held {
            for t in &l.oldest {
                let due = t.due.expect("a delayed publish has a due time");
                assert!(t.since <= now && now < due);
                assert_eq!(due.nanos_since(t.since), 800_000_000);
            }
        }
        assert!(
            run_to(&model, 25.0)
                .in_flight(5)
                .iter()
                .all(|l| !matches!(l.hop, Hop::Held { .. }))
        );
    }
}
