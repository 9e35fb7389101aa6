//! Links of services, topics and sources: publish, consume, commands, source emits.

use super::links::Edit;
use super::links::{
    Plan, acting, default_latency, event_choices, first_handler_emits, service_mut, written_version,
};
use super::{ConnectError, Connection};
use crate::model::edit::{events_on_topic, fresh_command_name, pascal};
use crate::model::{Action, EventStyle, Handler, Model, Trigger};

pub(super) fn publish(m: &Model, service: &str, topic: &str) -> Plan {
    let s = acting(m, service)?;
    if s.handlers
        .iter()
        .flat_map(Handler::actions)
        .any(|a| matches!(a, Action::Publish { topic: t, .. } if *t == topic))
    {
        return Err(ConnectError::Already(format!(
            "{service} already publishes to {topic}"
        )));
    }
    let base = format!("{}Event", pascal(topic, "Topic"));
    let choices = event_choices(
        m,
        &events_on_topic(m, topic),
        &base,
        EventStyle::default(),
        true,
    );
    let (who, topic) = (service.to_owned(), topic.to_owned());
    let edits = first_handler_emits(service, choices, move |m, event| {
        let a = Action::Publish {
            event: event.to_owned(),
            topic: topic.clone(),
            version: written_version(m, event, &topic),
        };
        (a, format!("{who} now publishes {event} to {topic}"))
    });
    Ok((Connection::Publish, edits))
}

pub(super) fn consume(m: &Model, topic: &str, service: &str) -> Plan {
    let consumed: Vec<&str> = m
        .service(service)
        .into_iter()
        .flat_map(|s| &s.handlers)
        .filter_map(|h| match &h.on {
            Trigger::Event {
                event, topic: t, ..
            } if *t == topic => Some(event.as_str()),
            _ => None,
        })
        .collect();
    let known: Vec<String> = events_on_topic(m, topic)
        .into_iter()
        .filter(|e| !consumed.contains(&e.as_str()))
        .collect();
    if known.is_empty()
        && let Some(first) = consumed.first()
    {
        let what = if consumed.len() == 1 {
            first.to_string()
        } else {
            "every event".to_owned()
        };
        return Err(ConnectError::Already(format!(
            "{service} already consumes {what} from {topic}"
        )));
    }
    let base = format!("{}Event", pascal(topic, "Topic"));
    let choices = event_choices(m, &known, &base, EventStyle::default(), false);
    let edits = choices
        .into_iter()
        .map(|choice| {
            let (topic, service) = (topic.to_owned(), service.to_owned());
            Box::new(move |m: &mut Model| {
                let note = choice.declare(m);
                let on = Trigger::event(&choice.name, &topic);
                if let Some(s) = service_mut(m, &service) {
                    s.handlers.push(Handler::new(on, default_latency()));
                }
                format!("{service} now consumes {} from {topic}{note}", choice.name)
            }) as Edit
        })
        .collect();
    Ok((Connection::Consume, edits))
}

/// Commands to send `target`: the first command it already takes without replying
/// (a handler's, or a saga's start command), then a new command with a new handler.
fn command_choices(m: &Model, target: &str) -> Vec<(String, bool)> {
    let handled = m
        .service(target)
        .into_iter()
        .flat_map(|s| &s.handlers)
        .filter(|h| h.replies().next().is_none())
        .find_map(|h| match &h.on {
            Trigger::Command(c) => Some(c.clone()),
            _ => None,
        });
    let starts = m.sagas.iter().find_map(|s| match &s.trigger {
        Trigger::Command(c) if s.orchestrator == target => Some(c.clone()),
        _ => None,
    });
    let fresh = fresh_command_name(m, &format!("{}Command", pascal(target, "Service")));
    handled
        .or(starts)
        .map(|c| (c, false))
        .into_iter()
        .chain([(fresh, true)])
        .collect()
}

/// Make `target` take `command` if it is new; the note for the description.
fn take_command(m: &mut Model, target: &str, command: &str, new: bool) -> String {
    if !new {
        return String::new();
    }
    if let Some(s) = service_mut(m, target) {
        let on = Trigger::Command(command.to_owned());
        s.handlers.push(Handler::new(on, default_latency()));
    }
    ", which gets a new handler for it".to_owned()
}

pub(super) fn send_command(m: &Model, from: &str, to: &str) -> Plan {
    let s = acting(m, from)?;
    if let Some(c) = s
        .handlers
        .iter()
        .flat_map(Handler::actions)
        .find_map(|a| match a {
            Action::Send { command, to: t } if *t == to => Some(command),
            _ => None,
        })
    {
        return Err(ConnectError::Already(format!(
            "{from} already sends {c} to {to}"
        )));
    }
    let edits = command_choices(m, to)
        .into_iter()
        .map(|(command, new)| {
            let (from, to) = (from.to_owned(), to.to_owned());
            Box::new(move |m: &mut Model| {
                let note = take_command(m, &to, &command, new);
                let send = Action::Send {
                    command: command.clone(),
                    to: to.clone(),
                };
                let (handler, new_handler) = super::links::first_handler(m, &from);
                if let Some(h) = handler {
                    h.emit.push(send);
                }
                format!("{from} now sends {command} to {to}{note}{new_handler}")
            }) as Edit
        })
        .collect();
    Ok((Connection::SendCommand, edits))
}

/// What a source emitted before, for "… instead of …".
fn instead(m: &Model, source: &str) -> String {
    match m.sources.iter().find(|s| s.name == source).map(|s| &s.emit) {
        Some(Action::Publish { event, topic, .. }) if !topic.is_empty() => {
            format!(" instead of publishing {event} to {topic}")
        }
        Some(Action::Send { command, to }) if !to.is_empty() => {
            format!(" instead of sending {command} to {to}")
        }
        _ => String::new(),
    }
}

fn set_emit(m: &mut Model, source: &str, emit: Action) {
    if let Some(s) = m.sources.iter_mut().find(|s| s.name == source) {
        s.emit = emit;
    }
}

pub(super) fn source_publish(m: &Model, source: &str, topic: &str) -> Plan {
    let emit = m.sources.iter().find(|s| s.name == source).map(|s| &s.emit);
    if let Some(Action::Publish {
        event, topic: t, ..
    }) = emit
        && *t == topic
    {
        return Err(ConnectError::Already(format!(
            "{source} already publishes {event} to {topic}"
        )));
    }
    let base = format!("{}Event", pascal(topic, "Topic"));
    let choices = event_choices(
        m,
        &events_on_topic(m, topic),
        &base,
        EventStyle::default(),
        false,
    );
    let was = instead(m, source);
    let edits = choices
        .into_iter()
        .map(|choice| {
            let (source, topic, was) = (source.to_owned(), topic.to_owned(), was.clone());
            Box::new(move |m: &mut Model| {
                let note = choice.declare(m);
                let version = written_version(m, &choice.name, &topic);
                let emit = Action::Publish {
                    event: choice.name.clone(),
                    topic: topic.clone(),
                    version,
                };
                set_emit(m, &source, emit);
                format!(
                    "{source} now publishes {} to {topic}{was}{note}",
                    choice.name
                )
            }) as Edit
        })
        .collect();
    Ok((Connection::SourceEmits, edits))
}

pub(super) fn source_send(m: &Model, source: &str, to: &str) -> Plan {
    let emit = m.sources.iter().find(|s| s.name == source).map(|s| &s.emit);
    if let Some(Action::Send { command, to: t }) = emit
        && *t == to
    {
        return Err(ConnectError::Already(format!(
            "{source} already sends {command} to {to}"
        )));
    }
    let was = instead(m, source);
    let edits = command_choices(m, to)
        .into_iter()
        .map(|(command, new)| {
            let (source, to, was) = (source.to_owned(), to.to_owned(), was.clone());
            Box::new(move |m: &mut Model| {
                let note = take_command(m, &to, &command, new);
                let emit = Action::Send {
                    command: command.clone(),
                    to: to.clone(),
                };
                set_emit(m, &source, emit);
                format!("{source} now sends {command} to {to}{was}{note}")
            }) as Edit
        })
        .collect();
    Ok((Connection::SourceEmits, edits))
}
