//! The verdict of the model's assertions on the run: live while it plays (an
//! assertion that can already be seen to fail says so; the others are judged as if
//! the run ended now, marked "so far"), final at its end — the same verdicts as the
//! report and `eventscape simulate`. Each row names what it measured; a click goes to
//! the evidence.

use eframe::egui::{self, Color32, RichText};

use super::{Session, SimViews};
use crate::analysis::AssertionResult;
use crate::app::BottomTab;
use crate::app::commands::{Command, CommandQueue};
use crate::app::theme;
use crate::model::{Assertion, ElementKind, ElementRef, Model};
use crate::sim::Judge;

/// How one assertion stands at this point of the run.
#[derive(Clone, Debug, PartialEq)]
enum Standing {
    /// The run is over and the assertion held.
    Passed,
    /// The run is over, or it can already be seen to fail.
    Failed,
    /// Part-way: it would hold if the run ended now.
    HoldingSoFar,
    /// Part-way: it would fail if the run ended now, but may still pass.
    FailingSoFar,
}

impl Standing {
    fn words(&self) -> &'static str {
        match self {
            Standing::Passed => "passed",
            Standing::Failed => "FAILED",
            Standing::HoldingSoFar => "holds so far",
            Standing::FailingSoFar => "fails so far",
        }
    }

    fn color(&self) -> Color32 {
        match self {
            Standing::Passed | Standing::HoldingSoFar => theme::PASS,
            Standing::Failed => theme::ERROR,
            Standing::FailingSoFar => theme::WARNING,
        }
    }
}

/// Each assertion of the model with its standing and what was measured.
fn standings(
    views: &mut SimViews,
    session: &Session,
    model: &Model,
) -> Vec<(Standing, AssertionResult)> {
    let Some(p) = session.playback().filter(|p| p.steps() > 0) else {
        return Vec::new();
    };
    let done = p.is_done();
    let judged = views.assertions(session, model).to_vec();
    model
        .assertions
        .iter()
        .zip(judged)
        .map(|(a, r)| {
            let standing = if done {
                if r.passed {
                    Standing::Passed
                } else {
                    Standing::Failed
                }
            } else if let Some(measured) = Judge::new(a, p.sim().plan()).violated(p.sim()) {
                return (
                    Standing::Failed,
                    AssertionResult {
                        measured: format!("{measured} (cannot pass any more)"),
                        ..r
                    },
                );
            } else if r.passed {
                Standing::HoldingSoFar
            } else {
                Standing::FailingSoFar
            };
            (standing, r)
        })
        .collect()
}

/// The bottom tab's title: "Verdict", with how many assertions failed, or that all
/// hold.
pub fn tab_title(views: &mut SimViews, session: &Session, model: &Model) -> String {
    let s = standings(views, session, model);
    if s.is_empty() {
        return "Verdict".into();
    }
    let failed = s.iter().filter(|(st, _)| *st == Standing::Failed).count();
    let done = session
        .playback()
        .is_some_and(crate::sim::Playback::is_done);
    match (failed, done) {
        (0, true) => "Verdict: all pass".into(),
        (0, false) => "Verdict: none failed yet".into(),
        (n, _) => format!("Verdict: {n} failed"),
    }
}

/// The verdict panel.
pub fn verdicts_ui(
    ui: &mut egui::Ui,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    if model.assertions.is_empty() {
        ui.label(
            "The model states no assertions. Add some under Model properties \u{2192} \
             Assertions (e.g. a p99 latency bound) and each run is judged against them.",
        );
        return;
    }
    let standings = standings(views, session, model);
    if standings.is_empty() {
        ui.label("Play, step or run the model to the end: each assertion is judged here.");
        return;
    }
    let done = session
        .playback()
        .is_some_and(crate::sim::Playback::is_done);
    ui.label(
        RichText::new(if done {
            "Final: the run is over."
        } else {
            "Live: judged as if the run ended now; \"FAILED\" ones cannot pass any more."
        })
        .weak(),
    );
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            egui::Grid::new("verdicts")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for ((standing, r), a) in standings.iter().zip(&model.assertions) {
                        ui.label(
                            RichText::new(standing.words())
                                .strong()
                                .color(standing.color()),
                        );
                        let evidence = evidence(a, model);
                        let text = egui::Label::new(&r.assertion).sense(egui::Sense::click());
                        let response = ui.add(text);
                        if let Some((hint, command)) = evidence
                            && response.on_hover_text(hint).clicked()
                        {
                            queue.push(command);
                        }
                        ui.label(&r.measured);
                        ui.end_row();
                    }
                });
        });
}

/// Where the evidence of an assertion is, and the command that shows it.
fn evidence(a: &Assertion, model: &Model) -> Option<(&'static str, Command)> {
    let select = |kind, name: &str| {
        Command::Select(Some(ElementRef {
            kind,
            name: name.to_owned(),
        }))
    };
    Some(match a {
        Assertion::Latency { source, .. } => (
            "Click to select the source (its live figures are in the inspector)",
            select(ElementKind::Source, source),
        ),
        Assertion::MaxLag { topic, .. } => (
            "Click to select the topic (its lag is on the canvas and in the inspector)",
            select(ElementKind::Topic, topic),
        ),
        Assertion::MaxUtilisation { service, .. } | Assertion::MaxQueue { service, .. } => (
            "Click to select the service (its queue and utilisation are in the inspector)",
            select(ElementKind::Service, service),
        ),
        Assertion::NoUnfinishedSagas => (
            "Click to select the saga",
            select(ElementKind::Saga, &model.sagas.first()?.name),
        ),
        // A saga's orphans are counted on the saga; a choreography's are records in
        // the event log.
        Assertion::NoOrphanedEffects if !model.sagas.is_empty() => (
            "Click to select the saga (its orphaned effects are in Bottlenecks)",
            select(ElementKind::Saga, &model.sagas[0].name),
        ),
        Assertion::NoDeadLetters | Assertion::NoLostMessages | Assertion::NoOrphanedEffects => (
            "Click to open the event log",
            Command::ShowTab(BottomTab::EventLog),
        ),
    })
}
