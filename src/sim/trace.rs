//! The typed trace: what happened, when, where, to which correlation id.
//!
//! Records are small fixed-size values. The engine keeps the most recent ones in a
//! ring buffer (bounded memory on long runs) and can also stream every record to a
//! sink, e.g. a JSON Lines file. Metrics never depend on the trace.

use serde::Serialize;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// An event was appended to a topic partition.
    Published,
    /// A message reached a service's queue (a command, reply or query, or an event
    /// fetched from a partition by a consumer group).
    Delivered,
    Started,
    Completed,
    Failed,
    Retried,
    DeadLettered,
    Expired,
    Rejected,
    Deduplicated,
    /// A duplicate applied again by a consumer that is not idempotent.
    DoubleEffect,
    Dropped,
    SagaStarted,
    StepStarted,
    StepSucceeded,
    StepFailed,
    StepTimedOut,
    CompensationStarted,
    CompensationFinished,
    SagaEnded,
    FaultStarted,
    FaultEnded,
    ItemCompleted,
}

/// The kind of element a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    Service,
    Topic,
    Saga,
    Source,
    Fault,
    Store,
}

/// One trace record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Simulated time in nanoseconds.
    pub time: u64,
    pub kind: TraceKind,
    pub at: Where,
    /// Index of the element in its list in the model.
    pub element: u32,
    /// The workload item (source arrival) this message descends from; 0 for none.
    pub correlation: u64,
    /// The message's event id (copies and retries share it); 0 for none.
    pub message: u64,
    /// Interned message type (see `Plan::types`), or `u32::MAX`.
    pub message_type: u32,
    /// Kind-specific: partition, attempt, step index, saga outcome, fault index…
    pub detail: u32,
}

/// A consumer of every trace record as it happens.
pub type Sink = Box<dyn FnMut(&Record) + Send>;

/// Where records go: kept in a bounded ring and optionally streamed.
pub struct Trace {
    /// A ring: once full, `head` is the oldest record and the next write slot.
    ring: Vec<Record>,
    head: usize,
    capacity: usize,
    sink: Option<Sink>,
    pub total: u64,
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace")
            .field("kept", &self.ring.len())
            .field("total", &self.total)
            .finish()
    }
}

/// A copy of the trace keeps the ring and the count but not the sink (a boxed closure
/// cannot be copied): set one again on the copy if it should stream.
impl Clone for Trace {
    fn clone(&self) -> Self {
        Self {
            ring: self.ring.clone(),
            head: self.head,
            capacity: self.capacity,
            sink: None,
            total: self.total,
        }
    }
}

impl Trace {
    pub fn new(capacity: usize) -> Self {
        Self {
            ring: Vec::with_capacity(capacity.min(1 << 20)),
            head: 0,
            capacity,
            sink: None,
            total: 0,
        }
    }

    /// Is anything kept or streamed? When not, the engine skips building records.
    #[inline]
    pub fn enabled(&self) -> bool {
        self.capacity > 0 || self.sink.is_some()
    }

    /// Also send every record to `sink` as it happens.
    pub fn set_sink(&mut self, sink: Sink) {
        self.sink = Some(sink);
    }

    /// Does a sink receive every record?
    pub fn has_sink(&self) -> bool {
        self.sink.is_some()
    }

    #[inline]
    pub fn push(&mut self, r: Record) {
        self.total += 1;
        if let Some(sink) = &mut self.sink {
            sink(&r);
        }
        if self.capacity == 0 {
            return;
        }
        if self.ring.len() < self.capacity {
            self.ring.push(r);
        } else {
            self.ring[self.head] = r;
            self.head += 1;
            if self.head == self.capacity {
                self.head = 0;
            }
        }
    }

    /// The most recent records, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        let (newer, older) = self.ring.split_at(self.head);
        older.iter().chain(newer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(time: u64) -> Record {
        Record {
            time,
            kind: TraceKind::Started,
            at: Where::Service,
            element: 0,
            correlation: 0,
            message: 0,
            message_type: 0,
            detail: 0,
        }
    }

    #[test]
    fn ring_keeps_the_latest_and_sink_sees_all() {
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = seen.clone();
        let mut t = Trace::new(3);
        t.set_sink(Box::new(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }));
        for i in 0..10 {
            t.push(rec(i));
        }
        assert_eq!(
            t.records().map(|r| r.time).collect::<Vec<_>>(),
            vec![7, 8, 9]
        );
        assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 10);
        assert_eq!(t.total, 10);
    }
}
