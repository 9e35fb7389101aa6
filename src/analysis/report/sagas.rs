//! The saga figures of the report, and the choreographed compensations: what was
//! undone, and the effects left orphaned.

use serde::Serialize;

use super::Percentiles;
use crate::sim::{SagaOutcome, Simulation};

/// How a saga's instances ended.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SagaOutcomes {
    /// Every step succeeded.
    pub completed: u64,
    /// A step failed; every completed step was compensated.
    pub compensated: u64,
    /// A step timed out after its retries; every completed step was compensated.
    pub timed_out: u64,
    /// A compensation got no reply after its retries: the saga is left half-done.
    pub compensation_failed: u64,
    /// Still running when the run ended, and for longer than every step and
    /// compensation could take with all their retries: stuck.
    pub stuck: u64,
    /// Still running when the run ended, but recently started.
    pub in_progress: u64,
}

/// One saga step's time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// The step's name in the model.
    pub name: String,
    /// Command sent → reply handled, for replies that came in time.
    pub time: Percentiles,
    /// Orphaned effects of this step.
    pub orphaned: u64,
}

/// One saga's figures over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SagaReport {
    /// The saga's name in the model.
    pub name: String,
    /// Instances started.
    pub started: u64,
    /// How the instances ended.
    pub outcomes: SagaOutcomes,
    /// Start to end of the instances that ended, whatever the outcome.
    pub duration: Percentiles,
    /// Compensations whose reply came back.
    pub compensations: u64,
    /// Steps whose reply did not come in time.
    pub step_timeouts: u64,
    /// Replies that came after their step had timed out or the saga had ended.
    pub late_replies: u64,
    /// Orphaned effects: steps of aborted instances that succeeded (the
    /// orchestrator heard of it, maybe late) and that no compensation undid.
    pub orphaned_effects: u64,
    /// Correlation ids of the first few orphaned effects.
    pub orphan_examples: Vec<u64>,
    /// Compensations sent for a success reply that came late (`on_late_success:
    /// Compensate`).
    pub late_compensations: u64,
    /// Each step's time, in step order.
    pub steps: Vec<StepReport>,
}

/// One choreographed compensation: an event type that `compensates` another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompensationReport {
    /// The event whose effect is undone (`PaymentCompleted`).
    pub effect: String,
    /// The event that undoes it (`PaymentRefunded`).
    pub compensation: String,
    /// Items that published `effect` and then a failure event, so that
    /// `compensation` was due.
    pub due: u64,
    /// Of those, items that ended without it: orphaned effects.
    pub orphaned: u64,
    /// Correlation ids of the first few orphaned ones.
    pub examples: Vec<u64>,
}

/// Each saga's outcomes and step times.
pub(super) fn saga_reports(sim: &Simulation) -> Vec<SagaReport> {
    let (plan, stats) = (sim.plan(), sim.stats());
    let unfinished = sim.unfinished_sagas();
    plan.sagas
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let s = &stats.sagas[i];
            let count = |o: SagaOutcome| {
                s.outcomes[SagaOutcome::ALL.iter().position(|x| *x == o).unwrap_or(0)]
            };
            SagaReport {
                name: g.name.clone(),
                started: s.started,
                outcomes: SagaOutcomes {
                    completed: count(SagaOutcome::Completed),
                    compensated: count(SagaOutcome::Compensated),
                    timed_out: count(SagaOutcome::TimedOut),
                    compensation_failed: count(SagaOutcome::CompensationFailed),
                    stuck: unfinished[i].0,
                    in_progress: unfinished[i].1,
                },
                duration: (&s.duration).into(),
                compensations: s.compensations,
                step_timeouts: s.step_timeouts,
                late_replies: s.late_replies,
                orphaned_effects: s.orphaned_effects,
                orphan_examples: s.orphan_examples.clone(),
                late_compensations: s.late_compensations,
                steps: g
                    .steps
                    .iter()
                    .zip(&s.step_time)
                    .enumerate()
                    .map(|(k, (st, l))| StepReport {
                        name: st.name.clone(),
                        time: l.into(),
                        orphaned: s.orphaned_per_step.get(k).copied().unwrap_or(0),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Each choreographed compensation, in the order of `Plan::compensations`.
pub(super) fn compensation_reports(sim: &Simulation) -> Vec<CompensationReport> {
    let (plan, stats) = (sim.plan(), sim.stats());
    let name = |t: u32| {
        plan.types
            .get(t as usize)
            .map_or_else(String::new, |t| t.name.clone())
    };
    plan.compensations
        .iter()
        .enumerate()
        .map(|(j, &(effect, undo))| {
            let s = stats.choreography.get(j);
            CompensationReport {
                effect: name(effect),
                compensation: name(undo),
                due: s.map_or(0, |s| s.due),
                orphaned: s.map_or(0, |s| s.orphaned),
                examples: s.map(|s| s.examples.clone()).unwrap_or_default(),
            }
        })
        .collect()
}
