//! The element list: every element of the model grouped by kind; clicking one
//! selects it.

use eframe::egui::{self, RichText};

use super::Document;
use super::commands::{Command, CommandQueue};
use crate::model::{Action, ElementKind, ElementRef, Model, Rate, Trigger};

/// The model's name, its file, and a list of its elements. Clicking one selects it
/// (or the model itself).
pub fn overview_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    selection: Option<&ElementRef>,
    queue: &mut CommandQueue,
) {
    let model = &doc.model;
    ui.heading(&model.name);
    let origin = match &doc.path {
        Some(p) => p.display().to_string(),
        None => "not saved yet".to_owned(),
    };
    ui.label(RichText::new(origin).weak());
    ui.label(format!("seed {} · runs {}", model.seed, model.duration));
    if ui
        .selectable_label(selection.is_none(), "Model properties, faults, assertions")
        .clicked()
    {
        queue.push(Command::Select(None));
    }
    ui.separator();
    let mut element = None;
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| elements_ui(ui, model, selection, &mut element));
    if let Some(el) = element {
        queue.push(Command::Select(Some(el)));
    }
}

/// One selectable line for an element.
fn item(
    ui: &mut egui::Ui,
    kind: ElementKind,
    name: &str,
    text: String,
    selection: Option<&ElementRef>,
    clicked: &mut Option<ElementRef>,
) {
    let selected = selection.is_some_and(|s| s.kind == kind && s.name == name);
    if ui.selectable_label(selected, text).clicked() {
        *clicked = Some(ElementRef::new(kind, name));
    }
}

fn section(ui: &mut egui::Ui, title: &str, count: usize, body: impl FnOnce(&mut egui::Ui)) {
    if count == 0 {
        return;
    }
    egui::CollapsingHeader::new(format!("{title} ({count})"))
        .default_open(true)
        .show(ui, body);
}

fn action_text(a: &Action) -> String {
    match a {
        Action::Publish { event, topic, .. } => format!("publishes {event} to {topic}"),
        Action::Send { command, to } => format!("sends {command} to {to}"),
        Action::Reply(r) => format!("replies {r}"),
        Action::Append { event, store } => format!("appends {event} to {store}"),
    }
}

fn elements_ui(
    ui: &mut egui::Ui,
    m: &Model,
    sel: Option<&ElementRef>,
    clicked: &mut Option<ElementRef>,
) {
    section(ui, "Sources", m.sources.len(), |ui| {
        for s in &m.sources {
            let rate = match &s.rate {
                Rate::Poisson { per_sec } => format!("Poisson {per_sec}/s"),
                Rate::Constant { per_sec } => format!("constant {per_sec}/s"),
                Rate::Bursts { size, every } => format!("bursts of {size} every {every}"),
            };
            let text = format!("{} — {}, {}", s.name, action_text(&s.emit), rate);
            item(ui, ElementKind::Source, &s.name, text, sel, clicked);
        }
    });
    section(ui, "Services", m.services.len(), |ui| {
        for s in &m.services {
            let text = format!("{} — {} × {} workers", s.name, s.instances, s.concurrency);
            item(ui, ElementKind::Service, &s.name, text, sel, clicked);
            ui.indent(&s.name, |ui| {
                for h in &s.handlers {
                    ui.label(format!("on {}", h.on.describe()));
                }
            });
        }
    });
    section(ui, "Topics", m.topics.len(), |ui| {
        for t in &m.topics {
            let unit = if t.partitions == 1 {
                "partition"
            } else {
                "partitions"
            };
            let text = format!("{} — {} {unit}", t.name, t.partitions);
            item(ui, ElementKind::Topic, &t.name, text, sel, clicked);
        }
    });
    section(ui, "Events", m.events.len(), |ui| {
        for e in &m.events {
            let text = format!(
                "{} v{} — {}, {} bytes",
                e.name,
                e.version,
                e.style.label(),
                e.payload_bytes
            );
            item(ui, ElementKind::Event, &e.name, text, sel, clicked);
        }
    });
    section(ui, "Sagas", m.sagas.len(), |ui| {
        for s in &m.sagas {
            let trigger = match &s.trigger {
                Trigger::Event { event, .. } => event.clone(),
                other => other.describe(),
            };
            let text = format!(
                "{} — run by {}, started by {trigger}",
                s.name, s.orchestrator
            );
            item(ui, ElementKind::Saga, &s.name, text, sel, clicked);
            ui.indent(&s.name, |ui| {
                for (i, step) in s.steps.iter().enumerate() {
                    let comp = step
                        .compensate
                        .as_deref()
                        .map(|c| format!(", undone by {c}"))
                        .unwrap_or_default();
                    ui.label(format!(
                        "{}. {}: {} to {}{comp}",
                        i + 1,
                        step.name,
                        step.command,
                        step.service
                    ));
                }
            });
        }
    });
    section(ui, "Event stores", m.stores.len(), |ui| {
        for s in &m.stores {
            let text = format!("{} — aggregate {}", s.name, s.aggregate);
            item(ui, ElementKind::Store, &s.name, text, sel, clicked);
        }
    });
    section(ui, "Projections", m.projections.len(), |ui| {
        for p in &m.projections {
            let text = format!("{} — from {}", p.name, p.store);
            item(ui, ElementKind::Projection, &p.name, text, sel, clicked);
        }
    });
    section(ui, "Faults", m.faults.len(), |ui| {
        for f in &m.faults {
            ui.label(f.describe());
        }
    });
    section(ui, "Assertions", m.assertions.len(), |ui| {
        for a in &m.assertions {
            ui.label(a.describe());
        }
    });
}
