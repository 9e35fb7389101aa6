//! Documents in and out: New, Open, Import AsyncAPI, Save, Save As, and asking
//! before unsaved changes would be lost.

use std::path::Path;

use eframe::egui::{self, ViewportCommand};

use super::path_prompt::PathPurpose;
use super::{Canvas, Document, EventscapeApp, Pending, files, laid_out};
use crate::model::{Model, load_file};
use crate::words::count;

impl EventscapeApp {
    /// Ask before an action that would lose unsaved changes.
    pub(super) fn request(&mut self, action: Pending, ctx: &egui::Context) {
        if self.doc.is_dirty() {
            self.confirm = Some(action);
        } else {
            self.perform(action, ctx);
        }
    }

    pub(super) fn perform(&mut self, action: Pending, ctx: &egui::Context) {
        match action {
            Pending::New => {
                self.set_document(Document::new(Model::new("Untitled model"), None));
                self.say("New model");
            }
            Pending::Open => match self.dialogs.open() {
                Some(path) => self.open_path(&path),
                None => self.no_file_chosen(PathPurpose::Open, ""),
            },
            Pending::OpenPath(path) => self.open_path(&path),
            Pending::ImportAsyncapi => match self.dialogs.open_asyncapi() {
                Some(path) => self.import_asyncapi(&path),
                None => self.no_file_chosen(PathPurpose::ImportAsyncapi, ""),
            },
            Pending::Example(name) => {
                let Some(example) = crate::examples::find(name) else {
                    self.complain(format!("There is no example called {name}"));
                    return;
                };
                match example.model() {
                    Ok(model) => {
                        self.set_document(Document::new(model, None));
                        self.say(format!("Opened the example {}", example.name));
                    }
                    Err(e) => self.complain(format!("The example does not load: {e}")),
                }
            }
            Pending::Quit => {
                self.quit_confirmed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Open a model file; if it fails, say why and keep the current model.
    pub fn open_path(&mut self, path: &Path) {
        match load_file(path) {
            Ok(model) => {
                self.set_document(Document::new(model, Some(path.to_path_buf())));
                self.settings.remember(path);
                self.say(format!("Opened {}", path.display()));
            }
            Err(e) => {
                self.load_error = Some(e.render(false));
                self.complain(format!("Could not open {}", path.display()));
            }
        }
    }

    /// Import an AsyncAPI document as a new, untitled model; if it cannot be read or
    /// used, say why (with the line, or the path in the document) and keep the
    /// current model.
    pub fn import_asyncapi(&mut self, path: &Path) {
        let name = path.display().to_string();
        let src = match std::fs::read_to_string(path) {
            Ok(src) => src,
            Err(e) => {
                self.load_error = Some(format!("cannot read {name}: {e}"));
                self.complain(format!("Could not import {name}"));
                return;
            }
        };
        match crate::import::asyncapi::import(&src) {
            Ok(imported) => {
                let m = &imported.model;
                let summary = format!(
                    "{}, {}, {}",
                    count(m.services.len(), "service", None),
                    count(m.topics.len(), "topic", None),
                    count(m.sources.len(), "source", None)
                );
                self.set_document(Document::new(imported.model, None));
                self.say(format!(
                    "Imported {name}: {summary}; timings and rates are defaults to replace"
                ));
            }
            Err(e) => {
                self.load_error = Some(e.render(&name, &src, false));
                self.complain(format!("Could not import {name}"));
            }
        }
    }

    pub(super) fn set_document(&mut self, doc: Document) {
        self.fields_epoch += 1;
        let left = self.doc.path.take();
        self.doc = laid_out(doc);
        // A focus is kept per file for the session, not in the file.
        self.focus
            .switch_file(left.as_deref(), self.doc.path.as_deref(), &self.doc.model);
        self.search = None;
        self.canvas = Canvas::new(&self.doc.model);
        self.selection = None;
        self.connecting = None;
        self.open_on_map_if_big();
    }

    /// Save to the document's file, or ask where. Returns whether it was saved.
    pub fn save(&mut self) -> bool {
        match self.doc.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    /// Ask where to save the model, and save it there. Returns whether it was saved.
    pub fn save_as(&mut self) -> bool {
        let name = files::suggested_file_name(&self.doc.model.name);
        match self.dialogs.save_as(&name) {
            Some(path) => self.save_to(&files::with_ron_extension(path)),
            None => {
                self.no_file_chosen(PathPurpose::SaveAs, &name);
                false
            }
        }
    }

    pub(super) fn save_to(&mut self, path: &Path) -> bool {
        match self.doc.save_as(path) {
            Ok(()) => {
                self.settings.remember(path);
                self.say(format!("Saved {}", path.display()));
                true
            }
            Err(e) => {
                self.complain(format!("Could not save {}: {e}", path.display()));
                false
            }
        }
    }
}
