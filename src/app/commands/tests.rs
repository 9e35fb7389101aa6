use super::*;
use crate::app::palette;

// `Command::ALL` cannot miss a parameterless command: the `commands!` declaration
// makes the enum and the list from the same lines. These tests check that every one
// of them is reachable by name and by key.

#[test]
fn every_parameterless_command_is_in_the_palette() {
    let listed = palette::matches("");
    for c in Command::ALL {
        if *c == Command::CommandPalette {
            assert!(!listed.contains(c), "the palette does not list itself");
        } else {
            assert!(listed.contains(c), "{c:?} is missing from the palette");
        }
    }
    // And one entry per built-in example.
    assert_eq!(
        listed.len(),
        Command::ALL.len() - 1 + crate::examples::ALL.len()
    );
}

#[test]
fn every_parameterless_command_has_a_shortcut_unless_exempt() {
    let table = shortcut_table();
    for c in Command::ALL {
        let keyed = table.iter().any(|(_, t)| t == c);
        if NO_SHORTCUT.contains(c) {
            assert!(!keyed, "{c:?} is exempt but has a shortcut");
        } else {
            assert!(keyed, "{c:?} is missing from the shortcut table");
        }
    }
    for c in NO_SHORTCUT {
        assert!(Command::ALL.contains(c), "{c:?} is not a palette command");
    }
}

#[test]
fn commands_in_all_carry_no_data_and_have_distinct_labels() {
    let labels: Vec<String> = Command::ALL.iter().map(Command::label).collect();
    for (i, c) in Command::ALL.iter().enumerate() {
        assert!(!format!("{c:?}").contains('('), "{c:?} carries data");
        assert!(
            !labels[i + 1..].contains(&labels[i]),
            "two commands are called {:?}",
            labels[i]
        );
    }
    for k in ADDABLE {
        assert_eq!(Command::add(k).added_kind(), Some(k));
    }
}

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

#[test]
fn hover_texts_come_from_the_shortcut_table() {
    let ctx = Context::default();
    let right = ctx.format_shortcut(&KeyboardShortcut::new(Modifiers::NONE, Key::ArrowRight));
    assert_eq!(
        Command::StepForward.hover_text(&ctx),
        format!("Step one event ({right})")
    );
    assert_eq!(
        Command::PlayPause.hover_text(&ctx),
        "Play / pause the simulation (Space)"
    );
    assert_eq!(
        Command::SaveAs.hover_text(&ctx),
        format!(
            "Save As... ({})",
            ctx.format_shortcut(&Command::SaveAs.shortcut().unwrap())
        )
    );
    assert_eq!(
        Command::CancelRun.hover_text(&ctx),
        "Cancel the run in the background"
    );
}
