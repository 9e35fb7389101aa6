//! The element list of a big model: only the rows in view are drawn, a selection made
//! elsewhere scrolls the list to it, and a section folds by its title.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use eventscape::app::EventscapeApp;
use eventscape::model::{ElementKind, ElementRef};

use super::focus::pipelines;
use super::{app_with, click};

fn rows_of(h: &Harness<'_, EventscapeApp>, prefix: &str) -> usize {
    h.query_all_by_label_contains(prefix).count()
}

#[test]
fn a_thousand_services_list_a_screenful_and_scroll_to_what_is_found() {
    let (mut h, _) = app_with(pipelines(100, 10), None);
    h.run_steps(4);
    h.get_by_label("Services (1000)");
    h.get_by_label_contains("p0-s0 — ");
    let drawn = rows_of(&h, " × ");
    assert!(
        (5..100).contains(&drawn),
        "{drawn} service rows drawn: a screenful, not 1,000"
    );
    assert!(h.query_by_label_contains("p99-s9 — ").is_none());

    // Found on the diagram: the list scrolls to the selection.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("p99-s9".into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let found = ElementRef::new(ElementKind::Service, "p99-s9");
    assert_eq!(h.state().selection(), Some(&found));
    h.get_by_label_contains("p99-s9 — ");
    assert!(h.query_by_label_contains("p0-s0 — ").is_none(), "scrolled");

    // A click on a row selects its element.
    let other = h
        .query_all_by_label_contains(" × ")
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| !l.starts_with("p99-s9 "))
        .expect("another service in view");
    let name = other.split(" — ").next().unwrap().to_owned();
    click(&mut h, &other);
    let el = ElementRef::new(ElementKind::Service, name);
    assert_eq!(h.state().selection(), Some(&el));
}

#[test]
fn a_section_folds_and_unfolds_by_its_title() {
    let (mut h, _) = app_with(pipelines(2, 3), None);
    h.run_steps(4);
    assert_eq!(rows_of(&h, " × "), 6);
    click(&mut h, "Services (6)");
    assert_eq!(rows_of(&h, " × "), 0, "folded");
    h.get_by_label("Topics (6)");
    click(&mut h, "Services (6)");
    assert_eq!(rows_of(&h, " × "), 6, "unfolded");
}
