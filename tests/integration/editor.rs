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
    h.query_all_by_label_contains("sagas[saga]")
        .next()
        .expect("a problem about the new saga")
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

fn pos_of(m: &Model, service: &str) -> (f32, f32) {
    let p = m
        .services
        .iter()
        .find(|s| s.name == service)
        .unwrap()
        .pos
        .unwrap();
    (p.x, p.y)
}

/// Press at `from`, move in steps, release at `to`.
fn drag(h: &mut Harness<'_, EventscapeApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(3);
}

#[test]
fn dragging_a_box_moves_it_and_is_one_undo_step() {
    let (mut h, _) = app_with(example("order-choreography.ron"), None);
    h.run_steps(4);
    let payment = ElementRef::new(ElementKind::Service, "payment");
    let before = model(&h).clone();
    let (x0, y0) = pos_of(&before, "payment");
    let start = h.state().canvas().screen_pos(&payment).unwrap();
    let zoom = h.state().canvas().zoom().unwrap();
    drag(&mut h, start, start + egui::vec2(60.0, 30.0));
    let (x1, y1) = pos_of(model(&h), "payment");
    assert!(
        ((x1 - x0) * zoom - 60.0).abs() < 2.0 && ((y1 - y0) * zoom - 30.0).abs() < 2.0,
        "moved from ({x0}, {y0}) to ({x1}, {y1}) at zoom {zoom}"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(model(&h), &before, "one undo puts the box back");
}

#[test]
fn shift_dragging_from_one_box_to_another_connects_them() {
    let m = eventscape::model::parse(
        r#"Model(name: "two",
            events: [Event(name: "Ping")],
            topics: [Topic(name: "in", pos: (0.0, 0.0)), Topic(name: "out", pos: (500.0, 0.0))],
            services: [Service(name: "relay", pos: (250.0, 0.0), handlers: [
                Handler(on: Event(event: "Ping", topic: "in"), latency: Constant("1ms")),
            ])],
        )"#,
    )
    .unwrap();
    let (mut h, _) = app_with(m, None);
    h.run_steps(4);
    let relay = h
        .state()
        .canvas()
        .screen_pos(&ElementRef::new(ElementKind::Service, "relay"))
        .unwrap();
    let out = h
        .state()
        .canvas()
        .screen_pos(&ElementRef::new(ElementKind::Topic, "out"))
        .unwrap();
    h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    drag(&mut h, relay, out);
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    h.run_steps(1);
    let emits = &model(&h).services[0].handlers[0].emit;
    assert!(
        emits.iter().any(
            |a| matches!(a, eventscape::model::Action::Publish { topic, .. } if topic == "out")
        ),
        "relay publishes to out: {emits:?}"
    );
    // The box did not move.
    assert_eq!(pos_of(model(&h), "relay"), (250.0, 0.0));
}

/// Right-click at a point of the screen.
fn right_click(h: &mut Harness<'_, EventscapeApp>, at: egui::Pos2) {
    h.hover_at(at);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(1);
    }
    h.run_steps(1);
}

fn arrows_from(m: &Model, el: &ElementRef) -> usize {
    let g = eventscape::diagram::arch_graph(m);
    let me = g.node(el).unwrap();
    g.edges.iter().filter(|e| e.from == me).count()
}

#[test]
fn the_context_menu_of_a_box_connects_and_deletes_it() {
    let (mut h, _) = app_with(example("order-choreography.ron"), None);
    h.run_steps(4);
    let shipping = ElementRef::new(ElementKind::Service, "shipping");
    let target = eventscape::model::edit::connect_targets(model(&h), &shipping)
        .into_iter()
        .next()
        .expect("shipping can connect somewhere");
    let before = arrows_from(model(&h), &shipping);
    let at = h.state().canvas().screen_pos(&shipping).unwrap();
    right_click(&mut h, at);
    h.get_by_label_contains(&shipping.to_string());
    // The submenu button reads "Connect to" and an arrow.
    h.query_all_by_label_contains("Connect to")
        .next()
        .expect("the context menu is open")
        .click();
    h.run_steps(2);
    click(&mut h, &target.to_string());
    assert_eq!(
        arrows_from(model(&h), &shipping),
        before + 1,
        "connected to {target}"
    );

    let at = h.state().canvas().screen_pos(&shipping).unwrap();
    right_click(&mut h, at);
    h.get_by_label_contains("Delete").click();
    h.run_steps(2);
    assert!(model(&h).services.iter().all(|s| s.name != "shipping"));
}

#[test]
fn c_then_a_click_connects_the_selected_box() {
    let (mut h, _) = app_with(example("order-choreography.ron"), None);
    h.run_steps(4);
    let shipping = ElementRef::new(ElementKind::Service, "shipping");
    let target = eventscape::model::edit::connect_targets(model(&h), &shipping)
        .into_iter()
        .next()
        .unwrap();
    let before = arrows_from(model(&h), &shipping);
    click(&mut h, "shipping — 2 × 2 workers");
    h.key_press(Key::C);
    h.run_steps(2);
    h.get_by_label_contains("Click the element to connect");
    let at = h.state().canvas().screen_pos(&target).unwrap();
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(3);
    assert_eq!(
        arrows_from(model(&h), &shipping),
        before + 1,
        "connected to {target}"
    );
}

#[test]
fn clicking_a_box_off_centre_selects_it_without_moving_it() {
    let (mut h, _) = app_with(example("order-choreography.ron"), None);
    h.run_steps(4);
    let before = model(&h).clone();
    let payment = ElementRef::new(ElementKind::Service, "payment");
    let zoom = h.state().canvas().zoom().unwrap();
    let at =
        h.state().canvas().screen_pos(&payment).unwrap() + egui::vec2(50.0 * zoom, 15.0 * zoom);
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some(&payment));
    assert_eq!(model(&h), &before);
    assert!(!h.state().document().is_dirty());
}

#[test]
fn clicking_the_background_clears_the_selection() {
    let (mut h, _) = app_with(example("order-choreography.ron"), None);
    h.run_steps(4);
    click(&mut h, "payment — 3 × 4 workers");
    assert!(h.state().selection().is_some());
    // Below every box of the diagram.
    let shipping = h
        .state()
        .canvas()
        .screen_pos(&ElementRef::new(ElementKind::Service, "shipping"))
        .unwrap();
    let empty = shipping + egui::vec2(0.0, 120.0);
    h.hover_at(empty);
    h.run_steps(1);
    h.drag_at(empty);
    h.run_steps(1);
    h.drop_at(empty);
    h.run_steps(3);
    assert_eq!(h.state().selection(), None);
    h.get_by_label("Model name");
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
