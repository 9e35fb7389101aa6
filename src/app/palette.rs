//! The command palette (Ctrl+K): every command with its shortcut, filtered as you
//! type; Enter runs the first match.

use eframe::egui::{self, RichText};

use super::commands::Command;

/// Commands whose label contains every word of the query (case-insensitive).
pub fn matches(query: &str) -> Vec<Command> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    Command::ALL
        .iter()
        .filter(|c| **c != Command::CommandPalette)
        .filter(|c| {
            let label = c.label().to_lowercase();
            words.iter().all(|w| label.contains(w.as_str()))
        })
        .cloned()
        .collect()
}

/// Draw the palette; returns the command chosen (for the queue).
pub fn palette_ui(ctx: &egui::Context, query: &mut String) -> Option<Command> {
    let mut chosen = None;
    egui::Modal::new(egui::Id::new("command-palette")).show(ctx, |ui| {
        ui.set_width(420.0);
        let field = ui.add(
            egui::TextEdit::singleline(query)
                .hint_text("Type a command...")
                .desired_width(f32::INFINITY),
        );
        field.request_focus();
        let found = matches(query);
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            chosen = found.first().cloned();
        }
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for command in &found {
                    ui.horizontal(|ui| {
                        if ui.selectable_label(false, command.label()).clicked() {
                            chosen = Some(command.clone());
                        }
                        if let Some(s) = command.shortcut() {
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    ui.label(RichText::new(ctx.format_shortcut(&s)).weak());
                                },
                            );
                        }
                    });
                }
                if found.is_empty() {
                    ui.label(RichText::new("No command matches").weak());
                }
            });
    });
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_match() {
        assert_eq!(matches("save as"), vec![Command::SaveAs]);
        assert!(matches("add").len() >= 7);
        assert!(matches("zzz").is_empty());
        assert_eq!(matches("").len(), Command::ALL.len() - 1);
    }
}
