//! What the views of the run remember about it: the findings and the mined process
//! (worked out on demand), the event log's filters and rows, the trace view's rows,
//! the live charts' counts and the overlay's samples. All of it is about one run:
//! when the session's run changes (see [`super::Session::run_id`]), what was
//! computed from the old one goes and the filters stay.

use std::time::Instant;

use eframe::egui;

use super::log::EventLog;
use super::overlay::OverlayState;
use super::session::Session;
use super::views_trace::TraceRows;
use crate::analysis::process::Process;
use crate::analysis::{AssertionResult, Bottleneck, Report, live};
use crate::app::canvas::Canvas;
use crate::app::commands::CommandQueue;
use crate::model::{ElementRef, Model, Pos};

/// A report's findings and assertion results, as of a number of steps of the run.
struct Judged {
    steps: u64,
    bottlenecks: Vec<Bottleneck>,
    assertions: Vec<AssertionResult>,
}

/// The views' state (see the module's documentation).
#[derive(Default)]
pub struct SimViews {
    /// The run the caches below are of.
    run: Option<u64>,
    /// Findings and assertions at the current point of the run, at this many steps.
    findings: Option<Judged>,
    /// When the findings were last worked out (wall clock).
    findings_at: Option<Instant>,
    pub(super) log: EventLog,
    /// The emergent process, mined at this many steps.
    process: Option<(u64, Process)>,
    /// Where the directly-follows graph's activities go.
    pub(super) process_places: Vec<Pos>,
    /// The directly-follows graph's window is open.
    pub(super) dfg_window: bool,
    /// The part of the directly-follows graph in view (zoom and pan); `None`: fit it.
    pub(super) dfg_scene: Option<egui::Rect>,
    /// Where the graph's activity boxes were drawn on the screen in the last frame
    /// (by activity; empty while the window is closed).
    pub(super) dfg_boxes: Vec<egui::Rect>,
    /// The trace view's records of its item.
    pub(super) trace_rows: TraceRows,
    /// The live inspector's completions per second.
    pub(super) throughput: live::Throughput,
    pub(super) overlay: OverlayState,
}

impl SimViews {
    /// Keep up with the session's run: another run drops what was computed from the
    /// old one (the filters stay).
    pub fn follow(&mut self, run_id: u64) {
        if self.run == Some(run_id) {
            return;
        }
        self.run = Some(run_id);
        self.findings = None;
        self.findings_at = None;
        self.process = None;
        self.log.invalidate();
        self.trace_rows = TraceRows::default();
        self.throughput = live::Throughput::default();
    }

    /// The engine's findings at the current point of the run (worked out on a copy
    /// ended now; while playing, at most twice a second).
    pub fn findings(&mut self, session: &Session, model: &Model) -> &[Bottleneck] {
        self.judge(session, model);
        self.findings
            .as_ref()
            .map_or(&[], |j| j.bottlenecks.as_slice())
    }

    /// The model's assertions judged on the run as if it ended now (at its end: the
    /// final verdicts, the same as `eventscape simulate` gives), refreshed like the
    /// findings.
    pub fn assertions(&mut self, session: &Session, model: &Model) -> &[AssertionResult] {
        self.judge(session, model);
        self.findings
            .as_ref()
            .map_or(&[], |j| j.assertions.as_slice())
    }

    fn judge(&mut self, session: &Session, model: &Model) {
        let Some(p) = session.playback().filter(|p| p.steps() > 0) else {
            self.findings = None;
            return;
        };
        let steps = p.steps();
        let stale = self.findings.as_ref().is_none_or(|j| j.steps != steps);
        let due = !session.is_playing()
            || self
                .findings_at
                .is_none_or(|t| t.elapsed().as_secs_f64() > 0.5);
        if stale && due {
            let mut copy = p.sim().clone();
            // A finished run is judged over its whole length, as the CLI does; one
            // part-way as if it ended now.
            if !p.is_done() {
                copy.end_now();
            }
            let report = Report::new(model, &mut copy);
            self.findings = Some(Judged {
                steps,
                bottlenecks: report.bottlenecks,
                assertions: report.assertions,
            });
            self.findings_at = Some(Instant::now());
        }
    }

    /// The emergent process as last mined, and after how many events of the run.
    pub fn process(&self) -> Option<(u64, &Process)> {
        self.process.as_ref().map(|(steps, p)| (*steps, p))
    }

    /// Where the directly-follows graph drew the box of the activity `name` on the
    /// screen in the last frame, if its window is open.
    pub fn dfg_box(&self, name: &str) -> Option<egui::Rect> {
        let (_, process) = self.process()?;
        let i = process.activities.iter().position(|a| a.name == name)?;
        self.dfg_boxes.get(i).copied()
    }

    /// Mine the emergent process from the run so far.
    pub fn mine(&mut self, session: &Session, model: &Model) {
        let Some(p) = session.playback() else {
            return;
        };
        let mined = crate::analysis::process::emergent_process(model, p.sim().plan(), p.records());
        self.process_places = super::dfg::place(&mined);
        // A new graph is shown whole.
        self.dfg_scene = None;
        self.process = Some((p.steps(), mined));
    }
}

impl SimViews {
    /// The event log of the run (its filters are the log's own).
    pub fn event_log_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        model: &Model,
        queue: &mut CommandQueue,
    ) {
        match session.playback() {
            Some(p) => self.log.ui(ui, model, p, queue),
            None => {
                ui.label("The model cannot run; see Problems.");
            }
        }
    }

    /// The selected element's live figures, once the run has started.
    pub fn live_ui(
        &mut self,
        ui: &mut egui::Ui,
        el: &ElementRef,
        model: &Model,
        session: &Session,
    ) {
        if let Some(p) = session.playback()
            && p.steps() > 0
        {
            super::live_metrics_ui(ui, el, model, p, &mut self.throughput);
            ui.separator();
        }
    }

    /// The run drawn over the canvas, once it has started.
    pub fn overlay_ui(&mut self, ui: &egui::Ui, session: &Session, canvas: &Canvas, model: &Model) {
        if session.playback().is_none_or(|p| p.steps() == 0) {
            return;
        }
        self.findings(session, model);
        let Some(p) = session.playback() else {
            return;
        };
        let findings = self
            .findings
            .as_ref()
            .map_or(&[][..], |j| j.bottlenecks.as_slice());
        super::overlay::paint_overlay(
            ui,
            session.run_id(),
            &mut self.overlay,
            canvas,
            model,
            p,
            findings,
        );
    }
}
