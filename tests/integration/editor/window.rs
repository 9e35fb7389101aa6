//! The window's room and looks: the folded legend, panel edges, the diagram refitted
//! on resize, the export dialog's preview.

use super::*;

#[test]
fn the_export_preview_shows_text_exports_and_the_overlay() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    // Step the run a little, so there is an overlay to preview.
    for _ in 0..300 {
        h.key_press(Key::ArrowRight);
        h.run_steps(1);
    }
    menu(&mut h, "File", "Export...");
    let choose = |h: &mut Harness<'_, EventscapeApp>, format: &str| {
        h.get_by_label("Format").click();
        h.run_steps(2);
        click(h, format);
        h.run_steps(2);
    };
    // A text export: its text, as it will be written.
    choose(&mut h, "Graphviz DOT");
    let dot = eventscape::export::dot(model(&h));
    let first = dot.lines().next().unwrap();
    h.get_by_label_contains(first);
    // The diagram with the overlay: drawn from the run so far, and it says so.
    choose(&mut h, "Diagram (SVG)");
    click(&mut h, "with the simulation overlay (runs the model)");
    h.get_by_label_contains("Preview: the overlay of the run so far");
    // A run's export: no preview, and why.
    choose(&mut h, "Review report (HTML)");
    h.get_by_label_contains("made from a whole run of the model");
}

#[test]
fn the_legend_starts_folded_and_opens_on_a_click() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    assert!(
        h.query_by_label("consume (group)").is_none(),
        "folded: the canvas gets the room"
    );
    click(&mut h, "Legend");
    h.get_by_label("consume (group)");
}

#[test]
fn panel_edges_are_easy_to_grab_in_both_themes() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(2);
    assert_eq!(
        h.ctx.global_style().interaction.resize_grab_radius_side,
        6.0
    );
    let ctx = h.ctx.clone();
    h.state_mut().apply(Command::ToggleTheme, &ctx);
    h.run_steps(2);
    assert_eq!(
        h.ctx.global_style().interaction.resize_grab_radius_side,
        6.0
    );
}

#[test]
fn the_diagram_is_fitted_again_when_the_window_grows() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    let small = h.state().canvas().zoom().unwrap();
    h.set_size(egui::vec2(1600.0, 1000.0));
    h.run_steps(4);
    let large = h.state().canvas().zoom().unwrap();
    assert!(
        large > small * 1.1,
        "fitted to the larger window: {small} → {large}"
    );
    // Every box is in the canvas's rectangle.
    let area = h.state().canvas().screen_rect().unwrap();
    for s in &model(&h).services {
        let el = ElementRef {
            kind: ElementKind::Service,
            name: s.name.clone(),
        };
        let r = h.state().canvas().box_rect(&el).unwrap();
        assert!(
            area.contains_rect(r),
            "{} at {r:?} outside {area:?}",
            s.name
        );
    }
}
