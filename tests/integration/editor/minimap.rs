//! The minimap: shown while part of the diagram is out of view; a click on it moves
//! the view there.

use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable;
use eventscape::model::{ElementKind, ElementRef};

use super::app_with;
use super::focus::pipelines;

#[test]
fn a_click_on_the_minimap_moves_the_view_there() {
    let (mut h, _) = app_with(pipelines(20, 10), None);
    h.run_steps(4);
    // Fitted: all of it in view, no minimap.
    assert!(h.query_by_label("Minimap").is_none());
    // Found and centred readably: most of the diagram is out of view.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("p0-s0".into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let first = ElementRef::new(ElementKind::Service, "p0-s0");
    let map = h.get_by_label("Minimap").rect();
    let middle = h.state().canvas().screen_rect().unwrap().center();
    assert!(
        (h.state().canvas().screen_pos(&first).unwrap() - middle).length() < 2.0,
        "centred before"
    );
    // A click at three quarters across and down the map: the view's middle is
    // that point of the diagram.
    let at = map.min + map.size() * 0.75;
    click_at(&mut h, at);
    let canvas = h.state().canvas();
    let moved = canvas.screen_pos(&first);
    assert!(
        moved.is_none_or(|p| (p - middle).length() > 500.0),
        "the first box left the middle: {moved:?}"
    );
    let bounds = canvas.diagram_bounds().unwrap();
    let want = bounds.min + bounds.size() * 0.75;
    let got = canvas.view_centre().unwrap();
    assert!(
        (got - want).length() < bounds.size().length() * 0.02,
        "the view's middle is {got:?}, not {want:?}"
    );
}

fn click_at(h: &mut egui_kittest::Harness<'_, eventscape::app::EventscapeApp>, at: Pos2) {
    h.hover_at(at);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(1);
    }
    h.run_steps(2);
}
