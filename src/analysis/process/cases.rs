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
        } else {
            VariantKind::HappyPath
        }
    }
}

/// Activity names are interned per [`ActivityKey`] so that a name is built once, not
/// once per record.
#[derive(Default)]
pub(super) struct Activities {
    pub(super) list: Vec<Activity>,
    /// Handled messages and saga milestones, as opposed to fault activities.
    pub(super) judged: Vec<bool>,
    pub(super) by_name: HashMap<String, usize>,
    by_key: HashMap<ActivityKey, usize>,
}

impl Activities {
    fn get(&mut self, key: ActivityKey, names: &Names) -> usize {
        if let Some(i) = self.by_key.get(&key) {
            self.list[*i].count += 1;
            return *i;
        }
        let name = key.name(names);
        let i = *self.by_name.entry(name.clone()).or_insert_with(|| {
            self.list.push(Activity { name, count: 0 });
            self.judged.push(key.judged());
            self.list.len() - 1
        });
        self.by_key.insert(key, i);
        self.list[i].count += 1;
        i
    }
}

/// Which activity a record is an occurrence of: one key per distinct name (the
/// table in the parent module's docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ActivityKey {
    Handled {
        service: u32,
        ty: u32,
    },
    Compensation {
        saga: u32,
        ty: u32,
    },
    StepTimedOut {
        saga: u32,
        step: u32,
    },
    SagaEnded {
        saga: u32,
        outcome: usize,
    },
    DeadLettered {
        service: u32,
        ty: u32,
        to_topic: bool,
    },
    Rejected {
        service: u32,
        ty: u32,
    },
    Expired {
        topic: u32,
        ty: u32,
    },
    Dropped {
        at: Where,
        element: u32,
        ty: u32,
    },
}

impl ActivityKey {
    /// The activity `r` is an occurrence of, if it is one.
    fn of(r: &Record) -> Option<Self> {
        let (el, ty) = (r.element, r.message_type);
        Some(match (r.kind, r.at) {
            (TraceKind::Completed, Where::Service) => Self::Handled { service: el, ty },
            (TraceKind::CompensationStarted, Where::Saga) => Self::Compensation { saga: el, ty },
            (TraceKind::StepTimedOut, Where::Saga) => Self::StepTimedOut {
                saga: el,
                step: r.detail,
            },
            (TraceKind::SagaEnded, Where::Saga) => Self::SagaEnded {
                saga: el,
                outcome: (r.detail as usize).min(SagaOutcome::ALL.len() - 1),
            },
            (TraceKind::DeadLettered, Where::Service) => Self::DeadLettered {
                service: el,
                ty,
                to_topic: r.detail != u32::MAX,
            },
            (TraceKind::Rejected, Where::Service) => Self::Rejected { service: el, ty },
            (TraceKind::Expired, Where::Topic) => Self::Expired { topic: el, ty },
            (TraceKind::Dropped, at) => Self::Dropped {
                at,
                element: el,
                ty,
            },
            _ => return None,
        })
    }

    /// A handled message or saga milestone, as opposed to a fault activity.
    fn judged(self) -> bool {
        matches!(
            self,
            Self::Handled { .. } | Self::Compensation { .. } | Self::SagaEnded { .. }
        )
    }

    fn name(self, names: &Names) -> String {
        match self {
            Self::Handled { service, ty } => {
                format!("{} @ {}", names.ty(ty), names.service(service))
            }
            Self::Compensation { saga, ty } => {
                format!("{}: compensation {}", names.saga(saga), names.ty(ty))
            }
            Self::StepTimedOut { saga, step } => {
                format!(
                    "{}: step {} timed out",
                    names.saga(saga),
                    names.step(saga, step)
                )
            }
            Self::SagaEnded { saga, outcome } => {
                format!(
                    "{}: {}",
                    names.saga(saga),
                    SagaOutcome::ALL[outcome].words()
                )
            }
            Self::DeadLettered {
                service,
                ty,
                to_topic,
            } => {
                let how = if to_topic {
                    "dead-lettered"
                } else {
                    "given up"
                };
                format!("{} {how} at {}", names.ty(ty), names.service(service))
            }
            Self::Rejected { service, ty } => {
                format!("{} rejected at {}", names.ty(ty), names.service(service))
            }
            Self::Expired { topic, ty } => {
                format!("{} expired on {}", names.ty(ty), names.topic(topic))
            }
            Self::Dropped { at, element, ty } => {
                let place = match at {
                    Where::Service => names.service(element),
                    Where::Topic => names.topic(element),
                    _ => format!("{at:?} #{element}").to_lowercase(),
                };
                format!("{} dropped at {place}", names.ty(ty))
            }
        }
    }
}

/// Names trace records as the miner's activities (the table in the
/// `analysis::process` docs), for exports that must name them the same way (the XES
/// and OCEL event logs). Each distinct name is built once.
pub struct ActivityNames<'a> {
    names: Names<'a>,
    by_key: HashMap<ActivityKey, usize>,
    list: Vec<String>,
}

impl<'a> ActivityNames<'a> {
    /// Names for the records of a run of `plan`.
    pub fn new(plan: &'a Plan) -> Self {
        Self {
            names: Names(plan),
            by_key: HashMap::new(),
            list: Vec::new(),
        }
    }

    /// The activity `r` is an occurrence of, if it is one: its number (in order of
    /// first occurrence to this namer, from 0) and its name.
    pub fn of(&mut self, r: &Record) -> Option<(usize, &str)> {
        let key = ActivityKey::of(r)?;
        let i = match self.by_key.get(&key) {
            Some(i) => *i,
            None => {
                self.list.push(key.name(&self.names));
                self.by_key.insert(key, self.list.len() - 1);
                self.list.len() - 1
            }
        };
        Some((i, self.list[i].as_str()))
    }

    /// Every name given so far, in order of first occurrence.
    pub fn names(&self) -> &[String] {
        &self.list
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
        note(r, case);
        let activity = ActivityKey::of(r).map(|k| acts.get(k, &names));
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

/// Note on `case` what the record says about how the case ends.
fn note(r: &Record, case: &mut Case) {
    match (r.kind, r.at) {
        (TraceKind::SagaStarted, Where::Saga) => case.sagas_started += 1,
        (TraceKind::SagaEnded, Where::Saga) => {
            case.sagas_ended += 1;
            let o = (r.detail as usize).min(SagaOutcome::ALL.len() - 1);
            case.worst_saga = Some(case.worst_saga.map_or(o, |w| w.max(o)));
        }
        (TraceKind::DeadLettered, Where::Service) if r.detail != u32::MAX => {
            case.dead_lettered = true;
        }
        (TraceKind::DeadLettered, Where::Service)
        | (TraceKind::Rejected, Where::Service)
        | (TraceKind::Expired, Where::Topic)
        | (TraceKind::Dropped, _) => case.failed = true,
        (TraceKind::ItemCompleted, Where::Source) => case.item_completed = Some(r.detail != 0),
        _ => {}
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
