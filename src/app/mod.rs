//! The desktop app (eframe/egui): the only layer that knows egui.
//!
//! One window edits one document: under the menu bar, a docked layout of tiles
//! (`dock`) holds the element list and the palette on the left, the diagram in the
//! middle, the inspector on the right, and problems and the views of the run as tabs
//! below the diagram; the tiles resize and never cover each other.
//!
//! Every user action is a [`Command`]: menus, shortcuts, the command palette (Ctrl+K),
//! buttons, the canvas, the inspector and the dialogs push commands onto the frame's
//! [`CommandQueue`] while they are drawn, reading the state but never changing it;
//! at the end of the frame [`EventscapeApp::apply`] applies them in order. Commands
//! without data have a label and (mostly) a shortcut, shared by the menus, the palette
//! and the hover texts. State the app keeps: the document, the selection, the
//! simulation [`Session`], what the views remember of the run ([`SimViews`]), and which
//! dialogs and tabs are open; a widget's own scratch state (the text being typed, a
//! view's filters, a combo box's choice) stays with the widget.

mod apply;
mod bottom;
mod canvas;
mod chrome;
mod commands;
mod context_map;
mod dock;
mod document;
mod export_dialog;
mod export_preview;
mod file_ops;
mod files;
mod focus;
mod frame_stats;
mod icon;
mod inspector;
mod memo;
mod overview;
mod palette;
mod path_prompt;
mod problems;
mod recovery;
mod search;
mod simulate;
mod theme;

use std::path::PathBuf;

use eframe::egui::{self, ViewportCommand};

use crate::diagram::{apply_layout, needs_layout};
use crate::model::ElementRef;

pub use canvas::{Canvas, CanvasAction, DOMAIN_ZOOM};
pub use commands::{Answer, Command, CommandQueue, NO_SHORTCUT};
pub use dock::Pane;
pub use document::Document;
pub use files::{Dialogs, NativeDialogs, Settings};
pub use overview::overview_ui;
pub use simulate::{Breakpoints, SPEEDS, Session, SimViews};

use commands::shortcut_table;
use inspector::inspector_ui;

/// The views below the diagram, each a tab of the docked layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BottomTab {
    /// The model's validation problems.
    Problems,
    /// The model's assertions judged on the run.
    Assertions,
    /// The engine's findings at this point of the run.
    Bottlenecks,
    /// The run's records, filterable.
    EventLog,
    /// One item's journey across the elements.
    Trace,
    /// The process mined from the run.
    Process,
    /// This run against another (another seed, or the model before a change).
    Compare,
}

/// Something that would lose unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    Open,
    OpenPath(PathBuf),
    /// An AsyncAPI document to import, chosen in a dialog.
    ImportAsyncapi,
    /// One of the built-in examples, by its name in `examples::ALL`.
    Example(&'static str),
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
    /// The search field (Ctrl+F) while it is open.
    search: Option<search::Search>,
    /// The focus of the diagram, a view (not in the document).
    focus: focus::FocusState,
    /// The context map of the document.
    context_map: context_map::ContextMapView,
    /// The element list, built once per edit.
    elements: overview::ElementList,
    /// An action waiting for "save your changes?".
    confirm: Option<Pending>,
    /// A file that failed to open, and why.
    load_error: Option<String>,
    /// The in-app path field, when the system's file dialog could not open.
    path_prompt: Option<path_prompt::PathPrompt>,
    /// Where unsaved work is kept against a crash (none in tests unless asked).
    recovery: Option<recovery::Recovery>,
    /// Unsaved work an earlier run left, while the app asks what to do with it.
    recovered: Option<recovery::Found>,
    /// The last message for the status bar; `true` for an error.
    status: Option<(String, bool)>,
    settings: Settings,
    dialogs: Box<dyn Dialogs>,
    title: String,
    theme_applied: Option<bool>,
    quit_confirmed: bool,
    /// What this frame's widgets asked for, applied at its end.
    queue: CommandQueue,
    /// The simulation of the document, and what its views remember of it.
    sim: Session,
    views: SimViews,
    /// The arrangement of the window's tiles (which bottom view is in front, too).
    dock: dock::Dock,
    /// The correlation id whose journey the trace view shows.
    traced: Option<u64>,
    compare: simulate::Compare,
    export: export_dialog::ExportState,
    /// With `EVENTSCAPE_FRAME_STATS` set: frame times, printed every few seconds.
    frame_stats: Option<frame_stats::FrameStats>,
    /// Bumped whenever the document is replaced or changes, so half-typed field text
    /// never carries over to another model or another state of it.
    fields_epoch: u64,
}

impl EventscapeApp {
    /// The app editing `document`, with the platform's file dialogs.
    pub fn new(document: Document) -> Self {
        Self::with_dialogs(document, Box::new(NativeDialogs::default()))
    }

    /// The app as it starts: `settings` as remembered, then `file` opened over
    /// `document` if one was given (remembered in Open recent; a file that cannot be
    /// opened shows its error, and `document` stays).
    pub fn starting(
        document: Document,
        settings: Settings,
        file: Option<&std::path::Path>,
    ) -> Self {
        let mut app = Self::new(document);
        app.settings = settings;
        if let Some(path) = file {
            app.open_path(path);
        }
        app
    }

    /// Keep unsaved work in `file` against a crash, and ask about what an earlier run
    /// left there.
    #[must_use]
    pub fn with_recovery(mut self, file: PathBuf) -> Self {
        let r = recovery::Recovery::at(file);
        self.recovered = r.found();
        self.recovery = Some(r);
        self
    }

    /// Why the last file could not be opened, while the app shows it.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// An app whose file dialogs are answered by `dialogs` (tests script them).
    pub fn with_dialogs(document: Document, dialogs: Box<dyn Dialogs>) -> Self {
        let document = laid_out(document);
        let canvas = Canvas::new(&document.model);
        let mut app = Self {
            doc: document,
            canvas,
            selection: None,
            connecting: None,
            palette: None,
            search: None,
            focus: focus::FocusState::default(),
            context_map: context_map::ContextMapView::default(),
            elements: overview::ElementList::default(),
            confirm: None,
            load_error: None,
            path_prompt: None,
            recovery: None,
            recovered: None,
            status: None,
            settings: Settings::default(),
            dialogs,
            title: String::new(),
            theme_applied: None,
            quit_confirmed: false,
            queue: CommandQueue::default(),
            sim: Session::default(),
            views: SimViews::default(),
            dock: dock::Dock::default(),
            traced: None,
            compare: simulate::Compare::default(),
            export: export_dialog::ExportState::default(),
            frame_stats: std::env::var_os("EVENTSCAPE_FRAME_STATS")
                .map(|_| frame_stats::FrameStats::default()),
            fields_epoch: 0,
        };
        app.open_on_map_if_big();
        app
    }

    /// The open document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The selected element, if any.
    pub fn selection(&self) -> Option<&ElementRef> {
        self.selection.as_ref()
    }

    /// The simulation session: the run, how it plays, its background work.
    pub fn session(&self) -> &Session {
        &self.sim
    }

    /// The correlation id the trace view shows, if any.
    pub fn traced(&self) -> Option<u64> {
        self.traced
    }

    /// What the views remember of the run (the mined process, the findings…).
    pub fn sim_views(&self) -> &SimViews {
        &self.views
    }

    /// Ask for a command: it is applied at the end of the next frame, like one a
    /// widget pushed.
    pub fn send(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// The diagram, as drawn in the last frame.
    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// What the app remembers between runs (recent files, theme).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some((text.into(), false));
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some((text.into(), true));
    }

    /// The commands asked for by keys and by the window (its close button). Their
    /// text fields apply what was typed this frame, before the commands run at its end:
    /// Save saves what was typed.
    fn keyed_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut keyed = Vec::new();
        // Closing the window goes through Quit, which asks about unsaved changes.
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit_confirmed {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            ctx.memory_mut(egui::Memory::stop_text_input);
            keyed.push(Command::Quit);
        }
        // Escape is looked at, not taken: fields and menus close on it too.
        if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            keyed.push(self.escape(ctx));
        }
        if self.modal_open() {
            return keyed;
        }
        let typing = ctx.text_edit_focused();
        for (shortcut, command) in shortcut_table() {
            // Plain keys type text; Ctrl+Z/Ctrl+Y undo the text being typed.
            if command == Command::StopConnecting
                || typing
                    && (shortcut.modifiers.is_none()
                        || matches!(command, Command::Undo | Command::Redo))
            {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                if typing {
                    ctx.memory_mut(egui::Memory::stop_text_input);
                }
                keyed.push(command);
            }
        }
        keyed
    }

    /// The whole window: draw every panel (their commands go onto the queue), then
    /// apply the frame's commands.
    pub fn window_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Ctrl+=, Ctrl+- and Ctrl+0 are the canvas's: egui's own zooming of the whole
        // interface would take Ctrl+0 and leave the diagram as it is.
        if ctx.options(|o| o.zoom_with_keyboard) {
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        self.apply_theme(&ctx);
        let keyed = self.keyed_commands(&ctx);
        self.sim.follow(&self.doc, self.fields_epoch);
        self.sim.tick(&self.doc.model, &ctx);
        self.views.follow(self.sim.run_id());
        self.menu_bar(ui);
        self.status_bar(ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(0))
            .show(ui, |ui| dock::Dock::ui(self, ui));
        self.dialogs_ui(&ctx);
        self.path_prompt_ui(&ctx);
        self.recovery_ui(&ctx);
        self.export_dialog_ui(&ctx);
        for command in keyed {
            self.queue.push(command);
        }
        let commands = self.queue.take();
        if !commands.is_empty() {
            // What was drawn shows the state before the commands: draw it again (egui
            // runs another pass of this frame, without its input).
            ctx.request_discard("commands applied");
        }
        for command in commands {
            self.apply(command, &ctx);
        }
        if let Some(gone) = self.focus.follow(&self.doc.model, self.doc.revision()) {
            self.say(format!("Focus cleared: {} is gone", gone.subject_text()));
        }
        // While the app asks about an earlier run's work, that work stays on disk.
        if self.recovered.is_none() {
            self.keep_recovery(&ctx);
        }
        let title = self.doc.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// One tile of the docked layout.
    fn pane_ui(&mut self, ui: &mut egui::Ui, pane: Pane) {
        match pane {
            Pane::Elements => {
                self.add_palette(ui);
                ui.separator();
                let selection = self.selection.as_ref();
                self.elements.ui(ui, &self.doc, selection, &mut self.queue);
            }
            Pane::Inspector => {
                if let Some(el) = &self.selection {
                    self.views.live_ui(ui, el, &self.doc.model, &self.sim);
                }
                let key = (self.fields_epoch, self.doc.revision());
                inspector_ui(ui, &self.doc, self.selection.as_ref(), key, &mut self.queue);
            }
            Pane::Canvas => {
                simulate::controls_ui(ui, &self.sim, &self.doc.model, &mut self.queue);
                ui.separator();
                canvas::legend_ui(ui);
                let (sel, kept) = (self.selection.as_ref(), self.canvas.kept());
                focus::focus_bar_ui(ui, &self.focus, sel, kept, &mut self.queue);
                self.canvas_domain_figures();
                // Its own id: the bar above comes and goes, the view's memory stays.
                let actions = ui
                    .push_id("diagram", |ui| {
                        let (sel, con) = (self.selection.as_ref(), self.connecting.as_ref());
                        self.canvas.ui(ui, &self.doc, sel, con, self.focus.get())
                    })
                    .inner;
                for a in actions {
                    self.queue.push(Command::Canvas(a));
                }
                self.search_ui(ui.ctx());
                self.views
                    .overlay_ui(ui, &self.sim, &self.canvas, &self.doc.model);
            }
            Pane::ContextMap => self.context_map_ui(ui),
            Pane::Bottom(tab) => self.bottom_view_ui(ui, tab),
        }
    }

    /// Where `pane` was drawn in the last frame; `None` while it is behind another tab.
    pub fn pane_rect(&self, pane: Pane) -> Option<egui::Rect> {
        self.dock.rect(pane)
    }

    /// The bottom view in front.
    pub fn shown_tab(&self) -> Option<BottomTab> {
        self.dock.shown()
    }

    /// The arrangement of the tiles as remembered between runs (see [`Self::restore`]).
    pub fn layout_state(&self) -> String {
        self.dock.persisted()
    }

    /// Take the settings and the layout an earlier run left in `storage` (a layout
    /// this version cannot show is ignored: the default one is used).
    #[must_use]
    pub fn restore(mut self, storage: &dyn eframe::Storage) -> Self {
        if let Some(settings) = eframe::get_value::<Settings>(storage, Settings::KEY) {
            self.settings = settings;
        }
        if let Some(dock) = storage
            .get_string(dock::Dock::KEY)
            .and_then(|text| dock::Dock::restored(&text))
        {
            self.dock = dock;
            self.open_on_map_if_big();
        }
        self
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.theme_applied != Some(self.settings.light_theme) {
            ctx.set_theme(if self.settings.light_theme {
                egui::Theme::Light
            } else {
                egui::Theme::Dark
            });
            self.theme_applied = Some(self.settings.light_theme);
            // Panel edges are easy to grab (egui's default is 3 px either side).
            ctx.all_styles_mut(|style| style.interaction.resize_grab_radius_side = 6.0);
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
        storage.set_string(dock::Dock::KEY, self.dock.persisted());
    }
}

/// Open the window: on `file` when one is given, else on the built-in example. A
/// file that cannot be opened is shown in the window with its offending line (as
/// File > Open shows it) over the built-in example, and an opened file goes into
/// Open recent.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let example = crate::examples::DEFAULT
        .model()
        .map_err(|e| anyhow::anyhow!("the built-in example does not load: {e}"))?;
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Eventscape")
        .with_app_id("eventscape")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([800.0, 500.0]);
    if let Some(icon) = icon::icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Eventscape",
        options,
        Box::new(move |cc| {
            let document = Document::new(example, None);
            // The settings and the layout as remembered, then the file (which goes
            // into the remembered Open recent).
            let mut app = EventscapeApp::new(document);
            if let Some(storage) = cc.storage {
                app = app.restore(storage);
            }
            if let Some(path) = &file {
                app.open_path(path);
            }
            // Unsaved work is kept in the app's data folder against a crash.
            if let Some(r) = recovery::Recovery::in_data_dir() {
                app = app.with_recovery(r.path);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the app window: {e}"))
}
