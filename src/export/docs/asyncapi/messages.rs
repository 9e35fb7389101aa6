//! The document's messages (`components/messages`): every event, command, query and
//! reply, with a payload schema placeholder (the model has no field-level schema) and
//! the registry facts as `x-` extensions.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use super::channels::MessageKeys;
use super::{Kind, capitalised, compatibility_label, ext, kafka_binding};
use crate::model::{EventStyle, EventType, Flows, Model};

/// Payload size the engine assumes for commands, queries and replies, which have no
/// schema entry.
const REQUEST_PAYLOAD_BYTES: u32 = 256;

/// The `components/messages` map, sorted by key so the reader finds them.
pub(super) fn components(
    model: &Model,
    flows: &Flows,
    names: &BTreeMap<Kind, Vec<&str>>,
    keys: &MessageKeys,
) -> Mapping {
    let on_topics = topic_keys(model, flows);
    let mut messages = Mapping::new();
    for (kind, list) in names {
        for name in list {
            let mut m = message(*kind, name, model.event(name));
            if let Some(partition_keys) = on_topics.get(&(*kind, (*name).to_owned()))
                && let Value::Mapping(map) = &mut m
            {
                map.insert(
                    "bindings".into(),
                    kafka_binding(key_binding(partition_keys)),
                );
            }
            messages.insert(keys.key(*kind, name).into(), m);
        }
    }
    let mut sorted: Vec<(Value, Value)> = messages.into_iter().collect();
    sorted.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    sorted.into_iter().collect()
}

/// The messages carried by topics, each with the partition keys of those topics.
fn topic_keys<'a>(model: &'a Model, flows: &Flows) -> BTreeMap<(Kind, String), BTreeSet<&'a str>> {
    let mut out: BTreeMap<(Kind, String), BTreeSet<&str>> = BTreeMap::new();
    for t in &model.topics {
        for (kind, name) in flows.topic_messages(&t.name) {
            let keys = out.entry((kind, name.to_owned())).or_default();
            keys.extend(t.key.as_deref());
        }
    }
    out
}

/// A Kafka message binding: the key's schema when the topics partition by a key.
fn key_binding(partition_keys: &BTreeSet<&str>) -> Mapping {
    let mut b = Mapping::new();
    if !partition_keys.is_empty() {
        let fields: Vec<&str> = partition_keys.iter().copied().collect();
        let mut key = Mapping::new();
        key.insert("type".into(), "string".into());
        key.insert("title".into(), fields.join(" or ").into());
        key.insert(
            "description".into(),
            format!(
                "The message key: the item's {}; hash(key) mod partitions picks the \
                 partition, so one key's messages stay in order.",
                fields.join(" or ")
            )
            .into(),
        );
        b.insert("key".into(), Value::Mapping(key));
    }
    b
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
            e.style.label(),
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

    m.insert(ext("kind"), kind.label().into());
    if let (Kind::Event, Some(e)) = (kind, ev) {
        m.insert(ext("schema-version"), e.version.into());
        m.insert(
            ext("compatibility"),
            format!("{:?}", e.compatibility).into(),
        );
        m.insert(ext("style"), format!("{:?}", e.style).into());
        if e.failure {
            m.insert(ext("failure"), true.into());
        }
        if let Some(undone) = &e.compensates {
            m.insert(ext("compensates"), undone.as_str().into());
        }
    }
    m.insert(ext("payload-bytes"), payload_bytes.into());
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
