//! When the system's file dialog cannot open (on Linux it needs the XDG desktop portal
//! or GTK; a bare X server or a container has neither), the app says so and asks for
//! the path in a field of its own, so a model can always be opened, saved and exported.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::EventscapeApp;
use super::commands::Command;
use super::files::with_ron_extension;

/// What the path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// A model file to open.
    Open,
    /// An AsyncAPI document to import.
    ImportAsyncapi,
    /// Where to save the model.
    SaveAs,
    /// Where to write the export dialog's export.
    Export,
}

impl PathPurpose {
    fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open model",
            PathPurpose::ImportAsyncapi => "Import AsyncAPI document",
            PathPurpose::SaveAs => "Save model as",
            PathPurpose::Export => "Export to",
        }
    }

    fn action(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::ImportAsyncapi => "Import",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Export => "Export",
        }
    }
}

/// The in-app path field, open while the user types.
#[derive(Clone, Debug)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: PathPurpose,
    /// What is typed so far.
    pub text: String,
    /// Why the system's dialog did not open.
    pub why: String,
}

impl EventscapeApp {
    /// A dialog gave no file: if it could not open at all, ask for the path here
    /// (starting from `suggested`); if the user cancelled it, do nothing.
    pub(super) fn no_file_chosen(&mut self, purpose: PathPurpose, suggested: &str) {
        if let Some(why) = self.dialogs.failed() {
            let folder = std::env::current_dir().unwrap_or_default();
            self.path_prompt = Some(PathPrompt {
                purpose,
                text: folder.join(suggested).display().to_string(),
                why,
            });
        }
    }

    /// The path typed (`None`: cancelled): do what it was asked for.
    pub(super) fn path_typed(&mut self, path: Option<PathBuf>) {
        let Some(prompt) = self.path_prompt.take() else {
            return;
        };
        let Some(path) = path else {
            return;
        };
        match prompt.purpose {
            PathPurpose::Open => self.open_path(&path),
            PathPurpose::ImportAsyncapi => self.import_asyncapi(&path),
            PathPurpose::SaveAs => {
                self.save_to(&with_ron_extension(path));
            }
            PathPurpose::Export => self.export_to(path),
        }
    }

    /// The path field, when it is open.
    pub(super) fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::new("path-prompt")).show(ctx, |ui| {
            ui.heading(prompt.purpose.title());
            ui.label(RichText::new(&prompt.why).weak());
            ui.label("Type the file's path instead:");
            let label = ui.label("Path");
            let field = ui.add(
                egui::TextEdit::singleline(&mut prompt.text)
                    .desired_width(560.0)
                    .id_salt("path-field"),
            );
            let field = field.labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let typed = prompt.text.trim();
                let ok = ui.add_enabled(
                    !typed.is_empty(),
                    egui::Button::new(prompt.purpose.action()),
                );
                if (ok.clicked() || entered) && !typed.is_empty() {
                    answer = Some(Some(PathBuf::from(typed)));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
        });
        if let Some(path) = answer {
            self.queue.push(Command::PathTyped(path));
        }
    }
}
