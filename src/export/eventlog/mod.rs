//! A run as an event log for process-mining tools: IEEE XES ([`write_xes`]) and
//! OCEL 2.0 JSON ([`write_ocel`]), written while the simulation runs.
//!
//! # The same process as the built-in miner
//!
//! Cases are correlation ids (one workload item and everything it caused) and the
//! events are the activity occurrences of `analysis::process`, named by the same
//! code ([`ActivityNames`]): `OrderPlaced @ payment`, `checkout: compensation
//! ReleaseStock`, `checkout: completed`, … In trace order, per case, so the
//! directly-follows graph a tool such as PM4Py discovers from the XES (its
//! `complete` events) or from the OCEL flattened on the `item` object type equals
//! the miner's flows, count for count (`tools/pm4py-check.py` checks it).
//!
//! # Time
//!
//! Timestamps are simulated time from a fixed epoch, simulated time zero being
//! 2026-01-01T00:00:00Z (the OTLP export's [`EPOCH_UNIX_NANOS`]), written as RFC 3339
//! UTC with nanoseconds. Nothing depends on the wall clock: the same model and seed
//! give the same bytes.
//!
//! # Streaming
//!
//! Records go to a [`CaseGrouper`] as the engine makes them, and each case is written
//! when its item ends ([`crate::export::cases`]); items still in flight at the end of
//! the run are written last, by correlation id. Memory holds the items in flight, not
//! the run: see each writer for what else it keeps (both keep only what the model
//! bounds).

mod ocel;
mod xes;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

pub use self::ocel::write_ocel;
pub use self::xes::write_xes;
use super::cases::{Case, CaseGrouper};
use crate::analysis::process::ActivityNames;
use crate::export::docs::otlp::EPOCH_UNIX_NANOS;
use crate::sim::budget::{Budget, Meter, Stopped};
use crate::sim::{Plan, Record, SimTime, Simulation, TraceKind, Where};

/// Simulated time between two hand-overs of ended cases to the writer: the records
/// of at most this much simulated time wait in memory besides the items in flight.
const SLICE_NANOS: u64 = 1_000_000_000;

/// Run `sim` to the end, or until it has spent `budget` (then it ends there and says
/// why), with every record going to a [`CaseGrouper`], handing each case to
/// `on_case` once its item has ended (and the items still in flight at the end, by
/// correlation id). Returns the first error of `on_case`, which stops the run.
fn run_cases(
    mut sim: Simulation,
    budget: &Budget,
    mut on_case: impl FnMut(&Case) -> io::Result<()>,
) -> io::Result<Option<Stopped>> {
    let meter = Meter::new(*budget, &sim);
    let mut stopped = None;
    let grouper = Arc::new(Mutex::new(CaseGrouper::default()));
    let sink = grouper.clone();
    // A poisoned lock only means a push panicked; the records before it are intact.
    sim.trace_mut().set_sink(Box::new(move |r| {
        sink.lock().unwrap_or_else(PoisonError::into_inner).push(r);
    }));
    let end = sim.end().as_nanos();
    let mut t = 0u64;
    while t < end {
        t = t.saturating_add(SLICE_NANOS).min(end);
        sim.step_until(SimTime::from_nanos(t));
        stopped = meter.spent(&sim);
        if stopped.is_some() {
            sim.end_now();
        }
        let ended = grouper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take_ended();
        for case in &ended {
            on_case(case)?;
        }
        if stopped.is_some() {
            break;
        }
    }
    sim.finish();
    drop(sim);
    let rest = grouper
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain();
    for case in &rest {
        on_case(case)?;
    }
    Ok(stopped)
}

/// A simulated instant as RFC 3339 UTC with nanoseconds, from the fixed epoch.
fn timestamp(t: SimTime) -> String {
    let nanos = EPOCH_UNIX_NANOS.saturating_add(t.as_nanos());
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos);
    humantime::format_rfc3339_nanos(at).to_string()
}

/// One activity occurrence of a case.
struct Occurrence {
    /// Position of its record in the case.
    at: usize,
    /// Its activity, numbered by the case's [`ActivityNames`].
    activity: usize,
    /// For a handled message: the position of the `Started` record of the handling
    /// that completed (the attempt that succeeded; after a crash, the restart).
    started: Option<usize>,
}

/// The activity occurrences of a case, in trace order, named by `names`.
fn occurrences(case: &Case, names: &mut ActivityNames) -> Vec<Occurrence> {
    case.records
        .iter()
        .enumerate()
        .filter_map(|(at, r)| {
            let (activity, _) = names.of(r)?;
            let started = if r.kind == TraceKind::Completed {
                started(case, at)
            } else {
                None
            };
            Some(Occurrence {
                at,
                activity,
                started,
            })
        })
        .collect()
}

/// The `Started` record of the handling that ended with the `Completed` record at
/// `at`: the nearest `Started` up its chain of causes for the same message at the
/// same service (with a callback, the chain runs through the callee's handling).
fn started(case: &Case, at: usize) -> Option<usize> {
    let done = &case.records[at];
    let mut p = case.position(done.cause)?;
    // Each step goes to an earlier record, so this ends; the bound is a safeguard.
    for _ in 0..case.records.len() {
        let r = &case.records[p];
        if r.kind == TraceKind::Started
            && r.at == Where::Service
            && r.element == done.element
            && r.message == done.message
        {
            return Some(p);
        }
        p = case.position(r.cause).filter(|q| *q < p)?;
    }
    None
}

/// Who did it: the service for handling, dead letters and rejections; a saga's
/// orchestrator for its milestones; the topic for retention losses.
fn resource<'p>(plan: &'p Plan, r: &Record) -> &'p str {
    let element = match r.at {
        Where::Saga => plan
            .sagas
            .get(r.element as usize)
            .and_then(|s| plan.services.get(s.orchestrator.index())),
        _ => None,
    };
    element
        .map(|s| s.name.as_str())
        .or_else(|| plan.element_name(r.at, r.element))
        .unwrap_or("")
}

#[cfg(test)]
mod tests;
