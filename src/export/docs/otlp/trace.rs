//! Building one trace (one correlation id) from its records: spans, their parents,
//! their events and status.
//!
//! The records of each kind of element are read in a submodule of their own: `hop`
//! (services), `topic`, `store` and `saga`; this module holds the builder, the span
//! bookkeeping they share, the root span and the JSON encoding.

use super::*;

mod hop;
mod saga;
mod store;
mod topic;

struct Span {
    id: u64,
    parent: Option<usize>,
    kind: SpanKind,
    otel_kind: i64,
    name: String,
    resource: String,
    start: u64,
    end: Option<u64>,
    /// Message type (interned), if the span is about one message.
    ty: u32,
    attrs: Vec<(String, AttrValue)>,
    /// (time, name, attributes).
    events: Vec<(u64, String, Attrs)>,
    error: Option<String>,
}

pub(super) struct TraceBuilder<'a> {
    plan: &'a Plan,
    /// Has the root been given its start time?
    started: bool,
    corr: u64,
    spans: Vec<Span>,
    used_ids: BTreeSet<u64>,
    seen_keys: HashMap<(SpanKind, u64, u32), u64>,
    /// Record id → the span that record belongs to.
    span_of: HashMap<u64, usize>,
    /// Record id → the id of the record that caused it.
    cause_of: HashMap<u64, u64>,
    /// Open hops per (message id, service), oldest first.
    open_hops: HashMap<(u64, u32), VecDeque<usize>>,
    /// Saga instance spans by (saga, instance id), and each one's open step.
    sagas: HashMap<(u32, u64), usize>,
    open_step: HashMap<usize, usize>,
    source: Option<u32>,
    /// The source whose action sent the item's first message, if one fits.
    first_source: Option<u32>,
    completed: Option<(u64, bool)>,
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
            open_hops: HashMap::new(),
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
            String::new(),
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
        resource: String,
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
            attrs: Vec::new(),
            events: Vec::new(),
            error: None,
        });
        self.spans.len() - 1
    }

    fn set(&mut self, span: usize, key: &str, v: AttrValue) {
        self.spans[span].attrs.push((key.to_owned(), v));
    }

    fn close(&mut self, span: usize, time: u64, error: Option<String>) {
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

    fn type_name(&self, ty: u32) -> String {
        self.plan
            .types
            .get(ty as usize)
            .map_or_else(|| "message".to_owned(), |t| t.name.clone())
    }

    fn type_kind(&self, ty: u32) -> Option<MsgKind> {
        self.plan.types.get(ty as usize).map(|t| t.kind)
    }

    fn service_name(&self, s: u32) -> String {
        self.plan
            .services
            .get(s as usize)
            .map_or_else(|| format!("service {s}"), |p| p.name.clone())
    }

    fn topic_name(&self, t: u32) -> String {
        self.plan
            .topics
            .get(t as usize)
            .map_or_else(|| format!("topic {t}"), |p| p.name.clone())
    }

    fn common(&mut self, span: usize, message: u64) {
        let kind = self.spans[span].kind.label();
        self.set(span, "eventscape.kind", AttrValue::Str(kind.to_owned()));
        self.set(
            span,
            "eventscape.correlation_id",
            AttrValue::Int(self.corr as i64),
        );
        if message != 0 {
            self.set(
                span,
                "messaging.message.id",
                AttrValue::Str(message.to_string()),
            );
        }
    }

    fn messaging(
        &mut self,
        span: usize,
        system: &str,
        destination: String,
        op: &str,
        op_type: &str,
    ) {
        self.set(span, "messaging.system", AttrValue::Str(system.to_owned()));
        self.set(
            span,
            "messaging.destination.name",
            AttrValue::Str(destination),
        );
        self.set(span, "messaging.operation", AttrValue::Str(op.to_owned()));
        self.set(
            span,
            "messaging.operation.type",
            AttrValue::Str(op_type.to_owned()),
        );
    }

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

    pub(super) fn finish(&mut self, end_of_run: u64) {
        // An item still running has no completion record: the source that sent its
        // first message.
        let source = self.source.or(self.first_source);
        let source_name = source
            .and_then(|s| self.plan.sources.get(s as usize))
            .map_or_else(|| "workload".to_owned(), |s| s.name.clone());
        {
            let root = &mut self.spans[ROOT];
            root.name = format!("{source_name} item {}", self.corr);
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
        if let Some((t, failed)) = self.completed {
            self.set(ROOT, "eventscape.failed", AttrValue::Bool(failed));
            self.close(ROOT, t, failed.then(|| "the item failed".to_owned()));
        }
        for i in 0..self.spans.len() {
            if self.spans[i].end.is_none() {
                self.set(i, "eventscape.unfinished", AttrValue::Bool(true));
                self.close(i, end_of_run, None);
            }
        }
    }

    pub(super) fn into_json(self) -> Vec<(String, Value)> {
        let trace = trace_id(self.corr);
        let ids: Vec<u64> = self.spans.iter().map(|s| s.id).collect();
        self.spans
            .into_iter()
            .map(|s| {
                let mut span = serde_json::Map::new();
                span.insert("traceId".into(), json!(trace));
                span.insert("spanId".into(), json!(format!("{:016x}", s.id)));
                if let Some(p) = s.parent {
                    span.insert("parentSpanId".into(), json!(format!("{:016x}", ids[p])));
                }
                span.insert("name".into(), json!(s.name));
                span.insert("kind".into(), json!(s.otel_kind));
                let end = s.end.unwrap_or(s.start).max(s.start);
                span.insert(
                    "startTimeUnixNano".into(),
                    json!((EPOCH_UNIX_NANOS + s.start).to_string()),
                );
                span.insert(
                    "endTimeUnixNano".into(),
                    json!((EPOCH_UNIX_NANOS + end).to_string()),
                );
                span.insert(
                    "attributes".into(),
                    Value::Array(s.attrs.into_iter().map(|(k, v)| attr(&k, v)).collect()),
                );
                if !s.events.is_empty() {
                    span.insert(
                        "events".into(),
                        Value::Array(
                            s.events
                                .into_iter()
                                .map(|(t, name, attrs)| {
                                    json!({
                                        "timeUnixNano": (EPOCH_UNIX_NANOS + t).to_string(),
                                        "name": name,
                                        "attributes": attrs
                                            .into_iter()
                                            .map(|(k, v)| attr(&k, v))
                                            .collect::<Vec<_>>(),
                                    })
                                })
                                .collect(),
                        ),
                    );
                }
                if let Some(message) = s.error {
                    span.insert(
                        "status".into(),
                        json!({ "code": STATUS_ERROR, "message": message }),
                    );
                }
                (s.resource, Value::Object(span))
            })
            .collect()
    }
}
