//! The desktop app, driven through egui_kittest by what a user sees.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::{CommandQueue, Document, overview_ui};
use eventscape::examples::DEFAULT;
use eventscape::model::parse;

#[test]
fn the_window_shows_the_model_name_and_its_elements() {
    let doc = Document::new(DEFAULT.model().unwrap(), None);
    // Tall enough for every row: the list draws only the rows in view.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(600.0, 1600.0))
        .build_ui(move |ui| {
            overview_ui(ui, &doc, None, &mut CommandQueue::default());
        });
    harness.run_steps(2);
    harness.get_by_label("Order fulfilment (saga)");
    harness.get_by_label("not saved yet");
    harness.get_by_label("Services (5)");
    harness.get_by_label("inventory — 2 × 4 workers");
    harness.get_by_label("Topics (3)");
    harness.get_by_label("orders — 6 partitions");
    harness.get_by_label("payment-dlq — 1 partition");
    harness.get_by_label("crash of \"inventory\" at 3m for 30s");
    harness.get_by_label("p99 end-to-end latency of \"web shop\" under 2s");
    harness.get_by_label("1. reserve: ReserveStock to inventory, undone by ReleaseStock");
    // An event's style in words, as the exports write it.
    harness.get_by_label("OrderPlaced v2 — Event-carried state transfer (fat), 900 bytes");
}

#[test]
fn problems_are_listed() {
    let model =
        parse(r#"Model(name: "broken", topics: [Topic(name: "t", partitions: 0)])"#).unwrap();
    let doc = Document::new(model, Some("broken.ron".into()));
    assert_eq!(doc.window_title(), "broken.ron — broken — Eventscape");
    let mut app = eventscape::app::EventscapeApp::new(doc);
    let mut harness = Harness::new_ui(move |ui| app.window_ui(ui));
    harness.run_steps(2);
    harness.get_by_label("Problems: 1 error, 0 warnings");
    harness.get_by_label("topics[t].partitions: a topic needs at least 1 partition");
}

#[test]
fn the_window_draws_the_diagram_beside_the_list() {
    let mut app =
        eventscape::app::EventscapeApp::new(Document::new(DEFAULT.model().unwrap(), None));
    let mut harness = Harness::new_ui(move |ui| app.window_ui(ui));
    // The window settles: with nothing moving, no frame asks for another (the idle
    // fix in vendor/egui_graphs), so it can be run to rest.
    harness.run();
    harness.get_by_label("Order fulfilment (saga)");
    harness.get_by_label("No problems");
    // The legend starts folded; a click shows what each box means.
    harness.get_by_label("Legend").click();
    harness.run();
    harness.get_by_label("event store");
}

#[test]
fn boxes_on_top_of_each_other_are_laid_out_instead_of_drawn_as_a_point() {
    let mut model = DEFAULT.model().unwrap();
    for s in &mut model.services {
        s.pos = Some(eventscape::model::Pos { x: 10.0, y: 10.0 });
    }
    for t in &mut model.topics {
        t.pos = Some(eventscape::model::Pos { x: 10.0, y: 10.0 });
    }
    let canvas = eventscape::app::Canvas::new(&model);
    let mut points: Vec<(i64, i64)> = canvas
        .arch
        .nodes
        .iter()
        .map(|n| n.pos.unwrap())
        .map(|p| (p.x as i64, p.y as i64))
        .collect();
    points.sort_unstable();
    points.dedup();
    assert_eq!(points.len(), canvas.arch.nodes.len());
    let mut app = eventscape::app::EventscapeApp::new(Document::new(model, None));
    let mut harness = Harness::new_ui(move |ui| app.window_ui(ui));
    harness.run_steps(3);
}

#[test]
fn a_file_given_at_start_is_opened_in_the_window_or_its_error_shown_there() {
    use eventscape::app::{EventscapeApp, Settings};
    let dir = tempfile::tempdir().unwrap();
    let start = |file: &std::path::Path| {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                |ui, app: &mut EventscapeApp| app.window_ui(ui),
                EventscapeApp::starting(
                    Document::new(DEFAULT.model().unwrap(), None),
                    Settings::default(),
                    Some(file),
                ),
            );
        h.run_steps(3);
        h
    };
    // A good file: opened, and in Open recent.
    let good = dir.path().join("good.ron");
    std::fs::write(&good, DEFAULT.text).unwrap();
    let h = start(&good);
    assert_eq!(h.state().document().path.as_deref(), Some(good.as_path()));
    assert_eq!(
        h.state().settings().recent.first(),
        Some(&std::fs::canonicalize(&good).unwrap())
    );
    // A broken one: the window opens on the built-in example and shows the error with
    // its offending line, as File > Open does.
    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "Model(\n    name: \"x\",\n    services: [oops],\n)\n",
    )
    .unwrap();
    let h = start(&broken);
    h.get_by_label("The file could not be opened");
    let error = h.state().load_error().expect("the error is shown");
    assert!(error.contains("services: [oops]"), "{error}");
    assert_eq!(h.state().document().path, None);
    assert_eq!(
        h.state().document().model.name,
        DEFAULT.model().unwrap().name
    );
}
