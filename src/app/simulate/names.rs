//! Names for what trace records refer to: elements, message types, kinds.

use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::{Plan, Record, TraceKind, Where};

/// The element a record is about, if it is one of the model's boxes.
pub fn element_of(model: &Model, r: &Record) -> Option<ElementRef> {
    let i = r.element as usize;
    let (kind, name) = match r.at {
        Where::Service => (ElementKind::Service, &model.services.get(i)?.name),
        Where::Topic => (ElementKind::Topic, &model.topics.get(i)?.name),
        Where::Saga => (ElementKind::Saga, &model.sagas.get(i)?.name),
        Where::Source => (ElementKind::Source, &model.sources.get(i)?.name),
        Where::Store => (ElementKind::Store, &model.stores.get(i)?.name),
        Where::Fault => return None,
    };
    Some(ElementRef::new(kind, name.clone()))
}

/// Where a record happened, in words.
pub fn place(model: &Model, r: &Record) -> String {
    match r.at {
        Where::Fault => model
            .faults
            .get(r.element as usize)
            .map(|f| f.describe())
            .unwrap_or_else(|| format!("fault {}", r.element)),
        _ => element_of(model, r)
            .map(|e| e.name)
            .unwrap_or_else(|| "?".into()),
    }
}

/// The message type's name, or "".
pub fn message_type<'p>(plan: &'p Plan, r: &Record) -> &'p str {
    plan.types
        .get(r.message_type as usize)
        .map(|t| t.name.as_str())
        .unwrap_or("")
}

pub fn kind_label(k: TraceKind) -> &'static str {
    match k {
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
    }
}

/// Every record kind, in the order the log's filter lists them.
pub const ALL_KINDS: [TraceKind; 23] = [
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
];

/// Simulated nanoseconds as seconds with millisecond precision: "12.345 s".
pub fn secs(nanos: u64) -> String {
    format!("{:.3} s", nanos as f64 / 1e9)
}
