//! Nothing typed is lost: while the document has unsaved changes, the app writes it to
//! a recovery file every few seconds (atomically, as RON with the file it belongs to).
//! A clean state (saved, or another document opened unchanged) removes the file. If
//! the app ended without saving (a crash, `kill -9`, power loss), the next start finds
//! the file and offers to restore it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::EventscapeApp;
use super::commands::{Answer, Command};
use crate::model::{Model, parse, to_ron};

/// How often unsaved changes are written at most.
pub const EVERY: Duration = Duration::from_secs(3);

/// The first line of a recovery file: where the model came from.
const HEADER: &str = "// Eventscape recovery of: ";

/// Where the recovery file goes, and what was written to it last.
pub struct Recovery {
    /// The recovery file.
    pub path: PathBuf,
    /// The document revision written last, and when.
    written: Option<(u64, Instant)>,
}

/// Unsaved work found at start: the model and the file it belongs to.
#[derive(Clone, Debug)]
pub struct Found {
    /// The recovered model.
    pub model: Model,
    /// Its file, if it had one.
    pub file: Option<PathBuf>,
}

impl Recovery {
    /// Recovery in the app's own data folder (`eframe::storage_dir`), if there is one.
    pub fn in_data_dir() -> Option<Recovery> {
        eframe::storage_dir("eventscape").map(|d| Recovery::at(d.join("recovery.ron")))
    }

    /// Recovery in this file.
    pub fn at(path: PathBuf) -> Recovery {
        Recovery {
            path,
            written: None,
        }
    }

    /// Unsaved work left by an earlier run that ended without saving, if any.
    pub fn found(&self) -> Option<Found> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let first = text.lines().next()?;
        let file = first
            .strip_prefix(HEADER)
            .filter(|f| *f != "untitled")
            .map(PathBuf::from);
        let model = parse(&text).ok()?;
        Some(Found { model, file })
    }

    /// Write the document when it has unsaved changes not written yet (at most every
    /// [`EVERY`]); remove the file when there is nothing unsaved. Returns how long
    /// until changes not written yet are due, so the caller can come back then even
    /// when nothing else happens in the window.
    pub fn keep(
        &mut self,
        dirty: bool,
        revision: u64,
        model: &Model,
        file: Option<&Path>,
    ) -> Option<Duration> {
        if !dirty {
            if self.written.take().is_some() {
                self.forget();
            }
            return None;
        }
        if let Some((rev, at)) = self.written {
            if rev == revision {
                return None;
            }
            if at.elapsed() < EVERY {
                return Some(EVERY - at.elapsed());
            }
        }
        let Ok(ron) = to_ron(model) else { return None };
        let from = file.map_or_else(|| "untitled".to_owned(), |f| f.display().to_string());
        let text = format!("{HEADER}{from}\n{ron}");
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Atomically: a crash while writing leaves the previous copy.
        let tmp = self.path.with_extension("ron.tmp");
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &self.path).is_ok() {
            self.written = Some((revision, Instant::now()));
        }
        None
    }

    /// Remove the recovery file (the work is saved, restored or discarded).
    pub fn forget(&mut self) {
        self.written = None;
        let _ = std::fs::remove_file(&self.path);
    }
}

impl EventscapeApp {
    /// Write or remove the recovery file for this frame's document.
    pub(super) fn keep_recovery(&mut self, ctx: &egui::Context) {
        if let Some(r) = &mut self.recovery {
            let d = &self.doc;
            // An edit just after a write is written when it is due, even if the window
            // sees no input meanwhile (one frame then, no busy loop).
            if let Some(wait) = r.keep(d.is_dirty(), d.revision(), &d.model, d.path.as_deref()) {
                ctx.request_repaint_after(wait);
            }
        }
    }

    /// The question at start, when an earlier run left unsaved work.
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some(found) = &self.recovered else {
            return;
        };
        egui::Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
            ui.heading("Unsaved work was recovered");
            let from = found.file.as_ref().map_or_else(
                || "an untitled model".to_owned(),
                |f| f.display().to_string(),
            );
            ui.label(format!(
                "Eventscape ended without saving changes to {from} (\"{}\").",
                found.model.name
            ));
            ui.label(RichText::new("Restore them, or discard them for good.").weak());
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    self.queue.push(Command::Answer(Answer::Restore));
                }
                if ui.button("Discard").clicked() {
                    self.queue.push(Command::Answer(Answer::DiscardRecovered));
                }
            });
        });
    }

    /// Restore the recovered work as an unsaved document (its file, if it had one), or
    /// drop it.
    pub(super) fn answer_recovery(&mut self, restore: bool) {
        let Some(found) = self.recovered.take() else {
            return;
        };
        if restore {
            // Open as the file it belonged to, then put the recovered model in as an
            // edit: it is unsaved until the user saves it.
            let base = found
                .file
                .as_ref()
                .and_then(|f| crate::model::load_file(f).ok())
                .unwrap_or_else(|| crate::model::Model::new(&found.model.name));
            self.set_document(super::Document::new(base, found.file.clone()));
            self.doc.edit(|m| *m = found.model);
            self.say("Restored the unsaved work (not saved yet)");
        } else {
            if let Some(r) = &mut self.recovery {
                r.forget();
            }
            self.say("Discarded the recovered work");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_soon_after_a_write_is_due_later_and_saved_state_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recovery::at(dir.path().join("recovery.ron"));
        let mut model = Model::new("m");
        assert_eq!(
            r.keep(true, 1, &model, None),
            None,
            "the first change is written at once"
        );
        assert_eq!(r.found().unwrap().model, model);
        model.name = "m2".into();
        let wait = r.keep(true, 2, &model, None).expect("the next one waits");
        assert!(wait <= EVERY);
        assert_eq!(r.found().unwrap().model.name, "m", "not written yet");
        assert_eq!(r.keep(false, 2, &model, None), None);
        assert!(r.found().is_none(), "nothing unsaved, nothing kept");
    }
}
