//! The window's chrome: the menu bar, the palette of elements, the status bar and
//! the modal dialogs (command palette, unsaved changes, load errors).

use eframe::egui::{self, RichText};

use super::commands::{ADDABLE, Answer, add_word};
use super::{Command, EventscapeApp, capitalise, palette, theme};

impl EventscapeApp {
    /// A menu item for `command`, with its shortcut.
    pub(super) fn command_button(&mut self, ui: &mut egui::Ui, command: Command, enabled: bool) {
        let shortcut = command.shortcut_text(ui.ctx());
        let button = egui::Button::new(command.label()).shortcut_text(shortcut);
        if ui.add_enabled(enabled, button).clicked() {
            self.queue.push(command);
            ui.close();
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    self.command_button(ui, Command::New, true);
                    self.command_button(ui, Command::Open, true);
                    let recent = self.settings.recent.clone();
                    ui.add_enabled_ui(!recent.is_empty(), |ui| {
                        ui.menu_button("Open recent", |ui| {
                            for path in recent {
                                if ui.button(path.display().to_string()).clicked() {
                                    self.queue.push(Command::OpenRecent(path));
                                    ui.close();
                                }
                            }
                        });
                    });
                    ui.menu_button("Open example", |ui| {
                        for e in crate::examples::ALL {
                            if ui.button(e.name).clicked() {
                                self.queue.push(Command::OpenExample(e.name));
                                ui.close();
                            }
                        }
                    });
                    self.command_button(ui, Command::ImportAsyncapi, true);
                    ui.separator();
                    self.command_button(ui, Command::Save, true);
                    self.command_button(ui, Command::SaveAs, true);
                    self.command_button(ui, Command::Export, true);
                    ui.separator();
                    self.command_button(ui, Command::Quit, true);
                });
                ui.menu_button("Edit", |ui| {
                    let (u, r) = (self.doc.can_undo(), self.doc.can_redo());
                    self.command_button(ui, Command::Undo, u);
                    self.command_button(ui, Command::Redo, r);
                    ui.separator();
                    let sel = self.selection.is_some();
                    self.command_button(ui, Command::Connect, sel);
                    self.command_button(ui, Command::Delete, sel);
                    ui.separator();
                    self.command_button(ui, Command::CommandPalette, true);
                });
                ui.menu_button("Add", |ui| {
                    for kind in ADDABLE {
                        self.command_button(ui, Command::add(kind), true);
                    }
                });
                ui.menu_button("View", |ui| {
                    self.command_button(ui, Command::FitView, true);
                    self.command_button(ui, Command::ZoomIn, true);
                    self.command_button(ui, Command::ZoomOut, true);
                    self.command_button(ui, Command::AutoLayout, true);
                    self.command_button(ui, Command::ShowContextMap, true);
                    self.command_button(ui, Command::ToggleTheme, true);
                    ui.separator();
                    self.command_button(ui, Command::ResetLayout, true);
                });
            });
        });
    }

    pub(super) fn add_palette(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Add").strong());
        ui.horizontal_wrapped(|ui| {
            for kind in ADDABLE {
                let command = Command::add(kind);
                let button = egui::Button::new(capitalise(add_word(kind)));
                if ui
                    .add(button)
                    .on_hover_text(command.hover_text(ui.ctx()))
                    .clicked()
                {
                    self.queue.push(command);
                }
            }
        });
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((text, error)) = &self.status {
                    let t = RichText::new(text);
                    ui.label(if *error { t.color(theme::ERROR) } else { t });
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        RichText::new(
                            "Ctrl+K: all commands · Shift+drag: connect · right-click: more",
                        )
                        .weak(),
                    );
                });
            });
        });
    }

    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(query) = &mut self.palette
            && let Some(command) = palette::palette_ui(ctx, query)
        {
            // The palette's own state (its query) goes; the command is queued.
            self.palette = None;
            self.queue.push(command);
        }
        if self.confirm.is_some() {
            egui::Modal::new(egui::Id::new("unsaved")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "{} has changes that are not saved. Save them first?",
                    self.doc.file_name()
                ));
                ui.horizontal(|ui| {
                    for (text, answer) in [
                        ("Save", Answer::SaveFirst),
                        ("Discard changes", Answer::Discard),
                        ("Cancel", Answer::Cancel),
                    ] {
                        if ui.button(text).clicked() {
                            self.queue.push(Command::Answer(answer));
                        }
                    }
                });
            });
        }
        if let Some(text) = &self.load_error {
            egui::Modal::new(egui::Id::new("load-error")).show(ctx, |ui| {
                ui.heading("The file could not be opened");
                ui.label("The current model is unchanged.");
                ui.set_max_width(900.0);
                egui::ScrollArea::both().max_height(360.0).show(ui, |ui| {
                    // Unwrapped, so the marker stays under the offending text.
                    ui.add(
                        egui::Label::new(RichText::new(text).monospace())
                            .wrap_mode(egui::TextWrapMode::Extend),
                    );
                });
                if ui.button("OK").clicked() {
                    self.queue.push(Command::Answer(Answer::CloseError));
                }
            });
        }
    }
}
