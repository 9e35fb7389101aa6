//! Building one trace (one correlation id) from its records: spans, their parents,
//! their events and status.

use super::*;

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
    model: &'a Model,
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
    completed: Option<(u64, bool)>,
}

const ROOT: usize = 0;

impl<'a> TraceBuilder<'a> {
    pub(super) fn new(model: &'a Model, plan: &'a Plan, corr: u64) -> Self {
        let mut b = Self {
            model,
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
            // The first record of the item marks its start.
            self.started = true;
            self.spans[ROOT].start = r.time.as_nanos();
        }
    }

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
    fn service_record(&mut self, r: &Record) -> Option<usize> {
        Some(match r.kind {
            TraceKind::Delivered => self.open_hop(r),
            TraceKind::Started => {
                let s = self.current_hop(r);
                self.spans[s].events.push((
                    r.time.as_nanos(),
                    "started".to_owned(),
                    vec![(
                        "eventscape.attempt".to_owned(),
                        AttrValue::Int(i64::from(r.detail)),
                    )],
                ));
                s
            }
            TraceKind::Failed => {
                let s = self.current_hop(r);
                self.spans[s].events.push((
                    r.time.as_nanos(),
                    "attempt failed".to_owned(),
                    vec![(
                        "eventscape.attempt".to_owned(),
                        AttrValue::Int(i64::from(r.detail)),
                    )],
                ));
                s
            }
            TraceKind::Retried => {
                let s = self.current_hop(r);
                self.spans[s].events.push((
                    r.time.as_nanos(),
                    "retry scheduled".to_owned(),
                    vec![(
                        "eventscape.attempt".to_owned(),
                        AttrValue::Int(i64::from(r.detail)),
                    )],
                ));
                s
            }
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

    fn topic_record(&mut self, r: &Record) -> Option<usize> {
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

    fn store_record(&mut self, r: &Record) -> usize {
        let store = self
            .plan
            .stores
            .get(r.element as usize)
            .map_or_else(|| format!("store {}", r.element), |s| s.name.clone());
        let ty_name = self.type_name(r.message_type);
        let parent = self.parent_of(r);
        let resource = self.spans[parent].resource.clone();
        let s = self.add(
            SpanKind::Append,
            r.message,
            r.element,
            Some(parent),
            KIND_INTERNAL,
            format!("append {ty_name} to {store}"),
            resource,
            r.time.as_nanos(),
            r.message_type,
        );
        self.common(s, r.message);
        self.set(s, "eventscape.event_store", AttrValue::Str(store));
        self.set(s, "eventscape.message_type", AttrValue::Str(ty_name));
        self.close(s, r.time.as_nanos(), None);
        s
    }

    /// The span a saga's record belongs to: the instance for its transitions, the
    /// step (or compensation) for the record that starts one.
    fn saga_record(&mut self, r: &Record) -> Option<usize> {
        let plan = self.plan;
        let saga = plan.sagas.get(r.element as usize)?;
        let saga_name = saga.name.clone();
        let orchestrator = self.service_name(saga.orchestrator.0);
        let step_name = |detail: u32| {
            saga.steps
                .get(detail as usize)
                .map_or_else(|| format!("step {detail}"), |s| s.name.clone())
        };
        Some(match r.kind {
            TraceKind::SagaStarted => {
                let parent = self.parent_of(r);
                let s = self.add(
                    SpanKind::Saga,
                    r.message,
                    r.element,
                    Some(parent),
                    KIND_INTERNAL,
                    format!("saga {saga_name}"),
                    orchestrator,
                    r.time.as_nanos(),
                    u32::MAX,
                );
                self.common(s, 0);
                self.set(s, "eventscape.saga", AttrValue::Str(saga_name));
                self.set(
                    s,
                    "eventscape.saga_instance",
                    AttrValue::Int(r.message as i64),
                );
                self.sagas.insert((r.element, r.message), s);
                s
            }
            TraceKind::StepStarted | TraceKind::CompensationStarted => {
                let step = step_name(r.detail);
                // Caused by the instance's previous transition (or its start).
                let inst = self.parent_of(r);
                if self.spans[inst].kind != SpanKind::Saga {
                    return None;
                }
                if let Some(open) = self.open_step.remove(&inst) {
                    self.close(open, r.time.as_nanos(), None);
                }
                let compensation = r.kind == TraceKind::CompensationStarted;
                let (kind, name) = if compensation {
                    (SpanKind::Compensation, format!("compensate {step}"))
                } else {
                    (SpanKind::Step, format!("step {step}"))
                };
                let ty_name = self.type_name(r.message_type);
                let s = self.add(
                    kind,
                    r.message,
                    r.element,
                    Some(inst),
                    KIND_CLIENT,
                    name,
                    orchestrator,
                    r.time.as_nanos(),
                    r.message_type,
                );
                self.common(s, r.message);
                self.messaging(
                    s,
                    "eventscape",
                    format!("commands.{ty_name}"),
                    "send",
                    "send",
                );
                self.set(s, "eventscape.saga", AttrValue::Str(saga_name));
                self.set(s, "eventscape.step", AttrValue::Str(step));
                self.set(s, "eventscape.message_type", AttrValue::Str(ty_name));
                self.open_step.insert(inst, s);
                s
            }
            TraceKind::StepSucceeded
            | TraceKind::StepFailed
            | TraceKind::CompensationFinished
            | TraceKind::StepTimedOut => {
                let inst = self.instance(r.element, r.message)?;
                let reply = (r.message_type != u32::MAX).then(|| self.type_name(r.message_type));
                if let Some(step) = self.open_step.remove(&inst) {
                    let error = match r.kind {
                        TraceKind::StepFailed => Some(format!(
                            "step failed: {}",
                            reply.clone().unwrap_or_default()
                        )),
                        TraceKind::StepTimedOut => Some("no reply before the timeout".to_owned()),
                        _ => None,
                    };
                    if let Some(reply) = &reply {
                        self.set(step, "eventscape.reply", AttrValue::Str(reply.clone()));
                    }
                    self.close(step, r.time.as_nanos(), error);
                }
                let event = match r.kind {
                    TraceKind::StepSucceeded => "step succeeded",
                    TraceKind::StepFailed => "step failed",
                    TraceKind::CompensationFinished => "compensation finished",
                    _ => "step timed out",
                };
                self.spans[inst].events.push((
                    r.time.as_nanos(),
                    event.to_owned(),
                    vec![(
                        "eventscape.step".to_owned(),
                        AttrValue::Str(step_name(r.detail)),
                    )],
                ));
                inst
            }
            TraceKind::SagaEnded => {
                let inst = self.instance(r.element, r.message)?;
                if let Some(open) = self.open_step.remove(&inst) {
                    self.close(open, r.time.as_nanos(), None);
                }
                let outcome = SagaOutcome::ALL.get(r.detail as usize).copied();
                let label = outcome.map_or("unknown", |o| o.label());
                self.set(
                    inst,
                    "eventscape.saga_outcome",
                    AttrValue::Str(label.to_owned()),
                );
                let error = (outcome != Some(SagaOutcome::Completed))
                    .then(|| format!("saga ended: {label}"));
                self.close(inst, r.time.as_nanos(), error);
                self.sagas.remove(&(r.element, r.message));
                inst
            }
            _ => return None,
        })
    }

    /// The span of a saga instance, by its id (the message of its transitions).
    fn instance(&self, saga: u32, id: u64) -> Option<usize> {
        self.sagas.get(&(saga, id)).copied()
    }

    pub(super) fn finish(&mut self, end_of_run: u64) {
        let source = self.source.or_else(|| {
            // An unfinished item: the one source whose action sends the first message.
            let first = self
                .spans
                .get(1)
                .map(|s| (self.type_name(s.ty), self.type_kind(s.ty)))?;
            let matching: Vec<usize> = self
                .model
                .sources
                .iter()
                .enumerate()
                .filter(|(_, s)| match &s.emit {
                    Action::Publish { event, .. } | Action::Append { event, .. } => {
                        first == (event.clone(), Some(MsgKind::Event))
                    }
                    Action::Send { command, .. } => {
                        first == (command.clone(), Some(MsgKind::Command))
                    }
                    Action::Reply(_) => false,
                })
                .map(|(i, _)| i)
                .collect();
            (matching.len() == 1).then(|| matching[0] as u32)
        });
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
