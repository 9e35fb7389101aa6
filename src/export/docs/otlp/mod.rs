//! A run's trace as OpenTelemetry spans, in the OTLP/JSON encoding of an
//! `ExportTraceServiceRequest` (what `POST /v1/traces` takes, and what Jaeger and
//! the OpenTelemetry Collector import).
//!
//! # Two forms
//!
//! - **JSON Lines** ([`OtlpForm::Lines`], the default of `export --format otlp`):
//!   one complete `ExportTraceServiceRequest` per line, one line per batch of
//!   finished traces (at most [`BATCH_SPANS`] spans, plus the rest of the trace
//!   that crossed it), written while the simulation runs. This is the layout of the
//!   OpenTelemetry Collector's `file` exporter, which its `otlpjsonfile` receiver
//!   reads back. A trace is written once its item can get no more records (its
//!   `ItemCompleted` record: the engine frees the item's correlation slot when its
//!   last outstanding work ends, and writes nothing about it afterwards); items still
//!   in flight when the run ends are written last. Only the traces of items in
//!   flight are held in memory, so memory does not grow with the run's length.
//! - **One document** ([`OtlpForm::Document`], `--max-traces N`): a single request
//!   with the first `N` traces (correlation ids 1..=N). The run stops as soon as all
//!   of them are finished.
//!
//! Both forms build every trace the same way, so their spans, ids and parents are
//! the same for the same run.
//!
//! # Conventions
//!
//! Attributes follow the **OpenTelemetry semantic conventions v1.44.0** for
//! messaging spans (Kafka for topics), [`SEMCONV_SCHEMA_URL`], written as the
//! `schemaUrl` of every resource and scope. Every messaging span has
//! `messaging.system`, `messaging.operation.name` and `messaging.operation.type`,
//! `messaging.destination.name`, `messaging.message.id` and
//! `messaging.message.conversation_id` (the correlation id); partition ids and
//! consumer group names where they apply. The deprecated `messaging.operation` is
//! not written. A failed span has status ERROR and `error.type`, one of
//! [`ERROR_TYPES`]. Topics are `messaging.system = kafka`; commands, replies and
//! queries travel on Eventscape's own point-to-point channels (`eventscape`),
//! named `commands.<Command>`, `commands.<Command>.replies` and `queries.<Query>` as
//! in the AsyncAPI export.
//!
//! # Traces and spans
//!
//! One trace per correlation id (a workload item). Its spans (name, span kind):
//!
//! - the **root**, `<source> item` (INTERNAL): the workload item, from its first
//!   record to `ItemCompleted` (error `item_failed` when it failed), on the resource
//!   of its source: every source is a service of its own, named as in the model;
//! - **publish**, `publish <topic>` (PRODUCER, zero length, `send`): an event
//!   appended to a topic partition; its context is the message's creation context;
//! - **process**, `process <destination>` (CONSUMER, `process`): a message handled
//!   by a service, from the moment a worker starts on it (the `Started` record) to
//!   its completion, dead letter (`dead_lettered`, or `retries_exhausted` without a
//!   dead-letter topic) or dedup; attempts, failures, retries and double effects are
//!   span events. A query is handled synchronously for a waiting caller: `query
//!   <Query>` (SERVER), without messaging attributes;
//! - **queue wait**, `queue wait` (INTERNAL): the time the message waited in the
//!   service's queue, from its delivery (`Delivered`) to the start of processing, a
//!   sibling of its process span (same parent), written only when the wait is longer
//!   than zero. A span of its own rather than an attribute, so that the waterfall
//!   shows the wait where it happens and a process span's length is its processing
//!   time only; a message still queued at the end has only this span;
//! - **saga**, `saga <saga>` (INTERNAL), on the orchestrator: from `SagaStarted` to
//!   `SagaEnded`, error (`error.type` = the outcome) unless it completed; **saga
//!   step** `step <step>` and **compensation** `compensate <step>` (CLIENT: a
//!   request that waits for its reply), from sending the command to the reply
//!   (`step_failed`) or the timeout (`timeout`);
//! - **append**, `append <Event> to <store>` (INTERNAL, zero length);
//! - **expired**, `expire <topic>` (INTERNAL, zero length, `expired`): a message
//!   lost to retention; **rejected**, `reject <Message>` (INTERNAL, zero length,
//!   `queue_full`): a request refused by a full queue.
//!
//! # Parents
//!
//! Every trace record names the record that caused it ([`Record::cause`]), and a
//! span's parent is the span of the nearest record up that chain: a process span's
//! parent (and its queue wait's) is the publish it read, the step (or compensation)
//! or handler that sent the command, the caller that made the query, or the
//! participant that sent the reply; a publish, store append, saga start or rejection
//! is a child of the span whose record caused it; a saga step or compensation is a
//! child of its instance. A record the workload caused directly (the source's first
//! message) is a child of the root.
//!
//! Deliveries of the same message to the same service are matched first in, first
//! out, so concurrent copies (duplicates) may swap ends. Spans still open when their
//! item's records end close then (at its completion, or at the run's last record for
//! an item still in flight) with `eventscape.unfinished = true`.
//!
//! # Ids and time
//!
//! The trace id is `hash(correlation)` (16 hex) followed by the correlation id (16
//! hex), so it is never zero and the correlation can be read from it. Span ids are a
//! hash of the correlation, the span's kind, message id and element, and how many
//! such spans came before in the trace; never zero, unique within a trace. Simulated
//! time zero is 2026-01-01T00:00:00Z ([`EPOCH_UNIX_NANOS`]).

use std::borrow::Cow;

use crate::model::Model;
use crate::sim::{MsgKind, Plan, Record};

mod encode;
mod stream;
mod trace;

pub use stream::{BATCH_SPANS, OtlpForm, OtlpStream, OtlpSummary, export_run};

use trace::TraceBuilder;

/// Simulated time zero as Unix time: 2026-01-01T00:00:00Z, in nanoseconds.
pub const EPOCH_UNIX_NANOS: u64 = 1_767_225_600 * 1_000_000_000;

/// The version of the OpenTelemetry semantic conventions the spans follow.
pub const SEMCONV_VERSION: &str = "1.44.0";

/// The schema URL of [`SEMCONV_VERSION`], written on every resource and scope.
pub const SEMCONV_SCHEMA_URL: &str = "https://opentelemetry.io/schemas/1.44.0";

/// Every `error.type` a span may carry (low cardinality, as the conventions ask).
pub const ERROR_TYPES: [&str; 10] = [
    "item_failed",
    "dead_lettered",
    "retries_exhausted",
    "queue_full",
    "expired",
    "step_failed",
    "timeout",
    "compensated",
    "compensation_failed",
    "timed_out",
];

const KIND_INTERNAL: i64 = 1;
const KIND_SERVER: i64 = 2;
const KIND_CLIENT: i64 = 3;
const KIND_PRODUCER: i64 = 4;
const KIND_CONSUMER: i64 = 5;
const STATUS_ERROR: i64 = 2;

/// OpenTelemetry JSON (OTLP/JSON, one `ExportTraceServiceRequest`) of a run's
/// records: one trace per correlation id (see the module docs for the spans and the
/// parent rule). `max_traces` keeps the first correlation ids only. The same spans
/// as [`export_run`] writes for the run. Deterministic.
pub fn otlp_json(
    model: &Model,
    plan: &Plan,
    records: &[Record],
    max_traces: Option<usize>,
) -> String {
    // The first `n` correlation ids are those up to the n-th smallest.
    let last = max_traces.map(|n| {
        let mut corrs: Vec<u64> = records
            .iter()
            .map(|r| r.correlation)
            .filter(|c| *c != 0)
            .collect();
        corrs.sort_unstable();
        corrs.dedup();
        match n {
            0 => 0,
            n => corrs.get(n - 1).or(corrs.last()).copied().unwrap_or(0),
        }
    });
    let mut stream = OtlpStream::new(model, plan, OtlpForm::Document { last });
    let mut out = Vec::new();
    for r in records {
        // Writing to a Vec cannot fail.
        let _ = stream.record(r, &mut out);
    }
    let _ = stream.finish(&mut out);
    String::from_utf8(out).unwrap_or_default()
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
type Attrs<'a> = Vec<(&'static str, AttrValue<'a>)>;

/// An attribute's value; names come from the plan without copying.
#[derive(Clone)]
enum AttrValue<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
}

impl<'a> AttrValue<'a> {
    fn str(s: &'a str) -> Self {
        AttrValue::Str(Cow::Borrowed(s))
    }

    fn owned(s: String) -> Self {
        AttrValue::Str(Cow::Owned(s))
    }
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
    Wait,
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
            SpanKind::Wait => "queue_wait",
        }
    }
}

fn kind_label(k: MsgKind) -> &'static str {
    match k {
        MsgKind::Event => "event",
        MsgKind::Command => "command",
        MsgKind::Reply => "reply",
        MsgKind::Query => "query",
    }
}
