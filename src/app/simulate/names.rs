//! Names for what trace records refer to: elements, message types, kinds.

use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::{Plan, Record, TraceKind, Where};

/// The element a record is about, if it is one of the model's boxes.
pub fn element_of(plan: &Plan, r: &Record) -> Option<ElementRef> {
    let kind = match r.at {
        Where::Service => ElementKind::Service,
        Where::Topic => ElementKind::Topic,
        Where::Saga => ElementKind::Saga,
        Where::Source => ElementKind::Source,
        Where::Store => ElementKind::Store,
        Where::Fault => return None,
    };
    Some(ElementRef::new(kind, plan.element_name(r.at, r.element)?))
}

/// Is the record about this element? (No allocation: the log filters with it.)
pub fn is_about(plan: &Plan, r: &Record, e: &ElementRef) -> bool {
    let kind = match r.at {
        Where::Service => ElementKind::Service,
        Where::Topic => ElementKind::Topic,
        Where::Saga => ElementKind::Saga,
        Where::Source => ElementKind::Source,
        Where::Store => ElementKind::Store,
        Where::Fault => return false,
    };
    kind == e.kind && plan.element_name(r.at, r.element) == Some(e.name.as_str())
}

/// Where a record happened, in words.
pub fn place(model: &Model, plan: &Plan, r: &Record) -> String {
    match r.at {
        Where::Fault => model
            .faults
            .get(r.element as usize)
            .map(|f| f.describe())
            .unwrap_or_else(|| format!("fault {}", r.element)),
        _ => plan.element_name(r.at, r.element).unwrap_or("?").to_owned(),
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
