//! The document's operations: per service (a saga counts as its orchestrator, a
//! source and an event store's change feed as their own senders), one `send` per
//! channel it sends to and one `receive` per channel and consumer group it reads from.

use std::collections::BTreeMap;

use serde_yaml_ng::{Mapping, Value};

use super::channels::{ChannelRef, Channels, MessageKeys, sanitise};
use super::{Kind, ext, kafka_binding, reference, string_const};
use crate::model::Flows;
use crate::model::flows::Who;

/// The `operations` map of the document.
pub(super) fn operations(flows: &Flows, channels: &Channels, keys: &MessageKeys) -> Mapping {
    let ops = collect(flows);
    let mut operations = Mapping::new();
    for (key, op) in ops.ops {
        let Some(ch) = channels.get(&op.channel) else {
            continue;
        };
        let refs = |key: &str, messages: &[(Kind, String)]| {
            Value::Sequence(
                messages
                    .iter()
                    .map(|m| {
                        reference(&format!(
                            "#/channels/{key}/messages/{}",
                            keys.key(m.0, &m.1)
                        ))
                    })
                    .collect(),
            )
        };
        let mut o = Mapping::new();
        o.insert("action".into(), op.action.into());
        o.insert(
            "channel".into(),
            reference(&format!("#/channels/{}", ch.key)),
        );
        let verb = if op.action == "send" {
            "sends to"
        } else {
            "receives from"
        };
        o.insert(
            "title".into(),
            format!("{} {verb} {}", op.label, ch.address).into(),
        );
        o.insert("messages".into(), refs(&ch.key, &op.messages));
        if op.reply
            && let Some(rc) = op.channel.replies().and_then(|r| channels.get(&r))
        {
            let mut r = Mapping::new();
            r.insert(
                "channel".into(),
                reference(&format!("#/channels/{}", rc.key)),
            );
            r.insert("messages".into(), refs(&rc.key, &rc.messages));
            o.insert("reply".into(), Value::Mapping(r));
        }
        if let Some(b) = op.binding() {
            o.insert("bindings".into(), b);
        }
        for (k, v) in op.extensions {
            o.insert(ext(k), v.into());
        }
        operations.insert(key.into(), Value::Mapping(o));
    }
    operations
}

/// Every operation of the flows, by key.
fn collect(flows: &Flows) -> Operations {
    let mut ops = Operations::default();
    for p in flows.publishes() {
        ops.send(
            &p.origin.who(),
            ChannelRef::Topic(p.topic.to_owned()),
            (Kind::Event, p.event),
        );
    }
    for d in flows.dead_letters() {
        ops.send(
            &Who::Service(&d.handler.service.name),
            ChannelRef::Topic(d.topic.to_owned()),
            (d.kind, d.name),
        );
    }
    for s in flows.subscriptions() {
        ops.receive(
            s.service,
            Some(s.group),
            s.receiver.saga().map(|g| g.name.as_str()),
            ChannelRef::Topic(s.topic.to_owned()),
            (Kind::Event, s.event),
        );
    }
    for r in flows.requests() {
        let ch = ChannelRef::Request(r.kind, r.name.to_owned());
        let who = r.origin.who();
        ops.send(&who, ch.clone(), (r.kind, r.name));
        ops.expect_reply(&sender_key(&who), "send", &ch);
    }
    for h in flows.handlers() {
        let ch = ChannelRef::Request(h.kind, h.name.to_owned());
        ops.receive(
            h.service,
            None,
            h.receiver.saga().map(|g| g.name.as_str()),
            ch.clone(),
            (h.kind, h.name),
        );
        if !h.replies.is_empty() {
            ops.expect_reply(h.service, "receive", &ch);
        }
    }
    for a in flows.appends() {
        ops.send(
            &a.origin.who(),
            ChannelRef::Store(a.store.to_owned()),
            (Kind::Event, a.event),
        );
    }
    ops
}

/// An id-like name of a sender: the service (a saga's orchestrator), or the source or
/// store with a prefix.
fn sender_key(who: &Who) -> String {
    match who {
        Who::Service(s) => (*s).to_owned(),
        Who::Saga { orchestrator, .. } => (*orchestrator).to_owned(),
        Who::Source(s) => format!("source-{s}"),
        Who::Store(s) => format!("store-{s}"),
    }
}

struct Op {
    action: &'static str,
    channel: ChannelRef,
    label: String,
    messages: Vec<(Kind, String)>,
    reply: bool,
    /// The consumer group a receive reads in (Kafka `groupId`).
    group: Option<String>,
    /// Who the Kafka client is (Kafka `clientId`): the service or source.
    client: Option<String>,
    /// `x-eventscape-<name>` extensions, by name.
    extensions: Vec<(&'static str, String)>,
}

impl Op {
    /// The Kafka operation binding, for operations on topics: the consumer group and
    /// the client.
    fn binding(&self) -> Option<Value> {
        if !matches!(self.channel, ChannelRef::Topic(_)) {
            return None;
        }
        let mut b = Mapping::new();
        if let Some(g) = &self.group {
            b.insert("groupId".into(), string_const(g));
        }
        if let Some(c) = &self.client {
            b.insert("clientId".into(), string_const(c));
        }
        Some(kafka_binding(b))
    }
}

#[derive(Default)]
struct Operations {
    ops: BTreeMap<String, Op>,
}

impl Operations {
    fn op_key(who: &str, action: &str, channel: &ChannelRef, group: Option<&str>) -> String {
        let ch = match channel {
            ChannelRef::Topic(t) => t.clone(),
            ChannelRef::Request(Kind::Query, n) => format!("queries.{n}"),
            ChannelRef::Request(_, n) => format!("commands.{n}"),
            ChannelRef::Replies(_, n) => format!("replies.{n}"),
            ChannelRef::Store(s) => format!("stores.{s}"),
        };
        let mut k = format!("{}.{action}.{}", sanitise(who), sanitise(&ch));
        if let Some(g) = group
            && g != who
        {
            k.push('.');
            k.push_str(&sanitise(g));
        }
        k
    }

    fn send(&mut self, who: &Who, channel: ChannelRef, msg: (Kind, &str)) {
        let key = Self::op_key(&sender_key(who), "send", &channel, None);
        let op = self.ops.entry(key).or_insert_with(|| {
            let mut extensions = Vec::new();
            match *who {
                Who::Service(s) => extensions.push(("service", s.to_owned())),
                Who::Saga { saga, orchestrator } => {
                    extensions.push(("service", orchestrator.to_owned()));
                    extensions.push(("saga", saga.to_owned()));
                }
                Who::Source(s) => extensions.push(("source", s.to_owned())),
                Who::Store(s) => extensions.push(("event-store", s.to_owned())),
            }
            let client = match *who {
                Who::Service(s)
                | Who::Saga {
                    orchestrator: s, ..
                }
                | Who::Source(s) => Some(s),
                Who::Store(_) => None,
            };
            Op {
                action: "send",
                channel,
                label: who.describe(),
                messages: Vec::new(),
                reply: false,
                group: None,
                client: client.map(str::to_owned),
                extensions,
            }
        });
        add_msg(&mut op.messages, msg);
    }

    fn receive(
        &mut self,
        service: &str,
        group: Option<&str>,
        saga: Option<&str>,
        channel: ChannelRef,
        msg: (Kind, &str),
    ) {
        let key = Self::op_key(service, "receive", &channel, group);
        let op = self.ops.entry(key).or_insert_with(|| Op {
            action: "receive",
            channel,
            label: service.to_owned(),
            messages: Vec::new(),
            reply: false,
            group: group.map(str::to_owned),
            client: Some(service.to_owned()),
            extensions: vec![("service", service.to_owned())],
        });
        if let Some(s) = saga
            && !op.extensions.iter().any(|(k, v)| *k == "saga" && v == s)
        {
            op.extensions.push(("saga", s.to_owned()));
        }
        add_msg(&mut op.messages, msg);
    }

    fn expect_reply(&mut self, who: &str, action: &str, channel: &ChannelRef) {
        let key = Self::op_key(who, action, channel, None);
        if let Some(op) = self.ops.get_mut(&key) {
            op.reply = true;
        }
    }
}

fn add_msg(v: &mut Vec<(Kind, String)>, (kind, name): (Kind, &str)) {
    let m = (kind, name.to_owned());
    if let Err(i) = v.binary_search(&m) {
        v.insert(i, m);
    }
}
