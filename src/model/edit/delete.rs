//! Deleting an element: the arrows go, the other boxes stay.

use std::collections::BTreeSet;

use crate::model::{
    Action, Assertion, ElementKind, ElementRef, FaultKind, Handler, Model, Saga, Trigger,
};

/// Why an element cannot be deleted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeleteError {
    /// The element is not in the model.
    #[error("there is no {0}")]
    NotFound(ElementRef),
}

/// Delete an element and every reference to it ("the arrows go, the other boxes
/// stay").
///
/// List items that reference it are removed: handlers triggered by a deleted topic or
/// event, actions publishing to / sending to / appending to it or emitting a deleted
/// event, saga steps on a deleted service, faults and assertions naming it (and lag
/// assertions on a consumer group that no longer exists). Optional references become
/// `None` (`callback`, `dead_letter`, `publish_to`). Required scalar references on
/// surviving elements are left dangling so validation reports them: a projection's
/// `store`, a saga's `orchestrator` and `trigger`, a source's `emit`. Deleting a saga
/// started by a command also removes the sends of that command to its orchestrator,
/// unless the orchestrator still takes it.
///
/// Returns one line per consequence, in words: what else was removed, then what was
/// left dangling for the user to reconnect.
pub fn delete(model: &mut Model, element: &ElementRef) -> Result<Vec<String>, DeleteError> {
    if !model.contains(element) {
        return Err(DeleteError::NotFound(element.clone()));
    }
    let groups_before = consumer_groups(model);
    let used_before = used_names(model);
    let mut cx = Cx {
        notes: Vec::new(),
        dangling: Vec::new(),
    };
    let name = element.name.as_str();
    match element.kind {
        ElementKind::Service => delete_service(model, name, &mut cx),
        ElementKind::Topic => delete_topic(model, name, &mut cx),
        ElementKind::Event => delete_event(model, name, &mut cx),
        ElementKind::Saga => delete_saga(model, name, &mut cx),
        ElementKind::Store => {
            model.stores.retain(|s| s.name != name);
            cx.retain_actions(
                model,
                |a| matches!(a, Action::Append { store, .. } if store == name),
            );
            for p in model.projections.iter().filter(|p| p.store == name) {
                cx.dangling.push(format!(
                    "projection {} still follows the deleted event store {name}: connect a store to it",
                    p.name
                ));
            }
        }
        ElementKind::Projection => model.projections.retain(|p| p.name != name),
        ElementKind::Source => {
            model.sources.retain(|s| s.name != name);
            cx.retain_assertions(
                model,
                |a| matches!(a, Assertion::Latency { source, .. } if source == name),
            );
        }
    }
    // A lag bound on a consumer group that no longer reads the topic.
    let groups_after = consumer_groups(model);
    cx.retain_assertions(model, |a| match a {
        Assertion::MaxLag {
            topic,
            group: Some(group),
            ..
        } => {
            let key = (topic.clone(), group.clone());
            groups_before.contains(&key) && !groups_after.contains(&key)
        }
        _ => false,
    });
    // Event types the editor made up while connecting, used by nothing any more.
    let used_after = used_names(model);
    let orphans: Vec<String> = model
        .events
        .iter()
        .filter(|e| e.placeholder)
        .filter(|e| used_before.contains(&e.name) && !used_after.contains(&e.name))
        .map(|e| e.name.clone())
        .collect();
    for name in orphans {
        model.events.retain(|e| e.name != name);
        cx.notes.push(format!(
            "the event type {name}, made up when connecting and used by nothing else now"
        ));
    }
    let mut lines = cx.notes;
    lines.extend(cx.dangling);
    Ok(lines)
}

/// Every name a message could go by that something in the model uses: published,
/// appended, sent, replied, consumed, handled, starting a saga, a saga step's
/// command, replies and compensation, an event's `compensates`.
fn used_names(model: &Model) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for a in super::actions(model) {
        used.insert(match a {
            Action::Publish { event, .. } | Action::Append { event, .. } => event.clone(),
            Action::Send { command, .. } => command.clone(),
            Action::Reply(name) => name.clone(),
        });
    }
    let triggers = model
        .services
        .iter()
        .flat_map(|s| s.handlers.iter().map(|h| &h.on))
        .chain(model.sagas.iter().map(|s| &s.trigger));
    for t in triggers {
        used.insert(match t {
            Trigger::Event { event, .. } => event.clone(),
            Trigger::Command(name) | Trigger::Query(name) => name.clone(),
        });
    }
    for step in model.sagas.iter().flat_map(|s| &s.steps) {
        used.insert(step.command.clone());
        used.extend(
            [&step.success, &step.failure, &step.compensate]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    used.extend(model.events.iter().filter_map(|e| e.compensates.clone()));
    used
}

/// The user edited the model (`before` → `after`, e.g. in the inspector): event
/// types they changed are theirs now, no longer placeholders that a delete removes.
pub fn keep_edited_placeholders(before: &Model, after: &mut Model) {
    for e in after.events.iter_mut().filter(|e| e.placeholder) {
        let unchanged = before.event(&e.name).is_some_and(|b| {
            let mut b = b.clone();
            b.placeholder = true;
            b == *e
        });
        if !unchanged {
            e.placeholder = false;
        }
    }
}

/// What a deletion did besides removing the element.
struct Cx {
    notes: Vec<String>,
    dangling: Vec<String>,
}

/// An action in words: "publish OrderPlaced to orders".
fn describe(a: &Action) -> String {
    match a {
        Action::Publish { event, topic, .. } => format!("publish {event} to {topic}"),
        Action::Send { command, to } => format!("send {command} to {to}"),
        Action::Reply(name) => format!("reply {name}"),
        Action::Append { event, store } => format!("append {event} to {store}"),
    }
}

impl Cx {
    /// Remove the handlers `drop` picks, saying which.
    fn retain_handlers(&mut self, model: &mut Model, drop: impl Fn(&Handler) -> bool) {
        for s in &mut model.services {
            s.handlers.retain(|h| {
                let gone = drop(h);
                if gone {
                    self.notes.push(format!(
                        "removed handler of {} on {}",
                        s.name,
                        h.on.describe()
                    ));
                }
                !gone
            });
        }
    }

    /// Remove the actions `drop` picks from handlers and sagas; note sources whose
    /// one action it picks (they are left dangling).
    fn retain_actions(&mut self, model: &mut Model, drop: impl Fn(&Action) -> bool) {
        let mut keep = |a: &Action, whose: &str| {
            let gone = drop(a);
            if gone {
                self.notes
                    .push(format!("removed \"{}\" from {whose}", describe(a)));
            }
            !gone
        };
        for s in &mut model.services {
            for h in &mut s.handlers {
                let whose = format!("handler of {} on {}", s.name, h.on.describe());
                h.emit.retain(|a| keep(a, &whose));
                for o in &mut h.outcomes {
                    o.emit.retain(|a| keep(a, &whose));
                }
            }
        }
        for saga in &mut model.sagas {
            let whose = format!("saga {} on completion", saga.name);
            saga.on_complete.retain(|a| keep(a, &whose));
            let whose = format!("saga {} on abort", saga.name);
            saga.on_abort.retain(|a| keep(a, &whose));
        }
        for s in model.sources.iter().filter(|s| drop(&s.emit)) {
            self.dangling.push(format!(
                "source {} can no longer {}: connect it to a topic or service",
                s.name,
                describe(&s.emit)
            ));
        }
    }

    fn retain_assertions(&mut self, model: &mut Model, drop: impl Fn(&Assertion) -> bool) {
        model.assertions.retain(|a| {
            let gone = drop(a);
            if gone {
                self.notes
                    .push(format!("removed assertion: {}", a.describe()));
            }
            !gone
        });
    }

    fn retain_faults(&mut self, model: &mut Model, drop: impl Fn(&FaultKind) -> bool) {
        model.faults.retain(|f| {
            let gone = drop(&f.kind);
            if gone {
                self.notes.push(format!("removed fault: {}", f.describe()));
            }
            !gone
        });
    }

    /// Sagas started by an event the deletion takes away.
    fn note_triggers(&mut self, model: &Model, hit: impl Fn(&str, &str) -> bool, what: &str) {
        for saga in &model.sagas {
            if let Trigger::Event { event, topic, .. } = &saga.trigger
                && hit(event, topic)
            {
                self.dangling.push(format!(
                    "saga {} is still started by {event} from {topic}, but {what} is gone: connect a topic to it",
                    saga.name
                ));
            }
        }
    }
}

fn delete_service(model: &mut Model, name: &str, cx: &mut Cx) {
    model.services.retain(|s| s.name != name);
    cx.retain_actions(
        model,
        |a| matches!(a, Action::Send { to, .. } if to == name),
    );
    for s in &mut model.services {
        for h in &mut s.handlers {
            if h.callback.as_ref().is_some_and(|cb| cb.service == name) {
                h.callback = None;
                cx.notes.push(format!(
                    "removed the callback to {name} of {}'s handler on {}",
                    s.name,
                    h.on.describe()
                ));
            }
        }
    }
    for saga in &mut model.sagas {
        saga.steps.retain(|st| {
            let gone = st.service == name;
            if gone {
                cx.notes
                    .push(format!("removed step {} of saga {}", st.name, saga.name));
            }
            !gone
        });
        if saga.orchestrator == name {
            cx.dangling.push(format!(
                "saga {} is still run by the deleted service {name}: connect a service to it",
                saga.name
            ));
        }
    }
    cx.retain_faults(model, |k| {
        matches!(k, FaultKind::Crash { service } | FaultKind::SlowDown { service, .. } if service == name)
    });
    cx.retain_assertions(model, |a| {
        matches!(a, Assertion::MaxUtilisation { service, .. } | Assertion::MaxQueue { service, .. } if service == name)
    });
}

fn delete_topic(model: &mut Model, name: &str, cx: &mut Cx) {
    model.topics.retain(|t| t.name != name);
    cx.retain_handlers(
        model,
        |h| matches!(&h.on, Trigger::Event { topic, .. } if topic == name),
    );
    cx.retain_actions(
        model,
        |a| matches!(a, Action::Publish { topic, .. } if topic == name),
    );
    for s in &mut model.services {
        for h in &mut s.handlers {
            if h.dead_letter.as_deref() == Some(name) {
                h.dead_letter = None;
                cx.notes.push(format!(
                    "{}'s handler on {} no longer dead-letters to {name}",
                    s.name,
                    h.on.describe()
                ));
            }
        }
    }
    for st in &mut model.stores {
        if st.publish_to.as_deref() == Some(name) {
            st.publish_to = None;
            cx.notes.push(format!(
                "event store {} no longer publishes to {name}",
                st.name
            ));
        }
    }
    cx.note_triggers(model, |_, t| t == name, &format!("topic {name}"));
    cx.retain_faults(model, |k| match k {
        FaultKind::PartitionOutage { topic, .. }
        | FaultKind::Duplicate { topic, .. }
        | FaultKind::Reorder { topic, .. }
        | FaultKind::Delay { topic, .. }
        | FaultKind::Poison { topic, .. } => topic == name,
        FaultKind::Crash { .. } | FaultKind::SlowDown { .. } | FaultKind::BrokerOutage => false,
    });
    cx.retain_assertions(
        model,
        |a| matches!(a, Assertion::MaxLag { topic, .. } if topic == name),
    );
}

fn delete_event(model: &mut Model, name: &str, cx: &mut Cx) {
    model.events.retain(|e| e.name != name);
    // A compensation of the deleted event no longer undoes anything.
    for e in &mut model.events {
        if e.compensates.as_deref() == Some(name) {
            e.compensates = None;
        }
    }
    cx.retain_handlers(
        model,
        |h| matches!(&h.on, Trigger::Event { event, .. } if event == name),
    );
    cx.retain_actions(model, |a| match a {
        Action::Publish { event, .. } | Action::Append { event, .. } => event == name,
        Action::Send { .. } | Action::Reply(_) => false,
    });
    cx.note_triggers(model, |e, _| e == name, &format!("event type {name}"));
}

fn delete_saga(model: &mut Model, name: &str, cx: &mut Cx) {
    let (gone, kept): (Vec<Saga>, Vec<Saga>) = std::mem::take(&mut model.sagas)
        .into_iter()
        .partition(|s| s.name == name);
    model.sagas = kept;
    for saga in gone {
        let Trigger::Command(start) = &saga.trigger else {
            continue;
        };
        let orch = saga.orchestrator.as_str();
        if !model.flows().handles(orch, start) {
            cx.retain_actions(
                model,
                |a| matches!(a, Action::Send { command, to } if command == start && to == orch),
            );
        }
    }
}

/// Every (topic, consumer group) that reads something.
fn consumer_groups(model: &Model) -> BTreeSet<(String, String)> {
    model
        .flows()
        .groups()
        .into_iter()
        .map(|(topic, group)| (topic.to_owned(), group.to_owned()))
        .collect()
}
