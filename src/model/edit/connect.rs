//! Connecting two elements: drawing an arrow adds what the arrow stands for (a
//! publish action, a handler, a saga step, a reference).
//!
//! Each kind of arrow has a plan (dispatched in `links`) that lists one or more candidate
//! edits, the preferred first (reuse an event the topic already carries, then a new
//! event type). A candidate is taken only if the model then validates without new
//! errors, so a connection never breaks a model; when none passes, the refusal quotes
//! what would break.

mod links;
mod sagas_stores;
mod services;

use crate::model::{ElementKind, ElementRef, Model, validate};

use super::elements;

/// The kind of link a connection makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Connection {
    /// service → topic: the service's first handler publishes an event to the topic.
    Publish,
    /// topic → service: the service gets a handler consuming an event from the topic.
    Consume,
    /// service → service: the first handler of one sends a command the other handles.
    SendCommand,
    /// source → topic or service: the source's one emit publishes to the topic or
    /// sends a command to the service, instead of what it emitted before.
    SourceEmits,
    /// saga → service: a new last step, whose command the service handles and replies
    /// to.
    SagaStep,
    /// topic → saga: the saga is started by an event from the topic.
    SagaTrigger,
    /// saga → topic: the saga publishes an event to the topic when it completes.
    SagaPublishes,
    /// service → saga: the service runs the saga (only for a saga without an existing
    /// orchestrator).
    Orchestrate,
    /// service → event store: the service's first handler appends a domain event.
    Append,
    /// event store → projection: the projection follows the store.
    Project,
    /// event store → topic: the store publishes its appended events to the topic.
    StorePublishes,
}

impl Connection {
    /// A short label for a menu: "publish", "consume", …
    pub fn label(self) -> &'static str {
        match self {
            Connection::Publish => "publish",
            Connection::Consume => "consume",
            Connection::SendCommand => "send a command",
            Connection::SourceEmits => "emit",
            Connection::SagaStep => "add a saga step",
            Connection::SagaTrigger => "start the saga",
            Connection::SagaPublishes => "publish on completion",
            Connection::Orchestrate => "orchestrate",
            Connection::Append => "append",
            Connection::Project => "project",
            Connection::StorePublishes => "publish the change feed",
        }
    }
}

/// Why two elements cannot be connected, in a sentence that says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// One of the two elements is not in the model.
    #[error("there is no {0}")]
    NotFound(ElementRef),
    /// Both ends are the same element.
    #[error("{} cannot be connected to itself", .0.name)]
    ToItself(ElementRef),
    /// No such link between these kinds.
    #[error("{} cannot be connected to {}: {advice}", article(.from), article(.to))]
    Unsupported {
        /// The kind of the element the link would start at.
        from: ElementKind,
        /// The kind of the element it would end at.
        to: ElementKind,
        /// What to connect instead.
        advice: &'static str,
    },
    /// The link is there already (or the slot it would fill is taken).
    #[error("{0}")]
    Already(String),
    /// Every way of making the link would add an error to the model.
    #[error("that would make the model invalid: {0}")]
    WouldBreak(String),
}

/// "a topic", "an event store".
fn article(kind: &ElementKind) -> String {
    let label = kind.label();
    let an = label.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {label}", if an { "an" } else { "a" })
}

/// What connecting `from` → `to` would do, or why it cannot.
pub fn connection(
    model: &Model,
    from: &ElementRef,
    to: &ElementRef,
) -> Result<Connection, ConnectError> {
    evaluate(model, &errors(model), from, to).map(|(c, _, _)| c)
}

/// Do it. Returns a one-line description of what was added ("payment now publishes
/// PaymentDone to payments").
pub fn connect(
    model: &mut Model,
    from: &ElementRef,
    to: &ElementRef,
) -> Result<String, ConnectError> {
    let (_, next, text) = evaluate(model, &errors(model), from, to)?;
    *model = next;
    Ok(text)
}

/// Every element `from` can be connected to, in the model's element order (for a
/// "Connect to" menu).
pub fn connect_targets(model: &Model, from: &ElementRef) -> Vec<ElementRef> {
    if !model.contains(from) {
        return Vec::new();
    }
    let before = errors(model);
    elements(model)
        .into_iter()
        .filter(|to| evaluate(model, &before, from, to).is_ok())
        .collect()
}

/// The errors of a model, as (path, message).
fn errors(model: &Model) -> Vec<(String, String)> {
    validate(model)
        .into_iter()
        .filter(|p| p.severity == crate::model::Severity::Error)
        .map(|p| (p.path, p.message))
        .collect()
}

/// The first error of `after` that `before` does not account for (as a multiset).
fn first_new_error(before: &[(String, String)], after: &Model) -> Option<String> {
    let mut known: Vec<&(String, String)> = before.iter().collect();
    for e in errors(after) {
        match known.iter().position(|k| **k == e) {
            Some(i) => {
                known.swap_remove(i);
            }
            None => return Some(e.1),
        }
    }
    None
}

/// Plan the link, then take the first candidate edit that adds no error.
fn evaluate(
    model: &Model,
    before: &[(String, String)],
    from: &ElementRef,
    to: &ElementRef,
) -> Result<(Connection, Model, String), ConnectError> {
    for e in [from, to] {
        if !model.contains(e) {
            return Err(ConnectError::NotFound(e.clone()));
        }
    }
    if from == to {
        return Err(ConnectError::ToItself(from.clone()));
    }
    let (connection, edits) = links::plan(model, from, to)?;
    let mut problem = None;
    for edit in edits {
        let mut next = model.clone();
        let text = edit(&mut next);
        match first_new_error(before, &next) {
            None => return Ok((connection, next, text)),
            Some(p) => {
                problem.get_or_insert(p);
            }
        }
    }
    Err(ConnectError::WouldBreak(problem.unwrap_or_default()))
}

/// What to tell a user who connects two kinds that have no link.
fn advice(from: ElementKind, to: ElementKind) -> &'static str {
    use ElementKind::*;
    match (from, to) {
        (Event, _) | (_, Event) => {
            "event types are not boxes on the diagram; connect the topics and services that carry them"
        }
        (_, Source) => "a source is where traffic starts, so nothing flows into it",
        (Projection, _) => {
            "a projection is a read model at the end of the flow; nothing follows it"
        }
        (Topic, Topic) => "put a service between them",
        (_, Store) => "services append to event stores: put a service between them",
        (_, Projection) => "a projection follows an event store: connect a store to it",
        (Store, _) => {
            "an event store feeds projections and topics: connect it to a topic, then the topic onward"
        }
        (_, Saga) => {
            "a saga is started by an event from a topic, or run by a service: connect a topic or a service to it"
        }
        _ => "that link has no meaning in a model",
    }
}
