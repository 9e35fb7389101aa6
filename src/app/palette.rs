//! The command palette (Ctrl+K): every command with its shortcut, filtered as you
//! type; Enter runs the first match.

use eframe::egui::{self, RichText};

use super::commands::{Command, shortcut_words};

/// Commands whose label contains every word of the query (case-insensitive): every
/// command a user can name, and opening each built-in example.
pub fn matches(query: &str) -> Vec<Command> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let examples = crate::examples::ALL
        .iter()
        .map(|e| Command::OpenExample(e.name));
    Command::ALL
        .iter()
        .filter(|c| **c != Command::CommandPalette)
        .cloned()
        .chain(examples)
        .filter(|c| {
            let label = c.label().to_lowercase();
            words.iter().all(|w| label.contains(w.as_str()))
        })
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
                                    ui.label(RichText::new(shortcut_words(ctx, &s)).weak());
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
        assert_eq!(
            matches("").len(),
            Command::ALL.len() - 1 + crate::examples::ALL.len()
        );
    }

    #[test]
    fn the_palette_runs_to_the_end_and_opens_examples() {
        assert_eq!(matches("run end"), vec![Command::RunToEnd]);
        assert_eq!(matches("example saga"), vec![Command::OpenExample("saga")]);
    }

    #[test]
    fn punctuation_keys_read_as_their_symbol() {
        let ctx = egui::Context::default();
        assert_eq!(Command::Faster.shortcut_text(&ctx), "]");
        assert_eq!(Command::Slower.shortcut_text(&ctx), "[");
        assert_eq!(Command::Save.shortcut_text(&ctx), "Ctrl+S");
    }
}
