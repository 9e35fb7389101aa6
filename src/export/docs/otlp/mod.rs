//! A run's trace as OpenTelemetry spans, in the OTLP/JSON encoding of an
//! `ExportTraceServiceRequest` (what `POST /v1/traces` takes, and what Jaeger and
//! the OpenTelemetry Collector import).
//!
//! # Traces and spans
//!
//! One trace per correlation id (a workload item), in increasing correlation order.
//! Its spans:
//!
//! - the **root**: the workload item, from its first record to `ItemCompleted` (error
//!   when the item failed), on the resource of its source;
//! - **publish** (producer, zero length): an event appended to a topic partition;
//! - **hop** (consumer; server for queries): a message handled by a service, from its
//!   delivery to the service's queue to its completion, dead letter or dedup; attempts,
//!   failures, retries and double effects are span events;
//! - **saga** (internal), on the orchestrator: from `SagaStarted` to `SagaEnded`, error
//!   unless it completed; **saga step** and **compensation** (client), from sending the
//!   command to the reply or the timeout;
//! - **append** (internal, zero length): a domain event appended to an event store;
//! - **expired** / **rejected** (zero length, error): a message lost to retention, a
//!   request refused by a full queue.
//!
//! # Parents
//!
//! Every trace record names the record that caused it ([`Record::cause`]), and a
//! span's parent is the span of the nearest record up that chain: a hop's parent is
//! the publish it read, the step (or compensation) or handler hop that sent the
//! command, the caller's hop that made the query, or the participant's hop that sent
//! the reply; a publish, store append, saga start or rejection is a child of the hop
//! (or saga transition, or store append) whose record caused it; a saga step or
//! compensation is a child of its instance. A record the workload caused directly
//! (the source's first message) is a child of the root.
//!
//! Deliveries of the same message to the same service are matched first in, first
//! out, so concurrent copies (duplicates) may swap ends. Spans still open when the
//! records end close at the last record's time with `eventscape.unfinished = true`.
//!
//! # Ids and time
//!
//! The trace id is `hash(correlation)` (16 hex) followed by the correlation id (16
//! hex), so it is never zero and the correlation can be read from it. Span ids are a
//! hash of the correlation, the span's kind, message id and element, and how many
//! such spans came before in the trace; never zero, unique within a trace. Simulated
//! time zero is 2026-01-01T00:00:00Z ([`EPOCH_UNIX_NANOS`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use serde_json::{Value, json};

use crate::model::Model;
use crate::sim::{MsgKind, Plan, Record, TraceKind, Where};

/// Simulated time zero as Unix time: 2026-01-01T00:00:00Z, in nanoseconds.
pub const EPOCH_UNIX_NANOS: u64 = 1_767_225_600 * 1_000_000_000;

const KIND_INTERNAL: i64 = 1;
const KIND_SERVER: i64 = 2;
const KIND_CLIENT: i64 = 3;
const KIND_PRODUCER: i64 = 4;
const KIND_CONSUMER: i64 = 5;
const STATUS_ERROR: i64 = 2;

/// OpenTelemetry JSON (OTLP/JSON, the `ExportTraceServiceRequest` shape) of a run's
/// trace: one trace per correlation id, a root span for the workload item and a span
/// per hop (see the module docs for the spans and the parent rule). `max_traces`
/// keeps the first correlation ids only. Deterministic.
pub fn otlp_json(
    model: &Model,
    plan: &Plan,
    records: &[Record],
    max_traces: Option<usize>,
) -> String {
    let mut corrs: Vec<u64> = records
        .iter()
        .map(|r| r.correlation)
        .filter(|c| *c != 0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if let Some(n) = max_traces {
        corrs.truncate(n);
    }
    let wanted: BTreeSet<u64> = corrs.iter().copied().collect();
    let mut per: BTreeMap<u64, Vec<&Record>> = BTreeMap::new();
    for r in records {
        if wanted.contains(&r.correlation) {
            per.entry(r.correlation).or_default().push(r);
        }
    }
    let end_of_run = records.iter().map(|r| r.time.as_nanos()).max().unwrap_or(0);

    let mut by_resource: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (corr, recs) in &per {
        let mut b = TraceBuilder::new(plan, *corr);
        for r in recs {
            b.record(r);
        }
        b.finish(end_of_run);
        for (resource, span) in b.into_json() {
            by_resource.entry(resource).or_default().push(span);
        }
    }

    let resource_spans: Vec<Value> = by_resource
        .into_iter()
        .map(|(name, spans)| {
            json!({
                "resource": {
                    "attributes": [
                        attr("service.name", AttrValue::Str(name)),
                        attr("service.namespace", AttrValue::Str(model.name.clone())),
                    ]
                },
                "scopeSpans": [{
                    "scope": { "name": "eventscape", "version": env!("CARGO_PKG_VERSION") },
                    "spans": spans,
                }]
            })
        })
        .collect();
    serde_json::to_string(&json!({ "resourceSpans": resource_spans })).unwrap_or_default()
}

/// The trace id of a correlation: 32 lowercase hex digits, never all zero.
pub fn trace_id(correlation: u64) -> String {
    let hi = mix(correlation ^ 0x6576_656e_7473_6361).max(1);
    format!("{hi:016x}{correlation:016x}")
}

/// splitmix64's finaliser: a fixed, well-spread 64-bit hash.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Attributes of a span or an event, in the order they were set.
type Attrs = Vec<(String, AttrValue)>;

enum AttrValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

fn attr(key: &str, v: AttrValue) -> Value {
    let value = match v {
        AttrValue::Str(s) => json!({ "stringValue": s }),
        // int64 is a string in protobuf's JSON mapping.
        AttrValue::Int(i) => json!({ "intValue": i.to_string() }),
        AttrValue::Bool(b) => json!({ "boolValue": b }),
    };
    json!({ "key": key, "value": value })
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum SpanKind {
    Root,
    Publish,
    Hop,
    Saga,
    Step,
    Compensation,
    Append,
    Expired,
    Rejected,
}

impl SpanKind {
    fn tag(self) -> u64 {
        self as u64 + 1
    }

    fn label(self) -> &'static str {
        match self {
            SpanKind::Root => "workload_item",
            SpanKind::Publish => "publish",
            SpanKind::Hop => "hop",
            SpanKind::Saga => "saga",
            SpanKind::Step => "saga_step",
            SpanKind::Compensation => "compensation",
            SpanKind::Append => "append",
            SpanKind::Expired => "expired",
            SpanKind::Rejected => "rejected",
        }
    }
}

mod trace;

use trace::TraceBuilder;

fn kind_label(k: MsgKind) -> &'static str {
    match k {
        MsgKind::Event => "event",
        MsgKind::Command => "command",
        MsgKind::Reply => "reply",
        MsgKind::Query => "query",
    }
}
