//! The document's messages (`components/messages`): every event, command, query and
//! reply, with a payload schema placeholder (the model has no field-level schema) and
//! the registry facts as `x-` extensions.

use std::collections::BTreeMap;

use serde_yaml_ng::{Mapping, Value};

use super::channels::MessageKeys;
use super::{Kind, capitalised, compatibility_label, style_label};
use crate::model::{EventStyle, EventType, Model};

/// Payload size the engine assumes for commands, queries and replies, which have no
/// schema entry.
const REQUEST_PAYLOAD_BYTES: u32 = 256;

/// The `components/messages` map, sorted by key so the reader finds them.
pub(super) fn components(
    model: &Model,
    names: &BTreeMap<Kind, Vec<&str>>,
    keys: &MessageKeys,
) -> Mapping {
    let mut messages = Mapping::new();
    for (kind, list) in names {
        for name in list {
            messages.insert(
                keys.key(*kind, name).into(),
                message(*kind, name, model.event(name)),
            );
        }
    }
    let mut sorted: Vec<(Value, Value)> = messages.into_iter().collect();
    sorted.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    sorted.into_iter().collect()
}

fn message(kind: Kind, name: &str, ev: Option<&EventType>) -> Value {
    let mut m = Mapping::new();
    m.insert("name".into(), name.into());
    let (version, payload_bytes) = match (kind, ev) {
        (Kind::Event, Some(e)) => (Some(e.version), e.payload_bytes),
        _ => (None, REQUEST_PAYLOAD_BYTES),
    };
    m.insert(
        "title".into(),
        match version {
            Some(v) => format!("{name} (event, schema v{v})"),
            None => format!("{name} ({})", kind.label()),
        }
        .into(),
    );
    let summary = match (kind, ev) {
        (Kind::Event, Some(e)) => format!(
            "{}, schema v{} ({} compatibility), about {} bytes.",
            style_label(e.style),
            e.version,
            compatibility_label(e.compatibility),
            e.payload_bytes
        ),
        (Kind::Event, None) => "Event not declared in the model's schema registry.".to_owned(),
        _ => format!(
            "{} message, about {payload_bytes} bytes.",
            capitalised(kind.label())
        ),
    };
    m.insert("summary".into(), summary.into());
    if let Some(e) = ev
        && !e.description.is_empty()
    {
        m.insert("description".into(), e.description.clone().into());
    }
    m.insert("contentType".into(), "application/json".into());
    m.insert("headers".into(), headers(version));
    let mut corr = Mapping::new();
    corr.insert(
        "description".into(),
        "The workload item (source arrival) this message descends from.".into(),
    );
    corr.insert("location".into(), "$message.header#/correlationId".into());
    m.insert("correlationId".into(), Value::Mapping(corr));

    let mut payload = Mapping::new();
    payload.insert("type".into(), "object".into());
    payload.insert("title".into(), name.into());
    payload.insert(
        "description".into(),
        format!(
            "Placeholder: the model gives no fields for {name}, only its size (about \
             {payload_bytes} bytes){}.",
            match ev.map(|e| e.style) {
                Some(EventStyle::Notification) =>
                    "; a notification carries an id and a type, consumers call back the source",
                Some(EventStyle::StateTransfer) =>
                    "; it carries the state consumers need (event-carried state transfer)",
                Some(EventStyle::DomainEvent) => "; a domain event recorded in an event store",
                None => "",
            }
        )
        .into(),
    );
    m.insert("payload".into(), Value::Mapping(payload));

    m.insert("x-kind".into(), kind.label().into());
    if let (Kind::Event, Some(e)) = (kind, ev) {
        m.insert("x-schema-version".into(), e.version.into());
        m.insert(
            "x-compatibility".into(),
            format!("{:?}", e.compatibility).into(),
        );
        m.insert("x-style".into(), format!("{:?}", e.style).into());
    }
    m.insert("x-payload-bytes".into(), payload_bytes.into());
    Value::Mapping(m)
}

fn headers(version: Option<u32>) -> Value {
    let mut props = Mapping::new();
    props.insert(
        "eventId".into(),
        schema(
            "string",
            "Id of the message; copies and retries share it (consumers dedup by it).",
        ),
    );
    props.insert(
        "correlationId".into(),
        schema(
            "string",
            "Id of the workload item the message descends from.",
        ),
    );
    if let Some(v) = version {
        let mut s = Mapping::new();
        s.insert("type".into(), "integer".into());
        s.insert(
            "description".into(),
            "Schema version the producer wrote with.".into(),
        );
        s.insert("default".into(), v.into());
        props.insert("schemaVersion".into(), Value::Mapping(s));
    }
    let mut h = Mapping::new();
    h.insert("type".into(), "object".into());
    h.insert("properties".into(), Value::Mapping(props));
    Value::Mapping(h)
}

fn schema(ty: &str, description: &str) -> Value {
    let mut s = Mapping::new();
    s.insert("type".into(), ty.into());
    s.insert("description".into(), description.into());
    Value::Mapping(s)
}
