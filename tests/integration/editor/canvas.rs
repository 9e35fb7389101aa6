//! Editing on the canvas with the pointer: moving a box, connecting by Shift+drag, by
//! the context menu or with C and a click, selecting and deselecting.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::EventscapeApp;
use eventscape::model::{ElementKind, ElementRef, Model};

use super::{app_with, click, example, model};

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
pub(super) fn right_click(h: &mut Harness<'_, EventscapeApp>, at: egui::Pos2) {
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
