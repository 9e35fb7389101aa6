//! Bottleneck findings: the elements that limit throughput or latency, ranked, each
//! with the evidence that points at it.

use std::collections::HashMap;

use serde::Serialize;

use super::{Report, SagaReport, ServiceReport, TopicReport, growth};
use crate::model::flows::Who;
use crate::model::{ElementKind, ElementRef, Fault, Model};

/// Utilisation from which a service counts as saturated.
pub const SATURATED: f64 = 0.85;
/// Share of attempts that are retries from which retries amplify load.
pub const RETRY_SHARE: f64 = 0.10;
/// Share of a saga's time from which one step dominates it.
pub const DOMINANT_STEP: f64 = 0.5;

/// What limits the element, by the rule that found it (`kind` in the JSON report, in
/// snake case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BottleneckKind {
    /// Workers busy nearly all the time.
    Saturated,
    /// A queue that keeps growing: arrivals outpace service.
    QueueGrowing,
    /// Consumer lag that keeps growing.
    LagGrowing,
    /// More workers than partitions: the extra ones cannot help while lag builds.
    IdleConsumers,
    /// Retries make up a large share of the work.
    RetryAmplification,
    /// A full queue turned work away.
    Rejections,
    /// The queue built up far beyond the workers for a while (a transient overload,
    /// often during a fault) even if the run's averages look fine.
    QueuePeak,
    /// Consumer lag built up far beyond normal for a while (often during a fault).
    LagPeak,
    /// One step takes most of a saga's time.
    DominantStep,
    /// Effects of failed processes that nothing undid: a saga step that succeeded
    /// (maybe after the saga had given up on it) for an aborted instance with no
    /// compensation after it, or a choreographed compensation that never came.
    OrphanedEffects,
}

impl BottleneckKind {
    /// A short label for people: "saturated", "queue growing".
    pub fn label(self) -> &'static str {
        match self {
            BottleneckKind::Saturated => "saturated",
            BottleneckKind::QueueGrowing => "queue growing",
            BottleneckKind::LagGrowing => "lag growing",
            BottleneckKind::IdleConsumers => "idle consumers",
            BottleneckKind::RetryAmplification => "retry amplification",
            BottleneckKind::Rejections => "rejections",
            BottleneckKind::QueuePeak => "queue peak",
            BottleneckKind::LagPeak => "lag peak",
            BottleneckKind::DominantStep => "dominant step",
            BottleneckKind::OrphanedEffects => "orphaned effects",
        }
    }
}

/// One finding: an element that limits throughput or latency, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bottleneck {
    /// 1 = most severe.
    pub rank: u32,
    /// The rule that found it.
    pub kind: BottleneckKind,
    /// The element it points at (a service, a topic or a saga).
    pub element: ElementRef,
    /// Severity used for ranking (higher is worse).
    pub score: f64,
    /// The figures behind the finding, in words with units.
    pub evidence: String,
}

fn finding(kind: BottleneckKind, element: ElementRef, score: f64, evidence: String) -> Bottleneck {
    Bottleneck {
        rank: 0,
        kind,
        element,
        score,
        evidence,
    }
}

/// Find and rank the bottlenecks of a run.
pub fn find_bottlenecks(model: &Model, report: &Report) -> Vec<Bottleneck> {
    let mut out = Vec::new();
    for s in &report.services {
        service_findings(model, s, &mut out);
    }
    // Workers by service name (the first, as `Report::service`): one map, not a scan
    // of thousands of services per consumer group.
    let mut workers = HashMap::new();
    for s in &report.services {
        workers.entry(s.name.as_str()).or_insert(s.workers);
    }
    for t in &report.topics {
        topic_findings(model, &workers, t, &mut out);
    }
    for s in &report.sagas {
        out.extend(dominant_step(s));
        out.extend(orphaned_saga_effects(s));
    }
    out.extend(orphaned_choreography_effects(model, report));
    rank(&mut out);
    out
}

/// A service's findings: saturated, queue growing, queue peak, retry amplification,
/// rejections.
fn service_findings(model: &Model, s: &ServiceReport, out: &mut Vec<Bottleneck>) {
    let el = ElementRef::new(ElementKind::Service, &s.name);
    if s.utilisation >= SATURATED {
        out.push(finding(
            BottleneckKind::Saturated,
            el.clone(),
            s.utilisation,
            format!(
                "utilisation {:.0}% of {} workers; mean queue {:.1}, mean wait {:.3}s",
                s.utilisation * 100.0,
                s.workers,
                s.mean_queue,
                s.mean_wait_secs
            ),
        ));
    }
    let queue: Vec<f64> = s.queue_over_time.iter().map(|(_, q)| *q as f64).collect();
    if let Some((first, last, factor)) = growth(&queue)
        && factor >= 2.0
        && last >= 10.0
        && last >= f64::from(s.workers)
    {
        out.push(finding(
                BottleneckKind::QueueGrowing,
                el.clone(),
                1.0 + (last / (first + 1.0)).ln().min(5.0) / 5.0,
                format!("queue grew from {first:.0} to {last:.0} on average between the first and last quarter of the run"),
            ));
    }
    let peak_floor = (10 * u64::from(s.workers)).max(50);
    if s.max_queue >= peak_floor
        && let Some(&(at, _)) = s.queue_over_time.iter().max_by_key(|(_, q)| *q)
    {
        let context = fault_context(model, at);
        out.push(finding(
                BottleneckKind::QueuePeak,
                el.clone(),
                0.6 + (s.max_queue as f64 / peak_floor as f64).ln().min(3.0) / 10.0,
                format!(
                    "queue peaked at {} messages (about {:.0}s into the run){context}; p99 time in system {:.3}s",
                    s.max_queue, at, s.time_in_system.p99_secs
                ),
            ));
    }
    let attempts = s.completed + s.failed_attempts;
    if attempts > 0 && s.retries as f64 / attempts as f64 >= RETRY_SHARE {
        let share = s.retries as f64 / attempts as f64;
        out.push(finding(
            BottleneckKind::RetryAmplification,
            el.clone(),
            0.5 + share,
            format!(
                "{} retries out of {attempts} attempts ({:.0}%) add load",
                s.retries,
                share * 100.0
            ),
        ));
    }
    if s.rejected > 0 {
        let bound = model.service(&s.name).and_then(|m| m.queue).unwrap_or(0);
        out.push(finding(
            BottleneckKind::Rejections,
            el,
            0.9,
            format!(
                "the queue bound of {bound} turned away {} messages (max queue {})",
                s.rejected, s.max_queue
            ),
        ));
    }
}

/// A topic's findings, per consumer group: lag growing, lag peak (unless the lag of
/// the topic is already growing), idle consumers.
fn topic_findings(
    model: &Model,
    workers: &HashMap<&str, u32>,
    t: &TopicReport,
    out: &mut Vec<Bottleneck>,
) {
    // Findings about this topic are the ones pushed from here on (names are unique).
    let start = out.len();
    for g in &t.groups {
        let el = ElementRef::new(ElementKind::Topic, &t.name);
        let lag: Vec<f64> = g.lag_over_time.iter().map(|(_, l)| *l as f64).collect();
        if let Some((first, last, factor)) = growth(&lag)
            && factor >= 2.0
            && last >= 10.0
        {
            out.push(finding(
                    BottleneckKind::LagGrowing,
                    el.clone(),
                    1.0 + (last / (first + 1.0)).ln().min(5.0) / 5.0,
                    format!(
                        "lag of group \"{}\" grew from {first:.0} to {last:.0} on average between the first and last quarter (max {})",
                        g.name, g.max_lag
                    ),
                ));
        }
        let lag_floor = (20 * u64::from(t.partitions)).max(100);
        let growing = out[start..]
            .iter()
            .any(|b: &Bottleneck| b.kind == BottleneckKind::LagGrowing && b.element == el);
        if !growing
            && g.max_lag >= lag_floor
            && let Some(&(at, _)) = g.lag_over_time.iter().max_by_key(|(_, l)| *l)
        {
            out.push(finding(
                    BottleneckKind::LagPeak,
                    el.clone(),
                    0.6 + (g.max_lag as f64 / lag_floor as f64).ln().min(3.0) / 10.0,
                    format!(
                        "lag of group \"{}\" peaked at {} messages (about {at:.0}s into the run){}; mean {:.1}",
                        g.name,
                        g.max_lag,
                        fault_context(model, at),
                        g.mean_lag
                    ),
                ));
        }
        let workers = workers.get(g.service.as_str()).copied().unwrap_or(0);
        if workers > t.partitions && g.mean_lag >= 10.0 {
            out.push(finding(
                    BottleneckKind::IdleConsumers,
                    el,
                    0.7,
                    format!(
                        "\"{}\" has {workers} workers but only {} can read \"{}\" at once (one per partition) while lag averaged {:.0}",
                        g.service, t.partitions, t.name, g.mean_lag
                    ),
                ));
        }
    }
}

/// A saga of two or more steps where one step takes most of the step time.
fn dominant_step(s: &SagaReport) -> Option<Bottleneck> {
    let total: f64 = s
        .steps
        .iter()
        .map(|st| st.time.mean_secs * st.time.count as f64)
        .sum();
    if total <= 0.0 || s.steps.len() < 2 {
        return None;
    }
    let top = s.steps.iter().max_by(|a, b| {
        (a.time.mean_secs * a.time.count as f64)
            .total_cmp(&(b.time.mean_secs * b.time.count as f64))
    })?;
    let share = top.time.mean_secs * top.time.count as f64 / total;
    (share >= DOMINANT_STEP).then(|| {
        finding(
            BottleneckKind::DominantStep,
            ElementRef::new(ElementKind::Saga, &s.name),
            0.4 + share / 2.0,
            format!(
                "step \"{}\" takes {:.0}% of the saga's step time (mean {:.3}s, p99 {:.3}s)",
                top.name,
                share * 100.0,
                top.time.mean_secs,
                top.time.p99_secs
            ),
        )
    })
}

/// Correlation ids, for the evidence: "e.g. correlation ids 12, 40".
fn examples(ids: &[u64]) -> String {
    let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!("; e.g. correlation ids {}", ids.join(", "))
    }
}

/// Wrong outcomes rank above slowness: 1.5, and up to 2 with the share of items.
fn orphan_score(orphaned: u64, of: u64) -> f64 {
    1.5 + (orphaned as f64 / of.max(1) as f64).min(1.0) / 2.0
}

/// A saga whose aborted instances left effects that nothing undid.
fn orphaned_saga_effects(s: &SagaReport) -> Option<Bottleneck> {
    if s.orphaned_effects == 0 {
        return None;
    }
    let per_step: Vec<String> = s
        .steps
        .iter()
        .filter(|st| st.orphaned > 0)
        .map(|st| format!("step \"{}\" {}", st.name, st.orphaned))
        .collect();
    Some(finding(
        BottleneckKind::OrphanedEffects,
        ElementRef::new(ElementKind::Saga, &s.name),
        orphan_score(s.orphaned_effects, s.started),
        format!(
            "{} effects of aborted sagas were never compensated ({}), {} late replies{}; \
             `on_late_success: Compensate` undoes a success that comes after the saga gave up",
            s.orphaned_effects,
            per_step.join(", "),
            s.late_replies,
            examples(&s.orphan_examples)
        ),
    ))
}

/// Choreographed compensations that were due and never came, each pointing at a
/// service that publishes the compensating event (else at no service: the first
/// source).
fn orphaned_choreography_effects(model: &Model, report: &Report) -> Vec<Bottleneck> {
    let flows = model.flows();
    report
        .choreography
        .iter()
        .filter(|c| c.orphaned > 0)
        .filter_map(|c| {
            let publisher = flows.publishes().find_map(|p| match p.origin.who() {
                Who::Service(s) if p.event == c.compensation => Some(s),
                _ => None,
            });
            let element = match publisher {
                Some(s) => ElementRef::new(ElementKind::Service, s),
                None => ElementRef::new(ElementKind::Source, &model.sources.first()?.name),
            };
            Some(finding(
                BottleneckKind::OrphanedEffects,
                element,
                orphan_score(c.orphaned, c.due),
                format!(
                    "{} of {} items that published \"{}\" and then failed ended without \"{}\"{}",
                    c.orphaned,
                    c.due,
                    c.effect,
                    c.compensation,
                    examples(&c.examples)
                ),
            ))
        })
        .collect()
}

/// Worst first; ties by element for a stable order. Ranks from 1.
fn rank(out: &mut [Bottleneck]) {
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.element.cmp(&b.element))
    });
    for (i, b) in out.iter_mut().enumerate() {
        b.rank = i as u32 + 1;
    }
}

/// ", during or after: <faults>" for the faults active at (or up to a minute before)
/// `at` seconds, or nothing.
fn fault_context(model: &Model, at: f64) -> String {
    let during: Vec<String> = model
        .faults
        .iter()
        .filter(|f| {
            let start = f.at.as_secs_f64();
            let end = start + f.lasting.as_secs_f64();
            at >= start && at <= end + 60.0
        })
        .map(Fault::describe)
        .collect();
    if during.is_empty() {
        String::new()
    } else {
        format!(", during or after: {}", during.join("; "))
    }
}
