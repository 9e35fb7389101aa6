//! The model's assertions, evaluated against a report.

use serde::Serialize;

use super::Report;
use crate::model::{Assertion, Model};
use crate::sim::Simulation;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionResult {
    /// The assertion in words.
    pub assertion: String,
    pub passed: bool,
    /// What was measured, in words with units.
    pub measured: String,
}

fn result(a: &Assertion, passed: bool, measured: String) -> AssertionResult {
    AssertionResult {
        assertion: a.describe(),
        passed,
        measured,
    }
}

/// Evaluate every assertion of the model, in model order, on a finished run.
pub fn evaluate(model: &Model, report: &Report, sim: &Simulation) -> Vec<AssertionResult> {
    model
        .assertions
        .iter()
        .map(|a| evaluate_one(a, report, sim))
        .collect()
}

fn evaluate_one(a: &Assertion, r: &Report, sim: &Simulation) -> AssertionResult {
    match a {
        Assertion::Latency {
            source,
            percentile,
            under,
        } => {
            let i = sim.plan().sources.iter().position(|s| &s.name == source);
            match i.map(|i| &sim.stats().sources[i].end_to_end) {
                Some(l) if l.count > 0 => {
                    let measured = if *percentile >= 100.0 {
                        l.max_nanos as f64 / 1e9
                    } else {
                        l.percentile_secs(*percentile)
                    };
                    result(
                        a,
                        measured < under.as_secs_f64(),
                        format!(
                            "p{percentile} = {measured:.3}s over {} completed items",
                            l.count
                        ),
                    )
                }
                _ => result(a, false, "no item completed".into()),
            }
        }
        Assertion::MaxLag {
            topic,
            group,
            under,
        } => {
            let max = r
                .topic(topic)
                .map(|t| {
                    t.groups
                        .iter()
                        .filter(|g| group.as_ref().is_none_or(|n| &g.name == n))
                        .map(|g| g.max_lag)
                        .max()
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            result(a, max < *under, format!("max lag {max}"))
        }
        Assertion::MaxUtilisation { service, under } => {
            let u = r.service(service).map_or(0.0, |s| s.utilisation);
            result(a, u < *under, format!("utilisation {:.1}%", u * 100.0))
        }
        Assertion::MaxQueue { service, under } => {
            let q = r.service(service).map_or(0, |s| s.max_queue);
            result(a, q < *under, format!("max queue {q}"))
        }
        Assertion::NoUnfinishedSagas => {
            let unfinished: u64 = r.sagas.iter().map(|s| s.outcomes.unfinished).sum();
            let half: u64 = r.sagas.iter().map(|s| s.outcomes.compensation_failed).sum();
            result(
                a,
                unfinished + half == 0,
                format!("{unfinished} unfinished, {half} with a failed compensation"),
            )
        }
        Assertion::NoDeadLetters => {
            let n = r.messages.dead_lettered + r.messages.failed;
            result(a, n == 0, format!("{n} dead-lettered"))
        }
        Assertion::NoLostMessages => {
            let m = &r.messages;
            let lost = m.expired + m.dropped + m.rejected + m.failed;
            result(
                a,
                lost == 0,
                format!(
                    "{lost} lost ({} expired, {} rejected, {} failed, {} dropped)",
                    m.expired, m.rejected, m.failed, m.dropped
                ),
            )
        }
    }
}
