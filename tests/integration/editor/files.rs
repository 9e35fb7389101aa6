//! Files that survive what goes wrong: no system file dialog, a crash with unsaved
//! work.

use super::*;

/// Dialogs that never open, as on a machine without a desktop portal or GTK.
struct Unavailable;

impl Dialogs for Unavailable {
    fn open(&mut self) -> Option<PathBuf> {
        None
    }
    fn save_as(&mut self, _suggested: &str) -> Option<PathBuf> {
        None
    }
    fn failed(&mut self) -> Option<String> {
        Some("The system's file dialog did not open.".into())
    }
}

#[test]
fn without_a_file_dialog_the_app_asks_for_the_path_itself() {
    let app = EventscapeApp::with_dialogs(
        Document::new(DEFAULT.model().unwrap(), None),
        Box::new(Unavailable),
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), app);
    h.run_steps(2);
    // Saving an untitled model: the dialog cannot open, so the app says why and
    // offers its own path field.
    menu(&mut h, "File", "Save As...");
    h.get_by_label("The system's file dialog did not open.");
    h.get_by_label("Type the file's path instead:");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("typed");
    let field = h.get_by_label("Path");
    field.click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Path")
        .type_text(&file.display().to_string());
    h.run_steps(1);
    click(&mut h, "Save");
    // Saved where typed, with the model's extension, and the field is gone.
    let saved = dir.path().join("typed.ron");
    assert!(saved.exists(), "saved to {}", saved.display());
    assert_eq!(load_file(&saved).unwrap(), *model(&h));
    assert_eq!(h.state().document().path.as_deref(), Some(saved.as_path()));
    assert!(h.query_by_label("Type the file's path instead:").is_none());
    // Open goes the same way; Cancel leaves everything as it was.
    menu(&mut h, "File", "Open...");
    h.get_by_label("Type the file's path instead:");
    click(&mut h, "Cancel");
    assert!(h.query_by_label("Type the file's path instead:").is_none());
    assert_eq!(h.state().document().path.as_deref(), Some(saved.as_path()));
}

#[test]
fn unsaved_work_survives_a_crash_and_is_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.ron");
    let start = || {
        let dialogs = Scripted::default();
        let app = EventscapeApp::with_dialogs(
            Document::new(DEFAULT.model().unwrap(), None),
            Box::new(dialogs.clone()),
        )
        .with_recovery(recovery.clone());
        let h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), app);
        (h, dialogs)
    };
    // An edit, not saved: it is written to the recovery file at once.
    let (mut h, _) = start();
    h.run_steps(2);
    assert!(!recovery.exists(), "nothing unsaved, nothing kept");
    h.state_mut().send(Command::AddService);
    h.run_steps(3);
    assert!(h.state().document().is_dirty());
    let edited = model(&h).clone();
    assert!(recovery.exists(), "the unsaved edit is kept");
    // The app dies without saving (nothing runs on the way out).
    drop(h);
    let (mut h, dialogs) = start();
    h.run_steps(2);
    h.get_by_label("Unsaved work was recovered");
    click(&mut h, "Restore");
    assert_eq!(model(&h), &edited, "the work is back");
    assert!(h.state().document().is_dirty(), "and still unsaved");
    // Saved: the recovery file goes.
    let file = dir.path().join("saved.ron");
    dialogs.answer(Some(file.clone()));
    menu(&mut h, "File", "Save As...");
    h.run_steps(2);
    assert!(file.exists());
    assert!(!recovery.exists(), "saved work needs no recovery");
    drop(h);
    // The next start asks nothing.
    let (mut h, _) = start();
    h.run_steps(2);
    assert!(h.query_by_label("Unsaved work was recovered").is_none());
    // Discard drops it for good.
    h.state_mut().send(Command::AddService);
    h.run_steps(3);
    drop(h);
    let (mut h, _) = start();
    h.run_steps(2);
    click(&mut h, "Discard");
    assert!(!recovery.exists());
    assert!(
        !h.state().document().is_dirty(),
        "the model the app opened, unchanged"
    );
    assert_eq!(
        model(&h).services.len(),
        DEFAULT.model().unwrap().services.len()
    );
}
