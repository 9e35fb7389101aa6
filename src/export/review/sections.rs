//! What the review report says, independent of Markdown or HTML.

use crate::analysis::Report;
use crate::analysis::process::Process;
use crate::model::{Model, Rate};
use crate::words::count;

/// A table: a header row, body rows, and which columns are numbers (right-aligned).
pub struct Table {
    /// The column headings.
    pub head: Vec<String>,
    /// The body rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Indexes of the columns holding numbers.
    pub numeric: Vec<usize>,
}

/// One titled section: paragraphs first, then tables.
pub struct Section {
    /// The section heading.
    pub title: String,
    /// Plain-text paragraphs.
    pub paragraphs: Vec<String>,
    /// Tables after the paragraphs.
    pub tables: Vec<Table>,
}

/// The whole report.
pub struct Doc {
    /// The document title.
    pub title: String,
    /// The model's description, shown under the title.
    pub intro: String,
    /// The sections, in reading order.
    pub sections: Vec<Section>,
}

fn table(head: &[&str], numeric: &[usize], rows: Vec<Vec<String>>) -> Table {
    Table {
        head: head.iter().map(|s| (*s).to_string()).collect(),
        rows,
        numeric: numeric.to_vec(),
    }
}

fn ms(secs: f64) -> String {
    format!("{:.1} ms", secs * 1e3)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The review report of a run of `model`: what the model is, the scenario, what
/// happened, and what emerged.
pub fn document(model: &Model, report: &Report, process: &Process) -> Doc {
    let mut sections = vec![
        model_section(model),
        scenario(model, report),
        key_metrics(report),
        bottlenecks(report),
    ];
    sections.extend(saga_outcomes(report));
    sections.push(emergent_process(process));
    sections.push(assertions(report));
    Doc {
        title: format!("Design review: {}", model.name),
        intro: model.description.clone(),
        sections,
    }
}

/// The model: its services, topics and sagas.
fn model_section(model: &Model) -> Section {
    let mut tables = vec![table(
        &["service", "instances × workers", "handlers", "queue bound"],
        &[],
        model
            .services
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    format!("{} × {}", s.instances, s.concurrency),
                    s.handlers
                        .iter()
                        .map(|h| h.on.describe())
                        .collect::<Vec<_>>()
                        .join("; "),
                    s.queue.map_or("unbounded".into(), |q| q.to_string()),
                ]
            })
            .collect(),
    )];
    if !model.topics.is_empty() {
        tables.push(table(
            &["topic", "partitions", "key", "retention"],
            &[1],
            model
                .topics
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.partitions.to_string(),
                        t.key.clone().unwrap_or_else(|| "none".into()),
                        t.retention.map_or("forever".into(), |r| r.to_string()),
                    ]
                })
                .collect(),
        ));
    }
    if !model.sagas.is_empty() {
        tables.push(table(
            &["saga", "run by", "steps (compensation)"],
            &[],
            model
                .sagas
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.orchestrator.clone(),
                        s.steps
                            .iter()
                            .map(|st| match &st.compensate {
                                Some(c) => format!("{} ({c})", st.command),
                                None => st.command.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(" > "),
                    ]
                })
                .collect(),
        ));
    }
    Section {
        title: "Model".into(),
        paragraphs: vec![format!(
            "{}, {}, {}, {}, {}, {}.",
            count(model.services.len(), "service", None),
            count(model.topics.len(), "topic", None),
            count(model.events.len(), "event type", None),
            count(model.sagas.len(), "saga", None),
            count(model.stores.len(), "event store", None),
            count(model.projections.len(), "projection", None)
        )],
        tables,
    }
}

/// The scenario: seed, duration, faults and workload sources.
fn scenario(model: &Model, report: &Report) -> Section {
    // A run cut short by its budget ends at an odd instant: "9.652 s", not "9s652ms…".
    let nanos = (report.duration_secs * 1e9).round() as u64;
    let covered = if nanos.is_multiple_of(1_000_000_000) {
        crate::model::Duration::from_nanos(nanos).to_string()
    } else {
        crate::sim::SimTime::from_nanos(nanos).to_string()
    };
    let mut paragraphs = vec![format!(
        "Seed {}, {covered} of simulated time, {} engine events.",
        report.seed, report.events
    )];
    if let Some(why) = &report.stopped {
        paragraphs.push(format!("Partial run: {why}."));
    }
    if report.faults.is_empty() {
        paragraphs.push("No faults injected.".into());
    } else {
        paragraphs.push(format!("Faults: {}.", report.faults.join("; ")));
    }
    Section {
        title: "Scenario".into(),
        paragraphs,
        tables: vec![table(
            &["workload source", "emits", "rate"],
            &[],
            model
                .sources
                .iter()
                .map(|s| {
                    let rate = match &s.rate {
                        Rate::Poisson { per_sec } => format!("Poisson {per_sec}/s"),
                        Rate::Constant { per_sec } => format!("constant {per_sec}/s"),
                        Rate::Bursts { size, every } => format!("bursts of {size} every {every}"),
                    };
                    let emits = match &s.emit {
                        crate::model::Action::Publish { event, topic, .. } => {
                            format!("{event} to {topic}")
                        }
                        crate::model::Action::Send { command, to } => format!("{command} to {to}"),
                        other => format!("{other:?}"),
                    };
                    vec![s.name.clone(), emits, rate]
                })
                .collect(),
        )],
    }
}

/// Key metrics of services, consumer groups and sources.
fn key_metrics(report: &Report) -> Section {
    let mut tables = vec![table(
        &[
            "service",
            "utilisation",
            "throughput",
            "time in system p50",
            "p99",
            "max queue",
            "dead-lettered",
        ],
        &[1, 2, 3, 4, 5, 6],
        report
            .services
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    pct(s.utilisation),
                    format!("{:.1}/s", s.throughput_per_sec),
                    ms(s.time_in_system.p50_secs),
                    ms(s.time_in_system.p99_secs),
                    s.max_queue.to_string(),
                    s.dead_lettered.to_string(),
                ]
            })
            .collect(),
    )];
    let groups: Vec<Vec<String>> = report
        .topics
        .iter()
        .flat_map(|t| {
            t.groups.iter().map(move |g| {
                vec![
                    t.name.clone(),
                    g.name.clone(),
                    g.consumed.to_string(),
                    g.max_lag.to_string(),
                    format!("{:.1}", g.mean_lag),
                ]
            })
        })
        .collect();
    if !groups.is_empty() {
        tables.push(table(
            &["topic", "consumer group", "consumed", "max lag", "mean lag"],
            &[2, 3, 4],
            groups,
        ));
    }
    tables.push(table(
        &[
            "source",
            "items",
            "completed",
            "failed",
            "end to end p50",
            "p99",
        ],
        &[1, 2, 3, 4, 5],
        report
            .sources
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.emitted.to_string(),
                    s.completed.to_string(),
                    s.failed.to_string(),
                    ms(s.end_to_end.p50_secs),
                    ms(s.end_to_end.p99_secs),
                ]
            })
            .collect(),
    ));
    Section {
        title: "Key metrics".into(),
        paragraphs: Vec::new(),
        tables,
    }
}

/// The bottlenecks found, ranked.
fn bottlenecks(report: &Report) -> Section {
    Section {
        title: "Bottlenecks".into(),
        paragraphs: if report.bottlenecks.is_empty() {
            vec!["None found.".into()]
        } else {
            Vec::new()
        },
        tables: if report.bottlenecks.is_empty() {
            Vec::new()
        } else {
            vec![table(
                &["rank", "element", "finding", "evidence"],
                &[0],
                report
                    .bottlenecks
                    .iter()
                    .map(|b| {
                        vec![
                            b.rank.to_string(),
                            b.element.to_string(),
                            b.kind.label().to_owned(),
                            b.evidence.clone(),
                        ]
                    })
                    .collect(),
            )]
        },
    }
}

/// Saga outcomes, if the model has sagas.
fn saga_outcomes(report: &Report) -> Option<Section> {
    if report.sagas.is_empty() {
        return None;
    }
    Some(Section {
        title: "Saga outcomes".into(),
        paragraphs: Vec::new(),
        tables: vec![table(
            &[
                "saga",
                "started",
                "completed",
                "compensated",
                "timed out",
                "compensation failed",
                "stuck",
                "in progress",
                "p99 duration",
            ],
            &[1, 2, 3, 4, 5, 6, 7, 8],
            report
                .sagas
                .iter()
                .map(|s| {
                    let o = &s.outcomes;
                    vec![
                        s.name.clone(),
                        s.started.to_string(),
                        o.completed.to_string(),
                        o.compensated.to_string(),
                        o.timed_out.to_string(),
                        o.compensation_failed.to_string(),
                        o.stuck.to_string(),
                        o.in_progress.to_string(),
                        ms(s.duration.p99_secs),
                    ]
                })
                .collect(),
        )],
    })
}

/// The emergent process: the most frequent variants and unmodelled hand-offs.
fn emergent_process(process: &Process) -> Section {
    let variants: Vec<Vec<String>> = process
        .variants
        .iter()
        .take(12)
        .map(|v| {
            let path: Vec<&str> = v
                .path
                .iter()
                .map(|&i| process.activities[i].name.as_str())
                .collect();
            vec![
                v.kind.label().to_owned(),
                v.count.to_string(),
                format!("{:.1}%", v.share * 100.0),
                if path.is_empty() {
                    "(nothing handled)".into()
                } else {
                    path.join(" > ")
                },
            ]
        })
        .collect();
    let unmodelled: Vec<String> = process
        .flows
        .iter()
        .filter(|f| f.unmodelled)
        .map(|f| {
            format!(
                "{} > {} (×{})",
                process.activities[f.from].name, process.activities[f.to].name, f.count
            )
        })
        .collect();
    let mut paragraphs = vec![format!(
        "{}, {} (the 12 most frequent below).",
        count(
            usize::try_from(process.cases).unwrap_or(usize::MAX),
            "case",
            None
        ),
        count(process.variants.len(), "variant", None)
    )];
    if !unmodelled.is_empty() {
        paragraphs.push(format!(
            "Hand-offs the model does not have: {}.",
            unmodelled.join("; ")
        ));
    }
    Section {
        title: "Emergent process".into(),
        paragraphs,
        tables: vec![table(
            &["variant", "cases", "share", "path"],
            &[1, 2],
            variants,
        )],
    }
}

/// Each assertion and whether it passed.
fn assertions(report: &Report) -> Section {
    Section {
        title: "Assertions".into(),
        paragraphs: if report.assertions.is_empty() {
            vec!["The model states no assertions.".into()]
        } else {
            Vec::new()
        },
        tables: if report.assertions.is_empty() {
            Vec::new()
        } else {
            vec![table(
                &["assertion", "result", "measured"],
                &[],
                report
                    .assertions
                    .iter()
                    .map(|a| {
                        vec![
                            a.assertion.clone(),
                            if a.passed {
                                "passed".into()
                            } else {
                                "FAILED".into()
                            },
                            a.measured.clone(),
                        ]
                    })
                    .collect(),
            )]
        },
    }
}
