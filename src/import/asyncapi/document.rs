//! Reading an AsyncAPI 3.x document into plain channels, messages and operations,
//! with every local `$ref` resolved. What a channel or message stands for in the
//! model is decided here; how it becomes a model is `build`'s business.

use serde::de::DeserializeOwned;
use serde_yaml_ng::{Mapping, Value};

use super::error::ImportError;
use crate::export::asyncapi::EXTENSION_PREFIX;
use crate::model::flows::MessageKind as Kind;
use crate::model::{Compatibility, Duration, EventStyle};

/// How many `$ref`s in a row are followed before a cycle is assumed.
const MAX_REF_HOPS: usize = 32;

/// The parts of a document the model is built from.
#[derive(Debug)]
pub(super) struct Doc {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: String,
    /// The channels, in document order.
    pub channels: Vec<Channel>,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
}

/// What a channel stands for in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ChannelKind {
    /// A Kafka-like topic.
    Topic,
    /// Point-to-point commands or queries, or their replies.
    Requests,
    /// An event store (`x-eventscape-aggregate`).
    Store,
}

/// One channel.
#[derive(Debug)]
pub(super) struct Channel {
    /// Its key under `channels`.
    pub key: String,
    /// Its address: the topic's name.
    pub address: String,
    pub description: String,
    pub kind: ChannelKind,
    pub messages: Vec<Message>,
    pub partitions: Option<u32>,
    pub retention: Option<Duration>,
    pub partition_key: Option<String>,
    pub archive: bool,
    pub aggregate: Option<String>,
    pub snapshot_every: Option<u32>,
    pub publish_to: Option<String>,
}

/// One message of a channel.
#[derive(Debug)]
pub(super) struct Message {
    /// Its key in the channel's `messages`.
    pub key: String,
    /// The component it refers to (`#/components/messages/X`), if any.
    pub component: Option<String>,
    /// The message's `name`, else its component key, else its key.
    pub name: String,
    pub kind: Kind,
    pub description: String,
    pub version: Option<u32>,
    pub compatibility: Option<Compatibility>,
    pub style: Option<EventStyle>,
    pub payload_bytes: Option<u32>,
    /// The event reports a failure of the business process (`x-eventscape-failure`).
    pub failure: bool,
    /// The event type this one undoes (`x-eventscape-compensates`).
    pub compensates: Option<String>,
    /// The Kafka message binding's key schema's `title` (the key's field).
    pub key_field: Option<String>,
}

/// Who performs an operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Actor {
    /// A service of the architecture.
    Service(String),
    /// A workload source (`x-eventscape-source`).
    Source(String),
    /// An event store's change feed (`x-eventscape-event-store`).
    Store(String),
}

/// One operation.
#[derive(Debug)]
pub(super) struct Operation {
    /// `send` (true) or `receive`.
    pub send: bool,
    pub actor: Actor,
    /// Index into `Doc::channels`.
    pub channel: usize,
    /// Indexes into that channel's messages.
    pub messages: Vec<usize>,
    /// The reply's channel and messages, when the operation has a reply.
    pub reply: Option<(usize, Vec<usize>)>,
    /// The Kafka binding's consumer group.
    pub group: Option<String>,
}

/// Read a document from its YAML value.
pub(super) fn read(root: &Value) -> Result<Doc, ImportError> {
    let map = root.as_mapping().ok_or_else(|| {
        ImportError::at("", "the document is not a YAML mapping")
            .hint("an AsyncAPI document starts with `asyncapi: 3.0.0`, `info:` and `channels:`")
    })?;
    version(map)?;
    let r = Resolver { root };
    let info = map.get("info").and_then(Value::as_mapping);
    let title = info
        .and_then(|i| text(i, "title"))
        .ok_or_else(|| ImportError::at("info.title", "missing: the document has no title"))?;
    let description = info
        .and_then(|i| text(i, "description"))
        .unwrap_or_default();
    let mut channels = Vec::new();
    if let Some(chans) = map.get("channels") {
        let chans = chans
            .as_mapping()
            .ok_or_else(|| ImportError::at("channels", "is not a mapping"))?;
        for (key, value) in chans {
            let key = key_text(key, "channels")?;
            channels.push(r.channel(&key, value)?);
        }
    }
    let mut operations = Vec::new();
    if let Some(ops) = map.get("operations") {
        let ops = ops
            .as_mapping()
            .ok_or_else(|| ImportError::at("operations", "is not a mapping"))?;
        for (key, value) in ops {
            let key = key_text(key, "operations")?;
            operations.push(r.operation(&key, value, &channels, &title)?);
        }
    }
    Ok(Doc {
        title,
        description,
        channels,
        operations,
    })
}

/// Refuse anything but AsyncAPI 3.0 and 3.1.
fn version(map: &Mapping) -> Result<(), ImportError> {
    let v = match map.get("asyncapi") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(
                ImportError::at("asyncapi", "missing: this is not an AsyncAPI document")
                    .hint("an AsyncAPI document starts with `asyncapi: 3.0.0`"),
            );
        }
    };
    if v.starts_with("3.0") || v.starts_with("3.1") {
        return Ok(());
    }
    let e = ImportError::at(
        "asyncapi",
        format!("version {v} is not supported: AsyncAPI 3.0 or 3.1 is needed"),
    );
    Err(if v.starts_with('2') || v.starts_with('1') {
        e.hint("convert it with `asyncapi convert FILE --target-version=3.0.0` (the AsyncAPI CLI), then import the result")
    } else {
        e
    })
}

/// Follows local `$ref`s.
struct Resolver<'a> {
    root: &'a Value,
}

impl<'a> Resolver<'a> {
    /// The value behind `v`, following `$ref`s, and the last reference followed.
    fn resolve(
        &self,
        v: &'a Value,
        path: &str,
    ) -> Result<(&'a Value, Option<String>), ImportError> {
        let mut cur = v;
        let mut last = None;
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = ref_of(cur) else {
                return Ok((cur, last));
            };
            cur = self.pointer(target, path)?;
            last = Some(target.to_owned());
        }
        Err(ImportError::at(path, "the $refs go round in a circle"))
    }

    fn pointer(&self, target: &str, path: &str) -> Result<&'a Value, ImportError> {
        let Some(pointer) = target.strip_prefix('#') else {
            return Err(ImportError::at(
                path,
                format!("$ref \"{target}\" points outside the document"),
            )
            .hint("only references inside the document (`#/components/…`) are followed; bundle the document first (`asyncapi bundle`)"));
        };
        let mut cur = self.root;
        for part in pointer.split('/').skip(1) {
            let part = part.replace("~1", "/").replace("~0", "~");
            let next = match cur {
                Value::Mapping(m) => m.get(part.as_str()),
                Value::Sequence(s) => part.parse::<usize>().ok().and_then(|i| s.get(i)),
                _ => None,
            };
            cur = next.ok_or_else(|| {
                ImportError::at(path, format!("$ref \"{target}\" does not resolve"))
                    .hint("nothing in the document is at that path; check the spelling")
            })?;
        }
        Ok(cur)
    }

    fn channel(&self, key: &str, value: &'a Value) -> Result<Channel, ImportError> {
        let path = format!("channels.{key}");
        let (v, _) = self.resolve(value, &path)?;
        let m = v
            .as_mapping()
            .ok_or_else(|| ImportError::at(&path, "is not a mapping"))?;
        let address = text(m, "address").ok_or_else(|| {
            ImportError::at(&path, "no address").hint(format!(
                "the address is the topic's name; add `address: {key}`"
            ))
        })?;
        let mut messages = Vec::new();
        if let Some(msgs) = m.get("messages") {
            let msgs = msgs
                .as_mapping()
                .ok_or_else(|| ImportError::at(format!("{path}.messages"), "is not a mapping"))?;
            for (mk, mv) in msgs {
                let mk = key_text(mk, &format!("{path}.messages"))?;
                messages.push(self.message(&format!("{path}.messages.{mk}"), &mk, mv)?);
            }
        }
        let kafka = self.kafka(m, &path)?;
        let config = kafka
            .and_then(|k| k.get("topicConfiguration"))
            .and_then(Value::as_mapping);
        let retention_ms = config
            .and_then(|c| c.get("retention.ms"))
            .and_then(Value::as_i64);
        let retention = match ext(m, "retention") {
            Some(Value::String(s)) => Some(s.parse::<Duration>().map_err(|e| {
                ImportError::at(format!("{path}.{EXTENSION_PREFIX}retention"), e.to_string())
            })?),
            _ => retention_ms
                .and_then(|ms| u64::try_from(ms).ok())
                .map(Duration::from_millis),
        };
        let partitions = kafka
            .and_then(|k| k.get("partitions"))
            .and_then(Value::as_u64);
        let aggregate = ext_text(m, "aggregate");
        let only_requests =
            !messages.is_empty() && messages.iter().all(|x: &Message| x.kind != Kind::Event);
        let kind = if aggregate.is_some() {
            ChannelKind::Store
        } else if kafka.is_none() && only_requests {
            ChannelKind::Requests
        } else {
            ChannelKind::Topic
        };
        Ok(Channel {
            key: key.to_owned(),
            address,
            description: text(m, "description").unwrap_or_default(),
            kind,
            partition_key: ext_text(m, "partition-key")
                .or_else(|| messages.iter().find_map(|x| x.key_field.clone())),
            messages,
            partitions: partitions.map(|p| u32::try_from(p).unwrap_or(u32::MAX)),
            retention,
            archive: ext(m, "archive").and_then(Value::as_bool).unwrap_or(false),
            aggregate,
            snapshot_every: ext(m, "snapshot-every")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            publish_to: ext_text(m, "publish-to"),
        })
    }

    /// The Kafka binding of a channel, operation or message, if it has one.
    fn kafka(&self, m: &'a Mapping, path: &str) -> Result<Option<&'a Mapping>, ImportError> {
        let Some(b) = m.get("bindings") else {
            return Ok(None);
        };
        let (b, _) = self.resolve(b, &format!("{path}.bindings"))?;
        let Some(k) = b.get("kafka") else {
            return Ok(None);
        };
        let (k, _) = self.resolve(k, &format!("{path}.bindings.kafka"))?;
        Ok(k.as_mapping())
    }

    fn message(&self, path: &str, key: &str, value: &'a Value) -> Result<Message, ImportError> {
        let (v, component) = self.resolve(value, path)?;
        let m = v
            .as_mapping()
            .ok_or_else(|| ImportError::at(path, "the message is not a mapping"))?;
        let component_key = component
            .as_deref()
            .and_then(|c| c.strip_prefix("#/components/messages/"))
            .map(|c| c.replace("~1", "/").replace("~0", "~"));
        let name = text(m, "name")
            .or(component_key)
            .unwrap_or_else(|| key.to_owned());
        let kind = match ext_text(m, "kind").as_deref() {
            Some("command") => Kind::Command,
            Some("query") => Kind::Query,
            Some("reply") => Kind::Reply,
            _ => Kind::Event,
        };
        // Eventscape's own messages name the key on the channel instead
        // (`x-eventscape-partition-key`), as one message may travel on topics keyed
        // differently.
        let ours = ext(m, "kind").is_some();
        let key_field = match self.kafka(m, path)?.and_then(|k| k.get("key")) {
            Some(_) if ours => None,
            Some(k) => {
                let (k, _) = self.resolve(k, &format!("{path}.bindings.kafka.key"))?;
                Some(
                    k.get("title")
                        .and_then(Value::as_str)
                        .unwrap_or("key")
                        .to_owned(),
                )
            }
            None => None,
        };
        Ok(Message {
            key: key.to_owned(),
            component,
            name,
            kind,
            // A foreign message's summary is the best description it has; Eventscape's
            // summaries are made from the facts kept elsewhere.
            description: text(m, "description")
                .or_else(|| if ours { None } else { text(m, "summary") })
                .unwrap_or_default(),
            version: ext(m, "schema-version")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            compatibility: typed(ext(m, "compatibility")),
            style: typed(ext(m, "style")),
            payload_bytes: ext(m, "payload-bytes")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            failure: ext(m, "failure").and_then(Value::as_bool).unwrap_or(false),
            compensates: ext(m, "compensates")
                .and_then(Value::as_str)
                .map(str::to_owned),
            key_field,
        })
    }

    fn operation(
        &self,
        key: &str,
        value: &'a Value,
        channels: &[Channel],
        title: &str,
    ) -> Result<Operation, ImportError> {
        let path = format!("operations.{key}");
        let (v, _) = self.resolve(value, &path)?;
        let m = v
            .as_mapping()
            .ok_or_else(|| ImportError::at(&path, "is not a mapping"))?;
        let send = match m.get("action").and_then(Value::as_str) {
            Some("send") => true,
            Some("receive") => false,
            other => {
                return Err(ImportError::at(
                    format!("{path}.action"),
                    match other {
                        Some(a) => format!("\"{a}\" is not an action: it is `send` or `receive`"),
                        None => "missing: `send` or `receive`".to_owned(),
                    },
                ));
            }
        };
        let channel = channel_of(m.get("channel"), &format!("{path}.channel"), channels)?;
        let messages = messages_of(
            m.get("messages"),
            &format!("{path}.messages"),
            channel,
            channels,
        )?;
        let reply = match m.get("reply") {
            Some(r) => {
                let (r, _) = self.resolve(r, &format!("{path}.reply"))?;
                match r.get("channel") {
                    Some(c) => {
                        let rc = channel_of(Some(c), &format!("{path}.reply.channel"), channels)?;
                        let rm = messages_of(
                            r.get("messages"),
                            &format!("{path}.reply.messages"),
                            rc,
                            channels,
                        )?;
                        Some((rc, rm))
                    }
                    None => None,
                }
            }
            None => None,
        };
        let group = match self.kafka(m, &path)?.and_then(|k| k.get("groupId")) {
            Some(g) => {
                let (g, _) = self.resolve(g, &format!("{path}.bindings.kafka.groupId"))?;
                schema_value(g)
            }
            None => None,
        };
        Ok(Operation {
            send,
            actor: actor(m, title),
            channel,
            messages,
            reply,
            group,
        })
    }
}

/// Who performs an operation: the service, source or store Eventscape wrote, else the
/// operation's first tag, else the application the document describes (its title).
fn actor(m: &Mapping, title: &str) -> Actor {
    if let Some(s) = ext_text(m, "service") {
        return Actor::Service(s);
    }
    if let Some(s) = ext_text(m, "source") {
        return Actor::Source(s);
    }
    if let Some(s) = ext_text(m, "event-store") {
        return Actor::Store(s);
    }
    let tag = m
        .get("tags")
        .and_then(Value::as_sequence)
        .and_then(|t| t.first())
        .and_then(|t| t.get("name"))
        .and_then(Value::as_str);
    Actor::Service(tag.unwrap_or(title).to_owned())
}

/// The channel an operation's `channel` refers to (`#/channels/<key>`).
fn channel_of(v: Option<&Value>, path: &str, channels: &[Channel]) -> Result<usize, ImportError> {
    let target = v.and_then(ref_of).ok_or_else(|| {
        ImportError::at(
            path,
            "missing: an operation names its channel with `$ref: '#/channels/…'`",
        )
    })?;
    let key = target
        .strip_prefix("#/channels/")
        .filter(|k| !k.contains('/'))
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .ok_or_else(|| {
            ImportError::at(
                path,
                format!("$ref \"{target}\" is not a channel of the document"),
            )
            .hint("in AsyncAPI 3 an operation's channel is `$ref: '#/channels/<key>'`")
        })?;
    channels
        .iter()
        .position(|c| c.key == key)
        .ok_or_else(|| ImportError::at(path, format!("$ref \"{target}\" does not resolve")))
}

/// The messages an operation's `messages` refer to; all the channel's when absent.
fn messages_of(
    v: Option<&Value>,
    path: &str,
    channel: usize,
    channels: &[Channel],
) -> Result<Vec<usize>, ImportError> {
    let ch = &channels[channel];
    let Some(list) = v else {
        return Ok((0..ch.messages.len()).collect());
    };
    let list = list
        .as_sequence()
        .ok_or_else(|| ImportError::at(path, "is not a list"))?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let target = ref_of(item)
            .ok_or_else(|| ImportError::at(&at, "a message of an operation is a $ref"))?;
        let parts: Vec<String> = target
            .split('/')
            .map(|p| p.replace("~1", "/").replace("~0", "~"))
            .collect();
        let found = match parts.as_slice() {
            [hash, c, k, m, name] if hash == "#" && c == "channels" && m == "messages" => {
                if *k != ch.key {
                    return Err(ImportError::at(
                        &at,
                        format!(
                            "$ref \"{target}\" is a message of another channel than {}",
                            ch.key
                        ),
                    ));
                }
                ch.messages.iter().position(|x| &x.key == name)
            }
            _ => ch
                .messages
                .iter()
                .position(|x| x.component.as_deref() == Some(target)),
        };
        out.push(found.ok_or_else(|| {
            ImportError::at(&at, format!("$ref \"{target}\" does not resolve"))
                .hint(format!("the channel {} has no such message", ch.key))
        })?);
    }
    Ok(out)
}

/// The one value a schema allows: `const`, the only `enum` entry, or `default`; a
/// plain string is taken as it is.
fn schema_value(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    let pick = v
        .get("const")
        .or_else(|| {
            v.get("enum")
                .and_then(Value::as_sequence)
                .and_then(|e| e.first())
        })
        .or_else(|| v.get("default"))?;
    match pick {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn ref_of(v: &Value) -> Option<&str> {
    v.as_mapping()?.get("$ref")?.as_str()
}

fn key_text(k: &Value, path: &str) -> Result<String, ImportError> {
    match k {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(ImportError::at(path, "a key is not a string")),
    }
}

fn text(m: &Mapping, field: &str) -> Option<String> {
    m.get(field).and_then(Value::as_str).map(str::to_owned)
}

fn ext<'a>(m: &'a Mapping, name: &str) -> Option<&'a Value> {
    m.get(format!("{EXTENSION_PREFIX}{name}").as_str())
}

fn ext_text(m: &Mapping, name: &str) -> Option<String> {
    ext(m, name).and_then(Value::as_str).map(str::to_owned)
}

fn typed<T: DeserializeOwned>(v: Option<&Value>) -> Option<T> {
    v.and_then(|v| serde_yaml_ng::from_value(v.clone()).ok())
}
