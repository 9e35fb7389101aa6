//! A service's records: the process span of each message it handles (with its
//! attempts, failures and retries as span events), the time the message waited in
//! the service's queue before that, and rejections by a full queue.

use std::borrow::Cow;

use super::{Delivery, Failure, TraceBuilder};
use crate::export::docs::otlp::{
    AttrValue, KIND_CONSUMER, KIND_INTERNAL, KIND_SERVER, SpanKind, kind_label,
};
use crate::sim::{MsgKind, Record, TraceKind};

impl<'a> TraceBuilder<'a> {
    /// A delivery of `r`'s message to `r`'s service's queue: noted, with the span it
    /// is a child of; its spans open when a worker starts on it.
    fn delivered(&mut self, r: &Record) {
        let parent = self.parent_of(r);
        self.deliveries
            .entry((r.message, r.element))
            .or_default()
            .push_back(Delivery {
                at: r.time.as_nanos(),
                parent,
                ty: r.message_type,
                span: None,
            });
    }

    /// The process span of the oldest open delivery of `r`'s message at `r`'s
    /// service, opened now if processing starts with `r` (with its queue wait
    /// before it), or from `r` alone if its delivery is not among the records.
    fn current_hop(&mut self, r: &Record) -> usize {
        let key = (r.message, r.element);
        let front = self
            .deliveries
            .get(&key)
            .and_then(|q| q.front())
            .map(|d| (d.at, d.parent, d.span));
        match front {
            Some((_, _, Some(span))) => span,
            Some((at, parent, None)) => {
                let now = r.time.as_nanos();
                if now > at {
                    self.wait_span(r, parent, at, Some(now));
                }
                let span = self.open_hop(r, parent);
                if let Some(d) = self.deliveries.get_mut(&key).and_then(|q| q.front_mut()) {
                    d.span = Some(span);
                }
                span
            }
            None => {
                let parent = self.parent_of(r);
                let span = self.open_hop(r, parent);
                self.deliveries.entry(key).or_default().push_back(Delivery {
                    at: r.time.as_nanos(),
                    parent,
                    ty: r.message_type,
                    span: Some(span),
                });
                span
            }
        }
    }

    /// The span of the time `r`'s message waited in its service's queue, from `at`
    /// to `end` (still waiting when `None`).
    fn wait_span(&mut self, r: &Record, parent: usize, at: u64, end: Option<u64>) -> usize {
        let service = self.service_name(r.element);
        let ty_name = self.type_name(r.message_type);
        let s = self.add(
            SpanKind::Wait,
            r.message,
            r.element,
            Some(parent),
            KIND_INTERNAL,
            "queue wait".to_owned(),
            service.clone(),
            at,
            r.message_type,
        );
        self.common(s, r.message);
        self.set(s, "eventscape.service", AttrValue::Str(service));
        self.set(s, "eventscape.message_type", AttrValue::str(ty_name));
        if let Some(end) = end {
            self.close(s, end, None);
        }
        s
    }

    /// Opens the process span of `r`'s message at `r`'s service, a child of `parent`.
    fn open_hop(&mut self, r: &Record, parent: usize) -> usize {
        let service = self.service_name(r.element);
        let ty_name = self.type_name(r.message_type);
        let kind = self.type_kind(r.message_type);
        let (otel_kind, destination) = match kind {
            Some(MsgKind::Event) => {
                // Read from the topic its parent published to.
                let topic = (self.spans[parent].kind == SpanKind::Publish)
                    .then_some(self.spans[parent].topic)
                    .flatten();
                let name =
                    topic.map_or(Cow::Borrowed("unknown topic"), |(t, _)| self.topic_name(t));
                (KIND_CONSUMER, name)
            }
            Some(MsgKind::Command) => (KIND_CONSUMER, Cow::Owned(format!("commands.{ty_name}"))),
            Some(MsgKind::Reply) => {
                let p = &self.spans[parent];
                let destination = if p.kind == SpanKind::Hop {
                    format!("commands.{}.replies", self.type_name(p.ty))
                } else {
                    "replies".to_owned()
                };
                (KIND_CONSUMER, Cow::Owned(destination))
            }
            Some(MsgKind::Query) => (KIND_SERVER, Cow::Owned(format!("queries.{ty_name}"))),
            None => (KIND_CONSUMER, Cow::Borrowed("unknown")),
        };
        let name = if otel_kind == KIND_SERVER {
            format!("query {ty_name}")
        } else {
            format!("process {destination}")
        };
        let span = self.add(
            SpanKind::Hop,
            r.message,
            r.element,
            Some(parent),
            otel_kind,
            name,
            service.clone(),
            r.time.as_nanos(),
            r.message_type,
        );
        self.common(span, r.message);
        if otel_kind == KIND_SERVER {
            // A query is a synchronous request, not a messaging operation.
            self.set(span, "eventscape.destination", AttrValue::Str(destination));
        } else {
            let topic = (kind == Some(MsgKind::Event))
                .then_some(self.spans[parent].topic)
                .flatten();
            let system = if topic.is_some() {
                "kafka"
            } else {
                "eventscape"
            };
            self.messaging(span, system, destination, "process", "process");
            if let Some((t, partition)) = topic {
                self.set(
                    span,
                    "messaging.destination.partition.id",
                    AttrValue::owned(partition.to_string()),
                );
                let group = self
                    .plan
                    .groups
                    .iter()
                    .find(|g| g.service.0 == r.element && g.topic.0 == t)
                    .map(|g| g.name.as_str());
                if let Some(g) = group {
                    self.set(span, "messaging.consumer.group.name", AttrValue::str(g));
                }
            }
        }
        self.set(span, "eventscape.service", AttrValue::Str(service));
        if let Some(k) = kind {
            self.set(
                span,
                "eventscape.message_kind",
                AttrValue::str(kind_label(k)),
            );
        }
        self.set(span, "eventscape.message_type", AttrValue::str(ty_name));
        span
    }

    /// Closes the process span of the oldest open delivery of `r`'s message at `r`'s
    /// service.
    fn end_hop(&mut self, r: &Record, error: Option<Failure>) -> usize {
        let span = self.current_hop(r);
        if let Some(q) = self.deliveries.get_mut(&(r.message, r.element)) {
            q.pop_front();
            if q.is_empty() {
                self.deliveries.remove(&(r.message, r.element));
            }
        }
        self.close(span, r.time.as_nanos(), error);
        span
    }

    /// Messages still in a queue when the trace ends: their wait, unfinished.
    pub(super) fn queued_at_end(&mut self, end: u64) {
        let mut waiting: Vec<(u64, usize, u64, u32, u32)> = self
            .deliveries
            .iter()
            .flat_map(|(&(message, service), q)| {
                q.iter()
                    .filter(|d| d.span.is_none())
                    .map(move |d| (d.at, d.parent, message, service, d.ty))
            })
            .collect();
        // In delivery order (the map's order is not deterministic).
        waiting.sort_unstable();
        for (at, parent, message, service, ty) in waiting {
            let r = Record {
                message,
                element: service,
                message_type: ty,
                ..Record::BLANK
            };
            let s = self.wait_span(&r, parent, at, None);
            self.set(s, "eventscape.unfinished", AttrValue::Bool(true));
            self.close(s, end, None);
        }
        self.deliveries.clear();
    }

    /// The span a service's record belongs to: the process span of its message (a
    /// rejection has a span of its own); none for a delivery.
    pub(super) fn service_record(&mut self, r: &Record) -> Option<usize> {
        Some(match r.kind {
            TraceKind::Delivered => {
                self.delivered(r);
                return None;
            }
            TraceKind::Started => self.attempt_event(r, "started"),
            TraceKind::Failed => self.attempt_event(r, "attempt failed"),
            TraceKind::Retried => self.attempt_event(r, "retry scheduled"),
            TraceKind::DoubleEffect => {
                let s = self.current_hop(r);
                self.spans[s]
                    .events
                    .push((r.time.as_nanos(), "double effect", Vec::new()));
                self.set(s, "eventscape.double_effect", AttrValue::Bool(true));
                s
            }
            TraceKind::Completed => self.end_hop(r, None),
            TraceKind::Deduplicated => {
                let s = self.end_hop(r, None);
                self.set(s, "eventscape.deduplicated", AttrValue::Bool(true));
                s
            }
            TraceKind::DeadLettered => self.dead_lettered(r),
            TraceKind::Rejected => self.rejected(r),
            _ => return None,
        })
    }

    /// The last attempt failed: the process span ends in error.
    fn dead_lettered(&mut self, r: &Record) -> usize {
        let failure = if r.detail == u32::MAX {
            Failure::new(
                "retries_exhausted",
                "given up after the last attempt (no dead-letter topic)",
            )
        } else {
            Failure::new(
                "dead_lettered",
                format!("dead-lettered to {}", self.topic_name(r.detail)),
            )
        };
        let s = self.end_hop(r, Some(failure));
        if r.detail != u32::MAX {
            let t = self.topic_name(r.detail);
            self.set(s, "eventscape.dead_letter_topic", AttrValue::Str(t));
        }
        s
    }

    /// A request refused by the service's full queue: a zero-length error span.
    fn rejected(&mut self, r: &Record) -> usize {
        let parent = self.parent_of(r);
        let service = self.service_name(r.element);
        let ty_name = self.type_name(r.message_type);
        let s = self.add(
            SpanKind::Rejected,
            r.message,
            r.element,
            Some(parent),
            KIND_INTERNAL,
            format!("reject {ty_name}"),
            service.clone(),
            r.time.as_nanos(),
            r.message_type,
        );
        self.common(s, r.message);
        self.set(s, "eventscape.service", AttrValue::Str(service));
        self.set(s, "eventscape.message_type", AttrValue::str(ty_name));
        self.close(
            s,
            r.time.as_nanos(),
            Some(Failure::new(
                "queue_full",
                "rejected: the service's queue is full",
            )),
        );
        s
    }

    /// Adds the event `name` about attempt `r.detail` to the process span of `r`'s
    /// message.
    fn attempt_event(&mut self, r: &Record, name: &'static str) -> usize {
        let s = self.current_hop(r);
        self.spans[s].events.push((
            r.time.as_nanos(),
            name,
            vec![("eventscape.attempt", AttrValue::Int(i64::from(r.detail)))],
        ));
        s
    }
}
