//! Renaming: names are the ids, so every reference to the old name must follow.

use super::{for_each_action, for_each_trigger};
use crate::model::{Action, Assertion, ElementKind, ElementRef, FaultKind, Model, Trigger};

/// Why an element cannot be renamed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    /// The element is not in the model.
    #[error("there is no {0}")]
    NotFound(ElementRef),
    /// The new name is empty or has leading or trailing spaces.
    #[error("a name cannot be empty or start or end with spaces")]
    BadName,
    /// Another element of the same kind already has the new name.
    #[error("another {} is already called \"{}\"", .0.kind.label(), .0.name)]
    Taken(ElementRef),
}

/// Rename an element; every reference to it follows.
pub fn rename(model: &mut Model, element: &ElementRef, to: &str) -> Result<(), RenameError> {
    if to.is_empty() || to.trim() != to {
        return Err(RenameError::BadName);
    }
    let from = element.name.as_str();
    if from == to {
        return model
            .contains(element)
            .then_some(())
            .ok_or_else(|| RenameError::NotFound(element.clone()));
    }
    if !model.contains(element) {
        return Err(RenameError::NotFound(element.clone()));
    }
    let target = ElementRef::new(element.kind, to);
    if model.contains(&target) {
        return Err(RenameError::Taken(target));
    }
    let set = |s: &mut String| {
        if s == from {
            *s = to.to_owned();
        }
    };
    match element.kind {
        ElementKind::Service => rename_service(model, from, to),
        ElementKind::Topic => rename_topic(model, from, to),
        ElementKind::Event => rename_event(model, from, to),
        ElementKind::Saga => model.sagas.iter_mut().for_each(|s| set(&mut s.name)),
        ElementKind::Store => {
            model.stores.iter_mut().for_each(|s| set(&mut s.name));
            model.projections.iter_mut().for_each(|p| set(&mut p.store));
            for_each_action(model, |a| {
                if let Action::Append { store, .. } = a {
                    set(store);
                }
            });
        }
        ElementKind::Projection => model.projections.iter_mut().for_each(|p| set(&mut p.name)),
        ElementKind::Source => {
            model.sources.iter_mut().for_each(|s| set(&mut s.name));
            for a in &mut model.assertions {
                if let Assertion::Latency { source, .. } = a {
                    set(source);
                }
            }
        }
    }
    Ok(())
}

fn rename_service(model: &mut Model, from: &str, to: &str) {
    let set = |s: &mut String| {
        if s == from {
            *s = to.to_owned();
        }
    };
    // Groups that default to the service's name follow it; an assertion naming that
    // group follows too.
    let default_group_topics: Vec<String> = model
        .flows()
        .subscriptions()
        .filter(|s| s.service == from && s.default_group)
        .map(|s| s.topic.to_owned())
        .collect();
    model.services.iter_mut().for_each(|s| set(&mut s.name));
    for s in &mut model.services {
        for h in &mut s.handlers {
            if let Some(cb) = &mut h.callback {
                set(&mut cb.service);
            }
        }
    }
    for_each_action(model, |a| {
        if let Action::Send { to: target, .. } = a {
            set(target);
        }
    });
    for saga in &mut model.sagas {
        set(&mut saga.orchestrator);
        saga.steps.iter_mut().for_each(|st| set(&mut st.service));
    }
    for f in &mut model.faults {
        if let FaultKind::Crash { service } | FaultKind::SlowDown { service, .. } = &mut f.kind {
            set(service);
        }
    }
    for a in &mut model.assertions {
        match a {
            Assertion::MaxUtilisation { service, .. } | Assertion::MaxQueue { service, .. } => {
                set(service);
            }
            Assertion::MaxLag {
                topic,
                group: Some(group),
                ..
            } if default_group_topics.contains(topic) => set(group),
            _ => {}
        }
    }
}

fn rename_topic(model: &mut Model, from: &str, to: &str) {
    let set = |s: &mut String| {
        if s == from {
            *s = to.to_owned();
        }
    };
    model.topics.iter_mut().for_each(|t| set(&mut t.name));
    for_each_trigger(model, |t| {
        if let Trigger::Event { topic, .. } = t {
            set(topic);
        }
    });
    for_each_action(model, |a| {
        if let Action::Publish { topic, .. } = a {
            set(topic);
        }
    });
    for s in &mut model.services {
        for h in &mut s.handlers {
            if let Some(dlq) = &mut h.dead_letter {
                set(dlq);
            }
        }
    }
    for st in &mut model.stores {
        if let Some(t) = &mut st.publish_to {
            set(t);
        }
    }
    for f in &mut model.faults {
        match &mut f.kind {
            FaultKind::PartitionOutage { topic, .. }
            | FaultKind::Duplicate { topic, .. }
            | FaultKind::Reorder { topic, .. }
            | FaultKind::Delay { topic, .. }
            | FaultKind::Poison { topic, .. } => set(topic),
            FaultKind::Crash { .. } | FaultKind::SlowDown { .. } | FaultKind::BrokerOutage => {}
        }
    }
    for a in &mut model.assertions {
        if let Assertion::MaxLag { topic, .. } = a {
            set(topic);
        }
    }
}

fn rename_event(model: &mut Model, from: &str, to: &str) {
    let set = |s: &mut String| {
        if s == from {
            *s = to.to_owned();
        }
    };
    for e in &mut model.events {
        if e.name == from {
            // Named by the user: no longer a placeholder.
            e.placeholder = false;
        }
        set(&mut e.name);
        if let Some(undone) = &mut e.compensates {
            set(undone);
        }
    }
    for_each_trigger(model, |t| {
        if let Trigger::Event { event, .. } = t {
            set(event);
        }
    });
    for_each_action(model, |a| match a {
        Action::Publish { event, .. } | Action::Append { event, .. } => set(event),
        Action::Send { .. } | Action::Reply(_) => {}
    });
}
