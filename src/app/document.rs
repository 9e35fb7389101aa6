//! The open document: the model, where it lives, its undo history and its problems.
//!
//! Every change to the model goes through [`Document::edit`] (or undo/redo), so the
//! history, the problem list, the unsaved marker and the canvas all follow.

use std::path::{Path, PathBuf};

use crate::model::edit::History;
use crate::model::{Model, Problem, SaveError, save_file, validate};

/// A model open in the app, with its file, undo history and validation problems.
pub struct Document {
    /// The model as it is now; change it through [`Document::edit`] so everything
    /// follows.
    pub model: Model,
    /// The file it was opened from or last saved to; none for a new model or an
    /// example not yet saved.
    pub path: Option<PathBuf>,
    /// The model's validation problems, as of its last change.
    pub problems: Vec<Problem>,
    history: History,
    /// The model as last opened or saved, for the unsaved marker.
    saved: Model,
    dirty: bool,
    /// Bumped on every change of the model, so views know when to rebuild.
    revision: u64,
}

impl Document {
    /// A document of `model` (from the file at `path`, if any), unchanged, with an
    /// empty history.
    pub fn new(model: Model, path: Option<PathBuf>) -> Self {
        let problems = validate(&model);
        Self {
            saved: model.clone(),
            model,
            path,
            problems,
            history: History::default(),
            dirty: false,
            revision: 0,
        }
    }

    /// Change the model; the change is one undo step. Nothing is recorded when `f`
    /// leaves the model as it was.
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut Model) -> R) -> R {
        let before = self.model.clone();
        let out = f(&mut self.model);
        if self.model != before {
            self.history.record(&before);
            self.changed();
        }
        out
    }

    /// Change the model if `f` succeeds; on an error the model is left exactly as it was.
    pub fn try_edit<T, E>(&mut self, f: impl FnOnce(&mut Model) -> Result<T, E>) -> Result<T, E> {
        let before = self.model.clone();
        match f(&mut self.model) {
            Ok(v) => {
                if self.model != before {
                    self.history.record(&before);
                    self.changed();
                }
                Ok(v)
            }
            Err(e) => {
                self.model = before;
                Err(e)
            }
        }
    }

    /// Undo the last change; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let done = self.history.undo(&mut self.model);
        if done {
            self.changed();
        }
        done
    }

    /// Redo the last undone change; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let done = self.history.redo(&mut self.model);
        if done {
            self.changed();
        }
        done
    }

    /// Whether there is a change to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Whether there is an undone change to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.problems = validate(&self.model);
        self.dirty = self.model != self.saved;
    }

    /// Whether the model differs from the file (or from the example it started as).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// A number bumped on every change of the model (edit, undo, redo), so views know
    /// when to rebuild.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Write the model to `path` (atomically) and make it the document's file.
    pub fn save_as(&mut self, path: &Path) -> Result<(), SaveError> {
        save_file(path, &self.model)?;
        self.path = Some(path.to_path_buf());
        self.saved = self.model.clone();
        self.dirty = false;
        Ok(())
    }

    /// The file's name, or a description of where the model came from.
    pub fn file_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => "untitled".to_owned(),
        }
    }

    /// `*name.ron — Model name — Eventscape`; the star marks unsaved changes.
    pub fn window_title(&self) -> String {
        let star = if self.dirty { "*" } else { "" };
        format!(
            "{star}{} — {} — Eventscape",
            self.file_name(),
            self.model.name
        )
    }
}
