//! The simulation's controls: play/pause, step, back, reset, run to end (or cancel
//! it), speed, seed, breakpoints and the timeline. They read the session and push
//! commands; hover texts come from the commands' table.

use std::sync::atomic::Ordering;

use eframe::egui::{self, RichText};

use super::{SPEEDS, Session, overlay, secs};
use crate::app::commands::{Command, CommandQueue};
use crate::app::theme;
use crate::model::Model;
use crate::sim::SimTime;

/// A button for `command`, with the command's hover text.
fn command_button(
    ui: &mut egui::Ui,
    text: &str,
    command: Command,
    enabled: bool,
    queue: &mut CommandQueue,
) {
    let hover = command.hover_text(ui.ctx());
    if ui
        .add_enabled(enabled, egui::Button::new(text))
        .on_hover_text(hover)
        .clicked()
    {
        queue.push(command);
    }
}

/// The run in the background: its progress, and Cancel.
fn background_ui(ui: &mut egui::Ui, session: &Session, queue: &mut CommandQueue) -> bool {
    let Some(b) = &session.background else {
        return false;
    };
    let now = b.progress.load(Ordering::Relaxed);
    let share = (now - b.start) as f32 / (b.end - b.start).max(1) as f32;
    ui.horizontal(|ui| {
        ui.add(
            egui::ProgressBar::new(share)
                .desired_width(320.0)
                .text(format!(
                    "Running to the end in the background: {}",
                    secs(SimTime::from_nanos(now))
                )),
        );
        command_button(ui, "Cancel", Command::CancelRun, true, queue);
    });
    true
}

/// Play/pause, step, back, reset, speed, seed, breakpoints, and the timeline.
pub fn controls_ui(ui: &mut egui::Ui, session: &Session, model: &Model, queue: &mut CommandQueue) {
    if let Some(why) = &session.unavailable {
        ui.label(RichText::new(why).color(theme::ERROR));
        return;
    }
    if background_ui(ui, session, queue) {
        return;
    }
    let Some(p) = session.playback() else {
        return;
    };
    let (time, end, steps, done) = (p.time(), p.end(), p.steps(), p.is_done());
    let playing = session.is_playing();
    ui.horizontal_wrapped(|ui| {
        let play = if playing { "Pause" } else { "Play" };
        command_button(ui, play, Command::PlayPause, !done || playing, queue);
        command_button(ui, "Step", Command::StepForward, true, queue);
        command_button(ui, "Back", Command::StepBack, steps > 0, queue);
        command_button(ui, "Reset", Command::ResetRun, true, queue);
        command_button(ui, "Run to end", Command::RunToEnd, !done, queue);
        ui.separator();
        ui.label("Speed");
        let mut speed = session.speed();
        egui::ComboBox::from_id_salt("speed")
            .selected_text(format!("×{}", SPEEDS[speed]))
            .show_ui(ui, |ui| {
                for (i, s) in SPEEDS.iter().enumerate() {
                    ui.selectable_value(&mut speed, i, format!("×{s}"));
                }
            })
            .response
            .on_hover_text(format!(
                "Simulated seconds per second ({} faster, {} slower)",
                Command::Faster.shortcut_text(ui.ctx()),
                Command::Slower.shortcut_text(ui.ctx())
            ));
        if speed != session.speed() {
            queue.push(Command::SetSpeed(speed));
        }
        let label = ui.label("Seed");
        let mut seed = session.seed();
        if ui
            .add(egui::DragValue::new(&mut seed).speed(1.0))
            .labelled_by(label.id)
            .changed()
        {
            queue.push(Command::SetSeed(seed));
        }
        breakpoints_ui(ui, session, queue);
        ui.separator();
        ui.label(format!("{} of {} · {steps} events", secs(time), secs(end)));
        if let Some(m) = session.message() {
            ui.separator();
            ui.label(RichText::new(m).strong());
        }
        ui.separator();
        overlay::heat_legend(ui);
    });
    if let Some(t) = timeline_ui(ui, model, time.as_nanos(), end.as_nanos()) {
        queue.push(Command::Seek(SimTime::from_nanos(t)));
    }
}

/// "Pause on (n)": a menu of what pauses the run (a compensation, a dead letter, a
/// failed assertion, an orphaned effect, a long queue or lag), with how many are on.
/// It stays open while boxes are ticked.
fn breakpoints_ui(ui: &mut egui::Ui, session: &Session, queue: &mut CommandQueue) {
    let mut b = session.breakpoints().clone();
    let on = [b.compensation, b.dead_letter, b.assertion, b.orphaned]
        .into_iter()
        .filter(|&x| x)
        .count()
        + usize::from(b.queue_above.is_some())
        + usize::from(b.lag_above.is_some());
    let title = if on == 0 {
        "Pause on".to_owned()
    } else {
        format!("Pause on ({on})")
    };
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    let (response, _) = egui::containers::menu::MenuButton::new(format!("{title} ⏷"))
        .config(config)
        .ui(ui, |ui| {
            ui.checkbox(&mut b.compensation, "a compensation");
            ui.checkbox(&mut b.dead_letter, "a dead letter");
            ui.checkbox(&mut b.assertion, "a failed assertion");
            ui.checkbox(&mut b.orphaned, "an orphaned effect");
            ui.horizontal(|ui| threshold(ui, "a queue over", &mut b.queue_above));
            ui.horizontal(|ui| threshold(ui, "a lag over", &mut b.lag_above));
        });
    response.on_hover_text("Breakpoints: what pauses the run while it plays or runs to the end");
    if b != *session.breakpoints() {
        queue.push(Command::SetBreakpoints(b));
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
        let f = f64::from(((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0));
        return Some((f * end as f64) as u64);
    }
    None
}
