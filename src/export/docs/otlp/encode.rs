//! OTLP/JSON encoding of finished traces, written directly as bytes (no JSON tree:
//! a batch of thousands of spans is encoded without building one).
//!
//! Protobuf's JSON mapping: 64-bit integers (times, `intValue`) are strings, ids
//! are lowercase hex (OTLP/JSON's exception to proto3's base64), enums are numbers.

use std::collections::BTreeMap;
use std::io::Write;

use super::trace::{Span, TraceBuilder};
use super::{AttrValue, Attrs, EPOCH_UNIX_NANOS, SEMCONV_SCHEMA_URL, STATUS_ERROR, trace_id};

/// Encoded spans grouped by the service (resource) they belong to, waiting to be
/// written as one `ExportTraceServiceRequest`.
#[derive(Default)]
pub(super) struct Batch {
    /// Resource name → its spans, encoded and separated by commas.
    by_resource: BTreeMap<String, Vec<u8>>,
    /// Spans in the batch.
    pub spans: usize,
    /// Traces in the batch.
    pub traces: usize,
}

impl Batch {
    /// Encode a finished trace's spans into the batch.
    pub fn add(&mut self, trace: &TraceBuilder<'_>) {
        let tid = trace_id(trace.corr);
        for s in &trace.spans {
            let buf = match self.by_resource.get_mut(s.resource.as_ref()) {
                Some(buf) => {
                    buf.push(b',');
                    buf
                }
                None => self
                    .by_resource
                    .entry(s.resource.clone().into_owned())
                    .or_default(),
            };
            span(buf, &tid, s, &trace.spans);
        }
        self.spans += trace.spans.len();
        self.traces += 1;
    }

    /// Is nothing waiting?
    pub fn is_empty(&self) -> bool {
        self.traces == 0
    }

    /// Write the batch as one request (no newline) and empty it.
    pub fn write(&mut self, namespace: &str, out: &mut dyn Write) -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.extend_from_slice(b"{\"resourceSpans\":[");
        for (i, (name, spans)) in std::mem::take(&mut self.by_resource)
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(b"{\"resource\":{\"attributes\":[");
            attr(&mut buf, "service.name", &AttrValue::str(&name));
            buf.push(b',');
            attr(&mut buf, "service.namespace", &AttrValue::str(namespace));
            buf.extend_from_slice(
                b"]},\"scopeSpans\":[{\"scope\":{\"name\":\"eventscape\",\"version\":",
            );
            string(&mut buf, env!("CARGO_PKG_VERSION"));
            buf.extend_from_slice(b"},\"spans\":[");
            buf.extend_from_slice(&spans);
            buf.extend_from_slice(b"],\"schemaUrl\":");
            string(&mut buf, SEMCONV_SCHEMA_URL);
            buf.extend_from_slice(b"}],\"schemaUrl\":");
            string(&mut buf, SEMCONV_SCHEMA_URL);
            buf.push(b'}');
            if buf.len() > 1 << 20 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        buf.extend_from_slice(b"]}");
        out.write_all(&buf)?;
        self.spans = 0;
        self.traces = 0;
        Ok(())
    }
}

/// A JSON string, quoted and escaped.
fn string(buf: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail, and a &str always serialises.
    let _ = serde_json::to_writer(&mut *buf, s);
}

/// A time as protobuf JSON's int64: a string of Unix nanoseconds.
fn time(buf: &mut Vec<u8>, sim_nanos: u64) {
    let _ = write!(buf, "\"{}\"", EPOCH_UNIX_NANOS + sim_nanos);
}

fn attr(buf: &mut Vec<u8>, key: &str, v: &AttrValue<'_>) {
    buf.extend_from_slice(b"{\"key\":");
    string(buf, key);
    buf.extend_from_slice(b",\"value\":{");
    match v {
        AttrValue::Str(s) => {
            buf.extend_from_slice(b"\"stringValue\":");
            string(buf, s);
        }
        AttrValue::Int(i) => {
            let _ = write!(buf, "\"intValue\":\"{i}\"");
        }
        AttrValue::Bool(b) => {
            let _ = write!(buf, "\"boolValue\":{b}");
        }
    }
    buf.extend_from_slice(b"}}");
}

fn attrs(buf: &mut Vec<u8>, list: &Attrs<'_>, error_type: Option<&str>) {
    buf.push(b'[');
    for (i, (k, v)) in list.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        attr(buf, k, v);
    }
    if let Some(t) = error_type {
        if !list.is_empty() {
            buf.push(b',');
        }
        attr(buf, "error.type", &AttrValue::str(t));
    }
    buf.push(b']');
}

/// One span object.
fn span(buf: &mut Vec<u8>, trace: &str, s: &Span<'_>, all: &[Span<'_>]) {
    buf.extend_from_slice(b"{\"traceId\":\"");
    buf.extend_from_slice(trace.as_bytes());
    let _ = write!(buf, "\",\"spanId\":\"{:016x}\"", s.id);
    if let Some(p) = s.parent.and_then(|p| all.get(p)) {
        let _ = write!(buf, ",\"parentSpanId\":\"{:016x}\"", p.id);
    }
    buf.extend_from_slice(b",\"name\":");
    string(buf, &s.name);
    let _ = write!(buf, ",\"kind\":{}", s.otel_kind);
    buf.extend_from_slice(b",\"startTimeUnixNano\":");
    time(buf, s.start);
    buf.extend_from_slice(b",\"endTimeUnixNano\":");
    time(buf, s.end.unwrap_or(s.start).max(s.start));
    buf.extend_from_slice(b",\"attributes\":");
    attrs(buf, &s.attrs, s.error.as_ref().map(|e| e.error_type));
    if !s.events.is_empty() {
        buf.extend_from_slice(b",\"events\":[");
        for (i, (t, name, list)) in s.events.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(b"{\"timeUnixNano\":");
            time(buf, *t);
            buf.extend_from_slice(b",\"name\":");
            string(buf, name);
            buf.extend_from_slice(b",\"attributes\":");
            attrs(buf, list, None);
            buf.push(b'}');
        }
        buf.push(b']');
    }
    if let Some(e) = &s.error {
        let _ = write!(buf, ",\"status\":{{\"code\":{STATUS_ERROR},\"message\":");
        string(buf, &e.message);
        buf.push(b'}');
    }
    buf.push(b'}');
}
