//! Undo and redo: snapshots of the document before each edit (models are small), which
//! makes undo exact for any edit.

use crate::model::Model;

/// Undo and redo by snapshots of the document.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Model>,
    redo: Vec<Model>,
}

impl History {
    /// Most undo steps kept.
    pub const LIMIT: usize = 500;

    /// Remember the document as it was before an edit; the redo list is dropped.
    pub fn record(&mut self, before: &Model) {
        if self.undo.len() == Self::LIMIT {
            self.undo.remove(0);
        }
        self.undo.push(before.clone());
        self.redo.clear();
    }

    /// Go back one edit. Returns whether there was one.
    pub fn undo(&mut self, current: &mut Model) -> bool {
        match self.undo.pop() {
            Some(before) => {
                self.redo.push(std::mem::replace(current, before));
                true
            }
            None => false,
        }
    }

    /// Redo the edit last undone. Returns whether there was one.
    pub fn redo(&mut self, current: &mut Model) -> bool {
        match self.redo.pop() {
            Some(after) => {
                self.undo.push(std::mem::replace(current, after));
                true
            }
            None => false,
        }
    }

    /// Is there an edit to undo?
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Is there an undone edit to redo?
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
