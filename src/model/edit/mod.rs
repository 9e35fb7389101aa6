//! Edits to a document that keep it consistent, and the undo history.
//!
//! These are the operations of a graph editor, on the model alone (no UI):
//!
//! - [`rename`]: names are the ids, so every reference to the old name follows.
//! - [`add_element`] (with [`fresh_name`]): a new box with sensible defaults. It may
//!   refer to nothing yet; validation then says what is missing.
//! - [`delete`]: the element and every arrow to or from it go, the other boxes stay.
//! - [`connect`] (with [`connection`] and [`connect_targets`]): draw an arrow, which
//!   adds the handler, action, step or reference that the arrow stands for.
//! - [`History`]: snapshots of the document before each edit, so undo is exact.

mod add;
mod connect;
mod delete;
mod history;
mod rename;

#[cfg(test)]
mod tests;

pub use add::{add_element, fresh_name};
pub use connect::{ConnectError, Connection, connect, connect_targets, connection};
pub use delete::{DeleteError, delete, keep_edited_placeholders};
pub use history::History;
pub use rename::{RenameError, rename};

use std::collections::BTreeSet;

use super::{Action, ElementKind, ElementRef, Handler, Model, Trigger};

/// Every named element, in the model's order (events, topics, services, sagas,
/// stores, projections, sources).
fn elements(m: &Model) -> Vec<ElementRef> {
    let mut out = Vec::new();
    let mut add = |kind, names: Vec<&String>| {
        out.extend(names.into_iter().map(|n| ElementRef::new(kind, n.clone())));
    };
    add(
        ElementKind::Event,
        m.events.iter().map(|x| &x.name).collect(),
    );
    add(
        ElementKind::Topic,
        m.topics.iter().map(|x| &x.name).collect(),
    );
    add(
        ElementKind::Service,
        m.services.iter().map(|x| &x.name).collect(),
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

/// Every action in the model, read-only, in the order of [`for_each_action`].
fn actions(model: &Model) -> impl Iterator<Item = &Action> {
    model
        .services
        .iter()
        .flat_map(|s| &s.handlers)
        .flat_map(Handler::actions)
        .chain(
            model
                .sagas
                .iter()
                .flat_map(|s| s.on_complete.iter().chain(&s.on_abort)),
        )
        .chain(model.sources.iter().map(|s| &s.emit))
}

/// Every trigger: handlers' and sagas'.
fn for_each_trigger(model: &mut Model, mut f: impl FnMut(&mut Trigger)) {
    for s in &mut model.services {
        s.handlers.iter_mut().for_each(|h| f(&mut h.on));
    }
    model.sagas.iter_mut().for_each(|s| f(&mut s.trigger));
}

/// `base`, else `base{sep}2`, `base{sep}3`…: the first name `taken` does not claim.
fn unique(base: &str, sep: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u64..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// A name as a type name: "payment-dlq" → "PaymentDlq", "web shop" → "WebShop";
/// `fallback` when nothing alphanumeric is left.
fn pascal(name: &str, fallback: &str) -> String {
    let out: String = name
        .split(|c: char| !c.is_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
        })
        .collect();
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

/// A new event type name from `base` ("OrdersEvent", "OrdersEvent2", …).
fn fresh_event_name(model: &Model, base: &str) -> String {
    unique(base, "", |n| model.event(n).is_some())
}

/// A command name from `base` used nowhere yet, as a command or query.
fn fresh_command_name(model: &Model, base: &str) -> String {
    let flows = model.flows();
    let used: BTreeSet<&str> = flows
        .handlers()
        .map(|h| h.name)
        .chain(flows.requests().map(|r| r.name))
        .collect();
    unique(base, "", |n| used.contains(n))
}

/// The declared events seen on a topic: first those published there (by handlers,
/// sagas, sources, or stores feeding it), in model order, then those consumed from it.
fn events_on_topic(model: &Model, topic: &str) -> Vec<String> {
    let flows = model.flows();
    let published = flows
        .publishes()
        .filter(|p| p.topic == topic)
        .map(|p| p.event);
    let consumed = flows
        .subscriptions()
        .filter(|s| s.topic == topic)
        .map(|s| s.event);
    declared(model, published.chain(consumed))
}

/// The declared events appended to a store, in model order.
fn events_in_store(model: &Model, store: &str) -> Vec<String> {
    let flows = model.flows();
    declared(
        model,
        flows
            .appends()
            .filter(|a| a.store == store)
            .map(|a| a.event),
    )
}

/// The names of declared events among `names`, first occurrence first.
fn declared<'a>(model: &Model, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in names {
        if model.event(e).is_some() && !out.iter().any(|x| x == e) {
            out.push(e.to_owned());
        }
    }
    out
}
