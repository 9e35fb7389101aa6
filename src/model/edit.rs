//! Edits to a document that keep it consistent, and the undo history.
//!
//! Renaming is the delicate edit: names are the ids, so every reference to the old
//! name must follow. [`rename`] knows every place a name of each kind can appear.
//! [`History`] keeps snapshots of the document before each edit (models are small),
//! which makes undo exact for any edit.

use super::{Action, Assertion, ElementKind, ElementRef, FaultKind, Model, Trigger};

/// Why an element cannot be renamed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("there is no {0}")]
    NotFound(ElementRef),
    #[error("a name cannot be empty or start or end with spaces")]
    BadName,
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
        return exists(model, element)
            .then_some(())
            .ok_or_else(|| RenameError::NotFound(element.clone()));
    }
    if !exists(model, element) {
        return Err(RenameError::NotFound(element.clone()));
    }
    let target = ElementRef::new(element.kind, to);
    if exists(model, &target) {
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

fn exists(model: &Model, e: &ElementRef) -> bool {
    let n = e.name.as_str();
    match e.kind {
        ElementKind::Service => model.services.iter().any(|x| x.name == n),
        ElementKind::Topic => model.topics.iter().any(|x| x.name == n),
        ElementKind::Event => model.events.iter().any(|x| x.name == n),
        ElementKind::Saga => model.sagas.iter().any(|x| x.name == n),
        ElementKind::Store => model.stores.iter().any(|x| x.name == n),
        ElementKind::Projection => model.projections.iter().any(|x| x.name == n),
        ElementKind::Source => model.sources.iter().any(|x| x.name == n),
    }
}

/// Every action in the model: handlers' emits and outcomes, sagas' completions and
/// aborts, sources.
fn for_each_action(model: &mut Model, mut f: impl FnMut(&mut Action)) {
    for s in &mut model.services {
        for h in &mut s.handlers {
            h.emit.iter_mut().for_each(&mut f);
            h.outcomes
                .iter_mut()
                .flat_map(|o| o.emit.iter_mut())
                .for_each(&mut f);
        }
    }
    for s in &mut model.sagas {
        s.on_complete
            .iter_mut()
            .chain(s.on_abort.iter_mut())
            .for_each(&mut f);
    }
    model.sources.iter_mut().for_each(|s| f(&mut s.emit));
}

/// Every trigger: handlers' and sagas'.
fn for_each_trigger(model: &mut Model, mut f: impl FnMut(&mut Trigger)) {
    for s in &mut model.services {
        s.handlers.iter_mut().for_each(|h| f(&mut h.on));
    }
    model.sagas.iter_mut().for_each(|s| f(&mut s.trigger));
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
        .services
        .iter()
        .filter(|s| s.name == from)
        .flat_map(|s| &s.handlers)
        .filter_map(|h| match &h.on {
            Trigger::Event {
                topic, group: None, ..
            } => Some(topic.clone()),
            _ => None,
        })
        .chain(
            model
                .sagas
                .iter()
                .filter(|s| s.orchestrator == from)
                .filter_map(|s| match &s.trigger {
                    Trigger::Event {
                        topic, group: None, ..
                    } => Some(topic.clone()),
                    _ => None,
                }),
        )
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
                set(service)
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
    model.events.iter_mut().for_each(|e| set(&mut e.name));
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

/// Undo and redo by snapshots of the document.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Model>,
    redo: Vec<Model>,
}

impl History {
    /// Most undo steps kept.
    pub const LIMIT: usize = 500;

    /// Remember the document as it was before an edit; the redo list is dropped.
    pub fn record(&mut self, before: &Model) {
        if self.undo.len() == Self::LIMIT {
            self.undo.remove(0);
        }
        self.undo.push(before.clone());
        self.redo.clear();
    }

    /// Go back one edit. Returns whether there was one.
    pub fn undo(&mut self, current: &mut Model) -> bool {
        match self.undo.pop() {
            Some(before) => {
                self.redo.push(std::mem::replace(current, before));
                true
            }
            None => false,
        }
    }

    /// Redo the edit last undone. Returns whether there was one.
    pub fn redo(&mut self, current: &mut Model) -> bool {
        match self.redo.pop() {
            Some(after) => {
                self.undo.push(std::mem::replace(current, after));
                true
            }
            None => false,
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::ALL;
    use crate::model::validate;
    use proptest::prelude::*;

    /// Every named element of a model.
    fn elements(m: &Model) -> Vec<ElementRef> {
        let mut out = Vec::new();
        let mut add = |kind, names: Vec<&String>| {
            out.extend(names.into_iter().map(|n| ElementRef::new(kind, n.clone())));
        };
        add(
            ElementKind::Service,
            m.services.iter().map(|x| &x.name).collect(),
        );
        add(
            ElementKind::Topic,
            m.topics.iter().map(|x| &x.name).collect(),
        );
        add(
            ElementKind::Event,
            m.events.iter().map(|x| &x.name).collect(),
        );
        add(ElementKind::Saga, m.sagas.iter().map(|x| &x.name).collect());
        add(
            ElementKind::Store,
            m.stores.iter().map(|x| &x.name).collect(),
        );
        add(
            ElementKind::Projection,
            m.projections.iter().map(|x| &x.name).collect(),
        );
        add(
            ElementKind::Source,
            m.sources.iter().map(|x| &x.name).collect(),
        );
        out
    }

    #[test]
    fn renaming_any_element_of_any_example_keeps_it_clean_and_is_reversible() {
        for e in ALL {
            let original = e.model().unwrap();
            for el in elements(&original) {
                let mut m = original.clone();
                rename(&mut m, &el, "renamed-x").unwrap();
                assert_eq!(
                    validate(&m),
                    vec![],
                    "{}: renaming {el} broke a reference",
                    e.name
                );
                assert_ne!(m, original);
                rename(&mut m, &ElementRef::new(el.kind, "renamed-x"), &el.name).unwrap();
                assert_eq!(m, original, "{}: renaming {el} back", e.name);
            }
        }
    }

    #[test]
    fn consumers_follow_a_renamed_topic() {
        let mut m = crate::examples::DEFAULT.model().unwrap();
        rename(
            &mut m,
            &ElementRef::new(ElementKind::Topic, "orders"),
            "order-events",
        )
        .unwrap();
        assert!(
            matches!(&m.sagas[0].trigger, Trigger::Event { topic, .. } if topic == "order-events")
        );
        assert!(
            matches!(&m.sources[0].emit, Action::Publish { topic, .. } if topic == "order-events")
        );
    }

    #[test]
    fn refused_renames_say_why_and_change_nothing() {
        let original = crate::examples::DEFAULT.model().unwrap();
        let mut m = original.clone();
        let payment = ElementRef::new(ElementKind::Service, "payment");
        assert_eq!(
            rename(&mut m, &payment, "shipping"),
            Err(RenameError::Taken(ElementRef::new(
                ElementKind::Service,
                "shipping"
            )))
        );
        assert_eq!(
            rename(&mut m, &payment, " padded"),
            Err(RenameError::BadName)
        );
        assert_eq!(rename(&mut m, &payment, ""), Err(RenameError::BadName));
        let ghost = ElementRef::new(ElementKind::Service, "ghost");
        assert_eq!(
            rename(&mut m, &ghost, "spirit"),
            Err(RenameError::NotFound(ghost))
        );
        // A topic may share a service's name: names are unique per kind.
        rename(
            &mut m,
            &ElementRef::new(ElementKind::Topic, "orders"),
            "payment",
        )
        .unwrap();
        let mut back = m.clone();
        rename(
            &mut back,
            &ElementRef::new(ElementKind::Topic, "payment"),
            "orders",
        )
        .unwrap();
        assert_eq!(back, original);
    }

    proptest! {
        /// Undo of any sequence of edits restores the document; redo replays it.
        #[test]
        fn undo_restores_and_redo_replays(
            example in 0..ALL.len(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), "[a-z]{1,6}", any::<bool>(), -500.0f32..500.0), 1..20),
        ) {
            let original = ALL[example].model().unwrap();
            let mut doc = original.clone();
            let mut history = History::default();
            let mut states = vec![doc.clone()];
            for (pick, name, is_move, x) in &edits {
                let all = elements(&doc);
                let el = pick.get(&all).clone();
                let before = doc.clone();
                let changed = if *is_move {
                    // Move the first service (a drag is one edit).
                    match doc.services.first_mut() {
                        Some(s) => { s.pos = Some(crate::model::Pos { x: *x, y: -*x }); true }
                        None => false,
                    }
                } else {
                    rename(&mut doc, &el, name).is_ok()
                };
                if changed && doc != before {
                    history.record(&before);
                    states.push(doc.clone());
                }
            }
            let final_doc = doc.clone();
            for expected in states.iter().rev().skip(1) {
                prop_assert!(history.undo(&mut doc));
                prop_assert_eq!(&doc, expected);
            }
            prop_assert!(!history.undo(&mut doc));
            prop_assert_eq!(&doc, &original);
            while history.redo(&mut doc) {}
            prop_assert_eq!(&doc, &final_doc);
        }
    }
}
