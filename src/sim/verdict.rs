//! The model's assertions judged against a run's statistics: each rule is written
//! once, here, and read by the report at the end of a run
//! (`analysis::assertions`) and by [`Playback`](super::Playback)'s assertion
//! breakpoint part-way through it.
//!
//! Part-way, only what can no longer change is decided: a measure that only ever
//! grows (a maximum, a count, busy time against the whole run's worker time) that is
//! already over its bound fails now and fails in the final report too. A percentile
//! below 100 and "unfinished sagas" wait for the end. Orphaned effects are counted
//! only once nothing can undo them any more, so one found part-way fails the run.
//!
//! ```
//! use eventscape::sim::{Judge, RunOptions, Simulation};
//!
//! let model = eventscape::examples::DEFAULT.model().unwrap();
//! let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
//! let judges: Vec<Judge> = model.assertions.iter().map(|a| Judge::new(a, sim.plan())).collect();
//! for _ in 0..1000 {
//!     sim.step();
//! }
//! let early: Vec<Option<String>> = judges.iter().map(|j| j.violated(&sim)).collect();
//! sim.finish();
//! let verdicts: Vec<_> = judges.iter().map(|j| j.at_end(&sim)).collect();
//! assert_eq!(verdicts.len(), early.len());
//! ```

use super::engine::Simulation;
use super::plan::Plan;
use super::stats::{Latencies, MessageTotals, SagaOutcome, Stats};
use crate::model::Assertion;

/// How an assertion came out at the end of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Did the run meet the assertion?
    pub passed: bool,
    /// What was measured, in words with units.
    pub measured: String,
}

/// One assertion resolved against a plan (names to indices), ready to be judged at
/// any point of the run and at its end.
#[derive(Clone, Debug)]
pub struct Judge {
    rule: Rule,
}

#[derive(Clone, Debug)]
enum Rule {
    Latency {
        source: Option<usize>,
        percentile: f64,
        under_secs: f64,
    },
    /// The groups of the topic (one or all); `None` when the topic does not exist.
    MaxLag {
        groups: Option<Vec<usize>>,
        under: u64,
    },
    MaxUtilisation {
        service: Option<usize>,
        under: f64,
    },
    MaxQueue {
        service: Option<usize>,
        under: u64,
    },
    NoUnfinishedSagas,
    NoDeadLetters,
    NoLostMessages,
    NoOrphanedEffects,
}

/// Busy worker time over available worker time: `busy_nanos` of work done by
/// `servers` workers over `over_nanos` of simulated time (0 over no time).
pub fn busy_share(busy_nanos: u128, over_nanos: u64, servers: u32) -> f64 {
    if over_nanos == 0 {
        return 0.0;
    }
    busy_nanos as f64 / over_nanos as f64 / f64::from(servers.max(1))
}

/// A service's utilisation of the whole run: its busy time so far over all worker
/// time of the run. At the end of the run this is its utilisation; part-way, a lower
/// bound of it (busy time only grows).
pub fn run_utilisation(sim: &Simulation, service: usize) -> f64 {
    let busy = sim.stats().services[service].busy.integral_at(sim.time());
    busy_share(
        busy,
        sim.end().as_nanos(),
        sim.plan().services[service].servers,
    )
}

/// The measured value of a latency percentile in seconds (100 and above: the maximum).
fn latency_secs(l: &Latencies, percentile: f64) -> f64 {
    if percentile >= 100.0 {
        l.max_nanos as f64 / 1e9
    } else {
        l.percentile_secs(percentile)
    }
}

/// Messages that ended in a dead-letter topic or failed outright.
fn dead_letters(m: &MessageTotals) -> u64 {
    m.dead_lettered + m.failed
}

/// Messages lost: expired by retention, dropped by a fault, rejected or failed.
fn lost(m: &MessageTotals) -> u64 {
    m.expired + m.dropped + m.rejected + m.failed
}

/// Orphaned effects so far: (of sagas, of choreographed compensations). Both only
/// grow: an effect is counted when nothing can undo it any more.
fn orphaned(stats: &Stats) -> (u64, u64) {
    (
        stats.sagas.iter().map(|s| s.orphaned_effects).sum(),
        stats.choreography.iter().map(|c| c.orphaned).sum(),
    )
}

/// "1 orphaned effect(s) (1 of sagas, 0 of choreography; e.g. correlation 12)".
fn orphaned_words(stats: &Stats) -> String {
    let (sagas, choreo) = orphaned(stats);
    let example = stats
        .sagas
        .iter()
        .flat_map(|s| s.orphan_examples.first())
        .chain(stats.choreography.iter().flat_map(|c| c.examples.first()))
        .next();
    let example = example.map_or(String::new(), |c| format!("; e.g. correlation {c}"));
    format!(
        "{} orphaned effect(s) ({sagas} of sagas, {choreo} of choreography{example})",
        sagas + choreo
    )
}

/// Saga instances whose compensation failed (reported as left half-done).
fn compensation_failed(stats: &Stats) -> u64 {
    let i = SagaOutcome::ALL
        .iter()
        .position(|o| *o == SagaOutcome::CompensationFailed)
        .unwrap_or(3);
    stats.sagas.iter().map(|s| s.outcomes[i]).sum()
}

impl Judge {
    /// Resolve an assertion's names against the plan. A name the plan does not have
    /// is judged as nothing measured (see [`Judge::at_end`]) and never part-way.
    pub fn new(a: &Assertion, plan: &Plan) -> Judge {
        let service = |name: &str| plan.services.iter().position(|s| s.name == name);
        let rule = match a {
            Assertion::Latency {
                source,
                percentile,
                under,
            } => Rule::Latency {
                source: plan.sources.iter().position(|s| &s.name == source),
                percentile: *percentile,
                under_secs: under.as_secs_f64(),
            },
            Assertion::MaxLag {
                topic,
                group,
                under,
            } => Rule::MaxLag {
                groups: plan.topics.iter().position(|t| &t.name == topic).map(|t| {
                    (0..plan.groups.len())
                        .filter(|&g| {
                            plan.groups[g].topic.index() == t
                                && group.as_ref().is_none_or(|n| &plan.groups[g].name == n)
                        })
                        .collect()
                }),
                under: *under,
            },
            Assertion::MaxUtilisation { service: s, under } => Rule::MaxUtilisation {
                service: service(s),
                under: *under,
            },
            Assertion::MaxQueue { service: s, under } => Rule::MaxQueue {
                service: service(s),
                under: *under,
            },
            Assertion::NoUnfinishedSagas => Rule::NoUnfinishedSagas,
            Assertion::NoDeadLetters => Rule::NoDeadLetters,
            Assertion::NoLostMessages => Rule::NoLostMessages,
            Assertion::NoOrphanedEffects => Rule::NoOrphanedEffects,
        };
        Judge { rule }
    }

    /// Can this assertion fail before the end of the run? (Its measure only grows,
    /// and it names something that exists.)
    pub fn judged_during_run(&self) -> bool {
        match &self.rule {
            Rule::Latency {
                source, percentile, ..
            } => source.is_some() && *percentile >= 100.0,
            Rule::MaxLag { groups, .. } => groups.is_some(),
            Rule::MaxUtilisation { service, .. } | Rule::MaxQueue { service, .. } => {
                service.is_some()
            }
            Rule::NoUnfinishedSagas
            | Rule::NoDeadLetters
            | Rule::NoLostMessages
            | Rule::NoOrphanedEffects => true,
        }
    }

    /// The largest lag of the judged groups so far (0 with none).
    fn max_lag(stats: &Stats, groups: Option<&Vec<usize>>) -> u64 {
        groups
            .into_iter()
            .flatten()
            .map(|&g| stats.groups[g].lag.max)
            .max()
            .unwrap_or(0)
    }

    /// Part-way through a run: what was measured, when the assertion is already
    /// certain to fail; `None` while it may still pass (or cannot be judged before
    /// the end: see [`Judge::judged_during_run`]).
    pub fn violated(&self, sim: &Simulation) -> Option<String> {
        if !self.judged_during_run() {
            return None;
        }
        let stats = sim.stats();
        match &self.rule {
            Rule::MaxQueue { service, under } => {
                let max = stats.services[(*service)?].queue.max;
                (max >= *under).then(|| format!("max queue {max}"))
            }
            Rule::MaxLag { groups, under } => {
                let max = Self::max_lag(stats, groups.as_ref());
                (max >= *under).then(|| format!("max lag {max}"))
            }
            Rule::MaxUtilisation { service, under } => {
                let least = run_utilisation(sim, (*service)?);
                (least >= *under).then(|| {
                    format!(
                        "utilisation already at least {:.1}% of the whole run",
                        least * 100.0
                    )
                })
            }
            Rule::Latency {
                source,
                percentile,
                under_secs,
            } => {
                let max = latency_secs(&stats.sources[(*source)?].end_to_end, *percentile);
                (max >= *under_secs).then(|| format!("max = {max:.3}s"))
            }
            Rule::NoUnfinishedSagas => {
                let n = compensation_failed(stats);
                (n > 0).then(|| format!("{n} with a failed compensation"))
            }
            Rule::NoDeadLetters => {
                let n = dead_letters(&stats.messages);
                (n > 0).then(|| format!("{n} dead-lettered"))
            }
            Rule::NoLostMessages => {
                let lost = lost(&stats.messages);
                (lost > 0).then(|| format!("{lost} lost"))
            }
            Rule::NoOrphanedEffects => {
                let (a, b) = orphaned(stats);
                (a + b > 0).then(|| orphaned_words(stats))
            }
        }
    }

    /// At the end of a finished run (see `Simulation::finish`): passed or failed, and
    /// what was measured.
    pub fn at_end(&self, sim: &Simulation) -> Verdict {
        let stats = sim.stats();
        let verdict = |passed: bool, measured: String| Verdict { passed, measured };
        match &self.rule {
            Rule::Latency {
                source,
                percentile,
                under_secs,
            } => match source.map(|i| &stats.sources[i].end_to_end) {
                Some(l) if l.count > 0 => {
                    let measured = latency_secs(l, *percentile);
                    verdict(
                        measured < *under_secs,
                        format!(
                            "p{percentile} = {measured:.3}s over {} completed items",
                            l.count
                        ),
                    )
                }
                _ => verdict(false, "no item completed".into()),
            },
            Rule::MaxLag { groups, under } => {
                let max = Self::max_lag(stats, groups.as_ref());
                verdict(max < *under, format!("max lag {max}"))
            }
            Rule::MaxUtilisation { service, under } => {
                let u = service.map_or(0.0, |i| run_utilisation(sim, i));
                verdict(u < *under, format!("utilisation {:.1}%", u * 100.0))
            }
            Rule::MaxQueue { service, under } => {
                let q = service.map_or(0, |i| stats.services[i].queue.max);
                verdict(q < *under, format!("max queue {q}"))
            }
            Rule::NoUnfinishedSagas => {
                let unfinished: u64 = sim.unfinished_sagas().iter().map(|(u, _)| u).sum();
                let half = compensation_failed(stats);
                verdict(
                    unfinished + half == 0,
                    format!("{unfinished} stuck, {half} with a failed compensation"),
                )
            }
            Rule::NoDeadLetters => {
                let n = dead_letters(&stats.messages);
                verdict(n == 0, format!("{n} dead-lettered"))
            }
            Rule::NoLostMessages => {
                let m = &stats.messages;
                let lost = lost(m);
                verdict(
                    lost == 0,
                    format!(
                        "{lost} lost ({} expired, {} rejected, {} failed, {} dropped)",
                        m.expired, m.rejected, m.failed, m.dropped
                    ),
                )
            }
            Rule::NoOrphanedEffects => {
                let (a, b) = orphaned(stats);
                verdict(a + b == 0, orphaned_words(stats))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::RunOptions;

    fn tight(model: &crate::model::Model) -> Vec<Assertion> {
        let service = model.services[1].name.clone();
        vec![
            Assertion::MaxQueue {
                service: service.clone(),
                under: 1,
            },
            Assertion::MaxUtilisation {
                service,
                under: 0.001,
            },
            Assertion::MaxLag {
                topic: model.topics[0].name.clone(),
                group: None,
                under: 1,
            },
            Assertion::Latency {
                source: model.sources[0].name.clone(),
                percentile: 100.0,
                under: "1ms".parse().unwrap(),
            },
            Assertion::NoUnfinishedSagas,
            Assertion::NoDeadLetters,
            Assertion::NoLostMessages,
            Assertion::NoOrphanedEffects,
        ]
    }

    #[test]
    fn what_fails_part_way_fails_at_the_end() {
        let model = crate::examples::DEFAULT.model().unwrap();
        let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
        let judges: Vec<Judge> = tight(&model)
            .iter()
            .map(|a| Judge::new(a, sim.plan()))
            .collect();
        for _ in 0..5_000 {
            sim.step();
        }
        let early: Vec<Option<String>> = judges.iter().map(|j| j.violated(&sim)).collect();
        assert!(early[..4].iter().all(Option::is_some), "{early:?}");
        sim.finish();
        for (j, e) in judges.iter().zip(&early) {
            if e.is_some() {
                assert!(!j.at_end(&sim).passed, "{j:?} failed part-way only");
            }
        }
    }

    #[test]
    fn names_the_plan_lacks_measure_nothing_and_wait_for_the_end() {
        let model = crate::examples::DEFAULT.model().unwrap();
        let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
        let queue = Judge::new(
            &Assertion::MaxQueue {
                service: "nobody".into(),
                under: 0,
            },
            sim.plan(),
        );
        let latency = Judge::new(
            &Assertion::Latency {
                source: "nowhere".into(),
                percentile: 100.0,
                under: "1s".parse().unwrap(),
            },
            sim.plan(),
        );
        let p99 = Judge::new(
            &Assertion::Latency {
                source: model.sources[0].name.clone(),
                percentile: 99.0,
                under: "1s".parse().unwrap(),
            },
            sim.plan(),
        );
        for j in [&queue, &latency, &p99] {
            assert!(!j.judged_during_run());
            assert_eq!(j.violated(&sim), None);
        }
        sim.finish();
        assert_eq!(
            queue.at_end(&sim),
            Verdict {
                passed: false,
                measured: "max queue 0".into()
            }
        );
        assert_eq!(
            latency.at_end(&sim),
            Verdict {
                passed: false,
                measured: "no item completed".into()
            }
        );
    }
}
