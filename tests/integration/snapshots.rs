//! Image snapshots of the canvas at a pinned layout, rendered with wgpu on the
//! software Vulkan driver (lavapipe). The reference images are in
//! `tests/snapshots/`; after an intended change of the drawing, accept the new ones
//! with `UPDATE_SNAPSHOTS=1 cargo test --test integration snapshots`.

use egui_kittest::{Harness, SnapshotOptions};
use eventscape::app::{Canvas, Document};
use eventscape::model::{ElementKind, ElementRef, Model, parse};

fn snapshot(name: &str, model: Model, selected: Option<ElementRef>) {
    let doc = Document::new(model, None);
    let mut canvas = Canvas::new(&doc.model);
    let mut h = Harness::builder()
        .with_size(egui::vec2(720.0, 360.0))
        .wgpu()
        .build_ui(move |ui| {
            canvas.ui(ui, &doc, selected.as_ref(), None, None);
        });
    h.run_steps(3);
    // Anti-aliasing may differ by a shade between driver versions; a changed shape,
    // colour or label changes far more pixels than this allows.
    h.snapshot_options(
        name,
        &SnapshotOptions::new().threshold(2.0).max_failed_pixels(60),
    );
}

/// One box of every kind and one arrow of every kind, at fixed places.
fn every_kind() -> Model {
    parse(
        r#"Model(name: "every kind",
    events: [
        Event(name: "Placed"), Event(name: "Changed", style: DomainEvent),
        Event(name: "Note", style: Notification),
    ],
    topics: [
        Topic(name: "orders", partitions: 4, pos: (200.0, 0.0)),
        Topic(name: "notes", pos: (620.0, 200.0)),
        Topic(name: "dlq", pos: (620.0, 0.0)),
    ],
    services: [
        Service(name: "orchestrator", pos: (200.0, 200.0)),
        Service(name: "worker", instances: 2, concurrency: 4, pos: (620.0, 100.0), handlers: [
            Handler(on: Command("Do"), latency: Constant("1ms"), emit: [Reply("Done")]),
            Handler(on: Command("Undo"), latency: Constant("1ms")),
            Handler(on: Event(event: "Placed", topic: "orders"), latency: Constant("1ms"),
                    emit: [Append(event: "Changed", store: "events"), Publish(event: "Note", topic: "notes")],
                    dead_letter: "dlq"),
        ]),
        Service(name: "reader", pos: (820.0, 200.0), handlers: [
            Handler(on: Event(event: "Note", topic: "notes"), latency: Constant("1ms"),
                    callback: Callback(service: "worker", query: "Get")),
        ]),
    ],
    sagas: [Saga(name: "flow", orchestrator: "orchestrator", pos: (410.0, 100.0),
        trigger: Event(event: "Placed", topic: "orders"),
        steps: [Step(name: "do", service: "worker", command: "Do", success: "Done", compensate: "Undo")])],
    stores: [EventStore(name: "events", aggregate: "Order", pos: (820.0, 0.0))],
    projections: [Projection(name: "view", store: "events", update: Constant("1ms"), pos: (820.0, 100.0))],
    sources: [Source(name: "shop", emit: Publish(event: "Placed", topic: "orders"),
                     rate: Poisson(per_sec: 5.0), pos: (0.0, 0.0))],
)"#,
    )
    .unwrap()
}

#[test]
fn every_kind_of_box_and_arrow() {
    snapshot("canvas_every_kind", every_kind(), None);
}

#[test]
fn a_selected_saga_shows_its_replies_and_compensations() {
    snapshot(
        "canvas_saga_selected",
        every_kind(),
        Some(ElementRef::new(ElementKind::Saga, "flow")),
    );
}

#[test]
fn the_saga_example_laid_out() {
    snapshot(
        "canvas_saga_example",
        eventscape::examples::DEFAULT.model().unwrap(),
        None,
    );
}

/// The run's marks where they meet on one box: the built-in example at 195 s, its
/// inventory service down with a full queue. The heat badge ("13% · q 1000", dark
/// figures on the light green) is drawn over the fault's red frame and the arrows'
/// tokens, the finding's marker on its corner, and the box's name is not struck out.
#[test]
fn a_crashed_service_keeps_its_name_and_figures_readable() {
    use eventscape::app::Command;
    use eventscape::sim::SimTime;
    let mut h = crate::rendered_window(eventscape::examples::DEFAULT.model().unwrap());
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(195_000_000_000)));
    h.run_steps(5);
    h.snapshot_options(
        "sim_crashed_service_marks",
        &SnapshotOptions::new().threshold(2.0).max_failed_pixels(200),
    );
}
