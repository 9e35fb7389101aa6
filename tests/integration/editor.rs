//! Editing flows in the app, driven through egui_kittest by the labels a user sees.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::{Command, Dialogs, Document, EventscapeApp};
use eventscape::examples::DEFAULT;
use eventscape::model::{ElementKind, ElementRef, Model, Trigger, load_file};

mod canvas;
mod context_map;
mod domains;
mod element_list;
mod files;
mod focus;
mod labels;
mod minimap;
mod placeholders;
mod window;
mod zoom;

/// File dialogs answered from a script: each call takes the next answer.
#[derive(Clone, Default)]
struct Scripted(Rc<RefCell<Vec<Option<PathBuf>>>>);

impl Scripted {
    fn answer(&self, path: Option<PathBuf>) {
        self.0.borrow_mut().push(path);
    }
}

impl Dialogs for Scripted {
    fn open(&mut self) -> Option<PathBuf> {
        self.0.borrow_mut().remove(0)
    }
    fn save_as(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.0.borrow_mut().remove(0)
    }
}

fn app_with(model: Model, path: Option<PathBuf>) -> (Harness<'static, EventscapeApp>, Scripted) {
    let dialogs = Scripted::default();
    let app = EventscapeApp::with_dialogs(Document::new(model, path), Box::new(dialogs.clone()));
    let harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), app);
    (harness, dialogs)
}

fn click(h: &mut Harness<'_, EventscapeApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// Click a widget that may be scrolled out of view: scroll to it first.
fn click_far(h: &mut Harness<'_, EventscapeApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run(); // the scroll is animated
    click(h, label);
}

/// Open a menu of the menu bar and click one of its items.
fn menu(h: &mut Harness<'_, EventscapeApp>, menu: &str, item: &str) {
    click(h, menu);
    // Menu items read "<label> <shortcut>".
    h.get_by_label_contains(item).click();
    h.run_steps(2);
}

/// Open a menu of the menu bar and one of its submenus (their buttons read "<label> ⏵").
fn submenu(h: &mut Harness<'_, EventscapeApp>, menu: &str, submenu: &str) {
    click(h, menu);
    h.get_by_label_contains(submenu).click();
    h.run_steps(2);
}

/// Type into the inspector field with this label and press Enter.
fn type_into(h: &mut Harness<'_, EventscapeApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
}

fn model<'a>(h: &'a Harness<'_, EventscapeApp>) -> &'a Model {
    &h.state().document().model
}

#[test]
fn create_a_model_add_connect_rename_undo_redo_save_and_reopen() {
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    menu(&mut h, "File", "New model");
    assert!(model(&h).services.is_empty(), "a new model is empty");

    // The palette adds a service and a topic.
    click(&mut h, "Service");
    click(&mut h, "Topic");
    assert_eq!(model(&h).services.len(), 1);
    assert_eq!(model(&h).topics.len(), 1);
    let service = model(&h).services[0].name.clone();
    let topic = model(&h).topics[0].name.clone();
    // The new topic is selected: connect it to the service in the inspector.
    assert_eq!(
        h.state().selection(),
        Some(&ElementRef::new(ElementKind::Topic, &topic))
    );
    click(&mut h, "Connect to");
    click(
        &mut h,
        &ElementRef::new(ElementKind::Service, &service).to_string(),
    );
    click(&mut h, "Connect");
    let consumes = |m: &Model, t: &str| {
        m.services[0]
            .handlers
            .iter()
            .any(|h| matches!(&h.on, Trigger::Event { topic, .. } if topic == t))
    };
    assert!(
        consumes(model(&h), &topic),
        "the service consumes the topic"
    );
    // The inspector lists the new arrow in words.
    h.get_by_label_contains(&format!("consume (group) to service \"{service}\""));

    // Rename the topic: the consumer follows.
    type_into(&mut h, "Name", "order-events");
    assert_eq!(model(&h).topics[0].name, "order-events");
    assert!(consumes(model(&h), "order-events"));
    assert!(!consumes(model(&h), &topic));
    assert!(h.state().document().window_title().starts_with('*'));

    // Undo brings the old name back everywhere; redo renames again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(model(&h).topics[0].name, topic);
    assert!(consumes(model(&h), &topic));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(model(&h).topics[0].name, "order-events");
    assert!(consumes(model(&h), "order-events"));

    // Save As to a temporary file, then reopen it: the same model.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drawn.ron");
    dialogs.answer(Some(file.clone()));
    menu(&mut h, "File", "Save As...");
    assert!(file.exists());
    assert!(!h.state().document().is_dirty());
    assert!(h.state().document().window_title().starts_with("drawn.ron"));
    let saved = model(&h).clone();
    assert_eq!(load_file(&file).unwrap(), saved);
    menu(&mut h, "File", "New model");
    assert_ne!(model(&h), &saved);
    dialogs.answer(Some(file.clone()));
    menu(&mut h, "File", "Open...");
    assert_eq!(model(&h), &saved);
    assert_eq!(h.state().document().path.as_deref(), Some(file.as_path()));
    assert!(
        h.state()
            .document()
            .window_title()
            .starts_with("drawn.ron — ")
    );
    assert_eq!(
        h.state().settings().recent.first(),
        Some(&std::fs::canonicalize(&file).unwrap())
    );
}

#[test]
fn a_malformed_file_shows_its_error_and_the_old_model_stays() {
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    let before = model(&h).clone();
    let bad = crate::root().join("tests/malformed/bad-duration-unit.ron");
    dialogs.answer(Some(bad));
    menu(&mut h, "File", "Open...");
    h.get_by_label("The file could not be opened");
    let text = h.get_by_label_contains("bad-duration-unit.ron:");
    let shown = format!("{text:?}");
    for part in [
        ":7:89",
        "10 sekunden",
        "here",
        "help: durations are strings",
    ] {
        assert!(
            shown.contains(part),
            "{part:?} missing from the error: {shown}"
        );
    }
    assert_eq!(model(&h), &before);
    click(&mut h, "OK");
    assert!(h.query_by_label("The file could not be opened").is_none());
}

#[test]
fn a_refused_value_is_explained_and_changes_nothing() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "payment — 2 × 4 workers");
    let before = model(&h).clone();
    type_into(&mut h, "Instances", "0");
    h.get_by_label_contains("Refused:");
    assert_eq!(model(&h), &before, "nothing clamped, nothing applied");
    type_into(&mut h, "Instances", "many");
    h.get_by_label_contains("is not a whole number");
    assert_eq!(model(&h), &before);
    type_into(&mut h, "Instances", "3");
    assert_eq!(
        model(&h)
            .services
            .iter()
            .find(|s| s.name == "payment")
            .unwrap()
            .instances,
        3
    );
}

#[test]
fn leaving_unsaved_changes_asks_first() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "Service");
    assert!(h.state().document().is_dirty());
    menu(&mut h, "File", "New model");
    h.get_by_label("Unsaved changes");
    click(&mut h, "Cancel");
    assert!(!model(&h).services.is_empty(), "cancel keeps the model");
    menu(&mut h, "File", "New model");
    click(&mut h, "Discard changes");
    assert!(model(&h).services.is_empty());
}

#[test]
fn delete_removes_the_element_and_its_arrows_and_undo_restores_them() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    let before = model(&h).clone();
    click(&mut h, "orders — 6 partitions");
    click(&mut h, "Delete topic");
    assert!(model(&h).topics.iter().all(|t| t.name != "orders"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(model(&h), &before);
}

#[test]
fn problems_update_as_you_edit_and_select_their_element() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    h.get_by_label("No problems");
    click(&mut h, "orders — 6 partitions");
    type_into(&mut h, "Retention", "0s");
    // Zero retention is refused as typed, so the model stays clean.
    h.get_by_label_contains("Refused:");
    h.get_by_label("No problems");
    // A new saga has no steps yet: a problem, which selects the saga when clicked.
    click(&mut h, "Saga");
    click(&mut h, "orders — 6 partitions");
    h.get_by_label_contains("Problems: 1 error");
    // (The toolbar quotes the first problem too: click the one in the list.)
    h.get_by_label("sagas[saga].steps: a saga needs at least one step")
        .click();
    h.run_steps(2);
    assert_eq!(
        h.state().selection(),
        Some(&ElementRef::new(ElementKind::Saga, "saga"))
    );
}

#[test]
fn the_command_palette_lists_every_command_with_its_shortcut_and_runs_one() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    h.get_by_label("Save As...");
    h.get_by_label("Auto layout");
    h.get_by_label("Ctrl+Shift+S");
    // Every command without data is listed, under its label.
    for c in Command::ALL {
        if *c != Command::CommandPalette {
            h.get_by_label(&c.label());
        }
    }
    h.get_by_label("Add topic").click();
    h.run_steps(2);
    assert_eq!(model(&h).topics.len(), 4);
}

#[test]
fn the_file_menu_opens_an_example_and_a_recent_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recent.ron");
    eventscape::model::save_file(&file, &example("order-choreography.ron")).unwrap();
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    // Opened once, the file is the first of the recent files.
    dialogs.answer(Some(file.clone()));
    menu(&mut h, "File", "Open...");
    assert_eq!(model(&h).name, "Order fulfilment (choreography)");
    let recent = std::fs::canonicalize(&file).unwrap();
    assert_eq!(h.state().settings().recent.first(), Some(&recent));

    // An example replaces it, with no file behind it.
    submenu(&mut h, "File", "Open example");
    click(&mut h, "cqrs");
    assert_eq!(model(&h).name, example("cqrs-event-sourcing.ron").name);
    assert_eq!(h.state().document().path, None);
    h.get_by_label("Opened the example cqrs");

    // The recent file comes back from its menu.
    submenu(&mut h, "File", "Open recent");
    click(&mut h, &recent.display().to_string());
    assert_eq!(model(&h).name, "Order fulfilment (choreography)");
    assert_eq!(h.state().document().path.as_deref(), Some(recent.as_path()));
}

fn example(file: &str) -> Model {
    eventscape::examples::ALL
        .iter()
        .find(|e| e.file == file)
        .unwrap()
        .model()
        .unwrap()
}

#[test]
fn escape_in_a_field_reverts_what_was_typed() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "payment — 2 × 4 workers");
    let before = model(&h).clone();
    h.get_by_label("Instances").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Instances").type_text("5");
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert_eq!(model(&h), &before);
    assert!(!h.state().document().is_dirty());
    assert_eq!(h.get_by_label("Instances").value().as_deref(), Some("2"));
}

#[test]
fn ctrl_z_while_typing_undoes_the_text_not_the_model() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "Service");
    let with_service = model(&h).clone();
    h.get_by_label("Instances").click();
    h.run_steps(1);
    h.get_by_label("Instances").type_text("7");
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(model(&h), &with_service, "the new service is still there");
}

#[test]
fn save_shortcut_while_typing_saves_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ron");
    eventscape::model::save_file(&file, &DEFAULT.model().unwrap()).unwrap();
    let (mut h, _) = app_with(load_file(&file).unwrap(), Some(file.clone()));
    h.run_steps(3);
    click(&mut h, "payment — 2 × 4 workers");
    h.get_by_label("Instances").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Instances").type_text("6");
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    let saved = load_file(&file).unwrap();
    let payment = saved.services.iter().find(|s| s.name == "payment").unwrap();
    assert_eq!(payment.instances, 6);
    assert!(!h.state().document().is_dirty());
}

#[test]
fn the_unsaved_changes_dialog_can_save_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ron");
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "Topic");
    let changed = model(&h).clone();
    menu(&mut h, "File", "New model");
    dialogs.answer(Some(file.clone()));
    click(&mut h, "Save");
    assert_eq!(load_file(&file).unwrap(), changed, "saved before leaving");
    assert!(model(&h).topics.is_empty(), "then the new model");
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    click(&mut h, "Topic");
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
    h.get_by_label("Unsaved changes");
    click(&mut h, "Cancel");
    assert!(h.state().document().is_dirty(), "still open, still unsaved");
}

#[test]
fn file_export_writes_the_chosen_format_in_the_background() {
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    menu(&mut h, "File", "Export...");
    // "Format" stands before its box, as a form reads, and names it.
    let boxed = h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Format");
    let row = boxed.rect().y_range();
    let name = h
        .query_all_by_value("Format")
        .find(|l| row.contains(l.rect().center().y))
        .expect("the name on the box's row");
    assert!(
        name.rect().max.x <= boxed.rect().min.x,
        "\"Format\" before its box"
    );
    h.get_by_label("Format").click();
    h.run_steps(2);
    click(&mut h, "Event catalogue (Markdown)");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.md");
    dialogs.answer(Some(file.clone()));
    click(&mut h, "Export to...");
    for _ in 0..200 {
        h.run_steps(1);
        if h.query_by_label_contains("Wrote ").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("Wrote ");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, eventscape::export::catalogue(model(&h)));
}

#[test]
fn the_saga_inspector_sets_its_timeout_and_late_success_policies() {
    use eventscape::model::{OnLateSuccess, OnTimeout};
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    // The sagas are at the end of the element list, below the fold.
    let entry = "checkout — run by checkout, started by OrderPlaced";
    click_far(&mut h, entry);
    assert_eq!(
        h.state().selection(),
        Some(&ElementRef::new(ElementKind::Saga, "checkout"))
    );
    let saga = |h: &Harness<'_, EventscapeApp>| model(h).sagas[0].clone();
    assert_eq!(saga(&h).on_late_success, OnLateSuccess::Ignore);
    // Each policy is a combo box named by its label; open it and pick the other one.
    click_far(&mut h, "A success reply after the saga stopped waiting");
    click(&mut h, "Compensate");
    assert_eq!(saga(&h).on_late_success, OnLateSuccess::Compensate);
    assert_eq!(saga(&h).on_timeout, OnTimeout::GiveUp);
    click_far(&mut h, "When a step times out");
    click(&mut h, "Compensate");
    assert_eq!(saga(&h).on_timeout, OnTimeout::Compensate);
    // Each choice is one undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(saga(&h).on_timeout, OnTimeout::GiveUp);
    assert_eq!(saga(&h).on_late_success, OnLateSuccess::Compensate);
}
