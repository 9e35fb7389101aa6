//! A service's records: the hop span of each message it handles (with its attempts,
//! failures and retries as span events), and rejections by a full queue.

use super::TraceBuilder;
use crate::export::docs::otlp::{AttrValue, KIND_CONSUMER, KIND_SERVER, SpanKind, kind_label};
use crate::sim::{MsgKind, Record, TraceKind};

impl TraceBuilder<'_> {
    /// Opens the hop of `r`'s message at `r`'s service: a delivery to its queue.
    fn open_hop(&mut self, r: &Record) -> usize {
        let service = self.service_name(r.element);
        let ty_name = self.type_name(r.message_type);
        let kind = self.type_kind(r.message_type);
        // A delivery is caused by the publish it reads, the step or handler that sent
        // the command, the caller's attempt that made the query, the hop that replied.
        let parent = self.parent_of(r);
        let from_topic = (kind == Some(MsgKind::Event)
            && self.spans[parent].kind == SpanKind::Publish)
            .then_some(parent);
        let otel_kind = if kind == Some(MsgKind::Query) {
            KIND_SERVER
        } else {
            KIND_CONSUMER
        };
        let span = self.add(
            SpanKind::Hop,
            r.message,
            r.element,
            Some(parent),
            otel_kind,
            format!("process {ty_name}"),
            service.clone(),
            r.time.as_nanos(),
            r.message_type,
        );
        self.common(span, r.message);
        let (system, destination) = match kind {
            Some(MsgKind::Event) => {
                let topic = from_topic.and_then(|p| {
                    self.spans[p].attrs.iter().find_map(|(k, v)| match v {
                        AttrValue::Str(s) if k == "messaging.destination.name" => Some(s.clone()),
                        _ => None,
                    })
                });
                if let Some(t) = &topic {
                    let group = self
                        .plan
                        .groups
                        .iter()
                        .find(|g| g.service.0 == r.element && self.topic_name(g.topic.0) == *t)
                        .map(|g| g.name.clone());
                    if let Some(g) = group {
                        self.set(span, "messaging.consumer.group.name", AttrValue::Str(g));
                    }
                    let partition = from_topic.and_then(|p| {
                        self.spans[p].attrs.iter().find_map(|(k, v)| match v {
                            AttrValue::Str(s) if k == "messaging.destination.partition.id" => {
                                Some(s.clone())
                            }
                            _ => None,
                        })
                    });
                    if let Some(p) = partition {
                        self.set(
                            span,
                            "messaging.destination.partition.id",
                            AttrValue::Str(p),
                        );
                    }
                }
                ("kafka", topic.unwrap_or_else(|| "unknown topic".to_owned()))
            }
            Some(MsgKind::Command) => ("eventscape", format!("commands.{ty_name}")),
            Some(MsgKind::Query) => ("eventscape", format!("queries.{ty_name}")),
            Some(MsgKind::Reply) => {
                let p = &self.spans[parent];
                let destination = if p.kind == SpanKind::Hop {
                    format!("commands.{}.replies", self.type_name(p.ty))
                } else {
                    "replies".to_owned()
                };
                ("eventscape", destination)
            }
            None => ("eventscape", "unknown".to_owned()),
        };
        self.messaging(span, system, destination, "process", "process");
        self.set(span, "eventscape.service", AttrValue::Str(service));
        if let Some(k) = kind {
            self.set(
                span,
                "eventscape.message_kind",
                AttrValue::Str(kind_label(k).to_owned()),
            );
        }
        self.set(span, "eventscape.message_type", AttrValue::Str(ty_name));
        self.open_hops
            .entry((r.message, r.element))
            .or_default()
            .push_back(span);
        span
    }

    /// The oldest open hop of `r`'s message at `r`'s service, opened now if there is
    /// none (its delivery is not among the records).
    fn current_hop(&mut self, r: &Record) -> usize {
        match self
            .open_hops
            .get(&(r.message, r.element))
            .and_then(|q| q.front().copied())
        {
            Some(s) => s,
            None => self.open_hop(r),
        }
    }

    /// Closes the oldest open hop of `r`'s message at `r`'s service.
    fn end_hop(&mut self, r: &Record, error: Option<String>) -> usize {
        let span = self.current_hop(r);
        if let Some(q) = self.open_hops.get_mut(&(r.message, r.element)) {
            q.pop_front();
        }
        self.close(span, r.time.as_nanos(), error);
        span
    }

    /// The span a service's record belongs to: the hop of its message (a rejection
    /// has a span of its own).
    pub(super) fn service_record(&mut self, r: &Record) -> Option<usize> {
        Some(match r.kind {
            TraceKind::Delivered => self.open_hop(r),
            TraceKind::Started => self.attempt_event(r, "started"),
            TraceKind::Failed => self.attempt_event(r, "attempt failed"),
            TraceKind::Retried => self.attempt_event(r, "retry scheduled"),
            TraceKind::DoubleEffect => {
                let s = self.current_hop(r);
                self.spans[s].events.push((
                    r.time.as_nanos(),
                    "double effect".to_owned(),
                    Vec::new(),
                ));
                self.set(s, "eventscape.double_effect", AttrValue::Bool(true));
                s
            }
            TraceKind::Completed => self.end_hop(r, None),
            TraceKind::Deduplicated => {
                let s = self.end_hop(r, None);
                self.set(s, "eventscape.deduplicated", AttrValue::Bool(true));
                s
            }
            TraceKind::DeadLettered => {
                let why = if r.detail == u32::MAX {
                    "given up after the last attempt (no dead-letter topic)".to_owned()
                } else {
                    format!("dead-lettered to {}", self.topic_name(r.detail))
                };
                let s = self.end_hop(r, Some(why));
                if r.detail != u32::MAX {
                    let t = self.topic_name(r.detail);
                    self.set(s, "eventscape.dead_letter_topic", AttrValue::Str(t));
                }
                s
            }
            TraceKind::Rejected => {
                let parent = self.parent_of(r);
                let service = self.service_name(r.element);
                let ty_name = self.type_name(r.message_type);
                let s = self.add(
                    SpanKind::Rejected,
                    r.message,
                    r.element,
                    Some(parent),
                    KIND_CONSUMER,
                    format!("reject {ty_name}"),
                    service.clone(),
                    r.time.as_nanos(),
                    r.message_type,
                );
                self.common(s, r.message);
                self.set(s, "eventscape.service", AttrValue::Str(service));
                self.set(s, "eventscape.message_type", AttrValue::Str(ty_name));
                self.close(
                    s,
                    r.time.as_nanos(),
                    Some("rejected: the service's queue is full".to_owned()),
                );
                s
            }
            _ => return None,
        })
    }

    /// Adds the event `name` about attempt `r.detail` to the hop of `r`'s message.
    fn attempt_event(&mut self, r: &Record, name: &str) -> usize {
        let s = self.current_hop(r);
        self.spans[s].events.push((
            r.time.as_nanos(),
            name.to_owned(),
            vec![(
                "eventscape.attempt".to_owned(),
                AttrValue::Int(i64::from(r.detail)),
            )],
        ));
        s
    }
}
