//! The document's channels (topics, commands and queries with their replies, event
//! stores) and the keys of its messages.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use super::{BINDING_VERSION, Kind, capitalised, ext, kafka_binding, reference, strings};
use crate::model::{Flows, Model, Topic};
use crate::words::count;

/// What a channel stands for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum ChannelRef {
    Topic(String),
    Request(Kind, String),
    Replies(Kind, String),
    Store(String),
}

impl ChannelRef {
    pub(super) fn replies(&self) -> Option<ChannelRef> {
        match self {
            ChannelRef::Request(k, n) => Some(ChannelRef::Replies(*k, n.clone())),
            _ => None,
        }
    }
}

pub(super) struct Channel {
    what: ChannelRef,
    pub key: String,
    pub address: String,
    pub body: Mapping,
    pub messages: Vec<(Kind, String)>,
}

/// The channels in document order, with unique keys.
#[derive(Default)]
pub(super) struct Channels {
    pub list: Vec<Channel>,
    used: BTreeSet<String>,
}

impl Channels {
    fn add(&mut self, what: ChannelRef, address: &str, body: Mapping, msgs: Vec<(Kind, String)>) {
        let stem = sanitise(address);
        let mut key = stem.clone();
        let mut i = 2;
        while !self.used.insert(key.clone()) {
            key = format!("{stem}-{i}");
            i += 1;
        }
        self.list.push(Channel {
            what,
            key,
            address: address.to_owned(),
            body,
            messages: msgs,
        });
    }

    pub(super) fn get(&self, what: &ChannelRef) -> Option<&Channel> {
        self.list.iter().find(|c| &c.what == what)
    }

    /// One channel per topic: address = the topic's name, messages = what it carries.
    pub(super) fn topics(&mut self, model: &Model, flows: &Flows, keys: &MessageKeys) {
        for t in &model.topics {
            let msgs: Vec<(Kind, String)> = flows
                .topic_messages(&t.name)
                .into_iter()
                .map(|(k, n)| (k, n.to_owned()))
                .collect();
            let mut c = Mapping::new();
            c.insert("address".into(), t.name.clone().into());
            c.insert("title".into(), t.name.clone().into());
            let mut summary = format!(
                "Kafka-like topic, {}",
                count(t.partitions as usize, "partition", None)
            );
            if let Some(k) = &t.key {
                summary.push_str(&format!(", keyed by {k}"));
            }
            match t.retention {
                Some(r) => summary.push_str(&format!(", retention {r}")),
                None => summary.push_str(", kept forever"),
            }
            summary.push('.');
            c.insert("summary".into(), summary.into());
            if !t.description.is_empty() {
                c.insert("description".into(), t.description.clone().into());
            }
            c.insert("messages".into(), keys.channel_messages(&msgs));
            c.insert("bindings".into(), kafka_binding(topic_binding(t)));
            if let Some(k) = &t.key {
                c.insert(ext("partition-key"), k.clone().into());
            }
            if let Some(r) = t.retention {
                c.insert(ext("retention"), r.to_string().into());
            }
            if t.archive {
                c.insert(ext("archive"), true.into());
            }
            self.add(ChannelRef::Topic(t.name.clone()), &t.name, c, msgs);
        }
    }

    /// One channel per command and query, with a reply channel when its handlers
    /// answer.
    pub(super) fn requests(
        &mut self,
        flows: &Flows,
        names: &BTreeMap<Kind, Vec<&str>>,
        keys: &MessageKeys,
    ) {
        for kind in [Kind::Command, Kind::Query] {
            for name in names.get(&kind).into_iter().flatten().copied() {
                let prefix = if kind == Kind::Command {
                    "commands"
                } else {
                    "queries"
                };
                let address = format!("{prefix}.{name}");
                let mut handlers: Vec<String> = flows
                    .handlers()
                    .filter(|h| h.kind == kind && h.name == name)
                    .map(|h| h.service.to_owned())
                    .collect();
                handlers.sort();
                handlers.dedup();
                let msgs = vec![(kind, name.to_owned())];
                let mut c = Mapping::new();
                c.insert("address".into(), address.clone().into());
                c.insert(
                    "summary".into(),
                    format!(
                        "{} {name}, sent point to point to {}.",
                        capitalised(kind.label()),
                        if handlers.is_empty() {
                            "no handler in the model".to_owned()
                        } else {
                            handlers.join(", ")
                        }
                    )
                    .into(),
                );
                c.insert("messages".into(), keys.channel_messages(&msgs));
                c.insert(ext("handled-by"), strings(&handlers));
                self.add(
                    ChannelRef::Request(kind, name.to_owned()),
                    &address,
                    c,
                    msgs,
                );

                let replies = flows.replies_to(kind, name);
                if !replies.is_empty() {
                    let address = format!("{address}.replies");
                    let msgs: Vec<(Kind, String)> = replies
                        .iter()
                        .map(|r| (Kind::Reply, (*r).to_owned()))
                        .collect();
                    let mut c = Mapping::new();
                    c.insert("address".into(), address.clone().into());
                    c.insert(
                        "summary".into(),
                        format!("Replies to the {} {name}.", kind.label()).into(),
                    );
                    c.insert("messages".into(), keys.channel_messages(&msgs));
                    self.add(
                        ChannelRef::Replies(kind, name.to_owned()),
                        &address,
                        c,
                        msgs,
                    );
                }
            }
        }
    }

    /// One channel per event store, for the domain events appended to it.
    pub(super) fn stores(&mut self, model: &Model, flows: &Flows, keys: &MessageKeys) {
        for s in &model.stores {
            let address = format!("stores.{}", s.name);
            let mut msgs: Vec<(Kind, String)> = flows
                .appends()
                .filter(|a| a.store == s.name)
                .map(|a| (Kind::Event, a.event.to_owned()))
                .collect();
            msgs.sort();
            msgs.dedup();
            let mut c = Mapping::new();
            c.insert("address".into(), address.clone().into());
            c.insert(
                "summary".into(),
                format!(
                    "Event store of the {} aggregate (append-only domain events).",
                    s.aggregate
                )
                .into(),
            );
            if !s.description.is_empty() {
                c.insert("description".into(), s.description.clone().into());
            }
            c.insert("messages".into(), keys.channel_messages(&msgs));
            c.insert(ext("aggregate"), s.aggregate.clone().into());
            if let Some(n) = s.snapshot_every {
                c.insert(ext("snapshot-every"), n.into());
            }
            if let Some(t) = &s.publish_to {
                c.insert(ext("publish-to"), t.clone().into());
            }
            self.add(ChannelRef::Store(s.name.clone()), &address, c, msgs);
        }
    }
}

/// The Kafka channel binding of a topic: its name, partitions and the retention as
/// `retention.ms` (-1, Kafka's "forever", when the model keeps messages forever).
fn topic_binding(t: &Topic) -> Mapping {
    let mut config = Mapping::new();
    config.insert(
        "cleanup.policy".into(),
        Value::Sequence(vec!["delete".into()]),
    );
    let ms = t.retention.map_or(-1, |r| {
        i64::try_from(r.as_nanos() / 1_000_000).unwrap_or(i64::MAX)
    });
    config.insert("retention.ms".into(), ms.into());
    let mut b = Mapping::new();
    b.insert("topic".into(), t.name.clone().into());
    b.insert("partitions".into(), t.partitions.max(1).into());
    b.insert("topicConfiguration".into(), Value::Mapping(config));
    b.insert("bindingVersion".into(), BINDING_VERSION.into());
    b
}

/// A name usable as a map key in AsyncAPI components (`[A-Za-z0-9._-]`).
pub(super) fn sanitise(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".to_owned() } else { s }
}

/// Component message keys: the name, or `<name>.<kind>` where one name is used by
/// messages of more than one kind; unique in the end.
pub(super) struct MessageKeys {
    keys: BTreeMap<(Kind, String), String>,
}

impl MessageKeys {
    pub(super) fn new(names: &BTreeMap<Kind, Vec<&str>>) -> Self {
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for list in names.values() {
            for n in list {
                *count.entry(sanitise(n)).or_default() += 1;
            }
        }
        let mut keys = BTreeMap::new();
        let mut used = BTreeSet::new();
        for (kind, list) in names {
            for n in list {
                let base = sanitise(n);
                let mut key = if count[&base] > 1 && *kind != Kind::Event {
                    format!("{base}.{}", kind.label())
                } else {
                    base
                };
                let stem = key.clone();
                let mut i = 2;
                while !used.insert(key.clone()) {
                    key = format!("{stem}-{i}");
                    i += 1;
                }
                keys.insert((*kind, (*n).to_owned()), key);
            }
        }
        Self { keys }
    }

    pub(super) fn key(&self, kind: Kind, name: &str) -> String {
        self.keys
            .get(&(kind, name.to_owned()))
            .cloned()
            .unwrap_or_else(|| sanitise(name))
    }

    /// A channel's `messages` map: each message by reference to the components.
    fn channel_messages(&self, msgs: &[(Kind, String)]) -> Value {
        let mut m = Mapping::new();
        for (kind, name) in msgs {
            let key = self.key(*kind, name);
            m.insert(
                key.clone().into(),
                reference(&format!("#/components/messages/{key}")),
            );
        }
        Value::Mapping(m)
    }
}
