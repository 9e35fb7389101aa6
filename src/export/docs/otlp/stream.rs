//! Traces written as the records arrive: each trace is built while its item is in
//! flight and encoded once the item's `ItemCompleted` record says it can get no
//! more records; finished traces are written in batches.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use super::TraceBuilder;
use super::encode::Batch;
use crate::model::Model;
use crate::sim::budget::{Budget, Meter, Stopped};
use crate::sim::{Plan, Record, Simulation};

/// A JSON Lines request is written once its batch holds at least this many spans
/// (about 2 MB of JSON: inside what OTLP receivers accept per request, e.g. the
/// Collector's 20 MiB HTTP body and, as protobuf, gRPC's 4 MiB message).
pub const BATCH_SPANS: usize = 2048;

/// Engine events run between two reads of the records they made.
const STEPS_PER_READ: usize = 1024;

/// Which form of OTLP/JSON to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtlpForm {
    /// JSON Lines: one `ExportTraceServiceRequest` per line, one line per batch of
    /// finished traces, written as they finish.
    Lines,
    /// One `ExportTraceServiceRequest` with the traces of the correlation ids up to
    /// `last` (every trace when `None`), written at the end.
    Document {
        /// The last correlation id to keep.
        last: Option<u64>,
    },
}

/// What an export wrote, and the most it held in memory at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OtlpSummary {
    /// Traces written.
    pub traces: u64,
    /// Spans written.
    pub spans: u64,
    /// Requests written (lines of the JSON Lines form; 1 for the document).
    pub requests: u64,
    /// The most traces held open (items in flight) at any one time.
    pub max_open_traces: usize,
    /// Why the run ended before its end, when it spent its budget.
    pub stopped: Option<Stopped>,
}

/// Builds the traces of a run from its records, one record at a time, and writes
/// them in the chosen [`OtlpForm`]. Holds only the traces of items in flight (and,
/// for the document form, the encoded traces it keeps).
pub struct OtlpStream<'a> {
    namespace: &'a str,
    plan: &'a Plan,
    form: OtlpForm,
    open: HashMap<u64, TraceBuilder<'a>>,
    batch: Batch,
    summary: OtlpSummary,
    /// The latest record's time: where spans of items still in flight end.
    last_time: u64,
}

impl<'a> OtlpStream<'a> {
    /// A stream of `model`'s run under `plan`, with no records yet.
    pub fn new(model: &'a Model, plan: &'a Plan, form: OtlpForm) -> Self {
        Self {
            namespace: &model.name,
            plan,
            form,
            open: HashMap::new(),
            batch: Batch::default(),
            summary: OtlpSummary::default(),
            last_time: 0,
        }
    }

    fn wants(&self, correlation: u64) -> bool {
        correlation != 0
            && match self.form {
                OtlpForm::Lines | OtlpForm::Document { last: None } => true,
                OtlpForm::Document { last: Some(last) } => correlation <= last,
            }
    }

    /// Read the next record of the run (records come in the order the run made
    /// them); a finished batch is written to `out`.
    pub fn record(&mut self, r: &Record, out: &mut dyn Write) -> std::io::Result<()> {
        self.last_time = self.last_time.max(r.time.as_nanos());
        if !self.wants(r.correlation) {
            return Ok(());
        }
        let plan = self.plan;
        let trace = self
            .open
            .entry(r.correlation)
            .or_insert_with(|| TraceBuilder::new(plan, r.correlation));
        trace.record(r);
        let done = trace.completed.is_some();
        self.summary.max_open_traces = self.summary.max_open_traces.max(self.open.len());
        if done && let Some(mut trace) = self.open.remove(&r.correlation) {
            trace.finish(self.last_time);
            self.add(&trace, out)?;
        }
        Ok(())
    }

    fn add(&mut self, trace: &TraceBuilder<'_>, out: &mut dyn Write) -> std::io::Result<()> {
        self.batch.add(trace);
        self.summary.traces += 1;
        self.summary.spans += trace.spans.len() as u64;
        if self.form == OtlpForm::Lines && self.batch.spans >= BATCH_SPANS {
            self.write_line(out)?;
        }
        Ok(())
    }

    fn write_line(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        self.batch.write(self.namespace, out)?;
        out.write_all(b"\n")?;
        self.summary.requests += 1;
        Ok(())
    }

    /// Traces held open now: the items in flight.
    pub fn open_traces(&self) -> usize {
        self.open.len()
    }

    /// For the document form with a last correlation id: has every trace up to it
    /// been finished? (Correlation ids are given out from 1 in arrival order, so the
    /// run need not go on.)
    pub fn is_complete(&self) -> bool {
        match self.form {
            OtlpForm::Document { last: Some(last) } => {
                self.summary.traces >= last && self.open.is_empty()
            }
            _ => false,
        }
    }

    /// The records have ended: write the traces of items still in flight (in
    /// correlation order, their open spans ending at the last record) and the last
    /// batch, or the document.
    pub fn finish(mut self, out: &mut dyn Write) -> std::io::Result<OtlpSummary> {
        let mut rest: Vec<(u64, TraceBuilder<'a>)> = self.open.drain().collect();
        rest.sort_unstable_by_key(|(c, _)| *c);
        for (_, mut trace) in rest {
            trace.finish(self.last_time);
            self.add(&trace, out)?;
        }
        match self.form {
            OtlpForm::Lines => {
                if !self.batch.is_empty() {
                    self.write_line(out)?;
                }
            }
            OtlpForm::Document { .. } => {
                self.batch.write(self.namespace, out)?;
                self.summary.requests += 1;
            }
        }
        out.flush()?;
        Ok(self.summary)
    }
}

/// Run `sim` (a fresh simulation of `model`) to its end, or until it has spent
/// `budget`, and write its traces to `out` in `form` while it runs: records are read every few engine events, so only the
/// items in flight are held. The document form with a last correlation id stops
/// the run once those traces are finished.
pub fn export_run(
    model: &Model,
    sim: &mut Simulation,
    form: OtlpForm,
    budget: &Budget,
    out: &mut dyn Write,
) -> std::io::Result<OtlpSummary> {
    let meter = Meter::new(*budget, sim);
    let mut stopped = None;
    let plan = sim.plan().clone();
    let records: Arc<Mutex<Vec<Record>>> = Arc::new(Mutex::new(Vec::new()));
    let sink = records.clone();
    // A poisoned lock only means a push panicked; the records before it are intact.
    sim.trace_mut().set_sink(Box::new(move |r| {
        sink.lock().unwrap_or_else(PoisonError::into_inner).push(*r);
    }));
    let mut stream = OtlpStream::new(model, &plan, form);
    loop {
        let mut more = true;
        for _ in 0..STEPS_PER_READ {
            if sim.step().is_none() {
                more = false;
                break;
            }
        }
        let mut batch = records.lock().unwrap_or_else(PoisonError::into_inner);
        for r in batch.drain(..) {
            stream.record(&r, out)?;
        }
        drop(batch);
        stopped = stopped.or_else(|| meter.spent(sim));
        if stopped.is_some() {
            sim.end_now();
        }
        if !more || stopped.is_some() {
            sim.finish();
            break;
        }
        if stream.is_complete() {
            break;
        }
    }
    let summary = stream.finish(out)?;
    Ok(OtlpSummary { stopped, ..summary })
}
