//! Reading the trace into cases: each record that is an activity occurrence (see the
//! table in the parent module's docs) is named, interned and appended to its case's
//! path with the position of its cause; the other records only note how the case
//! ends.

use std::collections::{BTreeMap, HashMap};

use super::{Activity, VariantKind};
use crate::sim::{Plan, Record, SagaOutcome, TraceKind, Where};

/// What one case did, gathered from its records.
#[derive(Default)]
pub(super) struct Case {
    pub(super) path: Vec<usize>,
    /// For each position of `path`: the position of the activity that caused it (the
    /// nearest activity up its record's chain of causes), if any.
    pub(super) cause: Vec<Option<usize>>,
    sagas_started: u32,
    sagas_ended: u32,
    /// Index in `SagaOutcome::ALL` of the worst outcome so far.
    worst_saga: Option<usize>,
    dead_lettered: bool,
    failed: bool,
    /// An event marked `failure` was published: a failure outcome was taken.
    failure_taken: bool,
    /// An event that `compensates` another was published: a compensation ran.
    compensation_run: bool,
    /// The item's completion record: `Some(failed)`.
    item_completed: Option<bool>,
}

impl Case {
    /// How the case ended, by the rule of the parent module's docs.
    pub(super) fn kind(&self) -> VariantKind {
        if let Some(o) = self.worst_saga {
            VariantKind::of_saga(SagaOutcome::ALL[o])
        } else if self.sagas_started > self.sagas_ended {
            VariantKind::Unfinished
        } else if self.dead_lettered {
            VariantKind::DeadLettered
        } else if self.failed || self.item_completed == Some(true) {
            VariantKind::Failed
        } else if self.item_completed.is_none() {
            VariantKind::Unfinished
        } else if self.compensation_run {
            VariantKind::Compensated
        } else if self.failure_taken {
            VariantKind::Aborted
        } else {
            VariantKind::HappyPath
        }
    }
}

/// Activity names are interned per (record kind, element, type, detail) so that a
/// name is built once, not once per record.
#[derive(Default)]
pub(super) struct Activities {
    pub(super) list: Vec<Activity>,
    /// Handled messages and saga milestones, as opposed to fault activities.
    pub(super) judged: Vec<bool>,
    pub(super) by_name: HashMap<String, usize>,
    by_key: HashMap<(u8, u32, u32, u32), usize>,
}

impl Activities {
    fn get(&mut self, key: (u8, u32, u32, u32), name: impl FnOnce() -> (String, bool)) -> usize {
        if let Some(i) = self.by_key.get(&key) {
            self.list[*i].count += 1;
            return *i;
        }
        let (name, judged) = name();
        let i = *self.by_name.entry(name.clone()).or_insert_with(|| {
            self.list.push(Activity { name, count: 0 });
            self.judged.push(judged);
            self.list.len() - 1
        });
        self.by_key.insert(key, i);
        self.list[i].count += 1;
        i
    }
}

/// Read every record with a correlation id, in trace order: the activities that
/// occurred and each case (by correlation id).
pub(super) fn read_cases(plan: &Plan, records: &[Record]) -> (Activities, BTreeMap<u64, Case>) {
    let names = Names(plan);
    let mut acts = Activities::default();
    let mut cases: BTreeMap<u64, Case> = BTreeMap::new();
    let mut ancestry = Ancestry::new(records);
    for r in records {
        if r.correlation == 0 {
            continue;
        }
        let case = cases.entry(r.correlation).or_default();
        let activity = occurrence(r, &names, &mut acts, case);
        let caused_by = ancestry.of(r.cause);
        let at = activity.map(|a| {
            case.path.push(a);
            case.cause.push(caused_by);
            case.path.len() - 1
        });
        ancestry.set(r.id, at.or(caused_by));
    }
    (acts, cases)
}

/// The activity `r` is an occurrence of, if it is one; notes on `case` what the
/// record says about how the case ends.
fn occurrence(r: &Record, names: &Names, acts: &mut Activities, case: &mut Case) -> Option<usize> {
    let (el, ty) = (r.element, r.message_type);
    match (r.kind, r.at) {
        (TraceKind::Completed, Where::Service) => Some(acts.get((0, el, ty, 0), || {
            (format!("{} @ {}", names.ty(ty), names.service(el)), true)
        })),
        (TraceKind::CompensationStarted, Where::Saga) => Some(acts.get((1, el, ty, 0), || {
            (
                format!("{}: compensation {}", names.saga(el), names.ty(ty)),
                true,
            )
        })),
        (TraceKind::StepTimedOut, Where::Saga) => Some(acts.get((2, el, 0, r.detail), || {
            let step = names.step(el, r.detail);
            (format!("{}: step {step} timed out", names.saga(el)), false)
        })),
        (TraceKind::SagaStarted, Where::Saga) => {
            case.sagas_started += 1;
            None
        }
        (TraceKind::SagaEnded, Where::Saga) => {
            case.sagas_ended += 1;
            let o = (r.detail as usize).min(SagaOutcome::ALL.len() - 1);
            case.worst_saga = Some(case.worst_saga.map_or(o, |w| w.max(o)));
            Some(acts.get((3, el, 0, o as u32), || {
                (
                    format!("{}: {}", names.saga(el), SagaOutcome::ALL[o].words()),
                    true,
                )
            }))
        }
        (TraceKind::DeadLettered, Where::Service) => {
            let to_topic = r.detail != u32::MAX;
            if to_topic {
                case.dead_lettered = true;
            } else {
                case.failed = true;
            }
            Some(acts.get((4, el, ty, u32::from(to_topic)), || {
                let how = if to_topic {
                    "dead-lettered"
                } else {
                    "given up"
                };
                (
                    format!("{} {how} at {}", names.ty(ty), names.service(el)),
                    false,
                )
            }))
        }
        (TraceKind::Rejected, Where::Service) => {
            case.failed = true;
            Some(acts.get((5, el, ty, 0), || {
                (
                    format!("{} rejected at {}", names.ty(ty), names.service(el)),
                    false,
                )
            }))
        }
        (TraceKind::Expired, Where::Topic) => {
            case.failed = true;
            Some(acts.get((6, el, ty, 0), || {
                (
                    format!("{} expired on {}", names.ty(ty), names.topic(el)),
                    false,
                )
            }))
        }
        (TraceKind::Dropped, at) => {
            case.failed = true;
            Some(acts.get((7, el, ty, at as u32), || {
                let place = match at {
                    Where::Service => names.service(el),
                    Where::Topic => names.topic(el),
                    _ => format!("{at:?} #{el}").to_lowercase(),
                };
                (format!("{} dropped at {place}", names.ty(ty)), false)
            }))
        }
        (TraceKind::OrphanedEffect, Where::Saga) => Some(acts.get((8, el, 0, r.detail), || {
            let step = names.step(el, r.detail);
            (format!("{}: step {step} orphaned", names.saga(el)), false)
        })),
        (TraceKind::OrphanedEffect, _) => Some(acts.get((9, 0, ty, r.detail), || {
            (
                format!("{} orphaned: no {}", names.ty(ty), names.ty(r.detail)),
                false,
            )
        })),
        (TraceKind::ItemCompleted, Where::Source) => {
            case.item_completed = Some(r.detail != 0);
            None
        }
        (TraceKind::Published, Where::Topic | Where::Store) => {
            if let Some(t) = names.0.types.get(ty as usize) {
                case.failure_taken |= t.failure;
                case.compensation_run |= t.compensates.is_some();
            }
            None
        }
        _ => None,
    }
}

/// The names of what a plan's records index, for activity names; an index out of
/// range reads as `service #3`.
struct Names<'a>(&'a Plan);

impl Names<'_> {
    fn ty(&self, t: u32) -> String {
        self.0
            .types
            .get(t as usize)
            .map_or_else(|| format!("type #{t}"), |t| t.name.clone())
    }

    fn service(&self, s: u32) -> String {
        self.0
            .services
            .get(s as usize)
            .map_or_else(|| format!("service #{s}"), |s| s.name.clone())
    }

    fn topic(&self, s: u32) -> String {
        self.0
            .topics
            .get(s as usize)
            .map_or_else(|| format!("topic #{s}"), |s| s.name.clone())
    }

    fn saga(&self, s: u32) -> String {
        self.0
            .sagas
            .get(s as usize)
            .map_or_else(|| format!("saga #{s}"), |s| s.name.clone())
    }

    /// Step `step` of saga `saga` (`#2` when out of range).
    fn step(&self, saga: u32, step: u32) -> String {
        self.0
            .sagas
            .get(saga as usize)
            .and_then(|s| s.steps.get(step as usize))
            .map_or_else(|| format!("#{step}"), |s| s.name.clone())
    }
}

/// For every record: the position (in its case's path) of the nearest activity up its
/// chain of causes, found as records arrive (a cause comes before what it causes).
struct Ancestry {
    /// Id of the first record.
    base: u64,
    /// By record id − base: position + 1, or 0 for none.
    at: Vec<u32>,
}

impl Ancestry {
    fn new(records: &[Record]) -> Self {
        Self {
            base: records.first().map_or(0, |r| r.id),
            at: vec![0; records.len()],
        }
    }

    fn slot(&self, id: u64) -> Option<usize> {
        let i = usize::try_from(id.checked_sub(self.base)?).ok()?;
        (i < self.at.len()).then_some(i)
    }

    fn of(&self, id: u64) -> Option<usize> {
        let i = self.slot(id)?;
        self.at[i].checked_sub(1).map(|p| p as usize)
    }

    fn set(&mut self, id: u64, at: Option<usize>) {
        if let Some(i) = self.slot(id) {
            self.at[i] = at.map_or(0, |p| u32::try_from(p + 1).unwrap_or(0));
        }
    }
}
