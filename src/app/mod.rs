//! The desktop app (eframe/egui): the only layer that knows egui.
//!
//! One window edits one document: the element list and the palette on the left, the
//! diagram in the middle, the inspector on the right, problems at the bottom. Every
//! action is a [`Command`] with a label and a shortcut, reachable from the menus and
//! the command palette (Ctrl+K).

mod bottom;
mod canvas;
mod chrome;
mod commands;
mod document;
mod export_dialog;
mod file_ops;
mod files;
mod frame_stats;
mod inspector;
mod overview;
mod palette;
mod problems;
mod simulate;
mod theme;

use std::path::PathBuf;

use eframe::egui::{self, ViewportCommand};

use crate::diagram::{apply_layout, needs_layout, set_pos};
use crate::model::{ElementKind, ElementRef, edit};

pub use canvas::{Canvas, CanvasAction};
pub use commands::Command;
pub use document::Document;
pub use files::{Dialogs, NativeDialogs, Settings};
pub use overview::overview_ui;

use commands::shortcut_table;
use inspector::{InspectorAction, inspector_ui};
pub use simulate::Simulator;
use simulate::overlay::OverlayState;

/// The tabs of the bottom panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BottomTab {
    Problems,
    Bottlenecks,
    EventLog,
    Trace,
    Process,
    Compare,
}

/// Something that would lose unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    Open,
    OpenPath(PathBuf),
    /// One of the built-in examples, by its index in `examples::ALL`.
    Example(usize),
    Quit,
}

/// The eframe application.
pub struct EventscapeApp {
    doc: Document,
    canvas: Canvas,
    selection: Option<ElementRef>,
    /// "Click the element to connect to" mode, from this element.
    connecting: Option<ElementRef>,
    /// The command palette's query while it is open.
    palette: Option<String>,
    /// An action waiting for "save your changes?".
    confirm: Option<Pending>,
    /// A file that failed to open, and why.
    load_error: Option<String>,
    /// The last message for the status bar; `true` for an error.
    status: Option<(String, bool)>,
    settings: Settings,
    dialogs: Box<dyn Dialogs>,
    title: String,
    theme_applied: Option<bool>,
    quit_confirmed: bool,
    /// Commands to run at the end of the frame, after the inspector has applied what
    /// was being typed.
    deferred: Vec<Command>,
    /// The simulation of the document, and what is drawn of it over the canvas.
    sim: Simulator,
    overlay: OverlayState,
    bottom: BottomTab,
    /// The correlation id whose journey the trace view shows.
    traced: Option<u64>,
    compare: simulate::Compare,
    export: export_dialog::ExportState,
    throughput: simulate::Throughput,
    /// With `EVENTSCAPE_FRAME_STATS` set: frame times, printed every few seconds.
    frame_stats: Option<frame_stats::FrameStats>,
    /// Bumped whenever the document is replaced or changes, so half-typed field text
    /// never carries over to another model or another state of it.
    fields_epoch: u64,
}

impl EventscapeApp {
    pub fn new(document: Document) -> Self {
        Self::with_dialogs(document, Box::new(NativeDialogs))
    }

    /// An app whose file dialogs are answered by `dialogs` (tests script them).
    pub fn with_dialogs(document: Document, dialogs: Box<dyn Dialogs>) -> Self {
        let document = laid_out(document);
        let canvas = Canvas::new(&document.model);
        Self {
            doc: document,
            canvas,
            selection: None,
            connecting: None,
            palette: None,
            confirm: None,
            load_error: None,
            status: None,
            settings: Settings::default(),
            dialogs,
            title: String::new(),
            theme_applied: None,
            quit_confirmed: false,
            deferred: Vec::new(),
            sim: Simulator::default(),
            overlay: OverlayState::default(),
            bottom: BottomTab::Problems,
            traced: None,
            compare: simulate::Compare::default(),
            export: export_dialog::ExportState::default(),
            throughput: simulate::Throughput::default(),
            frame_stats: std::env::var_os("EVENTSCAPE_FRAME_STATS")
                .map(|_| frame_stats::FrameStats::default()),
            fields_epoch: 0,
        }
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn selection(&self) -> Option<&ElementRef> {
        self.selection.as_ref()
    }

    pub fn simulator(&self) -> &Simulator {
        &self.sim
    }

    pub fn simulator_mut(&mut self) -> &mut Simulator {
        &mut self.sim
    }

    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some((text.into(), false));
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some((text.into(), true));
    }

    /// Run a command (from a shortcut, a menu or the palette).
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::New => self.request(Pending::New, ctx),
            Command::Open => self.request(Pending::Open, ctx),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Quit => self.request(Pending::Quit, ctx),
            Command::Undo => {
                if self.doc.undo() {
                    self.after_history();
                    self.say("Undone");
                } else {
                    self.say("Nothing to undo");
                }
            }
            Command::Redo => {
                if self.doc.redo() {
                    self.after_history();
                    self.say("Redone");
                } else {
                    self.say("Nothing to redo");
                }
            }
            Command::Delete => match self.selection.clone() {
                Some(el) => self.canvas_action(CanvasAction::Delete(el), ctx),
                None => self.say("Select an element to delete"),
            },
            Command::Connect => match self.selection.clone() {
                Some(el) => self.canvas_action(CanvasAction::StartConnect(el), ctx),
                None => self.say("Select the element to connect from"),
            },
            Command::Add(kind) => {
                let at = self.canvas.free_spot(&self.doc.model);
                self.canvas_action(CanvasAction::Add(kind, at), ctx);
            }
            Command::FitView => self.canvas.fit(),
            Command::AutoLayout => {
                self.doc.edit(apply_layout);
                self.canvas.fit();
                self.say("Laid out left to right");
            }
            Command::ToggleTheme => {
                self.settings.light_theme = !self.settings.light_theme;
            }
            Command::CommandPalette => {
                self.palette = Some(String::new());
            }
            Command::Export => self.export.open = true,
            Command::PlayPause => self.sim.toggle_play(),
            Command::StepForward => self.sim.step(),
            Command::StepBack => self.sim.step_back(),
            Command::ResetRun => self.sim.reset(),
            Command::Faster => {
                self.sim.speed = (self.sim.speed + 1).min(simulate::SPEEDS.len() - 1);
            }
            Command::Slower => self.sim.speed = self.sim.speed.saturating_sub(1),
        }
    }

    /// Undo and redo may remove the selected element.
    fn after_history(&mut self) {
        if let Some(sel) = &self.selection
            && !self.doc.model.contains(sel)
        {
            self.selection = None;
        }
        self.connecting = None;
    }

    /// Apply what the user did on the canvas (or asked for in the inspector).
    pub fn canvas_action(&mut self, action: CanvasAction, _ctx: &egui::Context) {
        match action {
            CanvasAction::Select(el) => {
                self.selection = el;
            }
            CanvasAction::Move(el, pos) => {
                self.doc.edit(|m| set_pos(m, &el, Some(pos)));
            }
            CanvasAction::Connect(from, to) => {
                self.connecting = None;
                match self.doc.try_edit(|m| edit::connect(m, &from, &to)) {
                    Ok(what) => self.say(what),
                    Err(e) => self.complain(format!("Cannot connect {from} to {to}: {e}")),
                }
            }
            CanvasAction::Add(kind, at) => {
                let pos = (kind != ElementKind::Event).then_some(at);
                let el = self.doc.edit(|m| edit::add_element(m, kind, pos));
                self.say(format!("Added {el}"));
                self.selection = Some(el);
            }
            CanvasAction::Delete(el) => match self.doc.try_edit(|m| edit::delete(m, &el)) {
                Ok(also) => {
                    let mut text = format!("Deleted {el}");
                    if !also.is_empty() {
                        text.push_str(&format!(" and {} connection(s)", also.len()));
                    }
                    self.say(format!("{text} (Ctrl+Z brings it back)"));
                    self.selection = None;
                    self.connecting = None;
                }
                Err(e) => self.complain(e.to_string()),
            },
            CanvasAction::StartConnect(el) => {
                self.say(format!(
                    "Click the element to connect {el} to (Esc cancels)"
                ));
                self.selection = Some(el.clone());
                self.connecting = Some(el);
            }
            CanvasAction::FitView => self.canvas.fit(),
            CanvasAction::AutoLayout => {
                self.doc.edit(apply_layout);
                self.canvas.fit();
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.text_edit_focused();
        if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            if self.connecting.take().is_some() {
                self.say("Connecting cancelled");
            }
            self.palette = None;
        }
        if self.palette.is_some() || self.confirm.is_some() || self.load_error.is_some() {
            return;
        }
        for (shortcut, command) in shortcut_table() {
            // Plain keys type text; Ctrl+Z/Ctrl+Y undo the text being typed.
            if typing
                && (shortcut.modifiers.is_none()
                    || matches!(command, Command::Undo | Command::Redo))
            {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                if typing {
                    // The field applies (or keeps refusing) its text this frame, before
                    // the command runs at the end of it: Save saves what was typed.
                    ctx.memory_mut(|m| m.stop_text_input());
                }
                self.deferred.push(command);
            }
        }
    }

    /// The whole window.
    pub fn window_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_theme(&ctx);
        self.handle_close(&ctx);
        self.shortcuts(&ctx);
        self.sim.follow(&self.doc, self.fields_epoch);
        self.sim.tick(&self.doc.model, &ctx);
        self.menu_bar(ui);
        self.status_bar(ui);
        self.bottom_panel(ui);
        egui::Panel::left("elements")
            .resizable(true)
            .default_size(230.0)
            .show(ui, |ui| {
                self.add_palette(ui);
                ui.separator();
                if let Some(el) = overview_ui(ui, &self.doc, self.selection.as_ref()) {
                    self.selection = el;
                }
            });
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(290.0)
            .show(ui, |ui| {
                if let (Some(el), Some(p)) = (&self.selection, self.sim.playback())
                    && p.steps() > 0
                {
                    simulate::live_metrics_ui(
                        ui,
                        el,
                        &self.doc.model,
                        p,
                        self.sim.run_id(),
                        &mut self.throughput,
                    );
                    ui.separator();
                }
                let key = (self.fields_epoch, self.doc.revision());
                match inspector_ui(ui, &self.doc, self.selection.as_ref(), key) {
                    Some(InspectorAction::Replace(model, select)) => {
                        self.doc.edit(|m| *m = *model);
                        if select.is_some() {
                            self.selection = select;
                        }
                    }
                    Some(InspectorAction::Canvas(a)) => self.canvas_action(a, &ctx),
                    None => {}
                }
            });
        egui::CentralPanel::default().show(ui, |ui| {
            self.sim.controls_ui(ui, &self.doc.model);
            ui.separator();
            canvas::legend_ui(ui);
            let actions = self.canvas.ui(
                ui,
                &self.doc,
                self.selection.as_ref(),
                self.connecting.as_ref(),
            );
            for a in actions {
                self.canvas_action(a, &ctx);
            }
            let speed = simulate::SPEEDS[self.sim.speed];
            let findings = self.sim.findings(&self.doc.model).to_vec();
            if let Some(p) = self.sim.playback()
                && p.steps() > 0
            {
                simulate::paint_overlay(
                    ui,
                    self.sim.run_id(),
                    &mut self.overlay,
                    &self.canvas,
                    &self.doc.model,
                    p,
                    &findings,
                    speed,
                );
            }
        });
        self.dialogs_ui(&ctx);
        self.export_dialog_ui(&ctx);
        for command in std::mem::take(&mut self.deferred) {
            self.run(command, &ctx);
        }
        let title = self.doc.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.theme_applied != Some(self.settings.light_theme) {
            ctx.set_theme(if self.settings.light_theme {
                egui::Theme::Light
            } else {
                egui::Theme::Dark
            });
            self.theme_applied = Some(self.settings.light_theme);
        }
    }

    /// Closing the window goes through Quit, which asks about unsaved changes (after
    /// the field being typed in has applied its text).
    fn handle_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit_confirmed {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            ctx.memory_mut(|m| m.stop_text_input());
            self.deferred.push(Command::Quit);
        }
    }
}

/// Models without positions (or with boxes on top of each other) get the layered
/// layout when they are opened; that is part of opening, not an edit.
fn laid_out(doc: Document) -> Document {
    if needs_layout(&doc.model) {
        let mut model = doc.model.clone();
        apply_layout(&mut model);
        Document::new(model, doc.path)
    } else {
        doc
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl eframe::App for EventscapeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.window_ui(ui);
        if let Some(stats) = &mut self.frame_stats {
            stats.tick();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Settings::KEY, &self.settings);
    }
}

/// Open the app window on a document; returns when the window is closed.
pub fn run(document: Document) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(document.window_title())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Eventscape",
        options,
        Box::new(|cc| {
            let mut app = EventscapeApp::new(document);
            if let Some(settings) = cc
                .storage
                .and_then(|s| eframe::get_value::<Settings>(s, Settings::KEY))
            {
                app.settings = settings;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the app window: {e}"))
}
