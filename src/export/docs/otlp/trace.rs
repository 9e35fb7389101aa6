//! Building one trace (one correlation id) from its records: spans, their parents,
//! their events and status.
//!
//! The records of each kind of element are read in a submodule of their own: `hop`
//! (services), `topic`, `store` and `saga`; this module holds the builder, the span
//! bookkeeping they share and the root span. `encode` writes the finished spans.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, VecDeque};

use super::{AttrValue, Attrs, KIND_INTERNAL, SpanKind, mix};
use crate::sim::{MsgKind, Plan, Record, TraceKind, Where};

mod hop;
mod saga;
mod store;
mod topic;

/// Why a span failed: `error.type` and the status message.
pub(super) struct Failure {
    pub error_type: &'static str,
    pub message: String,
}

impl Failure {
    fn new(error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            error_type,
            message: message.into(),
        }
    }
}

pub(super) struct Span<'a> {
    pub id: u64,
    pub parent: Option<usize>,
    pub kind: SpanKind,
    pub otel_kind: i64,
    pub name: String,
    pub resource: Cow<'a, str>,
    pub start: u64,
    pub end: Option<u64>,
    /// Message type (interned), if the span is about one message.
    pub ty: u32,
    /// The topic (and partition) of a publish, for the consumers that read it.
    pub topic: Option<(u32, u32)>,
    pub attrs: Attrs<'a>,
    /// (time, name, attributes).
    pub events: Vec<(u64, &'static str, Attrs<'a>)>,
    pub error: Option<Failure>,
}

/// A delivery to a service's queue whose processing has not ended.
struct Delivery {
    /// When it reached the queue.
    at: u64,
    /// The span its delivery record is a child of.
    parent: usize,
    /// Its message type (interned).
    ty: u32,
    /// Its process span, once a worker has started on it.
    span: Option<usize>,
}

/// The spans of one correlation id, built record by record.
pub(super) struct TraceBuilder<'a> {
    plan: &'a Plan,
    /// Has the root been given its start time?
    started: bool,
    pub(super) corr: u64,
    pub(super) spans: Vec<Span<'a>>,
    used_ids: BTreeSet<u64>,
    seen_keys: HashMap<(SpanKind, u64, u32), u64>,
    /// Record id → the span that record belongs to.
    span_of: HashMap<u64, usize>,
    /// Record id → the id of the record that caused it.
    cause_of: HashMap<u64, u64>,
    /// Open deliveries per (message id, service), oldest first.
    deliveries: HashMap<(u64, u32), VecDeque<Delivery>>,
    /// Saga instance spans by (saga, instance id), and each one's open step.
    sagas: HashMap<(u32, u64), usize>,
    open_step: HashMap<usize, usize>,
    /// The source of the item's completion record.
    source: Option<u32>,
    /// The source whose action sent the item's first message, if one fits.
    first_source: Option<u32>,
    /// (time, failed) of the item's completion.
    pub(super) completed: Option<(u64, bool)>,
}

const ROOT: usize = 0;

impl<'a> TraceBuilder<'a> {
    pub(super) fn new(plan: &'a Plan, corr: u64) -> Self {
        let mut b = Self {
            plan,
            started: false,
            corr,
            spans: Vec::new(),
            used_ids: BTreeSet::new(),
            seen_keys: HashMap::new(),
            span_of: HashMap::new(),
            cause_of: HashMap::new(),
            deliveries: HashMap::new(),
            sagas: HashMap::new(),
            open_step: HashMap::new(),
            source: None,
            first_source: None,
            completed: None,
        };
        // The root: named and timed once the records are read.
        b.add(
            SpanKind::Root,
            0,
            0,
            None,
            KIND_INTERNAL,
            String::new(),
            Cow::Borrowed(""),
            0,
            u32::MAX,
        );
        b
    }

    /// A new span; its id is derived from (correlation, kind, message, element, n).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: SpanKind,
        message: u64,
        element: u32,
        parent: Option<usize>,
        otel_kind: i64,
        name: String,
        resource: Cow<'a, str>,
        start: u64,
        ty: u32,
    ) -> usize {
        let n = self.seen_keys.entry((kind, message, element)).or_insert(0);
        *n += 1;
        let mut h =
            mix(self.corr ^ mix(kind.tag() ^ mix(message ^ mix(u64::from(element) ^ mix(*n)))));
        while h == 0 || !self.used_ids.insert(h) {
            h = mix(h ^ 0x5eed);
        }
        self.spans.push(Span {
            id: h,
            parent,
            kind,
            otel_kind,
            name,
            resource,
            start,
            end: None,
            ty,
            topic: None,
            attrs: Vec::new(),
            events: Vec::new(),
            error: None,
        });
        self.spans.len() - 1
    }

    fn set(&mut self, span: usize, key: &'static str, v: AttrValue<'a>) {
        self.spans[span].attrs.push((key, v));
    }

    fn close(&mut self, span: usize, time: u64, error: Option<Failure>) {
        let s = &mut self.spans[span];
        if s.end.is_none() {
            s.end = Some(time.max(s.start));
            if error.is_some() {
                s.error = error;
            }
        }
    }

    /// The parent of a span opened by `r`: the span of the nearest record up its
    /// chain of causes, or the root for a record the workload caused.
    fn parent_of(&self, r: &Record) -> usize {
        let mut cause = r.cause;
        while cause != 0 {
            if let Some(&span) = self.span_of.get(&cause) {
                return span;
            }
            cause = self.cause_of.get(&cause).copied().unwrap_or(0);
        }
        ROOT
    }

    fn type_name(&self, ty: u32) -> &'a str {
        self.plan
            .types
            .get(ty as usize)
            .map_or("message", |t| t.name.as_str())
    }

    fn type_kind(&self, ty: u32) -> Option<MsgKind> {
        self.plan.types.get(ty as usize).map(|t| t.kind)
    }

    fn service_name(&self, s: u32) -> Cow<'a, str> {
        self.plan.services.get(s as usize).map_or_else(
            || Cow::Owned(format!("service {s}")),
            |p| Cow::Borrowed(p.name.as_str()),
        )
    }

    fn topic_name(&self, t: u32) -> Cow<'a, str> {
        self.plan.topics.get(t as usize).map_or_else(
            || Cow::Owned(format!("topic {t}")),
            |p| Cow::Borrowed(p.name.as_str()),
        )
    }

    /// Attributes every span has: its kind, the correlation and the message id.
    fn common(&mut self, span: usize, message: u64) {
        let kind = self.spans[span].kind.label();
        self.set(span, "eventscape.kind", AttrValue::str(kind));
        self.set(
            span,
            "eventscape.correlation_id",
            AttrValue::Int(self.corr as i64),
        );
        if message != 0 {
            self.set(
                span,
                "messaging.message.id",
                AttrValue::owned(message.to_string()),
            );
        }
    }

    /// The attributes of a messaging span (operation, destination, conversation).
    fn messaging(
        &mut self,
        span: usize,
        system: &'static str,
        destination: Cow<'a, str>,
        op_name: &'static str,
        op_type: &'static str,
    ) {
        self.set(span, "messaging.system", AttrValue::str(system));
        self.set(span, "messaging.operation.name", AttrValue::str(op_name));
        self.set(span, "messaging.operation.type", AttrValue::str(op_type));
        self.set(
            span,
            "messaging.destination.name",
            AttrValue::Str(destination),
        );
        self.set(
            span,
            "messaging.message.conversation_id",
            AttrValue::owned(self.corr.to_string()),
        );
    }

    /// Read one record of this trace's correlation id.
    pub(super) fn record(&mut self, r: &Record) {
        let span = match r.at {
            Where::Service => self.service_record(r),
            Where::Topic => self.topic_record(r),
            Where::Saga => self.saga_record(r),
            Where::Store => Some(self.store_record(r)),
            Where::Source => {
                if r.kind == TraceKind::ItemCompleted {
                    self.source = Some(r.element);
                    self.completed = Some((r.time.as_nanos(), r.detail != 0));
                }
                None
            }
            Where::Fault => None,
        };
        if let Some(span) = span {
            self.span_of.insert(r.id, span);
        }
        self.cause_of.insert(r.id, r.cause);
        if !self.started {
            // The first record of the item marks its start, and tells its source
            // until the item's completion names it.
            self.started = true;
            self.spans[ROOT].start = r.time.as_nanos();
            self.first_source = self.plan.source_of(r).map(|s| s.0);
        }
    }

    /// Close the trace: at its completion if it has one, else at `end_of_run`.
    /// Spans still open then are marked unfinished.
    pub(super) fn finish(&mut self, end_of_run: u64) {
        let end = self.completed.map_or(end_of_run, |(t, _)| t);
        let source = self.source.or(self.first_source);
        let plan = self.plan;
        let source_name: Cow<'a, str> = match source.and_then(|s| plan.sources.get(s as usize)) {
            Some(s) => Cow::Borrowed(s.name.as_str()),
            // No source fits the first record (two sources with the same action):
            // the item is still its own service, named after what started it.
            None => Cow::Owned("unknown source".to_owned()),
        };
        {
            let root = &mut self.spans[ROOT];
            root.name = format!("{source_name} item");
            root.resource = source_name.clone();
        }
        self.common(ROOT, 0);
        self.set(
            ROOT,
            "eventscape.source",
            AttrValue::Str(source_name.clone()),
        );
        // Publishes and appends made by the source itself belong to its resource.
        for i in 1..self.spans.len() {
            if self.spans[i].resource.is_empty() {
                let mut p = self.spans[i].parent;
                let mut resource = source_name.clone();
                while let Some(pi) = p {
                    if !self.spans[pi].resource.is_empty() {
                        resource = self.spans[pi].resource.clone();
                        break;
                    }
                    p = self.spans[pi].parent;
                }
                self.spans[i].resource = resource;
            }
        }
        self.queued_at_end(end);
        if let Some((t, failed)) = self.completed {
            self.set(ROOT, "eventscape.failed", AttrValue::Bool(failed));
            self.close(
                ROOT,
                t,
                failed.then(|| Failure::new("item_failed", "the item failed")),
            );
        }
        for i in 0..self.spans.len() {
            if self.spans[i].end.is_none() {
                self.set(i, "eventscape.unfinished", AttrValue::Bool(true));
                self.close(i, end, None);
            }
        }
    }
}
