//! The focus of the diagram (a view, not an edit): which focus is on, the one each
//! file opened this session was left with, and the bar above the canvas that offers a
//! focus for the selected element, says what is focused and clears it.
//!
//! What a focus keeps is `diagram::Focus`'s question; the canvas fades the rest. The
//! document never holds a focus, so it is neither saved nor undone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::commands::{Command, CommandQueue};
use super::{CanvasAction, EventscapeApp, search};
use crate::diagram::Focus;
use crate::model::{ElementKind, ElementRef, Model};

/// The focus and what the app remembers of it.
#[derive(Debug)]
pub struct FocusState {
    current: Option<Focus>,
    /// How many arrows away a new focus on an element reaches (the last chosen).
    hops: u8,
    /// The focus each file was left with, for this session.
    by_file: BTreeMap<PathBuf, Focus>,
    /// The document revision the focus was last checked against.
    checked_for: Option<u64>,
}

impl Default for FocusState {
    fn default() -> Self {
        Self {
            current: None,
            hops: 1,
            by_file: BTreeMap::new(),
            checked_for: None,
        }
    }
}

impl FocusState {
    /// The focus on, if any.
    pub fn get(&self) -> Option<&Focus> {
        self.current.as_ref()
    }

    /// Focus on `focus` (remembering its reach for the next focus on an element).
    pub fn set(&mut self, focus: Focus) {
        if let Focus::Around { hops, .. } = &focus {
            self.hops = *hops;
        }
        self.current = Some(focus);
    }

    /// Clear the focus; returns it.
    pub fn clear(&mut self) -> Option<Focus> {
        self.current.take()
    }

    /// A focus on `element` and what is within the last chosen number of arrows.
    pub fn around(&self, element: ElementRef) -> Focus {
        Focus::Around {
            element,
            hops: self.hops,
        }
    }

    /// The document is replaced (opened, new, imported): keep the focus for the file
    /// left, and take up the one the file opened was left with this session, if its
    /// element is still there.
    pub fn switch_file(&mut self, left: Option<&Path>, opened: Option<&Path>, model: &Model) {
        let current = self.current.take();
        if let (Some(path), Some(focus)) = (left, current) {
            self.by_file.insert(path.to_owned(), focus);
        }
        self.current = opened
            .and_then(|p| self.by_file.get(p))
            .filter(|f| f.exists_in(model))
            .cloned();
        self.checked_for = None;
    }

    /// After the document changed (an edit, undo or redo): drop a focus whose element
    /// is gone; returns what was dropped. Checked once per revision.
    pub fn follow(&mut self, model: &Model, revision: u64) -> Option<Focus> {
        if self.checked_for == Some(revision) {
            return None;
        }
        self.checked_for = Some(revision);
        let gone = self.current.as_ref().is_some_and(|f| !f.exists_in(model));
        if gone { self.current.take() } else { None }
    }
}

impl EventscapeApp {
    /// What Esc asks for: clearing the focus when one is on and nothing else takes
    /// the key (no field has the keyboard, no menu, dialog, palette or search is open
    /// and nothing is being connected), else stop connecting and close the palette
    /// and the search.
    pub(super) fn escape(&self, ctx: &egui::Context) -> Command {
        let taken = ctx.text_edit_focused()
            || egui::Popup::is_any_open(ctx)
            || self.connecting.is_some()
            || self.palette.is_some()
            || self.search.is_some()
            || self.modal_open();
        if self.focus.get().is_some() && !taken {
            Command::ClearFocus
        } else {
            Command::StopConnecting
        }
    }

    /// Is a modal dialog up (one that takes the keyboard)?
    pub(super) fn modal_open(&self) -> bool {
        self.palette.is_some()
            || self.confirm.is_some()
            || self.load_error.is_some()
            || self.path_prompt.is_some()
            || self.recovered.is_some()
    }

    /// The search field over the canvas, while it is open.
    pub(super) fn search_ui(&mut self, ctx: &egui::Context) {
        let (Some(search), Some(area)) = (&mut self.search, self.canvas.screen_rect()) else {
            return;
        };
        let revision = self.doc.revision();
        if let Some(el) = search::search_ui(ctx, search, &self.canvas.arch, revision, area) {
            self.queue.push(Command::Find(el));
        }
    }

    /// Focus on `focus` (a view: the document does not change) and fit the view to
    /// what it keeps.
    pub(super) fn focus_on(&mut self, focus: Focus) {
        self.say(format!(
            "Focused on {}; Esc or Clear focus shows everything",
            focus.describe()
        ));
        self.focus.set(focus);
        self.canvas.fit();
    }

    /// Focus on the selected element's neighbourhood (an event's producers and
    /// consumers: it has no box).
    pub(super) fn focus_selected(&mut self) {
        match self.selection.clone() {
            Some(el) if el.kind == ElementKind::Event => self.focus_on(Focus::Event(el.name)),
            Some(el) => self.focus_on(self.focus.around(el)),
            None => self.say("Select the element to focus on"),
        }
    }

    /// Clear the focus, saying what it was.
    pub(super) fn clear_focus(&mut self) {
        if let Some(f) = self.focus.clear() {
            self.say(format!(
                "Showing everything (was focused on {})",
                f.describe()
            ));
        }
    }
}

/// The focuses offered for an element, each with its button's text (the bar above
/// the canvas and the canvas's context menu offer the same): its neighbourhood (for a
/// box), a saga's participants, an event's or topic's producers and consumers.
pub fn offers(element: &ElementRef) -> Vec<(&'static str, CanvasAction)> {
    let mut out = Vec::new();
    if element.kind != ElementKind::Event {
        out.push((
            "Focus on its neighbours",
            CanvasAction::FocusNeighbours(element.clone()),
        ));
    }
    let name = element.name.clone();
    let special = match element.kind {
        ElementKind::Saga => Some(("Focus on its participants", Focus::Saga(name))),
        ElementKind::Topic => Some(("Focus on its producers and consumers", Focus::Topic(name))),
        ElementKind::Event => Some(("Focus on its producers and consumers", Focus::Event(name))),
        _ => None,
    };
    if let Some((text, focus)) = special {
        out.push((text, CanvasAction::Focus(focus)));
    }
    out
}

/// The bar above the canvas: with a focus, what it shows, how far it reaches (for an
/// element's neighbourhood) and "Clear focus"; else, with a selection, the focuses
/// offered for it. Nothing otherwise. `kept`: how many boxes the canvas keeps, of how
/// many.
pub fn focus_bar_ui(
    ui: &mut egui::Ui,
    state: &FocusState,
    selection: Option<&ElementRef>,
    kept: Option<(usize, usize)>,
    queue: &mut CommandQueue,
) {
    if let Some(focus) = state.get() {
        ui.horizontal_wrapped(|ui| {
            // First, so it is never wrapped out of sight.
            if ui
                .button("Clear focus (Esc)")
                .on_hover_text("Show the whole diagram again (the focus is only a view)")
                .clicked()
            {
                queue.push(Command::ClearFocus);
            }
            ui.label(RichText::new("Focused on").strong());
            ui.label(focus.describe());
            if let Some((kept, all)) = kept {
                ui.label(
                    RichText::new(format!("· {kept} of {} boxes shown", thousands(all))).weak(),
                )
                .on_hover_text("The other boxes and their arrows are faded");
            }
            if let Focus::Around { element, hops } = focus {
                ui.separator();
                ui.label("Arrows away:");
                for n in Focus::HOPS {
                    let button = ui
                        .selectable_label(*hops == n, n.to_string())
                        .on_hover_text(format!("Show what is within {n} arrows"));
                    if button.clicked() && *hops != n {
                        queue.push(Command::SetFocus(Focus::Around {
                            element: element.clone(),
                            hops: n,
                        }));
                    }
                }
            }
        });
        ui.separator();
    } else if let Some(el) = selection {
        ui.horizontal_wrapped(|ui| {
            for (text, action) in offers(el) {
                let hover = match &action {
                    CanvasAction::FocusNeighbours(_) => Command::FocusSelected.hover_text(ui.ctx()),
                    _ => "Fade every other element (a view: not saved, not undone)".to_owned(),
                };
                if ui.button(text).on_hover_text(hover).clicked() {
                    queue.push(Command::Canvas(action));
                }
            }
            ui.label(RichText::new("Ctrl+F: find an element by name").weak());
        });
        ui.separator();
    }
}

/// A count with thousands separated: `2,120`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2120), "2,120");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    fn svc(name: &str) -> ElementRef {
        ElementRef::new(ElementKind::Service, name)
    }

    #[test]
    fn each_file_keeps_its_focus_for_the_session() {
        let m = crate::examples::DEFAULT.model().unwrap();
        let (a, b) = (Path::new("/a.ron"), Path::new("/b.ron"));
        let mut s = FocusState::default();
        s.set(Focus::Around {
            element: svc("payment"),
            hops: 2,
        });
        s.switch_file(Some(a), Some(b), &m);
        assert_eq!(s.get(), None, "b was never focused");
        s.set(Focus::Saga("checkout".into()));
        s.switch_file(Some(b), Some(a), &m);
        assert_eq!(
            s.get(),
            Some(&s.around(svc("payment"))),
            "a's focus, 2 arrows"
        );
        s.switch_file(Some(a), Some(b), &m);
        assert_eq!(s.get(), Some(&Focus::Saga("checkout".into())));
        // A file whose focused element is gone opens unfocused.
        s.switch_file(Some(b), Some(a), &Model::new("empty"));
        assert_eq!(s.get(), None);
    }

    #[test]
    fn a_focus_on_a_deleted_element_is_dropped_once() {
        let mut m = crate::examples::DEFAULT.model().unwrap();
        let mut s = FocusState::default();
        s.set(s.around(svc("payment")));
        assert_eq!(s.follow(&m, 1), None);
        m.services.retain(|x| x.name != "payment");
        assert_eq!(s.follow(&m, 1), None, "checked once per revision");
        assert!(s.follow(&m, 2).is_some());
        assert_eq!(s.get(), None);
    }

    #[test]
    fn each_kind_is_offered_its_focuses() {
        let texts = |kind| -> Vec<&str> {
            offers(&ElementRef::new(kind, "x"))
                .into_iter()
                .map(|(t, _)| t)
                .collect()
        };
        assert_eq!(texts(ElementKind::Service), ["Focus on its neighbours"]);
        assert_eq!(
            texts(ElementKind::Saga),
            ["Focus on its neighbours", "Focus on its participants"]
        );
        assert_eq!(
            texts(ElementKind::Topic),
            [
                "Focus on its neighbours",
                "Focus on its producers and consumers"
            ]
        );
        assert_eq!(
            texts(ElementKind::Event),
            ["Focus on its producers and consumers"]
        );
    }
}
