//! The problems panel: validation problems of the model, updated as it is edited;
//! clicking one selects the element it is about.

use crate::words::count;
use eframe::egui::{self, RichText};

use super::commands::{Command, CommandQueue};
use super::theme;
use crate::model::{Problem, Severity};

/// A one-line summary, e.g. "Problems: 1 error, 2 warnings".
pub fn summary(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if problems.is_empty() {
        return "No problems".into();
    }
    format!(
        "Problems: {}, {}",
        count(errors, "error", None),
        count(warnings, "warning", None)
    )
}

/// The list; clicking a problem selects its element.
pub fn problems_ui(ui: &mut egui::Ui, problems: &[Problem], queue: &mut CommandQueue) {
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            if problems.is_empty() {
                ui.label(RichText::new("The model is clean.").weak());
            }
            for p in problems {
                let (tag, color) = match p.severity {
                    Severity::Error => ("error", theme::ERROR),
                    Severity::Warning => ("warning", theme::WARNING),
                };
                ui.horizontal(|ui| {
                    ui.label(RichText::new(tag).color(color).strong());
                    let mut text = format!("{}: {}", p.path, p.message);
                    if let Some(h) = &p.hint {
                        text.push_str(&format!(" (hint: {h})"));
                    }
                    // Wrapped: the tile may be narrower than the line.
                    let label = egui::Label::new(text).wrap().sense(egui::Sense::click());
                    let response = ui.add(label);
                    if response.clicked()
                        && let Some(el) = &p.element
                    {
                        queue.push(Command::Select(Some(el.clone())));
                    }
                    if p.element.is_some() {
                        response.on_hover_text("Click to select it");
                    }
                });
            }
        });
}
