//! The directly-follows graph window: opened fitted, refitted, zoomed and panned as the
//! canvas is (Ctrl+wheel zooms, the wheel pans), every box named with its count in a
//! tooltip.

use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::examples::DEFAULT;
use eventscape::sim::SimTime;

/// The built-in example a few seconds in, its process mined and its graph shown.
fn graph_open() -> Harness<'static, EventscapeApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(DEFAULT.model().unwrap(), None)),
        );
    h.run_steps(3);
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(5_000_000_000)));
    h.run_steps(3);
    h.get_by_label("Emergent process").click();
    h.run_steps(3);
    h.get_by_label("Show the directly-follows graph").click();
    h.run_steps(4);
    h
}

/// Where the box of the activity `name` is on the screen (it names itself with its
/// count for the accessibility tree).
fn activity_rect(h: &Harness<'_, EventscapeApp>, name: &str) -> egui::Rect {
    h.get_by_label_contains(&format!("{name} ×"));
    h.state().sim_views().dfg_box(name).expect("drawn")
}

#[test]
fn the_graph_opens_fitted_names_its_boxes_and_can_be_refitted() {
    let mut h = graph_open();
    h.get_by_label_contains("Ctrl+scroll or pinch to zoom, scroll or drag to pan");
    let window = h
        .get_by_label("Emergent process: directly-follows graph")
        .rect();
    let first = activity_rect(&h, "OrderPlaced @ checkout");
    assert!(
        window.contains_rect(first),
        "fitted: the first box {first:?} is inside the window {window:?}"
    );
    // Hovering a box names it and says how often it happened.
    h.hover_at(first.center());
    h.run_steps(3);
    let tip = h.get_by_label_contains("happened ");
    let text = tip
        .accesskit_node()
        .label()
        .or(tip.accesskit_node().value());
    assert!(
        text.as_deref()
            .is_some_and(|t| t.starts_with("OrderPlaced @ checkout")),
        "the tooltip names the activity: {text:?}"
    );
    h.get_by_label("Fit").click();
    h.run_steps(4);
    assert_eq!(
        activity_rect(&h, "OrderPlaced @ checkout"),
        first,
        "Fit puts it back"
    );
}

fn wheel(h: &mut Harness<'_, EventscapeApp>, at: egui::Pos2, modifiers: Modifiers) {
    h.hover_at(at);
    h.run_steps(1);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, -2.0),
        phase: egui::TouchPhase::Move,
        modifiers,
    });
    h.run_steps(40);
}

#[test]
fn ctrl_wheel_zooms_the_graph_and_the_wheel_pans_it_as_on_the_canvas() {
    let mut h = graph_open();
    let before = activity_rect(&h, "OrderPlaced @ checkout");
    let window = h
        .get_by_label("Emergent process: directly-follows graph")
        .rect();
    let at = window.center();
    wheel(&mut h, at, Modifiers::NONE);
    let panned = activity_rect(&h, "OrderPlaced @ checkout");
    assert!(
        (panned.size() - before.size()).length() < 0.5,
        "the wheel does not zoom: {before:?} → {panned:?}"
    );
    assert!(
        (panned.center() - before.center()).length() > 5.0,
        "the wheel pans: {before:?} → {panned:?}"
    );
    wheel(&mut h, at, Modifiers::COMMAND);
    let zoomed = activity_rect(&h, "OrderPlaced @ checkout");
    assert!(
        (zoomed.width() - panned.width()).abs() > 2.0,
        "Ctrl+wheel zooms: {panned:?} → {zoomed:?}"
    );
}
