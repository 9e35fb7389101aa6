//! The context map: a model's domains as boxes, the messages between them as arrows;
//! a big model with domains opens on it, and clicking a domain shows it on the
//! diagram, focused.

use egui::Key;
use egui_kittest::kittest::Queryable;
use eventscape::app::Pane;
use eventscape::diagram::Focus;
use eventscape::model::{ElementKind, ElementRef, Model, load_file};

use super::focus::pipelines;
use super::{app_with, click};

/// The choreography example, its services in three domains.
pub(super) fn choreography() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/order-choreography.ron");
    let mut m = load_file(std::path::Path::new(path)).unwrap();
    for s in &mut m.services {
        let d = match s.name.as_str() {
            "payment" => "billing",
            "inventory" | "shipping" => "fulfilment",
            _ => "sales",
        };
        s.domain = Some(d.into());
    }
    m
}

fn svc(name: &str) -> ElementRef {
    ElementRef::new(ElementKind::Service, name)
}

#[test]
fn m_shows_the_map_and_clicking_a_domain_focuses_it_on_the_diagram() {
    let (mut h, _) = app_with(choreography(), None);
    h.run_steps(3);
    // A small model opens on its diagram.
    assert!(h.state().pane_rect(Pane::Canvas).is_some());
    assert!(h.query_by_label("domain billing").is_none());
    h.key_press(Key::M);
    h.run_steps(2);
    assert!(h.state().pane_rect(Pane::ContextMap).is_some());
    assert!(
        h.state().pane_rect(Pane::Canvas).is_none(),
        "behind the map"
    );
    for d in ["billing", "fulfilment", "sales", "no domain"] {
        h.get_by_label(&format!("domain {d}"));
    }
    // What crosses, on the arrows: billing → sales two events, the three other
    // arrows one each.
    assert_eq!(h.query_all_by_label("1 event").count(), 3);
    h.get_by_label("2 events");
    click(&mut h, "domain fulfilment");
    h.run_steps(3);
    assert!(
        h.state().pane_rect(Pane::Canvas).is_some(),
        "the diagram is in front"
    );
    assert_eq!(
        h.state().canvas().focus(),
        Some(&Focus::Domain("fulfilment".into()))
    );
    let canvas = h.state().canvas();
    assert_eq!(canvas.is_faded(&svc("inventory")), Some(false));
    assert_eq!(canvas.is_faded(&svc("shipping")), Some(false));
    assert_eq!(canvas.is_faded(&svc("payment")), Some(true));
    // The focus bar and the status line say what is shown.
    assert!(
        h.query_all_by_label_contains("domain \"fulfilment\"")
            .count()
            >= 1
    );
}

#[test]
fn a_big_model_with_domains_opens_on_its_map() {
    let mut m = pipelines(20, 10);
    for s in &mut m.services {
        let p: usize = s.name[1..s.name.find('-').unwrap()].parse().unwrap();
        s.domain = Some(format!("d{}", p / 5));
    }
    let (mut h, _) = app_with(m, None);
    h.run_steps(3);
    assert!(h.state().pane_rect(Pane::ContextMap).is_some());
    for d in 0..4 {
        h.get_by_label(&format!("domain d{d}"));
    }
    // The pipelines' topics have no domain: one more box.
    h.get_by_label("domain no domain");
    // Ctrl+F from the map brings the diagram forward and finds there.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    assert!(
        h.state().pane_rect(Pane::Canvas).is_some(),
        "the diagram is in front"
    );
    h.event(egui::Event::Text("p7-s3".into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some(&svc("p7-s3")));
    assert!(h.state().canvas().screen_pos(&svc("p7-s3")).is_some());
}

#[test]
fn a_model_without_domains_says_how_to_get_a_map() {
    let (mut h, _) = app_with(pipelines(20, 10), None);
    h.run_steps(3);
    assert!(
        h.state().pane_rect(Pane::Canvas).is_some(),
        "no map to open on"
    );
    h.key_press(Key::M);
    h.run_steps(2);
    h.get_by_label_contains("names no domains");
}
