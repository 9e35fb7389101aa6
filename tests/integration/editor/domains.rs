//! Domains on the diagram: a frame around each domain's boxes, whose title collapses
//! it into one box in place; a click on that box expands it again. Far out, every
//! domain not folded by hand is drawn collapsed (level of detail by zoom), and
//! finding an element in a collapsed domain expands it.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use eventscape::app::DOMAIN_ZOOM;
use eventscape::model::{ElementKind, ElementRef};

use super::context_map::choreography;
use super::{app_with, click};

fn svc(name: &str) -> ElementRef {
    ElementRef::new(ElementKind::Service, name)
}

#[test]
fn a_domain_collapses_into_one_box_and_expands_in_place() {
    let (mut h, _) = app_with(choreography(), None);
    h.run_steps(4);
    assert!(h.state().canvas().zoom().unwrap() > DOMAIN_ZOOM);
    assert_eq!(h.state().canvas().is_collapsed("billing"), Some(false));
    assert!(h.state().canvas().screen_pos(&svc("payment")).is_some());
    let frame_top = h.state().canvas().domain_rect("billing").unwrap().top();

    click(&mut h, "Collapse domain billing");
    h.run_steps(2);
    let canvas = h.state().canvas();
    assert_eq!(canvas.is_collapsed("billing"), Some(true));
    assert_eq!(
        canvas.screen_pos(&svc("payment")),
        None,
        "hidden in its domain"
    );
    assert!(
        canvas.screen_pos(&svc("inventory")).is_some(),
        "others stay"
    );
    assert_eq!(
        canvas.domain_rect("billing").unwrap().top(),
        frame_top,
        "in place"
    );
    // One box now, a button that expands it; no title to collapse it again.
    assert!(h.query_by_label("Collapse domain billing").is_none());
    h.get_by_label("Expand domain billing");

    click(&mut h, "Expand domain billing");
    h.run_steps(2);
    assert_eq!(h.state().canvas().is_collapsed("billing"), Some(false));
    assert!(h.state().canvas().screen_pos(&svc("payment")).is_some());
    // Folding is a view: nothing to undo.
    assert!(!h.state().document().can_undo());
}

#[test]
fn far_out_every_domain_is_one_box_until_expanded_by_hand_or_found() {
    let (mut h, _) = app_with(choreography(), None);
    h.run_steps(4);
    while h.state().canvas().zoom().unwrap() >= DOMAIN_ZOOM {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        h.run_steps(1);
    }
    h.run_steps(2);
    for d in ["billing", "fulfilment", "sales"] {
        assert_eq!(h.state().canvas().is_collapsed(d), Some(true), "{d}");
        h.get_by_label(&format!("Expand domain {d}"));
    }
    click(&mut h, "Expand domain sales");
    h.run_steps(2);
    assert_eq!(h.state().canvas().is_collapsed("sales"), Some(false));
    assert_eq!(h.state().canvas().is_collapsed("billing"), Some(true));
}

#[test]
fn finding_an_element_of_a_collapsed_domain_expands_it() {
    let (mut h, _) = app_with(choreography(), None);
    h.run_steps(4);
    click(&mut h, "Collapse domain billing");
    h.run_steps(2);
    assert_eq!(h.state().canvas().is_collapsed("billing"), Some(true));
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("payment".into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().canvas().is_collapsed("billing"), Some(false));
    assert!(h.state().canvas().screen_pos(&svc("payment")).is_some());
}
