//! Zooming the canvas: Ctrl+= / Ctrl+- by a fixed step within bounds, a Ctrl+wheel
//! notch by about 10%, about the pointer.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use eventscape::app::{Canvas, EventscapeApp};
use eventscape::examples::DEFAULT;

use super::{app_with, menu};

fn zoom(h: &Harness<'_, EventscapeApp>) -> f32 {
    h.state().canvas().zoom().unwrap()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-3 * b.abs()
}

#[test]
fn ctrl_plus_and_minus_zoom_by_the_step_within_the_bounds() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    let fitted = zoom(&h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run_steps(2);
    let z1 = zoom(&h);
    assert!(close(z1, fitted * Canvas::KEY_STEP), "{fitted} → {z1}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run_steps(2);
    let z2 = zoom(&h);
    assert!(close(z2, z1 * Canvas::KEY_STEP), "{z1} → {z2}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run_steps(2);
    assert!(close(zoom(&h), z1), "back to {z1}: {}", zoom(&h));
    // The View menu does the same.
    menu(&mut h, "View", "Zoom out");
    assert!(close(zoom(&h), fitted), "back to {fitted}: {}", zoom(&h));

    let (min, max) = Canvas::ZOOM_RANGE;
    for _ in 0..40 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        h.run_steps(1);
    }
    h.run_steps(1);
    assert_eq!(zoom(&h), max, "no closer than the bound");
    for _ in 0..60 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        h.run_steps(1);
    }
    h.run_steps(1);
    assert_eq!(zoom(&h), min, "no farther than the bound");
}

#[test]
fn one_ctrl_wheel_notch_zooms_by_about_ten_percent_about_the_pointer() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    let before = zoom(&h);
    let area = h.state().canvas().screen_rect().unwrap();
    let at = area.center() + egui::vec2(80.0, 40.0);
    h.hover_at(at);
    h.run_steps(2);
    let screen_to_canvas = |h: &Harness<'_, EventscapeApp>| {
        let c = h.state().canvas();
        let z = c.zoom().unwrap();
        // Any box's screen position and its canvas position give the transform.
        let el =
            eventscape::model::ElementRef::new(eventscape::model::ElementKind::Service, "payment");
        let s = c.screen_pos(&el).unwrap();
        let m = &h.state().document().model;
        let p = m
            .services
            .iter()
            .find(|x| x.name == "payment")
            .unwrap()
            .pos
            .unwrap();
        egui::pos2(p.x, p.y) + (at - s) / z
    };
    let under = screen_to_canvas(&h);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 1.0),
        phase: egui::TouchPhase::Move,
        modifiers: Modifiers::COMMAND,
    });
    // egui spreads a notch over a few frames.
    h.run_steps(40);
    let after = zoom(&h);
    let ratio = after / before;
    assert!(
        (ratio - Canvas::NOTCH_STEP).abs() < 0.01,
        "one notch: {before} → {after} (×{ratio})"
    );
    let still = screen_to_canvas(&h);
    assert!(
        (still - under).length() < 1.0,
        "the point under the pointer stays: {under:?} → {still:?}"
    );
}

#[test]
fn ctrl_zero_fits_the_diagram_and_leaves_the_interface_size_alone() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    let fitted = zoom(&h);
    let ui_zoom = h.ctx.zoom_factor();
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        h.run_steps(1);
    }
    h.run_steps(2);
    assert!(zoom(&h) > fitted * 1.5, "zoomed in: {}", zoom(&h));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(6);
    assert!(
        close(zoom(&h), fitted),
        "fitted again: {fitted} vs {}",
        zoom(&h)
    );
    assert_eq!(h.ctx.zoom_factor(), ui_zoom, "egui's own zoom untouched");
    assert!(
        !h.ctx.options(|o| o.zoom_with_keyboard),
        "egui's keyboard zoom is off, so it cannot take Ctrl+0 or Ctrl+="
    );
}
