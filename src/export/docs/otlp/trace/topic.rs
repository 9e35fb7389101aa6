//! A topic's records: publishes and expiries, each a zero-length span.

use super::TraceBuilder;
use crate::export::docs::otlp::{AttrValue, KIND_INTERNAL, KIND_PRODUCER, SpanKind};
use crate::sim::{Record, TraceKind};

impl TraceBuilder<'_> {
    /// The span a topic's record opens: a publish, or a message lost to retention.
    pub(super) fn topic_record(&mut self, r: &Record) -> Option<usize> {
        let topic = self.topic_name(r.element);
        let ty_name = self.type_name(r.message_type);
        Some(match r.kind {
            TraceKind::Published => {
                let parent = self.parent_of(r);
                let resource = self.spans[parent].resource.clone();
                let s = self.add(
                    SpanKind::Publish,
                    r.message,
                    r.element,
                    Some(parent),
                    KIND_PRODUCER,
                    format!("publish {topic}"),
                    resource,
                    r.time.as_nanos(),
                    r.message_type,
                );
                self.common(s, r.message);
                self.messaging(s, "kafka", topic, "publish", "send");
                self.set(
                    s,
                    "messaging.destination.partition.id",
                    AttrValue::Str(r.detail.to_string()),
                );
                self.set(s, "eventscape.message_type", AttrValue::Str(ty_name));
                self.close(s, r.time.as_nanos(), None);
                s
            }
            TraceKind::Expired => {
                let parent = self.parent_of(r);
                let resource = self.spans[parent].resource.clone();
                let s = self.add(
                    SpanKind::Expired,
                    r.message,
                    r.element,
                    Some(parent),
                    KIND_INTERNAL,
                    format!("expire {topic}"),
                    resource,
                    r.time.as_nanos(),
                    r.message_type,
                );
                self.common(s, r.message);
                self.messaging(s, "kafka", topic, "receive", "receive");
                self.set(
                    s,
                    "messaging.destination.partition.id",
                    AttrValue::Str(r.detail.to_string()),
                );
                self.set(s, "eventscape.message_type", AttrValue::Str(ty_name));
                self.close(
                    s,
                    r.time.as_nanos(),
                    Some("expired: older than the topic's retention before it was read".to_owned()),
                );
                s
            }
            _ => return None,
        })
    }
}
