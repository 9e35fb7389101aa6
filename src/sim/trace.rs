//! The typed trace: what happened, when, where, to which correlation id.
//!
//! Records are small fixed-size values. The engine keeps the most recent ones in a
//! ring buffer (bounded memory on long runs) and can also stream every record to a
//! sink, e.g. a JSON Lines file. Metrics never depend on the trace.

use serde::Serialize;

use super::SimTime;
use crate::model::ElementKind;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// An event was appended to a topic partition (`detail`: the partition), or to an
    /// event store (`at` is [`Where::Store`]).
    Published,
    /// A message reached a service's queue (a command, reply or query, or an event
    /// fetched from a partition by a consumer group).
    Delivered,
    /// A worker started handling a message (`detail`: the attempt, from 1).
    Started,
    /// A message was handled successfully.
    Completed,
    /// A handling attempt failed (`detail`: the attempt).
    Failed,
    /// A failed message waits out its backoff before another attempt (`detail`: the
    /// next attempt).
    Retried,
    /// A message failed its last attempt and was given up (`detail`: the dead-letter
    /// topic's index, or `u32::MAX` when there is none and the message is lost).
    DeadLettered,
    /// A topic's message passed its retention before a consumer group read it, and is
    /// lost to that group (`detail`: the partition).
    Expired,
    /// A service's queue, at its bound, refused a request.
    Rejected,
    /// An idempotent consumer skipped a copy of a message it had already seen.
    Deduplicated,
    /// A duplicate applied again by a consumer that is not idempotent.
    DoubleEffect,
    /// A message lost to a fault. No fault drops messages at present, so the engine
    /// records none; kept for the trace format and its readers.
    Dropped,
    /// A saga instance started (`message`: the instance number, from 1).
    SagaStarted,
    /// A saga sent a step's command, first or again after a timeout (`message`: the
    /// command's event id, `detail`: the step index).
    StepStarted,
    /// A step's reply reported success (`message_type`: the reply, `detail`: the step).
    StepSucceeded,
    /// A step's reply reported failure; compensation follows (`detail`: the step).
    StepFailed,
    /// No reply to a step's or compensation's command in time (`detail`: the step); it
    /// is sent again while retries remain.
    StepTimedOut,
    /// A saga sent the command that undoes a completed step, first or again after a
    /// timeout (`detail`: the step being undone).
    CompensationStarted,
    /// The reply to a compensating command came back (`detail`: the step undone).
    CompensationFinished,
    /// A saga instance ended (`detail`: its outcome, as the index in
    /// [`SagaOutcome::ALL`](crate::model::SagaOutcome::ALL)).
    SagaEnded,
    /// A fault window began (`element`: the fault's index in the model).
    FaultStarted,
    /// A fault window ended.
    FaultEnded,
    /// A workload item's last outstanding work finished (`detail`: 1 if some of it
    /// failed, else 0).
    ItemCompleted,
    /// An effect that nothing will undo although its process failed. At a saga: a
    /// step of an aborted instance succeeded and no compensation of it came after
    /// (`message_type`: the step's command, `detail`: the step). At a source: an item
    /// ended after it published an event and then a failure event, without the event
    /// that compensates the first (`message_type`: the event left standing,
    /// `detail`: the compensating event's type).
    OrphanedEffect,
}

impl TraceKind {
    /// Every kind, in the order a filter lists them (the order they are declared).
    pub const ALL: [TraceKind; 24] = [
        TraceKind::Published,
        TraceKind::Delivered,
        TraceKind::Started,
        TraceKind::Completed,
        TraceKind::Failed,
        TraceKind::Retried,
        TraceKind::DeadLettered,
        TraceKind::Expired,
        TraceKind::Rejected,
        TraceKind::Deduplicated,
        TraceKind::DoubleEffect,
        TraceKind::Dropped,
        TraceKind::SagaStarted,
        TraceKind::StepStarted,
        TraceKind::StepSucceeded,
        TraceKind::StepFailed,
        TraceKind::StepTimedOut,
        TraceKind::CompensationStarted,
        TraceKind::CompensationFinished,
        TraceKind::SagaEnded,
        TraceKind::FaultStarted,
        TraceKind::FaultEnded,
        TraceKind::ItemCompleted,
        TraceKind::OrphanedEffect,
    ];

    /// What happened, in words: "dead-lettered", "step timed out".
    pub fn label(self) -> &'static str {
        match self {
            TraceKind::Published => "published",
            TraceKind::Delivered => "delivered",
            TraceKind::Started => "started",
            TraceKind::Completed => "completed",
            TraceKind::Failed => "failed",
            TraceKind::Retried => "retried",
            TraceKind::DeadLettered => "dead-lettered",
            TraceKind::Expired => "expired",
            TraceKind::Rejected => "rejected",
            TraceKind::Deduplicated => "deduplicated",
            TraceKind::DoubleEffect => "double effect",
            TraceKind::Dropped => "dropped",
            TraceKind::SagaStarted => "saga started",
            TraceKind::StepStarted => "step started",
            TraceKind::StepSucceeded => "step succeeded",
            TraceKind::StepFailed => "step failed",
            TraceKind::StepTimedOut => "step timed out",
            TraceKind::CompensationStarted => "compensation started",
            TraceKind::CompensationFinished => "compensation finished",
            TraceKind::SagaEnded => "saga ended",
            TraceKind::FaultStarted => "fault started",
            TraceKind::FaultEnded => "fault ended",
            TraceKind::ItemCompleted => "item completed",
            TraceKind::OrphanedEffect => "orphaned effect",
        }
    }
}

/// The kind of element a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    /// A service; `element` indexes `Plan::services`.
    Service,
    /// A topic; `element` indexes `Plan::topics`.
    Topic,
    /// A saga; `element` indexes `Plan::sagas`.
    Saga,
    /// A workload source; `element` indexes `Plan::sources`.
    Source,
    /// A fault window; `element` indexes `Plan::faults`.
    Fault,
    /// An event store; `element` indexes `Plan::stores`.
    Store,
}

impl Where {
    /// The kind of model element this is, `None` for a fault (faults are not boxes
    /// and have no names).
    pub fn element_kind(self) -> Option<ElementKind> {
        Some(match self {
            Where::Service => ElementKind::Service,
            Where::Topic => ElementKind::Topic,
            Where::Saga => ElementKind::Saga,
            Where::Source => ElementKind::Source,
            Where::Store => ElementKind::Store,
            Where::Fault => return None,
        })
    }
}

/// One trace record.
///
/// Records of one run are numbered from 1 in the order they happen (`id`), and each
/// names the record that caused it (`cause`), so the records of a correlation id form
/// a tree: a delivery's cause is the publish or send it carries, a handler's start is
/// caused by the delivery (or by the retry it repeats), a message sent by a handler is
/// caused by that handler's completion, a saga step by the reply or timeout before it.
/// Roots (cause 0) are workload arrivals and faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// This record's number in its run, from 1 (0: not numbered by a trace).
    pub id: u64,
    /// The record that caused this one; 0 for a root.
    pub cause: u64,
    /// When it happened.
    pub time: SimTime,
    /// What happened.
    pub kind: TraceKind,
    /// The kind of element it happened at (`element` says which).
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

impl Record {
    /// What `detail` holds for this record, as a field name: `partition`, `attempt`,
    /// `next_attempt`, `dead_letter_topic` (a topic index; `u32::MAX`: none), `step`
    /// (a step index), `outcome` (an index in `SagaOutcome::ALL`), `failed` (1 or 0),
    /// `compensation` (an interned message type: the compensating event);
    /// `None` where `detail` means nothing.
    pub fn detail_key(&self) -> Option<&'static str> {
        Some(match (self.kind, self.at) {
            (TraceKind::Published | TraceKind::Expired, Where::Topic) => "partition",
            (TraceKind::Started | TraceKind::Failed, _) => "attempt",
            (TraceKind::Retried, _) => "next_attempt",
            (TraceKind::DeadLettered, _) => "dead_letter_topic",
            (
                TraceKind::StepStarted
                | TraceKind::StepSucceeded
                | TraceKind::StepFailed
                | TraceKind::StepTimedOut
                | TraceKind::CompensationStarted
                | TraceKind::CompensationFinished,
                _,
            ) => "step",
            (TraceKind::SagaEnded, _) => "outcome",
            (TraceKind::ItemCompleted, _) => "failed",
            (TraceKind::OrphanedEffect, Where::Saga) => "step",
            (TraceKind::OrphanedEffect, _) => "compensation",
            _ => return None,
        })
    }

    /// A record with nothing set, to fill in with struct update syntax.
    pub const BLANK: Record = Record {
        id: 0,
        cause: 0,
        time: SimTime::ZERO,
        kind: TraceKind::Published,
        at: Where::Service,
        element: 0,
        correlation: 0,
        message: 0,
        message_type: u32::MAX,
        detail: 0,
    };
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
    /// `capacity > 0 || sink.is_some()`, kept so the engine's check per record is
    /// one load.
    on: bool,
    /// Records pushed so far, kept or not: the latest record's `id`.
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
            on: self.capacity > 0,
            total: self.total,
        }
    }
}

impl Trace {
    /// A trace that keeps the latest `capacity` records (0 keeps none) and streams
    /// nowhere until [`set_sink`](Self::set_sink).
    pub fn new(capacity: usize) -> Self {
        Self {
            ring: Vec::with_capacity(capacity.min(1 << 20)),
            head: 0,
            capacity,
            sink: None,
            on: capacity > 0,
            total: 0,
        }
    }

    /// Is anything kept or streamed? When not, the engine skips building records.
    #[inline]
    pub fn enabled(&self) -> bool {
        self.on
    }

    /// Also send every record to `sink` as it happens.
    pub fn set_sink(&mut self, sink: Sink) {
        self.sink = Some(sink);
        self.on = true;
    }

    /// Does a sink receive every record?
    pub fn has_sink(&self) -> bool {
        self.sink.is_some()
    }

    /// Number the record (its `id` is the count of records so far, from 1), keep and
    /// stream it; returns the id.
    #[inline]
    pub fn push(&mut self, mut r: Record) -> u64 {
        self.total += 1;
        r.id = self.total;
        if let Some(sink) = &mut self.sink {
            sink(&r);
        }
        if self.capacity == 0 {
            return r.id;
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
        r.id
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

    #[test]
    fn every_kind_is_listed_once_with_its_own_label() {
        let labels: std::collections::BTreeSet<&str> =
            TraceKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), TraceKind::ALL.len());
        // `ALL` is in declaration order, so a new kind must be added to it.
        for (i, k) in TraceKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k:?}");
        }
    }

    fn rec(time: u64) -> Record {
        Record {
            time: SimTime::from_nanos(time),
            kind: TraceKind::Started,
            ..Record::BLANK
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
            t.records().map(|r| r.time.as_nanos()).collect::<Vec<_>>(),
            vec![7, 8, 9]
        );
        assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 10);
        assert_eq!(t.total, 10);
    }
}
