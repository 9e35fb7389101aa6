//! References: every name used must name an element of the right kind, and every
//! command sent must be handled by the service it is sent to.

use super::{Cx, quoted_list};
use crate::model::suggest::closest;
use crate::model::{Action, Assertion, ElementKind, FaultKind, Handler, Trigger};

pub(super) fn check(cx: &mut Cx) {
    let m = cx.model;
    compensates(cx);
    for s in &m.services {
        cx.on(ElementKind::Service, &s.name);
        for (i, h) in s.handlers.iter().enumerate() {
            handler(cx, &format!("services[{}].handlers[{i}]", s.name), h);
        }
    }
    for st in &m.stores {
        cx.on(ElementKind::Store, &st.name);
        if st.aggregate.trim().is_empty() {
            cx.error(
                format!("stores[{}].aggregate", st.name),
                "the aggregate is not named",
            )
            .hint("name the entity whose history the store keeps, e.g. \"Order\"");
        }
        if let Some(topic) = &st.publish_to {
            topic_ref(cx, &format!("stores[{}].publish_to", st.name), topic);
        }
    }
    for p in &m.projections {
        cx.on(ElementKind::Projection, &p.name);
        store_ref(cx, &format!("projections[{}].store", p.name), &p.store);
    }
    for s in &m.sources {
        cx.on(ElementKind::Source, &s.name);
        let path = format!("sources[{}].emit", s.name);
        match &s.emit {
            Action::Publish { .. } | Action::Send { .. } => action(cx, &path, &s.emit, false),
            _ => {
                cx.error(
                    path,
                    "a source can only `Publish` an event or `Send` a command",
                )
                .hint("e.g. `emit: Publish(event: \"OrderPlaced\", topic: \"orders\")`");
            }
        }
    }
    cx.off();
    for (i, f) in m.faults.iter().enumerate() {
        let path = format!("faults[{i}].kind");
        match &f.kind {
            FaultKind::Crash { service } | FaultKind::SlowDown { service, .. } => {
                service_ref(cx, &format!("{path}.service"), service);
            }
            FaultKind::BrokerOutage => {}
            FaultKind::PartitionOutage { topic, partition } => {
                if topic_ref(cx, &format!("{path}.topic"), topic)
                    && let (Some(p), Some(t)) = (partition, m.topic(topic))
                    && *p >= t.partitions
                {
                    cx.error(
                        format!("{path}.partition"),
                        format!(
                            "topic \"{topic}\" has partitions 0 to {}, not {p}",
                            t.partitions.saturating_sub(1)
                        ),
                    )
                    .hint(
                        "partitions are numbered from 0; leave `partition` out for the whole topic",
                    );
                }
            }
            FaultKind::Duplicate { topic, .. }
            | FaultKind::Reorder { topic, .. }
            | FaultKind::Delay { topic, .. }
            | FaultKind::Poison { topic, .. } => {
                topic_ref(cx, &format!("{path}.topic"), topic);
            }
        }
    }
    for (i, a) in m.assertions.iter().enumerate() {
        let path = format!("assertions[{i}]");
        match a {
            Assertion::Latency { source, .. } => {
                if cx.index.source(source).is_none() {
                    unknown(
                        cx,
                        &format!("{path}.source"),
                        "source",
                        source,
                        m.sources.iter().map(|s| s.name.as_str()),
                    );
                }
            }
            Assertion::MaxLag { topic, group, .. } => {
                if topic_ref(cx, &format!("{path}.topic"), topic)
                    && let Some(group) = group
                {
                    let groups = cx.flows.consumer_groups(topic);
                    if !groups.contains_key(group.as_str()) {
                        let known = quoted_list(groups.keys().copied());
                        cx.error(
                            format!("{path}.group"),
                            format!("no consumer group \"{group}\" reads topic \"{topic}\""),
                        )
                        .hint(if known.is_empty() {
                            "nothing consumes this topic".to_owned()
                        } else {
                            format!("its groups are {known}")
                        });
                    }
                }
            }
            Assertion::MaxUtilisation { service, .. } | Assertion::MaxQueue { service, .. } => {
                service_ref(cx, &format!("{path}.service"), service);
            }
            Assertion::NoUnfinishedSagas
            | Assertion::NoDeadLetters
            | Assertion::NoLostMessages
            | Assertion::NoOrphanedEffects => {}
        }
    }
}

/// An event's `compensates` names another event of the registry.
fn compensates(cx: &mut Cx) {
    for e in &cx.model.events {
        if let Some(undone) = &e.compensates {
            cx.on(ElementKind::Event, &e.name);
            let path = format!("events[{}].compensates", e.name);
            if undone == &e.name {
                cx.error(path, "an event cannot compensate itself")
                    .hint("name the event whose effect this one undoes, e.g. `compensates: \"PaymentCompleted\"`");
            } else {
                event_ref(cx, &path, undone);
            }
        }
    }
}

fn handler(cx: &mut Cx, path: &str, h: &Handler) {
    let answers_requests = match &h.on {
        Trigger::Event {
            event,
            topic,
            version,
            ..
        } => {
            subscription(cx, &format!("{path}.on"), event, topic, *version);
            false
        }
        Trigger::Command(name) | Trigger::Query(name) => {
            if name.trim().is_empty() {
                cx.error(format!("{path}.on"), "the command or query has no name");
            }
            true
        }
    };
    if let Some(cb) = &h.callback
        && service_ref(cx, &format!("{path}.callback.service"), &cb.service)
        && let Some(id) = cx.index.service(&cb.service)
        && !cx.index.answers_query(id, &cb.query)
    {
        cx.error(
            format!("{path}.callback.query"),
            format!(
                "service \"{}\" does not answer the query \"{}\"",
                cb.service, cb.query
            ),
        )
        .hint(format!(
            "add `Handler(on: Query(\"{}\"), …)` to service \"{}\"",
            cb.query, cb.service
        ));
    }
    for (i, a) in h.emit.iter().enumerate() {
        action(cx, &format!("{path}.emit[{i}]"), a, answers_requests);
    }
    for (i, o) in h.outcomes.iter().enumerate() {
        for (j, a) in o.emit.iter().enumerate() {
            action(
                cx,
                &format!("{path}.outcomes[{i}].emit[{j}]"),
                a,
                answers_requests,
            );
        }
    }
    if let Some(dlq) = &h.dead_letter {
        topic_ref(cx, &format!("{path}.dead_letter"), dlq);
    }
}

/// A consumer (handler or saga trigger) of `event` on `topic`.
pub(super) fn subscription(
    cx: &mut Cx,
    path: &str,
    event: &str,
    topic: &str,
    version: Option<u32>,
) {
    if event_ref(cx, &format!("{path}.event"), event) {
        version_ref(cx, &format!("{path}.version"), event, version);
    }
    topic_ref(cx, &format!("{path}.topic"), topic);
}

/// An action of a handler, saga or source. `may_reply`: whether it runs in answer to a
/// command or query, the only place a `Reply` has someone to go to.
pub(super) fn action(cx: &mut Cx, path: &str, a: &Action, may_reply: bool) {
    match a {
        Action::Publish {
            event,
            topic,
            version,
        } => {
            if event_ref(cx, &format!("{path}.event"), event) {
                version_ref(cx, &format!("{path}.version"), event, *version);
            }
            topic_ref(cx, &format!("{path}.topic"), topic);
        }
        Action::Send { command, to } => {
            command_ref(cx, path, command, to);
        }
        Action::Reply(name) => {
            if !may_reply {
                cx.error(
                    path.to_owned(),
                    format!("reply \"{name}\" has no one to go to"),
                )
                .hint(
                    "only handlers of a `Command` or `Query` can reply; publish an event instead",
                );
            } else if name.trim().is_empty() {
                cx.error(path.to_owned(), "the reply has no name");
            }
        }
        Action::Append { event, store } => {
            event_ref(cx, &format!("{path}.event"), event);
            store_ref(cx, &format!("{path}.store"), store);
        }
    }
}

/// `command` sent to `service`: the service exists and has a handler for it.
/// `path` is the path of the sending field; unknown commands say so.
pub(super) fn command_ref(cx: &mut Cx, path: &str, command: &str, service: &str) -> bool {
    let Some(id) = cx.index.service(service) else {
        return service_ref(cx, &format!("{path}.to"), service);
    };
    if cx.index.handles_command(id, command) {
        return true;
    }
    let handled_by = cx.index.commands.get(command).cloned().unwrap_or_default();
    if handled_by.is_empty() {
        let hint = match closest(command, cx.index.commands.keys().map(String::as_str)) {
            Some(known) => format!("did you mean \"{known}\"?"),
            None => format!(
                "no service handles it; add `Handler(on: Command(\"{command}\"), …)` to service \"{service}\""
            ),
        };
        cx.error(path.to_owned(), format!("unknown command \"{command}\""))
            .hint(hint);
    } else {
        let names = quoted_list(
            handled_by
                .iter()
                .map(|id| cx.model.services[id.index()].name.as_str()),
        );
        cx.error(
            path.to_owned(),
            format!("service \"{service}\" does not handle command \"{command}\""),
        )
        .hint(format!("it is handled by {names}"));
    }
    false
}

fn version_ref(cx: &mut Cx, path: &str, event: &str, version: Option<u32>) {
    let Some(v) = version else { return };
    let Some(e) = cx
        .index
        .event(event)
        .and_then(|id| cx.model.events.get(id.index()))
    else {
        return;
    };
    if v == 0 || v > e.version {
        cx.error(
            path.to_owned(),
            format!("event \"{event}\" has versions 1 to {}, not {v}", e.version),
        )
        .hint("raise the event's `version` in `events` when its schema changes");
    }
}

pub(super) fn service_ref(cx: &mut Cx, path: &str, name: &str) -> bool {
    cx.index.service(name).is_some()
        || unknown(
            cx,
            path,
            "service",
            name,
            cx.model.services.iter().map(|s| s.name.as_str()),
        )
}

pub(super) fn topic_ref(cx: &mut Cx, path: &str, name: &str) -> bool {
    cx.index.topic(name).is_some()
        || unknown(
            cx,
            path,
            "topic",
            name,
            cx.model.topics.iter().map(|t| t.name.as_str()),
        )
}

pub(super) fn event_ref(cx: &mut Cx, path: &str, name: &str) -> bool {
    cx.index.event(name).is_some()
        || unknown(
            cx,
            path,
            "event",
            name,
            cx.model.events.iter().map(|e| e.name.as_str()),
        )
}

fn store_ref(cx: &mut Cx, path: &str, name: &str) -> bool {
    cx.index.store(name).is_some()
        || unknown(
            cx,
            path,
            "event store",
            name,
            cx.model.stores.iter().map(|s| s.name.as_str()),
        )
}

/// Report an unknown name, suggesting the closest known one. Always `false`.
fn unknown<'a>(
    cx: &mut Cx,
    path: &str,
    kind: &str,
    name: &str,
    known: impl Iterator<Item = &'a str>,
) -> bool {
    let known: Vec<&str> = known.collect();
    let hint = match closest(name, known.iter().copied()) {
        Some(k) => format!("did you mean \"{k}\"?"),
        None if known.is_empty() => format!("the model has no {kind} yet; add one"),
        None => format!("known: {}", quoted_list(known.iter().copied())),
    };
    cx.error(path.to_owned(), format!("unknown {kind} \"{name}\""))
        .hint(hint);
    false
}
