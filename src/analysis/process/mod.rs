//! The emergent process: the end-to-end process as it actually ran, mined from the
//! trace (a directly-follows graph with frequencies, and the variants cases took), and
//! compared with the hand-offs the model declares.
//!
//! # Cases
//!
//! A case is one correlation id, i.e. one workload item and everything it caused.
//! Records without a correlation id (faults) are ignored. A case's events are taken in
//! trace order, which is time order with ties in the engine's FIFO order. Pass the
//! *whole* trace (a sink collecting every record): with the in-memory ring only the
//! most recent records survive, and cases whose beginning fell out of the ring look
//! like they started half-way.
//!
//! # Activities
//!
//! Each record kind below is one activity occurrence; every other record is ignored.
//!
//! | record | activity name |
//! |---|---|
//! | `Completed` at a service | `OrderPlaced @ payment` (the type handled, the service) |
//! | `CompensationStarted` | `checkout: compensation ReleaseStock` |
//! | `StepTimedOut` | `checkout: step reserve timed out` |
//! | `SagaEnded` | `checkout: completed` / `compensated` / `timed out` / `compensation failed` |
//! | `DeadLettered` to a topic | `ChargeCard dead-lettered at payment` |
//! | `DeadLettered` without a topic | `ChargeCard given up at payment` |
//! | `Rejected` (queue full) | `ReserveStock rejected at inventory` |
//! | `Expired` (retention) | `OrderPlaced expired on orders` |
//! | `Dropped` | `OrderPlaced dropped at orders` |
//! | `OrphanedEffect` at a saga | `checkout: step charge orphaned` |
//! | `OrphanedEffect` at a source | `PaymentCompleted orphaned: no PaymentRefunded` |
//!
//! A hand-off is counted at `Completed`, the successful end of a handling: it is
//! recorded exactly once per message handled (handlers, saga triggers and saga
//! replies alike), after the handler's work and before what it emits, so the order of
//! `Completed` records is the causal order of a chain. `Started` was not used: it is
//! recorded again for every retry and for work redelivered after a crash. Failed
//! attempts and retries are not activities (a retried message that finally succeeds
//! is one hand-off); a copy skipped by an idempotent consumer is none either, while a
//! copy applied again by a consumer that is not idempotent is a second hand-off.
//!
//! Activities are numbered in order of first occurrence in the trace, which roughly
//! follows the process; flows are sorted by (from, to), starts and ends by activity.
//!
//! # Variant kinds
//!
//! A case's kind comes from what happened to it, read from its records (never from
//! the shape of its path). In this order, the first that applies:
//! 1. the case ran a saga that ended: its outcome (`completed` → [`HappyPath`],
//!    `compensated` → [`Compensated`], `timed_out` → [`TimedOut`],
//!    `compensation_failed` → [`CompensationFailed`]); a case with several saga
//!    instances takes the worst of their outcomes (in that order, worst last);
//! 2. a saga of the case is still running at the end: [`Unfinished`];
//! 3. a message of the case was dead-lettered to a topic: [`DeadLettered`];
//! 4. a message was given up without a dead-letter topic, rejected, expired or
//!    dropped (a loss), or the engine marked the item failed: [`Failed`];
//! 5. the item never completed (still in flight at the end): [`Unfinished`];
//! 6. a compensation ran: the case published (or appended) an event whose type
//!    `compensates` another in the schema registry (`PaymentRefunded`):
//!    [`Compensated`];
//! 7. a failure outcome was taken: the case published an event whose type is marked
//!    `failure: true` (`PaymentFailed`, `OutOfStock`), and nothing needed undoing:
//!    [`Aborted`];
//! 8. otherwise [`HappyPath`].
//!
//! Rules 6 and 7 read the marks of the schema registry, compiled into
//! [`TypeInfo::failure`](crate::sim::TypeInfo::failure) and
//! [`TypeInfo::compensates`](crate::sim::TypeInfo::compensates), from the `Published`
//! records of the case; the model marks what the names alone cannot tell. So on a
//! run with one saga per item, the cases of each saga kind are exactly the engine's
//! saga outcome counts (rule 1 comes first). Cases are grouped into variants by
//! (kind, path).
//!
//! # Modelled hand-offs
//!
//! Derived from the model by name, for what the engine really does:
//! - a handler of `X` at service `S` (`X @ S`) that may publish event `E` to topic `T`
//!   (directly, or by appending to a store whose change feed is `T`) hands off to
//!   `E @ S'` for every service `S'` with a handler or saga trigger for `E` on `T`; one
//!   that may send command `C` to `S'` hands off to `C @ S'` if `S'` handles it;
//! - a handler with a callback: whatever hands off to `X @ S` hands off to the query's
//!   `Q @ callee` instead, and `Q @ callee` hands off to `X @ S` (the query is handled
//!   before the caller finishes);
//! - a saga: its trigger `E @ orchestrator` → the first step's `command @ service` →
//!   each reply its handler may send `R @ orchestrator` → if `R` means success, the
//!   next step's command or `saga: completed`; if failure, `saga: compensation C` of
//!   the latest earlier step that has one, or `saga: compensated`. A compensation →
//!   its `C @ service` → its replies → the next compensation or `saga: compensated` /
//!   `saga: timed out` (the outcome a compensation chain ends with). `saga: <any
//!   outcome>` → the targets of `on_complete` (completed) or `on_abort` (the others).
//!
//! Each activity occurrence has a cause: the nearest activity up its record's chain
//! of causes in the trace ([`Record::cause`]), e.g. `CardCharged @ checkout` is caused
//! by `ChargeCard @ payment`, whose reply it handles. An occurrence *departs* from the
//! model when it and its cause are handled messages or saga milestones and the cause
//! does not explain it: the pair is not a modelled hand-off, or that occurrence of
//! the cause has already explained an occurrence of the same activity (a duplicate
//! applied twice by a consumer that is not idempotent). A flow `a → b` of the
//! directly-follows graph is `unmodelled` when, in some case, the `b` it leads to
//! departs. Flows to or from fault activities (timeouts, dead letters, rejections,
//! expiries, orphaned effects) are the model's own failure handling under faults and
//! are never marked; they show as their own activities and variants. `never_seen`
//! lists the modelled
//! hand-offs that no occurrence was caused by (read from causes, so interleaved
//! branches do not hide a hand-off that happened).
//!
//! The flows themselves are directly-follows per case (what process-mining tools
//! draw), so interleaved branches of one item show as flows between each other; the
//! causes above decide what departs from the model.
//!
//! [`HappyPath`]: VariantKind::HappyPath
//! [`Compensated`]: VariantKind::Compensated
//! [`TimedOut`]: VariantKind::TimedOut
//! [`CompensationFailed`]: VariantKind::CompensationFailed
//! [`Unfinished`]: VariantKind::Unfinished
//! [`DeadLettered`]: VariantKind::DeadLettered
//! [`Failed`]: VariantKind::Failed
//! [`Aborted`]: VariantKind::Aborted

mod cases;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use self::cases::{Case, read_cases};
use crate::model::Model;
use crate::sim::{Plan, Record, SagaOutcome};

/// One kind of step of the emergent process: a message type handled by a service
/// (e.g. "OrderPlaced @ payment"), or a saga milestone ("checkout: compensation
/// ReleaseStock", "checkout: completed"), or a fault ("ChargeCard dead-lettered at
/// payment").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Activity {
    /// The name, as in the table of the module docs.
    pub name: String,
    /// Occurrences over all cases.
    pub count: u64,
}

/// One directly-follows pair of activities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    /// Index of the earlier activity in [`Process::activities`].
    pub from: usize,
    /// Index of the activity that directly followed it.
    pub to: usize,
    /// Cases in which `to` directly followed `from`, counted once per occurrence.
    pub count: u64,
    /// The model does not have this hand-off.
    pub unmodelled: bool,
}

/// How a case ended; see the module docs for the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantKind {
    /// Ended well: its saga completed, or every message was handled.
    HappyPath,
    /// Its saga was compensated, or (without a saga) a choreographed compensation ran.
    Compensated,
    /// A failure outcome was taken (an event marked `failure`) and nothing needed
    /// undoing: the process ended, unsuccessfully, by design.
    Aborted,
    /// A compensation of its saga got no reply: left half-done.
    CompensationFailed,
    /// A step of its saga timed out.
    TimedOut,
    /// A message was dead-lettered to a topic.
    DeadLettered,
    /// A message was given up, rejected, expired or dropped.
    Failed,
    /// Still running when the run ended.
    Unfinished,
}

impl VariantKind {
    /// Every kind, in declaration order.
    pub const ALL: [VariantKind; 8] = [
        VariantKind::HappyPath,
        VariantKind::Compensated,
        VariantKind::Aborted,
        VariantKind::CompensationFailed,
        VariantKind::TimedOut,
        VariantKind::DeadLettered,
        VariantKind::Failed,
        VariantKind::Unfinished,
    ];

    /// A short label for people: "happy path", "dead-lettered".
    pub fn label(self) -> &'static str {
        match self {
            VariantKind::HappyPath => "happy path",
            VariantKind::Compensated => "compensated",
            VariantKind::Aborted => "aborted",
            VariantKind::CompensationFailed => "compensation failed",
            VariantKind::TimedOut => "timed out",
            VariantKind::DeadLettered => "dead-lettered",
            VariantKind::Failed => "failed",
            VariantKind::Unfinished => "unfinished",
        }
    }

    fn of_saga(outcome: SagaOutcome) -> VariantKind {
        match outcome {
            SagaOutcome::Completed => VariantKind::HappyPath,
            SagaOutcome::Compensated => VariantKind::Compensated,
            SagaOutcome::TimedOut => VariantKind::TimedOut,
            SagaOutcome::CompensationFailed => VariantKind::CompensationFailed,
        }
    }
}

/// Cases that took the same path and ended the same way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variant {
    /// How its cases ended.
    pub kind: VariantKind,
    /// Activity indexes in order (empty for cases no consumer ever handled).
    pub path: Vec<usize>,
    /// Cases that took it.
    pub count: u64,
    /// Of all cases, 0–1.
    pub share: f64,
    /// One correlation id that took it (the smallest), for the trace view.
    pub example: u64,
}

/// The process as it ran.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Process {
    /// Every activity that occurred, in order of first occurrence.
    pub activities: Vec<Activity>,
    /// Directly-follows relation per correlation id (case), with frequencies.
    pub flows: Vec<Flow>,
    /// Cases starting at each activity: (activity, count), by activity.
    pub starts: Vec<(usize, u64)>,
    /// Cases ending at each activity: (activity, count), by activity.
    pub ends: Vec<(usize, u64)>,
    /// Most frequent first (ties: by kind, then path).
    pub variants: Vec<Variant>,
    /// Modelled hand-offs never seen in the run (activity names), for "departs from
    /// the model". Sorted.
    pub never_seen: Vec<(String, String)>,
    /// Correlation ids seen in the trace.
    pub cases: u64,
}

impl Process {
    /// Index of the activity with this name.
    pub fn activity_index(&self, name: &str) -> Option<usize> {
        self.activities.iter().position(|a| a.name == name)
    }

    /// Cases per variant kind, in [`VariantKind::ALL`] order, kinds without cases
    /// left out.
    pub fn cases_per_kind(&self) -> Vec<(VariantKind, u64)> {
        VariantKind::ALL
            .iter()
            .map(|k| {
                let n = self
                    .variants
                    .iter()
                    .filter(|v| v.kind == *k)
                    .map(|v| v.count)
                    .sum();
                (*k, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Mine the process that emerged in a run from its trace records (all of them, in
/// trace order). `plan` names what the records index; `model` declares the hand-offs
/// the run is compared with (normally the model the plan was compiled from).
pub fn emergent_process(model: &Model, plan: &Plan, records: &[Record]) -> Process {
    let (acts, cases) = read_cases(plan, records);
    let modelled = model.flows().activity_handoffs();
    // The modelled hand-offs between activities that occurred, by index.
    let handoffs: BTreeSet<(usize, usize)> = modelled
        .iter()
        .filter_map(|(f, t)| Some((*acts.by_name.get(f)?, *acts.by_name.get(t)?)))
        .collect();
    let total = cases.len() as u64;
    let summary = summarise(cases, &handoffs, &acts.judged);

    let taken = |f: &String, t: &String| match (acts.by_name.get(f), acts.by_name.get(t)) {
        (Some(f), Some(t)) => summary.caused.contains(&(*f, *t)),
        _ => false,
    };
    let never_seen = modelled.into_iter().filter(|(f, t)| !taken(f, t)).collect();
    let flows = summary
        .flows
        .into_iter()
        .map(|((from, to), (count, unmodelled))| Flow {
            from,
            to,
            count,
            unmodelled,
        })
        .collect();

    let mut variants: Vec<Variant> = summary
        .variants
        .into_iter()
        .map(|((kind, path), (count, example))| Variant {
            kind,
            path,
            count,
            share: count as f64 / total.max(1) as f64,
            example,
        })
        .collect();
    // Stable: ties keep the (kind, path) order of the map.
    variants.sort_by_key(|v| std::cmp::Reverse(v.count));

    let nonzero = |v: Vec<u64>| {
        v.into_iter()
            .enumerate()
            .filter(|(_, c)| *c > 0)
            .collect::<Vec<_>>()
    };
    Process {
        activities: acts.list,
        flows,
        starts: nonzero(summary.starts),
        ends: nonzero(summary.ends),
        variants,
        never_seen,
        cases: total,
    }
}

/// The cases summed up, by activity index.
struct Summary {
    /// Cases starting at each activity.
    starts: Vec<u64>,
    /// Cases ending at each activity.
    ends: Vec<u64>,
    /// (from, to) → (count, unmodelled).
    flows: BTreeMap<(usize, usize), (u64, bool)>,
    /// Hand-offs that happened: (cause, effect) activities.
    caused: BTreeSet<(usize, usize)>,
    /// (kind, path) → (count, smallest correlation id).
    variants: BTreeMap<(VariantKind, Vec<usize>), (u64, u64)>,
}

/// Count the starts, ends, directly-follows flows (marking those leading to a
/// departure from the `handoffs`), the hand-offs caused and the variants of `cases`;
/// `judged` is per activity.
fn summarise(
    cases: BTreeMap<u64, Case>,
    handoffs: &BTreeSet<(usize, usize)>,
    judged: &[bool],
) -> Summary {
    let n = judged.len();
    let mut sum = Summary {
        starts: vec![0u64; n],
        ends: vec![0u64; n],
        flows: BTreeMap::new(),
        caused: BTreeSet::new(),
        variants: BTreeMap::new(),
    };
    for (corr, case) in cases {
        if let (Some(first), Some(last)) = (case.path.first(), case.path.last()) {
            sum.starts[*first] += 1;
            sum.ends[*last] += 1;
        }
        let departures = departures(&case, handoffs, judged);
        for (k, c) in case.cause.iter().enumerate() {
            if let Some(j) = c {
                sum.caused.insert((case.path[*j], case.path[k]));
            }
        }
        for (k, w) in case.path.windows(2).enumerate() {
            let f = sum.flows.entry((w[0], w[1])).or_default();
            f.0 += 1;
            f.1 |= departures[k + 1];
        }
        let kind = case.kind();
        // Cases are visited by increasing correlation id: the first is the smallest.
        sum.variants.entry((kind, case.path)).or_insert((0, corr)).0 += 1;
    }
    sum
}

/// For each position of a case's path: does the activity there depart from the model?
/// It does when it and the activity that caused it are judged activities and the
/// cause does not explain it: the pair is not a modelled hand-off, or that occurrence
/// of the cause has explained an occurrence of the same activity already (a
/// duplicate applied twice).
fn departures(case: &Case, handoffs: &BTreeSet<(usize, usize)>, judged: &[bool]) -> Vec<bool> {
    let path = &case.path;
    let mut out = vec![false; path.len()];
    // (explaining position, activity explained).
    let mut used: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (k, &b) in path.iter().enumerate() {
        let Some(j) = case.cause[k] else {
            continue;
        };
        let a = path[j];
        let explains = handoffs.contains(&(a, b)) && used.insert((j, b));
        out[k] = judged[a] && judged[b] && !explains;
    }
    out
}

#[cfg(test)]
mod tests;
