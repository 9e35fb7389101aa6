//! A topic's records: publishes and expiries, each a zero-length span.

use super::{Failure, TraceBuilder};
use crate::export::docs::otlp::{AttrValue, KIND_INTERNAL, KIND_PRODUCER, SpanKind};
use crate::sim::{Record, TraceKind};

impl TraceBuilder<'_> {
    /// The span a topic's record opens: a publish, or a message lost to retention.
    pub(super) fn topic_record(&mut self, r: &Record) -> Option<usize> {
        let topic = self.topic_name(r.element);
        let ty_name = self.type_name(r.message_type);
        let (kind, otel_kind, name) = match r.kind {
            TraceKind::Published => (SpanKind::Publish, KIND_PRODUCER, "publish"),
            TraceKind::Expired => (SpanKind::Expired, KIND_INTERNAL, "expire"),
            _ => return None,
        };
        let parent = self.parent_of(r);
        let resource = self.spans[parent].resource.clone();
        let s = self.add(
            kind,
            r.message,
            r.element,
            Some(parent),
            otel_kind,
            format!("{name} {topic}"),
            resource,
            r.time.as_nanos(),
            r.message_type,
        );
        self.spans[s].topic = Some((r.element, r.detail));
        self.common(s, r.message);
        let partition = AttrValue::owned(r.detail.to_string());
        let error = if kind == SpanKind::Publish {
            // Kafka names the operation `publish` or `send`; its type is `send`.
            self.messaging(s, "kafka", topic, "publish", "send");
            self.set(s, "messaging.destination.partition.id", partition);
            None
        } else {
            // Lost before any consumer received it: not a messaging operation.
            self.set(s, "messaging.destination.name", AttrValue::Str(topic));
            self.set(s, "messaging.destination.partition.id", partition);
            Some(Failure::new(
                "expired",
                "expired: older than the topic's retention before it was read",
            ))
        };
        self.set(s, "eventscape.message_type", AttrValue::str(ty_name));
        self.close(s, r.time.as_nanos(), error);
        Some(s)
    }
}
