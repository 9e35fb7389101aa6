//! Lints over the flow of events: consumed but never produced, producer and consumer
//! schema versions the registry's rule does not allow, thin notifications consumed
//! without a callback, and consumers that can only sit idle.

use std::collections::BTreeSet;

use super::Cx;
use super::refs::consumer_groups;
use crate::model::{Action, ElementKind, EventStyle, Trigger};

/// Someone who writes `event` to `topic` with schema `version`.
struct Producer<'m> {
    event: &'m str,
    topic: &'m str,
    version: u32,
    who: String,
}

fn producers<'m>(cx: &Cx<'m>) -> Vec<Producer<'m>> {
    let m = cx.model;
    let current = |event: &str| m.event(event).map_or(1, |e| e.version);
    let mut out = Vec::new();
    let mut add = |a: &'m Action, who: String| match a {
        Action::Publish {
            event,
            topic,
            version,
        } => out.push(Producer {
            event,
            topic,
            version: version.unwrap_or_else(|| current(event)),
            who,
        }),
        Action::Append { event, store } => {
            if let Some(topic) = m
                .stores
                .iter()
                .find(|s| &s.name == store)
                .and_then(|s| s.publish_to.as_deref())
            {
                out.push(Producer {
                    event,
                    topic,
                    version: current(event),
                    who,
                });
            }
        }
        Action::Send { .. } | Action::Reply(_) => {}
    };
    for s in &m.sources {
        add(&s.emit, format!("source \"{}\"", s.name));
    }
    for s in &m.services {
        for h in &s.handlers {
            for a in h.actions() {
                add(a, format!("service \"{}\"", s.name));
            }
        }
    }
    for saga in &m.sagas {
        for a in saga.on_complete.iter().chain(&saga.on_abort) {
            add(a, format!("saga \"{}\"", saga.name));
        }
    }
    // Events a handler gives up on go to its dead-letter topic.
    for s in &m.services {
        for h in &s.handlers {
            if let (Trigger::Event { event, .. }, Some(dlq)) = (&h.on, &h.dead_letter) {
                out.push(Producer {
                    event,
                    topic: dlq,
                    version: current(event),
                    who: format!("the dead letters of service \"{}\"", s.name),
                });
            }
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
    let mut out = Vec::new();
    for s in &cx.model.services {
        for (i, h) in s.handlers.iter().enumerate() {
            if let Trigger::Event {
                event,
                topic,
                version,
                ..
            } = &h.on
            {
                out.push(Consumer {
                    path: format!("services[{}].handlers[{i}].on", s.name),
                    event,
                    topic,
                    version: *version,
                    kind: ElementKind::Service,
                    name: &s.name,
                    has_callback: h.callback.is_some(),
                });
            }
        }
    }
    for saga in &cx.model.sagas {
        if let Trigger::Event {
            event,
            topic,
            version,
            ..
        } = &saga.trigger
        {
            out.push(Consumer {
                path: format!("sagas[{}].trigger", saga.name),
                event,
                topic,
                version: *version,
                kind: ElementKind::Saga,
                name: &saga.name,
                // The orchestrator drives the saga from the event id alone.
                has_callback: true,
            });
        }
    }
    out
}

pub(super) fn check(cx: &mut Cx) {
    let producers = producers(cx);
    let produced: BTreeSet<(&str, &str)> = producers.iter().map(|p| (p.event, p.topic)).collect();
    for c in consumers(cx) {
        cx.on(c.kind, c.name);
        let Some(event) = cx.model.event(c.event) else {
            continue;
        };
        if cx.index.topic(c.topic).is_none() {
            continue;
        }
        if !produced.contains(&(c.event, c.topic)) {
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
        for p in producers
            .iter()
            .filter(|p| p.event == c.event && p.topic == c.topic)
        {
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
    for topic in &m.topics {
        for (group, members) in consumer_groups(cx, &topic.name) {
            let instances: u64 = members
                .iter()
                .filter_map(|s| m.service(s))
                .map(|s| u64::from(s.instances))
                .sum();
            if topic.partitions >= 1 && instances > u64::from(topic.partitions) {
                cx.on(ElementKind::Topic, &topic.name);
                cx.warning(
                    format!("topics[{}].partitions", topic.name),
                    format!(
                        "consumer group \"{group}\" has {instances} members but the topic has {} partitions: {} will sit idle",
                        topic.partitions,
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

/// Loops that every message takes: a handler that always (in `emit`, not in one of
/// several `outcomes`) sends on something that leads back to itself. Each item would
/// circulate for ever; with zero latency the run never advances.
pub(super) fn endless_loops(cx: &mut Cx) {
    use std::collections::BTreeMap;
    let m = cx.model;
    let store_topic = |store: &str| {
        m.stores
            .iter()
            .find(|s| s.name == store)
            .and_then(|s| s.publish_to.as_deref())
    };
    // Dest → the handlers consuming it: (path, service, where its `emit` always sends).
    let mut edges: BTreeMap<Dest, Vec<LoopHop>> = BTreeMap::new();
    for s in &m.services {
        for (i, h) in s.handlers.iter().enumerate() {
            let from = match &h.on {
                Trigger::Event { event, topic, .. } => Dest::Topic(event, topic),
                Trigger::Command(c) => Dest::Service(c, &s.name),
                Trigger::Query(_) => continue,
            };
            let to: Vec<Dest> = h
                .emit
                .iter()
                .filter_map(|a| match a {
                    Action::Publish { event, topic, .. } => Some(Dest::Topic(event, topic)),
                    Action::Send { command, to } => Some(Dest::Service(command, to)),
                    Action::Append { event, store } => {
                        store_topic(store).map(|t| Dest::Topic(event, t))
                    }
                    Action::Reply(_) => None,
                })
                .collect();
            edges.entry(from).or_default().push((
                format!("services[{}].handlers[{i}]", s.name),
                s.name.as_str(),
                to,
            ));
        }
    }
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
