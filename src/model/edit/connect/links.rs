//! The plan of a link: which kinds connect how, and the helpers the plans share.

use super::{ConnectError, Connection, advice, sagas_stores, services};
use crate::model::edit::{fresh_command_name, fresh_event_name, pascal};
use crate::model::{
    Action, Distribution, Duration, ElementKind, ElementRef, EventStyle, EventType, Model, Saga,
    Service,
};

/// One way of making a link: changes the model, says what it did.
pub(super) type Edit = Box<dyn Fn(&mut Model) -> String>;

pub(super) type Plan = Result<(Connection, Vec<Edit>), ConnectError>;

/// The link `from` → `to` and its candidate edits, preferred first. Both exist and
/// differ.
pub(super) fn plan(m: &Model, from: &ElementRef, to: &ElementRef) -> Plan {
    use ElementKind::*;
    let (f, t) = (from.name.as_str(), to.name.as_str());
    match (from.kind, to.kind) {
        (Service, Topic) => services::publish(m, f, t),
        (Topic, Service) => services::consume(m, f, t),
        (Service, Service) => services::send_command(m, f, t),
        (Source, Topic) => services::source_publish(m, f, t),
        (Source, Service) => services::source_send(m, f, t),
        (Saga, Service) => sagas_stores::saga_step(m, f, t),
        (Topic, Saga) => sagas_stores::saga_trigger(m, f, t),
        (Saga, Topic) => sagas_stores::saga_publish(m, f, t),
        (Service, Saga) => sagas_stores::orchestrate(m, f, t),
        (Service, Store) => sagas_stores::append(m, f, t),
        (Store, Projection) => sagas_stores::project(m, f, t),
        (Store, Topic) => sagas_stores::store_publish(m, f, t),
        (a, b) => Err(ConnectError::Unsupported {
            from: a,
            to: b,
            advice: advice(a, b),
        }),
    }
}

/// A new handler's latency: a modest, realistic spread.
pub(super) fn default_latency() -> Distribution {
    Distribution::LogNormal {
        p50: Duration::from_millis(10),
        p99: Duration::from_millis(100),
    }
}

/// The event to use: the first of `known`, else a new event type named from `base`.
/// With `fallback`, the new one is also tried when the known one would break the
/// model (a handler publishing what it consumes back where it came from loops).
pub(super) fn event_choices(
    m: &Model,
    known: &[String],
    base: &str,
    style: EventStyle,
    fallback: bool,
) -> Vec<EventChoice> {
    let fresh = EventType {
        style,
        placeholder: true,
        ..EventType::new(fresh_event_name(m, base))
    };
    known
        .first()
        .map(|e| EventChoice {
            name: e.clone(),
            new: None,
        })
        .into_iter()
        .chain((known.is_empty() || fallback).then_some(EventChoice {
            name: fresh.name.clone(),
            new: Some(fresh),
        }))
        .collect()
}

#[derive(Clone)]
pub(super) struct EventChoice {
    pub(super) name: String,
    /// A new event type to declare.
    pub(super) new: Option<EventType>,
}

impl EventChoice {
    /// Declare the event if it is new; the note to add to the description.
    pub(super) fn declare(&self, m: &mut Model) -> String {
        match &self.new {
            Some(e) => {
                m.events.push(e.clone());
                format!(" ({} is a new event type)", e.name)
            }
            None => String::new(),
        }
    }
}

pub(super) fn service_mut<'m>(m: &'m mut Model, name: &str) -> Option<&'m mut Service> {
    m.services.iter_mut().find(|s| s.name == name)
}

pub(super) fn saga_mut<'m>(m: &'m mut Model, name: &str) -> Option<&'m mut Saga> {
    m.sagas.iter_mut().find(|s| s.name == name)
}

/// The service that will act (in its first handler; one without a handler gets one
/// when the edit is made: [`first_handler`]).
pub(super) fn acting<'m>(m: &'m Model, name: &str) -> Result<&'m Service, ConnectError> {
    m.service(name)
        .ok_or_else(|| ConnectError::NotFound(ElementRef::new(ElementKind::Service, name)))
}

/// The first handler of `service`, which acts for a new link. A service without one
/// gets a handler on a new command of its own (`<Service>Request`, e.g.
/// `CheckoutRequest`), so the first natural connection (a new service to a topic)
/// works; the note says so and what to connect next.
pub(super) fn first_handler<'m>(
    m: &'m mut Model,
    service: &str,
) -> (Option<&'m mut crate::model::Handler>, String) {
    let mut note = String::new();
    if m.service(service).is_some_and(|s| s.handlers.is_empty()) {
        let command = fresh_command_name(m, &format!("{}Request", pascal(service, "Service")));
        if let Some(s) = service_mut(m, service) {
            let on = crate::model::Trigger::Command(command.clone());
            s.handlers
                .push(crate::model::Handler::new(on, default_latency()));
        }
        note = format!(
            ", when it handles the new command {command} (nothing sends it yet: connect a \
             source or a service to {service})"
        );
    }
    let handler = service_mut(m, service).and_then(|s| s.handlers.first_mut());
    (handler, note)
}

/// The schema version already written for `event` on `topic`, if one is explicit.
pub(super) fn written_version(m: &Model, event: &str, topic: &str) -> Option<u32> {
    super::super::actions(m).find_map(|a| match a {
        Action::Publish {
            event: e,
            topic: t,
            version,
        } if e == event && t == topic => *version,
        _ => None,
    })
}

/// Candidate edits, one per event choice, that push `action(model, event)` into the
/// first handler of `service`; `action` also says what was done.
pub(super) fn first_handler_emits(
    service: &str,
    choices: Vec<EventChoice>,
    action: impl Fn(&Model, &str) -> (Action, String) + Clone + 'static,
) -> Vec<Edit> {
    choices
        .into_iter()
        .map(|choice| {
            let service = service.to_owned();
            let action = action.clone();
            Box::new(move |m: &mut Model| {
                let note = choice.declare(m);
                let (a, text) = action(m, &choice.name);
                let (handler, new_handler) = first_handler(m, &service);
                if let Some(h) = handler {
                    h.emit.push(a);
                }
                format!("{text}{note}{new_handler}")
            }) as Edit
        })
        .collect()
}
