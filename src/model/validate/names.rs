//! Names are ids: each must be non-empty and unique among its kind.

use std::collections::BTreeMap;

use super::Cx;
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
            let key = match &handler.on {
                Trigger::Event {
                    event,
                    topic,
                    group,
                    ..
                } => {
                    format!(
                        "{event} from {topic} in group {}",
                        group.as_deref().unwrap_or(&service.name)
                    )
                }
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
