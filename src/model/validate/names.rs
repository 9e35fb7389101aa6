//! Names are ids: each must be non-empty and unique among its kind.

use std::collections::BTreeMap;

use super::Cx;
use super::trigger_path;
use crate::model::{ElementKind, Trigger};

pub(super) fn check(cx: &mut Cx) {
    let m = cx.model;
    unique(
        cx,
        ElementKind::Event,
        "events",
        m.events.iter().map(|e| e.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Topic,
        "topics",
        m.topics.iter().map(|t| t.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Service,
        "services",
        m.services.iter().map(|s| s.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Saga,
        "sagas",
        m.sagas.iter().map(|s| s.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Store,
        "stores",
        m.stores.iter().map(|s| s.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Projection,
        "projections",
        m.projections.iter().map(|p| p.name.as_str()),
    );
    unique(
        cx,
        ElementKind::Source,
        "sources",
        m.sources.iter().map(|s| s.name.as_str()),
    );

    for saga in &m.sagas {
        cx.on(ElementKind::Saga, &saga.name);
        let mut seen = BTreeMap::new();
        for (i, step) in saga.steps.iter().enumerate() {
            if step.name.trim().is_empty() {
                cx.error(
                    format!("sagas[{}].steps[{i}].name", saga.name),
                    "step name is empty",
                );
            } else if let Some(first) = seen.insert(step.name.as_str(), i) {
                cx.error(
                    format!("sagas[{}].steps[{i}].name", saga.name),
                    format!(
                        "step name \"{}\" is already used by steps[{first}]",
                        step.name
                    ),
                )
                .hint("give each step its own name");
            }
        }
    }

    for service in &m.services {
        cx.on(ElementKind::Service, &service.name);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, handler) in service.handlers.iter().enumerate() {
            // Event consumers are checked per consumer group below.
            let key = match &handler.on {
                Trigger::Event { .. } => continue,
                other => other.describe(),
            };
            if let Some(first) = seen.insert(key.clone(), i) {
                cx.error(
                    format!("services[{}].handlers[{i}].on", service.name),
                    format!("a second handler for {key}; handlers[{first}] already handles it"),
                )
                .hint("merge the two handlers; use `outcomes` for alternative results");
            }
        }
    }
    cx.off();
    groups_have_one_owner(cx);
}

/// A consumer group belongs to one service, and within it one consumer (handler or
/// saga trigger) takes each event type.
fn groups_have_one_owner(cx: &mut Cx) {
    let flows = cx.flows;
    // (topic, group) → (owning service, path of the first consumer).
    let mut owners: BTreeMap<(&str, &str), (&str, String)> = BTreeMap::new();
    // (topic, group, event) → path of the consumer taking it.
    let mut takers: BTreeMap<(&str, &str, &str), String> = BTreeMap::new();
    let consumers = flows.subscriptions().map(|s| {
        let (kind, element) = s.receiver.element();
        let path = trigger_path(&s.receiver);
        (kind, element, s.service, path, s.topic, s.group, s.event)
    });
    for (kind, element, service, path, topic, group, event) in consumers {
        cx.on(kind, element);
        match owners.get(&(topic, group)) {
            Some((owner, first)) if *owner != service => {
                cx.error(
                    format!("{path}.group"),
                    format!("consumer group \"{group}\" on topic \"{topic}\" already belongs to service \"{owner}\" ({first})"),
                )
                .hint("a consumer group is one application's offsets; give this consumer its own group (leaving `group` out uses the service's name)");
                continue;
            }
            Some(_) => {}
            None => {
                owners.insert((topic, group), (service, path.clone()));
            }
        }
        if let Some(first) = takers.get(&(topic, group, event)) {
            if first != &path {
                cx.error(
                    path.clone(),
                    format!("\"{event}\" from \"{topic}\" in group \"{group}\" is already taken by {first}"),
                )
                .hint("one consumer per event type and group: merge them, or read in a separate group");
            }
        } else {
            takers.insert((topic, group, event), path);
        }
    }
    cx.off();
}

fn unique<'a>(cx: &mut Cx, kind: ElementKind, list: &str, names: impl Iterator<Item = &'a str>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in names.enumerate() {
        cx.on(kind, name);
        if name.trim().is_empty() {
            cx.error(
                format!("{list}[{i}].name"),
                format!("{} name is empty", kind.label()),
            )
            .hint("names are the ids other elements refer to; give it one");
        } else if name.trim() != name {
            cx.error(
                format!("{list}[{name}].name"),
                "name starts or ends with spaces",
            )
            .hint("remove the spaces: references must match the name exactly");
        } else if let Some(first) = seen.insert(name, i) {
            cx.error(
                format!("{list}[{i}].name"),
                format!(
                    "duplicate {} name \"{name}\" (also {list}[{first}])",
                    kind.label()
                ),
            )
            .hint("names are ids and must be unique; rename one of them");
        }
    }
    cx.off();
}
