//! A plain overview of a model: its name and every element, grouped by kind.

use eframe::egui::{self, RichText};

use super::Document;
use crate::model::{Action, Model, Rate, Severity, Trigger};

/// The model's name, its file, and a list of its elements.
pub fn overview_ui(ui: &mut egui::Ui, doc: &Document) {
    let model = &doc.model;
    ui.heading(&model.name);
    let origin = match &doc.path {
        Some(p) => p.display().to_string(),
        None => "built-in example".to_owned(),
    };
    ui.label(RichText::new(origin).weak());
    if !model.description.is_empty() {
        ui.label(&model.description);
    }
    ui.label(format!("seed {} · runs {}", model.seed, model.duration));
    problems_ui(ui, doc);
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| elements_ui(ui, model));
}

fn problems_ui(ui: &mut egui::Ui, doc: &Document) {
    let errors = doc
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = doc.problems.len() - errors;
    if doc.problems.is_empty() {
        ui.label("No problems");
        return;
    }
    egui::CollapsingHeader::new(format!("Problems: {errors} errors, {warnings} warnings"))
        .default_open(true)
        .show(ui, |ui| {
            for p in &doc.problems {
                ui.label(p.to_string());
            }
        });
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

fn elements_ui(ui: &mut egui::Ui, m: &Model) {
    section(ui, "Sources", m.sources.len(), |ui| {
        for s in &m.sources {
            let rate = match &s.rate {
                Rate::Poisson { per_sec } => format!("Poisson {per_sec}/s"),
                Rate::Constant { per_sec } => format!("constant {per_sec}/s"),
                Rate::Bursts { size, every } => format!("bursts of {size} every {every}"),
            };
            ui.label(format!("{} — {}, {}", s.name, action_text(&s.emit), rate));
        }
    });
    section(ui, "Services", m.services.len(), |ui| {
        for s in &m.services {
            ui.label(format!(
                "{} — {} × {} workers",
                s.name, s.instances, s.concurrency
            ));
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
            ui.label(format!("{} — {} {unit}", t.name, t.partitions));
        }
    });
    section(ui, "Events", m.events.len(), |ui| {
        for e in &m.events {
            ui.label(format!(
                "{} v{} — {:?}, {} bytes",
                e.name, e.version, e.style, e.payload_bytes
            ));
        }
    });
    section(ui, "Sagas", m.sagas.len(), |ui| {
        for s in &m.sagas {
            let trigger = match &s.trigger {
                Trigger::Event { event, .. } => event.clone(),
                other => other.describe(),
            };
            ui.label(format!(
                "{} — run by {}, started by {trigger}",
                s.name, s.orchestrator
            ));
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
            ui.label(format!("{} — aggregate {}", s.name, s.aggregate));
        }
    });
    section(ui, "Projections", m.projections.len(), |ui| {
        for p in &m.projections {
            ui.label(format!("{} — from {}", p.name, p.store));
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
