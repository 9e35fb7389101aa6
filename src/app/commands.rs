//! Everything the app can do, as commands: each has a label, maybe a shortcut, and
//! appears in the menus and the command palette (Ctrl+K).

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::ElementKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    New,
    Open,
    Save,
    SaveAs,
    Export,
    Quit,
    Undo,
    Redo,
    Delete,
    Connect,
    Add(ElementKind),
    FitView,
    AutoLayout,
    ToggleTheme,
    CommandPalette,
    PlayPause,
    StepForward,
    StepBack,
    ResetRun,
    Faster,
    Slower,
}

/// Kinds of element the palette adds, in its order.
pub const ADDABLE: [ElementKind; 7] = [
    ElementKind::Service,
    ElementKind::Topic,
    ElementKind::Saga,
    ElementKind::Store,
    ElementKind::Projection,
    ElementKind::Source,
    ElementKind::Event,
];

impl Command {
    /// Every command, in the order the palette lists them.
    pub fn all() -> Vec<Command> {
        let mut all = vec![
            Command::New,
            Command::Open,
            Command::Save,
            Command::SaveAs,
            Command::Export,
            Command::Undo,
            Command::Redo,
            Command::Delete,
            Command::Connect,
        ];
        all.extend(ADDABLE.iter().map(|&k| Command::Add(k)));
        all.extend([
            Command::FitView,
            Command::AutoLayout,
            Command::ToggleTheme,
            Command::PlayPause,
            Command::StepForward,
            Command::StepBack,
            Command::ResetRun,
            Command::Faster,
            Command::Slower,
            Command::CommandPalette,
            Command::Quit,
        ]);
        all
    }

    pub fn label(self) -> String {
        match self {
            Command::New => "New model".into(),
            Command::Open => "Open...".into(),
            Command::Save => "Save".into(),
            Command::SaveAs => "Save As...".into(),
            Command::Export => "Export...".into(),
            Command::Quit => "Quit".into(),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Delete => "Delete selected".into(),
            Command::Connect => "Connect selected to...".into(),
            Command::Add(kind) => format!("Add {}", add_word(kind)),
            Command::FitView => "Fit to view".into(),
            Command::AutoLayout => "Auto layout".into(),
            Command::ToggleTheme => "Toggle dark/light theme".into(),
            Command::CommandPalette => "Command palette".into(),
            Command::PlayPause => "Play / pause the simulation".into(),
            Command::StepForward => "Step one event".into(),
            Command::StepBack => "Step back one event".into(),
            Command::ResetRun => "Reset the simulation".into(),
            Command::Faster => "Simulate faster".into(),
            Command::Slower => "Simulate slower".into(),
        }
    }

    /// The shortcuts, the one shown first. Single keys without a modifier only act
    /// when no text field has the keyboard.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let cmd = |k| KeyboardShortcut::new(Modifiers::COMMAND, k);
        let cmd_shift = |k| KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, k);
        let key = |k| KeyboardShortcut::new(Modifiers::NONE, k);
        match self {
            Command::New => vec![cmd(Key::N)],
            Command::Open => vec![cmd(Key::O)],
            Command::Save => vec![cmd(Key::S)],
            Command::SaveAs => vec![cmd_shift(Key::S)],
            Command::Export => vec![cmd(Key::E)],
            Command::Quit => vec![cmd(Key::Q)],
            Command::Undo => vec![cmd(Key::Z)],
            Command::Redo => vec![cmd_shift(Key::Z), cmd(Key::Y)],
            Command::Delete => vec![key(Key::Delete)],
            Command::Connect => vec![key(Key::C)],
            Command::Add(kind) => vec![key(add_key(kind))],
            Command::FitView => vec![key(Key::F)],
            Command::AutoLayout => vec![cmd(Key::L)],
            Command::ToggleTheme => vec![cmd_shift(Key::T)],
            Command::CommandPalette => vec![cmd(Key::K)],
            Command::PlayPause => vec![key(Key::Space)],
            Command::StepForward => vec![key(Key::ArrowRight)],
            Command::StepBack => vec![key(Key::ArrowLeft)],
            Command::ResetRun => vec![cmd(Key::R)],
            Command::Faster => vec![key(Key::CloseBracket)],
            Command::Slower => vec![key(Key::OpenBracket)],
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.shortcuts().into_iter().next()
    }
}

/// How the palette names a kind: "service", "topic", "saga", "event store"…
pub fn add_word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Event => "event type",
        ElementKind::Source => "workload source",
        other => other.label(),
    }
}

fn add_key(kind: ElementKind) -> Key {
    match kind {
        ElementKind::Service => Key::S,
        ElementKind::Topic => Key::T,
        ElementKind::Saga => Key::G,
        ElementKind::Store => Key::E,
        ElementKind::Projection => Key::P,
        ElementKind::Source => Key::W,
        ElementKind::Event => Key::V,
    }
}

/// Shortcuts in the order to test them: more modifiers first, so Ctrl+Shift+Z is
/// not taken for Ctrl+Z.
pub fn shortcut_table() -> Vec<(KeyboardShortcut, Command)> {
    let mut table: Vec<_> = Command::all()
        .into_iter()
        .flat_map(|c| c.shortcuts().into_iter().map(move |s| (s, c)))
        .collect();
    table.sort_by_key(|(s, _)| {
        std::cmp::Reverse(
            s.modifiers.shift as u8 + s.modifiers.command as u8 + s.modifiers.alt as u8,
        )
    });
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let table = shortcut_table();
        for (i, (a, ca)) in table.iter().enumerate() {
            for (b, cb) in &table[i + 1..] {
                assert!(a != b, "{ca:?} and {cb:?} share a shortcut");
            }
        }
    }

    #[test]
    fn longer_shortcuts_are_tried_first() {
        let table = shortcut_table();
        let redo = table.iter().position(|(_, c)| *c == Command::Redo).unwrap();
        let undo = table.iter().position(|(_, c)| *c == Command::Undo).unwrap();
        assert!(redo < undo);
    }
}
