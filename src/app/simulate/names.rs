//! Names for what trace records refer to: elements, message types, kinds.

use crate::model::{ElementRef, Fault, Model};
use crate::sim::{Plan, Record, SimTime, TraceKind, Where};

/// The element a record is about, if it is one of the model's boxes.
pub fn element_of(plan: &Plan, r: &Record) -> Option<ElementRef> {
    plan.element_of(r)
}

/// Is the record about this element? (No allocation: the log filters with it.)
pub fn is_about(plan: &Plan, r: &Record, e: &ElementRef) -> bool {
    plan.is_about(r, e)
}

/// Where a record happened, in words.
pub fn place(model: &Model, plan: &Plan, r: &Record) -> String {
    match r.at {
        Where::Fault => model
            .faults
            .get(r.element as usize)
            .map(Fault::describe)
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

/// What happened, in words.
pub fn kind_label(k: TraceKind) -> &'static str {
    k.label()
}

/// Every record kind, in the order the log's filter lists them.
pub const ALL_KINDS: [TraceKind; 23] = TraceKind::ALL;

/// A simulated instant as seconds with millisecond precision: "12.345 s".
pub fn secs(t: SimTime) -> String {
    t.to_string()
}

/// A length of simulated time in nanoseconds, in the same form.
pub fn span(nanos: u64) -> String {
    secs(SimTime::from_nanos(nanos))
}
