//! Simulation in the app: a [`Playback`] of the document's model that plays at a
//! chosen speed, steps one event forwards or back, scrubs along a timeline and stops
//! at breakpoints; its state is drawn over the canvas and listed in the panels.
//!
//! The run follows the document: any edit starts it over (the model it ran is gone).

mod background;
mod compare;
mod dfg;
mod log;
mod metrics;
mod names;
pub mod overlay;
mod views;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use eframe::egui::{self, RichText};

use super::document::Document;
use super::theme;
use crate::analysis::{Bottleneck, Report};
use crate::model::{ElementRef, Model};
use crate::sim::{Breakpoint, Playback, RunOutcome};

pub use compare::Compare;
pub use log::{EventLog, LogAction};
pub use metrics::{Throughput, live_metrics_ui};
pub use names::secs;
pub use overlay::paint_overlay;
pub use views::{findings_ui, process_ui, trace_ui};

/// Speeds offered, simulated seconds per wall-clock second.
pub const SPEEDS: [f64; 9] = [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0];

/// Most events processed in one frame while playing, so the window stays responsive.
const FRAME_BUDGET: usize = 100_000;

/// The breakpoints a user can switch on.
#[derive(Clone, Debug, Default)]
pub struct Breakpoints {
    pub compensation: bool,
    pub dead_letter: bool,
    pub assertion: bool,
    /// Pause when any service's queue is longer than this.
    pub queue_above: Option<u64>,
    /// Pause when any consumer group lags more than this.
    pub lag_above: Option<u64>,
}

impl Breakpoints {
    fn list(&self, model_services: usize, groups: usize) -> Vec<Breakpoint> {
        let mut out = Vec::new();
        if self.compensation {
            out.push(Breakpoint::CompensationStarted);
        }
        if self.dead_letter {
            out.push(Breakpoint::DeadLettered);
        }
        if self.assertion {
            out.push(Breakpoint::AssertionFailed);
        }
        if let Some(above) = self.queue_above {
            out.extend(
                (0..model_services).map(|service| Breakpoint::QueueAbove { service, above }),
            );
        }
        if let Some(above) = self.lag_above {
            out.extend((0..groups).map(|group| Breakpoint::LagAbove { group, above }));
        }
        out
    }
}

/// The run playing to its end on a background thread (the window keeps working).
struct Background {
    handle: tokio::task::JoinHandle<(Playback, Option<String>)>,
    progress: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    start: u64,
    end: u64,
}

/// The run shown in the app.
pub struct Simulator {
    /// Runs background work; made when first needed.
    runtime: Option<tokio::runtime::Runtime>,
    background: Option<Background>,
    playback: Option<Playback>,
    /// Why there is no run (the model has errors).
    unavailable: Option<String>,
    /// (document generation, revision) last looked at.
    built_for: Option<(u64, u64)>,
    /// The model the run is of, without its layout.
    ran: Option<Model>,
    /// The model's own seed when last adopted (an edit of it is taken up).
    model_seed: Option<u64>,
    run_id: u64,
    /// When the findings were last worked out (wall clock).
    findings_at: Option<Instant>,
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    pub seed: u64,
    pub breakpoints: Breakpoints,
    last_tick: Option<Instant>,
    /// Fractional simulated time carried between frames.
    carry: f64,
    pub message: Option<String>,
    /// Findings at the current point of the run, recomputed on demand.
    findings: Option<(u64, Vec<Bottleneck>)>,
    pub log: EventLog,
    /// The emergent process, mined at this many steps.
    pub process: Option<(u64, crate::analysis::process::Process)>,
    /// Where the directly-follows graph's activities go.
    process_places: Vec<crate::model::Pos>,
    /// The directly-follows graph's window is open.
    pub dfg_window: bool,
    /// The trace view's records of its item.
    pub trace_rows: views::TraceRows,
}

impl Default for Simulator {
    fn default() -> Self {
        Self {
            runtime: None,
            background: None,
            playback: None,
            unavailable: None,
            built_for: None,
            ran: None,
            model_seed: None,
            run_id: 0,
            findings_at: None,
            playing: false,
            speed: 4,
            seed: 0,
            breakpoints: Breakpoints::default(),
            last_tick: None,
            carry: 0.0,
            message: None,
            findings: None,
            log: EventLog::default(),
            process: None,
            process_places: Vec::new(),
            dfg_window: false,
            trace_rows: views::TraceRows::default(),
        }
    }
}

impl Simulator {
    pub fn playback(&self) -> Option<&Playback> {
        self.playback.as_ref()
    }

    /// The runtime for background work.
    pub fn runtime(&mut self) -> &tokio::runtime::Runtime {
        self.runtime.get_or_insert_with(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .max_blocking_threads(2)
                .build()
                .expect("a tokio runtime for background runs")
        })
    }

    /// Is the run playing on in the background?
    pub fn in_background(&self) -> bool {
        self.background.is_some()
    }

    /// Play the run to its end (or its first breakpoint) on a background thread,
    /// with progress and cancel.
    pub fn run_to_end(&mut self, model: &Model) {
        let Some(mut p) = self.playback.take() else {
            return;
        };
        self.playing = false;
        let breakpoints = self
            .breakpoints
            .list(model.services.len(), p.sim().plan().groups.len());
        let progress = Arc::new(AtomicU64::new(p.time()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (start, end) = (p.time(), p.end());
        let (pr, c) = (progress.clone(), cancel.clone());
        let handle = self.runtime().spawn_blocking(move || {
            loop {
                if c.load(Ordering::Relaxed) {
                    return (p, Some("Cancelled".to_owned()));
                }
                let t = p.time().saturating_add(5_000_000_000).min(p.end());
                match p.run_until(t, 200_000, &breakpoints) {
                    RunOutcome::Hit { why, .. } => return (p, Some(format!("Paused: {why}"))),
                    RunOutcome::Finished => {
                        return (p, Some("The run reached its end".to_owned()));
                    }
                    RunOutcome::ReachedTime | RunOutcome::Budget => {}
                }
                pr.store(p.time(), Ordering::Relaxed);
            }
        });
        self.background = Some(Background {
            handle,
            progress,
            cancel,
            start,
            end,
        });
    }

    /// Take the run back from the background when it is done.
    fn poll_background(&mut self) {
        if self
            .background
            .as_ref()
            .is_some_and(|b| b.handle.is_finished())
            && let Some(b) = self.background.take()
        {
            match self.runtime().block_on(b.handle) {
                Ok((p, message)) => {
                    self.playback = Some(p);
                    self.message = message;
                }
                Err(e) => {
                    self.playback = None;
                    self.unavailable = Some(format!(
                        "The background run failed ({e}); edit the model or open it again to start over"
                    ));
                }
            }
        }
    }

    /// Make sure the run is of the document as it is now.
    pub fn follow(&mut self, doc: &Document, generation: u64) {
        let key = (generation, doc.revision());
        if self.built_for == Some(key) {
            return;
        }
        let new_document = self.built_for.map(|k| k.0) != Some(generation);
        self.built_for = Some(key);
        // Moving boxes does not change the run: compare the model without its layout.
        let runnable = without_layout(&doc.model);
        if !new_document && self.ran.as_ref() == Some(&runnable) {
            return;
        }
        if new_document || self.model_seed != Some(doc.model.seed) {
            self.seed = doc.model.seed;
            self.model_seed = Some(doc.model.seed);
        }
        self.ran = Some(runnable);
        if let Some(b) = self.background.take() {
            b.cancel.store(true, Ordering::Relaxed);
        }
        self.playing = false;
        self.forget_views();
        match Playback::new(&doc.model, Some(self.seed)) {
            Ok(p) => {
                self.playback = Some(p);
                self.unavailable = None;
            }
            Err(e) => {
                self.playback = None;
                self.unavailable = Some(format!("The model cannot run: {e}"));
            }
        }
    }

    /// Another run: what was computed from the old one goes (filters stay).
    fn forget_views(&mut self) {
        self.findings = None;
        self.process = None;
        self.log.invalidate();
        self.run_id += 1;
    }

    /// Identifies the run (bumped whenever it is replaced or reset), for what is
    /// remembered about it elsewhere.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    /// A command that needs the run while it plays on in the background.
    fn busy_elsewhere(&mut self) -> bool {
        if self.background.is_some() {
            self.message = Some("The run is playing on in the background: Cancel it first".into());
            true
        } else {
            false
        }
    }

    pub fn toggle_play(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        if let Some(p) = &self.playback {
            if p.is_done() {
                self.message = Some("The run is at its end: Reset to play again".into());
                return;
            }
            self.playing = !self.playing;
            self.last_tick = None;
            self.message = None;
        }
    }

    pub fn step(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback
            && p.step().is_none()
        {
            self.message = Some("The run is at its end".into());
        }
    }

    pub fn step_back(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback
            && !p.step_back()
        {
            self.message = Some("Already at the start".into());
        }
    }

    pub fn reset(&mut self) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        self.forget_views();
        if let Some(p) = &mut self.playback {
            p.reset(Some(self.seed));
        }
        self.message = None;
    }

    pub fn seek(&mut self, t: u64) {
        if self.busy_elsewhere() {
            return;
        }
        self.playing = false;
        if let Some(p) = &mut self.playback {
            p.seek(t);
        }
    }

    /// Advance a playing run by the wall-clock time since the last frame.
    pub fn tick(&mut self, model: &Model, ctx: &egui::Context) {
        if self.background.is_some() {
            self.poll_background();
            ctx.request_repaint();
        }
        if !self.playing {
            self.last_tick = None;
            return;
        }
        let Some(p) = &mut self.playback else {
            self.playing = false;
            return;
        };
        let now = Instant::now();
        let dt = self
            .last_tick
            .map_or(0.0, |t| now.duration_since(t).as_secs_f64().min(0.25));
        self.last_tick = Some(now);
        let advance = dt * SPEEDS[self.speed] * 1e9 + self.carry;
        let whole = advance.floor();
        self.carry = advance - whole;
        let target = p.time().saturating_add(whole as u64).min(p.end());
        let breakpoints = self
            .breakpoints
            .list(model.services.len(), p.sim().plan().groups.len());
        match p.run_until(target, FRAME_BUDGET, &breakpoints) {
            RunOutcome::Hit { why, .. } => {
                self.playing = false;
                self.message = Some(format!("Paused: {why}"));
            }
            RunOutcome::Finished => {
                self.playing = false;
                self.message = Some("The run reached its end".into());
            }
            RunOutcome::ReachedTime | RunOutcome::Budget => {}
        }
        ctx.request_repaint();
    }

    /// The engine's findings at the current point of the run (worked out on a copy
    /// ended now; while playing, at most twice a second).
    pub fn findings(&mut self, model: &Model) -> &[Bottleneck] {
        let Some(p) = self.playback.as_ref().filter(|p| p.steps() > 0) else {
            return &[];
        };
        let steps = p.steps();
        let stale = self.findings.as_ref().is_none_or(|(s, _)| *s != steps);
        let due = !self.playing
            || self
                .findings_at
                .is_none_or(|t| t.elapsed().as_secs_f64() > 0.5);
        if stale && due {
            let mut copy = p.sim().clone();
            copy.end_now();
            let report = Report::new(model, &mut copy);
            self.findings = Some((steps, report.bottlenecks));
            self.findings_at = Some(Instant::now());
        }
        self.findings.as_ref().map_or(&[], |(_, f)| f.as_slice())
    }

    /// Play/pause, step, back, reset, speed, seed, breakpoints, and the timeline.
    pub fn controls_ui(&mut self, ui: &mut egui::Ui, model: &Model) -> Option<ElementRef> {
        if let Some(why) = &self.unavailable {
            ui.label(RichText::new(why).color(theme::ERROR));
            return None;
        }
        if let Some(b) = &self.background {
            let now = b.progress.load(Ordering::Relaxed);
            let share = (now - b.start) as f32 / (b.end - b.start).max(1) as f32;
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(share)
                        .desired_width(320.0)
                        .text(format!(
                            "Running to the end in the background: {}",
                            secs(now)
                        )),
                );
                if ui.button("Cancel").clicked() {
                    b.cancel.store(true, Ordering::Relaxed);
                }
            });
            return None;
        }
        let Some(p) = &self.playback else {
            return None;
        };
        let (time, end, steps, done) = (p.time(), p.end(), p.steps(), p.is_done());
        ui.horizontal_wrapped(|ui| {
            let play = if self.playing { "Pause" } else { "Play" };
            if ui
                .add_enabled(!done || self.playing, egui::Button::new(play))
                .on_hover_text("Space")
                .clicked()
            {
                self.toggle_play();
            }
            if ui
                .button("Step")
                .on_hover_text("Right arrow: one event")
                .clicked()
            {
                self.step();
            }
            if ui
                .add_enabled(steps > 0, egui::Button::new("Back"))
                .on_hover_text("Left arrow: undo one event exactly")
                .clicked()
            {
                self.step_back();
            }
            if ui.button("Reset").clicked() {
                self.reset();
            }
            if ui
                .add_enabled(!done, egui::Button::new("Run to end"))
                .on_hover_text(
                    "In the background, stopping at breakpoints; the window keeps working",
                )
                .clicked()
            {
                self.run_to_end(model);
            }
            ui.separator();
            ui.label("Speed");
            egui::ComboBox::from_id_salt("speed")
                .selected_text(format!("×{}", SPEEDS[self.speed]))
                .show_ui(ui, |ui| {
                    for (i, s) in SPEEDS.iter().enumerate() {
                        ui.selectable_value(&mut self.speed, i, format!("×{s}"));
                    }
                });
            ui.label("Seed");
            let mut seed = self.seed;
            let r = ui.add(egui::DragValue::new(&mut seed).speed(1.0));
            if r.changed() {
                self.seed = seed;
                self.reset();
            }
            ui.separator();
            ui.label(format!("{} of {} · {steps} events", secs(time), secs(end)));
            ui.separator();
            overlay::heat_legend(ui);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Pause on");
            let b = &mut self.breakpoints;
            ui.checkbox(&mut b.compensation, "a compensation");
            ui.checkbox(&mut b.dead_letter, "a dead letter");
            ui.checkbox(&mut b.assertion, "a failed assertion");
            threshold(ui, "a queue over", &mut b.queue_above);
            threshold(ui, "a lag over", &mut b.lag_above);
            if let Some(m) = &self.message {
                ui.separator();
                ui.label(RichText::new(m).strong());
            }
        });
        if let Some(t) = timeline_ui(ui, model, time, end) {
            self.seek(t);
        }
        None
    }
}

fn threshold(ui: &mut egui::Ui, label: &str, value: &mut Option<u64>) {
    let mut on = value.is_some();
    if ui.checkbox(&mut on, label).changed() {
        *value = on.then_some(100);
    }
    if let Some(v) = value {
        ui.add(egui::DragValue::new(v).range(0..=10_000_000));
    }
}

/// The run's timeline: where it is, the faults' windows; click or drag to move there.
fn timeline_ui(ui: &mut egui::Ui, model: &Model, time: u64, end: u64) -> Option<u64> {
    let width = ui.available_width();
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, 22.0), egui::Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 3.0, visuals.extreme_bg_color);
    let x_of = |t: u64| rect.left() + rect.width() * (t as f64 / end.max(1) as f64) as f32;
    for f in &model.faults {
        let (a, b) = (
            f.at.as_nanos(),
            f.at.as_nanos().saturating_add(f.lasting.as_nanos()),
        );
        let band = egui::Rect::from_x_y_ranges(
            x_of(a)..=x_of(b.min(end)).max(x_of(a) + 2.0),
            rect.y_range(),
        );
        painter.rect_filled(band, 0.0, theme::ERROR.gamma_multiply(0.45));
    }
    let done = egui::Rect::from_min_max(rect.min, egui::pos2(x_of(time), rect.max.y));
    painter.rect_filled(
        done,
        3.0,
        theme::selection_color(visuals.dark_mode).gamma_multiply(0.35),
    );
    painter.vline(
        x_of(time),
        rect.y_range(),
        egui::Stroke::new(2.0, theme::selection_color(visuals.dark_mode)),
    );
    let response =
        response.on_hover_text("The run's timeline (red: faults). Click or drag to move there.");
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        let f = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0) as f64;
        return Some((f * end as f64) as u64);
    }
    None
}

/// The model as far as a run is concerned: without the boxes' positions.
fn without_layout(model: &Model) -> Model {
    let mut m = model.clone();
    m.services.iter_mut().for_each(|x| x.pos = None);
    m.topics.iter_mut().for_each(|x| x.pos = None);
    m.sagas.iter_mut().for_each(|x| x.pos = None);
    m.stores.iter_mut().for_each(|x| x.pos = None);
    m.projections.iter_mut().for_each(|x| x.pos = None);
    m.sources.iter_mut().for_each(|x| x.pos = None);
    m
}
