//! Words for trace records in the app: places, message types, times (what a record
//! is about and its kind's label come from the engine: `Plan::element_of`, `TraceKind::label`).

use crate::model::{Fault, Model};
use crate::sim::{Plan, Record, SimTime, Where};

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

/// A simulated instant as seconds with millisecond precision: "12.345 s".
pub fn secs(t: SimTime) -> String {
    t.to_string()
}

/// A length of simulated time in nanoseconds, in the same form.
pub fn span(nanos: u64) -> String {
    secs(SimTime::from_nanos(nanos))
}
