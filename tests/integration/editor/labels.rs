//! Text on the canvas is never drawn under 11 points: at the fitted zoom of the saga
//! example, every label is either that size or more, or hidden and shown on hover.

use egui::epaint::Shape;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::EventscapeApp;
use eventscape::model::{ElementKind, ElementRef};

use super::{app_with, example};

/// Every text the canvas painted this frame, with its smallest font size.
fn canvas_texts(h: &Harness<'_, EventscapeApp>) -> Vec<(String, f32)> {
    let area = h.state().canvas().screen_rect().unwrap().expand(1.0);
    fn walk(shape: &Shape, out: &mut Vec<(String, f32)>) {
        match shape {
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, out)),
            Shape::Text(t) => {
                let size = t
                    .galley
                    .job
                    .sections
                    .iter()
                    .map(|s| s.format.font_id.size)
                    .fold(f32::INFINITY, f32::min);
                out.push((t.galley.text().to_owned(), size));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        if area.contains_rect(clipped.clip_rect) {
            walk(&clipped.shape, &mut out);
        }
    }
    out
}

fn count(h: &Harness<'_, EventscapeApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

#[test]
fn at_the_fitted_zoom_of_the_saga_no_canvas_text_is_under_eleven_points() {
    let (mut h, _) = app_with(example("order-saga.ron"), None);
    h.run_steps(4);
    let zoom = h.state().canvas().zoom().unwrap();
    assert!(
        zoom < 1.0,
        "the saga is fitted below 1:1 at 1280×800 ({zoom})"
    );
    let texts = canvas_texts(&h);
    assert!(!texts.is_empty(), "some names are drawn");
    for (text, size) in &texts {
        assert!(*size >= 11.0 - 1e-3, "{text:?} drawn at {size} points");
    }
    // The arrow labels would be under 11 points here: hidden.
    let arch = h.state().canvas().arch.clone();
    let labelled = arch
        .edges
        .iter()
        .position(|e| e.label == "CreateShipment")
        .unwrap();
    assert!(texts.iter().all(|(t, _)| t != "CreateShipment"));

    // On hover, the arrow's label is shown in a tooltip.
    let path = h.state().canvas().arrow_path(labelled).unwrap();
    let (a, b) = (path[path.len() / 2 - 1], path[path.len() / 2]);
    let before = count(&h, "CreateShipment");
    h.hover_at(a + (b - a) * 0.5);
    h.run_steps(60);
    assert_eq!(
        count(&h, "CreateShipment"),
        before + 1,
        "a tooltip names the arrow"
    );

    // A box whose detail line is hidden shows its name and detail on hover.
    let payment = ElementRef::new(ElementKind::Service, "payment");
    let at = h.state().canvas().screen_pos(&payment).unwrap();
    let detail = arch
        .nodes
        .iter()
        .find(|n| n.element == payment)
        .unwrap()
        .detail
        .clone();
    let before = count(&h, &detail);
    h.hover_at(at);
    h.run_steps(60);
    assert_eq!(count(&h, &detail), before + 1, "a tooltip shows {detail:?}");
}
