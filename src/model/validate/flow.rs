//! Lints over the flow of events: consumed but never produced, producer and consumer
//! schema versions the registry's rule does not allow, thin notifications consumed
//! without a callback, and consumers that can only sit idle.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Cx, trigger_path};
use crate::model::flows::{
    Append, Flow, HandlerRef, MessageKind, Origin, Publish, Receiver, Request, Who,
};
use crate::model::{ElementKind, EventStyle, Flows, ServiceId};

/// Someone who writes `event` to `topic` with schema `version`.
struct Producer<'m> {
    event: &'m str,
    topic: &'m str,
    version: u32,
    who: String,
}

/// Everyone who writes an event to a topic: sources first, then handlers, sagas and
/// (for what is appended to a store with a change feed) the appender, then the
/// dead letters of event handlers.
fn producers<'m>(cx: &Cx<'m>) -> Vec<Producer<'m>> {
    let m = cx.model;
    let current = |event: &str| {
        cx.index
            .event(event)
            .and_then(|id| m.events.get(id.index()))
            .map_or(1, |e| e.version)
    };
    let who = |o: &Origin| match o.who() {
        Who::Service(s) => format!("service \"{s}\""),
        Who::Saga { saga, .. } => format!("saga \"{saga}\""),
        Who::Source(s) => format!("source \"{s}\""),
        Who::Store(s) => format!("event store \"{s}\""),
    };
    let written = |f: &Flow<'m>| match f {
        Flow::Publish(p) if !matches!(p.origin, Origin::Feed(_)) => Some(Producer {
            event: p.event,
            topic: p.topic,
            version: p.version.unwrap_or_else(|| current(p.event)),
            who: who(&p.origin),
        }),
        Flow::Append(a) => a.feed.map(|topic| Producer {
            event: a.event,
            topic,
            version: current(a.event),
            who: who(&a.origin),
        }),
        _ => None,
    };
    let by_source = |f: &&Flow| {
        matches!(
            f,
            Flow::Publish(Publish {
                origin: Origin::Source(_),
                ..
            }) | Flow::Append(Append {
                origin: Origin::Source(_),
                ..
            })
        )
    };
    let (sources, others): (Vec<&Flow>, Vec<&Flow>) = cx.flows.all().iter().partition(by_source);
    let mut out: Vec<Producer> = sources
        .into_iter()
        .chain(others)
        .filter_map(written)
        .collect();
    // Events a handler gives up on go to its dead-letter topic.
    for d in cx.flows.dead_letters() {
        if d.kind == MessageKind::Event {
            out.push(Producer {
                event: d.name,
                topic: d.topic,
                version: current(d.name),
                who: format!("the dead letters of service \"{}\"", d.handler.service.name),
            });
        }
    }
    out
}

/// Someone who reads `event` from `topic`.
struct Consumer<'m> {
    path: String,
    event: &'m str,
    topic: &'m str,
    version: Option<u32>,
    kind: ElementKind,
    name: &'m str,
    has_callback: bool,
}

fn consumers<'m>(cx: &Cx<'m>) -> Vec<Consumer<'m>> {
    cx.flows
        .subscriptions()
        .map(|s| {
            let (kind, name) = s.receiver.element();
            Consumer {
                path: trigger_path(&s.receiver),
                event: s.event,
                topic: s.topic,
                version: s.version,
                kind,
                name,
                has_callback: match s.receiver {
                    Receiver::Handler(at) => at.handler.callback.is_some(),
                    // The orchestrator drives the saga from the event id alone.
                    Receiver::Saga(_) => true,
                },
            }
        })
        .collect()
}

pub(super) fn check(cx: &mut Cx) {
    let producers = producers(cx);
    // Built once, so each consumer finds its producers in O(1) (only looked up, so
    // the map's order does not matter).
    let mut by_pair: HashMap<(&str, &str), Vec<&Producer>> = HashMap::new();
    for p in &producers {
        by_pair.entry((p.event, p.topic)).or_default().push(p);
    }
    for c in consumers(cx) {
        cx.on(c.kind, c.name);
        let event = cx
            .index
            .event(c.event)
            .and_then(|id| cx.model.events.get(id.index()));
        let Some(event) = event else {
            continue;
        };
        if cx.index.topic(c.topic).is_none() {
            continue;
        }
        if !by_pair.contains_key(&(c.event, c.topic)) {
            cx.warning(
                c.path.clone(),
                format!(
                    "\"{}\" is consumed from topic \"{}\" but nothing publishes it there",
                    c.event, c.topic
                ),
            )
            .hint("add a source or a handler that publishes it, or fix the event or topic name");
        }
        let reads = c.version.unwrap_or(event.version);
        for p in by_pair.get(&(c.event, c.topic)).into_iter().flatten() {
            if !event.compatibility.allows(p.version, reads) {
                cx.error(
                    format!("{}.version", c.path),
                    format!(
                        "reads \"{}\" with schema v{reads}, but {} writes v{}, which {:?} compatibility does not allow",
                        c.event, p.who, p.version, event.compatibility
                    ),
                )
                .hint(match event.compatibility {
                    crate::model::Compatibility::Backward => "Backward: upgrade consumers first; a consumer reads its own version and the one before",
                    crate::model::Compatibility::Forward => "Forward: upgrade producers first; a consumer reads its own version and the one after",
                    crate::model::Compatibility::Full => "Full: producer and consumer may be at most one version apart",
                    crate::model::Compatibility::None => "None: producer and consumer must use the same version",
                });
            }
        }
        if event.style == EventStyle::Notification && !c.has_callback {
            cx.warning(
                c.path.clone(),
                format!("\"{}\" is a thin notification, but this consumer never calls back for its details", c.event),
            )
            .hint("add `callback: Callback(service: …, query: …)`, or make the event `StateTransfer` if it carries the data");
        }
    }
    cx.off();
    idle_consumers(cx);
    endless_loops(cx);
}

/// Members of a consumer group beyond the topic's partition count sit idle.
fn idle_consumers(cx: &mut Cx) {
    let m = cx.model;
    let all = cx.flows.all_consumer_groups();
    for topic in &m.topics {
        for (group, members) in all.get(topic.name.as_str()).into_iter().flatten() {
            let instances: u64 = members
                .iter()
                .filter_map(|s| {
                    cx.index
                        .service(s)
                        .and_then(|id| m.services.get(id.index()))
                })
                .map(|s| u64::from(s.instances))
                .sum();
            if topic.partitions >= 1 && instances > u64::from(topic.partitions) {
                cx.on(ElementKind::Topic, &topic.name);
                cx.warning(
                    format!("topics[{}].partitions", topic.name),
                    format!(
                        "consumer group \"{group}\" has {instances} members but the topic has {}: {} will sit idle",
                        crate::words::count(topic.partitions as usize, "partition", None),
                        instances - u64::from(topic.partitions)
                    ),
                )
                .hint("a partition is read by one member of a group; raise `partitions` to scale out");
            }
        }
    }
    cx.off();
}

/// Where a message goes: an event on a topic, or a command to a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dest<'m> {
    Topic(&'m str, &'m str),
    Service(&'m str, &'m str),
}

/// A handler on a possible loop: its path, its service, and where it always sends.
type LoopHop<'m> = (String, &'m str, Vec<Dest<'m>>);

/// Where each handler's messages come from → the handlers taking them: (path,
/// service, where its `emit` always sends). Queries are left out: a callback waits
/// for its answer, it does not loop.
fn loop_edges<'m>(flows: &'m Flows<'m>) -> BTreeMap<Dest<'m>, Vec<LoopHop<'m>>> {
    // Each handler, by service and position: what it takes, and where it always sends.
    let mut hops: BTreeMap<(ServiceId, usize), (Dest, HandlerRef, Vec<Dest>)> = BTreeMap::new();
    for f in flows.all() {
        let (at, to) = match f {
            Flow::Subscription(s) => {
                if let Receiver::Handler(at) = s.receiver {
                    hops.insert(
                        (at.id, at.index),
                        (Dest::Topic(s.event, s.topic), at, Vec::new()),
                    );
                }
                continue;
            }
            Flow::Handling(h) => {
                if let (Receiver::Handler(at), MessageKind::Command) = (h.receiver, h.kind) {
                    hops.insert(
                        (at.id, at.index),
                        (Dest::Service(h.name, h.service), at, Vec::new()),
                    );
                }
                continue;
            }
            Flow::Publish(Publish {
                event,
                topic,
                origin: Origin::Handler { at, outcome: None },
                ..
            }) => (at, Dest::Topic(event, topic)),
            Flow::Request(Request {
                name,
                to,
                origin: Origin::Handler { at, outcome: None },
                ..
            }) => (at, Dest::Service(name, to)),
            Flow::Append(Append {
                event,
                feed: Some(topic),
                origin: Origin::Handler { at, outcome: None },
                ..
            }) => (at, Dest::Topic(event, topic)),
            _ => continue,
        };
        if let Some(hop) = hops.get_mut(&(at.id, at.index)) {
            hop.2.push(to);
        }
    }
    let mut edges: BTreeMap<Dest, Vec<LoopHop>> = BTreeMap::new();
    for (from, at, to) in hops.into_values() {
        edges.entry(from).or_default().push((
            format!("services[{}].handlers[{}]", at.service.name, at.index),
            at.service.name.as_str(),
            to,
        ));
    }
    edges
}

/// Loops that every message takes: a handler that always (in `emit`, not in one of
/// several `outcomes`) sends on something that leads back to itself. Each item would
/// circulate for ever; with zero latency the run never advances.
pub(super) fn endless_loops(cx: &mut Cx) {
    let edges = loop_edges(cx.flows);
    // Depth-first search from every destination; report each handler that closes a loop once.
    let mut reported = BTreeSet::new();
    for &start in edges.keys() {
        let mut stack = vec![(start, vec![start])];
        let mut visited = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            if !visited.insert(at) {
                continue;
            }
            for (path, service, to) in edges.get(&at).into_iter().flatten() {
                for &next in to {
                    if next == start && reported.insert(path.clone()) {
                        let loop_text = trail
                            .iter()
                            .map(|d| match d {
                                Dest::Topic(e, t) => format!("\"{e}\" on \"{t}\""),
                                Dest::Service(c, s) => format!("\"{c}\" to \"{s}\""),
                            })
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        cx.on(ElementKind::Service, service);
                        cx.error(
                            format!("{path}.emit"),
                            format!("an endless loop: {loop_text} -> back again, for every message"),
                        )
                        .hint("make the step back conditional (put it in one of several `outcomes`) or break the loop");
                    } else if !visited.contains(&next) {
                        let mut t = trail.clone();
                        t.push(next);
                        stack.push((next, t));
                    }
                }
            }
        }
    }
    cx.off();
}
