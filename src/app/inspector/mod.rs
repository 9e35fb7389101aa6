//! The inspector: every property of the selected element (or of the model when
//! nothing is selected), its arrows, and connecting it to another element.

mod fields;
mod forms;

use eframe::egui::{self, RichText};

use super::canvas::CanvasAction;
use super::commands::{Command, CommandQueue};
use super::document::Document;
use super::memo::per_revision;
use crate::diagram::arch_graph;
use crate::model::{ElementKind, ElementRef, edit};

/// The inspector of the selection; an edit is pushed as [`Command::Replace`] (one
/// undo step), a connection or a deletion as a [`Command::Canvas`].
pub fn inspector_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    selection: Option<&ElementRef>,
    epoch: (u64, u64),
    queue: &mut CommandQueue,
) {
    let mut out = None;
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            // Fields keep their half-typed text per element and per state of the
            // document: after any change (an edit, undo, another file) they start
            // from the model again.
            let key = (selection.map(ToString::to_string), epoch);
            ui.push_id(key, |ui| match selection {
                Some(el) => out = element_ui(ui, doc, el),
                None => {
                    ui.heading("Model");
                    ui.label(RichText::new("Select a box to edit it.").weak());
                    ui.separator();
                    if let Some(m) = forms::model_form(ui, &doc.model) {
                        out = Some(Command::Replace(Box::new(m), None));
                    }
                }
            });
        });
    if let Some(command) = out {
        queue.push(command);
    }
}

fn element_ui(ui: &mut egui::Ui, doc: &Document, el: &ElementRef) -> Option<Command> {
    let mut out = None;
    ui.heading(format!("{} {}", capitalised(el.kind.label()), el.name));
    ui.separator();
    if let Some((m, text)) = forms::element_form(ui, &doc.model, el) {
        // After a rename the selection follows the new name.
        let still = m.contains(el);
        let next = if still {
            el.clone()
        } else {
            ElementRef::new(el.kind, text)
        };
        out = Some(Command::Replace(Box::new(m), Some(next)));
    }
    ui.separator();
    if el.kind != ElementKind::Event
        && let Some(a) = connections_ui(ui, doc, el)
    {
        out = Some(a);
    }
    ui.separator();
    if ui
        .button(format!("Delete {}", el.kind.label()))
        .on_hover_text("Also removes its arrows; Ctrl+Z brings it back")
        .clicked()
    {
        out = Some(Command::Canvas(CanvasAction::Delete(el.clone())));
    }
    out
}

/// The element's arrows, and a "connect to" picker. The elements it can connect to
/// are worked out when the picker is opened (each is a trial edit of the model,
/// validated: on a model of thousands of elements that takes a while).
fn connections_ui(ui: &mut egui::Ui, doc: &Document, el: &ElementRef) -> Option<Command> {
    let mut out = None;
    let (model, revision) = (&doc.model, doc.revision());
    ui.label(RichText::new("Connections").strong());
    let g = per_revision(ui, "diagram", revision, || arch_graph(model));
    if let Some(me) = g.node(el) {
        for e in g.edges.iter().filter(|e| e.from == me || e.to == me) {
            let (dir, other) = if e.from == me {
                ("to", &g.nodes[e.to].element)
            } else {
                ("from", &g.nodes[e.from].element)
            };
            let text = format!(
                "{} {dir} {other}{}",
                crate::diagram::style::edge_label(e.kind),
                if e.label.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.label)
                }
            );
            if ui.link(text).clicked() {
                out = Some(Command::Canvas(CanvasAction::Select(Some(other.clone()))));
            }
        }
    }
    let targets = |ui: &egui::Ui| {
        per_revision(ui, ("targets", el), revision, || {
            edit::connect_targets(model, el)
        })
    };
    let id = ui.make_persistent_id(("connect-target", el));
    let mut chosen: Option<ElementRef> = ui.data(|d| d.get_temp(id)).flatten();
    // A choice made before an edit may not be possible any more.
    if let Some(c) = &chosen
        && !targets(ui).contains(c)
    {
        chosen = None;
    }
    let mut none = false;
    ui.horizontal(|ui| {
        let connect_label = ui.label("Connect to");
        egui::ComboBox::from_id_salt(id)
            .selected_text(
                chosen
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "choose...".into()),
            )
            .show_ui(ui, |ui| {
                let targets = targets(ui);
                for t in targets.iter() {
                    ui.selectable_value(&mut chosen, Some(t.clone()), t.to_string());
                }
                none = targets.is_empty();
            })
            .response
            .labelled_by(connect_label.id);
        if ui
            .add_enabled(chosen.is_some(), egui::Button::new("Connect"))
            .clicked()
            && let Some(to) = chosen.take()
        {
            out = Some(Command::Canvas(CanvasAction::Connect(el.clone(), to)));
        }
    });
    if none {
        ui.label(RichText::new("Nothing this can connect to yet.").weak());
    }
    ui.data_mut(|d| d.insert_temp(id, chosen));
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
