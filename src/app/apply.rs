//! The one place the app's state changes: [`EventscapeApp::apply`] runs each command
//! the frame's widgets, shortcuts and dialogs pushed, in order, after the frame has
//! been drawn.

use eframe::egui;

use super::commands::{Answer, Command};
use super::dock::Pane;
use super::{BottomTab, CanvasAction, EventscapeApp, Pending};
use crate::diagram::{Focus, apply_layout, set_pos};
use crate::model::{ElementKind, Model, edit};

impl EventscapeApp {
    /// Apply one command. Widgets push commands onto the frame's queue (see
    /// [`EventscapeApp::send`]); the frame applies them here once everything is drawn.
    pub fn apply(&mut self, command: Command, ctx: &egui::Context) {
        if let Some(kind) = command.added_kind() {
            let at = self.canvas.free_spot(&self.doc.model);
            self.canvas_action(CanvasAction::Add(kind, at));
            return;
        }
        match command {
            Command::New => self.request(Pending::New, ctx),
            Command::Open => self.request(Pending::Open, ctx),
            Command::ImportAsyncapi => self.request(Pending::ImportAsyncapi, ctx),
            Command::OpenRecent(path) => self.request(Pending::OpenPath(path), ctx),
            Command::OpenExample(name) => self.request(Pending::Example(name), ctx),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Export => self.export.open = true,
            Command::ExportAgain => {
                self.export.open = true;
                self.start_export();
            }
            Command::Quit => self.request(Pending::Quit, ctx),
            Command::Answer(answer) => self.answer(answer, ctx),
            Command::PathTyped(path) => self.path_typed(path),
            Command::Undo => self.history(true),
            Command::Redo => self.history(false),
            Command::Delete => match self.selection.clone() {
                Some(el) => self.canvas_action(CanvasAction::Delete(el)),
                None => self.say("Select an element to delete"),
            },
            Command::Connect => match self.selection.clone() {
                Some(el) => self.canvas_action(CanvasAction::StartConnect(el)),
                None => self.say("Select the element to connect from"),
            },
            Command::StopConnecting => {
                if self.connecting.take().is_some() {
                    self.say("Connecting cancelled");
                }
                self.palette = None;
                self.search = None;
            }
            Command::Search => {
                // The field sits on the diagram, which shows what is found.
                self.dock.show_pane(Pane::Canvas);
                self.search = Some(super::search::Search::default());
            }
            Command::Find(el) => {
                self.dock.show_pane(Pane::Canvas);
                self.canvas.centre_on(&el);
                self.say(format!("Found {el}"));
                self.selection = Some(el);
                self.search = None;
            }
            Command::FocusSelected => self.focus_selected(),
            Command::SetFocus(focus) => self.focus_on(focus),
            Command::ClearFocus => self.clear_focus(),
            Command::ShowContextMap => self.dock.show_pane(Pane::ContextMap),
            Command::ShowDiagram => self.dock.show_pane(Pane::Canvas),
            Command::ShowDomain(domain) => {
                self.dock.show_pane(Pane::Canvas);
                self.focus_on(Focus::Domain(domain));
            }
            Command::Select(el) => self.selection = el,
            Command::Canvas(action) => self.canvas_action(action),
            Command::Replace(model, select) => self.replace(*model, select),
            Command::FitView => self.canvas.fit(),
            Command::ZoomIn | Command::ZoomOut => {
                let step = super::Canvas::KEY_STEP;
                let in_ = command == Command::ZoomIn;
                self.canvas.zoom_by(if in_ { step } else { 1.0 / step });
                ctx.request_repaint();
            }
            Command::AutoLayout => {
                self.canvas_action(CanvasAction::AutoLayout);
                self.say("Laid out left to right");
            }
            Command::ToggleTheme => self.settings.light_theme = !self.settings.light_theme,
            Command::CommandPalette => self.palette = Some(String::new()),
            Command::ShowTab(tab) => self.dock.show(tab),
            Command::ResetLayout => self.dock.reset(),
            Command::ShowTrace(corr) => {
                self.traced = corr;
                self.dock.show(BottomTab::Trace);
            }
            Command::PlayPause => self.sim.toggle_play(),
            Command::StepForward => self.sim.step(),
            Command::StepBack => self.sim.step_back(),
            Command::ResetRun => self.sim.reset(),
            Command::RunToEnd => self.sim.run_to_end(&self.doc.model),
            Command::CancelRun => self.sim.cancel_background(),
            Command::Faster => self.sim.set_speed(self.sim.speed() + 1),
            Command::Slower => self.sim.set_speed(self.sim.speed().saturating_sub(1)),
            Command::SetSpeed(speed) => self.sim.set_speed(speed),
            Command::SetSeed(seed) => self.sim.set_seed(seed),
            Command::SetBreakpoints(b) => self.sim.set_breakpoints(b),
            Command::Seek(t) => self.sim.seek(t),
            Command::MineProcess => self.views.mine(&self.sim, &self.doc.model),
            Command::RunComparison => self.run_comparison(),
            Command::CancelComparison => self.compare.cancel(),
            Command::AddService
            | Command::AddTopic
            | Command::AddSaga
            | Command::AddStore
            | Command::AddProjection
            | Command::AddSource
            | Command::AddEvent => {} // handled above, by kind
        }
    }

    /// Undo (`true`) or redo.
    fn history(&mut self, undo: bool) {
        let (done, yes, no) = if undo {
            (self.doc.undo(), "Undone", "Nothing to undo")
        } else {
            (self.doc.redo(), "Redone", "Nothing to redo")
        };
        if !done {
            self.say(no);
            return;
        }
        // Undo and redo may remove the selected element.
        if let Some(sel) = &self.selection
            && !self.doc.model.contains(sel)
        {
            self.selection = None;
        }
        self.connecting = None;
        self.say(yes);
    }

    /// The inspector's edit of the model (one undo step).
    fn replace(&mut self, model: Model, select: Option<crate::model::ElementRef>) {
        self.doc.edit(|m| {
            let mut model = model;
            edit::keep_edited_placeholders(m, &mut model);
            *m = model;
        });
        if select.is_some() {
            self.selection = select;
        }
    }

    /// What the user did on the canvas (or asked for in the inspector or a menu).
    fn canvas_action(&mut self, action: CanvasAction) {
        match action {
            CanvasAction::Select(el) => self.selection = el,
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
            CanvasAction::Focus(focus) => {
                if let Some(el) = focus.subject() {
                    self.selection = Some(el);
                }
                self.focus_on(focus);
            }
            CanvasAction::ClearFocus => self.clear_focus(),
            CanvasAction::FocusNeighbours(el) => {
                self.selection = Some(el.clone());
                self.focus_on(self.focus.around(el));
            }
            CanvasAction::AutoLayout => {
                self.doc.edit(apply_layout);
                self.canvas.fit();
            }
        }
    }

    /// The answer to the open dialog.
    fn answer(&mut self, answer: Answer, ctx: &egui::Context) {
        match answer {
            Answer::CloseError => {
                self.load_error = None;
                return;
            }
            Answer::Restore | Answer::DiscardRecovered => {
                self.answer_recovery(answer == Answer::Restore);
                return;
            }
            _ => {}
        }
        let Some(pending) = self.confirm.take() else {
            return;
        };
        match answer {
            Answer::SaveFirst => {
                if self.save() {
                    self.perform(pending, ctx);
                }
            }
            Answer::Discard => self.perform(pending, ctx),
            Answer::Cancel | Answer::CloseError | Answer::Restore | Answer::DiscardRecovered => {}
        }
    }

    /// Run this model and the one chosen in the Compare tab, under this run's seed.
    fn run_comparison(&mut self) {
        let seed = self.sim.seed();
        let model = self.doc.model.clone();
        let started = self
            .sim
            .runtime()
            .and_then(|rt| self.compare.start(rt, &model, seed));
        if let Err(why) = started {
            self.dock.show(BottomTab::Compare);
            self.complain(why);
        }
    }
}
