//! Links of sagas (steps, triggers, completions, orchestrators) and event stores
//! (appends, projections, change feeds).

use super::links::Edit;
use super::links::{
    Plan, acting, default_latency, event_choices, first_handler_emits, saga_mut, service_mut,
    written_version,
};
use super::{ConnectError, Connection};
use crate::model::edit::{events_in_store, events_on_topic, fresh_command_name, pascal, unique};
use crate::model::{Action, ElementKind, ElementRef, EventStyle, Handler, Model, Step, Trigger};

pub(super) fn saga_step(m: &Model, saga: &str, service: &str) -> Plan {
    let Some(g) = m.sagas.iter().find(|s| s.name == saga) else {
        return Err(ConnectError::NotFound(ElementRef::new(
            ElementKind::Saga,
            saga,
        )));
    };
    if let Some(st) = g.steps.iter().find(|st| st.service == service) {
        return Err(ConnectError::Already(format!(
            "{saga} already has step {} on {service}",
            st.name
        )));
    }
    let step = unique(service, "-", |n| g.steps.iter().any(|st| st.name == n));
    let command = fresh_command_name(m, &format!("{}Command", pascal(service, "Service")));
    let reply = format!("{}Done", pascal(service, "Service"));
    let (saga, service) = (saga.to_owned(), service.to_owned());
    let edit = Box::new(move |m: &mut Model| {
        if let Some(s) = service_mut(m, &service) {
            let mut h = Handler::new(Trigger::Command(command.clone()), default_latency());
            h.emit.push(Action::Reply(reply.clone()));
            s.handlers.push(h);
        }
        if let Some(g) = saga_mut(m, &saga) {
            let mut st = Step::new(&step, &service, &command);
            st.success = Some(reply.clone());
            g.steps.push(st);
        }
        format!("{saga} now has step {step}: {command} to {service}, which replies {reply}")
    }) as Edit;
    Ok((Connection::SagaStep, vec![edit]))
}

pub(super) fn saga_trigger(m: &Model, topic: &str, saga: &str) -> Plan {
    let Some(g) = m.sagas.iter().find(|s| s.name == saga) else {
        return Err(ConnectError::NotFound(ElementRef::new(
            ElementKind::Saga,
            saga,
        )));
    };
    if let Trigger::Event {
        event, topic: t, ..
    } = &g.trigger
        && *t == topic
    {
        return Err(ConnectError::Already(format!(
            "{saga} is already started by {event} from {topic}"
        )));
    }
    let was = format!(" instead of {}", g.trigger.describe());
    let base = format!("{}Event", pascal(topic, "Topic"));
    let choices = event_choices(
        m,
        &events_on_topic(m, topic),
        &base,
        EventStyle::default(),
        false,
    );
    let edits = choices
        .into_iter()
        .map(|choice| {
            let (saga, topic, was) = (saga.to_owned(), topic.to_owned(), was.clone());
            Box::new(move |m: &mut Model| {
                let note = choice.declare(m);
                if let Some(g) = saga_mut(m, &saga) {
                    g.trigger = Trigger::event(&choice.name, &topic);
                }
                format!(
                    "{saga} is now started by {} from {topic}{was}{note}",
                    choice.name
                )
            }) as Edit
        })
        .collect();
    Ok((Connection::SagaTrigger, edits))
}

pub(super) fn saga_publish(m: &Model, saga: &str, topic: &str) -> Plan {
    let Some(g) = m.sagas.iter().find(|s| s.name == saga) else {
        return Err(ConnectError::NotFound(ElementRef::new(
            ElementKind::Saga,
            saga,
        )));
    };
    if g.on_complete
        .iter()
        .chain(&g.on_abort)
        .any(|a| matches!(a, Action::Publish { topic: t, .. } if *t == topic))
    {
        return Err(ConnectError::Already(format!(
            "{saga} already publishes to {topic}"
        )));
    }
    let base = format!("{}Completed", pascal(saga, "Saga"));
    let choices = event_choices(
        m,
        &events_on_topic(m, topic),
        &base,
        EventStyle::default(),
        false,
    );
    let edits = choices
        .into_iter()
        .map(|choice| {
            let (saga, topic) = (saga.to_owned(), topic.to_owned());
            Box::new(move |m: &mut Model| {
                let note = choice.declare(m);
                let version = written_version(m, &choice.name, &topic);
                if let Some(g) = saga_mut(m, &saga) {
                    g.on_complete.push(Action::Publish {
                        event: choice.name.clone(),
                        topic: topic.clone(),
                        version,
                    });
                }
                format!(
                    "{saga} now publishes {} to {topic} when it completes{note}",
                    choice.name
                )
            }) as Edit
        })
        .collect();
    Ok((Connection::SagaPublishes, edits))
}

pub(super) fn orchestrate(m: &Model, service: &str, saga: &str) -> Plan {
    let Some(g) = m.sagas.iter().find(|s| s.name == saga) else {
        return Err(ConnectError::NotFound(ElementRef::new(
            ElementKind::Saga,
            saga,
        )));
    };
    if g.orchestrator == service {
        return Err(ConnectError::Already(format!(
            "{service} already runs {saga}"
        )));
    }
    if m.service(&g.orchestrator).is_some() {
        return Err(ConnectError::Already(format!(
            "{saga} is already run by {}: change its orchestrator in the saga itself",
            g.orchestrator
        )));
    }
    let (saga, service) = (saga.to_owned(), service.to_owned());
    let edit = Box::new(move |m: &mut Model| {
        if let Some(g) = saga_mut(m, &saga) {
            g.orchestrator = service.clone();
        }
        format!("{saga} is now run by {service}")
    }) as Edit;
    Ok((Connection::Orchestrate, vec![edit]))
}

pub(super) fn append(m: &Model, service: &str, store: &str) -> Plan {
    let s = acting(m, service)?;
    if s.handlers
        .iter()
        .flat_map(Handler::actions)
        .any(|a| matches!(a, Action::Append { store: st, .. } if *st == store))
    {
        return Err(ConnectError::Already(format!(
            "{service} already appends to {store}"
        )));
    }
    let aggregate = m
        .stores
        .iter()
        .find(|s| s.name == store)
        .map(|s| s.aggregate.as_str())
        .unwrap_or_default();
    let base = format!("{}Changed", pascal(aggregate, &pascal(store, "Aggregate")));
    let choices = event_choices(
        m,
        &events_in_store(m, store),
        &base,
        EventStyle::DomainEvent,
        true,
    );
    let (who, store) = (service.to_owned(), store.to_owned());
    let edits = first_handler_emits(service, choices, move |_, event| {
        let a = Action::Append {
            event: event.to_owned(),
            store: store.clone(),
        };
        (a, format!("{who} now appends {event} to {store}"))
    });
    Ok((Connection::Append, edits))
}

pub(super) fn project(m: &Model, store: &str, projection: &str) -> Plan {
    let old = m
        .projections
        .iter()
        .find(|p| p.name == projection)
        .map(|p| p.store.clone())
        .unwrap_or_default();
    if old == store {
        return Err(ConnectError::Already(format!(
            "{projection} already follows {store}"
        )));
    }
    let was = if m.stores.iter().any(|s| s.name == old) {
        format!(" instead of {old}")
    } else {
        String::new()
    };
    let (store, projection) = (store.to_owned(), projection.to_owned());
    let edit = Box::new(move |m: &mut Model| {
        if let Some(p) = m.projections.iter_mut().find(|p| p.name == projection) {
            p.store = store.clone();
        }
        format!("{projection} now follows {store}{was}")
    }) as Edit;
    Ok((Connection::Project, vec![edit]))
}

pub(super) fn store_publish(m: &Model, store: &str, topic: &str) -> Plan {
    let old = m
        .stores
        .iter()
        .find(|s| s.name == store)
        .and_then(|s| s.publish_to.clone());
    if old.as_deref() == Some(topic) {
        return Err(ConnectError::Already(format!(
            "{store} already publishes to {topic}"
        )));
    }
    let was = old.map(|t| format!(" instead of {t}")).unwrap_or_default();
    let (store, topic) = (store.to_owned(), topic.to_owned());
    let edit = Box::new(move |m: &mut Model| {
        if let Some(s) = m.stores.iter_mut().find(|s| s.name == store) {
            s.publish_to = Some(topic.clone());
        }
        format!("{store} now publishes its events to {topic}{was}")
    }) as Edit;
    Ok((Connection::StorePublishes, vec![edit]))
}
