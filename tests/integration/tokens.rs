//! Tokens on arrows in the app: what an arrow says it carries is what the engine has
//! on its way on that hop, at every playback speed.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::diagram::EdgeKind;
use eventscape::examples;
use eventscape::model::{ElementKind, ElementRef};
use eventscape::sim::{Hop, SimTime};

fn app() -> Harness<'static, EventscapeApp> {
    let model = examples::find("choreography").unwrap().model().unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(model, None)),
        );
    h.run_steps(3);
    h
}

/// The tooltip of the arrow under the pointer, as the window shows it.
fn arrow_tooltip(h: &Harness<'_, EventscapeApp>) -> String {
    let node = h.get_by_label_contains("on its way; the oldest");
    let ak = node.accesskit_node();
    ak.label()
        .filter(|l| !l.is_empty())
        .or_else(|| ak.value())
        .unwrap_or_default()
}

/// Inventory is down from 3 min for 30 s: 20 s into it, the events its group has
/// not read wait on the arrow from `payments` into inventory. Hovering the arrow
/// names exactly the engine's count, and changing the speed of a paused run
/// changes nothing.
#[test]
fn the_arrow_into_a_crashed_consumer_carries_its_backlog() {
    let mut h = app();
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(200_000_000_000)));
    h.run_steps(4);
    let (arrow, expected) = {
        let app = h.state();
        let canvas = app.canvas();
        let inventory = canvas
            .arch
            .node(&ElementRef::new(ElementKind::Service, "inventory"))
            .unwrap();
        let arrow = canvas
            .arch
            .edges
            .iter()
            .position(|e| e.kind == EdgeKind::Consume && e.to == inventory)
            .unwrap();
        let sim = app.session().playback().unwrap().sim();
        let group = sim
            .plan()
            .groups
            .iter()
            .position(|g| sim.plan().services[g.service].name == "inventory")
            .unwrap();
        let count: u64 = sim
            .in_flight(5)
            .iter()
            .filter(|l| matches!(l.hop, Hop::Group(g) if g.index() == group))
            .map(|l| l.count)
            .sum();
        (arrow, count)
    };
    assert!(
        expected > 100,
        "a backlog builds while inventory is down: {expected}"
    );
    let path = h.state().canvas().arrow_path(arrow).unwrap();
    let (a, b) = (path[path.len() / 2 - 1], path[path.len() / 2]);
    h.hover_at(a + (b - a) * 0.5);
    h.run_steps(3);
    let text = arrow_tooltip(&h);
    assert!(
        text.contains(&format!("{expected} on its way")),
        "the tooltip says {text:?}, the engine {expected}"
    );
    for _ in 0..3 {
        h.key_press(Key::CloseBracket);
        h.run_steps(1);
    }
    h.run_steps(2);
    assert_eq!(arrow_tooltip(&h), text, "faster playback, same state");
}
